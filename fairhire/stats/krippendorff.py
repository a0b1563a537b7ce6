"""Krippendorff's alpha: agreement among any number of raters, with missing ratings.

A pure function on a targets × raters matrix with ``NaN`` where a rater did not rate a target,
for nominal, ordinal, interval and ratio data, through the coincidence matrix (Krippendorff
2011, "Computing Krippendorff's Alpha-Reliability"; Hayes & Krippendorff 2007).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import InsufficientDataError, InvalidParameterError

__all__ = ["LEVELS", "as_ratings_matrix", "krippendorff_alpha"]

#: Levels of measurement Krippendorff's alpha supports here.
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def as_ratings_matrix(ratings: Any, *, argument: str = "ratings") -> np.ndarray:
    """``ratings`` as a 2-d float array (targets × raters), or a named error.

    Examples
    --------
    >>> as_ratings_matrix([[1, 2], [3, float("nan")]]).shape
    (2, 2)
    """
    try:
        arr = np.asarray(ratings, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{argument} must be a numeric matrix (targets in rows, raters in columns); "
            "convert scores to numbers first."
        ) from None
    if arr.ndim != 2:
        raise InvalidParameterError(
            f"{argument} must be 2-dimensional (targets × raters); got shape {arr.shape}."
        )
    return arr



def krippendorff_alpha(
    ratings: Any,
    *,
    level: str = "interval",
    values: Sequence[float] | None = None,
) -> float:
    """Krippendorff's alpha for a targets × raters matrix with missing values (NaN).

    ``α = 1 − D_o / D_e``: observed disagreement among values pairable within a unit over the
    disagreement expected by chance, computed from the coincidence matrix
    ``o_ck = Σ_u Σ_{i≠j} [v_ui = c][v_uj = k] / (m_u − 1)`` (Krippendorff 2011). Units with fewer
    than two values are not pairable and do not count.

    Parameters
    ----------
    ratings : array-like of shape (n_units, n_raters)
        Numeric codes; ``NaN`` where a rater did not rate a unit. (Krippendorff's papers write
        the transpose: observers in rows.)
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement, choosing the difference function ``δ²_ck``: nominal ``[c ≠ k]``;
        ordinal ``(Σ_{g=c}^{k} n_g − (n_c + n_k)/2)²``; interval ``(c − k)²``; ratio
        ``((c − k)/(c + k))²``.
    values : sequence of float, optional
        The ordered value domain. Only matters for the ordinal metric when a rating scale has
        levels nobody used (they have ``n_g = 0`` and change nothing) — accepted for clarity.

    Returns
    -------
    float
        Alpha; NaN when there is no variation at all among pairable values (``D_e = 0``).

    Raises
    ------
    InsufficientDataError
        When no unit has two or more values.

    Examples
    --------
    Krippendorff (2011), 4 observers × 12 units with missing values (observers in rows there):

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(np.array(data).T, level="nominal"), 3)
    0.743
    >>> round(krippendorff_alpha(np.array(data).T, level="ordinal"), 3)
    0.815
    """
    if level not in LEVELS:
        raise InvalidParameterError(f"level={level!r}; use one of {list(LEVELS)}.")
    x = as_ratings_matrix(ratings)
    observed = x[~np.isnan(x)]
    domain = np.unique(observed)
    if values is not None:
        extra = np.setdiff1d(domain, np.asarray(values, dtype=float))
        if extra.size:
            raise InvalidParameterError(
                f"ratings hold values outside values=: {extra[:5].tolist()}."
            )
        domain = np.unique(np.asarray(values, dtype=float))
    if level == "ratio" and (domain < 0).any():
        raise InvalidParameterError("the ratio metric needs non-negative values.")
    index = {v: i for i, v in enumerate(domain.tolist())}
    n_v = len(domain)
    # value counts per unit
    counts = np.zeros((x.shape[0], n_v))
    rows, cols = np.nonzero(~np.isnan(x))
    idx = np.array([index[v] for v in x[rows, cols].tolist()], dtype=int)
    np.add.at(counts, (rows, idx), 1)
    m_u = counts.sum(axis=1)
    pairable = m_u >= 2
    if not pairable.any():
        raise InsufficientDataError(
            "no unit was rated by two or more raters, so agreement cannot be measured."
        )
    c = counts[pairable]
    w = 1.0 / (m_u[pairable] - 1)
    # o_ck = Σ_u (n_uc n_uk − [c=k] n_uc) / (m_u − 1)
    coincidence = (c * w[:, None]).T @ c - np.diag((c * w[:, None]).sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = float(n_c.sum())
    delta2 = _difference(domain, n_c, level)
    d_o = float((coincidence * delta2).sum()) / n
    d_e = float((np.outer(n_c, n_c) * delta2).sum()) / (n * (n - 1))
    if d_e <= 0:
        return math.nan
    return 1.0 - d_o / d_e


def _difference(domain: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    c = domain[:, None]
    k = domain[None, :]
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        s = c + k
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(s == 0, 0.0, ((c - k) / np.where(s == 0, 1, s)) ** 2)
        return out
    # ordinal: (Σ_{g=c}^{k} n_g − (n_c + n_k)/2)²
    cum = np.concatenate([[0.0], np.cumsum(n_c)])
    i = np.arange(len(domain))
    lo = np.minimum(i[:, None], i[None, :])
    hi = np.maximum(i[:, None], i[None, :])
    between = cum[hi + 1] - cum[lo]
    return (between - (n_c[lo] + n_c[hi]) / 2) ** 2
