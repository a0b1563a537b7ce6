"""Ordered values of the promotion analyses: job levels (representation) and ratings.

The user lists the values in order, lowest first (``order=``); :func:`check_order` checks that
list against the values in the data, and :func:`positions` gives each value's place in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import sort_key
from .._core.missing import is_missing
from ..errors import InvalidParameterError, InvalidValueError, preview

__all__ = ["check_order", "positions"]


def check_order(
    present: Iterable[object], order: Sequence[object] | None, *, column: str, argument: str
) -> list[object]:
    """Validate a user's level/rating order against the values present; return the order.

    Every value present must appear in ``order`` (the error lists those that don't); values in
    ``order`` that are absent from the data are allowed (reported by the caller). Without
    ``order``, the values present in their sorted order.

    Examples
    --------
    >>> check_order(["L2", "L1", None], ["L1", "L2", "L3"], column="level", argument="order")
    ['L1', 'L2', 'L3']
    >>> check_order([3, 1, 2, 1], None, column="rating", argument="order")
    [1, 2, 3]
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


def positions(order: Sequence[Any]) -> dict[Any, int]:
    """Position of each value of ``order`` (and of its text form) in the order.

    Examples
    --------
    >>> positions([1, 2, 3])
    {1: 0, '1': 0, 2: 1, '2': 1, 3: 2, '3': 2}
    """
    pos: dict[Any, int] = {}
    for i, v in enumerate(order):
        pos.setdefault(v, i)
        pos.setdefault(str(v), i)
    return pos
