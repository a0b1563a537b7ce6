"""Writing numbers for people, in one place: p-values, counts, ratios, percentages, money.

Results' ``summary()`` and ``headlines()``, the report templates and charts, the command line
and the web app all write numbers through these functions, so a p-value or a ratio reads the
same everywhere. Two rules keep the words and the numbers from contradicting each other:

- a number compared with a threshold is shown with enough digits to show which side of the
  threshold it lies on: an impact ratio of 0.795 is "0.795", never "0.80 (below four-fifths)";
  a p-value of 0.0496 is "0.0496", never "0.050 (significant at 0.05)";
- counts of people are whole numbers ("1,786"), never "1,786.000".

Negative numbers use the minus sign (−), as typeset text does.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = [
    "MINUS", "column_kind", "format_count", "format_counted", "format_money", "format_number", "format_p",
    "format_percent", "format_percent_figure", "format_points", "format_ratio", "p_text",
    "threshold_line", "threshold_rule",
]

MINUS = "\u2212"
NA = "n/a"


def _real(value: Any) -> float | None:
    if value is None or isinstance(value, bool | str):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def _side_digits(x: float, threshold: float | None, digits: int, most: int = 6) -> int:
    """Smallest number of decimals >= ``digits`` at which rounding keeps x's side of threshold."""
    if threshold is None:
        return digits
    for d in range(digits, most + 1):
        shown = round(x, d)
        if (x < threshold) == (shown < threshold) and (x == threshold) == (shown == threshold):
            return d
    return most


def format_number(value: Any, digits: int = 2, *, threshold: float | None = None) -> str:
    """A number with ``digits`` decimals (more when needed to stay on its side of
    ``threshold``); infinities as ∞; missing as "n/a".

    Examples
    --------
    >>> format_number(-3.14159), format_number(float("inf")), format_number(None)
    ('−3.14', '∞', 'n/a')
    """
    x = _real(value)
    if x is None:
        return NA
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    d = _side_digits(x, threshold, digits)
    return _signed(f"{x:,.{d}f}")


def format_ratio(value: Any, threshold: float | None = 0.8, digits: int = 2) -> str:
    """An impact ratio: two decimals, or as many as it takes to show its side of ``threshold``.

    Examples
    --------
    >>> format_ratio(0.795), format_ratio(0.8), format_ratio(0.8049), format_ratio(0.61)
    ('0.795', '0.80', '0.805', '0.61')
    """
    return format_number(value, digits, threshold=threshold)


def threshold_line(threshold: Any) -> str:
    """The impact-ratio threshold as a share of the reference's rate, for sentences:
    "four-fifths" for 0.8 (the four-fifths rule), otherwise a percentage.

    Examples
    --------
    >>> threshold_line(0.8), threshold_line(0.9), threshold_line("3/4")
    ('four-fifths', '90%', '75%')
    """
    from fractions import Fraction

    value = float(Fraction(str(threshold)))
    if abs(value - 0.8) < 1e-9:
        return "four-fifths"
    return f"{round(value * 100, 4):g}%"


def threshold_rule(threshold: Any) -> str:
    """What a ratio below the threshold is evidence under: "the four-fifths rule", or "a 90%
    threshold" for another threshold (the four-fifths rule names 0.8 only).

    Examples
    --------
    >>> threshold_rule(0.8), threshold_rule(0.9)
    ('the four-fifths rule', 'a 90% threshold')
    """
    line = threshold_line(threshold)
    return "the four-fifths rule" if line == "four-fifths" else f"a {line} threshold"


def format_p(value: Any, alpha: float | None = 0.05) -> str:
    """A p-value: "< 0.001", or three decimals (more when needed to show its side of alpha).

    Examples
    --------
    >>> format_p(4.98e-81), format_p(0.01234), format_p(0.0496), format_p(float("nan"))
    ('< 0.001', '0.012', '0.0496', 'n/a')
    """
    x = _real(value)
    if x is None:
        return NA
    if x < 0.001:
        return "< 0.001"
    d = _side_digits(x, alpha, 3)
    return f"{min(x, 1.0):.{d}f}"


