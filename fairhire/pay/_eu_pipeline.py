"""The EU pay transparency figures, computed in the data's engine (see :mod:`._statutory`).

One group-by over (sex, category) counts every row and every check; the kept rows then become
one engine frame of pay per hour (basic, variable and total), from which the means, exact
medians, the (f) quartile bands and the (g) per-category gaps are computed as small tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.labels import LabelCleaning, clean_labels
from .._engine_stats import group_summary, quartile_bands
from .._results import RowAccount
from .._sex import SexReading
from ..errors import InsufficientDataError
from ._statutory import (
    FirstPass,
    SexCoding,
    SexSummary,
    first_pass,
    relative_warning,
    sex_summary,
    value_checks,
)
from ._values import check_numeric_column, infinite_expr, missing_expr, too_large_expr

__all__ = ["EUColumns", "EUFigures", "eu_figures"]

NAN = float("nan")
#: Internal names of the columns of the kept rows (a fresh frame: they cannot collide).
CAT, MALE, BASIC, VAR, TOTAL = "__fh_cat", "__fh_male", "__fh_basic", "__fh_var", "__fh_total"
IN_CAT = "__fh_in_category"


@dataclass(frozen=True)
class EUColumns:
    pay: str
    sex: str
    variable_pay: str | None
    category: str | None
    hours: str | None


@dataclass
class EUFigures:
    """What :func:`eu_figures` hands to the result: indicator values (a)–(e), the bands (f),
    the per-category gaps (g), the row account and the warnings."""

    values: dict[str, float]
    quartiles: pd.DataFrame
    categories: pd.DataFrame | None
    rows: RowAccount
    sex: SexReading
    warnings: list[str]
    fingerprint: str


def eu_figures(
    frame: Any,
    columns: EUColumns,
    *,
    coding: SexCoding,
    include_zero_variable: bool,
    band_rule: str,
    band_sizes: str,
) -> EUFigures:
    fp = _first_pass(frame, columns, coding)
    cleaning = None
    if columns.category is not None:
        values = fp.groups[columns.category].astype(object).tolist()
        cleaning = clean_labels(  # categories are compared within, not with each other
            values, fp.n.tolist(), column=columns.category, unknown_labels=coding.unknown_labels,
            groups=False,
        )
    rows, warnings = _row_account(fp, columns, cleaning)
    keep, total_pay, work = _kept_rows(fp, columns, cleaning)
    total = sex_summary(work, TOTAL, MALE)
    quartiles = quartile_bands(work, TOTAL, MALE, band_sizes=band_sizes, band_rule=band_rule)
    warnings += relative_warning(fp, total, columns.pay, "pay", keep, total_pay,
                                 lowest=float(quartiles["min_pay"].min()))
    figures = {"a": total.mean_gap, "c": total.median_gap}
    variable, exact = _variable(work, columns, include_zero_variable, warnings)
    figures.update(variable)
    categories = None
    if cleaning is not None:
        categories, by_category = _categories(work.filter(nw.col(IN_CAT)), columns,
                                              include_zero_variable)
        exact += by_category
    # every summary the figures come from: counts, exact sums, medians, maxima
    fingerprint = fp.fingerprint(
        total.exact, quartiles[["employees", "men", "min_pay", "max_pay"]], *exact
    )
    return EUFigures(figures, quartiles, categories, rows, fp.sex, warnings, fingerprint)


def _first_pass(frame: Any, columns: EUColumns, coding: SexCoding) -> FirstPass:
    types = dict(frame.collect_schema())
    check_numeric_column(frame, columns.pay, "pay")
    checks = value_checks(columns.pay, types, "pay")
    known_pay = ~missing_expr(columns.pay, types)
    if columns.variable_pay is not None:
        check_numeric_column(frame, columns.variable_pay, "variable_pay")
        checks.update(value_checks(columns.variable_pay, types, "var"))
    if columns.hours is not None:
        hours = columns.hours
        check_numeric_column(frame, hours, "hours")
        bad = missing_expr(hours, types)
        checks["hours_bad"] = known_pay & (bad | (~bad & (nw.col(hours) == 0)))
        # negative hours are an error (check_values), as negative pay is: not "zero hours"
        checks["hours_negative"] = known_pay & ~bad & (nw.col(hours) < 0)
        checks["hours_huge"] = too_large_expr(hours, types)
        if types[hours].is_float():
            checks["hours_infinite"] = infinite_expr(hours, types)
    keys = [columns.category] if columns.category is not None else []
    fp = first_pass(frame, sex=columns.sex, coding=coding, checks=checks, keys=keys)
    fp.check_values(columns.pay, "pay", "pay", "pay")
    if columns.variable_pay is not None:
        fp.check_values(columns.variable_pay, "variable_pay", "var", "variable pay")
    if columns.hours is not None:
        fp.check_values(columns.hours, "hours", "hours", "hours")
    return fp


def _row_account(
    fp: FirstPass, columns: EUColumns, cleaning: LabelCleaning | None
) -> tuple[RowAccount, list[str]]:
    """Rows used, and every other row by reason: sex, pay, hours (in this order); rows with no
    category are used, and said to be in no category of (g)."""
    sex = fp.sex
    excluded = {
        "sex missing": sex.missing,
        "sex not male or female (excluded from two-sex indicators)": sex.n_other,
    }
    warnings = list(sex.warnings) + sex.two_sex_warning("workers", "indicators")
    remaining = fp.n - fp.counts["pay_missing"]
    excluded[f"missing pay ({columns.pay})"] = fp.count("pay_missing")
    if columns.hours is not None:
        excluded[f"missing or zero hours ({columns.hours})"] = fp.count("hours_bad")
        remaining = remaining - fp.counts["hours_bad"]
    if cleaning is not None:
        warnings += cleaning.warnings()
        blank = np.array([cleaning.get(v) is None for v in fp.groups[columns.category]])
        n_blank = int(remaining[fp.kept & blank].sum())
        if n_blank:
            warnings.append(
                f"{n_blank:,} workers have a missing or unknown {columns.category!r}: they are "
                "in indicators (a) to (f) and the pay quartiles, and in no category of (g)."
            )
    excluded = {k: v for k, v in excluded.items() if v}
    others = {k: v for k, v in excluded.items() if not k.startswith("sex ")}
    if others:
        warnings.append("rows excluded: " + "; ".join(f"{v:,} {k}" for k, v in others.items()))
    n_men, n_women = fp.by_sex(np.where(fp.kept, remaining, 0))
    if n_men == 0 or n_women == 0:
        raise InsufficientDataError(
            f"after exclusions there are {n_men} men and {n_women} women; both are needed."
        )
    return RowAccount(total=fp.total, used=n_men + n_women, excluded=excluded), warnings


def _category_expr(column: str, cleaning: LabelCleaning, types: dict[str, Any]) -> nw.Expr:
    """The category's clean label in the engine (merged spellings replaced)."""
    changed = {raw: clean for raw, clean in cleaning.mapping.items() if clean not in (None, raw)}
    if not changed:
        return nw.col(column)
    return nw.col(column).replace_strict(
        changed, default=nw.col(column), return_dtype=types[column]
    )


