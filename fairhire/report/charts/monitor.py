"""Charts for monitoring results: impact ratios over time, one small panel per stage."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._base import (
    FLAG,
    GREY,
    MARKERS,
    OK,
    PALETTE,
    Chart,
    legend_columns,
    mpl_text,
    style_axes,
    tick_text,
    y_grid,
)
from ._withheld import small

__all__ = ["impact_ratio_over_time"]

#: How each kind of alert is marked (shape, colour, legend text).
ALERT_MARKS = {
    "fell below": ("v", FLAG, "fell below the threshold"),
    "changed": ("D", "#CC79A7", "significant change"),
    "cleared": ("^", OK, "flag cleared"),
}
MAX_GROUPS = 6
THRESHOLD_LINE = (0, (4, 3))


def _series(result: Any, min_cell: int | None) -> tuple[pd.DataFrame, int]:
    """Ratios against each stage's run reference; figures from small counts blanked."""
    data = result.ratios_over_time()
    hidden = np.array([
        small(min_cell, r.applicants, r.selected, r.reference_applicants, r.reference_selected)
        for r in data.itertuples(index=False)
    ], dtype=bool)
    for c in ("impact_ratio", "ci_low", "ci_high"):
        data.loc[hidden, c] = math.nan
    return data, int(hidden.sum())


def _alt(result: Any, stages: list[str], hidden: int, min_cell: int | None) -> str:
    alerts = result.alerts
    text = (
        f"Impact ratio of each group over {len(result.periods)} periods ({result.periods[0]} to "
        f"{result.periods[-1]}), one panel per stage, against each stage's reference group, "
        f"with its confidence band and the {_line(result.threshold)} line."
    )
    if len(alerts):
        parts = [f"{r.group} at {r.stage}: {r.alert} in {r.period}"
                 for r in alerts.itertuples(index=False)]
        text += " Alerts marked: " + "; ".join(parts) + "."
    else:
        text += " No alerts."
    if hidden:
        text += f" {hidden} point(s) with counts below {min_cell} are not drawn."
    return text


def _line(threshold: float, legend: bool = False) -> str:
    """The threshold line in words: 'four-fifths (0.8)' in the legend, '0.8 (four-fifths)' in
    the alt text; 'threshold 0.9' for another threshold (0.9 is not four-fifths)."""
    if abs(threshold - 0.8) >= 1e-9:
        return f"threshold {threshold:g}"
    return f"four-fifths ({threshold:g})" if legend else f"{threshold:g} (four-fifths)"


def _spot(kind: str, alert: Any, ratio_at: dict, x: dict) -> tuple[float, float]:
    """Where an alert is marked: on its period's point; a change halfway along its segment."""
    y = ratio_at.get(alert.period, math.nan)
    if kind != "changed" or alert.previous_period not in x:
        return float(x[alert.period]), y
    before = ratio_at.get(alert.previous_period, math.nan)
    return (x[alert.period] + x[alert.previous_period]) / 2, (y + before) / 2


def _panel(ax: Any, rows: pd.DataFrame, alerts: pd.DataFrame, x: dict, threshold: float) -> None:
    groups = list(dict.fromkeys(rows["group"]))[:MAX_GROUPS]
    for i, group in enumerate(groups):
        part = rows.loc[rows["group"] == group]
        xs = part["period"].map(x).to_numpy(dtype=float)
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(xs, part["ci_low"].to_numpy(dtype=float),
                        part["ci_high"].to_numpy(dtype=float), color=colour, alpha=0.15,
                        linewidth=0)
        ax.plot(xs, part["impact_ratio"].to_numpy(dtype=float), color=colour, linewidth=1.6,
                marker=MARKERS[i % len(MARKERS)], markersize=3.5, label=mpl_text(group))
        mine = alerts.loc[alerts["group"] == group]
        ratio_at = dict(zip(part["period"], part["impact_ratio"], strict=True))
        for kind, (marker, mark_colour, _) in ALERT_MARKS.items():
            spots = [_spot(kind, r, ratio_at, x) for r in mine.loc[mine["alert"] == kind]
                     .itertuples(index=False)]
            ax.plot([sx for sx, _ in spots], [sy for _, sy in spots], linestyle="none",
                    marker=marker, markersize=8, markerfacecolor="none",
                    markeredgecolor=mark_colour, markeredgewidth=1.6)
    ax.axhline(threshold, color=GREY, linestyle=THRESHOLD_LINE, linewidth=1.1)
    ax.axhline(1.0, color=GREY, linewidth=0.7)


def _ticks(threshold: float, ymax: float) -> list[float]:
    """0, the threshold, parity and whole halves above it; 0.5 unless it crowds the threshold."""
    ticks = [0.0, threshold, 1.0, *(v / 2 for v in range(3, int(ymax * 2) + 1))]
    if abs(threshold - 0.5) >= 0.35:
        ticks.append(0.5)
    return sorted(set(ticks))


def impact_ratio_over_time(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Small multiples: each stage's impact ratios over time, with CI bands and alerts."""
    data, hidden = _series(result, min_cell)
    if data.empty or data["impact_ratio"].notna().sum() == 0:
        return None
    stages = list(dict.fromkeys(data["stage"]))
    periods = list(result.periods)
    x = {p: i for i, p in enumerate(periods)}
    threshold = float(result.threshold)
    ncols = 1 if len(stages) == 1 else 2
    nrows = math.ceil(len(stages) / ncols)
    top = np.nanmax(data[["impact_ratio", "ci_high"]].to_numpy(dtype=float))
    ymax = float(min(max(1.25, top * 1.05), 2.5))

    def draw(fig: Any) -> None:
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(stages):
                ax.set_visible(False)
                axes.flat[k - ncols].tick_params(labelbottom=True)  # the panel above it
                continue
            stage = stages[k]
            _panel(ax, data.loc[data["stage"] == stage],
                   result.alerts.loc[result.alerts["stage"] == stage], x, threshold)
            ref = result.references.get(stage)
            ax.set_title(tick_text(f"{stage}\nagainst {ref}"), loc="left")
            ax.set_ylim(0, ymax)
            ax.set_yticks(_ticks(threshold, ymax), labels=[f"{t:g}" for t in
                                                           _ticks(threshold, ymax)])
            step = max(1, math.ceil(len(periods) / 3))  # three labels fit a small panel
            ax.set_xticks(range(0, len(periods), step),
                          labels=[mpl_text(p) for p in periods[::step]])
            style_axes(ax)
            y_grid(ax)
            ax.grid(False, axis="x")
        from matplotlib.lines import Line2D

        handles, labels = axes.flat[0].get_legend_handles_labels()
        handles.append(Line2D([], [], color=GREY, linestyle=THRESHOLD_LINE, linewidth=1.1))
        labels.append(_line(threshold, legend=True))
        for marker, colour, text in ALERT_MARKS.values():
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=8,
                                  markerfacecolor="none", markeredgecolor=colour,
                                  markeredgewidth=1.6))
            labels.append(text)
        fig.legend(handles, labels, loc="outside lower center", ncol=legend_columns(labels),
                   frameon=False)
        fig.supylabel("impact ratio (group rate ÷ reference rate)")

    table = data[["stage", "period", "group", "reference_group", "impact_ratio", "ci_low",
                  "ci_high"]]
    return Chart(
        title="Impact ratios over time, by stage, with confidence bands and alerts",
        alt=_alt(result, stages, hidden, min_cell),
        draw=draw,
        size=(5.2, 1.2 + 2.0 * nrows),
        data=table.reset_index(drop=True),
    )
