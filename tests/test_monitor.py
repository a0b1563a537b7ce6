"""fh.monitor: each period's audit, the trends, the alerts, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest_spark import local_frames
from scipy import stats

import fairhire as fh
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)

STAGES = ["screened", "interviewed", "offered", "hired"]
DRIFT = {"stage": "screened", "column": "sex", "group": "Female", "multiplier": 0.6,
         "from_period": 5}


def _quarter(dates: pd.Series) -> pd.Series:
    q = dates.dt.to_period("Q")
    return q.dt.year.astype(str) + "-Q" + q.dt.quarter.astype(str)


@pytest.fixture(scope="module")
def drifted() -> pd.DataFrame:
    return fh.datasets.make_hiring_funnel(20_000, periods=8, random_state=3, drift=DRIFT)


@pytest.fixture(scope="module")
def mon(drifted) -> fh.MonitorResult:
    return fh.monitor(drifted, period="applied_on", freq="Q", group="sex", stages=STAGES,
                      min_share=0.03)


def _period_rows(table: pd.DataFrame, period) -> pd.DataFrame:
    return table.loc[table["period"] == period].drop(columns="period").reset_index(drop=True)


# -- each period is audited exactly as adverse_impact audits it --------------------------------


def test_each_period_equals_adverse_impact_on_that_period_alone(mon, drifted):
    quarters = _quarter(drifted["applied_on"])
    assert mon.periods == tuple(f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4))
    for period in mon.periods:
        alone = fh.adverse_impact(drifted[quarters == period], group="sex", stages=STAGES,
                                  min_share=0.03)
        pd.testing.assert_frame_equal(_period_rows(mon.table, period), alone.table)
        pd.testing.assert_frame_equal(_period_rows(mon.unknown, period), alone.unknown)
    assert list(mon.table.columns) == ["period", *alone.table.columns]


def test_intersections_strata_and_a_named_reference_match_per_period():
    df = fh.datasets.make_hiring_funnel(6_000, periods=3, freq="Y", random_state=5)
    args = dict(group=["sex", "age_band"], stages=["screened", "hired"], strata="requisition",
                reference="Male × Under 40")
    mon = fh.monitor(df, period="applied_on", freq="Y", **args)
    assert mon.periods == ("2024", "2025", "2026")
    for period in mon.periods:
        alone = fh.adverse_impact(df[df["applied_on"].dt.year == int(period)], **args)
        pd.testing.assert_frame_equal(_period_rows(mon.table, period), alone.table)
        pd.testing.assert_frame_equal(_period_rows(mon.strata, period), alone.strata)
    assert set(mon.trends["reference_group"]) == {"Male × Under 40"}


def test_stage_column_and_period_labels_match_per_period():
    df = fh.datasets.make_hiring_funnel(4_000, random_state=2)
    df["cycle"] = np.where(df.applicant_id % 3 == 0, "FY9", np.where(df.applicant_id % 3 == 1,
                                                                      "FY10", "FY11"))
    order = ["applied", *STAGES]
    mon = fh.monitor(df, period="cycle", group="race", stage_column="stage_reached",
                     stage_order=order)
    assert mon.periods == ("FY9", "FY10", "FY11")  # natural order, not text order
    assert mon.period_numbers == {"FY9": 0, "FY10": 1, "FY11": 2}
    for period in mon.periods:
        alone = fh.adverse_impact(df[df.cycle == period], group="race",
                                  stage_column="stage_reached", stage_order=order)
        pd.testing.assert_frame_equal(_period_rows(mon.table, period), alone.table)


def test_promotion_matches_promotion_disparity_per_period():
    staff = fh.datasets.make_workforce(3_000, random_state=4)
    staff["year"] = np.array([2023, 2024, 2025])[np.arange(len(staff)) % 3]
    mon = fh.monitor(staff, period="year", group="sex", promoted="promoted")
    assert mon.periods == (2023, 2024, 2025) and mon.stages == ("promoted",)
    for year in mon.periods:
        alone = fh.promotion_disparity(staff[staff.year == year], group="sex",
                                       promoted="promoted", regression=False)
        pd.testing.assert_frame_equal(_period_rows(mon.table, year), alone.table)
    assert "employees'" in " ".join(mon.trend_sentences() + list(mon.alerts["message"])) or (
        mon.alerts.empty and not mon.trend_sentences()
    )


def test_promotion_over_dates_with_levels_in_a_lazy_engine():
    pl = pytest.importorskip("polars")
    staff = fh.datasets.make_workforce(3_000, random_state=4)
    staff["reviewed_on"] = pd.Timestamp("2023-03-01") + pd.to_timedelta(
        (np.arange(len(staff)) % 3) * 365, unit="D")
    args = dict(period="reviewed_on", freq="Y", group="sex", promoted="promoted", strata="level")
    eager = fh.monitor(staff, **args)
    lazy = fh.monitor(pl.from_pandas(staff).lazy(), **args)
    pd.testing.assert_frame_equal(eager.table, lazy.table)
    pd.testing.assert_frame_equal(eager.strata, lazy.strata)
    for year in eager.periods:
        alone = fh.promotion_disparity(staff[staff.reviewed_on.dt.year == int(year)],
                                       group="sex", promoted="promoted", level="level",
                                       regression=False)
        pd.testing.assert_frame_equal(_period_rows(eager.table, year), alone.table)
    assert eager.summary().startswith("Monitoring promotion rates by sex over 3 periods")
    with pytest.raises(InvalidParameterError, match="at most one strata"):
        fh.monitor(staff, **{**args, "strata": ["level", "job_family"]})


@pytest.mark.parametrize("backend", ["polars", "polars lazy", "pyarrow", "duckdb"])
def test_every_engine_gives_the_same_result(backend):
    df = fh.datasets.make_hiring_funnel(3_000, periods=4, random_state=6)
    frames = local_frames(df)
    expected = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)
    got = fh.monitor(frames[backend], period="applied_on", freq="Q", group="sex", stages=STAGES)
    for name in ("table", "trends", "alerts", "unknown"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))
    assert got.rows == expected.rows or got.rows.to_dict() == expected.rows.to_dict()


# -- alerts and trends -------------------------------------------------------------------------


def test_the_injected_drift_is_alerted_in_the_right_period(mon):
    screened = mon.alerts.loc[(mon.alerts.stage == "screened") & (mon.alerts.group == "Female")]
    assert screened["period"].iloc[0] == "2025-Q1"  # the fifth quarter: from_period=5
    assert set(screened.loc[screened.period == "2025-Q1", "alert"]) == {"fell below", "changed"}
    assert (screened["period"] >= "2025-Q1").all()
    fell = screened.loc[screened.alert == "fell below"].iloc[0]
    assert fell.message.startswith(
        "At the screened stage, Female applicants' selection rate fell below four-fifths of "
        "Male's in 2025-Q1 (impact ratio 0.56, adjusted p < 0.001); relative to Male, their odds "
        "of selection have declined by"
    )
    changed = screened.loc[screened.alert == "changed"].iloc[0]
    assert changed.previous_period == "2024-Q4" and changed.impact_ratio < 0.6
    trend = mon.trends.set_index(["stage", "group"]).loc[("screened", "Female")]
    assert trend.direction == "worsening" and trend.change_per_period < 0
    assert trend.first_period == "2024-Q1" and trend.last_period == "2025-Q4"
    # the flag is still raised at the end of the run: it leads the executive summary
    top = mon.headlines()[0]
    assert top.severity == 3 and "2025-Q1" in top.text


def test_a_stage_without_drift_stays_within_the_nominal_false_alarm_rate():
    """Over many seeded runs, a stage with no difference between the sexes (screening) gets an
    alert in at most the nominal share of runs, while the drifting stage is caught."""
    drift = {**DRIFT, "stage": "interviewed", "from_period": 4}
    runs, alpha, false_alarms, caught = 40, 0.05, 0, 0
    for seed in range(runs):
        df = fh.datasets.make_hiring_funnel(3_000, periods=6, random_state=100 + seed,
                                            drift=drift)
        m = fh.monitor(df, period="applied_on", freq="Q", group="sex",
                       stages=["screened", "interviewed"], min_share=0.03)
        false_alarms += bool((m.alerts["stage"] == "screened").any())
        caught += bool((m.alerts["stage"] == "interviewed").any())
    # at most the nominal rate, up to sampling error (99.9% binomial bound: 6 of 40)
    assert false_alarms <= stats.binom.ppf(0.999, runs, alpha), false_alarms
    assert caught >= 0.8 * runs, caught


def test_trend_rows_match_the_stats_function_on_the_periods_counts(mon):
    from fairhire.stats.change import logit_trend

    row = mon.trends.iloc[0]
    ratios = mon.ratios_over_time()
    part = ratios[(ratios.stage == row.stage) & (ratios.group == row.group)]
    fit = logit_trend(part.selected, part.applicants, part.reference_selected,
                      part.reference_applicants, [mon.period_numbers[p] for p in part.period])
    assert row.log_odds_trend == pytest.approx(fit.estimate)
    assert row.p_value == pytest.approx(fit.p_value)


def test_a_flag_that_clears_is_alerted():
    quarters = [f"2024-Q{q}" for q in (1, 2, 3)]
    rows = []
    for period, women in zip(quarters, (60, 60, 190), strict=True):
        rows += [{"q": period, "sex": "Male", "hired": i < 200} for i in range(400)]
        rows += [{"q": period, "sex": "Female", "hired": i < women} for i in range(400)]
    m = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    kinds = list(zip(m.alerts["period"], m.alerts["alert"], strict=True))
    assert ("2024-Q1", "fell below") in kinds and ("2024-Q3", "cleared") in kinds
    assert ("2024-Q2", "fell below") not in kinds  # still flagged: no second alert
    cleared = m.alerts.loc[m.alerts.alert == "cleared"].iloc[0]
    assert "back at or above four-fifths" in cleared.message and "2024-Q1" in cleared.message


def test_a_flag_says_when_the_ratio_crossed_the_line_not_only_when_it_became_significant():
    # 0.90 -> 0.78 (not significant) -> 0.60 (significant): the alert said "fell below
    # four-fifths of Male's in 2024-Q3" of a ratio below it since 2024-Q2
    rows = []
    for period, women in (("2024-Q1", 45), ("2024-Q2", 39), ("2024-Q3", 30)):
        rows += [{"q": period, "sex": "Male", "hired": i < 50} for i in range(100)]
        rows += [{"q": period, "sex": "Female", "hired": i < women} for i in range(100)]
    m = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    t = m.table.loc[m.table.group == "Female"].set_index("period")
    assert list(t.adverse_impact) == [False, True, True]
    alert = m.alerts.loc[m.alerts.alert == "fell below"].iloc[0]
    assert alert.period == "2024-Q3"
    assert alert.message.startswith(
        "At the hired stage, Female applicants' selection rate fell below four-fifths of Male's "
        "in 2024-Q2 and significantly so in 2024-Q3 (impact ratio 0.60, adjusted p")
    assert alert.brief.endswith("in 2024-Q2 and significantly so in 2024-Q3.")


def test_no_direction_is_claimed_when_the_odds_and_impact_ratios_disagree():
    # the impact ratio rose 0.83 -> 0.91 (the gap closing) while the odds ratio fell: the trend
    # was "worsening" (-31% a period, adjusted p < 0.001) and a severity-2 headline
    rows = []
    for q, women, men in (("2024-Q1", 200, 240), ("2024-Q2", 240, 300), ("2024-Q3", 280, 352),
                          ("2024-Q4", 320, 380), ("2025-Q1", 360, 396)):
        rows += [{"q": q, "sex": "Male", "hired": i < men} for i in range(400)]
        rows += [{"q": q, "sex": "Female", "hired": i < women} for i in range(400)]
    m = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    trend = m.trends.iloc[0]
    assert trend.p_value_adjusted < 0.001 and trend.change_per_period < 0
    assert trend.direction == "no clear trend"
    assert "opposite directions" in trend.note
    assert not [h for h in m.headlines() if "declined" in h.text]
    ratios = m.ratios_over_time().impact_ratio
    assert ratios.iloc[-1] > ratios.iloc[0]


def test_two_people_neither_clear_a_flag_nor_make_a_significant_change():
    # a quarter with 2 women, both hired, "cleared" the flag and was "a significant change
    # (adjusted p < 0.001)" both ways: the delta method gives a rate of 2/2 no variance
    rows = []
    for period, n, k in (("2024-Q1", 200, 95), ("2024-Q2", 200, 50), ("2024-Q3", 2, 2),
                         ("2024-Q4", 200, 52)):
        rows += [{"q": period, "sex": "Male", "hired": i < 100} for i in range(200)]
        rows += [{"q": period, "sex": "Female", "hired": i < k} for i in range(n)]
    m = fh.monitor(pd.DataFrame(rows), period="q", group="sex", stages="hired")
    kinds = list(zip(m.alerts["period"], m.alerts["alert"], strict=True))
    assert kinds == [("2024-Q2", "fell below"), ("2024-Q2", "changed")]
    assert m.table.set_index(["period", "group"]).at[("2024-Q3", "Female"), "small_sample"]
    # the flag is still raised at the end of the run, so the headline says so
    assert m.headlines()[0].text.startswith("At the hired stage, Female applicants' selection "
                                            "rate fell below four-fifths of Male's in 2024-Q2")


# -- periods -----------------------------------------------------------------------------------


def test_months_with_a_gap_keep_calendar_numbers():
    df = fh.datasets.make_hiring_funnel(3_000, periods=4, freq="M", random_state=1)
    df = df[df.applied_on.dt.month != 2]
    m = fh.monitor(df, period="applied_on", freq="M", group="sex", stages=STAGES)
    assert m.periods == ("2024-01", "2024-03", "2024-04")
    assert m.period_numbers == {"2024-01": 0, "2024-03": 2, "2024-04": 3}


def test_iso_dates_in_text_and_ordered_categories_and_period_order():
    df = fh.datasets.make_hiring_funnel(3_000, periods=3, random_state=1)
    text = df.assign(applied_on=df.applied_on.dt.strftime("%Y-%m-%d"))
    as_text = fh.monitor(text, period="applied_on", freq="Q", group="sex", stages=STAGES)
    as_dates = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(as_text.table, as_dates.table)
    # a UK export (31/03/2024): the one date rule reads the single order that fits every value
    uk = df.assign(applied_on=df.applied_on.dt.strftime("%d/%m/%Y"))
    as_uk = fh.monitor(uk, period="applied_on", freq="Q", group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(as_uk.table, as_dates.table)
    assert "column 'applied_on' (passed as period=) read as day/month/year dates." in \
        as_uk.warnings
    # spreadsheets add the time of day ("31/03/2024 14:05"): read, not "not dates"
    timed = df.assign(applied_on=df.applied_on.dt.strftime("%d/%m/%Y 14:%M"))
    as_timed = fh.monitor(timed, period="applied_on", freq="Q", group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(as_timed.table, as_dates.table)
    assert "column 'applied_on' (passed as period=) read as day/month/year (with times) " \
        "dates." in as_timed.warnings
    # dates that read both ways are refused with the core's reason, not called "not dates"
    early = df.assign(applied_on=df.applied_on.map(lambda d: f"{min(d.day, 12):02d}/"
                                                              f"{d.month:02d}/{d.year}"))
    with pytest.raises(InvalidValueError, match="no day is above 12"):
        fh.monitor(early, period="applied_on", freq="Q", group="sex", stages=STAGES)
    labels = df.assign(term=pd.Categorical(_quarter(df.applied_on).map(
        {"2024-Q1": "winter", "2024-Q2": "spring", "2024-Q3": "summer"}),
        categories=["winter", "spring", "summer"], ordered=True))
    m = fh.monitor(labels, period="term", group="sex", stages=STAGES)
    assert m.periods == ("winter", "spring", "summer")
    m = fh.monitor(labels.assign(term=labels.term.astype(str)), period="term", group="sex",
                   stages=STAGES, period_order=["winter", "spring", "summer"])
    assert m.periods == ("winter", "spring", "summer")


@pytest.mark.parametrize("spell", ["Q{q} {y}", "Q{q}-{y}", "{y}Q{q}", "{y} q{q}", "period"])
def test_quarter_labels_in_any_spelling_are_in_calendar_order_with_gaps(spell):
    # "Q1 2025" sorted as text came before "Q2 2024", and labels were numbered 0, 1, 2, ...
    # so a missing quarter closed up: the same data gave another trend than its dates
    df = fh.datasets.make_hiring_funnel(6_000, periods=6, random_state=4)
    df = df[_quarter(df.applied_on) != "2024-Q3"]
    dates = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)
    q = df.applied_on.dt.to_period("Q")
    labels = q if spell == "period" else pd.Series(
        [spell.format(q=p.quarter, y=p.year) for p in q], index=df.index)
    m = fh.monitor(df.assign(term=labels), period="term", group="sex", stages=STAGES)
    assert [str(p) for p in m.periods] == [
        spell.format(q=p[-1], y=p[:4]) if spell != "period" else p.replace("-", "")
        for p in dates.periods]
    assert list(m.period_numbers.values()) == [0, 1, 3, 4, 5]
    assert list(m.period_numbers.values()) == list(dates.period_numbers.values())
    pd.testing.assert_frame_equal(m.trends.drop(columns=["first_period", "last_period"]),
                                  dates.trends.drop(columns=["first_period", "last_period"]))
    # and the sentences say "a quarter", as for the dates (they said "a period")
    assert m.wording.unit == "quarter" and m.params["freq"] is None


def test_month_and_year_labels_are_in_calendar_order():
    df = fh.datasets.make_hiring_funnel(3_000, periods=3, freq="M", random_state=2)
    months = df.applied_on.dt.strftime("%b %Y")  # Jan 2024 ... : alphabetical is Feb, Jan, Mar
    m = fh.monitor(df.assign(month=months), period="month", group="sex", stages=STAGES)
    assert m.periods == ("Jan 2024", "Feb 2024", "Mar 2024")
    years = df.applied_on.dt.year.map({2024: 2022}).where(df.applied_on.dt.month != 3, 2024)
    m = fh.monitor(df.assign(year=years), period="year", group="sex", stages=STAGES)
    assert m.period_numbers == {2022: 0, 2024: 2}
    # names no calendar period: natural order, numbered 0, 1, 2, ... as before
    fy = df.applied_on.dt.month.map({1: "FY9", 2: "FY10", 3: "FY11"})
    m = fh.monitor(df.assign(fy=fy), period="fy", group="sex", stages=STAGES)
    assert m.period_numbers == {"FY9": 0, "FY10": 1, "FY11": 2}
    # an ordered categorical made without categories= is in text order: kept, with a warning
    text_order = pd.Categorical(df.applied_on.dt.strftime("%b %Y"), ordered=True)
    m = fh.monitor(df.assign(month=text_order), period="month", group="sex", stages=STAGES)
    assert m.periods == ("Feb 2024", "Jan 2024", "Mar 2024")
    assert any("are not in calendar order" in w and "pass period_order=" in w
               for w in m.warnings)
    # one label that names no period puts the column back in text order: said, with the label
    typo = months.where(months != "Mar 2024", "Mar 2O24")
    m = fh.monitor(df.assign(month=typo), period="month", group="sex", stages=STAGES)
    assert m.periods == ("Feb 2024", "Jan 2024", "Mar 2O24")
    assert any("names calendar periods except ['Mar 2O24'], so its periods are in text order"
               in w for w in m.warnings)
    both = df.applied_on.dt.month.map({1: "2024-Q1", 2: "Q1 2024", 3: "2024-Q2"})
    with pytest.raises(InvalidValueError, match=r"names the same period in two ways.*Q1 2024"):
        fh.monitor(df.assign(q=both), period="q", group="sex", stages=STAGES)


def test_dates_without_freq_are_refused_not_ordered_as_text():
    # day-first text dates were period labels in text order: 15/01/2025 before 15/04/2024
    df = fh.datasets.make_hiring_funnel(1_000, periods=3, random_state=2)
    for dates in (df.applied_on.dt.strftime("%d/%m/%Y"), df.applied_on.dt.strftime("%Y-%m-%d"),
                  df.applied_on.dt.date):
        with pytest.raises(InvalidParameterError, match=r"holds dates \(e\.g\. .*not period "
                           r"labels; pass freq='M' \(months\), freq='Q'"):
            fh.monitor(df.assign(on=dates), period="on", group="sex", stages=STAGES)


def test_labels_are_cleaned_once_for_the_whole_run():
    df = fh.datasets.make_hiring_funnel(3_000, periods=2, random_state=1)
    sex = df.sex.astype(object)
    sex[(df.applicant_id % 7 == 0) & (sex == "Female")] = " female"
    m = fh.monitor(df.assign(sex=sex), period="applied_on", freq="Q", group="sex",
                   stages=STAGES)
    assert set(m.table["group"]) == {"Female", "Male", "Non-binary"}
    assert any("merged as 'Female'" in w for w in m.warnings)


def test_unknown_labels_are_counted_as_missing_groups():
    df = fh.datasets.make_hiring_funnel(3_000, periods=2, random_state=1)
    sex = df.sex.astype(object).where(df.applicant_id % 40 != 0, "Prefer not to say")
    m = fh.monitor(df.assign(sex=sex), period="applied_on", freq="Q", group="sex",
                   stages=STAGES, unknown_labels=["prefer not to say"])
    assert "Prefer not to say" not in set(m.table["group"])
    unknown = int((sex.isna() | (sex == "Prefer not to say")).sum())
    assert m.rows.excluded["missing group"] == unknown
    first = m.unknown.loc[m.unknown.stage == "screened", "applicants"].sum()
    assert first == unknown


def test_user_columns_named_like_internal_ones_are_fine():
    df = fh.datasets.make_hiring_funnel(2_000, periods=2, random_state=1)
    odd = df.rename(columns={"sex": "n", "screened": "selected", "applied_on": "__fh_year"})
    m = fh.monitor(odd, period="__fh_year", freq="Q", group="n", stages=["selected", "hired"])
    base = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=["screened", "hired"])
    pd.testing.assert_frame_equal(
        m.table.drop(columns="n").replace({"selected": "screened"}),
        base.table.drop(columns="sex"),
    )


# -- bad input ---------------------------------------------------------------------------------


def test_missing_periods_are_counted_and_excluded(drifted):
    df = drifted.copy()
    df.loc[df.applicant_id % 50 == 0, "applied_on"] = pd.NaT
    before = df.copy()
    m = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(df, before)  # never modified
    assert m.rows.excluded["missing period"] == 400
    assert m.rows.total == len(df) == m.rows.used + sum(m.rows.excluded.values())
    assert any("400 rows have a missing 'applied_on'" in w for w in m.warnings)


def test_missing_stage_values_are_counted_not_read_as_false():
    df = fh.datasets.make_hiring_funnel(2_000, periods=2, random_state=1)
    hired = df.hired.astype(object)
    reached = np.flatnonzero(df.offered.to_numpy())[:7]  # blank where the outcome matters
    hired[reached] = None
    m = fh.monitor(df.assign(hired=hired), period="applied_on", freq="Q", group="sex",
                   stages=STAGES)
    assert m.rows.excluded["missing outcome (hired)"] == 7
    # and said, as adverse_impact says it (it was only a number in the row account)
    assert any(w.startswith("7 rows excluded, missing outcome (hired)") for w in m.warnings)


def _exported_blanks(df: pd.DataFrame) -> pd.DataFrame:
    """An ATS export: "Yes"/"No" up to the stage where the applicant stopped, blank after it;
    and a few blanks at stages the applicant reached (unknown outcomes)."""
    out = df.copy()
    passed = np.ones(len(df), dtype=bool)
    for stage in STAGES:
        flag = df[stage].to_numpy()
        out[stage] = np.where(passed, np.where(flag, "Yes", "No"), None).astype(object)
        passed = flag
    out.loc[out.index[df.offered.to_numpy()][:5], "hired"] = None
    out.loc[out.index[~df.screened.to_numpy()][:3], "screened"] = ""
    return out


def test_blanks_after_a_no_are_where_the_funnel_ended_as_in_adverse_impact():
    df = _exported_blanks(fh.datasets.make_hiring_funnel(3_000, periods=2, random_state=3))
    quarters = _quarter(df["applied_on"])
    mon = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)
    excluded = {"missing outcome (screened)": 3, "missing outcome (hired)": 5}
    assert {k: mon.rows.excluded.get(k) for k in excluded} == excluded
    for period in mon.periods:
        alone = fh.adverse_impact(df[quarters == period], group="sex", stages=STAGES)
        pd.testing.assert_frame_equal(_period_rows(mon.table, period), alone.table)
    whole = fh.adverse_impact(df, group="sex", stages=STAGES)
    assert whole.rows == mon.rows  # the same rows used, and excluded for the same reasons


def test_a_blank_furthest_stage_is_excluded_under_the_same_reason_as_adverse_impact():
    df = fh.datasets.make_hiring_funnel(2_000, periods=2, random_state=2)
    df["stage_reached"] = df["stage_reached"].astype(object)
    df.loc[df.index[:4], "stage_reached"] = None
    order = ["applied", *STAGES]
    mon = fh.monitor(df, period="applied_on", freq="Q", group="sex",
                     stage_column="stage_reached", stage_order=order)
    alone = fh.adverse_impact(df, group="sex", stage_column="stage_reached", stage_order=order)
    assert mon.rows.excluded["missing outcome (stage_reached)"] == 4
    assert alone.rows.excluded["missing outcome (stage_reached)"] == 4


def test_unparseable_dates_name_the_rows():
    df = fh.datasets.make_hiring_funnel(500, periods=2, random_state=1)
    text = df.applied_on.dt.strftime("%Y-%m-%d").astype(object)
    text[[3, 17]] = ["31/02/2024", "soon"]
    with pytest.raises(InvalidValueError, match=r"not dates: \['31/02/2024', 'soon'\] in 2 rows "
                                                r"at rows 3, 17"):
        fh.monitor(df.assign(applied_on=text), period="applied_on", freq="Q", group="sex",
                   stages=STAGES)


def test_a_single_period_is_a_clear_error():
    df = fh.datasets.make_hiring_funnel(500, periods=1, random_state=1)
    with pytest.raises(InsufficientDataError, match=r"only 1 period \(2024-Q1\).*at least two"):
        fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=STAGES)


def test_periods_left_out_say_why_in_the_error():
    # one group in every period was "only 0 period ... Use a shorter freq= (e.g. 'M')"
    df = fh.datasets.make_hiring_funnel(1_000, periods=3, random_state=2)
    with pytest.raises(InsufficientDataError, match=r"no period in 'applied_on' has groups to "
                       r"compare.*In 2024-Q1, 2024-Q2, 2024-Q3: only one group \('Female'\)"
                       r"[^.]*\. Check the group column") as info:
        fh.monitor(df.assign(sex="Female"), period="applied_on", freq="Q", group="sex",
                   stages=STAGES)
    assert "shorter freq" not in str(info.value)


def test_a_named_reference_missing_from_one_period_leaves_that_period_out():
    # reference="A" with nobody of A in 2024-Q2 stopped the run: "The data has 200 rows of that
    # group, and every one was excluded before the comparison" (none was)
    rows = []
    for q, groups in (("2024-Q1", [("A", 50), ("B", 30), ("C", 40)]),
                      ("2024-Q2", [("B", 30), ("C", 45)]),
                      ("2024-Q3", [("A", 50), ("B", 25), ("C", 40)])):
        for g, k in groups:
            rows += [{"q": q, "g": g, "hired": i < k, "promoted": i < k} for i in range(100)]
    df = pd.DataFrame(rows)
    for outcome in ({"stages": "hired"}, {"promoted": "promoted"}):
        m = fh.monitor(df, period="q", group="g", reference="A", **outcome)
        assert m.periods == ("2024-Q1", "2024-Q3")
        assert m.rows.excluded == {"period without the reference group": 200}
        assert m.rows.used == 600
        assert "In 2024-Q2: reference='A' names a group with no one in this period" in \
            m.warnings[0]
    # a typo is still the plain error, and a group whose rows were all excluded says so
    with pytest.raises(InvalidParameterError, match=r"reference='Z' is not one of the groups"):
        fh.monitor(df, period="q", group="g", stages="hired", reference="Z")
    blank = df.assign(hired=df.hired.where(df.g != "A", None))
    with pytest.raises(InvalidParameterError, match="every one was excluded"):
        fh.monitor(blank, period="q", group="g", stages="hired", reference="A")


def test_freq_needs_dates_and_dates_need_freq():
    df = fh.datasets.make_hiring_funnel(500, periods=2, random_state=1)
    with pytest.raises(InvalidParameterError, match=r"not dates\. Leave out freq="):
        fh.monitor(df, period="applicant_id", freq="Q", group="sex", stages=STAGES)
    with pytest.raises(InvalidParameterError, match="holds text that is not dates"):
        fh.monitor(df, period="requisition", freq="Q", group="sex", stages=STAGES)
    with pytest.raises(InvalidParameterError, match="holds dates; pass freq="):
        fh.monitor(df, period="applied_on", group="sex", stages=STAGES)
    with pytest.raises(InvalidParameterError, match="freq='W' is not one of"):
        fh.monitor(df, period="applied_on", freq="W", group="sex", stages=STAGES)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"stages": STAGES, "promoted": "hired"}, InvalidParameterError, "one way"),
        ({}, InvalidParameterError, "none of them"),
        ({"stages": STAGES, "alpha": "0.05"}, InvalidParameterError, "alpha='0.05'"),
        ({"stages": STAGES, "threshold": 2}, InvalidParameterError, "threshold=2"),
        ({"stages": STAGES, "adjust": "sidak"}, InvalidParameterError, "adjust='sidak'"),
        ({"stages": ["screened", "nope"]}, ColumnError, "nope"),
        ({"stages": ["sex"]}, InvalidParameterError, "two roles"),
        ({"stage_column": "stage_reached"}, InvalidParameterError, "stage_order"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    df = fh.datasets.make_hiring_funnel(300, periods=2, random_state=1)
    with pytest.raises(error, match=message):
        fh.monitor(df, period="applied_on", freq="Q", group="sex", **kwargs)


def test_inconsistent_funnels_raise_or_are_counted():
    df = fh.datasets.make_hiring_funnel(2_000, periods=2, random_state=1)
    bad = df.copy()
    bad.loc[:4, "hired"] = True
    bad.loc[:4, "offered"] = False
    with pytest.raises(InvalidValueError, match="5 rows have 'hired' True but 'offered' False"):
        fh.monitor(bad, period="applied_on", freq="Q", group="sex", stages=STAGES)
    m = fh.monitor(bad, period="applied_on", freq="Q", group="sex", stages=STAGES,
                   on_inconsistent="exclude")
    assert m.rows.excluded["inconsistent funnel"] == 5
    assert any(w.startswith("5 rows with an inconsistent funnel") for w in m.warnings)


def test_generator_is_unchanged_without_periods_and_checks_drift():
    plain = fh.datasets.make_hiring_funnel(2_000, random_state=9)
    timed = fh.datasets.make_hiring_funnel(2_000, random_state=9, periods=5)
    pd.testing.assert_frame_equal(plain, timed.drop(columns="applied_on"))
    assert timed.columns[1] == "applied_on"
    with pytest.raises(InvalidParameterError, match="needs periods="):
        fh.datasets.make_hiring_funnel(100, drift=DRIFT)
    with pytest.raises(InvalidParameterError, match="from_period=9"):
        fh.datasets.make_hiring_funnel(100, periods=8, drift={**DRIFT, "from_period": 9})
    with pytest.raises(InvalidParameterError, match="keys"):
        fh.datasets.make_hiring_funnel(100, periods=8, drift={"stage": "screened"})


def test_spreadsheet_serial_dates_are_refused_with_how_to_read_them():
    # an ATS export whose application dates Excel wrote as serial day numbers (45594 is
    # 2024-10-29): aeccaad read them, without freq=, as 222 one-day periods and left most rows
    # out as "period with fewer than two groups" without a word; with freq= it said to use
    # them as labels
    applicants = fh.datasets.make_hiring_funnel(600, periods=4, random_state=1)
    serial = (applicants["applied_on"] - pd.Timestamp("1899-12-30")).dt.days
    data = applicants.assign(applied_on=serial)
    first = int(serial.iloc[0])
    day = applicants["applied_on"].iloc[0].date().isoformat()
    with pytest.raises(InvalidParameterError,
                       match=rf"'applied_on'.*holds numbers.*{first} is {day}.*origin="):
        fh.monitor(data, period="applied_on", group="sex", stages=STAGES)
    with pytest.raises(InvalidParameterError, match=rf"has type.*{first} is {day}"):
        fh.monitor(data, period="applied_on", freq="Q", group="sex", stages=STAGES)
    # the dates they stand for give the audit of the date column
    read = data.assign(applied_on=pd.to_datetime(serial, unit="D", origin="1899-12-30"))
    expected = fh.monitor(applicants, period="applied_on", freq="Q", group="sex", stages=STAGES)
    got = fh.monitor(read, period="applied_on", freq="Q", group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(got.table, expected.table)
    # numbers that are period labels (years; or in the order given) are still labels
    years = fh.datasets.make_hiring_funnel(2000, periods=8, random_state=1)
    years = years.assign(year=years["applied_on"].dt.year)
    assert fh.monitor(years, period="year", group="sex", stages=STAGES).periods == (2024, 2025)
    cycles = pd.DataFrame({"cycle": [45001] * 4 + [45000] * 4, "sex": ["F", "M"] * 4,
                           "hired": [1, 1, 0, 1, 1, 0, 0, 1]})
    got = fh.monitor(cycles, period="cycle", group="sex", stages=["hired"],
                     period_order=[45001, 45000])
    assert got.periods == (45001, 45000)


def test_a_period_far_from_the_rest_is_said_not_left_to_set_the_trend_silently():
    # Three applications dated 2052 for 2025 (a typo an ATS keeps) are a period of their own
    # 105 quarters after the rest; the trend counts the empty quarters as time passed, and
    # the screening trend moved from -0.115 (p 0.05) to -0.020 (p 0.41) without a word on
    # aeccaad
    applicants = fh.datasets.make_hiring_funnel(3000, periods=8, random_state=4)
    typo = applicants.copy()
    typo.loc[typo.index[:6], "applied_on"] = pd.Timestamp("2052-03-01")
    typo.loc[typo.index[:6], "sex"] = ["Female", "Male"] * 3
    kw = {"period": "applied_on", "freq": "Q", "group": "sex", "stages": STAGES}
    clean, far = fh.monitor(applicants, **kw), fh.monitor(typo, **kw)
    assert not any("the rest of the run" in w for w in clean.warnings)
    said = [w for w in far.warnings if "the rest of the run" in w]
    assert len(said) == 1
    assert said[0].startswith("column 'applied_on' (passed as period=): 2052-Q1 lies 104 "
                              "quarters after the rest of the run (2024-Q1 to 2025-Q4)")
    assert "correct them" in said[0]
    # period labels numbered by the calendar are read alike
    years = typo.assign(year=typo["applied_on"].dt.year.map(lambda y: f"FY{y}"))
    by_year = fh.monitor(years, period="year", group="sex", stages=STAGES)
    assert any("FY2052 lies 26 years after the rest of the run (FY2024 to FY2025)" in w
               for w in by_year.warnings)


def test_iso_times_with_summer_and_winter_offsets_are_read_as_written():
    # An ATS in New York writes 2024-03-08T09:15:00-05:00 in winter and ...-04:00 in summer.
    # aeccaad stopped with pandas' ValueError "Mixed timezones detected" ("This is a bug in
    # fairhire" on the command line); with one offset, time_to_exit's dates raised TypeError.
    # The date is the one written: the same periods as the export without times.
    from fairhire._core.dates import read_dates

    applicants = fh.datasets.make_hiring_funnel(1500, periods=6, random_state=5)
    day = applicants["applied_on"]
    offsets = np.where(day.dt.month.between(4, 10), "-04:00", "-05:00")
    stamped = applicants.assign(applied_on=day.dt.strftime("%Y-%m-%dT23:30:00") + offsets)
    plain = applicants.assign(applied_on=day.dt.strftime("%Y-%m-%d"))
    kw = {"period": "applied_on", "freq": "Q", "group": "sex", "stages": STAGES}
    got, expected = fh.monitor(stamped, **kw), fh.monitor(plain, **kw)
    pd.testing.assert_frame_equal(got.table, expected.table)
    pd.testing.assert_frame_equal(got.trends, expected.trends)
    one = pd.Series(["2024-03-09T10:00:00-05:00", "2024-06-11T23:30:00Z", None])
    dates, note = read_dates(one, "hired", argument="hire_date")
    assert dates.dt.date.astype(str).tolist()[:2] == ["2024-03-09", "2024-06-11"]
    assert note == ""
