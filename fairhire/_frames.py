"""Narwhals adapters: accept any supported frame, check columns, aggregate in the caller's engine.

Row-level work happens here, once, in whatever engine the data lives in (pandas, polars eager or
lazy, pyarrow, DuckDB, PySpark ...). What comes back is a small pandas table of counts or sums that
the statistics layer can work on. Nothing here mutates the caller's data.
"""

from __future__ import annotations

import hashlib
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
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
    "collect_rows",
    "column_names",
    "combine_fingerprints",
    "count_rows",
    "fingerprint_frame",
    "group_counts",
    "is_lazy",
    "needs_int_sums",
    "numbers_from_objects",
    "objects_as_numbers",
    "require_columns",
    "schema",
    "sum_true",
    "text_group_counts",
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


#: what :func:`pandas.api.types.infer_dtype` calls a column of numbers only
_NUMBER_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "decimal"})


def objects_as_numbers(values: pd.Series) -> pd.Series:
    """``values`` as numbers when it is an object column of numbers only (see
    :func:`numbers_from_objects`): int64 for whole numbers with none missing, as pandas reads
    them, else float64; otherwise ``values`` itself.

    Examples
    --------
    >>> objects_as_numbers(pd.Series([1, 2.5, None], dtype=object)).tolist()
    [1.0, 2.5, nan]
    >>> str(objects_as_numbers(pd.Series([1, 2], dtype=object)).dtype)
    'int64'
    """
    dtype = _number_dtype(values)
    return values if dtype is None else values.astype(dtype)


def _number_dtype(values: pd.Series) -> type | None:
    """int64 or float64 for an object column of numbers only; None for any other column."""
    if values.dtype != object:
        return None
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "integer" and not values.isna().any():
        return np.int64
    if kind in ("mixed", "mixed-integer"):  # e.g. Decimal beside int: look at each value
        numeric = all(
            isinstance(v, numbers.Number) and not isinstance(v, bool | np.bool_)
            for v in values.dropna().tolist()
        )
        return np.float64 if numeric else None
    return np.float64 if kind in _NUMBER_KINDS else None


def numbers_from_objects(frame: Frame, columns: Iterable[str | None]) -> Frame:
    """The frame with each of ``columns`` that holds numbers as Python objects read as numbers
    (int64 for whole numbers with none missing, otherwise float64; see
    :func:`objects_as_numbers`).

    A pandas column of numbers can have the object dtype: ``pd.concat`` with a frame where the
    column was ``None``, or a database's ``NUMERIC`` values as ``Decimal``. Its values are
    numbers all the same, so an analysis reads them as numbers (missing values stay missing).
    Text (``"12.5"``), booleans and mixed columns are left as they are, for the caller's own
    check to name. Other engines type their columns, so their frames come back unchanged; the
    user's frame is never modified.

    Examples
    --------
    >>> from decimal import Decimal
    >>> f = to_narwhals(pd.DataFrame({"pay": [Decimal("10.5"), None, 12], "g": ["a", "b", "c"]}))
    >>> numbers_from_objects(f, ["pay", "g"]).to_native()["pay"].tolist()
    [10.5, nan, 12.0]
    """
    if is_lazy(frame) or not frame.implementation.is_pandas_like():
        return frame
    native = frame.to_native()
    names = set(native.columns)
    cast = {c: _number_dtype(native[c]) for c in dict.fromkeys(columns)
            if c is not None and c in names}
    exprs = [nw.col(c).cast(nw.Int64 if t is np.int64 else nw.Float64)
             for c, t in cast.items() if t is not None]
    return frame.with_columns(*exprs) if exprs else frame


def is_lazy(frame: Frame) -> bool:
    return isinstance(frame, nw.LazyFrame)


def needs_int_sums(frame: Frame) -> bool:
    """Whether the engine refuses ``sum()`` over a boolean column (Spark SQL, Ibis).

    pandas, pyarrow, polars and DuckDB count ``True`` values with ``sum()``; Spark raises
    ``DATATYPE_MISMATCH``, so booleans are cast to integers there first. The cast is free in a
    lazy engine and is skipped elsewhere, so pandas still sums the caller's columns in place.
    """
    impl = frame.implementation
    return bool(impl.is_spark_like() or impl.is_ibis())


