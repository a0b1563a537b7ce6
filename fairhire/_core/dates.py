"""What a date is: how a column of dates written as text is read.

Dates stored as dates are taken as they are. Dates written as text are read as ISO 8601
(``2024-03-31``) or, when every value of the column can be read in exactly one of the common
day-and-month orders, in that order: ``31/03/2024`` (day first: UK, EU) or ``03/31/2024``
(month first: US), with ``/``, ``.`` or ``-`` between the parts, and optionally a time of day
(``31/03/2024 14:05`` or ``14:05:59``, or on a 12-hour clock as Excel and Workday write US
dates: ``7/23/2025 12:00:00 AM``, ``7/23/2025 1:05 PM``). A column whose values read
both ways (no day above 12) is refused instead of guessed: read the wrong way round, a hire
date moves by months and every tenure with it. Guessing from the first value, as
:func:`pandas.to_datetime` does, misreads such a column silently.

A month written in English words (``13-May-2021``, ``13 May 2021``, ``May 13, 2021``; full
names or three-letter abbreviations, any case) leaves no order to guess, so such a column is
read whatever its days. A year of two digits (``13-May-21``) is refused with its own reason:
'21' is 2021 in a hire date but may be 1921 in a date of birth, and the data cannot say which.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, InvalidValueError, preview
from .missing import missing_mask

__all__ = ["date_format", "date_text", "not_dates", "read_date", "read_dates", "serial_dates"]

#: Day-and-month orders tried after ISO 8601, with how a sentence names them; then the month
#: in words (abbreviated, or in full: two formats of one name, since "May" is both).
_DATES = {
    f"%d{sep}%m{sep}%Y": f"day{sep}month{sep}year" for sep in "/.-"
} | {f"%m{sep}%d{sep}%Y": f"month{sep}day{sep}year" for sep in "/.-"} | {
    fmt.replace("%b", month): f"{name} (month in words)"
    for fmt, name in (("%d-%b-%Y", "day-month-year"), ("%d %b %Y", "day month year"),
                      ("%b %d, %Y", "month day, year"))
    for month in ("%b", "%B")
}
#: Each also with the time of day spreadsheets add ("31/03/2024 14:05"; "7/23/2025 12:00:00
#: AM" from Excel and Workday in the US), which is read and kept.
_CLOCKS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
ORDERS = _DATES | {f"{fmt} {clock}": (name[:-1] + ", with times)" if name.endswith(")")
                                      else f"{name} (with times)")
                   for fmt, name in _DATES.items() for clock in _CLOCKS}


#: "Sept": September as some exports abbreviate it ("13 Sept 2021"); strptime knows "Sep"
_SEPT = re.compile(r"(?<![A-Za-z])(?i:sept)(?![A-Za-z])")


#: The UTC offset after an ISO 8601 time ("2025-03-31T23:30:00-04:00", "...Z"): dropped, so
#: the date is the one written. An export from a place with summer time mixes two offsets
#: (-05:00 and -04:00), which pandas refuses to read as one column ("Mixed timezones"), and
#: one offset gave dates with a time zone that the readers could not store.
_OFFSET = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*"
                     r"(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)


def date_text(values: pd.Series) -> pd.Series:
    """Date text as every reader of dates reads it: stripped, "Sept" as "Sep", and an ISO
    time's UTC offset dropped (the date and time as written where they were recorded).

    Examples
    --------
    >>> date_text(pd.Series([" 13 Sept 2021", "13-SEPT-2021", "September 3, 2021"])).tolist()
    ['13 Sep 2021', '13-Sep-2021', 'September 3, 2021']
    >>> date_text(pd.Series(["2025-03-31T23:30:00-04:00", "2025-01-02T08:00:00Z"])).tolist()
    ['2025-03-31T23:30:00', '2025-01-02T08:00:00']
    """
    text = values.astype(str).str.strip().str.replace(_SEPT, "Sep", regex=True)
    return text.str.replace(_OFFSET, r"\1", regex=True)


def read_dates(values: pd.Series, column: str, *, argument: str) -> tuple[pd.Series, str]:
    """The dates of a column, and a note on how text was read ("" for ISO or real dates).

    Missing values (blank, None, NaN) stay missing (``NaT``); the caller counts them.

    Examples
    --------
    >>> dates, note = read_dates(pd.Series(["31/03/2024", "01/02/2024"]), "hired",
    ...                          argument="hire_date")
    >>> [d.date().isoformat() for d in dates], note
    (['2024-03-31', '2024-02-01'], "column 'hired' (hire_date) read as day/month/year dates.")
    >>> read_dates(pd.Series(["01/02/2024", "03/04/2024"]), "hired", argument="hire_date")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: column 'hired' (hire_date) holds dates such as ...
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values, ""
    missing = pd.Series(missing_mask(values), index=values.index)
    known = values[~missing]
    if known.empty:  # no dates at all (nobody has left yet): every value missing
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]"), ""
    if not all(isinstance(v, str) for v in known):
        return _not_text(values, missing, column, argument), ""
    stripped = date_text(known)
    counts = stripped.value_counts(sort=False)
    text = pd.Series(counts.index, dtype=object)
    fmt, note = date_format(text, counts.tolist(), f"column {column!r} ({argument})")
    lookup = dict(zip(text, pd.to_datetime(text, format=fmt), strict=True))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    out[~missing] = stripped.map(lookup).astype("datetime64[ns]")
    return out, note


