"""Pay equity: raw and adjusted pay gaps, the Oaxaca–Blinder decomposition, the UK and EU
statutory metrics, outliers, and the least costly remediation.

A tour of the package, in the order data flows:

- reading the data, one rule each (all built on :mod:`fairhire._core`): :mod:`._rows` collects
  the columns a regression needs and accounts for every row; :mod:`._values` checks pay
  (numeric, finite, plausible); :mod:`._groups` cleans group labels and chooses the reference
  group; :mod:`._design` builds design matrices;
- the adjusted pay gap: :mod:`.gap` (the entry point :func:`~fairhire.pay.gap.pay_gap`),
  :mod:`.fitting` (one scope's regression and its table rows), :mod:`.within` (cells of
  pay-analysis groupings), :mod:`.outliers` (employees for review), :mod:`.gap_result` (the
  result);
- :mod:`.oaxaca`: the decomposition (the statistics are in :mod:`fairhire.stats.oaxaca`);
- the statutory metrics, one pipeline in the data's engine (:mod:`._statutory`,
  :mod:`._eu_pipeline`): :mod:`.uk` (SI 2017/172) and :mod:`.eu` (Directive 2023/970); pay
  bands and raw gaps are pure functions in :mod:`fairhire.stats.paygap`;
- :mod:`.remediation`: the cheapest raises that close an adjusted gap (solvers in
  :mod:`._solvers`).
"""
