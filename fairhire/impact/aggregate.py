"""Turn applicant-level data into a small table of funnel counts, in the caller's engine.

The output of every path is a :class:`FunnelCounts`: one row per combination of the group and
strata columns, with the number who applied, and for each stage the number who reached the
previous stage (``app::<stage>``) and the number who passed it (``sel::<stage>``). Everything
after this works on that small table.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frames import Frame, collect_pandas, group_counts, schema
from ..errors import ColumnError, InvalidParameterError, InvalidValueError, preview

APPLIED = "__fh_applied"


def app_col(stage: str) -> str:
    return f"app::{stage}"


def sel_col(stage: str) -> str:
    return f"sel::{stage}"


@dataclass(frozen=True)
class FunnelCounts:
    """Counts per (group..., strata...) key; see the module docstring."""

    table: pd.DataFrame
    keys: tuple[str, ...]
    stages: tuple[str, ...]
    chained: bool  # stage k's applicants are stage k-1's selections (bottom line defined)
    total_rows: int
    excluded: dict[str, int] = field(default_factory=dict)


_BOOL_LIKE = {True, False}


def _stage_value_problem(frame: Frame, column: str) -> InvalidValueError:
    """Describe the non-boolean values of a stage column (slow path, only on error)."""
    counts = group_counts(frame.select(nw.col(column)), [column])
    bad = counts[~counts[column].map(lambda v: _is_bool_like(v))]
    n_bad = int(bad["n"].sum())
    values = sorted((None if _isna(v) else v for v in bad[column].tolist()), key=repr)
    missing = any(v is None for v in values)
    fix = (
        "Fill missing values with False where the applicant did not reach the stage"
        if missing
        else "Recode the column as True/False (or 1/0)"
    )
    return InvalidValueError(
        f"stage column {column!r} must hold booleans (True/False or 1/0); found "
        f"{preview(values)} in {n_bad:,} rows. {fix}, or drop those rows and say so."
    )


def _isna(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _is_bool_like(v: object) -> bool:
    if _isna(v):
        return False
    try:
        return v in _BOOL_LIKE and not isinstance(v, float | str)
    except TypeError:
        return False


def _as_bool_expr(frame: Frame, column: str, dtypes: dict) -> nw.Expr:
    """Expression reading a stage column as boolean, or raise for non-boolean columns."""
    dtype = dtypes[column]
    if dtype == nw.Boolean:
        return nw.col(column)
    if dtype.is_integer():
        lo_hi = collect_pandas(
            frame.select(nw.col(column).min().alias("lo"), nw.col(column).max().alias("hi"))
        )
        lo, hi = lo_hi["lo"].iloc[0], lo_hi["hi"].iloc[0]
        if _isna(lo) or (lo >= 0 and hi <= 1):
            return nw.col(column) == 1
    raise _stage_value_problem(frame, column)


def funnel_from_stage_columns(
    frame: Frame,
    *,
    keys: Sequence[str],
    stages: Sequence[str],
    on_inconsistent: str,
    total_rows: int | None = None,
) -> FunnelCounts:
    """Aggregate boolean stage columns (in funnel order) with one group-by."""
    dtypes = schema(frame)
    bools = {s: _as_bool_expr(frame, s, dtypes) for s in stages}

    # One pass of cheap checks: rows, missing stage values, funnel inconsistencies.
    checks = [nw.len().alias("__rows")]
    checks += [nw.col(s).is_null().sum().alias(f"null::{s}") for s in stages]
    for prev, cur in itertools.pairwise(stages):
        checks.append((bools[cur] & ~bools[prev]).sum().alias(f"bad::{cur}"))
    found = collect_pandas(frame.select(*checks)).iloc[0]
    n_rows = int(found["__rows"]) if total_rows is None else total_rows
    for s in stages:
        if int(found[f"null::{s}"]):
            raise _stage_value_problem(frame, s)
    bad = {cur: int(found[f"bad::{cur}"]) for cur in stages[1:]}
    n_bad_rows = 0
    if any(bad.values()):
        detail = "; ".join(
            f"{v:,} rows have {cur!r} True but {prev!r} False"
            for (prev, cur), v in zip(itertools.pairwise(stages), bad.values(), strict=False)
            if v
        )
        if on_inconsistent == "raise":
            raise InvalidValueError(
                f"inconsistent funnel: {detail}. Each stage column must be True only for "
                "applicants who passed the stage before it (stages are given in funnel order: "
                f"{list(stages)}). Check the order of stages=, fix the export, or pass "
                "on_inconsistent='exclude' to exclude and count those rows."
            )

    names = {s: f"__fh_s{i}" for i, s in enumerate(stages)}
    derived = [bools[s].alias(names[s]) for s in stages]
    if any(bad.values()):
        consistent = nw.lit(True)
        for prev, cur in itertools.pairwise(stages):
            consistent = consistent & ~(bools[cur] & ~bools[prev])
        work = frame.with_columns(*derived, consistent.alias("__fh_ok"))
        n_bad_rows = int(
            collect_pandas(work.select((~nw.col("__fh_ok")).sum().alias("b")))["b"].iloc[0]
        )
        work = work.filter(nw.col("__fh_ok"))
    elif all(dtypes[s] == nw.Boolean for s in stages):
        # Sum the user's boolean columns directly: no copy of the data.
        work, names = frame, {s: s for s in stages}
    else:
        work = frame.with_columns(*derived)
    aggs = [nw.col(names[s]).sum().alias(sel_col(s)) for s in stages]
    grouped = group_counts(work, list(keys), aggs).rename(columns={"n": APPLIED})
    previous = APPLIED
    for s in stages:
        grouped[app_col(s)] = grouped[previous]
        previous = sel_col(s)
    excluded = {"inconsistent funnel": n_bad_rows} if n_bad_rows else {}
    return FunnelCounts(
        table=_tidy(grouped, keys, stages),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=True,
        total_rows=n_rows,
        excluded=excluded,
    )


def funnel_from_stage_column(
    frame: Frame,
    *,
    keys: Sequence[str],
    column: str,
    stage_order: Sequence[object],
) -> FunnelCounts:
    """Aggregate one column holding the furthest stage reached, with ``stage_order``."""
    if len(stage_order) < 2:
        raise InvalidParameterError(
            f"stage_order={list(stage_order)!r} needs at least two stages: the entry stage "
            "(e.g. 'applied') and the stages after it, in funnel order."
        )
    if len(set(map(str, stage_order))) != len(stage_order):
        raise InvalidParameterError(f"stage_order={list(stage_order)!r} repeats a stage.")
    counts = group_counts(frame, [*keys, column])
    values = counts[column]
    missing = values.map(_isna)
    if missing.any():
        raise InvalidValueError(
            f"column {column!r} (the furthest stage reached) is missing in "
            f"{int(counts.loc[missing, 'n'].sum()):,} rows. Fill it with the entry stage "
            f"{stage_order[0]!r} for applicants who went no further, or drop those rows."
        )
    index = {v: i for i, v in enumerate(stage_order)}
    index.update({str(v): i for i, v in enumerate(stage_order)})
    position = values.map(lambda v: index.get(v, index.get(str(v), -1)))
    unknown = position < 0
    if unknown.any():
        bad_values = sorted({str(v) for v in values[unknown]})
        raise InvalidValueError(
            f"column {column!r} holds stages not in stage_order: {preview(bad_values)} in "
            f"{int(counts.loc[unknown, 'n'].sum()):,} rows. stage_order is "
            f"{list(stage_order)!r}; add the missing stages in funnel order or recode them."
        )
    stages = [str(s) for s in stage_order[1:]]
    counts = counts.assign(__pos=position.to_numpy())
    rows = []
    key_list = list(keys)
    grouped = counts.groupby(key_list, dropna=False, sort=False) if key_list else [((), counts)]
    for key, part in grouped:
        key = key if isinstance(key, tuple) else (key,)
        pos = part["__pos"].to_numpy()
        n = part["n"].to_numpy()
        rec = dict(zip(key_list, key, strict=True))
        rec[APPLIED] = int(n.sum())
        for k, s in enumerate(stages, start=1):
            rec[app_col(s)] = int(n[pos >= k - 1].sum())
            rec[sel_col(s)] = int(n[pos >= k].sum())
        rows.append(rec)
    table = pd.DataFrame(rows)
    return FunnelCounts(
        table=_tidy(table, keys, stages),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=True,
        total_rows=int(counts["n"].sum()),
    )


def funnel_from_counts(
    counts: pd.DataFrame,
    *,
    keys: Sequence[str],
    applicants: str,
    selected: Sequence[str],
    stage: str | None,
    stage_order: Sequence[object] | None,
) -> FunnelCounts:
    """Read an aggregated counts table (long with ``stage``, or wide with several selected)."""
    number_columns = [applicants, *selected]
    for col in number_columns:
        values = pd.to_numeric(counts[col], errors="coerce")
        bad = values.isna() | (values < 0) | (values != np.floor(values))
        if bad.any():
            raise InvalidValueError(
                f"column {col!r} must hold non-negative whole counts; found "
                f"{preview(counts.loc[bad, col].tolist())} in {int(bad.sum())} rows. Fill or "
                "drop those rows."
            )
    table = counts[[*keys, *([stage] if stage else []), *number_columns]].copy()
    for col in number_columns:
        table[col] = pd.to_numeric(table[col]).astype("int64")
    if stage is None:
        stages = list(selected)
        sums = table.groupby(list(keys), dropna=False, sort=False)[number_columns].sum()
        sums = sums.reset_index() if keys else sums.to_frame().T
        out = sums.rename(columns={applicants: APPLIED})
        previous = APPLIED
        for s in stages:
            out[app_col(s)] = out[previous]
            out[sel_col(s)] = out[s]
            previous = sel_col(s)
        out = out.drop(columns=stages)
        chained = True
    else:
        sel = selected[0]
        present = list(dict.fromkeys(table[stage].tolist()))
        if stage_order is None:
            stages = present
        else:
            stages = list(stage_order)
            unknown = [s for s in present if s not in stages]
            if unknown:
                raise InvalidValueError(
                    f"column {stage!r} holds stages not in stage_order: {preview(unknown)}. "
                    "Add them to stage_order in funnel order."
                )
            stages = [s for s in stages if s in present]
        sums = table.groupby([*keys, stage], dropna=False, sort=False)[[applicants, sel]].sum()
        wide = sums.unstack(stage, fill_value=0)
        out = pd.DataFrame(index=wide.index)
        for s in stages:
            out[app_col(s)] = wide[(applicants, s)] if (applicants, s) in wide else 0
            out[sel_col(s)] = wide[(sel, s)] if (sel, s) in wide else 0
        out = out.reset_index() if keys else out.reset_index(drop=True)
        # The stages chain when each stage's applicants are the previous stage's selections.
        chained = all(
            (out[app_col(cur)] == out[sel_col(prev)]).all()
            for prev, cur in itertools.pairwise(stages)
        )
        out[APPLIED] = out[app_col(stages[0])]
        stages = [str(s) for s in stages]
        out.columns = [str(c) for c in out.columns]
    over = np.zeros(len(out), dtype=bool)
    for s in stages:
        over |= (out[sel_col(s)] > out[app_col(s)]).to_numpy()
    if over.any():
        raise InvalidValueError(
            f"more selected than applicants in {int(over.sum())} group rows of the counts "
            f"(columns {applicants!r} and {list(selected)!r}). Check that the selected column "
            "counts people who passed the stage and applicants those who reached it."
        )
    return FunnelCounts(
        table=_tidy(out, keys, stages),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=chained,
        total_rows=int(out[APPLIED].sum()),
    )


def _tidy(table: pd.DataFrame, keys: Sequence[str], stages: Sequence[str]) -> pd.DataFrame:
    """Plain object keys and int64 counts, whatever the engine returned."""
    out = pd.DataFrame(index=range(len(table)))
    for k in keys:
        col = table[k].reset_index(drop=True)
        out[k] = pd.Series(
            [None if _isna(v) else v for v in col.astype(object).tolist()], dtype=object
        )
    numeric = [APPLIED, *(c for s in stages for c in (app_col(s), sel_col(s)))]
    for c in numeric:
        out[c] = pd.to_numeric(table[c].reset_index(drop=True)).fillna(0).astype("int64")
    return out


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
