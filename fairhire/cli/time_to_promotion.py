"""``fairhire time-to-promotion``: how long groups wait for promotion (Kaplan–Meier, Cox)."""

from __future__ import annotations

import argparse

from ..workflow.options import call_analysis, share, whole
from .arguments import (
    ID_FLAG,
    column_arguments,
    comparison_arguments,
    given,
    group_argument,
    id_argument,
    read_input,
    report_arguments,
    survival_arguments,
)
from .output import print_result

NAME = "time-to-promotion"
HELP = "how long groups wait for promotion: Kaplan-Meier curves, log-rank and Cox"
EXAMPLE = ("fairhire time-to-promotion employees.csv --group sex --duration months_in_level "
           "--event promoted")
FLAGS = {"unknown_labels": "--unknown-label", "controls": "--control", **ID_FLAG}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee", flags="--event")
    group_argument(g, combined=True)
    g.add_argument("--duration", required=True, metavar="COLUMN",
                   help="time each employee has waited in level, e.g. months_in_level")
    g.add_argument("--event", required=True, metavar="COLUMN",
                   help="yes/no column: promoted (no: still waiting, or left)")
    g.add_argument("--control", dest="controls", action="append", metavar="COLUMN",
                   help="a further covariate of the Cox model, e.g. level (repeat for several)")
    id_argument(g)
    o = comparison_arguments(p, people="employees",
                             skip=("threshold", "alternative", "adjust"))
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="smallest share of employees the default reference group needs, e.g. "
                   "2%% (default: 0.02)")
    o.add_argument("--min-at-risk", type=whole("min_at_risk", low=1), metavar="N",
                   help="a median reached with fewer people still waiting is reported as "
                   "unstable (default: 5)")
    survival_arguments(o, "promotions", "promotion")
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [*args.group, args.duration, args.event, *(args.controls or []), args.id]
    data = read_input(args, needed, flags=[args.event])
    options = {
        "group": args.group, "duration": args.duration, "event": args.event,
        **({"controls": args.controls} if args.controls else {}),
        **given(args, ["min_share", "min_at_risk", "ties", "conf_type", "reference",
                       "confidence", "alpha", "min_n", "unknown_labels", "id"]),
    }
    print_result(call_analysis(fh.time_to_promotion, data, options), args, "Time to promotion")
    return 0
