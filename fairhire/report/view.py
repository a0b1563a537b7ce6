"""A result as the report sees it: :class:`ReportView`, with ``min_cell`` applied once.

Attribute access goes to the result; its tables come back suppressed (all of them planned
together by :mod:`fairhire.report.linked`, so a figure withheld in one is not shown in
another), its sentences, warnings and row account with their small counts replaced, and its
private (row-level) fields out of reach unless the report includes the disclosure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._results import describe_rows
from .linked import GROUP_NAME_COLUMNS as _GROUP_NAME_COLUMNS
from .linked import plan_frames, shown_names
from .suppress import (
    Rule,
    Withheld,
    _labels,
    _withheld,
    complement,
    curve_steps,
    suppress_frame,
)
from .view_text import SentenceRules, _small_row_figures

__all__ = ["ReportView", "RowsView", "suppress_rows"]


@dataclass(frozen=True)
class RowsView:
    """A row account with ``min_cell`` applied (values may be :class:`Withheld`)."""

    total: Any
    used: Any
    excluded: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """The account in words, as :meth:`fairhire.RowAccount.describe`, withheld figures
        written as withheld ("< 5", "s").

        >>> RowsView(total=120, used=_withheld(False, 5), excluded={"missing": _withheld(True, 5)}
        ...          ).describe()
        's of 120 rows used; < 5 excluded (missing)'
        """
        return describe_rows(self.total, self.used, self.excluded)

    def to_dict(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return None if isinstance(v, Withheld) else v

        return {"total": plain(self.total), "used": plain(self.used),
                "excluded": {k: plain(v) for k, v in self.excluded.items()}}


def suppress_rows(rows: Any, min_cell: int | None) -> RowsView | None:
    """The row account with rule 3: a withheld exclusion never pairs with shown used and total."""
    if rows is None:
        return None
    excluded = dict(rows.excluded)
    if min_cell is None:
        return RowsView(total=rows.total, used=rows.used, excluded=excluded)
    cells = {"\0used": rows.used, **{k: v for k, v in excluded.items() if v}}
    small, hidden = complement(cells, min_cell)
    def shown(k: str, v: int) -> Any:
        if k in small:
            return _withheld(True, min_cell)
        return _withheld(False, min_cell) if k in hidden else v

    total = rows.total if len(small | hidden) >= 2 or not small else _withheld(False, min_cell)
    return RowsView(
        total=total,
        used=shown("\0used", rows.used),
        excluded={k: (shown(k, v) if v else v) for k, v in excluded.items()},
    )


def _rows_in(frame: pd.DataFrame, sources: list[pd.DataFrame]
             ) -> tuple[pd.DataFrame, list[int]] | None:
    """A table of ``sources`` with the same columns that holds every row of ``frame`` (the
    flagged rows of a table, its bottom line), and the positions of those rows in it."""
    for source in sources:
        if source is frame or list(source.columns) != list(frame.columns) or len(
                frame) > len(source):
            continue
        where = {row: i for i, row in enumerate(source.astype(str).itertuples(index=False))}
        positions = [where.get(row) for row in frame.astype(str).itertuples(index=False)]
        if None not in positions:
            return source, positions  # type: ignore[return-value]
    return None


def _declared_sums(result: Any, frames: list[pd.DataFrame]
                   ) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """The result's ``count_sums()`` (column, cells as (table name, row position)), one of
    each sum's cells the sum of the others, as cells (frame, row) of the planned ``frames``."""
    declared = getattr(result, "count_sums", None)
    if not callable(declared):
        return []
    index = {id(f): k for k, f in enumerate(frames)}
    out = []
    for column, cells in declared():
        mapped = tuple((index.get(id(getattr(result, name, None))), row) for name, row in cells)
        if all(k is not None for k, _ in mapped):
            out.append((column, mapped))
    return out


