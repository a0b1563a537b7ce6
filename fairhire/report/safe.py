"""Safe output helpers: Markdown escaping and spreadsheet-formula neutralisation.

HTML escaping is Jinja's autoescape (markupsafe). Markdown has no autoescape, so every
expression in a Markdown template goes through :func:`md_escape`; and a cell that a reader may
paste into a spreadsheet must not start with a formula character (OWASP "CSV injection").
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from markupsafe import Markup

__all__ = ["csv_cell", "csv_safe_frame", "md_escape", "md_finalize", "md_quote", "neutralise",
           "strip_controls"]

#: Characters that make a spreadsheet treat a cell as a formula (OWASP adds tab and CR).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A plain number (optionally signed, with separators or a percent sign) is left alone: it is
# not a formula, and prefixing negative figures with a quote would corrupt them.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?(e[+-]?\d+)?%?$", re.IGNORECASE)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$#])")


def neutralise(text: str) -> str:
    """Prefix a leading formula character with ``'`` unless the text is a plain number.

    >>> neutralise("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise("-0.52")
    '-0.52'
    """
    stripped = text.strip()
    number = any(c.isdigit() for c in stripped) and _PLAIN_NUMBER.match(stripped)
    if text.startswith(FORMULA_PREFIXES) and not number:
        return "'" + text
    return text


def csv_cell(value: Any) -> Any:
    """A value safe to write to a CSV cell: strings are neutralised, numbers pass through.

    >>> csv_cell("@SUM(A1)")
    "'@SUM(A1)"
    >>> csv_cell(3)
    3
    """
    if isinstance(value, str):
        return neutralise(value)
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot start a formula.

    >>> csv_safe_frame(pd.DataFrame({"group": ["=1+1", "men"]})).group.tolist()
    ["'=1+1", 'men']
    """
    out = frame.copy()
    out.columns = [csv_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    return out


#: Characters a label may carry that change how the text around it is shown, or that are not
#: text: C0/C1 controls (but tab and newline), and the bidirectional embeddings, overrides and
#: isolates (U+202A-202E, U+2066-2069; a right-to-left override in a group label would show
#: the rest of a sentence, its figures included, reversed). Line and paragraph separators
#: would break a line (a Markdown table row) where the label is.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SEPARATORS = re.compile("[\u2028\u2029\x85]")


def strip_controls(text: str) -> str:
    r"""``text`` without control and bidirectional-override characters (separators as spaces).

    >>> strip_controls("Group\u202e 0.50 \x00x\u2028y")
    'Group 0.50 x y'
    """
    return _CONTROLS.sub("", _SEPARATORS.sub(" ", text))


def _one_line(value: str) -> str:
    r"""Whitespace runs as one space, keeping a space at either end (", " stays ", ").

    >>> _one_line(" a\n  b "), _one_line(", "), _one_line("\n")
    (' a b ', ', ', ' ')
    """
    text = " ".join(value.split())
    if not text:
        return " " if value else ""
    return (" " if value[0].isspace() else "") + text + (" " if value[-1].isspace() else "")


def md_escape(value: Any, *, formula: bool = True) -> str:
    """Escape text for inline Markdown: inert HTML, literal punctuation, one line, no formula
    (``formula=False`` inside a sentence, where the text cannot start a spreadsheet cell).

    >>> md_escape("<script>a|b</script>")
    '&lt;script&gt;a\\\\|b&lt;/script&gt;'
    >>> md_escape("=cmd"), md_escape("=cmd", formula=False)
    ("'=cmd", '=cmd')
    """
    text = _one_line(value) if isinstance(value, str) else str(value)
    if formula:
        text = neutralise(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook of the Markdown environment: escape everything not marked safe."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(md_escape(value))


def md_quote(value: Any) -> Markup:
    """Multi-line user text as a Markdown block quote, escaped line by line.

    >>> print(md_quote("line one\\n# not a heading"))
    > line one
    > \\# not a heading
    """
    if value is None:
        return Markup("")
    lines = str(value).splitlines() or [""]
    return Markup("\n".join(("> " + md_escape(line)).rstrip() for line in lines))
