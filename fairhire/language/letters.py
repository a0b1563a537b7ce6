"""Letters as a reader sees them: invisible characters and typographic ligatures in an ad.

A word processor's or CMS's optional hyphen (a soft hyphen, U+00AD), a zero-width space left by
a web editor, or a ligature from text copied out of a PDF ("con\ufb01dent", with "ﬁ" as one
character) look like plain words on screen but split them for the matcher: "ambi\u00adtious"
and "con\ufb01dent" were not found at all. :func:`plain_letters` gives the text the matcher
reads (those characters left out, ligatures written as plain letters)
and, when it differs, where each of its characters came from, so that a single ad's findings
point into the text as written (:func:`restore_spans`).

Text that is pure ASCII, as most ads are, is returned as it is without a search; other text
costs one fast search per character looked for (about 4 µs for a 500-word ad with curly
quotes, 0.8 µs with only Latin-1 letters such as "£" or "é").
"""

from __future__ import annotations

from collections.abc import Sequence

from .._core.labels import INVISIBLE

__all__ = ["plain_letters", "restore_spans"]

#: Characters that take no space on screen, the group-label rule's
#: (:data:`fairhire._core.labels.INVISIBLE`): left out, so a word they split is one word.
_INVISIBLE = "".join(map(chr, INVISIBLE))
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
#: Each is looked for with ``in`` (a fast search in C): a regular expression's character
#: class reads a 500-word ad in about 32 µs, a third of the time its whole scan takes.
_ODD = (*_INVISIBLE, *_LIGATURES)


def _plain(char: str) -> str:
    return "" if char in _INVISIBLE else _LIGATURES.get(char, char)


def _has_odd(text: str) -> bool:
    for char in _ODD:
        if char in text:
            return True
    return False


def plain_letters(text: str) -> tuple[str, list[int] | None]:
    """The text the matcher reads, and the position in ``text`` of each of its characters
    (plus one past the end), or None when it is ``text`` itself.

    >>> plain, back = plain_letters("con\ufb01dent, ambi\u00adtious")
    >>> plain, back[:6], back[-8:]
    ('confident, ambitious', [0, 1, 2, 3, 3, 4], [12, 13, 15, 16, 17, 18, 19, 20])
    >>> plain_letters("plain ASCII")
    ('plain ASCII', None)
    """
    if text.isascii() or not _has_odd(text):
        return text, None
    out: list[str] = []
    back: list[int] = []
    for i, char in enumerate(text):
        plain = _plain(char)
        out.append(plain)
        back.extend([i] * len(plain))
    back.append(len(text))
    return "".join(out), back


def restore_spans(spans: Sequence[tuple], back: Sequence[int]) -> list[tuple]:
    """Spans ``(start, end, ...)`` of the plain text as spans of the text as written: a span
    covers the characters its letters came from, and the invisible ones between them.

    >>> text = "a con\ufb01dent lead"
    >>> plain, back = plain_letters(text)
    >>> [text[s:e] for s, e, *_ in restore_spans([(2, 11, "x")], back)]
    ['con\ufb01dent']
    """
    return [(back[s], back[e - 1] + 1, *rest) if e > s else (back[s], back[s], *rest)
            for s, e, *rest in spans]
