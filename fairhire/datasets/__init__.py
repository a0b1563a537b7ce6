"""Bundled public data and synthetic generators with known, documented disparities.

- :func:`load_ucb_admissions` — Berkeley 1973 graduate admissions (6 departments), the classic
  Simpson's-paradox example for stratified adverse-impact analysis.
- :func:`make_hiring_funnel` — a synthetic applicant-level hiring funnel; with ``periods=``
  spread over months, quarters or years, and with ``drift=`` a documented change from a given
  period on (for :func:`fairhire.monitor`).
- :func:`make_workforce` — a synthetic workforce (levels, pay, bonus, ratings, promotions).
- :func:`make_interviews` — synthetic interviews, panels and rubric scores.
- :func:`load_job_ads` — a few bundled job advertisements for the scanner.
- :func:`make_assessment_scores` — a synthetic assessment score with known group differences.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "load_ucb_admissions": "fairhire.datasets.ucb",
    "make_hiring_funnel": "fairhire.datasets.funnel",
    "make_workforce": "fairhire.datasets.workforce",
    "make_interviews": "fairhire.datasets.interviews",
    "load_job_ads": "fairhire.datasets.job_ads",
    "make_assessment_scores": "fairhire.datasets.assessment",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'fairhire.datasets' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
