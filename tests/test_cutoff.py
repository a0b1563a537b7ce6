"""Cut-off analysis: counts by hand and by brute force, monotonicity, the target search."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import fairhire as fh
from fairhire.datasets.assessment import make_assessment_scores
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)


@pytest.fixture
def tiny():
    # A: scores 1..10 (10 people); B: scores 1..5 twice (10 people)
    return pd.DataFrame(
        {
            "group": ["A"] * 10 + ["B"] * 10,
            "score": [float(s) for s in range(1, 11)] + [float(s) for s in [1, 2, 3, 4, 5] * 2],
        }
    )


def test_counts_rates_and_flags_by_hand(tiny):
    cut = fh.cutoff_analysis(tiny, score="score", group="group", cutoffs=[3, 5, 6])
    at3 = cut.at(3).set_index("group")
    # A: 8 of 10 score >= 3; B: 6 of 10
    assert at3["selected"].to_dict() == {"A": 8, "B": 6}
    assert at3.loc["B", "impact_ratio"] == pytest.approx(0.6 / 0.8)
    assert at3.loc["B", "adverse_impact"]  # 0.75 < 4/5: 6 * 10 * 5 < 4 * 8 * 10
    at5 = cut.at(5).set_index("group")
    assert at5["selected"].to_dict() == {"A": 6, "B": 2}
    assert at5.loc["B", "adverse_impact"]
    p = stats.fisher_exact([[2, 8], [6, 4]]).pvalue
    assert at5.loc["B", "p_value_fisher"] == pytest.approx(p, rel=1e-9)
    at6 = cut.at(6).set_index("group")
    assert at6["selected"].to_dict() == {"A": 5, "B": 0}
    bc = cut.by_cutoff.set_index("cutoff")
    assert bc.loc[5.0, "selected"] == 8 and bc.loc[6.0, "min_impact_ratio"] == 0.0
    with pytest.raises(InvalidParameterError, match="not one of the candidate"):
        cut.at(4)


def test_four_fifths_is_exact_at_the_boundary():
    # 12 of 20 against 15 of 20 at one cut-off: exactly 4/5, not flagged (UGESP Q&A 11)
    df = pd.DataFrame(
        {"group": ["A"] * 20 + ["B"] * 20, "score": [1.0] * 15 + [0.0] * 5 + [1.0] * 12 + [0.0] * 8}
    )
    cut = fh.cutoff_analysis(df, score="score", group="group", cutoffs=[1])
    row = cut.table.set_index("group").loc["B"]
    assert not row.adverse_impact and row.impact_ratio == pytest.approx(0.8)


def test_default_candidates_are_the_distinct_scores(tiny):
    cut = fh.cutoff_analysis(tiny, score="score", group="group")
    assert cut.by_cutoff["cutoff"].tolist() == [float(s) for s in range(1, 11)]
    assert cut.by_cutoff["selected"].iloc[0] == 20  # the lowest score selects everyone
    assert cut.by_cutoff["no_adverse_impact"].iloc[0]


def test_many_distinct_scores_give_a_quantile_grid():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"group": rng.choice(["A", "B"], 3_000), "score": rng.normal(size=3_000)})
    cut = fh.cutoff_analysis(df, score="score", group="group", max_cutoffs=25)
    assert len(cut.by_cutoff) == 25
    assert cut.by_cutoff["cutoff"].iloc[0] == df["score"].min()
    assert cut.by_cutoff["cutoff"].iloc[-1] == df["score"].max()
    assert any("quantiles" in w for w in cut.warnings)


def test_ranges_and_target_search():
    df = make_assessment_scores(6_000, random_state=11)
    cut = fh.cutoff_analysis(
        df, score="score", group="race", min_share=0.02, target_selected=2_000, target_tolerance=0.3
    )
    bc = cut.by_cutoff
    # ranges are exactly the runs of consecutive flagged-free cut-offs
    ok = bc.set_index("cutoff")["no_adverse_impact"]
    covered = {c for lo, hi in cut.no_adverse_impact_ranges for c in ok.index if lo <= c <= hi}
    assert covered == set(ok.index[ok])
    # the target: top-down is the highest cut-off selecting at least 2,000
    enough = bc.loc[bc["selected"] >= 2_000]
    assert cut.top_down_cutoff == enough["cutoff"].max()
    band = enough.loc[enough["selected"] <= 2_600]
    best = bc.set_index("cutoff").loc[cut.best_cutoff]
    assert cut.best_cutoff in set(band["cutoff"])
    assert best.min_impact_ratio == band["min_impact_ratio"].max()
    assert cut.best_cutoff <= cut.top_down_cutoff
    text = " ".join(h.text for h in cut.headlines())
    assert "2,000" in text and "top-down" in text
    with pytest.raises(InvalidParameterError, match="target_selected"):
        fh.cutoff_analysis(df, score="score", group="race", target_selected=10**6)


def test_lower_is_better(tiny):
    cut = fh.cutoff_analysis(
        tiny,
        score="score",
        group="group",
        cutoffs=[2, 5],
        higher_is_better=False,
        target_selected=10,
    )
    at2 = cut.at(2).set_index("group")
    assert at2["selected"].to_dict() == {"A": 2, "B": 4}
    assert cut.by_cutoff["selected"].is_monotonic_increasing
    assert cut.top_down_cutoff == 5.0  # the strictest cut-off selecting at least 10


@pytest.mark.parametrize("criterion", ["either", "four_fifths", "significance", "both"])
def test_criteria(criterion):
    df = make_assessment_scores(3_000, random_state=5)
    cut = fh.cutoff_analysis(df, score="score", group="sex", criterion=criterion)
    bc = cut.by_cutoff
    anyone = bc["selected"] > 0
    expected = {
        "either": ~(bc["adverse_impact"] | bc["significant"]),
        "four_fifths": ~bc["adverse_impact"],
        "significance": ~bc["significant"],
    }.get(criterion)
    if expected is not None:
        assert (bc["no_adverse_impact"] == (expected & anyone)).all()
    else:  # "both": at least as permissive as either single test
        assert (bc["no_adverse_impact"] >= ~(bc["adverse_impact"] | bc["significant"])).all()
    assert criterion in json.dumps(cut.to_dict())


def test_group_specific_cutoffs_are_refused(tiny):
    with pytest.raises(InvalidParameterError, match="1991"):
        fh.cutoff_analysis(tiny, score="score", group="group", cutoffs={"A": 5, "B": 3})


def test_bad_inputs(tiny):
    with pytest.raises(ColumnError, match="scor"):
        fh.cutoff_analysis(tiny, score="scor", group="group")
    with pytest.raises(ColumnError, match="grp"):
        fh.cutoff_analysis(tiny, score="score", group="grp")
    with pytest.raises(InvalidValueError, match=r"'group'.*numbers"):
        fh.cutoff_analysis(tiny, score="group", group="score")
    with pytest.raises(InvalidParameterError, match="criterion"):
        fh.cutoff_analysis(tiny, score="score", group="group", criterion="any")
    with pytest.raises(InvalidParameterError, match="target_selected"):
        fh.cutoff_analysis(tiny, score="score", group="group", target_selected=0)
    with pytest.raises(InvalidParameterError, match="cutoffs"):
        fh.cutoff_analysis(tiny, score="score", group="group", cutoffs=["high"])
    with pytest.raises(InvalidParameterError, match="cutoffs"):
        fh.cutoff_analysis(tiny, score="score", group="group", cutoffs=[np.nan])
    with pytest.raises(InsufficientDataError):
        fh.cutoff_analysis(tiny.assign(group="A"), score="score", group="group")
    with pytest.raises(InvalidParameterError, match="both the score"):
        fh.cutoff_analysis(tiny, score="score", group="score")


def test_missing_scores_and_groups_are_counted(tiny):
    df = tiny.copy()
    df.loc[[0, 1], "score"] = np.nan
    df.loc[[12], "group"] = None
    cut = fh.cutoff_analysis(df, score="score", group="group", cutoffs=[1])
    assert cut.rows.excluded == {"missing score": 2, "missing group": 1}
    assert cut.rows.total == 20
    assert cut.by_cutoff["applicants"].iloc[0] == 18  # unknown group included in the total
    assert cut.unknown["applicants"].iloc[0] == 1
    with pytest.raises(InvalidValueError, match="'score'"):
        fh.cutoff_analysis(df, score="score", group="group", missing_score="raise")


def test_backends_agree():
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    df = make_assessment_scores(2_000, random_state=3)
    ref = fh.cutoff_analysis(df, score="score", group=["sex", "race"], min_share=0.02)
    for other in (pl.from_pandas(df).lazy(), duckdb.sql("select * from df")):
        got = fh.cutoff_analysis(other, score="score", group=["sex", "race"], min_share=0.02)
        pd.testing.assert_frame_equal(ref.by_cutoff, got.by_cutoff)
        pd.testing.assert_frame_equal(ref.table, got.table)


def test_result_api(tiny):
    before = tiny.copy()
    cut = fh.cutoff_analysis(tiny, score="score", group="group", target_selected=8)
    pd.testing.assert_frame_equal(tiny, before)
    assert len(cut.to_frame()) == 2 * len(cut.by_cutoff)
    json.dumps(cut.to_dict())
    assert "one cut-off for everyone" in cut.summary()
    assert "CutoffAnalysis" in repr(cut)
    assert all("discrimination" not in h.text for h in cut.headlines())


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

ROWS = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 12)), min_size=4, max_size=80
)


@given(ROWS, st.booleans())
def test_property_monotone_and_brute_force(rows, higher):
    df = pd.DataFrame(rows, columns=["group", "score"]).astype({"score": float})
    if df["group"].nunique() < 2:
        return
    cut = fh.cutoff_analysis(df, score="score", group="group", higher_is_better=higher)
    bc = cut.by_cutoff
    assert bc["cutoff"].is_monotonic_increasing
    if higher:
        assert bc["selected"].is_monotonic_decreasing
    else:
        assert bc["selected"].is_monotonic_increasing
    for c, part in cut.table.groupby("cutoff"):
        for row in part.itertuples():
            s = df.loc[df["group"] == row.group, "score"]
            expected = int((s >= c).sum() if higher else (s <= c).sum())
            assert row.selected == expected and row.applicants == len(s)
    for _, part_g in cut.table.groupby("group"):
        sel = part_g.sort_values("cutoff")["selected"]
        assert sel.is_monotonic_decreasing if higher else sel.is_monotonic_increasing


def test_infinite_scores_are_counted_and_left_out(tiny):
    df = tiny.copy()
    df.loc[[0, 11], "score"] = [np.inf, -np.inf]
    cut = fh.cutoff_analysis(df, score="score", group="group")
    assert cut.rows.excluded == {"infinite score": 2}
    assert np.isfinite(cut.by_cutoff["cutoff"]).all()
    assert cut.by_cutoff["applicants"].iloc[0] == 18
    assert any("infinite score" in w for w in cut.warnings)


def test_labels_and_options_follow_the_shared_rules():
    rng = np.random.default_rng(4)
    df = pd.DataFrame(
        {
            "g": rng.choice(["Alpha", "alpha ", "Beta"], 600, p=[0.45, 0.1, 0.45]),
            "score": rng.normal(50, 10, 600).round(),
        }
    )
    cut = fh.cutoff_analysis(df, score="score", group="g", cutoffs=[45, 55])
    assert set(cut.table["group"]) == {"Alpha", "Beta"}
    assert any("merged as 'Alpha'" in w for w in cut.warnings)
    with pytest.raises(InvalidParameterError, match="alpha"):
        fh.cutoff_analysis(df, score="score", group="g", alpha="0.05")
    with pytest.raises(InvalidParameterError, match="higher_is_better"):
        fh.cutoff_analysis(df, score="score", group="g", higher_is_better="False")


def test_percent_scores_get_a_conversion_that_reads_them():
    """An assessment vendor's export writes scores as "85%" (or "0,85"). The error advised
    pandas.to_numeric(errors='coerce'), which reads every one of them as missing; it now names
    the conversion that reads them, and the converted column gives the numeric result."""
    rng = np.random.default_rng(3)
    pct = pd.DataFrame({"Overall Score": [f"{v}%" for v in rng.integers(30, 100, 200)],
                        "Race": rng.choice(["A", "B"], 200)})
    with pytest.raises(InvalidValueError, match="percent sign") as err:
        fh.cutoff_analysis(pct, score="Overall Score", group="Race", cutoffs=[60])
    message = str(err.value)
    assert "errors='coerce') would read as missing" in message
    assert "pandas.to_numeric(df['Overall Score'].str.rstrip('%'))" in message
    fixed = pct.assign(**{"Overall Score": pd.to_numeric(pct["Overall Score"].str.rstrip("%"))})
    assert fixed["Overall Score"].notna().all()
    comma = pct.assign(**{"Overall Score": (fixed["Overall Score"] / 100).map(
        lambda v: f"{v:.2f}".replace(".", ","))})
    with pytest.raises(InvalidValueError, match=r"decimal comma.*str.replace\(',', '.'\)"):
        fh.cutoff_analysis(comma, score="Overall Score", group="Race", cutoffs=[0.6])


def test_small_selected_count_cannot_be_worked_back_from_the_cutoff_total():
    """At cut-off 70, group C (12 people) has 3 selected: withheld below min_cell = 5. The
    JSON showed A's 49 and B's 27 beside the cut-off's total of 79 selected, so 79 - 49 - 27
    gave the 3 back: the cut-off is a number, not a label, and the suppression did not read
    the rows at one cut-off as adding up to the total. CutoffAnalysis now declares those sums."""
    rng = np.random.default_rng(4)
    g = np.array(["A"] * 150 + ["B"] * 100 + ["C"] * 12)
    s = rng.integers(0, 100, len(g)).astype(float)
    cut = fh.cutoff_analysis(pd.DataFrame({"s": s, "g": g}), score="s", group="g",
                             cutoffs=[30, 50, 70, 90])
    assert cut.at(70).set_index("group")["selected"].to_dict() == {"A": 49, "B": 27, "C": 3}
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    result = json.loads(report.add(cut).render_json())["sections"][0]["result"]
    totals = {r["cutoff"]: r["selected"] for r in result["by_cutoff"]}
    assert totals[70.0] == 79
    at_70 = [r for r in cut.table.index[cut.table["cutoff"] == 70]]
    shown = [result["table"][i]["selected"] for i in at_70]
    assert shown.count(None) != 1 and sum(v for v in shown if v is not None) != 79 - 3


def test_a_withheld_row_keeps_its_cutoff_in_every_format():
    """A row with a withheld count had its cut-off nulled in the JSON (a float column, read
    as a figure), so which cut-off it was at could only be guessed from its position. The
    cut-off names the row (CutoffAnalysis.label_columns): it stays."""
    rng = np.random.default_rng(4)
    g = np.array(["A"] * 150 + ["B"] * 100 + ["C"] * 12)
    s = rng.integers(0, 100, len(g)).astype(float)
    cut = fh.cutoff_analysis(pd.DataFrame({"s": s, "g": g}), score="s", group="g",
                             cutoffs=[30, 50, 70, 90])
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    rows = json.loads(report.add(cut).render_json())["sections"][0]["result"]["table"]
    held = [r for r in rows if r.get("suppressed")]
    assert held and all("cutoff" not in r["suppressed"] for r in held)
    assert [r["cutoff"] for r in rows] == cut.table["cutoff"].tolist()


@pytest.mark.parametrize("cutoffs", [["60"], "60", [60, "70"], [True]])
def test_cutoffs_written_as_text_are_refused_not_read(cutoffs):
    """Text is never read as a number in an argument (docs/rules.md); cutoffs=["60"] was
    read as 60 (e3dc064)."""
    df = pd.DataFrame({"s": [50.0, 65, 75, 80] * 10, "g": ["A", "B"] * 20})
    with pytest.raises(InvalidParameterError, match="cutoffs= must be numbers, not text"):
        fh.cutoff_analysis(df, score="s", group="g", cutoffs=cutoffs)
