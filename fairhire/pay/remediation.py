"""The least costly pay raises that bring an adjusted pay gap to a target.

The overall model of a :class:`~fairhire.pay.gap.PayGapResult` is an OLS fit, so each group's
coefficient is linear in the (log) pay vector: raising employee i's log pay by u_i moves group
g's coefficient by c_gi·u_i, with c_g = X̃(X̃'X̃)⁻¹e_g (X̃ the design, demeaned if a control was
absorbed). With log pay, a raise u_i costs p_i(e^{u_i} − 1), so the cheapest plan solves the
convex programme

    minimise Σ_i p_i (e^{u_i} − 1)   subject to   β_g + Σ_i c_gi u_i ≥ T_g  for each group g,
                                                   0 ≤ u_i ≤ log(1 + max_raise).

Its KKT conditions give the closed form p_i e^{u_i} = max(p_i, Σ_g λ_g c_gi) (capped): every
employee whose "water level" Σ_g λ_g c_gi exceeds their pay is raised to it. The multipliers
λ_g are found with :func:`scipy.optimize.brentq` (one per group, cycling until every
constraint holds). With ``log=False`` the cost is linear and the programme is a linear
programme, solved with :func:`scipy.optimize.linprog` (HiGHS) with raises capped at
``max_raise`` × pay.

"No longer significant" is pay_gap's flag rule: the refitted group coefficient has a p-value
of at least the gap result's ``alpha`` (|t| below the critical t value). Raises are never
negative. Two simple policies are computed for comparison: lifting every
member of a disadvantaged group who is paid below a comparable reference employee's predicted
pay up to it, and a uniform raise for each disadvantaged group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.params import check_number
from .._core.text import format_count, format_money, format_number
from .._results import Headline, Result, RowAccount, result_dataclass
from ..errors import InputTypeError, InsufficientDataError, InvalidParameterError
from ..stats.regression import OLSFit, blas_single_thread
from ._solvers import influence, linear_plan, spend_budget, water_fill
from .gap_result import PayGapResult, PayModel

__all__ = ["PayRemediationPlan", "pay_remediation"]

#: "not_significant" aims this far inside the critical t value, so the refitted gap is not
#: flagged (p ≥ alpha, the flag rule of pay_gap).
_AIM = 0.99
_MAX_ROUNDS = 25


@result_dataclass
class PayRemediationPlan(Result):
    """Per-employee raises that reach a target adjusted gap at the least total cost.

    Attributes
    ----------
    table, comparison : pandas.DataFrame
        The optimal plan and the two simple policies ("to_prediction", "uniform"), per group:
        ``policy``, ``group``, ``employees_raised``, ``cost``, ``policy_cost``,
        ``adjusted_gap_before``, ``adjusted_gap_after``, ``t_after``, ``target_gap``,
        ``reached``. ``table`` is the same table.
    flagged : pandas.DataFrame
        The rows of ``table`` whose policy does not reach the target.
    raises : pandas.DataFrame
        One row per employee raised by the optimal plan: ``row`` (position in the input),
        ``id``, ``group``, ``pay``, ``new_pay``, ``raise_amount``, ``raise_pct``. Individual
        pay: left out of ``to_dict()`` and reports, which show ``raises_summary``.
    total_cost : float
        Total cost of the optimal plan (in pay units: annual salary if pay is annual).
    reached : bool
        Whether the refitted model meets the target for every group.
    target : str or float
    budget : float or None
    fingerprint : str
        The fingerprint of the pay gap result the plan was computed from.
    """

    target: str | float
    budget: float | None
    total_cost: float
    reached: bool
    within_budget: bool
    raises: pd.DataFrame
    comparison: pd.DataFrame
    pay: str
    group: str
    reference_group: str
    log: bool
    fingerprint: str

    kind: ClassVar[str] = "pay remediation plan"
    private_fields: ClassVar[dict[str, str | None]] = {"raises": "raises_summary"}
    count_columns: ClassVar[frozenset[str]] = frozenset({"employees_raised"})
    # the name the report layer reads today

    @property
    def table(self) -> pd.DataFrame:
        """The comparison of the policies (also ``comparison``)."""
        return self.comparison

    @property
    def flagged(self) -> pd.DataFrame:
        """Policies and groups that do not reach the target."""
        table = self.comparison
        if table.empty:
            return table
        return table.loc[~table["reached"].astype(bool)].reset_index(drop=True)

    @property
    def n_raised(self) -> int:
        """How many employees the plan raises (listed in ``raises``)."""
        return len(self.raises)

    @property
    def raises_summary(self) -> pd.DataFrame:
        """The optimal plan's raises by group: ``group``, ``employees_raised``,
        ``total_raise``, ``median_raise_pct``, ``max_raise_pct``."""
        r = self.raises
        if r.empty:
            columns = ["group", "employees_raised", "total_raise", "median_raise_pct"]
            return pd.DataFrame(columns=[*columns, "max_raise_pct"])
        return (
            r.groupby("group", sort=True)
            .agg(
                employees_raised=("row", "size"),
                total_raise=("raise_amount", "sum"),
                median_raise_pct=("raise_pct", "median"),
                max_raise_pct=("raise_pct", "max"),
            )
            .reset_index()
        )

    def _repr_headline(self) -> str:
        reached = "reached" if self.reached else "not reached"
        return (
            f"{len(self.raises):,} raises costing {format_money(self.total_cost)}, target {reached}"
        )

    def summary(self) -> str:
        budget = f"; budget {format_money(self.budget)}" if self.budget is not None else ""
        lines = [
            f"Pay remediation for {self.pay} by {self.group} (reference {self.reference_group}); "
            f"target: {self.target}{budget}",
            f"Optimal plan: {len(self.raises):,} raises costing {format_money(self.total_cost)}; "
            f"target {'reached' if self.reached else 'NOT reached'}",
        ]
        for policy, part in self.comparison.groupby("policy", sort=False):
            groups = "; ".join(
                f"{r.group}: adjusted gap {format_number(r.adjusted_gap_before)} -> "
                f"{format_number(r.adjusted_gap_after)}{'' if r.reached else ' (not reached)'}"
                for r in part.itertuples(index=False)
            )
            cost = format_money(part["policy_cost"].iloc[0])
            lines.append(f"  {policy:<14} cost {cost}; {groups}")
        return self._summary_text(lines)

    def headlines(self) -> list[Headline]:
        if not len(self.comparison):
            text = "No remediation is needed: no group's adjusted gap exceeds the target."
            return [Headline(severity=1, text=text, section="remediation")]
        cost = self.comparison.groupby("policy", sort=False)["policy_cost"].first()
        others = [
            f"{p.replace('_', ' ')} {format_money(c)}" for p, c in cost.items() if p != "optimal"
        ]
        text = (
            f"Raising {format_count(len(self.raises))} employees at a total cost of "
            f"{format_money(self.total_cost)} would "
            + ("bring" if self.reached else "not fully bring")
            + f" the adjusted pay gap to the target ({self.target}); the simple policies "
            f"would cost {', '.join(others)}."
        )
        return [
            Headline(severity=2, text=text, figure=float(self.total_cost), section="remediation")
        ]


@dataclass
class _Problem:
    """One remediation: the model, the influence of each employee's (log) pay on each group's
    coefficient, and the target."""

    model: PayModel
    C: np.ndarray
    labels: list[str]
    target: str | float
    cap_log: float | None
    cap_lin: np.ndarray

    @property
    def fit0(self) -> OLSFit:
        return self.model.fit

    @property
    def crit(self) -> float:
        """|t| at or above which pay_gap flags a gap."""
        return self.fit0.t_crit(self.model.alpha)

    def column(self, label: str) -> int:
        return self.model.group_columns[label]

    def goals(self, fit: OLSFit) -> dict[str, float]:
        """Minimum acceptable coefficient of each group (log or currency scale)."""
        out = {}
        for label in self.labels:
            if self.target == "zero":
                out[label] = 0.0
            elif self.target == "not_significant":
                out[label] = -_AIM * self.crit * float(fit.bse[self.column(label)])
            else:
                value = float(self.target)
                out[label] = float(np.log1p(-value / 100.0)) if self.model.log else -value
        return out

    def solve(self, goal: dict[str, float]) -> np.ndarray:
        pay, fit0 = self.model.pay, self.fit0
        need = np.array([goal[g] - fit0.params[self.column(g)] for g in self.labels])
        if self.model.log:
            return pay * np.exp(water_fill(pay, self.C, need, self.cap_log))
        return pay + linear_plan(pay, self.C, need, self.cap_lin)

    def significant(self, fit: OLSFit, labels: list[str]) -> list[str]:
        return [g for g in labels if fit.tvalues[self.column(g)] <= -self.crit]

    def until_not_significant(self, plan: Any, goal: dict[str, float], labels: list[str]) -> Any:
        """For "not_significant": re-solve with the refitted standard errors until no
        remediated group is flagged."""
        new_pay = plan(goal)
        for _ in range(_MAX_ROUNDS):
            fit = self.model.refit(new_pay)
            bad = self.significant(fit, labels)
            if not bad:
                break
            for g in bad:
                aim = -_AIM * self.crit * float(fit.bse[self.column(g)])
                goal[g] = max(goal[g], aim) + 1e-6
            new_pay = plan(goal)
        return new_pay

    def evaluate(self, new_pay: np.ndarray, policy: str) -> list[dict[str, Any]]:
        model, before = self.model, self.fit0
        fit = model.refit(new_pay)
        raised = new_pay > model.pay * (1 + 1e-12)
        rows = []
        for label in self.labels:
            j = self.column(label)
            in_g = model.groups.codes == model.groups.labels.index(label)
            gap_after = _gap_units(model, fit.params[j])
            t_after = float(fit.tvalues[j])
            if self.target == "not_significant":
                tgt, reached = float("nan"), bool(t_after > -self.crit)
            else:
                tgt = 0.0 if self.target == "zero" else float(self.target)
                reached = bool(gap_after <= tgt + 1e-7)
            rows.append(
                {
                    "policy": policy,
                    "group": label,
                    "employees_raised": int((raised & in_g).sum()),
                    "cost": float((new_pay - model.pay)[in_g].sum()),
                    "policy_cost": float((new_pay - model.pay).sum()),
                    "adjusted_gap_before": _gap_units(model, before.params[j]),
                    "adjusted_gap_after": gap_after,
                    "t_after": t_after,
                    "target_gap": tgt,
                    "reached": reached,
                }
            )
        return rows


def _gap_units(model: PayModel, beta: float) -> float:
    return float((1 - np.exp(beta)) * 100) if model.log else float(-beta)


def pay_remediation(
    gap_result: PayGapResult,
    *,
    target: str | float = "zero",
    budget: float | None = None,
    max_raise: float | None = None,
) -> PayRemediationPlan:
    """Per-employee raises (never cuts) that bring the overall adjusted gap to a target at least
    cost, compared with two simple policies.

    Parameters
    ----------
    gap_result : PayGapResult
        The result of :func:`fairhire.pay_gap`; its overall model is refitted with the new pay.
    target : "zero", "not_significant", or a number, default "zero"
        ``"zero"``: every disadvantaged group's adjusted gap at most 0. ``"not_significant"``:
        the refitted gap is no longer flagged by pay_gap's rule (p ≥ the gap result's
        ``alpha``), re-solved with the refitted standard error until it holds. A
        number: the adjusted gap at most this, in the result's units (% with log pay, currency
        otherwise).
    budget : float, optional
        With a budget smaller than the optimal plan's cost, the plan spends the budget the same
        way (the multipliers scaled down) and reports the gap it reaches.
    max_raise : float, optional
        Cap on any employee's raise as a fraction of pay (0.1 = 10%). Without log pay the cost
        is linear and the cap defaults to 1.0 (at most doubling pay).

    Returns
    -------
    PayRemediationPlan

    Examples
    --------
    >>> import fairhire as fh
    >>> wf = fh.datasets.make_workforce(2000, random_state=4)
    >>> gap = fh.pay_gap(wf, pay="salary", group="sex", controls=["level", "job_family"])
    >>> plan = fh.pay_remediation(gap, target="zero")
    >>> plan.reached, bool((plan.raises.new_pay >= plan.raises.pay).all())
    (True, True)
    >>> cost = plan.comparison.groupby("policy")["policy_cost"].first()
    >>> bool(cost["optimal"] <= cost["uniform"] and cost["optimal"] <= cost["to_prediction"])
    True
    """
    model = _check(gap_result, target, budget, max_raise)
    problem, warnings = _problem(gap_result, model, target, max_raise)
    with blas_single_thread():
        optimal = _optimal(problem)
    cost = float((optimal - model.pay).sum())
    within_budget = budget is None or cost <= budget
    if not within_budget:
        optimal = spend_budget(model.pay, optimal, float(budget), log=model.log)
        warnings.append(
            f"the optimal plan costs {format_money(cost)}, more than the budget of "
            f"{format_money(budget)}; the plan shown spends the budget and does not reach the "
            "target."
        )
    need = [
        g
        for g in problem.labels
        if model.fit.params[problem.column(g)] < problem.goals(model.fit)[g]
    ]
    comparison = problem.evaluate(optimal, "optimal")
    reached = all(r["reached"] for r in comparison)
    comparison += problem.evaluate(_to_prediction(problem, need), "to_prediction")
    comparison += problem.evaluate(_uniform(problem, need), "uniform")
    if not need:
        warnings.append("no group's adjusted gap exceeds the target: no raises are needed.")
    raises = _raises_table(model, optimal)
    if max_raise is None and len(raises) and float(raises["raise_pct"].max()) > 25:
        warnings.append(
            "the least-cost plan gives some employees raises above 25% (with log pay, a raise "
            "for a low-paid employee moves the gap most per unit of cost); pass max_raise= to "
            "cap individual raises."
        )
    n = len(model.pay)
    return PayRemediationPlan(
        target=target,
        budget=budget,
        total_cost=float((optimal - model.pay).sum()),
        reached=reached,
        within_budget=within_budget,
        raises=raises,
        comparison=pd.DataFrame(comparison),
        pay=gap_result.pay,
        group=gap_result.group,
        reference_group=gap_result.reference_group,
        log=model.log,
        fingerprint=gap_result.fingerprint,
        warnings=tuple(warnings),
        rows=RowAccount(total=n, used=n, excluded={}),
        params={
            "target": target,
            "budget": budget,
            "max_raise": max_raise,
            "pay": gap_result.pay,
            "group": gap_result.group,
            "cov_type": model.cov_type,
            "log": model.log,
            "alpha": model.alpha,
        },
    )


def _check(gap_result: Any, target: Any, budget: Any, max_raise: Any) -> PayModel:
    """The options, checked; the gap result's model."""
    if not isinstance(gap_result, PayGapResult):
        raise InputTypeError(
            f"gap_result= must be the result of fairhire.pay_gap(); got {type(gap_result).__name__}."
        )
    model = gap_result.model
    if model is None:
        raise InvalidParameterError(
            "this PayGapResult carries no model (it was rebuilt from a dict?); rerun pay_gap."
        )
    if isinstance(target, str):
        if target not in ("zero", "not_significant"):
            raise InvalidParameterError(
                f"target={target!r}: use 'zero', 'not_significant' or a gap value (a number)."
            )
    elif model.log:
        check_number(
            target,
            "target",
            low=-100,
            high=100,
            low_open=True,
            high_open=True,
            hint="A gap in percent lies between -100 and 100.",
        )
    else:
        check_number(target, "target")
    check_number(budget, "budget", low=0, allow_none=True)
    check_number(
        max_raise,
        "max_raise",
        low=0,
        low_open=True,
        allow_none=True,
        hint="Use a fraction of pay, e.g. 0.1 for 10%.",
    )
    if not model.group_columns:
        raise InsufficientDataError("the gap result has no group to remediate.")
    return model


