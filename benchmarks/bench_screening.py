"""Benchmark the screening-model audit against fairlearn's MetricFrame.

450,000 individuals in 4 groups, a model score with one threshold and the true outcomes:

- fairhire: ``audit_screening_model`` — the whole audit (selection rates, impact ratios,
  Fisher's tests, and TPR, FPR, FNR, PPV per group from the confusion counts of one group-by);
- fairlearn: ``MetricFrame`` with the true- and false-positive rates alone.

Both are run warm (after one untimed call), interleaved, the median of ``--repeat`` rounds; the
script prints both times and their ratio, and checks that the two give the same rates. Target:
fairhire at most 0.5× fairlearn's time (issue 18).

Run: ``.venv/bin/python benchmarks/bench_screening.py [--rows 450000] [--repeat 3]``
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import interleaved, write_json  # the script's own folder is on sys.path

import fairhire as fh

TARGET = 0.5


def make_data(n: int, seed: int = 0) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    groups = np.array(["Asian", "Black", "Hispanic", "White"], dtype=object)
    group = groups[rng.choice(4, n, p=[0.15, 0.2, 0.2, 0.45])]
    y_true = rng.random(n) < 0.35
    penalty = np.where(group == "Black", 0.1, 0.0)
    scores = 0.4 * y_true + rng.normal(0.3, 0.25, n) - penalty
    return scores, pd.DataFrame({"race": group}), y_true


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=450_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file (for run_all.py)")
    args = parser.parse_args(argv)
    from fairlearn.metrics import MetricFrame, false_positive_rate, true_positive_rate

    scores, sf, y_true = make_data(args.rows)
    pred = scores >= 0.5
    print(f"{args.rows:,} individuals, 4 groups, one score threshold, true outcomes known")

    def ours():
        return fh.audit_screening_model(
            scores, sensitive_features=sf, y_true=y_true, score_threshold=0.5
        )

    def theirs():
        return MetricFrame(
            metrics={"tpr": true_positive_rate, "fpr": false_positive_rate},
            y_true=y_true,
            y_pred=pred,
            sensitive_features=sf["race"],
        )

    times = interleaved({"fairhire": ours, "fairlearn": theirs}, args.repeat)
    t_ours, t_theirs = times["fairhire"], times["fairlearn"]
    er = ours().error_rates.set_index("group")
    by_group = theirs().by_group
    same = np.allclose(er.loc[by_group.index, "true_positive_rate"], by_group["tpr"], rtol=1e-12)
    same &= np.allclose(er.loc[by_group.index, "false_positive_rate"], by_group["fpr"], rtol=1e-12)
    ratio = t_ours / t_theirs
    print(f"{'fairhire audit_screening_model (whole audit, AUC included)':<62} {t_ours:7.3f} s")
    print(f"{'fairlearn MetricFrame, TPR and FPR only':<62} {t_theirs:7.3f} s")
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(
        f"ratio fairhire / fairlearn: {ratio:.2f}x (target <= {TARGET}x: {verdict}); "
        f"same rates: {bool(same)}"
    )
    write_json(args.json, {"rows": args.rows, "fairhire_s": t_ours, "fairlearn_s": t_theirs})
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
