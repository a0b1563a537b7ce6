"""One set of rules on the command line: every `fairhire` subcommand that reads data, and
`fairhire audit`, read the messy export of ``tests/messy.py`` the same way (issue 14).

The export is written as a CSV file (and a semicolon-separated copy, whose separator the command
detects). Each subcommand writes its report as JSON (``--report DIR --format json``); the test
reads the figures there, not the console text, and checks the groups, the reference group
("Male"; the 10-person Non-binary group is too small to be it), the exclusions (10 rows with no
sex, 6 with a blank outcome), the counts, and the warnings about the merged spellings, which
must also reach the console. `fairhire audit` then runs one config with every analysis type on
the same file and must give the same figures, section by section.

Leaving (``left``) is the opposite of ``selected``, written in the same messy spellings, so the
retention and layoff analyses, whose favourable outcome is staying, see the same counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from messy import EXPECTED, messy_frame

from fairhire._core.flags import flag_of
from fairhire.cli import main

Section = dict[str, Any]
APPLICANTS, SELECTED = EXPECTED["applicants"], EXPECTED["selected"]


def flipped(value: Any) -> Any:
    """The opposite flag in a similar spelling; blanks stay blank."""
    flag = flag_of(value)
    return value if flag not in (True, False) else {True: "no", False: "Yes"}[flag]


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    frame = messy_frame()
    frame["left"] = frame["selected"].map(flipped)
    folder = tmp_path_factory.mktemp("messy")
    frame.to_csv(folder / "messy.csv", index=False)
    frame.to_csv(folder / "messy-semicolon.csv", index=False, sep=";")
    return {",": folder / "messy.csv", ";": folder / "messy-semicolon.csv"}


# -- what every section must show ---------------------------------------------------------------


def _exclusions(section: Section) -> dict[str, int]:
    """The excluded rows as (unknown group, missing outcome): the reasons' wording differs."""
    out = {"unknown": 0, "outcome": 0}
    for reason, n in section["rows"]["excluded"].items():
        out["unknown" if "group" in reason else "outcome"] += n
    return out


def _check_rows(section: Section, unknown: int = EXPECTED["unknown_group_rows"],
                outcome: int = EXPECTED["missing_outcome_rows"]) -> None:
    assert section["rows"]["total"] == EXPECTED["total_rows"]
    assert _exclusions(section) == {"unknown": unknown, "outcome": outcome}, section["rows"]


def _check_merges(warnings: list[str]) -> None:
    text = " ".join(warnings)
    for spellings in EXPECTED["merged_labels"].values():
        for spelling in spellings:
            assert repr(spelling) in text, (spelling, warnings)


def _rates(rows: list[dict], n: str, k: str, reference: str, small: str) -> None:
    """Rate tables: one row per group with the counts, one reference, one group too small."""
    table = pd.DataFrame(rows).set_index("group")
    assert sorted(table.index) == EXPECTED["groups"]
    assert table[n].to_dict() == APPLICANTS
    assert table[k].to_dict() == SELECTED
    assert set(table[reference]) == {EXPECTED["reference"]}
    assert list(table.index[table[small]]) == EXPECTED["too_small"]


def check_impact(section: Section) -> None:
    _rates(section["result"]["table"], "applicants", "selected", "reference_group",
           "too_small_for_reference")
    _check_rows(section)


def check_promotion(section: Section) -> None:
    check_impact(section)


def check_retention(section: Section) -> None:
    rows = [r for r in section["result"]["table"] if r["kind"] == "all"]
    _rates(rows, "headcount", "stayed", "reference_group", "too_small_reference")
    _check_rows(section)


def check_layoff(section: Section) -> None:
    rows = [r for r in section["result"]["table"]
            if r["comparison"] == "sex" and r["unit"] == "All units"]
    _rates(rows, "headcount", "retained", "reference_group", "too_small_reference")
    _check_rows(section)


def check_time_to_exit(section: Section) -> None:
    table = pd.DataFrame(section["result"]["table"]).set_index("group")
    assert sorted(table.index) == EXPECTED["groups"]
    assert table["n"].to_dict() == APPLICANTS
    stayed = (table["n"] - table["exits"]).to_dict()
    assert stayed == SELECTED  # leaving is the opposite of being selected
    assert section["result"]["reference_group"] == EXPECTED["reference"]
    _check_rows(section)


