"""Number formatting for reports, with small-count suppression.

The filters are the same in HTML and Markdown. They return :class:`markupsafe.Markup` because
their output is built only from numbers (never from user text), so neither the HTML autoescape
nor the Markdown escaper needs to touch it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from markupsafe import Markup, escape

__all__ = ["MISSING", "SUPPRESSED_DERIVED", "Formatter"]

#: Printed for a missing value (None, NaN).
MISSING = "–"
#: Printed for a figure hidden because it would reveal a suppressed count.
SUPPRESSED_DERIVED = "s"


def _number(value: Any) -> float | None:
    """The value as a finite float, or None for None/NaN/NA/inf/non-numbers."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool | np.bool_):
        return float(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@dataclass
class Formatter:
    """Formatting filters bound to one render (they know ``min_cell``)."""

    min_cell: int | None = None
    #: "html" or "markdown": how a literal "<" is written
    format: str = "html"
    #: set when a count was suppressed during this render
    suppressed: bool = False

    @property
    def lt(self) -> str:
        return "&lt;" if self.format == "html" else "<"

    # -- suppression ---------------------------------------------------------------------------
    def small(self, *counts: Any) -> bool:
        """True when ``min_cell`` is set and any count is below it."""
        if self.min_cell is None:
            return False
        for c in counts:
            f = _number(c)
            if f is not None and f < self.min_cell:
                return True
        return False

    def _hidden(self) -> Markup:
        self.suppressed = True
        return Markup(SUPPRESSED_DERIVED)

    # -- filters -------------------------------------------------------------------------------
    def count(self, value: Any, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if self.small(f):
            self.suppressed = True
            return Markup(f"{self.lt} {self.min_cell}")
        if hide:
            return self._hidden()
        if float(f).is_integer():
            return Markup(f"{int(f):,}")
        return Markup(f"{f:,.1f}")

    def pct(self, value: Any, digits: int = 1, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        return Markup(f"{f * 100:.{digits}f}%")

    def signed_pct(self, value: Any, digits: int = 1, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        return Markup(f"{f * 100:+.{digits}f}%")

    def ratio(self, value: Any, digits: int = 2, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        return Markup(f"{f:.{digits}f}")

    def num(self, value: Any, digits: int = 2, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        return Markup(f"{f:,.{digits}f}")

    def pvalue(self, value: Any, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        if f < 0.001:
            return Markup(f"{self.lt} 0.001")
        if f >= 0.1:
            return Markup(f"{f:.2f}")
        return Markup(f"{f:.2g}")

    def money(self, value: Any, currency: str = "", digits: int = 0, hide: bool = False) -> Markup:
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if hide:
            return self._hidden()
        prefix = f"{escape(currency)} " if currency else ""
        # Half up, as people round money (Python's format would round half to even).
        quantum = Decimal(1).scaleb(-digits)
        amount = Decimal(repr(f)).quantize(quantum, rounding=ROUND_HALF_UP)
        return Markup(f"{prefix}{amount:,.{digits}f}")

    def yesno(self, value: Any) -> Markup:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return Markup(MISSING)
        try:
            return Markup("yes" if bool(value) else "no")
        except (TypeError, ValueError):  # pd.NA
            return Markup(MISSING)

    def ci(self, bounds: Any, digits: int = 2, kind: str = "ratio", hide: bool = False) -> Markup:
        low, high = (None, None) if bounds is None else tuple(bounds)
        if _number(low) is None and _number(high) is None:
            return Markup(MISSING)
        fmt = self.pct if kind == "pct" else self.ratio
        if hide:
            return self._hidden()
        return Markup(f"{fmt(low, digits)}–{fmt(high, digits)}")

    def text(self, value: Any) -> Any:
        return MISSING if value is None or (isinstance(value, float) and math.isnan(value)) else value

    # -- registry ------------------------------------------------------------------------------
    #: formats whose cells are hidden when the row's counts are suppressed
    DERIVED_FORMATS = frozenset({"pct", "signed_pct", "ratio", "num", "money", "ci"})

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "count": self.count,
            "pct": self.pct,
            "signed_pct": self.signed_pct,
            "ratio": self.ratio,
            "num": self.num,
            "pvalue": self.pvalue,
            "money": self.money,
            "yesno": self.yesno,
            "ci": self.ci,
        }

    def format_cell(self, fmt: str, value: Any, hide: bool = False, **kwargs: Any) -> Any:
        """Format one table cell by format name (``text`` returns the raw value to escape)."""
        if fmt == "text":
            return self.text(value)
        if fmt == "count":
            return self.count(value)
        if fmt == "yesno":
            return self.yesno(value)
        if fmt == "pvalue":
            return self.pvalue(value)
        func = self.filters().get(fmt)
        if func is None:
            from ..errors import ReportError

            raise ReportError(
                f"unknown table column format {fmt!r}; use one of "
                f"{sorted([*self.filters(), 'text'])}."
            )
        return func(value, hide=hide and fmt in self.DERIVED_FORMATS, **kwargs)
