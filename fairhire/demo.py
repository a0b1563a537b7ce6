"""The demo audit: every analysis on the bundled synthetic company, in one report.

Used by ``make demo`` (``examples/demo.py``) and the ``fairhire demo`` command.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

import pandas as pd

import fairhire as fh
from fairhire.errors import ReportError

__all__ = ["SECTIONS", "build_demo_report", "generated_at_from_env"]

STAGES = ["screened", "interviewed", "offered", "hired"]
#: The change injected into the demo's quarterly data, for the monitoring section to find.
MONITORING_DRIFT = {
    "stage": "screened", "column": "sex", "group": "Female", "multiplier": 0.6, "from_period": 5,
}


class Company:
    """The synthetic company's data, generated on first use."""

    def __init__(self, n_applicants: int = 10_000) -> None:
        self.n_applicants = n_applicants

    @cached_property
    def funnel(self) -> pd.DataFrame:
        return fh.datasets.make_hiring_funnel(self.n_applicants, random_state=0)

    @cached_property
    def funnel_over_time(self) -> pd.DataFrame:
        """Eight quarters of applicants; women's screening rate falls from the fifth (2025-Q1)."""
        return fh.datasets.make_hiring_funnel(
            2 * self.n_applicants, random_state=0, periods=8, drift=MONITORING_DRIFT
        )

    @cached_property
    def workforce(self) -> pd.DataFrame:
        return fh.datasets.make_workforce(2_000, random_state=0)

    @cached_property
    def staff_exits(self) -> pd.DataFrame:
        """A larger workforce with exits and a layoff (enough people aged 50 and over)."""
        return fh.datasets.make_workforce(10_000, random_state=0, exits=True)

    @cached_property
    def layoff_pool(self) -> pd.DataFrame:
        """Employees still employed when the layoff was decided (its scope)."""
        return self.staff_exits.loc[self.staff_exits["laid_off"].notna()]

    @cached_property
    def interviews(self) -> Any:
        return fh.datasets.make_interviews(random_state=0)


def _job_ads(_: Company) -> Iterator[tuple[str, Any]]:
    ads = fh.datasets.load_job_ads()
    for row in ads.itertuples(index=False):
        yield f"Job ad: {row.title}", fh.scan_job_description(row.text)


LEVELS = ["L1", "L2", "L3", "L4", "L5"]
#: The legitimate pay factors of the adjusted gap; the decomposition uses the same ones, so
#: its explained and unexplained parts answer the same question.
PAY_CONTROLS = ["level", "job_family", "tenure_years"]

