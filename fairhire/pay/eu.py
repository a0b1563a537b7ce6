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

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._engine_stats import group_summary
from .._engine_stats import quartile_bands as engine_quartile_bands
from .._frames import collect_pandas, is_lazy, require_columns, schema, sum_true, to_narwhals
from .._results import Headline, Result, RowAccount
from ..errors import ColumnError, InsufficientDataError, InvalidParameterError
from ._bands import BAND_RULES, BAND_SIZES, mean_median_gap, publish, quartile_bands, raw_gap
from ._design import (
    RowFilter,
    check_engine_pay,
    check_pay,
    collect,
    engine_infinite,
    engine_missing,
    missing_mask,
    sex_frame_values,
    sex_group_values,
    two_sex_warnings,
)

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
    count_columns: ClassVar[frozenset[str]] = frozenset({"men", "women", "employees"})
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
        One row per worker; anything :func:`fairhire._frames.to_narwhals` accepts. Data in a
        lazy engine (DuckDB, PySpark, polars ``LazyFrame``) stay there: pay per hour, the
        counts, means, exact medians (overall and per category) and the quartile bands run in
        the engine and only small tables come back; results equal the pandas ones (means to
        about 1e-12). In-memory frames, and ``band_rule="rank"``, collect the needed columns
        to pandas.
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
    frame = to_narwhals(data)
    if is_lazy(frame) and band_rule == "pro_rata":
        return _eu_in_engine(
            frame, pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours,
            include_zero_variable=include_zero_variable, male=male, female=female,
            threshold=threshold, band_sizes=band_sizes, decimals=decimals,
        )  # fmt: skip
    frame, total = collect(
        frame, pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours
    )
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sv = sex_frame_values(frame[sex], sex, male=male, female=female)
    rows = RowFilter(total)
    rows.drop(sv.is_missing, "sex missing")
    rows.drop(sv.is_other, "sex not male or female (excluded from two-sex indicators)")
    warnings = two_sex_warnings(sv, sex, who="workers", what="indicators")
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
    indicators = _indicators(values, decimals)
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
            out.append(
                _category_row(
                    lab, n_m, n_f, float(b[m][cm].mean()) if n_m else nan,
                    float(b[m][~cm].mean()) if n_f else nan, bg, vg, tg, threshold, decimals,
                )
            )  # fmt: skip
        categories = pd.DataFrame(out, columns=list(CATEGORY_COLUMNS))
    return _result(
        indicators=indicators, quartiles=quartiles, categories=categories, warnings=warnings,
        total=total, used=rows.used, excluded=dict(rows.excluded), sex=sv,
        include_zero_variable=include_zero_variable, threshold=threshold, decimals=decimals,
        pay=pay, sex_column=sex, variable_pay=variable_pay, category=category, hours=hours,
        band_rule=band_rule, band_sizes=band_sizes,
    )  # fmt: skip


def _category_row(
    lab: Any,
    n_m: int,
    n_f: int,
    mean_basic_men: float,
    mean_basic_women: float,
    bg: tuple[float, float],
    vg: tuple[float, float],
    tg: tuple[float, float],
    threshold: float,
    decimals: int,
) -> dict[str, Any]:
    """One row of indicator (g): the gaps of a category of workers and its Art. 10 flag."""
    assessable = n_m > 0 and n_f > 0 and np.isfinite(tg[0])
    flag = bool(assessable and abs(tg[0]) >= threshold)
    return {
        "category": str(lab),
        "men": n_m,
        "women": n_f,
        "mean_basic_men": mean_basic_men,
        "mean_basic_women": mean_basic_women,
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
    }  # fmt: skip


