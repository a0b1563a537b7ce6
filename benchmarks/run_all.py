"""Run every benchmark, one after another, print each one's comparison, then issue 18's table.

Run: ``python benchmarks/run_all.py`` (``make bench``; full sizes, about 20-30 minutes on a
2-core machine) or ``python benchmarks/run_all.py --quick`` (small sizes, a few minutes: to
check the benchmarks still run, not to quote figures).

The closing table has one row per line of issue 18's table ("Speed at the physical floor"):
the task, fairhire's figure in this run, the floor or peer measured in the same run, the ratio,
the target and whether it is met. Figures come from the benchmarks' ``--json`` files (adverse
impact, screening) and from the scanner benchmark's printed table.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# script -> (full-size arguments, quick arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "bench_adverse_impact.py": (
        [],
        ["--sizes", "200000,1000000", "--repeat", "2", "--cold", "1",
         "--fairlearn-rows", "50000"],
    ),
    "bench_scan.py": ([], ["--n", "500", "--repeats", "1", "--eeo", "1"]),
    "bench_pay.py": ([], ["50000"]),
    "bench_scale.py": ([], ["--rows", "200000", "--big-rows", "1000000", "--repeat", "1"]),
    "bench_web.py": ([], ["--n", "60", "--rows", "20000", "--repeats", "1"]),
    "bench_screening.py": ([], ["--rows", "50000", "--repeat", "1"]),
}
#: Scripts that write their figures with ``--json`` for the closing table.
WITH_JSON = {"bench_adverse_impact.py", "bench_screening.py"}


def run(script: str, args: list[str], json_path: Path | None) -> tuple[int, str]:
    """Run one benchmark, echo its output as it comes, and return (exit code, output)."""
    cmd = [sys.executable, str(HERE / script), *args]
    if json_path is not None:
        cmd += ["--json", str(json_path)]
    print(f"\n=== {script} {' '.join(args)}".rstrip(), flush=True)
    start = time.perf_counter()
    lines = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    print(f"=== {script}: exit {proc.returncode} after {time.perf_counter() - start:.0f} s",
          flush=True)
    return proc.returncode, "".join(lines)


def _number(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text, flags=re.MULTILINE)
    return float(found.group(1).replace(",", "")) if found else None


def scanner_rows(output: str) -> list[list[str]]:
    """Issue 18's scanner rows, read from bench_scan.py's printed table."""
    one = _number(r"^after, scan_job_descriptions n_jobs=1\s+([\d,]+)", output)
    two = _number(r"^after, scan_job_descriptions n_jobs=2\s+([\d,]+)", output)
    rows = [[
        "scanner, 500-word ads, all categories, one core (n_jobs=1)",
        f"{one:,.0f} docs/s" if one else "n/a", f"n_jobs=2: {two:,.0f} docs/s" if two else "",
        "", ">= 10,000 docs/s", _verdict(one is not None and one >= 10_000, one is None),
    ]]
    eeo = re.findall(r"^(\d+) MB\s+[\d,]+\s+([\d.]+) s\s+([\d.]+) s", output, flags=re.MULTILINE)
    if eeo:
        sizes = [int(mb) for mb, _, _ in eeo]
        after = [float(a) for _, _, a in eeo]
        before = " / ".join(f"{float(b):.2f}" for _, b, _ in eeo)
        growth = (after[-1] / after[0]) / (sizes[-1] / sizes[0]) if len(eeo) > 1 else None
        rows.append([
            f"scanner, EEO-dense text at {' / '.join(map(str, sizes))} MB",
            " / ".join(f"{a:.2f}" for a in after) + " s", f"old lookup alone {before} s",
            f"{growth:.2f}x linear" if growth else "", "linear",
            _verdict(growth is not None and growth <= 1.5, growth is None),
        ])
    return rows


def _verdict(met: bool, unknown: bool = False) -> str:
    return "n/a" if unknown else ("met" if met else "MISSED")


def impact_rows(fig: dict[str, Any]) -> list[list[str]]:
    """Issue 18's adverse-impact rows (and the polars, fairlearn and memory figures)."""
    rows = []
    targets = {10_000_000: 1.5, 1_000_000: 2.0}
    for size, t in sorted(fig["sizes"].items(), key=lambda kv: -int(kv[0])):
        n = int(size)
        ours, floor = t["fairhire warm (pandas)"], t["numpy bincount floor"]
        target = targets.get(n, 2.0)
        rows.append([
            f"adverse impact, {n:,} rows, warm, all statistics", f"{ours:.3f} s",
            f"numpy bincount {floor:.3f} s", f"{ours / floor:.2f}x",
            f"<= {target}x the floor", _verdict(ours / floor <= target),
        ])
    cold = fig["cold"]
    rows.append([
        "first call in a fresh process (lazy imports)", f"+{cold['extra_s']:.2f} s",
        f"warm call {cold['warm_s']:.3f} s", "", "<= +0.3 s", _verdict(cold["extra_s"] <= 0.3),
    ])
    polars = [
        ("", "fairhire warm (polars)", "polars group_by().agg()"),
        (", text keys", "fairhire warm (polars, text keys)", "polars group_by(), text keys"),
    ]
    for size, t in sorted(fig["sizes"].items(), key=lambda kv: -int(kv[0])):
        for what, mine, theirs in polars:
            if mine not in t:  # figures from before the text-key rows
                continue
            ours, peer = t[mine], t[theirs]
            rows.append([
                f"adverse impact on polars{what}, {int(size):,} rows", f"{ours:.3f} s",
                f"polars group_by {peer:.3f} s", f"{ours / peer:.2f}x", "<= 1.2x polars",
                _verdict(ours / peer <= 1.2),
            ])
    fl = fig["fairlearn"]
    speed = fl["fairlearn MetricFrame"] / fl["fairhire warm"]
    rows.append([
        f"adverse impact vs fairlearn, {fl['rows']:,} rows", f"{fl['fairhire warm']:.3f} s",
        f"fairlearn {fl['fairlearn MetricFrame']:.2f} s", f"{speed:.0f}x faster", "", "",
    ])
    mem = fig["memory"]
    rows.append([
        "extra peak memory, largest size", f"{mem['peak_mib']:.0f} MiB",
        f"input {mem['input_mib']:.0f} MiB", f"{mem['ratio']:.2f}x", "<= 0.39x (no regression)",
        _verdict(mem["ratio"] <= 0.39),
    ])
    return rows


