"""Time to promotion: Kaplan–Meier curves, log-rank test and Cox hazard ratios by group.

Survival analysis needs one row per employee, so this analysis collects the columns it uses
(group, duration, event, controls) to pandas under internal names; the statistics live in
:mod:`fairhire.stats.survival` and :mod:`fairhire.stats.cox`. Flags, labels and the reference
group follow the shared core (see :mod:`fairhire._core.counting`).

Flow: read (collect, read the event flag, clean labels, count exclusions) → Kaplan–Meier per
group → log-rank → reference → Cox → result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.counting import pick_reference
from .._core.labels import as_labels
from .._core.params import (
    check_alpha,
    check_choice,
    check_confidence,
    check_int,
    check_min_n,
    check_share,
)
from .._core.reference_rows import explains_reference
from .._core.text import format_number, p_text
from .._frames import (
    as_columns,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError
from ..stats import survival as ss
from ._survival_steps import cox_model, curves_by_group, join_cox, read_rows

__all__ = ["TimeToPromotionResult", "time_to_promotion"]

TABLE_COLUMNS = [
    "group", "n", "events", "censored", "person_time", "event_rate", "median",
    "median_ci_low", "median_ci_high", "observed", "expected", "reference_group",
    "is_reference", "hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox", "median_note",
    "too_small_for_reference",
]


@result_dataclass
class TimeToPromotionResult(Result):
    """Time to promotion by group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: ``group, n, events`` (promotions), ``censored`` (still waiting or
        left), ``person_time``, ``event_rate`` (promotions per unit of time at risk),
        ``median`` time to promotion with its Brookmeyer–Crowley CI (``median_ci_low``,
        ``median_ci_high``; ``inf`` = not reached); the median is NaN when the curve never
        reaches one half, or reaches it only with fewer than ``min_at_risk`` people at risk,
        and ``median_note`` says which ("not reached", "unstable (n at risk < 5)"; empty
        otherwise); log-rank ``observed`` and ``expected``
        promotions, and the Cox ``hazard_ratio`` against ``reference_group`` with its CI
        (``hr_ci_low``, ``hr_ci_high``) and Wald ``p_value_cox``. A hazard ratio below 1 means
        slower promotion than the reference group at any given time in level.
        ``too_small_for_reference`` marks groups compared but too small to be the reference.
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
        Grambsch–Therneau test of proportional hazards per term and ``GLOBAL`` (R's
        ``cox.zph`` of survival 2.44-1.1, Efron-weighted residuals under Efron ties).
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
    min_at_risk: int = 5
    fingerprint: str = ""

    kind: ClassVar[str] = "time to promotion"
    count_columns: ClassVar[frozenset[str]] = frozenset({"at_risk", "censored", "events", "n"})
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell).
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "event_rate", "expected", "median_ci_high", "median_ci_low", "observed", "person_time",
        "std_err", "survival",
    })

    def _repr_headline(self) -> str:
        return f"{len(self.table)} groups, log-rank {p_text(self.logrank.get('p_value'))}"

    @property
    def flagged(self) -> pd.DataFrame:
        """Groups promoted significantly more slowly than the reference (Cox p < alpha)."""
        t = self.table
        slow = (t["hazard_ratio"] < 1) & (t["p_value_cox"] < self.alpha)
        return t.loc[slow.fillna(False).astype(bool)].reset_index(drop=True)

    def _median_text(self, value: float, note: Any) -> str:
        if isinstance(note, str) and note.startswith("unstable"):
            # the table's note ("n at risk < 5") in words
            return f"unstable (fewer than {self.min_at_risk} people still waiting)"
        if isinstance(note, str) and note:
            return note
        return format_number(value, 1)

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
                f"median wait: {row.group} {self._median_text(row.median, row.median_note)}, "
                f"{ref['group']} {self._median_text(ref['median'], ref['median_note'])} "
                f"({self.duration})"
            )
            text = (
                f"{row.group} employees were promoted at {row.hazard_ratio:.2f} times the rate "
                f"of {row.reference_group} at any given time waiting (Cox hazard ratio, 95% CI "
                f"{format_number(row.hr_ci_low)}–{format_number(row.hr_ci_high)}, "
                f"{p_text(row.p_value_cox)}; {medians})"
            )
            if significant and row.hazard_ratio < 1:
                out.append(Headline(severity=3, text=text + ".", figure=row.hazard_ratio,
                                    section=self.kind))
            elif row.hazard_ratio < 0.8:
                out.append(Headline(severity=1, text=text + ": not statistically significant.",
                                    figure=row.hazard_ratio, section=self.kind))
        if lr_p < self.alpha:
            out.append(Headline(
                severity=2,
                text=f"Time to promotion differs between {' × '.join(self.group_columns)} "
                f"groups (log-rank χ² = {self.logrank['statistic']:.2f}, df = "
                f"{int(self.logrank['df'])}, {p_text(lr_p)}).",
                figure=self.logrank["statistic"], section=self.kind,
            ))
        if self.ph_test is not None:
            glob = self.ph_test.loc[self.ph_test["term"] == "GLOBAL"]
            if len(glob) and glob["p_value"].iloc[0] < self.alpha:
                out.append(Headline(
                    severity=1,
                    text="The proportional-hazards assumption is questionable (Grambsch–"
                    f"Therneau {p_text(float(glob['p_value'].iloc[0]))}): read the hazard "
                    "ratios as averages over time and look at the curves.",
                    section=self.kind,
                ))
        return by_severity(out)

    def summary(self) -> str:
        lines = [
            f"Time to promotion ({self.duration}, event {self.event!r}) by "
            f"{' × '.join(self.group_columns)}",
        ]
        lines.extend(self._rows_text())
        view = self.table[["group", "n", "events", "censored", "median", "median_note",
                           "hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"]]
        lines.append(table_text(view))
        lines.append(
            f"Log-rank χ² = {self.logrank['statistic']:.4g} on {int(self.logrank['df'])} df, "
            f"{p_text(self.logrank['p_value'])}. Medians: Kaplan–Meier with "
            f"Brookmeyer–Crowley {self.confidence:.0%} CIs ({self.conf_type} scale); a median "
            f"reached with fewer than {self.min_at_risk} at risk is unstable. Cox model "
            f"({self.ties} ties, n = {self.cox_n:,}"
            + (f", controls: {', '.join(self.controls)}" if self.controls else "")
            + ")."
        )
        if self.ph_test is not None:
            lines.append("Proportional-hazards check (Grambsch–Therneau):")
            lines.append(table_text(self.ph_test))
        return self._summary_text(lines)


