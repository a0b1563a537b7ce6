"""Small-count suppression across the tables of one result (rule 4 of :mod:`.suppress`).

A result's tables repeat each other's figures: the people selected at one stage of a funnel are
the applicants of the next, the bottom line repeats the last stage, a "flagged" table repeats
rows of the main one, a distribution repeats each group's total, and the sex and race tables of
an LL144 audit are the totals of its intersectional table. Withholding a figure in one table
and printing it in another would undo the suppression, so the tables are planned together:

- a withheld count is withheld wherever the same rows show the same count (the rows agree on
  the labels that name them, :class:`~.suppress.Shape`; in one table, on the row's name in
  another block);
- a withheld total (a sex or race category) has at least one of its parts withheld in the
  intersectional table (rule 3 then withholds a second part, so no difference gives it back);
- a group's counts across the blocks of a table (its promoted at each level) whose sum another
  table shows (its promoted over all levels) never have exactly one withheld: the total less
  the levels shown would give it back, so a second one is withheld with it;
- the cells of a sum the result declares (``count_sums()``: a group's exits of all kinds are
  its voluntary, involuntary and other exits; a layoff's "50 and over" is the "50–59" band
  plus "60 and over"; a monitoring period's groups at one stage, whose total the rows used
  give back) follow rule 3 too: never exactly one withheld, nor withheld ones adding up to
  fewer than ``min_cell``;

and the single-table rules run again until nothing changes.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from typing import Any

import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .._core.labels import label_key, sex_of
from .suppress import Rule, Shape, Withheld, _flags, _numeric, _plan, curve_steps, strings

__all__ = ["GROUP_NAME_COLUMNS", "plan_frames", "row_name", "shown_names"]

Forced = dict[str, set[int]]
#: A declared sum: a count column and its cells (frame, row), one of them the sum of the others
Sum = tuple[str, tuple[tuple[int, int], ...]]

#: Columns that name a row's people (a group, an LL144 category, a rater): a count of one
#: such row can be matched with the same people's count in another section of the report.
GROUP_NAME_COLUMNS = frozenset({"group", "category", "rater", "unit", "job_title", "band"})

_QUALIFIED = re.compile(r"^(.*\S)\s+\((.+)\)$")  # "White (Not Hispanic or Latino)"


def plan_frames(frames: Sequence[pd.DataFrame], rule: Rule, rounds: int = 12,
                outside: Set[tuple[str, float]] = frozenset(),
                sums: Sequence[Sum] = ()) -> list[Forced]:
    """For each frame, the count cells it must withhold because another frame (or another
    block of the same frame) withholds the same figure. Pass them to ``suppress_frame(...,
    forced=)``.

    ``outside``: (row name, count) pairs that another section of the report withholds
    (:func:`shown_names`); a shown count of a row of that name with that value is withheld too.
    ``sums``: cells of which one is the sum of the others (the result's ``count_sums()``).
    """
    counts = [[c for c in f.columns if c in rule.counts] for f in frames]
    shapes = [Shape.of(f, cs) for f, cs in zip(frames, counts, strict=True)]
    names = [_names(f, s) for f, s in zip(frames, shapes, strict=True)]
    forced: list[Forced] = [defaultdict(set) for _ in frames]
    if outside:
        for k, frame in enumerate(frames):
            if curve_steps(frame):  # its group's own rows take the other sections' counts
                continue
            for c, cells in _named_counts(frame, shapes[k], counts[k]).items():
                forced[k][c].update(i for i, key in cells if key in outside)
    lists = [{c: f[c].tolist() for c in cs} for f, cs in zip(frames, counts, strict=True)]
    done: list[tuple[Any, Any]] = [(None, None)] * len(frames)
    for _ in range(rounds):
        # a frame is planned again only when its forced cells changed: a report of many
        # sections runs several rounds, and most frames are settled after the first
        for k, f in enumerate(frames):
            key = {c: frozenset(v) for c, v in forced[k].items() if v}
            if done[k][0] != key:
                done[k] = (key, _plan(f, rule, forced[k]))
        plans = [plan for _, plan in done]
        held = [(k, c, i) for k, (small, hidden) in enumerate(plans)
                for c in small for i in sorted(small[c] | hidden[c])]
        shown: dict[float, list[tuple[int, str, int]]] = defaultdict(list)
        for k, (small, hidden) in enumerate(plans):
            for c in small:
                for i, v in enumerate(lists[k][c]):
                    if i not in small[c] and i not in hidden[c] and _numeric(v):
                        shown[float(v)].append((k, c, i))
        changed = False
        for k, c, i in held:
            value = lists[k][c][i]
            if not _numeric(value) or not math.isfinite(float(value)):
                continue
            for k2, c2, i2 in shown.get(float(value), ()):
                if _same_rows(names, shapes, k, i, k2, i2) and i2 not in forced[k2][c2]:
                    forced[k2][c2].add(i2)
                    changed = True
        changed |= _parts(frames, shapes, names, plans, held, forced)
        changed |= _across_blocks(frames, shapes, names, plans, forced, rule)
        changed |= _sums(lists, plans, forced, sums, rule.min_cell)
        if not changed:
            break
    return [dict(f) for f in forced]


def row_name(label: str) -> str:
    """A row's name as any section may spell it: an LL144 category "Two or More Races
    (Not Hispanic or Latino)" is the "Two or More Races" of an adverse-impact table, and the
    "F" of a group column the "Female" an LL144 sex table reads it as (the label rule's key,
    with the sex spellings read as one sex), part by part of an intersection.

    >>> row_name("White (Not Hispanic or Latino)"), row_name("F × Black"), row_name("Women")
    ('white', 'female × black', 'female')
    """
    match = _QUALIFIED.match(label)
    name = label if match is None else match.group(1)
    return GROUP_SEPARATOR.join(_part_name(p) for p in name.split(GROUP_SEPARATOR.strip()))


def _part_name(part: str) -> str:
    key = label_key(part)
    sex = sex_of(key)
    return key if sex is None else sex.casefold()


def _named_counts(frame: pd.DataFrame, shape: Shape, counts: Sequence[str]
                  ) -> dict[str, list[tuple[int, tuple[str, float]]]]:
    """Each count column's cells as (row, (row name, count)), for a table whose rows have a
    name (its :class:`~.suppress.Shape` identity)."""
    if not shape.identity or shape.identity[0] not in GROUP_NAME_COLUMNS:
        return {}  # a row named by a stage or a period ("offered"): no group's count
    labels = [row_name(x) for x in strings(frame[shape.identity[0]])]
    return {c: [(i, (labels[i], float(v))) for i, v in enumerate(frame[c].tolist())
                if _numeric(v) and not isinstance(v, Withheld)] for c in counts}


def shown_names(frames: Sequence[pd.DataFrame], done: Sequence[pd.DataFrame], rule: Rule
                ) -> tuple[set[tuple[str, float]], set[tuple[str, float]]]:
    """(row name, count) of every count the suppressed tables ``done`` withhold, and of every
    one they show, for the report's other sections (:func:`~.sections.link_views`)."""
    held: set[tuple[str, float]] = set()
    shown: set[tuple[str, float]] = set()
    for frame, out in zip(frames, done, strict=True):
        counts = [c for c in frame.columns if c in rule.counts]
        for c, cells in _named_counts(frame, Shape.of(frame, counts), counts).items():
            values = out[c].tolist()
            for i, key in cells:
                (held if isinstance(values[i], Withheld) else shown).add(key)
    return held, shown


#: A label that names a row's group in any table, whatever the table's shape (a table of
#: raters with one focal group has its rater as the row's name, and the group as a label)
_GROUP = "group"


def _names(frame: pd.DataFrame, shape: Shape) -> dict[str, list[str]]:
    extra = (_GROUP,) if _GROUP in frame.columns and _GROUP not in shape.keys else ()
    return {c: strings(frame[c]) for c in (*shape.keys, *extra)}


def _same_rows(names: list[dict[str, list[str]]], shapes: list[Shape],
               k: int, i: int, k2: int, i2: int) -> bool:
    """Whether row ``i`` of frame ``k`` and row ``i2`` of frame ``k2`` describe the same
    people: in one frame, the same row name in another block; across frames, the same values
    of every naming label the two frames share (or, sharing none, of their group label)."""
    if k == k2:
        ident = shapes[k].identity
        return (i != i2 and bool(ident) and shapes[k].block is not None
                and all(names[k][c][i] == names[k][c][i2] for c in ident))
    shared = ([c for c in shapes[k].keys if c in shapes[k2].keys]
              or [c for c in (_GROUP,) if c in names[k] and c in names[k2]])
    return bool(shared) and all(names[k][c][i] == names[k2][c][i2] for c in shared)


def _parts_of(labels: list[str], total: str) -> list[int]:
    """Rows of an intersectional table that add up to ``total`` ("Male", or a qualified
    category such as "White (Not Hispanic or Latino)")."""
    match = _QUALIFIED.match(total)
    wanted = {total} if match is None else {match.group(1), match.group(2)}
    out = []
    for i, label in enumerate(labels):
        if GROUP_SEPARATOR not in label:
            continue  # a single label is no part of a total (it may be the total itself)
        parts = {p.strip() for p in label.split(GROUP_SEPARATOR)}
        if total in parts or (match is not None and wanted <= parts):
            out.append(i)
    return out


def _parts(frames: Sequence[pd.DataFrame], shapes: list[Shape],
           names: list[dict[str, list[str]]], plans: list[tuple[Mapping, Mapping]],
           held: list[tuple[int, str, int]], forced: list[Forced]) -> bool:
    """A withheld total has a withheld part: else the parts, all shown, would add up to it."""
    crossed = [k for k, s in enumerate(shapes) if s.identity and any(
        GROUP_SEPARATOR in x for x in names[k][s.identity[0]])]
    changed = False
    for k, c, i in held:
        ident = shapes[k].identity
        if not ident or GROUP_SEPARATOR in names[k][ident[0]][i]:
            continue
        for k2 in crossed:
            if k2 == k or c not in plans[k2][0]:
                continue
            rows = _parts_of(names[k2][shapes[k2].identity[0]], names[k][ident[0]][i])
            small, hidden = plans[k2]
            if not rows or any(r in small[c] or r in hidden[c] or r in forced[k2][c]
                               for r in rows):
                continue
            values = frames[k2][c]
            numeric = [r for r in rows if _numeric(values.iloc[r])]
            if numeric:
                forced[k2][c].add(min(numeric, key=lambda r: float(values.iloc[r])))
                changed = True
    return changed


def _across_blocks(frames: Sequence[pd.DataFrame], shapes: list[Shape],
                   names: list[dict[str, list[str]]], plans: list[tuple[Mapping, Mapping]],
                   forced: list[Forced], rule: Rule) -> bool:
    """Rule 3 along the other side of a blocked table: the rows of one group in every block
    (a level, a stratum) add up to a count another table shows for the group, so exactly
    one withheld cell among them is given back by the total less the others; the smallest
    other (a reference row last, as in rule 3) is withheld with it. The total is recognised
    by its value, so blocks whose sum is shown nowhere (the stages of a funnel) are left
    alone. The table is planned again after each cell, since rule 3 inside that cell's block
    may already protect the next group."""
    changed = False
    for k, frame in enumerate(frames):
        shape = shapes[k]
        if shape.block is None or not shape.identity:
            continue
        rows_of: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(names[k][shape.identity[0]]):
            rows_of[label].append(i)
        reference = _flags(frame["is_reference"]) if "is_reference" in frame.columns else None
        for c in plans[k][0]:
            values = frame[c].tolist()
            for label, rows in rows_of.items():
                small, hidden = plans[k]
                held = small[c] | hidden[c] | forced[k][c]
                if (sum(i in held for i in rows) != 1 or len(rows) < 2
                        or not all(_numeric(values[i]) for i in rows)
                        or not _total_shown(frames, shapes, names, plans, k, label,
                                            sum(float(values[i]) for i in rows))):
                    continue
                others = [i for i in rows if i not in held]
                forced[k][c].add(min(others, key=lambda i: (
                    reference is not None and reference[i], float(values[i]))))
                plans[k] = _plan(frame, rule, forced[k])
                changed = True
    return changed


def _sums(lists: Sequence[Mapping[str, list]], plans: list[tuple[Mapping, Mapping]],
          forced: list[Forced], sums: Sequence[Sum], min_cell: int) -> bool:
    """A declared sum with one withheld cell gives it back (the total less the parts shown,
    or the total's parts), and withheld cells adding up to fewer than ``min_cell`` give back
    a small figure: the smallest other cell is withheld with them (of equal ones, the last: a
    part rather than a total, which is listed first)."""
    changed = False
    for column, cells in sums:
        if not all(column in plans[k][0] for k, _ in cells):
            continue
        held = [(k, i) for k, i in cells if i in plans[k][0][column]
                or i in plans[k][1][column] or i in forced[k][column]]
        # the count columns read once as lists (a pandas lookup per cell costs 100x more)
        values = {(k, i): lists[k][column][i] for k, i in cells}
        others = [(float(values[k, i]), -n, k, i) for n, (k, i) in enumerate(cells)
                  if (k, i) not in held and _numeric(values[k, i])]
        if held and others and (len(held) == 1 or sum(
                float(values[c]) for c in held if _numeric(values[c])) < min_cell):
            *_, k, i = min(others)
            forced[k][column].add(i)
            changed = True
    return changed


def _total_shown(frames: Sequence[pd.DataFrame], shapes: list[Shape],
                 names: list[dict[str, list[str]]], plans: list[tuple[Mapping, Mapping]],
                 k: int, label: str, total: float) -> bool:
    """Whether another table shows ``total`` as a count of the row named ``label``."""
    column = shapes[k].identity[0]
    for k2, frame in enumerate(frames):
        if k2 == k or column not in shapes[k2].keys:
            continue
        small, hidden = plans[k2]
        for c in small:
            for i, (name, v) in enumerate(zip(names[k2][column], frame[c].tolist(),
                                              strict=True)):
                if (name == label and i not in small[c] and i not in hidden[c]
                        and _numeric(v) and float(v) == float(total)):
                    return True
    return False
