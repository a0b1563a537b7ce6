"""Compile a lexicon into one regular expression and match it in linear time.

Every term of a lexicon goes into a trie, written out as one regular expression whose
alternatives share their prefixes: ``lead`` (prefix), ``leads`` and ``lead engineer`` become
``lead(?:s...|<sep>engineer...|<end>|<more letters>)``. Longer alternatives come first at each
node, so at a given position the longest literal wins and prefix entries take the whole word.
Exceptions live in the same expression: when an exception matches, its span is consumed and not
reported, exactly like a match that is thrown away. Regex patterns from the lexicon are tried
before words and phrases at the same position. Every repetition in the generated expression is
bounded by the word it sits in or by a small constant, so matching is linear in the text length.

Matching a whole text with that expression is the *reference* semantics
(:meth:`CompiledLexicon.find_reference`: ``finditer`` from left to right, non-overlapping).
:meth:`CompiledLexicon.find` computes exactly the same matches faster: it splits the lower-cased
text on whitespace, classifies each distinct token once (cached across calls: job ads share most
of their vocabulary), and only runs the expression on the full text where a phrase or a pattern
may start. A match cannot cross whitespace unless it starts with the first word of a phrase or
an anchor word of a pattern, so everything else can be decided token by token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from ..errors import InvalidParameterError
from .lexicon import Entry, ExceptionRule, Lexicon, entry_forms
from .tokens import _STRIP, APOSTROPHE, HYPHEN, NEIGHBOUR_SEP, PHRASE_SEP, START, WORD

try:  # Python >= 3.11 keeps the parser here (the top-level modules are deprecated)
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["CompiledLexicon", "compile_lexicon"]

_MAX_CACHE = 200_000  # distinct tokens remembered per compiled lexicon
_MAX_TOKEN_CACHED = 64  # longer tokens are classified but not remembered
_NEIGHBOUR_WINDOW = 64
_SEP_CHAR = r"[\s\-\u2010-\u2015]"
_HAS_WORD = re.compile(r"\w")
_NUMERIC = re.compile(r"[0-9$€£¥₹]")
# every character str.split() splits on (str.isspace)
_SPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WORD_START = re.compile(START + r"(?=\w)")


def _edge(ch: str) -> str:
    if ch == " ":
        return PHRASE_SEP
    if ch == "-":
        return HYPHEN
    if ch == "'":
        return APOSTROPHE
    return re.escape(ch)


@dataclass
class _Node:
    children: dict[str, _Node]
    exact: list[tuple[bool, int]]
    prefix: list[tuple[bool, int]]


def _new_node() -> _Node:
    return _Node(children={}, exact=[], prefix=[])


class CompiledLexicon:
    """A lexicon compiled for matching. Build it with :func:`compile_lexicon` (cached)."""

    def __init__(self, lexicon: Lexicon, keywords: frozenset[str] = frozenset()) -> None:
        self.lexicon = lexicon
        #: words (stripped of punctuation) whose presence find() reports, for cheap prefilters
        self.keywords = keywords
        self.entries: tuple[Entry, ...] = lexicon.entries
        self.exceptions: tuple[ExceptionRule, ...] = lexicon.exceptions
        self._keys: list[tuple[bool, tuple[int, ...]]] = []
        self._key_of: dict[tuple[bool, tuple[int, ...]], int] = {}
        self._markers: list[int] = []  # marker group number -> key
        self._build()
        self._cache: dict[str, Any] = {}
        self._kw_core: dict[str, str] = {}
        self._tok_re: dict[str, re.Pattern[str]] = {}

    # -- building ---------------------------------------------------------------------------
    def _key(self, targets: Sequence[tuple[bool, int]]) -> str:
        if any(is_exc for is_exc, _ in targets):
            key: tuple[bool, tuple[int, ...]] = (True, ())
        else:
            seen: dict[str, int] = {}
            for _, idx in targets:  # one finding per category for a span
                seen.setdefault(self.entries[idx].category, idx)
            key = (False, tuple(seen.values()))
        k = self._key_of.get(key)
        if k is None:
            k = len(self._keys)
            self._keys.append(key)
            self._key_of[key] = k
        # a fresh (empty) marker group per place in the expression: group names must be unique
        self._markers.append(k)
        return f"(?P<_fh{len(self._markers) - 1}>)"

    def _build(self) -> None:
        root = _new_node()
        first_words: set[str] = set()
        anchored: list[str] = []
        unanchored: list[str] = []
        pattern_alts: list[str] = []

        def add_literal(form: str, kind: str, target: tuple[bool, int]) -> None:
            node = root
            for ch in form:
                node = node.children.setdefault(ch, _new_node())
            (node.exact if kind == "exact" else node.prefix).append(target)
            if " " in form:
                head = form.split(" ", 1)[0]
                # inside a token the head ends the token or is followed by a hyphen or dash
                first_words.add("".join(_edge(c) for c in head) + rf"(?:{_SEP_CHAR}|\Z)")

        def add_pattern(pattern: str, anchors: Sequence[str] | None, where: str,
                        target: tuple[bool, int]) -> None:
            _validate_pattern(pattern, where)
            # the text is lower-cased: only patterns with upper-case letters need (?i:...)
            body = f"(?i:{pattern})" if _has_upper_literal(pattern) else f"(?:{pattern})"
            wrapped = f"{body}(?!{WORD})"
            alt = wrapped + self._key([target])
            pattern_alts.append(alt)
            if anchors is not None:  # explicit anchors are whole words
                anchored.extend("".join(_edge(c) for c in a) + f"(?!{WORD})" for a in anchors)
                return
            derived = _derive_anchors(pattern)  # derived anchors are word prefixes
            if derived:
                anchored.extend("".join(_edge(c) for c in a) for a in derived)
            else:
                unanchored.append(wrapped)

        # exception patterns are tried first, then coded patterns, then the trie
        for i, exc in enumerate(self.exceptions):
            if exc.term is None:
                continue
            if exc.match == "pattern":
                for form in entry_forms(exc):
                    add_pattern(form, None, f"exception {exc.id!r}", (True, i))
            else:
                for form in entry_forms(exc):
                    add_literal(form, "prefix" if exc.match == "prefix" else "exact", (True, i))
        for i, entry in enumerate(self.entries):
            if entry.match == "pattern":
                for form in entry_forms(entry):
                    add_pattern(form, entry.anchors, f"term {entry.id!r}", (False, i))
            else:
                kind = "prefix" if entry.match == "prefix" else "exact"
                for form in entry_forms(entry):
                    add_literal(form, kind, (False, i))

        trie = self._emit(root) if (root.children or root.exact or root.prefix) else None
        alts = pattern_alts + ([trie] if trie else [])
        if not alts:
            alts = ["(?!)"]
        source = START + "(?:" + "|".join(alts) + ")"
        try:
            self.main = re.compile(source)
        except (re.error, RecursionError, OverflowError) as exc:  # pragma: no cover - validated
            raise InvalidParameterError(
                f"lexicon {self.lexicon.name!r} could not be compiled: {exc}"
            ) from exc
        self._gi2key = [-1] * (self.main.groups + 1)
        for name, gi in self.main.groupindex.items():
            if name.startswith("_fh"):
                self._gi2key[gi] = self._markers[int(name[3:])]
        self._is_exc = [k[0] for k in self._keys]
        self._key_entries = [k[1] for k in self._keys]

        spill = sorted(first_words | set(anchored))
        self.spill = re.compile(START + "(?=(?:" + "|".join(spill) + "))") if spill else None
        self.unanchored = (
            re.compile(START + "(?=(?:" + "|".join(unanchored) + "))") if unanchored else None
        )
        self._build_neighbours()

    def _emit(self, node: _Node) -> str:
        alts = [_edge(ch) + self._emit(child) for ch, child in sorted(node.children.items())]
        if node.exact or node.prefix:
            alts.append(f"(?!{WORD})" + self._key(node.exact + node.prefix))
        if node.prefix:
            alts.append(f"{WORD}+" + self._key(node.prefix))
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    def _build_neighbours(self) -> None:
        rules = []
        for exc in self.exceptions:
            if not exc.words:
                continue
            exact = frozenset(w for w in exc.words if not w.endswith("*"))
            prefixes = tuple(w[:-1] for w in exc.words if w.endswith("*"))
            pre = None
            if exc.preceded_by:
                items = sorted(
                    ("".join(_nb_edge(c) for c in reversed(w)) for w in exc.preceded_by),
                    key=len,
                    reverse=True,
                )
                pre = re.compile(NEIGHBOUR_SEP + "(?:" + "|".join(items) + f")(?!{WORD})")
            fol = None
            if exc.followed_by:
                items = sorted(
                    (
                        "".join(_nb_edge(c) for c in w.rstrip("*"))
                        + (f"{WORD}*" if w.endswith("*") else "")
                        for w in exc.followed_by
                    ),
                    key=len,
                    reverse=True,
                )
                fol = re.compile(NEIGHBOUR_SEP + "(?:" + "|".join(items) + f")(?!{WORD})")
            rules.append((exact, prefixes, pre, fol))
        by_word: dict[str, list[tuple[Any, Any]]] = {}
        prefix_rules: list[tuple[tuple[str, ...], Any, Any]] = []
        for exact, prefixes, pre, fol in rules:
            for w in exact:
                by_word.setdefault(w, []).append((pre, fol))
            if prefixes:
                prefix_rules.append((prefixes, pre, fol))
        self._nb_by_word = by_word
        self._nb_prefix = prefix_rules
        self._has_neighbours = bool(rules)

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
        match = self.main.match
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
        word_count = len(toks)
        words: set[str] = set()
        numeric: set[str] = set()
        kw_core = self._kw_core
        # the tokens that hold something (a match, a phrase start, a keyword, a number), in order
        selected = zip(compress(toks, infos), filter(None, infos), strict=True)
        out: list[tuple[int, int, tuple[int, ...]]] = []
        match = self.main.match
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
            if info.__class__ is int:
                if info & 1:
                    word_count -= 1
                if info & 2:
                    words.add(kw_core.get(tok) or tok.strip(_STRIP))
                if info & 4:
                    numeric.add(tok)
                continue
            resolved, last_end, items, spills, flags = info
            if flags:
                if flags & 1:
                    word_count -= 1
                if flags & 2:
                    words.add(kw_core.get(tok) or tok.strip(_STRIP))
                if flags & 4:
                    numeric.add(tok)
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
            assert self.unanchored is not None
            events.extend((m.start(), -1, -1) for m in self.unanchored.finditer(low))
            events.sort()
            for s, e, k in events:
                if s < consumed:
                    continue
                if e < 0:
                    m = match(low, s)
                    if m is None:
                        continue
                    e = m.end()
                    k = gi2key[m.lastindex]
                consumed = e
                if not is_exc[k]:
                    out.append((s, e, key_entries[k]))
        if self._has_neighbours and out:
            out = self._drop_neighbour_exceptions(low, out)
        return out, word_count, words, numeric

    def find_reference(self, low: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """The reference semantics: one left-to-right pass of the compiled expression."""
        out = []
        gi2key = self._gi2key
        for m in self.main.finditer(low):
            k = gi2key[m.lastindex]
            if not self._is_exc[k]:
                out.append((m.start(), m.end(), self._key_entries[k]))
        if self._has_neighbours and out:
            out = self._drop_neighbour_exceptions(low, out)
        return out

    def _drop_neighbour_exceptions(
        self, low: str, matches: list[tuple[int, int, tuple[int, ...]]]
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        kept = []
        by_word = self._nb_by_word
        prefix_rules = self._nb_prefix
        for item in matches:
            s, e, _ = item
            word = low[s:e]
            rules = by_word.get(word)
            if rules is None and "\u2019" in word:
                word = word.replace("\u2019", "'")
                rules = by_word.get(word)
            if prefix_rules:
                extra = [(pre, fol) for pfx, pre, fol in prefix_rules if word.startswith(pfx)]
                if extra:
                    rules = (rules or []) + extra
            if rules and self._neighbour_hit(low, s, e, rules):
                continue
            kept.append(item)
        return kept

    @staticmethod
    def _neighbour_hit(low: str, s: int, e: int, rules: list[tuple[Any, Any]]) -> bool:
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


def _nb_edge(ch: str) -> str:
    if ch == " ":
        return NEIGHBOUR_SEP
    if ch == "-":
        return r"[\-\u2010\u2011]?"
    if ch == "'":
        return APOSTROPHE
    return re.escape(ch)


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


# -- pattern checks ---------------------------------------------------------------------------

_C = sre_constants
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
if hasattr(_C, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_C.POSSESSIVE_REPEAT)


def _validate_pattern(pattern: str, where: str) -> None:
    """Reject patterns that could take more than linear time or break the combined expression."""
    try:
        re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise InvalidParameterError(f"{where}: invalid regular expression {pattern!r}: {exc}") from exc
    if parsed.state.groupdict:
        raise InvalidParameterError(
            f"{where}: pattern {pattern!r} uses a named group; use (?:...) instead."
        )
    lo, _hi = parsed.getwidth()
    if lo == 0:
        raise InvalidParameterError(
            f"{where}: pattern {pattern!r} can match the empty string; make it match at least "
            "one character."
        )
    problem = _scan_ops(list(parsed), inside_unbounded=False)
    if problem:
        raise InvalidParameterError(
            f"{where}: pattern {pattern!r} {problem}. Such patterns can take exponential or "
            "quadratic time on some texts; rewrite it with bounded repetitions ({0,3})."
        )


def _scan_ops(items: list[Any], *, inside_unbounded: bool) -> str | None:
    for op, av in items:
        if op in (_C.GROUPREF, _C.GROUPREF_EXISTS):
            return "uses a back-reference"
        if op in _REPEATS:
            _lo, hi, sub = av
            unbounded = hi == _C.MAXREPEAT or hi > 1000
            if unbounded and inside_unbounded:
                return "nests an unbounded repetition inside another"
            if unbounded and _matches_anything(list(sub)):
                return "repeats '.' or a negated class without bound"
            found = _scan_ops(list(sub), inside_unbounded=inside_unbounded or unbounded)
            if found:
                return found
        elif op is _C.SUBPATTERN:
            found = _scan_ops(list(av[-1]), inside_unbounded=inside_unbounded)
            if found:
                return found
        elif op is _C.BRANCH:
            for branch in av[1]:
                found = _scan_ops(list(branch), inside_unbounded=inside_unbounded)
                if found:
                    return found
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            found = _scan_ops(list(av[1]), inside_unbounded=inside_unbounded)
            if found:
                return found
    return None


def _matches_anything(items: list[Any]) -> bool:
    for op, av in items:
        if op is _C.ANY or op is _C.NOT_LITERAL:
            return True
        if op is _C.IN and av and av[0][0] is _C.NEGATE:
            return True
    return False


def _has_upper_literal(pattern: str) -> bool:
    """Whether a parsed pattern matches an upper-case letter literally somewhere."""

    def walk(items: list[Any]) -> bool:
        for op, av in items:
            if op is _C.LITERAL and chr(av) != chr(av).lower():
                return True
            if op is _C.IN and any(
                (o is _C.LITERAL and chr(v) != chr(v).lower())
                or (o is _C.RANGE and any(chr(c) != chr(c).lower() for c in range(v[0], v[1] + 1)))
                for o, v in av
            ):
                return True
            if op in _REPEATS and walk(list(av[2])):
                return True
            if op is _C.SUBPATTERN and walk(list(av[-1])):
                return True
            if op is _C.BRANCH and any(walk(list(b)) for b in av[1]):
                return True
            if op in (_C.ASSERT, _C.ASSERT_NOT) and walk(list(av[1])):
                return True
        return False

    return walk(list(_sre_parse.parse(pattern)))


def _derive_anchors(pattern: str) -> list[str] | None:
    """Literal words every match of ``pattern`` starts with, or None when there are none."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:  # pragma: no cover - validated before
        return None
    prefixes = _prefixes(list(parsed))
    if not prefixes or any(not p or not p[0].isalnum() for p in prefixes):
        return None
    return sorted({p.lower() for p in prefixes})


def _prefixes(items: list[Any]) -> set[str] | None:
    acc = ""
    for op, av in items:
        if op is _C.LITERAL:
            acc += chr(av)
            continue
        if acc:
            return {acc}
        if op is _C.SUBPATTERN:
            return _prefixes(list(av[-1]))
        if op is _C.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                sub = _prefixes(list(branch))
                if not sub:
                    return None
                out |= sub
            return out
        if op in _REPEATS and av[0] >= 1:
            return _prefixes(list(av[2]))
        if op is _C.IN:
            chars = _class_chars(av)
            return set(chars) if chars else None
        return None
    return {acc} if acc else None


def _class_chars(av: list[Any]) -> list[str] | None:
    chars: list[str] = []
    for op, val in av:
        if op is _C.LITERAL:
            chars.append(chr(val))
        elif op is _C.RANGE and val[1] - val[0] < 40:
            chars.extend(chr(c) for c in range(val[0], val[1] + 1))
        elif op is _C.CATEGORY and val is _C.CATEGORY_DIGIT:
            chars.extend("0123456789")
        else:
            return None
    return chars
