"""Least squares and logistic regression with the covariances a pay or promotion audit needs.

:func:`fit_ols` is a small, fast OLS on numpy arrays: the normal equations on column-scaled
data through a Cholesky factor, every covariance computed in row chunks, so a million rows and
dozens of columns fit in about a second and HC2/HC3 leverages never build an n×n matrix. It
matches statsmodels' ``OLS(...).fit(cov_type=...)`` to rounding (the tests check this), and
statsmodels remains the reference. It can absorb one high-dimensional categorical (cell fixed
effects) by demeaning, with leverages ``1/n_cell + h̃``, so 200 pay-analysis cells cost no more
than one column. Rank problems raise :class:`~fairhire.errors.InvalidValueError` naming the
collinear columns.

:func:`fit_logit` wraps statsmodels' ``Logit`` with the same naming, error handling and
covariance options, and reports odds ratios.

Sources: White (1980) for HC0; MacKinnon & White (1985) for HC1–HC3; Long & Ervin (2000) for
preferring HC3 in small samples; Cameron & Miller (2015) for the cluster-robust small-sample
factor G/(G−1)·(n−1)/(n−k) (statsmodels' and Stata's default).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import linalg, stats

from .._deprecation import renamed_attribute
from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview

__all__ = [
    "COV_TYPES",
    "CollinearityError",
    "LogitFit",
    "OLSFit",
    "blas_single_thread",
    "collinear_columns",
    "demean",
    "fit_logit",
    "fit_ols",
    "leverage",
]

#: Covariance types accepted by :func:`fit_ols`.
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")

_CHUNK = 1 << 16
# eigenvalues of the column-scaled cross-product matrix below this are treated as zero
_RANK_TOL = 1e-10


class CollinearityError(InvalidValueError):
    """The design matrix is rank deficient; ``sets`` lists the collinear columns by name."""

    def __init__(self, message: str, sets: list[list[str]]) -> None:
        super().__init__(message)
        self.sets = sets


@dataclass(frozen=True, eq=False)
class OLSFit:
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

    pvalues = renamed_attribute("pvalues", "p_values")

    names: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
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

    def conf_int(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper ``1 - alpha`` confidence limits of every coefficient."""
        q = self.t_crit(alpha)
        return self.params - q * self.bse, self.params + q * self.bse

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise InvalidParameterError(
                f"no coefficient named {name!r}; the model has {preview(self.names)}."
            ) from None


@contextmanager
def blas_single_thread() -> Iterator[None]:
    """Run BLAS single-threaded inside the block.

    The products here are tall and skinny (a million rows, a few dozen columns): one thread
    does them in tens of milliseconds, while a multi-threaded OpenBLAS on a busy machine spins
    and can be ten times slower. Uses threadpoolctl (a dependency of scikit-learn) when present.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _check_cov_type(cov_type: str, clusters: Any) -> str:
    if cov_type not in COV_TYPES:
        raise InvalidParameterError(
            f"cov_type={cov_type!r} is not supported; use one of {', '.join(COV_TYPES)}."
        )
    if cov_type == "cluster" and clusters is None:
        raise InvalidParameterError(
            "cov_type='cluster' needs cluster labels (clusters=, or cluster= in the analysis "
            "functions): one label per row, e.g. the manager or the team."
        )
    return cov_type


def _as_2d(X: Any) -> np.ndarray:
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise InvalidParameterError(f"X must be a 2-D array; got shape {arr.shape}.")
    return arr


def _factorize(labels: Any) -> tuple[np.ndarray, int]:
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(labels), use_na_sentinel=True)
    if (codes < 0).any():
        raise InvalidValueError(
            f"{int((codes < 0).sum())} rows have a missing cluster or absorbed label; drop or "
            "fill them before fitting."
        )
    return codes.astype(np.int64), len(uniques)


def demean(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Subtract group means (``codes`` in ``0..n_groups-1``) from each column; returns a copy."""
    values = np.asarray(values, dtype=np.float64)
    counts = np.bincount(codes, minlength=n_groups).astype(np.float64)
    if values.ndim == 1:
        return values - (np.bincount(codes, weights=values, minlength=n_groups) / counts)[codes]
    out = np.empty_like(values)
    for j in range(values.shape[1]):
        col = values[:, j]
        means = np.bincount(codes, weights=col, minlength=n_groups) / counts
        out[:, j] = col - means[codes]
    return out


