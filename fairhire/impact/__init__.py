"""Adverse impact in selection: hiring funnels, NYC Local Law 144 audits, score cut-offs and
screening models.

Every analysis here follows one path. The data's own engine does the row-level work once
(:mod:`~fairhire.impact.aggregate`: yes/no columns read by the shared flag rule, blank outcomes
counted, one group-by), the group labels of the small table of counts are cleaned by the shared
label rule (:mod:`~fairhire.impact.groups`), and :func:`~fairhire.impact.compare.compare_groups`
compares each family of groups with its reference group (the shared reference rule; impact
ratio, exact four-fifths comparison, Fisher's exact test, Z tests, shortfalls).

- :mod:`~fairhire.impact.analysis` — :func:`fairhire.adverse_impact` and
  :func:`fairhire.adverse_impact_from_counts` (:mod:`~fairhire.impact.from_counts` reads a
  table of counts; :mod:`~fairhire.impact.stratified` adds Mantel–Haenszel per stratum;
  :mod:`~fairhire.impact.result` holds the result; the comparison options they share are
  checked by :mod:`~fairhire._core.options`; :mod:`~fairhire.impact.in_process` leaves out
  the applications still open, for them and :func:`fairhire.monitor`);
- :mod:`~fairhire.impact.ll144` — :func:`fairhire.ll144_audit`: the tables
  (:mod:`~fairhire.impact.ll144_tables`), the EEO-1 categories (:mod:`~fairhire.impact.eeo`,
  their spellings in :mod:`~fairhire.impact.eeo_spellings`, a separate Hispanic or Latino
  column combined with race in :mod:`~fairhire.impact.ll144_categories`), the disclosures of the summary of results (:mod:`~fairhire.impact.ll144_disclosures`) and the
  result (:mod:`~fairhire.impact.ll144_result`);
- :mod:`~fairhire.impact.cutoff` — :func:`fairhire.cutoff_analysis`, every candidate cut-off on
  a score (rows with a usable score: :mod:`~fairhire.impact.scores`);
- :mod:`~fairhire.impact.screening` — :func:`fairhire.audit_screening_model`: selections and, with
  outcomes, error rates from the confusion counts of one group-by.
"""
