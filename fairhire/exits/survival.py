"""Time to exit: retention curves, log-rank and Cox by group, and competing causes of exit.

Survival methods need one row per employee, so this analysis collects the columns it uses;
the statistics are :mod:`fairhire.stats.survival` (Kaplan–Meier, log-rank, Cox) and
:mod:`fairhire.stats.competing` (Aalen–Johansen). With ``cause=``, the probability of leaving
for each kind of reason is the cumulative incidence, not 1 − Kaplan–Meier (which treats the
other reasons as censoring and overstates it), and the hazard ratios are cause-specific.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.labels import as_labels
from .._core.params import check_choice, check_confidence, check_min_n
from .._core.reference import choose_reference
from .._core.reference_rows import explains_reference
from .._core.text import format_number, format_percent, p_text
from .._frames import (
    collect_rows,
    combine_fingerprints,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError
from ..stats import competing as cr
from ..stats import survival as ss
from ..stats.cox import cox_ph
from ._counts import INVOLUNTARY, VOLUNTARY, ExitKinds, check_roles
from ._times import DAYS_PER, Observed, observe

__all__ = ["TimeToExitResult", "time_to_exit"]

ALL_EXITS = "all exits"

#: A median reached with fewer people at risk is reported as unstable (as time to promotion).
MIN_AT_RISK = 5


@result_dataclass
class TimeToExitResult(Result):
    """How long people stay, by group, with competing causes of exit.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: ``group, n, exits, censored, median`` (median time to exit; NaN
        with ``median_note`` "not reached" when fewer than half left, or "unstable" when
        reached with fewer than 5 at risk) with its CI, ``retention_at`` (Kaplan–Meier share
        still employed at ``horizon``), ``reference_group``, ``is_reference``, the Cox
        ``hazard_ratio`` of exit against the reference with ``hr_ci_low``/``hr_ci_high`` and
        ``p_value_cox`` (above 1: leaves sooner), and ``flagged`` (significantly sooner).
    curves : pandas.DataFrame
        Kaplan–Meier retention curves: ``group, time, at_risk, events, censored, survival,
        std_err, ci_low, ci_high``.
    logrank : dict
        Log-rank test of equal retention curves.
    causes : pandas.DataFrame or None
        With ``cause=``: per (cause, group), ``exits``, the cumulative incidence at
        ``horizon`` with its CI (Aalen–Johansen), and the cause-specific Cox hazard ratio
        against the reference with its CI and p-value.
    incidence : pandas.DataFrame or None
        The cumulative incidence curves: ``cause, group, time, at_risk, events, incidence,
        std_err, ci_low, ci_high``.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    logrank: dict[str, float]
    causes: pd.DataFrame | None
    incidence: pd.DataFrame | None
    group_columns: tuple[str, ...]
    duration: str
    time_unit: str
    horizon: float
    reference_group: str | None
    confidence: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "time to exit"
    flag_column: ClassVar[str | None] = "flagged"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "at_risk", "censored", "events", "exits", "n",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "incidence", "incidence_ci_high", "incidence_ci_low", "median", "median_ci_high",
        "median_ci_low", "retention_at", "std_err", "survival",
    })

    def _repr_headline(self) -> str:
        return f"{len(self.table)} groups, log-rank {p_text(self.logrank.get('p_value'))}"

    def headlines(self) -> list[Headline]:
        """Plain-language findings, most serious first."""
        out: list[Headline] = self._reference_without_exits()
        for row in self.flagged.itertuples(index=False):
            out.append(Headline(
                severity=3, figure=row.hazard_ratio, section=ALL_EXITS,
                text=f"{row.group} employees left sooner than {row.reference_group} employees:"
                f" at any given tenure they left at {format_number(row.hazard_ratio)} times the "
                f"rate (Cox hazard ratio, 95% CI {format_number(row.hr_ci_low)}–"
                f"{format_number(row.hr_ci_high)}, {p_text(row.p_value_cox)}); "
                f"{format_percent(row.retention_at)} were still employed after "
                f"{format_number(self.horizon, 0)} {self.time_unit}.",
            ))
        if self.causes is not None:
            hit = self.causes.loc[(self.causes["p_value_cox"] < self.alpha)
                                  & (self.causes["hazard_ratio"] > 1)]
            for row in hit.itertuples(index=False):
                out.append(Headline(
                    severity=3, figure=row.hazard_ratio, section=str(row.cause),
                    text=f"{row.group} employees left for {row.cause} reasons at "
                    f"{format_number(row.hazard_ratio)} times the rate of "
                    f"{row.reference_group} employees (cause-specific hazard ratio, "
                    f"{p_text(row.p_value_cox)}); {format_percent(row.incidence)} had left for "
                    f"that reason within {format_number(self.horizon, 0)} {self.time_unit}.",
                ))
        return by_severity(out)

    def _reference_without_exits(self) -> list[Headline]:
        """The reference group (the lowest exit rate) had no exits: no hazard ratio exists,
        so the log-rank test says whether the others left sooner."""
        t = self.table.set_index("group")
        ref = self.reference_group
        if ref is None or ref not in t.index or t.at[ref, "exits"] > 0:
            return []
        left = t.loc[(t.index != ref) & (t["exits"] > 0)]
        if left.empty:
            return []
        p = self.logrank.get("p_value", math.nan)
        who = ", ".join(f"{g} employees did ({int(r.exits):,} of {int(r.n):,})"
                        for g, r in left.iterrows())
        verdict = "differ" if p < self.alpha else "do not differ significantly"
        return [Headline(
            severity=3 if p < self.alpha else 2, section=ALL_EXITS,
            text=f"No hazard ratio against {ref} employees, the reference group: none of the "
            f"{int(t.at[ref, 'n']):,} {ref} employees left, while {who}; the retention curves "
            f"{verdict} (log-rank {p_text(p)}). Pass reference= to compare with a group that "
            "had exits.",
        )]

    def summary(self) -> str:
        lines = [f"Time to exit ({self.duration}, {self.time_unit}) by "
                 f"{' × '.join(self.group_columns)}"]
        lines.extend(self._rows_text())
        cols = ["group", "n", "exits", "median", "retention_at", "hazard_ratio", "p_value_cox"]
        lines.append(table_text(self.table[cols]))
        lines.append(f"Log-rank χ² = {self.logrank['statistic']:.4g} on "
                     f"{int(self.logrank['df'])} df, {p_text(self.logrank['p_value'])}.")
        if self.causes is not None:
            lines.append(f"By cause (cumulative incidence at {self.horizon:g} {self.time_unit}):")
            c = self.causes[["cause", "group", "exits", "incidence", "hazard_ratio",
                             "p_value_cox"]]
            lines.append(table_text(c))
        return self._summary_text(lines)


