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
the text's offsets). A literal at a word start therefore follows a space, and the automaton's
keys are the literals with a space in front: nothing is found inside words.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import ahocorasick_rs

from .expression import Alternative, Compiled, LexiconExpression, Match, new_match, pattern_body
from .lexicon import Lexicon
from .patterns import has_upper_literal, literal_starts, pattern_starts
from .tokens import _STRIP, MARKS, START, WORD, lower_same_length

__all__ = ["CompiledLexicon", "Scanned", "compile_lexicon", "word_count"]

_ROLE_CODE = {"masculine": 1, "feminine": 2}
_MAX_EXPRESSIONS = 512  # cached expressions for sets of literals that start at the same place


def _table(word: bytes, space: bytes) -> bytes:
    return bytes((c if c in word else space[0]) for c in range(256))


_ALNUM = b"abcdefghijklmnopqrstuvwxyz0123456789"
#: ASCII letters and digits stay (upper case lowered), everything else becomes a space
_BOUNDARY = _table(_ALNUM, b" ").translate(
    bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
)
#: for counting words in ASCII text: whitespace -> space, word characters -> "w", rest deleted
_WS = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_WORDS_TABLE = bytes(
    (32 if c in _WS else 119) for c in range(256)
)
_NOT_WORD = bytes(c for c in range(128) if c not in _WS and not (chr(c).isalnum() or c == 95))
_HAS_WORD = re.compile(r"\w")
_SPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_STRIP_SET = frozenset(_STRIP)
# punctuation that str.strip(_STRIP) removes, up to the next whitespace (which ends a token)
_STRIP_RUN = re.compile("[" + re.escape("".join(sorted(set(_STRIP) - _SPACE))) + "]*")
_CURRENCY = frozenset("$€£¥₹")
_SIMPLE = re.compile("[a-z0-9]+")
_WORD_RUN = re.compile(WORD + "+")
_MARK = re.compile(f"[{MARKS}]")


def _key(literal: str) -> bytes:
    return b" " + literal.encode("ascii", "replace").translate(_BOUNDARY)


def _starts(alt: Alternative) -> list[str] | None:
    """What every match of an alternative starts with, in the automaton's alphabet."""
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


class EntryMeta(NamedTuple):
    category: int  # index of the entry's category in the lexicon
    context_sensitive: bool
    accommodation_sensitive: bool
    severity: str
    role: int  # 1 masculine, 2 feminine, 0 other


