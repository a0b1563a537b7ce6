"""A blank stratum value (level, requisition, unit) is kept as a stratum of its own, and every
analysis says so in the same words: promotion did, adverse impact, monitoring and retention kept
those rows without a word."""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh


@pytest.fixture(scope="module")
def funnel() -> pd.DataFrame:
    df = fh.datasets.make_hiring_funnel(3_000, random_state=1, periods=2)
    df = df.astype({"requisition": object})
    df.loc[df.index[df.sex.notna()][:29], "requisition"] = None
    return df


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    st = fh.datasets.make_workforce(1_500, random_state=2).astype({"level": object})
    st.loc[st.index[st.sex.notna()][:10], "level"] = None
    return st


def _said(warnings, n: int, column: str) -> bool:
    return any(w.endswith(f"{n} rows have a missing {column!r}: kept as a stratum of their own "
                          "('(missing)').") for w in warnings)


def test_every_stratified_analysis_says_it_keeps_missing_strata(funnel, staff):
    impact = fh.adverse_impact(funnel, group="sex", stages=["screened", "hired"],
                               strata="requisition")
    assert _said(impact.warnings, 29, "requisition")
    alone = fh.adverse_impact(funnel.assign(requisition=funnel.requisition.fillna("(missing)")),
                              group="sex", stages=["screened", "hired"], strata="requisition")
    pd.testing.assert_frame_equal(impact.strata, alone.strata)  # one stratum of their own
    mon = fh.monitor(funnel, period="applied_on", freq="Q", group="sex",
                     stages=["screened", "hired"], strata="requisition")
    assert any("rows have a missing 'requisition': kept as a stratum" in w
               for w in mon.warnings)
    for result in (fh.retention(staff, group="sex", exited="left", level="level"),
                   fh.promotion_disparity(staff, group="sex", promoted="promoted",
                                          level="level")):
        assert _said(result.warnings, 10, "level"), result.warnings


def test_rows_with_a_missing_stratum_are_used_not_dropped(funnel):
    with_strata = fh.adverse_impact(funnel, group="sex", stages=["hired"], strata="requisition")
    without = fh.adverse_impact(funnel, group="sex", stages=["hired"])
    assert with_strata.rows == without.rows
    pd.testing.assert_frame_equal(with_strata.table, without.table)
