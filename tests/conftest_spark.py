"""Shared pieces of the backend tests: the local Spark session and frames on every engine.

Not a ``conftest.py`` (that file belongs to the project): the backend test modules import it.
Spark runs in local mode on one core (CI has two), with one shuffle partition and no UI, and is
started once per test process. Without Java or pyspark the Spark tests skip with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

# pyspark 4.x warns that it "does not yet fully support pandas >= 3" on every conversion.
SPARK_WARNINGS = "ignore:PySpark does not yet fully support pandas:FutureWarning"

_SESSION: Any = None


def spark_unavailable() -> str | None:
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[dev]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (PySpark needs a JVM; install OpenJDK 17)"
    return None


def spark_session() -> Any:
    """One local SparkSession per test process (JVM start-up is the slow part: ~10-20 s)."""
    global _SESSION
    reason = spark_unavailable()
    if reason:
        pytest.skip(reason)
    if _SESSION is not None:
        return _SESSION
    # Python workers (mapInPandas) must run this interpreter, which has fairhire installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _SESSION = (
            SparkSession.builder.master("local[1]")
            .appName("fairhire-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.default.parallelism", "1")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "1g")
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .getOrCreate()
        )
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def to_spark(df: pd.DataFrame) -> Any:
    """A Spark DataFrame with the same rows (through Arrow: fast and type-faithful)."""
    import pyarrow as pa

    return spark_session().createDataFrame(pa.Table.from_pandas(df, preserve_index=False))


def local_frames(df: pd.DataFrame) -> dict[str, Any]:
    """The same data as pandas, polars eager and lazy, pyarrow and a DuckDB relation."""
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    duckdb = pytest.importorskip("duckdb")
    table = pa.Table.from_pandas(df, preserve_index=False)
    return {
        "pandas": df,
        "polars": pl.from_arrow(table),
        "polars lazy": pl.from_arrow(table).lazy(),
        "pyarrow": table,
        "duckdb": duckdb.from_arrow(table),
    }


# --- the analyses every backend must reproduce exactly --------------------------------------

STAGES = ["screened", "interviewed", "offered", "hired"]
STAGE_ORDER = ["applied", "screened", "interviewed", "offered", "hired"]
LEVELS = ["L1", "L2", "L3", "L4", "L5"]


def funnel_data(n: int = 3_000) -> pd.DataFrame:
    import fairhire as fh

    df = fh.datasets.make_hiring_funnel(n, random_state=3)
    # an assessment score with many ties at the median (LL144 scoring audit)
    df["score"] = (df["applicant_id"] * 7919 % 101) / 4.0
    return df


def workforce_data(n: int = 2_000) -> pd.DataFrame:
    import fairhire as fh

    return fh.datasets.make_workforce(n, random_state=0)


def _ai(frame: Any, **kwargs: Any) -> dict[str, Any]:
    import fairhire as fh

    r = fh.adverse_impact(frame, **kwargs)
    return {"table": r.table, "strata": r.strata, "unknown": r.unknown,
            "fingerprint": r.fingerprint, "rows": r.rows.to_dict()}  # fmt: skip


def _promotion(frame: Any) -> dict[str, Any]:
    import fairhire as fh

    r = fh.promotion_disparity(frame, group="sex", promoted="promoted", level="level",
                               min_share=0.02)  # fmt: skip
    return {"table": r.table, "strata": r.strata, "unknown": r.unknown,
            "fingerprint": r.fingerprint}  # fmt: skip


def _representation(frame: Any) -> dict[str, Any]:
    import fairhire as fh

    r = fh.representation(frame, group="sex", level="level", order=LEVELS)
    return {"table": r.table, "trend": r.trend, "shares": r.shares()}


def _ll144(frame: Any, **kwargs: Any) -> dict[str, Any]:
    import fairhire as fh

    r = fh.ll144_audit(frame, sex="sex", race="race", min_share=0.02, **kwargs)
    return {"sex": r.sex, "race": r.race, "intersectional": r.intersectional,
            "unknown": r.unknown, "median": r.median_score, "fingerprint": r.fingerprint,
            "rows": r.rows.to_dict()}  # fmt: skip


#: name -> (data set, function of a frame returning comparable outputs)
CASES: dict[str, tuple[str, Any]] = {
    "adverse_impact sex": ("funnel", lambda f: _ai(f, group="sex", stages=STAGES)),
    "adverse_impact race": ("funnel", lambda f: _ai(f, group="race", stages=STAGES)),
    "adverse_impact sex x race, strata": (
        "funnel",
        lambda f: _ai(f, group=["sex", "race"], stages=STAGES, strata="requisition"),
    ),
    "adverse_impact stage_column": (
        "funnel",
        lambda f: _ai(f, group="sex", stage_column="stage_reached", stage_order=STAGE_ORDER),
    ),
    "promotion_disparity": ("workforce", _promotion),
    "representation": ("workforce", _representation),
    "ll144 scoring (median)": ("funnel", lambda f: _ll144(f, score="score")),
    "ll144 selection": ("funnel", lambda f: _ll144(f, selected="hired")),
}


def assert_same(got: dict[str, Any], expected: dict[str, Any], name: str) -> None:
    """Bit-for-bit equality: the statistics run on identical small tables of counts."""
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        have = got[key]
        if isinstance(want, pd.DataFrame):
            pd.testing.assert_frame_equal(have, want, check_exact=True, obj=f"{name}: {key}")
        elif want is None:
            assert have is None, f"{name}: {key}"
        else:
            assert have == want, f"{name}: {key}: {have!r} != {want!r}"


# --- the examples of docs/guide/large-data.md run as written --------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "guide" / "large-data.md"


def doc_example(name: str) -> str:
    """The ```python block that follows ``<!-- test: name -->`` in the large-data guide."""
    text = DOC.read_text(encoding="utf-8")
    marker = f"<!-- test: {name} -->"
    assert marker in text, f"{marker} not found in {DOC}"
    after = text.split(marker, 1)[1]
    match = re.search(r"```python\n(.*?)```", after, flags=re.S)
    assert match, f"no python block after {marker}"
    return match.group(1)


def write_example_files(directory: Path) -> None:
    """Tiny versions of the files the examples read (applicants, job ads)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    applicants = funnel_data(2_000)
    pq.write_table(pa.Table.from_pandas(applicants, preserve_index=False),
                   directory / "applicants.parquet")  # fmt: skip
    ads = pd.DataFrame(
        {
            "ad_id": [1, 2, 3],
            "description": [
                "We want a young, competitive rockstar to lead the team.",
                "Supportive, collaborative nurse; must lift 50 lbs.",
                None,
            ],
        }
    )
    pq.write_table(pa.Table.from_pandas(ads, preserve_index=False),
                   directory / "job_ads.parquet")  # fmt: skip


def run_doc_example(name: str, directory: Path, monkeypatch: Any) -> dict[str, Any]:
    """Execute a guide example in ``directory`` (with the files it reads); its namespace."""
    write_example_files(directory)
    monkeypatch.chdir(directory)
    namespace: dict[str, Any] = {"__name__": f"large_data_{name}"}
    exec(compile(doc_example(name), f"{DOC.name}:{name}", "exec"), namespace)
    return namespace