class CompiledLexicon(LexiconExpression):
    """A lexicon compiled for matching. Build it with :func:`compile_lexicon` (cached)."""

    def __init__(self, lexicon: Lexicon, keywords: frozenset[str] = frozenset()) -> None:
        super().__init__(lexicon, keywords)
        keys: dict[bytes, int] = {}
        key_alts: list[list[Alternative]] = []
        key_words: list[list[str]] = []

        def key_index(literal: str) -> int:
            k = keys.setdefault(_key(literal), len(keys))
            if k == len(key_alts):
                key_alts.append([])
                key_words.append([])
            return k

        unanchored = []
        for alt in self.alternatives:
            starts = _starts(alt)
            if starts is None:
                unanchored.append(alt)
                continue
            for literal in set(starts):
                key_alts[key_index(literal)].append(alt)
        for word in sorted(keywords):
            if word and word == word.strip(_STRIP):  # other words are never a token's core
                key_words[key_index(word)].append(word)
        digits = {key_index(d) for d in "0123456789"}
        self._key_alts = [tuple(a) for a in key_alts]
        self._key_words = [tuple(w) for w in key_words]
        self._kinds = [
            (1 if a else 0) | (2 if w else 0) | (4 if k in digits else 0)
            for k, (a, w) in enumerate(zip(key_alts, key_words, strict=True))
        ]
        # keys whose alternatives are all single ASCII words: resolved without the expression
        self._simple_rules: dict[tuple[int, ...], tuple[int, int, int] | None] = {}
        self._simple = [self._words_for((k,)) for k in range(len(key_alts))]
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            list(keys), implementation=ahocorasick_rs.Implementation.DFA
        )
        self._unanchored = tuple(unanchored)
        self._unanchored_re = re.compile(
            START + "(?=(?:" + "|".join(pattern_body(a.form) for a in unanchored) + "))"
        ) if unanchored else None
        self._expressions: dict[tuple[int, ...], Compiled] = {}
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

    def _expression(self, keys: tuple[int, ...]) -> Compiled:
        """The expression of the alternatives that start with these keys (-1: unanchored)."""
        found = self._expressions.get(keys)
        if found is None:
            alts = {a.order: a for k in keys
                    for a in (self._unanchored if k < 0 else self._key_alts[k])}
            if len(self._expressions) >= _MAX_EXPRESSIONS:
                self._expressions.clear()
            found = self._expressions[keys] = self.expression_for(alts.values())
        return found

    # -- matching -----------------------------------------------------------------------------
    def find(self, low: str) -> Scanned:
        """Matches in a lower-cased text, its word count, keywords and number starts.

        ``matches`` are exactly :meth:`find_reference`'s; ``word_count`` counts the
        whitespace-separated tokens holding a letter or digit; ``words`` are the
        :attr:`keywords` that some token equals once stripped of punctuation; ``numbers`` are
        the offsets where a number or currency sign starts (as
        :func:`fairhire.language.salary.number_starts`, less currency signs with no digit after).
        """
        places: dict[int, list[int]] = {}
        words: set[str] = set()
        numbers: list[int] = []
        if low:
            padded = b" " + low.encode("ascii", "replace").translate(_BOUNDARY)
            kinds, key_words = self._kinds, self._key_words
            for k, s, _ in self._automaton.find_matches_as_indexes(padded, overlapping=True):
                kind = kinds[k]
                if kind & 1:
                    at = places.get(s)
                    if at is None:
                        places[s] = [k]
                    else:
                        at.append(k)
                if kind & 2:
                    for word in key_words[k]:
                        if word not in words and _is_token_core(low, s, word):
                            words.add(word)
                if kind & 4 and (s == 0 or (low[s - 1] not in ".,'’" and not low[s - 1].isalnum())):
                    numbers.append(s)
        if self._unanchored_re is not None:
            for m in self._unanchored_re.finditer(low):
                places.setdefault(m.start(), []).append(-1)
        matches = self.drop_neighbour_exceptions(low, self._resolve(low, places))
        return Scanned(matches, word_count(low), words, _with_currency(low, numbers))

    def _resolve(self, low: str, places: dict[int, list[int]]) -> list[Match]:
        """The expression's left-to-right matches, tried only at these places."""
        out: list[Match] = []
        consumed = 0
        size = len(low)
        is_exc, key_entries, simple = self.is_exc, self.key_entries, self._simple
        word_end = _WORD_RUN.match
        for s in sorted(places):
            if s < consumed:
                continue
            keys = places[s]
            key = (keys[0],) if len(keys) == 1 else tuple(sorted(set(keys)))
            # -1 stands for the unanchored patterns: never single words
            rule = simple[key[0]] if len(key) == 1 and key[0] >= 0 else self._words_for(key)
            if rule is not None:
                # single words only: the longest that fits the word at s, no expression needed
                if s:
                    c = low[s - 1]
                    if c.isalnum() or c == "_" or (c > "\x7f" and _MARK.match(c)):
                        continue  # not the start of a word
                n, k, more = rule
                end = s + n
                if end < size:
                    c = low[end]
                    if c.isalnum() or c == "_" or (c > "\x7f" and _MARK.match(c)):
                        if more < 0:  # the word goes on: only a prefix form can take it all
                            continue
                        k = more
                        end = word_end(low, end).end()  # type: ignore[union-attr]
            else:
                regex, gi2key = self._expression(key)
                m = regex.match(low, s)
                if m is None:
                    continue
                end = m.end()
                k = gi2key[m.lastindex]  # type: ignore[index]
            consumed = end
            if not is_exc[k]:
                out.append(new_match((s, end, key_entries[k])))
        return out

    def _words_for(self, keys: tuple[int, ...]) -> tuple[int, int, int] | None:
        """For keys of single-word forms: (longest length, its key, key if the word goes on).

        The expression's trie tries longer literals first: where the word ends right after
        the longest form, that form's key matches; where it goes on, the longest prefix form
        takes the whole word (-1: none, no match). None when some alternative of the keys is
        not a single ASCII word.
        """
        if keys in self._simple_rules:
            return self._simple_rules[keys]
        if keys[0] < 0:  # sorted: -1 (unanchored patterns) comes first
            return None
        alts = {a.order: a for k in keys for a in self._key_alts[k]}
        found = None
        if alts and all(a.kind != "pattern" and _SIMPLE.fullmatch(a.form) for a in alts.values()):
            nodes: dict[str, tuple[list[tuple[bool, int]], list[tuple[bool, int]]]] = {}
            for order in sorted(alts):
                exact, prefix = nodes.setdefault(alts[order].form, ([], []))
                (exact if alts[order].kind == "exact" else prefix).append(alts[order].target)
            lengths = sorted(((len(form), ex, pre) for form, (ex, pre) in nodes.items()),
                             key=lambda x: x[0], reverse=True)
            n, ex, pre = lengths[0]
            more = next((self.key_for(p) for _, _, p in lengths if p), -1)
            found = (n, self.key_for(ex + pre), more)
        if len(self._simple_rules) >= _MAX_EXPRESSIONS:
            self._simple_rules.clear()
        self._simple_rules[keys] = found
        return found

    def scan_text(self, text: str) -> Scanned:
        """:meth:`find` on ``text`` lower-cased (same offsets)."""
        return self.find(lower_same_length(text))


