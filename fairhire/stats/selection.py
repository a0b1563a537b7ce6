"""The statistics of many 2×2 selection tables at once.

:func:`selection_statistics` computes, for arrays of comparisons (focal group ``a`` selected of
``n``, reference ``b`` of ``m``), everything :mod:`fairhire.stats.proportions` computes for one
comparison: the impact ratio, the exact four-fifths comparison, the pooled Z test, the Z test on
the impact ratio and its log CI, both shortfalls, the one-person rule, and Fisher's exact test.

The numbers are the scalar functions' own, bit for bit: the same floating-point operations in
the same order (IEEE 754 division, multiplication and square root are correctly rounded in
numpy as in Python; the normal tail is ``scipy.special.ndtr``, which ``scipy.stats.norm.sf``
calls). Integer arithmetic (the four-fifths comparison, the shortfall to the threshold) is done
in int64 where the products provably fit, and exact quotients ``(a·m)/(n·b)`` are taken in
double precision only where both products are below 2⁵³ (so each converts exactly, and one
correctly rounded division gives Python's exact ``int / int``). Comparisons with larger counts
(groups of about 10⁸ people and more) go through the scalar functions, which use Python
integers of any size. Fisher's exact test has no closed form: it is
:func:`fairhire.stats.fisher_many.fisher_exact_tests` (the scalar test's values; tables with a
small support together, the others one by one).

Logarithms and exponentials are the C library's (what :mod:`math` calls), element by element:
on CPUs with AVX-512, numpy's ``exp`` and ``log`` use their own vector implementations, which
differ from the C library's in the last bit, and the same table would otherwise give other
digits on another machine. The arrays hold one value per comparison, so this costs microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from . import proportions as sp
from .fisher_many import fisher_exact_tests

__all__ = [
    "SelectionStatistics",
    "normal_quantile",
    "scalar_statistics",
    "selection_statistics",
    "small_samples",
]

#: Products of counts below this are exact in int64 and convert exactly to float64.
_EXACT = 2**52


def normal_sf(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-value ``2·P(Z > |z|)``, as ``2 * scipy.stats.norm.sf(abs(z))``."""
    from scipy.special import ndtr

    return 2 * ndtr(-np.abs(z))


def normal_quantile(q: float) -> float:
    """The standard normal quantile, as ``scipy.stats.norm.ppf(q)`` (``scipy.special.ndtri``).

    Examples
    --------
    >>> round(normal_quantile(0.975), 6)
    1.959964
    """
    from scipy.special import ndtri

    return float(ndtri(q))


@dataclass(frozen=True)
class SelectionStatistics:
    """One array per statistic, one entry per comparison (NaN where undefined)."""

    impact_ratio: np.ndarray
    adverse_impact: np.ndarray
    z: np.ndarray
    p_value_z: np.ndarray
    p_value_fisher: np.ndarray
    z_ir: np.ndarray
    p_value_z_ir: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    shortfall: np.ndarray
    shortfall_four_fifths: np.ndarray
    flips_with_one: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        return dict(self.__dict__)


def _as_counts(values: object) -> np.ndarray:
    """Counts as an int64 array, or an object array of Python ints when they do not fit."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iub":
        return arr.astype(np.int64, copy=False)
    return np.array([int(v) for v in arr.tolist()], dtype=object)


def _checked(a: object, n: object, b: object, m: object) -> tuple[np.ndarray, ...]:
    """The four count arrays; anything a scalar function would reject goes through it (to
    raise its message), in row order."""
    arrays = [np.asarray(v) for v in (a, n, b, m)]
    if all(x.dtype.kind in "iub" for x in arrays):
        a_, n_, b_, m_ = (x.astype(np.int64, copy=False) for x in arrays)
        if ((a_ >= 0) & (b_ >= 0) & (a_ <= n_) & (b_ <= m_)).all():
            return a_, n_, b_, m_
    checked = [sp.check_counts(*row) for row in zip(*(x.tolist() for x in arrays), strict=True)]
    cols = list(zip(*checked, strict=True)) if checked else [(), (), (), ()]
    return tuple(_as_counts(c) for c in cols)


def _int_rows(a: np.ndarray, n: np.ndarray, b: np.ndarray, m: np.ndarray, t: Fraction):
    """Rows whose products ``n·m·max(p, q)`` fit: numpy's arithmetic is exact there."""
    if a.dtype == object:
        return np.zeros(len(a), dtype=bool)
    scale = float(max(t.numerator, t.denominator, 1))
    return n.astype(float) * m.astype(float) * scale < _EXACT