def p_text(value: Any, name: str = "p", alpha: float | None = 0.05) -> str:
    """A p-value for running text: "p < 0.001", "p = 0.012", "p n/a".

    Examples
    --------
    >>> p_text(0.0004), p_text(0.2), p_text(0.03, name="Fisher p")
    ('p < 0.001', 'p = 0.200', 'Fisher p = 0.030')
    """
    shown = format_p(value, alpha)
    if shown == NA:
        return f"{name} {NA}"
    return f"{name} {shown}" if shown.startswith("<") else f"{name} = {shown}"


def format_count(value: Any) -> str:
    """A count of people: a whole number with thousands separators.

    Examples
    --------
    >>> format_count(1786.0), format_count(12), format_count(None)
    ('1,786', '12', 'n/a')
    """
    x = _real(value)
    if x is None or math.isinf(x):
        return NA
    return _signed(f"{round(x):,d}")


def format_counted(value: Any, one: str = "person", many: str = "people") -> str:
    """A count with its noun, singular for exactly one: "1 person", "1,786 people".

    Examples
    --------
    >>> format_counted(1), format_counted(1786), format_counted(1, "exit", "exits")
    ('1 person', '1,786 people', '1 exit')
    """
    return f"{format_count(value)} {one if _real(value) == 1 else many}"


def format_percent(value: Any, digits: int = 1, *, threshold: float | None = None) -> str:
    """A share (0.355) as a percentage ("35.5%").

    Examples
    --------
    >>> format_percent(0.355), format_percent(-0.046), format_percent(1)
    ('35.5%', '−4.6%', '100.0%')
    """
    x = _real(value)
    if x is None:
        return NA
    t = None if threshold is None else threshold * 100
    return format_number(x * 100, digits, threshold=t) + "%"


def format_percent_figure(value: Any, digits: int = 1) -> str:
    """A figure already in percent (a pay gap of 4.6) written with its sign: "4.6%"; "n/a"
    when it is missing, never "n/a%".

    Examples
    --------
    >>> format_percent_figure(4.6), format_percent_figure(-12.25, 2), format_percent_figure(None)
    ('4.6%', '−12.25%', 'n/a')
    """
    x = _real(value)
    return NA if x is None else format_number(x, digits) + "%"


def format_points(value: Any, digits: int = 1) -> str:
    """A difference of two percentages, in percentage points (0.052 → "5.2 pp").

    Examples
    --------
    >>> format_points(-0.092)
    '−9.2 pp'
    """
    x = _real(value)
    if x is None:
        return NA
    return format_number(x * 100, digits) + " pp"


def format_money(value: Any, currency: str = "", digits: int = 0) -> str:
    """An amount of money: "£31,200", "−1,250", with ``digits`` decimals.

    Examples
    --------
    >>> format_money(31200, "£"), format_money(-1250.4), format_money(2.5)
    ('£31,200', '−1,250', '3')
    """
    x = _real(value)
    if x is None or math.isinf(x):
        return NA
    # half up, as people round money (float formatting would round 0.5 to even)
    amount = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return (MINUS if x < 0 else "") + currency + f"{amount:,.{digits}f}"


def column_kind(name: object) -> str | None:
    """What a result column's name says its numbers are, for how they are written: "p" (a
    p-value), "ratio", "rate" (a share, written as a percentage), "pct" (already in percent),
    or None (the name does not say).

    Examples
    --------
    >>> [column_kind(c) for c in ("p_value_fisher", "cmh_p_value", "impact_ratio",
    ...                           "selection_rate", "retention_at", "gap_pct", "applicants")]
    ['p', 'p', 'ratio', 'rate', 'rate', 'pct', None]
    """
    lower = str(name).lower()
    if lower.startswith(("p_value", "pvalue")) or lower in {"p", "p_adjusted"} or lower.endswith(
            ("_p", "_p_value")):
        return "p"
    if "ratio" in lower:
        return "ratio"
    if lower.endswith(("_rate", "_share")) or lower in {"rate", "share", "retention_at"}:
        return "rate"
    if lower.endswith("_pct"):
        return "pct"
    return None
