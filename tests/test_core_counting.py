"""The core's read → count step (:mod:`fairhire._core.counting`): one group-by in the data's
engine with internal names, flag reading and label cleaning; the reference choice with its
"too small" warning; row-level label cleaning."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire._core.counting import (
    Counts,
    clean_row_labels,
    count_groups,
    pick_reference,
    too_small_warning,
)
from fairhire._core.flags import flag_of
from fairhire._core.reference import choose_reference
from fairhire._frames import to_narwhals
from fairhire.errors import InvalidParameterError, InvalidValueError
from tests.messy import EXPECTED, messy_frame


def _by_group(c: Counts, *cols: str) -> dict:
    t = c.table.loc[c.table["group"].notna()]
    return t.groupby("group")[list(cols)].sum().to_dict("index")


def test_messy_export_counts():
    c = count_groups(to_narwhals(messy_frame()), ["sex"], flags={"selected": "selected"})
    per = _by_group(c, "n", "selected", "selected_missing")
    assert sorted(per) == EXPECTED["groups"]
    assert {g: v["n"] - v["selected_missing"] for g, v in per.items()} == EXPECTED["applicants"]
    assert {g: v["selected"] for g, v in per.items()} == EXPECTED["selected"]
    assert int(c.table["selected_missing"].sum()) == EXPECTED["missing_outcome_rows"]
    assert int(c.table.loc[c.table["group"].isna(), "n"].sum()) == EXPECTED["unknown_group_rows"]
    assert c.total == EXPECTED["total_rows"]
    text = " ".join(c.warnings)
    assert "column 'sex'" in text and "'Male'" in text and "'Female'" in text


def test_user_columns_named_like_internal_ones():
    """Columns called n, group, selected or stratum never collide with the count's columns."""
    df = pd.DataFrame({
        "group": ["A", "A", "B", "B", "B"],
        "n": ["x", "y", "x", "x", "y"],
        "selected": [1, 0, 1, 1, 0],
        "stratum": ["yes", "no", "no", "yes", "yes"],
    })
    c = count_groups(to_narwhals(df), ["group"], keys={"level": "n"},
                     flags={"promoted": "selected", "stratum": "stratum"})
    assert list(c.table.columns) == ["group", "level", "n", "promoted", "promoted_missing",
                                     "stratum", "stratum_missing"]
    per = _by_group(c, "n", "promoted", "stratum")
    assert per == {"A": {"n": 2, "promoted": 1, "stratum": 1},
                   "B": {"n": 3, "promoted": 2, "stratum": 2}}
    assert df.columns.tolist() == ["group", "n", "selected", "stratum"]  # input untouched


def test_blank_flags_are_missing_never_false():
    df = pd.DataFrame({"g": ["A"] * 6, "f": ["yes", "N", "", "  ", None, np.nan]})
    c = count_groups(to_narwhals(df), ["g"], flags={"outcome": "f"})
    row = c.table.iloc[0]
    assert (row["n"], row["outcome"], row["outcome_missing"]) == (6, 1, 4)


def test_bad_flag_values_name_the_argument_and_column():
    df = pd.DataFrame({"g": ["A", "B"], "f": ["yes", "maybe"]})
    with pytest.raises(InvalidValueError, match="maybe") as err:
        count_groups(to_narwhals(df), ["g"], flags={"promoted": "f"})
    assert "'f'" in str(err.value) and "promoted" in str(err.value)


def test_values_and_label_keys():
    df = pd.DataFrame({
        "sex": ["F", "F", "M", "M", "M"],
        "rater": ["Ana", " ana", "Ben", "Ben", "Ana"],
        "score": [1.0, 3.0, None, 4.0, 2.0],
    })
    c = count_groups(to_narwhals(df), ["sex"], keys={"rater": "rater"},
                     values={"score": "score"}, label_keys=["rater"])
    t = c.table.set_index(["group", "rater"]).sort_index()
    assert t.loc[("F", "Ana"), ["n", "score_count", "score_sum", "score_sumsq"]].tolist() == [
        2, 2, 4.0, 10.0]
    assert t.loc[("M", "Ben"), ["n", "score_count", "score_sum"]].tolist() == [2, 1, 4.0]
    assert any("column 'rater'" in w for w in c.warnings)


