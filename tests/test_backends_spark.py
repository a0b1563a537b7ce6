"""PySpark (local mode) gives the same answers as pandas, and scans job ads on the executors.

Everything runs in ONE test function, as subtests: the suite runs under pytest-xdist, which
hands consecutive tests to different workers, and every worker that touched Spark would start
its own JVM (~15 s and ~1 GB each). One function means one JVM for the whole suite. Spark runs
on one core with one shuffle partition; the whole file takes ~30-50 s on a 2-core machine.
Skips with the reason when Java or pyspark is missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest_spark import (
    CASES,
    SPARK_WARNINGS,
    STAGES,
    assert_same,
    funnel_data,
    run_doc_example,
    spark_unavailable,
    to_spark,
    workforce_data,
)

import fairhire as fh
from fairhire import _engine_stats as es

pytestmark = [
    pytest.mark.filterwarnings(SPARK_WARNINGS),
    # pyspark 4.x's Arrow conversion passes copy= to pandas 3's astype
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.skipif(spark_unavailable() is not None, reason=str(spark_unavailable())),
]

ADS = [
    "Tech Lead\n\nWe want a young, competitive rockstar to lead our ambitious team.\n"
    "Salary: $90,000 - $110,000 per year.",
    "Collaborative, supportive nurse sought; must lift 50 lbs.",
    None,
    "Plain ad with nothing to flag.",
]


@pytest.mark.xdist_group("spark")  # one Spark JVM for the suite (make test: --dist loadgroup)
def test_spark_matches_pandas(subtests, tmp_path, monkeypatch):
    # The JVM starts in the current directory and resolves relative paths against it (the
    # guide's example reads "applicants.parquet"), so start it in a scratch directory.
    monkeypatch.chdir(tmp_path)
    funnel, workforce = funnel_data(), workforce_data()
    spark = {"funnel": to_spark(funnel), "workforce": to_spark(workforce)}
    local = {"funnel": funnel, "workforce": workforce}

    for name, (dataset, fn) in CASES.items():
        with subtests.test(msg=name):
            assert_same(fn(spark[dataset]), fn(local[dataset]), f"{name} on Spark")

    rng = np.random.default_rng(11)
    pay = pd.DataFrame(
        {
            "pay": rng.lognormal(3.0, 0.4, 401),
            "cents": rng.integers(900, 1_500, 401) / 100.0,
            "sex": rng.choice(["M", "F"], 401),
        }
    )
    pay["male"] = pay["sex"] == "M"
    pay.loc[7, "pay"] = np.nan
    spay = to_spark(pay)

    with subtests.test(msg="median and quantiles (exact: Spark median/percentile)"):
        assert "exact" in es.median_method(spay) and "percentile" in es.median_method(spay)
        got = es.group_summary(spay, "pay", by="sex")
        want = es.group_summary(pay, "pay", by="sex")
        # exact sums (integer parts) and medians: the same bits as pandas
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        q = es.quantiles(spay, "pay", [0.1, 0.25, 0.75])
        ref = np.quantile(pay["pay"].dropna(), [0.1, 0.25, 0.75])
        assert q.iloc[0, 1:].tolist() == pytest.approx(ref.tolist(), rel=1e-15)

    with subtests.test(msg="quartile pay bands (window function)"):
        from test_backends import reference_bands

        want = reference_bands(pay["cents"].to_numpy(), pay["male"].to_numpy())
        got = es.quartile_bands(spay, "cents", "male")
        pd.testing.assert_frame_equal(got, want, rtol=1e-12)

    with subtests.test(msg="UK and EU statutory pay metrics in Spark equal pandas"):
        from test_backends import (
            EU_KWARGS,
            UK_KWARGS,
            assert_same_pay_metrics,
            eu_data,
            pay_metrics_data,
        )

        # ties only: the tie-free data takes the same engine path (test_backends runs both on
        # pandas, polars, pyarrow and DuckDB), and each Spark query costs seconds
        for ties in (True,):
            local_pay, local_eu = pay_metrics_data(ties=ties), eu_data(ties)
            spark_pay, spark_eu = to_spark(local_pay), to_spark(local_eu)
            for case, kw in UK_KWARGS.items():
                want = fh.uk_pay_gap_metrics(local_pay, **kw)
                got = fh.uk_pay_gap_metrics(spark_pay, **kw)
                assert_same_pay_metrics(got, want, f"UK {case} on Spark (ties={ties})")
            for case, kw in EU_KWARGS.items():
                want = fh.eu_pay_transparency_metrics(local_eu, **kw)
                got = fh.eu_pay_transparency_metrics(spark_eu, **kw)
                assert_same_pay_metrics(got, want, f"EU {case} on Spark (ties={ties})")

    with subtests.test(msg="scan_spark: findings equal the local scanner's"):
        from fairhire.language.spark import scan_spark

        ads = to_spark(pd.DataFrame({"ad_id": [1, 2, 3, 4], "text": ADS}))
        found = scan_spark(ads, "text", keep="ad_id")
        assert type(found).__name__ == "DataFrame" and found.columns[0] == "ad_id"
        got = found.toPandas().sort_values(["ad_id", "start"], na_position="last")
        expected = []
        for ad_id, text in zip([1, 2, 3, 4], ADS, strict=True):
            if text is None:
                expected.append((ad_id, None, None, None, "missing value"))
                continue
            for f in fh.scan_job_description(text).findings:
                expected.append((ad_id, f.term, f.start, f.category, None))

        def plain(v):
            return None if pd.isna(v) else v

        have = [
            (int(r.ad_id), plain(r.term), None if pd.isna(r.start) else int(r.start),
             plain(r.category), plain(r.error))
            for r in got.itertuples(index=False)
        ]  # fmt: skip
        assert have == expected
        assert any(c == "age" for *_, c, _ in have)  # "young"

    with subtests.test(msg="scan_job_descriptions dispatches a Spark frame to scan_spark"):
        via_batch = fh.scan_job_descriptions(ads, column="text")
        assert type(via_batch).__name__ == "DataFrame" and "ad_id" in via_batch.columns
        assert via_batch.count() == found.count()
        with pytest.raises(fh.FairhireError, match="column="):
            fh.scan_job_descriptions(ads)

    with subtests.test(msg="docs/guide/large-data.md Spark example runs as written"):
        ns = run_doc_example("spark", tmp_path, monkeypatch)
        want = fh.adverse_impact(
            pd.read_parquet(tmp_path / "applicants.parquet"),
            group=["sex", "race"], stages=STAGES, strata="requisition",
        )  # fmt: skip
        pd.testing.assert_frame_equal(ns["ai"].table, want.table, check_exact=True)
        assert ns["findings"].count() >= 3
