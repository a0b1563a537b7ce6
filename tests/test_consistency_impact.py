"""One set of rules: every impact analysis reads the messy export the same way (issue 14).

adverse_impact, adverse_impact_from_counts (counts aggregated from the messy frame),
ll144_audit, cutoff_analysis and audit_screening_model all give the groups, the reference
group, the too-small group, the unknown and missing-outcome rows, the counts and the merge
warnings of ``tests/messy.py``'s ``EXPECTED``. Hypothesis properties then check that labels,
row order and column names never change a result, and that every row is accounted for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from messy import EXPECTED, messy_frame

import fairhire as fh
from fairhire._core.flags import read_flags

GROUPS = EXPECTED["groups"]
SMALL = EXPECTED["too_small"]


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    return messy_frame()


def check_table(
    table: pd.DataFrame,
    *,
    group: str = "group",
    too_small: str = "too_small_for_reference",
    reference: str = "is_reference",
) -> None:
    """Groups, reference, too-small group and counts of one comparison table."""
    t = table.set_index(group)
    assert sorted(t.index) == GROUPS
    assert list(t.index[t[reference]]) == [EXPECTED["reference"]]
    assert sorted(t.index[t[too_small]]) == SMALL
    assert t["applicants"].to_dict() == EXPECTED["applicants"]


def check_merges(warnings: tuple[str, ...]) -> None:
    """Every spelling variant that was merged is named in a warning."""
    for variants in EXPECTED["merged_labels"].values():
        for v in variants:
            assert any(repr(v) in w for w in warnings), (v, warnings)


def test_adverse_impact(messy):
    # strata in a column called "n" (a requisition), outcomes in a column called "selected"
    ai = fh.adverse_impact(messy, group="sex", stages="selected", strata="n")
    check_table(ai.table)
    assert ai.table.set_index("group")["selected"].to_dict() == EXPECTED["selected"]
    assert ai.rows.total == EXPECTED["total_rows"]
    assert ai.rows.excluded == {
        "missing outcome (selected)": EXPECTED["missing_outcome_rows"],
        "missing group": EXPECTED["unknown_group_rows"],
    }
    assert int(ai.unknown["applicants"].iloc[0]) == EXPECTED["unknown_group_rows"]
    check_merges(ai.warnings)
    small = ai.table.set_index("group").loc[SMALL[0]]
    assert small.impact_ratio == 2.0 and not small.is_reference  # compared, never the reference


def test_adverse_impact_from_counts(messy):
    # counts aggregated by the raw labels of the export: variants and blanks still in them
    read = read_flags(messy["selected"], column="selected")
    known = messy.assign(k=read.flags.astype(int)).loc[~read.missing]
    counts = (
        known.groupby(known["sex"].astype(object), dropna=False)
        .agg(n=("k", "size"), selected=("k", "sum"))
        .reset_index()
    )
    ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="selected")
    check_table(ai.table)
    assert ai.table.set_index("group")["selected"].to_dict() == EXPECTED["selected"]
    assert ai.rows.excluded == {"missing group": EXPECTED["unknown_group_rows"]}
    check_merges(ai.warnings)


def test_ll144_audit(messy):
    ll = fh.ll144_audit(messy, sex="sex", race="race", selected="selected")
    sex = ll.sex.set_index("category")
    # LL144 reads Non-binary as the category "Other"
    assert sex["applicants"].to_dict() == {"Male": 400, "Female": 494, "Other": 10}
    assert sex["selected"].to_dict() == {"Male": 200, "Female": 150, "Other": 10}
    assert list(sex.index[sex["is_highest"]]) == [EXPECTED["reference"]]
    assert list(sex.index[sex["too_small_for_reference"]]) == ["Other"]
    assert ll.unknown.set_index("table").loc["sex", "applicants"] == EXPECTED["unknown_group_rows"]
    assert ll.rows.excluded["missing outcome (selected)"] == EXPECTED["missing_outcome_rows"]
    assert ll.rows.total == EXPECTED["total_rows"]
    check_merges(ll.warnings)
    # race labels: Black / black / BLACK are one category
    race = ll.race.set_index("race")
    assert race.loc["Black or African American", "applicants"] == 130 + 150


def test_cutoff_analysis(messy):
    cut = fh.cutoff_analysis(messy, score="score", group="sex", cutoffs=[45, 55, 65])
    for c in (45.0, 55.0, 65.0):
        at = cut.at(c).set_index("group")
        assert sorted(at.index) == GROUPS
        assert list(at.index[at["too_small_for_reference"]]) == SMALL
        assert at["applicants"].to_dict() == {"Female": 500, "Male": 400, "Non-binary": 10}
    at = cut.at(55.0).set_index("group")
    assert list(at.index[at["is_reference"]]) == [EXPECTED["reference"]]
    assert cut.rows.excluded == {"missing group": EXPECTED["unknown_group_rows"]}
    check_merges(cut.warnings)


def test_audit_screening_model(messy):
    audit = fh.audit_screening_model(messy["selected"], sensitive_features=messy[["sex"]])
    check_table(audit.table)
    assert audit.table.set_index("group")["selected"].to_dict() == EXPECTED["selected"]
    assert audit.rows.excluded == {
        "missing outcome (y_pred)": EXPECTED["missing_outcome_rows"],
        "missing group": EXPECTED["unknown_group_rows"],
    }
    assert int(audit.unknown["applicants"].iloc[0]) == EXPECTED["unknown_group_rows"]
    check_merges(audit.warnings)


def test_every_analysis_agrees_on_the_ratios(messy):
    ai = fh.adverse_impact(messy, group="sex", stages="selected").table.set_index("group")
    sm = fh.audit_screening_model(messy["selected"], sensitive_features=messy[["sex"]])
    sm = sm.table.set_index("group")
    ll = fh.ll144_audit(messy, sex="sex", race="race", selected="selected").sex
    ll = ll.set_index("category").rename(index={"Other": "Non-binary"})
    for column in ("impact_ratio", "p_value_fisher", "too_small_for_reference"):
        np.testing.assert_equal(
            ai.loc[GROUPS, column].to_numpy(), sm.loc[GROUPS, column].to_numpy()
        )
        np.testing.assert_equal(
            ai.loc[GROUPS, column].to_numpy(), ll.loc[GROUPS, column].to_numpy()
        )


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

STATS = [
    "applicants",
    "selected",
    "selection_rate",
    "impact_ratio",
    "adverse_impact",
    "p_value_fisher",
    "p_value_adjusted",
    "is_reference",
    "too_small_for_reference",
    "excluded",
]

SPEC = st.lists(st.tuples(st.integers(0, 90), st.floats(0, 1)), min_size=2, max_size=5)


def _two_groups(spec: list[tuple[int, float]]) -> bool:
    return sum(1 for n, _ in spec if n) >= 2


def _rows(spec: list[tuple[int, float]], labels: list[str]) -> pd.DataFrame:
    rows = []
    for (n, p), label in zip(spec, labels, strict=False):
        k = round(n * p)
        rows += [(label, j < k) for j in range(n)]
    rows += [(None, True), ("", False)]  # unknowns, to check they are counted
    return pd.DataFrame(rows, columns=["g", "s"])


def _by_group(result, mapping: dict[str, str] | None = None) -> pd.DataFrame:
    t = result.table.copy()
    if mapping:
        t["group"] = t["group"].map(mapping)
    return t.set_index(["stage", "group"]).sort_index()[STATS]


@settings(max_examples=30)
@given(SPEC, st.permutations(["alpha", "beta", "gamma", "delta", "epsilon"]), st.randoms())
def test_relabelling_and_reordering_never_change_a_result(spec, names, rnd):
    base = [f"g{i}" for i in range(5)]
    if not _two_groups(spec):
        return
    df = _rows(spec, base)
    ai = fh.adverse_impact(df, group="g", stages="s")
    renamed = df.assign(
        g=df["g"].map(dict(zip(base, names, strict=True))).where(df["g"].isin(base), df["g"])
    )
    shuffled = renamed.sample(frac=1.0, random_state=rnd.randint(0, 10**6))
    other = fh.adverse_impact(shuffled, group="g", stages="s")
    back = dict(zip(names, base, strict=True))
    pd.testing.assert_frame_equal(_by_group(ai), _by_group(other, back))
    assert ai.rows.to_dict() == other.rows.to_dict()


@settings(max_examples=20)
@given(
    SPEC,
    st.sampled_from(["n", "k", "s", "ss", "selected", "group", "stratum"]),
    st.sampled_from(["n", "k", "s", "ss", "selected", "group", "stratum"]),
)
def test_renaming_columns_never_changes_a_result(spec, group_name, stage_name):
    if not _two_groups(spec) or group_name == stage_name:
        return
    df = _rows(spec, [f"g{i}" for i in range(5)])
    ai = fh.adverse_impact(df, group="g", stages="s")
    other = fh.adverse_impact(
        df.rename(columns={"g": group_name, "s": stage_name}), group=group_name, stages=stage_name
    )
    a = _by_group(ai).reset_index()
    b = _by_group(other).reset_index()
    b["stage"] = b["stage"].replace({stage_name: "s"})
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=30)
@given(SPEC, st.data())
def test_spaces_and_case_variants_never_change_a_result(spec, data):
    if not _two_groups(spec):
        return
    labels = [f"Group {i}" for i in range(5)]
    df = _rows(spec, labels)
    ai = fh.adverse_impact(df, group="g", stages="s")
    variants = df.copy()
    for label in labels:
        idx = variants.index[variants["g"] == label]
        # fewer than half the rows get a variant, so the canonical spelling stays the most used
        k = data.draw(st.integers(0, max(0, (len(idx) - 1) // 2)))
        spelling = data.draw(
            st.sampled_from(
                [f" {label}", label.upper() + "  ", label.lower(), label.replace(" ", "   ")]
            )
        )
        variants.loc[idx[:k], "g"] = spelling
    other = fh.adverse_impact(variants, group="g", stages="s")
    pd.testing.assert_frame_equal(_by_group(ai), _by_group(other))
    counts = (
        variants.assign(one=1)
        .groupby(variants["g"].astype(object), dropna=False)
        .agg(n=("one", "size"), k=("s", "sum"))
        .reset_index()
    )
    from_counts = fh.adverse_impact_from_counts(counts, group="g", applicants="n", selected="k")
    a, b = _by_group(ai).reset_index(), _by_group(from_counts).reset_index()
    pd.testing.assert_frame_equal(a.drop(columns="stage"), b.drop(columns="stage"))


@settings(max_examples=30)
@given(SPEC, st.lists(st.sampled_from([True, False, None, "", "yes", "N"]), max_size=30))
def test_counts_are_conserved(spec, outcomes):
    df = _rows(spec, [f"g{i}" for i in range(5)])
    extra = pd.DataFrame({"g": ["g0"] * len(outcomes), "s": outcomes}, dtype=object)
    df = pd.concat([df.astype(object), extra], ignore_index=True)
    if not _two_groups(spec):
        return
    try:
        ai = fh.adverse_impact(df, group="g", stages="s")
    except fh.errors.InsufficientDataError:
        return
    compared = int(ai.table["applicants"].sum())
    assert ai.rows.total == len(df)
    assert compared + int(ai.unknown["applicants"].iloc[0]) == ai.rows.total - sum(
        v for k, v in ai.rows.excluded.items() if k != "missing group"
    )
    blank = int(pd.Series(df["s"]).map(lambda v: v is None or v == "").sum())
    assert ai.rows.excluded.get("missing outcome (s)", 0) == blank
    assert ai.rows.used + sum(ai.rows.excluded.values()) == len(df)
    assert np.isfinite(ai.table["selection_rate"].dropna()).all()


@pytest.mark.parametrize(
    "names", [("n", "k", "selected"), ("group", "stratum", "s"), ("ss", "selected", "n")]
)
def test_user_column_names_in_every_analysis(messy, names):
    sex, race, outcome = names
    frame = messy.drop(columns=["n", "selected"]).assign(
        outcome=messy["selected"], score_=messy["score"]
    )
    frame = frame.rename(columns={"sex": sex, "race": race, "outcome": outcome})
    ll = fh.ll144_audit(frame, sex=sex, race=race, selected=outcome)
    want = fh.ll144_audit(messy, sex="sex", race="race", selected="selected")
    pd.testing.assert_frame_equal(ll.sex, want.sex)
    pd.testing.assert_frame_equal(ll.intersectional, want.intersectional)
    # the group column of a cut-off analysis and the selections of a screening audit
    cut = fh.cutoff_analysis(
        frame.rename(columns={"score_": "x"}), score="x", group=sex, cutoffs=[50]
    )
    assert sorted(cut.table["group"]) == GROUPS
    audit = fh.audit_screening_model(frame[outcome], sensitive_features=frame[[sex]])
    assert sorted(audit.table["group"]) == GROUPS
