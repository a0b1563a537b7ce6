"""Numbers stored as text in a regression control (fairhire._core.numbers).

A spreadsheet column of tenures with one blank cell written as a space comes back from pandas as
text or objects; every regression read it as categories (191 dummy columns for a tenure in
years and tenths) without a word. The analyses still read text as categories, and now say so
when every value is a number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire._core.numbers import numbers_as_categories
from fairhire.errors import InvalidValueError


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 400
    df = pd.DataFrame({
        "sex": rng.choice(["Female", "Male"], n),
        "salary": rng.normal(60_000, 5_000, n).round(2),
        "promoted": rng.choice([True, False], n),
        "tenure": rng.uniform(0, 10, n).round(0),
        "level": rng.choice(["L1", "L2"], n),
    })
    df["tenure"] = df["tenure"].astype(object)
    df.loc[df.index[::50], "tenure"] = " "  # a blank cell, as a spreadsheet export writes it
    return df


RUNS = {
    "pay_gap": lambda d: fh.pay_gap(d, pay="salary", group="sex", controls=["level", "tenure"]),
    "promotion_disparity": lambda d: fh.promotion_disparity(
        d, group="sex", promoted="promoted", controls=["tenure"]),
    "retention": lambda d: fh.retention(d, group="sex", exited="promoted", controls=["tenure"]),
    "oaxaca_blinder": lambda d: fh.oaxaca_blinder(d, outcome="salary", group="sex",
                                                  features=["level", "tenure"]),
}


@pytest.mark.parametrize("name", list(RUNS))
def test_numbers_read_as_categories_are_named(staff, name):
    result = RUNS[name](staff)
    named = [w for w in result.warnings if "'tenure'" in w and "only numbers" in w]
    assert len(named) == 1 and "pandas.to_numeric" in named[0]
    numeric = staff.assign(tenure=pd.to_numeric(staff["tenure"], errors="coerce"))
    assert not any("only numbers" in w for w in RUNS[name](numeric).warnings)


def test_which_columns_are_numbers_as_categories():
    def warns(values):
        return numbers_as_categories(pd.Series(values), "x", argument="controls") is not None

    assert warns(["1", " 2.5", None, " "]) and warns([1.5, 2, np.nan, ""])
    assert not warns(["L1", "2"]) and not warns([True, False]) and not warns([None, " "])
    assert not warns(pd.Series([1.0, 2.0])) and not warns(pd.Categorical(["1", "2"]))
    assert not warns(pd.Series(["1", "2"], dtype="string").str.len().astype("Int64"))


def test_oaxaca_collinear_because_of_numbers_as_text_says_so(staff):
    # a tenure in tenths held as text: one dummy per value, collinear within a group; the
    # error listed hundreds of 'tenure[1.4]' terms and not the cause
    from fairhire.stats.regression import CollinearityError

    rng = np.random.default_rng(1)
    fine = staff.assign(tenure=rng.uniform(0, 20, len(staff)).round(1).astype(object))
    fine.loc[fine.index[::50], "tenure"] = " "
    with pytest.raises(CollinearityError, match=r"^column 'tenure' \(features=\) holds only "
                                                r"numbers") as caught:
        fh.oaxaca_blinder(fine, outcome="salary", group="sex", features=["tenure"])
    assert len(str(caught.value)) < 1_000


# --- numbers held as Python objects are numbers ---------------------------------------------


def _objects(values: pd.Series) -> pd.Series:
    """The same numbers as Python objects, the way pd.concat with a None column leaves them."""
    from decimal import Decimal

    out = values.astype(object)
    out.iloc[::7] = [Decimal(str(v)) for v in out.iloc[::7]]  # a database's NUMERIC values
    out.iloc[3] = None
    return out


NUMERIC_ROLES = {
    "cutoff_analysis": ("score", lambda d: fh.cutoff_analysis(d, score="score", group="sex")),
    "ll144_audit": ("score", lambda d: fh.ll144_audit(d, sex="sex", race="race", score="score")),
    "time_to_exit": ("tenure_months", lambda d: fh.time_to_exit(
        d, group="sex", duration="tenure_months", event="exited")),
    "time_to_promotion": ("months_in_level", lambda d: fh.time_to_promotion(
        d, group="sex", duration="months_in_level", event="promoted")),
    "reduction_in_force": ("age", lambda d: fh.reduction_in_force(
        d, group="sex", selected="laid_off", age="age")),
}


NUMERIC_ROLES.update({
    "pay_gap": ("salary", lambda d: fh.pay_gap(d, pay="salary", group="sex",
                                               controls=["level", "tenure_years"])),
    "pay_gap controls": ("tenure_years", lambda d: fh.pay_gap(
        d, pay="salary", group="sex", controls=["level", "tenure_years"])),
    "oaxaca_blinder": ("tenure_years", lambda d: fh.oaxaca_blinder(
        d.loc[d["sex"] != "Non-binary"], outcome="salary", group="sex",
        features=["tenure_years"])),
    "uk_pay_gap_metrics": ("hourly_pay", lambda d: fh.uk_pay_gap_metrics(
        d, hourly_pay="hourly_pay", sex="sex", bonus="bonus")),
    "eu_pay_transparency_metrics": ("salary", lambda d: fh.eu_pay_transparency_metrics(
        d, pay="salary", sex="sex", hours="hours")),
    "retention controls": ("tenure_years", lambda d: fh.retention(
        d, group="sex", exited="left", controls=["tenure_years"])),
    "promotion_disparity controls": ("tenure_years", lambda d: fh.promotion_disparity(
        d, group="sex", promoted="promoted", controls=["tenure_years"])),
})


@pytest.mark.parametrize("name", sorted(NUMERIC_ROLES))
def test_a_numeric_column_of_python_objects_gives_the_float_column_s_result(name):
    staff = fh.datasets.make_workforce(500, random_state=4, exits=True)
    staff = staff.dropna(subset=["laid_off"]).reset_index(drop=True)
    staff["score"] = staff["salary"].round(-2) / 1000
    staff["race"] = staff["race"].astype(object).where(
        staff["race"].isin(["White", "Asian", "Black or African American"]), "White")
    column, run = NUMERIC_ROLES[name]
    floats = staff.copy()
    floats[column] = floats[column].astype(float)
    floats.loc[3, column] = float("nan")
    objects = staff.copy()
    objects[column] = _objects(floats[column])
    kept = objects.copy(deep=True)
    a, b = run(floats), run(objects)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.rows == b.rows and a.fingerprint == b.fingerprint
    assert a.warnings == b.warnings  # no "numbers stored as text" warning either
    pd.testing.assert_frame_equal(objects, kept)  # the user's frame is not converted in place


@pytest.mark.parametrize("column, run", [
    ("score", lambda d: fh.rater_disparity(d, rater="interviewer", candidate_group="sex",
                                           score="score")),
    ("technical", lambda d: fh.rubric_consistency(
        d, candidate="candidate_id", rater="interviewer", criteria=["technical", "experience"],
        candidate_group="sex")),
])
def test_interview_scores_held_as_python_objects_are_numbers(column, run):
    data = fh.datasets.make_interviews(300, random_state=1)
    frame = data.decisions if column == "score" else data.scores
    objects = frame.assign(**{column: frame[column].astype(object)})
    a, b = run(frame), run(objects)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.fingerprint == b.fingerprint


def _numbers_with_a_dash(n: int = 60) -> list[object]:
    values: list[object] = [str(20 + i % 30) for i in range(n)]
    values[3] = values[11] = "—"
    values[7] = "pending"
    return values


CALLS = {
    "cutoff_analysis": lambda d: fh.cutoff_analysis(d, score="x", group="g", cutoffs=[30]),
    "ll144_audit": lambda d: fh.ll144_audit(d.assign(race="White"), sex="g", race="race",
                                            score="x"),
    "time_to_exit": lambda d: fh.time_to_exit(d, group="g", duration="x", event="e"),
    "time_to_promotion": lambda d: fh.time_to_promotion(d, group="g", duration="x", event="e"),
    "reduction_in_force": lambda d: fh.reduction_in_force(d, group="g", selected="e", age="x"),
    "rater_disparity": lambda d: fh.rater_disparity(d, rater="r", candidate_group="g",
                                                    score="x"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_number_column_with_text_names_the_text(name):
    """One check for every score, age and duration column: the error lists the cells that
    are not numbers, with their counts (it said "it has type String" or quoted the first five
    values, numbers included)."""
    values = _numbers_with_a_dash()
    data = pd.DataFrame({"g": ["Male", "Female"] * 30, "x": values,
                         "e": [True, False, False] * 20, "r": ["A", "B", "C"] * 20})
    before = data.copy()
    with pytest.raises(InvalidValueError, match=r"column 'x' \(\w+=\) must hold numbers[^;]*; "
                       r"3 rows hold text that is not a number: '—' \(2 rows\), 'pending' \(1 row\)"):
        CALLS[name](data)
    pd.testing.assert_frame_equal(data, before)
