"""The command line takes the options of the library and the audit config it lacked.

`fairhire promotion` had no ``--period``, ``--control``, ``--no-regression`` and compared one
group column only; `fairhire pay` no ``--cluster``, ``--categorical``, ``--alpha``,
``--confidence``, ``--outlier-threshold``, ``--missing``; `fairhire ll144` no ``--alpha``,
``--min-n``; `fairhire time-to-exit` no ``--conf-type``. An analyst who set them in Python or
in an audit config could not get the same result from the command (e3dc064).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main


def _section(tmp_path, args: list[str]) -> dict:
    out = tmp_path / "r"
    assert main([*args, "--report", str(out), "--format", "json"]) == 0
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))["sections"][0]


def _tables(section: dict, result, name: str = "table") -> None:
    page = pd.DataFrame(section["result"][name])
    expected = pd.DataFrame(json.loads(json.dumps(result.to_dict(), default=str))[name])
    pd.testing.assert_frame_equal(page, expected)
    assert section["fingerprint"] == result.fingerprint


@pytest.fixture(scope="module")
def staff(tmp_path_factory):
    frame = fh.datasets.make_workforce(900, random_state=2, exits=True)
    frame["year"] = ["2024" if i % 2 else "2025" for i in range(len(frame))]
    path = tmp_path_factory.mktemp("staff") / "staff.csv"
    frame.to_csv(path, index=False)
    return path


def test_promotion_takes_period_controls_combined_groups_and_no_regression(tmp_path, staff):
    section = _section(tmp_path, [
        "promotion", str(staff), "--group", "sex", "--group", "race", "--promoted", "promoted",
        "--level", "level", "--period", "year", "--control", "tenure_years", "--min-n", "5"])
    expected = fh.promotion_disparity(pd.read_csv(staff), group=["sex", "race"],
                                      promoted="promoted", level="level", period="year",
                                      controls=["tenure_years"], min_n=5)
    _tables(section, expected)
    _tables(section, expected, "regression")
    assert section["params"]["controls"] == ["tenure_years"]
    assert section["params"]["period"] == "year"

    quick = _section(tmp_path, ["promotion", str(staff), "--group", "sex", "--promoted",
                                "promoted", "--no-regression"])
    assert quick["result"]["regression"] is None


def test_pay_takes_cluster_categorical_and_the_test_settings(tmp_path, staff):
    args = ["pay", str(staff), "--pay", "salary", "--group", "sex", "--controls", "level",
            "performance_rating", "--categorical", "performance_rating", "--cluster",
            "job_family", "--alpha", "1%", "--confidence", "0.9", "--outlier-threshold", "2",
            "--missing", "exclude"]
    section = _section(tmp_path, args)
    expected = fh.pay_gap(pd.read_csv(staff), pay="salary", group="sex",
                          controls=["level", "performance_rating"],
                          categorical=["performance_rating"], cov_type="cluster",
                          cluster="job_family", alpha=0.01, confidence=0.9,
                          outlier_threshold=2.0, missing="exclude")
    _tables(section, expected)
    assert section["params"]["cov_type"] == "cluster"
    assert section["params"]["alpha"] == 0.01


def test_pay_missing_raise_stops_on_a_blank_group(tmp_path, staff, capsys):
    code = main(["pay", str(staff), "--pay", "salary", "--group", "sex", "--missing", "raise"])
    assert code == 2
    err = capsys.readouterr().err
    assert "column 'sex' (group) has 5 missing values" in err and "--missing exclude" in err


def test_pay_cluster_with_another_error_type_is_refused(tmp_path, staff, capsys):
    code = main(["pay", str(staff), "--pay", "salary", "--group", "sex", "--cluster",
                 "job_family", "--cov-type", "HC1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--cluster" in err and "--cov-type HC1" in err and "Traceback" not in err


def test_ll144_takes_alpha_and_min_n(tmp_path, staff):
    section = _section(tmp_path, ["ll144", str(staff), "--sex", "sex", "--race", "race",
                                  "--selected", "promoted", "--alpha", "0.01", "--min-n", "30"])
    expected = fh.ll144_audit(pd.read_csv(staff), sex="sex", race="race", selected="promoted",
                              alpha=0.01, min_n=30)
    _tables(section, expected, "sex")
    _tables(section, expected, "race")
    assert (section["params"]["alpha"], section["params"]["min_n"]) == (0.01, 30)


def test_time_to_exit_takes_conf_type(tmp_path, staff):
    section = _section(tmp_path, ["time-to-exit", str(staff), "--group", "sex", "--duration",
                                  "tenure_months", "--event", "exited", "--conf-type", "log"])
    expected = fh.time_to_exit(pd.read_csv(staff), group="sex", duration="tenure_months",
                               event="exited", conf_type="log")
    _tables(section, expected)
    assert section["params"]["conf_type"] == "log"


def test_a_categorical_column_that_is_no_control_is_named_not_ignored(tmp_path, staff, capsys):
    # categorical= names which controls to read as categories; a name that is no control
    # (a typo) was ignored without a word, in the library and so in --categorical (e3dc064)
    code = main(["pay", str(staff), "--pay", "salary", "--group", "sex", "--controls", "level",
                 "--categorical", "levle"])
    assert code == 2
    assert "--categorical names ['levle'], not among --controls ['level']" in \
        capsys.readouterr().err
    data = pd.read_csv(staff)
    with pytest.raises(fh.errors.InvalidParameterError, match="not among controls="):
        fh.pay_gap(data, pay="salary", group="sex", controls=["level"], categorical="levle")
    with pytest.raises(fh.errors.InvalidParameterError, match="not among features="):
        fh.oaxaca_blinder(data, outcome="salary", group="sex", features=["level"],
                          categorical=["tenure_years"])


def test_time_to_promotion_has_a_command(tmp_path, staff):
    # time_to_promotion ran from Python and an audit config only: no command took its
    # columns, so an analyst with a CSV could not get it, nor --id, from the command line
    section = _section(tmp_path, [
        "time-to-promotion", str(staff), "--group", "sex", "--duration", "months_in_level",
        "--event", "promoted", "--control", "tenure_years", "--min-n", "20", "--min-share", "1%",
        "--min-at-risk", "3", "--ties", "breslow", "--conf-type", "log", "--alpha", "0.1"])
    expected = fh.time_to_promotion(
        pd.read_csv(staff), group="sex", duration="months_in_level", event="promoted",
        controls=["tenure_years"], min_n=20, min_share=0.01, min_at_risk=3, ties="breslow",
        conf_type="log", alpha=0.1)
    _tables(section, expected)
    assert section["params"]["controls"] == ["tenure_years"]
    assert section["params"]["min_at_risk"] == 3


def test_time_to_promotion_refuses_a_rehire_and_a_bad_setting(tmp_path, staff, capsys):
    frame = pd.read_csv(staff)
    doubled = pd.concat([frame, frame.iloc[[5]]], ignore_index=True)
    path = tmp_path / "doubled.csv"
    doubled.to_csv(path, index=False)
    args = ["time-to-promotion", str(path), "--group", "sex", "--duration", "months_in_level",
            "--event", "promoted"]
    assert main([*args, "--id", "employee_id"]) == 2
    err = capsys.readouterr().err
    assert "employee_id" in err and str(frame["employee_id"].iloc[5]) in err and "--id" in err
    assert main([*args, "--min-at-risk", "0"]) == 2
    assert "--min-at-risk 0 must be a whole number ≥ 1" in capsys.readouterr().err
