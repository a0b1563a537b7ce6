"""The report layer: structure, registry, escaping, determinism, suppression, overrides."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
import pytest

import fairhire as fh
from fairhire._results import Headline, Result
from fairhire.errors import InvalidParameterError, ReportError
from fairhire.report import registry
from fairhire.report.report import SCHEMA_VERSION, Report
from fairhire.report.testing import HOSTILE_LABEL, assert_no_external_urls, check_renders

STAGES = ["screened", "interviewed", "offered", "hired"]
WHEN = "2026-01-31T09:00:00+00:00"


@pytest.fixture(scope="module")
def funnel() -> pd.DataFrame:
    return fh.datasets.make_hiring_funnel(10_000, random_state=0)


@pytest.fixture(scope="module")
def ai(funnel):
    return fh.adverse_impact(funnel, group="sex", stages=STAGES)


@pytest.fixture(scope="module")
def ai_strata(funnel):
    return fh.adverse_impact(funnel, group="sex", stages=STAGES, strata="requisition")


@pytest.fixture(scope="module")
def hostile(funnel):
    bad = funnel.copy()
    bad["sex"] = bad["sex"].replace({"Female": HOSTILE_LABEL})
    return fh.adverse_impact(bad, group="sex", stages=STAGES)


@pytest.fixture(scope="module")
def rendered(ai_strata):
    report = Report(
        title="Hiring audit 2026",
        organization="Example Corp",
        period="FY2025",
        author="Audit team",
        generated_at=WHEN,
    ).add(ai_strata, title="Funnel by sex", notes="Stratified by requisition.")
    return report, report.render_html(), report.render_markdown(), report.render_json()


# -- structure -----------------------------------------------------------------------------------
def test_html_contains_every_part_in_order(rendered):
    report, html, _, _ = rendered
    anchor = report.sections[0].anchor
    markers = [
        'id="cover"',
        'id="summary"',
        f'id="{anchor}"',
        'id="methodology"',
        'id="data"',
        'id="limitations"',
        'id="appendix"',
    ]
    positions = [html.index(m) for m in markers]
    assert positions == sorted(positions)
    for text in ("Hiring audit 2026", "Example Corp", "FY2025", "Audit team", WHEN,
                 f"fairhire {fh.__version__}", "Funnel by sex", "Stratified by requisition."):
        assert text in html
    # table of contents links every part
    toc = html[html.index('<nav class="toc"'):html.index("</nav>")]
    for target in ("#summary", f"#{anchor}", "#methodology", "#data", "#limitations", "#appendix"):
        assert f'href="{target}"' in toc


def test_markdown_has_same_parts_and_github_tables(rendered):
    _, _, md, _ = rendered
    for heading in ("# Hiring audit 2026", "## Executive summary", "## Funnel by sex",
                    "## Methodology", "## Data and exclusions", "## Limitations",
                    "## Reproducibility appendix"):
        assert f"\n{heading}\n" in "\n" + md
    assert "<svg" not in md
    assert "(The chart is in the HTML report.)" in md
    lines = md.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Group | Applicants"))
    assert re.fullmatch(r"\|(-{3}:?\|)+|\|(---:?\|)+", lines[header + 1].replace("---:", "---"))
    # every table row has the header's number of cells
    ncells = lines[header].count(" | ")
    row = lines[header + 2]
    assert row.count(" | ") == ncells


def test_executive_summary_states_flagged_findings_by_severity(ai):
    report = Report(title="t", generated_at=WHEN).add(ai)
    html = report.render_html()
    md = report.render_markdown()
    headlines = ai.headlines()
    assert any(h.severity == 3 for h in headlines), "fixture should have a flagged finding"
    summary = html[html.index('id="summary"'):html.index(f'id="{report.sections[0].anchor}"')]
    for h in headlines:
        escaped = h.text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;")
        assert escaped in summary
    # flagged (3) before review (2)
    sev3 = [h for h in headlines if h.severity == 3]
    sev2 = [h for h in headlines if h.severity == 2]
    if sev3 and sev2:
        first3 = summary.index(sev3[0].text.split(",")[0])
        first2 = summary.index(sev2[0].text.split(",")[0])
        assert first3 < first2
    assert "**Flagged.**" in md
    data = json.loads(report.render_json())
    assert [s["severity"] for s in data["summary"]] == sorted(
        (s["severity"] for s in data["summary"]), reverse=True
    )
    assert "discriminat" not in summary.lower()


def test_summary_orders_across_sections():
    low = FakeResult(headline_list=(Headline(severity=1, text="context only"),))
    high = FakeResult(headline_list=(Headline(severity=3, text="serious finding"),))
    with fake_partial():
        report = Report(title="t", generated_at=WHEN).add(low).add(high)
        items = json.loads(report.render_json())["summary"]
    assert [i["text"] for i in items] == ["serious finding", "context only"]
    assert items[0]["section"] == report.sections[1].anchor


def test_json_has_schema_version_and_every_figure(rendered, ai_strata):
    _, _, _, js = rendered
    data = json.loads(js)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["report"]["fairhire_version"] == fh.__version__
    section = data["sections"][0]
    table = section["result"]["table"]
    assert len(table) == len(ai_strata.table)
    for rec, (_, row) in zip(table, ai_strata.table.iterrows(), strict=True):
        for col in ("applicants", "selected", "impact_ratio", "p_value_fisher", "ci_low"):
            if pd.isna(row[col]):
                assert rec[col] is None
            else:
                assert rec[col] == pytest.approx(float(row[col]))
    assert section["result"]["strata"], "strata table missing from JSON"
    assert section["fingerprint"] == ai_strata.fingerprint
    assert section["rows"] == ai_strata.rows.to_dict()
    assert data["methodology"] and data["limitations"]
    assert "NaN" not in js and "Infinity" not in js


def test_methodology_lists_formulas_and_sources(rendered):
    _, html, md, _ = rendered
    assert "29 CFR 1607.4(D)" in html and "Morris" in html
    assert "5 · a · m  &lt;  4 · b · n" in html
    assert '<pre class="formula">' in html
    assert "```text" in md
    # strata were used: Mantel-Haenszel is described; without strata it is not
    assert 'id="method-mantel-haenszel"' in html


def test_methodology_only_if_drops_unused_entries(ai):
    html = Report(title="t", generated_at=WHEN).add(ai).render_html()
    assert 'id="method-mantel-haenszel"' not in html
    assert 'id="method-impact-ratio"' in html


def test_limitations_say_what_the_report_is_not(rendered):
    _, html, md, _ = rendered
    lim = html[html.index('id="limitations"'):html.index('id="appendix"')]
    assert "statistical" in lim.lower() and "practical" in lim.lower()
    assert "rule of thumb" in lim and "not a legal finding" in lim
    assert "Small samples" in lim
    assert "not a legal finding" in md


def test_data_and_exclusions_account_for_rows(rendered, ai_strata):
    _, html, md, _ = rendered
    data = html[html.index('id="data"'):html.index('id="limitations"')]
    assert f"{ai_strata.rows.used:,}" in data and f"{ai_strata.rows.total:,}" in data
    for reason in ai_strata.rows.excluded:
        assert f"excluded: {reason}" in data
    assert "Unknown group, by stage" in data
    assert "Unknown group, by stage" in md


def test_reproducibility_appendix(tmp_path, ai):
    src = tmp_path / "applicants.csv"
    src.write_bytes(b"id,sex\n1,F\n")
    report = Report(title="t", generated_at=WHEN, inputs={"applicants": src}).add(ai)
    html = report.render_html()
    appendix = html[html.index('id="appendix"'):]
    assert hashlib.sha256(src.read_bytes()).hexdigest() in appendix
    assert ai.fingerprint in appendix
    for lib in ("pandas", "numpy", "scipy", "matplotlib", "jinja2", "python"):
        assert f">{lib}<" in appendix
    assert "&#34;holm&#34;" in appendix  # parameters, as JSON
    data = json.loads(report.render_json())
    assert data["reproducibility"]["inputs"][0]["sha256"] == hashlib.sha256(
        src.read_bytes()
    ).hexdigest()
    assert data["reproducibility"]["sections"][0]["params"]["adjust"] == "holm"


def test_write_files(tmp_path, ai):
    report = Report(title="t", generated_at=WHEN).add(ai)
    paths = [report.to_html(tmp_path / "out" / "a.html"), report.to_markdown(tmp_path / "a.md"),
             report.to_json(tmp_path / "a.json")]
    assert all(p.exists() and p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_text(encoding="utf-8") == report.render_html()
    json.loads(paths[2].read_text(encoding="utf-8"))


# -- the registry ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class FakeResult(Result):
    """A result type added 'later', to show that new types plug in through the registry."""

    label: str = "group A"
    headline_list: tuple[Headline, ...] = ()
    kind: ClassVar[str] = "fake analysis"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"group": [self.label], "n": [12]})

    def summary(self) -> str:
        return "fake"

    def headlines(self) -> list[Headline]:
        return list(self.headline_list)


class fake_partial:
    """Register FakeResult with a partial in a temporary template directory."""

    key = f"{FakeResult.__module__}.{FakeResult.__qualname__}"

    def __enter__(self):
        registry.PARTIALS[self.key] = "fake_result"
        return self

    def __exit__(self, *exc):
        registry.PARTIALS.pop(self.key, None)


@pytest.fixture(autouse=True)
def _fake_templates(monkeypatch, tmp_path_factory):
    """Packaged-template lookups also see tests' fake partials (as a user template_dir would)."""
    root = tmp_path_factory.getbasetemp() / "fake_templates"
    (root / "partials").mkdir(parents=True, exist_ok=True)
    (root / "partials" / "fake_result.html.j2").write_text(
        "<p>label: {{ result.label }}</p>{{ data_table(result.to_frame(), "
        "columns=[('group', 'Group', 'text'), ('n', 'N', 'count')], counts=('n',)) }}",
        encoding="utf-8",
    )
    (root / "partials" / "fake_result.md.j2").write_text(
        "label: {{ result.label }}\n\n{{ data_table(result.to_frame(), "
        "columns=[('group', 'Group', 'text'), ('n', 'N', 'count')], counts=('n',)) }}\n",
        encoding="utf-8",
    )
    from fairhire.report import report as report_module

    original = report_module.Report._environment

    def environment(self, fmt, formatter, state):
        env = original(self, fmt, formatter, state)
        from jinja2 import ChoiceLoader, FileSystemLoader

        env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(root))])
        return env

    monkeypatch.setattr(report_module.Report, "_environment", environment)


