"""Group codes (1, 2, 3) read as floats because one cell is blank are the same groups.

pandas reads a CSV column of 1, 2, 3 with one empty cell as the floats 1.0, 2.0, 3.0 and NaN;
without the empty cell it reads integers. Every analysis used to name the groups "1.0", "2.0"
in the first case and "1", "2" in the second: the same export gave other group names (and
other sentences) depending on one blank cell. A whole-number label is now the integer it
holds, in every analysis.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import fairhire as fh


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    st = fh.datasets.make_workforce(1_500, random_state=1)
    codes = st.sex.map({"Female": 1.0, "Male": 2.0}).astype(float)
    codes[:5] = np.nan  # one blank cell makes the column float
    return st.assign(code=codes, d=st.tenure_years, q=np.arange(len(st)) % 2)


ANALYSES = {
    "adverse_impact": lambda d: fh.adverse_impact(d, group="code", stages=["promoted"]),
    "pay_gap": lambda d: fh.pay_gap(d, pay="salary", group="code", controls=["level"]),
    "promotion_disparity": lambda d: fh.promotion_disparity(d, group="code",
                                                            promoted="promoted", level="level"),
    "retention": lambda d: fh.retention(d, group="code", exited="left"),
    "time_to_promotion": lambda d: fh.time_to_promotion(d, group="code",
                                                        duration="months_in_level",
                                                        event="promoted"),
    "time_to_exit": lambda d: fh.time_to_exit(d, group="code", duration="d", event="left"),
    "rating_disparity": lambda d: fh.rating_disparity(d, group="code",
                                                      rating="performance_rating"),
    "monitor": lambda d: fh.monitor(d, period="q",
                                    group="code", promoted="promoted"),
}


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_whole_number_codes_are_the_same_groups_with_or_without_a_blank(staff, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blank = ANALYSES[name](staff)
        whole = staff.dropna(subset=["code"])
        ints = ANALYSES[name](whole.assign(code=whole.code.astype(int)))
    groups = {str(g) for g in blank.table["group"].dropna()}
    assert groups and groups <= {"1", "2"}, groups
    assert groups == {str(g) for g in ints.table["group"].dropna()}
    # the rows with a blank code are left out (missing group): the same rows are compared
    pd.testing.assert_frame_equal(blank.table, ints.table, check_dtype=False)
    said = blank.summary() + " ".join(blank.warnings)
    assert not re.search(r"\b[12]\.0\b", said), said


def test_one_sex_spelled_two_ways_is_one_group_in_every_analysis(staff):
    # "F" beside "Female" were two groups for adverse_impact(group=...) and one for
    # ll144_audit(sex=...): the same column, other groups depending on the function
    rng = np.random.default_rng(0)
    short = {"Female": "F", "Male": "M"}
    spelled = staff.sex.where(rng.random(len(staff)) < 0.7, staff.sex.map(short).fillna(staff.sex))
    data = staff.assign(gender=spelled)
    assert {"F", "Female", "M", "Male"} <= set(data.gender.dropna())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("adverse_impact", "promotion_disparity", "retention", "pay_gap"):
            mixed = ANALYSES[name](data.assign(code=data.gender))
            clean = ANALYSES[name](data.assign(code=staff.sex))
            pd.testing.assert_frame_equal(mixed.table, clean.table, check_dtype=False)
            assert any("read 'F' as 'Female', 'M' as 'Male' (one sex spelled two ways"
                       in w for w in mixed.warnings), name
    ll = fh.ll144_audit(data.assign(race="White"), sex="gender", race="race",
                        selected="promoted")
    impact = fh.adverse_impact(data, group="gender", stages=["promoted"])
    for groups in (set(ll.sex["category"]), set(impact.table["group"])):
        assert {"Female", "Male"} <= groups and not {"F", "M"} & groups


def test_a_lone_abbreviation_is_left_as_written():
    # no sex spelled twice: "F" beside "Male" are two labels as the export wrote them
    df = pd.DataFrame({"g": ["F", "Male"] * 40, "hired": [True, False, False, True] * 20})
    r = fh.adverse_impact(df, group="g", stages=["hired"])
    assert set(r.table["group"]) == {"F", "Male"} and not r.warnings


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_invisible_characters_do_not_make_a_group(staff, name):
    # a web form's zero-width space or byte-order mark: 'Female\u200b' prints as 'Female' and
    # was a group of its own in every analysis (and an unknown EEO-1 label in ll144_audit)
    rng = np.random.default_rng(1)
    marks = np.array(["", "\u200b", "\ufeff", "\u00ad"])[rng.integers(0, 4, len(staff))]
    data = staff.assign(code=staff.sex.astype(str) + marks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        marked = ANALYSES[name](data)
        clean = ANALYSES[name](staff.assign(code=staff.sex))
    pd.testing.assert_frame_equal(marked.table, clean.table, check_dtype=False)
    assert any("merged as" in w for w in marked.warnings)


def test_invisible_characters_in_eeo_labels():
    df = pd.DataFrame({"sex": ["Female\u200b", "Male"] * 30, "race": ["White\ufeff"] * 60,
                       "advanced": [True, False, False, True] * 15})
    ll = fh.ll144_audit(df, sex="sex", race="race", selected="advanced")
    assert ll.sex.set_index("category").loc["Female", "applicants"] == 30
    assert ll.race.set_index("race").loc["White", "applicants"] == 60


def test_invisible_characters_in_yes_no_cells():
    df = pd.DataFrame({"g": ["F", "M"] * 30, "s": ["Yes\u200b", "No\ufeff"] * 30})
    plain = df.assign(s=df.s.str.replace("\u200b", "").str.replace("\ufeff", ""))
    pd.testing.assert_frame_equal(fh.adverse_impact(df, group="g", stages="s").table,
                                  fh.adverse_impact(plain, group="g", stages="s").table)
