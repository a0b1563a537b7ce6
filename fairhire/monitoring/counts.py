"""One group-by in the data's engine: people and selections per period, group, strata.

The result is the *wide* counts layout of :func:`fairhire.adverse_impact_from_counts`: one row
per (period, group..., strata...) with everyone who applied and, for each stage, the number
who passed it (cumulative counts in funnel order). Each period's rows are then handed to that
public function, so every period is audited exactly as ``adverse_impact`` audits it.

Flags (stage columns, ``promoted=``) are read by the shared rule
(:func:`fairhire._core.flags.read_flag`), and rows are excluded by the rule of
:func:`fairhire.adverse_impact`: a blank outcome at a stage the row reached is counted and
excluded, never read as False (a blank after a "no" is where the funnel ended for that row).
Rows that pass a stage without passing the one before (an inconsistent funnel) raise, or are
counted and excluded with ``on_inconsistent="exclude"``.
All the checks ride along in the one group-by as extra keys and sums.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.flags import FlagReading, check_blank_stage, read_flag
from .._core.missing import is_missing
from .._core.names import internal_names
from .._frames import Frame, column_names, group_counts, sum_true
from ..errors import InvalidParameterError, InvalidValueError, preview
from ..impact.aggregate import missing_outcome
from ..impact.fastcount import exclusions

__all__ = ["Outcome", "WideCounts", "count_outcomes"]


@dataclass(frozen=True)
class Outcome:
    """What is selected: boolean stage columns, one furthest-stage column, or a promotion flag."""

    stages: tuple[str, ...] = ()
    stage_column: str | None = None
    stage_order: tuple[Any, ...] = ()
    promoted: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Stage labels of the result tables, in funnel order."""
        if self.stages:
            return self.stages
        if self.stage_column is not None:
            return tuple(str(s) for s in self.stage_order[1:])
        return ("promoted",)

    @property
    def read(self) -> tuple[str, ...]:
        """The columns read for the outcome."""
        if self.stage_column is not None:
            return (self.stage_column,)
        return self.stages or (self.promoted,)

    @property
    def what(self) -> str:
        return "promoted" if self.promoted is not None else "stage value"


@dataclass(frozen=True)
class WideCounts:
    """Grouped counts: ``table`` has the key columns, ``applied`` and one column per stage."""

    table: pd.DataFrame
    applied: str
    stages: tuple[str, ...]
    total_rows: int
    excluded: dict[str, int] = field(default_factory=dict)


def _stage_flags(source: Frame, outcome: Outcome, names: dict[str, str],
                 renamed: Mapping[str, str]) -> tuple[list[nw.Expr], list[FlagReading]]:
    """Expressions: one boolean per stage, where its outcome is first missing, where the
    funnel is inconsistent.

    The exclusion rule is :func:`adverse_impact`'s (:func:`~fairhire.impact.fastcount.
    exclusions`): a blank outcome matters only at a stage the row reached (a blank after a
    "no" is the funnel's end, not a missing value), and a row is inconsistent when it passes a
    stage without the one before. Each column is read (and its bad values reported) under the
    user's name in ``source``; the expressions use its internal name in the working frame.
    Returns the expressions and the readings (under the user's names).
    """
    argument = "stages" if outcome.stages else "promoted"
    read = [read_flag(source, c, argument=argument, blanks_reached=not k)
            for k, c in enumerate(outcome.read)]
    readings = [replace(r, column=renamed[r.column]) for r in read]
    flags = [r.expr() for r in readings]
    first, _, bad = exclusions([r.missing_expr() for r in readings], flags)
    exprs = [f.alias(names[f"s{i}"]) for i, f in enumerate(flags)]
    exprs += [m.alias(names[f"m{i}"]) for i, m in enumerate(first)]
    exprs += [b.alias(names[f"bad{i}"]) for i, b in enumerate(bad, start=1)]
    return exprs, read


def _inconsistency_error(grouped: pd.DataFrame, outcome: Outcome, names: dict) -> Exception:
    parts = []
    for i, (prev, cur) in enumerate(itertools.pairwise(outcome.stages), start=1):
        rows = int(grouped.loc[grouped[names[f"bad{i}"]].astype(bool), "n"].sum())
        if rows:
            parts.append(f"{rows:,} rows have {cur!r} True but {prev!r} False")
    return InvalidValueError(
        f"inconsistent funnel: {'; '.join(parts)}. Each stage column must be True only for "
        "applicants who passed the stage before it (stages are given in funnel order: "
        f"{list(outcome.stages)}). Check the order of stages=, fix the export, or pass "
        "on_inconsistent='exclude' to exclude and count those rows."
    )


def _flag_counts(frame, source, keys, outcome, renamed, on_inconsistent):
    """Counts per key for stage columns or a promotion flag, with missing/inconsistent rows out
    (counted by the reasons :func:`fairhire.adverse_impact` gives)."""
    n_stages = len(outcome.stages) or 1
    bases = [f"s{i}" for i in range(n_stages)] + [f"m{i}" for i in range(n_stages)]
    bases += [f"bad{i}" for i in range(1, n_stages)]
    names = internal_names(bases, column_names(frame))
    exprs, readings = _stage_flags(source, outcome, names, renamed)
    work = frame.with_columns(*exprs)
    checks = [names[b] for b in bases[n_stages:]]
    sums = [sum_true(nw.col(names[f"s{i}"]), work).alias(f"sel{i}") for i in range(n_stages)]
    grouped = group_counts(work, [*keys, *checks], sums, additive=True)
    excluded: dict[str, int] = {}
    dropped = pd.Series(False, index=grouped.index)
    for i in range(n_stages):
        missing = grouped[names[f"m{i}"]].astype(bool)
        check_blank_stage(readings[i], int(grouped.loc[missing, "n"].sum()),
                          "stages" if outcome.stages else "promoted")
        if missing.any():
            reason = missing_outcome(outcome.stages[i]) if outcome.stages else "missing promoted"
            excluded[reason] = int(grouped.loc[missing, "n"].sum())
        dropped |= missing
    bad = pd.Series(False, index=grouped.index)
    for i in range(1, n_stages):
        bad |= grouped[names[f"bad{i}"]].astype(bool)
    if bad.any():
        if on_inconsistent == "raise":
            raise _inconsistency_error(grouped, outcome, names)
        excluded["inconsistent funnel"] = int(grouped.loc[bad, "n"].sum())
    kept = grouped.loc[~dropped & ~bad]
    renamed = {f"sel{i}": label for i, label in enumerate(outcome.labels)}
    return kept.drop(columns=checks).rename(columns=renamed), excluded