def collinear_columns(
    X: np.ndarray, names: Sequence[str], *, tol: float = _RANK_TOL
) -> list[list[str]]:
    """Sets of columns that are (numerically) linear combinations of each other.

    Works on the k×k cross-product matrix scaled to unit diagonal, so its cost does not depend
    on the number of rows. Returns one list of names per near-null direction (empty when X has
    full column rank); an all-zero column is reported alone.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> collinear_columns(np.column_stack([np.ones(6), x, 2 * x]), ["const", "a", "b"])
    [['a', 'b']]
    """
    gram = X.T @ X
    return _collinear_from_gram(gram, list(names), tol)


def _collinear_from_gram(gram: np.ndarray, names: list[str], tol: float) -> list[list[str]]:
    diag = np.diag(gram).copy()
    zero = diag <= 0
    out: list[list[str]] = [[names[j]] for j in np.flatnonzero(zero)]
    keep = np.flatnonzero(~zero)
    if keep.size == 0:
        return out
    d = np.sqrt(diag[keep])
    scaled = gram[np.ix_(keep, keep)] / np.outer(d, d)
    eigval, eigvec = np.linalg.eigh(scaled)
    for idx in np.flatnonzero(eigval < tol * max(1.0, eigval[-1])):
        v = eigvec[:, idx]
        involved = np.flatnonzero(np.abs(v) > 0.05 * np.abs(v).max())
        out.append([names[keep[j]] for j in involved])
    return out


def leverage(X: np.ndarray, xtx_inv: np.ndarray) -> np.ndarray:
    """Diagonal of X (X'X)⁻¹ X', computed in row chunks (never an n×n matrix)."""
    n = X.shape[0]
    h = np.empty(n)
    for start in range(0, n, _CHUNK):
        block = X[start : start + _CHUNK]
        h[start : start + _CHUNK] = np.einsum("ij,ij->i", block @ xtx_inv, block)
    return h


