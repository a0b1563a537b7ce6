"""Promotion rates by group: the adverse-impact machinery with "promoted" as the selection.

One group-by in the caller's engine counts employees and promotions per (group, level, period)
with the shared core's rules (yes/no flags, label cleaning, internal column names); the
reference group is the core's (highest promotion rate among groups of ``min_n`` or more, in
each stratum too); the adverse-impact engine (:func:`fairhire.adverse_impact_from_counts`) then
does the four-fifths comparison, Z and Fisher tests, practical significance and — with levels
and/or periods as strata — Mantel–Haenszel. The logistic regression, which needs one row per
employee, collects only the columns it uses to pandas and is fitted by
:func:`fairhire.stats.regression.fit_logit`.

Flow: count (``_rates_steps.count_cells``) → reference → compare overall and within strata →
logit → result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar

import pandas as pd

from .._core.labels import NON_DISCLOSURE_NOTE, as_labels
from .._core.params import check_alpha, check_bool, check_confidence, check_min_n
from .._core.reference_rows import explains_reference
from .._core.text import format_number, format_ratio, p_text, threshold_line, threshold_rule
from .._frames import (
    as_columns,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, RowAccount, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError
from ._rates_steps import (
    STAGE,
    by_stratum,
    count_cells,
    employees,
    logit,
    mark_tied,
    reference_of,
)

__all__ = ["PromotionDisparityResult", "promotion_disparity"]

@result_dataclass
class PromotionDisparityResult(Result):
    """Promotion rates by group with the four-fifths rule, stratified tests and a logit model.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group over everyone (the adverse-impact table: ``stage, basis, group,
        applicants, selected, selection_rate, reference_group, is_reference, impact_ratio,
        adverse_impact, z, p_value_z, p_value_fisher, p_value_adjusted, significant, ...,
        shortfall, shortfall_four_fifths, flips_with_one, small_sample, excluded``), where
        ``applicants`` are employees eligible for promotion and ``selected`` those promoted.
    by_stratum : pandas.DataFrame or None
        With ``level=`` and/or ``period=``: the same comparison within each stratum (column
        ``stratum``, plus the level/period values), p-values adjusted over all strata.
    strata : pandas.DataFrame or None
        Mantel–Haenszel odds ratio of promotion (group vs reference) across strata with its CI,
        CMH tests and the Breslow–Day test of homogeneity, and ``reversal`` (Simpson's paradox).
    regression : pandas.DataFrame or None
        Logistic regression of promotion on group (reference: ``reference_group``), level and
        period fixed effects and the controls: ``term, group, is_group, coef, se, odds_ratio,
        ci_low, ci_high, p_value`` (Wald).
    regression_n : int
        Employees in the regression (rows with a missing control are left out and counted in
        :attr:`warnings`).
    unknown : pandas.DataFrame
        Employees and promotions whose group was missing (counted, not compared).
    reference_group : str or None
        The comparison group (highest promotion rate, unless ``reference=`` was given).
    """

    table: pd.DataFrame
    by_stratum: pd.DataFrame | None
    strata: pd.DataFrame | None
    regression: pd.DataFrame | None
    regression_n: int
    unknown: pd.DataFrame
    group_columns: tuple[str, ...]
    level: str | None
    period: str | None
    controls: tuple[str, ...]
    reference_group: str | None
    threshold: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "promotion disparity"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "applicants", "employees", "promoted", "selected",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "odds_ratio_adjusted", "shortfall_four_fifths",
    })
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell).

    flag_column: ClassVar[str] = "adverse_impact"

    def _repr_headline(self) -> str:
        return f"{len(self.table)} groups, {len(self.flagged)} flagged"

    def to_frame(self) -> pd.DataFrame:
        """The per-group promotion table (a copy), with the regression odds ratio joined."""
        out = self.table.copy()
        if self.regression is not None:
            reg = self.regression.loc[self.regression["is_group"]]
            ors = dict(zip(reg["group"], reg["odds_ratio"], strict=True))
            lo = dict(zip(reg["group"], reg["ci_low"], strict=True))
            hi = dict(zip(reg["group"], reg["ci_high"], strict=True))
            pv = dict(zip(reg["group"], reg["p_value"], strict=True))
            out["odds_ratio_adjusted"] = out["group"].map(ors)
            out["odds_ratio_ci_low"] = out["group"].map(lo)
            out["odds_ratio_ci_high"] = out["group"].map(hi)
            out["p_value_regression"] = out["group"].map(pv)
            ref = out["group"] == self.reference_group
            out.loc[ref, "odds_ratio_adjusted"] = 1.0
        return out

    @property
    def flagged(self) -> pd.DataFrame:
        """Groups below four-fifths overall (evidence of adverse impact under the rule)."""
        return self.table.loc[self.table["adverse_impact"]].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        """Plain-language findings, most serious first."""
        out = [*self._rate_headlines(), *self._strata_headlines(),
               *self._regression_headlines()]
        return by_severity(out)

    def _rate_headlines(self) -> list[Headline]:
        """The four-fifths comparison over everyone."""
        out: list[Headline] = []
        line, rule = threshold_line(self.threshold), threshold_rule(self.threshold)
        for row in self.table.itertuples(index=False):
            if row.is_reference or row.excluded or math.isnan(row.impact_ratio):
                continue
            base = (
                f"{row.group} employees were promoted at "
                f"{format_ratio(row.impact_ratio, self.threshold)} times "
                f"the rate of {row.reference_group} ({row.selection_rate:.1%}; Fisher "
                f"{p_text(row.p_value_fisher)})"
            )
            if row.adverse_impact:
                severe = bool(row.significant) and not row.flips_with_one
                extra = ""
                if row.flips_with_one:
                    extra = "; one promotion would change the result"
                elif row.small_sample:
                    extra = "; small sample"
                text = (
                    f"{base}: evidence of adverse impact under {rule}{extra}."
                    if severe
                    else f"{base}: below {line}, not statistically significant{extra}."
                )
                out.append(Headline(severity=3 if severe else 2, text=text,
                                    figure=row.impact_ratio, section=self.kind))
            elif row.significant and row.impact_ratio < 1:
                out.append(Headline(
                    severity=2,
                    text=f"{base}: above {line}, but the difference is statistically "
                    "significant.",
                    figure=row.impact_ratio, section=self.kind,
                ))
        return out

    def _strata_headlines(self) -> list[Headline]:
        """Within each stratum, and Mantel–Haenszel across strata."""
        out: list[Headline] = []
        if self.by_stratum is not None:
            sub = self.by_stratum
            hit = sub.loc[sub["adverse_impact"] & sub["significant"] & ~sub["flips_with_one"]]
            for row in hit.itertuples(index=False):
                out.append(Headline(
                    severity=3,
                    text=f"Within {row.stratum}, {row.group} employees were promoted at "
                    f"{format_ratio(row.impact_ratio, self.threshold)} times the rate of "
                    f"{row.reference_group} (adjusted {p_text(row.p_value_adjusted)}): evidence "
                    f"of adverse impact under {threshold_rule(self.threshold)}.",
                    figure=row.impact_ratio, section=self.kind,
                ))
        if self.strata is None:
            return out
        for row in self.strata.itertuples(index=False):
            if row.cmh_p_value < self.alpha and 0 < row.mh_odds_ratio < 1:
                out.append(Headline(
                    severity=3,
                    text=f"Comparing like with like within {self._strata_name()}, "
                    f"{row.group} employees had {row.mh_odds_ratio:.2f} times the odds of "
                    f"promotion of {row.reference_group} (Mantel–Haenszel, 95% CI "
                    f"{format_number(row.mh_ci_low)}–{format_number(row.mh_ci_high)}; "
                    f"{p_text(row.cmh_p_value, 'stratified test p')}).",
                    figure=row.mh_odds_ratio, section=self.kind,
                ))
            if row.reversal:
                out.append(Headline(
                    severity=2,
                    text=f"The aggregate promotion comparison of {row.group} with "
                    f"{row.reference_group} reverses within {self._strata_name()} "
                    "(Simpson's paradox): judge it within strata.",
                    figure=row.mh_odds_ratio, section=self.kind,
                ))
        return out

    def _regression_headlines(self) -> list[Headline]:
        out: list[Headline] = []
        if self.regression is None:
            return out
        reg = self.regression.loc[self.regression["is_group"]]
        for row in reg.itertuples(index=False):
            if row.p_value < self.alpha and row.odds_ratio < 1:
                ctrl = ", ".join(self._regression_controls()) or "nothing else"
                out.append(Headline(
                    severity=3,
                    text=f"Controlling for {ctrl}, {row.group} employees had "
                    f"{row.odds_ratio:.2f} times the odds of promotion of "
                    f"{self.reference_group} (95% CI {format_number(row.ci_low)}–"
                    f"{format_number(row.ci_high)}; {p_text(row.p_value)}).",
                    figure=row.odds_ratio, section=self.kind,
                ))
        return out

    def _strata_name(self) -> str:
        parts = [p for p in (self.level, self.period) if p]
        return " and ".join(f"{p}" for p in parts) or "strata"

    def _regression_controls(self) -> list[str]:
        return [c for c in (self.level, self.period, *self.controls) if c]

    def summary(self) -> str:
        """Plain-text summary of rates, stratified tests and the regression."""
        lines = [f"Promotion rates by {' × '.join(self.group_columns)}"]
        lines.extend(self._rows_text())
        cols = ["group", "applicants", "selected", "selection_rate", "impact_ratio",
                "adverse_impact", "p_value_fisher", "shortfall", "flips_with_one",
                "small_sample"]
        view = self.table[cols].rename(columns={"applicants": "employees", "selected": "promoted"})
        lines.append(table_text(view))
        if self.strata is not None and len(self.strata):
            lines.append(f"Within {self._strata_name()} (Mantel–Haenszel):")
            s = self.strata[["group", "n_strata", "mh_odds_ratio", "mh_ci_low", "mh_ci_high",
                             "cmh_p_value", "breslow_day_p_value", "reversal"]]
            lines.append(table_text(s))
        if self.regression is not None:
            lines.append(
                f"Logistic regression (n = {self.regression_n:,}; controls: "
                f"{', '.join(self._regression_controls()) or 'none'}):"
            )
            r = self.regression.loc[
                self.regression["is_group"], ["group", "odds_ratio", "ci_low", "ci_high", "p_value"]
            ]
            lines.append(table_text(r))
        return self._summary_text(lines)


@explains_reference()
def promotion_disparity(
    data: Any,
    *,
    group: str | Sequence[str],
    promoted: str,
    level: str | None = None,
    period: str | None = None,
    controls: str | Sequence[str] = (),
    reference: object | None = None,
    threshold: float | Fraction | str = 0.8,
    alternative: str = "two-sided",
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_share: float | None = None,
    min_n: int = 30,
    regression: bool = True,
    unknown_labels: Sequence[object] = (),
    id: str | None = None,
) -> PromotionDisparityResult:
    """Compare promotion rates between groups, within levels and periods, and with controls.

    Three views of the same question — are some groups promoted less often?

    1. **Rates** over everyone: the adverse-impact engine with "promoted" as the selection
       (exact four-fifths rule against the reference group — the highest promotion rate
       among groups of at least ``min_n`` people and 2% of employees, ties to the largest —
       pooled Z, Fisher's
       exact test with Holm-adjusted p-values, the one-person rule, shortfalls and a
       small-sample flag).
    2. **Within strata** (``level=`` and/or ``period=``; both together form one stratum, e.g.
       "L2 · 2024"): the same comparison inside each stratum (each with its own reference by
       the same rule, so a 3-person group never becomes a level's reference), and the Mantel–Haenszel common
       odds ratio with the CMH and Breslow–Day tests, which compare like with like (a group
       concentrated at levels where promotion is rarer is not penalised for it).
    3. **Logistic regression** of promotion on group with level and period fixed effects and
       the ``controls`` (e.g. tenure, performance rating): odds ratio of each group against the
       reference, with Wald CI. This step collects the columns it needs to pandas.

    Parameters
    ----------
    data : DataFrame
        One row per employee eligible for promotion (pandas, polars, pyarrow, DuckDB ...).
        Never modified.
    group : str or list of str
        Group column, or several for intersectional groups (``["sex", "race"]``).
    promoted : str
        Yes/no column (True/False, 1/0, yes/no ...): promoted in the period. Blank values are
        missing: excluded and counted.
    level, period : str, optional
        Stratum columns (job level; review period or year).
    controls : str or list of str
        Further regression controls. Numeric columns enter linearly; text/categorical columns
        as indicators. Note that a control that is itself affected by bias (a performance
        rating, say) can hide part of a disparity.
    reference, threshold, alternative, adjust, alpha, confidence, min_share, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact`.
    regression : bool, default True
        Fit the logistic regression.
    id : str, optional
        Employee id column. With it, an id on two rows (a rehire's two employment spells, a
        row duplicated by a join) is an error naming the ids and the fix: each person must be
        counted once. Rows with a blank ``promoted`` (excluded anyway) and blank ids are not
        compared. Without it the rows are not checked.

    Returns
    -------
    PromotionDisparityResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        ``promoted`` holds values that are not yes/no; an ``id`` on more than one row.
    InsufficientDataError
        No rows, or fewer than two groups with a known value.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0)
    >>> pr = fh.promotion_disparity(staff, group="sex", promoted="promoted", level="level",
    ...                             min_share=0.02)
    >>> pr.table[["group", "applicants", "selected", "impact_ratio"]].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
            group  applicants  selected  impact_ratio
    0      Female         973       213          0.91
    1        Male         985       237          1.00
    2  Non-binary          21         4           NaN
    >>> round(float(pr.strata.loc[0, "mh_odds_ratio"]), 2)
    0.82
    """
    group_cols = as_columns(group, argument="group")
    control_cols = as_columns(controls, argument="controls")
    strata = _check(group_cols, promoted, level, period, alpha=alpha, confidence=confidence,
                    min_n=min_n, regression=regression, id=id)
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, promoted=promoted, level=level, period=period,
                    controls=control_cols, id=id)
    frame = numbers_from_objects(frame, control_cols)
    unknown_labels = as_labels(unknown_labels)
    cells = count_cells(frame, group_cols, promoted, strata, unknown_labels, ids=id)
    warnings = list(cells.warnings)
    options = dict(threshold=threshold, alternative=alternative, adjust=adjust, alpha=alpha,
                   confidence=confidence, min_share=min_share, min_n=min_n)
    choice = reference_of(cells.table, reference, min_n, warnings, min_share=min_share)
    reference_group = choice.label
    overall, unknown = _overall(cells.table, group_cols, strata, options, reference_group,
                                warnings)
    stratum_table = (by_stratum(cells.table, strata, options, reference, warnings)
                     if strata else None)
    reg_table, reg_n = (None, 0)
    if regression:
        reg_table, reg_n = logit(frame, group_cols=group_cols, promoted=promoted, strata=strata,
                                 controls=control_cols, reference_group=reference_group,
                                 confidence=confidence, warnings=warnings,
                                 unknown_labels=unknown_labels)
    n_unknown = int(unknown["employees"].sum())
    excluded = {k: v for k, v in ((f"missing {promoted}", cells.missing_outcome),
                                  ("missing group", n_unknown)) if v}
    rows = RowAccount.of(cells.total, excluded)
    params = {
        "group": group_cols, "promoted": promoted, "level": level, "period": period,
        "controls": control_cols, "reference": reference, "threshold": str(threshold),
        "alternative": alternative, "adjust": adjust, "alpha": alpha, "confidence": confidence,
        "min_share": min_share, "min_n": min_n, "regression": regression,
        "unknown_labels": list(unknown_labels),
    }
    return PromotionDisparityResult(
        table=mark_tied(overall.table, choice), by_stratum=stratum_table,
        strata=overall.strata.copy() if overall.strata is not None else None,
        regression=reg_table, regression_n=reg_n, unknown=unknown,
        group_columns=tuple(group_cols), level=level, period=period,
        controls=tuple(control_cols), reference_group=reference_group,
        threshold=float(overall.threshold), alpha=float(alpha),
        fingerprint=fingerprint_frame(cells.table), warnings=tuple(dict.fromkeys(warnings)),
        rows=rows, params=params,
    )


def _check(group_cols: list[str], promoted: Any, level: Any, period: Any,
           **o: Any) -> dict[str, str]:
    """Check the options once, at the boundary; return the stratum roles."""
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if not isinstance(promoted, str):
        raise InvalidParameterError(
            f"promoted= must be the name of one yes/no column; got {promoted!r}."
        )
    for name, value in (("level", level), ("period", period), ("id", o["id"])):
        if value is not None and not isinstance(value, str):
            raise InvalidParameterError(f"{name}= must be one column name; got {value!r}.")
    check_alpha(o["alpha"])
    check_confidence(o["confidence"])
    check_min_n(o["min_n"])
    check_bool(o["regression"], "regression")
    strata = {r: c for r, c in (("level", level), ("period", period)) if c is not None}
    roles = [*group_cols, promoted, *strata.values(), *([o["id"]] if o["id"] else [])]
    if len(set(roles)) != len(roles):
        raise InvalidParameterError(
            f"a column is used twice among group={group_cols}, promoted={promoted!r}, "
            f"level={level!r}, period={period!r}, id={o['id']!r}; each role needs its own "
            "column."
        )
    return strata


def _overall(cells: pd.DataFrame, group_cols: list[str], strata: dict[str, str],
             options: dict[str, Any], reference_group: str | None, warnings: list[str]) -> Any:
    """The comparison over everyone (with Mantel–Haenszel across strata), and the unknowns."""
    from ..impact.analysis import adverse_impact_from_counts

    overall = adverse_impact_from_counts(
        cells, group="group", applicants="n", selected=STAGE,
        strata=["stratum"] if strata else None, **{**options, "reference": reference_group},
    )
    warnings.extend(employees(w) for w in overall.warnings
                    if "missing or unknown group" not in w and NON_DISCLOSURE_NOTE not in w)
    unknown = overall.unknown.rename(columns={"applicants": "employees", "selected": "promoted"})
    n_unknown = int(unknown["employees"].sum())
    if n_unknown:
        warnings.append(
            f"{n_unknown:,} employees have a missing {' or '.join(map(repr, group_cols))}:"
            " counted in unknown, not compared."
        )
    return overall, unknown
