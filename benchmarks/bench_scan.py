"""Benchmark the job-description scanner: documents per second, one process and two.

10,000 synthetic ads of about 500 words (:func:`fairhire.datasets.job_ads.make_job_ads`: title,
intro, "Responsibilities:" / "Requirements:" / "Benefits:" bullet lists, pay, EEO text, coded
words from every category and the classic false positives), every category of the default
lexicon on, structural checks included. The batch API is timed end to end (one table row per
ad).

The scanner remembers how each distinct token classifies, so the first pass over a corpus
(cold) is slower than later ones (warm). Both are reported; the target is >= 5,000 docs/s
warm, in one process.

Run:  python benchmarks/bench_scan.py [--n 10000] [--words 500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads
from fairhire.language import load_lexicon
from fairhire.language.checks import CHECK_KEYWORDS
from fairhire.language.matcher import compile_lexicon


def _rate(texts: list[str], *, n_jobs: int, repeats: int) -> tuple[float, float]:
    """(best, median) documents per second over ``repeats`` runs."""
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        table = fh.scan_job_descriptions(texts, n_jobs=n_jobs, progress=False)
        elapsed = time.perf_counter() - t0
        assert len(table) == len(texts)
        rates.append(len(texts) / elapsed)
    rates.sort()
    return rates[-1], rates[len(rates) // 2]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of ads")
    parser.add_argument("--words", type=int, default=500, help="approximate words per ad")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per setting")
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPU(s); fairhire {fh.__version__}")
    t0 = time.perf_counter()
    ads = make_job_ads(args.n, words=args.words, random_state=0)
    texts = ads.text.tolist()
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"generated {len(texts):,} synthetic ads, {words:.0f} words on average "
          f"({time.perf_counter() - t0:.1f} s)")

    lex = load_lexicon("default")
    t0 = time.perf_counter()
    compile_lexicon(lex, CHECK_KEYWORDS)
    print(f"lexicon 'default': {len(lex.entries)} terms, {len(lex.exceptions)} exceptions, "
          f"{len(lex.categories)} categories; compiled in {time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    table = fh.scan_job_descriptions(texts, progress=False)
    cold = len(texts) / (time.perf_counter() - t0)
    findings = int(table["n_findings"].sum())
    print(f"findings: {findings:,} ({findings / len(texts):.1f} per ad); labels: "
          + ", ".join(f"{k} {v}" for k, v in table["label"].value_counts().items()))
    print()
    print(f"{'setting':<34}{'best docs/s':>14}{'median docs/s':>16}")
    print(f"{'1 process, cold token cache':<34}{cold:>14,.0f}{'':>16}")
    best, median = _rate(texts, n_jobs=1, repeats=args.repeats)
    print(f"{'1 process, warm':<34}{best:>14,.0f}{median:>16,.0f}")
    best2, median2 = _rate(texts, n_jobs=2, repeats=args.repeats)
    print(f"{'n_jobs=2 (processes), warm':<34}{best2:>14,.0f}{median2:>16,.0f}")
    print()
    target = 5_000
    verdict = "meets" if best >= target else "misses"
    print(f"single-process target {target:,} docs/s: {verdict} it ({best:,.0f} docs/s)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
