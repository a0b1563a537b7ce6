"""Steps of :func:`fairhire.time_to_exit`: the time each person was observed, whether it
ended in an exit, their group and the cause, from durations or from hire and exit dates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.counting import clean_row_labels
from .._core.dates import read_date, read_dates
from .._core.flags import read_flags
from .._core.groups import sort_key
from .._core.ids import check_unique_row_ids
from .._core.numbers import require_numeric
from .._frames import to_narwhals
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview
from ..stats.survival import observation_order
from ._counts import ExitKinds

__all__ = ["DAYS_PER", "Observed", "observe"]

DAYS_PER = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12, "years": 365.25}


@dataclass
class Observed:
    """The usable rows: time observed, exit (1/0), group label and cause of exit per person."""

    t: np.ndarray
    e: np.ndarray
    g: np.ndarray
    c: np.ndarray | None
    groups: list[str]
    rows: RowAccount
    warnings: list[str]


def observe(df: pd.DataFrame, group_cols: list[str], *, duration: str | None,
            event: str | None, cause: str | None, hire_date: str | None,
            exit_date: str | None, as_of: Any, time_unit: str, kinds: ExitKinds,
            unknown_labels: Sequence[Any], ids: str | None = None) -> Observed:
    """Read times, exits, groups and causes; count every excluded row. With ``ids`` (an id
    column), an id on two rows whose time and exit are known is an error."""
    total = len(df)
    if total == 0:
        raise InsufficientDataError("the data have no rows: nothing to analyse.")
    warnings: list[str] = []
    excluded: dict[str, int] = {}
    if duration is None:
        t, e = _from_dates(df, hire_date, exit_date, event, as_of, time_unit, excluded, warnings)
    else:
        if event is None:
            raise InvalidParameterError("duration= needs event= (left or still employed).")
        t, e = _from_duration(df, duration, event, excluded, warnings)
    if ids is not None:
        check_unique_row_ids(df, ids, ~np.isnan(t), analysis="time_to_exit")
    labels, cleaning_warnings = clean_row_labels(df, group_cols, group_cols, unknown_labels)
    warnings.extend(cleaning_warnings)
    miss_g = labels.isna().to_numpy() & ~np.isnan(t)
    if miss_g.any():
        excluded["missing group"] = int(miss_g.sum())
        warnings.append(f"{int(miss_g.sum()):,} employees have a missing group: excluded.")
    keep = ~np.isnan(t) & ~miss_g
    rows = RowAccount(total=total, used=int(keep.sum()), excluded=excluded)
    t, e, g = t[keep], e[keep].astype(np.int64), labels[keep].to_numpy(dtype=object)
    c = _causes(df, cause, kinds, e, keep, warnings)
    # one order for the same people however the rows came: the Cox fit's sums (and so its
    # last digits, the table and the fingerprint) would otherwise follow the row order
    order = observation_order(t, e, g, c)
    t, e, g = t[order], e[order], g[order]
    c = None if c is None else c[order]
    groups = sorted(set(g.tolist()), key=sort_key)
    if len(groups) < 2 or int(e.sum()) == 0:
        raise InsufficientDataError(
            f"time to exit needs at least two groups and some exits; found groups "
            f"{preview(groups)} and {int(e.sum()):,} exits in {t.size:,} usable rows."
        )
    return Observed(t=t, e=e, g=g, c=c, groups=groups, rows=rows, warnings=warnings)


def _from_duration(df: pd.DataFrame, duration: str, event: str, excluded: dict[str, int],
                   warnings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    require_numeric(to_narwhals(df[[duration]]), duration, argument="duration",
                    meaning="time employed, e.g. months",
                    fix="time employed can also come from hire_date= and exit_date=")
    t = df[duration].to_numpy(dtype=float)
    bad = ~np.isnan(t) & ((t < 0) | ~np.isfinite(t))
    if bad.any():
        raise InvalidValueError(
            f"column {duration!r} (duration) holds negative or infinite values "
            f"{preview(sorted(set(t[bad].tolist())))} in {int(bad.sum()):,} rows: time "
            "employed cannot be negative. Check the dates it was computed from."
        )
    flags = read_flags(df[event], column=event, argument="event")
    return _drop_missing(t, flags.flags, flags.missing, duration, event, excluded, warnings)


def _drop_missing(t: np.ndarray, e: np.ndarray, e_missing: np.ndarray, duration: str, event: str,
                  excluded: dict[str, int], warnings: list[str],
                  counted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Count rows missing the duration or the event (``counted``: already excluded)."""
    miss_t = np.isnan(t) & (True if counted is None else ~counted)
    miss_e = e_missing & ~miss_t
    for reason, mask in ((f"missing {duration}", miss_t), (f"missing {event}", miss_e)):
        if mask.any():
            excluded[reason] = int(mask.sum())
            warnings.append(f"{int(mask.sum()):,} rows excluded ({reason}).")
    t = np.where(miss_e, np.nan, t)
    return t, e.astype(float)


