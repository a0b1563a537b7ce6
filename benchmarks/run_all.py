"""Run every benchmark, one after another, and print each one's comparison.

Run: ``python benchmarks/run_all.py`` (``make bench``; full sizes, about 10-15 minutes on a
2-core machine) or ``python benchmarks/run_all.py --quick`` (small sizes, a minute or two: to
check the benchmarks still run, not to quote figures).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# script -> (full-size arguments, quick arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "bench_adverse_impact.py": ([], ["--rows", "200000", "--slice", "50000"]),
    "bench_scan.py": ([], ["--n", "500", "--repeats", "1", "--eeo", "1"]),
    "bench_pay.py": ([], ["50000"]),
    "bench_scale.py": ([], ["--rows", "200000", "--big-rows", "1000000", "--repeat", "1"]),
    "bench_web.py": ([], ["--n", "60", "--rows", "20000", "--repeats", "1"]),
    "bench_screening.py": ([], ["--rows", "50000", "--repeat", "1"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_scan.py)")
    args = parser.parse_args(argv)
    failed = []
    if args.quick:
        print(
            "quick run: small sizes check that every benchmark still runs; fixed costs dominate "
            "at these sizes, so the targets (set for full sizes) read MISSED. Quote full runs."
        )
    for script, (full, quick) in BENCHMARKS.items():
        if args.only and script not in args.only:
            continue
        cmd = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"\n=== {script} {' '.join(cmd[2:])}".rstrip(), flush=True)
        start = time.perf_counter()
        rc = subprocess.call(cmd)
        print(f"=== {script}: exit {rc} after {time.perf_counter() - start:.0f} s", flush=True)
        if rc:
            failed.append(script)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
