"""Integer codes of key columns in a pandas or polars frame, for counting with ``np.bincount``.

A group-by that only counts rows needs, per row, the number of its cell: with the codes of each
key column (0 for a missing value, 1… for the distinct values) the cell is the mixed-radix
number of the codes, and ``np.bincount`` over the cells counts them all in one pass over a
small integer array. Categorical columns carry their codes already; other columns are
factorized once (``pandas.factorize``, the hashing pandas' own group-by does), and codes are
kept in the smallest integer type that holds them.

Missing values (None, NaN, NA, NaT) form one cell of their own, as in a group-by with
``dropna=False``. Distinct values compare as in pandas' group-by (Python equality for objects).

A polars frame is coded only where its columns carry codes already (categorical, enum and
boolean keys; :func:`polars_key_codes`): factorizing polars text costs more than polars' own
group-by, so other key types go through the engine. Its null-free boolean columns are read
straight from their bitmaps (:func:`polars_flag_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KeyCodes",
    "key_codes",
    "pandas_native",
    "polars_flag_rows",
    "polars_key_codes",
    "polars_native",
]

#: Column kinds that are coded (others, e.g. dates, go through the engine's own group-by).
_KINDS = frozenset("biufOUS")
#: A polars categorical whose physical codes (into a mapping shared by every categorical of
#: the process) reach this high is renumbered to the codes it uses, to keep the bins few.
DENSE_CODES = 256


def pandas_native(frame: Any) -> pd.DataFrame | None:
    """The pandas DataFrame behind an eager narwhals frame; None for any other engine."""
    import narwhals.stable.v2 as nw

    if isinstance(frame, nw.DataFrame) and frame.implementation.is_pandas():
        native = frame.to_native()
        return native if isinstance(native, pd.DataFrame) else None
    return None


def polars_native(frame: Any) -> Any | None:
    """The polars DataFrame behind an eager narwhals frame; None for any other engine."""
    import narwhals.stable.v2 as nw

    if isinstance(frame, nw.DataFrame) and frame.implementation.is_polars():
        return frame.to_native()
    return None


def _codable(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    if isinstance(dtype, pd.StringDtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        kind = dtype.numpy_dtype.kind if dtype.kind != "O" else "O"
        return kind in _KINDS
    return getattr(dtype, "kind", "") in _KINDS


def _smallest(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Codes (−1 for missing) in the smallest signed integer type that holds them."""
    for kind in (np.int8, np.int16, np.int32):
        if n_values < np.iinfo(kind).max:
            return codes.astype(kind, copy=False)
    return codes


