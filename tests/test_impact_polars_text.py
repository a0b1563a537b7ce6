"""Polars frames with text keys: the funnel read without pandas gives what the pandas route gives.

text_group_counts hands the group-by's columns over as lists and arrays (not a pandas table),
and the funnel checks of boolean stage columns are read from the columns (not a query); both
must give the numbers, labels and errors of the engine-neutral path.
"""

from __future__ import annotations

import itertools

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest

import fairhire as fh
from fairhire._core.flags import read_flag
from fairhire._frames import group_counts, sum_true, text_group_counts, to_narwhals
from fairhire.impact import aggregate
from fairhire.impact.aggregate import count_values, key_values
from fairhire.impact.fastcount import polars_checks

STAGES = ["screened", "hired"]


def _frame(rng: np.random.Generator, n: int = 400) -> pl.DataFrame:
    screened = rng.random(n) < 0.6
    return pl.DataFrame(
        {
            "sex": rng.choice(["F", "M", " ", None], n, p=[0.45, 0.45, 0.05, 0.05]).tolist(),
            "race": rng.choice(["A", "B", "C", None], n).tolist(),
            "screened": screened,
            "hired": screened & (rng.random(n) < 0.3),
        }
    )


@pytest.mark.parametrize("keys", [["sex"], ["race"], ["sex", "race"]])
def test_text_group_counts_is_group_counts_read_back(keys):
    frame = to_narwhals(_frame(np.random.default_rng(3)))
    aggs = [sum_true(nw.col(s), frame).alias(f"sel::{s}") for s in STAGES]
    got = text_group_counts(frame, keys, {f"sel::{s}": s for s in STAGES}, count_name="__n")
    table = group_counts(frame, keys, aggs, count_name="__n")
    want = {k: key_values(table[k]) for k in keys}
    want.update({c: count_values(table[c]).tolist() for c in table.columns if c not in keys})
    mine = {c: v if c in keys else count_values(v).tolist() for c, v in got.items()}
    order = sorted(range(len(table)), key=lambda i: str([want[k][i] for k in keys]))
    mine_order = sorted(range(len(table)), key=lambda i: str([mine[k][i] for k in keys]))
    for c in want:
        assert [want[c][i] for i in order] == [mine[c][i] for i in mine_order], c


def test_text_group_counts_only_for_polars_text_keys():
    frame = _frame(np.random.default_rng(1))
    assert text_group_counts(to_narwhals(frame.to_pandas()), ["sex"]) is None
    assert text_group_counts(to_narwhals(frame.lazy()), ["sex"]) is None
    coded = frame.with_columns(pl.col("sex").cast(pl.Categorical))
    assert text_group_counts(to_narwhals(coded), ["sex"]) is None


def test_polars_checks_are_the_query_checks():
    frame = _frame(np.random.default_rng(5)).with_columns(
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise(pl.col("screened"))
        .alias("screened"),
        (pl.col("hired") | (pl.int_range(pl.len()) % 11 == 0)).alias("hired"),
    )
    frame = to_narwhals(frame)
    readings = {s: read_flag(frame, s, argument="stages") for s in STAGES}
    got = polars_checks(frame, STAGES, readings, rows_key=aggregate._ROWS)
    checks = [nw.len().alias(aggregate._ROWS)]
    checks += [nw.col(s).null_count().alias(f"miss::{s}") for s in STAGES]
    checks += [
        sum_true(nw.col(cur) & ~nw.col(prev), frame).alias(f"bad::{cur}")
        for prev, cur in itertools.pairwise(STAGES)
    ]
    want = aggregate._one_row(frame.select(*checks))
    assert got == want
    assert got["miss::screened"] > 0 and got["bad::hired"] > 0


@pytest.mark.parametrize("on_inconsistent", ["raise", "exclude"])
def test_polars_text_frame_gives_the_pandas_result(on_inconsistent):
    frame = _frame(np.random.default_rng(7), 3_000)
    if on_inconsistent == "exclude":
        frame = frame.with_columns(pl.col("hired") | (pl.int_range(pl.len()) % 13 == 0))
    for group in ("sex", ["sex", "race"]):
        mine = fh.adverse_impact(frame, group=group, stages=STAGES, on_inconsistent=on_inconsistent)
        theirs = fh.adverse_impact(
            frame.to_pandas().astype({"sex": object, "race": object}),
            group=group,
            stages=STAGES,
            on_inconsistent=on_inconsistent,
        )
        pd.testing.assert_frame_equal(mine.table, theirs.table, check_exact=True)
        assert mine.rows == theirs.rows and mine.warnings == theirs.warnings
