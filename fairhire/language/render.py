"""Render an ad with its findings highlighted in place, safely.

Job ads are user text: every character of the ad is escaped before it is placed in HTML or
Markdown, so an ad containing ``<script>`` renders as text, never as markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["escape_markdown", "highlight_html", "highlight_markdown", "segments"]

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~>")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def segments(text: str, findings: Sequence[Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """Split ``text`` into ``(piece, findings covering it)`` in order.

    Findings on the same span (one word in two categories) share a piece. Findings never
    partly overlap (the scanner's matches do not overlap).
    """
    spans: dict[tuple[int, int], list[Any]] = {}
    for f in findings:
        spans.setdefault((f.start, f.end), []).append(f)
    out: list[tuple[str, tuple[Any, ...]]] = []
    pos = 0
    for (start, end), group in sorted(spans.items()):
        if start < pos:  # defensive: skip anything overlapping what is already emitted
            continue
        if start > pos:
            out.append((text[pos:start], ()))
        out.append((text[start:end], tuple(group)))
        pos = end
    if pos < len(text):
        out.append((text[pos:], ()))
    return out


def _title(group: Sequence[Any]) -> str:
    parts = []
    for f in group:
        bit = f"{f.category} ({f.severity})"
        if f.suggestions:
            bit += ": try " + ", ".join(f.suggestions[:3])
        if f.context:
            bit += f" [not scored: {f.context}]"
        parts.append(bit)
    return "; ".join(parts)


def highlight_html(text: str, findings: Sequence[Any]) -> str:
    """The ad as escaped HTML with each finding in a ``<mark>`` (class per category/severity)."""
    out = []
    for piece, group in segments(text, findings):
        esc = html.escape(piece, quote=True)
        if not group:
            out.append(esc)
            continue
        f = group[0]
        classes = " ".join(
            [f"fh-cat-{g.category}" for g in group]
            + [f"fh-sev-{f.severity}"]
            + (["fh-unscored"] if f.context else [])
        )
        out.append(
            f'<mark class="{html.escape(classes, quote=True)}" '
            f'title="{html.escape(_title(group), quote=True)}">{esc}</mark>'
        )
    return (
        '<div class="fairhire-ad" style="white-space: pre-wrap; font-family: inherit">'
        + "".join(out)
        + "</div>"
    )


def escape_markdown(text: str) -> str:
    """Escape text so that Markdown renders it literally (HTML is turned into entities)."""
    out = []
    for ch in text:
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def highlight_markdown(text: str, findings: Sequence[Any]) -> str:
    """The ad as Markdown: findings in bold with a numbered marker; lines kept as lines.

    Returns the escaped text; each finding is ``**term**<sup>n</sup>`` where ``n`` is its
    position in ``findings`` (1-based), so a table below can list them.
    """
    index = {id(f): i + 1 for i, f in enumerate(findings)}
    out = []
    for piece, group in segments(text, findings):
        esc = escape_markdown(piece)
        if not group:
            out.append(esc)
            continue
        marks = ",".join(str(index[id(g)]) for g in group if id(g) in index)
        out.append(f"**{esc}**<sup>{marks}</sup>")
    # a line break inside a paragraph needs two trailing spaces in Markdown
    return "".join(out).replace("\n", "  \n")
