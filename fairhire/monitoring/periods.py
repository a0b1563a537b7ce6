"""Reading the period column: calendar buckets of dates, or period labels in their order.

Two kinds of period column:

- **dates** with ``freq=`` ("M", "Q" or "Y", as in pandas): a date or datetime column, or text
  holding ISO 8601 dates ("2025-03-14"). Dates are bucketed into months ("2025-03"), quarters
  ("2025-Q1") or years ("2025"); periods are numbered by calendar position, so a quarter with
  no data leaves a gap in the numbers rather than shifting the later ones.
- **labels** without ``freq=``: the values are the periods, kept as given. Their order is
  ``period_order=`` when given, else the categories of an ordered categorical, else, for
  labels that all name calendar quarters, half-years, months or years ("Q1 2025",
  "2025-Q1", "Jan 2025", 2025; :mod:`~fairhire._core.calendar`), calendar order with
  calendar numbers (gaps kept, as for dates), else natural order (numbers by value, text by
  its digits as numbers: "FY9" before "FY10"). Text labels are cleaned by the shared label
  rule (trimmed; case and space variants merged, with a warning). Full dates without
  ``freq=`` are refused, as a date column is.

Only the year and month of a date column are read in the data's engine; everything else works
on the small table of distinct values. Missing values (:mod:`fairhire._core.missing`) are a
period of their own that the analysis counts and excludes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.calendar import calendar_positions, calendar_unit, is_full_date, odd_ones_out
from .._core.dates import date_format, date_text, not_dates, serial_dates
from .._core.labels import clean_labels
from .._core.missing import is_missing
from .._core.params import check_choice
from .._core.strata import stratum_order
from .._frames import Frame, collect_pandas, is_lazy, schema
from ..errors import InvalidParameterError, InvalidValueError, preview

__all__ = ["FREQS", "PeriodColumn", "PeriodLabels", "far_periods", "label_periods",
           "read_period_column"]

#: freq= values and the words used for them in sentences.
FREQS = {"M": "month", "Q": "quarter", "Y": "year"}
#: How an error asks for freq= (the command line says --freq Q).
_FREQ_ADVICE = ("freq='M' (months), freq='Q' (quarters) or freq='Y' (years) to group them "
                "into periods.")
_FREQ_ALIASES = {"ME": "M", "MS": "M", "QE": "Q", "QS": "Q", "YE": "Y", "YS": "Y", "A": "Y"}


@dataclass(frozen=True)
class PeriodColumn:
    """How the period column is read: ``kind`` is "date" (a date/datetime column), "text-date"
    (ISO dates in text, parsed on distinct values) or "label"; ``keys`` are the (internal)
    columns the engine groups by: the column itself, or a date column's year and month."""

    column: str
    freq: str | None
    kind: str
    keys: tuple[str, ...]
    exprs: tuple[Any, ...] = ()
    categories: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class PeriodLabels:
    """The period of every row of a grouped table, and the periods in order."""

    labels: pd.Series  # one label per row of the grouped table; None where missing
    order: tuple[Any, ...]  # periods in order
    numbers: dict[Any, int]  # period -> number used by the trend (0 for the first)
    warnings: list[str] = field(default_factory=list)
    unit: str | None = None  # "M", "Q", "Y": the length of labelled calendar periods


def _is_temporal(dtype: Any) -> bool:
    return dtype == nw.Date or dtype == nw.Datetime


