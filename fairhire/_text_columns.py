"""Text columns of result tables, built as pandas would build them from a list, but faster.

pandas 3 reads a list of ``str`` as its ``str`` dtype (Arrow ``large_string``, NaN as the
missing value). Inferring that for every text column of a result table (stage, group, reference
group ...) cost about as much as the rest of the table: pandas first scans the list for what it
holds, then converts it. :func:`text_column` hands pandas the same array, made by Arrow in one
call, when every value is a ``str``; anything else is left to pandas' inference as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["text_column"]


def _inferred_text_dtype() -> pd.StringDtype | None:
    """The dtype pandas infers for a list of ``str`` when it is Arrow-backed ``str``, else
    None (pandas 2, ``future.infer_string`` turned off, no pyarrow). pandas' own switch is
    read: ``pd.get_option("future.infer_string")`` warns that the option is deprecated."""
    try:
        from pandas._config import using_string_dtype

        if not using_string_dtype():
            return None
        dtype = pd.StringDtype(na_value=np.nan)
    except (ImportError, KeyError, ValueError, TypeError):  # pragma: no cover - other pandas
        return None
    return dtype if dtype.storage == "pyarrow" else None


def text_column(values: Sequence[Any]) -> Any:
    """``values`` as the column ``pd.DataFrame({c: list(values)})`` would hold: an
    ``ArrowStringArray`` of dtype ``str`` when all are ``str`` and pandas infers that dtype,
    else the values as a list (for pandas to infer, as before).

    Examples
    --------
    >>> col = text_column(["a", "b"])
    >>> frame = pd.DataFrame({"c": col})
    >>> frame["c"].dtype == pd.DataFrame({"c": ["a", "b"]})["c"].dtype
    True
    >>> text_column(["a", None])  # not all text: left to pandas
    ['a', None]
    """
    values = values if isinstance(values, list) else list(values)
    if not values or any(type(v) is not str for v in values):
        return values
    dtype = _inferred_text_dtype()
    if dtype is None:
        return values
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    try:
        arrow = pa.chunked_array([pa.array(values, type=pa.large_string())])
    except (pa.ArrowException, UnicodeError):  # e.g. a lone surrogate: pandas says what
        return values
    return ArrowStringArray(arrow, dtype=dtype)
