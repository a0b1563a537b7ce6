"""What a result's sentences may say under ``min_cell``: the sentence rules of
:class:`~fairhire.report.view.ReportView`.

A headline, warning or note quotes a result's figures. Where it quotes one the report's tables
withhold, it is withheld whole, with the reason of the rows it quotes (a small group's own
figures, or figures withheld so that a small count cannot be worked out from the totals);
its small counts are replaced ("fewer than 5") and the others rounded; an exclusion the data
section shows is said as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .._results import Headline
from .linked import GROUP_NAME_COLUMNS as _GROUP_NAME_COLUMNS
from .sentences import LABEL_COLUMNS, clean_sentence, figure_texts, plain_words
from .suppress import Rule, Withheld, _numeric

__all__ = ["SentenceRules"]


#: labels of a row that name everyone, not a subgroup (a sentence about it need not say them)
_WHOLE = frozenset({"all", "all units", "overall", "total", "bottom line"})


def _small_row_figures(frame: pd.DataFrame, done: pd.DataFrame, rule: Rule
                       ) -> set[tuple[str, float, tuple[str, ...]]]:
    """The figures ``done`` withholds in rows with a small count of their own: their kind
    (as :func:`~fairhire.report.suppress.suppress_frame` lists every withheld figure), value,
    and the row's names (its group, unit, category ... less those that name everyone)."""
    from .sentences import figure_kind

    if done is frame:
        return set()
    cells = {c: done[c].tolist() for c in done.columns if done[c].dtype == object}
    names = [c for c in frame.columns if c in _GROUP_NAME_COLUMNS]
    out: set[tuple[str, float, tuple[str, ...]]] = set()
    for i in range(len(done)):
        if not any(getattr(v[i], "small", False) is True for v in cells.values()):
            continue
        labels = tuple(str(frame[c].iloc[i]) for c in names
                       if str(frame[c].iloc[i]).strip().lower() not in _WHOLE)
        for c, values in cells.items():
            raw = frame[c].iloc[i]
            if isinstance(values[i], Withheld) and _numeric(raw):
                out.add((figure_kind(c, rule), float(raw), labels))
    return out


