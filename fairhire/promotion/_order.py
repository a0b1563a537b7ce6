"""Ordered values of the promotion analyses: job levels (representation) and ratings.

The user lists the values in order, lowest first (``order=``); the core's
:func:`~fairhire._core.order.check_order` checks that list against the values in the data, and
:func:`~fairhire._core.order.positions` gives each value's place in it (shared with
:func:`fairhire.rubric_consistency`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.counting import Counts, count_groups
from .._core.groups import sort_key
from .._core.missing import is_missing
from .._core.order import check_order, place, positions
from .._frames import as_columns, require_columns, to_narwhals
from ..errors import InsufficientDataError, InvalidParameterError, preview

__all__ = [
    "OrderedCounts", "check_columns", "check_order", "count_by_value", "ordered_counts",
    "place", "positions", "shares_text",
]


def check_columns(group: Any, column: Any, *, argument: str) -> list[str]:
    """The group columns, after checking that they are at least one and that ``argument=``
    names one other column (the level or the rating)."""
    group_cols = as_columns(group, argument="group")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if not isinstance(column, str):
        raise InvalidParameterError(f"{argument}= must be one column name; got {column!r}.")
    if column in group_cols:
        raise InvalidParameterError(
            f"{column!r} cannot be both the group and the {argument} column."
        )
    return group_cols


def count_by_value(data: Any, group_cols: list[str], column: str, role: str,
                   unknown_labels: tuple[object, ...] = ()) -> tuple[Counts, pd.DataFrame]:
    """One group-by (group × the ordered ``column``, passed as ``role=``) with the core's
    rules; returns the counts and their table with the columns ``__group``, ``__<role>`` and
    ``n``."""
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, **{role: column})
    read = count_groups(frame, group_cols, keys={role: column}, label_keys=(role,),
                        unknown_labels=unknown_labels)
    counts = read.table.rename(columns={"group": "__group", role: f"__{role}"})
    if read.total == 0:
        raise InsufficientDataError("the data have no rows: nothing to analyse.")
    return read, counts


@dataclass(frozen=True)
class OrderedCounts:
    """People per (group, value of an ordered column), after the exclusions.

    ``grid`` is groups × values (in ``order``), ``groups`` the known groups in the core's
    order, ``unknown`` the count rows whose group is missing (their value is known),
    ``excluded`` the rows left out by reason, with one warning per reason in ``warnings``.
    """

    grid: np.ndarray
    groups: list[str]
    unknown: pd.DataFrame
    excluded: dict[str, int]
    warnings: list[str]


def ordered_counts(counts: pd.DataFrame, *, key: str, column: str, order: Sequence[Any],
                   group_cols: Sequence[str], what: str) -> OrderedCounts:
    """From the counts of :func:`fairhire._core.counting.count_groups` (``__group``, ``key``,
    ``n``): exclude and count rows with a missing value or group, then lay the rest out as a
    groups × values grid. At least two groups are needed (``what`` names the analysis).

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"__group": ["A", "A", "B", None, "B"],
    ...                        "__level": ["L1", "L2", "L1", "L2", None], "n": [3, 1, 2, 4, 5]})
    >>> oc = ordered_counts(counts, key="__level", column="level", order=["L1", "L2"],
    ...                     group_cols=["sex"], what="representation")
    >>> oc.grid.tolist(), oc.groups, oc.excluded
    ([[3, 1], [2, 0]], ['A', 'B'], {'missing level': 5, 'missing group': 4})
    """
    miss_value = counts[key].map(is_missing)
    miss_group = counts["__group"].isna() & ~miss_value
    excluded: dict[str, int] = {}
    if int(counts.loc[miss_value, "n"].sum()):
        excluded[f"missing {column}"] = int(counts.loc[miss_value, "n"].sum())
    if int(counts.loc[miss_group, "n"].sum()):
        excluded["missing group"] = int(counts.loc[miss_group, "n"].sum())
    warnings = [f"{n:,} employees excluded ({reason})." for reason, n in excluded.items()]
    known = counts.loc[~miss_value & ~miss_group]
    if known.empty:
        raise InsufficientDataError(f"no employee has both a known group and a known {column!r}.")
    groups = sorted(known["__group"].unique(), key=sort_key)
    if len(groups) < 2:
        raise InsufficientDataError(
            f"only one group ({groups[0]!r}) in {preview(list(group_cols))}: {what} compares "
            "groups, so at least two are needed."
        )
    pos = positions(order)
    gi = {g: i for i, g in enumerate(groups)}
    grid = np.zeros((len(groups), len(order)), dtype=np.int64)
    for lab, v, n in zip(known["__group"], known[key], known["n"], strict=True):
        grid[gi[lab], place(pos, v)] += int(n)
    return OrderedCounts(grid=grid, groups=groups, unknown=counts.loc[miss_group],
                         excluded=excluded, warnings=warnings)


def shares_text(shares: pd.DataFrame) -> str:
    """A matrix of shares (levels or ratings in order) as a summary writes it: percentages
    to one decimal, blank where a share is undefined.

    Examples
    --------
    >>> import pandas as pd
    >>> print(shares_text(pd.DataFrame({"A": [0.25, float("nan")]}, index=["L1", "L2"])))
            A
    L1  25.0%
    L2
    """
    return shares.map(lambda v: f"{v:.1%}" if math.isfinite(v) else "").to_string()
