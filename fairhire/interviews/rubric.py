"""Rubric consistency: inter-rater reliability per criterion, and score gaps between candidate
groups per criterion.

Reliability needs the candidate × rater matrix of each criterion, so this analysis collects the
columns it needs (candidate, rater, criteria, candidate group) to pandas; one row per
(candidate, rater) rubric form is small even for a large employer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import pandas as pd

from .._core.labels import as_labels
from .._core.params import check_alpha, check_choice, check_confidence
from .._core.reference_rows import explains_reference
from .._core.text import p_text
from .._deprecation import renamed_argument
from .._frames import (
    Frame,
    as_columns,
    combine_fingerprints,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, by_severity, result_dataclass
from ..errors import InvalidParameterError
from ..stats.reliability import LEVELS
from ._rubric_labels import label_points, scores_from_labels
from ._rubric_steps import (
    RELIABLE,
    TENTATIVE,
    candidate_groups,
    finish_gaps,
    gap_rows,
    read_scores,
    reference_group,
    reliability_row,
    review_columns,
)

__all__ = ["RELIABLE", "TENTATIVE", "RubricConsistencyResult", "rubric_consistency"]

RELIABILITY_COLUMNS = (
    "criterion", "ratings", "candidates", "raters", "missing_scores", "single_rated",
    "candidates_compared", "mean", "sd", "no_variance", "alpha", "alpha_level", "icc",
    "icc_ci_low", "icc_ci_high", "icc_k", "k0", "icc_2_1", "reliability", "low_reliability",
    "max_abs_g", "gap_groups", "review", "concerns",
)

GAP_COLUMNS = (
    "criterion", "group", "reference_group", "n_focal", "n_reference", "mean_focal",
    "mean_reference", "difference", "hedges_g", "ci_low", "ci_high", "p_value",
    "p_value_adjusted", "flagged", "small_sample",
)


@result_dataclass
class RubricConsistencyResult(Result):
    """Inter-rater reliability and group score gaps, per rubric criterion.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per criterion: ``criterion, ratings, candidates, raters, missing_scores``
        (rows with no score on it), ``single_rated`` (candidates rated by one rater only: no
        agreement to measure, left out of the reliability figures), ``candidates_compared``
        (those rated by two or more), ``mean``, ``sd``, ``no_variance`` (every score the
        same: reliability undefined), ``alpha`` (Krippendorff's alpha at ``alpha_level``),
        ``icc`` with ``icc_ci_low``/``icc_ci_high`` (ICC(1,1), one-way random effects, valid
        when each candidate meets different raters), ``icc_k`` (reliability of the mean of
        ``k0`` raters), ``k0``, ``icc_2_1`` (ICC(2,1), only when every candidate was rated by
        the same raters, else missing), ``reliability`` ("reliable" / "tentative" /
        "unreliable" / "undefined", after Krippendorff), ``low_reliability``, ``max_abs_g``
        (largest |Hedges' g| between candidate groups), ``gap_groups`` (groups with a flagged
        gap), ``review`` and ``concerns`` (why to review the criterion).
    gaps : pandas.DataFrame or None
        With ``candidate_group``: one row per (criterion, focal group): the candidates' mean
        scores (each candidate's scores averaged over raters), ``difference``, ``hedges_g``
        with ``ci_low``/``ci_high``, the pooled t-test ``p_value``, ``p_value_adjusted``
        (Benjamini–Hochberg over every row by default), ``flagged``, ``small_sample``.
    criteria : tuple of str
    level : str
        Level of measurement used for alpha.
    reference_group : str or None
    """

    table: pd.DataFrame
    gaps: pd.DataFrame | None
    criteria: tuple[str, ...]
    level: str
    candidate_column: str
    rater_column: str
    group_column: str | None
    reference_group: str | None
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "rubric consistency"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "candidates", "candidates_compared", "n_focal", "n_reference", "ratings", "single_rated",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "difference", "hedges_g", "mean_focal", "mean_reference",
    })

    flag_column: ClassVar[str] = "review"
    #: Krippendorff's guides (2004): reliable at or above, tentative at or above (for charts).
    reliable: ClassVar[float] = RELIABLE
    tentative: ClassVar[float] = TENTATIVE

    @property
    def measurement(self) -> str:
        """The level of measurement of the scores (``level`` is its old name)."""
        return self.level

    def _repr_headline(self) -> str:
        return f"{len(self.criteria)} criteria, {len(self.flagged)} to review"

    @property
    def to_review(self) -> pd.DataFrame:
        """Criteria with low reliability or a flagged score gap between groups."""
        return self.table.loc[self.table["review"]].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        gaps = self.gaps
        for row in self.table.itertuples(index=False):
            flagged = (
                gaps.loc[(gaps["criterion"] == row.criterion) & gaps["flagged"]]
                if gaps is not None else None
            )
            parts = []
            if row.low_reliability:
                parts.append(
                    f"low inter-rater reliability (Krippendorff's alpha {row.alpha:.2f}, below "
                    f"{TENTATIVE:.3f})"
                )
            if flagged is not None and len(flagged):
                g = flagged.iloc[flagged["hedges_g"].abs().argmax()]
                parts.append(
                    f"a score gap between {g.group} and {g.reference_group} candidates "
                    f"(Hedges' g {g.hedges_g:+.2f}, 95% CI {g.ci_low:+.2f} to {g.ci_high:+.2f}; "
                    f"adjusted {p_text(g.p_value_adjusted)})"
                )
            if parts:
                sev = 3 if (flagged is not None and len(flagged)) else 2
                tail = (
                    ": the kind of criterion most open to subjective judgement, worth "
                    "restructuring." if len(parts) == 2 else "."
                )
                out.append(Headline(
                    severity=sev,
                    text=f"Rubric criterion {row.criterion!r} shows " + " and ".join(parts) + tail,
                    figure=float(row.alpha) if not math.isnan(row.alpha) else None,
                    section=self.kind,
                ))
            if row.no_variance:
                out.append(Headline(
                    severity=1,
                    text=f"Rubric criterion {row.criterion!r} received the same score from "
                    "everyone: it does not discriminate between candidates.",
                    section=self.kind,
                ))
        if not out:
            out.append(Headline(
                severity=1,
                text=f"All {len(self.criteria)} rubric criteria are rated consistently and show "
                "no significant score gap between candidate groups.",
                section=self.kind,
            ))
        return by_severity(out)

    def summary(self) -> str:
        lines = [
            f"Rubric consistency — {len(self.criteria)} criteria, candidates "
            f"{self.candidate_column!r}, raters {self.rater_column!r}; Krippendorff's alpha "
            f"({self.level}), ICC(1,1) one-way random effects.",
        ]
        lines.extend(self._rows_text())
        cols = ["criterion", "candidates_compared", "single_rated", "alpha", "icc",
                "icc_ci_low", "icc_ci_high", "reliability", "max_abs_g", "review"]
        lines.append(self.table[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if self.gaps is not None and len(self.gaps):
            lines.append(
                f"Score gaps between candidate groups ({self.group_column!r}, reference "
                f"{self.reference_group!r}):"
            )
            g = self.gaps[["criterion", "group", "n_focal", "n_reference", "difference",
                           "hedges_g", "ci_low", "ci_high", "p_value_adjusted", "flagged"]]
            lines.append(g.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        return self._summary_text(lines)


@explains_reference("candidate_group")
def rubric_consistency(
    data: Any,
    *,
    candidate: str,
    rater: str,
    criteria: str | Sequence[str],
    candidate_group: str | None = None,
    measurement: str = "ordinal",
    reference: object | None = None,
    alpha: float = 0.05,
    confidence: float = 0.95,
    adjust: str = "fdr_bh",
    unknown_labels: Sequence[object] = (),
    order: Sequence[Any] | None = None,
    level: str | None = None,
) -> RubricConsistencyResult:
    """Inter-rater reliability and group score gaps for each rubric criterion.

    For each criterion: Krippendorff's alpha (any number of raters per candidate, missing
    ratings allowed; ``measurement="ordinal"`` for rubric scales by default) and the one-way
    intraclass correlation ICC(1,1) with its confidence interval (Shrout & Fleiss 1979, with
    the unbalanced-design k₀ of Searle 1971), plus ICC(2,1) when every candidate was rated by
    the same raters. Candidates rated by a single rater are counted (``single_rated``) and left
    out of the reliability figures, which need two ratings of the same candidate. A criterion
    on which every score is the same is flagged ``no_variance`` (reliability is undefined, not
    perfect).

    With ``candidate_group``, each candidate's scores are averaged over raters and the groups
    compared per criterion with Hedges' g (bias-corrected standardized mean difference) and its
    confidence interval; p-values (pooled t test) are adjusted across all criteria and groups.
    Criteria with low reliability or a score gap are marked ``review``: the ones most open to
    subjective judgement.

    Parameters
    ----------
    data : DataFrame
        Rubric scores, one row per (candidate, rater) with one column per criterion (wide):
        scale points, or rating labels (see ``order``). The needed columns are collected to
        pandas; the input is never modified.
    candidate, rater : str
        Candidate and rater identifier columns. A (candidate, rater) pair may appear once.
    criteria : str or list of str
        Criterion columns: numeric scale points, or rating labels read as points (missing,
        blank, "N/A" and "No Decision" = not scored, counted in ``missing_scores``).
    candidate_group : str, optional
        Candidate group column (constant per candidate).
    unknown_labels : str or list, optional
        Group labels that mean "unknown" ("Prefer not to say"), as in
        :func:`fairhire.adverse_impact`.
    measurement : {"ordinal", "interval", "nominal", "ratio"}
        Level of measurement for Krippendorff's alpha.
    reference : optional
        Reference candidate group. Default: the shared rule on the candidates' mean score (a
        candidate's mean over their scores on every criterion): the highest mean among groups
        of at least 30 candidates and 2% of them (ties: the largest group); smaller groups
        are compared but are "too small to be the reference".
    alpha : float
        Significance level for gap flags (after adjustment).
    confidence : float
        Level of the confidence intervals.
    adjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Multiple-comparison adjustment of the gap p-values.
    order : list, optional
        Every rating label, lowest first, read as scale points 1..k, as in
        :func:`fairhire.rating_disparity` (matched case and spaces aside); labels in the data
        but not in ``order`` are an error listing them. Used for criteria holding text;
        numeric criteria keep their numbers. Without it, labels that carry their point
        ("4 - Strong Yes", "2 (Below)") read as that number, and labels of one well-known
        scale (Greenhouse: "Definitely Not" < "No" < "Yes" < "Strong Yes"; Lever: "Strong No
        Hire" < "No Hire" < "Hire" < "Strong Hire") as its points, with the mapping in
        ``warnings``; other labels are an error.
    level : str, optional
        The old name of ``measurement=`` (works for one release, with a FutureWarning).

    Returns
    -------
    RubricConsistencyResult

    Examples
    --------
    >>> import fairhire as fh
    >>> data = fh.datasets.make_interviews(random_state=0)
    >>> rc = fh.rubric_consistency(data.scores, candidate="candidate_id", rater="interviewer",
    ...                            criteria=list(data.criteria), candidate_group="sex")
    >>> rc.to_review.criterion.tolist()
    ['culture_fit']

    Rating labels of a scorecard, lowest first in ``order``, are read as points 1..k:

    >>> import pandas as pd
    >>> cards = pd.DataFrame({"candidate": ["a", "a", "b", "b", "c", "c"],
    ...                       "rater": ["r1", "r2"] * 3,
    ...                       "overall": ["Meets", "Exceeds", "Below", "below ", "N/A", "Meets"]})
    >>> fh.rubric_consistency(cards, candidate="candidate", rater="rater", criteria="overall",
    ...                       order=["Below", "Meets", "Exceeds"]).table[["ratings", "mean"]]
       ratings      mean
    0        5  1.8
    """
    level = renamed_argument("rubric_consistency", "level", "measurement", level, measurement,
                             "ordinal")
    unknown_labels = as_labels(unknown_labels)
    frame, crits, ids = _check(data, level=level, alpha=alpha, confidence=confidence,
                               candidate=candidate, rater=rater, criteria=criteria,
                               candidate_group=candidate_group)
    label_notes: list[str] = []
    points = label_points(frame, crits, order, label_notes)
    read = read_scores(frame, ids, crits, candidate, rater)
    df, warnings = scores_from_labels(read.df, points), [*label_notes, *read.warnings]
    cand_group = ref = None
    if candidate_group is not None:
        cand_group = candidate_groups(df, candidate_group, warnings, unknown_labels)
        ref = reference_group(df, crits, cand_group, candidate_group, reference, warnings)
    rel_rows: list[dict[str, Any]] = []
    rows_of_gaps: list[dict[str, Any]] = []
    for c in crits:
        rel_rows.append(reliability_row(df, c, level, confidence, warnings))
        if cand_group is not None and ref is not None:
            rows_of_gaps += gap_rows(df, c, cand_group, ref, confidence)
    gaps = None
    if cand_group is not None and ref is not None:
        gaps = finish_gaps(rows_of_gaps, GAP_COLUMNS, adjust, alpha)
    table = review_columns(pd.DataFrame(rel_rows), gaps)[list(RELIABILITY_COLUMNS)]
    params = {
        "candidate": candidate, "rater": rater, "criteria": crits,
        "candidate_group": candidate_group, "level": level, "reference": reference,
        "alpha": alpha, "confidence": confidence, "adjust": adjust,
        "unknown_labels": list(unknown_labels),
        # only when given: the reports of numeric rubrics (and their params) stay as they were
        **({} if order is None else {"order": list(order)}),
    }
    return RubricConsistencyResult(
        table=table, gaps=gaps, criteria=tuple(crits), level=level,
        candidate_column=candidate, rater_column=rater, group_column=candidate_group,
        reference_group=ref, alpha=alpha,
        fingerprint=_fingerprint(df[["_c", "_r", *crits]], cand_group),
        warnings=tuple(warnings), rows=read.rows, params=params,
    )


def _fingerprint(scores: pd.DataFrame, cand_group: pd.Series | None) -> str:
    """The scores read and, with ``candidate_group=``, each candidate's group."""
    read = fingerprint_frame(scores)
    if cand_group is None:
        return read
    groups = pd.DataFrame({"_c": cand_group.index.to_numpy(), "_g": cand_group.to_numpy()})
    return combine_fingerprints(read, fingerprint_frame(groups))


def _check(data: Any, *, level: str, alpha: float, confidence: float, candidate: str,
           rater: str, criteria: str | Sequence[str], candidate_group: str | None,
           ) -> tuple[Frame, list[str], list[str]]:
    """Check every option once, at the boundary; return the frame, the criteria and the
    identifier columns."""
    check_choice(level, "measurement", list(LEVELS))
    check_alpha(alpha)
    check_confidence(confidence)
    crits = as_columns(criteria, argument="criteria")
    if not crits:
        raise InvalidParameterError("criteria= must name at least one score column.")
    frame = to_narwhals(data)
    require_columns(frame, candidate=candidate, rater=rater, criteria=crits,
                    candidate_group=candidate_group)
    frame = numbers_from_objects(frame, crits)  # labels are read by label_points
    ids = [candidate, rater, *([candidate_group] if candidate_group else [])]
    clash = set(ids) & set(crits)
    if len(set(ids)) != len(ids) or clash:
        raise InvalidParameterError(
            "candidate=, rater=, candidate_group= and the criteria must be different columns"
            + (f"; {sorted(clash)!r} is used twice." if clash else ".")
        )
    return frame, crits, ids
