"""Kaplan–Meier, log-rank and Cox against published and cross-checked values.

Reference data: the leukaemia remission trial of Freireich et al. (1963), as given by Gehan
(1965) and in R's ``MASS::gehan`` — remission times in weeks for 21 patients on 6-mercaptopurine
(6-MP, 9 relapses, 12 censored) and 21 on placebo (21 relapses).

Published/cross-checked figures used below:
- R ``survdiff(Surv(time, cens) ~ treat, data = gehan)``: Chisq = 16.8 on 1 df, p = 4.17e-05;
  statsmodels ``survdiff`` gives 16.792941.
- R ``coxph(Surv(time, cens) ~ treat, data = gehan)`` (Efron ties): coef 1.5721, se 0.4124,
  exp(coef) 4.817, 95% CI 2.147–10.81; with ``ties = "breslow"``: coef 1.5092, exp 4.523, as
  Kleinbaum & Klein, *Survival Analysis* (3rd ed.), ch. 3 (Stata, Breslow): HR 4.523.
  Both reproduced with statsmodels ``PHReg``.
- R ``survfit``: 6-MP median 23 weeks, placebo 8; 95% CI with the default ``conf.type="log"``:
  6-MP (16, NA), placebo (4, 12); with ``conf.type="log-log"``: 6-MP (13, NA), placebo (4, 11)
  (the log-log figures also from statsmodels ``SurvfuncRight.quantile_ci(method="cloglog")``).
- S(t) for 6-MP at 10 weeks = 0.7529 and at 23 weeks = 0.4482 (Kleinbaum & Klein, table 2.x;
  R ``summary(survfit)``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from fairhire.errors import FairhireError, InsufficientDataError, InvalidParameterError
from fairhire.stats.cox import cox_ph
from fairhire.stats.survival import (
    check_survival_data,
    kaplan_meier,
    km_quantile,
    logrank_test,
)

MP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
MP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PL_T = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
PL_E = [1] * 21
T = np.array(MP_T + PL_T, dtype=float)
E = np.array(MP_E + PL_E)
G = np.array(["6-MP"] * 21 + ["placebo"] * 21, dtype=object)
X_PLACEBO = (G == "placebo").astype(float)[:, None]


# ---------------------------------------------------------------- Kaplan–Meier


def test_km_leukaemia_survival_values():
    km = kaplan_meier(MP_T, MP_E)
    assert km.at(10)[0] == pytest.approx(0.7529, abs=1e-4)
    assert km.at(23)[0] == pytest.approx(0.4482, abs=1e-4)
    assert km.at(5.9)[0] == 1.0
    assert km.n == 21 and km.n_events == 9
    # cross-check every step and Greenwood's SE against statsmodels
    sf = SurvfuncRight(np.array(MP_T, float), np.array(MP_E))
    assert np.allclose(km.at(sf.surv_times), sf.surv_prob)
    ev = km.events > 0
    assert np.allclose(km.std_err[ev], sf.surv_prob_se)


def test_km_median_and_ci_log_log_and_log():
    mp = kaplan_meier(MP_T, MP_E)
    assert (mp.median, mp.median_ci_low, mp.median_ci_high) == (23.0, 13.0, math.inf)
    pl = kaplan_meier(PL_T, PL_E)
    assert (pl.median, pl.median_ci_low, pl.median_ci_high) == (8.0, 4.0, 11.0)
    # R's default conf.type = "log"
    mp_log = kaplan_meier(MP_T, MP_E, conf_type="log")
    assert (mp_log.median_ci_low, mp_log.median_ci_high) == (16.0, math.inf)
    pl_log = kaplan_meier(PL_T, PL_E, conf_type="log")
    assert (pl_log.median_ci_low, pl_log.median_ci_high) == (4.0, 12.0)


def test_km_median_ci_matches_statsmodels_cloglog():
    for t, e in ((MP_T, MP_E), (PL_T, PL_E)):
        sf = SurvfuncRight(np.array(t, float), np.array(e))
        with np.errstate(all="ignore"):
            lo, hi = sf.quantile_ci(0.5, method="cloglog")
        km = kaplan_meier(t, e)
        assert km.median == sf.quantile(0.5)
        assert km.median_ci_low == lo
        assert km.median_ci_high == hi


def test_km_band_contains_estimate_and_stays_in_unit_interval():
    for ct in ("log-log", "log", "plain"):
        km = kaplan_meier(PL_T, PL_E, conf_type=ct)
        assert (km.ci_low <= km.survival + 1e-12).all()
        assert (km.survival <= km.ci_high + 1e-12).all()
        assert ((km.ci_low >= 0) & (km.ci_high <= 1)).all()


def test_km_median_midpoint_on_flat_half():
    # no censoring, 4 people: S = 0.75, 0.5, 0.25, 0 -> median halfway between 2 and 3 (R)
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    assert km.median == 2.5
    assert km_quantile(np.array([1.0, 2.0]), np.array([0.9, 0.6])) == math.inf


def test_km_quantile_method():
    km = kaplan_meier(PL_T, PL_E)
    q, lo, hi = km.quantile(0.5)
    assert (q, lo, hi) == (km.median, km.median_ci_low, km.median_ci_high)
    frame = km.to_frame()
    assert list(frame.columns) == [
        "time", "at_risk", "events", "censored", "survival", "std_err", "ci_low", "ci_high",
    ]  # fmt: skip
    assert frame["at_risk"].iloc[0] == 21


# ---------------------------------------------------------------- log-rank


def test_logrank_leukaemia():
    lr = logrank_test(T, E, G)
    assert lr.statistic == pytest.approx(16.792941, abs=1e-5)
    assert lr.df == 1
    assert lr.p_value == pytest.approx(4.1688e-05, rel=1e-3)
    assert lr.groups == ("6-MP", "placebo")
    assert lr.observed.tolist() == [9, 21]
    # R survdiff: expected 19.3 (6-MP) and 10.7 (placebo)
    assert lr.expected == pytest.approx([19.25, 10.75], abs=0.01)


def test_logrank_three_groups_matches_statsmodels():
    rng = np.random.default_rng(3)
    t = np.ceil(rng.exponential(10, 90))
    e = (rng.random(90) < 0.7).astype(int)
    g = np.repeat([0, 1, 2], 30)
    t[g == 2] *= 1.6
    ours = logrank_test(t, e, g)
    theirs, p = survdiff(t, e, g)
    assert ours.statistic == pytest.approx(theirs, rel=1e-9)
    assert ours.p_value == pytest.approx(p, rel=1e-9)
    assert ours.df == 2


def test_logrank_needs_two_groups():
    with pytest.raises(InsufficientDataError):
        logrank_test([1, 2], [1, 1], ["a", "a"])


# ---------------------------------------------------------------- Cox


def test_cox_efron_matches_r_coxph():
    fit = cox_ph(T, E, X_PLACEBO, names=["placebo"])
    assert fit.ties == "efron"
    assert fit.coef[0] == pytest.approx(1.5721, abs=1e-4)
    assert fit.se[0] == pytest.approx(0.4124, abs=1e-4)
    assert fit.hazard_ratio[0] == pytest.approx(4.817, abs=1e-3)
    assert fit.ci_low[0] == pytest.approx(2.147, abs=1e-3)
    assert fit.ci_high[0] == pytest.approx(10.81, abs=1e-2)
    assert fit.converged
    assert fit.n == 42 and fit.n_events == 30


def test_cox_breslow_matches_kleinbaum():
    fit = cox_ph(T, E, X_PLACEBO, names=["placebo"], ties="breslow")
    assert fit.coef[0] == pytest.approx(1.5092, abs=1e-4)
    assert fit.hazard_ratio[0] == pytest.approx(4.523, abs=1e-3)


def test_cox_dataframe_names_and_frame():
    import pandas as pd

    fit = cox_ph(T, E, pd.DataFrame({"placebo": X_PLACEBO[:, 0]}))
    out = fit.to_frame()
    assert out["term"].tolist() == ["placebo"]
    assert out["p_value"].iloc[0] < 0.001


def test_ph_test_leukaemia_no_violation_and_crossing_hazards_detected():
    fit = cox_ph(T, E, X_PLACEBO, names=["placebo"])
    ph = fit.ph_test
    assert ph is not None and ph.transform == "km"
    assert ph.global_p_value > 0.5  # the classic example satisfies PH
    frame = ph.to_frame()
    assert frame["term"].tolist() == ["placebo", "GLOBAL"]
    # crossing hazards: group 1 has all its events early or very late
    rng = np.random.default_rng(0)
    n = 200
    g = np.repeat([0, 1], n)
    t0 = rng.exponential(10, n)
    t1 = np.where(rng.random(n) < 0.5, rng.exponential(1, n), 20 + rng.exponential(20, n))
    t = np.concatenate([t0, t1])
    e = np.ones(2 * n, dtype=int)
    bad = cox_ph(t, e, g[:, None].astype(float), names=["g"])
    assert bad.ph_test is not None and bad.ph_test.global_p_value < 0.001
    for transform in ("rank", "identity"):
        alt = cox_ph(t, e, g[:, None].astype(float), ph_transform=transform)
        assert alt.ph_test.global_p_value < 0.01


def test_cox_errors():
    with pytest.raises(InvalidParameterError, match="ties"):
        cox_ph(T, E, X_PLACEBO, ties="exact")
    with pytest.raises(InsufficientDataError, match="no events"):
        cox_ph(T, np.zeros_like(E), X_PLACEBO)
    with pytest.raises(InvalidParameterError, match="2 names"):
        cox_ph(T, E, X_PLACEBO, names=["a", "b"])
    with pytest.raises(InvalidParameterError, match="one row per observation"):
        cox_ph(T, E, X_PLACEBO[:5])
    with pytest.raises(InvalidParameterError, match="ph_transform"):
        cox_ph(T, E, X_PLACEBO, ph_transform="log")


# ---------------------------------------------------------------- input checks


def test_check_survival_data_errors():
    with pytest.raises(InvalidParameterError, match="non-negative"):
        check_survival_data([1, -2], [1, 0])
    with pytest.raises(InvalidParameterError, match="0/1"):
        check_survival_data([1, 2], [1, 2])
    with pytest.raises(InvalidParameterError, match="0/1"):
        check_survival_data([1, 2], ["yes", "no"])
    with pytest.raises(InvalidParameterError, match="equal length"):
        check_survival_data([1, 2], [1])
    with pytest.raises(InvalidParameterError, match="conf_type"):
        kaplan_meier([1], [1], conf_type="arcsine")
    with pytest.raises(InsufficientDataError):
        kaplan_meier([], [])
    assert issubclass(InvalidParameterError, FairhireError)


# ---------------------------------------------------------------- properties

survival_data = st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=40)


@given(survival_data, st.integers(0, 30))
def test_censoring_after_t_leaves_curve_before_t_unchanged(rows, cut):
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows], dtype=int)
    # administratively censor everyone still under observation at `cut`
    t2 = np.minimum(t, cut)
    e2 = np.where(t > cut, 0, e)
    a = kaplan_meier(t, e)
    b = kaplan_meier(t2, e2)
    grid = np.arange(0, cut) + 0.5  # strictly before cut
    grid = grid[grid < cut]
    assert np.allclose(a.at(grid), b.at(grid))
    # at the cut itself events at `cut` are kept, so S(cut) agrees too
    assert np.allclose(a.at(cut), b.at(cut))


@given(survival_data)
def test_km_is_a_decreasing_step_function_in_unit_interval(rows):
    t = [r[0] for r in rows]
    e = [int(r[1]) for r in rows]
    km = kaplan_meier(t, e)
    assert ((km.survival >= 0) & (km.survival <= 1)).all()
    assert (np.diff(km.survival) <= 1e-12).all()
    assert km.at_risk[0] == len(rows)
    assert int(km.events.sum()) == sum(e)


@given(
    st.lists(st.tuples(st.integers(1, 20), st.booleans(), st.sampled_from("abc")),
             min_size=6, max_size=40),
    st.permutations(["x", "y", "z"]),
)  # fmt: skip
def test_relabelling_groups_permutes_logrank(rows, names):
    t = [r[0] for r in rows]
    e = [int(r[1]) for r in rows]
    g = [r[2] for r in rows]
    if len(set(g)) < 2:
        return
    mapping = dict(zip("abc", names, strict=True))
    a = logrank_test(t, e, g)
    b = logrank_test(t, e, [mapping[x] for x in g])
    if math.isnan(a.statistic):
        assert math.isnan(b.statistic)
        return
    assert b.statistic == pytest.approx(a.statistic, rel=1e-7, abs=1e-9)
    obs_a = dict(zip([mapping[x] for x in a.groups], a.observed, strict=True))
    obs_b = dict(zip(b.groups, b.observed, strict=True))
    assert obs_a == obs_b
    exp_a = dict(zip([mapping[x] for x in a.groups], a.expected, strict=True))
    for k, v in zip(b.groups, b.expected, strict=True):
        assert v == pytest.approx(exp_a[k])


# ---------------------------------------------------------------- Efron-weighted PH test


def _slow_efron_ph(t, e, x, beta, var, transform="km"):
    """A direct, unvectorised cox.zph (survival 2.44-1.1) from the published formulas.

    Therneau & Grambsch (2000), *Modeling Survival Data*, §3.3 and §6.2: at an event time with
    d tied events, the Efron mean of the covariates is the average over k = 0..d-1 of the
    risk-set weighted mean with the tied events' weights multiplied by (1 - k/d); the
    Schoenfeld residual of an event is its covariates minus that mean. Grambsch & Therneau
    (1994): T_j = (sum_k (g_k - gbar) s_kj)^2 / (d V_jj sum (g_k - gbar)^2), s = d V r.
    """
    t = np.asarray(t, float)
    e = np.asarray(e, int)
    x = np.asarray(x, float)
    n, p = x.shape
    risk = np.exp(x @ beta)
    times, resid = [], []
    for tau in sorted(set(t[e == 1])):
        dead = [i for i in range(n) if t[i] == tau and e[i] == 1]
        at_risk = [i for i in range(n) if t[i] >= tau]
        d = len(dead)
        mean = np.zeros(p)
        for k in range(d):
            f = k / d
            num = np.zeros(p)
            den = 0.0
            for i in at_risk:
                wi = risk[i] * (1 - f if i in dead else 1.0)
                num += wi * x[i]
                den += wi
            mean += num / den / d
        for i in dead:
            times.append(tau)
            resid.append(x[i] - mean)
    times = np.array(times)
    r = np.array(resid)
    if transform == "km":
        g = []
        for tau in times:  # 1 - left-continuous Kaplan-Meier, by the product-limit formula
            s = 1.0
            for u in sorted(set(t[e == 1])):
                if u < tau:
                    s *= 1 - sum((t == u) & (e == 1)) / sum(t >= u)
            g.append(1 - s)
        g = np.array(g)
    else:
        g = times
    dd = len(times)
    xx = g - g.mean()
    scaled = dd * r @ var
    stat = (xx @ scaled) ** 2 / (dd * np.diag(var) * (xx**2).sum())
    u = xx @ r
    glob = float(u @ var @ u * dd / (xx**2).sum())
    return r, stat, glob


def _tied_data(seed=3, n=80):
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.integers(0, 2, n), rng.normal(0, 1, n)]).astype(float)
    t = np.ceil(rng.exponential(4 / np.exp(0.7 * x[:, 0] + 0.3 * x[:, 1]))).clip(max=8)
    e = (rng.uniform(size=n) < 0.8).astype(int)
    return t, e, x


def test_schoenfeld_residuals_efron_match_direct_formula():
    from fairhire.stats.cox import schoenfeld_residuals

    t, e, x = _tied_data()
    beta = np.array([0.5, -0.2])
    times, r = schoenfeld_residuals(t, e, x, beta, ties="efron")
    slow, _, _ = _slow_efron_ph(t, e, x, beta, np.eye(2))
    assert times.tolist() == sorted(t[e == 1].tolist())
    # rows within a tied time may come in any order: compare sorted per time
    for tau in np.unique(times):
        a = np.sort(r[times == tau], axis=0)
        b = np.sort(slow[times == tau], axis=0)
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_ph_test_efron_matches_direct_formula_with_many_ties():
    t, e, x = _tied_data()
    from statsmodels.duration.hazard_regression import PHReg

    var = np.asarray(PHReg(t, x, status=e, ties="efron").fit().cov_params())
    for transform in ("km", "identity"):
        fit = cox_ph(t, e, x, names=["a", "b"], ties="efron", ph_transform=transform)
        _, stat, glob = _slow_efron_ph(t, e, x, fit.coef, var, transform)
        np.testing.assert_allclose(fit.ph_test.statistic, stat, rtol=1e-8)
        assert fit.ph_test.global_statistic == pytest.approx(glob, rel=1e-8)


def test_efron_and_full_risk_set_residuals_differ_with_ties_and_agree_without():
    from statsmodels.duration.hazard_regression import PHReg

    from fairhire.stats.cox import schoenfeld_residuals

    t, e, x = _tied_data()
    beta = np.array([0.5, -0.2])
    _, efron = schoenfeld_residuals(t, e, x, beta, ties="efron")
    _, breslow = schoenfeld_residuals(t, e, x, beta, ties="breslow")
    assert np.abs(efron - breslow).max() > 0.01
    # no ties: Efron = Breslow = statsmodels' residuals (full risk-set means)
    rng = np.random.default_rng(5)
    tt = rng.exponential(3, 60)
    ee = (rng.uniform(size=60) < 0.7).astype(int)
    xx = rng.normal(size=(60, 1))
    res = PHReg(tt, xx, status=ee, ties="efron").fit()
    _, ours = schoenfeld_residuals(tt, ee, xx, res.params, ties="efron")
    sm = np.asarray(res.schoenfeld_residuals)[ee == 1]
    sm = sm[np.argsort(tt[ee == 1])]
    np.testing.assert_allclose(ours, sm, atol=1e-10)


def test_median_status_not_reached_and_unstable():
    from fairhire.stats.survival import median_status

    km = kaplan_meier([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 1, 1])
    assert km.median == 5.5
    st_ = median_status(km, 5)
    assert math.isnan(st_.median) and st_.note == "unstable (n at risk < 5)"
    assert median_status(kaplan_meier(MP_T, MP_E), 5).median == 23.0
    assert median_status(kaplan_meier([1, 2, 3], [1, 0, 0]), 5).note == "not reached"


@pytest.mark.parametrize("name", ["cox_ph", "CoxFit", "PHTest"])
def test_cox_names_from_survival_warn_and_are_the_cox_ones(name):
    from fairhire.stats import cox, survival

    with pytest.warns(FutureWarning, match=f"fairhire.stats.cox.{name}"):
        found = getattr(survival, name)
    assert found is getattr(cox, name)
