"""Charts for interview results: panel composition, the rater funnel plot, rubric reliability."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from ..._core.text import format_number, format_points
from ..suppress import Withheld
from ._base import (
    FLAG,
    GREY,
    MARKERS,
    OK,
    PALETTE,
    Chart,
    mpl_text,
    reference_text,
    style_axes,
    tick_text,
    words,
    y_grid,
)
from ._withheld import not_drawn
from ._withheld import small as _small

__all__ = ["panel_composition", "rater_funnel", "rubric_reliability"]

#: At most this many focal groups get a funnel panel (the largest); the rest are named in alt.
MAX_FUNNEL_PANELS = 3


def panel_composition(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Share of interviews whose panel includes each group, and diverse panels by panel size."""
    comp = result.composition
    comp = comp[comp["group"] != "(missing)"]
    sizes = result.sizes
    if comp.empty or sizes.empty:
        return None
    hidden = [g for g, n in zip(comp["group"], comp["interviews_with_group"], strict=True)
              if _small(min_cell, n)]
    comp = comp[~comp["group"].isin(hidden)]
    labels = [f"includes {g}" for g in comp["group"]] + [
        f"diverse ({result.min_groups}+ groups)"
    ]
    shares = [*comp["share_of_interviews"].astype(float).tolist(), float(result.share_diverse)]
    known = result.n_diverse + result.n_not_diverse
    size_rows = sizes[[not _small(min_cell, n) for n in sizes["interviews"]]]

    alt = (
        f"Of {result.n_interviews:,} interviews, "
        + "; ".join(f"{lab} {s:.0%}" for lab, s in zip(labels, shares, strict=True)
                    if not math.isnan(s))
        + f" (diverse share of the {known:,} with a known composition)."
    )
    if len(size_rows):
        alt += " Diverse share by panel size: " + "; ".join(
            f"{int(r.panel_size)} member{'s' if r.panel_size != 1 else ''} "
            f"{'n/a' if pd.isna(r.share_diverse) else f'{r.share_diverse:.0%}'}"
            for r in size_rows.itertuples(index=False)
        ) + "."
    if hidden:
        alt += f" Not drawn (fewer than {min_cell} interviews): {', '.join(map(str, hidden))}."

    def draw(fig: Any) -> None:
        left, right = fig.subplots(1, 2, width_ratios=[1.25, 1])
        y = np.arange(len(labels))[::-1]
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(labels) - 1)] + [GREY]
        left.barh(y, [0 if math.isnan(s) else s for s in shares], color=colours, height=0.6)
        for yi, s in zip(y, shares, strict=True):
            if not math.isnan(s):
                left.text(s + 0.01, yi, f"{s:.0%}", va="center")
        left.set_yticks(y, labels=[tick_text(lab, 26) for lab in labels])  # half the width
        left.set_xlim(0, 1.12)
        left.set_xticks([0, 0.5, 1], labels=["0%", "50%", "100%"])  # room for the labels in print
        left.set_xlabel("share of interviews")
        style_axes(left)
        if len(size_rows):
            x = np.arange(len(size_rows))
            div = size_rows["diverse"].to_numpy(dtype=float)
            nd = size_rows["not_diverse"].to_numpy(dtype=float)
            unk = size_rows["unknown"].to_numpy(dtype=float)
            right.bar(x, div, color=OK, label="diverse", width=0.65)
            right.bar(x, nd, bottom=div, color=FLAG, label="not diverse", width=0.65,
                      hatch="//", edgecolor="white")
            right.bar(x, unk, bottom=div + nd, color="#bdbdbd", label="unknown", width=0.65)
            right.set_xticks(x, labels=[str(int(s)) for s in size_rows["panel_size"]])
            right.set_xlabel("panel size (members)")
            right.set_ylabel("interviews")
            style_axes(right)
            right.grid(False, axis="x")
            y_grid(right)
            # beside the bars, not over them: the tallest bar reaches the top of the axes
            right.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))

    data = pd.DataFrame({"measure": labels, "share_of_interviews": shares})
    return Chart(
        title="Interview panel composition",
        alt=alt,
        draw=draw,
        size=(7.0, 3.0),
        data=data,
    )


