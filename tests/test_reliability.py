"""Inter-rater reliability and empirical-Bayes shrinkage against published values and
independent computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fairhire.errors import InsufficientDataError, InvalidParameterError
from fairhire.stats.reliability import (
    LEVELS,
    icc,
    icc_oneway,
    krippendorff_alpha,
    ratings_matrix,
)
from fairhire.stats.shrinkage import shrink, weighted_median

# Shrout & Fleiss (1979), Psychological Bulletin 86(2): 420-428, Table 2: 6 targets x 4 judges.
SF = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)
# Their Table 4 (two decimals).
SF_ICC = {
    "ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71,
    "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91,
}  # fmt: skip
# R psych::ICC(sf) (the package's own example on this matrix): 95% limits as printed.
PSYCH_CI = {
    "ICC(1,1)": (-0.133, 0.72), "ICC(2,1)": (0.019, 0.76), "ICC(3,1)": (0.342, 0.95),
    "ICC(1,k)": (-0.884, 0.91), "ICC(2,k)": (0.071, 0.93), "ICC(3,k)": (0.676, 0.99),
}  # fmt: skip

NAN = math.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# (rows) x 12 units with missing values.
K2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
# Krippendorff (2011): nominal .743, ordinal .815, interval .849, ratio .797 (the nominal value
# is also in the brief; ordinal and ratio are the values the `krippendorff` package's test suite
# asserts for this matrix; interval is recomputed independently below).
K2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
# Wikipedia's "A computational example" (3 coders x 15 units): nominal 0.691358 and interval
# 0.810845 (also asserted by the `krippendorff` package's tests).
WIKI = np.array(
    [
        [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
        [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
        [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
    ]
)


# --------------------------------------------------------------------------- independent code
def _anova_ms(x: np.ndarray) -> dict[str, float]:
    """Mean squares from statsmodels' two-way ANOVA (an independent route to the ICCs)."""
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    n, k = x.shape
    long = pd.DataFrame(
        [(f"t{i}", f"j{j}", x[i, j]) for i in range(n) for j in range(k)],
        columns=["target", "judge", "y"],
    )
    two = anova_lm(smf.ols("y ~ C(target) + C(judge)", long).fit())
    one = anova_lm(smf.ols("y ~ C(target)", long).fit())
    return {
        "BMS": two.loc["C(target)", "mean_sq"],
        "JMS": two.loc["C(judge)", "mean_sq"],
        "EMS": two.loc["Residual", "mean_sq"],
        "WMS": one.loc["Residual", "mean_sq"],
    }


def _icc_from_ms(ms: dict[str, float], n: int, k: int) -> dict[str, float]:
    b, w, j, e = ms["BMS"], ms["WMS"], ms["JMS"], ms["EMS"]
    return {
        "ICC(1,1)": (b - w) / (b + (k - 1) * w),
        "ICC(2,1)": (b - e) / (b + (k - 1) * e + k * (j - e) / n),
        "ICC(3,1)": (b - e) / (b + (k - 1) * e),
        "ICC(1,k)": (b - w) / b,
        "ICC(2,k)": (b - e) / (b + (j - e) / n),
        "ICC(3,k)": (b - e) / b,
    }


def _delta2(c: float, k: float, level: str, n_of: dict[float, float]) -> float:
    if level == "nominal":
        return float(c != k)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        return 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2
    lo, hi = min(c, k), max(c, k)
    between = sum(v for g, v in n_of.items() if lo <= g <= hi)
    return (between - (n_of[c] + n_of[k]) / 2) ** 2


def _alpha_by_pairs(units_by_coders: np.ndarray, level: str) -> float:
    """Krippendorff's alpha straight from its pairwise definition (Krippendorff 2011, eq. for
    D_o and D_e over pairable values), with explicit loops: no coincidence matrix."""
    units = [u[~np.isnan(u)] for u in units_by_coders]
    units = [u for u in units if len(u) >= 2]
    values = np.concatenate(units)
    n = len(values)
    n_of: dict[float, float] = {}
    for v in values:
        n_of[float(v)] = n_of.get(float(v), 0) + 1
    d_o = 0.0
    for u in units:
        m = len(u)
        for i, j in itertools.permutations(range(m), 2):
            d_o += _delta2(u[i], u[j], level, n_of) / (m - 1)
    d_o /= n
    d_e = 0.0
    for i, j in itertools.permutations(range(n), 2):
        d_e += _delta2(values[i], values[j], level, n_of)
    d_e /= n * (n - 1)
    return 1 - d_o / d_e


# --------------------------------------------------------------------------------- ICC tests
def test_icc_shrout_fleiss_table():
    r = icc(SF)
    for form, published in SF_ICC.items():
        assert round(r[form].value, 2) == published, form


def test_icc_matches_independent_anova():
    ms = _anova_ms(SF)
    # Shrout & Fleiss (1979) Table 3: BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02
    assert [round(ms[k], 2) for k in ("BMS", "WMS", "JMS", "EMS")] == [11.24, 6.26, 32.49, 1.02]
    r = icc(SF)
    assert r.bms == pytest.approx(ms["BMS"]) and r.ems == pytest.approx(ms["EMS"])
    for form, value in _icc_from_ms(ms, 6, 4).items():
        assert r[form].value == pytest.approx(value, rel=1e-10), form


