"""Alerts: the moments in a monitoring run that need a reader's attention.

Three kinds, each a (period, stage, group) row with one plain-language sentence:

- ``"fell below"``: the group's impact ratio fell below the threshold with a Fisher p-value
  below ``alpha`` after adjustment over every comparison of the run, and it was not already
  flagged. The flag stays raised until the ratio is back at or above the threshold.
- ``"changed"``: the impact ratio changed significantly from the group's previous period (the
  difference of log impact ratios, :func:`fairhire.stats.change.log_ratio_change`, adjusted
  over every such change in the run), always against the stage's reference group for the
  whole run (the trends' reference), whatever each period's own reference was.
- ``"cleared"``: a raised flag cleared: the ratio is back at or above the threshold.

A period whose comparison is too small for the large-sample tests (``small_sample``) neither
clears a flag nor takes part in a change test.

Each alert has ``message`` (with its figures) and ``brief`` (the same finding without
figures, for reports that suppress small counts); ``min_count`` is the smallest count of
people behind the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.text import format_percent, format_ratio, p_text, threshold_line
from ..stats.change import log_ratio_change
from ..stats.proportions import adjust_pvalues
from ..stats.selection import small_samples
from .trends import WORSENING, StageCounts

__all__ = [
    "ALERT_COLUMNS", "CHANGED", "CLEARED", "FELL_BELOW", "Wording", "find_alerts", "wording_for",
]

FELL_BELOW, CHANGED, CLEARED = "fell below", "changed", "cleared"
BOTTOM_LINE = "bottom line"

ALERT_COLUMNS = [
    "period", "stage", "group", "reference_group", "alert", "impact_ratio", "previous_period",
    "previous_impact_ratio", "p_value", "p_value_adjusted", "min_count", "message", "brief",
]


@dataclass(frozen=True)
class Wording:
    """How sentences name people, stages and periods."""

    people: str  # "applicants" or "employees"
    rate: str  # "selection rate" or "promotion rate"
    per: str  # "a quarter", "a month", "a year", "a period"
    alpha: float
    threshold: float

    @property
    def unit(self) -> str:
        """'quarter', 'month', 'year' or 'period'."""
        return self.per.split(" ", 1)[1]

    @property
    def outcome(self) -> str:
        return "promotion" if self.people == "employees" else "selection"

    def lead(self, stage: str, group: Any, noun: str) -> str:
        """'At the screened stage, Female applicants' selection rate' (no stage for promotion)."""
        who = f"{group} {self.people}' {noun}"
        if stage == BOTTOM_LINE:
            return f"Over the whole process (bottom line), {who}"
        if self.people == "employees":
            return who
        return f"At the {stage} stage, {who}"

    @property
    def line(self) -> str:
        """The threshold as a share of the reference's rate: "four-fifths", or "90%" for
        ``threshold=0.9`` (a ratio of 0.85 did not fall below four-fifths)."""
        return threshold_line(self.threshold)

    def ratio(self, value: float) -> str:
        return format_ratio(value, threshold=self.threshold)

    def p(self, value: float, name: str = "p") -> str:
        return p_text(value, name=name, alpha=self.alpha)


def wording_for(*, promotion: bool, freq: str | None, alpha: float, threshold: float) -> Wording:
    """The wording of a monitoring run: hiring or promotion, and its period length."""
    per = {"M": "a month", "Q": "a quarter", "Y": "a year"}.get(freq or "", "a period")
    if promotion:
        return Wording("employees", "promotion rate", per, alpha, threshold)
    return Wording("applicants", "selection rate", per, alpha, threshold)


def _counts(row: Any, ref: Any) -> list[int]:
    return [int(row.selected), int(row.applicants), int(ref.selected), int(ref.applicants)]


def _cells(table: pd.DataFrame) -> dict[tuple, Any]:
    return {(r.stage, r.group, r.period): r for r in table.itertuples(index=False)}


def _run_adjusted(table: pd.DataFrame, adjust: str) -> dict[tuple, float]:
    """Fisher p-values of every comparison, adjusted over the whole run."""
    compared = table.loc[~table["is_reference"].astype(bool) & ~table["excluded"].astype(bool)]
    adjusted = adjust_pvalues(compared["p_value_fisher"].to_numpy(dtype=float), adjust)
    keys = zip(compared["stage"], compared["group"], compared["period"], strict=True)
    return dict(zip(keys, adjusted, strict=True))


