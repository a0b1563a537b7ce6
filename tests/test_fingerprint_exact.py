"""Same data, same bits: exact sums and medians in the engine, and the statutory pay metrics
and rater scores that use them, whatever the engine and the row order.

Float sums follow the order of summation, and polars' ``median`` rounds the midpoint of two
values differently from the other engines; the figures and fingerprints below must not.
"""

from __future__ import annotations

from fractions import Fraction

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import pytest
from conftest_spark import local_frames
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire import _engine_stats as es

PARTS = ["p0", "p1", "p2", "p3"]


def _part_sums(frame, column: str = "x", signed: bool = False) -> list[float]:
    parts = es.with_exact_parts(nw.from_native(frame), column, PARTS, signed=signed)
    out = parts.select(nw.col(*PARTS).sum())
    if isinstance(out, nw.LazyFrame):
        out = out.collect()
    return out.to_pandas().iloc[0].tolist()


sizes = st.floats(min_value=0.25, max_value=2.0**50, exclude_max=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(sizes, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_exact_parts_add_up_exactly_in_any_order(values, rnd):
    df = pd.DataFrame({"x": values})
    want = sum(map(Fraction, values), Fraction(0))
    assert es.exact_sum(_part_sums(df)) == want
    order = list(range(len(values)))
    rnd.shuffle(order)
    assert es.exact_sum(_part_sums(df.iloc[order])) == want


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(sizes, sizes.map(lambda v: -v), st.just(0.0)), min_size=1,
                max_size=30))
def test_exact_parts_of_signed_values(values):
    df = pd.DataFrame({"x": values})
    assert es.exact_sum(_part_sums(df, signed=True)) == sum(map(Fraction, values), Fraction(0))


def test_exact_parts_are_the_same_in_every_engine():
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"x": np.concatenate([0.25 + rng.lognormal(3, 2, 500), [0.25, 1e15, 0.0]])})
    df["y"] = df["x"] * np.where(rng.random(len(df)) < 0.5, -1.0, 1.0)
    want = sum(map(Fraction, df["x"]), Fraction(0))
    want_signed = sum(map(Fraction, df["y"]), Fraction(0))
    for engine, frame in local_frames(df).items():
        assert es.exact_sum(_part_sums(frame)) == want, engine
        assert es.exact_sum(_part_sums(frame, "y", signed=True)) == want_signed, engine


def test_small_values_are_cut_at_the_last_part():
    """Below 0.25 a value keeps its bits down to 2^-54 (the sum is exact to that)."""
    df = pd.DataFrame({"x": [0.1, 1e-20]})
    got = es.exact_sum(_part_sums(df))
    assert abs(got - Fraction(0.1) - Fraction(1e-20)) < Fraction(2) ** -53


@pytest.fixture(scope="module")
def summary_data() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 2_000
    # continuous values, even and odd group sizes: midpoints of two floats
    return pd.DataFrame({"x": 0.25 + rng.lognormal(3.0, 1.5, n), "g": rng.integers(0, 40, n)})


def test_group_summary_is_the_same_bits_in_every_engine(summary_data):
    want = es.group_summary(summary_data, "x", by="g")
    # the mean is the exact sum over the count, rounded once
    for row in want.itertuples(index=False):
        values = summary_data.loc[summary_data["g"] == row.g, "x"]
        assert row.exact_sum == sum(map(Fraction, values), Fraction(0))
        assert row.mean == float(row.exact_sum / row.n)
        assert row.median == np.median(values)
    for engine, frame in local_frames(summary_data).items():
        got = es.group_summary(frame, "x", by="g")
        got["g"] = got["g"].astype(want["g"].dtype)
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=engine)
        shuffled = summary_data.sample(frac=1.0, random_state=3)
        pd.testing.assert_frame_equal(es.group_summary(shuffled, "x", by="g"), want,
                                      check_exact=True)


def test_polars_median_rounds_the_midpoint_like_numpy(summary_data):
    for engine, frame in local_frames(summary_data).items():
        got = es.median(frame, "x", by="g")
        for row in got.itertuples(index=False):
            values = summary_data.loc[summary_data["g"] == row.g, "x"]
            assert row.median == np.median(values), engine


# --- the statutory pay metrics: same bits, same fingerprint ----------------------------------


