"""``fairhire promotion``: promotion rates by group, within levels."""

from __future__ import annotations

import argparse

from ..workflow.options import share
from .arguments import (
    COMPARISON_OPTIONS,
    ID_FLAG,
    column_arguments,
    comparison_arguments,
    given,
    group_argument,
    id_argument,
    optional_columns,
    read_input,
    regression_arguments,
    report_arguments,
)
from .output import print_result

NAME = "promotion"
HELP = "promotion rates by group, within levels"
EXAMPLE = "fairhire promotion employees.csv --group sex --promoted promoted --level level"
FLAGS = {"unknown_labels": "--unknown-label", "controls": "--control",
         "regression": "--no-regression", **ID_FLAG}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee", flags="--promoted")
    group_argument(g, combined=True)
    g.add_argument("--promoted", required=True, metavar="COLUMN",
                   help="yes/no column: promoted in the period")
    optional_columns(g, {
        "--level": "compare within each level of this column (e.g. level or grade)",
        "--period": "also compare within each period (e.g. year or review cycle)",
    })
    id_argument(g)
    o = comparison_arguments(p, people="employees")
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="leave out groups below this share, e.g. 0.02 (default: none)")
    regression_arguments(g, o)
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [*args.group, args.promoted, args.level, args.period, *(args.controls or []), args.id]
    data = read_input(args, needed, flags=[args.promoted])
    result = fh.promotion_disparity(
        data, group=args.group, promoted=args.promoted, level=args.level, period=args.period,
        controls=args.controls or (), regression=args.regression, min_share=args.min_share,
        **given(args, [*COMPARISON_OPTIONS, "id"]),
    )
    print_result(result, args, "Promotion analysis")
    return 0
