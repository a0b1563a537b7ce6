"""What the command line writes: reports, formula-safe CSV files, notes and progress."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..report.safe import csv_safe_frame
from .options import FORMATS

__all__ = ["csv_text", "note", "print_result", "progress", "write_csv", "write_report",
           "write_report_files"]


def note(message: str, *, kind: str = "note") -> None:
    """One line on standard error: ``fairhire: note: ...`` (or ``warning``)."""
    print(f"fairhire: {kind}: {message}", file=sys.stderr)


def notes(messages: Iterable[str]) -> None:
    for message in messages:
        note(message)


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

    print(console_text(result, getattr(args, "_flags", {})) if text is None else text)
    if not getattr(args, "report", None):
        return None
    import fairhire as fh

    report = fh.Report(title=args.title or title, organization=args.organization or None)
    report.add(result, include_disclosure=include_disclosure)
    write_report_files(report, args)
    return report


def write_report_files(report: Any, args: argparse.Namespace) -> None:
    """Write ``report`` into ``--report DIR`` in the ``--format`` formats, naming each file."""
    for path in write_report(report, Path(args.report), args.format):
        print(f"wrote {path}")
