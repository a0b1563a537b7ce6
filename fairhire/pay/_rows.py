"""Rows of the regression analyses (pay gap, Oaxaca–Blinder): collect the columns they need,
account for every row, and fingerprint what was analysed.

The regressions need row-level data, so they collect only the columns they read to pandas
(:func:`fairhire._frames.collect_rows` guards data in a lazy engine) and then work on numpy
arrays. Every excluded row is counted by reason in a :class:`RowFilter`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.missing import is_missing
from .._core.params import check_choice
from .._frames import as_columns, collect_rows, objects_as_numbers, require_columns, to_narwhals
from ..errors import InsufficientDataError, InvalidValueError

__all__ = [
    "MISSING_POLICIES", "RowFilter", "collect", "drop_masked",
    "drop_missing", "missing_mask", "row_fingerprint",
]

MISSING_POLICIES = ("exclude", "raise")


def collect(
    data: Any, *, analysis: str, numbers: Sequence[str] = (),
    **arguments: str | Sequence[str] | None,
) -> tuple[pd.DataFrame, int]:
    """Check the named columns exist and collect just those to pandas (guarded for lazy data).

    Keyword names are the user's argument names (``pay="salary"``) so a missing column error
    says which argument pointed at it. ``numbers`` names the arguments whose columns hold
    numbers: Python number objects there (``Decimal``) are read as float64
    (:func:`fairhire._frames.objects_as_numbers`). Returns the frame and its row count; an
    empty frame is an :class:`~fairhire.errors.InsufficientDataError`.
    """
    frame = to_narwhals(data)
    require_columns(frame, **arguments)
    names: list[str] = []
    for argument, value in arguments.items():
        names += [n for n in as_columns(value, argument=argument) if n not in names]
    out = collect_rows(frame, names, analysis=analysis)
    for argument in numbers:
        for column in as_columns(arguments.get(argument), argument=argument):
            out[column] = objects_as_numbers(out[column])
    if len(out) == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    return out, len(out)


@dataclass
class RowFilter:
    """Tracks which rows are still in an analysis, and why the others left (in order)."""

    n: int
    keep: np.ndarray = field(init=False)
    excluded: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keep = np.ones(self.n, dtype=bool)

    def drop(self, mask: np.ndarray, reason: str) -> int:
        """Exclude rows where ``mask`` is True (among those still kept); returns the count."""
        hit = mask & self.keep
        count = int(hit.sum())
        if count:
            self.excluded[reason] = self.excluded.get(reason, 0) + count
            self.keep &= ~hit
        return count

    @property
    def used(self) -> int:
        return int(self.keep.sum())

    def warning(self) -> list[str]:
        """One sentence listing the exclusions, or none."""
        if not self.excluded:
            return []
        parts = "; ".join(f"{v:,} {k}" for k, v in self.excluded.items())
        return [f"rows excluded: {parts}."]


def missing_mask(values: pd.Series) -> np.ndarray:
    """:func:`fairhire._core.missing.is_missing` for every row, read once per distinct value
    (numbers and booleans are missing only when null or NaN)."""
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return values.isna().to_numpy(dtype=bool)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = np.array([is_missing(u) for u in uniques] + [True], dtype=bool)
    return blank[np.where(codes < 0, len(uniques), codes)]


def drop_missing(
    frame: pd.DataFrame, rows: RowFilter, columns: dict[str, str], *, missing: str
) -> None:
    """Exclude (and count) rows with a missing value in any of ``columns`` ({column: role}).

    With ``missing="raise"`` a missing value is an error naming the column and the count.
    """
    check_choice(missing, "missing", MISSING_POLICIES)
    for column, role in columns.items():
        drop_masked(rows, missing_mask(frame[column]), column, role, missing=missing)


def drop_masked(rows: RowFilter, mask: np.ndarray, column: str, role: str, *, missing: str) -> None:
    """Exclude (and count) the rows where ``mask`` (missing values of ``column``) is True;
    with ``missing="raise"`` any is an error naming the column and the count."""
    if not mask.any():
        return
    if missing == "raise":
        where = np.flatnonzero(mask)[:5].tolist()
        raise InvalidValueError(
            f"column {column!r} ({role}) has {int(mask.sum())} missing values of "
            f"{len(mask)} rows (e.g. rows {where}). Fill them, drop those rows, or pass "
            "missing='exclude' to leave them out and have them counted."
        )
    rows.drop(mask, f"missing {role} ({column})")


def _hash_column(values: pd.Series) -> np.ndarray:
    """Row hashes of one column that do not depend on the engine it came from: numbers as
    float64, everything else as text."""
    if pd.api.types.is_numeric_dtype(values.dtype) and values.dtype != bool:
        plain = pd.Series(values.to_numpy(dtype=np.float64, na_value=np.nan))
        return pd.util.hash_pandas_object(plain, index=False).to_numpy()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series([None if is_missing(u) else str(u) for u in uniques] + [None], dtype=object)
    hashes = pd.util.hash_pandas_object(text, index=False).to_numpy()
    return hashes[np.where(codes < 0, len(uniques), codes)]


def row_fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of the rows an analysis used, independent of their order and of the engine.

    Examples
    --------
    >>> a = pd.DataFrame({"g": ["x", "y"], "pay": [1.0, 2.0]})
    >>> row_fingerprint(a) == row_fingerprint(a.iloc[::-1])
    True
    """
    digest = hashlib.sha256(",".join(map(str, frame.columns)).encode("utf-8"))
    if len(frame):
        rows = np.zeros(len(frame), dtype=np.uint64)
        for i, column in enumerate(frame.columns):
            with np.errstate(over="ignore"):
                rows = rows * np.uint64(1_000_003) + _hash_column(frame[column]) + np.uint64(i)
        digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


