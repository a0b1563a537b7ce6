"""Shared plumbing of the pay analyses: collect the needed columns, account for every row, read
group and pay values, and build design matrices with categorical controls expanded.

The regression analyses collect only the columns they need to pandas (the model needs
row-level data); the statistics then work on numpy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frames import as_columns, collect_pandas, collect_rows, require_columns, to_narwhals
from .._sex import FEMALE, MALE, SexValues, looks_like_sex, normalize_sex
from ..errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
    preview,
)
from ._bands import raw_gap

__all__ = [
    "FEMALE",
    "MALE",
    "Design",
    "GroupCodes",
    "RowFilter",
    "SexCounts",
    "build_design",
    "check_engine_pay",
    "check_pay",
    "collect",
    "describe_collinearity",
    "drop_missing",
    "engine_infinite",
    "engine_missing",
    "read_groups",
    "sex_frame_values",
    "sex_group_values",
    "summary_gaps",
]

MISSING_POLICIES = ("exclude", "raise")


def collect(
    data: Any, *, analysis: str | None = None, **arguments: str | Sequence[str] | None
) -> tuple[pd.DataFrame, int]:
    """Check the named columns exist and collect just those to pandas.

    Keyword names are the user's argument names (``pay="salary"``) so a missing column error
    says which argument pointed at it. Returns the frame and its row count. With
    ``analysis=`` (the regression analyses), data in a lazy engine (DuckDB, Spark, polars lazy)
    above :data:`fairhire._frames.COLLECT_LIMIT` rows raise an error saying how to sample or
    collect them (:func:`fairhire._frames.collect_rows`).
    """
    frame = to_narwhals(data)
    require_columns(frame, **arguments)
    names: list[str] = []
    for argument, value in arguments.items():
        for name in as_columns(value, argument=argument):
            if name not in names:
                names.append(name)
    if analysis is not None:
        out = collect_rows(frame, names, analysis=analysis)
    else:
        out = collect_pandas(frame.select(*names))
    return out, len(out)


@dataclass
class RowFilter:
    """Tracks which rows are still in an analysis, and why the others left (in order)."""

    n: int
    keep: np.ndarray = field(init=False)
    excluded: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keep = np.ones(self.n, dtype=bool)

    def drop(self, mask: np.ndarray, reason: str) -> int:
        """Exclude rows where ``mask`` is True (among those still kept); returns the count."""
        hit = mask & self.keep
        count = int(hit.sum())
        if count:
            self.excluded[reason] = self.excluded.get(reason, 0) + count
            self.keep &= ~hit
        return count

    @property
    def used(self) -> int:
        return int(self.keep.sum())


def per_unique(values: pd.Series, fn: Any) -> tuple[np.ndarray, list[Any]]:
    """Apply ``fn`` to each distinct value only: (per-row codes into the results, results).

    Missing values get code -1. A million rows usually hold a handful of distinct labels, so
    this replaces a million Python calls with a factorize and a few calls.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, [fn(u) for u in uniques]


