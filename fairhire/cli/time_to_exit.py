"""``fairhire time-to-exit``: how long groups stay (retention curves, log-rank, Cox, causes)."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import call_analysis, choice, number
from .arguments import (
    ID_FLAG,
    column_arguments,
    comparison_arguments,
    given,
    group_argument,
    id_argument,
    optional_columns,
    read_input,
    report_arguments,
    survival_arguments,
)
from .output import print_result
from .retention import exit_kind_arguments

NAME = "time-to-exit"
HELP = "how long groups stay: retention curves, log-rank, Cox, and causes of exit"
EXAMPLE = ("fairhire time-to-exit employees.csv --group sex --duration tenure_months "
           "--event exited --cause exit_type")
FLAGS = {"unknown_labels": "--unknown-label", **ID_FLAG}
TIME_UNITS = ["days", "weeks", "months", "years"]


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee", "the columns (--duration and --event, or the dates)",
                         flags="--event")
    group_argument(g, combined=True)
    optional_columns(g, {
        "--duration": "time each employee was observed, e.g. tenure_months",
        "--event": "with --duration: yes/no column, the employee left",
        "--hire-date": "instead of --duration: hire date",
        "--exit-date": "with --hire-date: exit date, empty for those still employed",
    })
    g.add_argument("--as-of", metavar="DATE",
                   help="with the dates: the snapshot date of the export, e.g. 2025-12-31")
    g.add_argument("--cause", metavar="COLUMN",
                   help="the reason for each exit: cumulative incidence per cause")
    exit_kind_arguments(g)
    id_argument(g)
    o = comparison_arguments(p, people="employees",
                             skip=("threshold", "alternative", "adjust"))
    o.add_argument("--time-unit", type=choice("time_unit", TIME_UNITS),
                   metavar="{days,weeks,months,years}",
                   help="unit of times computed from dates, and of the findings (default: months)")
    o.add_argument("--horizon", type=number("horizon", low=0), metavar="TIME",
                   help="time at which retention is reported, in --time-unit (default: the "
                   "median follow-up)")
    survival_arguments(o, "exits", "retention")
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    dates = args.hire_date is not None or args.exit_date is not None
    if dates == (args.duration is not None):
        raise CLIError("give the time observed either as --duration COLUMN with --event COLUMN, "
                       "or as --hire-date COLUMN and --exit-date COLUMN with --as-of DATE.")
    if args.duration is not None and args.event is None:
        raise CLIError("--duration needs --event COLUMN: the yes/no column saying who left.")
    needed = [*args.group, args.duration, args.event, args.hire_date, args.exit_date, args.cause,
              args.id]
    data = read_input(args, needed, flags=[args.event])
    options = {
        "group": args.group,
        **given(args, ["duration", "event", "hire_date", "exit_date", "as_of", "cause",
                       "time_unit", "horizon", "ties", "conf_type", "reference", "voluntary", "involuntary",
                       "confidence", "alpha", "min_n", "unknown_labels", "id"]),
    }
    print_result(call_analysis(fh.time_to_exit, data, options), args, "Time to exit")
    return 0
