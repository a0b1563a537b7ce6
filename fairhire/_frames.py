"""Narwhals adapters: accept any supported frame, check columns, aggregate in the caller's engine.

Row-level work happens here, once, in whatever engine the data lives in (pandas, polars eager or
lazy, pyarrow, DuckDB, PySpark ...). What comes back is a small pandas table of counts or sums that
the statistics layer can work on. Nothing here mutates the caller's data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .errors import (
    InputTypeError,
    InsufficientDataError,
    InvalidParameterError,
    missing_column_error,
    preview,
)

Frame = nw.DataFrame[Any] | nw.LazyFrame[Any]

__all__ = [
    "as_columns",
    "collect_pandas",
    "column_names",
    "count_rows",
    "fingerprint_frame",
    "group_counts",
    "is_lazy",
    "require_columns",
    "schema",
    "to_narwhals",
]


def to_narwhals(data: Any, *, argument: str = "data") -> Frame:
    """Wrap a user's frame with narwhals, or raise a clear error for anything else.

    Accepts pandas, polars (eager and lazy), pyarrow tables, DuckDB relations, PySpark and
    anything else narwhals supports. A dict of columns is accepted as a convenience and turned
    into a pandas frame.
    """
    if isinstance(data, nw.DataFrame | nw.LazyFrame):
        return data
    if isinstance(data, dict):
        data = pd.DataFrame(data)
    try:
        return nw.from_native(data)
    except TypeError as exc:
        raise InputTypeError(
            f"{argument}= must be a data frame (pandas, polars, pyarrow, DuckDB or PySpark); "
            f"got {type(data).__module__}.{type(data).__name__}. Load your CSV with "
            "pandas.read_csv() or polars.read_csv() and pass the frame."
        ) from exc


def is_lazy(frame: Frame) -> bool:
    return isinstance(frame, nw.LazyFrame)


def schema(frame: Frame) -> dict[str, Any]:
    return dict(frame.collect_schema())


def column_names(frame: Frame) -> list[str]:
    return list(frame.collect_schema().names())


def as_columns(value: str | Sequence[str] | None, *, argument: str) -> list[str]:
    """Normalise a column argument (one name or a list of names) to a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise InvalidParameterError(
            f"{argument}= must be a column name or a list of column names; got {value!r}."
        ) from None
    bad = [v for v in names if not isinstance(v, str)]
    if bad:
        raise InvalidParameterError(
            f"{argument}= must hold column names (strings); got {preview(bad)}."
        )
    if len(set(names)) != len(names):
        raise InvalidParameterError(f"{argument}= lists a column more than once: {names!r}.")
    return names


def require_columns(frame: Frame, **arguments: str | Sequence[str] | None) -> None:
    """Raise :class:`~fairhire.errors.ColumnError` for any named column the frame lacks.

    Keyword names are the argument names the user passed (``group="sex"``), so the message can
    say which argument pointed at a missing column.
    """
    available = column_names(frame)
    present = set(available)
    for argument, value in arguments.items():
        names = as_columns(value, argument=argument)
        missing = [n for n in names if n not in present]
        if missing:
            raise missing_column_error(missing, available, argument=argument)


def collect_pandas(frame: Frame) -> pd.DataFrame:
    """Bring a (small) narwhals frame back as a pandas DataFrame."""
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    out = frame.to_pandas()
    return out.reset_index(drop=True)


def count_rows(frame: Frame) -> int:
    """Number of rows, computed in the caller's engine."""
    out = collect_pandas(frame.select(nw.len().alias("n")))
    return int(out["n"].iloc[0])


def group_counts(
    frame: Frame, keys: Sequence[str], aggregations: Iterable[Any] = ()
) -> pd.DataFrame:
    """One group-by in the caller's engine: row count ``n`` plus extra aggregations.

    Null keys are kept (as missing values), so rows with a missing group are counted rather than
    dropped. The result is a small pandas table.
    """
    aggs = [nw.len().alias("n"), *aggregations]
    if keys:
        grouped = frame.group_by(*keys, drop_null_keys=False).agg(*aggs)
    else:
        grouped = frame.select(*aggs)
    return collect_pandas(grouped)


def fingerprint_frame(table: pd.DataFrame) -> str:
    """SHA-256 of a (small, aggregated) pandas table, independent of its row order.

    Results record the fingerprint of the aggregated table they were computed from, so an
    auditor can check that two runs saw the same data without hashing millions of input rows.
    """
    if table.empty:
        return hashlib.sha256(b"empty:" + ",".join(map(str, table.columns)).encode()).hexdigest()
    ordered = table.astype(str).sort_values(list(table.columns)).reset_index(drop=True)
    payload = ordered.to_csv(index=False).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def ensure_not_empty(n_rows: int, *, what: str = "data") -> None:
    if n_rows == 0:
        raise InsufficientDataError(
            f"{what} has no rows. Check the filter or export that produced it."
        )
