"""The shared core: the rules every analysis, the command line and the web app apply.

One rule, one place. Each module holds one rule, and nothing else in fairhire re-implements it:

- :mod:`~fairhire._core.missing` — what counts as a missing value;
- :mod:`~fairhire._core.dates` — how dates written as text are read (ISO 8601, or the one
  day-and-month order that fits every value; never guessed);
- :mod:`~fairhire._core.calendar` — period labels that name calendar periods ("Q1 2025",
  "Jan 2025", "FY2025"), ordered and numbered by their place in the calendar;
- :mod:`~fairhire._core.flags` — how a yes/no column is read;
- :mod:`~fairhire._core.numbers` — when a regression control holds numbers stored as text;
- :mod:`~fairhire._core.labels` — how group labels are cleaned and merged;
- :mod:`~fairhire._core.reference` — which group is the reference, and which groups are too
  small to be one;
- :mod:`~fairhire._core.params` — how arguments are checked (type and range);
- :mod:`~fairhire._core.options` — the options of a group comparison (four-fifths threshold,
  reference, tests, adjustment, minimum sizes), checked once and passed on;
- :mod:`~fairhire._core.names` — internal column names that never collide with a user's;
- :mod:`~fairhire._core.groups` — group labels of several columns, and their order;
- :mod:`~fairhire._core.order` — a list of values in order (``order=``), checked against the data;
- :mod:`~fairhire._core.ratings` — rating labels ("Strong Yes", "3 - Meets") read as scale points;
- :mod:`~fairhire._core.strata` — a missing stratum value (level, requisition, unit): kept as
  a stratum of its own, and said;
- :mod:`~fairhire._core.ids` — one row per person: an id (``id=``) on two of the rows an
  analysis compares is an error naming the ids and the fix;
- :mod:`~fairhire._core.text` — how p-values, counts, ratios and percentages are written;
- :mod:`~fairhire._core.counting` — the read → count step that applies these rules: one
  group-by in the data's engine (internal names, flags, label cleaning), then the reference
  choice with its "too small to be the reference" warning.

The core sits above the frame adapters (:mod:`fairhire._frames`) and the pure statistics
(:mod:`fairhire.stats`), and below the analyses.
"""
