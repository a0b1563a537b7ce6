"""The one pipeline of the statutory pay metrics (UK SI 2017/172, EU Directive 2023/970).

Both run in the data's own engine (pandas, polars eager or lazy, pyarrow, DuckDB, Spark):

1. :func:`first_pass` — one group-by over the sex column (and the EU category) counts every row
   and every check (missing, negative, infinite and implausibly large values, blank flags); the
   distinct sex values are read with :func:`fairhire._sex.read_sex` (two sexes; other and
   missing values counted, never dropped silently);
2. :meth:`FirstPass.check_values` — the errors for bad values, naming column, count and rows;
3. :func:`sex_summary` — means (of exact sums), exact medians and maxima per sex from
   :func:`fairhire._engine_stats.group_summary`, with the raw gaps (men − women) / men × 100:
   the same bits in every engine and for every row order, and so is the fingerprint of them;
4. the quartile pay bands from :func:`fairhire._engine_stats.quartile_bands` (ranked in the
   engine; only ``band_rule="rank"``, which needs input order, collects two columns).

Expressions are written on the user's columns; every column the pipeline adds or aggregates
into has an internal name (:mod:`fairhire._core.names`), so a user column called ``n`` or
``men`` cannot collide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.names import internal_names
from .._engine_stats import group_summary
from .._frames import collect_pandas, combine_fingerprints, fingerprint_frame, sum_true
from .._sex import FEMALE_CODE, MALE_CODE, OTHER_CODE, SexReading, read_sex
from ..errors import ColumnError, InsufficientDataError
from ..stats.paygap import raw_gap
from ._values import (
    RELATIVE_LIMIT,
    examples,
    far_from_median_warning,
    infinite_error,
    infinite_expr,
    missing_expr,
    too_large_error,
    too_large_expr,
)

__all__ = ["FirstPass", "SexCoding", "SexSummary", "first_pass", "sex_summary", "value_checks"]


@dataclass(frozen=True)
class SexCoding:
    """How the values of the sex column read (the ``male=``, ``female=`` and
    ``unknown_labels=`` arguments of both statutory metrics, passed on together)."""

    male: Any = None
    female: Any = None
    unknown_labels: Sequence[Any] = ()


def value_checks(column: str, types: dict[str, Any], prefix: str) -> dict[str, nw.Expr]:
    """Row conditions to count for a pay column: ``{prefix}_missing``, ``_negative``,
    ``_infinite``, ``_huge`` (at least :data:`fairhire.pay._values.PAY_LIMIT`)."""
    known = ~missing_expr(column, types)
    checks = {
        f"{prefix}_missing": missing_expr(column, types),
        f"{prefix}_negative": known & (nw.col(column) < 0),
        f"{prefix}_huge": too_large_expr(column, types),
    }
    if types[column].is_float():  # only floats hold infinities
        checks[f"{prefix}_infinite"] = infinite_expr(column, types)
    return checks


@dataclass
class FirstPass:
    """The counts of one group-by over the sex column (and other keys), one row per distinct
    key: ``n`` rows, and a count per check."""

    frame: Any
    groups: pd.DataFrame
    n: np.ndarray
    counts: dict[str, np.ndarray]
    sex: SexReading
    types: dict[str, Any]

    @property
    def total(self) -> int:
        return int(self.n.sum())

    @property
    def kept(self) -> np.ndarray:
        """Group rows of men or women."""
        return self.sex.codes >= 0

    @property
    def two_sexes(self) -> nw.Expr:
        """Rows of men or women, as an engine expression on the user's sex column."""
        return nw.col(self.sex.column).is_in([*self.sex.male_values, *self.sex.female_values])

    @property
    def is_male(self) -> nw.Expr:
        return nw.col(self.sex.column).is_in(list(self.sex.male_values))

    def count(self, name: str, where: np.ndarray | None = None) -> int:
        """Rows of men and women meeting check ``name`` (within group rows ``where``)."""
        if name not in self.counts:  # a check that cannot apply (infinities in integers)
            return 0
        mask = self.kept if where is None else self.kept & where
        return int(self.counts[name][mask].sum())

    def by_sex(self, values: np.ndarray) -> tuple[int, int]:
        """A per-group-row count added up for men and for women."""
        codes = self.sex.codes
        return int(values[codes == MALE_CODE].sum()), int(values[codes == FEMALE_CODE].sum())

    def check_values(self, column: str, argument: str, prefix: str, what: str) -> None:
        """Errors for infinite, implausibly large and negative values among men and women."""
        if self.count(f"{prefix}_infinite"):
            raise infinite_error(column, argument, self.count(f"{prefix}_infinite"))
        if self.count(f"{prefix}_huge"):
            rows = self.two_sexes & too_large_expr(column, self.types)
            values, at = examples(self.frame, column, rows)
            raise too_large_error(column, argument, self.count(f"{prefix}_huge"), values, at)
        negative = self.count(f"{prefix}_negative")
        if negative:
            raise ColumnError(
                f"column {column!r} ({argument}=) has {negative} negative values; {what} cannot "
                "be negative."
            )

    def fingerprint(self, *tables: pd.DataFrame) -> str:
        """SHA-256 of the counts (by clean sex label) and the exact summary tables (counts,
        exact sums, medians, maxima, band edges: the same in every engine and row order)."""
        names = {MALE_CODE: "male", FEMALE_CODE: "female", OTHER_CODE: "other"}
        labels = [names.get(int(c), "missing") for c in self.sex.codes]
        counts = pd.DataFrame({"sex": labels, "n": self.n, **self.counts})
        counts = counts.groupby("sex", sort=True).sum().reset_index()
        # the small tables as one column of text, one hash call (their values are floats,
        # Fractions and booleans: str() writes each exactly)
        texts = [
            f"{i}:" + "|".join(f"{c}={v}" for c, v in zip(t.columns, row, strict=True))
            for i, t in enumerate(tables)
            for row in t.itertuples(index=False, name=None)
        ]
        summaries = pd.DataFrame({"row": pd.Series(texts, dtype=object)})
        return combine_fingerprints(fingerprint_frame(counts), fingerprint_frame(summaries))