def test_icc_confidence_intervals_match_psych():
    r = icc(SF)
    for form, (lo, hi) in PSYCH_CI.items():
        digits = 3 if abs(lo) < 1 and len(str(lo).split(".")[1]) == 3 else 2
        assert round(r[form].ci_low, digits) == lo, form
        assert round(r[form].ci_high, 2) == hi, form
    # F tests: F = BMS/WMS on (5, 18) and BMS/EMS on (5, 15)
    assert r["ICC(1,1)"].f == pytest.approx(11.2417 / 6.2639, rel=1e-4)
    assert (r["ICC(3,1)"].df1, r["ICC(3,1)"].df2) == (5, 15)


def test_icc_table_and_lookup():
    r = icc(SF)
    frame = r.to_frame()
    assert frame["form"].tolist()[:3] == ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)"]
    assert r["icc(3,K)"].form == "ICC(3,k)"
    with pytest.raises(InvalidParameterError, match="form="):
        r["ICC(4,1)"]


def test_icc_errors():
    with pytest.raises(InvalidParameterError, match="missing values"):
        icc([[1, 2], [3, NAN]])
    with pytest.raises(InsufficientDataError, match="at least 2 targets"):
        icc([[1, 2, 3]])
    with pytest.raises(InvalidParameterError, match="2-dimensional"):
        icc([1, 2, 3])
    with pytest.raises(InvalidParameterError, match="confidence"):
        icc(SF, confidence=1.5)


def test_icc_oneway_balanced_equals_two_way_form():
    targets = np.repeat(np.arange(6), 4)
    ow = icc_oneway(targets, SF.ravel())
    full = icc(SF)
    assert ow.icc1 == pytest.approx(full["ICC(1,1)"].value)
    assert ow.icc1_ci_low == pytest.approx(full["ICC(1,1)"].ci_low)
    assert ow.icc1k == pytest.approx(full["ICC(1,k)"].value)
    assert ow.k0 == 4


def test_icc_oneway_unbalanced_independent():
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    t = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "d", "d"]
    y = [4.0, 5, 4, 2, 3, 5, 5, 4, 5, 1, 2]
    tab = anova_lm(smf.ols("y ~ C(t)", pd.DataFrame({"t": t, "y": y})).fit())
    bms, wms = tab.loc["C(t)", "mean_sq"], tab.loc["Residual", "mean_sq"]
    sizes = np.array([3, 2, 4, 2])
    big_n = sizes.sum()
    k0 = (big_n - (sizes**2).sum() / big_n) / (len(sizes) - 1)
    r = icc_oneway(t, y)
    assert r.k0 == pytest.approx(k0)
    assert r.icc1 == pytest.approx((bms - wms) / (bms + (k0 - 1) * wms))
    assert r.icc1k == pytest.approx((bms - wms) / bms)
    assert r.icc1_ci_low < r.icc1 < r.icc1_ci_high


def test_icc_oneway_errors():
    with pytest.raises(InsufficientDataError, match="single rating"):
        icc_oneway([1, 1, 2], [3.0, 4.0, 5.0])
    with pytest.raises(InsufficientDataError):
        icc_oneway([1, 1], [3.0, 4.0])
    with pytest.raises(InvalidParameterError, match="missing"):
        icc_oneway([1, 1, 2, 2], [3.0, NAN, 5.0, 4.0])


# ------------------------------------------------------------------------- Krippendorff tests
@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_2011_matrix(level):
    a = krippendorff_alpha(K2011.T, level=level)
    assert round(a, 3) == K2011_ALPHA[level]
    assert a == pytest.approx(_alpha_by_pairs(K2011.T, level), rel=1e-12)


