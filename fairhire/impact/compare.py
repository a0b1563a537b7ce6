"""Group comparisons: the statistics of adverse impact, written once.

:func:`compare_groups` compares one family of groups — one stage of a funnel, one table of a
NYC LL144 audit, one cut-off of a score — with its reference group: the reference is chosen by
the shared rule (:func:`fairhire._core.reference.choose_reference`), and every other group gets
the impact ratio, the exact four-fifths comparison, Fisher's exact test, the Z tests, the CI of
the ratio and the shortfalls. :func:`add_adjusted` adjusts the Fisher p-values over whatever
family the caller tests (a whole funnel, one LL144 table). :func:`compare` runs a funnel: every
stage, the bottom line, the unknown rows and, with strata, Mantel–Haenszel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .._core.reference import ReferenceChoice, choose_reference
from .._core.text import format_percent
from ..errors import InvalidParameterError
from ..stats import proportions as sp
from .aggregate import APPLIED, FunnelCounts, app_col, sel_col
from .groups import GroupTotals, group_totals
from .stratified import STRATA_COLUMNS, strata_cube, stratified_row

__all__ = [
    "BOTTOM_LINE",
    "GROUP_SEPARATOR",
    "STRATA_COLUMNS",
    "TABLE_COLUMNS",
    "Comparison",
    "GroupComparison",
    "Options",
    "add_adjusted",
    "compare",
    "compare_groups",
]

BOTTOM_LINE = "bottom line"

TABLE_COLUMNS = [
    "stage",
    "basis",
    "group",
    "applicants",
    "selected",
    "selection_rate",
    "reference_group",
    "is_reference",
    "too_small_for_reference",
    "impact_ratio",
    "adverse_impact",
    "z",
    "p_value_z",
    "p_value_fisher",
    "p_value_adjusted",
    "significant",
    "z_ir",
    "p_value_z_ir",
    "ci_low",
    "ci_high",
    "shortfall",
    "shortfall_four_fifths",
    "flips_with_one",
    "small_sample",
    "excluded",
]
_BOOL_COLUMNS = (
    "adverse_impact",
    "flips_with_one",
    "small_sample",
    "excluded",
    "is_reference",
    "too_small_for_reference",
    "significant",
)


@dataclass(frozen=True)
class Options:
    """The checked options of a comparison (see :func:`fairhire.adverse_impact`)."""

    threshold: Fraction = Fraction(4, 5)
    reference: object | None = None
    cumulative: bool = False
    alternative: str = "two-sided"
    mid_p: bool = False
    adjust: str = "holm"
    alpha: float = 0.05
    confidence: float = 0.95
    min_share: float | None = None
    min_n: int = 30
    unknown_labels: tuple[object, ...] = ()


# --------------------------------------------------------------------------------------------
# One family of groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupComparison:
    """The rows of one comparison (one per group, in the caller's order) and its reference."""

    rows: list[dict]
    reference: ReferenceChoice
    warnings: list[str]


def _blank_row(label: str, a: int, n: int, ref_label: str | None) -> dict:
    nan = math.nan
    return {
        "group": label,
        "applicants": n,
        "selected": a,
        "selection_rate": sp.selection_rate(a, n),
        "reference_group": ref_label,
        "is_reference": False,
        "too_small_for_reference": False,
        "impact_ratio": nan,
        "adverse_impact": False,
        "z": nan,
        "p_value_z": nan,
        "p_value_fisher": nan,
        "z_ir": nan,
        "p_value_z_ir": nan,
        "ci_low": nan,
        "ci_high": nan,
        "shortfall": nan,
        "shortfall_four_fifths": 0,
        "flips_with_one": False,
    }


def _statistics(a: int, n: int, b: int, m: int, o: Options) -> dict:
    z = sp.two_proportion_z(a, n, b, m)
    zir = sp.impact_ratio_z(a, n, b, m)
    lo, hi = sp.impact_ratio_ci(a, n, b, m, confidence=o.confidence)
    return {
        "impact_ratio": sp.impact_ratio(a, n, b, m),
        "adverse_impact": sp.below_threshold(a, n, b, m, o.threshold),
        "z": z.statistic,
        "p_value_z": z.p_value,
        "p_value_fisher": sp.fisher_exact_test(
            a, n, b, m, alternative=o.alternative, mid_p=o.mid_p
        ),
        "z_ir": zir.statistic,
        "p_value_z_ir": zir.p_value,
        "ci_low": lo,
        "ci_high": hi,
        "shortfall": sp.shortfall(a, n, b, m),
        "shortfall_four_fifths": sp.shortfall_to_threshold(a, n, b, m, o.threshold),
        "flips_with_one": sp.flips_with_one(a, n, b, m, o.threshold),
    }


def _small(a: int, n: int, b: int, m: int, min_n: int) -> bool:
    if n < min_n or m < min_n:
        return True
    return bool((sp.expected_cells(a, n, b, m) < 5).any())


def compare_groups(
    labels: Sequence[str],
    applicants: Sequence[int],
    selected: Sequence[int],
    *,
    options: Options,
    excluded: Sequence[bool] | None = None,
    keys: Sequence[object] | None = None,
    what: str = "selection rate",
) -> GroupComparison:
    """Compare each group's selection rate with the reference group's.

    The reference is :func:`~fairhire._core.reference.choose_reference`'s: ``options.reference``
    if given, else the highest rate among groups with at least ``options.min_n`` people and 2%
    of those compared (ties: the largest). Groups tied with it are references too (ratio 1);
    smaller groups are compared and marked ``too_small_for_reference``. ``excluded`` groups
    (e.g. below ``min_share``) are listed, never compared.
    """
    apps = [int(v) for v in applicants]
    sels = [int(v) for v in selected]
    out = [False] * len(apps) if excluded is None else [bool(v) for v in excluded]
    scores = [Fraction(s, n) if n else None for s, n in zip(sels, apps, strict=True)]
    choice = choose_reference(
        labels,
        apps,
        scores,
        reference=options.reference,
        keys=keys,
        min_n=options.min_n,
        excluded=out,
        what=what,
    )
    warnings = [choice.warning] if choice.warning else []
    ref = choice.index
    b, m = (sels[ref], apps[ref]) if ref is not None else (0, 0)
    if ref is not None and b == 0:
        warnings.append(
            f"no one was selected: {what}s are all zero and impact ratios are undefined."
        )
    ref_label = choice.label
    rows = []
    for i, label in enumerate(labels):
        a, n = sels[i], apps[i]
        row = _blank_row(label, a, n, ref_label)
        row["excluded"] = out[i]
        row["too_small_for_reference"] = choice.too_small(i)
        if i in choice.tied:
            row.update(is_reference=True, impact_ratio=1.0 if b else math.nan)
        elif ref is not None and not out[i] and n > 0:
            row.update(_statistics(a, n, b, m, options))
        row["small_sample"] = _small(a, n, b, m, options.min_n) if ref is not None else True
        rows.append(row)
    return GroupComparison(rows=rows, reference=choice, warnings=warnings)


def add_adjusted(table: pd.DataFrame, method: str, alpha: float) -> pd.DataFrame:
    """Add ``p_value_adjusted`` (Fisher p-values adjusted over the table) and ``significant``."""
    p = table["p_value_fisher"].to_numpy(dtype=float)
    table["p_value_adjusted"] = sp.adjust_pvalues(p, method)
    table["significant"] = (table["p_value_adjusted"] < alpha).fillna(False).astype(bool)
    return table


# --------------------------------------------------------------------------------------------
# A funnel
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame
    unknown: pd.DataFrame
    strata: pd.DataFrame | None
    warnings: tuple[str, ...]
    unknown_rows: int
    below_share_rows: int


@dataclass(frozen=True)
class _Stage:
    stage: str
    basis: str
    applicants: str  # column of those who reached the stage
    selected: str  # column of those who passed it


def _stage_specs(counts: FunnelCounts, options: Options, warnings: list[str]) -> list[_Stage]:
    """Every comparison of the funnel: each stage, then the bottom line."""
    stages = counts.stages
    if options.cumulative and not counts.chained:
        raise InvalidParameterError(
            "cumulative=True needs a chained funnel (each stage's applicants are the previous "
            "stage's selections); these counts are not chained."
        )
    basis = "cumulative" if options.cumulative else "conditional"
    specs = [
        _Stage(s, basis, APPLIED if options.cumulative else app_col(s), sel_col(s)) for s in stages
    ]
    if counts.chained and len(stages) > 1:
        # with a single stage, that stage is the bottom line already
        specs.append(_Stage(BOTTOM_LINE, "cumulative", APPLIED, sel_col(stages[-1])))
    elif not counts.chained and len(stages) > 1:
        warnings.append(
            "the stages are not chained (a stage's applicants differ from the previous stage's "
            "selections), so no bottom-line comparison is reported."
        )
    return specs


def _below_share(totals: GroupTotals, options: Options, warnings: list[str]) -> np.ndarray:
    """Groups below ``min_share`` of applicants with a known group: listed, not compared."""
    applied = totals.table[APPLIED].to_numpy()
    if not options.min_share:
        return np.zeros(len(applied), dtype=bool)
    total = applied.sum()
    share = applied / total if total else np.zeros(len(applied))
    excluded = share < options.min_share
    for i in np.flatnonzero(excluded):
        warnings.append(
            f"group {totals.labels[i]!r} is {format_percent(share[i])} of applicants, below "
            "min_share="
            f"{options.min_share:g}: listed but excluded from impact ratios."
        )
    return excluded


def _stage_warnings(found: dict[str, list[str]]) -> list[str]:
    """One warning per message, naming every stage it applies to."""
    out = []
    for text, stages in found.items():
        where = ", ".join(repr(s) for s in stages)
        out.append(f"stage {where}: {text}" if len(stages) == 1 else f"stages {where}: {text}")
    return out


def _strata_rows(
    cube: pd.DataFrame,
    spec: _Stage,
    totals: GroupTotals,
    gc: GroupComparison,
    options: Options,
    warnings: list[str],
) -> list[dict]:
    """Mantel–Haenszel of each compared group against the reference, at one stage."""
    ref = gc.reference.index
    out = []
    for i, row in enumerate(gc.rows):
        if math.isnan(row["p_value_fisher"]):  # not compared
            continue
        ref_row = gc.rows[ref]
        out.append(
            stratified_row(
                cube,
                (totals.keys[i], totals.keys[ref]),
                (spec.applicants, spec.selected),
                stage=spec.stage,
                labels=(row["group"], ref_row["group"]),
                aggregate=(
                    row["selected"],
                    row["applicants"],
                    ref_row["selected"],
                    ref_row["applicants"],
                ),
                options=options,
                warnings=warnings,
            )
        )
    return out


def _unknown_table(unknown: pd.DataFrame, specs: list[_Stage]) -> pd.DataFrame:
    rows = [
        {
            "stage": s.stage,
            "applicants": int(unknown[s.applicants].sum()),
            "selected": int(unknown[s.selected].sum()),
        }
        for s in specs
    ]
    return pd.DataFrame(rows, columns=["stage", "applicants", "selected"])


def _tidy_table(rows: list[dict], value_cols: list[str], options: Options) -> pd.DataFrame:
    out = add_adjusted(pd.DataFrame(rows), options.adjust, options.alpha)
    out = out[TABLE_COLUMNS[:3] + value_cols + TABLE_COLUMNS[3:]]
    for c in _BOOL_COLUMNS:
        out[c] = out[c].astype(bool)
    for c in ("applicants", "selected", "shortfall_four_fifths"):
        out[c] = out[c].astype("int64")
    return out


def compare(
    counts: FunnelCounts,
    *,
    group_cols: Sequence[str],
    strata_cols: Sequence[str],
    options: Options,
) -> Comparison:
    """Compare groups at every stage (and the bottom line) of a funnel with clean labels."""
    table = counts.table
    group_cols = list(group_cols)
    warnings: list[str] = []
    unknown_mask = table[group_cols].isna().any(axis=1).to_numpy()
    known, unknown = table.loc[~unknown_mask], table.loc[unknown_mask]
    specs = _stage_specs(counts, options, warnings)
    unknown_rows = int(unknown[APPLIED].sum())
    numeric = [APPLIED, *(c for s in specs for c in (s.applicants, s.selected))]
    numeric = list(dict.fromkeys(numeric))
    totals = group_totals(known, group_cols, numeric, unknown_rows)
    excluded = _below_share(totals, options, warnings)
    cube = strata_cube(known, group_cols, list(strata_cols), numeric) if strata_cols else None
    # the original group values sit beside the text label, unless a name would collide
    value_cols = [c for c in group_cols if c not in TABLE_COLUMNS]
    rows, strata_rows = [], []
    per_stage: dict[str, list[str]] = {}
    for spec in specs:
        apps = totals.table[spec.applicants].to_numpy()
        sels = totals.table[spec.selected].to_numpy()
        for lab, n_i in zip(totals.labels, apps, strict=True):
            if n_i == 0:
                warnings.append(f"group {lab!r} had no applicants at stage {spec.stage!r}.")
        gc = compare_groups(
            totals.labels, apps, sels, options=options, excluded=excluded, keys=totals.keys
        )
        for w in gc.warnings:
            per_stage.setdefault(w, []).append(spec.stage)
        for i, row in enumerate(gc.rows):
            values = totals.values(i, group_cols)
            extra = {c: values[c] for c in value_cols}
            rows.append({"stage": spec.stage, "basis": spec.basis, **row, **extra})
        if cube is not None:
            strata_rows += _strata_rows(cube, spec, totals, gc, options, warnings)
    strata = pd.DataFrame(strata_rows, columns=STRATA_COLUMNS) if strata_cols else None
    return Comparison(
        table=_tidy_table(rows, value_cols, options),
        unknown=_unknown_table(unknown, specs),
        strata=strata,
        warnings=tuple(dict.fromkeys([*warnings, *_stage_warnings(per_stage)])),
        unknown_rows=unknown_rows,
        below_share_rows=int(totals.table[APPLIED].to_numpy()[excluded].sum()),
    )
