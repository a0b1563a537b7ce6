"""Job ads exported as HTML are scanned as the text a candidate sees, not as their markup.

An applicant tracking system's export holds ``<p class="lead">``, scripts and ``&nbsp;``:
scanned as written, the markup gave coded-language findings no reader sees and hid the salary.
"""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.datasets import job_ads
from fairhire.language.markup import html_text, looks_like_html

AD = (
    '<div class="content-intro"><h2>About&nbsp;the role</h2>'
    '<p class="lead">You will support our customers&nbsp;and work with a friendly team.</p>'
    "<script>var aggressive = true;</script><style>.dominant { color: red }</style>"
    "<!-- ninja comment --><h3>Requirements</h3>"
    "<ul><li>Collaborate with engineers</li><li>3+ years of experience</li></ul>"
    "<p>Salary:&nbsp;&pound;40,000&ndash;&pound;50,000 per year</p></div>"
)


def test_markup_is_not_read_as_words():
    scan = fh.scan_job_description(AD)
    terms = [f.term for f in (*scan.findings, *scan.suppressed)]
    assert terms == ["support"]  # not "lead" (a class), "aggressive" (a script), "ninja"
    assert scan.checks.salary_range and scan.checks.salary_min == 40000
    assert scan.checks.salary_currency == "GBP"
    assert any("HTML" in w for w in scan.warnings)


def test_the_scan_of_html_is_the_scan_of_its_text():
    text = html_text(AD)
    as_html, as_text = fh.scan_job_description(AD), fh.scan_job_description(text)
    assert as_html.text == text
    for f in as_html.findings:
        assert as_html.text[f.start:f.end] == f.term
    pd.testing.assert_frame_equal(as_html.to_frame(), as_text.to_frame())
    assert as_html.checks == as_text.checks and as_html.label == as_text.label
    assert as_text.warnings == ()


def test_html_can_be_forced_either_way():
    raw = fh.scan_job_description(AD, html=False)
    assert raw.text == AD and "lead" in [f.term.lower() for f in raw.findings]
    assert raw.warnings == ()
    one_tag = "We want a <b>dominant</b> leader."
    assert not looks_like_html(one_tag)
    forced = fh.scan_job_description(one_tag, html=True)
    assert forced.text == "We want a dominant leader."


def test_the_batch_reads_each_ad_as_the_single_scan_does():
    ads = [AD, "We want a dominant leader.", None]
    table = fh.scan_job_descriptions(ads)
    assert table["html"].tolist()[:2] == [True, False]
    one = fh.scan_job_description(AD)
    assert table.loc[0, "n_findings"] == len(one.findings)
    assert table.loc[0, "salary_min"] == 40000
    forced = fh.scan_job_descriptions(ads, html=False)
    assert forced["html"].tolist()[:2] == [False, False]
    assert forced.loc[0, "n_findings"] > table.loc[0, "n_findings"]


@pytest.mark.parametrize("text", [
    "Requirements: <5 years of experience, salary > £30k",
    "## Role\n\nLine one<br>\n- a bullet",
    "Use <angle> brackets <like> this",
])
def test_plain_and_markdown_ads_are_read_as_written(text):
    assert not looks_like_html(text)
    assert fh.scan_job_description(text).text == text


def test_no_bundled_ad_is_taken_for_html():
    for text in job_ads.load_job_ads()["text"]:
        assert not looks_like_html(text)


def test_entities_scripts_and_blocks():
    text = html_text("<p>Caf&eacute; &amp; bar&#8217;s&nbsp;team</p><br/><p>Next</p>"
                     "<noscript>tender</noscript>")
    assert text == "Café & bar’s team\n\nNext"


def test_the_command_line_scans_an_html_file(tmp_path, capsys):
    (tmp_path / "ad.html").write_text(AD, encoding="utf-8")
    assert main(["scan", str(tmp_path / "ad.html"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"term": "support"' in out and '"aggressive"' not in out


def test_a_table_of_html_descriptions_gets_one_note(tmp_path, capsys):
    pd.DataFrame({"id": [1, 2, 3], "description": [AD, "Plain ad, supportive team.", AD]}).to_csv(
        tmp_path / "postings.csv", index=False)
    assert main(["scan", str(tmp_path / "postings.csv"), "--column", "description",
                 "--id-column", "id"]) == 0
    err = capsys.readouterr().err
    assert err.count("read as HTML") == 1 and "2 ads (e.g." in err
    assert main(["scan", str(tmp_path / "postings.csv"), "--column", "description",
                 "--no-html", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "read as HTML" not in captured.err and '"aggressive"' in captured.out
