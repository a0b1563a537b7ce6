"""Counts of an exit analysis that add up to another count it shows, for ``min_cell``.

The report withholds a small count; if the other terms of a sum it belongs to are all shown,
the total less them gives it back. A result declares its sums (``count_sums()``), as a count
column and the cells (table name, row position) of which one is the sum of the others, and
the report never withholds exactly one cell of a sum
(:func:`fairhire.report.linked.plan_frames`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["CountSum", "band_sums", "kind_sums", "layoff_sums", "unit_sums"]

#: a count column and its cells (table name, row position): one is the sum of the others
CountSum = tuple[str, tuple[tuple[str, int], ...]]


def _positions(frame: pd.DataFrame, **labels: str) -> list[int]:
    mask = pd.Series(True, index=frame.index)
    for column, value in labels.items():
        mask &= frame[column].astype(str) == value
    return [int(i) for i in mask.to_numpy().nonzero()[0]]


def kind_sums(table: pd.DataFrame) -> list[CountSum]:
    """A group's exits of all kinds are its voluntary, involuntary and other exits: with the
    other exits shown nowhere but possibly none, the three rows are declared a sum (a
    withheld voluntary count is not the all-exits count less the involuntary one)."""
    out: list[CountSum] = []
    if "kind" not in table.columns or table["kind"].nunique() < 2:
        return out
    for group in pd.unique(table["group"].astype(str)):
        rows = [i for kind in ("all", "voluntary", "involuntary")
                for i in _positions(table, kind=kind, group=group)]
        if len(rows) > 1:
            out.append(("exits", tuple(("table", i) for i in rows)))
    return out


def band_sums(table: pd.DataFrame, bands: pd.DataFrame | None, cuts: Sequence[int],
              everyone: str, under: str) -> list[CountSum]:
    """A layoff's "N and over" over all units is the age band from N plus the next
    "M and over" (the last: its band), and each "Under 40" row is the band under 40. An empty
    band is left out: it counts no one, and its "N and over" is the next one's people."""
    if bands is None or len(bands) != len(cuts) + 1:
        return []
    over = [_positions(table, unit=everyone, comparison=f"age {c} and over",
                       group=f"{c} and over") for c in cuts]
    young = [i for c in cuts for i in _positions(table, unit=everyone,
                                                   comparison=f"age {c} and over", group=under)]
    sizes = bands["headcount"].tolist()
    out: list[CountSum] = []
    for column in ("headcount", "selected"):
        for k, rows in enumerate(over):
            if len(rows) != 1 or not sizes[k + 1]:
                continue
            after = over[k + 1] if k + 1 < len(over) else []
            cells = [("table", rows[0]), ("age_bands", k + 1), *(("table", i) for i in after)]
            out.append((column, tuple(cells)))
        out += [(column, (("table", i), ("age_bands", 0))) for i in young]
    return out


def unit_sums(table: pd.DataFrame, groups: str, cuts: Sequence[int]) -> list[CountSum]:
    """In each unit (and over all units), the groups of the comparison by group and the two
    sides of "40 and over" against "Under 40" (``cuts[0]``) count the same people (less those
    with a missing group or age): a small age group is not the unit's total less the rest."""
    if not groups or not cuts:
        return []
    age = f"age {cuts[0]} and over"
    out: list[CountSum] = []
    for unit in pd.unique(table["unit"].astype(str)):
        cells = _positions(table, unit=unit, comparison=groups) + _positions(
            table, unit=unit, comparison=age)
        if len(cells) > 2:
            out += [(column, tuple(("table", i) for i in cells))
                    for column in ("headcount", "selected")]
    return out


def layoff_sums(table: pd.DataFrame, bands: pd.DataFrame | None, cuts: Sequence[int],
                groups: str, everyone: str, under: str) -> list[CountSum]:
    """Every sum of a reduction in force: its age bands' (:func:`band_sums`) and its units'
    (:func:`unit_sums`)."""
    return band_sums(table, bands, cuts, everyone, under) + unit_sums(table, groups, cuts[:1])
