"""The pay analyses on the one messy HR export (``tests/messy.py``): the same groups, reference,
exclusions and counts as every other analysis, and a warning for every merged spelling.

``pay_gap`` and ``oaxaca_blinder`` compare the groups of ``group="sex"`` (Female, Male,
Non-binary; Male has the highest pay, the 10-person Non-binary group is too small to be the
reference). The UK and EU metrics are two-sex by law: they exclude and count the Non-binary
rows and the unknowns. Each analysis runs on pandas and on the lazy engines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from messy import EXPECTED, messy_frame

import fairhire as fh

ENGINES = ["pandas", "polars lazy", "duckdb"]


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    return messy_frame()


@pytest.fixture(scope="module")
def frames(messy) -> dict[str, object]:
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    import pyarrow as pa

    # the export as a CSV reader gives it: text columns, blanks as empty strings or nulls
    clean = messy.astype({"selected": str}).replace({"selected": {"nan": None, "None": None}})
    table = pa.Table.from_pandas(clean, preserve_index=False)
    return {
        "pandas": messy,
        "polars lazy": pl.from_arrow(table).lazy(),
        "duckdb": duckdb.from_arrow(table),
    }


def assert_merges_warned(warnings: tuple[str, ...]) -> None:
    """Every spelling merged into Female or Male is named in a warning."""
    text = " ".join(warnings)
    for spellings in EXPECTED["merged_labels"].values():
        for spelling in spellings:
            assert repr(spelling) in text, (spelling, warnings)


@pytest.mark.parametrize("engine", ["pandas", "polars lazy"])
def test_pay_gap_on_the_messy_export(engine, frames):
    # "n" is a requisition column: a user column with a name fairhire must not collide with
    gap = fh.pay_gap(frames[engine], pay="salary", group="sex", controls=["level", "n"])
    assert sorted([gap.reference_group, *gap.overall["group"]]) == EXPECTED["groups"]
    assert sorted(gap.groups) == EXPECTED["groups"]
    assert gap.reference_group == EXPECTED["reference"]
    small = gap.overall.set_index("group")["too_small_for_reference"]
    assert [g for g in small.index if small[g]] == EXPECTED["too_small"]
    assert gap.rows.total == EXPECTED["total_rows"]
    assert gap.rows.excluded == {"missing group (sex)": EXPECTED["unknown_group_rows"]}
    counts = gap.overall.set_index("group")["n"].to_dict()
    assert counts == {"Female": 500, "Non-binary": 10}  # pay is known for everyone
    assert gap.overall["n_reference"].iloc[0] == 400
    assert_merges_warned(gap.warnings)


@pytest.mark.parametrize("engine", ["pandas", "polars lazy"])
def test_oaxaca_on_the_messy_export(engine, frames):
    ob = fh.oaxaca_blinder(frames[engine], outcome="salary", group="sex", features=["level"])
    # Male and Female are the two groups large enough; Non-binary is too small and left out
    assert (ob.group_a, ob.group_b) == (EXPECTED["reference"], "Female")
    assert ob.rows.excluded == {
        "missing group (sex)": EXPECTED["unknown_group_rows"],
        "group not compared (Non-binary)": 10,
    }
    assert (ob.n_a, ob.n_b) == (400, 500)
    assert_merges_warned(ob.warnings)


@pytest.mark.parametrize("engine", ENGINES)
def test_uk_metrics_on_the_messy_export(engine, frames):
    uk = fh.uk_pay_gap_metrics(frames[engine], hourly_pay="hourly_pay", sex="sex")
    assert uk.sex_other == {"Non-binary": 10}
    assert uk.sex_missing == EXPECTED["unknown_group_rows"]
    assert uk.rows.excluded == {
        "sex missing": EXPECTED["unknown_group_rows"],
        "sex not male or female (excluded from two-sex metrics)": 10,
    }
    assert uk.rows.used == 900 and uk.rows.total == EXPECTED["total_rows"]
    assert uk.populations.iloc[0][["men", "women"]].tolist() == [400, 500]
    assert uk.mean_hourly_gap > 0  # men are paid more
    assert_merges_warned(uk.warnings)


@pytest.mark.parametrize("engine", ENGINES)
def test_uk_full_pay_flag_written_many_ways(engine, frames):
    """``selected`` holds yes/no written five ways and 6 blanks among the women: read by the
    shared flag rule, the blanks are missing (counted), never read as False."""
    uk = fh.uk_pay_gap_metrics(
        frames[engine], hourly_pay="hourly_pay", sex="sex", full_pay="selected"
    )
    yes = EXPECTED["selected"]
    assert uk.populations.iloc[0][["men", "women"]].tolist() == [yes["Male"], yes["Female"]]
    excluded = uk.rows.excluded
    assert excluded["missing full-pay status (selected)"] == EXPECTED["missing_outcome_rows"]
    compared = EXPECTED["applicants"]
    not_full = compared["Male"] - yes["Male"] + compared["Female"] - yes["Female"]
    assert excluded["not full-pay relevant (selected)"] == not_full
    assert uk.rows.used == yes["Male"] + yes["Female"]
    assert uk.rows.total == uk.rows.used + sum(excluded.values())


@pytest.mark.parametrize("engine", ENGINES)
def test_eu_metrics_on_the_messy_export(engine, frames):
    # category "n": a user column named like the counts fairhire computes
    eu = fh.eu_pay_transparency_metrics(frames[engine], pay="salary", sex="sex", category="n")
    assert eu.sex_other == {"Non-binary": 10}
    assert eu.rows.excluded == {
        "sex missing": EXPECTED["unknown_group_rows"],
        "sex not male or female (excluded from two-sex indicators)": 10,
    }
    cats = eu.categories
    assert cats["category"].tolist() == ["R1", "R2", "R3", "R4"]
    assert cats["men"].sum() == 400 and cats["women"].sum() == 500
    assert_merges_warned(eu.warnings)


def test_engines_agree_on_the_statutory_metrics(frames):
    want = fh.uk_pay_gap_metrics(frames["pandas"], hourly_pay="hourly_pay", sex="sex")
    for engine in ENGINES[1:]:
        got = fh.uk_pay_gap_metrics(frames[engine], hourly_pay="hourly_pay", sex="sex")
        assert got.rows.to_dict() == want.rows.to_dict()
        assert got.warnings == want.warnings
        assert got.fingerprint == want.fingerprint
        np.testing.assert_allclose(got.metrics["value"], want.metrics["value"], rtol=1e-12)


def test_every_pay_result_keeps_the_row_account(messy):
    results = [
        fh.pay_gap(messy, pay="salary", group="sex"),
        fh.oaxaca_blinder(messy, outcome="salary", group="sex", features=["level"]),
        fh.uk_pay_gap_metrics(messy, hourly_pay="hourly_pay", sex="sex", full_pay="selected"),
        fh.eu_pay_transparency_metrics(messy, pay="salary", sex="sex", category="level"),
    ]
    for r in results:
        assert r.rows.total == EXPECTED["total_rows"]
        assert r.rows.total == r.rows.used + sum(r.rows.excluded.values())
