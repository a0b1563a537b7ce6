"""Funnel counts from one column holding the furthest stage each applicant reached.

An ATS export often has one "current stage" or "furthest stage" column instead of a yes/no
column per stage. With ``stage_order`` (the entry stage first), an applicant at position *k*
passed every stage up to *k*: the same :class:`~fairhire.impact.aggregate.FunnelCounts` as
stage columns give. Stage labels match ``stage_order`` exactly or ignoring case and spaces; a
blank value is a missing outcome (counted and excluded); any other value is an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._core.labels import label_key
from .._core.missing import is_missing
from .._frames import Frame, group_counts
from ..errors import InvalidParameterError, InvalidValueError, preview
from .aggregate import _ROWS, APPLIED, FunnelCounts, app_col, missing_outcome, sel_col, tidy

__all__ = ["funnel_from_stage_column"]


def _stage_positions(values: pd.Series, stage_order: Sequence[object]) -> pd.Series:
    """Position of each value in ``stage_order``: exact, as text, or ignoring case and spaces."""
    index: dict[object, int] = {}
    for i, v in enumerate(stage_order):
        index.setdefault(v, i)
        index.setdefault(str(v), i)
    by_key: dict[object, int] = {}
    for i, v in enumerate(stage_order):
        by_key.setdefault(label_key(str(v)), i)

    def position(v: object) -> int:
        try:
            if v in index:
                return index[v]
        except TypeError:
            pass
        return index.get(str(v), by_key.get(label_key(str(v)), -1))

    return values.map(position)


def funnel_from_stage_column(
    frame: Frame,
    *,
    keys: Sequence[str],
    column: str,
    stage_order: Sequence[object],
) -> FunnelCounts:
    """Aggregate one column holding the furthest stage reached, with ``stage_order``.

    Stage labels match ``stage_order`` exactly or ignoring case and spaces; blank values are
    missing outcomes (counted and excluded); any other value is an error that lists it.
    """
    if len(stage_order) < 2:
        raise InvalidParameterError(
            f"stage_order={list(stage_order)!r} needs at least two stages: the entry stage "
            "(e.g. 'applied') and the stages after it, in funnel order."
        )
    if len({label_key(str(s)) for s in stage_order}) != len(stage_order):
        raise InvalidParameterError(f"stage_order={list(stage_order)!r} repeats a stage.")
    counts = group_counts(frame, [*keys, column], count_name=_ROWS)
    n_all = int(counts[_ROWS].sum())
    missing = counts[column].map(is_missing).to_numpy(dtype=bool)
    n_missing = int(counts.loc[missing, _ROWS].sum())
    counts = counts.loc[~missing].reset_index(drop=True)
    position = _stage_positions(counts[column], stage_order)
    unknown = position < 0
    if unknown.any():
        bad_values = sorted({str(v) for v in counts.loc[unknown, column]})
        raise InvalidValueError(
            f"column {column!r} holds stages not in stage_order: {preview(bad_values)} in "
            f"{int(counts.loc[unknown, _ROWS].sum()):,} rows. stage_order is "
            f"{list(stage_order)!r}; add the missing stages in funnel order or recode them."
        )
    stages = [str(s) for s in stage_order[1:]]
    pos = position.to_numpy()
    key_list = list(keys)
    rows = []
    grouped = (
        counts.groupby(key_list, dropna=False, sort=False).indices
        if key_list
        else {(): np.arange(len(counts))}
    )
    for key, idx in grouped.items():
        key = key if isinstance(key, tuple) else (key,)
        n = counts[_ROWS].to_numpy()[idx]
        p = pos[idx]
        rec = dict(zip(key_list, key, strict=True))
        rec[APPLIED] = int(n.sum())
        for k, s in enumerate(stages, start=1):
            rec[app_col(s)] = int(n[p >= k - 1].sum())
            rec[sel_col(s)] = int(n[p >= k].sum())
        rows.append(rec)
    empty = {
        c: [] for c in [*key_list, APPLIED, *(f(s) for s in stages for f in (app_col, sel_col))]
    }
    table = pd.DataFrame(rows) if rows else pd.DataFrame(empty)
    return FunnelCounts(
        table=tidy(table, keys, stages),
        keys=tuple(keys),
        stages=tuple(stages),
        chained=True,
        total_rows=n_all,
        excluded={missing_outcome(column): n_missing} if n_missing else {},
    )
