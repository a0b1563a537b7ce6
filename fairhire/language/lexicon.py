"""Lexicons: the word lists the scanner matches, kept as data in TOML files.

A lexicon has categories (masculine-coded, age-coded, ...), one entry per term (its category, how
it matches, a severity, suggested replacements and the source it comes from), exceptions (words
or phrases that look like a term but are not coded wording, such as "competent" for ``compet*``
or "Tech Lead" for ``lead*``), the rule that turns counts into a label, and the sources cited.

Two lexicons ship with fairhire: ``"default"`` and ``"gender-decoder"``. Users can load their
own TOML file, extend a built-in one (``extends = "default"`` in the file, or
:meth:`Lexicon.extend`) and switch categories off (``disable = [...]`` or
:meth:`Lexicon.without`). The file format is described in ``docs/guide/job-descriptions.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InvalidParameterError, preview

__all__ = [
    "BUILTIN_LEXICONS",
    "Category",
    "Entry",
    "ExceptionRule",
    "LabelRule",
    "Lexicon",
    "Source",
    "load_lexicon",
]

MATCH_KINDS = ("exact", "prefix", "phrase", "pattern")
SEVERITIES = ("info", "low", "medium", "high")
LABEL_METHODS = ("density", "count")

#: Built-in lexicon names and their files inside ``fairhire/language/lexicons``.
BUILTIN_LEXICONS = {"default": "default.toml", "gender-decoder": "gender_decoder.toml"}

_TERM_TRANSLATION = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-", "\u2011": "-"}
)
_FIRST_CHAR = re.compile(r"\w")


def normalize_term(term: str) -> str:
    """Lower-case a term, unify apostrophes and hyphens, collapse internal whitespace."""
    return " ".join(term.translate(_TERM_TRANSLATION).lower().split())


@dataclass(frozen=True)
class Source:
    """A cited source: a short label shown with each finding and the full reference."""

    key: str
    short: str
    citation: str = ""
    url: str = ""


@dataclass(frozen=True)
class Category:
    """A category of findings.

    ``role`` is ``"masculine"`` or ``"feminine"`` for the two categories that drive the gender
    label. ``context_sensitive`` categories are not scored inside job titles, section headers
    and the EEO boilerplate paragraph. ``accommodation_sensitive`` categories are one severity
    level lower when the ad carries a reasonable-accommodation statement.
    """

    name: str
    title: str
    description: str = ""
    role: str | None = None
    context_sensitive: bool = False
    accommodation_sensitive: bool = False


@dataclass(frozen=True)
class Entry:
    """One lexicon term.

    ``match``: ``"exact"`` (the whole word or phrase), ``"prefix"`` (words starting with the
    term: ``lead*`` matches "leader", "leadership"), ``"phrase"`` (several words; spaces match
    runs of spaces, hyphens or dashes) or ``"pattern"`` (a Python regular expression, matched
    case-insensitively from the start of a word).
    """

    id: str
    term: str
    category: str
    match: str
    severity: str
    suggestions: tuple[str, ...] = ()
    source: str = ""
    replace: str | None = None
    note: str = ""
    variants: tuple[str, ...] = ()
    anchors: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        """The term as people write it in word lists (``lead*`` for a prefix)."""
        return self.term + ("*" if self.match == "prefix" else "")


@dataclass(frozen=True)
class ExceptionRule:
    """Something that looks like a term but is not coded wording.

    Either a ``term`` (with its ``match`` kind): the span it matches is never a finding, e.g.
    ``competen*`` (competent, competence, competency) against ``compet*``. Or ``words`` with
    ``preceded_by`` / ``followed_by``: a finding whose matched word is one of ``words`` is
    dropped when the word before it, or after it, is one of those (``lead`` after "tech" or
    "team", ``support`` before "engineer"). Neighbours are separated by spaces, hyphens or a
    slash on the same line. ``not_preceded_by`` narrows ``preceded_by``: where one of its items
    is what precedes the word, the ``preceded_by`` side does not drop it ("leader" after
    "site" is the title Site Leader, but not after "on-site"); its items usually end with a
    ``preceded_by`` item.
    """

    id: str
    reason: str
    term: str | None = None
    match: str = "exact"
    words: tuple[str, ...] = ()
    preceded_by: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelRule:
    """How gender-coded counts become a label.

    ``method="density"`` (fairhire's default): with ``d`` = masculine minus feminine words per
    100 words and ``D`` the same difference in words, the ad is "strongly ...-coded" when
    ``|d| >= strongly`` and ``|D| >= min_difference_strongly``, "...-coded" when ``|d| >= coded``
    and ``|D| >= min_difference``, else "neutral". ``method="count"`` (Gender Decoder): on raw
    counts, ``|D| >= strongly`` is strongly coded and ``|D| >= coded`` is coded.
    """

    method: str = "density"
    coded: float = 0.4
    strongly: float = 1.0
    min_difference: int = 2
    min_difference_strongly: int = 4


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A loaded lexicon. Build one with :func:`load_lexicon`.

    Examples
    --------
    >>> from fairhire.language import load_lexicon
    >>> lex = load_lexicon("default")
    >>> sorted(lex.categories)[:3]
    ['ability', 'age', 'culture']
    >>> lex.without(["culture"]).categories.get("culture") is None
    True
    """

    name: str
    categories: Mapping[str, Category]
    entries: tuple[Entry, ...]
    exceptions: tuple[ExceptionRule, ...] = ()
    labels: LabelRule = field(default_factory=LabelRule)
    context: bool = True
    sources: Mapping[str, Source] = field(default_factory=dict)
    description: str = ""
    version: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", None)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_compiled"] = None  # compiled regexes are rebuilt in the receiving process
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)

    def __repr__(self) -> str:
        return (
            f"<Lexicon {self.name!r}: {len(self.entries)} terms in "
            f"{len(self.categories)} categories, {len(self.exceptions)} exceptions>"
        )

    # -- roles ----------------------------------------------------------------------------
    @property
    def masculine(self) -> str | None:
        """Name of the category with role "masculine" (None when switched off)."""
        return next((c.name for c in self.categories.values() if c.role == "masculine"), None)

    @property
    def feminine(self) -> str | None:
        """Name of the category with role "feminine" (None when switched off)."""
        return next((c.name for c in self.categories.values() if c.role == "feminine"), None)

    # -- derivation -----------------------------------------------------------------------
    def select(self, categories: Iterable[str]) -> Lexicon:
        """Keep only these categories (exceptions are kept: they shield every category)."""
        wanted = _category_list(categories, argument="categories")
        self._check_known(wanted, "categories= names {names} that lexicon {lexicon} does not have.")
        keep = set(wanted)
        return replace(
            self,
            categories={k: v for k, v in self.categories.items() if k in keep},
            entries=tuple(e for e in self.entries if e.category in keep),
        )

    def _check_known(self, names: list[str], problem: str) -> None:
        """Raise when ``names`` holds categories this lexicon does not have: ``problem`` with
        them (``{names}``) and the lexicon (``{lexicon}``), then the available categories."""
        unknown = [c for c in names if c not in self.categories]
        if unknown:
            raise InvalidParameterError(
                problem.format(names=preview(unknown), lexicon=repr(self.name))
                + f" Available categories: {preview(sorted(self.categories), limit=20)}."
            )

    def without(self, categories: Iterable[str]) -> Lexicon:
        """Switch categories off (unknown names raise, so a typo does not pass silently)."""
        drop = _category_list(categories, argument="categories")
        self._check_known(
            drop, "cannot switch off {names}: lexicon {lexicon} has no such category."
        )
        return self.select([c for c in self.categories if c not in set(drop)])

    def extend(self, other: Lexicon | str | PathLike[str] | Mapping[str, Any]) -> Lexicon:
        """A new lexicon with ``other``'s categories, terms, exceptions and sources added.

        A term of ``other`` with the same category, text and match kind as one of this lexicon
        replaces it. ``other``'s label rule and context setting win only when ``other`` sets
        them explicitly (a TOML file with a ``[labels]`` table or a ``context`` key).
        """
        from .lexicon_files import _from_mapping, _parse_toml, load_lexicon

        if isinstance(other, Mapping):
            return _from_mapping(dict(other), origin="<mapping>", base=self)
        if isinstance(other, str | PathLike) and str(other) not in BUILTIN_LEXICONS:
            path = Path(other)
            if path.is_file():
                data = _parse_toml(path.read_text(encoding="utf-8"), origin=str(path))
                data.setdefault("name", path.stem)
                return _from_mapping(data, origin=str(path), base_dir=path.parent, base=self)
        if not isinstance(other, Lexicon):
            other = load_lexicon(other)
        return _merge(self, other, other_labels=getattr(other, "_explicit", frozenset()))

    def to_frame(self) -> pd.DataFrame:
        """One row per term: id, term, category, match, severity, suggestions, source."""
        rows = [
            {
                "id": e.id,
                "term": e.label,
                "category": e.category,
                "match": e.match,
                "severity": e.severity,
                "suggestions": "; ".join(e.suggestions),
                "replace": e.replace,
                "source": e.source,
                "variants": "; ".join(e.variants),
            }
            for e in self.entries
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "id", "term", "category", "match", "severity", "suggestions", "replace",
                "source", "variants",
            ],
        )


