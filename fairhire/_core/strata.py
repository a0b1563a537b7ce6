"""A missing stratum value (a blank level, requisition, unit or period), in one place.

A row whose stratum is missing is kept: its group and its outcome are known, and every
comparison that is not stratified uses it. In the comparisons within strata (Mantel–Haenszel,
and the strata tables) those rows form one stratum of their own, :data:`MISSING_STRATUM`, and
a warning says how many rows it holds: they are never dropped, and never silently pooled.
Several stratum columns make one stratum label, joined by :data:`STRATUM_SEPARATOR`.

Stratum labels are read by the group-label rule (:mod:`~fairhire._core.labels`), without what
only groups need: trimmed, runs of spaces made one, and spellings that differ only in case or
spaces ("Level 8", "LEVEL 8 ") merged under the most frequent one, with a warning naming the
column. Otherwise one level would be two strata, each with its own comparison, and the
Mantel–Haenszel and regression figures would differ from those of the same data spelled
tidily. :func:`clean_strata` does it on a small table of counts, :func:`clean_stratum_rows`
on row-level values. Strata are listed in :func:`stratum_order`: numbers by value, and text
with its digits read as numbers, so "Level 9" comes before "Level 10".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .labels import _merge_key, _squash, clean_labels, relabel_counts
from .missing import is_missing

__all__ = ["MISSING_STRATUM", "STRATUM_SEPARATOR", "clean_category_columns", "clean_strata",
           "clean_stratum_rows", "missing_strata_warnings", "strata_tidy", "stratum_label",
           "stratum_order", "stratum_value"]

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


def stratum_order(value: Any) -> tuple:
    """Sort key of a stratum value: booleans, numbers by value, text in natural order (its
    digits read as numbers, case ignored), missing last.

    >>> sorted(["Level 10", "level 9", 8, None, "L2"], key=stratum_order)
    [8, 'L2', 'level 9', 'Level 10', None]
    """
    if is_missing(value) or value == MISSING_STRATUM:
        return (3, 0.0, ())
    if isinstance(value, bool | np.bool_):
        return (0, float(value), ())
    if isinstance(value, int | float | np.integer | np.floating):
        return (1, float(value), ())
    parts = [(0, int(p), "") if p.isdigit() else (1, 0, p.casefold())
             for p in re.split(r"(\d+)", str(value))]
    return (2, 0.0, (*parts, (1, 0, str(value))))  # the spelling last: ties never by chance


def strata_tidy(values: Iterable[Any]) -> bool:
    """Whether distinct stratum values are already as :func:`clean_strata` leaves them (text
    trimmed, no two alike but for case, spaces or a number stored as text; missing as None):
    a quick test for the common case of a tidy column of many strata (thousands of
    requisitions), which then need no cleaning.

    >>> strata_tidy(["R-1", "R-2", None, 3]), strata_tidy(["L8", "l8"]), strata_tidy(["L8 "])
    (True, False, False)
    """
    keys = set()
    for v in values:
        if v is None:
            continue
        if (type(v) is not str or _squash(v) != v) and type(v) is not int:
            return False
        key = _merge_key(v)
        if key in keys:
            return False
        keys.add(key)
    return True


def clean_strata(table: pd.DataFrame, columns: Mapping[str, str], *,
                 count_columns: Sequence[str], weight: str) -> tuple[pd.DataFrame, list[str]]:
    """A small table of counts with its stratum labels cleaned (``columns``: the table's
    column → the user's name), rows that now coincide added up, and the merge warnings.
    Missing values stay missing (:data:`MISSING_STRATUM` downstream).

    >>> t = pd.DataFrame({"lv": ["Level 8", "LEVEL 8 ", "Level 9"], "n": [5, 1, 4]})
    >>> out, warnings = clean_strata(t, {"lv": "Level"}, count_columns=["n"], weight="n")
    >>> out.to_dict("list")
    {'lv': ['Level 8', 'Level 9'], 'n': [6, 4]}
    >>> print(warnings[0])
    column 'Level': the labels 'Level 8', 'LEVEL 8 ' differ only in case or spaces and were merged as 'Level 8'.
    """
    if not columns:
        return table, []
    out, cleanings = relabel_counts(table, list(columns), count_columns=count_columns,
                                    weight=weight, groups=False)
    warnings = [w.replace(f"column {c!r}:", f"column {columns[c]!r}:", 1)
                for c, cleaning in cleanings.items() for w in cleaning.warnings()]
    return out, warnings


def clean_stratum_rows(values: pd.Series, column: str) -> tuple[pd.Series, list[str]]:
    """Row-level stratum values cleaned by the same rule as :func:`clean_strata` (an object
    Series, None where missing), and the merge warnings (``column``: the user's name).

    >>> s, w = clean_stratum_rows(pd.Series(["L2", " l2", "L3", None]), "level")
    >>> s.tolist(), len(w)
    (['L2', 'L2', 'L3', None], 1)
    """
    values = values.astype(object)
    counts = values.value_counts(dropna=False)
    cleaning = clean_labels(counts.index.tolist(), counts.tolist(), column=column, groups=False)
    return cleaning.labels(values, index=values.index), cleaning.warnings()


def clean_category_columns(frame: pd.DataFrame, columns: Iterable[str],
                           ) -> tuple[pd.DataFrame, list[str]]:
    """Row-level text columns that a model reads as categories (a level, a department, a
    cluster) cleaned by the stratum rule: a copy of ``frame`` with them cleaned, and the merge
    warnings. Numeric and boolean columns are left as they are. The input is not modified.

    >>> df = pd.DataFrame({"dept": ["Sales", "sales ", "Ops"], "tenure": [1.0, 2.0, 3.0]})
    >>> out, w = clean_category_columns(df, ["dept", "tenure"])
    >>> out["dept"].tolist(), df["dept"].tolist()[1], len(w)
    (['Sales', 'Sales', 'Ops'], 'sales ', 1)
    """
    out, warnings = frame, []
    for c in dict.fromkeys(columns):
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        cleaned, said = clean_stratum_rows(s, c)
        if said:
            out = out.copy() if out is frame else out
            # missing stays as it was read (NaN or None), for the callers' missing rules
            out[c] = cleaned.where(cleaned.notna(), s)
            warnings += said
    return out, warnings
