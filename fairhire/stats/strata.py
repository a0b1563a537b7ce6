"""Stratified 2×2 analysis: Mantel–Haenszel, Cochran–Mantel–Haenszel and Breslow–Day.

Tables are stacked as a K×2×2 array: ``tables[k] = [[a, n−a], [b, m−b]]`` with the focal group
in the first row and "selected" in the first column. The common odds ratio is then the focal
group's odds of selection relative to the reference group's.

Computed with statsmodels' ``StratifiedTable`` (Mantel & Haenszel 1959; Robins, Breslow &
Greenland 1986 for the CI; Breslow & Day 1980 with Tarone's 1985 correction). R's
``mantelhaen.test`` and ``DescTools::BreslowDayTest`` are the usual cross-checks. The p-values
come from the chi-square survival function, not from statsmodels' ``1 − cdf``, which rounds
every p-value below about 1e-16 to 0: a CMH statistic of 363.45 has p = chi2.sf(363.45, 1) =
4.98e-81, not 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._deprecation import renamed_attribute
from ..errors import InvalidParameterError, InvalidValueError

__all__ = ["MantelHaenszel", "mantel_haenszel"]


@dataclass(frozen=True)
class MantelHaenszel:
    """Summary of a stratified 2×2 analysis (NaN where a figure is undefined)."""

    cmh_pvalue = renamed_attribute("cmh_pvalue", "cmh_p_value")
    cmh_pvalue_corrected = renamed_attribute("cmh_pvalue_corrected", "cmh_p_value_corrected")
    breslow_day_pvalue = renamed_attribute("breslow_day_pvalue", "breslow_day_p_value")

    odds_ratio: float
    ci_low: float
    ci_high: float
    cmh_statistic: float
    cmh_p_value: float
    cmh_statistic_corrected: float
    cmh_p_value_corrected: float
    breslow_day_statistic: float
    breslow_day_p_value: float
    n_strata: int

    def confidence_interval(self) -> tuple[float, float]:
        return (self.ci_low, self.ci_high)


_NAN = math.nan


def mantel_haenszel(tables: np.ndarray, *, confidence: float = 0.95) -> MantelHaenszel:
    """Mantel–Haenszel common odds ratio, CMH test and Breslow–Day (Tarone) homogeneity test.

    Strata where one of the two groups is absent, or where everyone or no one was selected,
    carry no information about the odds ratio and are left out; ``n_strata`` counts the strata
    used. The Breslow–Day statistic includes Tarone's correction and has ``n_strata − 1``
    degrees of freedom.

    Parameters
    ----------
    tables : array of shape (K, 2, 2)
        ``[[focal selected, focal not], [reference selected, reference not]]`` per stratum.
    confidence : float
        Level of the Robins–Breslow–Greenland confidence interval.

    Examples
    --------
    Berkeley 1973 admissions (6 departments), women (focal) vs men:

    >>> from fairhire.datasets import load_ucb_admissions
    >>> ucb = load_ucb_admissions()
    >>> t = []
    >>> for dept, d in ucb.groupby("department"):
    ...     w = d[d.sex == "Female"].iloc[0]; m = d[d.sex == "Male"].iloc[0]
    ...     t.append([[w.admitted, w.applicants - w.admitted],
    ...               [m.admitted, m.applicants - m.admitted]])
    >>> r = mantel_haenszel(np.array(t))
    >>> round(1 / r.odds_ratio, 6), round(r.cmh_statistic, 5)
    (0.904697, 1.52461)
    """
    from scipy.stats import chi2
    from statsmodels.stats.contingency_tables import StratifiedTable

    arr = np.asarray(tables, dtype=float)
    if arr.ndim != 3 or arr.shape[1:] != (2, 2):
        raise InvalidParameterError(
            f"tables must have shape (K, 2, 2); got {arr.shape}. Stack one 2×2 table per stratum."
        )
    if not np.isfinite(arr).all() or (arr != np.floor(arr)).any():
        raise InvalidValueError(
            "tables hold missing, infinite or fractional counts; counts must be finite whole "
            "numbers."
        )
    if (arr < 0).any():
        raise InvalidValueError("tables hold negative counts; counts must be non-negative.")
    rows = arr.sum(axis=2)
    cols = arr.sum(axis=1)
    informative = (rows > 0).all(axis=1) & (cols > 0).all(axis=1)
    arr = arr[informative]
    k = int(arr.shape[0])
    if k == 0:
        return MantelHaenszel(_NAN, _NAN, _NAN, _NAN, _NAN, _NAN, _NAN, _NAN, _NAN, 0)

    # statsmodels wants 2×2×K
    st = StratifiedTable(np.moveaxis(arr, 0, -1))
    num = (arr[:, 0, 0] * arr[:, 1, 1] / arr.sum(axis=(1, 2))).sum()
    den = (arr[:, 0, 1] * arr[:, 1, 0] / arr.sum(axis=(1, 2))).sum()
    if num == 0 or den == 0:
        # the pooled odds ratio is 0 or infinite: no finite CI, but the CMH test is defined
        odds, lo, hi = (0.0 if num == 0 else math.inf), _NAN, _NAN
    else:
        odds = float(st.oddsratio_pooled)
        lo, hi = (float(x) for x in st.oddsratio_pooled_confint(alpha=1 - confidence))
    plain = float(st.test_null_odds(correction=False).statistic)
    corrected = float(st.test_null_odds(correction=True).statistic)
    if k >= 2 and 0 < odds < math.inf:
        with np.errstate(all="ignore"):  # degenerate strata give NaN, checked below
            bd_stat = float(st.test_equal_odds(adjust=True).statistic)
        bd_p = float(chi2.sf(bd_stat, k - 1))
    else:
        bd_stat, bd_p = _NAN, _NAN
    return MantelHaenszel(
        odds_ratio=odds,
        ci_low=lo,
        ci_high=hi,
        cmh_statistic=plain,
        cmh_p_value=float(chi2.sf(plain, 1)),
        cmh_statistic_corrected=corrected,
        cmh_p_value_corrected=float(chi2.sf(corrected, 1)),
        breslow_day_statistic=bd_stat,
        breslow_day_p_value=bd_p,
        n_strata=k,
    )
