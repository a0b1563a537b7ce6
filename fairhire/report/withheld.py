"""A figure a report withholds under ``min_cell``: :class:`Withheld`, a number that holds no
value and prints as "< 5" (a small count) or "s" (a figure that would reveal one)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["SUPPRESSED_DERIVED", "Withheld", "hidden_by"]


#: Printed for a figure withheld because it would reveal a suppressed count.
SUPPRESSED_DERIVED = "s"


class Withheld(float):
    """A figure withheld from the report; holds no value (it is NaN as a number).

    ``small=True``: a count below ``min_cell`` ("< 5"); otherwise a figure that would reveal
    one ("s"). Comparisons are False and arithmetic gives NaN, so templates that test a
    withheld value skip it rather than fail.
    """

    small: bool
    min_cell: int

    def __new__(cls, *, small: bool, min_cell: int) -> Withheld:
        obj = super().__new__(cls, math.nan)
        obj.small = small
        obj.min_cell = min_cell
        return obj

    def __str__(self) -> str:
        return f"< {self.min_cell}" if self.small else SUPPRESSED_DERIVED

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)

    def __html__(self) -> str:
        return str(self).replace("<", "&lt;")

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> Any:
        return (_withheld, (self.small, self.min_cell))


def _withheld(small: bool, min_cell: int) -> Withheld:
    return Withheld(small=small, min_cell=min_cell)


def hidden_by(min_cell: int | None, *counts: Any, complements: bool = True) -> bool:
    """Whether a row's figures are hidden by these counts: one is withheld, or a number below
    ``min_cell`` (``complements=False``: not for a count withheld only so that another cannot
    be worked out, "s"). Text, None and NaN are no count.

    >>> hidden_by(5, 12, 3), hidden_by(None, 3), hidden_by(5, 40, None, "2")
    (True, False, False)
    >>> hidden_by(5, Withheld(small=False, min_cell=5), complements=False)
    False
    """
    for c in counts:
        if isinstance(c, Withheld):
            if complements or c.small:
                return True
            continue
        if min_cell is None or c is None or isinstance(c, str):
            continue
        try:
            f = float(c)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f) and f < min_cell:
            return True
    return False
