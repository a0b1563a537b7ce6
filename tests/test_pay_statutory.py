"""UK gender pay gap metrics (SI 2017/172) and EU pay transparency indicators (2023/970).

Reference values: the hand-checkable example of METHODS.md §3 (men hourly 10, 12, 15, 20;
women 10, 12, 12, 18; bonuses men 0, 100, 300, 0 and women 50, 0, 0, 0 → mean gap 8.7719%,
median gap 11.1111%, bonus proportions 50% / 25%, mean and median bonus gap 75%, the 12.00 run
split 1/3 men in band 2 and 2/3 in band 3); other values worked by hand in the tests.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fairhire as fh
from fairhire._engine_stats import quartile_bands as engine_bands
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)
from fairhire.stats.paygap import publish


def quartile_bands(pay, male, **kwargs):
    """The one quartile_bands, on in-memory arrays."""
    frame = pd.DataFrame({"pay": np.asarray(pay, dtype=float), "male": np.asarray(male, bool)})
    return engine_bands(frame, "pay", "male", **kwargs)


@pytest.fixture
def example() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["Male"] * 4 + ["Female"] * 4,
            "hourly": [10, 12, 15, 20, 10, 12, 12, 18.0],
            "bonus": [0, 100, 300, 0, 50, 0, 0, 0.0],
        }
    )


def test_methods_md_hand_checkable_example(example):
    uk = fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", bonus="bonus")
    assert uk.mean_hourly_gap == pytest.approx(8.7719, abs=5e-5)
    assert uk.median_hourly_gap == pytest.approx(11.1111, abs=5e-5)
    assert uk.male_bonus_pct == 50.0 and uk.female_bonus_pct == 25.0
    assert uk.mean_bonus_gap == pytest.approx(75.0) and uk.median_bonus_gap == pytest.approx(75.0)
    q = uk.quartiles
    assert q.band.tolist() == ["lower", "lower middle", "upper middle", "upper"]
    assert q.male_pct.tolist() == pytest.approx([50.0, 100 / 3, 200 / 3, 50.0])
    assert q.female_pct.tolist() == pytest.approx([50.0, 200 / 3, 100 / 3, 50.0])
    assert q.employees.tolist() == [2.0, 2.0, 2.0, 2.0]
    published = uk.metrics.set_index("metric").published
    assert published["mean_hourly_gap"] == 8.8 and published["median_hourly_gap"] == 11.1
    assert q.male_pct_published.tolist() == [50.0, 33.3, 66.7, 50.0]
    whole = fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", decimals=0)
    assert whole.metrics.set_index("metric").published["mean_hourly_gap"] == 9.0


def test_rank_rule_differs_from_reg_13_2(example):
    uk = fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", band_rule="rank")
    # ties in input order: the 12.00 run is M, F | F, so bands 2 and 3 are 50/50
    assert uk.quartiles.male_pct.tolist() == pytest.approx([50.0, 50.0, 50.0, 50.0])


@pytest.mark.parametrize(
    ("band_sizes", "sizes"),
    [
        ("lower_first", [3, 2, 2, 2]),
        ("upper_first", [2, 2, 2, 3]),
        ("fractional", [2.25, 2.25, 2.25, 2.25]),
    ],
)
def test_band_size_rules(band_sizes, sizes):
    pay = np.arange(1.0, 10.0)
    male = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1], dtype=bool)
    q = quartile_bands(pay, male, band_sizes=band_sizes)
    assert q.employees.tolist() == pytest.approx(sizes)
    assert (q.men + q.women).tolist() == pytest.approx(sizes)
    if band_sizes == "fractional":  # employee 3 (a man) is split 0.25 / 0.75
        assert q.men.iloc[0] == pytest.approx(1 + 0.25)


def test_full_pay_bonus_population_and_other_sexes():
    data = pd.DataFrame(
        {
            "gender": ["m", "M", "f", "F", "F", "nb", None, "man", "woman"],
            "hourly": [20, 30, 18, 22, 5, 25, 19, 26, 24.0],
            "bonus": [100, 0, 50, 0, 500, 80, 0, 0, 0.0],
            "full_pay": [True, True, True, True, False, True, True, True, True],
        }
    )
    before = data.copy()
    uk = fh.uk_pay_gap_metrics(
        data, hourly_pay="hourly", sex="gender", bonus="bonus", full_pay="full_pay"
    )
    pd.testing.assert_frame_equal(data, before)
    # hourly: men 20, 30, 26; full-pay women 18, 22, 24 (the woman on reduced pay is left out)
    men = np.mean([20, 30, 26])
    assert uk.mean_hourly_gap == pytest.approx((men - np.mean([18, 22, 24])) / men * 100)
    # bonus: all relevant employees, including the one not on full pay
    assert uk.female_bonus_pct == pytest.approx(2 / 4 * 100)
    assert uk.male_bonus_pct == pytest.approx(1 / 3 * 100)
    assert uk.mean_bonus_gap == pytest.approx((100 - 275) / 100 * 100)
    assert uk.sex_other == {"nb": 1} and uk.sex_missing == 1
    assert uk.rows.excluded == {
        "sex missing": 1,
        "sex not male or female (excluded from two-sex metrics)": 1,
        "not full-pay relevant (full_pay)": 1,  # in the bonus metrics, not the hourly ones
    }
    assert uk.rows.used == 6
    pops = uk.populations.set_index("population")
    assert pops.iloc[0].tolist() == [3, 3]
    assert any("excluded from these two-sex metrics" in w for w in uk.warnings)
    custom = fh.uk_pay_gap_metrics(
        pd.DataFrame({"s": [1, 1, 2, 2], "h": [10, 12, 9, 11.0]}),
        hourly_pay="h",
        sex="s",
        male=1,
        female=2,
    )
    assert custom.mean_hourly_gap == pytest.approx((11 - 10) / 11 * 100)
    assert np.isnan(custom.mean_bonus_gap)


def test_uk_errors(example):
    with pytest.raises(InsufficientDataError, match=r"'sex'.*male= and female="):
        fh.uk_pay_gap_metrics(example[example.sex == "Male"], hourly_pay="hourly", sex="sex")
    with pytest.raises(ColumnError, match="'hourly'"):
        fh.uk_pay_gap_metrics(
            example.assign(hourly=-example.hourly), hourly_pay="hourly", sex="sex"
        )
    with pytest.raises(InvalidValueError, match=r"'fp'.*full_pay=.*'maybe'"):
        fh.uk_pay_gap_metrics(
            example.assign(fp="maybe"), hourly_pay="hourly", sex="sex", full_pay="fp"
        )
    with pytest.raises(ColumnError, match="'hourly'"):
        fh.uk_pay_gap_metrics(example.assign(hourly="£10"), hourly_pay="hourly", sex="sex")
    with pytest.raises(ColumnError, match="hourly_pay"):
        fh.uk_pay_gap_metrics(example, hourly_pay="rate", sex="sex")
    with pytest.raises(InvalidParameterError, match="band_rule"):
        fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", band_rule="quantile")
    with pytest.raises(InvalidParameterError, match="band_sizes"):
        fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", band_sizes="even")
    with pytest.raises(InvalidParameterError, match="decimals"):
        fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", decimals=-1)
    fp = fh.uk_pay_gap_metrics(
        example.assign(fp=["yes", "no"] * 4), hourly_pay="hourly", sex="sex", full_pay="fp"
    )
    assert fp.populations.iloc[0].tolist()[1:] == [2, 2]


def test_uk_result_interfaces(example):
    uk = fh.uk_pay_gap_metrics(example, hourly_pay="hourly", sex="sex", bonus="bonus")
    json.dumps(uk.to_dict())
    assert "Median gender pay gap in hourly pay: 11.1%" in uk.summary()
    assert len(uk.headlines()) == 3 and uk.to_frame().shape[0] == 6


def test_publish_rounds_half_up():
    assert publish(0.05, 1) == 0.1
    assert publish(2.25, 1) == 2.3
    assert publish(-2.25, 1) == -2.3
    assert publish(8.77193, 1) == 8.8
    assert np.isnan(publish(float("nan"), 1))


@given(
    st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=60),
    st.sampled_from(["lower_first", "upper_first", "fractional"]),
)
def test_bands_account_for_everyone_and_split_ties_evenly(rows, band_sizes):
    pay = np.array([r[0] for r in rows], dtype=float)
    male = np.array([r[1] for r in rows])
    q = quartile_bands(pay, male, band_sizes=band_sizes)
    assert q.employees.sum() == pytest.approx(len(rows))
    assert q.men.sum() == pytest.approx(male.sum())
    assert (q.men >= -1e-12).all() and (q.women >= -1e-12).all()
    # a run of equal pay spanning several bands has the same male share in each of them
    for value in np.unique(pay):
        spans = q[(q.min_pay <= value) & (q.max_pay >= value)]
        run_share = male[pay == value].mean()
        if len(spans) > 1:
            inner = spans[(spans.min_pay == value) & (spans.max_pay == value)]
            for r in inner.itertuples():
                assert r.men / r.employees == pytest.approx(run_share)
    ordered = q.dropna(subset=["min_pay"])
    assert (ordered.max_pay.to_numpy()[:-1] <= ordered.min_pay.to_numpy()[1:]).all()


# --- EU ----------------------------------------------------------------------------------------


@pytest.fixture
def eu_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["M", "M", "M", "M", "F", "F", "F", "F", "X"],
            "basic": [100, 120, 200, 220, 90, 120, 180, 230, 150.0],
            "bonus": [10, 0, 40, 0, 0, 0, 20, 0, 5.0],
            "grade": ["A", "A", "B", "B", "A", "A", "B", "B", "A"],
            "hours": [10, 10, 10, 10, 10, 10, 10, 10, 10.0],
        }
    )


def test_eu_indicators_by_hand(eu_data):
    eu = fh.eu_pay_transparency_metrics(
        eu_data, pay="basic", sex="sex", variable_pay="bonus", category="grade"
    )
    men_total = np.array([110, 120, 240, 220.0])
    women_total = np.array([90, 120, 200, 230.0])
    gap_a = (men_total.mean() - women_total.mean()) / men_total.mean() * 100
    assert eu.value("a") == pytest.approx(gap_a)
    assert eu.value("c") == pytest.approx((170 - 160) / 170 * 100)
    # (b), (d): recipients only by default: men 10, 40; women 20
    assert eu.value("b") == pytest.approx((25 - 20) / 25 * 100)
    assert eu.value("d") == pytest.approx((25 - 20) / 25 * 100)
    assert eu.value("e_men") == 50.0 and eu.value("e_women") == 25.0
    with_zeros = fh.eu_pay_transparency_metrics(
        eu_data, pay="basic", sex="sex", variable_pay="bonus", include_zero_variable=True
    )
    assert with_zeros.value("b") == pytest.approx((12.5 - 5) / 12.5 * 100)
    assert with_zeros.include_zero_variable
    cats = eu.categories.set_index("category")
    # grade A: men 110, 120 vs women 90, 120 → 8.696%; grade B: men 240, 220 vs 200, 230 → 6.52%
    assert cats.loc["A", "mean_gap_total"] == pytest.approx((115 - 105) / 115 * 100)
    assert cats.loc["B", "mean_gap_total"] == pytest.approx((230 - 215) / 230 * 100)
    assert cats.loc["A", "mean_gap_basic"] == pytest.approx((110 - 105) / 110 * 100)
    assert cats.art10_flag.tolist() == [True, True]
    assert eu.flagged_categories == ["A", "B"]
    assert eu.rows.excluded == {"sex not male or female (excluded from two-sex indicators)": 1}
    hourly = fh.eu_pay_transparency_metrics(
        eu_data, pay="basic", sex="sex", variable_pay="bonus", hours="hours"
    )
    assert hourly.value("a") == pytest.approx(eu.value("a"))  # same hours: same gap
    assert hourly.quartiles.max_pay.max() == pytest.approx(24.0)


def test_eu_art10_flags_both_directions_and_unassessable():
    data = pd.DataFrame(
        {
            "sex": ["M", "F", "M", "F", "M", "M"],
            "pay": [100, 104, 100, 110, 100, 90.0],
            "cat": ["near", "near", "women more", "women more", "men only", "men only"],
        }
    )
    eu = fh.eu_pay_transparency_metrics(data, pay="pay", sex="sex", category="cat", gap_threshold=5)
    cats = eu.categories.set_index("category")
    assert not cats.loc["near", "art10_flag"]  # 4% < 5%
    assert cats.loc["women more", "art10_flag"]
    assert cats.loc["women more", "direction"] == "women paid more"
    assert not cats.loc["men only", "assessable"] and not cats.loc["men only", "art10_flag"]
    assert any("only one sex" in w for w in eu.warnings)
    heads = eu.headlines()
    assert heads[-1].severity == 3 and "joint pay assessment" in heads[-1].text
    json.dumps(eu.to_dict())
    assert "(g)" in eu.summary()


def test_eu_errors(eu_data):
    with pytest.raises(ColumnError, match="'basic'"):
        fh.eu_pay_transparency_metrics(eu_data.assign(basic=-eu_data.basic), pay="basic", sex="sex")
    with pytest.raises(InvalidParameterError, match="gap_threshold"):
        fh.eu_pay_transparency_metrics(eu_data, pay="basic", sex="sex", gap_threshold=0)
    with pytest.raises(InsufficientDataError, match="'sex'"):
        fh.eu_pay_transparency_metrics(eu_data[eu_data.sex == "F"], pay="basic", sex="sex")
    with pytest.raises(ColumnError, match="grade_"):
        fh.eu_pay_transparency_metrics(eu_data, pay="basic", sex="sex", category="grade_")
    with pytest.raises(InvalidParameterError, match="indicator"):
        fh.eu_pay_transparency_metrics(eu_data, pay="basic", sex="sex").value("h")
    # negative hours were excluded as "missing or zero hours"; they are an error, as negative
    # pay is, in pandas and in the engines
    hours = eu_data.assign(hours=37.5)
    hours.loc[hours.index[:3], "hours"] = -37.5
    for frame in (hours, pl.from_pandas(hours).lazy()):
        with pytest.raises(ColumnError, match=r"'hours' \(hours=\) has 3 negative values"):
            fh.eu_pay_transparency_metrics(frame, pay="basic", sex="sex", hours="hours")
    hours.loc[hours.index[:3], "hours"] = 0.0
    zero = fh.eu_pay_transparency_metrics(hours, pay="basic", sex="sex", hours="hours")
    assert zero.rows.excluded["missing or zero hours (hours)"] == 3


def test_statutory_metrics_on_the_synthetic_workforce():
    wf = fh.datasets.make_workforce(4000, random_state=8)
    uk = fh.uk_pay_gap_metrics(
        wf, hourly_pay="hourly_pay", sex="sex", bonus="bonus", full_pay="full_pay"
    )
    assert uk.mean_hourly_gap > 5 and uk.male_bonus_pct > uk.female_bonus_pct
    # fewer women at higher levels: women's share falls from the lower to the upper band
    assert uk.quartiles.female_pct.iloc[0] > uk.quartiles.female_pct.iloc[3]
    eu = fh.eu_pay_transparency_metrics(
        wf, pay="salary", sex="sex", variable_pay="bonus", category="level"
    )
    assert eu.categories.art10_flag.sum() >= 1


def test_an_undefined_gap_is_written_without_a_percent_sign():
    """No man paid a bonus: the bonus gaps are undefined, and every place that writes a figure
    already in percent says so ("n/a", "–"), never "n/a%" or "–%"."""
    import re

    from fairhire.report.report import Report

    rng = np.random.default_rng(0)
    data = pd.DataFrame({"sex": rng.choice(["Male", "Female"], 400),
                         "hourly": rng.uniform(10, 30, 400), "bonus": 0.0})
    uk = fh.uk_pay_gap_metrics(data, sex="sex", hourly_pay="hourly", bonus="bonus")
    assert np.isnan(uk.mean_bonus_gap) and np.isnan(uk.median_bonus_gap)
    report = Report(title="UK")
    report.add(uk)
    texts = {"summary": uk.summary(), "markdown": report.render_markdown(),
             "html": report.render_html()}
    for name, text in texts.items():
        assert not re.search(r"(n/a|–|—|\bs)%", text), name
    assert "Mean bonus gender pay gap: n/a" in texts["summary"]
    assert "**–** mean bonus gap" in texts["markdown"]
    # defined figures keep their sign
    assert re.search(r"\*\*−?\d+\.\d%\*\* mean hourly pay gap", texts["markdown"])


def test_a_worker_with_no_category_is_in_the_organisation_wide_indicators():
    # a blank category left the worker out of every indicator: (a) to (f) and the quartiles
    # moved when category= was given; Art. 9(1)(a)-(f) cover all workers, (g) the categories
    staff = fh.datasets.make_workforce(1_200, random_state=5).astype({"level": object})
    staff.loc[:14, "level"] = None
    staff.loc[15, "level"] = "  "
    by_category = fh.eu_pay_transparency_metrics(staff, pay="salary", sex="sex",
                                                 category="level", variable_pay="bonus")
    overall = fh.eu_pay_transparency_metrics(staff, pay="salary", sex="sex",
                                             variable_pay="bonus")
    kept = by_category.indicators["indicator"] != "g"
    pd.testing.assert_frame_equal(by_category.indicators[kept].reset_index(drop=True),
                                  overall.indicators.reset_index(drop=True))
    pd.testing.assert_frame_equal(by_category.quartiles, overall.quartiles)
    assert by_category.rows == overall.rows
    n = int(staff.loc[:15].sex.isin(["Male", "Female"]).sum())
    assert f"{n} workers have a missing or unknown 'level'" in " ".join(by_category.warnings)
    people = by_category.categories[["men", "women"]].to_numpy().sum()
    assert people == overall.rows.used - n
