"""Applications still open (``in_process=``, ``--in-process``) are left out and counted.

An ATS export lists everyone at their current stage, open applications included. Read as a
funnel, an applicant still waiting at the interview stage is one "interviewed and not offered":
a group with more recent applicants looks offered less. The reference for every figure below
is the same audit of the rows whose application is closed, filtered by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.errors import InsufficientDataError, InvalidParameterError, InvalidValueError

ORDER = ["Applied", "Screen", "Interview", "Offer"]


def ats_export(n: int = 2_400, seed: int = 4) -> pd.DataFrame:
    """Women applied more recently, so more of their applications are still open; an open
    application sits at its current stage with no decision yet."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], n)
    reached = rng.choice(ORDER, n, p=[0.25, 0.3, 0.3, 0.15])
    open_now = (rng.random(n) < np.where(sex == "Female", 0.45, 0.1)) & (reached != "Offer")
    status = np.where(open_now, rng.choice(["Active", "On hold"], n),
                      np.where(reached == "Offer", "Hired", "Rejected"))
    quarter = rng.choice(["2025-Q1", "2025-Q2", "2025-Q3"], n)
    return pd.DataFrame({"Gender": sex, "Furthest Stage": reached, "Status": status,
                         "Quarter": quarter})


def closed(data: pd.DataFrame) -> pd.DataFrame:
    return data.loc[~data["Status"].isin(["Active", "On hold"])]


def audit(data: pd.DataFrame, **kw) -> fh.AdverseImpactResult:
    return fh.adverse_impact(data, group="Gender", stage_column="Furthest Stage",
                             stage_order=ORDER, **kw)


def test_open_applications_are_left_out_and_counted():
    data = ats_export()
    before = data.copy()
    result = audit(data, in_process={"Status": ["active", "On Hold "]})
    pd.testing.assert_frame_equal(data, before)
    expected = audit(closed(data))
    pd.testing.assert_frame_equal(result.table, expected.table)
    n_open = int(data["Status"].isin(["Active", "On hold"]).sum())
    assert result.rows.total == len(data)
    assert result.rows.excluded == {"still in process": n_open}
    assert any(w.startswith(f"{n_open:,} applications still in process") for w in result.warnings)
    assert result.params["in_process"] == {"Status": ["active", "On Hold "]}


def test_without_it_open_applications_read_as_rejections():
    data = ats_export()
    naive = audit(data).table.set_index(["stage", "group"])
    fair = audit(data, in_process={"Status": ["Active", "On hold"]}).table.set_index(
        ["stage", "group"])
    # women's open interviews counted as 'not offered': the offer stage is biased against them
    assert naive.loc[("Interview", "Female"), "impact_ratio"] < fair.loc[
        ("Interview", "Female"), "impact_ratio"]


def test_stage_columns_leave_out_the_open_rows_before_reading_blanks():
    # yes/no columns: an open application is blank at the stage it waits at (a missing outcome)
    data = pd.DataFrame({"g": ["F", "M"] * 50,
                         "screened": ["Yes", "No", "Yes", "Yes"] * 25,
                         "hired": ["", "", "No", "Yes"] * 25,
                         "status": ["Active", "Rejected", "Rejected", "Hired"] * 25})
    result = fh.adverse_impact(data, group="g", stages=["screened", "hired"],
                               in_process={"status": "Active"})
    assert result.rows.excluded == {"still in process": 25}
    expected = fh.adverse_impact(data.loc[data.status != "Active"], group="g",
                                 stages=["screened", "hired"])
    pd.testing.assert_frame_equal(result.table, expected.table)


def test_bad_in_process_values():
    data = ats_export(200)
    with pytest.raises(InvalidValueError, match=r"'Status' has no value \['Actve'\]; its "
                       r"values are \['Active', 'Hired', 'On hold', 'Rejected'\]"):
        audit(data, in_process={"Status": "Actve"})
    with pytest.raises(InvalidParameterError, match="one column"):
        audit(data, in_process="Status")
    with pytest.raises(InsufficientDataError, match="every application is still in process"):
        audit(data.assign(Status="Active"), in_process={"Status": "Active"})


