"""Benchmark the pay analyses on a million employees.

1,000,000 employees in 200 level × job-family cells with 5 numeric controls:

- ``pay_gap`` with HC3 errors and the 200 cells as a control (absorbed as fixed effects);
- ``pay_gap`` with HC3 errors within each of the 200 cells (200 regressions);
- ``pay_gap`` with HC3 errors, level and job family as additive dummies (30 columns);
- ``oaxaca_blinder`` with delta-method standard errors (pooled reference);
- ``uk_pay_gap_metrics`` (hourly pay and bonus) and ``eu_pay_transparency_metrics`` (pay,
  variable pay, hours, ten levels as categories), in pandas and in polars (lazy): counts,
  exact sums, medians and pay bands in the engine.

Prints seconds (an untraced run) and peak memory (a second run under tracemalloc, which
counts Python and numpy allocations, including the copy of the needed columns) of each. Target: each under 10 s on the project's 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_pay.py [n_employees]``
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

import fairhire as fh

N_LEVELS, N_FAMILIES = 10, 20
NUMERIC = ["tenure", "experience", "rating", "hours", "age"]


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    female = rng.random(n) < 0.45
    level = np.minimum(rng.geometric(0.25 + 0.05 * female, n) - 1, N_LEVELS - 1)
    family = rng.integers(0, N_FAMILIES, n)
    num = {
        "tenure": rng.gamma(2.0, 3.0, n),
        "experience": rng.gamma(3.0, 3.0, n),
        "rating": rng.integers(1, 6, n).astype(float),
        "hours": np.where(rng.random(n) < 0.15, 24.0, 37.5),
        "age": rng.normal(40, 10, n),
    }
    log_pay = (
        10.5
        + 0.12 * level
        + 0.01 * (family - 10)
        + 0.01 * num["tenure"]
        + 0.005 * num["experience"]
        + 0.03 * num["rating"]
        + np.log(0.96) * female
        + rng.normal(0, 0.1, n)
    )
    levels = np.array([f"L{i + 1:02d}" for i in range(N_LEVELS)], dtype=object)
    families = np.array([f"F{i + 1:02d}" for i in range(N_FAMILIES)], dtype=object)
    frame = pd.DataFrame(
        {
            "sex": np.where(female, "Female", "Male"),
            "level": levels[level],
            "job_family": families[family],
            "salary": np.round(np.exp(log_pay)),
            **num,
        }
    )
    frame["cell"] = frame["level"] + "/" + frame["job_family"]
    return frame


def measure(label: str, fn) -> object:
    """Time a run without tracing, then a second run under tracemalloc for the peak memory."""
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<58} {seconds:7.2f} s   peak {peak / 2**20:8.1f} MiB")
    return out


def main(n: int = 1_000_000) -> None:
    import fairhire.pay.gap
    import fairhire.pay.oaxaca  # noqa: F401  (import time is not part of the analyses)

    t0 = time.perf_counter()
    data = make_data(n)
    print(
        f"{n:,} employees, {data['cell'].nunique()} level × job-family cells, "
        f"{len(NUMERIC)} numeric controls (data built in {time.perf_counter() - t0:.1f} s)"
    )
    gap = measure(
        "pay_gap HC3, 200 cells absorbed + 5 numeric",
        lambda: fh.pay_gap(data, pay="salary", group="sex", controls=["cell", *NUMERIC]),
    )
    measure(
        "pay_gap HC3, within each of 200 cells, 5 numeric",
        lambda: fh.pay_gap(
            data, pay="salary", group="sex", controls=NUMERIC, within=["level", "job_family"]
        ),
    )
    measure(
        "pay_gap HC3, level + job_family dummies + 5 numeric",
        lambda: fh.pay_gap(
            data, pay="salary", group="sex", controls=["level", "job_family", *NUMERIC]
        ),
    )
    ob = measure(
        "oaxaca_blinder delta method, level + job_family + 5 numeric",
        lambda: fh.oaxaca_blinder(
            data,
            outcome="salary",
            group="sex",
            features=["level", "job_family", *NUMERIC],
            log=True,
        ),
    )
    statutory(data)
    row = gap.overall.iloc[0]
    print(
        f"adjusted gap {row.adjusted_gap:.2f}% (truth 4.00%), t = {row.t:.1f}; "
        f"Oaxaca unexplained {ob.component('unexplained'):.4f} log points"
    )


def statutory(data: pd.DataFrame) -> None:
    """The UK and EU statutory metrics, on pandas and on a polars LazyFrame."""
    rng = np.random.default_rng(1)
    frame = data[["sex", "level", "salary", "hours"]].assign(
        hourly_pay=data["salary"] / (data["hours"] * 52.0),
        bonus=np.where(rng.random(len(data)) < 0.3, np.round(data["salary"] * 0.05, 2), 0.0),
    )
    frames = {"pandas": frame}
    try:
        import polars as pl

        frames["polars lazy"] = pl.from_pandas(frame).lazy()
    except ImportError:  # pragma: no cover - polars is a test dependency
        pass
    for engine, df in frames.items():
        measure(
            f"uk_pay_gap_metrics hourly pay + bonus ({engine})",
            lambda df=df: fh.uk_pay_gap_metrics(
                df, hourly_pay="hourly_pay", sex="sex", bonus="bonus"
            ),
        )
        measure(
            f"eu_pay_transparency_metrics per hour, 10 levels ({engine})",
            lambda df=df: fh.eu_pay_transparency_metrics(
                df, pay="salary", sex="sex", variable_pay="bonus", hours="hours",
                category="level",
            ),
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
