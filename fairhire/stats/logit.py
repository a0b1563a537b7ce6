"""Logistic regression (statsmodels ``Logit``) with the naming, checks and covariances of OLS.

:func:`fit_logit` validates the 0/1 outcome and the design, fits with Newton's method and turns
statsmodels' separation warnings into a clear error; :mod:`fairhire.stats.regression`
re-exports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview
from .design import (
    _as_2d,
    _check_cov_type,
    _column_names,
    _factorize,
    _NamedCoefficients,
    _raise_if_collinear,
    collinear_columns,
)

__all__ = ["LogitFit", "fit_logit"]

_LOGIT_COV_TYPES = ("nonrobust", "HC0", "HC1", "cluster")


@dataclass(frozen=True, eq=False)
class LogitFit(_NamedCoefficients):
    """A logistic regression: coefficients on the log-odds scale and odds ratios.

    ``p_values`` and intervals use the normal distribution (Wald), as statsmodels does.
    """

    zvalues: np.ndarray
    p_values: np.ndarray
    cov: np.ndarray
    nobs: int
    llf: float
    converged: bool
    cov_type: str

    @property
    def odds_ratios(self) -> np.ndarray:
        # a separated term (a level where no one was promoted) has a huge coefficient and
        # standard error: its odds ratio or interval bound is 0 or inf, which is the answer
        with np.errstate(over="ignore"):
            return np.exp(self.params)

    def _critical(self, alpha: float) -> float:
        return float(stats.norm.ppf(1 - alpha / 2))

    def odds_ratio_ci(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.conf_int(alpha)
        with np.errstate(over="ignore"):
            return np.exp(low), np.exp(high)


def fit_logit(
    y: Any,
    X: Any,
    *,
    names: Sequence[str] | None = None,
    cov_type: str = "nonrobust",
    clusters: Any = None,
    maxiter: int = 100,
) -> LogitFit:
    """Logistic regression of a 0/1 outcome on X (statsmodels ``Logit``, Newton's method).

    Parameters
    ----------
    y : array-like of 0/1 or bool, shape (n,)
    X : array-like, shape (n, k)
        Design matrix including a constant column.
    names : sequence of str, optional
    cov_type : {"nonrobust", "HC0", "HC1", "cluster"}, default "nonrobust"
    clusters : array-like, optional
        Cluster labels for ``cov_type="cluster"``.
    maxiter : int, default 100

    Returns
    -------
    LogitFit

    Raises
    ------
    InvalidValueError
        For outcomes other than 0/1, collinear columns (named), or perfect separation (a
        column that predicts the outcome exactly: the odds ratio is infinite).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> x = rng.integers(0, 2, 40000)
    >>> p = 1 / (1 + np.exp(-(-1.0 + np.log(0.7) * x)))
    >>> fit = fit_logit(rng.random(40000) < p, np.column_stack([np.ones(40000), x]),
    ...                 names=["const", "female"])
    >>> round(float(fit.odds_ratios[1]), 1)
    0.7
    """
    if cov_type not in _LOGIT_COV_TYPES:
        raise InvalidParameterError(
            f"cov_type={cov_type!r} is not supported for logistic regression; use nonrobust, "
            "HC0, HC1 or cluster."
        )
    _check_cov_type(cov_type, clusters)
    X = _as_2d(X)
    yv = _binary_outcome(y, X.shape[0])
    n, k = X.shape
    names = _column_names(names, k)
    _raise_if_collinear(collinear_columns(X, names), "Remove one control from each set.")
    fit_kw: dict[str, Any] = {}
    if cov_type == "cluster":
        codes, _ = _factorize(clusters)
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}}
    elif cov_type != "nonrobust":
        fit_kw = {"cov_type": cov_type}
    res, separated, converged = _statsmodels_logit(yv, X, maxiter, fit_kw)
    params = np.asarray(res.params)
    bse = np.asarray(res.bse)
    if separated or not np.isfinite(bse).all() or (np.abs(params) > 30).any():
        worst = [names[j] for j in np.argsort(-np.abs(params))[:3]]
        raise InvalidValueError(
            "perfect or quasi-perfect separation: some combination of "
            f"{preview(worst)} predicts the outcome (almost) exactly, so its odds ratio is "
            "infinite. Merge sparse categories or drop the control."
        )
    return LogitFit(
        names=names,
        params=params,
        bse=bse,
        zvalues=np.asarray(res.tvalues),
        p_values=np.asarray(res.pvalues),
        cov=np.asarray(res.cov_params()),
        nobs=n,
        llf=float(res.llf),
        converged=converged,
        cov_type=cov_type,
    )


def _binary_outcome(y: Any, n: int) -> np.ndarray:
    """y as floats 0.0/1.0; anything else, or a single outcome for every row, raises."""
    yv = np.asarray(y)
    if yv.dtype == bool:
        yv = yv.astype(np.float64)
    yv = np.asarray(yv, dtype=np.float64).ravel()
    bad = ~np.isin(yv, (0.0, 1.0))
    if bad.any():
        raise InvalidValueError(
            f"the outcome must be 0/1 or True/False; {int(bad.sum())} of {n} rows are not "
            f"(e.g. {preview(np.unique(yv[bad])[:5].tolist())})."
        )
    if yv.min() == yv.max():
        raise InsufficientDataError(
            f"the outcome is {int(yv[0])} for all {n} rows; a logistic regression needs both "
            "outcomes."
        )
    return yv


def _statsmodels_logit(
    yv: np.ndarray, X: np.ndarray, maxiter: int, fit_kw: dict[str, Any]
) -> tuple[Any, bool, bool]:
    """The statsmodels fit, whether it warned of separation, and whether it converged."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.Logit(yv, X).fit(disp=0, maxiter=maxiter, **fit_kw)
        except np.linalg.LinAlgError as exc:
            raise InvalidValueError(
                f"the logistic regression could not be fitted ({exc}); a control probably "
                "separates the outcome perfectly. Merge sparse categories or drop the control."
            ) from None
    separated = any(
        issubclass(w.category, PerfectSeparationWarning | HessianInversionWarning) for w in caught
    )
    converged = bool(res.mle_retvals.get("converged", True)) and not any(
        issubclass(w.category, ConvergenceWarning) for w in caught
    )
    return res, separated, converged
