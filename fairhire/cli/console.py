"""Results on the console: findings first, then the main table with numbers written once.

The console writes numbers through :mod:`fairhire._core.text`, as reports do: p-values as
"< 0.001" or three decimals, counts as whole numbers, impact ratios with the digits that show
their side of 0.8, rates as percentages, yes/no for flags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from .._core.text import format_count, format_number, format_p, format_percent, format_ratio

__all__ = ["console_text", "format_frame"]

_MARKS = {3: "!", 2: "?", 1: "-"}
#: The columns shown on the console when a table has them (the report has every column).
KEY_COLUMNS = ("stage", "level", "category", "group", "applicants", "selected", "n",
               "selection_rate", "rate", "reference_group", "impact_ratio", "gap", "gap_pct",
               "p_value_fisher", "p_value", "p_value_adjusted", "shortfall", "adverse_impact",
               "flagged", "excluded")
_COUNTS = {"applicants", "selected", "n", "count", "headcount", "employees", "promoted", "hired",
           "advanced", "candidates", "decisions", "shortfall"}


def _kind(name: str, series: pd.Series, counts: set[str]) -> Callable[[Any], str] | None:
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "yes" if v else "no"
    if not pd.api.types.is_numeric_dtype(series):
        return None
    lower = name.lower()
    if lower.startswith(("p_value", "pvalue")) or lower in {"p", "p_adjusted"} or \
            lower.endswith("_p"):
        return format_p
    if "ratio" in lower:
        return format_ratio
    if lower.endswith(("_rate", "_share")) or lower in {"rate", "share"}:
        return format_percent
    if name in counts or lower.startswith("n_") or pd.api.types.is_integer_dtype(series):
        return format_count
    return lambda v: format_number(v, 2)


def format_frame(frame: pd.DataFrame, counts: set[str] | frozenset[str] = frozenset()) -> str:
    """A table as console text, every number written by the shared text rules.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["men", "women"], "applicants": [1786.0, 1500.0],
    ...                   "impact_ratio": [1.0, 0.795], "p_value_fisher": [None, 2.3e-15]})
    >>> print(format_frame(t))
    group applicants impact ratio p value fisher
      men      1,786         1.00              –
    women      1,500        0.795        < 0.001
    """
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        series = frame[name]
        fmt = _kind(str(name), series, _COUNTS | set(counts))
        shown = series.map(lambda v, f=fmt: "–" if _missing(v) else (f(v) if f else str(v)))
        out[str(name).replace("_", " ")] = shown
    return out.to_string(index=False)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def console_text(result: Any) -> str:
    """A result for the console: its title, findings, rows used, main table and warnings."""
    lines = [result.summary().splitlines()[0]]
    headlines = sorted(result.headlines(), key=lambda h: -h.severity)
    if headlines:
        lines += ["", "Findings (! evidence, ? review, - information):"]
        lines += [f"  {_MARKS.get(h.severity, '-')} {h.text}" for h in headlines]
    rows = getattr(result, "rows", None)
    if rows is not None:
        lines += ["", f"Rows: {rows.describe()}"]
    table = getattr(result, "table", None)
    if isinstance(table, pd.DataFrame) and len(table):
        counts = set(getattr(result, "count_columns", ()) or ())
        key = [c for c in KEY_COLUMNS if c in table.columns]
        lines += ["", format_frame(table[key] if len(key) >= 3 else table, counts)]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(lines)
