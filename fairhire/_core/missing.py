"""What counts as a missing value, in one place.

A value is missing when it is ``None``, ``NaN``, ``pandas.NA``, ``NaT``, or a string that is
empty or holds only white space. Analyses add the labels a caller names in ``unknown_labels=``
(see :mod:`fairhire._core.labels`). :data:`MISSING_MARKERS` are the words a spreadsheet or a
database writes for a missing value ("N/A", "#N/A", "NULL"): the file readers read them as
missing where a column cannot mean anything else by them (numbers, yes/no, rating labels).
Every analysis, the command line and the web app use these two functions, so a blank cell is
missing everywhere or nowhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MISSING_MARKERS", "is_missing", "missing_mask"]

#: What spreadsheets, R and databases write for a missing value (the markers pandas knows),
#: and the error values a spreadsheet formula saves when it has no value ("#VALUE!",
#: "#DIV/0!" ...): in a column of numbers, a cell whose value could not be computed.
MISSING_MARKERS = frozenset({
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
})


def is_missing(value: Any) -> bool:
    """True for None, NaN, NA, NaT and empty or blank strings.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "  ", "", 0, "n/a", False)]
    [True, True, True, True, False, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def missing_mask(values: Any) -> np.ndarray:
    """Boolean mask of :func:`is_missing` over a Series, array or list (vectorised for pandas).

    Examples
    --------
    >>> missing_mask(pd.Series(["a", " ", None, "b"])).tolist()
    [False, True, True, False]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    mask = series.isna().to_numpy(dtype=bool, copy=True)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore")
        mask |= text.fillna(False).to_numpy(dtype=bool)
    return mask
