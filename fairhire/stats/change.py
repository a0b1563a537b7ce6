"""Change over time in a comparison of two groups: the trend, and the change between periods.

Both functions take counts per period: the focal group selected ``a`` of ``n`` and the
reference group ``b`` of ``m``. Nothing here sees a data frame.

- :func:`logit_trend` — the trend: a logistic regression of selection on group, period (as a
  number) and group × period, fitted to the grouped counts by Newton's method. The
  interaction coefficient β is the change per period in the log odds ratio of the focal group
  against the reference; ``exp(β) − 1`` is the relative change of the odds ratio per period,
  and its Wald test gives the p-value (Agresti, *Categorical Data Analysis*, 3rd ed. 2013,
  ch. 5). Grouped binomial counts give the same maximum-likelihood fit as one row per person,
  which is how the tests check it against statsmodels' ``Logit``.
- :func:`log_ratio_change` — the change between two periods: the difference of log impact
  ratios ``d = ln IR₂ − ln IR₁``, with the delta-method variance
  ``Var d = Σ (1 − p)/(n p)`` over the four rates (independent samples; Katz et al. 1978 for one
  ratio), and ``Z = d / SE``. It equals the interaction of a saturated log-binomial model of the
  two periods, which is how the tests check it against statsmodels' ``GLM``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import expit

from ..errors import InvalidParameterError

__all__ = ["LogitTrend", "RatioChange", "log_ratio_change", "logit_trend"]

_NAN = math.nan


@dataclass(frozen=True)
class LogitTrend:
    """The trend in a group comparison per period, on the log-odds scale.

    Attributes
    ----------
    estimate : float
        β, the change per period in the log odds ratio (focal against reference).
    se, z, p_value : float
        Wald standard error, statistic and two-sided p-value of β.
    ci_low, ci_high : float
        Wald confidence interval of β.
    periods : int
        Periods with people in both groups (the cells the model used).
    converged : bool
        Newton's method converged. When it did not, or the trend is not estimable (a group
        with no selections, or everyone selected, in every period), the figures are NaN and
        ``note`` says why.
    note : str or None
    ratio_first, ratio_last : float
        The fitted ratio of selection rates (focal ÷ reference, the impact ratio) in the first
        and last period with people in both groups. Near rates of 100% it can move against
        the odds ratio (0.83 → 0.91 while the odds ratio falls 0.67 → 0.09), so a reader of
        impact ratios should check the two agree before calling a trend closing or widening.
    """

    estimate: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    periods: int
    converged: bool
    note: str | None = None
    ratio_first: float = _NAN
    ratio_last: float = _NAN

    @property
    def change(self) -> float:
        """Relative change of the odds ratio per period, ``exp(β) − 1`` (−0.06: 6% lower)."""
        return math.expm1(self.estimate) if math.isfinite(self.estimate) else _NAN

    @property
    def change_ci(self) -> tuple[float, float]:
        """Confidence interval of :attr:`change`."""
        if not (math.isfinite(self.ci_low) and math.isfinite(self.ci_high)):
            return (_NAN, _NAN)
        return (math.expm1(self.ci_low), math.expm1(self.ci_high))


def _counts(name: str, values: Sequence[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or not np.isfinite(arr).all() or (arr < 0).any():
        raise InvalidParameterError(f"{name} must be non-negative counts; got {arr.tolist()}.")
    return arr


def _z_quantile(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _not_estimable(periods: int, note: str) -> LogitTrend:
    return LogitTrend(_NAN, _NAN, _NAN, _NAN, _NAN, _NAN, periods, False, note)


def _newton(x: np.ndarray, y: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Maximum likelihood of a grouped logistic regression: (coefficients, covariance, ok)."""
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = expit(x @ beta)
        hessian = x.T @ (x * (n * p * (1 - p))[:, None])
        try:
            step = np.linalg.solve(hessian, x.T @ (y - n * p))
        except np.linalg.LinAlgError:
            return beta, np.full((x.shape[1],) * 2, _NAN), False
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            p = expit(x @ beta)
            hessian = x.T @ (x * (n * p * (1 - p))[:, None])
            ok = bool(np.all(np.abs(beta) < 30))
            try:
                return beta, np.linalg.inv(hessian), ok
            except np.linalg.LinAlgError:  # fitted rates of exactly 0 or 1: no information
                return beta, np.full((x.shape[1],) * 2, _NAN), False
    return beta, np.full((x.shape[1],) * 2, _NAN), False