def check_pay(section: Section) -> None:
    # pay is known for everyone: only the rows with no sex are left out
    table = pd.DataFrame(section["result"]["table"])
    overall = table.loc[table["scope"] == "overall"].set_index("group")
    assert sorted([*overall.index, EXPECTED["reference"]]) == EXPECTED["groups"]
    assert set(overall["reference_group"]) == {EXPECTED["reference"]}
    assert overall["n"].to_dict() == {"Female": 500, "Non-binary": 10}
    assert set(overall["n_reference"]) == {APPLICANTS["Male"]}
    assert list(overall.index[overall["small_sample"]]) == EXPECTED["too_small"]
    _check_rows(section, outcome=0)


def check_ll144(section: Section) -> None:
    # LL144 reads Non-binary as its sex category "Other", and reports the unknowns in a table
    # of their own rather than excluding them
    result = section["result"]
    sex = pd.DataFrame(result["sex"]).set_index("category")
    other = {"Male": "Male", "Female": "Female", "Non-binary": "Other"}
    assert sex["applicants"].to_dict() == {other[g]: n for g, n in APPLICANTS.items()}
    assert sex["selected"].to_dict() == {other[g]: n for g, n in SELECTED.items()}
    assert list(sex.index[sex["is_highest"]]) == [EXPECTED["reference"]]
    assert list(sex.index[sex["too_small_for_reference"]]) == ["Other"]
    unknown = {u["table"]: u["applicants"] for u in result["unknown"]}
    assert unknown["sex"] == EXPECTED["unknown_group_rows"]
    _check_rows(section, unknown=0)


def check_monitor(section: Section) -> None:
    result = section["result"]
    table = pd.DataFrame(result["table"])
    assert len(result["periods"]) == 4  # the quarters of 2025
    totals = table.groupby("group")[["applicants", "selected"]].sum()
    assert sorted(totals.index) == EXPECTED["groups"]
    assert totals["applicants"].to_dict() == APPLICANTS
    assert totals["selected"].to_dict() == SELECTED
    assert result["references"] == {"selected": EXPECTED["reference"]}
    assert {t["reference_group"] for t in result["trends"]} == {EXPECTED["reference"]}
    _check_rows(section)


# -- the subcommands ----------------------------------------------------------------------------

SUBCOMMANDS: dict[str, tuple[list[str], Callable[[Section], None]]] = {
    "impact": (["--group", "sex", "--stages", "selected", "--strata", "n"], check_impact),
    "ll144": (["--sex", "sex", "--race", "race", "--selected", "selected"], check_ll144),
    "pay": (["--pay", "salary", "--group", "sex", "--controls", "level", "n"], check_pay),
    "promotion": (["--group", "sex", "--promoted", "selected", "--level", "level"],
                  check_promotion),
    "retention": (["--group", "sex", "--exited", "left", "--level", "level"], check_retention),
    "time-to-exit": (["--group", "sex", "--duration", "months_in_level", "--event", "left"],
                     check_time_to_exit),
    "layoff": (["--group", "sex", "--selected", "left", "--unit", "level"], check_layoff),
    "monitor": (["--period", "applied_on", "--freq", "Q", "--group", "sex", "--stages",
                 "selected"], check_monitor),
}


def check_console_words(out: str) -> None:
    """The console reads as an HR analyst expects: no code quotes, no Python arguments, minus
    signs in numbers, "1 selection" and one p-value style."""
    assert "`" not in out
    assert not re.search(r"\b[a-z]+(_[a-z]+)*=", out), re.search(r".*\b[a-z_]+=.*", out)[0]
    assert not re.search(r"(?<![\w.])-\d", out)
    assert not re.search(r"\b1 (fewer|more) [a-z]+s\b", out)
    assert not re.search(r"\d(\.\d+)?e-\d|\bp = 0\.000\b|\binf\b|\bnan\b", out)
    assert "[" not in "\n".join(line for line in out.splitlines() if line.startswith("  "))


def _report(folder: Path) -> list[Section]:
    return json.loads((folder / "audit.json").read_text(encoding="utf-8"))["sections"]