def pay_data(seed: int) -> pd.DataFrame:
    """Continuous pay (quotients with every bit used), bonuses, hours and categories."""
    rng = np.random.default_rng(seed)
    n = 1_001 + seed
    sex = rng.choice(["Male", "Female", "X"], n, p=[0.5, 0.47, 0.03])
    salary = rng.lognormal(10.5, 0.4, n)
    hours = rng.choice([1_950.0, 1_462.5, 975.0], n) * rng.uniform(0.9, 1.1, n)
    bonus = np.where(rng.random(n) < 0.4, rng.lognormal(7, 1, n), 0.0)
    return pd.DataFrame({
        "sex": sex,
        "salary": salary,
        "hourly": salary / hours,
        "hours": hours,
        "bonus": bonus,
        "family": rng.choice(["Sales", "Ops", "R&D", "Legal"], n),
        "full_pay": rng.random(n) < 0.95,
    })


def _uk(frame):
    return fh.uk_pay_gap_metrics(frame, hourly_pay="hourly", sex="sex", bonus="bonus",
                                 full_pay="full_pay")


def _eu(frame, **extra):
    return fh.eu_pay_transparency_metrics(frame, pay="salary", sex="sex", variable_pay="bonus",
                                          hours="hours", category="family", **extra)


def _same_bits(got, want, name: str) -> None:
    assert got.fingerprint == want.fingerprint, name
    for attr in ("table", "quartiles", "categories"):
        if getattr(want, attr, None) is not None:
            pd.testing.assert_frame_equal(getattr(got, attr), getattr(want, attr),
                                          check_exact=True, obj=f"{name}: {attr}")


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("metrics", [_uk, _eu, lambda f: _eu(f, include_zero_variable=True)],
                         ids=["uk", "eu", "eu zero variable"])
def test_statutory_metrics_same_bits_in_every_engine_and_order(metrics, seed):
    df = pay_data(seed)
    want = metrics(df)
    for engine, frame in local_frames(df).items():
        _same_bits(metrics(frame), want, engine)
    _same_bits(metrics(df.sample(frac=1.0, random_state=seed).reset_index(drop=True)), want,
               "shuffled")


def test_statutory_mean_is_the_exact_mean_rounded_once():
    df = pay_data(0)
    uk = _uk(df)
    used = df[df["full_pay"] & df["sex"].isin(["Male", "Female"])]
    means = {
        s: float(sum(map(Fraction, part["hourly"]), Fraction(0)) / len(part))
        for s, part in used.groupby("sex")
    }
    assert uk.mean_hourly_gap == (means["Male"] - means["Female"]) / means["Male"] * 100


@pytest.mark.parametrize(("metrics", "column"), [(_uk, "hourly"), (_uk, "bonus"),
                                                 (_eu, "salary"), (_eu, "bonus"),
                                                 (_eu, "hours")])
def test_the_smallest_change_of_one_pay_value_changes_the_fingerprint(metrics, column):
    """One unit in the last place of one value. (Hours are read through pay per hour: a
    change of hours too small to change that quotient changes no figure, and is not seen.)"""
    df = pay_data(1)
    at = int(np.flatnonzero((df["bonus"] > 0) & df["full_pay"] & (df["sex"] != "X"))[7])
    changed = df.copy()
    value = df.loc[at, column]
    changed.loc[at, column] = value * (1 + 2**-40) if column == "hours" else np.nextafter(
        value, np.inf)
    assert metrics(changed).fingerprint != metrics(df).fingerprint


# --- rater scores -----------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_rater_scores_same_bits_in_any_order_and_engine(seed):
    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame({
        "rater": rng.choice(["A", "B", "C", "D"], n),
        "sex": rng.choice(["Male", "Female"], n),
        "score": rng.normal(0.0, 3.0, n) / 7.0,  # negative too, every bit used
    })
    want = fh.rater_disparity(df, rater="rater", candidate_group="sex", score="score")
    shuffled = df.sample(frac=1.0, random_state=seed % 97)
    for name, frame in {"shuffled": shuffled, **local_frames(df)}.items():
        got = fh.rater_disparity(frame, rater="rater", candidate_group="sex", score="score")
        assert got.fingerprint == want.fingerprint, name
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True, obj=name)
