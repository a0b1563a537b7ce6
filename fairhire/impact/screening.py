"""Audit a screening model: selection rates, impact ratios and, with outcomes, error rates.

A résumé screener or ranking model is a selection procedure like any other. Its predictions
(or its scores with one threshold) decide who moves forward; this module compares the groups'
selection rates with the adverse-impact engine (impact ratios, the exact four-fifths flag,
Fisher's exact test, Z tests, shortfalls), and, when the true outcomes are known, compares
true- and false-positive rates per group. Everything comes from one group-by: the confusion
counts of every combination of the sensitive features (fairlearn's ``MetricFrame`` is the
cross-check in the tests, not a dependency of the audit).

There is deliberately no option for group-specific thresholds: adjusting scores, or using
different cut-offs, by race, color, religion, sex or national origin is prohibited in US
employment (Civil Rights Act of 1991 §106, 42 U.S.C. §2000e-2(l)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .._core.labels import clean_labels, relabel_counts
from .._core.options import (
    COMPARISON_OPTIONS,
    Options,
    check_options,
    option_kwargs,
    option_params,
)
from .._core.params import check_bool, check_threshold
from .._deprecation import renamed_argument
from .._frames import fingerprint_frame
from .._results import RowAccount
from .analysis import adverse_impact_from_counts
from .screening_inputs import SCORE, SEL, Inputs, Y, check_score_threshold, read_inputs
from .screening_result import ZERO_DENOMINATOR, ScreeningModelAudit

__all__ = ["ScreeningModelAudit", "audit_screening_model"]

_N, _K = "__fh_n", "__fh_k"
_CELLS = {
    "true_positives": (True, True),
    "false_positives": (True, False),
    "false_negatives": (False, True),
    "true_negatives": (False, False),
}


def _rate(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is zero (never 0: an undefined rate is not a zero rate)."""
    return (num / den.where(den > 0)).astype(float)


# --------------------------------------------------------------------------------------------
# Counting: one group-by, then small tables per feature
# --------------------------------------------------------------------------------------------


def _confusion(inputs: Inputs) -> pd.DataFrame:
    """Individuals per (feature values..., selected[, qualified]): the one group-by."""
    keys = [*inputs.features, SEL, *([Y] if Y in inputs.frame else [])]
    counts = inputs.frame.groupby(keys, dropna=False, sort=False, observed=True).size()
    out = counts.rename(_N).reset_index()
    for c in inputs.features:
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def _selection_table(
    confusion: pd.DataFrame, fcols: list[str], names: dict[str, str], options: Options
) -> Any:
    """The adverse-impact engine on the feature's counts (labels cleaned there)."""
    sel = confusion.assign(**{_K: confusion[_N].where(confusion[SEL], 0)})
    counts = sel.groupby(fcols, dropna=False, sort=False)[[_N, _K]].sum().reset_index()
    counts = counts.rename(columns=names)
    return adverse_impact_from_counts(
        counts,
        group=[names[c] for c in fcols],
        applicants=_N,
        selected=_K,
        **option_kwargs(options),
    )


def _error_rates(
    confusion: pd.DataFrame, fcols: list[str], feature: str, unknown_labels: Sequence[object]
) -> pd.DataFrame:
    """Confusion counts and rates per group of one feature (clean labels, unknowns left out)."""
    cells = {
        name: confusion[_N].where((confusion[SEL] == s) & (confusion[Y] == y), 0)
        for name, (s, y) in _CELLS.items()
    }
    wide = confusion[fcols].assign(**{_N: confusion[_N]}, **cells)
    clean, _ = relabel_counts(
        wide, fcols, count_columns=[_N, *_CELLS], weight=_N, unknown_labels=unknown_labels
    )
    clean = clean.loc[clean[fcols].notna().all(axis=1)]
    g = clean.groupby(fcols, sort=True)[[_N, *_CELLS]].sum().reset_index()
    tp, fp = g["true_positives"], g["false_positives"]
    fn, tn = g["false_negatives"], g["true_negatives"]
    out = pd.DataFrame(
        {
            "feature": feature,
            "group": [
                GROUP_SEPARATOR.join(str(v) for v in row)
                for row in g[fcols].itertuples(index=False, name=None)
            ],
            "applicants": g[_N].astype("int64"),
            "qualified": (tp + fn).astype("int64"),
            **{c: g[c].astype("int64") for c in _CELLS},
            "selection_rate": _rate(tp + fp, g[_N]),
            "true_positive_rate": _rate(tp, tp + fn),
            "false_positive_rate": _rate(fp, fp + tn),
            "false_negative_rate": _rate(fn, tp + fn),
            "positive_predictive_value": _rate(tp, tp + fp),
        }
    )
    out["tpr_difference"] = out["true_positive_rate"] - out["true_positive_rate"].max()
    out["fpr_difference"] = out["false_positive_rate"] - out["false_positive_rate"].min()
    return out.sort_values("group", kind="stable").reset_index(drop=True)


