"""Numbers stored as text: a column that must be numeric and is not, and a control column
that holds only numbers but is not numeric.

:func:`require_numeric` is the one check of a score, pay, age or duration column: when the
column is not numeric its error lists the values that are not numbers, with their row counts
(an export's "—" or "pending" among 1,200 scores), so the fix is plain; numbers written as text
get the conversion instead.

A spreadsheet column of numbers with a blank cell written as a space comes back from pandas as
text (``"12.5"``, ``" "``) or as Python objects (``12.5``, ``" "``). A regression takes a text
column as categories: such a tenure column becomes one coefficient per distinct value, which
nobody meant. The analyses keep reading text as categories (a level coded "1", "2", "3" is
one), but say so when every value of the column is a number, with the fix.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._frames import Frame, group_counts, schema
from ..errors import FairhireError, InvalidValueError, preview
from .missing import is_missing

__all__ = ["CURRENCY_SIGNS", "THOUSANDS_SUFFIX", "UNREAD_SUFFIX", "numbers_as_categories", "numbers_as_categories_in",
           "require_numeric"]

#: Values an error lists before it says how many more there are.
_LISTED = 8


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Number):
        return True
    if isinstance(value, str):
        try:
            Decimal(value.strip())
        except InvalidOperation:
            return False
        return True
    return False


def numbers_as_categories(values: pd.Series, column: str, *, argument: str) -> str | None:
    """The warning for a text or object column whose values (missing ones aside) are all
    numbers, read as categories by a regression; None for any other column.

    Examples
    --------
    >>> print(numbers_as_categories(pd.Series(["12.5", " ", "3", "7"]), "tenure",
    ...                             argument="controls"))
    column 'tenure' (controls=) holds only numbers but is not numeric (3 distinct values, e.g. ['12.5', '3', '7']): it is used as categories, one coefficient per value. Convert it with pandas.to_numeric(df['tenure'], errors='coerce') to use it as a number (blank values then count as missing); if the values are codes (levels 1, 2, 3), recode them as labels such as 'L1'.
    >>> numbers_as_categories(pd.Series(["L1", "L2"]), "level", argument="controls") is None
    True
    """
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return None
    if isinstance(values.dtype, pd.CategoricalDtype):
        return None
    distinct = [v for v in pd.unique(values.astype(object)) if not is_missing(v)]
    if not distinct or not all(_is_number(v) for v in distinct):
        return None
    return (
        f"column {column!r} ({argument}=) holds only numbers but is not numeric "
        f"({len(distinct):,} distinct values, e.g. {preview(sorted(distinct, key=str)[:3])}): it is used as "
        "categories, one coefficient per value. Convert it with "
        f"pandas.to_numeric(df[{column!r}], errors='coerce') to use it as a number (blank "
        "values then count as missing); if the values are codes (levels 1, 2, 3), recode them "
        "as labels such as 'L1'."
    )


def numbers_as_categories_in(frame: pd.DataFrame, columns: Iterable[str], *,
                             argument: str) -> list[str]:
    """:func:`numbers_as_categories` for each of ``columns`` of ``frame``: the warnings."""
    return [w for c in columns
            if (w := numbers_as_categories(frame[c], c, argument=argument)) is not None]


#: A thousands suffix on an amount: "45k", "£46.5K" are 45,000 and 46,500. Spreadsheet
#: exports and people typing salaries write it, and it means nothing else after a number.
#: The currency signs an exported amount may carry, before or after its number ("$75,000.00",
#: "48.250,50 €"): read by the export reader, and named when one column mixes them.
CURRENCY_SIGNS = "$€£¥₹"
THOUSANDS_SUFFIX = re.compile(r"^(?P<number>.*\d)\s*[kK]$", re.DOTALL)
#: Suffixes that are never read: "m" is a million to some and a month or minutes to others,
#: "b" a billion or a byte; an amount written with one ("$1.2m") is named, not guessed.
UNREAD_SUFFIX = re.compile(r"^(?P<number>.*\d)\s*(?P<suffix>m|mn|mm|mil|b|bn)$",
                           re.IGNORECASE | re.DOTALL)

#: Text a spreadsheet writes for a number: digits with signs, separators, a currency or a
#: percent sign, or a thousands suffix ("$79,878.49", "48.250,50 €", "78%", "£45k"); the
#: readers turn these into numbers.
_SIGN = f"[{re.escape(CURRENCY_SIGNS)}]"
_NUMBER_TEXT = re.compile(rf"^[+-]?\s*{_SIGN}?\s*[+-]?\d[\d.,' \u00a0]*\s*[kK]?\s*"
                          rf"(%|{_SIGN})?$")


def _number_like(value: Any) -> bool:
    return _is_number(value) or (isinstance(value, str) and bool(_NUMBER_TEXT.match(value.strip())))


def _written_with(texts: list[str]) -> tuple[str, str] | None:
    """How number text is written that ``pandas.to_numeric`` cannot read ("85%", "0,85",
    "$79,878.49", "45k"), and the conversion that reads it; None for plain numbers."""
    texts = [t.strip() for t in texts]
    if any(t.endswith("%") for t in texts):
        return "a percent sign", "pandas.to_numeric(df[{c}].str.rstrip('%'))"
    if any(c in t for t in texts for c in CURRENCY_SIGNS) or any(
            THOUSANDS_SUFFIX.match(t) for t in texts):
        return ("currency signs or a thousands suffix",
                "removing the signs and separators (a thousands suffix: times 1,000)")
    commas = [t for t in texts if "," in t]
    if not commas:
        return None
    if any(re.search(r",\d{1,2}$", t) for t in commas):
        return "a decimal comma", "pandas.to_numeric(df[{c}].str.replace(',', '.'))"
    return ("commas", "pandas.to_numeric(df[{c}].str.replace(',', '')) if they separate "
            "thousands, or .str.replace(',', '.') if they are decimal commas")


def _stored_as_text(values: list[Any], column: str) -> str:
    """The error's second half for a column whose values are all numbers written as text.

    ``pandas.to_numeric(errors='coerce')`` reads "85%" or "0,85" as missing: advised for
    such a column, it would blank every score, so the advice names the conversion instead.
    """
    shown = preview([v for v in values[:3]])
    written = _written_with([v for v in values if isinstance(v, str)])
    if written is None:
        return (f"its numbers are stored as text (e.g. {shown}). Convert it with "
                f"pandas.to_numeric(df[{column!r}], errors='coerce') (blank values then count "
                "as missing).")
    how, fix = written
    return (f"its numbers are stored as text written with {how} (e.g. {shown}), which "
            "pandas.to_numeric(errors='coerce') would read as missing. Convert it with "
            f"{fix.format(c=repr(column))}, or read the file with the fairhire command or an "
            "audit config, which read such numbers.")


def require_numeric(
    frame: Frame,
    column: str,
    *,
    argument: str,
    meaning: str = "",
    fix: str = "",
    error: type[FairhireError] = InvalidValueError,
) -> None:
    """Raise ``error`` unless ``column`` is numeric, listing its values that are not numbers.

    ``meaning`` says what the numbers are ("ages in years"); ``fix`` is a further way out
    ("or pass birth_date= with as_of=").

    Examples
    --------
    >>> from fairhire._frames import to_narwhals
    >>> f = to_narwhals(pd.DataFrame({"score": ["72.5", "—", "n/a", "$80", "—", None]}))
    >>> require_numeric(f, "score", argument="score")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: column 'score' (score=) must hold numbers; 3 rows hold \
