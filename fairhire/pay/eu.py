"""EU Pay Transparency Directive (EU) 2023/970: the Art. 9(1) indicators (a)–(g) and the
Art. 10 joint pay assessment trigger.

Gaps follow Art. 3(1)(c): the difference between men's and women's average pay levels as a
percentage of men's, positive when men are paid more. ``pay`` is ordinary basic pay and
``variable_pay`` the complementary or variable components; "pay" in (a), (c) and (f) is their
sum (Art. 3(1)(a): pay is the basic wage *and* any other consideration).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._results import Headline, Result, RowAccount
from ..errors import ColumnError, InsufficientDataError, InvalidParameterError
from ._bands import BAND_RULES, BAND_SIZES, mean_median_gap, publish, quartile_bands
from ._design import RowFilter, check_pay, collect, missing_mask, sex_frame_values

__all__ = ["EUPayTransparencyMetrics", "eu_pay_transparency_metrics"]

INDICATORS = (
    ("a", "gender pay gap (mean)", "percent"),
    ("b", "gender pay gap in complementary or variable components (mean)", "percent"),
    ("c", "median gender pay gap", "percent"),
    ("d", "median gender pay gap in complementary or variable components", "percent"),
    ("e_men", "proportion of men receiving complementary or variable components", "percent"),
    ("e_women", "proportion of women receiving complementary or variable components", "percent"),
)

CATEGORY_COLUMNS = (
    "category", "men", "women", "mean_basic_men", "mean_basic_women", "mean_gap_basic",
    "median_gap_basic", "mean_gap_variable", "median_gap_variable", "mean_gap_total",
    "median_gap_total", "mean_gap_total_published", "assessable", "art10_flag", "direction",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True, eq=False)
class EUPayTransparencyMetrics(Result):
    """The Art. 9(1) indicators and the Art. 10 flags.

    Attributes
    ----------
    indicators : pandas.DataFrame
        (a)–(e): ``indicator``, ``description``, ``value`` (exact %), ``published``.
    quartiles : pandas.DataFrame
        (f): men and women in each quartile pay band of total pay (see
        :func:`fairhire.pay._bands.quartile_bands`).
    categories : pandas.DataFrame or None
        (g): per category of workers: ``category``, ``men``, ``women``, mean basic pay of men
        and women, ``mean_gap_basic``, ``median_gap_basic``, ``mean_gap_variable``,
        ``median_gap_variable``, ``mean_gap_total``, ``median_gap_total``,
        ``mean_gap_total_published``, ``assessable`` (both sexes present), ``art10_flag``
        (|mean gap in total pay| ≥ ``threshold``: the Art. 10(1)(a) condition for a joint pay
        assessment, unless justified by objective, gender-neutral criteria or remedied within
        six months) and ``direction``.
    include_zero_variable : bool
        Whether workers without variable pay count (as 0) in (b) and (d).
    """

    indicators: pd.DataFrame
    quartiles: pd.DataFrame
    categories: pd.DataFrame | None
    include_zero_variable: bool
    threshold: float
    decimals: int
    sex_other: dict[str, int] = field(default_factory=dict)
    sex_missing: int = 0

    kind: ClassVar[str] = "EU pay transparency metrics"
    report_count_columns: ClassVar[tuple[str, ...]] = ("men", "women")
    report_derived_columns: ClassVar[tuple[str, ...]] = (
        "male_pct", "female_pct", "min_pay", "max_pay", "mean_basic_men", "mean_basic_women",
        "mean_gap_basic", "median_gap_basic", "mean_gap_variable", "median_gap_variable",
        "mean_gap_total", "median_gap_total", "mean_gap_total_published",
    )  # fmt: skip

    def value(self, indicator: str) -> float:
        """The exact value of an indicator ("a", "b", "c", "d", "e_men", "e_women")."""
        row = self.indicators[self.indicators["indicator"] == indicator]
        if row.empty:
            raise InvalidParameterError(
                f"no indicator {indicator!r}; use a, b, c, d, e_men or e_women."
            )
        return float(row["value"].iloc[0])

    @property
    def flagged_categories(self) -> list[str]:
        if self.categories is None:
            return []
        return self.categories.loc[self.categories["art10_flag"], "category"].tolist()

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def summary(self) -> str:
        lines = ["EU Pay Transparency Directive 2023/970, Art. 9(1) indicators"]
        if self.rows is not None:
            lines.append(self.rows.describe())
        for r in self.indicators.itertuples(index=False):
            lines.append(f"  ({r.indicator}) {r.description}: {_show(r.published)}%")
        lines.append("  (f) quartile pay bands, women's share:")
        for r in self.quartiles.itertuples(index=False):
            lines.append(f"      {r.band:<13} {_show(r.female_pct)}%")
        if self.categories is not None:
            lines.append(
                f"  (g) {len(self.categories)} categories of workers; "
                f"{len(self.flagged_categories)} with a mean gap of at least {self.threshold:g}% "
                "(Art. 10 joint pay assessment trigger): "
                + (", ".join(map(str, self.flagged_categories)) or "none")
            )
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        out = []
        a = self.value("a")
        if np.isfinite(a):
            out.append(
                Headline(
                    severity=1,
                    text=f"EU pay transparency: the gender pay gap (Art. 9(1)(a)) is "
                    f"{_show(a)}% and the median gap {_show(self.value('c'))}%.",
                    figure=a,
                    section="Art. 9",
                )
            )
        if self.categories is not None:
            flagged = self.categories[self.categories["art10_flag"]]
            if len(flagged):
                worst = flagged.loc[flagged["mean_gap_total"].abs().idxmax()]
                out.append(
                    Headline(
                        severity=3,
                        text=f"{len(flagged)} of {int(self.categories['assessable'].sum())} "
                        f"categories of workers have a gap in average pay of at least "
                        f"{self.threshold:g}% (largest: {_show(worst['mean_gap_total'])}% in "
                        f"{worst['category']}); unless justified by objective, gender-neutral "
                        "criteria or remedied within six months, this triggers a joint pay "
                        "assessment under Art. 10.",
                        figure=float(len(flagged)),
                        section="Art. 10",
                    )
                )
        return out


def _show(x: Any) -> str:
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return "–"
    return "–" if not np.isfinite(xf) else f"{xf:.1f}"


def eu_pay_transparency_metrics(
    data: Any,
    *,
    pay: str,
    sex: str,
    variable_pay: str | None = None,
    category: str | None = None,
    hours: str | None = None,
    include_zero_variable: bool = False,
    male: Any = None,
    female: Any = None,
    threshold: float = 5.0,
    band_rule: str = "pro_rata",
    band_sizes: str = "lower_first",
    decimals: int = 1,
) -> EUPayTransparencyMetrics:
    """Art. 9(1)(a)–(g) indicators of Directive (EU) 2023/970 and the Art. 10 5% flags.

    Parameters
    ----------
    data : data frame
        One row per worker; anything :func:`fairhire._frames.to_narwhals` accepts. The needed
        columns are collected to pandas (medians and ranked bands are computed there for now).
    pay : str
        Ordinary basic pay (gross, annual or per hour).
    sex : str
        Read with :func:`fairhire._sex.normalize_sex`; other and missing values are excluded
        from these two-sex indicators and reported.
    variable_pay : str, optional
        Complementary or variable components (bonus, allowances...) over the same period; 0
        or missing for none. Without it (b), (d) and (e) are not computed and pay is basic pay.
    category : str, optional
        Category of workers (work of equal value, Art. 4(4)) for indicator (g) and the Art. 10
        flags.
    hours : str, optional
        Hours paid over the same period as ``pay``: pay and variable pay are divided by them to
        give pay per hour (the Directive's "corresponding gross hourly pay").
    include_zero_variable : bool, default False
        Whether (b) and (d) compare all workers (those without variable pay counting as 0) or
        only those who receive variable components (the UK bonus convention). The Directive
        does not settle this; the choice is recorded in the result.
    male, female : optional
        The values of ``sex`` meaning male / female, when not a common spelling.
    threshold : float, default 5.0
        Art. 10(1)(a): a difference in average pay of at least this % in a category flags it.
        Differences in either direction are flagged (``direction`` says which).
    band_rule, band_sizes : str
        Quartile banding, as in :func:`fairhire.uk_pay_gap_metrics`.
    decimals : int, default 1
        Publication rounding (half up).

    Returns
    -------
    EUPayTransparencyMetrics

    Examples
    --------
    >>> import pandas as pd
    >>> import fairhire as fh
    >>> staff = pd.DataFrame({
    ...     "sex": ["M", "M", "M", "F", "F", "F"],
    ...     "basic": [100.0, 100.0, 200.0, 90.0, 100.0, 200.0],
    ...     "bonus": [10.0, 0.0, 20.0, 0.0, 0.0, 10.0],
    ...     "grade": ["A", "A", "B", "A", "A", "B"]})
    >>> eu = fh.eu_pay_transparency_metrics(staff, pay="basic", sex="sex",
    ...                                     variable_pay="bonus", category="grade")
    >>> round(eu.value("b"), 1), round(eu.value("e_men"), 1)
    (33.3, 66.7)
    >>> eu.categories[["category", "mean_gap_total", "art10_flag"]].round(2).values.tolist()
    [['A', 9.52, True], ['B', 4.55, False]]
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
    if not (isinstance(threshold, int | float) and threshold > 0):
        raise InvalidParameterError(f"threshold={threshold!r} must be a positive percentage.")
    frame, total = collect(
        data, pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours
    )
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sv = sex_frame_values(frame[sex], sex, male=male, female=female)
    rows = RowFilter(total)
    rows.drop(sv.is_missing, "sex missing")
    rows.drop(sv.is_other, "sex not male or female (excluded from two-sex indicators)")
    warnings: list[str] = []
    if sv.other or sv.missing:
        warnings.append(
            f"{sv.n_other + sv.missing:,} workers whose sex is not recorded as male or female "
            f"are excluded from these two-sex indicators ({sv.describe(sex)})"
        )
    basic = check_pay(frame[pay], pay, positive=False, argument="pay")
    rows.drop(np.isnan(basic), f"missing pay ({pay})")
    if (rows.keep & (basic < 0)).any():
        raise ColumnError(
            f"column {pay!r} (pay=) has {int((rows.keep & (basic < 0)).sum())} negative values; "
            "pay cannot be negative."
        )
    if variable_pay is not None:
        var = check_pay(frame[variable_pay], variable_pay, positive=False, argument="variable_pay")
        var = np.where(np.isnan(var), 0.0, var)  # no variable components recorded: none
        if (rows.keep & (var < 0)).any():
            raise ColumnError(
                f"column {variable_pay!r} (variable_pay=) has negative values; variable pay "
                "cannot be negative."
            )
    else:
        var = np.zeros(total)
    if hours is not None:
        h = check_pay(frame[hours], hours, positive=False, argument="hours")
        rows.drop(np.isnan(h) | (h <= 0), f"missing or zero hours ({hours})")
        with np.errstate(divide="ignore", invalid="ignore"):
            basic = basic / h
            var = var / h
    cats = None
    if category is not None:
        rows.drop(missing_mask(frame[category]), f"missing category ({category})")
        cats = frame[category].astype(object).to_numpy()
    keep = rows.keep
    if not (keep & (codes == 0)).any() or not (keep & (codes == 1)).any():
        raise InsufficientDataError(
            "after exclusions there are "
            f"{int((keep & (codes == 0)).sum())} men and {int((keep & (codes == 1)).sum())} "
            "women; both are needed."
        )
    male = codes[keep] == 0
    b, v = basic[keep], var[keep]
    totalpay = b + v
    nan = float("nan")
    a_mean, c_median = mean_median_gap(totalpay, male)
    b_mean = d_median = e_m = e_f = nan
    if variable_pay is not None:
        receives = v > 0
        e_m = receives[male].mean() * 100
        e_f = receives[~male].mean() * 100
        sel = np.ones_like(receives) if include_zero_variable else receives
        b_mean, d_median = mean_median_gap(v[sel], male[sel])
        if not include_zero_variable and (not receives[male].any() or not receives[~male].any()):
            warnings.append(
                "indicators (b) and (d) are not defined: no "
                + ("man" if not receives[male].any() else "woman")
                + " receives variable components"
            )
    values = {"a": a_mean, "b": b_mean, "c": c_median, "d": d_median, "e_men": e_m, "e_women": e_f}
    indicators = pd.DataFrame(
        [
            {
                "indicator": key,
                "description": desc,
                "value": values[key],
                "published": publish(values[key], decimals),
                "unit": unit,
            }
            for key, desc, unit in INDICATORS
        ]
    )
    quartiles = quartile_bands(totalpay, male, band_rule=band_rule, band_sizes=band_sizes)

    categories = None
    if cats is not None:
        kc = cats[keep]
        out = []
        labels = sorted(pd.unique(kc), key=str)
        for lab in labels:
            m = kc == lab
            cm = male[m]
            n_m, n_f = int(cm.sum()), int((~cm).sum())
            bg = mean_median_gap(b[m], cm)
            if variable_pay is not None:
                vv = v[m]
                sel = np.ones(len(vv), bool) if include_zero_variable else vv > 0
                vg = mean_median_gap(vv[sel], cm[sel])
            else:
                vg = (nan, nan)
            tg = mean_median_gap(totalpay[m], cm)
            assessable = n_m > 0 and n_f > 0 and np.isfinite(tg[0])
            flag = bool(assessable and abs(tg[0]) >= threshold)
            out.append(
                {
                    "category": str(lab),
                    "men": n_m,
                    "women": n_f,
                    "mean_basic_men": float(b[m][cm].mean()) if n_m else nan,
                    "mean_basic_women": float(b[m][~cm].mean()) if n_f else nan,
                    "mean_gap_basic": bg[0],
                    "median_gap_basic": bg[1],
                    "mean_gap_variable": vg[0],
                    "median_gap_variable": vg[1],
                    "mean_gap_total": tg[0],
                    "median_gap_total": tg[1],
                    "mean_gap_total_published": publish(tg[0], decimals),
                    "assessable": bool(assessable),
                    "art10_flag": flag,
                    "direction": (
                        "" if not assessable
                        else "men paid more" if tg[0] > 0
                        else "women paid more" if tg[0] < 0
                        else "equal"
                    ),
                }
            )  # fmt: skip
        categories = pd.DataFrame(out, columns=list(CATEGORY_COLUMNS))
        not_assessable = categories.loc[~categories["assessable"], "category"].tolist()
        if not_assessable:
            warnings.append(
                f"{len(not_assessable)} categories have workers of only one sex and cannot be "
                f"assessed: {', '.join(not_assessable[:10])}"
            )
    return EUPayTransparencyMetrics(
        indicators=indicators,
        quartiles=quartiles,
        categories=categories,
        include_zero_variable=include_zero_variable,
        threshold=float(threshold),
        decimals=decimals,
        sex_other={str(k): val for k, val in sv.other.items()},
        sex_missing=sv.missing,
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=rows.used, excluded=dict(rows.excluded)),
        params={
            "pay": pay,
            "sex": sex,
            "variable_pay": variable_pay,
            "category": category,
            "hours": hours,
            "include_zero_variable": include_zero_variable,
            "threshold": threshold,
            "band_rule": band_rule,
            "band_sizes": band_sizes,
            "decimals": decimals,
        },
    )
