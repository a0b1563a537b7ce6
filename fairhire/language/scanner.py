"""Scan job descriptions for coded language and structural problems (the public entry points).

:func:`scan_job_description` scans one ad and returns a :class:`JobDescriptionScan` with every
finding (category, matched text, exact character offsets, severity, suggestions, source and rule
id), the gender-coding label, counts and densities per category, and structural checks (pay range,
EEO and accommodation statements, requirements, years of experience, degree).
:func:`scan_job_descriptions` scans many ads into a table, one row per ad, optionally in
parallel.

Where things live: the result in :mod:`~fairhire.language.result`, the per-ad analysis in
:mod:`~fairhire.language.scan`, the batch in :mod:`~fairhire.language.batch`, the word lists in
:mod:`~fairhire.language.lexicon`, the matching in :mod:`~fairhire.language.matcher` and
:mod:`~fairhire.language.expression`, the context rules in :mod:`~fairhire.language.context`.
"""

from __future__ import annotations

from .batch import scan_job_descriptions
from .result import SEVERITY_RANK, Finding, JobDescriptionScan
from .scan import gender_label, scan_job_description

__all__ = [
    "SEVERITY_RANK",
    "Finding",
    "JobDescriptionScan",
    "gender_label",
    "scan_job_description",
    "scan_job_descriptions",
]
