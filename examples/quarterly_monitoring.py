"""Quarterly monitoring: audit every quarter, keep the audit, compare it with the last one.

Run it as it is: ``python examples/quarterly_monitoring.py``. It uses a synthetic applicant
export over eight quarters (``fh.datasets.make_hiring_funnel(periods=8, drift=...)``) in which
women's résumé-screen pass rate was made to fall to 0.6 times its usual value from the fifth
quarter (2025-Q1) on. Monitoring should find it there.

To use your own export, replace the first line of ``main`` with
``applicants = pandas.read_csv("applicants.csv", parse_dates=["applied_on"])``: one row per
applicant with the application date, the group (sex) and one True/False column per stage.

It does what an HR team does each year:

1. ``fh.monitor``: every quarter's audit, the trend at each stage and the alerts;
2. a report of last year's hiring, kept as JSON (``output/audit-2024.json``);
3. this year's report, compared with last year's (``fh.compare_audits``): new, resolved,
   worse, better and unchanged findings, in a section right after the executive summary.
"""

from __future__ import annotations

from pathlib import Path

import fairhire as fh

OUT = Path(__file__).parent / "output"
STAGES = ["screened", "interviewed", "offered", "hired"]
DRIFT = {"stage": "screened", "column": "sex", "group": "Female", "multiplier": 0.6,
         "from_period": 5}


def yearly_report(applicants, year: int) -> fh.Report:
    """One year's hiring audit (the same section titles every year, so audits can be compared)."""
    in_year = applicants[applicants["applied_on"].dt.year == year]
    report = fh.Report(title=f"Hiring audit {year}", organization="Example Corp (synthetic)",
                       period=str(year), generated_at=f"{year + 1}-01-31T09:00:00+00:00")
    report.add(fh.adverse_impact(in_year, group="sex", stages=STAGES, min_share=0.03),
               title="Hiring funnel by sex")
    return report


def main() -> None:
    applicants = fh.datasets.make_hiring_funnel(20_000, periods=8, random_state=0, drift=DRIFT)
    OUT.mkdir(exist_ok=True)

    # 1. Every quarter, the trends and the alerts
    mon = fh.monitor(applicants, period="applied_on", freq="Q", group="sex", stages=STAGES,
                     min_share=0.03)
    print(f"Monitoring {len(mon.periods)} quarters ({mon.periods[0]} to {mon.periods[-1]}).")
    print("\nAlerts:")
    for message in mon.alerts["message"]:
        print(f" - {message}")
    print("\nTrends:")
    for sentence in mon.trend_sentences() or ["No clear trend at any stage."]:
        print(f" - {sentence}")
    mon.table.to_csv(OUT / "monitoring_by_quarter.csv", index=False)

    # 2. Last year's audit, kept as JSON
    last_year = yearly_report(applicants, 2024).to_json(OUT / "audit-2024.json")

    # 3. This year's audit, compared with last year's
    report = yearly_report(applicants, 2025)
    comparison = fh.compare_audits(last_year, report)
    report.add(comparison)  # placed right after the executive summary
    report.add(mon, title="Hiring funnel by sex, quarter by quarter")
    report.to_json(OUT / "audit-2025.json")
    html = report.to_html(OUT / "audit-2025.html")
    print("\nSince the previous audit:")
    for row in comparison.table.itertuples(index=False):
        print(f" - {comparison.sentence(row)}")
    print(f"\nReport written to {html}.")


if __name__ == "__main__":
    main()