@dataclass(frozen=True)
class KeyCodes:
    """Codes of the key columns: ``codes[k]`` (−1 where missing) and ``values[k]`` (the
    distinct values, as Python objects) per column."""

    codes: list[np.ndarray]
    values: list[list[Any]]

    @property
    def sizes(self) -> list[int]:
        """Codes per column, the missing value's included."""
        return [len(v) + 1 for v in self.values]

    @property
    def n_cells(self) -> int:
        return int(np.prod(self.sizes, dtype=np.float64))

    def cells(self, start: int, stop: int, scale: int = 1) -> np.ndarray:
        """``scale`` × the cell number of rows ``start:stop`` (an intp array)."""
        # Σ (code + 1) × stride, as Σ code × stride plus one constant. No np.zeros: the
        # first column's product is the sum so far (a zeroed buffer was 10× slower, its
        # pages faulted in anew for every slice).
        out = None
        stride, offset = scale, 0
        for codes, size in zip(self.codes[::-1], self.sizes[::-1], strict=True):
            part = codes[start:stop].astype(np.intp)
            if stride != 1:
                part *= stride
            if out is None:
                out = part
            else:
                out += part
            offset += stride
            stride *= size
        if out is None:
            return np.zeros(stop - start, dtype=np.intp)
        out += offset
        return out

    def decode(self, cells: np.ndarray) -> list[list[Any]]:
        """The key values (None where missing) of each cell number, one list per column."""
        out = []
        stride = self.n_cells
        for values, size in zip(self.values, self.sizes, strict=True):
            stride //= size
            code = (cells // stride) % size
            lookup = [None, *values]
            out.append([lookup[c] for c in code.tolist()])
        return out


def key_codes(frame: pd.DataFrame, keys: Sequence[str]) -> KeyCodes | None:
    """Codes of ``keys`` in a pandas frame, or None when a column cannot be coded (dates,
    nested values, ...): the caller then uses the engine's group-by."""
    codes, values = [], []
    for key in keys:
        series = frame[key]
        if not isinstance(series, pd.Series) or not _codable(series):
            return None
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes.append(series.cat.codes.to_numpy())
            values.append(series.cat.categories.tolist())
            continue
        found, uniques = pd.factorize(series, use_na_sentinel=True)
        distinct = list(uniques.tolist()) if hasattr(uniques, "tolist") else list(uniques)
        codes.append(_smallest(found, len(distinct)))
        values.append(distinct)
    return KeyCodes(codes=codes, values=values)


def _physical(physical: Any, values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Physical codes as numpy and their values. Nulls get the code after the last value, which
    decodes to None (missing) like the code −1 does: polars fills a null in place, far faster
    than a cast to a signed type would be. A column without nulls is not copied."""
    if physical.null_count():
        return physical.fill_null(len(values)).to_numpy(), [*values, None]
    return physical.to_numpy(), values


def _category(mapping: Any, code: int) -> Any:
    """The text of a physical code (None for a code reserved by another query but not yet
    given a text; no row of the column holds one)."""
    try:
        return mapping[code]
    except IndexError:
        return None


def _categorical_codes(series: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes and values of a polars Categorical: its physical codes index a mapping that every
    categorical of the process may share (and grow), so only the codes up to the column's
    largest are decoded, and a column with large codes is renumbered to the ones it uses."""
    mapping = series.dtype.categories
    physical = series.to_physical()
    top = physical.max()
    if top is None:  # every value null
        return np.full(len(series), -1, dtype=np.int8), []
    if top < DENSE_CODES:
        return _physical(physical, [_category(mapping, i) for i in range(top + 1)])
    raw = physical.fill_null(top + 1).to_numpy()
    used = np.flatnonzero(np.bincount(raw, minlength=top + 2)[: top + 1])
    renumber = np.full(top + 2, -1, dtype=np.int32)
    renumber[used] = np.arange(len(used), dtype=np.int32)
    return renumber[raw], [_category(mapping, int(i)) for i in used]


def polars_key_codes(frame: Any, keys: Sequence[str]) -> KeyCodes | None:
    """Codes of ``keys`` in a polars DataFrame when every key is categorical, enum or boolean
    (their codes come with the column); None otherwise: the caller uses polars' group-by.

    The values are those the engine path reads back (category text; True/False), so the
    counts are the same bit for bit.
    """
    import polars as pl

    codes, values = [], []
    for key in keys:
        series = frame.get_column(key)
        dtype = series.dtype
        if isinstance(dtype, pl.Enum):
            found, distinct = _physical(series.to_physical(), dtype.categories.to_list())
        elif isinstance(dtype, pl.Categorical):
            found, distinct = _categorical_codes(series)
        elif dtype == pl.Boolean:
            found, distinct = _physical(series.cast(pl.UInt8), [False, True])
        else:
            return None
        codes.append(found)
        values.append(distinct)
    return KeyCodes(codes=codes, values=values)


def polars_flag_rows(series: Any) -> Callable[[int, int], np.ndarray]:
    """Rows ``start:stop`` of a null-free polars Boolean column as a numpy bool array.

    Polars packs booleans eight to a byte; unpacking a slice of its bitmap with
    ``np.unpackbits`` is about ten times faster than ``Series.to_numpy()`` and needs memory for
    one slice only. Without pyarrow (or for a bitmap in several chunks) the slice is converted
    by polars.
    """
    try:
        array = series.to_arrow()
        bits = np.frombuffer(array.buffers()[1], dtype=np.uint8)
        offset = array.offset
    except (ImportError, AttributeError, TypeError):
        return lambda start, stop: series.slice(start, stop - start).to_numpy()

    def rows(start: int, stop: int) -> np.ndarray:
        first, last = offset + start, offset + stop
        byte = first // 8
        unpacked = np.unpackbits(
            bits[byte : (last + 7) // 8], count=last - 8 * byte, bitorder="little"
        )
        return unpacked[first - 8 * byte :].view(np.bool_)

    return rows