def _kept_rows(
    fp: FirstPass, columns: EUColumns, cleaning: LabelCleaning | None
) -> tuple[nw.Expr, nw.Expr, Any]:
    """The rows kept and their total pay (expressions on the user's columns), and a fresh
    frame of them: clean category, male, basic, variable and total pay (per hour with
    ``hours``)."""
    types = fp.types
    keep = fp.two_sexes & ~missing_expr(columns.pay, types)
    basic = nw.col(columns.pay).cast(nw.Float64)
    var = nw.lit(0.0)
    if columns.variable_pay is not None:  # no variable components recorded: none
        missing = missing_expr(columns.variable_pay, types)
        var = (
            nw.when(missing)
            .then(nw.lit(0.0))
            .otherwise(nw.col(columns.variable_pay).cast(nw.Float64))
        )
    if columns.hours is not None:
        hours = nw.col(columns.hours)
        keep = keep & ~missing_expr(columns.hours, types) & (hours > 0)
        basic, var = basic / hours.cast(nw.Float64), var / hours.cast(nw.Float64)
    selected = [fp.is_male.alias(MALE), basic.alias(BASIC), var.alias(VAR)]
    if cleaning is not None:
        # a worker with no category is a worker: in (a)-(f), in no category of (g)
        good = [raw for raw, clean in cleaning.mapping.items() if clean is not None]
        selected.insert(0, _category_expr(columns.category, cleaning, types).alias(CAT))
        selected.append(nw.col(columns.category).is_in(good).fill_null(False).alias(IN_CAT))
    work = fp.frame.filter(keep).select(*selected)
    work = work.with_columns((nw.col(BASIC) + nw.col(VAR)).alias(TOTAL))
    return keep, basic + var, work