def _problem(
    gap_result: PayGapResult, model: PayModel, target: Any, max_raise: float | None
) -> tuple[_Problem, list[str]]:
    """The groups to remediate (testable ones) and their influence matrix."""
    with blas_single_thread():
        C, labels = influence(model, model.fit)
    warnings = []
    overall = gap_result.overall.set_index("group")
    untestable = [g for g in labels if not bool(overall.loc[g, "testable"])]
    if untestable:
        keep = [i for i, g in enumerate(labels) if g not in untestable]
        C, labels = C[:, keep], [labels[i] for i in keep]
        warnings.append(f"groups too small to test are not remediated: {', '.join(untestable)}.")
    if not labels:
        raise InsufficientDataError(
            "no group is large enough to test, so there is no adjusted gap to remediate."
        )
    cap_log = float(np.log1p(max_raise)) if (max_raise is not None and model.log) else None
    cap_lin = model.pay * (max_raise if max_raise is not None else 1.0)
    return _Problem(model, C, labels, target, cap_log, cap_lin), warnings


def _optimal(problem: _Problem) -> np.ndarray:
    goal = problem.goals(problem.fit0)
    if problem.target != "not_significant":
        return problem.solve(goal)
    return problem.until_not_significant(problem.solve, goal, problem.labels)


