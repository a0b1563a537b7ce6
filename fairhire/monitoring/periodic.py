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
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.labels import NON_DISCLOSURE_NOTE
from .._core.reference import UnknownReferenceError
from ..errors import InsufficientDataError

__all__ = [
    "LEFT_OUT", "PERIOD", "audit_funnel_periods", "audit_promotion_periods", "period_filters",
    "period_warnings", "stack",
]

#: The period column of the run's counts table. Its other columns are the user's group and
#: strata columns (never called this: the analysis refuses such names), the counts and stages.
PERIOD = "__fh_period"
#: Per-period warnings said once for the whole run instead (the unknown-group count).
# the run's own reading of the labels says it once (its periods compare labels already read)
RUN_WIDE = ("missing or unknown group", "counted in unknown", "counted in the unknown table",
            NON_DISCLOSURE_NOTE)
_SHARE = re.compile(r"\b\d+(?:\.\d+)?%")
LEFT_OUT = "This period is left out of the monitoring."


#: Why a period's rows were left out of the run (reasons of ``rows.excluded``).
FEWER_THAN_TWO = "period with fewer than two groups"
NO_REFERENCE = "period without the reference group"


@dataclass
class PeriodRun:
    """The periods audited so far, and those left out: why (a note naming them) and rows."""

    results: dict[Any, Any] = field(default_factory=dict)
    notes: dict[str, list[Any]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    unknown_reference: list[UnknownReferenceError] = field(default_factory=list)

    def left_out(self, period: Any, exc: Exception, rows: int) -> None:
        """A period the analysis could not audit: one group only, or (``reference=``) no
        one of the named reference group in it. Neither stops the run."""
        if isinstance(exc, UnknownReferenceError):
            self.unknown_reference.append(exc)
            note = (f"reference={exc.reference!r} names a group with no one in this period, so "
                    "nothing is compared with it.")
            reason = NO_REFERENCE
        else:
            note, reason = str(exc), FEWER_THAN_TWO
        self.notes.setdefault(f"{note} {LEFT_OUT}", []).append(period)
        self.skipped[reason] = self.skipped.get(reason, 0) + rows

    def done(self) -> tuple[dict[Any, Any], dict[str, list[Any]], dict[str, int]]:
        """Results, notes and rows left out by reason; a reference= found in no period is a
        typo (or a group whose rows were all excluded): its error is raised as it was."""
        left_out = sum(map(len, self.notes.values()))
        if self.unknown_reference and not self.results and len(self.unknown_reference) == left_out:
            raise self.unknown_reference[0]
        return self.results, self.notes, self.skipped


def audit_funnel_periods(
    table: pd.DataFrame, order: Sequence[Any], *, applied: str, stages: Sequence[str],
    group_cols: list[str], strata_cols: list[str], engine: dict[str, Any],
) -> tuple[dict[Any, Any], dict[str, list[Any]], dict[str, int]]:
    """Each period's counts through :func:`fairhire.adverse_impact_from_counts`.

    Returns the results by period, the notes of periods left out, and their rows by reason.
    """
    from ..impact.analysis import adverse_impact_from_counts

    run = PeriodRun()
    for period in order:
        part = table.loc[table[PERIOD] == period].drop(columns=PERIOD)
        try:
            run.results[period] = adverse_impact_from_counts(
                part, group=group_cols, applicants=applied, selected=list(stages),
                strata=strata_cols or None, **engine,
            )
        except (InsufficientDataError, UnknownReferenceError) as exc:
            run.left_out(period, exc, int(part[applied].sum()))
    return run.done()


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
) -> tuple[dict[Any, Any], dict[str, list[Any]], dict[str, int]]:
    """Each period's rows, filtered in the engine, through :func:`fairhire.promotion_disparity`."""
    from .._frames import count_rows
    from ..promotion.rates import promotion_disparity

    level = strata_cols[0] if strata_cols else None
    run = PeriodRun()
    for period in order:
        try:
            run.results[period] = promotion_disparity(
                frame.filter(filters[period]), group=group_cols, promoted=promoted, level=level,
                regression=False, **engine,
            )
        except (InsufficientDataError, UnknownReferenceError) as exc:
            run.left_out(period, exc, count_rows(frame.filter(filters[period])))
    return run.done()


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
