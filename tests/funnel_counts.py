"""Helpers of the fast-path tests (``test_fastcount.py``, ``test_fastcount_polars.py``): the funnel
counted with and without the bincount fast path, and comparisons of the two."""

from __future__ import annotations

import pandas as pd

import fairhire._frames as frames
import fairhire.impact.aggregate as aggregate
from fairhire._frames import to_narwhals
from fairhire.errors import InvalidValueError

STAGES = ["screened", "interviewed", "offered", "hired"]


def counts(data, keys, stages=STAGES, *, fast: bool, on_inconsistent="raise"):
    """FunnelCounts by the fast path, or by the engine path (fast path switched off)."""
    if fast:
        return aggregate.funnel_from_stage_columns(
            to_narwhals(data), keys=keys, stages=stages, on_inconsistent=on_inconsistent
        )
    original = aggregate.count_levels
    aggregate.count_levels = lambda *args, **kwargs: None
    try:
        return aggregate.funnel_from_stage_columns(
            to_narwhals(data), keys=keys, stages=stages, on_inconsistent=on_inconsistent
        )
    finally:
        aggregate.count_levels = original


def same_counts(a, b, keys) -> None:
    """Two FunnelCounts hold the same table (value types too), exclusions and row total."""
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    for k in keys:  # plain Python values (None where missing), not numpy scalars
        assert [type(v) for v in a.table[k]] == [type(v) for v in b.table[k]], k
    assert (a.keys, a.stages, a.chained) == (b.keys, b.stages, b.chained)
    assert a.total_rows == b.total_rows
    assert a.excluded == b.excluded


def same_results(a, b) -> None:
    """Two adverse-impact results are identical: tables, fingerprint, warnings, row account."""
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    pd.testing.assert_frame_equal(a.strata, b.strata, check_exact=True)
    pd.testing.assert_frame_equal(a.unknown, b.unknown, check_exact=True)
    assert a.fingerprint == b.fingerprint
    assert a.warnings == b.warnings
    assert a.rows.to_dict() == b.rows.to_dict()


def fast_path_spy(monkeypatch) -> list[bool]:
    """Records, per funnel counted, whether the fast path was taken."""
    calls: list[bool] = []
    original = aggregate.count_levels

    def spy(*args, **kwargs):
        out = original(*args, **kwargs)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(aggregate, "count_levels", spy)
    return calls


def same_outcomes(data, keys, stages, chunk: int) -> None:
    """Fast and engine paths agree (counts, or the error message) in both inconsistency
    modes, with slices of ``chunk`` rows."""
    original = frames.CHUNK_ROWS
    frames.CHUNK_ROWS = chunk
    try:
        for mode in ("exclude", "raise"):
            results = []
            for fast in (True, False):
                try:
                    got = counts(data, keys, stages, fast=fast, on_inconsistent=mode)
                    results.append((got.table, got.total_rows, got.excluded))
                except InvalidValueError as err:
                    results.append(str(err))
            if isinstance(results[0], str):
                assert results[0] == results[1]
            else:
                pd.testing.assert_frame_equal(results[0][0], results[1][0], check_exact=True)
                assert results[0][1:] == results[1][1:]
    finally:
        frames.CHUNK_ROWS = original