def _to_prediction(problem: _Problem, need: list[str]) -> np.ndarray:
    """Simple policy 1: lift members of a disadvantaged group paid below a comparable
    reference employee's predicted pay (the prediction without the group effect) up to it."""
    model, fit0 = problem.model, problem.fit0
    out = model.pay.copy()
    for g in need:
        beta = fit0.params[problem.column(g)]
        predicted = np.exp(fit0.fitted - beta) if model.log else fit0.fitted - beta
        in_g = model.groups.codes == model.groups.labels.index(g)
        out = np.where(in_g, np.maximum(out, predicted), out)
    return out


def _uniform(problem: _Problem, need: list[str]) -> np.ndarray:
    """Simple policy 2: the same raise (percent with log pay) for every member of a group."""
    model, fit0 = problem.model, problem.fit0

    def plan(goal: dict[str, float]) -> np.ndarray:
        out = model.pay.copy()
        for g in need:
            # Σ_{i∈g} c_gi = 1 and Σ_{i∈g} c_hi = 0 (h ≠ g): a uniform shift moves β_g by it
            shift = goal[g] - fit0.params[problem.column(g)]
            in_g = model.groups.codes == model.groups.labels.index(g)
            raised = model.pay * np.exp(shift) if model.log else model.pay + shift
            out = np.where(in_g, raised, out)
        return out

    goal = problem.goals(fit0)
    if problem.target != "not_significant":
        return plan(goal)
    return problem.until_not_significant(plan, goal, need)


def _raises_table(model: PayModel, new_pay: np.ndarray) -> pd.DataFrame:
    pay = model.pay
    raised = np.flatnonzero(new_pay > pay * (1 + 1e-12))
    raises = pd.DataFrame(
        {
            "row": model.positions[raised],
            "id": model.ids[raised] if model.ids is not None else model.positions[raised],
            "group": np.asarray(model.groups.labels, dtype=object)[model.groups.codes[raised]],
            "pay": pay[raised],
            "new_pay": new_pay[raised],
            "raise_amount": new_pay[raised] - pay[raised],
            "raise_pct": (new_pay[raised] / pay[raised] - 1) * 100,
        }
    )
    order = ["group", "raise_pct"]
    return raises.sort_values(order, ascending=[True, False]).reset_index(drop=True)
