"""Logistic regression of exit on group, strata and controls (one model per kind of exit).

A regression needs one row per employee, so this step collects the columns it uses
(:func:`fairhire._frames.collect_rows`, which refuses very large lazy data with a hint to
sample). Flags are read by the shared rule and group labels by the cleaning the counts used,
so the regression sees the same groups as the rate comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core.flags import read_flags
from .._core.groups import group_label
from .._core.missing import missing_mask
from .._core.numbers import numbers_as_categories_in
from .._core.strata import clean_category_columns, clean_stratum_rows
from .._frames import collect_rows
from ..errors import FairhireError
from ..stats.regression import fit_logit

__all__ = ["REGRESSION_COLUMNS", "logit_by_kind"]

REGRESSION_COLUMNS = ["kind", "term", "group", "is_group", "coef", "se", "odds_ratio",
                      "ci_low", "ci_high", "p_value"]


def logit_by_kind(
    frame: Any,
    *,
    counts: Any,
    exited: str,
    exit_type: str | None,
    kinds: Any,
    kind_list: Sequence[str],
    table: pd.DataFrame,
    strata_cols: Sequence[str],
    controls: Sequence[str],
    confidence: float,
    warnings: list[str],
) -> tuple[pd.DataFrame | None, int]:
    """Fit one logit per kind of exit; problems become warnings, never errors."""
    group_cols = list(counts.group_columns)
    cols = list(dict.fromkeys([*group_cols, exited, *([exit_type] if exit_type else []),
                               *strata_cols, *controls]))
    df = collect_rows(frame, cols, analysis="retention")
    for c in strata_cols:  # as the counts read them (their merge warnings said once)
        df[c] = clean_stratum_rows(df[c], c)[0]
    df, merged = clean_category_columns(df, controls)
    warnings += merged
    flags = read_flags(df[exited], column=exited, argument="exited")
    parts = [counts.cleanings[c].labels(df[c], index=df.index) for c in group_cols]
    labels = pd.Series([group_label(tuple(p)) for p in zip(*parts, strict=True)],
                       index=df.index, dtype=object)
    keep = ~flags.missing & labels.notna().to_numpy()
    for c in controls:
        keep &= ~missing_mask(df[c])
    n_missing = int((~flags.missing & labels.notna().to_numpy()).sum() - keep.sum())
    if n_missing:
        warnings.append(f"{n_missing:,} employees with a missing control "
                        f"({', '.join(map(repr, controls))}) are left out of the regression.")
    warnings += numbers_as_categories_in(df.loc[keep], controls, argument="controls")
    kind_of = (df[exit_type].map(kinds.kind) if exit_type else
               pd.Series(None, index=df.index, dtype=object))
    frames, n_used = [], 0
    for kind in kind_list:
        y = flags.flags & ((kind_of == kind).to_numpy() if kind != "all" else True)
        # the chosen reference, not the first group tied with it (each is marked is_reference)
        ref = table.loc[table["kind"] == kind, "reference_group"].dropna()
        if not len(ref):
            continue
        fit = _one(df, y, labels, keep, str(ref.iloc[0]), strata_cols, controls, kind,
                   confidence, warnings)
        if fit is not None:
            frames.append(fit[0])
            n_used = max(n_used, fit[1])
    if not frames:
        return None, 0
    return pd.concat(frames, ignore_index=True)[REGRESSION_COLUMNS], n_used


def _one(df: pd.DataFrame, y: np.ndarray, labels: pd.Series, keep: np.ndarray, reference: str,
         strata_cols: Sequence[str], controls: Sequence[str], kind: str, confidence: float,
         warnings: list[str]) -> tuple[pd.DataFrame, int] | None:
    mask = keep.copy()
    rate = pd.Series(y[mask]).groupby(labels[mask].to_numpy()).mean()
    constant = sorted((g for g, r in rate.items() if r in (0.0, 1.0)), key=str)
    if reference in constant:
        warnings.append(f"{kind} exits: the regression was skipped, everyone in the reference "
                        f"group {reference!r} has the same outcome.")
        return None
    if constant:
        warnings.append(f"{kind} exits: no one (or everyone) in {', '.join(map(str, constant))} left, so "
                        "they are left out of the regression.")
        mask &= ~labels.isin(constant).to_numpy()
    lab = labels[mask]
    others = sorted((g for g in lab.unique() if g != reference), key=str)
    if not others:
        return None
    design = {g: (lab == g).to_numpy(float) for g in others}
    sub = df.loc[mask]
    for c in [*strata_cols, *controls]:
        s = sub[c]
        numeric = pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)
        if c in strata_cols or not numeric:
            values = s.astype(object).where(~missing_mask(s), "(missing)").astype(str)
            for v in sorted(values.unique())[1:]:
                design[f"{c}[{v}]"] = (values == v).to_numpy(float)
        else:
            design[c] = s.to_numpy(float)
    x = pd.DataFrame(design)
    x = x.loc[:, x.std(ddof=0) > 0]
    x.insert(0, "const", 1.0)
    try:
        fit = fit_logit(y[mask], x.to_numpy(), names=list(x.columns))
    except FairhireError as exc:
        warnings.append(f"{kind} exits: the regression was skipped ({exc})")
        return None
    # the fit's own odds ratios: math.exp of a separated fit's coefficient overflowed
    odds, (low, high) = fit.odds_ratios, fit.odds_ratio_ci(1 - confidence)
    rows = []
    for j, term in enumerate(fit.names):
        if term == "const":
            continue
        rows.append({"kind": kind, "term": term, "group": term if term in others else None,
                     "is_group": term in others, "coef": float(fit.params[j]),
                     "se": float(fit.bse[j]), "odds_ratio": float(odds[j]),
                     "ci_low": float(low[j]), "ci_high": float(high[j]),
                     "p_value": float(fit.p_values[j])})
    if not fit.converged:
        warnings.append(f"{kind} exits: the regression did not converge cleanly: read its odds "
                        "ratios with care.")
    return pd.DataFrame(rows, columns=REGRESSION_COLUMNS), int(mask.sum())
