"""One row per person: the rule every analysis that takes ``id=`` applies, in one place.

An analysis that counts people (a pay gap, exit and promotion rates, time to exit or to
promotion) counts each row as one person. An HRIS export often holds one person twice: a
rehire has one row per employment spell (exited=yes, then a later row still employed), and a
join can duplicate rows. Counted twice, that person weighs twice in every rate, test and
figure, silently. With ``id=`` (an employee id column) an analysis checks that no id is on two
of the rows it compares, and stops with an error naming the ids and the fix.

The ids are counted with one group-by in the data's engine (no row-level Python); only the
ids found on several rows come back, and missing ids (blank, null, NaN: the core's rule,
:mod:`~fairhire._core.missing`) are not compared.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frames import Frame, collect_pandas, group_counts, is_lazy, to_narwhals
from ..errors import InvalidValueError, show_value
from .groups import sort_key
from .labels import plain_value
from .missing import missing_mask

__all__ = ["check_unique_ids", "check_unique_row_ids", "repeated_ids"]

#: Internal names of the id, its row count and a row number (never the user's column names).
_ID, _N, _ROW = "__fh_id", "__fh_rows", "__fh_row"
#: How many of the repeated ids an error shows.
SHOWN = 3


def repeated_ids(frame: Frame, column: str, *, where: nw.Expr | None = None) -> pd.DataFrame:
    """The ids of ``column`` on more than one row (of the rows where ``where`` is True):
    ``id`` (as the data holds it) and ``rows`` (how many), most rows first, then by id.

    Examples
    --------
    >>> df = pd.DataFrame({"emp": ["E2", "E1", "E2", " ", " ", "E1", "E3", "E1"]})
    >>> repeated_ids(to_narwhals(df), "emp").values.tolist()
    [['E1', 3], ['E2', 2]]
    """
    frame = to_narwhals(frame)
    if where is not None:
        frame = frame.filter(where)
    counts = group_counts(frame.select(nw.col(column).alias(_ID)), [_ID], count_name=_N)
    counts = counts.loc[counts[_N] > 1]
    counts = counts.loc[~missing_mask(counts[_ID])]  # a small table: the ids on several rows
    order = sorted(range(len(counts)), key=lambda i: (-int(counts[_N].iloc[i]),
                                                      sort_key(plain_value(counts[_ID].iloc[i]))))
    return pd.DataFrame({"id": counts[_ID].iloc[order].tolist(),
                         "rows": counts[_N].iloc[order].astype("int64").to_numpy()})


def _row_numbers(frame: Frame, column: str, ids: list[Any], where: nw.Expr | None,
                 positions: np.ndarray | None) -> list[list[int]] | None:
    """The row numbers (from 0) of each of ``ids``, for data in memory (lazy data has no row
    order to point at). ``positions`` maps the frame's rows to the caller's."""
    if is_lazy(frame):
        return None
    indexed = frame.with_row_index(_ROW)
    if where is not None:
        indexed = indexed.filter(where)
    hits = collect_pandas(indexed.filter(nw.col(column).is_in(ids)).select(_ROW, column))
    rows = hits[_ROW].to_numpy(dtype=np.int64)
    if positions is not None:
        rows = positions[rows]
    found = pd.Series(rows).groupby(hits[column].to_numpy(), sort=False).apply(list).to_dict()
    return [sorted(found.get(i, []))[:2] for i in ids]


def check_unique_ids(frame: Frame, column: str, *, analysis: str,
                     where: nw.Expr | None = None, positions: np.ndarray | None = None) -> None:
    """Stop when an id of ``column`` is on more than one of the rows an analysis compares
    (those where ``where`` is True; all rows without it). Missing ids are not compared.

    The error (:class:`~fairhire.errors.InvalidValueError`) names the column, how many ids are
    on several rows and how many rows that is, the first ids as the data spells them (with
    their row numbers for data in memory; ``positions`` maps the rows of ``frame`` to the
    caller's), and the fix: keep one row per person (for a rehire, the spell to audit) or drop
    exact duplicate rows.

    Examples
    --------
    >>> df = pd.DataFrame({"emp": [7, 8, 7], "exited": ["yes", "no", "no"]})
    >>> check_unique_ids(df, "emp", analysis="retention")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: column 'emp' (id=) holds 1 ID that appears on more than one row (2 rows in all; e.g. 7 at rows 0 and 2): ...
    """
    frame = to_narwhals(frame)
    repeated = repeated_ids(frame, column, where=where)
    if repeated.empty:
        return
    first = repeated.iloc[:SHOWN]
    at = _row_numbers(frame, column, first["id"].tolist(), where, positions)
    shown = [f"{show_value(plain_value(i))} "
             + (f"at rows {' and '.join(map(str, at[k]))}" if at else f"on {n:,} rows")
             for k, (i, n) in enumerate(zip(first["id"], first["rows"], strict=True))]
    ids = "1 ID that appears" if len(repeated) == 1 else f"{len(repeated):,} IDs that appear"
    raise InvalidValueError(
        f"column {column!r} (id=) holds {ids} on more than one row "
        f"({int(repeated['rows'].sum()):,} rows in all; e.g. {'; '.join(shown)}): {analysis} "
        "needs one row per person, and a person on several rows (a rehire's employment "
        "spells, a payroll period each, a row duplicated by a join) would be counted once "
        "per row in every figure. Keep one row per person: for a rehire, the spell you mean "
        "to audit, e.g. the latest: "
        f"df.sort_values('hire_date').drop_duplicates({column!r}, keep='last'); or drop exact "
        "duplicate rows: df.drop_duplicates()."
    )


def check_unique_row_ids(rows: pd.DataFrame, column: str, keep: np.ndarray, *,
                         analysis: str) -> None:
    """:func:`check_unique_ids` over the collected rows an analysis keeps (``keep``, a mask),
    for the analyses that collect their columns (regressions, survival); the error gives the
    rows' numbers in the data passed."""
    kept = np.flatnonzero(keep)
    check_unique_ids(rows[[column]].iloc[kept], column, analysis=analysis, positions=kept)
