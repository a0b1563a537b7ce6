"""``fairhire impact``: adverse impact at every stage of a hiring funnel."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import min_n
from .arguments import (
    comparison_arguments,
    funnel_arguments,
    given,
    in_process_option,
    inconsistent_argument,
    input_arguments,
    min_share_argument,
    read_input,
    report_arguments,
)
from .output import print_result

NAME = "impact"
HELP = "adverse impact at every stage of a hiring funnel"
EXAMPLE = "fairhire impact applicants.csv --group sex --stages screened interviewed hired"
FLAGS = {"unknown_labels": "--unknown-label"}
#: comparison options this command defines itself (with its own help)
SET_ABOVE = ("reference", "min_n", "unknown_labels")
#: the other comparison options, as every rate comparison offers them
COMPARISON = ("threshold", "alternative", "adjust", "alpha", "confidence")


def arguments(p: argparse.ArgumentParser) -> None:
    input_arguments(p, "applicant", "the --stages columns")
    funnel_arguments(p.add_argument_group("the funnel"))
    o = p.add_argument_group("options")
    o.add_argument("--reference", metavar="GROUP",
                   help="compare every group with this one (default: the highest rate among "
                   "groups large enough to be the reference)")
    min_share_argument(o)
    o.add_argument("--min-n", type=min_n(), metavar="N",
                   help="smallest group that can be the reference (default: 30; 0: no "
                   "minimum)")
    o.add_argument("--cumulative", action="store_true",
                   help="rates against all applicants, not those who reached the stage")
    inconsistent_argument(o, "rows that pass a stage without the one before", "raise")
    o.add_argument("--unknown-label", dest="unknown_labels", action="append", default=[],
                   metavar="LABEL", help="a group label meaning 'not known', e.g. 'Prefer not "
                   "to say' (repeat for several); counted as unknown")
    comparison_arguments(p, people="applicants", skip=SET_ABOVE)
    report_arguments(p)


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    if (args.stages is None) == (args.stage_column is None):
        raise CLIError(
            "give the funnel either as --stages COLUMN ... (yes/no columns in funnel order) or "
            "as --stage-column COLUMN with --stage-order STAGE ..., not both or neither."
        )
    in_process = in_process_option(args.in_process)
    needed = [*args.group, *(args.stages or []), args.stage_column, *(args.strata or []),
              *(in_process or {})]
    data = read_input(args, needed, flags=args.stages or ())
    options = {
        "group": args.group, "stages": args.stages, "stage_column": args.stage_column,
        "stage_order": args.stage_order, "strata": args.strata, "reference": args.reference,
        "min_share": args.min_share, "cumulative": args.cumulative,
        "on_inconsistent": args.on_inconsistent, "unknown_labels": args.unknown_labels,
        "in_process": in_process,
    }
    if args.min_n is not None:
        options["min_n"] = args.min_n
    options.update(given(args, COMPARISON))
    print_result(fh.adverse_impact(data, **options), args, "Adverse impact analysis")
    return 0
