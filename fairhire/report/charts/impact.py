"""Charts for adverse-impact results: the hiring funnel and impact ratios with their CIs."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from ..._core import text
from ._base import (
    GREY,
    MARKERS,
    PALETTE,
    Chart,
    Estimates,
    ci_line,
    flag_legend,
    flag_point,
    group_words,
    legend_columns,
    line_note,
    mpl_text,
    style_axes,
    tick_text,
    value_label,
    y_grid,
)
from ._withheld import complement_only, drop_small, not_drawn
from ._withheld import small as _small

__all__ = ["funnel", "impact_ratios"]

#: At most this many groups are drawn in the funnel (the largest); the rest are named in the alt.
MAX_FUNNEL_GROUPS = 7


def _pct(x: float) -> str:
    return text.format_percent(x)


def _ratio(x: float, threshold: float | None) -> str:
    return text.format_ratio(x, threshold)


def _reference_sizes(table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(stage, reference group) -> its number of applicants, as text ("< 5" when withheld)."""
    out = {}
    for row in table[table["is_reference"].astype(bool)].itertuples(index=False):
        n = row.applicants
        out[(row.stage, row.group)] = str(n) if _small(None, n) else text.format_count(n)
    return out


def funnel(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Share of each group's applicants who reached each stage (log scale).

    Built from the stage rows of ``result.table``: the first stage's ``applicants`` is the
    number who applied, each stage's ``selected`` the number who passed it. On a logarithmic
    axis equal vertical gaps are equal ratios, so a stage where one group's line drops faster
    is a stage with a low impact ratio.
    """
    table = result.table
    stages = [s for s in result.stages if s in set(table["stage"])]
    if not stages:
        return None
    rows = table[table["stage"].isin(stages) & ~table["excluded"].astype(bool)]
    first = rows[rows["stage"] == stages[0]].set_index("group")
    if first.empty:
        return None
    groups = first.sort_values("applicants", ascending=False, kind="stable").index.tolist()
    hidden = [g for g in groups if _small(min_cell, first.loc[g, "applicants"])]
    groups = [g for g in groups if g not in hidden]
    dropped = groups[MAX_FUNNEL_GROUPS:]
    groups = groups[:MAX_FUNNEL_GROUPS]
    if not groups:
        return None

    labels = ["applied", *stages]
    series: dict[str, list[float]] = {}
    records = []
    for g in groups:
        base = float(first.loc[g, "applicants"])
        values = [1.0]
        for s in stages:
            match = rows[(rows["stage"] == s) & (rows["group"] == g)]
            raw = match["selected"].iloc[0] if len(match) else math.nan
            sel = math.nan if _small(min_cell, raw) else float(raw)
            share = sel / base if base > 0 else math.nan
            values.append(share)
            records.append({"group": g, "stage": s, "applicants": int(base),
                            "reached": None if math.isnan(sel) else int(sel),
                            "share": share})
        series[g] = values

    final = {g: v[-1] for g, v in series.items() if not math.isnan(v[-1])}
    alt = (
        f"Share of each {group_words(result.group_columns)}'s applicants still in the "
        f"process at each stage ({' → '.join(labels)}), on a logarithmic scale."
    )
    if final:
        alt += " Reaching the last stage (" + stages[-1] + "): " + "; ".join(
            f"{g} {_pct(v)}" for g, v in final.items()
        ) + "."
    complements = [g for g in hidden if complement_only(min_cell, first.loc[g, "applicants"])]
    alt += not_drawn(hidden, dropped, min_cell=min_cell, what="applicants",
                     complements=complements)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        x = np.arange(len(labels))
        for i, (g, values) in enumerate(series.items()):
            y = np.array(values, dtype=float)
            y = np.where(y > 0, y, np.nan)
            ax.plot(x, y, marker=MARKERS[i % len(MARKERS)], color=PALETTE[i % len(PALETTE)],
                    linewidth=1.8, markersize=5.5, label=mpl_text(g))
        ax.set_yscale("log")
        finite = [v for vals in series.values() for v in vals if v > 0 and not math.isnan(v)]
        low = min(finite) if finite else 0.01
        ticks = [t for t in (1, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.002, 0.001)
                 if t >= low / 1.5]
        ax.set_yticks(ticks, labels=[f"{t * 100:g}%" for t in ticks])
        ax.minorticks_off()
        ax.set_ylim(low / 1.4, 1.15)
        ax.set_xticks(x, labels=[mpl_text(s) for s in labels])
        ax.set_ylabel("share of applicants (log scale)")
        y_grid(ax)
        style_axes(ax)
        ax.grid(False, axis="x")
        fig.legend(loc="outside lower center", ncol=legend_columns(series), frameon=False)

    data = pd.DataFrame.from_records(records, columns=["group", "stage", "applicants", "reached",
                                                       "share"])
    return Chart(
        title="Hiring funnel: share of applicants reaching each stage, by group",
        alt=alt,
        draw=draw,
        size=(7.0, 3.6),
        data=data,
        # counts even where a withheld one (None) turned the column into floats ("145.000")
        formats={"applicants": "count", "reached": "count"},
    )


def impact_ratios(result: Any, *, min_cell: int | None = None) -> Chart | None:
    """Each comparison's impact ratio with its confidence interval, against the 0.8 line."""
    table = result.table
    order = {s: i for i, s in enumerate(dict.fromkeys(table["stage"]))}
    rows = table[~table["is_reference"].astype(bool) & ~table["excluded"].astype(bool)]
    rows = rows[np.isfinite(rows["impact_ratio"].astype(float))]
    rows, hidden = drop_small(rows, min_cell, "applicants", "selected")
    if rows.empty:
        return None
    rows = rows.assign(_o=rows["stage"].map(order)).sort_values(["_o"], kind="stable")
    threshold = float(result.threshold)
    level = result.params.get("confidence", 0.95) if result.params else 0.95
    level_txt = f"{float(level) * 100:g}%"

    refs = _reference_sizes(table)
    labels = [
        f"{s} · {g}\n" + _versus(r, refs.get((s, r), "n/a"))
        for s, g, r in zip(rows["stage"], rows["group"], rows["reference_group"], strict=True)
    ]
    est = Estimates.of(rows, labels, "impact_ratio", "adverse_impact")
    alt = _impact_alt(est, threshold, level_txt)
    if len(hidden):
        alt += f" {len(hidden)} comparison(s) with counts below {min_cell} are not drawn."
    draw = functools.partial(_draw_impact_ratios, est=est, threshold=threshold)
    data = rows[["stage", "group", "reference_group", "impact_ratio", "ci_low", "ci_high",
                 "adverse_impact"]].reset_index(drop=True)
    data.insert(3, "reference_applicants",
                [refs.get((s, r)) for s, r in zip(data["stage"], data["reference_group"],
                                                  strict=True)])
    return Chart(
        title=f"Impact ratios with {level_txt} confidence intervals, each against its reference "
        "group",
        alt=alt,
        draw=draw,
        formats={"impact_ratio": "ratio", "ci_low": "ratio", "ci_high": "ratio",
                 "reference_applicants": "count"},
        # two-line labels: about 0.42 in a row once drawn (figure_size), a gap between pairs
        size=(7.0, 1.4 + 0.5 * len(labels)),
        data=data,
    )


def _versus(reference: object, size: str, limit: int = 40) -> str:
    """The second line of a comparison's label: "vs Male (1,078)", the reference shortened
    (not its size) where the line would be longer than a tick label may be.

    >>> _versus("Female × Black or African American", "1,078")
    'vs Female × Black or African Am… (1,078)'
    """
    name = str(reference)
    room = limit - len(f"vs  ({size})")
    if len(name) > room:
        name = name[: max(room - 1, 1)] + "…"
    return f"vs {name} ({size})"


def _impact_alt(est: Estimates, threshold: float, level_txt: str) -> str:
    """The text alternative of :func:`impact_ratios`: every comparison below the threshold."""
    labels, ir, lo, hi, flagged = est
    plain = [lab.replace("\n", " ") for lab in labels]
    below = [
        f"{lab}: {_ratio(v, threshold)} ({level_txt} CI {_ratio(lo_, None)} to "
        f"{_ratio(hi_, None)})" if np.isfinite(lo_) else f"{lab}: {_ratio(v, threshold)}"
        for lab, v, lo_, hi_, f in zip(plain, ir, lo, hi, flagged, strict=True) if f
    ]
    alt = (
        f"Impact ratios of {len(labels)} comparison{'s' if len(labels) != 1 else ''} with their "
        f"{level_txt} confidence intervals; each is compared with the reference group named "
        f"under it (its number of applicants in brackets). The dashed line marks {threshold:g} "
        f"({_line_name(threshold)}) and the solid line parity (1). "
    )
    return alt + (
        f"{len(below)} below {threshold:g}: " + "; ".join(below) + "."
        if below else f"None is below {threshold:g}."
    )


def _line_name(threshold: float) -> str:
    """The dashed line's name: "four-fifths", or "threshold" for another value."""
    return "four-fifths" if text.threshold_line(threshold) == "four-fifths" else "threshold"


def _draw_impact_ratios(fig: Any, *, est: Estimates, threshold: float) -> None:
    labels, ir, lo, hi, flagged = est
    finite_hi = hi[np.isfinite(hi)]
    xmax = float(min(max(1.3, *(finite_hi if finite_hi.size else [1.3]), *ir) * 1.08, 3.0))
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    for yi, v, l_, h_, f in zip(y, ir, lo, hi, flagged, strict=True):
        if np.isfinite(l_) and np.isfinite(h_):
            ci_line(ax, yi, l_, min(h_, xmax), f)
        flag_point(ax, min(v, xmax), yi, f)
        value_label(ax, _ratio(v, threshold), min(v, xmax), yi)
    ax.axvline(threshold, color=GREY, linestyle=(0, (4, 3)), linewidth=1.2)
    ax.axvline(1.0, color=GREY, linewidth=0.9)
    line_note(ax, threshold, f" {_line_name(threshold)} ({threshold:g})", "right")
    line_note(ax, 1.0, " parity", "left")
    ax.set_yticks(y, labels=[tick_text(lab) for lab in labels])
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlim(0, xmax)
    ax.set_xlabel("impact ratio: group's rate ÷ reference rate")
    style_axes(ax)
    flag_legend(fig, f"below {threshold:g}", f"{threshold:g} or above")
