"""The Oaxaca–Blinder decomposition of a mean gap, on arrays (Oaxaca 1973; Blinder 1973).

Groups A (advantaged) and B, with group means of the regressors x̄ and group-specific OLS
coefficients β:

- threefold: endowments E = (x̄A − x̄B)'βB, coefficients C = x̄B'(βA − βB), interaction
  I = (x̄A − x̄B)'(βA − βB);
- twofold with reference coefficients β*: explained Q = (x̄A − x̄B)'β*, unexplained
  U = x̄A'(βA − β*) + x̄B'(β* − βB).

β* is the pooled regression with a group dummy ("pooled"; Jann 2008 / Fortin 2008: U then
equals minus the dummy's coefficient), the pooled regression without it ("neumark"; Neumark
1988), or w βA + (1 − w) βB for a weight w (Cotton 1988: A's share of the rows; Reimers 1983:
½; w = 1 or 0: one group's coefficients). Standard errors come from the delta method treating
both the coefficients and the regressor means as random, with the joint covariance of the
group and pooled coefficients from their stacked scores (Jann 2008, Stata Journal 8(4):
453–479; as Stata's ``suest``), or from a bootstrap that resamples rows within each group.

Reference values: statsmodels' ``OaxacaBlinder`` (point estimates; its Neumark option is
spelled ``"nuemark"``), and the algebra (parts add up to the gap; pooled U = −δ).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .regression import CollinearityError, OLSFit, fit_ols

__all__ = ["COMPONENTS", "Decomposition", "decompose"]

#: The five per-term quantities, in the order of :attr:`Decomposition.contrib`.
COMPONENTS = ("endowments", "coefficients", "interaction", "explained", "unexplained")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Decomposition:
    """A decomposition: per-term contributions and their standard errors.

    ``contrib`` has shape (5, k): rows :data:`COMPONENTS`, columns the design's terms.
    ``std_term`` (5, k), ``std_group`` (5, V) for the ``groups`` aggregation matrix (V, k),
    ``std_total`` (5,) are None without standard errors; ``std_gap`` is NaN then.
    """

    contrib: np.ndarray
    gap: float
    std_gap: float
    std_term: np.ndarray | None
    std_group: np.ndarray | None
    std_total: np.ndarray | None
    fit_a: OLSFit
    fit_b: OLSFit
    coef_reference: np.ndarray
    mean_a: np.ndarray
    mean_b: np.ndarray
    pooled_delta: float | None


@dataclass
class _Pieces:
    xa: np.ndarray
    xb: np.ndarray
    ba: np.ndarray
    bb: np.ndarray
    bs: np.ndarray  # reference coefficients (length k)
    w: float | None  # weight of A in β* = w βA + (1 − w) βB, or None if estimated (pooled)


def _quantities(p: _Pieces) -> np.ndarray:
    """Per-term contributions, shape (5, k): E, C, I, Q, U."""
    d = p.xa - p.xb
    diff = p.ba - p.bb
    return np.vstack(
        [d * p.bb, p.xb * diff, d * diff, d * p.bs, p.xa * (p.ba - p.bs) + p.xb * (p.bs - p.bb)]
    )


def _gradients(p: _Pieces, k: int, has_star: bool) -> np.ndarray:
    """d(term contribution)/dθ, shape (5, k, dim θ); θ = [x̄A, x̄B, βA, βB, (β*)]."""
    g = np.zeros((5, k, 4 * k + (k if has_star else 0)))
    j = np.arange(k)
    XA, XB, BA, BB, BS = 0, k, 2 * k, 3 * k, 4 * k
    d = p.xa - p.xb
    diff = p.ba - p.bb
    g[0, j, XA + j], g[0, j, XB + j], g[0, j, BB + j] = p.bb, -p.bb, d  # E_j = d_j βB_j
    g[1, j, XB + j], g[1, j, BA + j], g[1, j, BB + j] = diff, p.xb, -p.xb  # C_j
    g[2, j, XA + j], g[2, j, XB + j] = diff, -diff  # I_j = d_j (βA_j − βB_j)
    g[2, j, BA + j], g[2, j, BB + j] = d, -d
    g[3, j, XA + j], g[3, j, XB + j] = p.bs, -p.bs  # Q_j = d_j β*_j
    g[4, j, XA + j], g[4, j, XB + j] = p.ba - p.bs, p.bs - p.bb  # U_j
    g[4, j, BA + j], g[4, j, BB + j] = p.xa, -p.xb
    if has_star:
        g[3, j, BS + j], g[4, j, BS + j] = d, -d
    else:
        w = p.w
        assert w is not None
        g[3, j, BA + j] += w * d
        g[3, j, BB + j] += (1 - w) * d
        g[4, j, BA + j] -= w * d
        g[4, j, BB + j] -= (1 - w) * d
    return g


def _adjusted_scores(fit: OLSFit, cov_type: str, sigma: np.ndarray | None) -> np.ndarray:
    """Per-row score multipliers s_i so that inv·(Σ s_i² x_i x_i')·inv is the chosen covariance."""
    if cov_type == "nonrobust":
        assert sigma is not None
        return sigma
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
    return (X.T @ X - n * np.outer(mean, mean)) / (n - 1) / n


def _weighted_fit(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    Xw = X * w[:, None]
    return np.linalg.solve(Xw.T @ X, Xw.T @ y)


@dataclass
class _Model:
    """The data and fits of one decomposition."""

    X: np.ndarray
    y: np.ndarray
    n_a: int
    Z: np.ndarray | None  # the pooled design (with the B dummy for "pooled")
    fa: OLSFit
    fb: OLSFit
    star: OLSFit | None
    pieces: _Pieces

    @property
    def is_a(self) -> np.ndarray:
        return np.arange(len(self.y)) < self.n_a


def _sets(sets: list[list[str]]) -> str:
    return "; ".join(" ~ ".join(s) for s in sets)


def _group_fit(y: np.ndarray, X: np.ndarray, names: list[str], cov_type: str, label: str) -> OLSFit:
    try:
        return fit_ols(y, X, names=names, cov_type=cov_type, compute_leverage=True)
    except CollinearityError as exc:
        raise type(exc)(
            f"within group {label!r} the features are collinear: {_sets(exc.sets)}. A category "
            "absent from one group (or a feature constant within it) cannot be decomposed: "
            "merge categories or drop the feature.",
            exc.sets,
        ) from None


def _model(
    X: np.ndarray,
    y: np.ndarray,
    n_a: int,
    names: list[str],
    scheme: str | float,
    cov_type: str,
    labels: tuple[str, str],
) -> _Model:
    XA, XB, yA, yB = X[:n_a], X[n_a:], y[:n_a], y[n_a:]
    fa = _group_fit(yA, XA, names, cov_type, labels[0])
    fb = _group_fit(yB, XB, names, cov_type, labels[1])
    star, Z, w = None, None, None
    if scheme in ("pooled", "neumark"):
        Z = X
        znames = names
        if scheme == "pooled":
            Z = np.column_stack([X, (np.arange(len(y)) >= n_a).astype(np.float64)])
            znames = [*names, f"[{labels[1]}]"]
        try:
            star = fit_ols(y, Z, names=znames, cov_type=cov_type, compute_leverage=True)
        except CollinearityError as exc:
            raise type(exc)(f"pooled model: {_sets(exc.sets)}", exc.sets) from None
        bs = star.params[: X.shape[1]]
    else:
        w = float(scheme)
        bs = w * fa.params + (1 - w) * fb.params
    pieces = _Pieces(XA.mean(axis=0), XB.mean(axis=0), fa.params, fb.params, bs, w)
    return _Model(X, y, n_a, Z, fa, fb, star, pieces)


def _delta_sigma(m: _Model, cov_type: str) -> np.ndarray:
    """Joint covariance of θ = [x̄A, x̄B, βA, βB, (β*)] (Jann 2008)."""
    k, n_a = m.X.shape[1], m.n_a
    XA, XB = m.X[:n_a], m.X[n_a:]
    dim = 4 * k + (k if m.star is not None else 0)
    sigma = np.zeros((dim, dim))
    sigma[:k, :k] = _mean_cov(XA)
    sigma[k : 2 * k, k : 2 * k] = _mean_cov(XB)
    classical = cov_type == "nonrobust"
    ga, gb = np.sqrt(m.fa.sigma2), np.sqrt(m.fb.sigma2)
    sa = _adjusted_scores(m.fa, cov_type, np.full(n_a, ga) if classical else None)
    sb = _adjusted_scores(m.fb, cov_type, np.full(len(m.y) - n_a, gb) if classical else None)
    sigma[2 * k : 3 * k, 2 * k : 3 * k] = m.fa.xtx_inv @ _cross(XA, sa, XA, sa) @ m.fa.xtx_inv
    sigma[3 * k : 4 * k, 3 * k : 4 * k] = m.fb.xtx_inv @ _cross(XB, sb, XB, sb) @ m.fb.xtx_inv
    if m.star is not None:
        assert m.Z is not None
        ss = np.where(m.is_a, ga, gb) if classical else _adjusted_scores(m.star, cov_type, None)
        inv = m.star.xtx_inv
        v_ss = inv @ _cross(m.Z, ss, m.Z, ss) @ inv
        c_as = m.fa.xtx_inv @ _cross(XA, sa, m.Z[:n_a], ss[:n_a]) @ inv
        c_bs = m.fb.xtx_inv @ _cross(XB, sb, m.Z[n_a:], ss[n_a:]) @ inv
        star = slice(4 * k, 5 * k)
        sigma[star, star] = v_ss[:k, :k]
        sigma[2 * k : 3 * k, star], sigma[star, 2 * k : 3 * k] = c_as[:, :k], c_as[:, :k].T
        sigma[3 * k : 4 * k, star], sigma[star, 3 * k : 4 * k] = c_bs[:, :k], c_bs[:, :k].T
    return sigma


def _delta_se(m: _Model, cov_type: str, groups: np.ndarray) -> tuple[np.ndarray, ...]:
    """Delta-method standard errors of each term, each group of terms, each total, the gap."""
    k = m.X.shape[1]
    grads = _gradients(m.pieces, k, m.star is not None)  # (5, k, dim)
    sigma = _delta_sigma(m, cov_type)

    def sd(g: np.ndarray) -> np.ndarray:
        return np.sqrt(np.clip(np.einsum("...i,ij,...j->...", g, sigma, g), 0, None))

    # the gap itself: ȳA − ȳB = x̄A'βA − x̄B'βB
    g_gap = np.zeros(sigma.shape[0])
    g_gap[:k], g_gap[k : 2 * k] = m.fa.params, -m.fb.params
    g_gap[2 * k : 3 * k], g_gap[3 * k : 4 * k] = m.pieces.xa, -m.pieces.xb
    by_group = np.einsum("vk,ckd->cvd", groups, grads)
    return sd(grads), sd(by_group), sd(grads.sum(axis=1)), float(sd(g_gap))


def _bootstrap_se(
    m: _Model, groups: np.ndarray, n_boot: int, random_state: Any
) -> tuple[np.ndarray, ...]:
    """Bootstrap standard errors: rows resampled within each group (as weights)."""
    rng = np.random.default_rng(random_state)
    n, n_a, k = len(m.y), m.n_a, m.X.shape[1]
    is_a = m.is_a
    idx_a, idx_b = np.flatnonzero(is_a), np.flatnonzero(~is_a)
    XA, XB, yA, yB = m.X[:n_a], m.X[n_a:], m.y[:n_a], m.y[n_a:]
    reps = np.full((n_boot, 5, k), np.nan)
    gaps = np.full(n_boot, np.nan)
    for b in range(n_boot):
        wts = np.bincount(idx_a[rng.integers(0, n_a, n_a)], minlength=n).astype(float)
        wts += np.bincount(idx_b[rng.integers(0, n - n_a, n - n_a)], minlength=n)
        wa, wb = wts[is_a], wts[~is_a]
        try:
            ba, bb = _weighted_fit(XA, yA, wa), _weighted_fit(XB, yB, wb)
            if m.star is not None:
                assert m.Z is not None
                bs = _weighted_fit(m.Z, m.y, wts)[:k]
            else:
                w = m.pieces.w
                assert w is not None
                bs = w * ba + (1 - w) * bb
        except np.linalg.LinAlgError:
            continue
        xa = (XA * wa[:, None]).sum(0) / wa.sum()
        xb = (XB * wb[:, None]).sum(0) / wb.sum()
        reps[b] = _quantities(_Pieces(xa, xb, ba, bb, bs, m.pieces.w))
        gaps[b] = (yA * wa).sum() / wa.sum() - (yB * wb).sum() / wb.sum()
    return (
        np.nanstd(reps, axis=0, ddof=1),
        np.nanstd(np.einsum("vk,bck->bcv", groups, reps), axis=0, ddof=1),
        np.nanstd(reps.sum(axis=2), axis=0, ddof=1),
        float(np.nanstd(gaps, ddof=1)),
    )


def decompose(
    X: np.ndarray,
    y: np.ndarray,
    n_a: int,
    *,
    names: list[str],
    groups: np.ndarray,
    scheme: str | float = "pooled",
    cov_type: str = "HC1",
    se: str | None = "delta",
    n_boot: int = 200,
    random_state: Any = None,
    labels: tuple[str, str] = ("A", "B"),
) -> Decomposition:
    """Decompose the gap in the mean of ``y`` between the first ``n_a`` rows (group A) and
    the rest (group B), with design ``X`` (a constant column included).

    Parameters
    ----------
    X, y : numpy.ndarray
        Design (rows of A first) and outcome.
    n_a : int
        Rows of group A.
    names : list of str
        Column names of ``X``.
    groups : numpy.ndarray
        (V, k) 0/1 matrix adding up terms into V variables (a categorical feature's dummies).
    scheme : "pooled", "neumark" or a weight w in [0, 1]
        The reference coefficients β* (module docstring).
    cov_type : {"HC1", "HC0", "HC2", "HC3", "nonrobust"}
        Covariance of the coefficients for the delta method.
    se : {"delta", "bootstrap"} or None
    n_boot, random_state :
        Bootstrap replications and seed.
    labels : (str, str)
        The groups' names, for error messages.

    Examples
    --------
    With one constant column, the whole gap is unexplained:

    >>> X, y = np.ones((4, 1)), np.array([3.0, 5.0, 1.0, 3.0])
    >>> d = decompose(X, y, 2, names=["const"], groups=np.ones((1, 1)), se=None)
    >>> d.gap, round(float(d.contrib[4].sum()), 12), float(d.contrib[3].sum())
    (2.0, 2.0, 0.0)
    """
    m = _model(X, y, n_a, names, scheme, cov_type, labels)
    std: tuple[Any, ...] = (None, None, None, float("nan"))
    if se == "delta":
        std = _delta_se(m, cov_type, groups)
    elif se == "bootstrap":
        std = _bootstrap_se(m, groups, n_boot, random_state)
    return Decomposition(
        contrib=_quantities(m.pieces),
        gap=float(y[:n_a].mean() - y[n_a:].mean()),
        std_gap=std[3],
        std_term=std[0],
        std_group=std[1],
        std_total=std[2],
        fit_a=m.fa,
        fit_b=m.fb,
        coef_reference=m.pieces.bs,
        mean_a=m.pieces.xa,
        mean_b=m.pieces.xb,
        pooled_delta=float(m.star.params[-1]) if scheme == "pooled" and m.star else None,
    )
