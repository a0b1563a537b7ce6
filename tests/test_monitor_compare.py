"""fh.compare_audits: two audits compared finding by finding, and its report section."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import fairhire as fh
from fairhire.errors import InvalidParameterError, InvalidValueError
from fairhire.report.testing import check_renders
from fairhire.stats.change import log_ratio_change


def _row(stage, group, applicants, selected, ratio, below, reference="Male"):
    return {"stage": stage, "group": group, "applicants": applicants, "selected": selected,
            "impact_ratio": ratio, "adverse_impact": below, "reference_group": reference}


def _audit(when, hiring, pay=None, extra_section=None, schema="1.0"):
    """An audit JSON as Report.to_json writes it, built by hand (only what is compared)."""
    sections = [{"index": 1, "title": "Hiring funnel by sex", "kind": "adverse impact",
                 "result": {"type": "AdverseImpactResult", "table": hiring}}]
    if pay is not None:
        sections.append({"index": 2, "title": "Pay gap by sex", "kind": "pay gap",
                         "result": {"type": "PayGapResult", "table": pay}})
    if extra_section is not None:
        sections.append(extra_section)
    report = {"title": f"Audit {when[:4]}", "generated_at": when}
    return {"schema_version": schema, "report": report, "sections": sections}


MALE = [_row(s, "Male", 400, 200, 1.0, False) for s in ("screened", "interviewed", "hired")]

PREVIOUS = _audit(
    "2025-01-31T09:00:00+00:00",
    [
        *MALE,
        _row("screened", "Female", 400, 190, 0.95, False),     # -> new
        _row("interviewed", "Female", 400, 120, 0.60, True),   # -> worse
        _row("hired", "Female", 400, 140, 0.70, True),         # -> resolved
        _row("offered", "Female", 400, 150, 0.75, True),       # -> better
        _row("bottom line", "Female", 400, 120, 0.60, True),   # -> unchanged
    ],
    pay=[{"group": "Female", "cell": "all", "n": 300, "adjusted_gap_pct": 6.0, "flagged": True}],
    extra_section={"index": 3, "title": "Promotion rates", "kind": "promotion disparity",
                   "result": {"table": [_row("promoted", "Female", 90, 10, 0.5, True)]}},
)
CURRENT = _audit(
    "2026-01-31T09:00:00+00:00",
    [
        *MALE,
        _row("screened", "Female", 400, 120, 0.60, True),
        _row("interviewed", "Female", 400, 100, 0.50, True),
        _row("hired", "Female", 400, 190, 0.95, False),
        _row("offered", "Female", 400, 156, 0.78, True),
        _row("bottom line", "Female", 400, 122, 0.61, True),
        _row("screened", "Non-binary", 40, 19, 0.95, False),  # never flagged: not a finding
    ],
    pay=[{"group": "Female", "cell": "all", "n": 310, "adjusted_gap_pct": 6.3, "flagged": True}],
)


@pytest.fixture(scope="module")
def comparison() -> fh.AuditComparison:
    return fh.compare_audits(PREVIOUS, CURRENT)


def test_a_hand_built_pair_of_audits_is_classified(comparison):
    t = comparison.table.set_index(["analysis", "stage", "group"])
    status = t["status"].to_dict()
    hiring = "Hiring funnel by sex"
    assert status == {
        (hiring, "screened", "Female"): "new",
        (hiring, "interviewed", "Female"): "worse",
        (hiring, "offered", "Female"): "better",
        (hiring, "bottom line", "Female"): "unchanged",
        (hiring, "hired", "Female"): "resolved",
        ("Pay gap by sex", "", "Female"): "unchanged",
    }
    # both figures, and the order of the table: new, worse, unchanged, better, resolved
    row = t.loc[(hiring, "interviewed", "Female")]
    assert (row.previous, row.current) == (0.60, 0.50)
    assert row.change == pytest.approx(-0.10) and row.needs_attention
    assert list(comparison.table["status"]) == ["new", "worse", "unchanged", "unchanged",
                                                "better", "resolved"]
    assert comparison.status_counts() == {"new": 1, "worse": 1, "unchanged": 2, "better": 1,
                                          "resolved": 1}
    assert list(comparison.flagged["status"]) == ["new", "worse"]


def test_the_change_test_uses_both_audits_counts(comparison):
    row = comparison.table.set_index(["stage", "group"]).loc[("interviewed", "Female")]
    expected = log_ratio_change((120, 400, 200, 400), (100, 400, 200, 400)).p_value
    assert row.p_value_change == pytest.approx(expected)
    pay = comparison.table.loc[comparison.table.measure.str.startswith("adjusted pay")].iloc[0]
    assert math.isnan(pay.p_value_change)


def test_an_analysis_in_one_audit_only_is_not_compared(comparison):
    assert comparison.not_compared.to_dict("records") == [
        {"analysis": "Promotion rates", "stage": "promoted", "group": "Female", "audit": "previous",
         "reason": "analysis in one audit only"}
    ]
    assert comparison.rows.excluded == {"analysis in one audit only": 1}
    assert any("only in the previous audit" in w for w in comparison.warnings)


def test_files_dicts_and_reports_are_read_alike(tmp_path, comparison):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(PREVIOUS), encoding="utf-8")
    new.write_text(json.dumps(CURRENT), encoding="utf-8")
    from_files = fh.compare_audits(old, str(new))
    pd.testing.assert_frame_equal(from_files.table, comparison.table)
    assert from_files.params == {"previous": "old.json", "current": "new.json"}
    assert from_files.fingerprint == comparison.fingerprint


def test_a_real_report_round_trip(tmp_path):
    def audit(women_hired: int, when: str) -> fh.Report:
        counts = {"sex": ["Male", "Female"], "n": [100, 100], "hired": [50, women_hired]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(title="Hiring", generated_at=when).add(ai, title="Hiring")

    audit(30, "2025-01-31").to_json(tmp_path / "2025.json")
    current = audit(20, "2026-01-31")
    cmp = fh.compare_audits(tmp_path / "2025.json", current)
    assert cmp.table[["stage", "group", "status"]].values.tolist() == [["hired", "Female", "worse"]]
    # the comparison's section goes right after the executive summary, wherever it is added
    current.add(cmp)
    assert [s.title for s in current.sections] == ["Since the previous audit", "Hiring"]
    html = current.render_html()
    assert html.index("Since the previous audit</h2>") < html.index(">Hiring</h2>")
    assert html.index('id="summary"') < html.index("Since the previous audit</h2>")
    md = current.render_markdown()
    assert md.index("\n## Since the previous audit\n") < md.index("\n## Hiring\n")
    assert "Worse: Hiring, hired, Female (impact ratio 0.60 → 0.40)." in md


def test_schema_versions_must_match():
    with pytest.raises(InvalidValueError, match=r"different schema versions.*'1\.0'.*'2\.0'"):
        fh.compare_audits(PREVIOUS, {**CURRENT, "schema_version": "2.0"})


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(InvalidParameterError, match="is not a file"):
        fh.compare_audits(tmp_path / "missing.json", CURRENT)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="not valid JSON"):
        fh.compare_audits(broken, CURRENT)
    with pytest.raises(InvalidValueError, match="not a fairhire audit"):
        fh.compare_audits({"hello": 1}, CURRENT)
    with pytest.raises(InvalidParameterError, match="must be the path"):
        fh.compare_audits(42, CURRENT)


def test_the_order_of_the_audits_is_checked():
    cmp = fh.compare_audits(CURRENT, PREVIOUS)
    assert any("generated after the current one" in w for w in cmp.warnings)


def test_suppressed_figures_compare_by_flags_and_stay_hidden():
    prev = _audit("2025-01-31", [*MALE, _row("hired", "Female", 4, 1, None, True)])
    prev["sections"][0]["result"]["table"][-1]["applicants"] = None  # suppressed in the JSON
    cur = _audit("2026-01-31", [*MALE, _row("hired", "Female", 8, 2, 0.5, True)])
    cmp = fh.compare_audits(prev, cur)
    row = cmp.table.iloc[0]
    assert row.status == "unchanged" and row.previous is None and row.min_count == 1
    out = check_renders(cmp, min_cell=5)
    assert "0.50" not in out["markdown"].split("## Methodology")[0]
    assert json.loads(out["json"])["sections"][0]["result"]["table"][0]["current"] is None


def test_comparison_renders_in_every_format(comparison):
    out = check_renders(comparison)
    assert "Since the previous audit" in out["html"]
    assert "New finding: Hiring funnel by sex, screened, Female (impact ratio 0.95 → 0.60)." in (
        out["markdown"]
    )


def test_a_flag_withheld_under_min_cell_is_not_called_resolved():
    # the same 100 women, 30 hired, both years; this year a 4-person group joins, and the
    # report withholds Female's row as its complement: the comparison said "Resolved"
    def audit(groups, when):
        counts = {"sex": [g for g, _, _ in groups], "n": [n for _, n, _ in groups],
                  "hired": [k for _, _, k in groups]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        report = fh.Report(min_cell=5, generated_at=when).add(ai, title="Hiring")
        return report.to_json_dict()

    before = audit([("Male", 100, 50), ("Female", 100, 30)], "2025-01-31")
    after = audit([("Male", 100, 50), ("Female", 100, 30), ("Tiny", 4, 3)], "2026-01-31")
    female = next(r for r in after["sections"][0]["result"]["table"] if r["group"] == "Female")
    assert female["adverse_impact"] is None  # withheld, not False
    for previous, current, held in ((before, after, "current"), (after, before, "previous")):
        cmp = fh.compare_audits(previous, current)
        assert cmp.table.empty, cmp.table
        # Tiny, in one audit only, has its flag withheld there: not known to be new either
        assert sorted(cmp.not_compared.to_dict("records"), key=str) == sorted([
            {"analysis": "Hiring", "stage": "hired", "group": group, "audit": held,
             "reason": "flag withheld in one audit"} for group in ("Female", "Tiny")], key=str)
        assert cmp.rows.excluded == {"flag withheld in one audit": 2}
        assert any("withheld in one audit" in w and "Hiring, hired, Female" in w
                   for w in cmp.warnings)
        check_renders(cmp)


def test_flags_withheld_in_both_audits_are_said_not_compared():
    # both years withhold Female's row (a 4-person group beside it): the comparison printed
    # "0 new, 0 worse, 0 unchanged, 0 better, 0 resolved" and nothing else, and the report
    # "Neither audit has a flagged finding", for a ratio of 0.6 both years
    def audit(when):
        counts = {"sex": ["Male", "Female", "Tiny"], "n": [100, 100, 4], "hired": [50, 30, 3]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(min_cell=5, generated_at=when).add(ai, title="Hiring").to_json_dict()

    cmp = fh.compare_audits(audit("2025-01-31"), audit("2026-01-31"))
    assert cmp.table.empty
    female = cmp.not_compared.set_index("group").loc["Female"]
    assert (female["audit"], female["reason"]) == ("both", "flag withheld in both audits")
    assert "Male" not in set(cmp.not_compared["group"])  # the reference group is no finding
    assert "not compared" in cmp.summary().splitlines()[1]
    assert any("withheld in both audits" in w and "Hiring, hired, Female" in w
               for w in cmp.warnings)
    out = check_renders(cmp)
    assert "Neither audit has a flagged finding" not in out["html"] + out["markdown"]
    assert "not compared" in out["html"] and "not compared" in out["markdown"]
    # under min_cell, the tally and the row account count findings, not people: not withheld
    md = fh.Report(min_cell=25).add(cmp, title="Since").render_markdown()
    assert "0 new, 0 worse, 0 unchanged, 0 better, 0 resolved; 2 not compared" in md
    assert "2 excluded: flag withheld in both audits" in md
    assert "finding is withheld" not in md


def test_a_monitoring_section_is_compared_by_its_last_period():
    # the rows of every period share (stage, group), and the first period's stood for the run:
    # flagged in the new run's last quarter, fine in the old run's, it was "resolved"
    def run(quarters, when):
        rows = []
        for q, women in quarters:
            rows += [{"q": q, "sex": "Male", "hired": i < 50} for i in range(100)]
            rows += [{"q": q, "sex": "Female", "hired": i < women} for i in range(100)]
        mon = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
        return fh.Report(generated_at=when).add(mon, title="Monitoring").to_json_dict()

    before = run([("2024-Q1", 30), ("2024-Q2", 48)], "2025-01-31")
    after = run([("2024-Q3", 48), ("2024-Q4", 30)], "2026-01-31")
    cmp = fh.compare_audits(before, after)
    assert cmp.table[["stage", "group", "status", "previous", "current"]].to_dict("records") == [
        {"stage": "hired", "group": "Female", "status": "new", "previous": 0.96, "current": 0.6}]
    expected = log_ratio_change((48, 100, 50, 100), (30, 100, 50, 100)).p_value
    assert cmp.table.p_value_change[0] == pytest.approx(expected)


def test_no_change_p_value_on_a_small_sample():
    # 30 of 100 women hired, then 4 of 4: p_value_change was 7e-9 beside "resolved"
    def audit(a, n, when):
        counts = {"sex": ["Male", "Female"], "n": [100, n], "hired": [50, a]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(generated_at=when).add(ai, title="Hiring").to_json_dict()

    small = fh.compare_audits(audit(30, 100, "2025-01-31"), audit(4, 4, "2026-01-31"))
    assert small.table.status.tolist() == ["resolved"]
    assert math.isnan(small.table.p_value_change[0])
    large = fh.compare_audits(audit(30, 100, "2025-01-31"), audit(45, 100, "2026-01-31"))
    expected = log_ratio_change((30, 100, 50, 100), (45, 100, 50, 100)).p_value
    assert large.table.p_value_change[0] == pytest.approx(expected)


def test_a_finding_with_no_row_now_is_not_called_resolved():
    # flagged last year; this year nobody of that group applied: it was "resolved"
    def audit(groups, when):
        counts = {"sex": [g for g, _, _ in groups], "n": [n for _, n, _ in groups],
                  "hired": [k for _, _, k in groups]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(generated_at=when).add(ai, title="Hiring").to_json_dict()

    before = audit([("Male", 100, 50), ("Female", 100, 45), ("Non-binary", 40, 8)], "2025-01-31")
    after = audit([("Male", 100, 50), ("Female", 100, 46)], "2026-01-31")
    cmp = fh.compare_audits(before, after)
    assert cmp.table.empty
    assert cmp.not_compared.to_dict("records") == [
        {"analysis": "Hiring", "stage": "hired", "group": "Non-binary", "audit": "previous",
         "reason": "no row in the current audit"}]
    assert any("no row in the current one" in w and "Hiring, hired, Non-binary" in w
               for w in cmp.warnings)


@pytest.mark.parametrize(("edit", "said"), [
    (lambda d: d.update(sections={"a": 1}), "'sections' is not a list of sections"),
    (lambda d: d.update(sections=[1]), "section 0 is not an object"),
    (lambda d: d["sections"][0].update(result=[1]), "the 'result' of section 0"),
    (lambda d: d.update(report="Audit 2025"), "'report' is not an object"),
])
def test_a_hand_edited_audit_is_refused_by_name_not_with_a_python_error(edit, said):
    # an audit.json whose parts are not laid out as Report.to_json writes them: AttributeError
    # or ValueError on aeccaad, from the library, `fairhire compare` and an audit config
    edited = json.loads(json.dumps(PREVIOUS))
    edit(edited)
    with pytest.raises(InvalidValueError, match=f"not laid out as a fairhire audit: {said}"):
        fh.compare_audits(edited, CURRENT)


def test_a_change_of_reference_group_is_said_and_a_new_reference_is_not_absent():
    # Last year men were hired at the highest rate and women and non-binary applicants were
    # flagged; this year women and non-binary applicants are hired at the highest rate (a
    # tie), so both are this year's reference. aeccaad listed them as "no row in the current
    # audit (nobody in the group or stage this time?)" beside 100 and 40 applicants, and
    # said nothing of the ratios being against another group than last year's.
    def audit(hired, when):
        counts = {"sex": ["Male", "Female", "Non-binary"], "n": [100, 100, 40], "hired": hired}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(generated_at=when).add(ai, title="Hiring").to_json_dict()

    cmp = fh.compare_audits(audit([50, 30, 10], "2025-01-31"), audit([30, 50, 20], "2026-01-31"))
    assert cmp.table[["group", "status"]].to_dict("records") == [
        {"group": "Male", "status": "new"}]
    assert cmp.not_compared[["group", "reason"]].to_dict("records") == [
        {"group": "Female", "reason": "the reference group in the current audit"},
        {"group": "Non-binary", "reason": "the reference group in the current audit"}]
    assert not any("no row in the current one" in w for w in cmp.warnings)
    assert any("reference group changed (Hiring, hired: Male → Female)" in w
               for w in cmp.warnings)
    assert any("2 findings flagged in the previous audit are the reference group in the "
               "current one" in w for w in cmp.warnings)
    # the same reference in both audits: no such warning
    same = fh.compare_audits(audit([50, 30, 10], "2025-01-31"), audit([50, 35, 12], "2026-01-31"))
    assert not any("reference group" in w for w in same.warnings)


def test_a_group_spelt_another_way_this_year_is_the_same_group():
    # The HRIS export changed "Female"/"Male" to "F"/"M". aeccaad called F a new finding
    # (needs attention) beside "Female: no row in the current audit", and said the reference
    # group changed from Male to M. The shared label rule reads F as Female within a column;
    # across two audits the groups are matched the same way, with a warning naming the pairs.
    def audit(sexes, hired, when):
        counts = {"sex": sexes, "n": [200, 200, 40], "hired": hired}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        return fh.Report(generated_at=when).add(ai, title="Hiring").to_json_dict()

    before = audit(["Male", "Female", "Non-binary"], [100, 60, 8], "2025-01-31")
    after = audit(["M", "F", "non-binary "], [100, 62, 9], "2026-01-31")
    cmp = fh.compare_audits(before, after)
    assert cmp.table[["group", "status", "previous", "current"]].to_dict("records") == [
        {"group": "Female", "status": "better", "previous": 0.6, "current": 0.62},
        {"group": "Non-binary", "status": "better", "previous": 0.4, "current": 0.45}]
    assert cmp.not_compared.empty
    assert cmp.warnings == (
        "groups written differently in the two audits were matched by the label rule (case, "
        "spaces, sex spellings): F = Female; M = Male; non-binary = Non-binary, the current "
        "spelling first. Write the groups the same way in both exports.",)


def test_a_change_is_written_as_its_two_figures_are(comparison):
    # "fairhire compare --format csv" printed a change of -0.09999999999999998 (0.50 - 0.60 in
    # binary floats) where the two audits say 0.60 and 0.50
    from fairhire.cli.output import csv_text

    t = comparison.table.set_index(["stage", "group"])
    assert t.loc[("interviewed", "Female"), "change"] == -0.1
    assert t.loc[("bottom line", "Female"), "change"] == 0.01
    text = csv_text(comparison.table)
    assert "-0.1," in text and "99999" not in text and "00000000" not in text