@explains_reference()
def time_to_exit(
    data: Any,
    *,
    group: str | Sequence[str],
    duration: str | None = None,
    event: str | None = None,
    cause: str | None = None,
    hire_date: str | None = None,
    exit_date: str | None = None,
    as_of: Any = None,
    time_unit: str = "months",
    horizon: float | None = None,
    reference: Any = None,
    voluntary: Sequence[str] = VOLUNTARY,
    involuntary: Sequence[str] = INVOLUNTARY,
    ties: str = "efron",
    confidence: float = 0.95,
    conf_type: str = "log-log",
    alpha: float = 0.05,
    min_n: int = 30,
    unknown_labels: Sequence[Any] = (),
    id: str | None = None,
) -> TimeToExitResult:
    """Compare how long groups stay: retention curves, log-rank, Cox, and causes of exit.

    Give the time each employee was observed either as ``duration=`` (e.g. months of tenure)
    with ``event=`` (left or still employed), or as ``hire_date=``/``exit_date=`` with
    ``as_of=`` (the data's snapshot date: those without an exit date are still employed then).

    - **Kaplan–Meier** retention curve per group (share still employed), the median time to
      exit, and the share still employed at ``horizon``; the **log-rank** test; a **Cox** model
      of exit with the hazard ratio of each group against the reference (the lowest exit rate
      per unit of time among groups large enough, the shared rule).
    - With ``cause=`` (read as voluntary, involuntary or other by the labels in
      ``voluntary=``/``involuntary=``): the **cumulative incidence** of each cause per group by
      Aalen–Johansen, with confidence intervals, and **cause-specific** Cox hazard ratios.

    Parameters
    ----------
    data : DataFrame
        One row per employee (pandas, polars, DuckDB ...). Never modified.
    group : str or list of str
        Group column(s).
    duration, event : str, optional
        Time observed (non-negative numbers) and whether it ended in an exit (yes/no).
    cause : str, optional
        Reason for each exit.
    hire_date, exit_date : str, optional
        Date columns, instead of ``duration``; ``exit_date`` is empty for those still employed.
    as_of : date or str, optional
        Snapshot date for ``hire_date``/``exit_date``: stayers are censored there, and exits
        after it are treated as still employed on it.
    time_unit : {"days", "weeks", "months", "years"}
        Unit of durations computed from dates, and the word used in findings.
    horizon : float, optional
        Time at which retention and cumulative incidence are reported (default: the median
        follow-up time, rounded).
    reference, ties, confidence, conf_type, alpha, min_n, unknown_labels
        As in :func:`fairhire.time_to_promotion` and :func:`fairhire.retention`.
    id : str, optional
        Employee id column. With it, an id on two rows (a rehire's two employment spells, a
        row duplicated by a join) is an error naming the ids and the fix: each person must be
        observed once. Rows excluded for a missing time or exit, and blank ids, are not
        compared. Without it the rows are not checked.

    Returns
    -------
    TimeToExitResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Negative durations, exit dates before hire dates, events that are not yes/no; an
        ``id`` on more than one row.
    InsufficientDataError
        No usable rows, fewer than two groups, or no exits.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0, exits=True)
    >>> tte = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
    ...                       cause="exit_type", horizon=60)
    >>> c = tte.causes.set_index(["cause", "group"])
    >>> round(float(c.loc[("voluntary", "Female"), "hazard_ratio"]), 2)
    1.44
    """
    group_cols = check_roles(group, duration=duration, event=event, cause=cause,
                             hire_date=hire_date, exit_date=exit_date, id=id)
    time_unit = check_choice(time_unit, "time_unit", list(DAYS_PER))
    confidence = check_confidence(confidence)
    min_n = check_min_n(min_n)
    check_choice(ties, "ties", list(ss.TIES))
    check_choice(conf_type, "conf_type", list(ss.CONF_TYPES))
    kinds = ExitKinds.from_options(voluntary, involuntary)
    dates = hire_date is not None or exit_date is not None
    if dates == (duration is not None):
        raise InvalidParameterError(
            "give the time observed either as duration= (with event=) or as hire_date= and "
            "exit_date= (with as_of=), not both or neither."
        )
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, duration=duration, event=event, cause=cause,
                    hire_date=hire_date, exit_date=exit_date, id=id)
    frame = numbers_from_objects(frame, [duration])
    cols = [c for c in (*group_cols, duration, event, cause, hire_date, exit_date, id) if c]
    df = collect_rows(frame, list(dict.fromkeys(cols)), analysis="time_to_exit")
    obs = observe(df, group_cols, duration=duration, event=event, cause=cause,
                   hire_date=hire_date, exit_date=exit_date, as_of=as_of, time_unit=time_unit,
                   kinds=kinds, unknown_labels=unknown_labels, ids=id)
    t, e, g, warnings = obs.t, obs.e, obs.g, obs.warnings
    horizon = float(horizon) if horizon is not None else float(np.round(np.median(t)))
    table, curves = _km(t, e, g, obs.groups, horizon, confidence, conf_type)
    ref = _reference(table, obs.groups, reference, min_n, warnings)
    lr = ss.logrank_test(t, e, g)
    table = _with_hazard_ratios(table, obs, ref, ties, confidence, alpha)
    causes = incidence = None
    if obs.c is not None:
        causes, incidence = _competing(t, e, g, obs.c, obs.groups, ref, horizon, ties,
                                       confidence, warnings)
    params = {"group": group_cols, "duration": duration, "event": event, "cause": cause,
              "hire_date": hire_date, "exit_date": exit_date,
              "as_of": None if as_of is None else str(as_of), "time_unit": time_unit,
              "horizon": horizon, "reference": reference, "ties": ties,
              "confidence": confidence, "conf_type": conf_type, "alpha": alpha, "min_n": min_n,
              "unknown_labels": list(as_labels(unknown_labels))}
    return TimeToExitResult(
        table=table.drop(columns=["person_time"]), curves=curves,
        logrank={"statistic": lr.statistic, "df": lr.df, "p_value": lr.p_value},
        causes=causes, incidence=incidence, group_columns=tuple(group_cols),
        duration=duration or f"{hire_date} to {exit_date}", time_unit=time_unit,
        horizon=horizon, reference_group=ref, confidence=confidence, alpha=alpha,
        fingerprint=_fingerprint(table, causes),
        warnings=tuple(dict.fromkeys(warnings)), rows=obs.rows, params=params,
    )


