"""Raw and adjusted pay gaps between groups, overall and within pay-analysis groupings.

The raw gap is the UK/EU statutory convention: (reference's pay − group's pay) / reference's pay
× 100, for the mean and the median; positive means the reference group (men, for a sex column)
is paid more. The adjusted gap comes from an OLS regression of log pay on group indicators and
legitimate controls: a group's coefficient β means its pay is exp(β) times a comparable
reference employee's, so the adjusted gap in the same convention is (1 − exp(β)) × 100 (with
``log=False``, −β in currency units). See ``docs/methods/pay.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._frames import as_columns
from .._results import Headline, Result, RowAccount, jsonable
from ..errors import InsufficientDataError, InvalidParameterError
from ..stats.regression import COV_TYPES, CollinearityError, OLSFit, fit_ols
from ._design import (
    Design,
    GroupCodes,
    RowFilter,
    build_design,
    check_pay,
    collect,
    describe_collinearity,
    drop_missing,
    read_groups,
)

__all__ = ["PayGapResult", "pay_gap"]

SEPARATOR = " × "
#: Columns of :attr:`PayGapResult.table`.
TABLE_COLUMNS = (
    "scope", "cell", "group", "reference_group", "n", "n_reference",
    "mean_pay", "mean_pay_reference", "median_pay", "median_pay_reference",
    "mean_gap_pct", "median_gap_pct", "coef", "std_error", "t", "p_value",
    "adjusted_gap", "ci_low", "ci_high", "adjusted_gap_pct", "units",
    "flagged", "testable", "note",
)  # fmt: skip


@dataclass(eq=False)
class PayModel:
    """What :func:`~fairhire.pay.remediation.pay_remediation` needs to refit the overall model.

    Holds the row-level design matrix and pay of the analysed employees (kept out of
    ``to_dict()`` and reports).
    """

    pay: np.ndarray
    X: np.ndarray
    names: list[str]
    group_columns: dict[str, int]  # group label -> column of X
    groups: GroupCodes
    log: bool
    cov_type: str
    clusters: np.ndarray | None
    absorb_codes: np.ndarray | None
    fit: OLSFit
    positions: np.ndarray  # row positions in the caller's data
    ids: np.ndarray | None

    def refit(self, pay: np.ndarray) -> OLSFit:
        y = np.log(pay) if self.log else pay
        return fit_ols(
            y,
            self.X,
            names=self.names,
            cov_type=self.cov_type,
            clusters=self.clusters,
            absorb=self.absorb_codes,
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class PayGapResult(Result):
    """Raw and adjusted pay gaps of each group against a reference group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (scope, cell, group): ``scope`` ("overall" or the ``within`` columns),
        ``cell`` ("all" or the grouping's values), ``group``, ``reference_group``, ``n``,
        ``n_reference``, ``mean_pay``, ``mean_pay_reference``, ``median_pay``,
        ``median_pay_reference``, ``mean_gap_pct``, ``median_gap_pct`` (raw gaps, % of the
        reference's pay, positive = reference paid more), ``coef`` (the group's regression
        coefficient), ``std_error``, ``t``, ``p_value``, ``adjusted_gap`` (% with ``log=True``:
        (1 − exp(coef)) × 100; currency with ``log=False``: −coef), ``ci_low``, ``ci_high``
        (its confidence interval), ``adjusted_gap_pct`` (always %; with ``log=False``
        −coef / mean reference pay × 100), ``units``, ``flagged`` (|t| ≥ 2), ``testable`` and
        ``note`` (why a cell or group could not be tested).
    coefficients : pandas.DataFrame
        Every coefficient of the overall model: ``term``, ``coef``, ``std_error``, ``t``,
        ``p_value``, ``ci_low``, ``ci_high``.
    tainted_comparison : pandas.DataFrame or None
        With ``tainted=``: each group's adjusted gap with and without the possibly tainted
        controls.
    outliers : pandas.DataFrame
        Employees whose pay sits far below the overall model's prediction (studentized
        residual ≤ −``outlier_threshold``), for human review: ``row`` (position in the input),
        ``id``, ``group``, ``pay``, ``predicted_pay``, ``pay_vs_predicted_pct``,
        ``studentized_residual``.
    """

    pay: str
    group: str
    reference_group: str
    groups: tuple[str, ...]
    controls: tuple[str, ...]
    within: tuple[str, ...]
    log: bool
    cov_type: str
    confidence: float
    table: pd.DataFrame
    coefficients: pd.DataFrame
    outliers: pd.DataFrame
    tainted_comparison: pd.DataFrame | None = None
    absorbed: str | None = None
    model: PayModel | None = field(default=None, repr=False)

    kind: ClassVar[str] = "pay gap"
    count_columns: ClassVar[frozenset[str]] = frozenset({"n", "n_reference", "employees"})
    _private: ClassVar[tuple[str, ...]] = ("model",)
    #: Row-level tables (individual pay): summarised, not listed, in ``to_dict()`` and reports.
    _row_level: ClassVar[tuple[str, ...]] = ("outliers",)
    report_derived_columns: ClassVar[tuple[str, ...]] = (
        "mean_pay", "mean_pay_reference", "median_pay", "median_pay_reference", "mean_gap_pct",
        "median_gap_pct", "coef", "std_error", "t", "adjusted_gap", "adjusted_gap_pct",
        "median_pay_vs_predicted_pct",
    )  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        """The gap table (one row per scope, cell and group)."""
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the result.

        The row-level model (kept for :func:`~fairhire.pay_remediation`) is left out, and the
        outlier list, which holds individual employees' pay, is summarised by group
        (``outlier_summary``); read ``result.outliers`` for the list itself.
        """
        out: dict[str, Any] = {"type": type(self).__name__}
        for name in self.__dataclass_fields__:
            if name in self._private:
                continue
            if name in self._row_level:
                out["outlier_summary"] = jsonable(self.outlier_summary)
                continue
            out[name] = jsonable(getattr(self, name))
        return out

    @property
    def outlier_summary(self) -> pd.DataFrame:
        """Employees listed for review, by group: ``group``, ``employees``,
        ``median_pay_vs_predicted_pct``."""
        o = self.outliers
        if o.empty:
            return pd.DataFrame(
                {"group": [], "employees": [], "median_pay_vs_predicted_pct": []}
            ).astype({"group": object, "employees": int, "median_pay_vs_predicted_pct": float})
        out = o.groupby("group", sort=True).agg(
            employees=("row", "size"),
            median_pay_vs_predicted_pct=("pay_vs_predicted_pct", "median"),
        )
        return out.reset_index()

    @property
    def overall(self) -> pd.DataFrame:
        """The rows of the overall (not within-grouping) analysis."""
        return self.table[self.table["scope"] == "overall"].reset_index(drop=True)

    def summary(self) -> str:
        lines = [
            f"Pay gap: {self.pay} by {self.group} (reference: {self.reference_group}); "
            f"{'log pay' if self.log else 'pay in currency units'}, {self.cov_type} errors",
        ]
        if self.controls:
            lines.append(f"Controls: {', '.join(self.controls)}")
        if self.rows is not None:
            lines.append(self.rows.describe())
        for row in self.overall.itertuples(index=False):
            lines.append(
                f"  {row.group}: raw mean gap {_fmt(row.mean_gap_pct)}%, raw median gap "
                f"{_fmt(row.median_gap_pct)}%, adjusted gap "
                f"{_fmt(row.adjusted_gap)}{'%' if self.log else ''} "
                f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}], t = {_fmt(row.t, 2)}"
                f"{' FLAGGED' if row.flagged else ''}"
                f"{'' if row.testable else ' (not testable: ' + str(row.note) + ')'}"
            )
        cells = self.table[self.table["scope"] != "overall"]
        if len(cells):
            lines.append(
                f"Within {' × '.join(self.within)}: {int(cells['flagged'].sum())} of "
                f"{int(cells['testable'].sum())} testable comparisons flagged (|t| ≥ 2); "
                f"{int((~cells['testable']).sum())} not testable"
            )
        if self.tainted_comparison is not None:
            for row in self.tainted_comparison.itertuples(index=False):
                lines.append(
                    f"  {row.group} without {row.tainted}: adjusted gap "
                    f"{_fmt(row.adjusted_gap_without)} (with: {_fmt(row.adjusted_gap_with)})"
                )
        lines.append(f"Outliers for review: {len(self.outliers)}")
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        unit = "%" if self.log else ""
        for row in self.overall.itertuples(index=False):
            if not row.testable:
                out.append(
                    Headline(
                        severity=1,
                        text=f"The pay of {row.group} employees could not be tested against "
                        f"{row.reference_group} employees: {row.note}.",
                        section="overall",
                    )
                )
                continue
            direction = "less" if row.adjusted_gap > 0 else "more"
            controls = f" with the same {', '.join(self.controls)}" if self.controls else ""
            size = abs(row.adjusted_gap)
            # the interval in the same direction as the sentence ("paid x% more": x's interval)
            lo, hi = (
                (row.ci_low, row.ci_high) if direction == "less" else (-row.ci_high, -row.ci_low)
            )
            text = (
                f"{row.group} employees are paid {size:.1f}{unit} {direction} than comparable "
                f"{row.reference_group} employees{controls} (adjusted gap; "
                f"{self.confidence * 100:g}% CI {lo:.1f}{unit} to {hi:.1f}{unit}; "
                f"t = {row.t:.2f}); the raw mean gap is {row.mean_gap_pct:.1f}%."
            )
            if not self.controls:
                text = (
                    f"{row.group} employees are paid {size:.1f}{unit} {direction} than "
                    f"{row.reference_group} employees (t = {row.t:.2f}; no controls); the raw "
                    f"median gap is {row.median_gap_pct:.1f}%."
                )
            out.append(
                Headline(
                    severity=3 if row.flagged else 1,
                    text=text,
                    figure=float(row.adjusted_gap),
                    section="overall",
                )
            )
        cells = self.table[(self.table["scope"] != "overall") & self.table["testable"]]
        if len(cells):
            flagged = cells[cells["flagged"]]
            if len(flagged):
                worst = flagged.loc[flagged["adjusted_gap"].abs().idxmax()]
                out.append(
                    Headline(
                        severity=2,
                        text=f"Within {' × '.join(self.within)}, {len(flagged)} of {len(cells)} "
                        f"group comparisons have a flagged adjusted gap (|t| ≥ 2); the largest "
                        f"is {worst['adjusted_gap']:.1f}{unit} for {worst['group']} in "
                        f"{worst['cell']}.",
                        figure=float(len(flagged)),
                        section="within",
                    )
                )
        if len(self.outliers):
            out.append(
                Headline(
                    severity=1,
                    text=f"{len(self.outliers)} employees are paid far below the model's "
                    "prediction and are listed for individual review.",
                    figure=float(len(self.outliers)),
                    section="outliers",
                )
            )
        return out


