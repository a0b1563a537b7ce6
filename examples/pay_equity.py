"""Pay equity audit of a synthetic workforce: statutory metrics, adjusted gaps, decomposition,
and the cheapest remediation.

Run it as it is:

    .venv/bin/python examples/pay_equity.py

It builds a 5,000-employee workforce with known disparities (women paid about 4% less than
comparable men, fewer women at senior levels), then prints what each analysis finds and writes
the tables to ``examples/output/pay_equity/``. Swap ``make_workforce`` for your own export (one
row per employee) and rename the columns in the calls below.
"""

from __future__ import annotations

import json
from pathlib import Path

import fairhire as fh
from fairhire.datasets.workforce import WORKFORCE_TRUTH
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).resolve().parent / "output" / "pay_equity"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    staff = fh.datasets.make_workforce(5000, random_state=2026)
    # actual annual pay and hours for the EU indicators (salary is the full-time equivalent)
    staff["annual_pay"] = staff["salary"] * staff["hours"] / 37.5
    staff["annual_hours"] = staff["hours"] * 52

    print("=" * 78)
    print("1. UK gender pay gap reporting (SI 2017/172)")
    print("=" * 78)
    uk = fh.uk_pay_gap_metrics(
        staff, hourly_pay="hourly_pay", sex="sex", bonus="bonus", full_pay="full_pay"
    )
    print(uk.summary())

    print()
    print("=" * 78)
    print("2. EU Pay Transparency Directive, Art. 9 indicators and Art. 10 flags")
    print("=" * 78)
    eu = fh.eu_pay_transparency_metrics(
        staff,
        pay="annual_pay",
        variable_pay="bonus",
        hours="annual_hours",
        sex="sex",
        category="level",
    )
    print(eu.summary())

    print()
    print("=" * 78)
    print("3. Adjusted pay gap (OLS on log salary, HC3 standard errors)")
    print("=" * 78)
    gap = fh.pay_gap(
        staff,
        pay="salary",
        group="sex",
        controls=["level", "job_family", "location", "tenure_years"],
        tainted=["performance_rating"],
        within="job_family",
        id="employee_id",
    )
    print(gap.summary())
    truth = WORKFORCE_TRUTH["pay_gap_within_level_family"] * 100
    female = gap.overall.set_index("group").loc["Female"]
    print(
        f"Injected truth: {truth:.1f}%; estimated {female.adjusted_gap:.2f}% "
        f"(95% CI {female.ci_low:.2f}% to {female.ci_high:.2f}%)."
    )
    by_race = fh.pay_gap(
        staff,
        pay="salary",
        group="race",
        controls=["level", "job_family", "location", "tenure_years", "performance_rating"],
    )
    print()
    # the reference group: the best-paid group large enough to give stable figures
    # (at least min_n=5 employees and 2% of them); pass reference="White" to choose another
    print(f"By race/ethnicity (each group against {by_race.reference_group}):")
    print(
        by_race.overall[["group", "n", "mean_gap_pct", "adjusted_gap", "t", "flagged", "note"]]
        .round(2)
        .to_string(index=False)
    )

    print()
    print("=" * 78)
    print("4. Oaxaca-Blinder decomposition of the log-pay gap")
    print("=" * 78)
    # the same legitimate pay factors as the adjusted gap above, so that the two analyses
    # explain the gap with the same controls
    ob = fh.oaxaca_blinder(
        staff,
        outcome="salary",
        group="sex",
        features=["level", "job_family", "location", "tenure_years", "performance_rating"],
        log=True,
    )
    print(ob.summary())
    explained = ob.detailed[ob.detailed.component == "explained"]
    print("Explained part by variable (log points):")
    print(explained[["variable", "estimate", "std_error"]].round(4).to_string(index=False))

    print()
    print("=" * 78)
    print("5. Remediation: the cheapest raises that close the adjusted gap")
    print("=" * 78)
    plan = fh.pay_remediation(gap, target="not_significant", max_raise=0.15)
    print(plan.summary())

    # tables for the HR team and the auditors
    csv_safe_frame(uk.metrics).to_csv(OUT / "uk_metrics.csv", index=False)
    csv_safe_frame(uk.quartiles).to_csv(OUT / "uk_quartiles.csv", index=False)
    csv_safe_frame(eu.indicators).to_csv(OUT / "eu_indicators.csv", index=False)
    csv_safe_frame(eu.categories).to_csv(OUT / "eu_categories.csv", index=False)
    csv_safe_frame(gap.table).to_csv(OUT / "pay_gap.csv", index=False)
    csv_safe_frame(gap.outliers).to_csv(OUT / "pay_outliers_for_review.csv", index=False)
    csv_safe_frame(ob.detailed).to_csv(OUT / "oaxaca_detailed.csv", index=False)
    csv_safe_frame(plan.raises).to_csv(OUT / "remediation_raises.csv", index=False)
    csv_safe_frame(plan.comparison).to_csv(OUT / "remediation_comparison.csv", index=False)
    summary = {
        "uk": uk.to_dict(),
        "eu": eu.to_dict(),
        "pay_gap": gap.to_dict(),
        "oaxaca_blinder": ob.to_dict(),
        "remediation": plan.to_dict(),
    }
    (OUT / "pay_equity.json").write_text(json.dumps(summary, indent=1, default=str))

    # the audit report an auditor reads (HTML with charts, and Markdown)
    report = fh.Report(title="Pay equity audit (synthetic data)", organization="Example Co")
    report.add(uk).add(eu)
    report.add(gap, title="Pay gaps by sex")
    report.add(by_race, title="Pay gaps by race/ethnicity")
    report.add(ob).add(plan)
    report.to_html(OUT / "pay_equity_report.html")
    report.to_markdown(OUT / "pay_equity_report.md")
    print()
    print(f"Tables and the report written to {OUT}")


if __name__ == "__main__":
    main()
