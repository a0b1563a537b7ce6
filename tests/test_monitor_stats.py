"""The trend and change statistics of monitoring, against statsmodels fits done by hand.

- The trend (``logit_trend``) is the group × period interaction of a logistic regression. With
  grouped binomial counts it is the same maximum-likelihood fit as one row per person, so it is
  checked against ``statsmodels`` ``Logit`` on the expanded rows (and ``GLM`` on the counts).
- The change between two periods (``log_ratio_change``) is the interaction of a saturated
  log-binomial model of the two periods: statsmodels ``GLM(Binomial(link=Log()))`` on the four
  cells gives the same estimate and standard error.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.families.links import Log

from fairhire.errors import InvalidParameterError
from fairhire.stats.change import log_ratio_change, logit_trend


def _expanded(a, n, b, m, t):
    """One row per person: (focal, period, selected)."""
    rows = []
    for ai, ni, bi, mi, ti in zip(a, n, b, m, t, strict=True):
        rows += [(1, ti, 1)] * ai + [(1, ti, 0)] * (ni - ai)
        rows += [(0, ti, 1)] * bi + [(0, ti, 0)] * (mi - bi)
    r = np.array(rows, dtype=float)
    return r[:, 0], r[:, 1], r[:, 2]


CASES = [
    # focal falls from 40% to 25% while the reference stays at 40%
    ([40, 35, 30, 25], [100] * 4, [40] * 4, [100] * 4, [0, 1, 2, 3]),
    # uneven sizes, a gap in the periods, and a reference that drifts too
    ([12, 30, 8, 51, 44], [60, 140, 45, 230, 210], [70, 66, 90, 120, 101],
     [150, 160, 200, 260, 230], [0, 1, 2, 4, 5]),
    # common outcome (hiring after an offer: about 80%)
    ([70, 66, 60], [85, 80, 79], [160, 170, 168], [190, 200, 199], [0, 1, 2]),
]


@pytest.mark.parametrize("a, n, b, m, t", CASES)
def test_trend_matches_statsmodels_logit_on_row_level_data(a, n, b, m, t):
    g, tt, y = _expanded(a, n, b, m, t)
    x = np.column_stack([np.ones_like(g), g, tt, g * tt])
    fit = sm.Logit(y, x).fit(disp=0)
    ours = logit_trend(a, n, b, m, t)
    assert ours.converged and ours.note is None
    assert ours.estimate == pytest.approx(fit.params[3], rel=1e-8)
    assert ours.se == pytest.approx(fit.bse[3], rel=1e-7)
    assert ours.p_value == pytest.approx(fit.pvalues[3], rel=1e-6)
    low, high = fit.conf_int()[3]
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), rel=1e-7)
    assert ours.change == pytest.approx(math.exp(fit.params[3]) - 1, rel=1e-8)
    assert ours.periods == len(t)


def test_trend_matches_statsmodels_glm_on_grouped_counts():
    a, n, b, m, t = CASES[1]
    endog = np.column_stack([np.r_[a, b], np.r_[n, m] - np.r_[a, b]])
    g = np.r_[np.ones(len(a)), np.zeros(len(b))]
    tt = np.r_[t, t].astype(float)
    x = np.column_stack([np.ones_like(g), g, tt, g * tt])
    fit = sm.GLM(endog, x, family=sm.families.Binomial()).fit()
    ours = logit_trend(a, n, b, m, t, confidence=0.9)
    # GLM's IRLS stops at a deviance tolerance of 1e-8: agreement to about 1e-6
    assert ours.estimate == pytest.approx(fit.params[3], rel=1e-6)
    assert ours.se == pytest.approx(fit.bse[3], rel=1e-5)
    low, high = fit.conf_int(alpha=0.1)[3]
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), rel=1e-5)


@pytest.mark.parametrize(
    "before, after",
    [((38, 100, 40, 100), (25, 100, 40, 100)), ((12, 40, 48, 80), (30, 70, 41, 75)),
     ((170, 200, 180, 205), (150, 198, 185, 210))],
)
def test_change_matches_a_saturated_log_binomial_glm(before, after):
    cells = [(before[0], before[1], 1, 0), (before[2], before[3], 0, 0),
             (after[0], after[1], 1, 1), (after[2], after[3], 0, 1)]
    endog = np.array([[k, tot - k] for k, tot, _, _ in cells], dtype=float)
    x = np.array([[1, g, p, g * p] for _, _, g, p in cells], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the log link's domain warning; saturated fit
        fit = sm.GLM(endog, x, family=Binomial(link=Log())).fit()
    ours = log_ratio_change(before, after)
    assert ours.log_change == pytest.approx(fit.params[3], rel=1e-6)
    assert ours.se == pytest.approx(fit.bse[3], rel=1e-5)
    assert ours.p_value == pytest.approx(fit.pvalues[3], rel=1e-4)
    # and the ratios are the plain impact ratios
    assert ours.ratio_before == pytest.approx((before[0] / before[1]) / (before[2] / before[3]))


def test_change_by_hand():
    # IR 0.95 (38/100 vs 40/100) to 0.625 (25/100 vs 40/100)
    r = log_ratio_change((38, 100, 40, 100), (25, 100, 40, 100))
    se = math.sqrt(0.62 / 38 + 0.6 / 40 + 0.75 / 25 + 0.6 / 40)
    assert r.se == pytest.approx(se)
    assert r.z == pytest.approx(math.log(0.625 / 0.95) / se)
    assert (r.ci_low, r.ci_high) == pytest.approx(
        (math.exp(r.log_change - 1.959964 * se), math.exp(r.log_change + 1.959964 * se)),
        rel=1e-6,
    )


@pytest.mark.parametrize("a, n, b, m, t", CASES)
def test_fitted_impact_ratios_match_statsmodels_predictions(a, n, b, m, t):
    g, tt, y = _expanded(a, n, b, m, t)
    fit = sm.Logit(y, np.column_stack([np.ones_like(g), g, tt, g * tt])).fit(disp=0)

    def ratio(period):
        focal, ref = fit.predict(np.array([[1, 1, period, period], [1, 0, period, 0]]))
        return focal / ref

    ours = logit_trend(a, n, b, m, t)
    assert (ours.ratio_first, ours.ratio_last) == pytest.approx((ratio(t[0]), ratio(t[-1])),
                                                                rel=1e-8)


def test_near_100_percent_the_impact_ratio_can_rise_while_the_odds_ratio_falls():
    # rates 50 -> 90% against 60 -> 99%: impact ratio 0.83 -> 0.91, odds ratio 0.67 -> 0.09
    a, b = [200, 240, 280, 320, 360], [240, 300, 352, 380, 396]
    r = logit_trend(a, [400] * 5, b, [400] * 5, [0, 1, 2, 3, 4])
    assert r.estimate < 0 and r.p_value < 1e-6
    assert r.ratio_first == pytest.approx(0.829, abs=1e-3) and r.ratio_last > r.ratio_first


def test_undefined_cases_are_nan_not_errors():
    r = log_ratio_change((0, 100, 40, 100), (25, 100, 40, 100))
    assert r.ratio_before == 0 and math.isnan(r.p_value)
    # no one in the focal group selected in any period: the trend is not estimable
    t = logit_trend([0, 0, 0], [50, 60, 55], [20, 25, 22], [50, 60, 55], [0, 1, 2])
    assert math.isnan(t.estimate) and not t.converged and "no one" in t.note
    # everyone selected
    t = logit_trend([50, 60], [50, 60], [20, 25], [50, 60], [0, 1])
    assert t.note == "everyone in the focal group was selected in every period"
    # one period only
    t = logit_trend([5], [10], [6], [10], [0])
    assert "fewer than two periods" in t.note


def test_bad_counts_are_named():
    with pytest.raises(InvalidParameterError, match="same length"):
        logit_trend([1, 2], [10, 10], [1], [10], [0, 1])
    with pytest.raises(InvalidParameterError, match="exceed"):
        logit_trend([11, 2], [10, 10], [1, 1], [10, 10], [0, 1])
    with pytest.raises(InvalidParameterError, match="non-negative"):
        logit_trend([-1, 2], [10, 10], [1, 1], [10, 10], [0, 1])
    with pytest.raises(InvalidParameterError, match="impossible"):
        log_ratio_change((12, 10, 1, 10), (1, 10, 1, 10))
    with pytest.raises(InvalidParameterError, match="confidence"):
        log_ratio_change((1, 10, 1, 10), (1, 10, 1, 10), confidence=95)


counts = st.tuples(st.integers(1, 60), st.integers(0, 60)).map(lambda p: (p[0], p[0] + p[1]))


@given(counts, counts, counts, counts)
def test_change_is_antisymmetric(f1, r1, f2, r2):
    before, after = (*f1, *r1), (*f2, *r2)
    forward, backward = log_ratio_change(before, after), log_ratio_change(after, before)
    assert forward.log_change == pytest.approx(-backward.log_change, abs=1e-12)
    assert forward.se == pytest.approx(backward.se)
    if math.isnan(forward.p_value):  # everyone selected in all four groups: nothing to test
        assert math.isnan(backward.p_value) and forward.se == 0
    else:
        assert forward.p_value == pytest.approx(backward.p_value, abs=1e-12)


@given(st.lists(st.tuples(counts, counts), min_size=3, max_size=6), st.integers(-5, 5))
def test_trend_ignores_where_the_periods_start(cells, shift):
    a, n = [c[0][0] for c in cells], [c[0][1] for c in cells]
    b, m = [c[1][0] for c in cells], [c[1][1] for c in cells]
    t = list(range(len(cells)))
    one = logit_trend(a, n, b, m, t)
    two = logit_trend(a, n, b, m, [x + shift for x in t])
    if one.converged:
        assert two.estimate == pytest.approx(one.estimate, rel=1e-6, abs=1e-9)
        assert two.se == pytest.approx(one.se, rel=1e-6)
    else:
        assert not two.converged


def test_logit_trend_with_fitted_rates_of_zero_or_one_is_not_estimable():
    # Newton converged to rates of exactly 0/1 in every cell (the reference group selected
    # all but one of 22): the final information matrix was singular and np.linalg.inv ended
    # fh.monitor in a raw LinAlgError
    r = logit_trend([1, 2, 1, 1], [1, 2, 1, 4], [7, 3, 3, 7], [8, 4, 3, 7], [0, 1, 2, 3])
    assert not r.converged and math.isnan(r.estimate) and "did not converge" in r.note
