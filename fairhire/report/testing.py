"""Test helpers for report partials: ``check_renders(result)`` (see PARTIALS.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from .report import Report
from .templating import slug

__all__ = ["HOSTILE_LABEL", "assert_no_external_urls", "check_renders"]

#: A group label / text that must come out escaped and inert in every format.
HOSTILE_LABEL = "<script>alert(1)</script> \"quoted\" 'single' {{ 7*7 }} =SUM(A1)"

_URL = re.compile(r"(https?:|ftp:|//[a-z0-9.-]+\.[a-z]{2,}|\bwww\.)", re.IGNORECASE)
_ATTR = re.compile(r"\b(?:src|href|action|formaction|poster|data)\s*=\s*\"([^\"]*)\"", re.I)


def assert_no_external_urls(html: str) -> None:
    """Fail if the HTML names any external URL or loads any resource."""
    match = _URL.search(html)
    if match:
        start = max(0, match.start() - 80)
        raise AssertionError(f"external URL in report: ...{html[start:match.end() + 80]}...")
    for value in _ATTR.findall(html):
        if not value.startswith("#"):
            raise AssertionError(f"non-anchor link or resource in report: {value!r}")
    lowered = html.lower()
    for needle in ("<link", "<script", "<img", "<iframe", "@import", "url(http"):
        if needle in lowered:
            raise AssertionError(f"{needle!r} found in report HTML")


def _fixed_report(**kwargs: Any) -> Report:
    return Report(
        title="Partial check",
        organization="Test Co",
        period="2025",
        generated_at="2026-01-31T09:00:00+00:00",
        **kwargs,
    )


def check_renders(result: Any, *, hostile: Any = None, min_cell: int | None = None) -> dict:
    """Render ``result`` in every format and check the report contract.

    Checks: HTML, Markdown and JSON render; the section title and every headline appear;
    methodology entries appear; no external URL; a second render is byte-identical; and, if
    ``hostile`` is a result whose text contains :data:`HOSTILE_LABEL`, that the label is
    escaped in HTML and Markdown and intact in JSON. Returns the three outputs.
    """
    outputs: dict[str, str] = {}
    report = _fixed_report(min_cell=min_cell).add(result)
    html = report.render_html()
    md = report.render_markdown()
    js = report.render_json()
    assert html == report.render_html(), "HTML output is not deterministic"
    assert md == report.render_markdown(), "Markdown output is not deterministic"
    assert js == report.render_json(), "JSON output is not deterministic"
    assert_no_external_urls(html)
    section = report.sections[0]
    assert f'id="{section.anchor}"' in html, "the section anchor is missing from the HTML"
    data = json.loads(js)
    assert data["schema_version"]
    # every headline is in the summary: as an item, a repeat of one (a sentence a section
    # repeats word for word is printed once), or a similar finding
    kept = [t for item in data["summary"] for t in
            [item["text"]] * len(item["sections"]) + [x["text"] for x in item["similar"]]]
    assert set(kept) == {h.text for h in section.headlines}
    for block in report._methodology():
        for entry in block["entries"]:
            assert f'id="method-{slug(entry.id)}"' in html, f"methodology {entry.id} missing"
    outputs.update(html=html, markdown=md, json=js)
    if hostile is not None:
        bad = _fixed_report(min_cell=min_cell).add(hostile)
        h, m, j = bad.render_html(), bad.render_markdown(), bad.render_json()
        assert "<script>alert" not in h, "a <script> label reached the HTML unescaped"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h, "hostile label missing from HTML"
        assert "{{ 7*7 }}" in h, "template syntax in a label was evaluated or lost (HTML)"
        assert "<script>alert" not in m, "a <script> label reached the Markdown unescaped"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in m, "hostile label missing from Markdown"
        assert "7\\*7" in m, "template syntax in a label was evaluated or lost (Markdown)"
        assert "alert(1)" in j, "hostile label missing from JSON"
        json.loads(j)
        assert_no_external_urls(h)
        outputs.update(hostile_html=h, hostile_markdown=m, hostile_json=j)
    return outputs
