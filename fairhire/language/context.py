"""Where a match sits in the ad: job title, section header, EEO boilerplate, or running text.

Gender-coded words in a job title ("Senior Data Analyst"), in a section header
("Responsibilities:") or in the equal-opportunity boilerplate ("all qualified individuals will
receive consideration ...") do not describe the job or the ideal candidate, so the scanner does not
score them for gender coding. Other categories are scored everywhere: "Chairman" in a title is
exactly what the gendered-titles category is for.

Everything here works on the lower-cased text with plain string searches and looks only at the
lines that hold a match, so it costs a few microseconds per ad.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

__all__ = ["Layout", "is_blank", "line_bounds", "sentence_end", "sentence_start"]

BULLETS = frozenset("-*•·‣▪▫◦○●■□➢➤►▶✓✔✗–—→>+")
_NUMBERED = re.compile(r"(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s")
_LABEL = re.compile(r"\s*([^:\n]{1,40}?)\s*:\s+\S")
_TITLE_LABELS = ("job title", "title", "position", "role", "job", "vacancy", "post")

REQUIREMENT_HEADERS = (
    "requirement", "qualification", "what you'll need", "what you’ll need", "what you will need",
    "what you need", "what we're looking for", "what we’re looking for", "what we are looking for",
    "what we look for", "who you are", "about you", "you have", "you'll have", "you’ll have",
    "you will have", "you bring", "what you bring", "what you'll bring", "what you’ll bring",
    "must have", "must-have", "skills", "experience", "you should have", "your profile",
    "competenc", "criteria", "requisites",
)
PREFERRED_HEADERS = (
    "nice to have", "nice-to-have", "preferred", "desirable", "bonus", "pluses", "would be great",
    "ideally", "extra credit", "good to have", "a plus", "advantageous",
)

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


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, before the newline) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def is_blank(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def _is_bullet(stripped: str) -> bool:
    return stripped[0] in BULLETS or bool(_NUMBERED.match(stripped))


def _word_count(s: str) -> int:
    return len(s.split())


def classify_line(line: str, prev_blank: bool, next_nonblank: bool) -> tuple[str | None, int]:
    """Classify one (non-blank) line of an ad that is not its first line.

    Returns ``(kind, end)``: kind is "header", "title" (a "Job title: ..." line) or None, and
    ``end`` is where the header part of the line stops (the whole line, or the label of an
    inline label such as "Responsibilities: lead the team").

    A header is a Markdown heading, a short line ending with a colon, a bold line, a line of at
    most 5 words without closing punctuation between a blank line and text, or the label
    (up to 4 words) before a colon.
    """
    stripped = line.strip()
    end = len(line)
    if stripped.startswith("#"):
        return ("header", end)
    if _is_bullet(stripped) and not stripped.startswith(("**", "__")):
        return (None, end)
    if len(stripped) <= 120:
        core = stripped.strip("*_ \t")
        words = _word_count(core)
        if core.endswith(":") and words <= 8:
            return ("header", end)
        if stripped.startswith(("**", "__")) and stripped.rstrip(":").endswith(("**", "__")):
            if words <= 10:
                return ("header", end)
        if words <= 5 and core and core[-1] not in ".!?,;" and prev_blank and next_nonblank:
            return ("header", end)
    if line.find(":", 0, 48) >= 0:
        m = _LABEL.match(line)
        if m is not None and _word_count(m.group(1)) <= 4:
            label = m.group(1).strip("*_ ")
            if label in _TITLE_LABELS:
                return ("title", end)
            return ("header", m.end(1))
    return (None, end)


_REQUIREMENT_RE = re.compile("|".join(re.escape(k) for k in REQUIREMENT_HEADERS))
_PREFERRED_RE = re.compile("|".join(re.escape(k) for k in PREFERRED_HEADERS))


class Layout:
    """An ad's lines: job title, section headers, requirement lists and the EEO statement.

    One pass over the lines (on first use) classifies each as title, header or other, and
    counts the items listed under requirement and "nice to have" headers.

    Parameters
    ----------
    low : str
        The lower-cased ad (same offsets as the original).
    words : set of str, optional
        Keywords known to occur in the ad (see :class:`~fairhire.language.matcher.
        CompiledLexicon`); phrases whose keyword is absent are not searched for.
    """

    def __init__(self, low: str, words: set[str] | None = None) -> None:
        self.low = low
        self.words = words
        self._starts: list[int] | None = None
        self._kinds: dict[int, tuple[str, int]] = {}
        self._requirements: tuple[int | None, int | None] = (None, None)
        self._title: tuple[int, int] | None = None
        self._eeo: list[tuple[int, int]] | None = None
        self._eeo_starts: list[int] = []

    def _scan(self) -> None:
        low = self.low
        lines = low.split("\n")
        n = len(lines)
        stripped = [ln.strip() for ln in lines]
        # offset of line i = sum of the lengths of the lines before it + i newlines
        starts = [a + i for i, a in enumerate(accumulate(map(len, lines), initial=0))][:n]
        self._starts = starts
        kinds = self._kinds
        first = next((i for i, s in enumerate(stripped) if s), n)
        if first < n:
            s = stripped[first]
            # a title is short, is not a sentence, and is followed by the rest of the ad
            if (
                _word_count(s) <= 10
                and not s.endswith((".", "!", "?", ";", ","))
                and any(stripped[first + 1 :])
            ):
                kinds[first] = ("title", starts[first] + len(lines[first]))
                self._title = (starts[first], starts[first] + len(lines[first]))
        totals: dict[str, int | None] = {"required": None, "preferred": None}
        section: str | None = None
        bullets = plain = 0
        plain_done = False
        bullet_chars = BULLETS

        def close() -> None:
            if section is not None:
                items = bullets if bullets else (plain if plain >= 2 else None)
                if items is not None:
                    totals[section] = (totals[section] or 0) + items

        for i in range(first + 1, n):
            s = stripped[i]
            if not s:
                if plain:
                    plain_done = True
                continue
            c0 = s[0]
            bullet = c0 in bullet_chars or (
                len(s) > 2 and (s[1] in ".)" or s[2] in ".)") and _NUMBERED.match(s) is not None
            )
            # only short lines, bold lines and lines with an early colon can be headers
            if (not bullet or c0 == "*") and (
                len(s) <= 100 or s.find(":", 0, 45) >= 0 or c0 == "#"
            ):
                kind, end = classify_line(
                    lines[i], not stripped[i - 1], i + 1 < n and bool(stripped[i + 1])
                )
                if kind is not None:
                    kinds[i] = (kind, starts[i] + end)
                if kind == "header":
                    close()
                    head = lines[i][:end]
                    if _PREFERRED_RE.search(head):
                        section = "preferred"
                    elif _REQUIREMENT_RE.search(head):
                        section = "required"
                    else:
                        section = None
                    if end < len(lines[i]):  # "Requirements: Python and SQL." on one line
                        section = None
                    bullets = plain = 0
                    plain_done = False
                    continue
            if section is None:
                continue
            if bullet:
                bullets += 1
            elif not plain_done and len(s) <= 300:
                plain += 1
        close()
        self._requirements = (totals["required"], totals["preferred"])

    def requirements(self) -> tuple[int | None, int | None]:
        """Items listed under requirement headers, and under "nice to have" headers.

        Bullet lines under a header such as "Requirements" or "What you'll need" (or, when
        the section has no bullets, its first block of at least two short lines). None when
        the ad has no such section.
        """
        if self._starts is None:
            self._scan()
        return self._requirements

    def title_span(self) -> tuple[int, int] | None:
        """The job title line (the first non-blank line, when short and not a sentence)."""
        if self._starts is None:
            self._scan()
        return self._title

    def line_kind(self, pos: int) -> tuple[str | None, int]:
        """``(kind, end)`` for the line holding ``pos``: kind is "title", "header" or None.

        ``end`` is where the title/header part stops: a whole line, or the label of an
        inline label line ("Responsibilities: lead the team" -> only "Responsibilities").
        """
        if self._starts is None:
            self._scan()
        assert self._starts is not None
        i = bisect_right(self._starts, pos) - 1
        found = self._kinds.get(i)
        if found is None:
            return (None, -1)
        return found

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
        words = self.words
        hits = []
        for key, marker in EEO_MARKERS:
            if words is not None and key not in words:
                continue
            i = low.find(marker)
            while i >= 0:
                hits.append(i)
                i = low.find(marker, i + len(marker))
        if words is None or "eeo" in words:
            i = low.find("eeo")
            while i >= 0:
                before = low[i - 1] if i > 0 else " "
                after = low[i + 3] if i + 3 < len(low) else " "
                if not before.isalnum() and not after.isalnum():
                    hits.append(i)
                i = low.find("eeo", i + 3)
        if not hits:
            return []
        # paragraph ends: blank lines (computed once, so many hits stay linear)
        breaks = [m.start() for m in _BLANK_LINE.finditer(low)]
        spans = []
        covered = -1
        for q in sorted(hits):
            if q < covered:
                continue
            s = sentence_start(low, q)
            k = bisect_right(breaks, q)
            p_end = breaks[k] if k < len(breaks) else len(low)
            end = p_end if p_end - s <= 1200 else sentence_end(low, q)
            spans.append((s, end))
            covered = end
        return spans

    def in_eeo(self, pos: int) -> bool:
        """Whether ``pos`` lies in the EEO boilerplate (a binary search: linear overall)."""
        regions = self.eeo_regions()
        i = bisect_right(self._eeo_starts, pos) - 1
        return i >= 0 and pos < regions[i][1]

    def context_of(self, start: int) -> str | None:
        """"job title", "section header", "EEO statement" or None (running text).

        Two binary searches (the line, the EEO region): linear time over all findings.
        """
        if self._starts is None:
            self._scan()
        found = self._kinds.get(bisect_right(self._starts, start) - 1)  # type: ignore[arg-type]
        if found is not None:
            kind, end = found
            if kind == "title":
                return "job title"
            if start < end:
                return "section header"
        regions = self._eeo if self._eeo is not None else self.eeo_regions()
        i = bisect_right(self._eeo_starts, start) - 1
        return "EEO statement" if i >= 0 and start < regions[i][1] else None


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