def read_period_column(
    frame: Frame, column: str, freq: Any, *, source: str, year_name: str, month_name: str
) -> PeriodColumn:
    """Check the period column against ``freq`` and say how to group by it in the engine.

    ``column`` is the user's name (checked in ``frame``, named in messages); ``source`` is its
    name in the working frame the expressions run on.

    Raises
    ------
    InvalidParameterError
        ``freq`` on a column that holds neither dates nor text, or a date column without
        ``freq``.
    """
    dtype = schema(frame)[column]
    if freq is not None:
        text = freq.upper() if isinstance(freq, str) else freq
        freq = check_choice(text, "freq", list(FREQS), aliases=_FREQ_ALIASES)
    if _is_temporal(dtype):
        if freq is None:
            raise InvalidParameterError(
                f"column {column!r} (passed as period=) holds dates; pass {_FREQ_ADVICE}"
            )
        year = nw.col(source).dt.year().alias(year_name)
        month = nw.col(source).dt.month().alias(month_name)
        exprs = (year, month)
        return PeriodColumn(column, freq, "date", (year_name, month_name), exprs)
    if freq is not None:
        if not any(dtype == t for t in (nw.String, nw.Object, nw.Categorical, nw.Enum)):
            raise InvalidParameterError(
                f"freq={freq!r} groups dates into periods, but column {column!r} (passed as "
                f"period=) has type {dtype}, not dates."
                f"{serial_dates(_some_values(frame, column)) or _AS_LABELS}"
            )
        return PeriodColumn(column, freq, "text-date", (source,))
    categories = tuple(dtype.categories) if dtype == nw.Enum else None
    return PeriodColumn(column, None, "label", (source,), categories=categories)


_AS_LABELS = " Leave out freq= to use its values as period labels, or pass a date column."


def _some_values(frame: Frame, column: str) -> list[Any]:
    """A few known values of ``column`` (for an error message)."""
    return collect_pandas(frame.select(column).drop_nulls().head(50))[column].tolist()


def _refuse_serials(present: list[Any], column: str) -> None:
    """Spreadsheet serial dates (45658 for 2025-01-01) are days, not period labels: read as
    labels, each day was a period of its own and most periods had one group, left out."""
    hint = serial_dates(present)
    if hint:
        raise InvalidParameterError(
            f"column {column!r} (passed as period=) holds numbers, not period labels or "
            f"dates.{hint} Then pass {_FREQ_ADVICE} If they are period labels, pass "
            "period_order= with them in time order."
        )


def _date_label(year: int, month: int, freq: str) -> tuple[str, int]:
    if freq == "M":
        return f"{year}-{month:02d}", year * 12 + month - 1
    if freq == "Q":
        quarter = (month - 1) // 3 + 1
        return f"{year}-Q{quarter}", year * 4 + quarter - 1
    return f"{year}", year


def _rows_holding(frame: Frame, column: str, values: list[Any]) -> str:
    """' at rows 3, 17 (...)' for an eager frame; '' for a lazy one (rows have no order)."""
    if is_lazy(frame):
        return ""
    name = "__fh_row"
    while name in schema(frame):
        name += "_"
    found = collect_pandas(
        frame.with_row_index(name).filter(nw.col(column).is_in(values)).select(name).head(5)
    )[name].tolist()
    if not found:
        return ""
    return (
        f" at rows {', '.join(str(int(r)) for r in found)}"
        f"{' ...' if len(found) == 5 else ''} (positions counted from 0, as in df.iloc; in a "
        "CSV file with a header line, add 2 for the line number)"
    )


def _parse_dates(
    values: list[Any], counts: list[int], column: str, freq: str, frame: Frame,
    warnings: list[str],
) -> dict[Any, tuple[str, int]]:
    known = [v for v in values if not is_missing(v)]
    text = date_text(pd.Series([str(v) for v in known], dtype=object))
    undated = set(not_dates(text))
    bad = [v for v, t in zip(known, text, strict=True) if t in undated]
    if bad and len(bad) == len(known):
        raise InvalidParameterError(
            f"freq={freq!r} groups dates into periods, but column {column!r} (passed as "
            f"period=) holds text that is not dates, e.g. {preview(bad)}. Leave out freq= to "
            "use its values as period labels, or pass a column of dates."
        )
    if bad:
        rows = sum(c for v, c in zip(values, counts, strict=True) if v in set(bad))
        raise InvalidValueError(
            f"column {column!r} (passed as period=) holds values that are not dates: "
            f"{preview(sorted(map(str, bad)))} in {rows:,} rows{_rows_holding(frame, column, bad)}."
            " Write dates as YYYY-MM-DD (ISO 8601), convert the column with "
            "pandas.to_datetime(..., format=...), or leave unknown dates empty: empty values "
            "are counted as missing and reported."
        )
    # every value is a date: ISO 8601 or the one day-and-month order that reads them all (the
    # core refuses a column that reads both ways, or mixes ways, and says why)
    weights = [c for v, c in zip(values, counts, strict=True) if not is_missing(v)]
    fmt, note = date_format(text, weights, f"column {column!r} (passed as period=)")
    if note:
        warnings.append(note)
    parsed = pd.to_datetime(text, format=fmt)
    return {v: _date_label(d.year, d.month, freq) for v, d in zip(known, parsed, strict=True)}


