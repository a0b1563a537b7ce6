"""fh.retention: exit rates and ratios by hand, Fisher against scipy, bad input, properties,
backends, the messy export and every report format."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest_spark import local_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from messy import EXPECTED, messy_frame
from scipy import stats

import fairhire as fh
from fairhire._core.flags import flag_of
from fairhire.errors import ColumnError, InvalidParameterError, InvalidValueError
from fairhire.report.testing import HOSTILE_LABEL, check_renders


def people(blocks):
    """Rows from (group, headcount, exits, exit type of the exits) blocks."""
    rows = []
    for g, n, x, kind in blocks:
        rows += [{"sex": g, "exited": i < x, "exit_type": kind if i < x else None}
                 for i in range(n)]
    return pd.DataFrame(rows)


# Men 100, 10 left (all voluntary); women 80, 16 left (12 voluntary, 4 dismissed)
BASIC = people([("Male", 100, 10, "resignation"), ("Female", 60, 12, "Quit"),
                ("Female", 20, 4, "dismissal")])


def test_rates_and_ratios_by_hand():
    r = fh.retention(BASIC, group="sex", exited="exited", exit_type="exit_type",
                     regression=False)
    t = r.table.set_index(["kind", "group"])
    f = t.loc[("all", "Female")]
    assert (f.headcount, f.exits, f.stayed) == (80, 16, 64)
    assert f.exit_rate == pytest.approx(0.2)
    assert f.reference_group == "Male"
    assert f.exit_rate_ratio == pytest.approx(0.2 / 0.1)
    assert f.impact_ratio == pytest.approx(0.8 / 0.9)
    assert not f.adverse_impact  # 0.889 is above four-fifths
    assert f.shortfall == pytest.approx(16 - 80 * 0.1)  # exits above parity
    assert f.p_value_fisher == pytest.approx(stats.fisher_exact([[64, 16], [90, 10]])[1])
    z = (0.8 - 0.9) / math.sqrt((154 / 180) * (26 / 180) * (1 / 80 + 1 / 100))
    assert f.z == pytest.approx(z)
    v = t.loc[("voluntary", "Female")]
    assert (v.exits, v.exit_rate_ratio) == (12, pytest.approx(0.15 / 0.1))
    inv = t.loc[("involuntary", "Female")]
    assert inv.exits == 4 and inv.reference_group == "Male"  # men: no involuntary exits
    assert math.isnan(inv.exit_rate_ratio)  # ratio to a zero rate is undefined
    assert r.rows.total == 180 and r.rows.used == 180
    assert set(r.exit_types["kind"]) == {"voluntary", "involuntary"}


def test_reference_is_lowest_exit_rate_among_large_groups():
    df = people([("A", 100, 30, "quit"), ("B", 200, 40, "quit"), ("C", 10, 0, "quit")])
    r = fh.retention(df, group="sex", exited="exited", regression=False)
    t = r.table.set_index("group")
    assert r.reference_group == "B"
    assert bool(t.loc["C", "too_small_for_reference"]) and not t.loc["B", "too_small_for_reference"]
    r2 = fh.retention(df, group="sex", exited="exited", reference="a", regression=False)
    assert r2.reference_group == "A"


def test_tied_groups_the_chosen_reference_is_the_one_everything_names():
    # Equal exit rates tie: each tied group is marked is_reference, the largest (Male) is the
    # reference. The result and the regression named the first tied row (Female) instead.
    df = people([("Female", 400, 40, "quit"), ("Male", 500, 50, "quit")])
    df["exit_type"] = np.where(df["exited"], "Other reason", None)
    r = fh.retention(df, group="sex", exited="exited", exit_type="exit_type")
    assert r.reference_group == "Male"
    assert set(r.table["reference_group"]) == {"Male"}
    assert r.table.groupby("kind")["is_reference"].sum().to_dict() == {
        "all": 2, "involuntary": 2, "voluntary": 2}
    said = [w for w in r.warnings if "reference group" in w]
    assert said and all("'Male'" in w for w in said), said
    regression = r.regression.loc[r.regression["is_group"]]
    assert regression["group"].tolist() == ["Female"]


def test_flag_and_headline_wording():
    df = people([("Male", 400, 40, "quit"), ("Female", 400, 100, "quit")])
    r = fh.retention(df, group="sex", exited="exited", exit_type="exit_type",
                     regression=False)
    assert set(r.flagged["group"]) == {"Female"}
    text = r.headlines()[0].text
    assert text.startswith("Female employees left at 2.5 times the rate of Male employees "
                           "(25.0% against 10.0%; Fisher p < 0.001; 60 more than parity)")
    assert "discriminat" not in " ".join(h.text for h in r.headlines()).lower()


def test_mantel_haenszel_and_regression():
    rng = np.random.default_rng(0)
    n = 4000
    df = pd.DataFrame({"sex": rng.choice(["Female", "Male"], n),
                       "level": rng.choice(["L1", "L2", "L3"], n),
                       "tenure": rng.uniform(0, 10, n)})
    p = 0.1 + 0.05 * (df["sex"] == "Female") + 0.05 * (df["level"] == "L1")
    df["exited"] = rng.random(n) < p
    r = fh.retention(df, group="sex", exited="exited", level="level", controls="tenure")
    s = r.strata.iloc[0]
    assert s.group == "Female" and s.n_strata == 3 and s.mh_odds_ratio > 1.2
    reg = r.regression.loc[r.regression["is_group"]].iloc[0]
    assert reg.group == "Female" and reg.ci_low < s.mh_odds_ratio < reg.ci_high
    assert r.regression_n == n


def test_unknown_and_missing_exit_types_are_counted_and_named():
    df = people([("Male", 50, 5, "Retirement"), ("Female", 50, 5, "quit")])
    df.loc[0, "exit_type"] = None  # an exit without a type
    r = fh.retention(df, group="sex", exited="exited", exit_type="exit_type",
                     regression=False)
    joined = " ".join(r.warnings)
    assert "'Retirement' (4)" in joined and "1 exits have no exit type" in joined
    t = r.table.set_index(["kind", "group"])
    assert t.loc[("all", "Male"), "exits"] == 5
    assert t.loc[("voluntary", "Male"), "exits"] == 0
    types = r.exit_types.set_index("exit_type")
    assert types.loc["Retirement", "kind"] == "other" and types.loc["(missing)", "exits"] == 1
    r2 = fh.retention(df, group="sex", exited="exited", exit_type="exit_type",
                      voluntary=["quit", "retirement"], regression=False)
    assert r2.table.set_index(["kind", "group"]).loc[("voluntary", "Male"), "exits"] == 4


def test_exit_reasons_that_name_their_kind_first():
    # as HR systems export them: "Voluntary - Resignation", "Involuntary: Layoff"
    df = people([("Male", 100, 10, "Voluntary - Resignation"), ("Male", 50, 5, "Retirement"),
                 ("Female", 100, 12, "Involuntary:  Layoff"),
                 ("Female", 50, 4, "voluntarily left")])
    r = fh.retention(df, group="sex", exited="exited", exit_type="exit_type", regression=False)
    types = r.exit_types.set_index("exit_type")["kind"].to_dict()
    assert types == {"Voluntary - Resignation": "voluntary", "Involuntary: Layoff": "involuntary",
                     "Retirement": "other", "voluntarily left": "other"}
    t = r.table.set_index(["kind", "group"])["exits"]
    assert t[("voluntary", "Male")] == 10 and t[("involuntary", "Female")] == 12
    own = fh.retention(df, group="sex", exited="exited", exit_type="exit_type",
                       voluntary=["retirement"], regression=False)
    assert own.exit_types.set_index("exit_type")["kind"]["Voluntary - Resignation"] == "other"


def test_exit_type_without_exit():
    df = people([("Male", 50, 5, "quit"), ("Female", 50, 5, "quit")])
    df.loc[[10, 11, 60], "exit_type"] = "quit"  # stayed, yet have an exit type
    with pytest.raises(InvalidValueError, match=r"'exit_type'.*3 rows.*on_inconsistent"):
        fh.retention(df, group="sex", exited="exited", exit_type="exit_type")
    r = fh.retention(df, group="sex", exited="exited", exit_type="exit_type",
                     on_inconsistent="exclude", regression=False)
    assert r.rows.excluded == {"exit type without exit": 3}
    assert r.rows.used == 97


def test_bad_parameters_and_columns():
    with pytest.raises(InvalidParameterError, match="regression"):
        fh.retention(BASIC, group="sex", exited="exited", regression="no")
    with pytest.raises(InvalidParameterError, match="alpha"):
        fh.retention(BASIC, group="sex", exited="exited", alpha="0.05")
    with pytest.raises(InvalidParameterError, match="both voluntary= and involuntary="):
        fh.retention(BASIC, group="sex", exited="exited", voluntary=["quit"],
                     involuntary=["Quit "])
    with pytest.raises(ColumnError):
        fh.retention(BASIC, group="sex", exited="left")
    bad = BASIC.assign(exited=BASIC["exited"].map({True: "yes", False: "maybe"}))
    with pytest.raises(InvalidValueError, match="maybe"):
        fh.retention(bad, group="sex", exited="exited")


def test_user_columns_named_like_internals():
    df = BASIC.rename(columns={"sex": "n", "exited": "__fh_event"})
    r = fh.retention(df, group="n", exited="__fh_event", regression=False)
    assert r.table.set_index("group").loc["Female", "exits"] == 16


def flipped(value):
    """The messy 'selected' value written as the opposite flag, in a similar spelling."""
    flag = flag_of(value)
    if flag is None:
        return value
    return {True: "no", False: "Yes"}[flag]


def test_messy_export_consistency():
    df = messy_frame()
    df["left"] = df["selected"].map(flipped)  # leaving is the unfavourable outcome
    r = fh.retention(df, group="sex", exited="left", regression=False)
    t = r.table.set_index("group")
    assert sorted(t.index) == EXPECTED["groups"]
    assert r.reference_group == EXPECTED["reference"]
    assert [g for g in t.index if t.loc[g, "too_small_for_reference"]] == EXPECTED["too_small"]
    assert r.rows.excluded == {"missing left": EXPECTED["missing_outcome_rows"],
                               "missing group": EXPECTED["unknown_group_rows"]}
    assert r.rows.total == EXPECTED["total_rows"]
    for g, n in EXPECTED["applicants"].items():
        assert t.loc[g, "headcount"] == n
        assert t.loc[g, "stayed"] == EXPECTED["selected"][g]
    merged = " ".join(r.warnings)
    for spelling in ("'female '", "' FEMALE'", "'male'", "' MALE '"):
        assert spelling in merged


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.booleans(),
                          st.sampled_from(["quit", "fired", None])),
                min_size=8, max_size=60),
       st.permutations(["x", "y", "z"]))
def test_counts_conserved_and_relabelling_changes_nothing(rows, names):
    df = pd.DataFrame(rows, columns=["g", "exited", "exit_type"])
    df.loc[~df["exited"], "exit_type"] = None
    if df["g"].nunique() < 2:
        return
    kw = dict(group="g", exited="exited", exit_type="exit_type", involuntary=["fired"],
              regression=False)
    ref = df["g"].iloc[0]  # fixed, so that a tie at the top cannot be broken differently
    r = fh.retention(df, reference=ref, **kw)
    all_rows = r.table.loc[r.table["kind"] == "all"]
    assert all_rows["headcount"].sum() == len(df)
    assert all_rows["exits"].sum() == df["exited"].sum()
    kinds = r.table.groupby("kind")["exits"].sum()
    assert kinds["voluntary"] + kinds["involuntary"] == (df["exit_type"].notna()).sum()
    rename = dict(zip(["a", "b", "c"], names, strict=True))
    moved = df.assign(g=df["g"].map(rename)).sample(frac=1, random_state=1)
    r2 = fh.retention(moved, reference=rename[ref], **kw)
    t1 = r.table.assign(group=r.table["group"].map(rename)).sort_values(["kind", "group"])
    t2 = r2.table.sort_values(["kind", "group"])
    cols = ["headcount", "exits", "exit_rate", "impact_ratio", "p_value_fisher"]
    pd.testing.assert_frame_equal(t1[cols].reset_index(drop=True),
                                  t2[cols].reset_index(drop=True))


def test_same_on_every_backend():
    staff = fh.datasets.make_workforce(1500, random_state=3, exits=True)
    frames = local_frames(staff)
    kw = dict(group="sex", exited="exited", exit_type="exit_type", level="level",
              regression=False)
    want = fh.retention(frames["pandas"], **kw)
    for name in ("polars", "polars lazy", "duckdb"):
        got = fh.retention(frames[name], **kw)
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True, obj=name)
        pd.testing.assert_frame_equal(got.strata, want.strata, check_exact=True, obj=name)
        assert got.rows == want.rows or got.rows.to_dict() == want.rows.to_dict()


def test_report_renders_every_format():
    staff = fh.datasets.make_workforce(1200, random_state=2, exits=True)
    r = fh.retention(staff, group="sex", exited="exited", exit_type="exit_type", level="level")
    hostile = fh.retention(BASIC.replace({"Female": HOSTILE_LABEL}), group="sex",
                           exited="exited", exit_type="exit_type", regression=False)
    out = check_renders(r, hostile=hostile)
    assert "Voluntary exits" in out["html"] and "Aalen" not in out["html"]
    small = people([("Male", 40, 3, "quit"), ("Female", 30, 2, "quit")])
    out5 = check_renders(fh.retention(small, group="sex", exited="exited", regression=False),
                         min_cell=5)
    assert "&lt; 5" in out5["html"]
    assert '"exits": 3' not in out5["json"] and '"exits": 2' not in out5["json"]


def test_separated_regression_reports_infinite_odds_not_an_overflow():
    # a level where everyone left separates the logit: its coefficient is huge and
    # math.exp(coefficient + z * se) ended retention() in a raw OverflowError
    df = pd.DataFrame({
        "sex": ["F", "M", "M", "M", "F", "F", "M", "M", "F", "F", "M", "F"],
        "left": [1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1],
        "level": ["L3", "L1", "L1", "L2", "L3", "L1", "L2", "L3", "L1", "L1", "L1", "L1"],
    })
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        r = fh.retention(df, group="sex", exited="left", controls=["level"], min_n=1)
    row = r.regression.set_index("term").loc["level[L2]"]
    assert row["ci_high"] == math.inf and row["ci_low"] == 0
    assert any("did not converge cleanly" in w for w in r.warnings)
    json.dumps(r.to_dict())
    check_renders(r)


def test_exit_reasons_as_hr_systems_spell_them():
    # a termination report's reasons: before, 'Resigned', 'Laid off', 'Layoff (RIF)', 'RIF'
    # and 'Vol - Resign' were all 'other', so the voluntary and involuntary rates left them out
    reasons = ["Resigned", "Vol - Resign", "Laid off", "Layoff (RIF)", "RIF", "Dismissed",
               "Invol - Performance", "Retirement", "Terminated"]
    data = pd.DataFrame({"sex": ["F", "M"] * 45, "exited": True,
                         "reason": [reasons[i % len(reasons)] for i in range(90)]})
    ret = fh.retention(data, group="sex", exited="exited", exit_type="reason")
    kinds = ret.exit_types.set_index(ret.exit_types.columns[0])["kind"].to_dict()
    assert kinds == {"Resigned": "voluntary", "Vol - Resign": "voluntary",
                     "Laid off": "involuntary", "Layoff (RIF)": "involuntary",
                     "RIF": "involuntary", "Dismissed": "involuntary",
                     "Invol - Performance": "involuntary", "Retirement": "other",
                     "Terminated": "other"}, ret.exit_types
