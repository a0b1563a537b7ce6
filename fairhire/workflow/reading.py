"""Reading the files HR systems export: CSV (any common separator), Parquet, Excel, plain text.

Real exports are messy. Every problem becomes one :class:`~fairhire.workflow.errors.CLIError` that
names the file and says what to do: a 0-byte file, a header without rows, an unterminated
quote, a binary file given as text, a sheet that does not exist. The separator of a CSV file
(comma, semicolon, tab or bar) is detected from its first lines unless ``sep`` is given. The
command line reads files by path; the web app reads uploads from memory with the same code.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .documents import document_kind, docx_text, refused
from .errors import CLIError
from .excel import read_excel
from .headers import (
    SEP_NAMES,
    SEPARATORS,
    TITLE_LINES,
    check_columns,
    guess_header_row,
    header_row,
    names_of,
    title_note,
    trim_names,
)
from .numbers import (
    decimal_point_seen,
    dotted_numbers,
    missing_markers,
    percent_numbers,
    text_numbers,
)

__all__ = [
    "SEPARATORS",
    "TABLE_SUFFIXES",
    "decode_text",
    "read_table",
    "read_text",
    "sniff_separator",
    "table_kind",
]

#: File suffix -> kind of table.
TABLE_SUFFIXES = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
}

_HEAD_BYTES = 64 * 1024
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))

Source = str | Path | bytes


def table_kind(name: str, head: bytes = b"") -> str:
    """The kind of a table file ("csv", "parquet" or "excel") from its name or first bytes.

    Examples
    --------
    >>> table_kind("export.TSV"), table_kind("upload", b"PAR1...")
    ('csv', 'parquet')
    """
    kind = TABLE_SUFFIXES.get(Path(name).suffix.lower())
    if kind:
        return kind
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "excel"
    return "csv"


def _head(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source[:_HEAD_BYTES]
    with open(source, "rb") as fh:
        return fh.read(_HEAD_BYTES)


def _looks_binary(head: bytes) -> bool:
    """NUL bytes, or many control characters: not a text file."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(head) // 20)


def decode_text(data: bytes, name: str, *, notes: list[str] | None = None) -> str:
    """Bytes of a text file as text: a byte-order mark wins, then UTF-8, then Windows-1252.

    Examples
    --------
    >>> decode_text("Café".encode("cp1252"), "ad.txt", notes=(n := []))
    'Café'
    >>> n
    ['ad.txt is not UTF-8; read it as Windows-1252 (Western European).']
    >>> decode_text(b"\\x00\\x01binary", "logo.png")
    Traceback (most recent call last):
    ...
    fairhire.workflow.errors.CLIError: logo.png is not a text file (it holds binary data). ...
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if _looks_binary(data[:_HEAD_BYTES]):
        raise CLIError(
            f"{name} is not a text file (it holds binary data). Give plain-text files "
            "(.txt, .md) saved as UTF-8, or a CSV/Parquet/Excel file with --column."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if notes is not None:
            notes.append(f"{name} is not UTF-8; read it as Windows-1252 (Western European).")
        return data.decode("cp1252", errors="replace")


def read_text(source: Source, *, name: str | None = None, notes: list[str] | None = None) -> str:
    """The text of a file (or of uploaded bytes): a Word document's (.docx) text, or the bytes
    decoded; a PDF, an old .doc and other binary content are errors that say what to do."""
    name = name or str(source)
    data = source if isinstance(source, bytes) else _read_bytes(Path(source))
    kind = document_kind(data)
    if kind == "docx":
        return docx_text(data, name)
    if kind is not None:
        raise refused(kind, name)
    return decode_text(data, name, notes=notes)


def _check_path(path: Path) -> None:
    if not path.exists():
        raise CLIError(f"file not found: {path}. Check the path (relative to where you run it).")
    if path.is_dir():
        raise CLIError(f"{path} is a folder; give a file.")


def _read_bytes(path: Path) -> bytes:
    _check_path(path)
    return path.read_bytes()


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines of a CSV text into the same number of fields.

    Examples
    --------
    >>> sniff_separator("sex;screened;hired\\nF;1;0\\n"), sniff_separator("a,b\\n1,2\\n")
    (';', ',')
    >>> sniff_separator("name\\tnote\\nAna\\t\\"a, b; c\\"\\n")
    '\\t'
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a head may be cut in the middle
    best, best_score = ",", 1
    for sep in SEPARATORS:
        widths = [len(row) for row in csv.reader(lines, delimiter=sep)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width > best_score and widths[0] == width and count >= 0.8 * len(widths):
            best, best_score = sep, width
    return best


def _csv_encoding(head: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if _looks_binary(head):
        raise CLIError(
            f"{name} is not a CSV text file (it holds binary data). Export the data as CSV, "
            "Parquet or Excel (.xlsx)."
        )
    return "utf-8"


def _parser_error(name: str, exc: Exception, sep: str) -> CLIError:
    text = str(exc)
    found = re.search(r"EOF inside string starting at row (\d+)", text)
    if found:
        return CLIError(
            f"{name}: a quoted value that starts on line {int(found[1]) + 1} is never closed "
            "(an opening \" without its closing \"). Fix that line: enclose a value that "
            "contains the separator in quotes, and write a quote inside a value twice (\"\")."
        )
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        return CLIError(
            f"{name}: line {found[2]} has {found[3]} values but the header has {found[1]} "
            f"(separator: {SEP_NAMES.get(sep, repr(sep))}). Quote values that contain the "
            "separator, or give the right one with --sep."
        )
    return CLIError(f"{name} could not be read as CSV: {text}")


_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*$')


def _sep_line(text: str) -> str | None:
    """The separator an Excel ``sep=;`` first line names, or None."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    found = _SEP_LINE.match(first)
    return found[1] if found else None


