"""``fairhire pay``: raw and adjusted pay gaps."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import call_analysis, choice, number, whole
from .arguments import (
    ID_FLAG,
    column_arguments,
    given,
    group_argument,
    id_argument,
    read_input,
    reference_argument,
    report_arguments,
    unknown_label_argument,
)
from .output import print_result

NAME = "pay"
HELP = "raw and adjusted pay gaps"
EXAMPLE = "fairhire pay employees.csv --pay salary --group sex --controls level tenure_years"
FLAGS = {"min_group_size": "--min-n", "unknown_labels": "--unknown-label", "log": "--no-log",
         "categorical": "--categorical", **ID_FLAG}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee")
    g.add_argument("--pay", required=True, metavar="COLUMN",
                   help="the pay column (e.g. salary or hourly pay)")
    group_argument(g)
    g.add_argument("--controls", nargs="+", metavar="COLUMN",
                   help="legitimate pay factors the adjusted gap accounts for (e.g. level)")
    g.add_argument("--within", nargs="+", metavar="COLUMN",
                   help="pay-analysis groups: a separate gap within each (e.g. job_family)")
    g.add_argument("--categorical", action="append", metavar="COLUMN",
                   help="a numeric control to treat as categories, e.g. a level coded 1-5 "
                   "(repeat for several)")
    g.add_argument("--cluster", metavar="COLUMN",
                   help="cluster-robust standard errors by this column (e.g. manager or team); "
                   "the same as --cov-type cluster")
    id_argument(g, "a payroll export with a row per pay period; it also names the outliers")
    o = p.add_argument_group("options")
    reference_argument(o)
    o.add_argument("--cov-type", type=choice("cov_type", ["nonrobust", "HC1", "HC3", "cluster"]),
                   metavar="{nonrobust,HC1,HC3,cluster}",
                   help="standard errors of the adjusted gap: HC3 (default, robust to unequal "
                   "spread), HC1, nonrobust (classical), or cluster (with --cluster)")
    o.add_argument("--no-log", dest="log", action="store_false",
                   help="model pay in currency units, not log pay (gaps in currency, not "
                   "percent; zero pay, e.g. unpaid leave, is then allowed)")
    o.add_argument("--min-n", type=whole("min_n", low=2), metavar="N",
                   help="smallest group size analysed, at least 2 (default: the library's, 5)")
    o.add_argument("--alpha", type=number("alpha"), metavar="P",
                   help="significance level: a gap is flagged when its p-value is below it "
                   "(default: 0.05)")
    o.add_argument("--confidence", type=number("confidence"), metavar="LEVEL",
                   help="confidence level of the intervals, e.g. 0.95 (default: 0.95)")
    o.add_argument("--outlier-threshold", type=number("outlier_threshold", low=0), metavar="Z",
                   help="list employees whose studentized residual is at or below minus Z "
                   "(default: 2.5)")
    o.add_argument("--missing", type=choice("missing", ["exclude", "raise"]),
                   metavar="{exclude,raise}",
                   help="rows with a missing value: leave out and count (default), or stop "
                   "with an error")
    unknown_label_argument(o)
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    cov_type = args.cov_type or ("cluster" if args.cluster else "HC3")
    if args.cluster and cov_type != "cluster":
        raise CLIError(f"--cluster gives cluster-robust errors; it does not go with --cov-type "
                       f"{cov_type}. Leave out one of them.")
    needed = [args.pay, args.group, *(args.controls or []), *(args.within or []), args.id,
              args.cluster]
    data = read_input(args, needed)
    options = {
        "pay": args.pay, "group": args.group, "controls": args.controls or (),
        "within": args.within, "cov_type": cov_type, "reference": args.reference,
        "log": args.log, "id": args.id, "cluster": args.cluster,
        "categorical": args.categorical or (), "unknown_labels": args.unknown_labels or (),
        **given(args, ["min_n", "alpha", "confidence", "outlier_threshold", "missing"]),
    }
    print_result(call_analysis(fh.pay_gap, data, options), args, "Pay gap analysis")
    return 0
