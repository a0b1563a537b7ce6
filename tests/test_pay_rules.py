"""The shared rules in the pay analyses (issue 14): the reproducers as regression tests, and
properties (relabelling, reordering and renaming never change a result; neither do case and
space variants of a label)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.errors import InvalidParameterError, InvalidValueError

# --- reproducers ------------------------------------------------------------------------------


def test_flag_follows_p_below_alpha_not_t_of_two():
    """With HC1 a gap with p = 0.047 (|t| < 2) was not flagged; flagged now means p < alpha."""
    rng = np.random.default_rng(3)
    n = 400
    data = pd.DataFrame({"g": np.repeat(["A", "B"], n // 2), "x": rng.normal(size=n)})
    noise = rng.normal(0, 0.2, n)
    # put B's coefficient exactly at t = -1.985 (shifting one group moves β, not its SE)
    base = fh.pay_gap(
        data.assign(pay=np.exp(10 + noise)),
        pay="pay",
        group="g",
        controls="x",
        cov_type="HC1",
        reference="A",
    ).overall.iloc[0]
    shift = -1.985 * base.std_error - base.coef
    pay = np.exp(10 + noise + shift * (data["g"] == "B"))
    gap = fh.pay_gap(
        data.assign(pay=pay), pay="pay", group="g", controls="x", cov_type="HC1", reference="A"
    )
    row = gap.overall.iloc[0]
    assert row.t == pytest.approx(-1.985) and 0.04 < row.p_value < 0.05
    assert row.flagged and len(gap.flagged) == 1
    strict = fh.pay_gap(
        data.assign(pay=pay),
        pay="pay",
        group="g",
        controls="x",
        cov_type="HC1",
        reference="A",
        alpha=0.01,
    )
    assert not strict.overall.iloc[0].flagged
    assert "p < 0.05" in gap.summary() or "flagged when p < 0.05" in gap.summary()


def test_case_and_space_variants_merge_with_a_warning():
    data = pd.DataFrame(
        {
            "sex": ["Female"] * 30 + ["female "] * 3 + [" FEMALE"] * 2 + ["Male"] * 35,
            "pay": np.r_[np.linspace(40, 60, 35), np.linspace(45, 65, 35)],
        }
    )
    gap = fh.pay_gap(data, pay="pay", group="sex")
    assert gap.groups == ("Female", "Male") and gap.overall["n"].iloc[0] == 35
    assert any("merged as 'Female'" in w for w in gap.warnings)


def test_default_reference_is_not_a_tiny_best_paid_group():
    """Was "Male or else the largest"; now the highest mean pay among stable groups."""
    rng = np.random.default_rng(1)
    data = pd.DataFrame(
        {
            "race": ["A"] * 200 + ["B"] * 300 + ["C"] * 3,
            "pay": np.r_[rng.normal(60, 5, 200), rng.normal(50, 5, 300), [90.0, 95.0, 99.0]],
        }
    )
    gap = fh.pay_gap(data, pay="pay", group="race")
    assert gap.reference_group == "A"  # best paid among groups of at least min_n and 2%
    rows = gap.overall.set_index("group")
    assert rows.loc["C", "too_small_for_reference"] and not rows.loc["B", "too_small_for_reference"]
    # the column's 0.1.0 name still reads the same values
    assert rows["small_sample"].tolist() == rows["too_small_for_reference"].tolist()
    assert fh.pay_gap(data, pay="pay", group="race", reference="b").reference_group == "B"
    # no "Male" special case: the best-paid stable group is the reference
    sexes = data.replace({"race": {"A": "Female", "B": "Male"}})
    assert fh.pay_gap(sexes, pay="pay", group="race").reference_group == "Female"


def test_implausible_salary_is_an_error_naming_column_and_rows():
    """A salary of 1e300 gave a gap of −6e297 % with no warning."""
    data = pd.DataFrame(
        {"sex": ["M", "F"] * 20, "salary": np.linspace(40e3, 60e3, 40), "x": np.arange(40.0)}
    )
    data.loc[7, "salary"] = 1e300
    with pytest.raises(InvalidValueError, match=r"'salary'.*1e\+300 at row 7"):
        fh.pay_gap(data, pay="salary", group="sex")
    with pytest.raises(InvalidValueError, match=r"'salary' \(outcome=\).*row 7"):
        fh.oaxaca_blinder(data, outcome="salary", group="sex", features="x")
    for frame in _engines(data):
        with pytest.raises(InvalidValueError, match=r"'salary' \(hourly_pay=\).*1e\+300"):
            fh.uk_pay_gap_metrics(frame, hourly_pay="salary", sex="sex")
        with pytest.raises(InvalidValueError, match=r"'salary' \(pay=\).*1e\+300"):
            fh.eu_pay_transparency_metrics(frame, pay="salary", sex="sex")


def test_pay_far_above_its_group_is_a_warning():
    data = pd.DataFrame({"sex": ["M", "F"] * 20, "salary": np.linspace(40e3, 60e3, 40)})
    data.loc[6, "salary"] = 5e9  # a misplaced decimal
    gap = fh.pay_gap(data, pay="salary", group="sex")
    assert any("'salary'" in w and "row 6" in w and "1,000 times" in w for w in gap.warnings)
    for frame in _engines(data):
        uk = fh.uk_pay_gap_metrics(frame, hourly_pay="salary", sex="sex")
        assert any("'salary'" in w and "1,000 times" in w for w in uk.warnings), uk.warnings


def test_uk_rows_count_missing_hourly_pay():
    data = pd.DataFrame(
        {
            "sex": ["M", "F"] * 5,
            "hourly": [10, 11, np.nan, 12, 13, np.nan, 9, 10, 11, 12.0],
            "bonus": [0, 5, 5, 0, 0, 1, 0, 0, 0, 0.0],
        }
    )
    for frame in _engines(data):
        uk = fh.uk_pay_gap_metrics(frame, hourly_pay="hourly", sex="sex", bonus="bonus")
        assert uk.rows.excluded == {"missing hourly pay (hourly)": 2}
        assert uk.rows.used == 8 and uk.rows.total == 10
        assert any("no hourly pay" in w for w in uk.warnings)
        # the two still count in the bonus proportions
        assert uk.populations.set_index("population").iloc[1].tolist() == [5, 5]


def test_options_are_checked_strings_are_not_booleans_or_numbers():
    data = pd.DataFrame({"g": ["a", "b"] * 10, "pay": np.linspace(10, 20, 20)})
    cases = [
        (fh.pay_gap, {"pay": "pay", "group": "g", "log": "False"}, "log="),
        (fh.pay_gap, {"pay": "pay", "group": "g", "alpha": "0.05"}, "alpha="),
        (fh.pay_gap, {"pay": "pay", "group": "g", "confidence": 95}, "confidence="),
        (fh.pay_gap, {"pay": "pay", "group": "g", "min_n": 1}, "min_n="),
        (
            fh.oaxaca_blinder,
            {"outcome": "pay", "group": "g", "features": "pay", "log": "no"},
            "features|log=",
        ),
        (fh.uk_pay_gap_metrics, {"hourly_pay": "pay", "sex": "g", "decimals": "1"}, "decimals="),
        (
            fh.eu_pay_transparency_metrics,
            {"pay": "pay", "sex": "g", "include_zero_variable": "no"},
            "include_zero_variable=",
        ),
        (
            fh.eu_pay_transparency_metrics,
            {"pay": "pay", "sex": "g", "gap_threshold": "5"},
            "gap_threshold=",
        ),
    ]
    for function, kwargs, match in cases:
        with pytest.raises(InvalidParameterError, match=match):
            function(data, **kwargs)


def test_user_columns_named_like_internal_ones():
    rng = np.random.default_rng(5)
    n = 120
    base = pd.DataFrame(
        {
            "sex": rng.choice(["Male", "Female"], n),
            "salary": rng.lognormal(10, 0.2, n),
            "level": rng.choice(["L1", "L2"], n),
            "bonus": rng.choice([0.0, 100.0], n),
        }
    )
    names = {"sex": "group", "salary": "n", "level": "sum", "bonus": "men"}
    odd = base.rename(columns=names)
    gap = fh.pay_gap(odd, pay="n", group="group", controls=["sum"])
    want = fh.pay_gap(base, pay="salary", group="sex", controls=["level"])
    pd.testing.assert_frame_equal(gap.overall.drop(columns=[]), want.overall)
    for frame in _engines(odd):
        uk = fh.uk_pay_gap_metrics(frame, hourly_pay="n", sex="group", bonus="men")
        ref = fh.uk_pay_gap_metrics(base, hourly_pay="salary", sex="sex", bonus="bonus")
        np.testing.assert_allclose(uk.metrics["value"], ref.metrics["value"], rtol=1e-12)
        eu = fh.eu_pay_transparency_metrics(
            frame, pay="n", sex="group", category="sum", variable_pay="men"
        )
        assert eu.categories["category"].tolist() == ["L1", "L2"]


def test_renamed_arguments_still_work_with_a_future_warning():
    wf = fh.datasets.make_workforce(600, random_state=3)
    with pytest.warns(FutureWarning, match="min_n="):
        old = fh.pay_gap(wf, pay="salary", group="sex", min_group_size=7)
    assert old.params["min_n"] == 7
    with pytest.warns(FutureWarning, match="coefficients="):
        old_ob = fh.oaxaca_blinder(
            wf, outcome="salary", group="sex", features="level", reference="cotton"
        )
    new_ob = fh.oaxaca_blinder(
        wf, outcome="salary", group="sex", features="level", coefficients="cotton"
    )
    assert old_ob.component("unexplained") == new_ob.component("unexplained")
    with pytest.warns(FutureWarning, match="gap_threshold="):
        eu = fh.eu_pay_transparency_metrics(
            wf, pay="salary", sex="sex", category="level", threshold=3
        )
    assert eu.gap_threshold == 3 and eu.params["gap_threshold"] == 3
    with pytest.raises(InvalidParameterError, match="only gap_threshold="):
        fh.eu_pay_transparency_metrics(wf, pay="salary", sex="sex", threshold=3, gap_threshold=4)


def test_sentences_state_gaps_and_statistics_in_one_direction():
    """ "paid 4.6% less … t = −8.27": the sign of t contradicted the wording."""
    wf = fh.datasets.make_workforce(2000, random_state=0)
    gap = fh.pay_gap(wf, pay="salary", group="sex", controls=["level", "job_family"])
    text = gap.headlines()[0].text
    assert "less than comparable Male" in text and "t = " not in text and "−" not in text
    assert "p < 0.001" in text
    for line in gap.summary().splitlines():
        assert "t = " not in line
    ob = fh.oaxaca_blinder(
        wf, outcome="salary", group="sex", log=True, features=["level", "job_family"]
    )
    assert "higher than Female" in ob.headlines()[0].text
    assert len(repr(ob)) < 200 and "OaxacaBlinderResult" in repr(ob)


def _engines(data: pd.DataFrame) -> list[object]:
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    return [data, pl.from_pandas(data).lazy(), duckdb.from_df(data)]


# --- properties -------------------------------------------------------------------------------


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 90))
    g = np.r_[[0, 1, 2] * 6, rng.integers(0, 3, n - 18)]
    return pd.DataFrame(
        {
            "grp": np.array(["Alpha", "Beta", "Gamma"])[g],
            "pay": np.round(rng.lognormal(3.5, 0.3, n) * (1 + 0.05 * g), 2),
            "tenure": rng.integers(0, 10, n).astype(float),
        }
    )


def _numbers(gap: object) -> pd.DataFrame:
    cols = ["group", "n", "mean_gap_pct", "median_gap_pct", "adjusted_gap", "p_value"]
    return gap.overall[cols].sort_values("group").reset_index(drop=True)  # type: ignore[attr-defined]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.permutations(["one", "two", "three"]))
def test_relabelling_groups_changes_only_the_labels(seed, names):
    frame = _frame(seed)
    mapping = dict(zip(["Alpha", "Beta", "Gamma"], names, strict=True))
    a = fh.pay_gap(frame, pay="pay", group="grp", controls="tenure", min_n=2)
    b = fh.pay_gap(
        frame.replace({"grp": mapping}), pay="pay", group="grp", controls="tenure", min_n=2
    )
    assert b.reference_group == mapping[a.reference_group]
    want = _numbers(a).assign(group=lambda d: d["group"].map(mapping))
    pd.testing.assert_frame_equal(
        _numbers(b), want.sort_values("group").reset_index(drop=True), rtol=1e-9
    )


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_reordering_rows_and_renaming_columns_change_nothing(seed, order_seed):
    frame = _frame(seed)
    a = fh.pay_gap(frame, pay="pay", group="grp", controls="tenure", min_n=2)
    shuffled = frame.sample(frac=1.0, random_state=order_seed).reset_index(drop=True)
    renamed = shuffled.rename(columns={"grp": "n", "pay": "group", "tenure": "stratum"})
    b = fh.pay_gap(renamed, pay="group", group="n", controls="stratum", min_n=2)
    assert a.reference_group == b.reference_group and a.fingerprint != ""
    pd.testing.assert_frame_equal(_numbers(a), _numbers(b), rtol=1e-9)
    ua = fh.uk_pay_gap_metrics(
        frame.replace({"grp": {"Alpha": "M", "Beta": "F"}}), hourly_pay="pay", sex="grp"
    )
    ub = fh.uk_pay_gap_metrics(
        renamed.replace({"n": {"Alpha": "M", "Beta": "F"}}), hourly_pay="group", sex="n"
    )
    pd.testing.assert_frame_equal(ua.metrics, ub.metrics, rtol=1e-12)
    pd.testing.assert_frame_equal(ua.quartiles, ub.quartiles, rtol=1e-12)
    assert ua.rows.to_dict() == ub.rows.to_dict() and ua.fingerprint == ub.fingerprint


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.data())
def test_case_and_space_variants_never_change_a_result(seed, data):
    frame = _frame(seed)
    variants = {
        "Alpha": [" Alpha", "ALPHA", "alpha  "],
        "Beta": ["beta", " BETA "],
        "Gamma": ["gamma", "Gamma "],
    }
    messy = frame.copy()
    for label, spellings in variants.items():
        rows = messy.index[messy["grp"] == label]
        # fewer than half the rows: the canonical spelling stays the most frequent
        k = data.draw(st.integers(0, (len(rows) - 1) // 2))
        messy.loc[rows[:k], "grp"] = [spellings[i % len(spellings)] for i in range(k)]
    a = fh.pay_gap(frame, pay="pay", group="grp", controls="tenure", min_n=2)
    b = fh.pay_gap(messy, pay="pay", group="grp", controls="tenure", min_n=2)
    pd.testing.assert_frame_equal(_numbers(a), _numbers(b), rtol=1e-12)
    changed = (messy["grp"] != frame["grp"]).any()
    assert any("merged" in w for w in b.warnings) == bool(changed)
    oa = fh.oaxaca_blinder(
        frame, outcome="pay", group="grp", features="tenure", groups=("Gamma", "Alpha"), se=None
    )
    ob = fh.oaxaca_blinder(
        messy, outcome="pay", group="grp", features="tenure", groups=("gamma", "alpha"), se=None
    )
    assert ob.component("unexplained") == pytest.approx(oa.component("unexplained"), rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["M", "male", " MALE ", "Men", "man"]))
def test_sex_spellings_never_change_the_statutory_metrics(seed, spelling):
    frame = _frame(seed).replace({"grp": {"Alpha": "Male", "Beta": "Female"}})
    rows = frame.index[frame["grp"] == "Male"]
    messy = frame.copy()
    messy.loc[rows[: len(rows) // 2], "grp"] = spelling
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        a = fh.uk_pay_gap_metrics(frame, hourly_pay="pay", sex="grp")
        b = fh.uk_pay_gap_metrics(messy, hourly_pay="pay", sex="grp")
    pd.testing.assert_frame_equal(a.metrics, b.metrics, rtol=1e-12)
    pd.testing.assert_frame_equal(a.quartiles, b.quartiles, rtol=1e-12)
    assert a.rows.to_dict() == b.rows.to_dict() and a.sex_other == b.sex_other
    assert (spelling != "Male") == any(repr(spelling) in w for w in b.warnings)


def test_eu_category_spellings_merge_in_every_engine():
    data = pd.DataFrame(
        {
            "sex": ["M", "F"] * 20,
            "pay": np.linspace(10, 50, 40),
            "cat": ["Eng", "eng ", "Sales", " SALES"] * 10,
        }
    )
    data.loc[:5, "cat"] = "Eng"
    for frame in _engines(data):
        eu = fh.eu_pay_transparency_metrics(frame, pay="pay", sex="sex", category="cat")
        assert eu.categories["category"].tolist() == ["Eng", "SALES"]
        assert eu.categories[["men", "women"]].sum().tolist() == [20, 20]
        assert sum("differ only in case or spaces" in w for w in eu.warnings) == 2


def test_decimal_pay_is_read_as_numbers():
    # a database's NUMERIC column comes back as Decimal objects. The error first said the
    # column "holds text such as ['67065.41', ...]", then named the objects; but they are
    # numbers, and every analysis now reads them as such (the user's frame is not changed)
    from decimal import Decimal

    from fairhire.errors import ColumnError

    df = pd.DataFrame({"sex": ["F", "M"] * 20, "pay": [Decimal("50000.5") + i for i in range(40)],
                       "hours": [37.5] * 40})
    floats = df.assign(pay=df["pay"].astype(float))
    for run in (lambda d: fh.pay_gap(d, pay="pay", group="sex"),
                lambda d: fh.uk_pay_gap_metrics(d, hourly_pay="pay", sex="sex"),
                lambda d: fh.eu_pay_transparency_metrics(d, pay="pay", sex="sex")):
        a, b = run(df), run(floats)
        pd.testing.assert_frame_equal(a.table, b.table)
        assert a.fingerprint == b.fingerprint
    assert isinstance(df["pay"].iloc[0], Decimal)
    with pytest.raises(ColumnError, match="holds text such as"):
        fh.pay_gap(df.assign(pay=["£1,000"] * 40), pay="pay", group="sex")


def test_pay_fixed_by_the_controls_has_no_gap_to_flag():
    # a fixed pay scale (pay set by level alone): the residuals are rounding noise and the
    # group coefficient (2e-14, standard error 2e-15) was flagged with p < 0.001, "paid more
    # than comparable Male employees"
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"sex": rng.choice(["F", "M"], 400), "level": rng.choice(["L1", "L2"], 400)})
    df["pay"] = df["level"].map({"L1": 40_000.0, "L2": 52_500.0})
    for log in (True, False):
        gap = fh.pay_gap(df, pay="pay", group="sex", controls="level", log=log)
        row = gap.table.iloc[0]
        assert not row["flagged"] and not row["testable"] and np.isnan(row["p_value"])
        assert "fully explained by the controls" in row["note"]
        assert gap.flagged.empty
    noisy = fh.pay_gap(df.assign(pay=df["pay"] + rng.normal(0, 500, 400)), pay="pay",
                       group="sex", controls="level")
    assert bool(noisy.table.iloc[0]["testable"])


def test_oaxaca_pay_fixed_by_the_features_has_no_unexplained_gap_to_flag():
    # the same fixed pay scale: the unexplained part (1e-11, SE 2e-12) was flagged, p < 0.001
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"sex": rng.choice(["F", "M"], 400), "level": rng.choice(["L1", "L2"], 400)})
    df["pay"] = df["level"].map({"L1": 40_000.0, "L2": 52_500.0})
    dec = fh.oaxaca_blinder(df, outcome="pay", group="sex", features="level",
                            categorical="level")
    assert dec.flagged.empty
    unexplained = dec.overall.set_index("component").loc["unexplained"]
    assert np.isnan(unexplained["p_value"]) and abs(unexplained["estimate"]) < 1e-6
    assert any("fully explained by the features" in w for w in dec.warnings)
