"""``unknown_labels`` means the same in every analysis (one vocabulary, one rule).

Every entry point that compares groups takes it; one label given as text is that label (never
its letters); the labels it names are counted with the missing values and never compared; and
a label that reads as a non-disclosure but is not named is compared, with one warning that
names it and the fix.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import fairhire as fh
from tests import test_result_contract as contract

LABEL = "Prefer not to say"
#: the arguments that name a group column
GROUP_ARGUMENTS = {"group", "sex", "candidate_group", "panelist_group", "sensitive_features"}
#: entry points whose data has no group column to read (a job ad; results of other analyses)
NO_GROUPS = {"scan_job_description", "pay_remediation", "compare_audits"}


def _as_label(frame: pd.DataFrame, columns: dict[str, str | None]) -> pd.DataFrame:
    """"Non-binary" written as the label; where there is none, the value of every 12th person
    (column -> the column that identifies them, so that a person keeps one group)."""
    out = frame.copy()
    for c, person in columns.items():
        values = out[c].astype(object)
        which = values == "Non-binary"
        if not which.any():
            which = pd.Series(pd.factorize(out[person])[0] % 12 == 5, index=values.index)
        values[which] = LABEL
        out[c] = values
    return out


class Data(contract.Data):
    """The contract tests' data, with "Non-binary" written as a non-disclosure label."""

    funnel = _as_label(contract.Data.funnel, {"sex": None})
    workforce = _as_label(contract.Data.workforce, {"sex": None})
    periods = _as_label(contract.Data.periods, {"sex": None})
    exits = _as_label(contract.Data.exits, {"sex": None})


Data.interviews = type(contract.Data.interviews)(**{
    **vars(contract.Data.interviews),
    "panels": _as_label(contract.Data.interviews.panels,
                        {"panelist_sex": "panelist", "candidate_sex": "interview_id"}),
    "decisions": _as_label(contract.Data.interviews.decisions, {"sex": "candidate_id"}),
    "scores": _as_label(contract.Data.interviews.scores, {"sex": "candidate_id"}),
})

CASES = [name for name in contract.FACTORIES if name not in NO_GROUPS]


def _run(monkeypatch: pytest.MonkeyPatch, name: str, **extra: object):
    """The contract factory of ``name`` on this module's data, with extra keywords."""
    monkeypatch.setattr(contract, "Data", Data)
    entry = getattr(fh, name)
    monkeypatch.setattr(fh, name, lambda *a, **kw: entry(*a, **{**kw, **extra}))
    return contract.FACTORIES[name]()


def _groups(result) -> set:
    """{LABEL} when any table of the result shows the label as a group."""
    return {LABEL} if LABEL in result.to_frame().astype(str).to_string() else set()


def test_every_entry_point_that_compares_groups_takes_unknown_labels():
    for name in fh.__all__:
        entry = getattr(fh, name)
        if not inspect.isfunction(entry):
            continue
        params = set(inspect.signature(entry).parameters)
        if params & GROUP_ARGUMENTS:
            assert "unknown_labels" in params, name


@pytest.mark.parametrize("name", CASES)
def test_a_named_label_is_unknown_and_text_is_one_label(monkeypatch, name):
    kept = _run(monkeypatch, name)
    said = [w for w in kept.warnings if "reads as a non-disclosure" in w]
    if _groups(kept):
        # compared as a group: one warning per column that holds it
        columns = 2 if name == "interview_panels" else 1
        assert len(said) == columns and all(repr(LABEL) in w for w in said), said
    else:  # read as unknown, or outside the two sexes compared: no warning says "compared"
        assert said == [], (name, said)
    as_text = _run(monkeypatch, name, unknown_labels=LABEL)
    as_list = _run(monkeypatch, name, unknown_labels=[LABEL.upper()])
    for result in (as_text, as_list):
        assert _groups(result) == set(), name
        assert not any("non-disclosure" in w for w in result.warnings), name
        assert [str(v).casefold() for v in result.params["unknown_labels"]] == [
            LABEL.casefold()], name
    pd.testing.assert_frame_equal(as_text.to_frame(), as_list.to_frame())
    assert as_text.rows.total == kept.rows.total
    assert as_text.rows.used <= kept.rows.used


def test_the_analyses_that_compare_the_label_say_so():
    """The label is a group (and warned about) wherever the analysis compares such groups:
    not in LL144 (its own categories), the cut-off search (race), Oaxaca and the two-sex
    statutory metrics, which compare two groups only."""
    shown = {name for name in CASES if _groups(_plain(name))}
    assert shown == set(CASES) - {"ll144_audit", "cutoff_analysis", "oaxaca_blinder",
                                  "uk_pay_gap_metrics", "eu_pay_transparency_metrics"}


def _plain(name: str):
    with pytest.MonkeyPatch.context() as mp:
        return _run(mp, name)


