"""Checking arguments, in one place (as scikit-learn's ``check_scalar``).

Every public function checks its options through these helpers at its boundary, so every bad
argument gives an :class:`~fairhire.errors.InvalidParameterError` that names the parameter,
shows the value and says what is allowed. Strings are never read as booleans or numbers:
``cumulative="False"`` is an error, not True; ``alpha="0.05"`` is an error, not a TypeError
deep inside a test. The command line and the audit config convert their text *before* calling,
with the same helpers, so they give the same messages.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InvalidParameterError, show_value
from ..stats.proportions import as_fraction

__all__ = [
    "ADJUSTMENTS", "ALTERNATIVES", "check_adjust", "check_alpha", "check_alternative",
    "check_among", "check_bool", "check_choice", "check_confidence", "check_int", "check_min_n",
    "check_number", "check_share", "check_threshold",
]

#: The multiple-comparison adjustments of p-values (``adjust=``; ``"bh"`` reads as ``"fdr_bh"``).
ADJUSTMENTS = ("holm", "fdr_bh", "bonferroni", "none")
#: The alternative hypotheses of a group comparison (``alternative=``).
ALTERNATIVES = ("two-sided", "less", "greater")


def check_bool(value: Any, name: str) -> bool:
    """A real boolean (``True``/``False``, numpy booleans); anything else is an error.

    Examples
    --------
    >>> check_bool(True, "cumulative")
    True
    >>> check_bool("False", "cumulative")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidParameterError: cumulative='False' must be True or False (a boolean, not text).
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    kind = "not text" if isinstance(value, str) else f"not {type(value).__name__}"
    raise InvalidParameterError(
        f"{name}={show_value(value)} must be True or False (a boolean, {kind})."
    )


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool = False,
    hint: str = "",
) -> float | None:
    """A finite real number within ``[low, high]`` (open ends with ``low_open``/``high_open``).

    Examples
    --------
    >>> check_number(0.5, "min_share", low=0, high=1, high_open=True)
    0.5
    >>> check_number("x", "min_share", low=0, high=1)
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidParameterError: min_share='x' must be a number in [0, 1], not text.
    """
    if value is None and allow_none:
        return None
    interval = _interval(low, high, low_open, high_open)
    tail = f" {hint}" if hint else ""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        kind = "text" if isinstance(value, str) else type(value).__name__
        raise InvalidParameterError(
            f"{name}={show_value(value)} must be a number{interval}, not {kind}.{tail}"
        )
    x = float(value)
    bad = (
        not math.isfinite(x)
        or (low is not None and (x < low or (low_open and x == low)))
        or (high is not None and (x > high or (high_open and x == high)))
    )
    if bad:
        raise InvalidParameterError(f"{name}={show_value(value)} must be a number{interval}.{tail}")
    return x


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f" {'>' if low_open else '≥'} {low:g}"
    if low is None:
        return f" {'<' if high_open else '≤'} {high:g}"
    return f" in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def check_int(value: Any, name: str, *, low: int | None = None, high: int | None = None,
              allow_none: bool = False) -> int | None:
    """A whole number (not a bool, not text) within ``[low, high]``.

    Examples
    --------
    >>> check_int(30, "min_n", low=1)
    30
    >>> check_int(2.5, "min_n", low=1)
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidParameterError: min_n=2.5 must be a whole number ≥ 1.
    """
    if value is None and allow_none:
        return None
    interval = _interval(low, high, False, False)
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    if not ok and isinstance(value, float | np.floating) and float(value).is_integer():
        ok, value = True, int(value)
    if not ok:
        raise InvalidParameterError(f"{name}={show_value(value)} must be a whole number{interval}.")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        raise InvalidParameterError(f"{name}={show_value(value)} must be a whole number{interval}.")
    return v


