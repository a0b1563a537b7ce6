"""Real exports the command line and the web app must read as the library reads the data.

Each test is a file an HR system or a spreadsheet writes (a byte Windows-1252 leaves undefined,
Excel's ``sep=`` line, a duplicated header, decimal commas) or a label an adversary can write
(terminal escape sequences), read through ``fairhire.cli.main`` and compared with the library
call on the same data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.workflow.reading import read_table

ROWS = [("Female", "yes")] * 30 + [("Female", "no")] * 30 + [("Male", "yes")] * 40 + \
    [("Male", "no")] * 20


def _csv(rows=ROWS, sep: str = ",", header: str = "sex,hired") -> str:
    return header.replace(",", sep) + "\n" + "".join(f"{s}{sep}{h}\n" for s, h in rows)


def _impact(path: Path, *extra: str) -> list[str]:
    return ["impact", str(path), "--group", "sex", "--stages", "hired", *extra]


def _library_table(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["sex", "hired"])
    return fh.adverse_impact(frame, group="sex", stages=["hired"]).table


def test_bytes_windows_1252_leaves_undefined_are_read_not_a_crash(tmp_path, capsys):
    # 0x81 0x8D 0x8F 0x90 0x9D have no character in Windows-1252: exports mislabelled "ANSI"
    data = _csv().encode() + b"F\x81\x8dmale,yes\n"
    (tmp_path / "a.csv").write_bytes(data)
    assert main(_impact(tmp_path / "a.csv")) == 0
    out, err = capsys.readouterr()
    assert "Windows-1252" in err and "unexpected" not in err
    assert "Rows: 121 of 121 rows used" in out


def test_control_characters_in_labels_never_reach_the_terminal(tmp_path, capsys):
    # a free-text "self-describe" field can hold escape sequences that recolour the terminal,
    # retitle its window (OSC) or reorder the line (bidi overrides)
    label = "\x1b[31mRED\x1b]0;pwned\x07 \u202eelaM"
    rows = [*ROWS, *[(f'"{label}"', "yes")] * 3]
    (tmp_path / "a.csv").write_text(_csv(rows), encoding="utf-8")
    assert main(_impact(tmp_path / "a.csv", "--reference", label)) == 0
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[31mRED\\x1b]0;pwned\\x07 \\u202eelaM" in out
    assert main(_impact(tmp_path / "a.csv", "--reference", label + "x")) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b" in err


def test_excel_sep_line_names_the_separator(tmp_path, capsys):
    # Excel's "CSV (semicolon)" in some locales starts with the hint line "sep=;"
    (tmp_path / "a.csv").write_text("sep=;\n" + _csv(sep=";"), encoding="utf-8-sig")
    assert main(_impact(tmp_path / "a.csv")) == 0
    out, err = capsys.readouterr()
    assert "Rows: 120 of 120 rows used" in out
    assert "sep=" in err  # the note says where the separator came from


def test_a_column_named_twice_is_refused_not_read_silently(tmp_path, capsys):
    lines = ["sex,sex,hired"] + [f"{s},{'M' if s == 'Female' else 'F'},{h}" for s, h in ROWS]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n")
    assert main(_impact(tmp_path / "a.csv")) == 2
    err = capsys.readouterr().err
    assert "'sex'" in err and "columns 1 and 2" in err and "Traceback" not in err
    # a duplicated column no one asked for is only a note
    assert main(["impact", str(tmp_path / "a.csv"), "--group", "sex.1", "--stages", "hired"]) == 0
    assert "appears 2 times" in capsys.readouterr().err



def test_min_cell_withholds_small_counts_on_the_console_too(tmp_path, capsys):
    # --min-cell withheld small counts in the report the command wrote, but the console
    # (often pasted into an e-mail) printed "Tiny 3 3 100.0%" and "3 applicants have ..."
    rows = [*ROWS, *[("Tiny", "yes")] * 3, *[("", "yes")] * 2]
    (tmp_path / "a.csv").write_text(_csv(rows))
    assert main(_impact(tmp_path / "a.csv")) == 0
    plain = capsys.readouterr().out
    tiny = next(line for line in plain.splitlines() if "Tiny" in line and "hired" in line)
    assert " 3 " in tiny and "100.0%" in tiny
    for argv in (_impact(tmp_path / "a.csv"),
                 ["promotion", str(tmp_path / "a.csv"), "--group", "sex", "--promoted", "hired"],
                 ["retention", str(tmp_path / "a.csv"), "--group", "sex", "--exited", "hired"]):
        assert main([*argv, "--min-cell", "5"]) == 0, argv
        out = capsys.readouterr().out
        tiny = [line for line in out.splitlines() if "Tiny" in line and "<" in line]
        assert tiny and all(" 3 " not in line and "100.0%" not in line for line in tiny), out
        assert "Rows: " in out and "< 5 excluded" in out and "2 excluded" not in out, out
    # the same figures withheld as in the report
    assert main([*_impact(tmp_path / "a.csv"), "--min-cell", "5", "--report",
                 str(tmp_path / "r"), "--format", "md"]) == 0
    capsys.readouterr()
    markdown = (tmp_path / "r" / "audit.md").read_text()
    row = next(line for line in markdown.splitlines() if line.startswith("| Tiny"))
    assert "< 5" in row and "| 3 |" not in row


def test_min_cell_withholds_small_groups_in_every_subcommand_report(tmp_path, capsys):
    rows = [*ROWS, *[("Tiny", "yes")] * 3]
    (tmp_path / "a.csv").write_text(_csv(rows))
    for argv in (_impact(tmp_path / "a.csv"),
                 ["promotion", str(tmp_path / "a.csv"), "--group", "sex", "--promoted", "hired"]):
        out = tmp_path / argv[0]
        assert main([*argv, "--report", str(out), "--format", "md,json", "--min-cell", "5"]) == 0
        capsys.readouterr()
        assert json.loads((out / "audit.json").read_text())["report"]["min_cell"] == 5
        markdown = (out / "audit.md").read_text()
        assert "< 5" in markdown
        row = next(line for line in markdown.splitlines() if line.startswith("| Tiny"))
        assert "| 3 |" not in row, row
    assert main([*_impact(tmp_path / "a.csv"), "--min-cell", "0"]) == 2
    assert "--min-cell 0 must be a whole number ≥ 1" in capsys.readouterr().err


class _ClosedPipe:
    """Standard output piped into ``head``, which has exited."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_piped_into_head_is_not_an_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.csv").write_text(_csv())
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(_impact(tmp_path / "a.csv")) == 0
    assert "error" not in capsys.readouterr().err


