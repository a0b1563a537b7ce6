"""Adverse impact at every stage of a hiring funnel.

Run it as it is: ``python examples/adverse_impact_funnel.py``. It uses the bundled synthetic
funnel; to use your own applicant-tracking export, replace the first line of ``main`` with
``applicants = pandas.read_csv("applicants.csv")`` and adjust the column names.

It prints each stage's comparison by sex, by race/ethnicity and by their intersection, and
writes the tables to ``examples/output/adverse_impact_*.csv``.
"""

from __future__ import annotations

from pathlib import Path

import fairhire as fh
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).parent / "output"
STAGES = ["screened", "interviewed", "offered", "hired"]


def main() -> None:
    applicants = fh.datasets.make_hiring_funnel(20_000, random_state=0)
    OUT.mkdir(exist_ok=True)
    for group in ("sex", "race", ["sex", "race"]):
        ai = fh.adverse_impact(
            applicants, group=group, stages=STAGES, strata="requisition", min_share=0.02
        )
        name = group if isinstance(group, str) else "_".join(group)
        print(f"\n=== {name} ===")
        for line in ai.headlines()[:6]:
            print(" -", line.text)
        flagged = ai.flagged[["stage", "group", "impact_ratio", "p_value_adjusted", "shortfall"]]
        print(flagged.round(3).to_string(index=False) if len(flagged) else "nothing flagged")
        path = OUT / f"adverse_impact_{name}.csv"
        csv_safe_frame(ai.to_frame()).to_csv(path, index=False)
        print(f"table written to {path}")


if __name__ == "__main__":
    main()