def test_intersectional_labels_and_missing_parts():
    df = pd.DataFrame({"sex": ["Female", "female", "Male", None],
                       "race": ["Black", "Black", "White", "White"]})
    c = count_groups(to_narwhals(df), ["sex", "race"])
    labels = c.table["group"].tolist()
    assert sorted(x for x in labels if x is not None) == ["Female × Black", "Male × White"]
    assert int(c.table.loc[c.table["group"].isna(), "n"].sum()) == 1


def test_same_counts_on_polars_lazy():
    df = messy_frame()
    # a CSV read by polars: the flags as text ("1.0", "yes", blanks ...)
    df["selected"] = [None if v is None or v != v else str(v) for v in df["selected"]]
    a = count_groups(to_narwhals(df), ["sex"], keys={"level": "level"},
                     flags={"selected": "selected"})
    b = count_groups(to_narwhals(pl.from_pandas(df).lazy()), ["sex"], keys={"level": "level"},
                     flags={"selected": "selected"})
    key = ["group", "level"]
    left = a.table.fillna({"group": "-"}).sort_values(key).reset_index(drop=True)
    right = b.table.fillna({"group": "-"}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert a.warnings == b.warnings and a.total == b.total


def test_pick_reference_marks_small_groups():
    warnings: list[str] = []
    c = pick_reference(["Female", "Male", "Non-binary"], [494, 400, 10],
                       [Fraction(150, 494), Fraction(1, 2), Fraction(1)], reference=None,
                       min_n=30, what="promotion rate", warnings=warnings, where="level 'L1'")
    assert c.label == "Male" and c.too_small(2) and not c.too_small(0)
    assert warnings == [
        "level 'L1': Non-binary (10): too small to be the reference (fewer than 30 people or "
        "under 2% of the total); compared with the reference, but their rates are unstable."
    ]


def test_pick_reference_given_reference_wins_with_its_own_warning():
    warnings: list[str] = []
    c = pick_reference(["A", "B"], [100, 10], [Fraction(1, 2), Fraction(1)], reference="b",
                       min_n=30, what="pass rate", warnings=warnings)
    assert c.label == "B" and c.given
    assert len(warnings) == 1 and "'B' has 10 people" in warnings[0]
    with pytest.raises(InvalidParameterError, match="reference='C'"):
        pick_reference(["A", "B"], [100, 10], [0.5, 1.0], reference="C", min_n=30,
                       what="pass rate", warnings=[])


def test_pick_reference_no_eligible_group_and_min_share():
    warnings: list[str] = []
    c = pick_reference(["A", "B"], [5, 8], [0.2, 0.5], reference=None, min_n=30,
                       what="mean score", warnings=warnings)
    assert c.label == "B"
    assert warnings[0].startswith("no group has at least 30 people")
    # a 40-person group is large enough by min_n but under a 10% share of 1,040 people
    w2: list[str] = []
    c2 = pick_reference(["A", "B"], [1000, 40], [0.2, 0.5], reference=None, min_n=30,
                        what="rate", warnings=w2, min_share=0.1)
    assert c2.label == "A" and c2.too_small(1)
    c3 = pick_reference(["A", "B"], [1000, 40], [0.2, 0.5], reference=None, min_n=30,
                        what="rate", warnings=[])
    assert c3.label == "B"  # 40 of 1,040 is above the default 2%


def test_pick_reference_lower_is_better():
    c = pick_reference(["A", "B"], [100, 100], [0.3, 0.1], reference=None, min_n=30,
                       what="exit rate", warnings=[], higher_is_better=False)
    assert c.label == "B"


def test_too_small_warning_ignores_empty_groups():
    c = choose_reference(["A", "B", "C"], [100, 0, 50], [Fraction(1, 2), None, Fraction(1, 5)])
    assert too_small_warning(c, [100, 0, 50], 30) is None


def test_clean_row_labels_several_columns():
    df = pd.DataFrame({"a": ["Male", " male", "Female", None],
                       "b": ["White", "white", "Black", "Black"]})
    labels, warnings = clean_row_labels(df, ["a", "b"], ["sex", "race"])
    assert labels.tolist() == ["Male × White", "Male × White", "Female × Black", None]
    assert [w.split(":")[0] for w in warnings] == ["column 'sex'", "column 'race'"]


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["A", "a ", " A", "B", "b", None, ""]),
                  st.sampled_from(["yes", "no", "Y", "n", 1, 0, "", None])),
        min_size=1, max_size=40,
    ),
    seed=st.integers(0, 10_000),
)
def test_counts_conserved_and_order_free(rows, seed):
    """Every row is counted once; shuffling rows never changes the counts. A flag column with
    yes values and blanks but no "no" value is an error, whatever the order."""
    df = pd.DataFrame(rows, columns=["g", "f"]).astype(object)
    read = [flag_of(v) for v in df["f"]]
    if True in read and None in read and False not in read:
        with pytest.raises(InvalidValueError, match="no row reads as no"):
            count_groups(to_narwhals(df), ["g"], flags={"f": "f"})
        return
    c = count_groups(to_narwhals(df), ["g"], flags={"f": "f"})
    assert c.total == len(df) == int(c.table["n"].sum())
    assert int((c.table["f"] + c.table["f_missing"]).sum()) <= len(df)
    shuffled = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    c2 = count_groups(to_narwhals(shuffled), ["g"], flags={"f": "f"})

    def norm(t: pd.DataFrame) -> pd.DataFrame:
        t = t.assign(group=t["group"].fillna("-"))
        return t.groupby("group")[["n", "f", "f_missing"]].sum()

    pd.testing.assert_frame_equal(norm(c.table), norm(c2.table))
    assert {g.casefold() for g in c.table["group"].dropna()} <= {"a", "b"}


