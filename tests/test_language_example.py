"""examples/scan_job_ads.py runs on the bundled ads and on a folder, and neutralises formulas."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scan_job_ads.py"


def _load():
    spec = importlib.util.spec_from_file_location("scan_job_ads_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_example_runs_on_bundled_ads(capsys):
    module = _load()
    module.main([])
    out = capsys.readouterr().out
    assert "02_backend_engineer" in out and "strongly masculine-coded" in out
    rows = list(csv.DictReader(open(module.OUTPUT / "job_ad_findings.csv", encoding="utf-8")))
    assert {r["ad_id"] for r in rows} >= {"02_backend_engineer", "05_sales_representative"}
    rewritten = (module.OUTPUT / "job_ad_rewrites" / "05_sales_representative.txt").read_text()
    assert "Salesperson" in rewritten and "Salesman" not in rewritten


def test_example_neutralises_spreadsheet_formulas(tmp_path, monkeypatch, capsys):
    module = _load()
    monkeypatch.setattr(module, "OUTPUT", tmp_path / "out")
    ads = tmp_path / "ads"
    ads.mkdir()
    (ads / "=evil.txt").write_text("=HYPERLINK(\"x\")\n\nWe want a rockstar.\n", "utf-8")
    (ads / "plain.md").write_text("@mention\n\n+ a young team\n", "utf-8")
    module.main([str(ads)])
    capsys.readouterr()
    summary = list(csv.DictReader(open(tmp_path / "out" / "job_ad_summary.csv", encoding="utf-8")))
    by_id = {r["ad_id"]: r for r in summary}
    assert "'=evil" in by_id and by_id["'=evil"]["title"].startswith("'=HYPERLINK")
    assert by_id["plain"]["title"] == "'@mention"
    findings = list(csv.DictReader(open(tmp_path / "out" / "job_ad_findings.csv",
                                        encoding="utf-8")))
    assert [(r["ad_id"], r["term"]) for r in findings] == [("'=evil", "rockstar"),
                                                          ("plain", "young")]
    for row in summary + findings:
        for value in row.values():
            assert (value or "x")[0] not in "=+-@"