def _variable(
    work: Any, columns: EUColumns, include_zero_variable: bool, warnings: list[str]
) -> tuple[dict[str, float], list[pd.DataFrame]]:
    """(b), (d) and (e): gaps in variable pay, and the shares of men and women receiving it;
    with the exact summaries they come from (for the fingerprint)."""
    if columns.variable_pay is None:
        return {"b": NAN, "d": NAN, "e_men": NAN, "e_women": NAN}, []
    everyone = sex_summary(work, VAR, MALE)
    receiving = sex_summary(work.filter(nw.col(VAR) > 0), VAR, MALE)
    shares = {}
    for key, male in (("e_men", True), ("e_women", False)):
        side, all_side = receiving.side(male), everyone.side(male)
        got = 0 if side is None else int(side["n"])
        shares[key] = got / int(all_side["n"]) * 100 if all_side is not None else NAN
        if got == 0 and not include_zero_variable:
            who = "man" if male else "woman"
            warnings.append(
                f"indicators (b) and (d) are not defined: no {who} receives variable components"
            )
    used = everyone if include_zero_variable else receiving
    figures = {"b": used.mean_gap, "d": used.median_gap, **shares}
    return figures, [everyone.exact, receiving.exact.assign(receiving=True)]


def _by_category(work: Any, value: str) -> tuple[dict[Any, SexSummary], pd.DataFrame]:
    """:func:`sex_summary` of each category (one engine pass), and the exact columns of the
    table they come from (for the fingerprint)."""
    table = group_summary(work, value, by=[CAT, MALE])
    out = {}
    for label, part in table.groupby(CAT, sort=False, dropna=False):
        part = part.drop(columns=CAT).rename(columns={MALE: "male"}).astype({"male": bool})
        out[label] = SexSummary.of(part.reset_index(drop=True))
    exact = table[[CAT, MALE, "n", "exact_sum", "median", "max"]].assign(value=value)
    return out, exact


def _categories(
    work: Any, columns: EUColumns, include_zero_variable: bool
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Indicator (g): the gaps in basic, variable and total pay of each category."""
    basic, basic_exact = _by_category(work, BASIC)
    total, total_exact = _by_category(work, TOTAL)
    exact = [basic_exact, total_exact]
    variable: dict[Any, SexSummary] = {}
    if columns.variable_pay is not None:
        source = work if include_zero_variable else work.filter(nw.col(VAR) > 0)
        variable, variable_exact = _by_category(source, VAR)
        exact.append(variable_exact)
    rows = []
    for label in sorted(total, key=str):
        b, v = basic[label], variable.get(label)
        men, women = b.side(True), b.side(False)
        rows.append(
            {
                "category": str(label),
                "men": 0 if men is None else int(men["n"]),
                "women": 0 if women is None else int(women["n"]),
                "mean_basic_men": NAN if men is None else float(men["mean"]),
                "mean_basic_women": NAN if women is None else float(women["mean"]),
                "mean_gap_basic": b.mean_gap,
                "median_gap_basic": b.median_gap,
                "mean_gap_variable": NAN if v is None else v.mean_gap,
                "median_gap_variable": NAN if v is None else v.median_gap,
                "mean_gap_total": total[label].mean_gap,
                "median_gap_total": total[label].median_gap,
            }
        )
    return pd.DataFrame(rows), exact
