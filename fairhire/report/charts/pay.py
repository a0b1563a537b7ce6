"""Charts for pay results.

- :func:`gap_estimates` — adjusted pay gaps with their confidence intervals (and the raw mean
  gap), overall or within each pay-analysis grouping, flagged ones marked by shape and colour.
- :func:`decomposition` — Oaxaca–Blinder explained contributions by variable and the
  unexplained part.
- :func:`quartile_bands` — women's and men's shares of each quartile pay band (UK and EU).
- :func:`category_gaps` — the EU Art. 10 check: each category's gap in average pay against the
  ±5% threshold.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from ..._core.text import format_counted, format_number
from ._base import (
    FLAG,
    GREY,
    OK,
    PALETTE,
    Chart,
    Estimates,
    ci_line,
    flag_legend,
    flag_point,
    line_note,
    mpl_text,
    reference_text,
    style_axes,
    tick_text,
    value_label,
    words,
)
from ._withheld import complement_only, drop_small
from ._withheld import small as _small

__all__ = ["category_gaps", "decomposition", "gap_estimates", "quartile_bands"]

#: At most this many comparisons are drawn (largest absolute gaps first); the rest are named.
MAX_ROWS = 30


def gap_estimates(
    result: Any, *, min_cell: int | None = None, scope: str = "overall"
) -> Chart | None:
    """Adjusted gap of each group (or group within each cell) with its confidence interval.

    The gap is in the raw-gap convention (positive: the reference group is paid more). Flagged
    gaps (p < alpha) are vermillion diamonds, the others open blue circles; a small grey bar marks
    the raw mean gap. Comparisons with counts below ``min_cell`` are not drawn; not testable
    ones are left out and counted in the text alternative.
    """
    table = result.table
    rows = (
        table[table["scope"] == "overall"]
        if scope == "overall"
        else table[table["scope"] != "overall"]
    )
    if rows.empty:
        return None
    untestable = int((~rows["testable"].astype(bool)).sum())
    # withheld rows first: their gap is withheld too, and they are said as withheld
    rows, hidden = drop_small(rows[rows["testable"].astype(bool)], min_cell, "n", "n_reference",
                              complements=False)
    rows = rows[np.isfinite(rows["adjusted_gap"].astype(float))]
    if rows.empty:
        return None
    dropped = 0
    if len(rows) > MAX_ROWS:
        keep = rows["adjusted_gap"].abs().sort_values(ascending=False, kind="stable").index
        dropped = len(rows) - MAX_ROWS
        rows = rows.loc[sorted(keep[:MAX_ROWS], key=list(rows.index).index)]
    level = f"{float(result.confidence) * 100:g}%"
    labels = (
        rows["group"].astype(str).tolist()
        if scope == "overall"
        else [f"{c} · {g}" for c, g in zip(rows["cell"], rows["group"], strict=True)]
    )
    est = Estimates.of(rows, labels, "adjusted_gap", "flagged")
    raw = (
        rows["mean_gap_pct"].astype(float).to_numpy() if result.log else np.full(len(rows), np.nan)
    )
    where = "overall" if scope == "overall" else "within " + words(result.within)
    alt = _gap_alt(result, est, where, level, min_cell)
    if untestable:
        alt += f" {untestable} comparison(s) not testable are not drawn."
    held = sum(complement_only(min_cell, *counts)
               for counts in zip(hidden["n"], hidden["n_reference"], strict=True))
    if len(hidden) > held:
        alt += f" {len(hidden) - held} comparison(s) with counts below {min_cell} are not drawn."
    if held:
        alt += (f" {held} comparison(s) whose figures are withheld so that a count of fewer "
                f"than {min_cell} cannot be worked out from the totals are not drawn.")
    if dropped:
        alt += f" {dropped} smaller gaps are not drawn (see the table)."
    draw = functools.partial(_draw_gaps, result=result, est=est, raw=raw, level=level)
    data = rows[["scope", "cell", "group", "reference_group", "adjusted_gap", "ci_low",
                 "ci_high", "flagged"]].reset_index(drop=True)
    return Chart(
        title=f"Adjusted pay gap {where}, with {level} confidence intervals",
        alt=alt,
        draw=draw,
        size=(7.0, 1.4 + 0.32 * len(labels)),
        data=data,
    )


def _gap_alt(
    result: Any, est: Estimates, where: str, level: str, min_cell: int | None
) -> str:
    """The text alternative of :func:`gap_estimates`: every gap with its interval (up to 12)."""
    labels, gap, lo, hi, flagged = est
    unit = "%" if result.log else ""
    units_text = "percent" if result.log else "currency units"
    parts = [
        f"{lab}: {format_number(g, 1)}{unit} ({level} CI {format_number(lo_, 1)} to "
        f"{format_number(hi_, 1)}{unit})" + (" flagged" if f else "")
        for lab, g, lo_, hi_, f in zip(labels, gap, lo, hi, flagged, strict=True)
    ]
    overall = result.table[result.table["scope"] == "overall"]
    ref = reference_text(result.reference_group,
                         overall["n_reference"].iloc[0] if len(overall) else None, "employees",
                         min_cell)
    return (
        f"Adjusted pay gap against {ref} ({units_text}; positive means "
        f"{result.reference_group} employees are paid more), {where}, with {level} confidence "
        f"intervals; {int(flagged.sum())} of {len(labels)} flagged (p < {result.alpha:g}). "
        + "; ".join(parts[:12])
        + ("; ..." if len(parts) > 12 else "")
        + "."
    )


def _draw_gaps(
    fig: Any, *, result: Any, est: Estimates, raw: np.ndarray, level: str
) -> None:
    labels, gap, lo, hi, flagged = est
    unit = "%" if result.log else ""
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    for yi, g, l_, h_, r, f in zip(y, gap, lo, hi, raw, flagged, strict=True):
        if np.isfinite(l_) and np.isfinite(h_):
            ci_line(ax, yi, l_, h_, f)
        if np.isfinite(r):
            ax.plot([r], [yi], marker="|", color=GREY, markersize=9, markeredgewidth=1.6,
                    linestyle="none")
        flag_point(ax, g, yi, f)
        value_label(ax, f"{format_number(g, 1)}{unit}", g, yi)
    ax.axvline(0.0, color=GREY, linewidth=0.9)
    line_note(ax, 0.0, " no gap", "left")
    ax.set_yticks(y, labels=[tick_text(lab) for lab in labels])
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel(
        f"adjusted gap ({'%' if result.log else 'currency'}; positive: "
        f"{mpl_text(result.reference_group)} paid more), with {level} CI"
    )
    style_axes(ax)
    flag_legend(fig, f"flagged (p < {result.alpha:g})", "not flagged",
                "raw mean gap" if result.log else None)


def decomposition(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """The twofold decomposition: explained contribution of each variable, and the unexplained
    part, as bars (in the outcome's units)."""
    # a group size withheld only so that a small exclusion cannot be worked out hides nothing
    sizes = (result.n_a, result.n_b)
    if _small(min_cell, *sizes) and not complement_only(min_cell, *sizes):
        return None
    det = result.detailed
    explained = det[(det["component"] == "explained") & (det["variable"] != "(constant)")]
    unexplained = float(
        result.overall.loc[result.overall["component"] == "unexplained", "estimate"].iloc[0]
    )
    labels = [f"explained: {words(v)}" for v in explained["variable"]] + ["unexplained"]
    values = [*explained["estimate"].astype(float).tolist(), unexplained]
    unit = "log points" if result.log else words(result.outcome)
    alt = (
        f"Decomposition of the {format_number(result.gap, 3)} {unit} gap between "
        f"{result.group_a} and {result.group_b}: "
        + "; ".join(f"{lab} {format_number(v, 3)}" for lab, v in zip(labels, values, strict=True))
        + "."
    )

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(labels))[::-1]
        colours = [PALETTE[0]] * (len(labels) - 1) + [PALETTE[1]]
        hatches = [""] * (len(labels) - 1) + ["//"]
        for yi, v, c, h in zip(y, values, colours, hatches, strict=True):
            ax.barh([yi], [v], color=c, hatch=h, edgecolor="#1a1a1a", linewidth=0.6)
            ax.annotate(f"{v:.3g}", (v, yi), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", ha="left" if v >= 0 else "right",
                        va="center", color="#1a1a1a")
        ax.axvline(0.0, color=GREY, linewidth=0.9)
        ax.set_yticks(y, labels=[tick_text(lab) for lab in labels])
        ax.set_xlabel(mpl_text(f"contribution to the gap ({unit})"))
        style_axes(ax)

    data = pd.DataFrame({"part": labels, "estimate": values})
    return Chart(
        title="What explains the gap: Oaxaca–Blinder twofold decomposition",
        alt=alt,
        draw=draw,
        size=(7.0, 1.2 + 0.3 * len(labels)),
        data=data,
    )


