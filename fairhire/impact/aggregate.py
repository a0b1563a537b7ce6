"""Turn applicant-level data into a small table of funnel counts, in the caller's engine.

The output of every path is a :class:`FunnelCounts`: one row per combination of the group and
strata columns, with the number who applied, and for each stage the number who reached the
previous stage (``app::<stage>``) and the number who passed it (``sel::<stage>``). Everything
after this works on that small table.

Stage columns are read by the shared flag rule (:func:`fairhire._core.flags.read_flag`):
True/False, 1/0, 1.0/0.0, yes/no, y/n, t/f in any case. A blank (missing) value at a stage the
applicant reached — the first stage, or a later one after passing the stage before — is a
missing outcome: the row is excluded and counted as ``"missing outcome (<stage>)"``. A blank at
a stage the applicant never reached (the stage before reads False) is not needed and is read as
not selected there. One column with the furthest stage reached is read by
:mod:`fairhire.impact.stage_column` into the same counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.flags import FlagReading, check_blank_stage, read_flag
from .._core.groups import sort_key
from .._frames import Frame, group_counts, is_lazy, schema, sum_true, text_group_counts
from ..errors import (
    ColumnError,
    InsufficientDataError,
    InvalidValueError,
)
from .fastcount import Tally, count_levels, exclusions, polars_checks
from .in_process import IN_PROCESS

APPLIED = "__fh_applied"
_ROWS = "__fh_rows"
_KEEP = "__fh_keep"


def app_col(stage: str) -> str:
    return f"app::{stage}"


def sel_col(stage: str) -> str:
    return f"sel::{stage}"


def missing_outcome(stage: object) -> str:
    """The exclusion reason of rows whose outcome at ``stage`` is blank."""
    return f"missing outcome ({stage})"


def exclusion_warnings(excluded: Mapping[str, int]) -> list[str]:
    """The warning for each reason a funnel's rows were excluded (none for a count of 0):
    an exclusion is never only a number in the row account.

    >>> exclusion_warnings({"inconsistent funnel": 5, "missing outcome (hired)": 0})
    ['5 rows with an inconsistent funnel (selected at a stage without passing the one before) were excluded.']
    """
    return [
        f"{n:,} rows with an inconsistent funnel (selected at a stage without passing the one "
        "before) were excluded." if reason == "inconsistent funnel" else
        f"{n:,} applications still in process (in_process=) were left out: no decision has "
        "been made on them yet." if reason == IN_PROCESS else
        f"{n:,} rows excluded, {reason}: the outcome is blank at a stage the applicant "
        "reached; blanks are counted, never read as not selected."
        for reason, n in excluded.items() if n
    ]


@dataclass(frozen=True)
class FunnelCounts:
    """Counts per (group..., strata...) key; see the module docstring."""

    table: pd.DataFrame
    keys: tuple[str, ...]
    stages: tuple[str, ...]
    chained: bool  # stage k's applicants are stage k-1's selections (bottom line defined)
    total_rows: int
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def count_columns(self) -> list[str]:
        return [APPLIED, *(c for s in self.stages for c in (app_col(s), sel_col(s)))]


# --------------------------------------------------------------------------------------------
# Boolean stage columns
# --------------------------------------------------------------------------------------------


def _missing_count(reading: FlagReading, frame: Frame) -> nw.Expr:
    if reading.is_boolean or reading.dtype.is_integer():
        return nw.col(reading.column).null_count()
    return sum_true(reading.missing_expr(), frame)


def _one_row(frame: Frame) -> dict[str, object]:
    """The one row of an aggregate as Python values (no pandas frame for a row of sums)."""
    return (frame.collect() if is_lazy(frame) else frame).rows(named=True)[0]


def _inconsistent_error(stages: Sequence[str], bad: dict[str, int]) -> InvalidValueError:
    detail = "; ".join(
        f"{bad[cur]:,} rows have {cur!r} True but {prev!r} False"
        for prev, cur in itertools.pairwise(stages)
        if bad.get(cur)
    )
    return InvalidValueError(
        f"inconsistent funnel: {detail}. Each stage column must be True only for applicants "
        "who passed the stage before it (stages are given in funnel order: "
        f"{list(stages)}). Check the order of stages=, fix the export, or pass "
        "on_inconsistent='exclude' to exclude and count those rows."
    )


def funnel_from_stage_columns(
    frame: Frame,
    *,
    keys: Sequence[str],
    stages: Sequence[str],
    on_inconsistent: str,
    total_rows: int | None = None,
    argument: str = "stages",
) -> FunnelCounts:
    """Aggregate yes/no stage columns (in funnel order) with one group-by.

    One pass of cheap checks (rows, missing outcomes, inconsistencies) comes first; only when
    it finds rows to exclude does a second pass say which, before the group-by.
    """
    # a blank at a later stage may be where the funnel ended: checked after the exclusions
    readings = {s: read_flag(frame, s, argument=argument, blanks_reached=not k)
                for k, s in enumerate(stages)}
    flags = {s: readings[s].expr() for s in stages}
    tally = count_levels(frame, keys, stages, readings)
    if tally is not None:
        return _tallied_counts(tally, keys, stages, readings, on_inconsistent, total_rows,
                               argument)
    if is_lazy(frame):
        folded = _folded_group_by(frame, keys, stages, readings, total_rows)
        if folded is not None:
            return folded
    found = polars_checks(frame, stages, readings, rows_key=_ROWS)
    if found is None:
        # boolean columns are compared as they are (a null there is caught by the count)
        raw = {s: nw.col(s) if readings[s].is_boolean else flags[s] for s in stages}
        checks = [nw.len().alias(_ROWS)]
        checks += [_missing_count(readings[s], frame).alias(f"miss::{s}") for s in stages]
        checks += [
            sum_true(raw[cur] & ~raw[prev], frame).alias(f"bad::{cur}")
            for prev, cur in itertools.pairwise(stages)
        ]
        found = _one_row(frame.select(*checks))
    n_rows = int(found[_ROWS]) if total_rows is None else total_rows
    if any(int(found[c] or 0) for c in found if c != _ROWS):
        return _with_exclusions(frame, keys, stages, readings, on_inconsistent, n_rows,
                                argument)
    if all(readings[s].is_boolean for s in stages):
        # Sum the user's boolean columns directly: no copy of the data.
        work, names = frame, {s: s for s in stages}
    else:
        names = {s: f"__fh_s{i}" for i, s in enumerate(stages)}
        work = frame.with_columns(*[flags[s].alias(names[s]) for s in stages])
    # polars with text keys: the same columns as group_counts' table, without pandas
    sums = {sel_col(s): names[s] for s in stages}
    grouped = text_group_counts(work, list(keys), sums, count_name=APPLIED)
    if grouped is None:
        aggs = [sum_true(nw.col(names[s]), work).alias(sel_col(s)) for s in stages]
        grouped = group_counts(work, list(keys), aggs, additive=True, count_name=APPLIED)
    return _chained_counts(grouped, keys, stages, n_rows, {})


def check_blank_stages(readings: Mapping[str, FlagReading], first_missing: Mapping[str, int],
                       argument: str) -> None:
    """Rows blank at a later stage they reached, in a column with no "no" value: an error
    (:func:`~fairhire._core.flags.check_blank_stage`; the first stage was checked on reading)."""
    for s, n in list(first_missing.items())[1:]:
        check_blank_stage(readings[s], n, argument)


def _tallied_counts(
    tally: Tally,
    keys: Sequence[str],
    stages: Sequence[str],
    readings: Mapping[str, FlagReading],
    on_inconsistent: str,
    total_rows: int | None,
    argument: str,
) -> FunnelCounts:
    """FunnelCounts from the counting fast path (:mod:`fairhire.impact.fastcount`)."""
    excluded: dict[str, int] = {}
    if tally.touched:
        check_blank_stages(readings, dict(zip(stages, map(int, tally.first_missing),
                                              strict=True)), argument)
        n_bad = {s: int(tally.inconsistent[k]) for k, s in enumerate(stages) if k}
        if any(n_bad.values()) and on_inconsistent == "raise":
            raise _inconsistent_error(stages, n_bad)
        excluded = {
            missing_outcome(s): int(n) for s, n in zip(stages, tally.first_missing, strict=True)
        }
        excluded = {k: v for k, v in excluded.items() if v}
        if tally.inconsistent_rows:
            excluded["inconsistent funnel"] = tally.inconsistent_rows
    levels = tally.bins.reshape(-1, len(stages) + 2)[:, : len(stages) + 1]
    applied = levels.sum(axis=1)
    cells = np.flatnonzero(applied)
    # at_least[:, k]: rows of the cell that passed k stages or more
    at_least = np.cumsum(levels[cells, ::-1], axis=1)[:, ::-1]
    values = dict(zip(keys, tally.codes.decode(cells), strict=True))
    selected = [at_least[:, k] for k in range(1, len(stages) + 1)]
    n_rows = tally.n_rows if total_rows is None else total_rows
    return _chained(values, applied[cells], selected, keys, stages, n_rows, excluded)


def _with_exclusions(
    frame: Frame,
    keys: Sequence[str],
    stages: Sequence[str],
    readings: dict[str, FlagReading],
    on_inconsistent: str,
    n_rows: int,
    argument: str,
) -> FunnelCounts:
    """Count, then leave out, rows with a missing outcome or an inconsistent funnel."""
    flags = {s: readings[s].expr() for s in stages}
    first, drop, bad = exclusions(
        [readings[s].missing_expr() for s in stages], [flags[s] for s in stages]
    )
    checks = [sum_true(f, frame).alias(f"miss::{s}") for s, f in zip(stages, first, strict=True)]
    checks += [sum_true(b, frame).alias(f"bad::{s}") for s, b in zip(stages[1:], bad, strict=True)]
    if bad:
        any_bad = bad[0]
        for b in bad[1:]:
            any_bad = any_bad | b
        checks.append(sum_true(any_bad, frame).alias(_ROWS))
        drop = drop | any_bad
    found = _one_row(frame.select(*checks))
    check_blank_stages(readings, {s: int(found[f"miss::{s}"] or 0) for s in stages}, argument)
    n_bad = {s: int(found[f"bad::{s}"] or 0) for s in stages[1:]}
    if any(n_bad.values()) and on_inconsistent == "raise":
        raise _inconsistent_error(stages, n_bad)
    excluded = {missing_outcome(s): int(found[f"miss::{s}"] or 0) for s in stages}
    excluded = {k: v for k, v in excluded.items() if v}
    if bad and int(found[_ROWS] or 0):
        excluded["inconsistent funnel"] = int(found[_ROWS])
    names = {s: f"__fh_s{i}" for i, s in enumerate(stages)}
    work = frame.with_columns(
        *[flags[s].alias(names[s]) for s in stages], (~drop).alias(_KEEP)
    ).filter(nw.col(_KEEP))
    aggs = [sum_true(nw.col(names[s]), work).alias(sel_col(s)) for s in stages]
    grouped = group_counts(work, list(keys), aggs, additive=True, count_name=APPLIED)
    return _chained_counts(grouped, keys, stages, n_rows, excluded)


def _chained_counts(
    grouped: pd.DataFrame | Mapping[str, Any],
    keys: Sequence[str],
    stages: Sequence[str],
    n_rows: int,
    excluded: dict[str, int],
) -> FunnelCounts:
    """FunnelCounts from a group-by with the applied count and one ``sel::<stage>`` sum each
    (a pandas table, or :func:`~fairhire._frames.text_group_counts`' columns)."""
    values = {k: key_values(grouped[k]) for k in keys}
    applied = count_values(grouped[APPLIED])
    selected = [count_values(grouped[sel_col(s)]) for s in stages]
    return _chained(values, applied, selected, keys, stages, n_rows, excluded)


def _chained(
    values: dict[str, list[object]],
    applied: np.ndarray,
    selected: list[np.ndarray],
    keys: Sequence[str],
    stages: Sequence[str],
    n_rows: int,
    excluded: dict[str, int],
) -> FunnelCounts:
    """A chained funnel: stage k's applicants are stage k−1's selections."""
    counts = {APPLIED: applied}
    previous = applied
    for s, sel in zip(stages, selected, strict=True):
        counts[app_col(s)] = previous
        counts[sel_col(s)] = previous = sel
    return FunnelCounts(
        table=counts_frame(values, counts, len(applied)),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=True,
        total_rows=n_rows,
        excluded=excluded,
    )


def _folded_group_by(
    frame: Frame,
    keys: Sequence[str],
    stages: Sequence[str],
    readings: dict[str, FlagReading],
    total_rows: int | None,
) -> FunnelCounts | None:
    """Lazy engines: the validation counts ride along in the one group-by.

    A DuckDB relation over a Parquet file or a Spark table is re-read by every query, so a
    separate validation pass would double the work. Here the missing-value and inconsistency
    counts are extra sums per group. When one of them is non-zero this returns None and the
    caller's two-pass path excludes the rows (or describes the problem) exactly as for an
    eager frame, so results and messages do not depend on the engine.
    """
    flags = {s: readings[s].expr() for s in stages}
    aggs = [sum_true(flags[s], frame).alias(sel_col(s)) for s in stages]
    aggs += [sum_true(readings[s].missing_expr(), frame).alias(f"miss::{s}") for s in stages]
    aggs += [
        sum_true(flags[cur] & ~flags[prev], frame).alias(f"bad::{cur}")
        for prev, cur in itertools.pairwise(stages)
    ]
    grouped = group_counts(frame, list(keys), aggs, count_name=APPLIED)
    checks = [c for c in grouped.columns if c.startswith(("miss::", "bad::"))]
    if any(int(pd.to_numeric(grouped[c]).fillna(0).sum()) for c in checks):
        return None
    n_rows = int(pd.to_numeric(grouped[APPLIED]).sum()) if total_rows is None else total_rows
    return _chained_counts(grouped.drop(columns=checks), keys, stages, n_rows, {})


# --------------------------------------------------------------------------------------------
# Shared: tidy tables, group checks
# --------------------------------------------------------------------------------------------


def _key_value(v: object) -> object:
    try:
        return None if bool(pd.isna(v)) else v
    except (TypeError, ValueError):
        return v


def sort_rows(table: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Rows in the one deterministic order of their keys (:func:`fairhire._core.groups.sort_key`).

    Engines return group-by rows in different orders (hash tables, partitions); sorting here
    makes everything downstream (e.g. the floating-point sums of Mantel–Haenszel over strata)
    identical bit for bit across pandas, polars, pyarrow, DuckDB and Spark. Values that
    :func:`~fairhire._core.groups.sort_key` ranks alike (None, NaN and blank text are all
    missing) are ordered by type and text, so no tie is left to the engine's order.
    """
    if not keys or len(table) < 2:
        return table.reset_index(drop=True)
    labels = list(zip(*(table[k].tolist() for k in keys), strict=True))
    order = sorted(range(len(table)), key=lambda i: _row_key(labels[i]))
    return table.iloc[order].reset_index(drop=True)


def _row_key(values: tuple) -> tuple:
    return tuple((sort_key(v), type(v).__name__, str(v)) for v in values)


def key_values(column: pd.Series | list[object]) -> list[object]:
    """A key column as plain Python values, None where missing."""
    values = column if isinstance(column, list) else column.astype(object).tolist()
    return [_key_value(v) for v in values]


def count_values(column: pd.Series | np.ndarray) -> np.ndarray:
    """A count column as int64 (missing counts, from an outer join, are 0)."""
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        return column.astype(np.int64)
    if column.dtype.kind in "iu":
        return column.to_numpy(dtype=np.int64)
    return pd.to_numeric(column.reset_index(drop=True)).fillna(0).astype("int64").to_numpy()


def tidy(table: pd.DataFrame, keys: Sequence[str], stages: Sequence[str]) -> pd.DataFrame:
    """Plain object keys (None when missing) and int64 counts, sorted by the keys."""
    values = {k: key_values(table[k]) for k in keys}
    numeric = [APPLIED, *(c for s in stages for c in (app_col(s), sel_col(s)))]
    counts = {c: count_values(table[c]) for c in numeric}
    return counts_frame(values, counts, len(table))


def counts_frame(
    values: dict[str, list[object]], counts: dict[str, np.ndarray], n_rows: int
) -> pd.DataFrame:
    """The counts table from key values (object columns) and int64 counts, in key order."""
    order = list(range(n_rows))
    if values and n_rows > 1:
        rows = list(zip(*values.values(), strict=True))
        order.sort(key=lambda i: _row_key(rows[i]))
    index = np.asarray(order, dtype=np.intp)
    rows = pd.RangeIndex(n_rows)
    columns: dict[str, pd.Series | np.ndarray] = {}
    for k, vals in values.items():
        # a Series, to keep the object dtype (from an array of text pandas would infer str)
        columns[k] = pd.Series([vals[i] for i in order], dtype=object, index=rows)
    for c, arr in counts.items():
        columns[c] = np.asarray(arr, dtype=np.int64)[index]
    # built in one go: adding columns one by one fragments the frame (and warns) for
    # funnels with many stages, e.g. a cut-off search with a hundred cut-offs; every column
    # on the one index, so that pandas has nothing to align (a third of the time)
    return pd.DataFrame(columns, index=rows)


def check_group_values(frame: Frame, columns: Sequence[str]) -> None:
    """Group columns must hold scalar labels (no lists or nested values)."""
    dtypes = schema(frame)
    for c in columns:
        dtype = dtypes[c]
        if dtype.is_nested():
            raise ColumnError(
                f"column {c!r} has nested type {dtype}; a group column must hold one label "
                "per row (text, number, category or boolean)."
            )


def check_not_all_excluded(counts: FunnelCounts) -> None:
    """Every row excluded (e.g. every outcome blank) leaves nothing to compare: say why."""
    # numpy's sum: pandas' Series.sum costs a tenth of a millisecond per call
    if counts.total_rows and not int(counts.table[APPLIED].to_numpy().sum()):
        reasons = "; ".join(f"{n:,} {r}" for r, n in counts.excluded.items())
        raise InsufficientDataError(
            f"all {counts.total_rows:,} rows were excluded ({reasons}): nothing to compare. "
            "Fill in the outcome columns."
        )