def _indicators(values: dict[str, float], decimals: int) -> pd.DataFrame:
    return pd.DataFrame(
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


def _result(
    *,
    indicators: pd.DataFrame,
    quartiles: pd.DataFrame,
    categories: pd.DataFrame | None,
    warnings: list[str],
    total: int,
    used: int,
    excluded: dict[str, int],
    sex: Any,
    include_zero_variable: bool,
    threshold: float,
    decimals: int,
    pay: str,
    sex_column: str,
    variable_pay: str | None,
    category: str | None,
    hours: str | None,
    band_rule: str,
    band_sizes: str,
) -> EUPayTransparencyMetrics:
    if categories is not None:
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
        sex_other={str(k): val for k, val in sex.other.items()},
        sex_missing=sex.missing,
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=used, excluded=excluded),
        params={
            "pay": pay,
            "sex": sex_column,
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


def _is_missing_label(value: Any) -> bool:
    """A category value :func:`fairhire.pay._design.missing_mask` counts as missing."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float | np.floating) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _by_sex(summary: pd.DataFrame, keys: list[str]) -> dict[Any, dict[bool, Any]]:
    """A group summary by ``[*keys, "__fh_male"]`` as {key: {True: men row, False: women}}."""
    out: dict[Any, dict[bool, Any]] = {}
    for row in summary.to_dict("records"):
        key = tuple(row[k] for k in keys) if keys else ()
        out.setdefault(key[0] if len(keys) == 1 else key, {})[bool(row["__fh_male"])] = row
    return out


def _gaps(sides: dict[bool, Any]) -> tuple[float, float]:
    men, women = sides.get(True), sides.get(False)
    if men is None or women is None or men["n"] == 0 or women["n"] == 0:
        return float("nan"), float("nan")
    return (
        raw_gap(float(men["mean"]), float(women["mean"])),
        raw_gap(float(men["median"]), float(women["median"])),
    )


def _eu_in_engine(
    frame: Any,
    *,
    pay: str,
    sex: str,
    variable_pay: str | None,
    category: str | None,
    hours: str | None,
    include_zero_variable: bool,
    male: Any,
    female: Any,
    threshold: float,
    band_sizes: str,
    decimals: int,
) -> EUPayTransparencyMetrics:
    """The indicators for data in a lazy engine (DuckDB, Spark, polars lazy), computed there.

    One group-by over (sex, category) values counts what the row accounting and the checks
    need; means and medians come from :func:`fairhire._engine_stats.group_summary` (by sex,
    and by category and sex for (g)) and the bands (f) from its ``quartile_bands``. Pay per
    hour and total pay are computed row by row in the engine with the same float64
    operations as the collected path, so medians and counts are identical.
    """
    require_columns(
        frame, pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours
    )
    types = schema(frame)

    def numeric(column: str | None) -> bool:
        return column is not None and types[column] != nw.Boolean and types[column].is_numeric()

    known_pay = ~engine_missing(pay, types) if numeric(pay) else nw.lit(True)
    checks: dict[str, nw.Expr] = {}
    if numeric(pay):
        checks["pay_missing"] = engine_missing(pay, types)
        checks["pay_negative"] = known_pay & (nw.col(pay) < 0)
        checks["pay_infinite"] = engine_infinite(pay, types)
    if numeric(variable_pay):
        known_var = ~engine_missing(variable_pay, types)
        checks["var_negative"] = known_pay & known_var & (nw.col(variable_pay) < 0)
        checks["var_infinite"] = engine_infinite(variable_pay, types)
    if numeric(hours):
        bad = engine_missing(hours, types)
        bad = bad | (~bad & (nw.col(hours) <= 0))
        checks["hours_bad"] = known_pay & bad
        checks["hours_infinite"] = engine_infinite(hours, types)
    aggs = [nw.len().alias("__fh_n")]
    aggs += [sum_true(expr, frame).alias(f"__fh_{name}") for name, expr in checks.items()]
    keys = list(dict.fromkeys(c for c in (sex, category) if c is not None))
    groups = collect_pandas(frame.group_by(*keys, drop_null_keys=False).agg(*aggs))
    n = pd.to_numeric(groups["__fh_n"]).fillna(0).to_numpy(dtype=np.int64)
    zeros = np.zeros(len(groups), dtype=np.int64)
    count = {
        name: pd.to_numeric(groups[f"__fh_{name}"]).fillna(0).to_numpy(dtype=np.int64)
        for name in checks
    }
    total = int(n.sum())
    if total == 0:
        raise InsufficientDataError("the data has no rows. Check the filter or export.")
    codes, sc, male_values, female_values = sex_group_values(
        groups[sex], n, sex, male=male, female=female
    )
    kept = codes >= 0
    excluded: dict[str, int] = {}

    def drop(rows: np.ndarray, reason: str) -> None:
        hit = int(rows[kept].sum())
        if hit:
            excluded[reason] = excluded.get(reason, 0) + hit

    if sc.missing:
        excluded["sex missing"] = sc.missing
    if sc.n_other:
        excluded["sex not male or female (excluded from two-sex indicators)"] = sc.n_other
    warnings = two_sex_warnings(sc, sex, who="workers", what="indicators")
    check_engine_pay(frame, pay, "pay", types, count.get("pay_infinite"))
    pay_missing = count["pay_missing"]
    drop(pay_missing, f"missing pay ({pay})")
    remaining = n - pay_missing
    negative = int(count["pay_negative"][kept].sum())
    if negative:
        raise ColumnError(
            f"column {pay!r} (pay=) has {negative} negative values; pay cannot be negative."
        )
    if variable_pay is not None:
        check_engine_pay(frame, variable_pay, "variable_pay", types, count.get("var_infinite"))
        if count["var_negative"][kept].sum():
            raise ColumnError(
                f"column {variable_pay!r} (variable_pay=) has negative values; variable pay "
                "cannot be negative."
            )
    if hours is not None:
        check_engine_pay(frame, hours, "hours", types, count.get("hours_infinite"))
        drop(count["hours_bad"], f"missing or zero hours ({hours})")
        remaining = remaining - count["hours_bad"]
    category_ok = nw.lit(True)
    if category is not None:
        values = groups[category].astype(object)
        blank = np.array([_is_missing_label(v) for v in values], dtype=bool)
        drop(np.where(blank, remaining, zeros), f"missing category ({category})")
        remaining = np.where(blank, 0, remaining)
        good = list(
            dict.fromkeys(
                v.item() if isinstance(v, np.generic) else v
                for v, b in zip(values, blank, strict=True)
                if not b
            )
        )
        nulls_only = all(v is None or v is pd.NA for v, b in zip(values, blank, strict=True) if b)
        category_ok = ~nw.col(category).is_null() if nulls_only else nw.col(category).is_in(good)
    n_men, n_women = int(remaining[codes == 0].sum()), int(remaining[codes == 1].sum())
    if n_men == 0 or n_women == 0:
        raise InsufficientDataError(
            f"after exclusions there are {n_men} men and {n_women} women; both are needed."
        )

    # the kept rows, with pay (per hour), variable pay (missing: none) and total pay
    basic = nw.col(pay).cast(nw.Float64)
    var = nw.lit(0.0)
    if variable_pay is not None:
        var = (
            nw.when(engine_missing(variable_pay, types))
            .then(nw.lit(0.0))
            .otherwise(nw.col(variable_pay).cast(nw.Float64))
        )
    if hours is not None:
        basic = basic / nw.col(hours).cast(nw.Float64)
        var = var / nw.col(hours).cast(nw.Float64)
    keep = nw.col(sex).is_in([*male_values, *female_values]) & known_pay
    if hours is not None:
        keep = keep & ~engine_missing(hours, types) & (nw.col(hours) > 0)
    if category is not None:
        keep = keep & category_ok
    columns = list(dict.fromkeys(c for c in (sex, pay, variable_pay, category, hours) if c))
    work = (
        frame.select(*columns)
        .filter(keep)
        .select(
            *([category] if category is not None else []),
            nw.col(sex).is_in(male_values).alias("__fh_male"),
            basic.alias("__fh_basic"),
            var.alias("__fh_var"),
        )
        .with_columns((nw.col("__fh_basic") + nw.col("__fh_var")).alias("__fh_total"))
    )
    nan = float("nan")
    a_mean, c_median = _gaps(_by_sex(group_summary(work, "__fh_total", by="__fh_male"), [])[()])
    b_mean = d_median = e_m = e_f = nan
    receiving = work.filter(nw.col("__fh_var") > 0)
    if variable_pay is not None:
        recv_summary = group_summary(receiving, "__fh_var", by="__fh_male")
        recv = _by_sex(recv_summary, []).get((), {})
        recv_m = int(recv[True]["n"]) if True in recv else 0
        recv_f = int(recv[False]["n"]) if False in recv else 0
        e_m = recv_m / n_men * 100
        e_f = recv_f / n_women * 100
        if include_zero_variable:
            recv = _by_sex(group_summary(work, "__fh_var", by="__fh_male"), []).get((), {})
        b_mean, d_median = _gaps(recv)
        if not include_zero_variable and (recv_m == 0 or recv_f == 0):
            warnings.append(
                "indicators (b) and (d) are not defined: no "
                + ("man" if recv_m == 0 else "woman")
                + " receives variable components"
            )
    values = {"a": a_mean, "b": b_mean, "c": c_median, "d": d_median, "e_men": e_m, "e_women": e_f}
    indicators = _indicators(values, decimals)
    quartiles = engine_quartile_bands(work, "__fh_total", "__fh_male", band_sizes=band_sizes)

    categories = None
    if category is not None:
        by = [category, "__fh_male"]
        basic_s = _by_sex(group_summary(work, "__fh_basic", by=by), [category])
        total_s = _by_sex(group_summary(work, "__fh_total", by=by), [category])
        var_s: dict[Any, dict[bool, Any]] = {}
        if variable_pay is not None:
            source = work if include_zero_variable else receiving
            var_s = _by_sex(group_summary(source, "__fh_var", by=by), [category])
        out = []
        for lab in sorted(total_s, key=str):
            sides = basic_s[lab]
            n_m = int(sides[True]["n"]) if True in sides else 0
            n_f = int(sides[False]["n"]) if False in sides else 0
            vg = _gaps(var_s.get(lab, {})) if variable_pay is not None else (nan, nan)
            out.append(
                _category_row(
                    lab, n_m, n_f, float(sides[True]["mean"]) if n_m else nan,
                    float(sides[False]["mean"]) if n_f else nan, _gaps(sides), vg,
                    _gaps(total_s[lab]), threshold, decimals,
                )
            )  # fmt: skip
        categories = pd.DataFrame(out, columns=list(CATEGORY_COLUMNS))
    return _result(
        indicators=indicators, quartiles=quartiles, categories=categories, warnings=warnings,
        total=total, used=int(remaining[kept].sum()), excluded=excluded, sex=sc,
        include_zero_variable=include_zero_variable, threshold=threshold, decimals=decimals,
        pay=pay, sex_column=sex, variable_pay=variable_pay, category=category, hours=hours,
        band_rule="pro_rata", band_sizes=band_sizes,
    )  # fmt: skip
