"""The one place that maps each result type to its report partial.

Keys are the fully qualified class names of result types (so this module imports none of the
analyses); values are the partial's base name: ``templates/partials/<name>.html.j2`` and
``templates/partials/<name>.md.j2``. Adding an analysis means adding its result type, its two
partials and one line here; nothing else in the report layer changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import ReportError

PARTIALS: dict[str, str] = {
    "fairhire.impact.result.AdverseImpactResult": "adverse_impact",
    "fairhire.impact.ll144_result.LL144Audit": "ll144_audit",
    "fairhire.impact.cutoff_result.CutoffAnalysis": "cutoff_analysis",
    "fairhire.impact.screening_result.ScreeningModelAudit": "screening_model",
    "fairhire.promotion.rates.PromotionDisparityResult": "promotion_disparity",
    "fairhire.promotion.survival.TimeToPromotionResult": "time_to_promotion",
    "fairhire.promotion.representation.RepresentationResult": "representation_by_level",
    "fairhire.promotion.ratings.RatingDisparityResult": "rating_disparity",
    "fairhire.exits.rates.RetentionResult": "retention",
    "fairhire.exits.survival.TimeToExitResult": "time_to_exit",
    "fairhire.exits.layoff.ReductionInForceResult": "reduction_in_force",
    "fairhire.interviews.panels.InterviewPanelsResult": "interview_panels",
    "fairhire.interviews.raters.RaterDisparityResult": "rater_disparity",
    "fairhire.interviews.rubric.RubricConsistencyResult": "rubric_consistency",
    "fairhire.pay.gap_result.PayGapResult": "pay_gap",
    "fairhire.pay.oaxaca_result.OaxacaBlinderResult": "oaxaca_blinder",
    "fairhire.pay.uk.UKPayGapMetrics": "uk_pay_gap",
    "fairhire.pay.eu.EUPayTransparencyMetrics": "eu_pay_transparency",
    "fairhire.pay.remediation.PayRemediationPlan": "pay_remediation",
    "fairhire.language.result.JobDescriptionScan": "job_description",
    "fairhire.monitoring.result.MonitorResult": "monitor",
    "fairhire.monitoring.compare.AuditComparison": "audit_comparison",
}


#: Partials whose results count words or findings, not people: ``min_cell`` (which protects
#: small groups of people) does not apply to them.
COUNTS_NO_PEOPLE: frozenset[str] = frozenset({"job_description"})


def counts_people(partials: Iterable[str]) -> bool:
    """Whether a report with sections of these partials compares groups of people (so its
    reading guide and glossary explain ratios and p-values): False only when every section
    reads job ads; True for an empty report.

    >>> counts_people(["job_description"]), counts_people(["job_description", "pay_gap"])
    (False, True)
    """
    present = set(partials)
    return not present or bool(present - COUNTS_NO_PEOPLE)


def partial_for(result: object) -> str:
    """Return the partial name for a result, walking its class hierarchy."""
    for cls in type(result).__mro__:
        name = PARTIALS.get(f"{cls.__module__}.{cls.__qualname__}")
        if name is not None:
            return name
    raise ReportError(
        f"no report template is registered for {type(result).__module__}."
        f"{type(result).__qualname__}. Register a partial in fairhire/report/registry.py "
        "(PARTIALS), or pass a fairhire result object to Report.add()."
    )