def logit_trend(
    a: Sequence[float],
    n: Sequence[float],
    b: Sequence[float],
    m: Sequence[float],
    t: Sequence[float],
    *,
    confidence: float = 0.95,
) -> LogitTrend:
    """Trend per period in the odds ratio of a focal group against a reference group.

    Fits ``logit P(selected) = β₀ + β₁·focal + β₂·t + β·focal·t`` to the counts of each
    period ``t`` (focal ``a`` of ``n``, reference ``b`` of ``m``) and tests β = 0 (Wald).
    Periods where a group has nobody carry no information for it and are left out of its
    cells.

    Parameters
    ----------
    a, n : sequences of counts
        Focal group: selected and applicants per period.
    b, m : sequences of counts
        Reference group: selected and applicants per period.
    t : sequence of float
        The period as a number (0, 1, 2, ...; gaps allowed).
    confidence : float, default 0.95

    Returns
    -------
    LogitTrend

    Examples
    --------
    The focal group's rate falls from 40% to 25% over four periods while the reference stays
    at 40%:

    >>> r = logit_trend([40, 35, 30, 25], [100] * 4, [40] * 4, [100] * 4, [0, 1, 2, 3])
    >>> round(r.estimate, 4), round(r.change, 3), round(r.p_value, 4)
    (-0.2301, -0.206, 0.0838)
    """
    cols = [_counts(k, v) for k, v in (("a", a), ("n", n), ("b", b), ("m", m))]
    tt = np.asarray(t, dtype=float)
    if len({len(c) for c in cols} | {len(tt)}) != 1:
        raise InvalidParameterError("a, n, b, m and t must have the same length (one per period).")
    a_, n_, b_, m_ = cols
    if ((a_ > n_) | (b_ > m_)).any():
        raise InvalidParameterError("selected counts cannot exceed the applicants of a period.")
    zc = _z_quantile(confidence)
    both = (n_ > 0) & (m_ > 0)
    periods = int(both.sum())
    if len(np.unique(tt[n_ > 0])) < 2 or len(np.unique(tt[m_ > 0])) < 2:
        return _not_estimable(periods, "fewer than two periods with people in each group")
    for name, sel, tot in (("focal", a_, n_), ("reference", b_, m_)):
        if sel.sum() == 0 or sel.sum() == tot.sum():
            what = "no one" if sel.sum() == 0 else "everyone"
            when = "in any period" if sel.sum() == 0 else "in every period"
            return _not_estimable(periods, f"{what} in the {name} group was selected {when}")
    centre = float(np.average(np.r_[tt[n_ > 0], tt[m_ > 0]]))
    tc = tt - centre
    keep_f, keep_r = n_ > 0, m_ > 0
    ones_f, ones_r = np.ones(keep_f.sum()), np.ones(keep_r.sum())
    focal_rows = np.column_stack([ones_f, ones_f, tc[keep_f], tc[keep_f]])
    reference_rows = np.column_stack([ones_r, 0 * ones_r, tc[keep_r], 0 * ones_r])
    x = np.vstack([focal_rows, reference_rows])
    y = np.r_[a_[keep_f], b_[keep_r]]
    trials = np.r_[n_[keep_f], m_[keep_r]]
    beta, cov, ok = _newton(x, y, trials)
    if not ok or not np.isfinite(cov[3, 3]) or cov[3, 3] <= 0:
        note = "the model did not converge (a group's selections are separated by period)"
        return _not_estimable(periods, note)
    est, se = float(beta[3]), math.sqrt(float(cov[3, 3]))
    z = est / se
    p_value = float(2 * stats.norm.sf(abs(z)))
    span = tc[both] if both.any() else tc[keep_f | keep_r]
    first, last = (_fitted_ratio(beta, float(v)) for v in (span.min(), span.max()))
    return LogitTrend(est, se, z, p_value, est - zc * se, est + zc * se, periods, True,
                      ratio_first=first, ratio_last=last)


def _fitted_ratio(beta: np.ndarray, t: float) -> float:
    """The model's focal rate ÷ reference rate at (centred) period ``t``."""
    return float(expit(beta[0] + beta[1] + (beta[2] + beta[3]) * t) / expit(beta[0] + beta[2] * t))


@dataclass(frozen=True)
class RatioChange:
    """The change of an impact ratio between two periods (NaN where undefined).

    ``log_change`` is ``ln IR_after − ln IR_before``; ``ci_low``/``ci_high`` bound the ratio of
    the two impact ratios, ``IR_after / IR_before``.
    """

    ratio_before: float
    ratio_after: float
    log_change: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float


def _ratio(a: int, n: int, b: int, m: int) -> float:
    if n == 0 or m == 0 or b == 0:
        return _NAN
    return (a / n) / (b / m)


def log_ratio_change(
    before: tuple[int, int, int, int],
    after: tuple[int, int, int, int],
    *,
    confidence: float = 0.95,
) -> RatioChange:
    """Test whether an impact ratio changed between two periods.

    ``before`` and ``after`` are ``(a, n, b, m)``: focal selected ``a`` of ``n``, reference
    ``b`` of ``m``. ``Z = (ln IR_after − ln IR_before) / SE`` with
    ``SE² = Σ (1 − p)/(n p)`` over the four rates; two-sided normal p-value. Undefined (NaN)
    when a rate is zero.

    Examples
    --------
    The impact ratio falls from 0.95 (38/100 against 40/100) to 0.625 (25/100 against 40/100):

    >>> r = log_ratio_change((38, 100, 40, 100), (25, 100, 40, 100))
    >>> round(r.ratio_before, 3), round(r.ratio_after, 3), round(r.z, 3), round(r.p_value, 4)
    (0.95, 0.625, -1.516, 0.1296)
    """
    for name, counts in (("before", before), ("after", after)):
        if len(counts) != 4:
            raise InvalidParameterError(f"{name} must be (a, n, b, m); got {counts!r}.")
        a, n, b, m = counts
        if min(counts) < 0 or a > n or b > m:
            raise InvalidParameterError(
                f"{name} counts are impossible: {a} of {n} and {b} of {m} selected."
            )
    zc = _z_quantile(confidence)
    r1, r2 = _ratio(*before), _ratio(*after)
    rates = [before[0:2], before[2:4], after[0:2], after[2:4]]
    if any(k == 0 or tot == 0 for k, tot in rates):
        return RatioChange(r1, r2, _NAN, _NAN, _NAN, _NAN, _NAN, _NAN)
    var = sum((1 - k / tot) / k for k, tot in rates)  # (1 − p)/(n p) = (1 − p)/k
    d = math.log(r2) - math.log(r1)
    se = math.sqrt(var)
    if se == 0:  # everyone selected in all four groups: nothing can change
        return RatioChange(r1, r2, d, 0.0, _NAN, _NAN, math.exp(d), math.exp(d))
    z = d / se
    p_value = float(2 * stats.norm.sf(abs(z)))
    return RatioChange(r1, r2, d, se, z, p_value, math.exp(d - zc * se), math.exp(d + zc * se))
