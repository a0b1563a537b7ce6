"""The audit page's reference group (per group column) and minimum group size (``min_n``).

The command line has ``--reference`` and ``--min-n`` and an audit config ``reference =`` and
``min_n =``; the page always used the default rule at 30, so the same data could get another
reference group on the page than from the command the analyst was told to run. The page now
takes both through the same path as its threshold and significance level: checked by the
library's rule, given to every analysis that takes them, written into the downloaded config.
"""

from __future__ import annotations

import json
import re
import tomllib

import pandas as pd
import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from audit_page import STAGES, funnel_upload, page_client, run_page, upload_files
from starlette.testclient import TestClient

import fairhire as fh
from fairhire.web.roles import build_config, describe_columns

ROLES = {"sex": "group", "race": "group", **dict.fromkeys(STAGES, "stage")}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return page_client()


@pytest.fixture(scope="module")
def upload() -> tuple[pd.DataFrame, dict]:
    return funnel_upload()


def _run(client: TestClient, files: dict, analyses=("funnel",), roles=None, **form) -> dict:
    return run_page(client, files, roles or ROLES, analyses, **form)


def _table(section: dict) -> pd.DataFrame:
    return pd.DataFrame(section["result"]["table"])


def _library_table(result: object) -> pd.DataFrame:
    return pd.DataFrame(json.loads(json.dumps(result.to_dict(), default=str))["table"])


def _rerun_config(client: TestClient, files: dict, config: str) -> dict:
    """The downloaded config, as ``fairhire audit`` runs it (through the JSON API)."""
    body = config.split("[data.upload]")[0] + "[[analysis]]" + config.split("[[analysis]]", 1)[1]
    reply = client.post("/api/audit", data={"config": body, "format": "json"}, files=files)
    assert reply.status_code == 200, reply.text
    return reply.json()


@pytest.mark.parametrize(("references", "min_n", "expected"), [
    ({"sex": "Male"}, "10", {"reference": "Male", "min_n": 10}),
    ({"race": "Asian"}, "", {}),  # a reference of race only: sex keeps the rule
    ({}, "2000", {"min_n": 2000}),  # no group is large enough: the highest rate, warned
    ({}, "0", {"min_n": 0}),
])
def test_the_page_runs_reference_and_min_n_as_the_library_does(client, upload, references, min_n,
                                                               expected):
    frame, files = upload
    done = _run(client, files, references=json.dumps(references), min_n=min_n)
    assert done.get("done"), done
    sections = json.loads(done["report"]["json"])["sections"]
    by_sex = next(s for s in sections if s["title"] == "Hiring funnel by sex")
    library = fh.adverse_impact(frame, group="sex", stages=STAGES, **expected)
    pd.testing.assert_frame_equal(_table(by_sex), _library_table(library))
    assert by_sex["result"]["warnings"] == list(library.warnings)
    by_race = next(s for s in sections if s["title"] == "Hiring funnel by race")
    race = {k: v for k, v in expected.items() if k == "min_n"} | (
        {"reference": references["race"]} if "race" in references else {})
    pd.testing.assert_frame_equal(
        _table(by_race), _library_table(fh.adverse_impact(frame, group="race", stages=STAGES,
                                                          **race)))
    config = tomllib.loads(done["config"])
    assert [e.get("reference") for e in config["analysis"]] == \
        [references.get("sex"), references.get("race")]
    assert {e.get("min_n") for e in config["analysis"]} == {expected.get("min_n")}
    again = _rerun_config(client, files, done["config"])  # the downloaded config: the same
    assert [_table(s).equals(_table(p)) for s, p in zip(again["sections"], sections,
                                                        strict=True)] == [True, True]


def test_combined_groups_compare_with_the_combination_of_the_chosen_references(client, upload):
    frame, files = upload
    done = _run(client, files, analyses=["intersectional"], min_n="20",
                references=json.dumps({"sex": "Male", "race": "White"}))
    assert done.get("done"), done
    section = json.loads(done["report"]["json"])["sections"][0]
    library = fh.adverse_impact(frame, group=["sex", "race"], stages=STAGES,
                                reference="Male × White", min_n=20)
    pd.testing.assert_frame_equal(_table(section), _library_table(library))
    assert set(_table(section)["reference_group"]) == {"Male × White"}
    assert 'reference = "Male × White"' in done["config"]


def test_reference_and_min_n_reach_every_analysis_that_takes_them():
    frame = pd.DataFrame({"sex": ["F", "M"] * 20, "race": ["A", "B", "C", "D"] * 10,
                          "selected": [True, False] * 20, "salary": range(40),
                          "promoted": [False, True] * 20})
    roles = {"sex": "group", "race": "group", "selected": "stage", "salary": "pay",
             "promoted": "outcome"}
    config, _ = build_config(roles, ["funnel", "intersectional", "ll144", "pay_gap",
                                     "promotion"], frame,
                             settings={"min_n": 12, "reference": {"sex": "M"}})
    entries = {(e["type"], str(e["group"] if "group" in e else "")): e
               for e in config["analysis"]}
    assert entries["adverse_impact", "sex"]["reference"] == "M"
    assert entries["adverse_impact", "sex"]["min_n"] == 12
    assert "reference" not in entries["adverse_impact", "race"]  # the rule, at min_n 12
    assert entries["adverse_impact", "race"]["min_n"] == 12
    # combined groups: only when every column of the combination has a reference
    assert "reference" not in entries["adverse_impact", "['sex', 'race']"]
    assert entries["promotion", "sex"]["reference"] == "M"
    assert entries["promotion", "sex"]["min_n"] == 12
    # the pay gap takes the reference but keeps its own min_n (the smallest group tested)
    assert entries["pay_gap", "sex"]["reference"] == "M"
    assert "min_n" not in entries["pay_gap", "sex"]
    # LL144: the law's reference (the highest rate) and the DCWP's min_n of 1
    assert "reference" not in entries["ll144", ""] and "min_n" not in entries["ll144", ""]


