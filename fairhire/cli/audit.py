"""``fairhire audit``: the whole audit a TOML config describes."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..workflow.config import load_config
from ..workflow.options import check_formats
from ..workflow.runner import build_report, load_inputs
from .output import notes, progress, write_report

NAME = "audit"
HELP = "run the whole audit a TOML config describes"
EXAMPLE = "fairhire audit examples/audit.toml"
FLAGS: dict[str, str] = {}


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", help="the audit config (TOML); see the docs' command-line page")
    p.add_argument("--out", metavar="DIR", help="output folder (overrides [report].output)")


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    found: dict[str, list[str]] = {}
    inputs = load_inputs(config, notes=found)
    notes([n for own in found.values() for n in own], config.get("report", {}).get("min_cell"))
    bar = progress(len(config["analysis"]), "analyses")

    def step(i: int, total: int, title: str) -> None:
        bar.set_description(title)
        if i > 1:
            bar.update()

    report = build_report(config, inputs, on_step=step, data_notes=found)
    bar.close()
    rep = config.get("report", {})
    folder = Path(args.out) if args.out else config["_base"] / rep.get("output", "reports/audit")
    formats = check_formats(rep.get("formats", ["html", "md", "json"]), "report.formats")
    for path in write_report(report, folder, formats):
        print(f"wrote {path}")
    return 0
