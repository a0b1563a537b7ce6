"""fh.pay_remediation: raises only, reach the target, least total cost.

Reference: the optimum of the same convex programme solved directly with
scipy.optimize.minimize (SLSQP) on a small problem; the simple policies as upper bounds.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

import fairhire as fh
from fairhire.errors import InputTypeError, InvalidParameterError

CONTROLS = ["level", "job_family", "location", "tenure_years"]


@pytest.fixture(scope="module")
def gap():
    wf = fh.datasets.make_workforce(2500, random_state=4)
    return fh.pay_gap(wf, pay="salary", group="sex", controls=CONTROLS, id="employee_id")


def _after(plan, policy="optimal"):
    return plan.comparison[plan.comparison.policy == policy].set_index("group")


@pytest.mark.parametrize("target", ["zero", "not_significant", 1.5])
def test_reaches_target_with_raises_only(gap, target):
    plan = fh.pay_remediation(gap, target=target)
    assert plan.reached
    assert (plan.raises.new_pay > plan.raises.pay).all()
    assert plan.total_cost == pytest.approx(plan.raises.raise_amount.sum())
    after = _after(plan)
    if target == "not_significant":
        assert (after.t_after > -2).all()
    else:
        limit = 0.0 if target == "zero" else 1.5
        assert (after.adjusted_gap_after <= limit + 1e-7).all()
    # the optimal plan is no dearer than either simple policy that also reaches the target
    costs = plan.comparison.groupby("policy").policy_cost.first()
    reached = plan.comparison.groupby("policy").reached.all()
    for policy in ("uniform", "to_prediction"):
        if reached[policy]:
            assert costs["optimal"] <= costs[policy] * (1 + 1e-9)
    # raises go to the disadvantaged group only
    assert set(plan.raises.group) <= {"Female", "Non-binary"}
    assert plan.raises.id.str.startswith("E").all()


def test_refit_matches_reported_gap(gap):
    plan = fh.pay_remediation(gap, target="zero")
    new_pay = gap.model.pay.copy()
    pos = {p: i for i, p in enumerate(gap.model.positions)}
    for r in plan.raises.itertuples():
        new_pay[pos[r.row]] = r.new_pay
    fit = gap.model.refit(new_pay)
    j = gap.model.group_columns["Female"]
    assert (1 - np.exp(fit.params[j])) * 100 == pytest.approx(0.0, abs=1e-7)


def test_uniform_policy_is_exact(gap):
    plan = fh.pay_remediation(gap, target="zero")
    uni = _after(plan, "uniform")
    assert uni.loc["Female", "adjusted_gap_after"] == pytest.approx(0.0, abs=1e-8)
    beta = gap.overall.set_index("group").loc["Female", "coef"]
    female = gap.model.groups.codes == gap.model.groups.labels.index("Female")
    expected = (gap.model.pay[female] * np.expm1(-beta)).sum()
    assert uni.loc["Female", "cost"] == pytest.approx(expected, rel=1e-9)


def test_budget_and_cap(gap):
    full = fh.pay_remediation(gap, target="zero")
    half = fh.pay_remediation(gap, target="zero", budget=full.total_cost / 2)
    assert not half.reached and not half.within_budget
    assert half.total_cost == pytest.approx(full.total_cost / 2, rel=1e-9)
    before = _after(half).adjusted_gap_before
    assert (_after(half).adjusted_gap_after < before).all()
    assert any("budget" in w for w in half.warnings)
    capped = fh.pay_remediation(gap, target="zero", max_raise=0.08)
    assert capped.reached
    assert capped.raises.raise_pct.max() <= 8.0 + 1e-9
    assert capped.total_cost >= full.total_cost * (1 - 1e-9)  # a constraint never helps
    with pytest.raises(fh.InsufficientDataError, match="max_raise"):
        fh.pay_remediation(gap, target="zero", max_raise=0.001)


def test_currency_model_uses_a_linear_programme():
    wf = fh.datasets.make_workforce(1500, random_state=9)
    g = fh.pay_gap(wf, pay="salary", group="sex", controls=CONTROLS, log=False)
    plan = fh.pay_remediation(g, target="zero", max_raise=0.1)
    assert plan.reached
    assert (plan.raises.raise_pct <= 10 + 1e-6).all()
    costs = plan.comparison.groupby("policy").policy_cost.first()
    assert costs["optimal"] <= costs["uniform"]


def test_optimum_matches_a_general_solver():
    """The closed-form KKT plan is optimal: its cost equals a Lagrangian dual lower bound, and no
    feasible plan SLSQP finds is cheaper."""
    rng = np.random.default_rng(0)
    n = 40
    data = pd.DataFrame(
        {
            "sex": ["M", "F"] * (n // 2),
            "pay": rng.lognormal(4, 0.3, n) * np.tile([1.0, 0.75], n // 2),
            "tenure": rng.integers(0, 10, n).astype(float),
        }
    )
    g = fh.pay_gap(data, pay="pay", group="sex", controls=["tenure"], cov_type="nonrobust")
    plan = fh.pay_remediation(g, target="zero")
    model = g.model
    j = model.group_columns["F"]  # group= labels are taken as they are
    c = model.X @ model.fit.xtx_inv[:, j]
    need = -model.fit.params[j]
    assert need > 0
    p = model.pay
    # dual bound g(λ) = min_u Σ p(e^u − 1) − λ(c'u − need), attained at u = max(0, log(λc/p))
    lam = float(np.median(plan.raises.new_pay.to_numpy() / c[plan.raises.row.to_numpy()]))
    u = np.where(lam * c > p, np.log(np.where(c > 0, lam * c, 1.0) / p), 0.0)
    dual = float(p @ np.expm1(u) - lam * (c @ u - need))
    assert plan.total_cost == pytest.approx(dual, rel=1e-8)
    res = optimize.minimize(
        lambda v: float(p @ np.expm1(v)) / 100,
        x0=np.full(n, 0.3),
        jac=lambda v: p * np.exp(v) / 100,
        constraints=[{"type": "ineq", "fun": lambda v: (c @ v - need) * 100}],
        bounds=[(0, 5)] * n,
        method="SLSQP",
        options={"maxiter": 1000, "ftol": 1e-12},
    )
    if c @ res.x >= need - 1e-9:  # SLSQP found a feasible plan: ours is no dearer
        assert plan.total_cost <= float(p @ np.expm1(res.x)) * (1 + 1e-6)


def test_small_groups_are_not_remediated_and_bad_inputs(gap):
    plan = fh.pay_remediation(gap, target="zero")
    overall = gap.overall.set_index("group")
    untestable = overall.index[~overall.testable].tolist()
    for g in untestable:
        assert g not in set(plan.comparison.group)
    json.dumps(plan.to_dict())
    assert "Optimal plan" in plan.summary()
    (head,) = plan.headlines()
    assert "total cost" in head.text
    with pytest.raises(InputTypeError):
        fh.pay_remediation("gap")
    with pytest.raises(InvalidParameterError, match="target"):
        fh.pay_remediation(gap, target="half")
    with pytest.raises(InvalidParameterError, match="budget"):
        fh.pay_remediation(gap, budget=-1)
    with pytest.raises(InvalidParameterError, match="max_raise"):
        fh.pay_remediation(gap, max_raise=0)


def test_nothing_to_do_when_the_group_is_paid_more():
    data = pd.DataFrame({"sex": ["M", "F"] * 10, "pay": np.tile([50.0, 60.0], 10)})
    data.loc[::4, "pay"] += 1
    g = fh.pay_gap(data, pay="pay", group="sex", reference="M")  # F is the best-paid group
    plan = fh.pay_remediation(g, target="zero")
    assert plan.total_cost == 0 and plan.reached and len(plan.raises) == 0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["zero", "not_significant", 1.0]))
def test_property_never_lowers_pay_and_reaches_target(seed, target):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 80))
    female = np.r_[[0, 1] * 5, rng.integers(0, 2, n - 10)]
    data = pd.DataFrame(
        {
            "sex": np.where(female == 1, "F", "M"),
            "pay": rng.lognormal(4, 0.25, n) * np.where(female == 1, 0.93, 1.0),
            "unit": rng.choice(["a", "b", "c"], n),
            "tenure": rng.integers(0, 10, n).astype(float),
        }
    )
    g = fh.pay_gap(data, pay="pay", group="sex", controls=["unit", "tenure"])
    plan = fh.pay_remediation(g, target=target)
    assert (plan.raises.raise_amount > 0).all()
    assert plan.reached
