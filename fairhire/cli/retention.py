"""``fairhire retention``: exit rates by group, all exits, voluntary and involuntary."""

from __future__ import annotations

import argparse

from ..workflow.options import call_analysis
from .arguments import (
    COMPARISON_OPTIONS,
    ID_FLAG,
    column_arguments,
    comparison_arguments,
    given,
    group_argument,
    id_argument,
    inconsistent_argument,
    optional_columns,
    read_input,
    regression_arguments,
    report_arguments,
)
from .output import print_result

NAME = "retention"
HELP = "exit rates by group: all exits, voluntary and involuntary"
EXAMPLE = ("fairhire retention employees.csv --group sex --exited exited --exit-type exit_type "
           "--level level")
FLAGS = {"unknown_labels": "--unknown-label", "controls": "--control",
         "regression": "--no-regression", **ID_FLAG}


def exit_kind_arguments(g: argparse._ArgumentGroup) -> None:
    """``--voluntary`` and ``--involuntary``: which exit-type labels count as which."""
    g.add_argument("--voluntary", action="append", metavar="LABEL",
                   help="an exit-type label that counts as voluntary (repeat for several; "
                   "default: voluntary, resignation, quit, and their other spellings)")
    g.add_argument("--involuntary", action="append", metavar="LABEL",
                   help="an exit-type label that counts as involuntary (repeat for several; "
                   "default: involuntary, dismissal, termination, layoff, redundancy, reduction in "
                   "force, and their other spellings, e.g. laid off, RIF)")


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee", flags="--exited")
    group_argument(g, combined=True)
    g.add_argument("--exited", required=True, metavar="COLUMN",
                   help="yes/no column: the employee left during the period")
    optional_columns(g, {
        "--exit-type": "the reason for leaving: compares voluntary and involuntary exits too",
        "--level": "also compare within each level (Mantel-Haenszel), e.g. level or grade",
        "--period": "also compare within each period (e.g. year or quarter)",
    })
    exit_kind_arguments(g)
    id_argument(g)
    o = comparison_arguments(p, people="employees")
    inconsistent_argument(o, "rows with an exit type but no exit", None)
    regression_arguments(g, o)
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [*args.group, args.exited, args.exit_type, args.level, args.period,
              *(args.controls or []), args.id]
    data = read_input(args, needed, flags=[args.exited])
    options = {
        "group": args.group, "exited": args.exited, "exit_type": args.exit_type,
        "level": args.level, "period": args.period, "controls": args.controls or (),
        "regression": args.regression,
        **given(args, [*COMPARISON_OPTIONS, "voluntary", "involuntary", "on_inconsistent", "id"]),
    }
    print_result(call_analysis(fh.retention, data, options), args, "Retention analysis")
    return 0
