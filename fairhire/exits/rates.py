"""Exit rates by group: who leaves, for which kind of reason, and is it a disparity?

One group-by in the data's engine counts employees and exits per (group, exit type, level,
period); the comparisons then run on that small table: each group's exit rate against the
reference group (the lowest exit rate among groups large enough), for all exits and for
voluntary and involuntary exits separately; the impact ratio on staying (UGESP's favourable
outcome), Fisher and Z tests, shortfalls, the one-person rule; Mantel–Haenszel within levels
and periods; and a logistic regression with controls (which collects the columns it uses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.labels import as_labels
from .._core.options import Options, check_options, option_params
from .._core.params import check_bool, check_choice
from .._core.reference_rows import explains_reference
from .._core.strata import missing_strata_warnings, stratum_label
from .._core.text import format_ratio, p_text, threshold_rule
from .._frames import (
    as_columns,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, RowAccount, by_severity, result_dataclass, table_text
from ..errors import InsufficientDataError, InvalidValueError, preview
from ._compare import OPTIONS, compare_groups, finish, rate_sentence, stratified
from ._counts import (
    EVENT,
    INVOLUNTARY,
    LABEL,
    MISSING,
    VOLUNTARY,
    ExitKinds,
    check_roles,
    read_counts,
)
from ._counts import N as _N
from ._model import logit_by_kind
from ._sums import CountSum, kind_sums

__all__ = ["RetentionResult", "retention"]

RENAME = {"events": "exits", "event_rate": "exit_rate", "event_rate_ci_low": "exit_rate_ci_low",
          "event_rate_ci_high": "exit_rate_ci_high", "rate_ratio": "exit_rate_ratio",
          "rate_ratio_ci_low": "exit_rate_ratio_ci_low",
          "rate_ratio_ci_high": "exit_rate_ratio_ci_high"}
VERBS = {"all": "left", "voluntary": "left voluntarily", "involuntary": "left involuntarily"}


@result_dataclass
class RetentionResult(Result):
    """Exit rates by group, for all exits and by kind, with the comparisons UGESP asks for.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (``kind``, ``group``); ``kind`` is "all", "voluntary" or "involuntary".
        ``headcount``, ``exits``, ``exit_rate`` (with a Wilson CI, ``exit_rate_ci_low`` /
        ``_high``), ``stayed`` and ``retention_rate``; ``reference_group`` (the lowest exit
        rate among groups large enough), ``is_reference``, ``too_small_for_reference``;
        ``exit_rate_ratio`` against the reference with its log CI; the ``impact_ratio`` of
        retention rates with ``ci_low``/``ci_high`` and ``adverse_impact`` (below
        four-fifths, compared exactly); ``z``/``p_value_z`` (negative z: the group stays less),
        ``p_value_fisher``, ``p_value_adjusted`` (over every comparison), ``significant``;
        ``shortfall`` (exits above parity with the reference rate),
        ``shortfall_four_fifths``, ``flips_with_one``, ``small_sample``; ``flagged`` (below
        four-fifths, or a significantly higher exit rate).
    strata : pandas.DataFrame or None
        With ``level=``/``period=``: the Mantel–Haenszel odds ratio of *exit* (group vs
        reference) across strata per kind, CMH and Breslow–Day tests and ``reversal``.
    regression : pandas.DataFrame or None
        Logistic regressions of exit (per kind) on group, strata and ``controls``.
    unknown : pandas.DataFrame
        Employees and exits whose group is missing or unknown (counted, not compared).
    exit_types : pandas.DataFrame
        Each exit-type label, the kind it was read as, and its exits.
    """

    table: pd.DataFrame
    strata: pd.DataFrame | None
    regression: pd.DataFrame | None
    regression_n: int
    unknown: pd.DataFrame
    exit_types: pd.DataFrame | None
    group_columns: tuple[str, ...]
    kinds: tuple[str, ...]
    level: str | None
    period: str | None
    controls: tuple[str, ...]
    threshold: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "retention"
    flag_column: ClassVar[str | None] = "flagged"
    count_columns: ClassVar[frozenset[str]] = frozenset({"exits", "headcount", "stayed"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "ci_high", "ci_low", "exit_rate", "exit_rate_ci_high", "exit_rate_ci_low",
        "exit_rate_ratio", "exit_rate_ratio_ci_high", "exit_rate_ratio_ci_low", "impact_ratio",
        "retention_rate", "shortfall", "shortfall_four_fifths",
    })

    @property
    def reference_group(self) -> str | None:
        """The reference group for all exits."""
        # the chosen one, not the first of the groups tied with it (each marked is_reference)
        ref = self.table.loc[self.table["kind"] == "all", "reference_group"].dropna()
        return str(ref.iloc[0]) if len(ref) else None

    def count_sums(self) -> list[CountSum]:
        """Counts that add up to another one shown (for ``min_cell``, see :mod:`._sums`)."""
        return kind_sums(self.table)

    def _repr_headline(self) -> str:
        return (f"{self.table['group'].nunique()} groups, {len(self.kinds)} kinds of exit, "
                f"{len(self.flagged)} flagged")

    def headlines(self) -> list[Headline]:
        """Plain-language findings, most serious first."""
        out: list[Headline] = []
        for row in self.flagged.itertuples(index=False):
            ref_rate = self._rate(row.kind, row.reference_group)
            text = rate_sentence(
                subject=f"{row.group} employees", verb=VERBS[row.kind],
                ratio=row.exit_rate_ratio, rate=row.exit_rate,
                reference=f"{row.reference_group} employees", ref_rate=ref_rate,
                p_value=row.p_value_fisher, excess=row.shortfall, alpha=self.alpha)
            severe = bool(row.significant) and not row.flips_with_one
            if row.adverse_impact:
                text += (": a retention impact ratio of "
                         f"{format_ratio(row.impact_ratio, self.threshold)}, evidence of "
                         f"adverse impact under {threshold_rule(self.threshold)}")
            if row.flips_with_one:
                text += "; one person staying would change the result"
            elif not row.significant:
                text += "; not statistically significant" + (
                    " after adjusting for the number of comparisons"
                    if row.p_value_fisher < self.alpha else "")
            out.append(Headline(severity=3 if severe else 2, text=text + ".",
                                figure=row.exit_rate_ratio, section=row.kind))
        out.extend(self._strata_headlines())
        return by_severity(out)

    def _rate(self, kind: str, group: Any) -> float:
        hit = self.table.loc[(self.table["kind"] == kind) & (self.table["group"] == group)]
        return float(hit["exit_rate"].iloc[0]) if len(hit) else float("nan")

    def _strata_headlines(self) -> list[Headline]:
        out: list[Headline] = []
        if self.strata is None:
            return out
        where = " and ".join(c for c in (self.level, self.period) if c)
        for row in self.strata.itertuples(index=False):
            if row.cmh_p_value < self.alpha and row.mh_odds_ratio > 1:
                size = self.table.loc[(self.table["kind"] == row.kind)
                                      & (self.table["group"] == row.group), "headcount"]
                large = bool(len(size)) and int(size.iloc[0]) >= int(self.params.get("min_n", 30))
                out.append(Headline(
                    severity=3 if large else 2, figure=row.mh_odds_ratio, section=row.kind,
                    text=f"Comparing like with like within {where}, {row.group} employees had "
                    f"{format_ratio(row.mh_odds_ratio, None)} times the odds of "
                    f"{'leaving' if row.kind == 'all' else row.kind + ' exit'} of "
                    f"{row.reference_group} employees (Mantel–Haenszel; "
                    f"{p_text(row.cmh_p_value, 'stratified test p', alpha=self.alpha)}).",
                ))
            if row.reversal:
                out.append(Headline(
                    severity=2, figure=row.mh_odds_ratio, section=row.kind,
                    text=f"The comparison of {row.group} with {row.reference_group} employees "
                    f"reverses within {where} (Simpson's paradox): judge it within them.",
                ))
        return out

    def summary(self) -> str:
        lines = [f"Retention by {' × '.join(self.group_columns)}"]
        lines.extend(self._rows_text())
        cols = ["kind", "group", "headcount", "exits", "exit_rate", "exit_rate_ratio",
                "impact_ratio", "p_value_fisher", "shortfall", "flagged"]
        lines.append(table_text(self.table[cols]))
        if self.strata is not None and len(self.strata):
            lines.append("Mantel–Haenszel odds ratio of exit within strata:")
            s = self.strata[["kind", "group", "n_strata", "mh_odds_ratio", "mh_ci_low",
                             "mh_ci_high", "cmh_p_value", "reversal"]]
            lines.append(table_text(s))
        if self.regression is not None and len(self.regression):
            lines.append(f"Logistic regression of exit (n = {self.regression_n:,}):")
            r = self.regression.loc[self.regression["is_group"],
                                    ["kind", "group", "odds_ratio", "ci_low", "ci_high",
                                     "p_value"]]
            lines.append(table_text(r))
        return self._summary_text(lines)


@explains_reference()
def retention(
    data: Any,
    *,
    group: str | Sequence[str],
    exited: str,
    exit_type: str | None = None,
    level: str | None = None,
    period: str | None = None,
    controls: str | Sequence[str] = (),
    reference: Any = None,
    voluntary: Sequence[str] = VOLUNTARY,
    involuntary: Sequence[str] = INVOLUNTARY,
    threshold: Any = 0.8,
    alternative: str = "two-sided",
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_n: int = 30,
    unknown_labels: Sequence[Any] = (),
    on_inconsistent: str = "raise",
    regression: bool = True,
    id: str | None = None,
) -> RetentionResult:
    """Compare exit rates between groups: all exits, voluntary and involuntary.

    UGESP (29 CFR 1607.4(D), 1607.16(Q)) treats terminations as employment decisions, so the
    four-fifths rule applies to the rate of the favourable outcome, *staying*: a group whose
    retention rate is below four-fifths of the reference group's is flagged. Each group's exit
    rate is also compared as a ratio (what readers grasp: "left at 1.4 times the rate"), with
    Fisher's exact and the two-proportion Z test (Holm-adjusted over all comparisons), the
    exits above parity and the one-person rule. The reference group is the lowest exit rate
    among groups with at least ``min_n`` people and 2% of the total (the shared rule), unless
    ``reference=`` names one. Counts come from one group-by in the data's own engine.

    Parameters
    ----------
    data : DataFrame
        One row per employee at risk of leaving over the period (pandas, polars, pyarrow,
        DuckDB ...). Never modified.
    group : str or list of str
        Group column, or several for intersectional groups.
    exited : str
        Yes/no column: the employee left during the period (any yes/no spelling; blanks are
        counted as missing and excluded).
    exit_type : str, optional
        The reason for leaving. Labels in ``voluntary=`` are voluntary exits, labels in
        ``involuntary=`` involuntary ones (compared ignoring case and spaces); any other label
        (e.g. "retirement") is counted and named as "other". Without it only all exits are
        compared.
    level, period : str, optional
        Strata (job level; year or quarter): adds the Mantel–Haenszel comparison within them.
    controls : str or list of str
        Further controls of the logistic regression (numeric, or text as indicators).
    reference : optional
        A fixed reference group (its label).
    voluntary, involuntary : sequence of str
        Exit-type labels that count as voluntary / involuntary.
    threshold, alternative, adjust, alpha, confidence, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact`; ``alternative="less"`` tests whether a group
        *stays* less often.
    on_inconsistent : {"raise", "exclude"}
        What to do with rows that have an exit type but did not leave.
    regression : bool, default True
        Fit the logistic regressions (they collect the columns they use).
    id : str, optional
        Employee id column. With it, an id on two rows (a rehire's two employment spells, a
        row duplicated by a join) is an error naming the ids and the fix: each person must
        be counted once. Rows with a blank ``exited`` (excluded anyway) and blank ids are not
        compared. Without it the rows are not checked.

    Returns
    -------
    RetentionResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        ``exited`` holds values that are not yes/no; an exit type on someone who stayed
        (with ``on_inconsistent="raise"``); an ``id`` on more than one row.
    InsufficientDataError
        No rows, or fewer than two groups with a known group.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0, exits=True)
    >>> ret = fh.retention(staff, group="sex", exited="exited", exit_type="exit_type",
    ...                    regression=False)
    >>> vol = ret.table[ret.table.kind == "voluntary"].set_index("group")
    >>> vol[["headcount", "exits", "exit_rate", "exit_rate_ratio"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
                headcount  exits  exit_rate  exit_rate_ratio
    group
    Female            973    258      0.265            1.262
    Male              985    207      0.210            1.000
    Non-binary         21      4      0.190            0.906
    """
    group_cols = check_roles(group, exited=exited, exit_type=exit_type, level=level,
                             period=period, id=id)
    control_cols = as_columns(controls, argument="controls")
    options = check_options(threshold=threshold, alternative=alternative, adjust=adjust,
                            alpha=alpha, confidence=confidence, min_n=min_n)
    on_inconsistent = check_choice(on_inconsistent, "on_inconsistent", ["raise", "exclude"])
    regression = check_bool(regression, "regression")
    kinds = ExitKinds.from_options(voluntary, involuntary)
    strata_cols = [c for c in (level, period) if c is not None]
    keys = [c for c in (exit_type, *strata_cols) if c is not None]
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, exited=exited, exit_type=exit_type, level=level,
                    period=period, controls=control_cols, id=id)
    frame = numbers_from_objects(frame, control_cols)
    counts = read_counts(frame, group_cols=group_cols, flag=exited, argument="exited",
                         keys=keys, unknown_labels=unknown_labels, strata=strata_cols,
                         ids=id, analysis="retention")
    cells, account, warnings, kinds = _cells(counts, exited=exited, exit_type=exit_type,
                                             strata_cols=strata_cols, kinds=kinds,
                                             on_inconsistent=on_inconsistent)
    kind_list = ("all", "voluntary", "involuntary") if exit_type else ("all",)
    table = _compare_kinds(cells, kind_list, options, reference, warnings)
    strata = _strata(cells, table, options) if strata_cols else None
    reg, reg_n = (None, 0)
    if regression:
        reg, reg_n = logit_by_kind(
            frame, counts=counts, exited=exited, exit_type=exit_type, kinds=kinds,
            kind_list=kind_list, table=table, strata_cols=strata_cols, controls=control_cols,
            confidence=options.confidence, warnings=warnings,
        )
    unknown = cells.loc[cells[LABEL].isna()]
    unknown = pd.DataFrame({"headcount": [int(unknown["headcount"].sum())],
                            "exits": [int(unknown["exits_all"].sum())]})
    params = {
        "group": group_cols, "exited": exited, "exit_type": exit_type, "level": level,
        "period": period, "controls": control_cols, "reference": reference,
        "voluntary": sorted(kinds.voluntary), "involuntary": sorted(kinds.involuntary),
        **option_params(options, OPTIONS), "unknown_labels": list(as_labels(unknown_labels)),
        "on_inconsistent": on_inconsistent, "regression": regression,
    }
    exit_types = None
    if exit_type is not None:
        exit_types = _exit_type_table(counts, exit_type, kinds)
    return RetentionResult(
        table=table, strata=strata, regression=reg, regression_n=reg_n, unknown=unknown,
        exit_types=exit_types, group_columns=tuple(group_cols), kinds=kind_list, level=level,
        period=period, controls=tuple(control_cols), threshold=float(options.threshold),
        alpha=options.alpha, fingerprint=fingerprint_frame(cells),
        warnings=tuple(dict.fromkeys(warnings)), rows=account, params=params,
    )


def _cells(counts: Any, *, exited: str, exit_type: str | None, strata_cols: list[str],
           kinds: ExitKinds, on_inconsistent: str) -> tuple:
    """Headcount and exits by kind per (group label, stratum), with the row account."""
    t, excluded, warnings = counts.known(exited)
    event = t[EVENT].astype(bool)
    kind = pd.Series("all", index=t.index, dtype=object)
    if exit_type is not None:
        raw = t[counts.keys[exit_type]]
        kinds = kinds.with_other(raw[event], t.loc[event, _N])
        kind = raw.map(kinds.kind).astype(object)
        stray = ~event & kind.notna()
        if stray.any():
            n_stray = int(t.loc[stray, _N].sum())
            values = sorted({" ".join(str(v).split()) for v in raw[stray]})
            if on_inconsistent == "raise":
                raise InvalidValueError(
                    f"column {exit_type!r} (exit_type) holds {preview(values)} for {n_stray:,} "
                    f"rows whose {exited!r} says they did not leave. Leave the exit type empty "
                    "for employees who stayed, correct the exit flag, or pass "
                    "on_inconsistent='exclude' to leave those rows out (counted)."
                )
            excluded["exit type without exit"] = n_stray
            warnings.append(f"{n_stray:,} rows have an exit type ({preview(values)}) but did "
                            "not leave: excluded and counted.")
            t, event, kind = t.loc[~stray], event[~stray], kind[~stray]
        _type_warnings(t, event, kind, kinds, warnings)
    unknown = t[LABEL].isna()
    if unknown.any():
        excluded["missing group"] = int(t.loc[unknown, _N].sum())
        warnings.append(f"{excluded['missing group']:,} employees have a missing or unknown "
                        "group: counted in the unknown table, not compared.")
    known = t.loc[t[LABEL].notna()]
    warnings += missing_strata_warnings(known, {counts.keys[c]: c for c in strata_cols}, _N)
    stratum = _stratum(t, [counts.keys[c] for c in strata_cols])
    frame = pd.DataFrame({
        LABEL: t[LABEL], "stratum": stratum, "headcount": t[_N],
        "exits_all": np.where(event, t[_N], 0),
        "exits_voluntary": np.where(event & (kind == "voluntary"), t[_N], 0),
        "exits_involuntary": np.where(event & (kind == "involuntary"), t[_N], 0),
    })
    cells = (frame.groupby([LABEL, "stratum"], dropna=False, sort=True)
             .sum().reset_index())
    total_used = int(cells.loc[cells[LABEL].notna(), "headcount"].sum())
    account = RowAccount(total=counts.total, used=total_used, excluded=excluded)
    if cells[LABEL].dropna().nunique() < 2:
        raise InsufficientDataError(
            f"fewer than two groups with a known {' or '.join(map(repr, counts.group_columns))}:"
            " retention compares groups, so at least two are needed."
        )
    return cells, account, warnings, kinds


def _type_warnings(t: pd.DataFrame, event: pd.Series, kind: pd.Series, kinds: ExitKinds,
                   warnings: list[str]) -> None:
    if kinds.other:
        shown = ", ".join(f"{k!r} ({v:,})" for k, v in kinds.other.items())
        warnings.append(
            f"{sum(kinds.other.values()):,} exits have an exit type that is neither voluntary "
            f"nor involuntary: {shown}. They count among all exits only; list them in "
            "voluntary= or involuntary= to count them there."
        )
    no_type = event & kind.isna()
    if no_type.any():
        warnings.append(
            f"{int(t.loc[no_type, _N].sum()):,} exits have no exit type: they count among all "
            "exits, in neither the voluntary nor the involuntary rates (which may be "
            "understated)."
        )


def _stratum(t: pd.DataFrame, cols: list[str]) -> pd.Series:
    if not cols:
        return pd.Series("all", index=t.index, dtype=object)
    rows = t[cols].astype(object).itertuples(index=False, name=None)
    return pd.Series([stratum_label(r) for r in rows], index=t.index, dtype=object)


def _compare_kinds(cells: pd.DataFrame, kind_list: Sequence[str], options: Options,
                   reference: Any, warnings: list[str]) -> pd.DataFrame:
    known = cells.loc[cells[LABEL].notna()]
    by_group = known.groupby(LABEL, sort=False).sum(numeric_only=True)
    from .._core.groups import sort_key

    labels = sorted(by_group.index.tolist(), key=sort_key)
    by_group = by_group.loc[labels]
    parts = []
    for kind in kind_list:
        events = by_group[f"exits_{kind}"].to_numpy()
        rows, choice = compare_groups(labels, by_group["headcount"].to_numpy(), events,
                                      options=options, reference=reference)
        if choice.warning:
            warnings.append(f"{kind} exits: {choice.warning}")
        small = [lab for i, lab in enumerate(labels) if choice.too_small(i)]
        if small and kind == "all":
            warnings.append(f"{', '.join(map(str, small))}: fewer than {options.min_n} employees or under "
                            "2% of the total, too small to be the reference (still compared).")
        if int(events.sum()) == 0:
            warnings.append(f"no {kind} exits: nothing to compare for them.")
        parts.append(rows.assign(kind=kind))
    table = finish(pd.concat(parts, ignore_index=True), options).rename(columns=RENAME)
    return table[["kind", *[c for c in table.columns if c != "kind"]]]


def _strata(cells: pd.DataFrame, table: pd.DataFrame, options: Options) -> pd.DataFrame:
    known = cells.loc[cells[LABEL].notna()]
    rows = []
    for kind in table["kind"].unique():
        sub = table.loc[table["kind"] == kind]
        ref = sub.loc[sub["group"] == sub["reference_group"], "group"]
        if not len(ref):
            continue
        data = known.rename(columns={f"exits_{kind}": "events"})[
            [LABEL, "stratum", "headcount", "events"]]
        for g in sub.loc[~sub["is_reference"], "group"]:
            row = stratified(data, label=LABEL, stratum="stratum", focal=g,
                             reference=str(ref.iloc[0]), confidence=options.confidence,
                             alpha=options.alpha)
            rows.append({"kind": kind, **row})
    from ._compare import STRATA_COLUMNS

    return pd.DataFrame(rows, columns=["kind", *STRATA_COLUMNS])


def _exit_type_table(counts: Any, exit_type: str, kinds: ExitKinds) -> pd.DataFrame:
    t = counts.table
    t = t.loc[t[EVENT].astype(bool) & ~t[MISSING].astype(bool)]
    raw = t[counts.keys[exit_type]].map(
        lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
        else " ".join(str(v).split()))
    out = (pd.DataFrame({"exit_type": raw.fillna("(missing)"), "exits": t[_N]})
           .groupby("exit_type", sort=True).sum().reset_index())
    out.insert(1, "kind", [kinds.kind(v) if v != "(missing)" else "unknown"
                           for v in out["exit_type"]])
    return out
