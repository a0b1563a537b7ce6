"""Checks and facts about the regular-expression patterns of a lexicon.

A lexicon may hold Python regular expressions (``match = "pattern"``). Before one goes into the
compiled matcher it is checked (:func:`validate_pattern`: no back-references, no named groups,
no empty match, no nested or unbounded repetition of "anything", so matching stays linear), and
the literal words every match starts with are worked out (:func:`derive_prefixes`), so that the
matcher only tries the pattern where one of them occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import InvalidParameterError

try:  # Python >= 3.11 keeps the parser here (the top-level modules are deprecated)
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["derive_prefixes", "has_upper_literal", "validate_pattern"]

_C = sre_constants
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
if hasattr(_C, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_C.POSSESSIVE_REPEAT)
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}


def validate_pattern(pattern: str, where: str) -> None:
    """Reject patterns that could take more than linear time or break the combined expression.

    Examples
    --------
    >>> validate_pattern("native speakers?", "term 'native'")  # fine: returns None
    >>> try:
    ...     validate_pattern("(a+)+b", "term 'x'")
    ... except InvalidParameterError as exc:
    ...     print(str(exc)[:55])
    term 'x': pattern '(a+)+b' nests an unbounded repetitio"""
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
        found = None
        if op in _REPEATS:
            _lo, hi, sub = av
            unbounded = hi == _C.MAXREPEAT or hi > 1000
            if unbounded and inside_unbounded:
                return "nests an unbounded repetition inside another"
            if unbounded and _matches_anything(list(sub)):
                return "repeats '.' or a negated class without bound"
            found = _scan_ops(list(sub), inside_unbounded=inside_unbounded or unbounded)
        elif op is _C.SUBPATTERN:
            found = _scan_ops(list(av[-1]), inside_unbounded=inside_unbounded)
        elif op is _C.BRANCH:
            for branch in av[1]:
                found = found or _scan_ops(list(branch), inside_unbounded=inside_unbounded)
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


def has_upper_literal(pattern: str) -> bool:
    """Whether a parsed pattern matches an upper-case letter literally somewhere.

    Examples
    --------
    >>> has_upper_literal("US citizen"), has_upper_literal("us citizen")
    (True, False)"""

    def upper(c: int) -> bool:
        return chr(c) != chr(c).lower()

    def walk(items: list[Any]) -> bool:
        for op, av in items:
            if op is _C.LITERAL and upper(av):
                return True
            if op is _C.IN and any(
                (o is _C.LITERAL and upper(v))
                or (o is _C.RANGE and any(upper(c) for c in range(v[0], v[1] + 1)))
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


def derive_prefixes(pattern: str) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with, or None.

    None when no such set can be read off the pattern (it starts with a class of many
    characters, say); the matcher then tries the pattern at every word.

    Examples
    --------
    >>> derive_prefixes(r"(?:valid\\s+|clean\\s+)?(?:driver['’]?s?|driving)\\s+licen[cs]e")
    ['clean', 'driv', 'valid']
    >>> derive_prefixes(r"\\w+ing") is None
    True
    """
    parsed = _parse(pattern)
    if parsed is None:  # pragma: no cover - validated before
        return None
    prefixes = _prefixes(list(parsed))
    if not prefixes or any(not p or not p[0].isalnum() or not p.isascii() for p in prefixes):
        return None
    return sorted({p.lower() for p in prefixes})


def _parse(pattern: str) -> Any:
    """The parsed pattern (sre's parse tree), or None when it does not parse."""
    try:
        return _sre_parse.parse(pattern)
    except re.error:
        return None


def _prefixes(items: list[Any]) -> set[str] | None:
    """Prefixes of the sequence ``items`` (see :func:`derive_prefixes`); None when unknown."""
    acc = ""
    for k, (op, av) in enumerate(items):
        if op is _C.LITERAL:
            acc += chr(av)
            continue
        if acc:
            return {acc}
        if op in _ZERO_WIDTH:  # \b, lookarounds: consume nothing, look at what follows
            continue
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
        if op in _REPEATS:
            first = _prefixes(list(av[2]))
            if av[0] >= 1 or first is None:
                return first
            rest = _prefixes(items[k + 1 :])  # optional: a match may start with what follows
            return None if rest is None else first | rest
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


# -- literal starts in the matcher's alphabet ----------------------------------------------------
# The compiled matcher looks for literals in a copy of the text where every character that is not
# an ASCII letter or digit is a space. These functions say which strings of that alphabet every
# match of a lexicon form or pattern starts with: the longer they are, the fewer places the
# matcher has to try. Any prefix of a valid start is valid, so the walk may stop anywhere.

_MAX_STARTS = 256  # more alternatives than this: stop extending
_MAX_LENGTH = 40
_SEPARATOR_RUN = (1, 4)  # a space in a phrase matches 1-4 separators (tokens.PHRASE_SEP)


def boundary_char(ch: str) -> str:
    """A character in the matcher's alphabet: ASCII letters (lower-cased) and digits, or a space.

    Examples
    --------
    >>> [boundary_char(c) for c in "Aé-7"]
    ['a', ' ', ' ', '7']"""
    return ch.lower() if ch.isascii() and ch.isalnum() else " "


