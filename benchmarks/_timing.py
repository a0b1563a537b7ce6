"""Timing helpers for the benchmarks: interleaved runs and medians, on a shared, noisy machine.

Every task of a comparison runs once per round, round after round, so a burst of load from
another process hits all of them alike; the figure quoted is the median over rounds.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def interleaved(tasks: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Median seconds of each task over ``rounds`` rounds (each task once per round, after one
    untimed warm-up run of each)."""
    for fn in tasks.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for _ in range(rounds):
        for name, fn in tasks.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def write_json(path: str | None, figures: dict[str, Any]) -> None:
    """Write the figures for ``run_all.py``'s closing table (nothing without ``--json``)."""
    if path:
        Path(path).write_text(json.dumps(figures, indent=2))
