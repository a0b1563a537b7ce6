"""Numbers a spreadsheet saved as text: decimal commas and thousands separators.

A European spreadsheet saves ``48.250,50`` in a ``;``-separated file; an American one saves a
cell formatted with thousands separators as ``"48,250.50"`` in a comma-separated file. pandas
reads both as text, and an analysis then stops ("pay must be numeric"). A text column that holds
only numbers written one of these ways is read as numbers, with a note saying so; a column with
any other text is left as it is.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["text_numbers"]

# 1234,5  -1.234.567,89: a comma before the decimals; dots, if any, group thousands
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
# 1,234  -1,234,567.89: commas group thousands (groups of three digits), a dot before decimals
_THOUSANDS = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _decimal_comma(text: pd.Series) -> pd.Series:
    return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)


def _thousands(text: pd.Series) -> pd.Series:
    return text.str.replace(",", "", regex=False)


def text_numbers(frame: pd.DataFrame, name: str, sep: str, notes: list[str]) -> pd.DataFrame:
    """Text columns holding only numbers with a decimal comma (in a ``;``- or tab-separated
    file) or with thousands separators (in a comma- or bar-separated file), read as numbers.

    Examples
    --------
    >>> t = pd.DataFrame({"pay": ["1.234,50", "980,25", None], "id": ["1,2", "x", "3"]})
    >>> text_numbers(t, "a.csv", ";", n := [])["pay"].tolist(), n
    ([1234.5, 980.25, nan], ["a.csv: column 'pay' has numbers with a decimal comma (e.g. '1.234,50'); read them as numbers."])
    >>> text_numbers(pd.DataFrame({"pay": ["48,250.50", "980"]}), "a.csv", ",", [])["pay"].tolist()
    [48250.5, 980.0]
    """
    european = sep in {";", "\t"}
    pattern, convert = (_DECIMAL_COMMA, _decimal_comma) if european else (_THOUSANDS, _thousands)
    what = "a decimal comma" if european else "thousands separators"
    converted = {}
    for column in frame.columns:
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        values = series.dropna().astype(str).str.strip()
        values = values[values != ""]
        with_comma = values[values.str.contains(",", regex=False)]
        if with_comma.empty or not values.map(lambda v: bool(pattern.match(v))).all():
            continue
        text = convert(series.astype("string").str.strip())
        converted[column] = pd.to_numeric(text, errors="coerce").astype(float)
        notes.append(f"{name}: column {column!r} has numbers with {what} (e.g. "
                     f"{with_comma.iloc[0]!r}); read them as numbers.")
    return frame.assign(**converted) if converted else frame
