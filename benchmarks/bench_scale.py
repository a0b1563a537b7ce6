"""Benchmark: the adverse-impact task where large data lives (pandas, polars, DuckDB, Parquet).

The task is the foundation benchmark's (``bench_adverse_impact.py``): ``fh.adverse_impact`` for
sex, race and sex × race over four stages with all statistics. It runs

- at ``--rows`` (default 10,000,000) on pandas, polars and DuckDB, the data loaded into each
  engine's memory first (pandas with categorical group columns, as an analyst would);
- at ``--big-rows`` (default 100,000,000) through DuckDB straight from a Parquet file, which
  is never loaded into memory (``duckdb.read_parquet``: a lazy relation).

Each engine's figure is compared with its own bare group-by of the same counts (pandas
``groupby().sum()``, polars ``group_by().agg()``, a DuckDB ``GROUP BY``): the floor for any
tool that has to look at every row. Every backend runs in its own child process, which reports
its peak resident memory (``getrusage(RUSAGE_SELF).ru_maxrss`` at exit: the honest figure,
including the data, the engine's buffers and Python) and its memory after loading the data.

The data are generated once by DuckDB from a ``range()`` query with hash-based pseudo-random
numbers (deterministic), written in row groups of 1M rows to ``benchmarks/scale_<rows>.parquet``
(git-ignored; about 4 bytes a row). Women pass the interview stage at 0.72× the men's rate and
Black applicants the screen at 0.75×, so there is something to find.

Run: ``python benchmarks/bench_scale.py`` (several minutes: the 100M-row file is written once,
~0.4 GB) or small: ``python benchmarks/bench_scale.py --rows 200000 --big-rows 1000000``.
Targets: fairhire within 1.5× of each engine's bare group-by; the 100M-row run under 8 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ["screened", "interviewed", "offered", "hired"]
GROUPS: list[str | list[str]] = ["sex", "race", ["sex", "race"]]
GIB = 2**30


# --- data ------------------------------------------------------------------------------------

_RACES = [  # (label, cumulative share): EEO-1 categories
    ("Hispanic or Latino", 0.18), ("White", 0.70), ("Black or African American", 0.83),
    ("Native Hawaiian or Pacific Islander", 0.84), ("Asian", 0.95),
    ("Native American or Alaska Native", 0.96), ("Two or More Races", 1.0),
]  # fmt: skip


def _u(k: int) -> str:
    """A deterministic uniform(0, 1) per row and stream k, from DuckDB's hash()."""
    return f"((hash(i * 8 + {k}) % 1000003) / 1000003.0)"


def write_parquet(path: Path, rows: int) -> None:
    """Write ``rows`` synthetic applicants with DuckDB (streaming: never all in memory)."""
    import duckdb

    race = (
        "CASE " + " ".join(f"WHEN {_u(2)} < {cum} THEN '{label}'" for label, cum in _RACES) + " END"
    )
    query = f"""
    WITH base AS (
      SELECT
        i,
        CASE WHEN {_u(1)} < 0.03 THEN NULL WHEN {_u(1)} < 0.50 THEN 'Female'
             WHEN {_u(1)} < 0.98 THEN 'Male' ELSE 'Non-binary' END AS sex,
        CASE WHEN {_u(3)} < 0.03 THEN NULL ELSE {race} END AS race,
        'REQ-' || lpad(CAST(hash(i * 8 + 4) % 1000 AS VARCHAR), 4, '0') AS requisition
      FROM range({rows}) t(i)
    ), passed AS (
      SELECT *,
        {_u(5)} < CASE WHEN race = 'Black or African American' THEN 0.30 ELSE 0.40 END AS s1,
        {_u(6)} < CASE WHEN sex = 'Female' THEN 0.324 ELSE 0.45 END AS s2,
        {_u(7)} < 0.40 AS s3,
        {_u(0)} < 0.80 AS s4
      FROM base
    )
    SELECT i AS applicant_id, requisition, sex, race,
           s1 AS screened, s1 AND s2 AS interviewed, s1 AND s2 AND s3 AS offered,
           s1 AND s2 AND s3 AND s4 AS hired
    FROM passed
    """
    tmp = path.with_suffix(".parquet.tmp")
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        f"COPY ({query}) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000, COMPRESSION zstd)"
    )
    con.close()
    tmp.rename(path)


def ensure_parquet(rows: int) -> Path:
    path = HERE / f"scale_{rows}.parquet"
    if not path.exists():
        t = time.perf_counter()
        print(f"writing {rows:,} rows to {path.name} with DuckDB ...", flush=True)
        # in a child too, so the parent stays small
        subprocess.run(
            [sys.executable, __file__, "--write", str(rows)], check=True, cwd=HERE.parent
        )
        size = path.stat().st_size / 2**20
        print(f"  done in {time.perf_counter() - t:.0f} s ({size:,.0f} MiB)", flush=True)
    return path


