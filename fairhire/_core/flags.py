"""Reading a yes/no (flag) column, in one place.

HR exports write a yes/no outcome in many ways. Every analysis, the command line and the audit
config read a flag column (hired, promoted, exited, passed, full pay ...) by one rule:

- read as True: ``True``, ``1``, ``1.0`` and, in any case and with surrounding spaces,
  ``"true"``, ``"t"``, ``"yes"``, ``"y"``, ``"1"``;
- read as False: ``False``, ``0``, ``0.0``, ``"false"``, ``"f"``, ``"no"``, ``"n"``, ``"0"``;
- and the same words of spreadsheets and forms in other languages (:data:`LOCALE_TRUE_TEXT`,
  :data:`LOCALE_FALSE_TEXT`: ``"VRAI"``/``"FAUX"``, ``"WAHR"``/``"FALSCH"``, ``"oui"``/``"non"``);
- missing (see :mod:`fairhire._core.missing`): ``None``, NaN, NA and blank strings. Missing
  values are counted and reported by the analysis, never read as False;
- a column that reads as yes in some rows and is blank in others, with no row that reads as
  no, is an :class:`~fairhire.errors.InvalidValueError` (:func:`one_sided_error`): exports
  often leave a "no" blank, and leaving those rows out would keep only the people who said
  yes. The user says what a blank means (writes "No" in it, or ``--blank-means-no`` on the
  command line). In a funnel, a blank at a stage the applicant did not reach is the funnel's
  end, so later stages are checked only for blanks at a stage reached
  (``blanks_reached=False`` here, then :func:`check_blank_stage` with the funnel's count);
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
from .labels import INVISIBLE
from .missing import is_missing
from .names import internal_name

__all__ = [
    "FALSE_TEXT", "LOCALE_FALSE_TEXT", "LOCALE_TRUE_TEXT", "TRUE_TEXT", "FlagArray",
    "FlagReading", "check_blank_stage", "flag_of", "one_sided_error", "read_flag", "read_flags",
]

#: Text read as True / False (compared after ``strip().casefold()``).
TRUE_TEXT: frozenset[str] = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_TEXT: frozenset[str] = frozenset({"false", "f", "no", "n", "0", "0.0"})

#: A spreadsheet saved as CSV writes TRUE/FALSE in its display language (Excel, LibreOffice
#: and Google Sheets: French VRAI/FAUX, German WAHR/FALSCH, Spanish VERDADERO/FALSO, Italian
#: VERO/FALSO, Portuguese VERDADEIRO/FALSO, Dutch WAAR/ONWAAR), and forms in those languages
#: answer oui/non, ja/nein, sí/no, sim/não, ja/nee. Each word has one meaning in every one
#: of these languages ("no" is no in English, Spanish and Italian), so reading them is safe.
LOCALE_TRUE_TEXT: frozenset[str] = frozenset({
    "vrai", "wahr", "verdadero", "vero", "verdadeiro", "waar",
    "oui", "ja", "sí", "si", "sim",
})
LOCALE_FALSE_TEXT: frozenset[str] = frozenset({
    "faux", "falsch", "falso", "onwaar",
    "non", "nein", "não", "nao", "nee",
})
_TRUE = TRUE_TEXT | LOCALE_TRUE_TEXT
_FALSE = FALSE_TEXT | LOCALE_FALSE_TEXT

_BAD = object()


def flag_of(value: Any) -> bool | object | None:
    """One value read as a flag: True, False, None (missing), or a private 'bad' marker.

    Examples
    --------
    >>> [flag_of(v) for v in (True, 1, 0.0, " Yes", "n", None, "", "Yes\u200b")]
    [True, True, False, True, False, None, None, True]
    >>> [flag_of(v) for v in ("VRAI", "FAUX", "Wahr", "Nein", "Sí", "não")]
    [True, False, True, False, True, False]
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
        key = value.translate(INVISIBLE).strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return _BAD


