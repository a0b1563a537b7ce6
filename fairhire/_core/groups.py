"""Group labels of one or several columns, and the one order groups are listed in.

Intersectional groups (``group=["sex", "race"]``) are labelled by joining their parts with
:data:`GROUP_SEPARATOR` (``"Female × Black"``), as fairlearn's ``MetricFrame`` does with a list
of sensitive features. Groups are listed in :func:`sort_key` order everywhere (tables, reports,
charts), so output never depends on the order of the input rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .missing import is_missing

__all__ = ["GROUP_SEPARATOR", "group_label", "group_labels", "sort_key", "sorted_labels"]

#: Joins the parts of an intersectional group label.
GROUP_SEPARATOR = " × "


def sort_key(value: Any) -> tuple[int, float, str]:
    """Deterministic order for labels of mixed type: booleans, numbers, text, then missing.

    Examples
    --------
    >>> sorted(["b", 2, True, None, "a", 1.5], key=sort_key)
    [True, 1.5, 2, 'a', 'b', None]
    """
    if is_missing(value):
        return (3, 0.0, "")
    if isinstance(value, bool | np.bool_):
        return (0, float(value), "")
    if isinstance(value, int | float | np.integer | np.floating):
        return (1, float(value), "")
    if isinstance(value, tuple):
        return (2, 0.0, GROUP_SEPARATOR.join(map(str, value)))
    return (2, 0.0, str(value))


def sorted_labels(values: Sequence[Any]) -> list[Any]:
    """Distinct values in :func:`sort_key` order."""
    return sorted(dict.fromkeys(values), key=sort_key)


def group_label(parts: Any) -> str | None:
    """Text label of one group (a value, or a tuple of values for an intersection).

    None when any part is missing.

    Examples
    --------
    >>> group_label(("Female", "Black")), group_label("Male"), group_label(("Female", None))
    ('Female × Black', 'Male', None)
    """
    parts = parts if isinstance(parts, tuple) else (parts,)
    if any(is_missing(p) for p in parts):
        return None
    return GROUP_SEPARATOR.join(str(p) for p in parts)


def group_labels(table: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """:func:`group_label` for every row of ``table`` over ``columns`` (object Series)."""
    rows = table[list(columns)].astype(object).itertuples(index=False, name=None)
    return pd.Series([group_label(r) for r in rows], index=table.index, dtype=object)