def _renumber(pairs: dict[Any, int]) -> tuple[tuple[Any, ...], dict[Any, int]]:
    order = tuple(sorted(pairs, key=pairs.__getitem__))
    first = pairs[order[0]] if order else 0
    return order, {p: pairs[p] - first for p in order}


def _label_order(
    present: list[Any], spec: PeriodColumn, period_order: Sequence[Any] | None,
    warnings: list[str],
) -> tuple[tuple[Any, ...], dict[Any, int]]:
    """The periods in order and their numbers: calendar positions for labels that name
    calendar periods (unless an order is given), else 0, 1, 2, ... in order."""
    positions = calendar_positions(present, spec.column) if period_order is None else None
    if positions is not None and spec.categories is None:
        return _renumber(positions)
    order = _given_order(present, spec, period_order)
    odd = odd_ones_out(present) if period_order is None and spec.categories is None else []
    if odd:
        warnings.append(
            f"column {spec.column!r} (passed as period=) names calendar periods except "
            f"{preview(sorted(map(str, odd)))}, so its periods are in text order "
            f"({', '.join(map(str, order[:12]))}{', ...' if len(order) > 12 else ''}). Correct "
            "those labels, or pass period_order= with "
            "the periods in time order."
        )
    if positions is not None and list(order) != sorted(order, key=positions.__getitem__):
        # an ordered categorical made without categories= is in text order: say so
        calendar = sorted(order, key=positions.__getitem__)
        wrong = next(p for p, q in zip(order, calendar, strict=True) if p != q)
        warnings.append(
            f"the ordered categories of column {spec.column!r} (passed as period=) are not in "
            f"calendar order ({', '.join(map(str, order))}; {wrong} is out of place). Periods "
            "follow the categories as given; pass period_order= with the periods in time order "
            "if that is not it."
        )
    return order, {p: i for i, p in enumerate(order)}


def _given_order(
    present: list[Any], spec: PeriodColumn, period_order: Sequence[Any] | None
) -> tuple[Any, ...]:
    if period_order is not None:
        given = list(period_order)
        missing = [p for p in present if p not in given and str(p) not in map(str, given)]
        if missing:
            raise InvalidValueError(
                f"column {spec.column!r} (passed as period=) holds periods not in "
                f"period_order: {preview(missing)}. Add them to period_order in time order."
            )
        rank = {str(p): i for i, p in enumerate(given)}
        return tuple(sorted(present, key=lambda p: rank[str(p)]))
    if spec.categories is not None:
        rank = {c: i for i, c in enumerate(spec.categories)}
        return tuple(sorted(present, key=lambda p: (rank.get(p, len(rank)), stratum_order(p))))
    return tuple(sorted(present, key=stratum_order))


def _refuse_days(present: list[Any], column: str) -> None:
    """Days are not periods: a column of dates (as text, or date objects in an object column)
    without ``freq=`` is refused as a date column is, not ordered as text (day-first text
    would put 15/01/2025 before 15/04/2024) with every day a period of its own."""
    if present and all(is_full_date(p) for p in present):
        raise InvalidParameterError(
            f"column {column!r} (passed as period=) holds dates (e.g. {preview(present[:2])}), "
            f"not period labels; pass {_FREQ_ADVICE}"
        )


def _distinct(table: pd.DataFrame, column: str, weight: str) -> pd.Series:
    """Rows per distinct value of ``column`` (missing values included)."""
    return table.groupby(table[column].astype(object), dropna=False, sort=False)[weight].sum()


