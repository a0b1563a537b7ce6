"""fh.rater_disparity: injected biased raters found, noise not flagged, robustness, invariants."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.datasets.interviews import INTERVIEWS_TRUTH
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)

BIASED = set(INTERVIEWS_TRUTH["biased_raters"])
FEW = set(INTERVIEWS_TRUTH["occasional_raters"]) | set(INTERVIEWS_TRUTH["rare_raters"])


@pytest.fixture(scope="module")
def data():
    return fh.datasets.make_interviews(random_state=0)


@pytest.fixture(scope="module")
def rd(data):
    return fh.rater_disparity(data.decisions, rater="interviewer", candidate_group="sex",
                              outcome="advanced")


def test_injected_biased_raters_found_and_few_decision_raters_not_flagged(rd):
    flagged = set(rd.flagged.rater)
    assert flagged == BIASED
    assert not flagged & FEW
    # every flagged gap is against women, larger than the organisation's
    assert (rd.flagged.gap < rd.flagged.org_gap).all()
    assert (rd.flagged.group == "Female").all() and rd.reference_group == "Male"


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_found_on_other_seeds_and_with_scores(seed):
    d = fh.datasets.make_interviews(random_state=seed)
    for kw in ({"outcome": "advanced"}, {"score": "score"}):
        r = fh.rater_disparity(d.decisions, rater="interviewer", candidate_group="sex", **kw)
        flagged = set(r.flagged.rater)
        assert BIASED <= flagged, kw
        assert not flagged & FEW, kw


def test_table_ordered_by_evidence_not_raw_gap(rd):
    t = rd.table
    assessed = t[t.assessable]
    assert assessed.evidence_rank.tolist() == list(range(1, len(assessed) + 1))
    # evidence = the stronger of the two tests (own record, unlike peers)
    assert assessed[["p_value", "own_p_value"]].min(axis=1).is_monotonic_increasing
    # some rater with few decisions has a larger raw gap than a rater ranked above them
    ranked_by_gap = assessed.reindex(assessed.gap.abs().sort_values(ascending=False).index)
    assert ranked_by_gap.rater.tolist() != assessed.rater.tolist()
    # not-assessable rows come last, without a rank
    tail = t[~t.assessable]
    assert tail.index.min() > assessed.index.max() and tail.evidence_rank.isna().all()


def test_not_assessable_listed_with_reasons(rd):
    na = rd.not_assessable.set_index("rater")
    assert "INT-99" in na.index and "1 decision" in na.loc["INT-99", "reason"]
    assert "INT-33" in na.index and "min_n=20" in na.loc["INT-33", "reason"]
    assert rd.rows.excluded["rater not assessable"] == int(na.focal_n.sum() + na.reference_n.sum())
    assert rd.rows.total == rd.rows.used + sum(rd.rows.excluded.values())


def test_shrinkage_pulls_small_raters_more(rd):
    t = rd.table[rd.table.assessable]
    small = t[t.focal_n + t.reference_n < 40]
    big = t[t.focal_n + t.reference_n > 150]
    assert small.shrinkage.min() > big.shrinkage.max()
    # shrunk estimates lie between the raw gap and the organisation's gap
    lo = np.minimum(t.gap, t.org_gap) - 1e-12
    hi = np.maximum(t.gap, t.org_gap) + 1e-12
    assert ((t.gap_shrunk >= lo) & (t.gap_shrunk <= hi)).all()


def test_hand_computed_gap_and_se():
    # two raters, 20 decisions each; organisation rates computed by hand
    rows = []
    for rater, (fw, nw_, fm, nm) in {"A": (2, 10, 8, 10), "B": (5, 10, 6, 10)}.items():
        rows += [(rater, "W", i < fw) for i in range(nw_)]
        rows += [(rater, "M", i < fm) for i in range(nm)]
    df = pd.DataFrame(rows, columns=["r", "g", "ok"])
    r = fh.rater_disparity(df, rater="r", candidate_group="g", outcome="ok", reference="M")
    a = r.table.set_index("rater").loc["A"]
    assert a.gap == pytest.approx(0.2 - 0.8)
    pw, pm = 7 / 20, 14 / 20  # organisation-wide pass rates of W and M
    assert a.se == pytest.approx(math.sqrt(pw * (1 - pw) / 10 + pm * (1 - pm) / 10))
    assert a.ci_high - a.ci_low == pytest.approx(2 * 1.959964 * a.se, rel=1e-5)
    org = r.organisation.iloc[0]
    assert org.pooled_gap == pytest.approx(pw - pm)


def test_polars_and_pandas_agree(data, rd):
    r2 = fh.rater_disparity(pl.from_pandas(data.decisions), rater="interviewer",
                            candidate_group="sex", outcome="advanced")
    pd.testing.assert_frame_equal(rd.table, r2.table)


def test_input_not_modified(data):
    before = data.decisions.copy()
    fh.rater_disparity(data.decisions, rater="interviewer", candidate_group="sex", score="score")
    pd.testing.assert_frame_equal(before, data.decisions)


def test_result_methods(rd):
    d = rd.to_dict()
    json.dumps(d)
    assert d["type"] == "RaterDisparityResult"
    assert "INT-03" in rd.summary()
    heads = rd.headlines()
    assert heads[0].severity == 3 and "INT-" in heads[0].text
    assert not any("discriminat" in h.text.lower() for h in heads)
    assert rd.to_frame().columns[0] == "evidence_rank"
    assert "rater" in rd._repr_html_()
    assert set(rd.funnel.columns) >= {"n", "lower95", "upper95", "lower998", "upper998"}
    assert (rd.funnel.lower998 <= rd.funnel.lower95).all()


def test_missing_values_counted_not_dropped():
    df = pd.DataFrame({
        "r": ["a"] * 30 + ["b"] * 30 + [None] * 3,
        "g": (["W", "M"] * 15) * 2 + ["W"] * 3,
        "ok": [True, False, False, True, True] * 12 + [True] * 3,
    })  # fmt: skip
    df.loc[0, "g"] = None
    df["ok"] = df["ok"].astype("boolean")
    df.loc[1, "ok"] = pd.NA
    r = fh.rater_disparity(df, rater="r", candidate_group="g", outcome="ok")
    assert r.rows.excluded == {
        "missing rater": 3, "missing candidate group": 1, "missing outcome": 1,
    }  # fmt: skip
    assert r.rows.used == 58
    assert any("missing candidate group" in w for w in r.warnings)


def test_single_decision_rater_with_min_decisions_one():
    df = pd.DataFrame({"r": ["a"] * 20 + ["b"] * 20 + ["solo"], "g": ["W", "M"] * 20 + ["W"],
                       "ok": [True, False, True, True] * 10 + [True]})
    r = fh.rater_disparity(df, rater="r", candidate_group="g", outcome="ok", min_n=1,
                           reference="M")
    solo = r.table.set_index("rater").loc["solo"]
    assert not solo.assessable and solo.reason == "no decisions on M candidates"


def test_errors(data):
    dec = data.decisions
    with pytest.raises(ColumnError, match="interviewr"):
        fh.rater_disparity(dec, rater="interviewr", candidate_group="sex", outcome="advanced")
    with pytest.raises(InvalidParameterError, match="exactly one"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex",
                           outcome="advanced", score="score")
    with pytest.raises(InvalidParameterError, match="exactly one"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex")
    with pytest.raises(InvalidValueError, match="'race'"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex", outcome="race")
    with pytest.raises(InvalidValueError, match="'race'"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex", score="race")
    with pytest.raises(InvalidParameterError, match="min_n"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex",
                           outcome="advanced", min_n=0)
    with pytest.raises(InvalidParameterError, match="'Other'"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex",
                           outcome="advanced", reference="Other")
    with pytest.raises(InvalidParameterError, match="center"):
        fh.rater_disparity(dec, rater="interviewer", candidate_group="sex",
                           outcome="advanced", center="mode")
    one = dec.assign(sex="Female")
    with pytest.raises(InsufficientDataError, match="single group"):
        fh.rater_disparity(one, rater="interviewer", candidate_group="sex", outcome="advanced")
    never = dec.assign(advanced=False)
    with pytest.raises(InsufficientDataError, match="'advanced'"):
        fh.rater_disparity(never, rater="interviewer", candidate_group="sex",
                           outcome="advanced")
    flat = dec.assign(score=5)
    with pytest.raises(InsufficientDataError, match="'score'"):
        fh.rater_disparity(flat, rater="interviewer", candidate_group="sex", score="score")
    with pytest.raises(InsufficientDataError, match="no rows"):
        fh.rater_disparity(dec.iloc[0:0], rater="interviewer", candidate_group="sex",
                           outcome="advanced")
    with pytest.raises(fh.InputTypeError):
        fh.rater_disparity([1, 2], rater="a", candidate_group="b", outcome="c")


def test_all_raters_below_minimum_is_a_warning_not_a_crash(data):
    r = fh.rater_disparity(data.decisions, rater="interviewer", candidate_group="sex",
                           outcome="advanced", min_n=10_000)
    assert r.n_assessed == 0 and not r.table.assessable.any()
    assert any("lower min_n" in w for w in r.warnings)
    assert r.headlines()[0].severity == 1


# ------------------------------------------------------------------------------ properties
def _decisions(seed: int, n_raters: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for j in range(n_raters):
        n = int(rng.integers(20, 60))
        g = rng.choice(["W", "M"], size=n)
        p = np.where(g == "W", 0.4 - 0.05 * (j % 3), 0.5)
        rows.append(pd.DataFrame({"rater": f"R{j}", "g": g, "ok": rng.random(n) < p,
                                  "s": rng.normal(5, 1, n).round()}))
    return pd.concat(rows, ignore_index=True)


@settings(max_examples=25)  # two full analyses per example; keep the suite fast
@given(st.integers(0, 10_000), st.integers(3, 8), st.randoms(use_true_random=False),
       st.sampled_from(["ok", "s"]))
def test_relabelling_raters_permutes_results(seed, n_raters, rnd, col):
    df = _decisions(seed, n_raters)
    names = sorted(df.rater.unique())
    new = [f"X{i:03d}" for i in range(len(names))]
    rnd.shuffle(new)
    mapping = dict(zip(names, new, strict=True))
    kw = {"outcome": "ok"} if col == "ok" else {"score": "s"}
    a = fh.rater_disparity(df, rater="rater", candidate_group="g", reference="M", **kw)
    b = fh.rater_disparity(df.assign(rater=df.rater.map(mapping)), rater="rater",
                           candidate_group="g", reference="M", **kw)
    ta = a.table.assign(rater=a.table.rater.map(mapping)).set_index("rater").sort_index()
    tb = b.table.set_index("rater").sort_index()
    cols = ["gap", "se", "z", "p_value", "p_value_adjusted", "gap_shrunk", "flagged"]
    pd.testing.assert_frame_equal(ta[cols], tb[cols], rtol=1e-7, atol=1e-10)


@settings(max_examples=25)  # two full analyses per example; keep the suite fast
@given(st.integers(0, 10_000), st.integers(3, 8), st.sampled_from(["ok", "s"]))
def test_duplicating_decisions_keeps_estimates_and_narrows_intervals(seed, n_raters, col):
    df = _decisions(seed, n_raters)
    kw = {"outcome": "ok"} if col == "ok" else {"score": "s"}
    a = fh.rater_disparity(df, rater="rater", candidate_group="g", reference="M", **kw)
    b = fh.rater_disparity(pd.concat([df, df], ignore_index=True), rater="rater",
                           candidate_group="g", reference="M", **kw)
    ta, tb = a.table.set_index("rater").sort_index(), b.table.set_index("rater").sort_index()
    for c in ("gap", "focal_value", "reference_value"):
        assert np.allclose(ta[c], tb[c], equal_nan=True)
    assert (tb.focal_n == 2 * ta.focal_n).all()
    assert (tb.ci_high - tb.ci_low < ta.ci_high - ta.ci_low).all()
    # organisation-wide pass rates/means are point estimates too
    oa, ob = a.organisation.iloc[0], b.organisation.iloc[0]
    assert ob.pooled_gap == pytest.approx(oa.pooled_gap)


def test_min_decisions_is_renamed_min_n_with_a_future_warning():
    data = fh.datasets.make_interviews(random_state=0).decisions
    with pytest.warns(FutureWarning, match="min_n"):
        old = fh.rater_disparity(data, rater="interviewer", candidate_group="sex",
                                 outcome="advanced", min_decisions=25)
    new = fh.rater_disparity(data, rater="interviewer", candidate_group="sex",
                             outcome="advanced", min_n=25)
    pd.testing.assert_frame_equal(old.table, new.table)
    assert old.min_decisions == old.min_n == 25


def _uniform_bias(raters=3, n=300, pass_a=0.45, pass_b=0.25):
    rows = []
    for r in range(raters):
        for i in range(n):
            group = "A" if i % 2 == 0 else "B"
            k = i // 2
            rate = pass_a if group == "A" else pass_b
            rows.append({"rater": f"R{r}", "g": group, "ok": k < rate * (n // 2)})
    return pd.DataFrame(rows)


def test_raters_who_all_share_a_gap_are_flagged_on_their_own_record():
    """Issue 14 reproducer: three raters each pass A at 45% and B at 25% over 300 decisions;
    together they are the organisation, so the peer comparison flags no one."""
    r = fh.rater_disparity(_uniform_bias(), rater="rater", candidate_group="g", outcome="ok")
    assert r.reference_group == "A"
    assert sorted(r.flagged["rater"]) == ["R0", "R1", "R2"]
    assert set(r.flagged["flag_reason"]) == {"own record"}
    assert not r.table["flagged_peers"].any()
    assert (r.table["gap"].round(2) == -0.2).all()
    assert all("own record" in h.text for h in r.headlines() if h.severity == 3)


def test_float_flag_with_blanks_and_user_columns_named_like_internals():
    """Issue 14: a float outcome with blanks crashed with IntCastingNaNError; columns named
    n, k, s, ss, group crashed the group-by."""
    df = _uniform_bias().rename(columns={"rater": "n", "g": "group", "ok": "k"})
    df["k"] = df["k"].astype(float)
    df.loc[[0, 1, 2], "k"] = np.nan
    df["s"] = 1
    df["ss"] = 2
    r = fh.rater_disparity(df, rater="n", candidate_group="group", outcome="k")
    assert r.rows.excluded == {"missing outcome": 3}
    yes = df.assign(k=df["k"].map({1.0: "yes", 0.0: " No"}))
    r2 = fh.rater_disparity(yes, rater="n", candidate_group="group", outcome="k")
    pd.testing.assert_frame_equal(r.table, r2.table)
