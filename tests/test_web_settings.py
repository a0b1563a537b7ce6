"""The audit page's comparison settings: the impact-ratio threshold and the significance level.

The command line and the audit config take ``threshold=`` and ``alpha=``; the page ran every
audit at 0.8 and 0.05, so an auditor who tests at, say, 0.9 and 0.01 could not get the same
report from it (e3dc064). The page now takes both, checks them as the library does, gives
them to every analysis that takes them, and writes them into the downloaded config.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pandas as pd
import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from audit_page import STAGES, funnel_upload, page_client, run_page
from starlette.testclient import TestClient

import fairhire as fh

ROLES = {"sex": "group", **dict.fromkeys(STAGES, "stage")}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return page_client()


@pytest.fixture(scope="module")
def upload() -> tuple[pd.DataFrame, dict]:
    return funnel_upload()


def _run(client: TestClient, files: dict, **form) -> dict:
    return run_page(client, files, ROLES, **form)


@pytest.mark.parametrize(("threshold", "alpha", "expected"), [
    ("9/10", "1%", {"threshold": Fraction(9, 10), "alpha": 0.01}),
    ("0.9", "0.01", {"threshold": 0.9, "alpha": 0.01}),
    ("", "", {}),
])
def test_the_page_runs_the_settings_as_the_library_does(client, upload, threshold, alpha,
                                                        expected):
    frame, files = upload
    done = _run(client, files, threshold=threshold, alpha=alpha)
    assert done.get("done"), done
    section = json.loads(done["report"]["json"])["sections"][0]
    library = fh.adverse_impact(frame, group="sex", stages=STAGES, **expected)
    page = pd.DataFrame(section["result"]["table"])
    pd.testing.assert_frame_equal(
        page, pd.DataFrame(json.loads(json.dumps(library.to_dict(), default=str))["table"]))
    assert float(Fraction(section["params"]["threshold"])) == float(library.threshold)
    assert section["params"]["alpha"] == library.params["alpha"]
    if expected:
        # the downloaded config runs the same audit
        assert "threshold = " in done["config"] and "alpha = 0.01" in done["config"]
        config = done["config"].split("[data.upload]")[0] + "[[analysis]]" + \
            done["config"].split("[[analysis]]", 1)[1]
        again = client.post("/api/audit", data={"config": config, "format": "json"},
                            files=files).json()
        assert pd.DataFrame(again["sections"][0]["result"]["table"]).equals(page)
    else:
        assert "threshold = " not in done["config"] and "alpha = " not in done["config"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("threshold", "1.5", "impact-ratio threshold"),
    ("threshold", "eighty", "impact-ratio threshold"),
    ("alpha", "0", "significance level"),
    ("alpha", "5", "significance level"),
])
def test_a_bad_setting_is_an_error_on_its_field(client, upload, field, value, message):
    _, files = upload
    done = _run(client, files, **{field: value})
    assert done.get("field") == field, done
    assert message in done["error"] and "Traceback" not in done["error"]


def test_the_settings_go_only_to_analyses_that_take_them():
    from fairhire.web.roles import build_config

    frame = pd.DataFrame({"sex": ["F", "M"] * 20, "race": ["A", "B", "C", "D"] * 10,
                          "selected": [True, False] * 20})
    config, _ = build_config({"sex": "group", "race": "group", "selected": "stage"},
                             ["funnel", "ll144"], frame,
                             settings={"threshold": 0.9, "alpha": 0.01})
    by_type = {e["type"]: e for e in config["analysis"]}
    assert by_type["adverse_impact"]["threshold"] == 0.9
    assert by_type["ll144"]["alpha"] == 0.01 and "threshold" not in by_type["ll144"]