def missing_mask(values: pd.Series) -> np.ndarray:
    """Missing values, plus empty or blank strings."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return values.isna().to_numpy().copy()
    codes, blank = per_unique(values, lambda v: isinstance(v, str) and not v.strip())
    if not any(blank):
        return codes < 0
    return (codes < 0) | np.asarray(blank, dtype=bool)[np.maximum(codes, 0)] & (codes >= 0)


def drop_missing(
    frame: pd.DataFrame,
    rows: RowFilter,
    columns: dict[str, str],
    *,
    missing: str,
) -> None:
    """Exclude (and count) rows with a missing value in any of ``columns`` ({column: role}).

    With ``missing="raise"`` a missing value is an error naming the column and the count.
    """
    if missing not in MISSING_POLICIES:
        raise InvalidParameterError(
            f"missing={missing!r} is not supported; use 'exclude' (count and report the rows) "
            "or 'raise'."
        )
    for column, role in columns.items():
        mask = missing_mask(frame[column])
        if not mask.any():
            continue
        if missing == "raise":
            where = np.flatnonzero(mask)[:5].tolist()
            raise InvalidValueError(
                f"column {column!r} ({role}) has {int(mask.sum())} missing values of "
                f"{len(frame)} rows (e.g. rows {where}). Fill them, drop those rows, or pass "
                "missing='exclude' to leave them out and have them counted."
            )
        rows.drop(mask, f"missing {role} ({column})")


def check_pay(
    values: pd.Series,
    column: str,
    *,
    positive: bool,
    argument: str = "pay",
    where: np.ndarray | None = None,
) -> np.ndarray:
    """Pay as float64; non-numeric columns and (when ``positive``) pay <= 0 are errors.

    ``where`` limits the positivity check to the rows still in the analysis.
    """
    if not (pd.api.types.is_numeric_dtype(values.dtype) and values.dtype != bool):
        sample = values.dropna().astype(str).unique()[:5].tolist()
        raise ColumnError(
            f"column {column!r} ({argument}=) must be numeric; it holds text such as "
            f"{preview(sample)}. Remove currency symbols and thousands separators in the export "
            "(e.g. pandas.to_numeric) and pass the numeric column."
        )
    arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(arr) | np.isnan(arr)
    if not finite.all():
        raise InvalidValueError(
            f"column {column!r} ({argument}=) has {int((~finite).sum())} infinite values; fix "
            "them in the export."
        )
    if positive:
        bad = ~np.isnan(arr) & (arr <= 0)
        if where is not None:
            bad &= where
        if bad.any():
            where = np.flatnonzero(bad)
            raise InvalidValueError(
                f"column {column!r} ({argument}=) has {int(bad.sum())} zero or negative values "
                f"of {len(arr)} rows (e.g. {preview(arr[where].tolist())} at rows "
                f"{where[:5].tolist()}); the logarithm of pay needs positive pay. Exclude "
                "unpaid employees (e.g. on unpaid leave), fix the values, or pass log=False to "
                "model pay in currency units."
            )
    return arr


@dataclass(frozen=True)
class GroupCodes:
    """Group labels of the kept rows: ``codes`` index ``labels``; ``reference`` is a label."""

    codes: np.ndarray
    labels: tuple[str, ...]
    reference: str
    is_sex: bool
    counts: dict[str, int]

    @property
    def reference_code(self) -> int:
        return self.labels.index(self.reference)

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(lab for lab in self.labels if lab != self.reference)


def _label(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_groups(
    values: pd.Series, column: str, *, reference: Any = None, argument: str = "group"
) -> GroupCodes:
    """Read group labels as text; sex-like columns get canonical "Male"/"Female" labels.

    The reference group defaults to "Male" for a sex column (the UK/EU convention: gaps are
    men's pay minus the group's, as a share of men's), otherwise the largest group.
    """
    raw_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = list(uniques)
    is_sex = looks_like_sex(uniques)
    if is_sex:
        sv = normalize_sex(pd.Series(uniques, dtype=object))
        text = [
            lab if lab is not None else _label(u) for u, lab in zip(uniques, sv.labels, strict=True)
        ]
    else:
        text = [_label(u) for u in uniques]
    label_codes, labels = pd.factorize(pd.Series(text, dtype=object), sort=True)
    codes = np.asarray(label_codes, dtype=np.int64)[raw_codes]
    labels = tuple(str(x) for x in labels)
    counts = np.bincount(codes, minlength=len(labels))
    count_map = {lab: int(c) for lab, c in zip(labels, counts, strict=True)}
    if len(labels) < 2:
        raise InsufficientDataError(
            f"column {column!r} ({argument}=) has a single group ({preview(labels)}) among the "
            f"{len(values)} rows analysed; a pay gap needs at least two groups. Check the filter "
            "or export."
        )
    if reference is None:
        if is_sex and MALE in count_map:
            ref = MALE
        else:
            ref = sorted(labels, key=lambda lab: (-count_map[lab], lab))[0]
    else:
        ref = _label(reference)
        if is_sex and ref not in count_map:
            canon = normalize_sex([reference]).labels[0]
            if canon is not None:
                ref = canon
        if ref not in count_map:
            raise InvalidParameterError(
                f"reference={reference!r} is not a value of column {column!r}; the groups are "
                f"{preview(labels, limit=12)}."
            )
    return GroupCodes(
        codes=codes.astype(np.int64), labels=labels, reference=ref, is_sex=is_sex, counts=count_map
    )


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
            text = pd.Series([_label(u) for u in raw_uniques], dtype=object)
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


def sex_frame_values(
    values: pd.Series, column: str, *, male: Any = None, female: Any = None
) -> tuple[np.ndarray, Any]:
    """Sex codes (0 male, 1 female, -1 other/missing) and the SexValues for reporting."""
    sv = normalize_sex(values, male=male, female=female)
    if sv.n_male == 0 or sv.n_female == 0:
        found = sorted({str(v) for v in pd.unique(values.dropna().astype(object))})[:8]
        raise InsufficientDataError(
            f"column {column!r} (sex=) has {sv.n_male} men and {sv.n_female} women; both are "
            f"needed. Values found: {preview(found)}. If men and women are spelled differently, "
            "name them with male= and female= (e.g. male='H', female='F')."
        )
    codes = np.where(sv.is_male, 0, np.where(sv.is_female, 1, -1))
    return codes, sv


@dataclass(frozen=True)
class SexCounts:
    """Men, women, other and missing counts of a sex column read from a table of its distinct
    values and their row counts (data in a lazy engine): what :class:`SexValues` reports."""

    n_male: int
    n_female: int
    other: dict[Any, int]
    missing: int

    @property
    def n_other(self) -> int:
        return int(sum(self.other.values()))

    def describe(self, column: str = "sex") -> str:
        return SexValues.describe(self, column)  # type: ignore[arg-type]


def two_sex_warnings(counts: Any, column: str, *, who: str, what: str) -> list[str]:
    """The warning that rows whose sex is not male or female are left out of two-sex figures.

    ``counts`` is a :class:`SexValues` (collected data) or :class:`SexCounts` (engine data);
    ``who`` names the rows ("employees") and ``what`` the figures ("metrics").
    """
    if not (counts.other or counts.missing):
        return []
    return [
        f"{counts.n_other + counts.missing:,} {who} whose sex is not recorded as male or female "
        f"are excluded from these two-sex {what} ({counts.describe(column)})"
    ]


def sex_group_values(
    values: pd.Series,
    counts: np.ndarray,
    column: str,
    *,
    male: Any = None,
    female: Any = None,
) -> tuple[np.ndarray, SexCounts, list[Any], list[Any]]:
    """:func:`sex_frame_values` for a table of group rows: ``values`` of the sex column (with
    repeats allowed) and the number of data rows each group row stands for.

    Returns the code of each group row (0 male, 1 female, -1 other/missing), the counts, and
    the distinct original values read as male and as female (to build an engine expression
    such as ``nw.col(sex).is_in(male_values)``). Raises the same error as
    :func:`sex_frame_values` when men or women are absent.
    """
    values = values.astype(object).reset_index(drop=True)
    counts = np.asarray(counts, dtype=np.int64)
    sv = normalize_sex(values, male=male, female=female)
    n_male, n_female = int(counts[sv.is_male].sum()), int(counts[sv.is_female].sum())
    if n_male == 0 or n_female == 0:
        found = sorted({str(v) for v in pd.unique(values[counts > 0].dropna())})[:8]
        raise InsufficientDataError(
            f"column {column!r} (sex=) has {n_male} men and {n_female} women; both are "
            f"needed. Values found: {preview(found)}. If men and women are spelled differently, "
            "name them with male= and female= (e.g. male='H', female='F')."
        )
    other: dict[Any, int] = {}
    for value, count, is_other in zip(values, counts, sv.is_other, strict=True):
        if is_other:
            key = value.item() if isinstance(value, np.generic) else value
            other[key] = other.get(key, 0) + int(count)

    def distinct(mask: np.ndarray) -> list[Any]:
        out: list[Any] = []
        for v in values[mask]:
            v = v.item() if isinstance(v, np.generic) else v
            if v not in out:
                out.append(v)
        return out

    codes = np.where(sv.is_male, 0, np.where(sv.is_female, 1, -1))
    sex_counts = SexCounts(
        n_male=n_male,
        n_female=n_female,
        other=other,
        missing=int(counts[sv.is_missing].sum()),
    )
    return codes, sex_counts, distinct(sv.is_male), distinct(sv.is_female)


# --- data in a lazy engine (DuckDB, Spark, polars lazy): the checks as engine expressions ---


def engine_missing(column: str, types: dict[str, Any]) -> nw.Expr:
    """Missing as :func:`check_pay` reads it: null, and NaN in a float column."""
    expr = nw.col(column).is_null()
    if types[column].is_float():
        expr = expr | nw.col(column).fill_null(0.0).is_nan()
    return expr


def engine_infinite(column: str, types: dict[str, Any]) -> nw.Expr:
    """Infinite values (never null, so the engine's sum counts them)."""
    if not types[column].is_float():
        return nw.lit(False)
    return ~engine_missing(column, types) & (nw.col(column).abs() == float("inf"))


def check_engine_pay(
    frame: Any, column: str, argument: str, types: dict[str, Any], infinite: Any
) -> None:
    """:func:`check_pay`'s errors for a column of lazy data: text (or boolean) columns, and
    infinite values (``infinite``: their counts per group row, from one group-by)."""
    dtype = types[column]
    if dtype == nw.Boolean or not dtype.is_numeric():
        sample = collect_pandas(
            frame.select(nw.col(column).cast(nw.String)).drop_nulls().unique().head(5)
        )[column].tolist()
        raise ColumnError(
            f"column {column!r} ({argument}=) must be numeric; it holds text such as "
            f"{preview(sample)}. Remove currency symbols and thousands separators in the export "
            "(e.g. pandas.to_numeric) and pass the numeric column."
        )
    count = int(np.asarray(infinite).sum()) if infinite is not None else 0
    if count:
        raise InvalidValueError(
            f"column {column!r} ({argument}=) has {count} infinite values; fix them in the export."
        )


def summary_gaps(summary: pd.DataFrame) -> tuple[float, float]:
    """Mean and median gaps from a :func:`fairhire._engine_stats.group_summary` table by
    ``__fh_male``, as :func:`fairhire.pay._bands.mean_median_gap` on the rows would give
    them: NaN for both when either sex has no values."""
    side = {bool(k): r for k, r in zip(summary["__fh_male"], summary.itertuples(), strict=True)}
    men, women = side.get(True), side.get(False)
    if men is None or women is None or men.n == 0 or women.n == 0:
        return float("nan"), float("nan")
    return (
        raw_gap(float(men.mean), float(women.mean)),
        raw_gap(float(men.median), float(women.median)),
    )
