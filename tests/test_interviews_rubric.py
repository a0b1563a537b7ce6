"""fh.rubric_consistency: reliability per criterion, group gaps, robustness, invariants."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import fairhire as fh
from fairhire.datasets.interviews import INTERVIEWS_TRUTH
from fairhire.errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
)
from fairhire.interviews._common import hedges_g
from fairhire.stats.reliability import krippendorff_alpha

# Shrout & Fleiss (1979) Table 2 as a rubric: 6 candidates x 4 raters, one criterion.
SF = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def _sf_long() -> pd.DataFrame:
    return pd.DataFrame(
        [(f"c{i}", f"r{j}", SF[i, j]) for i in range(6) for j in range(4)],
        columns=["cand", "rater", "score"],
    )


@pytest.fixture(scope="module")
def data():
    return fh.datasets.make_interviews(random_state=0)


@pytest.fixture(scope="module")
def rc(data):
    return fh.rubric_consistency(data.scores, candidate="candidate_id", rater="interviewer",
                                 criteria=list(data.criteria), candidate_group="sex")


def test_subjective_criterion_found(rc):
    t = rc.table.set_index("criterion")
    subj = INTERVIEWS_TRUTH["subjective_criterion"]
    assert rc.to_review.criterion.tolist() == [subj]
    assert t.loc[subj, "reliability"] == "unreliable" and t.loc[subj, "low_reliability"]
    for c in INTERVIEWS_TRUTH["structured_criteria"]:
        assert t.loc[c, "reliability"] == "reliable" and not t.loc[c, "review"]
    g = rc.gaps.set_index("criterion")
    assert g.loc[subj, "flagged"] and g.loc[subj, "hedges_g"] < -0.3
    assert not g.drop(index=subj).flagged.any()
    assert t.loc[subj, "gap_groups"] == "Female"
    # panels of one: those candidates are counted and left out of reliability
    assert (t.single_rated > 0).all()
    assert (t.candidates_compared + t.single_rated == t.candidates).all()


def test_shrout_fleiss_as_rubric():
    r = fh.rubric_consistency(_sf_long(), candidate="cand", rater="rater", criteria="score",
                              measurement="interval")
    row = r.table.iloc[0]
    assert round(row.icc, 2) == 0.17 and round(row.icc_2_1, 2) == 0.29
    assert round(row.icc_k, 2) == 0.44 and row.k0 == 4
    assert row.alpha == pytest.approx(krippendorff_alpha(SF, level="interval"))
    assert r.gaps is None


def test_unbalanced_design_has_no_two_way_icc(rc):
    assert rc.table.icc_2_1.isna().all()
    assert (rc.table.k0 > 2).all() and (rc.table.k0 < 4).all()


def test_hedges_g_independent():
    rng = np.random.default_rng(3)
    a, b = rng.normal(3.1, 1, 40), rng.normal(3.5, 1.2, 55)
    r = hedges_g(a.mean(), a.std(ddof=1), 40, b.mean(), b.std(ddof=1), 55)
    sp = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / 93)
    d = (a.mean() - b.mean()) / sp
    g = d * (1 - 3 / (4 * 95 - 9))
    assert r.g == pytest.approx(g)
    se = math.sqrt(95 / (40 * 55) + g**2 / (2 * 95))
    assert r.ci_low == pytest.approx(g - 1.959964 * se, rel=1e-6)
    assert r.p_value == pytest.approx(stats.ttest_ind(a, b).pvalue)
    assert math.isnan(hedges_g(1, 0, 1, 2, 1, 5).g)
    assert math.isnan(hedges_g(1, 0, 5, 1, 0, 5).g)


def test_group_gaps_use_candidate_means(data, rc):
    s = data.scores
    means = s.groupby("candidate_id").agg(m=("culture_fit", "mean"), g=("sex", "first"))
    f, m = means[means.g == "Female"].m, means[means.g == "Male"].m
    row = rc.gaps.set_index("criterion").loc["culture_fit"]
    assert (row.n_focal, row.n_reference) == (len(f), len(m))
    assert row.p_value == pytest.approx(stats.ttest_ind(f, m).pvalue)
    assert row.difference == pytest.approx(f.mean() - m.mean())


def test_robustness_flags():
    df = pd.DataFrame({
        "cand": ["a", "a", "b", "b", "c", "d", "d", "e", "e"],
        "rater": ["x", "y", "x", "y", "x", "x", "z", "y", "z"],
        "g": ["W", "W", "M", "M", "W", "M", None, "W", "W"],
        "flat": [3] * 9,
        "ok": [1, 2, 4, 5, 3, 2, 2, 5, 4],
        "sparse": [1, np.nan, 2, np.nan, 3, 4, np.nan, 5, np.nan],
    })  # fmt: skip
    r = fh.rubric_consistency(df, candidate="cand", rater="rater",
                              criteria=["flat", "ok", "sparse"], candidate_group="g")
    t = r.table.set_index("criterion")
    assert t.loc["flat", "no_variance"] and math.isnan(t.loc["flat", "alpha"])
    assert t.loc["flat", "reliability"] == "undefined"
    assert t.loc["ok", "single_rated"] == 1 and t.loc["ok", "candidates_compared"] == 4
    assert t.loc["sparse", "missing_scores"] == 4 and t.loc["sparse", "candidates_compared"] == 0
    assert math.isnan(t.loc["sparse", "alpha"])
    assert any("every score is the same" in w for w in r.warnings)
    assert any("fewer than two candidates" in w for w in r.warnings)
    assert any("some of their rows only" in w for w in r.warnings)
    assert r.rows.total == 9 and r.rows.used == 9
    heads = r.headlines()
    assert any("same score from everyone" in h.text for h in heads)


def test_missing_ids_counted():
    df = _sf_long()
    df.loc[0, "cand"] = None
    df.loc[1, "rater"] = None
    r = fh.rubric_consistency(df, candidate="cand", rater="rater", criteria="score")
    assert r.rows.excluded == {"missing candidate": 1, "missing rater": 1}
    assert r.rows.used == 22


def test_errors(data):
    s = data.scores
    crit = list(data.criteria)
    with pytest.raises(ColumnError, match="culture"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer",
                              criteria=["culture"])
    with pytest.raises(InvalidValueError, match="'race'"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer",
                              criteria=["race"])
    dup = pd.concat([s.iloc[:2], s.iloc[:1]])
    with pytest.raises(InvalidValueError, match="candidate_id"):
        fh.rubric_consistency(dup, candidate="candidate_id", rater="interviewer", criteria=crit)
    bad = s.copy()
    first = bad.candidate_id.iloc[0]
    bad.loc[bad.candidate_id == first, "sex"] = ["Female", "Male", "Male"][
        : int((bad.candidate_id == first).sum())
    ]
    with pytest.raises(InvalidValueError, match="'sex'"):
        fh.rubric_consistency(bad, candidate="candidate_id", rater="interviewer",
                              criteria=crit, candidate_group="sex")
    with pytest.raises(InvalidParameterError, match="measurement"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer", criteria=crit,
                              measurement="bipolar")
    with pytest.raises(InvalidParameterError, match="at least one"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer", criteria=[])
    with pytest.raises(InvalidParameterError, match="different columns"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer",
                              criteria=["technical", "interviewer"])
    with pytest.raises(InvalidParameterError, match="'Other'"):
        fh.rubric_consistency(s, candidate="candidate_id", rater="interviewer", criteria=crit,
                              candidate_group="sex", reference="Other")
    with pytest.raises(InsufficientDataError, match="no rows"):
        fh.rubric_consistency(s.iloc[0:0], candidate="candidate_id", rater="interviewer",
                              criteria=crit)
    inf = s.assign(technical=s.technical.astype(float))
    inf.loc[0, "technical"] = np.inf
    with pytest.raises(InvalidValueError, match="infinite"):
        fh.rubric_consistency(inf, candidate="candidate_id", rater="interviewer",
                              criteria=["technical"])


def test_result_methods_and_polars(data, rc):
    json.dumps(rc.to_dict())
    assert "culture_fit" in rc.summary()
    heads = rc.headlines()
    assert heads[0].severity == 3 and "culture_fit" in heads[0].text
    assert not any("discriminat" in h.text.lower() for h in heads)
    assert rc.to_frame().criterion.tolist() == list(data.criteria)
    r2 = fh.rubric_consistency(pl.from_pandas(data.scores), candidate="candidate_id",
                               rater="interviewer", criteria=list(data.criteria),
                               candidate_group="sex")
    pd.testing.assert_frame_equal(rc.table, r2.table)


def test_input_not_modified(data):
    before = data.scores.copy()
    fh.rubric_consistency(data.scores, candidate="candidate_id", rater="interviewer",
                          criteria=["technical"], candidate_group="sex")
    pd.testing.assert_frame_equal(before, data.scores)


@settings(max_examples=25)  # two full analyses per example; keep the suite fast
@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_relabelling_raters_changes_nothing(seed, rnd):
    rng = np.random.default_rng(seed)
    n_c, raters = 25, [f"r{i}" for i in range(6)]
    rows = []
    for c in range(n_c):
        for r in rng.choice(raters, size=int(rng.integers(1, 4)), replace=False):
            rows.append((f"c{c}", r, "W" if c % 2 else "M", int(rng.integers(1, 6)),
                         int(rng.integers(1, 6))))
    df = pd.DataFrame(rows, columns=["cand", "rater", "g", "k1", "k2"])
    new = [f"z{i}" for i in range(6)]
    rnd.shuffle(new)
    mapping = dict(zip(raters, new, strict=True))
    kw = {"candidate": "cand", "rater": "rater", "criteria": ["k1", "k2"],
          "candidate_group": "g"}
    a = fh.rubric_consistency(df, **kw)
    b = fh.rubric_consistency(df.assign(rater=df.rater.map(mapping)), **kw)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.gaps, b.gaps)


def test_level_is_renamed_measurement_with_a_future_warning():
    with pytest.warns(FutureWarning, match="measurement"):
        old = fh.rubric_consistency(_sf_long(), candidate="cand", rater="rater",
                                    criteria="score", level="interval")
    new = fh.rubric_consistency(_sf_long(), candidate="cand", rater="rater", criteria="score",
                                measurement="interval")
    pd.testing.assert_frame_equal(old.table, new.table)
    assert new.measurement == "interval"


def _scored(group_of: dict[int, object]) -> pd.DataFrame:
    """Two raters score every candidate on two criteria."""
    rng = np.random.default_rng(5)
    return pd.DataFrame([
        {"cand": c, "rater": r, "sex": g, "a": int(rng.integers(1, 5)),
         "b": int(rng.integers(1, 5))}
        for c, g in group_of.items() for r in ("R1", "R2")
    ])  # fmt: skip


def test_unknown_label_candidates_are_counted_like_blank_ones():
    # a Greenhouse export writes "Decline to Self Identify" where another leaves the cell
    # blank: named in unknown_labels, those candidates are left out of the group comparison
    # and the result says how many, exactly as for a blank
    groups = {c: ("Female" if c % 2 else "Male") for c in range(80)}
    groups.update({c: "Decline to Self Identify" for c in range(80, 91)})
    declined = _scored(groups)
    blank = declined.assign(sex=declined["sex"].replace({"Decline to Self Identify": None}))
    crit = ["a", "b"]
    by_label = fh.rubric_consistency(declined, candidate="cand", rater="rater", criteria=crit,
                                     candidate_group="sex",
                                     unknown_labels=["Decline to Self Identify"])
    by_blank = fh.rubric_consistency(blank, candidate="cand", rater="rater", criteria=crit,
                                     candidate_group="sex")
    note = "11 candidates have no 'sex'"
    assert any(note in w for w in by_label.warnings), by_label.warnings
    assert any(note in w for w in by_blank.warnings), by_blank.warnings
    pd.testing.assert_frame_equal(by_label.gaps, by_blank.gaps)


def test_candidate_with_a_group_and_an_unknown_label_uses_the_group():
    groups = {c: ("Female" if c % 2 else "Male") for c in range(80)}
    df = _scored(groups)
    df.loc[0, "sex"] = "Prefer not to say"  # candidate 0 (Male) on one of their two rows
    rc = fh.rubric_consistency(df, candidate="cand", rater="rater", criteria=["a", "b"],
                               candidate_group="sex", unknown_labels=["Prefer not to say"])
    assert any("1 candidates have 'sex' on some of their rows only" in w
               for w in rc.warnings), rc.warnings
    assert rc.gaps["n_focal"].tolist() + rc.gaps["n_reference"].tolist() == [40, 40, 40, 40]


def test_rater_spelled_two_ways_is_one_rater_as_in_rater_disparity():
    """A scorecard export writes an interviewer "Lee, Ann " on some rows and "LEE, ANN" on
    others. rater_disparity reads them as one rater; so must rubric_consistency: read raw,
    four raters became eight, ICC(2,1) (every candidate rated by the same raters) vanished,
    and a form repeated under the second spelling was counted as a second rating."""
    tidy = _sf_long()
    messy = tidy.copy()
    every_third = messy.index % 3 == 0
    messy.loc[every_third, "rater"] = " " + messy.loc[every_third, "rater"].str.upper() + "  "
    want = fh.rubric_consistency(tidy, candidate="cand", rater="rater", criteria="score",
                                 measurement="interval").table.iloc[0]
    r = fh.rubric_consistency(messy, candidate="cand", rater="rater", criteria="score",
                              measurement="interval")
    got = r.table.iloc[0]
    assert got.raters == 4 and round(got.icc_2_1, 2) == 0.29
    assert (got.alpha, got.icc, got.icc_2_1) == (want.alpha, want.icc, want.icc_2_1)
    assert any("were merged as 'r0'" in w for w in r.warnings)
    repeated = pd.concat([tidy, tidy.iloc[[0]].assign(rater="R0 ")], ignore_index=True)
    with pytest.raises(InvalidValueError, match=r"c0 / r0.*differ only in case or spaces"):
        fh.rubric_consistency(repeated, candidate="cand", rater="rater", criteria="score")


def test_rating_labels_get_a_mapping_that_reads_them():
    # a scorecard's "Strong Yes" .. "Strong No": the error said only "rubric labels can be
    # mapped to their scale points first" (e3dc064); it now shows the mapping, in order
    df = pd.DataFrame({"cand": [1, 2, 3, 4] * 3, "rater": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
                       "g": ["F", "M"] * 6,
                       "Overall": ["Strong Yes", "No", "Yes", "Strong No"] * 3})
    with pytest.raises(fh.errors.InvalidValueError) as err:
        fh.rubric_consistency(df, candidate="cand", rater="rater", criteria=["Overall"],
                              candidate_group="g")
    assert "df['Overall'].map({'Strong No': 1, 'No': 2, 'Yes': 3, 'Strong Yes': 4})" \
        in str(err.value)
