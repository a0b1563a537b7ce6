"""``reference=`` naming a group that is in the data but has every row excluded: the error says
so (one wrapper, every analysis), instead of calling the group unknown as if it were a typo."""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh
from fairhire._core.reference_rows import rows_of_group


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    w = fh.datasets.make_workforce(600, random_state=3, exits=True)
    w["sex"] = w["sex"].astype(object)
    extra = w.head(4).copy()
    extra["sex"] = "Unsaid"
    for column in ("promoted", "left"):
        extra[column] = None  # every outcome the analyses read is blank for this group
    extra["salary"] = float("nan")
    return pd.concat([w, extra], ignore_index=True)


CALLS = {
    "promotion_disparity": lambda d, r: fh.promotion_disparity(
        d, group="sex", promoted="promoted", reference=r),
    "pay_gap": lambda d, r: fh.pay_gap(d, pay="salary", group="sex", reference=r),
    "retention": lambda d, r: fh.retention(d, group="sex", exited="left", reference=r),
    "adverse_impact": lambda d, r: fh.adverse_impact(
        d, group="sex", stages=["promoted"], reference=r),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_reference_whose_rows_were_all_excluded_is_said_to_be(staff, name):
    before = staff.copy(deep=True)
    with pytest.raises(fh.errors.InvalidParameterError) as info:
        CALLS[name](staff, "unsaid")  # matched ignoring case, as reference= always is
    message = str(info.value)
    assert "'unsaid' is not one of the groups" in message
    assert "The data has 4 rows of that group, and every one was excluded" in message
    assert "reasons in its rows and warnings" in message
    pd.testing.assert_frame_equal(staff, before)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_reference_not_in_the_data_keeps_the_plain_message(staff, name):
    with pytest.raises(fh.errors.InvalidParameterError) as info:
        CALLS[name](staff, "Femal")
    message = str(info.value)
    assert "'Femal' is not one of the groups" in message
    assert "excluded" not in message


def test_rows_of_group_matches_intersections_and_spellings():
    frame = pd.DataFrame({"sex": ["F", "f ", "M", None], "race": ["A", "A", "A", "A"]})
    assert rows_of_group(frame, ["sex", "race"], ("F", "A")) == 2
    assert rows_of_group(frame, ["sex", "race"], "F × A") == 2
    assert rows_of_group(frame, ["sex"], "X") == 0


def test_the_wrapper_keeps_the_signature_and_docstring():
    import inspect

    assert "reference" in inspect.signature(fh.adverse_impact).parameters
    assert fh.pay_gap.__doc__ and "Examples" in fh.pay_gap.__doc__
