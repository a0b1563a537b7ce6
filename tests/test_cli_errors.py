"""The command line as a new user meets it: every failure is one `fairhire: error:` line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.workflow.errors import flag_words


@pytest.fixture(scope="module")
def funnel(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "applicants.csv"
    fh.datasets.make_hiring_funnel(1_500, random_state=2).to_csv(path, index=False)
    return path


def _fails(capsys, argv: list[str], *expected: str) -> str:
    """Run the command: exit 2, nothing on stdout, exactly one error line that says it all."""
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("fairhire: error:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in errors[0], errors[0]
    return errors[0]


def _impact(path: Path, *extra: str) -> list[str]:
    return ["impact", str(path), "--group", "sex", "--stages", "screened", "hired", *extra]


# -- files a new user has ------------------------------------------------------------------------


def test_zero_byte_csv(tmp_path, capsys):
    (tmp_path / "a.csv").write_bytes(b"")
    _fails(capsys, _impact(tmp_path / "a.csv"), "a.csv is empty (0 bytes)")


def test_header_only_csv(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("sex,screened,hired\n")
    _fails(capsys, _impact(tmp_path / "a.csv"), "has a header row", "but no data rows")


def test_unterminated_quote(tmp_path, capsys):
    (tmp_path / "a.csv").write_text('sex,screened,hired\n"Female,1,1\nMale,1,0\n')
    _fails(capsys, _impact(tmp_path / "a.csv"), "never closed", "line 2")


def test_ragged_row_names_the_line(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("sex,screened,hired\nF,1,1\nM,1,0,extra,x\n")
    _fails(capsys, _impact(tmp_path / "a.csv"), "line 3 has 5 values but the header has 3")


def test_binary_file_as_csv_and_as_ad(tmp_path, capsys):
    (tmp_path / "a.csv").write_bytes(bytes(range(256)) * 4)
    _fails(capsys, _impact(tmp_path / "a.csv"), "binary data")
    (tmp_path / "ad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    _fails(capsys, ["scan", str(tmp_path / "ad.txt")], "ad.txt is not a text file")


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_separator_is_detected(funnel, tmp_path, capsys, sep):
    path = tmp_path / "a.csv"
    pd.read_csv(funnel).to_csv(path, sep=sep, index=False)
    assert main(_impact(path)) == 0
    out, err = capsys.readouterr()
    assert "Adverse impact by sex" in out and "separated by" in err


def test_wrong_sep_is_named_in_the_error(funnel, tmp_path, capsys):
    path = tmp_path / "a.csv"
    pd.read_csv(funnel).to_csv(path, sep=";", index=False)
    _fails(capsys, [*_impact(path), "--sep", ","], "pass --sep ';'")


def test_windows_1252_file_is_read_with_a_note(tmp_path, capsys):
    rows = "sex,screened,hired\n" + "Femme é,1,1\nHomme,1,0\n" * 40
    (tmp_path / "a.csv").write_bytes(rows.encode("cp1252"))
    assert main(_impact(tmp_path / "a.csv")) == 0
    assert "Windows-1252" in capsys.readouterr().err


# -- options are checked before the work, in flag words -------------------------------------------


def test_bad_format_fails_before_anything_is_printed(funnel, tmp_path, capsys):
    line = _fails(capsys, _impact(funnel, "--report", str(tmp_path), "--format", "pdf"),
                  "--format pdf is not one of the choices", "'html', 'md', 'json'")
    assert "format=" not in line
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--min-share", "x"], "--min-share x must be a number in [0, 1), not text"),
        (["--min-share", "1.5"], "--min-share 1.5 must be a number in [0, 1)"),
        (["--on-inconsistent", "maybe"], "--on-inconsistent maybe is not one of the choices"),
        (["--min-n", "2.5"], "--min-n 2.5 must be a whole number"),
    ],
)
def test_bad_option_values_use_the_library_check_in_flag_words(funnel, capsys, extra, expected):
    line = _fails(capsys, _impact(funnel, *extra), expected)
    assert "min_share=" not in line and "on_inconsistent=" not in line


def test_no_stages_names_the_flags(funnel, capsys):
    line = _fails(capsys, ["impact", str(funnel), "--group", "sex"], "--stages", "--stage-column")
    assert "stages=[" not in line


def test_inconsistent_funnel_names_the_flag(tmp_path, capsys):
    rows = "sex,screened,hired\n" + "F,0,1\nM,1,1\nF,1,0\n" * 20
    (tmp_path / "a.csv").write_text(rows)
    line = _fails(capsys, _impact(tmp_path / "a.csv"), "--on-inconsistent exclude")
    assert "on_inconsistent=" not in line
    assert main([*_impact(tmp_path / "a.csv"), "--on-inconsistent", "exclude"]) == 0


def test_missing_required_flag_is_one_line(funnel, capsys):
    _fails(capsys, ["impact", str(funnel), "--stages", "hired"], "--group")
    _fails(capsys, ["nonsense"], "invalid choice")


def test_ll144_unknown_label_points_to_the_map_flags(tmp_path, capsys):
    rows = "sex,race,hired\n" + "Female,Martian,1\nMale,White,0\nFemale,Black,1\n" * 20
    (tmp_path / "a.csv").write_text(rows)
    argv = ["ll144", str(tmp_path / "a.csv"), "--sex", "sex", "--race", "race",
            "--selected", "hired"]
    line = _fails(capsys, argv, "'Martian'", "--category-map FILE or --map LABEL=CATEGORY",
                  "--unknown-label")
    assert "category_map=" not in line and "unknown_labels=" not in line
    assert main([*argv, "--unknown-label", "Martian"]) == 0
    assert main([*argv, "--map", "Martian=Two or More Races"]) == 0
    (tmp_path / "map.json").write_text(json.dumps({"Martian": "Two or More Races"}))
    assert main([*argv, "--category-map", str(tmp_path / "map.json"), "--min-share", "2%"]) == 0
    assert "Two or More Races" in capsys.readouterr().out


def test_every_option_has_help_and_format_lists_its_choices(capsys):
    from fairhire.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        for action in p._actions:
            if action.option_strings and action.help != "==SUPPRESS==":
                assert action.help, f"fairhire {name} {action.option_strings[0]} has no help"
        text = p.format_help()
        if "--format" in text:
            assert "html, md, json" in text or "{table,csv,json}" in text, name
    impact = sub.choices["impact"].format_help()
    assert "(0.02)" not in impact and "default: none left out" in impact


def test_flag_words_rewrites_only_known_arguments():
    flags = {"min_share": "--min-share", "selected": "--selected"}
    text = "min_share=0.5. column 'x' (passed as selected=) and alpha=0.05"
    assert flag_words(text, flags) == (
        "--min-share 0.5. column 'x' (passed as --selected) and alpha=0.05"
    )


# -- the audit config ------------------------------------------------------------------------------


def _config(tmp_path: Path, funnel: Path, extra: str, where: str = "analysis") -> Path:
    body = (f'[data.a]\npath = "{funnel.as_posix()}"\n[[analysis]]\ntype = "adverse_impact"\n'
            'group = "sex"\nstages = ["screened", "hired"]\n')
    cfg = tmp_path / "c.toml"
    cfg.write_text((extra + body) if where == "top" else (body + extra), encoding="utf-8")
    return cfg


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('min_share = "x"\n', "min_share='x' must be a number in [0, 1), not text"),
        ("title = 3\n", ".title must be text; got 3"),
        ('cumulative = "False"\n', "cumulative='False' must be True or False"),
        ("alpha = 2\n", "alpha=2 must be a number in (0, 1)"),
        ('group = 3\n', ""),  # TOML: a key defined twice
        ("groupp = 1\n", "unknown option(s) ['groupp']"),
        ('notes = 5\n', "notes must be text or a list of text"),
    ],
)
def test_config_errors(tmp_path, funnel, capsys, extra, expected):
    cfg = _config(tmp_path, funnel, extra)
    _fails(capsys, ["audit", str(cfg), "--out", str(tmp_path / "o")], expected)


def test_config_accepts_new_argument_names(tmp_path, funnel, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[data.a]\npath = "{funnel.as_posix()}"\n[[analysis]]\ntype = "ll144"\nsex = "sex"\n'
        'race = "race"\nselected = "hired"\nmin_share = 0.02\n', encoding="utf-8")
    assert main(["audit", str(cfg), "--out", str(tmp_path / "o")]) == 0


def test_config_without_data_name_uses_the_only_input(tmp_path, funnel):
    cfg = _config(tmp_path, funnel, "")
    assert main(["audit", str(cfg), "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "audit.html").exists()


def test_renamed_arguments_reach_the_installed_function():
    from fairhire.workflow.options import translate_renamed

    def pay_gap(data, *, min_group_size=5): ...

    def pay_gap_new(data, *, min_n=5, min_group_size=None): ...

    pay_gap_new.__name__ = "pay_gap"
    assert translate_renamed(pay_gap, {"min_n": 3}) == {"min_group_size": 3}
    assert translate_renamed(pay_gap_new, {"min_n": 3}) == {"min_n": 3}
    assert translate_renamed(pay_gap_new, {"min_group_size": 3}) == {"min_group_size": 3}


def test_comma_separated_columns_get_a_hint(tmp_path, capsys):
    # "--stages screened,hired" is how many tools take a list; fairhire takes spaces
    (tmp_path / "a.csv").write_text("sex,screened,hired\n" + "F,yes,no\nM,yes,yes\n" * 20)
    assert main(["impact", str(tmp_path / "a.csv"), "--group", "sex",
                 "--stages", "screened,hired"]) == 2
    err = capsys.readouterr().err
    assert "'screened,hired' names 2 columns" in err and "separated by spaces" in err


def test_a_dash_is_the_screen_for_a_file_and_refused_for_a_report_folder(tmp_path, capsys,
                                                                      monkeypatch):
    # before: 'scan --output -' wrote a file named '-', and '--report -' a folder named '-'
    monkeypatch.chdir(tmp_path)
    ad = tmp_path / "ad.txt"
    ad.write_text("We want a competitive, dominant rockstar.", encoding="utf-8")
    assert main(["scan", str(ad), "--format", "csv", "--output", "-"]) == 0
    assert "masculine" in capsys.readouterr().out and not (tmp_path / "-").exists()
    assert main(["scan", str(ad), "--report", "-"]) == 2
    assert "folder" in capsys.readouterr().err and not (tmp_path / "-").exists()
