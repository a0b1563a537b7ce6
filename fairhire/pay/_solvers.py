"""The solvers of :func:`fairhire.pay_remediation`: the least costly raises that move group
coefficients of an OLS pay model to their targets.

With log pay the cheapest plan has the closed form p_i e^{u_i} = max(p_i, Σ_g λ_g c_gi)
(capped), its multipliers found by :func:`scipy.optimize.brentq`; with pay in currency units the
programme is linear and solved by :func:`scipy.optimize.linprog` (HiGHS).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from ..errors import InsufficientDataError
from ..stats.regression import OLSFit, demean
from .gap_result import PayModel

__all__ = ["influence", "linear_plan", "spend_budget", "water_fill"]

_MAX_ROUNDS = 25


def influence(model: PayModel, fit: OLSFit) -> tuple[np.ndarray, list[str]]:
    """c_g for each group column: the change of β_g per unit change of each (log) pay."""
    X = model.X
    if model.absorb_codes is not None:
        n_groups = int(model.absorb_codes.max()) + 1
        X = demean(X, model.absorb_codes, n_groups)
    labels = list(model.group_columns)
    cols = [model.group_columns[g] for g in labels]
    return X @ fit.xtx_inv[:, cols], labels


def water_fill(
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


def linear_plan(pay: np.ndarray, C: np.ndarray, need: np.ndarray, cap: np.ndarray) -> np.ndarray:
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


def spend_budget(pay: np.ndarray, plan: np.ndarray, budget: float, *, log: bool) -> np.ndarray:
    """The plan scaled down to cost exactly ``budget``, spent the same way: the log raises
    scaled (log pay), or the raises in proportion (currency units)."""
    if not log:
        return pay + (plan - pay) * (budget / float((plan - pay).sum()))
    u = np.log(plan / pay)
    s = optimize.brentq(lambda a: float((pay * np.expm1(a * u)).sum()) - budget, 0.0, 1.0)
    return pay * np.exp(s * u)
