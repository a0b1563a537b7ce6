"""Competing risks on arrays: the Aalen–Johansen cumulative incidence, with confidence intervals.

Used for time to exit: people leave for different reasons (a resignation, a dismissal, a
retirement), and leaving for one reason removes the chance of leaving for another. The
probability of leaving *for cause k* by time t is the cumulative incidence

    F_k(t) = Σ_{t_j ≤ t} S(t_{j−1}) · d_kj / n_j

where S is the all-cause Kaplan–Meier survival (the share still employed), d_kj the exits for
cause k at time t_j and n_j the people at risk just before t_j (Aalen & Johansen 1978). Treating
the other causes as censoring and taking 1 − Kaplan–Meier instead estimates the share who would
leave for cause k *if no one could leave for any other reason*: it overstates F_k, and the
"curves" of all causes then add up to more than the share who actually left. The cumulative
incidences of all causes add up to 1 − S(t) exactly.

Variance: the delta-method (Greenwood-type) estimator of Marubini & Valsecchi (1995, §10.2)
given by Collett (2015, *Modelling Survival Data in Medical Research*, 3rd ed., §12.2), as SAS
``PROC LIFETEST`` and lifelines' ``AalenJohansenFitter`` compute it; pointwise confidence
intervals on the log(−log) scale, so they stay inside [0, 1]. Tied times are handled as
grouped events at the same time (no jittering). Nothing here sees a data frame.

References
----------
Aalen, O. O. & Johansen, S. (1978). An empirical transition matrix for non-homogeneous Markov
chains based on censored observations. *Scandinavian Journal of Statistics* 5, 141–150.
Putter, H., Fiocco, M. & Geskus, R. B. (2007). Tutorial in biostatistics: competing risks and
multi-state models. *Statistics in Medicine* 26, 2389–2430.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InsufficientDataError, InvalidParameterError, preview
from .survival import check_survival_data, risk_set, step_at

__all__ = ["CumulativeIncidence", "aalen_johansen", "cumulative_incidence"]


@dataclass(frozen=True, eq=False)
class CumulativeIncidence:
    """The Aalen–Johansen cumulative incidence of one cause: one row per distinct time.

    ``incidence[i]`` is F_k(t) just after ``time[i]`` (0 before the first time); ``survival``
    the all-cause Kaplan–Meier S(t); ``std_err`` the delta-method standard error of F_k(t);
    ``ci_low``/``ci_high`` the pointwise band on the log(−log) scale.
    """

    cause: object
    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    events_all: np.ndarray
    survival: np.ndarray
    incidence: np.ndarray
    std_err: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    confidence: float
    n: int
    n_events: int

    def at(self, times: Sequence[float] | np.ndarray | float) -> np.ndarray:
        """F_k(t) at arbitrary times (a right-continuous step function, 0 before any exit)."""
        return step_at(self.time, self.incidence, times, before=0.0)

    def ci_at(self, times: Sequence[float] | np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """The pointwise confidence band at arbitrary times."""
        return (
            step_at(self.time, self.ci_low, times, before=0.0),
            step_at(self.time, self.ci_high, times, before=0.0),
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time": self.time,
                "at_risk": self.at_risk,
                "events": self.events,
                "events_all": self.events_all,
                "survival": self.survival,
                "incidence": self.incidence,
                "std_err": self.std_err,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
            }
        )


def _check_inputs(
    duration: object, event: object, cause: object, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    t, e = check_survival_data(duration, event)  # type: ignore[arg-type]
    c = np.asarray(cause, dtype=object)
    if c.shape != t.shape:
        raise InvalidParameterError(
            f"cause must have the same length as duration; got {c.shape} and {t.shape}."
        )
    if t.size == 0:
        raise InsufficientDataError("no observations to estimate a cumulative incidence from.")
    unknown = (e == 1) & pd.isna(pd.Series(c)).to_numpy()
    if unknown.any():
        raise InvalidParameterError(
            f"{int(unknown.sum())} exits have no cause; give every event a cause (or code "
            "unknown causes as a cause of their own, e.g. 'unknown')."
        )
    return t, e, c


def aalen_johansen(
    duration: Sequence[float] | np.ndarray,
    event: Sequence[object] | np.ndarray,
    cause: Sequence[object] | np.ndarray,
    *,
    of: object,
    confidence: float = 0.95,
) -> CumulativeIncidence:
    """Aalen–Johansen cumulative incidence of cause ``of``, with delta-method confidence bands.

    Parameters
    ----------
    duration : array of float
        Time each person was observed (non-negative).
    event : array of 0/1 or bool
        1 when the observation ended in an exit (of any cause), 0 when censored.
    cause : array
        The cause of each exit (ignored where ``event`` is 0).
    of : object
        The cause whose cumulative incidence is estimated; every other cause competes.
    confidence : float
        Level of the pointwise band (log(−log) scale).

    Returns
    -------
    CumulativeIncidence

    Examples
    --------
    Four people: two leave for cause "a" at times 1 and 3, one for "b" at time 2, one is
    censored at 2.5. At time 3: F_a = 1/4 + (1/2)(1/1) = 0.75 and F_b = 0.25, and
    F_a + F_b = 1 − S(3) = 1.

    >>> r = aalen_johansen([1, 2, 2.5, 3], [1, 1, 0, 1], ["a", "b", None, "a"], of="a")
    >>> r.incidence.tolist()
    [0.25, 0.25, 0.25, 0.75]
    >>> float(r.at(2.9)[0]), float(r.survival[-1])
    (0.25, 0.0)
    """
    t, e, c = _check_inputs(duration, event, cause, confidence)
    is_k = (e == 1) & np.array([v == of for v in c], dtype=bool)
    times, place, events, _, at_risk = risk_set(t, e)
    # in floats: the variance takes n³, beyond int64 from about two million people
    d_all, n = events.astype(float), at_risk.astype(float)
    d_k = np.bincount(place, weights=is_k.astype(float), minlength=times.size)
    survival = np.cumprod(1.0 - d_all / n)
    s_lag = np.concatenate([[1.0], survival[:-1]])
    incidence = np.cumsum(s_lag * d_k / n)
    var = _variance(incidence, s_lag, n, d_all, d_k)
    std_err = np.sqrt(var)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    low, high = _loglog_band(incidence, std_err, z)
    return CumulativeIncidence(
        cause=of,
        time=times,
        at_risk=at_risk,
        events=d_k.astype(np.int64),
        events_all=events,
        survival=survival,
        incidence=incidence,
        std_err=std_err,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        n=int(t.size),
        n_events=int(is_k.sum()),
    )


def _variance(
    f: np.ndarray, s_lag: np.ndarray, n: np.ndarray, d: np.ndarray, dk: np.ndarray
) -> np.ndarray:
    """Delta-method variance of F_k at every time, in O(m) with prefix sums.

    Var F(t_i) = Σ_{j≤i} [ (F_i − F_j)² d_j / (n_j (n_j − d_j))
                          + S_{j−1}² d_kj (n_j − d_kj) / n_j³
                          − 2 (F_i − F_j) S_{j−1} d_kj / n_j² ].
    Where everyone at risk leaves (n_j = d_j), F is flat from t_j on, so F_i − F_j = 0 and the
    first term is taken as 0 rather than 0 · ∞.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where((d > 0) & (n > d), d / (n * (n - d)), 0.0)
    b = s_lag**2 * dk * (n - dk) / n**3
    c = s_lag * dk / n**2
    a1, a2, a3 = np.cumsum(a), np.cumsum(a * f), np.cumsum(a * f * f)
    c1, c2 = np.cumsum(c), np.cumsum(c * f)
    var = f * f * a1 - 2 * f * a2 + a3 + np.cumsum(b) - 2 * (f * c1 - c2)
    return np.maximum(var, 0.0)


