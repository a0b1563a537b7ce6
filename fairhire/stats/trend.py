"""Trend and association tests on small count tables: representation by level, ratings.

- :func:`cochran_armitage` — Cochran (1954) / Armitage (1955) test for a linear trend in a
  proportion across ordered categories (e.g. women's share across levels L1 → L5). The
  statistic is ``z² = T² / Var T``, with ``T = Σ xᵢ (sᵢ − s̄)``, ``s̄ = Σ nᵢ sᵢ / N`` and
  ``Var T = p̄ (1 − p̄) Σ nᵢ (sᵢ − s̄)²``; it equals R's ``prop.trend.test`` and is N/(N − 1)
  times the linear-by-linear M² of Agresti (2013, §3.4), which statsmodels'
  ``Table.test_ordinal_association`` reports.
- :func:`chi_square` — Pearson's χ² test of independence for an r × c table (used when more
  than two groups are compared across levels; it tests association, not a trend).
- :func:`ordinal_test` — for ordered ratings: Kruskal–Wallis across all groups and the
  Mann–Whitney (Wilcoxon rank-sum) test of each group against a reference, with mid-ranks for
  the heavy ties ratings have, plus the probability of superiority
  ``P(X > Y) + ½ P(X = Y)`` (Vargha & Delaney 2000's A). Chosen over a proportional-odds
  model because it assumes nothing about the shape of the rating distribution, works straight
  from a table of counts and handles five-point scales with many ties exactly as scipy does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._deprecation import PValueRenamed
from ..errors import InvalidParameterError

__all__ = [
    "ChiSquare",
    "OrdinalTest",
    "TrendTest",
    "chi_square",
    "cochran_armitage",
    "mann_whitney_counts",
    "ordinal_test",
]


@dataclass(frozen=True)
class TrendTest(PValueRenamed):
    """Cochran–Armitage trend test: signed z, χ² = z² (1 df) and the two-sided p-value.

    A positive z means the proportion rises with the score (e.g. a group's share grows at
    higher levels); negative, that it falls.
    """

    z: float
    statistic: float
    p_value: float
    scores: tuple[float, ...]


@dataclass(frozen=True)
class ChiSquare(PValueRenamed):
    """Pearson χ² test of independence (no continuity correction)."""

    statistic: float
    df: int
    p_value: float
    min_expected: float


def _as_counts(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InvalidParameterError(f"{name} must be non-negative counts; got {arr.tolist()}.")
    return arr


def cochran_armitage(
    successes: Sequence[float] | np.ndarray,
    totals: Sequence[float] | np.ndarray,
    scores: Sequence[float] | np.ndarray | None = None,
) -> TrendTest:
    """Cochran–Armitage test for trend in proportions ``successes / totals``.

    Parameters
    ----------
    successes, totals : arrays of counts, one per ordered category
    scores : array, optional
        Scores of the categories (default 0, 1, 2, ...: equally spaced levels).

    Examples
    --------
    R's ``prop.trend.test`` documentation example (smokers among patients, Fleiss):
    X-squared = 8.2249, p = 0.004132.

    >>> r = cochran_armitage([83, 90, 129, 70], [86, 93, 136, 82])
    >>> round(r.statistic, 4), round(r.p_value, 6)
    (8.2249, 0.004132)
    """
    x = _as_counts(successes, "successes")
    n = _as_counts(totals, "totals")
    if x.shape != n.shape or x.ndim != 1:
        raise InvalidParameterError("successes and totals must be 1-D arrays of equal length.")
    if (x > n).any():
        raise InvalidParameterError("successes exceed totals in some category.")
    s = np.arange(x.size, dtype=float) if scores is None else np.asarray(scores, dtype=float)
    if s.shape != x.shape:
        raise InvalidParameterError(f"{s.size} scores given for {x.size} categories.")
    big_n = n.sum()
    if big_n == 0:
        return TrendTest(math.nan, math.nan, math.nan, tuple(s.tolist()))
    p = x.sum() / big_n
    s_bar = (n * s).sum() / big_n
    t = (x * (s - s_bar)).sum()
    var = p * (1 - p) * (n * (s - s_bar) ** 2).sum()
    if var <= 0:
        return TrendTest(math.nan, math.nan, math.nan, tuple(s.tolist()))
    z = float(t / math.sqrt(var))
    return TrendTest(z, z * z, float(2 * stats.norm.sf(abs(z))), tuple(s.tolist()))


def chi_square(table: np.ndarray) -> ChiSquare:
    """Pearson χ² test of independence on an r × c table; empty rows/columns are dropped.

    Examples
    --------
    >>> r = chi_square(np.array([[10, 20, 30], [30, 20, 10]]))
    >>> round(r.statistic, 4), r.df
    (20.0, 2)
    """
    arr = _as_counts(np.asarray(table), "table")
    if arr.ndim != 2:
        raise InvalidParameterError("table must be two-dimensional.")
    arr = arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0]
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        return ChiSquare(math.nan, 0, math.nan, math.nan)
    res = stats.chi2_contingency(arr, correction=False)
    return ChiSquare(
        statistic=float(res.statistic),
        df=int(res.dof),
        p_value=float(res.pvalue),
        min_expected=float(res.expected_freq.min()),
    )


@dataclass(frozen=True)
class MannWhitney(PValueRenamed):
    """Mann–Whitney U of group X against Y from category counts (normal approximation)."""

    u: float
    z: float
    p_value: float
    prob_superiority: float


def _midranks(total_per_category: np.ndarray) -> np.ndarray:
    """Mid-rank of each ordered category in the pooled sample."""
    before = np.concatenate([[0.0], np.cumsum(total_per_category)[:-1]])
    return before + (total_per_category + 1) / 2


def mann_whitney_counts(
    x_counts: Sequence[float] | np.ndarray, y_counts: Sequence[float] | np.ndarray
) -> MannWhitney:
    """Two-sided Mann–Whitney test of X vs Y from counts per ordered category.

    Uses mid-ranks and the tie-corrected variance without continuity correction (scipy's
    ``mannwhitneyu(method="asymptotic", use_continuity=False)`` on the expanded data).
    ``prob_superiority`` = U / (n_x n_y) = P(X > Y) + ½ P(X = Y); 0.5 means no difference.

    Examples
    --------
    >>> r = mann_whitney_counts([5, 10, 5], [10, 8, 2])
    >>> round(r.prob_superiority, 4), round(r.p_value, 4)
    (0.65, 0.0786)
    """
    x = _as_counts(x_counts, "x_counts")
    y = _as_counts(y_counts, "y_counts")
    nx, ny = x.sum(), y.sum()
    if nx == 0 or ny == 0:
        return MannWhitney(math.nan, math.nan, math.nan, math.nan)
    tot = x + y
    big_n = nx + ny
    ranks = _midranks(tot)
    u = float((x * ranks).sum() - nx * (nx + 1) / 2)
    ties = float((tot**3 - tot).sum())
    var = nx * ny / 12 * ((big_n + 1) - ties / (big_n * (big_n - 1)))
    ps = u / (nx * ny)
    if var <= 0:
        return MannWhitney(u, math.nan, math.nan, ps)
    z = (u - nx * ny / 2) / math.sqrt(var)
    return MannWhitney(u, float(z), float(2 * stats.norm.sf(abs(z))), float(ps))


@dataclass(frozen=True)
class OrdinalTest(PValueRenamed):
    """Kruskal–Wallis H (tie-corrected) across groups, χ² with k − 1 df."""

    statistic: float
    df: int
    p_value: float


def ordinal_test(table: np.ndarray) -> OrdinalTest:
    """Kruskal–Wallis test on a groups × ordered-categories table of counts.

    Groups with no observations are ignored. For two groups H equals the square of the
    Mann–Whitney z of :func:`mann_whitney_counts`.

    Examples
    --------
    >>> r = ordinal_test(np.array([[5, 10, 5], [10, 8, 2]]))
    >>> round(r.statistic, 4), r.df
    (3.0942, 1)
    """
    arr = _as_counts(np.asarray(table), "table")
    if arr.ndim != 2:
        raise InvalidParameterError("table must be two-dimensional (groups × categories).")
    arr = arr[arr.sum(axis=1) > 0]
    k = arr.shape[0]
    if k < 2:
        return OrdinalTest(math.nan, max(k - 1, 0), math.nan)
    tot = arr.sum(axis=0)
    big_n = tot.sum()
    ranks = _midranks(tot)
    n_g = arr.sum(axis=1)
    r_g = arr @ ranks
    h = 12 / (big_n * (big_n + 1)) * (r_g**2 / n_g).sum() - 3 * (big_n + 1)
    correction = 1 - (tot**3 - tot).sum() / (big_n**3 - big_n)
    if correction <= 0:
        return OrdinalTest(math.nan, k - 1, math.nan)
    h = float(h / correction)
    return OrdinalTest(h, k - 1, float(stats.chi2.sf(h, k - 1)))
