"""The adverse-impact engine: reference values, backends, properties and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.errors import (
    ColumnError,
    FairhireError,
    InputTypeError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)

STAGES = ["screened", "interviewed", "offered", "hired"]


@pytest.fixture(scope="module")
def funnel() -> pd.DataFrame:
    return fh.datasets.make_hiring_funnel(6_000, random_state=3)


def row(ai, stage, group):
    t = ai.table
    return t.loc[(t.stage == stage) & (t.group == group)].iloc[0]


# --- reference values -------------------------------------------------------------------


def test_q12_table_from_counts():
    counts = pd.DataFrame({"race": ["White", "Black"], "n": [80, 40], "hired": [48, 12]})
    ai = fh.adverse_impact_from_counts(counts, group="race", applicants="n", selected="hired")
    r = row(ai, "hired", "Black")
    assert r.impact_ratio == 0.5 and r.adverse_impact
    assert r.z == pytest.approx(-3.09839, abs=1e-5)
    assert r.p_value_z == pytest.approx(0.00194577, rel=1e-5)
    assert r.p_value_fisher == pytest.approx(0.00340922, rel=1e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.301433, 0.829372), abs=1e-6)
    assert r.shortfall == 12.0 and r.shortfall_four_fifths == 8
    assert r.reference_group == "White"
    ref = row(ai, "hired", "White")
    assert ref.is_reference and ref.impact_ratio == 1.0 and not ref.adverse_impact
    assert len(ai.table) == 2  # one stage: no separate bottom line


def test_exactly_four_fifths_is_not_flagged():
    counts = {"g": ["a", "b"], "n": [20, 20], "s": [15, 12]}
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    r = row(ai, "s", "b")
    assert (12 / 20) / (15 / 20) < 0.8  # a naive float comparison would flag it
    assert r.impact_ratio == pytest.approx(0.8)
    assert not r.adverse_impact


def test_berkeley_aggregate_and_stratified():
    ucb = fh.datasets.load_ucb_admissions()
    ai = fh.adverse_impact_from_counts(
        ucb, group="sex", applicants="applicants", selected="admitted", strata="department"
    )
    women = row(ai, "admitted", "Female")
    assert women.selected == 557 and women.applicants == 1835
    assert row(ai, "admitted", "Male").selected == 1198
    assert women.impact_ratio == pytest.approx(0.68183, abs=1e-5)
    assert women.adverse_impact
    s = ai.strata.iloc[0]
    assert s.group == "Female" and s.reference_group == "Male"
    # METHODS.md gives men vs women; the table holds women (focal) vs men (reference)
    assert 1 / s.mh_odds_ratio == pytest.approx(0.904697, abs=1e-6)
    assert (1 / s.mh_ci_high, 1 / s.mh_ci_low) == pytest.approx((0.771907, 1.06033), abs=1e-5)
    assert s.cmh_statistic == pytest.approx(1.52461, abs=1e-5)
    assert s.cmh_p_value == pytest.approx(0.216924, abs=1e-6)
    assert s.cmh_statistic_corrected == pytest.approx(1.42695, abs=1e-5)
    assert s.cmh_p_value_corrected == pytest.approx(0.232263, abs=1e-6)
    assert s.breslow_day_statistic == pytest.approx(18.8255, abs=1e-4)
    assert s.breslow_day_p_value == pytest.approx(0.00207139, rel=1e-4)
    assert s.n_strata == 6 and s.reversal
    assert any("Simpson" in w for w in ai.warnings)
    assert any("Simpson" in h.text for h in ai.headlines())


def test_statistics_match_scipy_per_row(funnel):
    import scipy.stats as ss

    ai = fh.adverse_impact(funnel, group="race", stages=STAGES)
    t = ai.table
    for r in t[~t.is_reference & t.impact_ratio.notna()].itertuples():
        ref = row(ai, r.stage, r.reference_group)
        a, n, b, m = r.selected, r.applicants, ref.selected, ref.applicants
        assert r.p_value_fisher == pytest.approx(
            ss.fisher_exact([[a, n - a], [b, m - b]]).pvalue, rel=1e-9
        )
        chi2 = ss.chi2_contingency([[a, n - a], [b, m - b]], correction=False)
        assert r.z**2 == pytest.approx(chi2.statistic, rel=1e-9)


# --- funnel semantics -------------------------------------------------------------------


def test_conditional_rates_and_bottom_line(funnel):
    ai = fh.adverse_impact(funnel, group="sex", stages=STAGES)
    known = funnel[funnel.sex == "Female"]
    r = row(ai, "interviewed", "Female")
    assert r.applicants == known.screened.sum()
    assert r.selected == known.interviewed.sum()
    bl = row(ai, "bottom line", "Female")
    assert bl.applicants == len(known) and bl.selected == known.hired.sum()
    assert bl.basis == "cumulative" and r.basis == "conditional"
    assert list(ai.bottom_line.stage.unique()) == ["bottom line"]
    # injected disparity: women interviewed at ~0.72x men's rate
    assert row(ai, "interviewed", "Female").impact_ratio < 0.85


def test_cumulative_rates(funnel):
    ai = fh.adverse_impact(funnel, group="sex", stages=STAGES, cumulative=True)
    r = row(ai, "offered", "Male")
    males = funnel[funnel.sex == "Male"]
    assert r.applicants == len(males) and r.selected == males.offered.sum()
    assert r.basis == "cumulative"


def test_stage_column_equals_boolean_columns(funnel):
    a = fh.adverse_impact(funnel, group="sex", stages=STAGES)
    b = fh.adverse_impact(
        funnel, group="sex", stage_column="stage_reached", stage_order=["applied", *STAGES]
    )
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.unknown, b.unknown)


def test_wide_counts_equal_row_level(funnel):
    a = fh.adverse_impact(funnel, group="race", stages=STAGES)
    counts = (
        funnel.dropna(subset=["race"])
        .groupby("race")
        .agg(n=("applicant_id", "size"), **{s: (s, "sum") for s in STAGES})
        .reset_index()
    )
    b = fh.adverse_impact_from_counts(counts, group="race", applicants="n", selected=STAGES)
    cols = ["stage", "group", "applicants", "selected", "impact_ratio", "p_value_fisher"]
    pd.testing.assert_frame_equal(a.table[cols], b.table[cols])


def test_long_counts_with_stage_column():
    long = pd.DataFrame(
        {
            "stage": ["screen", "screen", "hire", "hire"],
            "g": ["a", "b", "a", "b"],
            "n": [100, 100, 50, 30],
            "k": [50, 30, 20, 10],
        }
    )
    ai = fh.adverse_impact_from_counts(long, group="g", applicants="n", selected="k", stage="stage")
    assert ai.stages == ("screen", "hire")
    bl = row(ai, "bottom line", "b")
    assert (bl.applicants, bl.selected) == (100, 10)
    # unchained stages: no bottom line, and a warning says why
    long.loc[3, "n"] = 31
    ai = fh.adverse_impact_from_counts(long, group="g", applicants="n", selected="k", stage="stage")
    assert "bottom line" not in set(ai.table.stage)
    assert any("not chained" in w for w in ai.warnings)


def test_intersectional_groups(funnel):
    ai = fh.adverse_impact(funnel, group=["sex", "race"], stages=STAGES)
    assert {"sex", "race"} <= set(ai.table.columns)
    assert "Female × White" in set(ai.table.group)
    r = row(ai, "screened", "Female × White")
    assert r.sex == "Female" and r.race == "White"


def test_fixed_reference(funnel):
    ai = fh.adverse_impact(funnel, group="sex", stages=STAGES, reference="Male")
    assert set(ai.table.reference_group) == {"Male"}
    assert (ai.table.loc[ai.table.group == "Male", "impact_ratio"] == 1).all()
    with pytest.raises(InvalidParameterError, match="not one of the groups"):
        fh.adverse_impact(funnel, group="sex", stages=STAGES, reference="Men")


def test_ties_at_the_top_all_get_one():
    # groups of 100, 200 and 300: all large enough to be the reference (min_n=30)
    counts = {"g": ["a", "b", "c"], "n": [100, 200, 300], "s": [50, 100, 30]}
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    t = ai.table.set_index("group")
    assert t.loc["a", "is_reference"] and t.loc["b", "is_reference"]
    assert t.loc["a", "impact_ratio"] == t.loc["b", "impact_ratio"] == 1.0
    assert t.loc["c", "impact_ratio"] == pytest.approx(0.2)
    assert set(t["reference_group"]) == {"b"}  # the largest of the tied groups


def test_small_groups_are_compared_but_never_the_default_reference():
    # a 20-person group at 100% does not become the reference (min_n=30); it is compared
    counts = {"g": ["tiny", "big", "other"], "n": [20, 400, 500], "s": [20, 200, 150]}
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    t = ai.table.set_index("group")
    assert set(t["reference_group"]) == {"big"}
    assert t.loc["tiny", "too_small_for_reference"] and not t.loc["tiny", "is_reference"]
    assert t.loc["tiny", "impact_ratio"] == 2.0 and not np.isnan(t.loc["tiny", "p_value_fisher"])
    assert t.loc["other", "impact_ratio"] == pytest.approx(0.6) and t.loc["other", "adverse_impact"]
    assert not t.loc["big", "too_small_for_reference"]
    # min_n sets who can be the reference; reference= overrides, with a warning when small
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s", min_n=5)
    assert set(ai.table["reference_group"]) == {"tiny"}
    ai = fh.adverse_impact_from_counts(
        counts, group="g", applicants="n", selected="s", reference="tiny"
    )
    assert any("'tiny'" in w and "unstable" in w for w in ai.warnings)


def test_min_share_excludes_but_lists(funnel):
    ai = fh.adverse_impact(funnel, group="race", stages=STAGES, min_share=0.02)
    small = ai.table[ai.table.excluded]
    assert set(small.group) == {
        "Native Hawaiian or Pacific Islander",
        "Native American or Alaska Native",
    }
    assert small.impact_ratio.isna().all() and not small.adverse_impact.any()
    assert (small.applicants > 0).any()
    assert not ai.table.loc[ai.table.is_reference, "excluded"].any()


def test_unknown_rows_counted_not_dropped(funnel):
    ai = fh.adverse_impact(funnel, group="sex", stages=STAGES)
    missing = funnel.sex.isna()
    assert ai.unknown.applicants.iloc[0] == missing.sum()
    assert ai.unknown.selected.iloc[0] == funnel.loc[missing, "screened"].sum()
    assert ai.rows.excluded["missing group"] == missing.sum()
    assert ai.rows.total == len(funnel)
    ai2 = fh.adverse_impact(funnel, group="sex", stages=STAGES, unknown_labels=["Non-binary"])
    assert "Non-binary" not in set(ai2.table.group)
    assert ai2.rows.excluded["missing group"] == missing.sum() + (funnel.sex == "Non-binary").sum()


def test_group_labels_of_any_type():
    rng = np.random.default_rng(0)
    n = 400
    base = pd.DataFrame({"s1": rng.random(n) < 0.5})
    base["s2"] = base.s1 & (rng.random(n) < 0.5)
    for values in (
        rng.integers(0, 3, n),
        rng.random(n) < 0.4,
        pd.Categorical(rng.choice(["x", "y"], n)),
    ):
        df = base.assign(g=values)
        ai = fh.adverse_impact(df, group="g", stages=["s1", "s2"])
        assert ai.table.applicants.sum() > 0


def test_inconsistent_funnel_raises_or_excludes():
    df = pd.DataFrame(
        {
            "g": ["a", "a", "b", "b", "a", "b"] * 10,
            "s1": [True, False, True, False, True, False] * 10,
            "s2": [True, True, False, False, False, True] * 10,
        }
    )
    with pytest.raises(InvalidValueError, match=r"20 rows have 's2' True but 's1' False"):
        fh.adverse_impact(df, group="g", stages=["s1", "s2"])
    ai = fh.adverse_impact(df, group="g", stages=["s1", "s2"], on_inconsistent="exclude")
    assert ai.rows.excluded["inconsistent funnel"] == 20
    assert ai.rows.used == 40
    assert ai.table.loc[ai.table.stage == "s1", "applicants"].sum() == 40


def test_polars_pandas_pyarrow_duckdb_identical(funnel):
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    duckdb = pytest.importorskip("duckdb")
    kwargs = {"group": ["sex", "race"], "stages": STAGES, "strata": "requisition"}
    expected = fh.adverse_impact(funnel, **kwargs)
    as_polars = pl.from_pandas(funnel)
    frames = {
        "polars": as_polars,
        "polars lazy": as_polars.lazy(),
        "pyarrow": pa.Table.from_pandas(funnel),
        "duckdb": duckdb.from_arrow(pa.Table.from_pandas(funnel)),
    }
    for name, frame in frames.items():
        got = fh.adverse_impact(frame, **kwargs)
        pd.testing.assert_frame_equal(got.table, expected.table, obj=name)
        pd.testing.assert_frame_equal(got.strata, expected.strata, obj=name)
        pd.testing.assert_frame_equal(got.unknown, expected.unknown, obj=name)
        assert got.fingerprint == expected.fingerprint


@pytest.mark.parametrize("categorical", [False, True])
def test_large_pandas_frames_counted_in_slices_give_identical_results(monkeypatch, categorical):
    # Large pandas frames are aggregated a slice at a time (to bound memory); a tiny slice size
    # here makes a 6,000-row frame take that path, with slices that split groups and strata.
    import fairhire._frames as frames

    data = fh.datasets.make_hiring_funnel(6_000, random_state=3, categorical=categorical)
    kwargs = {"group": ["sex", "race"], "stages": STAGES, "strata": "requisition"}
    expected = fh.adverse_impact(data, **kwargs)
    monkeypatch.setattr(frames, "CHUNK_ROWS", 997)
    got = fh.adverse_impact(data, **kwargs)
    pd.testing.assert_frame_equal(got.table, expected.table)
    pd.testing.assert_frame_equal(got.strata, expected.strata)
    pd.testing.assert_frame_equal(got.unknown, expected.unknown)
    assert got.fingerprint == expected.fingerprint


def test_input_not_mutated(funnel):
    before = funnel.copy(deep=True)
    fh.adverse_impact(funnel, group=["sex", "race"], stages=STAGES, strata="requisition")
    pd.testing.assert_frame_equal(funnel, before)


# --- result object ----------------------------------------------------------------------


def test_result_api(funnel):
    ai = fh.adverse_impact(funnel, group="sex", stages=STAGES, strata="requisition")
    d = ai.to_dict()
    json.dumps(d)  # JSON-safe: NaN became None
    assert d["type"] == "AdverseImpactResult"
    assert len(d["table"]) == len(ai.table)
    assert "Adverse impact by sex" in ai.summary()
    assert str(ai) == ai.summary()
    assert ai.to_frame() is not ai.table
    html = ai._repr_html_()
    assert "<table" in html
    with pytest.raises(AttributeError):
        ai.table = None  # frozen
    heads = ai.headlines()
    assert heads and heads[0].severity >= heads[-1].severity
    assert all("discriminat" not in h.text.lower() for h in heads)
    assert any("interview" in h.text and "Female" in h.text for h in heads)


def test_labels_are_escaped_in_html():
    counts = {"g": ["<script>alert(1)</script>", "b"], "n": [50, 50], "s": [10, 40]}
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    html = ai._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- bad input --------------------------------------------------------------------------


def test_missing_column_named(funnel):
    with pytest.raises(ColumnError, match=r"'Sex'.*group=.*did you mean 'sex'") as e:
        fh.adverse_impact(funnel, group="Sex", stages=STAGES)
    assert isinstance(e.value, FairhireError)
    with pytest.raises(ColumnError, match="'hire'"):
        fh.adverse_impact(funnel, group="sex", stages=["screened", "hire"])


def test_non_boolean_stage_values():
    df = pd.DataFrame({"g": ["a", "b"] * 5, "s": ["yes", "maybe"] * 5})
    with pytest.raises(InvalidValueError, match=r"'s'.*\['maybe'\] in 5 rows"):
        fh.adverse_impact(df, group="g", stages="s")
    df = pd.DataFrame({"g": ["a", "b"] * 5, "s": [0, 1, 2, 1, 0] * 2})
    with pytest.raises(InvalidValueError, match=r"'s'.*\[2\]"):
        fh.adverse_impact(df, group="g", stages="s")


def test_nan_outcomes():
    # a blank outcome is counted and excluded with a warning, never read as not selected
    df = pd.DataFrame({"g": ["a", "b"] * 5, "s": [True, False, None, True, False] * 2})
    ai = fh.adverse_impact(df, group="g", stages="s")
    assert ai.rows.excluded == {"missing outcome (s)": 2}
    assert ai.table["applicants"].sum() == 8
    assert any("missing outcome (s)" in w for w in ai.warnings)


def test_integer_zero_one_stages_accepted():
    df = pd.DataFrame({"g": ["a", "b"] * 50, "s": [1, 0, 1, 1] * 25})
    ai = fh.adverse_impact(df, group="g", stages="s")
    assert ai.table.selected.sum() == 75


def test_single_group_and_empty_frame():
    df = pd.DataFrame({"g": ["a"] * 10, "s": [True, False] * 5})
    with pytest.raises(InsufficientDataError, match="only one group"):
        fh.adverse_impact(df, group="g", stages="s")
    with pytest.raises(InsufficientDataError, match="no rows"):
        fh.adverse_impact(df.iloc[:0], group="g", stages="s")
    df = pd.DataFrame({"g": [None] * 4, "s": [True, False] * 2})
    with pytest.raises(InsufficientDataError, match="missing group"):
        fh.adverse_impact(df, group="g", stages="s")


def test_zero_applicants_at_a_stage_and_none_selected():
    counts = pd.DataFrame({"g": ["a", "b"], "n": [40, 30], "screened": [10, 0], "hired": [0, 0]})
    ai = fh.adverse_impact_from_counts(
        counts, group="g", applicants="n", selected=["screened", "hired"]
    )
    r = row(ai, "hired", "b")
    assert r.applicants == 0 and math.isnan(r.selection_rate) and r.small_sample
    assert any("no applicants at stage 'hired'" in w for w in ai.warnings)
    assert any("no one was selected" in w for w in ai.warnings)
    everyone = {"g": ["a", "b"], "n": [40, 30], "s": [40, 30]}
    ai = fh.adverse_impact_from_counts(everyone, group="g", applicants="n", selected="s")
    assert (ai.table.impact_ratio == 1).all() and not ai.table.adverse_impact.any()


def test_bad_counts_and_parameters():
    with pytest.raises(InvalidValueError, match="more selected than applicants"):
        fh.adverse_impact_from_counts(
            {"g": ["a", "b"], "n": [5, 5], "s": [6, 1]}, group="g", applicants="n", selected="s"
        )
    with pytest.raises(InvalidValueError, match=r"'n'.*non-negative whole"):
        fh.adverse_impact_from_counts(
            {"g": ["a", "b"], "n": [5.5, 5], "s": [1, 1]}, group="g", applicants="n", selected="s"
        )
    df = pd.DataFrame({"g": ["a", "b"] * 5, "s": [True, False] * 5})
    with pytest.raises(InvalidParameterError, match="either"):
        fh.adverse_impact(df, group="g")
    with pytest.raises(InvalidParameterError, match="on_inconsistent"):
        fh.adverse_impact(df, group="g", stages="s", on_inconsistent="drop")
    with pytest.raises(InvalidParameterError, match="adjust"):
        fh.adverse_impact(df, group="g", stages="s", adjust="sidak")
    with pytest.raises(InputTypeError, match="data frame"):
        fh.adverse_impact([1, 2, 3], group="g", stages="s")
    with pytest.raises(InvalidValueError, match="not in stage_order"):
        fh.adverse_impact(
            pd.DataFrame({"g": ["a", "b"], "st": ["applied", "hird"]}),
            group="g",
            stage_column="st",
            stage_order=["applied", "hired"],
        )


# --- properties -------------------------------------------------------------------------

counts_strategy = st.lists(
    st.tuples(st.integers(1, 80), st.floats(0, 1), st.floats(0, 1)), min_size=2, max_size=5
)


def _frame_from(spec, seed=0):
    rows = []
    for i, (n, p1, p2) in enumerate(spec):
        s1 = round(n * p1)
        s2 = round(s1 * p2)
        for j in range(n):
            rows.append((f"g{i}", j < s1, j < s2))
    return pd.DataFrame(rows, columns=["g", "s1", "s2"])


@settings(max_examples=25)
@given(counts_strategy, st.randoms(use_true_random=False))
def test_counts_conserved_and_order_free(spec, rnd):
    df = _frame_from(spec)
    # one row with a missing group, to check it is counted
    df.loc[len(df)] = [None, True, False]
    ai = fh.adverse_impact(df, group="g", stages=["s1", "s2"])
    t = ai.table
    first = t[t.stage == "s1"]
    assert first.applicants.sum() + ai.unknown.applicants.iloc[0] == len(df)
    assert ai.rows.used + sum(ai.rows.excluded.values()) == len(df)
    for stage, col in (("s1", "s1"), ("s2", "s2")):
        known = df.dropna(subset=["g"])
        assert t[t.stage == stage].selected.sum() == known[col].sum()
    shuffled = df.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    ai2 = fh.adverse_impact(shuffled, group="g", stages=["s1", "s2"])
    pd.testing.assert_frame_equal(ai.table, ai2.table)
    # the reference groups' ratio is 1 wherever someone was selected; a group too small to be
    # the reference may be above it
    refs = t[t.is_reference & t.impact_ratio.notna()]
    assert (refs.impact_ratio == 1.0).all()
    assert (t.loc[t.impact_ratio > 1, "too_small_for_reference"]).all()


@settings(max_examples=25)
@given(counts_strategy, st.integers(2, 7))
def test_scaling_counts_keeps_rates_and_ratios(spec, k):
    groups = [f"g{i}" for i in range(len(spec))]
    n = [s[0] for s in spec]
    sel = [round(s[0] * s[1]) for s in spec]
    # min_n=0: only the 2% share decides who can be the reference, and shares do not scale
    base = fh.adverse_impact_from_counts(
        {"g": groups, "n": n, "s": sel}, group="g", applicants="n", selected="s", min_n=0
    )
    scaled = fh.adverse_impact_from_counts(
        {"g": groups, "n": [x * k for x in n], "s": [x * k for x in sel]},
        group="g",
        applicants="n",
        selected="s",
        min_n=0,
    )
    for c in ("selection_rate", "impact_ratio"):
        np.testing.assert_allclose(base.table[c], scaled.table[c])
    assert (base.table.adverse_impact == scaled.table.adverse_impact).all()


@settings(max_examples=20)
@given(st.integers(1, 60), st.integers(1, 60), st.data())
def test_one_stratum_reduces_to_plain_odds_ratio(n, m, data):
    a = data.draw(st.integers(1, max(1, n - 1)))
    b = data.draw(st.integers(1, max(1, m - 1)))
    if a >= n or b >= m:
        return
    counts = {"g": ["f", "r"], "n": [n, m], "s": [a, b], "stratum": ["only", "only"]}
    ai = fh.adverse_impact_from_counts(
        counts, group="g", applicants="n", selected="s", strata="stratum", reference="r"
    )
    s = ai.strata.iloc[0]
    assert s.mh_odds_ratio == pytest.approx((a * (m - b)) / (b * (n - a)))
    assert not s.reversal


# --- issue 14 reproducers -----------------------------------------------------------------


def _cells_frame(cells, group="race", stage="hired"):
    rows = []
    for label, n, k in cells:
        rows += [(label, j < k) for j in range(n)]
    return pd.DataFrame(rows, columns=[group, stage])


def test_tied_top_rates_give_the_same_reference_in_adverse_impact_and_ll144():
    # Hispanic 5/10, White 50/100, Black 10/40: Hispanic and White tie at 50%; the reference
    # is White (the largest tied group, and Hispanic is too small) in both analyses
    cells = [("Hispanic", 10, 5), ("White", 100, 50), ("Black", 40, 10)]
    df = _cells_frame(cells).assign(sex="Female")
    ai = fh.adverse_impact(df, group="race", stages="hired").table.set_index("group")
    ll = fh.ll144_audit(df, sex="sex", race="race", selected="hired").race.set_index("race")
    black_ai = ai.loc["Black"]
    black_ll = ll.loc["Black or African American"]
    assert black_ai.reference_group == "White"
    assert black_ai.p_value_fisher == black_ll.p_value_fisher
    import scipy.stats as ss

    assert black_ai.p_value_fisher == pytest.approx(
        ss.fisher_exact([[10, 30], [50, 50]]).pvalue, rel=1e-12
    )
    assert ll.loc["White", "is_highest"]


def test_case_and_space_variants_are_one_group_with_a_warning():
    df = _cells_frame(
        [("Female", 50, 10), ("female ", 30, 6), (" FEMALE", 20, 4), ("Male", 100, 40)], group="sex"
    )
    ai = fh.adverse_impact(df, group="sex", stages="hired")
    t = ai.table.set_index("group")
    assert list(t.index) == ["Female", "Male"]
    assert t.loc["Female", "applicants"] == 100 and t.loc["Female", "selected"] == 20
    assert any("merged as 'Female'" in w for w in ai.warnings)
    counts = {
        "sex": ["Female", "female ", " FEMALE", "Male"],
        "n": [50, 30, 20, 100],
        "k": [10, 6, 4, 40],
    }
    fc = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="k")
    pd.testing.assert_frame_equal(fc.table.drop(columns="stage"), ai.table.drop(columns="stage"))
    assert any("merged as 'Female'" in w for w in fc.warnings)
    counts = {"race": ["Black", "black ", "White"], "n": [30, 10, 80], "k": [6, 2, 48]}
    fc = fh.adverse_impact_from_counts(counts, group="race", applicants="n", selected="k")
    assert fc.table["group"].tolist() == ["Black", "White"]
    assert fc.table.set_index("group").loc["Black", "applicants"] == 40


@pytest.mark.parametrize(
    "values",
    [
        ["yes", "no", "Yes", "NO", " y", "n"],
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
        pd.array([True, False, True, False, True, False], dtype="boolean"),
        np.array([True, False, True, False, True, False], dtype=object),
    ],
)
def test_yes_no_flags_in_every_spelling(values):
    df = pd.DataFrame({"g": ["a", "a", "b", "b", "a", "b"] * 20, "s": list(values) * 20})
    ai = fh.adverse_impact(df, group="g", stages="s")
    assert ai.table["selected"].sum() == 60 and ai.rows.used == 120


def test_object_flags_with_none_are_missing_outcomes():
    df = pd.DataFrame({"g": ["a", "b"] * 30, "s": np.array([True, False, None] * 20, dtype=object)})
    ai = fh.adverse_impact(df, group="g", stages="s")
    assert ai.rows.excluded == {"missing outcome (s)": 20}
    assert ai.table["selected"].sum() == 20


def test_blank_at_a_stage_not_reached_is_not_missing():
    # screened False and interviewed blank: the applicant never reached the interview
    df = pd.DataFrame(
        {
            "g": ["a", "b"] * 40,
            "screened": [True, False, True, True] * 20,
            "interviewed": np.array([True, None, None, False] * 20, dtype=object),
        }
    )
    ai = fh.adverse_impact(df, group="g", stages=["screened", "interviewed"])
    # rows 3 of every 4 (screened True, interviewed blank) are missing outcomes; row 2 is not
    assert ai.rows.excluded == {"missing outcome (interviewed)": 20}
    assert ai.rows.used == 60


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cumulative": "False"}, "cumulative"),
        ({"mid_p": "no"}, "mid_p"),
        ({"min_share": "x"}, "min_share"),
        ({"alpha": "0.05"}, "alpha"),
        ({"confidence": 95}, "confidence"),
        ({"min_n": 2.5}, "min_n"),
        ({"threshold": "high"}, "threshold"),
        ({"alternative": "lower"}, "alternative"),
    ],
)
def test_options_are_checked_never_guessed(kwargs, match):
    df = pd.DataFrame({"g": ["a", "b"] * 20, "s": [True, False, False, True] * 10})
    with pytest.raises(InvalidParameterError, match=match):
        fh.adverse_impact(df, group="g", stages="s", **kwargs)
    counts = {"g": ["a", "b"], "n": [20, 20], "s": [10, 10]}
    with pytest.raises(InvalidParameterError, match=match):
        fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s", **kwargs)


@pytest.mark.parametrize("name", ["n", "k", "s", "ss", "selected", "group", "stratum"])
def test_user_columns_with_internal_names(name):
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], 400),
            "hired": rng.random(400) < 0.3,
            "req": rng.choice(["r1", "r2"], 400),
        }
    )
    want = fh.adverse_impact(df, group="sex", stages="hired", strata="req")
    for role in ("sex", "hired", "req"):
        renamed = df.rename(columns={role: name})
        got = fh.adverse_impact(
            renamed,
            group=name if role == "sex" else "sex",
            stages=name if role == "hired" else "hired",
            strata=name if role == "req" else "req",
        )
        cols = ["group", "applicants", "selected", "impact_ratio", "p_value_fisher"]
        pd.testing.assert_frame_equal(got.table[cols], want.table[cols])
        pd.testing.assert_frame_equal(
            got.strata.drop(columns="stage"), want.strata.drop(columns="stage")
        )


@pytest.mark.parametrize("bad", [np.inf, -3, 2.5, np.nan])
def test_bad_counts_are_named(bad):
    counts = pd.DataFrame({"g": ["a", "b"], "n": [10.0, bad], "s": [5, 1]})
    with pytest.raises(InvalidValueError, match=r"'n'.*1 rows"):
        fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")


def test_counts_at_or_above_2_to_the_63_are_a_clear_error():
    counts = pd.DataFrame({"g": ["a", "b"], "n": [2**63, 10], "s": [5, 1]}, dtype=object)
    with pytest.raises(InvalidValueError, match="2\\*\\*63"):
        fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    total = pd.DataFrame({"g": ["a", "b"], "n": [2**62, 2**62], "s": [5, 1]})
    with pytest.raises(InvalidValueError, match="2\\*\\*63"):
        fh.adverse_impact_from_counts(total, group="g", applicants="n", selected="s")


def test_a_trillion_per_group_from_counts():
    counts = {"g": ["a", "b"], "n": [10**12, 10**12], "s": [5 * 10**11, 5 * 10**11 - 10**6]}
    ai = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="s")
    p = ai.table.set_index("group").loc["b", "p_value_fisher"]
    assert 0.15 < p < 0.16  # |Z| = 1.41 at this size


def test_strata_p_values_never_round_to_zero():
    counts = pd.DataFrame(
        {
            "g": ["f", "r"] * 2,
            "stratum": ["x", "x", "y", "y"],
            "n": [500, 500, 500, 500],
            "s": [100, 400, 50, 300],
        }
    )
    ai = fh.adverse_impact_from_counts(
        counts, group="g", applicants="n", selected="s", strata="stratum", reference="r"
    )
    s = ai.strata.iloc[0]
    assert 0 < s.cmh_p_value < 1e-100


def test_a_chosen_reference_with_no_selections_is_named_not_all_groups():
    # reference='F' with 0 of 40 selected said "no one was selected: selection rates are all
    # zero", though half of M were selected
    frame = pd.DataFrame({"sex": ["F"] * 40 + ["M"] * 40, "hired": [0] * 40 + [1, 0] * 20})
    res = fh.adverse_impact(frame, group="sex", stages=["hired"], reference="F")
    assert any("the reference group 'F' has a selection rate of zero" in w for w in res.warnings)
    assert not any("all zero" in w for w in res.warnings)
    promo = fh.promotion_disparity(frame, group="sex", promoted="hired", reference="F")
    assert any("'F' has a promotion rate of zero" in w for w in promo.warnings)
    nobody = fh.adverse_impact(frame.assign(hired=0), group="sex", stages=["hired"])
    assert any("no one was selected: selection rates are all zero" in w for w in nobody.warnings)


def test_another_threshold_is_not_called_four_fifths():
    # threshold=0.9: a ratio of 0.80 was "below four-fifths", "evidence ... under the
    # four-fifths rule", "5 more selected would reach four-fifths", "0.90 (four-fifths)"
    frame = pd.DataFrame({"sex": ["F"] * 100 + ["M"] * 100,
                          "hired": [1] * 40 + [0] * 60 + [1] * 50 + [0] * 50})
    res = fh.adverse_impact(frame, group="sex", stages=["hired"], threshold=0.9)
    (head,) = [h.text for h in res.headlines()]
    assert "(below 90%;" in head and "four-fifths" not in head
    assert repr(res).endswith("1 below 90%>")
    report = fh.Report(title="t").add(res)
    for text in (report.render_markdown(), report.render_html()):
        assert "below 0.90 is evidence of adverse impact under a 90% threshold" in text
        assert "would reach 90%" in text and "would reach four-fifths" not in text
        assert "marks 0.9 (threshold)" in text
        assert "adjusted for the 1 comparison made" in text
    four = fh.adverse_impact(frame, group="sex", stages=["hired"])  # 0.80 is not below 4/5
    assert repr(four).endswith("0 below four-fifths>")
