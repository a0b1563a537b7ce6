"""The six UK gender pay gap metrics (The Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017, SI 2017/172, regs 8–13).

1. mean and 2. median gender pay gap in hourly pay (full-pay relevant employees, reg 8, 9);
3. mean and 4. median bonus gap (relevant employees paid bonus pay in the 12 months to the
snapshot date, reg 10, 11); 5. proportions of men and of women paid bonus pay (reg 12);
6. proportions of men and women in each of four quartile pay bands (reg 13), equal-headcount
sections of the ranked list, with the reg 13(2) rule for equal rates straddling a boundary.
Gaps are (men − women) / men × 100, positive when men are paid more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._engine_stats import group_summary
from .._engine_stats import quartile_bands as engine_quartile_bands
from .._frames import collect_pandas, is_lazy, require_columns, schema, sum_true, to_narwhals
from .._results import Headline, Result, RowAccount
from ..errors import (
    ColumnError,
    InsufficientDataError,
    InvalidParameterError,
    preview,
)
from ._bands import BAND_RULES, BAND_SIZES, mean_median_gap, publish, quartile_bands
from ._design import (
    RowFilter,
    check_engine_pay,
    check_pay,
    collect,
    engine_infinite,
    engine_missing,
    sex_frame_values,
    sex_group_values,
    summary_gaps,
    two_sex_warnings,
)

__all__ = ["UKPayGapMetrics", "uk_pay_gap_metrics"]

METRICS = (
    ("mean_hourly_gap", "Mean gender pay gap in hourly pay", "reg 8"),
    ("median_hourly_gap", "Median gender pay gap in hourly pay", "reg 9"),
    ("mean_bonus_gap", "Mean bonus gender pay gap", "reg 10"),
    ("median_bonus_gap", "Median bonus gender pay gap", "reg 11"),
    ("male_bonus_pct", "Proportion of men paid bonus pay", "reg 12"),
    ("female_bonus_pct", "Proportion of women paid bonus pay", "reg 12"),
)


@dataclass(frozen=True, kw_only=True, eq=False)
class UKPayGapMetrics(Result):
    """The six UK gender pay gap metrics, exact and as published.

    Attributes
    ----------
    mean_hourly_gap, median_hourly_gap, mean_bonus_gap, median_bonus_gap : float
        Percent, (men − women) / men × 100 (NaN when not computable, e.g. no bonus column).
    male_bonus_pct, female_bonus_pct : float
        Percent of relevant men / women paid bonus pay.
    metrics : pandas.DataFrame
        ``metric``, ``description``, ``regulation``, ``value`` (exact), ``published``
        (rounded half up to ``decimals``).
    quartiles : pandas.DataFrame
        ``band`` (lower, lower middle, upper middle, upper), ``employees``, ``men``,
        ``women`` (fractional where reg 13(2) splits a run of equal pay), ``male_pct``,
        ``female_pct``, ``male_pct_published``, ``female_pct_published``, ``min_pay``,
        ``max_pay`` (hourly pay range of the band).
    populations : pandas.DataFrame
        ``population``, ``men``, ``women``: who each metric covers.
    sex_other : dict
        Values of the sex column that are neither male nor female, with counts: excluded from
        these two-sex metrics and reported.
    """

    mean_hourly_gap: float
    median_hourly_gap: float
    mean_bonus_gap: float
    median_bonus_gap: float
    male_bonus_pct: float
    female_bonus_pct: float
    metrics: pd.DataFrame
    quartiles: pd.DataFrame
    populations: pd.DataFrame
    sex_other: dict[str, int] = field(default_factory=dict)
    sex_missing: int = 0
    decimals: int = 1
    band_rule: str = "pro_rata"
    band_sizes: str = "lower_first"

    kind: ClassVar[str] = "UK gender pay gap metrics"
    count_columns: ClassVar[frozenset[str]] = frozenset({"men", "women", "employees"})
    report_count_columns: ClassVar[tuple[str, ...]] = ("men", "women")
    report_derived_columns: ClassVar[tuple[str, ...]] = (
        "male_pct", "female_pct", "male_pct_published", "female_pct_published", "min_pay",
        "max_pay",
    )  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        return self.metrics.copy()

    def summary(self) -> str:
        lines = ["UK gender pay gap metrics (SI 2017/172)"]
        if self.rows is not None:
            lines.append(self.rows.describe())
        for r in self.metrics.itertuples(index=False):
            lines.append(f"  {r.description}: {_show(r.published, self.decimals)}%")
        lines.append("  Quartile pay bands (men / women):")
        for r in self.quartiles.itertuples(index=False):
            lines.append(
                f"    {r.band:<13} {_show(r.male_pct_published, self.decimals)}% / "
                f"{_show(r.female_pct_published, self.decimals)}%"
            )
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        out = []
        d = self.decimals
        if np.isfinite(self.median_hourly_gap):
            who = "men" if self.median_hourly_gap >= 0 else "women"
            out.append(
                Headline(
                    severity=2 if abs(self.mean_hourly_gap) >= 5 else 1,
                    text=f"UK gender pay gap: the median hourly pay gap is "
                    f"{_show(self.median_hourly_gap, d)}% and the mean gap "
                    f"{_show(self.mean_hourly_gap, d)}% ({who} paid more at the median).",
                    figure=float(self.median_hourly_gap),
                    section="hourly pay",
                )
            )
        if np.isfinite(self.mean_bonus_gap):
            out.append(
                Headline(
                    severity=1,
                    text=f"{_show(self.male_bonus_pct, d)}% of men and "
                    f"{_show(self.female_bonus_pct, d)}% of women were paid a bonus; the mean "
                    f"bonus gap is {_show(self.mean_bonus_gap, d)}% and the median "
                    f"{_show(self.median_bonus_gap, d)}%.",
                    figure=float(self.mean_bonus_gap),
                    section="bonus",
                )
            )
        q = self.quartiles
        if len(q) == 4 and np.isfinite(q["female_pct"]).all():
            out.append(
                Headline(
                    severity=1,
                    text=f"Women are {_show(q['female_pct_published'].iloc[0], d)}% of the lower "
                    f"pay quartile and {_show(q['female_pct_published'].iloc[3], d)}% of the "
                    "upper quartile.",
                    figure=float(q["female_pct"].iloc[3]),
                    section="quartiles",
                )
            )
        return out


def _show(x: float, decimals: int) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{x:.{decimals}f}"


def _bool_column(values: pd.Series, column: str, argument: str) -> np.ndarray:
    """A True/False column (bool, 0/1, or yes/no/true/false text); missing is an error."""
    if values.dtype == bool:
        return values.to_numpy()
    mapping = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False,
               "1": True, "0": False}  # fmt: skip
    out = []
    bad = []
    for v in values.astype(object):
        if isinstance(v, bool | np.bool_):
            out.append(bool(v))
        elif isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
            out.append(bool(v))
        elif isinstance(v, str) and v.strip().casefold() in mapping:
            out.append(mapping[v.strip().casefold()])
        else:
            out.append(False)
            bad.append(v)
    if bad:
        raise ColumnError(
            f"column {column!r} ({argument}=) must be True/False (or 1/0, yes/no); "
            f"{len(bad)} of {len(values)} rows hold other values such as {preview(bad)}."
        )
    return np.asarray(out, dtype=bool)


def _bool_value(v: Any) -> bool | None:
    """One value of a True/False column as :func:`_bool_column` reads it; None if unreadable."""
    mapping = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False,
               "1": True, "0": False}  # fmt: skip
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().casefold() in mapping:
        return mapping[v.strip().casefold()]
    return None


@dataclass
class _Core:
    """What the collected and the in-engine paths hand to :func:`uk_pay_gap_metrics`."""

    total: int
    values: dict[str, float]
    quartiles: pd.DataFrame
    populations: list[tuple[str, int, int]]
    sex: Any  # SexValues or SexCounts: .other, .missing
    warnings: list[str]
    used: int
    excluded: dict[str, int]


def _uk_in_engine(
    frame: Any,
    *,
    hourly_pay: str,
    sex: str,
    bonus: str | None,
    full_pay: str | None,
    male: Any,
    female: Any,
    band_sizes: str,
) -> _Core:
    """The metrics for data in a lazy engine (DuckDB, Spark, polars lazy), computed there.

    One group-by over (sex, full_pay) values counts everything the row accounting and the
    checks need (missing, negative and infinite pay and bonus); the distinct sex and full-pay
    values are read in Python and turned into engine expressions; means and medians come from
    :func:`fairhire._engine_stats.group_summary` and the bands from its ``quartile_bands``.
    Counts, exclusions and warnings are those of the collected path; errors too, except that
    lazy data have no row numbers to quote.
    """
    require_columns(frame, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay)
    types = schema(frame)

    def numeric(column: str) -> bool:
        return types[column] != nw.Boolean and types[column].is_numeric()

    def missing(column: str) -> nw.Expr:
        return engine_missing(column, types)

    def infinite(column: str) -> nw.Expr:
        return engine_infinite(column, types)

    aggs = [nw.len().alias("__fh_n")]
    checks: dict[str, nw.Expr] = {}
    for column, prefix in ((hourly_pay, "pay"), (bonus, "bonus")):
        if column is None or not numeric(column):
            continue
        known = ~missing(column)
        checks[f"__fh_{prefix}_missing"] = missing(column)
        checks[f"__fh_{prefix}_negative"] = known & (nw.col(column) < 0)
        checks[f"__fh_{prefix}_infinite"] = infinite(column)
        if prefix == "bonus":  # NaN > 0 is true in DuckDB and Spark: known values only
            checks["__fh_bonus_positive"] = known & (nw.col(column) > 0)
    aggs += [sum_true(expr, frame).alias(name) for name, expr in checks.items()]
    keys = [sex] if full_pay is None or full_pay == sex else [sex, full_pay]
    groups = collect_pandas(frame.group_by(*keys, drop_null_keys=False).agg(*aggs))
    count = {
        name: pd.to_numeric(groups[name]).fillna(0).to_numpy(dtype=np.int64)
        for name in ["__fh_n", *checks]
    }
    total = int(count["__fh_n"].sum())
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sc, male_values, female_values = sex_group_values(
        groups[sex], count["__fh_n"], sex, male=male, female=female
    )
    n = count["__fh_n"]
    kept = codes >= 0
    kept_expr = nw.col(sex).is_in([*male_values, *female_values])
    excluded = {}
    for reason, hit in (
        ("sex missing", sc.missing),
        ("sex not male or female (excluded from two-sex metrics)", sc.n_other),
    ):
        if hit:
            excluded[reason] = hit
    warnings = two_sex_warnings(sc, sex, who="employees", what="metrics")
    check_engine_pay(frame, hourly_pay, "hourly_pay", types, count.get("__fh_pay_infinite"))
    negative = int(count["__fh_pay_negative"][kept].sum())
    if negative:
        raise ColumnError(
            f"column {hourly_pay!r} (hourly_pay=) has {negative} negative values; hourly pay "
            "cannot be negative."
        )
    if full_pay is None:
        fp = np.ones(len(groups), dtype=bool)
        fp_expr = None
    else:
        read = [_bool_value(v) for v in groups[full_pay].astype(object)]
        bad = [i for i, v in enumerate(read) if v is None]
        if bad:
            examples = [groups[full_pay].astype(object).iloc[i] for i in bad]
            raise ColumnError(
                f"column {full_pay!r} (full_pay=) must be True/False (or 1/0, yes/no); "
                f"{int(n[bad].sum())} of {total} rows hold other values such as "
                f"{preview(examples)}."
            )
        fp = np.asarray(read, dtype=bool)
        if types[full_pay] == nw.Boolean:
            fp_expr = nw.col(full_pay)
        else:
            true_values = list(
                dict.fromkeys(
                    v.item() if isinstance(v, np.generic) else v
                    for v, ok in zip(groups[full_pay].astype(object), fp, strict=True)
                    if ok
                )
            )
            # no True value at all: nobody is full-pay relevant (a filter no row passes)
            fp_expr = nw.col(full_pay).is_in(true_values) if true_values else ~kept_expr
    pay_missing = count["__fh_pay_missing"]
    no_pay = int(pay_missing[kept & fp].sum())
    if no_pay:
        warnings.append(
            f"{no_pay:,} full-pay relevant employees have no hourly pay in {hourly_pay!r} and "
            "are left out of the hourly pay metrics"
        )
    in_pay = np.where(kept & fp, n - pay_missing, 0)

    columns = list(dict.fromkeys(c for c in (sex, hourly_pay, bonus, full_pay) if c))
    two_sexes = (
        frame.select(*columns)
        .filter(kept_expr)
        .with_columns(nw.col(sex).is_in(male_values).alias("__fh_male"))
    )
    hourly = (two_sexes if fp_expr is None else two_sexes.filter(fp_expr)).select(
        "__fh_male", nw.col(hourly_pay).cast(nw.Float64).alias("__fh_pay")
    )
    mean_gap, median_gap = summary_gaps(group_summary(hourly, "__fh_pay", by="__fh_male"))
    quartiles = engine_quartile_bands(hourly, "__fh_pay", "__fh_male", band_sizes=band_sizes)
    populations = [
        ("full-pay relevant employees (hourly pay, quartiles)",
         int(in_pay[codes == 0].sum()), int(in_pay[codes == 1].sum())),
    ]  # fmt: skip

    nan = float("nan")
    mean_bonus_gap = median_bonus_gap = male_bonus = female_bonus = nan
    if bonus is not None:
        check_engine_pay(frame, bonus, "bonus", types, count.get("__fh_bonus_infinite"))
        bonus_missing = int(count["__fh_bonus_missing"][kept].sum())
        if bonus_missing:
            warnings.append(
                f"{bonus_missing:,} employees have no value in {bonus!r} and are left out of "
                "the bonus metrics (use 0 for no bonus)"
            )
        negative = int(count["__fh_bonus_negative"][kept].sum())
        if negative:
            raise ColumnError(
                f"column {bonus!r} (bonus=) has {negative} negative values; bonus pay cannot be "
                "negative."
            )
        relevant = n - count["__fh_bonus_missing"]
        paid = count["__fh_bonus_positive"]
        rel_m, rel_f = int(relevant[codes == 0].sum()), int(relevant[codes == 1].sum())
        paid_m, paid_f = int(paid[codes == 0].sum()), int(paid[codes == 1].sum())
        male_bonus, female_bonus = _bonus_figures(
            rel_m, rel_f, paid_m, paid_f, warnings, populations
        )
        paid_rows = two_sexes.select(
            "__fh_male", nw.col(bonus).cast(nw.Float64).alias("__fh_bonus")
        ).filter(~nw.col("__fh_bonus").is_null() & ~nw.col("__fh_bonus").is_nan())
        mean_bonus_gap, median_bonus_gap = summary_gaps(
            group_summary(paid_rows.filter(nw.col("__fh_bonus") > 0), "__fh_bonus", by="__fh_male")
        )
    values = {
        "mean_hourly_gap": mean_gap,
        "median_hourly_gap": median_gap,
        "mean_bonus_gap": mean_bonus_gap,
        "median_bonus_gap": median_bonus_gap,
        "male_bonus_pct": male_bonus,
        "female_bonus_pct": female_bonus,
    }
    return _Core(
        total=total, values=values, quartiles=quartiles, populations=populations, sex=sc,
        warnings=warnings, used=int(n[kept].sum()), excluded=excluded,
    )  # fmt: skip


def _bonus_figures(
    rel_m: int, rel_f: int, paid_m: int, paid_f: int, warnings: list[str], populations: list
) -> tuple[float, float]:
    """Shares of men and women paid a bonus (%); notes undefined gaps and the populations."""
    nan = float("nan")
    if paid_m == 0 or paid_f == 0:
        warnings.append(
            "the bonus gaps are not defined: "
            + ("no man" if paid_m == 0 else "no woman")
            + " was paid a bonus"
        )
    populations += [
        ("relevant employees (bonus proportions)", rel_m, rel_f),
        ("bonus recipients (bonus gaps)", paid_m, paid_f),
    ]
    return (paid_m / rel_m * 100 if rel_m else nan, paid_f / rel_f * 100 if rel_f else nan)


def uk_pay_gap_metrics(
    data: Any,
    *,
    hourly_pay: str,
    sex: str,
    bonus: str | None = None,
    full_pay: str | None = None,
    male: Any = None,
    female: Any = None,
    band_rule: str = "pro_rata",
    band_sizes: str = "lower_first",
    decimals: int = 1,
) -> UKPayGapMetrics:
    """The six UK gender pay gap metrics of SI 2017/172.

    Parameters
    ----------
    data : data frame
        One row per relevant employee; anything :func:`fairhire._frames.to_narwhals` accepts.
        Data in a lazy engine (DuckDB relation, PySpark DataFrame, polars ``LazyFrame``) stay
        there: the counts, means, exact medians and the reg 13(2) quartile bands (a window over
        the distinct pay values) run in the engine and only small tables come back; results
        equal the pandas ones (means to about 1e-12, from the order of summation). In-memory
        frames (pandas, polars, pyarrow), and ``band_rule="rank"`` (which cuts ties in input
        order), collect the few needed columns to pandas.
    hourly_pay : str
        Hourly rate of pay in the snapshot pay period (reg 6).
    sex : str
        Read with :func:`fairhire._sex.normalize_sex`; other and missing values are excluded
        from these two-sex metrics and reported (``sex_other``, ``rows``).
    bonus : str, optional
        Bonus pay in the 12 months ending with the snapshot date (0 for none). Without it the
        bonus metrics are not computed.
    full_pay : str, optional
        True/False: full-pay relevant employee (not on reduced pay for leave). The hourly pay
        gaps and quartiles use full-pay relevant employees only; the bonus metrics use all
        relevant employees. Default: everyone is full-pay relevant.
    male, female : optional
        The values of ``sex`` meaning male / female, when not a common spelling.
    band_rule : {"pro_rata", "rank"}, default "pro_rata"
        Equal rates straddling a band boundary: reg 13(2) pro rata allocation, or the plain
        ranked cut (ties in input order) for comparison.
    band_sizes : {"lower_first", "upper_first", "fractional"}, default "lower_first"
        Where the remainder goes when the headcount is not a multiple of four (reg 13(1) Step
        2 says "so far as possible" equal): see :func:`fairhire.pay._bands.quartile_bands`.
    decimals : int, default 1
        Publication rounding (half up); the gov.uk service takes one decimal place.

    Returns
    -------
    UKPayGapMetrics

    Examples
    --------
    The hand-checkable example of METHODS.md:

    >>> import pandas as pd
    >>> import fairhire as fh
    >>> staff = pd.DataFrame({
    ...     "sex": ["M"] * 4 + ["F"] * 4,
    ...     "hourly": [10, 12, 15, 20, 10, 12, 12, 18],
    ...     "bonus": [0, 100, 300, 0, 50, 0, 0, 0]})
    >>> uk = fh.uk_pay_gap_metrics(staff, hourly_pay="hourly", sex="sex", bonus="bonus")
    >>> round(uk.mean_hourly_gap, 4), round(uk.median_hourly_gap, 4)
    (8.7719, 11.1111)
    >>> uk.male_bonus_pct, uk.female_bonus_pct, uk.mean_bonus_gap, uk.median_bonus_gap
    (50.0, 25.0, 75.0, 75.0)
    >>> uk.quartiles["male_pct_published"].tolist()
    [50.0, 33.3, 66.7, 50.0]
    """
    if band_rule not in BAND_RULES:
        raise InvalidParameterError(
            f"band_rule={band_rule!r} is not supported; use 'pro_rata' (reg 13(2)) or 'rank'."
        )
    if band_sizes not in BAND_SIZES:
        raise InvalidParameterError(
            f"band_sizes={band_sizes!r} is not supported; use one of {', '.join(BAND_SIZES)}."
        )
    if not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise InvalidParameterError(f"decimals={decimals!r} must be an integer from 0 to 6.")
    frame = to_narwhals(data)
    if is_lazy(frame) and band_rule == "pro_rata":
        core = _uk_in_engine(
            frame, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay, male=male,
            female=female, band_sizes=band_sizes,
        )  # fmt: skip
    else:
        core = _uk_collected(
            frame, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay, male=male,
            female=female, band_rule=band_rule, band_sizes=band_sizes,
        )  # fmt: skip
    quartiles = core.quartiles
    quartiles["male_pct_published"] = [publish(v, decimals) for v in quartiles["male_pct"]]
    quartiles["female_pct_published"] = [publish(v, decimals) for v in quartiles["female_pct"]]
    quartiles = quartiles[
        ["band", "employees", "men", "women", "male_pct", "female_pct", "male_pct_published",
         "female_pct_published", "min_pay", "max_pay"]
    ]  # fmt: skip
    values = core.values
    metrics = pd.DataFrame(
        [
            {
                "metric": key,
                "description": desc,
                "regulation": reg,
                "value": values[key],
                "published": publish(values[key], decimals),
            }
            for key, desc, reg in METRICS
        ]
    )
    return UKPayGapMetrics(
        **values,
        metrics=metrics,
        quartiles=quartiles,
        populations=pd.DataFrame(core.populations, columns=["population", "men", "women"]),
        sex_other={str(k): v for k, v in core.sex.other.items()},
        sex_missing=core.sex.missing,
        decimals=decimals,
        band_rule=band_rule,
        band_sizes=band_sizes,
        warnings=tuple(core.warnings),
        rows=RowAccount(total=core.total, used=core.used, excluded=dict(core.excluded)),
        params={
            "hourly_pay": hourly_pay,
            "sex": sex,
            "bonus": bonus,
            "full_pay": full_pay,
            "male": None if male is None else str(male),
            "female": None if female is None else str(female),
            "band_rule": band_rule,
            "band_sizes": band_sizes,
            "decimals": decimals,
        },
    )


def _uk_collected(
    frame: Any,
    *,
    hourly_pay: str,
    sex: str,
    bonus: str | None,
    full_pay: str | None,
    male: Any,
    female: Any,
    band_rule: str,
    band_sizes: str,
) -> _Core:
    """The metrics on the needed columns collected to pandas (eager frames; ``band_rule="rank"``,
    which depends on the input order of equal pay)."""
    frame, total = collect(frame, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay)
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sv = sex_frame_values(frame[sex], sex, male=male, female=female)
    rows = RowFilter(total)
    rows.drop(sv.is_missing, "sex missing")
    rows.drop(sv.is_other, "sex not male or female (excluded from two-sex metrics)")
    warnings = two_sex_warnings(sv, sex, who="employees", what="metrics")
    pay = check_pay(frame[hourly_pay], hourly_pay, positive=False, argument="hourly_pay")
    negative = rows.keep & (pay < 0)
    if negative.any():
        raise ColumnError(
            f"column {hourly_pay!r} (hourly_pay=) has {int(negative.sum())} negative values "
            f"(rows {np.flatnonzero(negative)[:5].tolist()}); hourly pay cannot be negative."
        )
    fp = (
        _bool_column(frame[full_pay], full_pay, "full_pay")
        if full_pay is not None
        else np.ones(total, dtype=bool)
    )
    pay_missing = np.isnan(pay)
    in_pay = rows.keep & fp & ~pay_missing
    if (rows.keep & fp & pay_missing).any():
        warnings.append(
            f"{int((rows.keep & fp & pay_missing).sum()):,} full-pay relevant employees have no "
            f"hourly pay in {hourly_pay!r} and are left out of the hourly pay metrics"
        )
    mean_gap, median_gap = mean_median_gap(pay[in_pay], codes[in_pay] == 0, codes[in_pay] == 1)
    quartiles = quartile_bands(
        pay[in_pay], codes[in_pay] == 0, band_rule=band_rule, band_sizes=band_sizes
    )
    populations = [
        ("full-pay relevant employees (hourly pay, quartiles)",
         int((in_pay & (codes == 0)).sum()), int((in_pay & (codes == 1)).sum())),
    ]  # fmt: skip

    nan = float("nan")
    mean_bonus_gap = median_bonus_gap = male_bonus = female_bonus = nan
    if bonus is not None:
        b = check_pay(frame[bonus], bonus, positive=False, argument="bonus")
        bonus_missing = np.isnan(b) & rows.keep
        if bonus_missing.any():
            warnings.append(
                f"{int(bonus_missing.sum()):,} employees have no value in {bonus!r} and are "
                "left out of the bonus metrics (use 0 for no bonus)"
            )
        if (rows.keep & (b < 0)).any():
            raise ColumnError(
                f"column {bonus!r} (bonus=) has {int((rows.keep & (b < 0)).sum())} negative "
                "values; bonus pay cannot be negative."
            )
        relevant = rows.keep & ~np.isnan(b)
        paid = relevant & (b > 0)
        rel_m, rel_f = int((relevant & (codes == 0)).sum()), int((relevant & (codes == 1)).sum())
        paid_m, paid_f = int((paid & (codes == 0)).sum()), int((paid & (codes == 1)).sum())
        male_bonus, female_bonus = _bonus_figures(
            rel_m, rel_f, paid_m, paid_f, warnings, populations
        )
        mean_bonus_gap, median_bonus_gap = mean_median_gap(
            b[paid], codes[paid] == 0, codes[paid] == 1
        )
    values = {
        "mean_hourly_gap": mean_gap,
        "median_hourly_gap": median_gap,
        "mean_bonus_gap": mean_bonus_gap,
        "median_bonus_gap": median_bonus_gap,
        "male_bonus_pct": male_bonus,
        "female_bonus_pct": female_bonus,
    }
    return _Core(
        total=total, values=values, quartiles=quartiles, populations=populations, sex=sv,
        warnings=warnings, used=rows.used, excluded=dict(rows.excluded),
    )  # fmt: skip
