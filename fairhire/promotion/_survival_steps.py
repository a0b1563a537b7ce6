"""Steps of :func:`fairhire.time_to_promotion`: read the rows, Kaplan–Meier per group, Cox."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.counting import clean_row_labels
from .._core.flags import read_flags
from .._core.ids import check_unique_row_ids
from .._core.names import internal_names
from .._core.numbers import require_numeric
from .._core.strata import clean_category_columns
from .._core.text import format_counted
from .._frames import collect_pandas
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidValueError, preview
from ..stats import survival as ss
from ..stats.cox import cox_ph

__all__ = ["Rows", "cox_model", "curves_by_group", "join_cox", "read_rows"]


@dataclass(frozen=True)
class Rows:
    """The usable rows: durations, events, group labels, controls, and the row account."""

    t: np.ndarray
    e: np.ndarray
    g: np.ndarray
    controls: pd.DataFrame
    rows: RowAccount
    warnings: list[str]


def read_rows(frame: Any, group_cols: list[str], duration: str, event: str,
              control_cols: list[str], unknown_labels: tuple[object, ...] = (),
              ids: str | None = None) -> Rows:
    """Collect the columns under internal names; read the event; clean labels; count. With
    ``ids`` (an id column), an id on two rows whose duration and event are known is an error."""
    require_numeric(frame, duration, argument="duration",
                    meaning="time waited, e.g. months: a number of days, months or years")
    users = list(dict.fromkeys([*group_cols, duration, event, *control_cols,
                                *([ids] if ids else [])]))
    names = internal_names([f"c{i}" for i in range(len(users))], users)
    inner = dict(zip(users, names.values(), strict=True))
    df = collect_pandas(frame.select(*[nw.col(c).alias(inner[c]) for c in users]))
    total = len(df)
    if total == 0:
        raise InsufficientDataError("the data have no rows: nothing to analyse.")
    flags = read_flags(df[inner[event]], column=event, argument="event")
    t_all = pd.to_numeric(df[inner[duration]], errors="coerce").astype(float)
    bad = t_all.notna() & ((t_all < 0) | ~np.isfinite(t_all))
    if bad.any():
        raise InvalidValueError(
            f"column {duration!r} (duration) holds negative or infinite values "
            f"{preview(sorted(set(t_all[bad].tolist())))} in {int(bad.sum()):,} rows. Time "
            "waited cannot be negative: check the start and end dates that produced it."
        )
    labels, warnings = clean_row_labels(df, [inner[c] for c in group_cols], group_cols,
                                        unknown_labels)
    miss_t = t_all.isna().to_numpy()
    miss_e = flags.missing & ~miss_t
    if ids is not None:  # (under the user's name: the error names it)
        check_unique_row_ids(df[[inner[ids]]].set_axis([ids], axis=1), ids, ~(miss_t | miss_e),
                             analysis="time_to_promotion")
    miss_g = labels.isna().to_numpy() & ~miss_t & ~miss_e
    excluded: dict[str, int] = {}
    for reason, mask in ((f"missing {duration}", miss_t), (f"missing {event}", miss_e),
                         ("missing group", miss_g)):
        if int(mask.sum()):
            excluded[reason] = int(mask.sum())
            warnings.append(f"{int(mask.sum()):,} rows excluded ({reason}).")
    keep = ~(miss_t | miss_e | miss_g)
    if not keep.any():
        raise InsufficientDataError(
            f"no row has a duration, an event and a group: all {total:,} rows were excluded "
            f"({', '.join(f'{k}: {v:,}' for k, v in excluded.items())})."
        )
    e = flags.flags[keep].astype(np.int64)
    if int(e.sum()) == 0:
        raise InsufficientDataError(
            f"no promotions: column {event!r} is never True/1 in the {int(keep.sum()):,} usable "
            "rows, so there is no time to promotion to compare. Check that the event column "
            "marks promotions (1) rather than censoring."
        )
    g = labels.to_numpy(dtype=object)[keep]
    groups = sorted(set(g.tolist()), key=str)
    if len(groups) < 2:
        raise InsufficientDataError(
            f"only one group ({groups[0]!r}) in {preview(group_cols)}: time to promotion "
            "compares groups, so at least two are needed."
        )
    controls = df.loc[keep, [inner[c] for c in control_cols]]
    controls.columns = control_cols
    controls, merged = clean_category_columns(controls, control_cols)
    warnings += merged
    t = t_all.to_numpy()[keep]
    # one order for the same people however the rows came: the Cox fit's sums (and so its
    # last digits, the table and the fingerprint) would otherwise follow the row order
    order = ss.observation_order(t, e, g, controls)
    t, e, g = t[order], e[order], g[order]
    controls = controls.iloc[order]
    return Rows(t=t, e=e, g=g, controls=controls.reset_index(drop=True),
                 rows=RowAccount(total=total, used=int(keep.sum()), excluded=excluded),
                 warnings=warnings)


def curves_by_group(read: Rows, confidence: float, conf_type: str, min_at_risk: int,
            warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kaplan–Meier per group: the per-group table and the curves."""
    rows_out, curves = [], []
    for lab in sorted(set(read.g.tolist()), key=str):
        m = read.g == lab
        km = ss.kaplan_meier(read.t[m], read.e[m], confidence=confidence, conf_type=conf_type)
        med = ss.median_status(km, min_at_risk)
        person_time = math.fsum(read.t[m])  # exact: the same whatever the row order
        rows_out.append({
            "group": lab, "n": km.n, "events": km.n_events, "censored": km.n - km.n_events,
            "person_time": person_time,
            "event_rate": km.n_events / person_time if person_time > 0 else math.nan,
            "median": med.median, "median_ci_low": km.median_ci_low,
            "median_ci_high": km.median_ci_high, "median_note": med.note or "",
        })
        curves.append(km.to_frame().assign(group=lab))
        if km.n_events == 0:
            warnings.append(
                f"no {lab} employee was promoted: their curve stays at 1 and their hazard "
                "ratio cannot be estimated."
            )
        elif med.note and med.note.startswith("unstable"):
            left = format_counted(med.at_risk) + (" is" if med.at_risk == 1 else " are")
            warnings.append(
                f"the {lab} curve reaches one half only when {left} still waiting (fewer than "
                f"{min_at_risk}): its median is unstable and not reported."
            )
    curve_frame = pd.concat(curves, ignore_index=True)
    curve_frame = curve_frame[["group", *[c for c in curve_frame.columns if c != "group"]]]
    return pd.DataFrame(rows_out), curve_frame


