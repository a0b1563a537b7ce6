"""Design matrices of the pay regressions: group dummies first, then the controls, with
categorical controls expanded into dummies (first level in sorted order as the base) and, past a
size, absorbed as fixed effects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError

__all__ = ["Design", "build_design", "describe_collinearity", "is_categorical", "label_text"]


def label_text(value: Any) -> str:
    """A label as text: trimmed strings, whole floats without ".0" (1.0 → "1")."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Design:
    """A design matrix with the provenance of each column."""

    X: np.ndarray
    names: list[str]
    terms: list[str]  # the control (or "const") each column came from
    levels: dict[str, list[str]]  # categorical control -> its levels (base first)
    absorbed: str | None = None
    absorb_codes: np.ndarray | None = None
    absorb_levels: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # notes: columns left out and why


def is_categorical(values: pd.Series, column: str, categorical: Sequence[str]) -> bool:
    if column in categorical:
        return True
    if values.dtype == bool:
        return False
    return not pd.api.types.is_numeric_dtype(values.dtype)


def build_design(
    frame: pd.DataFrame,
    controls: Sequence[str],
    *,
    categorical: Sequence[str] = (),
    intercept: bool = True,
    absorb_threshold: int | None = None,
    prefix_columns: Sequence[tuple[str, np.ndarray]] = (),
) -> Design:
    """Build X: ``prefix_columns`` (e.g. group dummies) first, then the controls.

    Numeric controls are used as they are; text, categorical (and ``categorical=``) controls
    are expanded into dummies with the first level in sorted order as the base. If
    ``absorb_threshold`` is given, the categorical control with the most levels is absorbed
    (fixed effects by demeaning) when it has more levels than that.
    """
    n = len(frame)
    blocks: list[np.ndarray] = []
    names: list[str] = []
    terms: list[str] = []
    levels: dict[str, list[str]] = {}
    cat_codes: dict[str, tuple[np.ndarray, list[str]]] = {}
    for column in controls:
        values = frame[column]
        if is_categorical(values, column, categorical):
            raw_codes, raw_uniques = pd.factorize(values, use_na_sentinel=True)
            text = pd.Series([label_text(u) for u in raw_uniques], dtype=object)
            label_codes, uniq = pd.factorize(text, sort=True)
            codes = np.asarray(label_codes, dtype=np.int64)[raw_codes]
            cat_codes[column] = (codes, [str(u) for u in uniq])
    absorbed = None
    if absorb_threshold is not None and cat_codes:
        biggest = max(cat_codes, key=lambda c: len(cat_codes[c][1]))
        if len(cat_codes[biggest][1]) > absorb_threshold:
            absorbed = biggest
            intercept = False
    if intercept:
        blocks.append(np.ones((n, 1)))
        names.append("const")
        terms.append("const")
    for name, col in prefix_columns:
        blocks.append(np.asarray(col, dtype=np.float64).reshape(n, 1))
        names.append(name)
        terms.append("group")
    for column in controls:
        if column == absorbed:
            continue
        if column in cat_codes:
            codes, uniq = cat_codes[column]
            levels[column] = uniq
            if len(uniq) > 1:
                dummies = np.zeros((n, len(uniq) - 1))
                hit = codes > 0
                dummies[np.flatnonzero(hit), codes[hit] - 1] = 1.0
                blocks.append(dummies)
                names.extend(f"{column}[{u}]" for u in uniq[1:])
                terms.extend([column] * (len(uniq) - 1))
        else:
            values = frame[column]
            if not (pd.api.types.is_numeric_dtype(values.dtype) or values.dtype == bool):
                raise ColumnError(f"control {column!r} is not numeric and not categorical.")
            blocks.append(values.to_numpy(dtype=np.float64, na_value=np.nan).reshape(n, 1))
            names.append(column)
            terms.append(column)
    X = np.hstack(blocks) if blocks else np.empty((n, 0))
    design = Design(X=X, names=names, terms=terms, levels=levels)
    if absorbed is not None:
        design.absorbed = absorbed
        design.absorb_codes, design.absorb_levels = cat_codes[absorbed]
    return design


def describe_collinearity(sets: list[list[str]], group_names: Sequence[str]) -> str:
    parts = []
    for s in sets:
        if any(name in group_names for name in s):
            others = [x for x in s if x not in group_names]
            parts.append(
                f"{' ~ '.join(s)} (the group is determined by "
                f"{', '.join(others) if others else 'the constant'})"
            )
        else:
            parts.append(" ~ ".join(s))
    return "; ".join(parts)
