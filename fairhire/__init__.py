"""fairhire: audit a hiring process for bias.

Score job descriptions for coded language, test every stage of a hiring funnel for adverse
impact, check promotion, pay and retention disparities, monitor them over time, and render the
results into audit reports.

>>> import fairhire as fh
>>> counts = {"group": ["men", "women"], "n": [80, 40], "hired": [48, 12]}
>>> ai = fh.adverse_impact_from_counts(counts, group="group", applicants="n", selected="hired")
>>> float(ai.table.loc[ai.table.group == "women", "impact_ratio"].iloc[0])
0.5

Public names are imported lazily, so ``import fairhire`` stays fast and an analysis pulls in
only the libraries it needs.

The layers, bottom up (each imports only those below it; CONTRIBUTING.md has the full tour):
``errors``/``_results`` (the result contract) → ``_frames``/``_engine_stats`` (one group-by in
the data's own engine) → ``stats`` (pure statistics on counts and arrays) → ``_core`` (the
shared rules: missing values, yes/no flags, labels, the reference group, argument checks,
comparison options, number text) → the analyses (``impact``, ``pay``, ``promotion``,
``interviews``, ``exits``, ``monitoring``, ``language``) → ``report`` → ``workflow`` (files,
option text and audit configs, shared by the interfaces) → ``cli`` and ``web``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import (
    ColumnError,
    FairhireError,
    InputTypeError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
    ReportError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    # adverse impact
    "adverse_impact": "fairhire.impact.analysis",
    "adverse_impact_from_counts": "fairhire.impact.analysis",
    "AdverseImpactResult": "fairhire.impact.result",
    # NYC LL144, cut-offs, screening models
    "ll144_audit": "fairhire.impact.ll144",
    "LL144Audit": "fairhire.impact.ll144_result",
    "cutoff_analysis": "fairhire.impact.cutoff",
    "CutoffAnalysis": "fairhire.impact.cutoff_result",
    "audit_screening_model": "fairhire.impact.screening",
    "ScreeningModelAudit": "fairhire.impact.screening_result",
    # job descriptions
    "scan_job_description": "fairhire.language.scanner",
    "scan_job_descriptions": "fairhire.language.scanner",
    "JobDescriptionScan": "fairhire.language.scanner",
    "Finding": "fairhire.language.scanner",
    "Lexicon": "fairhire.language.lexicon",
    "load_lexicon": "fairhire.language.lexicon",
    # pay
    "pay_gap": "fairhire.pay.gap",
    "PayGapResult": "fairhire.pay.gap_result",
    "oaxaca_blinder": "fairhire.pay.oaxaca",
    "OaxacaBlinderResult": "fairhire.pay.oaxaca_result",
    "uk_pay_gap_metrics": "fairhire.pay.uk",
    "UKPayGapMetrics": "fairhire.pay.uk",
    "eu_pay_transparency_metrics": "fairhire.pay.eu",
    "EUPayTransparencyMetrics": "fairhire.pay.eu",
    "pay_remediation": "fairhire.pay.remediation",
    "PayRemediationPlan": "fairhire.pay.remediation",
    # promotion
    "promotion_disparity": "fairhire.promotion.rates",
    "PromotionDisparityResult": "fairhire.promotion.rates",
    "time_to_promotion": "fairhire.promotion.survival",
    "TimeToPromotionResult": "fairhire.promotion.survival",
    "representation": "fairhire.promotion.representation",
    "RepresentationResult": "fairhire.promotion.representation",
    "rating_disparity": "fairhire.promotion.ratings",
    "RatingDisparityResult": "fairhire.promotion.ratings",
    # retention and exits
    "retention": "fairhire.exits.rates",
    "RetentionResult": "fairhire.exits.rates",
    "time_to_exit": "fairhire.exits.survival",
    "TimeToExitResult": "fairhire.exits.survival",
    "reduction_in_force": "fairhire.exits.layoff",
    "ReductionInForceResult": "fairhire.exits.layoff",
    # interviews
    "interview_panels": "fairhire.interviews.panels",
    "InterviewPanelsResult": "fairhire.interviews.panels",
    "rater_disparity": "fairhire.interviews.raters",
    "RaterDisparityResult": "fairhire.interviews.raters",
    "rubric_consistency": "fairhire.interviews.rubric",
    "RubricConsistencyResult": "fairhire.interviews.rubric",
    # monitoring over time
    "monitor": "fairhire.monitoring.analysis",
    "MonitorResult": "fairhire.monitoring.result",
    "compare_audits": "fairhire.monitoring.compare",
    "AuditComparison": "fairhire.monitoring.compare",
    # reports
    "Report": "fairhire.report.report",
    # subpackages
    "datasets": "fairhire.datasets",
    "stats": "fairhire.stats",
}

__all__ = [
    "ColumnError",
    "FairhireError",
    "InputTypeError",
    "InsufficientDataError",
    "InvalidParameterError",
    "InvalidValueError",
    "ReportError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'fairhire' has no attribute {name!r}")
    module = import_module(module_name)
    value = module if module_name == f"fairhire.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
