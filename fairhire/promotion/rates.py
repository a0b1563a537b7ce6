"""Promotion rates by group: the adverse-impact machinery with "promoted" as the selection.

One group-by in the caller's engine counts employees and promotions per (group, level, period,
promoted value); the adverse-impact engine (:func:`fairhire.adverse_impact_from_counts`) then
does the four-fifths comparison, Z and Fisher tests, practical significance and — with levels
and/or periods as strata — Mantel–Haenszel. The logistic regression, which needs one row per
employee, collects only the columns it uses to pandas.
"""

from __future__ import annotations

import math
import re
import warnings as _warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from scipy import stats

from .._core.text import format_ratio
from .._frames import (
    as_columns,
    collect_pandas,
    fingerprint_frame,
    group_counts,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, RowAccount
from ..errors import InsufficientDataError, InvalidParameterError, preview
from ._common import binary_values, fmt_num, group_labels, is_missing, p_text, sort_key

__all__ = ["PromotionDisparityResult", "promotion_disparity"]

STAGE = "promoted"
MISSING_STRATUM = "(missing)"
STRATUM_SEPARATOR = " · "

REGRESSION_COLUMNS = [
    "term", "group", "is_group", "coef", "se", "odds_ratio", "ci_low", "ci_high", "p_value",
]  # fmt: skip


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
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
    count_columns: ClassVar[frozenset[str]] = frozenset(
        {"applicants", "selected", "employees", "promoted"}
    )
    derived_columns: ClassVar[frozenset[str]] = frozenset({"shortfall_four_fifths"})
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell).
    report_count_columns: ClassVar[tuple[str, ...]] = ()
    report_derived_columns: ClassVar[tuple[str, ...]] = ("odds_ratio_adjusted",)

    def __repr__(self) -> str:
        flagged = int(self.table["adverse_impact"].sum())
        return f"<PromotionDisparityResult: {len(self.table)} groups, {flagged} flagged>"

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
        out: list[Headline] = []
        for row in self.table.itertuples(index=False):
            if row.is_reference or row.excluded or math.isnan(row.impact_ratio):
                continue
            base = (
                f"{row.group} employees were promoted at {format_ratio(row.impact_ratio)} times the rate "
                f"of {row.reference_group} ({row.selection_rate:.1%}; Fisher "
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
                    f"{base}: evidence of adverse impact under the four-fifths rule{extra}."
                    if severe
                    else f"{base}: below four-fifths, not statistically significant{extra}."
                )
                out.append(Headline(severity=3 if severe else 2, text=text,
                                    figure=row.impact_ratio, section=self.kind))  # fmt: skip
            elif row.significant and row.impact_ratio < 1:
                out.append(Headline(
                    severity=2,
                    text=f"{base}: above four-fifths, but the difference is statistically "
                    "significant.",
                    figure=row.impact_ratio, section=self.kind,
                ))  # fmt: skip
        if self.by_stratum is not None:
            sub = self.by_stratum
            hit = sub.loc[sub["adverse_impact"] & sub["significant"] & ~sub["flips_with_one"]]
            for row in hit.itertuples(index=False):
                out.append(Headline(
                    severity=3,
                    text=f"Within {row.stratum}, {row.group} employees were promoted at "
                    f"{format_ratio(row.impact_ratio)} times the rate of {row.reference_group} (adjusted "
                    f"{p_text(row.p_value_adjusted)}): evidence of adverse impact under the "
                    "four-fifths rule.",
                    figure=row.impact_ratio, section=self.kind,
                ))  # fmt: skip
        if self.strata is not None:
            for row in self.strata.itertuples(index=False):
                if row.cmh_p_value < self.alpha and 0 < row.mh_odds_ratio < 1:
                    out.append(Headline(
                        severity=3,
                        text=f"Comparing like with like within {self._strata_name()}, "
                        f"{row.group} employees had {row.mh_odds_ratio:.2f} times the odds of "
                        f"promotion of {row.reference_group} (Mantel–Haenszel, 95% CI "
                        f"{fmt_num(row.mh_ci_low)}–{fmt_num(row.mh_ci_high)}; CMH "
                        f"{p_text(row.cmh_p_value)}).",
                        figure=row.mh_odds_ratio, section=self.kind,
                    ))  # fmt: skip
                if row.reversal:
                    out.append(Headline(
                        severity=2,
                        text=f"The aggregate promotion comparison of {row.group} with "
                        f"{row.reference_group} reverses within {self._strata_name()} "
                        "(Simpson's paradox): judge it within strata.",
                        figure=row.mh_odds_ratio, section=self.kind,
                    ))  # fmt: skip
        if self.regression is not None:
            reg = self.regression.loc[self.regression["is_group"]]
            for row in reg.itertuples(index=False):
                if row.p_value < self.alpha and row.odds_ratio < 1:
                    ctrl = ", ".join(self._regression_controls()) or "nothing else"
                    out.append(Headline(
                        severity=3,
                        text=f"Controlling for {ctrl}, {row.group} employees had "
                        f"{row.odds_ratio:.2f} times the odds of promotion of "
                        f"{self.reference_group} (95% CI {fmt_num(row.ci_low)}–"
                        f"{fmt_num(row.ci_high)}; {p_text(row.p_value)}).",
                        figure=row.odds_ratio, section=self.kind,
                    ))  # fmt: skip
        out.sort(key=lambda h: -h.severity)
        return out

    def _strata_name(self) -> str:
        parts = [p for p in (self.level, self.period) if p]
        return " and ".join(f"{p}" for p in parts) or "strata"

    def _regression_controls(self) -> list[str]:
        return [c for c in (self.level, self.period, *self.controls) if c]

    def summary(self) -> str:
        """Plain-text summary of rates, stratified tests and the regression."""
        lines = [f"Promotion rates by {' × '.join(self.group_columns)}"]
        if self.rows is not None:
            lines.append("Rows: " + self.rows.describe() + ".")
        cols = ["group", "applicants", "selected", "selection_rate", "impact_ratio",
                "adverse_impact", "p_value_fisher", "shortfall", "flips_with_one",
                "small_sample"]  # fmt: skip
        view = self.table[cols].rename(columns={"applicants": "employees", "selected": "promoted"})
        lines.append(view.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if self.strata is not None and len(self.strata):
            lines.append(f"Within {self._strata_name()} (Mantel–Haenszel):")
            s = self.strata[["group", "n_strata", "mh_odds_ratio", "mh_ci_low", "mh_ci_high",
                             "cmh_p_value", "breslow_day_p_value", "reversal"]]  # fmt: skip
            lines.append(s.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if self.regression is not None:
            lines.append(
                f"Logistic regression (n = {self.regression_n:,}; controls: "
                f"{', '.join(self._regression_controls()) or 'none'}):"
            )
            r = self.regression.loc[
                self.regression["is_group"], ["group", "odds_ratio", "ci_low", "ci_high", "p_value"]
            ]
            lines.append(r.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


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
) -> PromotionDisparityResult:
    """Compare promotion rates between groups, within levels and periods, and with controls.

    Three views of the same question — are some groups promoted less often?

    1. **Rates** over everyone: the adverse-impact engine with "promoted" as the selection
       (exact four-fifths rule against the group with the highest rate, pooled Z, Fisher's
       exact test with Holm-adjusted p-values, the one-person rule, shortfalls and a
       small-sample flag).
    2. **Within strata** (``level=`` and/or ``period=``; both together form one stratum, e.g.
       "L2 · 2024"): the same comparison inside each stratum, and the Mantel–Haenszel common
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
        Boolean or 0/1 column: promoted in the period. Missing values are excluded and counted.
    level, period : str, optional
        Stratum columns (job level; review period or year).
    controls : str or list of str
        Further regression controls. Numeric columns enter linearly; text/categorical columns
        as indicators. Note that a control that is itself affected by bias (a performance
        rating, say) can hide part of a disparity.
    reference, threshold, alternative, adjust, alpha, confidence, min_share, min_n
        As in :func:`fairhire.adverse_impact`.
    regression : bool, default True
        Fit the logistic regression.

    Returns
    -------
    PromotionDisparityResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        ``promoted`` holds values other than True/False/1/0.
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
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if not isinstance(promoted, str):
        raise InvalidParameterError(
            f"promoted= must be the name of one boolean column; got {promoted!r}."
        )
    strata_cols = [c for c in (level, period) if c is not None]
    for name, value in (("level", level), ("period", period)):
        if value is not None and not isinstance(value, str):
            raise InvalidParameterError(f"{name}= must be one column name; got {value!r}.")
    roles = [*group_cols, promoted, *strata_cols]
    if len(set(roles)) != len(roles):
        raise InvalidParameterError(
            f"a column is used twice among group={group_cols}, promoted={promoted!r}, "
            f"level={level!r}, period={period!r}; each role needs its own column."
        )
    frame = to_narwhals(data)
    require_columns(
        frame, group=group_cols, promoted=promoted, level=level, period=period,
        controls=control_cols,
    )  # fmt: skip

    keys = [*group_cols, *strata_cols, promoted]
    counts = group_counts(frame, keys)
    total = int(counts["n"].sum())
    if total == 0:
        raise InsufficientDataError(
            "the data have no rows: nothing to analyse. Check the export or filter."
        )
    flag = binary_values(counts[promoted], counts["n"], column=promoted, what="promoted")
    missing_outcome = int(counts.loc[flag.isna(), "n"].sum())
    known = counts.loc[flag.notna()].copy()
    known["__promoted"] = (flag[flag.notna()] * known["n"]).astype("int64")
    if known.empty:
        raise InsufficientDataError(
            f"every value of {promoted!r} is missing ({total:,} rows): nothing to compare."
        )
    cell = (
        known.groupby([*group_cols, *strata_cols], dropna=False, sort=False)[["n", "__promoted"]]
        .sum()
        .reset_index()
        .rename(columns={"__promoted": STAGE})
    )
    warnings: list[str] = []
    if missing_outcome:
        warnings.append(
            f"{missing_outcome:,} rows have a missing {promoted!r} value: excluded and counted."
        )
    engine_options = dict(
        reference=reference, threshold=threshold, alternative=alternative, adjust=adjust,
        alpha=alpha, confidence=confidence, min_share=min_share, min_n=min_n,
    )  # fmt: skip

    from ..impact.analysis import adverse_impact_from_counts

    if strata_cols:
        for c in strata_cols:
            n_missing = int(cell.loc[cell[c].map(is_missing), "n"].sum())
            if n_missing:
                warnings.append(
                    f"{n_missing:,} rows have a missing {c!r}: kept as a stratum of their own "
                    f"({MISSING_STRATUM!r})."
                )
        cell["__stratum"] = _stratum_labels(cell, strata_cols)
    overall = adverse_impact_from_counts(
        cell, group=group_cols, applicants="n", selected=STAGE,
        strata=["__stratum"] if strata_cols else None, **engine_options,
    )  # fmt: skip
    table = overall.table.copy()
    strata_table = overall.strata.copy() if overall.strata is not None else None
    warnings.extend(_employees(w) for w in overall.warnings if "missing or unknown group" not in w)
    unknown = overall.unknown.rename(columns={"applicants": "employees", "selected": "promoted"})
    n_unknown_group = int(unknown["employees"].sum())
    if n_unknown_group:
        warnings.append(
            f"{n_unknown_group:,} employees have a missing {' or '.join(map(repr, group_cols))}:"
            " counted in `unknown`, not compared."
        )
    ref_rows = table.loc[table["is_reference"], "group"]
    reference_group = str(ref_rows.iloc[0]) if len(ref_rows) else None

    by_stratum = None
    if strata_cols:
        by_stratum = _by_stratum(cell, group_cols, strata_cols, engine_options, warnings)

    reg_table, reg_n = None, 0
    if regression:
        reg_table, reg_n = _logit(
            frame, group_cols=group_cols, promoted=promoted, strata_cols=strata_cols,
            controls=control_cols, reference_group=reference_group, confidence=confidence,
            warnings=warnings,
        )  # fmt: skip

    excluded: dict[str, int] = {}
    if missing_outcome:
        excluded[f"missing {promoted}"] = missing_outcome
    if n_unknown_group:
        excluded["missing group"] = n_unknown_group
    rows = RowAccount(total=total, used=total - sum(excluded.values()), excluded=excluded)
    params = {
        "group": group_cols, "promoted": promoted, "level": level, "period": period,
        "controls": control_cols, "reference": reference, "threshold": str(threshold),
        "alternative": alternative, "adjust": adjust, "alpha": alpha, "confidence": confidence,
        "min_share": min_share, "min_n": min_n, "regression": regression,
    }  # fmt: skip
    return PromotionDisparityResult(
        table=table,
        by_stratum=by_stratum,
        strata=strata_table,
        regression=reg_table,
        regression_n=reg_n,
        unknown=unknown,
        group_columns=tuple(group_cols),
        level=level,
        period=period,
        controls=tuple(control_cols),
        reference_group=reference_group,
        threshold=float(overall.threshold),
        alpha=float(alpha),
        fingerprint=fingerprint_frame(cell),
        warnings=tuple(dict.fromkeys(warnings)),
        rows=rows,
        params=params,
    )


def _employees(warning: str) -> str:
    """The engine speaks of applicants and selections; here they are employees and promotions."""
    # numpy string scalars can leak into messages as np.str_('x'): show the label only
    warning = re.sub(r"np\.str_\(('[^']*'|\"[^\"]*\")\)", r"\1", warning)
    return (
        warning.replace("applicants", "employees")
        .replace("no one was selected", "no one was promoted")
        .replace("selection rates", "promotion rates")
    )


def _stratum_labels(cell: pd.DataFrame, strata_cols: list[str]) -> pd.Series:
    parts = cell[strata_cols].astype(object)
    return pd.Series(
        [
            STRATUM_SEPARATOR.join(MISSING_STRATUM if is_missing(v) else str(v) for v in row)
            for row in parts.itertuples(index=False, name=None)
        ],
        index=cell.index,
        dtype=object,
    )


def _by_stratum(
    cell: pd.DataFrame,
    group_cols: list[str],
    strata_cols: list[str],
    engine_options: dict,
    warnings: list[str],
) -> pd.DataFrame:
    """The four-fifths comparison inside each stratum (each stratum as a 'stage')."""
    from ..impact.analysis import adverse_impact_from_counts

    firsts = cell.drop_duplicates("__stratum")
    order_keys = {
        lab: tuple(sort_key(v) if not is_missing(v) else (3, 0.0, "") for v in vals)
        for lab, vals in zip(
            firsts["__stratum"], firsts[strata_cols].itertuples(index=False, name=None),
            strict=True,
        )
    }  # fmt: skip
    order = sorted(order_keys, key=order_keys.__getitem__)
    res = adverse_impact_from_counts(
        cell, group=group_cols, applicants="n", selected=STAGE, stage="__stratum",
        stage_order=order, **engine_options,
    )  # fmt: skip
    for w in res.warnings:
        if "not chained" in w or "missing or unknown group" in w or "min_share" in w:
            continue  # not a funnel; unknown and small groups are reported once, overall
        warnings.append(
            _employees(w).replace("at stage", "in stratum").replace("stage ", "stratum ")
        )
    out = res.table.rename(columns={"stage": "stratum"}).drop(columns=["basis"])
    values = firsts.set_index("__stratum")[strata_cols]
    for c in strata_cols:
        out.insert(1, c, out["stratum"].map(values[c]))
    # groups absent from a stratum are reported by the engine ("had no employees in stratum")
    return out.reset_index(drop=True)


def _logit(
    frame: Any,
    *,
    group_cols: list[str],
    promoted: str,
    strata_cols: list[str],
    controls: list[str],
    reference_group: str | None,
    confidence: float,
    warnings: list[str],
) -> tuple[pd.DataFrame | None, int]:
    """Logit of promotion on group indicators, stratum fixed effects and controls."""
    from statsmodels.discrete.discrete_model import Logit

    if reference_group is None:
        return None, 0
    cols = list(dict.fromkeys([*group_cols, promoted, *strata_cols, *controls]))
    df = collect_pandas(frame.select(*[nw.col(c) for c in cols]))
    labels = group_labels(df, group_cols)
    y = df[promoted].map(lambda v: math.nan if is_missing(v) else float(v)).astype(float)
    keep = labels.notna() & y.notna()
    n_before = int(keep.sum())
    design_parts: list[pd.DataFrame] = []
    for c in controls:
        keep &= df[c].notna()
    n_missing_controls = n_before - int(keep.sum())
    if n_missing_controls:
        warnings.append(
            f"{n_missing_controls:,} employees with a missing control "
            f"({', '.join(map(repr, controls))}) are left out of the logistic regression."
        )
    # A group in which no one (or everyone) was promoted perfectly predicts the outcome: its
    # odds ratio is 0 (or infinite) and would destabilise the whole fit. Leave it out, say so.
    rate = y[keep].groupby(labels[keep]).mean()
    constant = sorted((g for g, r in rate.items() if r in (0.0, 1.0)), key=str)
    if reference_group in constant:
        warnings.append(
            f"the logistic regression was skipped: everyone in the reference group "
            f"{reference_group!r} has the same outcome, so odds ratios against it are undefined."
        )
        return None, 0
    if constant:
        warnings.append(
            f"no one (or everyone) was promoted in {preview(constant)}: their odds ratios "
            "cannot be estimated, so they are left out of the logistic regression."
        )
        keep &= ~labels.isin(constant)
    sub = df.loc[keep]
    lab = labels[keep]
    groups = sorted(lab.unique(), key=str)
    if reference_group not in groups or len(groups) < 2 or sub.empty:
        warnings.append("the logistic regression was skipped: fewer than two groups remain.")
        return None, 0
    others = [g for g in groups if g != reference_group]
    design_parts.append(
        pd.DataFrame({g: (lab == g).astype(float) for g in others}, index=sub.index)
    )
    for c in [*strata_cols, *controls]:
        s = sub[c]
        if c in strata_cols or not (pd.api.types.is_numeric_dtype(s) or
                                    pd.api.types.is_bool_dtype(s)):  # fmt: skip
            cats = sorted(s.astype(object).where(s.notna(), MISSING_STRATUM).unique(), key=str)
            values = s.astype(object).where(s.notna(), MISSING_STRATUM)
            design_parts.append(
                pd.DataFrame(
                    {f"{c}[{v}]": (values == v).astype(float) for v in cats[1:]}, index=sub.index
                )
            )
        else:
            design_parts.append(pd.DataFrame({c: s.astype(float)}, index=sub.index))
    x = pd.concat(design_parts, axis=1)
    # drop indicator columns that never vary (e.g. a category present only among missing rows)
    x = x.loc[:, x.std(ddof=0) > 0] if len(x) > 1 else x
    x.insert(0, "const", 1.0)
    yy = y[keep]
    if yy.nunique() < 2:
        warnings.append("the logistic regression was skipped: everyone or no one was promoted.")
        return None, 0
    if np.linalg.matrix_rank(x.to_numpy()) < x.shape[1]:
        warnings.append(
            "the logistic regression design is collinear (a control duplicates a group or "
            "another control); collinear terms make the odds ratios unidentifiable, so the "
            "regression was skipped. Remove the redundant control."
        )
        return None, 0
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        try:
            fit = Logit(yy, x).fit(disp=0, maxiter=100)
        except (np.linalg.LinAlgError, ValueError) as exc:
            warnings.append(f"the logistic regression failed ({exc}); no odds ratios reported.")
            return None, 0
    unstable = not fit.mle_retvals.get("converged", True) or any(
        "separation" in str(w.message).lower() for w in caught
    )
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    coef = fit.params
    se = fit.bse
    rows = []
    for term in x.columns:
        if term == "const":
            continue
        b, s = float(coef[term]), float(se[term])
        bad = not (math.isfinite(b) and math.isfinite(s)) or abs(b) > 15 or s > 50
        with np.errstate(over="ignore"):
            rows.append({
                "term": term,
                "group": term if term in others else None,
                "is_group": term in others,
                "coef": math.nan if bad else b,
                "se": math.nan if bad else s,
                "odds_ratio": math.nan if bad else math.exp(b),
                "ci_low": math.nan if bad else math.exp(b - z * s),
                "ci_high": math.nan if bad else math.exp(b + z * s),
                "p_value": math.nan if bad else float(fit.pvalues[term]),
            })  # fmt: skip
        if bad:
            unstable = True
    for g in constant:
        rows.append(
            {
                "term": g,
                "group": g,
                "is_group": True,
                **dict.fromkeys(
                    ("coef", "se", "odds_ratio", "ci_low", "ci_high", "p_value"), math.nan
                ),
            }
        )
    if unstable:
        warnings.append(
            "the logistic regression did not converge cleanly (a group or control perfectly "
            "predicts promotion, e.g. a group with no promotions): unstable odds ratios are "
            "reported as missing."
        )
    return pd.DataFrame(rows, columns=REGRESSION_COLUMNS), len(yy)