text that is not a number: '—' (2 rows), 'n/a' (1 row). Blank those cells (a blank is counted \
as missing, never guessed) or correct them.
    """
    dtype = schema(frame)[column]
    if dtype.is_numeric() and dtype != nw.Boolean:
        return
    what = f"column {column!r} ({argument}=) must hold numbers" + (
        f" ({meaning})" if meaning else "")
    more = f" {fix[0].upper()}{fix[1:]}." if fix else ""
    if dtype == nw.Boolean:
        raise error(f"{what}; it holds True/False values.{more}")
    counts = group_counts(frame, [column], count_name="__fh_n")
    values = [(v, int(n)) for v, n in zip(counts[column], counts["__fh_n"], strict=True)
              if not is_missing(v)]
    bad = sorted(((v, n) for v, n in values if not _number_like(v)),
                 key=lambda p: (-p[1], str(p[0])))
    if not bad:
        raise error(f"{what}; {_stored_as_text([v for v, _ in values], column)}{more}")
    listed = ", ".join(f"{str(v)!r} ({n:,} row{'s' if n != 1 else ''})" for v, n in bad[:_LISTED])
    if len(bad) > _LISTED:
        listed += f", ... ({len(bad) - _LISTED:,} more)"
    rows = sum(n for _, n in bad)
    raise error(
        f"{what}; {rows:,} row{'s hold' if rows != 1 else ' holds'} text that is not a number: "
        f"{listed}. Blank those cells (a blank is counted as missing, never guessed) or correct "
        f"them.{more}"
    )
