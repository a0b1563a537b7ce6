"""make_workforce: shape, determinism, and that the documented disparities are really there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import fairhire as fh
from fairhire.datasets.workforce import LEVELS, RACES, WORKFORCE_TRUTH
from fairhire.errors import InvalidParameterError

COLUMNS = [
    "employee_id", "sex", "race", "age_band", "level", "job_family", "location",
    "tenure_years", "months_in_level", "promoted", "left", "performance_rating", "salary",
    "hourly_pay", "bonus", "full_pay", "hours",
]  # fmt: skip


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return fh.datasets.make_workforce(60_000, random_state=3)


def test_columns_and_types():
    wf = fh.datasets.make_workforce(500)
    assert list(wf.columns) == COLUMNS
    assert wf.employee_id.is_unique
    assert set(wf.level) <= set(LEVELS)
    assert set(wf.sex.dropna()) <= {"Male", "Female", "Non-binary"}
    assert set(wf.race.dropna()) <= set(RACES)
    assert wf.performance_rating.between(1, 5).all()
    assert (wf.months_in_level > 0).all()
    assert (wf.salary > 0).all() and (wf.hourly_pay > 0).all() and (wf.bonus >= 0).all()
    assert not (wf.promoted & wf.left).any()
    assert (wf.tenure_years >= wf.months_in_level / 12 - 0.05).all()
    for col in ("promoted", "left", "full_pay"):
        assert wf[col].dtype == bool


def test_deterministic():
    a = fh.datasets.make_workforce(300, random_state=7)
    b = fh.datasets.make_workforce(300, random_state=7)
    c = fh.datasets.make_workforce(300, random_state=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.salary.equals(c.salary)


def test_missing_and_other_values_present(big):
    share = big.sex.value_counts(dropna=False, normalize=True)
    assert 0.005 < share["Non-binary"] < 0.015
    assert 0.005 < big.sex.isna().mean() < 0.015
    assert 0 < big.race.isna().sum() < 0.01 * len(big)


def test_fewer_women_at_higher_levels(big):
    shares = big.groupby("sex")["level"].value_counts(normalize=True).unstack()
    assert shares.loc["Female", "L5"] < shares.loc["Male", "L5"]
    assert shares.loc["Female", "L1"] > shares.loc["Male", "L1"]
    women_share = (
        big[big.sex.isin(["Male", "Female"])]
        .groupby("level")["sex"]
        .apply(lambda s: (s == "Female").mean())
    )
    assert women_share.is_monotonic_decreasing


def test_pay_gap_recovered(big):
    d = big[big.sex.isin(["Male", "Female"])].dropna(subset=["race"])
    fit = smf.ols(
        "np.log(salary) ~ C(sex, Treatment('Male')) + level + job_family + location"
        " + tenure_years + performance_rating + C(race, Treatment('White'))",
        d,
    ).fit()
    beta = fit.params["C(sex, Treatment('Male'))[T.Female]"]
    assert np.log(1 - WORKFORCE_TRUTH["pay_gap_within_level_family"]) == pytest.approx(
        beta, abs=3 * fit.bse["C(sex, Treatment('Male'))[T.Female]"]
    )
    black = fit.params["C(race, Treatment('White'))[T.Black or African American]"]
    assert black == pytest.approx(-0.03, abs=0.006)


def test_no_gap_when_switched_off():
    wf = fh.datasets.make_workforce(20_000, random_state=4, pay_gap=0.0)
    d = wf[wf.sex.isin(["Male", "Female"])]
    fit = smf.ols(
        "np.log(salary) ~ sex + level + job_family + location + tenure_years + performance_rating",
        d,
    ).fit()
    assert abs(fit.tvalues["sex[T.Male]"]) < 3.5


def test_promotion_odds_ratio_recovered(big):
    d = big[big.sex.isin(["Male", "Female"]) & big.level.isin(["L2", "L3"])].assign(
        p=lambda x: x.promoted.astype(int)
    )
    fit = smf.logit("p ~ C(sex, Treatment('Male')) + level + performance_rating", d).fit(disp=0)
    odds = np.exp(fit.params["C(sex, Treatment('Male'))[T.Female]"])
    assert odds == pytest.approx(WORKFORCE_TRUTH["promotion_odds_ratio"], abs=0.08)


def test_ratings_and_time_to_promotion(big):
    top = big.groupby("sex")["performance_rating"].apply(lambda r: (r == 5).mean())
    assert top["Male"] == pytest.approx(0.10, abs=0.01)
    assert top["Female"] == pytest.approx(WORKFORCE_TRUTH["top_rating_share"]["Female"], abs=0.01)
    promoted = big[big.promoted & big.sex.isin(["Male", "Female"]) & (big.level == "L1")]
    months = promoted.groupby("sex")["months_in_level"].mean()
    assert months["Female"] / months["Male"] == pytest.approx(1.25, abs=0.08)


def test_bonus_and_full_pay(big):
    bonus_share = big.groupby("sex")["bonus"].apply(lambda b: (b > 0).mean())
    assert bonus_share["Female"] < bonus_share["Male"]
    assert (big.bonus == 0).mean() > 0.5
    not_full = 1 - big.groupby("sex")["full_pay"].mean()
    assert not_full["Female"] > not_full["Male"]


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"n_employees": 0}, "n_employees"),
        ({"n_employees": 2.5}, "n_employees"),
        ({"pay_gap": 0.9}, "pay_gap"),
        ({"promotion_odds_ratio": 0}, "promotion_odds_ratio"),
        ({"time_to_promotion_ratio": -1}, "time_to_promotion_ratio"),
    ],
)
def test_bad_parameters(kwargs, word):
    with pytest.raises(InvalidParameterError, match=word):
        fh.datasets.make_workforce(**kwargs)
