"""Where a match sits in the ad: job title, section header, EEO boilerplate, or running text.

Gender-coded words in a job title ("Senior Data Analyst"), in a section header
("Responsibilities:") or in the equal-opportunity boilerplate ("all qualified individuals will
receive consideration ...") do not describe the job or the ideal candidate, so the scanner does not
score them for gender coding. Other categories are scored everywhere: "Chairman" in a title is
exactly what the gendered-titles category is for.

Everything here works on the lower-cased text with compiled regular expressions and plain
string searches over the whole text; Python code runs only for the few lines that can be headers
and for the EEO markers found, so it costs a few microseconds per ad.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping

from .lines import (
    _NUMBERED,
    BULLETS,
    PREFERRED_HEADERS,
    REQUIREMENT_HEADERS,
    classify_header,
    classify_line,
)

__all__ = [
    "BULLETS",
    "PREFERRED_HEADERS",
    "REQUIREMENT_HEADERS",
    "Layout",
    "classify_line",
    "is_blank",
    "line_bounds",
    "non_overlapping",
    "occurrences",
    "sentence_end",
    "sentence_start",
]

# Phrases that only occur in equal-opportunity statements, each with a word that must be among
# the ad's words for the phrase to be there (a cheap set lookup before any string search).
EEO_MARKERS = (
    ("equal", "equal opportunity"),
    ("equal", "equal opportunities employer"),
    ("equal", "equal employment opportunity"),
    ("affirmative", "affirmative action"),
    ("regard", "without regard to"),
    ("regardless", "regardless of race"),
    ("regardless", "regardless of their race"),
    ("regardless", "regardless of age"),
    ("regardless", "regardless of gender"),
    ("regardless", "regardless of sex"),
    ("regardless", "regardless of background"),
    ("veteran", "protected veteran"),
    ("protected", "protected characteristic"),
    ("protected", "protected class"),
    ("protected", "protected status"),
    ("discriminate", "does not discriminate"),
    ("discriminate", "do not discriminate"),
    ("discriminate", "not discriminate on the basis"),
    ("e-verify", "e-verify"),
    ("applicants", "all qualified applicants"),
    ("applicants", "qualified applicants will receive"),
    ("identity", "sexual orientation, gender identity"),
    ("expression", "gender identity or expression"),
    ("origin", "national origin"),
    ("equality", "equality act 2010"),
    ("ofccp", "ofccp"),
)

_EEO_KEY = {marker: key for key, marker in EEO_MARKERS}  # each marker has one key word
assert len(_EEO_KEY) == len(EEO_MARKERS)


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, before the newline) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def is_blank(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


_WS = r"[^\S\n]"  # whitespace within a line
_FIRST_TEXT = re.compile(r"\S")
#: a line that may be a header: not blank, and not starting with a bullet other than "*"
#: (group 1: its text, to the end of the line)
_CANDIDATE = re.compile(
    r"\n" + _WS + r"*([^\s" + re.escape("".join(sorted(BULLETS - {"*"}))) + r"][^\n]*)"
)
#: a list item: a bullet, or "1.", "a)", "iv." and text (the second or third character must be
#: "." or ")": "iii. x" is not an item, as in the line-by-line pass this replaces)
_BULLET_LINE = re.compile(
    r"\n" + _WS + r"*(?:[" + re.escape("".join(sorted(BULLETS))) + r"]"
    r"|(?=[^\n][.)]|[^\n]{2}[.)])(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]" + _WS + r"+\S)"
)


class Layout:
    """An ad's lines: job title, section headers, requirement lists and the EEO statement.

    The job title is the first non-blank line when it is short and not a sentence. Header
    lines are found with one regular-expression pass over the text that stops only at lines
    which can be headers (not blank, not list items; short, or with an early colon, or a
    Markdown heading); each is then classified (:func:`classify_line`). Items under a
    requirement or "nice to have" header are counted with one more pass over that section.
    Everything is computed on first use.

    Parameters
    ----------
    low : str
        The lower-cased ad (same offsets as the original).
    words : set of str, optional
        Keywords known to occur in the ad (see :class:`~fairhire.language.matcher.
        CompiledLexicon`); phrases whose keyword is absent are not searched for.
    marks : mapping of str to list of int, optional
        Where each EEO marker phrase occurs (every occurrence, from the matcher's pass);
        without it the phrases are searched for in the text.
    """

    def __init__(
        self,
        low: str,
        words: set[str] | None = None,
        marks: Mapping[str, list[int]] | None = None,
    ) -> None:
        self.low = low
        self.words = words
        self.marks = marks
        self._scanned = False
        # lines that are titles or headers: sorted starts, and (line end, kind, part end)
        self._kind_starts: list[int] = []
        self._kind_lines: list[tuple[int, str, int]] = []
        self._requirements: tuple[int | None, int | None] = (None, None)
        self._title: tuple[int, int] | None = None
        self._eeo: list[tuple[int, int]] | None = None
        self._eeo_starts: list[int] = []
        self._hits: list[int] | None = None

    def _scan(self) -> None:
        self._scanned = True
        low = self.low
        m = _FIRST_TEXT.search(low)
        if m is None:
            return
        p = m.start()
        line_start = low.rfind("\n", 0, p) + 1
        line_end = _line_end(low, p)
        s = low[p:line_end].rstrip()
        # a title is short, is not a sentence, and is followed by the rest of the ad
        kind_starts, kind_lines = self._kind_starts, self._kind_lines
        if (
            len(s.split(None, 10)) <= 10
            and not s.endswith((".", "!", "?", ";", ","))
            and _FIRST_TEXT.search(low, line_end) is not None
        ):
            self._title = (line_start, line_end)
            kind_starts.append(line_start)
            kind_lines.append((line_end, "title", line_end))
        headers: list[tuple[int, int, int | None]] = []  # (line start, line end, section)
        for m in _CANDIDATE.finditer(low, line_end):
            start = m.start() + 1
            end = m.end()
            line = low[start:end]
            # a line seen before is read from the cache at once (no call: most lines are
            # headers that every ad of an employer repeats)
            found = _CLASSIFIED.get(line)
            if found is None:
                found = _header_classes(line, m.start(1) - start)
                if found is None:
                    continue
            both, other = found
            # most lines ("Requirements:") read the same either way: no need to look around
            if both != other and _blank_before(low, start) and _text_after(low, end):
                other = both
            kind, part, section = other
            if kind is not None:
                kind_starts.append(start)
                kind_lines.append((end, kind, start + part))
                if kind == "header":
                    headers.append((start, end, section))
        totals: list[int | None] = [None, None]
        for j, (_, end, section) in enumerate(headers):
            if section is None:
                continue
            stop = headers[j + 1][0] - 1 if j + 1 < len(headers) else len(low)
            items = _count_items(low, end, stop)
            if items is not None:
                totals[section] = (totals[section] or 0) + items
        self._requirements = (totals[0], totals[1])

    def requirements(self) -> tuple[int | None, int | None]:
        """Items listed under requirement headers, and under "nice to have" headers.

        Bullet lines under a header such as "Requirements" or "What you'll need" (or, when
        the section has no bullets, its first block of at least two short lines). None when
        the ad has no such section.
        """
        if not self._scanned:
            self._scan()
        return self._requirements

    def title_span(self) -> tuple[int, int] | None:
        """The job title line (the first non-blank line, when short and not a sentence)."""
        if not self._scanned:
            self._scan()
        return self._title

    def line_kind(self, pos: int) -> tuple[str | None, int]:
        """``(kind, end)`` for the line holding ``pos``: kind is "title", "header" or None.

        ``end`` is where the title/header part stops: a whole line, or the label of an
        inline label line ("Responsibilities: lead the team" -> only "Responsibilities").
        """
        line = self._line_at(pos)
        return (None, -1) if line is None else (line[1], line[2])

    def _line_at(self, pos: int) -> tuple[int, str, int] | None:
        """(line end, kind, part end) of the title or header line holding ``pos``, or None."""
        if not self._scanned:
            self._scan()
        i = bisect_right(self._kind_starts, pos) - 1
        if i >= 0:
            line = self._kind_lines[i]
            if pos <= line[0]:
                return line
        return None

    # -- EEO statement -------------------------------------------------------------------------
    def eeo_regions(self) -> list[tuple[int, int]]:
        """Spans of the equal-opportunity boilerplate, sorted and not overlapping.

        From the start of the first sentence holding an EEO marker to the end of its paragraph
        (paragraphs are separated by blank lines), when that is at most 1,200 characters;
        otherwise just the sentences holding markers, so a wall of text without blank lines is
        not swallowed whole.
        """
        if self._eeo is None:
            self._eeo = _merge(self._eeo_spans())
            self._eeo_starts = [s for s, _ in self._eeo]
        return self._eeo

    def _eeo_spans(self) -> list[tuple[int, int]]:
        low = self.low
        hits = self._eeo_hits()
        if not hits:
            return []
        spans = []
        covered = -1
        p_end = -1  # the end of the paragraph of the last hit (a blank line, or the text's end)
        for q in sorted(hits):
            if q < covered:
                continue
            s = sentence_start(low, q)
            if p_end <= q:  # searched once per paragraph, so many hits stay linear
                m = _BLANK_LINE.search(low, q)  # a hit is text: no blank line holds it
                p_end = len(low) if m is None else m.start()
            end = p_end if p_end - s <= 1200 else sentence_end(low, q)
            spans.append((s, end))
            covered = end
        return spans

    def _eeo_hits(self) -> list[int]:
        """Where EEO markers occur (each marker's non-overlapping occurrences, left to right).

        A marker counts only when its key word is among the ad's words (when they are known);
        "eeo" counts as a word of its own.
        """
        if self._hits is None:
            self._hits = self._find_eeo_hits()
        return self._hits

    def _find_eeo_hits(self) -> list[int]:
        low, words, marks = self.low, self.words, self.marks
        hits: list[int] = []
        # with the matcher's markers, only those found are looked at (a set operation in C)
        markers = EEO_MARKERS if marks is None else [
            (_EEO_KEY[m], m) for m in marks.keys() & _EEO_KEY.keys()]
        for key, marker in markers:
            if words is None or key in words:
                hits.extend(occurrences(low, marker, marks))
        if words is None or "eeo" in words:
            for i in occurrences(low, "eeo", marks):
                before = low[i - 1] if i > 0 else " "
                after = low[i + 3] if i + 3 < len(low) else " "
                if not before.isalnum() and not after.isalnum():
                    hits.append(i)
        return hits

    def has_eeo(self) -> bool:
        """Whether the ad has an EEO statement (cheaper than :meth:`eeo_regions`)."""
        return bool(self._eeo_hits())

    def in_eeo(self, pos: int) -> bool:
        """Whether ``pos`` lies in the EEO boilerplate (a binary search: linear overall)."""
        regions = self.eeo_regions()
        i = bisect_right(self._eeo_starts, pos) - 1
        return i >= 0 and pos < regions[i][1]

    def context_of(self, start: int) -> str | None:
        """"job title", "section header", "EEO statement" or None (running text).

        Two binary searches (the title and header lines, the EEO regions): linear time over
        all findings. :meth:`_line_at` and :meth:`in_eeo` written out, since this runs for
        every gender-coded word.
        """
        if not self._scanned:
            self._scan()
        i = bisect_right(self._kind_starts, start) - 1
        if i >= 0:
            line = self._kind_lines[i]
            if start <= line[0]:  # on a title or header line
                if line[1] == "title":
                    return "job title"
                if start < line[2]:  # a header line's header part
                    return "section header"
        regions = self._eeo
        if regions is None:
            regions = self.eeo_regions()
        i = bisect_right(self._eeo_starts, start) - 1
        return "EEO statement" if i >= 0 and start < regions[i][1] else None

    def plain_until(self, start: int) -> int:
        """-1 when :meth:`context_of` ``start`` is not None; otherwise where the next title or
        header line or EEO region starts (the text's length when none does): context_of is
        None from ``start`` up to there, since every position before it lies in the same
        gaps between lines and regions. Lets a caller walking the findings in order ask once
        per stretch of running text instead of once per finding."""
        if not self._scanned:
            self._scan()
        regions = self._eeo
        if regions is None:
            regions = self.eeo_regions()
        starts, eeo = self._kind_starts, self._eeo_starts
        i, j = bisect_right(starts, start), bisect_right(eeo, start)
        if i:  # as in context_of
            line = self._kind_lines[i - 1]
            if start <= line[0] and (line[1] == "title" or start < line[2]):
                return -1
        if j and start < regions[j - 1][1]:
            return -1
        end = len(self.low)
        return min(starts[i] if i < len(starts) else end, eeo[j] if j < len(eeo) else end)


def occurrences(low: str, key: str, marks: Mapping[str, list[int]] | None = None) -> list[int]:
    """Where ``key`` occurs in ``low``, left to right, each after the end of the one before:
    found with ``str.find``, or read from the matcher's ``marks`` (every occurrence) when given.

    Examples
    --------
    >>> occurrences("aaaa aa", "aa")
    [0, 2, 5]
    >>> occurrences("aaaa aa", "aa", {"aa": [0, 1, 2, 5]})
    [0, 2, 5]
    """
    if marks is not None:
        return non_overlapping(marks.get(key, ()), len(key))
    found = []
    i = low.find(key)
    while i >= 0:
        found.append(i)
        i = low.find(key, i + len(key))
    return found


def non_overlapping(found: Iterable[int], size: int) -> list[int]:
    """Sorted occurrences of a string of length ``size``, less those inside an earlier one
    (what repeated ``str.find`` from the end of the last occurrence returns).

    Examples
    --------
    >>> non_overlapping([0, 3, 8], 4)
    [0, 8]
    """
    out = []
    after = 0
    for i in found:
        if i >= after:
            out.append(i)
            after = i + size
    return out


# Lines that can be headers, classified: ads of one employer repeat their headers
_Class = tuple[str | None, int, int | None]
_CLASSIFIED: dict[str, tuple[_Class, _Class]] = {}
_MAX_CLASSIFIED = 4096


def _header_classes(line: str, lead: int) -> tuple[_Class, _Class] | None:
    """A line's class after a blank line and before text, and otherwise (the two flags are
    only ever read together in classify_line, so these are all the cases); None when it is
    no header: a numbered item, or over 100 characters with no colon in its first 45 and
    not a Markdown heading. ``lead``: the whitespace before its text. Classes are remembered
    (see _CLASSIFIED), so ``line`` must not be one seen before."""
    s = line[lead:].rstrip()
    c0 = s[0]
    if c0 != "*" and len(s) > 2 and (s[1] in ".)" or s[2] in ".)") and _NUMBERED.match(s):
        return None  # a numbered item
    if len(s) > 100 and s.find(":", 0, 45) < 0 and c0 != "#":
        return None
    found = (classify_header(line, True, True), classify_header(line, False, False))
    if len(_CLASSIFIED) >= _MAX_CLASSIFIED:
        _CLASSIFIED.clear()
    _CLASSIFIED[line] = found
    return found


def _blank_before(low: str, start: int) -> bool:
    """Whether the line before the line starting at ``start`` (> 0) is blank."""
    if start < 2:
        return True
    c = low[start - 2]  # the last character of the line before
    if c == "\n" or not c.isspace():
        return c == "\n"
    return is_blank(low, low.rfind("\n", 0, start - 1) + 1, start - 1)


def _text_after(low: str, end: int) -> bool:
    """Whether a line follows the line ending at ``end`` and is not blank."""
    if end + 1 >= len(low):
        return False
    c = low[end + 1]  # the first character of the next line
    if c == "\n" or not c.isspace():
        return c != "\n"
    return not is_blank(low, end + 1, _line_end(low, end + 1))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _count_items(low: str, start: int, stop: int) -> int | None:
    """Items of the list between a header line ending at ``start`` and ``stop``: its list
    items, or when it has none, its first block of at least two plain lines (of at most 300
    characters)."""
    bullets = len(_BULLET_LINE.findall(low, start, stop))
    if bullets:
        return bullets
    plain = 0
    for line in low[start + 1 : stop].split("\n"):
        s = line.strip()
        if not s:
            if plain:
                break
        elif len(s) <= 300:
            plain += 1
    return plain if plain >= 2 else None


_WINDOW = 1000  # sentences are looked for at most this far from a hit (keeps scans linear)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def sentence_start(low: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (looking back at most 1,000 characters).

    Examples
    --------
    >>> text = "First one. Second one here."
    >>> text[sentence_start(text, 15):sentence_end(text, 15)]
    'Second one here.'
"""
    lo = max(0, pos - _WINDOW)
    best = low.rfind("\n", lo, pos) + 1 or lo
    for mark in (". ", "! ", "? ", "; "):
        j = low.rfind(mark, best, pos)
        if j >= 0:
            best = j + len(mark)
    return best


def sentence_end(low: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends (looking ahead at most 1,000 characters)."""
    hi = min(len(low), pos + _WINDOW)
    line_end = low.find("\n", pos, hi)
    best = hi if line_end < 0 else line_end
    for mark in (". ", "! ", "? "):
        j = low.find(mark, pos, best)
        if j >= 0:
            best = j + 1
    return best


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
