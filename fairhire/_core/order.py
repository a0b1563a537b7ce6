"""Ordered values given by the user: levels and ratings listed in order, lowest first.

``order=`` lists the values of a column in order, lowest first: the job levels of
:func:`fairhire.representation`, the ratings of :func:`fairhire.rating_disparity` and the
rating labels of :func:`fairhire.rubric_consistency`. :func:`check_order` checks that list
against the values in the data (every value listed once, no value of the data left out), and
:func:`positions` / :func:`place` give each value's place in it. A value matches its entry by
the label rule (:func:`fairhire._core.labels.label_key`: case and spaces aside) and by the
rule for codes (8.0, read so because a cell is blank, is 8), so every analysis reads the same
list the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, InvalidValueError, preview
from .groups import sort_key
from .labels import label_key, plain_value
from .missing import is_missing

__all__ = ["check_order", "place", "positions"]


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
    if len({label_key(str(plain_value(v))) for v in order}) != len(order):
        raise InvalidParameterError(f"{argument}= lists a value more than once (ignoring case and "
                                    f"spaces): {order!r}.")
    pos = positions(order)
    missing = [v for v in dict.fromkeys(present) if place(pos, v) is None]
    if missing:
        raise InvalidValueError(
            f"column {column!r} holds values missing from {argument}=: "
            f"{preview(sorted(missing, key=sort_key), limit=10)}. List every value of "
            f"{column!r} in {argument}= (lowest first), or recode those rows."
        )
    return order


def _forms(value: Any) -> tuple[Any, ...]:
    """The forms a value of the data or of ``order=`` is matched by: itself, its text, a
    whole number's (the core's rule for codes: 8.0, read so because a cell is blank, is 8),
    and last its label key (the label rule: "LEVEL 8 " is "Level 8")."""
    plain = plain_value(value)
    return (value, str(value), plain, str(plain), label_key(str(plain)))


def positions(order: Sequence[Any]) -> dict[Any, int]:
    """Position of each value of ``order`` (and of its text form) in the order.

    Examples
    --------
    >>> positions([1, "Level 2"])
    {1: 0, '1': 0, 'Level 2': 1, 'level 2': 1}
    """
    pos: dict[Any, int] = {}
    for i, v in enumerate(order):
        for form in _forms(v):
            pos.setdefault(form, i)
    return pos


def place(pos: Mapping[Any, int], value: Any) -> int | None:
    """The position of a value (of the data, or a ``top=``) in an order's :func:`positions`;
    None when the order does not list it.

    Examples
    --------
    >>> place(positions(["8", "9", "10"]), 9.0), place(positions([1, 2]), "3")
    (1, None)
    """
    for form in _forms(value):
        if form in pos:
            return pos[form]
    return None