def test_monitor_leaves_out_the_same_rows():
    data = ats_export()
    kw = dict(period="Quarter", group="Gender", stage_column="Furthest Stage",
              stage_order=ORDER)
    result = fh.monitor(data, in_process={"Status": ["Active", "On hold"]}, **kw)
    expected = fh.monitor(closed(data), **kw)
    pd.testing.assert_frame_equal(result.table, expected.table)
    assert result.rows.total == len(data)
    assert result.rows.excluded["still in process"] == len(data) - len(closed(data))
    with pytest.raises(InvalidParameterError, match="promoted="):
        fh.monitor(data.assign(p=True), period="Quarter", group="Gender", promoted="p",
                   in_process={"Status": "Active"})


def test_command_line_and_config_read_it_like_the_library(tmp_path, capsys):
    data = ats_export()
    path = tmp_path / "ats.csv"
    data.to_csv(path, index=False)
    args = ["impact", str(path), "--group", "Gender", "--stage-column", "Furthest Stage",
            "--stage-order", *ORDER]
    assert main([*args, "--in-process", "Status=Active", "--in-process", "Status=On hold"]) == 0
    out = capsys.readouterr().out
    n_open = len(data) - len(closed(data))
    assert f"{len(closed(data)):,} of {len(data):,} rows used; {n_open:,} excluded" in out
    assert main([*args, "--in-process", "Status=Active", "--in-process", "Stage=Open"]) != 0
    assert "name one column" in capsys.readouterr().err
    config = tmp_path / "audit.toml"
    config.write_text(
        f'[report]\noutput = "{(tmp_path / "r").as_posix()}"\nformats = ["json"]\n\n'
        f'[data.apps]\npath = "{path.as_posix()}"\n\n[[analysis]]\ntype = "adverse_impact"\n'
        'group = "Gender"\nstage_column = "Furthest Stage"\n'
        f'stage_order = {ORDER!r}\nin_process = {{ Status = ["Active", "On hold"] }}\n'
        .replace("'", '"'), encoding="utf-8")
    assert main(["audit", str(config)]) == 0
    report = json.loads((tmp_path / "r" / "audit.json").read_text(encoding="utf-8"))
    rows = report["sections"][0]["result"]["rows"]
    assert rows["excluded"] == {"still in process": n_open}


def test_an_ll144_audit_leaves_open_applications_out():
    # before: ll144_audit had no in_process=, so an open application was 'not selected'
    data = ats_export()
    rng = np.random.default_rng(9)
    data = data.assign(Race=rng.choice(["White", "Asian", "Black or African American"],
                                       len(data)),
                       Advanced=np.where(data["Furthest Stage"] == "Offer", "Yes", "No"))
    audit = fh.ll144_audit(data, sex="Gender", race="Race", selected="Advanced",
                           in_process={"Status": ["Active", "On hold"]})
    by_hand = fh.ll144_audit(closed(data), sex="Gender", race="Race", selected="Advanced")
    for table in ("sex", "race", "intersectional"):
        pd.testing.assert_frame_equal(getattr(audit, table), getattr(by_hand, table))
    n_open = len(data) - len(closed(data))
    assert audit.rows.excluded["still in process"] == n_open and audit.rows.total == len(data)
    assert any("still in process" in w for w in audit.warnings)
    with pytest.raises(InvalidParameterError, match="scoring-rate"):
        fh.ll144_audit(data.assign(Score=1.0), sex="Gender", race="Race", score="Score",
                       in_process={"Status": "Active"})


def test_fairhire_ll144_in_process(tmp_path, capsys):
    data = ats_export().assign(Race="White")
    data["Advanced"] = np.where(data["Furthest Stage"] == "Offer", "Yes", "No")
    path = tmp_path / "ats.csv"
    data.to_csv(path, index=False)
    assert main(["ll144", str(path), "--sex", "Gender", "--race", "Race", "--selected",
                 "Advanced", "--in-process", "Status=Active", "--in-process",
                 "Status=On hold"]) == 0
    out = capsys.readouterr().out
    assert f"{len(data) - len(closed(data)):,} excluded (still in process)" in out