def rater_funnel(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Each rater's gap against their number of decisions, with funnel control limits.

    Points are raters (x: decisions on the two groups compared; y: raw gap). The funnel is the
    organisation's gap ± 1.96 and ± 3.09 standard errors (95% and 99.8%). Flagged raters — after
    false-discovery-rate control and shrinkage — are drawn as labelled diamonds.
    """
    t = result.table
    t = t[t["assessable"].astype(bool)]
    if t.empty or result.funnel.empty:
        return None
    groups = t.groupby("group")["focal_n"].sum().sort_values(ascending=False).index.tolist()
    dropped = groups[MAX_FUNNEL_PANELS:]
    groups = groups[:MAX_FUNNEL_PANELS]
    pct = result.measure == "pass rate"

    panels = []
    hidden_total = 0
    for g in groups:
        rows = t[t["group"] == g]
        # a withheld gap: a count of passes below min_cell (or one it would reveal)
        small = np.array([_small(min_cell, a, b) or isinstance(gap, Withheld) for a, b, gap in
                          zip(rows["focal_n"], rows["reference_n"], rows["gap"], strict=True)],
                         dtype=bool)
        hidden_total += int(small.sum())
        rows = rows[~small]
        limits = result.funnel[result.funnel["group"] == g]
        if rows.empty or limits.empty:
            continue
        panels.append((g, rows, limits))
    if not panels:
        return None

    alt = _rater_alt(result, t, panels, pct, min_cell)
    if hidden_total:
        alt += (f" {hidden_total} rater(s) with fewer than {min_cell} decisions or passes on a "
                "group (or figures that would reveal one) not drawn.")
    alt += not_drawn(dropped=dropped)
    draw = functools.partial(
        _draw_rater_funnel, panels=panels, pct=pct, reference_group=result.reference_group
    )
    data = t[["rater", "group", "focal_n", "reference_n", "gap", "gap_shrunk", "flagged"]]
    return Chart(
        title=f"Rater funnel plot: {result.measure} gap against number of decisions",
        alt=alt,
        draw=draw,
        size=(7.0, 3.4),
        data=data.reset_index(drop=True),
    )


def _gap_text(value: float, pct: bool) -> str:
    if pct:
        return format_points(value).replace(" pp", " percentage points")
    return format_number(value) + " score points"


def _rater_alt(
    result: Any, t: pd.DataFrame, panels: list[Any], pct: bool, min_cell: int | None
) -> str:
    """The text alternative of :func:`rater_funnel`: the centre lines and the flagged raters."""
    # a rater whose counts are withheld (min_cell) has their flag withheld too: counted apart
    held = t["flagged"].map(lambda v: isinstance(v, Withheld))
    flagged = t[t["flagged"].astype(bool) & ~held]
    org = result.organisation
    ref = (reference_text(result.reference_group, org["reference_n"].iloc[0], "decisions",
                          min_cell) if len(org) == 1 else result.reference_group)
    alt = (
        f"Funnel plot of each rater's {result.measure} gap (the group's minus the reference "
        f"group's, {ref}) against their number of decisions on the two groups, with "
        "95% and 99.8% control limits around the organisation-wide gap "
    )
    alt += "; ".join(
        f"({g}: {_gap_text(float(lim['center'].iloc[0]), pct)})" for g, _, lim in panels
    ) + ". "
    if len(flagged):
        alt += f"{len(flagged)} flagged after false-discovery-rate control: " + "; ".join(
            f"{r.rater} ({r.group}: {_gap_text(r.gap, pct)} on "
            f"{int(r.focal_n + r.reference_n)} decisions)" for r in flagged.itertuples(index=False)
        ) + "."
    else:
        alt += "No rater is flagged after false-discovery-rate control."
    if held.any():
        alt += (f" {int(held.sum())} rater comparisons have their figures and flag withheld "
                f"(fewer than {min_cell} decisions or passes on a group, or figures that "
                "would reveal one).")
    return alt


def _draw_rater_funnel(
    fig: Any, *, panels: list[Any], pct: bool, reference_group: Any
) -> None:
    axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True, squeeze=False)[0])
    for ax, (g, rows, lim) in zip(axes, panels, strict=True):
        _draw_rater_panel(ax, rows, lim, pct)
        ax.set_title(tick_text(f"{g} vs {reference_group}"))
        ax.set_xlabel("decisions on the two groups")
        if pct:
            ticks = ax.get_yticks()
            ax.set_yticks(ticks, labels=[f"{v * 100:+.0f}" for v in ticks])
        style_axes(ax)
        y_grid(ax)
        ax.set_xlim(left=0)
    axes[0].set_ylabel("gap (percentage points)" if pct else "gap (score points)")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="D", color=FLAG, linestyle="none", label="flagged"),
        Line2D([], [], marker="o", color=OK, linestyle="none", markerfacecolor="white",
               markeredgewidth=1.3, label="not flagged"),
        Line2D([], [], color=GREY, linestyle=(0, (4, 3)), label="95% limits"),
        Line2D([], [], color=GREY, linestyle=(0, (1, 2)), label="99.8% limits"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False)


def _draw_rater_panel(ax: Any, rows: pd.DataFrame, lim: pd.DataFrame, pct: bool) -> None:
    """One group's funnel: the control limits, the raters, flagged ones labelled."""
    n = lim["n"].to_numpy(dtype=float)
    ax.fill_between(n, lim["lower998"], lim["upper998"], color="#eeeeee", linewidth=0)
    ax.fill_between(n, lim["lower95"], lim["upper95"], color="#dcdcdc", linewidth=0)
    ax.plot(n, lim["center"], color=GREY, linewidth=1.1)
    for col in ("lower95", "upper95"):
        ax.plot(n, lim[col], color=GREY, linewidth=0.8, linestyle=(0, (4, 3)))
    for col in ("lower998", "upper998"):
        ax.plot(n, lim[col], color=GREY, linewidth=0.8, linestyle=(0, (1, 2)))
    x = (rows["focal_n"] + rows["reference_n"]).to_numpy(dtype=float)
    y = rows["gap"].to_numpy(dtype=float)
    f = rows["flagged"].astype(bool).to_numpy()
    ax.plot(x[~f], y[~f], linestyle="none", marker=MARKERS[0], color=OK,
            markerfacecolor="white", markeredgewidth=1.3, markersize=5, label="not flagged")
    ax.plot(x[f], y[f], linestyle="none", marker="D", color=FLAG, markersize=6.5,
            label="flagged")
    # stagger labels of nearby flagged points so they don't overprint
    order = np.argsort(-y[f], kind="stable")
    names = rows["rater"].to_numpy()[f]
    for rank, i in enumerate(order):
        dy = (6, -4, -14)[rank % 3]
        ax.annotate(mpl_text(names[i]), (x[f][i], y[f][i]), xytext=(6, dy),
                    textcoords="offset points", color="#1a1a1a")
    lo_data = float(min(np.nanmin(y), float(lim["center"].iloc[0])))
    hi_data = float(max(np.nanmax(y), float(lim["center"].iloc[0])))
    span = max(hi_data - lo_data, 0.1)
    lo_lim, hi_lim = lo_data - 0.6 * span, hi_data + 0.6 * span
    if pct:
        lo_lim, hi_lim = max(lo_lim, -1.05), min(hi_lim, 1.05)
    ax.set_ylim(lo_lim, hi_lim)


def rubric_reliability(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Krippendorff's alpha of each criterion against the 0.667 and 0.800 guides."""
    t = result.table
    t = t[t["alpha"].notna()]
    t = t[[not _small(min_cell, n) for n in t["candidates_compared"]]]
    if t.empty:
        return None
    RELIABLE, TENTATIVE = result.reliable, result.tentative

    labels = [words(c) for c in t["criterion"]]
    alpha = t["alpha"].astype(float).to_numpy()
    low = alpha < TENTATIVE
    alt = (
        "Krippendorff's alpha per rubric criterion; 0.800 and above is reliable, 0.667 to "
        "0.800 tentative, below 0.667 unreliable (Krippendorff 2004). "
        + "; ".join(f"{c} {format_number(a, 2)}" for c, a in zip(labels, alpha, strict=True))
        + "."
    )

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(labels))[::-1]
        ax.barh(y, np.clip(alpha, 0, None), color=[FLAG if f else OK for f in low], height=0.6,
                hatch=None)
        for yi, a, f in zip(y, alpha, low, strict=True):
            ax.text(max(a, 0) + 0.01, yi, f"{a:.2f}" + (" (unreliable)" if f else ""),
                    va="center")
        for v, name, ha in ((TENTATIVE, "tentative 0.667 ", "right"),
                            (RELIABLE, " 0.800 reliable", "left")):
            ax.axvline(v, color=GREY, linestyle=(0, (4, 3)), linewidth=1.0)
            ax.text(v, 1.0, name, transform=ax.get_xaxis_transform(), ha=ha,
                    va="bottom")
        ax.set_yticks(y, labels=[tick_text(c) for c in labels])
        ax.set_xlim(0, 1.25)
        ax.set_xlabel("Krippendorff's alpha")
        style_axes(ax)

    return Chart(
        title="Inter-rater reliability by rubric criterion",
        alt=alt,
        draw=draw,
        size=(7.0, 0.5 + 0.45 * len(labels)),
        data=t[["criterion", "alpha", "icc", "reliability"]].reset_index(drop=True),
    )