def selection_statistics(
    a: object,
    n: object,
    b: object,
    m: object,
    *,
    threshold: float | Fraction = sp.FOUR_FIFTHS,
    confidence: float = 0.95,
    alternative: str = "two-sided",
    mid_p: bool = False,
) -> SelectionStatistics:
    """Every statistic of :mod:`~fairhire.stats.proportions` for arrays of comparisons.

    Examples
    --------
    >>> s = selection_statistics([12, 30], [40, 40], [48, 48], [80, 80])
    >>> s.impact_ratio.tolist(), s.adverse_impact.tolist(), s.shortfall_four_fifths.tolist()
    ([0.5, 1.25], [True, False], [8, 0])
    >>> round(float(s.p_value_fisher[0]), 8)
    0.00340922
    """
    a, n, b, m = _checked(a, n, b, m)
    t = sp.as_fraction(threshold)
    if not 0 < confidence < 1:
        sp.impact_ratio_ci(1, 1, 1, 1, confidence=confidence)  # raises the scalar's message
    k = len(a)
    fast = _int_rows(a, n, b, m, t)
    out = _vector(a[fast], n[fast], b[fast], m[fast], t, confidence) if fast.any() else None
    floats = ("impact_ratio", "z", "p_value_z", "z_ir", "p_value_z_ir", "ci_low", "ci_high")
    cols = {name: np.full(k, np.nan) for name in (*floats, "shortfall")}
    cols.update(
        adverse_impact=np.zeros(k, dtype=bool),
        flips_with_one=np.zeros(k, dtype=bool),
        shortfall_four_fifths=np.zeros(k, dtype=np.int64),
    )
    if out is not None:
        for name, values in out.items():
            cols[name][fast] = values
    for i in np.flatnonzero(~fast):
        row = scalar_statistics(int(a[i]), int(n[i]), int(b[i]), int(m[i]), t, confidence)
        for name, value in row.items():
            cols[name][i] = value
    cols["p_value_fisher"] = fisher_exact_tests(a, n, b, m, alternative=alternative, mid_p=mid_p)
    return SelectionStatistics(**cols)


def _below(a, n, b, m, t: Fraction) -> np.ndarray:
    """Exact four-fifths comparison ``a·m·q < p·b·n`` (False when a group is empty)."""
    return (a * m * t.denominator < t.numerator * b * n) & (n > 0) & (m > 0)


def _exp(x: np.ndarray) -> np.ndarray:
    """``np.exp`` with the C library's values on every CPU (inf past overflow, nan kept)."""
    return np.fromiter((_exp1(v) for v in x.tolist()), float, len(x))


def _exp1(v: float) -> float:
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _log(x: np.ndarray) -> np.ndarray:
    """``np.log`` with the C library's values on every CPU (-inf at 0, nan below)."""
    return np.fromiter(
        (math.log(v) if v > 0 else -math.inf if v == 0 else math.nan for v in x.tolist()),
        float, len(x),
    )


