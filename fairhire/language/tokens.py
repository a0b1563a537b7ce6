"""Character classes and text normalisation shared by the job-description scanner.

A *word* is a run of Unicode word characters (``\\w``: letters, digits, underscore) plus the
combining diacritical marks that ``\\w`` leaves out, so that an accented word typed with a
combining accent (``e`` + U+0301) stays whole. Apostrophes, hyphens, dashes, bullets, quotes and
slashes are not word characters: ``leader's`` is the word ``leader`` followed by a possessive,
``data-driven`` is two words joined by a hyphen, ``•Leadership`` is the word ``Leadership``.

Matching is case-insensitive: the scanner lower-cases the text once (``str.lower``) and keeps
offsets by making sure the lower-cased text has the same length as the original.
"""

from __future__ import annotations

__all__ = [
    "HYPHEN",
    "MARKS",
    "NEIGHBOUR_SEP",
    "NEIGHBOUR_SEP_CHARS",
    "PHRASE_SEP",
    "START",
    "WORD",
    "lower_same_length",
]

#: Combining diacritical marks (Latin and general blocks) that belong to the word before them.
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"

#: One word character, as a regex character class.
WORD = rf"[\w{MARKS}]"

#: Where a match may start: the beginning of a word.
START = rf"\b(?<![{MARKS}])"

#: What a space inside a lexicon phrase matches: 1-4 spaces, tabs, line breaks, hyphens or dashes
#: ("work hard play hard", "work-hard play-hard", "hit the ground\nrunning").
PHRASE_SEP = r"[\s\-\u2010-\u2015]{1,4}"

#: What a hyphen inside a lexicon term matches: an optional hyphen, non-breaking hyphen or soft
#: hyphen ("self-confident", "self‑confident", "selfconfident").
HYPHEN = r"[\-\u2010\u2011\u00ad]?"

#: What an apostrophe inside a lexicon term matches: an optional straight or curly apostrophe.
APOSTROPHE = r"['\u2019\u02bc]?"

#: Separator between a word and its neighbour for neighbour exceptions ("Tech Lead",
#: "Tech-Lead"): spaces, tabs, hyphens, dashes or a slash, but never a line break, so that a
#: bullet list item starting with "Lead ..." is not read as part of the line above.
NEIGHBOUR_SEP = r"[ \t\u00a0\-\u2010-\u2015/]{1,4}"

#: The characters one :data:`NEIGHBOUR_SEP` separator may be (for cheap checks before the
#: expression; a test holds the two together).
NEIGHBOUR_SEP_CHARS = frozenset(" \t\u00a0-/\u2010\u2011\u2012\u2013\u2014\u2015")


def lower_same_length(text: str) -> str:
    """Lower-case ``text`` keeping every character at its offset.

    ``str.lower`` maps a few characters to two (``"İ".lower()`` is ``"i̇"``); those keep their
    original form, so offsets into the lower-cased text are offsets into ``text``.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


_STRIP = "".join(
    chr(c) for c in range(0x2000, 0x2070) if not chr(c).isalnum()
) + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»‹›•·●▪◦‣–—‘’“”„…" + "\u00a0"
_CORE_CACHE: dict[str, str] = {}


def core_words(tokens: set[str]) -> set[str]:
    """The words of whitespace-separated tokens, stripped of surrounding punctuation.

    ``{"requirements:", "(bs", "degree."}`` -> ``{"requirements", "bs", "degree"}``. Cached:
    job ads share most of their tokens.
    """
    cache = _CORE_CACHE
    if len(cache) > 200_000:
        cache.clear()
    out = set()
    add = out.add
    for tok in tokens:
        core = cache.get(tok)
        if core is None:
            core = cache[tok] = tok.strip(_STRIP)
        add(core)
    return out
