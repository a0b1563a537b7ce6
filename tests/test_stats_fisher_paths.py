"""The shortcuts in Fisher's exact test give the values of the plain computations, bit for bit.

The boundary search is checked against a bisection on log_pmf1 alone, the exp that skips
numpy's slow path against np.exp, the pmf of a support against the support's pmf, and the
two-sided p-value against the same sums written out from the whole support (scipy's
definition) where the support is small enough to enumerate.
"""

from __future__ import annotations

import math
import struct

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhire.stats import hypergeometric as hg
from fairhire.stats.proportions import fisher_exact_test


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values, dtype=float).tobytes()


def _bisection(h: hg.Hypergeometric, level: float, start: int, end: int) -> int | None:
    """The boundary by the definition: the first point from start towards end whose log_pmf1
    is at most level, found by bisection on log_pmf1 only."""
    if h.log_pmf1(end) > level:
        return None
    if h.log_pmf1(start) <= level:
        return start
    inside, outside = start, end
    while abs(outside - inside) > 1:
        mid = (inside + outside) // 2
        if h.log_pmf1(mid) <= level:
            outside = mid
        else:
            inside = mid
    return outside


WIDE = st.tuples(
    st.integers(5_000, 900_000),  # n
    st.integers(5_000, 900_000),  # m (totals above 2**20: the Loader run, not the table)
    st.floats(0.05, 0.95),  # share selected
    st.floats(-6.0, 6.0),  # the focal count, in standard deviations from the mode
)


def check_boundary(table: tuple[int, int, float, float]) -> None:
    """The boundary search of a table (n, m, share selected, focal count in standard deviations
    from the mode) finds the point the bisection finds."""
    n, m, share, shift = table
    h = hg.Hypergeometric(n + m, round((n + m) * share), n)
    x = min(h.hi, max(h.lo, round(h.mode + shift * max(h.sigma, 1.0))))
    level = h.log_pmf1(x) + math.log1p(1e-7)
    if x < h.mode:
        start, end = max(h.mode, x + 1), h.hi
    else:
        start, end = min(h.mode, x - 1), h.lo
    want = _bisection(hg.Hypergeometric(n + m, h.successes, n), level, start, end)
    assert h.boundary(level, start, end, guess=2 * h.mode - x) == want


@settings(max_examples=120, deadline=None)
@given(WIDE)
def test_boundary_is_the_bisection_point(table):
    check_boundary(table)


def test_exp_is_numpys_exp():
    x = np.array([-800.0, -745.2, -745.13, -744.0, -708.5, -1.0, 0.0, 3.0, -np.inf, np.nan])
    for values in (x, x[::-1], x[:1], x[5:8], np.full(5, -1000.0), np.linspace(-900, 0, 4001)):
        assert _bits(hg._exp(values)) == _bits(np.exp(values))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3_000), st.integers(1, 3_000), st.floats(0.0, 1.0))
def test_two_sided_p_on_small_supports_is_the_whole_support_sum(n, m, share):
    chosen = round((n + m) * share)
    h = hg.Hypergeometric(n + m, chosen, n)
    support, pmf = h.support_pmf()
    assert support.tolist() == list(range(h.lo, h.hi + 1))
    assert _bits(pmf) == _bits(h.pmf_of_support())
    for x in {h.lo, h.mode, h.hi, (h.lo + h.mode) // 2}:
        if h.lo == h.hi:
            continue
        p_obs = pmf[x - h.lo]
        more = pmf[pmf < p_obs / (1 + 1e-7)].sum()
        same = pmf[(pmf >= p_obs / (1 + 1e-7)) & (pmf <= p_obs * (1 + 1e-7))].sum()
        want = float(min(1.0, more + same))
        got = hg.two_sided_p(hg.Hypergeometric(n + m, chosen, n), x)
        assert struct.pack("<d", got) == struct.pack("<d", want)


def test_negligible_tables_are_zero_without_a_search():
    # the observed table is far below e^-790: p is exactly 0 (as the tails sum to 0 there)
    assert fisher_exact_test(50_000, 200_000, 150_000, 200_000) == 0.0
    assert fisher_exact_test(50_000, 200_000, 150_000, 200_000, mid_p=True) == 0.0