def _vector(a, n, b, m, t: Fraction, confidence: float) -> dict[str, np.ndarray]:
    """The closed-form statistics in numpy, operation for operation as the scalar functions."""
    fa, fn, fb, fm = (x.astype(float) for x in (a, n, b, m))
    with np.errstate(divide="ignore", invalid="ignore"):
        ir = np.where((n == 0) | (m == 0) | (b == 0), np.nan, (a * m) / (n * b))
        # pooled two-proportion Z (two_proportion_z)
        p = (fa + fb) / (fn + fm)
        var = p * (1 - p) * (1 / fn + 1 / fm)
        ok = (n > 0) & (m > 0) & (var > 0)
        z = np.where(ok, (fa / fn - fb / fm) / np.sqrt(var), np.nan)
        # Z on the log impact ratio (impact_ratio_z)
        big_n = fn + fm
        p_min = fn / big_n
        se_ir = np.sqrt((1 - p) / (p * big_n * p_min * (1 - p_min)))
        ok_ir = (ir > 0) & (p < 1)
        z_ir = np.where(ok_ir, _log(ir) / se_ir, np.nan)
        # log CI of the impact ratio (impact_ratio_ci)
        sr1, sr2 = fa / fn, fb / fm
        se = np.sqrt((1 - sr1) / (fn * sr1) + (1 - sr2) / (fm * sr2))
        zc = normal_quantile(0.5 + confidence / 2)
        log_ir = _log(sr1 / sr2)
        ok_ci = (a > 0) & (b > 0) & (n > 0) & (m > 0)
        lo = np.where(ok_ci, _exp(log_ir - zc * se), np.nan)
        hi = np.where(ok_ci, _exp(log_ir + zc * se), np.nan)
        short = np.where(m == 0, np.nan, np.maximum(0.0, (n * b) / fm - fa))
    below = _below(a, n, b, m, t)
    need = t.numerator * b * n - a * m * t.denominator
    step = m * t.denominator
    to_threshold = np.where(
        below & (need > 0), -(-need // np.where(step > 0, step, 1)), 0
    ).astype(np.int64)
    flips = below & (b > 0) & (a < n) & ~_below(a + 1, n, b - 1, m, t)
    return {
        "impact_ratio": ir,
        "adverse_impact": below,
        "z": z,
        "p_value_z": normal_sf(z),
        "z_ir": z_ir,
        "p_value_z_ir": normal_sf(z_ir),
        "ci_low": lo,
        "ci_high": hi,
        "shortfall": short,
        "shortfall_four_fifths": to_threshold,
        "flips_with_one": flips,
    }


def scalar_statistics(
    a: int, n: int, b: int, m: int, threshold: Fraction, confidence: float
) -> dict[str, object]:
    """The closed-form statistics of one comparison by the scalar functions (Python integers
    of any size): what :func:`selection_statistics` uses for counts too large for int64
    products, and what its tests compare it with.

    Examples
    --------
    >>> scalar_statistics(12, 40, 48, 80, Fraction(4, 5), 0.95)["shortfall_four_fifths"]
    8
    """
    t = threshold
    z = sp.two_proportion_z(a, n, b, m)
    zir = sp.impact_ratio_z(a, n, b, m)
    lo, hi = sp.impact_ratio_ci(a, n, b, m, confidence=confidence)
    return {
        "impact_ratio": sp.impact_ratio(a, n, b, m),
        "adverse_impact": sp.below_threshold(a, n, b, m, t),
        "z": z.statistic,
        "p_value_z": z.p_value,
        "z_ir": zir.statistic,
        "p_value_z_ir": zir.p_value,
        "ci_low": lo,
        "ci_high": hi,
        "shortfall": sp.shortfall(a, n, b, m),
        "shortfall_four_fifths": sp.shortfall_to_threshold(a, n, b, m, t),
        "flips_with_one": sp.flips_with_one(a, n, b, m, t),
    }


def small_samples(a: object, n: object, b: object, m: object, min_n: int) -> np.ndarray:
    """Comparisons too small for the large-sample tests: a group under ``min_n`` people, or an
    expected cell of the 2×2 table under 5 (all True for an empty table).

    Examples
    --------
    >>> small_samples([12, 3], [40, 10], [48, 8], [80, 10], 30).tolist()
    [False, True]
    """
    fa, fn, fb, fm = (np.asarray(x, dtype=float) for x in (a, n, b, m))
    big_n = fn + fm
    sel = fa + fb
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [r * c / big_n for r in (fn, fm) for c in (sel, big_n - sel)]
    small_cell = np.logical_or.reduce([c < 5 for c in cells]) | (big_n == 0)
    return (fn < min_n) | (fm < min_n) | small_cell
