"""The groups of a funnel: clean labels, known and unknown rows, one total per group.

Labels are cleaned by the shared rule (:func:`fairhire._core.labels.relabel_counts`) on the
small table of counts, after the engine's group-by: trimmed, case and space variants merged
under their most frequent spelling (with a warning), missing values and ``unknown_labels``
made unknown. The rest of the analysis sees clean labels only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR, sort_key
from .._core.labels import clean_labels, relabel_counts
from .._core.missing import is_missing
from .._core.strata import clean_strata, strata_tidy
from ..errors import InsufficientDataError, InvalidParameterError, preview
from .aggregate import APPLIED, FunnelCounts, sort_rows

__all__ = ["GroupTotals", "clean_funnel_strata", "clean_group_labels", "group_totals"]


def _already_clean(
    table: pd.DataFrame, group_cols: Sequence[str], unknown_labels: Sequence[object]
) -> bool:
    """Whether the shared rule leaves every label of the table as it is: nothing merged,
    recoded, read as unknown or warned about, every label already in its clean spelling and a
    plain Python value (missing values stay missing), so no two rows come to share their keys."""
    for c in group_cols:
        distinct = list(dict.fromkeys(table[c].tolist()))
        # blank text is missing: only None is missing as it stands
        if any(isinstance(v, np.generic) or (v is not None and is_missing(v)) for v in distinct):
            return False
        cleaning = clean_labels(distinct, column=c, unknown_labels=unknown_labels)
        if cleaning.warnings() or set(cleaning.unknown) - {"(missing)"}:
            return False
        for raw in distinct:
            if raw is None:
                continue
            clean = cleaning.get(raw)
            if clean is None or type(clean) is not type(raw) or clean != raw:
                return False
    return True


def clean_group_labels(
    counts: FunnelCounts, group_cols: Sequence[str], unknown_labels: Sequence[object]
) -> tuple[FunnelCounts, list[str]]:
    """The counts with clean group labels (unknowns as None), and the merge warnings.

    Labels are usually clean already (a categorical column, a tidy export): then the table is
    kept as it is, which is what :func:`~fairhire._core.labels.relabel_counts` would return.
    """
    if _already_clean(counts.table, group_cols, unknown_labels):
        return counts, []
    table, cleanings = relabel_counts(
        counts.table,
        list(group_cols),
        count_columns=counts.count_columns,
        weight=APPLIED,
        unknown_labels=unknown_labels,
    )
    warnings = [w for c in group_cols for w in cleanings[c].warnings()]
    return replace(counts, table=sort_rows(table, counts.keys)), warnings


def clean_funnel_strata(
    counts: FunnelCounts, strata_cols: Sequence[str]
) -> tuple[FunnelCounts, list[str]]:
    """The counts with clean stratum labels (:func:`fairhire._core.strata.clean_strata`:
    "LEVEL 8 " and "Level 8" are one stratum), and the merge warnings."""
    if all(strata_tidy(dict.fromkeys(counts.table[c].tolist())) for c in strata_cols):
        return counts, []
    table, warnings = clean_strata(counts.table, {c: c for c in strata_cols},
                                   count_columns=counts.count_columns, weight=APPLIED)
    return replace(counts, table=sort_rows(table, counts.keys)), warnings


def _tuple(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


@dataclass(frozen=True)
class GroupTotals:
    """Counts summed per group (strata added up), in the one group order.

    ``counts`` maps each count column to an int64 array with one entry per group; ``labels``
    are the groups' text labels ("Female × Black") and ``keys`` their values (tuples for
    several group columns).
    """

    counts: dict[str, np.ndarray]
    labels: list[str]
    keys: list[object]

    def values(self, i: int, group_cols: Sequence[str]) -> dict[str, object]:
        return dict(zip(group_cols, _tuple(self.keys[i]), strict=True))


def group_totals(
    keys: Sequence[Sequence[object]],
    values: np.ndarray,
    numeric: Sequence[str],
    group_cols: Sequence[str],
    unknown_rows: int,
) -> GroupTotals:
    """Sum the counts ``values`` (one column per name in ``numeric``) per group; at least two
    groups with distinct text labels are needed.

    ``keys`` holds the values of each group column, row by row. The table is small (one row
    per group and stratum): groups are found with a dict of their values (the equality
    pandas' group-by uses) and summed with ``np.add.at``.
    """
    rows = zip(*keys, strict=True) if len(keys) > 1 else keys[0]
    ids: dict[object, int] = {}
    row_group = np.array([ids.setdefault(k, len(ids)) for k in rows], dtype=np.intp)
    first = list(ids)
    # positions in the one group order (ties keep the order of first appearance)
    order = sorted(range(len(first)), key=lambda i: tuple(sort_key(v) for v in _tuple(first[i])))
    if not order:
        raise InsufficientDataError(
            f"no applicant has a known value of {preview(group_cols)}: all "
            f"{unknown_rows:,} rows have a missing group. Fill in the group column(s)."
        )
    found = [first[i] for i in order]
    labels = [GROUP_SEPARATOR.join(str(v) for v in _tuple(k)) for k in found]
    if len(found) < 2:
        raise InsufficientDataError(
            f"only one group ({labels[0]!r}) in {preview(group_cols)}: adverse impact compares "
            "groups, so at least two are needed. Check the group column and any filter."
        )
    if len(set(labels)) != len(labels):
        raise InvalidParameterError(
            f"group labels collide when written as text: {preview(labels)}. Recode the group "
            "column so distinct groups have distinct labels."
        )
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    sums = np.zeros((len(found), len(numeric)), dtype=np.int64)
    np.add.at(sums, rank[row_group], values)
    counts = {c: sums[:, j] for j, c in enumerate(numeric)}
    return GroupTotals(counts=counts, labels=labels, keys=found)
