"""``fingerprint_frame`` keeps its digest: SHA-256 of the sorted row hashes of
``hash_pandas_object(table.astype(str), index=False)``, whichever way it computes them."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire._frames import fingerprint_frame, to_narwhals
from fairhire.impact.aggregate import funnel_from_stage_columns


def _reference(table: pd.DataFrame) -> str:
    digest = hashlib.sha256(",".join(map(str, table.columns)).encode("utf-8"))
    if len(table):
        rows = pd.util.hash_pandas_object(table.astype(str), index=False).to_numpy()
        digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


TABLES = [
    pd.DataFrame({"g": pd.Series(["x", None, "y"], dtype=object), "n": [1, 2, 3]}),
    pd.DataFrame({"g": pd.Series([1, 2.5, True], dtype=object), "n": [10**15, -1, 0]}),
    pd.DataFrame({"g": pd.Series([1.0, float("nan"), 1e16, -0.0], dtype=object), "n": range(4)}),
    pd.DataFrame({"g": pd.Series([np.int64(3), np.float64(0.1), pd.NA], dtype=object), "n": [1, 2, 3]}),
    pd.DataFrame({"g": pd.Series(["", " ", "é", "a × b"], dtype=object), "n": range(4)}),
    pd.DataFrame({"g": pd.Series([None, None], dtype=object), "n": [1, 2]}),
    pd.DataFrame({"n": [1, 2]}),
    pd.DataFrame({"g": ["x", "y"], "f": [0.5, np.nan]}),
    pd.DataFrame({"g": pd.Categorical(["a", None]), "n": [1, 2]}),
    pd.DataFrame({"g": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}),
]


@pytest.mark.parametrize("table", TABLES)
def test_digest_unchanged(table):
    assert fingerprint_frame(table) == _reference(table)


def test_digest_of_funnel_counts_unchanged():
    df = fh.datasets.make_hiring_funnel(3_000, random_state=2, n_requisitions=40)
    for keys in (["sex"], ["sex", "race"], ["race", "requisition"]):
        counts = funnel_from_stage_columns(
            to_narwhals(df), keys=keys, stages=["screened", "hired"], on_inconsistent="raise"
        )
        assert fingerprint_frame(counts.table) == _reference(counts.table)
