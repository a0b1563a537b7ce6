"""Errors raised by fairhire.

Every error is a :class:`FairhireError`. Messages name the column, show a few of the offending
values and how many rows are affected, and say what to do about it, so that an HR analyst can fix
an export without reading a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import get_close_matches

__all__ = [
    "ColumnError", "FairhireError", "InputTypeError", "InsufficientDataError",
    "InvalidParameterError", "InvalidValueError", "ReportError",
]


class FairhireError(Exception):
    """Base class of every error fairhire raises on purpose."""


class InputTypeError(FairhireError, TypeError):
    """The data is not a supported data frame, or a value has the wrong type."""


class ColumnError(FairhireError, KeyError):
    """A required column is missing, or a column has an unusable type."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InvalidValueError(FairhireError, ValueError):
    """A column holds values fairhire cannot use (missing, out of range, unknown labels)."""


class InvalidParameterError(FairhireError, ValueError):
    """An argument to a fairhire function is invalid."""


class InsufficientDataError(FairhireError, ValueError):
    """There is not enough data to compute what was asked (empty frame, a single group...)."""


class ReportError(FairhireError):
    """A report cannot be rendered (no template for a result type, bad template directory...)."""


def show_value(value: object) -> str:
    """One value for an error message: its repr, shortened to 60 characters.

    Examples
    --------
    >>> show_value("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def preview(values: Iterable[object], limit: int = 5) -> str:
    """Render up to ``limit`` example values for an error message."""
    items = list(values)
    shown = ", ".join(repr(v) for v in items[:limit])
    more = f", ... ({len(items) - limit} more)" if len(items) > limit else ""
    return f"[{shown}{more}]"


def missing_column_error(
    missing: Sequence[str], available: Sequence[str], *, argument: str | None = None
) -> ColumnError:
    """Build the error for columns absent from a frame, suggesting near matches."""
    hints = []
    names = {str(a) for a in available}
    for name in missing:
        parts = [p.strip() for p in str(name).split(",")]
        if len(parts) > 1 and all(p in names for p in parts):
            hints.append(f"{name!r} names {len(parts)} columns: give them one by one (a list "
                         f"in Python, {parts!r}; separated by spaces on the command line).")
            continue
        close = get_close_matches(str(name), [str(a) for a in available], n=2, cutoff=0.6)
        if close:
            hints.append(f"did you mean {' or '.join(repr(c) for c in close)} for {name!r}?")
    where = f" (passed as {argument}=)" if argument else ""
    noun = "column" if len(missing) == 1 else "columns"
    msg = (
        f"{noun} {preview(missing)}{where} not found in the data. "
        f"Available columns: {preview(available, limit=12)}."
    )
    if hints:
        msg += " " + " ".join(hints)
    msg += " Pass the name of a column that exists, or rename the column in your export."
    return ColumnError(msg)