def test_new_result_type_plugs_in_through_the_registry():
    with fake_partial():
        report = Report(title="t", generated_at=WHEN).add(FakeResult(label="<b>x</b>"))
        html = report.render_html()
        md = report.render_markdown()
    assert "label: &lt;b&gt;x&lt;/b&gt;" in html
    assert "label: &lt;b&gt;x&lt;/b&gt;" in md
    assert "Fake analysis" in html  # default title from result.kind
    assert "| Group | N |" in md


def test_unregistered_result_type_is_a_clear_error():
    with pytest.raises(ReportError, match=r"no report template is registered.*FakeResult"):
        Report(title="t").add(FakeResult())


def test_registered_type_without_partial_files_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(registry.PARTIALS, fake_partial.key, "no_such_partial")
    with pytest.raises(ReportError, match=r"partials/no_such_partial\.html\.j2 does not exist"):
        Report(title="t").add(FakeResult())


def test_add_rejects_non_results():
    with pytest.raises(ReportError, match="takes a fairhire result"):
        Report(title="t").add(pd.DataFrame({"a": [1]}))


def test_empty_report_is_an_error():
    with pytest.raises(ReportError, match="no sections"):
        Report(title="t").render_html()


# -- safety ----------------------------------------------------------------------------------
def test_hostile_group_label_is_escaped_and_inert(ai, hostile):
    out = check_renders(ai, hostile=hostile)
    h = out["hostile_html"]
    # inside the SVG charts too
    svg = h[h.index("<svg"):h.index("</svg>")]
    assert "<script" not in svg and "&lt;script&gt;" in svg
    # JSON carries the label as data, unchanged
    table = json.loads(out["hostile_json"])["sections"][0]["result"]["table"]
    assert HOSTILE_LABEL in {row["group"] for row in table}
    m = out["hostile_markdown"]
    assert "<script" not in m and "&lt;script&gt;alert(1)&lt;/script&gt;" in m


