"""Applications still open on the audit page: the status column is offered and guessed as the
other options are, the page runs the library's ``in_process=`` (same tables, same count of
open applications), and a bad choice is the page's normal error message, never a 500."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from starlette.testclient import TestClient

import fairhire as fh
from fairhire.web import create_app

BASE = "http://127.0.0.1:8765"
OPEN = ["Active", "On hold"]
STAGES = ["screened", "interviewed", "offered", "hired"]


def ats_funnel(n: int = 2_000, seed: int = 11) -> pd.DataFrame:
    """The bundled funnel with an ATS status: women applied more recently, so more of their
    applications are still open ("Active", "On hold"), the rest closed."""
    frame = fh.datasets.make_hiring_funnel(n, random_state=seed, periods=4)
    rng = np.random.default_rng(seed)
    women = frame["sex"].eq("Female").fillna(False).to_numpy(dtype=bool)
    open_now = (rng.random(n) < np.where(women, 0.3, 0.08)) & ~frame["hired"].to_numpy()
    status = np.where(open_now, rng.choice(OPEN, n),
                      np.where(frame["hired"], "Hired", "Rejected"))
    return frame.drop(columns=["stage_reached"]).assign(Status=status)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), base_url=BASE, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def upload() -> tuple[pd.DataFrame, dict]:
    """The export as the page's reader reads it back, and the file to post."""
    csv = ats_funnel().to_csv(index=False).encode()
    return pd.read_csv(io.BytesIO(csv)), {"file": ("ats.csv", csv, "text/csv")}


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]


def _run(client: TestClient, files: dict, roles: dict, analyses: list[str], **form) -> dict:
    data = {"csrf": _token(client), "roles": json.dumps(roles),
            "analyses": json.dumps(analyses), **form}
    reply = client.post("/audit/run", data=data, files=files)
    assert reply.status_code == 200, reply.text
    return json.loads(reply.text.splitlines()[-1])


ROLES = {"sex": "group", **dict.fromkeys(STAGES, "stage"), "applied_on": "date",
         "Status": "in_process"}


def test_the_page_guesses_the_status_column_and_its_open_values(client, upload):
    _, files = upload
    found = client.post("/audit/inspect", data={"csrf": _token(client)}, files=files).json()
    assert found["roles"]["Status"] == "in_process"
    assert found["in_process"] == OPEN
    assert "application status" in client.get("/audit").text
    # an employee's "Active" status, with no funnel, is not an application's
    staff = pd.DataFrame({"sex": ["F", "M"] * 20, "Status": ["Active", "Terminated"] * 20,
                          "salary": range(40_000, 80_000, 1_000)})
    files = {"file": ("staff.csv", staff.to_csv(index=False).encode(), "text/csv")}
    found = client.post("/audit/inspect", data={"csrf": _token(client)}, files=files).json()
    assert found["roles"]["Status"] == "ignore" and found["in_process"] == []


def test_the_page_leaves_open_applications_out_as_the_library_does(client, upload):
    frame, files = upload
    done = _run(client, files, ROLES, ["funnel", "monitor"], in_process="Active\n On hold \n")
    assert done.get("done"), done
    sections = json.loads(done["report"]["json"])["sections"]
    option = {"Status": OPEN}
    funnel = fh.adverse_impact(frame, group="sex", stages=STAGES, in_process=option)
    monitor = fh.monitor(frame, period="applied_on", freq="Q", group="sex", stages=STAGES,
                         in_process=option)
    n_open = int(frame["Status"].isin(OPEN).sum())
    assert funnel.rows.excluded["still in process"] == n_open
    # the same table as the library's, figure for figure
    page = pd.DataFrame(sections[0]["result"]["table"])
    expected = pd.DataFrame(json.loads(json.dumps(funnel.to_dict(), default=str))["table"])
    pd.testing.assert_frame_equal(page, expected)
    assert sections[0]["fingerprint"] == funnel.fingerprint
    assert sections[1]["fingerprint"] == monitor.fingerprint
    # ... and not the table of the export read with open applications as rejections
    assert sections[0]["fingerprint"] != fh.adverse_impact(frame, group="sex",
                                                           stages=STAGES).fingerprint
    # the count each analysis reports, shown beside the report
    assert [o["rows"] for o in done["still_in_process"]] == [n_open, n_open]
    assert f"Hiring funnel by sex: {n_open:,} applications still in process were left out" \
        in " ".join(done["notes"])
    # the downloaded config runs the same audit
    assert 'in_process = { Status = ["Active", "On hold"] }' in done["config"]
    config = done["config"].split("[data.upload]")[0] + "[[analysis]]" + \
        done["config"].split("[[analysis]]", 1)[1]
    again = client.post("/api/audit", data={"config": config, "format": "json"}, files=files)
    assert [s["fingerprint"] for s in again.json()["sections"]] == \
        [funnel.fingerprint, monitor.fingerprint]