def _number(value) -> float:
    """A JSON number (null for missing) as a float."""
    return float("nan") if value is None else value


def test_adjust_bh_and_min_n_0_are_read_as_the_library_reads_them(tmp_path, capsys):
    rows = [*ROWS, *[("Tiny", "yes")] * 3]
    (tmp_path / "a.csv").write_text(_csv(rows))
    frame = pd.DataFrame(rows, columns=["sex", "exited"])
    for flags, options in ((["--adjust", "bh"], {"adjust": "fdr_bh"}),
                           (["--min-n", "0"], {"min_n": 0})):
        argv = ["retention", str(tmp_path / "a.csv"), "--group", "sex", "--exited", "hired",
                "--report", str(tmp_path / "r"), "--format", "json", *flags]
        assert main(argv) == 0, capsys.readouterr().err
        capsys.readouterr()
        section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
        expected = fh.retention(frame, group="sex", exited="exited", **options)
        assert section["fingerprint"] == expected.fingerprint
        table = section["result"]["table"]
        assert [r["reference_group"] for r in table] == list(expected.table["reference_group"])
        assert [_number(r["p_value_adjusted"]) for r in table] == \
            pytest.approx(list(expected.table["p_value_adjusted"]), nan_ok=True)
    assert main([*_impact(tmp_path / "a.csv"), "--min-n", "0"]) == 0
    capsys.readouterr()
    config = tmp_path / "audit.toml"
    config.write_text('[data.a]\npath = "a.csv"\n[[analysis]]\ntype = "adverse_impact"\n'
                      'group = "sex"\nstages = ["hired"]\nmin_n = 0\n')
    assert main(["audit", str(config), "--out", str(tmp_path / "o")]) == 0


def test_python_dash_m_fairhire_runs_the_command():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "fairhire", "--version"], capture_output=True,
                          text=True, check=False, cwd=Path(fh.__file__).parents[1])
    assert done.returncode == 0 and done.stdout.startswith("fairhire "), done.stderr


@pytest.mark.parametrize("sep", ["", ";;", "semicolons"])
def test_a_separator_must_be_one_character(tmp_path, capsys, sep):
    (tmp_path / "a.csv").write_text(_csv())
    assert main([*_impact(tmp_path / "a.csv"), "--sep", sep]) == 2
    err = capsys.readouterr().err
    assert "one character" in err and "unexpected" not in err and "warning" not in err


