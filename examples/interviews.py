"""Interviews, end to end: panel composition, rater-level disparities, rubric consistency.

Run it as it is: ``python examples/interviews.py``. It uses the bundled synthetic interviews
(``fh.datasets.make_interviews``), which have known problems built in (documented in
``fairhire.datasets.interviews.INTERVIEWS_TRUTH``): three busy interviewers who pass women far
less often than men, and one subjective rubric criterion ("culture_fit") that raters disagree on
and that scores women lower.

To use your own exports, replace the ``make_interviews`` line with three ``pandas.read_csv``
calls and adjust the column names:

- panels: one row per (interview, panelist) with the panelist's group and, optionally, the
  candidate's group and the interview's outcome (True/False);
- decisions: one row per (candidate, interviewer) with the candidate's group and the
  interviewer's recommendation (True/False) or score;
- scores: one row per (candidate, interviewer) rubric form, one numeric column per criterion.

It prints what each analysis found and writes the tables to ``examples/output/interviews_*.csv``
and an audit report to ``examples/output/interviews_report.html`` (and ``.md``).
"""

from __future__ import annotations

from pathlib import Path

import fairhire as fh
from fairhire.report.safe import csv_safe_frame

OUT = Path(__file__).parent / "output"


def main() -> None:
    data = fh.datasets.make_interviews(1_200, random_state=0)
    OUT.mkdir(exist_ok=True)

    # 1. Who sits on interview panels, and do candidates fare differently on diverse panels?
    #    A panel is diverse with members from at least min_groups groups (groups on a panel).
    pan = fh.interview_panels(
        data.panels, interview="interview_id", panelist_group="panelist_sex",
        candidate_group="candidate_sex", outcome="advanced", panelist="panelist", min_groups=2,
    )
    # 2. Two questions per interviewer: do women and men fare differently in their own
    #    decisions ("own record"), and does their gap stand apart from the organisation's
    #    ("unlike peers")? Interviewers with fewer than min_n decisions are not assessed.
    rd = fh.rater_disparity(
        data.decisions, rater="interviewer", candidate_group="sex", outcome="advanced",
        min_n=20,
    )
    # 3. Do raters agree on each rubric criterion, and does any criterion carry a gap?
    #    Rubric points are ordered but not evenly spaced: measurement="ordinal" (the default).
    rc = fh.rubric_consistency(
        data.scores, candidate="candidate_id", rater="interviewer",
        criteria=list(data.criteria), candidate_group="sex", measurement="ordinal",
    )

    results = {"panels": pan, "raters": rd, "rubric": rc}
    for name, res in results.items():
        print(f"\n=== {res.kind} ===")
        for h in res.headlines()[:6]:
            print(f" - [{h.severity}] {h.text}")
        csv_safe_frame(res.to_frame()).to_csv(OUT / f"interviews_{name}.csv", index=False)

    print("\nPanel composition (share of interviews whose panel includes each group):")
    print(pan.composition.round(3).to_string(index=False))
    if pan.comparison is not None:
        print("\nPass rates on diverse and non-diverse panels:")
        cols = ["group", "candidates_diverse", "pass_rate_diverse", "candidates_not_diverse",
                "pass_rate_not_diverse", "difference", "p_value_adjusted"]
        print(pan.comparison[cols].round(3).to_string(index=False))

    print("\nRaters, strongest evidence first (first 8 of the table):")
    cols = ["evidence_rank", "rater", "focal_n", "reference_n", "gap", "gap_shrunk",
            "own_p_value_adjusted", "p_value_adjusted", "flagged", "flag_reason"]
    print(rd.table[cols].head(8).round(3).to_string(index=False))
    print(f"Not assessable: {', '.join(rd.not_assessable.rater)}")
    truth = set(data.truth["biased_raters"])
    print(f"Injected biased raters: {sorted(truth)}; flagged: {sorted(rd.flagged.rater)}")

    print("\nRubric criteria:")
    cols = ["criterion", "alpha", "icc", "reliability", "max_abs_g", "review", "concerns"]
    print(rc.table[cols].round(3).to_string(index=False))

    report = fh.Report(title="Interview audit (synthetic data)", organization="Example Corp",
                       generated_at="2026-01-01T00:00:00")
    try:
        for res in results.values():
            report.add(res)
    except fh.ReportError as exc:  # partials not registered in this version of fairhire
        print(f"\n(report skipped: {exc})")
        return
    report.to_html(OUT / "interviews_report.html")
    report.to_markdown(OUT / "interviews_report.md")
    print(f"\nReport written to {OUT / 'interviews_report.html'}")


if __name__ == "__main__":
    main()
