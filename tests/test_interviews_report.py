"""Report partials of the interview results: every format renders, escapes, suppresses."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from rater_data import decisions_with_a_small_flagged_rater

import fairhire as fh
from fairhire.report.charts import interviews as charts
from fairhire.report.registry import partial_for
from fairhire.report.suppress import Withheld
from fairhire.report.testing import HOSTILE_LABEL, check_renders


@pytest.fixture(scope="module")
def results():
    d = fh.datasets.make_interviews(400, random_state=0)
    pan = fh.interview_panels(d.panels, interview="interview_id", panelist_group="panelist_sex",
                              candidate_group="candidate_sex", outcome="advanced")
    rd = fh.rater_disparity(d.decisions, rater="interviewer", candidate_group="sex",
                            outcome="advanced", min_n=10)
    rc = fh.rubric_consistency(d.scores, candidate="candidate_id", rater="interviewer",
                               criteria=list(d.criteria), candidate_group="sex")
    return pan, rd, rc


def _hostile() -> tuple:
    rng = np.random.default_rng(0)
    n = 120
    panels = pd.DataFrame({
        "iv": np.repeat(np.arange(n), 2).astype(str),
        "pg": rng.choice([HOSTILE_LABEL, "M"], 2 * n),
        "cg": np.repeat(rng.choice([HOSTILE_LABEL, "W"], n), 2),
        "ok": np.repeat(rng.random(n) < 0.5, 2),
    })  # fmt: skip
    raters = [HOSTILE_LABEL, "r2", "r3", "r4"]
    dec = pd.DataFrame({
        "rater": rng.choice(raters, 400), "g": rng.choice([HOSTILE_LABEL, "M"], 400),
        "ok": rng.random(400) < 0.5,
    })  # fmt: skip
    scores = pd.DataFrame({
        "cand": np.repeat(np.arange(60), 2).astype(str),
        "rater": np.tile(["a", "b"], 60),
        "g": np.repeat(rng.choice([HOSTILE_LABEL, "M"], 60), 2),
        HOSTILE_LABEL: rng.integers(1, 6, 120),
    })  # fmt: skip
    return (
        fh.interview_panels(panels, interview="iv", panelist_group="pg", candidate_group="cg",
                            outcome="ok"),
        fh.rater_disparity(dec, rater="rater", candidate_group="g", outcome="ok",
                           min_n=5),
        fh.rubric_consistency(scores, candidate="cand", rater="rater",
                              criteria=[HOSTILE_LABEL], candidate_group="g"),
    )


def test_registered():
    d = fh.datasets.make_interviews(60, random_state=1)
    pan = fh.interview_panels(d.panels, interview="interview_id", panelist_group="panelist_sex")
    assert partial_for(pan) == "interview_panels"


@pytest.mark.parametrize("i", [0, 1, 2])
def test_renders_escapes_and_is_deterministic(results, i):
    hostile = _hostile()[i]
    out = check_renders(results[i], hostile=hostile)
    html = out["html"]
    assert "<svg" in html  # the chart is drawn
    # headlines in the executive summary
    for h in results[i].headlines():
        assert h.text.split(" ")[0] in html
    json.loads(out["json"])


def test_key_figures_in_output(results):
    pan, rd, rc = results
    out = check_renders(rd)
    for rater in rd.flagged.rater:
        assert rater in out["html"] and rater in out["markdown"]
    assert "Not assessable" in out["html"]
    out = check_renders(rc)
    assert "culture\\_fit" in out["markdown"] and "unreliable" in out["html"]
    out = check_renders(pan)
    assert "diverse" in out["markdown"]
    # per-interview rows never reach the JSON
    js = json.loads(out["json"])
    assert "IV00001" not in out["json"]
    assert js


def test_min_cell_suppression(results):
    _, rd, _ = results
    out = check_renders(rd, min_cell=5)
    # no count below 5 in the rater tables: small counts print as "< 5"
    small = rd.table[(rd.table.focal_n < 5) & (rd.table.focal_n > 0)]
    if len(small):
        assert "&lt; 5" in out["html"] or "< 5" in out["html"]
    payload = json.loads(out["json"])
    text = json.dumps(payload)
    assert "suppressed" in text or small.empty


def test_charts_handle_empty_and_small(results):
    pan, rd, rc = results
    assert charts.rater_funnel(rd, min_cell=10_000) is None
    assert charts.panel_composition(pan, min_cell=10_000) is not None  # sizes hidden, shares kept
    assert charts.rubric_reliability(rc, min_cell=10_000) is None
    c = charts.rater_funnel(rd)
    assert re.search(r"flagged|No rater", c.alt)


def test_rater_funnel_with_min_cell_above_the_grid_start():
    # the control limits are drawn on a grid of 10, 14, ... decisions whose column is named
    # like a count ("n"): min_cell=25 withheld the grid below 25 and the chart crashed
    d = fh.datasets.make_interviews(random_state=0)
    rd = fh.rater_disparity(d.decisions, rater="interviewer", candidate_group="sex",
                            outcome="advanced")
    out = check_renders(rd, min_cell=25)
    assert "Funnel plot of each rater" in out["html"]
    # a funnel drawn around withheld organisation-wide figures is not drawn at all
    huge = check_renders(rd, min_cell=100_000)
    assert "Funnel plot of each rater" not in huge["html"]


def test_rater_pass_count_below_min_cell_cannot_be_read_off_the_rate():
    # R0 passed 2 of 30 women: the pass rate (2/30) and the gap against the same rater's men
    # (16/30) give the count of 2 back as surely as printing it; it is withheld with the rest
    # of the row, as a promotion count of 2 is
    rows = []
    for r in range(6):
        for i in range(60):
            woman = i % 2 == 1
            passed = (i in (1, 3)) if (r == 0 and woman) else (i // 2) % 2 == (r % 2)
            rows.append({"rater": f"R{r}", "sex": "Female" if woman else "Male",
                         "adv": passed})
    rd = fh.rater_disparity(pd.DataFrame(rows), rater="rater", candidate_group="sex",
                            outcome="adv")
    row = rd.table.set_index("rater").loc["R0"]
    assert (row["focal_passed"], row["focal_n"], row["reference_passed"]) == (2, 30, 15)
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5).add(rd)
    table = json.loads(report.render_json())["sections"][0]["result"]["table"]
    r0 = next(t for t in table if t["rater"] == "R0")
    for column in ("focal_passed", "focal_value", "gap", "gap_shrunk"):
        assert r0[column] is None and column in r0["suppressed"], column
    md = report.render_markdown()
    line = next(x for x in md.splitlines() if x.startswith("| s | R0 |"))
    assert "pp" not in line and "yes" not in line, line
    assert "−46.7" not in md and "-46.7" not in md
    # R0 and, as its complement, R1: the header says their flags are withheld, not "none"
    assert "**0** flagged (2 withheld to protect small groups)" in md
    # the organisation table's count of flagged raters would say whether R0 or R1 is flagged
    assert int(rd.organisation["raters_flagged"].iloc[0]) >= 0
    org = json.loads(report.render_json())["sections"][0]["result"]["organisation"]
    assert org[0]["raters_flagged"] is None and "raters_flagged" in org[0]["suppressed"]
    assert isinstance(report.sections[0].view.organisation["raters_flagged"].iloc[0], Withheld)
    assert "| 2 | s |" not in md and "| 1 |\n" not in md
    open_report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00").add(rd)
    org = json.loads(open_report.render_json())["sections"][0]["result"]["organisation"]
    assert org[0]["raters_flagged"] == int(rd.organisation["raters_flagged"].iloc[0])


def test_a_withheld_rater_flag_is_withheld_in_every_form():
    # INT-X decided on 4 women (none passed) and 60 men (all passed): the row's counts are
    # withheld, and so is its flag; JSON still said flagged_own / flagged_peers True,
    # flag_reason "own record and unlike peers", direction "below organisation for Female"
    # and evidence_rank 1, each of which gives the withheld verdict back
    rd = fh.rater_disparity(decisions_with_a_small_flagged_rater(), rater="interviewer",
                            candidate_group="sex", outcome="advanced")
    assert rd.table.set_index("rater").loc["INT-X", "flagged_own"]
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5).add(rd)
    table = json.loads(report.render_json())["sections"][0]["result"]["table"]
    row = next(t for t in table if t["rater"] == "INT-X")
    for column in ("flagged", "flagged_own", "flagged_peers", "flag_reason", "direction",
                   "evidence_rank"):
        assert row[column] is None, (column, row[column])


def test_a_not_assessable_rater_s_reason_does_not_quote_a_withheld_count():
    # "3 decisions, fewer than min_n=20" printed beside a withheld "< 5"
    inter = fh.datasets.make_interviews(300, random_state=3)
    d = inter.decisions
    base = d.iloc[0].to_dict()
    extra = [{**base, "interviewer": "INT-Y", "sex": "Female", "advanced": True,
              "candidate_id": f"Z{i}"} for i in range(3)]
    rd = fh.rater_disparity(pd.concat([d, pd.DataFrame(extra)], ignore_index=True),
                            rater="interviewer", candidate_group="sex", outcome="advanced")
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5).add(rd)
    row = next(t for t in json.loads(report.render_json())["sections"][0]["result"]["table"]
               if t["rater"] == "INT-Y")
    assert row["decisions"] is None and row["reason"] is None
    line = next(x for x in report.render_markdown().splitlines() if "| INT-Y |" in x)
    assert "3 decisions" not in line, line


def test_settings_and_numbers_of_cutoffs_are_not_read_as_small_counts(results):
    """A sentence's small counts of people become "fewer than 5"; a setting or a number of
    cut-offs is no count of people. The report said "members from at least fewer than 5
    panelist sex groups" (min_groups=2), "Every one of the fewer than 5 candidate cut-offs"
    beside a table of 3, and "(minimum fewer than 5, ...)" for min_n=3."""
    pan, _, _ = results
    d = fh.datasets.make_interviews(400, random_state=0)
    rd = fh.rater_disparity(d.decisions, rater="interviewer", candidate_group="sex",
                            outcome="advanced", min_n=3)
    scores = pd.DataFrame({"s": np.tile([50, 60, 70, 80], 50),
                           "g": np.repeat(["A", "B"], 100)})
    scores.loc[scores.g == "B", "s"] -= 10
    cut = fh.cutoff_analysis(scores, score="s", group="g", cutoffs=[55, 65, 75])
    assert not cut.no_adverse_impact_ranges
    md = "".join(fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
                 .add(r).render_markdown() for r in (pan, rd, cut))
    assert "members from at least 2 panelist sex groups" in md
    assert "Every one of the 3 candidate cut-offs" in md
    assert "(minimum 3, with candidates" in md
    assert "at least fewer than" not in md and "minimum fewer than" not in md


def test_json_funnel_is_the_chart_s_grid_and_names_no_withheld_count():
    """The funnel's control limits sit on a grid of decision counts (5, 6, 8, ... 42) that
    counts no one. The JSON output planned it cell by cell with the rater table and withheld
    the grid points equal to a count there: [13, 14, 22, 31, 33], where 31 is rater D's
    withheld number of Female decisions (every other one is shown elsewhere). It now holds the
    grid as the HTML chart draws it, whole (or empty when the figures it is drawn around are
    withheld)."""
    rows = []
    for rater, (n_f, passed_f) in {"A": (30, 12), "B": (30, 13), "C": (33, 14), "D": (31, 12),
                                   "E": (17, 3)}.items():
        rows += [{"rater": rater, "g": "F", "ok": i < passed_f} for i in range(n_f)]
        rows += [{"rater": rater, "g": "M", "ok": i < 22} for i in range(40)]
    rd = fh.rater_disparity(pd.DataFrame(rows), rater="rater", candidate_group="g",
                            outcome="ok", min_n=10)
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5).add(rd)
    result = json.loads(report.render_json())["sections"][0]["result"]
    d_row = next(r for r in result["table"] if r["rater"] == "D")
    assert d_row["focal_n"] is None  # withheld: D's 12 of 31 sit beside E's 3 of 17
    assert result["funnel"] == json.loads(json.dumps(rd.to_dict()["funnel"]))
    assert all(r["n"] is not None for r in result["funnel"])


def test_json_funnel_is_left_out_when_the_organisation_gap_is_withheld():
    """Four Female decisions in all: the organisation table withholds their pass rate and the
    organisation-wide gap, and the HTML leaves the funnel out. The JSON still held the funnel,
    whose centre is that gap (0.45) and whose limits give the pass rate back."""
    rows = []
    for rater, n_f in {"A": 1, "B": 1, "C": 2}.items():
        rows += [{"rater": rater, "g": "F", "ok": i < 1} for i in range(n_f)]
        rows += [{"rater": rater, "g": "M", "ok": i < 22} for i in range(40)]
    rd = fh.rater_disparity(pd.DataFrame(rows), rater="rater", candidate_group="g",
                            outcome="ok", min_n=10)
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5).add(rd)
    result = json.loads(report.render_json())["sections"][0]["result"]
    assert result["organisation"][0]["org_gap"] is None and len(rd.funnel)
    assert result["funnel"] == []
    assert "0.44999" not in report.render_json()
