"""time_to_promotion on frames: reference values, censoring, robustness.

The leukaemia remission data (Freireich et al. 1963; R ``MASS::gehan``) stand in for a time to
promotion table: "relapse" is the event. R ``survdiff``: χ² = 16.8 (statsmodels 16.792941);
R ``coxph`` (Efron): placebo vs 6-MP HR 4.817 (2.147–10.81); Breslow 4.523 (Kleinbaum & Klein).
See tests/test_survival.py for the statistics themselves.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)
from fairhire.promotion.survival import TimeToPromotionResult, time_to_promotion

MP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
MP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PL_T = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def gehan() -> pd.DataFrame:
    return pd.DataFrame({
        "treat": ["6-MP"] * 21 + ["placebo"] * 21,
        "weeks": MP_T + PL_T,
        "relapse": [bool(x) for x in MP_E] + [True] * 21,
    })  # fmt: skip


def test_gehan_reference_values():
    tt = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse",
                           reference="6-MP")  # fmt: skip
    assert isinstance(tt, TimeToPromotionResult)
    assert tt.logrank["statistic"] == pytest.approx(16.792941, abs=1e-5)
    assert tt.logrank["df"] == 1
    t = tt.table.set_index("group")
    assert t.loc["placebo", "hazard_ratio"] == pytest.approx(4.817, abs=1e-3)
    assert t.loc["placebo", "hr_ci_low"] == pytest.approx(2.147, abs=1e-3)
    assert t.loc["placebo", "hr_ci_high"] == pytest.approx(10.81, abs=1e-2)
    assert t.loc["6-MP", "hazard_ratio"] == 1.0 and t.loc["6-MP", "is_reference"]
    assert (t.loc["6-MP", "median"], t.loc["6-MP", "median_ci_low"]) == (23.0, 13.0)
    assert math.isinf(t.loc["6-MP", "median_ci_high"])
    assert (t.loc["placebo", "median"], t.loc["placebo", "median_ci_high"]) == (8.0, 11.0)
    assert t.loc["6-MP", "events"] == 9 and t.loc["6-MP", "censored"] == 12
    assert t.loc["placebo", "person_time"] == sum(PL_T)
    assert t.loc["6-MP", "observed"] == 9
    assert t.loc["6-MP", "expected"] == pytest.approx(19.25, abs=0.01)
    breslow = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse",
                                reference="6-MP", ties="breslow")  # fmt: skip
    assert breslow.table.set_index("group").loc["placebo", "hazard_ratio"] == pytest.approx(
        4.523, abs=1e-3
    )
    assert breslow.ties == "breslow"


def test_default_reference_is_fastest_group():
    tt = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse")
    assert tt.reference_group == "placebo"  # the highest event rate
    hr = tt.table.set_index("group").loc["6-MP", "hazard_ratio"]
    assert hr == pytest.approx(1 / 4.817, rel=1e-3)
    heads = tt.headlines()
    assert heads[0].severity == 3 and "6-MP" in heads[0].text
    assert "discriminat" not in " ".join(h.text for h in heads).lower()


def test_curves_and_survival_at():
    tt = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse")
    c = tt.curves
    assert list(c.columns[:3]) == ["group", "time", "at_risk"]
    s = tt.survival_at([10, 23]).set_index(["group", "time"])["survival"]
    assert s.loc[("6-MP", 10)] == pytest.approx(0.7529, abs=1e-4)
    assert s.loc[("6-MP", 23)] == pytest.approx(0.4482, abs=1e-4)
    assert s.loc[("placebo", 23)] == 0.0


def test_integer_event_and_controls_and_ph_table():
    df = gehan().assign(relapse=lambda d: d["relapse"].astype(int))
    rng = np.random.default_rng(0)
    df["wbc"] = rng.normal(3, 1, len(df))
    df["site"] = rng.choice(["x", "y"], len(df))
    tt = time_to_promotion(df, group="treat", duration="weeks", event="relapse",
                           controls=["wbc", "site"])  # fmt: skip
    assert set(tt.cox["term"]) == {"6-MP", "wbc", "site[y]"}
    assert tt.ph_test["term"].iloc[-1] == "GLOBAL"
    assert tt.cox_n == 42
    assert "controls: wbc, site" in tt.summary()


def test_missing_values_are_counted():
    df = gehan()
    df["relapse"] = df["relapse"].astype(object)
    df["weeks"] = df["weeks"].astype(float)
    df["treat"] = df["treat"].astype(object)
    df.loc[0, "weeks"] = np.nan
    df.loc[1, "relapse"] = None
    df.loc[2, "treat"] = None
    before = df.copy()
    tt = time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    pd.testing.assert_frame_equal(df, before)
    assert tt.rows.total == 42 and tt.rows.used == 39
    assert tt.rows.excluded == {"missing weeks": 1, "missing relapse": 1, "missing group": 1}


def test_negative_duration_error_names_column():
    df = gehan()
    df.loc[[3, 4], "weeks"] = [-2, -5]
    with pytest.raises(InvalidValueError, match="'weeks'") as err:
        time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    assert "2 rows" in str(err.value) and "-5" in str(err.value)


def test_non_numeric_duration_error():
    df = gehan().assign(weeks=lambda d: d["weeks"].astype(str))
    with pytest.raises(InvalidValueError, match=r"'weeks'.*numeric"):
        time_to_promotion(df, group="treat", duration="weeks", event="relapse")


@pytest.mark.parametrize("values", [[2] * 42, ["maybe"] * 42, [0.5] * 42])
def test_bad_event_values_error_names_column(values):
    df = gehan().assign(relapse=values)
    with pytest.raises(InvalidValueError, match="'relapse'") as err:
        time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    assert "42 rows" in str(err.value)


def test_no_events_at_all_is_a_clear_error():
    df = gehan().assign(relapse=False)
    with pytest.raises(InsufficientDataError, match=r"no promotions.*'relapse'"):
        time_to_promotion(df, group="treat", duration="weeks", event="relapse")


def test_group_without_events_is_reported_not_a_crash():
    df = pd.concat([gehan(), pd.DataFrame({"treat": ["new"] * 5, "weeks": [3, 5, 8, 9, 12],
                                           "relapse": [False] * 5})], ignore_index=True)  # fmt: skip
    tt = time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    t = tt.table.set_index("group")
    assert t.loc["new", "events"] == 0 and math.isnan(t.loc["new", "median"])
    assert t.loc["new", "median_note"] == "not reached"
    assert math.isnan(t.loc["new", "hazard_ratio"])
    assert any("no new employee was promoted" in w for w in tt.warnings)
    assert any("did not converge" in w for w in tt.warnings)
    assert tt.logrank["df"] == 2


def test_argument_errors():
    df = gehan()
    with pytest.raises(ColumnError, match="wekks"):
        time_to_promotion(df, group="treat", duration="wekks", event="relapse")
    with pytest.raises(InvalidParameterError, match="ties"):
        time_to_promotion(df, group="treat", duration="weeks", event="relapse", ties="exact")
    with pytest.raises(InvalidParameterError, match="conf_type"):
        time_to_promotion(df, group="treat", duration="weeks", event="relapse", conf_type="x")
    with pytest.raises(InvalidParameterError, match="reference"):
        time_to_promotion(df, group="treat", duration="weeks", event="relapse", reference="z")
    with pytest.raises(InsufficientDataError, match="one group"):
        time_to_promotion(df.loc[df.treat == "6-MP"], group="treat", duration="weeks",
                          event="relapse")  # fmt: skip
    with pytest.raises(InsufficientDataError):
        time_to_promotion(df.iloc[:0], group="treat", duration="weeks", event="relapse")


def test_polars_input_gives_same_result():
    pl = pytest.importorskip("polars")
    a = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse")
    b = time_to_promotion(pl.from_pandas(gehan()), group="treat", duration="weeks",
                          event="relapse")  # fmt: skip
    pd.testing.assert_frame_equal(a.table, b.table)


def test_result_interfaces():
    import json

    tt = time_to_promotion(gehan(), group="treat", duration="weeks", event="relapse")
    json.dumps(tt.to_dict())
    assert "Log-rank" in tt.summary()
    assert "<table" in tt._repr_html_()
    assert "TimeToPromotionResult" in repr(tt)


@settings(max_examples=15)
@given(st.integers(5, 30))
def test_censoring_after_t_leaves_curves_before_t_unchanged(cut):
    df = gehan()
    cens = df.assign(
        relapse=np.where(df["weeks"] > cut, False, df["relapse"]),
        weeks=np.minimum(df["weeks"], cut),
    )
    a = time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    b = time_to_promotion(cens, group="treat", duration="weeks", event="relapse")
    grid = [x for x in np.arange(0.5, cut, 1.0)]
    sa = a.survival_at(grid).sort_values(["group", "time"]).reset_index(drop=True)
    sb = b.survival_at(grid).sort_values(["group", "time"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb)


@settings(max_examples=10)
@given(st.permutations(["a", "b", "c"]))
def test_relabelling_groups_permutes_results(names):
    staff = fh.datasets.make_workforce(400, random_state=5)
    staff = staff.loc[staff["sex"].notna()]
    mapping = dict(zip(["Male", "Female", "Non-binary"], names, strict=True))
    a = time_to_promotion(staff, group="sex", duration="months_in_level", event="promoted")
    b = time_to_promotion(staff.assign(sex=staff["sex"].map(mapping)), group="sex",
                          duration="months_in_level", event="promoted")  # fmt: skip
    assert b.logrank["statistic"] == pytest.approx(a.logrank["statistic"])
    ta = a.table.assign(group=a.table["group"].map(mapping)).set_index("group").sort_index()
    tb = b.table.set_index("group").sort_index()
    cols = ["n", "events", "median", "hazard_ratio", "observed", "expected"]
    pd.testing.assert_frame_equal(ta[cols], tb[cols], rtol=1e-6)


def test_yes_no_event_and_blank_events_are_counted_as_missing():
    df = gehan()
    df["relapse"] = df["relapse"].map({True: " Yes", False: "no"}).astype(object)
    df.loc[[0, 1], "relapse"] = ["", None]
    tt = time_to_promotion(df, group="treat", duration="weeks", event="relapse")
    assert tt.rows.excluded == {"missing relapse": 2}
    ref = time_to_promotion(gehan().drop(index=[0, 1]), group="treat", duration="weeks",
                            event="relapse")
    pd.testing.assert_frame_equal(tt.table, ref.table)


def test_median_reached_with_few_at_risk_is_unstable_in_table_and_curve():
    """Issue 16: the table said 59.0 months where the curve reaches one half with one person
    at risk; now the median is NaN with a note, so table and chart agree."""
    staff = fh.datasets.make_workforce(2000, random_state=0)
    tt = time_to_promotion(staff, group="sex", duration="months_in_level", event="promoted")
    nb = tt.table.set_index("group").loc["Non-binary"]
    assert math.isnan(nb["median"]) and nb["median_note"] == "unstable (n at risk < 5)"
    curve = tt.curves.loc[tt.curves["group"] == "Non-binary"]
    half = curve.loc[curve["survival"] <= 0.5]
    assert half.empty or int(half["at_risk"].iloc[0]) < 5
    assert any("unstable" in w for w in tt.warnings)
    loose = time_to_promotion(staff, group="sex", duration="months_in_level",
                              event="promoted", min_at_risk=1)
    assert loose.table.set_index("group").loc["Non-binary", "median"] == 59.0


def test_reference_is_fastest_among_large_enough_groups():
    staff = fh.datasets.make_workforce(2000, random_state=0)
    tt = time_to_promotion(staff, group="sex", duration="months_in_level", event="promoted")
    t = tt.table.set_index("group")
    assert tt.reference_group == "Male"
    assert t.loc["Non-binary", "too_small_for_reference"]
    assert not t.loc["Male", "too_small_for_reference"]


def test_same_people_in_any_row_order_give_the_same_result():
    # the Cox fit's sums and person_time followed the row order in their last digits
    staff = fh.datasets.make_workforce(600, random_state=3, exits=True)
    kw = dict(group="sex", duration="tenure_months", event="exited", controls=["level"],
              min_n=1)
    first = time_to_promotion(staff, **kw)
    for seed in range(6):
        again = time_to_promotion(staff.sample(frac=1.0, random_state=seed), **kw)
        pd.testing.assert_frame_equal(again.table, first.table, check_exact=True)
        pd.testing.assert_frame_equal(again.cox, first.cox, check_exact=True)
        assert again.fingerprint == first.fingerprint
