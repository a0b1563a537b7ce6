"""Report partials of the four promotion results: every format, escaping, suppression, charts."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.promotion.rates import promotion_disparity
from fairhire.promotion.ratings import rating_disparity
from fairhire.promotion.representation import representation
from fairhire.promotion.survival import time_to_promotion
from fairhire.report.registry import partial_for
from fairhire.report.testing import HOSTILE_LABEL, check_renders

LEVELS = ["L1", "L2", "L3", "L4", "L5"]


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    df = fh.datasets.make_workforce(1500, random_state=3)
    return df.loc[df["sex"].notna()].reset_index(drop=True)


@pytest.fixture(scope="module")
def hostile_staff(staff) -> pd.DataFrame:
    return staff.assign(sex=staff["sex"].replace({"Non-binary": HOSTILE_LABEL}))


def analyses(df: pd.DataFrame) -> dict[str, object]:
    return {
        "promotion_disparity": promotion_disparity(
            df, group="sex", promoted="promoted", level="level",
            controls=["performance_rating"], min_share=0.02,
        ),
        "time_to_promotion": time_to_promotion(
            df, group="sex", duration="months_in_level", event="promoted", controls=["level"]
        ),
        "representation_by_level": representation(df, group="sex", level="level", order=LEVELS),
        "rating_disparity": rating_disparity(
            df, group="sex", rating="performance_rating", min_share=0.02
        ),
    }  # fmt: skip


@pytest.fixture(scope="module")
def results(staff):
    return analyses(staff)


@pytest.fixture(scope="module")
def hostile_results(hostile_staff):
    return analyses(hostile_staff)


@pytest.mark.parametrize(
    "name",
    ["promotion_disparity", "time_to_promotion", "representation_by_level", "rating_disparity"],
)
def test_partial_renders_escapes_and_suppresses(name, results, hostile_results):
    result = results[name]
    assert partial_for(result) == name
    out = check_renders(result, hostile=hostile_results[name])
    html, md = out["html"], out["markdown"]
    assert "<svg" in html  # every promotion partial draws a chart
    body = html.split('id="methodology"')[0]  # the report's own limitations may use the word
    assert "discriminat" not in body.lower()
    # the Markdown twin carries the same tables
    assert md.count("\n|---") >= 1
    small = check_renders(result, min_cell=5)
    assert "&lt; 5" in small["html"] or "< 5" in small["markdown"]
    payload = json.loads(small["json"])
    assert payload["sections"]


def test_figures_reach_the_report(results):
    from fairhire.report.report import Report

    report = Report(title="t", generated_at="2026-01-01T00:00:00+00:00")
    report.add(results["time_to_promotion"]).add(results["representation_by_level"])
    out = {"html": report.render_html(), "markdown": report.render_markdown()}
    t = results["time_to_promotion"].table.set_index("group")
    hr = t.loc["Female", "hazard_ratio"]
    assert f"{hr:.2f}" in out["html"]
    assert "Brookmeyer–Crowley" in out["html"]
    rep = out
    assert "Cochran–Armitage" in rep["markdown"]
    assert "p = = " not in rep["markdown"] and "p = &lt;" not in rep["html"]


def test_survival_chart_cuts_curves_at_small_risk_sets(results):
    from fairhire.report.charts.promotion import survival_curves

    tt = results["time_to_promotion"]
    chart = survival_curves(tt, min_cell=5)
    assert chart is not None and "Non-binary" in chart.alt  # 1% of 1,500 = 15 people: drawn
    big = survival_curves(tt, min_cell=100)
    assert "Not drawn (fewer than 100 people): Non-binary" in big.alt


def test_json_suppresses_extra_count_columns(results):
    from fairhire.report.report import Report

    report = Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    report.add(results["rating_disparity"])
    data = json.loads(report.render_json())
    text = json.dumps(data)
    assert "top_count" in text
    rd = results["rating_disparity"].table
    tiny = rd.loc[rd["top_count"] < 5]
    if len(tiny):
        section = json.dumps(data["sections"][0])
        assert '"suppressed"' in section


def test_tiny_group_is_not_the_default_survival_reference():
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame({
        "g": ["a"] * 200 + ["b"] * 196 + ["tiny"] * 4,
        "t": rng.integers(1, 40, n),
        "e": rng.random(n) < 0.5,
    })  # fmt: skip
    df.loc[df["g"] == "tiny", ["t", "e"]] = [1, True]  # very fast, but 1% of employees
    tt = time_to_promotion(df, group="g", duration="t", event="e")
    assert tt.reference_group in {"a", "b"}
    # the size rule has two parts: min_share and min_n (the core's reference policy)
    tt2 = time_to_promotion(df, group="g", duration="t", event="e", min_share=None)
    assert tt2.reference_group in {"a", "b"}
    tt3 = time_to_promotion(df, group="g", duration="t", event="e", min_share=None, min_n=1)
    assert tt3.reference_group == "tiny"
