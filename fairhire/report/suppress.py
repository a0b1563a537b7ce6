"""Small-count suppression (``min_cell``), applied once, where a result enters the report.

Partials, charts, the executive summary, the data-and-exclusions account and the JSON output
never see a result itself: they see a :class:`~fairhire.report.view.ReportView`, whose tables,
counts, sentences, warnings and row account already have ``min_cell`` applied. No template can
forget it. This module holds the rules for one table; :mod:`fairhire.report.linked` applies them
to all the tables of a result at once.

The rules, for every table of a result (a count column is one the result lists in its
``count_columns`` class variable):

1. *Primary*: a count below ``min_cell`` is withheld and prints as "< 5".
2. *Row*: in a row with a withheld count, every other figure derived from the row's counts
   (rates, ratios, intervals, p-values, test statistics, gaps: every decimal column and every
   column in the result's ``derived_columns``) is withheld ("s"), and so is every
   other count of the row but the largest, so no difference of two counts gives it away.
3. *Complementary*: within a block of rows (the rows sharing the table's first label, e.g. a
   stage, or the whole table; and, for intersectional labels such as "Female × Black", the rows
   sharing each part, whose totals the sex and race tables show), no count column may have
   exactly one withheld cell, or the total shown elsewhere would give it back: the smallest
   other count is withheld with it ("s"). Rules 2 and 3 repeat until nothing changes.
4. *Across tables* (:mod:`fairhire.report.linked`): a withheld count that another table of the
   same result, or another block of the same table, shows again for the same rows (a funnel's
   selected at one stage are the applicants of the next; the bottom line repeats the last
   stage) is withheld there too, and so is one part of a withheld total; a group's rows
   across the blocks of a table (its promoted at each level) whose sum another table shows
   never hold exactly one withheld count. Across the sections of one report, a group's count
   one section withholds is withheld where another shows it
   (:func:`fairhire.report.sections.link_views`).

5. *Reference*: in a block whose reference row (``is_reference``) has a withheld count, every
   figure compared with it (a ratio, its interval, a test, a shortfall) is withheld, since a
   group's rate and ratio give the reference's rate back; the groups' own rates stay.

The row account (used + excluded = total) follows rule 3; a sentence (headline or warning)
that states a withheld figure, or a count below ``min_cell``, has it replaced ("fewer than 5"),
and its other counts rounded ("about 140"), so a difference of two cannot give it back
(:mod:`fairhire.report.sentences`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .sentences import figure_kind
from .withheld import SUPPRESSED_DERIVED, Withheld, _withheld

__all__ = ["SUPPRESSED_DERIVED", "Rule", "Shape", "Withheld", "complement", "curve_steps", "figure_kind",
           "suppress_frame", "suppress_records"]

#: Result fields that count people but are not table columns (so no ``count_columns`` names
#: them): the UK and EU pay results' workers of another or no recorded sex, a number and a
#: {label: number} mapping. Their small values are withheld in every format.
COUNT_FIELDS = frozenset({"sex_missing", "sex_other"})


@dataclass(frozen=True)
class Rule:
    """Which columns count people (and which are derived from them), and the threshold."""

    min_cell: int
    counts: frozenset[str]
    derived: frozenset[str] = frozenset()
    #: number columns that name a row (``label_columns``): never withheld
    labels: frozenset[str] = frozenset()
    #: figures of the people's values, not their counts (``magnitude_columns``): withheld
    #: only where the row itself is small or its reference withheld
    magnitudes: frozenset[str] = frozenset()

    @classmethod
    def for_result(cls, result: Any, min_cell: int) -> Rule:
        """The rule for a result: its ``count_columns`` and ``derived_columns`` (and the
        fields that count people outside a table, :data:`COUNT_FIELDS`)."""
        names: dict[str, set[str]] = {"count": set(COUNT_FIELDS), "derived": set()}
        for kind in names:
            names[kind].update(str(c) for c in getattr(type(result), f"{kind}_columns", ()))
        labels, magnitudes = (frozenset(str(c) for c in getattr(type(result), name, ()))
                              for name in ("label_columns", "magnitude_columns"))
        revealing = getattr(result, "count_revealing_columns", None)
        if callable(revealing):  # this result's intervals give its counts back
            magnitudes -= frozenset(revealing())
        return cls(min_cell, frozenset(names["count"]), frozenset(names["derived"]), labels,
                   magnitudes)

    def is_small(self, value: Any) -> bool:
        if value is None or isinstance(value, bool | np.bool_ | str | Withheld):
            return False
        try:
            f = float(value)
        except (TypeError, ValueError):
            return False
        return math.isfinite(f) and f < self.min_cell


#: Yes/no verdicts read off a row's figures: withheld with them, since "below four-fifths"
#: for a group of three says roughly how many of them were selected.
VERDICT_COLUMNS = frozenset({
    "adverse_impact", "below_four_fifths", "significant", "flips_with_one", "reversal",
    "art10_flag", "flagged", "flagged_own", "flagged_peers",
})


def _numeric(value: Any) -> bool:
    if value is None or isinstance(value, bool | np.bool_ | str):
        return False
    if isinstance(value, Withheld):
        return True
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def complement(cells: Mapping[Any, float], min_cell: int) -> tuple[set[Any], set[Any]]:
    """Rule 3 for cells whose total is shown: the small cells, and the smallest other cell
    when the small ones could be worked back from the total (one alone, or together fewer
    than ``min_cell``).

    >>> small, hidden = complement({"a": 2, "b": 1, "c": 30, "d": 40}, 5)
    >>> sorted(small), sorted(hidden)
    (['a', 'b'], ['c'])
    """
    small = {k for k, v in cells.items() if v < min_cell}
    hidden: set[Any] = set()
    if small and (len(small) == 1 or sum(cells[k] for k in small) < min_cell):
        others = sorted((v, k) for k, v in cells.items() if k not in small)
        if others:
            hidden.add(others[0][1])
    return small, hidden


@dataclass(frozen=True)
class Shape:
    """How a table's rows are organised: its block column (a label the rows share in blocks,
    e.g. a stage), the labels that say which row is which (e.g. the group), and the blocks."""

    block: str | None
    identity: tuple[str, ...]
    blocks: tuple[np.ndarray, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The labels that name a row across tables: its block and its identity."""
        return tuple(c for c in (self.block, *self.identity) if c)

    @classmethod
    def of(cls, frame: pd.DataFrame, counts: Iterable[str]) -> Shape:
        """The shape of ``frame`` (``counts``: its count columns, never labels)."""
        labels = [c for c in _labels(frame) if c not in set(counts)]
        text = {c: pd.Series(strings(frame[c]), index=frame.index) for c in labels}
        block = None
        groups: list[np.ndarray] = [np.arange(len(frame))]
        if labels and text[labels[0]].duplicated().any():
            block = labels[0]
            keys = text[block]
            groups = [np.asarray(i) for i in frame.groupby(keys, sort=False).indices.values()]
        # the row's name: the first label that differs within a block (a label constant
        # within every block describes the block: a stage's reference group, its basis)
        varying = [c for c in labels if c != block and any(
            text[c].iloc[idx].nunique() > 1 for idx in groups if len(idx) > 1)]
        fallback = [c for c in labels if c != block][:1] if block is None else []
        identity = tuple((varying or fallback)[:1])
        return cls(block, identity,
                   tuple(groups) + _part_blocks(frame, identity) + _scope_blocks(frame))


