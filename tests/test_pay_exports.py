"""Pay analyses on data shaped like real payroll exports (session 13): an employee on several
rows, a report's suppressed counts, sentences that cite the law."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.errors import InvalidValueError


def _staff(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = np.resize(["Male", "Female"], n)
    level = np.resize(["G9", "G10", "Band 2"], n)
    pay = 40_000 * (1 + rng.normal(0, 0.1, n)) * np.where(sex == "Female", 0.95, 1.0)
    return pd.DataFrame({"employee_id": [f"E{i:03d}" for i in range(n)], "sex": sex,
                         "level": level, "salary": pay.round(2)})


def test_an_employee_on_several_rows_is_an_error_naming_the_ids():
    """A payroll export with one row per employee and pay period: with id= given, each
    employee counted twice halved the p-values and a remediation plan raised them twice."""
    staff = _staff()
    two_periods = pd.concat([staff, staff], ignore_index=True)
    with pytest.raises(InvalidValueError) as err:
        fh.pay_gap(two_periods, pay="salary", group="sex", controls="level", id="employee_id")
    message = str(err.value)
    assert "'employee_id'" in message and "60 IDs" in message
    assert "'E000' at rows 0 and 60" in message and "drop_duplicates" in message
    # the data are not changed, and one row per employee still works
    assert len(two_periods) == 120
    one = fh.pay_gap(staff, pay="salary", group="sex", controls="level", id="employee_id")
    assert one.overall.n.sum() == 30


@pytest.mark.parametrize("flag", ["--id", "--id-column"])
def test_the_command_line_checks_repeated_ids_as_python_does(tmp_path, capsys, flag):
    """``fairhire pay --id COLUMN`` passes the library's id=: a repeated id is the library's
    error (exit status 2, one line, the option in command-line words), not a traceback; with
    one row per employee it runs, as pay_gap(..., id=) does."""
    from fairhire.cli import main

    staff = _staff()
    two_periods = pd.concat([staff, staff], ignore_index=True)
    path = tmp_path / "payroll.csv"
    two_periods.to_csv(path, index=False)
    args = ["pay", str(path), "--pay", "salary", "--group", "sex", "--controls", "level"]
    with pytest.raises(InvalidValueError) as err:
        fh.pay_gap(pd.read_csv(path), pay="salary", group="sex", controls="level",
                   id="employee_id")
    assert main([*args, flag, "employee_id"]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    (line,) = captured.err.strip().splitlines()
    assert line == "fairhire: error: " + str(err.value).replace("(id=)", "(--id)")
    assert "column 'employee_id' (--id) holds 60 IDs" in line
    # without --id the command cannot tell; one row per employee runs as in Python
    assert main(args) == 0
    staff.to_csv(path, index=False)
    assert main([*args, flag, "employee_id"]) == 0
    assert main([*args, flag, "staff_no"]) == 2
    assert "staff_no" in capsys.readouterr().err


def test_ids_repeated_only_in_excluded_rows_are_fine():
    """An old pay period with no pay is excluded (and counted) before the IDs are checked."""
    staff = _staff()
    old = staff.head(5).assign(salary=np.nan)
    gap = fh.pay_gap(pd.concat([staff, old], ignore_index=True), pay="salary", group="sex",
                     controls="level", id="employee_id")
    assert gap.rows.used == 60 and sum(gap.rows.excluded.values()) == 5


def _three_groups() -> pd.DataFrame:
    staff = _staff(64)
    staff.loc[:3, "sex"] = "Prefer not to say"  # four people: fewer than min_cell = 5
    return staff


def test_oaxaca_group_sizes_do_not_give_back_a_small_excluded_group():
    """The decomposition left out 4 'Prefer not to say' employees: the row account withheld
    the number used, yet the sentence and the JSON gave both group sizes (30 and 30), and
    64 − 30 − 30 = 4. Now the smaller of the two is withheld ("s"); the gap is still shown."""
    ob = fh.oaxaca_blinder(_three_groups(), outcome="salary", group="sex", features="level")
    assert (ob.n_a, ob.n_b, ob.rows.total) == (30, 30, 64)
    report = fh.Report(min_cell=5).add(ob)
    md = report.render_markdown()
    sentence = next(line for line in md.splitlines() if "(group A," in line)
    assert "(group A, 30 employees)" in sentence and "(group B, s)" in sentence
    assert f"**{ob.gap:.4f}** gap" in md  # a complement hides no figure of the decomposition
    section = report.to_json_dict()["sections"][0]
    assert section["rows"]["used"] is None
    assert section["result"]["n_a"] == 30 and section["result"]["n_b"] is None
    html = report.render_html()
    assert "(group B, s)" in html and "(group A, 30 employees)" in html


def test_oaxaca_group_sizes_are_shown_when_nothing_is_withheld():
    staff = _three_groups().assign(sex=lambda d: d.sex.replace("Prefer not to say", "Male"))
    ob = fh.oaxaca_blinder(staff, outcome="salary", group="sex", features="level")
    md = fh.Report(min_cell=5).add(ob).render_markdown()
    assert "(group A, 34 employees)" in md and "(group B, 30)" in md


def test_oaxaca_small_group_size_is_not_the_used_rows_less_the_other():
    """Decomposing Male (30) against the 4 'Prefer not to say': the JSON gave n_b = 4, and with
    n_b withheld, used (34) less n_a (30) would still give it. Both sizes are withheld now."""
    staff = _three_groups().assign(tenure=lambda d: np.arange(len(d)) % 7)
    ob = fh.oaxaca_blinder(staff, outcome="salary", group="sex", features="tenure",
                           groups=("Male", "Prefer not to say"))
    report = fh.Report(min_cell=5).add(ob)
    result = report.to_json_dict()["sections"][0]["result"]
    assert result["n_a"] is None and result["n_b"] is None
    assert "(group A, s employees) and Prefer not to say (group B, < 5)" in report.render_markdown()


def test_legal_citations_and_counts_of_categories_are_not_counts_of_people():
    """With min_cell, the EU headline "the gender pay gap (Art. 9(1)(a))" read "Art. about
    10(fewer than 5)(a)", "1 of 3 categories of workers" read "fewer than 5 of fewer than 5
    categories", and "groups with fewer than 5 employees" read "fewer than about 5"."""
    from fairhire.report.sentences import clean_sentence

    def clean(text: str) -> str:
        return clean_sentence(text, 5, set())[0]

    assert clean("the gender pay gap (Art. 9(1)(a)) is 5.0%") == \
        "the gender pay gap (Art. 9(1)(a)) is 5.0%"
    assert clean("1 of 3 categories of workers have a gap; under Art. 10.") == \
        "1 of 3 categories of workers have a gap; under Art. 10."
    assert clean("Within Grade, 1 of 3 group comparisons have a significant gap") == \
        "Within Grade, 1 of 3 group comparisons have a significant gap"
    assert clean("reg 13(2) shares 2 employees") == "reg 13(2) shares fewer than 5 employees"
    # a threshold is kept; a count below min_cell after "fewer than" says only min_cell
    assert clean("groups with fewer than 5 employees are not tested: PNTS (4).") == \
        "groups with fewer than 5 employees are not tested: PNTS (fewer than 5)."
    assert clean("groups with fewer than 3 employees: X (2), Y (40).") == \
        "groups with fewer than 5 employees: X (fewer than 5), Y (about 40)."
    # people in parentheses are still counts
    assert clean("3 of 40 applicants (2 women)") == \
        "fewer than 5 of about 40 applicants (fewer than 5 women)"


