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

from .._frames import Frame, collect_pandas, group_counts, is_lazy, schema, sum_true
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
    if not n_bad:  # every value is fine; the column's type is not
        dtype = schema(frame)[column]
        return InvalidValueError(
            f"stage column {column!r} has type {dtype}, which fairhire cannot read as "
            "True/False. Convert it to a boolean column (e.g. df[col].astype(bool))."
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
    if dtype == nw.Object:
        # e.g. pandas object columns holding True/False: accept them when every value is
        # boolean, otherwise describe the bad values
        counts = group_counts(frame.select(nw.col(column)), [column])
        if counts[column].map(_is_bool_like).all():
            return nw.col(column).cast(nw.Boolean)
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
    if is_lazy(frame):
        folded = _folded_group_by(frame, keys, stages, bools, total_rows)
        if folded is not None:
            return folded

    # One pass of cheap checks: rows, missing stage values, funnel inconsistencies.
    checks = [nw.len().alias("__rows")]
    checks += [nw.col(s).null_count().alias(f"null::{s}") for s in stages]
    for prev, cur in itertools.pairwise(stages):
        checks.append(sum_true(bools[cur] & ~bools[prev], frame).alias(f"bad::{cur}"))
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
            collect_pandas(work.select(sum_true(~nw.col("__fh_ok"), work).alias("b")))["b"].iloc[0]
        )
        work = work.filter(nw.col("__fh_ok"))
    elif all(dtypes[s] == nw.Boolean for s in stages):
        # Sum the user's boolean columns directly: no copy of the data.
        work, names = frame, {s: s for s in stages}
    else:
        work = frame.with_columns(*derived)
    aggs = [sum_true(nw.col(names[s]), work).alias(sel_col(s)) for s in stages]
    grouped = group_counts(work, list(keys), aggs, additive=True)
    excluded = {"inconsistent funnel": n_bad_rows} if n_bad_rows else {}
    return _chained_counts(grouped, keys, stages, n_rows, excluded)


def _chained_counts(
    grouped: pd.DataFrame,
    keys: Sequence[str],
    stages: Sequence[str],
    n_rows: int,
    excluded: dict[str, int],
) -> FunnelCounts:
    """FunnelCounts from a group-by with ``n`` and one ``sel::<stage>`` sum per stage."""
    grouped = grouped.rename(columns={"n": APPLIED})
    previous = APPLIED
    for s in stages:
        grouped[app_col(s)] = grouped[previous]
        previous = sel_col(s)
    return FunnelCounts(
        table=_tidy(grouped, keys, stages),
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
    bools: dict[str, nw.Expr],
    total_rows: int | None,
) -> FunnelCounts | None:
    """Lazy engines: the validation counts ride along in the one group-by.

    A DuckDB relation over a Parquet file or a Spark table is re-read by every query, so a
    separate validation pass would double the work. Here the missing-value and inconsistency
    counts are extra sums per group. When one of them is non-zero this returns None and the
    caller's two-pass path describes the problem (or excludes the rows) exactly as for an
    eager frame, so results and messages do not depend on the engine.
    """
    aggs = [sum_true(bools[s], frame).alias(sel_col(s)) for s in stages]
    aggs += [sum_true(nw.col(s).is_null(), frame).alias(f"null::{s}") for s in stages]
    aggs += [
        sum_true(bools[cur] & ~bools[prev], frame).alias(f"bad::{cur}")
        for prev, cur in itertools.pairwise(stages)
    ]
    grouped = group_counts(frame, list(keys), aggs)
    checks = [c for c in grouped.columns if c.startswith(("null::", "bad::"))]
    if any(int(pd.to_numeric(grouped[c]).fillna(0).sum()) for c in checks):
        return None
    n_rows = int(pd.to_numeric(grouped["n"]).sum()) if total_rows is None else total_rows
    return _chained_counts(grouped.drop(columns=checks), keys, stages, n_rows, {})


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
        base = sums.rename(columns={applicants: APPLIED})
        added: dict[str, pd.Series] = {}
        previous = base[APPLIED]
        for s in stages:
            added[app_col(s)] = previous
            added[sel_col(s)] = previous = base[s]
        out = pd.concat([base.drop(columns=stages), pd.DataFrame(added)], axis=1)
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
        zeros = pd.Series(0, index=wide.index)
        added = {}
        for s in stages:
            added[app_col(s)] = wide[(applicants, s)] if (applicants, s) in wide else zeros
            added[sel_col(s)] = wide[(sel, s)] if (sel, s) in wide else zeros
        out = pd.DataFrame(added, index=wide.index)
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


def _order_key(value: object) -> tuple[int, object]:
    """Sort key for labels of any type within one column: booleans, numbers, text, missing."""
    if value is None:
        return (3, "")
    if isinstance(value, bool | np.bool_):
        return (0, int(value))
    if isinstance(value, int | float | np.integer | np.floating):
        return (1, float(value))
    return (2, str(value))


def _tidy(table: pd.DataFrame, keys: Sequence[str], stages: Sequence[str]) -> pd.DataFrame:
    """Plain object keys and int64 counts, whatever the engine returned, sorted by the keys.

    Engines return group-by rows in different orders (hash tables, partitions); sorting here
    makes everything downstream (e.g. the floating-point sums of Mantel–Haenszel over strata)
    identical bit for bit across pandas, polars, pyarrow, DuckDB and Spark.
    """
    columns: dict[str, pd.Series] = {}
    for k in keys:
        values = table[k].astype(object).tolist()
        columns[k] = pd.Series([None if _isna(v) else v for v in values], dtype=object)
    numeric = [APPLIED, *(c for s in stages for c in (app_col(s), sel_col(s)))]
    for c in numeric:
        col = pd.to_numeric(table[c].reset_index(drop=True)).fillna(0).astype("int64")
        columns[c] = col
    # built in one go: adding columns one by one fragments the frame (and warns) for
    # funnels with many stages, e.g. a cut-off search with a hundred cut-offs
    if not columns:
        return pd.DataFrame(index=range(len(table)))
    out = pd.concat(columns, axis=1)
    if keys and len(out) > 1:
        labels = list(zip(*(columns[k].tolist() for k in keys), strict=True))
        order = sorted(range(len(out)), key=lambda i: tuple(map(_order_key, labels[i])))
        out = out.iloc[order].reset_index(drop=True)
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
