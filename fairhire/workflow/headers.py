"""Where the column names of an export are: the header row, and what stands above it.

HR systems write a title and notes above the column names ("Applicant report", "Generated
2025-05-01"). The first of the first lines that names every requested column is the header;
the lines above it are skipped with a note. A requested column named nowhere is an error that
says what the first line holds and how to fix the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import missing_column_error
from .errors import CLIError

__all__ = [
    "SEPARATORS", "SEP_NAMES", "TITLE_LINES", "check_columns", "guess_header_row", "header_row",
    "names_of", "title_note", "trim_names",
]

#: Separators tried when detecting a CSV file's separator, in order of preference.
SEPARATORS = (",", ";", "\t", "|")
SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
_NUMBER = re.compile(r"^[-+]?[\d.,\s%$€£]+$")
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
        if wanted and wanted <= names_of(row):
            return i
    return None


def names_of(header: Sequence[Any]) -> set[str]:
    """The names a header answers to: each as written and without spaces around it
    (spreadsheets keep the space typed after "Gender ").

    >>> sorted(names_of(["Gender ", "hired"]))
    ['Gender', 'Gender ', 'hired']
    """
    names = {str(v) for v in header}
    return names | {n.strip() for n in names}


def trim_names(frame: pd.DataFrame, name: str, columns: Sequence[str],
               notes: list[str]) -> pd.DataFrame:
    """``frame`` with the spaces around its column names removed, with a note; a name is kept
    as it is when a requested column is spelled with its spaces or the trimmed name is taken.

    >>> notes = []
    >>> trim_names(pd.DataFrame({"Gender ": ["F"], " hired": [1]}), "a.csv", ["Gender"],
    ...            notes).columns.tolist()
    ['Gender', 'hired']
    >>> notes
    ["a.csv: spaces around 2 column names were removed ('Gender ' is read as 'Gender', ' hired' as 'hired')."]
    """
    taken = {str(c) for c in frame.columns}
    renames = {
        c: c.strip() for c in frame.columns
        if isinstance(c, str) and c != c.strip() and c not in columns and c.strip() not in taken
    }
    if len(set(renames.values())) < len(renames):  # "a " and " a": neither is renamed
        return frame
    if renames:
        shown = [f"{old!r} is read as {new!r}" if i == 0 else f"{old!r} as {new!r}"
                 for i, (old, new) in enumerate(renames.items())]
        what = "1 column name" if len(renames) == 1 else f"{len(renames)} column names"
        notes.append(f"{name}: spaces around {what} were removed ({', '.join(shown)}).")
    return frame.rename(columns=renames) if renames else frame


def _filled(value: Any) -> bool:
    return value is not None and value == value and str(value).strip() != ""  # NaN != NaN


def guess_header_row(rows: Sequence[Sequence[Any]]) -> int | None:
    """With no columns asked for (the web app's first look at an upload), the header under
    blank rows or a title (one cell at the start of the first row that is not blank): the first
    row after it that is as wide as most rows, has text in every cell and is followed by a row
    as wide. None when the first row is the header, or when no row looks like one.

    >>> guess_header_row([["Applicant report"], ["Generated 2025-05-01", "by HRIS"], [],
    ...                   ["sex", "hired"], ["F", "yes"], ["M", "no"], ["M", "yes"]])
    3
    >>> guess_header_row([[None, None], ["sex", "hired"], ["F", "yes"], ["M", "no"]])
    1
    >>> guess_header_row([["sex", "hired"], ["F", "yes"], ["M", ""]]) is None
    True
    >>> guess_header_row([["", "sex"], ["0", "F"], ["1", "M"]]) is None
    True
    >>> guess_header_row([["id", "", ""], ["1", "F", "yes"], ["2", "M", "no"]]) is None
    True
    >>> guess_header_row([["Report:", "Applicant Flow"], ["Run date:", "05/01/2025"], [],
    ...                   ["id", "sex", "race", "hired"], ["1", "F", "W", "y"], ["2", "M", "B", "n"]])
    3
    """
    widths = [sum(map(_filled, row)) for row in rows]
    start = next((i for i, w in enumerate(widths) if w), None)
    wide = [w for w in widths[(start or 0) + 1:] if w]
    if start is None or not wide:
        return None
    most = max(set(wide), key=lambda w: (wide.count(w), w))
    if widths[start] == most:  # the header, under blank rows or none
        return start or None
    # a header with a blank first name (",sex,hired", a saved index) is a header, and its
    # first data row no header: only a title above is skipped, of one cell, or of two above a
    # wide table ("Report:,Applicant Flow", as Workday writes it)
    title = widths[start] == 1 or (widths[start] == 2 and most >= 4)
    if most < 2 or not title or not _filled(rows[start][0]):
        return None
    for i in range(start + 1, len(rows) - 1):
        if widths[i] == most == widths[i + 1] and _names(rows[i]):
            return i
    return None


def _names(row: Sequence[Any]) -> bool:
    """Column names: text, none a number, none twice (a row of data is seldom all three)."""
    names = [str(v).strip() for v in row if _filled(v)]
    if not all(isinstance(v, str) for v in row if _filled(v)) or len(set(names)) < len(names):
        return False
    return not any(_NUMBER.match(n) for n in names)


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
    missing = [c for c in columns if c and c not in names_of(header)]
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
