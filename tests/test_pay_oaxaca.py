"""fh.oaxaca_blinder against statsmodels' OaxacaBlinder and the algebra of the decomposition.

Reference values:
- the statsmodels ``OaxacaBlinder`` docstring example (credit-card data shipped with
  statsmodels, ``sm.datasets.ccard``, split by OWNRENT): two-fold unexplained 27.94091,
  explained 130.80954, gap 158.75044; three-fold endowments 321.74824, coefficients 75.45371,
  interaction −238.45151;
- statsmodels 0.15 ``OaxacaBlinder(...).two_fold(two_fold_type=...)`` for pooled, Neumark
  (spelled ``"nuemark"`` there), Cotton and Reimers on make_workforce data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.oaxaca import OaxacaBlinder

import fairhire as fh
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)

FEATURES = ["level", "job_family", "tenure_years"]


@pytest.fixture(scope="module")
def wf() -> pd.DataFrame:
    return fh.datasets.make_workforce(3000, random_state=5)


@pytest.fixture(scope="module")
def sm_model(wf):
    d = wf[wf.sex.isin(["Male", "Female"])].reset_index(drop=True)
    X = pd.get_dummies(d[["level", "job_family"]], drop_first=True, dtype=float)
    X["tenure_years"] = d.tenure_years
    X.insert(0, "female", (d.sex == "Female").astype(float))
    X.insert(1, "const", 1.0)
    return OaxacaBlinder(np.log(d.salary), X, "female", hasconst=True)


def test_statsmodels_docstring_example():
    data = sm.datasets.ccard.load_pandas()
    frame = data.exog.assign(AVGEXP=data.endog)
    ob = fh.oaxaca_blinder(
        frame, outcome="AVGEXP", group="OWNRENT", features=["AGE", "INCOME", "INCOMESQ"]
    )
    assert ob.group_a == "1"  # owners spend more: group A
    assert ob.gap == pytest.approx(158.75044, abs=5e-5)
    assert ob.component("unexplained") == pytest.approx(27.94091, abs=5e-5)
    assert ob.component("explained") == pytest.approx(130.80954, abs=5e-5)
    assert ob.component("endowments") == pytest.approx(321.74824, abs=5e-5)
    assert ob.component("coefficients") == pytest.approx(75.45371, abs=5e-5)
    assert ob.component("interaction") == pytest.approx(-238.45151, abs=5e-5)


def test_threefold_matches_statsmodels(wf, sm_model):
    ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", features=FEATURES, log=True)
    endow, coef, inter, gap = sm_model.three_fold().params
    assert ob.gap == pytest.approx(gap, rel=1e-10)
    assert ob.component("endowments") == pytest.approx(endow, rel=1e-8)
    assert ob.component("coefficients") == pytest.approx(coef, rel=1e-8)
    assert ob.component("interaction") == pytest.approx(inter, rel=1e-7)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("pooled", "pooled"),
        ("neumark", "nuemark"),
        ("nuemark", "nuemark"),
        ("cotton", "cotton"),
        ("reimers", "reimers"),
    ],
)
def test_twofold_matches_statsmodels(wf, sm_model, ours, theirs):
    ob = fh.oaxaca_blinder(
        wf, outcome="salary", group="sex", features=FEATURES, log=True, coefficients=ours
    )
    unexplained, explained, _ = sm_model.two_fold(two_fold_type=theirs).params
    assert ob.component("unexplained") == pytest.approx(unexplained, rel=1e-8)
    assert ob.component("explained") == pytest.approx(explained, rel=1e-8)
    if ours == "nuemark":
        assert ob.reference == "neumark"


def test_group_and_weight_references(wf, sm_model):
    kw = {"outcome": "salary", "group": "sex", "features": FEATURES, "log": True}
    a = fh.oaxaca_blinder(wf, coefficients="Male", **kw)
    b = fh.oaxaca_blinder(wf, coefficients="Female", **kw)
    # β* = βA: unexplained = coefficients effect of the reversed threefold ...; β* = βB: explained
    # equals the endowments effect
    assert b.component("explained") == pytest.approx(b.component("endowments"), rel=1e-10)
    assert a.component("unexplained") == pytest.approx(a.component("coefficients"), rel=1e-10)
    w = fh.oaxaca_blinder(wf, coefficients=0.3, **kw)
    u, _, _ = sm_model.two_fold(two_fold_type="self_submitted", submitted_weight=0.3).params
    assert w.component("unexplained") == pytest.approx(u, rel=1e-8)


def test_pooled_unexplained_is_minus_the_dummy(wf):
    d = wf[wf.sex.isin(["Male", "Female"])].reset_index(drop=True)
    ob = fh.oaxaca_blinder(d, outcome="salary", group="sex", features=FEATURES, log=True)
    X = pd.get_dummies(d[["level", "job_family"]], drop_first=True, dtype=float)
    X["tenure_years"] = d.tenure_years
    X["female"] = (d.sex == "Female").astype(float)
    fit = sm.OLS(np.log(d.salary), sm.add_constant(X)).fit()
    assert ob.component("unexplained") == pytest.approx(-fit.params["female"], rel=1e-9)


def test_detailed_contributions_sum_to_totals(wf):
    ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", features=FEATURES, log=True)
    for comp in ("endowments", "coefficients", "interaction", "explained", "unexplained"):
        per_var = ob.detailed[ob.detailed.component == comp]
        per_term = ob.terms[ob.terms.component == comp]
        assert per_var.estimate.sum() == pytest.approx(ob.component(comp), rel=1e-9)
        assert per_term.estimate.sum() == pytest.approx(ob.component(comp), rel=1e-9)
    variables = set(ob.detailed.variable)
    assert variables == {"(constant)", "level", "job_family", "tenure_years"}
    lvl = ob.detailed[(ob.detailed.component == "explained") & (ob.detailed.variable == "level")]
    assert lvl.estimate.iloc[0] > 0  # women are at lower levels: level explains part of the gap
    assert np.isfinite(ob.detailed.std_error).all()
    assert any("base category" in w for w in ob.warnings)


def test_delta_method_agrees_with_bootstrap(wf):
    kw = {"outcome": "salary", "group": "sex", "features": FEATURES, "log": True}
    delta = fh.oaxaca_blinder(wf, **kw).overall.set_index("component")
    boot = fh.oaxaca_blinder(wf, se="bootstrap", n_boot=150, random_state=3, **kw)
    boot_se = boot.overall.set_index("component").std_error
    for comp in ("gap", "endowments", "coefficients", "explained", "unexplained"):
        assert boot_se[comp] == pytest.approx(delta.std_error[comp], rel=0.25)
    again = fh.oaxaca_blinder(wf, se="bootstrap", n_boot=150, random_state=3, **kw)
    pd.testing.assert_frame_equal(boot.overall, again.overall)  # reproducible
    none = fh.oaxaca_blinder(wf, se=None, **kw)
    assert none.overall.std_error.isna().all()


def test_delta_method_covariance_types(wf):
    kw = {"outcome": "salary", "group": "sex", "features": FEATURES, "log": True}
    ses = {
        ct: fh.oaxaca_blinder(wf, cov_type=ct, **kw).overall.std_error.to_numpy()
        for ct in ("nonrobust", "HC0", "HC1", "HC2", "HC3")
    }
    for ct, se in ses.items():
        assert np.isfinite(se).all(), ct
        np.testing.assert_allclose(se, ses["HC1"], rtol=0.15)
    assert (ses["HC0"] <= ses["HC1"] + 1e-15).all()


def test_two_groups_picks_advantaged_and_excludes_others(wf):
    ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", features=["tenure_years"])
    assert (ob.group_a, ob.group_b) == ("Male", "Female")
    assert ob.rows.excluded["group not compared (Non-binary)"] == (wf.sex == "Non-binary").sum()
    assert ob.rows.excluded["missing group (sex)"] == wf.sex.isna().sum()
    race = wf.dropna(subset=["race"])
    with pytest.raises(InvalidParameterError, match="groups="):
        fh.oaxaca_blinder(race, outcome="salary", group="race", features=["tenure_years"])
    pair = fh.oaxaca_blinder(
        race,
        outcome="salary",
        group="race",
        features=["tenure_years"],
        groups=("White", "Black or African American"),
    )
    assert pair.n_b == (race.race == "Black or African American").sum()
    rev = fh.oaxaca_blinder(
        wf, outcome="salary", group="sex", features=["tenure_years"], groups=("female", "MALE")
    )
    assert rev.gap == pytest.approx(-ob.gap)


def test_errors(wf):
    kw = {"outcome": "salary", "group": "sex"}
    with pytest.raises(ColumnError, match="tenure"):
        fh.oaxaca_blinder(wf, features=["tenure"], **kw)
    with pytest.raises(InvalidParameterError, match="coefficients"):
        fh.oaxaca_blinder(wf, features=FEATURES, coefficients="oaxaca", **kw)
    with pytest.raises(InvalidParameterError, match="weight"):
        fh.oaxaca_blinder(wf, features=FEATURES, coefficients=1.5, **kw)
    with pytest.raises(InvalidParameterError, match="se="):
        fh.oaxaca_blinder(wf, features=FEATURES, se="jackknife", **kw)
    with pytest.raises(InvalidParameterError, match="features"):
        fh.oaxaca_blinder(wf, features=[], **kw)
    # a category present in only one group cannot be decomposed
    odd = wf.assign(unit=np.where(wf.sex == "Male", "x", "y"))
    odd.loc[odd.index[:50], "unit"] = "z"
    with pytest.raises(InvalidValueError, match="unit"):
        fh.oaxaca_blinder(odd, features=["unit"], **kw)
    tiny = pd.concat([wf[wf.sex == "Male"].head(3), wf[wf.sex == "Female"].head(40)])
    with pytest.raises(InsufficientDataError, match="too few"):
        fh.oaxaca_blinder(tiny, features=FEATURES, **kw)
    with pytest.raises(InvalidValueError, match="log=False"):
        fh.oaxaca_blinder(
            wf.assign(salary=wf.salary - wf.salary.min()), features=FEATURES, log=True, **kw
        )


def test_result_interfaces(wf):
    ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", features=FEATURES, log=True)
    json.dumps(ob.to_dict())
    assert list(ob.to_frame().component) == [
        "gap",
        "endowments",
        "coefficients",
        "interaction",
        "explained",
        "unexplained",
    ]
    assert "unexplained" in ob.summary()
    (head,) = ob.headlines()
    assert head.severity == 3 and "unexplained" in head.text
    with pytest.raises(InvalidParameterError):
        ob.component("residual")


# --- properties -------------------------------------------------------------------------------


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 60))
    g = np.r_[[0] * 10, [1] * 10, rng.integers(0, 2, n - 20)]
    return pd.DataFrame(
        {
            "g": np.array(["a", "b"])[g],
            "y": rng.normal(10, 2, n) + g,
            "x1": rng.normal(size=n) + 0.5 * g,
            "x2": rng.exponential(size=n),
            "c": np.array(["p", "q", "r"])[np.r_[[0, 1, 2] * 7, rng.integers(0, 3, n - 21)]],
        }
    )


@given(
    st.integers(0, 10_000),
    st.sampled_from(["pooled", "neumark", "cotton", "reimers", 0.25]),
)
def test_parts_sum_to_the_gap(seed, reference):
    frame = _frame(seed)
    ob = fh.oaxaca_blinder(
        frame, outcome="y", group="g", features=["x1", "x2", "c"], coefficients=reference, se=None
    )
    two = ob.component("explained") + ob.component("unexplained")
    three = ob.component("endowments") + ob.component("coefficients") + ob.component("interaction")
    assert two == pytest.approx(ob.gap, abs=1e-9)
    assert three == pytest.approx(ob.gap, abs=1e-9)


@given(st.integers(0, 10_000))
def test_pooled_unexplained_is_minus_the_group_coefficient(seed):
    frame = _frame(seed)
    ob = fh.oaxaca_blinder(frame, outcome="y", group="g", features=["x1", "x2"], se=None)
    b_dummy = (frame.g == ob.group_b).astype(float)
    X = sm.add_constant(np.column_stack([frame.x1, frame.x2, b_dummy]))
    coef = sm.OLS(frame.y.to_numpy(), X).fit().params[-1]
    assert ob.component("unexplained") == pytest.approx(-coef, abs=1e-9)
