"""Reading a yes/no (flag) column, in one place.

HR exports write a yes/no outcome in many ways. Every analysis, the command line and the audit
config read a flag column (hired, promoted, exited, passed, full pay ...) by one rule:

- read as True: ``True``, ``1``, ``1.0`` and, in any case and with surrounding spaces,
  ``"true"``, ``"t"``, ``"yes"``, ``"y"``, ``"1"``;
- read as False: ``False``, ``0``, ``0.0``, ``"false"``, ``"f"``, ``"no"``, ``"n"``, ``"0"``;
- missing (see :mod:`fairhire._core.missing`): ``None``, NaN, NA and blank strings. Missing
  values are counted and reported by the analysis, never read as False;
- anything else is an :class:`~fairhire.errors.InvalidValueError` naming the column, the
  argument it was passed as, the bad values and how many rows hold them.

Two entry points: :func:`read_flag` for a column of a data frame in any engine (the work stays
in the engine; only the distinct values of a non-boolean column are looked at), and
:func:`read_flags` for values already in memory (arrays, Series, lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import InvalidValueError, preview
from .missing import is_missing
from .names import internal_name

__all__ = [
    "FALSE_TEXT", "TRUE_TEXT", "FlagArray", "FlagReading", "flag_of", "read_flag", "read_flags",
]

#: Text read as True / False (compared after ``strip().casefold()``).
TRUE_TEXT: frozenset[str] = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_TEXT: frozenset[str] = frozenset({"false", "f", "no", "n", "0", "0.0"})

_BAD = object()


def flag_of(value: Any) -> bool | object | None:
    """One value read as a flag: True, False, None (missing), or a private 'bad' marker.

    Examples
    --------
    >>> [flag_of(v) for v in (True, 1, 0.0, " Yes", "n", None, "")]
    [True, True, False, True, False, None, None]
    """
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer | float | np.floating):
        if value == 1:
            return True
        if value == 0:
            return False
        return _BAD
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in TRUE_TEXT:
            return True
        if key in FALSE_TEXT:
            return False
    return _BAD


def _bad_values_error(column: str, argument: str | None, bad: dict[Any, int]) -> InvalidValueError:
    where = f" (passed as {argument}=)" if argument else ""
    shown = sorted(bad, key=lambda v: (str(type(v).__name__), str(v)))
    return InvalidValueError(
        f"column {column!r}{where} must hold yes/no values (True/False, 1/0, yes/no, y/n, "
        f"true/false or t/f, in any case); found {preview(shown)} in {sum(bad.values()):,} "
        "rows. Recode those rows, or leave unknown values empty: empty values are counted "
        "as missing and reported."
    )


@dataclass(frozen=True)
class FlagArray:
    """A flag column read in memory: ``flags`` (True where the value reads as True) and
    ``missing`` (True where the value is missing). Both are boolean numpy arrays."""

    flags: np.ndarray
    missing: np.ndarray

    @property
    def n_missing(self) -> int:
        return int(self.missing.sum())


def read_flags(values: Any, *, column: str, argument: str | None = None) -> FlagArray:
    """Read in-memory values (array, Series, list) as flags.

    Examples
    --------
    >>> r = read_flags(["yes", "No", " Y", None, 1.0, 0], column="hired")
    >>> r.flags.tolist(), r.missing.tolist()
    ([True, False, True, False, True, False], [False, False, False, True, False, False])
    >>> read_flags(["yes", "maybe", "maybe"], column="hired", argument="selected")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: column 'hired' (passed as selected=) must hold yes/no ...
    """
    arr = values.to_numpy() if isinstance(values, pd.Series | pd.Index) else values
    arr = np.asarray(arr) if not isinstance(arr, np.ndarray) else arr
    if arr.dtype == bool:
        return FlagArray(flags=arr.copy(), missing=np.zeros(len(arr), dtype=bool))
    codes, uniques = pd.factorize(pd.Series(arr, dtype=object), use_na_sentinel=True)
    kind = np.zeros(len(uniques) + 1, dtype=np.int8)  # 0 False, 1 True, 2 missing
    kind[-1] = 2
    bad: dict[Any, int] = {}
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)) if len(uniques) else []
    for i, value in enumerate(uniques):
        flag = flag_of(value)
        if flag is _BAD:
            bad[value] = int(counts[i])
        else:
            kind[i] = 2 if flag is None else int(flag)
    if bad:
        raise _bad_values_error(column, argument, bad)
    row_kind = kind[np.where(codes < 0, len(uniques), codes)]
    return FlagArray(flags=row_kind == 1, missing=row_kind == 2)


@dataclass(frozen=True)
class FlagReading:
    """How a flag column of a data frame reads; expressions work in the frame's own engine.

    ``true_values`` and ``blank_values`` are the distinct raw values read as True and the
    non-null values read as missing (blank strings); both are empty for a boolean column.
    """

    column: str
    dtype: Any
    true_values: tuple[Any, ...] = ()
    blank_values: tuple[Any, ...] = ()

    @property
    def is_boolean(self) -> bool:
        return self.dtype == nw.Boolean

    def missing_expr(self) -> nw.Expr:
        """True where the value is missing (null, NaN or a blank string)."""
        col = nw.col(self.column)
        expr = col.is_null()
        if self.dtype.is_float():
            expr = expr | col.is_nan().fill_null(False)
        if self.blank_values:
            expr = expr | col.is_in(list(self.blank_values)).fill_null(False)
        return expr

    def expr(self) -> nw.Expr:
        """True where the value reads as True; False for False and for missing values."""
        col = nw.col(self.column)
        if self.is_boolean:
            return col.fill_null(False)
        if self.dtype.is_integer():
            return (col == 1).fill_null(False)
        if self.dtype.is_float():
            return (col == 1.0).fill_null(False)
        if not self.true_values:
            return col.is_null() & ~col.is_null()  # all False, same length and engine
        return col.is_in(list(self.true_values)).fill_null(False)


def read_flag(frame: Any, column: str, *, argument: str | None = None) -> FlagReading:
    """Check a flag column of a narwhals frame and say how to read it in the frame's engine.

    Boolean columns are read as they are (no pass over the data). Integer and float columns
    need one aggregate (are all values 0 or 1?). Other columns (text, object, categorical) are
    read from their distinct values, found with one group-by.
    """
    from .._frames import collect_pandas, group_counts, schema, sum_true

    dtype = schema(frame)[column]
    if dtype == nw.Boolean:
        return FlagReading(column=column, dtype=dtype)
    col = nw.col(column)
    if dtype.is_integer() or dtype.is_float():
        valid = col.is_in([0, 1]) if dtype.is_integer() else col.is_in([0.0, 1.0])
        known = ~col.is_null()
        if dtype.is_float():
            known = known & ~col.is_nan().fill_null(True)
        invalid = (known & ~valid.fill_null(False)).fill_null(False)
        found = collect_pandas(frame.select(sum_true(invalid, frame).alias("bad")))
        if not int(found["bad"].iloc[0] or 0):
            return FlagReading(column=column, dtype=dtype)
    rows = internal_name("rows", [column])  # the column itself may be called "n"
    counts = group_counts(frame.select(col), [column], count_name=rows)
    true_values, blank_values, bad = [], [], {}
    for value, n in zip(counts[column].tolist(), counts[rows].tolist(), strict=True):
        flag = flag_of(value)
        if flag is _BAD:
            bad[value] = bad.get(value, 0) + int(n)
        elif flag is True:
            true_values.append(value)
        elif flag is None and isinstance(value, str):
            blank_values.append(value)
    if bad:
        raise _bad_values_error(column, argument, bad)
    if dtype.is_integer() or dtype.is_float():
        return FlagReading(column=column, dtype=dtype)
    return FlagReading(
        column=column,
        dtype=dtype,
        true_values=tuple(true_values),
        blank_values=tuple(blank_values),
    )
