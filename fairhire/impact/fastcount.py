"""The funnel of a pandas or polars frame counted at numpy speed: one ``np.bincount`` per slice.

For a pandas frame whose key columns can be coded (:mod:`fairhire._codes`: categoricals,
text, numbers, booleans), or a polars eager frame whose keys are categorical, enum or boolean,
every (group, stratum) cell is counted for every stage at once. In a
consistent funnel, a row passed stage k exactly when it passed k stages or more, so with the
*level* of a row (the number of stages it passed) the one count of (cell, level) pairs gives
everything: those who applied are a cell's total, those who passed stage k the rows at level
≥ k. Rows excluded for a missing outcome or an inconsistent funnel get a level of their own
and are left out.

Rows are read a slice (:data:`SLICE_ROWS`) at a time, so the extra memory is a few arrays of
one slice (the cell numbers of the rows and their levels), whatever the frame's length.
Null-free boolean stage columns are read directly (a pandas column's values, a polars column's
bitmap); other flags are read by the same expressions as the engine path
(:func:`fairhire._core.flags.read_flag`), and the checks, exclusions, errors and the table
produced are the same as :func:`fairhire.impact.aggregate.funnel_from_stage_columns`'s, bit
for bit (``tests/test_fastcount.py`` and ``tests/test_fastcount_polars.py`` check).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _frames
from .._codes import (
    KeyCodes,
    key_codes,
    pandas_native,
    polars_flag_rows,
    polars_key_codes,
    polars_native,
)
from .._core.flags import FlagReading
from .._frames import Frame

__all__ = ["MAX_BINS", "SLICE_ROWS", "Tally", "count_levels", "exclusions", "polars_checks"]

#: Above this many (cell, level) bins the engine's group-by is used (very many key values).
MAX_BINS = 1 << 21
#: Rows per slice: a slice's arrays (8-byte cell numbers, 1-byte levels) stay in the CPU's
#: cache, which is faster than larger slices as well as smaller in memory.
SLICE_ROWS = 1 << 17

#: Rows ``start:stop`` of a stage column read without an expression, as a numpy bool array.
Rows = Callable[[int, int], np.ndarray]


@dataclass
class Tally:
    """Counts of one frame: ``bins[cell, level]`` and the exclusion counts (see
    :func:`count_levels`)."""

    codes: KeyCodes
    bins: np.ndarray
    n_rows: int
    first_missing: np.ndarray  # per stage: rows excluded for a missing outcome there
    inconsistent: np.ndarray  # per stage after the first: rows True there, False before
    inconsistent_rows: int = 0
    touched: bool = field(default=False)  # any missing outcome or inconsistency seen


def _bool_array(column: Any) -> np.ndarray:
    """A null-free boolean column of a pandas or polars frame as a numpy bool array."""
    if isinstance(column, pd.Series):
        return column.to_numpy(dtype=bool)
    return column.to_numpy()


def _slice_flags(
    frame: Frame,
    direct: dict[str, Rows],
    stages: Sequence[str],
    readings: dict[str, FlagReading],
    start: int,
    stop: int,
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """The flag (True where the value reads True) and missing arrays of rows start:stop."""
    todo = [s for s in stages if s not in direct]
    evaluated = {}
    if todo:
        part = frame[start:stop]
        exprs = [readings[s].expr().alias(f"f{i}") for i, s in enumerate(todo)]
        exprs += [readings[s].missing_expr().alias(f"m{i}") for i, s in enumerate(todo)]
        native = part.select(*exprs).to_native()
        for i, s in enumerate(todo):
            evaluated[s] = (_bool_array(native[f"f{i}"]), _bool_array(native[f"m{i}"]))
    out_flags, out_missing = [], []
    for s in stages:
        if s in direct:
            out_flags.append(direct[s](start, stop))
            out_missing.append(None)
        else:
            out_flags.append(evaluated[s][0])
            out_missing.append(evaluated[s][1])
    return out_flags, out_missing


def _native_inputs(
    frame: Frame, keys: Sequence[str], stages: Sequence[str], readings: dict[str, FlagReading]
) -> tuple[KeyCodes, int, dict[str, Rows]] | None:
    """The key codes, the row count and the stage columns read without an expression (null-free
    booleans), for a pandas or polars eager frame; None when the fast path does not apply."""
    native = pandas_native(frame)
    if native is not None:
        if not keys or not len(native):
            return None
        codes = key_codes(native, keys)
        direct = {}
        for s in stages:
            column = native[s]
            if readings[s].is_boolean and column.dtype == np.bool_:
                direct[s] = _array_rows(column.to_numpy())
        return None if codes is None else (codes, len(native), direct)
    native = polars_native(frame)
    if native is None or not keys or not len(native):
        return None
    codes = polars_key_codes(native, keys)
    if codes is None:  # before the stage columns' bitmaps are read for nothing
        return None
    direct = {}
    for s in stages:
        column = native.get_column(s)
        if readings[s].is_boolean and not column.null_count():
            direct[s] = polars_flag_rows(column)
    return codes, len(native), direct


def _array_rows(values: np.ndarray) -> Rows:
    return lambda start, stop: values[start:stop]


def exclusions(missing: Sequence[Any], flags: Sequence[Any]) -> tuple[list[Any], Any, list[Any]]:
    """The funnel's exclusion rule, on numpy arrays and engine expressions alike (``&``, ``|``
    and ``~`` work on both).

    ``missing[k]`` says where stage k's outcome is missing (None: nowhere), ``flags[k]`` where
    it reads True. Returns, per stage, the rows first excluded for a missing outcome there (a
    missing outcome matters at a stage the row reached: the first, or after passing the one
    before); the rows excluded for a missing outcome at any stage (None when none can be); and
    per later stage the other rows True there but False at the stage before (inconsistent).
    """
    first: list[Any] = []
    seen = None
    for k, m in enumerate(missing):
        if m is None:
            first.append(None)
            continue
        reached = m & flags[k - 1] if k else m
        first.append(reached if seen is None else reached & ~seen)
        seen = reached if seen is None else seen | reached
    bad = []
    for prev, cur in itertools.pairwise(flags):
        jump = cur & ~prev
        bad.append(jump if seen is None else jump & ~seen)
    return first, seen, bad


def _exclusions(
    fl: list[np.ndarray], ms: list[np.ndarray | None], tally: Tally
) -> np.ndarray | None:
    """Rows to leave out of this slice (None: none), counted into ``tally`` by reason.

    As in the engine path: a missing outcome matters at a stage the row reached (the first,
    or after passing the one before) and is counted at the first such stage; a row True at
    a stage and False at the one before is inconsistent (counted per stage and once as a row).
    """
    if all(m is None or not m.any() for m in ms) and not any(
        (cur & ~prev).any() for prev, cur in itertools.pairwise(fl)
    ):
        return None
    tally.touched = True
    first, seen, bad = exclusions(ms, fl)
    for k, rows in enumerate(first):
        if rows is not None:
            tally.first_missing[k] += int(np.count_nonzero(rows))
    any_bad = None
    for k, rows in enumerate(bad, start=1):
        tally.inconsistent[k] += int(np.count_nonzero(rows))
        any_bad = rows if any_bad is None else any_bad | rows
    drop = seen
    if any_bad is not None:
        tally.inconsistent_rows += int(np.count_nonzero(any_bad))
        drop = any_bad if drop is None else drop | any_bad
    return drop


def count_levels(
    frame: Frame,
    keys: Sequence[str],
    stages: Sequence[str],
    readings: dict[str, FlagReading],
) -> Tally | None:
    """Count (cell, level) pairs of a pandas or polars eager frame, or None when the fast path
    does not apply (another engine, a key column that cannot be coded, too many cells, no
    rows)."""
    found = _native_inputs(frame, keys, stages, readings)
    width = len(stages) + 2  # levels 0..S, and S + 1 for excluded rows
    if found is None or found[0].n_cells * width > MAX_BINS:
        return None
    codes, n_rows, direct = found
    n_stages = len(stages)
    tally = Tally(
        codes=codes,
        bins=np.zeros(codes.n_cells * width, dtype=np.int64),
        n_rows=n_rows,
        first_missing=np.zeros(n_stages, dtype=np.int64),
        inconsistent=np.zeros(n_stages, dtype=np.int64),
    )
    chunk = min(SLICE_ROWS, _frames.CHUNK_ROWS)  # read here, so a test can make slices small
    for start in range(0, tally.n_rows, chunk):
        stop = min(start + chunk, tally.n_rows)
        fl, ms = _slice_flags(frame, direct, stages, readings, start, stop)
        level = fl[0].view(np.uint8).copy()
        for f in fl[1:]:
            level += f.view(np.uint8)
        drop = _exclusions(fl, ms, tally)
        if drop is not None:
            level[drop] = n_stages + 1
        cells = codes.cells(start, stop, scale=width)
        cells += level
        tally.bins += np.bincount(cells, minlength=tally.bins.size)
    return tally


def polars_checks(
    frame: Frame, stages: Sequence[str], readings: dict[str, FlagReading], *, rows_key: str
) -> dict[str, int] | None:
    """The one-row checks of :func:`~fairhire.impact.aggregate.funnel_from_stage_columns`
    (rows under ``rows_key``, ``miss::<stage>`` missing outcomes, ``bad::<stage>`` rows True
    there but False at the stage before) for a polars eager frame whose stage columns are all
    boolean, read from the columns themselves: the same numbers from the same engine, without
    building and running a query for them (a fifth of the time). None for other frames.
    """
    native = polars_native(frame)
    if native is None or not all(readings[s].is_boolean for s in stages):
        return None
    columns = {s: native.get_column(s) for s in stages}
    found = {rows_key: native.height}
    found.update({f"miss::{s}": columns[s].null_count() for s in stages})
    for prev, cur in itertools.pairwise(stages):
        found[f"bad::{cur}"] = (columns[cur] & ~columns[prev]).sum()
    return found
