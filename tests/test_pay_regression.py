"""fairhire.stats.regression against statsmodels (0.14/0.15), the reference implementation.

Reference values: statsmodels ``OLS(y, X).fit(cov_type=..., use_t=True)`` (and the same model
with explicit dummies for the absorbed fixed effects); statsmodels ``Logit``.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from fairhire.errors import InsufficientDataError, InvalidParameterError, InvalidValueError
from fairhire.stats.regression import (
    CollinearityError,
    collinear_columns,
    fit_logit,
    fit_ols,
    leverage,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(42)
    n = 400
    x1 = rng.normal(size=n)
    X = np.column_stack([np.ones(n), x1, rng.integers(0, 2, n), rng.exponential(size=n) * 1000.0])
    y = X @ [1.0, 2.0, 0.5, 0.001] + rng.normal(size=n) * (1 + x1**2)
    clusters = rng.integers(0, 25, n)
    cells = rng.integers(0, 15, n)
    return X, y, clusters, cells


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"])
def test_ols_matches_statsmodels(data, cov_type):
    X, y, clusters, _ = data
    fit = fit_ols(y, X, cov_type=cov_type, clusters=clusters)
    kw = {"cov_kwds": {"groups": clusters}} if cov_type == "cluster" else {}
    ref = sm.OLS(y, X).fit(cov_type=cov_type, use_t=True, **kw)
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-10)
    np.testing.assert_allclose(fit.bse, ref.bse, rtol=1e-9)
    np.testing.assert_allclose(fit.p_values, ref.pvalues, rtol=1e-8, atol=1e-14)
    lo, hi = fit.conf_int()
    np.testing.assert_allclose(np.column_stack([lo, hi]), ref.conf_int(), rtol=1e-9)
    np.testing.assert_allclose(fit.resid, ref.resid, atol=1e-9)
    assert fit.df_resid == ref.df_resid
    assert fit.rsquared == pytest.approx(ref.rsquared, rel=1e-10)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC1", "HC2", "HC3", "cluster"])
def test_absorbed_fixed_effects_equal_dummies(data, cov_type):
    X, y, clusters, cells = data
    dummies = (cells[:, None] == np.arange(15)).astype(float)
    fit = fit_ols(y, X[:, 1:], cov_type=cov_type, clusters=clusters, absorb=cells)
    kw = {"cov_kwds": {"groups": clusters}} if cov_type == "cluster" else {}
    ref = sm.OLS(y, np.column_stack([X[:, 1:], dummies])).fit(cov_type=cov_type, use_t=True, **kw)
    np.testing.assert_allclose(fit.params, ref.params[:3], rtol=1e-9)
    np.testing.assert_allclose(fit.bse, ref.bse[:3], rtol=1e-8)
    np.testing.assert_allclose(fit.fitted, ref.fittedvalues, atol=1e-9)
    assert fit.df_resid == ref.df_resid
    assert fit.n_absorbed == 15


def test_leverage_without_an_n_by_n_matrix(data):
    X, y, _, _ = data
    fit = fit_ols(y, X, cov_type="HC3")
    h = X @ np.linalg.inv(X.T @ X) @ X.T
    np.testing.assert_allclose(fit.leverage, np.diag(h), rtol=1e-10)
    np.testing.assert_allclose(leverage(X, fit.xtx_inv), np.diag(h), rtol=1e-10)


def test_singletons_have_leverage_one_and_zero_weight():
    rng = np.random.default_rng(1)
    n = 60
    cells = np.r_[np.arange(3), rng.integers(3, 8, n - 3)]  # cells 0, 1, 2 are singletons
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    fit = fit_ols(y, x[:, None], cov_type="HC3", absorb=cells)
    assert np.allclose(fit.leverage[:3], 1.0)
    assert np.isfinite(fit.bse).all()
    assert any("leverage 1" in note for note in fit.notes)


def test_collinear_columns_are_named():
    x = np.arange(10.0)
    X = np.column_stack([np.ones(10), x, 12 * x, np.r_[np.ones(5), np.zeros(5)]])
    assert collinear_columns(X, ["const", "tenure", "tenure_months", "d"]) == [
        ["tenure", "tenure_months"]
    ]
    with pytest.raises(CollinearityError, match="tenure ~ tenure_months") as info:
        fit_ols(x + 1, X, names=["const", "tenure", "tenure_months", "d"])
    assert info.value.sets == [["tenure", "tenure_months"]]
    assert isinstance(info.value, InvalidValueError)
    zero = np.column_stack([np.ones(10), x, np.zeros(10)])
    with pytest.raises(CollinearityError, match="empty"):
        fit_ols(x, zero, names=["const", "x", "empty"])


def test_ols_bad_inputs():
    X = np.column_stack([np.ones(5), np.arange(5.0)])
    with pytest.raises(InvalidParameterError, match="cov_type"):
        fit_ols(np.arange(5.0), X, cov_type="HC9")
    with pytest.raises(InvalidParameterError, match="cluster"):
        fit_ols(np.arange(5.0), X, cov_type="cluster")
    with pytest.raises(InvalidValueError, match="missing or infinite"):
        fit_ols(np.r_[np.nan, np.arange(4.0)], X)
    with pytest.raises(InvalidValueError, match="x1"):
        fit_ols(np.arange(5.0), np.column_stack([np.ones(5), np.r_[np.inf, np.ones(4)]]))
    with pytest.raises(InsufficientDataError, match="degrees of freedom"):
        fit_ols(np.arange(2.0), X[:2])
    with pytest.raises(InvalidParameterError, match="rows"):
        fit_ols(np.arange(4.0), X)
    with pytest.raises(InsufficientDataError, match="2 clusters"):
        fit_ols(np.arange(5.0), X, cov_type="cluster", clusters=np.zeros(5))


def test_logit_matches_statsmodels():
    rng = np.random.default_rng(3)
    n = 3000
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.normal(size=n)])
    p = 1 / (1 + np.exp(-(X @ [-0.5, np.log(0.7), 0.4])))
    y = rng.random(n) < p
    fit = fit_logit(y, X, names=["const", "female", "x"])
    ref = sm.Logit(y.astype(float), X).fit(disp=0)
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-6)
    np.testing.assert_allclose(fit.bse, ref.bse, rtol=1e-6)
    np.testing.assert_allclose(fit.p_values, ref.pvalues, rtol=1e-5)
    assert fit.odds_ratios[1] == pytest.approx(np.exp(ref.params[1]))
    lo, hi = fit.odds_ratio_ci()
    assert lo[1] < fit.odds_ratios[1] < hi[1]
    assert fit.converged
    assert fit.index("female") == 1
    robust = fit_logit(y, X, cov_type="HC1")
    ref_r = sm.Logit(y.astype(float), X).fit(disp=0, cov_type="HC1")
    np.testing.assert_allclose(robust.bse, ref_r.bse, rtol=1e-6)


def test_logit_errors():
    X = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1.0]])
    with pytest.raises(InvalidValueError, match="0/1"):
        fit_logit([0, 1, 2, 0, 1, 0], X)
    with pytest.raises(InsufficientDataError, match="both outcomes"):
        fit_logit([1] * 6, X)
    with pytest.raises(InvalidValueError, match="separation"):
        fit_logit([0, 0, 0, 1, 1, 1], X, names=["const", "perfect"])
    with pytest.raises(InvalidParameterError, match="logistic"):
        fit_logit([0, 1, 0, 1, 0, 1], X, cov_type="HC3")
