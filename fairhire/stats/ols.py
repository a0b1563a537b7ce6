"""Ordinary least squares with classical, heteroskedasticity- or cluster-robust covariances.

:func:`fit_ols` solves the normal equations on column-scaled data through a Cholesky factor and
computes every covariance in row chunks (see :mod:`fairhire.stats.design`); it can absorb one
high-dimensional categorical by demeaning. :mod:`fairhire.stats.regression` re-exports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import linalg, stats

from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview
from .design import (
    _RANK_TOL,
    _as_2d,
    _check_cov_type,
    _cluster_meat,
    _collinear_from_gram,
    _column_names,
    _factorize,
    _NamedCoefficients,
    _raise_if_collinear,
    _weighted_cross,
    blas_single_thread,
    demean,
    leverage,
)

__all__ = ["OLSFit", "fit_ols"]


@dataclass(frozen=True, eq=False)
class OLSFit(_NamedCoefficients):
    """An OLS fit: coefficients, covariance and per-row diagnostics.

    Attributes
    ----------
    names : tuple of str
        Column names, in the order of ``params``.
    params, bse, tvalues, p_values : numpy.ndarray
        Coefficients, standard errors, t statistics and two-sided p-values (t distribution
        with ``df_resid`` degrees of freedom; ``n_clusters - 1`` for cluster-robust errors,
        like statsmodels with ``use_t=True`` and Stata).
    cov : numpy.ndarray
        Covariance matrix of ``params`` of the chosen ``cov_type``.
    xtx_inv : numpy.ndarray
        (X'X)⁻¹ of the (demeaned, if absorbing) design.
    resid, fitted : numpy.ndarray
        Residuals and fitted values (fitted includes the absorbed effects).
    leverage : numpy.ndarray or None
        Diagonal of the hat matrix (computed for HC2/HC3 or when asked).
    nobs, df_resid, n_absorbed : int
        Rows, residual degrees of freedom, and number of absorbed fixed effects.
    sigma2, rsquared : float
        Residual variance RSS/df_resid, and R² (including absorbed effects).
    cov_type : str
    n_clusters : int or None
    """

    tvalues: np.ndarray
    p_values: np.ndarray
    cov: np.ndarray
    xtx_inv: np.ndarray
    resid: np.ndarray
    fitted: np.ndarray
    leverage: np.ndarray | None
    nobs: int
    df_resid: int
    n_absorbed: int
    sigma2: float
    rsquared: float
    cov_type: str
    n_clusters: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def df_inference(self) -> int:
        """Degrees of freedom of the t distribution used for p-values and intervals."""
        if self.cov_type == "cluster" and self.n_clusters is not None:
            return self.n_clusters - 1
        return self.df_resid

    def t_crit(self, alpha: float = 0.05) -> float:
        return float(stats.t.ppf(1 - alpha / 2, self.df_inference))

    _critical = t_crit


def fit_ols(
    y: Any,
    X: Any,
    *,
    names: Sequence[str] | None = None,
    cov_type: str = "HC3",
    clusters: Any = None,
    absorb: Any = None,
    compute_leverage: bool = False,
) -> OLSFit:
    """Ordinary least squares with classical, heteroskedasticity- or cluster-robust errors.

    Parameters
    ----------
    y : array-like, shape (n,)
    X : array-like, shape (n, k)
        The design matrix, including a constant column unless ``absorb`` is given (absorbed
        fixed effects include the constant).
    names : sequence of str, optional
        Column names (used in results and in error messages); ``x0, x1, ...`` by default.
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}, default "HC3"
        ``HC1`` is Stata's ``robust``; ``HC3`` is the safer choice in small cells (Long & Ervin
        2000). Conclusions can change between them, so results say which was used.
    clusters : array-like, optional
        One cluster label per row, for ``cov_type="cluster"``.
    absorb : array-like, optional
        One label per row of a categorical whose fixed effects are absorbed (partialled out by
        demeaning) rather than estimated as dummies. Coefficients, residuals and every
        covariance type equal those of the dummy-variable regression; degrees of freedom count
        the absorbed effects.
    compute_leverage : bool, default False
        Also compute the hat-matrix diagonal (always computed for HC2 and HC3).

    Returns
    -------
    OLSFit

    Raises
    ------
    InvalidValueError
        If y or X hold NaN or infinite values, or columns are collinear (the message names
        them).
    InsufficientDataError
        If there are no residual degrees of freedom.

    Notes
    -----
    Rows with leverage 1 (alone in an absorbed cell, or the only member of a dummy's category)
    have residual 0; HC2/HC3 give them zero weight instead of dividing 0 by 0.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=200)
    >>> y = 1.0 + 2.0 * x + rng.normal(size=200)
    >>> fit = fit_ols(y, np.column_stack([np.ones(200), x]), names=["const", "x"])
    >>> np.round(fit.params, 2).tolist()
    [0.91, 1.93]
    >>> fit.cov_type, fit.df_resid
    ('HC3', 198)
    """
    with blas_single_thread():
        return _fit_ols(y, X, names, cov_type, clusters, absorb, compute_leverage)


@dataclass
class _Absorbed:
    """The design and outcome after partialling out the absorbed fixed effects (if any)."""

    Xw: np.ndarray
    yw: np.ndarray
    n_absorbed: int = 0
    codes: np.ndarray | None = None
    group_sizes: np.ndarray | None = None


def _fit_ols(
    y: Any,
    X: Any,
    names: Sequence[str] | None,
    cov_type: str,
    clusters: Any,
    absorb: Any,
    compute_leverage: bool,
) -> OLSFit:
    cov_type = _check_cov_type(cov_type, clusters)
    y, X, names = _checked_data(y, X, names)
    n, k = X.shape
    ab = _absorb(y, X, absorb)
    df_resid = n - k - ab.n_absorbed
    if df_resid <= 0:
        raise InsufficientDataError(
            f"{n} rows cannot estimate {k + ab.n_absorbed} parameters: no residual degrees of "
            "freedom. Use fewer controls or more data."
        )
    params, xtx_inv = _solve(ab.Xw, ab.yw, names)
    resid = ab.yw - ab.Xw @ params
    fitted = y - resid
    rss = float(resid @ resid)
    sigma2 = rss / df_resid
    tss = float(((y - y.mean()) ** 2).sum())
    rsquared = 1.0 - rss / tss if tss > 0 else float("nan")

    h = None
    if compute_leverage or cov_type in ("HC2", "HC3"):
        h = leverage(ab.Xw, xtx_inv)
        if ab.group_sizes is not None:
            h += 1.0 / ab.group_sizes[ab.codes]
        h = np.clip(h, 0.0, 1.0)

    notes: list[str] = []
    n_clusters = None
    if cov_type == "nonrobust":
        cov = sigma2 * xtx_inv
    elif cov_type == "cluster":
        cov, n_clusters = _cluster_cov(ab, resid, xtx_inv, clusters)
    else:
        cov = _hc_cov(cov_type, ab.Xw, resid, xtx_inv, h, df_resid, notes)
    cov = (cov + cov.T) / 2
    bse = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = np.where(bse > 0, params / bse, np.nan)
    df_inf = (n_clusters - 1) if n_clusters is not None else df_resid
    pvalues = 2 * stats.t.sf(np.abs(tvalues), df_inf)
    return OLSFit(
        names=names,
        params=params,
        bse=bse,
        tvalues=tvalues,
        p_values=pvalues,
        cov=cov,
        xtx_inv=xtx_inv,
        resid=resid,
        fitted=fitted,
        leverage=h,
        nobs=n,
        df_resid=df_resid,
        n_absorbed=ab.n_absorbed,
        sigma2=sigma2,
        rsquared=rsquared,
        cov_type=cov_type,
        n_clusters=n_clusters,
        notes=tuple(notes),
    )


def _checked_data(
    y: Any, X: Any, names: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """y and X as float arrays of matching length, and the column names; all finite."""
    X = _as_2d(X)
    y = np.asarray(y, dtype=np.float64).ravel()
    n, k = X.shape
    if y.shape[0] != n:
        raise InvalidParameterError(f"y has {y.shape[0]} rows but X has {n}.")
    names = _column_names(names, k)
    if len(names) != k:
        raise InvalidParameterError(f"{len(names)} names for {k} columns of X.")
    if not np.isfinite(y).all():
        raise InvalidValueError(
            f"the outcome has {int((~np.isfinite(y)).sum())} missing or infinite values; "
            "drop or fix those rows before fitting."
        )
    if not np.isfinite(X).all():
        bad = [names[j] for j in np.flatnonzero(~np.isfinite(X).all(axis=0))]
        raise InvalidValueError(
            f"columns {preview(bad)} hold missing or infinite values; drop or fill those rows."
        )
    return y, X, names


def _absorb(y: np.ndarray, X: np.ndarray, absorb: Any) -> _Absorbed:
    """Demean y and X within the cells of ``absorb`` (unchanged when it is None)."""
    if absorb is None:
        return _Absorbed(X, y)
    n = X.shape[0]
    codes, n_absorbed = _factorize(absorb)
    if codes.shape[0] != n:
        raise InvalidParameterError(f"absorb has {codes.shape[0]} labels for {n} rows.")
    group_sizes = np.bincount(codes, minlength=n_absorbed)
    y_mean = np.bincount(codes, weights=y, minlength=n_absorbed) / group_sizes
    return _Absorbed(demean(X, codes, n_absorbed), y - y_mean[codes], n_absorbed, codes, group_sizes)


def _solve(
    Xw: np.ndarray, yw: np.ndarray, names: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and (X'X)⁻¹ through a Cholesky factor; collinear columns raise."""
    k = Xw.shape[1]
    gram = Xw.T @ Xw
    _raise_if_collinear(
        _collinear_from_gram(gram, list(names), _RANK_TOL),
        "Each set is a linear combination of the others (or of the constant / absorbed "
        "effects). Remove one control from each set, or merge the categories that always "
        "coincide.",
    )
    # Scale columns to unit norm before factorising: tenure in years next to a constant and
    # dummies is fine, but salary-sized columns would otherwise lose digits.
    scale = np.sqrt(np.diag(gram))
    gram_s = gram / np.outer(scale, scale)
    factor = linalg.cho_factor(gram_s, lower=False, check_finite=False)
    xty = Xw.T @ yw
    params = linalg.cho_solve(factor, xty / scale, check_finite=False) / scale
    xtx_inv = linalg.cho_solve(factor, np.eye(k), check_finite=False) / np.outer(scale, scale)
    xtx_inv = (xtx_inv + xtx_inv.T) / 2
    return params, xtx_inv


