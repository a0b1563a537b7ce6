"""What spreadsheets and R save as text: missing markers, decimal commas, thousands separators.

Only empty cells are missing when a file is read (the library's rule: text is missing only when
it is blank). Markers such as ``NA``, ``#N/A`` or ``None``, and a spreadsheet formula's errors
(``#VALUE!``, ``#DIV/0!``), are read as missing only in a column whose other values are all
numbers, all yes/no or all dates or calendar periods (an HRIS writes "N/A" for the termination
date of someone still employed), where they cannot mean anything else; in a label column they are labels
(a disability column answers "None"), with a note on how to count them as unknown.

A European spreadsheet saves ``48.250,50`` in a ``;``-separated file; an American one saves a
cell formatted with thousands separators as ``"48,250.50"`` in a comma-separated file. pandas
reads both as text, and an analysis then stops ("pay must be numeric"). A text column that holds
only numbers written one of these ways is read as numbers, with a note saying so; a column with
any other text is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .._core.calendar import calendar_positions
from .._core.dates import date_text, not_dates
from .._core.flags import flag_of
from .._core.missing import MISSING_MARKERS
from .._core.numbers import CURRENCY_SIGNS, THOUSANDS_SUFFIX, UNREAD_SUFFIX
from ..errors import InvalidValueError

__all__ = ["MISSING_MARKERS", "decimal_point_seen", "dotted_numbers", "forget_markers", "marked_missing", "missing_markers",
           "percent_numbers", "text_numbers"]

#: ``DataFrame.attrs`` key: column position -> the rows whose marker ("N/A") was read as
#: missing (a packed boolean mask).
_MARKED = "fairhire_markers_read_as_missing"


# 1234,5  -1.234.567,89: a comma before the decimals; dots, if any, group thousands
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
# 1,234  -1,234,567.89: commas group thousands (groups of three digits), a dot before decimals
_THOUSANDS = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# 61,879: either reading fits (a decimal comma with three decimals, or thousands)
_EITHER = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")
# 45.000: the same in a comma-separated file (a decimal point with three decimals, or
# thousands written with dots, as a euro amount "45.000 €" often is)
_EITHER_POINT = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
#: Currencies whose countries write a decimal point: "£61,879" groups thousands in any file.
_POINT_CURRENCIES = frozenset("$£¥₹")
# 33 680,00: a space groups thousands, as French, Nordic and Polish spreadsheets write an
# amount (a no-break space U+00A0, or the narrow one U+202F, in Excel's and Sheets' exports);
# a space cannot be the decimal mark, so the mark after the groups is never in doubt
_SPACES = "[ \u00a0\u202f\u2009]"
_SPACE_GROUPS = re.compile(rf"^[+-]?[1-9]\d{{0,2}}({_SPACES})\d{{3}}(\1\d{{3}})*([.,]\d+)?$")


def _text_columns(frame: pd.DataFrame) -> list[Any]:
    return [c for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def _all_flags(values: pd.Series) -> bool:
    return all(flag_of(v) is True or flag_of(v) is False for v in values.unique())


def _all_dates(values: pd.Series) -> bool:
    """Whether every value is a date as the shared date rule reads them ("2025-03-14",
    "03/14/2025") or a calendar period as the shared rule reads period labels ("Q1 2025",
    "2025-01"), so that a missing marker beside them can only mean "no date"."""
    text = date_text(pd.Series(values.unique(), dtype=object))
    # every date has a digit: a label column ("None", "Female") is no date without parsing it
    if not len(text) or not all(any(c.isdigit() for c in v) for v in text):
        return False
    try:
        if calendar_positions(text.tolist(), "") is not None:
            return True
    except InvalidValueError:  # two spellings of one period: calendar labels all the same
        return True
    return not not_dates(text)


def missing_markers(frame: pd.DataFrame, name: str, notes: list[str]) -> pd.DataFrame:
    """Missing markers read as missing in number, yes/no and date columns, kept in label
    columns.

    Examples
    --------
    >>> t = pd.DataFrame({"pay": ["50000", "NA"], "hired": ["yes", "N/A"], "dis": ["None", "x"]})
    >>> out = missing_markers(t, "a.csv", n := [])
    >>> out["pay"].tolist(), out["hired"].tolist(), out["dis"].tolist()
    ([50000.0, nan], ['yes', nan], ['None', 'x'])
    >>> missing_markers(pd.DataFrame({"pay": ["5", "#N/A", "#DIV/0!"]}), "a.csv", n := [])["pay"].tolist(), n
    ([5.0, nan, nan], ["a.csv: column 'pay': '#N/A' (1), '#DIV/0!' (1) read as missing."])
    """
    converted, rows = {}, {}
    for column in _text_columns(frame):
        series = frame[column]
        values = series.dropna()
        marked = values.isin(MISSING_MARKERS)
        if not marked.any():
            continue
        rest = values[~marked]
        counts = values[marked].value_counts()
        shown = ", ".join(f"{m!r} ({k})" for m, k in counts.items())
        numbers = pd.to_numeric(rest, errors="coerce")
        if numbers.notna().all() or _all_flags(rest) or _all_dates(rest):
            cleaned = series.mask(series.isin(MISSING_MARKERS))
            converted[column] = pd.to_numeric(cleaned) if numbers.notna().all() else cleaned
            # bytes: pandas compares and copies attrs (concat), which an array would break
            rows[list(frame.columns).index(column)] = np.packbits(
                series.isin(MISSING_MARKERS).to_numpy()).tobytes()
            notes.append(f"{name}: column {column!r}: {shown} read as missing.")
        else:
            first = str(counts.index[0])
            notes.append(f"{name}: column {column!r} holds {shown} as a label, not as missing; "
                         f"to count those rows as unknown, pass --unknown-label {first} "
                         f"(unknown_labels = [{first!r}] in an audit config).")
    if not converted:
        return frame
    out = frame.assign(**converted)
    # by position, which renaming a column keeps: blanks_as_no reads only blanks as "no"
    out.attrs[_MARKED] = {**frame.attrs.get(_MARKED, {}), **rows}
    return out


def marked_missing(frame: pd.DataFrame, column: Any) -> np.ndarray:
    """Which cells of ``column`` were a missing marker ("N/A", "#N/A"), not blank, in the file
    :func:`missing_markers` read (a boolean array; all False for other frames).

    Examples
    --------
    >>> read = missing_markers(pd.DataFrame({"hired": ["yes", "N/A", None]}), "a.csv", [])
    >>> marked_missing(read, "hired").tolist()
    [False, True, False]
    """
    rows = frame.attrs.get(_MARKED, {}).get(list(frame.columns).index(column))
    if rows is None:
        return np.zeros(len(frame), dtype=bool)
    return np.unpackbits(np.frombuffer(rows, dtype=np.uint8), count=len(frame)).astype(bool)


def forget_markers(frame: Any) -> Any:
    """``frame`` without the record :func:`marked_missing` reads, once the blanks are read:
    pandas copies a frame's attrs in every operation, which an analysis would pay for."""
    if not isinstance(frame, pd.DataFrame) or _MARKED not in frame.attrs:
        return frame
    out = frame.copy(deep=False)
    del out.attrs[_MARKED]
    return out


