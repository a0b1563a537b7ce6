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
from dataclasses import dataclass, fields
from fractions import Fraction

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .._core.options import Options
from .._core.reference import ReferenceChoice, choose_reference
from .._core.text import format_percent
from .._frames import plain_cells
from ..errors import InvalidParameterError
from ..stats import proportions as sp
from ..stats.selection import SelectionStatistics, selection_statistics, small_samples
from .aggregate import APPLIED, FunnelCounts, app_col, sel_col
from .groups import GroupTotals, group_totals
from .stratified import STRATA_COLUMNS, strata_cube, stratified_row

__all__ = [
    "BOTTOM_LINE",
    "GROUP_SEPARATOR",
    "STRATA_COLUMNS",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "Comparison",
    "GroupComparison",
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

#: The comparison columns a plain-text summary shows (also of the analyses built on it).
SUMMARY_COLUMNS = [
    "group",
    "applicants",
    "selected",
    "selection_rate",
    "impact_ratio",
    "adverse_impact",
    "p_value_fisher",
    "p_value_adjusted",
]


# --------------------------------------------------------------------------------------------
# One family of groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupComparison:
    """The comparison of one family: one entry per group (in the caller's order) in each of
    ``columns`` (the table's columns from ``group`` to ``small_sample``), the reference and
    the warnings. ``rows`` gives the same as one dict per group."""

    columns: dict[str, list]
    reference: ReferenceChoice
    warnings: list[str]

    @property
    def rows(self) -> list[dict]:
        names = list(self.columns)
        return [dict(zip(names, values, strict=True)) for values in zip(*self.columns.values(), strict=True)]


@dataclass(frozen=True)
class _Family:
    """The reference of one family and what it means for each of its groups."""

    choice: ReferenceChoice
    warnings: list[str]
    b: int  # the reference's selected and applicants (0, 0 without a reference)
    m: int


def _family(
    labels: Sequence[str],
    apps: Sequence[int],
    sels: Sequence[int],
    options: Options,
    excluded: Sequence[bool],
    keys: Sequence[object] | None,
    what: str,
) -> _Family:
    scores = [Fraction(s, n) if n else None for s, n in zip(sels, apps, strict=True)]
    choice = choose_reference(
        labels,
        apps,
        scores,
        reference=options.reference,
        keys=keys,
        min_n=options.min_n,
        excluded=excluded,
        what=what,
    )
    warnings = [choice.warning] if choice.warning else []
    ref = choice.index
    b, m = (sels[ref], apps[ref]) if ref is not None else (0, 0)
    if ref is not None and b == 0:
        others = any(s for i, s in enumerate(sels) if i != ref and not excluded[i])
        warnings.append(
            f"the reference group {labels[ref]!r} has a {what} of zero: impact ratios against "
            "it are undefined. Choose another reference= or leave it out." if choice.given
            and others else
            f"no one was selected: {what}s are all zero and impact ratios are undefined."
        )
    return _Family(choice=choice, warnings=warnings, b=b, m=m)


def _columns(
    labels: Sequence[str],
    apps: np.ndarray,
    sels: np.ndarray,
    families: Sequence[_Family],
    sizes: Sequence[int],
    excluded: np.ndarray,
    options: Options,
) -> dict[str, object]:
    """The comparison columns of several families (``sizes`` groups each, stacked), at once.

    A tied reference gets ratio 1 (NaN when no one was selected); a group is compared when
    its family has a reference, it is neither a reference nor excluded, and it has people.
    """
    k = len(apps)
    offsets = np.repeat(np.arange(len(families)), sizes)
    b = np.array([f.b for f in families], dtype=np.int64)[offsets]
    m = np.array([f.m for f in families], dtype=np.int64)[offsets]
    has_ref = np.array([f.choice.index is not None for f in families], dtype=bool)[offsets]
    tied = np.zeros(k, dtype=bool)
    for f, start in zip(families, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True):
        tied[[start + i for i in f.choice.tied]] = True
    eligible = np.concatenate([np.asarray(f.choice.eligible, dtype=bool) for f in families])
    ref_label = [f.choice.label for f in families]
    compared = has_ref & ~tied & ~excluded & (apps > 0)
    stats = selection_statistics(
        sels[compared],
        apps[compared],
        b[compared],
        m[compared],
        threshold=options.threshold,
        confidence=options.confidence,
        alternative=options.alternative,
        mid_p=options.mid_p,
    ).as_dict()
    cols: dict[str, np.ndarray] = {}
    for name, values in stats.items():
        full = np.zeros(k, dtype=values.dtype) if values.dtype != float else np.full(k, np.nan)
        full[compared] = values
        cols[name] = full
    cols["impact_ratio"][tied] = np.where(b[tied] > 0, 1.0, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(apps > 0, sels / np.where(apps > 0, apps, 1), np.nan)
    small = small_samples(sels, apps, b, m, options.min_n) | ~has_ref
    return {
        "group": list(labels),
        "applicants": apps,
        "selected": sels,
        "selection_rate": rate,
        "reference_group": [ref_label[i] for i in offsets.tolist()],
        "is_reference": tied,
        "too_small_for_reference": ~eligible,
        **{c: cols[c] for c in _STAT_COLUMNS},
        "excluded": excluded,
        "small_sample": small,
    }


#: The statistics' columns, in the table's order.
_STAT_COLUMNS = tuple(f.name for f in fields(SelectionStatistics))


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
    family = _family(labels, apps, sels, options, out, keys, what)
    cols = _columns(
        labels,
        np.array(apps, dtype=np.int64),
        np.array(sels, dtype=np.int64),
        [family],
        [len(apps)],
        np.array(out, dtype=bool),
        options,
    )
    columns = {c: v.tolist() if isinstance(v, np.ndarray) else v for c, v in cols.items()}
    return GroupComparison(columns=columns, reference=family.choice, warnings=family.warnings)


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
    applied = totals.counts[APPLIED]
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
    cols: dict[str, object],
    rows: range,
    family: _Family,
    options: Options,
    warnings: list[str],
) -> list[dict]:
    """Mantel–Haenszel of each compared group against the reference, at one stage (``rows``:
    the stage's rows of the comparison columns ``cols``)."""
    ref = family.choice.index
    p_fisher = cols["p_value_fisher"]
    # the reversal check needs the ordinary two-sided p-value: reuse it when the table has it
    plain = options.alternative == "two-sided" and not options.mid_p
    out = []
    for i, row in enumerate(rows):
        if math.isnan(p_fisher[row]):  # not compared
            continue
        a, n = int(cols["selected"][row]), int(cols["applicants"][row])
        out.append(
            stratified_row(
                cube,
                (totals.keys[i], totals.keys[ref]),
                (spec.applicants, spec.selected),
                stage=spec.stage,
                labels=(totals.labels[i], totals.labels[ref]),
                aggregate=(a, n, family.b, family.m),
                options=options,
                warnings=warnings,
                p_value_fisher=float(p_fisher[row]) if plain else None,
            )
        )
    return out


def _unknown_table(unknown: dict[str, int], specs: list[_Stage]) -> pd.DataFrame:
    """Applicants and selections with a missing group, per stage (``unknown``: column sums)."""
    return pd.DataFrame(
        {
            "stage": [s.stage for s in specs],
            "applicants": np.array([unknown[s.applicants] for s in specs], dtype=np.int64),
            "selected": np.array([unknown[s.selected] for s in specs], dtype=np.int64),
        }
    )


def _table(
    specs: list[_Stage],
    totals: GroupTotals,
    cols: dict[str, object],
    value_cols: list[str],
    group_cols: list[str],
    options: Options,
) -> pd.DataFrame:
    """The result table: one row per (stage, group), in :data:`TABLE_COLUMNS` order with the
    original group values beside the label."""
    g = len(totals.labels)
    values = [totals.values(i, group_cols) for i in range(g)]
    p_adjusted = sp.adjust_pvalues(cols["p_value_fisher"], options.adjust)
    data: dict[str, object] = {
        "stage": [s.stage for s in specs for _ in range(g)],
        "basis": [s.basis for s in specs for _ in range(g)],
        "group": cols["group"],
        **{c: [v[c] for v in values] * len(specs) for c in value_cols},
    }
    extra = {"p_value_adjusted": p_adjusted, "significant": p_adjusted < options.alpha}
    for c in TABLE_COLUMNS[3:]:
        data[c] = extra[c] if c in extra else cols[c]
    return pd.DataFrame(data)


def _read_counts(
    table: pd.DataFrame, group_cols: list[str], numeric: list[str]
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The group columns (object arrays), the rows with a missing group, and the ``numeric``
    counts as an int64 matrix (a column each) of the counts table."""
    plain = plain_cells(table)
    if plain is None:
        # column by column: selecting a list of columns copies a frame (four times the time)
        keys = [table[c].to_numpy(dtype=object) for c in group_cols]
        missing = [table[c].isna().to_numpy() for c in group_cols]
        values = np.column_stack([table[c].to_numpy(dtype=np.int64) for c in numeric])
    else:  # object and int64 columns: the same values from one conversion of the table
        at = {c: j for j, c in enumerate(table.columns)}
        keys = [plain[0][:, at[c]] for c in group_cols]
        missing = [pd.isna(k) for k in keys]  # what Series.isna gives for object columns
        values = plain[0][:, [at[c] for c in numeric]].astype(np.int64)
    return keys, np.logical_or.reduce(missing), values


def compare(
    counts: FunnelCounts,
    *,
    group_cols: Sequence[str],
    strata_cols: Sequence[str],
    options: Options,
) -> Comparison:
    """Compare groups at every stage (and the bottom line) of a funnel with clean labels.

    The reference of each stage is chosen stage by stage; the statistics of every (stage,
    group) comparison are computed at once (:func:`fairhire.stats.selection.selection_statistics`).
    """
    table = counts.table
    group_cols = list(group_cols)
    warnings: list[str] = []
    specs = _stage_specs(counts, options, warnings)
    numeric = [APPLIED, *(c for s in specs for c in (s.applicants, s.selected))]
    numeric = list(dict.fromkeys(numeric))
    keys, unknown_mask, values = _read_counts(table, group_cols, numeric)
    unknown = dict(zip(numeric, values[unknown_mask].sum(axis=0).tolist(), strict=True))
    unknown_rows = unknown[APPLIED]
    known_keys = [k[~unknown_mask].tolist() for k in keys]
    totals = group_totals(known_keys, values[~unknown_mask], numeric, group_cols, unknown_rows)
    excluded = _below_share(totals, options, warnings)
    cube = None
    if strata_cols:
        known = table.loc[~unknown_mask]
        cube = strata_cube(known, group_cols, list(strata_cols), numeric)
    # the original group values sit beside the text label, unless a name would collide
    value_cols = [c for c in group_cols if c not in TABLE_COLUMNS]
    g = len(totals.labels)
    families, empty = [], []
    per_stage: dict[str, list[str]] = {}
    for spec in specs:
        apps = totals.counts[spec.applicants].tolist()
        empty.append(
            [
                f"group {lab!r} had no applicants at stage {spec.stage!r}."
                for lab, n_i in zip(totals.labels, apps, strict=True)
                if n_i == 0
            ]
        )
        sels = totals.counts[spec.selected].tolist()
        family = _family(
            totals.labels, apps, sels, options, excluded.tolist(), totals.keys, "selection rate"
        )
        for w in family.warnings:
            per_stage.setdefault(w, []).append(spec.stage)
        families.append(family)
    cols = _columns(
        totals.labels * len(specs),
        np.concatenate([totals.counts[s.applicants] for s in specs]),
        np.concatenate([totals.counts[s.selected] for s in specs]),
        families,
        [g] * len(specs),
        np.tile(excluded, len(specs)),
        options,
    )
    strata_rows = []
    for k, spec in enumerate(specs):
        warnings += empty[k]
        if cube is not None:
            rows = range(k * g, (k + 1) * g)
            strata_rows += _strata_rows(
                cube, spec, totals, cols, rows, families[k], options, warnings
            )
    strata = pd.DataFrame(strata_rows, columns=STRATA_COLUMNS) if strata_cols else None
    return Comparison(
        table=_table(specs, totals, cols, value_cols, group_cols, options),
        unknown=_unknown_table(unknown, specs),
        strata=strata,
        warnings=tuple(dict.fromkeys([*warnings, *_stage_warnings(per_stage)])),
        unknown_rows=unknown_rows,
        below_share_rows=int(totals.counts[APPLIED][excluded].sum()),
    )
