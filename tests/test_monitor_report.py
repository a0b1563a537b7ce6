"""The monitoring section of a report: every format, small-count suppression in every period."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

import fairhire as fh
from fairhire.report.charts.monitor import impact_ratio_over_time
from fairhire.report.suppress import Withheld
from fairhire.report.testing import HOSTILE_LABEL, check_renders
from fairhire.report.view import ReportView


def _three_quarters(female_hired=(48, 3, 45), female="Female") -> pd.DataFrame:
    """100 men and 100 women a quarter; 50 men hired each quarter."""
    rows = []
    for q, women in zip(("2025-Q1", "2025-Q2", "2025-Q3"), female_hired, strict=True):
        rows += [{"quarter": q, "sex": "Male", "hired": i < 50} for i in range(100)]
        rows += [{"quarter": q, "sex": female, "hired": i < women} for i in range(100)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def small() -> fh.MonitorResult:
    return fh.monitor(_three_quarters(), period="quarter", group="sex", stages="hired")


def _before_methodology(text: str) -> str:
    return text.split("Methodology")[1 if text.count("Methodology") > 1 else 0]


def test_monitor_renders_in_every_format():
    df = fh.datasets.make_hiring_funnel(4_000, periods=4, random_state=2)
    mon = fh.monitor(df, period="applied_on", freq="Q", group="sex",
                     stages=["screened", "interviewed", "hired"], min_share=0.03)
    hostile = fh.monitor(_three_quarters(female=HOSTILE_LABEL), period="quarter", group="sex",
                         stages="hired")
    out = check_renders(mon, hostile=hostile)
    assert "Impact ratios over time, by stage" in out["html"]
    assert out["html"].count("<svg") == 1
    for ext in ("html", "markdown"):
        assert "Period by period" in out[ext] and "Trends" in out[ext]
    data = json.loads(out["json"])["sections"][0]["result"]
    assert {"table", "trends", "alerts", "unknown"} <= set(data)


def test_alert_sentences_and_figures_are_suppressed_with_small_counts(small):
    alerts = small.alerts
    assert list(zip(alerts.period, alerts.alert, strict=True)) == [
        ("2025-Q2", "fell below"), ("2025-Q2", "changed"), ("2025-Q3", "changed"),
        ("2025-Q3", "cleared"),
    ]
    assert "impact ratio 0.06" in alerts.message[0]  # 3 of 100 against 50 of 100
    out = check_renders(small, min_cell=5)
    for fmt in ("html", "markdown"):
        body = out[fmt].split("id=\"methodology\"" if fmt == "html" else "## Methodology")[0]
        assert "0.06" not in body and "3.0%" not in body, fmt
        # the brief sentence, without figures
        assert "fell below four-fifths of Male's in 2025-Q2." in html.unescape(body)
    payload = json.loads(out["json"])
    table = payload["sections"][0]["result"]["table"]
    hidden = next(r for r in table if r["period"] == "2025-Q2" and r["group"] == "Female")
    assert hidden["selected"] is None and hidden["impact_ratio"] is None
    assert hidden["selection_rate"] is None and hidden["ci_low"] is None
    for alert in payload["sections"][0]["result"]["alerts"]:
        assert alert["message"] is None and alert["impact_ratio"] is None  # min_count 3
        assert alert["brief"]
    for item in payload["summary"]:
        assert "0.06" not in item["text"] and item["figure"] is None


def test_every_periods_small_counts_are_suppressed_in_every_format():
    df = fh.datasets.make_hiring_funnel(1_500, periods=4, random_state=4)
    mon = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=["screened", "hired"])
    min_cell = 10
    small_rows = mon.table.loc[(mon.table.applicants < min_cell) | (mon.table.selected < min_cell)]
    assert set(small_rows.period) == set(mon.periods)  # every period has a small cell
    out = check_renders(mon, min_cell=min_cell)
    md = out["markdown"]
    section = md.split("### Period by period")[1].split("## Methodology")[0]
    blocks = re.split(r"\n\*(?:Stage: \S+|Bottom line)\*\n", section)[1:]
    stages = list(dict.fromkeys(mon.table.stage))
    assert len(blocks) == len(stages)
    for stage, block in zip(stages, blocks, strict=True):
        lines = [ln for ln in block.splitlines() if ln.startswith("| 20")]
        rows = mon.table.loc[mon.table.stage == stage]
        assert len(lines) == len(rows)
        for line, row in zip(lines, rows.itertuples(index=False), strict=True):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if row.applicants < min_cell or row.selected < min_cell:
                assert f"< {min_cell}" in cells[2:4], line
                assert cells[4] in ("s", "–") and cells[6] in ("s", "–"), line
            elif row.period in set(small_rows.loc[small_rows.stage == stage, "period"]):
                # a complement: the period's small group is not its total less this row
                assert cells[2] in (f"{row.applicants:,}", "s"), line
            else:
                assert cells[2] == f"{row.applicants:,}", line
    table = json.loads(out["json"])["sections"][0]["result"]["table"]
    for record in table:
        if any(record[c] is None for c in ("applicants", "selected")):
            assert record["selection_rate"] is None and record["impact_ratio"] is None
        else:
            assert min(record["applicants"], record["selected"]) >= min_cell


def test_the_chart_leaves_out_small_points_and_says_so(small):
    chart = impact_ratio_over_time(small, min_cell=5)
    assert chart is not None
    assert "1 point(s) with counts below 5 are not drawn" in chart.alt
    q2 = chart.data.loc[chart.data.period == "2025-Q2"].iloc[0]
    assert pd.isna(q2.impact_ratio) and pd.isna(q2.ci_low)
    assert "fell below in 2025-Q2" in chart.alt


def test_trend_sentences_use_the_period_length():
    df = fh.datasets.make_hiring_funnel(
        20_000, periods=8, random_state=3,
        drift={"stage": "screened", "column": "sex", "group": "Female", "multiplier": 0.6,
               "from_period": 5})
    mon = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=["screened"])
    sentences = mon.trend_sentences()
    assert sentences and "a quarter from 2024-Q1 to 2025-Q4" in sentences[0]
    assert mon.wording.unit == "quarter"


def test_trend_and_alert_sentences_quote_no_figure_the_tables_withhold():
    # a 3-person group withholds the other groups' counts as complements, and with them the
    # Female trend's figures ("s" in the trends table); the sentence above the table still
    # quoted them ("declined by 25.4% a quarter ... adjusted p < 0.001")
    rows = []
    for q in range(5):
        for group, n, k in (("Male", 100, 60), ("Female", 300, int(300 * (0.6 - 0.07 * q))),
                            ("Tiny", 3, (1, 2, 0, 3, 1)[q])):
            rows += [{"q": f"2024-Q{q + 1}" if q < 4 else "2025-Q1", "sex": group,
                      "hired": i < k} for i in range(n)]
    mon = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    trend = mon.trends.set_index("group").loc["Female"]
    assert trend.direction == "worsening"
    change = f"{abs(trend.change_per_period) * 100:.1f}%"
    assert change in mon.trend_sentences()[0]
    out = check_renders(mon, min_cell=5)
    for fmt, heading in (("html", "<h3>Trends</h3>"), ("markdown", "### Trends")):
        body = out[fmt].split('id="methodology"' if fmt == "html" else "## Methodology")[0]
        assert change not in html.unescape(body), fmt
        trends = html.unescape(body.split(heading)[1].split("Trends by stage")[0])
        assert "Female applicants' odds of selection relative to Male have declined " \
               "significantly from 2024-Q1 to 2025-Q1." in trends, fmt
        assert "adjusted p" not in trends, fmt
    # without min_cell the figures are there
    plain = html.unescape(check_renders(mon)["markdown"])
    assert f"have declined by {change} a quarter from 2024-Q1 to 2025-Q1" in plain


def test_another_threshold_is_not_called_four_fifths():
    # threshold=0.9: "fell below four-fifths of Male's (impact ratio 0.85)" was false
    rows = []
    for q, women in (("2024-Q1", 490), ("2024-Q2", 425), ("2024-Q3", 495)):
        rows += [{"q": q, "sex": "Male", "hired": i < 500} for i in range(1000)]
        rows += [{"q": q, "sex": "Female", "hired": i < women} for i in range(1000)]
    mon = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired", threshold=0.9)
    kinds = dict(zip(mon.alerts.alert, mon.alerts.message, strict=False))
    assert "fell below 90% of Male's in 2024-Q2 (impact ratio 0.85" in kinds["fell below"]
    assert "back at or above 90% of the reference group's" in kinds["cleared"]
    assert not any("four-fifths" in m for m in mon.alerts.message)
    chart = impact_ratio_over_time(mon)
    assert "the threshold 0.9 line" in chart.alt and "four-fifths" not in chart.alt
    default = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    assert "the 0.8 (four-fifths) line" in impact_ratio_over_time(default).alt


def test_a_periods_small_group_cannot_be_worked_out_from_the_rows_used():
    # Screened then hired: in 2025-Q2 only 3 women applied. The period's block holds three
    # stages, so b96c263 saw three withheld counts there and withheld no complement: the men's
    # 100 stayed at each stage, and the rows used (the table's applicants at the first stage
    # over every period) less every applicant count shown gave the women's 3 back.
    rows = []
    for q, women in (("2025-Q1", 100), ("2025-Q2", 3), ("2025-Q3", 100)):
        rows += [{"quarter": q, "sex": "Male", "screened": i < 60, "hired": i < 30}
                 for i in range(100)]
        rows += [{"quarter": q, "sex": "Female", "screened": i < 55 * women // 100,
                  "hired": i < 25 * women // 100} for i in range(women)]
    mon = fh.monitor(pd.DataFrame(rows), period="quarter", group="sex",
                     stages=["screened", "hired"])
    shown = ReportView(mon, 5).frame(mon.table)
    for (period, stage), block in shown.groupby(["period", "stage"], sort=False):
        for column in ("applicants", "selected"):
            held = [isinstance(v, Withheld) for v in block[column]]
            assert sum(held) != 1, (period, stage, column, block[column].tolist())
    out = check_renders(mon, min_cell=5)
    section = json.loads(out["json"])["sections"][0]
    first = [r for r in section["result"]["table"] if r["stage"] == "screened"]
    known = sum(r["applicants"] for r in first if r["applicants"] is not None)
    hidden = [r for r in first if r["applicants"] is None]
    assert section["rows"]["used"] - known != 3 or len(hidden) > 1
