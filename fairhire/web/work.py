"""The work behind the web app's endpoints, shared by the JSON API and the pages.

Nothing here touches the network or the disk: an upload arrives as bytes, is read in memory,
analysed, rendered, and dropped when the response is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..workflow.config import check_config, parse_config
from ..workflow.errors import CLIError
from ..workflow.reading import read_table
from ..workflow.runner import build_report, named_columns, rename_columns

__all__ = ["AUDIT_LOCK", "LEXICONS", "REPORT_FORMATS", "AuditOutput", "audit", "read_upload",
           "scan"]

#: Lexicons a client may choose: built-in names only (never a path on the server).
LEXICONS = ("default", "gender-decoder")
#: format -> (Report method, media type, file extension)
REPORT_FORMATS = {
    "html": ("render_html", "text/html; charset=utf-8", "html"),
    "markdown": ("render_markdown", "text/markdown; charset=utf-8", "md"),
    "json": ("render_json", "application/json", "json"),
}
#: One audit at a time: on a small machine, two at once only make both slower; charts are
#: drawn with matplotlib, which is not thread-safe.
AUDIT_LOCK = threading.Lock()


def check_lexicon(value: Any) -> str:
    if value is None:
        return "default"
    if value not in LEXICONS:
        raise CLIError(f"lexicon={value!r} is not one of the choices: "
                       f"{', '.join(repr(x) for x in LEXICONS)}.", field="lexicon")
    return value


def scan(text: Any, lexicon: Any = None, html: bool | None = None) -> Any:
    """Scan an ad's text (checked: text, at most a megabyte of characters); ``html`` as in
    :func:`fairhire.scan_job_description` (the page passes False: it highlights the text
    as typed, in place)."""
    import fairhire as fh

    if not isinstance(text, str):
        raise CLIError(f"text must be the ad's text (a string), not {type(text).__name__}.",
                       field="text")
    return fh.scan_job_description(text, lexicon=check_lexicon(lexicon), html=html)


#: The page's note when the text typed or pasted is HTML source.
HTML_PASTED = ("This looks like HTML source: its tags are checked as words here. Paste the "
               "text the ad shows instead, or scan the HTML with the command line "
               "(fairhire scan ad.html), which reads it as the text it shows.")


def read_upload(data: bytes, filename: str, spec: Mapping[str, Any] | None = None,
                notes: list[str] | None = None, where: str = "[data]",
                look_for: Sequence[str] = ()) -> pd.DataFrame:
    """Read an uploaded table from memory; ``spec`` is the config's ``[data.NAME]`` table
    (``where`` names it in messages; ``look_for``: the columns its analyses name, which find
    the header under a title as ``fairhire audit`` finds it)."""
    spec = spec or {}
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    try:
        frame = read_table(data, name=name, sheet=spec.get("sheet"), sep=spec.get("sep"),
                           notes=notes, look_for=look_for)
    except CLIError as exc:
        raise CLIError(str(exc), field="file") from None
    return rename_columns(frame, spec, where, notes=notes)


@dataclass
class AuditOutput:
    """A finished audit: the report in each format asked for, and notes on reading the file."""

    rendered: dict[str, str]
    notes: list[str] = field(default_factory=list)


def parse_web_config(text: Any) -> dict[str, Any]:
    if not isinstance(text, str) or not text.strip():
        raise CLIError("config is missing: send the audit config (TOML) in the 'config' field.",
                       field="config")
    return parse_config(text, source="the config", web=True)


def check_format(value: Any) -> str:
    fmt = "html" if value in (None, "") else value
    if fmt == "md":
        fmt = "markdown"
    if fmt not in REPORT_FORMATS:
        raise CLIError(f"format={value!r} is not one of the choices: 'html', 'markdown', "
                       "'json'.", field="format")
    return fmt


def audit(
    data: bytes,
    filename: str,
    config: Mapping[str, Any] | str,
    *,
    formats: tuple[str, ...] = ("html",),
    on_step: Callable[[int, int, str], None] | None = None,
    frame: pd.DataFrame | None = None,
    read_notes: Sequence[str] = (),
) -> AuditOutput:
    """Run an audit config (TOML text or a dict) on an uploaded file and render the report.

    ``frame`` is the upload already read (by the audit page), ``read_notes`` the notes on
    reading it: they go into the report's sections, as ``fairhire audit`` puts them there.
    Audits run one at a time (:data:`AUDIT_LOCK`), reading, analysing and rendering included.
    """
    if isinstance(config, str):
        checked = parse_web_config(config)
    else:
        checked = check_config(dict(config), web=True)
    spec = next(iter(checked.get("data", {}).values()), {})
    name = next(iter(checked.get("data", {})), "upload")
    notes: list[str] = list(read_notes) if frame is not None else []
    steps = len(checked["analysis"]) + 1

    def step(i: int, _total: int, title: str) -> None:
        if on_step is not None:
            on_step(i, steps, title)

    with AUDIT_LOCK:
        table = frame if frame is not None else read_upload(
            data, filename, spec, notes, f"[data.{name}]", named_columns(checked, name))
        report = build_report(checked, {name: table}, on_step=step,
                              data_notes={name: notes})
        step(steps, steps, "writing the report")
        rendered = {fmt: getattr(report, REPORT_FORMATS[fmt][0])() for fmt in formats}
    from ..report.sentences import clean_note

    # shown next to the report: small counts withheld as in it
    min_cell = checked.get("report", {}).get("min_cell")
    return AuditOutput(rendered=rendered, notes=[clean_note(n, min_cell) for n in notes])
