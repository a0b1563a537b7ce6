"""What the command line writes: reports, formula-safe CSV files, notes and progress."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..report.safe import csv_safe_frame
from ..workflow.options import FORMATS

__all__ = ["SafeStream", "csv_text", "new_report", "note", "print_result", "progress", "terminal_safe",
           "write_csv", "write_report", "write_report_files"]

# Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides: in a
# label they could recolour the terminal, retitle its window or reorder the line shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    r"""``text`` with its control characters written as escapes, safe to print on a terminal.

    Examples
    --------
    >>> terminal_safe("\x1b[31mRed\tgroup\u202e")
    '\\x1b[31mRed\tgroup\\u202e'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                        else f"\\u{ord(m[0]):04x}", text)


class SafeStream:
    """A text stream that writes through :func:`terminal_safe` (everything the command prints
    passes through it, whatever module prints it)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def note(message: str, *, kind: str = "note") -> None:
    """One line on standard error: ``fairhire: note: ...`` (or ``warning``)."""
    print(f"fairhire: {kind}: {terminal_safe(message)}", file=sys.stderr)


def notes(messages: Iterable[str], min_cell: int | None = None) -> None:
    """Print notes on standard error; with ``min_cell``, small counts in them are withheld
    as in the report ("'N/A' (fewer than 5)")."""
    from ..report.sentences import clean_note

    for message in messages:
        note(clean_note(message, min_cell))


def progress(total: int, desc: str) -> Any:
    """A progress bar on standard error, shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, disable=not sys.stderr.isatty(), leave=False)


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text whose cells cannot start a spreadsheet formula."""
    return csv_safe_frame(frame).to_csv(index=False)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as formula-safe CSV (UTF-8 with a byte-order mark, which Excel reads)."""
    path = Path(path)
    path.write_text(csv_text(frame), encoding="utf-8-sig")
    return path


def write_report(report: Any, out: Path, formats: Sequence[str], stem: str = "audit") -> list[Path]:
    """Write ``report`` into folder ``out`` in each format; return the paths written."""
    if str(out) == "-":  # the screen, as some commands take it for a file: not a folder
        from ..workflow.errors import CLIError

        raise CLIError("a report is a folder of files (audit.html, audit.md, audit.json); '-' "
                       "(the screen) cannot hold them. Give a folder, e.g. --report audit-out.")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in dict.fromkeys(formats):
        ext = "md" if fmt in {"md", "markdown"} else fmt
        paths.append(Path(getattr(report, FORMATS[fmt])(out / f"{stem}.{ext}")))
    return paths


def print_result(result: Any, args: argparse.Namespace, title: str, *,
                 include_disclosure: bool = False, text: str | None = None) -> Any:
    """Print a result (``text``, or its console summary); with ``--report DIR`` also write
    the report. Returns the report written, or None."""
    from .console import console_text

    min_cell = getattr(args, "min_cell", None)
    print(console_text(result, getattr(args, "_flags", {}), min_cell) if text is None else text)
    if not getattr(args, "report", None):
        return None
    report = new_report(args, title)
    report.add(result, include_disclosure=include_disclosure,
               data_notes=getattr(args, "_read_notes", ()))
    write_report_files(report, args)
    return report


def new_report(args: argparse.Namespace, title: str) -> Any:
    """An empty :class:`~fairhire.Report` with the ``--title``, ``--organization`` and
    ``--min-cell`` of the report options."""
    import fairhire as fh

    return fh.Report(title=args.title or title, organization=args.organization or None,
                     min_cell=getattr(args, "min_cell", None))


def write_report_files(report: Any, args: argparse.Namespace) -> None:
    """Write ``report`` into ``--report DIR`` in the ``--format`` formats, naming each file."""
    for path in write_report(report, Path(args.report), args.format):
        print(f"wrote {path}")
