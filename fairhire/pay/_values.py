"""Reading pay values, in one place for every pay analysis: numeric, finite, plausible.

A pay column must be numeric (no currency symbols), finite, and of a plausible size:

- a value of :data:`PAY_LIMIT` (10^15) or more in absolute value is an error: no pay in any
  currency is that large, and such values overflow sums of squares and swamp means (a salary of
  1e300 once gave a gap of −6e297 %). The message names the column, the rows and the values;
- a value more than :data:`RELATIVE_LIMIT` (1,000) times the median of its group is a warning
  naming the column and rows: usually a misplaced decimal or cents read as units; so is a
  positive value less than 1/1,000 of it: usually an hourly rate among annual salaries (an
  export with a pay-frequency column). The figures include them, so the reader can judge.

Collected data (the regression analyses) are checked with :func:`check_pay`; data in an engine
(the statutory metrics) with the expressions :func:`missing_expr`, :func:`infinite_expr` and
:func:`too_large_expr`, whose counts come back from one group-by, and :func:`examples` for the
rows to quote when something is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.names import internal_name
from .._core.numbers import CURRENCY_SIGNS, UNREAD_SUFFIX
from .._core.text import format_count, format_number
from .._frames import collect_pandas, is_lazy, schema
from ..errors import ColumnError, InvalidValueError, preview

__all__ = [
    "PAY_LIMIT", "RELATIVE_LIMIT", "check_numeric_column", "check_pay", "examples",
    "far_from_median_warning", "infinite_expr", "missing_expr", "too_large_error", "too_large_expr",
]

#: No pay, bonus or hour count reaches this in absolute value (any currency).
PAY_LIMIT = 1e15
#: A value more than this many times the median of its group is worth a warning.
RELATIVE_LIMIT = 1_000
#: Distinct values of a column that is not numeric searched for the ones to name.
_SAMPLE = 1_000


def _where(rows: Sequence[Any] | None, values: Sequence[Any]) -> str:
    shown = [format_number(v, 2) if abs(float(v)) < 1e9 else f"{float(v):.3g}" for v in values]
    if rows is None:
        return f"e.g. {', '.join(shown)}"
    return "e.g. " + ", ".join(f"{v} at row {r}" for v, r in zip(shown, rows, strict=True))


def not_numeric_error(column: str, argument: str, sample: Sequence[Any],
                      frame: Any = None) -> ColumnError:
    """The error for a pay column that is not numeric. ``sample``: a few of its values as they
    are (text, or the objects of an object column, e.g. the ``Decimal`` a database returns);
    ``frame`` (narwhals, with ``column``): the data, to count the rows of each currency."""
    kinds = sorted({type(v).__name__ for v in sample if not isinstance(v, str)})
    if not kinds:
        sample = _unread_first(sample)
        unread = [v for v in sample if UNREAD_SUFFIX.match(v.strip())]
        why = (f" An amount with a suffix such as {unread[0]!r} is not read: 'm' is a million "
               "to some and a month or minutes to others; write those amounts in full."
               if unread else "")
        mixed = _currencies(sample)
        if len(mixed) > 1:  # removing the symbols would compare pounds with dollars
            return ColumnError(
                f"column {column!r} ({argument}=) holds amounts in more than one currency "
                f"({_currency_rows(frame, column, mixed)}): convert them to one currency in "
                "the export (at the rate for the pay period), then pass the column again.")
        return ColumnError(
            f"column {column!r} ({argument}=) must be numeric; it holds text such as "
            f"{preview(sample[:5])}.{why} Remove currency symbols and thousands separators in "
            "the export (e.g. pandas.to_numeric) and pass the numeric column."
        )
    shown = [v if isinstance(v, str) else str(v) for v in sample[:5]]
    return ColumnError(
        f"column {column!r} ({argument}=) must be numeric; it is a column of Python objects "
        f"({', '.join(kinds)}) such as {preview(shown)}. Convert it first, e.g. "
        f"df[{column!r}] = pandas.to_numeric(df[{column!r}]) (a database's NUMERIC values "
        "come back as Decimal objects), and pass the numeric column."
    )


def _currency_rows(frame: Any, column: str, mixed: dict[str, str]) -> str:
    """Each currency with an amount, and with its rows when ``frame`` is given: "'$' in 1,204
    rows, e.g. '$53,431.00'; '€' in 2 rows: 17, 40, e.g. '€48.000,00'" (the rows of a currency
    in 5 rows or fewer; row numbers are positions in the data passed, counted from 0)."""
    if frame is None or is_lazy(frame):
        return ", ".join(f"{v!r}" for v in mixed.values())
    text = nw.col(column).cast(nw.String)
    found = frame.with_row_index("__fh_row").select(
        *(text.str.contains(sign, literal=True).fill_null(False).alias(f"c{i}")
          for i, sign in enumerate(mixed)), nw.col("__fh_row"))
    parts = []
    for i, (sign, example) in enumerate(mixed.items()):
        rows = sorted(int(r) for r in found.filter(nw.col(f"c{i}"))["__fh_row"].to_list())
        where = f": {', '.join(map(str, rows))}" if len(rows) <= 5 else ""
        parts.append(f"{sign!r} in {format_count(len(rows))} row"
                     f"{'' if len(rows) == 1 else 's'}{where}, e.g. {example!r}")
    return "; ".join(parts)


def _currencies(sample: Sequence[Any]) -> dict[str, str]:
    """The currency signs the text amounts of ``sample`` carry, each with its first amount.

    >>> _currencies(["£54,577.00", "$53,431.00", "£1", "n/a"])
    {'£': '£54,577.00', '$': '$53,431.00'}
    """
    out: dict[str, str] = {}
    for v in sample:
        sign = v.strip()[:1] if isinstance(v, str) else ""
        sign = sign if sign in _SIGNS else (v.strip()[-1:] if isinstance(v, str) else "")
        if sign in _SIGNS:
            out.setdefault(sign, v)
    return out



_SIGNS = frozenset(CURRENCY_SIGNS)  # a set: "" is no sign (it is in every string)


def _unread_first(sample: Sequence[Any]) -> list[Any]:
    """Text values with a suffix that is never read ("$1.2m") first: they are why a column of
    amounts stayed text when a file was read, so the error names them.

    >>> _unread_first(["£45k", "45,000", "$1.2m"])
    ['$1.2m', '£45k', '45,000']
    """
    return sorted(sample, key=lambda v: not (isinstance(v, str) and UNREAD_SUFFIX.match(v.strip())))


def too_large_error(
    column: str, argument: str, count: int, values: Sequence[Any], rows: Sequence[Any] | None
) -> InvalidValueError:
    """The error for values of :data:`PAY_LIMIT` or more."""
    return InvalidValueError(
        f"column {column!r} ({argument}=) has {format_count(count)} value(s) of 1e15 or more "
        f"in size ({_where(rows, values)}). No pay is that large in any currency, and such "
        "values overflow the statistics: fix the export (a misplaced decimal, cents read as "
        "units, or a placeholder such as 9.99e+99) or exclude those rows."
    )


def infinite_error(column: str, argument: str, count: int) -> InvalidValueError:
    return InvalidValueError(
        f"column {column!r} ({argument}=) has {format_count(count)} infinite values; fix them "
        "in the export."
    )


def far_from_median_warning(
    column: str,
    argument: str,
    count: int,
    median: float,
    values: Sequence[Any],
    rows: Sequence[Any] | None,
    *,
    below: bool = False,
) -> str:
    """The warning for values more than :data:`RELATIVE_LIMIT` times their group's median
    (usually a misplaced decimal) or, ``below``, positive values less than 1/RELATIVE_LIMIT of
    it (usually hourly rates among annual salaries)."""
    far = (f"less than 1/{RELATIVE_LIMIT:,} of" if below
           else f"more than {RELATIVE_LIMIT:,} times")
    check = (": hourly rates among annual salaries (a pay-frequency column says which; convert "
             "them to one period first), or a misplaced decimal" if below
             else " (a misplaced decimal, or cents read as units)")
    return (
        f"column {column!r} ({argument}=) has {format_count(count)} value(s) {far} the median "
        f"of their group (e.g. {format_number(median, 2)}): {_where(rows, values)}. Check the "
        f"export{check}; the figures include them."
    )


@dataclass(frozen=True)
class PayValues:
    """A checked pay column: ``values`` (float64, NaN where missing) and its warnings."""

    values: np.ndarray
    warnings: tuple[str, ...] = ()


def check_pay(
    values: pd.Series,
    column: str,
    *,
    positive: bool,
    argument: str = "pay",
    where: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> PayValues:
    """Pay as float64, checked: numeric, finite, below :data:`PAY_LIMIT`, positive when
    ``positive`` (log pay), and not far above its group's median (a warning).

    ``where`` limits the checks to the rows still in the analysis; ``groups`` (integer codes)
    gives each row's group for the relative check (one group when omitted). Row numbers in
    messages are positions in the data passed.
    """
    if not (pd.api.types.is_numeric_dtype(values.dtype) and values.dtype != bool):
        sample = pd.unique(values.dropna().astype(object))[:_SAMPLE].tolist()
        raise not_numeric_error(column, argument, sample,
                                nw.from_native(values.reset_index(drop=True).to_frame(column)))
    arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    keep = np.ones(len(arr), dtype=bool) if where is None else np.asarray(where, dtype=bool)
    known = keep & ~np.isnan(arr)
    infinite = known & np.isinf(arr)
    if infinite.any():
        raise infinite_error(column, argument, int(infinite.sum()))
    huge = known & (np.abs(arr) >= PAY_LIMIT)
    if huge.any():
        at = np.flatnonzero(huge)[:5]
        raise too_large_error(column, argument, int(huge.sum()), arr[at].tolist(), at.tolist())
    if positive:
        bad = known & (arr <= 0)
        if bad.any():
            at = np.flatnonzero(bad)
            raise InvalidValueError(
                f"column {column!r} ({argument}=) has {int(bad.sum())} zero or negative values "
                f"of {len(arr)} rows (e.g. {preview(arr[at].tolist())} at rows "
                f"{at[:5].tolist()}); the logarithm of pay needs positive pay. Exclude unpaid "
                "employees (e.g. on unpaid leave), fix the values, or pass log=False to model "
                "pay in currency units."
            )
    codes = np.zeros(len(arr), dtype=np.int64) if groups is None else np.asarray(groups)
    return PayValues(arr, tuple(_relative_warnings(arr, known, codes, column, argument)))


def _relative_warnings(
    arr: np.ndarray, known: np.ndarray, codes: np.ndarray, column: str, argument: str
) -> list[str]:
    # one median per group, looked up by each row's code (NaN: no positive median)
    if not known.any():
        return []
    offset = int(codes.min())
    medians = np.full(int(codes.max()) - offset + 1, np.nan)
    for code in pd.unique(codes[known]):  # each group's median is its own: any order
        median = float(np.median(arr[known & (codes == code)]))
        if median > 0:
            medians[code - offset] = median
    median = medians[codes - offset]
    with np.errstate(invalid="ignore"):
        above = known & (arr > RELATIVE_LIMIT * median)
        below = known & (arr > 0) & (arr < median / RELATIVE_LIMIT)
    out = []
    for far, low in ((above, False), (below, True)):
        if far.any():
            at = np.flatnonzero(far)[:5]
            out.append(far_from_median_warning(column, argument, int(far.sum()),
                                               float(median[at[0]]), arr[at].tolist(),
                                               at.tolist(), below=low))
    return out


# --- data in an engine: the same checks as expressions ------------------------------------


def check_numeric_column(frame: Any, column: str, argument: str) -> None:
    """:func:`check_pay`'s type check for a column of a frame in any engine."""
    dtype = schema(frame)[column]
    if dtype != nw.Boolean and dtype.is_numeric():
        return
    if dtype == nw.Object:  # pandas objects (e.g. Decimal): named by their type
        values = collect_pandas(frame.select(nw.col(column)).drop_nulls().head(1_000))[column]
        raise not_numeric_error(column, argument, pd.unique(values.astype(object))[:5].tolist())
    sample = collect_pandas(
        frame.select(nw.col(column).cast(nw.String)).drop_nulls().unique().head(_SAMPLE)
    )[column].tolist()
    raise not_numeric_error(column, argument, sample, frame)


