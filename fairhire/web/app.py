"""The Starlette application of ``fairhire serve``."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..workflow.errors import unexpected_message
from .api import api_audit, api_health, api_scan
from .pages import ROUTES_GET, ROUTES_POST
from .security import LOOPBACK_HOSTS, BodyTooLarge, SecurityMiddleware

__all__ = ["DEFAULT_MAX_UPLOAD", "create_app"]

#: Largest request body accepted by default (50 MB): a few hundred thousand CSV rows.
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024


async def _too_large(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=413)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: the API's JSON error (the server log has the traceback), not a bare 500 page."""
    return JSONResponse({"error": unexpected_message(exc)}, status_code=500)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": f"no page at {request.url.path}."}, status_code=404)


async def _not_allowed(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": f"{request.method} is not allowed on {request.url.path}."},
                        status_code=405)


def create_app(
    *,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS,
) -> Starlette:
    """The web app (an ASGI application), for ``uvicorn`` or a test client.

    ``max_upload`` is the largest request body in bytes (larger ones get 413);
    ``allowed_hosts`` the host names requests may use (None accepts any: only for an app
    bound to a non-loopback address on purpose).

    Examples
    --------
    >>> from starlette.testclient import TestClient
    >>> client = TestClient(create_app(), base_url="http://127.0.0.1:8765")
    >>> client.get("/api/health").json()["status"]
    'ok'
    """
    routes = [
        Route("/api/health", api_health, methods=["GET"]),
        Route("/api/scan", api_scan, methods=["POST"]),
        Route("/api/audit", api_audit, methods=["POST"]),
        *(Route(path, handler, methods=["GET"]) for path, handler in ROUTES_GET.items()),
        *(Route(path, handler, methods=["POST"]) for path, handler in ROUTES_POST.items()),
    ]
    middleware = [
        Middleware(SecurityMiddleware, max_body=max_upload, allowed_hosts=allowed_hosts)
    ]
    handlers = {BodyTooLarge: _too_large, 404: _not_found, 405: _not_allowed,
                Exception: _unexpected}
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
