"""Errors of the command line and the web app, in their users' words.

The library's messages name Python arguments (``on_inconsistent='exclude'``, ``stages=[...]``);
a command-line user knows flags (``--on-inconsistent exclude``, ``--stages``). Each subcommand
knows which flag stands for which argument, and :func:`flag_words` rewrites a library message
with them, so the CLI and the library share one message and one check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import FairhireError

__all__ = ["EXIT_USAGE", "CLIError", "flag_words", "in_cli_words", "unexpected_message"]

#: Exit status of every usage or input error (as argparse uses for usage errors).
EXIT_USAGE = 2


class CLIError(FairhireError):
    """A usage or input problem reported by the command line (or the web app).

    ``field`` names what the problem concerns ("file", "config", "analysis.2" ...), so the web
    app can show the message next to that field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def unexpected_message(exc: BaseException, how: str = "report the steps that led to it") -> str:
    """The one-line message for an error fairhire did not expect (a bug), without a traceback.

    Examples
    --------
    >>> unexpected_message(KeyError("x"), "run again with --debug and report the traceback")
    "unexpected KeyError: 'x'. This is a bug in fairhire: run again with --debug and report the traceback."
    """
    text = " ".join(str(exc).split()).rstrip(".")
    return f"unexpected {type(exc).__name__}: {text}. This is a bug in fairhire: {how}."


# name=value, where value is quoted text, a list, a dict, or a bare token; or name= alone
_ARGUMENT = re.compile(
    r"(?<![\w.\-/])(?P<name>[a-z_][a-z0-9_]*)="
    r"(?P<value>'[^']*'|\"[^\"]*\"|\[[^\]]*\]|\{[^}]*\}|[^\s,;:)]+)?"
)
_QUOTED_ITEM = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _bare(text: str) -> str:
    return text if text and not any(c.isspace() for c in text) else repr(text)


def _flag_value(value: str | None) -> str:
    """How a Python value of a message reads after a flag."""
    if not value:
        return ""
    if value[0] in "'\"":
        return " " + _bare(value[1:-1])
    if value[0] == "[":
        items = [a or b for a, b in _QUOTED_ITEM.findall(value)]
        inner = value[1:-1].strip()
        if items:
            return " " + " ".join(_bare(i) for i in items)
        return "" if inner in {"", "..."} else f" ({inner})"
    if value[0] == "{":
        return ""
    if value == "None":
        return " none"
    return " " + value.rstrip(".")


def flag_words(message: str, flags: Mapping[str, str]) -> str:
    """Rewrite ``name=value`` in a library message as ``--flag value`` for known names.

    Examples
    --------
    >>> flags = {"on_inconsistent": "--on-inconsistent", "stages": "--stages",
    ...          "category_map": "--category-map FILE or --map LABEL=CATEGORY"}
    >>> flag_words("pass on_inconsistent='exclude' to exclude them.", flags)
    'pass --on-inconsistent exclude to exclude them.'
    >>> flag_words("give the funnel as stages=[boolean columns in funnel order]", flags)
    'give the funnel as --stages (boolean columns in funnel order)'
    >>> flag_words("Map them with category_map={label: category}, or", flags)
    'Map them with --category-map FILE or --map LABEL=CATEGORY, or'
    >>> flag_words("min_n=3 is unknown here", flags)
    'min_n=3 is unknown here'
    >>> flag_words("or pass log=False to model pay", {"log": "--no-log"})
    'or pass --no-log to model pay'
    """

    def replace(match: re.Match[str]) -> str:
        flag = flags.get(match["name"])
        if flag is None:
            return match[0]
        value = match["value"]
        tail = "." if value and value[0] not in "'\"[{" and value.endswith(".") else ""
        if flag.startswith("--no-") and value.rstrip(".") == "False":
            return flag + tail  # a switch: "log=False" is "--no-log"
        return flag + _flag_value(value) + tail

    return _ARGUMENT.sub(replace, message)


#: The library's advice, in the words of someone who writes audits with the command line.
_ADVICE = {
    "Pass a JSON file written by Report.to_json().":
        "Give an audit.json written by a fairhire command with --report DIR.",
    "Pass a file written by Report.to_json().":
        "Give an audit.json written by a fairhire command with --report DIR.",
    "(re-render the older one with Report.to_json)":
        "(run the older audit again with this version of fairhire)",
}


def in_cli_words(exc: FairhireError) -> str:
    """A library message with its advice in the words of someone who uses the command."""
    text = str(exc)
    for library, cli in _ADVICE.items():
        text = text.replace(library, cli)
    return text