def test_config_column_renames_that_collide_or_miss_are_named(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("gender,hired,sex\n" + "".join(f"{s},{h},{s}\n"
                                                                    for s, h in ROWS))
    (tmp_path / "b.csv").write_text(_csv(header="gender,hired"))
    analysis = '[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\n'
    config = tmp_path / "audit.toml"
    config.write_text('[data.a]\npath = "a.csv"\ncolumns = { gender = "sex" }\n' + analysis)
    assert main(["audit", str(config), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "[data.a].columns" in err and "'gender'" in err and "'sex'" in err
    assert "DuplicateError" not in err
    config.write_text('[data.b]\npath = "b.csv"\ncolumns = { Gender = "x", gender = "sex" }\n'
                      + analysis)
    assert main(["audit", str(config), "--out", str(tmp_path / "o")]) == 0
    assert "[data.b].columns: 'Gender' is not a column" in capsys.readouterr().err


def test_serve_port_out_of_range_is_a_usage_error(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    err = capsys.readouterr().err
    assert "--port 70000 must be a whole number in [0, 65535]" in err and "Traceback" not in err


def test_a_separator_ending_every_row_does_not_shift_the_columns(tmp_path, capsys):
    # pandas reads rows with one value more than the header with the first column as the
    # index, so 'sex' held the outcomes and 'hired' was empty ("all rows excluded")
    (tmp_path / "a.csv").write_text(_csv().replace("\n", ",\n").replace("sex,hired,", "sex,hired"))
    assert main(_impact(tmp_path / "a.csv")) == 0
    out, err = capsys.readouterr()
    assert "Rows: 120 of 120 rows used" in out and "ends with" in err
    (tmp_path / "b.csv").write_text(_csv().replace("\n", ",x\n").replace("sex,hired,x", "sex,hired"))
    assert main(_impact(tmp_path / "b.csv")) == 2
    assert "3 values but the header names 2 columns" in capsys.readouterr().err



def test_classic_mac_line_endings_and_title_lines(tmp_path, capsys):
    (tmp_path / "a.csv").write_text(_csv().replace("\n", "\r"), newline="")
    assert main(_impact(tmp_path / "a.csv")) == 0
    assert "Rows: 120 of 120 rows used" in capsys.readouterr().out
    (tmp_path / "b.csv").write_text("Applicant report 2025\nExported by HRIS\n" + _csv())
    assert main(_impact(tmp_path / "b.csv")) == 0  # the title is skipped, with a note
    assert "the 2 lines above them were skipped" in capsys.readouterr().err
    assert main(["impact", str(tmp_path / "b.csv"), "--group", "gender", "--stages", "hired"]) == 2
    assert "delete the lines above" in capsys.readouterr().err


def test_none_and_na_are_labels_in_a_label_column_and_missing_elsewhere(tmp_path, capsys):
    # A disability column answers "None"; pandas' reader made it missing, so 40 people were
    # dropped as "missing group", while the library's rule (text is missing only when blank)
    # and the polars or DuckDB readers keep it. In numeric and yes/no columns R's "NA" and
    # Excel's "#N/A" can only mean missing.
    rows = (["None,yes,50000"] * 25 + ["None,no,51000"] * 15 + ["Physical,yes,NA"] * 10
            + ["Physical,no,48000"] * 20 + ["Mental,N/A,#N/A"] * 2 + ["Mental,yes,47000"] * 30)
    (tmp_path / "a.csv").write_text("disability,hired,salary\n" + "\n".join(rows) + "\n")
    assert main(["impact", str(tmp_path / "a.csv"), "--group", "disability", "--stages",
                 "hired", "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "Rows: 100 of 102 rows used" in out  # only the 2 'N/A' outcomes are missing
    assert "--unknown-label None" in err  # how to count it as unknown instead
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    frame = pd.DataFrame([r.split(",") for r in rows], columns=["disability", "hired", "salary"])
    frame["hired"] = frame["hired"].replace("N/A", None)
    expected = fh.adverse_impact(frame, group="disability", stages=["hired"])
    assert section["fingerprint"] == expected.fingerprint
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "disability"]) == 0
    assert "'salary'" in capsys.readouterr().err  # the note on 'NA' and '#N/A' read as missing


def test_excel_reads_none_and_na_as_a_csv_does(tmp_path, capsys):
    # the same rule for a workbook: pandas' Excel reader also made "None" and "N/A" missing
    pytest.importorskip("openpyxl")
    rows = ([("None", "yes")] * 25 + [("None", "no")] * 15 + [("Physical", "yes")] * 10
            + [("Physical", "no")] * 20 + [("Mental", "N/A")] * 2 + [("Mental", "yes")] * 30)
    frame = pd.DataFrame(rows, columns=["disability", "hired"])
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    assert main(["impact", str(tmp_path / "a.xlsx"), "--group", "disability", "--stages",
                 "hired", "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "Rows: 100 of 102 rows used" in out  # only the 2 'N/A' outcomes are missing
    assert "--unknown-label None" in err
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    frame["hired"] = frame["hired"].replace("N/A", None)
    expected = fh.adverse_impact(frame, group="disability", stages=["hired"])
    assert section["fingerprint"] == expected.fingerprint


def test_day_first_dates_are_read_and_ambiguous_ones_refused(tmp_path, capsys):
    # A UK export writes 13/02/2020. pandas guessed the order from the first value and refused
    # the column with its own advice ("passing `format='ISO8601'`"), which the command turned
    # into --format, the report formats. The one date rule (_core.dates) reads a column that
    # has one possible order, says which, and refuses one with no day above 12.
    def run(days: list[str], left: str) -> int:
        lines = ["sex,hired_on,left_on"] + [f"{'FM'[i % 2]},{d},{left if i % 3 else ''}"
                                           for i, d in enumerate(days)]
        (tmp_path / "a.csv").write_text("\n".join(lines) + "\n")
        return main(["time-to-exit", str(tmp_path / "a.csv"), "--group", "sex", "--hire-date",
                     "hired_on", "--exit-date", "left_on", "--as-of", "2025-01-01"])

    assert run(["01/02/2020", "04/02/2020", "13/02/2020"] * 20, "15/06/2023") == 0
    out, err = capsys.readouterr()
    assert "read as day/month/year dates" in out + err
    assert run(["01/02/2020", "04/02/2020", "12/02/2020"] * 20, "10/06/2023") == 2
    err = capsys.readouterr().err
    assert "--format ISO8601" not in err and "no day is above 12" in err
    assert "YYYY-MM-DD" in err


# pay cells as spreadsheets save them: (separator, cells by sex, the note, the number)
PAY_CELLS = {
    "decimal comma": (";", {"Female": ["48.250,50", "51.000,00", "47.125,25"],
                            "Male": ["52.300,75", "55.100,00", "50.050,10", "1.234,5"]},
                      "decimal comma", lambda p: float(p.replace(".", "").replace(",", "."))),
    # Excel saves a cell formatted with thousands separators as "48,250.50"
    "thousands": (",", {"Female": ['"48,250.50"', '"51,000.00"', '"47,125.25"'],
                        "Male": ['"52,300.75"', '"55,100"', '"50,050.10"', "999.5"]},
                  "thousands separators", lambda p: float(p.strip('"').replace(",", ""))),
    "currency": (",", {"Female": ['"$48,250.50"', "$51000", '"$47,125.25"'],
                       "Male": ['"$52,300.75"', "$55100", '"$50,050.10"']},
                 "currency symbol '$'", lambda p: float(p.strip('"$').replace(",", ""))),
}


@pytest.mark.parametrize("kind", PAY_CELLS)
def test_pay_saved_as_text_gives_the_library_numbers(tmp_path, capsys, kind):
    sep, pay, note, number = PAY_CELLS[kind]
    rows = [(s, p) for s in pay for p in pay[s] * (60 // len(pay[s]))]
    (tmp_path / "a.csv").write_text(_csv(rows, sep=sep, header="sex,salary"))
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "sex",
                 "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    assert note in capsys.readouterr().err
    frame = pd.DataFrame({"sex": [s for s, _ in rows], "salary": [number(p) for _, p in rows]})
    expected = fh.pay_gap(frame, pay="salary", group="sex")
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == expected.fingerprint
    assert [row["mean_gap_pct"] for row in section["result"]["table"]] == \
        pytest.approx(list(expected.table["mean_gap_pct"]), nan_ok=True)


def test_min_cell_monitor_console_says_what_the_report_says(tmp_path, capsys):
    # under --min-cell the console printed "A note is withheld ..." for an alert or trend whose
    # row has a withheld figure, where the report says the same finding without its figures
    lines = ["applied_on,sex,hired"]
    for i, quarter in enumerate(["2024-01-15", "2024-04-15", "2024-07-15", "2024-10-15",
                                 "2025-01-15"]):
        female = round(300 * (0.5 - 0.06 * i))
        for sex, hired, n in (("Male", 150, 300), ("Female", female, 300),
                              ("Tiny", [1, 2, 0, 3, 1][i], 3)):
            lines += [f"{quarter},{sex},yes"] * hired + [f"{quarter},{sex},no"] * (n - hired)
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    argv = ["monitor", str(tmp_path / "m.csv"), "--period", "applied_on", "--freq", "Q",
            "--group", "sex", "--stages", "hired", "--min-cell", "5"]
    assert main([*argv, "--report", str(tmp_path / "r"), "--format", "md"]) == 0
    out = capsys.readouterr().out
    markdown = (tmp_path / "r" / "audit.md").read_text()
    said, section = [], None
    for line in out.splitlines():
        section = line if line.startswith(("Alerts", "Trends", "No alerts")) else (
            None if not line.strip() else section)
        if section and line.startswith(("  ! ", "  - ")):
            said.append(line[4:])
    assert said and not any("A note is withheld" in line for line in said), out
    for line in said:
        assert line in markdown, line


def test_a_comma_that_could_be_either_is_not_guessed(tmp_path, capsys):
    # "61,879" in a ;-separated file was read as 61.879 (a decimal comma) even beside a pound
    # sign: a pound or dollar sign says thousands; with no sign the column stays text
    rows = [(s, p) for s in ("Female", "Male") for p in ("61,879", "48,250", "52,100") * 20]

    def run(pay: list[tuple[str, str]]) -> int:
        (tmp_path / "a.csv").write_text(_csv(pay, sep=";", header="sex,salary"))
        return main(["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "sex",
                     "--report", str(tmp_path / "r"), "--format", "json"])

    assert run(rows) == 2
    err = capsys.readouterr().err
    assert "61879 with a thousands separator or as 61.879 with a decimal comma" in err
    assert run([(s, "£" + p) for s, p in rows]) == 0
    assert "'£' and thousands separators" in capsys.readouterr().err
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    frame = pd.DataFrame({"sex": [s for s, _ in rows],
                          "salary": [float(p.replace(",", "")) for _, p in rows]})
    assert section["fingerprint"] == fh.pay_gap(frame, pay="salary", group="sex").fingerprint
    # "0,875" or "1.234,567" can only be a decimal comma
    assert run([(s, "0,875") for s, _ in rows[:30]] + rows[30:]) == 0
    assert "decimal comma (e.g." in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_above_the_column_names_is_skipped_and_said(tmp_path, capsys, kind):
    # HR systems put "Applicant report" and a date above the header; pandas then reads the
    # title as the only column name, and every requested column was "not found"
    table = pd.DataFrame(ROWS, columns=["sex", "hired"])
    path = tmp_path / f"a.{kind}"
    if kind == "csv":
        path.write_text("Applicant report\nGenerated 2025-05-01,by HRIS\n\n" + _csv())
        said = "the column names are on line 4; the 3 lines above them were skipped"
    else:
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame([["Applicant report"]]).to_excel(writer, index=False, header=False)
            table.to_excel(writer, index=False, startrow=2)
        said = "the column names are on row 3; the 2 rows above them were skipped"
    assert main(_impact(path, "--report", str(tmp_path / "r"), "--format", "json")) == 0
    assert said in capsys.readouterr().err
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == fh.adverse_impact(
        table, group="sex", stages="hired").fingerprint
    # a column named nowhere is still the error that lists what the first line holds
    assert main(["impact", str(path), "--group", "gender", "--stages", "hired"]) == 2
    assert "not found" in capsys.readouterr().err


def test_the_one_sheet_that_names_the_columns_is_read(tmp_path, capsys):
    # a workbook whose first sheet says what it holds; the data are on another sheet
    table = pd.DataFrame(ROWS, columns=["sex", "hired"])
    path = tmp_path / "a.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"About": ["Applicants, 2025"]}).to_excel(writer, sheet_name="README",
                                                              index=False)
        table.to_excel(writer, sheet_name="Applicants", index=False, startrow=1)
    assert main(_impact(path, "--report", str(tmp_path / "r"), "--format", "json")) == 0
    err = capsys.readouterr().err
    assert "read sheet 'Applicants', the one that names the columns" in err
    assert "sheet 'Applicants': the column names are on row 2" in err
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == fh.adverse_impact(table, group="sex",
                                                       stages="hired").fingerprint
    # a sheet named is the sheet read; two sheets with the columns are an error naming both
    assert main(_impact(path, "--sheet", "README")) == 2
    assert "not found" in capsys.readouterr().err
    with pd.ExcelWriter(path, mode="a") as writer:
        table.to_excel(writer, sheet_name="Copy", index=False)
    assert main(_impact(path)) == 2
    assert "several sheets ('Applicants', 'Copy')" in capsys.readouterr().err


def test_spaces_around_a_column_name_are_removed_with_a_note(tmp_path, capsys):
    # a spreadsheet keeps the space typed after "sex "; the Excel path is read the same way
    (tmp_path / "a.csv").write_text(_csv(header="sex , hired"), encoding="utf-8")
    assert main(_impact(tmp_path / "a.csv")) == 0
    out, err = capsys.readouterr()
    assert "spaces around 2 column names were removed ('sex ' is read as 'sex', ' hired' as " \
        "'hired')" in err
    assert "Rows: 120 of 120 rows used" in out
    frame = read_table(tmp_path / "a.csv", columns=["sex", "hired"])
    pd.testing.assert_frame_equal(
        fh.adverse_impact(frame, group="sex", stages=["hired"]).table, _library_table()
    )


def test_a_column_asked_for_with_its_spaces_or_a_taken_name_is_kept(tmp_path, capsys):
    (tmp_path / "a.csv").write_text(_csv(header="sex ,hired"), encoding="utf-8")
    notes: list[str] = []
    frame = read_table(tmp_path / "a.csv", columns=["sex ", "hired"], notes=notes)
    assert list(frame.columns) == ["sex ", "hired"] and notes == []
    (tmp_path / "b.csv").write_text("sex,sex ,hired\nF,F,yes\n", encoding="utf-8")
    frame = read_table(tmp_path / "b.csv", notes=notes)
    assert list(frame.columns) == ["sex", "sex ", "hired"] and notes == []


def test_stage_is_the_short_name_of_stage_column(tmp_path, capsys):
    rows = "sex,stage\n" + "F,applied\nF,hired\n" * 30 + "M,applied\nM,hired\nM,hired\n" * 20
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    args = ["impact", str(tmp_path / "a.csv"), "--group", "sex", "--stage-order", "applied",
            "hired"]
    assert main([*args, "--stage", "stage"]) == 0
    short = capsys.readouterr().out
    assert main([*args, "--stage-column", "stage"]) == 0
    assert capsys.readouterr().out == short and "hired" in short


def test_a_missing_marker_among_currency_amounts_is_a_missing_number(tmp_path, capsys):
    # "$52,000.00" cells and one "N/A": the markers were checked before the currency was read,
    # so the column held a label and the analysis stopped ("pay must be numeric")
    lines = ["sex,pay"] + [f'F,"${50000 + i:,}.00"' for i in range(40)] + \
        [f'M,"${52000 + i:,}.00"' for i in range(40)] + ["F,N/A", "M,"]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    notes: list[str] = []
    frame = read_table(tmp_path / "a.csv", columns=["sex", "pay"], notes=notes)
    assert frame["pay"].dtype == float and frame["pay"].isna().sum() == 2
    assert len(notes) == 1 and notes[0].endswith(
        "column 'pay' has numbers with the currency symbol '$' and thousands separators "
        "(e.g. '$50,000.00'); read them as numbers, and 'N/A' (1) as missing.")
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "pay", "--group", "sex"]) == 0
    out = capsys.readouterr().out
    assert "2 excluded (missing pay (pay))" in out


def test_how_the_file_was_read_is_in_the_report_with_min_cell(tmp_path, capsys):
    # a title above the header, spaces around a name, "N/A" among amounts: the auditor reading
    # the report sees what the analyst saw on the console, small counts withheld alike
    lines = ["Pay report 2025", "sex ,pay"] + [f'F,"${50000 + i:,}.00"' for i in range(40)] + \
        [f'M,"${52000 + i:,}.00"' for i in range(40)] + ["F,N/A"]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    args = ["pay", str(tmp_path / "a.csv"), "--pay", "pay", "--group", "sex", "--report",
            str(out_dir), "--min-cell", "5"]
    assert main(args) == 0
    md = (out_dir / "audit.md").read_text(encoding="utf-8")
    html = (out_dir / "audit.html").read_text(encoding="utf-8")
    data = json.loads((out_dir / "audit.json").read_text(encoding="utf-8"))
    warnings = data["sections"][0]["warnings"]
    assert "the column names are on line 2; the line above them was skipped" in warnings[0]
    assert warnings[1].endswith("read them as numbers, and 'N/A' (fewer than 5) as missing.")
    assert "spaces around 1 column name were removed" in warnings[2]
    assert "(1) as missing" not in capsys.readouterr().err  # the console withholds it too
    for text in (md, html, json.dumps(data)):
        assert "(1) as missing" not in text and "'N/A' (1)" not in text
    assert "fewer than 5) as missing" in md and "fewer than 5) as missing" in html
    # the result's own payload keeps the result's warnings only
    assert not any("line above" in w for w in data["sections"][0]["result"]["warnings"])


def test_an_audit_config_puts_each_files_notes_in_its_sections(tmp_path):
    (tmp_path / "apps.csv").write_text("Applicants\n" + _csv(), encoding="utf-8")
    (tmp_path / "audit.toml").write_text(
        '[report]\noutput = "out"\nformats = ["json"]\n[data.apps]\npath = "apps.csv"\n'
        '[[analysis]]\ntype = "adverse_impact"\ndata = "apps"\ngroup = "sex"\n'
        'stages = ["hired"]\n', encoding="utf-8")
    assert main(["audit", str(tmp_path / "audit.toml")]) == 0
    data = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert "the line above them was skipped" in data["sections"][0]["warnings"][0]


def test_console_formats_columns_whose_withheld_cells_are_in_rows_not_shown(tmp_path, capsys):
    # layoff prints the all-units rows; withheld cells of a unit's rows made the columns
    # objects, and the console printed 0.15501519756838905 and True
    rows = []
    for unit, young, young_sel, old, old_sel in [("Sales", 66, 1, 126, 16),
                                                  ("Support", 78, 7, 111, 20)]:
        for age, n, k in ((30, young, young_sel), (55, old, old_sel)):
            rows += [(unit, age, "yes" if i < k else "no") for i in range(n)]
    frame = pd.DataFrame(rows, columns=["unit", "age", "laid_off"])
    frame.to_csv(tmp_path / "rif.csv", index=False)
    assert main(["layoff", str(tmp_path / "rif.csv"), "--selected", "laid_off", "--unit", "unit",
                 "--age", "age", "--min-cell", "5"]) == 0
    out = capsys.readouterr().out.split("All units")[1]
    assert "15.2%" in out and "0.15" not in out and "True" not in out and "False" not in out


def test_spreadsheet_errors_in_a_number_column_are_missing_numbers(tmp_path, capsys):
    # a salary column computed by formulas: "#DIV/0!", "#VALUE!" and "#N/A" where a formula
    # failed. They were a "holds '#N/A' as a label" note and then "pay must be numeric".
    rows = [(s, str(50_000 + 997 * i)) for i, s in enumerate(["Female", "Male"] * 40)]
    bad = [("Female", "#DIV/0!"), ("Male", "#VALUE!"), ("Male", "#N/A")]
    (tmp_path / "a.csv").write_text(_csv(rows + bad, header="sex,salary"))
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "sex"]) == 0
    out, err = capsys.readouterr()
    assert "column 'salary': '#DIV/0!' (1), '#VALUE!' (1), '#N/A' (1) read as missing." in err
    assert "as a label" not in err
    frame = pd.DataFrame({"sex": [s for s, _ in rows] + [s for s, _ in bad],
                          "salary": [float(p) for _, p in rows] + [None] * 3})
    expected = fh.pay_gap(frame, pay="salary", group="sex")
    assert expected.rows.excluded and f"Rows: {expected.rows.used} of 83 rows used" in out


def test_scores_with_a_percent_sign_are_read_as_the_numbers_written(tmp_path, capsys):
    # an assessment vendor's export: "78%" stopped ll144 with "must hold numbers"
    rows = [("Female" if i % 2 else "Male", "White" if i % 3 else "Black", f"{40 + i % 50}%")
            for i in range(200)] + [("Male", "White", "N/A")]
    (tmp_path / "a.csv").write_text("sex,race,score\n" + "".join(",".join(r) + "\n"
                                                                for r in rows))
    assert main(["ll144", str(tmp_path / "a.csv"), "--sex", "sex", "--race", "race",
                 "--score", "score", "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "column 'score' has numbers with a percent sign (e.g. '40%'); read them as the " \
           "numbers written (40% as 40)." in err and "'N/A' (1) read as missing" in err
    frame = pd.DataFrame(rows[:-1], columns=["sex", "race", "score"])
    expected = fh.ll144_audit(frame.assign(score=frame.score.str.rstrip("%").astype(float)),
                              sex="sex", race="race", score="score")
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == expected.fingerprint


def test_a_free_text_column_with_a_line_break_and_a_comma_is_read_not_a_crash(tmp_path, capsys):
    # an ATS export's "Recruiter notes": one cell over two lines, another with a comma; the
    # number reader (is it "$48,250.50"?) crashed on the line break with a TypeError
    rows = [(s, f'{h},"Strong candidate.\nCall back Monday"' if i == 0 else f'{h},"ok, maybe"')
            for i, (s, h) in enumerate(ROWS)]
    (tmp_path / "a.csv").write_text(_csv(rows, header="sex,hired,Recruiter notes"),
                                    encoding="utf-8")
    assert main(_impact(tmp_path / "a.csv")) == 0
    out, err = capsys.readouterr()
    assert "unexpected" not in err and "Rows: 120 of 120 rows used" in out
    frame = read_table(tmp_path / "a.csv")
    assert frame["Recruiter notes"].tolist()[:2] == ["Strong candidate.\nCall back Monday",
                                                    "ok, maybe"]


def test_negative_currency_amounts_are_read_and_other_text_is_named(tmp_path, capsys):
    # Excel writes a negative currency cell as "-$1,200.00" (accounting format: "($800.00)");
    # the column was left as text and the pay command said only that it "holds text such as
    # ['$50,000.00', ...]", none of which was the value at fault
    lines = ["sex,pay"] + [f'F,"${50000 + i:,}.00"' for i in range(40)] + \
        [f'M,"${52000 + i:,}.00"' for i in range(40)] + ['F,"-$1,200.00"', 'M,"($800.00)"']
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_table(tmp_path / "a.csv", columns=["sex", "pay"])
    assert frame["pay"].tolist()[-2:] == [-1200.0, -800.0]
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "pay", "--group", "sex"]) != 0
    err = capsys.readouterr().err
    assert "2 zero or negative values" in err and "rows [80, 81]" in err
    # text that is no amount is named in a note, with its count
    (tmp_path / "b.csv").write_text("\n".join([*lines[:-2], "F,TBD", "M,TBD", "F,see HR"]) + "\n",
                                    encoding="utf-8")
    notes: list[str] = []
    frame = read_table(tmp_path / "b.csv", columns=["sex", "pay"], notes=notes)
    assert not pd.api.types.is_numeric_dtype(frame["pay"])
    assert notes == [str(tmp_path / "b.csv") + ": column 'pay' holds "
                     "amounts such as '$50,000.00' but also 'TBD' (2), 'see HR' (1), which are "
                     "not numbers, so it was left as text. Write those cells as amounts, or "
                     "leave them blank for a missing value, and read the file again."]


def test_pay_with_zero_pay_says_the_flag_that_models_currency_units(tmp_path, capsys):
    # an employee on unpaid leave (pay 0): the command said "pass log=False", which no flag of
    # `fairhire pay` could do; --no-log now models pay in currency units, as log=False does
    lines = ["sex,pay"] + [f"F,{50000 + 100 * i}" for i in range(30)] + \
        [f"M,{52000 + 100 * i}" for i in range(30)] + ["F,0"]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["pay", str(tmp_path / "a.csv"), "--pay", "pay", "--group", "sex"]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "pass --no-log to model pay in currency units" in err and "log=False" not in err
    assert main([*args, "--no-log", "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    frame = pd.read_csv(tmp_path / "a.csv")
    expected = fh.pay_gap(frame, pay="pay", group="sex", log=False).overall
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["params"]["log"] is False
    assert section["result"]["table"][0]["adjusted_gap"] == pytest.approx(
        float(expected.adjusted_gap.iloc[0]), rel=1e-12)


def test_a_dot_that_could_group_thousands_is_not_read_as_decimals(tmp_path, capsys):
    # "45.000 €" in a comma-separated file was read as 45.0 (a decimal point) with a note
    # saying only "read them as numbers": every salary a thousand times too small
    notes: list[str] = []
    text = "sex,pay\n" + "".join(f'{s},"{p} €"\n' for s in "FM"
                                 for p in ("45.000", "52.500", "38.250"))
    frame = read_table(text.encode(), name="a.csv", notes=notes)
    assert not pd.api.types.is_numeric_dtype(frame["pay"])
    assert notes == ["a.csv: column 'pay' has numbers such as '45.000 €', which read as 45000 "
                     "with a thousands separator or as 45.000 with a decimal point; left as "
                     "text rather than guess. Export the column without thousands separators "
                     "(or with a decimal point) and read the file again."]
    # a dot before two decimals says which: decimal points, read as numbers
    text2 = text.replace('"38.250 €"', '"38.25 €"')
    assert read_table(text2.encode(), name="a.csv")["pay"].tolist()[:3] == [45.0, 52.5, 38.25]
    # a dollar or pound sign writes a decimal point: read as it always was
    text3 = text.replace(" €", "").replace('"4', '"$4').replace('"5', '"$5').replace('"3', '"$3')
    assert read_table(text3.encode(), name="a.csv")["pay"].tolist()[:3] == [45.0, 52.5, 38.25]


@pytest.mark.parametrize(("yes", "no"), [("VRAI", "FAUX"), ("WAHR", "FALSCH"),
                                         ("VERDADERO", "FALSO"), ("Oui", "Non"),
                                         ("Ja", "Nein"), ("Sí", "No"), ("Sim", "Não")])
def test_a_spreadsheet_saved_in_another_language_reads_its_true_and_false(tmp_path, capsys,
                                                                        yes, no):
    # Excel, LibreOffice and Sheets write TRUE/FALSE in their display language when they
    # save a CSV (e3dc064 refused VRAI/FAUX as "not yes/no values")
    rows = [(s, yes if h == "yes" else no) for s, h in ROWS]
    (tmp_path / "a.csv").write_text(_csv(rows, sep=";"), encoding="utf-8")
    assert main(_impact(tmp_path / "a.csv", "--format", "json")) == 0
    out, _ = capsys.readouterr()
    assert "Rows: 120 of 120 rows used" in out
    frame = pd.DataFrame(rows, columns=["sex", "hired"])
    table = fh.adverse_impact(frame, group="sex", stages=["hired"]).table
    pd.testing.assert_frame_equal(table, _library_table())
    assert fh.retention(frame, group="sex", exited="hired").table["exits"].tolist() == \
        fh.retention(pd.DataFrame(ROWS, columns=["sex", "hired"]), group="sex",
                     exited="hired").table["exits"].tolist()


def test_an_unknown_word_in_a_yes_no_column_is_still_refused(tmp_path, capsys):
    rows = [(s, "peut-être" if i % 7 == 0 else h) for i, (s, h) in enumerate(ROWS)]
    (tmp_path / "a.csv").write_text(_csv(rows), encoding="utf-8")
    assert main(_impact(tmp_path / "a.csv")) != 0
    err = capsys.readouterr().err
    assert "peut-être" in err and "spreadsheet's TRUE/FALSE" in err


def test_na_in_a_date_column_is_a_missing_date(tmp_path, capsys):
    # An ATS export writes "N/A" for an application date it does not have. aeccaad kept it as
    # a label, so fairhire monitor stopped ("holds values that are not dates: ['N/A']") after
    # a note whose advice, --unknown-label N/A, does not apply to the period column. In a
    # column of dates "N/A" can only mean no date: a missing period, counted, as a blank is.
    funnel = fh.datasets.make_hiring_funnel(800, periods=4, random_state=2)
    export = funnel[["sex", "screened", "hired"]].assign(
        applied=funnel["applied_on"].dt.strftime("%m/%d/%Y"))
    export.loc[[3, 10, 11], "applied"] = "N/A"
    export.to_csv(tmp_path / "ats.csv", index=False)
    assert main(["monitor", str(tmp_path / "ats.csv"), "--period", "applied", "--freq", "Q",
                 "--group", "sex", "--stages", "screened", "hired", "--report",
                 str(tmp_path / "r"), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "'applied': 'N/A' (3) read as missing" in err
    assert "3 excluded (missing period)" in out
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    blank = export.assign(applied=export["applied"].replace("N/A", None))
    expected = fh.monitor(blank, period="applied", freq="Q", group="sex",
                          stages=["screened", "hired"])
    assert section["fingerprint"] == expected.fingerprint


def test_na_among_quarter_labels_is_a_missing_period_not_a_period_that_breaks_the_order(
        tmp_path, capsys):
    # "N/A" beside "Q1 2024" ... "Q4 2025" was a period label of its own on aeccaad: the labels
    # no longer all named quarters, so the periods went in text order (Q1 2024, Q1 2025,
    # Q2 2024 ...) and every trend was fitted on that order, after a note advising
    # --unknown-label N/A, which does not apply to the period column
    funnel = fh.datasets.make_hiring_funnel(1200, periods=8, random_state=6)
    quarter = funnel["applied_on"].dt.quarter.astype(str)
    export = funnel[["sex", "screened", "hired"]].assign(
        quarter="Q" + quarter + " " + funnel["applied_on"].dt.year.astype(str))
    export.loc[[1, 2, 4], "quarter"] = "N/A"
    export.to_csv(tmp_path / "q.csv", index=False)
    assert main(["monitor", str(tmp_path / "q.csv"), "--period", "quarter", "--group", "sex",
                 "--stages", "screened", "hired", "--report", str(tmp_path / "r"),
                 "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "'quarter': 'N/A' (3) read as missing" in err
    assert "3 excluded (missing period)" in out and "text order" not in out
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["result"]["periods"][:3] == ["Q1 2024", "Q2 2024", "Q3 2024"]
    blank = export.assign(quarter=export["quarter"].replace("N/A", None))
    expected = fh.monitor(blank, period="quarter", group="sex", stages=["screened", "hired"])
    assert section["fingerprint"] == expected.fingerprint
