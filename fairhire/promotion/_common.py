"""Helpers shared by the promotion analyses: group labels, value checks, formatting."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, InvalidValueError, preview
from ..impact.compare import GROUP_SEPARATOR

__all__ = [
    "GROUP_SEPARATOR",
    "binary_values",
    "check_order",
    "fmt_num",
    "fmt_p",
    "group_labels",
    "is_missing",
    "p_text",
    "sort_key",
]


def is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def sort_key(value: object) -> tuple[int, float, str]:
    """Deterministic order for labels of mixed type: booleans, numbers, then text."""
    if isinstance(value, bool | np.bool_):
        return (0, float(value), "")
    if isinstance(value, int | float | np.integer | np.floating):
        return (1, float(value), "")
    return (2, 0.0, str(value))


def group_labels(table: pd.DataFrame, group_cols: Sequence[str]) -> pd.Series:
    """Text label per row (``"Female × Black"`` for intersections), None when any part is missing.

    The same labels the adverse-impact engine uses, so tables from both line up.
    """
    parts = table[list(group_cols)].astype(object)
    missing = parts.map(is_missing).any(axis=1).to_numpy()
    labels = [
        None if miss else GROUP_SEPARATOR.join(str(v) for v in row)
        for miss, row in zip(missing, parts.itertuples(index=False, name=None), strict=True)
    ]
    return pd.Series(labels, index=table.index, dtype=object)


_TRUE = {True}
_FALSE = {False}


def binary_values(values: pd.Series, counts: pd.Series, *, column: str, what: str) -> pd.Series:
    """Map the distinct values of a 0/1-or-boolean column to 1/0 (NaN for missing).

    ``values`` are the distinct values found (one per row of a small aggregated table) and
    ``counts`` how many rows hold each. Raises :class:`InvalidValueError` naming the column, the
    offending values and how many rows hold them.
    """
    out = []
    bad: dict[object, int] = {}
    for v, n in zip(values.tolist(), counts.tolist(), strict=True):
        if is_missing(v):
            out.append(math.nan)
        elif not isinstance(v, str) and _in(v, _TRUE):
            out.append(1.0)
        elif not isinstance(v, str) and _in(v, _FALSE):
            out.append(0.0)
        else:
            bad[v] = bad.get(v, 0) + int(n)
    if bad:
        raise InvalidValueError(
            f"column {column!r} ({what}) must hold True/False or 1/0; found "
            f"{preview(list(bad))} in {sum(bad.values()):,} rows. Recode the column as "
            "booleans (e.g. promoted = 1, not promoted = 0) and leave unknowns empty."
        )
    return pd.Series(out, index=values.index, dtype=float)


def _in(v: object, allowed: set) -> bool:
    try:
        return v in allowed
    except TypeError:
        return False


def check_order(
    present: Iterable[object], order: Sequence[object] | None, *, column: str, argument: str
) -> list[object]:
    """Validate a user's level/rating order against the values present; return the order.

    Every value present must appear in ``order`` (the error lists those that don't); values in
    ``order`` that are absent from the data are allowed (reported by the caller).
    """
    present = [v for v in present if not is_missing(v)]
    if order is None:
        return sorted(dict.fromkeys(present), key=sort_key)
    if isinstance(order, str) or not isinstance(order, Sequence | np.ndarray | pd.Index):
        raise InvalidParameterError(
            f"{argument}= must be a list of the values of {column!r} in order, lowest first; "
            f"got {order!r}."
        )
    order = list(order)
    if len(set(map(str, order))) != len(order):
        raise InvalidParameterError(f"{argument}= lists a value more than once: {order!r}.")
    known = set(order) | {str(o) for o in order}
    missing = [v for v in dict.fromkeys(present) if v not in known and str(v) not in known]
    if missing:
        raise InvalidValueError(
            f"column {column!r} holds values missing from {argument}=: "
            f"{preview(sorted(missing, key=sort_key), limit=10)}. List every value of "
            f"{column!r} in {argument}= (lowest first), or recode those rows."
        )
    return order


def fmt_p(p: float | None) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_num(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a" if x is None or math.isnan(x) else ("∞" if x > 0 else "-∞")
    return f"{x:.{digits}f}"


def p_text(p: float | None, name: str = "p") -> str:
    """``"p = 0.012"`` or ``"p < 0.001"`` for running text."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return f"{name} n/a"
    return f"{name} < 0.001" if p < 0.001 else f"{name} = {p:.3f}"