def sum_true(expr: nw.Expr, frame: Frame) -> nw.Expr:
    """Number of ``True`` values of a boolean expression, in any engine (see above)."""
    if needs_int_sums(frame):
        return expr.cast(nw.Int64).sum()
    return expr.sum()


def schema(frame: Frame) -> dict[str, Any]:
    return dict(frame.collect_schema())


def column_names(frame: Frame) -> list[str]:
    return list(frame.collect_schema().names())


#: How to go on when columns are named by numbers (pandas.read_csv(header=None) names them 0, 1).
_TEXT_NAMES = (
    " Columns named by numbers (as pandas.read_csv(header=None) names them) must be renamed to "
    "text first, e.g. df.columns = df.columns.astype(str), then passed as '0', '1', ..."
)


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
            + (_TEXT_NAMES if isinstance(value, int | float) else "")
        ) from None
    bad = [v for v in names if not isinstance(v, str)]
    if bad:
        raise InvalidParameterError(
            f"{argument}= must hold column names (strings); got {preview(bad)}."
            + (_TEXT_NAMES if any(isinstance(v, int | float) for v in bad) else "")
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


#: Regression analyses (adjusted pay gap, Oaxaca-Blinder, logit models) need row-level data and
#: collect their columns to pandas. For data in a lazy engine (DuckDB, Spark, polars lazy) they
#: stop above this many rows and say how to sample instead of exhausting the driver's memory.
#: Override per call (``limit=``) or with the environment variable FAIRHIRE_COLLECT_LIMIT.
COLLECT_LIMIT = 20_000_000


def _collect_limit(limit: int | None) -> int:
    if limit is not None:
        return int(limit)
    raw = os.environ.get("FAIRHIRE_COLLECT_LIMIT")
    if raw is None:
        return COLLECT_LIMIT
    try:
        return int(raw.replace("_", ""))
    except ValueError:
        raise InvalidParameterError(
            f"FAIRHIRE_COLLECT_LIMIT={raw!r} must be a whole number of rows."
        ) from None


def _sampling_hint(frame: Frame, fraction: float) -> str:
    impl = frame.implementation
    pct = f"{max(fraction * 100, 0.01):.2g}"
    if impl.is_spark_like():
        return (
            f"In Spark: df.sample(fraction={max(fraction, 0.0001):.2g}, seed=1), or collect on "
            "purpose with df.select(...).toPandas() if the driver has the memory"
        )
    if impl.is_duckdb():
        return (
            f'In DuckDB: duckdb.sql("SELECT ... FROM ... USING SAMPLE {pct}% (bernoulli, 1)"), '
            "or collect on purpose with rel.df() if memory allows"
        )
    if impl.is_polars():
        return (
            "In polars: lf.collect().sample(fraction=..., seed=1), or lf.collect() if memory allows"
        )
    return "Sample the rows in your engine, or collect them to pandas on purpose"


def collect_rows(
    frame: Frame,
    columns: Sequence[str],
    *,
    analysis: str,
    limit: int | None = None,
) -> pd.DataFrame:
    """Collect ``columns`` of every row to pandas, for analyses that need row-level data.

    Regressions (X'X needs every row's design vector, robust errors every residual) are not
    pushed into the engine: this is where they bring their data into memory. For a lazy engine
    (DuckDB, Spark, polars lazy) the rows are counted in the engine first, and above ``limit``
    (default :data:`COLLECT_LIMIT`) an :class:`~fairhire.errors.InvalidParameterError` says how
    to sample the data or collect it deliberately. Eager frames are in memory already.
    """
    names = list(dict.fromkeys(columns))
    if is_lazy(frame):
        cap = _collect_limit(limit)
        n = count_rows(frame)
        if n > cap:
            raise InvalidParameterError(
                f"{analysis}() fits a regression on row-level data, so it collects the "
                f"columns {names!r} of every row into memory; this {frame.implementation} "
                f"data has {n:,} rows, above the limit of {cap:,} rows for data in a lazy "
                "engine. Counts, rates, medians and pay bands run in the engine at any size; "
                "a regression needs a sample or a deliberate collect. "
                f"{_sampling_hint(frame, cap / n)} and pass the result; or raise the limit "
                "(limit=, or the environment variable FAIRHIRE_COLLECT_LIMIT)."
            )
    return collect_pandas(frame.select(*names))


def count_rows(frame: Frame) -> int:
    """Number of rows, computed in the caller's engine."""
    out = collect_pandas(frame.select(nw.len().alias("n")))
    return int(out["n"].iloc[0])


#: Rows per slice when a large pandas frame is counted slice by slice (see group_counts).
CHUNK_ROWS = 1 << 20


def group_counts(
    frame: Frame,
    keys: Sequence[str],
    aggregations: Iterable[Any] = (),
    *,
    additive: bool = False,
    count_name: str = "n",
) -> pd.DataFrame:
    """One group-by in the caller's engine: row count ``n`` plus extra aggregations.

    Null keys are kept (as missing values), so rows with a missing group are counted rather than
    dropped. The result is a small pandas table. ``count_name`` names the row-count column
    (pass an internal name when a key column may itself be called ``n``).

    ``additive=True`` says every aggregation is an integer count or sum, so counts of row slices
    add up to the counts of the whole. A pandas frame longer than two slices is then counted a
    slice (``CHUNK_ROWS``) at a time: pandas' group-by materialises int64 codes and int64 copies
    of boolean columns for every row, which would double the memory of a 10M-row frame; slices
    are views, so the extra memory stays at a few slices' worth. The totals are exact.
    """
    aggs = [nw.len().alias(count_name), *aggregations]
    if not keys:
        return collect_pandas(frame.select(*aggs))
    if additive and not is_lazy(frame) and frame.implementation.is_pandas():
        n_rows = len(frame)
        if n_rows > 2 * CHUNK_ROWS:
            parts = [
                collect_pandas(
                    frame[start : start + CHUNK_ROWS]
                    .group_by(*keys, drop_null_keys=False)
                    .agg(*aggs)
                )
                for start in range(0, n_rows, CHUNK_ROWS)
            ]
            combined = pd.concat(parts, ignore_index=True)
            return combined.groupby(
                list(keys), dropna=False, observed=True, sort=False, as_index=False
            ).sum()
    grouped = frame.group_by(*keys, drop_null_keys=False).agg(*aggs)
    return collect_pandas(grouped)


def text_group_counts(
    frame: Frame, keys: Sequence[str], sums: Mapping[str, str] | None = None, *,
    count_name: str = "n",
) -> dict[str, Any] | None:
    """:func:`group_counts` of a polars eager frame whose keys are all text, with the row count
    and the sum of each column in ``sums`` (output name: column), as plain columns: the keys
    as lists of ``str`` (None where missing, as :func:`group_counts`' table gives them after
    ``astype(object)`` with NaN read as None), every other column as a numpy array. None for
    any other frame.

    The table is a few dozen rows: converting it to pandas (through Arrow) costs more than
    polars' whole group-by of a small frame, and the funnel reads the columns back out of it.
    The query is polars' own (the expressions narwhals would hand it): translating narwhals
    expressions cost as much again as the group-by of a small frame.

    Examples
    --------
    >>> import polars as pl
    >>> frame = to_narwhals(pl.DataFrame({"g": ["a", None, "a"], "x": [1, 2, 3]}))
    >>> out = text_group_counts(frame, ["g"], {"x": "x"})
    >>> sorted(zip(out["g"], out["n"].tolist(), out["x"].tolist()), key=str)
    [('a', 2, 4), (None, 1, 2)]
    """
    if not keys or is_lazy(frame) or not frame.implementation.is_polars():
        return None
    dtypes = schema(frame)
    if any(dtypes[k] != nw.String for k in keys):
        return None
    import polars as pl  # the frame is a polars frame: polars is there

    aggs = [pl.len().alias(count_name)]
    aggs += [pl.col(column).sum().alias(name) for name, column in (sums or {}).items()]
    native = frame.to_native().group_by(list(keys)).agg(aggs)
    return {
        c: native.get_column(c).to_list() if c in keys else native.get_column(c).to_numpy()
        for c in native.columns
    }


def fingerprint_frame(table: pd.DataFrame) -> str:
    """SHA-256 of a (small, aggregated) pandas table, independent of its row order.

    Results record the fingerprint of the aggregated table they were computed from, so an
    auditor can check that two runs saw the same data without hashing millions of input rows.
    The digest is that of ``pandas.util.hash_pandas_object(table.astype(str), index=False)``
    (the row hashes, sorted); plain columns (integers, Python scalars) are hashed in one call
    instead of one pandas conversion per column.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", None], "n": [3, 4]})
    >>> fingerprint_frame(t) == fingerprint_frame(t.iloc[::-1])
    True
    """
    digest = hashlib.sha256(",".join(map(str, table.columns)).encode("utf-8"))
    if len(table):
        rows = _row_hashes(table)
        digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


def combine_fingerprints(*parts: str) -> str:
    """One SHA-256 of several fingerprints (in order): a result computed from several tables.

    Examples
    --------
    >>> a, b = fingerprint_frame(pd.DataFrame({"n": [1]})), fingerprint_frame(pd.DataFrame())
    >>> combine_fingerprints(a, b) != combine_fingerprints(b, a)
    True
    """
    return hashlib.sha256("".join(parts).encode("ascii")).hexdigest()


_PLAIN = (str, int, float, bool, type(None))


_PLAIN_KINDS = (np.dtype(np.int64), np.dtype(object))


def plain_cells(table: pd.DataFrame) -> tuple[np.ndarray, list[Any]] | None:
    """A small table as one object array and its column dtypes, when its column names are
    unique and every column is int64 or object; else None. ``cells[:, j]`` holds what
    ``table.iloc[:, j].to_numpy(dtype=object)`` gives (Python ints, the objects themselves).

    pandas 3 hands out a column as a Series in about 12 µs, and the whole table as an array in
    about as much: reading a counts table column by column cost a quarter of a millisecond.

    Examples
    --------
    >>> table = pd.DataFrame({"g": pd.Series(["a", None], dtype=object), "n": [3, 4]})
    >>> cells, kinds = plain_cells(table)
    >>> cells[:, 1].tolist(), [str(k) for k in kinds]
    ([3, 4], ['object', 'int64'])
    >>> plain_cells(table.astype({"g": "str"})) is None  # text columns are not plain
    True
    """
    if not table.columns.is_unique:
        return None
    kinds = table.dtypes.tolist()
    if any(k not in _PLAIN_KINDS for k in kinds):
        return None
    return table.to_numpy(dtype=object), kinds


def _as_text(values: np.ndarray, kind: Any) -> np.ndarray | None:
    """A column of :func:`plain_cells` as ``astype(str)`` writes it (object array, None where
    it gives a missing value), for integer columns and object columns of plain Python
    scalars; else None."""
    if kind == np.int64:
        return values.astype(np.int64).astype(str).astype(object)
    items = values.tolist()
    if any(type(v) not in _PLAIN for v in items):
        return None
    return np.array([None if v is None or v != v else str(v) for v in items], dtype=object)


def _row_hashes(table: pd.DataFrame) -> np.ndarray:
    """``hash_pandas_object(table.astype(str), index=False)`` as a uint64 array."""
    plain = plain_cells(table)
    texts = [] if plain is None else [_as_text(c, k) for c, k in zip(plain[0].T, plain[1], strict=True)]
    if plain is None or any(t is None for t in texts):
        return pd.util.hash_pandas_object(table.astype(str), index=False).to_numpy()
    flat = np.concatenate(texts)
    missing = np.equal(flat, None)
    hashed = np.full(len(flat), np.iinfo(np.uint64).max, dtype=np.uint64)
    if (~missing).any():
        hashed[~missing] = pd.util.hash_array(flat[~missing], categorize=False)
    # pandas' combination of column hashes (CPython's tuple hash), column by column
    columns = hashed.reshape(len(texts), len(table))
    out = np.full(len(table), 0x345678, dtype=np.uint64)
    mult = np.uint64(1000003)
    for i, h in enumerate(columns):
        inverse = len(texts) - i
        out ^= h
        out *= mult
        mult += np.uint64(82520 + inverse + inverse)
    out += np.uint64(97531)
    return out


def ensure_not_empty(n_rows: int, *, what: str = "data") -> None:
    if n_rows == 0:
        raise InsufficientDataError(
            f"{what} has no rows. Check the filter or export that produced it."
        )