def _fingerprint(table: pd.DataFrame, causes: pd.DataFrame | None) -> str:
    """The survival table's fingerprint, and with ``cause=`` that of the exits per cause and
    group (a changed cause of exit changes them, not the survival table)."""
    own = fingerprint_frame(table.astype(str))
    if causes is None:
        return own
    return combine_fingerprints(own, fingerprint_frame(causes[["cause", "group", "exits"]]
                                                       .astype(str)))


def _reference(table: pd.DataFrame, groups: list[str], reference: Any, min_n: int,
               warnings: list[str]) -> str | None:
    """The shared reference rule on exits per unit of time (the lowest rate wins)."""
    rates = [x / p if p > 0 else math.nan
             for x, p in zip(table["exits"], table["person_time"], strict=True)]
    choice = choose_reference(groups, table["n"].tolist(), rates, reference=reference,
                              min_n=min_n, higher_is_better=False, what="exit rate")
    if choice.warning:
        warnings.append(choice.warning)
    return choice.label


def _with_hazard_ratios(table: pd.DataFrame, obs: Observed, ref: str | None, ties: str,
                        confidence: float, alpha: float) -> pd.DataFrame:
    """Add the reference columns, the Cox hazard ratios against it and the flag."""
    hr = _cox(obs.t, obs.e, obs.g, obs.groups, ref, ties, confidence, obs.warnings, ALL_EXITS)
    table["reference_group"] = ref
    table["is_reference"] = table["group"] == ref
    table = table.merge(hr, on="group", how="left")
    table.loc[table["is_reference"], "hazard_ratio"] = 1.0
    table["flagged"] = ((table["p_value_cox"] < alpha) & (table["hazard_ratio"] > 1)).fillna(False)
    return table


