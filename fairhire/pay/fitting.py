"""Fitting the pay-gap regression of one scope (overall, or one cell of a grouping) and turning
it into rows of the gap table.

Each non-reference group gets a dummy; its coefficient β gives the adjusted gap in the raw-gap
convention: (1 − e^β) × 100 with log pay, −β in currency units. The raw gaps come from the
group means and medians of the same rows. A comparison is *testable* when both groups have at
least ``min_n`` employees in the scope and the group is not collinear with the controls; it is
*flagged* when its p-value is below ``alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InsufficientDataError
from ..stats.paygap import raw_gap
from ..stats.regression import CollinearityError, OLSFit, fit_ols
from ._design import Design, build_design, describe_collinearity
from ._groups import GroupCodes

__all__ = [
    "ScopeFit", "Settings", "coefficient_table", "design_for", "fit_overall", "fit_scope", "no_residual",
    "scope_rows", "tainted_comparison",
]


@dataclass(frozen=True)
class Settings:
    """The options every scope is fitted and tested with."""

    group: str
    log: bool
    cov_type: str
    alpha: float
    confidence: float
    min_n: int
    categorical: tuple[str, ...] = ()
    absorb_threshold: int | None = 50


@dataclass
class ScopeFit:
    """The fit of one scope, the design column of each group's dummy, and why it failed."""

    fit: OLSFit | None
    columns: dict[str, int]  # group label -> column index in the fit
    note: str = ""


def design_for(
    frame: pd.DataFrame,
    codes: np.ndarray,
    groups: GroupCodes,
    controls: Sequence[str],
    settings: Settings,
    *,
    drop_constant: bool,
) -> tuple[Design, dict[str, int]]:
    """The design of one scope: a dummy per non-reference group present, then the controls
    (those constant in the scope left out when ``drop_constant``)."""
    present = set(np.unique(codes).tolist())
    prefix = [
        (f"{settings.group}[{label}]", (codes == code).astype(np.float64))
        for code, label in enumerate(groups.labels)
        if label != groups.reference and code in present
    ]
    used = list(controls)
    if drop_constant:
        used = [c for c in controls if frame[c].nunique(dropna=False) > 1]
    design = build_design(
        frame,
        used,
        categorical=settings.categorical,
        absorb_threshold=settings.absorb_threshold,
        prefix_columns=prefix,
    )
    start = len(settings.group) + 1
    columns = {name[start:-1]: design.names.index(name) for name, _ in prefix}
    return design, columns


def fit_scope(
    y: np.ndarray,
    design: Design,
    group_columns: dict[str, int],
    *,
    cov_type: str,
    clusters: np.ndarray | None,
    allow_drop: bool,
) -> ScopeFit:
    """Fit one scope; in a within-grouping cell (``allow_drop``), drop controls that are
    collinear there and report a group collinear with the controls as not testable."""
    X, names = design.X, list(design.names)
    group_names = {names[j] for j in group_columns.values()}
    dropped: list[str] = []
    while True:
        try:
            fit = fit_ols(
                y,
                X,
                names=names,
                cov_type=cov_type,
                clusters=clusters,
                absorb=design.absorb_codes,
                compute_leverage=True,
            )
        except CollinearityError as exc:
            if not allow_drop:
                raise
            if any(n in group_names for s in exc.sets for n in s):
                note = describe_collinearity(exc.sets, sorted(group_names))
                return ScopeFit(None, {}, f"the group is collinear with {note}")
            drop = {s[-1] for s in exc.sets}
            keep = [j for j, n in enumerate(names) if n not in drop]
            dropped.extend(sorted(drop))
            X, names = X[:, keep], [names[j] for j in keep]
            continue
        except InsufficientDataError:
            if not allow_drop:
                raise
            return ScopeFit(None, {}, "too few employees for the number of controls")
        cols = {g: names.index(design.names[j]) for g, j in group_columns.items()}
        return ScopeFit(fit, cols, f"dropped collinear {', '.join(dropped)}" if dropped else "")