def date_format(text: pd.Series, counts: list[int], named: str) -> tuple[str, str]:
    """The one format that reads every distinct text ``text`` (``counts``: rows of each), and
    the note on it; an :class:`~fairhire.errors.InvalidValueError` if none or several do.

    Examples
    --------
    >>> date_format(pd.Series(["2024-03-31"]), [4], "column 'hired'")
    ('ISO8601', '')
    >>> date_format(pd.Series(["31/03/2024 14:05", "01/04/2024 09:00"]), [1, 1], "column 'at'")
    ('%d/%m/%Y %H:%M', "column 'at' read as day/month/year (with times) dates.")
    """
    if pd.to_datetime(text, format="ISO8601", errors="coerce").notna().all():
        return "ISO8601", ""
    fits = [f for f in _reading(text.iloc[0])
            if pd.to_datetime(text, format=f, errors="coerce").notna().all()]
    # formats of one name read alike ("%d %b %Y" and "%d %B %Y" both read "13 May 2021")
    names = list(dict.fromkeys(ORDERS[f] for f in fits))
    if len(names) == 1:
        return fits[0], f"{named} read as {names[0]} dates."
    fix = ("Write the dates as YYYY-MM-DD (ISO 8601), or convert the column first with "
           "pandas.to_datetime(..., format='%d/%m/%Y') (or the format your export uses).")
    if fits:
        raise InvalidValueError(
            f"{named} holds dates such as {preview(list(text[:3]))} that read both as "
            f"{' and as '.join(names)}: no day is above 12, so the order "
            f"cannot be told from the data. {fix}"
        )
    bad = not_dates(text)
    if not bad:
        raise InvalidValueError(
            f"{named} mixes ways of writing dates, e.g. {preview(list(text[:3]))}. {fix}"
        )
    rows = sum(n for v, n in zip(text, counts, strict=True) if v in set(bad))
    raise InvalidValueError(f"{named} holds values that are not dates: {preview(bad)} in "
                            f"{rows:,} rows.{_short_years(bad)} {fix}")


def _reading(first: str) -> list[str]:
    """The formats that may read ``first``, a value of the column: a format that fails on one
    value fits no column holding it, so only these few are tried on every value. The check
    is :meth:`datetime.strptime` (microseconds, against pandas' tenth of a millisecond per
    call), whose patterns pandas uses too; pandas only refuses more (years outside 1677-2262)."""

    def reads(fmt: str) -> bool:
        try:
            datetime.strptime(first, fmt)
        except ValueError:
            return False
        return True

    return [f for f in ORDERS if reads(f)]


def _short_years(bad: list[str]) -> str:
    """The reason dates with two-digit years ("13-May-21", "7/23/25") are refused, if some of
    ``bad`` are such dates; else ""."""
    short = pd.Series(bad, dtype=object)
    read = pd.Series(False, index=short.index)
    for fmt in ORDERS:
        read |= pd.to_datetime(short, format=fmt.replace("%Y", "%y"), errors="coerce").notna()
    if not read.any():
        return ""
    return (f" Dates such as {preview(short[read].tolist())} have two-digit years, which are "
            "not guessed: '21' is 2021 in a hire date but may be 1921 in a date of birth. "
            "Export the years with four digits.")


