"""``fairhire demo``: the full audit of the bundled synthetic company."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..workflow.options import report_formats
from .output import write_report

NAME = "demo"
HELP = "write the full demo audit of the bundled synthetic company"
EXAMPLE = "fairhire demo --out reports/demo"
FLAGS: dict[str, str] = {}


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="reports/demo", metavar="DIR",
                   help="output folder (default: reports/demo)")
    p.add_argument("--format", default="html,md,json", type=report_formats, metavar="LIST",
                   help="report formats, comma-separated: html, md, json (default: all three)")


def run(args: argparse.Namespace) -> int:
    from ..demo import build_demo_report

    report = build_demo_report()
    for path in write_report(report, Path(args.out), args.format):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0