def _loglog_band(f: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    low, high = f.copy(), f.copy()
    mid = (f > 0) & (f < 1)
    fm = f[mid]
    theta = np.log(-np.log(fm))
    se_theta = se[mid] / (fm * np.abs(np.log(fm)))
    low[mid] = np.exp(-np.exp(theta + z * se_theta))
    high[mid] = np.exp(-np.exp(theta - z * se_theta))
    return low, high


def cumulative_incidence(
    duration: Sequence[float] | np.ndarray,
    event: Sequence[object] | np.ndarray,
    cause: Sequence[object] | np.ndarray,
    *,
    confidence: float = 0.95,
) -> dict[object, CumulativeIncidence]:
    """:func:`aalen_johansen` for every cause that occurs, in sorted order of the causes.

    Examples
    --------
    >>> cif = cumulative_incidence([1, 2, 2.5, 3], [1, 1, 0, 1], ["a", "b", None, "a"])
    >>> {k: float(v.incidence[-1]) for k, v in cif.items()}
    {'a': 0.75, 'b': 0.25}
    """
    t, e, c = _check_inputs(duration, event, cause, confidence)
    causes = sorted({v for v, ev in zip(c.tolist(), e.tolist(), strict=True) if ev == 1}, key=str)
    if not causes:
        raise InsufficientDataError(
            f"no exits among the {t.size:,} observations: every cumulative incidence is 0."
        )
    if len(causes) > 50:
        raise InvalidParameterError(
            f"{len(causes)} distinct causes (e.g. {preview(causes)}): group them into a few "
            "kinds (voluntary, involuntary, other) first."
        )
    return {k: aalen_johansen(t, e, c, of=k, confidence=confidence) for k in causes}

