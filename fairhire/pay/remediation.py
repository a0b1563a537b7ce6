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

Raises are never negative. Two simple policies are computed for comparison: lifting every
member of a disadvantaged group who is paid below a comparable reference employee's predicted
pay up to it, and a uniform raise for each disadvantaged group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import optimize

from .._results import Headline, Result, RowAccount, jsonable
from ..errors import InputTypeError, InsufficientDataError, InvalidParameterError
from ..stats.regression import OLSFit, blas_single_thread, demean
from .gap import PayGapResult, PayModel

__all__ = ["PayRemediationPlan", "pay_remediation"]

#: |t| below this counts as "no longer significant" (the flag rule of pay_gap is |t| ≥ 2).
T_FLAG = 2.0
_T_AIM = 1.98  # aim a little inside the boundary so the refitted t is strictly below 2
_MAX_ROUNDS = 25


@dataclass(frozen=True, kw_only=True, eq=False)
class PayRemediationPlan(Result):
    """Per-employee raises that reach a target adjusted gap at the least total cost.

    Attributes
    ----------
    raises : pandas.DataFrame
        One row per employee raised by the optimal plan: ``row`` (position in the input),
        ``id``, ``group``, ``pay``, ``new_pay``, ``raise_amount``, ``raise_pct``.
    comparison : pandas.DataFrame
        The optimal plan and the two simple policies ("to_prediction", "uniform"), per group:
        ``policy``, ``group``, ``employees_raised``, ``cost``, ``policy_cost``,
        ``adjusted_gap_before``, ``adjusted_gap_after``, ``t_after``, ``target_gap``,
        ``reached``.
    total_cost : float
        Total cost of the optimal plan (in pay units: annual salary if pay is annual).
    reached : bool
        Whether the refitted model meets the target for every group.
    target : str or float
    budget : float or None
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

    kind: ClassVar[str] = "pay remediation plan"
    count_columns: ClassVar[frozenset[str]] = frozenset({"employees_raised"})
    report_count_columns: ClassVar[tuple[str, ...]] = ("employees_raised",)

    def to_frame(self) -> pd.DataFrame:
        return self.comparison.copy()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict; the per-employee raises are summarised by group
        (``raises_summary``): read ``plan.raises`` for the list itself."""
        out = super().to_dict()
        out.pop("raises", None)
        out["raises_summary"] = jsonable(self.raises_summary)
        return out

    @property
    def raises_summary(self) -> pd.DataFrame:
        """The optimal plan's raises by group: ``group``, ``employees_raised``,
        ``total_raise``, ``median_raise_pct``, ``max_raise_pct``."""
        r = self.raises
        if r.empty:
            return pd.DataFrame(
                columns=["group", "employees_raised", "total_raise", "median_raise_pct",
                         "max_raise_pct"]
            )  # fmt: skip
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

    def summary(self) -> str:
        lines = [
            f"Pay remediation for {self.pay} by {self.group} (reference {self.reference_group}); "
            f"target: {self.target}"
            + (f"; budget {self.budget:,.0f}" if self.budget is not None else ""),
            f"Optimal plan: {len(self.raises):,} raises costing {self.total_cost:,.0f}; "
            f"target {'reached' if self.reached else 'NOT reached'}",
        ]
        for policy, part in self.comparison.groupby("policy", sort=False):
            lines.append(
                f"  {policy:<14} cost {part['policy_cost'].iloc[0]:,.0f}; "
                + "; ".join(
                    f"{r.group}: gap {r.adjusted_gap_before:.2f} -> {r.adjusted_gap_after:.2f}"
                    f" (t {r.t_after:.2f}){'' if r.reached else ' not reached'}"
                    for r in part.itertuples(index=False)
                )
            )
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        if not len(self.comparison):
            return [
                Headline(
                    severity=1,
                    text="No remediation is needed: no group's adjusted gap exceeds the target.",
                    section="remediation",
                )
            ]
        cost = self.comparison.groupby("policy", sort=False)["policy_cost"].first()
        others = [f"{p.replace('_', ' ')} {c:,.0f}" for p, c in cost.items() if p != "optimal"]
        return [
            Headline(
                severity=2,
                text=f"Raising {len(self.raises):,} employees at a total cost of "
                f"{self.total_cost:,.0f} would "
                + ("bring" if self.reached else "not fully bring")
                + f" the adjusted pay gap to the target ({self.target}); the simple policies "
                f"would cost {', '.join(others)}.",
                figure=float(self.total_cost),
                section="remediation",
            )
        ]