@pytest.mark.parametrize("sep", [",", ";"], ids=["comma", "semicolon"])
@pytest.mark.parametrize("command", list(SUBCOMMANDS))
def test_every_subcommand_reads_the_messy_export_alike(command, sep, exports, tmp_path, capsys):
    options, check = SUBCOMMANDS[command]
    code = main([command, str(exports[sep]), *options, "--report", str(tmp_path),
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (section,) = _report(tmp_path)
    check(section)
    _check_merges(section["warnings"])
    _check_merges(out.splitlines())  # the merges are shown on the console too
    check_console_words(out)
    if sep == ";":
        assert "separated by semicolons" in err


CONFIG = """
[report]
title = "Consistency"
formats = ["json"]
output = "out"

[data.messy]
path = "{path}"

[[analysis]]
type = "adverse_impact"
group = "sex"
stages = ["selected"]
strata = "n"

[[analysis]]
type = "ll144"
sex = "sex"
race = "race"
selected = "selected"

[[analysis]]
type = "pay_gap"
pay = "salary"
group = "sex"
controls = ["level", "n"]

[[analysis]]
type = "promotion"
group = "sex"
promoted = "selected"
level = "level"

[[analysis]]
type = "retention"
group = "sex"
exited = "left"
level = "level"

[[analysis]]
type = "time_to_exit"
group = "sex"
duration = "months_in_level"
event = "left"

[[analysis]]
type = "reduction_in_force"
group = "sex"
selected = "left"
unit = "level"

[[analysis]]
type = "monitor"
period = "applied_on"
freq = "Q"
group = "sex"
stages = ["selected"]
"""


def test_audit_config_gives_the_same_figures(exports, tmp_path, capsys):
    config = tmp_path / "audit.toml"
    config.write_text(CONFIG.format(path=exports[";"].as_posix()), encoding="utf-8")
    assert main(["audit", str(config)]) == 0, capsys.readouterr().err
    sections = _report(tmp_path / "out")
    checks = [check for _, check in SUBCOMMANDS.values()]
    assert len(sections) == len(checks)
    for section, check in zip(sections, checks, strict=True):
        check(section)
        _check_merges(section["warnings"])


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory) -> dict[str, Path]:
    import fairhire as fh

    folder = tmp_path_factory.mktemp("demo")
    fh.datasets.make_hiring_funnel(4000, random_state=0, periods=4).to_csv(
        folder / "applicants.csv", index=False)
    fh.datasets.make_workforce(2000, random_state=0, exits=True).to_csv(
        folder / "employees.csv", index=False)
    return {"applicants": folder / "applicants.csv", "employees": folder / "employees.csv"}


FUNNEL = ["screened", "interviewed", "offered", "hired"]
DEMO_RUNS = {
    "impact": ("applicants", ["--group", "sex", "race", "--stages", *FUNNEL, "--strata",
                              "requisition"]),
    "ll144": ("applicants", ["--sex", "sex", "--race", "race", "--selected", "hired"]),
    "pay": ("employees", ["--pay", "salary", "--group", "sex", "--controls", "level",
                          "tenure_years", "--within", "job_family"]),
    "promotion": ("employees", ["--group", "sex", "--promoted", "promoted", "--level", "level"]),
    "retention": ("employees", ["--group", "sex", "race", "--exited", "exited", "--exit-type",
                                "exit_type", "--level", "level"]),
    "time-to-exit": ("employees", ["--group", "sex", "--duration", "tenure_months", "--event",
                                   "exited", "--cause", "exit_type"]),
    "layoff": ("employees", ["--selected", "laid_off", "--group", "sex", "--unit", "job_family",
                             "--age", "age", "--job-title", "job_title"]),
    "monitor": ("applicants", ["--period", "applied_on", "--freq", "Q", "--group", "sex",
                               "--stages", *FUNNEL]),
}


@pytest.mark.parametrize("command", list(DEMO_RUNS))
def test_console_words_on_the_demo_data(command, demo_exports, capsys):
    data, options = DEMO_RUNS[command]
    assert main([command, str(demo_exports[data]), *options]) == 0
    check_console_words(capsys.readouterr().out)
