"""Instructions per ad of each step of the scanner's table rows, counted by cachegrind.

Wall-clock timings on a shared 2-core machine vary by about 10%; instruction counts do not
depend on the load, so a change to the scanner smaller than that noise is compared here. For
every step, this script runs itself twice under ``valgrind --tool=cachegrind --cache-sim=no``:
once preparing the inputs only, once preparing them and then running the step on the same
1,000 synthetic 500-word ads (:func:`fairhire.datasets.job_ads.make_job_ads`, after a warm-up
on 300 others). The difference, divided by the number of ads, is the step's cost.

The counts are made repeatable: a fixed hash seed, one OpenBLAS thread (its idle threads spin
and their instructions count, which made identical runs differ by up to 75 million), Arrow's
system allocator (two identical runs then agree within 1,000 instructions of 14.5 billion), and the
cyclic garbage collector frozen and off while a step runs (otherwise one full collection more
or less moves a count by tens of thousands per ad). ``scan_job_descriptions`` is counted twice:
as it runs (collector on) and with the collector off, so the collector's share shows too.

Needs ``valgrind`` on the PATH. Each step takes about half a minute.

Run:  python benchmarks/scan_instructions.py [--steps find,layout,...] [--n 1000]
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from typing import Any

STEPS = ("scan_job_descriptions (collector on)", "scan_job_descriptions", "rows", "lower",
         "find", "automaton input", "automaton", "word count", "layout: requirements",
         "layout: EEO regions", "checks", "salaries", "gather", "table")


def _steps(n: int) -> dict[str, Callable[[], Any]]:
    """Each step as a call on prepared inputs (its inputs are made before it is timed)."""
    import pandas as pd

    import fairhire as fh
    from fairhire.datasets.job_ads import make_job_ads
    from fairhire.language import load_lexicon
    from fairhire.language.batch import _columns, _gather, _rows
    from fairhire.language.checks import check_values, compile_for_checks
    from fairhire.language.context import Layout
    from fairhire.language.salary import find_salaries
    from fairhire.language.tokens import lower_same_length
    from fairhire.language.wordscan import _BOUNDARY, _ascii_word_count

    texts = make_job_ads(n + 300, words=500, random_state=0).text.tolist()
    fh.scan_job_descriptions(texts[n:], n_jobs=1, progress=False)  # warm-up on other ads
    ads = texts[:n]
    comp = compile_for_checks(load_lexicon("default"))
    lows = [lower_same_length(t) for t in ads]
    found = [comp.find(low) for low in lows]
    layouts = [Layout(low, f.words, f.marks) for low, f in zip(lows, found, strict=True)]
    for layout in layouts:
        layout.requirements()
        layout.eeo_regions()
    checks = [check_values(t, low, x, f.words, f.numbers, f.marks)
              for t, low, x, f in zip(ads, lows, layouts, found, strict=True)]
    raws = [low.encode("ascii", "replace") for low in lows]
    padded = [b" " + raw.translate(_BOUNDARY) + b" " for raw in raws]
    rows = _rows(ads, comp, True)
    columns = _columns(load_lexicon("default"))
    automaton = comp._automaton
    stage = 16

    def gather() -> list[Any]:
        return [_gather(ads[i : i + stage], found[i : i + stage], layouts[i : i + stage],
                        checks[i : i + stage], comp, True, [False] * len(ads[i : i + stage]))
                for i in range(0, n, stage)]

    def scan() -> Any:
        return fh.scan_job_descriptions(ads, n_jobs=1, progress=False)

    return {
        "scan_job_descriptions (collector on)": scan,
        "scan_job_descriptions": scan,
        "rows": lambda: _rows(ads, comp, True),
        "lower": lambda: [lower_same_length(t) for t in ads],
        "find": lambda: [comp.find(low) for low in lows],
        "automaton input": lambda: [b" " + low.encode("ascii", "replace").translate(_BOUNDARY)
                                    + b" " for low in lows],
        "automaton": lambda: [automaton.find_matches_as_indexes(p, overlapping=True)
                              for p in padded],
        "word count": lambda: [_ascii_word_count(raw) for raw in raws],
        "layout: requirements": lambda: [Layout(low, f.words, f.marks).requirements()
                                         for low, f in zip(lows, found, strict=True)],
        "layout: EEO regions": lambda: [Layout(low, f.words, f.marks).eeo_regions()
                                        for low, f in zip(lows, found, strict=True)],
        "checks": lambda: [check_values(t, low, x, f.words, f.numbers, f.marks)
                           for t, low, x, f in zip(ads, lows, layouts, found, strict=True)],
        "salaries": lambda: [find_salaries(low, t, f.numbers)
                             for t, low, f in zip(ads, lows, found, strict=True)],
        "gather": gather,
        "table": lambda: pd.DataFrame.from_records(rows, columns=columns),
    }


def _child(step: str, n: int) -> None:
    """Prepare the inputs, run ``step`` ("" runs nothing) and leave without tearing down."""
    steps = _steps(n)
    gc.collect()
    if step != "scan_job_descriptions (collector on)":
        gc.freeze()
        gc.disable()
    if step:
        steps[step]()
    sys.stdout.flush()
    os._exit(0)


def _instructions(step: str, n: int) -> int:
    # Arrow's jemalloc pool has a background thread that wakes by the clock: under valgrind
    # its instructions varied with the machine's load; the system allocator has none
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               ARROW_DEFAULT_MEMORY_POOL="system")
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, __file__, "--child", step, "--n", str(n)],
        env=env, capture_output=True, text=True, check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps")
    parser.add_argument("--n", type=int, default=1000, help="ads per step")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.n)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: this script counts instructions with cachegrind")
    steps = [s for s in args.steps.split(",") if s]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        sys.exit(f"unknown steps {unknown}; known: {', '.join(STEPS)}")
    base = _instructions("", args.n)
    print(f"{'step':<44}{'instructions per ad':>20}")
    for step in steps:
        per_ad = (_instructions(step, args.n) - base) / args.n
        print(f"{step:<44}{per_ad:>20,.0f}", flush=True)


if __name__ == "__main__":
    main()
