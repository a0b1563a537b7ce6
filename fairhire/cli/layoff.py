"""``fairhire layoff``: a reduction in force tested for adverse impact by group and by age."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import age_bands, call_analysis
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
    report_arguments,
)
from .output import print_result

NAME = "layoff"
HELP = "a reduction in force: selection for layoff by group and by age, per unit"
EXAMPLE = ("fairhire layoff employees.csv --selected laid_off --group sex --unit department "
           "--age age --job-title job_title")
FLAGS = {"unknown_labels": "--unknown-label", "age_bands": "--age-bands", **ID_FLAG}


def arguments(p: argparse.ArgumentParser) -> None:
    g = column_arguments(p, "employee in the layoff's scope", flags="--selected")
    g.add_argument("--selected", required=True, metavar="COLUMN",
                   help="yes/no column: selected for layoff")
    group_argument(g, combined=True, required=False,
                   note=" (at least one of --group and --age)")
    optional_columns(g, {
        "--unit": "the decisional unit (department, site ...) selections were made in",
        "--age": "age in years: compares 40 and over, and each age band, with under 40",
        "--job-title": "job title, for the OWBPA disclosure",
        "--birth-date": "date of birth, instead of --age: ages are whole years on --as-of",
    })
    g.add_argument("--as-of", metavar="DATE",
                   help="with --birth-date: the date of the layoff decision (YYYY-MM-DD)")
    g.add_argument("--age-bands", type=age_bands, metavar="AGES",
                   help="ages whose 'N and over' group is compared with under 40, "
                   "comma-separated (default: 40,50,60)")
    id_argument(g)
    o = comparison_arguments(p, people="employees")
    report_arguments(p)
    o.add_argument("--include-disclosure", action="store_true",
                   help="with --report: also write the OWBPA disclosure (the ages of the people "
                   "selected and not selected, per unit and job title) into the report; it "
                   "is personal data, left out unless asked for")


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    if args.include_disclosure and not args.report:
        raise CLIError("--include-disclosure puts the OWBPA disclosure into the report: add "
                       "--report DIR.")
    if not args.group and not args.age and not args.birth_date:
        raise CLIError("give --group COLUMN, --age COLUMN (or --birth-date COLUMN with --as-of "
                       "DATE), or both: what the layoff is compared by.")
    needed = [*(args.group or []), args.selected, args.unit, args.age, args.job_title,
              args.birth_date, args.id]
    data = read_input(args, needed, flags=[args.selected])
    options = {
        "selected": args.selected,
        **given(args, ["group", "unit", "age", "job_title", "age_bands", "birth_date", "as_of",
                       "id", *COMPARISON_OPTIONS]),
    }
    result = call_analysis(fh.reduction_in_force, data, options)
    print_result(result, args, "Reduction in force", include_disclosure=args.include_disclosure)
    return 0
