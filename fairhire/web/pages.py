"""The pages: check a job ad (``/scan``) and audit a data set (``/audit``).

Pages are Jinja templates (autoescaped); their scripts only ever put user text into the page
as text, never as markup. The pages' own POST endpoints need the CSRF token of the page.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from .. import __version__
from .._core.params import check_int
from .._core.reference import UnknownReferenceError
from ..errors import FairhireError, InvalidParameterError
from ..language.markup import looks_like_html
from ..report.safe import csv_safe_frame
from ..workflow.errors import CLIError, unexpected_message
from ..workflow.options import setting_text
from .api import error_response, read_form
from .in_process import open_notes
from .roles import (
    ANALYSES,
    ROLES,
    build_config,
    config_toml,
    default_analyses,
    describe_columns,
    guess_open,
    guess_roles,
)
from .security import CSRF_COOKIE, CSRF_HEADER, check_csrf, new_token
from .work import HTML_PASTED, LEXICONS, audit, read_upload, scan

__all__ = ["ROUTES_GET", "ROUTES_POST", "STATIC"]

HERE = Path(__file__).parent
#: The app's static files, by URL name: a fixed list, never a path a client names.
STATIC = {
    "app.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "scan.js": "text/javascript; charset=utf-8",
    "audit.js": "text/javascript; charset=utf-8",
}


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    html = _env().get_template(template).render(
        csrf=token, version=__version__, path=request.url.path, **context
    )
    response = HTMLResponse(html)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _csrf_ok(request: Request, sent: str | None) -> bool:
    return check_csrf(request.cookies.get(CSRF_COOKIE), sent)


_CSRF_ERROR = CLIError("this page has expired (its security token does not match): reload it.",
                       field="form")


async def index(request: Request) -> HTMLResponse:
    return _page(request, "index.html.j2")


async def scan_page(request: Request) -> HTMLResponse:
    return _page(request, "scan.html.j2", lexicons=LEXICONS)


async def audit_page(request: Request) -> HTMLResponse:
    return _page(request, "audit.html.j2", roles=ROLES, analyses=ANALYSES)


@lru_cache(maxsize=len(STATIC))
def _static_bytes(name: str) -> bytes:
    return (HERE / "static" / name).read_bytes()


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(_static_bytes(name), media_type=STATIC[name],
                    headers={"cache-control": "no-cache"})


async def sample_csv(request: Request) -> Response:
    """The bundled synthetic hiring funnel as CSV, to try the audit page."""

    def make() -> str:
        import fairhire as fh

        frame = fh.datasets.make_hiring_funnel(2_000, random_state=7)
        return csv_safe_frame(frame).to_csv(index=False)

    text = await anyio.to_thread.run_sync(make)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="hiring_funnel.csv"'})


def _checks(result: Any) -> list[list[str]]:
    from ..report.job_ads import job_ad_view

    return [[str(a), str(b)] for a, b in job_ad_view(result).checks().itertuples(index=False)]


async def scan_live(request: Request) -> Response:
    """The page's live scan: the scan's ``to_dict()``, its checks in words, the rewrite."""
    if not _csrf_ok(request, request.headers.get(CSRF_HEADER)):
        return error_response(_CSRF_ERROR, 403)
    try:
        body = json.loads(await request.body())
        if not isinstance(body, dict):
            raise ValueError
        result = await anyio.to_thread.run_sync(scan, body.get("text"), body.get("lexicon"),
                                                False)
    except ValueError:
        return error_response(CLIError("send JSON: {\"text\": \"...\"}."))
    except FairhireError as exc:
        return error_response(exc)
    rewrite = result.rewrite()
    return JSONResponse({"scan": result.to_dict(), "checks": _checks(result),
                         "rewrite": rewrite if rewrite != result.text else None,
                         "note": HTML_PASTED if looks_like_html(result.text) else None})


async def scan_csv(request: Request) -> Response:
    """The findings of the ad in the form, as formula-safe CSV (a download)."""
    fields, _, _ = await read_form(request)
    if not _csrf_ok(request, fields.get("csrf")):
        return error_response(_CSRF_ERROR, 403)
    try:
        result = await anyio.to_thread.run_sync(scan, fields.get("text", ""), fields.get("lexicon"),
                                                False)
    except FairhireError as exc:
        return error_response(exc)
    text = csv_safe_frame(result.to_frame()).to_csv(index=False)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="findings.csv"'})


async def audit_inspect(request: Request) -> Response:
    """The columns of an upload, their guessed roles and the analyses they allow."""
    try:
        fields, data, filename = await read_form(request)
        if not _csrf_ok(request, fields.get("csrf")):
            return error_response(_CSRF_ERROR, 403)
        if data is None:
            raise CLIError("choose a file to upload.", field="file")
        notes: list[str] = []
        frame = await anyio.to_thread.run_sync(lambda: read_upload(data, filename, None, notes))
    except FairhireError as exc:
        return error_response(exc)
    roles = guess_roles(frame)
    return JSONResponse({"file": filename, "rows": len(frame), "notes": notes,
                         "columns": describe_columns(frame), "roles": roles,
                         "analyses": default_analyses(roles),
                         "in_process": guess_open(frame, roles)})


def _choices(fields: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    try:
        roles = json.loads(fields.get("roles") or "{}")
        analyses = json.loads(fields.get("analyses") or "[]")
    except ValueError:
        raise CLIError("the column roles could not be read: reload the page.", field="roles") \
            from None
    if not isinstance(roles, dict) or not isinstance(analyses, list):
        raise CLIError("the column roles could not be read: reload the page.", field="roles")
    return {str(k): str(v) for k, v in roles.items()}, [str(a) for a in analyses]


def _min_cell(text: str | None) -> int | None:
    """The form's "withhold counts below" field: blank for none, else a whole number ≥ 1."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return check_int(int(text) if text.isdigit() else text, "min_cell", low=1)
    except InvalidParameterError as exc:
        raise CLIError(f"withhold counts below: {exc}", field="min_cell") from None