def not_dates(text: pd.Series) -> list[str]:
    """The texts that are a date in no format :func:`date_format` knows.

    Examples
    --------
    >>> not_dates(pd.Series(["2024-03-31", "31/03/2024", "31/02/2024", "soon"]))
    ['31/02/2024', 'soon']
    """
    ok = pd.to_datetime(text, format="ISO8601", errors="coerce").notna()
    # every format reads a day: text without a digit ("yes", "soon") is no date in any of them
    digits = np.array([any(c.isdigit() for c in v) for v in text], dtype=bool)
    for fmt in ORDERS:
        # each format only on the values none before it read: most are read by the first few
        rest = (~ok).to_numpy() & digits
        if not rest.any():
            break
        ok[rest] = pd.to_datetime(text[rest], format=fmt, errors="coerce").notna().to_numpy()
    return text[~ok].tolist()


#: Spreadsheet serial day numbers of 1950-01-01 and 2099-12-31: a column of whole numbers all
#: between them is dates that Excel stored (or a CSV export wrote) as numbers.
_SERIALS = (18264, 73050)
#: Day 0 of Excel's (Windows) serial dates; it counts 1900 as a leap year, so day 60 is lost.
_EXCEL_EPOCH = "1899-12-30"


def serial_dates(values: list[Any]) -> str:
    """A sentence saying how to read ``values`` as dates, when they are all numbers that look
    like spreadsheet serial day numbers (45658 is 2025-01-01); else "".

    Examples
    --------
    >>> serial_dates([45658, 45700.5])[:61]
    ' Numbers such as 45658 look like spreadsheet serial dates (45'
    >>> serial_dates([2024, 2025]), serial_dates([True])
    ('', '')
    """
    numbers = [v for v in values if isinstance(v, int | float | np.integer | np.floating)
               and not isinstance(v, bool | np.bool_)]
    if not numbers or len(numbers) < len(values):
        return ""
    if not all(_SERIALS[0] <= v <= _SERIALS[1] for v in numbers):
        return ""
    first = numbers[0]
    day = (pd.Timestamp(_EXCEL_EPOCH) + pd.Timedelta(days=int(first))).date().isoformat()
    return (f" Numbers such as {first:g} look like spreadsheet serial dates ({first:g} is "
            f"{day}): format the column as dates before exporting it, or convert it with "
            f"pandas.to_datetime(column, unit='D', origin='{_EXCEL_EPOCH}').")


def _not_text(values: pd.Series, missing: pd.Series, column: str, argument: str) -> pd.Series:
    """Dates stored as dates (date, datetime, Timestamp objects). Numbers are refused: pandas
    would read 2020 as 2020 nanoseconds after 1970, and a spreadsheet's serial day number
    (43831) the same way. Missing values (a blank cell in a spreadsheet's date column) are
    NaT: pandas would try to read a blank text as a date."""
    known = values[~missing]
    dated = known.map(lambda v: isinstance(v, date | np.datetime64))
    if not dated.all():
        bad = known[~dated]
        raise InvalidValueError(
            f"column {column!r} ({argument}) must hold dates, but {len(bad):,} rows hold "
            f"{preview(bad.unique().tolist())} ({type(bad.iloc[0]).__name__}). Write the dates "
            f"as YYYY-MM-DD (ISO 8601) or store the column as dates.{serial_dates(bad.tolist())}"
        )
    return pd.to_datetime(values.where(~missing, None))


def read_date(value: Any, argument: str) -> pd.Timestamp:
    """One date given as an argument (``as_of=``): a date, or text in ISO 8601.

    Examples
    --------
    >>> read_date("2025-01-01", "as_of").date().isoformat()
    '2025-01-01'
    """
    try:
        if isinstance(value, str):
            return pd.Timestamp(pd.to_datetime(value.strip(), format="ISO8601"))
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InvalidParameterError(
            f"{argument}={value!r} must be a date: write it as YYYY-MM-DD (ISO 8601), e.g. "
            "2024-03-31."
        ) from None
