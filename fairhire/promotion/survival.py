"""Time to promotion: Kaplan–Meier curves, log-rank test and Cox hazard ratios by group.

Survival analysis needs one row per employee, so this analysis collects the columns it uses
(group, duration, event, controls) to pandas; the statistics live in
:mod:`fairhire.stats.survival`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frames import as_columns, collect_pandas, require_columns, schema, to_narwhals
from .._results import Headline, Result, RowAccount
from ..errors import (
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
    preview,
)
from ..stats import survival as ss
from ._common import binary_values, fmt_num, group_labels, is_missing, p_text

__all__ = ["TimeToPromotionResult", "time_to_promotion"]

TABLE_COLUMNS = [
    "group", "n", "events", "censored", "person_time", "event_rate", "median",
    "median_ci_low", "median_ci_high", "observed", "expected", "reference_group",
    "is_reference", "hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox",
]  # fmt: skip


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class TimeToPromotionResult(Result):
    """Time to promotion by group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: ``group, n, events`` (promotions), ``censored`` (still waiting or
        left), ``person_time``, ``event_rate`` (promotions per unit of time at risk),
        ``median`` time to promotion with its Brookmeyer–Crowley CI (``median_ci_low``,
        ``median_ci_high``; ``inf`` = not reached), log-rank ``observed`` and ``expected``
        promotions, and the Cox ``hazard_ratio`` against ``reference_group`` with its CI
        (``hr_ci_low``, ``hr_ci_high``) and Wald ``p_value_cox``. A hazard ratio below 1 means
        slower promotion than the reference group at any given time in level.
    curves : pandas.DataFrame
        Kaplan–Meier curves: ``group, time, at_risk, events, censored, survival, std_err,
        ci_low, ci_high`` (``survival`` = share not yet promoted; ``1 − survival`` = share
        promoted by that time).
    logrank : dict
        ``statistic``, ``df``, ``p_value`` of the log-rank test of equal curves.
    cox : pandas.DataFrame or None
        Every term of the Cox model (group indicators and controls): ``term, coef, se,
        hazard_ratio, ci_low, ci_high, p_value``.
    ph_test : pandas.DataFrame or None
        Grambsch–Therneau test of proportional hazards per term and ``GLOBAL``.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    logrank: dict[str, float]
    cox: pd.DataFrame | None
    ph_test: pd.DataFrame | None
    cox_n: int
    group_columns: tuple[str, ...]
    duration: str
    event: str
    controls: tuple[str, ...]
    reference_group: str
    ties: str
    conf_type: str
    confidence: float
    alpha: float

    kind: ClassVar[str] = "time to promotion"
    count_columns: ClassVar[frozenset[str]] = frozenset({"n", "events", "censored", "at_risk"})
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell).
    report_count_columns: ClassVar[tuple[str, ...]] = ("events", "censored", "at_risk")
    report_derived_columns: ClassVar[tuple[str, ...]] = (
        "person_time", "event_rate", "median_ci_low", "median_ci_high", "observed", "expected",
        "survival", "std_err",
    )  # fmt: skip

    def __repr__(self) -> str:
        return (
            f"<TimeToPromotionResult: {len(self.table)} groups, log-rank "
            f"{p_text(self.logrank.get('p_value'))}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def survival_at(self, times: Sequence[float]) -> pd.DataFrame:
        """Share not yet promoted per group at the given times (the Kaplan–Meier estimate)."""
        rows = []
        for g, sub in self.curves.groupby("group", sort=False):
            t = sub["time"].to_numpy()
            s = sub["survival"].to_numpy()
            for q in times:
                idx = np.searchsorted(t, q, side="right") - 1
                rows.append({"group": g, "time": q, "survival": s[idx] if idx >= 0 else 1.0})
        return pd.DataFrame(rows, columns=["group", "time", "survival"])

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        lr_p = self.logrank.get("p_value", math.nan)
        ref = self.table.loc[self.table["is_reference"]].iloc[0]
        for row in self.table.itertuples(index=False):
            if row.is_reference or not math.isfinite(row.hazard_ratio):
                continue
            significant = row.p_value_cox < self.alpha
            medians = (
                f"median {fmt_num(row.median, 1)} against {fmt_num(ref['median'], 1)}"
                f" {self.duration}"
            )
            text = (
                f"{row.group} employees were promoted at {row.hazard_ratio:.2f} times the rate "
                f"of {row.reference_group} at any given time waiting (Cox hazard ratio, 95% CI "
                f"{fmt_num(row.hr_ci_low)}–{fmt_num(row.hr_ci_high)}, "
                f"{p_text(row.p_value_cox)}; {medians})"
            )
            if significant and row.hazard_ratio < 1:
                out.append(Headline(severity=3, text=text + ".", figure=row.hazard_ratio,
                                    section=self.kind))  # fmt: skip
            elif row.hazard_ratio < 0.8:
                out.append(Headline(severity=1, text=text + ": not statistically significant.",
                                    figure=row.hazard_ratio, section=self.kind))  # fmt: skip
        if lr_p < self.alpha:
            out.append(Headline(
                severity=2,
                text=f"Time to promotion differs between {' × '.join(self.group_columns)} "
                f"groups (log-rank χ² = {self.logrank['statistic']:.2f}, df = "
                f"{int(self.logrank['df'])}, {p_text(lr_p)}).",
                figure=self.logrank["statistic"], section=self.kind,
            ))  # fmt: skip
        if self.ph_test is not None:
            glob = self.ph_test.loc[self.ph_test["term"] == "GLOBAL"]
            if len(glob) and glob["p_value"].iloc[0] < self.alpha:
                out.append(Headline(
                    severity=1,
                    text="The proportional-hazards assumption is questionable (Grambsch–"
                    f"Therneau {p_text(float(glob['p_value'].iloc[0]))}): read the hazard "
                    "ratios as averages over time and look at the curves.",
                    section=self.kind,
                ))  # fmt: skip
        out.sort(key=lambda h: -h.severity)
        return out

    def summary(self) -> str:
        lines = [
            f"Time to promotion ({self.duration}, event {self.event!r}) by "
            f"{' × '.join(self.group_columns)}",
        ]
        if self.rows is not None:
            lines.append("Rows: " + self.rows.describe() + ".")
        view = self.table[["group", "n", "events", "censored", "median", "median_ci_low",
                           "median_ci_high", "hazard_ratio", "hr_ci_low", "hr_ci_high",
                           "p_value_cox"]]  # fmt: skip
        lines.append(view.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines.append(
            f"Log-rank χ² = {self.logrank['statistic']:.4g} on {int(self.logrank['df'])} df, "
            f"{p_text(self.logrank['p_value'])}. Medians: Kaplan–Meier with "
            f"Brookmeyer–Crowley {self.confidence:.0%} CIs ({self.conf_type} scale). Cox model "
            f"({self.ties} ties, n = {self.cox_n:,}"
            + (f", controls: {', '.join(self.controls)}" if self.controls else "")
            + ")."
        )
        if self.ph_test is not None:
            lines.append("Proportional-hazards check (Grambsch–Therneau):")
            lines.append(self.ph_test.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


def time_to_promotion(
    data: Any,
    *,
    group: str | Sequence[str],
    duration: str,
    event: str,
    controls: str | Sequence[str] = (),
    ties: str = "efron",
    reference: object | None = None,
    confidence: float = 0.95,
    conf_type: str = "log-log",
    ph_transform: str = "km",
    alpha: float = 0.05,
    min_share: float | None = 0.02,
) -> TimeToPromotionResult:
    """Compare how long groups wait for promotion, counting those still waiting or who left.

    People who have not been promoted yet (still in level at the data extract, or who left)
    are *censored*: we know they waited at least ``duration``. Dropping them, or averaging only
    the promoted, biases the comparison; survival analysis uses them correctly.

    - **Kaplan–Meier** curve per group (Greenwood standard errors, pointwise bands on the
      ``conf_type`` scale) and the **median** time to promotion with the Brookmeyer–Crowley
      confidence interval (``inf`` when fewer than half were promoted).
    - **Log-rank test** of equal curves across all groups.
    - **Cox proportional-hazards** model of promotion on group indicators (against
      ``reference``: by default the group with the highest crude promotion rate per unit of
      time) and ``controls``; hazard ratio with Wald CI. Ties: Efron (default; R's ``coxph``)
      or ``"breslow"`` (statsmodels', Stata's and SAS's default).
    - **Proportional-hazards check**: Grambsch–Therneau test on Schoenfeld residuals.

    This analysis collects the needed columns to pandas (survival methods work on rows).

    Parameters
    ----------
    data : DataFrame
        One row per employee (pandas, polars, pyarrow, DuckDB ...). Never modified.
    group : str or list of str
        Group column, or several for intersectional groups.
    duration : str
        Time waited (e.g. ``"months_in_level"``): finite and non-negative.
    event : str
        True/1 if the wait ended in a promotion, False/0 if censored.
    controls : str or list of str
        Cox model covariates (numeric linearly, text/categorical as indicators).
    ties : {"efron", "breslow"}
        Tie handling of the Cox partial likelihood.
    reference : optional
        Fixed reference group label.
    confidence : float
        Level of all intervals.
    conf_type : {"log-log", "log", "plain"}
        Scale of the Kaplan–Meier bands and hence of the median's interval.
    ph_transform : {"km", "rank", "identity"}
        Time scale of the proportional-hazards test.
    alpha : float
        Significance level for headlines.
    min_share : float or None, default 0.02
        Groups below this share of employees are compared but never chosen as the default
        reference: a tiny group's promotion rate is too unstable to measure everyone against
        (the 2% convention of UGESP and NYC LL144). ``None`` lets any group be the reference.

    Returns
    -------
    TimeToPromotionResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Negative or non-numeric durations; events that are not 0/1 or boolean.
    InsufficientDataError
        No usable rows, fewer than two groups, or no promotions at all.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0)
    >>> tt = fh.time_to_promotion(staff, group="sex", duration="months_in_level",
    ...                           event="promoted")
    >>> tt.table[["group", "events", "median"]]
    ... # doctest: +NORMALIZE_WHITESPACE
            group  events  median
    0      Female     213    65.0
    1        Male     237    62.0
    2  Non-binary       4    59.0
    >>> row = tt.table.set_index("group").loc["Female"]
    >>> round(float(row.hazard_ratio), 2), row.reference_group
    (0.87, 'Male')
    """
    group_cols = as_columns(group, argument="group")
    control_cols = as_columns(controls, argument="controls")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    for name, value in (("duration", duration), ("event", event)):
        if not isinstance(value, str):
            raise InvalidParameterError(f"{name}= must be one column name; got {value!r}.")
    if ties not in ss.TIES:
        raise InvalidParameterError(f"ties={ties!r}; use 'efron' (default) or 'breslow'.")
    if conf_type not in ss.CONF_TYPES:
        raise InvalidParameterError(
            f"conf_type={conf_type!r}; use 'log-log' (default), 'log' or 'plain'."
        )
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    if ph_transform not in ("km", "rank", "identity"):
        raise InvalidParameterError(
            f"ph_transform={ph_transform!r}; use 'km' (default), 'rank' or 'identity'."
        )
    roles = [*group_cols, duration, event]
    if len(set(roles)) != len(roles):
        raise InvalidParameterError(
            "group=, duration= and event= must be different columns; got "
            f"{group_cols}, {duration!r}, {event!r}."
        )
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, duration=duration, event=event,
                    controls=control_cols)  # fmt: skip
    dtypes = schema(frame)
    if not dtypes[duration].is_numeric():
        raise InvalidValueError(
            f"column {duration!r} (duration) must be numeric (time waited, e.g. months); it "
            f"has type {dtypes[duration]}. Convert it to a number of days, months or years."
        )
    cols = list(dict.fromkeys([*group_cols, duration, event, *control_cols]))
    df = collect_pandas(frame.select(*[nw.col(c) for c in cols]))
    total = len(df)
    if total == 0:
        raise InsufficientDataError("the data have no rows: nothing to analyse.")

    ev_counts = df[event].astype(object).value_counts(dropna=False)
    ev_map = binary_values(
        pd.Series(ev_counts.index.tolist()), pd.Series(ev_counts.to_numpy()),
        column=event, what="event: promoted or not",
    )  # fmt: skip
    lookup = {
        _hashable(v): m for v, m in zip(ev_counts.index.tolist(), ev_map.tolist(), strict=True)
    }
    e_all = df[event].astype(object).map(lambda v: math.nan if is_missing(v) else
                                         lookup[_hashable(v)]).astype(float)  # fmt: skip
    t_all = pd.to_numeric(df[duration], errors="coerce").astype(float)
    bad = t_all.notna() & ((t_all < 0) | ~np.isfinite(t_all))
    if bad.any():
        raise InvalidValueError(
            f"column {duration!r} (duration) holds negative or infinite values "
            f"{preview(sorted(set(t_all[bad].tolist())))} in {int(bad.sum()):,} rows. Time "
            "waited cannot be negative: check the start and end dates that produced it."
        )
    labels = group_labels(df, group_cols)
    excluded: dict[str, int] = {}
    warnings: list[str] = []
    miss_t = t_all.isna()
    miss_e = e_all.isna() & ~miss_t
    miss_g = labels.isna() & ~miss_t & ~miss_e
    for reason, mask in ((f"missing {duration}", miss_t), (f"missing {event}", miss_e),
                         ("missing group", miss_g)):  # fmt: skip
        if int(mask.sum()):
            excluded[reason] = int(mask.sum())
            warnings.append(f"{int(mask.sum()):,} rows excluded ({reason}).")
    keep = ~(miss_t | miss_e | miss_g)
    t = t_all[keep].to_numpy()
    e = e_all[keep].to_numpy().astype(np.int64)
    g = labels[keep].to_numpy(dtype=object)
    rows = RowAccount(total=total, used=int(keep.sum()), excluded=excluded)
    if t.size == 0:
        raise InsufficientDataError(
            f"no row has a duration, an event and a group: all {total:,} rows were excluded "
            f"({', '.join(f'{k}: {v:,}' for k, v in excluded.items())})."
        )
    if int(e.sum()) == 0:
        raise InsufficientDataError(
            f"no promotions: column {event!r} is never True/1 in the {t.size:,} usable rows, so "
            "there is no time to promotion to compare. Check that the event column marks "
            "promotions (1) rather than censoring."
        )
    groups = sorted(set(g.tolist()), key=str)
    if len(groups) < 2:
        raise InsufficientDataError(
            f"only one group ({groups[0]!r}) in {preview(group_cols)}: time to promotion "
            "compares groups, so at least two are needed."
        )

    # Kaplan–Meier per group
    rows_out, curves = [], []
    for lab in groups:
        m = g == lab
        km = ss.kaplan_meier(t[m], e[m], confidence=confidence, conf_type=conf_type)
        person_time = float(t[m].sum())
        rows_out.append({
            "group": lab, "n": km.n, "events": km.n_events, "censored": km.n - km.n_events,
            "person_time": person_time,
            "event_rate": km.n_events / person_time if person_time > 0 else math.nan,
            "median": km.median, "median_ci_low": km.median_ci_low,
            "median_ci_high": km.median_ci_high,
        })  # fmt: skip
        curves.append(km.to_frame().assign(group=lab))
        if km.n_events == 0:
            warnings.append(
                f"no {lab} employee was promoted: their curve stays at 1 and their hazard "
                "ratio cannot be estimated."
            )
    table = pd.DataFrame(rows_out)
    curve_frame = pd.concat(curves, ignore_index=True)
    curve_frame = curve_frame[["group", *[c for c in curve_frame.columns if c != "group"]]]

    lr = ss.logrank_test(t, e, g)
    obs = dict(zip(map(str, lr.groups), lr.observed, strict=True))
    exp = dict(zip(map(str, lr.groups), lr.expected, strict=True))
    table["observed"] = table["group"].map(obs).astype(float)
    table["expected"] = table["group"].map(exp).astype(float)

    if min_share is not None and not 0 <= min_share < 1:
        raise InvalidParameterError(f"min_share={min_share!r} must lie in [0, 1); e.g. 0.02.")
    if reference is None:
        # the fastest group is the benchmark (hazard ratios of the others are then ≤ 1), as the
        # highest-rate group is for the four-fifths rule; tiny groups are not eligible
        rates = table["event_rate"].fillna(-1.0)
        share = table["n"] / table["n"].sum()
        eligible = (share >= (min_share or 0.0)) & (table["events"] > 0)
        if not eligible.any():
            eligible = table["events"] > 0
        reference_group = str(table.loc[rates.where(eligible, -2.0).idxmax(), "group"])
    else:
        matches = [lab for lab in groups if lab == str(reference) or lab == reference]
        if not matches:
            raise InvalidParameterError(
                f"reference={reference!r} is not a group of {preview(group_cols)}. Groups "
                f"present: {preview(groups, limit=10)}."
            )
        reference_group = matches[0]
    table["reference_group"] = reference_group
    table["is_reference"] = table["group"] == reference_group

    cox_table, ph_table, cox_n = _cox(
        df.loc[keep], t, e, g, groups=groups, reference_group=reference_group,
        controls=control_cols, ties=ties, confidence=confidence, ph_transform=ph_transform,
        warnings=warnings,
    )  # fmt: skip
    for c in ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"):
        table[c] = math.nan
    table.loc[table["is_reference"], "hazard_ratio"] = 1.0
    if cox_table is not None:
        for row in cox_table.itertuples(index=False):
            hit = table["group"] == row.term
            if hit.any():
                table.loc[hit, ["hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"]] = [
                    row.hazard_ratio, row.ci_low, row.ci_high, row.p_value,
                ]  # fmt: skip
    table = table[TABLE_COLUMNS]
    params = {
        "group": group_cols, "duration": duration, "event": event, "controls": control_cols,
        "ties": ties, "reference": reference, "confidence": confidence, "conf_type": conf_type,
        "ph_transform": ph_transform, "alpha": alpha, "min_share": min_share,
    }  # fmt: skip
    return TimeToPromotionResult(
        table=table,
        curves=curve_frame,
        logrank={"statistic": lr.statistic, "df": lr.df, "p_value": lr.p_value},
        cox=cox_table,
        ph_test=ph_table,
        cox_n=cox_n,
        group_columns=tuple(group_cols),
        duration=duration,
        event=event,
        controls=tuple(control_cols),
        reference_group=reference_group,
        ties=ties,
        conf_type=conf_type,
        confidence=confidence,
        alpha=alpha,
        warnings=tuple(dict.fromkeys(warnings)),
        rows=rows,
        params=params,
    )


def _hashable(v: object) -> object:
    try:
        hash(v)
        return v
    except TypeError:
        return repr(v)


def _cox(
    df: pd.DataFrame,
    t: np.ndarray,
    e: np.ndarray,
    g: np.ndarray,
    *,
    groups: list[str],
    reference_group: str,
    controls: list[str],
    ties: str,
    confidence: float,
    ph_transform: str,
    warnings: list[str],
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, int]:
    keep = np.ones(t.size, dtype=bool)
    for c in controls:
        keep &= df[c].notna().to_numpy()
    if (~keep).any():
        warnings.append(
            f"{int((~keep).sum()):,} employees with a missing control "
            f"({', '.join(map(repr, controls))}) are left out of the Cox model."
        )
    others = [lab for lab in groups if lab != reference_group]
    parts = {lab: (g[keep] == lab).astype(float) for lab in others}
    sub = df.loc[keep]
    for c in controls:
        s = sub[c]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            parts[c] = s.to_numpy(dtype=float)
        else:
            cats = sorted(s.astype(str).unique())
            for v in cats[1:]:
                parts[f"{c}[{v}]"] = (s.astype(str) == v).to_numpy(dtype=float)
    x = pd.DataFrame(parts)
    x = x.loc[:, x.std(ddof=0) > 0]
    tk, ek = t[keep], e[keep]
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
        fit = ss.cox_ph(tk, ek, x, ties=ties, confidence=confidence, ph_transform=ph_transform)
    except (np.linalg.LinAlgError, ValueError) as exc:
        warnings.append(f"the Cox model failed ({exc}); no hazard ratios reported.")
        return None, None, 0
    cox = fit.to_frame()
    unstable = ~np.isfinite(cox["coef"]) | (cox["coef"].abs() > 15) | ~(cox["se"] <= 50)
    if unstable.any() or not fit.converged:
        warnings.append(
            "the Cox model did not converge cleanly for "
            f"{preview(cox.loc[unstable, 'term'].tolist()) if unstable.any() else 'some terms'}"
            " (typically a group with no promotions): those hazard ratios are reported as "
            "missing."
        )
        cox.loc[unstable, ["coef", "se", "hazard_ratio", "ci_low", "ci_high", "p_value"]] = math.nan
    ph = fit.ph_test.to_frame() if fit.ph_test is not None else None
    if ph is None:
        warnings.append("too few promotions for the proportional-hazards check.")
    return cox, ph, int(tk.size)
