"""A NYC Local Law 144 bias audit from a CSV of applicants, in one call.

Run it as it is: ``python examples/ll144_audit.py``. It first writes a CSV of applicants from the
bundled synthetic hiring funnel (an automated résumé screener decided who was "screened" in),
then does what an auditor does with a real export: reads the CSV, runs the audit, prints the
sex, race/ethnicity and intersectional tables, and writes the summary of results as HTML and
Markdown under ``examples/output/``. To audit your own tool, point ``CSV`` at your export and
change the column names and the disclosure fields.

A second audit shows a tool that *scores* candidates: scoring rates are the share of each
category scoring above the median score of the full sample.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import fairhire as fh
from fairhire.datasets.assessment import make_assessment_scores
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).parent / "output"
CSV = OUT / "ll144_applicants.csv"

DISCLOSURES = {
    "tool_name": "ScreenRight résumé screener (synthetic example)",
    "tool_distribution_date": "2024-09-01",
    "audit_date": "2026-01-15",
    "auditor": "Example Independent Audits LLC",
    "employer": "Example Corp",
    "data_source": "Historical data from Example Corp's use of the tool (synthetic for this example)",
    "data_description": "Every applicant the tool screened; sex and race/ethnicity self-identified "
    "on the voluntary EEO form, missing when not disclosed.",
    "data_period": ("2025-01-01", "2025-12-31"),
}


def write_applicants_csv() -> None:
    applicants = fh.datasets.make_hiring_funnel(12_000, random_state=7)
    # what an ATS export looks like: one row per applicant, the tool's decision as True/False,
    # and self-identification that some applicants declined
    export = applicants[["applicant_id", "sex", "race", "screened"]].copy()
    export.loc[export.index % 97 == 0, "race"] = "Decline to self-identify"
    csv_safe_frame(export).to_csv(CSV, index=False)


def show(ll: fh.LL144Audit) -> None:
    rate = ll.rate_column
    for name in ("sex", "race/ethnicity", "intersectional"):
        table = ll.published_table(name)
        table[rate] = (table[rate] * 100).round(1).astype(str) + "%"
        table["impact_ratio"] = table["impact_ratio"].round(3)
        table["note"] = table["note"].str.slice(0, 40)
        print(f"\n{name.capitalize()} categories")
        print(table.to_string(index=False))
    print(f"\nUnknown category (not in any ratio): {ll.n_unknown:,} individuals")
    print(ll.unknown.to_string(index=False))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write_applicants_csv()

    applicants = pd.read_csv(CSV)
    ll = fh.ll144_audit(
        applicants,
        sex="sex",
        race="race",
        selected="screened",
        min_share=0.02,
        category_map={"Non-binary": "Other"},
        **DISCLOSURES,
    )
    print("=== Selection-rate audit (the tool selects candidates) ===")
    show(ll)
    for h in ll.headlines():
        print(" -", h.text)

    scored = make_assessment_scores(8_000, random_state=3)
    ll_score = fh.ll144_audit(
        scored,
        sex="sex",
        race="race",
        score="score",
        min_share=0.02,
        **{**DISCLOSURES, "tool_name": "ScreenRight assessment score (synthetic example)"},
    )
    print(f"\n=== Scoring-rate audit (median score {ll_score.median_score:g}) ===")
    show(ll_score)

    report = fh.Report(
        title="Bias audit of an automated employment decision tool: summary of results",
        organization="Example Corp",
        period="2025",
        generated_at="2026-01-15T00:00:00+00:00",
    )
    report.add(ll, title="Résumé screener: selection rates")
    report.add(ll_score, title="Assessment: scoring rates")
    html = report.to_html(OUT / "ll144_summary.html")
    md = report.to_markdown(OUT / "ll144_summary.md")
    csv_safe_frame(ll.to_frame()).to_csv(OUT / "ll144_tables.csv", index=False)
    print(f"\nsummary of results written to {html} and {md}")


if __name__ == "__main__":
    main()