def test_hostile_title_notes_and_headline_are_escaped():
    evil = "<img src=x onerror=alert(1)> {{ 7*7 }} | =cmd"
    with fake_partial():
        report = Report(title=evil, organization=evil, period=evil, author=evil,
                        generated_at=WHEN)
        report.add(FakeResult(label=evil, headline_list=(Headline(severity=3, text=evil),)),
                   title=evil, notes=[evil])
        html = report.render_html()
        md = report.render_markdown()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html and ">49<" not in html
    assert "<img" not in md and "&lt;img" in md
    assert "\\|" in md  # pipes escaped so a label cannot add table columns
    assert_no_external_urls(html)


def test_markdown_cells_neutralise_formulas():
    with fake_partial():
        for label in ("=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)"):
            md = Report(title="t", generated_at=WHEN).add(FakeResult(label=label))
            row = next(line for line in md.render_markdown().splitlines()
                       if line.startswith("| '"))
            assert row.startswith("| '" + label[0])


def test_html_has_no_external_urls_or_resources(rendered):
    _, html, _, _ = rendered
    assert_no_external_urls(html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "xmlns" not in html and "<!DOCTYPE svg" not in html


@pytest.mark.parametrize(
    "snippet",
    ['<img src="https://example.com/x.png">', '<link rel="stylesheet" href="a.css">',
     "<p>see www.example.com</p>", '<a href="//evil.example.org/">x</a>'],
)
def test_url_checker_catches_external_references(snippet):
    with pytest.raises(AssertionError):
        assert_no_external_urls(f"<html><body>{snippet}</body></html>")


# -- determinism ------------------------------------------------------------------------------
def test_fixed_timestamp_gives_byte_identical_output(ai_strata):
    def build():
        return Report(title="t", organization="o", generated_at=WHEN).add(ai_strata)

    a, b = build(), build()
    assert a.render_html() == b.render_html()
    assert a.render_markdown() == b.render_markdown()
    assert a.render_json() == b.render_json()


def test_default_timestamp_is_fixed_at_construction(ai):
    report = Report(title="t").add(ai)
    assert report.render_json() == report.render_json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", report.generated_at)


# -- privacy ----------------------------------------------------------------------------------
def test_min_cell_suppresses_small_counts():
    counts = {"group": ["men", "women", "other"], "n": [80, 40, 4], "hired": [48, 3, 2]}
    ai = fh.adverse_impact_from_counts(counts, group="group", applicants="n", selected="hired")
    report = Report(title="t", generated_at=WHEN, min_cell=5).add(ai)
    html = report.render_html()
    md = report.render_markdown()
    data = json.loads(report.render_json())
    assert "&lt; 5" in html and "< 5" in md
    assert "Counts below 5" in html and "Counts below 5" in md
    section = html[html.index('class="result"'):html.index('id="methodology"')]
    # women: 3 selected of 40 -> count hidden, and the rate 7.5% that would reveal it too
    assert "7.5%" not in section and "<td class=\"num\">3</td>" not in section
    # unsuppressed counts stay
    assert ">80<" in section and ">48<" in section
    rows = {r["group"]: r for r in data["sections"][0]["result"]["table"]}
    assert rows["women"]["selected"] is None and rows["women"]["selection_rate"] is None
    assert rows["other"]["applicants"] is None
    assert rows["men"]["selected"] == 48
    assert "selected" in rows["women"]["suppressed"]
    # without min_cell nothing is hidden
    plain = Report(title="t", generated_at=WHEN).add(ai).render_html()
    assert "7.5%" in plain and "Counts below" not in plain


# -- parameters and overrides -----------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "5"])
def test_min_cell_must_be_a_positive_integer(bad):
    with pytest.raises(InvalidParameterError, match="min_cell"):
        Report(title="t", min_cell=bad)


def test_bad_generated_at():
    with pytest.raises(InvalidParameterError, match="generated_at"):
        Report(title="t", generated_at="last tuesday")
    with pytest.raises(InvalidParameterError, match="generated_at"):
        Report(title="t", generated_at=12)


def test_bad_inputs(tmp_path):
    with pytest.raises(InvalidParameterError, match=r"inputs\['applicants'\]"):
        Report(title="t", inputs={"applicants": tmp_path / "missing.csv"})


def test_bad_template_dir(tmp_path):
    with pytest.raises(ReportError, match="template_dir"):
        Report(title="t", template_dir=tmp_path / "nope")


def test_user_templates_extend_named_blocks(tmp_path, ai):
    (tmp_path / "report.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}<header id="cover"><h1>Custom: '
        "{{ report.title }}</h1></header>{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "report.md.j2").write_text(
        '{% extends "base.md.j2" %}{% block limitations %}\n## Our caveats\n{% endblock %}',
        encoding="utf-8",
    )
    report = Report(title="<T>", template_dir=tmp_path, generated_at=WHEN).add(ai)
    html = report.render_html()
    assert "<h1>Custom: &lt;T&gt;</h1>" in html and 'id="methodology"' in html
    md = report.render_markdown()
    assert "## Our caveats" in md and "## Limitations" not in md


def test_user_templates_run_in_the_sandbox(tmp_path, ai):
    (tmp_path / "report.html.j2").write_text(
        "{{ report.__class__.__init__.__globals__ }}", encoding="utf-8"
    )
    report = Report(title="t", template_dir=tmp_path, generated_at=WHEN).add(ai)
    with pytest.raises(ReportError, match=r"unsafe|not safely|access"):
        report.render_html()


# -- accessibility ----------------------------------------------------------------------------
def test_accessibility_markup(rendered):
    _, html, _, _ = rendered
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert 'name="viewport"' in html
    assert "<th>" not in html, "every header cell must say its scope"
    assert html.count('<th scope="col"') > 20 and html.count('<th scope="row"') > 10
    assert len(re.findall(r"<table\b", html)) == html.count("<caption>")
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 2
    for tag in svgs:
        assert 'role="img"' in tag and "aria-labelledby=" in tag
    assert html.count("<title id=") == 2 and html.count("<desc id=") == 2
    assert html.count("<figcaption>") == 2
    assert 'aria-label="Contents"' in html and 'class="skip"' in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_css_colours_meet_wcag_aa_contrast():
    from fairhire.report.templating import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("flag", "paper"),
             ("review", "paper"), ("ink", "tint"), ("muted", "tint"), ("flag", "flag-bg"),
             ("review", "review-bg"), ("accent", "info-bg"), ("ink", "review-bg")]
    for fg, bg in pairs:
        ratio = _contrast(colours[fg], colours[bg])
        assert ratio >= 4.5, f"{fg} on {bg}: contrast {ratio:.2f} < 4.5 (WCAG AA)"
