"""Reproducibility: the report's timestamp, the fingerprints of its input files, the versions
of the libraries that computed it, and parameters as compact text."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .._results import jsonable
from ..errors import InvalidParameterError

__all__ = ["compact", "fingerprint_inputs", "library_versions", "sha256", "timestamp"]

#: Libraries whose versions go in the reproducibility appendix.
VERSIONED = (
    "fairhire",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "narwhals",
    "jinja2",
    "matplotlib",
)


def library_versions(own: str) -> dict[str, str]:
    """Python's and each library's version (``own``: fairhire's, when not installed)."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = own if name == "fairhire" else "not installed"
    return versions


def timestamp(value: Any) -> str:
    if value is None:
        return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            _dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise InvalidParameterError(
                f"generated_at={value!r} is not an ISO 8601 date or time. Pass a datetime, a "
                "date, or a string like '2026-03-31T12:00:00+00:00'."
            ) from exc
        return value
    raise InvalidParameterError(
        f"generated_at must be a datetime, a date or an ISO 8601 string, not "
        f"{type(value).__name__}."
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def compact(value: Any) -> str:
    """A parameter value as compact, deterministic JSON text for the appendix."""
    return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True, default=str)


def fingerprint_inputs(inputs: Mapping[str, str | Path]) -> tuple[dict[str, Any], ...]:
    """Name, file name, size and SHA-256 of each input file, for the appendix."""
    if not isinstance(inputs, Mapping):
        raise InvalidParameterError(
            "inputs= must map a display name to a file path, e.g. "
            "{'applicants': 'exports/applicants.csv'}."
        )
    out = []
    for name, raw in inputs.items():
        path = Path(raw)
        if not path.is_file():
            raise InvalidParameterError(
                f"inputs[{name!r}] = {str(raw)!r} is not a readable file; pass the path of "
                "the file the analysis read, so the report can fingerprint it."
            )
        out.append(
            {
                "name": str(name),
                "file": path.name,
                "bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
        )
    return tuple(out)
