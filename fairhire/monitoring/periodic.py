"""Each period audited by the public analysis that audits one period.

- A hiring funnel: every period's counts (from the run's one group-by) go to
  :func:`fairhire.adverse_impact_from_counts`, so a period's table is what
  :func:`fairhire.adverse_impact` gives on that period alone.
- Promotion: every period's rows (filtered in the data's engine) go to
  :func:`fairhire.promotion_disparity` (without its regression), so a period's table is what
  that function gives on that period alone, with its reference rule and label cleaning.

Periods an analysis cannot compare (one group only, no known group) are left out with a
warning, and their rows are counted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import InsufficientDataError

__all__ = [
    "LEFT_OUT", "PERIOD", "audit_funnel_periods", "audit_promotion_periods", "period_filters",
    "period_warnings", "stack",
]

#: The period column of the run's counts table. Its other columns are the user's group and
#: strata columns (never called this: the analysis refuses such names), the counts and stages.
PERIOD = "__fh_period"
#: Per-period warnings said once for the whole run instead (the unknown-group count).
RUN_WIDE = ("missing or unknown group", "counted in unknown", "counted in the unknown table")
_SHARE = re.compile(r"\b\d+(?:\.\d+)?%")
LEFT_OUT = "This period is left out of the monitoring."


def audit_funnel_periods(
    table: pd.DataFrame, order: Sequence[Any], *, applied: str, stages: Sequence[str],
    group_cols: list[str], strata_cols: list[str], engine: dict[str, Any],
) -> tuple[dict[Any, Any], dict[str, list[Any]], int]:
    """Each period's counts through :func:`fairhire.adverse_impact_from_counts`.

    Returns the results by period, the notes of periods left out, and their rows.
    """
    from ..impact.analysis import adverse_impact_from_counts

    results: dict[Any, Any] = {}
    notes: dict[str, list[Any]] = {}
    skipped = 0
    for period in order:
        part = table.loc[table[PERIOD] == period].drop(columns=PERIOD)
        try:
            results[period] = adverse_impact_from_counts(
                part, group=group_cols, applicants=applied, selected=list(stages),
                strata=strata_cols or None, **engine,
            )
        except InsufficientDataError as exc:
            notes.setdefault(f"{exc} {LEFT_OUT}", []).append(period)
            skipped += int(part[applied].sum())
    return results, notes, skipped


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def period_filters(keys: pd.DataFrame, labels: pd.Series, kind: str) -> dict[Any, nw.Expr]:
    """For each period, an expression selecting its rows by the raw values of its keys.

    ``keys`` holds the key columns of the run's counts table (a date's year and month, or the
    period column's raw values), named as in the frame the expressions will run on.
    """
    out: dict[Any, nw.Expr] = {}
    columns = list(keys.columns)
    for period, rows in keys.groupby(labels.to_numpy(), sort=False, dropna=True):
        if kind == "date":
            year, month = columns
            parts = [
                (nw.col(year) == int(y)) & nw.col(month).is_in([int(m) for m in ms[month]])
                for y, ms in rows.groupby(year, sort=False)
            ]
            out[period] = functools.reduce(lambda a, b: a | b, parts)
        else:
            values = [_plain(v) for v in dict.fromkeys(rows[columns[0]].tolist())]
            out[period] = nw.col(columns[0]).is_in(values)
    return out


def audit_promotion_periods(
    frame: Any, filters: dict[Any, nw.Expr], order: Sequence[Any], *, group_cols: list[str],
    promoted: str, strata_cols: list[str], engine: dict[str, Any],
) -> tuple[dict[Any, Any], dict[str, list[Any]], int]:
    """Each period's rows, filtered in the engine, through :func:`fairhire.promotion_disparity`."""
    from .._frames import count_rows
    from ..promotion.rates import promotion_disparity

    level = strata_cols[0] if strata_cols else None
    results: dict[Any, Any] = {}
    notes: dict[str, list[Any]] = {}
    skipped = 0
    for period in order:
        try:
            results[period] = promotion_disparity(
                frame.filter(filters[period]), group=group_cols, promoted=promoted, level=level,
                regression=False, **engine,
            )
        except InsufficientDataError as exc:
            notes.setdefault(f"{exc} {LEFT_OUT}", []).append(period)
            skipped += count_rows(frame.filter(filters[period]))
    return results, notes, skipped


def stack(results: dict[Any, Any], attribute: str) -> pd.DataFrame | None:
    """The periods' tables one under the other, after a ``period`` column."""
    parts = [getattr(r, attribute) for r in results.values()]
    if any(p is None for p in parts):
        return None
    frames = [p.assign(period=[k] * len(p)) for k, p in zip(results, parts, strict=True)]
    out = pd.concat(frames, ignore_index=True)
    return out[["period", *[c for c in out.columns if c != "period"]]]


def period_warnings(results: dict[Any, Any], notes: dict[str, list[Any]]) -> list[str]:
    """Each period's warnings once, naming the periods; a share that varies becomes a range."""
    shares: dict[str, set[str]] = {}
    for period, result in results.items():
        for w in result.warnings:
            if any(text in w for text in RUN_WIDE):
                continue  # counted once for the whole run
            found = _SHARE.findall(w)
            key = _SHARE.sub("{share}", w) if len(found) == 1 else w
            notes.setdefault(key, []).append(period)
            shares.setdefault(key, set()).update(found if len(found) == 1 else ())
    out = []
    for key, periods in notes.items():
        values = sorted(shares.get(key, ()), key=lambda x: float(x[:-1]))
        if values:
            shown = values[0] if len(values) == 1 else f"between {values[0]} and {values[-1]}"
            key = key.replace("{share}", shown)
        periods = list(dict.fromkeys(periods))
        every = len(periods) == len(results) > 1
        out.append(f"In {'every period' if every else ', '.join(map(str, periods))}: {key}")
    return out
