"""Arguments several subcommands share: the input file and the report options."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from .._core.params import ADJUSTMENTS, ALTERNATIVES
from ..workflow.blanks import blanks_as_no
from ..workflow.errors import CLIError
from ..workflow.numbers import forget_markers
from ..workflow.options import (
    adjustment,
    choice,
    column_value,
    min_n,
    number,
    report_formats,
    share,
    whole,
)
from ..workflow.reading import read_table
from .output import notes

__all__ = [
    "COMPARISON_OPTIONS",
    "column_arguments",
    "comparison_arguments",
    "funnel_arguments",
    "given",
    "group_argument",
    "in_process_argument",
    "in_process_option",
    "inconsistent_argument",
    "input_arguments",
    "min_share_argument",
    "optional_columns",
    "read_input",
    "reference_argument",
    "regression_arguments",
    "report_arguments",
    "unknown_label_argument",
]

#: The comparison options of the rate analyses, as the library names them.
COMPARISON_OPTIONS = ("reference", "threshold", "alternative", "adjust", "alpha", "confidence",
                      "min_n", "unknown_labels")


def input_arguments(p: argparse.ArgumentParser, what: str, flags: str = "") -> None:
    """The data file, and how to read it (``flags``: the yes/no columns, for
    ``--blank-means-no``)."""
    p.add_argument("data", help=f"CSV, Parquet or Excel file, one row per {what}")
    g = p.add_argument_group("reading the file")
    g.add_argument("--sep", metavar="CHAR",
                   help="CSV separator, e.g. ';' or '\\t' (default: detected from the file)")
    g.add_argument("--sheet", metavar="NAME", help="Excel sheet (default: the first)")
    if flags:
        g.add_argument("--blank-means-no", action="store_true",
                       help=f"read a blank cell of {flags} as no (exports often leave 'no' "
                       "empty); without it a blank is a missing value, counted and left out")


def column_arguments(
    p: argparse.ArgumentParser, what: str, title: str = "the columns", flags: str = ""
) -> argparse._ArgumentGroup:
    """The data file (:func:`input_arguments`), then the group of its columns, returned."""
    input_arguments(p, what, flags)
    return p.add_argument_group(title)


def group_argument(
    g: argparse._ArgumentGroup, *, combined: bool = False, required: bool = True, note: str = ""
) -> None:
    """``--group``: one column compared, or (``combined``) one or more, repeatable, whose
    combinations are the groups. ``note`` ends the help text."""
    if combined:
        g.add_argument("--group", action="extend", nargs="+", required=required,
                       metavar="COLUMN", help="group column (e.g. sex); repeat or list several "
                       f"for combined groups{note}")
    else:
        g.add_argument("--group", required=required, metavar="COLUMN",
                       help=f"the group column compared (e.g. sex){note}")


def regression_arguments(g: argparse._ArgumentGroup, o: argparse._ArgumentGroup) -> None:
    """``--control COLUMN`` (repeatable, in the columns group ``g``) and ``--no-regression``
    (in the options group ``o``): the logistic regression of a rate comparison."""
    g.add_argument("--control", dest="controls", action="append", metavar="COLUMN",
                   help="a further control of the logistic regression, e.g. tenure_years "
                   "(repeat for several)")
    o.add_argument("--no-regression", dest="regression", action="store_false",
                   help="skip the logistic regression (faster on large files)")


def survival_arguments(o: argparse._ArgumentGroup, events: str, curves: str) -> None:
    """``--ties`` and ``--conf-type`` of a survival analysis (``events``: "exits",
    "promotions"; ``curves``: what its curves show)."""
    o.add_argument("--ties", type=choice("ties", ["efron", "breslow"]), metavar="{efron,breslow}",
                   help=f"how the Cox model treats {events} at the same time (default: efron)")
    o.add_argument("--conf-type", type=choice("conf_type", ["log-log", "log", "plain"]),
                   metavar="{log-log,log,plain}",
                   help=f"intervals of the {curves} curves: log-log (default, as SAS and "
                   "Stata), log (R's default) or plain")


def optional_columns(g: argparse._ArgumentGroup, helps: Mapping[str, str]) -> None:
    """An optional ``--flag COLUMN`` for each flag in ``helps``, with its help text, in order.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> optional_columns(p.add_argument_group("the columns"),
    ...                  {"--unit": "the decisional unit", "--age": "age in years"})
    >>> p.parse_args(["--unit", "department"])
    Namespace(unit='department', age=None)
    """
    for flag, text in helps.items():
        g.add_argument(flag, metavar="COLUMN", help=text)


def reference_argument(o: argparse._ArgumentGroup) -> None:
    """``--reference GROUP``: the group the others are compared with."""
    o.add_argument("--reference", metavar="GROUP", help="the group others are compared with")


def _separator(text: str | None) -> str | None:
    if text is None:
        return None
    return {"\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ","}.get(text, text)


def read_input(args: argparse.Namespace, columns: Sequence[str | None],
               flags: Sequence[str | None] = ()) -> Any:
    """Read ``args.data``, checking ``columns`` against its header first, with the blanks of
    the yes/no columns ``flags`` read as no if ``--blank-means-no`` says so; print read notes
    (and keep them, as ``args._read_notes``, for the report's section)."""
    found: list[str] = []
    frame = read_table(args.data, columns=[c for c in columns if c], sheet=args.sheet,
                       sep=_separator(args.sep), notes=found)
    if getattr(args, "blank_means_no", False):
        frame, filled = blanks_as_no(frame, flags, how="--blank-means-no")
        found.extend(filled)
    frame = forget_markers(frame)
    notes(found, getattr(args, "min_cell", None))
    args._read_notes = found
    return frame


def report_arguments(p: argparse.ArgumentParser) -> None:
    """``--report DIR`` and the options of the report written there."""
    g = p.add_argument_group("report (optional)")
    g.add_argument("--report", metavar="DIR", help="also write an audit report into DIR")
    g.add_argument("--format", default="html,md,json", type=report_formats, metavar="LIST",
                   help="report formats, comma-separated: html, md, json (default: all three)")
    g.add_argument("--title", help="report title (default: the analysis name)")
    g.add_argument("--organization", help="organization named on the report's cover")
    g.add_argument("--min-cell", type=whole("min_cell", low=1), metavar="N",
                   help="withhold counts of fewer than N people, on the console and in the "
                   "report (shown as '< N', with the figures that would reveal them), e.g. 5 "
                   "(default: none)")


def comparison_arguments(
    p: argparse.ArgumentParser, *, people: str = "people", skip: Sequence[str] = ()
) -> argparse._ArgumentGroup:
    """The options every rate comparison shares (``--reference`` ... ``--unknown-label``).

    Each defaults to None: an option not given is not passed, so the library's default holds.
    ``skip`` leaves out options an analysis does not take.
    """
    o = p.add_argument_group("comparison options")
    add = {
        "reference": lambda: o.add_argument(
            "--reference", metavar="GROUP",
            help="compare every group with this one (default: the most favourable rate among "
            f"groups of at least --min-n {people} and 2%% of the total)"),
        "threshold": lambda: o.add_argument(
            "--threshold", type=number("threshold"), metavar="RATIO",
            help="the impact-ratio threshold, e.g. 0.8 or 4/5 (default: 0.8, four-fifths)"),
        "alternative": lambda: o.add_argument(
            "--alternative", type=choice("alternative", ALTERNATIVES),
            metavar="{" + ",".join(ALTERNATIVES) + "}",
            help="direction of the significance tests (default: two-sided)"),
        "adjust": lambda: o.add_argument(
            "--adjust", type=adjustment(), metavar="{" + ",".join(ADJUSTMENTS) + "}",
            help="adjustment of p-values for the number of comparisons (default: holm; bh "
            "is fdr_bh)"),
        "alpha": lambda: o.add_argument(
            "--alpha", type=number("alpha"), metavar="P",
            help="significance level, e.g. 0.05 or 5%% (default: 0.05)"),
        "confidence": lambda: o.add_argument(
            "--confidence", type=number("confidence"), metavar="LEVEL",
            help="confidence level of the intervals, e.g. 0.95 (default: 0.95)"),
        "min_n": lambda: o.add_argument(
            "--min-n", type=min_n(), metavar="N",
            help=f"smallest group, in {people}, that can be the reference (default: 30; 0: "
            "no minimum)"),
        "unknown_labels": lambda: unknown_label_argument(o),
    }
    for name in COMPARISON_OPTIONS:
        if name not in skip:
            add[name]()
    return o


#: ``--id`` is said as such in messages (``--id-column`` is its other spelling).
ID_FLAG = {"id": "--id"}


def id_argument(g: argparse._ArgumentGroup,
                example: str = "a rehire's two employment spells, a duplicated row") -> None:
    """``--id COLUMN`` (or ``--id-column``, as ``fairhire scan`` names its id column): the
    library's ``id=``, one row per person."""
    g.add_argument("--id", "--id-column", dest="id", metavar="COLUMN",
                   help=f"employee id column: an id on two rows ({example}) is an error "
                   "naming the ids")


def unknown_label_argument(o: argparse._ArgumentGroup) -> None:
    """``--unknown-label``, repeatable: the library's ``unknown_labels``."""
    o.add_argument(
        "--unknown-label", dest="unknown_labels", action="append", metavar="LABEL",
        help="a group label meaning 'not known', e.g. 'Prefer not to say' (repeat for "
        "several); counted as unknown")


def given(args: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    """The options among ``names`` that were given (not None), as library keyword arguments.

    Examples
    --------
    >>> given(argparse.Namespace(alpha=0.01, reference=None), ["alpha", "reference"])
    {'alpha': 0.01}
    """
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def funnel_arguments(g: argparse._ArgumentGroup) -> None:
    """The groups and the hiring funnel: ``--group``, ``--stages`` or ``--stage-column`` with
    ``--stage-order``, and ``--strata``."""
    g.add_argument("--group", nargs="+", required=True, metavar="COLUMN",
                   help="group column(s), e.g. sex race; several give intersectional groups")
    g.add_argument("--stages", nargs="+", metavar="COLUMN",
                   help="yes/no stage columns in funnel order, e.g. screened interviewed hired")
    # --stage, as people type it: argparse would stop on it as an ambiguous prefix of
    # --stages, --stage-column and --stage-order
    g.add_argument("--stage-column", "--stage", dest="stage_column", metavar="COLUMN",
                   help="instead of --stages: one column holding the furthest stage reached")
    g.add_argument("--stage-order", nargs="+", metavar="STAGE",
                   help="with --stage-column: the stages in order, entry stage first")
    g.add_argument("--strata", nargs="+", metavar="COLUMN",
                   help="also compare within these columns (e.g. requisition): Mantel-Haenszel")
    in_process_argument(g)


def in_process_argument(g: argparse._ArgumentGroup) -> None:
    """``--in-process COLUMN=VALUE``: applications still open (the library's ``in_process=``)."""
    g.add_argument("--in-process", dest="in_process", action="append", type=column_value,
                   metavar="COLUMN=VALUE", help="applications still open, left out and counted: "
                   "a column and the value that marks them, e.g. 'Status=Active' (repeat for "
                   "several values)")


def in_process_option(pairs: Sequence[tuple[str, str]] | None) -> dict[str, list[str]] | None:
    """The library's ``in_process=`` from the ``--in-process`` pairs (one column).

    >>> in_process_option([("Status", "Active"), ("Status", "On hold")])
    {'Status': ['Active', 'On hold']}
    """
    if not pairs:
        return None
    columns = list(dict.fromkeys(c for c, _ in pairs))
    if len(columns) > 1:
        raise CLIError(f"--in-process names {len(columns)} columns ({columns}); name one "
                       "column, once per value: --in-process 'Status=Active' --in-process "
                       "'Status=On hold'.")
    return {columns[0]: [v for _, v in pairs]}


def min_share_argument(o: argparse._ArgumentGroup) -> None:
    """``--min-share SHARE``: groups below this share of the applicants are left out."""
    o.add_argument("--min-share", type=share(), metavar="SHARE",
                   help="leave out groups below this share of applicants, e.g. 0.02 or 2%% "
                   "(default: none left out)")


def inconsistent_argument(o: argparse._ArgumentGroup, rows: str, default: str | None) -> None:
    """``--on-inconsistent raise|exclude`` for ``rows`` (what an inconsistent row is)."""
    o.add_argument("--on-inconsistent", type=choice("on_inconsistent", ["raise", "exclude"]),
                   default=default, metavar="{raise,exclude}",
                   help=f"{rows}: stop with an error (raise, the default) or leave them out "
                   "and count them (exclude)")
