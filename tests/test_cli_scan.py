"""`fairhire scan`: one summary row per ad with its status and checks; findings listed once."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from fairhire.cli import main


@pytest.fixture()
def ads(tmp_path) -> Path:
    folder = tmp_path / "ads"
    folder.mkdir()
    (folder / "a.txt").write_text("We need a rockstar ninja. Pay: $50,000-$60,000. We are an "
                                  "equal opportunity employer.", encoding="utf-8")
    (folder / "b.txt").write_text("A friendly team.", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (folder / "d.md").write_text("", encoding="utf-8")
    (folder / "e.txt").write_text("Plain words only.", encoding="utf-8")
    return folder


def test_folder_scan_keeps_every_ad_with_its_status(ads, capsys):
    assert main(["scan", str(ads), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    rows = {Path(r["ad"]).name: r for r in json.loads(out)}
    assert set(rows) == {"a.txt", "b.txt", "c.txt", "d.md", "e.txt"}
    assert rows["c.txt"]["status"] == "unreadable: not a text file"
    assert rows["d.md"]["status"] == "no text"
    assert rows["e.txt"]["status"] == "ok" and rows["e.txt"]["findings"] == []
    a = rows["a.txt"]
    assert a["pay_range"] == "range" and a["eeo_statement"] == "yes"
    assert a["accommodation_statement"] == "no"
    assert [f["term"] for f in a["findings"]] == ["rockstar", "ninja"]
    assert "c.txt" in err and "fairhire: warning:" in err


def test_csv_output_one_row_per_ad_and_findings_file(ads, tmp_path, capsys):
    out, findings = tmp_path / "ads.csv", tmp_path / "findings.csv"
    argv = ["scan", str(ads), "--format", "csv", "--output", str(out), "--findings", str(findings)]
    assert main(argv) == 0
    assert "wrote 5 ads (1 with findings, 2 not scanned)" in capsys.readouterr().out
    summary = pd.read_csv(out)
    assert len(summary) == 5 and "label" in summary and "eeo_statement" in summary
    assert summary["words"].dropna().map(float.is_integer).all()
    detail = pd.read_csv(findings)
    assert "label" not in detail.columns and set(detail["term"]) >= {"rockstar", "ninja"}


def test_table_output_prints_checks_and_does_not_repeat_the_label(ads, capsys):
    assert main(["scan", str(ads / "a.txt"), str(ads / "b.txt")]) == 0
    out = capsys.readouterr().out
    assert "pay range" in out and "eeo statement" in out and "accommodation statement" in out
    finding_lines = [line for line in out.splitlines() if "rockstar" in line or "ninja" in line]
    assert finding_lines and not any("neutral" in line or "coded" in line for line in
                                     finding_lines[1:])


def test_table_file_without_column_is_an_error(tmp_path, capsys):
    (tmp_path / "applicants.csv").write_text("id,text\n1,hello\n", encoding="utf-8")
    assert main(["scan", str(tmp_path / "applicants.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("fairhire: error:") == 1 and "--column" in err


def test_table_with_column(tmp_path, capsys):
    (tmp_path / "ads.csv").write_text("id;text\nA1;a rockstar\nA2;\n", encoding="utf-8")
    assert main(["scan", str(tmp_path / "ads.csv"), "--column", "text", "--id-column", "id",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["ok", "no text"]
    assert rows[0]["ad"].endswith("[A1]")


def test_repeated_and_blank_ids_still_tell_the_ads_apart(tmp_path, capsys):
    """An ATS export with one requisition posted twice and a row without an id: the CSV had
    two rows named 'ads.csv [R-2]' and one 'ads.csv [nan]'."""
    pd.DataFrame({"id": ["R-1", "R-2", "R-2", None],
                  "text": ["rockstar ninja", "caring team", "supportive team", "dominant"]}
                 ).to_csv(tmp_path / "ads.csv", index=False)
    out = tmp_path / "scan.csv"
    assert main(["scan", str(tmp_path / "ads.csv"), "--column", "text", "--id-column", "id",
                 "--format", "csv", "--output", str(out)]) == 0
    names = pd.read_csv(out)["ad"].str.extract(r"\[(.*)\]")[0].tolist()
    assert names == ["R-1", "R-2 (row 2)", "R-2 (row 3)", "row 4"]
    err = capsys.readouterr().err
    assert "1 ad without an id" in err and "2 ads sharing an id (['R-2'])" in err


def test_formula_in_ad_text_is_neutralised_in_csv(tmp_path, capsys):
    (tmp_path / "=cmd.txt").write_text("=HYPERLINK(1) rockstar", encoding="utf-8")
    out = tmp_path / "f.csv"
    assert main(["scan", str(tmp_path / "=cmd.txt"), "--format", "csv", "--output", str(out),
                 "--findings", str(tmp_path / "g.csv")]) == 0
    for path in (out, tmp_path / "g.csv"):
        for cell in pd.read_csv(path, dtype=str).fillna("").to_numpy().ravel():
            assert not cell.startswith(("=", "+", "@")), cell


def test_unknown_lexicon_is_one_line(ads, capsys):
    assert main(["scan", str(ads / "a.txt"), "--lexicon", "nope"]) == 2
    assert capsys.readouterr().err.count("fairhire: error:") == 1


def test_report_has_a_section_per_ad_and_names_those_not_scanned(ads, tmp_path, capsys):
    import fairhire as fh

    (ads / "f.txt").write_text("<script>alert(1)</script> an aggressive <b>rockstar</b>",
                               encoding="utf-8")
    out_dir = tmp_path / "r"
    assert main(["scan", str(ads), "--report", str(out_dir), "--report-format", "json,html",
                 "--title", "Ads <i>Q4</i>"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {out_dir / 'audit.html'}" in out and not (out_dir / "audit.md").exists()
    doc = json.loads((out_dir / "audit.json").read_text())
    titles = [Path(s["title"]).name for s in doc["sections"]]
    assert titles == ["a.txt", "b.txt", "e.txt", "f.txt"]  # the four ads with text
    first = doc["sections"][0]
    assert first["notes"] == [f"2 ads given but not scanned: {ads / 'c.txt'}: unreadable: not "
                              f"a text file; {ads / 'd.md'}: no text."]
    a = fh.scan_job_description((ads / "a.txt").read_text(encoding="utf-8"))
    assert [f["term"] for f in first["result"]["findings"]] == [f.term for f in a.findings]
    html = (out_dir / "audit.html").read_text()
    assert "<script>alert" not in html and "<b>rockstar" not in html and "<i>Q4" not in html
    assert "&lt;i&gt;Q4&lt;/i&gt;" in html
    # a report of ads only explains coded words, not ratios, p-values or small-count suppression
    assert "<dt>Coded words</dt>" in html and "<dt>Impact ratio</dt>" not in html
    assert "<dt>p-value</dt>" not in html and "four-fifths" not in html.split('id="s1-')[0]


def test_a_report_with_people_and_ads_explains_both_kinds():
    import fairhire as fh

    counts = {"group": ["men", "women"], "n": [80, 40], "hired": [48, 12]}
    ai = fh.adverse_impact_from_counts(counts, group="group", applicants="n", selected="hired")
    ad = fh.scan_job_description("A competitive, dominant rockstar.")
    for fmt in ("render_html", "render_markdown"):
        ads_only = getattr(fh.Report().add(ad), fmt)()
        both = getattr(fh.Report().add(ad).add(ai), fmt)()
        assert "Impact ratio" in both and "Coded words" not in both
        assert "Coded words" in ads_only and "Impact ratio" not in ads_only


def test_no_report_when_no_ad_has_text(tmp_path, capsys):
    folder = tmp_path / "ads"
    folder.mkdir()
    (folder / "a.txt").write_text("", encoding="utf-8")
    assert main(["scan", str(folder), "--report", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "no ad has text to scan" in err and "report.add" not in err
    assert not (tmp_path / "r").exists()


# -- Word documents -----------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
AD_LINES = ["Senior Engineer", "Requirements:", "We want a rockstar\tninja who is aggressive.",
            "Salary: $120,000 - $150,000.", "We are an equal opportunity employer."]


def _docx(path: Path, lines=AD_LINES) -> Path:
    """A minimal Word document: one paragraph per line (a tab as <w:tab/>), a run split."""
    import zipfile

    def paragraph(line: str) -> str:
        runs = "<w:tab/>".join(f'<w:t xml:space="preserve">{part}</w:t>'
                               for part in line.split("\t"))
        return f"<w:p><w:r>{runs}</w:r></w:p>"

    xml = f"<w:document {_W}><w:body>{''.join(map(paragraph, lines))}</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return path


def test_a_word_document_is_scanned_as_its_text(tmp_path, capsys):
    # a .docx was "not a text file"; job ads are often written in Word
    _docx(tmp_path / "ad.docx")
    (tmp_path / "ad.txt").write_text("\n".join(AD_LINES))
    assert main(["scan", str(tmp_path / "ad.docx"), "--format", "json"]) == 0
    from_word = json.loads(capsys.readouterr().out)
    assert main(["scan", str(tmp_path / "ad.txt"), "--format", "json"]) == 0
    from_text = json.loads(capsys.readouterr().out)
    for a, b in zip(from_word, from_text, strict=True):
        a.pop("ad"), b.pop("ad")
        assert a == b and a["status"] == "ok"


def test_a_folder_of_word_documents_skips_office_lock_files(tmp_path, capsys):
    _docx(tmp_path / "one.docx")
    (tmp_path / "~$one.docx").write_bytes(b"\x08owner\x00\x00")  # Word's lock file
    (tmp_path / "two.txt").write_text("A supportive team.")
    assert main(["scan", str(tmp_path), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "one.docx" in out and "two.txt" in out and "~$" not in out


@pytest.mark.parametrize("head,what", [(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"),
                                       (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
                                        "an old Word document (.doc)")])
def test_a_pdf_or_an_old_doc_says_how_to_save_it(tmp_path, capsys, head, what):
    (tmp_path / "ad.bin").write_bytes(head + b"\x00" * 64)
    assert main(["scan", str(tmp_path / "ad.bin")]) == 2
    err = capsys.readouterr().err
    assert f"is {what}" in err and "Save it as .docx or .txt" in err


def test_an_audit_config_reads_word_ads(tmp_path):
    _docx(tmp_path / "ad.docx")
    (tmp_path / "a.toml").write_text('[report]\ntitle = "Ads"\noutput = "out"\n'
                                     'formats = ["json"]\n[[analysis]]\n'
                                     'type = "job_description"\npath = "*.docx"\n')
    assert main(["audit", str(tmp_path / "a.toml")]) == 0
    section = json.loads((tmp_path / "out" / "audit.json").read_text())["sections"][0]
    import fairhire as fh

    expected = fh.scan_job_description("\n".join(AD_LINES))
    assert section["title"] == "Job ad: ad"
    assert section["result"]["word_count"] == expected.word_count > 10
    assert section["result"]["label"] == expected.label
