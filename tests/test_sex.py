"""fairhire._sex.read_sex: how a ``sex=`` column is read for two-sex figures (UK, EU).

It is a thin layer over the shared label rule (``clean_labels(..., sex=True)``): common
spellings read as Male/Female, case and space variants merged with a warning, every other and
every missing value counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhire._core.labels import FEMALE_SPELLINGS, MALE_SPELLINGS
from fairhire._sex import read_sex
from fairhire.errors import InsufficientDataError, InvalidParameterError


@pytest.mark.parametrize(
    "spelling", ["M", "m", "Male", "MALE", " male ", "man", "Men", "MEN", "males"]
)
def test_male_spellings(spelling):
    r = read_sex([spelling], [3], column="sex")
    assert r.codes.tolist() == [0] and r.n_male == 3 and r.n_female == 0
    assert r.male_values == (spelling,)


@pytest.mark.parametrize(
    "spelling", ["F", "f", "Female", "FEMALE", "\tfemale\n", "woman", "Women", "females"]
)
def test_female_spellings(spelling):
    assert read_sex([spelling], column="sex").codes.tolist() == [1]


def test_other_and_missing_are_counted_not_dropped():
    values = [
        "Male",
        "Non-binary",
        None,
        np.nan,
        "",
        "  ",
        "Prefer not to say",
        "F",
        pd.NA,
        "non-binary ",
    ]
    r = read_sex(values, [1] * len(values), column="gender", unknown_labels=["prefer not to say"])
    assert r.codes.tolist() == [0, -1, -2, -2, -2, -2, -2, 1, -2, -1]
    assert dict(r.other) == {"Non-binary": 2}  # case and space variants merged
    assert r.missing == 6  # blanks, NaN, NA and the unknown label
    assert r.n_male + r.n_female + r.n_other + r.missing == len(values)
    assert "gender: 1 male, 1 female; 2 other (Non-binary 2); 6 missing." == r.describe()
    assert any("merged" in w for w in r.warnings)
    (warning,) = r.two_sex_warning("employees", "metrics")
    assert warning.startswith("8 employees whose sex is not recorded as male or female")


def test_spellings_are_reported_as_recodings():
    r = read_sex(["Male", "male", " MALE ", "Female"], [10, 2, 1, 9], column="sex")
    assert r.n_male == 13 and r.male_values == ("Male", "male", " MALE ")
    assert any("'male' as 'Male'" in w for w in r.warnings)


def test_custom_codes():
    r = read_sex([1, 2, 2, 9, None], column="sex", male=1, female=2)
    assert r.codes.tolist() == [0, 1, 1, -1, -2] and dict(r.other) == {9: 1}
    # named values are compared ignoring case and spaces, and may be lists
    r = read_sex(["H", "h ", "F", "X"], column="sex", male=["H"], female="f")
    assert r.codes.tolist() == [0, 0, 1, -1]
    # naming male= only replaces the male spellings; female keeps the defaults
    assert read_sex(["H", "Woman", "M"], column="sex", male="H").codes.tolist() == [0, 1, -1]


def test_conflicting_or_missing_custom_values():
    with pytest.raises(InvalidParameterError, match="both male= and female="):
        read_sex(["a"], column="sex", male="a", female=["a", "b"])
    with pytest.raises(InvalidParameterError, match="female="):
        read_sex(["a"], column="sex", female=[None])


def test_both_sexes_are_required():
    r = read_sex(["M", "X"], [3, 1], column="gender")
    with pytest.raises(InsufficientDataError, match=r"'gender'.*3 men and 0 women.*male="):
        r.require_both(["M", "X"])


def test_distinct_values_with_counts_stand_for_many_rows():
    values = ["Male", "Female", "Non-binary", None]
    counts = [400_000, 350_000, 5_000, 1_234]
    r = read_sex(values, counts, column="sex")
    assert (r.n_male, r.n_female, r.n_other, r.missing) == (400_000, 350_000, 5_000, 1_234)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([*sorted(MALE_SPELLINGS | FEMALE_SPELLINGS), "x", "NB", "", None]),
            st.integers(0, 50),
        ),
        max_size=20,
    )
)
def test_counts_always_add_up(pairs):
    values, counts = [p[0] for p in pairs], [p[1] for p in pairs]
    r = read_sex(values, counts, column="sex")
    assert r.n_male + r.n_female + r.n_other + r.missing == sum(counts)
    assert len(r.codes) == len(values)


@pytest.mark.parametrize(("female", "male"), [("Frau", "Mann"), ("Femme", "Homme"),
                                              ("Mujer", "Hombre"), ("weiblich", "männlich"),
                                              ("Donna", "Uomo"), ("Mulher", "Homem"),
                                              ("Vrouw", "Man")])
def test_an_eu_export_s_words_for_the_sexes_are_read(female, male):
    # an EU pay-transparency report is made from exports in the member states' languages;
    # 'Frau' / 'Mann' gave "0 men and 0 women" (e3dc064)
    import fairhire as fh

    rng = np.random.default_rng(0)
    sex = rng.choice([female, male], 400)
    pay = np.where(sex == male, 31.0, 29.0) + rng.normal(0, 3, 400)
    local = fh.eu_pay_transparency_metrics(pd.DataFrame({"sex": sex, "pay": pay}),
                                           pay="pay", sex="sex")
    english = fh.eu_pay_transparency_metrics(
        pd.DataFrame({"sex": np.where(sex == male, "Male", "Female"), "pay": pay}),
        pay="pay", sex="sex")
    pd.testing.assert_frame_equal(local.indicators, english.indicators)