class ReportView(SentenceRules):
    """A result as a report sees it: tables, counts and sentences with ``min_cell`` applied.

    Attribute access goes to the result; tables (pandas frames, also those returned by
    methods) come back suppressed; ``headlines()``, ``warnings`` and ``rows`` come back with
    their small counts replaced; fields the result lists in ``private_fields`` are not
    reachable, unless ``include_private`` (``Report.add(..., include_disclosure=True)``). With
    ``min_cell=None`` only the privacy rule applies.
    """

    def __init__(self, result: Any, min_cell: int | None, include_private: bool = False,
                 outside: frozenset[tuple[str, float]] = frozenset()) -> None:
        self._result = result
        #: (row name, count) pairs the report's other sections withhold (see shown_names)
        self._outside = outside
        self._min_cell = min_cell
        self._include_private = include_private
        self._rule = None if min_cell is None else Rule.for_result(result, min_cell)
        self._cache: dict[Any, Any] = {}
        self._withheld: set[tuple[str, float]] = set()
        #: the same, of rows with a small count of their own (what a withheld sentence that
        #: quotes one rests on: fewer than min_cell people)
        self._withheld_small: set[tuple[str, float, tuple[str, ...]]] = set()
        #: the figures each table withholds (by the table's id), for a headline about one table
        self._withheld_in: dict[int, set[tuple[str, float]]] = {}
        self._keys: list[tuple[tuple[str, ...], set]] = []
        #: the same, for rows with a small count of their own (not only complements, "s")
        self._small_keys: list[tuple[tuple[str, ...], set]] = []
        #: the result's tables with counts, planned together, and the cells each must withhold
        self._planned: list[pd.DataFrame] = []
        self._forced: dict[int, dict[str, set[int]]] = {}
        #: the result's declared sums of counts, as cells of ``_planned``
        self._sums: list[tuple[str, tuple[tuple[int, int], ...]]] = []

    @property
    def result(self) -> Any:
        """The result itself (for the report machinery, not for templates)."""
        return self._result

    def __repr__(self) -> str:
        return f"<ReportView of {self._result!r}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in getattr(self._result, "private_fields", {}) and not self._include_private:
            raise AttributeError(
                f"{type(self._result).__name__}.{name} holds row-level data and is left out "
                "of reports (see private_fields)."
            )
        if name in getattr(self._result, "method_fields", {}):
            return self._method_table(name)
        if name not in self._cache:
            self._cache[name] = self._wrap(getattr(self._result, name), name)
        return self._cache[name]

    def _method_table(self, name: str) -> pd.DataFrame:
        """A table on a grid of sizes (see ``Result.method_fields``): as it is, or with no
        rows when the table it is drawn around withholds a figure."""
        table = getattr(self._result, name)
        around = getattr(self, self._result.method_fields[name])
        tallies = getattr(type(self._result), "tally_columns", {})  # no figure it is drawn on
        held = any(isinstance(v, Withheld) for c in around.columns if c not in tallies
                   for v in around[c].tolist())
        return table.iloc[:0] if held else table

    def _wrap(self, value: Any, name: str) -> Any:
        if isinstance(value, pd.DataFrame):
            return self.frame(value)
        if isinstance(value, Mapping) and any(isinstance(v, pd.DataFrame) for v in value.values()):
            return {k: self._wrap(v, name) for k, v in value.items()}
        if callable(value) and hasattr(value, "__self__") and not isinstance(value, type):
            return self._method(value)
        if self._rule is not None and name in getattr(self._result, "used_count_fields", ()):
            return self._used_count(name, value)
        if self._rule is not None and name in self._rule.counts and self._rule.is_small(value):
            return _withheld(True, self._rule.min_cell)
        if hasattr(value, "headlines") and hasattr(value, "to_dict") and hasattr(value, "rows"):
            return ReportView(value, self._min_cell)  # a nested result (e.g. a plan's gap)
        return value

    def _used_count(self, name: str, value: Any) -> Any:
        """A count of people of the result's ``used_count_fields`` (Oaxaca's two group
        sizes), which add up to the row account's ``used``: below ``min_cell`` it is withheld
        ("< 5") with another by rule 3 ("s"), and when the row account withholds ``used`` (an
        exclusion is small) the smallest is withheld too, or the total less their sum would
        give the small exclusion back."""
        assert self._rule is not None
        fields = {f: getattr(self._result, f) for f in self._result.used_count_fields}
        small, hidden = complement(fields, self._rule.min_cell)
        rows = self.rows
        if not small and rows is not None and isinstance(rows.used, Withheld):
            hidden = {min(reversed(fields), key=lambda f: fields[f])}  # equal: the last
        if name in small | hidden:
            return _withheld(name in small, self._rule.min_cell)
        return value

    def _method(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return self._wrap(method(*args, **kwargs), method.__name__)

        return call

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with ``min_cell`` applied (cached, so every partial sees the same copy)."""
        if self._rule is None:
            return frame
        self._scan_tables()
        key = id(frame)
        cached = self._cache.get(key)
        if cached is None or cached[0] is not frame:
            counted = any(c in self._rule.counts for c in frame.columns)
            forced = self._forced.get(key) if counted else None
            subset = _rows_in(frame, self._planned) if counted and forced is None else None
            if subset is not None:
                # a subset of a planned table's rows: its totals are shown nowhere, so rule 3
                # has nothing to protect in it; it shows exactly what that table shows
                done = self.frame(subset[0]).iloc[subset[1]].set_axis(frame.index)
                self._cache[key] = (frame, done)
                self._withheld_in[key] = self._withheld_in.get(id(subset[0]), self._withheld)
                return done
            if counted and forced is None:
                # a table the scan did not see (a method's): plan it with the others
                forced = plan_frames([*self._planned, frame], self._rule, outside=self._outside,
                                     sums=self._sums)[-1]
            done, withheld = suppress_frame(frame, self._rule, None if counted else self._keys,
                                            forced=forced, small_keys=self._small_keys)
            done = self._withhold_tallies(frame, done)
            if not curve_steps(frame):  # sentences quote a group's own figures
                self._withheld.update(withheld)
                self._withheld_small.update(_small_row_figures(frame, done, self._rule))
            self._withheld_in[key] = set(withheld)
            if counted and done is not frame:
                self._remember(done)
            cached = (frame, done)
            self._cache[key] = cached
        return cached[1]

    def held_tally_keys(self, column: str) -> set[str]:
        """Keys (e.g. groups) whose rows counted by the tally ``column`` include one whose
        flag the report withholds (see :attr:`fairhire.Result.tally_columns`)."""
        source, flag, key = type(self._result).tally_columns[column]
        shown = self.frame(getattr(self._result, source))
        if flag not in shown.columns or key not in shown.columns:
            return set()
        return {str(k) for k, f in zip(shown[key].tolist(), shown[flag].tolist(), strict=True)
                if isinstance(f, Withheld)}

    def _withhold_tallies(self, frame: pd.DataFrame, done: pd.DataFrame) -> pd.DataFrame:
        tallies = getattr(type(self._result), "tally_columns", {})
        for column in (c for c in tallies if c in frame.columns):
            if frame is getattr(self._result, tallies[column][0], None):
                continue  # the counted table itself
            held = self.held_tally_keys(column)
            key = tallies[column][2]
            rows = [i for i, k in enumerate(frame[key].astype(str).tolist()) if k in held]
            if rows:
                done = done.copy() if done is frame else done
                values = done[column].astype(object).tolist()
                for i in rows:
                    values[i] = _withheld(False, self._rule.min_cell)
                done[column] = pd.Series(values, index=done.index, dtype=object)
        return done

    def withheld_cells(self, frame: pd.DataFrame) -> dict[str, set[int]]:
        """The count cells the report withholds in ``frame``, a copy of one of the result's
        tables (e.g. rebuilt from ``to_dict()`` for the JSON output), so every format withholds
        the same figures; a table the result does not hold is planned with the others."""
        if self._rule is None:
            return {}
        self._scan_tables()
        counts = [c for c in frame.columns if c in self._rule.counts]
        for source in self._planned:
            if len(source) == len(frame) and set(counts) <= set(source.columns) and all(
                    source[c].tolist() == frame[c].tolist() for c in counts):
                done = self.frame(source)
                return {c: {i for i, v in enumerate(done[c].tolist()) if isinstance(v, Withheld)}
                        for c in counts}
        return plan_frames([*self._planned, frame], self._rule, outside=self._outside,
                           sums=self._sums)[-1]

    def shown_names(self) -> tuple[set[tuple[str, float]], set[tuple[str, float]]]:
        """(row name, count) of every count this view withholds, and of every one it shows,
        for the report's other sections."""
        if self._rule is None:
            return set(), set()
        self._scan_tables()
        own = [f for f in self._planned if not curve_steps(f)]
        return shown_names(own, [self.frame(f) for f in own], self._rule)

    def withheld_rows(self) -> list[tuple[tuple[str, ...], set]]:
        """The rows with a withheld figure in the result's counted tables, as (label columns,
        label values): a table without counts withholds the figures of the same rows."""
        self._scan_tables()
        return list(self._keys)

    def small_rows(self) -> list[tuple[tuple[str, ...], set]]:
        """Those of :meth:`withheld_rows` with a small count of their own (named by their
        group), not only counts withheld to protect another's."""
        self._scan_tables()
        return list(self._small_keys)

    def _remember(self, done: pd.DataFrame) -> None:
        """Keep the labels of rows with a withheld figure, for tables without counts."""
        columns = tuple(_labels(done))
        # every row with a withheld figure: a complement ("s") can be worked back from the
        # row's statistics in another table (an odds ratio's interval gives its counts)
        cells = [done[c].tolist() for c in done.columns]  # lists: no pandas lookup per cell
        rows = [i for i in range(len(done)) if any(isinstance(v[i], Withheld) for v in cells)]
        if columns and rows:
            values = [done[c].astype(str).tolist() for c in columns]
            self._keys.append((columns, {tuple(v[i] for v in values) for i in rows}))
            # a group is small by its own rows, not by its curve's steps
            small = [] if curve_steps(done) else [
                i for i in rows if any(getattr(v[i], "small", False) is True for v in cells)]
            # a small row is named by its group ("Tiny"), not by its stage or reference group
            names = [c for c in columns if c in _GROUP_NAME_COLUMNS]
            self._small_keys.append((tuple(names), {
                tuple(str(done[c].iloc[i]) for c in names) for i in small}))

    def _tables(self) -> list[pd.DataFrame]:
        """The result's tables: its frame fields and properties (and those in mappings),
        private fields left out."""
        out = []
        for name in dir(type(self._result)) + list(getattr(self._result, "__dict__", {})):
            if name.startswith("_") or name in self._result.private_fields or name in getattr(
                    self._result, "method_fields", ()):
                continue
            try:
                value = getattr(self._result, name)
            except Exception:
                continue
            found = value.values() if isinstance(value, Mapping) else [value]
            out.extend(v for v in found if isinstance(v, pd.DataFrame))
        return out

    def _scan_tables(self) -> None:
        """Suppress every table of the result once (tables with counts first), so tables
        without counts and sentences can be checked against them."""
        if self._rule is None or "\0scanned" in self._cache:
            return
        self._cache["\0scanned"] = True
        frames = {id(f): f for f in self._tables()}
        counted: list[pd.DataFrame] = []
        # largest first: a table whose rows are all rows of another (the flagged rows, the
        # bottom line) withholds what that one withholds (see frame())
        for f in sorted(frames.values(), key=len, reverse=True):
            if any(c in self._rule.counts for c in f.columns) and _rows_in(f, counted) is None:
                counted.append(f)
        self._planned = counted
        self._sums = _declared_sums(self._result, counted)
        self._forced = dict(zip((id(f) for f in counted),
                                plan_frames(counted, self._rule, outside=self._outside,
                                            sums=self._sums), strict=True))
        for value in counted + [f for f in frames.values() if id(f) not in self._forced]:
            self.frame(value)

    @property
    def rows(self) -> RowsView | None:
        people = getattr(type(self._result), "rows_count_people", True)
        return suppress_rows(self._result.rows, self._min_cell if people else None)
