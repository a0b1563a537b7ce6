"""Inter-rater reliability: intraclass correlations and Krippendorff's alpha.

Pure functions on arrays: a ratings matrix has one row per target (a candidate) and one column
per rater, with ``NaN`` where a rater did not rate a target.

- :func:`icc` — the six intraclass correlations of Shrout & Fleiss (1979), ICC(1,1), ICC(2,1),
  ICC(3,1) and their k-rater averages ICC(1,k), ICC(2,k), ICC(3,k), with F tests and confidence
  intervals (Shrout & Fleiss 1979; McGraw & Wong 1996), on a complete n × k matrix.
- :func:`icc_oneway` — ICC(1,1) and ICC(1,k₀) from a one-way random-effects ANOVA on an
  *unbalanced* design (each target rated by any number of raters ≥ 2), with k₀ the effective
  number of ratings per target (Searle 1971; Donner 1986). This is the form that fits interviews,
  where each candidate meets a different subset of interviewers.
- :func:`~fairhire.stats.krippendorff.krippendorff_alpha` (in
  :mod:`fairhire.stats.krippendorff`, importable from here too) — Krippendorff's alpha for
  nominal, ordinal, interval and ratio data with missing values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

from ..errors import InsufficientDataError, InvalidParameterError
from .krippendorff import LEVELS, as_ratings_matrix, krippendorff_alpha

__all__ = [
    "LEVELS",
    "ICCEstimate",
    "ICCResult",
    "OneWayICC",
    "icc",
    "icc_oneway",
    "krippendorff_alpha",
    "ratings_matrix",
]

_FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")
_DESCRIPTIONS = {
    "ICC(1,1)": "one-way random, single rater (absolute agreement)",
    "ICC(2,1)": "two-way random, single rater (absolute agreement)",
    "ICC(3,1)": "two-way mixed, single rater (consistency)",
    "ICC(1,k)": "one-way random, mean of k raters",
    "ICC(2,k)": "two-way random, mean of k raters",
    "ICC(3,k)": "two-way mixed, mean of k raters",
}


@dataclass(frozen=True)
class ICCEstimate:
    """One intraclass correlation with its F test (H0: ICC = 0) and confidence interval."""

    form: str
    description: str
    value: float
    ci_low: float
    ci_high: float
    f: float
    df1: float
    df2: float
    p_value: float


@dataclass(frozen=True)
class ICCResult:
    """The six Shrout & Fleiss intraclass correlations of a complete ratings matrix.

    ``bms``, ``wms``, ``jms``, ``ems`` are the between-targets, within-targets, between-judges
    and residual mean squares of the two-way ANOVA.
    """

    estimates: tuple[ICCEstimate, ...]
    n_targets: int
    n_raters: int
    bms: float
    wms: float
    jms: float
    ems: float
    confidence: float

    def __getitem__(self, form: str) -> ICCEstimate:
        key = form.replace(" ", "").upper().replace("K)", "k)")
        for est in self.estimates:
            if est.form == key:
                return est
        raise InvalidParameterError(f"form={form!r}; use one of {list(_FORMS)}.")

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([e.__dict__ for e in self.estimates])


def _fcrit(q: float, d1: float, d2: float) -> float:
    return float(stats.f.ppf(q, d1, d2))


def icc(ratings: Any, *, confidence: float = 0.95) -> ICCResult:
    """The six intraclass correlations of Shrout & Fleiss (1979) with confidence intervals.

    Parameters
    ----------
    ratings : array-like of shape (n_targets, n_raters)
        Complete ratings: every rater rated every target. For incomplete, unbalanced designs use
        :func:`icc_oneway` (or :func:`krippendorff_alpha`).
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    ICCResult
        ``result["ICC(2,1)"].value`` etc. Confidence intervals follow Shrout & Fleiss (1979)
        and McGraw & Wong (1996): exact F-based limits for ICC(1,·) and ICC(3,·) and the
        Satterthwaite approximation for ICC(2,·) (as R's ``psych::ICC``).

    Examples
    --------
    Shrout & Fleiss (1979), Table 2: six targets rated by four judges.

    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> r = icc(sf)
    >>> [round(r[f].value, 2) for f in ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)")]
    [0.17, 0.29, 0.71]
    >>> [round(r[f].value, 2) for f in ("ICC(1,k)", "ICC(2,k)", "ICC(3,k)")]
    [0.44, 0.62, 0.91]
    """
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    x = as_ratings_matrix(ratings)
    if np.isnan(x).any():
        raise InvalidParameterError(
            f"ratings hold {int(np.isnan(x).sum())} missing values; the two-way ICCs need every "
            "rater to rate every target. Use icc_oneway() or krippendorff_alpha() for "
            "incomplete designs, or keep only complete rows."
        )
    n, k = x.shape
    if n < 2 or k < 2:
        raise InsufficientDataError(
            f"an ICC needs at least 2 targets and 2 raters; got {n} targets × {k} raters."
        )
    ms = _two_way_anova(x)
    q = 0.5 + confidence / 2
    est = {**_f_forms(ms, q, "1"), **_f_forms(ms, q, "3"), **_agreement_forms(ms, q)}
    return ICCResult(
        estimates=tuple(est[f] for f in _FORMS),
        n_targets=n,
        n_raters=k,
        bms=ms.bms,
        wms=ms.wms,
        jms=ms.jms,
        ems=ms.ems,
        confidence=confidence,
    )


class _MeanSquares(NamedTuple):
    """The two-way ANOVA of a complete n × k matrix: mean squares and degrees of freedom."""

    n: int
    k: int
    bms: float
    wms: float
    jms: float
    ems: float
    df_r: int
    df_c: int
    df_e: int
    df_w: int


def _two_way_anova(x: np.ndarray) -> _MeanSquares:
    n, k = x.shape
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = float(k * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = float(n * ((x.mean(axis=0) - grand) ** 2).sum())
    ss_err = ss_total - ss_rows - ss_cols
    # Rounding leaves ~1e-16 where a component is exactly zero (identical targets, say); a
    # zero must stay zero, or 0/0 forms turn into spurious values that depend on column order.
    tol = 1e-10 * ss_total
    ss_rows, ss_cols, ss_err = (v if v > tol else 0.0 for v in (ss_rows, ss_cols, ss_err))
    df_r, df_c, df_e, df_w = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    return _MeanSquares(
        n=n, k=k, bms=ss_rows / df_r, wms=(ss_cols + max(ss_err, 0.0)) / df_w,
        jms=ss_cols / df_c, ems=max(ss_err, 0.0) / df_e, df_r=df_r, df_c=df_c, df_e=df_e,
        df_w=df_w,
    )


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else (math.inf if a > 0 else math.nan)


def _f_forms(ms: _MeanSquares, q: float, form: str) -> dict[str, ICCEstimate]:
    """ICC(c,1) and ICC(c,k) with F-based limits, for the one-way random (``form="1"``: error
    = within-targets mean square) and the two-way mixed consistency forms (``"3"``: error =
    residual mean square)."""
    error, df2 = (ms.wms, ms.df_w) if form == "1" else (ms.ems, ms.df_e)
    bms, k = ms.bms, ms.k
    f = _ratio(bms, error)
    p = _f_pvalue(f, ms.df_r, df2)
    fl, fu = f / _fcrit(q, ms.df_r, df2), f * _fcrit(q, df2, ms.df_r)
    denom = bms + (k - 1) * error
    v1 = (bms - error) / denom if denom > 0 else math.nan
    vk = (bms - error) / bms if bms > 0 else math.nan
    return {
        f"ICC({form},1)": _estimate(f"ICC({form},1)", v1, _single(fl, k), _single(fu, k), f,
                                    ms.df_r, df2, p),
        f"ICC({form},k)": _estimate(f"ICC({form},k)", vk, _average(fl), _average(fu), f,
                                    ms.df_r, df2, p),
    }


def _agreement_forms(ms: _MeanSquares, q: float) -> dict[str, ICCEstimate]:
    """ICC(2,1) and ICC(2,k): two-way random effects, absolute agreement; Satterthwaite df
    for the interval, and the Spearman–Brown step-up of the single-rater limits for ICC(2,k)
    (as psych::ICC and McGraw & Wong)."""
    n, k, bms, jms, ems = ms.n, ms.k, ms.bms, ms.jms, ms.ems
    f3 = _ratio(bms, ems)
    p3 = _f_pvalue(f3, ms.df_r, ms.df_e)
    # a denominator within rounding of zero is zero: otherwise the order of the raters' columns
    # decides between NaN and a value of 1e16
    tiny = 1e-12 * (bms + jms + ems)
    denom2 = bms + (k - 1) * ems + k * (jms - ems) / n
    v21 = (bms - ems) / denom2 if denom2 > tiny else math.nan
    denom2k = bms + (jms - ems) / n
    v2k = (bms - ems) / denom2k if denom2k > tiny else math.nan
    lo2, hi2 = math.nan, math.nan
    if math.isfinite(v21) and ems > 0:
        a = k * v21 / (n * (1 - v21)) if v21 < 1 else math.inf
        b = 1 + k * v21 * (n - 1) / (n * (1 - v21)) if v21 < 1 else math.inf
        nu_den = ((a * jms) ** 2 / ms.df_c + (b * ems) ** 2 / ms.df_e
                  if math.isfinite(a + b) else 0)
        nu = (a * jms + b * ems) ** 2 / nu_den if nu_den > 0 else math.nan
        if nu > 0:
            f_star = _fcrit(q, ms.df_r, nu)
            f_star2 = _fcrit(q, nu, ms.df_r)
            c = k * jms + (k * n - k - n) * ems
            den_lo, den_hi = f_star * c + n * bms, c + n * f_star2 * bms
            lo2 = n * (bms - f_star * ems) / den_lo if den_lo > 0 else math.nan
            hi2 = n * (f_star2 * bms - ems) / den_hi if den_hi > 0 else math.nan
    return {
        "ICC(2,1)": _estimate("ICC(2,1)", v21, lo2, hi2, f3, ms.df_r, ms.df_e, p3),
        "ICC(2,k)": _estimate("ICC(2,k)", v2k, _spearman_brown(lo2, k), _spearman_brown(hi2, k),
                              f3, ms.df_r, ms.df_e, p3),
    }


def _f_pvalue(f: float, d1: float, d2: float) -> float:
    if math.isnan(f):
        return math.nan
    return 0.0 if math.isinf(f) else float(stats.f.sf(f, d1, d2))


def _single(f: float, k: float) -> float:
    """Confidence limit of a single-rater ICC from an F limit: (F − 1)/(F + k − 1)."""
    if math.isnan(f):
        return math.nan
    return 1.0 if math.isinf(f) else (f - 1) / (f + k - 1)


def _average(f: float) -> float:
    """Confidence limit of an average-rater ICC from an F limit: 1 − 1/F (undefined at 0)."""
    if math.isnan(f) or f <= 0:
        return math.nan
    return 1.0 if math.isinf(f) else 1 - 1 / f


def _spearman_brown(r: float, k: float) -> float:
    if not math.isfinite(r) or 1 + (k - 1) * r <= 0:
        return math.nan
    return k * r / (1 + (k - 1) * r)


def _estimate(
    form: str, value: float, lo: float, hi: float, f: float, d1: float, d2: float, p: float
) -> ICCEstimate:
    def clean(v: float) -> float:
        return float(v) if v is not None and math.isfinite(v) else math.nan

    return ICCEstimate(
        form=form,
        description=_DESCRIPTIONS[form],
        value=clean(value),
        ci_low=clean(lo),
        ci_high=clean(hi),
        f=float(f) if not math.isnan(f) else math.nan,
        df1=float(d1),
        df2=float(d2),
        p_value=clean(p),
    )


@dataclass(frozen=True)
class OneWayICC:
    """ICC(1,1) and ICC(1,k₀) of an unbalanced one-way random-effects design."""

    icc1: float
    icc1_ci_low: float
    icc1_ci_high: float
    icc1k: float
    icc1k_ci_low: float
    icc1k_ci_high: float
    k0: float
    f: float
    df1: int
    df2: int
    p_value: float
    n_targets: int
    n_ratings: int
    bms: float
    wms: float


def icc_oneway(targets: Sequence[Any] | np.ndarray, values: Any, *,
               confidence: float = 0.95) -> OneWayICC:
    """ICC(1,1) of an unbalanced one-way random-effects design, with its k₀-average.

    Each target (candidate) may be rated by a different number of raters. With ``a`` targets,
    ``N`` ratings and ``n_i`` ratings of target ``i``:

    ``k₀ = (N − Σ n_i² / N) / (a − 1)``,
    ``ICC(1,1) = (BMS − WMS) / (BMS + (k₀ − 1) WMS)``, ``ICC(1,k₀) = (BMS − WMS) / BMS``,

    with F-based limits as in the balanced case, ``k₀`` in place of ``k`` (Searle 1971,
    Donner 1986). On a balanced design this equals ``icc(...)["ICC(1,1)"]``. Targets with a
    single rating carry no within-target information and must be removed by the caller.

    Examples
    --------
    >>> r = icc_oneway([1, 1, 2, 2, 2, 3, 3], [4, 5, 2, 2, 3, 5, 5])
    >>> round(r.icc1, 3), round(r.k0, 3)
    (0.879, 2.286)
    """
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    y = np.asarray(values, dtype=float)
    t = np.asarray(targets)
    if y.shape != t.shape or y.ndim != 1:
        raise InvalidParameterError("targets and values must be 1-dimensional and of equal length.")
    if np.isnan(y).any():
        raise InvalidParameterError("values hold missing scores; drop them (and count them) first.")
    labels, inv, counts = np.unique(t, return_inverse=True, return_counts=True)
    a, big_n = len(labels), len(y)
    if a < 2 or big_n - a < 1:
        raise InsufficientDataError(
            f"a one-way ICC needs at least 2 targets and one target rated twice; got {a} targets "
            f"and {big_n} ratings."
        )
    if (counts < 2).any():
        raise InsufficientDataError(
            f"{int((counts < 2).sum())} targets have a single rating; remove them first."
        )
    sums = np.bincount(inv, weights=y)
    means = sums / counts
    grand = y.mean()
    bss = float((counts * (means - grand) ** 2).sum())
    wss = float(((y - means[inv]) ** 2).sum())
    tol = 1e-10 * (bss + wss)  # rounding residue where a sum of squares is exactly zero
    bss, wss = (v if v > tol else 0.0 for v in (bss, wss))
    df1, df2 = a - 1, big_n - a
    bms, wms = bss / df1, wss / df2
    k0 = (big_n - float((counts**2).sum()) / big_n) / df1
    q = 0.5 + confidence / 2
    if wms > 0:
        f = bms / wms
        p = float(stats.f.sf(f, df1, df2))
        fl, fu = f / _fcrit(q, df1, df2), f * _fcrit(q, df2, df1)
        lo1, hi1 = _single(fl, k0), _single(fu, k0)
        lok, hik = _average(fl), _average(fu)
    else:
        f, p = (math.inf if bms > 0 else math.nan), (0.0 if bms > 0 else math.nan)
        lo1 = hi1 = lok = hik = (1.0 if bms > 0 else math.nan)
    denom = bms + (k0 - 1) * wms
    v1 = (bms - wms) / denom if denom > 0 else math.nan
    vk = (bms - wms) / bms if bms > 0 else math.nan
    return OneWayICC(
        icc1=float(v1), icc1_ci_low=float(lo1), icc1_ci_high=float(hi1),
        icc1k=float(vk), icc1k_ci_low=float(lok), icc1k_ci_high=float(hik),
        k0=float(k0), f=float(f), df1=df1, df2=df2, p_value=p,
        n_targets=a, n_ratings=big_n, bms=bms, wms=wms,
    )


def ratings_matrix(targets: Sequence[Any], raters: Sequence[Any], values: Sequence[Any]
                   ) -> tuple[np.ndarray, list[Any], list[Any]]:
    """Pivot long ratings (target, rater, value) to a targets × raters matrix with NaN holes.

    Returns the matrix and the sorted target and rater labels. Duplicate (target, rater)
    pairs raise :class:`~fairhire.errors.InvalidParameterError`.
    """
    t = np.asarray(targets)
    r = np.asarray(raters)
    v = np.asarray(values, dtype=float)
    tl, ti = np.unique(t, return_inverse=True)
    rl, ri = np.unique(r, return_inverse=True)
    keys = ti.astype(np.int64) * len(rl) + ri
    if len(np.unique(keys)) != len(keys):
        raise InvalidParameterError("the same rater rated the same target more than once.")
    out = np.full((len(tl), len(rl)), np.nan)
    out[ti, ri] = v
    return out, tl.tolist(), rl.tolist()