@explains_reference()
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
    min_n: int = 30,
    min_at_risk: int = 5,
    unknown_labels: Sequence[object] = (),
    id: str | None = None,
) -> TimeToPromotionResult:
    """Compare how long groups wait for promotion, counting those still waiting or who left.

    People who have not been promoted yet (still in level at the data extract, or who left)
    are *censored*: we know they waited at least ``duration``. Dropping them, or averaging only
    the promoted, biases the comparison; survival analysis uses them correctly.

    - **Kaplan–Meier** curve per group (Greenwood standard errors, pointwise bands on the
      ``conf_type`` scale) and the **median** time to promotion with the Brookmeyer–Crowley
      confidence interval. The median is "not reached" when fewer than half were promoted,
      and "unstable" when the curve reaches one half only with fewer than ``min_at_risk``
      people at risk (both NaN, with ``median_note``).
    - **Log-rank test** of equal curves across all groups.
    - **Cox proportional-hazards** model of promotion on group indicators and ``controls``;
      hazard ratio with Wald CI. Ties: Efron (default; R's ``coxph``) or ``"breslow"``
      (statsmodels', Stata's and SAS's default).
    - **Proportional-hazards check**: Grambsch–Therneau test on Schoenfeld residuals
      (Efron-weighted under Efron ties), as R's ``cox.zph`` in survival 2.44-1.1.

    The **reference group** is the one promoted fastest, measured by promotions per unit of
    time at risk, among groups with at least ``min_n`` people and ``min_share`` of the
    employees (ties: the largest group); ``reference=`` overrides it.

    Parameters
    ----------
    data : DataFrame
        One row per employee (pandas, polars, pyarrow, DuckDB ...). Never modified.
    group : str or list of str
        Group column, or several for intersectional groups.
    unknown_labels : str or list, optional
        Group labels that mean "unknown" ("Prefer not to say"), as in
        :func:`fairhire.adverse_impact`.
    duration : str
        Time waited (e.g. ``"months_in_level"``): finite and non-negative.
    event : str
        Yes/no column: the wait ended in a promotion (True, 1, "yes") or is censored (False,
        0, "no"). Blanks are missing: excluded and counted.
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
        Significance level for headlines and :attr:`~TimeToPromotionResult.flagged`.
    min_share : float or None, default 0.02
        Smallest share of employees a default reference group needs.
    min_n : int, default 30
        Smallest group that can be the default reference.
    min_at_risk : int, default 5
        A median reached with fewer people at risk is reported as unstable (NaN).
    id : str, optional
        Employee id column. With it, an id on two rows (a rehire's two employment spells, a
        row duplicated by a join) is an error naming the ids and the fix: each person must be
        observed once. Rows excluded for a missing duration or event, and blank ids, are not
        compared. Without it the rows are not checked.

    Returns
    -------
    TimeToPromotionResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Negative or non-numeric durations; events that are not yes/no values; an ``id`` on
        more than one row.
    InsufficientDataError
        No usable rows, fewer than two groups, or no promotions at all.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0)
    >>> tt = fh.time_to_promotion(staff, group="sex", duration="months_in_level",
    ...                           event="promoted")
    >>> tt.table[["group", "events", "median", "median_note"]]
    ... # doctest: +NORMALIZE_WHITESPACE
            group  events  median               median_note
    0      Female     213    65.0
    1        Male     237    62.0
    2  Non-binary       4     NaN  unstable (n at risk < 5)
    >>> row = tt.table.set_index("group").loc["Female"]
    >>> round(float(row.hazard_ratio), 2), row.reference_group
    (0.87, 'Male')
    """
    group_cols = as_columns(group, argument="group")
    control_cols = as_columns(controls, argument="controls")
    opts = _options(group_cols, duration, event, ties=ties, confidence=confidence,
                    conf_type=conf_type, ph_transform=ph_transform, alpha=alpha,
                    min_share=min_share, min_n=min_n, min_at_risk=min_at_risk, id=id)
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, duration=duration, event=event,
                    controls=control_cols, id=id)
    frame = numbers_from_objects(frame, [duration, *control_cols])
    read = read_rows(frame, group_cols, duration, event, control_cols, as_labels(unknown_labels),
                     ids=id)
    warnings = list(read.warnings)
    table, curves = curves_by_group(read, confidence, conf_type, min_at_risk, warnings)
    lr = ss.logrank_test(read.t, read.e, read.g)
    table["observed"] = table["group"].map(dict(zip(map(str, lr.groups), lr.observed,
                                                    strict=True))).astype(float)
    table["expected"] = table["group"].map(dict(zip(map(str, lr.groups), lr.expected,
                                                    strict=True))).astype(float)
    choice = pick_reference(
        table["group"].tolist(), table["n"].tolist(), table["event_rate"].tolist(),
        reference=reference, min_n=min_n, min_share=min_share or 0, warnings=warnings,
        what="promotions per unit of time",
    )
    reference_group = choice.label
    table["reference_group"] = reference_group
    table["is_reference"] = table["group"] == reference_group
    table["too_small_for_reference"] = [choice.too_small(i) for i in range(len(table))]
    cox_table, ph_table, cox_n = cox_model(read, reference_group=reference_group, ties=ties,
                                      confidence=confidence, ph_transform=ph_transform,
                                      warnings=warnings)
    join_cox(table, cox_table)
    table = table[TABLE_COLUMNS]
    params = {
        "group": group_cols, "duration": duration, "event": event, "controls": control_cols,
        "ties": ties, "reference": reference, "confidence": confidence, "conf_type": conf_type,
        "ph_transform": ph_transform, "alpha": alpha, "min_share": min_share, "min_n": min_n,
        "min_at_risk": min_at_risk, "unknown_labels": list(as_labels(unknown_labels)),
    }
    return TimeToPromotionResult(
        table=table, curves=curves,
        logrank={"statistic": lr.statistic, "df": lr.df, "p_value": lr.p_value},
        cox=cox_table, ph_test=ph_table, cox_n=cox_n, group_columns=tuple(group_cols),
        duration=duration, event=event, controls=tuple(control_cols),
        reference_group=reference_group, ties=opts["ties"], conf_type=conf_type,
        confidence=confidence, alpha=alpha, min_at_risk=min_at_risk,
        fingerprint=fingerprint_frame(curves), warnings=tuple(dict.fromkeys(warnings)),
        rows=read.rows, params=params,
    )


def _options(group_cols: list[str], duration: Any, event: Any, **o: Any) -> dict[str, Any]:
    """Check every option once, at the boundary."""
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    for name, value in (("duration", duration), ("event", event), ("id", o["id"] or "")):
        if not isinstance(value, str):
            raise InvalidParameterError(f"{name}= must be one column name; got {value!r}.")
    check_choice(o["ties"], "ties", ss.TIES)
    check_choice(o["conf_type"], "conf_type", ss.CONF_TYPES)
    check_choice(o["ph_transform"], "ph_transform", ss.PH_TRANSFORMS)
    check_confidence(o["confidence"])
    check_alpha(o["alpha"])
    check_share(o["min_share"])
    check_min_n(o["min_n"])
    check_int(o["min_at_risk"], "min_at_risk", low=1)
    roles = [*group_cols, duration, event, *([o["id"]] if o["id"] else [])]
    if len(set(roles)) != len(roles):
        raise InvalidParameterError(
            "group=, duration=, event= and id= must be different columns; got "
            f"{group_cols}, {duration!r}, {event!r}, {o['id']!r}."
        )
    return o
