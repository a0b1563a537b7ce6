"""The web app's endpoints through the ASGI test client: answers, bad uploads, safety."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from starlette.testclient import TestClient

import fairhire as fh
from fairhire.web import create_app

BASE = "http://127.0.0.1:8765"
CONFIG = """
[report]
title = "Funnel"
[[analysis]]
type = "adverse_impact"
group = "sex"
stages = ["screened", "hired"]
"""
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), base_url=BASE)


@pytest.fixture(scope="module")
def funnel_csv() -> bytes:
    frame = fh.datasets.make_hiring_funnel(600, random_state=3)
    return frame.to_csv(index=False).encode()


def _token(client: TestClient, page: str = "/scan") -> str:
    html = client.get(page).text
    return re.search(r'name="csrf-token" content="([^"]+)"', html)[1]


def _audit(client: TestClient, data: bytes, config: str = CONFIG, name: str = "a.csv", **form):
    return client.post("/api/audit", data={"config": config, **form},
                       files={"file": (name, data, "text/csv")})


# -- the JSON API -------------------------------------------------------------------------------


def test_health(client):
    assert client.get("/api/health").json() == {"status": "ok", "version": fh.__version__}


def test_scan_returns_exactly_the_library_dict(client):
    text = "We want a rockstar ninja. Young, energetic team."
    for lexicon in (None, "gender-decoder"):
        body = {"text": text} if lexicon is None else {"text": text, "lexicon": lexicon}
        reply = client.post("/api/scan", json=body)
        assert reply.status_code == 200
        expected = fh.scan_job_description(text, lexicon=lexicon or "default").to_dict()
        assert reply.json() == json.loads(json.dumps(expected))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": 3}, "text must be the ad's text"),
        ({"nope": "x"}, "send a JSON object with the ad's text"),
        ({"text": "x", "lexicon": "/etc/passwd"}, "lexicon='/etc/passwd' is not one of"),
        ({"text": "x", "extra": 1}, "unknown key(s) ['extra']"),
    ],
)
def test_scan_bad_input_is_400_with_one_line(client, body, message):
    reply = client.post("/api/scan", json=body)
    assert reply.status_code == 400
    assert message in reply.json()["error"] and "\n" not in reply.json()["error"]


def test_scan_rejects_non_json(client):
    reply = client.post("/api/scan", content=b"\xff\xfe", headers={"content-type": "text/plain"})
    assert reply.status_code == 400 and "send JSON" in reply.json()["error"]


@pytest.mark.parametrize(("fmt", "kind", "start"), [
    (None, "text/html", "<!DOCTYPE html>"), ("html", "text/html", "<!DOCTYPE html>"),
    ("markdown", "text/markdown", "# Funnel"), ("json", "application/json", "{"),
])
def test_audit_returns_the_report(client, funnel_csv, fmt, kind, start):
    reply = _audit(client, funnel_csv, **({"format": fmt} if fmt else {}))
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith(kind)
    assert reply.text.lstrip().startswith(start)
    assert "Funnel" in reply.text


def test_audit_reads_semicolon_parquet_and_column_renames(client, funnel_csv, tmp_path):
    import pandas as pd

    frame = pd.read_csv(__import__("io").BytesIO(funnel_csv))
    semi = frame.to_csv(index=False, sep=";").encode()
    assert _audit(client, semi, format="json").status_code == 200
    frame.to_parquet(tmp_path / "a.parquet")
    parquet = (tmp_path / "a.parquet").read_bytes()
    assert _audit(client, parquet, name="export.parquet", format="json").status_code == 200
    renamed = frame.rename(columns={"sex": "Gender"}).to_csv(index=False).encode()
    config = '[data.x]\ncolumns = { "Gender" = "sex" }\n' + CONFIG
    assert _audit(client, renamed, config=config, format="json").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty (0 bytes)"),
        (b"sex,screened,hired\n", "has a header row (sex, screened, hired) but no data rows"),
        (bytes(range(256)) * 20, "is not a CSV text file (it holds binary data)"),
        (b'sex,screened,hired\n"F,1,1\nM,1,0\n', "a quoted value that starts on line 2 is never"),
        (b"gender,screened,hired\nF,1,1\nM,1,0\n", "column ['sex'] (passed as group=) not found"),
        (b"sex,screened,hired\nF,1,1\nM,maybe,0\n", "'maybe'"),
    ],
    ids=["empty", "header-only", "binary", "open-quote", "wrong-column", "bad-flag"],
)
def test_bad_uploads_are_400_with_the_command_line_message(client, data, message, tmp_path):
    reply = _audit(client, data)
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert message in error and "\n" not in error
    # the same words as `fairhire audit` on the same file
    from fairhire.cli import main

    (tmp_path / "a.csv").write_bytes(data)
    (tmp_path / "c.toml").write_text('[data.x]\npath = "a.csv"\n' + CONFIG, encoding="utf-8")
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["audit", str(tmp_path / "c.toml"), "--out", str(tmp_path / "o")]) == 2
    cli = err.getvalue().strip().removeprefix("fairhire: error: ")
    assert cli.replace(str(tmp_path / "a.csv"), "a.csv") == error


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("", "config is missing"),
        ("[[analysis]\n", "is not valid TOML"),
        (CONFIG + "min_share = 'x'\n", "min_share='x' must be a number in [0, 1), not text"),
        (CONFIG + "groupp = 1\n", "unknown option(s) ['groupp']"),
        (CONFIG.replace('"Funnel"', "3"), "report.title must be text; got 3"),
        ('[data.x]\npath = "/etc/passwd"\n' + CONFIG, "unknown key(s) ['path'] in [data.x]"),
        ('[[analysis]]\ntype = "job_description"\npath = "/etc/*"\n', "reads no files on the"),
    ],
)
def test_bad_configs_are_400(client, funnel_csv, config, message):
    reply = _audit(client, funnel_csv, config=config)
    assert reply.status_code == 400
    assert message in reply.json()["error"]


def test_bad_format_and_missing_file(client, funnel_csv):
    assert "format='pdf'" in _audit(client, funnel_csv, format="pdf").json()["error"]
    reply = client.post("/api/audit", data={"config": CONFIG})
    assert reply.status_code == 400 and "no file" in reply.json()["error"]


def test_too_large_upload_is_413(funnel_csv):
    small = TestClient(create_app(max_upload=20_000), base_url=BASE)
    reply = _audit(small, funnel_csv)
    assert reply.status_code == 413
    assert "larger than the limit" in reply.json()["error"]
    # also when the client does not say how large the body is (chunked upload)
    def chunks():
        yield b"x" * 30_000

    reply = small.post("/api/scan", content=chunks(), headers={"content-type": "application/json"})
    assert reply.status_code == 413


# -- safety ---------------------------------------------------------------------------------------


def test_hostile_labels_and_column_names_produce_no_live_markup(client):
    rows = ["sex,screened,hired"] + [f'"{HOSTILE}",1,{i % 2}' for i in range(40)]
    rows += [f"Male,1,{int(i % 3 == 0)}" for i in range(40)]
    data = ("\n".join(rows) + "\n").encode()
    reply = _audit(client, data)
    assert reply.status_code == 200, reply.text
    assert "<script>alert" not in reply.text and "<img src=x" not in reply.text
    assert "&lt;script&gt;" in reply.text
    md = _audit(client, data, format="markdown").text
    assert "<script>" not in md and "<img" not in md


def test_hostile_ad_text_is_returned_as_data_only(client):
    reply = client.post("/api/scan", json={"text": f"{HOSTILE} rockstar"})
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json()["text"].startswith("<script>")  # JSON data, rendered with textContent
    token = _token(client)
    csv = client.post("/scan/findings.csv", data={"csrf": token, "text": "=HYPERLINK(1) rockstar"})
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    assert "=HYPERLINK" not in csv.text.replace("'=HYPERLINK", "")


def test_security_headers_on_every_response(client):
    for reply in (client.get("/scan"), client.get("/api/health"), client.get("/nope")):
        csp = reply.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["cache-control"] == "no-store"
    assert client.get("/nope").status_code == 404


def test_pages_load_only_the_apps_own_scripts(client):
    for page in ("/", "/scan", "/audit"):
        html = client.get(page).text
        sources = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        assert all(s.startswith("/static/") for s in sources)
        assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # no inline code
        assert "http://" not in html and "https://" not in html  # no CDN
        for src in sources:
            assert client.get(src).status_code == 200


def test_static_files_are_a_fixed_list(client):
    assert client.get("/static/app.css").status_code == 200
    for name in ("../app.py", "..%2Fapp.py", "%2e%2e/__init__.py", "templates"):
        assert client.get(f"/static/{name}").status_code == 404


def test_cross_site_posts_and_foreign_hosts_are_refused(client, funnel_csv):
    evil = {"origin": "http://evil.example"}
    assert client.post("/api/scan", json={"text": "x"}, headers=evil).status_code == 403
    reply = client.post("/api/audit", data={"config": CONFIG}, headers=evil,
                        files={"file": ("a.csv", funnel_csv)})
    assert reply.status_code == 403
    assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400
    assert client.post("/api/scan", json={"text": "x"}, headers={"origin": BASE}).status_code == 200


def test_page_posts_need_the_csrf_token(client, funnel_csv):
    token = _token(client, "/audit")
    files = {"file": ("a.csv", funnel_csv, "text/csv")}
    assert client.post("/audit/inspect", files=files).status_code == 403
    assert client.post("/audit/inspect", data={"csrf": "forged"}, files=files).status_code == 403
    assert client.post("/scan/live", json={"text": "x"}).status_code == 403
    reply = client.post("/scan/live", json={"text": "a rockstar"}, headers={"x-csrf-token": token})
    assert reply.status_code == 200 and reply.json()["scan"]["findings"]
    cookie = client.cookies.get("fairhire_csrf")
    assert cookie == token


def test_html_source_the_api_reads_it_the_page_says_so(client):
    # the page highlights the text in place, so it scans what was typed and says that HTML
    # source was pasted; the JSON API reads it as the library does
    html = '<p class="lead">Join a supportive team.</p><ul><li>Python</li></ul>'
    api = client.post("/api/scan", json={"text": html}).json()
    assert api == json.loads(json.dumps(fh.scan_job_description(html).to_dict()))
    assert api["text"].startswith("Join a supportive team.")
    token = _token(client)
    page = client.post("/scan/live", json={"text": html}, headers={"x-csrf-token": token}).json()
    assert page["scan"]["text"] == html and "looks like HTML" in page["note"]
    assert "lead" in [f["term"].lower() for f in page["scan"]["findings"]]
    plain = client.post("/scan/live", json={"text": "a rockstar"},
                        headers={"x-csrf-token": token}).json()
    assert plain["note"] is None


def test_inspect_guesses_roles_and_run_streams_progress_then_the_report(client, funnel_csv):
    token = _token(client, "/audit")
    files = {"file": ("funnel.csv", funnel_csv, "text/csv")}
    found = client.post("/audit/inspect", data={"csrf": token}, files=files).json()
    assert found["rows"] == 600
    assert found["roles"]["sex"] == "group" and found["roles"]["hired"] == "stage"
    assert found["roles"]["requisition"] == "strata" and "funnel" in found["analyses"]
    roles = {**found["roles"], "race": "ignore", "age_band": "ignore"}
    form = {"csrf": token, "roles": json.dumps(roles), "analyses": json.dumps(["funnel"]),
            "title": HOSTILE}
    lines = [json.loads(x) for x in client.post("/audit/run", data=form, files=files).text.split(
        "\n") if x]
    assert [e["step"] for e in lines if "step" in e] == [1, 2]
    done = lines[-1]
    assert done["done"] and set(done["report"]) == {"html", "markdown", "json"}
    assert "<script>alert" not in done["report"]["html"]
    assert 'type = "adverse_impact"' in done["config"]


def test_run_errors_name_the_field(client, funnel_csv):
    token = _token(client, "/audit")
    files = {"file": ("funnel.csv", funnel_csv, "text/csv")}
    form = {"csrf": token, "roles": json.dumps({"sex": "group"}), "analyses": '["pay_gap"]'}
    last = json.loads(client.post("/audit/run", data=form, files=files).text.splitlines()[-1])
    assert last["field"] == "analysis:pay_gap" and "needs a group and a pay column" in last["error"]
    form["roles"], form["analyses"] = json.dumps({"sex": "group", "race": "stage"}), '["funnel"]'
    last = json.loads(client.post("/audit/run", data=form, files=files).text.splitlines()[-1])
    assert last["field"] == "analysis:funnel" and last["column"] == "race"


def test_sample_csv_is_the_bundled_funnel(client):
    reply = client.get("/audit/sample.csv")
    assert reply.status_code == 200 and reply.text.startswith("applicant_id,requisition,sex")


def test_concurrent_requests(funnel_csv):
    client = TestClient(create_app(), base_url=BASE)
    texts = [f"Ad {i}: we need a rockstar and a ninja." for i in range(12)]

    def scan(text):
        return client.post("/api/scan", json={"text": text})

    def audit(_):
        return _audit(client, funnel_csv, format="json")

    with ThreadPoolExecutor(max_workers=6) as pool:
        scans = list(pool.map(scan, texts))
        audits = list(pool.map(audit, range(3)))
    assert [r.json()["text"] for r in scans] == texts
    assert all(r.status_code == 200 for r in audits)
    bodies = [json.loads(r.text) for r in audits]
    assert bodies[0]["sections"] == bodies[1]["sections"] == bodies[2]["sections"]


# -- retention and monitoring -------------------------------------------------------------------

EXITS_AND_MONITOR = """
[report]
title = "Exits and monitoring"
[[analysis]]
type = "retention"
title = "Exit rates by sex"
group = "sex"
exited = "exited"
exit_type = "exit_type"
regression = false
[[analysis]]
type = "monitor"
title = "Funnel by quarter"
period = "applied_on"
freq = "Q"
group = "sex"
stages = ["screened", "hired"]
"""


@pytest.fixture(scope="module")
def exits_frame():
    import numpy as np

    frame = fh.datasets.make_hiring_funnel(3000, random_state=5, periods=4)
    rng = np.random.default_rng(5)
    women = frame["sex"].eq("Female").fillna(False).to_numpy(dtype=bool)
    exited = rng.random(len(frame)) < np.where(women, 0.3, 0.2)
    kinds = rng.choice(["Resignation", "dismissal"], size=len(frame))
    return frame.assign(exited=np.where(exited, "yes", "no"),
                        exit_type=np.where(exited, kinds, None))


def test_audit_config_with_retention_and_monitor(client, exits_frame):
    data = exits_frame.to_csv(index=False).encode()
    reply = _audit(client, data, EXITS_AND_MONITOR, format="json")
    assert reply.status_code == 200, reply.text
    sections = reply.json()["sections"]
    assert [s["kind"] for s in sections] == ["retention", "monitoring"]
    # the same figures as the library on the same rows
    expected = fh.retention(exits_frame, group="sex", exited="exited", exit_type="exit_type",
                            regression=False)
    got = {(r["kind"], r["group"]): r["exits"] for r in sections[0]["result"]["table"]}
    assert got == {(r.kind, r.group): r.exits for r in expected.table.itertuples()}
    monitor = fh.monitor(exits_frame, period="applied_on", freq="Q", group="sex",
                         stages=["screened", "hired"])
    assert sections[1]["result"]["periods"] == list(monitor.periods)
    assert sections[1]["rows"]["total"] == len(exits_frame)


def test_audit_config_may_not_name_a_previous_audit_file(client, exits_frame):
    data = exits_frame.to_csv(index=False).encode()
    config = EXITS_AND_MONITOR.replace('[report]\n', '[report]\nprevious = "/etc/passwd"\n')
    reply = _audit(client, data, config)
    assert reply.status_code == 400 and "never reads" in reply.json()["error"]


def test_audit_page_offers_retention_and_monitoring_where_the_columns_are(client, exits_frame):
    token = _token(client, "/audit")
    page = client.get("/audit").text
    assert 'value="retention"' in page and 'value="monitor"' in page
    files = {"file": ("export.csv", exits_frame.to_csv(index=False).encode(), "text/csv")}
    found = client.post("/audit/inspect", data={"csrf": token}, files=files).json()
    roles = found["roles"]
    assert roles["exited"] == "exited" and roles["exit_type"] == "exit_type"
    assert roles["applied_on"] == "date"
    assert {"funnel", "retention", "monitor"} <= set(found["analyses"])
    roles = {**roles, "race": "ignore", "age_band": "ignore", "interviewed": "ignore",
             "offered": "ignore"}
    form = {"csrf": token, "roles": json.dumps(roles),
            "analyses": json.dumps(["retention", "monitor"])}
    lines = [json.loads(x) for x in
             client.post("/audit/run", data=form, files=files).text.splitlines() if x]
    done = lines[-1]
    assert done.get("done"), done
    assert 'type = "retention"' in done["config"] and 'type = "monitor"' in done["config"]
    assert 'freq = "Q"' in done["config"]
    kinds = [s["kind"] for s in json.loads(done["report"]["json"])["sections"]]
    assert kinds == ["retention", "monitoring"]


def test_workforce_export_offers_retention_not_monitoring(client):
    token = _token(client, "/audit")
    staff = fh.datasets.make_workforce(400, random_state=1, exits=True)
    files = {"file": ("staff.csv", staff.to_csv(index=False).encode(), "text/csv")}
    found = client.post("/audit/inspect", data={"csrf": token}, files=files).json()
    assert found["roles"]["exited"] == "exited" and found["roles"]["left"] == "ignore"
    assert found["roles"]["months_in_level"] != "date"  # a duration, not a date
    assert "retention" in found["analyses"] and "monitor" not in found["analyses"]
    form = {"csrf": token, "roles": json.dumps({"sex": "group"}), "analyses": '["monitor"]'}
    last = json.loads(client.post("/audit/run", data=form, files=files).text.splitlines()[-1])
    assert last["field"] == "analysis:monitor" and "a group, a date and a stage" in last["error"]


def test_the_page_counts_the_labels_typed_as_unknown(client):
    """One label per line: every analysis of the run counts them as unknown, as
    ``--unknown-label`` does; without them the label is compared, with the warning."""
    token = _token(client, "/audit")
    funnel = fh.datasets.make_hiring_funnel(2_000, random_state=3)
    sex = funnel["sex"].astype(object)
    sex[sex == "Non-binary"] = "Prefer not to say"
    csv = funnel.assign(sex=sex).to_csv(index=False).encode()
    files = {"file": ("funnel.csv", csv, "text/csv")}
    form = {"csrf": token, "roles": json.dumps({"sex": "group", "screened": "stage",
                                                "hired": "stage"}),
            "analyses": '["funnel"]'}

    def run(**extra):
        reply = client.post("/audit/run", data={**form, **extra}, files=files)
        done = json.loads(reply.text.splitlines()[-1])
        assert done.get("done"), done
        return done

    plain = run()
    assert "Prefer not to say" in plain["report"]["markdown"].split("## Methodology")[0]
    assert "reads as a non-disclosure" in plain["report"]["markdown"]
    named = run(unknown_labels="  Prefer not to say \n\nDecline to state\n")
    assert 'unknown_labels = ["Prefer not to say", "Decline to state"]' in named["config"]
    table = json.loads(named["report"]["json"])["sections"][0]["result"]["table"]
    assert {row["group"] for row in table} == {"Female", "Male"}
    assert "non-disclosure" not in named["report"]["markdown"]