def test_eu_report_cites_the_directive_as_written():
    staff = _staff(90, seed=2)
    eu = fh.eu_pay_transparency_metrics(staff, pay="salary", sex="sex", category="level")
    md = fh.Report(min_cell=5).add(eu).render_markdown()
    assert "Art. 9(1)(a)" in md and "about 10" not in md and "fewer than 5)" not in md


def test_pay_gap_cells_do_not_add_up_to_a_withheld_overall_count():
    """Overall, the 30 women's count was withheld ("s", so that 64 - 30 - 30 does not give the
    4 'Prefer not to say' back), yet the table within each level showed the women of every
    level, which add up to 30. Now one of those parts is withheld too, in every format."""
    from fairhire.report.view import ReportView

    gap = fh.pay_gap(_three_groups(), pay="salary", group="sex", within="level")
    table = ReportView(gap, 5).table
    women = table[table.group == "Female"]
    overall = women[women.scope == "overall"].n.tolist()
    cells = women[women.scope != "overall"].n.tolist()
    assert len(cells) == 3 and sum(gap.table.n[(gap.table.group == "Female")
                                              & (gap.table.scope != "overall")]) == 30
    assert [str(v) for v in overall] == ["s"]
    assert sum(str(v) == "s" for v in cells) >= 1
    rows = fh.Report(min_cell=5).add(gap).to_json_dict()["sections"][0]["result"]["table"]
    json_cells = [r["n"] for r in rows if r["group"] == "Female" and r["scope"] != "overall"]
    assert None in json_cells


def test_pay_gap_chart_says_which_comparisons_it_leaves_out():
    """A cell whose figures were withheld as a complement vanished from the chart unsaid:
    its text said '1 of 2 flagged' beside a table of 3 comparisons. Since a gap gives no
    count back, such a cell (Band 2: 10 women, withheld with the 1 of another group) is drawn
    with its gap, as the table shows it; the reference group's withheld size (30, withheld
    as a complement) is said to be withheld, not "< 5"."""
    from fairhire.report.charts import pay as pay_charts
    from fairhire.report.view import ReportView

    gap = fh.pay_gap(_three_groups(), pay="salary", group="sex", within="level")
    chart = pay_charts.gap_estimates(ReportView(gap, 5), scope="within", min_cell=5)
    assert chart is not None
    assert "3 comparison(s) not testable are not drawn" in chart.alt
    assert "0 of 3 flagged" in chart.alt and "Band 2 · Female: 1.3%" in chart.alt
    assert "against Male (number of employees withheld)" in chart.alt
    assert "< 5 employees" not in chart.alt