def _targets(model: PayModel, target: Any, fit: OLSFit, labels: list[str]) -> dict[str, float]:
    """Minimum acceptable coefficient for each remediated group (log or currency scale)."""
    out = {}
    for label in labels:
        j = model.group_columns[label]
        if target == "zero":
            out[label] = 0.0
        elif target == "not_significant":
            out[label] = -_T_AIM * float(fit.bse[j])
        else:
            value = float(target)
            out[label] = float(np.log1p(-value / 100.0)) if model.log else -value
    return out


def _influence(model: PayModel, fit: OLSFit) -> tuple[np.ndarray, list[str]]:
    """c_g for each group column: the change of β_g per unit change of each (log) pay."""
    X = model.X
    if model.absorb_codes is not None:
        n_groups = int(model.absorb_codes.max()) + 1
        X = demean(X, model.absorb_codes, n_groups)
    labels = list(model.group_columns)
    cols = [model.group_columns[g] for g in labels]
    return X @ fit.xtx_inv[:, cols], labels


def _water_fill(
    pay: np.ndarray,
    C: np.ndarray,
    need: np.ndarray,
    cap: float | None,
) -> np.ndarray:
    """Log raises u solving min Σ p(e^u − 1) s.t. C'u ≥ need, 0 ≤ u ≤ cap.

    KKT: p_i e^{u_i} = max(p_i, Σ_g λ_g c_gi), capped. Each λ_g is found by brentq with the
    others fixed (coordinate ascent on the concave dual), cycling until none changes.
    """
    n, G = C.shape
    lam = np.zeros(G)
    log_pay = np.log(pay)

    def raises(lam_vec: np.ndarray) -> np.ndarray:
        level = C @ lam_vec
        u = np.zeros(n)
        up = level > pay
        u[up] = np.log(level[up]) - log_pay[up]
        return u if cap is None else np.minimum(u, cap)

    if not (need > 0).any():
        return np.zeros(n)
    for g in np.flatnonzero(need > 0):
        pos = C[:, g] > 0
        if not pos.any():
            raise InsufficientDataError(
                "no employee's raise would reduce this group's gap; the model cannot be "
                "remediated by raises."
            )
        if cap is not None and float(C[pos, g] @ np.full(pos.sum(), cap)) < need[g]:
            raise InsufficientDataError(
                f"even raising every eligible employee by max_raise cannot reach the target "
                f"(needed {need[g]:.4g} in log points); allow larger raises or choose a less "
                "strict target."
            )
    for _ in range(_MAX_ROUNDS):
        changed = False
        for g in range(G):

            def slack(x: float, g: int = g) -> float:
                trial = lam.copy()
                trial[g] = x
                return float(C[:, g] @ raises(trial) - need[g])

            if slack(0.0) >= 0:
                new = 0.0
            else:
                pos = C[:, g] > 0
                hi = 2.0 * float(np.min(pay[pos] / C[pos, g]))
                while slack(hi) < 0:
                    hi *= 2.0
                new = optimize.brentq(slack, 0.0, hi, xtol=1e-15 * hi, rtol=1e-15, maxiter=500)
                while slack(new) < 0:  # land on the feasible side of the root
                    new *= 1 + 1e-13
            if abs(new - lam[g]) > 1e-11 * max(abs(new), 1e-300):
                changed = True
            lam[g] = new
        if not changed:
            break
    return raises(lam)


