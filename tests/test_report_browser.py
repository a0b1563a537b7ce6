"""The demo report and the docs site in a real browser (the system Chromium, through Playwright).

The demo report is built once per session. Checks: on a 390-px phone nothing is wider than the
screen outside a scroll box and chart text stays legible; in print at A4 no table is wider than
the page and the PDF stays under 60 pages; the text before the Methodology has no code, method
codes or contradictory numbers, and no section uses column names or method codes as words; the
executive summary is grouped by area, repeats no sentence and links to sections; the docs site
opened from disk has working links, rendered formulas and makes no network request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# the demo report and the docs site are session fixtures: one worker builds each once
# (make test runs with --dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")

ROOT = Path(__file__).resolve().parents[1]
#: A4 (210 mm) less the report's @page side margins (2 x 10 mm), in CSS px
PRINT_WIDTH = round((210 - 20) / 25.4 * 96)

CHART_TEXT = """() => { let min = 1e9; for (const t of document.querySelectorAll('svg text')) {
  if (!t.getBoundingClientRect().width) continue; const m = t.getScreenCTM(); if (!m) continue;
  min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)); }
  return min; }"""
OFF_SCREEN = """(vw) => { const out = []; for (const t of document.querySelectorAll('table')) {
  const r = t.getBoundingClientRect(); if (!r.width || r.right <= vw + 1) continue;
  let p = t.parentElement, boxed = false;
  while (p) { const s = getComputedStyle(p);
    if ((s.overflowX == 'auto' || s.overflowX == 'scroll') && p.getBoundingClientRect().right <= vw + 1) { boxed = true; break; }
    p = p.parentElement; }
  if (!boxed) out.push(t.caption ? t.caption.textContent : t.outerHTML.slice(0, 80)); }
  return out; }"""
WIDE = """(limit) => [...document.querySelectorAll('table')].filter(t => {
  const r = t.getBoundingClientRect(); return r.width && r.right > limit + 1; })
  .map(t => t.caption ? t.caption.textContent : t.outerHTML.slice(0, 80))"""
SCROLLING = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1).length"""


@pytest.fixture(scope="session")
def demo_html(demo_output) -> Path:
    """The report ``make demo`` writes (generated at 2026-01-01)."""
    return demo_output[0] / "audit.html"


def _page(browser, url: str, width: int, height: int = 900, media: str = "screen"):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.emulate_media(media=media)
    return page


def test_phone_390_fits_the_screen(browser, demo_html):
    page = _page(browser, demo_html.as_uri(), 390, 844)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate(OFF_SCREEN, 390) == []
        assert page.evaluate(CHART_TEXT) >= 9.0  # px
    finally:
        page.close()


def test_desktop_1280_tables_fit(browser, demo_html):
    page = _page(browser, demo_html.as_uri(), 1280)
    try:
        assert page.evaluate(SCROLLING) <= 2
    finally:
        page.close()


def test_print_a4_tables_fit_the_page(browser, demo_html):
    page = _page(browser, demo_html.as_uri(), PRINT_WIDTH, 1100, media="print")
    try:
        assert page.evaluate(WIDE, PRINT_WIDTH) == []
        assert page.evaluate(CHART_TEXT) * 0.75 >= 8.0  # pt
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 20 < pages < 60


@pytest.fixture(scope="session")
def report_text(browser, demo_html) -> str:
    page = _page(browser, demo_html.as_uri(), 1280)
    try:
        text = page.evaluate("document.body.innerText")
    finally:
        page.close()
    return text[: text.index("\nMethodology\n", text.index("Methodology") + 12)]


def test_plain_words_before_the_methodology(report_text):
    assert "`" not in report_text
    assert not re.search(r"\b[a-z_]{2,}=[\w.'\"]", report_text), re.search(
        r".{60}\b[a-z_]{2,}=[\w.'\"].{20}", report_text)
    codes = re.search(r"\((?:holm|fdr_bh|bonferroni|hommel|sidak)\)|\bfdr_bh\b", report_text)
    assert codes is None, report_text[codes.start() - 80: codes.end() + 20]


