"""Write the demo audit report for a synthetic company: ``make demo``.

Runs every analysis on the bundled synthetic data (job ads, hiring funnel, NYC LL144, pay,
promotion, interviews) and renders them into ``reports/demo/audit.html``, ``audit.md`` and
``audit.json``; prints the adverse-impact tables. The sections are listed in
``fairhire/demo.py`` (one line each); ``fairhire demo`` runs the same audit.

Run:  python examples/demo.py [--out DIR]
Set SOURCE_DATE_EPOCH (seconds since 1970) to fix the report's timestamp: the output is then
byte-identical run to run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from fairhire.demo import build_demo_report

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "demo",
                        help="output folder (default: reports/demo)")  # fmt: skip
    parser.add_argument("--applicants", type=int, default=10_000,
                        help="size of the synthetic applicant pool (default 10,000)")  # fmt: skip
    args = parser.parse_args(argv)

    report = build_demo_report(n_applicants=args.applicants)
    for section in report.sections:
        if section.kind == "adverse impact":
            table = section.result.table
            cols = ["stage", "group", "applicants", "selected", "selection_rate",
                    "impact_ratio", "adverse_impact", "p_value_fisher", "p_value_adjusted"]  # fmt: skip
            print(f"\n{section.title}")
            with pd.option_context("display.width", 140, "display.max_columns", 20,
                                   "display.float_format", "{:.3f}".format):  # fmt: skip
                print(table[cols].to_string(index=False))

    out = args.out
    paths = [report.to_html(out / "audit.html"), report.to_markdown(out / "audit.md"),
             report.to_json(out / "audit.json")]  # fmt: skip
    print()
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
