"""Design-matrix checks and robust-covariance building blocks shared by the OLS and logit fits.

Input checks (shapes, names, finite values, cluster and absorbed labels), collinearity
detection on the cross-product matrix, demeaning for absorbed fixed effects, and the chunked
products behind HC and cluster-robust covariances (leverages, X' diag(w) X, cluster score
sums), so a million rows never build an n×n matrix. :mod:`fairhire.stats.regression` re-exports
the public names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._deprecation import renamed_attribute
from ..errors import InvalidParameterError, InvalidValueError, preview

__all__ = [
    "COV_TYPES",
    "CollinearityError",
    "blas_single_thread",
    "collinear_columns",
    "demean",
    "leverage",
]

#: Covariance types accepted by :func:`~fairhire.stats.regression.fit_ols`.
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
class _NamedCoefficients:
    """A fitted regression: coefficients ``params`` named by ``names``, with standard errors
    ``bse``; ``index(name)`` and Wald intervals ``conf_int(alpha)`` from the model's critical
    value (``_critical``: t for OLS, normal for logit)."""

    pvalues = renamed_attribute("pvalues", "p_values")

    names: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray

    def _critical(self, alpha: float) -> float:
        raise NotImplementedError

    def conf_int(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper ``1 - alpha`` confidence limits of every coefficient."""
        q = self._critical(alpha)
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

    Examples
    --------
    >>> import numpy as np
    >>> with blas_single_thread():
    ...     float(np.ones(3) @ np.ones(3))
    3.0
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


def _column_names(names: Sequence[str] | None, k: int) -> tuple[str, ...]:
    """The given column names, or ``x0, x1, ...``."""
    return tuple(names) if names is not None else tuple(f"x{j}" for j in range(k))


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
    """Subtract group means (``codes`` in ``0..n_groups-1``) from each column; returns a copy.

    Examples
    --------
    >>> import numpy as np
    >>> demean(np.array([1.0, 3.0, 10.0]), np.array([0, 0, 1]), 2).tolist()
    [-1.0, 1.0, 0.0]
    """
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


def _raise_if_collinear(problems: list[list[str]], advice: str) -> None:
    """Raise CollinearityError naming each collinear set, followed by ``advice``."""
    if problems:
        described = "; ".join(" ~ ".join(p) for p in problems)
        raise CollinearityError(
            f"the design matrix is rank deficient: collinear columns ({described}). {advice}",
            problems,
        )


def leverage(X: np.ndarray, xtx_inv: np.ndarray) -> np.ndarray:
    """Diagonal of X (X'X)⁻¹ X', computed in row chunks (never an n×n matrix).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> np.round(leverage(X, np.linalg.inv(X.T @ X)), 2).tolist()
    [0.7, 0.3, 0.3, 0.7]
    """
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
