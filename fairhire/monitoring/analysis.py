"""``fh.monitor``: adverse impact audited period by period, with trends and alerts.

read (periods, flags, labels) → count (one group-by in the engine) → audit each period (the
public single-period analysis, see :mod:`~fairhire.monitoring.periodic`) → trends → alerts →
result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.labels import relabel_counts
from .._core.names import internal_names, rename_inputs
from .._core.options import Options, check_options, option_kwargs
from .._core.params import check_choice
from .._core.reference_rows import explains_reference
from .._core.strata import clean_strata
from .._frames import (
    as_columns,
    column_names,
    fingerprint_frame,
    require_columns,
    to_narwhals,
)
from .._results import RowAccount, jsonable
from ..errors import InsufficientDataError, InvalidParameterError
from ..impact.aggregate import exclusion_warnings
from ..impact.in_process import leave_out_open, with_open_rows
from .alerts import find_alerts, wording_for
from .counts import Outcome, WideCounts, check_outcome, count_outcomes
from .periodic import (
    LEFT_OUT,
    PERIOD,
    audit_funnel_periods,
    audit_promotion_periods,
    period_filters,
    period_warnings,
    stack,
)
from .periods import (
    PeriodColumn,
    PeriodLabels,
    far_periods,
    label_periods,
    read_period_column,
)
from .result import MonitorResult
from .trends import reference_note, stage_counts, trend_table

__all__ = ["monitor"]


#: The options each period's audit (:func:`fairhire.adverse_impact_from_counts`) is given.
ENGINE_OPTIONS = ("reference", "threshold", "adjust", "alpha", "confidence", "min_share", "min_n")


def _check_promotion(strata_cols: list[str], options: Options) -> None:
    """With promoted=, each period goes to promotion_disparity: only what it accepts."""
    if len(strata_cols) > 1:
        raise InvalidParameterError(
            f"with promoted=, give at most one strata= column (it stratifies each period's "
            f"promotion comparison, as level= does in promotion_disparity); got {strata_cols}."
        )
    if options.unknown_labels:
        raise InvalidParameterError(
            "unknown_labels= is not available with promoted=: leave the unknown values empty "
            "in the export, and they are counted as missing."
        )


def _check_roles(period: Any, group_cols, strata_cols, outcome: Outcome) -> None:
    if not isinstance(period, str):
        raise InvalidParameterError(f"period= must be one column name; got {period!r}.")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    roles = [period, *group_cols, *strata_cols, *outcome.read]
    repeated = sorted({c for c in roles if roles.count(c) > 1})
    if repeated:
        raise InvalidParameterError(
            f"{repeated} used in two roles among period=, group=, strata= and the outcome "
            "columns; each role needs its own column."
        )
    clash = ({*outcome.labels, PERIOD} & {*group_cols, *strata_cols}) | ({"period"} & {*group_cols})
    if clash:
        raise InvalidParameterError(
            f"{sorted(clash)} is both a group/strata column and the name of a stage or of the "
            "period column in the results; rename the column."
        )


def _by_period(
    counts: WideCounts, labels: PeriodLabels, key_cols: Sequence[str], back: dict[str, str],
    group_cols: list[str], options: Options,
) -> tuple[pd.DataFrame, int, list[str]]:
    """Counts per (period, group, strata) under the user's column names, with clean group
    and stratum labels (in column ``PERIOD``); rows with a missing period are counted and dropped."""
    table = counts.table.copy()
    missing = labels.labels.isna().to_numpy()
    n_missing = int(table.loc[missing, counts.applied].sum())
    table = table.loc[~missing].drop(columns=list(key_cols)).rename(columns=back)
    table.insert(0, PERIOD, labels.labels[~missing].to_numpy())
    count_cols = [counts.applied, *counts.stages]
    table, cleanings = relabel_counts(
        table, group_cols, count_columns=count_cols, weight=counts.applied,
        unknown_labels=options.unknown_labels,
    )
    strata = {c: c for c in back.values() if c not in group_cols}
    table, strata_warnings = clean_strata(table, strata, count_columns=count_cols,
                                          weight=counts.applied)
    keys = [c for c in table.columns if c not in count_cols]
    table = table.groupby(keys, dropna=False, sort=False)[count_cols].sum().reset_index()
    for c in keys:
        table[c] = table[c].astype(object).where(table[c].notna(), None)
    warnings = [w for c in cleanings.values() for w in c.warnings()] + strata_warnings
    return table, n_missing, warnings


@explains_reference()
def monitor(
    data: Any,
    *,
    period: str,
    group: str | Sequence[str],
    stages: str | Sequence[str] | None = None,
    stage_column: str | None = None,
    stage_order: Sequence[Any] | None = None,
    in_process: Mapping[str, Any] | None = None,
    promoted: str | None = None,
    freq: str | None = None,
    period_order: Sequence[Any] | None = None,
    strata: str | Sequence[str] | None = None,
    reference: Any = None,
    threshold: float | Fraction | str = 0.8,
    alpha: float = 0.05,
    adjust: str = "holm",
    confidence: float = 0.95,
    min_share: float | None = None,
    min_n: int = 30,
    on_inconsistent: str = "raise",
    unknown_labels: Sequence[Any] = (),
) -> MonitorResult:
    """Monitor adverse impact over time: every period's audit, the trends and the alerts.

    Each period (a month, quarter or year of a date column with ``freq=``, or each value of a
    column of period labels) is audited exactly as :func:`fairhire.adverse_impact` audits it
    (or, with ``promoted=``, as :func:`fairhire.promotion_disparity` compares promotion rates).
    Then, per stage and group, against one reference group for the whole run:

    - the **trend**: a logistic regression of selection on group, period (as a number) and
      group × period; its interaction is the change per period in the log odds ratio;
    - **alerts**: the period in which a group first fell below the threshold with an adjusted
      p-value below ``alpha``; a significant change in the impact ratio from the group's
      previous period (the difference of log impact ratios); and a flag that cleared.

    p-values of trends, "fell below" alerts and changes are each adjusted over the whole run
    (``adjust=``, Holm by default), so a long run does not raise false alarms by chance.

    Parameters
    ----------
    data : DataFrame
        One row per applicant (or employee), in any engine narwhals supports. Never modified.
    period : str
        Column of dates (with ``freq=``) or of period labels.
    group : str or list of str
        Group column, or several for intersectional groups.
    stages, stage_column, stage_order, in_process
        The hiring funnel, and the applications still open, as in
        :func:`fairhire.adverse_impact`.
    promoted : str, optional
        Instead of a funnel: a yes/no promotion column.
    freq : {"M", "Q", "Y"}, optional
        Bucket a date column into months, quarters or years.
    period_order : sequence, optional
        Period labels in time order (default: natural order).
    strata, reference, threshold, alpha, adjust, confidence, min_share, min_n, \
