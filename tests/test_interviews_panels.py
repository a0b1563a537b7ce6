"""fh.interview_panels: composition, diversity flags, pass-rate comparison through the
adverse-impact engine, robustness."""

from __future__ import annotations

import json
import math
import warnings

import pandas as pd
import polars as pl
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
from fairhire.stats.proportions import fisher_exact_test, two_proportion_z


def _small() -> pd.DataFrame:
    rows = [
        # interview, panelist, panelist group, candidate group, passed
        ("i1", "p1", "F", "W", True), ("i1", "p2", "M", "W", True),   # diverse
        ("i2", "p2", "M", "M", False), ("i2", "p3", "M", "M", False),  # not diverse
        ("i3", "p4", "F", "W", True),                                  # one person
        ("i4", "p2", "M", "M", True), ("i4", "p5", None, "M", True),   # M + unknown: undecided
        ("i5", "p1", "F", "M", True), ("i5", "p5", None, "M", True),   # F + M + unknown:
        ("i5", "p3", "M", "M", True),                                  #   diverse regardless
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["interview", "panelist", "pg", "cg", "passed"])


def test_composition_by_hand():
    r = fh.interview_panels(_small(), interview="interview", panelist_group="pg",
                            panelist="panelist")
    p = r.panels.set_index("interview")
    assert p.panel_size.tolist() == [2, 2, 1, 2, 3]
    assert p.n_groups.tolist() == [2, 1, 1, 1, 2]
    assert p.unknown_members.tolist() == [0, 0, 0, 1, 1]
    assert p.has_F.tolist() == [True, False, True, False, True]
    assert p.diverse.tolist() == [True, False, False, pd.NA, True]
    assert p.single_member.tolist() == [False, False, True, False, False]
    assert (r.n_diverse, r.n_not_diverse, r.n_unknown, r.n_single_member) == (2, 2, 1, 1)
    assert r.share_diverse == 0.5
    comp = r.composition.set_index("group")
    assert comp.loc["F", "seats"] == 3 and comp.loc["M", "seats"] == 5
    assert comp.loc["(missing)", "seats"] == 2
    assert comp.loc["F", "interviews_with_group"] == 3
    assert comp.loc["F", "share_of_interviews"] == pytest.approx(3 / 5)
    assert comp.share_of_seats.sum() == pytest.approx(1)
    sizes = r.sizes.set_index("panel_size")
    assert sizes.loc[2, "interviews"] == 3 and sizes.loc[2, "unknown"] == 1
    assert any("one-person panel" in w for w in r.warnings)
    assert r.rows.total == 10 and r.rows.used == 10
    assert r.comparison is None and r.by_panel is None


def test_min_groups_three():
    r = fh.interview_panels(_small(), interview="interview", panelist_group="pg", min_groups=3)
    assert r.n_diverse == 0
    assert any("no panel can have" in w for w in r.warnings)


@pytest.fixture(scope="module")
def data():
    return fh.datasets.make_interviews(random_state=0)


@pytest.fixture(scope="module")
def pan(data):
    return fh.interview_panels(data.panels, interview="interview_id",
                               panelist_group="panelist_sex", candidate_group="candidate_sex",
                               outcome="advanced", panelist="panelist")


def test_comparison_matches_direct_computation(data, pan):
    per = pan.panels.set_index("interview")
    first = data.panels.groupby("interview_id").first()
    frame = per.join(first[["candidate_sex", "advanced"]])
    frame = frame[frame.diverse.notna() & frame.candidate_sex.notna()]
    for row in pan.comparison.itertuples(index=False):
        g = frame[frame.candidate_sex == row.group]
        dv, nd = g[g.diverse.astype(bool)], g[~g.diverse.astype(bool)]
        assert (row.candidates_diverse, row.passed_diverse) == (len(dv), int(dv.advanced.sum()))
        assert (row.candidates_not_diverse, row.passed_not_diverse) == (
            len(nd), int(nd.advanced.sum()))
        z, p = two_proportion_z(int(dv.advanced.sum()), len(dv), int(nd.advanced.sum()), len(nd))
        assert row.z == pytest.approx(z) and row.p_value_z == pytest.approx(p)
        assert row.p_value_fisher == pytest.approx(fisher_exact_test(
            int(dv.advanced.sum()), len(dv), int(nd.advanced.sum()), len(nd)))


def test_uses_adverse_impact_engine(pan):
    assert isinstance(pan.by_panel, fh.AdverseImpactResult)
    assert set(pan.by_panel.table.stage) == {"diverse", "not diverse"}
    s = pan.stratified.strata
    assert {"mh_odds_ratio", "breslow_day_p_value"} <= set(s.columns)
    assert s.n_strata.iloc[0] == 2
    # interviews left out are counted by reason
    assert pan.interview_exclusions["panel diversity unknown"] == pan.n_unknown
    assert pan.interview_exclusions["missing candidate group"] > 0


def test_result_methods(pan):
    json.dumps(pan.to_dict())
    assert "Diverse panels" in pan.summary()
    assert pan.to_frame().columns.tolist()[:2] == ["group", "seats"]
    heads = pan.headlines()
    assert heads and all(h.section == "interview panels" for h in heads)
    assert not any("discriminat" in h.text.lower() for h in heads)
    assert "interview" in pan._repr_html_()


