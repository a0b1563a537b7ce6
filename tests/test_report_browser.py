"""Open the report in headless Chromium: screenshot and print to PDF (skipped without it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import fairhire as fh

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
BROWSER = next((c for c in CANDIDATES if Path(c).exists()), None) or shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); the headless "
    "screenshot and print-to-PDF check of the HTML report needs it.",
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _run(args: list[str], profile: Path) -> None:
    done = subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_report_opens_screenshots_and_prints_in_chromium(tmp_path):
    counts = {
        "stage": ["interview"] * 2 + ["offer"] * 2,
        "group": ["men", "women"] * 2,
        "n": [200, 180, 90, 50],
        "selected": [90, 50, 40, 12],
    }
    ai = fh.adverse_impact_from_counts(
        counts, group="group", applicants="n", selected="selected", stage="stage",
        stage_order=["interview", "offer"],
    )
    report = fh.Report(title="Browser check", organization="Test Co",
                       generated_at="2026-01-31T09:00:00+00:00").add(ai)
    html = report.to_html(tmp_path / "audit.html")
    png, pdf = tmp_path / "audit.png", tmp_path / "audit.pdf"
    url = html.resolve().as_uri()
    _run(["--window-size=1280,2000", f"--screenshot={png}", url], tmp_path / "profile-1")
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", url], tmp_path / "profile-2")
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    # print CSS starts each part on a new page: several pages
    assert pdf.read_bytes().count(b"/Type /Page") - pdf.read_bytes().count(b"/Type /Pages") >= 4
