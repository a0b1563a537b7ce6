"""The search over candidate cut-offs: a summary per cut-off, the runs of cut-offs without
adverse impact, and the cut-off with the least adverse impact for a target number selected."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError

__all__ = ["by_cutoff", "no_adverse_impact_runs", "target_cutoffs"]


def by_cutoff(table: pd.DataFrame, unknown: pd.DataFrame, criterion: str) -> pd.DataFrame:
    cut = table["cutoff"]
    compared = ~table["is_reference"] & ~table["excluded"]
    grouped = table.groupby(cut, sort=True)
    applicants = grouped["applicants"].sum()
    selected = grouped["selected"].sum()
    u = unknown.set_index("cutoff").reindex(applicants.index, fill_value=0)
    applicants = applicants + u["applicants"]
    selected = selected + u["selected"]
    ref_sel = table.loc[table["is_reference"]].groupby("cutoff")["selected"].max()
    anyone = ref_sel.reindex(applicants.index, fill_value=0) > 0
    comp = table.loc[compared]
    ir = comp.dropna(subset=["impact_ratio"])
    lowest_idx = ir.groupby("cutoff")["impact_ratio"].idxmin()
    min_ir = ir.loc[lowest_idx].set_index("cutoff")["impact_ratio"].reindex(applicants.index)
    lowest = ir.loc[lowest_idx].set_index("cutoff")["group"].reindex(applicants.index)
    min_ir = min_ir.where(min_ir.notna(), np.where(anyone, 1.0, np.nan))
    n_below = comp.groupby("cutoff")["adverse_impact"].sum().reindex(applicants.index).fillna(0)
    n_sig = comp.groupby("cutoff")["significant"].sum().reindex(applicants.index).fillna(0)
    out = pd.DataFrame(
        {
            "cutoff": applicants.index.to_numpy(dtype=float),
            "applicants": applicants.to_numpy(dtype="int64"),
            "selected": selected.to_numpy(dtype="int64"),
            "selection_rate": (selected / applicants.where(applicants > 0)).to_numpy(float),
            "min_impact_ratio": min_ir.to_numpy(dtype=float),
            "lowest_group": lowest.fillna("").astype(str).to_numpy(),
            "n_below_four_fifths": n_below.to_numpy(dtype="int64"),
            "n_significant": n_sig.to_numpy(dtype="int64"),
        }
    )
    out["adverse_impact"] = out["n_below_four_fifths"] > 0
    out["significant"] = out["n_significant"] > 0
    if criterion == "both":  # the same group must be below four-fifths and significant
        both = comp["adverse_impact"] & comp["significant"]
        flagged = both.groupby(comp["cutoff"]).any().reindex(applicants.index, fill_value=False)
        flagged = flagged.to_numpy(dtype=bool)
    else:
        flagged = {
            "either": out["adverse_impact"] | out["significant"],
            "four_fifths": out["adverse_impact"],
            "significance": out["significant"],
        }[criterion].to_numpy(dtype=bool)
    out["no_adverse_impact"] = anyone.to_numpy() & ~flagged
    return out


def no_adverse_impact_runs(by_cutoff: pd.DataFrame) -> tuple[tuple[float, float], ...]:
    """Consecutive candidate cut-offs with no adverse impact, as (lowest, highest)."""
    runs: list[tuple[float, float]] = []
    start = prev = None
    for c, ok in zip(by_cutoff["cutoff"], by_cutoff["no_adverse_impact"], strict=True):
        if ok:
            start = c if start is None else start
            prev = c
        elif start is not None:
            runs.append((float(start), float(prev)))
            start = None
    if start is not None:
        runs.append((float(start), float(prev)))
    return tuple(runs)


def target_cutoffs(
    by_cutoff: pd.DataFrame, target: int, tolerance: float, higher_is_better: bool
) -> tuple[float, float]:
    enough = by_cutoff.loc[by_cutoff["selected"] >= target]
    if enough.empty:
        most = int(by_cutoff["selected"].max())
        raise InvalidParameterError(
            f"target_selected={target:,} is more than any candidate cut-off selects (at most "
            f"{most:,}). Lower the target or add lower cut-offs."
        )
    fewest = int(enough["selected"].min())
    top = enough.loc[enough["selected"] == fewest]
    # the strictest cut-off that still selects enough: top-down selection
    top_down = float(top["cutoff"].max() if higher_is_better else top["cutoff"].min())
    limit = max(fewest, math.floor(target * (1 + tolerance)))
    pool = enough.loc[enough["selected"] <= limit].copy()
    pool["_ir"] = pool["min_impact_ratio"].fillna(-np.inf)
    pool = pool.sort_values(
        ["no_adverse_impact", "_ir", "selected", "cutoff"],
        ascending=[False, False, True, not higher_is_better],
        kind="stable",
    )
    return float(pool["cutoff"].iloc[0]), top_down
