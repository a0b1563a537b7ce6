"""``fairhire compare``: what changed between two audits, finding by finding."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .._core.text import format_count
from ..errors import FairhireError
from ..workflow.errors import CLIError, in_cli_words
from ..workflow.options import choice
from .output import csv_text

NAME = "compare"
HELP = "compare two audits (audit.json files): new, worse, unchanged, better, resolved"
EXAMPLE = "fairhire compare reports/2025/audit.json reports/2026/audit.json"
FLAGS: dict[str, str] = {}

def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("previous", metavar="OLD.json", help="the earlier audit (its audit.json)")
    p.add_argument("current", metavar="NEW.json", help="the later audit (its audit.json)")
    p.add_argument("--format", type=choice("format", ["table", "csv", "json"]), default="table",
                   metavar="{table,csv,json}",
                   help="output: table (one sentence per finding, the default), csv (one row "
                   "per finding) or json (the whole comparison)")
    p.add_argument("--output", metavar="FILE",
                   help="write to FILE instead of the screen ('-': the screen)")


def read_audit_file(path: str, flag: str = "") -> Path:
    """Check that an audit file exists and holds JSON (one error line if not); its path."""
    file, named = Path(path), f"{flag} {path}".strip()
    if not file.is_file():
        raise CLIError(f"{named}: file not found.")
    try:
        json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CLIError(f"{named} is not an audit.json (not valid JSON: {exc}).") from None
    return file


def comparison_lines(comparison: Any) -> list[str]:
    """The comparison as lines: the tally, one sentence per finding, the warnings."""
    lines = [comparison.summary().splitlines()[0], comparison.summary().splitlines()[1]]
    table = comparison.table
    if len(table):
        lines += [""] + [f"  {comparison.sentence(row)}" for row in table.to_dict("records")]
    if comparison.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in comparison.warnings]
    return lines


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    before, after = read_audit_file(args.previous), read_audit_file(args.current)
    try:  # the library reads the files again: its messages name them
        comparison = fh.compare_audits(before, after)
    except FairhireError as exc:
        raise CLIError(in_cli_words(exc)) from None
    if args.format == "csv":
        text = csv_text(comparison.table)
    elif args.format == "json":
        text = json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False, default=str)
    else:
        text = "\n".join(comparison_lines(comparison))
    if args.output and args.output != "-":  # '-' is the screen
        Path(args.output).write_text(text, encoding="utf-8-sig" if args.format == "csv"
                                     else "utf-8")
        n = len(comparison.table)
        print(f"wrote {format_count(n)} finding{'' if n == 1 else 's'} to {args.output}")
    else:
        print(text)
    return 0
