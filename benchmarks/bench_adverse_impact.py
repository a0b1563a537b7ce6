"""Benchmark: fairhire.adverse_impact against a bare pandas group-by and fairlearn's MetricFrame.

Builds a 10,000,000-row synthetic funnel (4 stages; sex with 3 values plus missing; 7 race
categories; 1,000 requisitions), runs ``fh.adverse_impact`` for sex, race and sex × race over
all stages with all statistics, and times in the same run:

- a bare pandas ``groupby().sum()`` of the same counts (the floor: the aggregation alone);
- fairlearn's ``MetricFrame(selection_rate)`` per stage on a 1,000,000-row slice, against
  fairhire on the same slice.

It also measures fairhire's extra peak memory (tracemalloc) against the input frame's size.

Run: ``python benchmarks/bench_adverse_impact.py [--rows 10000000]`` (or ``make bench``).
Targets: fairhire within 1.5x of the bare group-by; at least 50x faster than fairlearn; extra
peak memory no more than the input frame.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import pandas as pd

import fairhire as fh

STAGES = ["screened", "interviewed", "offered", "hired"]
GROUPS = ["sex", "race", ["sex", "race"]]


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run_fairhire(df: pd.DataFrame) -> None:
    for g in GROUPS:
        fh.adverse_impact(df, group=g, stages=STAGES)


def run_bare(df: pd.DataFrame) -> None:
    for g in GROUPS:
        df.groupby(g, observed=True, dropna=False)[STAGES].sum()
        df.groupby(g, observed=True, dropna=False).size()


def run_fairlearn(df: pd.DataFrame) -> None:
    from fairlearn.metrics import MetricFrame, selection_rate

    for g in GROUPS:
        previous = None
        for stage in STAGES:
            part = df if previous is None else df[df[previous]]
            known = part.dropna(subset=[g] if isinstance(g, str) else g)
            y = known[stage].to_numpy()
            frame = MetricFrame(
                metrics=selection_rate,
                y_true=y,
                y_pred=y,
                sensitive_features=known[g],
            )
            frame.by_group.to_dict()
            previous = stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--slice", type=int, default=1_000_000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    t = time.perf_counter()
    df = fh.datasets.make_hiring_funnel(
        args.rows, random_state=0, n_requisitions=1000, categorical=True
    )
    print(f"built {len(df):,} rows in {time.perf_counter() - t:.1f} s")
    input_bytes = int(df.memory_usage(deep=True).sum())

    run_fairhire(df.head(10_000))  # warm up imports (statsmodels, scipy) once
    bare = best_of(lambda: run_bare(df))
    ours = best_of(lambda: run_fairhire(df))

    tracemalloc.start()
    run_fairhire(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    small = df.head(args.slice).copy()
    ours_small = best_of(lambda: run_fairhire(small))
    fl = best_of(lambda: run_fairlearn(small), repeat=1)

    print()
    print(f"{'task':<58}{'seconds':>10}")
    print(f"{'bare pandas groupby().sum() (sex, race, sex x race)':<58}{bare:>10.3f}")
    print(f"{'fairhire.adverse_impact, all statistics (same three)':<58}{ours:>10.3f}")
    print(f"{'fairhire on the ' + format(args.slice, ',') + '-row slice':<58}{ours_small:>10.3f}")
    print(f"{'fairlearn MetricFrame on the same slice':<58}{fl:>10.3f}")
    print()
    ratio = ours / bare
    speedup = fl / ours_small
    mem_ratio = peak / input_bytes
    print(
        f"fairhire / bare group-by: {ratio:.2f}x   (target <= 1.5x)  "
        f"{'OK' if ratio <= 1.5 else 'MISSED'}"
    )
    print(
        f"fairlearn / fairhire:     {speedup:.0f}x   (target >= 50x)   "
        f"{'OK' if speedup >= 50 else 'MISSED'}"
    )
    print(
        f"extra peak memory: {peak / 2**20:.1f} MiB vs input {input_bytes / 2**20:.1f} MiB "
        f"({mem_ratio:.2f}x; target <= 1x)  {'OK' if mem_ratio <= 1 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