def _cluster_cov(
    ab: _Absorbed, resid: np.ndarray, xtx_inv: np.ndarray, clusters: Any
) -> tuple[np.ndarray, int]:
    """Cluster-robust covariance with the G/(G−1)·(n−1)/(n−k) factor, and the cluster count."""
    n, k = ab.Xw.shape
    ccodes, n_clusters = _factorize(clusters)
    if ccodes.shape[0] != n:
        raise InvalidParameterError(f"clusters has {ccodes.shape[0]} labels for {n} rows.")
    if n_clusters < 2:
        raise InsufficientDataError(
            "cluster-robust errors need at least 2 clusters; got 1. Use cov_type='HC3'."
        )
    meat = _cluster_meat(ab.Xw, resid, ccodes, n_clusters)
    factor_c = n_clusters / (n_clusters - 1) * (n - 1) / (n - k - ab.n_absorbed)
    return factor_c * xtx_inv @ meat @ xtx_inv, n_clusters


def _hc_cov(
    cov_type: str,
    Xw: np.ndarray,
    resid: np.ndarray,
    xtx_inv: np.ndarray,
    h: np.ndarray | None,
    df_resid: int,
    notes: list[str],
) -> np.ndarray:
    """HC0–HC3 sandwich covariance; rows with leverage 1 get zero weight (noted)."""
    if cov_type in ("HC0", "HC1"):
        w = resid**2
    else:
        one_minus = 1.0 - h
        tiny = one_minus < 1e-10
        if tiny.any():
            notes.append(
                f"{int(tiny.sum())} rows have leverage 1 (alone in their cell); they carry "
                f"no information for {cov_type} and get zero weight."
            )
            one_minus = np.where(tiny, 1.0, one_minus)
        w = resid**2 / (one_minus if cov_type == "HC2" else one_minus**2)
        w = np.where(tiny, 0.0, w)
    meat = _weighted_cross(Xw, w)
    cov = xtx_inv @ meat @ xtx_inv
    if cov_type == "HC1":
        cov *= Xw.shape[0] / df_resid
    return cov
