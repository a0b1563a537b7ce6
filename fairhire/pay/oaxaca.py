"""Oaxaca–Blinder decomposition of a mean pay gap into explained and unexplained parts.

This module reads the data (labels, the two groups, the row account) and builds the result; the
statistics (threefold and twofold decompositions, delta-method and bootstrap standard errors)
are in :mod:`fairhire.stats.oaxaca`. Sources: Oaxaca (1973), Blinder (1973), Neumark (1988),
Cotton (1988), Reimers (1983), Jann (2008, Stata Journal 8(4): 453–479).

The features should be the controls of the adjusted pay gap (:func:`fairhire.pay_gap`): the
decomposition then explains the raw gap with the same legitimate pay factors the adjusted gap
holds equal, and its unexplained part matches the adjusted gap (with the pooled reference
coefficients it is minus the group coefficient of the same regression).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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
)
from .._core.reference import find_group
from .._core.reference_rows import explains_reference
from .._core.strata import clean_category_columns
from .._core.text import format_counted
from .._deprecation import renamed_argument
from .._frames import as_columns
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidParameterError, preview
from ..stats.oaxaca import decompose
from ..stats.regression import CollinearityError, blas_single_thread
from ._design import build_design
from ._groups import clean_column
from ._rows import RowFilter, collect, drop_masked, drop_missing, row_fingerprint
from ._values import check_pay
from .fitting import no_residual
from .oaxaca_result import OaxacaBlinderResult, decomposition_tables

__all__ = ["OaxacaBlinderResult", "oaxaca_blinder"]

SCHEMES = ("pooled", "neumark", "cotton", "reimers")
OB_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


@dataclass(frozen=True)
class _Options:
    outcome: str
    group: str
    features: list[str]
    categorical: list[str]
    scheme: str | float  # "pooled", "neumark", "cotton", "reimers", a group label, or a weight
    log: bool
    cov_type: str
    se: str | None
    n_boot: int
    confidence: float
    alpha: float
    missing: str
    unknown_labels: tuple[Any, ...]


def _options(
    *,
    outcome: str,
    group: str,
    features: Any,
    categorical: Any,
    coefficients: Any,
    log: Any,
    cov_type: Any,
    se: Any,
    n_boot: Any,
    confidence: Any,
    alpha: Any,
    missing: Any,
    reference: Any,
    unknown_labels: Any,
) -> _Options:
    """Every option of :func:`oaxaca_blinder` that shapes the models, checked once."""
    coefficients = renamed_argument(
        "oaxaca_blinder", "reference", "coefficients", reference, coefficients, "pooled"
    )
    features_l = as_columns(features, argument="features")
    if not features_l:
        raise InvalidParameterError("features= must name at least one explanatory column.")
    if outcome in features_l or group in features_l:
        raise InvalidParameterError("the outcome and group columns cannot also be features.")
    if se is not None:
        check_choice(se, "se", ("delta", "bootstrap"))
    if se == "bootstrap":
        check_int(n_boot, "n_boot", low=2)
    return _Options(
        outcome=outcome,
        group=group,
        features=features_l,
        categorical=check_among(as_columns(categorical, argument="categorical"), features_l,
                                "categorical", "features"),
        scheme=_scheme(coefficients),
        log=check_bool(log, "log"),
        cov_type=check_choice(cov_type, "cov_type", OB_COV_TYPES),
        se=se,
        n_boot=int(n_boot),
        confidence=check_confidence(confidence),
        alpha=check_alpha(alpha),
        missing=check_choice(missing, "missing", ("exclude", "raise")),
        unknown_labels=as_labels(unknown_labels),
    )


def _scheme(coefficients: Any) -> str | float:
    """A weight in [0, 1], one of :data:`SCHEMES`, or text naming a group (checked later)."""
    if isinstance(coefficients, bool | np.bool_) or coefficients is None:
        raise InvalidParameterError(f"coefficients={coefficients!r} is not a valid choice.")
    if isinstance(coefficients, int | float | np.integer | np.floating):
        if not 0 <= float(coefficients) <= 1:
            raise InvalidParameterError(
                f"coefficients={coefficients!r}: a weight on group A's coefficients must lie "
                "in [0, 1]."
            )
        return float(coefficients)
    text = str(coefficients).strip()
    if text.lower() == "nuemark":  # statsmodels' spelling
        return "neumark"
    return text.lower() if text.lower() in SCHEMES else text


def _oaxaca_blinder(
    data: Any, *, groups: Any, random_state: Any, opts: _Options
) -> OaxacaBlinderResult:
    """The work of :func:`oaxaca_blinder`, its options checked (:func:`_options`)."""
    outcome, group, missing, log = opts.outcome, opts.group, opts.missing, opts.log
    frame, total = collect(
        data, analysis="oaxaca_blinder", numbers=("outcome", "features"), outcome=outcome, group=group, features=opts.features
    )
    rows = RowFilter(total)
    drop_missing(frame, rows, {outcome: "outcome"}, missing=missing)
    labels = clean_column(frame[group], group, opts.unknown_labels)
    drop_masked(rows, labels.missing, group, "group", missing=missing)
    drop_missing(frame, rows, {f: "feature" for f in opts.features}, missing=missing)
    checked = check_pay(
        frame[outcome], outcome, positive=log, argument="outcome", where=rows.keep,
        groups=labels.codes,
    )
    pair = _two_groups(labels.values, checked.values, rows, group, groups)
    warnings = [*labels.cleaning.warnings((pair.a, pair.b)), *checked.warnings, *pair.warnings]
    as_text = numbers_as_categories_in(
        frame, [c for c in opts.features if c not in opts.categorical], argument="features")
    warnings += as_text
    order = np.concatenate(
        [np.flatnonzero(pair.is_a & rows.keep), np.flatnonzero(pair.is_b & rows.keep)]
    )
    warnings += rows.warning()
    sub, merged = clean_category_columns(frame.iloc[order].reset_index(drop=True), opts.features)
    warnings += merged
    y = checked.values[order]
    y = np.log(y) if log else y
    n_a = int((pair.is_a & rows.keep).sum())
    try:
        return _decomposition(sub, y, n_a, pair, opts, rows, warnings, random_state)
    except CollinearityError as exc:
        if not as_text:
            raise
        # a number held as text has one category per value: that, not the data, is collinear
        detail = str(exc) if len(str(exc)) <= 300 else str(exc)[:300] + " ..."
        raise CollinearityError(f"{as_text[0]} {detail}", exc.sets) from None


@explains_reference()
@implemented_by(_oaxaca_blinder, opts=_options)
def oaxaca_blinder(
    data: Any,
    *,
    outcome: str,
    group: str,
    features: str | Sequence[str],
    coefficients: str | float = "pooled",
    log: bool = False,
    groups: tuple[Any, Any] | None = None,
    categorical: str | Sequence[str] = (),
    cov_type: str = "HC1",
    se: str | None = "delta",
    n_boot: int = 200,
    random_state: int | np.random.Generator | None = None,
    confidence: float = 0.95,
    alpha: float = 0.05,
    missing: str = "exclude",
    unknown_labels: Sequence[Any] = (),
    reference: str | float | None = None,
) -> OaxacaBlinderResult:
    """Decompose the mean outcome gap between two groups (Oaxaca 1973; Blinder 1973).

    Parameters
    ----------
    data : data frame
        Anything :func:`fairhire._frames.to_narwhals` accepts; the needed columns are
        collected to pandas (the regressions need row-level data).
    outcome : str
        Outcome column (e.g. salary).
    group : str
        Group column. Labels that differ only in case or spaces are merged, with a warning;
        missing values (and ``unknown_labels``) are excluded and counted.
    features : str or list of str
        Explanatory variables; text/categorical columns are expanded into dummies (first
        sorted level as base). Use the controls of the adjusted pay gap
        (:func:`fairhire.pay_gap`), so that the two analyses explain the gap with the same
        legitimate pay factors: with fewer features, the unexplained part also holds what the
        missing ones would explain.
    coefficients : {"pooled", "neumark", "cotton", "reimers"}, a group label, or a float
        Reference coefficients β* of the twofold decomposition: pooled regression with a group
        dummy (default), pooled without it (Neumark 1988; statsmodels spells it "nuemark",
        which is accepted too), group-size weights (Cotton 1988), ½–½ (Reimers 1983), one
        group's coefficients (its label), or a weight w on A's coefficients.
    log : bool, default False
        Decompose the mean of log(outcome) (components in log points).
    groups : (A, B), optional
        The advantaged group A and group B (labels or values). Default: when the data hold two
        groups, or exactly two groups large enough to give stable figures (at least 30 people
        and 2% of the rows, the shared reference rule), A is the one with the higher mean
        outcome and B the other; smaller groups are excluded and counted. Otherwise name them.
    categorical : str or list of str
        Numeric features to treat as categorical.
    cov_type : {"HC1", "HC0", "HC2", "HC3", "nonrobust"}, default "HC1"
        Covariance of the regression coefficients used by the delta method. With a pooled
        reference the joint covariance of the group and pooled coefficients is estimated by
        stacking their score contributions (as Stata's ``suest``, which Jann's ``oaxaca`` uses).
    se : {"delta", "bootstrap"} or None, default "delta"
        Standard errors by the delta method (Jann 2008), by a bootstrap that resamples
        employees within each group, or none.
    n_boot : int, default 200
        Bootstrap replications.
    random_state : int or numpy Generator, optional
        Seed of the bootstrap.
    confidence : float, default 0.95
        Confidence level of the intervals.
    alpha : float, default 0.05
        Significance level: the unexplained part is flagged when its p-value is below it.
    missing : {"exclude", "raise"}, default "exclude"
    unknown_labels : list, optional
        Group values that mean "unknown": excluded and counted like missing values.
    reference : optional
        The old name of ``coefficients`` (works for one more release, with a FutureWarning).

    Returns
    -------
    OaxacaBlinderResult

    Examples
    --------
    >>> import fairhire as fh
    >>> wf = fh.datasets.make_workforce(4000, random_state=5)
    >>> ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", log=True,
    ...                        features=["level", "job_family", "tenure_years"])
    >>> ob.group_a, ob.group_b
    ('Male', 'Female')
    >>> parts = ob.component("explained") + ob.component("unexplained")
    >>> bool(abs(parts - ob.gap) < 1e-9)
    True
    """


@dataclass(frozen=True)
class _Pair:
    """The two groups compared: A (advantaged) and B, and their rows."""

    a: str
    b: str
    is_a: np.ndarray
    is_b: np.ndarray
    warnings: tuple[str, ...]


def _two_groups(
    clean: np.ndarray, outcome: np.ndarray, rows: RowFilter, column: str, groups: Any
) -> _Pair:
    """Groups A and B (``groups=``, or the default of :func:`oaxaca_blinder`); the rows of
    every other group are excluded and counted."""
    from ._groups import group_codes

    keep = rows.keep.copy()
    codes = group_codes(clean[keep], outcome[keep], column, min_n=30)
    labels = list(codes.labels)
    first = np.unique(codes.codes, return_index=True)[1]
    keys = [clean[keep][i] for i in first]
    warnings: list[str] = []
    if groups is not None:
        a, b = _named_pair(groups, labels, keys, column)
    else:
        eligible = [lab for i, lab in enumerate(labels) if codes.choice.eligible[i]]
        candidates = labels if len(labels) == 2 else eligible
        if len(candidates) != 2:
            raise InvalidParameterError(
                f"column {column!r} has {len(labels)} groups ({preview(labels, limit=8)}), "
                f"{len(eligible)} of them large enough to give stable figures; a decomposition "
                "compares two. Pass groups=(A, B), A being the advantaged group."
            )
        means = {
            lab: float(outcome[keep][codes.codes == labels.index(lab)].mean()) for lab in candidates
        }
        a = max(candidates, key=lambda lab: (means[lab], -labels.index(lab)))
        b = next(lab for lab in candidates if lab != a)
    for lab in (a, b):
        if codes.too_small(lab):
            warnings.append(
                f"group {lab!r} has {format_counted(codes.counts[lab])}, fewer than 30 or under 2% of "
                "the rows: its regression, and so the decomposition, is unstable."
            )
    text = np.full(len(clean), None, dtype=object)
    text[keep] = np.asarray(labels, dtype=object)[codes.codes]
    for lab in labels:
        if lab not in (a, b):
            rows.drop(text == lab, f"group not compared ({lab})")
    return _Pair(a, b, text == a, text == b, tuple(warnings))


def _named_pair(groups: Any, labels: list[str], keys: list[Any], column: str) -> tuple[str, str]:
    if not isinstance(groups, Sequence) or isinstance(groups, str) or len(groups) != 2:
        raise InvalidParameterError(f"groups= must be a pair (A, B); got {groups!r}.")
    chosen = []
    for g in groups:
        try:
            chosen.append(labels[find_group(g, labels, keys)])
        except InvalidParameterError:
            raise InvalidParameterError(
                f"groups= names {g!r}, which is not a value of column {column!r}; the groups "
                f"are {preview(labels, limit=12)}."
            ) from None
    if chosen[0] == chosen[1]:
        raise InvalidParameterError("groups= must name two different groups.")
    return chosen[0], chosen[1]


def _decomposition(
    sub: pd.DataFrame,
    y: np.ndarray,
    n_a: int,
    pair: _Pair,
    opts: _Options,
    rows: RowFilter,
    warnings: list[str],
    random_state: Any,
) -> OaxacaBlinderResult:
    design = build_design(sub, opts.features, categorical=opts.categorical)
    k = design.X.shape[1]
    for lab, n_g in ((pair.a, n_a), (pair.b, len(y) - n_a)):
        if n_g <= k:
            raise InsufficientDataError(
                f"group {lab!r} has {n_g} employees, too few to estimate {k} coefficients. "
                "Use fewer features or merge categories."
            )
    scheme, label = _resolve_scheme(opts.scheme, pair, n_a, len(y) - n_a)
    variables = ["(constant)" if t == "const" else t for t in design.terms]
    order = list(dict.fromkeys(variables))
    aggregate = np.array([[1.0 if v == name else 0.0 for v in variables] for name in order])
    with blas_single_thread():
        dec = decompose(
            design.X,
            y,
            n_a,
            names=design.names,
            groups=aggregate,
            scheme=scheme,
            cov_type=opts.cov_type,
            se=opts.se,
            n_boot=opts.n_boot,
            random_state=random_state,
            labels=(pair.a, pair.b),
        )
    if design.levels:
        warnings.append(
            "The detailed coefficient and unexplained contributions of categorical features ("
            + ", ".join(design.levels)
            + ") depend on the base category chosen (Oaxaca & Ransom 1999); their totals and "
            "the explained contributions do not."
        )
    tables = decomposition_tables(
        dec, design.names, variables, order, confidence=opts.confidence, alpha=opts.alpha
    )
    if no_residual(dec.fit_a) and no_residual(dec.fit_b):
        tables["overall"] = _untested_noise(tables["overall"])
        warnings.append(
            f"{opts.outcome!r} is fully explained by the features in both groups (as on a fixed "
            "pay scale): the coefficients, interaction and unexplained parts are rounding noise, "
            "so they are not tested."
        )
    inputs = sub[[opts.outcome, *opts.features]].assign(
        **{opts.group: np.where(np.arange(len(y)) < n_a, pair.a, pair.b)}
    )
    return OaxacaBlinderResult(
        outcome=opts.outcome,
        group=opts.group,
        group_a=pair.a,
        group_b=pair.b,
        features=tuple(opts.features),
        reference=label,
        log=opts.log,
        cov_type=opts.cov_type,
        se_method=opts.se,
        confidence=opts.confidence,
        alpha=opts.alpha,
        n_a=n_a,
        n_b=len(y) - n_a,
        mean_a=float(y[:n_a].mean()),
        mean_b=float(y[n_a:].mean()),
        gap=dec.gap,
        **tables,
        fingerprint=row_fingerprint(inputs),
        warnings=tuple(warnings),
        rows=RowAccount(total=rows.n, used=rows.used, excluded=dict(rows.excluded)),
        params=_params(opts, pair, label, random_state),
    )


def _untested_noise(overall: pd.DataFrame) -> pd.DataFrame:
    """The overall table with no test of the parts a perfect fit leaves as rounding noise: a
    1e-11 unexplained gap with a standard error of 2e-12 was flagged with p < 0.001."""
    out = overall.copy()
    noise = out["component"].isin(["coefficients", "interaction", "unexplained"])
    out.loc[noise, ["std_error", "z", "p_value", "ci_low", "ci_high"]] = np.nan
    out.loc[noise, "flagged"] = False
    return out


def _resolve_scheme(scheme: str | float, pair: _Pair, n_a: int, n_b: int) -> tuple[Any, str]:
    """The scheme as "pooled", "neumark" or a weight on A, and its name for the result."""
    if isinstance(scheme, float):
        return scheme, f"weight {scheme:g} on {pair.a}"
    if scheme in ("pooled", "neumark"):
        return scheme, scheme
    if scheme == "cotton":
        return n_a / (n_a + n_b), scheme
    if scheme == "reimers":
        return 0.5, scheme
    for weight, lab in ((1.0, pair.a), (0.0, pair.b)):
        if scheme == lab or scheme.casefold() == lab.casefold():
            return weight, f"{lab} coefficients"
    raise InvalidParameterError(
        f"coefficients={scheme!r} is not one of {', '.join(SCHEMES)}, a weight in [0, 1], or "
        f"one of the two groups ({pair.a!r}, {pair.b!r})."
    )


def _params(opts: _Options, pair: _Pair, label: str, random_state: Any) -> dict[str, Any]:
    """The arguments the decomposition ran with (for the reproducibility appendix)."""
    return {
        "outcome": opts.outcome,
        "group": opts.group,
        "groups": [pair.a, pair.b],
        "features": opts.features,
        "coefficients": label,
        "log": opts.log,
        "categorical": opts.categorical,
        "cov_type": opts.cov_type,
        "se": opts.se,
        "n_boot": opts.n_boot if opts.se == "bootstrap" else None,
        "random_state": random_state if isinstance(random_state, int | None) else "generator",
        "confidence": opts.confidence,
        "alpha": opts.alpha,
        "missing": opts.missing,
        "unknown_labels": list(opts.unknown_labels),
    }
