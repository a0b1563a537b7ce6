"""Survival analysis on arrays: Kaplan–Meier, the log-rank test and Cox proportional hazards.

Used for time to promotion: ``duration`` is the time someone has spent waiting (e.g. months in
level), ``event`` is 1 when the wait ended in a promotion and 0 when it is *censored* (still
waiting at the data extract, or left the company). Nothing here sees a data frame.

Methods and sources
-------------------
- Kaplan–Meier product-limit estimator (Kaplan & Meier 1958) with Greenwood's (1926) variance.
- Pointwise confidence intervals on the log-log scale by default (Kalbfleisch & Prentice 1980;
  R ``survfit(conf.type="log-log")``); ``"log"`` (R's default) and ``"plain"`` on request.
- Median (and any quantile) with the Brookmeyer & Crowley (1982) confidence interval: the set
  of times at which the hypothesis S(t) = 0.5 is not rejected on the chosen transformed scale,
  i.e. where 0.5 lies inside the pointwise band — the construction of R's ``survfit``.
- Log-rank test for K groups (Mantel 1966; Peto & Peto 1972), cross-checked against
  statsmodels ``survdiff``.
- A median that is reached only when few people remain at risk is unstable:
  :func:`median_status` says so ("not reached", or "unstable") for a chosen minimum at risk.
- Cox proportional hazards and the Grambsch–Therneau check live in :mod:`fairhire.stats.cox`
  (``cox_ph``, ``CoxFit`` and ``PHTest`` still import from here, with a FutureWarning, for one
  release).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._deprecation import PValueRenamed
from ..errors import InsufficientDataError, InvalidParameterError, preview

# CoxFit, PHTest and cox_ph are importable from here too (see __getattr__ below)
__all__ = [
    "KaplanMeier",
    "LogRank",
    "MedianStatus",
    "check_survival_data",
    "kaplan_meier",
    "km_quantile",
    "logrank_test",
    "median_status",
    "observation_order",
    "risk_set",
    "step_at",
]

CONF_TYPES = ("log-log", "log", "plain")
TIES = ("efron", "breslow")
PH_TRANSFORMS = ("km", "rank", "identity")


def observation_order(t: np.ndarray, e: np.ndarray, g: np.ndarray,
                      *others: np.ndarray | pd.DataFrame | None) -> np.ndarray:
    """Positions that sort observations by group, time and event, then by ``others`` (arrays
    or frames, compared as text): the same people in any row order come out in one order, so
    the sums over them (a Cox fit's, and so its last digits and fingerprint) do not follow
    the order the rows came in.

    >>> observation_order(np.array([3.0, 1.0, 2.0]), np.array([1, 0, 1]), np.array(["b", "a", "a"]))
    array([1, 2, 0])
    """
    keys = pd.DataFrame({"g": pd.Series(g, dtype=object).astype(str), "t": t, "e": e})
    for i, other in enumerate(o for o in others if o is not None):
        frame = other if isinstance(other, pd.DataFrame) else pd.DataFrame(
            {0: pd.Series(other, dtype=object)})
        for j, column in enumerate(frame.columns):
            keys[f"x{i}_{j}"] = frame[column].astype(str).to_numpy()
    return keys.sort_values(list(keys.columns), kind="mergesort").index.to_numpy()


def step_at(time: np.ndarray, values: np.ndarray, at: object, *, before: float) -> np.ndarray:
    """A right-continuous step function (``values[i]`` from ``time[i]`` on, ``before`` until
    the first time) read at the times ``at``: Kaplan–Meier and cumulative-incidence curves.

    Examples
    --------
    >>> step_at(np.array([1.0, 3.0]), np.array([0.5, 0.25]), [0, 1, 2, 3], before=1.0).tolist()
    [1.0, 0.5, 0.5, 0.25]
    """
    q = np.atleast_1d(np.asarray(at, dtype=float))
    idx = np.searchsorted(time, q, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], before)


def check_survival_data(
    duration: Sequence[float] | np.ndarray, event: Sequence[object] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert durations (finite, ≥ 0) and events (0/1 or bool) to arrays.

    Examples
    --------
    >>> t, e = check_survival_data([3, 5.5], [True, False])
    >>> t.tolist(), e.tolist()
    ([3.0, 5.5], [1, 0])
    """
    t = np.asarray(duration, dtype=float)
    raw = np.asarray(event)
    if t.ndim != 1 or raw.ndim != 1 or t.shape != raw.shape:
        raise InvalidParameterError(
            f"duration and event must be 1-D and of equal length; got shapes {t.shape} and "
            f"{raw.shape}."
        )
    bad_t = ~np.isfinite(t) | (t < 0)
    if bad_t.any():
        raise InvalidParameterError(
            f"durations must be finite and non-negative; {int(bad_t.sum())} are not, e.g. "
            f"{preview(t[bad_t].tolist())}."
        )
    if raw.dtype == bool:
        e = raw.astype(np.int64)
    else:
        try:
            ef = raw.astype(float)
        except (TypeError, ValueError):
            ef = None
        bad = np.ones(raw.shape, bool) if ef is None else ~np.isin(ef, (0.0, 1.0))
        if bad.any():
            raise InvalidParameterError(
                f"events must be 0/1 or True/False; {int(bad.sum())} values are not, e.g. "
                f"{preview(pd.unique(raw[bad]).tolist())}."
            )
        e = ef.astype(np.int64)  # type: ignore[union-attr]
    return t, e


def risk_set(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, ...]:
    """What Kaplan–Meier and Aalen–Johansen step through, from checked durations ``t`` and
    events ``e``: the distinct times in order, each observation's place among them, and at
    each time the events, the censorings and the number at risk just before it.

    Examples
    --------
    >>> times, place, events, censored, at_risk = risk_set(np.array([2.0, 1.0, 2.0, 3.0]),
    ...                                                    np.array([1, 0, 1, 0]))
    >>> times.tolist(), place.tolist(), events.tolist(), censored.tolist(), at_risk.tolist()
    ([1.0, 2.0, 3.0], [1, 0, 1, 2], [0, 2, 0], [1, 0, 1], [4, 3, 1])
    """
    times, place = np.unique(t, return_inverse=True)
    events = np.bincount(place, weights=e, minlength=times.size).astype(np.int64)
    total = np.bincount(place, minlength=times.size).astype(np.int64)
    return times, place, events, total - events, total[::-1].cumsum()[::-1]

# ----------------------------------------------------------------------------- Kaplan–Meier


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A Kaplan–Meier curve: one row per distinct observed time (events and censorings).

    ``survival[i]`` is S(t) just after ``time[i]``; the curve is 1 before the first time.
    ``std_err`` is Greenwood's standard error of S(t); ``ci_low``/``ci_high`` the pointwise
    confidence band on the ``conf_type`` scale. ``median_ci_*`` is the Brookmeyer–Crowley
    interval (NaN or ``inf`` upper limit when the band never falls below one half).
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    confidence: float
    conf_type: str
    n: int
    n_events: int
    median: float
    median_ci_low: float
    median_ci_high: float

    def at(self, times: Sequence[float] | np.ndarray | float) -> np.ndarray:
        """S(t) at arbitrary times (right-continuous step function)."""
        return step_at(self.time, self.survival, times, before=1.0)

    def quantile(self, p: float) -> tuple[float, float, float]:
        """Time by which a share ``p`` has had the event, with its Brookmeyer–Crowley CI."""
        level = 1 - p
        return (
            km_quantile(self.time, self.survival, level),
            km_quantile(self.time, self.ci_low, level),
            km_quantile(self.time, self.ci_high, level),
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time": self.time,
                "at_risk": self.at_risk,
                "events": self.events,
                "censored": self.censored,
                "survival": self.survival,
                "std_err": self.std_err,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
            }
        )