def _mask(k: int) -> str:
    """Stands for a count a sentence may state while the sentence is checked (see
    ``ReportView._shown_exclusions``): private-use characters and letters, no digit that
    could read as a figure."""
    return "\ue000" + "abcdefghijklmnopqrstuvwxyz"[k % 26] * (k // 26 + 1) + "\ue001"


#: A sentence that says every member of a group had the same outcome, or that a group had no
#: one at some point ("had no applicants at stage 'hired'": the value of a cell shown as "< 5")
_ALL_OR_NONE = re.compile(
    r"\b(?:no one|everyone|nobody|the same outcome"
    r"|(?:had|has) no (?:applicants|employees|people|candidates|individuals))\b",
    re.I,
)


class SentenceRules:
    """The sentence methods of :class:`~fairhire.report.view.ReportView` (which holds the
    result, its rule and the figures its tables withhold)."""

    _result: Any
    _rule: Rule | None
    _min_cell: int | None
    _cache: dict[Any, Any]
    _withheld: set[tuple[str, float]]
    _withheld_small: set[tuple[str, float, tuple[str, ...]]]
    _withheld_in: dict[int, set[tuple[str, float]]]
    _keys: list[tuple[tuple[str, ...], set]]
    _small_keys: list[tuple[tuple[str, ...], set]]
    rows: Any

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:  # pragma: no cover - ReportView's
        raise NotImplementedError

    def _scan_tables(self) -> None:  # pragma: no cover - ReportView's
        raise NotImplementedError

    def _tables(self) -> list[pd.DataFrame]:  # pragma: no cover - ReportView's
        raise NotImplementedError

    def _labels(self) -> set[str]:
        """The result's labels from the data that a sentence must print as they are: those
        that read as a setting or a column name, or hold a digit (see LABEL_COLUMNS)."""
        if "\0labels" not in self._cache:
            found: set[str] = set()
            for frame in self._tables():
                for column in LABEL_COLUMNS.intersection(map(str, frame.columns)):
                    found.update(v for v in frame[column].tolist() if isinstance(v, str))
            # a label without a letter ("3") reads like a count: it is never kept, so a small
            # count in a sentence cannot hide behind a group of the same name
            self._cache["\0labels"] = {
                v for v in found if any(c.isalpha() for c in v)
                and (plain_words(v) != v or any(c.isdigit() for c in v))}
        return self._cache["\0labels"]

    def _sentence(self, text: str, plain: bool = True, section: str | None = None,
                  round_all: bool = False) -> tuple[str, bool]:
        if plain:
            text = plain_words(text, keep=self._labels())
        if self._rule is None:
            return text, False
        self._scan_tables()
        if _ALL_OR_NONE.search(text) and self._names_withheld_row(text):
            return text, True  # "no one (or everyone) in X left": X's outcome, without a count
        withheld = self._section_withheld(section) | self._rows_withheld()
        return clean_sentence(text, self._rule.min_cell,
                              figure_texts(withheld, self._rule.min_cell),
                              keep=self._labels(), round_all=round_all and bool(self._withheld))

    def _section_withheld(self, section: str | None) -> set[tuple[str, float]]:
        """The withheld figures a sentence must not quote: those of the result's table named
        ``section`` when the result names its tables (LL144's ``tables``: a headline about the
        sex table states only that table's figures, so a race table's withheld 0.92 does not
        withhold it), else those of every table."""
        tables = getattr(self._result, "tables", None)
        if section is None or not isinstance(tables, Mapping) or section not in tables:
            return self._withheld
        frame = tables[section]
        if not isinstance(frame, pd.DataFrame):
            return self._withheld
        self.frame(frame)
        return self._withheld_in.get(id(frame), self._withheld)

    def _names_withheld_row(self, text: str, keys: list | None = None) -> bool:
        """Whether ``text`` names a label of a row with withheld figures (of ``keys``)."""
        labels = {str(v) for _, rows in (self._keys if keys is None else keys)
                  for row in rows for v in row}
        return any(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
                   for label in labels if label.strip())

    def _why_withheld(self, text: str) -> str:
        """Why a sentence is withheld, in words: a small group's own figures, or the figures
        of a larger group withheld so that a small group's count cannot be worked out from the
        totals. A sentence that quotes figures is judged by the rows whose figures it quotes
        (a finding about 1,441 women whose counts are complements does not rest on fewer than
        5 people); one that quotes none ("no one in X left") by the rows it names."""
        small = f"it rests on fewer than {self._min_cell} people"
        complement = ("its figures would let a count of fewer than "
                      f"{self._min_cell} people be worked out from the totals")
        if self._rule is not None:
            plain = plain_words(text, keep=self._labels())
            # a small row's figure only where the sentence names the row: among hundreds of
            # withheld figures, "17" or "7.0%" is some small row's by chance
            named = {(kind, value) for kind, value, labels in self._withheld_small
                     if labels and all(re.search(rf"(?<!\w){re.escape(lab)}(?!\w)", plain, re.I)
                                       for lab in labels)}
            if self._quotes(plain, named):
                return small
            if self._quotes(plain, self._withheld | self._rows_withheld()):
                return complement
        if self._names_withheld_row(text) and not self._names_withheld_row(
                text, self._small_keys):
            return complement
        return small

    def _quotes(self, text: str, figures: set[tuple[str, float]]) -> bool:
        """Whether ``text`` quotes one of ``figures``."""
        assert self._rule is not None
        return bool(figures) and clean_sentence(
            text, self._rule.min_cell, figure_texts(figures, self._rule.min_cell),
            keep=self._labels())[1]

    def _rows_withheld(self) -> set[tuple[str, float]]:
        """The row account's figures withheld as complements ("s"): a warning that states one
        ("50 rows excluded, missing outcome") would give the small exclusion back."""
        raw, shown = self._result.rows, self.rows
        if raw is None or shown is None:
            return set()
        pairs = [(raw.total, shown.total), (raw.used, shown.used),
                 *((raw.excluded[k], shown.excluded.get(k)) for k in raw.excluded)]
        return {("count", float(v)) for v, s in pairs if isinstance(s, Withheld) and v is not None}

    def headlines(self, *, plain: bool = True) -> list[Headline]:
        """The result's headlines with ``min_cell`` applied to their text and figure
        (``plain``: as :meth:`sentence`)."""
        out = []
        for h in self._result.headlines():
            text, quoted = self._sentence(str(h.text), plain, h.section)
            if quoted:
                text = (
                    f"{h.section + ': a' if h.section else 'A'} finding is withheld because "
                    f"{self._why_withheld(str(h.text))}; see the section's tables."
                )
            figure = None if (quoted or text != h.text) else h.figure
            # a withheld finding's severity ("Flagged") would say what its figures say
            severity = 1 if quoted else h.severity
            out.append(Headline(severity=severity, text=text, figure=figure, section=h.section))
        return out

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.clean_text(str(w)) for w in self._result.warnings)

    def _shown_exclusions(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` states an exclusion whose count the report's data section shows
        ("12 rows excluded: missing outcome", "rows excluded: 21 missing group (sex)"): the
        spans of those counts. Such a count says no more than that section, whatever other
        figure of the result it happens to equal."""
        raw, shown = self._result.rows, self.rows
        if raw is None or shown is None:
            return []
        spans = []
        for reason, count in raw.excluded.items():
            if isinstance(shown.excluded.get(reason), Withheld) or not count:
                continue
            said = re.compile(rf"(?<![\d.,]){count:,}(?![\d.,]\d)(?= (?:(?:rows|employees|"
                              rf"applicants|people) (?:were )?excluded[:,]? \(?)?"
                              rf"{re.escape(reason)}(?!\w))")
            spans += [m.span() for m in said.finditer(text)]
        return spans

    def clean_text(self, text: str, *, plain: bool = True) -> str:
        """A sentence about the result (a warning, an alert) with ``min_cell`` applied: small
        counts replaced, or the whole sentence withheld when it quotes a withheld figure.
        ``plain``: also say settings and column names in words (as the report does)."""
        spans = self._shown_exclusions(text) if self._rule is not None else []
        counts = [text[a:b] for a, b in spans]
        for k, (a, b) in sorted(enumerate(spans), key=lambda x: -x[1][0]):
            text = f"{text[:a]}{_mask(k)}{text[b:]}"  # not a figure: not checked
        cleaned, quoted = self._sentence(text, plain)
        if quoted:
            return f"A note is withheld because {self._why_withheld(text)}."
        for k, count in enumerate(counts):
            cleaned = cleaned.replace(_mask(k), count)
        return cleaned

    def clean_data_note(self, text: str) -> str:
        """A note on how the data file was read ("311 blank cells read as no") with
        ``min_cell`` applied: as :meth:`clean_text`, and its counts rounded ("about 310") when
        the result withholds any figure. A count of the whole file, less the counts the tables
        show, would give a withheld one back (the promoted among employees of unknown group:
        the file's rows, less the blanks read as no, less each group's promoted)."""
        cleaned, quoted = self._sentence(text, round_all=True)
        if quoted:
            return f"A note is withheld because {self._why_withheld(text)}."
        return cleaned
