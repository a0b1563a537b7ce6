"""Arguments several subcommands share: the input file and the report options."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from .options import report_formats
from .output import notes
from .reading import read_table

__all__ = ["input_arguments", "read_input", "report_arguments"]


def input_arguments(p: argparse.ArgumentParser, what: str) -> None:
    """The data file, and how to read it."""
    p.add_argument("data", help=f"CSV, Parquet or Excel file, one row per {what}")
    g = p.add_argument_group("reading the file")
    g.add_argument("--sep", metavar="CHAR",
                   help="CSV separator, e.g. ';' or '\\t' (default: detected from the file)")
    g.add_argument("--sheet", metavar="NAME", help="Excel sheet (default: the first)")


def _separator(text: str | None) -> str | None:
    if text is None:
        return None
    return {"\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ","}.get(text, text)


def read_input(args: argparse.Namespace, columns: Sequence[str | None]) -> Any:
    """Read ``args.data``, checking ``columns`` against its header first; print read notes."""
    found: list[str] = []
    frame = read_table(args.data, columns=[c for c in columns if c], sheet=args.sheet,
                       sep=_separator(args.sep), notes=found)
    notes(found)
    return frame


def report_arguments(p: argparse.ArgumentParser) -> None:
    """``--report DIR`` and the options of the report written there."""
    g = p.add_argument_group("report (optional)")
    g.add_argument("--report", metavar="DIR", help="also write an audit report into DIR")
    g.add_argument("--format", default="html,md,json", type=report_formats, metavar="LIST",
                   help="report formats, comma-separated: html, md, json (default: all three)")
    g.add_argument("--title", help="report title (default: the analysis name)")
    g.add_argument("--organization", help="organization named on the report's cover")
