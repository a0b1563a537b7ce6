"""Results on the console: findings first, then the main table with numbers written once.

The console writes numbers through :mod:`fairhire._core.text`, as reports do: p-values as
"< 0.001" or three decimals, counts as whole numbers, impact ratios with the digits that show
their side of 0.8, rates as percentages, yes/no for flags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from .._core.text import (
    column_kind,
    format_count,
    format_number,
    format_p,
    format_percent,
    format_percent_figure,
    format_ratio,
)
from .._results import by_severity
from ..report.suppress import Withheld
from ..report.tables import records
from ..workflow.errors import flag_words

__all__ = ["console_text", "format_frame", "monitor_text"]

_MARKS = {3: "!", 2: "?", 1: "-"}
#: The columns shown on the console when a table has them (the report has every column).
KEY_COLUMNS = ("comparison", "kind", "period", "stage", "scope", "cell", "unit", "level",
               "category", "group", "headcount", "applicants", "n", "exits", "selected",
               "selection_rate", "exit_rate", "rate", "median", "retention_at",
               "reference_group", "impact_ratio", "exit_rate_ratio", "selection_rate_ratio",
               "hazard_ratio", "gap", "gap_pct", "mean_gap_pct", "adjusted_gap_pct",
               "p_value_fisher", "p_value", "p_value_cox", "p_value_adjusted", "shortfall",
               "adverse_impact", "flagged", "excluded")
_COUNTS = {"applicants", "selected", "n", "count", "headcount", "employees", "promoted", "hired",
           "advanced", "candidates", "decisions", "shortfall", "exits"}
#: Tables with a row per unit and an overall row: the console shows the overall rows.
_OVERALL = {"unit": "All units"}
#: The words of the report's headers where a result's counts are not of applicants (the
#: result's own columns keep the contract's names).
_HEADERS = {"promotion disparity": {"applicants": "employees", "selected": "promoted",
                                    "selection_rate": "promotion_rate"}}


#: How a column whose name says what its numbers are is written (see column_kind)
_BY_KIND: dict[str, Callable[[Any], str]] = {
    "p": format_p, "ratio": format_ratio, "rate": format_percent,
    "pct": lambda v: format_percent_figure(v, 1),  # already in percent
}


def _kind(name: str, series: pd.Series, counts: set[str]) -> Callable[[Any], str] | None:
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "yes" if v else "no"
    if not pd.api.types.is_numeric_dtype(series):
        return None
    by_kind = _BY_KIND.get(column_kind(name) or "")
    if by_kind is not None:
        return by_kind
    if name in counts or name.lower().startswith("n_") or pd.api.types.is_integer_dtype(series):
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
        withheld = series.map(lambda v: isinstance(v, Withheld))
        # a column with withheld figures ("< 5", "s") is formatted as its other values are,
        # also where only rows not shown here hold them (the column is then of objects)
        known = series[~withheld].infer_objects() if withheld.any() or series.dtype == object \
            else series
        fmt = _kind(str(name), known, _COUNTS | set(counts))
        shown = series.map(lambda v, f=fmt: str(v) if isinstance(v, Withheld) else "–"
                           if _missing(v) else (f(v) if f else str(v)))
        out[str(name).replace("_", " ")] = shown
    return out.to_string(index=False)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _key_table(table: pd.DataFrame, counts: set[str],
               headers: Mapping[str, str] | None = None) -> list[str]:
    """The main table with its key columns (overall rows only, where it has per-unit rows),
    headed in the report's words (``headers``: column -> header)."""
    lines = []
    for column, overall in _OVERALL.items():
        if column in table.columns and (table[column] == overall).any():
            table = table.loc[table[column] == overall].drop(columns=column)
            lines.append(f"{overall} (the report has every {column}):")
    key = [c for c in KEY_COLUMNS if c in table.columns]
    shown = table[key] if len(key) >= 3 else table
    if headers:
        # a stage column that only repeats the outcome's name says nothing
        if "stage" in shown.columns and shown["stage"].nunique() == 1:
            shown = shown.drop(columns="stage")
        shown = shown.rename(columns=headers)
        counts = counts | {headers.get(c, c) for c in counts}
    return [*lines, format_frame(shown, counts)]


