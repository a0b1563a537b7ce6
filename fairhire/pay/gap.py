"""Raw and adjusted pay gaps between groups, overall and within pay-analysis groupings.

The raw gap is the UK/EU statutory convention: (reference's pay − group's pay) / reference's pay
× 100, for the mean and the median; positive means the reference group is paid more. The
adjusted gap comes from an OLS regression of log pay on group indicators and legitimate
controls: a group's coefficient β means its pay is exp(β) times a comparable reference
employee's, so the adjusted gap in the same convention is (1 − exp(β)) × 100 (with
``log=False``, −β in currency units). See ``docs/methods/pay.md``.

The entry point reads the data (:mod:`._rows`, :mod:`._groups`, :mod:`._values`), fits the
overall model (:mod:`.fitting`), the cells of ``within=`` (:mod:`.within`) and the model
without tainted controls, lists outliers (:mod:`.outliers`) and builds the
:class:`~fairhire.pay.gap_result.PayGapResult`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.ids import check_unique_row_ids
from .._core.labels import as_labels
from .._core.numbers import numbers_as_categories_in
from .._core.options import implemented_by
from .._core.params import (
    check_alpha,
    check_among,
    check_bool,
    check_choice,
    check_confidence,
    check_int,
    check_number,
)
from .._core.reference_rows import explains_reference
from .._core.strata import clean_category_columns
from .._deprecation import renamed_argument
from .._frames import as_columns
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidParameterError
from ..stats.regression import COV_TYPES
from ._groups import GroupCodes, clean_column, group_codes
from ._rows import (
    RowFilter,
    collect,
    drop_masked,
    drop_missing,
    row_fingerprint,
)
from ._values import check_pay
from .fitting import (
    Settings,
    coefficient_table,
    design_for,
    fit_overall,
    scope_rows,
    tainted_comparison,
)
from .gap_result import TABLE_COLUMNS, PayGapResult, PayModel
from .outliers import outlier_table
from .within import within_rows

__all__ = ["PayGapResult", "pay_gap"]


@dataclass(frozen=True)
class _Options:
    pay: str
    group: str
    reference: Any
    controls: list[str]  # with the tainted ones
    within: list[str]
    tainted: list[str]
    cluster: str | None
    id: str | None
    missing: str
    unknown_labels: tuple[Any, ...]
    outlier_threshold: float
    settings: Settings


@dataclass
class _Rows:
    """The analysed rows: their frame, pay, groups, model outcome and row account."""

    frame: pd.DataFrame
    pay: np.ndarray
    y: np.ndarray
    groups: GroupCodes
    clusters: np.ndarray | None
    positions: np.ndarray
    filter: RowFilter
    warnings: list[str]


def _options(
    *,
    pay: str,
    group: str,
    reference: Any,
    controls: Any,
    log: Any,
    cov_type: Any,
    within: Any,
    tainted: Any,
    cluster: Any,
    categorical: Any,
    id: Any,
    min_n: Any,
    outlier_threshold: Any,
    missing: Any,
    confidence: Any,
    alpha: Any,
    absorb_threshold: Any,
    unknown_labels: Any,
    min_group_size: Any,
) -> _Options:
    """Every option of :func:`pay_gap` checked once, at the boundary."""
    min_n = renamed_argument("pay_gap", "min_group_size", "min_n", min_group_size, min_n, 5)
    controls_l = as_columns(controls, argument="controls")
    within_l = as_columns(within, argument="within")
    tainted_l = as_columns(tainted, argument="tainted")
    model_controls = controls_l + [t for t in tainted_l if t not in controls_l]
    check_choice(cov_type, "cov_type", COV_TYPES)
    if cov_type == "cluster" and cluster is None:
        raise InvalidParameterError(
            "cov_type='cluster' needs cluster= (a column such as the manager or team)."
        )
    for col in (pay, group):
        if col in model_controls or col in within_l:
            raise InvalidParameterError(
                f"column {col!r} is the pay or group column and cannot also be a control or "
                "grouping."
            )
    settings = Settings(
        group=group,
        log=check_bool(log, "log"),
        cov_type=cov_type,
        alpha=check_alpha(alpha),
        confidence=check_confidence(confidence),
        min_n=check_int(min_n, "min_n", low=2),
        categorical=tuple(check_among(as_columns(categorical, argument="categorical"),
                                      model_controls, "categorical", "controls")),
        absorb_threshold=check_int(absorb_threshold, "absorb_threshold", low=1, allow_none=True),
    )
    return _Options(
        pay=pay,
        group=group,
        reference=reference,
        controls=model_controls,
        within=within_l,
        tainted=tainted_l,
        cluster=cluster,
        id=id,
        missing=check_choice(missing, "missing", ("exclude", "raise")),
        unknown_labels=as_labels(unknown_labels),
        outlier_threshold=check_number(outlier_threshold, "outlier_threshold", low=0),
        settings=settings,
    )


def _pay_gap(data: Any, *, opts: _Options) -> PayGapResult:
    """The work of :func:`pay_gap`, its options checked (:func:`_options`)."""
    return _analyse(_read(data, opts), opts)


@explains_reference()
@implemented_by(_pay_gap, opts=_options)
def pay_gap(
    data: Any,
    *,
    pay: str,
    group: str,
    reference: Any = None,
    controls: str | Sequence[str] = (),
    log: bool = True,
    cov_type: str = "HC3",
    within: str | Sequence[str] | None = None,
    tainted: str | Sequence[str] = (),
    cluster: str | None = None,
    categorical: str | Sequence[str] = (),
    id: str | None = None,
    min_n: int = 5,
    outlier_threshold: float = 2.5,
    missing: str = "exclude",
    confidence: float = 0.95,
    alpha: float = 0.05,
    absorb_threshold: int | None = 50,
    unknown_labels: Sequence[Any] = (),
    min_group_size: int | None = None,
) -> PayGapResult:
    """Raw and adjusted pay gaps of each group against a reference group.

    Parameters
    ----------
    data : data frame
        Anything :func:`fairhire._frames.to_narwhals` accepts (pandas, polars eager or lazy,
        pyarrow, DuckDB ...), one row per employee. The columns the analysis needs are
        collected to pandas: the regression needs row-level data.
    pay : str
        Pay column (e.g. annual salary, hourly pay).
    group : str
        Group column (sex, race/ethnicity ...). Labels that differ only in case or spaces are
        merged under the most frequent spelling, with a warning; missing values (and
        ``unknown_labels``) are excluded and counted. Values are taken as they are: ``M`` and
        ``F`` stay ``M`` and ``F`` (only the statutory metrics' ``sex=`` reads sex spellings).
    reference : optional
        Reference group (a label or value). Default, the shared rule: the group with the
        highest mean pay among the groups with at least ``min_n`` employees and 2% of them
        (ties: the largest); smaller groups are still compared, marked ``too_small_for_reference``.
    controls : str or list of str
        Legitimate pay factors (level, job family, location, tenure ...). Text and categorical
        columns are expanded into dummies (first level in sorted order as the base); numeric
        columns are used as they are (list integer codes in ``categorical=`` to expand them).
    log : bool, default True
        Model log pay (gaps in percent). ``False`` models pay in currency units.
    cov_type : {"HC3", "HC1", "HC2", "HC0", "nonrobust", "cluster"}, default "HC3"
        Standard errors. Conclusions can change between them, so results say which was used.
    within : str or list of str, optional
        Pay-analysis groupings of similarly situated employees (``"job_family"``, or
        ``["level", "job_family"]`` for every level × family cell): the gaps are also computed
        within each cell, with the remaining controls. Cells where a group is missing or too
        small are reported as not testable.
    tainted : str or list of str
        Controls that may themselves carry the disparity being measured (performance ratings,
        level): the overall gap is also shown without them. They are added to ``controls`` if
        not already there.
    cluster : str, optional
        Cluster column for ``cov_type="cluster"`` (e.g. manager or team).
    categorical : str or list of str
        Numeric controls to treat as categorical.
    id : str, optional
        Employee identifier shown in the outlier list. An ID on two rows still in the analysis
        (a payroll export with a row per pay period) is an error naming the IDs.
    min_n : int, default 5
        Smallest group whose figures are treated as stable: groups (and reference groups) with
        fewer employees in a scope are not tested, and a group needs at least this many (and 2%
        of the employees) to be the default reference.
    outlier_threshold : float, default 2.5
        Employees whose studentized residual is at or below minus this are listed as outliers.
    missing : {"exclude", "raise"}, default "exclude"
        Rows with a missing pay, group, control, grouping or cluster value are excluded and
        counted by reason (``result.rows``), or raise an error.
    confidence : float, default 0.95
        Confidence level of the intervals.
    alpha : float, default 0.05
        Significance level: a gap is flagged when the p-value of its coefficient is below it
        (two-sided t test, with the chosen standard errors).
    absorb_threshold : int or None, default 50
        A categorical control with more levels than this (e.g. 200 level × family cells) is
        absorbed as fixed effects instead of dummy columns: same estimates, far less memory.
    unknown_labels : list, optional
        Group values that mean "unknown" (e.g. ``["Prefer not to say"]``): excluded and
        counted like missing values.
    min_group_size : int, optional
        The old name of ``min_n`` (works for one more release, with a FutureWarning).

    Returns
    -------
    PayGapResult

    Raises
    ------
    ColumnError
        A named column is missing, or pay is not numeric.
    InvalidValueError
        Zero or negative pay with ``log=True``; pay of 1e15 or more; missing values with
        ``missing="raise"``; controls collinear with the group or with each other (named).
    InsufficientDataError
        A single group, or too few rows for the controls.

    Examples
    --------
    >>> import fairhire as fh
    >>> wf = fh.datasets.make_workforce(3000, random_state=2)
    >>> gap = fh.pay_gap(wf, pay="salary", group="sex",
    ...                  controls=["level", "job_family", "location", "tenure_years"])
    >>> gap.reference_group
    'Male'
    >>> row = gap.overall.set_index("group").loc["Female"]
    >>> bool(row.mean_gap_pct > row.adjusted_gap > 0), bool(row.flagged)
    (True, True)
    >>> gap.rows.excluded
    {'missing group (sex)': 30}
    """


def _analyse(rows: _Rows, opts: _Options) -> PayGapResult:
    """The overall model, the cells, the model without tainted controls, the outliers."""
    settings = opts.settings
    design, columns = design_for(
        rows.frame, rows.groups.codes, rows.groups, opts.controls, settings, drop_constant=False
    )
    fit = fit_overall(rows.y, design, columns, settings, rows.clusters)
    assert fit.fit is not None
    groups = rows.groups
    table_rows = scope_rows("overall", "all", rows.pay, groups.codes, groups, fit, settings)
    warnings = rows.warnings + list(fit.fit.notes)
    if design.absorbed:
        warnings.append(
            f"{design.absorbed} ({len(design.absorb_levels)} categories) was absorbed as fixed "
            "effects: its coefficients are not listed."
        )
    if opts.within:
        warnings += _overlap_warning(opts)
        table_rows += within_rows(
            rows.frame,
            rows.y,
            rows.pay,
            groups,
            opts.within,
            opts.controls,
            settings,
            rows.clusters,
        )
    tainted = None
    if opts.tainted:
        base = [c for c in opts.controls if c not in opts.tainted]
        tainted = tainted_comparison(
            rows.frame,
            rows.y,
            rows.pay,
            groups,
            base,
            opts.tainted,
            settings,
            rows.clusters,
            table_rows,
        )
        warnings.append(
            f"{', '.join(opts.tainted)} may itself carry the disparity being measured; compare "
            "the gap with and without it (tainted_comparison)."
        )
    ids = rows.frame[opts.id].to_numpy() if opts.id else None
    outliers = outlier_table(
        fit.fit,
        rows.pay,
        groups,
        rows.positions,
        ids,
        log=settings.log,
        threshold=opts.outlier_threshold,
    )
    model = PayModel(
        pay=rows.pay,
        X=design.X,
        names=list(design.names),
        group_columns=fit.columns,
        groups=groups,
        log=settings.log,
        cov_type=settings.cov_type,
        clusters=rows.clusters,
        absorb_codes=design.absorb_codes,
        fit=fit.fit,
        positions=rows.positions,
        ids=ids,
        alpha=settings.alpha,
    )
    return _result(rows, opts, table_rows, model, outliers, tainted, design.absorbed, warnings)


def _read(data: Any, opts: _Options) -> _Rows:
    """Collect the columns, exclude (and count) missing values, read pay and groups."""
    frame, total = collect(data, analysis="pay_gap", numbers=("pay", "controls"), pay=opts.pay,
                           group=opts.group, controls=opts.controls, within=opts.within,
                           cluster=opts.cluster, id=opts.id)
    rows = RowFilter(total)
    drop_missing(frame, rows, {opts.pay: "pay"}, missing=opts.missing)
    labels = clean_column(frame[opts.group], opts.group, opts.unknown_labels)
    drop_masked(rows, labels.missing, opts.group, "group", missing=opts.missing)
    roles = {c: "control" for c in opts.controls}
    roles.update({c: "grouping" for c in opts.within if c not in roles})
    if opts.cluster:
        roles.setdefault(opts.cluster, "cluster")
    drop_missing(frame, rows, roles, missing=opts.missing)
    if opts.id:
        check_unique_row_ids(frame, opts.id, rows.keep, analysis="pay_gap")  # rows still in
    if rows.used == 0:
        raise InsufficientDataError(
            f"no rows are left after excluding missing values ({rows.excluded}). Check the "
            "columns passed."
        )
    checked = check_pay(
        frame[opts.pay], opts.pay, positive=opts.settings.log, where=rows.keep, groups=labels.codes
    )
    positions = np.flatnonzero(rows.keep)
    pay = checked.values[positions]
    groups = group_codes(
        labels.values[positions],
        pay,
        opts.group,
        reference=opts.reference,
        min_n=opts.settings.min_n,
        factorized=labels.factorized(positions),
    )
    sub = frame.iloc[positions].reset_index(drop=True)
    # "Sales" and "sales " are one category of a control, one cell, one cluster
    sub, merged = clean_category_columns(
        sub, [*opts.controls, *opts.within, *([opts.cluster] if opts.cluster else [])])
    warnings = [*labels.warnings, *checked.warnings, *merged]
    warnings += numbers_as_categories_in(
        sub, [c for c in opts.controls if c not in opts.settings.categorical], argument="controls")
    if groups.choice.warning:
        warnings.append(groups.choice.warning)
    warnings += groups.small_warning(opts.settings.min_n) + rows.warning()
    return _Rows(
        frame=sub,
        pay=pay,
        y=np.log(pay) if opts.settings.log else pay,
        groups=groups,
        clusters=sub[opts.cluster].to_numpy() if opts.cluster else None,
        positions=positions,
        filter=rows,
        warnings=warnings,
    )


def _overlap_warning(opts: _Options) -> list[str]:
    overlap = [c for c in opts.within if c in opts.controls]
    if not overlap:
        return []
    return [
        f"{', '.join(overlap)} is both a control and a grouping: within each cell it is "
        "constant and left out of the cell's model."
    ]


def _table(table_rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = pd.DataFrame(table_rows)
    for col in TABLE_COLUMNS:
        if col not in table.columns:
            table[col] = np.nan
    table = table[list(TABLE_COLUMNS)]
    table["note"] = table["note"].astype(object).where(table["note"].notna(), "")
    for col in ("flagged", "testable", "too_small_for_reference"):
        table[col] = table[col].fillna(False).astype(bool)
    # the name this column had in 0.1.0 (it meant this); kept so existing code keeps working
    table["small_sample"] = table["too_small_for_reference"]
    return table


def _result(
    rows: _Rows,
    opts: _Options,
    table_rows: list[dict[str, Any]],
    model: PayModel,
    outliers: pd.DataFrame,
    tainted: pd.DataFrame | None,
    absorbed: str | None,
    warnings: list[str],
) -> PayGapResult:
    settings = opts.settings
    used = list(dict.fromkeys([opts.pay, *opts.controls, *opts.within]))
    # the labels as a categorical: hashed once per label, not once per row
    labels = pd.Categorical.from_codes(rows.groups.codes, categories=list(rows.groups.labels))
    inputs = rows.frame[used].assign(**{opts.group: labels})
    params = {
        "pay": opts.pay,
        "group": opts.group,
        "reference": rows.groups.reference,
        "controls": opts.controls,
        "within": opts.within,
        "tainted": opts.tainted,
        "log": settings.log,
        "cov_type": settings.cov_type,
        "cluster": opts.cluster,
        "categorical": list(settings.categorical),
        "min_n": settings.min_n,
        "outlier_threshold": opts.outlier_threshold,
        "missing": opts.missing,
        "confidence": settings.confidence,
        "alpha": settings.alpha,
        "absorb_threshold": settings.absorb_threshold,
        "unknown_labels": list(opts.unknown_labels),
    }
    return PayGapResult(
        pay=opts.pay,
        group=opts.group,
        reference_group=rows.groups.reference,
        groups=rows.groups.labels,
        controls=tuple(opts.controls),
        within=tuple(opts.within),
        log=settings.log,
        cov_type=settings.cov_type,
        confidence=settings.confidence,
        alpha=settings.alpha,
        table=_table(table_rows),
        coefficients=coefficient_table(model.fit, settings.confidence),
        outliers=outliers,
        fingerprint=row_fingerprint(inputs),
        tainted_comparison=tainted,
        absorbed=absorbed,
        model=model,
        warnings=tuple(warnings),
        rows=RowAccount(total=rows.filter.n, used=rows.filter.used, excluded=rows.filter.excluded),
        params=params,
    )