def test_a_withheld_count_of_open_applications_stays_withheld(client, upload):
    frame, files = upload
    few = frame.assign(Status=np.where(np.arange(len(frame)) < 3, "Active", "Rejected"))
    files = {"file": ("few.csv", few.to_csv(index=False).encode(), "text/csv")}
    done = _run(client, files, ROLES, ["funnel"], in_process="Active", min_cell="5")
    assert done["still_in_process"][0]["rows"] is None
    assert "fewer than 5 applications still in process" in " ".join(done["notes"])
    assert "3 applications" not in " ".join(done["notes"])


@pytest.mark.parametrize(("roles", "values", "message"), [
    (ROLES, "Actve", r"in_process: column 'Status' has no value \['Actve'\]; its values are "
                     r"\['Active', 'Hired', 'On hold', 'Rejected'\]"),
    (ROLES, "", "type the values that mark an application still open"),
    ({**ROLES, "Status": "ignore"}, "Active", "give that column the role 'application status'"),
    ({**ROLES, "requisition": "in_process"}, "Active", "choose one"),
])
def test_a_bad_choice_is_the_pages_error_next_to_the_field(client, upload, roles, values,
                                                           message):
    _, files = upload
    last = _run(client, files, roles, ["funnel"], in_process=values)
    assert "done" not in last and last["field"] == "in_process"
    assert re.search(message, last["error"]), last["error"]


def test_a_config_sent_to_the_api_gets_the_librarys_error_as_a_400(client, upload):
    _, files = upload
    config = ('[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["hired"]\n'
              'in_process = {{ {column} = ["{value}"] }}\n')
    reply = client.post("/api/audit", files=files,
                        data={"config": config.format(column="Stat", value="Active")})
    assert reply.status_code == 400
    assert "'Stat'" in reply.json()["error"] and "in_process" in reply.json()["error"]
    reply = client.post("/api/audit", files=files,
                        data={"config": config.format(column="Status", value="Actve")})
    assert reply.status_code == 400 and "has no value ['Actve']" in reply.json()["error"]


def test_the_pages_ll144_entry_leaves_open_applications_out_too(client, upload):
    # before: ll144_audit took no in_process, so the page's LL144 tables read an open
    # application as not selected beside a funnel that left it out
    frame, _ = upload
    frame = frame.assign(race="White")
    csv = frame.to_csv(index=False).encode()
    roles = {"sex": "group", "race": "group", **dict.fromkeys(STAGES, "stage"),
             "Status": "in_process"}
    done = _run(client, {"file": ("ats.csv", csv, "text/csv")}, roles, ["ll144"],
                in_process="Active\nOn hold")
    assert done.get("done"), done
    section = json.loads(done["report"]["json"])["sections"][0]
    expected = fh.ll144_audit(frame, sex="sex", race="race", selected="hired",
                              in_process={"Status": OPEN})
    assert section["fingerprint"] == expected.fingerprint
    assert expected.rows.excluded["still in process"] == int(frame["Status"].isin(OPEN).sum())
