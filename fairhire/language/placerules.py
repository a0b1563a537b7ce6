"""How the compiled matcher resolves a place: the rules it builds per key found there.

:class:`~fairhire.language.matcher.CompiledLexicon` finds the places where alternatives may
start (its automaton) and resolves them (its ``_resolve``); this mixin builds, on first use,
the rule of each place from the alternatives that start there: the longest single word that
fits, a phrase written just so, or the expression of those alternatives, each with the
neighbour exceptions of what it matches. It reads the automaton's tables that
``CompiledLexicon.__init__`` sets (``_key_alts``, ``_key_names``, ``_key_of``, ``_kinds``,
``_unanchored``, ``_rules``, ``_key_set_rules``, ``_neighbour_cache``).
"""

from __future__ import annotations

import re
from typing import Any

from .expression import Compiled, LexiconExpression
from .patterns import literal_starts
from .tokens import NEIGHBOUR_SEP_CHARS

_MAX_EXPRESSIONS = 512  # cached rules for sets of literals that start at the same place
_MAX_WORDS = 65_536  # matched words whose neighbour exceptions are remembered
_MAX_SIDES = 4096  # per word and side, the texts next to it whose cheap test is remembered
_SIMPLE = re.compile("[a-z0-9]+")
_PHRASE = re.compile("[a-z0-9]+(?:[ -][a-z0-9]+)+")  # words joined by a space or hyphen

# A rule says how to resolve a place: (n, entries, entries_more, neighbour rules) for single
# words (the longest form is n characters; entries when the word ends there, entries_more when
# it goes on, None: no match; the neighbour exceptions of the n-character word), or
# (-1, regex.match, entries per group number, phrase or None: see _phrase) for the expression.
Rule = tuple[int, Any, Any, Any]


