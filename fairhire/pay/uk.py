"""The six UK gender pay gap metrics (The Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017, SI 2017/172, regs 8–13).

1. mean and 2. median gender pay gap in hourly pay (full-pay relevant employees, reg 8, 9);
3. mean and 4. median bonus gap (relevant employees paid bonus pay in the 12 months to the
snapshot date, reg 10, 11); 5. proportions of men and of women paid bonus pay (reg 12);
6. proportions of men and women in each of four quartile pay bands (reg 13), equal-headcount
sections of the ranked list, with the reg 13(2) rule for equal rates straddling a boundary.
Gaps are (men − women) / men × 100, positive when men are paid more. The law compares men and
women, so the sex column is read as two sexes (:mod:`fairhire._sex`); this is not the
reference-group rule of the other analyses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.flags import FlagReading, read_flag
from .._core.labels import as_labels
from .._core.params import check_choice, check_int
from .._core.text import format_percent_figure
from .._engine_stats import quartile_bands
from .._frames import numbers_from_objects, require_columns, to_narwhals
from .._results import Headline, Result, RowAccount, result_dataclass
from ..errors import InvalidValueError
from ..stats.paygap import BAND_RULES, BAND_SIZES, publish
from ._statutory import (
    FirstPass,
    SexCoding,
    first_pass,
    relative_warning,
    sex_summary,
    value_checks,
)
from ._values import check_numeric_column, missing_expr

__all__ = ["UKPayGapMetrics", "uk_pay_gap_metrics"]

METRICS = (
    ("mean_hourly_gap", "Mean gender pay gap in hourly pay", "reg 8"),
    ("median_hourly_gap", "Median gender pay gap in hourly pay", "reg 9"),
    ("mean_bonus_gap", "Mean bonus gender pay gap", "reg 10"),
    ("median_bonus_gap", "Median bonus gender pay gap", "reg 11"),
    ("male_bonus_pct", "Proportion of men paid bonus pay", "reg 12"),
    ("female_bonus_pct", "Proportion of women paid bonus pay", "reg 12"),
)
QUARTILE_COLUMNS = (
    "band", "employees", "men", "women", "male_pct", "female_pct", "male_pct_published",
    "female_pct_published", "min_pay", "max_pay",
)
NAN = float("nan")


@result_dataclass
class UKPayGapMetrics(Result):
    """The six UK gender pay gap metrics, exact and as published.

    Attributes
    ----------
    table, metrics : pandas.DataFrame
        The metrics: ``metric``, ``description``, ``regulation``, ``value`` (exact),
        ``published`` (rounded half up to ``decimals``). ``table`` is the same table.
    mean_hourly_gap, median_hourly_gap, mean_bonus_gap, median_bonus_gap : float
        Percent, (men − women) / men × 100 (NaN when not computable, e.g. no bonus column).
    male_bonus_pct, female_bonus_pct : float
        Percent of relevant men / women paid bonus pay.
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
    flagged : pandas.DataFrame
        Always empty: the Regulations set no threshold, so no metric is flagged.
    rows : RowAccount
        ``used`` are the employees of the hourly pay metrics (full-pay relevant, with an hourly
        rate); the bonus metrics also cover the relevant employees left out of those (see
        ``populations``).
    fingerprint : str
        SHA-256 of what the figures are computed from: the counts per sex, and per summary
        the count, exact sum, median and maximum, and the band edges. Changing one pay or
        bonus value changes it; the same rows in another order or engine give the same one.
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
    fingerprint: str
    sex_other: dict[str, int] = field(default_factory=dict)
    sex_missing: int = 0
    decimals: int = 1
    band_rule: str = "pro_rata"
    band_sizes: str = "lower_first"

    kind: ClassVar[str] = "UK gender pay gap metrics"
    count_columns: ClassVar[frozenset[str]] = frozenset({"employees", "men", "women"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "female_pct", "female_pct_published", "male_pct", "male_pct_published", "max_pay",
        "min_pay",
    })
    # the names the report layer reads today

    @property
    def table(self) -> pd.DataFrame:
        """The metrics table (also ``metrics``)."""
        return self.metrics

    def _repr_headline(self) -> str:
        d = self.decimals
        return (
            f"median hourly gap {format_percent_figure(self.median_hourly_gap, d)}, "
            f"mean {format_percent_figure(self.mean_hourly_gap, d)}"
        )

    def summary(self) -> str:
        d = self.decimals
        lines = ["UK gender pay gap metrics (SI 2017/172)"]
        lines += self._rows_text()
        for r in self.metrics.itertuples(index=False):
            lines.append(f"  {r.description}: {format_percent_figure(r.published, d)}")
        lines.append("  Quartile pay bands (men / women):")
        for r in self.quartiles.itertuples(index=False):
            lines.append(
                f"    {r.band:<13} {format_percent_figure(r.male_pct_published, d)} / "
                f"{format_percent_figure(r.female_pct_published, d)}"
            )
        return self._summary_text(lines)

    def headlines(self) -> list[Headline]:
        d = self.decimals
        out = []
        if np.isfinite(self.median_hourly_gap):
            who = "men" if self.median_hourly_gap >= 0 else "women"
            out.append(
                Headline(
                    severity=2 if abs(self.mean_hourly_gap) >= 5 else 1,
                    text=f"UK gender pay gap: the median hourly pay gap is "
                    f"{format_percent_figure(self.median_hourly_gap, d)} and the mean gap "
                    f"{format_percent_figure(self.mean_hourly_gap, d)} ({who} paid more at the "
                    "median).",
                    figure=float(self.median_hourly_gap),
                    section="hourly pay",
                )
            )
        if np.isfinite(self.mean_bonus_gap):
            out.append(
                Headline(
                    severity=1,
                    text=f"{format_percent_figure(self.male_bonus_pct, d)} of men and "
                    f"{format_percent_figure(self.female_bonus_pct, d)} of women were paid a "
                    f"bonus; the mean bonus gap is {format_percent_figure(self.mean_bonus_gap, d)} "
                    "and the median "
                    f"{format_percent_figure(self.median_bonus_gap, d)}.",
                    figure=float(self.mean_bonus_gap),
                    section="bonus",
                )
            )
        q = self.quartiles
        if len(q) == 4 and np.isfinite(q["female_pct"]).all():
            out.append(
                Headline(
                    severity=1,
                    text="Women are "
                    f"{format_percent_figure(q['female_pct_published'].iloc[0], d)} of the lower "
                    "pay quartile and "
                    f"{format_percent_figure(q['female_pct_published'].iloc[3], d)} of the upper "
                    "quartile.",
                    figure=float(q["female_pct"].iloc[3]),
                    section="quartiles",
                )
            )
        return out


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
    unknown_labels: Any = (),
) -> UKPayGapMetrics:
    """The six UK gender pay gap metrics of SI 2017/172.

    Parameters
    ----------
    data : data frame
        One row per relevant employee; anything :func:`fairhire._frames.to_narwhals` accepts
        (pandas, polars eager or lazy, pyarrow, DuckDB, PySpark ...). The work runs in the
        data's engine: counts, means, exact medians and the reg 13(2) quartile bands (a window
        over the distinct pay values); only small tables come back. Only ``band_rule="rank"``,
        which cuts ties in input order, collects the hourly pay and sex of the employees.
    hourly_pay : str
        Hourly rate of pay in the snapshot pay period (reg 6).
    sex : str
        Read as two sexes (:func:`fairhire._sex.read_sex`: ``M``, ``male``, ``Women`` ... in any
        case); other and missing values are excluded from these two-sex metrics, counted in
        ``rows`` and reported (``sex_other``, ``sex_missing``).
    bonus : str, optional
        Bonus pay in the 12 months ending with the snapshot date (0 for none). Without it the
        bonus metrics are not computed.
    full_pay : str, optional
        Yes/no: full-pay relevant employee (not on reduced pay for leave), read by the shared
        flag rule (True/False, 1/0, yes/no, y/n, true/false, t/f; blanks are missing and
        counted). The hourly pay gaps and quartiles use full-pay relevant employees only; the
        bonus metrics use all relevant employees. Default: everyone is full-pay relevant.
    male, female : optional
        The values of ``sex`` meaning male / female, when not a common spelling.
    band_rule : {"pro_rata", "rank"}, default "pro_rata"
        Equal rates straddling a band boundary: reg 13(2) pro rata allocation, or the plain
        ranked cut (ties in input order) for comparison.
    band_sizes : {"lower_first", "upper_first", "fractional"}, default "lower_first"
        Where the remainder goes when the headcount is not a multiple of four (reg 13(1) Step
        2 says "so far as possible" equal): see :func:`fairhire.stats.paygap.band_boundaries`.
    decimals : int, default 1
        Publication rounding (half up); the gov.uk service takes one decimal place.
    unknown_labels : list, optional
        Values of ``sex`` that mean "unknown" (e.g. ``["Not recorded"]``): counted as missing.

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
    check_choice(band_rule, "band_rule", BAND_RULES)
    check_choice(band_sizes, "band_sizes", BAND_SIZES)
    check_int(decimals, "decimals", low=0, high=6)
    frame = to_narwhals(data)
    require_columns(frame, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay)
    frame = numbers_from_objects(frame, [hourly_pay, bonus])
    columns = _Columns(hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay)
    coding = SexCoding(male=male, female=female, unknown_labels=unknown_labels)
    fp, flag = _first_pass(frame, columns, coding)
    rows, warnings = _row_account(fp, columns)
    hourly = _hourly(fp, columns, flag, band_rule=band_rule, band_sizes=band_sizes)
    warnings += hourly.warnings
    bonus_figures = _bonus(fp, columns) if bonus is not None else _Bonus()
    warnings += bonus_figures.warnings
    values = {**hourly.values, **bonus_figures.values}
    params = {
        **dataclasses.asdict(columns),
        "male": None if male is None else str(male),
        "female": None if female is None else str(female),
        "band_rule": band_rule,
        "band_sizes": band_sizes,
        "decimals": decimals,
        "unknown_labels": list(as_labels(unknown_labels)),
    }
    return UKPayGapMetrics(
        **values,
        metrics=_metrics_table(values, decimals),
        quartiles=_published_quartiles(hourly.quartiles, decimals),
        populations=pd.DataFrame(
            [hourly.population, *bonus_figures.populations], columns=["population", "men", "women"]
        ),
        fingerprint=fp.fingerprint(*hourly.exact, *bonus_figures.exact),
        sex_other={str(k): v for k, v in fp.sex.other.items()},
        sex_missing=fp.sex.missing,
        decimals=decimals,
        band_rule=band_rule,
        band_sizes=band_sizes,
        warnings=tuple(warnings),
        rows=rows,
        params=params,
    )


@dataclass(frozen=True)
class _Columns:
    hourly_pay: str
    sex: str
    bonus: str | None
    full_pay: str | None


def _first_pass(
    frame: Any, columns: _Columns, coding: SexCoding
) -> tuple[FirstPass, FlagReading | None]:
    """One group-by by sex: every count the row account, the checks and the bonus shares
    need. The full-pay flag is read by the shared flag rule (blank values are missing)."""
    types = dict(frame.collect_schema())
    check_numeric_column(frame, columns.hourly_pay, "hourly_pay")
    checks = value_checks(columns.hourly_pay, types, "pay")
    has_pay = ~missing_expr(columns.hourly_pay, types)
    flag = None
    if columns.full_pay is None:
        checks["fp_no_pay"], checks["hourly"] = ~has_pay, has_pay
    else:
        flag = read_flag(frame, columns.full_pay, argument="full_pay")
        full = flag.expr()
        checks["fp_missing"] = flag.missing_expr()
        checks["fp_false"] = ~flag.missing_expr() & ~full
        checks["fp_no_pay"], checks["hourly"] = full & ~has_pay, full & has_pay
    if columns.bonus is not None:
        check_numeric_column(frame, columns.bonus, "bonus")
        checks.update(value_checks(columns.bonus, types, "bonus"))
        known = ~missing_expr(columns.bonus, types)
        # NaN > 0 is true in DuckDB and Spark: compare known values only
        checks["bonus_paid"] = known & (nw.col(columns.bonus) > 0)
    fp = first_pass(frame, sex=columns.sex, coding=coding, checks=checks)
    fp.check_values(columns.hourly_pay, "hourly_pay", "pay", "hourly pay")
    if columns.bonus is not None:
        fp.check_values(columns.bonus, "bonus", "bonus", "bonus pay")
    return fp, flag


def _row_account(fp: FirstPass, columns: _Columns) -> tuple[RowAccount, list[str]]:
    """Rows used in the hourly pay metrics, and every other row by reason (in this order:
    sex, full-pay status, hourly pay), with the warnings that say so."""
    sex = fp.sex
    excluded = {
        "sex missing": sex.missing,
        "sex not male or female (excluded from two-sex metrics)": sex.n_other,
    }
    warnings = list(sex.warnings) + sex.two_sex_warning("employees", "metrics")
    if columns.full_pay is not None:
        blank, reduced = fp.count("fp_missing"), fp.count("fp_false")
        excluded[f"missing full-pay status ({columns.full_pay})"] = blank
        excluded[f"not full-pay relevant ({columns.full_pay})"] = reduced
        if blank:
            warnings.append(
                f"{blank:,} employees have no value in {columns.full_pay!r} and are left out "
                "of the hourly pay metrics and quartiles (fill in True or False)"
            )
    no_pay = fp.count("fp_no_pay")
    excluded[f"missing hourly pay ({columns.hourly_pay})"] = no_pay
    if no_pay:
        warnings.append(
            f"{no_pay:,} full-pay relevant employees have no hourly pay in "
            f"{columns.hourly_pay!r} and are left out of the hourly pay metrics"
        )
    excluded = {k: v for k, v in excluded.items() if v}
    rows = RowAccount(total=fp.total, used=fp.count("hourly"), excluded=excluded)
    return rows, warnings


@dataclass
class _Hourly:
    values: dict[str, float]
    quartiles: pd.DataFrame
    population: tuple[str, int, int]
    exact: tuple[pd.DataFrame, ...]
    warnings: list[str]


def _hourly(
    fp: FirstPass, columns: _Columns, flag: FlagReading | None, *, band_rule: str, band_sizes: str
) -> _Hourly:
    """Mean and median hourly pay gaps and the quartile bands of full-pay relevant employees."""
    pay = columns.hourly_pay
    rows = fp.two_sexes & ~missing_expr(pay, fp.types)
    if flag is not None:
        rows = rows & flag.expr()
    male, value = "__fh_male", "__fh_pay"
    hourly = fp.frame.filter(rows).select(
        fp.is_male.alias(male), nw.col(pay).cast(nw.Float64).alias(value)
    )
    summary = sex_summary(hourly, value, male)
    quartiles = quartile_bands(hourly, value, male, band_sizes=band_sizes, band_rule=band_rule)
    warnings = relative_warning(fp, summary, pay, "hourly_pay", rows, nw.col(pay),
                                lowest=float(quartiles["min_pay"].min()))
    men, women = fp.by_sex(fp.counts["hourly"])
    return _Hourly(
        values={"mean_hourly_gap": summary.mean_gap, "median_hourly_gap": summary.median_gap},
        quartiles=quartiles,
        population=("full-pay relevant employees (hourly pay, quartiles)", men, women),
        exact=(summary.exact, quartiles[["employees", "men", "min_pay", "max_pay"]]),
        warnings=warnings,
    )


@dataclass
class _Bonus:
    values: dict[str, float] = field(
        default_factory=lambda: {
            "mean_bonus_gap": NAN,
            "median_bonus_gap": NAN,
            "male_bonus_pct": NAN,
            "female_bonus_pct": NAN,
        }
    )
    populations: list[tuple[str, int, int]] = field(default_factory=list)
    exact: tuple[pd.DataFrame, ...] = ()
    warnings: list[str] = field(default_factory=list)


def _bonus(fp: FirstPass, columns: _Columns) -> _Bonus:
    """Shares of men and women paid a bonus (all relevant employees with a known bonus) and
    the mean and median bonus gaps among those paid one."""
    bonus = columns.bonus
    assert bonus is not None
    warnings = []
    missing = fp.count("bonus_missing")
    if missing:
        warnings.append(
            f"{missing:,} employees have no value in {bonus!r} and are left out of the bonus "
            "metrics (use 0 for no bonus)"
        )
    rel_m, rel_f = fp.by_sex(fp.n - fp.counts["bonus_missing"])
    paid_m, paid_f = fp.by_sex(fp.counts["bonus_paid"])
    n_paid = paid_m + paid_f
    if missing and n_paid and rel_m + rel_f == n_paid:
        raise InvalidValueError(
            f"column {bonus!r} (passed as bonus=) holds a bonus for {n_paid:,} employees and is "
            f"blank for {missing:,}, and no row holds 0: the proportions paid a bonus would "
            "be 100%. If a blank means no bonus, write 0 in those cells (in pandas: "
            f"data.fillna({{{bonus!r}: 0}})) or add blank_means_no = true to the analysis in "
            "an audit config; if those bonuses are unknown, leave the rows out of the data."
        )
    if paid_m == 0 or paid_f == 0:
        nobody = "no man" if paid_m == 0 else "no woman"
        warnings.append(f"the bonus gaps are not defined: {nobody} was paid a bonus")
    rows = fp.two_sexes & ~missing_expr(bonus, fp.types) & (nw.col(bonus) > 0)
    paid = fp.frame.filter(rows).select(
        fp.is_male.alias("__fh_male"), nw.col(bonus).cast(nw.Float64).alias("__fh_bonus")
    )
    summary = sex_summary(paid, "__fh_bonus", "__fh_male")
    return _Bonus(
        values={
            "mean_bonus_gap": summary.mean_gap,
            "median_bonus_gap": summary.median_gap,
            "male_bonus_pct": paid_m / rel_m * 100 if rel_m else NAN,
            "female_bonus_pct": paid_f / rel_f * 100 if rel_f else NAN,
        },
        populations=[
            ("relevant employees (bonus proportions)", rel_m, rel_f),
            ("bonus recipients (bonus gaps)", paid_m, paid_f),
        ],
        exact=(summary.exact,),
        warnings=warnings,
    )


def _metrics_table(values: dict[str, float], decimals: int) -> pd.DataFrame:
    rows = [
        {
            "metric": key,
            "description": description,
            "regulation": regulation,
            "value": values[key],
            "published": publish(values[key], decimals),
        }
        for key, description, regulation in METRICS
    ]
    return pd.DataFrame(rows)


def _published_quartiles(quartiles: pd.DataFrame, decimals: int) -> pd.DataFrame:
    out = quartiles.copy()
    out["male_pct_published"] = [publish(v, decimals) for v in out["male_pct"]]
    out["female_pct_published"] = [publish(v, decimals) for v in out["female_pct"]]
    return out[list(QUARTILE_COLUMNS)]
