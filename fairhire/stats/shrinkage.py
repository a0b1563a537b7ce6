"""Empirical-Bayes shrinkage of many noisy estimates toward their common mean.

Used by :func:`fairhire.rater_disparity`: each rater's gap between candidate groups is an
estimate ``d_j`` with sampling variance ``v_j``. A normal–normal hierarchical model,

``d_j | θ_j ~ N(θ_j, v_j)``,  ``θ_j ~ N(μ, τ²)``,

has ``μ`` the organisation-wide gap and ``τ²`` the real spread of gaps between raters. Its
parameters are estimated from the data (empirical Bayes): ``τ²`` by Paule & Mandel (1982) — the
iterative moment estimator recommended over DerSimonian–Laird by Veroniki et al. (2016) — or by
DerSimonian & Laird (1986), through statsmodels' ``combine_effects``; ``μ`` is the
precision-weighted mean with weights ``1/(v_j + τ²)``. Each rater's posterior mean is

``θ̂_j = μ̂ + (1 − B_j)(d_j − μ̂)``,  ``B_j = v_j / (v_j + τ̂²)``,

so a rater with few decisions (large ``v_j``) is pulled most of the way to the organisation's
gap, and the posterior variance ``(1 − B_j) v_j + B_j² Var(μ̂)`` adds the uncertainty of ``μ̂``
to first order (Morris 1983).

Why empirical Bayes and not a statsmodels mixed model: the per-rater gaps and their variances
are sufficient statistics that come out of one group-by in the caller's engine, for pass rates
and for mean scores alike; a binary outcome would otherwise need a GLMM, which statsmodels only
offers as variational Bayes (``BinomialBayesMixedGLM``), slower and approximate. The two agree
closely when each rater has a reasonable number of decisions.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..errors import InsufficientDataError, InvalidParameterError

__all__ = ["METHODS", "Shrinkage", "shrink", "weighted_median"]

#: τ² estimators: Paule–Mandel (default) and DerSimonian–Laird.
METHODS = {"paule-mandel": "iterated", "dersimonian-laird": "chi2"}


@dataclass(frozen=True)
class Shrinkage:
    """Empirical-Bayes estimates for ``k`` units (arrays of length ``k``).

    Attributes
    ----------
    mean, mean_se : float
        ``μ̂``, the precision-weighted common mean, and its standard error.
    tau2 : float
        ``τ̂²``, the between-unit variance (0 when the spread is no larger than chance).
    factor : ndarray
        ``B_j``, the share of the distance to ``μ̂`` removed (1 = shrunk all the way).
    posterior_mean, posterior_sd, ci_low, ci_high : ndarray
        Shrunk estimates and their intervals.
    z, p_value : ndarray
        ``(d_j − μ̂) / sqrt(v_j)`` and its two-sided normal p-value: does unit j differ from the
        common mean beyond its own sampling error? (Spiegelhalter 2005's funnel-plot test.)
    """

    estimates: np.ndarray
    variances: np.ndarray
    mean: float
    mean_se: float
    tau2: float
    factor: np.ndarray
    posterior_mean: np.ndarray
    posterior_sd: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    method: str
    center: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "mean_se": self.mean_se,
            "tau2": self.tau2,
            "method": self.method,
            "center": self.center,
            "confidence": self.confidence,
        }


def weighted_median(values: Any, weights: Any) -> float:
    """The weighted median: the smallest value whose cumulative weight reaches half the total
    (the midpoint of two values when it reaches exactly half).

    Examples
    --------
    >>> weighted_median([1.0, 2.0, 10.0], [1, 1, 1])
    2.0
    >>> weighted_median([1.0, 2.0], [1, 1])
    1.5
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.lexsort((w, x))
    x, w = x[order], w[order]
    cum = np.cumsum(w)
    half = cum[-1] / 2
    i = int(np.searchsorted(cum, half))
    if math.isclose(cum[i], half, rel_tol=1e-12) and i + 1 < len(x):
        return float((x[i] + x[i + 1]) / 2)
    return float(x[i])


def _tau2_at(d: np.ndarray, v: np.ndarray, mu: float) -> float:
    """Paule–Mandel moment equation at a known centre: Σ (d − μ)² / (v + τ²) = k."""
    from scipy.optimize import brentq

    k = len(d)

    def f(t: float) -> float:
        return float(np.sum((d - mu) ** 2 / (v + t)) - k)

    if f(0.0) <= 0:
        return 0.0
    hi = float(np.sum((d - mu) ** 2)) + 1.0
    return float(brentq(f, 0.0, hi, xtol=1e-14))


def _common_value(d: np.ndarray, v: np.ndarray, method: str,
                  center: str) -> tuple[float, float, float]:
    """The common value the units are shrunk toward, its variance, and ``τ²``."""
    if d.size == 1:
        return float(d[0]), float(v[0]), 0.0
    from statsmodels.stats.meta_analysis import combine_effects

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = combine_effects(d, v, method_re=METHODS[method])
    tau2 = max(float(res.tau2), 0.0)
    w = 1.0 / (v + tau2)
    mean = float((w * d).sum() / w.sum())
    mean_var = float(1.0 / w.sum())
    if center == "median":
        mean = weighted_median(d, w)
        tau2 = _tau2_at(d, v, mean)
        mean_var = float(math.pi / 2 / (1.0 / (v + tau2)).sum())
    return mean, mean_var, tau2


def shrink(
    estimates: Any,
    variances: Any,
    *,
    method: str = "paule-mandel",
    center: str = "mean",
    confidence: float = 0.95,
) -> Shrinkage:
    """Shrink unit-level estimates toward their precision-weighted mean (empirical Bayes).

    Parameters
    ----------
    estimates, variances : array-like of float
        One estimate per unit (a rater's gap) and its sampling variance (> 0).
    method : {"paule-mandel", "dersimonian-laird"}
        Estimator of the between-unit variance ``τ²``.
    center : {"mean", "median"}
        ``"mean"``: the classic precision-weighted mean. ``"median"``: a robust centre, the
        weighted median with weights ``1/(v_j + τ̂²)``, after which ``τ²`` is re-estimated at
        that centre (Paule–Mandel equation ``Σ (d_j − μ)²/(v_j + τ²) = k``). A few extreme
        units (biased raters) then do not drag the common value toward themselves, which would
        make every other unit look deviant in the opposite direction. The standard error of the
        median is taken as ``sqrt(π/2)`` times that of the mean (its efficiency under
        normality).
    confidence : float
        Level of the posterior intervals.

    Returns
    -------
    Shrinkage

    Examples
    --------
    A precise unit barely moves; a noisy one is pulled most of the way to the mean.

    >>> s = shrink([0.30, 0.00, -0.02, 0.01, -0.40], [0.001, 0.002, 0.002, 0.001, 0.09])
    >>> round(s.mean, 3), bool(s.factor[4] > s.factor[0])
    (0.045, True)
    >>> [round(float(x), 2) for x in s.posterior_mean]
    [0.29, 0.0, -0.02, 0.01, -0.07]
    """
    d = np.asarray(estimates, dtype=float)
    v = np.asarray(variances, dtype=float)
    if d.ndim != 1 or v.shape != d.shape:
        raise InvalidParameterError("estimates and variances must be 1-dimensional, equal length.")
    if method not in METHODS:
        raise InvalidParameterError(f"method={method!r}; use one of {sorted(METHODS)}.")
    if center not in ("mean", "median"):
        raise InvalidParameterError(f"center={center!r}; use 'mean' or 'median'.")
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    if d.size == 0:
        raise InsufficientDataError("no estimates to shrink.")
    if not (np.isfinite(d).all() and np.isfinite(v).all()) or (v <= 0).any():
        raise InvalidParameterError(
            "estimates must be finite and variances finite and positive; drop units whose "
            "sampling variance is undefined before shrinking."
        )
    mean, mean_var, tau2 = _common_value(d, v, method, center)
    factor = v / (v + tau2) if tau2 > 0 else np.ones_like(v)
    post_mean = mean + (1 - factor) * (d - mean)
    post_var = (1 - factor) * v + factor**2 * mean_var
    post_sd = np.sqrt(post_var)
    zc = float(stats.norm.ppf(0.5 + confidence / 2))
    z = (d - mean) / np.sqrt(v)
    p = 2 * stats.norm.sf(np.abs(z))
    return Shrinkage(
        estimates=d,
        variances=v,
        mean=mean,
        mean_se=math.sqrt(mean_var),
        tau2=tau2,
        factor=factor,
        posterior_mean=post_mean,
        posterior_sd=post_sd,
        ci_low=post_mean - zc * post_sd,
        ci_high=post_mean + zc * post_sd,
        z=z,
        p_value=p,
        method=method,
        center=center,
        confidence=confidence,
    )
