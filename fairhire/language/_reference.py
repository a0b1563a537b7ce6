"""The pure-Python matcher fairhire used before the compiled one: the reference implementation.

It splits the lower-cased text on whitespace, classifies each distinct token once (cached:
job ads share most of their vocabulary) and runs the lexicon's expression on the full text only
where a phrase or a pattern may start. Kept, unchanged in behaviour, as the oracle the compiled
matcher (:mod:`fairhire.language.matcher`) is tested against, and as the "before" figure of
``benchmarks/bench_scan.py``. Not used by the scanner.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import Any

from .expression import LexiconExpression, _edge, pattern_body
from .lexicon import Lexicon, entry_forms
from .patterns import derive_prefixes
from .tokens import _STRIP, START, WORD

__all__ = ["ReferenceMatcher"]

_MAX_CACHE = 200_000  # distinct tokens remembered
_MAX_TOKEN_CACHED = 64  # longer tokens are classified but not remembered
_SEP_CHAR = r"[\s\-\u2010-\u2015]"
_HAS_WORD = re.compile(r"\w")
_NUMERIC = re.compile(r"[0-9$€£¥₹]")
# every character str.split() splits on (str.isspace)
_SPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WORD_START = re.compile(START + r"(?=\w)")


class ReferenceMatcher(LexiconExpression):
    """The token-cache matcher. ``find(low)`` returns ``(matches, word_count, words, numeric)``."""

    def __init__(self, lexicon: Lexicon, keywords: frozenset[str] = frozenset()) -> None:
        super().__init__(lexicon, keywords)
        self._gi2key = self.main.gi2key
        self._is_exc = self.is_exc
        self._key_entries = self.key_entries
        self._cache: dict[str, Any] = {}
        self._kw_core: dict[str, str] = {}
        self._tok_re: dict[str, re.Pattern[str]] = {}
        first_words: set[str] = set()
        anchored: list[str] = []
        unanchored: list[str] = []
        for rule in (*self.exceptions, *self.entries):
            if rule.term is None:
                continue
            for form in entry_forms(rule):
                if rule.match != "pattern":
                    if " " in form:
                        head = form.split(" ", 1)[0]
                        first_words.add("".join(_edge(c) for c in head) + rf"(?:{_SEP_CHAR}|\Z)")
                    continue
                anchors = getattr(rule, "anchors", None)
                if anchors is not None:  # explicit anchors are whole words
                    anchored.extend("".join(_edge(c) for c in a) + f"(?!{WORD})" for a in anchors)
                    continue
                derived = derive_prefixes(form)
                if derived:
                    anchored.extend("".join(_edge(c) for c in a) for a in derived)
                else:
                    unanchored.append(pattern_body(form))
        spill = sorted(first_words | set(anchored))
        self.spill = re.compile(START + "(?=(?:" + "|".join(spill) + "))") if spill else None
        self.unanchored = (
            re.compile(START + "(?=(?:" + "|".join(unanchored) + "))") if unanchored else None
        )

    # -- token classification ---------------------------------------------------------------
    def _classify(self, tok: str) -> Any:
        """What one whitespace-free token holds, as cached by :meth:`find`.

        ``0``: a plain word with nothing to report. An ``int`` flag set: not a word (1), a
        keyword of :attr:`keywords` (2), holds a digit or currency sign (4). A ``tuple``
        ``(resolved, last_end, items, spills, flags)`` for a token where a match (or a phrase
        or pattern that may cross into the next tokens) starts: ``resolved`` are its matches
        when nothing before it reaches into it, ``items`` every candidate start (``le == -1``
        marks one that needs the full text).
        """
        flags = 0 if _HAS_WORD.search(tok) else 1
        if self.keywords:
            core = tok.strip(_STRIP)
            if core in self.keywords:
                self._kw_core[tok] = core
                flags |= 2
        if _NUMERIC.search(tok):
            flags |= 4
        spills = [m.start() for m in self.spill.finditer(tok)] if self.spill else []
        spill_set = set(spills)
        locs = []
        match = self.main.regex.match
        gi2key = self._gi2key
        for ws in _WORD_START.finditer(tok):
            p = ws.start()
            if p in spill_set:
                continue
            m = match(tok, p)
            if m is not None:
                locs.append((p, m.end(), gi2key[m.lastindex]))
        if not locs and not spills:
            return flags
        # the common case resolved once: nothing before the token reaches into it
        resolved = []
        last_end = -1
        for ls, le, k in locs:
            if ls < last_end:
                continue
            last_end = le
            if not self._is_exc[k]:
                resolved.append((ls, le, self._key_entries[k]))
        items = tuple(sorted(locs + [(sp, -1, -1) for sp in spills]))
        return (tuple(resolved), last_end, items, bool(spills), flags)

    def token_regex(self, tok: str) -> re.Pattern[str]:
        """A compiled expression finding ``tok`` as a whole whitespace-delimited token."""
        rx = self._tok_re.get(tok)
        if rx is None:
            if len(self._tok_re) > 10_000:
                self._tok_re.clear()
            # the literal comes first so that sre can use its fast literal search
            rx = self._tok_re[tok] = re.compile(
                re.escape(tok) + rf"(?<!\S[\s\S]{{{len(tok)}}})(?!\S)"
            )
        return rx

    def _clear_cache(self) -> None:
        self._cache.clear()
        self._kw_core.clear()

    # -- matching ---------------------------------------------------------------------------
    def _infos(self, toks: list[str]) -> list[Any]:
        """Each token's classification, from the cache or learned now."""
        cache = self._cache
        infos = list(map(cache.get, toks))  # one hash and lookup per token, in C
        if None in infos:  # tokens not seen before
            missing = {t for t, i in zip(toks, infos, strict=True) if i is None}
            if len(cache) + len(missing) > _MAX_CACHE:
                self._clear_cache()
            learned = {t: self._classify(t) for t in missing}
            for t, info in learned.items():
                if len(t) <= _MAX_TOKEN_CACHED:  # a huge token is classified, not remembered
                    cache[t] = info
            infos = [learned[t] if i is None else i for t, i in zip(toks, infos, strict=True)]
        return infos

    def _run_events(
        self, low: str, events: list[tuple[int, int, int]], consumed: int
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        """Matches at candidate places, in order, when unanchored patterns need the text."""
        assert self.unanchored is not None
        out = []
        events.extend((m.start(), -1, -1) for m in self.unanchored.finditer(low))
        events.sort()
        for s, e, k in events:
            if s < consumed:
                continue
            if e < 0:
                m = self.main.regex.match(low, s)
                if m is None:
                    continue
                e = m.end()
                k = self._gi2key[m.lastindex]  # type: ignore[index]
            consumed = e
            if not self._is_exc[k]:
                out.append((s, e, self._key_entries[k]))
        return out

    def find(
        self, low: str
    ) -> tuple[list[tuple[int, int, tuple[int, ...]]], int, set[str], set[str]]:
        """Matches in a lower-cased text, its word count, its keywords and numeric tokens.

        Returns ``([(start, end, entry indices), ...], word_count, words, numeric)``: the same
        matches as :meth:`find_reference`, with exceptions removed; the number of
        whitespace-separated tokens containing a letter or digit; which of :attr:`keywords`
        occur in the text; and the distinct tokens holding a digit or a currency sign.
        """
        toks = low.split()
        if not toks:
            return [], 0, set(), set()
        infos = self._infos(toks)
        word_count = len(toks)
        words: set[str] = set()
        numeric: set[str] = set()
        kw_core = self._kw_core
        # the tokens that hold something (a match, a phrase start, a keyword, a number), in order
        selected = zip(compress(toks, infos), filter(None, infos), strict=True)
        out: list[tuple[int, int, tuple[int, ...]]] = []
        match = self.main.regex.match
        gi2key = self._gi2key
        is_exc = self._is_exc
        key_entries = self._key_entries
        consumed = 0
        append = out.append
        events: list[tuple[int, int, int]] | None = [] if self.unanchored is not None else None
        find = low.find
        n = len(low)
        pos = 0
        for tok, info in selected:
            plain = info.__class__ is int  # flags only, no match starts in this token
            flags = info if plain else info[4]
            if flags:
                if flags & 1:
                    word_count -= 1
                if flags & 2:
                    words.add(kw_core.get(tok) or tok.strip(_STRIP))
                if flags & 4:
                    numeric.add(tok)
            if plain:
                continue
            resolved, last_end, items, spills, _ = info
            size = len(tok)
            off = find(tok, pos)
            # the k-th hit token is the first whole whitespace-delimited run equal to it
            if off >= 0 and not (
                (off == 0 or low[off - 1] in _SPACE) and (off + size == n or low[off + size] in _SPACE)
            ):
                # a short token ("he") also occurs inside other words: let sre skip those
                m = self.token_regex(tok).search(low, off + 1)
                off = m.start() if m is not None else -1
            if off < 0:  # pragma: no cover - cannot happen: tok is a token of low
                return self.find_reference(low), word_count, words, numeric
            pos = off + size
            if events is not None:
                events.extend((off + ls, off + le if le >= 0 else -1, k) for ls, le, k in items)
                continue
            if not spills and consumed <= off:
                for ls, le, entries in resolved:
                    append((off + ls, off + le, entries))
                if last_end >= 0:
                    consumed = off + last_end
                continue
            for ls, le, k in items:
                s = off + ls
                if s < consumed:
                    continue
                if le < 0:
                    m = match(low, s)
                    if m is None:
                        continue
                    e = m.end()
                    k = gi2key[m.lastindex]
                else:
                    e = off + le
                consumed = e
                if not is_exc[k]:
                    append((s, e, key_entries[k]))
        if events is not None:
            out += self._run_events(low, events, consumed)
        out = self.drop_neighbour_exceptions(low, out)
        return out, word_count, words, numeric