on_inconsistent, unknown_labels
        As in :func:`fairhire.adverse_impact`; ``alpha`` and ``adjust`` also govern the alerts
        and the direction of trends. With ``promoted=``, ``strata`` takes at most one column
        (``level=`` of :func:`fairhire.promotion_disparity`), and ``unknown_labels`` is not
        available.

    Returns
    -------
    MonitorResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidParameterError
        Bad options, ``freq=`` on a column that holds no dates, a date column without
        ``freq=``.
    InvalidValueError
        Text that does not read as dates (the error names the rows), stage values that are
        not yes/no, an inconsistent funnel.
    InsufficientDataError
        No rows, or fewer than two periods.

    Examples
    --------
    >>> import fairhire as fh
    >>> df = fh.datasets.make_hiring_funnel(
    ...     20_000, periods=8, random_state=3,
    ...     drift={"stage": "screened", "column": "sex", "group": "Female",
    ...            "multiplier": 0.6, "from_period": 5})
    >>> mon = fh.monitor(df, period="applied_on", freq="Q", group="sex",
    ...                  stages=["screened", "interviewed", "offered", "hired"], min_share=0.03)
    >>> mon.periods[0], mon.periods[-1]
    ('2024-Q1', '2025-Q4')
    >>> first = mon.alerts.loc[mon.alerts.stage == "screened"].iloc[0]
    >>> first.period, first.alert
    ('2025-Q1', 'fell below')
    """
    group_cols = as_columns(group, argument="group")
    strata_cols = as_columns(strata, argument="strata")
    outcome = check_outcome(
        stages=stages, stage_column=stage_column, stage_order=stage_order, promoted=promoted
    )
    options = check_options(
        threshold=threshold, reference=reference, alpha=alpha, adjust=adjust,
        confidence=confidence, min_share=min_share, min_n=min_n, unknown_labels=unknown_labels,
    )
    on_inconsistent = check_choice(on_inconsistent, "on_inconsistent", ["raise", "exclude"])
    _check_roles(period, group_cols, strata_cols, outcome)
    if outcome.promoted is not None:
        _check_promotion(strata_cols, options)
    frame = to_narwhals(data)
    require_columns(
        frame, period=period, group=group_cols, strata=strata_cols, stages=list(outcome.stages),
        stage_column=outcome.stage_column, promoted=outcome.promoted,
    )
    if in_process is not None and outcome.promoted is not None:
        raise InvalidParameterError("in_process= leaves open applications out of a hiring "
                                    "funnel; it does not apply with promoted=.")
    frame, n_open = leave_out_open(frame, in_process)
    # every column read gets an internal name: no user column name can meet ours
    renamed = rename_inputs({"period": [period], "key": [*group_cols, *strata_cols],
                             "stage": list(outcome.read)})
    work = frame.select(*(nw.col(user).alias(name) for user, name in renamed.items()))
    names = internal_names(["year", "month"], [*renamed.values(), *column_names(frame)])
    spec = read_period_column(frame, period, freq, source=renamed[period],
                              year_name=names["year"], month_name=names["month"])
    work = work.with_columns(*spec.exprs) if spec.exprs else work
    keys = [*spec.keys, *(renamed[c] for c in (*group_cols, *strata_cols))]
    counts = with_open_rows(count_outcomes(work, source=frame, keys=keys, outcome=outcome,
                                           renamed=renamed, on_inconsistent=on_inconsistent),
                            n_open)
    if counts.total_rows == 0:
        raise InsufficientDataError("the data have no rows: nothing to monitor.")
    labels = label_periods(counts.table, spec, weight=counts.applied, frame=frame,
                           period_order=period_order)
    filters = {}
    if outcome.promoted is not None:  # each period's rows, selected by their raw keys
        raw = counts.table[list(spec.keys)].rename(columns={renamed[period]: period})
        filters = period_filters(raw, labels.labels, spec.kind)
    back = {renamed[c]: c for c in (*group_cols, *strata_cols)}
    table, n_missing, warnings = _by_period(counts, labels, spec.keys, back, group_cols, options)
    run = Run(
        spec=spec, outcome=outcome, options=options, on_inconsistent=on_inconsistent,
        group_cols=group_cols,
        strata_cols=strata_cols, counts=counts, labels=labels, table=table,
        n_missing=n_missing, warnings=labels.warnings + warnings, period_order=period_order,
        frame=_with_date_keys(frame, spec, period), filters=filters, in_process=in_process,
    )
    return _result(run)


def _with_date_keys(frame: Any, spec: PeriodColumn, period: str) -> Any:
    """The user's frame with a date column's year and month under the run's key names."""
    if spec.kind != "date":
        return frame
    year, month = spec.keys
    return frame.with_columns(nw.col(period).dt.year().alias(year),
                              nw.col(period).dt.month().alias(month))


