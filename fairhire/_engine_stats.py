"""Medians, quantiles and rank-based pay bands computed in the caller's engine.

Counts and sums (``_frames.group_counts``) are not enough for pay gaps and the statutory pay
metrics: they need medians, and the UK/EU quartile pay bands need ranks. The functions here push
that work into the engine the data live in and return small pandas tables.

Which engine gives an exact answer (see also ``docs/guide/large-data.md``):

============  ===========================================  =====================================
engine        median / quantile                            exact?
============  ===========================================  =====================================
pandas        ``Series.median`` / ``quantile`` (linear)    exact
polars        ``median`` / ``quantile(..., "linear")``     exact
pyarrow       ``pc.quantile(..., "linear")``; grouped:     exact (Arrow's grouped
              the value and key columns go through pandas  ``hash_approximate_median`` is a
                                                           t-digest, so it is *not* used)
DuckDB        ``median`` = ``quantile_cont``               exact (``approx_quantile`` not used)
PySpark       ``median`` (Spark >= 3.4) / ``percentile``   exact (``percentile_approx`` not used;
                                                           narwhals falls back to it on Spark
                                                           < 3.4, which fairhire does not
                                                           support)
other         whatever narwhals maps ``median`` to         see :func:`median_method`
============  ===========================================  =====================================

"Exact" means the order statistics are exact. When an even count makes the median the midpoint
of two values, pandas, numpy, pyarrow, DuckDB and Spark round ``(a + b) / 2``; polars' ``median``
computes ``a + (b - a) / 2``, which differs in the last bit about one time in four, so polars is
asked for its ``"midpoint"`` quantile, which rounds ``(a + b) / 2`` too: every engine gives the
same bits.

Sums and means are exact too, and so independent of the engine and of the row order (a float
sum is neither: its last bits follow the order of summation). :func:`with_exact_parts` cuts
each value into four integer parts (:data:`PART_UNITS`); their sums are sums of integers below
2^53, exact in any engine and any order, and :func:`exact_sum` puts them back together as a
:class:`~fractions.Fraction`. The mean is that fraction over the count, rounded once.
Counts are integers and identical everywhere.

Missing values (null, and NaN in float columns) are left out of every statistic here and not
counted in ``n``; callers that must account for them count them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ._core.names import internal_names
from ._core.params import check_choice
from ._frames import (
    Frame,
    as_columns,
    collect_pandas,
    require_columns,
    schema,
    sum_true,
    to_narwhals,
)
from .errors import ColumnError, InvalidParameterError
from .stats.paygap import (
    BAND_NAMES,
    BAND_RULES,
    BAND_SIZES,
    Runs,
    band_boundaries,
    band_table,
    ranked_runs,
)

__all__ = [
    "BAND_NAMES",
    "BAND_RULES",
    "BAND_SIZES",
    "PART_UNITS",
    "exact_sum",
    "group_summary",
    "median",
    "median_method",
    "quantiles",
    "quartile_bands",
    "with_exact_parts",
]

#: Exponents of the units of the four parts of a value (see :func:`with_exact_parts`).
PART_UNITS = (24, -2, -28, -54)
#: Rows per group below which the parts' sums are exact (each part is below 2^26).
EXACT_ROWS = 2**27


def with_exact_parts(
    frame: Frame, column: str, names: Sequence[str], *, signed: bool = False
) -> Frame:
    """Add four integer-valued float columns ``names`` whose sums give the exact sum of
    ``column`` (values below 2^50 in size; :data:`~fairhire.pay._values.PAY_LIMIT` keeps pay
    there). ``signed=True`` for a column that may hold negative values.

    A value ``x ≥ 0`` is ``p0·2^24 + p1·2^-2 + p2·2^-28 + p3·2^-54`` plus what lies below
    2^-54, with every part a whole number below 2^26: ``p0 = floor(x·2^-24)`` and
    ``p_k = floor((x·2^-u_k) mod 2^26)`` for the unit ``2^u_k`` of part ``k``. Scaling by a
    power of two, the remainder and ``floor`` are exact in IEEE arithmetic, so every engine
    cuts a value the same way; and a sum of whole numbers below 2^53 is exact in any order: the
    parts' sums per group are identical on every engine and for every row order, up to
    :data:`EXACT_ROWS` rows a group. Values of 0.25 or more are represented exactly, smaller
    ones to 2^-54. A negative value (``signed=True``) is cut by its size, and its parts are
    negated. Null values give null parts, which sums skip (NaN gives NaN: leave it out first,
    as polars sums it). The parts are independent expressions of one ``with_columns``, which
    lazy engines evaluate with their shared terms once.

    Examples
    --------
    >>> import pandas as pd
    >>> import narwhals.stable.v2 as nw
    >>> df = nw.from_native(pd.DataFrame({"x": [0.3, 2.5, -3.1]}))
    >>> parts = with_exact_parts(df, "x", ["p0", "p1", "p2", "p3"], signed=True)
    >>> sums = parts.select(nw.col("p0", "p1", "p2", "p3").sum()).to_pandas().iloc[0]
    >>> exact_sum(sums.tolist()) == Fraction(0.3) + Fraction(2.5) + Fraction(-3.1)
    True
    """
    if len(names) != len(PART_UNITS):
        raise ValueError(f"with_exact_parts needs {len(PART_UNITS)} names; got {list(names)!r}")
    value = nw.col(column).cast(nw.Float64)
    size = value.abs() if signed else value
    parts = [(size * 2.0**-PART_UNITS[0]).floor()]
    # the digits below: floor of the remainder modulo 2^26 of the scaled value. Only values
    # below 2^26 reach floor(), which Spark returns as a 64-bit integer (a scaled value of up
    # to 2^104 would overflow it)
    parts += [((size * 2.0**-unit) % 2.0**26).floor() for unit in PART_UNITS[1:]]
    if signed:
        sign = nw.when(value < 0).then(-1.0).otherwise(1.0)
        parts = [p * sign for p in parts]
    return frame.with_columns(*(p.alias(name) for p, name in zip(parts, names, strict=True)))


def exact_sum(part_sums: Sequence[Any]) -> Fraction:
    """The exact sum from the sums of the four parts of :func:`with_exact_parts`.

    Examples
    --------
    >>> exact_sum([0, 2**2, 0, 0])
    Fraction(1, 1)
    """
    total = Fraction(0)
    for value, unit in zip(part_sums, PART_UNITS, strict=True):
        if value == value and value is not None:  # an empty group sums to null in some engines
            total += Fraction(int(value)) * Fraction(2) ** unit
    return total


def median_method(data: Any) -> str:
    """Name the algorithm the engine of ``data`` uses for medians, and whether it is exact.

    Examples
    --------
    >>> import pandas as pd
    >>> median_method(pd.DataFrame({"x": [1]}))
    'pandas median (exact)'
    """
    impl = to_narwhals(data).implementation
    if impl.is_pandas_like():
        return f"{impl} median (exact)"
    if impl.is_polars():
        return "polars median (exact)"
    if impl.is_pyarrow():
        return "pyarrow quantile, linear interpolation (exact)"
    if impl.is_duckdb():
        return "DuckDB median = quantile_cont (exact)"
    if impl.is_spark_like():
        if impl.is_sqlframe():
            return "SQLFrame median (depends on the SQL engine behind it)"
        if impl._backend_version() < (3, 4):  # pragma: no cover - unsupported Spark
            return "Spark percentile_approx (APPROXIMATE, relative error 1/10000)"
        return "Spark median = percentile (exact)"
    return f"{impl} median (check the engine's documentation)"


#: Column names of the tables returned here; a ``by`` column cannot take one of them.
_OUTPUT_NAMES = frozenset({"n", "sum", "mean", "median", "max", "exact_sum"})


def _prepare(data: Any, column: str, by: Sequence[str], *, argument: str) -> Frame:
    frame = to_narwhals(data)
    require_columns(frame, **{argument: column, "by": list(by)})
    clash = sorted(_OUTPUT_NAMES.intersection(by))
    if clash:
        raise InvalidParameterError(
            f"by= names the column(s) {clash}, which the returned table uses for its figures "
            f"({', '.join(sorted(_OUTPUT_NAMES))}); rename them (e.g. with .rename()) first."
        )
    dtype = schema(frame)[column]
    if dtype == nw.Boolean or not dtype.is_numeric():
        raise ColumnError(
            f"column {column!r} ({argument}=) must be numeric to take a median or quantile; it "
            f"has type {dtype}. Convert it to numbers in the engine (e.g. a cast) first."
        )
    keep = ~nw.col(column).is_null()
    if dtype.is_float():
        keep = keep & ~nw.col(column).is_nan()
    return frame.select(*by, column).filter(keep)


def _median(frame: Frame, column: str) -> nw.Expr:
    """The median, rounded as ``(a + b) / 2`` between two middle values in every engine
    (polars' ``median`` rounds ``a + (b - a) / 2``; its ``"midpoint"`` quantile does not)."""
    if frame.implementation.is_polars():
        return nw.col(column).quantile(0.5, interpolation="midpoint")
    return nw.col(column).median()


def _grouped(frame: Frame, by: Sequence[str], aggs: list[nw.Expr]) -> pd.DataFrame:
    """One aggregation in the engine; pyarrow's grouped median/quantile are approximate or
    unsupported, so an Arrow table's (few) needed columns go through pandas instead."""
    if by and frame.implementation.is_pyarrow():
        frame = nw.from_native(frame.to_pandas())
    if by:
        return collect_pandas(frame.group_by(*by, drop_null_keys=False).agg(*aggs))
    return collect_pandas(frame.select(*aggs))


def _tidy(
    out: pd.DataFrame, by: Sequence[str], value_columns: Sequence[str], numeric: int | None = None
) -> pd.DataFrame:
    """Stable row order (sorted by the keys, missing keys last) and plain dtypes (float64 for
    the first ``numeric`` value columns, default all)."""
    out = out.reset_index(drop=True)
    for c in value_columns[:numeric]:
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["n"] = pd.to_numeric(out["n"]).astype("int64")
    if by:
        keys = out[list(by)].astype(object).where(out[list(by)].notna(), None)
        order = sorted(
            range(len(out)),
            key=lambda i: tuple((v is None, str(type(v)), v) for v in keys.iloc[i]),
        )
        out = out.iloc[order].reset_index(drop=True)
        for c in by:
            out[c] = keys[c].iloc[order].reset_index(drop=True)
    return out[[*by, "n", *value_columns]]


def median(data: Any, column: str, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Median of ``column`` (overall or per group), computed in the data's engine.

    Parameters
    ----------
    data : DataFrame
        pandas, polars (eager or lazy), pyarrow, DuckDB, PySpark ...; never modified.
    column : str
        Numeric column. Nulls and NaN are left out (and not counted in ``n``).
    by : str or list of str, optional
        Group columns; missing keys form a group of their own.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "n", "median"]``, one row per group sorted by the keys (one row without
        ``by``). ``median`` is NaN for a group with no values.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pay": [10.0, 12.0, 15.0, 20.0, 11.0], "sex": list("MMMFF")})
    >>> median(df, "pay", by="sex")
      sex  n  median
    0   F  2    15.5
    1   M  3    12.0
    >>> float(median(df, "pay")["median"].iloc[0])
    12.0
    """
    by_cols = as_columns(by, argument="by")
    frame = _prepare(data, column, by_cols, argument="column")
    aggs = [nw.col(column).count().alias("n"), _median(frame, column).alias("median")]
    return _tidy(_grouped(frame, by_cols, aggs), by_cols, ["median"])


def quantiles(
    data: Any, column: str, q: Sequence[float], by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Quantiles of ``column`` with linear interpolation (numpy's default, Hyndman–Fan type 7).

    Exact on every engine listed in the module docstring (Spark: ``percentile``, DuckDB:
    ``quantile_cont``).

    Returns
    -------
    pandas.DataFrame
        ``[*by, "n", "q0.25", ...]``: one column per requested quantile, named ``f"q{q:g}"``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pay": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> quantiles(df, "pay", [0.25, 0.5, 0.9])
       n  q0.25  q0.5  q0.9
    0  5    2.0   3.0   4.6
    """
    qs = [float(v) for v in q]
    if not qs or any(not 0 <= v <= 1 for v in qs):
        raise InvalidParameterError(f"q={list(q)!r} must be probabilities in [0, 1].")
    by_cols = as_columns(by, argument="by")
    frame = _prepare(data, column, by_cols, argument="column")
    names = [f"q{v:g}" for v in qs]
    aggs = [nw.col(column).count().alias("n")]
    # Engine-side names without dots: Spark reads "q0.5" as a struct field access.
    aggs += [
        nw.col(column).quantile(v, interpolation="linear").alias(f"__fh_q{i}")
        for i, v in enumerate(qs)
    ]
    out = _grouped(frame, by_cols, aggs)
    out = out.rename(columns={f"__fh_q{i}": name for i, name in enumerate(names)})
    return _tidy(out, by_cols, names)


def group_summary(data: Any, column: str, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Count, sum, mean, median and maximum of ``column`` per group, in one pass of the engine.

    What a raw (unadjusted) pay gap needs: the mean and median pay of each group (and the
    largest value, to spot implausible pay). Sums are exact (:func:`with_exact_parts`, for
    non-negative values below 2^50), so ``sum``, ``mean`` (the exact sum over ``n``, rounded
    once) and ``exact_sum`` (a :class:`~fractions.Fraction`, for fingerprints) are the same in
    every engine and for every row order.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "n", "sum", "mean", "median", "max", "exact_sum"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pay": [10.0, 12.0, 15.0, 20.0, 11.0], "sex": list("MMMFF")})
    >>> group_summary(df, "pay", by="sex")
      sex  n   sum       mean  median   max exact_sum
    0   F  2  31.0  15.500000    15.5  20.0        31
    1   M  3  37.0  12.333333    12.0  15.0        37
    """
    by_cols = as_columns(by, argument="by")
    frame = _prepare(data, column, by_cols, argument="column")
    parts = list(internal_names([f"part{i}" for i in PART_UNITS], [*by_cols, column]).values())
    frame = with_exact_parts(frame, column, parts)
    aggs = [
        nw.col(column).count().alias("n"),
        _median(frame, column).alias("median"),
        nw.col(column).max().alias("max"),
        *(nw.col(p).sum().alias(p) for p in parts),
    ]
    out = _grouped(frame, by_cols, aggs)
    exact = [exact_sum(row) for row in out[parts].itertuples(index=False)]
    counts = pd.to_numeric(out["n"]).astype("int64").tolist()
    out["sum"] = [float(total) for total in exact]
    out["mean"] = [float(t / k) if k else np.nan for t, k in zip(exact, counts, strict=True)]
    out = out.assign(_exact=exact)
    table = _tidy(out, by_cols, ["sum", "mean", "median", "max", "_exact"], numeric=4)
    return table.rename(columns={"_exact": "exact_sum"})


def quartile_bands(
    data: Any,
    pay: str,
    male: str | nw.Expr,
    *,
    band_sizes: str = "lower_first",
    band_rule: str = "pro_rata",
) -> pd.DataFrame:
    """Men and women in four equal-headcount pay bands (SI 2017/172 reg 13), ranked in the
    data's engine.

    With ``band_rule="pro_rata"`` (reg 13(2)) the rows never leave the engine: it groups them
    by pay value (one run per distinct pay, with its headcount and number of men), numbers the
    runs with a running sum ordered by pay (a window function), and adds up every run that lies
    inside one band. Only the at most three runs that straddle a band boundary come back, to be
    shared pro rata by :func:`fairhire.stats.paygap.band_table`, so their male/female
    proportion is the same in each band they span. Counts are exact integers except where that
    split makes them fractional. On Spark the window has no partition, so the distinct pay
    values (not the rows) meet on one executor.

    ``band_rule="rank"`` cuts the ranked list where it falls, ties in input order (not
    compliant with reg 13(2); offered to compare with payroll software). Input order exists
    only in memory, so this rule collects the two columns to pandas.

    Parameters
    ----------
    data : DataFrame
        One row per (full-pay relevant) employee; rows with a missing pay are left out.
    pay : str
        Numeric pay column (hourly pay for the UK metrics).
    male : str or narwhals expression
        Boolean column (or expression, e.g. ``nw.col("sex") == "M"``): True for men, False for
        women. Rows where it is null are left out; filter other sexes out before calling.
    band_sizes : {"lower_first", "upper_first", "fractional"}
        Where the remainder goes when the headcount is not a multiple of 4
        (:func:`fairhire.stats.paygap.band_boundaries`).
    band_rule : {"pro_rata", "rank"}
        Runs of equal pay at a boundary: shared pro rata (reg 13(2)) or cut in input order.

    Returns
    -------
    pandas.DataFrame
        ``band``, ``employees``, ``men``, ``women``, ``male_pct``, ``female_pct``,
        ``min_pay``, ``max_pay``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pay": [10, 12, 15, 20, 10, 12, 12, 18.0],
    ...                    "male": [1, 1, 1, 1, 0, 0, 0, 0]}).astype({"male": bool})
    >>> quartile_bands(df, "pay", "male")["male_pct"].round(2).tolist()
    [50.0, 33.33, 66.67, 50.0]
    >>> quartile_bands(df, "pay", "male", band_rule="rank")["male_pct"].tolist()
    [50.0, 50.0, 50.0, 50.0]
    """
    check_choice(band_sizes, "band_sizes", BAND_SIZES)
    check_choice(band_rule, "band_rule", BAND_RULES)
    frame = to_narwhals(data)
    names = internal_names(["male", "pay"], list(schema(frame)))
    if isinstance(male, str):
        require_columns(frame, pay=pay, male=male)
        flag = nw.col(male)
    else:
        require_columns(frame, pay=pay)
        flag = male
    work = frame.select(flag.alias(names["male"]), nw.col(pay).alias(names["pay"]))
    work = _prepare(work, names["pay"], [names["male"]], argument="pay")
    work = work.filter(~nw.col(names["male"]).is_null())
    if schema(work)[names["male"]] != nw.Boolean:
        raise ColumnError(
            f"male= must be a boolean column or expression (True for men); got type "
            f"{schema(work)[names['male']]}."
        )
    if band_rule == "rank":
        rows = collect_pandas(work)
        pay_values = rows[names["pay"]].to_numpy(dtype=np.float64)
        runs = ranked_runs(pay_values, rows[names["male"]].to_numpy(dtype=bool), band_rule="rank")
        return band_table(runs, band_boundaries(len(rows), band_sizes))
    n = int(collect_pandas(work.select(nw.len().alias("n")))["n"].iloc[0])
    bounds = band_boundaries(n, band_sizes)
    return band_table(_runs_in_engine(work, names["pay"], names["male"], bounds), bounds)


def _runs_in_engine(work: Frame, pay: str, male: str, bounds: np.ndarray) -> Runs:
    """The runs of equal pay, added up in the engine: one part per band for the runs inside
    it, and one per run that straddles a boundary (at most seven rows come back)."""
    c = internal_names(["cnt", "men", "start", "end", "key"], [pay, male])
    runs = work.group_by(pay).agg(
        nw.len().alias(c["cnt"]), sum_true(nw.col(male), work).alias(c["men"])
    )
    runs = runs.with_columns(nw.col(c["cnt"]).cum_sum().over(order_by=pay).alias(c["end"]))
    runs = runs.with_columns((nw.col(c["end"]) - nw.col(c["cnt"])).alias(c["start"]))
    straddles = nw.lit(False)
    band = nw.lit(0)
    for b in (float(x) for x in bounds[1:4]):
        straddles = straddles | ((nw.col(c["start"]) < b) & (nw.col(c["end"]) > b))
        band = band + (nw.col(c["start"]) >= b).cast(nw.Int64)
    # Runs inside one band share its key 0..3; a straddling run keeps a key of its own.
    key = nw.when(straddles).then(nw.col(c["start"]).cast(nw.Int64) + 4).otherwise(band)
    parts = collect_pandas(
        runs.with_columns(key.cast(nw.Int64).alias(c["key"]))
        .group_by(c["key"])
        .agg(
            nw.col(c["men"]).sum().alias("men"),
            nw.col(c["start"]).min().alias("start"),
            nw.col(c["end"]).max().alias("end"),
            nw.col(pay).min().alias("min_pay"),
            nw.col(pay).max().alias("max_pay"),
        )
    ).sort_values("start", kind="stable")

    def column(name: str) -> np.ndarray:
        return pd.to_numeric(parts[name]).to_numpy(dtype=np.float64)

    return Runs(*(column(k) for k in ("start", "end", "men", "min_pay", "max_pay")))