#: The form's comparison settings: field -> what the page calls it
SETTINGS = {"alpha": "significance level", "threshold": "impact-ratio threshold",
            "min_n": "minimum group size"}


def _settings(fields: dict[str, str]) -> dict[str, Any]:
    """The form's comparison settings (blank: the library's default), checked as the library
    checks them; a bad one is an error on its field. ``reference`` holds the reference group
    chosen for each group column (none: the library's rule); a label the data does not have
    is the analysis's own error, shown at that column's field (:func:`_field_of`)."""
    out: dict[str, Any] = {}
    for name, label in SETTINGS.items():
        text = (fields.get(name) or "").strip()
        if text:
            try:
                out[name] = setting_text(name, text)
            except InvalidParameterError as exc:
                raise CLIError(f"{label}: {exc}", field=name) from None
    references = _json_field(fields, "references", {})
    if not isinstance(references, dict) or not all(
            isinstance(v, str) for v in references.values()):
        raise CLIError("the reference groups could not be read: reload the page.", field="form")
    # a blank choice is the default rule; a label is kept as typed (the library ignores case
    # and spaces only when no label matches exactly)
    chosen = {str(c): label for c, label in references.items() if label.strip()}
    if chosen:
        out["reference"] = chosen
    return out


def _json_field(fields: dict[str, str], name: str, empty: Any) -> Any:
    try:
        return json.loads(fields.get(name) or "null") or empty
    except ValueError:
        raise CLIError(f"the form's {name} could not be read: reload the page.",
                       field="form") from None


def _clean_notes(notes: list[str], fields: dict[str, str]) -> list[str]:
    """The notes on reading the file with the form's "withhold counts below" applied (none if
    that field is what was wrong: its counts might be meant to be withheld)."""
    from ..report.sentences import clean_note

    try:
        min_cell = _min_cell(fields.get("min_cell"))
    except CLIError:
        return []
    return [clean_note(n, min_cell) for n in notes]