def _seen(result: Any, min_cell: int | None) -> Any:
    """The result as the console may show it: as the report shows it, so with ``min_cell``
    its small counts and the figures that would reveal them are withheld (in tables and
    sentences); without, it is the result as it is."""
    from ..report.view import ReportView

    return ReportView(result, min_cell)


def _rows_and_warnings(seen: Any, flags: Mapping[str, str]) -> tuple[list[str], list[str]]:
    rows = seen.rows
    used = ["", f"Rows: {rows.describe()}"] if rows is not None else []
    warned = [f"  - {seen.clean_text(flag_words(w, flags), plain=False)}"
              for w in seen.result.warnings]
    return used, ["", "Warnings:", *warned] if warned else []


def console_text(result: Any, flags: Mapping[str, str] | None = None,
                 min_cell: int | None = None) -> str:
    """A result for the console: its title, findings, rows used, main table and warnings.

    ``flags`` (library argument -> command-line flag) rewrites advice such as "pass
    ``reference=``" in the words of the command line. ``min_cell`` withholds small counts
    as the report does.
    """
    flags = flags or {}
    seen = _seen(result, min_cell)
    lines = [seen.clean_text(result.summary().splitlines()[0], plain=False)]
    headlines = by_severity(seen.headlines(plain=False))
    if headlines:
        lines += ["", "Findings (! evidence, ? review, - information):"]
        # withheld findings all read the same: one line for them, with their number
        said = Counter(f"  {_MARKS.get(h.severity, '-')} {flag_words(h.text, flags)}"
                       for h in headlines)
        lines += [line if n == 1 else f"{line} ({n} findings)" for line, n in said.items()]
    used, warned = _rows_and_warnings(seen, flags)
    lines += used
    table = getattr(result, "table", None)
    if isinstance(table, pd.DataFrame) and len(table):
        counts = set(getattr(result, "count_columns", ()) or ())
        lines += ["", *_key_table(seen.frame(table), counts,
                                  _HEADERS.get(getattr(result, "kind", ""), {}))]
    return "\n".join(lines + warned)


def _held(row: Mapping[str, Any], min_cell: int | None, count: str | None = None) -> bool:
    """Whether a (suppressed) row has a withheld figure, or its ``count`` is below min_cell."""
    if min_cell is None:
        return False
    small = count is not None and isinstance(row.get(count), int | float) and not isinstance(
        row.get(count), Withheld) and row[count] < min_cell
    return small or any(isinstance(v, Withheld) for v in row.values())


def monitor_text(result: Any, flags: Mapping[str, str] | None = None,
                 min_cell: int | None = None) -> str:
    """A monitoring run for the console: its alerts, its trends and the latest period."""
    flags = flags or {}
    seen = _seen(result, min_cell)
    lines = [seen.clean_text(result.summary().splitlines()[0], plain=False)]
    # as the report: a row with a withheld figure is said without its figures
    alerts = [row["brief"] if _held(row, min_cell, "min_count") else
              seen.clean_text(row["message"], plain=False) for row in records(seen.alerts)]
    lines += ["", f"Alerts ({format_count(len(alerts))}):" if alerts else "No alerts."]
    lines += [f"  ! {m}" for m in alerts]
    trends = [seen.clean_text(result.trend_sentence(row, figures=not _held(row, min_cell)),
                              plain=False)
              for row in records(seen.trends) if row["direction"] != "no clear trend"]
    lines += ["", "Trends:" if trends else "Trends: no clear trend at any stage."]
    lines += [f"  - {t}" for t in trends]
    used, warned = _rows_and_warnings(seen, flags)
    lines += used
    latest = seen.frame(result.latest).drop(columns="period")
    if len(latest):
        counts = set(result.count_columns)
        lines += ["", f"The latest period, {result.periods[-1]}:", *_key_table(latest, counts)]
    return "\n".join(lines + warned)
