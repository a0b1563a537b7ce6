"""fairhire._sex.normalize_sex: one way of reading sex/gender columns everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhire._sex import FEMALE_SPELLINGS, MALE_SPELLINGS, looks_like_sex, normalize_sex
from fairhire.errors import InvalidParameterError


@pytest.mark.parametrize(
    "spelling", ["M", "m", "Male", "MALE", " male ", "man", "Men", "MEN", "males"]
)
def test_male_spellings(spelling):
    sv = normalize_sex([spelling])
    assert sv.labels.tolist() == ["Male"]
    assert sv.n_male == 1 and sv.n_female == 0


@pytest.mark.parametrize(
    "spelling", ["F", "f", "Female", "FEMALE", "\tfemale\n", "woman", "Women", "females"]
)
def test_female_spellings(spelling):
    sv = normalize_sex([spelling])
    assert sv.labels.tolist() == ["Female"]


def test_other_and_missing_are_counted_not_dropped():
    values = ["Male", "Non-binary", None, np.nan, "", "  ", "Prefer not to say", "F", pd.NA]
    sv = normalize_sex(values)
    assert sv.labels.tolist() == ["Male", None, None, None, None, None, None, "Female", None]
    assert sv.other == {"Non-binary": 1, "Prefer not to say": 1}
    assert sv.missing == 5
    assert sv.counts() == {"Male": 1, "Female": 1, "other": 2, "missing": 5}
    # every value is accounted for
    assert sum(sv.counts().values()) == len(values)
    assert sv.is_other.tolist() == [False, True, False, False, False, False, True, False, False]
    assert sv.is_missing.sum() == 5
    text = sv.describe("gender")
    assert "gender: 1 male, 1 female" in text and "Non-binary 1" in text and "5 missing" in text


def test_custom_codes():
    sv = normalize_sex([1, 2, 2, 9, None], male=1, female=2)
    assert sv.labels.tolist() == ["Male", "Female", "Female", None, None]
    assert sv.other == {9: 1}
    # named values are compared ignoring case and whitespace, and may be lists
    sv = normalize_sex(["H", "h ", "F", "X"], male=["H"], female="f")
    assert sv.labels.tolist() == ["Male", "Male", "Female", None]
    # naming male= only replaces the male spellings; female keeps the defaults
    assert normalize_sex(["H", "Woman"], male="H").labels.tolist() == ["Male", "Female"]


def test_conflicting_or_missing_custom_values():
    with pytest.raises(InvalidParameterError, match="both male= and female="):
        normalize_sex(["a"], male="a", female=["a", "b"])
    with pytest.raises(InvalidParameterError, match="male="):
        normalize_sex(["a"], male=None, female=[None])


def test_series_and_mapping_and_input_untouched():
    s = pd.Series(["M", "F", "F", "x"], index=[10, 11, 12, 13])
    before = s.copy()
    sv = normalize_sex(s)
    pd.testing.assert_series_equal(s, before)
    assert sv.mapping == {"M": "Male", "F": "Female"}
    assert sv.is_female.tolist() == [False, True, True, False]


def test_looks_like_sex():
    assert looks_like_sex(["Male", "Female", None])
    assert looks_like_sex(["m", "F"])
    assert not looks_like_sex(["Male", "Non-binary"])
    assert not looks_like_sex(["White", "Asian"])


def test_large_input_is_fast_and_correct():
    values = np.array(["Male", "Female", "Non-binary", None], dtype=object)[
        np.random.default_rng(0).integers(0, 4, 200_000)
    ]
    sv = normalize_sex(values)
    assert sv.n_male + sv.n_female + sv.n_other + sv.missing == len(values)
    assert sv.n_male == int((values == "Male").sum())


@given(
    st.lists(
        st.sampled_from([*sorted(MALE_SPELLINGS | FEMALE_SPELLINGS), "x", "NB", "", None]),
        max_size=40,
    )
)
def test_counts_always_add_up(values):
    sv = normalize_sex(values)
    assert sum(sv.counts().values()) == len(values)
    assert (sv.is_male | sv.is_female | sv.is_other | sv.is_missing).all()
    assert not (sv.is_male & sv.is_female).any()
