"""fh.time_to_exit: Kaplan–Meier, log-rank and Cox against the references time_to_promotion
uses (the leukaemia remission trial, R survdiff/coxph), cumulative incidence against the
Aalen–Johansen function, dates, bad input and reports; and make_workforce(exits=True)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.datasets.workforce import EXIT_COLUMNS, WORKFORCE_TRUTH
from fairhire.errors import InsufficientDataError, InvalidParameterError, InvalidValueError
from fairhire.report.testing import HOSTILE_LABEL, check_renders
from fairhire.stats.competing import aalen_johansen

# Freireich et al. (1963) leukaemia remission: R survdiff chi-square 16.8 (statsmodels
# 16.792941); coxph (Efron) placebo vs 6-MP HR 4.817, 95% CI 2.147-10.81.
MP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
MP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PL_T = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
GEHAN = pd.DataFrame({"arm": ["6-MP"] * 21 + ["placebo"] * 21, "weeks": MP_T + PL_T,
                      "left": [bool(e) for e in MP_E] + [True] * 21})


def test_logrank_and_cox_against_r():
    r = fh.time_to_exit(GEHAN, group="arm", duration="weeks", event="left", min_n=10)
    assert r.logrank["statistic"] == pytest.approx(16.792941, rel=1e-6)
    t = r.table.set_index("group")
    assert r.reference_group == "6-MP"  # the lower exit rate
    assert t.loc["placebo", "hazard_ratio"] == pytest.approx(4.817, abs=1e-3)
    assert t.loc["placebo", "hr_ci_low"] == pytest.approx(2.147, abs=1e-3)
    assert t.loc["placebo", "hr_ci_high"] == pytest.approx(10.81, abs=1e-2)
    assert t.loc["6-MP", "median"] == 23 and t.loc["placebo", "median"] == 8
    assert bool(t.loc["placebo", "flagged"])
    assert r.headlines()[0].text.startswith("placebo employees left sooner than 6-MP")


def test_cumulative_incidence_matches_the_estimator():
    staff = fh.datasets.make_workforce(1500, random_state=2, exits=True)
    r = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
                        cause="exit_type", horizon=48)
    women = staff.loc[staff["sex"] == "Female"]
    kind = women["exit_type"].map({"voluntary": "voluntary", "retirement": "other",
                                   "involuntary": "involuntary", "layoff": "involuntary"})
    aj = aalen_johansen(women["tenure_months"], women["exited"], kind, of="voluntary")
    c = r.causes.set_index(["cause", "group"]).loc[("voluntary", "Female")]
    assert c.incidence == pytest.approx(float(aj.at(48)[0]))
    assert c.exits == int((kind == "voluntary").sum())
    total = r.causes.loc[r.causes["group"] == "Female", "incidence"].sum()
    km = r.table.set_index("group").loc["Female", "retention_at"]
    assert total == pytest.approx(1 - km)  # causes add up to everyone who left
    inj = WORKFORCE_TRUTH["voluntary_exit_hazard_ratio_women"]
    assert c.hr_ci_low < inj < c.hr_ci_high


def test_dates_and_exit_before_hire():
    df = pd.DataFrame({"sex": ["F", "F", "M", "M", "F", "M"],
                       "hired": ["2020-01-01", "2021-06-01", "2019-03-01", "2022-01-01",
                                 "2023-01-01", "2026-02-01"],
                       "left": ["2022-01-01", None, "2020-03-01", None, "2025-06-30", None]})
    r = fh.time_to_exit(df, group="sex", hire_date="hired", exit_date="left",
                        as_of="2025-01-01", time_unit="years", min_n=1)
    assert r.rows.excluded == {"hired after 2025-01-01": 1}
    assert any("after as_of" in w for w in r.warnings)  # the 2025-06-30 exit is censored
    curve = r.curves.set_index(["group", "time"])
    assert curve.index.get_level_values("time").max() == pytest.approx(
        (pd.Timestamp("2025-01-01") - pd.Timestamp("2021-06-01")).days / 365.25)
    bad = df.assign(left=["2019-01-01", None, None, None, None, None])
    with pytest.raises(InvalidValueError, match=r"'left' \(exit_date\) is before 'hired'.*1 rows"):
        fh.time_to_exit(bad, group="sex", hire_date="hired", exit_date="left",
                        as_of="2025-01-01")
    with pytest.raises(InvalidParameterError, match="as_of"):
        fh.time_to_exit(df, group="sex", hire_date="hired", exit_date="left")
    with pytest.raises(InvalidParameterError, match="either"):
        fh.time_to_exit(df, group="sex", duration="x", hire_date="hired", exit_date="left")


def _day_first(value):
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y")


def test_dates_in_one_day_and_month_order_are_read_as_iso_dates_are():
    # the one date rule (_core.dates): text dates in ISO 8601, or in the single day-and-month
    # order that reads every value (a UK export), never guessed from the first value
    df = pd.DataFrame({"sex": ["F", "M"] * 30,
                       "hired": [f"2020-{m:02d}-{d:02d}" for m in range(1, 7) for d in
                                 (3, 9, 14, 18, 22, 25, 27, 28, 11, 13)],
                       "left": [None, "2023-05-17", "2024-02-29", None, None, "2022-12-30"] * 10})
    kw = dict(group="sex", hire_date="hired", exit_date="left", as_of="2025-01-01", min_n=1)
    iso = fh.time_to_exit(df, **kw)
    uk = fh.time_to_exit(df.assign(hired=df.hired.map(_day_first), left=df.left.map(_day_first)),
                         **kw)
    pd.testing.assert_frame_equal(uk.table, iso.table)
    assert "column 'hired' (hire_date) read as day/month/year dates." in uk.warnings
    assert not any("read as" in w for w in iso.warnings)
    # no day above 12: day/month and month/day both fit, so the order is not guessed
    small = df.assign(hired=["01/02/2020", "03/04/2020", "05/06/2020"] * 20)
    with pytest.raises(InvalidValueError, match=r"'hired' \(hire_date\).*no day is above 12"):
        fh.time_to_exit(small, **kw)
    mixed = df.assign(hired=["2020-01-03", "31/03/2020"] * 30)
    with pytest.raises(InvalidValueError, match="mixes ways of writing dates"):
        fh.time_to_exit(mixed, **kw)
    with pytest.raises(InvalidValueError, match=r"not dates: \['soon'\] in 30 rows"):
        fh.time_to_exit(df.assign(left=["soon", None] * 30), **kw)
    with pytest.raises(InvalidParameterError, match="as_of='01/02/2025' must be a date"):
        fh.time_to_exit(df, **{**kw, "as_of": "01/02/2025"})
    # years (or spreadsheet day numbers) are not dates: pandas read 2020 as 2020 ns after 1970
    with pytest.raises(InvalidValueError, match=r"'hired' \(hire_date\) must hold dates, but 60 "
                                                r"rows hold \[2020\]"):
        fh.time_to_exit(df.assign(hired=2020), **kw)
    # a spreadsheet's serial days say how to read them (aeccaad: only "store them as dates")
    with pytest.raises(InvalidValueError, match=r"\[43831\].*43831 is 2020-01-01\): format"):
        fh.time_to_exit(df.assign(hired=43831), **kw)
    as_dates = df.assign(hired=pd.to_datetime(df.hired).dt.date)  # date objects, as Parquet gives
    pd.testing.assert_frame_equal(fh.time_to_exit(as_dates, **kw).table, iso.table)



def test_date_objects_with_blank_cells_read_as_missing():
    # a spreadsheet's date column read by pandas.read_excel: datetime objects, and a text cell
    # holding a space where the date was left out. It ended in a raw pandas DateParseError.
    df = pd.DataFrame({"sex": ["F", "M"] * 30,
                       "hired": pd.date_range("2015-01-01", periods=60, freq="17D"),
                       "left": [None, "2023-05-17", "2024-02-29", None, None, "2022-12-30"] * 10})
    kw = dict(group="sex", hire_date="hired", exit_date="left", as_of="2025-01-01", min_n=1)
    gaps = df.astype({"hired": object})
    gaps.loc[[0, 7], "hired"] = " "
    r = fh.time_to_exit(gaps, **kw)
    assert r.rows.excluded == {"missing hired": 2}
    as_objects = df.assign(left=pd.to_datetime(df.left).astype(object))
    as_objects.loc[[0, 3], "left"] = "  "
    pd.testing.assert_frame_equal(fh.time_to_exit(as_objects, **kw).table,
                                  fh.time_to_exit(df, **kw).table)

def test_bad_durations_and_no_exits():
    with pytest.raises(InvalidValueError, match="negative"):
        fh.time_to_exit(GEHAN.assign(weeks=-GEHAN["weeks"]), group="arm", duration="weeks",
                        event="left")
    with pytest.raises(InsufficientDataError):
        fh.time_to_exit(GEHAN.assign(left=False), group="arm", duration="weeks", event="left")
    gaps = GEHAN.astype({"left": object})
    gaps.loc[[0, 1], "left"] = " "
    r = fh.time_to_exit(gaps, group="arm", duration="weeks", event="left", min_n=10)
    assert r.rows.excluded == {"missing left": 2}


def test_workforce_exits_keep_other_columns_and_document_effects():
    base = fh.datasets.make_workforce(700, random_state=9)
    ex = fh.datasets.make_workforce(700, random_state=9, exits=True)
    pd.testing.assert_frame_equal(ex.drop(columns=list(EXIT_COLUMNS)), base)
    assert set(ex["exit_type"].dropna()) <= {"voluntary", "involuntary", "retirement", "layoff"}
    assert (ex["exit_type"].notna() == ex["exited"]).all()
    assert ex.loc[ex["laid_off"].isna(), "exited"].all()
    assert (ex["tenure_months"] >= 1).all()
    with pytest.raises(InvalidParameterError, match="exits"):
        fh.datasets.make_workforce(10, exits="yes")


def test_report_renders_every_format():
    staff = fh.datasets.make_workforce(1000, random_state=4, exits=True)
    r = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
                        cause="exit_type")
    hostile = fh.time_to_exit(GEHAN.replace({"placebo": HOSTILE_LABEL}), group="arm",
                              duration="weeks", event="left", min_n=10)
    out = check_renders(r, hostile=hostile)
    assert "Aalen–Johansen" in out["html"] and "Exits by cause" in out["markdown"]
    out5 = check_renders(r, min_cell=5)
    assert "&lt; 5" in out5["html"]
    assert np.isfinite(r.table["hazard_ratio"]).any()


def test_min_cell_withholds_curves_with_a_sentence_not_empty_axes():
    # at min_cell=5 nearly every step of these curves counts fewer than 5 exits: the report
    # used to draw empty axes (and matplotlib warned that they collapsed); now it says why
    import warnings

    from fairhire.report.testing import _fixed_report

    staff = fh.datasets.make_workforce(1000, random_state=4, exits=True)
    r = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
                        cause="exit_type")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = _fixed_report(min_cell=5).add(r).render_html()
        md = _fixed_report(min_cell=5).add(r).render_markdown()
    for out in (html, md):
        assert "The retention curves are not drawn" in out
        assert "The curves of exits by cause are not drawn" in out
        # no sentence points at a chart that is not there
        assert "the chart’s curve" not in out and "where the chart stops" not in out
    assert "<svg" not in html
    drawn = _fixed_report().add(r).render_html()
    assert drawn.count("<svg") == 2 and "are not drawn" not in drawn
    assert "where the chart stops drawing the curve" in drawn


def test_same_people_in_any_row_order_give_the_same_result():
    # the Cox fit's sums and person-time followed the row order in their last digits, so the
    # table and the fingerprint of the same employees changed when the rows were shuffled
    staff = fh.datasets.make_workforce(600, random_state=3, exits=True)
    kw = dict(group="sex", duration="tenure_months", event="exited", cause="exit_type")
    first = fh.time_to_exit(staff, **kw)
    for seed in range(6):
        again = fh.time_to_exit(staff.sample(frac=1.0, random_state=seed), **kw)
        pd.testing.assert_frame_equal(again.table, first.table, check_exact=True)
        pd.testing.assert_frame_equal(again.causes, first.causes, check_exact=True)
        assert again.fingerprint == first.fingerprint


def test_a_reference_group_with_no_exits_is_said_not_left_silent():
    # B (40 people) had no exits, so it is the reference (the lowest exit rate) and no hazard
    # ratio against it exists. b96c263 gave no finding at all, only "no Cox model (no exits
    # in the reference group or others)", though A's 20 exits of 50 differ (log-rank p < 0.001)
    # and fh.retention flags the same people.
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"group": ["A"] * 50 + ["B"] * 40,
                         "months": rng.integers(1, 60, 90).astype(float),
                         "left": [i < 20 for i in range(50)] + [False] * 40})
    r = fh.time_to_exit(data, group="group", duration="months", event="left")
    assert r.reference_group == "B" and r.logrank["p_value"] < 0.001
    found = [h for h in r.headlines() if h.severity == 3]
    assert len(found) == 1
    text = found[0].text
    assert "none of the 40 B employees left" in text and "p < 0.001" in text, text
    assert "reference=" in text
    assert any("none of its 40 employees left" in w and "reference=" in w for w in r.warnings)
    ret = fh.retention(data, group="group", exited="left")
    assert ret.table.set_index("group").loc["A", "flagged"]


def test_a_reason_without_an_exit_is_named_not_dropped_silently():
    # A Workday termination report: a termination future-dated after the snapshot keeps its
    # reason; b96c263 counted the person as employed and said nothing of the reason.
    data = pd.DataFrame({
        "group": ["A", "B"] * 20,
        "hired": ["2020-01-15"] * 40,
        "left": ["2023-06-30", ""] * 19 + ["2026-03-31", ""],
        "reason": ["Voluntary - Resignation", ""] * 19 + ["Involuntary - Layoff", ""],
    })
    r = fh.time_to_exit(data, group="group", hire_date="hired", exit_date="left",
                        as_of="2025-12-31", cause="reason", min_n=5)
    assert r.table.set_index("group").loc["A", "exits"] == 19
    assert any("1 rows have a 'reason' but no exit" in w for w in r.warnings), r.warnings
