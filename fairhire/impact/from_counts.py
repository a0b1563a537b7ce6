"""Read an aggregated table of counts (EEO reports, published tables, ATS summaries).

Two layouts: *long* (one row per stage and group, with a stage column) and *wide* (one row per
group, with cumulative selected counts per stage). Counts must be finite, whole and
non-negative, and fairhire counts people in 64-bit integers: a count or a total of 2⁶³ or
more is an error rather than a number that wraps round to a negative one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, preview
from .aggregate import APPLIED, FunnelCounts, app_col, sel_col, tidy

#: Counts and totals must stay below this (int64).
COUNT_LIMIT = 2**63


def _check_count_column(counts: pd.DataFrame, col: str) -> pd.Series:
    """The column as int64, or an error naming the bad values and their row count."""
    raw = counts[col]
    values = pd.to_numeric(raw, errors="coerce")
    as_float = values.astype(float)
    bad = values.isna() | ~np.isfinite(as_float) | (as_float < 0) | (as_float != np.floor(as_float))
    if bad.any():
        raise InvalidValueError(
            f"column {col!r} must hold non-negative whole counts; found "
            f"{preview(raw[bad].tolist())} in {int(bad.sum()):,} rows (missing, infinite, "
            "negative or fractional). Fill or drop those rows."
        )
    exact = [int(v) for v in raw.tolist()] if raw.dtype == object else None
    too_big = (
        np.array([v >= COUNT_LIMIT for v in exact], dtype=bool)
        if exact is not None
        else (as_float >= float(COUNT_LIMIT)).to_numpy()
    )
    total = sum(exact) if exact is not None else int(values.astype("float64").sum())
    if too_big.any() or total >= COUNT_LIMIT:
        raise InvalidValueError(
            f"column {col!r} holds counts too large to add up exactly: "
            f"{preview(raw[too_big].tolist()) if too_big.any() else 'a total'} of 2**63 or "
            "more. fairhire counts people in 64-bit integers; check the column is a count of "
            "people, or scale the table down."
        )
    return pd.Series(exact if exact is not None else values, index=raw.index).astype("int64")


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
    number_columns = list(dict.fromkeys([applicants, *selected]))
    table = counts[[*keys, *([stage] if stage else [])]].copy()
    for col in number_columns:
        table[col] = _check_count_column(counts, col)
    if stage is None:
        out, stages, chained = _wide(table, keys, applicants, list(selected))
    else:
        out, stages, chained = _long(table, keys, applicants, selected[0], stage, stage_order)
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
        table=tidy(out, keys, stages),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=chained,
        total_rows=int(out[APPLIED].sum()),
    )


def _wide(
    table: pd.DataFrame, keys: Sequence[str], applicants: str, selected: list[str]
) -> tuple[pd.DataFrame, list[str], bool]:
    """One row per group: applicants (everyone) and cumulative selected counts per stage."""
    number_columns = list(dict.fromkeys([applicants, *selected]))
    sums = table.groupby(list(keys), dropna=False, sort=False)[number_columns].sum()
    sums = sums.reset_index() if keys else sums.to_frame().T
    added: dict[str, pd.Series] = {APPLIED: sums[applicants]}
    previous = sums[applicants]
    for s in selected:
        added[app_col(s)] = previous
        added[sel_col(s)] = previous = sums[s]
    out = pd.concat([sums[list(keys)], pd.DataFrame(added)], axis=1)
    return out, [str(s) for s in selected], True


def _long(
    table: pd.DataFrame,
    keys: Sequence[str],
    applicants: str,
    sel: str,
    stage: str,
    stage_order: Sequence[object] | None,
) -> tuple[pd.DataFrame, list[str], bool]:
    """One row per (stage, group): those who reached the stage and those who passed it."""
    present = list(dict.fromkeys(table[stage].tolist()))
    if stage_order is None:
        stages = present
    else:
        unknown = [s for s in present if s not in list(stage_order)]
        if unknown:
            raise InvalidValueError(
                f"column {stage!r} holds stages not in stage_order: {preview(unknown)}. "
                "Add them to stage_order in funnel order."
            )
        stages = [s for s in stage_order if s in present]
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
        (out[app_col(cur)] == out[sel_col(prev)]).all() for prev, cur in itertools.pairwise(stages)
    )
    out[APPLIED] = out[app_col(stages[0])]
    out.columns = [str(c) for c in out.columns]
    return out, [str(s) for s in stages], chained