def _header_fields(text: str, sep: str, skip: int) -> list[str]:
    """The header's names as written (pandas renames a repeated name ``x.1`` silently)."""
    # newline=None: lines may end in \r\n, \n or (classic Mac) \r, as pandas reads them
    lines = (line for i, line in enumerate(io.StringIO(text.lstrip("\ufeff"), newline=None))
             if i >= skip)
    try:
        return next((row for row in csv.reader(lines, delimiter=sep) if row), [])
    except csv.Error:  # pandas read the file; the check of repeated names is only a courtesy
        return []


def _csv_rows(text: str, sep: str, skip: int) -> list[list[str]]:
    """The first lines after ``skip``, each split on ``sep`` (a line it cannot split: [])."""
    lines = io.StringIO(text, newline=None).readlines()[skip:skip + TITLE_LINES + 1]
    rows = []
    for line in lines:
        try:
            rows.append(next(csv.reader([line], delimiter=sep), []))
        except csv.Error:
            rows.append([])
    return rows


def _title_lines(text: str, sep: str, skip: int, header: Sequence[Any],
                 columns: Sequence[str], look_for: Sequence[str] = ()) -> int | None:
    """How many lines above the column names to skip: the lines above the one naming every
    requested column, or, with none requested, above the one naming every column looked for
    (an audit config's), else above the row a header looks like."""
    wanted = columns or look_for
    if wanted and set(wanted) <= names_of(header) | {""}:
        return None
    rows = _csv_rows(text, sep, skip)
    if columns:
        return header_row(rows, columns)
    found = header_row(rows, look_for) if look_for else None
    return guess_header_row(rows) if found is None else found


def _repeated_names(name: str, header: Sequence[str], columns: Sequence[str],
                    notes: list[str]) -> None:
    """A requested column named more than once is ambiguous: an error; other repeats, a note."""
    positions: dict[str, list[int]] = {}
    for i, field in enumerate(header, start=1):
        positions.setdefault(field, []).append(i)
    for field, where in positions.items():
        if len(where) < 2:
            continue
        if field in columns:
            shown = ", ".join(map(str, where[:-1])) + f" and {where[-1]}"
            raise CLIError(
                f"{name}: the header names {len(where)} columns {field!r} (columns {shown}), "
                "so which one to read is unclear. Rename them in the export so that each name "
                "appears once."
            )
        renamed = ", ".join(repr(f"{field}.{k}") for k in range(1, len(where)))
        notes.append(f"{name}: column {field!r} appears {len(where)} times; the later ones are "
                     f"read as {renamed}.")


