"""Number formatting for reports: one formatter, the shared number rules, suppression markers.

Every figure a partial or chart prints goes through :class:`Formatter`, which writes numbers
with :mod:`fairhire._core.text` (the same rules as every result's ``summary()``): counts as
whole numbers, shares as percentages, ratios and p-values with enough digits to show which side
of their threshold they lie on, money, percentage points. A figure withheld by small-count
suppression (a :class:`~fairhire.report.suppress.Withheld` value) prints as "< 5" or "s",
whatever filter is applied to it.

The filters return :class:`markupsafe.Markup`: their output is built only from numbers (never
from user text), so neither the HTML autoescape nor the Markdown escaper needs to touch it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from .._core import text as core
from .sentences import plain_words
from .suppress import SUPPRESSED_DERIVED, Withheld
from .withheld import hidden_by

__all__ = ["MISSING", "SUPPRESSED_DERIVED", "Formatter"]

#: Printed for a missing value (None, NaN).
MISSING = "–"


def _number(value: Any) -> float | None:
    """The value as a finite float, or None for None/NaN/NA/inf/non-numbers/withheld."""
    if value is None or isinstance(value, str | Withheld):
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
    #: set when a figure was suppressed during this render
    suppressed: bool = False

    def _out(self, text: str) -> Markup:
        return escape(text) if self.format == "html" else Markup(text)

    # -- suppression ---------------------------------------------------------------------------
    def small(self, *counts: Any, complements: bool = True) -> bool:
        """True when any count is withheld, or below ``min_cell`` (``complements=False``: only
        a count below ``min_cell``, not one withheld so that another cannot be worked out)."""
        return hidden_by(self.min_cell, *counts, complements=complements)

    def _withheld(self, value: Any) -> Markup | None:
        if isinstance(value, Withheld):
            self.suppressed = True
            return self._out(str(value))
        return None

    def _guard(self, value: Any, hide: bool) -> Markup | None:
        """Markup for a withheld, hidden or missing value; None when the value is shown."""
        held = self._withheld(value)
        if held is not None:
            return held
        return self._hidden(hide, _number(value) is None)

    def _hidden(self, hide: bool, missing: bool) -> Markup | None:
        """"s" for a hidden figure, "–" for a missing one (hidden first: "–" where a figure
        is undefined, no one selected, would say what the withheld counts are)."""
        if hide:
            self.suppressed = True
            return Markup(SUPPRESSED_DERIVED)
        return Markup(MISSING) if missing else None

    # -- filters -------------------------------------------------------------------------------
    def count(self, value: Any, hide: bool = False) -> Markup:
        """A count of people: "1,786"; "< 5" below ``min_cell``."""
        held = self._withheld(value)
        if held is not None:
            return held
        f = _number(value)
        if f is None:
            return Markup(MISSING)
        if self.small(f):
            self.suppressed = True
            return self._out(f"< {self.min_cell}")
        if hide:
            self.suppressed = True
            return Markup(SUPPRESSED_DERIVED)
        return Markup(core.format_count(f))

    def pct(self, value: Any, digits: int = 1, hide: bool = False,
            threshold: float | None = None) -> Markup:
        """A share as a percentage: 0.355 → "35.5%"."""
        return self._guard(value, hide) or Markup(
            core.format_percent(value, digits, threshold=threshold))

    def signed_pct(self, value: Any, digits: int = 1, hide: bool = False) -> Markup:
        """A signed share as a percentage: "+4.6%", "−4.6%"."""
        shown = self._guard(value, hide)
        if shown is not None:
            return shown
        text = core.format_percent(value, digits)
        return Markup(("+" + text) if float(value) > 0 else text)

    def points(self, value: Any, digits: int = 1, hide: bool = False) -> Markup:
        """A difference of two shares in percentage points: 0.052 → "5.2 pp"."""
        return self._guard(value, hide) or Markup(core.format_points(value, digits))

    def ratio(self, value: Any, digits: int = 2, hide: bool = False,
              threshold: float | None = 0.8) -> Markup:
        """A ratio, with extra digits near ``threshold`` (0.795, never "0.80")."""
        return self._guard(value, hide) or Markup(core.format_ratio(value, threshold, digits))

    def num(self, value: Any, digits: int = 2, hide: bool = False, suffix: str = "") -> Markup:
        """A plain number with ``digits`` decimals and thousands separators, then ``suffix``
        ("%" for a figure already in percent); a missing or withheld value gets no suffix."""
        return self._guard(value, hide) or self._out(core.format_number(value, digits) + suffix)

    def pvalue(self, value: Any, hide: bool = False, alpha: float | None = 0.05) -> Markup:
        """A p-value: "< 0.001", three decimals, more near ``alpha`` (0.0496)."""
        shown = self._guard(value, hide)
        return shown if shown is not None else self._out(core.format_p(value, alpha))

    def money(self, value: Any, currency: str = "", digits: int = 0, hide: bool = False) -> Markup:
        """An amount of money: "£31,200"."""
        shown = self._guard(value, hide)
        if shown is not None:
            return shown
        prefix = str(escape(currency)) + (" " if len(currency) > 1 else "")  # "£5", "GBP 5"
        return Markup(core.format_money(value, prefix, digits))

    def yesno(self, value: Any) -> Markup:
        held = self._withheld(value)
        if held is not None:
            return held
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return Markup(MISSING)
        try:
            return Markup("yes" if bool(value) else "no")
        except (TypeError, ValueError):  # pd.NA
            return Markup(MISSING)

    def ci(self, bounds: Any, digits: int = 2, kind: str = "ratio", hide: bool = False) -> Markup:
        """A confidence interval "low to high": ratios, percentages (``kind="pct"``), percentage
        points (``kind="points"``) or numbers (``kind="num"``)."""
        low, high = (None, None) if bounds is None else tuple(bounds)
        for bound in (low, high):
            held = self._withheld(bound)
            if held is not None:
                return held
        shown = self._hidden(hide, _number(low) is None and _number(high) is None)
        if shown is not None:
            return shown
        fmt = {"pct": self.pct, "num": self.num, "points": self.points}.get(kind)
        if fmt is None:
            return Markup(f"{core.format_number(low, digits)} to {core.format_number(high, digits)}")
        return Markup(f"{fmt(low, digits)} to {fmt(high, digits)}")

    def text(self, value: Any, label: bool = False) -> Any:
        """A text cell: the library's words with settings and code quotes said in words; a
        ``label`` (a group, stage or category from the data) exactly as the data spell it."""
        if isinstance(value, Withheld):
            return self._withheld(value)
        if isinstance(value, str):
            return value if label else plain_words(value)
        return MISSING if value is None or (isinstance(value, float) and math.isnan(value)) else value

    # -- registry ------------------------------------------------------------------------------
    #: formats whose cells are hidden when the row's counts are suppressed
    DERIVED_FORMATS = frozenset({"pct", "signed_pct", "points", "ratio", "num", "money", "ci",
                                 "pvalue"})

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "count": self.count,
            "pct": self.pct,
            "signed_pct": self.signed_pct,
            "points": self.points,
            "ratio": self.ratio,
            "num": self.num,
            "pvalue": self.pvalue,
            "money": self.money,
            "yesno": self.yesno,
            "ci": self.ci,
        }

    def format_cell(self, fmt: str, value: Any, hide: bool = False, label: bool = False,
                    **kwargs: Any) -> Any:
        """Format one table cell by format name (``text`` returns the raw value to escape;
        ``label``: it is a label from the data, printed as spelled)."""
        if fmt == "text":
            return self.text(value, label=label)
        if fmt in ("count", "yesno"):
            return self.filters()[fmt](value)
        func = self.filters().get(fmt)
        if func is None:
            from ..errors import ReportError

            raise ReportError(
                f"unknown table column format {fmt!r}; use one of "
                f"{sorted([*self.filters(), 'text'])}."
            )
        return func(value, hide=hide and fmt in self.DERIVED_FORMATS, **kwargs)
