"""The groups of a funnel: clean labels, known and unknown rows, one total per group.

Labels are cleaned by the shared rule (:func:`fairhire._core.labels.relabel_counts`) on the
small table of counts, after the engine's group-by: trimmed, case and space variants merged
under their most frequent spelling (with a warning), missing values and ``unknown_labels``
made unknown. The rest of the analysis sees clean labels only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from .._core.groups import GROUP_SEPARATOR, sort_key
from .._core.labels import relabel_counts
from ..errors import InsufficientDataError, InvalidParameterError, preview
from .aggregate import APPLIED, FunnelCounts, sort_rows

__all__ = ["GroupTotals", "clean_group_labels", "group_totals"]


def clean_group_labels(
    counts: FunnelCounts, group_cols: Sequence[str], unknown_labels: Sequence[object]
) -> tuple[FunnelCounts, list[str]]:
    """The counts with clean group labels (unknowns as None), and the merge warnings."""
    table, cleanings = relabel_counts(
        counts.table,
        list(group_cols),
        count_columns=counts.count_columns,
        weight=APPLIED,
        unknown_labels=unknown_labels,
    )
    warnings = [w for c in group_cols for w in cleanings[c].warnings()]
    return replace(counts, table=sort_rows(table, counts.keys)), warnings


def _tuple(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


@dataclass(frozen=True)
class GroupTotals:
    """Counts summed per group (strata added up), in the one group order.

    ``table`` is indexed by the group keys; ``labels`` are their text labels ("Female × Black")
    and ``keys`` their values (tuples for several group columns).
    """

    table: pd.DataFrame
    labels: list[str]
    keys: list[object]

    def values(self, i: int, group_cols: Sequence[str]) -> dict[str, object]:
        return dict(zip(group_cols, _tuple(self.keys[i]), strict=True))


def group_totals(
    known: pd.DataFrame, group_cols: Sequence[str], numeric: Sequence[str], unknown_rows: int
) -> GroupTotals:
    """Sum ``numeric`` per group; at least two groups with distinct text labels are needed."""
    per_group = known.groupby(list(group_cols), dropna=False, sort=False)[list(numeric)].sum()
    # positions, not labels: .loc with boolean group labels would act as a mask
    order = sorted(
        range(len(per_group)),
        key=lambda i: tuple(sort_key(v) for v in _tuple(per_group.index[i])),
    )
    per_group = per_group.iloc[order]
    if len(per_group) == 0:
        raise InsufficientDataError(
            f"no applicant has a known value of {preview(group_cols)}: all "
            f"{unknown_rows:,} rows have a missing group. Fill in the group column(s)."
        )
    labels = [GROUP_SEPARATOR.join(str(v) for v in _tuple(k)) for k in per_group.index]
    if len(per_group) < 2:
        raise InsufficientDataError(
            f"only one group ({labels[0]!r}) in {preview(group_cols)}: adverse impact compares "
            "groups, so at least two are needed. Check the group column and any filter."
        )
    if len(set(labels)) != len(labels):
        raise InvalidParameterError(
            f"group labels collide when written as text: {preview(labels)}. Recode the group "
            "column so distinct groups have distinct labels."
        )
    return GroupTotals(table=per_group, labels=labels, keys=list(per_group.index))