def _read_csv(
    source: Source, name: str, columns: Sequence[str], sep: str | None, notes: list[str],
    look_for: Sequence[str] = (),
) -> pd.DataFrame:
    head = _head(source)
    encoding = _csv_encoding(head, name)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    named = _sep_line(text)
    skip = 1 if named else 0
    if sep is None and named:
        sep = named
        notes.append(f"{name}: values are separated by {SEP_NAMES.get(sep, repr(sep))}s "
                     f"(its first line, sep={sep}, says so).")
    elif sep is None:
        sep = sniff_separator(text)
        if sep != ",":
            notes.append(f"{name}: values are separated by {SEP_NAMES[sep]}s.")

    def read(**kwargs: Any) -> pd.DataFrame:
        buffer = io.BytesIO(source) if isinstance(source, bytes) else source
        return pd.read_csv(buffer, sep=sep, skiprows=skip, keep_default_na=False,
                           na_values=[""], **kwargs)

    options: dict[str, Any] = {"encoding": encoding}
    try:
        try:
            header = read(nrows=0, **options).columns
            line = _title_lines(text, sep, skip, header, columns, look_for)
            if line is not None:
                notes.append(title_note(name, line, "line"))
                skip += line
                header = read(nrows=0, **options).columns
            check_columns(name, header, columns, sep)
            frame = read(**options)
        except UnicodeDecodeError:
            notes.append(f"{name} is not UTF-8; read it as Windows-1252 (Western European).")
            # the five bytes Windows-1252 leaves undefined become U+FFFD, as in decode_text
            options = {"encoding": "cp1252", "encoding_errors": "replace"}
            frame = read(**options)
        if not isinstance(frame.index, pd.RangeIndex):
            frame = _one_value_more(frame, name, sep, notes,
                                    lambda: read(index_col=False, **options))
    except pd.errors.EmptyDataError:
        raise CLIError(f"{name} has no header row: it holds no column names.") from None
    except pd.errors.ParserError as exc:
        raise _parser_error(name, exc, sep) from None
    _repeated_names(name, _header_fields(text, sep, skip), columns, notes)
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    if sep in {";", "\t"} and floats and isinstance(frame.index, pd.RangeIndex):
        # a decimal comma's file: "45.000" may be 45000, which pandas read as 45.0
        floats = _dotted_columns(text, sep, skip, floats)
    if sep in {";", "\t"} and floats and isinstance(frame.index, pd.RangeIndex):
        try:
            raw = read(usecols=floats, dtype=str, index_col=False, **options)
        except ValueError:  # names pandas made up ("x.1" for a repeated "x"): not checked
            raw = pd.DataFrame()
        frame = dotted_numbers(frame, raw, name, notes)
    # numbers first: "N/A" among "$52,000" cells is a missing number, not a label
    frame = percent_numbers(text_numbers(frame, name, sep, notes), name, notes)
    return missing_markers(frame, name, notes)


def _dotted_columns(text: str, sep: str, skip: int, floats: list[Any]) -> list[Any]:
    """The columns of ``floats`` whose values in the file's first lines show no decimal point
    for certain ("3.5", "33680.0"): only these may write thousands as "45.000", and are read
    again as text to tell (a file written with decimal points costs no second read)."""
    try:
        head = pd.read_csv(io.StringIO(text), sep=sep, skiprows=skip, dtype=str,
                           keep_default_na=False, na_values=[""], index_col=False,
                           on_bad_lines="skip").iloc[:-1]  # the last line may be cut
    except (pd.errors.ParserError, ValueError):
        return floats
    return [c for c in floats if c not in head.columns or not decimal_point_seen(head[c])]


