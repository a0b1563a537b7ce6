"""Real exports the command line and the web app must read as the library reads the data.

Each test is a file an HR system or a spreadsheet writes (a byte Windows-1252 leaves undefined,
Excel's ``sep=`` line, a duplicated header, decimal commas) or a label an adversary can write
(terminal escape sequences), read through ``fairhire.cli.main`` and compared with the library
call on the same data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import fairhire as fh
from fairhire.cli import main

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
