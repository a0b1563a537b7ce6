"""Comparing exit (or layoff) rates between groups, on small tables of counts.

UGESP treats a termination as a selection decision and compares the rates of the favourable
outcome, here *staying*: the impact ratio is a group's retention rate over the reference
group's, flagged below four-fifths by the exact comparison of
:func:`fairhire.stats.proportions.below_threshold`. Readers grasp the ratio of exit rates more
easily, so both are reported. Every figure comes from the pure functions of
:mod:`fairhire.stats.proportions` and :mod:`fairhire.stats.strata`; the reference group from the
shared rule (:func:`fairhire._core.reference.choose_reference`: the lowest exit rate among
groups large enough).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from .._core.options import Options
from .._core.reference import ReferenceChoice, choose_reference
from ..stats import proportions as sp
from ..stats.strata import mantel_haenszel

__all__ = ["COMPARISON_COLUMNS", "OPTIONS", "STRATA_COLUMNS", "compare_groups", "finish",
           "rate_sentence", "stratified", "times"]

#: The comparison options that retention and reduction_in_force take (as adverse_impact does)
#: and record in their ``params``, in this order.
OPTIONS = ("threshold", "alternative", "adjust", "alpha", "confidence", "min_n")

COMPARISON_COLUMNS = [
    "group", "headcount", "events", "event_rate", "event_rate_ci_low", "event_rate_ci_high",
    "stayed", "retention_rate", "reference_group", "is_reference", "too_small_for_reference",
    "rate_ratio", "rate_ratio_ci_low", "rate_ratio_ci_high", "impact_ratio", "ci_low",
    "ci_high", "adverse_impact", "z", "p_value_z", "p_value_fisher", "shortfall",
    "shortfall_four_fifths", "flips_with_one", "small_sample",
]

STRATA_COLUMNS = [
    "group", "reference_group", "n_strata", "mh_odds_ratio", "mh_ci_low", "mh_ci_high",
    "cmh_statistic", "cmh_p_value", "cmh_statistic_corrected", "cmh_p_value_corrected",
    "breslow_day_statistic", "breslow_day_p_value", "reversal",
]


def compare_groups(
    labels: Sequence[str],
    headcount: Sequence[int],
    events: Sequence[int],
    *,
    options: Options,
    reference: Any = None,
    what: str = "retention rate",
) -> tuple[pd.DataFrame, ReferenceChoice]:
    """One row per group: its exit rate, and the comparison with the reference group.

    ``events`` are exits (or layoff selections); ``headcount - events`` stayed. The reference is
    the group with the highest retention rate among groups large enough (``min_n`` people and
    2% of the total), unless ``reference=`` names one.

    Examples
    --------
    >>> from fairhire._core.options import check_options
    >>> opts = check_options(min_n=30)
    >>> table, choice = compare_groups(["A", "B"], [80, 40], [32, 28], options=opts)
    >>> choice.label, float(table.loc[1, "impact_ratio"]), float(table.loc[1, "rate_ratio"])
    ('A', 0.5, 1.75)
    """
    n = np.asarray(headcount, dtype=np.int64)
    x = np.asarray(events, dtype=np.int64)
    stay = n - x
    scores = [Fraction(int(s), int(t)) if t > 0 else None for s, t in zip(stay, n, strict=True)]
    choice = choose_reference(labels, n, scores, reference=reference, min_n=options.min_n,
                              what=what)
    rows = [_row(i, labels, n, x, choice, options) for i in range(len(labels))]
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS), choice


def _row(i: int, labels: Sequence[str], n: np.ndarray, x: np.ndarray, choice: ReferenceChoice,
         options: Options) -> dict[str, Any]:
    ni, xi = int(n[i]), int(x[i])
    low, high = _wilson(xi, ni, options.confidence)
    row: dict[str, Any] = {
        "group": labels[i], "headcount": ni, "events": xi,
        "event_rate": xi / ni if ni else math.nan, "event_rate_ci_low": low,
        "event_rate_ci_high": high, "stayed": ni - xi,
        "retention_rate": (ni - xi) / ni if ni else math.nan,
        "reference_group": choice.label, "is_reference": i in choice.tied,
        "too_small_for_reference": choice.too_small(i),
    }
    r = choice.index
    nan_cols = COMPARISON_COLUMNS[COMPARISON_COLUMNS.index("rate_ratio"):]
    if r is None or r == i or ni == 0:
        row.update(dict.fromkeys(nan_cols, math.nan))
        row.update(adverse_impact=False, flips_with_one=False, small_sample=ni < options.min_n,
                   shortfall_four_fifths=0)
        if r == i:
            row.update(rate_ratio=1.0, impact_ratio=1.0, shortfall=0.0)
        return row
    a, b, m, y = ni - xi, int(n[r] - x[r]), int(n[r]), int(x[r])
    z, p_z = sp.two_proportion_z(a, ni, b, m)
    t = options.threshold
    row.update(
        rate_ratio=(xi * m) / (ni * y) if y else math.nan,
        impact_ratio=sp.impact_ratio(a, ni, b, m),
        adverse_impact=sp.below_threshold(a, ni, b, m, t),
        z=z, p_value_z=p_z,
        p_value_fisher=sp.fisher_exact_test(a, ni, b, m, alternative=options.alternative),
        shortfall=sp.shortfall(a, ni, b, m),
        shortfall_four_fifths=sp.shortfall_to_threshold(a, ni, b, m, t),
        flips_with_one=sp.flips_with_one(a, ni, b, m, t),
        small_sample=ni < options.min_n or float(sp.expected_cells(a, ni, b, m).min()) < 5,
    )
    row["ci_low"], row["ci_high"] = sp.impact_ratio_ci(a, ni, b, m, confidence=options.confidence)
    rr = sp.impact_ratio_ci(xi, ni, y, m, confidence=options.confidence)
    row["rate_ratio_ci_low"], row["rate_ratio_ci_high"] = rr
    return row


def _wilson(x: int, n: int, confidence: float) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


def finish(table: pd.DataFrame, options: Options, family: pd.Series | None = None) -> pd.DataFrame:
    """Adjust the Fisher p-values and set the flags.

    p-values are adjusted over every comparison of the result, or within each value of
    ``family`` (e.g. the overall comparisons apart from those within units).
    ``significant``: adjusted p < alpha; ``flagged``: below four-fifths on retention, or a
    significantly higher exit rate than the reference.
    """
    out = table.copy()
    out["p_value_adjusted"] = np.nan
    families = pd.Series(0, index=out.index) if family is None else pd.Series(
        np.asarray(family), index=out.index)
    for _, idx in out.groupby(families, sort=False).groups.items():
        out.loc[idx, "p_value_adjusted"] = sp.adjust_pvalues(
            out.loc[idx, "p_value_fisher"].to_numpy(float), options.adjust)
    out["significant"] = (out["p_value_adjusted"] < options.alpha).fillna(False).astype(bool)
    higher = (out["rate_ratio"] > 1).fillna(False)
    out["flagged"] = (~out["is_reference"] & (out["adverse_impact"] |
                                              (out["significant"] & higher))).astype(bool)
    for c in ("adverse_impact", "flips_with_one", "small_sample", "is_reference",
              "too_small_for_reference"):
        out[c] = out[c].astype(bool)
    for c in ("headcount", "events", "stayed", "shortfall_four_fifths"):
        out[c] = out[c].astype("int64")
    return out


def stratified(
    cells: pd.DataFrame,
    *,
    label: str,
    stratum: str,
    focal: str,
    reference: str,
    confidence: float,
    alpha: float,
) -> dict[str, Any]:
    """Mantel–Haenszel odds ratio of *exit* (focal vs reference) across strata, with the CMH
    and Breslow–Day tests, and whether it reverses the aggregate comparison (Simpson's
    paradox). ``cells`` has columns ``label``, ``stratum``, ``headcount``, ``events``."""
    wide = cells.pivot_table(index=stratum, columns=label, values=["headcount", "events"],
                             aggfunc="sum", fill_value=0, observed=True)
    tables = []
    for s in wide.index:
        def cell(kind: str, g: str, s: Any = s) -> int:
            return int(wide.loc[s, (kind, g)]) if (kind, g) in wide.columns else 0

        xf, nf, xr, nr = (cell("events", focal), cell("headcount", focal),
                          cell("events", reference), cell("headcount", reference))
        tables.append([[xf, nf - xf], [xr, nr - xr]])
    arr = np.asarray(tables, dtype=float).reshape(-1, 2, 2)
    mh = mantel_haenszel(arr, confidence=confidence)
    xf, nf = arr[:, 0].sum(axis=0)[0], arr[:, 0].sum()
    xr, nr = arr[:, 1].sum(axis=0)[0], arr[:, 1].sum()
    den = xr * (nf - xf)
    agg = (xf * (nr - xr)) / den if den else math.nan
    opposite = (math.isfinite(agg) and 0 < mh.odds_ratio < math.inf
                and ((agg < 1 < mh.odds_ratio) or (mh.odds_ratio < 1 < agg)))
    material = (sp.fisher_exact_test(int(xf), int(nf), int(xr), int(nr)) < alpha
                or mh.cmh_p_value < alpha)
    return {
        "group": focal, "reference_group": reference, "n_strata": mh.n_strata,
        "mh_odds_ratio": mh.odds_ratio, "mh_ci_low": mh.ci_low, "mh_ci_high": mh.ci_high,
        "cmh_statistic": mh.cmh_statistic, "cmh_p_value": mh.cmh_p_value,
        "cmh_statistic_corrected": mh.cmh_statistic_corrected,
        "cmh_p_value_corrected": mh.cmh_p_value_corrected,
        "breslow_day_statistic": mh.breslow_day_statistic,
        "breslow_day_p_value": mh.breslow_day_p_value,
        "reversal": bool(opposite and material),
    }


def times(ratio: float) -> str:
    """A rate ratio for a sentence: "2.4 times", "1.35 times"."""
    from .._core.text import format_number

    return f"{format_number(ratio, 1 if ratio >= 2 else 2)} times"


def rate_sentence(*, subject: str, verb: str, ratio: float, rate: float, reference: str,
                  ref_rate: float, p_value: float, excess: float, alpha: float) -> str:
    """"<subject> <verb> at 2.4 times the rate of <reference> (18.0% against 7.5%; Fisher
    p < 0.001; 9 more than parity)".

    Examples
    --------
    >>> rate_sentence(subject="Employees aged 50 and over", verb="were selected for layoff",
    ...               ratio=2.4, rate=0.18, reference="those under 40", ref_rate=0.075,
    ...               p_value=0.0004, excess=9.03, alpha=0.05)
    'Employees aged 50 and over were selected for layoff at 2.4 times the rate of those under 40 (18.0% against 7.5%; Fisher p < 0.001; 9 more than parity)'
    """
    from .._core.text import format_count, format_percent, p_text

    extra = f"; {format_count(excess)} more than parity" if excess >= 0.5 else ""
    return (
        f"{subject} {verb} at {times(ratio)} the rate of {reference} "
        f"({format_percent(rate)} against {format_percent(ref_rate)}; "
        f"{p_text(p_value, 'Fisher p', alpha)}{extra})"
    )
