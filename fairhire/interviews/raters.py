"""Rater-level disparities. Two questions per rater (interviewer, screener), each answered by a
test adjusted for the number of raters, and a rater is flagged on either, saying which:

1. **own record** — within this rater's own decisions, do candidate groups fare differently?
2. **unlike peers** — does this rater's gap stand apart from the organisation's, beyond what
   their number of decisions explains?

Flow: one group-by (rater × candidate group) in the caller's engine, with the shared core's
rules (yes/no flags, label cleaning, internal column names, the reference group); everything
after works on that small table (:mod:`fairhire.interviews._raters_steps`). For question 2 each
rater's gap is shrunk toward the organisation-wide gap by empirical Bayes
(:mod:`fairhire.stats.shrinkage`) and tested against it (Spiegelhalter 2005's funnel-plot z).
Both sets of p-values are adjusted for the false discovery rate across raters (Benjamini &
Hochberg 1995; Jones, Ohlssen & Spiegelhalter 2008).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pandas as pd

from .._core.labels import as_labels
from .._core.missing import is_missing
from .._core.params import check_alpha, check_choice, check_confidence, check_int
from .._core.reference_rows import explains_reference
from .._core.text import format_number, format_p, format_points, p_text
from .._deprecation import renamed_argument
from .._frames import fingerprint_frame, numbers_from_objects, require_columns, to_narwhals
from .._results import Headline, Result, RowAccount, result_dataclass
from ..errors import InsufficientDataError, InvalidParameterError
from ..stats.shrinkage import METHODS
from ._common import check_numeric
from ._raters_steps import choose_group, finish_table, rater_rows, read_decisions

__all__ = ["RaterDisparityResult", "rater_disparity"]

#: Columns of :attr:`RaterDisparityResult.table`, in order.
TABLE_COLUMNS = (
    "evidence_rank", "rater", "group", "reference_group", "decisions", "focal_n",
    "reference_n", "focal_value", "reference_value", "gap", "se", "ci_low", "ci_high",
    "org_gap", "difference_from_org", "z", "p_value", "p_value_adjusted", "shrinkage",
    "gap_shrunk", "shrunk_ci_low", "shrunk_ci_high", "flagged", "direction", "assessable",
    "reason", "own_p_value", "own_p_value_adjusted", "flagged_own", "flagged_peers",
    "flag_reason", "focal_passed", "reference_passed",
)


@result_dataclass
class RaterDisparityResult(Result):
    """Per-rater gaps between candidate groups, shrunk and tested against the organisation.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (rater, focal group), ordered by **evidence strength** (smallest p-value
        first; never by raw gap), then raters that could not be assessed. Columns:
        ``evidence_rank`` (1 = strongest evidence; missing when not assessable), ``rater``,
        ``group`` (focal candidate group), ``reference_group``, ``decisions`` (the rater's
        usable decisions on all groups), ``focal_n``, ``reference_n``, ``focal_value``,
        ``reference_value`` (pass rates, or mean scores with ``score=``), ``gap`` (focal −
        reference), ``se`` and ``ci_low``/``ci_high`` (its standard error and interval),
        ``org_gap`` (the organisation-wide gap the rater is compared with),
        ``difference_from_org``, ``z`` and ``p_value`` (funnel-plot test of gap = org_gap),
        ``p_value_adjusted`` (Benjamini–Hochberg across every row), ``shrinkage`` (share of the
        distance to org_gap removed by empirical Bayes, 0–1), ``gap_shrunk`` with
        ``shrunk_ci_low``/``shrunk_ci_high``, ``flagged``, ``direction``, ``assessable`` and
        ``reason`` (why a row was not assessed); the rater's own-record test ``own_p_value``
        (Fisher's exact test of the focal against the reference group within the rater's
        decisions; a z test for scores) and ``own_p_value_adjusted`` (Benjamini–Hochberg);
        ``flagged_own``, ``flagged_peers`` and ``flag_reason`` ("own record", "unlike
        peers", or both); ``focal_passed`` and ``reference_passed`` (candidates passed, with
        ``outcome=``; NaN for scores), counts a report's ``min_cell`` withholds.
    organisation : pandas.DataFrame
        Per focal group: the organisation-wide values, the pooled gap, the empirical-Bayes
        target ``org_gap`` with its SE, ``tau`` (SD of true gaps between raters), raters
        assessed and flagged, ``focal_passed`` and ``reference_passed``.
    funnel : pandas.DataFrame
        Control limits for a funnel plot per focal group: ``group``, ``n`` (decisions on the
        two groups compared), ``center``, ``lower95``, ``upper95``, ``lower998``,
        ``upper998``.
    measure : str
        ``"pass rate"`` or ``"mean score"``.
    reference_group : str
        The group every other group is compared with.
    min_n, alpha : as passed (``min_decisions`` is the old name of ``min_n``).
    """

    table: pd.DataFrame
    organisation: pd.DataFrame
    funnel: pd.DataFrame
    measure: str
    rater_column: str
    group_column: str
    value_column: str
    reference_group: str
    min_n: int
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "rater disparities"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "decisions", "focal_n", "focal_passed", "n", "reference_n", "reference_passed",
    })
    #: a row's rank and the words of its flag ("own record", "below organisation for
    #: Female") say what its withheld figures say, and its reason quotes its decisions ("3
    #: decisions, fewer than min_n=20"): withheld with them
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "difference_from_org", "direction", "evidence_rank", "flag_reason", "focal_value", "gap",
        "gap_shrunk", "pooled_gap", "reason", "reference_value", "se", "shrunk_ci_high",
        "shrunk_ci_low",
    })

    flag_column: ClassVar[str] = "flagged"
    tally_columns: ClassVar[Mapping[str, tuple[str, str, str]]] = {
        "raters_flagged": ("table", "flagged", "group")}
    # the control limits at 10, 14, ... decisions around the organisation-wide gap
    method_fields: ClassVar[Mapping[str, str]] = {"funnel": "organisation"}

    @property
    def min_decisions(self) -> int:
        """The old name of :attr:`min_n` (raters with fewer decisions are not assessed)."""
        return self.min_n

    def _repr_headline(self) -> str:
        return (f"{self.n_assessed} raters assessed, {len(self.flagged)} flagged, "
                f"{len(self.not_assessable)} not assessable")

    @property
    def not_assessable(self) -> pd.DataFrame:
        """Raters (and rater × group pairs) that could not be assessed, with the reason."""
        t = self.table.loc[~self.table["assessable"]]
        return t[["rater", "group", "decisions", "focal_n", "reference_n", "reason"]].reset_index(
            drop=True
        )

    @property
    def n_assessed(self) -> int:
        return int(self.table.loc[self.table["assessable"], "rater"].nunique())

    def _fmt(self, v: float, signed: bool = True) -> str:
        """A gap: percentage points for pass rates, score points for scores."""
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n/a"
        if self.measure == "pass rate":
            text = format_points(v).replace(" pp", " percentage points")
        else:
            text = format_number(v) + " score points"
        return ("+" + text) if signed and v > 0 else text

    def headlines(self) -> list[Headline]:
        out = [Headline(severity=3, text=self._flag_text(row), figure=float(row.gap),
                        section=self.kind) for row in self.flagged.itertuples(index=False)]
        n_na = int(self.table.loc[~self.table["assessable"], "rater"].nunique())
        if n_na:
            out.append(Headline(
                severity=1,
                text=f"{n_na} rater(s) had too few usable decisions to be assessed "
                f"(minimum {self.min_n}, with candidates of both groups compared).",
                figure=float(n_na), section=self.kind,
            ))
        if not len(self.flagged) and self.n_assessed:
            out.append(Headline(
                severity=1,
                text="No rater's own decisions show a gap between candidate groups, and no "
                "rater's gap stands apart from the organisation's, after false-discovery-rate "
                f"control ({self.n_assessed} raters assessed).",
                section=self.kind,
            ))
        return out

    def _flag_text(self, row: Any) -> str:
        low = row.group if row.gap < 0 else row.reference_group
        own = (f"in their own decisions, {row.group} candidates' {self.measure} differs from "
               f"{row.reference_group} candidates' by {self._fmt(row.gap)} "
               f"({int(row.focal_n):,} and {int(row.reference_n):,} decisions; "
               f"{p_text(row.own_p_value_adjusted, 'adjusted p')})")
        peers = (f"this gap is unlike the organisation-wide gap of {self._fmt(row.org_gap)} "
                 f"(shrunk estimate {self._fmt(row.gap_shrunk)}; "
                 f"{p_text(row.p_value_adjusted, 'adjusted p')})")
        parts = [own] if row.flagged_own else [f"{row.group} candidates' {self.measure} gap is "
                                                f"{self._fmt(row.gap)}"]
        if row.flagged_peers:
            parts.append(peers)
        return (f"Rater {row.rater} ({row.flag_reason}): " + "; ".join(parts)
                + f": a gap to the disadvantage of {low} candidates worth reviewing.")

    def summary(self) -> str:
        lines = [
            f"Rater disparities — {self.measure} of {self.value_column!r} by "
            f"{self.group_column!r}, per {self.rater_column!r}; reference group "
            f"{self.reference_group!r}.",
            f"Raters assessed: {self.n_assessed} (at least {self.min_n} decisions); flagged: "
            f"{len(self.flagged)} — on their own record (the groups fare differently in their "
            f"own decisions, p < {self.alpha:g} adjusted for the number of raters tested) or as "
            "unlike their peers (their gap differs from the organisation's, adjusted p below the "
            "same level, and the shrunk interval excludes the organisation's gap).",
        ]
        lines.extend(self._rows_text())
        for org in self.organisation.itertuples(index=False):
            lines.append(
                f"{org.group} vs {org.reference_group}: the gap across all decisions is "
                f"{self._fmt(org.pooled_gap)}; the typical rater's gap (the centre raters are "
                f"compared with) is {self._fmt(org.org_gap)}, and raters' true gaps spread by "
                f"{self._fmt(org.tau, signed=False)} (standard deviation)."
            )
        cols = ["evidence_rank", "rater", "group", "focal_n", "reference_n", "gap",
                "gap_shrunk", "own_p_value_adjusted", "p_value_adjusted", "flag_reason",
                "reason"]
        view = self.table[cols].copy()
        for c in ("gap", "gap_shrunk"):
            view[c] = view[c].map(self._fmt)
        for c in ("own_p_value_adjusted", "p_value_adjusted"):
            view[c] = view[c].map(format_p)
        view["evidence_rank"] = view["evidence_rank"].map(
            lambda v: "" if is_missing(v) else str(int(v))
        )
        view["reason"] = view["reason"].fillna("")
        lines.append(view.to_string(index=False))
        return self._summary_text(lines)


@explains_reference("candidate_group")
def rater_disparity(
    data: Any,
    *,
    rater: str,
    candidate_group: str,
    outcome: str | None = None,
    score: str | None = None,
    min_n: int = 20,
    reference: object | None = None,
    alpha: float = 0.05,
    confidence: float = 0.95,
    method: str = "paule-mandel",
    center: str = "median",
    unknown_labels: Sequence[object] = (),
    min_decisions: int | None = None,
) -> RaterDisparityResult:
    """Each rater's gap between candidate groups: tested within their own decisions, and
    against the organisation's gap (shrunk by empirical Bayes).

    For every rater (interviewer, screener) and every candidate group other than the
    reference, the gap in pass rate (``outcome=``) or mean score (``score=``) between that
    group and the reference group. Each gap is compared with the organisation-wide gap:

    - **shrinkage**: a normal–normal empirical-Bayes model pulls each rater's gap toward the
      organisation-wide gap in proportion to its noise, so a rater with 12 decisions does not
      look extreme by chance (:func:`fairhire.stats.shrinkage.shrink`);
    - **test**: ``z = (gap − org_gap) / se`` (Spiegelhalter's funnel-plot test), with ``se``
      computed at the organisation's rates for the rater's numbers of decisions;
    - **false discoveries**: p-values adjusted by Benjamini–Hochberg across all rater × group
      rows. This test flags a row when the adjusted p-value is below ``alpha`` **and** the
      shrunk estimate's interval excludes the organisation's gap.

    A row is ``flagged`` on either test; ``flag_reason`` says which ("own record", "unlike
    peers", or both).

    The table is ordered by evidence strength (p-value), never by raw gap. Raters with fewer
    than ``min_n`` usable decisions, or without decisions on both groups compared, are
    listed with ``assessable=False`` and the reason.

    Parameters
    ----------
    data : DataFrame
        One row per (candidate, rater) decision; pandas, polars, pyarrow, DuckDB... (never
        modified). Aggregated with one group-by in the caller's engine.
    rater : str
        Column identifying the rater.
    candidate_group : str
        Column of the candidate's group (e.g. ``"sex"``). Rows with a missing group are counted
        and excluded.
    unknown_labels : str or list, optional
        Group labels that mean "unknown" ("Prefer not to say"), as in
        :func:`fairhire.adverse_impact`; never a rater's name.
    outcome : str, optional
        Yes/no column (True/False, 1/0, yes/no ...): did the rater pass the candidate? Blank
        values are missing: excluded and counted.
    score : str, optional
        Numeric column: the rater's score. Give exactly one of ``outcome`` and ``score``.
    min_n : int, default 20
        Raters with fewer usable decisions are not assessed (listed as not assessable); also
        the smallest candidate group that can be the default reference. ``min_decisions=`` is
        its old name (works for one release, with a FutureWarning).
    reference : optional
        Reference candidate group; default: the highest pass rate (or mean score) among
        groups with at least ``min_n`` decisions and 2% of them (ties: the largest).
    alpha : float
        False discovery rate for the flags.
    confidence : float
        Level of the intervals.
    method : {"paule-mandel", "dersimonian-laird"}
        Estimator of the between-rater variance of gaps.
    center : {"median", "mean"}
        How the organisation-wide gap is estimated from the raters' gaps. ``"median"``
        (default): the precision-weighted median, robust to the few raters one is looking
        for — with the mean, three strongly biased busy raters pull the organisation's gap
        toward themselves and make fair raters look deviant the other way (in simulations
        with :func:`fairhire.datasets.make_interviews`, false flags fell from about 8% to 3%
        of flags). ``"mean"``: the classic precision-weighted mean.

    Returns
    -------
    RaterDisparityResult

    Examples
    --------
    >>> import fairhire as fh
    >>> data = fh.datasets.make_interviews(random_state=0)
    >>> rd = fh.rater_disparity(data.decisions, rater="interviewer", candidate_group="sex",
    ...                         outcome="advanced")
    >>> sorted(rd.flagged.rater)
    ['INT-03', 'INT-11', 'INT-17']
    >>> "INT-99" in set(rd.not_assessable.rater)
    True
    """
    min_n = renamed_argument("rater_disparity", "min_decisions", "min_n", min_decisions,
                             min_n, 20)
    options = _check(rater, candidate_group, outcome, score, min_n=min_n, alpha=alpha,
                     confidence=confidence, method=method, center=center,
                     value_column=outcome or score)
    frame = to_narwhals(data)
    require_columns(frame, rater=rater, candidate_group=candidate_group, outcome=outcome,
                    score=score)
    frame = numbers_from_objects(frame, [score])
    if score is not None:
        check_numeric(frame, score, argument="score")
    measure = "pass rate" if outcome is not None else "mean score"
    unknown_labels = as_labels(unknown_labels)
    read = read_decisions(frame, rater, candidate_group, outcome, score, unknown_labels)
    warnings = list(read.warnings)
    ref = choose_group(read.cells, reference, min_n, measure, candidate_group, warnings)
    sigma2 = _within_variance(read.cells, score) if score is not None else math.nan
    records, org_rows, funnel_rows = rater_rows(read.cells, ref, measure, min_n, sigma2,
                                                options, warnings)
    table = finish_table(records, TABLE_COLUMNS, alpha)
    _assessability_warnings(table, read, ref, min_n, warnings)
    rows = _row_account(read.rows, table)
    organisation = pd.DataFrame(org_rows)
    if not organisation.empty:
        counts = table.loc[table["flagged"]].groupby("group").size()
        organisation["raters_flagged"] = organisation["group"].map(counts).fillna(0).astype(int)
    funnel = pd.DataFrame(funnel_rows, columns=["group", "n", "center", "lower95", "upper95",
                                                "lower998", "upper998"])
    params: Mapping[str, Any] = {
        "rater": rater, "candidate_group": candidate_group, "outcome": outcome,
        "score": score, "min_n": int(min_n), "reference": reference, "alpha": alpha,
        "confidence": confidence, "method": method, "center": center, "adjust": "fdr_bh",
        "unknown_labels": list(unknown_labels),
    }
    return RaterDisparityResult(
        table=table, organisation=organisation, funnel=funnel, measure=measure,
        rater_column=rater, group_column=candidate_group, value_column=outcome or score,
        reference_group=ref, min_n=int(min_n), alpha=alpha,
        fingerprint=fingerprint_frame(read.cells), warnings=tuple(dict.fromkeys(warnings)),
        rows=rows, params=params,
    )


def _check(rater: str, candidate_group: str, outcome: str | None, score: str | None,
           **o: Any) -> dict[str, Any]:
    """Check every option once, at the boundary."""
    if (outcome is None) == (score is None):
        raise InvalidParameterError(
            "give exactly one of outcome= (a pass/fail column) and score= (a numeric column)."
        )
    check_int(o["min_n"], "min_n", low=1)
    check_alpha(o["alpha"])
    check_confidence(o["confidence"])
    check_choice(o["method"], "method", sorted(METHODS))
    check_choice(o["center"], "center", ["median", "mean"])
    if len({rater, candidate_group, outcome or score}) < 3:
        raise InvalidParameterError(
            "rater=, candidate_group= and outcome=/score= must name three different columns."
        )
    return o


def _within_variance(cells: pd.DataFrame, score: str) -> float:
    """Pooled within-(rater, group) variance of the scores."""
    ss_within = (cells["ss"] - cells["s"] ** 2 / cells["k"]).clip(lower=0).sum()
    df_within = int((cells["k"] - 1).sum())
    if df_within < 1 or not ss_within > 0:
        raise InsufficientDataError(
            f"the scores in {score!r} do not vary within raters and groups "
            f"({df_within} degrees of freedom): the gaps have no measurable noise. Check "
            "the column, or analyse a pass/fail outcome= instead."
        )
    return float(ss_within / df_within)


def _row_account(rows: RowAccount, table: pd.DataFrame) -> RowAccount:
    """Decisions of raters that could not be assessed at all are excluded, counted."""
    assessed = set(table.loc[table["assessable"], "rater"])
    na = table.loc[~table["rater"].isin(assessed)].drop_duplicates("rater")
    n_not = int(na["decisions"].sum())
    if not n_not:
        return rows
    excluded = {**rows.excluded, "rater not assessable": n_not}
    return RowAccount(total=rows.total, used=rows.used - n_not, excluded=excluded)


def _assessability_warnings(table: pd.DataFrame, read: Any, ref: str, min_n: int,
                            warnings: list[str]) -> None:
    na = table.loc[~table["assessable"]].drop_duplicates("rater")
    na = na.loc[~na["rater"].isin(table.loc[table["assessable"], "rater"])]
    if len(na):
        warnings.append(
            f"{len(na)} rater(s) not assessable (fewer than {min_n} decisions or no decisions "
            f"on {ref} candidates): listed at the end of the table."
        )
    if not table["assessable"].any():
        warnings.append(
            f"no rater has {min_n} or more usable decisions including {ref} candidates; "
            "lower min_n= to assess raters with fewer decisions."
        )
