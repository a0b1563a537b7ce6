"""The counting fast path on polars eager frames gives polars' group-by counts and pandas' results.

For a polars DataFrame whose keys are categorical, enum or boolean, ``fairhire.impact.fastcount``
counts the funnel over the columns' physical codes with ``np.bincount`` (null-free boolean
stages straight from their bitmaps) instead of polars' ``group_by().agg()``. Text keys still go
through polars' group-by. Either way the counts, the exclusions, the errors and the whole result
must be those of the engine path and of the same data in pandas, bit for bit.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pytest
from funnel_counts import STAGES, fast_path_spy, same_counts, same_outcomes, same_results
from funnel_counts import counts as _counts
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
import fairhire._codes as codes
import fairhire._frames as frames
from fairhire.errors import InvalidValueError

pl = pytest.importorskip("polars")
pytest.importorskip("pyarrow")


def _same(data, keys, stages=STAGES, *, pandas=None, **kwargs) -> None:
    """Polars fast path == polars group-by (== the pandas frame's counts, when given)."""
    fast = _counts(data, keys, stages, fast=True, **kwargs)
    same_counts(fast, _counts(data, keys, stages, fast=False, **kwargs), keys)
    if pandas is not None:
        same_counts(fast, _counts(pandas, keys, stages, fast=True, **kwargs), keys)


@pytest.fixture(scope="module")
def funnel() -> pd.DataFrame:
    """Categorical keys with missing values and, for race, an unused category."""
    df = fh.datasets.make_hiring_funnel(4_000, random_state=11, n_requisitions=15, categorical=True)
    df["race"] = df["race"].cat.add_categories(["Unused"])
    return df


@pytest.fixture(scope="module")
def mixed(funnel) -> tuple[pd.DataFrame, object]:
    """The funnel in pandas and polars: categorical, enum, text and boolean keys; flags written
    as booleans with nulls, text with blanks, numbers with NaN."""
    rng = np.random.default_rng(5)
    df = funnel[["sex", "race", "requisition", *STAGES]].copy()
    df["band"] = pd.Categorical(
        rng.choice(["low", "mid", "high"], len(df)), categories=["low", "mid", "high", "none"]
    )
    df.loc[df.index[::23], "band"] = None
    df["remote"] = pd.array(rng.random(len(df)) < 0.3, dtype="boolean")
    df.loc[df.index[::19], "remote"] = pd.NA
    df["label"] = df["sex"].astype(object)
    df["interviewed"] = df["interviewed"].map({True: "Yes", False: "no"}).astype(object)
    df.loc[df.index[::31], "interviewed"] = " "  # blank: missing where the stage was reached
    df["hired"] = df["hired"].astype(float)
    df.loc[df.index[3::71], "hired"] = np.nan
    df.loc[df.index[df["offered"].to_numpy()][::5], "hired"] = np.nan  # reached: missing
    df["offered"] = df["offered"].astype("boolean")
    df.loc[df.index[2::89], "offered"] = pd.NA
    polars = pl.from_pandas(df).with_columns(
        pl.col("band").cast(pl.Enum(["low", "mid", "high", "none"]))
    )
    return df, polars


def test_fast_path_is_taken_for_coded_polars_keys(funnel, mixed, monkeypatch):
    calls = fast_path_spy(monkeypatch)
    data = pl.from_pandas(funnel)
    fh.adverse_impact(data, group=["sex", "race"], stages=STAGES)
    _, polars = mixed
    fh.adverse_impact(polars, group="band", strata="remote", stages=STAGES)
    fh.adverse_impact(polars, group="label", stages=STAGES)  # text: polars' group-by
    fh.adverse_impact(data.lazy(), group="sex", stages=STAGES)  # lazy: polars' group-by
    assert calls == [True, True, False, False]


@pytest.mark.parametrize("keys", [["sex"], ["race"], ["sex", "race"], ["race", "requisition"]])
def test_categorical_keys_count_as_polars_and_pandas(funnel, keys):
    _same(pl.from_pandas(funnel), keys, pandas=funnel)


@pytest.mark.parametrize("keys", [["band"], ["band", "remote"], ["sex", "band", "remote"]])
def test_enum_boolean_keys_and_every_flag_spelling(mixed, keys):
    pandas, polars = mixed
    _same(polars, keys, pandas=pandas)
    fast = _counts(polars, keys, fast=True)
    assert fast.excluded["missing outcome (interviewed)"] > 0
    assert fast.excluded["missing outcome (hired)"] > 0


def test_text_keys_match_pandas_through_polars_group_by(mixed):
    pandas, polars = mixed
    _same(polars, ["label", "band"], pandas=pandas)


def test_slices_offsets_chunks_and_large_category_codes(funnel, monkeypatch):
    """Many slices that split every byte of the bitmaps; a frame that starts inside a byte
    (an offset into the bitmaps); a frame in several chunks; categories renumbered from
    large physical codes."""
    data = pl.from_pandas(funnel)
    monkeypatch.setattr(frames, "CHUNK_ROWS", 333)
    _same(data[5:], ["sex", "race"], pandas=funnel.iloc[5:])
    chunked = pl.concat([data[:1001], data[1001:2999], data[2999:]], rechunk=False)
    assert chunked["hired"].n_chunks() == 3
    _same(chunked, ["race", "sex"], pandas=funnel)
    monkeypatch.setattr(codes, "DENSE_CODES", 0)
    _same(data[13:], ["sex", "requisition"], pandas=funnel.iloc[13:])


def test_bitmap_rows_match_polars(funnel):
    column = pl.from_pandas(funnel)["offered"]
    for start in (0, 1, 7, 8, 9):
        part = column[start:]
        rows = codes.polars_flag_rows(part)
        want = part.to_numpy()
        for lo, hi in [(0, len(part)), (3, 11), (8, 16), (5, 6), (100, 1001)]:
            np.testing.assert_array_equal(rows(lo, hi), want[lo:hi])


def test_categorical_codes_beyond_the_dense_range(funnel):
    """Every categorical of the process shares one mapping, so a column's codes can be large
    and sparse: they are renumbered to the ones it uses; no other category is counted."""
    others = pl.Series([f"other {uuid.uuid4()}" for _ in range(300)], dtype=pl.Categorical)
    tag = uuid.uuid4().hex
    pandas = funnel.assign(sex=funnel["sex"].cat.rename_categories(lambda v: f"{v} {tag}"))
    data = pl.from_pandas(pandas)
    assert data["sex"].to_physical().min() > others.to_physical().max() >= codes.DENSE_CODES
    _same(data, ["sex", "race"], pandas=pandas)


def test_all_missing_categorical_key(funnel):
    data = pl.from_pandas(funnel).with_columns(pl.lit(None, dtype=pl.Categorical).alias("sex"))
    _same(data, ["sex", "race"])


def test_inconsistent_funnel_errors_and_exclusions_match(funnel):
    pandas = funnel.copy()
    pandas.loc[pandas.index[::29], "hired"] = True
    data = pl.from_pandas(pandas)
    errors = []
    for frame, fast in [(data, True), (data, False), (pandas, True)]:
        with pytest.raises(InvalidValueError) as err:
            _counts(frame, ["race"], fast=fast)
        errors.append(str(err.value))
    assert errors[0] == errors[1] == errors[2]
    _same(data, ["race"], pandas=pandas, on_inconsistent="exclude")


@pytest.mark.parametrize(
    ("column", "bad"),
    [("hired", "maybe"), ("screened", 2), ("offered", 0.5)],
)
def test_bad_flag_values_raise_the_same_error(funnel, column, bad):
    pandas = funnel.copy()
    kind = type(bad)
    values = {True: "yes", False: "no"} if kind is str else {True: kind(1), False: kind(0)}
    pandas[column] = pandas[column].map(values)
    pandas.loc[pandas.index[::41], column] = bad
    raised = []
    data = pl.from_pandas(pandas)
    for frame, fast in [(data, True), (data, False), (pandas, True)]:
        with pytest.raises(InvalidValueError) as err:
            _counts(frame, ["sex"], fast=fast)
        raised.append((type(err.value), str(err.value)))
    assert raised[0] == raised[1] == raised[2]


def test_whole_results_identical_to_pandas(mixed):
    pandas, polars = mixed
    for kwargs in (
        {"group": ["sex", "band"], "stages": STAGES, "strata": "requisition"},
        {"group": "race", "stages": STAGES, "strata": "remote", "on_inconsistent": "exclude"},
    ):
        same_results(fh.adverse_impact(polars, **kwargs), fh.adverse_impact(pandas, **kwargs))


FLAG = st.sampled_from([True, False, None])
LABEL = st.sampled_from(["a", "b", "B", None, ""])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(LABEL, LABEL, st.booleans(), FLAG, FLAG), min_size=1, max_size=40),
    st.integers(1, 9),
)
def test_any_small_frame_counts_the_same(rows, chunk):
    data = pl.DataFrame(rows, schema=["g", "h", "s1", "s2", "s3"], orient="row")
    data = data.with_columns(
        pl.col("g").cast(pl.Categorical), pl.col("h").cast(pl.Enum(["", "B", "b", "a"]))
    )
    same_outcomes(data, ["g", "h"], ["s1", "s2", "s3"], chunk)
