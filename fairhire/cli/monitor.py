"""``fairhire monitor``: adverse impact period by period, with the trends and the alerts."""

from __future__ import annotations

import argparse

from ..errors import FairhireError
from ..workflow.errors import CLIError, in_cli_words
from ..workflow.options import choice
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
from .compare import comparison_lines, read_audit_file
from .output import new_report, print_result, write_report_files

NAME = "monitor"
HELP = "adverse impact over time: each period's audit, the trends and the alerts"
EXAMPLE = ("fairhire monitor applicants.csv --period applied_on --freq Q --group sex "
           "--stages screened interviewed offered hired")
FLAGS = {"unknown_labels": "--unknown-label"}


def arguments(p: argparse.ArgumentParser) -> None:
    input_arguments(p, "applicant (or employee)", "the --stages columns or --promoted")
    g = p.add_argument_group("the periods and the outcome")
    g.add_argument("--period", required=True, metavar="COLUMN",
                   help="column of dates (with --freq) or of period labels (e.g. 2025-Q1)")
    g.add_argument("--freq", type=choice("freq", ["M", "Q", "Y"]), metavar="{M,Q,Y}",
                   help="group dates into months (M), quarters (Q) or years (Y)")
    g.add_argument("--period-order", nargs="+", metavar="PERIOD",
                   help="period labels in time order (default: their natural order)")
    funnel_arguments(g)
    g.add_argument("--promoted", metavar="COLUMN",
                   help="instead of a funnel: yes/no promotion column (promotion rates)")
    o = comparison_arguments(p, skip=("alternative",))
    min_share_argument(o)
    inconsistent_argument(o, "rows that pass a stage without the one before", None)
    report_arguments(p)
    p.add_argument("--compare-with", metavar="OLD.json",
                   help="an earlier audit.json: say what changed since, and add a 'Since the "
                   "previous audit' section to the report")


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    outcomes = [args.stages, args.stage_column, args.promoted]
    if sum(o is not None for o in outcomes) != 1:
        raise CLIError("give the outcome as --stages COLUMN ... (yes/no columns in funnel "
                       "order), as --stage-column COLUMN with --stage-order STAGE ..., or as "
                       "--promoted COLUMN: exactly one of them.")
    previous = read_audit_file(args.compare_with, "--compare-with") if args.compare_with \
        else None
    in_process = in_process_option(args.in_process)
    needed = [args.period, *args.group, *(args.stages or []), args.stage_column, args.promoted,
              *(args.strata or []), *(in_process or {})]
    data = read_input(args, needed, flags=[*(args.stages or []), args.promoted])
    options = {
        "period": args.period, "group": args.group,
        **given(args, ["stages", "stage_column", "stage_order", "promoted", "freq",
                       "period_order", "strata", "reference", "threshold", "alpha", "adjust",
                       "confidence", "min_share", "min_n", "on_inconsistent", "unknown_labels"]),
        **({"in_process": in_process} if in_process else {}),
    }
    result = fh.monitor(data, **options)
    from .console import monitor_text

    title = "Monitoring over time"
    text = monitor_text(result, args._flags, getattr(args, "min_cell", None))
    if previous is None:
        print_result(result, args, title, text=text)
        return 0
    print(text)
    report = new_report(args, title)
    report.add(result, data_notes=getattr(args, "_read_notes", ()))
    try:
        comparison = fh.compare_audits(previous, report)
    except FairhireError as exc:
        raise CLIError(in_cli_words(exc)) from None
    print("\n" + "\n".join(comparison_lines(comparison)))
    if args.report:
        write_report_files(report.add(comparison), args)
    return 0