def _trend_tail(trend: Any, wording: Wording) -> str:
    if trend is None or trend.direction != WORSENING:
        return ""
    fall = format_percent(-trend.change_per_period, 1)
    return (
        f"; relative to {trend.reference_group}, their odds of {wording.outcome} have declined "
        f"by {fall} {wording.per} since {trend.first_period} "
        f"({wording.p(trend.p_value_adjusted, 'adjusted p')})"
    )


def _state_alerts(cells, adjusted, trends, order, key, w: Wording, alpha: float) -> list[dict]:
    """'fell below' and 'cleared' alerts of one (stage, group), in period order."""
    stage, group = key
    out: list[dict] = []
    since, previous, previous_counts = None, None, []
    below = None  # (the period the current run below the threshold began, its reference)
    for period in order:
        row = cells.get((stage, group, period))
        if row is None or row.excluded or (not row.is_reference and math.isnan(row.impact_ratio)):
            continue
        if not row.adverse_impact:
            below = None
        elif below is None or below[1] != row.reference_group:
            below = (period, row.reference_group)
        ref = cells.get((stage, row.reference_group, period))
        counts = _counts(row, ref) if ref is not None else [int(row.applicants)]
        p_adj = adjusted.get((stage, group, period), math.nan)
        base = {
            "period": period, "stage": stage, "group": group,
            "reference_group": row.reference_group, "impact_ratio": row.impact_ratio,
            "previous_period": None if previous is None else previous.period,
            "previous_impact_ratio": math.nan if previous is None else previous.impact_ratio,
            # every count behind the figures shown, this period's and the previous one's
            "min_count": min(counts + previous_counts),
        }
        if since is None and row.adverse_impact and p_adj < alpha:
            since = below[0]  # when it crossed, which may be before it was significant
            out.append({**base, "alert": FELL_BELOW, "p_value": row.p_value_fisher,
                        "p_value_adjusted": p_adj, **_fell_below_text(row, p_adj, since, w)})
        elif since is not None and not row.adverse_impact and not _too_small(row):
            out.append({**base, "alert": CLEARED, "p_value": math.nan,
                        "p_value_adjusted": math.nan, **_cleared_text(row, since, w)})
            since = None
        previous, previous_counts = row, counts
    trend = trends.get(key)
    if since is not None and trend is not None and trend.reference_group == _last_reference(out):
        # a flag still raised at the end of the run: say where the trend is heading
        out[-1]["message"] = out[-1]["message"][:-1] + _trend_tail(trend, w) + "."
    return out


def _too_small(row: Any) -> bool:
    """A comparison too small for the large-sample tests (``small_sample``: a group under
    ``min_n`` people, or an expected cell under 5): 2 of 2 selected says nothing about
    whether a flag cleared, so it neither clears one nor raises a change."""
    return not row.is_reference and bool(row.small_sample)


def _last_reference(alerts: list[dict]) -> Any:
    """The reference group of the last alert (None when there is none)."""
    return alerts[-1]["reference_group"] if alerts else None


def _fell_below_text(row: Any, p_adj: float, crossed: Any, w: Wording) -> dict[str, str]:
    """'fell below four-fifths of Male's in 2024-Q3', or, when the ratio was already below
    the threshold before the difference became significant, 'in 2024-Q2 and significantly
    so in 2024-Q3': the alert's period is not when the group crossed the line."""
    lead, ref = w.lead(row.stage, row.group, w.rate), row.reference_group
    when = f"{crossed} and significantly so in {row.period}"
    if crossed == row.period:
        when = str(row.period)
    message = (
        f"{lead} fell below {w.line} of {ref}'s in {when} (impact ratio "
        f"{w.ratio(row.impact_ratio)}, {w.p(p_adj, 'adjusted p')})"
    )
    brief = f"{lead} fell below {w.line} of {ref}'s in {when}."
    return {"message": message + ".", "brief": brief}


def _cleared_text(row: Any, since: Any, w: Wording) -> dict[str, str]:
    lead = w.lead(row.stage, row.group, w.rate)
    if row.is_reference:
        detail = "the highest rate: the reference group"
    else:
        detail = f"impact ratio {w.ratio(row.impact_ratio)} against {row.reference_group}"
    back = f"{lead} is back at or above {w.line} of the reference group's in {row.period}"
    message = f"{back} ({detail}), after falling below it in {since}."
    brief = f"{back}, after falling below it in {since}."
    return {"message": message, "brief": brief}


