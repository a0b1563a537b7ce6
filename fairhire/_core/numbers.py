"""Numbers stored as text: a control column that holds only numbers but is not numeric.

A spreadsheet column of numbers with a blank cell written as a space comes back from pandas as
text (``"12.5"``, ``" "``) or as Python objects (``12.5``, ``" "``). A regression takes a text
column as categories: such a tenure column becomes one coefficient per distinct value, which
nobody meant. The analyses keep reading text as categories (a level coded "1", "2", "3" is
one), but say so when every value of the column is a number, with the fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from ..errors import preview
from .missing import is_missing

__all__ = ["numbers_as_categories", "numbers_as_categories_in"]


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
