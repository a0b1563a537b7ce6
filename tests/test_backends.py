"""Every analysis gives the same answer on pandas, polars (eager, lazy), pyarrow and DuckDB.

The row-level work runs in the caller's engine; the statistics run on the small tables that
come back, so the results must be identical bit for bit, not just close. Spark is in
``test_backends_spark.py`` (one JVM per test process). Engine-side medians, quantiles and
rank-based pay bands (``fairhire._engine_stats``) are checked against numpy and against
``reference_bands``, a slow per-employee statement of SI 2017/172 reg 13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest_spark import (
    CASES,
    assert_same,
    funnel_data,
    local_frames,
    run_doc_example,
    workforce_data,
    write_example_files,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire import _engine_stats as es
from fairhire._frames import needs_int_sums, sum_true, to_narwhals
from fairhire.errors import (
    ColumnError,
    FairhireError,
    InputTypeError,
    InvalidParameterError,
)

BACKENDS = ["polars", "polars lazy", "pyarrow", "duckdb"]


@pytest.fixture(scope="module")
def data() -> dict[str, dict[str, object]]:
    return {"funnel": local_frames(funnel_data()), "workforce": local_frames(workforce_data())}


@pytest.fixture(scope="module")
def expected(data) -> dict[str, dict]:
    return {name: fn(data[ds]["pandas"]) for name, (ds, fn) in CASES.items()}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", list(CASES))
def test_analysis_identical_to_pandas(case, backend, data, expected):
    dataset, fn = CASES[case]
    assert_same(fn(data[dataset][backend]), expected[case], f"{case} on {backend}")


@pytest.fixture
def lazy_collects(monkeypatch) -> list[int]:
    """Row counts of every polars LazyFrame.collect() during the test (in call order)."""
    pl = pytest.importorskip("polars")
    collected: list[int] = []
    original = pl.LazyFrame.collect

    def spy(self, *args, **kwargs):
        out = original(self, *args, **kwargs)
        collected.append(out.height)
        return out

    monkeypatch.setattr(pl.LazyFrame, "collect", spy)
    return collected


def test_polars_lazy_stays_lazy_until_the_small_collect(lazy_collects, data):
    """The LazyFrame is only ever collected after aggregation: a few hundred rows at most."""
    collected = lazy_collects
    lazy = data["funnel"]["polars lazy"]
    n_rows = data["funnel"]["pandas"].shape[0]
    fh.adverse_impact(lazy, group=["sex", "race"], stages=["screened", "hired"],
                      strata="requisition")  # fmt: skip
    fh.ll144_audit(lazy, sex="sex", race="race", score="score")
    es.median(lazy, "score", by="sex")
    assert collected, "nothing was collected"
    # groups x strata is at most 4 sexes x 8 races x 50 requisitions
    assert max(collected) < n_rows / 2, collected


def test_boolean_sums_only_cast_where_the_engine_needs_it(data):
    for name, frame in data["funnel"].items():
        nw_frame = to_narwhals(frame)
        assert not needs_int_sums(nw_frame), name
        import narwhals.stable.v2 as nw

        got = nw_frame.select(sum_true(nw.col("hired"), nw_frame).alias("k"))
        got = got.collect() if hasattr(got, "collect") else got
        assert int(got.to_pandas()["k"].iloc[0]) == int(data["funnel"]["pandas"]["hired"].sum())


# --- engine-side medians, quantiles, bands ---------------------------------------------------


@pytest.fixture(scope="module")
def pay() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 1_003
    df = pd.DataFrame(
        {
            "pay": rng.lognormal(3.0, 0.4, n),  # continuous: midpoints of two floats
            "cents": rng.integers(900, 4_000, n) / 100.0,  # many ties
            "sex": rng.choice(["M", "F", "X"], n),
            "level": rng.choice([1, 2, 3], n),
        }
    )
    df["male"] = df["sex"] == "M"
    df.loc[[3, 17], "pay"] = np.nan
    df.loc[[5], "sex"] = None
    return df


def reference_bands(pay, male, band_sizes: str = "lower_first") -> pd.DataFrame:
    """Reg 13 employee by employee: rank by pay; every employee fills one unit of the ranked
    list; a run of equal pay shares its male proportion among its members (reg 13(2)); each
    band takes the units between its boundaries (13(1) Step 2: sizes as equal as possible)."""
    pay, male = np.asarray(pay, dtype=float), np.asarray(male, dtype=bool)
    order = np.argsort(pay, kind="stable")
    pay, male = pay[order], male[order].astype(float)
    share = np.array([male[pay == v].mean() for v in pay]) if len(pay) else male
    n = len(pay)
    if band_sizes == "fractional":
        edges = [n * b / 4 for b in range(5)]
    else:
        sizes = [n // 4] * 4
        for i in range(n % 4):
            sizes[i if band_sizes == "lower_first" else 3 - i] += 1
        edges = [float(sum(sizes[:b])) for b in range(5)]
    rows = []
    units = np.arange(n)
    for b, name in enumerate(["lower", "lower middle", "upper middle", "upper"]):
        lo, hi = edges[b], edges[b + 1]
        weight = np.clip(np.minimum(units + 1, hi) - np.maximum(units, lo), 0, None)
        total, men = weight.sum(), (weight * share).sum()
        inside = weight > 0
        rows.append(
            {
                "band": name,
                "employees": total,
                "men": men,
                "women": total - men,
                "male_pct": men / total * 100 if total else np.nan,
                "female_pct": (total - men) / total * 100 if total else np.nan,
                "min_pay": pay[inside].min() if inside.any() else np.nan,
                "max_pay": pay[inside].max() if inside.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _numpy_median(df: pd.DataFrame, column: str, by: list[str]) -> pd.DataFrame:
    rows = []
    keys = df[by].astype(object).where(df[by].notna(), None)
    for key in sorted(set(map(tuple, keys.to_numpy().tolist())), key=lambda k: [
        (v is None, str(type(v)), v) for v in k
    ]):  # fmt: skip
        mask = np.ones(len(df), dtype=bool)
        for c, v in zip(by, key, strict=True):
            mask &= keys[c].isna().to_numpy() if v is None else (keys[c] == v).to_numpy()
        vals = df.loc[mask, column].dropna().to_numpy()
        rows.append({**dict(zip(by, key, strict=True)), "n": len(vals),
                     "median": float(np.median(vals)) if len(vals) else np.nan})  # fmt: skip
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("int64")
    return out


@pytest.mark.parametrize("backend", ["pandas", *BACKENDS])
def test_median_exact_against_numpy(backend, pay):
    frames = local_frames(pay)
    for column in ("pay", "cents"):
        got = es.median(frames[backend], column, by=["sex", "level"])
        want = _numpy_median(pay, column, ["sex", "level"])
        for c in ("sex", "level"):
            got[c] = got[c].astype(object)
            want[c] = want[c].astype(object)
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
        overall = es.median(frames[backend], column)
        assert overall["median"].iloc[0] == np.median(pay[column].dropna())
        assert overall["n"].iloc[0] == pay[column].notna().sum()


@pytest.mark.parametrize("backend", BACKENDS)
def test_quantiles_and_summary_match_pandas(backend, pay):
    frame = local_frames(pay)[backend]
    q = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
    got = es.quantiles(frame, "pay", q, by="sex")
    want = es.quantiles(pay, "pay", q, by="sex")
    # the same order statistics; engines interpolate between them with formulas that may
    # differ in the last bit (a + (b - a) * f against a * (1 - f) + b * f)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-15, atol=0)
    # numpy's default (linear, type 7) is the definition
    male = pay.loc[pay.sex == "M", "pay"].dropna()
    row = got.loc[got.sex == "M"].iloc[0]
    assert [row[f"q{v:g}"] for v in q] == pytest.approx(np.quantile(male, q), rel=1e-15)
    s = es.group_summary(frame, "pay", by="sex")
    ref = es.group_summary(pay, "pay", by="sex")
    pd.testing.assert_frame_equal(s[["sex", "n", "median"]], ref[["sex", "n", "median"]],
                                  check_exact=True)  # fmt: skip
    # sums are floating point: the order of summation differs by engine
    pd.testing.assert_frame_equal(s, ref, rtol=1e-12)


@pytest.mark.parametrize("band_sizes", ["lower_first", "upper_first", "fractional"])
@pytest.mark.parametrize("backend", ["pandas", *BACKENDS])
def test_quartile_bands_match_the_pay_module(backend, band_sizes, pay):
    frame = local_frames(pay)[backend]
    known = pay.dropna(subset=["cents"])
    want = reference_bands(
        known["cents"].to_numpy(), known["male"].to_numpy(), band_sizes=band_sizes
    )
    got = es.quartile_bands(frame, "cents", "male", band_sizes=band_sizes)
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)
    assert got["employees"].sum() == len(known)


def test_quartile_bands_male_as_expression(pay):
    import narwhals.stable.v2 as nw

    two = pay.loc[pay.sex.isin(["M", "F"])]
    want = reference_bands(two["cents"].to_numpy(), (two["sex"] == "M").to_numpy())
    duck = local_frames(two)["duckdb"]
    got = es.quartile_bands(duck, "cents", nw.col("sex") == "M")
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)


@settings(max_examples=25)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=40),
    st.sampled_from(["lower_first", "upper_first", "fractional"]),
)
def test_quartile_bands_property_with_ties(rows, band_sizes):
    """Heavy ties straddling every boundary: engine bands == ranked-list bands."""
    df = pd.DataFrame(rows, columns=["pay", "male"]).astype({"pay": float})
    want = reference_bands(df["pay"].to_numpy(), df["male"].to_numpy(), band_sizes=band_sizes)
    got = es.quartile_bands(df, "pay", "male", band_sizes=band_sizes)
    pd.testing.assert_frame_equal(got, want, rtol=1e-12, atol=1e-12)


def test_engine_stats_bad_input_names_the_column(pay):
    with pytest.raises(ColumnError, match="'sex'") as err:
        es.median(pay, "sex")
    assert "numeric" in str(err.value)
    with pytest.raises(ColumnError, match="'salary'"):
        es.median(pay, "salary", by="sex")
    with pytest.raises(ColumnError, match="'grade'"):
        es.quantiles(pay, "pay", [0.5], by="grade")
    with pytest.raises(InvalidParameterError, match="probabilities"):
        es.quantiles(pay, "pay", [1.5])
    with pytest.raises(InvalidParameterError, match="band_sizes"):
        es.quartile_bands(pay, "pay", "male", band_sizes="thirds")
    with pytest.raises(ColumnError, match="boolean"):
        es.quartile_bands(pay, "pay", "level")
    with pytest.raises(ColumnError, match="'is_man'"):
        es.quartile_bands(pay, "pay", "is_man")
    with pytest.raises(InputTypeError):
        es.median([1, 2, 3], "x")


def test_median_method_names_exactness(pay):
    methods = {name: es.median_method(f) for name, f in local_frames(pay).items()}
    assert all("exact" in m and "APPROXIMATE" not in m for m in methods.values()), methods
    assert "quantile_cont" in methods["duckdb"]


def test_engine_stats_do_not_mutate(pay):
    before = pay.copy(deep=True)
    es.median(pay, "pay", by="sex")
    es.quartile_bands(pay, "cents", "male")
    pd.testing.assert_frame_equal(pay, before)


def test_scan_spark_rejects_other_frames():
    from fairhire.language.spark import scan_spark

    with pytest.raises(InputTypeError, match="scan_job_descriptions") as err:
        scan_spark(pd.DataFrame({"text": ["a"]}), "text")
    assert isinstance(err.value, FairhireError)


# --- regressions collect on purpose; the guide's examples run ---------------------------------


def test_collect_rows_stops_large_lazy_data_with_a_sampling_hint(monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    from fairhire._frames import collect_rows

    rel = duckdb.sql("SELECT range AS salary, range % 2 AS sex FROM range(1000)")
    frame = to_narwhals(rel)
    assert collect_rows(frame, ["salary", "sex"], analysis="pay_gap").shape == (1000, 2)
    with pytest.raises(InvalidParameterError, match="pay_gap") as err:
        collect_rows(frame, ["salary", "sex"], analysis="pay_gap", limit=999)
    message = str(err.value)
    assert "1,000 rows" in message and "'salary'" in message and "USING SAMPLE" in message
    monkeypatch.setenv("FAIRHIRE_COLLECT_LIMIT", "10")
    with pytest.raises(InvalidParameterError, match="FAIRHIRE_COLLECT_LIMIT"):
        collect_rows(frame, ["salary"], analysis="oaxaca_blinder")
    monkeypatch.setenv("FAIRHIRE_COLLECT_LIMIT", "lots")
    with pytest.raises(InvalidParameterError, match="whole number"):
        collect_rows(frame, ["salary"], analysis="pay_gap")
    # eager frames are in memory already: no limit
    assert len(collect_rows(to_narwhals(rel.df()), ["salary"], analysis="pay_gap", limit=1)) == 1000


def test_guide_duckdb_example_runs_as_written(tmp_path, monkeypatch):
    pytest.importorskip("duckdb")
    ns = run_doc_example("duckdb", tmp_path, monkeypatch)
    local = pd.read_parquet(tmp_path / "applicants.parquet")
    want = fh.adverse_impact(local, group=["sex", "race"],
                             stages=["screened", "interviewed", "offered", "hired"],
                             strata="requisition")  # fmt: skip
    pd.testing.assert_frame_equal(ns["ai"].table, want.table, check_exact=True)
    assert ns["ll"].median_score == float(local["score"].median())


def test_guide_polars_example_runs(tmp_path, monkeypatch):
    pytest.importorskip("polars")
    from conftest_spark import DOC

    text = DOC.read_text(encoding="utf-8")
    block = text.split("## polars: lazy all the way", 1)[1].split("```python\n", 1)[1]
    write_example_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    exec(block.split("```", 1)[0], ns)
    assert set(ns["ai"].table["stage"]) == {"screened", "hired", "bottom line"}


def test_lazy_engines_validate_like_pandas():
    """On lazy engines the checks ride along in the group-by; errors and exclusions match."""
    from fairhire.errors import InvalidValueError

    df = pd.DataFrame({
        "sex": ["F", "M", "F", "M", "F", "M"] * 5,
        "s1": [True, True, False, False, True, False] * 5,
        "s2": [True, False, True, False, False, False] * 5,  # s2 without s1: 5 rows
    })  # fmt: skip
    want = fh.adverse_impact(df, group="sex", stages=["s1", "s2"], on_inconsistent="exclude")
    with pytest.raises(InvalidValueError, match="5 rows have 's2' True but 's1' False"):
        fh.adverse_impact(df, group="sex", stages=["s1", "s2"])
    nulls = df.astype({"s2": "boolean"})
    nulls.loc[0, "s2"] = pd.NA
    for name, frame in local_frames(df).items():
        with pytest.raises(InvalidValueError, match="5 rows have 's2' True but 's1' False"):
            fh.adverse_impact(frame, group="sex", stages=["s1", "s2"])
        got = fh.adverse_impact(frame, group="sex", stages=["s1", "s2"],
                                on_inconsistent="exclude")  # fmt: skip
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True, obj=name)
        assert got.rows.excluded == {"inconsistent funnel": 5}
    # a blank outcome at a reached stage is excluded and counted, the same on every engine
    want_nulls = fh.adverse_impact(nulls, group="sex", stages=["s1", "s2"],
                                   on_inconsistent="exclude")  # fmt: skip
    assert want_nulls.rows.excluded == {"missing outcome (s2)": 1, "inconsistent funnel": 5}
    for name, frame in local_frames(nulls).items():
        got = fh.adverse_impact(frame, group="sex", stages=["s1", "s2"],
                                on_inconsistent="exclude")  # fmt: skip
        pd.testing.assert_frame_equal(got.table, want_nulls.table, check_exact=True, obj=name)
        assert got.rows.excluded == want_nulls.rows.excluded, name
        with pytest.raises(InvalidValueError, match="5 rows have 's2' True but 's1' False"):
            fh.adverse_impact(frame, group="sex", stages=["s1", "s2"])


def test_regressions_collect_small_lazy_data_and_refuse_large(monkeypatch):
    """pay_gap / oaxaca_blinder fit on row-level data: fine below the limit, told to sample
    above it (the limit is lowered here so a small DuckDB relation counts as large)."""
    duckdb = pytest.importorskip("duckdb")
    staff = workforce_data(600)
    rel = duckdb.from_df(staff)
    kwargs = {"pay": "salary", "group": "sex", "controls": ["level"]}
    got = fh.pay_gap(rel, **kwargs)
    pd.testing.assert_frame_equal(got.table, fh.pay_gap(staff, **kwargs).table)
    monkeypatch.setenv("FAIRHIRE_COLLECT_LIMIT", "500")
    with pytest.raises(InvalidParameterError, match=r"pay_gap\(\)") as err:
        fh.pay_gap(rel, **kwargs)
    assert "600 rows" in str(err.value) and "USING SAMPLE" in str(err.value)
    with pytest.raises(InvalidParameterError, match=r"oaxaca_blinder\(\)"):
        fh.oaxaca_blinder(rel, outcome="salary", group="sex", features=["level"])
    fh.pay_gap(staff, **kwargs)  # pandas is in memory already: no limit


# --- statutory pay metrics in the engine (UK SI 2017/172, EU 2023/970) --------------------


def pay_metrics_data(n: int = 2_000, *, ties: bool = False) -> pd.DataFrame:
    """``make_workforce`` with missing and odd values in every column the metrics read."""
    df = workforce_data(n)  # has missing and non-binary sex already
    df.loc[[3, 10, 50], "hourly_pay"] = np.nan  # missing pay (full-pay relevant)
    df.loc[[4, 11], "bonus"] = np.nan
    df.loc[[7, 8, 9, 10], "full_pay"] = False
    df.loc[[12, 13], "sex"] = [" m ", "WOMAN"]  # other spellings: read per distinct value
    df.loc[[14], "sex"] = "Prefer not to say"
    if ties:  # whole pounds: runs of equal pay straddle the band boundaries
        df["hourly_pay"] = df["hourly_pay"].round(0)
    return df


def assert_same_pay_metrics(got, want, name: str) -> None:
    """Bit for bit: counts, bands, exclusions, warnings, figures and the fingerprint (means
    are exact sums over counts; medians are rounded alike in every engine)."""
    assert got.rows.to_dict() == want.rows.to_dict(), name
    assert got.warnings == want.warnings, name
    assert got.sex_other == want.sex_other and got.sex_missing == want.sex_missing, name
    assert got.fingerprint == want.fingerprint, name
    if hasattr(want, "populations"):  # UK
        pd.testing.assert_frame_equal(got.populations, want.populations, check_exact=True)
        table = "metrics"
    else:  # EU
        table = "indicators"
        if want.categories is None:
            assert got.categories is None
        else:
            pd.testing.assert_frame_equal(
                got.categories, want.categories, check_exact=True, obj=f"{name}: categories"
            )
    pd.testing.assert_frame_equal(
        getattr(got, table), getattr(want, table), check_exact=True, obj=f"{name}: {table}"
    )
    pd.testing.assert_frame_equal(
        got.quartiles, want.quartiles, check_exact=True, obj=f"{name}: quartiles"
    )


UK_KWARGS = {
    "full pay, bonus": {
        "hourly_pay": "hourly_pay",
        "sex": "sex",
        "bonus": "bonus",
        "full_pay": "full_pay",
    },
    "hourly only, upper_first": {
        "hourly_pay": "hourly_pay",
        "sex": "sex",
        "band_sizes": "upper_first",
    },
    "fractional bands": {
        "hourly_pay": "hourly_pay",
        "sex": "sex",
        "bonus": "bonus",
        "band_sizes": "fractional",
    },
}


@pytest.fixture(scope="module")
def pay_metrics_frames() -> dict[bool, dict[str, object]]:
    return {ties: local_frames(pay_metrics_data(ties=ties)) for ties in (False, True)}


@pytest.mark.parametrize("ties", [False, True], ids=["continuous pay", "tied pay"])
@pytest.mark.parametrize("case", list(UK_KWARGS))
@pytest.mark.parametrize("backend", ["polars lazy", "duckdb"])
def test_uk_pay_gap_metrics_in_engine_match_pandas(backend, case, ties, pay_metrics_frames):
    frames = pay_metrics_frames[ties]
    want = fh.uk_pay_gap_metrics(frames["pandas"], **UK_KWARGS[case])
    got = fh.uk_pay_gap_metrics(frames[backend], **UK_KWARGS[case])
    assert got.rows.excluded["sex missing"] > 0 and got.warnings  # the case is exercised
    assert_same_pay_metrics(got, want, f"{case} on {backend}")


def test_uk_pay_gap_metrics_in_engine_errors_like_pandas():
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    base = pd.DataFrame(
        {
            "sex": ["M", "F", "M", "F", None],
            "pay": [10.0, 11.0, 12.0, 9.0, 8.0],
            "fp": ["yes", "no", "Y", "yes", "yes"],
        }
    )
    for frame in (duckdb.from_df(base), pl.from_pandas(base).lazy()):
        got = fh.uk_pay_gap_metrics(frame, hourly_pay="pay", sex="sex", full_pay="fp")
        want = fh.uk_pay_gap_metrics(base, hourly_pay="pay", sex="sex", full_pay="fp")
        assert_same_pay_metrics(got, want, "text full_pay")
    cases = [
        (base.assign(pay=[10.0, -1.0, 12.0, 9.0, 8.0]), {}, ColumnError, "1 negative"),
        (
            base.assign(fp=["yes", "maybe", "no", "no", "yes"]),
            {"full_pay": "fp"},
            fh.errors.InvalidValueError,
            r"\['maybe'\] in 1 rows",
        ),
        (base.assign(pay=["£10", "11", "12", "9", "8"]), {}, ColumnError, "must be numeric"),
        (
            base.assign(sex=["M", "M", "M", None, "X"]),
            {},
            fh.errors.InsufficientDataError,
            "0 women",
        ),
    ]
    for df, extra, error, match in cases:
        with pytest.raises(error, match=match):
            fh.uk_pay_gap_metrics(df, hourly_pay="pay", sex="sex", **extra)
        for frame in (duckdb.from_df(df), pl.from_pandas(df).lazy()):
            with pytest.raises(error, match=match):
                fh.uk_pay_gap_metrics(frame, hourly_pay="pay", sex="sex", **extra)


def test_uk_rank_rule_on_lazy_data_collects(pay_metrics_frames):
    """band_rule="rank" cuts ties in input order, which only collected rows have."""
    frames = pay_metrics_frames[False]
    kw = {"hourly_pay": "hourly_pay", "sex": "sex", "band_rule": "rank"}
    want = fh.uk_pay_gap_metrics(frames["pandas"], **kw)
    got = fh.uk_pay_gap_metrics(frames["polars lazy"], **kw)
    pd.testing.assert_frame_equal(got.quartiles, want.quartiles, check_exact=True)


def test_statutory_pay_metrics_stay_lazy(lazy_collects, pay_metrics_frames):
    """polars LazyFrame: only group-by results (a few rows) are ever collected."""
    collected = lazy_collects
    lazy = pay_metrics_frames[True]["polars lazy"]
    fh.uk_pay_gap_metrics(
        lazy, hourly_pay="hourly_pay", sex="sex", bonus="bonus", full_pay="full_pay"
    )
    assert collected, "nothing was collected"
    assert max(collected) <= 20, collected  # sex x full_pay values, bands, group summaries
    collected.clear()
    fh.eu_pay_transparency_metrics(
        lazy, pay="salary", sex="sex", variable_pay="bonus", category="level", hours="hours"
    )
    assert collected and max(collected) <= 40, collected  # sex x level values at most


def test_uk_in_engine_nobody_full_pay_relevant():
    duckdb = pytest.importorskip("duckdb")
    df = pd.DataFrame(
        {"sex": ["M", "F", "M", "F"], "pay": [10.0, 11.0, 12.0, 9.0], "fp": ["no", "no", "n", "0"]}
    )
    want = fh.uk_pay_gap_metrics(df, hourly_pay="pay", sex="sex", full_pay="fp")
    got = fh.uk_pay_gap_metrics(duckdb.from_df(df), hourly_pay="pay", sex="sex", full_pay="fp")
    assert_same_pay_metrics(got, want, "nobody full-pay relevant")
    assert got.quartiles["employees"].sum() == 0


EU_KWARGS = {
    "variable pay, categories": {
        "pay": "salary",
        "sex": "sex",
        "variable_pay": "bonus",
        "category": "level",
    },
    "per hour, zero variable counts": {
        "pay": "salary",
        "sex": "sex",
        "variable_pay": "bonus",
        "hours": "hours",
        "category": "job_family",
        "include_zero_variable": True,
    },
    "basic pay only, fractional bands": {
        "pay": "hourly_pay",
        "sex": "sex",
        "band_sizes": "fractional",
    },
}


def eu_data(ties: bool) -> pd.DataFrame:
    df = pay_metrics_data(ties=ties)
    df.loc[[20, 21], "salary"] = np.nan  # missing pay: excluded and counted
    df.loc[[22], "hours"] = 0.0  # zero hours: excluded and counted
    df.loc[[23], "hours"] = np.nan
    df.loc[[24, 25], "level"] = [None, "  "]  # no category (None and blank): not in (g)
    men = df.index[(df["sex"] == "Male") & (df.index > 30)]
    df.loc[men[:2], "job_family"] = None
    df.loc[df["job_family"] == "Legal", "sex"] = "Female"  # a category of one sex
    if ties:
        df["salary"] = (df["salary"] / 5_000).round() * 5_000
    return df


@pytest.fixture(scope="module")
def eu_frames() -> dict[bool, dict[str, object]]:
    return {ties: local_frames(eu_data(ties)) for ties in (False, True)}


@pytest.mark.parametrize("ties", [False, True], ids=["continuous pay", "tied pay"])
@pytest.mark.parametrize("case", list(EU_KWARGS))
@pytest.mark.parametrize("backend", ["polars lazy", "duckdb"])
def test_eu_pay_transparency_in_engine_match_pandas(backend, case, ties, eu_frames):
    frames = eu_frames[ties]
    want = fh.eu_pay_transparency_metrics(frames["pandas"], **EU_KWARGS[case])
    got = fh.eu_pay_transparency_metrics(frames[backend], **EU_KWARGS[case])
    assert got.rows.excluded["sex missing"] > 0 and got.warnings
    if "category" in EU_KWARGS[case]:  # in (a)-(f), in no category of (g)
        assert any("in no category of (g)" in w for w in got.warnings)
    assert_same_pay_metrics(got, want, f"{case} on {backend}")


def test_eu_in_engine_errors_like_pandas():
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    base = pd.DataFrame(
        {
            "sex": ["M", "F", "M", "F", None],
            "pay": [10.0, 11.0, 12.0, 9.0, 8.0],
            "var": [1.0, 0.0, None, 2.0, 0.0],
            "h": [1.0, 2.0, 1.0, 1.0, 1.0],
            "cat": ["a", "a", "b", "b", "b"],
        }
    )
    kw = {"pay": "pay", "sex": "sex", "variable_pay": "var", "hours": "h", "category": "cat"}
    want = fh.eu_pay_transparency_metrics(base, **kw)
    for frame in (duckdb.from_df(base), pl.from_pandas(base).lazy()):
        assert_same_pay_metrics(fh.eu_pay_transparency_metrics(frame, **kw), want, "small")
    cases = [
        (base.assign(pay=[10.0, -1.0, 12.0, 9.0, 8.0]), ColumnError, "1 negative"),
        (base.assign(var=[1.0, -1.0, 0.0, 0.0, 0.0]), ColumnError, "negative"),
        (base.assign(h=[1.0, np.inf, 1.0, 1.0, 1.0]), fh.errors.InvalidValueError, "infinite"),
        (base.assign(pay=["10", "11", "12", "9", "8"]), ColumnError, "must be numeric"),
        (base.assign(h=[1.0, 0.0, 1.0, 0.0, 1.0]), fh.errors.InsufficientDataError, "0 women"),
        (base.assign(h=[1.0, 0.0, 1.0, -1.0, 1.0]), ColumnError, "'h' \\(hours=\\) has 1 negative"),
    ]
    for df, error, match in cases:
        with pytest.raises(error, match=match):
            fh.eu_pay_transparency_metrics(df, **kw)
        for frame in (duckdb.from_df(df), pl.from_pandas(df).lazy()):
            with pytest.raises(error, match=match):
                fh.eu_pay_transparency_metrics(frame, **kw)