def _category_list(categories: Iterable[str], *, argument: str) -> list[str]:
    if isinstance(categories, str):
        return [categories]
    try:
        out = list(categories)
    except TypeError as exc:
        raise InvalidParameterError(
            f"{argument}= must be a category name or a list of names; got "
            f"{type(categories).__name__}."
        ) from exc
    bad = [c for c in out if not isinstance(c, str)]
    if bad:
        raise InvalidParameterError(f"{argument}= must contain category names; got {preview(bad)}.")
    return out


def _merge(base: Lexicon, other: Lexicon, *, other_labels: frozenset[str]) -> Lexicon:
    categories = dict(base.categories)
    categories.update(other.categories)
    keyed = {(e.category, e.term, e.match): e for e in base.entries}
    for e in other.entries:
        keyed[(e.category, e.term, e.match)] = e
    sources = dict(base.sources)
    sources.update(other.sources)
    seen = {x.id for x in base.exceptions}
    exceptions = base.exceptions + tuple(x for x in other.exceptions if x.id not in seen)
    return Lexicon(
        name=other.name if other.name != base.name else base.name,
        categories=categories,
        entries=tuple(keyed.values()),
        exceptions=exceptions,
        labels=other.labels if "labels" in other_labels else base.labels,
        context=other.context if "context" in other_labels else base.context,
        sources=sources,
        description=other.description or base.description,
        version=other.version or base.version,
    )


def entry_forms(entry: Entry | ExceptionRule) -> Sequence[str]:
    """The term and its variants."""
    assert entry.term is not None
    return (entry.term, *entry.variants)


def load_lexicon(source: Lexicon | str | PathLike[str] | Mapping[str, Any]) -> Lexicon:
    """Load a lexicon (see :func:`fairhire.language.lexicon_files.load_lexicon`).

    Examples
    --------
    >>> load_lexicon("default").name
    'default'
    """
    from .lexicon_files import load_lexicon as load

    return load(source)
