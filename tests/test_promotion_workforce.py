"""End to end on the synthetic workforce: the four analyses find the injected disparities.

``fh.datasets.make_workforce`` documents what it injects in ``WORKFORCE_TRUTH``: promotion odds
ratio 0.7 for women at L2 and L3 (given level and rating), slower promotion for women, a lower
top-rating share for women, and fewer women at higher levels.
"""

from __future__ import annotations

import pytest

import fairhire as fh
from fairhire.datasets.workforce import LEVELS, WORKFORCE_TRUTH


@pytest.fixture(scope="module")
def staff():
    return fh.datasets.make_workforce(20_000, random_state=0)


def test_promotion_gap_at_l2_l3(staff):
    pr = fh.promotion_disparity(staff, group="sex", promoted="promoted", level="level",
                                controls=["performance_rating"], min_share=0.02)  # fmt: skip
    by = pr.by_stratum.set_index(["stratum", "group"])
    for lv in WORKFORCE_TRUTH["promotion_odds_ratio_levels"]:
        assert bool(by.loc[(lv, "Female"), "adverse_impact"])
        assert by.loc[(lv, "Female"), "p_value_adjusted"] < 0.001
    assert pr.strata.set_index("group").loc["Female", "mh_odds_ratio"] < 1
    # within L2-L3, given level and rating, the odds ratio is the injected 0.7
    l23 = staff.loc[staff["level"].isin(WORKFORCE_TRUTH["promotion_odds_ratio_levels"])]
    pr23 = fh.promotion_disparity(l23, group="sex", promoted="promoted", level="level",
                                  controls=["performance_rating"], reference="Male")  # fmt: skip
    reg = pr23.regression.set_index("term").loc["Female"]
    assert reg.ci_low < WORKFORCE_TRUTH["promotion_odds_ratio"] < reg.ci_high
    assert any(h.severity == 3 for h in pr.headlines())


def test_slower_promotion_for_women(staff):
    tt = fh.time_to_promotion(staff, group="sex", duration="months_in_level", event="promoted",
                              controls=["level"], reference="Male")  # fmt: skip
    f = tt.table.set_index("group").loc["Female"]
    assert f.hazard_ratio < 1 and f.hr_ci_high < 1
    assert tt.logrank["p_value"] < 0.001
    assert tt.rows.excluded["missing group"] == int(staff["sex"].isna().sum())


def test_fewer_women_at_higher_levels(staff):
    rep = fh.representation(staff, group="sex", level="level", order=list(LEVELS))
    tr = rep.trend.set_index("group").loc["Female"]
    assert tr.direction == "falls" and tr.p_value_adjusted < 0.001
    shares = rep.shares()["Female"]
    assert shares.iloc[0] > shares.iloc[-1]


def test_lower_top_rating_share_for_women(staff):
    rd = fh.rating_disparity(staff, group="sex", rating="performance_rating", min_share=0.02)
    t = rd.table.set_index("group")
    assert bool(t.loc["Female", "adverse_impact"])
    assert t.loc["Female", "top_share"] == pytest.approx(
        WORKFORCE_TRUTH["top_rating_share"]["Female"], abs=0.01
    )
