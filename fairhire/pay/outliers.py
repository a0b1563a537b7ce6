"""Employees paid far below what the pay model predicts for them, listed for human review.

An employee is listed when the internally studentized residual of the overall model,
r_i = e_i / √(s²(1 − h_ii)), is at most −``outlier_threshold`` (2.5 by default). The list holds
individual pay: results keep it out of ``to_dict()`` and reports, which show a summary by group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.regression import OLSFit
from ._groups import GroupCodes

__all__ = ["outlier_table"]


def outlier_table(
    fit: OLSFit,
    pay: np.ndarray,
    groups: GroupCodes,
    positions: np.ndarray,
    ids: np.ndarray | None,
    *,
    log: bool,
    threshold: float,
) -> pd.DataFrame:
    """``row`` (position in the input), ``id``, ``group``, ``pay``, ``predicted_pay``,
    ``pay_vs_predicted_pct``, ``studentized_residual``; the lowest residual first."""
    h = fit.leverage if fit.leverage is not None else np.zeros_like(fit.resid)
    with np.errstate(divide="ignore", invalid="ignore"):
        stud = fit.resid / np.sqrt(fit.sigma2 * (1.0 - h))
    stud = np.where(1.0 - h > 1e-10, stud, np.nan)
    flag = np.flatnonzero(stud <= -threshold)
    flag = flag[np.argsort(stud[flag], kind="stable")]
    predicted = np.exp(fit.fitted[flag]) if log else fit.fitted[flag]
    return pd.DataFrame(
        {
            "row": positions[flag],
            "id": ids[flag] if ids is not None else positions[flag],
            "group": np.asarray(groups.labels, dtype=object)[groups.codes[flag]],
            "pay": pay[flag],
            "predicted_pay": predicted,
            "pay_vs_predicted_pct": (pay[flag] / predicted - 1.0) * 100.0,
            "studentized_residual": stud[flag],
        }
    )