def join_cox(table: pd.DataFrame, cox_table: pd.DataFrame | None) -> None:
    for c in ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"):
        table[c] = math.nan
    table.loc[table["is_reference"], "hazard_ratio"] = 1.0
    if cox_table is None:
        return
    for row in cox_table.itertuples(index=False):
        hit = table["group"] == row.term
        if hit.any():
            table.loc[hit, ["hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"]] = [
                row.hazard_ratio, row.ci_low, row.ci_high, row.p_value,
            ]


def _design(read: Rows, reference_group: str, warnings: list[str]) -> tuple[pd.DataFrame,
                                                                             np.ndarray]:
    """Group indicators and controls (rows with a missing control left out, counted)."""
    keep = read.controls.notna().all(axis=1).to_numpy()
    if (~keep).any():
        warnings.append(
            f"{int((~keep).sum()):,} employees with a missing control "
            f"({', '.join(map(repr, read.controls.columns))}) are left out of the Cox model."
        )
    groups = sorted(set(read.g.tolist()), key=str)
    parts = {lab: (read.g[keep] == lab).astype(float) for lab in groups if lab != reference_group}
    sub = read.controls.loc[keep]
    for c in sub.columns:
        s = sub[c]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            parts[c] = s.to_numpy(dtype=float)
        else:
            for v in sorted(s.astype(str).unique())[1:]:
                parts[f"{c}[{v}]"] = (s.astype(str) == v).to_numpy(dtype=float)
    x = pd.DataFrame(parts)
    return x.loc[:, x.std(ddof=0) > 0], keep


def cox_model(read: Rows, *, reference_group: str, ties: str, confidence: float,
         ph_transform: str, warnings: list[str],
         ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, int]:
    x, keep = _design(read, reference_group, warnings)
    tk, ek = read.t[keep], read.e[keep]
    if x.shape[1] == 0 or int(ek.sum()) == 0:
        warnings.append("the Cox model was skipped: no group or control varies.")
        return None, None, 0
    if np.linalg.matrix_rank(x.to_numpy()) < x.shape[1]:
        warnings.append(
            "the Cox model design is collinear (a control duplicates a group or another "
            "control), so it was skipped. Remove the redundant control."
        )
        return None, None, 0
    try:
        fit = cox_ph(tk, ek, x, ties=ties, confidence=confidence, ph_transform=ph_transform)
    except (np.linalg.LinAlgError, ValueError) as exc:
        warnings.append(f"the Cox model failed ({exc}); no hazard ratios reported.")
        return None, None, 0
    cox = fit.to_frame()
    unstable = ~np.isfinite(cox["coef"]) | (cox["coef"].abs() > 15) | ~(cox["se"] <= 50)
    if unstable.any() or not fit.converged:
        what = preview(cox.loc[unstable, "term"].tolist()) if unstable.any() else "some terms"
        warnings.append(
            f"the Cox model did not converge cleanly for {what} (typically a group with no "
            "promotions): those hazard ratios are reported as missing."
        )
        cox.loc[unstable, ["coef", "se", "hazard_ratio", "ci_low", "ci_high", "p_value"]] = math.nan
    ph = fit.ph_test.to_frame() if fit.ph_test is not None else None
    if ph is None:
        warnings.append("too few promotions for the proportional-hazards check.")
    return cox, ph, int(tk.size)