def _raw_stats(pay: np.ndarray, codes: np.ndarray, n_labels: int) -> dict[int, tuple]:
    """(n, mean, median) of pay per group code present."""
    out = {}
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_labels + 1))
    for code in range(n_labels):
        lo, hi = bounds[code], bounds[code + 1]
        if hi > lo:
            values = pay[order[lo:hi]]
            out[code] = (int(hi - lo), float(values.mean()), float(np.median(values)))
    return out


def _inference(fit: OLSFit, j: int, reference_mean: float, settings: Settings) -> dict[str, float]:
    """The coefficient of one group's dummy, as an adjusted gap with its interval."""
    beta, se = float(fit.params[j]), float(fit.bse[j])
    q = fit.t_crit(1 - settings.confidence)
    lo, hi = beta - q * se, beta + q * se
    if settings.log:
        gap, ci_low, ci_high = [(1 - np.exp(b)) * 100 for b in (beta, hi, lo)]
        gap_pct = gap
    else:
        gap, ci_low, ci_high = -beta, -hi, -lo
        gap_pct = -beta / reference_mean * 100 if reference_mean else np.nan
    return {
        "coef": beta,
        "std_error": se,
        "t": float(fit.tvalues[j]),
        "p_value": float(fit.p_values[j]),
        "adjusted_gap": float(gap),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "adjusted_gap_pct": float(gap_pct),
    }


def scope_rows(
    scope: str,
    cell: str,
    pay: np.ndarray,
    codes: np.ndarray,
    groups: GroupCodes,
    sf: ScopeFit | None,
    settings: Settings,
    *,
    scope_note: str = "",
) -> list[dict[str, Any]]:
    """One table row per non-reference group present in the scope: raw gaps always, the
    adjusted gap and its test when the comparison is testable."""
    stats = _raw_stats(pay, codes, len(groups.labels))
    ref = stats.get(groups.reference_code)
    rows = []
    for code, label in enumerate(groups.labels):
        if code == groups.reference_code or code not in stats:
            continue
        n, mean, median = stats[code]
        row: dict[str, Any] = {
            "scope": scope,
            "cell": cell,
            "group": label,
            "reference_group": groups.reference,
            "n": n,
            "n_reference": ref[0] if ref else 0,
            "mean_pay": mean,
            "mean_pay_reference": ref[1] if ref else np.nan,
            "median_pay": median,
            "median_pay_reference": ref[2] if ref else np.nan,
            "mean_gap_pct": raw_gap(ref[1], mean) if ref else np.nan,
            "median_gap_pct": raw_gap(ref[2], median) if ref else np.nan,
            "units": "percent" if settings.log else "currency",
            "too_small_for_reference": groups.too_small(label),
        }
        notes = _notes(label, n, ref, groups, sf, settings, scope_note)
        fitted = sf is not None and sf.fit is not None and label in sf.columns
        testable = fitted and not notes
        if fitted:
            assert sf is not None and sf.fit is not None
            row.update(_inference(sf.fit, sf.columns[label], ref[1] if ref else np.nan, settings))
        if not testable:  # an untestable comparison shows its raw gaps but no inference
            row.update(dict.fromkeys(("t", "p_value", "ci_low", "ci_high", "std_error"), np.nan))
        row["testable"] = bool(testable)
        row["flagged"] = bool(testable and row["p_value"] < settings.alpha)
        row["note"] = "; ".join(notes) if notes else (sf.note if testable and sf else "")
        rows.append(row)
    return rows