def _fmt(x: Any, digits: int = 2) -> str:
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return "–"
    return "–" if not np.isfinite(xf) else f"{xf:.{digits}f}"


def _raw_stats(pay: np.ndarray, codes: np.ndarray, n_labels: int) -> dict[int, tuple]:
    """(n, mean, median) of pay per group code present."""
    out = {}
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    bounds = np.searchsorted(sorted_codes, np.arange(n_labels + 1))
    for code in range(n_labels):
        lo, hi = bounds[code], bounds[code + 1]
        if hi > lo:
            vals = pay[order[lo:hi]]
            out[code] = (hi - lo, float(vals.mean()), float(np.median(vals)))
    return out


def _gap(ref: float, other: float) -> float:
    return (ref - other) / ref * 100.0 if ref else float("nan")


@dataclass
class _ScopeFit:
    fit: OLSFit | None
    columns: dict[str, int]  # group label -> column index in the fit
    note: str = ""


def _fit_scope(
    y: np.ndarray,
    design: Design,
    group_columns: dict[str, int],
    *,
    cov_type: str,
    clusters: np.ndarray | None,
    allow_drop: bool,
) -> _ScopeFit:
    """Fit one scope; in a within-grouping cell, drop controls that are collinear there."""
    X, names = design.X, list(design.names)
    group_names = {names[j] for j in group_columns.values()}
    dropped: list[str] = []
    for _ in range(len(names) + 1):
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
            if not allow_drop or any(n in group_names for s in exc.sets for n in s):
                if not allow_drop:
                    raise
                return _ScopeFit(
                    None,
                    {},
                    "the group is collinear with "
                    + describe_collinearity(exc.sets, sorted(group_names)),
                )
            drop = {s[-1] for s in exc.sets}
            keep = [j for j, n in enumerate(names) if n not in drop]
            dropped.extend(sorted(drop))
            X = X[:, keep]
            names = [names[j] for j in keep]
            continue
        except InsufficientDataError:
            if not allow_drop:
                raise
            return _ScopeFit(None, {}, "too few employees for the number of controls")
        cols = {g: names.index(design.names[j]) for g, j in group_columns.items()}
        note = f"dropped collinear {', '.join(dropped)}" if dropped else ""
        return _ScopeFit(fit, cols, note)
    return _ScopeFit(None, {}, "controls are collinear")  # pragma: no cover


