"""The `fairhire` command: subcommands, the audit config, and errors with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import build_parser, load_config, main

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def applicants_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "applicants.csv"
    fh.datasets.make_hiring_funnel(3_000, random_state=1).to_csv(path, index=False)
    return path


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "fairhire audit" in out
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert "example:" in p.format_help(), name


def test_impact_prints_and_writes_report(applicants_csv, tmp_path, capsys):
    code = main(
        ["impact", str(applicants_csv), "--group", "sex", "--stages", "screened",
         "interviewed", "offered", "hired", "--report", str(tmp_path), "--format", "html,json"]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Adverse impact by sex" in out
    assert (tmp_path / "audit.html").stat().st_size > 1000
    assert (tmp_path / "audit.json").exists()


def test_missing_column_is_one_line_and_exit_2(applicants_csv, capsys):
    code = main(["impact", str(applicants_csv), "--group", "gender", "--stages", "hired"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("fairhire: error:") and "'gender'" in err
    assert "Traceback" not in err


def test_debug_shows_traceback(applicants_csv):
    with pytest.raises(fh.FairhireError):
        main(["--debug", "impact", str(applicants_csv), "--group", "gender", "--stages", "x"])


def test_missing_file_and_bad_type(tmp_path, capsys):
    assert main(["impact", str(tmp_path / "nope.csv"), "--group", "g", "--stages", "s"]) == 2
    assert "file not found" in capsys.readouterr().err
    bad = tmp_path / "data.json"
    bad.write_text("{}")
    assert main(["impact", str(bad), "--group", "g", "--stages", "s"]) == 2
    assert "unsupported file type" in capsys.readouterr().err


def test_parquet_input(applicants_csv, tmp_path, capsys):
    pq = tmp_path / "a.parquet"
    pd.read_csv(applicants_csv).to_parquet(pq)
    assert main(["impact", str(pq), "--group", "race", "--stages", "screened", "hired"]) == 0
    assert "Adverse impact by race" in capsys.readouterr().out


def test_config_errors_name_the_key(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text('[report]\ntitel = "x"\n[[analysis]]\ntype = "adverse_impact"\n')
    with pytest.raises(fh.FairhireError, match=r"unknown key\(s\) \['titel'\].*allowed keys"):
        load_config(cfg)
    cfg.write_text('[data.a]\ndataset = "make_hiring_funnel"\n[[analysis]]\ntype = "impact"\n')
    with pytest.raises(fh.FairhireError, match=r"type = 'impact'; allowed values"):
        load_config(cfg)
    cfg.write_text('[report]\nmin_cell = "five"\n[[analysis]]\ntype = "adverse_impact"\n')
    with pytest.raises(fh.FairhireError, match="min_cell must be a whole number"):
        load_config(cfg)
    cfg.write_text("[[analysis]\n")
    with pytest.raises(fh.FairhireError, match="not valid TOML"):
        load_config(cfg)
    # data = "file.csv" is the natural first guess: the error writes the fix, which then loads
    cfg.write_text('[data]\nstaff = "s.csv"\n[[analysis]]\ntype = "adverse_impact"\n')
    with pytest.raises(fh.FairhireError, match=r"got 's\.csv'") as caught:
        load_config(cfg)
    fix = str(caught.value).split("Write it as ")[1].split(" under [data]")[0]
    cfg.write_text(f'[data]\n{fix}\n[[analysis]]\ntype = "adverse_impact"\n')
    assert load_config(cfg)["data"]["staff"] == {"path": "s.csv"}


def test_config_unknown_option_named(tmp_path, capsys):
    cfg = tmp_path / "a.toml"
    cfg.write_text(
        '[data.a]\ndataset = "make_hiring_funnel"\noptions = { n_applicants = 500 }\n'
        '[[analysis]]\ntype = "adverse_impact"\ndata = "a"\ngroup = "sex"\n'
        'stages = ["hired"]\ngroupp = 1\n'
    )
    assert main(["audit", str(cfg), "--out", str(tmp_path / "out")]) == 2
    assert "unknown option(s) ['groupp']" in capsys.readouterr().err


def test_audit_example_config_writes_report(tmp_path, capsys):
    assert main(["audit", str(ROOT / "examples" / "audit.toml"), "--out", str(tmp_path)]) == 0
    html = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert "Hiring funnel by sex" in html
    assert (tmp_path / "audit.md").exists() and (tmp_path / "audit.json").exists()


def test_promotion_console_table_speaks_of_employees_and_promotions(tmp_path, capsys):
    # the console printed the funnel's headers (stage, applicants, selected) for promotions
    staff = fh.datasets.make_workforce(600)
    staff.to_csv(tmp_path / "staff.csv", index=False)
    assert main(["promotion", str(tmp_path / "staff.csv"), "--group", "sex",
                 "--promoted", "promoted"]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines()
                  if line.strip().startswith("group "))
    assert header.split()[:5] == ["group", "employees", "promoted", "promotion", "rate"]
    assert "applicants" not in header and "stage" not in header
