"""Pure statistics on counts and arrays: no data frames, no I/O.

- :mod:`fairhire.stats.proportions` — rates, the exact four-fifths test, Z and Fisher tests,
  the impact-ratio CI and Z test, shortfalls, p-value adjustment.
- :mod:`fairhire.stats.strata` — Mantel–Haenszel, CMH and Breslow–Day.
- :mod:`fairhire.stats.change` — change over time: the trend of a group comparison per period
  (logistic group × period interaction) and the change of an impact ratio between two periods.
"""
