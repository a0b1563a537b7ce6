"""The ``fairhire`` command: run an audit on CSV/Parquet/Excel exports without writing Python.

Every error is one ``fairhire: error: ...`` line on standard error and exit status 2 (``--debug``
shows the traceback). Options are checked before any file is read. Library messages are shown
with the command-line flags (``--on-inconsistent exclude``), not the Python arguments.

One module per subcommand (``impact``, ``ll144``, ``pay``, ``promotion``,
``time_to_promotion``, ``retention``, ``time_to_exit``, ``layoff``, ``monitor``, ``compare``,
``scan``, ``audit``, ``demo``, ``serve``), and :mod:`~fairhire.cli.arguments`, :mod:`~fairhire.cli.output` and
:mod:`~fairhire.cli.console` for the flags they share and what they print. Reading files,
option text, the audit config and its runner are shared with the web app and live below both,
in :mod:`fairhire.workflow`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import FairhireError
from ..workflow.config import load_config, parse_config
from ..workflow.errors import EXIT_USAGE, CLIError, flag_words, unexpected_message
from ..workflow.reading import read_table
from .output import SafeStream, terminal_safe
from .parser import build_parser

__all__ = ["EXIT_USAGE", "CLIError", "build_parser", "load_config", "main", "parse_config",
           "read_table"]


def _one_line(text: Any) -> str:
    """One line, its control characters escaped (messages quote labels from the data)."""
    return terminal_safe(" ".join(str(text).split()))


def _show_warning(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
    kind = "note" if issubclass(category, FutureWarning) else "warning"
    print(f"fairhire: {kind}: {_one_line(message)}", file=sys.stderr)


def _message(exc: Exception, args: Any) -> str:
    if isinstance(exc, CLIError):
        return str(exc)
    if isinstance(exc, FairhireError):
        return flag_words(str(exc), getattr(args, "_flags", {}))
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return str(exc)


def _run(args: Any) -> int:
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # an OSError, but not the user's: handled in main
        raise
    except (FairhireError, OSError) as exc:
        if args.debug:
            raise
        print(f"fairhire: error: {_one_line(_message(exc, args))}", file=sys.stderr)
        return EXIT_USAGE


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit does not fail again
    (the recipe of Python's ``signal`` documentation)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no file descriptor (tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fairhire`` console script; returns the exit status.

    Examples
    --------
    >>> main(["impact", "applicants.csv", "--group", "sex"])  # one error line on stderr
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and --version exit 0 as usual; errors return 2
        if exc.code in (0, None):
            raise
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(SafeStream(sys.stdout)):
            warnings.showwarning = _show_warning
            return _run(args)
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("fairhire: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        how = "run again with --debug and report the traceback"
        print(f"fairhire: error: {_one_line(unexpected_message(exc, how))}", file=sys.stderr)
        return 1
