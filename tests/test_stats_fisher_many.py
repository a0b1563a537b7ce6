"""Fisher's exact test for a whole call gives the one-table test's p-values, bit for bit, and
the boundary search's rough decisions are the ones log_pmf1 would take."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhire.stats import hypergeometric as hg
from fairhire.stats import hypersearch
from fairhire.stats.fisher_many import fisher_exact_tests
from fairhire.stats.logterms import log_factorial, log_factorial_table
from fairhire.stats.proportions import fisher_exact_test
from tests.test_stats_fisher_paths import check_boundary


def _bits(values) -> bytes:
    return np.ascontiguousarray(values, dtype=float).tobytes()


@st.composite
def _tables(draw) -> tuple[int, int, int, int]:
    """A comparison: small groups, groups of thousands (enumerated supports) or of hundreds of
    thousands (tails), with rates alike or apart, and the ends (no one, everyone)."""
    size = draw(st.sampled_from([40, 5_000, 400_000]))
    n, m = draw(st.integers(0, size)), draw(st.integers(0, size))
    p = draw(st.floats(0.0, 1.0))
    q = draw(st.one_of(st.just(p), st.floats(0.0, 1.0), st.floats(0.9, 1.1).map(lambda r: r * p)))
    a = draw(st.sampled_from([0, n, round(n * p)]))
    b = draw(st.sampled_from([0, m, min(m, round(m * q))]))
    return a, n, b, m


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_tables(), min_size=1, max_size=12),
    st.sampled_from(["two-sided", "less", "greater"]),
    st.booleans(),
)
def test_fisher_exact_tests_are_the_scalar_tests(rows, alternative, mid_p):
    a, n, b, m = (np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))
    got = fisher_exact_tests(a, n, b, m, alternative=alternative, mid_p=mid_p)
    want = [fisher_exact_test(*r, alternative=alternative, mid_p=mid_p) for r in rows]
    assert _bits(got) == _bits(want)


def test_fisher_exact_tests_take_python_integers_of_any_size():
    rows = [(5 * 10**11, 10**12, 6 * 10**11, 10**12), (12, 40, 48, 80)]
    a, n, b, m = (np.array([int(v) for v in c], dtype=object) for c in zip(*rows, strict=True))
    assert _bits(fisher_exact_tests(a, n, b, m)) == _bits([fisher_exact_test(*r) for r in rows])


def test_log_factorial_table_is_filled_where_asked():
    table = log_factorial_table([(0, 3), (70_000, 70_010), (1 << 20, 1 << 20)])
    for low, high in [(0, 3), (70_000, 70_010), (1 << 20, 1 << 20)]:
        points = np.arange(low, high + 1, dtype=float)
        assert _bits(table[low : high + 1]) == _bits(log_factorial(points))


ROUGH = st.tuples(
    st.integers(1, 600_000),  # n
    st.integers(1, 440_000),  # m: totals up to 2**20, where the rough value is used
    st.floats(0.0, 1.0),  # share selected
    st.floats(0.0, 1.0),  # the point, as a share of the support
)


@settings(max_examples=200, deadline=None)
@given(ROUGH)
def test_rough_log_pmf_is_within_its_bound(table):
    n, m, share, where = table
    h = hg.Hypergeometric(n + m, round((n + m) * share), n)
    y = h.lo + round((h.hi - h.lo) * where)
    rough = h._rough1(y)
    if h._single:
        assert rough is None
        return
    exact = h.log_pmf1(y)
    # the margin is a hundred times this bound
    assert abs(rough - exact) <= 1e-7 * max(1.0, abs(exact) / 1e6)
    assert 100 * 1e-7 <= hypersearch._MARGIN


@settings(max_examples=120, deadline=None)
@given(ROUGH, st.sampled_from([0.0, 1e-12, -1e-12, 3e-6, -3e-6, 2e-5, -2e-5, 1.0]))
def test_rough_decisions_are_log_pmf1s(table, offset):
    n, m, share, where = table
    h = hg.Hypergeometric(n + m, round((n + m) * share), n)
    y = h.lo + round((h.hi - h.lo) * where)
    level = hg.Hypergeometric(n + m, h.successes, n).log_pmf1(y) + offset
    for test in (lambda v: v <= level, lambda v: v > level):
        fresh = hg.Hypergeometric(n + m, h.successes, n)  # nothing memoised
        assert fresh._test(y, test) == test(h.log_pmf1(y))


WITHIN = st.tuples(
    st.integers(5_000, 600_000),  # n
    st.integers(5_000, 440_000),  # m (totals up to 2**20: rough decisions and table runs)
    st.floats(0.05, 0.95),  # share selected
    st.floats(-6.0, 6.0),  # the focal count, in standard deviations from the mode
)


@settings(max_examples=120, deadline=None)
@given(WITHIN)
def test_boundary_with_rough_decisions_is_the_bisection_point(table):
    check_boundary(table)
