"""Integer codes of key columns in a pandas frame, for counting with ``np.bincount``.

A group-by that only counts rows needs, per row, the number of its cell: with the codes of each
key column (0 for a missing value, 1… for the distinct values) the cell is the mixed-radix
number of the codes, and ``np.bincount`` over the cells counts them all in one pass over a
small integer array. Categorical columns carry their codes already; other columns are
factorized once (``pandas.factorize``, the hashing pandas' own group-by does), and codes are
kept in the smallest integer type that holds them.

Missing values (None, NaN, NA, NaT) form one cell of their own, as in a group-by with
``dropna=False``. Distinct values compare as in pandas' group-by (Python equality for objects).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KeyCodes", "key_codes", "pandas_native"]

#: Column kinds that are coded (others, e.g. dates, go through the engine's own group-by).
_KINDS = frozenset("biufOUS")


def pandas_native(frame: Any) -> pd.DataFrame | None:
    """The pandas DataFrame behind an eager narwhals frame; None for any other engine."""
    import narwhals.stable.v2 as nw

    if isinstance(frame, nw.DataFrame) and frame.implementation.is_pandas():
        native = frame.to_native()
        return native if isinstance(native, pd.DataFrame) else None
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
        out = np.zeros(stop - start, dtype=np.intp)
        stride = scale
        for codes, size in zip(self.codes[::-1], self.sizes[::-1], strict=True):
            part = codes[start:stop].astype(np.intp)
            part += 1
            if stride != 1:
                part *= stride
            out += part
            stride *= size
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