def _notes(
    label: str,
    n: int,
    ref: tuple | None,
    groups: GroupCodes,
    sf: ScopeFit | None,
    settings: Settings,
    scope_note: str,
) -> list[str]:
    """Why a comparison cannot be tested (empty when it can)."""
    notes = []
    if ref is None:
        notes.append(f"no {groups.reference} employees in this cell")
    if n < settings.min_n:
        notes.append(f"fewer than {settings.min_n} {label} employees")
    if ref is not None and ref[0] < settings.min_n:
        notes.append(f"fewer than {settings.min_n} {groups.reference} employees")
    if scope_note:
        notes.append(scope_note)
    if sf is not None and sf.fit is None and sf.note:
        notes.append(sf.note)
    if sf is not None and sf.fit is not None and no_residual(sf.fit):
        notes.append("pay is fully explained by the controls here, as on a fixed pay scale: no "
                     "unexplained gap is left to test")
    return notes


def no_residual(fit: OLSFit) -> bool:
    """Whether the fit leaves no variation: every residual is rounding noise. Its coefficients
    are then noise too (2e-14 with a standard error of 2e-15), and a test of them "finds" a gap
    with p < 0.001 where pay is identical for identical controls."""
    scale = max(1.0, float(np.max(np.abs(fit.fitted)))) if len(fit.fitted) else 1.0
    return bool(len(fit.resid)) and float(np.max(np.abs(fit.resid))) <= 1e-9 * scale


def coefficient_table(fit: OLSFit, confidence: float) -> pd.DataFrame:
    """Every coefficient of a fit: ``term``, ``coef``, ``std_error``, ``t``, ``p_value``,
    ``ci_low``, ``ci_high``."""
    lo, hi = fit.conf_int(1 - confidence)
    return pd.DataFrame(
        {
            "term": list(fit.names),
            "coef": fit.params,
            "std_error": fit.bse,
            "t": fit.tvalues,
            "p_value": fit.p_values,
            "ci_low": lo,
            "ci_high": hi,
        }
    )


def fit_overall(
    y: np.ndarray,
    design: Design,
    columns: dict[str, int],
    settings: Settings,
    clusters: np.ndarray | None,
) -> ScopeFit:
    """The overall model; collinear controls are an error naming them."""
    try:
        return fit_scope(
            y, design, columns, cov_type=settings.cov_type, clusters=clusters, allow_drop=False
        )
    except CollinearityError as exc:
        group_names = [design.names[j] for j in columns.values()]
        raise type(exc)(
            "controls are collinear: "
            + describe_collinearity(exc.sets, group_names)
            + ". Remove one control from each set (a control that determines the group, such "
            "as a column derived from it, cannot be used).",
            exc.sets,
        ) from None


def tainted_comparison(
    frame: pd.DataFrame,
    y: np.ndarray,
    pay: np.ndarray,
    groups: GroupCodes,
    base_controls: Sequence[str],
    tainted: Sequence[str],
    settings: Settings,
    clusters: np.ndarray | None,
    table_rows: list[dict[str, Any]],
) -> pd.DataFrame:
    """Each group's overall adjusted gap with (``table_rows``) and without the possibly
    tainted controls (the model refitted on ``base_controls``)."""
    design, columns = design_for(
        frame, groups.codes, groups, base_controls, settings, drop_constant=False
    )
    fit = fit_overall(y, design, columns, settings, clusters)
    without = scope_rows("overall", "all", pay, groups.codes, groups, fit, settings)
    with_rows = {r["group"]: r for r in table_rows if r["scope"] == "overall"}
    keys = ("adjusted_gap", "ci_low", "ci_high", "t", "p_value")
    comparison = pd.DataFrame(
        [
            {
                "group": r["group"],
                "reference_group": groups.reference,
                "tainted": ", ".join(tainted),
                **{f"{k}_with": with_rows[r["group"]].get(k, np.nan) for k in keys},
                **{f"{k}_without": r.get(k, np.nan) for k in keys},
            }
            for r in without
        ]
    )
    comparison["difference"] = comparison["adjusted_gap_without"] - comparison["adjusted_gap_with"]
    return comparison
