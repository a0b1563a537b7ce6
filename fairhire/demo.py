"""The demo audit: every analysis on the bundled synthetic company, in one report.

Used by ``make demo`` (``examples/demo.py``) and the ``fairhire demo`` command.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pandas as pd

import fairhire as fh
from fairhire.errors import ReportError

__all__ = ["SECTIONS", "build_demo_report", "generated_at_from_env"]

STAGES = ["screened", "interviewed", "offered", "hired"]


@cache
def _funnel() -> pd.DataFrame:
    return fh.datasets.make_hiring_funnel(10_000, random_state=0)


@cache
def _workforce() -> pd.DataFrame:
    return fh.datasets.make_workforce(2_000, random_state=0)


@cache
def _interviews() -> Any:
    return fh.datasets.make_interviews(random_state=0)


def _job_ads() -> Iterator[tuple[str, Any]]:
    ads = fh.datasets.load_job_ads()
    for row in ads.itertuples(index=False):
        yield f"Job ad: {row.title}", fh.scan_job_description(row.text)


def _pay_gap() -> Any:
    return fh.pay_gap(
        _workforce(), pay="salary", group="sex", controls=["level", "job_family", "tenure_years"]
    )


LEVELS = ["L1", "L2", "L3", "L4", "L5"]

# (section title, function returning a result, or an iterator of (title, result)).
# One line per section; a section whose analysis is not in this build is skipped with a message.
# Non-binary applicants (about 2% of the pool) are listed but excluded from the sex ratios
# (min_share=0.03): with a handful of selections they would otherwise be the reference group.
SECTIONS: list[tuple[str, Callable[[], Any]]] = [
    ("Job advertisements", _job_ads),
    ("Hiring funnel by sex", lambda: fh.adverse_impact(
        _funnel(), group="sex", stages=STAGES, strata="requisition", min_share=0.03)),
    ("Hiring funnel by race/ethnicity", lambda: fh.adverse_impact(
        _funnel(), group="race", stages=STAGES, min_share=0.02)),
    ("Hiring funnel by age band", lambda: fh.adverse_impact(
        _funnel(), group="age_band", stages=STAGES)),
    ("NYC Local Law 144 bias audit (résumé screen)", lambda: fh.ll144_audit(
        _funnel(), sex="sex", race="race", selected="screened", exclude_under=0.02)),
    ("Pay gap by sex", _pay_gap),
    ("Oaxaca–Blinder decomposition", lambda: fh.oaxaca_blinder(
        _workforce(), outcome="salary", group="sex", features=["tenure_years"], log=True)),
    ("UK gender pay gap metrics", lambda: fh.uk_pay_gap_metrics(
        _workforce(), hourly_pay="hourly_pay", bonus="bonus", sex="sex")),
    ("EU Pay Transparency Directive indicators", lambda: fh.eu_pay_transparency_metrics(
        _workforce(), pay="salary", variable_pay="bonus", sex="sex", category="job_family")),
    ("Promotion rates by sex", lambda: fh.promotion_disparity(
        _workforce(), group="sex", promoted="promoted", level="level")),
    ("Time to promotion", lambda: fh.time_to_promotion(
        _workforce(), group="sex", duration="months_in_level", event="promoted")),
    ("Representation by level", lambda: fh.representation(
        _workforce(), group="sex", level="level", order=LEVELS)),
    ("Performance ratings", lambda: fh.rating_disparity(
        _workforce(), group="sex", rating="performance_rating")),
    ("Interview panels", lambda: fh.interview_panels(
        _interviews().panels, interview="interview_id", panelist_group="panelist_sex",
        candidate_group="candidate_sex", outcome="advanced")),
    ("Rater-level disparities", lambda: fh.rater_disparity(
        _interviews().decisions, rater="interviewer", candidate_group="sex",
        outcome="advanced")),
    ("Rubric consistency", lambda: fh.rubric_consistency(
        _interviews().scores, candidate="candidate_id", rater="interviewer",
        criteria=list(_interviews().criteria), candidate_group="sex")),
]  # fmt: skip


NOTES = {
    "Hiring funnel by sex": [
        "Non-binary applicants (about 2% of the pool) are listed but excluded from impact "
        "ratios (min_share = 0.03): with so few selections they would otherwise become the "
        "reference group at the later stages.",
    ],
}


def generated_at_from_env() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` (reproducible builds convention) if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_demo_report(*, generated_at: dt.datetime | None = None, verbose: bool = True) -> Any:
    """Run every analysis on the synthetic company and return a :class:`fairhire.Report`.

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
    for title, make in SECTIONS:
        try:
            made = make()
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
