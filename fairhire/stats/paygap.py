"""Pure pay-gap statistics: raw gaps, publication rounding and quartile pay bands.

Both users of the pay bands reach them here: the statutory metrics (:mod:`fairhire.pay.uk`,
:mod:`fairhire.pay.eu`) and the engine statistics (:mod:`fairhire._engine_stats`), which rank
the pay in the data's own engine and hand the *runs* of equal pay to :func:`band_table`.

- :func:`raw_gap` — (reference − other) / reference × 100 (SI 2017/172 regs 8–11; Directive
  2023/970 Art. 3(1)(c)).
- :func:`publish` — round half away from zero, as the UK reporting service does.
- :func:`band_boundaries` — the rank positions that cut n employees into four sections of (so
  far as possible) equal headcount (SI 2017/172 reg 13(1) Step 2).
- :func:`ranked_runs` and :func:`band_table` — the employees of each band: a run of equal pay
  that straddles a boundary is shared pro rata between the bands it spans, so its male/female
  proportion is the same in each (reg 13(2)).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

__all__ = [
    "BAND_COLUMNS",
    "BAND_NAMES",
    "BAND_RULES",
    "BAND_SIZES",
    "Runs",
    "band_boundaries",
    "band_table",
    "publish",
    "ranked_runs",
    "raw_gap",
]

BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")
#: How runs of equal pay that straddle a band boundary are allocated.
BAND_RULES = ("pro_rata", "rank")
#: How n employees are divided into four bands when n is not a multiple of 4.
BAND_SIZES = ("lower_first", "upper_first", "fractional")
#: Columns of :func:`band_table`.
BAND_COLUMNS = ("band", "employees", "men", "women", "male_pct", "female_pct", "min_pay", "max_pay")


def raw_gap(reference: float, other: float) -> float:
    """(reference − other) / reference × 100; NaN when the reference is 0 or not finite.

    Examples
    --------
    >>> round(raw_gap(14.25, 13.0), 4), raw_gap(0.0, 1.0)
    (8.7719, nan)
    """
    if not np.isfinite(reference) or not np.isfinite(other) or reference == 0:
        return float("nan")
    return (reference - other) / reference * 100.0


def publish(value: float | None, decimals: int) -> float:
    """Round half away from zero, as people (and the UK reporting service) expect.

    Examples
    --------
    >>> publish(2.25, 1), publish(-2.25, 1), publish(8.77193, 1)
    (2.3, -2.3, 8.8)
    """
    if value is None or not np.isfinite(value):
        return float("nan")
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def band_boundaries(n: int, band_sizes: str = "lower_first") -> np.ndarray:
    """Five rank positions cutting n employees into four bands (reg 13(1) Step 2).

    ``"lower_first"`` puts the remainder in the lower bands (9 employees → 3, 2, 2, 2),
    ``"upper_first"`` in the upper ones (2, 2, 2, 3), ``"fractional"`` gives every band exactly
    n/4 (an employee at a boundary is then split pro rata).

    Examples
    --------
    >>> band_boundaries(9).tolist(), band_boundaries(9, "fractional").tolist()
    ([0.0, 3.0, 5.0, 7.0, 9.0], [0.0, 2.25, 4.5, 6.75, 9.0])
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


@dataclass(frozen=True)
class Runs:
    """Consecutive sections of the ranked pay list: rank positions ``[start, end)``, the men in
    each, and the lowest and highest pay in it. A section is a run of equal pay, one employee,
    or (from an engine) all the runs that lie inside one band; :func:`band_table` treats them
    alike."""

    start: np.ndarray
    end: np.ndarray
    men: np.ndarray
    min_pay: np.ndarray
    max_pay: np.ndarray


def ranked_runs(pay: np.ndarray, is_male: np.ndarray, *, band_rule: str = "pro_rata") -> Runs:
    """Rank employees by pay and cut the list into runs: runs of equal pay (``"pro_rata"``,
    reg 13(2)), or single employees with ties in input order (``"rank"``).

    Examples
    --------
    >>> r = ranked_runs(np.array([12.0, 10.0, 12.0]), np.array([True, False, False]))
    >>> r.start.tolist(), r.end.tolist(), r.men.tolist()
    ([0.0, 1.0], [1.0, 3.0], [0.0, 1.0])
    """
    pay = np.asarray(pay, dtype=np.float64)
    male = np.asarray(is_male, dtype=bool)
    n = pay.shape[0]
    order = np.argsort(pay, kind="stable")
    sorted_pay = pay[order]
    sorted_male = male[order].astype(np.float64)
    if band_rule == "rank" or n == 0:
        starts = np.arange(n, dtype=np.float64)
        return Runs(starts, starts + 1, sorted_male, sorted_pay, sorted_pay)
    first = np.flatnonzero(np.r_[True, sorted_pay[1:] != sorted_pay[:-1]])
    ends = np.r_[first[1:], n]
    cum_male = np.r_[0.0, np.cumsum(sorted_male)]
    return Runs(
        start=first.astype(np.float64),
        end=ends.astype(np.float64),
        men=cum_male[ends] - cum_male[first],
        min_pay=sorted_pay[first],
        max_pay=sorted_pay[first],
    )


def band_table(runs: Runs, bounds: np.ndarray) -> pd.DataFrame:
    """Men and women in each of the four bands cut at ``bounds`` (:func:`band_boundaries`).

    A run overlapping a band contributes the overlap, with the run's male share (reg 13(2));
    counts are fractional only where a run is split. Returns the columns
    :data:`BAND_COLUMNS`.

    Examples
    --------
    The hand-checkable example of METHODS.md: the 12.00 run (one man, two women) spans bands
    2 and 3.

    >>> pay = np.array([10, 12, 15, 20, 10, 12, 12, 18.0])
    >>> male = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    >>> band_table(ranked_runs(pay, male), band_boundaries(8))["male_pct"].round(2).tolist()
    [50.0, 33.33, 66.67, 50.0]
    """
    size = runs.end - runs.start
    rows = []
    for b in range(4):
        lo, hi = bounds[b], bounds[b + 1]
        overlap = np.clip(np.minimum(runs.end, hi) - np.maximum(runs.start, lo), 0.0, None)
        share = overlap / np.where(size > 0, size, 1.0)
        men = float((share * runs.men).sum())
        total = float(overlap.sum())
        inside = overlap > 0
        rows.append(
            {
                "band": BAND_NAMES[b],
                "employees": total,
                "men": men,
                "women": total - men,
                "male_pct": men / total * 100 if total else float("nan"),
                "female_pct": (total - men) / total * 100 if total else float("nan"),
                "min_pay": float(runs.min_pay[inside].min()) if inside.any() else float("nan"),
                "max_pay": float(runs.max_pay[inside].max()) if inside.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=list(BAND_COLUMNS))