@pytest.mark.parametrize("command", [
    ["impact", "--stages", "promoted"],
    ["promotion", "--promoted", "promoted", "--level", "level"],
    ["pay", "--pay", "salary", "--controls", "level"],
    ["retention", "--exited", "exited"],
])
def test_the_command_line_takes_unknown_label(tmp_path, capsys, command):
    from fairhire.cli import main

    path = tmp_path / "staff.csv"
    Data.exits.to_csv(path, index=False)
    name, *rest = command
    base = [name, str(path), "--group", "sex", *rest]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert f"'{LABEL}' reads as a non-disclosure" in out and LABEL in out.split("Warnings")[0]
    assert main([*base, "--unknown-label", LABEL]) == 0
    out = capsys.readouterr().out
    assert "non-disclosure" not in out and LABEL not in out


def test_one_numeric_code_is_one_label():
    """A survey's code for "no answer" (9) given alone is that label, as in a list."""
    data = Data.funnel.assign(code=Data.funnel["sex"].map(
        {"Female": 1, "Male": 2, LABEL: 9}))
    alone = fh.adverse_impact(data, group="code", stages="hired", unknown_labels=9)
    listed = fh.adverse_impact(data, group="code", stages="hired", unknown_labels=[9])
    pd.testing.assert_frame_equal(alone.table, listed.table)
    assert len(set(alone.table["group"])) == 2
    # the blank sex cells are missing too
    unknown = int((data["code"] == 9).sum() + data["code"].isna().sum())
    assert alone.rows.excluded["missing group"] == unknown


@pytest.mark.parametrize("name", ["adverse_impact", "promotion_disparity", "pay_gap"])
def test_a_measure_used_as_a_group_is_warned_about(name):
    """Age in years as the group column: 50 groups of one age each, not "under 40" and "40
    or over". Said once, in every engine, without changing the comparison; a few numeric codes
    (1, 2, 9) are not warned about."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"age": rng.integers(20, 70, 3000), "ok": rng.random(3000) < 0.4,
                       "code": rng.choice([1, 2, 9], 3000), "pay": rng.lognormal(10, 0.3, 3000)})
    call = {"adverse_impact": lambda d, g: fh.adverse_impact(d, group=g, stages="ok"),
            "promotion_disparity": lambda d, g: fh.promotion_disparity(d, group=g, promoted="ok"),
            "pay_gap": lambda d, g: fh.pay_gap(d, group=g, pay="pay")}[name]
    said = "column 'age' holds 50 distinct numbers, each compared as a group of its own"
    for frame in (df, pl.from_pandas(df)):
        warned = [w for w in call(frame, "age").warnings if "distinct numbers" in w]
        assert len(warned) == 1 and warned[0].startswith(said), name
        assert not any("distinct numbers" in w for w in call(frame, "code").warnings)


def test_numbers_that_are_not_groups_are_not_warned_about():
    """Rater ids, numeric periods and EU worker categories are compared within, not with each
    other: no "band it first" warning for them, whatever their number."""
    import numpy as np

    rng = np.random.default_rng(4)
    n = 4000
    df = pd.DataFrame({"sex": rng.choice(["Female", "Male"], n), "ok": rng.random(n) < 0.3,
                       "rater": rng.integers(100, 160, n), "year": rng.integers(1990, 2025, n),
                       "grade": rng.integers(1, 30, n), "pay": rng.lognormal(10, 0.3, n)})
    results = [
        fh.rater_disparity(df, rater="rater", candidate_group="sex", outcome="ok"),
        fh.monitor(df, period="year", group="sex", stages="ok"),
        fh.eu_pay_transparency_metrics(df, pay="pay", sex="sex", category="grade"),
    ]
    for result in results:
        assert not any("distinct numbers" in w for w in result.warnings), result.kind


def test_a_non_disclosure_group_chosen_as_reference_is_said():
    # "Prefer not to say" has the highest rate: by the rule it is the reference, and every
    # group is then compared with people who did not say. The auditor should decide that.
    rows = [("Female", i < 30) for i in range(100)] + [("Male", i < 35) for i in range(100)] + \
        [(LABEL, i < 20) for i in range(40)]
    frame = pd.DataFrame(rows, columns=["sex", "hired"])
    chosen = fh.adverse_impact(frame, group="sex", stages=["hired"])
    assert chosen.table["reference_group"].iloc[0] == LABEL
    said = [w for w in chosen.warnings if "the reference group" in w]
    assert len(said) == 1 and f"{LABEL!r} is people who did not disclose" in said[0]
    named = fh.adverse_impact(frame, group="sex", stages=["hired"], reference="Male")
    unknown = fh.adverse_impact(frame, group="sex", stages=["hired"], unknown_labels=LABEL)
    for result in (named, unknown):
        assert not any("the reference group" in w for w in result.warnings)
