"""Character-level steps of the compiled matcher (:mod:`fairhire.language.matcher`).

The automaton's alphabet (``_BOUNDARY``), where a single word found by the automaton ends
(``_word_at``), number
starts with their currency signs (``_with_currency``), keyword tokens (``_is_token_core``) and
word counts (:func:`word_count`). Each is a small function on the lower-cased text, kept apart
from the matcher's rules so that both modules stay short.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .tokens import _STRIP, MARKS, WORD

__all__ = ["word_count"]


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
_WORD_RUN = re.compile(WORD + "+")
_MARK = re.compile(f"[{MARKS}]")


def _word_at(low: str, s: int, end: int, prefix: bool) -> int:
    """Where a single-word match at ``s`` whose longest form ends at ``end`` ends: ``end``
    when the word ends there, the word's end when it goes on and a ``prefix`` form can take it,
    -1 when there is no match (``s`` is not a word start, or the word goes on and no form
    can take it). An ASCII letter or digit never comes before ``s``: the automaton's keys start
    with a space."""
    if s:
        c = low[s - 1]
        if c == "_" or (c > "\x7f" and (c.isalnum() or _MARK.match(c))):
            return -1
    if end < len(low):
        c = low[end]
        if c.isalnum() or c == "_" or (c > "\x7f" and _MARK.match(c)):
            return _WORD_RUN.match(low, end).end() if prefix else -1  # type: ignore[union-attr]
    return end


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
    # the common case: whitespace (or the text's edge) on both sides, the token is the word
    if (e == len(low) or low[e] in _SPACE) and (s == 0 or low[s - 1] in _SPACE):
        return True
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
        return _ascii_word_count(low.encode("ascii"))
    tokens = Counter(low.split())
    return sum(n for tok, n in tokens.items() if _HAS_WORD.search(tok))


def _ascii_word_count(raw: bytes) -> int:
    """:func:`word_count` of an ASCII text, encoded."""
    # whitespace -> " ", word characters -> "w", the rest deleted: a word is a run of "w"
    words = raw.translate(_WORDS_TABLE, _NOT_WORD)
    codes = np.frombuffer(words, np.uint8)
    return int(np.count_nonzero(codes[1:] > codes[:-1])) + (words[:1] == b"w")
