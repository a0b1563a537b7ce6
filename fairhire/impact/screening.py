"""Audit a screening model: selection rates, impact ratios and, with outcomes, error rates.

A résumé screener or ranking model is a selection procedure like any other. Its predictions
(or its scores with one threshold) decide who moves forward; this module compares the groups'
selection rates with the adverse-impact engine (impact ratios, the exact four-fifths flag,
Fisher's exact test, Z tests, shortfalls), and, when the true outcomes are known, compares
true- and false-positive rates per group with fairlearn's :class:`~fairlearn.metrics.MetricFrame`.

There is deliberately no option for group-specific thresholds: adjusting scores, or using
different cut-offs, by race, color, religion, sex or national origin is prohibited in US
employment (Civil Rights Act of 1991 §106, 42 U.S.C. §2000e-2(l)).
"""

from __future__ import annotations

import math
import warnings as warnings_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.text import format_ratio
from .._results import Headline, Result, RowAccount
from ..errors import InputTypeError, InvalidParameterError, InvalidValueError, preview
from ..stats.proportions import as_fraction
from .analysis import adverse_impact
from .compare import GROUP_SEPARATOR
from .cutoff import SECTION_106

__all__ = ["ScreeningModelAudit", "audit_screening_model"]

_SEL = "__fh_selected"
_Y = "__fh_y_true"
_S = "__fh_score"


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ScreeningModelAudit(Result):
    """Adverse impact of a screening model's selections, and its error rates by group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (feature, group): ``feature`` (a sensitive feature, or features joined by
        " × " for their intersection) and the adverse-impact engine's columns: ``group,
        applicants, selected, selection_rate, reference_group, is_reference, impact_ratio,
        adverse_impact, z, p_value_z, p_value_fisher, p_value_adjusted, significant, z_ir,
        p_value_z_ir, ci_low, ci_high, shortfall, shortfall_four_fifths, flips_with_one,
        small_sample, excluded`` (p-values adjusted within each feature).
    error_rates : pandas.DataFrame or None
        With ``y_true``: per (feature, group), from fairlearn's ``MetricFrame``:
        ``applicants, qualified`` (y_true positive), ``selection_rate, true_positive_rate,
        false_positive_rate, false_negative_rate`` and ``auc`` (scores only), plus
        ``tpr_difference`` and ``fpr_difference`` (the group's rate minus the best rate:
        highest TPR, lowest FPR).
    fairness : pandas.DataFrame or None
        With ``y_true``: per feature, ``demographic_parity_ratio`` (lowest over highest
        selection rate), ``demographic_parity_difference``, ``equal_opportunity_difference``
        (TPR range) and ``equalized_odds_difference`` (the larger of the TPR and FPR ranges).
    unknown : pandas.DataFrame
        Per feature, individuals whose sensitive value was missing: ``feature, applicants,
        selected``.
    features : tuple of str
        The features compared (each column, then their intersection).
    threshold : float or None
        The score threshold (one for everyone), when scores were given.
    """

    table: pd.DataFrame
    error_rates: pd.DataFrame | None
    fairness: pd.DataFrame | None
    unknown: pd.DataFrame
    features: tuple[str, ...]
    threshold: float | None = None
    ratio_threshold: float = 0.8
    alpha: float = 0.05
    n: int = 0

    kind: ClassVar[str] = "screening model audit"
    count_columns: ClassVar[frozenset[str]] = frozenset({"applicants", "selected", "qualified"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({"shortfall_four_fifths"})
    report_count_columns: ClassVar[tuple[str, ...]] = ("qualified",)
    report_derived_columns: ClassVar[tuple[str, ...]] = (
        "true_positive_rate", "false_positive_rate", "false_negative_rate", "auc",
        "tpr_difference", "fpr_difference",
    )  # fmt: skip

    def __repr__(self) -> str:
        flagged = int((self.table["adverse_impact"]).sum())
        return (
            f"<ScreeningModelAudit: {self.n:,} individuals, {len(self.features)} features, "
            f"{flagged} groups below four-fifths>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The selection table, joined with the error rates when outcomes were given."""
        if self.error_rates is None:
            return self.table.copy()
        extra = self.error_rates.drop(columns=["applicants", "selection_rate"])
        return self.table.merge(extra, on=["feature", "group"], how="left")

    @property
    def flagged(self) -> pd.DataFrame:
        """Groups selected at less than four-fifths of the highest group's rate."""
        return self.table.loc[self.table["adverse_impact"]].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        """Per feature: the lowest impact ratio; with outcomes, the widest TPR gap."""
        out: list[Headline] = []
        for feature in self.features:
            t = self.table.loc[self.table["feature"] == feature]
            cand = t.loc[~t["is_reference"] & ~t["excluded"] & t["impact_ratio"].notna()]
            if cand.empty:
                continue
            row = cand.loc[cand["impact_ratio"].idxmin()]
            base = (
                f"By {feature}, the model selects {row.group} at {format_ratio(row.impact_ratio)} times the "
                f"rate of {row.reference_group} ({row.selection_rate:.1%} against "
                f"{t.loc[t['is_reference'], 'selection_rate'].iloc[0]:.1%})"
            )
            p = _p(row.p_value_adjusted)
            if row.adverse_impact:
                severity = 3 if row.significant and not row.flips_with_one else 2
                text = f"{base}; below four-fifths, Fisher p adjusted {p}"
                text += (
                    ": evidence of adverse impact under the four-fifths rule."
                    if severity == 3
                    else "."
                )
            elif row.significant:
                severity, text = 2, f"{base}; above four-fifths but significant ({p})."
            else:
                severity, text = 1, f"{base}; no group below four-fifths."
            out.append(Headline(severity=severity, text=text, figure=float(row.impact_ratio),
                                section=feature))  # fmt: skip
        if self.fairness is not None:
            for r in self.fairness.itertuples(index=False):
                er = self.error_rates.loc[self.error_rates["feature"] == r.feature]
                tpr = er.dropna(subset=["true_positive_rate"])
                if len(tpr) < 2:
                    continue
                lo = tpr.loc[tpr["true_positive_rate"].idxmin()]
                hi = tpr.loc[tpr["true_positive_rate"].idxmax()]
                out.append(Headline(
                    severity=1,
                    text=f"By {r.feature}, qualified candidates (y_true positive) are selected at "
                    f"{lo.true_positive_rate:.1%} for {lo.group} and {hi.true_positive_rate:.1%} "
                    f"for {hi.group} (true-positive-rate gap "
                    f"{r.equal_opportunity_difference:.1%}; equalized-odds difference "
                    f"{r.equalized_odds_difference:.1%}).",
                    figure=float(r.equal_opportunity_difference), section=r.feature,
                ))  # fmt: skip
        out.sort(key=lambda h: -h.severity)
        return out

    def summary(self) -> str:
        """A plain-text summary: selection rates and ratios by feature, then error rates."""
        how = (
            f"scores at or above {self.threshold:g} (one threshold for everyone)"
            if self.threshold is not None
            else "the model's positive predictions"
        )
        lines = [
            f"Screening model audit: {self.n:,} individuals; selected = {how}.",
            f"Impact ratio below {self.ratio_threshold:g} (four-fifths) = evidence of adverse "
            "impact under the four-fifths rule; Fisher p adjusted within each feature.",
        ]
        if self.rows is not None:
            lines.append("Rows: " + self.rows.describe() + ".")
        cols = ["group", "applicants", "selected", "selection_rate", "impact_ratio",
                "adverse_impact", "p_value_fisher", "p_value_adjusted"]  # fmt: skip
        for feature in self.features:
            t = self.table.loc[self.table["feature"] == feature, cols]
            lines.append(f"\nBy {feature}:")
            lines.append(t.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if self.error_rates is not None:
            lines.append("\nError rates by group (fairlearn MetricFrame):")
            cols = ["feature", "group", "applicants", "qualified", "true_positive_rate",
                    "false_positive_rate", "auc"]  # fmt: skip
            lines.append(
                self.error_rates[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")
            )
            lines.append(self.fairness.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if int(self.unknown["applicants"].sum()):
            lines.append("Unknown sensitive value (counted, not compared):")
            lines.append(self.unknown.to_string(index=False))
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


def _p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


# --------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------


def _vector(values: Any, argument: str) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputTypeError(
                f"{argument}= must be one column of values; got a frame with "
                f"{values.shape[1]} columns."
            )
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    elif hasattr(values, "to_numpy") and callable(values.to_numpy):
        values = values.to_numpy()
    try:
        arr = np.asarray(values)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise InputTypeError(f"{argument}= must be array-like; got {type(values)}.") from exc
    if arr.ndim == 2 and arr.shape[1] == 2 and argument == "y_pred":
        raise InputTypeError(
            "y_pred has two columns, like predict_proba() output. Pass the positive class's "
            "probability, model.predict_proba(X)[:, 1], with threshold=."
        )
    if arr.ndim != 1:
        raise InputTypeError(f"{argument}= must be one-dimensional; got shape {arr.shape}.")
    return arr


def _is_missing(arr: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(arr, dtype=object if arr.dtype == object else None)).to_numpy()


def _binary(arr: np.ndarray, argument: str, pos_label: Any) -> np.ndarray:
    """Read 0/1, booleans or labels (``pos_label`` is positive) as booleans."""
    missing = _is_missing(arr)
    if missing.any():
        raise InvalidValueError(
            f"{argument} has {int(missing.sum()):,} missing values of {len(arr):,}. Every "
            "individual needs a value; drop those rows from every input and say how many."
        )
    if arr.dtype == bool:
        return arr
    values = set(pd.unique(arr).tolist())
    looks_numeric = np.issubdtype(arr.dtype, np.number)
    if len(values) > 2:
        hint = (
            " These look like scores: pass threshold= to select scores at or above it."
            if argument == "y_pred" and looks_numeric
            else ""
        )
        raise InvalidValueError(
            f"{argument} must be binary (True/False, 1/0, or two labels with pos_label=); "
            f"found {len(values)} distinct values, e.g. {preview(sorted(map(str, values)))}." + hint
        )
    if pos_label not in values and not (looks_numeric and values <= {0, 1}):
        raise InvalidValueError(
            f"pos_label={pos_label!r} is not one of the values of {argument}: "
            f"{preview(sorted(map(str, values)))}. Pass the label that means selected / "
            "qualified, e.g. pos_label='yes'."
        )
    return np.asarray(arr == pos_label, dtype=bool)


def _scores(pred: np.ndarray, thr: float) -> np.ndarray:
    """Scores as floats; text, booleans and missing values are errors."""
    if pred.dtype == bool:
        raise InvalidValueError(
            f"threshold={thr:g} needs numeric scores in y_pred; got booleans. Pass "
            "predictions without threshold=, or the model's scores."
        )
    series = pd.Series(pred, dtype=object if pred.dtype == object else None)
    missing = series.isna().to_numpy()
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & ~missing
    if bad.any():
        raise InvalidValueError(
            f"threshold={thr:g} needs numeric scores in y_pred; found "
            f"{preview(pd.unique(series[bad]).tolist())} in {int(bad.sum()):,} rows."
        )
    if missing.any():
        raise InvalidValueError(
            f"y_pred has {int(missing.sum()):,} missing scores of {len(pred):,}. Every "
            "individual needs a score; drop those rows from every input and say how many."
        )
    return values


def _sensitive_frame(sensitive_features: Any, n: int) -> pd.DataFrame:
    sf = sensitive_features
    if isinstance(sf, pd.Series):
        frame = sf.to_frame(name=str(sf.name) if sf.name is not None else "sensitive_feature")
    elif isinstance(sf, pd.DataFrame):
        frame = sf
    elif isinstance(sf, Mapping):
        frame = pd.DataFrame({str(k): _vector(v, f"sensitive_features[{k!r}]")
                              for k, v in sf.items()})  # fmt: skip
    elif hasattr(sf, "to_pandas") and callable(sf.to_pandas):  # polars / pyarrow
        frame = sf.to_pandas()
        if isinstance(frame, pd.Series):
            frame = frame.to_frame(name=str(frame.name or "sensitive_feature"))
    else:
        arr = np.asarray(sf, dtype=object)
        if arr.ndim == 1:
            frame = pd.DataFrame({"sensitive_feature": arr})
        elif arr.ndim == 2:
            frame = pd.DataFrame({f"sensitive_feature_{i}": arr[:, i] for i in range(arr.shape[1])})
        else:
            raise InputTypeError(
                f"sensitive_features= must be a Series, DataFrame, dict of columns or array; "
                f"got shape {arr.shape}."
            )
    if len(frame) != n:
        raise InvalidParameterError(
            f"sensitive_features has {len(frame):,} rows but y_pred has {n:,}: they must describe "
            "the same individuals in the same order."
        )
    if frame.shape[1] == 0:
        raise InvalidParameterError("sensitive_features= has no columns.")
    # plain object columns with None for missing: the engine counts them as unknown
    out = pd.DataFrame(
        {
            str(c): frame[c].astype(object).where(frame[c].notna(), None).to_numpy()
            for c in frame.columns
        }
    )
    return out


def _check_threshold(threshold: Any) -> float | None:
    if threshold is None:
        return None
    if isinstance(threshold, Mapping) or (
        not isinstance(threshold, str | bytes)
        and isinstance(threshold, Sequence | np.ndarray | pd.Series)
    ):
        raise InvalidParameterError(
            "threshold= must be one number applied to everyone, not one per group. " + SECTION_106
        )
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"threshold={threshold!r} must be a number.") from None
    if not math.isfinite(value):
        raise InvalidParameterError(f"threshold={threshold!r} must be finite.")
    return value


# --------------------------------------------------------------------------------------------
# Error rates (fairlearn MetricFrame)
# --------------------------------------------------------------------------------------------


def _rate(num: int, den: int) -> float:
    return num / den if den else math.nan


def _tpr(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _rate(int((y_true & y_pred).sum()), int(y_true.sum()))


def _fpr(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _rate(int((~y_true & y_pred).sum()), int((~y_true).sum()))


def _fnr(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _rate(int((y_true & ~y_pred).sum()), int(y_true.sum()))


def _selection(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _rate(int(y_pred.sum()), len(y_pred))


def _count(y_true: np.ndarray, y_pred: np.ndarray) -> int:
    return len(y_true)


def _qualified(y_true: np.ndarray, y_pred: np.ndarray) -> int:
    return int(np.asarray(y_true).sum())


def _auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    y = np.asarray(y_true, dtype=bool)
    if y.all() or not y.any():
        return math.nan
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, scores))


def _error_rates(
    known: pd.DataFrame, cols: list[str], feature: str, scores: bool
) -> tuple[pd.DataFrame, dict]:
    from fairlearn.metrics import MetricFrame

    y_true = known[_Y].to_numpy(dtype=bool)
    y_pred = known[_SEL].to_numpy(dtype=bool)
    sf = known[cols] if len(cols) > 1 else known[cols[0]]
    metrics = {
        "applicants": _count, "qualified": _qualified, "selection_rate": _selection,
        "true_positive_rate": _tpr, "false_positive_rate": _fpr, "false_negative_rate": _fnr,
    }  # fmt: skip
    mf = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=sf)
    # MetricFrame lists every combination of the features' values; drop the empty ones
    by_group = mf.by_group.reset_index()
    keep = by_group["applicants"].notna().to_numpy()
    by_group = by_group.loc[keep].reset_index(drop=True)
    if scores:
        auc = MetricFrame(metrics=_auc, y_true=y_true, y_pred=known[_S].to_numpy(dtype=float),
                          sensitive_features=sf).by_group  # fmt: skip
        by_group["auc"] = np.asarray(auc, dtype=float)[keep]
    else:
        by_group["auc"] = math.nan
    by_group.insert(
        0, "group", [GROUP_SEPARATOR.join(str(r[c]) for c in cols) for _, r in by_group.iterrows()]
    )
    by_group = by_group.drop(columns=cols)
    by_group.insert(0, "feature", feature)
    for c in ("applicants", "qualified"):
        by_group[c] = by_group[c].astype("int64")
    for c in ("selection_rate", "true_positive_rate", "false_positive_rate",
              "false_negative_rate"):  # fmt: skip
        by_group[c] = by_group[c].astype(float)
    tpr = by_group["true_positive_rate"]
    fpr = by_group["false_positive_rate"]
    by_group["tpr_difference"] = tpr - tpr.max()
    by_group["fpr_difference"] = fpr - fpr.min()
    sr = by_group["selection_rate"]
    summary = {
        "feature": feature,
        "demographic_parity_ratio": float(sr.min() / sr.max()) if sr.max() > 0 else math.nan,
        "demographic_parity_difference": float(sr.max() - sr.min()),
        "equal_opportunity_difference": float(tpr.max() - tpr.min()),
        "equalized_odds_difference": float(
            np.nanmax([tpr.max() - tpr.min(), fpr.max() - fpr.min()])
        ),
    }
    return by_group.sort_values("group", kind="stable").reset_index(drop=True), summary


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def audit_screening_model(
    y_pred: Any,
    *,
    sensitive_features: Any,
    y_true: Any = None,
    threshold: float | None = None,
    pos_label: Any = 1,
    intersectional: bool = True,
    ratio_threshold: float | Fraction | str = 0.8,
    alpha: float = 0.05,
    adjust: str = "holm",
    reference: object | None = None,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
) -> ScreeningModelAudit:
    """Audit a screening model's selections for adverse impact, and its error rates by group.

    ``y_pred`` is what the model decided — predictions (True/False, 1/0, or labels with
    ``pos_label``) — or its scores with ``threshold=`` (selected = score at or above the
    threshold, one threshold for everyone), e.g. ``model.predict(X)`` or
    ``model.predict_proba(X)[:, 1]`` of any scikit-learn-style estimator. For each sensitive
    feature (and, with two or more, their intersection) the groups' selection rates are
    compared by the adverse-impact engine (:func:`fairhire.adverse_impact`): impact ratio,
    exact four-fifths flag, Fisher's exact test adjusted within the feature, Z tests, CI,
    shortfalls. With ``y_true`` (whether each individual was in fact qualified, e.g. later
    job performance), fairlearn's ``MetricFrame`` gives the true-positive rate (qualified
    candidates who were selected), false-positive rate and AUC (scores only) per group, and
    the demographic-parity, equal-opportunity and equalized-odds differences.

    Group-specific thresholds are not offered: in US employment, adjusting scores or using
    different cut-offs by protected group is prohibited (Civil Rights Act of 1991 §106); a
    threshold given per group is an error. To look for a less adverse single threshold, use
    :func:`fairhire.cutoff_analysis` on the scores.

    Parameters
    ----------
    y_pred : array-like
        Predictions, or scores with ``threshold``. No missing values.
    sensitive_features : Series, DataFrame, dict of arrays or array
        One or more group columns, row-aligned with ``y_pred``. Missing values are counted
        as unknown and left out of the comparisons.
    y_true : array-like, optional
        True outcomes (binary, ``pos_label`` positive).
    threshold : float, optional
        Score threshold: selected = ``y_pred >= threshold``.
    pos_label : default 1
        The positive label of ``y_pred`` (predictions) and ``y_true``.
    intersectional : bool, default True
        Also compare the intersections of two or more sensitive features.
    ratio_threshold : float, default 0.8
        Impact-ratio threshold (four-fifths), compared exactly.
    alpha, adjust, reference, min_share, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact`.

    Returns
    -------
    ScreeningModelAudit

    Raises
    ------
    InputTypeError
        Inputs that are not one-dimensional (e.g. the two columns of ``predict_proba``).
    InvalidValueError
        Non-binary predictions without a threshold, missing values in ``y_pred`` or
        ``y_true``.
    InvalidParameterError
        Mismatched lengths, or a threshold per group.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import fairhire as fh
    >>> rng = np.random.default_rng(0)
    >>> sex = pd.Series(rng.choice(["Female", "Male"], 2_000), name="sex")
    >>> y_true = rng.random(2_000) < 0.4
    >>> scores = 0.5 * y_true + rng.normal(0, 0.3, 2_000) - 0.2 * (sex == "Female")
    >>> audit = fh.audit_screening_model(scores, sensitive_features=sex, y_true=y_true,
    ...                                  threshold=0.5)
    >>> row = audit.table.set_index("group").loc["Female"]
    >>> round(float(row.impact_ratio), 2), bool(row.adverse_impact)
    (0.54, True)
    >>> audit.error_rates.columns.tolist()[:5]
    ['feature', 'group', 'applicants', 'qualified', 'selection_rate']
    """
    thr = _check_threshold(threshold)
    pred = _vector(y_pred, "y_pred")
    n = len(pred)
    if n == 0:
        raise InvalidParameterError("y_pred is empty: nothing to audit.")
    if thr is not None:
        pred = _scores(pred, thr)
        selected = pred >= thr
    else:
        selected = _binary(pred, "y_pred", pos_label)
    frame = _sensitive_frame(sensitive_features, n)
    cols = list(frame.columns)
    frame[_SEL] = selected
    if thr is not None:
        frame[_S] = pred
    if y_true is not None:
        yt = _vector(y_true, "y_true")
        if len(yt) != n:
            raise InvalidParameterError(
                f"y_true has {len(yt):,} values but y_pred has {n:,}: they must describe the "
                "same individuals in the same order."
            )
        frame[_Y] = _binary(yt, "y_true", pos_label)
    features: list[list[str]] = [[c] for c in cols]
    if intersectional and len(cols) > 1:
        features.append(cols)

    tables, errors, fair, unknown_rows, warns = [], [], [], [], []
    for fcols in features:
        name = GROUP_SEPARATOR.join(fcols)
        ai = adverse_impact(
            frame[[*fcols, _SEL]], group=fcols, stages=[_SEL], reference=reference,
            threshold=ratio_threshold, alpha=alpha, adjust=adjust, min_share=min_share,
            min_n=min_n, unknown_labels=unknown_labels,
        )  # fmt: skip
        t = ai.table.drop(columns=["stage", "basis"])
        t.insert(0, "feature", name)
        tables.append(t)
        u = ai.unknown
        unknown_rows.append({"feature": name, "applicants": int(u["applicants"].iloc[0]),
                             "selected": int(u["selected"].iloc[0])})  # fmt: skip
        warns.extend(f"{name}: {w}" for w in ai.warnings)
        if y_true is not None:
            known = frame.loc[frame[fcols].notna().all(axis=1)]
            if unknown_labels:
                labels = {str(v) for v in unknown_labels}
                known = known.loc[~known[fcols].astype(str).isin(labels).any(axis=1)]
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore", RuntimeWarning)
                er, summ = _error_rates(known, fcols, name, thr is not None)
            errors.append(er)
            fair.append(summ)
    table = pd.concat(tables, ignore_index=True)
    for c in ("adverse_impact", "is_reference", "excluded", "significant", "flips_with_one",
              "small_sample"):  # fmt: skip
        table[c] = table[c].astype(bool)
    error_rates = pd.concat(errors, ignore_index=True) if errors else None
    fairness = pd.DataFrame(fair) if fair else None
    unknown = pd.DataFrame(unknown_rows, columns=["feature", "applicants", "selected"])
    all_missing = int(frame[cols].isna().all(axis=1).sum())
    rows = RowAccount(
        total=n,
        used=n - all_missing,
        excluded={"all sensitive features missing": all_missing} if all_missing else {},
    )
    params = {
        "threshold": thr, "pos_label": str(pos_label), "intersectional": intersectional,
        "ratio_threshold": str(as_fraction(ratio_threshold)), "alpha": alpha,
        "adjust": adjust, "reference": reference, "min_share": min_share, "min_n": min_n,
        "unknown_labels": [str(v) for v in unknown_labels],
        "sensitive_features": cols, "y_true": y_true is not None,
    }  # fmt: skip
    return ScreeningModelAudit(
        table=table,
        error_rates=error_rates,
        fairness=fairness,
        unknown=unknown,
        features=tuple(GROUP_SEPARATOR.join(f) for f in features),
        threshold=thr,
        ratio_threshold=float(as_fraction(ratio_threshold)),
        alpha=float(alpha),
        n=n,
        warnings=tuple(dict.fromkeys(warns)),
        rows=rows,
        params=params,
    )
