"""A figure a report withholds under ``min_cell``: :class:`Withheld`, a number that holds no
value and prints as "< 5" (a small count) or "s" (a figure that would reveal one)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["SUPPRESSED_DERIVED", "Withheld"]


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
