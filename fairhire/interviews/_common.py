"""Helpers shared by the interview analyses: the numeric-column check and Hedges' g.

Missing values, flags, labels, the reference group and number text come from the shared core
(:mod:`fairhire._core`)."""

from __future__ import annotations

import math
from typing import NamedTuple

from scipy import stats

from .._core.numbers import require_numeric
from .._frames import Frame

__all__ = ["StandardizedDifference", "check_numeric", "hedges_g", "map_hint"]


def map_hint(column: str) -> str:
    """The fix for a score column of rating labels: map them to their points first."""
    return ("rating labels can be mapped to their scale points first, in their order, e.g. "
            f"df[{column!r}].map({{'Strong No': 1, 'No': 2, 'Yes': 3, 'Strong Yes': 4}}) for a "
            "scorecard's ratings (a label the mapping leaves out becomes missing, counted)")


def check_numeric(frame: Frame, column: str, *, argument: str) -> None:
    """Raise :class:`InvalidValueError` unless ``column`` is numeric."""
    require_numeric(frame, column, argument=argument, fix=map_hint(column))


class StandardizedDifference(NamedTuple):
    """Hedges' g of focal minus reference with its CI and a pooled-variance t test."""

    difference: float
    g: float
    ci_low: float
    ci_high: float
    t: float
    p_value: float


def hedges_g(
    mean_f: float, sd_f: float, n_f: int, mean_r: float, sd_r: float, n_r: int,
    *, confidence: float = 0.95,
) -> StandardizedDifference:
    """Hedges' g (bias-corrected standardized mean difference) with its normal-theory CI.

    ``g = J · (m_f − m_r) / s_p`` with the pooled SD ``s_p``, ``J = 1 − 3/(4(n_f + n_r) − 9)``;
    ``Var(g) = (n_f + n_r)/(n_f n_r) + g²/(2(n_f + n_r))`` (Hedges & Olkin 1985, ch. 5). The
    p-value is the pooled-variance two-sample t test of the mean difference. NaN when a group
    has fewer than 2 members or the pooled SD is 0.

    Examples
    --------
    >>> r = hedges_g(3.2, 1.0, 50, 3.5, 1.0, 60)
    >>> round(r.g, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (-0.298, -0.675, 0.079)
    """
    diff = mean_f - mean_r
    nan = math.nan
    if n_f < 2 or n_r < 2:
        return StandardizedDifference(diff, nan, nan, nan, nan, nan)
    df = n_f + n_r - 2
    sp2 = ((n_f - 1) * sd_f**2 + (n_r - 1) * sd_r**2) / df
    if not sp2 > 0:
        return StandardizedDifference(diff, nan, nan, nan, nan, nan)
    sp = math.sqrt(sp2)
    j = 1 - 3 / (4 * (n_f + n_r) - 9)
    g = j * diff / sp
    var = (n_f + n_r) / (n_f * n_r) + g**2 / (2 * (n_f + n_r))
    zc = float(stats.norm.ppf(0.5 + confidence / 2))
    t = diff / (sp * math.sqrt(1 / n_f + 1 / n_r))
    p = float(2 * stats.t.sf(abs(t), df))
    return StandardizedDifference(
        diff, g, g - zc * math.sqrt(var), g + zc * math.sqrt(var), t, p
    )
