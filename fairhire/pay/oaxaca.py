"""Oaxaca–Blinder decomposition of a mean pay gap into explained and unexplained parts.

Groups A (advantaged) and B. With group means of the regressors x̄ and group-specific OLS
coefficients β:

- threefold: endowments E = (x̄A − x̄B)'βB, coefficients C = x̄B'(βA − βB), interaction
  I = (x̄A − x̄B)'(βA − βB);
- twofold with reference coefficients β*: explained Q = (x̄A − x̄B)'β*, unexplained
  U = x̄A'(βA − β*) + x̄B'(β* − βB).

β* is the pooled regression with a group dummy (default; Jann 2008 / Fortin 2008: U then equals
minus the dummy's coefficient), Neumark's pooled regression without it, Cotton's group-size
weights, Reimers' ½–½, either group's coefficients, or a weight on A's. Standard errors come
from the delta method treating both the coefficients and the regressor means as random (Jann
2008), or from a bootstrap. Sources: Oaxaca (1973), Blinder (1973), Neumark (1988), Cotton
(1988), Reimers (1983), Jann (2008, Stata Journal 8(4): 453–479).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._frames import as_columns
from .._results import Headline, Result, RowAccount
from .._sex import FEMALE, MALE
from ..errors import InsufficientDataError, InvalidParameterError, preview
from ..stats.regression import CollinearityError, OLSFit, blas_single_thread, fit_ols
from ._design import (
    RowFilter,
    build_design,
    check_pay,
    collect,
    describe_collinearity,
    drop_missing,
    read_groups,
)

__all__ = ["OaxacaBlinderResult", "oaxaca_blinder"]

REFERENCES = ("pooled", "neumark", "cotton", "reimers")
_COMPONENTS = ("endowments", "coefficients", "interaction", "explained", "unexplained")
_CHUNK = 1 << 16
OB_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


@dataclass(frozen=True, kw_only=True, eq=False)
class OaxacaBlinderResult(Result):
    """A threefold and a twofold Oaxaca–Blinder decomposition, overall and per variable.

    Attributes
    ----------
    overall : pandas.DataFrame
        ``decomposition`` ("total", "threefold", "twofold"), ``component`` ("gap",
        "endowments", "coefficients", "interaction", "explained", "unexplained"),
        ``estimate``, ``std_error``, ``z``, ``p_value``, ``ci_low``, ``ci_high``,
        ``share_of_gap`` (% of the total gap).
    detailed : pandas.DataFrame
        The same columns plus ``variable``: each feature's contribution (a categorical
        feature's dummies summed), and ``"(constant)"`` for the intercept's share of the
        coefficient and unexplained parts.
    terms : pandas.DataFrame
        Contributions of every column of the design (each dummy separately).
    coefficients : pandas.DataFrame
        ``term``, ``mean_a``, ``mean_b``, ``coef_a``, ``coef_b``, ``coef_reference``.
    """

    outcome: str
    group: str
    group_a: str
    group_b: str
    features: tuple[str, ...]
    reference: str
    log: bool
    cov_type: str
    se_method: str | None
    confidence: float
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    gap: float
    overall: pd.DataFrame
    detailed: pd.DataFrame
    terms: pd.DataFrame
    coefficients: pd.DataFrame

    kind: ClassVar[str] = "Oaxaca–Blinder decomposition"
    count_columns: ClassVar[frozenset[str]] = frozenset({"n", "n_a", "n_b"})

    def to_frame(self) -> pd.DataFrame:
        return self.overall.copy()

    def component(self, name: str) -> float:
        """The estimate of one component ("gap", "explained", "unexplained", "endowments" ...)."""
        row = self.overall[self.overall["component"] == name]
        if row.empty:
            raise InvalidParameterError(
                f"no component {name!r}; choose from {preview(self.overall['component'])}."
            )
        return float(row["estimate"].iloc[0])

    def summary(self) -> str:
        unit = " (log points)" if self.log else ""
        lines = [
            f"Oaxaca–Blinder: {self.outcome}{unit} by {self.group}, A = {self.group_a} "
            f"(n={self.n_a:,}, mean {self.mean_a:.4g}) vs B = {self.group_b} (n={self.n_b:,}, "
            f"mean {self.mean_b:.4g}); reference coefficients: {self.reference}; "
            f"standard errors: {self.se_method or 'none'}",
        ]
        if self.rows is not None:
            lines.append(self.rows.describe())
        for r in self.overall.itertuples(index=False):
            se = f" (SE {r.std_error:.4g}, p {r.p_value:.3g})" if np.isfinite(r.std_error) else ""
            lines.append(
                f"  {r.decomposition:>9} {r.component:<13} {r.estimate: .5g}{se}"
                f"  {r.share_of_gap:.1f}% of gap"
            )
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        explained = self.overall[self.overall["component"] == "explained"].iloc[0]
        unexplained = self.overall[self.overall["component"] == "unexplained"].iloc[0]
        unit = "log points" if self.log else self.outcome
        significant = bool(np.isfinite(unexplained.p_value) and unexplained.p_value < 0.05)
        text = (
            f"Of the {self.gap:.4g} {unit} gap between {self.group_a} and {self.group_b} "
            f"employees, {explained.share_of_gap:.0f}% is explained by differences in "
            f"{', '.join(self.features)} and {unexplained.share_of_gap:.0f}% is unexplained "
            f"({unexplained.estimate:.4g}"
            + (f"; p = {unexplained.p_value:.3g}" if np.isfinite(unexplained.p_value) else "")
            + f"; {self.reference} reference coefficients)."
        )
        return [
            Headline(
                severity=3 if significant and unexplained.estimate * self.gap > 0 else 1,
                text=text,
                figure=float(unexplained.estimate),
                section="twofold",
            )
        ]


def _fit(y: np.ndarray, X: np.ndarray, names: list[str], cov_type: str) -> OLSFit:
    return fit_ols(y, X, names=names, cov_type=cov_type, compute_leverage=True)


def _adjusted_scores(fit: OLSFit, cov_type: str, group_sigma: np.ndarray | None) -> np.ndarray:
    """Per-row score multipliers s_i so that inv·(Σ s_i² x_i x_i')·inv is the chosen covariance."""
    if cov_type == "nonrobust":
        assert group_sigma is not None
        return group_sigma
    e = fit.resid
    if cov_type == "HC0":
        return e
    if cov_type == "HC1":
        return e * np.sqrt(fit.nobs / fit.df_resid)
    h = fit.leverage
    assert h is not None
    one_minus = np.where(1 - h > 1e-10, 1 - h, np.inf)
    return e / (np.sqrt(one_minus) if cov_type == "HC2" else one_minus)


def _cross(X1: np.ndarray, s1: np.ndarray, X2: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """Σ_i s1_i s2_i x1_i x2_i' in row chunks."""
    out = np.zeros((X1.shape[1], X2.shape[1]))
    w = s1 * s2
    for start in range(0, X1.shape[0], _CHUNK):
        sl = slice(start, start + _CHUNK)
        out += (X1[sl] * w[sl, None]).T @ X2[sl]
    return out


def _mean_cov(X: np.ndarray) -> np.ndarray:
    """Covariance matrix of the column means of X (sample covariance / n)."""
    n = X.shape[0]
    mean = X.mean(axis=0)
    gram = X.T @ X
    cov = (gram - n * np.outer(mean, mean)) / (n - 1)
    return cov / n


@dataclass
class _Pieces:
    xa: np.ndarray
    xb: np.ndarray
    ba: np.ndarray
    bb: np.ndarray
    bs: np.ndarray  # reference coefficients (length k)
    w: float | None  # weight of A in β* = w βA + (1 − w) βB, or None if estimated (pooled)
    delta: float | None = None  # pooled-with-dummy: coefficient of the B dummy


def _quantities(p: _Pieces) -> np.ndarray:
    """Per-term contributions, shape (5, k): E, C, I, Q, U."""
    d = p.xa - p.xb
    diff = p.ba - p.bb
    return np.vstack(
        [
            d * p.bb,
            p.xb * diff,
            d * diff,
            d * p.bs,
            p.xa * (p.ba - p.bs) + p.xb * (p.bs - p.bb),
        ]
    )


def _gradients(p: _Pieces, k: int, has_star: bool) -> np.ndarray:
    """d(term contribution)/dθ, shape (5, k, dim θ); θ = [x̄A, x̄B, βA, βB, (β*)]."""
    dim = 4 * k + (k if has_star else 0)
    g = np.zeros((5, k, dim))
    j = np.arange(k)
    XA, XB, BA, BB, BS = 0, k, 2 * k, 3 * k, 4 * k
    d = p.xa - p.xb
    diff = p.ba - p.bb
    # endowments E_j = d_j βB_j
    g[0, j, XA + j] = p.bb
    g[0, j, XB + j] = -p.bb
    g[0, j, BB + j] = d
    # coefficients C_j = x̄B_j (βA_j − βB_j)
    g[1, j, XB + j] = diff
    g[1, j, BA + j] = p.xb
    g[1, j, BB + j] = -p.xb
    # interaction I_j = d_j (βA_j − βB_j)
    g[2, j, XA + j] = diff
    g[2, j, XB + j] = -diff
    g[2, j, BA + j] = d
    g[2, j, BB + j] = -d
    # explained Q_j = d_j β*_j ; unexplained U_j = x̄A_j(βA_j − β*_j) + x̄B_j(β*_j − βB_j)
    g[3, j, XA + j] = p.bs
    g[3, j, XB + j] = -p.bs
    g[4, j, XA + j] = p.ba - p.bs
    g[4, j, XB + j] = p.bs - p.bb
    g[4, j, BA + j] = p.xa
    g[4, j, BB + j] = -p.xb
    dstar_q, dstar_u = d, -d
    if has_star:
        g[3, j, BS + j] = dstar_q
        g[4, j, BS + j] = dstar_u
    else:
        w = p.w
        assert w is not None
        g[3, j, BA + j] += w * dstar_q
        g[3, j, BB + j] += (1 - w) * dstar_q
        g[4, j, BA + j] += w * dstar_u
        g[4, j, BB + j] += (1 - w) * dstar_u
    return g


def _weighted_fit(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    Xw = X * w[:, None]
    return np.linalg.solve(Xw.T @ X, Xw.T @ y)


def oaxaca_blinder(
    data: Any,
    *,
    outcome: str,
    group: str,
    features: str | Sequence[str],
    reference: str | float = "pooled",
    log: bool = False,
    groups: tuple[Any, Any] | None = None,
    categorical: str | Sequence[str] = (),
    cov_type: str = "HC1",
    se: str | None = "delta",
    n_boot: int = 200,
    random_state: int | np.random.Generator | None = None,
    confidence: float = 0.95,
    missing: str = "exclude",
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
        Group column. A sex column is read with :func:`fairhire._sex.normalize_sex` and
        compares "Male" (A) with "Female" (B); other values are excluded and counted.
    features : str or list of str
        Explanatory variables; text/categorical columns are expanded into dummies (first
        sorted level as base).
    reference : {"pooled", "neumark", "cotton", "reimers"}, a group label, or a float
        Reference coefficients β* of the twofold decomposition: pooled regression with a group
        dummy (default), pooled without it (Neumark 1988; statsmodels spells it "nuemark",
        which is accepted too), group-size weights (Cotton 1988), ½–½ (Reimers 1983), one
        group's coefficients (its label), or a weight w on A's coefficients.
    log : bool, default False
        Decompose the mean of log(outcome) (components in log points).
    groups : (A, B), optional
        The advantaged group A and group B. Default: Male vs Female for a sex column;
        otherwise the two groups, A being the one with the higher mean outcome.
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
    missing : {"exclude", "raise"}, default "exclude"

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
    features_l = as_columns(features, argument="features")
    categorical_l = as_columns(categorical, argument="categorical")
    if not features_l:
        raise InvalidParameterError("features= must name at least one explanatory column.")
    if cov_type not in OB_COV_TYPES:
        raise InvalidParameterError(
            f"cov_type={cov_type!r} is not supported here; use one of {', '.join(OB_COV_TYPES)}."
        )
    if se not in ("delta", "bootstrap", None):
        raise InvalidParameterError(f"se={se!r}: use 'delta', 'bootstrap' or None.")
    if se == "bootstrap" and (not isinstance(n_boot, int | np.integer) or n_boot < 2):
        raise InvalidParameterError(f"n_boot={n_boot!r} must be an integer of at least 2.")
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie between 0 and 1.")
    if outcome in features_l or group in features_l:
        raise InvalidParameterError("the outcome and group columns cannot also be features.")
    ref_kind: str | float
    if isinstance(reference, bool):
        raise InvalidParameterError(f"reference={reference!r} is not a valid choice.")
    if isinstance(reference, int | float | np.floating | np.integer):
        if not 0 <= float(reference) <= 1:
            raise InvalidParameterError(
                f"reference={reference!r}: a weight on group A's coefficients must lie in [0, 1]."
            )
        ref_kind = float(reference)
    else:
        ref_kind = str(reference).strip()
        if ref_kind.lower() == "nuemark":  # statsmodels' spelling
            ref_kind = "neumark"
        if ref_kind.lower() in REFERENCES:
            ref_kind = ref_kind.lower()

    frame, total = collect(
        data, analysis="oaxaca_blinder", outcome=outcome, group=group, features=features_l
    )
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    rows = RowFilter(total)
    roles = {outcome: "outcome", group: "group"}
    roles.update({f: "feature" for f in features_l})
    drop_missing(frame, rows, roles, missing=missing)
    y_all = check_pay(frame[outcome], outcome, positive=log, argument="outcome", where=rows.keep)
    keep_pos = np.flatnonzero(rows.keep)
    sub = frame.iloc[keep_pos].reset_index(drop=True)
    gc = read_groups(sub[group], group)
    labels = list(gc.labels)
    y_sub = y_all[keep_pos]
    y_model = np.log(y_sub) if log else y_sub

    if groups is not None:
        if len(groups) != 2:
            raise InvalidParameterError(f"groups= must be a pair (A, B); got {groups!r}.")
        chosen = []
        for g in groups:
            lab = str(g).strip()
            if gc.is_sex and lab not in labels:
                from .._sex import normalize_sex

                canon = normalize_sex([g]).labels[0]
                lab = canon if canon is not None else lab
            if lab not in labels:
                raise InvalidParameterError(
                    f"groups= names {g!r}, which is not a value of column {group!r}; the groups "
                    f"are {preview(labels, limit=12)}."
                )
            chosen.append(lab)
        if chosen[0] == chosen[1]:
            raise InvalidParameterError("groups= must name two different groups.")
        group_a, group_b = chosen
    elif gc.is_sex and MALE in labels and FEMALE in labels:
        group_a, group_b = MALE, FEMALE
    elif len(labels) == 2:
        m = [y_model[gc.codes == i].mean() for i in range(2)]
        group_a, group_b = (labels[0], labels[1]) if m[0] >= m[1] else (labels[1], labels[0])
    else:
        raise InvalidParameterError(
            f"column {group!r} has {len(labels)} groups ({preview(labels, limit=8)}); a "
            "decomposition compares two. Pass groups=(A, B), A being the advantaged group."
        )
    code_a, code_b = labels.index(group_a), labels.index(group_b)
    for code, lab in enumerate(labels):
        if code not in (code_a, code_b):
            mask = np.zeros(total, dtype=bool)
            mask[keep_pos[gc.codes == code]] = True
            rows.drop(mask, f"group not compared ({lab})")
    # A's rows first, then B's: the group design matrices are then views, not copies
    order = np.concatenate([np.flatnonzero(gc.codes == code_a), np.flatnonzero(gc.codes == code_b)])
    n_a = int((gc.codes == code_a).sum())
    n_b = len(order) - n_a
    sub = sub.iloc[order].reset_index(drop=True)
    y = y_model[order]
    is_a = np.arange(len(order)) < n_a

    if isinstance(ref_kind, str) and ref_kind not in REFERENCES:
        if ref_kind in (group_a, group_b):
            ref_kind = 1.0 if ref_kind == group_a else 0.0
            ref_label = f"{reference} coefficients"
        else:
            raise InvalidParameterError(
                f"reference={reference!r} is not one of {', '.join(REFERENCES)}, a weight in "
                f"[0, 1], or one of the two groups ({group_a!r}, {group_b!r})."
            )
    else:
        ref_label = ref_kind if isinstance(ref_kind, str) else f"weight {ref_kind:g} on {group_a}"

    with blas_single_thread():
        return _decompose(
            sub, y, n_a, n_b, is_a, group, group_a, group_b, features_l, categorical_l,
            ref_kind, ref_label, cov_type, se, n_boot, random_state, confidence, log, outcome,
            rows, total, missing,
        )  # fmt: skip


def _decompose(
    sub: pd.DataFrame,
    y: np.ndarray,
    n_a: int,
    n_b: int,
    is_a: np.ndarray,
    group: str,
    group_a: str,
    group_b: str,
    features_l: list[str],
    categorical_l: list[str],
    ref_kind: str | float,
    ref_label: str,
    cov_type: str,
    se: str | None,
    n_boot: int,
    random_state: Any,
    confidence: float,
    log: bool,
    outcome: str,
    rows: RowFilter,
    total: int,
    missing: str,
) -> OaxacaBlinderResult:
    design = build_design(sub, features_l, categorical=categorical_l)
    X, names = design.X, design.names
    k = X.shape[1]
    for lab, n_g in ((group_a, n_a), (group_b, n_b)):
        if n_g <= k:
            raise InsufficientDataError(
                f"group {lab!r} has {n_g} employees, too few to estimate {k} coefficients. "
                "Use fewer features or merge categories."
            )
    XA, XB = X[:n_a], X[n_a:]
    yA, yB = y[:n_a], y[n_a:]

    def fit_group(yg: np.ndarray, Xg: np.ndarray, lab: str) -> OLSFit:
        try:
            return _fit(yg, Xg, names, cov_type)
        except CollinearityError as exc:
            raise type(exc)(
                f"within group {lab!r} the features are collinear: "
                + describe_collinearity(exc.sets, [])
                + ". A category absent from one group (or a feature constant within it) "
                "cannot be decomposed: merge categories or drop the feature.",
                exc.sets,
            ) from None

    fa, fb = fit_group(yA, XA, group_a), fit_group(yB, XB, group_b)
    xa, xb = XA.mean(axis=0), XB.mean(axis=0)
    star_fit = None
    Z = None
    if ref_kind in ("pooled", "neumark"):
        Z = np.column_stack([X, (~is_a).astype(np.float64)]) if ref_kind == "pooled" else X
        znames = [*names, f"{group}[{group_b}]"] if ref_kind == "pooled" else names
        try:
            star_fit = _fit(y, Z, znames, cov_type)
        except CollinearityError as exc:
            raise type(exc)(
                "pooled model: " + describe_collinearity(exc.sets, [znames[-1]]),
                exc.sets,
            ) from None
        bs = star_fit.params[:k]
        w = None
    elif ref_kind == "cotton":
        w = n_a / (n_a + n_b)
        bs = w * fa.params + (1 - w) * fb.params
    elif ref_kind == "reimers":
        w = 0.5
        bs = 0.5 * (fa.params + fb.params)
    else:
        w = float(ref_kind)
        bs = w * fa.params + (1 - w) * fb.params
    pieces = _Pieces(xa=xa, xb=xb, ba=fa.params, bb=fb.params, bs=bs, w=w)
    contrib = _quantities(pieces)  # (5, k)
    gap = float(yA.mean() - yB.mean())

    # which terms belong to which variable
    variables = ["(constant)" if t == "const" else t for t in design.terms]
    var_order = list(dict.fromkeys(variables))
    # aggregation matrices: per term (k), per variable, total
    agg_var = np.array([[1.0 if v == name else 0.0 for v in variables] for name in var_order])

    std_term = std_var = std_tot = None
    if se == "delta":
        has_star = star_fit is not None
        grads = _gradients(pieces, k, has_star)  # (5, k, dim)
        dim = grads.shape[2]
        sigma = np.zeros((dim, dim))
        sigma[:k, :k] = _mean_cov(XA)
        sigma[k : 2 * k, k : 2 * k] = _mean_cov(XB)
        gs = None
        if cov_type == "nonrobust":
            gs = (np.sqrt(fa.sigma2), np.sqrt(fb.sigma2))
        sa = _adjusted_scores(fa, cov_type, None if gs is None else np.full(n_a, gs[0]))
        sb = _adjusted_scores(fb, cov_type, None if gs is None else np.full(n_b, gs[1]))
        sigma[2 * k : 3 * k, 2 * k : 3 * k] = fa.xtx_inv @ _cross(XA, sa, XA, sa) @ fa.xtx_inv
        sigma[3 * k : 4 * k, 3 * k : 4 * k] = fb.xtx_inv @ _cross(XB, sb, XB, sb) @ fb.xtx_inv
        if has_star:
            assert Z is not None
            if gs is None:
                ss = _adjusted_scores(star_fit, cov_type, None)
            else:
                ss = np.where(is_a, gs[0], gs[1])
            inv_s = star_fit.xtx_inv
            v_ss = inv_s @ _cross(Z, ss, Z, ss) @ inv_s
            c_as = fa.xtx_inv @ _cross(XA, sa, Z[:n_a], ss[:n_a]) @ inv_s
            c_bs = fb.xtx_inv @ _cross(XB, sb, Z[n_a:], ss[n_a:]) @ inv_s
            sl = slice(4 * k, 5 * k)
            sigma[sl, sl] = v_ss[:k, :k]
            sigma[2 * k : 3 * k, sl] = c_as[:, :k]
            sigma[sl, 2 * k : 3 * k] = c_as[:, :k].T
            sigma[3 * k : 4 * k, sl] = c_bs[:, :k]
            sigma[sl, 3 * k : 4 * k] = c_bs[:, :k].T

        def var_of(g: np.ndarray) -> np.ndarray:
            return np.einsum("...i,ij,...j->...", g, sigma, g)

        std_term = np.sqrt(np.clip(var_of(grads), 0, None))  # (5, k)
        std_var = np.sqrt(np.clip(var_of(np.einsum("vk,ckd->cvd", agg_var, grads)), 0, None))
        std_tot = np.sqrt(np.clip(var_of(grads.sum(axis=1)), 0, None))  # (5,)
        # the gap itself: ȳA − ȳB = x̄A'βA − x̄B'βB
        g_gap = np.zeros(dim)
        g_gap[:k], g_gap[k : 2 * k] = fa.params, -fb.params
        g_gap[2 * k : 3 * k], g_gap[3 * k : 4 * k] = xa, -xb
        std_gap = float(np.sqrt(max(var_of(g_gap), 0.0)))
    elif se == "bootstrap":
        rng = np.random.default_rng(random_state)
        idx_a, idx_b = np.flatnonzero(is_a), np.flatnonzero(~is_a)
        reps_term = np.empty((n_boot, 5, k))
        reps_gap = np.empty(n_boot)
        n_all = len(y)
        for b in range(n_boot):
            wts = np.bincount(idx_a[rng.integers(0, n_a, n_a)], minlength=n_all).astype(float)
            wts += np.bincount(idx_b[rng.integers(0, n_b, n_b)], minlength=n_all)
            wa, wb = wts[is_a], wts[~is_a]
            try:
                ba = _weighted_fit(XA, yA, wa)
                bb = _weighted_fit(XB, yB, wb)
                if star_fit is not None:
                    assert Z is not None
                    bs_b = _weighted_fit(Z, y, wts)[:k]
                else:
                    bs_b = w * ba + (1 - w) * bb  # type: ignore[operator]
            except np.linalg.LinAlgError:
                reps_term[b] = np.nan
                reps_gap[b] = np.nan
                continue
            xa_b = (XA * wa[:, None]).sum(0) / wa.sum()
            xb_b = (XB * wb[:, None]).sum(0) / wb.sum()
            reps_term[b] = _quantities(_Pieces(xa_b, xb_b, ba, bb, bs_b, w))
            reps_gap[b] = (yA * wa).sum() / wa.sum() - (yB * wb).sum() / wb.sum()
        std_term = np.nanstd(reps_term, axis=0, ddof=1)
        std_var = np.nanstd(np.einsum("vk,bck->bcv", agg_var, reps_term), axis=0, ddof=1)
        std_tot = np.nanstd(reps_term.sum(axis=2), axis=0, ddof=1)
        std_gap = float(np.nanstd(reps_gap, ddof=1))
    else:
        std_gap = float("nan")

    q = float(stats.norm.ppf(1 - (1 - confidence) / 2))

    def make_rows(est: np.ndarray, sd: np.ndarray | None) -> dict[str, np.ndarray]:
        sd_arr = np.full_like(est, np.nan) if sd is None else np.asarray(sd, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd_arr > 0, est / sd_arr, np.nan)
        return {
            "estimate": est,
            "std_error": sd_arr,
            "z": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": est - q * sd_arr,
            "ci_high": est + q * sd_arr,
            "share_of_gap": est / gap * 100 if gap != 0 else np.full_like(est, np.nan),
        }

    decomp = ["threefold", "threefold", "threefold", "twofold", "twofold"]
    totals = contrib.sum(axis=1)
    overall = pd.DataFrame(
        {
            "decomposition": ["total", *decomp],
            "component": ["gap", *_COMPONENTS],
            **make_rows(
                np.concatenate([[gap], totals]),
                None if std_tot is None else np.concatenate([[std_gap], std_tot]),
            ),
        }
    )
    per_var = contrib @ agg_var.T  # (5, V)
    detailed = pd.DataFrame(
        {
            "decomposition": np.repeat(decomp, len(var_order)),
            "component": np.repeat(_COMPONENTS, len(var_order)),
            "variable": np.tile(var_order, 5),
            **make_rows(per_var.ravel(), None if std_var is None else np.ravel(std_var)),
        }
    )
    terms = pd.DataFrame(
        {
            "decomposition": np.repeat(decomp, k),
            "component": np.repeat(_COMPONENTS, k),
            "variable": np.tile(variables, 5),
            "term": np.tile(names, 5),
            **make_rows(contrib.ravel(), None if std_term is None else np.ravel(std_term)),
        }
    )
    coefficients = pd.DataFrame(
        {
            "term": names,
            "mean_a": xa,
            "mean_b": xb,
            "coef_a": fa.params,
            "coef_b": fb.params,
            "coef_reference": bs,
        }
    )
    warnings: list[str] = []
    if design.levels:
        warnings.append(
            "The detailed coefficient and unexplained contributions of categorical features ("
            + ", ".join(design.levels)
            + ") depend on the base category chosen (Oaxaca & Ransom 1999); their totals and "
            "the explained contributions do not."
        )
    if rows.excluded:
        warnings.append(
            "rows excluded: " + "; ".join(f"{v:,} {k_}" for k_, v in rows.excluded.items()) + "."
        )
    if star_fit is not None and ref_kind == "pooled":
        delta = float(star_fit.params[-1])
        if not np.isclose(totals[4], -delta, rtol=1e-6, atol=1e-9 * max(1.0, abs(gap))):
            warnings.append(  # pragma: no cover - algebraic identity
                "the unexplained part differs from minus the pooled group coefficient."
            )
    params = {
        "outcome": outcome,
        "group": group,
        "groups": [group_a, group_b],
        "features": features_l,
        "reference": ref_label,
        "log": log,
        "categorical": categorical_l,
        "cov_type": cov_type,
        "se": se,
        "n_boot": n_boot if se == "bootstrap" else None,
        "random_state": random_state if isinstance(random_state, int | None) else "generator",
        "confidence": confidence,
        "missing": missing,
    }
    return OaxacaBlinderResult(
        outcome=outcome,
        group=group,
        group_a=group_a,
        group_b=group_b,
        features=tuple(features_l),
        reference=ref_label,
        log=log,
        cov_type=cov_type,
        se_method=se,
        confidence=confidence,
        n_a=n_a,
        n_b=n_b,
        mean_a=float(yA.mean()),
        mean_b=float(yB.mean()),
        gap=gap,
        overall=overall,
        detailed=detailed,
        terms=terms,
        coefficients=coefficients,
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=rows.used, excluded=dict(rows.excluded)),
        params=params,
    )
