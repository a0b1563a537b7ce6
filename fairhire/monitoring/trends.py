"""The trend of every comparison over the periods of a monitoring run.

One trend per (stage, focal group), always against the same reference group: ``reference=``
when given, otherwise the group the shared reference rule
(:func:`fairhire._core.reference.choose_reference`) picks from the counts pooled over every
period. The trend is the group × period interaction of a logistic regression
(:func:`fairhire.stats.change.logit_trend`); its p-values are adjusted over every trend of the
run, and the direction is read from the adjusted p-value (and claimed only when the fitted
impact ratio moves the same way as the odds ratio).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import sort_key
from .._core.reference import choose_reference
from ..stats.change import logit_trend
from ..stats.proportions import adjust_pvalues

__all__ = ["TREND_COLUMNS", "StageCounts", "reference_note", "stage_counts", "trend_table"]

TREND_COLUMNS = [
    "stage", "group", "reference_group", "periods", "first_period", "last_period",
    "log_odds_trend", "se", "ci_low", "ci_high", "change_per_period", "change_ci_low",
    "change_ci_high", "z", "p_value", "p_value_adjusted", "direction", "note",
]

IMPROVING, WORSENING, UNCLEAR = "improving", "worsening", "no clear trend"
RATIO_UP = "__fh_ratio_up"  # working column: the fitted impact ratio rose (not in the result)
OPPOSITE = (
    "the odds ratio and the impact ratio moved in opposite directions (selection rates near "
    "100%): no direction is claimed; see the impact ratios period by period"
)


@dataclass(frozen=True)
class StageCounts:
    """Applicants and selections of every group in every period at one stage."""

    stage: str
    applicants: pd.DataFrame  # index: group, columns: periods
    selected: pd.DataFrame

    @classmethod
    def from_table(cls, table: pd.DataFrame, stage: str, order: tuple[Any, ...]) -> StageCounts:
        return stage_counts(table.loc[table["stage"] == stage], order)[stage]


def _reference(counts: StageCounts, options: Any, warnings: list[str]) -> str | None:
    labels = list(counts.applicants.index)
    sizes = counts.applicants.sum(axis=1).to_numpy()
    chosen = counts.selected.sum(axis=1).to_numpy()
    scores = [Fraction(int(k), int(n)) if n else None for k, n in zip(chosen, sizes, strict=True)]
    excluded = None
    if options.min_share:
        total = sizes.sum()
        excluded = [total > 0 and n / total < options.min_share for n in sizes]
    choice = choose_reference(
        labels, sizes, scores, reference=options.reference, min_n=options.min_n,
        excluded=excluded, what="selection rate",
    )
    if choice.warning:
        warnings.append(f"Trends at stage {counts.stage!r}: {choice.warning}")
    return choice.label


def _trend_row(counts: StageCounts, group: str, ref: str, order, numbers, options) -> dict:
    a, n = counts.selected.loc[group].to_numpy(), counts.applicants.loc[group].to_numpy()
    b, m = counts.selected.loc[ref].to_numpy(), counts.applicants.loc[ref].to_numpy()
    t = np.array([numbers[p] for p in order], dtype=float)
    fit = logit_trend(a, n, b, m, t, confidence=options.confidence)
    both = [p for p, ni, mi in zip(order, n, m, strict=True) if ni > 0 and mi > 0]
    low, high = fit.change_ci
    return {
        "stage": counts.stage, "group": group, "reference_group": ref, "periods": fit.periods,
        "first_period": both[0] if both else None, "last_period": both[-1] if both else None,
        "log_odds_trend": fit.estimate, "se": fit.se, "ci_low": fit.ci_low,
        "ci_high": fit.ci_high, "change_per_period": fit.change, "change_ci_low": low,
        "change_ci_high": high, "z": fit.z, "p_value": fit.p_value, "note": fit.note,
        RATIO_UP: fit.ratio_last > fit.ratio_first if fit.converged else None,
    }


def reference_note(table: pd.DataFrame, order, references: dict[str, str | None]) -> str | None:
    """One warning naming the stages where each period's own reference group differs."""
    refs = table.loc[table["is_reference"].astype(bool)]
    stages = []
    for stage, rows in refs.groupby("stage", sort=False):
        if rows.groupby("period", sort=False)["group"].first().nunique() > 1:
            stages.append(f"{stage!r} (the run's reference: {references.get(stage)})")
    if not stages:
        return None
    return (
        "The group with the highest rate, each period's reference, changes from period to "
        f"period at {', '.join(stages)}: each period's table compares with its own reference, "
        "the trends and changes with the run's. Pass reference= to compare every period with "
        "the same group."
    )


def stage_counts(table: pd.DataFrame, order: tuple[Any, ...]) -> dict[str, StageCounts]:
    """:class:`StageCounts` of every stage of the stacked period tables (one group-by)."""
    sums = table.groupby(["stage", "group", "period"], sort=False)[["applicants", "selected"]].sum()
    wide = sums.unstack("period", fill_value=0)
    out = {}
    for stage in dict.fromkeys(table["stage"]):
        part = wide.xs(stage, level="stage")
        groups = sorted(part.index, key=sort_key)
        frames = [part[c].reindex(index=groups, columns=list(order), fill_value=0).astype("int64")
                  for c in ("applicants", "selected")]
        out[stage] = StageCounts(stage, *frames)
    return out


def trend_table(
    counts: dict[str, StageCounts],
    order: tuple[Any, ...],
    numbers: dict[Any, int],
    options: Any,
) -> tuple[pd.DataFrame, dict[str, str | None], list[str]]:
    """Trends per (stage, group): the table, the reference of each stage, warnings."""
    warnings: list[str] = []
    references: dict[str, str | None] = {}
    rows = []
    for stage, stage_counts_ in counts.items():
        ref = references[stage] = _reference(stage_counts_, options, warnings)
        if ref is None:
            continue
        sizes = stage_counts_.applicants.sum(axis=1)
        for group in stage_counts_.applicants.index:
            too_few = options.min_share and sizes[group] < options.min_share * sizes.sum()
            if group != ref and not too_few:
                rows.append(_trend_row(stage_counts_, group, ref, order, numbers, options))
    columns = [c for c in TREND_COLUMNS if c not in ("p_value_adjusted", "direction")]
    out = pd.DataFrame(rows, columns=[*columns, RATIO_UP])
    out["p_value_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(dtype=float), options.adjust)
    significant = (out["p_value_adjusted"] < options.alpha).to_numpy()
    up = (out["log_odds_trend"] > 0).to_numpy()
    # near rates of 100% the impact ratio can rise while the odds ratio falls: a direction is
    # claimed only when the two agree, or "worsening" would be said of a closing gap
    against = significant & (out[RATIO_UP].to_numpy(dtype=object) == ~up)
    out.loc[against, "note"] = OPPOSITE
    out["direction"] = np.where(significant & ~against,
                                np.where(up, IMPROVING, WORSENING), UNCLEAR)
    out["periods"] = out["periods"].astype("int64")
    return out[TREND_COLUMNS], references, warnings