def _bad_values_error(column: str, argument: str | None, bad: dict[Any, int]) -> InvalidValueError:
    where = f" (passed as {argument}=)" if argument else ""
    shown = sorted(bad, key=lambda v: (str(type(v).__name__), str(v)))
    total = ""
    if sum(bad.values()) == 1 and _count_like(shown[0]):
        total = (" One row holds a count: if it is a totals row at the end of the export, "
                 "delete that row.")
    elif _dates_like(shown):
        total = (" These are dates: if a date says it happened (an exit or promotion date) "
                 "and a blank says it did not, make the yes/no column from it first (pandas: "
                 f"data[{column!r}].notna())")
        total += (", or give the dates to time_to_exit (hire_date=, exit_date=)."
                  if argument in ("exited", "event") else ".")
    return InvalidValueError(
        f"column {column!r}{where} must hold yes/no values (True/False, 1/0, yes/no, y/n, "
        "true/false or t/f, in any case, or a spreadsheet's TRUE/FALSE or a form's yes/no in "
        f"French, German, Spanish, Italian, Portuguese or Dutch); found {preview(shown)} in "
        f"{sum(bad.values()):,} rows. Recode those rows, or leave unknown values empty: empty "
        "values are counted "
        f"as missing and reported.{total}"
    )


def _dates_like(values: list[Any]) -> bool:
    """Whether the bad values of a flag column read as dates by the shared date rule (most of
    the first 20 of them)."""
    from .dates import date_text, not_dates

    sample = date_text(pd.Series([v for v in values[:20] if isinstance(v, str)], dtype=object))
    if len(sample) < max(1, len(values[:20]) // 2):
        return False
    return len(not_dates(sample)) <= 0.2 * len(sample)


def _count_like(value: Any) -> bool:
    """Whether a bad flag value reads as a whole number above 1 (a spreadsheet's total)."""
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        return False
    return number.is_integer() and number > 1


def one_sided_error(column: str, argument: str | None, n_true: int, n_blank: int,
                    where: str = "") -> InvalidValueError:
    """The error for a flag column with yes values and blanks but no "no" value.

    >>> print(one_sided_error("Interviewed", "stages", 33, 136, " at a stage reached"))
    column 'Interviewed' (passed as stages=) reads as yes in 33 rows and is blank in 136 rows at a stage reached, and no row reads as no. ...
    """
    passed = f" (passed as {argument}=)" if argument else ""
    return InvalidValueError(
        f"column {column!r}{passed} reads as yes in {n_true:,} rows and is blank in "
        f"{n_blank:,} rows{where}, and no row reads as no. A blank is never read as no, and "
        "leaving those rows out would keep only the rows that read as yes. If a blank there "
        "means no (not selected, not promoted, not exited), say so: --blank-means-no on the "
        "command line, blank_means_no = true in an audit config's analysis, the box 'a blank "
        "yes/no cell means no' in the web app, or write No in those cells (in pandas: "
        f"data.fillna({{{column!r}: 'No'}})). If those outcomes are unknown, leave the rows "
        "out of the data."
    )


def check_blank_stage(reading: FlagReading, n_blank: int, argument: str | None) -> None:
    """Raise :func:`one_sided_error` when ``n_blank`` rows are blank at a stage they reached
    and the stage's column has no value that reads as no (read with ``blanks_reached=False``).
    """
    if n_blank and reading.has_false is False and reading.n_true:
        raise one_sided_error(reading.column, argument, reading.n_true, n_blank,
                              " of applicants who reached that stage")


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
    """Read in-memory values (array, Series, list) as flags (blanks with yes values and no "no"
    value: :func:`one_sided_error`).

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
    n_kind = np.bincount(row_kind, minlength=3)
    if n_kind[2] and n_kind[1] and not n_kind[0]:
        raise one_sided_error(column, argument, int(n_kind[1]), int(n_kind[2]))
    return FlagArray(flags=row_kind == 1, missing=row_kind == 2)


@dataclass(frozen=True)
class FlagReading:
    """How a flag column of a data frame reads; expressions work in the frame's own engine.

    ``true_values`` and ``blank_values`` are the distinct raw values read as True and the
    non-null values read as missing (blank strings); both are empty for a boolean column.
    ``n_true`` counts the rows read as True and ``has_false`` says whether any row reads as
    False (both None for a boolean column, which is read without a pass over the data).
    """

    column: str
    dtype: Any
    true_values: tuple[Any, ...] = ()
    blank_values: tuple[Any, ...] = ()
    n_true: int | None = None
    has_false: bool | None = None

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


def read_flag(frame: Any, column: str, *, argument: str | None = None,
              blanks_reached: bool = True) -> FlagReading:
    """Check a flag column of a narwhals frame and say how to read it in the frame's engine.

    Boolean columns are read as they are (no pass over the data). Integer and float columns
    need one aggregate (are all values 0 or 1? how many of each, how many missing?). Other
    columns (text, object, categorical) are read from their distinct values, found with one
    group-by. With ``blanks_reached`` (every row's outcome is due: not a funnel's later stage),
    blanks beside yes values and no "no" value are an error (:func:`one_sided_error`).
    """
    from .._frames import collect_pandas, group_counts, schema, sum_true

    dtype = schema(frame)[column]
    if dtype == nw.Boolean:
        return FlagReading(column=column, dtype=dtype)
    col = nw.col(column)
    if dtype.is_integer() or dtype.is_float():
        one, zero = (1, 0) if dtype.is_integer() else (1.0, 0.0)
        missing = col.is_null()
        if dtype.is_float():
            missing = missing | col.is_nan().fill_null(True)
        invalid = (~missing & ~col.is_in([zero, one]).fill_null(False)).fill_null(False)
        if dtype.is_integer():  # no NaN: the 1s are the sum, the rest are 0s or nulls
            counts = [col.sum().alias("true"), col.null_count().alias("missing"),
                      nw.len().alias("rows")]
        else:
            counts = [sum_true((col == one).fill_null(False), frame).alias("true"),
                      sum_true(missing, frame).alias("missing"),
                      sum_true((col == zero).fill_null(False), frame).alias("false")]
        found = collect_pandas(frame.select(sum_true(invalid, frame).alias("bad"), *counts)
                               ).iloc[0]
        if not int(found["bad"] or 0):
            n_true, n_missing = int(found["true"] or 0), int(found["missing"] or 0)
            n_false = (int(found["rows"]) - n_true - n_missing if dtype.is_integer()
                       else int(found["false"] or 0))
            reading = FlagReading(column=column, dtype=dtype, n_true=n_true,
                                  has_false=bool(n_false))
            return _checked(reading, n_missing, argument, blanks_reached)
    rows = internal_name("rows", [column])  # the column itself may be called "n"
    counts = group_counts(frame.select(col), [column], count_name=rows)
    true_values, blank_values, bad = [], [], {}
    n = {True: 0, False: 0, None: 0}
    for value, k in zip(counts[column].tolist(), counts[rows].tolist(), strict=True):
        flag = flag_of(value)
        if flag is _BAD:
            bad[value] = bad.get(value, 0) + int(k)
            continue
        n[flag] += int(k)
        if flag is True:
            true_values.append(value)
        elif flag is None and isinstance(value, str):
            blank_values.append(value)
    if bad:
        raise _bad_values_error(column, argument, bad)
    known = {"n_true": n[True], "has_false": bool(n[False])}
    if dtype.is_integer() or dtype.is_float():
        return _checked(FlagReading(column=column, dtype=dtype, **known), n[None], argument,
                        blanks_reached)
    reading = FlagReading(column=column, dtype=dtype, true_values=tuple(true_values),
                          blank_values=tuple(blank_values), **known)
    return _checked(reading, n[None], argument, blanks_reached)


def _checked(reading: FlagReading, n_missing: int, argument: str | None,
             blanks_reached: bool) -> FlagReading:
    if blanks_reached and n_missing and reading.n_true and reading.has_false is False:
        raise one_sided_error(reading.column, argument, reading.n_true, n_missing)
    return reading