@pytest.mark.parametrize("value", ["2.5", "-1", "thirty"])
def test_a_bad_minimum_group_size_is_an_error_on_its_field(client, upload, value):
    _, files = upload
    done = _run(client, files, min_n=value)
    assert done.get("field") == "min_n", done
    assert "minimum group size" in done["error"] and "min_n=" in done["error"]
    assert "Traceback" not in done["error"]


def test_a_reference_the_data_does_not_have_is_the_librarys_error_at_its_field(client, upload):
    frame, files = upload
    done = _run(client, files, references=json.dumps({"race": "Martian"}))
    assert done.get("field") == "reference:race", done
    with pytest.raises(fh.FairhireError) as library:
        fh.adverse_impact(frame, group="race", stages=STAGES, reference="Martian")
    assert " ".join(str(library.value).split()) in done["error"]


def test_a_reference_for_a_column_that_is_not_a_group_is_an_error_at_its_field(client, upload):
    _, files = upload
    done = _run(client, files, references=json.dumps({"hired": "True"}))
    assert done.get("field") == "reference:hired", done
    assert "role 'group'" in done["error"]


@pytest.mark.parametrize("references", ["[1]", '{"sex": 1}', "{not json"])
def test_unreadable_references_are_an_error_not_a_crash(client, upload, references):
    _, files = upload
    done = _run(client, files, references=references)
    assert done.get("field") == "form" and "reload the page" in done["error"], done


NASTY = ['<script>alert("x")</script>', "O'Brien \"Q\" \\ & co"]


def test_a_label_with_markup_and_quotes_round_trips_safely(client):
    frame = pd.DataFrame({"group": [NASTY[0]] * 60 + [NASTY[1]] * 60 + ["Other"] * 60,
                          "hired": ([True] * 30 + [False] * 30) * 2 + [True] * 20 + [False] * 40})
    files = upload_files(frame)
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]
    inspected = client.post("/audit/inspect", data={"csrf": token}, files=files).json()
    values = next(c for c in inspected["columns"] if c["name"] == "group")["values"]
    assert set(values) == {*NASTY, "Other"}  # as the upload shows them, sent as JSON text
    for label in NASTY:
        done = _run(client, files, roles={"group": "group", "hired": "stage"},
                    references=json.dumps({"group": label}))
        assert done.get("done"), done
        section = json.loads(done["report"]["json"])["sections"][0]
        library = fh.adverse_impact(frame, group="group", stages=["hired"], reference=label)
        pd.testing.assert_frame_equal(_table(section), _library_table(library))
        assert set(_table(section)["reference_group"]) == {label}
        assert tomllib.loads(done["config"])["analysis"][0]["reference"] == label
        assert "<script>alert" not in done["report"]["html"]  # escaped wherever it is shown
        assert "&lt;script&gt;" in done["report"]["html"]


def test_a_column_lists_its_values_for_the_choice_unless_it_has_too_many():
    frame = pd.DataFrame({"sex": ["Male", "Female", None, "Female"] * 30,
                          "band": [3, 1, 2, 1] * 30, "id": range(120)})
    described = {c["name"]: c for c in describe_columns(frame)}
    assert described["sex"]["values"] == ["Female", "Male"]
    assert described["band"]["values"] == ["1", "2", "3"]
    assert described["id"]["values"] is None  # a text field instead


@pytest.mark.parametrize("kind", ["funnel", "promotion"])
def test_the_page_gives_what_the_command_line_gives_with_the_same_options(client, tmp_path,
                                                                          kind):
    """--reference and --min-n on the command line, the two fields on the page: same table."""
    from fairhire.cli import main

    if kind == "funnel":
        frame = fh.datasets.make_hiring_funnel(2_000, random_state=3)
        roles = {"sex": "group", **dict.fromkeys(STAGES, "stage")}
        args = ["impact", "--group", "sex", "--stages", *STAGES]
    else:
        frame = fh.datasets.make_workforce(800, random_state=2)
        roles = {"sex": "group", "promoted": "outcome", "level": "level"}
        args = ["promotion", "--group", "sex", "--promoted", "promoted", "--level", "level"]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    done = _run(client, {"file": ("data.csv", path.read_bytes(), "text/csv")},
                analyses=[kind], roles=roles, references=json.dumps({"sex": "Female"}),
                min_n="12")
    assert done.get("done"), done
    page = json.loads(done["report"]["json"])["sections"][0]
    out = tmp_path / "cli"
    assert main([args[0], str(path), *args[1:], "--reference", "Female", "--min-n", "12",
                 "--report", str(out), "--format", "json"]) == 0
    cli = json.loads((out / "audit.json").read_text(encoding="utf-8"))["sections"][0]
    pd.testing.assert_frame_equal(_table(page), _table(cli))
    assert page["params"]["reference"] == cli["params"]["reference"] == "Female"
    assert page["params"]["min_n"] == cli["params"]["min_n"] == 12
