"""The compiled matcher: an Aho-Corasick automaton finds where a term can start.

Matching semantics are those of the lexicon's expression
(:class:`~fairhire.language.expression.LexiconExpression`): every finding starts at a word and
begins with a known literal (a term's first word, or the words a pattern starts with). The
automaton (``ahocorasick_rs``, a Rust implementation) finds every such literal at a word start in
one pass over the text; the expression is then tried only there, with just the alternatives that
begin with the literals found (cached per set of literals). Those matches are exactly the
whole expression's left-to-right matches: the expression can only match where one of its
literals starts, and the places are taken in order, skipping those inside the previous match.

The same pass reports which of a set of keywords occur as whole tokens (stripped of punctuation)
and, for pure ASCII text, counts the words; the structural checks use both to skip work.

The automaton works on bytes: the lower-cased text with every character that is not an ASCII
letter or digit replaced by a space (non-ASCII characters become one byte each, so offsets are
the text's offsets), with a space added at each end. A literal at a word start therefore follows
a space, and the automaton's keys are the literals with a space in front: nothing is found inside
words. An exact single word also has a space after it in its key.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, NamedTuple

import ahocorasick_rs

from .expression import _NEIGHBOUR_WINDOW, Alternative, Match, new_match, pattern_body
from .lexicon import Lexicon
from .patterns import has_upper_literal, literal_starts, pattern_starts
from .placerules import _SIMPLE, PlaceRules, may_follow, may_precede
from .tokens import _STRIP, START, lower_same_length
from .wordscan import (
    _BOUNDARY,
    _ascii_word_count,
    _is_token_core,
    _with_currency,
    _word_at,
    word_count,
)

__all__ = ["CompiledLexicon", "Scanned", "compile_lexicon", "word_count"]

_ROLE_CODE = {"masculine": 1, "feminine": 2}


def _key(literal: str) -> bytes:
    return b" " + literal.encode("ascii", "replace").translate(_BOUNDARY)


def _starts(alt: Alternative) -> list[str] | None:
    """What every match of an alternative starts with, in the automaton's alphabet.

    An exact single word ends there: the character after it is not an ASCII letter or digit,
    which in the automaton's alphabet is a space (the text is padded with one at its end), so
    "he" is not looked at in "help" or "health".
    """
    if alt.kind == "exact" and _SIMPLE.fullmatch(alt.form):
        return [alt.form + " "]
    if alt.kind != "pattern":
        return literal_starts(alt.form)
    found = None if has_upper_literal(alt.form) else pattern_starts(alt.form)
    if found is None and alt.starts is not None:
        found = [s.rstrip() for s in alt.starts]  # derived prefixes or the lexicon's anchors
    return found


class Scanned(NamedTuple):
    """What :meth:`CompiledLexicon.find` reports about one lower-cased text."""

    matches: list[Match]
    word_count: int
    words: set[str]
    numbers: list[int]
    marks: dict[str, list[int]] = {}  # noqa: RUF012 - never mutated


#: ``_new_scanned((matches, word_count, words, numbers, marks))``: built in C, once per ad
_new_scanned = partial(tuple.__new__, Scanned)


class EntryMeta(NamedTuple):
    category: int  # index of the entry's category in the lexicon
    context_sensitive: bool
    accommodation_sensitive: bool
    severity: str
    role: int  # 1 masculine, 2 feminine, 0 other


class CompiledLexicon(PlaceRules):
    """A lexicon compiled for matching. Build it with :func:`compile_lexicon` (cached).

    ``keywords`` are words whose presence as a token :meth:`find` reports, ``markers`` strings
    whose every occurrence it reports (both for the structural checks).
    """

    def __init__(
        self,
        lexicon: Lexicon,
        keywords: frozenset[str] = frozenset(),
        markers: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(lexicon, keywords)
        self.markers = markers
        keys: dict[bytes, int] = {}
        key_alts: list[list[Alternative]] = []
        key_words: list[list[str]] = []
        key_marks: list[list[str]] = []

        def key_index(key: bytes) -> int:
            k = keys.setdefault(key, len(keys))
            if k == len(key_alts):
                key_alts.append([])
                key_words.append([])
                key_marks.append([])
            return k

        unanchored = []
        for alt in self.alternatives:
            starts = _starts(alt)
            if starts is None:
                unanchored.append(alt)
                continue
            for literal in set(starts):
                key_alts[key_index(_key(literal))].append(alt)
        for word in sorted(keywords):
            if word and word == word.strip(_STRIP):  # other words are never a token's core
                key_words[key_index(_key(word))].append(word)
        for marker in sorted(markers):
            if marker:  # found anywhere: the key has no leading space
                key_marks[key_index(_key(marker)[1:])].append(marker)
        digits = {key_index(_key(d)) for d in "0123456789"}
        self._key_alts = [tuple(a) for a in key_alts]
        self._key_words = [tuple(w) for w in key_words]
        self._key_marks = [tuple(m) for m in key_marks]
        self._kinds = [
            (1 if a else 0) | (2 if w else 0) | (4 if k in digits else 0) | (8 if m else 0)
            for k, (a, w, m) in enumerate(zip(key_alts, key_words, key_marks, strict=True))
        ]
        self._key_of = keys  # key -> index, and index -> key
        self._key_names = list(keys)
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            list(keys), implementation=ahocorasick_rs.Implementation.DFA
        )
        self._unanchored = tuple(unanchored)
        self._unanchored_re = re.compile(
            START + "(?=(?:" + "|".join(pattern_body(a.form) for a in unanchored) + "))"
        ) if unanchored else None
        # how to resolve a place: per key (built on first use) and per set of keys (bounded)
        self._rules = [None] * len(key_alts)
        self._key_set_rules = {}
        self._neighbour_cache = {}
        self._kinds_plain = self._plain_kinds()
        self.meta = self._entry_meta()
        self.category_names = tuple(lexicon.categories)
        #: indexes of the masculine and feminine categories (None unless both are on)
        self.gender = None if lexicon.masculine is None or lexicon.feminine is None else (
            self.category_names.index(lexicon.masculine),
            self.category_names.index(lexicon.feminine))

    def _entry_meta(self) -> tuple[EntryMeta, ...]:
        lex = self.lexicon
        index = {name: i for i, name in enumerate(lex.categories)}
        out = []
        for e in self.entries:
            cat = lex.categories[e.category]
            out.append(EntryMeta(index[e.category], cat.context_sensitive,
                                 cat.accommodation_sensitive, e.severity,
                                 _ROLE_CODE.get(cat.role or "", 0)))
        return tuple(out)

    # -- matching -----------------------------------------------------------------------------
    def find(self, low: str) -> Scanned:
        """Matches in a lower-cased text, its word count, keywords, number starts and markers.

        ``matches`` are exactly :meth:`find_reference`'s; ``word_count`` counts the
        whitespace-separated tokens holding a letter or digit; ``words`` are the
        :attr:`keywords` that some token equals once stripped of punctuation; ``numbers`` are
        the offsets where a number or currency sign starts (as
        :func:`fairhire.language.salary.number_starts`, less currency signs with no digit
        after); ``marks`` maps each of the :attr:`markers` found to where it occurs (every
        occurrence, overlapping ones included, in order).
        """
        # where alternatives may start: the longest key found there (the keys found at one
        # place are the keys that are prefixes of the longest), or (-1, key) where an
        # unanchored pattern may start too
        places: dict[int, Any] = {}
        words: set[str] = set()
        numbers: list[int] = []
        marks: dict[str, list[int]] = {}
        padded, count = b"  ", 0
        ascii_text = low.isascii()
        # in ASCII text without "_", a word character is exactly a non-space in ``padded``
        plain = ascii_text and "_" not in low
        if low:
            raw = low.encode("ascii", "replace")
            padded = b" " + raw.translate(_BOUNDARY) + b" "
            kinds = self._kinds_plain if plain else self._kinds
            key_marks, key_words = self._key_marks, self._key_words
            for k, s, _ in self._automaton.find_matches_as_indexes(padded, overlapping=True):
                kind = kinds[k]
                # matches come in the order of their ends: at one place, shortest first
                if kind == 1:  # only alternatives start with it (most hits): tested first
                    places[s] = k
                    continue
                if kind & 1:
                    places[s] = k
                    if kind & 16:  # a word that is an exception here: no place
                        del places[s]
                        if kind == 17:
                            continue
                # a digit (the commonest other key) starts a number unless it is inside one
                if kind & 4 and (s == 0 or (low[s - 1] not in ".,'’" and not low[s - 1].isalnum())):
                    numbers.append(s)
                if kind & 8 and s:  # a marker (written out: several per ad)
                    for marker in key_marks[k]:
                        if low.startswith(marker, s - 1):
                            found = marks.get(marker)
                            if found is None:
                                marks[marker] = [s - 1]
                            else:
                                found.append(s - 1)
                if kind & 2:  # a keyword: the token around it must be the word
                    for word in key_words[k]:
                        if word not in words and _is_token_core(low, s, word):
                            words.add(word)
            count = _ascii_word_count(raw) if ascii_text else word_count(low)
        if self._unanchored_re is not None:
            for m in self._unanchored_re.finditer(low):
                prev = places.get(m.start())
                places[m.start()] = (-1,) if prev is None else (-1, prev)
        return _new_scanned((self._resolve(low, places, padded, plain), count, words,
                             _with_currency(low, numbers), marks))

    def _resolve(self, low: str, places: dict[int, Any], padded: bytes,
                 plain: bool) -> list[Match]:
        """The expression's left-to-right matches, tried only at these places, less those a
        neighbour exception removes (``padded``: the automaton's copy of the text)."""
        out: list[Match] = []
        consumed = 0
        rules = self._rules
        set_rules = self._key_set_rules
        neighbours = self.has_neighbours
        cache = self._neighbour_cache
        for s in sorted(places):  # ints sort faster than (start, key) pairs
            if s < consumed:
                continue
            keys = places[s]
            if keys.__class__ is int:
                n, a, b, nb = rules[keys] or self._key_rule(keys)
            else:
                n, a, b, nb = set_rules.get(keys) or self._key_set_rule(keys)
            if n >= 0:
                # single words only: the longest that fits the word at s, no expression needed
                end = s + n
                entries = a
                if plain:
                    if padded[end + 1] != 32:  # the word goes on
                        if b is None:  # only a prefix form can take it all
                            continue
                        entries = b
                        nb = None  # the neighbour rules of a longer word
                        end = padded.index(32, end + 1) - 1
                else:
                    found = _word_at(low, s, end, b is not None)
                    if found < 0:
                        continue
                    if found > end:
                        entries = b
                        nb = None
                        end = found
            elif plain and nb is not None and (hit := nb[1].get(low[s : s + nb[0]])
                                               ) is not None and padded[s + nb[0] + 1] == 32:
                # a phrase written just so (see _phrase: its neighbour rules come with it),
                # its last word ending there (the text is looked at first: a key can be shorter
                # than its phrase, "cleanshaven" for "clean-shaven"; the text can end before it)
                end = s + nb[0]
                entries, nb = hit
            else:
                m = a(low, s)
                if m is None:
                    continue
                end = m.end()
                entries = b[m.lastindex]
                nb = None
            consumed = end
            if entries:  # an exception's span is consumed and not reported
                if neighbours:
                    if nb is None:
                        word = low[s:end]
                        nb = cache.get(word)
                        if nb is None:
                            nb = self._neighbour_rules_of(word)
                    if nb:
                        # whether a neighbour exception removes the word (written out: a call
                        # per word cost as much); cheap tests first (see _neighbour_check)
                        pre, fol, may_p, may_f, wp, wf, _, _ = nb
                        if fol is not None:
                            after = low[end : end + wf]
                            ok = may_f.get(after)
                            if ok is None:
                                ok = may_follow(nb, after)
                            if ok and fol(low, end) is not None:
                                continue
                        if pre is not None:
                            before = low[s - wp : s] if s >= wp else low[:s]
                            ok = may_p.get(before)
                            if ok is None:
                                ok = may_precede(nb, before)
                            if ok and pre(low[max(0, s - _NEIGHBOUR_WINDOW) : s][::-1]) is not None:
                                continue
                out.append(new_match((s, end, entries)))
        return out

    def scan_text(self, text: str) -> Scanned:
        """:meth:`find` on ``text`` lower-cased (same offsets)."""
        return self.find(lower_same_length(text))


def compile_lexicon(
    lexicon: Lexicon,
    keywords: frozenset[str] = frozenset(),
    markers: frozenset[str] = frozenset(),
) -> CompiledLexicon:
    """Compile (once per lexicon object, keyword set and marker set) and return the matcher."""
    store = getattr(lexicon, "_compiled", None)
    if store is None:
        store = {}
        object.__setattr__(lexicon, "_compiled", store)
    compiled = store.get((keywords, markers))
    if compiled is None:
        compiled = store[(keywords, markers)] = CompiledLexicon(lexicon, keywords, markers)
    return compiled
