"""The result of a monitoring run: every period's audit, the trends and the alerts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.text import format_percent
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from ..stats.proportions import impact_ratio, impact_ratio_ci
from .alerts import CHANGED, CLEARED, FELL_BELOW, Wording, wording_for
from .trends import UNCLEAR, WORSENING, stage_counts

__all__ = ["HEADLINE_MIN_COUNT", "MonitorResult"]

#: Executive-summary sentences quote figures only when every count behind them is at least
#: this (the largest ``min_cell`` in common use); otherwise they give the finding without
#: figures, so no report's small-count suppression can be undone from the summary.
HEADLINE_MIN_COUNT = 10


@result_dataclass
class MonitorResult(Result):
    """Adverse impact audited period by period, with trends and alerts.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (period, stage, group): ``period`` followed by the columns of
        :attr:`fairhire.AdverseImpactResult.table`. Each period's rows are those
        :func:`fairhire.adverse_impact` gives on that period alone.
    trends : pandas.DataFrame
        One row per (stage, group) compared with the stage's reference group (the same in every
        period): ``stage, group, reference_group, periods, first_period, last_period,
        log_odds_trend`` (β, the change per period in the log odds ratio), ``se, ci_low,
        ci_high`` (of β), ``change_per_period`` (``exp(β) − 1``, the relative change of the odds
        ratio per period) with ``change_ci_low, change_ci_high``, ``z, p_value,
        p_value_adjusted`` (over every trend of the run), ``direction`` ("improving",
        "worsening" or "no clear trend": from the adjusted p-value, and only when the fitted
        impact ratio moves the same way as the odds ratio) and ``note`` (why a trend could not
        be estimated, or why no direction is claimed).
    alerts : pandas.DataFrame
        One row per alert: ``period, stage, group, reference_group, alert`` ("fell below",
        "changed" or "cleared"), ``impact_ratio, previous_period, previous_impact_ratio,
        p_value, p_value_adjusted, min_count`` (the smallest count behind the figures),
        ``message`` (one sentence with figures) and ``brief`` (the same without figures).
    unknown : pandas.DataFrame
        Per period and stage, applicants and selections whose group was missing.
    strata : pandas.DataFrame or None
        With ``strata=``: each period's Mantel–Haenszel table, with a ``period`` column.
    periods : tuple
        The periods in order; ``period_numbers`` maps each to the number the trend uses.
    references : mapping
        Stage → the reference group of its trends.
    freq : str or None
        The length of the periods ("M", "Q" or "Y"): ``freq=``, or what labels such as
        "2025-Q1" name (``params["freq"]`` keeps the argument as given). Sentences use it
        ("a quarter").
    """

    table: pd.DataFrame
    trends: pd.DataFrame
    alerts: pd.DataFrame
    unknown: pd.DataFrame
    strata: pd.DataFrame | None
    periods: tuple[Any, ...]
    period_numbers: Mapping[Any, int]
    references: Mapping[str, str | None]
    group_columns: tuple[str, ...]
    stages: tuple[str, ...]
    freq: str | None
    threshold: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "monitoring"
    flag_column: ClassVar[str | None] = "adverse_impact"
    count_columns: ClassVar[frozenset[str]] = frozenset(
        {"applicants", "selected", "min_count", "reference_applicants", "reference_selected"}
    )
    derived_columns: ClassVar[frozenset[str]] = frozenset(
        {"selection_rate", "impact_ratio", "ci_low", "ci_high", "shortfall",
         "shortfall_four_fifths", "previous_impact_ratio", "message"}
    )

    def _repr_headline(self) -> str:
        return f"{len(self.periods)} periods, {len(self.alerts)} alerts"

    def count_sums(self) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
        """Each period's groups at one stage (cells of :attr:`table`): the rows used less the
        other periods give their total, so ``min_cell`` withholds them as a single audit of
        the period would (see :func:`fairhire.report.linked.plan_frames`)."""
        rows: dict[tuple[str, str], list[int]] = {}
        keys = zip(self.table["period"].astype(str), self.table["stage"].astype(str), strict=True)
        for i, key in enumerate(keys):
            rows.setdefault(key, []).append(i)
        return [(column, tuple(("table", i) for i in block)) for block in rows.values()
                if len(block) > 1 for column in ("applicants", "selected")]

    def ratios_over_time(self) -> pd.DataFrame:
        """Each trend's impact ratio in every period, against the run's reference of its stage.

        One row per (stage, group, period) of :attr:`trends`: ``stage, group, reference_group,
        period, applicants, selected, reference_applicants, reference_selected, impact_ratio,
        ci_low, ci_high`` (the log-method confidence interval at the run's ``confidence``).
        Unlike :attr:`table`, whose reference is each period's own, the reference here is the
        same in every period, so the ratios form one series per group.
        """
        counts = stage_counts(self.table, self.periods)
        level = float(self.params.get("confidence", 0.95))
        rows = []
        for trend in self.trends.itertuples(index=False):
            c, g, r = counts[trend.stage], trend.group, trend.reference_group
            for period in self.periods:
                a, n = int(c.selected.at[g, period]), int(c.applicants.at[g, period])
                b, m = int(c.selected.at[r, period]), int(c.applicants.at[r, period])
                ir = impact_ratio(a, n, b, m) if n and m else math.nan
                low, high = impact_ratio_ci(a, n, b, m, confidence=level)
                rows.append((trend.stage, g, r, period, n, a, m, b, ir, low, high))
        columns = ["stage", "group", "reference_group", "period", "applicants", "selected",
                   "reference_applicants", "reference_selected", "impact_ratio", "ci_low",
                   "ci_high"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def latest(self) -> pd.DataFrame:
        """The rows of the last period."""
        return self.table.loc[self.table["period"] == self.periods[-1]].reset_index(drop=True)

    def _active_flags(self) -> pd.DataFrame:
        """'fell below' alerts not cleared by the end of the run, the most recent first."""
        a = self.alerts
        flags = a.loc[a["alert"].isin([FELL_BELOW, CLEARED])]
        last = flags.groupby(["stage", "group"], sort=False).tail(1)
        active = last.loc[last["alert"] == FELL_BELOW]
        rank = {p: i for i, p in enumerate(self.periods)}
        newest_first = np.argsort([-rank[p] for p in active["period"]], kind="stable")
        return active.iloc[newest_first]

    def headlines(self) -> list[Headline]:
        """Flags still raised, this period's other alerts and worsening trends."""
        out: list[Headline] = []
        last = self.periods[-1]
        active = self._active_flags()
        for row in active.itertuples(index=False):
            out.append(self._headline(row, 3))
        a = self.alerts
        latest = a.loc[(a["period"] == last) & (a["alert"] != FELL_BELOW)]
        for row in latest.itertuples(index=False):
            fell = row.alert == CHANGED and row.impact_ratio < row.previous_impact_ratio
            severity = 2 if fell else 1
            out.append(self._headline(row, severity))
        for row in self.trends.loc[self.trends["direction"] == WORSENING].itertuples(index=False):
            out.append(Headline(severity=2, text=self.trend_sentence(row),
                                figure=row.change_per_period, section=self.kind))
        return by_severity(out)

    def _headline(self, row: Any, severity: int) -> Headline:
        full = row.min_count >= HEADLINE_MIN_COUNT
        return Headline(
            severity=severity, text=row.message if full else row.brief,
            figure=row.impact_ratio if full else None, section=self.kind,
        )

    @property
    def wording(self) -> Wording:
        """How this run's sentences name people, outcomes and periods."""
        return wording_for(
            promotion=self.params.get("promoted") is not None, freq=self.freq,
            alpha=self.alpha, threshold=self.threshold,
        )

    def trend_sentence(self, row: Any, *, figures: bool = True) -> str:
        """One trend in words. ``row`` is a row of :attr:`trends` (a namedtuple or dict) with a
        clear direction; ``figures=False`` gives the finding without its figures (for a report
        that withholds them under ``min_cell``)."""
        get = row.get if isinstance(row, Mapping) else lambda k: getattr(row, k)
        w = self.wording
        odds = f"odds of {w.outcome} relative to {get('reference_group')}"
        lead = w.lead(get("stage"), get("group"), odds)
        verb = "have declined" if get("direction") == WORSENING else "have risen"
        span = f"from {get('first_period')} to {get('last_period')}"
        if not figures:
            return f"{lead} {verb} significantly {span}."
        change = format_percent(abs(get("change_per_period")), 1)
        p = w.p(get("p_value_adjusted"), "adjusted p")
        return f"{lead} {verb} by {change} {w.per} {span} ({p})."

    def trend_sentences(self) -> list[str]:
        """One sentence per worsening or improving trend."""
        rows = self.trends.loc[self.trends["direction"] != UNCLEAR]
        return [self.trend_sentence(row) for row in rows.itertuples(index=False)]

    def summary(self) -> str:
        """Plain text: the periods, the alerts, the trends and the warnings."""
        lines = [
            f"Monitoring {self.wording.rate}s by {' × '.join(self.group_columns)} over "
            f"{len(self.periods)} periods ({self.periods[0]} to {self.periods[-1]}); stages: "
            f"{', '.join(self.stages)}.",
        ]
        lines += self._rows_text()
        if len(self.alerts):
            lines.append(f"Alerts ({len(self.alerts)}):")
            lines += [f"- {m}" for m in self.alerts["message"]]
        else:
            lines.append("No alerts.")
        cols = ["stage", "group", "reference_group", "change_per_period", "p_value_adjusted",
                "direction"]
        lines.append("Trends (relative change of the odds ratio per period):")
        lines.append(table_text(self.trends[cols]))
        return self._summary_text(lines)