def _linear_plan(pay: np.ndarray, C: np.ndarray, need: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Currency raises r solving min Σ r s.t. C'r ≥ need, 0 ≤ r ≤ cap (scipy.optimize.linprog)."""
    active = np.flatnonzero(need > 0)
    if active.size == 0:
        return np.zeros(len(pay))
    res = optimize.linprog(
        c=np.ones(len(pay)),
        A_ub=-C[:, active].T,
        b_ub=-need[active] * (1 + 1e-9),
        bounds=np.column_stack([np.zeros(len(pay)), cap]),
        method="highs",
    )
    if res.status != 0:
        raise InsufficientDataError(
            "the target cannot be reached with raises capped at max_raise times pay; allow "
            f"larger raises or choose a less strict target ({res.message})."
        )
    return np.maximum(res.x, 0.0)


def _evaluate(
    model: PayModel,
    new_pay: np.ndarray,
    target: Any,
    policy: str,
    before: OLSFit,
    labels: list[str],
) -> tuple[list[dict[str, Any]], OLSFit]:
    fit = model.refit(new_pay)
    raised = new_pay > model.pay * (1 + 1e-12)
    cost_total = float((new_pay - model.pay).sum())
    rows = []
    codes = model.groups.codes
    for label in labels:
        j = model.group_columns[label]
        code = model.groups.labels.index(label)
        in_g = codes == code
        gap_before, gap_after = (
            _gap_units(model, before.params[j]),
            _gap_units(model, fit.params[j]),
        )
        t_after = float(fit.tvalues[j])
        if target == "not_significant":
            reached = bool(t_after > -T_FLAG)
            tgt = float("nan")
        else:
            tgt = 0.0 if target == "zero" else float(target)
            reached = bool(gap_after <= tgt + 1e-7)
        rows.append(
            {
                "policy": policy,
                "group": label,
                "employees_raised": int((raised & in_g).sum()),
                "cost": float((new_pay - model.pay)[in_g].sum()),
                "policy_cost": cost_total,
                "adjusted_gap_before": gap_before,
                "adjusted_gap_after": gap_after,
                "t_after": t_after,
                "target_gap": tgt,
                "reached": reached,
            }
        )
    return rows, fit


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
        |t| < 2 (the flag rule), re-solved with the refitted standard error until it holds. A
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
    elif isinstance(target, bool) or not isinstance(target, int | float):
        raise InvalidParameterError(
            f"target={target!r} must be 'zero', 'not_significant' or a number."
        )
    elif model.log and not -100 < float(target) < 100:
        raise InvalidParameterError(
            f"target={target!r}: a gap in percent lies between -100 and 100."
        )
    if budget is not None and not (isinstance(budget, int | float) and budget >= 0):
        raise InvalidParameterError(f"budget={budget!r} must be a non-negative amount.")
    if max_raise is not None and not (isinstance(max_raise, int | float) and max_raise > 0):
        raise InvalidParameterError(f"max_raise={max_raise!r} must be a positive fraction.")
    if not model.group_columns:
        raise InsufficientDataError("the gap result has no group to remediate.")

    fit0 = model.fit
    pay = model.pay
    with blas_single_thread():
        C, labels = _influence(model, fit0)
    warnings: list[str] = []
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
    cap_log = np.log1p(max_raise) if (max_raise is not None and model.log) else None
    cap_lin = pay * (max_raise if max_raise is not None else 1.0)

    def solve(goal: dict[str, float]) -> np.ndarray:
        need = np.array(
            [goal[g] - fit0.params[model.group_columns[g]] for g in labels], dtype=np.float64
        )
        if model.log:
            u = _water_fill(pay, C, need, cap_log)
            return pay * np.exp(u)
        return pay + _linear_plan(pay, C, need, cap_lin)

    def iterate(goal_fn: Any) -> np.ndarray:
        """Solve; for 'not_significant', re-solve with the refitted standard errors."""
        goal = goal_fn(fit0)
        new_pay = solve(goal)
        if target != "not_significant":
            return new_pay
        for _ in range(_MAX_ROUNDS):
            fit = model.refit(new_pay)
            ok = all(fit.tvalues[model.group_columns[g]] > -T_FLAG for g in labels)
            if ok:
                return new_pay
            goal = {
                g: max(goal[g], -_T_AIM * float(fit.bse[model.group_columns[g]])) + 1e-6
                if fit.tvalues[model.group_columns[g]] <= -T_FLAG
                else goal[g]
                for g in labels
            }
            new_pay = solve(goal)
        return new_pay

    optimal = iterate(lambda fit: _targets(model, target, fit, labels))
    cost = float((optimal - pay).sum())
    within_budget = True
    if budget is not None and cost > budget:
        within_budget = False
        raise_amount = optimal - pay
        if model.log:
            # spend exactly the budget with the same shape: scale the log raises
            u = np.log(optimal / pay)
            s = optimize.brentq(lambda a: float((pay * np.expm1(a * u)).sum()) - budget, 0.0, 1.0)
            optimal = pay * np.exp(s * u)
        else:
            optimal = pay + raise_amount * (budget / cost)
        warnings.append(
            f"the optimal plan costs {cost:,.0f}, more than the budget of {budget:,.0f}; the "
            "plan shown spends the budget and does not reach the target."
        )
        cost = float((optimal - pay).sum())

    comparison, _ = _evaluate(model, optimal, target, "optimal", fit0, labels)
    reached = all(r["reached"] for r in comparison)

    # simple policy 1: lift disadvantaged employees paid below a comparable reference employee's
    # predicted pay up to it (the model's prediction without the group effect)
    need_groups = {
        g
        for g in labels
        if fit0.params[model.group_columns[g]] < _targets(model, target, fit0, labels)[g]
    }
    codes = model.groups.codes
    to_pred = pay.copy()
    for g in need_groups:
        j = model.group_columns[g]
        in_g = codes == model.groups.labels.index(g)
        if model.log:
            ref_pred = np.exp(fit0.fitted - fit0.params[j])
        else:
            ref_pred = fit0.fitted - fit0.params[j]
        to_pred = np.where(in_g, np.maximum(to_pred, ref_pred), to_pred)
    rows_pred, _ = _evaluate(model, to_pred, target, "to_prediction", fit0, labels)

    # simple policy 2: the same raise (percent with log pay) for every member of the group
    def uniform_for(goal: dict[str, float]) -> np.ndarray:
        out = pay.copy()
        for g in need_groups:
            j = model.group_columns[g]
            shift = goal[g] - fit0.params[j]  # Σ_{i∈g} c_gi = 1 and Σ_{i∈g} c_hi = 0 (h ≠ g)
            in_g = codes == model.groups.labels.index(g)
            out = np.where(in_g, pay * np.exp(shift) if model.log else pay + shift, out)
        return out

    uniform = uniform_for(_targets(model, target, fit0, labels))
    if target == "not_significant":
        goal = _targets(model, target, fit0, labels)
        for _ in range(_MAX_ROUNDS):
            fit_u = model.refit(uniform)
            bad = [g for g in need_groups if fit_u.tvalues[model.group_columns[g]] <= -T_FLAG]
            if not bad:
                break
            for g in bad:
                goal[g] = max(goal[g], -_T_AIM * float(fit_u.bse[model.group_columns[g]])) + 1e-6
            uniform = uniform_for(goal)
    rows_uni, _ = _evaluate(model, uniform, target, "uniform", fit0, labels)
    comparison = pd.DataFrame(comparison + rows_pred + rows_uni)
    if not need_groups:
        warnings.append("no group's adjusted gap exceeds the target: no raises are needed.")

    raised = np.flatnonzero(optimal > pay * (1 + 1e-12))
    if max_raise is None and raised.size and float((optimal[raised] / pay[raised]).max()) > 1.25:
        warnings.append(
            "the least-cost plan gives some employees raises above 25% (with log pay, a raise "
            "for a low-paid employee moves the gap most per unit of cost); pass max_raise= to "
            "cap individual raises."
        )
    raises = pd.DataFrame(
        {
            "row": model.positions[raised],
            "id": model.ids[raised] if model.ids is not None else model.positions[raised],
            "group": np.asarray(model.groups.labels, dtype=object)[codes[raised]],
            "pay": pay[raised],
            "new_pay": optimal[raised],
            "raise_amount": optimal[raised] - pay[raised],
            "raise_pct": (optimal[raised] / pay[raised] - 1) * 100,
        }
    )
    raises = raises.sort_values(["group", "raise_pct"], ascending=[True, False]).reset_index(
        drop=True
    )
    n = len(pay)
    return PayRemediationPlan(
        target=target,
        budget=budget,
        total_cost=cost,
        reached=reached,
        within_budget=within_budget,
        raises=raises,
        comparison=comparison,
        pay=gap_result.pay,
        group=gap_result.group,
        reference_group=gap_result.reference_group,
        log=model.log,
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
        },
    )