def km_quantile(time: np.ndarray, curve: np.ndarray, level: float = 0.5) -> float:
    """First time a decreasing step curve reaches ``level`` or below (``inf`` if never).

    Where the curve sits exactly at ``level`` over a flat stretch, the midpoint between the time
    it got there and the next time it drops is returned, as R's ``survfit`` does.

    Examples
    --------
    >>> km_quantile(np.array([1.0, 2.0, 3.0]), np.array([0.75, 0.5, 0.25]))
    2.5
    >>> km_quantile(np.array([1.0, 2.0]), np.array([0.9, 0.6]))
    inf
    """
    time = np.asarray(time, dtype=float)
    curve = np.asarray(curve, dtype=float)
    tol = 1e-10
    below = np.flatnonzero(curve <= level + tol)
    if below.size == 0:
        return math.inf
    i = int(below[0])
    if abs(curve[i] - level) <= tol:
        strict = np.flatnonzero(curve < level - tol)
        if strict.size:
            return float((time[i] + time[int(strict[0])]) / 2)
        return float(time[i])
    return float(time[i])


def kaplan_meier(
    duration: Sequence[float] | np.ndarray,
    event: Sequence[object] | np.ndarray,
    *,
    confidence: float = 0.95,
    conf_type: str = "log-log",
) -> KaplanMeier:
    """Kaplan–Meier estimate with Greenwood standard errors and the median with its CI.

    Parameters
    ----------
    duration : array of float
        Time each person was observed (non-negative).
    event : array of 0/1 or bool
        1 when the observation ended in the event (promotion), 0 when censored.
    confidence : float
        Level of the pointwise band and of the median's interval.
    conf_type : {"log-log", "log", "plain"}
        Scale of the pointwise band. ``"log-log"`` (default) keeps the band inside [0, 1]
        and has the best coverage in small samples; ``"log"`` is R's ``survfit`` default.

    Returns
    -------
    KaplanMeier

    Examples
    --------
    The 6-MP arm of the leukaemia remission trial (Freireich et al. 1963; Gehan 1965):

    >>> t = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> km = kaplan_meier(t, e)
    >>> km.median, km.median_ci_low, km.median_ci_high
    (23.0, 13.0, inf)
    >>> round(float(km.at(10)[0]), 4)
    0.7529
    """
    if conf_type not in CONF_TYPES:
        raise InvalidParameterError(
            f"conf_type={conf_type!r}; use one of {', '.join(map(repr, CONF_TYPES))}."
        )
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    t, e = check_survival_data(duration, event)
    if t.size == 0:
        raise InsufficientDataError("no observations to estimate a survival curve from.")
    times, _, events, censored, at_risk = risk_set(t, e)

    with np.errstate(divide="ignore", invalid="ignore"):
        factor = 1.0 - events / at_risk
        survival = np.cumprod(factor)
        # Greenwood: Var S = S^2 * sum d / (n (n - d)); infinite once everyone had the event
        increments = np.where(
            events > 0, events / (at_risk * (at_risk - events).astype(float)), 0.0
        )
        green = np.cumsum(increments)
        std_err = survival * np.sqrt(green)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    low, high = _band(survival, green, z, conf_type)
    median = km_quantile(times, survival, 0.5)
    return KaplanMeier(
        time=times,
        at_risk=at_risk,
        events=events,
        censored=censored,
        survival=survival,
        std_err=np.where(survival > 0, std_err, 0.0),
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        conf_type=conf_type,
        n=int(t.size),
        n_events=int(e.sum()),
        median=median,
        # the lower band reaches one half first: it gives the lower limit
        median_ci_low=km_quantile(times, low, 0.5),
        median_ci_high=km_quantile(times, high, 0.5),
    )