def _lines(text: str | None) -> list[str]:
    """The labels typed one per line (blank lines and surrounding spaces dropped)."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def _field_of(exc: Exception, owners: list[str], roles: dict[str, str],
              entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Where the page shows an error: a column's dropdown, an analysis, a group column's
    reference group (a label the analysis does not find), or the file."""
    body: dict[str, Any] = {"error": " ".join(str(exc).split())}
    field = getattr(exc, "field", None) or "form"
    if field.startswith("analysis.") and field[9:].isdigit():
        index = int(field[9:]) - 1
        field = f"analysis:{owners[index]}" if index < len(owners) else "form"
        if isinstance(exc.__cause__, UnknownReferenceError) and index < len(entries):
            group = entries[index]["group"]
            field = f"reference:{group[0] if isinstance(group, list) else group}"
    named = [c for c in roles if f"'{c}'" in body["error"]]
    if named:
        body["column"] = named[0]
    body["field"] = field
    return body


async def _audit_events(data: bytes, filename: str, fields: dict[str, str]) -> AsyncIterator[str]:
    """Progress lines, then the report (or the error), as newline-delimited JSON."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    owners: list[str] = []
    roles: dict[str, str] = {}
    entries: list[dict[str, Any]] = []
    notes: list[str] = []  # on reading the file: shown with the report, or with the error

    def step(i: int, total: int, title: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, {"step": i, "total": total, "title": title})

    def work() -> dict[str, Any]:
        nonlocal owners, roles, entries
        frame = read_upload(data, filename, None, notes)
        roles, analyses = _choices(fields)
        config, owners = build_config(roles, analyses, frame, title=fields.get("title", ""),
                                      organization=fields.get("organization", ""),
                                      min_cell=_min_cell(fields.get("min_cell")),
                                      unknown_labels=_lines(fields.get("unknown_labels")),
                                      blank_means_no=fields.get("blank_means_no") == "1",
                                      in_process=_lines(fields.get("in_process")),
                                      settings=_settings(fields))
        entries = config["analysis"]
        out = audit(b"", filename, config, frame=frame, read_notes=notes, on_step=step,
                    formats=("html", "markdown", "json"))
        # the open applications each funnel left out, as its row account reports them
        still_open = open_notes(json.loads(out.rendered["json"])["sections"],
                                config["report"].get("min_cell"))
        return {"done": True, "notes": [*out.notes, *(o["text"] for o in still_open)],
                "still_in_process": still_open, "report": out.rendered,
                "config": config_toml(config, filename or "export.csv")}

    task = asyncio.ensure_future(anyio.to_thread.run_sync(work))
    while not task.done() or not queue.empty():
        getter = asyncio.ensure_future(queue.get())
        done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            yield json.dumps(getter.result()) + "\n"
        else:
            getter.cancel()
    try:
        yield json.dumps(task.result()) + "\n"
    except FairhireError as exc:  # with the notes on reading the file ("'$1.2m' (row 7)")
        yield json.dumps({**_field_of(exc, owners, roles, entries),
                          "notes": _clean_notes(notes, fields)}) + "\n"
    except Exception as exc:  # a bug: the page shows it instead of waiting for a last line
        yield json.dumps({"error": unexpected_message(exc), "field": "form"}) + "\n"


async def audit_run(request: Request) -> Response:
    """Run the audit the page's choices describe; stream progress, then the report."""
    try:
        fields, data, filename = await read_form(request)
    except FairhireError as exc:
        return error_response(exc)
    if not _csrf_ok(request, fields.get("csrf")):
        return error_response(_CSRF_ERROR, 403)
    if data is None:
        return error_response(CLIError("choose a file to upload.", field="file"))
    return StreamingResponse(_audit_events(data, filename, fields),
                             media_type="application/x-ndjson")


ROUTES_GET = {"/": index, "/scan": scan_page, "/audit": audit_page,
              "/audit/sample.csv": sample_csv, "/static/{name}": static}
ROUTES_POST = {"/scan/live": scan_live, "/scan/findings.csv": scan_csv,
               "/audit/inspect": audit_inspect, "/audit/run": audit_run}
