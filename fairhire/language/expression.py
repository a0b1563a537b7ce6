"""A lexicon written out as one regular expression: the reference matching semantics.

Every term of a lexicon goes into a trie, written out as one regular expression whose
alternatives share their prefixes: ``lead`` (prefix), ``leads`` and ``lead engineer`` become
``lead(?:s...|<sep>engineer...|<end>|<more letters>)``. Longer alternatives come first at each
node, so at a given position the longest literal wins and prefix entries take the whole word.
Exceptions live in the same expression: when an exception matches, its span is consumed and not
reported, exactly like a match that is thrown away. Regex patterns from the lexicon are tried
before words and phrases at the same position. Every repetition in the generated expression is
bounded by the word it sits in or by a small constant, so matching is linear in the text length.

Matching a whole text with that expression (:meth:`LexiconExpression.find_reference`:
``finditer`` from left to right, non-overlapping), then dropping the findings that a neighbour
exception ("Tech Lead") removes, *is* the semantics of a lexicon. The compiled matcher
(:mod:`fairhire.language.matcher`) gives the same findings faster; it builds the same
expression for the few alternatives that can start at a given place (:meth:`expression_for`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from ..errors import InvalidParameterError
from .lexicon import Entry, ExceptionRule, Lexicon, entry_forms
from .patterns import derive_prefixes, has_upper_literal, validate_pattern
from .tokens import APOSTROPHE, HYPHEN, NEIGHBOUR_SEP, PHRASE_SEP, START, WORD

__all__ = ["Alternative", "LexiconExpression", "Match", "neighbour_hit", "new_match"]

_NEIGHBOUR_WINDOW = 64
#: the characters _edge() gives a regex of their own: a literal's head ends at the first one
SPECIAL_EDGES = " -'"


class Match(NamedTuple):
    """One finding of the matcher: ``low[start:end]`` matched entries ``entries``."""

    start: int
    end: int
    entries: tuple[int, ...]


#: ``new_match((start, end, entries))``: a Match built in C (the matcher makes thousands)
new_match = partial(tuple.__new__, Match)


@dataclass(frozen=True)
class Alternative:
    """One alternative of the expression: a pattern, or a literal form for the trie.

    ``order`` is its place in the whole expression (patterns of exceptions, then patterns of
    terms, then the trie); ``starts`` the literal strings every match of it starts with (None:
    unknown, try it at every word).
    """

    order: int
    kind: str  # "pattern", "exact" or "prefix"
    form: str
    target: tuple[bool, int]  # (is an exception, index into exceptions or entries)
    starts: tuple[str, ...] | None = None


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    exact: list[tuple[bool, int]] = field(default_factory=list)
    prefix: list[tuple[bool, int]] = field(default_factory=list)


def _edge(ch: str) -> str:
    if ch == " ":
        return PHRASE_SEP
    if ch == "-":
        return HYPHEN
    if ch == "'":
        return APOSTROPHE
    return re.escape(ch)


def _nb_edge(ch: str) -> str:
    if ch == " ":
        return NEIGHBOUR_SEP
    if ch == "-":
        return r"[\-\u2010\u2011]?"
    if ch == "'":
        return APOSTROPHE
    return re.escape(ch)


def pattern_body(pattern: str) -> str:
    """A lexicon pattern as it sits in the expression: case-insensitive, ending a word."""
    body = f"(?i:{pattern})" if has_upper_literal(pattern) else f"(?:{pattern})"
    return f"{body}(?!{WORD})"


def head(form: str) -> str:
    """The literal start of a form: everything before its first space, hyphen or apostrophe."""
    return re.split("[ \\-']", form, maxsplit=1)[0]


class Compiled(NamedTuple):
    """A compiled expression and, per group number, the key its marker group stands for."""

    regex: re.Pattern[str]
    gi2key: list[int]


class LexiconExpression:
    """A lexicon's alternatives, their keys, the whole expression and the neighbour rules."""

    def __init__(self, lexicon: Lexicon, keywords: frozenset[str] = frozenset()) -> None:
        self.lexicon = lexicon
        #: words (stripped of punctuation) whose presence the matcher reports, for cheap checks
        self.keywords = keywords
        self.entries: tuple[Entry, ...] = lexicon.entries
        self.exceptions: tuple[ExceptionRule, ...] = lexicon.exceptions
        self._keys: list[tuple[bool, tuple[int, ...]]] = []
        self._key_of: dict[tuple[bool, tuple[int, ...]], int] = {}
        self.alternatives = self._alternatives()
        self.main = self.expression_for(self.alternatives)
        self.is_exc = [k[0] for k in self._keys]
        self.key_entries = [k[1] for k in self._keys]
        self._build_neighbours()

    # -- alternatives -------------------------------------------------------------------------
    def _alternatives(self) -> list[Alternative]:
        patterns: list[Alternative] = []
        literals: list[Alternative] = []

        def pattern(form: str, anchors: Sequence[str] | None, where: str,
                    target: tuple[bool, int]) -> None:
            validate_pattern(form, where)
            # (?i:) patterns can match characters the text keeps in upper case: no prefixes
            starts = None if has_upper_literal(form) else derive_prefixes(form)
            if starts is None and anchors is not None:
                starts = list(anchors)  # the lexicon's word: every match starts with one
            patterns.append(Alternative(len(patterns), "pattern", form, target,
                                        None if starts is None else tuple(starts)))

        def literal(form: str, kind: str, target: tuple[bool, int]) -> None:
            literals.append(Alternative(0, kind, form, target, (head(form),)))

        for i, exc in enumerate(self.exceptions):
            if exc.term is None:
                continue
            for form in entry_forms(exc):
                if exc.match == "pattern":
                    pattern(form, None, f"exception {exc.id!r}", (True, i))
                else:
                    literal(form, "prefix" if exc.match == "prefix" else "exact", (True, i))
        for i, entry in enumerate(self.entries):
            for form in entry_forms(entry):
                if entry.match == "pattern":
                    pattern(form, entry.anchors, f"term {entry.id!r}", (False, i))
                else:
                    literal(form, "prefix" if entry.match == "prefix" else "exact", (False, i))
        base = len(patterns)
        return patterns + [
            Alternative(base + j, a.kind, a.form, a.target, a.starts)
            for j, a in enumerate(literals)
        ]

    # -- expressions --------------------------------------------------------------------------
    def expression_for(self, alternatives: Iterable[Alternative]) -> Compiled:
        """The expression of some alternatives (in their order), as the whole one would be.

        At a place where only these alternatives can start, it matches exactly what the whole
        expression matches: alternatives that cannot start there fail, and failing branches
        change nothing in a regular expression's choice.
        """
        markers: list[int] = []
        pieces: list[str] = []
        root = _Node()
        for alt in sorted(alternatives, key=lambda a: a.order):
            if alt.kind == "pattern":
                pieces.append(pattern_body(alt.form) + self._marker([alt.target], markers))
            else:
                node = root
                for ch in alt.form:
                    node = node.children.setdefault(ch, _Node())
                (node.exact if alt.kind == "exact" else node.prefix).append(alt.target)
        if root.children:
            pieces.append(self._emit(root, markers))
        source = START + "(?:" + ("|".join(pieces) or "(?!)") + ")"
        try:
            regex = re.compile(source)
        except (re.error, RecursionError, OverflowError) as exc:  # pragma: no cover - validated
            raise InvalidParameterError(
                f"lexicon {self.lexicon.name!r} could not be compiled: {exc}"
            ) from exc
        gi2key = [-1] * (regex.groups + 1)
        for name, gi in regex.groupindex.items():
            gi2key[gi] = markers[int(name[3:])]
        return Compiled(regex, gi2key)

    def _marker(self, targets: Sequence[tuple[bool, int]], markers: list[int]) -> str:
        """An empty group that says which key matched (group names must be unique)."""
        markers.append(self.key_for(targets))
        return f"(?P<_fh{len(markers) - 1}>)"

    def key_for(self, targets: Sequence[tuple[bool, int]]) -> int:
        """The key of what a match reports: thrown away (an exception) or these entries."""
        if any(is_exc for is_exc, _ in targets):
            key: tuple[bool, tuple[int, ...]] = (True, ())
        else:
            seen: dict[str, int] = {}
            for _, idx in targets:  # one finding per category for a span
                seen.setdefault(self.entries[idx].category, idx)
            key = (False, tuple(seen.values()))
        k = self._key_of.get(key)
        if k is None:
            k = self._key_of[key] = len(self._keys)
            self._keys.append(key)
            if hasattr(self, "is_exc"):  # a key first seen after __init__
                self.is_exc.append(key[0])
                self.key_entries.append(key[1])
        return k

    def _emit(self, node: _Node, markers: list[int]) -> str:
        alts = [_edge(ch) + self._emit(child, markers)
                for ch, child in sorted(node.children.items())]
        if node.exact or node.prefix:
            alts.append(f"(?!{WORD})" + self._marker(node.exact + node.prefix, markers))
        if node.prefix:
            alts.append(f"{WORD}+" + self._marker(node.prefix, markers))
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    # -- the reference semantics --------------------------------------------------------------
    def find_reference(self, low: str) -> list[Match]:
        """The reference semantics: one left-to-right pass of the whole expression."""
        out = []
        regex, gi2key = self.main
        for m in regex.finditer(low):
            k = gi2key[m.lastindex]  # type: ignore[index]
            if not self.is_exc[k]:
                out.append(Match(m.start(), m.end(), self.key_entries[k]))
        return self.drop_neighbour_exceptions(low, out)

    # -- neighbour exceptions -----------------------------------------------------------------
    def _build_neighbours(self) -> None:
        by_word: dict[str, list[tuple[Any, Any]]] = {}
        prefix_rules: list[tuple[tuple[str, ...], Any, Any]] = []
        # per side and expression, the characters next to the word that every match holds:
        # the last four (or fewer, see _pairs) of each preceding item, the first four of each
        # following one (None: unknown); keyed by side too, since one expression can serve
        # both sides
        ends: dict[tuple[int, Any], frozenset[str] | None] = {}
        for exc in self.exceptions:
            if not exc.words:
                continue
            pre = fol = None
            if exc.preceded_by:
                pre = re.compile(_preceding(exc.preceded_by, exc.not_preceded_by))
                ends[0, pre] = _pairs([w[::-1] for w in exc.preceded_by])
            if exc.followed_by:
                items = sorted(
                    (_nb_edge_all(w.rstrip("*")) + (f"{WORD}*" if w.endswith("*") else "")
                     for w in exc.followed_by),
                    key=len, reverse=True,
                )
                fol = re.compile(NEIGHBOUR_SEP + "(?:" + "|".join(items) + f")(?!{WORD})")
                ends[1, fol] = _pairs([w.rstrip("*") for w in exc.followed_by], reverse=False)
            for w in exc.words:
                if not w.endswith("*"):
                    by_word.setdefault(w, []).append((pre, fol))
            prefixes = tuple(w[:-1] for w in exc.words if w.endswith("*"))
            if prefixes:
                prefix_rules.append((prefixes, pre, fol))
        self._merged: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self._nb_by_word = by_word
        self._nb_prefix = prefix_rules
        self._nb_ends = ends
        self.has_neighbours = bool(by_word or prefix_rules)

    def drop_neighbour_exceptions(self, low: str, matches: list[Match]) -> list[Match]:
        """The matches that no neighbour exception removes ("Tech Lead", "customer support")."""
        if not self.has_neighbours or not matches:
            return matches
        kept = []
        for item in matches:
            s, e, _ = item
            rules = self.neighbour_rules(low[s:e])
            if rules and neighbour_hit(low, s, e, rules):
                continue
            kept.append(item)
        return kept

    def merged_neighbours(self, word: str) -> tuple[Any, ...]:
        """A word's neighbour exceptions (:meth:`neighbour_rules`) as two expressions: what
        may precede it (matched on the reversed text before it) and what may follow it. One
        alternation matches where one of its alternatives does, so one call replaces one per
        rule; ``()`` when the word has none.

        Examples
        --------
        >>> from fairhire.language import load_lexicon
        >>> expression = LexiconExpression(load_lexicon("default"))
        >>> before, after = expression.merged_neighbours("support")
        >>> after("support representative", len("support")) is not None
        True
        >>> expression.merged_neighbours("compassionate")
        ()
        """
        rules = self.neighbour_rules(word)
        if not rules:
            return ()
        key = tuple(rules)
        merged = self._merged.get(key)
        if merged is None:
            merged = self._merged[key] = tuple(_alternation([r[side] for r in rules])
                                               for side in (0, 1))
        return merged

    def neighbour_rules(self, word: str) -> list[tuple[Any, Any]]:
        """The (preceded-by, followed-by) expressions of the neighbour exceptions of a word."""
        rules = self._nb_by_word.get(word)
        if rules is None and "\u2019" in word:
            word = word.replace("\u2019", "'")
            rules = self._nb_by_word.get(word)
        if self._nb_prefix:
            extra = [(pre, fol) for pfx, pre, fol in self._nb_prefix if word.startswith(pfx)]
            if extra:
                rules = (rules or []) + extra
        return rules or []


