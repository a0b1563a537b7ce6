"""Charts for retention results: retention curves, cumulative incidence by cause, exit rates with
confidence intervals, and the layoff by decisional unit.

- :func:`retention_curves` — Kaplan–Meier share still employed by time, one line a group.
- :func:`cumulative_incidence` — Aalen–Johansen share who left for each cause, one panel a cause.
- :func:`exit_rates` — each group's exit rate with its confidence interval, per kind of exit.
- :func:`layoff_by_unit` — selection rates for layoff per decisional unit, focal against
  reference group, for the first comparison that was made.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..._core.text import format_number, format_percent
from ..suppress import Withheld
from ._base import (
    FLAG,
    GREY,
    LINESTYLES,
    MARKERS,
    OK,
    PALETTE,
    Chart,
    group_words,
    legend_columns,
    median_text,
    mpl_text,
    reference_text,
    style_axes,
    tick_text,
    words,
)
from ._withheld import complement_only, not_drawn, shown_steps, small

__all__ = ["cumulative_incidence", "exit_rates", "layoff_by_unit", "retention_curves"]

MAX_GROUPS = 7


def _shown(table: pd.DataFrame, size: str, min_cell: int | None) -> tuple[list[str], list[str]]:
    """Groups to draw (largest first, at most MAX_GROUPS) and groups hidden by min_cell."""
    order = table.sort_values(size, ascending=False, kind="stable")["group"].tolist()
    floor = min_cell or 0
    sizes = table.set_index("group")[size]
    # a withheld size (the report's min_cell) is NaN: that group is not drawn either
    hidden = [g for g in order if not float(sizes.loc[g]) >= floor]
    return [g for g in order if g not in hidden][:MAX_GROUPS], hidden


def retention_curves(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Share of each group still employed by time (Kaplan–Meier), cut where fewer than
    ``min_cell`` (or 5) people remain at risk."""
    groups, hidden = _shown(result.table, "n", min_cell)
    if not groups or result.curves.empty:
        return None
    floor = min_cell or 5
    steps = {g: shown_steps(result.curves.loc[result.curves["group"] == g],
                            ("time", "survival"), floor) for g in groups}
    if all(c.empty for c in steps.values()):
        return None  # every step withheld (min_cell): empty axes would say nothing
    series = {g: (np.concatenate([[0.0], c["time"].to_numpy(float)]),
                  np.concatenate([[1.0], c["survival"].to_numpy(float)]))
              for g, c in steps.items()}
    rows = result.table.set_index("group")
    unit = words(result.time_unit)
    alt = (f"Share of each {group_words(result.group_columns)} still employed by {unit} of "
           "tenure (Kaplan–Meier). " + "; ".join(
               f"{g}: {format_percent(rows.loc[g, 'retention_at'])} still employed after "
               f"{format_number(result.horizon, 0)} {unit}, median tenure at exit "
               f"{median_text(rows.loc[g, 'median'], rows.loc[g].get('median_note'))}"
               for g in groups) + f". A curve crosses the dashed half-employed line at its "
           f"median; it stops where fewer than {floor} people are still employed, so a median "
           "that is not reached or unstable has no crossing.")
    if result.reference_group in rows.index:
        alt += (" Hazard ratios in the table are against "
                + reference_text(result.reference_group, rows.loc[result.reference_group, "n"],
                                 "employees", min_cell) + ".")
    alt += not_drawn(hidden, min_cell=min_cell)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, (g, (t, s)) in enumerate(series.items()):
            ax.step(t, s, where="post", color=PALETTE[i % len(PALETTE)], linewidth=1.8,
                    linestyle=LINESTYLES[i % len(LINESTYLES)], label=mpl_text(g))
        ax.set_ylim(0, 1.02)
        ax.set_xlim(left=0)
        ax.axhline(0.5, color=GREY, linewidth=0.8, linestyle=(0, (4, 3)))
        ax.text(0, 0.5, " half still employed (median)", transform=ax.get_yaxis_transform(),
                ha="left", va="bottom", color="#1a1a1a")
        ax.axvline(result.horizon, color=GREY, linewidth=0.8, linestyle=(0, (1, 2)))
        ax.text(result.horizon, 0.02, f" {format_number(result.horizon, 0)} {unit}",
                color="#1a1a1a")
        ax.set_xlabel(mpl_text(unit))
        ax.set_ylabel("share still employed")
        style_axes(ax)
        fig.legend(loc="outside lower center", ncol=legend_columns(series), frameon=False)

    return Chart(title=f"Retention: share still employed by {unit} of tenure",
                 alt=alt, draw=draw, size=(7.0, 3.6))


