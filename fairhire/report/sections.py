"""What the templates see of a report: its sections, the report's details, the render state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .._results import Headline, Result
from .registry import COUNTS_NO_PEOPLE
from .view import ReportView, RowsView

__all__ = ["Detail", "RenderState", "RenderedSection", "ReportInfo", "Section"]


@dataclass(frozen=True)
class ReportInfo:
    """What every template knows about the report (``report`` in a template)."""

    title: str
    organization: str | None
    period: str | None
    author: str | None
    generated_at: str
    min_cell: int | None
    format: str
    version: str
    #: The impact-ratio thresholds of the report's sections in words ("four-fifths", "90%"):
    #: the legend names the four-fifths rule only when every section used it.
    thresholds: tuple[str, ...] = ()
    #: Some section counts people (a comparison of groups); False when every section reads
    #: job ads, whose report explains coded words instead of ratios and p-values.
    people: bool = True

    @property
    def _others(self) -> list[str]:
        return [t for t in self.thresholds if t != "four-fifths"]

    @property
    def threshold_rule(self) -> str:
        """What the legend's "Flagged" is evidence under: "the four-fifths rule", "a 95%
        threshold", or each section's own when the sections used several."""
        if not self._others:
            return "the four-fifths rule"
        if len(self.thresholds) == 1:
            return f"a {self._others[0]} threshold"
        return "each section's impact-ratio threshold"

    @property
    def threshold_line(self) -> str:
        """The line the legend's "Review" example falls below: "four-fifths", "95%" or "the
        threshold"."""
        if not self._others:
            return "four-fifths"
        return self._others[0] if len(self.thresholds) == 1 else "the threshold"

    @property
    def threshold_note(self) -> str:
        """After "How to read"'s four-fifths rule: the thresholds this report used instead
        (empty when every section used four-fifths)."""
        if not self._others:
            return ""
        used = (f"a {self._others[0]} threshold" if len(self.thresholds) == 1
                else "these thresholds: " + ", ".join(self.thresholds))
        return f" This report's analyses used {used} instead, as set by whoever ran them."


@dataclass(frozen=True)
class Section:
    """One result in the report (``section`` in a partial)."""

    index: int
    anchor: str
    title: str
    notes: tuple[str, ...]
    kind: str
    partial: str
    type_name: str
    result: Result = field(repr=False)
    #: Render the result's private (row-level) fields too: ``Report.add(..., include_disclosure=True)``.
    include_disclosure: bool = False
    #: the report's ``min_cell`` when the section was made
    min_cell: int | None = None
    #: how the data file was read (a title skipped, "N/A" read as missing ...): listed first
    #: among the warnings, with ``min_cell`` applied like every sentence
    data_notes: tuple[str, ...] = ()

    @property
    def people_min_cell(self) -> int | None:
        """``min_cell`` for this section: none where the result counts words, not people
        (a job ad's "0 against 10 words" is no small group of people)."""
        return None if self.partial in COUNTS_NO_PEOPLE else self.min_cell

    @property
    def view(self) -> ReportView:
        """The result as the report shows it: ``min_cell`` and the privacy rule applied."""
        cached = self.__dict__.get("_view")
        if cached is None:
            cached = self.make_view()
            object.__setattr__(self, "_view", cached)
        return cached

    def make_view(self, outside: frozenset[tuple[str, float]] = frozenset()) -> ReportView:
        """A fresh view; ``outside``: the counts other sections withhold (:func:`link_views`)."""
        return ReportView(self.result, self.people_min_cell, self.include_disclosure, outside)

    @property
    def headlines(self) -> list[Headline]:
        return list(self.view.headlines())

    @property
    def warnings(self) -> tuple[str, ...]:
        view = self.view
        return (*(view.clean_data_note(n) for n in self.data_notes), *view.warnings)

    @property
    def rows(self) -> RowsView | None:
        return self.view.rows


def link_views(sections: Sequence[Section], rounds: int = 12) -> None:
    """``min_cell`` across the sections of one report: a count one section withholds is
    withheld wherever another section shows it for a row of the same name.

    Two analyses of one export (adverse impact by race, and the LL144 race table) show the
    same people's counts, each planned on its own: one withholds "Two or More Races: 7" so
    that "< 5" for a group of 3 cannot be worked back from its total, and the other printed
    the 7. A section that shows a count another withholds is planned again with it withheld,
    until no section changes (the withheld counts only grow, so this ends).
    """
    for section in sections:
        section.view  # noqa: B018  (made and kept: the first plan of each section)
    people = [s for s in sections if s.people_min_cell is not None]
    if len(people) < 2:
        return
    views = [s.view for s in people]
    outside: list[frozenset[tuple[str, float]]] = [frozenset()] * len(people)
    for _ in range(rounds):
        names = [v.shown_names() for v in views]
        changed = False
        for k, section in enumerate(people):
            held = set().union(*(names[j][0] for j in range(len(people)) if j != k))
            # only the counts this section shows matter: planning again costs a full plan
            wanted = outside[k] | (held & names[k][1])
            if wanted != outside[k]:
                outside[k] = frozenset(wanted)
                views[k] = section.make_view(outside[k])
                object.__setattr__(section, "_view", views[k])
                changed = True
        if not changed:
            return


@dataclass(frozen=True)
class RenderedSection:
    section: Section
    body: Markup
    data: Markup


@dataclass(frozen=True)
class Detail:
    """A table a partial sent to the appendix of detailed tables (``{% call detail(...) %}``)."""

    id: str
    number: str
    title: str
    section: Section
    body: Markup


@dataclass
class RenderState:
    figures: int = 0
    #: the section being rendered, and the detailed tables sent to the appendix so far
    section: Section | None = None
    details: list[Detail] = field(default_factory=list)
    #: text measurements shared by every chart of the render (see charts._base.text_metrics)
    metrics: Any = None