def missing_expr(column: str, types: dict[str, Any]) -> nw.Expr:
    """Missing: null, and NaN in a float column."""
    expr = nw.col(column).is_null()
    if types[column].is_float():
        expr = expr | nw.col(column).fill_null(0.0).is_nan()
    return expr


def infinite_expr(column: str, types: dict[str, Any]) -> nw.Expr:
    """Infinite values (never null, so the engine's sum counts them)."""
    if not types[column].is_float():
        return nw.lit(False)
    return ~missing_expr(column, types) & (nw.col(column).abs() == float("inf"))


def too_large_expr(column: str, types: dict[str, Any]) -> nw.Expr:
    """Finite values of :data:`PAY_LIMIT` or more in absolute value."""
    col = nw.col(column)
    big = col.abs() >= PAY_LIMIT
    if types[column].is_float():
        big = big & (col.abs() != float("inf"))
    return ~missing_expr(column, types) & big


def examples(frame: Any, column: str, rows: nw.Expr, limit: int = 5) -> tuple[list, list | None]:
    """Up to ``limit`` values of ``column`` where ``rows`` holds, and their row numbers (None
    for data in a lazy engine, which has no row order)."""
    if is_lazy(frame):
        got = collect_pandas(frame.filter(rows).select(column).head(limit))
        return got[column].tolist(), None
    index = internal_name("row", schema(frame))
    got = collect_pandas(frame.with_row_index(index).filter(rows).select(index, column).head(limit))
    return got[column].tolist(), got[index].tolist()
