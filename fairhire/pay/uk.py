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

import numpy as np
import pandas as pd

from .._results import Headline, Result, RowAccount
from ..errors import ColumnError, InsufficientDataError, InvalidParameterError, preview
from ._bands import BAND_RULES, BAND_SIZES, mean_median_gap, publish, quartile_bands
from ._design import RowFilter, check_pay, collect, sex_frame_values

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
        The few needed columns are collected to pandas (medians and the ranked quartile bands
        are computed there for now).
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
    frame, total = collect(data, hourly_pay=hourly_pay, sex=sex, bonus=bonus, full_pay=full_pay)
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sv = sex_frame_values(frame[sex], sex, male=male, female=female)
    rows = RowFilter(total)
    rows.drop(sv.is_missing, "sex missing")
    rows.drop(sv.is_other, "sex not male or female (excluded from two-sex metrics)")
    warnings: list[str] = []
    if sv.other or sv.missing:
        warnings.append(
            f"{sv.n_other + sv.missing:,} employees whose sex is not recorded as male or female "
            f"are excluded from these two-sex metrics ({sv.describe(sex)})"
        )
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
    quartiles["male_pct_published"] = [publish(v, decimals) for v in quartiles["male_pct"]]
    quartiles["female_pct_published"] = [publish(v, decimals) for v in quartiles["female_pct"]]
    quartiles = quartiles[
        ["band", "employees", "men", "women", "male_pct", "female_pct", "male_pct_published",
         "female_pct_published", "min_pay", "max_pay"]
    ]  # fmt: skip
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
        male_bonus = paid_m / rel_m * 100 if rel_m else nan
        female_bonus = paid_f / rel_f * 100 if rel_f else nan
        mean_bonus_gap, median_bonus_gap = mean_median_gap(
            b[paid], codes[paid] == 0, codes[paid] == 1
        )
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
    values = {
        "mean_hourly_gap": mean_gap,
        "median_hourly_gap": median_gap,
        "mean_bonus_gap": mean_bonus_gap,
        "median_bonus_gap": median_bonus_gap,
        "male_bonus_pct": male_bonus,
        "female_bonus_pct": female_bonus,
    }
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
        populations=pd.DataFrame(populations, columns=["population", "men", "women"]),
        sex_other={str(k): v for k, v in sv.other.items()},
        sex_missing=sv.missing,
        decimals=decimals,
        band_rule=band_rule,
        band_sizes=band_sizes,
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=rows.used, excluded=dict(rows.excluded)),
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
