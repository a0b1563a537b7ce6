"""min_cell and figures of people's pay: a gap is withheld where it rests on a small group,
not where its group's headcount is withheld only to protect another group's."""

from __future__ import annotations

import numpy as np
import pandas as pd

import fairhire as fh
from fairhire.report.view import ReportView

MIN_CELL = 5


def _pay(missing: int = 0, small: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    sex = np.array(["Female"] * 200 + ["Male"] * 200 + ["Non-binary"] * small + [None] * missing,
                   dtype=object)
    pay = 50_000 * np.where(sex == "Female", 0.9, 1.0) * rng.lognormal(0, 0.1, len(sex))
    return pd.DataFrame({"sex": sex, "pay": pay})


def _overall(result) -> pd.DataFrame:
    view = ReportView(result, MIN_CELL)
    return view.frame(result.table).set_index("group")


def test_a_large_groups_gap_is_shown_beside_a_small_group():
    # Female (200 people) paid 9% less beside a Non-binary group of 3: Female's headcount is
    # withheld ("s") so that the total does not give the 3 back, and at 33f9c98 so were its
    # gap, interval, p-value and flag, the finding of the whole analysis
    result = fh.pay_gap(_pay(), pay="pay", group="sex")
    table = _overall(result)
    female, small = table.loc["Female"], table.loc["Non-binary"]
    assert str(female["n"]) == "s" and str(small["n"]) == "< 5"
    for column in ("adjusted_gap", "ci_low", "ci_high", "p_value", "mean_gap_pct",
                   "median_gap_pct", "flagged"):
        assert female[column] == result.table.set_index("group").loc["Female", column]
        assert str(small[column]) == "s", column  # the small group's pay stays withheld
    md = fh.Report(title="Pay", min_cell=MIN_CELL).add(result).render_markdown()
    assert "| Female | s | 200 | 9.1 | 7.8 | 9.06 | 7.26 to 10.83 | < 0.001 | yes |" in md
    assert "Female employees are paid 9.1% less than Male employees" in md


def test_the_number_of_pay_outliers_is_withheld_in_the_key_figures():
    # the key figures printed "**3** employees paid far below prediction" beside the
    # sentence "< 5 employees are paid far below what the model predicts" (33f9c98)
    result = fh.pay_gap(_pay(), pay="pay", group="sex")
    assert 0 < result.n_outliers < MIN_CELL
    report = fh.Report(title="Pay", min_cell=MIN_CELL).add(result)
    md, html = report.render_markdown(), report.render_html()
    assert f"**{result.n_outliers}** employees paid far below" not in md
    assert "**< 5** employees paid far below prediction" in md
    assert f'<span class="kpi-value">{result.n_outliers}</span>' not in html


def test_a_pay_note_on_excluded_rows_is_shown_when_the_data_section_shows_its_count():
    # "rows excluded: 200 missing group (sex)." was withheld ("rests on fewer than 5 people")
    # because Female's withheld headcount is also 200, beside a data section that shows
    # "200 excluded (missing group (sex))" (33f9c98)
    result = fh.pay_gap(_pay(missing=200), pay="pay", group="sex")
    view = ReportView(result, MIN_CELL)
    assert str(view.frame(result.table).set_index("group").loc["Female", "n"]) == "s"
    assert "200 excluded (missing group (sex))" in view.rows.describe()
    assert "rows excluded: 200 missing group (sex)." in view.warnings
    # a figure that is not the excluded count is still checked: 200 stated as the Female
    # headcount stays withheld
    assert view.clean_text("Female: 200 employees.").startswith("A note is withheld")


def _eu_data() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = [
        {"category": cat, "sex": sex,
         "pay": 40_000 * (1.0 if sex == "M" else 0.9) * rng.lognormal(0, 0.1)}
        for cat, men, women in (("A", 40, 3), ("B", 50, 45), ("C", 60, 55))
        for sex, k in (("M", men), ("F", women)) for _ in range(k)
    ]
    return pd.DataFrame(rows)


def test_eu_category_gaps_are_withheld_only_for_the_small_category():
    # category A has 3 women: its gaps, flag and direction ("men paid more" says which way
    # 3 women's pay goes: shown at 33f9c98) are withheld. B's women (45) are withheld as
    # the complement, and at 33f9c98 so were B's gaps and flag, in the table and the chart
    result = fh.eu_pay_transparency_metrics(_eu_data(), pay="pay", sex="sex",
                                            category="category", male="M", female="F")
    cats = ReportView(result, MIN_CELL).frame(result.categories).set_index("category")
    assert str(cats.loc["A", "women"]) == "< 5" and str(cats.loc["B", "women"]) == "s"
    for column in ("mean_gap_basic", "median_gap_basic", "mean_gap_total", "art10_flag",
                   "direction"):
        assert str(cats.loc["A", column]) == "s", column
        assert cats.loc["B", column] == result.categories.set_index("category").loc["B", column]
    md = fh.Report(title="EU", min_cell=MIN_CELL).add(result).render_markdown()
    assert "| B | 50 | s | 10.5 | 11.6 | – | – | 10.5 | yes | men paid more |" in md
    assert "2 of 2 categories at or beyond it: B 10.5%; C 11.3%." in md
    assert "1 category with counts below 5 is not drawn." in md


def test_classical_intervals_without_controls_stay_withheld_with_a_complement():
    # with cov_type="nonrobust" and no controls, the constant's standard error is σ/√m and
    # a group's is σ·√(1/n + 1/m): Female's interval would give its withheld 200 back, and
    # the total the Non-binary 3. Its gap and flag are shown, its interval and test are not
    result = fh.pay_gap(_pay(), pay="pay", group="sex", cov_type="nonrobust")
    coef = result.coefficients.set_index("term")
    sigma = coef.loc["const", "std_error"] * np.sqrt(200)
    worked_out = 1 / ((coef.loc["sex[Female]", "std_error"] / sigma) ** 2 - 1 / 200)
    assert round(worked_out) == 200  # the attack works on the raw figures
    view = ReportView(result, MIN_CELL)
    female = view.frame(result.table).set_index("group").loc["Female"]
    assert female["adjusted_gap"] == result.table.set_index("group").loc["Female",
                                                                         "adjusted_gap"]
    for column in ("ci_low", "ci_high", "std_error", "t", "p_value"):
        assert str(female[column]) == "s", column
    terms = view.frame(result.coefficients).set_index("term")
    assert str(terms.loc["sex[Female]", "std_error"]) == "s"
    assert str(terms.loc["sex[Non-binary]", "coef"]) == "s"


def test_a_small_groups_model_coefficient_is_withheld_in_the_json():
    # the JSON's coefficient table printed "sex[Non-binary]" (3 people: their pay against
    # Male's, adjusted) with its interval under min_cell=5 (33f9c98)
    result = fh.pay_gap(_pay(), pay="pay", group="sex")
    payload = fh.Report(title="Pay", min_cell=MIN_CELL).add(result).to_json_dict()
    terms = {c["term"]: c for c in payload["sections"][0]["result"]["coefficients"]}
    assert terms["sex[Non-binary]"]["coef"] is None
    assert terms["sex[Non-binary]"]["ci_low"] is None
    assert terms["sex[Female]"]["coef"] == result.coefficients.set_index("term").loc[
        "sex[Female]", "coef"]


def test_a_number_that_names_a_row_is_shown_beside_withheld_counts():
    # "Diverse panels by panel size" printed "| s | 132 | < 5 | s | < 5 | s |": the panel
    # size (1), the row's name, was hidden with the row's figures (33f9c98)
    data = fh.datasets.make_interviews(1_200, random_state=0)
    panels = fh.interview_panels(
        data.panels, interview="interview_id", panelist_group="panelist_sex",
        candidate_group="candidate_sex", outcome="advanced", panelist="panelist", min_groups=2)
    assert panels.sizes.set_index("panel_size").loc[1, "diverse"] == 0
    report = fh.Report(title="Panels", min_cell=MIN_CELL).add(panels)
    md, html = report.render_markdown(), report.render_html()
    assert "| 1 | 132 | < 5 | s | < 5 | s |" in md
    assert "| s | 132 |" not in md
    assert '<td class="num">1</td>\n<td class="num">132</td>' in html


def test_a_withheld_finding_gives_the_reason_of_the_rows_it_quotes():
    # "Employees aged 40 and over were selected for layoff at 1.66 times the rate of those
    # under 40 (11.6% ...; 17 more than parity)" was withheld because "it rests on fewer than
    # 5 people" (33f9c98): 380 people, whose selected count is withheld only because the
    # 60-and-over band (1 person) is part of it; "17" and "7.0%" were figures of small rows
    # elsewhere in the result, by chance. A finding about a small row keeps that reason.
    staff = fh.datasets.make_workforce(n_employees=3000, random_state=0, exits=True)
    result = fh.reduction_in_force(staff, group="sex", selected="laid_off", unit="job_family",
                                   age="age", job_title="job_title", age_bands=[40, 50, 60])
    texts = {h.text: v.text for h, v in zip(result.headlines(),
                                            ReportView(result, MIN_CELL).headlines(),
                                            strict=True)}
    older = next(t for t in texts if t.startswith("Employees aged 40 and over"))
    assert texts[older] == ("age 40 and over: a finding is withheld because its figures would "
                            "let a count of fewer than 5 people be worked out from the totals; "
                            "see the section's tables.")
    finance = next(t for t in texts if t.startswith("In Finance, employees aged 50 and over"))
    assert "it rests on fewer than 5 people" in texts[finance]
