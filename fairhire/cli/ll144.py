"""``fairhire ll144``: the NYC Local Law 144 bias-audit tables."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import call_analysis, category_map_file, label_pair, min_n, number, share
from .arguments import (
    column_arguments,
    given,
    in_process_argument,
    in_process_option,
    read_input,
    report_arguments,
)
from .output import print_result

NAME = "ll144"
HELP = "NYC Local Law 144 bias audit of an automated employment decision tool"
EXAMPLE = "fairhire ll144 applicants.csv --sex sex --race race --selected advanced"
# (with a separate Hispanic or Latino column: --ethnicity ethnicity)
FLAGS = {
    "category_map": "--category-map FILE or --map LABEL=CATEGORY",
    "unknown_labels": "--unknown-label",
    "exclude_under": "--min-share",
}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "individual", flags="--selected")
    g.add_argument("--sex", required=True, metavar="COLUMN", help="the sex/gender column")
    g.add_argument("--race", required=True, metavar="COLUMN", help="the race/ethnicity column")
    g.add_argument("--ethnicity", metavar="COLUMN",
                   help="the answers to a separate Hispanic or Latino question, if your "
                   "export has one: a Hispanic or Latino answer is that category, whatever "
                   "the race (as in EEO-1)")
    g.add_argument("--selected", metavar="COLUMN",
                   help="yes/no column: moved forward or selected (selection-rate audit)")
    g.add_argument("--score", metavar="COLUMN",
                   help="numeric score column (scoring-rate audit); instead of --selected")
    in_process_argument(g)
    m = p.add_argument_group("labels and categories")
    m.add_argument("--category-map", type=category_map_file, metavar="FILE",
                   help="map your labels to the EEO-1 categories: a .toml or .json file "
                   "(label = category) or a two-column CSV (label, category)")
    m.add_argument("--map", dest="pairs", action="append", default=[], type=label_pair,
                   metavar="LABEL=CATEGORY", help="map one label, e.g. --map "
                   "'Latinx=Hispanic or Latino' (repeat for several; wins over --category-map)")
    m.add_argument("--unknown-label", dest="unknown_labels", action="append", default=[],
                   metavar="LABEL", help="a label meaning 'not known', e.g. 'Declined' "
                   "(repeat for several); counted in the unknown table")
    o = p.add_argument_group("options")
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="leave categories under this share of the data out of the impact "
                   "ratios, e.g. 0.02 or 2%% (the law allows < 2%%; default: none left out)")
    o.add_argument("--exclude-under", dest="min_share", type=share(), help=argparse.SUPPRESS)
    o.add_argument("--alpha", type=number("alpha"), metavar="P",
                   help="significance level of the tests beside the ratios (default: 0.05)")
    o.add_argument("--min-n", type=min_n(), metavar="N",
                   help="smallest category that can be the reference (default: 1, as the "
                   "DCWP's examples; 30 applies the general rule)")
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    if (args.selected is None) == (args.score is None):
        raise CLIError("give exactly one of --selected COLUMN or --score COLUMN.")
    in_process = in_process_option(args.in_process)
    data = read_input(args, [args.sex, args.race, args.ethnicity, args.selected or args.score,
                             *(in_process or {})], flags=[args.selected])
    category_map = {**(args.category_map or {}), **dict(args.pairs)} or None
    options = {
        "sex": args.sex, "race": args.race, "ethnicity": args.ethnicity,
        "selected": args.selected, "score": args.score, "in_process": in_process,
        "min_share": args.min_share, "category_map": category_map,
        "unknown_labels": args.unknown_labels, **given(args, ["alpha", "min_n"]),
    }
    result = call_analysis(fh.ll144_audit, data, options)
    print_result(result, args, "NYC Local Law 144 bias audit")
    return 0