def _change_tests(counts: StageCounts, group: Any, ref: Any, order, options) -> list[dict]:
    """The change test between each period and the group's previous period with enough people
    in both groups for a large-sample test, always against the stage's reference for the run.

    The test is the delta method's normal approximation: on a small sample (a group under
    ``min_n``, an expected cell under 5: the rule that marks ``small_sample`` in each period's
    table) it is far from its nominal level (2 of 2 selected has a log-rate variance of 0), so
    such periods are not tested, as a period with nobody in a group is not."""
    out, previous = [], None
    for period in order:
        n, m = int(counts.applicants.at[group, period]), int(counts.applicants.at[ref, period])
        now = (int(counts.selected.at[group, period]), n, int(counts.selected.at[ref, period]), m)
        if n == 0 or m == 0 or bool(small_samples(*now, options.min_n)):
            continue
        if previous is not None:
            change = log_ratio_change(previous[1], now, confidence=options.confidence)
            if math.isfinite(change.p_value):
                out.append({"stage": counts.stage, "group": group, "reference_group": ref,
                            "period": period, "previous_period": previous[0], "test": change,
                            "min_count": min(previous[1] + now)})
        previous = (period, now)
    return out


def _changed_alert(test: dict, p_adj: float, w: Wording) -> dict:
    change, ref = test["test"], test["reference_group"]
    lead = w.lead(test["stage"], test["group"], f"impact ratio against {ref}")
    verb = "fell" if change.log_change < 0 else "rose"
    message = (
        f"{lead} {verb} from {w.ratio(change.ratio_before)} in {test['previous_period']} to "
        f"{w.ratio(change.ratio_after)} in {test['period']}: a significant change "
        f"({w.p(p_adj, 'adjusted p')})."
    )
    brief = f"{lead} {verb} significantly from {test['previous_period']} to {test['period']}."
    return {
        "period": test["period"], "stage": test["stage"], "group": test["group"],
        "reference_group": ref, "alert": CHANGED, "impact_ratio": change.ratio_after,
        "previous_period": test["previous_period"], "previous_impact_ratio": change.ratio_before,
        "p_value": change.p_value, "p_value_adjusted": p_adj, "min_count": test["min_count"],
        "message": message, "brief": brief,
    }


def find_alerts(
    table: pd.DataFrame,
    trends: pd.DataFrame,
    stage_counts: dict[str, StageCounts],
    order: tuple[Any, ...],
    options: Any,
    wording: Wording,
) -> pd.DataFrame:
    """Every alert of the run, sorted by period, stage, group and kind."""
    cells = _cells(table)
    adjusted = _run_adjusted(table, options.adjust)
    trend_rows = {(r.stage, r.group): r for r in trends.itertuples(index=False)}
    alerts: list[dict] = []
    for key in dict.fromkeys(zip(table["stage"], table["group"], strict=True)):
        alerts += _state_alerts(cells, adjusted, trend_rows, order, key, wording, options.alpha)
    tests: list[dict] = []
    for row in trends.itertuples(index=False):
        counts = stage_counts[row.stage]
        tests += _change_tests(counts, row.group, row.reference_group, order, options)
    p_adj = adjust_pvalues(np.array([t["test"].p_value for t in tests]), options.adjust)
    for test, p in zip(tests, p_adj, strict=True):
        if p < options.alpha:
            alerts.append(_changed_alert(test, float(p), wording))
    return _sorted(pd.DataFrame(alerts, columns=ALERT_COLUMNS), table, order)


def _sorted(out: pd.DataFrame, table: pd.DataFrame, order: tuple[Any, ...]) -> pd.DataFrame:
    ranks = {
        "period": {p: i for i, p in enumerate(order)},
        "stage": {s: i for i, s in enumerate(dict.fromkeys(table["stage"]))},
        "group": {g: i for i, g in enumerate(dict.fromkeys(table["group"]))},
        "alert": {FELL_BELOW: 0, CHANGED: 1, CLEARED: 2},
    }
    keys = pd.DataFrame({c: out[c].map(rank) for c, rank in ranks.items()})
    out = out.iloc[keys.sort_values(list(ranks), kind="stable").index]
    out["min_count"] = out["min_count"].astype("int64")
    return out.reset_index(drop=True)
