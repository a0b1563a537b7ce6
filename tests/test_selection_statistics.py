"""The vectorised statistics of many comparisons equal the scalar functions, bit for bit."""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhire.errors import InvalidParameterError
from fairhire.stats import proportions as sp
from fairhire.stats.selection import (
    normal_quantile,
    scalar_statistics,
    selection_statistics,
    small_samples,
)


def _bits(x: float) -> bytes:
    return struct.pack("<d", float(x))


def _check(tables, threshold=Fraction(4, 5), confidence=0.95):
    a, n, b, m = (list(col) for col in zip(*tables, strict=True))
    got = selection_statistics(a, n, b, m, threshold=threshold, confidence=confidence).as_dict()
    for i, row in enumerate(tables):
        want = scalar_statistics(*row, threshold, confidence)
        want["p_value_fisher"] = sp.fisher_exact_test(*row)
        for name, value in want.items():
            mine = got[name][i]
            if isinstance(value, float):
                same = _bits(mine) == _bits(value) or (math.isnan(mine) and math.isnan(value))
                assert same, (name, row, mine, value)
            else:
                assert mine == value and type(mine.item()) is type(value), (name, row)


TABLE = st.integers(0, 400).flatmap(
    lambda n: st.integers(0, 400).flatmap(
        lambda m: st.tuples(st.integers(0, n), st.just(n), st.integers(0, m), st.just(m))
    )
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(TABLE, min_size=1, max_size=12),
    st.sampled_from([Fraction(4, 5), Fraction(2, 3), Fraction(9, 10), Fraction(1)]),
    st.sampled_from([0.9, 0.95, 0.99]),
)
def test_same_bits_as_the_scalar_functions(tables, threshold, confidence):
    _check(tables, threshold, confidence)


def test_large_and_huge_counts():
    # millions (numpy, products exact below 2**52) and 10**11 (the scalar path, Python ints)
    _check([(1_853_697, 5_043_823, 1_641_150, 4_462_669), (4_665, 96_960, 51_556, 1_066_822)])
    _check([(5 * 10**10, 10**11, 6 * 10**10, 10**11), (12, 40, 48, 80)])


def test_bad_counts_raise_the_scalar_message():
    with pytest.raises(InvalidParameterError, match="focal counts are impossible"):
        selection_statistics([5], [3], [1], [2])
    with pytest.raises(InvalidParameterError, match="confidence"):
        selection_statistics([1], [3], [1], [2], confidence=1.5)


def test_small_samples_match_the_rule():
    a, n, b, m = [12, 3, 0, 40, 5], [40, 10, 0, 100, 30], [48, 8, 0, 40, 1], [80, 10, 0, 100, 30]
    want = []
    for row in zip(a, n, b, m, strict=True):
        small = row[1] < 30 or row[3] < 30 or bool((sp.expected_cells(*row) < 5).any())
        want.append(small)
    assert small_samples(a, n, b, m, 30).tolist() == want
    assert small_samples([0], [0], [0], [0], 0).tolist() == [True]


def test_normal_quantile_is_scipy_norm_ppf():
    from scipy import stats

    for q in (0.95, 0.975, 0.995, 0.5 + 0.9 / 2):
        assert normal_quantile(q) == float(stats.norm.ppf(q))


def test_z_p_values_are_scipy_norm_sf():
    # the p-values come from scipy.special.ndtr, which scipy.stats.norm.sf calls
    from scipy import stats

    rng = np.random.default_rng(0)
    for _ in range(300):
        n, m = (int(v) for v in rng.integers(1, 5_000, 2))
        a, b = int(rng.integers(0, n + 1)), int(rng.integers(0, m + 1))
        for test in (sp.two_proportion_z, sp.impact_ratio_z):
            z, p = test(a, n, b, m)
            if not math.isnan(z):
                assert p == float(2 * stats.norm.sf(abs(z)))


#: Fisher p-values of the exact Fisher before the speed work (issue 18), to the last bit:
#: small supports, log-gamma tails, Loader tails, mid-P, one-sided, integrated tails.
FISHER_BITS = [
    ((12, 40, 48, 80), "two-sided", False, "0x1.beda7ffed5d66p-9"),
    ((12, 40, 48, 80), "two-sided", True, "0x1.18c9a699b432cp-9"),
    ((1385, 4000, 1500, 4000), "two-sided", False, "0x1.0439c7043a900p-7"),
    ((154941, 445406, 176145, 504838), "two-sided", False, "0x1.2374a215d0a64p-2"),
    ((154941, 445406, 176145, 504838), "two-sided", True, "0x1.22f58674083f2p-2"),
    ((14593, 38103, 59466, 152091), "less", False, "0x1.1551ecb408a72p-9"),
    ((1853697, 5043823, 1641150, 4462669), "two-sided", False, "0x1.d515fe7738410p-2"),
    ((1853697, 5043823, 1641150, 4462669), "greater", True, "0x1.8abe40eccb2dcp-1"),
    ((71017, 1746972, 51556, 1066822), "two-sided", False, "0x1.5cf2e6d9ad1f8p-673"),
    ((4665, 96960, 51556, 1066822), "two-sided", True, "0x1.89df7f949027ap-1"),
    ((5 * 10**10 + 300_000, 10**11, 5 * 10**10, 10**11), "two-sided", False,
     "0x1.700ddd78963dbp-3"),
]


#: Whether numpy's exp and log on arrays are the C library's on this CPU. The bits above were
#: computed where they are; on CPUs with AVX-512, numpy uses its own vector exp and log, which
#: differ in the last bit, and a Fisher tail sums thousands of such terms.
_PROBE = np.linspace(-700.0, 700.0, 4001)
NUMPY_MATH_IS_LIBM = np.array_equal(np.exp(_PROBE), [math.exp(v) for v in _PROBE]) and (
    np.array_equal(np.log(np.abs(_PROBE) + 1), [math.log(abs(v) + 1) for v in _PROBE])
)
#: ulps allowed where it is not (3 seen on a Xeon with AVX-512 for the 9.5-million-row table)
SIMD_ULPS = 32


def _ulps(x: float, y: float) -> int:
    return abs(int(np.float64(x).view(np.int64)) - int(np.float64(y).view(np.int64)))


@pytest.mark.parametrize(("table", "alternative", "mid_p", "bits"), FISHER_BITS)
def test_fisher_values_kept_to_the_last_bit(table, alternative, mid_p, bits):
    got = sp.fisher_exact_test(*table, alternative=alternative, mid_p=mid_p)
    if NUMPY_MATH_IS_LIBM:
        assert got.hex() == bits
    else:
        assert _ulps(got, float.fromhex(bits)) <= SIMD_ULPS, (got.hex(), bits)


def test_selection_statistics_do_not_depend_on_the_cpu():
    """The closed-form statistics use the C library's exp and log: the same bits on any CPU."""
    got = selection_statistics([47], [336], [100], [101], threshold=Fraction(4, 5)).as_dict()
    # computed on a CPU whose numpy exp is the C library's (scalar functions, any CPU)
    assert got["ci_high"][0] == sp.impact_ratio_ci(47, 336, 100, 101)[1]
    assert got["ci_high"][0].hex() == "0x1.7975b33ddee44p-3"