def literal_starts(form: str) -> list[str]:
    """Starts of every match of a lexicon word or phrase, in the matcher's alphabet.

    A space in a phrase is one to four separators; a hyphen or an apostrophe may be missing.

    Examples
    --------
    >>> literal_starts("co-operat")
    ['co operat', 'cooperat']
    >>> "hit the" in literal_starts("hit the"), "hit    the" in literal_starts("hit the")
    (True, True)
    """
    live = [""]
    for ch in form:
        if ch == " ":
            options = [" " * n for n in range(_SEPARATOR_RUN[0], _SEPARATOR_RUN[1] + 1)]
        elif ch in "-'":
            options = [" ", ""]
        else:
            options = [boundary_char(ch)]
        if len(live) * len(options) > _MAX_STARTS or len(live[0]) >= _MAX_LENGTH:
            break
        live = [s + o for s in live for o in options]
    return _minimal(live)


def pattern_starts(pattern: str) -> list[str] | None:
    """Starts of every match of a pattern in the matcher's alphabet, or None when unknown.

    Examples
    --------
    >>> [s for s in pattern_starts(r"fits?\\s+(?:in\\s+)?the") if "  " not in s]
    ['fit in the', 'fit the', 'fits in the', 'fits the']
    >>> pattern_starts(r"\\w+ing") is None
    True
    """
    parsed = _parse(pattern)
    if parsed is None:  # pragma: no cover - validated before
        return None
    starts = _minimal(s for s, _ in _seq(list(parsed), [("", False)]))
    if not starts or any(not s or s[0] == " " for s in starts):
        return None
    return starts


def _minimal(starts: Iterable[str]) -> list[str]:
    """The starts that no other start is a prefix of (the others add no place to look)."""
    out: list[str] = []
    for s in sorted(set(starts)):
        if not (out and s.startswith(out[-1])):
            out.append(s)
    return out


_State = list[tuple[str, bool]]  # (start so far, finished: nothing may be appended)


def _seq(items: list[Any], states: _State) -> _State:
    for item in items:
        live = [s for s, done in states if not done]
        if not live:
            break
        nxt = _step(item, live)
        if nxt is None or len(nxt) > _MAX_STARTS or any(len(s) > _MAX_LENGTH for s, _ in nxt):
            return [(s, True) for s, _ in states]
        states = [x for x in states if x[1]] + nxt
    return states


def _step(item: tuple[Any, Any], live: list[str]) -> _State | None:
    op, av = item
    if op is _C.LITERAL:
        return [(s + boundary_char(chr(av)), False) for s in live]
    if op in _ZERO_WIDTH:
        return [(s, False) for s in live]
    if op is _C.IN:
        chars = _class_boundary(av)
        if chars is None:
            return [(s, True) for s in live]
        return [(s + c, False) for s in live for c in chars]
    if op is _C.SUBPATTERN:
        return _seq(list(av[-1]), [(s, False) for s in live])
    if op is _C.BRANCH:
        out: _State = []
        for branch in av[1]:
            out += _seq(list(branch), [(s, False) for s in live])
        return out
    if op in _REPEATS:
        lo, hi, body = av
        chars = _single_char(list(body))
        if chars is not None:  # \s+, \s*, x?: spell out the first few counts
            top = min(hi, lo + 2)
            out = [(x, False) for n in range(lo, top + 1) for x in _repeat(live, chars, n)]
            if hi > top:
                out += [(x, True) for x in _repeat(live, chars, top + 1)]
            return out
        once = _seq(list(body), [(s, False) for s in live])
        if hi != 1:  # more repetitions may follow: stop after the first
            once = [(s, True) for s, _ in once]
        return ([(s, False) for s in live] if lo == 0 else []) + once
    return [(s, True) for s in live]


def _single_char(items: list[Any]) -> list[str] | None:
    """The matcher's characters a one-character item stands for (None: not one character)."""
    if len(items) != 1:
        return None
    op, av = items[0]
    if op is _C.LITERAL:
        return [boundary_char(chr(av))]
    return _class_boundary(av) if op is _C.IN else None


def _repeat(live: list[str], chars: list[str], n: int) -> list[str]:
    out = live
    for _ in range(n):
        out = [s + c for s in out for c in chars]
        if len(out) > _MAX_STARTS:
            break
    return out


def _class_boundary(av: list[Any]) -> list[str] | None:
    """The matcher's characters a character class can stand for (None: too many or unknown)."""
    out: set[str] = set()
    for op, val in av:
        if op is _C.LITERAL:
            out.add(boundary_char(chr(val)))
        elif op is _C.RANGE and val[1] - val[0] < 12:
            out.update(boundary_char(chr(c)) for c in range(val[0], val[1] + 1))
        elif op is _C.CATEGORY and val is _C.CATEGORY_SPACE:
            out.add(" ")
        else:
            return None
    return sorted(out) if len(out) <= 4 else None
