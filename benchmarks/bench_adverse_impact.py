"""Benchmark: adverse impact against the numpy-bincount floor, polars, pandas and fairlearn.

The task (issue 18): ``fh.adverse_impact`` for sex, race and sex × race over four stages
(``screened, interviewed, offered, hired``) with all statistics, on the synthetic funnel
:func:`fairhire.datasets.make_hiring_funnel` (categorical columns, 1,000 requisitions), at
1,000,000 and 10,000,000 rows. In one run and on the same data it times, interleaved round
after round (medians; the machine is shared):

- **numpy bincount floor**: what a careful engineer writes by hand: per grouping, one integer
  code per row from the categorical codes, one ``np.bincount`` of the codes (those who applied)
  and one per stage over the codes of the rows that passed it. The counts alone, no statistics.
- numpy, one bincount: the same counts from a single ``np.bincount`` of (code, stages passed)
  pairs, the way fairhire counts a consistent funnel (an informative row, not the floor);
- **polars** ``group_by().agg()`` and **pandas** ``groupby().sum()`` of the same counts;
- **fairhire warm** on the pandas frame (imports and caches warmed by one untimed call) and on
  the polars frame (target: within 1.2× of polars' own group-by). The polars frame is timed
  twice: with the categorical columns (fairhire counts their physical codes with
  ``np.bincount``) and with the group columns as text (polars' group-by does the counting,
  as casting text to codes costs more than the group-by), each against polars' own group-by
  of the same frame;
- **fairhire cold**: the first call in a fresh Python process (1,000,000 rows, read from a
  pickle), as the extra seconds over a warm call in the same process: imports and first-use
  costs (target: +0.3 s at most);
- **fairlearn** ``MetricFrame(selection_rate)`` per stage and grouping at 1,000,000 rows, and
  **aequitas** when it is installed;
- the extra peak memory of fairhire (tracemalloc) at the largest size, against the input
  frame's size (the previous figure: 0.39×).

Run: ``python benchmarks/bench_adverse_impact.py`` (``make bench``), or small:
``python benchmarks/bench_adverse_impact.py --sizes 200000 --repeat 2 --cold 1 --fairlearn-rows
50000``. Targets: fairhire within 1.5× the floor at 10M rows and 2× at 1M; first call +0.3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import interleaved, write_json  # the script's own folder is on sys.path

import fairhire as fh

STAGES = ["screened", "interviewed", "offered", "hired"]
GROUPS: list[str | list[str]] = ["sex", "race", ["sex", "race"]]
COLUMNS = ["sex", "race", *STAGES]


def _keys(g: str | list[str]) -> list[str]:
    return [g] if isinstance(g, str) else list(g)


def _codes(df: pd.DataFrame, g: str | list[str]) -> tuple[np.ndarray, int]:
    """One int64 code per row from the categorical codes (missing values have a code too)."""
    code = np.zeros(len(df), dtype=np.int64)
    size = 1
    for c in _keys(g):
        k = len(df[c].cat.categories) + 1
        code *= k
        code += df[c].cat.codes.to_numpy() + 1
        size *= k
    return code, size


def floor_bincount(df: pd.DataFrame) -> None:
    for g in GROUPS:
        code, size = _codes(df, g)
        np.bincount(code, minlength=size)
        for s in STAGES:
            np.bincount(code[df[s].to_numpy()], minlength=size)


def one_bincount(df: pd.DataFrame) -> None:
    width = len(STAGES) + 1
    for g in GROUPS:
        code, size = _codes(df, g)
        level = df[STAGES[0]].to_numpy().view(np.uint8).copy()
        for s in STAGES[1:]:
            level += df[s].to_numpy().view(np.uint8)
        code *= width
        code += level
        np.bincount(code, minlength=size * width)


def pandas_groupby(df: pd.DataFrame) -> None:
    for g in GROUPS:
        df.groupby(g, observed=True, dropna=False)[STAGES].sum()
        df.groupby(g, observed=True, dropna=False).size()


def polars_groupby(df) -> None:
    import polars as pl

    for g in GROUPS:
        df.group_by(_keys(g)).agg(pl.len(), *(pl.col(s).sum() for s in STAGES))


def fairhire(df) -> None:
    for g in GROUPS:
        fh.adverse_impact(df, group=g, stages=STAGES)


def fairlearn(df: pd.DataFrame) -> None:
    from fairlearn.metrics import MetricFrame, selection_rate

    for g in GROUPS:
        previous = None
        for stage in STAGES:
            part = df if previous is None else df[df[previous]]
            known = part.dropna(subset=_keys(g))
            y = known[stage].to_numpy()
            frame = MetricFrame(
                metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=known[g]
            )
            frame.by_group.to_dict()
            previous = stage


def aequitas(df: pd.DataFrame) -> float | None:
    """Seconds of aequitas' group metrics for the same comparisons, or None if not installed."""
    try:
        from aequitas.group import Group
    except ImportError:
        return None
    import time

    start = time.perf_counter()
    for stage in STAGES:
        frame = df.assign(score=df[stage].astype(int), label_value=df[stage].astype(int))
        Group().get_crosstabs(frame[["score", "label_value", "sex", "race"]].dropna())
    return time.perf_counter() - start


COLD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
df = pd.read_pickle(sys.argv[1])
t0 = time.perf_counter()
import fairhire as fh
t1 = time.perf_counter()
def run():
    for g in ["sex", "race", ["sex", "race"]]:
        fh.adverse_impact(df, group=g, stages=["screened", "interviewed", "offered", "hired"])