def _decimal_comma(text: pd.Series) -> pd.Series:
    return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)


def _thousands(text: pd.Series) -> pd.Series:
    return text.str.replace(",", "", regex=False)


#: How a column is read, with a decimal comma (``european``) or not: the pattern every value
#: must fit, the conversion to Python's number text, and how a note names it
_READINGS = {True: (_DECIMAL_COMMA, _decimal_comma, "a decimal comma"),
             False: (_THOUSANDS, _thousands, "thousands separators")}


# an optional currency symbol before or after the number ("$75,000.00", "48.250,50 €"), and
# a minus before the symbol, as spreadsheets write a negative amount ("-$1,200.00")
_SIGN = f"[{re.escape(CURRENCY_SIGNS)}]"
_CURRENCY = rf"^(-?)\s*({_SIGN}?)\s*(.*?)\s*({_SIGN}?)$"
# an accounting format's negative amount: "($800.00)"
_PARENTHESES = rf"^\(\s*({_SIGN}[^()]*|[^()]*{_SIGN})\s*\)$"


def _split_currency(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The currency symbol of each value ("" for none) and the number's text, signed
    ("-$1,200.00" and "($1,200.00)" are -1,200.00)."""
    # DOTALL: a free-text cell with a line break ("Strong candidate.\nCall back") is text,
    # not a non-match (NaN), which the checks after this cannot read
    parts = text.str.replace(_PARENTHESES, r"-\1", regex=True).str.extract(_CURRENCY,
                                                                           flags=re.DOTALL)
    symbols = parts[1].fillna("") + parts[3].fillna("")
    return symbols, (parts[0].fillna("") + parts[2]).where(parts[2].notna())


def _decimal_comma_shown(numbers: pd.Series) -> bool:
    """Whether a column's numbers show a decimal comma after spaces between thousands
    ("33 680,00", as a French export writes an amount, quoted in a comma-separated file) and
    no dot: read with a decimal comma in any file. A comma alone ("12,34") may be a list in a
    comma-separated file: no evidence.

    >>> _decimal_comma_shown(pd.Series(["33\u202f680,00", "980,25"])), _decimal_comma_shown(
    ...     pd.Series(["12,34", "5,6"]))
    (True, False)
    """
    return not numbers.str.contains(".", regex=False).any() and bool(
        numbers.map(lambda v: "," in v and bool(_SPACE_GROUPS.match(v))).any())


def _space_groups(numbers: pd.Series, european: bool) -> tuple[pd.Series, pd.Series]:
    """``numbers`` with the spaces that group thousands ("33 680,00") written as the file's
    own thousands separator ("33.680,00" in a ``;``-separated file, "33,680.00" in a
    comma-separated one), and which values had them. A value whose decimal mark is not the
    one ``european`` says ("33 680.00" with ``european``) is left as it is: it stays text."""
    other = "." if european else ","
    spaced = numbers.map(lambda v: isinstance(v, str) and bool(_SPACE_GROUPS.match(v))
                         and other not in v).astype(bool)
    if not spaced.any():
        return numbers, spaced
    written = numbers[spaced].str.replace(_SPACES, other, regex=True)
    return numbers.where(~spaced, written), spaced


def _thousands_suffix(numbers: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The numbers' text without a thousands suffix ("45k" -> "45"), and where one was."""
    parts = numbers.str.extract(THOUSANDS_SUFFIX)["number"]
    suffixed = parts.notna() & numbers.notna()
    return parts.where(suffixed, numbers), suffixed


def _unread_note(name: str, column: Any, series: pd.Series, values: pd.Series,
                 unread: pd.Series) -> str:
    """A column of amounts with cells such as "$1.2m": which cells (value, count, first
    rows), and why the column stays text rather than be guessed at."""
    odd = values[unread.to_numpy()].tolist()
    text = series.astype("string").str.strip()
    shown = []
    for value in odd[:3]:
        rows = [int(r) for r in (text == value).fillna(False).to_numpy().nonzero()[0]]
        # "row 5, row 6": a report's min_cell leaves a row number alone, not a bare number
        at = ", ".join(f"row {r}" for r in rows[:3]) + (", ..." if len(rows) > 3 else "")
        shown.append(f"{value!r} ({at})")
    more = f" and {len(odd) - 3:,} other values" if len(odd) > 3 else ""
    read = values[~unread.to_numpy()]
    held = f"amounts such as {read.iloc[0]!r} but also " if len(read) else "amounts "
    return (f"{name}: column {column!r} holds {held}{', '.join(shown)}{more} "
            "(row 0 is the first row under the header), whose suffix is not read: "
            "'m' is a million to some and a month or minutes to others. The column was left "
            "as text rather than guess; write those amounts in full (1200000), and read the "
            "file again. A thousands suffix ('45k') is read.")


def _ambiguous(numbers: pd.Series, with_mark: pd.Series, mark: str = ",") -> bool:
    """Every ``mark`` (a comma; a dot in a comma-separated file) could group thousands and
    nothing else shows it is the decimal mark: no other mark, no mark followed by other than
    three digits, no "0" before it."""
    other = "." if mark == "," else ","
    either = _EITHER if mark == "," else _EITHER_POINT
    return bool(with_mark.any()) and not numbers.str.contains(other, regex=False).any() and \
        bool(numbers[with_mark].map(lambda v: bool(either.match(v))).all())


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def _read_as(example: str, read: pd.Series, series: pd.Series) -> str:
    """ " read as 45,000" for an example with a thousands suffix ("£45k"), else ""."""
    if not THOUSANDS_SUFFIX.match(example):
        return ""
    at = (series.astype("string").str.strip() == example).fillna(False).to_numpy().nonzero()[0]
    return f" read as {read.iloc[at[0]]:,.10g}"


def _unread_suffix(numbers: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    """Where a number's text is an amount with a suffix that is not read ("1.2m")."""
    parts = numbers.str.extract(UNREAD_SUFFIX)["number"]
    fits = [isinstance(v, str) and bool(pattern.match(v)) for v in parts]
    return pd.Series(fits, index=numbers.index, dtype=bool)


def _ambiguity_note(name: str, column: Any, example: str, mark: str = ",",
                    fix: str = "with a decimal point") -> str:
    number = _split_currency(pd.Series([example]))[1].iloc[0]
    whole, decimals = number.replace(mark, ""), number.replace(mark, ".", 1)
    point = "a decimal comma" if mark == "," else "a decimal point"
    return (f"{name}: column {column!r} has numbers such as {example!r}, which read as "
            f"{whole} with a thousands separator or as {decimals} with {point}; left "
            "as text rather than guess. Export the column without thousands separators (or "
            f"{fix}) and read the file again.")


def decimal_point_seen(values: pd.Series) -> bool:
    """Whether a value of ``values`` (text) has a dot that cannot group thousands: "3.5",
    "0.875", "33680.0".

    >>> decimal_point_seen(pd.Series(["45.000", "980"])), decimal_point_seen(pd.Series(["3.5"]))
    (False, True)
    """
    text = values.dropna().astype(str).str.strip()
    dotted = text[text.str.contains(".", regex=False)]
    return not dotted.map(lambda v: bool(_EITHER_POINT.match(v))).all()


def dotted_numbers(frame: pd.DataFrame, raw: pd.DataFrame, name: str,
                   notes: list[str]) -> pd.DataFrame:
    """Columns pandas read as numbers from a ``;``- or tab-separated file (``raw``: their
    text) whose every value with a dot could group thousands: "45.000" is 45000 as a German
    or Dutch spreadsheet saves it, where pandas read 45.0. Left as text, with a note naming
    both readings, as "61,879" is; a value such as "3.5" or "0.875" shows a decimal point.

    Examples
    --------
    >>> raw = pd.DataFrame({"pay": ["45.000", "980", "52.500"], "score": ["3.5", "4.000", "2"]})
    >>> out = dotted_numbers(raw.astype(float), raw, "a.csv", n := [])
    >>> out["pay"].tolist(), out["score"].tolist()
    (['45.000', '980', '52.500'], [3.5, 4.0, 2.0])
    """
    converted = {}
    for column in raw.columns:
        values = pd.Series(raw[column].dropna().unique()).astype(str).str.strip()
        dotted = values.str.contains(".", regex=False)
        if _ambiguous(values, dotted, "."):
            converted[column] = raw[column]
            notes.append(_ambiguity_note(name, column, values[dotted].iloc[0], ".",
                                         "with a decimal comma, if the dot is a decimal point"))
    return frame.assign(**converted) if converted else frame


def _markers_read(series: pd.Series) -> str:
    """The missing markers of a column read as numbers, as the note's last words."""
    counts = series[series.isin(MISSING_MARKERS)].value_counts()
    shown = ", ".join(f"{m!r} ({k})" for m, k in counts.items())
    return f", and {shown} as missing" if shown else ""


def _not_amounts_note(name: str, column: Any, series: pd.Series, values: pd.Series,
                      fits: pd.Series) -> str:
    """A column of amounts in one currency with a few other values ("TBD"): those values,
    with their counts, since the column stays text and the analysis will say only that."""
    others = values[~fits.to_numpy()].tolist()
    counts = series.astype("string").str.strip().value_counts()
    shown = ", ".join(f"{v!r} ({counts.get(v, 0):,})" for v in others[:3])
    more = f" and {len(others) - 3:,} other values" if len(others) > 3 else ""
    return (f"{name}: column {column!r} holds amounts such as {values[fits.to_numpy()].iloc[0]!r} "
            f"but also {shown}{more}, which are not numbers, so it was left as text. Write "
            "those cells as amounts, or leave them blank for a missing value, and read the "
            "file again.")


def _amounts(series: pd.Series, convert: Any, european: bool) -> pd.Series:
    """The column's amounts as float64 (NaN where a cell is blank or no number), each distinct
    text converted once: a column of 100,000 salaries holds a few thousand spellings."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    _, text = _split_currency(pd.Series(uniques, dtype=object).astype("string").str.strip())
    text, thousands = _thousands_suffix(_space_groups(text, european)[0])
    # "46.5K" as 46.5e3: exactly 46500 (46.5 * 1000 is not always exact)
    text = convert(text).where(~thousands, convert(text) + "e3")
    read = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
    out = np.where(codes >= 0, read[np.maximum(codes, 0)] if len(read) else np.nan, np.nan)
    return pd.Series(out, index=series.index, name=series.name, dtype=float)


def text_numbers(frame: pd.DataFrame, name: str, sep: str, notes: list[str]) -> pd.DataFrame:
    """Text columns holding only numbers with a decimal comma (in a ``;``- or tab-separated
    file, or in any file when spaces between thousands show it: "33 680,00") or with thousands
    separators (in a comma- or bar-separated file), or with one currency symbol, read as
    numbers.

    Examples
    --------
    >>> t = pd.DataFrame({"pay": ["1.234,50", "980,25", None], "id": ["1,2", "x", "3"]})
    >>> text_numbers(t, "a.csv", ";", n := [])["pay"].tolist(), n
    ([1234.5, 980.25, nan], ["a.csv: column 'pay' has numbers with a decimal comma (e.g. '1.234,50'); read them as numbers."])
    >>> text_numbers(pd.DataFrame({"pay": ["$48,250.50", "$980"]}), "a.csv", ",", [])["pay"].tolist()
    [48250.5, 980.0]
    >>> text_numbers(pd.DataFrame({"pay": ["$48,250.50", "€980"]}), "a.csv", ",", [])["pay"].tolist()
    ['$48,250.50', '€980']
    >>> text_numbers(pd.DataFrame({"pay": ["$48,250.50", "N/A"]}), "a.csv", ",", n := [])["pay"].tolist(), n
    ([48250.5, nan], ["a.csv: column 'pay' has numbers with the currency symbol '$' and thousands separators (e.g. '$48,250.50'); read them as numbers, and 'N/A' (1) as missing."])

    In a ``;``-separated file "61,879" is 61879 or 61.879: a pound or dollar sign says which;
    without one the column is left as text, with a note.

    >>> text_numbers(pd.DataFrame({"pay": ["£61,879", "£48,250"]}), "a.csv", ";", [])["pay"].tolist()
    [61879.0, 48250.0]
    >>> text_numbers(pd.DataFrame({"pay": ["61,879", "48,250"]}), "a.csv", ";", n := [])["pay"].tolist()
    ['61,879', '48,250']
    >>> print(n[0])  # doctest: +NORMALIZE_WHITESPACE
    a.csv: column 'pay' has numbers such as '61,879', which read as 61879 with a thousands
    separator or as 61.879 with a decimal comma; left as text rather than guess. Export the
    column without thousands separators (or with a decimal point) and read the file again.
    """
    converted = {}
    for column in _text_columns(frame):
        series = frame[column]
        # the distinct values decide (a label column has few): cheap on 200,000 rows
        values = pd.Series(series.dropna().unique()).astype(str).str.strip()
        values = values[(values != "") & ~values.isin(MISSING_MARKERS)]
        symbols, numbers = _split_currency(values)
        european = sep in {";", "\t"} or _decimal_comma_shown(numbers)
        pattern, convert, comma = _READINGS[european]
        numbers, spaced = _space_groups(numbers, european)
        numbers, with_k = _thousands_suffix(numbers)
        used = sorted(set(symbols) - {""})
        with_comma = numbers.str.contains(",", regex=False)
        fits = numbers.map(pattern.match).notna()
        unread = _unread_suffix(numbers, pattern)
        if unread.any() and (fits.any() or used) and (fits | unread).all():
            notes.append(_unread_note(name, column, series, values, unread))
            continue  # "$1.2m": a million, or a month?
        if len(used) == 1 and 0 < (~fits).sum() < fits.sum():
            notes.append(_not_amounts_note(name, column, series, values, fits))
        if len(used) > 1 or not (with_comma.any() or used or spaced.any() or with_k.any()) \
                or not fits.all():
            continue  # other text, two currencies, or nothing a spreadsheet added
        if european and _ambiguous(numbers, with_comma):
            if not set(used) & _POINT_CURRENCIES:
                notes.append(_ambiguity_note(name, column, values[with_comma].iloc[0]))
                continue
            convert, comma = _thousands, "thousands separators"  # "£61,879", ;-separated
        with_dot = numbers.str.contains(".", regex=False)
        if not european and used and not set(used) & _POINT_CURRENCIES and \
                _ambiguous(numbers, with_dot, "."):  # "45.000 €", comma-separated
            notes.append(_ambiguity_note(name, column, values[with_dot].iloc[0], "."))
            continue
        converted[column] = _amounts(series, convert, european)
        what = [f"the currency symbol {used[0]!r}"] if used else []
        if spaced.any():
            what.append("spaces between thousands")
        if values.str.contains(",", regex=False).any():  # not only spaces made into marks
            what.append(comma)
        if with_k.any():
            what.append("a thousands suffix k")
        example = values[with_comma | (symbols != "") | spaced | with_k].iloc[0]
        notes.append(f"{name}: column {column!r} has numbers with {_and(what)} (e.g. "
                     f"{example!r}{_read_as(example, converted[column], series)}); read them "
                     f"as numbers{_markers_read(series)}.")
    return frame.assign(**converted) if converted else frame


_PERCENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\s*%$")


def percent_numbers(frame: pd.DataFrame, name: str, notes: list[str]) -> pd.DataFrame:
    """Text columns whose every value is a number with a percent sign ("78%", "12.5 %") read
    as those numbers (78, 12.5: as written, so a cut-off typed as 70 means 70%), with a note.
    Missing markers among them stay for :func:`missing_markers`.

    Examples
    --------
    >>> t = pd.DataFrame({"score": ["78%", "12.5 %", None, "N/A"], "note": ["5%", "x", "", ""]})
    >>> out = percent_numbers(t, "a.csv", n := [])
    >>> out["score"].tolist()[:2], out["note"].tolist()[1], n
    ([78.0, 12.5], 'x', ["a.csv: column 'score' has numbers with a percent sign (e.g. '78%'); read them as the numbers written (78% as 78)."])
    """
    converted = {}
    for column in _text_columns(frame):
        values = pd.Series(frame[column].dropna().unique()).astype(str).str.strip()
        values = values[(values != "") & ~values.isin(MISSING_MARKERS)]
        if values.empty or not values.map(lambda v: bool(_PERCENT.match(v))).all():
            continue
        text = frame[column].astype("string").str.strip()
        percent = text.str.endswith("%").fillna(False)
        numbers = pd.to_numeric(text.str.rstrip("%").str.strip().where(percent),
                                errors="coerce").astype(float)
        converted[column] = numbers.where(percent, frame[column]) if (~percent & text.notna()
                                                                       ).any() else numbers
        notes.append(f"{name}: column {column!r} has numbers with a percent sign (e.g. "
                     f"{values.iloc[0]!r}); read them as the numbers written "
                     f"({values.iloc[0].rstrip('%').strip()}% as "
                     f"{values.iloc[0].rstrip('%').strip()}).")
    return frame.assign(**converted) if converted else frame

