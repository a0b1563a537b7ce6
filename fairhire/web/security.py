"""What keeps the local web app safe: hosts, origins, body size, CSRF tokens, headers.

- **Host**: requests must name a host the app serves (127.0.0.1, localhost, ::1 when bound to
  the loopback), so a web page cannot reach the app through DNS rebinding.
- **Origin**: a POST that carries an ``Origin`` header must come from the app's own origin; a
  page on another site cannot post a form or a file to it. Scripts (curl) send no Origin.
- **CSRF token**: the app's own forms also send a token that matches a ``SameSite=Strict``
  cookie (double submit).
- **Size**: a body larger than the limit is refused with 413 before it is read in full.
- **Headers**: a Content-Security-Policy that runs only the app's own scripts, no framing by
  other sites, no caching, no referrer, no MIME sniffing.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CSP",
    "CSRF_COOKIE",
    "BodyTooLarge",
    "SecurityMiddleware",
    "check_csrf",
    "new_token",
]

#: Scripts and connections only from the app itself; styles from the app (inline styles are
#: needed by the audit report, which the page shows in a sandboxed frame); images inline.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
CSRF_COOKIE = "fairhire_csrf"
CSRF_HEADER = "x-csrf-token"
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class BodyTooLarge(Exception):
    """The request body is larger than the configured limit."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_csrf(cookie: str | None, sent: str | None) -> bool:
    """True when the token sent with a form matches the cookie (compared in constant time)."""
    return bool(cookie) and bool(sent) and hmac.compare_digest(str(cookie), str(sent))


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _hostname(host: str) -> str:
    if host.startswith("["):  # [::1]:8765
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _send_json(send: Any, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
        *HEADERS,
    ]})
    await send({"type": "http.response.body", "body": data})


class SecurityMiddleware:
    """Pure ASGI middleware: host and origin checks, body limit, security headers."""

    def __init__(self, app: Any, *, max_body: int, allowed_hosts: Iterable[str] | None) -> None:
        self.app = app
        self.max_body = max_body
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    def _refusal(self, scope: dict[str, Any]) -> tuple[int, str] | None:
        host = (_header(scope, b"host") or "").lower()
        if self.allowed_hosts is not None and _hostname(host) not in self.allowed_hosts:
            return 400, f"unknown host {host!r}: open the app at http://127.0.0.1."
        origin = _header(scope, b"origin")
        if scope["method"] not in {"GET", "HEAD", "OPTIONS"} and origin is not None:
            scheme = scope.get("scheme", "http")
            if origin.lower() != f"{scheme}://{host}":
                return 403, "cross-site request refused: use the app's own pages."
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            return 413, self.too_large_message()
        return None

    def too_large_message(self) -> str:
        mb = self.max_body / 1024 / 1024
        size = f"{mb:,.0f} MB" if mb >= 10 else f"{mb:.2g} MB"
        return (f"the upload is larger than the limit of {size}; start the app with "
                "a larger --max-upload MB, or upload fewer rows or columns.")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await _send_json(send, refusal[0], {"error": refusal[1]})
            return
        seen = 0

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise BodyTooLarge(self.too_large_message())
            return message

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)
