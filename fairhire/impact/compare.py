"""Group comparisons on the small table of funnel counts: the statistics of adverse impact.

Input is a :class:`~fairhire.impact.aggregate.FunnelCounts`; output is the per-(stage, group)
table, the per-stage unknown counts and, with strata, the Mantel–Haenszel table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ..errors import InsufficientDataError, InvalidParameterError, preview
from ..stats import proportions as sp
from ..stats.strata import mantel_haenszel
from .aggregate import APPLIED, FunnelCounts, app_col, sel_col

BOTTOM_LINE = "bottom line"
GROUP_SEPARATOR = " × "

TABLE_COLUMNS = [
    "stage", "basis", "group", "applicants", "selected", "selection_rate", "reference_group",
    "is_reference", "impact_ratio", "adverse_impact", "z", "p_value_z", "p_value_fisher",
    "p_value_adjusted", "significant", "z_ir", "p_value_z_ir", "ci_low", "ci_high", "shortfall",
    "shortfall_four_fifths", "flips_with_one", "small_sample", "excluded",
]  # fmt: skip

STRATA_COLUMNS = [
    "stage", "group", "reference_group", "n_strata", "mh_odds_ratio", "mh_ci_low",
    "mh_ci_high", "cmh_statistic", "cmh_p_value", "cmh_statistic_corrected",
    "cmh_p_value_corrected", "breslow_day_statistic", "breslow_day_p_value", "reversal",
]  # fmt: skip


@dataclass(frozen=True)
class Options:
    threshold: Fraction
    reference: object | None
    cumulative: bool
    alternative: str
    mid_p: bool
    adjust: str
    alpha: float
    confidence: float
    min_share: float | None
    min_n: int
    unknown_labels: tuple[object, ...]


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame
    unknown: pd.DataFrame
    strata: pd.DataFrame | None
    warnings: tuple[str, ...]
    unknown_rows: int
    below_share_rows: int


def _label(values: Sequence[object]) -> str:
    return GROUP_SEPARATOR.join(str(v) for v in values)


def _sort_key(value: object) -> tuple[int, str]:
    # Groups of any label type sort deterministically, whatever the input row order.
    if isinstance(value, bool | np.bool_):
        return (0, str(int(value)))
    if isinstance(value, int | float | np.integer | np.floating):
        return (1, f"{float(value):030.10f}")
    return (2, str(value))


def compare(
    counts: FunnelCounts,
    *,
    group_cols: Sequence[str],
    strata_cols: Sequence[str],
    options: Options,
) -> Comparison:
    """Compare groups at every stage (and the bottom line) of a funnel."""
    table = counts.table
    warnings: list[str] = []
    group_cols = list(group_cols)
    unknown_mask = table[group_cols].isna().any(axis=1).to_numpy().copy()
    if options.unknown_labels:
        labels = set(map(str, options.unknown_labels))
        for c in group_cols:
            unknown_mask |= table[c].map(lambda v: str(v) in labels).to_numpy(dtype=bool)
    known = table.loc[~unknown_mask]
    unknown = table.loc[unknown_mask]

    stage_specs = _stage_specs(counts, options, warnings)
    unknown_table = pd.DataFrame(
        [
            {
                "stage": stage,
                "applicants": int(unknown[a].sum()),
                "selected": int(unknown[s].sum()),
            }
            for stage, _, a, s in stage_specs
        ],
        columns=["stage", "applicants", "selected"],
    )
    unknown_rows = int(unknown[APPLIED].sum())

    by_group = known.groupby(group_cols, dropna=False, sort=False)
    numeric = [APPLIED, *(c for _, _, a, s in stage_specs for c in (a, s))]
    per_group = by_group[list(dict.fromkeys(numeric))].sum()
    # positions, not labels: .loc with boolean group labels would act as a mask
    order = sorted(
        range(len(per_group)),
        key=lambda i: tuple(_sort_key(v) for v in _tuple(per_group.index[i])),
    )
    per_group = per_group.iloc[order]
    if len(per_group) == 0:
        raise InsufficientDataError(
            f"no applicant has a known value of {preview(group_cols)}: all "
            f"{unknown_rows:,} rows have a missing group. Fill in the group column(s)."
        )
    if len(per_group) < 2:
        only = _label(_tuple(per_group.index[0]))
        raise InsufficientDataError(
            f"only one group ({only!r}) in {preview(group_cols)}: adverse impact compares "
            "groups, so at least two are needed. Check the group column and any filter."
        )
    labels = [_label(_tuple(k)) for k in per_group.index]
    if len(set(labels)) != len(labels):
        raise InvalidParameterError(
            f"group labels collide when written as text: {preview(labels)}. Recode the group "
            "column so distinct groups have distinct labels."
        )

    excluded = np.zeros(len(per_group), dtype=bool)
    below_share_rows = 0
    if options.min_share:
        total = per_group[APPLIED].sum()
        share = per_group[APPLIED].to_numpy() / total if total else np.zeros(len(per_group))
        excluded = share < options.min_share
        below_share_rows = int(per_group[APPLIED].to_numpy()[excluded].sum())
        for lab, sh in ((labels[i], share[i]) for i in np.flatnonzero(excluded)):
            warnings.append(
                f"group {lab!r} is {sh:.1%} of applicants, below min_share="
                f"{options.min_share:g}: listed but excluded from impact ratios."
            )

    ref_index = None
    if options.reference is not None:
        ref_index = _find_reference(options.reference, per_group.index, labels, group_cols)
        if excluded[ref_index]:
            raise InvalidParameterError(
                f"reference={options.reference!r} is below min_share={options.min_share} and "
                "excluded; choose another reference group or lower min_share."
            )

    cube = (
        _strata_cube(known, group_cols, strata_cols, list(dict.fromkeys(numeric)))
        if strata_cols
        else None
    )
    # the original group values sit beside the text label, unless a name would collide
    value_cols = [c for c in group_cols if c not in TABLE_COLUMNS]
    rows = []
    strata_rows = []
    for stage, basis, a_col, s_col in stage_specs:
        apps = per_group[a_col].to_numpy().astype(np.int64)
        sels = per_group[s_col].to_numpy().astype(np.int64)
        eligible = (~excluded) & (apps > 0)
        for lab, n_i in zip(labels, apps, strict=True):
            if n_i == 0:
                warnings.append(f"group {lab!r} had no applicants at stage {stage!r}.")
        if ref_index is not None:
            refs = [ref_index] if apps[ref_index] > 0 else []
            if not refs:
                warnings.append(
                    f"the reference group {labels[ref_index]!r} had no applicants at stage "
                    f"{stage!r}: no impact ratios there."
                )
        else:
            refs = _highest(apps, sels, eligible)
        if refs and sels[refs[0]] == 0:
            warnings.append(
                f"no one was selected at stage {stage!r}: selection rates are all zero and "
                "impact ratios are undefined."
            )
        ref = refs[0] if refs else None
        ref_label = labels[ref] if ref is not None else None
        b, m = (int(sels[ref]), int(apps[ref])) if ref is not None else (0, 0)
        for i, lab in enumerate(labels):
            a, n = int(sels[i]), int(apps[i])
            row = _row(stage, basis, lab, a, n, ref_label)
            values = dict(zip(group_cols, _tuple(per_group.index[i]), strict=True))
            row.update({c: values[c] for c in value_cols})
            row["excluded"] = bool(excluded[i])
            if i in refs:
                row.update(is_reference=True, impact_ratio=1.0 if b else math.nan)
            elif ref is not None and eligible[i]:
                row.update(_statistics(a, n, b, m, options))
                if strata_cols:
                    strata_rows.append(
                        _stratified(
                            cube, per_group.index[i], per_group.index[ref], stage, a_col,
                            s_col, lab, ref_label, (a, n, b, m), options, warnings,
                        )
                    )  # fmt: skip
            row["small_sample"] = _small(a, n, b, m, options.min_n) if ref is not None else True
            rows.append(row)

    out = pd.DataFrame(rows)
    p = out["p_value_fisher"].to_numpy(dtype=float)
    out["p_value_adjusted"] = sp.adjust_pvalues(p, options.adjust)
    out["significant"] = (out["p_value_adjusted"] < options.alpha).fillna(False).astype(bool)
    out = out[TABLE_COLUMNS[:3] + value_cols + TABLE_COLUMNS[3:]]
    for c in ("adverse_impact", "flips_with_one", "small_sample", "excluded", "is_reference"):
        out[c] = out[c].astype(bool)
    for c in ("applicants", "selected", "shortfall_four_fifths"):
        out[c] = out[c].astype("int64")
    strata = pd.DataFrame(strata_rows, columns=STRATA_COLUMNS) if strata_cols else None
    return Comparison(
        table=out,
        unknown=unknown_table,
        strata=strata,
        warnings=tuple(dict.fromkeys(warnings)),
        unknown_rows=unknown_rows,
        below_share_rows=below_share_rows,
    )


def _tuple(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _stage_specs(
    counts: FunnelCounts, options: Options, warnings: list[str]
) -> list[tuple[str, str, str, str]]:
    """(stage label, basis, applicants column, selected column) for every comparison."""
    stages = counts.stages
    if options.cumulative and not counts.chained:
        raise InvalidParameterError(
            "cumulative=True needs a chained funnel (each stage's applicants are the previous "
            "stage's selections); these counts are not chained."
        )
    basis = "cumulative" if options.cumulative else "conditional"
    specs = [(s, basis, APPLIED if options.cumulative else app_col(s), sel_col(s)) for s in stages]
    if counts.chained and len(stages) > 1:
        # with a single stage, that stage is the bottom line already
        specs.append((BOTTOM_LINE, "cumulative", APPLIED, sel_col(stages[-1])))
    elif not counts.chained and len(stages) > 1:
        warnings.append(
            "the stages are not chained (a stage's applicants differ from the previous stage's "
            "selections), so no bottom-line comparison is reported."
        )
    return specs


def _highest(apps: np.ndarray, sels: np.ndarray, eligible: np.ndarray) -> list[int]:
    """Indices of the eligible groups with the highest rate, compared exactly.

    All tied groups are references (impact ratio 1). The first, which the other groups' tests
    compare against, is the largest tied group: its rate is the most precise, and the choice
    depends on the counts only, never on how the groups are labelled or ordered (groups tied
    in both rate and size give the same statistics, so their order does not matter).
    """
    best: list[int] = []
    best_rate: Fraction | None = None
    for i in np.flatnonzero(eligible):
        rate = Fraction(int(sels[i]), int(apps[i]))
        if best_rate is None or rate > best_rate:
            best, best_rate = [int(i)], rate
        elif rate == best_rate:
            best.append(int(i))
    return sorted(best, key=lambda i: -int(apps[i]))


def _find_reference(
    reference: object, index: pd.Index, labels: list[str], group_cols: list[str]
) -> int:
    for i, key in enumerate(index):
        key_t = _tuple(key)
        if reference == key or reference == key_t or str(reference) == labels[i]:
            return i
        if len(key_t) == 1 and str(reference) == str(key_t[0]):
            return i
    raise InvalidParameterError(
        f"reference={reference!r} is not a group of {preview(group_cols)}. Groups present: "
        f"{preview(labels, limit=10)}."
    )


def _row(stage: str, basis: str, label: str, a: int, n: int, ref_label: str | None) -> dict:
    nan = math.nan
    return {
        "stage": stage, "basis": basis, "group": label, "applicants": n, "selected": a,
        "selection_rate": sp.selection_rate(a, n), "reference_group": ref_label,
        "is_reference": False, "impact_ratio": nan, "adverse_impact": False, "z": nan,
        "p_value_z": nan, "p_value_fisher": nan, "z_ir": nan, "p_value_z_ir": nan,
        "ci_low": nan, "ci_high": nan, "shortfall": nan, "shortfall_four_fifths": 0,
        "flips_with_one": False,
    }  # fmt: skip


def _statistics(a: int, n: int, b: int, m: int, o: Options) -> dict:
    z = sp.two_proportion_z(a, n, b, m)
    zir = sp.impact_ratio_z(a, n, b, m)
    lo, hi = sp.impact_ratio_ci(a, n, b, m, confidence=o.confidence)
    return {
        "impact_ratio": sp.impact_ratio(a, n, b, m),
        "adverse_impact": sp.below_threshold(a, n, b, m, o.threshold),
        "z": z.statistic,
        "p_value_z": z.p_value,
        "p_value_fisher": sp.fisher_exact_test(
            a, n, b, m, alternative=o.alternative, mid_p=o.mid_p
        ),
        "z_ir": zir.statistic,
        "p_value_z_ir": zir.p_value,
        "ci_low": lo,
        "ci_high": hi,
        "shortfall": sp.shortfall(a, n, b, m),
        "shortfall_four_fifths": sp.shortfall_to_threshold(a, n, b, m, o.threshold),
        "flips_with_one": sp.flips_with_one(a, n, b, m, o.threshold),
    }


def _small(a: int, n: int, b: int, m: int, min_n: int) -> bool:
    if n < min_n or m < min_n:
        return True
    return bool((sp.expected_cells(a, n, b, m) < 5).any())


def _strata_cube(
    known: pd.DataFrame, group_cols: list[str], strata_cols: list[str], numeric: list[str]
) -> pd.DataFrame:
    """Counts with one row per stratum and one column per (count column, *group key)."""
    filled = {c: known[c].astype(object).where(known[c].notna(), "(missing)") for c in strata_cols}
    grouped = known.assign(**filled).groupby([*group_cols, *strata_cols], sort=False)[numeric].sum()
    return grouped.unstack(level=list(range(len(group_cols))), fill_value=0)


def _stratified(
    cube: pd.DataFrame,
    focal_key: object,
    ref_key: object,
    stage: str,
    a_col: str,
    s_col: str,
    label: str,
    ref_label: str,
    aggregate: tuple[int, int, int, int],
    options: Options,
    warnings: list[str],
) -> dict:
    focal_t, ref_t = _tuple(focal_key), _tuple(ref_key)
    n_f = cube[(a_col, *focal_t)].to_numpy()
    a_f = cube[(s_col, *focal_t)].to_numpy()
    n_r = cube[(a_col, *ref_t)].to_numpy()
    a_r = cube[(s_col, *ref_t)].to_numpy()
    tables = np.stack(
        [np.stack([a_f, n_f - a_f], axis=-1), np.stack([a_r, n_r - a_r], axis=-1)], axis=1
    )
    mh = mantel_haenszel(tables)
    a, n, b, m = aggregate
    agg_or = _odds_ratio(a, n, b, m)
    opposite = (
        math.isfinite(agg_or)
        and 0 < mh.odds_ratio < math.inf
        and ((agg_or < 1 < mh.odds_ratio) or (mh.odds_ratio < 1 < agg_or))
    )
    # Only a reversal of a result someone could act on is worth a warning: the aggregate
    # comparison is flagged or significant, or the stratified one is significant.
    agg_p = sp.fisher_exact_test(a, n, b, m)
    material = (
        sp.below_threshold(a, n, b, m, options.threshold)
        or agg_p < options.alpha
        or mh.cmh_p_value < options.alpha
    )
    reversal = bool(opposite and material)
    if reversal:
        direction = "lower" if agg_or < 1 else "higher"
        opposite = "higher" if agg_or < 1 else "lower"
        warnings.append(
            f"Simpson's paradox at stage {stage!r}: {label!r} has {direction} odds of selection "
            f"than {ref_label!r} in aggregate (odds ratio {agg_or:.3g}) but {opposite} odds "
            f"within strata (Mantel–Haenszel {mh.odds_ratio:.3g}, CMH p = {mh.cmh_p_value:.3g}). "
            "Judge the comparison within strata before drawing conclusions."
        )
    return {
        "stage": stage,
        "group": label,
        "reference_group": ref_label,
        "n_strata": mh.n_strata,
        "mh_odds_ratio": mh.odds_ratio,
        "mh_ci_low": mh.ci_low,
        "mh_ci_high": mh.ci_high,
        "cmh_statistic": mh.cmh_statistic,
        "cmh_p_value": mh.cmh_p_value,
        "cmh_statistic_corrected": mh.cmh_statistic_corrected,
        "cmh_p_value_corrected": mh.cmh_p_value_corrected,
        "breslow_day_statistic": mh.breslow_day_statistic,
        "breslow_day_p_value": mh.breslow_day_p_value,
        "reversal": reversal,
    }


def _odds_ratio(a: int, n: int, b: int, m: int) -> float:
    num, den = a * (m - b), b * (n - a)
    if den == 0:
        return math.nan
    return num / den