# --- one backend, in a child process ----------------------------------------------------------


def _rss_now() -> int:
    with open("/proc/self/statm") as fh_:
        return int(fh_.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024)


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _keys(g: str | list[str]) -> list[str]:
    return [g] if isinstance(g, str) else list(g)


def child(backend: str, path: Path, repeat: int) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    import fairhire as fh

    t = time.perf_counter()
    if backend == "pandas":
        import pandas as pd

        df = pd.read_parquet(path, columns=["sex", "race", *STAGES])
        df = df.astype({"sex": "category", "race": "category"})

        def bare():
            for g in GROUPS:
                df.groupby(g, observed=True, dropna=False)[STAGES].sum()
                df.groupby(g, observed=True, dropna=False).size()

    elif backend == "polars":
        import polars as pl

        df = pl.read_parquet(path, columns=["sex", "race", *STAGES])

        def bare():
            for g in GROUPS:
                df.group_by(_keys(g)).agg(pl.len(), *(pl.col(s).sum() for s in STAGES))

    elif backend in {"duckdb", "duckdb-parquet"}:
        import duckdb

        con = duckdb.connect()
        if backend == "duckdb":  # loaded into DuckDB's own (in-memory) storage
            con.execute(
                f"CREATE TABLE applicants AS SELECT sex, race, {', '.join(STAGES)} "
                f"FROM read_parquet('{path}')"
            )
            df = con.table("applicants")
        else:  # scanned from the file on every query, never loaded
            df = con.read_parquet(str(path))

        def bare():
            for g in GROUPS:
                keys = ", ".join(_keys(g))
                sums = ", ".join(f"sum({s}::INTEGER)" for s in STAGES)
                df.aggregate(f"{keys}, count(*), {sums}", keys).fetchall()

    else:
        raise SystemExit(f"unknown backend {backend!r}")
    load = time.perf_counter() - t
    rss_loaded = _rss_now()

    def ours():
        for g in GROUPS:
            fh.adverse_impact(df, group=g, stages=STAGES)

    ours()  # warm-up: imports (scipy, statsmodels) and the engine's caches
    bare_s = _best(bare, repeat)
    ours_s = _best(ours, repeat)
    return {
        "backend": backend, "rows": int(path.stem.split("_")[1]), "load_s": load,
        "bare_s": bare_s, "fairhire_s": ours_s, "rss_loaded": rss_loaded,
        "peak_rss": _peak_rss(),
    }  # fmt: skip


def run_child(backend: str, path: Path, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--file", str(path),
         "--repeat", str(repeat)],
        check=True, capture_output=True, text=True, cwd=HERE.parent,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # cross-check: the parent's view of its finished children's peak (max over all so far)
    result["children_maxrss"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return result


# --- report ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--big-rows", type=int, default=100_000_000)
    parser.add_argument("--backends", default="pandas,polars,duckdb")
    parser.add_argument("--no-big", action="store_true", help="skip the Parquet run")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.write:
        write_parquet(HERE / f"scale_{args.write}.parquet", args.write)
        return
    if args.child:
        print(json.dumps(child(args.child, args.file, args.repeat)))
        return

    runs = []
    small = ensure_parquet(args.rows)
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        print(f"running {backend} on {args.rows:,} rows ...", flush=True)
        runs.append(run_child(backend, small, args.repeat))
    if not args.no_big:
        big = ensure_parquet(args.big_rows)
        print(f"running duckdb on {args.big_rows:,} rows from Parquet ...", flush=True)
        runs.append(run_child("duckdb-parquet", big, max(1, args.repeat - 1)))

    print()
    head = (f"{'backend':<16}{'rows':>13}{'load s':>8}{'bare s':>9}{'fairhire s':>11}"
            f"{'ratio':>7}{'RSS loaded':>12}{'peak RSS':>10}")  # fmt: skip
    print(head)
    print("-" * len(head))
    ok = True
    for r in runs:
        ratio = r["fairhire_s"] / r["bare_s"]
        r["ratio"] = ratio
        ok &= ratio <= 1.5
        print(
            f"{r['backend']:<16}{r['rows']:>13,}{r['load_s']:>8.1f}{r['bare_s']:>9.2f}"
            f"{r['fairhire_s']:>11.2f}{ratio:>6.2f}x{r['rss_loaded'] / GIB:>10.2f}G"
            f"{r['peak_rss'] / GIB:>9.2f}G"
        )
    print()
    print(f"fairhire / bare group-by <= 1.5x on every engine: {'OK' if ok else 'MISSED'}")
    big_runs = [r for r in runs if r["backend"] == "duckdb-parquet"]
    if big_runs:
        peak = big_runs[0]["peak_rss"] / GIB
        print(f"{big_runs[0]['rows']:,}-row Parquet run peak RSS {peak:.2f} GiB (target < 8 GiB): "
              f"{'OK' if peak < 8 else 'MISSED'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
