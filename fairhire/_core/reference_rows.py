"""Saying why ``reference=`` names no group: the group may be in the data with every row excluded.

Analyses drop rows before they compare groups (a blank outcome, pay or date, an unknown label
in another group column), so a reference group can be in the user's data and still be "not one
of the groups". The plain message then reads as a typo. :func:`explains_reference` wraps a
public analysis: when it raises :class:`~fairhire._core.reference.UnknownReferenceError`, one
extra group-by over the data's group columns (on the error path only) counts the rows that carry
the reference label, and the error says that they were all excluded.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .._frames import as_columns, group_counts, to_narwhals
from ..errors import FairhireError
from .groups import group_label, group_labels
from .labels import label_key
from .names import internal_name
from .reference import UnknownReferenceError

__all__ = ["explains_reference", "rows_of_group"]

F = TypeVar("F", bound=Callable[..., Any])


def rows_of_group(data: Any, columns: list[str], reference: Any) -> int:
    """How many rows of ``data`` carry the group ``reference`` names (0 when none do).

    Labels are matched as ``reference=`` is everywhere (by value, or by label ignoring case and
    spaces, which is how the analyses merge spellings), over the raw values of the ``columns``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows_of_group(pd.DataFrame({"sex": ["F", "M", "x ", "X"]}), ["sex"], "x")
    2
    """
    n = internal_name(columns, "n")
    table = group_counts(to_narwhals(data), columns, count_name=n)
    labels = group_labels(table, columns)
    wanted = label_key(group_label(reference) if isinstance(reference, tuple) else str(reference))
    keys = table[columns].itertuples(index=False, name=None)
    found = 0
    for label, key, count in zip(labels, keys, table[n], strict=True):
        if label is None:
            continue
        try:
            same = reference in (key, key[0] if len(key) == 1 else key)
        except (TypeError, ValueError):  # e.g. a value that compares element-wise
            same = False
        if same or label_key(label) == wanted:
            found += int(count)
    return found


def explains_reference(group: str = "group", data: str = "data") -> Callable[[F], F]:
    """Decorate a public analysis whose ``group`` and ``data`` arguments name the groups, so
    that a ``reference=`` whose rows were all excluded is said to be so, not called unknown."""

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except UnknownReferenceError as error:
                bound = signature.bind_partial(*args, **kwargs).arguments
                try:
                    columns = as_columns(bound.get(group), argument=group)
                    n = rows_of_group(bound.get(data), columns, error.reference) if columns else 0
                except (FairhireError, KeyError, TypeError, ValueError):
                    n = 0  # the data cannot say more than the error already does
                if not n:
                    raise
                detail = (
                    f"The data has {n:,} row{'s' if n != 1 else ''} of that group, and every one "
                    "was excluded before the comparison (a blank outcome or value, an unknown "
                    "label in another group column, or a filter such as min_share=); a run "
                    "without reference= names the reasons in its rows and warnings; "
                    "to compare with it, fix those rows. "
                )
                raise UnknownReferenceError(error.reference, error.labels, detail) from None

        return wrapper  # type: ignore[return-value]

    return decorate