def quartile_bands(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Women's and men's shares of each quartile pay band, lowest band at the bottom."""
    q = result.quartiles
    if q.empty or not np.isfinite(q["female_pct"].astype(float)).any():
        return None
    if _small(min_cell, *q["employees"].tolist()):
        return None
    bands = q["band"].tolist()
    women = q["female_pct"].astype(float).to_numpy()
    men = q["male_pct"].astype(float).to_numpy()
    shown = np.isfinite(women) & np.isfinite(men)
    alt = (
        "Share of women and men in each quartile pay band (four equal-headcount sections of the "
        "ranked pay list): "
        + "; ".join(f"{b}: women {w:.1f}%, men {m:.1f}%"
                    for b, w, m, ok in zip(bands, women, men, shown, strict=True) if ok)
        + "."
    )
    if not shown.all():
        # min_cell: a band with fewer than min_cell men or women, and the bands withheld with
        # it so that its counts cannot be worked out from the totals
        held = ", ".join(b for b, ok in zip(bands, shown, strict=True) if not ok)
        alt += (f" Shares withheld (fewer than {min_cell} men or women in a band, or figures that "
                f"would reveal such a count): {held}.")

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(bands))
        ax.barh(y, women, color=PALETTE[1], edgecolor="#1a1a1a", linewidth=0.6, label="women")
        ax.barh(y, men, left=women, color=PALETTE[0], hatch="//", edgecolor="#1a1a1a",
                linewidth=0.6, label="men")
        for yi, w, m in zip(y, women, men, strict=True):
            if np.isfinite(w):
                ax.text(w / 2, yi, f"{w:.1f}%", ha="center", va="center",
                        color="#000000", bbox={"facecolor": "white", "edgecolor": "none",
                                               "pad": 1.0})
                ax.text(w + m / 2, yi, f"{m:.1f}%", ha="center", va="center",
                        color="#000000", bbox={"facecolor": "white", "edgecolor": "none",
                                               "pad": 1.0})
            else:
                ax.text(2, yi, "shares withheld", ha="left", va="center", color="#000000")
        ax.axvline(50, color=GREY, linewidth=0.9, linestyle=(0, (4, 3)))
        line_note(ax, 50, " 50%", "left")
        ax.set_yticks(y, labels=[f"{b} quartile" for b in bands])
        ax.set_xlim(0, 100)
        ax.set_xlabel("share of the band (%)")
        style_axes(ax)
        fig.legend(loc="outside lower center", ncol=2, frameon=False)

    data = q[["band", "employees", "men", "women", "male_pct", "female_pct"]].reset_index(drop=True)
    return Chart(
        title="Women and men in each quartile pay band",
        alt=alt,
        draw=draw,
        size=(7.0, 2.6),
        data=data,
    )


def category_gaps(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """EU Art. 10: each category's gap in average (total) pay against ±``threshold``."""
    cats = result.categories
    if cats is None or cats.empty:
        return None
    rows, hidden = drop_small(cats[cats["assessable"].astype(bool)], min_cell, "men", "women",
                              complements=False)
    if rows.empty:
        return None
    dropped = 0
    if len(rows) > MAX_ROWS:
        dropped = len(rows) - MAX_ROWS
        rows = rows.loc[rows["mean_gap_total"].abs().sort_values(ascending=False).index[:MAX_ROWS]]
    labels = rows["category"].astype(str).tolist()
    gaps = rows["mean_gap_total"].astype(float).to_numpy()
    flagged = rows["art10_flag"].astype(bool).to_numpy()
    t = float(result.threshold)
    alt = (
        f"Gap in average pay between men and women in each category of workers (positive: men "
        f"paid more); dashed lines at ±{t:g}%, the Art. 10 joint pay assessment threshold. "
        f"{int(flagged.sum())} of {len(labels)} categories at or beyond it: "
        + (
            "; ".join(
                f"{lab} {g:.1f}%" for lab, g, f in zip(labels, gaps, flagged, strict=True) if f
            )
            or "none"
        )
        + "."
    )
    if len(hidden):
        alt += (f" {format_counted(len(hidden), 'category', 'categories')} with counts below "
                f"{min_cell} {'is' if len(hidden) == 1 else 'are'} not drawn.")
    if dropped:
        alt += f" {dropped} categories with smaller gaps are not drawn (see the table)."

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(labels))[::-1]
        for yi, g, f in zip(y, gaps, flagged, strict=True):
            ax.plot([0, g], [yi, yi], color=FLAG if f else OK, linewidth=1.4)
            flag_point(ax, g, yi, f)
            value_label(ax, f"{g:.1f}%", g, yi)
        for x in (-t, t):
            ax.axvline(x, color=GREY, linestyle=(0, (4, 3)), linewidth=1.2)
        line_note(ax, t, f" +{t:g}%", "left")
        line_note(ax, -t, f"−{t:g}% ", "right")
        ax.axvline(0.0, color=GREY, linewidth=0.9)
        ax.set_yticks(y, labels=[tick_text(lab) for lab in labels])
        ax.set_ylim(-0.7, len(labels) - 0.3)
        ax.set_xlabel("gap in average pay, % of men's (positive: men paid more)")
        style_axes(ax)
        flag_legend(fig, f"at least {t:g}%: joint pay assessment", f"below {t:g}%")

    data = rows[["category", "men", "women", "mean_gap_total", "art10_flag"]].reset_index(drop=True)
    return Chart(
        title=f"Gap in average pay by category of workers (Art. 10 threshold {t:g}%)",
        alt=alt,
        draw=draw,
        size=(7.0, 1.4 + 0.32 * len(labels)),
        data=data,
    )
