"""The web app's audit page driven as a browser form posts it, for the tests of its settings
(test_web_settings.py, test_web_reference.py): one client, one funnel upload, one run."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from starlette.testclient import TestClient

import fairhire as fh
from fairhire.web import create_app

BASE = "http://127.0.0.1:8765"
STAGES = ["screened", "interviewed", "offered", "hired"]


def page_client() -> TestClient:
    return TestClient(create_app(), base_url=BASE, raise_server_exceptions=False)


def upload_files(frame: pd.DataFrame) -> dict:
    """``frame`` as the page's file field uploads it (a CSV)."""
    return {"file": ("funnel.csv", frame.to_csv(index=False).encode(), "text/csv")}


def funnel_upload() -> tuple[pd.DataFrame, dict]:
    """A 3,000-applicant funnel and its upload."""
    frame = fh.datasets.make_hiring_funnel(3_000, random_state=5).drop(columns=["stage_reached"])
    return frame, upload_files(frame)


def run_page(client: TestClient, files: dict, roles: dict[str, str],
             analyses: Sequence[str] = ("funnel",), **form: Any) -> dict:
    """Post the audit form (with its CSRF token) and return the run's last message."""
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]
    data = {"csrf": token, "roles": json.dumps(roles), "analyses": json.dumps(list(analyses)),
            **form}
    reply = client.post("/audit/run", data=data, files=files)
    assert reply.status_code == 200, reply.text
    return json.loads(reply.text.splitlines()[-1])
