"""Audit reports: render fairhire results to HTML, Markdown and JSON.

:class:`fairhire.Report` (in :mod:`fairhire.report.report`) collects results; each result type
maps to a Jinja partial in :mod:`fairhire.report.registry`. ``PARTIALS.md`` in this folder is
the contract for adding a partial, a chart (``charts/<area>.py``) and methodology text
(``methods/<partial>.toml``).
"""