def first_pass(
    frame: Any,
    *,
    sex: str,
    coding: SexCoding,
    checks: dict[str, nw.Expr],
    keys: Sequence[str] = (),
) -> FirstPass:
    """One group-by over ``sex`` (and ``keys``): row counts and a count of each check."""
    types = dict(frame.collect_schema())
    names = internal_names(["n", *checks], list(types))
    by = list(dict.fromkeys([sex, *keys]))
    # row-wise flags first, so the group-by only adds up columns (simple in every engine)
    flags = frame.select(*by, *(expr.alias(names[key]) for key, expr in checks.items()))
    aggs = [nw.len().alias(names["n"])]
    aggs += [sum_true(nw.col(names[key]), flags).alias(names[key]) for key in checks]
    groups = collect_pandas(flags.group_by(*by, drop_null_keys=False).agg(*aggs))

    def column(key: str) -> np.ndarray:
        return pd.to_numeric(groups[names[key]]).fillna(0).to_numpy(dtype=np.int64)

    n = column("n")
    if int(n.sum()) == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    values = groups[sex].astype(object)
    reading = read_sex(
        values,
        n,
        column=sex,
        male=coding.male,
        female=coding.female,
        unknown_labels=coding.unknown_labels,
    )
    reading.require_both(values[n > 0])
    counts = {key: column(key) for key in checks}
    return FirstPass(frame=frame, groups=groups, n=n, counts=counts, sex=reading, types=types)


@dataclass(frozen=True)
class SexSummary:
    """Raw mean and median gaps, (men − women) / men × 100, and the per-sex summary."""

    mean_gap: float
    median_gap: float
    table: pd.DataFrame  # male (bool), n, sum, mean, median, max, exact_sum

    def side(self, male: bool) -> Any:
        rows = self.table[self.table["male"] == male]
        return None if rows.empty or int(rows["n"].iloc[0]) == 0 else rows.iloc[0]

    @classmethod
    def of(cls, table: pd.DataFrame) -> SexSummary:
        """The gaps of a summary table (``male``, ``n``, ``mean``, ``median``, ``max``)."""
        out = cls(float("nan"), float("nan"), table)
        men, women = out.side(True), out.side(False)
        if men is None or women is None:
            return out
        mean = raw_gap(float(men["mean"]), float(women["mean"]))
        median = raw_gap(float(men["median"]), float(women["median"]))
        return cls(mean, median, table)

    @property
    def exact(self) -> pd.DataFrame:
        """What the figures are computed from, identical in every engine and for every row
        order (for fingerprints): counts, exact sums, medians and maxima per sex."""
        return self.table[["male", "n", "exact_sum", "median", "max"]]


def sex_summary(work: Any, value: str, male: str) -> SexSummary:
    """Means and medians of ``value`` for men and women of ``work`` (``male``: boolean)."""
    table = group_summary(work, value, by=male).rename(columns={male: "male"})
    table = table[table["male"].notna()].astype({"male": bool}).reset_index(drop=True)
    return SexSummary.of(table)


def relative_warning(
    fp: FirstPass, summary: SexSummary, column: str, argument: str, rows: nw.Expr, value: nw.Expr,
    lowest: float = float("nan"),
) -> list[str]:
    """The warnings for values more than :data:`~fairhire.pay._values.RELATIVE_LIMIT` times
    their sex's median, and for positive values less than 1/RELATIVE_LIMIT of it (``value``:
    the figure summarised, on the user's columns; ``rows``: the rows summarised; ``lowest``:
    the smallest value among them, e.g. the lowest quartile band's, so that the engine counts
    rows only when there may be some to count)."""
    checks: dict[str, tuple[nw.Expr, list[float]]] = {
        "above": (nw.lit(False), []), "below": (nw.lit(False), [])}
    for male in (True, False):
        side = summary.side(male)
        if side is None or not float(side["median"]) > 0:
            continue
        median = float(side["median"])
        sex_rows = fp.is_male if male else ~fp.is_male
        if float(side["max"]) > RELATIVE_LIMIT * median:
            far, medians = checks["above"]
            checks["above"] = (far | (sex_rows & (value > RELATIVE_LIMIT * median)),
                               [*medians, median])
        if lowest < median / RELATIVE_LIMIT:
            far, medians = checks["below"]
            checks["below"] = (far | (sex_rows & (value > 0) & (value < median / RELATIVE_LIMIT)),
                               [*medians, median])
    out = []
    for kind in ("above", "below"):
        far, medians = checks[kind]
        if not medians:
            continue
        hit = rows & far
        count = int(collect_pandas(fp.frame.select(sum_true(hit, fp.frame).alias("k")))["k"]
                    .iloc[0])
        if count:
            values, at = examples(fp.frame, column, hit)
            out.append(far_from_median_warning(column, argument, count, medians[0], values,
                                               at, below=kind == "below"))
    return out