def _one_value_more(frame: pd.DataFrame, name: str, sep: str, notes: list[str],
                    reread: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Every data row has one value more than the header. pandas then makes the first column
    the index and shifts every other one; read the file again without the empty last value,
    or stop if that value is not empty (a name is missing from the header)."""
    width = frame.shape[1]
    if frame.iloc[:, -1].isna().all():  # a separator ending every row (some exports do)
        notes.append(f"{name}: every row ends with a separator ({SEP_NAMES.get(sep, sep)}) "
                     "after its last value; the empty value after it was ignored.")
        return reread()
    raise CLIError(
        f"{name}: every data row has {width + 1} values but the header names {width} "
        f"columns: a column name is missing from the header. Add it, or remove the extra "
        "values, and export again."
    )


_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx (zip), .xls (OLE2)


def _saved_as_excel(head: bytes, name: str, notes: list[str]) -> str:
    """The kind of a file named as a workbook: "excel", or "csv" for the tab- or
    comma-separated text many HR systems' "Export to Excel" writes under an .xls name. Their
    web-page (HTML) exports are an error that says how to save them."""
    if head.startswith(_WORKBOOKS) or (_looks_binary(head) and
                                       not head.startswith(tuple(b for b, _ in _BOMS))):
        return "excel"
    text = head.decode(_csv_encoding(head, name), errors="replace").lstrip("\ufeff \t\r\n")
    text = text.lower()
    if text.startswith("<") and ("<table" in text or "<html" in text):
        raise CLIError(
            f"{name} is a web page (an HTML table) saved with an Excel name, as some HR "
            "systems export to Excel. Open it in Excel and save it as an Excel workbook "
            "(.xlsx) or CSV, then read that file."
        )
    notes.append(f"{name} is text, not an Excel workbook (as some HR systems export to "
                 "Excel); read it as CSV.")
    return "csv"


def _read_parquet(source: Source, name: str, columns: Sequence[str]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        header = pq.read_schema(buffer).names
        check_columns(name, header, columns, ",")
        if isinstance(buffer, io.BytesIO):
            buffer.seek(0)
        return pq.read_table(buffer).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise CLIError(f"{name} is not a readable Parquet file: {exc}") from None


def read_table(
    source: Source,
    *,
    name: str | None = None,
    columns: Sequence[str] = (),
    sheet: str | None = None,
    sep: str | None = None,
    notes: list[str] | None = None,
    look_for: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file (a path, or uploaded bytes named ``name``).

    ``columns`` are checked against the header before the whole file is read. ``look_for``
    (an audit config's columns) only finds the header under a title, or the sheet, as
    ``columns`` do; a name missing from the file is left for the analysis to report. A file
    with a header but no rows is an error. Notes about how the file was read (the separator found, a
    non-UTF-8 encoding) are appended to ``notes``.

    Examples
    --------
    >>> read_table(b"sex;hired\\nF;yes\\nM;no\\n", name="export.csv").shape
    (2, 2)
    >>> read_table(b"sex,hired\\n", name="export.csv")
    Traceback (most recent call last):
    ...
    fairhire.workflow.errors.CLIError: export.csv has a header row (sex, hired) but no data rows: ...
    """
    notes = [] if notes is None else notes
    if sep is not None and len(sep) != 1:
        raise CLIError(f"the CSV separator {sep!r} must be one character, e.g. ',', ';', '|' "
                       "or a tab ('\\t' or 'tab' after --sep).")
    if isinstance(source, bytes):
        name = name or "upload"
    else:
        path = Path(source)
        name = name or str(path)
        _check_path(path)
        if path.suffix.lower() not in TABLE_SUFFIXES:
            raise CLIError(
                f"{path}: unsupported file type {path.suffix!r}; use .csv, .tsv, .parquet "
                "or .xlsx."
            )
    head = _head(source)
    if not head.strip():
        raise CLIError(
            f"{name} is empty ({len(head)} bytes). Export the data again: a header row with "
            "the column names, then one row per person."
        )
    kind = table_kind(name, head[:8])
    if kind == "excel":
        kind = _saved_as_excel(head, name, notes)
    if kind == "parquet":
        frame = _read_parquet(source, name, columns)
    elif kind == "excel":
        frame = read_excel(source, name, columns, sheet, notes, look_for)
    else:
        frame = _read_csv(source, name, columns, sep, notes, look_for)
    frame = trim_names(frame, name, columns, notes)
    if len(frame) == 0:
        shown = ", ".join(map(str, frame.columns[:8])) + (", ..." if frame.shape[1] > 8 else "")
        raise CLIError(
            f"{name} has a header row ({shown}) but no data rows: nothing to analyse. "
            "Export the data again with one row per person."
        )
    return frame