def _with_currency(low: str, digits: list[int]) -> list[int]:
    """Number starts: these digits and a currency sign just before them (or one space before).

    A currency sign with no digit after it starts no amount, so it is left out.
    """
    if not digits:
        return digits
    out = []
    for d in digits:
        if d >= 1 and low[d - 1] in _CURRENCY:
            out.append(d - 1)
        elif d >= 2 and low[d - 2] in _CURRENCY and low[d - 1].isspace():
            out.append(d - 2)
        out.append(d)
    return out


def _is_token_core(low: str, s: int, word: str) -> bool:
    """Whether the whitespace-separated token around ``s`` is ``word`` plus punctuation."""
    e = s + len(word)
    if not low.startswith(word, s):
        return False
    end = _STRIP_RUN.match(low, e).end()  # type: ignore[union-attr]
    if end < len(low) and low[end] not in _SPACE:
        return False
    j = s - 1
    while j >= 0 and low[j] not in _SPACE:
        if low[j] not in _STRIP_SET:
            return False
        j -= 1
    return True


def word_count(low: str) -> int:
    """Whitespace-separated tokens that hold a letter, digit or underscore.

    Examples
    --------
    >>> word_count("Lead - the team, 24/7 !")
    4
    """
    if low.isascii():
        words = low.encode("ascii").translate(_WORDS_TABLE, _NOT_WORD)
        return (b" " + words).count(b" w")
    tokens = Counter(low.split())
    return sum(n for tok, n in tokens.items() if _HAS_WORD.search(tok))


def compile_lexicon(lexicon: Lexicon, keywords: frozenset[str] = frozenset()) -> CompiledLexicon:
    """Compile (once per lexicon object and keyword set) and return the matcher."""
    store = getattr(lexicon, "_compiled", None)
    if store is None:
        store = {}
        object.__setattr__(lexicon, "_compiled", store)
    compiled = store.get(keywords)
    if compiled is None:
        compiled = store[keywords] = CompiledLexicon(lexicon, keywords)
    return compiled