def _weighted_cross(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """X' diag(w) X in row chunks."""
    k = X.shape[1]
    out = np.zeros((k, k))
    for start in range(0, X.shape[0], _CHUNK):
        block = X[start : start + _CHUNK]
        out += (block * w[start : start + _CHUNK, None]).T @ block
    return out


def _cluster_meat(
    X: np.ndarray, scores: np.ndarray, codes: np.ndarray, n_groups: int
) -> np.ndarray:
    k = X.shape[1]
    sums = np.empty((n_groups, k))
    for j in range(k):
        sums[:, j] = np.bincount(codes, weights=X[:, j] * scores, minlength=n_groups)
    return sums.T @ sums


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
    X = _as_2d(X)
    y = np.asarray(y, dtype=np.float64).ravel()
    n, k = X.shape
    if y.shape[0] != n:
        raise InvalidParameterError(f"y has {y.shape[0]} rows but X has {n}.")
    names = tuple(names) if names is not None else tuple(f"x{j}" for j in range(k))
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
    notes: list[str] = []
    n_absorbed = 0
    group_sizes = None
    if absorb is not None:
        codes, n_absorbed = _factorize(absorb)
        if codes.shape[0] != n:
            raise InvalidParameterError(f"absorb has {codes.shape[0]} labels for {n} rows.")
        group_sizes = np.bincount(codes, minlength=n_absorbed)
        y_mean = np.bincount(codes, weights=y, minlength=n_absorbed) / group_sizes
        Xw = demean(X, codes, n_absorbed)
        yw = y - y_mean[codes]
    else:
        Xw, yw = X, y

    df_resid = n - k - n_absorbed
    if df_resid <= 0:
        raise InsufficientDataError(
            f"{n} rows cannot estimate {k + n_absorbed} parameters: no residual degrees of "
            "freedom. Use fewer controls or more data."
        )
    gram = Xw.T @ Xw
    problems = _collinear_from_gram(gram, list(names), _RANK_TOL)
    if problems:
        described = "; ".join(" ~ ".join(p) for p in problems)
        raise CollinearityError(
            f"the design matrix is rank deficient: collinear columns ({described}). Each set "
            "is a linear combination of the others (or of the constant / absorbed effects). "
            "Remove one control from each set, or merge the categories that always coincide.",
            problems,
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
    resid = yw - Xw @ params
    fitted = y - resid
    rss = float(resid @ resid)
    sigma2 = rss / df_resid
    tss = float(((y - y.mean()) ** 2).sum())
    rsquared = 1.0 - rss / tss if tss > 0 else float("nan")

    h = None
    if compute_leverage or cov_type in ("HC2", "HC3"):
        h = leverage(Xw, xtx_inv)
        if group_sizes is not None:
            h += 1.0 / group_sizes[codes]
        h = np.clip(h, 0.0, 1.0)

    n_clusters = None
    if cov_type == "nonrobust":
        cov = sigma2 * xtx_inv
    elif cov_type == "cluster":
        ccodes, n_clusters = _factorize(clusters)
        if ccodes.shape[0] != n:
            raise InvalidParameterError(f"clusters has {ccodes.shape[0]} labels for {n} rows.")
        if n_clusters < 2:
            raise InsufficientDataError(
                "cluster-robust errors need at least 2 clusters; got 1. Use cov_type='HC3'."
            )
        meat = _cluster_meat(Xw, resid, ccodes, n_clusters)
        factor_c = n_clusters / (n_clusters - 1) * (n - 1) / (n - k - n_absorbed)
        cov = factor_c * xtx_inv @ meat @ xtx_inv
    else:
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
            cov *= n / df_resid
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
        n_absorbed=n_absorbed,
        sigma2=sigma2,
        rsquared=rsquared,
        cov_type=cov_type,
        n_clusters=n_clusters,
        notes=tuple(notes),
    )


@dataclass(frozen=True, eq=False)
class LogitFit:
    """A logistic regression: coefficients on the log-odds scale and odds ratios.

    ``p_values`` and intervals use the normal distribution (Wald), as statsmodels does.
    """

    pvalues = renamed_attribute("pvalues", "p_values")

    names: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
    zvalues: np.ndarray
    p_values: np.ndarray
    cov: np.ndarray
    nobs: int
    llf: float
    converged: bool
    cov_type: str

    @property
    def odds_ratios(self) -> np.ndarray:
        return np.exp(self.params)

    def conf_int(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        q = float(stats.norm.ppf(1 - alpha / 2))
        return self.params - q * self.bse, self.params + q * self.bse

    def odds_ratio_ci(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.conf_int(alpha)
        return np.exp(low), np.exp(high)

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise InvalidParameterError(
                f"no coefficient named {name!r}; the model has {preview(self.names)}."
            ) from None


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
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    if cov_type not in ("nonrobust", "HC0", "HC1", "cluster"):
        raise InvalidParameterError(
            f"cov_type={cov_type!r} is not supported for logistic regression; use nonrobust, "
            "HC0, HC1 or cluster."
        )
    _check_cov_type(cov_type, clusters)
    X = _as_2d(X)
    yv = np.asarray(y)
    if yv.dtype == bool:
        yv = yv.astype(np.float64)
    yv = np.asarray(yv, dtype=np.float64).ravel()
    n, k = X.shape
    names = tuple(names) if names is not None else tuple(f"x{j}" for j in range(k))
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
    problems = collinear_columns(X, names)
    if problems:
        described = "; ".join(" ~ ".join(p) for p in problems)
        raise CollinearityError(
            f"the design matrix is rank deficient: collinear columns ({described}). Remove one "
            "control from each set.",
            problems,
        )
    fit_kw: dict[str, Any] = {}
    if cov_type == "cluster":
        codes, _ = _factorize(clusters)
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}}
    elif cov_type != "nonrobust":
        fit_kw = {"cov_type": cov_type}
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
    params = np.asarray(res.params)
    bse = np.asarray(res.bse)
    if separated or not np.isfinite(bse).all() or (np.abs(params) > 30).any():
        worst = [names[j] for j in np.argsort(-np.abs(params))[:3]]
        raise InvalidValueError(
            "perfect or quasi-perfect separation: some combination of "
            f"{preview(worst)} predicts the outcome (almost) exactly, so its odds ratio is "
            "infinite. Merge sparse categories or drop the control."
        )
    converged = bool(res.mle_retvals.get("converged", True)) and not any(
        issubclass(w.category, ConvergenceWarning) for w in caught
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
