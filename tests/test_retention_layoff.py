"""fh.reduction_in_force: layoff rates by hand, age comparisons, the trend test, units, the
OWBPA disclosure and its privacy, bad input, properties, backends and reports."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from conftest_spark import local_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import fairhire as fh
from fairhire.errors import ColumnError, InvalidParameterError, InvalidValueError, ReportError
from fairhire.report.testing import HOSTILE_LABEL, check_renders
from fairhire.stats.trend import cochran_armitage


def layoff(blocks):
    """Rows from (unit, job title, age, people, selected) blocks."""
    rows = []
    for unit, title, age, n, k in blocks:
        rows += [{"unit": unit, "title": title, "age": age, "laid_off": i < k,
                  "sex": "Female" if i % 2 else "Male"} for i in range(n)]
    return pd.DataFrame(rows)


# Ops: under 40 (age 30) 50 people, 4 selected; 45-year-olds 20, 4; 55-year-olds 10, 5.
# Sales: 30-year-olds 40, 2; 52-year-olds 10, 3.
DATA = layoff([("Ops", "Clerk", 30, 50, 4), ("Ops", "Clerk", 45, 20, 4),
               ("Ops", "Lead", 55, 10, 5), ("Sales", "Rep", 30, 40, 2),
               ("Sales", "Rep", 52, 10, 3)])


def test_age_comparisons_by_hand():
    r = fh.reduction_in_force(DATA, selected="laid_off", unit="unit", age="age",
                              job_title="title")
    t = r.table.set_index(["comparison", "unit", "group"])
    over50 = t.loc[("age 50 and over", "All units", "50 and over")]
    assert (over50.headcount, over50.selected) == (20, 8)
    assert over50.reference_group == "Under 40"
    assert over50.selection_rate_ratio == pytest.approx((8 / 20) / (6 / 90))
    assert over50.impact_ratio == pytest.approx((12 / 20) / (84 / 90))
    assert over50.p_value_fisher == pytest.approx(stats.fisher_exact([[12, 8], [84, 6]])[1])
    assert over50.shortfall == pytest.approx(8 - 20 * 6 / 90)
    over40 = t.loc[("age 40 and over", "All units", "40 and over")]
    assert (over40.headcount, over40.selected) == (40, 12)
    ops = t.loc[("age 40 and over", "Ops", "40 and over")]
    assert (ops.headcount, ops.selected) == (30, 9)
    bands = r.age_bands.set_index("band")
    assert bands.loc["40–49", "headcount"] == 20 and bands.loc["50–59", "selected"] == 8
    trend = cochran_armitage(bands["selected"], bands["headcount"])
    assert r.trend["z"] == pytest.approx(trend.z) and r.trend["z"] > 0
    assert r.strata.set_index("comparison").loc["age 40 and over", "n_strata"] == 2


def test_headline_in_plain_language():
    df = layoff([("All", "Clerk", 30, 800, 60), ("All", "Clerk", 55, 200, 36)])
    r = fh.reduction_in_force(df, selected="laid_off", age="age")
    texts = [h.text for h in r.headlines()]
    assert ("Employees aged 50 and over were selected for layoff at 2.4 times the rate of "
            "those under 40 (18.0% against 7.5%; Fisher p < 0.001; 21 more than parity).") in texts


def test_owbpa_layout_and_privacy():
    r = fh.reduction_in_force(DATA, group="sex", selected="laid_off", unit="unit", age="age",
                              job_title="title")
    o = r.owbpa.set_index(["unit", "job_title", "age"])
    assert list(r.owbpa.columns) == ["unit", "job_title", "age", "selected", "not_selected"]
    assert tuple(o.loc[("Ops", "Lead", 55)]) == (5, 5)
    assert tuple(o.loc[("Sales", "Rep", 30)]) == (2, 38)
    d = r.to_dict()
    assert "owbpa" not in d and d["omitted_row_level"] == ["owbpa"]
    assert d["owbpa_summary"]["selected"] == 18 and "explicitly asks" in r.PRIVACY_RULE
    text = json.dumps(d)
    assert '"age": 55' not in text
    plain = fh.Report(title="t", generated_at="2026-01-01").add(r)
    assert "OWBPA disclosure: ages" not in plain.render_html()
    assert "owbpa" not in json.loads(plain.render_json())["sections"][0]["result"]
    full = fh.Report(title="t", generated_at="2026-01-01").add(r, include_disclosure=True)
    assert "OWBPA disclosure: ages" in full.render_html()
    assert "OWBPA disclosure: ages" in full.render_markdown()
    rows = json.loads(full.render_json())["sections"][0]["result"]["owbpa"]
    assert {"unit": "Ops", "job_title": "Lead", "age": 55, "selected": 5,
            "not_selected": 5} in rows
    with pytest.raises(ReportError, match="no private disclosure"):
        fh.Report(title="t").add(fh.retention(DATA, group="sex", exited="laid_off"),
                                 include_disclosure=True)
    with pytest.raises(InvalidParameterError, match="include_disclosure"):
        fh.Report(title="t").add(r, include_disclosure="yes")


def test_missing_ages_and_groups_counted():
    df = DATA.astype({"laid_off": object})
    df.loc[[0, 1, 2], "age"] = np.nan
    df.loc[[2, 3], "sex"] = None
    df.loc[4, "laid_off"] = None
    r = fh.reduction_in_force(df, group="sex", selected="laid_off", unit="unit", age="age",
                              job_title="title")
    assert r.rows.excluded == {"missing laid_off": 1, "missing group and age": 1}
    assert r.rows.total == len(df) and r.rows.used == len(df) - 2
    u = r.unknown.set_index("comparison")
    assert u.loc["sex", "employees"] == 2 and u.loc["age 40 and over", "employees"] == 3
    assert any("3 employees have a missing age" in w for w in r.warnings)
    assert any("no age" in w for w in r.warnings)  # the disclosure cannot list them
    assert r.owbpa[["selected", "not_selected"]].sum().sum() == len(df) - 4


def test_unit_with_one_person():
    df = pd.concat([DATA, layoff([("Tiny", "Clerk", 61, 1, 1)])], ignore_index=True)
    r = fh.reduction_in_force(df, selected="laid_off", unit="unit", age="age")
    t = r.table.set_index(["comparison", "unit", "group"])
    tiny = t.loc[("age 40 and over", "Tiny", "40 and over")]
    assert tiny.headcount == 1 and bool(tiny.small_sample) and np.isnan(tiny.p_value_fisher)
    assert ("age 40 and over", "Tiny", "Under 40") not in t.index


def test_bad_input():
    with pytest.raises(InvalidParameterError, match=r"group=.*age="):
        fh.reduction_in_force(DATA, selected="laid_off")
    with pytest.raises(InvalidParameterError, match="age_bands"):
        fh.reduction_in_force(DATA, selected="laid_off", age="age", age_bands=(30,))
    with pytest.raises(InvalidValueError, match="impossible ages"):
        fh.reduction_in_force(DATA.assign(age=DATA["age"] + 1900), selected="laid_off",
                              age="age")
    with pytest.raises(InvalidValueError, match="numeric"):
        fh.reduction_in_force(DATA.assign(age=DATA["age"].astype(str)), selected="laid_off",
                              age="age")


def test_no_one_under_40_is_a_warning_not_a_crash():
    # Hypothesis found it: with every employee 40 or over, the age comparison named "Under 40"
    # as its reference and failed with "reference='Under 40' is not one of the groups"
    df = pd.DataFrame({"unit": ["u1", "u2"] * 10, "age": [40, 55] * 10,
                       "laid_off": [True, False, False, False] * 5})
    r = fh.reduction_in_force(df, selected="laid_off", unit="unit", age="age")
    assert r.age_bands["headcount"].sum() == len(df)
    assert any("nothing to compare" in w for w in r.warnings)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["u1", "u2", "u3"]), st.integers(20, 70),
                          st.booleans()), min_size=10, max_size=60),
       st.permutations(["North", "South", "East"]))
def test_counts_conserved_and_unit_names_change_nothing(rows, names):
    df = pd.DataFrame(rows, columns=["unit", "age", "laid_off"])
    kw = dict(selected="laid_off", unit="unit", age="age")
    r = fh.reduction_in_force(df, **kw)
    assert r.age_bands["headcount"].sum() == len(df)
    assert r.age_bands["selected"].sum() == df["laid_off"].sum()
    assert r.owbpa[["selected", "not_selected"]].sum().sum() == len(df)
    rename = dict(zip(["u1", "u2", "u3"], names, strict=True))
    r2 = fh.reduction_in_force(df.assign(unit=df["unit"].map(rename))
                               .sample(frac=1, random_state=2), **kw)
    a = r.table.loc[r.table["unit"] == "All units"].reset_index(drop=True)
    b = r2.table.loc[r2.table["unit"] == "All units"].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert r.trend == r2.trend


def test_same_on_every_backend():
    staff = fh.datasets.make_workforce(3000, random_state=5, exits=True)
    pool = staff.loc[staff["laid_off"].notna()].astype({"laid_off": bool})
    frames = local_frames(pool.reset_index(drop=True))
    kw = dict(group="sex", selected="laid_off", unit="job_family", age="age",
              job_title="job_title")
    want = fh.reduction_in_force(frames["pandas"], **kw)
    for name in ("polars", "polars lazy", "duckdb"):
        got = fh.reduction_in_force(frames[name], **kw)
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True, obj=name)
        pd.testing.assert_frame_equal(got.owbpa, want.owbpa, check_exact=True, obj=name)
        assert got.trend == want.trend


def test_injected_age_effect_is_found():
    staff = fh.datasets.make_workforce(10_000, random_state=0, exits=True)
    pool = staff.loc[staff["laid_off"].notna()]
    r = fh.reduction_in_force(pool, selected="laid_off", unit="job_family", age="age")
    s = r.strata.set_index("comparison").loc["age 50 and over"]
    truth = fh.datasets.workforce.WORKFORCE_TRUTH["layoff_rate_ratio_50_plus"]
    assert truth == pytest.approx(2.4)
    # within units (Mantel–Haenszel) the odds ratio is near the injected rate ratio
    assert s.mh_ci_low < truth * (1 - 0.075) / (1 - 0.18) * 1.1 and s.mh_odds_ratio > 1.5


def test_report_renders_every_format():
    r = fh.reduction_in_force(DATA, group="sex", selected="laid_off", unit="unit", age="age",
                              job_title="title")
    hostile = fh.reduction_in_force(DATA.replace({"Ops": HOSTILE_LABEL, "Male": HOSTILE_LABEL}),
                                    group="sex", selected="laid_off", unit="unit")
    out = check_renders(r, hostile=hostile)
    assert "Within decisional units" in out["html"]
    out5 = check_renders(r, min_cell=5)
    assert "&lt; 5" in out5["html"]


# -- ages from dates of birth ---------------------------------------------------------------


def test_birth_dates_give_whole_years_on_the_decision_date():
    # HR systems export a date of birth: an age is the birthdays had by as_of, so a birthday
    # the day after the decision is a year younger (days / 365.25 would round it up)
    from fairhire.exits._ages import completed_years

    on = pd.Timestamp("2026-06-30")
    born = pd.to_datetime(pd.Series(["1986-06-30", "1986-07-01", "1966-02-28", "1984-02-29"]))
    assert completed_years(born, on).tolist() == [40.0, 39.0, 60.0, 42.0]
    staff = fh.datasets.make_workforce(2_000, random_state=3, exits=True)
    pool = staff[staff.laid_off.notna()].reset_index(drop=True)
    rng = np.random.default_rng(0)
    # a date of birth that gives each employee's age on the decision date
    birth = on - pd.to_timedelta(pool.age * 365.25 + rng.integers(1, 300, len(pool)), unit="D")
    text = birth.dt.strftime("%d/%m/%Y")  # day first: read by the shared date rule
    args = dict(group="sex", selected="laid_off", unit="job_family", job_title="job_title")
    ages = completed_years(birth, on)
    by_age = fh.reduction_in_force(pool.assign(age=ages), age="age", **args)
    by_birth = fh.reduction_in_force(pool.drop(columns="age").assign(born=text),
                                     birth_date="born", as_of="2026-06-30", **args)
    pd.testing.assert_frame_equal(by_birth.table, by_age.table)
    pd.testing.assert_frame_equal(by_birth.owbpa, by_age.owbpa)
    assert by_birth.params["birth_date"] == "born" and by_birth.params["age"] is None
    assert "column 'born' (birth_date) read as day/month/year dates." in by_birth.warnings
    assert "ages are whole years on 2026-06-30 (as_of), from 'born'." in by_birth.warnings


def test_birth_date_errors_say_what_to_give():
    data = DATA.assign(born="1980-01-01")
    with pytest.raises(InvalidParameterError, match="birth_date= needs as_of="):
        fh.reduction_in_force(data, selected="laid_off", birth_date="born")
    with pytest.raises(InvalidParameterError, match="age= or birth_date="):
        fh.reduction_in_force(data, selected="laid_off", age="age", birth_date="born",
                              as_of="2026-01-01")
    with pytest.raises(InvalidValueError, match=r"after as_of=1979-12-31 in 130 rows"):
        fh.reduction_in_force(data, selected="laid_off", birth_date="born",
                              as_of="1979-12-31")
    with pytest.raises(InvalidValueError, match="pass it as birth_date= with as_of="):
        fh.reduction_in_force(data, selected="laid_off", age="born")
    with pytest.raises(ColumnError, match=r"column \['dob'\] \(passed as birth_date=\)"):
        fh.reduction_in_force(data, selected="laid_off", birth_date="dob", as_of="2026-01-01")
    with pytest.raises(ColumnError, match=r"column \['dept'\] \(passed as unit=\)"):
        fh.reduction_in_force(data, selected="laid_off", unit="dept", birth_date="born",
                              as_of="2026-01-01")
    with pytest.raises(InvalidValueError, match=r"'born' \(birth_date\) holds values that are "
                       r"not dates: \['soon'\] in 130 rows"):
        fh.reduction_in_force(data.assign(born="soon"), selected="laid_off", birth_date="born",
                              as_of="2026-01-01")


def test_the_command_line_takes_birth_dates(tmp_path, capsys):
    from fairhire.cli import main

    born = pd.Series(pd.to_datetime("2026-03-31") - pd.to_timedelta(
        DATA.age * 365.25 + 30, unit="D")).dt.strftime("%m/%d/%Y")
    DATA.drop(columns="age").assign(born=born).to_csv(tmp_path / "rif.csv", index=False)
    args = ["layoff", str(tmp_path / "rif.csv"), "--selected", "laid_off", "--unit", "unit",
            "--birth-date", "born"]
    assert main(args) == 2
    assert "--birth-date needs --as-of" in capsys.readouterr().err
    assert main([*args, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    expected = fh.reduction_in_force(DATA, selected="laid_off", unit="unit", age="age")
    for _, row in expected.table.query("unit == 'All units'").iterrows():
        assert re.search(rf"{row.comparison} +{row.group} +{row.headcount} +{row.selected} ",
                         out), row.comparison


def test_a_unit_named_like_the_overall_rows_is_refused():
    # A department called "All units" (or "all units ") shared the overall rows' label on
    # b96c263: two "All units" rows per group, the report's overall table showing the
    # department, and "In All units, ..." findings that read as the whole layoff.
    data = DATA.assign(unit=DATA["unit"].replace({"Ops": "all units "}))
    with pytest.raises(InvalidValueError, match=r"'unit'.*'all units'.*rename"):
        fh.reduction_in_force(data, selected="laid_off", unit="unit", age="age")