def _group_dummies(
    groups: GroupCodes, codes: np.ndarray, group: str
) -> tuple[list[tuple[str, np.ndarray]], dict[str, int]]:
    present = set(np.unique(codes).tolist())
    prefix: list[tuple[str, np.ndarray]] = []
    for code, label in enumerate(groups.labels):
        if label == groups.reference or code not in present:
            continue
        prefix.append((f"{group}[{label}]", (codes == code).astype(np.float64)))
    return prefix, {}


def _design_for(
    frame: pd.DataFrame,
    codes: np.ndarray,
    groups: GroupCodes,
    group: str,
    controls: Sequence[str],
    *,
    categorical: Sequence[str],
    absorb_threshold: int | None,
    drop_constant: bool,
) -> tuple[Design, dict[str, int], list[str]]:
    prefix, _ = _group_dummies(groups, codes, group)
    notes: list[str] = []
    used_controls = list(controls)
    if drop_constant:
        used_controls = []
        for c in controls:
            if frame[c].nunique(dropna=False) > 1:
                used_controls.append(c)
            else:
                notes.append(f"{c} constant in cell")
    design = build_design(
        frame,
        used_controls,
        categorical=categorical,
        absorb_threshold=absorb_threshold,
        prefix_columns=prefix,
    )
    columns = {}
    for name, _col in prefix:
        label = name[len(group) + 1 : -1]
        columns[label] = design.names.index(name)
    return design, columns, notes


