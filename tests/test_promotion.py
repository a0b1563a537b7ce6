"""promotion_disparity: rates through the adverse-impact engine, strata, logistic regression.

References:
- 2×2 table (UGESP Q&A 12 style, METHODS.md §1): focal 12 promoted of 40, reference 48 of 80:
  impact ratio 0.5, pooled Z = −3.09839 (p = 0.00194577), Fisher two-sided p = 0.00340922
  (scipy ``fisher_exact`` cross-check), shortfall 12, smallest k to four-fifths 8.
- Stratified: Berkeley 1973 admissions (R ``datasets::UCBAdmissions``) read as six "levels"
  with "admitted" as the promotion: MH odds ratio (men vs women) 0.904697, CI (0.771907,
  1.06033), so women vs men 1/0.904697; CMH χ² 1.52461 (p 0.216924), corrected 1.42695;
  Breslow–Day (Tarone) 18.8255 (p 0.00207139). Aggregate women/men rate ratio 0.68183, the
  Simpson's-paradox reversal. R ``glm(cbind(Admitted, Rejected) ~ Gender + Dept, binomial)``
  gives GenderFemale 0.09987 (se 0.08085, p = 0.217): OR 1.105 (statsmodels cross-check).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import fairhire as fh
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)
from fairhire.promotion.rates import PromotionDisparityResult, promotion_disparity


def rows_from_counts(cells, *, group="sex", level=None):
    """Employee rows from (group, [level,] n, promoted) cells."""
    parts = []
    for cell in cells:
        if level is None:
            g, n, k = cell
            extra = {}
        else:
            g, lv, n, k = cell
            extra = {level: lv}
        parts.append(pd.DataFrame({group: [g] * n, "promoted": [True] * k + [False] * (n - k),
                                   **{c: [v] * n for c, v in extra.items()}}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def ucb_rows():
    ucb = fh.datasets.load_ucb_admissions()
    cells = [(r.sex, r.department, int(r.applicants), int(r.admitted)) for r in ucb.itertuples()]
    return rows_from_counts(cells, level="department")


def test_two_by_two_reference_values():
    df = rows_from_counts([("women", 40, 12), ("men", 80, 48)])
    pr = promotion_disparity(df, group="sex", promoted="promoted")
    assert isinstance(pr, PromotionDisparityResult)
    row = pr.table.set_index("group").loc["women"]
    assert row.applicants == 40 and row.selected == 12
    assert row.impact_ratio == 0.5
    assert bool(row.adverse_impact)
    assert row.z == pytest.approx(-3.09839, abs=1e-5)
    assert row.p_value_z == pytest.approx(0.00194577, abs=1e-8)
    assert row.p_value_fisher == pytest.approx(0.00340922, abs=1e-8)
    scipy_p = stats.fisher_exact([[12, 28], [48, 32]]).pvalue
    assert row.p_value_fisher == pytest.approx(scipy_p, rel=1e-12)
    assert row.shortfall == 12.0 and row.shortfall_four_fifths == 8
    assert pr.reference_group == "men"
    assert pr.strata is None and pr.by_stratum is None
    # logistic regression without controls = the crude odds ratio (12/28)/(48/32)
    reg = pr.regression.set_index("group").loc["women"]
    assert reg.odds_ratio == pytest.approx((12 / 28) / (48 / 32), rel=1e-6)
    assert pr.rows.total == 120 and pr.rows.used == 120
    heads = pr.headlines()
    assert heads and heads[0].severity == 3
    assert "four-fifths" in heads[0].text and "discriminat" not in heads[0].text.lower()


def test_exactly_four_fifths_is_not_flagged():
    df = rows_from_counts([("a", 20, 12), ("b", 20, 15)])
    row = promotion_disparity(df, group="sex", promoted="promoted", regression=False)
    a = row.table.set_index("group").loc["a"]
    assert a.impact_ratio == pytest.approx(0.8) and not a.adverse_impact


def test_stratified_berkeley_as_levels():
    pr = promotion_disparity(ucb_rows(), group="sex", promoted="promoted", level="department")
    overall = pr.table.set_index("group").loc["Female"]
    assert overall.impact_ratio == pytest.approx(0.68183, abs=1e-5)
    s = pr.strata.set_index("group").loc["Female"]
    assert s.mh_odds_ratio == pytest.approx(1 / 0.904697, rel=1e-5)
    assert s.mh_ci_low == pytest.approx(1 / 1.06033, rel=1e-5)
    assert s.mh_ci_high == pytest.approx(1 / 0.771907, rel=1e-5)
    assert s.cmh_statistic == pytest.approx(1.52461, abs=1e-5)
    assert s.cmh_p_value == pytest.approx(0.216924, abs=1e-6)
    assert s.cmh_statistic_corrected == pytest.approx(1.42695, abs=1e-5)
    assert s.breslow_day_statistic == pytest.approx(18.8255, abs=1e-4)
    assert s.breslow_day_p_value == pytest.approx(0.00207139, abs=1e-7)
    assert s.n_strata == 6 and bool(s.reversal)
    assert any("Simpson" in w for w in pr.warnings)
    # within-department comparisons: department A favours women (men flagged there)
    a = pr.by_stratum.loc[pr.by_stratum["stratum"] == "A"].set_index("group")
    assert a.loc["Female", "is_reference"] and a.loc["Male", "impact_ratio"] < 0.8
    assert sorted(pr.by_stratum["stratum"].unique()) == list("ABCDEF")
    assert (pr.by_stratum["department"] == pr.by_stratum["stratum"]).all()
    # logistic regression with department fixed effects: R glm GenderFemale 0.09987
    reg = pr.regression.set_index("term")
    male_ref = pr.reference_group == "Male"
    coef = reg.loc["Female", "coef"] if male_ref else -reg.loc["Male", "coef"]
    assert coef == pytest.approx(0.09987, abs=1e-4)
    se = reg.loc["Female" if male_ref else "Male", "se"]
    assert se == pytest.approx(0.08085, abs=1e-4)


def test_logit_matches_statsmodels_formula():
    import statsmodels.formula.api as smf

    staff = fh.datasets.make_workforce(3000, random_state=1)
    staff = staff.loc[staff["sex"].isin(["Male", "Female"])]
    pr = promotion_disparity(staff, group="sex", promoted="promoted", level="level",
                             controls=["performance_rating", "tenure_years"],
                             reference="Male")  # fmt: skip
    ref = smf.logit(
        "y ~ C(sex, Treatment('Male')) + C(level) + performance_rating + tenure_years",
        data=staff.assign(y=staff["promoted"].astype(int)),
    ).fit(disp=0)
    name = "C(sex, Treatment('Male'))[T.Female]"
    reg = pr.regression.set_index("term")
    assert reg.loc["Female", "coef"] == pytest.approx(ref.params[name], rel=1e-6)
    assert reg.loc["Female", "se"] == pytest.approx(ref.bse[name], rel=1e-5)
    lo, hi = np.exp(ref.conf_int().loc[name])
    assert reg.loc["Female", "ci_low"] == pytest.approx(lo, rel=1e-5)
    assert reg.loc["Female", "ci_high"] == pytest.approx(hi, rel=1e-5)
    assert pr.regression_n == len(staff)
    frame = pr.to_frame().set_index("group")
    assert frame.loc["Female", "odds_ratio_adjusted"] == pytest.approx(math.exp(ref.params[name]))
    assert frame.loc["Male", "odds_ratio_adjusted"] == 1.0


def test_level_where_no_one_is_promoted_does_not_overflow():
    # a top level with no promotions separates its dummy in the logit: coefficient about -24,
    # standard error about 2e4, so exp() of the interval's upper bound overflowed with a
    # RuntimeWarning (`fairhire promotion` stopped with "this is a bug in fairhire")
    staff = fh.datasets.make_workforce(1500, random_state=0, exits=True)
    staff.loc[staff["level"] == "L5", "promoted"] = False
    # Since then the level is left out of the logit: in the limit the fit ran off to, its rows
    # say nothing about the groups' odds, so the odds ratios are the same and the fit converges
    pr = promotion_disparity(staff, group="sex", promoted="promoted", level="level")
    assert "level[L5]" not in set(pr.regression["term"])
    assert not any("did not converge" in w for w in pr.warnings)
    assert any("promoted at level 'L5'" in w and "left out" in w for w in pr.warnings)
    rest = staff.loc[staff["level"] != "L5"]
    alone = promotion_disparity(rest, group="sex", promoted="promoted", level="level")
    pd.testing.assert_frame_equal(pr.regression, alone.regression)
    female = pr.regression.set_index("term").loc["Female", "odds_ratio"]
    assert female == pytest.approx(0.703435, abs=5e-7)  # the non-converged fit's 0.7034347


def test_level_and_period_form_one_stratum():
    rng = np.random.default_rng(0)
    n = 600
    df = pd.DataFrame({
        "sex": rng.choice(["F", "M"], n), "level": rng.choice(["L1", "L2"], n),
        "year": rng.choice([2023, 2024], n), "promoted": rng.random(n) < 0.3,
    })  # fmt: skip
    pr = promotion_disparity(df, group="sex", promoted="promoted", level="level", period="year")
    assert set(pr.by_stratum["stratum"]) == {"L1 · 2023", "L1 · 2024", "L2 · 2023", "L2 · 2024"}
    assert pr.strata["n_strata"].iloc[0] == 4
    assert {"level", "year"} <= set(pr.by_stratum.columns)
    # MH over the combined key equals the engine run on a hand-made combined column
    combo = df.assign(key=df["level"] + "/" + df["year"].astype(str))
    direct = fh.adverse_impact(combo, group="sex", stages=["promoted"], strata="key")
    assert pr.strata["mh_odds_ratio"].iloc[0] == pytest.approx(
        direct.strata["mh_odds_ratio"].iloc[0]
    )
    assert "year[2024]" in set(pr.regression["term"])


def test_intersectional_groups_and_labels():
    staff = fh.datasets.make_workforce(1500, random_state=2)
    pr = promotion_disparity(staff, group=["sex", "race"], promoted="promoted",
                             min_share=0.02)  # fmt: skip
    assert any(" × " in g for g in pr.table["group"])
    reg_groups = set(pr.regression.loc[pr.regression["is_group"], "group"])
    assert reg_groups <= set(pr.table["group"])
    assert pr.rows.excluded.get("missing group", 0) == int(
        staff[["sex", "race"]].isna().any(axis=1).sum()
    )


def test_missing_promoted_counted_and_missing_group_reported():
    df = rows_from_counts([("a", 50, 10), ("b", 50, 20)])
    df["promoted"] = df["promoted"].astype(object)
    df.loc[[0, 1, 2], "promoted"] = None
    df.loc[[60, 61], "sex"] = None
    before = df.copy()
    pr = promotion_disparity(df, group="sex", promoted="promoted")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert pr.rows.total == 100
    assert pr.rows.excluded == {"missing promoted": 3, "missing group": 2}
    assert pr.rows.used == 95
    assert int(pr.unknown["employees"].iloc[0]) == 2
    assert any("missing 'promoted'" in w for w in pr.warnings)
    assert pr.regression_n == 95



def test_blank_control_is_missing_in_the_regression_as_in_retention():
    # a blank text control ("" or " ", as exports write an unknown department) was a category
    # of its own in the logistic regression ('unit[U1]' against the blanks), while
    # retention() and pay_gap() leave those employees out as missing
    staff = fh.datasets.make_workforce(800, random_state=4)
    staff["unit"] = np.where(np.arange(len(staff)) % 2 == 0, "U1", "U2").astype(object)
    blanks = staff.copy()
    blanks.loc[blanks.index[::40], "unit"] = [" ", ""] * 10
    gone = staff.copy()
    gone.loc[gone.index[::40], "unit"] = None
    kw = dict(group="sex", promoted="promoted", controls=["unit"])
    got, want = promotion_disparity(blanks, **kw), promotion_disparity(gone, **kw)
    pd.testing.assert_frame_equal(got.regression, want.regression)
    assert got.regression_n == want.regression_n == len(staff) - 20 - int(
        staff["sex"].isna().sum() + staff["promoted"].isna().sum())
    assert "20 employees with a missing control ('unit')" in " ".join(got.warnings)

def test_zero_one_promoted_column_and_polars_input():
    pl = pytest.importorskip("polars")
    df = rows_from_counts([("a", 40, 12), ("b", 80, 48)])
    df["promoted"] = df["promoted"].astype(int)
    a = promotion_disparity(df, group="sex", promoted="promoted")
    b = promotion_disparity(pl.from_pandas(df), group="sex", promoted="promoted")
    c = promotion_disparity(pl.from_pandas(df).lazy(), group="sex", promoted="promoted")
    cols = ["group", "applicants", "selected", "impact_ratio", "p_value_fisher"]
    pd.testing.assert_frame_equal(a.table[cols], b.table[cols])
    pd.testing.assert_frame_equal(a.table[cols], c.table[cols])
    assert a.fingerprint == b.fingerprint


def test_bad_promoted_values_name_column():
    df = pd.DataFrame({"sex": ["a", "b", "a"], "promoted": ["maybe", "no", "maybe"]})
    with pytest.raises(InvalidValueError, match="'promoted'") as err:
        promotion_disparity(df, group="sex", promoted="promoted")
    assert "'maybe'" in str(err.value) and "2 rows" in str(err.value)
    df2 = pd.DataFrame({"sex": ["a", "b"], "promoted": [1, 2]})
    with pytest.raises(InvalidValueError, match="promoted"):
        promotion_disparity(df2, group="sex", promoted="promoted")


def test_column_and_parameter_errors():
    df = rows_from_counts([("a", 10, 2), ("b", 10, 5)])
    with pytest.raises(ColumnError, match="'lvl'"):
        promotion_disparity(df, group="sex", promoted="promoted", level="lvl")
    with pytest.raises(ColumnError, match="promotd"):
        promotion_disparity(df, group="sex", promoted="promotd")
    with pytest.raises(ColumnError, match="tenure"):
        promotion_disparity(df, group="sex", promoted="promoted", controls=["tenure"])
    with pytest.raises(InvalidParameterError):
        promotion_disparity(df, group="sex", promoted="sex")
    with pytest.raises(InvalidParameterError):
        promotion_disparity(df, group="sex", promoted=["promoted"])
    with pytest.raises(InsufficientDataError):
        promotion_disparity(df.iloc[:0], group="sex", promoted="promoted")
    with pytest.raises(InsufficientDataError, match="one group"):
        promotion_disparity(df.loc[df["sex"] == "a"], group="sex", promoted="promoted")


def test_group_absent_from_a_level_is_reported_not_a_crash():
    df = rows_from_counts(
        [("a", "L1", 30, 10), ("b", "L1", 30, 12), ("b", "L2", 20, 5)], level="level"
    )
    pr = promotion_disparity(df, group="sex", promoted="promoted", level="level")
    l2 = pr.by_stratum.loc[pr.by_stratum["stratum"] == "L2"].set_index("group")
    assert l2.loc["a", "applicants"] == 0
    assert any("group 'a' had no employees in stratum 'L2'" in w for w in pr.warnings)
    assert pr.strata["n_strata"].iloc[0] == 1


def test_no_promotions_at_all_is_handled():
    df = rows_from_counts([("a", 30, 0), ("b", 30, 0)])
    pr = promotion_disparity(df, group="sex", promoted="promoted")
    assert pr.regression is None
    assert any("no one was promoted" in w for w in pr.warnings)
    assert any("regression was skipped" in w for w in pr.warnings)


def test_separation_gives_missing_odds_ratio_and_warning():
    df = rows_from_counts([("a", 30, 0), ("b", 30, 10), ("c", 30, 12)])
    pr = promotion_disparity(df, group="sex", promoted="promoted")
    reg = pr.regression.set_index("group")
    assert math.isnan(reg.loc["a", "odds_ratio"])
    assert not math.isnan(reg.loc["b", "odds_ratio"])
    assert any("cannot be estimated" in w and "'a'" in w for w in pr.warnings)
    # a control that predicts promotion perfectly: unstable terms reported as missing
    df["x"] = df["promoted"].astype(float)
    pr2 = promotion_disparity(df, group="sex", promoted="promoted", controls=["x"])
    assert any("did not converge" in w or "failed" in w for w in pr2.warnings)


def test_result_interfaces():
    pr = promotion_disparity(ucb_rows(), group="sex", promoted="promoted", level="department")
    d = pr.to_dict()
    import json

    json.dumps(d)
    assert d["type"] == "PromotionDisparityResult"
    text = pr.summary()
    assert "Mantel–Haenszel" in text and "Logistic regression" in text
    assert "<table" in pr._repr_html_()
    assert "PromotionDisparityResult" in repr(pr)
    assert all(h.section == "promotion disparity" for h in pr.headlines())
    assert len(pr.flagged) == int(pr.table["adverse_impact"].sum())


@settings(max_examples=15)
@given(st.lists(st.tuples(st.integers(5, 40), st.floats(0.05, 0.95)), min_size=2, max_size=4),
       st.randoms(use_true_random=False))  # fmt: skip
def test_relabelling_groups_permutes_results(cells, rnd):
    names = ["g0", "g1", "g2", "g3"][: len(cells)]
    counts = [(name, n, round(n * p)) for name, (n, p) in zip(names, cells, strict=False)]
    df = rows_from_counts(counts)
    new = names[:]
    rnd.shuffle(new)
    mapping = dict(zip(names, ["x" + s for s in new], strict=True))
    a = promotion_disparity(df, group="sex", promoted="promoted", regression=False)
    b = promotion_disparity(df.assign(sex=df["sex"].map(mapping)), group="sex",
                            promoted="promoted", regression=False)  # fmt: skip
    ta = a.table.assign(group=a.table["group"].map(mapping)).set_index("group").sort_index()
    tb = b.table.set_index("group").sort_index()
    cols = ["applicants", "selected", "impact_ratio", "adverse_impact", "p_value_fisher",
            "is_reference"]  # fmt: skip
    pd.testing.assert_frame_equal(ta[cols], tb[cols], check_dtype=False)


def test_public_names_resolve():
    from fairhire.promotion import rates, ratings, representation, survival

    assert fh.promotion_disparity is rates.promotion_disparity
    assert fh.PromotionDisparityResult is rates.PromotionDisparityResult
    assert fh.time_to_promotion is survival.time_to_promotion
    assert fh.TimeToPromotionResult is survival.TimeToPromotionResult
    assert fh.representation is representation.representation
    assert fh.RepresentationResult is representation.RepresentationResult
    assert fh.rating_disparity is ratings.rating_disparity
    assert fh.RatingDisparityResult is ratings.RatingDisparityResult


def test_a_named_reference_absent_from_a_level_is_counted_there_not_compared():
    # promotion_disparity(level=, reference="X") failed with "reference='X' is not one of the
    # groups" when X had nobody at one level, although X is a group of the data
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"sex": rng.choice(["F", "M", "X"], 600),
                       "level": rng.choice(["L1", "L2"], 600), "promoted": rng.random(600) < 0.3})
    df.loc[(df.level == "L2") & (df.sex == "X"), "sex"] = "F"
    r = fh.promotion_disparity(df, group="sex", promoted="promoted", level="level",
                               reference="X")
    assert r.reference_group == "X"
    l2 = r.by_stratum.loc[r.by_stratum["level"] == "L2"]
    assert l2["impact_ratio"].isna().all() and l2["applicants"].sum() == (df.level == "L2").sum()
    assert r.by_stratum.loc[r.by_stratum["level"] == "L1", "impact_ratio"].notna().all()
    assert "the reference group 'X' has no employees in stratum 'L2'" in " ".join(r.warnings)
    fh.Report().add(r).render_html()
    with pytest.raises(fh.errors.InvalidParameterError, match="reference='Y'"):
        fh.promotion_disparity(df, group="sex", promoted="promoted", level="level",
                               reference="Y")


def test_no_level_with_two_groups_to_compare():
    # each level holds one group only: by_stratum ended in a raw KeyError ('basis')
    from fairhire.report.testing import check_renders

    df = pd.DataFrame({"sex": ["A", "B", "A", "B"], "promoted": [True, False, False, True],
                       "level": ["L1", "L2", "L1", "L2"]})
    pr = promotion_disparity(df, group="sex", promoted="promoted", level="level", min_n=1)
    assert pr.by_stratum["p_value_fisher"].isna().all()
    assert not pr.by_stratum["adverse_impact"].any()
    assert pr.by_stratum[["level", "group", "applicants"]].values.tolist() == [
        ["L1", "A", 2], ["L1", "B", 0], ["L2", "A", 0], ["L2", "B", 2]]
    check_renders(pr)
