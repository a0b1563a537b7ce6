"""A missing stratum value (a blank level, requisition, unit or period), in one place.

A row whose stratum is missing is kept: its group and its outcome are known, and every
comparison that is not stratified uses it. In the comparisons within strata (Mantel–Haenszel,
and the strata tables) those rows form one stratum of their own, :data:`MISSING_STRATUM`, and
a warning says how many rows it holds: they are never dropped, and never silently pooled.
Several stratum columns make one stratum label, joined by :data:`STRATUM_SEPARATOR`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .missing import is_missing

__all__ = ["MISSING_STRATUM", "STRATUM_SEPARATOR", "missing_strata_warnings", "stratum_label",
           "stratum_value"]

MISSING_STRATUM = "(missing)"
STRATUM_SEPARATOR = " · "


def stratum_value(value: Any) -> Any:
    """A stratum value, with a missing one read as :data:`MISSING_STRATUM`.

    >>> stratum_value(None), stratum_value(float("nan")), stratum_value("L2")
    ('(missing)', '(missing)', 'L2')
    """
    return MISSING_STRATUM if is_missing(value) else value


def stratum_label(values: Iterable[Any]) -> str:
    """One stratum's label from its values in each stratum column.

    >>> stratum_label(["L2", None])
    'L2 · (missing)'
    """
    return STRATUM_SEPARATOR.join(str(stratum_value(v)) for v in values)


def missing_strata_warnings(table: pd.DataFrame, columns: Mapping[str, str],
                            weight: str) -> list[str]:
    """A warning per stratum column with missing values in the counts ``table`` (``columns``:
    its column → the user's name; ``weight``: the column of row counts).

    >>> t = pd.DataFrame({"lv": ["L1", None, None], "n": [5, 2, 1]})
    >>> missing_strata_warnings(t, {"lv": "level"}, "n")
    ["3 rows have a missing 'level': kept as a stratum of their own ('(missing)')."]
    """
    out = []
    for column, name in columns.items():
        n = int(table.loc[table[column].map(is_missing), weight].sum())
        if n:
            out.append(f"{n:,} rows have a missing {name!r}: kept as a stratum of their own "
                       f"({MISSING_STRATUM!r}).")
    return out