@dataclass(frozen=True)
class Run:
    """Everything read and counted, ready for the per-period audits."""

    spec: PeriodColumn
    outcome: Outcome
    options: Options
    on_inconsistent: str
    group_cols: list[str]
    strata_cols: list[str]
    counts: WideCounts
    labels: PeriodLabels
    table: pd.DataFrame  # counts per (PERIOD, group, strata), clean labels
    n_missing: int
    warnings: list[str]
    period_order: Sequence[Any] | None
    frame: Any  # the user's frame (promotion: each period's rows are read from it)
    filters: dict[Any, Any]  # promotion: period -> expression selecting its rows
    in_process: Any = None  # the open applications left out before counting


def _audit(run: Run, order: tuple) -> tuple[dict[Any, Any], dict[str, list[Any]], dict]:
    """Each period through the public single-period analysis."""
    engine = option_kwargs(run.options, ENGINE_OPTIONS)
    if run.outcome.promoted is None:
        return audit_funnel_periods(
            run.table, order, applied=run.counts.applied, stages=run.counts.stages,
            group_cols=run.group_cols, strata_cols=run.strata_cols, engine=engine,
        )
    return audit_promotion_periods(
        run.frame, run.filters, order, group_cols=run.group_cols,
        promoted=run.outcome.promoted, strata_cols=run.strata_cols, engine=engine,
    )


def _unknown(results: dict[Any, Any]) -> pd.DataFrame:
    # promotion names its counts employees and promoted; one name for every run
    names = {"employees": "applicants", "promoted": "selected"}
    return stack(results, "unknown").rename(columns=names)


