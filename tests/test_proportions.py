"""Statistics on 2×2 selection tables against published reference values.

Sources:
- METHODS.md §1, UGESP Q&A 12 style table (focal 12 of 40, reference 48 of 80): IR 0.5,
  pooled Z −3.09839 (p 0.00194577), Fisher two-sided p 0.00340922, 95% CI [0.301433, 0.829372],
  shortfall 12, smallest k to four-fifths 8.
- UGESP Q&A 11: 60% vs 48% ... exactly four-fifths is not adverse impact (12/20 vs 15/20).
- R 4.x: ``fisher.test(matrix(c(12, 28, 48, 32), 2, byrow=TRUE))$p.value`` = 0.003409;
  ``prop.test(c(12, 48), c(40, 80), correct=FALSE)$statistic`` = 9.6 (= Z²).
- Mid-P: Lancaster (1961); R ``exact2x2::exact2x2(..., midp=TRUE)`` style, cross-checked here
  against a direct hypergeometric sum.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from fairhire.errors import InvalidParameterError
from fairhire.stats import proportions as sp

A, N, B, M = 12, 40, 48, 80


def test_reference_table_q12():
    assert sp.impact_ratio(A, N, B, M) == 0.5
    z, p = sp.two_proportion_z(A, N, B, M)
    assert z == pytest.approx(-3.09839, abs=1e-5)
    assert p == pytest.approx(0.00194577, rel=1e-5)
    assert z**2 == pytest.approx(9.6, rel=1e-12)  # Pearson chi-square without correction
    assert sp.fisher_exact_test(A, N, B, M) == pytest.approx(0.00340922, rel=1e-5)
    lo, hi = sp.impact_ratio_ci(A, N, B, M)
    assert lo == pytest.approx(0.301433, abs=1e-6)
    assert hi == pytest.approx(0.829372, abs=1e-6)
    assert sp.shortfall(A, N, B, M) == 12.0
    assert sp.shortfall_to_threshold(A, N, B, M) == 8
    assert sp.below_threshold(A, N, B, M)


def test_impact_ratio_z_morris_lobsenz():
    # ln(0.5) / sqrt((1-.5)/(.5*120*(1/3)*(2/3))) computed by hand
    z, p = sp.impact_ratio_z(A, N, B, M)
    assert z == pytest.approx(math.log(0.5) / math.sqrt(0.5 / (0.5 * 120 * (1 / 3) * (2 / 3))))
    assert p == pytest.approx(2 * ss.norm.sf(abs(z)))


def test_exactly_four_fifths_is_not_adverse_impact():
    # (12/20)/(15/20) is 0.7999999999999999 in floating point
    assert (12 / 20) / (15 / 20) < 0.8
    assert not sp.below_threshold(12, 20, 15, 20)
    assert sp.below_threshold(11, 20, 15, 20)
    # UGESP Q&A 11: 48% vs 60%
    assert not sp.below_threshold(48, 100, 60, 100)


def test_threshold_is_read_exactly():
    assert sp.as_fraction(0.8) == Fraction(4, 5)
    assert sp.as_fraction("4/5") == Fraction(4, 5)
    with pytest.raises(InvalidParameterError, match="threshold"):
        sp.as_fraction(1.5)
    with pytest.raises(InvalidParameterError, match="threshold"):
        sp.as_fraction("abc")


def test_one_person_rule():
    assert sp.flips_with_one(7, 10, 9, 10)  # 8/10 vs 8/10 after moving one
    assert not sp.flips_with_one(3, 10, 8, 10)
    assert not sp.flips_with_one(12, 20, 15, 20)  # not flagged, cannot flip
    assert not sp.flips_with_one(0, 10, 0, 10)


def test_undefined_cases_are_nan_not_warnings():
    assert math.isnan(sp.impact_ratio(0, 10, 0, 10))
    assert math.isnan(sp.two_proportion_z(0, 10, 0, 10).statistic)
    assert math.isnan(sp.two_proportion_z(10, 10, 10, 10).p_value)
    assert all(math.isnan(x) for x in sp.impact_ratio_ci(0, 10, 5, 10))
    assert math.isnan(sp.impact_ratio_z(0, 10, 5, 10).statistic)
    assert math.isnan(sp.selection_rate(0, 0))


def test_impossible_counts_raise():
    with pytest.raises(InvalidParameterError, match="selected"):
        sp.impact_ratio(11, 10, 5, 10)
    with pytest.raises(InvalidParameterError):
        sp.fisher_exact_test(1, 10, 1, 10, alternative="smaller")


@given(
    st.integers(1, 300),
    st.integers(1, 300),
    st.data(),
)
def test_fisher_matches_scipy(n, m, data):
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(0, m))
    ours = sp.fisher_exact_test(a, n, b, m)
    ref = ss.fisher_exact([[a, n - a], [b, m - b]]).pvalue
    assert ours == pytest.approx(ref, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    "a,n,b,m",
    [
        (300_000, 1_000_000, 310_000, 1_000_000),
        (1_000, 5_000_000, 1_100, 5_000_000),
        (123_456, 400_000, 140_000, 420_000),
        (5, 2_000_000, 1, 10),
    ],
)
def test_fisher_windowed_matches_scipy_at_scale(a, n, b, m):
    ref = ss.fisher_exact([[a, n - a], [b, m - b]]).pvalue
    assert sp.fisher_exact_test(a, n, b, m) == pytest.approx(ref, rel=1e-6)


def test_fisher_one_sided_and_mid_p():
    less = sp.fisher_exact_test(A, N, B, M, alternative="less")
    assert less == pytest.approx(
        ss.fisher_exact([[A, N - A], [B, M - B]], alternative="less").pvalue
    )
    dist = ss.hypergeom(N + M, A + B, N)
    assert sp.fisher_exact_test(A, N, B, M, alternative="less", mid_p=True) == pytest.approx(
        dist.cdf(A - 1) + 0.5 * dist.pmf(A)
    )
    two_mid = sp.fisher_exact_test(A, N, B, M, mid_p=True)
    assert two_mid < sp.fisher_exact_test(A, N, B, M)
    support = np.arange(0, A + B + 1)
    pmf = dist.pmf(support)
    p_obs = dist.pmf(A)
    # tables as probable as the observed one (here x = 12 and its mirror x = 28) count half
    same = np.isclose(pmf, p_obs, rtol=1e-7)
    expected = pmf[(pmf < p_obs) & ~same].sum() + 0.5 * pmf[same].sum()
    assert two_mid == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("method", ["holm", "fdr_bh", "bonferroni"])
def test_adjust_matches_statsmodels(method):
    rng = np.random.default_rng(0)
    p = rng.random(40) ** 3
    assert np.allclose(sp.adjust_pvalues(p, method), multipletests(p, method=method)[1])


def test_adjust_keeps_nan_out_of_the_family():
    out = sp.adjust_pvalues([0.01, np.nan, 0.04], "holm")
    assert np.isnan(out[1])
    assert out[0] == pytest.approx(0.02)
    assert np.array_equal(sp.adjust_pvalues([0.2, np.nan], "none"), [0.2, np.nan], equal_nan=True)
    with pytest.raises(InvalidParameterError, match="holm"):
        sp.adjust_pvalues([0.1], "sidak-ish")


@given(st.integers(0, 60), st.integers(1, 60), st.integers(0, 60), st.integers(1, 60))
def test_four_fifths_exact_matches_fraction_arithmetic(a, n, b, m):
    a, b = min(a, n), min(b, m)
    expected = Fraction(a, n) < Fraction(4, 5) * Fraction(b, m)
    assert sp.below_threshold(a, n, b, m) == expected


@given(st.integers(0, 60), st.integers(1, 60), st.integers(1, 60), st.integers(1, 60))
def test_shortfall_to_threshold_is_minimal(a, n, b, m):
    a, b = min(a, n), min(b, m)
    k = sp.shortfall_to_threshold(a, n, b, m)
    assert Fraction(a + k, n) >= Fraction(4, 5) * Fraction(b, m) or a + k > n
    if k > 0:
        assert Fraction(a + k - 1, n) < Fraction(4, 5) * Fraction(b, m)


@given(st.integers(1, 50), st.integers(1, 50), st.integers(2, 50), st.integers(1, 20))
def test_scaling_counts_keeps_ratio(n, m, b, k):
    a = n // 2
    b = min(b, m)
    assert sp.impact_ratio(a * k, n * k, b * k, m * k) == pytest.approx(sp.impact_ratio(a, n, b, m))
    assert sp.below_threshold(a * k, n * k, b * k, m * k) == sp.below_threshold(a, n, b, m)


# --- any size: huge counts, Python ints, bad values -------------------------------------------


def test_fisher_with_a_trillion_per_group_needs_no_memory():
    # the whole support would be 10**12 floats (745 GiB); only the tails are summed
    n = 10**12
    assert sp.fisher_exact_test(n // 2, n, 6 * n // 10, n) == 0.0
    near = sp.fisher_exact_test(n // 2 - 10**6, n, n // 2, n)
    # the normal approximation is excellent at this size: |Z| = 1.414, p = 0.157
    _, p_z = sp.two_proportion_z(n // 2 - 10**6, n, n // 2, n)
    assert near == pytest.approx(p_z, rel=1e-4)
    assert sp.fisher_exact_test(n // 2, n, n // 2, n) == 1.0


def test_fisher_integrated_tails_match_scipy_on_moderate_counts(monkeypatch):
    # above SIGMA_EXACT the tails are integrated; force that switch at moderate sizes, where
    # scipy is exact, and check it agrees
    from fairhire.stats import hypergeometric

    cases = [
        (300_000, 1_000_000, 310_000, 1_000_000),
        (480_000, 1_000_000, 500_000, 1_000_000),
        (4_990_000, 10_000_000, 5_000_000, 10_000_000),
    ]
    monkeypatch.setattr(hypergeometric, "SIGMA_EXACT", 10.0)
    for a, n, b, m in cases:
        ref = ss.fisher_exact([[a, n - a], [b, m - b]]).pvalue
        assert sp.fisher_exact_test(a, n, b, m) == pytest.approx(ref, rel=1e-6)


def test_counts_above_int64_are_python_ints():
    big = 2**63 + 2**40
    assert sp.impact_ratio(big // 2, big, big // 2, big) == 1.0
    assert not sp.below_threshold(big // 2, big, big // 2, big)
    assert sp.below_threshold(big // 2, big, big - 1, big)
    p = sp.fisher_exact_test(big // 2 - 2**33, big, big // 2, big)
    p_z = sp.two_proportion_z(big // 2 - 2**33, big, big // 2, big).p_value
    assert p == pytest.approx(p_z, rel=1e-3)


@pytest.mark.parametrize("bad", [math.inf, math.nan, -1, 2.5, "3"])
def test_bad_counts_are_clear_errors(bad):
    from fairhire.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="count"):
        sp.fisher_exact_test(bad, 10, 5, 10)
    with pytest.raises(InvalidValueError, match="count"):
        sp.impact_ratio(1, 10, 5, bad)


@given(st.integers(1, 300), st.integers(1, 300), st.data())
def test_one_sided_and_mid_p_match_scipy(n, m, data):
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(0, m))
    table = [[a, n - a], [b, m - b]]
    for alt in ("less", "greater"):
        ref = ss.fisher_exact(table, alternative=alt).pvalue
        assert sp.fisher_exact_test(a, n, b, m, alternative=alt) == pytest.approx(
            ref, rel=1e-9, abs=1e-300
        )
    dist = ss.hypergeom(n + m, a + b, n)
    assert sp.fisher_exact_test(a, n, b, m, alternative="less", mid_p=True) == pytest.approx(
        dist.cdf(a) - 0.5 * dist.pmf(a), rel=1e-9, abs=1e-300
    )


@given(
    start=st.integers(0, (1 << 20) + 10),
    count=st.integers(1, 9000),
    step=st.sampled_from([1, -1]),
)
def test_log_factorial_run_is_the_table_read_point_by_point(start, count, step):
    """The slice reader gives log_factorial's very values, across blocks, down to 0 and past
    the table's end (where both fall back to gammaln)."""
    from fairhire.stats.logterms import log_factorial, log_factorial_run

    if step < 0:
        count = min(count, start + 1)
    points = start + step * np.arange(count, dtype=float)
    assert np.array_equal(log_factorial_run(start, count, step), log_factorial(points))


@given(
    n=st.integers(1, 3000),
    m=st.integers(1, 3000),
    share=st.floats(0, 1),
    start=st.floats(0, 1),
    step=st.sampled_from([1, -1]),
)
def test_log_pmf_run_equals_log_pmf(n, m, share, start, step):
    """Fisher's tails read the pmf as table slices; the values are log_pmf's, bit for bit."""
    from fairhire.stats.hypergeometric import Hypergeometric

    h = Hypergeometric(n + m, round(share * (n + m)), n)
    first = h.lo + round(start * (h.hi - h.lo))
    count = (h.hi - first if step > 0 else first - h.lo) + 1
    points = first + step * np.arange(count, dtype=float)
    assert np.array_equal(h._log_pmf_run(first, count, step), h.log_pmf(points))