def _stage_column_counts(frame, keys, outcome, renamed) -> tuple[pd.DataFrame, dict[str, int]]:
    """Counts per key from one column holding the furthest stage reached."""
    name, order = outcome.stage_column, list(outcome.stage_order)
    column = renamed[name]
    grouped = group_counts(frame, [*keys, column], additive=True)
    values = grouped[column].astype(object)
    missing = values.map(is_missing).to_numpy(dtype=bool)
    index = {str(v).strip(): i for i, v in enumerate(order)}
    position = values.map(lambda v: -2 if is_missing(v) else index.get(str(v).strip(), -1))
    unknown = (position == -1).to_numpy()
    if unknown.any():
        bad = sorted({str(v) for v in values[unknown]})
        raise InvalidValueError(
            f"column {name!r} holds stages not in stage_order: {preview(bad)} in "
            f"{int(grouped.loc[unknown, 'n'].sum()):,} rows. stage_order is {order!r}; add "
            "the missing stages in funnel order or recode them."
        )
    n_missing = int(grouped.loc[missing, "n"].sum())
    excluded = {missing_outcome(name): n_missing} if n_missing else {}
    kept = grouped.loc[~missing].assign(__pos=position[~missing].to_numpy())
    for k, label in enumerate(outcome.labels, start=1):
        kept[label] = kept["n"].where(kept["__pos"] >= k, 0)
    return kept.drop(columns=[column, "__pos"]), excluded


def count_outcomes(
    frame: Frame,
    *,
    source: Frame,
    keys: Sequence[str],
    outcome: Outcome,
    renamed: Mapping[str, str],
    on_inconsistent: str = "raise",
) -> WideCounts:
    """Group the rows by ``keys`` (period keys, group and strata columns) in the engine.

    ``frame`` holds the columns read under internal names (``renamed`` maps each user column
    to its internal name), so no user column name can collide with the counts; ``source`` is
    the user's frame, in which flag columns are read and reported. Returns the wide counts
    with ``applied`` (an internal column name) and one cumulative count column per stage
    label, summed over rows that share their keys.
    """
    if outcome.stage_column is not None:
        table, excluded = _stage_column_counts(frame, keys, outcome, renamed)
    else:
        table, excluded = _flag_counts(frame, source, list(keys), outcome, renamed,
                                       on_inconsistent)
    taken = [*keys, *renamed, *outcome.labels]
    applied = internal_names(["applied"], taken)["applied"]
    total = int(table["n"].sum()) + sum(excluded.values())
    table = table.rename(columns={"n": applied})
    counts = [applied, *outcome.labels]
    for c in counts:
        table[c] = pd.to_numeric(table[c]).fillna(0).astype("int64")
    if len(keys):
        table = table.groupby(list(keys), dropna=False, sort=False)[counts].sum().reset_index()
    for k in keys:
        table[k] = table[k].astype(object).where(table[k].notna(), None)
    return WideCounts(table=table[[*keys, *counts]], applied=applied, stages=outcome.labels,
                      total_rows=total, excluded=excluded)


def check_outcome(
    *,
    stages: Any,
    stage_column: Any,
    stage_order: Any,
    promoted: Any,
) -> Outcome:
    """Exactly one way of saying what is selected; checked at the public boundary."""
    from .._frames import as_columns

    given = [n for n, v in (("stages", stages), ("stage_column", stage_column),
                            ("promoted", promoted)) if v is not None]
    if len(given) != 1:
        raise InvalidParameterError(
            "give the outcome one way: a hiring funnel as stages=[boolean columns in funnel "
            "order] or stage_column='furthest stage reached' with stage_order=[...], or a "
            f"promotion flag as promoted='column'; got {given or 'none of them'}."
        )
    if stages is not None:
        cols = as_columns(stages, argument="stages")
        if not cols:
            raise InvalidParameterError("stages= must name at least one boolean column.")
        return Outcome(stages=tuple(cols))
    if promoted is not None:
        if not isinstance(promoted, str):
            raise InvalidParameterError(
                f"promoted= must be the name of one yes/no column; got {promoted!r}."
            )
        return Outcome(promoted=promoted)
    if not isinstance(stage_column, str):
        raise InvalidParameterError(f"stage_column= must be one column name; got {stage_column!r}.")
    if stage_order is None or isinstance(stage_order, str) or len(list(stage_order)) < 2:
        raise InvalidParameterError(
            "stage_column= needs stage_order=[entry stage, next stage, ...] in funnel order, "
            "with at least two stages (e.g. ['applied', 'screened', 'hired'])."
        )
    order = tuple(stage_order)
    if len(set(map(str, order))) != len(order):
        raise InvalidParameterError(f"stage_order={list(order)!r} repeats a stage.")
    return Outcome(stage_column=stage_column, stage_order=order)
