"""Exports that leave a "no" blank: a yes/no column with yes values and blanks, no "no".

Many ATS and HRIS exports write "Yes" (or a mark) where something happened and leave the cell
empty otherwise. fairhire never reads a blank as "no" (it is a missing outcome, counted and
left out), so such a column used to lose every "no" row without a word beyond the row account:
an interview stage read as 100% selected, a retention file read as everyone leaving. Now the
column is an error that says what the blanks probably are and how to say so; the command
line, the audit config and the web app read the blanks as no when told to, with a note.
A blank after a "no" at an earlier stage is the funnel's end, never an error.
"""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.errors import InvalidValueError

STAGES = ["screened", "interviewed", "hired"]


def _funnel(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """A funnel as booleans: screened, then interviewed, then hired."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], n)
    screened = rng.random(n) < 0.6
    interviewed = screened & (rng.random(n) < np.where(sex == "Female", 0.4, 0.55))
    hired = interviewed & (rng.random(n) < 0.5)
    return pd.DataFrame({"sex": sex, "screened": screened, "interviewed": interviewed,
                         "hired": hired})


def _yes_or_blank(df: pd.DataFrame, columns=STAGES) -> pd.DataFrame:
    """The export: "Yes" where the flag is True, an empty cell otherwise."""
    return df.assign(**{c: np.where(df[c], "Yes", None).astype(object) for c in columns})


def _yes_no(df: pd.DataFrame, columns=STAGES) -> pd.DataFrame:
    return df.assign(**{c: np.where(df[c], "Yes", "No").astype(object) for c in columns})


# -- the library ------------------------------------------------------------------------------


def test_a_stage_of_yes_and_blanks_is_an_error_that_says_what_to_do():
    data = _yes_or_blank(_funnel())
    before = data.copy()
    with pytest.raises(InvalidValueError) as err:
        fh.adverse_impact(data, group="sex", stages=STAGES)
    message = str(err.value)
    n_blank = int((~_funnel().screened).sum())
    assert "column 'screened' (passed as stages=) reads as yes in" in message
    assert f"is blank in {n_blank:,} rows" in message and "no row reads as no" in message
    assert "--blank-means-no" in message and "blank_means_no = true" in message
    assert "data.fillna({'screened': 'No'})" in message
    pd.testing.assert_frame_equal(data, before)  # never modified


def test_a_later_stage_is_checked_only_where_the_applicant_reached_it():
    df = _funnel()
    # "No" written up to where the applicant stopped, blank after it: the usual export
    stopped = _yes_no(df)
    for prev, cur in itertools.pairwise(STAGES):
        stopped.loc[~df[prev], cur] = None
    # every interviewed applicant hired: 'hired' holds only "Yes" and blanks, and every blank
    # is after a "no", so nothing is missing
    stopped.loc[df.interviewed, "hired"] = "Yes"
    expected = fh.adverse_impact(
        df.assign(hired=df.interviewed), group="sex", stages=STAGES)
    got = fh.adverse_impact(stopped, group="sex", stages=STAGES)
    pd.testing.assert_frame_equal(got.table, expected.table)
    assert got.rows.excluded == {}
    # blanks at a stage reached, in a column with no "no": the error, with the reached count
    reached_blank = _yes_or_blank(df, ["interviewed"]).assign(screened=_yes_no(df).screened,
                                                             hired=_yes_no(df).hired)
    reached_blank.loc[~df.screened, "hired"] = None  # blanks after a "no" are not counted
    n = int((df.screened & ~df.interviewed).sum())
    with pytest.raises(InvalidValueError, match=f"blank in {n:,} rows of applicants who "
                       "reached that stage"):
        fh.adverse_impact(reached_blank, group="sex", stages=STAGES)


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_every_engine_and_the_monitor_say_the_same(engine):
    df = _yes_or_blank(_funnel()).assign(period=["Q1", "Q2"] * 200)
    data = df if engine == "pandas" else pytest.importorskip("polars").from_pandas(df)
    for call in (lambda: fh.adverse_impact(data, group="sex", stages=STAGES),
                 lambda: fh.monitor(data, period="period", group="sex", stages=STAGES)):
        with pytest.raises(InvalidValueError, match=r"column 'screened'.*no row reads as no"):
            call()


def test_numbers_one_and_blank_are_the_same_case():
    df = _funnel()
    data = df.assign(hired=np.where(df.hired, 1.0, np.nan))  # a CSV of 1 and empty cells
    with pytest.raises(InvalidValueError, match=r"column 'hired'.*no row reads as no"):
        fh.ll144_audit(data.assign(race="White"), sex="sex", race="race", selected="hired")


def test_other_yes_no_columns_follow_the_same_rule():
    staff = fh.datasets.make_workforce(800, random_state=1)
    promoted = np.where(staff.promoted, "Y", "").astype(object)
    with pytest.raises(InvalidValueError, match=r"column 'promoted'.*no row reads as no"):
        fh.promotion_disparity(staff.assign(promoted=promoted), group="sex",
                               promoted="promoted", level="level")
    left = np.where(staff.left, "Y", None).astype(object)
    with pytest.raises(InvalidValueError, match=r"column 'left'.*no row reads as no"):
        fh.retention(staff.assign(left=left), group="sex", exited="left")


def test_a_few_unknown_outcomes_beside_yes_and_no_are_still_counted_and_left_out():
    data = _yes_no(_funnel())
    data.loc[data.index[:4], "screened"] = None
    result = fh.adverse_impact(data, group="sex", stages=STAGES)
    assert result.rows.excluded == {"missing outcome (screened)": 4}


# -- the command line, the audit config and the web app ---------------------------------------


def test_the_command_line_refuses_then_reads_blanks_as_no_when_told(tmp_path, capsys):
    df = _funnel()
    path = tmp_path / "export.csv"
    _yes_or_blank(df).to_csv(path, index=False)
    args = ["impact", str(path), "--group", "sex", "--stages", *STAGES]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "column 'screened' (passed as --stages)" in err and "--blank-means-no" in err
    assert main([*args, "--blank-means-no"]) == 0
    out, err = capsys.readouterr()
    for c in STAGES:
        assert f"column '{c}': {int((~df[c]).sum()):,} blank cells read as no " \
               "(--blank-means-no)." in err
    _yes_no(df).to_csv(tmp_path / "yes_no.csv", index=False)
    assert main(["impact", str(tmp_path / "yes_no.csv"), "--group", "sex", "--stages",
                 *STAGES]) == 0
    assert capsys.readouterr().out == out  # the same audit as an export that writes "No"


@pytest.mark.parametrize("command,flag", [
    (["retention", "--group", "sex", "--exited"], "left"),
    (["promotion", "--group", "sex", "--level", "level", "--promoted"], "promoted"),
])
def test_every_command_with_a_yes_no_column_takes_blank_means_no(tmp_path, capsys, command,
                                                                 flag):
    staff = fh.datasets.make_workforce(600, random_state=2)
    path = tmp_path / "staff.csv"
    staff.assign(**{flag: np.where(staff[flag], "Y", "")}).to_csv(path, index=False)
    args = [command[0], str(path), *command[1:], flag]
    assert main(args) == 2
    assert f"column '{flag}'" in capsys.readouterr().err
    assert main([*args, "--blank-means-no"]) == 0
    assert "blank cells read as no" in capsys.readouterr().err


def _config(tmp_path, extra: str) -> str:
    _yes_or_blank(_funnel()).to_csv(tmp_path / "export.csv", index=False)
    (tmp_path / "audit.toml").write_text(f"""
[report]
title = "Blanks"
output = "out"
[data.apps]
path = "export.csv"
[[analysis]]
type = "adverse_impact"
group = "sex"
stages = {json.dumps(STAGES)}
{extra}
""")
    return str(tmp_path / "audit.toml")


def test_an_audit_config_says_it_per_analysis_and_the_report_notes_it(tmp_path, capsys):
    assert main(["audit", _config(tmp_path, "")]) == 2
    assert "blank_means_no = true" in capsys.readouterr().err
    assert main(["audit", _config(tmp_path, 'blank_means_no = "yes"')]) == 2
    assert "blank_means_no must be true or false" in capsys.readouterr().err
    assert main(["audit", _config(tmp_path, "blank_means_no = true")]) == 0
    report = (tmp_path / "out" / "audit.md").read_text()
    assert re.search(r"column 'screened': [\d,]+ blank cells read as no \(the audit config "
                     r"says a blank means no\)\.", report)


def test_the_web_apps_box_reads_blanks_as_no():
    pytest.importorskip("starlette")
    pytest.importorskip("multipart")
    from starlette.testclient import TestClient

    from fairhire.web import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1:8765")
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]
    assert 'id="blank-means-no"' in client.get("/audit").text
    files = {"file": ("export.csv", _yes_or_blank(_funnel()).to_csv(index=False).encode(),
                      "text/csv")}
    roles = {"sex": "group", **{c: "stage" for c in STAGES}}
    form = {"csrf": token, "roles": json.dumps(roles), "analyses": json.dumps(["funnel"])}

    def last(**extra):
        reply = client.post("/audit/run", data={**form, **extra}, files=files)
        return json.loads(reply.text.splitlines()[-1])

    refused = last()
    assert "no row reads as no" in refused["error"] and "web app" in refused["error"]
    done = last(blank_means_no="1")
    assert done["done"] and "blank_means_no = true" in done["config"]
    assert "blank cells read as no" in done["report"]["markdown"]


@pytest.mark.parametrize("total", ["231", 231, 231.0, "1,231"])
def test_a_totals_row_at_the_end_of_an_export_is_pointed_out(total):
    data = _yes_no(_funnel()).astype(object)
    data.loc[len(data)] = ["", total, "95", "40"]
    with pytest.raises(InvalidValueError, match="totals row at the end of the export"):
        fh.adverse_impact(data, group="sex", stages=STAGES)
    data.loc[len(data)] = ["", "2", "maybe", "no"]  # two bad rows: not a totals row
    with pytest.raises(InvalidValueError) as err:
        fh.adverse_impact(data, group="sex", stages=STAGES)
    assert "totals row" not in str(err.value)


def test_a_date_column_given_as_a_yes_no_column_says_how_to_use_it():
    staff = fh.datasets.make_workforce(300, random_state=3)
    dates = pd.Series(pd.date_range("2024-01-01", periods=len(staff), freq="D").strftime(
        "%m/%d/%Y"), index=staff.index).where(staff.left.to_numpy(), None)
    with pytest.raises(InvalidValueError) as err:
        fh.retention(staff.assign(left_on=dates), group="sex", exited="left_on")
    message = str(err.value)
    assert "These are dates" in message and "data['left_on'].notna()" in message
    assert "time_to_exit (hire_date=, exit_date=)" in message
    with pytest.raises(InvalidValueError) as err:
        fh.adverse_impact(staff.assign(hired="maybe"), group="sex", stages=["hired"])
    assert "dates" not in str(err.value) and "totals row" not in str(err.value)


def test_a_bonus_column_of_amounts_and_blanks_is_the_same_case():
    # "100.0% of men and 100.0% of women were paid a bonus": a statutory figure, from an
    # export that leaves the bonus of those paid none empty
    staff = fh.datasets.make_workforce(600, random_state=4)
    bonus = staff.bonus.where(staff.bonus > 0)  # blank where no bonus was paid
    assert bonus.isna().any() and (bonus > 0).any()
    with pytest.raises(InvalidValueError, match=r"column 'bonus' \(passed as bonus=\) holds a "
                       r"bonus for [\d,]+ employees and is blank for [\d,]+, and no row holds 0"):
        fh.uk_pay_gap_metrics(staff.assign(bonus=bonus), sex="sex", hourly_pay="hourly_pay",
                              bonus="bonus")
    zeros = fh.uk_pay_gap_metrics(staff, sex="sex", hourly_pay="hourly_pay", bonus="bonus")
    filled = fh.uk_pay_gap_metrics(staff.assign(bonus=bonus.fillna(0)), sex="sex",
                                   hourly_pay="hourly_pay", bonus="bonus")
    pd.testing.assert_frame_equal(zeros.metrics, filled.metrics)


def test_an_audit_configs_blank_means_no_reads_a_blank_bonus_as_0(tmp_path):
    staff = fh.datasets.make_workforce(600, random_state=4)
    staff.assign(bonus=staff.bonus.where(staff.bonus > 0)).to_csv(tmp_path / "staff.csv",
                                                                  index=False)
    (tmp_path / "uk.toml").write_text("""
[report]
title = "UK"
output = "out"
formats = ["json"]
[data.staff]
path = "staff.csv"
[[analysis]]
type = "uk_pay_gap"
sex = "sex"
hourly_pay = "hourly_pay"
bonus = "bonus"
blank_means_no = true
""")
    assert main(["audit", str(tmp_path / "uk.toml")]) == 0
    section = json.loads((tmp_path / "out" / "audit.json").read_text())["sections"][0]
    expected = fh.uk_pay_gap_metrics(staff, sex="sex", hourly_pay="hourly_pay", bonus="bonus")
    got = {r["metric"]: r["value"] for r in section["result"]["metrics"]}
    assert got["male_bonus_pct"] == pytest.approx(expected.male_bonus_pct)
    assert any("blank cells read as 0" in n for n in section["warnings"])
