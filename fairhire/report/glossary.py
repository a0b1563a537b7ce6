"""The report's glossary: ``glossary.toml``, the terms a reader who never ran Python meets.

Each ``[[term]]`` has a ``term`` and a plain-text ``text``; a term with ``used_by`` (partial
names) is printed only when the report has a section of one of those partials; a term without
it is about comparing groups of people, and printed unless every section reads job ads.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ReportError
from .registry import counts_people

__all__ = ["Term", "glossary"]

GLOSSARY = Path(__file__).parent / "glossary.toml"


@dataclass(frozen=True)
class Term:
    term: str
    text: str
    used_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, str]:
        return {"term": self.term, "text": self.text}


@lru_cache(maxsize=1)
def _terms() -> tuple[Term, ...]:
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    out = []
    for i, raw in enumerate(data.get("term", [])):
        if set(raw) - {"term", "text", "used_by"} or not {"term", "text"} <= set(raw):
            raise ReportError(f"glossary.toml: term {i + 1} needs 'term' and 'text' only "
                              "(and optionally 'used_by').")
        out.append(Term(str(raw["term"]), " ".join(str(raw["text"]).split()),
                        tuple(str(p) for p in raw.get("used_by", ()))))
    return tuple(sorted(out, key=lambda t: t.term.lower()))


def glossary(partials: Iterable[str]) -> list[Term]:
    """The terms a report with sections of these partials uses, in alphabetical order.

    Examples
    --------
    >>> [t.term for t in glossary(["time_to_exit"])][:3]
    ['Adjusted p-value', 'Confidence interval (95% CI)', 'Cox hazard ratio']
    >>> [t.term for t in glossary(["job_description"])]
    ['Coded word', 'Gender-coded ad', 'Pay transparency']
    """
    present = set(partials)
    # a term without used_by is about comparing groups of people: not in a report of job ads
    people = counts_people(present)
    return [t for t in _terms() if (not t.used_by and people) or present & set(t.used_by)]
