"""Promotion and advancement, end to end: rates, time to promotion, representation, ratings.

Run it as it is: ``python examples/promotion.py``. It uses the bundled synthetic workforce
(``fh.datasets.make_workforce``), which has known disparities built in: lower promotion odds for
women at L2–L3, slower promotion, a lower share of top ratings and fewer women at higher levels.
To use your own HR export, replace the first line of ``main`` with
``staff = pandas.read_csv("employees.csv")`` and adjust the column names: one row per employee
with their group (sex), level, months in the current level, whether they were promoted (True/
False), and their latest performance rating.

It prints what each analysis found and writes the tables to ``examples/output/promotion_*.csv``
and a small report to ``examples/output/promotion_report.html``.
"""

from __future__ import annotations

from pathlib import Path

import fairhire as fh
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).parent / "output"
LEVELS = ["L1", "L2", "L3", "L4", "L5"]


def main() -> None:
    staff = fh.datasets.make_workforce(10_000, random_state=0)
    OUT.mkdir(exist_ok=True)

    # Every analysis compares each group with a reference group: by default the most
    # favourable outcome among groups of at least min_n people (30) and 2% of employees. The
    # small Non-binary group (about 1%) is still compared, but is "too small to be the
    # reference"; pass reference="Male" to fix the reference yourself.

    # 1. Promotion rates: overall, within each level (each level has its own reference), and
    #    with controls
    pr = fh.promotion_disparity(
        staff, group="sex", promoted="promoted", level="level",
        controls=["performance_rating", "tenure_years"],
    )
    # 2. Time to promotion, counting people still waiting or who left (censored); a median
    #    reached with fewer than min_at_risk people at risk is reported as unstable
    tt = fh.time_to_promotion(
        staff, group="sex", duration="months_in_level", event="promoted", controls=["level"],
        min_at_risk=5,
    )
    # 3. Representation by level: the "leaky pipeline"
    rep = fh.representation(staff, group="sex", level="level", order=LEVELS)
    # 4. Performance ratings: distribution, rank test, share at the top rating
    rd = fh.rating_disparity(staff, group="sex", rating="performance_rating")

    results = {"rates": pr, "time_to_promotion": tt, "representation": rep, "ratings": rd}
    for name, res in results.items():
        print(f"\n=== {res.kind} ===")
        heads = res.headlines()
        for h in heads[:5]:
            print(f" - [{h.severity}] {h.text}")
        if not heads:
            print(" - nothing to flag")
        csv_safe_frame(res.to_frame()).to_csv(OUT / f"promotion_{name}.csv", index=False)

    print("\nPromotion rates within each level (women vs men):")
    by = pr.by_stratum
    cols = ["stratum", "applicants", "selected", "selection_rate", "reference_group",
            "impact_ratio", "p_value_adjusted", "adverse_impact"]
    women = by.loc[by["group"] == "Female", cols]
    print(women.round(4).to_string(index=False))
    print("\nMonths to promotion (median; empty with a note when not reached or unstable):")
    cols = ["group", "n", "events", "median", "median_note", "hazard_ratio",
            "too_small_for_reference"]
    print(tt.table[cols].round(2).to_string(index=False))
    print("\nShare of women by level:")
    print((rep.shares()["Female"] * 100).round(1).to_string())
    csv_safe_frame(tt.curves).to_csv(OUT / "promotion_km_curves.csv", index=False)
    print(f"\ntables written to {OUT}/promotion_*.csv")

    try:
        report = fh.Report(title="Promotion and advancement", organization="Example Corp")
        for res in results.values():
            report.add(res)
        path = OUT / "promotion_report.html"
        report.to_html(path)
        print(f"report written to {path}")
    except fh.FairhireError as exc:  # report partials not available in this build
        print(f"(no report: {exc})")


if __name__ == "__main__":
    main()
