"""The exits and monitoring subcommands (retention, time-to-exit, layoff, monitor, compare) and
their audit-config types: output, reports, and one-line errors in the command line's words."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main, parse_config

DRIFT = {"stage": "screened", "column": "sex", "group": "Female", "multiplier": 0.6,
         "from_period": 5}
STAGES = ["screened", "interviewed", "offered", "hired"]


@pytest.fixture(scope="module")
def staff_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("staff") / "staff.csv"
    fh.datasets.make_workforce(1500, random_state=0, exits=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def funnel_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("funnel") / "applications.csv"
    frame = fh.datasets.make_hiring_funnel(12_000, periods=8, random_state=3, drift=DRIFT)
    frame.to_csv(path, index=False)
    return path


def _error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fairhire: error:"), err
    return err[0]


def _sections(folder: Path) -> list[dict]:
    return json.loads((folder / "audit.json").read_text(encoding="utf-8"))["sections"]


# -- retention ----------------------------------------------------------------------------------


def test_retention_prints_each_exit_kind_and_writes_the_report(staff_csv, tmp_path, capsys):
    code = main(["retention", str(staff_csv), "--group", "sex", "--exited", "exited",
                 "--exit-type", "exit_type", "--level", "level", "--no-regression",
                 "--report", str(tmp_path), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Retention by sex" in out and "left voluntarily at" in out
    for kind in ("all", "voluntary", "involuntary"):
        assert f"\n{kind:>11} " in out or f" {kind} " in out
    # advice names the flags, not the Python arguments
    assert "--voluntary or --involuntary" in out and "voluntary=" not in out
    (section,) = _sections(tmp_path)
    assert section["kind"] == "retention"
    assert section["params"]["regression"] is False


def test_retention_options_are_checked_before_the_file_is_read(capsys):
    assert main(["retention", "nope.csv", "--group", "sex", "--exited", "x",
                 "--threshold", "2"]) == 2
    assert "--threshold 2 must lie in (0, 1]" in _error(capsys)
    assert main(["retention", "nope.csv", "--group", "sex", "--exited", "x",
                 "--adjust", "sidak"]) == 2
    assert "--adjust" in _error(capsys)


def test_retention_voluntary_labels_and_missing_column(staff_csv, capsys):
    code = main(["retention", str(staff_csv), "--group", "sex", "--exited", "exited",
                 "--exit-type", "exit_type", "--voluntary", "voluntary", "--voluntary",
                 "retirement", "--no-regression"])
    assert code == 0
    assert "neither voluntary nor involuntary" not in capsys.readouterr().out
    assert main(["retention", str(staff_csv), "--group", "gender", "--exited", "exited"]) == 2
    assert "'gender'" in _error(capsys)


# -- time to exit -------------------------------------------------------------------------------


def test_time_to_exit_from_durations_and_from_dates(staff_csv, tmp_path, capsys):
    assert main(["time-to-exit", str(staff_csv), "--group", "sex", "--duration",
                 "tenure_months", "--event", "exited", "--cause", "exit_type",
                 "--horizon", "36"]) == 0
    out = capsys.readouterr().out
    assert "Time to exit" in out and "after 36 months" in out
    staff = pd.read_csv(staff_csv)
    as_of = pd.Timestamp("2025-12-31")
    hired = as_of - pd.to_timedelta(staff["tenure_months"] * 30.4375, unit="D")
    dates = pd.DataFrame({
        "sex": staff["sex"], "hired_on": hired.dt.date,
        "left_on": as_of.date(),
    }).assign(left_on=lambda d: d["left_on"].where(staff["exited"]))
    path = tmp_path / "dates.csv"
    dates.to_csv(path, index=False)
    assert main(["time-to-exit", str(path), "--group", "sex", "--hire-date", "hired_on",
                 "--exit-date", "left_on", "--as-of", "2025-12-31", "--time-unit",
                 "years"]) == 0
    assert "years" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([], "either as --duration COLUMN with --event COLUMN, or as --hire-date"),
        (["--duration", "tenure_months", "--hire-date", "h"], "either as --duration"),
        (["--duration", "tenure_months"], "--duration needs --event COLUMN"),
        (["--duration", "tenure_months", "--event", "exited", "--time-unit", "hours"],
         "--time-unit"),
    ],
)
def test_time_to_exit_errors_name_the_flags(staff_csv, capsys, extra, expected):
    assert main(["time-to-exit", str(staff_csv), "--group", "sex", *extra]) == 2
    assert expected in _error(capsys)


# -- layoff -------------------------------------------------------------------------------------


def test_layoff_disclosure_only_when_asked_and_only_in_the_report(staff_csv, tmp_path, capsys):
    args = ["layoff", str(staff_csv), "--selected", "laid_off", "--group", "sex", "--unit",
            "job_family", "--age", "age", "--job-title", "job_title", "--age-bands", "40,50"]
    assert main([*args, "--report", str(tmp_path / "plain"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "All units (the report has every unit)" in out
    assert "age 50 and over" in out
    assert "owbpa" not in _sections(tmp_path / "plain")[0]["result"]
    assert main([*args, "--include-disclosure"]) == 2
    assert "--include-disclosure puts the OWBPA disclosure into the report" in _error(capsys)
    assert main([*args, "--include-disclosure", "--report", str(tmp_path / "owbpa"),
                 "--format", "json"]) == 0
    assert "owbpa" in _sections(tmp_path / "owbpa")[0]["result"]


def test_layoff_needs_group_or_age_and_whole_age_bands(staff_csv, capsys):
    assert main(["layoff", str(staff_csv), "--selected", "laid_off"]) == 2
    assert "give --group COLUMN, --age COLUMN (or --birth-date COLUMN with --as-of DATE), or both" in _error(capsys)
    assert main(["layoff", str(staff_csv), "--selected", "laid_off", "--age", "age",
                 "--age-bands", "40,fifty"]) == 2
    assert "--age-bands '40,fifty' must be whole ages" in _error(capsys)
    assert main(["layoff", str(staff_csv), "--selected", "laid_off", "--age", "age",
                 "--age-bands", "30"]) == 2
    assert "--age-bands" in _error(capsys)


# -- monitor and compare ------------------------------------------------------------------------


def test_monitor_prints_the_alert_and_compares_with_the_last_audit(funnel_csv, tmp_path, capsys):
    args = ["monitor", str(funnel_csv), "--period", "applied_on", "--freq", "Q", "--group",
            "sex", "--stages", *STAGES, "--min-share", "0.03"]
    assert main([*args, "--report", str(tmp_path / "q4"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "Alerts (" in out and "fell below four-fifths" in out and "2025-Q1" in out
    assert "The latest period, 2025-Q4:" in out
    code = main([*args, "--compare-with", str(tmp_path / "q4" / "audit.json"),
                 "--report", str(tmp_path / "again"), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Findings: 0 new, 0 worse" in out and "unchanged" in out
    kinds = [s["kind"] for s in _sections(tmp_path / "again")]
    assert kinds == ["audit comparison", "monitoring"]  # right after the summary


def test_monitor_outcome_and_compare_with_errors(funnel_csv, tmp_path, capsys):
    base = ["monitor", str(funnel_csv), "--period", "applied_on", "--freq", "Q", "--group", "sex"]
    assert main(base) == 2
    assert "exactly one of them" in _error(capsys)
    assert main([*base, "--stages", "hired", "--promoted", "hired"]) == 2
    assert "exactly one of them" in _error(capsys)
    assert main([*base, "--stages", "hired", "--compare-with", str(tmp_path / "no.json")]) == 2
    assert "--compare-with" in _error(capsys)
    assert main([*base, "--stages", "hired", "--freq", "W"]) == 2
    assert "--freq" in _error(capsys)


@pytest.fixture(scope="module")
def two_audits(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("audits")
    paths = []
    for year, hired_women in ((2025, 30), (2026, 45)):
        counts = {"sex": ["Male", "Female"], "n": [100, 100], "hired": [50, hired_women]}
        ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n", selected="hired")
        path = folder / f"audit-{year}.json"
        fh.Report(generated_at=f"{year}-01-31").add(ai, title="Hiring").to_json(path)
        paths.append(path)
    return paths[0], paths[1]


def test_compare_in_each_format(two_audits, tmp_path, capsys):
    old, new = map(str, two_audits)
    assert main(["compare", old, new]) == 0
    out = capsys.readouterr().out
    assert "Findings: 0 new, 0 worse, 0 unchanged, 0 better, 1 resolved." in out
    assert "Resolved: Hiring, hired, Female (impact ratio 0.60 → 0.90)." in out
    assert main(["compare", old, new, "--format", "csv", "--output", str(tmp_path / "c.csv")]) == 0
    table = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert table.loc[0, "status"] == "resolved" and table.loc[0, "group"] == "Female"
    assert "wrote 1 findings" not in capsys.readouterr().out  # counts read as counts


def test_compare_json_is_the_comparison_dict(two_audits, capsys):
    old, new = map(str, two_audits)
    assert main(["compare", old, new, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "AuditComparison"
    assert data["table"][0]["status"] == "resolved"


def test_compare_schema_mismatch_and_bad_files_are_one_line(two_audits, tmp_path, capsys):
    old, new = two_audits
    older = json.loads(old.read_text(encoding="utf-8"))
    older["schema_version"] = "0.1"
    (tmp_path / "old.json").write_text(json.dumps(older), encoding="utf-8")
    assert main(["compare", str(tmp_path / "old.json"), str(new)]) == 2
    line = _error(capsys)
    assert "different schema versions" in line and "Report.to_json" not in line
    (tmp_path / "bad.json").write_text("not json", encoding="utf-8")
    assert main(["compare", str(tmp_path / "bad.json"), str(new)]) == 2
    assert "is not an audit.json (not valid JSON" in _error(capsys)
    (tmp_path / "other.json").write_text("{}", encoding="utf-8")
    assert main(["compare", str(tmp_path / "other.json"), str(new)]) == 2
    assert "is not a fairhire audit" in _error(capsys)
    assert main(["compare", str(tmp_path / "none.json"), str(new)]) == 2
    assert "none.json: file not found" in _error(capsys)


# -- the audit config ---------------------------------------------------------------------------

CONFIG = """
[report]
title = "Exits"
formats = ["json"]
output = "out"
{previous}

