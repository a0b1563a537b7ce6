"""Mantel–Haenszel, CMH and Breslow–Day against the Berkeley 1973 reference values.

Source: METHODS.md §1, R ``mantelhaen.test(UCBAdmissions)`` (MH OR 0.904697, 95% CI
0.771907–1.06033; CMH 1.52461 p 0.216924 without and 1.42695 p 0.232263 with continuity
correction) and ``DescTools::BreslowDayTest`` (18.8255, p 0.00207139, 5 df).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhire.datasets import load_ucb_admissions
from fairhire.errors import InvalidParameterError, InvalidValueError
from fairhire.stats.strata import mantel_haenszel


def ucb_tables(focal: str = "Male") -> np.ndarray:
    ucb = load_ucb_admissions()
    other = "Female" if focal == "Male" else "Male"
    out = []
    for _, d in ucb.groupby("department"):
        f = d[d.sex == focal].iloc[0]
        r = d[d.sex == other].iloc[0]
        out.append(
            [[f.admitted, f.applicants - f.admitted], [r.admitted, r.applicants - r.admitted]]
        )
    return np.array(out)


def test_berkeley_reference_values():
    r = mantel_haenszel(ucb_tables("Male"))
    assert r.odds_ratio == pytest.approx(0.904697, abs=1e-6)
    assert r.ci_low == pytest.approx(0.771907, abs=1e-6)
    assert r.ci_high == pytest.approx(1.06033, abs=1e-5)
    assert r.cmh_statistic == pytest.approx(1.52461, abs=1e-5)
    assert r.cmh_p_value == pytest.approx(0.216924, abs=1e-6)
    assert r.cmh_statistic_corrected == pytest.approx(1.42695, abs=1e-5)
    assert r.cmh_p_value_corrected == pytest.approx(0.232263, abs=1e-6)
    assert r.breslow_day_statistic == pytest.approx(18.8255, abs=1e-4)
    assert r.breslow_day_p_value == pytest.approx(0.00207139, rel=1e-4)
    assert r.n_strata == 6


def test_swapping_groups_inverts_the_odds_ratio():
    men = mantel_haenszel(ucb_tables("Male"))
    women = mantel_haenszel(ucb_tables("Female"))
    assert women.odds_ratio == pytest.approx(1 / men.odds_ratio)
    assert women.cmh_statistic == pytest.approx(men.cmh_statistic)


@given(st.integers(1, 50), st.integers(1, 50), st.integers(1, 50), st.integers(1, 50))
def test_one_stratum_is_the_plain_odds_ratio(a, b, c, d):
    r = mantel_haenszel(np.array([[[a, b], [c, d]]]))
    assert r.odds_ratio == pytest.approx((a * d) / (b * c))
    assert r.n_strata == 1


def test_uninformative_strata_are_left_out():
    tables = np.concatenate([ucb_tables(), [[[0, 0], [5, 5]], [[0, 10], [0, 7]]]])
    r = mantel_haenszel(tables)
    assert r.n_strata == 6
    assert r.odds_ratio == pytest.approx(0.904697, abs=1e-6)


def test_bad_shapes_raise():
    with pytest.raises(InvalidParameterError, match="shape"):
        mantel_haenszel(np.zeros((3, 2)))
    with pytest.raises(InvalidValueError, match="negative"):
        mantel_haenszel(np.array([[[1, -1], [2, 2]]]))


def test_no_information_gives_nan():
    r = mantel_haenszel(np.array([[[0, 0], [1, 1]]]))
    assert r.n_strata == 0 and np.isnan(r.odds_ratio)


def test_p_values_come_from_survival_functions():
    # statsmodels computes 1 - cdf, which is 0 for strong effects; the p-value is not 0
    from scipy.stats import chi2

    tables = np.array([[[400, 100], [100, 400]], [[300, 200], [50, 450]]])
    r = mantel_haenszel(tables)
    assert r.cmh_statistic > 600
    assert r.cmh_p_value == chi2.sf(r.cmh_statistic, 1) > 0
    assert r.cmh_p_value_corrected == chi2.sf(r.cmh_statistic_corrected, 1) > 0
    assert r.breslow_day_p_value == pytest.approx(chi2.sf(r.breslow_day_statistic, 1))
    assert chi2.sf(363.45, 1) == pytest.approx(4.99e-81, rel=1e-2)  # the example


def test_non_finite_or_fractional_counts_are_errors():
    with pytest.raises(InvalidValueError, match="whole"):
        mantel_haenszel(np.array([[[1, np.inf], [2, 2]]]))
    with pytest.raises(InvalidValueError, match="whole"):
        mantel_haenszel(np.array([[[1, 0.5], [2, 2]]]))
