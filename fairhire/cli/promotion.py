"""``fairhire promotion``: promotion rates by group, within levels."""

from __future__ import annotations

import argparse

from ..workflow.options import share
from .arguments import (
    COMPARISON_OPTIONS,
    column_arguments,
    comparison_arguments,
    given,
    group_argument,
    read_input,
    report_arguments,
)
from .output import print_result

NAME = "promotion"
HELP = "promotion rates by group, within levels"
EXAMPLE = "fairhire promotion employees.csv --group sex --promoted promoted --level level"
FLAGS = {"unknown_labels": "--unknown-label"}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee", flags="--promoted")
    group_argument(g)
    g.add_argument("--promoted", required=True, metavar="COLUMN",
                   help="yes/no column: promoted in the period")
    g.add_argument("--level", metavar="COLUMN",
                   help="compare within each level of this column (e.g. level or grade)")
    o = comparison_arguments(p, people="employees")
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="leave out groups below this share, e.g. 0.02 (default: none)")
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    data = read_input(args, [args.group, args.promoted, args.level], flags=[args.promoted])
    result = fh.promotion_disparity(
        data, group=args.group, promoted=args.promoted, level=args.level,
        min_share=args.min_share, **given(args, COMPARISON_OPTIONS),
    )
    print_result(result, args, "Promotion analysis")
    return 0