def curve_steps(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` holds the steps of a curve (a ``time`` column: 36 at risk and 2 exits
    in month 7), not a group's own counts. A step's count is no count of its group that
    another section or a sentence states: steps are withheld with their group's counts
    within the result, never matched with other sections' counts or with sentences, whose
    numbers their thousands of values would match by chance ("36 months")."""
    return "time" in frame.columns


def strings(values: pd.Series) -> list[str]:
    """Labels as text, missing ones included ("nan"), whatever the column's dtype."""
    return [str(v) for v in values.tolist()]


def _part_blocks(frame: pd.DataFrame, identity: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """For intersectional labels ("Female × Black"): the rows sharing each part, whose total
    another table (by sex, by race) shows."""
    if not identity:
        return ()
    labels = strings(frame[identity[0]])
    if not any(GROUP_SEPARATOR in x for x in labels):
        return ()
    parts: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        if GROUP_SEPARATOR in label:
            for part in label.split(GROUP_SEPARATOR):
                parts.setdefault(part.strip(), []).append(i)
    # a total's own row ("Male" beside "Male × Black") joins its parts; a label that is no
    # part of an intersectional one ("Asian" beside a single label that contains " × ") has
    # no parts, so it makes no block of its own rows across stages
    for i, label in enumerate(labels):
        if GROUP_SEPARATOR not in label and label.strip() in parts:
            parts[label.strip()].append(i)
    return tuple(np.asarray(sorted(rows)) for rows in parts.values()
                 if 1 < len(rows) < len(labels))


def _scope_blocks(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """For a pay gap within pay-analysis groups (a ``scope`` column: "overall", then each
    grouping, whose ``cell`` rows split everyone): a group's overall row with its rows in the
    cells of one grouping, which add up to it. A withheld overall count then has a withheld
    part (rule 3), else the cells would give it back."""
    if not {"scope", "group"} <= set(map(str, frame.columns)):
        return ()
    scopes, groups = strings(frame["scope"]), strings(frame["group"])
    overall = {g: i for i, (s, g) in enumerate(zip(scopes, groups, strict=True))
               if s == "overall"}
    parts: dict[tuple[str, str], list[int]] = {}
    for i, (scope, group) in enumerate(zip(scopes, groups, strict=True)):
        if scope != "overall" and group in overall:
            parts.setdefault((scope, group), [overall[group]]).append(i)
    return tuple(np.asarray(rows) for rows in parts.values())


def _plan(frame: pd.DataFrame, rule: Rule, forced: Mapping[str, set[int]] | None = None
          ) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Positions of withheld cells: (small counts, other withheld cells), by column.

    ``forced`` cells are withheld from the start (another table withholds the same figure).
    """
    counts = [c for c in frame.columns if c in rule.counts]
    values = {c: frame[c].tolist() for c in counts}
    small = {c: {i for i, v in enumerate(values[c]) if rule.is_small(v)} for c in counts}
    hidden: dict[str, set[int]] = {c: set((forced or {}).get(c, ())) - small[c] for c in counts}
    blocks = Shape.of(frame, counts).blocks
    # a complement is taken from a reference row last: every ratio is compared with it, so
    # withholding it withholds the whole block's comparisons (see _reference_blocks)
    reference = (_flags(frame["is_reference"]) if "is_reference" in frame.columns
                 else [False] * len(frame))
    for _ in range(2 * len(counts) + 2):
        changed = False
        for i in range(len(frame)):  # rule 2: other counts of the row, but the largest
            held = [c for c in counts if i in small[c] or i in hidden[c]]
            if not held:
                continue
            shown = [c for c in counts if c not in held and _numeric(values[c][i])]
            keep = max(shown, key=lambda c: float(values[c][i]), default=None)
            for c in shown:
                if c != keep:
                    hidden[c].add(i)
                    changed = True
        for c in counts:  # rule 3: never exactly one withheld cell in a block's column
            for block in blocks:
                held = [i for i in block if i in small[c] or i in hidden[c]]
                if len(held) != 1:
                    continue
                others = [i for i in block if i not in held and _numeric(values[c][i])]
                if others:
                    hidden[c].add(min(others, key=lambda i: (reference[i], float(values[c][i]))))
                    changed = True
        if not changed:
            break
    return small, hidden


def _labels(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns
            if not pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
                frame[c])]


def _matching_rows(frame: pd.DataFrame, keys: list[tuple[tuple[str, ...], set]]) -> list[int]:
    """Rows of a table without counts that describe a withheld row of another table: they
    share every label column the two tables have in common, or, in a model's coefficient
    table, the term is the group's ("sex[Non-binary]": that group's pay against the
    reference's, adjusted)."""
    labels = set(_labels(frame))
    found: set[int] = set()
    terms = frame["term"].astype(str).tolist() if "term" in labels else []
    for columns, tuples in keys:
        shared = [c for c in columns if c in labels]
        if terms and "group" in columns:
            names = {f"[{t[columns.index('group')]}]" for t in tuples}
            found |= {i for i, t in enumerate(terms) if t[t.rfind("["):] in names}
        if not shared:
            continue
        wanted = {tuple(t[columns.index(c)] for c in shared) for t in tuples}
        values = zip(*(frame[c].astype(str).tolist() for c in shared), strict=True)
        found |= {i for i, v in enumerate(values) if v in wanted}
    return sorted(found)


def _flags(values: pd.Series) -> list[bool]:
    return [v is True or v is np.True_ for v in values.tolist()]


def _own_figure(column: str) -> bool:
    """Whether a column is a row's own figure (its rate, share, median), not a comparison."""
    own = "rate" in column or "share" in column or column.startswith("median")
    return own and "ratio" not in column and "gap" not in column


def _reference_blocks(frame: pd.DataFrame, rule: Rule, rows: set[int]
                      ) -> tuple[list[int], set[str]]:
    """The rows of blocks whose reference row (``is_reference``) has a withheld count, and
    the columns that compare a row with it.

    A ratio is a rate divided by the reference group's rate, so one shown rate and ratio (or a
    shortfall, an interval, a test statistic) give the reference group's rate back, and with it
    a withheld count of the reference row: every figure compared with it is withheld too. A
    comparison column is one whose value in the reference row says nothing (1 for a ratio, 0
    for a shortfall, 0.5 for a probability of being rated higher, none for a p-value); a
    group's own rate or share (a column named "...rate..." or "...share...", not "...ratio...")
    stays, since its counts show it.
    """
    if not rows or "is_reference" not in frame.columns:
        return [], set()
    reference = _flags(frame["is_reference"])
    shape = Shape.of(frame, [c for c in frame.columns if c in rule.counts])
    block = _comparison_blocks(frame, shape, reference)
    held = {block[i] for i in rows if reference[i]}
    if not held:
        return [], set()
    refs = [i for i in range(len(frame)) if reference[i]]
    # a rate, share or median time (and its interval) is the row's own, even when the
    # reference's is 0, 100% or not reached; a probability of being rated higher is 0.5
    # against itself
    compared = {str(c) for c in frame.columns if not _own_figure(str(c)) and all(not _numeric(frame[c].iloc[i]) or float(frame[c].iloc[i]) in (0, 0.5, 1)
                        for i in refs)}
    return [i for i, b in enumerate(block) if b in held and i not in rows], compared


def _comparison_blocks(frame: pd.DataFrame, shape: Shape, reference: list[bool]) -> list[str]:
    """Each row's comparison block: the rows compared with the same reference row.

    That is the table's block (a stage, a comparison), split further where the block holds
    several reference rows told apart by a label, each with rows of its own: a reduction in
    force compares "40 and over" with "Under 40" in every unit and over all units, each
    against its own reference row. A label that names single rows (a group) splits nothing,
    and rows whose label matches no reference row keep the block whole (the cautious case).
    """
    block = strings(frame[shape.block]) if shape.block else [""] * len(frame)
    out = list(block)
    texts = {c: strings(frame[c]) for c in _labels(frame) if c != shape.block}
    for rows in pd.Series(range(len(frame))).groupby(block, sort=False).groups.values():
        rows = list(rows)
        refs = [i for i in rows if reference[i]]
        for values in texts.values():
            kinds = {values[i] for i in refs}
            if len(kinds) < 2 or any(values[i] not in kinds for i in rows):
                continue
            sizes = pd.Series([values[i] for i in rows]).value_counts()
            if (sizes < 2).all():  # a label naming single rows (the groups): no sub-blocks
                continue
            for i in rows:
                out[i] = f"{block[i]}\x1f{values[i]}"
            break
    return out


def _missing(value: Any) -> bool:
    """A figure that is missing (NaN, None), not text or a yes/no."""
    if value is None:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _tied_references(frame: pd.DataFrame, rows: Iterable[int]) -> list[int]:
    """Rows among ``rows`` (rows with withheld figures, or compared with a withheld
    reference) marked ``is_reference`` only because their rate ties the reference group's:
    "reference" beside a withheld row says its rate equals the reference's, which gives its
    withheld count back. The reference group itself (``reference_group``) keeps its mark."""
    if "is_reference" not in frame.columns or "reference_group" not in frame.columns:
        return []
    name = "group" if "group" in frame.columns else None
    if name is None:
        return []
    flags = _flags(frame["is_reference"])
    names, refs = strings(frame[name]), strings(frame["reference_group"])
    return [i for i in rows if flags[i] and names[i] != refs[i]]


def suppress_frame(
    frame: pd.DataFrame, rule: Rule, keys: list[tuple[tuple[str, ...], set]] | None = None,
    forced: Mapping[str, set[int]] | None = None,
    small_keys: list[tuple[tuple[str, ...], set]] | None = None,
) -> tuple[pd.DataFrame, list[tuple[str, float]]]:
    """``frame`` with ``rule`` applied (a copy, or the frame itself when nothing is withheld),
    and the values withheld with their :func:`figure_kind` (so sentences quoting them can be
    found).

    ``keys`` (label columns, label values) name the withheld rows of the result's other tables:
    in a table without counts, the figures of rows with the same labels are withheld too.
    ``forced`` cells are withheld from the start (see :mod:`fairhire.report.linked`).
    ``small_keys``: those of ``keys`` whose rows have a small count of their own; a table
    without counts then withholds the magnitudes (``Rule.magnitudes``) of their rows only
    (without it, of every row ``keys`` names).
    """
    small, hidden = _plan(frame, rule, forced)
    held = {i for c in small for i in small[c] | hidden[c]}
    rows = sorted(held)
    # rows whose magnitudes are withheld too: those with a small count of their own
    own_small = {i for c in small for i in small[c]}
    compared_rows, compared = _reference_blocks(frame, rule, held)
    if not small and keys:  # a table without counts: its rows are another table's
        rows = _matching_rows(frame, keys)
        own_small = set(rows if small_keys is None else _matching_rows(frame, small_keys))
    if not rows and not compared_rows:
        return frame, []
    out = frame.copy()
    withheld: list[tuple[str, float]] = []
    changes: dict[str, dict[int, Withheld]] = {}
    for c in small:
        for i in small[c] | hidden[c]:
            changes.setdefault(c, {})[i] = _withheld(i in small[c], rule.min_cell)
    for column in frame.columns:
        if column in rule.counts or column in rule.labels:
            continue
        # whole-number columns that are not counts are labels (a panel size, a rating)
        verdict = column in VERDICT_COLUMNS
        derived = column in rule.derived or verdict or pd.api.types.is_float_dtype(frame[column])
        if derived:
            values = frame[column].tolist()  # one list, not a pandas lookup per cell
            own = [i for i in rows if i in own_small] if column in rule.magnitudes else rows
            for i in own + (compared_rows if column in compared else []):
                value = values[i]
                # a text column the result names as derived (a sentence quoting the row's
                # figures) is withheld with them, and so is a yes/no verdict read off them;
                # so is a missing figure ("–"): a rate with none says the withheld number of
                # applicants is 0, a p-value with none that the rate ties the reference's
                if (_numeric(value) or _missing(value)
                        or (column in rule.derived and isinstance(value, str))
                        or (verdict and isinstance(value, bool | np.bool_))):
                    changes.setdefault(column, {})[i] = _withheld(False, rule.min_cell)
    for i in _tied_references(frame, sorted(set(rows) | set(compared_rows))):
        changes.setdefault("is_reference", {})[i] = _withheld(False, rule.min_cell)
    for column, cells in changes.items():
        values = out[column].astype(object).tolist()
        kind = figure_kind(column, rule)
        for i, marker in cells.items():
            if _numeric(values[i]):
                withheld.append((kind, float(values[i])))
            values[i] = marker
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out, withheld


def suppress_records(records: list[dict[str, Any]], rule: Rule,
                     forced: Mapping[str, set[int]] | None = None,
                     keys: list[tuple[tuple[str, ...], set]] | None = None,
                     small_keys: list[tuple[tuple[str, ...], set]] | None = None,
                     ) -> list[dict[str, Any]]:
    """The JSON form: withheld values become null, and each row lists what it withheld.

    ``keys``, ``small_keys``: as for :func:`suppress_frame`, the withheld rows of the
    result's other tables (a table without counts withholds the figures of the same rows)."""
    frame = pd.DataFrame.from_records(records)
    done, _ = suppress_frame(frame, rule, keys, forced=forced, small_keys=small_keys)
    if done is frame:
        return records
    out = []
    marked = {c: done[c].tolist() for c in done.columns if done[c].dtype == object}
    for i, original in enumerate(records):
        held = sorted(c for c, values in marked.items() if isinstance(values[i], Withheld))
        rec = {k: (None if k in held else original[k]) for k in original}
        if held:
            rec["suppressed"] = held
        out.append(rec)
    return out