def _rows_for_scope(
    scope: str,
    cell: str,
    pay: np.ndarray,
    codes: np.ndarray,
    groups: GroupCodes,
    sf: _ScopeFit | None,
    *,
    log: bool,
    alpha: float,
    min_group_size: int,
    scope_note: str = "",
) -> list[dict[str, Any]]:
    stats = _raw_stats(pay, codes, len(groups.labels))
    ref_code = groups.reference_code
    ref = stats.get(ref_code)
    rows = []
    for code, label in enumerate(groups.labels):
        if code == ref_code or code not in stats:
            continue
        n, mean, median = stats[code]
        row: dict[str, Any] = {
            "scope": scope,
            "cell": cell,
            "group": label,
            "reference_group": groups.reference,
            "n": int(n),
            "n_reference": int(ref[0]) if ref else 0,
            "mean_pay": mean,
            "mean_pay_reference": ref[1] if ref else np.nan,
            "median_pay": median,
            "median_pay_reference": ref[2] if ref else np.nan,
            "mean_gap_pct": _gap(ref[1], mean) if ref else np.nan,
            "median_gap_pct": _gap(ref[2], median) if ref else np.nan,
            "units": "percent" if log else "currency",
        }
        notes = []
        if ref is None:
            notes.append(f"no {groups.reference} employees in this cell")
        if n < min_group_size:
            notes.append(f"fewer than {min_group_size} {label} employees")
        if ref is not None and ref[0] < min_group_size:
            notes.append(f"fewer than {min_group_size} {groups.reference} employees")
        if scope_note:
            notes.append(scope_note)
        fit = sf.fit if sf is not None else None
        if sf is not None and sf.fit is None and sf.note:
            notes.append(sf.note)
        testable = fit is not None and label in sf.columns and not notes
        if fit is not None and label in sf.columns:
            j = sf.columns[label]
            beta, se = float(fit.params[j]), float(fit.bse[j])
            q = fit.t_crit(alpha)
            lo_b, hi_b = beta - q * se, beta + q * se
            if log:
                gap, ci_low, ci_high = (
                    (1 - np.exp(beta)) * 100,
                    (1 - np.exp(hi_b)) * 100,
                    (1 - np.exp(lo_b)) * 100,
                )
                gap_pct = gap
            else:
                gap, ci_low, ci_high = -beta, -hi_b, -lo_b
                gap_pct = -beta / ref[1] * 100 if ref and ref[1] else np.nan
            row.update(
                coef=beta,
                std_error=se,
                t=float(fit.tvalues[j]),
                p_value=float(fit.p_values[j]),
                adjusted_gap=gap,
                ci_low=ci_low,
                ci_high=ci_high,
                adjusted_gap_pct=gap_pct,
            )
            if sf.note and testable:
                row["note"] = sf.note
        if not testable:
            # an untestable comparison shows its raw gaps but no inference
            for key in ("t", "p_value", "ci_low", "ci_high", "std_error"):
                row[key] = np.nan
        row["testable"] = bool(testable)
        row["flagged"] = bool(testable and abs(row.get("t", np.nan)) >= 2)
        if notes:
            row["note"] = "; ".join(notes)
        rows.append(row)
    return rows


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
    min_group_size: int = 5,
    outlier_threshold: float = 2.5,
    missing: str = "exclude",
    confidence: float = 0.95,
    absorb_threshold: int | None = 50,
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
        Group column (sex, race/ethnicity ...). A sex column is read with
        :func:`fairhire._sex.normalize_sex` (``M``, ``male``, ``Women`` ... become "Male" and
        "Female"); other values (e.g. "Non-binary") stay groups of their own and are compared
        with the reference like any group.
    reference : optional
        Reference group. Default: "Male" for a sex column, otherwise the largest group.
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
        Employee identifier shown in the outlier list.
    min_group_size : int, default 5
        Groups (and reference groups) with fewer employees in a scope are not tested.
    outlier_threshold : float, default 2.5
        Employees whose studentized residual is at or below minus this are listed as outliers.
    missing : {"exclude", "raise"}, default "exclude"
        Rows with a missing pay, group, control, grouping or cluster value are excluded and
        counted by reason (``result.rows``), or raise an error.
    confidence : float, default 0.95
        Confidence level of the intervals.
    absorb_threshold : int or None, default 50
        A categorical control with more levels than this (e.g. 200 level × family cells) is
        absorbed as fixed effects instead of dummy columns: same estimates, far less memory.

    Returns
    -------
    PayGapResult

    Raises
    ------
    ColumnError
        A named column is missing, or pay is not numeric.
    InvalidValueError
        Zero or negative pay with ``log=True``; missing values with ``missing="raise"``;
        controls collinear with the group or with each other (named).
    InsufficientDataError
        A single group, or too few rows for the controls.

    Examples
    --------
    >>> import fairhire as fh
    >>> wf = fh.datasets.make_workforce(3000, random_state=2)
    >>> gap = fh.pay_gap(wf, pay="salary", group="sex",
    ...                  controls=["level", "job_family", "location", "tenure_years"])
    >>> row = gap.overall.set_index("group").loc["Female"]
    >>> bool(row.mean_gap_pct > row.adjusted_gap > 0), bool(row.flagged)
    (True, True)
    >>> gap.rows.excluded
    {'missing group (sex)': 30}
    """
    controls_l = as_columns(controls, argument="controls")
    within_l = as_columns(within, argument="within")
    tainted_l = as_columns(tainted, argument="tainted")
    categorical_l = as_columns(categorical, argument="categorical")
    model_controls = controls_l + [t for t in tainted_l if t not in controls_l]
    if cov_type not in COV_TYPES:
        raise InvalidParameterError(
            f"cov_type={cov_type!r} is not supported; use one of {', '.join(COV_TYPES)}."
        )
    if cov_type == "cluster" and cluster is None:
        raise InvalidParameterError(
            "cov_type='cluster' needs cluster= (a column such as the manager or team)."
        )
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie between 0 and 1.")
    if min_group_size < 2:
        raise InvalidParameterError(f"min_group_size={min_group_size!r} must be at least 2.")
    for col in (pay, group):
        if col in model_controls or col in within_l:
            raise InvalidParameterError(
                f"column {col!r} is the pay or group column and cannot also be a control or "
                "grouping."
            )
    overlap = [c for c in within_l if c in model_controls]
    alpha = 1 - confidence

    frame, total = collect(
        data,
        analysis="pay_gap",
        pay=pay,
        group=group,
        controls=controls_l,
        tainted=tainted_l,
        within=within_l,
        cluster=cluster,
        id=id,
    )
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    rows = RowFilter(total)
    roles = {pay: "pay", group: "group"}
    roles.update({c: "control" for c in model_controls})
    roles.update({c: "grouping" for c in within_l if c not in roles})
    if cluster:
        roles.setdefault(cluster, "cluster")
    drop_missing(frame, rows, roles, missing=missing)
    pay_all = check_pay(frame[pay], pay, positive=log, where=rows.keep)
    if rows.used == 0:
        raise InsufficientDataError(
            f"no rows are left after excluding missing values ({rows.excluded}). Check the "
            "columns passed."
        )
    positions = np.flatnonzero(rows.keep)
    sub = frame.iloc[positions].reset_index(drop=True)
    pay_v = pay_all[positions]
    groups = read_groups(sub[group], group, reference=reference)
    codes = groups.codes
    y = np.log(pay_v) if log else pay_v
    clusters = sub[cluster].to_numpy() if cluster else None
    warnings: list[str] = []

    # overall model
    design, gcols, _ = _design_for(
        sub,
        codes,
        groups,
        group,
        model_controls,
        categorical=categorical_l,
        absorb_threshold=absorb_threshold,
        drop_constant=False,
    )
    try:
        overall_fit = _fit_scope(
            y, design, gcols, cov_type=cov_type, clusters=clusters, allow_drop=False
        )
    except CollinearityError as exc:
        group_names = [design.names[j] for j in gcols.values()]
        raise type(exc)(
            "controls are collinear: "
            + describe_collinearity(exc.sets, group_names)
            + ". Remove one control from each set (a control that determines the group, such "
            "as a column derived from it, cannot be used).",
            exc.sets,
        ) from None
    table_rows = _rows_for_scope(
        "overall",
        "all",
        pay_v,
        codes,
        groups,
        overall_fit,
        log=log,
        alpha=alpha,
        min_group_size=min_group_size,
    )
    fit = overall_fit.fit
    assert fit is not None
    lo, hi = fit.conf_int(alpha)
    coefficients = pd.DataFrame(
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
    warnings.extend(fit.notes)
    if design.absorbed:
        warnings.append(
            f"{design.absorbed} ({len(design.absorb_levels)} categories) was absorbed as fixed "
            "effects: its coefficients are not listed."
        )

    # within pay-analysis groupings
    if within_l:
        if overlap:
            warnings.append(
                f"{', '.join(overlap)} is both a control and a grouping: within each cell it "
                "is constant and left out of the cell's model."
            )
        cell_controls = [c for c in model_controls if c not in within_l]
        scope = SEPARATOR.join(within_l)
        indices = sub.groupby(within_l, sort=True, dropna=False).indices
        for key in sorted(indices, key=lambda k: tuple(map(str, np.atleast_1d(k)))):
            idx = np.asarray(indices[key])
            values = key if isinstance(key, tuple) else (key,)
            cell = SEPARATOR.join(str(v) for v in values)
            ccodes = codes[idx]
            present = np.unique(ccodes)
            sf: _ScopeFit | None
            scope_note = ""
            if len(present) < 2:
                sf = None
                scope_note = "only one group present"
            else:
                cframe = sub.iloc[idx].reset_index(drop=True)
                cdesign, ccols, _notes = _design_for(
                    cframe,
                    ccodes,
                    groups,
                    group,
                    cell_controls,
                    categorical=categorical_l,
                    absorb_threshold=absorb_threshold,
                    drop_constant=True,
                )
                sf = _fit_scope(
                    y[idx],
                    cdesign,
                    ccols,
                    cov_type=cov_type,
                    clusters=clusters[idx] if clusters is not None else None,
                    allow_drop=True,
                )
            table_rows.extend(
                _rows_for_scope(
                    scope,
                    cell,
                    pay_v[idx],
                    ccodes,
                    groups,
                    sf,
                    log=log,
                    alpha=alpha,
                    min_group_size=min_group_size,
                    scope_note=scope_note,
                )
            )
            if len(present) < 2:
                only = groups.labels[present[0]]
                table_rows.append(
                    {
                        "scope": scope,
                        "cell": cell,
                        "group": only,
                        "reference_group": groups.reference,
                        "n": len(idx),
                        "n_reference": len(idx) if only == groups.reference else 0,
                        "units": "percent" if log else "currency",
                        "testable": False,
                        "flagged": False,
                        "note": f"only {only} employees in this cell",
                    }
                )
    table = pd.DataFrame(table_rows)
    for col in TABLE_COLUMNS:
        if col not in table.columns:
            table[col] = np.nan
    table = table[list(TABLE_COLUMNS)]
    table["note"] = table["note"].astype(object).where(table["note"].notna(), "")
    table["flagged"] = table["flagged"].astype(bool)
    table["testable"] = table["testable"].astype(bool)

    small = [lab for lab in groups.labels if groups.counts[lab] < min_group_size]
    if small:
        warnings.append(
            f"groups with fewer than {min_group_size} employees are not tested: "
            f"{', '.join(f'{s} ({groups.counts[s]})' for s in small)}."
        )
    if rows.excluded:
        warnings.append(
            "rows excluded: " + "; ".join(f"{v:,} {k}" for k, v in rows.excluded.items()) + "."
        )

    # tainted controls: the same model without them
    tainted_comparison = None
    if tainted_l:
        base_controls = [c for c in model_controls if c not in tainted_l]
        bdesign, bcols, _ = _design_for(
            sub,
            codes,
            groups,
            group,
            base_controls,
            categorical=categorical_l,
            absorb_threshold=absorb_threshold,
            drop_constant=False,
        )
        bfit = _fit_scope(y, bdesign, bcols, cov_type=cov_type, clusters=clusters, allow_drop=False)
        without = _rows_for_scope(
            "overall", "all", pay_v, codes, groups, bfit, log=log, alpha=alpha,
            min_group_size=min_group_size,
        )  # fmt: skip
        with_rows = {r["group"]: r for r in table_rows if r["scope"] == "overall"}
        comp = []
        for r in without:
            w = with_rows[r["group"]]
            comp.append(
                {
                    "group": r["group"],
                    "reference_group": groups.reference,
                    "tainted": ", ".join(tainted_l),
                    "adjusted_gap_with": w.get("adjusted_gap", np.nan),
                    "ci_low_with": w.get("ci_low", np.nan),
                    "ci_high_with": w.get("ci_high", np.nan),
                    "t_with": w.get("t", np.nan),
                    "p_value_with": w.get("p_value", np.nan),
                    "adjusted_gap_without": r.get("adjusted_gap", np.nan),
                    "ci_low_without": r.get("ci_low", np.nan),
                    "ci_high_without": r.get("ci_high", np.nan),
                    "t_without": r.get("t", np.nan),
                    "p_value_without": r.get("p_value", np.nan),
                }
            )
        tainted_comparison = pd.DataFrame(comp)
        tainted_comparison["difference"] = (
            tainted_comparison["adjusted_gap_without"] - tainted_comparison["adjusted_gap_with"]
        )
        warnings.append(
            f"{', '.join(tainted_l)} may itself carry the disparity being measured; compare the "
            "gap with and without it (tainted_comparison)."
        )

    # outliers for review
    h = fit.leverage if fit.leverage is not None else np.zeros_like(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        stud = fit.resid / np.sqrt(fit.sigma2 * (1.0 - h))
    stud = np.where(1.0 - h > 1e-10, stud, np.nan)
    flag = np.flatnonzero(stud <= -outlier_threshold)
    flag = flag[np.argsort(stud[flag], kind="stable")]
    predicted = np.exp(fit.fitted[flag]) if log else fit.fitted[flag]
    outliers = pd.DataFrame(
        {
            "row": positions[flag],
            "id": sub[id].to_numpy()[flag] if id else positions[flag],
            "group": np.asarray(groups.labels, dtype=object)[codes[flag]],
            "pay": pay_v[flag],
            "predicted_pay": predicted,
            "pay_vs_predicted_pct": (pay_v[flag] / predicted - 1.0) * 100.0,
            "studentized_residual": stud[flag],
        }
    )

    model = PayModel(
        pay=pay_v,
        X=design.X,
        names=list(design.names),
        group_columns=overall_fit.columns,
        groups=groups,
        log=log,
        cov_type=cov_type,
        clusters=clusters,
        absorb_codes=design.absorb_codes,
        fit=fit,
        positions=positions,
        ids=sub[id].to_numpy() if id else None,
    )
    params = {
        "pay": pay,
        "group": group,
        "reference": groups.reference,
        "controls": model_controls,
        "within": within_l,
        "tainted": tainted_l,
        "log": log,
        "cov_type": cov_type,
        "cluster": cluster,
        "categorical": categorical_l,
        "min_group_size": min_group_size,
        "outlier_threshold": outlier_threshold,
        "missing": missing,
        "confidence": confidence,
        "absorb_threshold": absorb_threshold,
    }
    return PayGapResult(
        pay=pay,
        group=group,
        reference_group=groups.reference,
        groups=groups.labels,
        controls=tuple(model_controls),
        within=tuple(within_l),
        log=log,
        cov_type=cov_type,
        confidence=confidence,
        table=table,
        coefficients=coefficients,
        outliers=outliers,
        tainted_comparison=tainted_comparison,
        absorbed=design.absorbed,
        model=model,
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=rows.used, excluded=dict(rows.excluded)),
        params=params,
    )