[data.staff]
dataset = "make_workforce"
options = {{ n_employees = 1500, random_state = 0, exits = true }}

[[analysis]]
type = "reduction_in_force"
title = "Layoff"
group = "sex"
selected = "laid_off"
age = "age"
job_title = "job_title"
unit = "job_family"
include_disclosure = {disclose}
"""


def test_config_types_include_disclosure_and_previous(two_audits, tmp_path, capsys):
    cfg = tmp_path / "a.toml"
    cfg.write_text(CONFIG.format(previous="", disclose="true"), encoding="utf-8")
    assert main(["audit", str(cfg)]) == 0
    (section,) = _sections(tmp_path / "out")
    assert "owbpa" in section["result"]
    previous = f'previous = "{two_audits[0].as_posix()}"'
    cfg.write_text(CONFIG.format(previous=previous, disclose="false"), encoding="utf-8")
    assert main(["audit", str(cfg)]) == 0
    sections = _sections(tmp_path / "out")
    assert [s["kind"] for s in sections] == ["audit comparison", "reduction in force"]
    assert "owbpa" not in sections[1]["result"]
    cfg.write_text(CONFIG.format(previous='previous = "missing.json"', disclose="false"),
                   encoding="utf-8")
    assert main(["audit", str(cfg)]) == 2
    assert "[report].previous = 'missing.json': file not found" in _error(capsys)


@pytest.mark.parametrize(
    ("analysis", "expected"),
    [
        ('type = "retention"\ngroup = "sex"\nexited = "exited"\nregression = "no"',
         "regression='no' must be True or False"),
        ('type = "retention"\ngroup = "sex"\nexited = "e"\ninclude_disclosure = true',
         "include_disclosure is only for reduction_in_force"),
        ('type = "reduction_in_force"\nselected = "s"\ninclude_disclosure = "yes"',
         "include_disclosure must be true or false"),
        ('type = "monitor"\nperiod = "p"\ngroup = "g"\nstages = ["s"]\nalpha = 2',
         "alpha=2"),
        ('type = "time_to_exit"\ngroup = "g"\nduration = "d"\nevent = "e"\nhorizon = "long"',
         "horizon='long' must be a number"),
    ],
)
def test_config_checks_the_new_types(analysis, expected):
    with pytest.raises(fh.FairhireError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_config(f"[[analysis]]\n{analysis}\n", web=True)


def test_web_config_may_not_name_a_previous_audit():
    text = '[report]\nprevious = "/etc/audit.json"\n[[analysis]]\ntype = "monitor"\n'
    with pytest.raises(fh.FairhireError, match="never reads"):
        parse_config(text, web=True)