# (section title, function returning a result, or an iterator of (title, result)).
# One line per section; a section whose analysis is not in this build is skipped with a message.
SECTIONS: list[tuple[str, Callable[[Company], Any]]] = [
    ("Job advertisements", _job_ads),
    (
        "Hiring funnel by sex",
        lambda c: fh.adverse_impact(c.funnel, group="sex", stages=STAGES, strata="requisition"),
    ),
    (
        "Hiring funnel by race/ethnicity",
        lambda c: fh.adverse_impact(c.funnel, group="race", stages=STAGES, min_share=0.02),
    ),
    (
        "Hiring funnel by age band",
        lambda c: fh.adverse_impact(c.funnel, group="age_band", stages=STAGES),
    ),
    (
        "Hiring funnel by sex, quarter by quarter",
        lambda c: fh.monitor(
            c.funnel_over_time,
            period="applied_on",
            freq="Q",
            group="sex",
            stages=STAGES,
            min_share=0.03,
        ),
    ),
    (
        "NYC Local Law 144 bias audit (résumé screen)",
        lambda c: fh.ll144_audit(
            c.funnel, sex="sex", race="race", selected="screened", min_share=0.02
        ),
    ),
    (
        "Pay gap by sex",
        lambda c: fh.pay_gap(c.workforce, pay="salary", group="sex", controls=PAY_CONTROLS),
    ),
    (
        "Oaxaca–Blinder decomposition",
        lambda c: fh.oaxaca_blinder(
            c.workforce, outcome="salary", group="sex", features=PAY_CONTROLS, log=True
        ),
    ),
    (
        "UK gender pay gap metrics",
        lambda c: fh.uk_pay_gap_metrics(
            c.workforce, hourly_pay="hourly_pay", bonus="bonus", sex="sex"
        ),
    ),
    (
        "EU Pay Transparency Directive indicators",
        lambda c: fh.eu_pay_transparency_metrics(
            c.workforce, pay="salary", variable_pay="bonus", sex="sex", category="job_family"
        ),
    ),
    (
        "Promotion rates by sex",
        lambda c: fh.promotion_disparity(
            c.workforce, group="sex", promoted="promoted", level="level"
        ),
    ),
    (
        "Time to promotion",
        lambda c: fh.time_to_promotion(
            c.workforce, group="sex", duration="months_in_level", event="promoted"
        ),
    ),
    (
        "Representation by level",
        lambda c: fh.representation(c.workforce, group="sex", level="level", order=LEVELS),
    ),
    (
        "Performance ratings",
        lambda c: fh.rating_disparity(c.workforce, group="sex", rating="performance_rating"),
    ),
    (
        "Retention by sex",
        lambda c: fh.retention(
            c.staff_exits, group="sex", exited="exited", exit_type="exit_type", level="level"
        ),
    ),
    (
        "Time to exit",
        lambda c: fh.time_to_exit(
            c.staff_exits,
            group="sex",
            duration="tenure_months",
            event="exited",
            cause="exit_type",
            horizon=60,
        ),
    ),
    (
        "Reduction in force (layoff)",
        lambda c: fh.reduction_in_force(
            c.layoff_pool,
            group="sex",
            selected="laid_off",
            unit="job_family",
            age="age",
            job_title="job_title",
        ),
    ),
    (
        "Interview panels",
        lambda c: fh.interview_panels(
            c.interviews.panels,
            interview="interview_id",
            panelist_group="panelist_sex",
            candidate_group="candidate_sex",
            outcome="advanced",
        ),
    ),
    (
        "Rater-level disparities",
        lambda c: fh.rater_disparity(
            c.interviews.decisions, rater="interviewer", candidate_group="sex", outcome="advanced"
        ),
    ),
    (
        "Rubric consistency",
        lambda c: fh.rubric_consistency(
            c.interviews.scores,
            candidate="candidate_id",
            rater="interviewer",
            criteria=list(c.interviews.criteria),
            candidate_group="sex",
        ),
    ),
]


NOTES = {
    "Hiring funnel by sex, quarter by quarter": [
        "Synthetic data over eight quarters: from 2025-Q1 on, women were made to pass the "
        "résumé screen at 0.6 times their usual rate, to show what monitoring finds and when.",
    ],
    "Reduction in force (layoff)": [
        "The synthetic layoff selects 7.5% of employees under 40, 10% of those 40–49 and 18% "
        "of those 50 and over within each job family (2.4 times the under-40 rate), on "
        "purpose: the analysis should find it. The OWBPA disclosure (ages by unit and job "
        "title) is personal data and is not included in this report.",
    ],
    "Hiring funnel by sex": [
        "Non-binary applicants (about 2% of the pool) are compared at every stage, but they are "
        "too few to be the reference group (fewer than 30 people at a stage, or under 2% of "
        "the applicants): the reference is the highest rate among the larger groups.",
    ],
}


def generated_at_from_env() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` (reproducible builds convention) if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_demo_report(
    *,
    generated_at: dt.datetime | None = None,
    verbose: bool = True,
    n_applicants: int | None = None,
) -> Any:
    """Run every analysis on the synthetic company and return a :class:`fairhire.Report`.

    ``n_applicants`` sets the size of the synthetic applicant pool (default 10,000).

    Examples
    --------
    >>> from fairhire.demo import build_demo_report
    >>> report = build_demo_report(verbose=False)  # doctest: +SKIP
    >>> html = report.render_html()  # doctest: +SKIP
    """
    report = fh.Report(
        title="Hiring and workforce fairness audit",
        organization="Example Corp (synthetic data)",
        period="Fiscal year 2025",
        author="fairhire demo",
        generated_at=generated_at or generated_at_from_env(),
    )
    company = Company(n_applicants or 10_000)
    for title, make in SECTIONS:
        try:
            made = make(company)
            if isinstance(made, Iterator):
                made = list(made)
        except (ImportError, AttributeError) as exc:  # analysis not in this build
            if verbose:
                print(f"skipped {title!r}: {exc}", file=sys.stderr)
            continue
        try:
            if isinstance(made, list):
                for sub_title, result in made:
                    report.add(result, title=sub_title)
            else:
                report.add(made, title=title, notes=NOTES.get(title))
        except ReportError as exc:  # a result type without its report partial yet
            if verbose:
                print(f"skipped {title!r}: {exc}", file=sys.stderr)
    return report
