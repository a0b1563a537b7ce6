"""Small-count suppression (``min_cell``), applied once, where a result enters the report.

Partials, charts, the executive summary, the data-and-exclusions account and the JSON output
never see a result itself: they see a :class:`ReportView`, whose tables, counts, sentences,
warnings and row account already have ``min_cell`` applied. No template can forget it.

The rules, for every table of a result (a count column is one the result lists in its
``count_columns`` class variable):

1. *Primary*: a count below ``min_cell`` is withheld and prints as "< 5".
2. *Row*: in a row with a withheld count, every other figure derived from the row's counts
   (rates, ratios, intervals, p-values, test statistics, gaps: every decimal column and every
   column in the result's ``derived_columns``) is withheld ("s"), and so is every
   other count of the row but the largest, so no difference of two counts gives it away.
3. *Complementary*: within a block of rows (the rows sharing the table's first label, e.g. a
   stage, or the whole table), no count column may have exactly one withheld cell, or the total
   shown elsewhere would give it back: the smallest other count is withheld with it ("s").
   Rules 2 and 3 repeat until nothing changes.

The row account (used + excluded = total) follows rule 3; a sentence (headline or warning)
that states a withheld figure, or a count below ``min_cell``, has it replaced ("fewer than 5"),
and its other counts rounded ("about 140"), so a difference of two cannot give it back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core import text as core
from .._results import Headline

__all__ = ["SUPPRESSED_DERIVED", "ReportView", "Rule", "Withheld", "suppress_frame",
           "suppress_records"]

#: Printed for a figure withheld because it would reveal a suppressed count.
SUPPRESSED_DERIVED = "s"


class Withheld(float):
    """A figure withheld from the report; holds no value (it is NaN as a number).

    ``small=True``: a count below ``min_cell`` ("< 5"); otherwise a figure that would reveal
    one ("s"). Comparisons are False and arithmetic gives NaN, so templates that test a
    withheld value skip it rather than fail.
    """

    small: bool
    min_cell: int

    def __new__(cls, *, small: bool, min_cell: int) -> Withheld:
        obj = super().__new__(cls, math.nan)
        obj.small = small
        obj.min_cell = min_cell
        return obj

    def __str__(self) -> str:
        return f"< {self.min_cell}" if self.small else SUPPRESSED_DERIVED

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)

    def __html__(self) -> str:
        return str(self).replace("<", "&lt;")

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> Any:
        return (_withheld, (self.small, self.min_cell))


def _withheld(small: bool, min_cell: int) -> Withheld:
    return Withheld(small=small, min_cell=min_cell)


@dataclass(frozen=True)
class Rule:
    """Which columns count people (and which are derived from them), and the threshold."""

    min_cell: int
    counts: frozenset[str]
    derived: frozenset[str] = frozenset()

    @classmethod
    def for_result(cls, result: Any, min_cell: int) -> Rule:
        """The rule for a result: its ``count_columns`` and ``derived_columns``."""
        names: dict[str, set[str]] = {"count": set(), "derived": set()}
        for kind in names:
            names[kind].update(str(c) for c in getattr(type(result), f"{kind}_columns", ()))
        return cls(min_cell, frozenset(names["count"]), frozenset(names["derived"]))

    def is_small(self, value: Any) -> bool:
        if value is None or isinstance(value, bool | np.bool_ | str | Withheld):
            return False
        try:
            f = float(value)
        except (TypeError, ValueError):
            return False
        return math.isfinite(f) and f < self.min_cell


def _numeric(value: Any) -> bool:
    if value is None or isinstance(value, bool | np.bool_ | str):
        return False
    if isinstance(value, Withheld):
        return True
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _blocks(frame: pd.DataFrame, counts: list[str]) -> list[np.ndarray]:
    """Row positions of each block: rows sharing the first label column, if it repeats."""
    for column in frame.columns:
        if column in counts or pd.api.types.is_numeric_dtype(frame[column]):
            continue
        keys = frame[column].astype(str)
        if keys.duplicated().any():
            return [np.asarray(idx) for idx in frame.groupby(keys, sort=False).indices.values()]
        break
    return [np.arange(len(frame))]


def _plan(frame: pd.DataFrame, rule: Rule) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Positions of withheld cells: (small counts, other withheld cells), by column."""
    counts = [c for c in frame.columns if c in rule.counts]
    values = {c: frame[c].tolist() for c in counts}
    small = {c: {i for i, v in enumerate(values[c]) if rule.is_small(v)} for c in counts}
    hidden: dict[str, set[int]] = {c: set() for c in counts}
    blocks = _blocks(frame, counts)
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
                    hidden[c].add(min(others, key=lambda i: float(values[c][i])))
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
    share every label column the two tables have in common."""
    labels = set(_labels(frame))
    found: set[int] = set()
    for columns, tuples in keys:
        shared = [c for c in columns if c in labels]
        if not shared:
            continue
        wanted = {tuple(t[columns.index(c)] for c in shared) for t in tuples}
        values = zip(*(frame[c].astype(str).tolist() for c in shared), strict=True)
        found |= {i for i, v in enumerate(values) if v in wanted}
    return sorted(found)


def suppress_frame(
    frame: pd.DataFrame, rule: Rule, keys: list[tuple[tuple[str, ...], set]] | None = None
) -> tuple[pd.DataFrame, list[float]]:
    """``frame`` with ``rule`` applied (a copy, or the frame itself when nothing is withheld),
    and the values withheld (so sentences quoting them can be found).

    ``keys`` (label columns, label values) name the withheld rows of the result's other tables:
    in a table without counts, the figures of rows with the same labels are withheld too.
    """
    small, hidden = _plan(frame, rule)
    rows = sorted({i for c in small for i in small[c] | hidden[c]})
    if not small and keys:
        rows = _matching_rows(frame, keys)
    if not rows:
        return frame, []
    out = frame.copy()
    withheld: list[float] = []
    changes: dict[str, dict[int, Withheld]] = {}
    for c in small:
        for i in small[c] | hidden[c]:
            changes.setdefault(c, {})[i] = _withheld(i in small[c], rule.min_cell)
    for column in frame.columns:
        if column in rule.counts:
            continue
        # whole-number columns that are not counts are labels (a panel size, a rating)
        derived = column in rule.derived or pd.api.types.is_float_dtype(frame[column])
        if derived:
            for i in rows:
                value = frame[column].iloc[i]
                # a text column the result names as derived (a sentence quoting the row's
                # figures) is withheld with them
                if _numeric(value) or (column in rule.derived and isinstance(value, str)):
                    changes.setdefault(column, {})[i] = _withheld(False, rule.min_cell)
    for column, cells in changes.items():
        series = out[column].astype(object)
        for i, marker in cells.items():
            if _numeric(frame[column].iloc[i]):
                withheld.append(float(frame[column].iloc[i]))
            series.iloc[i] = marker
        out[column] = series
    return out, withheld


def suppress_records(records: list[dict[str, Any]], rule: Rule) -> list[dict[str, Any]]:
    """The JSON form: withheld values become null, and each row lists what it withheld."""
    frame = pd.DataFrame.from_records(records)
    done, _ = suppress_frame(frame, rule)
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


# -- sentences ---------------------------------------------------------------------------------
_INTEGER = re.compile(r"(?<![\w.,/−-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%]|[.,]\d)")
_NUMBER = re.compile(r"(?<![\w.])[−-]?\d[\d,]*(?:\.\d+)?%?")


def _figure_texts(values: Iterable[float]) -> set[str]:
    """How a withheld value may be written in a sentence (count, share, ratio, number)."""
    out: set[str] = set()
    for v in values:
        if not math.isfinite(v):
            continue
        candidates = {core.format_count(v), core.format_ratio(v), core.format_ratio(v, None, 3),
                      core.format_percent(v), core.format_percent(v, 0), core.format_number(v, 1),
                      core.format_number(v, 2), core.format_number(abs(v), 1) + "%",
                      core.format_percent(abs(v))}
        if float(v).is_integer() and abs(v) < 10:
            candidates.discard(core.format_count(v))  # "1" is too common to match on
        out |= {c.replace(core.MINUS, "-") for c in candidates}
    return out


_CODE = re.compile(r"`([^`]*)`")
_SETTING = re.compile(r"\b([a-z]+(?:_[a-z]+)*)=([^\s,;)]+)")


def plain_words(text: str) -> str:
    """A sentence for a reader who never ran Python: code quotes become quotation marks and
    ``name=value`` becomes "the name setting, value".

    >>> plain_words("3 rows counted in `unknown` (min_share=0.02)")
    '3 rows counted in “unknown” (the min share setting, 0.02)'
    """
    text = _CODE.sub(lambda m: f"“{m.group(1)}”", text)
    return _SETTING.sub(lambda m: f"the {m.group(1).replace('_', ' ')} setting, {m.group(2)}",
                        text)


def _about(n: int) -> str:
    return f"about {core.format_count(round(n, -1) if n >= 100 else round(n / 5) * 5)}"


def clean_sentence(text: str, min_cell: int, withheld: set[str]) -> tuple[str, bool]:
    """``text`` with its small counts replaced; (text, True) when it quoted a withheld figure
    (the caller then withholds the whole sentence)."""
    plain = text.replace(core.MINUS, "-")
    for token in _NUMBER.findall(plain):
        if token.lstrip("-") in withheld or token in withheld:
            return text, True
    counts = [(m, int(m.group(1).replace(",", ""))) for m in _INTEGER.finditer(text)]
    if not any(n < min_cell for _, n in counts):
        return text, False
    parts, last = [], 0
    for match, n in counts:
        parts.append(text[last:match.start()])
        parts.append(f"fewer than {min_cell}" if n < min_cell else _about(n))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), False


# -- the result as the report sees it ----------------------------------------------------------
@dataclass(frozen=True)
class RowsView:
    """A row account with ``min_cell`` applied (values may be :class:`Withheld`)."""

    total: Any
    used: Any
    excluded: Mapping[str, Any] = field(default_factory=dict)

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
    small = {k for k, v in cells.items() if v < min_cell}
    hidden: set[str] = set()
    if small:
        others = sorted((v, k) for k, v in cells.items() if k not in small)
        if len(small) == 1 or sum(cells[k] for k in small) < min_cell:
            if others:
                hidden.add(others[0][1])
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


class ReportView:
    """A result as a report sees it: tables, counts and sentences with ``min_cell`` applied.

    Attribute access goes to the result; tables (pandas frames, also those returned by
    methods) come back suppressed; ``headlines()``, ``warnings`` and ``rows`` come back with
    their small counts replaced; fields the result lists in ``private_fields`` are not
    reachable, unless ``include_private`` (``Report.add(..., include_disclosure=True)``). With
    ``min_cell=None`` only the privacy rule applies.
    """

    def __init__(self, result: Any, min_cell: int | None, include_private: bool = False) -> None:
        self._result = result
        self._min_cell = min_cell
        self._include_private = include_private
        self._rule = None if min_cell is None else Rule.for_result(result, min_cell)
        self._cache: dict[Any, Any] = {}
        self._withheld: set[float] = set()
        self._keys: list[tuple[tuple[str, ...], set]] = []

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
        if name not in self._cache:
            self._cache[name] = self._wrap(getattr(self._result, name), name)
        return self._cache[name]

    def _wrap(self, value: Any, name: str) -> Any:
        if isinstance(value, pd.DataFrame):
            return self.frame(value)
        if isinstance(value, Mapping) and any(isinstance(v, pd.DataFrame) for v in value.values()):
            return {k: self._wrap(v, name) for k, v in value.items()}
        if callable(value) and hasattr(value, "__self__") and not isinstance(value, type):
            return self._method(value)
        if self._rule is not None and name in self._rule.counts and self._rule.is_small(value):
            return _withheld(True, self._rule.min_cell)
        if hasattr(value, "headlines") and hasattr(value, "to_dict") and hasattr(value, "rows"):
            return ReportView(value, self._min_cell)  # a nested result (e.g. a plan's gap)
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
            done, withheld = suppress_frame(frame, self._rule, None if counted else self._keys)
            self._withheld.update(withheld)
            if counted and done is not frame:
                self._remember(done)
            cached = (frame, done)
            self._cache[key] = cached
        return cached[1]

    def _remember(self, done: pd.DataFrame) -> None:
        """Keep the labels of rows with a withheld count, for tables without counts."""
        columns = tuple(_labels(done))
        counts = [c for c in done.columns if c in self._rule.counts]  # type: ignore[union-attr]
        rows = [i for i in range(len(done))
                if any(isinstance(done[c].iloc[i], Withheld) and done[c].iloc[i].small
                       for c in counts)]
        if columns and rows:
            values = [done[c].astype(str).tolist() for c in columns]
            self._keys.append((columns, {tuple(v[i] for v in values) for i in rows}))

    def _scan_tables(self) -> None:
        """Suppress every table of the result once (tables with counts first), so tables
        without counts and sentences can be checked against them."""
        if self._rule is None or "\0scanned" in self._cache:
            return
        self._cache["\0scanned"] = True
        frames = []
        for name in dir(type(self._result)) + list(getattr(self._result, "__dict__", {})):
            if name.startswith("_") or name in self._result.private_fields:
                continue
            try:
                value = getattr(self._result, name)
            except Exception:
                continue
            if isinstance(value, pd.DataFrame):
                frames.append(value)
        frames.sort(key=lambda f: not any(c in self._rule.counts for c in f.columns))  # type: ignore[union-attr]
        for value in frames:
            self.frame(value)

    def _sentence(self, text: str) -> tuple[str, bool]:
        text = plain_words(text)
        if self._rule is None:
            return text, False
        self._scan_tables()
        return clean_sentence(text, self._rule.min_cell, _figure_texts(self._withheld))

    def headlines(self) -> list[Headline]:
        """The result's headlines with ``min_cell`` applied to their text and figure."""
        out = []
        for h in self._result.headlines():
            text, quoted = self._sentence(str(h.text))
            if quoted:
                text = (
                    f"{h.section + ': a' if h.section else 'A'} finding is withheld because it "
                    f"rests on fewer than {self._min_cell} people; see the section's tables."
                )
            figure = None if (quoted or text != h.text) else h.figure
            out.append(Headline(severity=h.severity, text=text, figure=figure, section=h.section))
        return out

    @property
    def warnings(self) -> tuple[str, ...]:
        out = []
        for w in self._result.warnings:
            text, quoted = self._sentence(str(w))
            out.append(
                f"A note is withheld because it rests on fewer than {self._min_cell} people."
                if quoted else text
            )
        return tuple(out)

    @property
    def rows(self) -> RowsView | None:
        return suppress_rows(self._result.rows, self._min_cell)