def _from_dates(df: pd.DataFrame, hire_date: str | None, exit_date: str | None,
                event: str | None, as_of: Any, time_unit: str, excluded: dict[str, int],
                warnings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    if hire_date is None or exit_date is None or as_of is None:
        raise InvalidParameterError(
            "dates need hire_date=, exit_date= and as_of= (the snapshot date at which those "
            "without an exit date were still employed)."
        )
    snapshot = read_date(as_of, "as_of")
    start, note_start = read_dates(df[hire_date], hire_date, argument="hire_date")
    end, note_end = read_dates(df[exit_date], exit_date, argument="exit_date")
    warnings.extend(note for note in (note_start, note_end) if note)
    backwards = (end < start).fillna(False).to_numpy()
    if backwards.any():
        raise InvalidValueError(
            f"column {exit_date!r} (exit_date) is before {hire_date!r} (hire_date) in "
            f"{int(backwards.sum()):,} rows (e.g. row {int(np.flatnonzero(backwards)[0])}). "
            "Correct those dates: no one leaves before they join."
        )
    late = (end > snapshot).fillna(False).to_numpy()
    if late.any():
        warnings.append(f"{int(late.sum()):,} exits fall after as_of={snapshot.date()}: "
                        "counted as still employed on that date.")
    future = (start > snapshot).fillna(False).to_numpy()
    left = end.notna().to_numpy() & ~late
    stop = end.where(left, snapshot)
    t = ((stop - start).dt.days.to_numpy(dtype=float)) / DAYS_PER[time_unit]
    e = left.copy()
    e_missing = np.zeros(len(df), dtype=bool)
    if event is not None:
        flags = read_flags(df[event], column=event, argument="event")
        disagree = ~flags.missing & (flags.flags != (end.notna().to_numpy()))
        if disagree.any():
            warnings.append(f"{int(disagree.sum()):,} rows have {event!r} disagreeing with "
                            f"{exit_date!r}; the exit date was used.")
    t = np.where(future, np.nan, t)
    if future.any():
        excluded[f"hired after {snapshot.date()}"] = int(future.sum())
        warnings.append(f"{int(future.sum()):,} employees were hired after as_of: excluded.")
    return _drop_missing(t, e, e_missing, hire_date, exit_date, excluded, warnings,
                         counted=future)


def _causes(df: pd.DataFrame, cause: str | None, kinds: ExitKinds, e: np.ndarray,
            keep: np.ndarray, warnings: list[str]) -> np.ndarray | None:
    if cause is None:
        return None
    kind = df[cause].map(kinds.kind).to_numpy(dtype=object)[keep]
    no_cause = (e == 1) & pd.isna(pd.Series(kind)).to_numpy()
    if no_cause.any():
        warnings.append(f"{int(no_cause.sum()):,} exits have no {cause!r}: counted as cause "
                        "'unknown'.")
    # a reason without an exit (a future-dated termination, a stale field) is not a cause:
    # the person was employed at the end of follow-up, so say it was not used
    stray = (e == 0) & pd.notna(pd.Series(kind)).to_numpy()
    if stray.any():
        warnings.append(f"{int(stray.sum()):,} rows have a {cause!r} but no exit by the end of "
                        "follow-up: counted as still employed, their reason not used.")
    kind = np.where(no_cause, "unknown", kind)
    return np.where(e == 1, kind, None)
