"""rating_disparity: distributions, rank tests (scipy cross-checks), top-rating four-fifths.

Top-rating shares go through the adverse-impact engine, so the UGESP Q&A 12 style figures
apply: 12 of 40 rated top against 48 of 80 gives impact ratio 0.5 and Fisher p = 0.00340922.
The Kruskal–Wallis and Mann–Whitney figures are cross-checked with ``scipy.stats.kruskal``
and ``scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=False)`` on the expanded
ratings.
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
from fairhire.promotion.ratings import RatingDisparityResult, rating_disparity


def frame(dist: dict[str, list[int]], ratings=(1, 2, 3, 4, 5)) -> pd.DataFrame:
    rows = []
    for g, counts in dist.items():
        for r, n in zip(ratings, counts, strict=True):
            rows += [(g, r)] * n
    return pd.DataFrame(rows, columns=["sex", "rating"])


def test_top_share_reference_values():
    df = frame({"women": [5, 10, 13, 0, 12], "men": [10, 10, 12, 0, 48]})
    rd = rating_disparity(df, group="sex", rating="rating")
    assert isinstance(rd, RatingDisparityResult)
    t = rd.table.set_index("group")
    assert t.loc["women", "top_count"] == 12 and t.loc["women", "n"] == 40
    assert t.loc["women", "impact_ratio"] == 0.5
    assert bool(t.loc["women", "adverse_impact"])
    assert t.loc["women", "p_value_fisher"] == pytest.approx(0.00340922, abs=1e-8)
    assert rd.reference_group == "men" and rd.top == (5,)
    assert rd.order == (1, 2, 3, 5)  # without order=, the ratings found, sorted
    full = rating_disparity(df, group="sex", rating="rating", order=[1, 2, 3, 4, 5])
    assert any("no employee was rated [4]" in w for w in full.warnings)
    assert rd.headlines()[0].severity == 3


def test_rank_tests_match_scipy():
    dist = {"a": [3, 10, 20, 10, 2], "b": [1, 5, 20, 15, 8], "c": [5, 12, 15, 5, 1]}
    rd = rating_disparity(frame(dist), group="sex", rating="rating")
    samples = {g: np.repeat([1, 2, 3, 4, 5], c) for g, c in dist.items()}
    kw = stats.kruskal(*samples.values())
    assert rd.test["statistic"] == pytest.approx(kw.statistic, rel=1e-12)
    assert rd.test["p_value"] == pytest.approx(kw.pvalue, rel=1e-9)
    t = rd.table.set_index("group")
    ref = rd.reference_group
    assert ref == "b"  # highest top share
    for g in ("a", "c"):
        mw = stats.mannwhitneyu(samples[g], samples[ref], method="asymptotic",
                                use_continuity=False)  # fmt: skip
        assert t.loc[g, "p_value_mann_whitney"] == pytest.approx(mw.pvalue, rel=1e-10)
        n1, n2 = len(samples[g]), len(samples[ref])
        assert t.loc[g, "prob_superiority"] == pytest.approx(mw.statistic / (n1 * n2))
    assert t.loc["b", "prob_superiority"] == 0.5
    assert t.loc["a", "mean_rating"] == pytest.approx(samples["a"].mean())
    pooled = np.concatenate(list(samples.values()))
    ranks = stats.rankdata(pooled)
    assert t.loc["a", "mean_rank"] == pytest.approx(ranks[: len(samples["a"])].mean())


def test_distribution_table_and_shares():
    rd = rating_disparity(frame({"a": [1, 1, 2, 0, 0], "b": [0, 0, 1, 2, 1]}), group="sex",
                          rating="rating")  # fmt: skip
    d = rd.distribution
    assert list(d.columns) == ["group", "rating", "rating_rank", "count", "group_total", "share"]
    assert d.loc[(d.group == "a") & (d.rating == 3), "share"].iloc[0] == pytest.approx(0.5)
    assert rd.shares().columns.tolist() == [1, 2, 3, 4, 5]


def test_text_ratings_need_order_and_order_is_checked():
    labels = ("Below", "Meets", "Exceeds")
    df = frame({"a": [2, 5, 1], "b": [1, 4, 4]}, ratings=labels)
    with pytest.raises(InvalidParameterError, match="order="):
        rating_disparity(df, group="sex", rating="rating")
    rd = rating_disparity(df, group="sex", rating="rating", order=list(labels))
    assert rd.top == ("Exceeds",)
    assert math.isnan(rd.table["mean_rating"].iloc[0])
    with pytest.raises(InvalidValueError, match="'rating'") as err:
        rating_disparity(df, group="sex", rating="rating", order=["Below", "Meets"])
    assert "'Exceeds'" in str(err.value)
    top2 = rating_disparity(df, group="sex", rating="rating", order=list(labels),
                            top=["Meets", "Exceeds"])  # fmt: skip
    assert top2.table.set_index("group").loc["a", "top_count"] == 6
    with pytest.raises(InvalidParameterError, match="top="):
        rating_disparity(df, group="sex", rating="rating", order=list(labels), top="Superb")


def test_missing_values_counted_and_input_untouched():
    df = frame({"a": [2, 5, 1, 0, 3], "b": [1, 4, 4, 2, 1]}).astype(object)
    df.loc[0, "rating"] = None
    df.loc[[1, 2], "sex"] = None
    before = df.copy()
    rd = rating_disparity(df, group="sex", rating="rating")
    pd.testing.assert_frame_equal(df, before)
    assert rd.rows.excluded == {"missing rating": 1, "missing group": 2}
    assert int(rd.unknown["employees"].iloc[0]) == 2


def test_errors():
    df = frame({"a": [1, 1, 1, 1, 1], "b": [1, 1, 1, 1, 1]})
    with pytest.raises(ColumnError, match="ratng"):
        rating_disparity(df, group="sex", rating="ratng")
    with pytest.raises(InsufficientDataError, match="one group"):
        rating_disparity(df.loc[df.sex == "a"], group="sex", rating="rating")
    with pytest.raises(InvalidParameterError):
        rating_disparity(df, group="sex", rating="sex")


def test_workforce_top_rating_gap():
    staff = fh.datasets.make_workforce(20_000, random_state=0)
    rd = rating_disparity(staff, group="sex", rating="performance_rating", min_share=0.02)
    t = rd.table.set_index("group")
    truth = fh.datasets.workforce.WORKFORCE_TRUTH["top_rating_share"]
    assert t.loc["Female", "top_share"] == pytest.approx(truth["Female"], abs=0.01)
    assert t.loc["Male", "top_share"] == pytest.approx(truth["Male"], abs=0.01)
    assert bool(t.loc["Female", "adverse_impact"])
    assert t.loc["Female", "prob_superiority"] < 0.5
    assert t.loc["Female", "p_value_mann_whitney"] < 0.001
    import json

    json.dumps(rd.to_dict())
    assert "Kruskal–Wallis" in rd.summary()


@settings(max_examples=15)
@given(st.lists(st.lists(st.integers(0, 12), min_size=4, max_size=4), min_size=2, max_size=3),
       st.permutations(["x", "y", "z"]))  # fmt: skip
def test_relabelling_groups_permutes_results(dists, names):
    groups = ["a", "b", "c"][: len(dists)]
    df = frame(dict(zip(groups, dists, strict=True)), ratings=(1, 2, 3, 4))
    if df["sex"].nunique() < 2:
        return
    mapping = dict(zip(["a", "b", "c"], names, strict=True))
    a = rating_disparity(df, group="sex", rating="rating")
    b = rating_disparity(df.assign(sex=df["sex"].map(mapping)), group="sex", rating="rating")
    ta = a.table.assign(group=a.table["group"].map(mapping)).set_index("group").sort_index()
    tb = b.table.set_index("group").sort_index()
    cols = ["n", "mean_rank", "top_count", "top_share", "impact_ratio", "adverse_impact"]
    pd.testing.assert_frame_equal(ta[cols], tb[cols])
    ka, kb = a.test["statistic"], b.test["statistic"]
    assert (math.isnan(ka) and math.isnan(kb)) or kb == pytest.approx(ka)


def test_tied_top_shares_the_reference_is_the_largest_group():
    # the shared rule: ties go to the largest group. The ratings table named the first tied
    # row instead (A), and compared the other groups' ratings with it
    rows = [("A", r) for r in [1] * 60 + [2] * 30 + [3] * 10] + \
        [("B", r) for r in [1] * 120 + [2] * 60 + [3] * 20]
    r = fh.rating_disparity(pd.DataFrame(rows, columns=["sex", "rating"]), group="sex",
                            rating="rating")
    t = r.table.set_index("group")
    assert r.reference_group == "B" and set(t["reference_group"]) == {"B"}
    assert t["is_reference"].all()  # tied: each is a reference (ratio 1)
    assert np.isnan(t.loc["B", "p_value_mann_whitney"]) and t.loc["A", "p_value_mann_whitney"] == 1


def test_ratings_read_as_floats_match_an_order_written_as_text():
    # a rating column with one blank cell is read as 1.0 ... 5.0; an order written as text
    # (a TOML config: order = ["1", "2", "3", "4", "5"]) names the same ratings, as the
    # whole-number rule for group codes reads them
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"sex": rng.choice(["F", "M"], 300),
                       "rating": rng.choice([1, 2, 3, 4, 5, np.nan], 300)})
    by_number = fh.rating_disparity(df, group="sex", rating="rating", order=[1, 2, 3, 4, 5])
    by_text = fh.rating_disparity(df, group="sex", rating="rating",
                                  order=["1", "2", "3", "4", "5"])
    cols = ["group", "n", "top_count", "mean_rank", "p_value_mann_whitney"]
    pd.testing.assert_frame_equal(by_text.table[cols], by_number.table[cols])
    assert by_text.rows == by_number.rows


def test_levels_read_as_floats_match_an_order_written_as_text():
    df = pd.DataFrame({"sex": ["F", "M"] * 60,
                       "grade": [8.0, 9.0, 10.0, np.nan] * 30})
    by_number = fh.representation(df, group="sex", level="grade", order=[8, 9, 10])
    by_text = fh.representation(df, group="sex", level="grade", order=["8", "9", "10"])
    assert by_text.table["count"].tolist() == by_number.table["count"].tolist()
    assert by_text.rows == by_number.rows