def _km(t: np.ndarray, e: np.ndarray, g: np.ndarray, groups: list[str], horizon: float,
        confidence: float, conf_type: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, curves = [], []
    for lab in groups:
        m = g == lab
        km = ss.kaplan_meier(t[m], e[m], confidence=confidence, conf_type=conf_type)
        status = ss.median_status(km, MIN_AT_RISK)
        rows.append({"group": lab, "n": km.n, "exits": km.n_events,
                     "censored": km.n - km.n_events, "person_time": math.fsum(t[m]),
                     "median": status.median, "median_note": status.note or "",
                     "median_ci_low": km.median_ci_low, "median_ci_high": km.median_ci_high,
                     "retention_at": float(km.at(horizon)[0])})
        curves.append(km.to_frame().assign(group=lab))
    curve = pd.concat(curves, ignore_index=True)
    return pd.DataFrame(rows), curve[["group", *[c for c in curve.columns if c != "group"]]]


def _cox(t: np.ndarray, e: np.ndarray, g: np.ndarray, groups: list[str], ref: str | None,
         ties: str, confidence: float, warnings: list[str], what: str) -> pd.DataFrame:
    cols = ["group", "hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"]
    others = [lab for lab in groups if lab != ref and (e[g == lab] == 1).any()]
    if ref is not None and others and int(e[g == ref].sum()) == 0:
        # the lowest exit rate wins the reference, so a group with no exits is picked exactly
        # when the gap is widest: say so, never a bare "no model"
        warnings.append(
            f"{what}: no hazard ratio against {ref}, the reference group: none of its "
            f"{int((g == ref).sum()):,} employees {'left' if what == ALL_EXITS else 'had ' + what}, "
            "and a rate of leaving against none has no finite ratio. Pass reference= to "
            "compare with a group that had exits.")
        return _floats(pd.DataFrame(columns=cols))
    if ref is None or not others:
        warnings.append(f"{what}: no Cox model (no exits in the reference group or others).")
        return _floats(pd.DataFrame(columns=cols))
    x = pd.DataFrame({lab: (g == lab).astype(float) for lab in others})
    try:
        fit = cox_ph(t, e, x, ties=ties, confidence=confidence)
    except (np.linalg.LinAlgError, ValueError) as exc:
        warnings.append(f"{what}: the Cox model failed ({exc}).")
        return _floats(pd.DataFrame(columns=cols))
    out = fit.to_frame().rename(columns={"term": "group", "ci_low": "hr_ci_low",
                                         "ci_high": "hr_ci_high", "p_value": "p_value_cox"})
    return _floats(out[cols])


def _floats(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p_value_cox"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def _competing(t: np.ndarray, e: np.ndarray, g: np.ndarray, c: np.ndarray, groups: list[str],
               ref: str | None, horizon: float, ties: str, confidence: float,
               warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    causes = sorted({k for k in c.tolist() if k is not None}, key=str)
    rows, curves = [], []
    for lab in groups:
        m = g == lab
        for k in causes:
            aj = cr.aalen_johansen(t[m], e[m], c[m], of=k, confidence=confidence)
            low, high = aj.ci_at(horizon)
            rows.append({"cause": k, "group": lab, "exits": aj.n_events,
                         "incidence": float(aj.at(horizon)[0]), "incidence_ci_low": float(low[0]),
                         "incidence_ci_high": float(high[0])})
            curves.append(aj.to_frame().drop(columns=["events_all", "survival"])
                          .assign(cause=k, group=lab))
    table = pd.DataFrame(rows)
    hrs = []
    for k in causes:
        ek = ((e == 1) & (c == k)).astype(np.int64)
        hrs.append(_cox(t, ek, g, groups, ref, ties, confidence, warnings, f"{k} exits")
                   .assign(cause=k))
    table = table.merge(pd.concat(hrs, ignore_index=True), on=["cause", "group"], how="left")
    table["reference_group"] = ref
    table.loc[table["group"] == ref, "hazard_ratio"] = 1.0
    curve = pd.concat(curves, ignore_index=True)
    lead = ["cause", "group"]
    return table, curve[[*lead, *[x for x in curve.columns if x not in lead]]]
