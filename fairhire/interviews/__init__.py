"""Interviews: panel composition, rater-level disparities and rubric consistency.

- :func:`fairhire.interview_panels` (:mod:`.panels`) — who sits on panels; pass rates on diverse
  and non-diverse panels, through the adverse-impact engine.
- :func:`fairhire.rater_disparity` (:mod:`.raters`) — each rater's gap between candidate groups,
  shrunk toward the organisation's (empirical Bayes) and FDR-controlled.
- :func:`fairhire.rubric_consistency` (:mod:`.rubric`) — Krippendorff's alpha and ICC per
  criterion, and standardized score gaps between candidate groups.
"""
