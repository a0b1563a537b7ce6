"""The job_description report partial: renders in every format, escapes the ad, no URLs."""

from __future__ import annotations

import json

import fairhire as fh
from fairhire.report.testing import HOSTILE_LABEL, check_renders


def _scan(text: str):
    return fh.scan_job_description(text)


def test_job_description_renders():
    ads = fh.datasets.load_job_ads()
    scan = _scan(ads.text[4])  # the sales ad: gendered titles, national origin, pronouns
    hostile = _scan(
        f"Ninja wanted {HOSTILE_LABEL}\n\nResponsibilities:\n- Lead <b>the</b> team | * _x_\n"
        "- =cmd @user +1 -2\n\nWe are an equal opportunity employer.\n"
    )
    out = check_renders(scan, hostile=hostile)
    html, md = out["html"], out["markdown"]
    assert "<mark" in html and ">Salesman</mark><sup>1</sup>" in html
    # a word used twice has one note: "Salesman" (line 1) and "salesman" (line 3) are note 1
    assert "**salesman**<sup>1</sup>" in md and ">salesman</mark><sup>1</sup>" in html
    assert "Hover" not in html and "hover" not in html
    assert "|masculine" not in html and ">=" not in md
    assert "single pay figure" in html and "single pay figure" in md
    assert "masculine-coded" in html and "masculine-coded" in md
    for fmt in (out["hostile_html"], out["hostile_markdown"]):
        assert "<b>the</b>" not in fmt
    assert "&lt;b&gt;the&lt;/b&gt;" in out["hostile_html"]
    assert "**Ninja**<sup>1</sup>" in out["hostile_markdown"]
    assert "\\_x\\_" in out["hostile_markdown"]
    data = json.loads(out["json"])
    assert data["sections"][0]["result"]["label"] == scan.label


def test_clean_and_empty_ads_render():
    ads = fh.datasets.load_job_ads()
    out = check_renders(_scan(ads.text[0]))
    assert "No coded language found." in out["html"]
    check_renders(_scan(""))
    only_age = fh.scan_job_description("A young team.", categories=["age"])
    out = check_renders(only_age)
    assert "not assessed" in out["markdown"]
