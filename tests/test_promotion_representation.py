"""representation: shares by level in order, trend tests, robustness.

The Cochran–Armitage reference (R ``prop.trend.test`` documentation example, X-squared =
8.2249, p = 0.004132) is reproduced through a frame: four "levels" with 83/86, 90/93, 129/136
and 70/82 employees in the focal group.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)
from fairhire.promotion.representation import RepresentationResult, representation


def frame(cells) -> pd.DataFrame:
    """Employee rows from {(level, group): count}."""
    lv, gr = [], []
    for (level, group), n in cells.items():
        lv += [level] * n
        gr += [group] * n
    return pd.DataFrame({"level": lv, "sex": gr})


def test_trend_reference_value_through_frame():
    focal = [83, 90, 129, 70]
    totals = [86, 93, 136, 82]
    cells = {}
    for i, (f, t) in enumerate(zip(focal, totals, strict=True)):
        cells[(f"L{i + 1}", "a")] = f
        cells[(f"L{i + 1}", "b")] = t - f
    rep = representation(frame(cells), group="sex", level="level",
                         order=["L1", "L2", "L3", "L4"])  # fmt: skip
    assert isinstance(rep, RepresentationResult)
    assert rep.test["test"].startswith("Cochran–Armitage")
    assert rep.test["statistic"] == pytest.approx(8.2249, abs=1e-4)
    assert rep.test["p_value"] == pytest.approx(0.004132, abs=1e-6)
    tr = rep.trend.set_index("group")
    assert tr.loc["a", "z"] == pytest.approx(-tr.loc["b", "z"])
    assert tr.loc["a", "direction"] == "falls" and tr.loc["b", "direction"] == "rises"
    assert tr.loc["a", "share_lowest"] == pytest.approx(83 / 86)
    assert tr.loc["a", "share_highest"] == pytest.approx(70 / 82)
    heads = rep.headlines()
    assert heads and "falls with level" in heads[0].text


def test_table_in_order_with_shares():
    cells = {("Senior", "F"): 2, ("Senior", "M"): 8, ("Junior", "F"): 6, ("Junior", "M"): 4,
             ("Mid", "F"): 5, ("Mid", "M"): 5}  # fmt: skip
    rep = representation(frame(cells), group="sex", level="level",
                         order=["Junior", "Mid", "Senior"])  # fmt: skip
    t = rep.table
    assert t["level"].tolist() == ["Junior", "Junior", "Mid", "Mid", "Senior", "Senior"]
    assert t["level_rank"].tolist() == [1, 1, 2, 2, 3, 3]
    senior_f = t.loc[(t["level"] == "Senior") & (t["group"] == "F"), "share"].iloc[0]
    assert senior_f == pytest.approx(0.2)
    assert rep.shares().index.tolist() == ["Junior", "Mid", "Senior"]
    assert rep.overall.set_index("group").loc["F", "count"] == 13
    assert rep.rows.total == 30 and rep.rows.used == 30


def test_more_than_two_groups_uses_chi_square():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"level": rng.choice(["L1", "L2", "L3"], 600),
                       "sex": rng.choice(["F", "M", "X"], 600)})  # fmt: skip
    rep = representation(df, group="sex", level="level", order=["L1", "L2", "L3"])
    table = pd.crosstab(df["sex"], df["level"]).to_numpy()
    ref = stats.chi2_contingency(table, correction=False)
    assert rep.test["test"].startswith("Pearson")
    assert rep.test["statistic"] == pytest.approx(ref.statistic)
    assert rep.test["df"] == 4
    assert len(rep.trend) == 3
    assert (rep.trend["p_value_adjusted"] >= rep.trend["p_value"] - 1e-15).all()


def test_order_missing_levels_lists_them():
    df = frame({("L1", "F"): 3, ("L2", "F"): 2, ("L9", "M"): 1, ("L7", "M"): 1})
    with pytest.raises(InvalidValueError, match="'level'") as err:
        representation(df, group="sex", level="level", order=["L1", "L2"])
    assert "'L7', 'L9'" in str(err.value)


def test_order_levels_absent_from_data_and_groups_absent_at_levels():
    df = frame({("L1", "F"): 5, ("L1", "M"): 5, ("L2", "M"): 4})
    rep = representation(df, group="sex", level="level", order=["L1", "L2", "L3"])
    t = rep.table.set_index(["level", "group"])
    assert t.loc[("L2", "F"), "count"] == 0 and t.loc[("L2", "F"), "share"] == 0
    assert math.isnan(t.loc[("L3", "F"), "share"])
    assert any("no F employees at level L2" in w for w in rep.warnings)
    assert any("'L3'" in w and "no employees" in w for w in rep.warnings)
    assert any("no F employees" in h.text for h in rep.headlines())


def test_missing_group_and_level_counted():
    df = frame({("L1", "F"): 5, ("L1", "M"): 5, ("L2", "M"): 4, ("L2", "F"): 3})
    df.loc[0, "sex"] = None
    df.loc[[1, 2], "level"] = None
    rep = representation(df, group="sex", level="level", order=["L1", "L2"])
    assert rep.rows.excluded == {"missing level": 2, "missing group": 1}
    assert rep.rows.used == 14


def test_numeric_levels_with_string_order_and_intersections():
    df = pd.DataFrame({"grade": [1, 1, 2, 2, 3, 3] * 5, "sex": ["F", "M"] * 15,
                       "race": ["A"] * 10 + ["B"] * 20})  # fmt: skip
    rep = representation(df, group=["sex", "race"], level="grade", order=["1", "2", "3"])
    assert set(rep.table["group"]) == {"F × A", "M × A", "F × B", "M × B"}


def test_errors():
    df = frame({("L1", "F"): 5, ("L1", "M"): 5})
    with pytest.raises(ColumnError, match="lvl"):
        representation(df, group="sex", level="lvl", order=["L1"])
    with pytest.raises(InvalidParameterError, match="order"):
        representation(df, group="sex", level="level", order=None)
    with pytest.raises(InvalidParameterError, match="order"):
        representation(df, group="sex", level="level", order="L1")
    with pytest.raises(InvalidParameterError, match="more than once"):
        representation(df, group="sex", level="level", order=["L1", "L1"])
    with pytest.raises(InsufficientDataError, match="one group"):
        representation(df.loc[df.sex == "F"], group="sex", level="level", order=["L1"])
    with pytest.raises(InsufficientDataError):
        representation(df.iloc[:0], group="sex", level="level", order=["L1"])


def test_result_interfaces_and_polars():
    import json

    pl = pytest.importorskip("polars")
    df = frame({("L1", "F"): 50, ("L1", "M"): 40, ("L2", "F"): 20, ("L2", "M"): 30})
    a = representation(df, group="sex", level="level", order=["L1", "L2"])
    b = representation(pl.from_pandas(df).lazy(), group="sex", level="level", order=["L1", "L2"])
    pd.testing.assert_frame_equal(a.table, b.table)
    json.dumps(a.to_dict())
    assert "Cochran–Armitage" in a.summary()
    assert "<table" in a._repr_html_()


@settings(max_examples=20)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
                min_size=2, max_size=5),
       st.permutations(["p", "q", "r"]))  # fmt: skip
def test_relabelling_groups_permutes_results(levels, names):
    cells = {}
    for i, counts in enumerate(levels):
        for g, n in zip("abc", counts, strict=True):
            cells[(f"L{i}", g)] = n
    df = frame(cells)
    if df["sex"].nunique() < 2:
        return
    order = [f"L{i}" for i in range(len(levels))]
    mapping = dict(zip("abc", names, strict=True))
    a = representation(df, group="sex", level="level", order=order)
    b = representation(df.assign(sex=df["sex"].map(mapping)), group="sex", level="level",
                       order=order)  # fmt: skip
    ta = a.table.assign(group=a.table["group"].map(mapping)).set_index(["level", "group"])
    tb = b.table.set_index(["level", "group"])
    pd.testing.assert_frame_equal(ta.sort_index(), tb.sort_index())
    sa, sb = a.test["statistic"], b.test["statistic"]
    assert (math.isnan(sa) and math.isnan(sb)) or sb == pytest.approx(sa)


def test_adjust_reads_bh_as_every_analysis_does():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"level": rng.choice(["L1", "L2", "L3"], 600),
                       "sex": rng.choice(["F", "M", "X"], 600)})  # fmt: skip
    bh = representation(df, group="sex", level="level", order=["L1", "L2", "L3"], adjust="bh")
    fdr = representation(df, group="sex", level="level", order=["L1", "L2", "L3"],
                         adjust="fdr_bh")
    pd.testing.assert_frame_equal(bh.trend, fdr.trend)
    assert bh.params["adjust"] == "fdr_bh"
    with pytest.raises(InvalidParameterError, match="adjust"):
        representation(df, group="sex", level="level", order=["L1", "L2", "L3"], adjust="sidak")