def test_polars_input(data, pan):
    r = fh.interview_panels(pl.from_pandas(data.panels), interview="interview_id",
                            panelist_group="panelist_sex", candidate_group="candidate_sex",
                            outcome="advanced")
    pd.testing.assert_frame_equal(r.composition, pan.composition)
    pd.testing.assert_frame_equal(r.comparison, pan.comparison)


def test_all_diverse_gives_warning_not_crash():
    df = pd.DataFrame({"iv": ["a", "a", "b", "b"], "pg": ["F", "M", "F", "M"],
                       "cg": ["W", "W", "M", "M"], "ok": [True, True, False, False]})
    r = fh.interview_panels(df, interview="iv", panelist_group="pg", candidate_group="cg",
                            outcome="ok")
    assert r.comparison is None and r.share_diverse == 1.0
    assert any("cannot be compared" in w for w in r.warnings)


def test_errors(data):
    p = data.panels
    with pytest.raises(ColumnError, match="panelist_sx"):
        fh.interview_panels(p, interview="interview_id", panelist_group="panelist_sx")
    bad = p.copy()
    bad.loc[[0, 1], "interview_id"] = "IV00001"
    bad.loc[[0, 1], "candidate_sex"] = ["Female", "Male"]
    with pytest.raises(InvalidValueError, match="IV00001"):
        fh.interview_panels(bad, interview="interview_id", panelist_group="panelist_sex",
                            candidate_group="candidate_sex", outcome="advanced")
    dup = pd.concat([p.iloc[:1], p.iloc[:1]])
    with pytest.raises(InvalidValueError, match="more than once"):
        fh.interview_panels(dup, interview="interview_id", panelist_group="panelist_sex",
                            panelist="panelist")
    with pytest.raises(InvalidParameterError, match="min_groups"):
        fh.interview_panels(p, interview="interview_id", panelist_group="panelist_sex",
                            min_groups=1)
    with pytest.raises(InvalidParameterError, match="candidate_group"):
        fh.interview_panels(p, interview="interview_id", panelist_group="panelist_sex",
                            outcome="advanced")
    with pytest.raises(InvalidValueError, match="'candidate_race'"):
        fh.interview_panels(p, interview="interview_id", panelist_group="panelist_sex",
                            candidate_group="candidate_sex", outcome="candidate_race")
    with pytest.raises(InsufficientDataError):
        fh.interview_panels(p.assign(interview_id=None), interview="interview_id",
                            panelist_group="panelist_sex")
    with pytest.raises(InsufficientDataError, match="no rows"):
        fh.interview_panels(p.iloc[0:0], interview="interview_id", panelist_group="panelist_sex")


def test_missing_interview_ids_counted():
    df = _small()
    df.loc[0, "interview"] = None
    r = fh.interview_panels(df, interview="interview", panelist_group="pg")
    assert r.rows.excluded == {"missing interview id": 1} and r.rows.used == 9


@settings(max_examples=10)  # each example runs the adverse-impact engine four times
@given(st.integers(0, 10_000))
def test_duplicating_interviews_keeps_rates_and_strengthens_tests(seed):
    d = fh.datasets.make_interviews(120, random_state=seed)
    p = d.panels
    twice = pd.concat([p, p.assign(interview_id=p.interview_id + "-b")], ignore_index=True)
    kw = {"interview": "interview_id", "panelist_group": "panelist_sex",
          "candidate_group": "candidate_sex", "outcome": "advanced"}
    a, b = fh.interview_panels(p, **kw), fh.interview_panels(twice, **kw)
    assert b.share_diverse == pytest.approx(a.share_diverse)
    if a.comparison is None:
        return
    ca, cb = a.comparison.set_index("group"), b.comparison.set_index("group")
    for c in ("pass_rate_diverse", "pass_rate_not_diverse", "difference"):
        assert cb[c].to_numpy() == pytest.approx(ca[c].to_numpy(), nan_ok=True)
    ok = ca.z.notna() & (ca.z.abs() > 0)
    assert (cb.z[ok].abs() > ca.z[ok].abs()).all()
    assert all(math.isclose(x, y * 2) for x, y in zip(cb.candidates_diverse,
                                                       ca.candidates_diverse, strict=True))


def test_panelist_spelled_two_ways_on_one_panel_is_listed_twice():
    """"Lee, Ann" and "LEE, ANN " on one panel are one person whose seat would count twice:
    the same error as a name repeated exactly, since rater_disparity reads them as one."""
    d = pd.DataFrame({"iv": ["I1", "I1", "I2", "I2"], "p": ["Lee, Ann", "LEE, ANN ", "Doe, Jo", "Lee, Ann"],
                      "pg": ["F", "F", "M", "F"]})
    with pytest.raises(InvalidValueError, match=r"I1 / Lee, Ann.*differ only in case or spaces"):
        fh.interview_panels(d, interview="iv", panelist_group="pg", panelist="p")


def test_no_panelist_group_recorded_gives_no_pandas_warning():
    """A panel export whose panelist-group column is empty (never collected): the panels are
    counted, with the analysis' own warnings, and no pandas warning (which pandas 4 raises)."""
    d = pd.DataFrame({"iv": ["I1", "I1", "I2"], "pg": [None, None, None]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pan = fh.interview_panels(d, interview="iv", panelist_group="pg")
    assert pan.panels["groups"].tolist() == ["", ""]
    assert any("missing 'pg'" in w for w in pan.warnings)