def test_numbers_do_not_contradict_themselves(report_text):
    decimals = re.search(r"\b\d{1,3}(?:,\d{3})+\.\d+\b", report_text)
    assert decimals is None, report_text[decimals.start() - 60: decimals.end() + 20]
    near = re.search(r"0\.80\b[^.\n]{0,60}below four-fifths", report_text)
    assert near is None, report_text[near.start() - 60: near.end()]


#: Jargon a reader who never ran Python should not meet in a section: column names used as
#: words, method codes, options, and "1 groups".
JARGON = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\b1 (?:groups|raters|levels)\b|\befron\b|\btime scale\b|"
    r"\bC?MH\b|\bICC\(|\bFDR\b|\bHC[0-3]\b|\(\)|`", re.IGNORECASE)


@pytest.fixture(scope="session")
def sections_text(browser, demo_html) -> dict[str, str]:
    page = _page(browser, demo_html.as_uri(), 1280)
    try:
        return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            'main > section.result')].map(s => [s.id, s.innerText]))""")
    finally:
        page.close()


def test_plain_words_in_every_section(sections_text):
    assert len(sections_text) >= 20
    for anchor, text in sections_text.items():
        found = JARGON.search(text)
        assert found is None, (anchor, text[max(0, found.start() - 80): found.end() + 30])
        near = re.search(r"0\.80\b[^.\n]{0,60}below four-fifths", text)
        assert near is None, (anchor, text[near.start() - 60: near.end()])


def test_summary_is_grouped_deduplicated_and_linked(browser, demo_html):
    page = _page(browser, demo_html.as_uri(), 1280)
    try:
        areas = page.evaluate("""() => [...document.querySelectorAll('#summary .area h3')]
            .map(h => h.textContent)""")
        items = page.evaluate("""() => [...document.querySelectorAll('#summary .findings li')]
            .map(li => li.firstChild.nextSibling ? li.childNodes[1].textContent : li.textContent)""")
        targets = page.evaluate("""() => [...document.querySelectorAll('#summary a[href^="#"]')]
            .map(a => !!document.getElementById(a.getAttribute('href').slice(1)))""")
        glossary = page.locator("#glossary dt").count()
        howto = page.locator("#how-to-read dt").count()
    finally:
        page.close()
    assert len(areas) >= 5
    assert len(items) == len(set(items)), "a sentence is repeated in the summary"
    assert targets and all(targets), "a summary link points at no section"
    assert glossary >= 15 and howto >= 5


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory) -> Path:
    """The docs site ``make test`` built a moment ago with ``mkdocs build --strict``
    (``FAIRHIRE_DOCS_SITE``), or a fresh strict build."""
    built = os.environ.get("FAIRHIRE_DOCS_SITE")
    if built and (Path(built) / "index.html").is_file():
        return Path(built)
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "end of life" not in done.stderr + done.stdout
    return site


def test_docs_site_from_disk(browser, docs_site):
    requests: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto((docs_site / "index.html").as_uri())
        links = page.evaluate("""() => [...document.querySelectorAll('nav a.md-nav__link[href]')]
            .map(a => a.href).filter(h => h.startsWith('file:') && !h.includes('#'))""")
        assert len(set(links)) >= 10
        for url in sorted(set(links)):
            assert not url.endswith("/"), url
            page.goto(url)
            assert page.locator("article h1").count() >= 1, url
        page.goto((docs_site / "methods" / "adverse-impact.html").as_uri())
        assert page.locator("math").count() > 3
        assert "\\frac" not in page.evaluate("document.body.innerText")
        box = page.locator("math").first.bounding_box()
        assert box is not None and box["width"] > 5  # drawn, not raw text
    finally:
        page.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []


def test_docs_pages_fit_a_phone(browser, docs_site):
    """No docs page is wider than a 390-px phone: long formulas, tables and code scroll inside
    their own boxes (display formulas once widened seven methods pages to 454-865 px)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        wide = {}
        for html in sorted(docs_site.rglob("*.html")):
            if "assets" in html.parts or html.name == "404.html":
                continue
            page.goto(html.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 391:
                wide[str(html.relative_to(docs_site))] = width
        assert wide == {}
    finally:
        page.close()