def label_periods(
    table: pd.DataFrame,
    spec: PeriodColumn,
    *,
    weight: str,
    frame: Frame,
    period_order: Sequence[Any] | None = None,
) -> PeriodLabels:
    """Label every row of the grouped ``table`` with its period, and order the periods.

    ``weight`` is the table's column of row counts (to count missing periods and choose the
    spelling of merged labels).
    """
    warnings: list[str] = []
    if spec.kind == "date":
        years, months = table[spec.keys[0]], table[spec.keys[1]]
        cells = {}
        for y, m in zip(years.tolist(), months.tolist(), strict=True):
            if not (is_missing(y) or is_missing(m)):
                cells[(y, m)] = _date_label(int(y), int(m), spec.freq)
        pairs = zip(years.tolist(), months.tolist(), strict=True)
        labels = [cells.get((y, m), (None, 0))[0] for y, m in pairs]
        order, numbers = _renumber(dict(cells.values()))
    elif spec.kind == "text-date":
        distinct = _distinct(table, spec.keys[0], weight)
        values = distinct.index.tolist()
        read = _parse_dates(values, distinct.tolist(), spec.column, spec.freq, frame, warnings)
        raw = table[spec.keys[0]].astype(object).tolist()
        labels = [None if is_missing(v) else read[v][0] for v in raw]
        order, numbers = _renumber(dict(read.values()))
    else:
        distinct = _distinct(table, spec.keys[0], weight)
        cleaning = clean_labels(distinct.index.tolist(), distinct.tolist(), column=spec.column,
                                groups=False)
        warnings.extend(cleaning.warnings())
        labels = [cleaning.get(v) for v in table[spec.keys[0]].astype(object).tolist()]
        present = list(dict.fromkeys(v for v in labels if v is not None))
        _refuse_days(present, spec.column)
        if period_order is None and spec.categories is None:
            _refuse_serials(present, spec.column)
        order, numbers = _label_order(present, spec, period_order, warnings)
    series = pd.Series(labels, index=table.index, dtype=object)
    unit = None
    if spec.kind == "label" and period_order is None and spec.categories is None:
        unit = calendar_unit(order)  # numbered by calendar: say "a quarter", as for dates
    return PeriodLabels(labels=series, order=order, numbers=numbers, warnings=warnings,
                        unit=unit if unit in FREQS else None)


def far_periods(order: Sequence[Any], numbers: dict[Any, int], column: str,
                freq: str | None) -> list[str]:
    """A warning when some periods lie further from the rest of the run than the run is long
    (an application dated 2052 for 2025, a placeholder date of 1900): the trend counts the
    empty periods between as time passed, so those few periods set its slope. A run of two
    periods has no slope to set; a gap shorter than the run (a hiring freeze) is not said.

    >>> far_periods(["2024-Q1", "2024-Q2", "2024-Q3", "2052-Q1"],
    ...             {"2024-Q1": 0, "2024-Q2": 1, "2024-Q3": 2, "2052-Q1": 112}, "at", "Q")[0][:64]
    "column 'at' (passed as period=): 2052-Q1 lies 109 quarters after"
    """
    if len(order) < 3:
        return []
    ranked = sorted(order, key=numbers.__getitem__)
    gaps = [numbers[b] - numbers[a] - 1 for a, b in pairwise(ranked)]
    at = max(range(len(gaps)), key=gaps.__getitem__)
    if gaps[at] <= len(order):
        return []
    before, after = ranked[: at + 1], ranked[at + 1:]
    later = len(after) <= len(before)
    far, rest = (after, before) if later else (before, after)
    unit = FREQS.get(freq or "")
    # a number of months, quarters or years is no count of people (min_cell leaves it)
    span = f"{gaps[at]:,} {unit}s" if unit else "long"
    many = len(far) > 1
    return [
        f"column {column!r} (passed as period=): {', '.join(map(str, far))} "
        f"{'lie' if many else 'lies'} {span} {'after' if later else 'before'} the rest of the "
        f"run ({rest[0]} to {rest[-1]}): the trends count the {unit + 's' if unit else 'periods'}"
        f" between as time that passed, so {'these periods set' if many else 'this period sets'}"
        " the trends' slopes more than all the others. If those dates are typos (2052 for "
        "2025), correct them; otherwise leave those rows out to see the trends of the rest."
    ]
