"""The counting fast path (pandas, np.bincount) gives the engine path's counts, bit for bit.

``fairhire.impact.fastcount`` counts a pandas funnel with one ``np.bincount`` per slice of
rows (polars eager frames: ``test_fastcount_polars.py``); other engines go through narwhals'
group-by. The two must agree on everything a
:class:`~fairhire.impact.aggregate.FunnelCounts` holds (the table, its value types, the
exclusions by reason, the row total) and on the errors they raise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from funnel_counts import STAGES, fast_path_spy, same_counts, same_outcomes, same_results
from funnel_counts import counts as _counts
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
import fairhire._frames as frames
import fairhire.impact.aggregate as aggregate
from fairhire.errors import InvalidValueError


def _same(data, keys, stages=STAGES, **kwargs) -> None:
    fast = _counts(data, keys, stages, fast=True, **kwargs)
    slow = _counts(data, keys, stages, fast=False, **kwargs)
    same_counts(fast, slow, keys)


@pytest.fixture(scope="module")
def funnel() -> pd.DataFrame:
    return fh.datasets.make_hiring_funnel(4_000, random_state=11, n_requisitions=15)


def test_fast_path_is_taken_for_pandas(funnel, monkeypatch):
    calls = fast_path_spy(monkeypatch)
    fh.adverse_impact(funnel, group=["sex", "race"], stages=STAGES)
    fh.adverse_impact(funnel.astype({"sex": "category"}), group="sex", stages=STAGES)
    assert calls == [True, True]


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("keys", [["sex"], ["sex", "race"], ["race", "requisition"]])
def test_same_counts_with_missing_groups(funnel, categorical, keys):
    data = funnel if not categorical else funnel.astype({k: "category" for k in keys})
    _same(data, keys)


def test_same_counts_over_many_slices(funnel, monkeypatch):
    monkeypatch.setattr(frames, "CHUNK_ROWS", 333)  # 13 slices, splitting every group
    data = funnel.copy()
    data["offered"] = data["offered"].astype(object)
    data.loc[data.index[::47], "offered"] = None
    _same(data, ["sex", "race"])
    _same(data.astype({"sex": "category"}), ["sex", "requisition"])


def test_missing_and_blank_flags_excluded_by_reason(funnel):
    data = funnel.copy()
    for stage in ("interviewed", "hired"):
        data[stage] = data[stage].map({True: "Yes", False: "no"}).astype(object)
    data.loc[data.index[::31], "interviewed"] = " "  # blank: missing where the stage was reached
    data.loc[data.index[5::43], "hired"] = None
    fast = _counts(data, ["sex"], STAGES, fast=True)
    assert set(fast.excluded) <= {"missing outcome (interviewed)", "missing outcome (hired)"}
    assert fast.excluded["missing outcome (interviewed)"] > 0
    _same(data, ["sex"])


def test_flags_written_as_numbers_and_nullable_booleans(funnel):
    data = funnel.copy()
    data["screened"] = data["screened"].astype(int)
    data["interviewed"] = data["interviewed"].astype(float)
    data.loc[data.index[3::71], "interviewed"] = np.nan
    data["offered"] = data["offered"].astype("boolean")
    data.loc[data.index[2::89], "offered"] = pd.NA
    _same(data, ["sex", "race"])


def test_user_columns_named_like_internal_counts(funnel):
    data = funnel.rename(columns={"sex": "n", "race": "selected", "requisition": "rows"})
    _same(data, ["n", "selected", "rows"])
    _same(data.rename(columns={"hired": "n_hired"}), ["n"], [*STAGES[:3], "n_hired"])


def test_number_boolean_and_text_keys(funnel):
    rng = np.random.default_rng(0)
    data = funnel.copy()
    data["code"] = rng.integers(0, 4, len(data))
    data["flag"] = rng.random(len(data)) < 0.4
    data["score"] = np.where(rng.random(len(data)) < 0.1, np.nan, rng.integers(0, 3, len(data)))
    data["label"] = data["sex"].astype("string[pyarrow]")
    data.loc[data.index[::17], "label"] = ""  # blank text is a label here; cleaning reads it
    _same(data, ["code", "flag"])
    _same(data, ["score", "label"])


def test_inconsistent_funnel_errors_and_exclusions_match(funnel):
    data = funnel.copy()
    data.loc[data.index[::29], "hired"] = True
    with pytest.raises(InvalidValueError) as fast:
        _counts(data, ["race"], STAGES, fast=True)
    with pytest.raises(InvalidValueError) as slow:
        _counts(data, ["race"], STAGES, fast=False)
    assert str(fast.value) == str(slow.value)
    _same(data, ["race"], on_inconsistent="exclude")


def test_bad_flag_values_raise_the_same_error(funnel):
    data = funnel.copy()
    data["hired"] = data["hired"].map({True: "yes", False: "no"}).astype(object)
    data.loc[data.index[::41], "hired"] = "maybe"
    messages = []
    for fast in (True, False):
        with pytest.raises(InvalidValueError) as err:
            _counts(data, ["sex"], STAGES, fast=fast)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_whole_results_identical(funnel):
    kwargs = {"group": ["sex", "race"], "stages": STAGES, "strata": "requisition"}
    fast = fh.adverse_impact(funnel, **kwargs)
    original = aggregate.count_levels
    aggregate.count_levels = lambda *args, **kw: None
    try:
        slow = fh.adverse_impact(funnel, **kwargs)
    finally:
        aggregate.count_levels = original
    same_results(fast, slow)


FLAG = st.sampled_from([True, False, "yes", "No", " y ", "0", 1, 0, None, "", " "])
LABEL = st.sampled_from(["a", "b", "B", None, "", 3, 2.5])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(LABEL, LABEL, FLAG, FLAG, FLAG), min_size=1, max_size=40),
    st.integers(1, 9),
)
def test_any_small_frame_counts_the_same(rows, chunk):
    data = pd.DataFrame(rows, columns=["g", "h", "s1", "s2", "s3"], dtype=object)
    same_outcomes(data, ["g", "h"], ["s1", "s2", "s3"], chunk)
