"""The line-by-line layout pass the scanner used before issue 18: the reference implementation.

It splits the ad into lines, classifies every line after the first as title, header or other,
and counts the items under requirement and "nice to have" headers. The scanner's
:class:`~fairhire.language.context.Layout` finds the same lines with compiled regular
expressions over the whole text; this class is kept, unchanged in behaviour, as the oracle it is
tested against (``tests/test_language_context.py``). Not used by the scanner.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from .context import Layout
from .lines import (
    _NUMBERED,
    _PREFERRED_RE,
    _REQUIREMENT_RE,
    BULLETS,
    _word_count,
    classify_line,
)

__all__ = ["ReferenceLayout"]


class ReferenceLayout(Layout):
    """:class:`~fairhire.language.context.Layout` with the old line-by-line pass."""

    def _scan(self) -> None:
        low = self.low
        lines = low.split("\n")
        n = len(lines)
        stripped = [ln.strip() for ln in lines]
        # offset of line i = sum of the lengths of the lines before it + i newlines
        starts = [a + i for i, a in enumerate(accumulate(map(len, lines), initial=0))][:n]
        self._line_starts = starts
        kinds: dict[int, tuple[str, int]] = {}
        self._line_kinds = kinds
        first = next((i for i, s in enumerate(stripped) if s), n)
        if first < n:
            s = stripped[first]
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
            bullet = c0 in BULLETS or (
                len(s) > 2 and (s[1] in ".)" or s[2] in ".)") and _NUMBERED.match(s) is not None
            )
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
                    if end < len(lines[i]):
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
        self._scanned = True

    def line_kind(self, pos: int) -> tuple[str | None, int]:
        if not self._scanned:
            self._scan()
        i = bisect_right(self._line_starts, pos) - 1
        return self._line_kinds.get(i, (None, -1))

    def context_of(self, start: int) -> str | None:
        kind, end = self.line_kind(start)
        if kind == "title":
            return "job title"
        if kind == "header" and start < end:
            return "section header"
        return "EEO statement" if self.in_eeo(start) else None
