"""Trend and rank tests on count tables against published and scipy/statsmodels values.

References:
- R ``prop.trend.test`` documentation example (Fleiss, smokers among lung-cancer patients):
  ``smokers <- c(83, 90, 129, 70); patients <- c(86, 93, 136, 82)`` gives
  X-squared = 8.2249, df = 1, p-value = 0.004132.
- Agresti, *Categorical Data Analysis* (2nd ed. 2002, §3.4.4; 3rd ed. 2013, §3.4.5): infant
  malformation by maternal alcohol consumption (Mills & Graubard 1987; Graubard & Korn 1987),
  present 48, 38, 5, 1, 1
  and absent 17066, 14464, 788, 126, 37. With scores (0, 0.5, 1.5, 4, 7): M² = (n−1)r² = 6.57
  (p = 0.01); with scores (1, ..., 5): M² = 1.83 (p = 0.18). The Cochran–Armitage χ² is
  n/(n−1) times M²; statsmodels ``Table.test_ordinal_association`` gives M².
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from fairhire.errors import InvalidParameterError
from fairhire.stats.trend import (
    chi_square,
    cochran_armitage,
    mann_whitney_counts,
    ordinal_test,
)

PRESENT = [48, 38, 5, 1, 1]
ABSENT = [17066, 14464, 788, 126, 37]
TOTALS = np.add(PRESENT, ABSENT)
N = int(TOTALS.sum())


def test_cochran_armitage_r_prop_trend_test_example():
    r = cochran_armitage([83, 90, 129, 70], [86, 93, 136, 82])
    assert r.statistic == pytest.approx(8.2249, abs=1e-4)
    assert r.p_value == pytest.approx(0.004132, abs=1e-6)
    assert r.z < 0  # the smoking share falls across the four groups
    assert r.scores == (0.0, 1.0, 2.0, 3.0)


def test_cochran_armitage_agresti_alcohol_malformation():
    r = cochran_armitage(PRESENT, TOTALS, [0, 0.5, 1.5, 4, 7])
    m2 = r.statistic * (N - 1) / N
    assert m2 == pytest.approx(6.57, abs=0.005)
    assert r.p_value == pytest.approx(0.0104, abs=1e-4)
    assert r.z > 0
    equal = cochran_armitage(PRESENT, TOTALS, [1, 2, 3, 4, 5])
    assert equal.statistic * (N - 1) / N == pytest.approx(1.83, abs=0.005)


def test_cochran_armitage_matches_statsmodels_linear_by_linear():
    scores = np.array([0, 0.5, 1.5, 4, 7])
    table = Table(np.array([PRESENT, ABSENT]).T)
    ref = table.test_ordinal_association(row_scores=scores, col_scores=np.array([0, 1]))
    r = cochran_armitage(PRESENT, TOTALS, scores)
    assert r.statistic * (N - 1) / N == pytest.approx(ref.zscore**2, rel=1e-9)


def test_cochran_armitage_degenerate_and_errors():
    assert math.isnan(cochran_armitage([0, 0], [5, 5]).statistic)  # no successes
    assert math.isnan(cochran_armitage([0, 0], [0, 0]).p_value)
    with pytest.raises(InvalidParameterError, match="exceed"):
        cochran_armitage([6, 1], [5, 5])
    with pytest.raises(InvalidParameterError, match="scores"):
        cochran_armitage([1, 1], [5, 5], [1, 2, 3])
    with pytest.raises(InvalidParameterError, match="non-negative"):
        cochran_armitage([-1, 1], [5, 5])


def test_chi_square_matches_scipy_and_drops_empty():
    t = np.array([[10, 20, 30, 0], [30, 20, 10, 0], [5, 5, 5, 0]])
    r = chi_square(t)
    ref = stats.chi2_contingency(t[:, :3], correction=False)
    assert r.statistic == pytest.approx(ref.statistic)
    assert r.df == 4
    assert r.min_expected == pytest.approx(ref.expected_freq.min())
    assert math.isnan(chi_square(np.array([[1, 2]])).statistic)


def _expand(counts):
    return np.repeat(np.arange(len(counts)), counts)


def test_mann_whitney_counts_matches_scipy():
    x, y = [5, 10, 5], [10, 8, 2]
    r = mann_whitney_counts(x, y)
    ref = stats.mannwhitneyu(_expand(x), _expand(y), method="asymptotic", use_continuity=False)
    assert r.u == ref.statistic
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.prob_superiority == pytest.approx(260 / 400)
    assert math.isnan(mann_whitney_counts([0, 0], [1, 2]).p_value)


def test_kruskal_wallis_matches_scipy():
    t = np.array([[5, 10, 5, 3], [10, 8, 2, 1], [1, 2, 8, 9]])
    r = ordinal_test(t)
    ref = stats.kruskal(*[_expand(row) for row in t])
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert r.df == 2
    assert math.isnan(ordinal_test(np.array([[1, 2], [0, 0]])).statistic)


count_rows = st.lists(st.integers(0, 15), min_size=3, max_size=3)


@given(count_rows, count_rows)
def test_mann_whitney_counts_equals_scipy_on_expanded_data(x, y):
    if sum(x) == 0 or sum(y) == 0:
        return
    r = mann_whitney_counts(x, y)
    if len(set(_expand(x)) | set(_expand(y))) < 2:
        assert math.isnan(r.p_value)
        return
    ref = stats.mannwhitneyu(_expand(x), _expand(y), method="asymptotic", use_continuity=False)
    assert r.u == pytest.approx(ref.statistic)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-12)
    # two groups: Kruskal–Wallis H is the square of the Mann–Whitney z
    kw = ordinal_test(np.array([x, y]))
    assert kw.statistic == pytest.approx(r.z**2, rel=1e-9)


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=2, max_size=6))
def test_cochran_armitage_symmetries(cells):
    x = np.array([c[0] for c in cells])
    n = x + np.array([c[1] for c in cells])
    r = cochran_armitage(x, n)
    if math.isnan(r.z):
        return
    # counting failures instead of successes, or reversing the order, flips the sign
    assert cochran_armitage(n - x, n).z == pytest.approx(-r.z)
    assert cochran_armitage(x[::-1], n[::-1]).z == pytest.approx(-r.z)
    # shifting or rescaling the scores changes nothing
    assert cochran_armitage(x, n, 3 + 2 * np.arange(len(x))).z == pytest.approx(r.z)
