"""Salaries written "45k": a thousands suffix is read by the one reader of exported numbers
(fairhire/workflow/numbers.py), so every entry point that reads a file (the pay command, an
audit config's pay_gap, UK, EU and Oaxaca-Blinder entries, the web app) gets the same numbers
as the library given them; "$1.2m" is never guessed: the cells are named, and the pay
analyses' error says why."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.workflow.reading import read_table

#: the brief's mixed column: a currency sign, thousands separators, both suffix cases, a blank
#: and a missing marker
MIXED = ["£45k", "45,000", "46.5K", "", "n/a"]


def payroll(n: int = 120, seed: int = 2) -> tuple[pd.DataFrame, str]:
    """(the numbers, the same table as an export writes it): every salary a multiple of 500,
    written as '£45k', '45,000', '46.5K' or '£47,500' in turn, a few blank or 'n/a'."""
    rng = np.random.default_rng(seed)
    sex = np.resize(["Female", "Male"], n)
    level = np.resize(["L1", "L2", "L3"], n)
    pay = (40_000 + 500 * rng.integers(0, 40, n) + np.where(sex == "Male", 2_000, 0)
           + 5_000 * (level == "L3")).astype(float)
    written = []
    for i, v in enumerate(pay):
        k = f"{v / 1000:g}"
        written.append([f"£{k}k", f"{v:,.0f}", f"{k}K", f"£{v:,.0f}"][i % 4])
    for i, marker in ((5, ""), (17, "n/a"), (30, "")):
        pay[i], written[i] = np.nan, marker
    numbers = pd.DataFrame({"id": range(n), "sex": sex, "level": level, "salary": pay})
    return numbers, export(numbers, written)


def export(numbers: pd.DataFrame, written: list[str]) -> str:
    lines = ["id,sex,level,salary"] + [
        f'{i},{s},{lv},"{w}"' for i, s, lv, w in
        zip(numbers["id"], numbers["sex"], numbers["level"], written, strict=True)]
    return "\n".join(lines) + "\n"


def test_the_mixed_column_is_read_as_the_amounts_written():
    text = "sex,salary\n" + "".join(f'F,"{v}"\n' for v in MIXED)
    notes: list[str] = []
    frame = read_table(text.encode(), name="a.csv", notes=notes)
    assert frame["salary"].tolist()[:3] == [45_000.0, 45_000.0, 46_500.0]
    assert frame["salary"].iloc[3:].isna().all()
    assert notes == ["a.csv: column 'salary' has numbers with the currency symbol '£', "
                     "thousands separators and a thousands suffix k (e.g. '£45k' read as "
                     "45,000); read them as numbers, and 'n/a' (1) as missing."]
    # ;-separated, decimal commas: '46,5K' is 46,500
    text = "sex;salary\n" + "".join(f"F;{v}\n" for v in ["£45k", "45.000", "46,5K", "", "n/a"])
    frame = read_table(text.encode(), name="b.csv")
    assert frame["salary"].tolist()[:3] == [45_000.0, 45_000.0, 46_500.0]


def test_every_pay_entry_point_reads_it_as_the_library_reads_the_numbers(tmp_path):
    numbers, text = payroll()
    path = tmp_path / "payroll.csv"
    path.write_text(text, encoding="utf-8")
    read = read_table(path)
    pd.testing.assert_series_equal(read["salary"], numbers["salary"])
    expected = {
        "pay_gap": fh.pay_gap(numbers, pay="salary", group="sex", controls="level"),
        "uk_pay_gap": fh.uk_pay_gap_metrics(numbers, hourly_pay="salary", sex="sex"),
        "eu_pay_transparency": fh.eu_pay_transparency_metrics(numbers, pay="salary", sex="sex",
                                                              category="level"),
        "oaxaca_blinder": fh.oaxaca_blinder(numbers, outcome="salary", group="sex",
                                            features="level"),
    }
    # the pay command
    out = tmp_path / "cli"
    assert main(["pay", str(path), "--pay", "salary", "--group", "sex", "--controls", "level",
                 "--report", str(out), "--format", "json"]) == 0
    cli = json.loads((out / "audit.json").read_text(encoding="utf-8"))["sections"][0]
    assert cli["fingerprint"] == expected["pay_gap"].fingerprint
    # an audit config with every pay analysis
    entries = {
        "pay_gap": 'pay = "salary"\ngroup = "sex"\ncontrols = ["level"]',
        "uk_pay_gap": 'hourly_pay = "salary"\nsex = "sex"',
        "eu_pay_transparency": 'pay = "salary"\nsex = "sex"\ncategory = "level"',
        "oaxaca_blinder": 'outcome = "salary"\ngroup = "sex"\nfeatures = ["level"]',
    }
    body = "".join(f'\n[[analysis]]\ntype = "{kind}"\n{options}\n'
                   for kind, options in entries.items())
    config = tmp_path / "audit.toml"
    config.write_text(f'[report]\noutput = "{(tmp_path / "r").as_posix()}"\nformats = ["json"]\n'
                      f'\n[data.pay]\npath = "{path.as_posix()}"\n{body}', encoding="utf-8")
    assert main(["audit", str(config)]) == 0, body
    sections = json.loads((tmp_path / "r" / "audit.json").read_text(encoding="utf-8"))["sections"]
    assert [s["fingerprint"] for s in sections] == [r.fingerprint for r in expected.values()]
    # the web app's API
    pytest.importorskip("starlette")
    pytest.importorskip("multipart")
    from starlette.testclient import TestClient

    from fairhire.web import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1:8765")
    reply = client.post("/api/audit", data={"config": body, "format": "json"},
                        files={"file": ("payroll.csv", text.encode(), "text/csv")})
    assert reply.status_code == 200, reply.text
    assert [s["fingerprint"] for s in reply.json()["sections"]] == \
        [r.fingerprint for r in expected.values()]


def test_a_million_suffix_is_named_not_guessed(tmp_path, capsys):
    numbers, _ = payroll()
    written = [f"{v:,.0f}" if v == v else "" for v in numbers["salary"]]
    written[7] = "1.2M"
    path = tmp_path / "payroll.csv"
    path.write_text(export(numbers, written), encoding="utf-8")
    notes: list[str] = []
    frame = read_table(path, notes=notes)
    assert not pd.api.types.is_numeric_dtype(frame["salary"])
    (note,) = notes
    assert "'1.2M' (row 7)" in note and "whose suffix is not read" in note
    assert main(["pay", str(path), "--pay", "salary", "--group", "sex"]) == 2
    err = capsys.readouterr().err
    assert "'1.2M' (row 7)" in err  # the note, on the console before the error
    error = err.strip().splitlines()[-1]
    assert error.startswith("fairhire: error: column 'salary' (--pay) must be numeric; it "
                            "holds text such as ['1.2M'")
    assert "'m' is a million to some and a month or minutes to others" in error
    # Python: the same error, naming the same cell first
    with pytest.raises(fh.FairhireError, match=r"such as \['1\.2M'"):
        fh.pay_gap(frame, pay="salary", group="sex")
