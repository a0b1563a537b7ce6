"""Charts for promotion results: time-to-promotion curves, representation by level, ratings.

- :func:`survival_curves` — Kaplan–Meier curves drawn as the cumulative share promoted.
- :func:`representation_by_level` — each group's share at each level, levels in order.
- :func:`rates_by_level` — promotion impact ratios within each level, with their CIs (the
  adverse-impact chart, fed the per-level table).
- :func:`rating_distribution` — the share of each group at each rating.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..._core.text import format_ratio
from ._base import (
    GREY,
    LINESTYLES,
    MARKERS,
    PALETTE,
    Chart,
    group_words,
    legend_columns,
    median_text,
    mpl_text,
    reference_text,
    style_axes,
    words,
    y_grid,
)
from ._withheld import not_drawn, shown_steps
from ._withheld import small as _small
from .impact import impact_ratios

__all__ = ["rates_by_level", "rating_distribution", "representation_by_level", "survival_curves"]

MAX_GROUPS = 7


def survival_curves(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Cumulative share promoted (1 − Kaplan–Meier) against time waited, one step line a group.

    The curve is cut where fewer than ``min_cell`` people (or, without ``min_cell``, fewer than
    5) remain at risk, where the estimate rests on a handful of people; groups smaller than
    ``min_cell`` are not drawn.
    """
    table = result.table
    curves = result.curves
    if curves is None or curves.empty:
        return None
    floor = min_cell if min_cell is not None else 5
    order = table.sort_values("n", ascending=False, kind="stable")["group"].tolist()
    hidden = [g for g in order if _small(min_cell, table.set_index("group").loc[g, "n"])]
    groups = [g for g in order if g not in hidden][:MAX_GROUPS]
    dropped = [g for g in order if g not in hidden][MAX_GROUPS:]
    if not groups:
        return None
    unit = words(result.duration)
    steps = {g: shown_steps(curves.loc[curves["group"] == g], ("time", "survival"), floor)
             for g in groups}
    if all(c.empty for c in steps.values()):
        return None  # every step withheld (min_cell): empty axes would say nothing
    series = {}
    for g, c in steps.items():
        t = np.concatenate([[0.0], c["time"].to_numpy(dtype=float)])
        promoted = np.concatenate([[0.0], 1 - c["survival"].to_numpy(dtype=float)])
        lo = np.concatenate([[0.0], 1 - c["ci_high"].to_numpy(dtype=float)])
        hi = np.concatenate([[0.0], 1 - c["ci_low"].to_numpy(dtype=float)])
        series[g] = (t, promoted, lo, hi)

    t_idx = result.table.set_index("group")
    ref = reference_text(result.reference_group, t_idx.loc[result.reference_group, "n"],
                         "employees", min_cell) if result.reference_group in t_idx.index else None
    parts = []
    for g in groups:
        row = t_idx.loc[g]
        text = f"{g}: median {median_text(row['median'], row.get('median_note'))}"
        if g != result.reference_group and math.isfinite(row["hazard_ratio"]) and ref:
            text += f", hazard ratio {format_ratio(row['hazard_ratio'], None)} against {ref}"
        parts.append(text)
    alt = (
        f"Share of each {group_words(result.group_columns)} promoted by time waited "
        f"({unit}), counting people still waiting or who left as censored (Kaplan–Meier). "
        + "; ".join(parts)
        + f". A curve crosses the dashed half-promoted line at its median; it stops where "
        f"fewer than {floor} people are still waiting, so a median that is not reached or "
        "unstable has no crossing."
    )
    alt += not_drawn(hidden, dropped, min_cell=min_cell)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, (g, (t, y, lo, hi)) in enumerate(series.items()):
            colour = PALETTE[i % len(PALETTE)]
            ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.12, linewidth=0)
            ax.step(t, y, where="post", color=colour, linewidth=1.8,
                    linestyle=LINESTYLES[i % len(LINESTYLES)], label=mpl_text(g))
            if len(t):
                ax.plot([t[-1]], [y[-1]], marker=MARKERS[i % len(MARKERS)], color=colour,
                        markersize=5, linestyle="none")
        ax.set_ylim(0, 1)
        ax.set_xlim(left=0)
        ticks = [0, 0.25, 0.5, 0.75, 1.0]
        ax.set_yticks(ticks, labels=[f"{t:.0%}" for t in ticks])
        ax.axhline(0.5, color=GREY, linewidth=0.8, linestyle=(0, (4, 3)))
        ax.text(0, 0.5, " half promoted (median)", transform=ax.get_yaxis_transform(),
                ha="left", va="bottom", color="#1a1a1a")
        ax.set_xlabel(mpl_text(unit))
        ax.set_ylabel("share promoted")
        y_grid(ax)
        style_axes(ax)
        fig.legend(loc="outside lower center", ncol=legend_columns(series), frameon=False)

    level = f"{float(result.confidence) * 100:g}%"
    data = result.table[["group", "n", "events", "median", "median_ci_low", "median_ci_high",
                         "hazard_ratio", "hr_ci_low", "hr_ci_high"]]
    data = data.loc[data["group"].isin(groups)].reset_index(drop=True)
    return Chart(
        title=f"Time to promotion: share promoted by {unit}, with {level} bands",
        alt=alt,
        draw=draw,
        size=(7.0, 3.6),
        data=data,
    )