class PlaceRules(LexiconExpression):
    """The rules of the compiled matcher's places (a mixin of
    :class:`~fairhire.language.matcher.CompiledLexicon`, which sets the tables it reads)."""

    _key_alts: list[tuple[Any, ...]]
    _key_names: list[bytes]
    _key_of: dict[bytes, int]
    _kinds: list[int]
    _unanchored: tuple[Any, ...]
    _rules: list[Rule | None]
    _key_set_rules: dict[tuple[int, ...], Rule]
    _neighbour_cache: dict[str, tuple[Any, ...]]

    def _plain_kinds(self) -> list[int]:
        """The key kinds for plain text (ASCII, no "_"), with 16 on the keys that need no
        place there: as the longest key found at a place, the key of single words that only
        ever make an exception match ("responsibilities", "analyse") or none. Such a place
        reports nothing, and since no place starts inside a word, the word it consumes
        changes nothing either. With unanchored patterns (tried at every word) none is left
        out."""
        kinds = list(self._kinds)
        if self._unanchored:
            return kinds
        entries = self.key_entries
        for k, key in enumerate(self._key_names):
            if kinds[k] & 1:
                words = self._words_for(self._prefix_keys(k))
                # the word ends where the key does (a space) or what takes a longer word is
                # an exception too (or nothing)
                if words is not None and not entries[words[1]] and (
                        key.endswith(b" ") or words[2] < 0 or not entries[words[2]]):
                    kinds[k] |= 16
        return kinds

    def _expression(self, keys: tuple[int, ...]) -> Compiled:
        """The expression of the alternatives that start with these keys (-1: unanchored)."""
        alts = {a.order: a for k in keys for a in (self._unanchored if k < 0 else self._key_alts[k])}
        return self.expression_for(alts.values())

    def _rule(self, keys: tuple[int, ...]) -> Rule:
        """How to resolve a place where these keys (sorted, distinct) start."""
        entries = self.key_entries
        words = self._words_for(keys)
        if words is not None:
            n, exact, more, form = words
            return (n, entries[exact], entries[more] if more >= 0 else None,
                    self._neighbour_check(form))
        regex, gi2key = self._expression(keys)
        by_group = [entries[k] if k >= 0 else () for k in gi2key]
        return (-1, regex.match, by_group, self._phrase(keys, regex, by_group))

    def _phrase(self, keys: tuple[int, ...], regex: re.Pattern[str],
                by_group: list[Any]) -> tuple[int, dict[str, Any]] | None:
        """Where only phrases can start ("culture fit", "clean-shaven" or "clean shaven"),
        ``(n, {phrase: (what a match reports, the phrase's neighbour rules)})`` for the
        longest ones (n characters) that are ASCII words joined by single spaces or hyphens;
        None for anything else (patterns, prefixes, "work hard, play hard"), where the
        expression runs.

        In plain text, where such a phrase is written just so and its last word ends, the
        place's expression matches what it matches on the phrase alone: every other form is
        as long or shorter and matches one character per character here (each separator is
        one, between letters), so none goes past the phrase, and none looks past the
        character after it."""
        if keys[0] < 0:
            return None
        alts = [a for k in keys for a in self._key_alts[k]]
        if any(a.kind != "exact" for a in alts):
            return None
        n = max(len(a.form) for a in alts)
        found = {}
        for form in {a.form for a in alts if len(a.form) == n}:
            m = regex.match(f" {form} ", 1)
            if not _PHRASE.fullmatch(form) or m is None or m.end() != 1 + n:
                return None
            found[form] = (by_group[m.lastindex],  # type: ignore[index]
                           self._neighbour_check(form))
        return n, found

    def _key_rule(self, k: int) -> Rule:
        """The rule of a place where ``k`` is the longest key found (see :meth:`find`)."""
        rule = self._rules[k] = self._rule(self._prefix_keys(k))
        return rule

    def _prefix_keys(self, k: int) -> tuple[int, ...]:
        """The alternatives' keys that are prefixes of key ``k`` (``k`` included), sorted:
        where ``k`` is found, exactly these are found at the same place."""
        key = self._key_names[k]
        index = self._key_of
        found = (index.get(key[:n]) for n in range(1, len(key) + 1))
        return tuple(sorted(j for j in found if j is not None and self._kinds[j] & 1))

    def _key_set_rule(self, keys: tuple[int, ...]) -> Rule:
        """The rule of a place where an unanchored pattern may start: ``(-1,)`` or ``(-1, k)``
        with ``k`` the longest key found there, remembered under these and the sorted keys."""
        key = tuple(sorted({-1, *(self._prefix_keys(keys[1]) if len(keys) > 1 else ())}))
        rules = self._key_set_rules
        rule = rules.get(key)
        if rule is None:
            if len(rules) >= _MAX_EXPRESSIONS:
                rules.clear()
            rule = rules[key] = self._rule(key)
        rules[keys] = rule
        return rule

    def _neighbour_rules_of(self, word: str) -> tuple[Any, ...]:
        """:meth:`_neighbour_check`, remembered (a bounded cache: job ads repeat their words)."""
        cache = self._neighbour_cache
        if len(cache) >= _MAX_WORDS:
            cache.clear()
        rules = cache[word] = self._neighbour_check(word)
        return rules

    def _neighbour_check(self, word: str) -> tuple[Any, ...]:
        """How the matcher tests a word's neighbour exceptions: ``(preceded-by match,
        followed-by match, what may precede, what may follow, wp, wf, tails, heads)``
        (``()``: none).

        An expression runs only where the characters next to the word may start one of its
        matches: a separator, then another one or the literal end (start) of an item, each
        item's own, up to four characters (``tails``, ``heads``: None when some item has
        none). That test reads the ``wp`` characters before the word (fewer at the text's
        start) and the ``wf`` after it, so its answer is remembered per such text, in the
        two dicts (see :func:`may_precede`): one slice and one look-up per side, and whole
        items' ends tested, not just as many characters as the shortest has."""
        rules = self.neighbour_rules(word)
        if not rules:
            return ()
        sides = []
        for side in (0, 1):
            found = [self._nb_ends[side, r[side]] for r in rules if r[side] is not None]
            ends = None if None in found else tuple(sorted(frozenset().union(*found)))
            sides.append((ends, 1 + max(map(len, ends or ()), default=1)))
        (tails, wp), (heads, wf) = sides
        return (*self.merged_neighbours(word), {}, {}, wp, wf, tails, heads)

    def _words_for(self, keys: tuple[int, ...]) -> tuple[int, int, int, str] | None:
        """For keys of single-word forms: (longest length, its key, key if the word goes on,
        the longest form).

        The expression's trie tries longer literals first: where the word ends right after
        the longest form, that form's key matches; where it goes on, the longest prefix form
        takes the whole word (-1: none, no match). None when some alternative of the keys is
        not a single ASCII word, or a prefix longer than its key.
        """
        if keys[0] < 0:  # sorted: -1 (unanchored patterns) comes first
            return None
        alts = {a.order: a for k in keys for a in self._key_alts[k]}
        # a prefix form's key is the whole form, except past the longest key (40 characters):
        # then the word found need not be the form, nor as long, and the expression decides
        if not alts or not all(
            a.kind != "pattern" and _SIMPLE.fullmatch(a.form)
            and (a.kind == "exact" or literal_starts(a.form) == [a.form])
            for a in alts.values()
        ):
            return None
        nodes: dict[str, tuple[list[tuple[bool, int]], list[tuple[bool, int]]]] = {}
        for order in sorted(alts):
            exact, prefix = nodes.setdefault(alts[order].form, ([], []))
            (exact if alts[order].kind == "exact" else prefix).append(alts[order].target)
        lengths = sorted(((len(form), ex, pre) for form, (ex, pre) in nodes.items()),
                         key=lambda x: x[0], reverse=True)
        n, ex, pre = lengths[0]
        more = next((self.key_for(p) for _, _, p in lengths if p), -1)
        form = next(form for form in nodes if len(form) == n)
        return (n, self.key_for(ex + pre), more, form)


def may_precede(check: tuple[Any, ...], before: str) -> bool:
    """Whether the preceded-by expression of a neighbour ``check`` may match where ``before``
    precedes the word (its last ``wp`` characters, or all before it near the text's start):
    a separator, and another one or the end of an item before it. Remembered."""
    tails = check[6]
    found = before[-1:] in NEIGHBOUR_SEP_CHARS and (
        tails is None or before[-2:-1] in NEIGHBOUR_SEP_CHARS or before[:-1].endswith(tails))
    return _remember(check[2], before, found)


def may_follow(check: tuple[Any, ...], after: str) -> bool:
    """Whether the followed-by expression of a neighbour ``check`` may match where ``after``
    (the ``wf`` characters after the word, fewer at the text's end) follows it: a separator,
    and another one or the start of an item after it. Remembered."""
    heads = check[7]
    found = after[:1] in NEIGHBOUR_SEP_CHARS and (
        heads is None or after[1:2] in NEIGHBOUR_SEP_CHARS or after[1:].startswith(heads))
    return _remember(check[3], after, found)


def _remember(memo: dict[str, bool], text: str, found: bool) -> bool:
    if len(memo) >= _MAX_SIDES:  # bounded: the texts next to a word are many in odd input
        memo.clear()
    memo[text] = found
    return found
