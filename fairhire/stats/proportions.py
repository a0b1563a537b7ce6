"""Selection rates, the four-fifths rule and tests on a 2×2 selection table.

Every function takes counts: the focal group selected ``a`` of ``n`` and the reference group
selected ``b`` of ``m``. Nothing here sees a data frame.

Sources: 29 CFR 1607.4(D) and the UGESP Questions and Answers (four-fifths rule, Q&A 11, 12, 21);
Morris & Lobsenz (2000) for the Z test on the impact ratio; Katz et al. (1978) for the log
confidence interval of a ratio of proportions; Lancaster (1961) for the mid-P value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from .._deprecation import renamed_attribute
from ..errors import InvalidParameterError, InvalidValueError, show_value
from .hypergeometric import Hypergeometric, two_sided_p

__all__ = [
    "TestResult",
    "adjust_pvalues",
    "as_fraction",
    "below_threshold",
    "check_counts",
    "expected_cells",
    "fisher_exact_test",
    "flips_with_one",
    "impact_ratio",
    "impact_ratio_ci",
    "impact_ratio_z",
    "selection_rate",
    "shortfall",
    "shortfall_to_threshold",
    "two_proportion_z",
]

FOUR_FIFTHS = Fraction(4, 5)


class TestResult(NamedTuple):
    """A test statistic and its two-sided p-value."""

    pvalue = renamed_attribute("pvalue", "p_value")

    statistic: float
    p_value: float


def _whole(value: object, what: str) -> int:
    """A count as a Python int; NaN, infinities, fractions and negatives are errors."""
    if type(value) is int and value >= 0:  # the common case, first
        return value
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x) or not x.is_integer():
            raise InvalidValueError(
                f"the {what} count is {value!r}; counts must be finite whole numbers. Check "
                "the counts table for missing, infinite or fractional values."
            )
        out = int(x)
    else:
        raise InvalidValueError(f"the {what} count is {value!r}, not a whole number.")
    if out < 0:
        raise InvalidValueError(f"the {what} count is {out}; counts cannot be negative.")
    return out


def _two_sided(z: float) -> float:
    """``2 · P(Z > |z|)``: ``scipy.stats.norm.sf`` is ``scipy.special.ndtr(-z)``, without the
    0.3 s import of scipy.stats."""
    from scipy.special import ndtr

    return float(2 * ndtr(-abs(z)))


def check_counts(a: object, n: object, b: object, m: object) -> tuple[int, int, int, int]:
    """The four counts as Python ints (any size), checked: whole, non-negative, a ≤ n, b ≤ m.

    Examples
    --------
    >>> check_counts(12, 40.0, 48, 80)
    (12, 40, 48, 80)
    """
    a, n = _whole(a, "focal selected"), _whole(n, "focal applicants")
    b, m = _whole(b, "reference selected"), _whole(m, "reference applicants")
    for name, sel, tot in (("focal", a, n), ("reference", b, m)):
        if sel > tot:
            raise InvalidParameterError(
                f"{name} counts are impossible: {sel} selected of {tot}. Selected counts must "
                "lie between 0 and the number of applicants."
            )
    return a, n, b, m


def as_fraction(threshold: float | Fraction | str, *, name: str = "threshold") -> Fraction:
    """Read a threshold (0.8, "4/5", Fraction(4, 5)) in (0, 1] as an exact fraction.

    Floats are read through their decimal representation, so ``0.8`` is exactly 4/5. The one
    reading of every impact-ratio threshold (:func:`fairhire._core.params.check_threshold`
    adds the boolean check at the public boundary); errors name the argument ``name``.

    Examples
    --------
    >>> as_fraction(0.8)
    Fraction(4, 5)
    """
    try:
        value = threshold if isinstance(threshold, Fraction) else Fraction(str(threshold).strip())
    except (ValueError, ZeroDivisionError, TypeError):
        raise InvalidParameterError(
            f"{name}={show_value(threshold)} is not a number; use e.g. 0.8 or '4/5'."
        ) from None
    if not 0 < value <= 1:
        raise InvalidParameterError(
            f"{name}={show_value(threshold)} must lie in (0, 1]; use e.g. 0.8."
        )
    return value


def selection_rate(selected: int, applicants: int) -> float:
    """Share of applicants selected; NaN when there were no applicants.

    Examples
    --------
    >>> selection_rate(12, 40)
    0.3
    """
    return selected / applicants if applicants else math.nan


def impact_ratio(a: int, n: int, b: int, m: int) -> float:
    """Focal selection rate divided by the reference rate (NaN when undefined).

    Examples
    --------
    >>> impact_ratio(12, 40, 48, 80)
    0.5
    """
    a, n, b, m = check_counts(a, n, b, m)
    if n == 0 or m == 0 or b == 0:
        return math.nan
    return (a * m) / (n * b)


def below_threshold(
    a: int, n: int, b: int, m: int, threshold: float | Fraction = FOUR_FIFTHS
) -> bool:
    """Exact four-fifths comparison: is a/n *less than* threshold × b/m?

    Compares integers (``a*m*q < p*b*n`` for threshold p/q), never floats: 12/20 against 15/20
    is exactly four-fifths and is not adverse impact (UGESP Q&A 11).

    Examples
    --------
    >>> below_threshold(12, 20, 15, 20)
    False
    >>> below_threshold(11, 20, 15, 20)
    True
    """
    a, n, b, m = check_counts(a, n, b, m)
    if n == 0 or m == 0:
        return False
    t = as_fraction(threshold)
    return a * m * t.denominator < t.numerator * b * n


def two_proportion_z(a: int, n: int, b: int, m: int) -> TestResult:
    """Pooled two-proportion Z test (the "two standard deviations" rule), two-sided.

    ``Z = (a/n − b/m) / sqrt(p(1−p)(1/n + 1/m))`` with ``p = (a+b)/(n+m)``. Negative Z means
    the focal group's rate is lower. Z² equals Pearson's χ² without continuity correction.
    Undefined (NaN) when a group is empty or everyone/no one was selected.

    Examples
    --------
    >>> z, p = two_proportion_z(12, 40, 48, 80)
    >>> round(z, 5), round(p, 8)
    (-3.09839, 0.00194577)
    """
    a, n, b, m = check_counts(a, n, b, m)
    if n == 0 or m == 0:
        return TestResult(math.nan, math.nan)
    p = (a + b) / (n + m)
    var = p * (1 - p) * (1 / n + 1 / m)
    if var <= 0:
        return TestResult(math.nan, math.nan)
    z = (a / n - b / m) / math.sqrt(var)
    return TestResult(z, _two_sided(z))


def fisher_exact_test(
    a: int,
    n: int,
    b: int,
    m: int,
    *,
    alternative: str = "two-sided",
    mid_p: bool = False,
) -> float:
    """Fisher's exact test p-value on the 2×2 table [[a, n−a], [b, m−b]].

    ``alternative="less"`` tests whether the focal group's odds of selection are lower (the
    direction of adverse impact); ``"greater"`` the opposite. ``mid_p=True`` gives Lancaster's
    mid-P: the probability of tables more extreme than the one observed plus half the
    probability of tables as extreme (for the two-sided test, "as extreme" means as probable,
    the same ordering scipy uses for the ordinary two-sided p-value).

    Exact at any size: only the tails of the hypergeometric distribution are summed, from the
    observed table outwards, never its whole support; counts are Python integers of any size.
    Above a standard deviation of 50,000 (groups of about 10¹⁰ people) the tails are integrated
    instead, with an error far below 1e-10 (see :mod:`fairhire.stats.hypergeometric`).

    Examples
    --------
    >>> round(fisher_exact_test(12, 40, 48, 80), 8)
    0.00340922
    >>> fisher_exact_test(5 * 10**11, 10**12, 6 * 10**11, 10**12)  # no MemoryError
    0.0
    """
    a, n, b, m = check_counts(a, n, b, m)
    if alternative not in {"two-sided", "less", "greater"}:
        raise InvalidParameterError(
            f"alternative={alternative!r}; use 'two-sided', 'less' or 'greater'."
        )
    if n == 0 or m == 0:
        return math.nan
    # X = focal selections ~ Hypergeometric(total n + m, successes a + b, draws n)
    h = Hypergeometric(n + m, a + b, n)
    if alternative == "two-sided":
        return two_sided_p(h, a, mid_p=mid_p)
    half = 0.5 * math.exp(h.log_pmf1(a)) if mid_p else 0.0
    if alternative == "less":
        return float(min(1.0, h.cdf(a) - half))
    return float(min(1.0, h.sf(a - 1) - half))


def impact_ratio_z(a: int, n: int, b: int, m: int) -> TestResult:
    """Z test on the log impact ratio (Morris & Lobsenz, 2000), two-sided.

    ``Z_IR = ln(IR) / sqrt((1 − p) / (p · N · P_min · (1 − P_min)))`` with ``N = n + m``,
    ``p = (a + b)/N`` and ``P_min = n/N`` the focal group's share of applicants.

    Examples
    --------
    >>> z, p = impact_ratio_z(12, 40, 48, 80)
    >>> round(z, 4)
    -3.5794
    """
    a, n, b, m = check_counts(a, n, b, m)
    ir = impact_ratio(a, n, b, m)
    if not ir > 0:  # also catches NaN
        return TestResult(math.nan, math.nan)
    big_n = n + m
    p = (a + b) / big_n
    p_min = n / big_n
    if p >= 1:
        return TestResult(math.nan, math.nan)
    se = math.sqrt((1 - p) / (p * big_n * p_min * (1 - p_min)))
    z = math.log(ir) / se
    return TestResult(z, _two_sided(z))


def impact_ratio_ci(
    a: int, n: int, b: int, m: int, *, confidence: float = 0.95
) -> tuple[float, float]:
    """Confidence interval of the impact ratio by the log method (Katz et al., 1978).

    ``exp(ln IR ± z · sqrt((1 − SR1)/(n · SR1) + (1 − SR2)/(m · SR2)))``. NaN when either
    group had no selections.

    Examples
    --------
    >>> [round(x, 6) for x in impact_ratio_ci(12, 40, 48, 80)]
    [0.301433, 0.829372]
    """
    a, n, b, m = check_counts(a, n, b, m)
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    if a == 0 or b == 0 or n == 0 or m == 0:
        return (math.nan, math.nan)
    sr1, sr2 = a / n, b / m
    se = math.sqrt((1 - sr1) / (n * sr1) + (1 - sr2) / (m * sr2))
    from scipy.special import ndtri  # scipy.stats.norm.ppf is ndtri; its import costs 0.3 s

    zc = float(ndtri(0.5 + confidence / 2))
    log_ir = math.log(sr1 / sr2)
    return (math.exp(log_ir - zc * se), math.exp(log_ir + zc * se))


def shortfall(a: int, n: int, b: int, m: int) -> float:
    """Extra focal selections needed, reference unchanged, to reach the reference rate.

    ``n · b/m − a``, floored at zero (a group at or above the reference rate has no shortfall).

    Examples
    --------
    >>> shortfall(12, 40, 48, 80)
    12.0
    """
    a, n, b, m = check_counts(a, n, b, m)
    if m == 0:
        return math.nan
    return max(0.0, n * b / m - a)


def shortfall_to_threshold(
    a: int, n: int, b: int, m: int, threshold: float | Fraction = FOUR_FIFTHS
) -> int:
    """Smallest whole k with (a + k)/n ≥ threshold · b/m, in exact arithmetic.

    Examples
    --------
    >>> shortfall_to_threshold(12, 40, 48, 80)
    8
    """
    a, n, b, m = check_counts(a, n, b, m)
    if n == 0 or m == 0:
        return 0
    t = as_fraction(threshold)
    # (a + k) * m * q >= p * b * n  <=>  k >= (p*b*n - a*m*q) / (m*q)
    need = t.numerator * b * n - a * m * t.denominator
    if need <= 0:
        return 0
    return -(-need // (m * t.denominator))


def flips_with_one(
    a: int, n: int, b: int, m: int, threshold: float | Fraction = FOUR_FIFTHS
) -> bool:
    """UGESP Q&A 21 one-person rule: would one selection moved from the reference group to the
    focal group lift a flagged ratio to the threshold or above?

    Only a flagged comparison can flip; an unflagged one returns False.

    Examples
    --------
    >>> flips_with_one(3, 10, 8, 10)  # 0.3/0.8 = 0.375, but 4/10 vs 7/10 is still below 0.8
    False
    >>> flips_with_one(7, 10, 9, 10)  # 0.78 -> 8/10 vs 8/10 = 1.0
    True
    """
    if not below_threshold(a, n, b, m, threshold):
        return False
    if b == 0 or a >= n:
        return False
    return not below_threshold(a + 1, n, b - 1, m, threshold)


def expected_cells(a: int, n: int, b: int, m: int) -> np.ndarray:
    """Expected counts of the 2×2 table under independence (for the small-sample flag)."""
    big_n = n + m
    if big_n == 0:
        return np.zeros((2, 2))
    sel = a + b
    rows = np.array([n, m], dtype=float)
    cols = np.array([sel, big_n - sel], dtype=float)
    return np.outer(rows, cols) / big_n


def adjust_pvalues(pvalues: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple comparisons; NaNs stay NaN and don't count.

    ``method``: ``"holm"`` (Holm–Bonferroni, controls the family-wise error rate; default),
    ``"fdr_bh"`` (Benjamini–Hochberg false discovery rate), ``"bonferroni"`` or ``"none"``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, float("nan")], "holm").round(3).tolist()
    [0.02, 0.04, nan]
    """
    aliases = {"bh": "fdr_bh", "benjamini-hochberg": "fdr_bh", "fdr": "fdr_bh"}
    method = aliases.get(method, method)
    if method not in {"holm", "fdr_bh", "bonferroni", "none"}:
        raise InvalidParameterError(
            f"adjust={method!r}; use 'holm' (default), 'fdr_bh' (Benjamini–Hochberg), "
            "'bonferroni' or 'none'."
        )
    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    k = q.size
    if k == 0 or method == "none":
        out[ok] = q
    elif method == "fdr_bh":
        from scipy.stats import false_discovery_control

        out[ok] = false_discovery_control(q, method="bh")
    elif method == "bonferroni":
        out[ok] = np.minimum(1.0, q * k)
    else:
        # Holm (1979) step-down; statsmodels' multipletests gives the same values but runs a
        # full garbage collection on every call, which dominates at this size.
        order = np.argsort(q, kind="stable")
        stepped = np.maximum.accumulate(q[order] * np.arange(k, 0, -1))
        adjusted = np.empty(k)
        adjusted[order] = np.minimum(1.0, stepped)
        out[ok] = adjusted
    return out
