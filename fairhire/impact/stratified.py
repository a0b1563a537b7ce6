"""Stratified comparisons (requisitions, locations, periods): Mantel–Haenszel per group.

For a stage and a focal group, the 2×2 tables of the focal and the reference group in each
stratum go to :func:`fairhire.stats.strata.mantel_haenszel` (common odds ratio, CMH test,
Breslow–Day). A reversal — the aggregate and the stratified comparison pointing in opposite
directions — is flagged when either is one someone could act on (Simpson's paradox).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.strata import stratum_value
from .._core.text import p_text
from ..stats import proportions as sp
from ..stats.strata import mantel_haenszel

if TYPE_CHECKING:
    from .._core.options import Options

STRATA_COLUMNS = [
    "stage",
    "group",
    "reference_group",
    "n_strata",
    "mh_odds_ratio",
    "mh_ci_low",
    "mh_ci_high",
    "cmh_statistic",
    "cmh_p_value",
    "cmh_statistic_corrected",
    "cmh_p_value_corrected",
    "breslow_day_statistic",
    "breslow_day_p_value",
    "reversal",
]

def strata_cube(
    known: pd.DataFrame, group_cols: list[str], strata_cols: list[str], numeric: list[str]
) -> pd.DataFrame:
    """Counts with one row per stratum and one column per (count column, *group key)."""
    filled = {c: known[c].astype(object).map(stratum_value) for c in strata_cols}
    grouped = known.assign(**filled).groupby([*group_cols, *strata_cols], sort=False)[numeric].sum()
    return grouped.unstack(level=list(range(len(group_cols))), fill_value=0)


def _tuple(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _odds_ratio(a: int, n: int, b: int, m: int) -> float:
    num, den = a * (m - b), b * (n - a)
    if den == 0:
        return math.nan
    return num / den


def stratified_row(
    cube: pd.DataFrame,
    keys: tuple[Any, Any],
    columns: tuple[str, str],
    *,
    stage: str,
    labels: tuple[str, str],
    aggregate: tuple[int, int, int, int],
    options: Options,
    warnings: list[str],
    p_value_fisher: float | None = None,
) -> dict:
    """The Mantel–Haenszel row of one focal group at one stage (``keys``: focal, reference;
    ``columns``: the applicants and selected count columns of the stage; ``p_value_fisher``:
    the aggregate two-sided Fisher p-value when the caller has it already)."""
    (focal_t, ref_t), (a_col, s_col) = (_tuple(k) for k in keys), columns
    label, ref_label = labels
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
    material = sp.below_threshold(a, n, b, m, options.threshold) or mh.cmh_p_value < options.alpha
    if not material:  # Fisher's test last: it is the one that costs
        if p_value_fisher is None:
            p_value_fisher = sp.fisher_exact_test(a, n, b, m)
        material = p_value_fisher < options.alpha
    reversal = bool(opposite and material)
    if reversal:
        direction = "lower" if agg_or < 1 else "higher"
        within = "higher" if agg_or < 1 else "lower"
        warnings.append(
            f"Simpson's paradox at stage {stage!r}: {label!r} has {direction} odds of selection "
            f"than {ref_label!r} in aggregate (odds ratio {agg_or:.3g}) but {within} odds "
            f"within strata (Mantel–Haenszel {mh.odds_ratio:.3g}, "
            f"{p_text(mh.cmh_p_value, 'CMH p')}). "
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