def _result(run: Run) -> MonitorResult:
    """Audit each period, then the trends, the alerts and the row account."""
    options, period = run.options, run.spec.column
    present = set(run.table[PERIOD])
    order = _need_two(tuple(p for p in run.labels.order if p in present), period)
    results, notes, skipped = _audit(run, order)
    order = _need_two(tuple(p for p in order if p in results), period, notes)
    warnings = list(run.warnings)
    if run.n_missing:
        warnings.append(f"{run.n_missing:,} rows have a missing {period!r}: excluded and counted.")
    warnings += period_warnings(results, notes)
    table = stack(results, "table")
    numbers = {p: run.labels.numbers[p] - run.labels.numbers[order[0]] for p in order}
    freq = run.spec.freq or run.labels.unit  # quarter labels are quarters too
    warnings += far_periods(order, numbers, period, freq)
    by_stage = stage_counts(table, order)
    trends, references, notes_ = trend_table(by_stage, order, numbers, options)
    note = reference_note(table, order, references)
    warnings += notes_ + ([note] if note and options.reference is None else [])
    wording = wording_for(promotion=run.outcome.promoted is not None, freq=freq,
                          alpha=options.alpha, threshold=float(options.threshold))
    alerts = find_alerts(table, trends, by_stage, order, options, wording)
    rows = _rows(run, results, skipped, warnings)
    return MonitorResult(
        table=table, trends=trends, alerts=alerts, unknown=_unknown(results),
        strata=stack(results, "strata") if run.strata_cols else None, periods=order,
        period_numbers=numbers, references=references, group_columns=tuple(run.group_cols),
        stages=run.counts.stages, freq=freq, threshold=float(options.threshold),
        alpha=options.alpha, fingerprint=fingerprint_frame(run.table),
        warnings=tuple(dict.fromkeys(warnings)), rows=rows, params=_params(run),
    )


def _rows(run: Run, results: dict[Any, Any], skipped: dict[str, int],
          warnings: list[str]) -> RowAccount:
    """Rows used and excluded: missing periods and (for a funnel) missing or inconsistent stage
    values counted by the run, then whatever each period's analysis excluded."""
    excluded: dict[str, int] = {"missing period": run.n_missing}
    if run.outcome.promoted is None:  # promotion_disparity counts its own missing outcomes
        excluded.update(run.counts.excluded)
        warnings += exclusion_warnings(run.counts.excluded)  # as adverse_impact says them
    for result in results.values():
        for reason, n in result.rows.excluded.items():
            excluded[reason] = excluded.get(reason, 0) + n
    for reason, n in skipped.items():
        excluded[reason] = excluded.get(reason, 0) + n
    unknown = excluded.get("missing group", 0)
    if unknown:
        warnings.append(
            f"{unknown:,} rows have a missing or unknown group: counted in the unknown table, not "
            "compared."
        )
    excluded = {k: v for k, v in excluded.items() if v}
    total = run.counts.total_rows
    return RowAccount.of(total, excluded)


def _need_two(order: tuple, period: str, left_out: dict[str, list[Any]] | None = None) -> tuple:
    """``order`` when it has two periods or more; otherwise the error, with the reasons the
    other periods were left out (one group only, say) when there are any."""
    if len(order) >= 2:
        return order
    only = f" ({order[0]})" if order else ""
    head = (f"{'no period' if not order else f'only 1 period{only}'} in {period!r} has groups "
            "to compare: monitoring compares periods, so at least two are needed.")
    if left_out:
        reasons = " ".join(f"In {', '.join(map(str, ps))}: {why.removesuffix(LEFT_OUT).strip()}"
                           for why, ps in left_out.items())
        raise InsufficientDataError(f"{head} {reasons}")
    raise InsufficientDataError(
        f"{head} Use a shorter freq= (e.g. 'M'), more data, or adverse_impact() for a single "
        "period."
    )


def _params(run: Run) -> dict[str, Any]:
    o, outcome = run.options, run.outcome
    return {
        "period": run.spec.column, "freq": run.spec.freq,
        "period_order": None if run.period_order is None else list(run.period_order),
        "group": run.group_cols, "stages": list(outcome.stages) or None,
        "stage_column": outcome.stage_column,
        "stage_order": list(outcome.stage_order) or None, "promoted": outcome.promoted,
        "strata": run.strata_cols, "reference": o.reference, "threshold": str(o.threshold),
        "alpha": o.alpha, "adjust": o.adjust, "confidence": o.confidence,
        "min_share": o.min_share, "min_n": o.min_n, "on_inconsistent": run.on_inconsistent,
        "unknown_labels": list(o.unknown_labels), "in_process": jsonable(run.in_process),
    }
