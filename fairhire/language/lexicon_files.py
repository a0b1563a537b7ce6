"""Load lexicons: the built-in ones, TOML files and mappings, checked entry by entry.

The file format is described in ``docs/guide/job-descriptions.md``; every problem raises an
:class:`~fairhire.errors.InvalidParameterError` naming the entry and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import InputTypeError, InvalidParameterError, preview
from .lexicon import (
    _FIRST_CHAR,
    BUILTIN_LEXICONS,
    LABEL_METHODS,
    MATCH_KINDS,
    SEVERITIES,
    Category,
    Entry,
    ExceptionRule,
    LabelRule,
    Lexicon,
    Source,
    _merge,
    normalize_term,
)

__all__ = ["load_lexicon"]

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
    allowed = {"term", "match", "words", "preceded_by", "followed_by", "not_preceded_by", "reason",
               "id", "variants"}
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
    not_pre = tuple(normalize_term(w) for w in
                    _strs(raw.get("not_preceded_by"), f"{where}: not_preceded_by"))
    if not words or not (pre or fol):
        raise InvalidParameterError(
            f"{where} needs 'term', or 'words' with 'preceded_by' and/or 'followed_by'."
        )
    if not_pre and not pre:
        raise InvalidParameterError(
            f"{where}: 'not_preceded_by' narrows 'preceded_by', which it does not have."
        )
    return ExceptionRule(
        id=str(raw.get("id") or f"exception/{'|'.join(words)}#{i + 1}"),
        reason=reason,
        words=words,
        preceded_by=pre,
        followed_by=fol,
        not_preceded_by=not_pre,
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


