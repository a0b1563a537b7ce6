"""Period labels that name calendar periods: quarters, half-years, months or years.

Labels such as ``"Q1 2025"``, ``"2025-Q1"``, ``"2025H1"``, ``"Jan 2025"``, ``"2025-01"``,
``"FY2025"``, the number ``2025`` or a :class:`pandas.Period` are ordered and numbered by
calendar position, as bucketed dates are: text order would put ``"Q1 2025"`` before
``"Q2 2024"``, and numbering labels 0, 1, 2, ... would close the gap a quarter without data
leaves, so the same data would give another trend than its date column with ``freq="Q"``.

Full dates (``"2025-03-14"``, ``"14/03/2025"``) are not labels of a period: see
:func:`is_full_date`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, preview
from .dates import date_text, not_dates

__all__ = ["calendar_positions", "calendar_unit", "is_full_date", "odd_ones_out"]

_YEAR = r"(?P<y>(?:19|20|21)\d\d)"
_SEP = r"\s*[-/ .]?\s*"
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
#: (unit, pattern): every label of a column must match patterns of one unit.
_PATTERNS = [
    ("Q", re.compile(rf"^{_YEAR}{_SEP}Q(?P<n>[1-4])$", re.IGNORECASE)),
    ("Q", re.compile(rf"^Q(?P<n>[1-4]){_SEP}{_YEAR}$", re.IGNORECASE)),
    ("H", re.compile(rf"^{_YEAR}{_SEP}H(?P<n>[12])$", re.IGNORECASE)),
    ("H", re.compile(rf"^H(?P<n>[12]){_SEP}{_YEAR}$", re.IGNORECASE)),
    ("M", re.compile(rf"^{_YEAR}-(?P<n>0?[1-9]|1[0-2])$")),
    ("M", re.compile(rf"^(?P<name>[a-z]{{3,9}})\.?{_SEP}{_YEAR}$", re.IGNORECASE)),
    ("M", re.compile(rf"^{_YEAR}{_SEP}(?P<name>[a-z]{{3,9}})\.?$", re.IGNORECASE)),
    ("Y", re.compile(rf"^(?:FY{_SEP})?{_YEAR}$", re.IGNORECASE)),
]
_PER_YEAR = {"Y": 1, "H": 2, "Q": 4, "M": 12}
_FULL_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$")


def _month(name: str) -> int | None:
    name = name.casefold()
    for i, short in enumerate(_MONTH_NAMES, start=1):
        full = pd.Timestamp(2000, i, 1).month_name().casefold()
        if name in (short, full) or (short == "sep" and name == "sept"):
            return i
    return None


def _position(label: Any) -> tuple[str, int] | None:
    """(unit, calendar position) of one label, or None."""
    if isinstance(label, bool | np.bool_):
        return None
    if isinstance(label, int | np.integer | float | np.floating):
        year = float(label)
        return ("Y", int(year)) if year.is_integer() and 1900 <= year < 2200 else None
    for unit, pattern in _PATTERNS:
        found = pattern.match(str(label).strip())
        if found is None:
            continue
        if unit == "M" and "name" in found.groupdict():
            n = _month(found["name"])
            if n is None:
                continue
        else:
            n = int(found["n"]) if "n" in found.groupdict() else 1
        return unit, int(found["y"]) * _PER_YEAR[unit] + n - 1
    return None


def calendar_positions(labels: Sequence[Any], column: str) -> dict[Any, int] | None:
    """Each label's calendar position when every label names a period of one length (a
    quarter, half-year, month or year, in one of the usual spellings, or a
    :class:`pandas.Period`); otherwise None (the labels are ordered as given).

    Raises
    ------
    InvalidValueError
        Two labels name the same period ("2025-Q1" and "Q1 2025").

    Examples
    --------
    >>> calendar_positions(["Q2 2024", "Q1 2025", "Q4 2024"], "quarter")
    {'Q2 2024': 8097, 'Q1 2025': 8100, 'Q4 2024': 8099}
    >>> calendar_positions(["FY9", "FY10"], "year") is None
    True
    """
    if not labels:
        return None
    if all(isinstance(p, pd.Period) for p in labels):
        if len({p.freqstr for p in labels}) != 1:
            return None
        read = {p: p.ordinal for p in labels}
    else:
        found = {p: _position(p) for p in labels}
        units = {f[0] if f else None for f in found.values()}
        if len(units) != 1 or None in units:
            return None
        read = {p: f[1] for p, f in found.items() if f is not None}
    if len(set(read.values())) < len(read):
        same = [p for p in read if list(read.values()).count(read[p]) > 1]
        raise InvalidValueError(
            f"column {column!r} (passed as period=) names the same period in two ways: "
            f"{preview(sorted(map(str, same)))}. Write each period one way in the export."
        )
    return read


def is_full_date(value: Any) -> bool:
    """Whether a period label is a date (a day, not a period): a date object, or text such as
    "2025-03-14" or "14/03/2025".

    >>> is_full_date("14/03/2025"), is_full_date("2025-03"), is_full_date("2025-Q1")
    (True, False, False)
    """
    if isinstance(value, date | np.datetime64):
        return True
    if not isinstance(value, str) or not _FULL_DATE.match(value.strip()):
        return False
    return not not_dates(date_text(pd.Series([value], dtype=object)))


def odd_ones_out(labels: Sequence[Any]) -> list[Any]:
    """The labels that name no calendar period when most of the others name periods of one
    length: one mistyped label ("Q1 2O24", "2024 Q5") puts the whole column back in text
    order, which the caller should say.

    >>> odd_ones_out(["Q1 2024", "Q2 2024", "Q3 2024", "unknown"])
    ['unknown']
    >>> odd_ones_out(["spring", "summer", "2024"])
    []
    """
    found = [(p, _position(p)) for p in labels if not isinstance(p, pd.Period)]
    units = [f[0] for _, f in found if f is not None]
    if not units:
        return []
    common = max(set(units), key=units.count)
    odd = [p for p, f in found if f is None or f[0] != common]
    return odd if 0 < len(odd) and units.count(common) > len(found) / 2 else []


def calendar_unit(labels: Sequence[Any]) -> str | None:
    """"M", "Q", "H" or "Y" when every label names a calendar period of that length (as
    :func:`calendar_positions` reads them), else None: the words of sentences ("a quarter").

    >>> calendar_unit(["Q1 2025", "Q2 2025"]), calendar_unit(["FY9"])
    ('Q', None)
    """
    if labels and all(isinstance(p, pd.Period) for p in labels):
        units = {p.freqstr[0] for p in labels}
    else:
        units = {f[0] if f else None for f in map(_position, labels)}
    return units.pop() if len(units) == 1 and None not in units else None