run()
t2 = time.perf_counter()
run()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "warm": t3 - t2}))
"""


def cold_start(df: pd.DataFrame, runs: int) -> dict[str, float]:
    """Median over fresh processes of the first call's extra seconds over a warm call.

    As for an installed package, Python's bytecode cache is on (and filled by one untimed run
    first) even where ``PYTHONDONTWRITEBYTECODE`` is set: without it every fresh process
    compiles fairhire's modules again (about 0.04 s), which no installed copy does."""
    found = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "funnel.pkl"
        df.to_pickle(path)
        for i in range(runs + 1):
            out = subprocess.run(
                [sys.executable, "-c", COLD, str(path)], capture_output=True, text=True,
                check=True, env=env,
            )
            if i:  # the first run fills the bytecode cache
                found.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = statistics.median(r["first"] for r in found)
    warm = statistics.median(r["warm"] for r in found)
    extra = statistics.median(r["first"] - r["warm"] for r in found)
    return {"import_s": statistics.median(r["import"] for r in found), "first_s": first,
            "warm_s": warm, "extra_s": extra, "runs": runs}


def extra_memory(df: pd.DataFrame) -> dict[str, float]:
    fairhire(df)
    tracemalloc.start()
    fairhire(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = int(df.memory_usage(deep=True).sum())
    return {"peak_mib": peak / 2**20, "input_mib": size / 2**20, "ratio": peak / size}


def one_size(rows: int, repeat: int) -> dict[str, float]:
    import polars as pl

    df = fh.datasets.make_hiring_funnel(rows, random_state=0, n_requisitions=1000,
                                        categorical=True)
    lean = df[COLUMNS]
    pdf = pl.from_pandas(lean)
    text = pdf.with_columns(pl.col("sex", "race").cast(pl.String))
    tasks = {
        "numpy bincount floor": lambda: floor_bincount(lean),
        "numpy, one bincount": lambda: one_bincount(lean),
        "polars group_by().agg()": lambda: polars_groupby(pdf),
        "pandas groupby().sum()": lambda: pandas_groupby(lean),
        "fairhire warm (pandas)": lambda: fairhire(df),
        "fairhire warm (polars)": lambda: fairhire(pdf),
        "polars group_by(), text keys": lambda: polars_groupby(text),
        "fairhire warm (polars, text keys)": lambda: fairhire(text),
    }
    return interleaved(tasks, repeat)


def _print_size(rows: int, t: dict[str, float]) -> None:
    floor = t["numpy bincount floor"]
    print(f"\n{rows:,} rows: sex, race, sex x race; 4 stages; median of the rounds")
    print(f"{'task':<36}{'seconds':>10}{'x floor':>10}")
    for name, seconds in t.items():
        print(f"{name:<36}{seconds:>10.3f}{seconds / floor:>9.2f}x")
    ratio = t["fairhire warm (polars)"] / t["polars group_by().agg()"]
    print(f"fairhire on polars / polars' own group-by: {ratio:.2f}x (target <= 1.2x)")
    ratio = t["fairhire warm (polars, text keys)"] / t["polars group_by(), text keys"]
    print(f"same, group columns as text (polars' group-by counts): {ratio:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--cold", type=int, default=5, help="fresh processes for the cold call")
    parser.add_argument("--fairlearn-rows", type=int, default=1_000_000)
    parser.add_argument("--json", help="write the figures to this file (for run_all.py)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    sizes = [int(s) for s in args.sizes.split(",")]
    figures: dict[str, object] = {"sizes": {}}
    for rows in sizes:
        t = one_size(rows, args.repeat)
        _print_size(rows, t)
        figures["sizes"][str(rows)] = t
    small = fh.datasets.make_hiring_funnel(args.fairlearn_rows, random_state=0,
                                           n_requisitions=1000, categorical=True)
    cold = cold_start(small, args.cold)
    figures["cold"] = cold
    print(f"\nfirst call in a fresh process ({args.fairlearn_rows:,} rows, median of "
          f"{cold['runs']}): import fairhire {cold['import_s']:.3f} s, first call "
          f"{cold['first_s']:.3f} s, warm call {cold['warm_s']:.3f} s: +{cold['extra_s']:.3f} s "
          "(target <= +0.3 s)")
    ours = interleaved({"fairhire warm": lambda: fairhire(small)}, args.repeat)
    theirs = interleaved({"fairlearn MetricFrame": lambda: fairlearn(small)}, 1)
    peers = {**ours, **theirs}
    figures["fairlearn"] = {"rows": args.fairlearn_rows, **peers}
    print(f"fairlearn MetricFrame at {args.fairlearn_rows:,} rows: "
          f"{peers['fairlearn MetricFrame']:.2f} s; fairhire {peers['fairhire warm']:.3f} s "
          f"({peers['fairlearn MetricFrame'] / peers['fairhire warm']:.0f}x faster)")
    aeq = aequitas(small)
    figures["aequitas_s"] = aeq
    print("aequitas: not installed" if aeq is None else f"aequitas: {aeq:.2f} s")
    big = fh.datasets.make_hiring_funnel(max(sizes), random_state=0, n_requisitions=1000,
                                         categorical=True)
    mem = extra_memory(big)
    figures["memory"] = mem
    print(f"extra peak memory at {max(sizes):,} rows: {mem['peak_mib']:.1f} MiB vs input "
          f"{mem['input_mib']:.1f} MiB ({mem['ratio']:.2f}x; previously 0.39x)")
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