def test_krippendorff_wikipedia_example():
    assert round(krippendorff_alpha(WIKI.T, level="nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(WIKI.T, level="interval"), 6) == 0.810845


def test_krippendorff_edge_cases():
    assert krippendorff_alpha([[1, 1], [2, 2], [3, 3]], level="nominal") == 1.0
    assert math.isnan(krippendorff_alpha([[2, 2], [2, 2]], level="interval"))
    with pytest.raises(InsufficientDataError, match="two or more raters"):
        krippendorff_alpha([[1, NAN], [NAN, 2]])
    with pytest.raises(InvalidParameterError, match="level="):
        krippendorff_alpha(SF, level="circular")
    with pytest.raises(InvalidParameterError, match="outside values"):
        krippendorff_alpha([[1, 2], [3, 4]], level="ordinal", values=[1, 2, 3])
    # unused scale points change nothing
    assert krippendorff_alpha(K2011.T, level="ordinal", values=[0, 1, 2, 3, 4, 5, 6]) == (
        pytest.approx(krippendorff_alpha(K2011.T, level="ordinal"))
    )


def test_ratings_matrix_pivot_and_duplicates():
    mat, targets, raters = ratings_matrix(["b", "a", "a"], ["x", "x", "y"], [3, 1, 2])
    assert targets == ["a", "b"] and raters == ["x", "y"]
    assert mat[0].tolist() == [1, 2] and mat[1, 0] == 3 and math.isnan(mat[1, 1])
    with pytest.raises(InvalidParameterError, match="more than once"):
        ratings_matrix(["a", "a"], ["x", "x"], [1, 2])


scores = st.lists(
    st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=3, max_size=3),
    min_size=4, max_size=10,
)  # fmt: skip


@given(scores, st.randoms(use_true_random=False), st.sampled_from(LEVELS))
def test_krippendorff_invariant_to_rater_and_unit_order(rows, rnd, level):
    x = np.array([[NAN if v is None else v for v in r] for r in rows], dtype=float)
    try:
        base = krippendorff_alpha(x, level=level)
    except InsufficientDataError:
        return
    cols = list(range(x.shape[1]))
    rnd.shuffle(cols)
    order = list(range(x.shape[0]))
    rnd.shuffle(order)
    other = krippendorff_alpha(x[order][:, cols], level=level)
    assert (math.isnan(base) and math.isnan(other)) or other == pytest.approx(base, abs=1e-12)
    if not math.isnan(base):
        assert base == pytest.approx(_alpha_by_pairs(x, level), abs=1e-9)


@example(rows=[[3, 6, 1], [7, 2, 5], [3, 3, 4]], perm=[0, 1, 2])  # denominator 0 up to rounding
@given(st.lists(st.lists(st.integers(1, 7), min_size=3, max_size=3), min_size=3, max_size=8),
       st.permutations([0, 1, 2]))
def test_icc_permuting_raters_changes_nothing(rows, perm):
    x = np.array(rows, dtype=float)
    a, b = icc(x), icc(x[:, list(perm)])
    for e1, e2 in zip(a.estimates, b.estimates, strict=True):
        assert (math.isnan(e1.value) and math.isnan(e2.value)) or e1.value == pytest.approx(
            e2.value, abs=1e-9
        )


# ------------------------------------------------------------------------------- shrinkage
def test_shrink_dersimonian_laird_closed_form():
    d = np.array([0.30, 0.00, -0.02, 0.01, -0.40])
    v = np.array([0.001, 0.002, 0.002, 0.001, 0.09])
    s = shrink(d, v, method="dersimonian-laird")
    w = 1 / v
    mu_fe = (w * d).sum() / w.sum()
    q = (w * (d - mu_fe) ** 2).sum()
    tau2 = max(0.0, (q - (len(d) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    assert s.tau2 == pytest.approx(tau2)
    w2 = 1 / (v + tau2)
    mu = (w2 * d).sum() / w2.sum()
    assert s.mean == pytest.approx(mu)
    b = v / (v + tau2)
    assert s.posterior_mean == pytest.approx(mu + (1 - b) * (d - mu))
    assert s.posterior_sd == pytest.approx(np.sqrt((1 - b) * v + b**2 / w2.sum()))
    assert s.z == pytest.approx((d - mu) / np.sqrt(v))


def test_shrink_paule_mandel_solves_its_equation():
    d = np.array([0.30, 0.00, -0.02, 0.01, -0.40, 0.1])
    v = np.array([0.001, 0.002, 0.002, 0.001, 0.09, 0.01])
    s = shrink(d, v)
    w = 1 / (v + s.tau2)
    mu = (w * d).sum() / w.sum()
    assert (w * (d - mu) ** 2).sum() == pytest.approx(len(d) - 1, rel=1e-4)


def test_shrink_no_heterogeneity_shrinks_fully():
    s = shrink([0.01, 0.0, 0.02], [0.1, 0.1, 0.1])
    assert s.tau2 == 0 and s.factor.tolist() == [1, 1, 1]
    assert s.posterior_mean == pytest.approx([0.01] * 3)


def test_shrink_robust_center():
    d = np.array([0.0, 0.01, -0.01, 0.02, 0.0, -0.5, -0.55])
    v = np.full(7, 0.001)
    mean, med = shrink(d, v), shrink(d, v, center="median")
    assert mean.mean < -0.1 < med.mean
    assert med.mean == pytest.approx(0.0, abs=0.011)
    w = 1 / (v + med.tau2)
    assert (w * (d - med.mean) ** 2).sum() == pytest.approx(len(d), rel=1e-6)


def test_weighted_median():
    assert weighted_median([3, 1, 2], [1, 1, 1]) == 2
    assert weighted_median([1, 2], [1, 1]) == 1.5
    assert weighted_median([1, 2, 3], [1, 1, 10]) == 3


def test_shrink_single_and_errors():
    s = shrink([0.2], [0.01])
    assert s.mean == 0.2 and s.tau2 == 0
    with pytest.raises(InvalidParameterError, match="positive"):
        shrink([0.1, 0.2], [0.0, 0.1])
    with pytest.raises(InvalidParameterError, match="method"):
        shrink([0.1, 0.2], [0.1, 0.1], method="reml")
    with pytest.raises(InvalidParameterError, match="center"):
        shrink([0.1, 0.2], [0.1, 0.1], center="mode")
    with pytest.raises(InsufficientDataError):
        shrink([], [])