def cumulative_incidence(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Share of each group who left for each cause by time (Aalen–Johansen), a panel a cause."""
    if result.incidence is None or result.incidence.empty:
        return None
    groups, hidden = _shown(result.table, "n", min_cell)
    causes = sorted(result.incidence["cause"].unique(), key=str)
    if not groups:
        return None
    floor = min_cell or 5
    inc = result.causes.set_index(["cause", "group"])
    alt = ("Share of each group who left for each kind of reason by tenure, counting the "
           "other reasons as competing (Aalen–Johansen). " + "; ".join(
               f"{k}: " + ", ".join(f"{g} {format_percent(inc.loc[(k, g), 'incidence'])}"
                                    for g in groups if (k, g) in inc.index)
               for k in causes) + f" after {format_number(result.horizon, 0)} "
           f"{words(result.time_unit)}.")
    alt += not_drawn(hidden, min_cell=min_cell)

    inc_rows = result.incidence
    steps = {(k, g): shown_steps(inc_rows.loc[(inc_rows["cause"] == k) & (inc_rows["group"] == g)],
                                 ("time", "incidence"), floor)
             for k in causes for g in groups}
    if all(c.empty for c in steps.values()):
        return None  # every step withheld (min_cell): empty panels would say nothing

    def draw(fig: Any) -> None:
        axes = fig.subplots(1, len(causes), sharey=True, squeeze=False)[0]
        for ax, k in zip(axes, causes, strict=True):
            for i, g in enumerate(groups):
                c = steps[(k, g)]
                ax.step(np.concatenate([[0.0], c["time"].to_numpy(float)]),
                        np.concatenate([[0.0], c["incidence"].to_numpy(float)]), where="post",
                        color=PALETTE[i % len(PALETTE)], linewidth=1.6,
                        linestyle=LINESTYLES[i % len(LINESTYLES)],
                        label=mpl_text(g) if ax is axes[0] else None)
            ax.set_title(tick_text(k))
            ax.set_xlabel(mpl_text(words(result.time_unit)))
            ax.set_xlim(left=0)
            style_axes(ax)
        axes[0].set_ylabel("share who left")
        fig.legend(loc="outside lower center", ncol=min(4, len(groups)), frameon=False)

    return Chart(title="Cumulative incidence of exit by cause", alt=alt, draw=draw,
                 size=(7.0, 3.4))


def _drawn(t: pd.DataFrame, min_cell: int | None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rows an exit-rate chart draws, the rows it leaves out ("Female (voluntary)") and,
    of those, the ones left out only as complements of a small count. A row whose flag is
    withheld (its reference's figures are) is left out too: its colour would say what the
    table withholds."""
    if min_cell is None:
        return t, [], []
    names = [f"{g} ({k})" if t["kind"].nunique() > 1 else str(g)
             for g, k in zip(t["group"], t["kind"], strict=True)]
    out = [small(min_cell, n, e) or isinstance(f, Withheld)
           for n, e, f in zip(t["headcount"], t["exits"], t["flagged"], strict=True)]
    hidden = [name for name, o in zip(names, out, strict=True) if o]
    complements = [name for name, o, n, e in zip(names, out, t["headcount"], t["exits"],
                                                 strict=True)
                   if o and (complement_only(min_cell, n, e) or not small(min_cell, n, e))]
    return t.loc[[not o for o in out]], hidden, complements


def exit_rates(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Each group's exit rate with its Wilson interval, per kind of exit; flagged groups in
    vermillion with a square marker."""
    t, hidden, complements = _drawn(result.table, min_cell)
    if t.empty:
        return None
    kinds = list(dict.fromkeys(t["kind"]))
    labels = sorted(t["group"].unique(), key=str)
    flagged = t.loc[t["flagged"].astype(bool)]
    # the reference the result chose (groups tied with it are also marked is_reference)
    refs = t.loc[t["is_reference"].astype(bool) & (t["group"] == t["reference_group"])]
    alt = ("Exit rate of each group with its confidence interval, for "
           + ", ".join(kinds) + " exits; each group is compared with "
           + ("; ".join(dict.fromkeys(
               reference_text(r.group, r.headcount, "employees", min_cell)
               + ("" if len(kinds) == 1 else f" for {r.kind} exits")
               for r in refs.itertuples())) if len(refs) else "the reference group")
           + ". " + (
               "Flagged: " + "; ".join(f"{r.group} ({r.kind}, {format_percent(r.exit_rate)} "
                                        f"against {r.reference_group})"
                                        for r in flagged.itertuples()) + "."
               if len(flagged) else ("No group drawn is flagged." if hidden else "No group is flagged."))
           + not_drawn(hidden, min_cell=min_cell, what="employees or exits",
                       complements=complements))

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        height = 0.8 / max(len(kinds), 1)
        for j, kind in enumerate(kinds):
            sub = t.loc[t["kind"] == kind].set_index("group").reindex(labels)
            y = np.arange(len(labels)) + j * height
            for yy, (_, r) in zip(y, sub.iterrows(), strict=True):
                if pd.isna(r["exit_rate"]):
                    continue
                bad = bool(r["flagged"])
                ax.errorbar(r["exit_rate"], yy,
                            xerr=[[max(0.0, r["exit_rate"] - r["exit_rate_ci_low"])],
                                  [max(0.0, r["exit_rate_ci_high"] - r["exit_rate"])]],
                            fmt=MARKERS[1] if bad else MARKERS[j % len(MARKERS)],
                            color=FLAG if bad else PALETTE[j % len(PALETTE)], capsize=2,
                            markersize=5, label=None)
            ax.plot([], [], MARKERS[j % len(MARKERS)], color=PALETTE[j % len(PALETTE)],
                    label=mpl_text(kind))
        ax.set_yticks(np.arange(len(labels)) + 0.4 - height / 2,
                      labels=[tick_text(g) for g in labels])
        ax.invert_yaxis()
        ax.set_xlabel("exit rate")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        style_axes(ax)
        fig.legend(loc="outside lower center", ncol=len(kinds), frameon=False)

    return Chart(title="Exit rates by group, with confidence intervals", alt=alt, draw=draw,
                 size=(7.0, 0.5 + 0.45 * len(labels) * max(1, len(kinds) / 2)),
                 data=t[["kind", "group", "headcount", "exits", "exit_rate",
                         "exit_rate_ci_low", "exit_rate_ci_high"]].reset_index(drop=True))


def layoff_by_unit(result: Any, *, min_cell: int | None = None,
                   comparison: str | None = None) -> Chart | None:
    """Selection rates for layoff per decisional unit: each focal group against the reference,
    for ``comparison`` (default: "age 40 and over" when made, else the first one)."""
    t = result.table
    if result.unit is None or t.empty:
        return None
    names = list(dict.fromkeys(t["comparison"]))
    name = comparison or ("age 40 and over" if "age 40 and over" in names else names[0])
    sub = t.loc[t["comparison"] == name]
    if min_cell is not None:
        sub = sub.loc[(sub["headcount"] >= min_cell) & (sub["selected"] >= min_cell)]
    units = list(dict.fromkeys(sub["unit"]))
    groups = sorted(sub["group"].unique(), key=str)
    if sub.empty or len(groups) < 2:
        return None
    ref = sub["reference_group"].iloc[0]
    overall = sub.loc[sub["unit"] == "All units"].set_index("group")
    shown = (reference_text(ref, overall.loc[ref, "headcount"], "employees", min_cell)
             if ref in overall.index else ref)
    alt = (f"Layoff selection rates by decisional unit ({name}); reference {shown}. Overall: "
           + ", ".join(f"{g} {format_percent(overall.loc[g, 'selection_rate'])}"
                       for g in groups if g in overall.index) + ".")

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, g in enumerate(groups):
            rows = sub.loc[sub["group"] == g].set_index("unit").reindex(units)
            colour = OK if g == ref else (FLAG if i % 2 else PALETTE[i % len(PALETTE)])
            ax.plot(rows["selection_rate"].to_numpy(float), np.arange(len(units)),
                    MARKERS[i % len(MARKERS)], color=colour, markersize=6,
                    label=mpl_text(g) + (" (reference)" if g == ref else ""))
        ax.set_yticks(np.arange(len(units)), labels=[tick_text(u) for u in units])
        ax.invert_yaxis()
        ax.set_xlabel("share selected for layoff")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        style_axes(ax)
        fig.legend(loc="outside lower center", ncol=len(groups), frameon=False)

    return Chart(title=f"Layoff selection rates by decisional unit ({name})", alt=alt,
                 draw=draw, size=(7.0, 0.8 + 0.32 * len(units)),
                 data=sub[["unit", "group", "headcount", "selected", "selection_rate"]]
                 .reset_index(drop=True))