def _pairs(items: list[str], reverse: bool = True) -> frozenset[str] | None:
    """The first four characters of each item (``items`` reversed for what precedes a word:
    they are given back in text order), or three, two or one: as many as that item has before
    a character the neighbour expression does not match literally (a space, hyphen or
    apostrophe: "level 1" gives one); None when some item has not even one. Each item keeps
    its own length, so one short item ("level 1") does not cut the others' ("customer") to
    one character: the more characters, the fewer places where the expression has to run."""
    heads = []
    for item in items:
        head = item[:4]
        cut = min((head.find(c) for c in SPECIAL_EDGES if c in head), default=len(head))
        if cut == 0:
            return None
        heads.append(head[:cut])
    return frozenset(h[::-1] if reverse else h for h in heads)


def _preceding(items: Sequence[str], unless: Sequence[str] = ()) -> str:
    """The expression, matched on the reversed text before a word, of "preceded by one of
    ``items``, and by none of ``unless``" (a negative lookahead on the same reversed text: it
    still starts and ends where the items do, so the matcher's checks of the characters next
    to the word hold).

    Examples
    --------
    >>> site = re.compile(_preceding(["site"], ["on site"]))
    >>> [bool(site.match(text[::-1])) for text in ["the site ", "the on-site ", "onsite "]]
    [True, False, False]
    """
    def alternation(words: Sequence[str]) -> str:
        forms = sorted((_nb_edge_all(reversed(w)) for w in words), key=len, reverse=True)
        return NEIGHBOUR_SEP + "(?:" + "|".join(forms) + f")(?!{WORD})"

    guard = f"(?!{alternation(unless)})" if unless else ""
    return guard + alternation(items)


def _alternation(patterns: list[Any]) -> Any:
    """``match`` of one expression matching where any of these compiled ones does (None for
    none)."""
    found = [p for p in patterns if p is not None]
    if not found:
        return None
    if len(found) == 1:
        return found[0].match
    return re.compile("|".join(f"(?:{p.pattern})" for p in found)).match


def _nb_edge_all(chars: Iterable[str]) -> str:
    return "".join(_nb_edge(c) for c in chars)


def neighbour_hit(low: str, s: int, e: int, rules: list[tuple[Any, Any]]) -> bool:
    """Whether one of the neighbour rules removes the match ``low[s:e]``."""
    before = None
    for pre, fol in rules:
        if fol is not None and fol.match(low, e):
            return True
        if pre is not None:
            if before is None:
                before = low[max(0, s - _NEIGHBOUR_WINDOW) : s][::-1]
            if pre.match(before):
                return True
    return False
