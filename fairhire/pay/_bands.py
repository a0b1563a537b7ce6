"""Statutory building blocks shared by the UK and EU metrics: quartile pay bands with the
reg 13(2) tie rule, raw gaps, and publication rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError

__all__ = [
    "BAND_NAMES",
    "BAND_RULES",
    "BAND_SIZES",
    "publish",
    "quartile_bands",
    "raw_gap",
]

BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")
#: How runs of equal pay that straddle a band boundary are allocated.
BAND_RULES = ("pro_rata", "rank")
#: How n employees are divided into four bands when n is not a multiple of 4.
BAND_SIZES = ("lower_first", "upper_first", "fractional")


def publish(value: float, decimals: int) -> float:
    """Round half away from zero, as people (and the UK reporting service) expect."""
    if value is None or not np.isfinite(value):
        return float("nan")
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def raw_gap(reference: float, other: float) -> float:
    """(reference − other) / reference × 100; NaN when the reference is 0 or missing."""
    if not np.isfinite(reference) or not np.isfinite(other) or reference == 0:
        return float("nan")
    return (reference - other) / reference * 100.0


def mean_median_gap(
    values: np.ndarray, male: np.ndarray, female: np.ndarray | None = None
) -> tuple[float, float]:
    """Mean and median gaps (% of men's pay) between the ``male`` and ``female`` rows.

    ``female`` defaults to ``~male``. NaN for both when either side has no rows.
    """
    men = values[male]
    women = values[~male if female is None else female]
    if len(men) == 0 or len(women) == 0:
        return float("nan"), float("nan")
    return (
        raw_gap(float(men.mean()), float(women.mean())),
        raw_gap(float(np.median(men)), float(np.median(women))),
    )


def _boundaries(n: int, band_sizes: str) -> np.ndarray:
    """Rank positions cutting n employees into four bands (reg 13(1) Step 2): five edges.

    Shared with :func:`fairhire._engine_stats.quartile_bands`, so both agree on the sizes.
    """
    if band_sizes == "fractional":
        return np.arange(5) * (n / 4.0)
    base, extra = divmod(n, 4)
    sizes = np.full(4, base)
    if band_sizes == "lower_first":
        sizes[:extra] += 1
    else:
        sizes[4 - extra :] += 1
    return np.concatenate([[0], np.cumsum(sizes)]).astype(float)


def quartile_bands(
    pay: np.ndarray,
    is_male: np.ndarray,
    *,
    band_rule: str = "pro_rata",
    band_sizes: str = "lower_first",
) -> pd.DataFrame:
    """Men and women in four pay bands of (so far as possible) equal headcount.

    Employees are ranked by pay and the ranked list is cut into four sections (not at quantile
    cut-points of the pay values). With ``band_rule="pro_rata"`` (SI 2017/172 reg 13(2)), a run
    of equal pay that straddles a boundary contributes to each band it spans in proportion to
    the band's share of the run, so its male/female proportion is the same in each band (counts
    can then be fractional). ``band_rule="rank"`` cuts the list where it falls, ties in input
    order (not compliant with reg 13(2); offered to compare with payroll software).

    ``band_sizes`` decides where the remainder goes when the headcount is not a multiple of 4:
    ``"lower_first"`` (9 employees → 3, 2, 2, 2), ``"upper_first"`` (2, 2, 2, 3) or
    ``"fractional"`` (exactly n/4 in each band, employees at a boundary split pro rata).

    Returns
    -------
    pandas.DataFrame
        ``band``, ``employees``, ``men``, ``women``, ``male_pct``, ``female_pct``,
        ``min_pay``, ``max_pay``.

    Examples
    --------
    >>> import numpy as np
    >>> pay = np.array([10, 12, 15, 20, 10, 12, 12, 18.0])
    >>> male = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    >>> quartile_bands(pay, male)["male_pct"].round(2).tolist()
    [50.0, 33.33, 66.67, 50.0]
    """
    if band_rule not in BAND_RULES:
        raise InvalidParameterError(
            f"band_rule={band_rule!r} is not supported; use 'pro_rata' (reg 13(2)) or 'rank'."
        )
    if band_sizes not in BAND_SIZES:
        raise InvalidParameterError(
            f"band_sizes={band_sizes!r} is not supported; use one of {', '.join(BAND_SIZES)}."
        )
    pay = np.asarray(pay, dtype=np.float64)
    male = np.asarray(is_male, dtype=bool)
    n = pay.shape[0]
    bounds = _boundaries(n, band_sizes)
    order = np.argsort(pay, kind="stable")
    sorted_pay = pay[order]
    sorted_male = male[order].astype(np.float64)
    if band_rule == "pro_rata":
        # runs of equal pay: [start, end) in rank positions, with their male count
        starts = np.flatnonzero(np.r_[True, sorted_pay[1:] != sorted_pay[:-1]]) if n else []
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.r_[starts[1:], n].astype(np.int64)
        cum_male = np.r_[0.0, np.cumsum(sorted_male)]
        run_men = cum_male[ends] - cum_male[starts]
        run_size = (ends - starts).astype(np.float64)
        run_pay = sorted_pay[starts] if n else np.empty(0)
    else:
        starts = np.arange(n)
        ends = starts + 1
        run_men = sorted_male
        run_size = np.ones(n)
        run_pay = sorted_pay
    rows = []
    for b in range(4):
        lo, hi = bounds[b], bounds[b + 1]
        overlap = np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0.0, None)
        share = overlap / np.where(run_size > 0, run_size, 1.0)
        men = float((share * run_men).sum())
        total = float(overlap.sum())
        women = total - men
        inside = overlap > 0
        rows.append(
            {
                "band": BAND_NAMES[b],
                "employees": total,
                "men": men,
                "women": women,
                "male_pct": men / total * 100 if total else float("nan"),
                "female_pct": women / total * 100 if total else float("nan"),
                "min_pay": float(run_pay[inside].min()) if inside.any() else float("nan"),
                "max_pay": float(run_pay[inside].max()) if inside.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows)
