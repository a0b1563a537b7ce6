"""The ``fairhire`` argument parser: one module per subcommand, one line each here.

A subcommand module has ``NAME``, ``HELP``, ``EXAMPLE``, ``FLAGS`` (library argument names whose
flag is not simply ``--name-with-dashes``), ``arguments(parser)`` and ``run(args) -> int``.
To add a subcommand, write its module and list it in :data:`SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import import_module
from typing import NoReturn

from .. import __version__
from ..workflow.errors import EXIT_USAGE
from .output import terminal_safe

__all__ = ["SUBCOMMANDS", "FairhireParser", "build_parser"]

#: Subcommand modules of fairhire.cli, in the order ``--help`` lists them.
SUBCOMMANDS = ("demo", "audit", "scan", "impact", "ll144", "pay", "promotion",
               "time_to_promotion", "retention", "time_to_exit", "layoff", "monitor", "compare",
               "serve")

EPILOG = """examples:
  fairhire demo --out reports/demo
  fairhire audit examples/audit.toml
  fairhire impact applicants.csv --group sex --stages screened interviewed offered hired
  fairhire ll144 applicants.csv --sex sex --race race --selected advanced --min-share 0.02
  fairhire pay employees.csv --pay salary --group sex --controls level job_family tenure_years
  fairhire promotion employees.csv --group sex --promoted promoted --level level
  fairhire time-to-promotion employees.csv --group sex --duration months_in_level --event promoted
  fairhire retention employees.csv --group sex --exited exited --exit-type exit_type
  fairhire time-to-exit employees.csv --group sex --duration tenure_months --event exited
  fairhire layoff employees.csv --selected laid_off --group sex --unit department --age age
  fairhire monitor applicants.csv --period applied_on --freq Q --group sex --stages hired
  fairhire compare reports/2025/audit.json reports/2026/audit.json
  fairhire scan ads/ --format csv --output ads.csv
  fairhire serve --open
"""


class FairhireParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one ``fairhire: error:`` line (exit 2)."""

    def error(self, message: str) -> NoReturn:
        # "argument --min-share: --min-share 'x' must be ..." says the flag twice
        message = re.sub(r"^argument (\S+?)(/\S+)?: (?=\1 )", "", message)
        command = self.prog.removeprefix("fairhire").strip()
        hint = f"fairhire {command} --help" if command else "fairhire --help"
        message = terminal_safe(" ".join(message.split()))
        print(f"fairhire: error: {message} (see {hint})", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


#: Options of the command line itself (the file, the report), never a library argument: a
#: library message's ``format='ISO8601'`` (pandas' advice on dates) is not ``--format``.
COMMAND_ONLY = frozenset({"help", "sep", "sheet", "report", "format", "title", "organization",
                          "min_cell", "output", "findings"})


def _flags(p: argparse.ArgumentParser, extra: dict[str, str]) -> dict[str, str]:
    """Library argument name -> the flag a user types, for rewriting library messages."""
    flags = {
        a.dest: max(a.option_strings, key=len)
        for a in p._actions
        if a.option_strings and a.help is not argparse.SUPPRESS and a.dest not in COMMAND_ONLY
    }
    return {**flags, **extra}


def build_parser() -> FairhireParser:
    """The ``fairhire`` parser with every subcommand."""
    parser = FairhireParser(
        prog="fairhire",
        description="Audit a hiring process for bias: job ads, funnel adverse impact, NYC "
        "LL144, pay and promotion equity, audit reports, and a local web app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fairhire {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = import_module(f"fairhire.cli.{name}")
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.HELP,
            epilog=f"example:\n  {module.EXAMPLE}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help=argparse.SUPPRESS)
        module.arguments(p)
        p.set_defaults(func=module.run, _flags=_flags(p, module.FLAGS))
    return parser