def representation_by_level(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Each group's share of each level, lowest level on the left.

    A share computed from a count below ``min_cell`` is not drawn (the point is left out).
    """
    table = result.table
    if table.empty:
        return None
    overall = result.overall.sort_values("count", ascending=False, kind="stable")
    groups = overall["group"].tolist()[:MAX_GROUPS]
    dropped = overall["group"].tolist()[MAX_GROUPS:]
    levels = list(result.order)
    x = np.arange(len(levels))
    series: dict[str, np.ndarray] = {}
    hidden_points = 0
    for g in groups:
        sub = table.loc[table["group"] == g].set_index("level_rank").sort_index()
        share = sub["share"].to_numpy(dtype=float)
        counts = sub["count"].to_numpy()
        mask = np.array([_small(min_cell, c) for c in counts])
        hidden_points += int(mask.sum())
        series[g] = np.where(mask, np.nan, share)
    trend = result.trend.set_index("group")
    parts = []
    for g in groups:
        tr = trend.loc[g]
        if math.isfinite(tr["share_lowest"]):
            parts.append(
                f"{g} {tr['share_lowest']:.0%} at {levels[0]} and {tr['share_highest']:.0%} at "
                f"{levels[-1]} (share {tr['direction']})"
            )
    alt = (
        f"Share of each level held by each {group_words(result.group_columns)}, levels in "
        f"order ({', '.join(map(str, levels))}). " + "; ".join(parts) + "."
    )
    if hidden_points:
        alt += f" {hidden_points} share(s) based on fewer than {min_cell} people are not drawn."
    alt += not_drawn(dropped=dropped)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, (g, y) in enumerate(series.items()):
            colour = PALETTE[i % len(PALETTE)]
            ax.plot(x, y, marker=MARKERS[i % len(MARKERS)], color=colour, linewidth=1.8,
                    linestyle=LINESTYLES[i % len(LINESTYLES)], markersize=5.5,
                    label=mpl_text(g))
            finite = np.flatnonzero(np.isfinite(y))
            if finite.size:
                j = int(finite[-1])
                ax.annotate(f"{y[j]:.0%}", (x[j], y[j]), xytext=(5, 0),
                            textcoords="offset points", va="center",
                            color="#1a1a1a")
        ax.set_xticks(x, labels=[mpl_text(lv) for lv in levels])
        ax.set_xlim(-0.3, len(levels) - 0.4)
        ax.set_ylim(0, 1)
        ticks = [0, 0.25, 0.5, 0.75, 1.0]
        ax.set_yticks(ticks, labels=[f"{t:.0%}" for t in ticks])
        ax.set_xlabel(mpl_text(words(result.level)) + " (lowest → highest)")
        ax.set_ylabel("share of the level")
        y_grid(ax)
        style_axes(ax)
        ax.grid(False, axis="x")
        fig.legend(loc="outside lower center", ncol=legend_columns(series), frameon=False)

    data = result.shares().reset_index()
    data.columns = [str(c) for c in data.columns]
    return Chart(
        title=f"Representation by {words(result.level)}: each group's share of each level",
        alt=alt,
        draw=draw,
        size=(7.0, 3.4),
        data=None if min_cell is not None else data,
    )


def rates_by_level(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Promotion impact ratios within each stratum (level/period), with confidence intervals."""
    if result.by_stratum is None or result.by_stratum.empty:
        return None
    frame = result.by_stratum.rename(columns={"stratum": "stage"})
    shim = SimpleNamespace(table=frame, threshold=result.threshold, params=result.params)
    made = impact_ratios(shim, min_cell=min_cell)
    if made is None:
        return None
    where = " and ".join(c for c in (result.level, result.period) if c) or "stratum"
    return Chart(
        title=f"Promotion impact ratios within each {where}, with confidence intervals",
        alt=made.alt.replace("comparison", "within-" + where + " comparison", 1),
        draw=made.draw,
        size=made.size,
        data=made.data.rename(columns={"stage": "stratum"}) if made.data is not None else None,
    )


def rating_distribution(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Share of each group at each rating (grouped bars, ratings in order)."""
    dist = result.distribution
    if dist.empty:
        return None
    sizes = result.table.set_index("group")["n"]
    groups = [g for g in sizes.sort_values(ascending=False, kind="stable").index
              if not _small(min_cell, sizes.loc[g])][:MAX_GROUPS]
    hidden = [g for g in sizes.index if g not in groups]
    if not groups:
        return None
    ratings = list(result.order)
    width = 0.8 / len(groups)
    x = np.arange(len(ratings))
    shares = {}
    for g in groups:
        sub = dist.loc[dist["group"] == g].sort_values("rating_rank")
        s = sub["share"].to_numpy(dtype=float)
        cnt = sub["count"].to_numpy()
        shares[g] = np.where([_small(min_cell, c) for c in cnt], np.nan, s)
    top = " or ".join(map(str, result.top))
    t = result.table.set_index("group")
    alt = (
        f"Share of each {group_words(result.group_columns)} at each rating "
        f"({', '.join(map(str, ratings))}). Rated {top}: "
        + "; ".join(f"{g} {t.loc[g, 'top_share']:.1%}" for g in groups)
        + "."
    )
    if hidden:
        alt += f" Not drawn: {', '.join(map(str, hidden))}."
    hatches = ("", "//", "..", "xx", "\\\\", "++", "--")

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, (g, s) in enumerate(shares.items()):
            ax.bar(x - 0.4 + width * (i + 0.5), np.nan_to_num(s), width=width * 0.95,
                   color=PALETTE[i % len(PALETTE)], hatch=hatches[i % len(hatches)],
                   edgecolor="white", linewidth=0.5, label=mpl_text(g))
        ax.set_xticks(x, labels=[mpl_text(r) for r in ratings])
        ax.set_xlabel(mpl_text(words(result.rating)) + " (lowest → highest)")
        ax.set_ylabel("share of the group")
        ymax = max(float(np.nanmax(s)) if np.isfinite(s).any() else 0 for s in shares.values())
        ax.set_ylim(0, min(1.0, ymax * 1.15 + 0.02))
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
        y_grid(ax)
        style_axes(ax)
        ax.grid(False, axis="x")
        fig.legend(loc="outside lower center", ncol=legend_columns(shares), frameon=False)

    return Chart(
        title=f"Distribution of {words(result.rating)} by group",
        alt=alt,
        draw=draw,
        size=(7.0, 3.2),
        data=None,
    )