def check_choice(
    value: Any, name: str, choices: Collection[str], *, aliases: Mapping[str, str] | None = None
) -> str:
    """One of ``choices`` (or an alias of one); the message lists them.

    Examples
    --------
    >>> check_choice("bh", "adjust", ["holm", "fdr_bh", "none"], aliases={"bh": "fdr_bh"})
    'fdr_bh'
    """
    aliases = dict(aliases or {})
    if isinstance(value, str) and value in aliases:
        return aliases[value]
    if isinstance(value, str) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    raise InvalidParameterError(f"{name}={show_value(value)} is not one of the choices: {listed}.")


def check_adjust(value: Any, name: str = "adjust") -> str:
    """A p-value adjustment: one of :data:`ADJUSTMENTS`, or ``"bh"`` for ``"fdr_bh"``.

    Examples
    --------
    >>> check_adjust("holm"), check_adjust("bh")
    ('holm', 'fdr_bh')
    """
    return check_choice(value, name, ADJUSTMENTS, aliases={"bh": "fdr_bh"})


def check_alternative(value: Any, name: str = "alternative") -> str:
    """An alternative hypothesis: one of :data:`ALTERNATIVES`.

    Examples
    --------
    >>> check_alternative("less")
    'less'
    """
    return check_choice(value, name, ALTERNATIVES)


def check_min_n(value: Any) -> int:
    """``min_n`` where a reference group is chosen: the smallest group that may be the
    reference, a whole number ≥ 0 (0, like 1, means no minimum).

    Examples
    --------
    >>> check_min_n(30), check_min_n(0)
    (30, 0)
    """
    return check_int(value, "min_n", low=0)


def check_alpha(value: Any, name: str = "alpha") -> float:
    """A significance level in (0, 1), e.g. 0.05."""
    return check_number(
        value, name, low=0, high=1, low_open=True, high_open=True, hint="Use e.g. 0.05."
    )


def check_confidence(value: Any, name: str = "confidence") -> float:
    """A confidence level in (0, 1), e.g. 0.95."""
    return check_number(
        value, name, low=0, high=1, low_open=True, high_open=True, hint="Use e.g. 0.95."
    )


def check_share(value: Any, name: str = "min_share") -> float | None:
    """A share in [0, 1), or None for no minimum (e.g. ``min_share=0.02``, the LL144 2% rule)."""
    hint = "NYC LL144 and UGESP practice use 0.02; None means no minimum."
    return check_number(value, name, low=0, high=1, high_open=True, allow_none=True, hint=hint)


def check_threshold(value: Any, name: str = "threshold") -> Fraction:
    """An impact-ratio threshold in (0, 1], read exactly: 0.8, ``"4/5"`` or ``Fraction(4, 5)``.

    Floats are read through their decimal text, so 0.8 is exactly 4/5.

    Examples
    --------
    >>> check_threshold(0.8), check_threshold("4/5")
    (Fraction(4, 5), Fraction(4, 5))
    """
    if isinstance(value, bool | np.bool_):
        raise InvalidParameterError(f"{name}={value!r} must be a number in (0, 1], e.g. 0.8.")
    return as_fraction(value, name=name)


def check_among(values: Sequence[str], allowed: Sequence[str], name: str, among: str
                ) -> list[str]:
    """``values`` (column names given as ``name=``), each one of ``allowed`` (those of
    ``among=``): a name that is not would be ignored, so it is an error naming it.

    Examples
    --------
    >>> check_among(["level"], ["level", "tenure"], "categorical", "controls")
    ['level']
    >>> check_among(["levle"], ["level"], "categorical", "controls")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidParameterError: categorical= names ['levle'], not among controls= ['level']: it says which of those columns to read as categories. Add it to controls= or correct the name.
    """
    extra = [v for v in values if v not in allowed]
    if extra:
        raise InvalidParameterError(
            f"{name}= names {extra!r}, not among {among}= {list(allowed)!r}: it says which of "
            f"those columns to read as categories. Add it to {among}= or correct the name."
        )
    return list(values)
