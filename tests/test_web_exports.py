"""The web app on real exports and on its own failures: the same reading as the command line,
the same numbers as the library, and a JSON answer (never a bare 500 page) when something
unexpected breaks."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from messy import EXPECTED, messy_frame
from starlette.testclient import TestClient

import fairhire as fh
from fairhire.web import create_app

BASE = "http://127.0.0.1:8765"
CONFIG = '[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\n'
DATA = ("sex,hired\n" + "Female,yes\nFemale,no\n" * 20 + "Male,yes\n" * 30 + "Male,no\n" * 10
        ).encode()


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(), base_url=BASE, raise_server_exceptions=False)


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]


def _broken(*args, **kwargs):
    raise RuntimeError("boom")


def test_an_unexpected_error_is_json_saying_it_is_a_bug(client, monkeypatch):
    monkeypatch.setattr("fairhire.web.work.build_report", _broken)
    reply = client.post("/api/audit", data={"config": CONFIG},
                        files={"file": ("a.csv", DATA, "text/csv")})
    assert reply.status_code == 500
    assert reply.headers["content-type"] == "application/json"
    assert reply.json()["error"].startswith("unexpected RuntimeError: boom.")
    assert "bug in fairhire" in reply.json()["error"]


def test_an_unexpected_error_ends_the_progress_stream_with_an_error_line(client, monkeypatch):
    monkeypatch.setattr("fairhire.web.work.build_report", _broken)
    form = {"csrf": _token(client), "roles": json.dumps({"sex": "group", "hired": "stage"}),
            "analyses": '["funnel"]'}
    reply = client.post("/audit/run", data=form, files={"file": ("a.csv", DATA, "text/csv")})
    last = json.loads(reply.text.splitlines()[-1])
    assert last["error"].startswith("unexpected RuntimeError: boom.")
    assert last["field"] == "form"


def _run(client: TestClient, data: bytes, **form) -> dict:
    form = {"csrf": _token(client), "roles": json.dumps({"sex": "group", "hired": "stage"}),
            "analyses": '["funnel"]', **form}
    reply = client.post("/audit/run", data=form, files={"file": ("a.csv", data, "text/csv")})
    return json.loads(reply.text.splitlines()[-1])


def test_the_audit_page_can_withhold_small_counts(client):
    data = DATA + b"Tiny,yes\nTiny,no\nTiny,yes\n"
    done = _run(client, data, min_cell="5")
    assert json.loads(done["report"]["json"])["report"]["min_cell"] == 5
    row = next(line for line in done["report"]["markdown"].splitlines()
               if line.startswith("| Tiny"))
    assert "< 5" in row and "| 3 |" not in row
    assert "min_cell = 5" in done["config"]
    assert "min_cell" not in _run(client, data, min_cell="")["config"]
    bad = _run(client, data, min_cell="x")
    assert bad["field"] == "min_cell" and "whole number" in bad["error"]


def test_the_messy_exports_yes_no_column_is_offered_as_a_stage(client):
    # the library reads 'selected' (yes, Y, 1.0, TRUE, " y", no, N, 0.0, false, "n ", blanks)
    # as a yes/no column, so the page must offer it as one, and the audit must agree
    frame = messy_frame()
    data = frame.to_csv(index=False).encode()
    found = client.post("/audit/inspect", data={"csrf": _token(client)},
                        files={"file": ("messy.csv", data, "text/csv")}).json()
    assert found["roles"]["selected"] == "stage" and "funnel" in found["analyses"]
    assert found["roles"]["rating"] == "ignore"  # 1-5 is not yes/no
    done = _run(client, data, roles=json.dumps({"sex": "group", "selected": "stage"}))
    section = json.loads(done["report"]["json"])["sections"][0]
    read = pd.read_csv(io.BytesIO(data))  # the library on the same file
    expected = fh.adverse_impact(read, group="sex", stages=["selected"])
    assert section["fingerprint"] == expected.fingerprint
    table = section["result"]["table"]
    assert {r["group"]: r["applicants"] for r in table} == EXPECTED["applicants"]
    assert {r["reference_group"] for r in table} == {EXPECTED["reference"]}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_upload_with_a_title_above_its_header_is_read_from_the_header(client, kind):
    # the page asks for no columns before it has read them: the header is found by its shape
    # (a one-cell title, then a row of names as wide as the rows under it), with a note
    table = pd.read_csv(io.BytesIO(DATA))
    if kind == "csv":
        data = b"Applicant report\nGenerated 2025-05-01,by HRIS\n\n" + DATA
        said = "the column names are on line 4"
    else:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer) as writer:
            pd.DataFrame([["Applicant report"]]).to_excel(writer, index=False, header=False)
            table.to_excel(writer, index=False, startrow=2)
        data, said = buffer.getvalue(), "the column names are on row 3"
    found = client.post("/audit/inspect", data={"csrf": _token(client)},
                        files={"file": (f"a.{kind}", data, "application/octet-stream")}).json()
    assert [c["name"] for c in found["columns"]] == ["sex", "hired"], found
    assert any(said in n for n in found["notes"]) and found["rows"] == len(table)
    done = client.post("/api/audit", data={"config": CONFIG, "format": "json"},
                       files={"file": (f"a.{kind}", data, "application/octet-stream")})
    section = json.loads(done.text)["sections"][0]
    assert section["fingerprint"] == fh.adverse_impact(table, group="sex",
                                                       stages="hired").fingerprint


def test_two_question_export_reads_ethnicity_in_the_ll144_entry():
    """A column 'Ethnicity' beside 'Race': the page took whichever matched 'race|ethnic' first
    as the race column (here Ethnicity, whose answers are no race categories); now Race is
    the race column and Ethnicity the separate Hispanic or Latino question."""
    from fairhire.web.roles import build_config, guess_roles

    frame = pd.DataFrame({
        "Gender": ["Female", "Male"] * 40,
        "Ethnicity": ["Hispanic or Latino"] * 20 + ["Not Hispanic or Latino"] * 60,
        "Race": ["White", "Asian", "Black or African American", "White"] * 20,
        "Advanced": ["Yes", "No", "No", "Yes"] * 20,
    })
    roles = guess_roles(frame)
    assert {roles[c] for c in ("Gender", "Ethnicity", "Race")} == {"group"}
    config, _ = build_config(roles, ["ll144"], frame)
    entry = config["analysis"][0]
    assert (entry["race"], entry["ethnicity"]) == ("Race", "Ethnicity")


def test_the_employee_id_reaches_the_pay_gap_as_the_commands_id_does(client):
    """The page's pay gap checks an employee on two rows as ``pay_gap(..., id=)``,
    ``fairhire pay --id`` and ``id =`` in an audit config do: the id column is a role."""
    staff = fh.datasets.make_workforce(300, random_state=1)
    data = staff.to_csv(index=False).encode()
    files = {"file": ("staff.csv", data, "text/csv")}
    found = client.post("/audit/inspect", data={"csrf": _token(client)}, files=files).json()
    assert found["roles"]["employee_id"] == "id"
    roles = {"employee_id": "id", "sex": "group", "salary": "pay", "level": "level"}
    done = _run(client, data, roles=json.dumps(roles), analyses='["pay_gap"]')
    assert 'id = "employee_id"' in done["config"]
    section = json.loads(done["report"]["json"])["sections"][0]
    expected = fh.pay_gap(pd.read_csv(io.BytesIO(data)), pay="salary", group="sex",
                          controls=["level"], id="employee_id")
    assert section["fingerprint"] == expected.fingerprint
    twice = pd.concat([staff, staff.head(3)], ignore_index=True).to_csv(index=False).encode()
    last = _run(client, twice, roles=json.dumps(roles), analyses='["pay_gap"]')
    assert last["field"] == "analysis:pay_gap" and last["column"] == "employee_id"
    assert "3 IDs that appear on more than one row" in last["error"]


def test_notes_on_reading_the_file_are_in_the_report_and_withheld_as_in_it(client, tmp_path):
    """The page's report holds the notes on reading the upload, as ``fairhire audit``'s does,
    and the notes the page shows beside it withhold small counts as the report does (the
    page showed "'N/A' (3)" under "withhold counts below 5"). When the run ends in an error,
    the notes come with it: they often say why ("'$1.2m' (row 40) ... not read")."""
    from fairhire.cli import main

    data = ("sex,hired,salary\n" + 'Female,yes,"$50,000"\nFemale,no,"$51,000"\n' * 20
            + 'Male,yes,"$52,000"\n' * 30 + "Male,no,N/A\n" * 3).encode()
    done = _run(client, data, min_cell="5")
    assert any("'N/A' (fewer than 5) as missing" in n for n in done["notes"]), done["notes"]
    assert not any("(3)" in n for n in done["notes"])
    (tmp_path / "a.csv").write_bytes(data)
    (tmp_path / "audit.toml").write_text(
        done["config"].replace('path = "a.csv"', f'path = "{(tmp_path / "a.csv").as_posix()}"')
        .replace("[report]", f'[report]\noutput = "{(tmp_path / "r").as_posix()}"\n'
                 'formats = ["md"]'), encoding="utf-8")
    assert main(["audit", str(tmp_path / "audit.toml")]) == 0
    cli = (tmp_path / "r" / "audit.md").read_text(encoding="utf-8")
    page = done["report"]["markdown"]
    note = next(line for line in cli.splitlines() if "'N/A' (fewer than 5)" in line)
    assert "- a.csv:" + note.split("a.csv:", 1)[1] in page  # the same note, the same words
    roles = json.dumps({"sex": "group", "salary": "pay"})
    last = _run(client, data.replace(b'"$52,000"', b'"$1.2m"', 1), roles=roles,
                analyses='["pay_gap"]')
    assert last["field"] == "analysis:pay_gap" and "'$1.2m'" in last["error"]
    assert any("'$1.2m' (row 40)" in n for n in last["notes"]), last["notes"]


def test_a_title_block_above_the_header_is_skipped_on_the_page_too():
    # a Workday-style export: two-cell title lines above the header. 'fairhire impact' and an
    # audit config found the header; the web page read 'Report:' as a column name
    from fairhire.web.work import read_upload

    rows = ["Report:,Applicant Flow (EEO),,,", "Run date:,05/01/2025 09:14,,,", ",,,,",
            "applicant_id,sex,race,screened,hired"]
    rows += [f"{i},{'F' if i % 2 else 'M'},White,Yes,{'Yes' if i % 3 else 'No'}"
             for i in range(40)]
    frame = read_upload("\n".join(rows).encode(), "wd.csv")
    assert list(frame.columns) == ["applicant_id", "sex", "race", "screened", "hired"]
    assert len(frame) == 40
