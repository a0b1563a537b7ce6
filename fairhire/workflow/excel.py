"""Excel workbooks: the sheet that holds the requested columns, read as a CSV would be.

Only empty cells are missing, as in a CSV. The first sheet is read unless a sheet is named;
when the first sheet does not name the columns (a cover or README sheet) and exactly one other
sheet does, that one is read, with a note. A title above the header is skipped, with a note.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from . import headers
from .errors import CLIError
from .numbers import missing_markers

__all__ = ["read_excel"]


def read_excel(
    source: bytes | Any, name: str, columns: Sequence[str], sheet: str | None, notes: list[str],
    look_for: Sequence[str] = (),
) -> pd.DataFrame:
    """The sheet of a workbook (a path or its bytes) that holds ``columns`` (or, with none
    required, ``look_for``: an audit config's columns), missing markers read as
    :func:`~fairhire.workflow.numbers.missing_markers` reads them; notes on a title skipped or
    another sheet read go to ``notes``."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise CLIError(
            f"{name} is an Excel file and reading it needs openpyxl: "
            "pip install 'fairhire[excel]' (or save the sheet as CSV)."
        ) from None
    buffer = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        # only empty cells are missing, as in a CSV: pandas' default would read a cell holding
        # the text "None" or "N/A" (a disability or sex answer) as missing
        frame = pd.read_excel(buffer, sheet_name=sheet or 0, keep_default_na=False,
                              na_values=[""])
    except ValueError as exc:  # a missing sheet, a damaged workbook
        raise CLIError(f"{name}: {exc}") from None
    except ImportError:  # an Excel 97-2003 workbook (.xls): pandas reads it with xlrd
        raise CLIError(
            f"{name} is an Excel 97-2003 workbook (.xls), which needs the xlrd package: "
            "pip install xlrd, or open it in Excel and save it as .xlsx or CSV."
        ) from None
    except Exception as exc:  # zip or XML errors from a file that is not a workbook
        raise CLIError(f"{name} is not a readable Excel workbook ({type(exc).__name__}).") from None
    wanted = columns or look_for
    if _look_further(frame, wanted):
        found = _find_columns(frame, buffer, name, wanted, sheet, notes)
        if found is frame and not columns and _look_further(frame, ()):
            found = _find_columns(frame, buffer, name, (), sheet, notes)  # as if none named
        frame = found
    headers.check_columns(name, frame.columns, columns, ",")
    return missing_markers(frame, name, notes)


def _look_further(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """Whether the header may be lower down or on another sheet: a requested column is not in
    the first row, or (none requested) that row has a blank cell or only one, as a title row
    has. A first row of names only is the header: the sheet is not read a second time."""
    if columns:
        return not set(columns) <= headers.names_of(frame.columns) | {""}
    names = [str(c) for c in frame.columns]
    return len(names) < 2 or any(n.startswith("Unnamed: ") for n in names)


def _excel_reader(buffer: Any, sheet: str | int) -> Callable[..., pd.DataFrame]:
    def read(**kwargs: Any) -> pd.DataFrame:
        if isinstance(buffer, io.BytesIO):
            buffer.seek(0)
        return pd.read_excel(buffer, sheet_name=sheet, keep_default_na=False, na_values=[""],
                             **kwargs)
    return read


def _header_in_sheet(read: Callable[..., pd.DataFrame], columns: Sequence[str]) -> int | None:
    """The row naming every requested column among a sheet's first rows, counted as pandas
    counts rows for ``header=`` (so the row found is the one it reads); None if no row does."""
    top = read(header=None, nrows=headers.TITLE_LINES + 1)
    if not columns:  # pandas' row 0 is the sheet's first row here: no placeholder needed
        return headers.guess_header_row(list(top.itertuples(index=False)))
    above = headers.header_row([[], *top.itertuples(index=False)], columns)
    return None if above is None else above - 1


def _find_columns(frame: pd.DataFrame, buffer: Any, name: str, columns: Sequence[str],
                  sheet: str | None, notes: list[str]) -> pd.DataFrame:
    """The requested columns under a title on the sheet, or, with no sheet named, on the one
    other sheet that has them (a workbook whose first sheet says what it holds); else
    ``frame`` as it is, and the caller says what is missing."""
    read = _excel_reader(buffer, sheet or 0)
    row = _header_in_sheet(read, columns)
    if row:
        notes.append(headers.title_note(name, row, "row"))
        return read(header=row)
    if sheet is not None or not columns:
        return frame
    if isinstance(buffer, io.BytesIO):
        buffer.seek(0)
    names = pd.ExcelFile(buffer).sheet_names
    found = [(s, r) for s in names[1:]
             if (r := _header_in_sheet(_excel_reader(buffer, s), columns)) is not None]
    if len(found) > 1:
        raise CLIError(f"{name}: the columns are on several sheets ("
                       f"{', '.join(repr(s) for s, _ in found)}): pass --sheet NAME to choose.")
    if not found:
        return frame
    other, row = found[0]
    notes.append(f"{name}: read sheet {other!r}, the one that names the columns (the first, "
                 f"{names[0]!r}, does not); pass --sheet to choose another.")
    if row:
        notes.append(headers.title_note(f"{name}, sheet {other!r}", row, "row"))
    return _excel_reader(buffer, other)(header=row)
