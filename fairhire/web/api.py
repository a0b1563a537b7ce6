"""The JSON API, for scripts and tests: ``/api/health``, ``/api/scan``, ``/api/audit``.

Bad input answers 400 with ``{"error": "<the command line's one-line message>"}``; a body over
the size limit answers 413. The API takes no token (scripts have none); the security
middleware refuses requests from other sites' pages (their ``Origin`` header).
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..errors import FairhireError
from ..workflow.errors import CLIError
from .security import BodyTooLarge
from .work import REPORT_FORMATS, audit, check_format, scan

__all__ = ["api_audit", "api_health", "api_scan", "error_response", "read_form"]

#: Text fields of a form (the config, the choices) are small; files are limited by the app.
MAX_FIELD = 1024 * 1024


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def error_response(exc: Exception, status: int = 400) -> JSONResponse:
    """``{"error": ...}`` (plus ``field`` when the error concerns one) with ``status``."""
    body: dict[str, Any] = {"error": one_line(str(exc))}
    if getattr(exc, "field", None):
        body["field"] = exc.field
    return JSONResponse(body, status_code=status)


async def read_form(request: Request) -> tuple[dict[str, str], bytes | None, str]:
    """A multipart form: its text fields, the bytes of its ``file`` (or None) and its name.

    The file is read into memory and the form (with Starlette's spooled temporary file) is
    closed before this returns, so nothing of the upload is left on disk.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise CLIError("send a multipart form (file=..., config=...).", field="file")
    try:
        async with request.form(max_files=1, max_fields=20, max_part_size=MAX_FIELD) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                return fields, None, ""
            return fields, await upload.read(), upload.filename or "upload"
    except BodyTooLarge:
        raise
    except HTTPException as exc:  # Starlette's answer to a malformed or oversized form part
        raise CLIError(f"the form could not be read: {exc.detail}.", field="file") from None


async def api_health(request: Request) -> JSONResponse:
    """``GET /api/health`` -> ``{"status": "ok", "version": ...}``."""
    return JSONResponse({"status": "ok", "version": __version__})


async def api_scan(request: Request) -> Response:
    """``POST /api/scan`` ``{"text": ..., "lexicon": ...}`` -> the scan's ``to_dict()``."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        return error_response(CLIError('send JSON: {"text": "...", "lexicon": "default"}.'))
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return error_response(CLIError('the body is not valid JSON; send {"text": "..."}.'))
    if not isinstance(body, dict) or "text" not in body:
        return error_response(CLIError('send a JSON object with the ad\'s text: {"text": "..."}.'))
    unknown = sorted(set(body) - {"text", "lexicon"})
    if unknown:
        return error_response(CLIError(f"unknown key(s) {unknown}; allowed: text, lexicon."))
    try:
        result = await anyio.to_thread.run_sync(scan, body["text"], body.get("lexicon"))
    except FairhireError as exc:
        return error_response(exc)
    return JSONResponse(result.to_dict())


async def api_audit(request: Request) -> Response:
    """``POST /api/audit``: multipart ``file`` + ``config`` (TOML) + ``format`` -> the report."""
    try:
        fields, data, filename = await read_form(request)
        if data is None:
            raise CLIError("no file: send the data as the multipart field 'file'.", field="file")
        fmt = check_format(fields.get("format"))
        output = await anyio.to_thread.run_sync(
            lambda: audit(data, filename, fields.get("config", ""), formats=(fmt,))
        )
    except FairhireError as exc:
        return error_response(exc)
    media = REPORT_FORMATS[fmt][1]
    return Response(output.rendered[fmt], media_type=media)
