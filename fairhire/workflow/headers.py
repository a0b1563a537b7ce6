"""Where the column names of an export are: the header row, and what stands above it.

HR systems write a title and notes above the column names ("Applicant report", "Generated
2025-05-01"). The first of the first lines that names every requested column is the header;
the lines above it are skipped with a note. A requested column named nowhere is an error that
says what the first line holds and how to fix the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import missing_column_error
from .errors import CLIError

__all__ = ["SEPARATORS", "SEP_NAMES", "TITLE_LINES", "check_columns", "header_row", "title_note"]

#: Separators tried when detecting a CSV file's separator, in order of preference.
SEPARATORS = (",", ";", "\t", "|")
SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
#: How many lines (or sheet rows) under the first to look for the column names.
TITLE_LINES = 20


def header_row(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> int | None:
    """The first of ``rows`` after the first that names every requested column: an export's
    title and notes above its header ("Applicant report", "Generated 2025-05-01").

    >>> header_row([["Applicant report"], [], ["sex", "hired", "age"]], ["sex", "hired"])
    2
    >>> header_row([["Applicant report"], ["sex"]], ["sex", "hired"]) is None
    True
    """
    wanted = {c for c in columns if c}
    for i, row in enumerate(rows[1:TITLE_LINES + 1], start=1):
        if wanted and wanted <= {str(v) for v in row}:
            return i
    return None


def title_note(name: str, line: int, what: str) -> str:
    """The note on ``line`` lines (or sheet rows) skipped above the column names.

    >>> title_note("a.csv", 3, "line")
    'a.csv: the column names are on line 4; the 3 lines above them were skipped (a title or notes, not data).'
    """
    above = f"the {what} above them was" if line == 1 else f"the {line} {what}s above them were"
    return (f"{name}: the column names are on {what} {line + 1}; {above} skipped (a title or "
            "notes, not data).")


def check_columns(name: str, header: Sequence[Any], columns: Sequence[str], sep: str) -> None:
    """A :class:`CLIError` naming the requested columns the header lacks, with the likely cause
    (another separator, a title line); nothing when every one is there."""
    missing = [c for c in columns if c and c not in set(header)]
    if not missing:
        return
    message = f"{name}: {missing_column_error(missing, [str(h) for h in header])}"
    if len(header) == 1:
        others = [s for s in SEPARATORS if s != sep and s in str(header[0])]
        if others:
            message += (
                f" The header looks {SEP_NAMES[others[0]]}-separated: pass --sep "
                f"{others[0]!r} (the file was read with --sep {sep!r})."
            )
        else:  # a title line ("Applicant report 2025") above the column names
            message += (" The first line holds a single column: if the column names are on a "
                        "later line, delete the lines above them and export again.")
    raise CLIError(message)
