"""Reports built from hostile, tiny-group data: nothing withheld under ``min_cell`` can be read
or worked back from another figure, and every format renders (adversary round, advB)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from rater_data import decisions_with_a_small_flagged_rater

import fairhire as fh
from fairhire.report.suppress import Withheld
from fairhire.report.view import ReportView

GEN = "2026-01-31T09:00:00+00:00"
TINY = '<i>Tiny</i> {{ 7*7 }} =HYPERLINK("x") | é'


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    """A workforce with exits, plus a 3-person sex group with a hostile label."""
    w = fh.datasets.make_workforce(3000, random_state=2, exits=True)
    w["sex"] = w["sex"].astype(object)
    idx = w.sample(3, random_state=5).index
    w.loc[idx, "sex"] = TINY
    w.loc[idx, "exited"] = [True, True, False]
    w.loc[idx, "exit_type"] = ["voluntary", "involuntary", None]
    w.loc[idx, "tenure_months"] = [5, 12, 30]
    return w


def _render(result) -> tuple[str, str, dict]:
    report = fh.Report(title="Trust", generated_at=GEN, min_cell=5).add(result)
    return report.render_html(), report.render_markdown(), json.loads(report.render_json())


def test_time_to_exit_with_a_withheld_group_renders(staff):
    # the curves' group sizes are withheld (NaN) in the report view: the chart left the
    # group out instead of failing on int(NaN)
    result = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
                             cause="exit_type", horizon=60)
    html, md, _ = _render(result)
    assert "retention curves are not drawn" in md or "Not drawn" in md
    assert "&lt;i&gt;Tiny&lt;/i&gt; {{ 7\\*7 }}" in md
    assert "<i>Tiny" not in html


def test_a_withheld_reference_is_not_given_back_by_the_ratios():
    # A (4 of 4) is the reference: B's rate 50% and its ratio 0.50 would give A's rate (100%),
    # its shortfall (n·ref rate − a) and interval too; the ratios are withheld, the rates stay
    ai = fh.adverse_impact_from_counts(
        {"group": ["A", "B", "C"], "n": [4, 40, 60], "hired": [4, 20, 24]},
        group="group", applicants="n", selected="hired", reference="A")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(ai)
    table = report.sections[0].view.table.set_index("group")
    for g in ("B", "C"):
        for column in ("impact_ratio", "ci_low", "ci_high", "p_value_fisher", "shortfall", "z"):
            assert isinstance(table.loc[g, column], Withheld), (g, column)
    # B's applicants are A's complement (rule 3); C's counts and rate are shown
    assert not isinstance(table.loc["C", "selection_rate"], Withheld)
    assert table.loc["C", "applicants"] == 60
    md = report.render_markdown()
    assert "0.40" not in md and "36.0" not in md  # C's ratio and shortfall
    assert "40.0%" in md  # its own rate
    # every withheld figure prints "s" (the shortfall printed "–", as if there were none)
    # the verdict is withheld with the ratio: "below" with C's rate would bound the reference's
    assert "| C | 60 | 24 | 40.0% | s | s | s | s | s | s |" in md
    rows = {r["group"]: r for r in json.loads(report.render_json())["sections"][0]["result"]
            ["table"]}
    assert rows["C"]["impact_ratio"] is None and rows["C"]["selection_rate"] == 0.4
    assert "impact_ratio" in rows["C"]["suppressed"]


@pytest.fixture(scope="module")
def retention(staff):
    result = fh.retention(staff, group="sex", exited="exited", exit_type="exit_type",
                          level="level")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result)
    return result, report


def test_rows_withheld_in_the_counted_table_are_withheld_in_every_table(retention):
    # Non-binary (29 people) is withheld as a complement ("s"): its odds ratio's interval in
    # the strata and regression tables would give its counts back (SE² ≈ 1/exits + 1/stayed)
    _result, report = retention
    view = report.sections[0].view
    held = view.table.set_index(["kind", "group"])
    assert isinstance(held.loc[("all", "Non-binary"), "headcount"], Withheld)
    for name, column in (("strata", "mh_odds_ratio"), ("regression", "odds_ratio")):
        frame = getattr(view, name)
        for group in ("Non-binary", TINY):
            cells = frame.loc[frame["group"] == group, column].tolist()
            assert cells and all(isinstance(v, Withheld) for v in cells), (name, group)
    # the JSON withholds the same (it left tables without counts untouched)
    section = json.loads(report.render_json())["sections"][0]["result"]
    for name, column in (("strata", "mh_odds_ratio"), ("regression", "odds_ratio")):
        for row in section[name]:
            if row["group"] in ("Non-binary", TINY):
                assert row[column] is None and column in row["suppressed"], (name, row)


def test_a_large_group_is_not_withheld_for_a_subset_table(retention):
    # the flagged rows (a subset of the table) were planned as a table of their own: rule 3
    # withheld Female's 1,472 employees there to protect a total no table shows, and then
    # everywhere, so the report's main finding (Female vs Male exits) was withheld
    result, report = retention
    view = report.sections[0].view
    table = view.table.set_index(["kind", "group"])
    assert table.loc[("all", "Female"), "headcount"] == 1472
    assert not isinstance(table.loc[("all", "Female"), "impact_ratio"], Withheld)
    flagged = view.flagged
    raw = result.table
    rows = raw.index[raw["flagged"].astype(bool)]
    expected = view.table.loc[rows].reset_index(drop=True)
    assert flagged.reset_index(drop=True).astype(str).equals(expected.astype(str))
    assert any("Female" in h.text and "withheld" not in h.text
               for h in report.sections[0].headlines)


def test_labels_are_printed_as_the_data_spell_them():
    # labels went through the "plain words" rewriting meant for the library's own text:
    # "grade=A" became "the grade setting, A" in the summary and the detailed tables,
    # "non_binary" became "non binary", and with min_cell "Group 3" became "Group fewer than
    # 5" (a wrong statement: the group had 60 applicants)
    ai = fh.adverse_impact_from_counts(
        {"group": ["Group 3", "grade=A", "non_binary", "Big", "3"],
         "n": [60, 70, 65, 500, 80], "hired": [10, 12, 11, 250, 40]},
        group="group", applicants="n", selected="hired")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(ai)
    texts = [h.text for h in report.sections[0].headlines]
    assert any(t.startswith("At the hired stage, Group 3 applicants") for t in texts), texts
    assert any(t.startswith("At the hired stage, grade=A applicants") for t in texts), texts
    assert any(t.startswith("At the hired stage, non_binary applicants") for t in texts), texts
    md = report.render_markdown()
    assert "setting, A" not in md and "non binary" not in md and "Group fewer" not in md
    assert "| hired | grade=A | Big |" in md  # the detailed (Z test) table
    assert "| hired | non\\_binary | Big |" in md


def test_a_label_without_letters_does_not_shield_a_small_count():
    from fairhire.report.sentences import clean_sentence

    text, quoted = clean_sentence("3 of 40 applicants in group 3", 5, set(), keep=["Group 3"])
    assert text.startswith("fewer than 5 of about 40") and not quoted
    text, _ = clean_sentence("Group 3: 2 of 40 selected", 5, set(), keep=["Group 3"])
    assert text == "Group 3: fewer than 5 of about 40 selected"


def test_years_ages_and_lengths_of_time_are_not_rounded_as_counts():
    # a sentence with a small count had every whole number in it rounded: "in 2024" became
    # "in about 2,020" and "aged 40 or over" "aged about 40 or over"
    from fairhire.report.sentences import clean_sentence

    text, _ = clean_sentence(
        "3 of 120 people hired in 2024 (min_n=30) aged 40 or over left within 90 days; "
        "the 4/5 rule", 5, set())
    assert text == ("fewer than 5 of about 120 people hired in 2024 (min_n=30) aged 40 or over "
                    "left within 90 days; the 4/5 rule")
    # a shortfall is a difference the tables show, not a cell count
    text, _ = clean_sentence("3 of 40 selected; 2 fewer selections than parity", 5, set())
    assert text == "fewer than 5 of about 40 selected; 2 fewer selections than parity"
    # a count of a thousand or more is written with a separator, and is still rounded
    assert clean_sentence("2 of 1,234 hired", 5, set())[0] == "fewer than 5 of about 1,230 hired"


def test_funnel_figure_data_prints_counts_as_counts():
    # a withheld count (None) turned the "reached" column into floats: "145.000" people
    import re

    funnel = fh.datasets.make_hiring_funnel(900, random_state=3)
    ai = fh.adverse_impact(funnel, group="race", stages=["screened", "interviewed", "hired"])
    html = fh.Report(title="t", generated_at=GEN, min_cell=5).add(ai).render_html()
    start = html.index("Figures behind figure 1")
    data = html[start:html.index("</details>", start)]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", data)
    assert "–" in cells  # some withheld
    assert not [c for c in cells if re.fullmatch(r"\d[\d,]*\.000", c)]


def test_tables_name_the_reference_the_result_chose_when_groups_tie():
    # groups tied at the top are all marked is_reference; the caption named the first of them
    # (Alpha, 40) while the result, the summary and the chart compared with Beta (60)
    ai = fh.adverse_impact_from_counts(
        {"group": ["Alpha", "Beta", "Gamma"], "n": [40, 60, 100], "hired": [20, 30, 30]},
        group="group", applicants="n", selected="hired")
    assert set(ai.table["reference_group"]) == {"Beta"}
    report = fh.Report(title="t", generated_at=GEN).add(ai)
    assert "reference: Beta (60 applicants)" in report.render_markdown()
    assert "reference: Beta (60 applicants)" in report.render_html()
    staff = pd.DataFrame({"g": ["A"] * 100 + ["B"] * 200 + ["C"] * 100,
                          "left": [True] * 10 + [False] * 90 + [True] * 20 + [False] * 180
                          + [True] * 40 + [False] * 60})
    ret = fh.retention(staff, group="g", exited="left")
    assert set(ret.table["reference_group"]) == {"B"}
    report = fh.Report(title="t", generated_at=GEN).add(ret)
    md = report.render_markdown()
    assert "Reference group: B (200 employees)." in md
    assert "compared with A" not in md


@pytest.mark.parametrize("kind", ["uk", "eu"])
def test_json_withholds_small_counts_outside_tables(kind):
    # the HTML printed "(< 5)" for workers of another or no recorded sex, the JSON result
    # held {"sex_other": {"Non-binary": 4}, "sex_missing": 4}
    w = fh.datasets.make_workforce(400, random_state=3)
    w["sex"] = w["sex"].astype(object)
    w.loc[w.index[:3], "sex"] = "Non-binary"
    w.loc[w.index[3:5], "sex"] = None
    if kind == "uk":
        result = fh.uk_pay_gap_metrics(w, hourly_pay="hourly_pay", bonus="bonus", sex="sex")
    else:
        result = fh.eu_pay_transparency_metrics(w, pay="salary", variable_pay="bonus", sex="sex",
                                                category="job_family")
    assert 0 < result.sex_missing < 5 and 0 < result.sex_other["Non-binary"] < 5
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result)
    payload = json.loads(report.render_json())["sections"][0]["result"]
    assert payload["sex_missing"] is None
    assert payload["sex_other"] == {"Non-binary": None}
    assert "(< 5) or not recorded (< 5)" in report.render_markdown()


@pytest.fixture(scope="module")
def three_unknown():
    """A funnel with 3 applicants of unknown sex and 50 with a blank outcome."""
    f = fh.datasets.make_hiring_funnel(900, random_state=3)
    f["sex"] = f["sex"].astype(object).where(f["sex"].notna(), "Female")
    f["hired"] = f["hired"].astype(object)
    f.loc[f.index[:3], "sex"] = None
    f.loc[f.index[10:60], "hired"] = None
    ai = fh.adverse_impact(f, group="sex", stages=["hired"])
    assert dict(ai.rows.excluded) == {"missing outcome (hired)": 50, "missing group": 3}
    return fh.Report(title="t", generated_at=GEN, min_cell=5).add(ai)


def test_a_warning_does_not_state_a_withheld_exclusion(three_unknown):
    # used 847 and total 900 are shown, the 3 unknown are "< 5" and the 50 blank outcomes
    # "s"; the warning "50 rows excluded, missing outcome" gave the 3 back (900 − 847 − 50)
    section = three_unknown.sections[0]
    assert section.rows.used == 847 and section.rows.total == 900
    assert isinstance(section.rows.excluded["missing outcome (hired)"], Withheld)
    md = three_unknown.render_markdown()
    js = three_unknown.render_json()
    for text in (md, js):
        assert "50 rows excluded" not in text


def test_withheld_unknown_applicants_are_not_reported_as_none(three_unknown):
    # the unknown table's count is withheld (NaN), so its sum was 0 and the report said
    # "No applicant has a missing or unknown sex" although 3 had
    md = three_unknown.render_markdown()
    html = three_unknown.render_html()
    assert "No applicant has a missing or unknown" not in md
    assert "No applicant has a missing or unknown" not in html
    assert "Applicants whose sex is missing or unknown are counted here" in md


def test_similar_findings_keep_a_label_s_closing_bracket():
    # "Similar: White (Not Hispanic or Latino: 0.73" — the label lost its ")"
    from fairhire.report.summary import similar_label

    lead = ("At the offered stage, Asian applicants were selected at 0.66 times the rate of "
            "Black (below four-fifths).")
    for label in ("White (Not Hispanic or Latino)", "@SUM(A1)", "(a) (b)"):
        found = similar_label(lead, lead.replace("Asian", label).replace("0.66", "0.73"))
        assert found is not None and found[1] == f"{label}: 0.73"


def test_control_and_bidi_override_characters_do_not_reach_the_page():
    # a right-to-left override in a label showed the rest of its sentence reversed ("0.50"
    # read "05.0"); NUL and line separators went into the HTML and broke Markdown rows
    labels = ["Group\u202e A", "nul\x00 B", "line\u2028sep C", "ff\x0c D"]
    ai = fh.adverse_impact_from_counts(
        {"group": [*labels, "Big"], "n": [50, 51, 52, 53, 400], "hired": [10, 11, 12, 13, 200]},
        group="group", applicants="n", selected="hired")
    report = fh.Report(title="t", generated_at=GEN).add(ai)
    for text in (report.render_html(), report.render_markdown()):
        assert not set(text) & {"\u202e", "\x00", "\u2028", "\x0c"}
    md = report.render_markdown()
    rows = [line for line in md.splitlines() if "sep C" in line and line.startswith("|")]
    assert len(rows) == 2  # the stage table and the Z-test table, each one whole row
    assert rows and all(r.startswith("| ") and r.endswith(" |") for r in rows), rows
    assert json.loads(report.render_json())  # the JSON keeps the data as it is


def test_ratings_against_a_withheld_reference_withhold_the_probability_rated_higher():
    # each group's probability of being rated higher than the 4-person reference, with its
    # own rating distribution shown, pins down the reference's four ratings; a group's own
    # share of top ratings stays (its counts show it anyway)
    w = fh.datasets.make_workforce(600, random_state=3)
    w["sex"] = w["sex"].astype(object)
    w.loc[w.index[:4], "sex"] = "Tiny"
    result = fh.rating_disparity(w, group="sex", rating="performance_rating", reference="Tiny")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result)
    table = report.sections[0].view.table.set_index("group")
    assert isinstance(table.loc["Female", "prob_superiority"], Withheld)
    assert not isinstance(table.loc["Female", "top_share"], Withheld)
    assert "0.49" not in report.render_markdown()


def test_a_group_s_own_median_stays_against_a_withheld_reference():
    # the hazard ratios against a 4-person reference are withheld; a group's own median time
    # and its interval are not comparisons (one bound printed "s" and the other a number)
    w = fh.datasets.make_workforce(600, random_state=3)
    w["sex"] = w["sex"].astype(object)
    w.loc[w.index[:4], "sex"] = "Tiny"
    result = fh.time_to_promotion(w, group="sex", duration="months_in_level", event="promoted",
                                  reference="Tiny")
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result)
    table = report.sections[0].view.table.set_index("group")
    assert table.loc["Female", "n"] == 304
    for column in ("median_ci_low", "median_ci_high"):
        assert not isinstance(table.loc["Female", column], Withheld), column


def test_a_label_containing_the_separator_does_not_add_suppression():
    # one single-axis label containing " × " made every group's rows across stages a
    # "block of parts", so rule 3 withheld four more counts than the same data with a
    # plain label
    funnel = fh.datasets.make_hiring_funnel(900, random_state=3)
    funnel["race"] = funnel["race"].astype(object)
    extra = funnel.sample(3, random_state=1).copy()
    extra["screened"] = [True, True, False]
    extra["interviewed"] = [True, False, False]
    extra[["offered", "hired"]] = False
    held = []
    for label in ("a × b", "a and b"):
        extra["race"] = label
        ai = fh.adverse_impact(pd.concat([funnel, extra], ignore_index=True), group="race",
                               stages=["screened", "interviewed", "offered", "hired"])
        table = ReportView(ai, 5).table
        held.append({(s, "x" if g == label else g, c)
                     for c in ("applicants", "selected")
                     for s, g, v in zip(table.stage, table.group, table[c].tolist(), strict=True)
                     if isinstance(v, Withheld)})
    assert held[0] == held[1]


def test_a_group_with_no_applicants_at_a_stage_neither_meets_nor_falls_below():
    rows = ([{"g": "A", "screened": i < 30, "hired": i < 10} for i in range(60)]
            + [{"g": "B", "screened": i < 20, "hired": i < 5} for i in range(60)]
            + [{"g": "C", "screened": False, "hired": False} for _ in range(8)])
    ai = fh.adverse_impact(pd.DataFrame(rows), group="g", stages=["screened", "hired"])
    row = ai.table[(ai.table["stage"] == "hired") & (ai.table["group"] == "C")].iloc[0]
    assert row["applicants"] == 0 and not row["adverse_impact"]
    md = fh.Report(title="t", generated_at=GEN).add(ai).render_markdown()
    start = md.index("*Stage: hired")
    line = next(x for x in md[start:].splitlines() if x.startswith("| C |"))
    assert "meets" not in line and "below" not in line, line


def test_a_flagged_rater_with_a_withheld_count_renders():
    # the rater funnel's description wrote every flagged rater's decisions with int(), and a
    # withheld count (NaN) crashed the report (ValueError)
    result = fh.rater_disparity(decisions_with_a_small_flagged_rater(), rater="interviewer",
                                candidate_group="sex", outcome="advanced")
    assert result.table.loc[result.table["rater"] == "INT-X", "flagged"].any()
    md = fh.Report(title="t", generated_at=GEN, min_cell=5).add(result).render_markdown()
    # INT-X, and every rater who passed fewer than 5 of a group (their rate gives it back)
    assert re.search(r"\d+ rater comparisons have their figures and flag withheld", md)
    assert "INT-X (Female" not in md


def test_min_cell_does_not_rewrite_a_job_ad_s_word_counts():
    # a job ad counts words, not people: with min_cell its finding read "0.0 masculine-coded
    # words per about 100 words ... (fewer than 5 against about 10 words)" — it was 0 against
    # 10 — and its row account printed "< 5 excluded"
    ads = fh.datasets.load_job_ads()
    scans = [fh.scan_job_description(text) for text in ads["text"]]
    scan = next(s for s in scans if any("strongly feminine" in h.text for h in s.headlines()))
    report = fh.Report(title="t", generated_at=GEN, min_cell=5).add(scan)
    assert [h.text for h in report.sections[0].headlines] == [h.text for h in scan.headlines()]
    md = report.render_markdown()
    assert "(0 against 10 words)" in md and "about 10 words" not in md
    assert "| 10 | 1 excluded: not scored: in the EEO statement | 11 |" in md
    rows = json.loads(report.render_json())["sections"][0]["rows"]
    assert rows == {"total": 11, "used": 10, "excluded": {"not scored: in the EEO statement": 1}}


def test_a_small_groups_verdict_is_withheld_with_its_figures():
    # "meets"/"below" for a group of 3 (and its Fisher p "–" where no one was selected) said
    # roughly how many of them were selected; the verdict is withheld ("s") in every format,
    # the tile counts only shown verdicts and says how many are withheld, and a withheld
    # finding is not listed under "Flagged"
    rows = ([("A", True)] * 60 + [("A", False)] * 40 + [("B", True)] * 30 + [("B", False)] * 70
            + [("Tiny", False)] * 3)
    df = pd.DataFrame(rows, columns=["group", "hired"])
    result = fh.adverse_impact(df, group="group", stages=["hired"], min_n=1)
    assert bool(result.table.set_index("group").loc["Tiny", "adverse_impact"])  # below: 0 of 3
    html, md, payload = _render(result)
    line = next(ln for ln in md.splitlines() if ln.startswith("| Tiny"))
    assert line == "| Tiny | < 5 | < 5 | s | s | s | s | s | s | s | small sample |"
    # B is withheld as the complement (the total would give Tiny back): two verdicts withheld
    assert "**0** below four-fifths (2 withheld to protect small groups)" in md
    assert "below four-fifths (2 withheld to protect small groups)" in html
    row = next(r for r in payload["sections"][0]["result"]["table"] if r["group"] == "Tiny")
    assert row["adverse_impact"] is None and row["p_value_fisher"] is None
    view = ReportView(result, 5)
    assert all(h.severity == 1 for h in view.headlines() if "withheld" in h.text)


def test_similar_finding_links_carry_no_spreadsheet_quote():
    # the "'" that keeps a table cell from starting a formula was put inside a link's text
    # in the middle of a list item: "*Similar:* ['=1+2: 0.79](#...)"
    funnel = fh.datasets.make_hiring_funnel(4000, random_state=3)
    funnel["race"] = funnel["race"].replace(
        {"Hispanic or Latino": "=1+2", "Native Hawaiian or Pacific Islander": "=2+3"})
    ai = fh.adverse_impact(funnel, group="race", stages=["screened", "interviewed", "hired"])
    md = fh.Report(title="t", generated_at=GEN).add(ai).render_markdown()
    similar = [line for line in md.splitlines() if "*Similar:*" in line]
    assert any("[=2+3: " in line for line in similar), similar
    assert not any("['=" in line for line in similar)
    assert "| '=1+2 |" in md  # a table cell keeps its quote


def test_a_sentence_that_everyone_in_a_small_group_had_one_outcome_is_withheld():
    # "no one (or everyone) in Tiny left" told the reader each of Tiny's < 5 people's outcome
    frame = pd.DataFrame({"sex": ["F"] * 60 + ["M"] * 60 + ["Tiny"] * 3,
                          "left": [True, False] * 60 + [True] * 3})
    res = fh.retention(frame, group="sex", exited="left")
    assert any("no one (or everyone) in Tiny" in w for w in res.warnings)
    md = fh.Report(title="t", generated_at=GEN, min_cell=5).add(res).render_markdown()
    assert "no one (or everyone) in Tiny" not in md
    assert "A note is withheld because it rests on fewer than 5 people." in md
    shown = fh.Report(title="t", generated_at=GEN).add(res).render_markdown()
    assert "no one (or everyone) in Tiny" in shown


def test_markdown_appendix_lists_each_analysis_on_its_own_line():
    # the template's trailing {% endif %} ate each line's newline: one run-on paragraph
    funnel = fh.datasets.make_hiring_funnel(500, random_state=1)
    report = fh.Report(title="t", generated_at=GEN)
    for group in ("sex", "race"):
        report.add(fh.adverse_impact(funnel, group=group, stages=["screened"]))
    md = report.render_markdown()
    appendix = md[md.index("### Analyses and their parameters"):]
    items = [line for line in appendix.splitlines() if line.startswith("- **")]
    assert len(items) == 2 and all(line.count("result type") == 1 for line in items)


def test_small_counts_of_a_mapping_follow_rule_three_as_row_accounts_do():
    # {"Non-binary": 2, "Other": 1, "Prefer not to say": 30} with the total shown elsewhere:
    # withholding 2 and 1 but showing 30 gave their sum (3) back; the row-account rule also
    # withholds the smallest other cell when the small ones together are under min_cell
    from fairhire.report.payload import _small_counts
    from fairhire.report.suppress import Rule

    rule = Rule(5, frozenset())
    assert _small_counts({"Non-binary": 2, "Other": 1, "Unsaid": 30, "X": 40}, rule) == {
        "Non-binary": None, "Other": None, "Unsaid": None, "X": 40}
    assert _small_counts({"Non-binary": 4, "Unsaid": 30}, rule) == {
        "Non-binary": None, "Unsaid": None}
    assert _small_counts({"Non-binary": 3, "Other": 4, "Unsaid": 30}, rule) == {
        "Non-binary": None, "Other": None, "Unsaid": 30}


def test_a_sentence_that_a_small_group_had_no_applicants_is_withheld():
    # the table showed Tiny's 0 applicants at "hired" as "< 5", and the warning "group 'Tiny'
    # had no applicants at stage 'hired'" gave the withheld cell's value back
    frame = pd.DataFrame({"sex": ["F"] * 60 + ["M"] * 60 + ["Tiny"] * 3,
                          "screened": [True, False] * 60 + [False] * 3,
                          "hired": [True, False] * 30 + [False] * 60 + [False] * 3})
    res = fh.adverse_impact(frame, group="sex", stages=["screened", "hired"])
    assert any("had no applicants" in w for w in res.warnings)
    md = fh.Report(title="t", generated_at=GEN, min_cell=5).add(res).render_markdown()
    html = fh.Report(title="t", generated_at=GEN, min_cell=5).add(res).render_html()
    for text in (md, html):
        assert "had no applicants" not in text
        assert "A note is withheld because it rests on fewer than 5 people." in text
    shown = fh.Report(title="t", generated_at=GEN).add(res).render_markdown()
    assert "had no applicants" in shown


def test_a_finding_withheld_as_a_complement_says_why():
    # with a 4-person group, the 100 women's row is withheld so that the 4 cannot be worked
    # out from the totals; the summary said the women's finding "rests on fewer than 5 people"
    # and the chart that 100 women were "fewer than 5 applicants"
    frame = pd.DataFrame({
        "sex": ["Male"] * 100 + ["Female"] * 100 + ["Tiny"] * 4,
        "hired": [True] * 50 + [False] * 50 + [True] * 30 + [False] * 70 + [True] * 3 + [False],
    })
    res = fh.adverse_impact(frame, group="sex", stages=["hired"])
    md = fh.Report(title="t", generated_at=GEN, min_cell=5).add(res).render_markdown()
    assert ("a finding is withheld because its figures would let a count of fewer than 5 "
            "people be worked out from the totals") in md
    assert "rests on fewer than 5 people" not in md
    assert "Not drawn (fewer than 5 applicants): Tiny." in md
    assert ("Not drawn (figures withheld so that a count of fewer than 5 cannot be worked out "
            "from the totals): Female.") in md
    assert "| Female | s | s |" in md  # still withheld: the rule itself is unchanged


def test_a_withheld_count_of_one_takes_a_plural_noun():
    # "the Non-binary curve reaches one half only when fewer than 5 person is still waiting"
    # (33f9c98): a count of 1 replaced by "fewer than 5" left its singular noun and verb
    from fairhire.report.sentences import clean_sentence

    text, quoted = clean_sentence(
        "the X curve reaches one half only when 1 person is still waiting (fewer than 5); "
        "1 exit was recorded; 1 worker(s) flagged; 1 personal record.", 5, set())
    assert not quoted
    assert text == ("the X curve reaches one half only when fewer than 5 people are still "
                    "waiting (fewer than 5); fewer than 5 exits were recorded; fewer than 5 "
                    "worker(s) flagged; fewer than 5 personal record.")


def test_a_note_does_not_state_a_complement_count_between_min_cell_and_ten():
    # "stratum 'L3': Non-binary (9): too small to be the reference" was printed beside a
    # table whose L3 Non-binary headcount is withheld ("s", a complement): counts under 10
    # were never matched against withheld figures, as if every one were below min_cell
    staff = fh.datasets.make_workforce(n_employees=2000, random_state=0)
    result = fh.promotion_disparity(staff, group="sex", promoted="promoted", level="level")
    assert any("Non-binary (9)" in w for w in result.warnings)
    view = ReportView(result, 5, outside=frozenset({("non-binary", 9.0)}))
    table = view.frame(result.by_stratum).set_index(["stratum", "group"])
    assert str(table.loc[("L3", "Non-binary"), "applicants"]) == "s"
    assert not any("(9)" in w for w in view.warnings)
    # shown, it may be said
    alone = ReportView(result, 5)
    assert any("Non-binary (9)" in w for w in alone.warnings)


def test_a_threshold_in_a_sentence_is_not_a_withheld_figure():
    # "(fewer than 5)" says the rule, not a row's count: a withheld count of 5 elsewhere
    # must not withhold the sentence
    from fairhire.report.sentences import clean_sentence

    text = "the X curve reaches one half only when 7 people are still waiting (fewer than 5)."
    assert clean_sentence(text, 5, {"5"}) == (text, False)
    assert clean_sentence(text, 5, {"7"})[1]


def test_a_number_of_raters_is_said_as_the_key_figures_and_table_show_it():
    # "fewer than 5 rater(s) had too few usable decisions" beside the key figure "2 not
    # assessable" and a table listing the two raters by name (33f9c98): raters are not
    # the people min_cell protects, the candidates whose decisions they made are
    data = fh.datasets.make_interviews(1_200, random_state=0)
    result = fh.rater_disparity(data.decisions, rater="interviewer", candidate_group="sex",
                                outcome="advanced", min_n=20)
    texts = [h.text for h in ReportView(result, 5).headlines()]
    raw = [h.text for h in result.headlines() if "too few usable decisions" in h.text]
    assert raw and raw[0] in texts
