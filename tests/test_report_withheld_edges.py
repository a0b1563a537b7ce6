"""min_cell edge cases found by reading real-shaped exports (session 13): a withheld row must not
give its count back through a missing figure ("–") or a "reference" mark."""

from __future__ import annotations

import json

import pandas as pd

import fairhire as fh

GEN = "2026-01-31T09:00:00+00:00"


def _funnel() -> pd.DataFrame:
    """Two large groups and two tiny ones: "Tied" (3 of 4 screened, the rate of the reference
    group, 30 of 40) and "Zero" (none of 3 screened, so no one of it at the hired stage)."""
    rows = []
    for group, n, screened, hired in [("A", 40, 30, 15), ("B", 40, 20, 8),
                                      ("Tied", 4, 3, 1), ("Zero", 3, 0, 0)]:
        for i in range(n):
            s = i < screened
            rows.append({"group": group, "screened": s, "hired": (i < hired) if s else None})
    return pd.DataFrame(rows)


def _rendered() -> tuple[str, str, dict]:
    # min_n=0 (`--min-n 0`): any group can be the reference, so a tiny one can tie it
    result = fh.adverse_impact(_funnel(), group="group", stages=["screened", "hired"], min_n=0)
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result)
    return report.render_markdown(), report.render_html(), json.loads(report.render_json())


def _md_row(md: str, stage: str, group: str) -> list[str]:
    """The cells of ``group``'s row in the Markdown table of ``stage``."""
    part = md.split(f"*Stage: {stage}", 1)[1]
    line = next(x for x in part.splitlines() if x.startswith(f"| {group} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_a_withheld_row_shows_no_missing_figure_that_says_its_count_is_zero():
    md, _, data = _rendered()
    # "Zero" had no one at the hired stage: a rate of "–" beside "< 5" applicants says 0
    cells = _md_row(md, "hired", "Zero")
    assert cells[1] == "< 5" and "–" not in cells[3:10], cells
    # nor in the large-sample tests, a detailed table
    assert "| hired | Zero | A | s | s | s | s |" in md.splitlines()
    table = data["sections"][0]["result"]["table"]
    row = next(r for r in table if r["stage"] == "hired" and r["group"] == "Zero")
    # null is withheld, and says so: a null the row does not list as withheld was missing
    assert {"selection_rate", "impact_ratio", "p_value_fisher"} <= set(row["suppressed"])


def test_a_withheld_row_tied_with_the_reference_is_not_marked_reference():
    md, html, data = _rendered()
    # "Tied" (3 of 4) ties A's 75%: "reference" beside it gives 3 of 4 back
    cells = _md_row(md, "screened", "Tied")
    assert cells[1] == "< 5" and "reference" not in cells, cells
    assert _md_row(md, "screened", "A")[6] == "reference"
    # and it is in the large-sample tests like any compared group (its absence would say it)
    assert "| screened | Tied | A | s | s | s | s |" in md.splitlines()
    table = data["sections"][0]["result"]["table"]
    row = next(r for r in table if r["stage"] == "screened" and r["group"] == "Tied")
    assert row["is_reference"] is None and "is_reference" in row["suppressed"]
    section = html.split('id="s1-', 1)[1]
    tied = section.split(">Tied<", 1)[1].split("</tr>", 1)[0]
    assert "reference" not in tied


def _export() -> pd.DataFrame:
    """An ATS export as the command line reads it: three Native Hawaiian or Other Pacific
    Islander applicants (two screened) and seven of Two or More Races (three screened)."""
    rows = []
    for race, n, screened in [("White", 300, 183), ("Black or African American", 120, 74),
                              ("Hispanic or Latino", 90, 61), ("Asian", 60, 35),
                              ("Native Hawaiian or Other Pacific Islander", 3, 2),
                              ("Two or More Races", 7, 3)]:
        rows += [{"race": race, "sex": "Female" if i % 2 else "Male",
                  "screened": "Yes" if i < screened else "No"} for i in range(n)]
    return pd.DataFrame(rows)


def test_a_count_one_section_withholds_is_not_shown_by_another():
    data = _export()
    impact = fh.adverse_impact(data, group="race", stages=["screened"])
    ll144 = fh.ll144_audit(data, sex="sex", race="race", selected="screened")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(impact).add(ll144)
    out = json.loads(report.render_json())
    # the impact table withholds Two or More Races' 7 applicants: with the 580 used and the
    # other groups' applicants shown, 7 would give the 3 NHPI applicants back
    table = out["sections"][0]["result"]["table"]
    two = next(r for r in table if r["group"] == "Two or More Races")
    assert two["applicants"] is None
    shown = sum(r["applicants"] for r in table if r["applicants"] is not None)
    assert out["sections"][0]["rows"]["used"] - shown == 10
    # so the LL144 race table (the same 7 people) must not print it either
    race = out["sections"][1]["result"]["race"]
    row = next(r for r in race if r["category"].startswith("Two or More Races"))
    assert row["applicants"] is None, row
    md = report.render_markdown()
    lines = [x for x in md.splitlines() if x.startswith("| Two or More Races")]
    assert lines and not any("| 7 |" in x for x in lines), lines


def test_a_count_withheld_under_one_spelling_is_not_shown_under_another():
    # one export's sex column read two ways: adverse impact compares 'F', 'M' and 3 'X'; the
    # LL144 audit (X unknown) reads F as 'Female'. The impact table withheld F's 50 applicants
    # (with X's 3 and the 113 used, 50 would give the 3 back); the LL144 sex table printed
    # 'Female: 50', because 'F' and 'Female' were not seen as the same people
    rows = []
    for sex, n, s in [("F", 50, 20), ("M", 60, 30), ("X", 3, 1)]:
        rows += [{"sex": sex, "race": "White" if i % 2 else "Asian",
                  "screened": "Yes" if i < s else "No"} for i in range(n)]
    data = pd.DataFrame(rows)
    impact = fh.adverse_impact(data, group="sex", stages=["screened"])
    ll144 = fh.ll144_audit(data, sex="sex", race="race", selected="screened",
                           unknown_labels=["X"])
    out = json.loads(fh.Report(title="t", generated_at=GEN, min_cell=5).add(impact).add(ll144)
                     .render_json())
    table = {r["group"]: r["applicants"] for r in out["sections"][0]["result"]["table"]}
    assert table["F"] is None and table["X"] is None
    sex = {r["category"]: r["applicants"] for r in out["sections"][1]["result"]["sex"]}
    assert sex["Female"] is None, sex
