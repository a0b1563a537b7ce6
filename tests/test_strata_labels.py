"""Strata, units and categories are labels too: one level spelled two ways is one level.

An HRIS export writes "Level 8" in most rows and "LEVEL 8 " where a record was keyed by hand.
Before, every analysis that compares within levels, periods or units read them as two strata
(each with its own comparison, and a Mantel–Haenszel or regression figure that differs from
the same data spelled tidily), without a word; text controls of the regressions were two
categories. Now every entry point reads them by the group-label rule
(:mod:`fairhire._core.strata`), with a warning naming the user's column, and lists levels in
natural order ("Level 9" before "Level 10").
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire._core.labels import clean_labels
from fairhire._core.strata import clean_category_columns, stratum_order

N = 1500


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    level = rng.choice(["Level 8", "Level 9", "Level 10"], N)
    sex = rng.choice(["Female", "Male"], N)
    promoted = rng.random(N) < np.where(sex == "Female", 0.2, 0.3) + (level == "Level 10") * 0.1
    return pd.DataFrame({
        "Sex": sex, "Level": level, "Dept": rng.choice(["Sales", "Operations"], N),
        "Promoted": promoted, "Applied": True, "Quarter": rng.choice(["2024-Q1", "2024-Q2"], N),
        "Age": rng.integers(25, 64, N), "Tenure": rng.integers(1, 15, N),
        "Pay": 40_000 + 2_000 * rng.integers(1, 15, N) + (sex == "Male") * 1_500.0,
    })


def _messy(staff: pd.DataFrame, column: str) -> pd.DataFrame:
    """The same data with one row in twenty of ``column`` keyed in capitals with a space."""
    rows = np.arange(len(staff)) % 20 == 3
    out = staff.copy()
    out.loc[rows, column] = out.loc[rows, column].str.upper() + " "
    return out


ANALYSES = {
    "adverse_impact": ("Level", lambda d: fh.adverse_impact(
        d, group="Sex", stages=["Applied", "Promoted"], strata="Level"), ("table", "strata")),
    "promotion_disparity": ("Level", lambda d: fh.promotion_disparity(
        d, group="Sex", promoted="Promoted", level="Level", period="Quarter"),
        ("table", "strata", "by_stratum", "regression")),
    "retention": ("Level", lambda d: fh.retention(
        d, group="Sex", exited="Promoted", level="Level"), ("table", "strata", "regression")),
    "monitor": ("Level", lambda d: fh.monitor(
        d, period="Quarter", group="Sex", stages=["Applied", "Promoted"], strata="Level"),
        ("table", "strata")),
    "monitor promoted": ("Level", lambda d: fh.monitor(
        d, period="Quarter", group="Sex", promoted="Promoted", strata="Level"),
        ("table", "strata")),
    "reduction_in_force": ("Dept", lambda d: fh.reduction_in_force(
        d, group="Sex", selected="Promoted", unit="Dept", age="Age"), ("table", "strata")),
    "pay_gap within": ("Level", lambda d: fh.pay_gap(
        d, pay="Pay", group="Sex", within="Level", controls=["Tenure"]), ("table",)),
    "pay_gap controls": ("Dept", lambda d: fh.pay_gap(
        d, pay="Pay", group="Sex", controls=["Tenure", "Dept"]), ("table",)),
    "oaxaca_blinder": ("Dept", lambda d: fh.oaxaca_blinder(
        d, outcome="Pay", group="Sex", features=["Tenure", "Dept"]), ("table",)),
    "promotion controls": ("Dept", lambda d: fh.promotion_disparity(
        d, group="Sex", promoted="Promoted", controls=["Dept"]), ("regression",)),
    "retention controls": ("Dept", lambda d: fh.retention(
        d, group="Sex", exited="Promoted", controls=["Dept"]), ("regression",)),
    "time_to_promotion controls": ("Dept", lambda d: fh.time_to_promotion(
        d, group="Sex", duration="Tenure", event="Promoted", controls=["Dept"]), ("table",)),
}


def _run(analysis, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analysis(data)


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_a_level_spelled_two_ways_is_one_level(staff, name):
    column, analysis, tables = ANALYSES[name]
    messy = _messy(staff, column)
    before = messy.copy()
    tidy, read = _run(analysis, staff), _run(analysis, messy)
    for attr in tables:
        pd.testing.assert_frame_equal(getattr(read, attr), getattr(tidy, attr),
                                      check_dtype=False, obj=f"{name}.{attr}")
    said = [w for w in read.warnings if "merged as" in w]
    assert said and all(f"column {column!r}" in w for w in said), read.warnings
    pd.testing.assert_frame_equal(messy, before)  # the input is not modified


def test_levels_are_listed_in_natural_order(staff):
    pr = fh.promotion_disparity(staff, group="Sex", promoted="Promoted", level="Level")
    assert list(dict.fromkeys(pr.by_stratum["stratum"])) == ["Level 8", "Level 9", "Level 10"]
    rif = fh.reduction_in_force(staff, group="Sex", selected="Promoted", unit="Level", age="Age")
    assert list(dict.fromkeys(rif.table["unit"])) == ["All units", "Level 8", "Level 9",
                                                     "Level 10"]
    gap = fh.pay_gap(staff, pay="Pay", group="Sex", within="Level")
    assert list(dict.fromkeys(gap.table["cell"]))[1:] == ["Level 8", "Level 9", "Level 10"]
    assert sorted(["Level 10", "level 9", 8, None, "L2"], key=stratum_order) == [
        8, "L2", "level 9", "Level 10", None]


def test_a_stratum_named_like_a_non_disclosure_is_not_called_a_group(staff):
    # a level or period called "Unknown" is compared within, never "compared as a group"
    data = staff.assign(Level=staff.Level.where(staff.index % 7 > 0, "Unknown"))
    pr = fh.promotion_disparity(data, group="Sex", promoted="Promoted", level="Level")
    assert not [w for w in pr.warnings if "non-disclosure" in w]
    assert "Unknown" in set(pr.by_stratum["stratum"])
    assert not clean_labels(["Unknown", "L1"], column="level", groups=False).warnings()


def test_category_columns_are_cleaned_on_a_copy():
    df = pd.DataFrame({"dept": ["Sales", "sales ", "Ops", None], "n": [1.0, 2.0, 3.0, 4.0]})
    out, said = clean_category_columns(df, ["dept", "n"])
    assert out["dept"].tolist()[:3] == ["Sales", "Sales", "Ops"] and out["dept"].isna()[3]
    assert df["dept"].tolist()[1] == "sales " and len(said) == 1
    same, none = clean_category_columns(df.iloc[[0, 2]], ["dept"])
    assert none == [] and same is not None


@pytest.mark.parametrize("column, call", [
    ("Level", lambda d: fh.representation(d, group="Sex", level="Level",
                                           order=["Level 8", "Level 9", "Level 10"])),
    ("Rating", lambda d: fh.rating_disparity(d, group="Sex", rating="Rating",
                                              order=["Below", "Meets", "Exceeds"])),
])
def test_ordered_values_spelled_two_ways(staff, column, call):
    # before: "column 'Level' holds values missing from order=: ['LEVEL 10', ...]"
    rng = np.random.default_rng(3)
    data = staff.assign(Rating=rng.choice(["Below", "Meets", "Exceeds"], len(staff)))
    tidy, read = call(data), call(_messy(data, column))
    pd.testing.assert_frame_equal(read.table, tidy.table)
    assert any(f"column {column!r}" in w and "merged as" in w for w in read.warnings)
    lower = call(data.assign(**{column: data[column].str.lower()}))  # one spelling: no warning
    pd.testing.assert_frame_equal(lower.table, tidy.table)


def test_an_order_listing_one_value_twice_is_refused(staff):
    with pytest.raises(fh.InvalidParameterError, match="more than once"):
        fh.representation(staff, group="Sex", level="Level",
                          order=["Level 8", "level 8", "Level 9", "Level 10"])


def test_a_number_stored_as_text_is_the_same_label():
    # an Excel export keeps 8 in number cells and '8' where the cell was formatted as text:
    # adverse_impact stopped ('group labels collide when written as text'), and a level 8
    # and a level '8' were two strata that print alike
    rng = np.random.default_rng(0)
    codes = rng.choice([1, 2], 400).astype(object)
    levels = rng.choice([8, 9, 10], 400).astype(object)
    data = pd.DataFrame({"Code": codes, "Hired": rng.random(400) < 0.4, "Level": levels})
    mixed = data.copy()
    mixed.loc[::7, "Code"] = mixed.loc[::7, "Code"].astype(str)
    mixed.loc[::5, "Level"] = mixed.loc[::5, "Level"].astype(str)
    tidy = fh.adverse_impact(data, group="Code", stages=["Hired"], strata="Level")
    read = fh.adverse_impact(mixed, group="Code", stages=["Hired"], strata="Level")
    for attr in ("table", "strata"):
        pd.testing.assert_frame_equal(getattr(read, attr), getattr(tidy, attr), check_dtype=False)
    assert any("written as a number and as text" in w for w in read.warnings)
    pr = fh.promotion_disparity(mixed, group="Code", promoted="Hired", level="Level")
    assert list(dict.fromkeys(pr.by_stratum["stratum"])) == ["8", "9", "10"]
    assert clean_labels([2, "2", 1], column="Code", unknown_labels=["2"]).n_unknown == 2
