"""The cut-off search on a synthetic assessment score: which pass mark has the least adverse impact?

Run it as it is: ``python examples/cutoff_search.py``. The synthetic assessment
(``fairhire.datasets.assessment.make_assessment_scores``) has a documented group gap: Black
applicants score 0.6 SD and Hispanic or Latino applicants 0.35 SD lower on average, while the
later outcome (``qualified``) has the same base rate in every group. The script

1. tries every candidate cut-off (one cut-off for everyone) and prints where adverse impact
   starts;
2. for a target of 1,500 selections, compares the strict top-down cut-off with the cut-off of
   least adverse impact among those selecting 1,500 to 1,950;
3. audits the chosen cut-off as a screening model, with the true outcomes, to show who among
   the qualified candidates is passed over.

Outputs go to ``examples/output/cutoff_*.csv`` and ``cutoff_report.html``. Group-specific
cut-offs are not offered: they are prohibited in US employment (Civil Rights Act of 1991 §106).
"""

from __future__ import annotations

from pathlib import Path

import fairhire as fh
from fairhire.datasets.assessment import make_assessment_scores
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).parent / "output"
TARGET = 1_500


def main() -> None:
    OUT.mkdir(exist_ok=True)
    applicants = make_assessment_scores(8_000, random_state=21)
    cut = fh.cutoff_analysis(
        applicants,
        score="score",
        group="race",
        min_share=0.02,
        target_selected=TARGET,
        target_tolerance=0.3,
    )
    bc = cut.by_cutoff
    view = bc.loc[
        bc["cutoff"].between(50, 75),
        [
            "cutoff",
            "selected",
            "selection_rate",
            "min_impact_ratio",
            "lowest_group",
            "no_adverse_impact",
        ],
    ]
    print("Adverse impact by cut-off (cut-offs 50 to 75):")
    print(view.round(3).to_string(index=False))
    ranges = ", ".join(f"{lo:g}–{hi:g}" for lo, hi in cut.no_adverse_impact_ranges) or "none"
    print(f"\nCut-offs without adverse impact: {ranges}")
    for h in cut.headlines():
        print(" -", h.text)
    for label, c in (("top-down", cut.top_down_cutoff), ("least adverse", cut.best_cutoff)):
        rows = cut.at(c)[
            ["group", "applicants", "selected", "selection_rate", "impact_ratio", "adverse_impact"]
        ]
        print(f"\nAt the {label} cut-off {c:g}:")
        print(rows.round(3).to_string(index=False))

    known = applicants.dropna(subset=["race"])
    audit = fh.audit_screening_model(
        known["score"].to_numpy(),
        sensitive_features=known["race"],
        y_true=known["qualified"],
        score_threshold=cut.best_cutoff,
        min_share=0.02,
    )
    er = audit.error_rates[
        ["group", "applicants", "qualified", "true_positive_rate", "false_positive_rate", "auc"]
    ]
    print(f"\nQualified candidates selected at cut-off {cut.best_cutoff:g} (true-positive rate):")
    print(er.round(3).to_string(index=False))

    csv_safe_frame(bc).to_csv(OUT / "cutoff_by_cutoff.csv", index=False)
    csv_safe_frame(cut.to_frame()).to_csv(OUT / "cutoff_by_group.csv", index=False)
    report = fh.Report(
        title="Assessment cut-off review",
        organization="Example Corp",
        generated_at="2026-01-15T00:00:00+00:00",
    )
    report.add(cut).add(audit, title="The chosen cut-off as a screening model")
    path = report.to_html(OUT / "cutoff_report.html")
    print(f"\ntables written to {OUT}; report: {path}")


if __name__ == "__main__":
    main()
