"""The executive summary: every section's headlines, grouped by area and deduplicated.

An auditor should read it in two minutes, so:

- findings are grouped by the area of the audit they belong to (``area`` in the partial's
  methods TOML: "Hiring and selection", "Pay"...); areas with the most severe findings come
  first (then in the order the report meets them), and within an area findings go by severity
  (flagged, to review, information), then section order;
- a sentence that several sections state word for word (three job ads without an
  equal-opportunity statement) is printed once, with a link to each section;
- findings of one section that say the same thing about different groups, stages or raters
  (only one phrase and the figures differ) are summarised under the first: "Similar: Black or
  African American: 0.73, White: 0.75", each linked to its section.

Nothing is lost: the JSON summary keeps every sentence (the lead's fields, plus ``sections``
and ``similar``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from .._results import jsonable

__all__ = ["SEVERITY_LABELS", "Area", "SummaryItem", "group_findings", "similar_label"]

SEVERITY_LABELS = {3: "Flagged", 2: "Review", 1: "Information"}

#: The longest phrase (in words) that may differ between two findings summarised together.
MAX_PHRASE = 8
#: The share of their words (numbers aside) two findings summarised together have in common.
MIN_SHARED = 0.75

_NUMBER = re.compile(r"^([(\[“'\"]*)([−+-]?\d[\d,]*(?:\.\d+)?%?)([)\],;:.”'\"]*)$")
_EDGE = " ,;:.()–—"


@dataclass(frozen=True)
class SummaryItem:
    """One sentence of the summary, where it comes from, and what it stands for."""

    severity: int
    label: str
    text: str
    figure: float | None
    subject: str | None
    anchor: str
    section_title: str
    area: str = ""
    #: (anchor, title) of every section that states this sentence (the first is ``anchor``)
    places: tuple[tuple[str, str], ...] = ()
    #: findings of the same kind summarised under this one, each with its short label
    similar: tuple[tuple[str, SummaryItem], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "label": self.label,
            "text": self.text,
            "figure": jsonable(self.figure),
            "subject": self.subject,
            "section": self.anchor,
            "section_title": self.section_title,
            "area": self.area,
            "sections": [{"section": a, "section_title": t} for a, t in self.places],
            "similar": [
                {"label": short, "text": item.text, "figure": jsonable(item.figure),
                 "subject": item.subject, "section": item.anchor,
                 "section_title": item.section_title}
                for short, item in self.similar
            ],
        }


@dataclass(frozen=True)
class Area:
    """The findings of one area of the audit, most severe first."""

    title: str
    items: tuple[SummaryItem, ...]
    sections: tuple[str, ...] = field(default_factory=tuple)

    def count(self, severity: int) -> int:
        """How many findings of this severity the area holds (summarised ones included)."""
        return sum(1 + len(i.similar) for i in self.items if i.severity == severity)

    def of(self, severity: int) -> list[SummaryItem]:
        return [i for i in self.items if i.severity == severity]


def _tokens(text: str) -> list[str]:
    return text.split()


def _masked(tokens: Sequence[str]) -> list[str]:
    """Tokens compared case-blind, with every number the same: "0.73," and "0.66," match."""
    out = []
    for token in tokens:
        match = _NUMBER.match(token)
        out.append(f"{match.group(1)}#{match.group(3)}" if match else token.lower())
    return out


def similar_label(lead: str, other: str) -> tuple[tuple[int, int], str] | None:
    """Where ``other`` differs from ``lead``, if only one phrase and figures differ, and a short
    label for ``other``: that phrase and its first figure that differs.

    >>> lead = "At the offered stage, Asian applicants were selected at 0.66 times the rate"
    >>> similar_label(lead, lead.replace("Asian", "Black or African American")
    ...               .replace("0.66", "0.73"))
    ((4, 5), 'Black or African American: 0.73')
    >>> similar_label(lead, "Women were paid 4.6% less") is None
    True
    >>> similar_label("The job ad has 1 finding (jargon).", "The job ad has no EEO statement.")
    """
    a, b = _tokens(lead), _tokens(other)
    ma, mb = _masked(a), _masked(b)
    ops = [op for op in SequenceMatcher(None, ma, mb, autojunk=False).get_opcodes()
           if op[0] != "equal"]
    if len(ops) != 1:
        return None
    _, i1, i2, j1, j2 = ops[0]
    shared = len(a) - (i2 - i1)
    if j2 == j1 or max(i2 - i1, j2 - j1) > MAX_PHRASE or shared < MIN_SHARED * max(len(a), len(b)):
        return None
    phrase = _trim(" ".join(b[j1:j2]))
    if not phrase:
        return None
    figure = next((y.strip(_EDGE) for x, y in zip(a[:i1] + a[i2:], b[:j1] + b[j2:], strict=False)
                   if x != y and _NUMBER.match(y)), None)
    return (i1, i2), f"{phrase}: {figure}" if figure else phrase


def _trim(phrase: str) -> str:
    """``phrase`` without the punctuation around it, but a bracket it opens or closes stays:
    "White (Not Hispanic or Latino)," is "White (Not Hispanic or Latino)", "(Asian)" is "Asian".

    >>> _trim("White (Not Hispanic or Latino),"), _trim("(Asian)"), _trim("@SUM(A1))")
    ('White (Not Hispanic or Latino)', 'Asian', '@SUM(A1)')
    """
    edge = _EDGE.replace("(", "").replace(")", "")
    while True:
        trimmed = phrase.strip(edge)
        pairs = _pairs(trimmed)
        if trimmed.startswith("(") and pairs.get(0) in (None, len(trimmed) - 1):
            trimmed = trimmed[1:-1] if pairs.get(0) is not None else trimmed[1:]
        elif trimmed.endswith(")") and len(trimmed) - 1 not in pairs.values():
            trimmed = trimmed[:-1]
        if trimmed == phrase:
            return phrase
        phrase = trimmed


def _pairs(text: str) -> dict[int, int]:
    """Positions of matching brackets: {opening: closing}."""
    out, stack = {}, []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            out[stack.pop()] = i
    return out


def _summarise(items: list[SummaryItem]) -> list[SummaryItem]:
    """Fold findings of the same sections, severity and subject that differ in one phrase (at
    the same place in the sentence) into the first of them."""
    leads: list[tuple[SummaryItem, tuple[int, int] | None, list[tuple[str, SummaryItem]]]] = []
    for item in items:
        for k, (lead, where, folded) in enumerate(leads):
            if (lead.places, lead.severity, lead.subject) != (
                    item.places, item.severity, item.subject):
                continue
            found = similar_label(lead.text, item.text)
            if found is None or (where is not None and found[0] != where):
                continue
            folded.append((found[1], item))
            leads[k] = (lead, found[0], folded)
            break
        else:
            leads.append((item, None, []))
    return [lead if not folded else _with(lead, similar=tuple(folded))
            for lead, _, folded in leads]


def _with(item: SummaryItem, **changes: Any) -> SummaryItem:
    values = {**item.__dict__, **changes}
    return SummaryItem(**values)


def _deduplicate(items: list[SummaryItem]) -> list[SummaryItem]:
    """One item per sentence: the sections that repeat it word for word become its places."""
    first: dict[tuple[int, str], int] = {}
    out: list[SummaryItem] = []
    for item in items:
        key = (item.severity, " ".join(item.text.split()))
        if key in first:
            lead = out[first[key]]
            if all(a != item.anchor for a, _ in lead.places):
                out[first[key]] = _with(lead, places=(*lead.places,
                                                      (item.anchor, item.section_title)))
            continue
        first[key] = len(out)
        out.append(_with(item, places=((item.anchor, item.section_title),)))
    return out


def group_findings(items: Iterable[SummaryItem]) -> list[Area]:
    """The summary by area: deduplicated, similar findings summarised, most severe first.

    ``items`` come in section order, each section's headlines in the order the analysis gave
    them; each item's ``area`` names its group (its section title when empty).
    """
    by_area: dict[str, list[SummaryItem]] = {}
    for item in items:
        by_area.setdefault(item.area or item.section_title, []).append(item)
    areas = []
    for title, found in by_area.items():
        ordered = sorted(found, key=lambda i: -i.severity)  # stable: section order kept
        merged = _summarise(_deduplicate(ordered))
        sections = tuple(dict.fromkeys(i.section_title for i in found))
        areas.append(Area(title=title, items=tuple(merged), sections=sections))
    return sorted(areas, key=lambda a: -max((i.severity for i in a.items), default=0))
