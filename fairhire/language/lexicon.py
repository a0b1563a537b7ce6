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
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputTypeError, InvalidParameterError, preview

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
    slash on the same line.
    """

    id: str
    reason: str
    term: str | None = None
    match: str = "exact"
    words: tuple[str, ...] = ()
    preceded_by: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


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
        unknown = [c for c in wanted if c not in self.categories]
        if unknown:
            raise InvalidParameterError(
                f"categories= names {preview(unknown)} that lexicon {self.name!r} does not have. "
                f"Available categories: {preview(sorted(self.categories), limit=20)}."
            )
        keep = set(wanted)
        return replace(
            self,
            categories={k: v for k, v in self.categories.items() if k in keep},
            entries=tuple(e for e in self.entries if e.category in keep),
        )

    def without(self, categories: Iterable[str]) -> Lexicon:
        """Switch categories off (unknown names raise, so a typo does not pass silently)."""
        drop = _category_list(categories, argument="categories")
        unknown = [c for c in drop if c not in self.categories]
        if unknown:
            raise InvalidParameterError(
                f"cannot switch off {preview(unknown)}: lexicon {self.name!r} has no such "
                f"category. Available categories: {preview(sorted(self.categories), limit=20)}."
            )
        return self.select([c for c in self.categories if c not in set(drop)])

    def extend(self, other: Lexicon | str | PathLike[str] | Mapping[str, Any]) -> Lexicon:
        """A new lexicon with ``other``'s categories, terms, exceptions and sources added.

        A term of ``other`` with the same category, text and match kind as one of this lexicon
        replaces it. ``other``'s label rule and context setting win only when ``other`` sets
        them explicitly (a TOML file with a ``[labels]`` table or a ``context`` key).
        """
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


# -- loading --------------------------------------------------------------------------------

_CACHE: dict[str, Lexicon] = {}


def load_lexicon(source: Lexicon | str | PathLike[str] | Mapping[str, Any]) -> Lexicon:
    """Load a lexicon: a built-in name, a path to a TOML file, a mapping, or a Lexicon.

    Parameters
    ----------
    source : str, path, mapping or Lexicon
        ``"default"`` or ``"gender-decoder"``; a path to a TOML file in the lexicon format (it
        may say ``extends = "default"`` and ``disable = ["culture"]``); a mapping with the same
        structure as the TOML file; or an already loaded :class:`Lexicon` (returned as is).

    Returns
    -------
    Lexicon

    Raises
    ------
    InvalidParameterError
        Unknown name, unreadable file or an invalid entry (the message names the entry).

    Examples
    --------
    >>> from fairhire.language import load_lexicon
    >>> load_lexicon("gender-decoder").labels.method
    'count'
    >>> custom = load_lexicon({
    ...     "name": "acme", "extends": "default",
    ...     "terms": [{"term": "synergy", "category": "culture", "severity": "low",
    ...                "suggestions": ["collaboration"], "source": "Acme style guide"}],
    ... })
    >>> custom.to_frame().query("term == 'synergy'").category.item()
    'culture'
    """
    if isinstance(source, Lexicon):
        return source
    if isinstance(source, Mapping):
        return _from_mapping(dict(source), origin="<mapping>")
    if isinstance(source, str) and source in BUILTIN_LEXICONS:
        cached = _CACHE.get(source)
        if cached is None:
            text = resources.files("fairhire.language").joinpath(
                "lexicons", BUILTIN_LEXICONS[source]
            ).read_text(encoding="utf-8")
            cached = _from_mapping(_parse_toml(text, origin=source), origin=source)
            _CACHE[source] = cached
        return cached
    if isinstance(source, str | PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidParameterError(
                f"lexicon={str(source)!r} is neither a built-in lexicon "
                f"({', '.join(repr(k) for k in BUILTIN_LEXICONS)}) nor an existing TOML file. "
                "Pass one of the built-in names or the path to your lexicon file."
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidParameterError(f"cannot read lexicon file {str(path)!r}: {exc}") from exc
        data = _parse_toml(text, origin=str(path))
        data.setdefault("name", path.stem)
        return _from_mapping(data, origin=str(path), base_dir=path.parent)
    raise InputTypeError(
        "lexicon= must be a built-in lexicon name ('default', 'gender-decoder'), a path to a "
        f"TOML lexicon file, a mapping or a Lexicon; got {type(source).__name__}."
    )


def _parse_toml(text: str, *, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidParameterError(f"lexicon {origin!r} is not valid TOML: {exc}") from exc


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidParameterError(f"{what} must be a string; got {value!r}.")
    return value


def _strs(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidParameterError(f"{what} must be a list of strings; got {value!r}.")
    return tuple(value)


def _from_mapping(
    data: dict[str, Any],
    *,
    origin: str,
    base_dir: Path | None = None,
    base: Lexicon | None = None,
) -> Lexicon:
    known = {
        "name", "description", "version", "extends", "disable", "context", "labels",
        "categories", "sources", "terms", "exceptions",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidParameterError(
            f"lexicon {origin!r} has unknown top-level keys {preview(unknown)}. "
            f"Allowed: {preview(sorted(known), limit=20)}."
        )
    name = _str(data.get("name", "custom"), f"lexicon {origin!r}: name")
    explicit = frozenset(k for k in ("labels", "context") if k in data)

    if "extends" in data:
        ext = _str(data["extends"], f"lexicon {origin!r}: extends")
        if ext not in BUILTIN_LEXICONS and base_dir is not None:
            candidate = base_dir / ext
            ext = str(candidate) if candidate.is_file() else ext
        base = load_lexicon(ext)

    sources = {
        key: _source(key, raw, origin) for key, raw in (data.get("sources") or {}).items()
    }
    all_sources = dict(base.sources) if base else {}
    all_sources.update(sources)

    categories = {
        key: _category(key, raw, origin) for key, raw in (data.get("categories") or {}).items()
    }
    all_categories = dict(base.categories) if base else {}
    all_categories.update(categories)

    raw_terms = data.get("terms") or []
    if not isinstance(raw_terms, list):
        raise InvalidParameterError(f"lexicon {origin!r}: terms must be a list of tables.")
    entries = tuple(
        _entry(i, raw, origin, all_categories, all_sources) for i, raw in enumerate(raw_terms)
    )
    raw_exc = data.get("exceptions") or []
    if not isinstance(raw_exc, list):
        raise InvalidParameterError(f"lexicon {origin!r}: exceptions must be a list of tables.")
    exceptions = tuple(_exception(i, raw, origin) for i, raw in enumerate(raw_exc))

    labels = _labels(data.get("labels"), origin) if "labels" in data else LabelRule()
    context = data.get("context", True)
    if not isinstance(context, bool):
        raise InvalidParameterError(f"lexicon {origin!r}: context must be true or false.")

    lex = Lexicon(
        name=name,
        categories=categories if base else all_categories,
        entries=entries,
        exceptions=exceptions,
        labels=labels,
        context=context,
        sources=sources if base else all_sources,
        description=str(data.get("description", "")),
        version=str(data.get("version", "")),
    )
    object.__setattr__(lex, "_explicit", explicit)
    if base is not None:
        lex = _merge(base, lex, other_labels=explicit)
    disable = _strs(data.get("disable"), f"lexicon {origin!r}: disable")
    if disable:
        lex = lex.without(disable)
    _check_roles(lex, origin)
    return lex


def _check_roles(lex: Lexicon, origin: str) -> None:
    for role in ("masculine", "feminine"):
        names = [c.name for c in lex.categories.values() if c.role == role]
        if len(names) > 1:
            raise InvalidParameterError(
                f"lexicon {origin!r}: more than one category has role {role!r}: {preview(names)}."
            )


def _source(key: str, raw: Any, origin: str) -> Source:
    if isinstance(raw, str):
        return Source(key=key, short=raw, citation=raw)
    if not isinstance(raw, Mapping) or "short" not in raw:
        raise InvalidParameterError(
            f"lexicon {origin!r}: source {key!r} must be a table with at least 'short' "
            "(and optionally 'citation' and 'url')."
        )
    return Source(
        key=key,
        short=_str(raw["short"], f"source {key!r}: short"),
        citation=str(raw.get("citation", raw["short"])),
        url=str(raw.get("url", "")),
    )


def _category(key: str, raw: Any, origin: str) -> Category:
    if not isinstance(raw, Mapping):
        raise InvalidParameterError(f"lexicon {origin!r}: category {key!r} must be a table.")
    role = raw.get("role")
    if role not in (None, "masculine", "feminine"):
        raise InvalidParameterError(
            f"lexicon {origin!r}: category {key!r} has role {role!r}; use 'masculine', "
            "'feminine' or leave it out."
        )
    return Category(
        name=key,
        title=str(raw.get("title", key.replace("_", " ").capitalize())),
        description=str(raw.get("description", "")),
        role=role,
        context_sensitive=bool(raw.get("context_sensitive", False)),
        accommodation_sensitive=bool(raw.get("accommodation_sensitive", False)),
    )


def _entry(
    i: int,
    raw: Any,
    origin: str,
    categories: Mapping[str, Category],
    sources: Mapping[str, Source],
) -> Entry:
    where = f"lexicon {origin!r}, term #{i + 1}"
    if not isinstance(raw, Mapping) or "term" not in raw:
        raise InvalidParameterError(f"{where} must be a table with at least 'term' and 'category'.")
    term_raw = _str(raw["term"], f"{where}: term")
    where = f"{where} ({term_raw!r})"
    allowed = {
        "term", "category", "match", "severity", "suggestions", "source", "replace", "note",
        "variants", "anchors", "id",
    }
    extra = sorted(set(raw) - allowed)
    if extra:
        raise InvalidParameterError(f"{where} has unknown keys {preview(extra)}.")
    category = raw.get("category")
    if category not in categories:
        raise InvalidParameterError(
            f"{where} has category {category!r}, which is not defined. Define it under "
            f"[categories.{category}] or use one of {preview(sorted(categories), limit=20)}."
        )
    match = raw.get("match")
    term = term_raw
    if match is None:
        match = "prefix" if term.endswith("*") else "exact"
    if match not in MATCH_KINDS:
        raise InvalidParameterError(f"{where}: match must be one of {MATCH_KINDS}; got {match!r}.")
    if match != "pattern":
        if match == "prefix":
            term = term.rstrip("*")
        term = normalize_term(term)
        if not term or not _FIRST_CHAR.match(term):
            raise InvalidParameterError(
                f"{where}: a term must start with a letter or digit (matches start at a word)."
            )
        if "*" in term:
            raise InvalidParameterError(
                f"{where}: '*' may only end a term (it marks a prefix); use match='pattern' "
                "for anything more."
            )
        if match == "phrase" and " " not in term:
            match = "exact"
    severity = raw.get("severity", "low")
    if severity not in SEVERITIES:
        raise InvalidParameterError(
            f"{where}: severity must be one of {SEVERITIES}; got {severity!r}."
        )
    src = str(raw.get("source", ""))
    src_label = sources[src].short if src in sources else src
    variants = tuple(
        normalize_term(v.rstrip("*")) if match != "pattern" else v
        for v in _strs(raw.get("variants"), f"{where}: variants")
    )
    anchors = raw.get("anchors")
    rep = raw.get("replace")
    if rep is not None and (match == "pattern" or not isinstance(rep, str)):
        raise InvalidParameterError(
            f"{where}: replace must be a string, and only words and phrases can have one."
        )
    entry_id = str(raw.get("id") or f"{category}/{term}{'*' if match == 'prefix' else ''}")
    return Entry(
        id=entry_id,
        term=term,
        category=category,
        match=match,
        severity=severity,
        suggestions=_strs(raw.get("suggestions"), f"{where}: suggestions"),
        source=src_label,
        replace=rep,
        note=str(raw.get("note", "")),
        variants=variants,
        anchors=None
        if anchors is None
        else tuple(normalize_term(a) for a in _strs(anchors, f"{where}: anchors")),
    )


def _exception(i: int, raw: Any, origin: str) -> ExceptionRule:
    where = f"lexicon {origin!r}, exception #{i + 1}"
    if not isinstance(raw, Mapping):
        raise InvalidParameterError(f"{where} must be a table.")
    allowed = {"term", "match", "words", "preceded_by", "followed_by", "reason", "id", "variants"}
    extra = sorted(set(raw) - allowed)
    if extra:
        raise InvalidParameterError(f"{where} has unknown keys {preview(extra)}.")
    reason = str(raw.get("reason", ""))
    if "term" in raw:
        if "words" in raw:
            raise InvalidParameterError(f"{where}: give either 'term' or 'words', not both.")
        term = _str(raw["term"], f"{where}: term")
        match = raw.get("match") or ("prefix" if term.endswith("*") else "exact")
        if match not in MATCH_KINDS:
            raise InvalidParameterError(
                f"{where}: match must be one of {MATCH_KINDS}; got {match!r}."
            )
        if match != "pattern":
            term = normalize_term(term.rstrip("*"))
            if not term or not _FIRST_CHAR.match(term):
                raise InvalidParameterError(f"{where}: a term must start with a letter or digit.")
        variants = tuple(
            normalize_term(v.rstrip("*")) if match != "pattern" else v
            for v in _strs(raw.get("variants"), f"{where}: variants")
        )
        return ExceptionRule(
            id=str(raw.get("id") or f"exception/{term}"),
            reason=reason,
            term=term,
            match="exact" if match == "phrase" else match,
            variants=variants,
        )
    words = tuple(normalize_term(w) for w in _strs(raw.get("words"), f"{where}: words"))
    pre = tuple(normalize_term(w) for w in _strs(raw.get("preceded_by"), f"{where}: preceded_by"))
    fol = tuple(normalize_term(w) for w in _strs(raw.get("followed_by"), f"{where}: followed_by"))
    if not words or not (pre or fol):
        raise InvalidParameterError(
            f"{where} needs 'term', or 'words' with 'preceded_by' and/or 'followed_by'."
        )
    return ExceptionRule(
        id=str(raw.get("id") or f"exception/{'|'.join(words)}#{i + 1}"),
        reason=reason,
        words=words,
        preceded_by=pre,
        followed_by=fol,
    )


def _labels(raw: Any, origin: str) -> LabelRule:
    if not isinstance(raw, Mapping):
        raise InvalidParameterError(f"lexicon {origin!r}: [labels] must be a table.")
    method = raw.get("method", "density")
    if method not in LABEL_METHODS:
        raise InvalidParameterError(
            f"lexicon {origin!r}: labels.method must be one of {LABEL_METHODS}; got {method!r}."
        )
    try:
        rule = LabelRule(
            method=method,
            coded=float(raw.get("coded", 0.4 if method == "density" else 1)),
            strongly=float(raw.get("strongly", 1.0 if method == "density" else 4)),
            min_difference=int(raw.get("min_difference", 2 if method == "density" else 1)),
            min_difference_strongly=int(
                raw.get("min_difference_strongly", 4)
            ),
        )
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"lexicon {origin!r}: [labels] values must be numbers.") from exc
    if not 0 < rule.coded <= rule.strongly:
        raise InvalidParameterError(
            f"lexicon {origin!r}: labels need 0 < coded <= strongly; got coded={rule.coded}, "
            f"strongly={rule.strongly}."
        )
    return rule


def entry_forms(entry: Entry | ExceptionRule) -> Sequence[str]:
    """The term and its variants."""
    assert entry.term is not None
    return (entry.term, *entry.variants)
