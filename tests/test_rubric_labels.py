"""Scorecard rating labels in rubric_consistency (and rating_disparity): order=, labels that
carry their point, the Greenhouse and Lever scales; each compared with a hand-mapped frame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.errors import InvalidParameterError, InvalidValueError
from fairhire.workflow.reading import read_table

GREENHOUSE = ["Definitely Not", "No", "Yes", "Strong Yes"]
LEVER = ["Strong No Hire", "No Hire", "Hire", "Strong Hire"]
KW = dict(candidate="candidate", rater="interviewer", criteria=["overall", "communication"],
          candidate_group="sex")


def scorecards(labels: list[str], seed: int = 1) -> pd.DataFrame:
    """60 candidates x 3 interviewers; scores 1..4 written as ``labels``, a few not rated."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(60):
        for r in ["Ann Lee", "Bo Chen", "Cruz, Dana"]:
            base = 1 + (c % 4 + rng.integers(0, 2)) % 4
            rows.append(dict(candidate=f"{c:05d}", interviewer=r,
                             sex="Female" if c % 2 else "Male",
                             overall=labels[base - 1],
                             communication=labels[rng.integers(0, 4)]))
    return pd.DataFrame(rows)


def by_hand(df: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    points = {lab: i for i, lab in enumerate(labels, start=1)}
    return df.assign(overall=df.overall.map(points), communication=df.communication.map(points))


def same_result(got: fh.RubricConsistencyResult, want: fh.RubricConsistencyResult) -> None:
    pd.testing.assert_frame_equal(got.table, want.table)
    pd.testing.assert_frame_equal(got.gaps, want.gaps)
    assert got.fingerprint == want.fingerprint and got.rows == want.rows


def test_greenhouse_labels_read_without_order_as_the_hand_mapped_frame():
    df = scorecards(GREENHOUSE)
    df.loc[[3, 10], "overall"] = "No Decision"
    df.loc[5, "communication"] = " "
    before = df.copy()
    got = fh.rubric_consistency(df, **KW)
    pd.testing.assert_frame_equal(df, before)  # the input is never modified
    want = fh.rubric_consistency(by_hand(df, GREENHOUSE), **KW)
    same_result(got, want)
    assert got.table.set_index("criterion").loc["overall", "missing_scores"] == 2
    note = ("ratings in 'overall' read as the Greenhouse scale: Definitely Not = 1, No = 2, "
            "Yes = 3, Strong Yes = 4.")
    assert note in got.warnings and note in got.summary()


def test_lever_labels_and_the_polars_frame():
    df = scorecards(LEVER, seed=2)
    got = fh.rubric_consistency(pl.from_pandas(df), **KW)
    same_result(got, fh.rubric_consistency(by_hand(df, LEVER), **KW))
    assert any("the Lever scale: Strong No Hire = 1" in w for w in got.warnings)


def test_order_reads_any_labels_case_and_spaces_aside_and_na_stays_missing():
    labels = ["Below", "Meets", "Exceeds", "Far Exceeds"]
    df = scorecards(labels, seed=3)
    df.loc[0, "overall"] = "  meets "
    df.loc[[1, 2], "communication"] = "N/A"
    got = fh.rubric_consistency(df, order=labels, **KW)
    hand = by_hand(df.replace({"  meets ": "Meets"}), labels)
    same_result(got, fh.rubric_consistency(hand, **KW))
    assert got.params["order"] == labels
    assert got.table.set_index("criterion").loc["communication", "missing_scores"] == 2


def test_order_with_a_missing_label_or_a_duplicate_is_rating_disparitys_error():
    df = scorecards(GREENHOUSE)
    with pytest.raises(InvalidValueError, match=r"column 'overall' holds values missing from "
                       r"order=: \['Strong Yes'\]"):
        fh.rubric_consistency(df, order=GREENHOUSE[:3], **KW)
    with pytest.raises(InvalidParameterError, match="lists a value more than once"):
        fh.rubric_consistency(df, order=[*GREENHOUSE, "strong yes "], **KW)
    with pytest.raises(InvalidParameterError, match="must be a list"):
        fh.rubric_consistency(df, order="Definitely Not, No, Yes, Strong Yes", **KW)


@pytest.mark.parametrize("written", [
    ["1 - Strong No", "2 - No", "3 - Yes", "4 - Strong Yes"],
    ["1 – Poor", "2 (Below)", "3: Meets", "4 - Exceeds"],
])
def test_labels_that_carry_their_point_read_as_that_number(written):
    df = scorecards(written, seed=4)
    same_result(fh.rubric_consistency(df, **KW), fh.rubric_consistency(by_hand(df, written), **KW))


def test_points_with_other_words_are_an_error_naming_them():
    df = scorecards(["1 - No", "2 - Maybe", "3 - Yes", "4 - Strong Yes"])
    df.loc[0, "overall"] = "3 - No"
    with pytest.raises(InvalidValueError, match=r"'3 - No', '3 - Yes'"):
        fh.rubric_consistency(df, **KW)


def test_unknown_words_or_mixed_scales_keep_the_error_with_an_order_hint():
    df = scorecards(GREENHOUSE)
    df.loc[0, "overall"] = "Maybe"
    with pytest.raises(InvalidValueError, match=r"must hold numbers.*Pass order=\[\.\.\.\].*"
                       r"most labels are the Greenhouse scale's .* but 'Maybe' is not"):
        fh.rubric_consistency(df, **KW)
    mixed = scorecards(["Strong No Hire", "No", "Hire", "Strong Yes"])
    with pytest.raises(InvalidValueError, match=r"Pass order=\[\.\.\.\] with every rating label"):
        fh.rubric_consistency(mixed, **KW)


def test_rating_disparity_reads_points_and_not_rated_words_by_the_same_rule():
    rng = np.random.default_rng(0)
    points = rng.integers(1, 6, 400)
    words = {1: "1 - Poor", 2: "2 - Below", 3: "3 - Meets", 4: "4 - Exceeds",
             5: "5 - Outstanding"}
    df = pd.DataFrame({"sex": np.where(rng.random(400) < 0.5, "F", "M"), "num": points,
                       "text": [words[p] for p in points]})
    df.loc[:4, "text"] = "N/A"
    df.loc[:4, "num"] = np.nan
    got = fh.rating_disparity(df, group="sex", rating="text")
    want = fh.rating_disparity(df, group="sex", rating="num")
    cols = ["group", "n", "mean_rank", "top_share", "impact_ratio", "prob_superiority"]
    pd.testing.assert_frame_equal(got.table[cols], want.table[cols])
    assert got.order == tuple(words.values()) and got.rows.excluded == {"missing text": 5}
    ordered = fh.rating_disparity(df, group="sex", rating="text", order=list(words.values()))
    pd.testing.assert_frame_equal(ordered.table, got.table)


def test_the_audit_config_reads_order_as_the_library(tmp_path):
    labels = ["Below", "Meets", "Exceeds", "Far Exceeds"]
    df = scorecards(labels, seed=5)
    path = tmp_path / "scorecards.csv"
    df.to_csv(path, index=False)
    # the library on the file as the command reads it (ids "00001" are numbers there)
    want = fh.rubric_consistency(read_table(path), order=labels, **KW)
    config = tmp_path / "audit.toml"
    config.write_text(
        f'[report]\noutput = "{(tmp_path / "r").as_posix()}"\nformats = ["json"]\n\n'
        f'[data.scores]\npath = "{path.as_posix()}"\n\n[[analysis]]\n'
        'type = "rubric_consistency"\ncandidate = "candidate"\nrater = "interviewer"\n'
        'criteria = ["overall", "communication"]\ncandidate_group = "sex"\n'
        f"order = {json.dumps(labels)}\n", encoding="utf-8")
    assert main(["audit", str(config)]) == 0
    section = json.loads((tmp_path / "r" / "audit.json").read_text(encoding="utf-8"))
    section = section["sections"][0]
    assert section["fingerprint"] == want.fingerprint
    assert section["params"] == json.loads(json.dumps(want.params))
    got = section["result"]["table"]
    assert got == json.loads(json.dumps(want.to_dict()["table"]))


def test_order_on_numeric_criteria_is_said_to_be_unused():
    df = by_hand(scorecards(GREENHOUSE), GREENHOUSE)
    got = fh.rubric_consistency(df, order=GREENHOUSE, **KW)
    same_result(got, fh.rubric_consistency(df, **KW))
    assert "order= was not used: every criterion holds numbers, read as they are." in got.warnings


def test_rating_disparitys_error_on_unread_labels_gives_the_same_hint():
    df = pd.DataFrame({"sex": ["F", "M"] * 40, "rating": ["Yes", "No", "Strong Yes", "Maybe"] * 20})
    with pytest.raises(InvalidParameterError, match=r"holds text ratings .*; pass order=\[\.\.\.\]"
                       r" with every rating label.* but 'Maybe' is not\."):
        fh.rating_disparity(df, group="sex", rating="rating")
