"""``fairhire promotion``: promotion rates by group, within levels."""

from __future__ import annotations

import argparse

from ..workflow.options import share
from .arguments import (
    column_arguments,
    group_argument,
    read_input,
    reference_argument,
    report_arguments,
    unknown_label_argument,
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
    o = p.add_argument_group("options")
    reference_argument(o)
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="leave out groups below this share, e.g. 0.02 (default: none)")
    unknown_label_argument(o)
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    data = read_input(args, [args.group, args.promoted, args.level], flags=[args.promoted])
    result = fh.promotion_disparity(
        data, group=args.group, promoted=args.promoted, level=args.level,
        reference=args.reference, min_share=args.min_share,
        unknown_labels=args.unknown_labels or (),
    )
    print_result(result, args, "Promotion analysis")
    return 0