def screening_row(fig: dict[str, Any]) -> list[str]:
    ratio = fig["fairhire_s"] / fig["fairlearn_s"]
    return [
        f"audit_screening_model, {fig['rows']:,} rows, 4 groups", f"{fig['fairhire_s']:.3f} s",
        f"fairlearn MetricFrame TPR/FPR {fig['fairlearn_s']:.3f} s", f"{ratio:.2f}x",
        "<= 0.5x fairlearn", _verdict(ratio <= 0.5),
    ]


def print_table(rows: list[list[str]]) -> None:
    head = ["task", "fairhire now", "floor / peer, same run", "ratio", "target", "met"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print("\n" + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_scan.py)")
    args = parser.parse_args(argv)
    failed, outputs, figures = [], {}, {}
    if args.quick:
        print(
            "quick run: small sizes check that every benchmark still runs; fixed costs dominate "
            "at these sizes, so the targets (set for full sizes) read MISSED. Quote full runs."
        )
    with tempfile.TemporaryDirectory() as tmp:
        for script, (full, quick) in BENCHMARKS.items():
            if args.only and script not in args.only:
                continue
            path = Path(tmp) / f"{script}.json" if script in WITH_JSON else None
            rc, outputs[script] = run(script, quick if args.quick else full, path)
            if rc:
                failed.append(script)
            if path is not None and path.exists():
                figures[script] = json.loads(path.read_text())
    rows: list[list[str]] = []
    if "bench_adverse_impact.py" in figures:
        rows += impact_rows(figures["bench_adverse_impact.py"])
    if "bench_scan.py" in outputs:
        rows += scanner_rows(outputs["bench_scan.py"])
    if "bench_screening.py" in figures:
        rows.append(screening_row(figures["bench_screening.py"]))
    if rows:
        print("\nIssue 18, this run" + (" (quick sizes: not for quoting)" if args.quick else ""))
        print_table(rows)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
