"""Write the demo audit report for a synthetic company: ``make demo``.

Builds every analysis that exists for the bundled synthetic data and renders them into
``reports/demo/audit.html``, ``audit.md`` and ``audit.json``; prints the adverse-impact table.

Adding a section is one line in ``SECTIONS``: a title and a function that returns a fairhire
result. A line whose analysis is not part of this fairhire build yet is skipped with a message.

Run:  python examples/demo.py [--out DIR] [--applicants N]
Set SOURCE_DATE_EPOCH (seconds since 1970) to fix the report's timestamp: the output is then
byte-identical run to run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

import fairhire as fh

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["screened", "interviewed", "offered", "hired"]
SETTINGS = {"applicants": 10_000}


@cache
def funnel() -> pd.DataFrame:
    """The synthetic applicant-level hiring funnel (10,000 applicants, 50 requisitions)."""
    return fh.datasets.make_hiring_funnel(SETTINGS["applicants"], random_state=0)


# (section title, function returning a result). One line per section.
SECTIONS: list[tuple[str, Callable[[], Any]]] = [
    ("Hiring funnel by sex", lambda: fh.adverse_impact(
        funnel(), group="sex", stages=STAGES, strata="requisition")),
    ("Hiring funnel by race/ethnicity", lambda: fh.adverse_impact(
        funnel(), group="race", stages=STAGES, min_share=0.02)),
    ("Hiring funnel by age band", lambda: fh.adverse_impact(
        funnel(), group="age_band", stages=STAGES)),
]  # fmt: skip


def _generated_at() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_report() -> fh.Report:
    report = fh.Report(
        title="Hiring and workforce fairness audit",
        organization="Example Corp (synthetic data)",
        period="Fiscal year 2025",
        author="fairhire demo",
        generated_at=_generated_at(),
    )
    for title, make in SECTIONS:
        try:
            result = make()
        except (ImportError, AttributeError) as exc:  # analysis not in this build yet
            print(f"skipped {title!r}: {exc}", file=sys.stderr)
            continue
        report.add(result, title=title)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "demo",
                        help="output folder (default: reports/demo)")
    parser.add_argument("--applicants", type=int, default=SETTINGS["applicants"],
                        help="size of the synthetic applicant pool (default: 10,000)")
    args = parser.parse_args(argv)
    SETTINGS["applicants"] = args.applicants
    funnel.cache_clear()

    report = build_report()
    for section in report.sections:
        if section.kind == "adverse impact":
            table = section.result.table
            cols = ["stage", "group", "applicants", "selected", "selection_rate",
                    "impact_ratio", "adverse_impact", "p_value_fisher", "p_value_adjusted"]
            print(f"\n{section.title}")
            with pd.option_context("display.width", 140, "display.max_columns", 20,
                                   "display.float_format", "{:.3f}".format):
                print(table[cols].to_string(index=False))

    out = args.out
    paths = [report.to_html(out / "audit.html"), report.to_markdown(out / "audit.md"),
             report.to_json(out / "audit.json")]
    print()
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