def _hourly_among_annual() -> pd.DataFrame:
    """An HRIS export of annual salaries where 8 women paid by the hour have their hourly
    rate in the pay column (its pay-frequency column says "Hourly")."""
    staff = _staff(64, seed=4)
    hourly = staff.index[staff.sex == "Female"][:8]
    staff["frequency"] = "Annual"
    staff.loc[hourly, "salary"] = (staff.loc[hourly, "salary"] / 2080).round(2)
    staff.loc[hourly, "frequency"] = "Hourly"
    return staff


def test_hourly_rates_among_annual_salaries_are_a_warning_naming_the_rows():
    """The women's adjusted gap came out near 70% (about 5% in the data) with no word of why:
    values a thousandth of their group's median are now a warning, as values a thousand times
    it were, in the regression analyses and the statutory metrics alike."""
    staff = _hourly_among_annual()
    first = staff.index[staff.frequency == "Hourly"][0]
    gap = fh.pay_gap(staff, pay="salary", group="sex", controls="level")
    ob = fh.oaxaca_blinder(staff, outcome="salary", group="sex", features="level")
    eu = fh.eu_pay_transparency_metrics(staff, pay="salary", sex="sex")
    for result in (gap, ob, eu):
        found = [w for w in result.warnings if "1/1,000 of the median" in w]
        assert len(found) == 1, result.warnings
        assert "column 'salary'" in found[0] and "8 value(s)" in found[0]
        assert "hourly rates among annual" in found[0]
    assert f"at row {first}" in next(w for w in gap.warnings if "1/1,000" in w)
    # a lone low value in a workforce of typical pay is no warning
    fine = _staff(64, seed=4)
    fine.loc[0, "salary"] = 1_000.0
    assert not any("1/1,000" in w for w in fh.pay_gap(fine, pay="salary", group="sex").warnings)


def test_statutory_low_value_warning_is_the_same_in_every_engine():
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    staff = _hourly_among_annual()
    for frame in (staff, pl.from_pandas(staff).lazy(), duckdb.from_df(staff)):
        uk = fh.uk_pay_gap_metrics(frame, hourly_pay="salary", sex="sex")
        found = [w for w in uk.warnings if "1/1,000 of the median" in w]
        assert len(found) == 1 and "8 value(s)" in found[0], uk.warnings
    # nothing to warn of: no warning, in any engine
    for frame in (_staff(64), pl.from_pandas(_staff(64)).lazy()):
        assert fh.uk_pay_gap_metrics(frame, hourly_pay="salary", sex="sex").warnings == ()


def test_amounts_in_two_currencies_are_refused_with_that_reason(tmp_path, capsys):
    # before: "Remove currency symbols and thousands separators", which would compare pounds
    # with dollars
    rows = [f"{i},{'Female' if i % 2 else 'Male'},\"{'£' if i % 4 == 0 else '$'}{50000 + i:,}.00\""
            for i in range(80)]
    path = tmp_path / "pay.csv"
    path.write_text("id,Gender,Base Salary\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["pay", str(path), "--pay", "Base Salary", "--group", "Gender"]) == 2
    err = capsys.readouterr().err
    assert "more than one currency" in err and "Remove currency symbols" not in err
    data = pd.read_csv(path)
    with pytest.raises(fh.ColumnError, match="more than one currency"):
        fh.pay_gap(data, pay="Base Salary", group="Gender")


def test_a_few_amounts_in_another_currency_are_named_with_their_rows(tmp_path, capsys):
    # 78 dollar amounts and 2 euro ones: the error named the two currencies only (e3dc064);
    # it now counts each currency's rows and names the rows of the few, in every engine
    rows = [f"{i},{'Female' if i % 2 else 'Male'},\"${50000 + i:,}.00\"" for i in range(78)]
    rows += ['78,Female,"€48.000,00"', '79,Male,"€51.000,00"']
    path = tmp_path / "pay.csv"
    path.write_text("id,Gender,Base Salary\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["pay", str(path), "--pay", "Base Salary", "--group", "Gender"]) == 2
    err = capsys.readouterr().err
    assert "'$' in 78 rows, e.g. '$50,000.00'; '€' in 2 rows: 78, 79, e.g. '€48.000,00'" in err
    data = pd.read_csv(path)
    pl = pytest.importorskip("polars")
    for frame in (data, pl.from_pandas(data)):
        with pytest.raises(fh.ColumnError, match=r"'€' in 2 rows: 78, 79"):
            fh.pay_gap(frame, pay="Base Salary", group="Gender")