def test_an_identifier_as_the_group_column_is_pointed_out():
    # 10,000 "groups" of one person each (an ID passed as group=) ran to 4,913 flagged rows
    # with only the reference rule's warning about unstable rates
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"id": np.arange(2_000), "hired": rng.random(2_000) < 0.5})
    ai = fh.adverse_impact(df, group="id", stages=["hired"])
    assert any("2,000 groups, most of them of one or two people" in w and "pandas.cut" in w
               for w in ai.warnings)
    messy = fh.adverse_impact(messy_frame(), group="sex", stages=["selected"])
    assert not any("pandas.cut" in w for w in messy.warnings)


NON_DISCLOSED = ["Prefer not to say", "decline to self-identify", "Unknown "]


@pytest.mark.parametrize("label", NON_DISCLOSED)
def test_a_non_disclosure_label_is_kept_as_a_group_with_a_warning(label):
    """Every analysis reads it the same way: compared (the caller did not name it), with a
    warning that names it and the fix; named in unknown_labels, it is counted as unknown."""
    rng = np.random.default_rng(4)
    data = pd.DataFrame({
        "sex": rng.choice(["Female", "Male", label], 600),
        "selected": rng.random(600) < 0.3,
        "level": rng.choice(["L1", "L2"], 600),
    })
    calls = {
        "adverse_impact": lambda **kw: fh.adverse_impact(data, group="sex", stages="selected",
                                                         **kw),
        "promotion_disparity": lambda **kw: fh.promotion_disparity(
            data, group="sex", promoted="selected", level="level", **kw),
    }
    clean = " ".join(label.split())
    for name, call in calls.items():
        result = call()
        assert clean in set(result.table["group"]), name
        said = [w for w in result.warnings if "reads as a non-disclosure" in w]
        assert len(said) == 1 and repr(clean) in said[0] and "unknown_labels" in said[0], name
        named = call(unknown_labels=[label])
        assert clean not in set(named.table["group"]), name
        assert not any("non-disclosure" in w for w in named.warnings), name
        assert named.rows.excluded["missing group"] == int((data.sex == label).sum()), name


def test_the_command_line_prints_the_non_disclosure_warning(tmp_path, capsys):
    from fairhire.cli import main

    rng = np.random.default_rng(4)
    path = tmp_path / "funnel.csv"
    pd.DataFrame({"sex": rng.choice(["Female", "Male", "Prefer not to say"], 300),
                  "hired": rng.choice(["Yes", "No"], 300)}).to_csv(path, index=False)
    main(["impact", str(path), "--group", "sex", "--stages", "hired"])
    assert "'Prefer not to say' reads as a non-disclosure" in capsys.readouterr().out
    main(["impact", str(path), "--group", "sex", "--stages", "hired",
          "--unknown-label", "Prefer not to say"])
    assert "non-disclosure" not in capsys.readouterr().out


def test_count_groups_reads_one_unknown_label_given_as_text():
    frame = to_narwhals(pd.DataFrame({"sex": ["F", "M", "Prefer not to say", "F"],
                                      "p": [1, 0, 1, 0]}))
    for unknown in ("Prefer not to say", ["prefer not to say"]):
        c = count_groups(frame, ["sex"], flags={"p": "p"}, unknown_labels=unknown)
        assert c.table["group"].tolist() == ["F", "M", None]
