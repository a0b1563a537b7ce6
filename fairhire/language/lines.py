"""What one line of an ad is: a section header, a job-title label, a list item, or text.

:func:`classify_line` reads a single line; :func:`classify_header` also says which list a
header opens (requirements or "nice to have"). The layout pass over a whole ad
(:class:`~fairhire.language.context.Layout`) calls them only for the few lines that can be
headers.
"""

from __future__ import annotations

import re

__all__ = [
    "BULLETS",
    "PREFERRED_HEADERS",
    "REQUIREMENT_HEADERS",
    "classify_header",
    "classify_line",
]

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


_SECTIONS = {"required": 0, "preferred": 1}


def classify_header(
    line: str, prev_blank: bool, next_nonblank: bool
) -> tuple[str | None, int, int | None]:
    """:func:`classify_line`, and for a header the list it opens (None, or 0 for requirements
    and 1 for "nice to have")."""
    kind, part = classify_line(line, prev_blank, next_nonblank)
    section = None
    if kind == "header" and part == len(line):  # "Requirements: Python." opens no list
        if _PREFERRED_RE.search(line):
            section = _SECTIONS["preferred"]
        elif _REQUIREMENT_RE.search(line):
            section = _SECTIONS["required"]
    return kind, part, section
