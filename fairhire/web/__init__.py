"""``fairhire serve``: a local web app to check job ads and audit an export in a browser.

Needs the ``web`` extra (``pip install 'fairhire[web]'``: Starlette and uvicorn). Nothing
leaves the machine: the app listens on 127.0.0.1, holds uploads in memory only for the request
that carries them, and loads nothing from other sites.

- ``/scan``: paste or type a job ad; coded words are highlighted as you type, each with why,
  its source and a suggestion; the structural checks and the label update live.
- ``/audit``: upload CSV, Parquet or Excel, check the guessed column roles, pick analyses, run,
  read the report, download it as HTML, Markdown or JSON.
- JSON API: ``GET /api/health``, ``POST /api/scan``, ``POST /api/audit``.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_UPLOAD, create_app

__all__ = ["DEFAULT_MAX_UPLOAD", "create_app"]
