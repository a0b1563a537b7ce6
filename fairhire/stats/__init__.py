"""Pure statistics on counts and arrays: no data frames, no I/O.

- :mod:`fairhire.stats.proportions` — rates, the exact four-fifths test, Z and Fisher tests,
  the impact-ratio CI and Z test, shortfalls, p-value adjustment.
- :mod:`fairhire.stats.strata` — Mantel–Haenszel, CMH and Breslow–Day.
"""
