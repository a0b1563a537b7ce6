"""The consistency matrix for the promotion and interview analyses (issue 14).

Every analysis reads the one messy export of ``tests/messy.py`` and must agree on the groups,
the reference group (Male; the 10-person, 100% Non-binary group is too small), the unknown
rows, the missing-outcome rows and the merge warnings.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from tests.messy import EXPECTED, messy_frame

GROUPS = EXPECTED["groups"]


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    return messy_frame()


def _merged(warnings) -> bool:
    text = " ".join(warnings)
    return "'sex'" in text and "differ only in case or spaces" in text and "'Male'" in text


def test_promotion_disparity(messy):
    pr = fh.promotion_disparity(messy, group="sex", promoted="selected", level="level")
    t = pr.table.set_index("group")
    assert sorted(t.index) == GROUPS
    assert pr.reference_group == EXPECTED["reference"]
    assert t["applicants"].to_dict() == EXPECTED["applicants"]
    assert t["selected"].to_dict() == EXPECTED["selected"]
    assert pr.rows.excluded == {"missing selected": EXPECTED["missing_outcome_rows"],
                                "missing group": EXPECTED["unknown_group_rows"]}
    assert pr.rows.total == EXPECTED["total_rows"]
    assert _merged(pr.warnings) and any("too small to be the reference" in w
                                        for w in pr.warnings)
    # within levels: never the 10-person group, wherever it is
    refs = set(pr.by_stratum.loc[pr.by_stratum["is_reference"], "group"])
    assert "Non-binary" not in refs


def test_time_to_promotion(messy):
    tt = fh.time_to_promotion(messy, group="sex", duration="months_in_level", event="selected")
    t = tt.table.set_index("group")
    assert sorted(t.index) == GROUPS
    assert tt.reference_group == EXPECTED["reference"]
    assert t.loc["Non-binary", "too_small_for_reference"]
    assert t["n"].to_dict() == EXPECTED["applicants"]
    assert t["events"].to_dict() == EXPECTED["selected"]
    assert tt.rows.excluded == {"missing selected": EXPECTED["missing_outcome_rows"],
                                "missing group": EXPECTED["unknown_group_rows"]}
    assert _merged(tt.warnings)


def test_rater_disparity(messy):
    rd = fh.rater_disparity(messy, rater="interviewer", candidate_group="sex",
                            outcome="selected")
    assert rd.reference_group == EXPECTED["reference"]
    assert sorted({*rd.table["group"], rd.reference_group}) == GROUPS
    assert rd.rows.excluded["missing outcome"] == EXPECTED["missing_outcome_rows"]
    assert rd.rows.excluded["missing candidate group"] == EXPECTED["unknown_group_rows"]
    assert rd.rows.total == EXPECTED["total_rows"]
    assert _merged(rd.warnings) and any("too small" in w for w in rd.warnings)


def test_rating_and_representation(messy):
    rat = fh.rating_disparity(messy, group="sex", rating="rating")
    assert sorted(rat.table["group"]) == GROUPS
    assert bool(rat.table.set_index("group").loc["Non-binary", "is_reference"]) is False
    assert rat.rows.excluded == {"missing group": EXPECTED["unknown_group_rows"]}
    assert _merged(rat.warnings)
    rep = fh.representation(messy, group="sex", level="level", order=["L1", "L2", "L3"])
    assert sorted(rep.overall["group"]) == GROUPS
    assert dict(zip(rep.overall["group"], rep.overall["count"], strict=True)) == {
        g: EXPECTED["applicants"][g] + (6 if g == "Female" else 0) for g in GROUPS}
    assert rep.rows.excluded == {"missing group": EXPECTED["unknown_group_rows"]}
    assert _merged(rep.warnings)


def test_interview_panels_and_rubric(messy):
    data = messy.assign(candidate_sex=messy["sex"])
    pan = fh.interview_panels(data, interview="interview_id", panelist_group="sex",
                              candidate_group="candidate_sex", outcome="selected")
    assert sorted(g for g in pan.table["group"] if g != "(missing)") == GROUPS
    assert int(pan.table.set_index("group").loc["(missing)", "seats"]) == 10
    assert _merged(pan.warnings)
    rc = fh.rubric_consistency(messy, candidate="interview_id", rater="interviewer",
                               criteria=["rating"], candidate_group="sex")
    assert sorted({*rc.gaps["group"], *rc.gaps["reference_group"]}) == GROUPS
    assert set(rc.gaps["reference_group"]) != {"Non-binary"}
    assert any("differ only in case or spaces" in w for w in rc.warnings)


@settings(max_examples=5, deadline=None)
@given(st.permutations(GROUPS), st.sampled_from(["n", "group", "stratum", "k", "s"]),
       st.booleans())
def test_relabelling_renaming_and_spelling_never_change_results(messy, names, column, upper):
    """Relabelling groups, renaming columns (to names the analyses use inside), reordering
    rows and adding case/space variants never change a result; counts are conserved."""
    mapping = dict(zip(GROUPS, [f"G{i} {n}" for i, n in enumerate(names)], strict=True))
    a = fh.promotion_disparity(messy, group="sex", promoted="selected", regression=False)
    by_key = {g.casefold(): m for g, m in mapping.items()}
    relabelled = messy["sex"].map(
        lambda v: by_key.get(v.strip().casefold(), v) if isinstance(v, str) else v)
    if upper:
        relabelled = relabelled.map(lambda v: f" {v.upper()}" if isinstance(v, str) and v
                                    and hash(v) % 3 == 0 else v)
    b_data = messy.drop(columns=["n"]).assign(**{column: relabelled})
    b_data = b_data.assign(flag=b_data["selected"]).drop(columns=["selected"])
    b_data = b_data.sample(frac=1.0, random_state=1)
    b = fh.promotion_disparity(b_data, group=column, promoted="flag", regression=False)
    ta = a.table.set_index("group")
    tb = b.table.set_index("group")
    back = {v.casefold(): k for k, v in mapping.items()}
    tb.index = pd.Index([back[g.casefold().strip()] for g in tb.index], name="group")
    cols = ["applicants", "selected", "impact_ratio", "p_value_fisher", "is_reference"]
    pd.testing.assert_frame_equal(ta[cols].sort_index(), tb[cols].sort_index())
    assert b.rows.total == a.rows.total == b.rows.used + sum(b.rows.excluded.values())


REFERENCE_RULE = {
    "adverse_impact": lambda d, **k: fh.adverse_impact(d, group="sex", stages=["selected"], **k),
    "promotion_disparity": lambda d, **k: fh.promotion_disparity(
        d, group="sex", promoted="selected", regression=False, **k),
    "time_to_promotion": lambda d, **k: fh.time_to_promotion(
        d, group="sex", duration="months_in_level", event="selected", **k),
    "rating_disparity": lambda d, **k: fh.rating_disparity(d, group="sex", rating="rating", **k),
    "retention": lambda d, **k: fh.retention(d, group="sex", exited="selected", **k),
    "time_to_exit": lambda d, **k: fh.time_to_exit(
        d, group="sex", duration="months_in_level", event="selected", **k),
    "monitor": lambda d, **k: fh.monitor(
        d, period="applied_on", freq="Q", group="sex", stages=["selected"], **k),
}


@pytest.mark.parametrize("name", sorted(REFERENCE_RULE))
def test_min_n_zero_means_no_minimum_in_every_reference_rule(messy, name):
    """``min_n`` has one meaning (glossary): 0 and 1 both mean no minimum group size, in every
    analysis that chooses a reference group (impact accepted 0 and the others refused it)."""
    run = REFERENCE_RULE[name]
    zero, one = run(messy, min_n=0), run(messy, min_n=1)
    pd.testing.assert_frame_equal(zero.table, one.table)
    with pytest.raises(fh.FairhireError, match="min_n"):
        run(messy, min_n=-1)
