"""Helpers shared by the interview analyses: input checks, group labels, standardized
differences."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from scipy import stats

from .._frames import Frame, collect_pandas, group_counts, schema
from ..errors import InvalidParameterError, InvalidValueError, preview

__all__ = [
    "StandardizedDifference",
    "as_bool_column",
    "check_numeric",
    "fmt_p",
    "hedges_g",
    "is_missing",
    "label",
    "pick_reference",
]


def is_missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def label(v: object) -> str:
    """A group label as text (missing shown as "(missing)")."""
    return "(missing)" if is_missing(v) else str(v)


def fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def p_text(p: float) -> str:
    """``p < 0.001`` / ``p = 0.012`` / ``p n/a`` for prose."""
    f = fmt_p(p)
    return f"p {f}" if f.startswith("<") else f"p = {f}"


def as_bool_column(frame: Frame, column: str, *, argument: str) -> nw.Expr:
    """Expression reading a pass/fail column as integer 0/1 (nulls stay null).

    Accepts a boolean column or an integer column holding only 0 and 1. Anything else raises
    :class:`InvalidValueError` naming the column and a few of the offending values.
    """
    dtype = schema(frame)[column]
    if dtype == nw.Boolean:
        return nw.col(column).cast(nw.Int64)
    if dtype.is_integer() or dtype.is_float():
        bounds = collect_pandas(frame.select(
            nw.col(column).min().alias("lo"), nw.col(column).max().alias("hi"),
            (~nw.col(column).is_null() & (nw.col(column) != 0) & (nw.col(column) != 1))
            .sum().alias("bad"),
        ))  # fmt: skip
        if int(bounds["bad"].iloc[0] or 0) == 0:
            return nw.col(column).cast(nw.Int64)
    counts = group_counts(frame.select(nw.col(column)), [column])
    values = [v for v in counts[column].tolist() if not is_missing(v)]
    bad = [v for v in values if v not in (True, False, 0, 1) or isinstance(v, str)]
    n_bad = int(counts.loc[counts[column].isin(bad), "n"].sum()) if bad else len(values)
    raise InvalidValueError(
        f"column {column!r} (passed as {argument}=) must hold pass/fail values as booleans "
        f"(True/False) or 1/0; found {preview(bad or values)} in {n_bad:,} rows. Recode it, "
        "e.g. data[col] = data[col].eq('yes')."
    )


def check_numeric(frame: Frame, column: str, *, argument: str) -> None:
    """Raise :class:`InvalidValueError` unless ``column`` is numeric."""
    dtype = schema(frame)[column]
    if dtype.is_numeric() and dtype != nw.Boolean:
        return
    sample = collect_pandas(frame.select(nw.col(column)).head(50))[column]
    bad = [v for v in sample.tolist() if not is_missing(v)]
    raise InvalidValueError(
        f"column {column!r} (passed as {argument}=) must hold numbers; it has type {dtype} "
        f"with values such as {preview(bad)}. Convert the scores to numbers (e.g. "
        "pandas.to_numeric) or map rubric labels to their scale points."
    )


def pick_reference(sizes: pd.Series, reference: object | None, *, argument: str,
                   column: str) -> object:
    """The reference group: ``reference`` if given (must exist), else the largest group."""
    if reference is not None:
        if reference not in set(sizes.index):
            raise InvalidParameterError(
                f"{argument}={reference!r} is not a value of column {column!r}; its groups "
                f"are {preview(sorted(map(str, sizes.index)))}."
            )
        return reference
    # largest group; ties broken by label so the choice is reproducible
    ordered = sorted(sizes.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return ordered[0][0]


class StandardizedDifference(NamedTuple):
    """Hedges' g of focal minus reference with its CI and a pooled-variance t test."""

    difference: float
    g: float
    ci_low: float
    ci_high: float
    t: float
    p_value: float


def hedges_g(
    mean_f: float, sd_f: float, n_f: int, mean_r: float, sd_r: float, n_r: int,
    *, confidence: float = 0.95,
) -> StandardizedDifference:
    """Hedges' g (bias-corrected standardized mean difference) with its normal-theory CI.

    ``g = J · (m_f − m_r) / s_p`` with the pooled SD ``s_p``, ``J = 1 − 3/(4(n_f + n_r) − 9)``;
    ``Var(g) = (n_f + n_r)/(n_f n_r) + g²/(2(n_f + n_r))`` (Hedges & Olkin 1985, ch. 5). The
    p-value is the pooled-variance two-sample t test of the mean difference. NaN when a group
    has fewer than 2 members or the pooled SD is 0.

    Examples
    --------
    >>> r = hedges_g(3.2, 1.0, 50, 3.5, 1.0, 60)
    >>> round(r.g, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (-0.298, -0.675, 0.079)
    """
    diff = mean_f - mean_r
    nan = math.nan
    if n_f < 2 or n_r < 2:
        return StandardizedDifference(diff, nan, nan, nan, nan, nan)
    df = n_f + n_r - 2
    sp2 = ((n_f - 1) * sd_f**2 + (n_r - 1) * sd_r**2) / df
    if not sp2 > 0:
        return StandardizedDifference(diff, nan, nan, nan, nan, nan)
    sp = math.sqrt(sp2)
    j = 1 - 3 / (4 * (n_f + n_r) - 9)
    g = j * diff / sp
    var = (n_f + n_r) / (n_f * n_r) + g**2 / (2 * (n_f + n_r))
    zc = float(stats.norm.ppf(0.5 + confidence / 2))
    t = diff / (sp * math.sqrt(1 / n_f + 1 / n_r))
    p = float(2 * stats.t.sf(abs(t), df))
    return StandardizedDifference(
        diff, g, g - zc * math.sqrt(var), g + zc * math.sqrt(var), t, p
    )


def check_alpha(alpha: float, confidence: float) -> None:
    if not 0 < alpha < 1:
        raise InvalidParameterError(f"alpha={alpha!r} must lie in (0, 1), e.g. 0.05.")
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1), e.g. 0.95.")


def sort_labels(values: Sequence[Any]) -> list[Any]:
    return sorted(values, key=lambda v: (str(type(v).__name__), str(v)))


def as_int(x: Any) -> int:
    return int(x) if not is_missing(x) else 0


def finite(x: float) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and np.isfinite(x)