def _fairness(er: pd.DataFrame, feature: str) -> dict[str, Any]:
    sr, tpr, fpr = er["selection_rate"], er["true_positive_rate"], er["false_positive_rate"]
    return {
        "feature": feature,
        "demographic_parity_ratio": float(sr.min() / sr.max()) if sr.max() > 0 else math.nan,
        "demographic_parity_difference": float(sr.max() - sr.min()),
        "equal_opportunity_difference": float(tpr.max() - tpr.min()),
        "equalized_odds_difference": float(
            np.nanmax([tpr.max() - tpr.min(), fpr.max() - fpr.min(), -np.inf])
        ),
    }


def _clean_codes(
    frame: pd.DataFrame, fcols: list[str], unknown_labels: Sequence[object]
) -> tuple[np.ndarray, dict[str, int]]:
    """Each row's group as an integer code (−1: unknown), and each group label's code.

    Works on the distinct values of each column (cleaned by the shared rule), never row by row.
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    unknown = np.zeros(len(frame), dtype=bool)
    labels: list[list[str]] = [[]]
    for c in fcols:
        codes, uniques = pd.factorize(frame[c], use_na_sentinel=True)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        cleaning = clean_labels(list(uniques), counts, column=c, unknown_labels=unknown_labels)
        clean = [cleaning.get(u) for u in uniques]
        distinct = sorted({v for v in clean if v is not None}, key=str)
        index = {v: i for i, v in enumerate(distinct)}
        to_clean = np.array([index.get(v, -1) if v is not None else -1 for v in clean] + [-1])
        row = to_clean[np.where(codes < 0, len(uniques), codes)]
        unknown |= row < 0
        combined = combined * max(len(distinct), 1) + np.maximum(row, 0)
        labels = [[*prefix, str(v)] for prefix in labels for v in distinct]
    combined[unknown] = -1
    return combined, {GROUP_SEPARATOR.join(parts): i for i, parts in enumerate(labels)}


def _auc(
    inputs: Inputs, fcols: list[str], er: pd.DataFrame, unknown_labels: Sequence[object]
) -> np.ndarray:
    """AUC of the scores within each group of ``er`` (NaN without both outcomes)."""
    from sklearn.metrics import roc_auc_score

    codes, code_of = _clean_codes(inputs.frame, fcols, unknown_labels)
    y, s = inputs.frame[Y].to_numpy(dtype=bool), inputs.frame[SCORE].to_numpy(dtype=float)
    out = []
    for group in er["group"]:
        m = codes == code_of.get(group, -2)
        out.append(roc_auc_score(y[m], s[m]) if 0 < y[m].sum() < m.sum() else math.nan)
    return np.asarray(out, dtype=float)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def audit_screening_model(
    y_pred: Any,
    *,
    sensitive_features: Any,
    y_true: Any = None,
    score_threshold: float | None = None,
    pos_label: Any = 1,
    intersectional: bool = True,
    ratio_threshold: float | Fraction | str = 0.8,
    alpha: float = 0.05,
    adjust: str = "holm",
    reference: object | None = None,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
    threshold: float | None = None,
) -> ScreeningModelAudit:
    """Audit a screening model's selections for adverse impact, and its error rates by group.

    ``y_pred`` is what the model decided — predictions (True/False, 1/0, yes/no ..., or two
    labels with ``pos_label``) — or its scores with ``score_threshold=`` (selected = score at
    or above the threshold, one threshold for everyone), e.g. ``model.predict(X)`` or
    ``model.predict_proba(X)[:, 1]`` of any scikit-learn-style estimator. For each sensitive
    feature (and, with two or more, their intersection) the groups' selection rates are
    compared by the adverse-impact engine (:func:`fairhire.adverse_impact`): impact ratio,
    exact four-fifths flag, Fisher's exact test adjusted within the feature, Z tests, CI,
    shortfalls. With ``y_true`` (whether each individual was in fact qualified, e.g. later
    job performance), the confusion counts of each group (one group-by) give the
    true-positive rate (qualified candidates who were selected), false-positive rate,
    false-negative rate, positive predictive value and, for scores, the AUC per group, and the
    demographic-parity, equal-opportunity and equalized-odds differences. A rate whose
    denominator is zero (a group with no qualified candidates has no true-positive rate) is
    NaN, with a warning; fairlearn's ``MetricFrame`` reports 0 there, and agrees everywhere
    else (the tests check it).

    The shared rules apply: the reference group is the highest rate among groups with at
    least ``min_n`` people and 2% of those compared (ties: the largest; smaller groups are
    compared and marked ``too_small_for_reference``); sensitive labels that differ only in
    case or spaces are merged, with a warning; individuals with a blank prediction, outcome
    or score, or an infinite score, are left out and counted in ``rows``, with a warning.
    ``flagged`` holds the groups below four-fifths (exact comparison).

    Group-specific thresholds are not offered: in US employment, adjusting scores or using
    different cut-offs by protected group is prohibited (Civil Rights Act of 1991 §106); a
    threshold given per group is an error. To look for a less adverse single threshold, use
    :func:`fairhire.cutoff_analysis` on the scores.

    Parameters
    ----------
    y_pred : array-like
        Predictions, or scores with ``score_threshold``.
    sensitive_features : Series, DataFrame, dict of arrays or array
        One or more group columns, row-aligned with ``y_pred``. Missing values are counted
        as unknown and left out of the comparisons.
    y_true : array-like, optional
        True outcomes (yes/no, or two labels with ``pos_label`` positive).
    score_threshold : float, optional
        Score threshold: selected = ``y_pred >= score_threshold``. Renamed from
        ``threshold=``, which still works for one release with a FutureWarning.
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
        Predictions or outcomes that are not yes/no (nor two labels with ``pos_label``), or
        text in the scores.
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
    ...                                  score_threshold=0.5)
    >>> row = audit.table.set_index("group").loc["Female"]
    >>> round(float(row.impact_ratio), 2), bool(row.adverse_impact)
    (0.54, True)
    >>> audit.error_rates.columns.tolist()[:4]
    ['feature', 'group', 'applicants', 'qualified']
    """
    score_threshold = renamed_argument(
        "audit_screening_model", "threshold", "score_threshold", threshold, score_threshold
    )
    thr = check_score_threshold(score_threshold)
    intersectional = check_bool(intersectional, "intersectional")
    ratio = check_threshold(ratio_threshold, "ratio_threshold")
    options = check_options(
        threshold=ratio,
        alpha=alpha,
        adjust=adjust,
        reference=reference,
        min_share=min_share,
        min_n=min_n,
        unknown_labels=unknown_labels,
    )
    inputs = read_inputs(y_pred, sensitive_features, y_true, thr, pos_label)
    confusion = _confusion(inputs)
    cols = list(inputs.features)
    features = [[c] for c in cols] + ([cols] if intersectional and len(cols) > 1 else [])
    parts = [
        _compare_feature(confusion, fcols, inputs, options, thr, outcomes=y_true is not None)
        for fcols in features
    ]
    table = pd.concat([part.table for part in parts], ignore_index=True)
    table = table[["feature", *[c for c in table.columns if c != "feature"]]]
    errors = [part.error_rates for part in parts if part.error_rates is not None]
    error_rates = pd.concat(errors, ignore_index=True) if errors else None
    fair = [part.fairness for part in parts if part.fairness is not None]
    warnings = [
        *_input_warnings(inputs),
        *(w for part in parts for w in part.warnings),
        *_nan_warning(error_rates),
    ]
    params = {
        "score_threshold": thr,
        "pos_label": str(pos_label),
        "intersectional": intersectional,
        "ratio_threshold": str(ratio),
        **option_params(options, COMPARISON_OPTIONS[1:]),
        "sensitive_features": list(inputs.features.values()),
        "y_true": y_true is not None,
    }
    return ScreeningModelAudit(
        table=table,
        error_rates=error_rates,
        fairness=pd.DataFrame(fair) if fair else None,
        unknown=pd.DataFrame(
            [part.unknown for part in parts], columns=["feature", "applicants", "selected"]
        ),
        features=tuple(GROUP_SEPARATOR.join(inputs.features[c] for c in f) for f in features),
        threshold=thr,
        ratio_threshold=float(ratio),
        alpha=options.alpha,
        n=inputs.n,
        fingerprint=fingerprint_frame(confusion.rename(columns=inputs.features)),
        warnings=tuple(dict.fromkeys(warnings)),
        rows=_rows(inputs, confusion, options.unknown_labels),
        params=params,
    )


@dataclass(frozen=True)
class _Feature:
    """One feature's (or intersection's) comparison."""

    table: pd.DataFrame
    unknown: dict[str, Any]
    warnings: list[str]
    error_rates: pd.DataFrame | None
    fairness: dict[str, Any] | None


def _compare_feature(
    confusion: pd.DataFrame,
    fcols: list[str],
    inputs: Inputs,
    options: Options,
    thr: float | None,
    *,
    outcomes: bool,
) -> _Feature:
    """Selection rates by the adverse-impact engine and, with outcomes, the error rates."""
    name = GROUP_SEPARATOR.join(inputs.features[c] for c in fcols)
    ai = _selection_table(confusion, fcols, inputs.features, options)
    u = ai.unknown
    unknown = {
        "feature": name,
        "applicants": int(u["applicants"].iloc[0]),
        "selected": int(u["selected"].iloc[0]),
    }
    er = fair = None
    if outcomes:
        er = _error_rates(confusion, fcols, name, options.unknown_labels)
        er["auc"] = _auc(inputs, fcols, er, options.unknown_labels) if thr is not None else math.nan
        fair = _fairness(er, name)
    return _Feature(
        table=ai.table.drop(columns=["stage", "basis"]).assign(feature=name),
        unknown=unknown,
        warnings=[f"{name}: {w}" for w in ai.warnings],
        error_rates=er,
        fairness=fair,
    )


def _input_warnings(inputs: Inputs) -> list[str]:
    return [
        f"{n:,} individuals left out, {reason}: a blank (or infinite) value is counted, never "
        "guessed."
        for reason, n in inputs.excluded.items()
    ]


def _nan_warning(error_rates: pd.DataFrame | None) -> list[str]:
    if error_rates is None:
        return []
    rates = ["true_positive_rate", "false_positive_rate", "positive_predictive_value"]
    undefined = error_rates.loc[error_rates[rates].isna().any(axis=1)]
    if undefined.empty:
        return []
    groups = ", ".join(f"{r.group} ({r.feature})" for r in undefined.itertuples(index=False))
    return [f"{ZERO_DENOMINATOR[0].upper()}{ZERO_DENOMINATOR[1:]}: {groups}."]


def _unknown_everywhere(
    confusion: pd.DataFrame, inputs: Inputs, unknown_labels: Sequence[object]
) -> int:
    """Individuals whose group is unknown in every feature: in no comparison at all."""
    mask = np.ones(len(confusion), dtype=bool)
    for c in inputs.features:
        per = confusion.groupby(confusion[c].astype(object), dropna=False, sort=False)[_N].sum()
        cleaning = clean_labels(
            per.index.tolist(), per.tolist(), column=c, unknown_labels=unknown_labels
        )
        mask &= np.array([cleaning.get(v) is None for v in confusion[c]], dtype=bool)
    return int(confusion.loc[mask, _N].sum())


def _rows(inputs: Inputs, confusion: pd.DataFrame, unknown_labels: Sequence[object]) -> RowAccount:
    excluded = dict(inputs.excluded)
    unknown = _unknown_everywhere(confusion, inputs, unknown_labels)
    if unknown:
        excluded["missing group"] = unknown
    return RowAccount.of(inputs.n, excluded)