def _band(
    s: np.ndarray, green: np.ndarray, z: float, conf_type: str
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise band; exactly (1, 1) before the first event and (0, 0) once S reaches 0."""
    low = np.empty_like(s)
    high = np.empty_like(s)
    one = s >= 1.0
    zero = s <= 0.0
    mid = ~one & ~zero
    sm, gm = s[mid], green[mid]
    if conf_type == "log-log":
        # theta = log(-log S), se(theta) = sqrt(green) / |log S|; S^exp(±z se)
        se = np.sqrt(gm) / np.abs(np.log(sm))
        low[mid] = sm ** np.exp(z * se)
        high[mid] = sm ** np.exp(-z * se)
    elif conf_type == "log":
        se = np.sqrt(gm)
        low[mid] = sm * np.exp(-z * se)
        high[mid] = np.minimum(1.0, sm * np.exp(z * se))
    else:
        se = sm * np.sqrt(gm)
        low[mid] = np.maximum(0.0, sm - z * se)
        high[mid] = np.minimum(1.0, sm + z * se)
    low[one], high[one] = 1.0, 1.0
    low[zero], high[zero] = 0.0, 0.0
    return low, high


# ----------------------------------------------------------------------------- log-rank


@dataclass(frozen=True, eq=False)
class LogRank(PValueRenamed):
    """Log-rank test of equal survival curves across K groups (χ² with K − 1 df)."""

    statistic: float
    df: int
    p_value: float
    groups: tuple[object, ...]
    observed: np.ndarray
    expected: np.ndarray


def logrank_test(
    duration: Sequence[float] | np.ndarray,
    event: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
) -> LogRank:
    """Log-rank (Mantel–Cox) test for K groups, with observed and expected events per group.

    Groups are taken in sorted order. The statistic is ``(O − E)' V⁻¹ (O − E)`` on the first
    K − 1 groups, where V is the hypergeometric variance summed over distinct event times.

    Examples
    --------
    Leukaemia remission (Freireich et al. 1963), 6-MP vs placebo; R's ``survdiff`` gives
    χ² = 16.8 on 1 df:

    >>> mp = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> mp_e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> pl = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    >>> lr = logrank_test(mp + pl, mp_e + [1] * 21, ["6-MP"] * 21 + ["placebo"] * 21)
    >>> round(lr.statistic, 4), lr.df
    (16.7929, 1)
    """
    t, e = check_survival_data(duration, event)
    g = np.asarray(group, dtype=object)
    if g.shape != t.shape:
        raise InvalidParameterError(
            f"group must have the same length as duration; got {g.shape} and {t.shape}."
        )
    labels, gi = np.unique(g.astype(str), return_inverse=True)
    # keep the caller's labels (not their string forms) in the result
    firsts = [g[np.flatnonzero(gi == k)[0]] for k in range(labels.size)]
    k = labels.size
    if k < 2:
        raise InsufficientDataError(
            f"the log-rank test needs at least two groups; got {preview(firsts)}."
        )
    event_times = np.unique(t[e == 1])
    obs = np.bincount(gi, weights=e, minlength=k)
    if event_times.size == 0:
        return LogRank(math.nan, k - 1, math.nan, tuple(firsts), obs, np.zeros(k))
    # at risk per (event time, group): n_jk = #{t_i >= tau_j, group k}
    n_jk = np.empty((event_times.size, k))
    d_jk = np.empty((event_times.size, k))
    for kk in range(k):
        tk = np.sort(t[gi == kk])
        n_jk[:, kk] = tk.size - np.searchsorted(tk, event_times, side="left")
        te = t[(gi == kk) & (e == 1)]
        ue, cnt = np.unique(te, return_counts=True)
        d = np.zeros(event_times.size)
        d[np.searchsorted(event_times, ue)] = cnt
        d_jk[:, kk] = d
    n_j = n_jk.sum(axis=1)
    d_j = d_jk.sum(axis=1)
    expected = (n_jk * (d_j / n_j)[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j - 1), 0.0) / n_j
    p = n_jk / n_j[:, None]
    v = np.einsum("j,jk,kl->kl", w, n_jk, np.eye(k)) - np.einsum("j,jk,jl->kl", w, n_jk, p)
    diff = (obs - expected)[:-1]
    vv = v[:-1, :-1]
    try:
        stat = float(diff @ np.linalg.solve(vv, diff))
    except np.linalg.LinAlgError:
        stat = float(diff @ np.linalg.pinv(vv) @ diff)
    df = k - 1
    return LogRank(
        statistic=stat,
        df=df,
        p_value=float(stats.chi2.sf(stat, df)),
        groups=tuple(firsts),
        observed=obs,
        expected=expected,
    )


# ----------------------------------------------------------------------------- median status


@dataclass(frozen=True)
class MedianStatus:
    """A Kaplan–Meier median and whether it can be read: ``median`` is NaN when ``note`` says
    why not ("not reached", or "unstable (n at risk < k)")."""

    median: float
    note: str | None
    at_risk: int | None


def median_status(km: KaplanMeier, min_at_risk: int = 1) -> MedianStatus:
    """The median of a Kaplan–Meier curve, if the curve reaches one half with at least
    ``min_at_risk`` people still at risk.

    A curve that never falls to one half has no median ("not reached"). One that gets there
    only when fewer than ``min_at_risk`` people remain at risk has a median set by one or two
    people ("unstable"): both give NaN and a note, so a table and a chart of the curve agree.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 1, 1])
    >>> median_status(km, 3)
    MedianStatus(median=nan, note='unstable (n at risk < 3)', at_risk=2)
    >>> median_status(km, 1).median
    5.5
    >>> median_status(kaplan_meier([1, 2, 3], [1, 0, 0])).note
    'not reached'
    """
    if not math.isfinite(km.median):
        return MedianStatus(math.nan, "not reached", None)
    below = np.flatnonzero(km.survival <= 0.5 + 1e-10)
    at_risk = int(km.at_risk[int(below[0])])
    if at_risk < min_at_risk:
        return MedianStatus(math.nan, f"unstable (n at risk < {min_at_risk})", at_risk)
    return MedianStatus(float(km.median), None, at_risk)


_COX_NAMES = ("CoxFit", "PHTest", "cox_ph")


def __getattr__(name: str) -> object:
    # Cox moved to stats.cox (which imports this module): the old import path keeps working for
    # one release, with a warning, so that this module can stop pointing back up at cox
    if name in _COX_NAMES:
        from . import cox

        warnings.warn(
            f"fairhire.stats.survival.{name} has moved to fairhire.stats.cox.{name}; the old "
            "path will stop working in the next release.",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(cox, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
