"""Exports as HR systems and spreadsheets in other locales write them, read by the command line
and audit configs as the library reads the same data.

Each test fails on the code before its fix (session 14): an amount a French spreadsheet writes,
a Workday title block an audit config could not see past, ...
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main

PAY = {"Female": [48250.5, 51000.0, 47125.25, 980.25], "Male": [52300.75, 55100.0, 50050.1,
                                                                 1234567.5]}


def _french(amount: float, space: str) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    return whole.replace(",", space) + "," + cents


# (separator, encoding, how one amount is written, what the note says)
SPACED = {
    # Excel "Enregistrer sous CSV (séparateur: point-virgule)" of a cell formatted as euros
    "excel fr": (";", "cp1252", lambda a: _french(a, "\u00a0") + "\u00a0€",
                 "the currency symbol '€', spaces between thousands and a decimal comma"),
    # a UTF-8 export with the narrow no-break space newer French locales group with
    "utf-8 narrow space": (";", "utf-8", lambda a: _french(a, "\u202f"),
                           "spaces between thousands and a decimal comma"),
    # a comma-separated file with a decimal point and a plain space between thousands
    "comma, space": (",", "utf-8", lambda a: f'"{a:,.2f}"'.replace(",", " "),
                     "spaces between thousands"),
}


@pytest.mark.parametrize("kind", SPACED)
def test_amounts_with_spaces_between_thousands_are_read_as_numbers(tmp_path, capsys, kind):
    # "33 680,00 €" (a no-break space between thousands) stayed text, and the analysis stopped
    # with "salary must be numeric": every French, Nordic or Polish spreadsheet writes it so
    sep, encoding, written, note = SPACED[kind]
    rows = [(s, a) for s in PAY for a in PAY[s] * 15]
    text = f"sex{sep}salary\r\n" + "".join(f"{s}{sep}{written(a)}\r\n" for s, a in rows)
    (tmp_path / "a.csv").write_bytes(text.encode(encoding))
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "sex",
                 "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    assert f"column 'salary' has numbers with {note} (e.g." in capsys.readouterr().err
    frame = pd.DataFrame(rows, columns=["sex", "salary"])
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == fh.pay_gap(frame, pay="salary", group="sex").fingerprint


@pytest.mark.parametrize(("sep", "values"), [
    (",", ["12,34", "980,25"]),         # a comma alone in a comma-separated file: a list?
    (";", ["12 345", "01 234"]),        # a leading zero: a code, not an amount
    (",", ["75 001", "Paris"]),         # other text in the column
])
def test_spaced_numbers_that_are_not_amounts_stay_text(sep, values):
    from fairhire.workflow.numbers import text_numbers

    notes: list[str] = []
    frame = text_numbers(pd.DataFrame({"pay": values}), "a.csv", sep, notes)
    assert frame["pay"].tolist() == values and not notes


ROWS = [("Female", "yes")] * 30 + [("Female", "no")] * 30 + [("Male", "yes")] * 40 + \
    [("Male", "no")] * 20


def _config(tmp_path, path: str, columns: str = "") -> Path:
    config = tmp_path / "audit.toml"
    config.write_text(f'[report]\noutput = "out"\nformats = ["json"]\n[data.app]\npath = "{path}"\n'
                      f'{columns}\n[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\n'
                      'stages = ["hired"]\n')
    return config


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_audit_config_finds_the_header_the_command_line_finds(tmp_path, capsys, kind):
    # a Workday-style block above the header ("Report:,Applicant Flow" / "Run date:,...") or
    # a workbook whose first sheet is a README: the command line found the header by the
    # columns its flags name; an audit config read the title as the header and stopped with
    # "column ['sex'] not found"
    table = pd.DataFrame(ROWS, columns=["Gender", "hired"])
    if kind == "csv":
        path = tmp_path / "export.csv"
        path.write_text("Report:,Applicant Flow (EEO)\nRun date:,05/01/2025 09:14\n,\n"
                        + table.to_csv(index=False))
    else:
        path = tmp_path / "export.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"About": ["Applicants", "Run 05/01/2025"], "By": ["HRIS", "x"]}) \
                .to_excel(writer, sheet_name="README", index=False)
            table.to_excel(writer, sheet_name="Data", index=False, startrow=1)
    config = _config(tmp_path, path.name, 'columns = { "Gender" = "sex" }')
    assert main(["audit", str(config)]) == 0
    assert main(["impact", str(path), "--group", "Gender", "--stages", "hired",
                 "--report", str(tmp_path / "cli"), "--format", "json"]) == 0
    for out, frame, group in (("out", table.rename(columns={"Gender": "sex"}), "sex"),
                              ("cli", table, "Gender")):
        section = json.loads((tmp_path / out / "audit.json").read_text())["sections"][0]
        assert section["fingerprint"] == fh.adverse_impact(frame, group=group,
                                                           stages="hired").fingerprint
        assert any("column names are on" in w for w in section["warnings"]), section["warnings"]


def test_config_columns_looked_for_are_the_export_names_of_its_analyses():
    from fairhire.workflow.runner import named_columns

    config = {"data": {"app": {"path": "a.csv", "columns": {"Gender": "sex"}},
                       "emp": {"path": "b.csv"}},
              "analysis": [{"type": "adverse_impact", "data": "app", "group": "sex",
                            "stages": ["screened", "hired"], "reference": "Male",
                            "in_process": {"Status": "Active"}},
                           {"type": "pay_gap", "data": "emp", "pay": "salary", "group": "sex"}]}
    assert named_columns(config, "app") == ["Gender", "screened", "hired", "Status"]
    assert named_columns(config, "emp") == ["salary", "sex"]


@pytest.mark.parametrize(("line", "said"), [
    ('[report]\nmin_cells = 5', "Did you mean 'min_cell' for 'min_cells'?"),
    ('[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstage = ["hired"]',
     "Did you mean 'stages' for 'stage'?"),
    ('[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\n'
     'blank_mean_no = true', "Did you mean 'blank_means_no' for 'blank_mean_no'?"),
    # the subcommand's name, as an analyst who ran `fairhire layoff` writes it
    ('[[analysis]]\ntype = "layoff"', "Did you mean 'reduction_in_force' for 'layoff'?"),
], ids=["report key", "option", "analysis key", "subcommand name"])
def test_a_misspelt_config_key_is_named_with_the_likely_one(tmp_path, capsys, line, said):
    (tmp_path / "a.csv").write_text("sex,hired\nF,yes\n")
    text = '[data.app]\npath = "a.csv"\n' + line + "\n"
    if "[[analysis]]" not in line:
        text += '[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\n'
    (tmp_path / "audit.toml").write_text(text)
    assert main(["audit", str(tmp_path / "audit.toml")]) == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(("path", "said"), [
    ('"C:\\Users\\hr\\applicants.csv"', "not valid TOML: Invalid hex value"),  # \U: an escape
    ('"C:\\new\\table.csv"', "holds a tab or line break"),  # \n and \t: valid escapes
], ids=["invalid escape", "valid escapes"])
def test_a_windows_path_in_double_quotes_says_how_to_write_it(tmp_path, capsys, path, said):
    # the analyst copies a path from Explorer; TOML read "\U" as an escape and said only
    # "Invalid hex value (at line 2, column 13)", or read "\n" as a line break silently
    (tmp_path / "audit.toml").write_text(
        f'[data.app]\npath = {path}\n[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\n'
        'stages = ["hired"]\n')
    assert main(["audit", str(tmp_path / "audit.toml")]) == 2
    err = capsys.readouterr().err
    assert said in err and "write a Windows path in single quotes" in err


def test_a_data_path_relative_to_the_working_folder_is_named_so(tmp_path, capsys, monkeypatch):
    # paths in a config are relative to the config's folder; the error said "Check the path
    # (relative to where you run it)", the opposite, for a path written from where one runs
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("sex,hired\nF,yes\nM,no\n")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "audit.toml").write_text(
        '[data.app]\npath = "data/a.csv"\n[[analysis]]\ntype = "adverse_impact"\n'
        'group = "sex"\nstages = ["hired"]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "configs/audit.toml"]) == 2
    err = capsys.readouterr().err
    assert "relative to where you run it" not in err
    assert "relative to the folder of the config file" in err
    assert "write path = '../data/a.csv'" in err


def test_blank_means_no_reads_blanks_not_na_markers_as_no(tmp_path, capsys):
    # "N/A" in a yes/no column is read as missing (the outcome is not known); with
    # --blank-means-no (or blank_means_no = true) it was then read as "no" as a blank is, and
    # the note counted it among the "blank cells"
    rows = [("Female", "yes")] * 40 + [("Female", "no")] * 30 + [("Female", "N/A")] * 6 + \
        [("Male", "yes")] * 50 + [("Male", "")] * 20 + [("Male", "#N/A")] * 2
    (tmp_path / "a.csv").write_text("Gender,Hired\n" + "".join(f"{s},{h}\n" for s, h in rows))
    (tmp_path / "audit.toml").write_text(
        '[report]\noutput = "out"\nformats = ["json"]\n[data.app]\npath = "a.csv"\n'
        'columns = { "Gender" = "sex", "Hired" = "hired" }\n[[analysis]]\n'
        'type = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\nblank_means_no = true\n')
    assert main(["impact", str(tmp_path / "a.csv"), "--group", "Gender", "--stages", "Hired",
                 "--blank-means-no", "--report", str(tmp_path / "cli"), "--format", "json"]) == 0
    assert "column 'Hired': 20 blank cells read as no" in capsys.readouterr().err
    assert main(["audit", str(tmp_path / "audit.toml")]) == 0
    outcome = {"yes": "yes", "no": "no", "": "no", "N/A": None, "#N/A": None}
    frame = pd.DataFrame([(s, outcome[h]) for s, h in rows], columns=["sex", "hired"])
    expected = fh.adverse_impact(frame, group="sex", stages="hired")
    assert expected.rows.excluded == {"missing outcome (hired)": 8}
    for out, names in (("cli", {"sex": "Gender", "hired": "Hired"}), ("out", {})):
        section = json.loads((tmp_path / out / "audit.json").read_text())["sections"][0]
        library = fh.adverse_impact(frame.rename(columns=names), group=names.get("sex", "sex"),
                                    stages=names.get("hired", "hired"))
        assert section["fingerprint"] == library.fingerprint
        assert any("20 blank cells read as no" in w for w in section["warnings"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_text_saved_with_an_excel_name_is_read_as_csv(tmp_path, capsys, encoding):
    # "Export to Excel" in many HR systems writes tab-separated text named report.xls;
    # pandas stopped with "Excel file format cannot be determined, you must specify an engine
    # manually"
    table = pd.DataFrame(ROWS, columns=["sex", "hired"])
    path = tmp_path / "report.xls"
    path.write_bytes(table.to_csv(sep="\t", index=False).encode(encoding))
    assert main(["impact", str(path), "--group", "sex", "--stages", "hired",
                 "--report", str(tmp_path / "r"), "--format", "json"]) == 0
    assert "report.xls is text, not an Excel workbook" in capsys.readouterr().err
    section = json.loads((tmp_path / "r" / "audit.json").read_text())["sections"][0]
    assert section["fingerprint"] == fh.adverse_impact(table, group="sex",
                                                       stages="hired").fingerprint


def test_a_web_page_or_an_old_workbook_named_xls_says_how_to_save_it(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    (tmp_path / "page.xls").write_text("<html><body><table><tr><th>sex</th><th>hired</th></tr>"
                                       "<tr><td>F</td><td>yes</td></tr></table></body></html>")
    assert main(["impact", str(tmp_path / "page.xls"), "--group", "sex", "--stages", "hired"]) == 2
    assert "is a web page (an HTML table) saved with an Excel name" in capsys.readouterr().err
    try:
        import xlrd  # noqa: F401
    except ImportError:  # an Excel 97-2003 workbook said "(ImportError)", not what to install
        (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
        assert main(["impact", str(tmp_path / "old.xls"), "--group", "sex", "--stages",
                     "hired"]) == 2
        assert "needs the xlrd package: pip install xlrd" in capsys.readouterr().err


def test_dots_that_may_group_thousands_in_a_semicolon_file_are_not_read_as_decimals(
        tmp_path, capsys):
    # German Excel saves 45,000 euros formatted with separators as "45.000" in a ;-separated
    # file; pandas read 45.0 and `fairhire pay --no-log` said women were paid "12 less" (euros,
    # not 12,000): now the column is text with a note naming both readings, as "61,879" is
    pay = {"Female": ["33.680", "41.250", "980"], "Male": ["46.811", "52.300", "1.250"]}
    rows = [(s, p) for s in pay for p in pay[s] * 20]
    (tmp_path / "a.csv").write_text("sex;salary\n" + "".join(f"{s};{p}\n" for s, p in rows))
    argv = ["pay", str(tmp_path / "a.csv"), "--pay", "salary", "--group", "sex", "--no-log"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "such as '33.680', which read as 33680 with a thousands separator or as 33.680 " \
        "with a decimal point; left as text" in err
    # a value that can only be a decimal point ("3.5") keeps the column numbers, as before
    (tmp_path / "a.csv").write_text("sex;salary\n" + "".join(
        f"{s};{p}\n" for s, p in [*rows, ("Male", "3.5")]))
    assert main(argv) == 0
    assert "left as text" not in capsys.readouterr().err


def test_min_cell_leaves_the_values_a_note_quotes_as_written(tmp_path, capsys):
    # --min-cell rounds the counts in a note ("about 310 blank cells"); it also rounded the
    # amounts it quotes from the file: "amounts such as '$about 1,200'", "e.g. 'about 35
    # about 680'"
    rows = [("F", "$1,200"), ("M", "$1,450")] * 30 + [("F", "TBD")] * 3
    (tmp_path / "a.csv").write_text("sex,pay\n" + "".join(f'{s},"{p}"\n' for s, p in rows))
    assert main(["pay", str(tmp_path / "a.csv"), "--pay", "pay", "--group", "sex",
                 "--min-cell", "5"]) == 2
    err = capsys.readouterr().err
    assert "amounts such as '$1,200' but also 'TBD' (fewer than 5)" in err
    (tmp_path / "b.csv").write_text("sex;pay\n" + "F;33 680,00\nM;41 250,50\n" * 30)
    assert main(["pay", str(tmp_path / "b.csv"), "--pay", "pay", "--group", "sex",
                 "--min-cell", "5"]) == 0
    assert "(e.g. '33 680,00')" in capsys.readouterr().err


@pytest.mark.parametrize("values", [["33 680,00 €", "980,25 €"], ["33\u202f680,00", "45\u00a0000,5"]])
def test_a_decimal_comma_after_spaced_thousands_is_read_in_a_comma_separated_file(values):
    # a French spreadsheet's amounts in a comma-separated export ("33 680,00 €", quoted): the
    # spaces group thousands, so the comma can only be the decimal mark (e3dc064 left it text)
    from fairhire.workflow.numbers import text_numbers

    notes: list[str] = []
    frame = text_numbers(pd.DataFrame({"pay": values}), "a.csv", ",", notes)
    expected = [float(v.rstrip(" €").replace("\u202f", "").replace("\u00a0", "")
                      .replace(" ", "").replace(",", ".")) for v in values]
    assert frame["pay"].tolist() == expected
    assert "decimal comma" in notes[0] and "spaces between thousands" in notes[0]
