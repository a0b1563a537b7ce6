"""EU Pay Transparency Directive (EU) 2023/970: the Art. 9(1) indicators (a)–(g) and the
Art. 10 joint pay assessment trigger.

Gaps follow Art. 3(1)(c): the difference between men's and women's average pay levels as a
percentage of men's, positive when men are paid more. ``pay`` is ordinary basic pay and
``variable_pay`` the complementary or variable components; "pay" in (a), (c) and (f) is their
sum (Art. 3(1)(a): pay is the basic wage *and* any other consideration). The Directive compares
men and women, so the sex column is read as two sexes (:mod:`fairhire._sex`).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.labels import as_labels
from .._core.params import check_bool, check_choice, check_int, check_number
from .._core.text import format_count, format_percent_figure
from .._deprecation import renamed_argument
from .._frames import numbers_from_objects, require_columns, to_narwhals
from .._results import Headline, Result, named_value, result_dataclass
from ..stats.paygap import BAND_RULES, BAND_SIZES, publish
from ._eu_pipeline import EUColumns, EUFigures, eu_figures
from ._statutory import SexCoding

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
)
#: Columns of :attr:`EUPayTransparencyMetrics.table`.
TABLE_COLUMNS = ("indicator", "description", "category", "value", "published", "unit", "art10_flag")


@result_dataclass
class EUPayTransparencyMetrics(Result):
    """The Art. 9(1) indicators and the Art. 10 flags.

    Attributes
    ----------
    table : pandas.DataFrame
        Every indicator in one table: (a)–(e) for all workers, then one (g) row per category
        of workers (its gap in average total pay): ``indicator``, ``description``,
        ``category`` (None for all workers), ``value`` (exact %), ``published``, ``unit``,
        ``art10_flag``.
    flagged : pandas.DataFrame
        The (g) rows of the categories flagged under Art. 10 (``flagged_categories`` names
        them).
    indicators : pandas.DataFrame
        (a)–(e): ``indicator``, ``description``, ``value`` (exact %), ``published``, ``unit``.
    quartiles : pandas.DataFrame
        (f): men and women in each quartile pay band of total pay (see
        :func:`fairhire._engine_stats.quartile_bands`).
    categories : pandas.DataFrame or None
        (g): per category of workers: ``category``, ``men``, ``women``, mean basic pay of men
        and women, ``mean_gap_basic``, ``median_gap_basic``, ``mean_gap_variable``,
        ``median_gap_variable``, ``mean_gap_total``, ``median_gap_total``,
        ``mean_gap_total_published``, ``assessable`` (both sexes present), ``art10_flag``
        (|mean gap in total pay| ≥ ``gap_threshold``: the Art. 10(1)(a) condition for a joint
        pay assessment, unless justified by objective, gender-neutral criteria or remedied
        within six months) and ``direction``.
    include_zero_variable : bool
        Whether workers without variable pay count (as 0) in (b) and (d).
    threshold : float
        The ``gap_threshold`` the categories were flagged at (percent).
    fingerprint : str
        SHA-256 of what the figures are computed from: the counts per sex, and per summary
        the count, exact sum, median and maximum, and the band edges. Changing one pay or
        variable pay value (per hour, with ``hours``) changes it; the same rows in another
        order or engine give the same one.
    """

    indicators: pd.DataFrame
    quartiles: pd.DataFrame
    categories: pd.DataFrame | None
    include_zero_variable: bool
    threshold: float
    decimals: int
    fingerprint: str
    sex_other: dict[str, int] = field(default_factory=dict)
    sex_missing: int = 0

    kind: ClassVar[str] = "EU pay transparency metrics"
    flag_column: ClassVar[str] = "art10_flag"
    count_columns: ClassVar[frozenset[str]] = frozenset({"employees", "men", "women"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "female_pct", "male_pct", "max_pay", "mean_basic_men", "mean_basic_women", "mean_gap_basic",
        "mean_gap_total", "mean_gap_total_published", "mean_gap_variable", "median_gap_basic",
        "median_gap_total", "median_gap_variable", "min_pay",
        # "men paid more" for a category of 3 women says which way their pay goes
        "direction",
    })
    #: a category's pay and gaps (and the Art. 10 flag and direction read off them) give no
    #: headcount back: shown where its counts are withheld only to protect another
    #: category's (a band's lowest and highest pay are one person's, and stay withheld)
    magnitude_columns: ClassVar[frozenset[str]] = derived_columns - {
        "female_pct", "male_pct", "max_pay", "min_pay"} | {"art10_flag"}

    @property
    def gap_threshold(self) -> float:
        """The Art. 10 threshold (percent) the categories were flagged at."""
        return self.threshold

    @property
    def table(self) -> pd.DataFrame:
        """(a)–(e) for all workers, then one (g) row per category of workers."""
        overall = self.indicators.assign(category=None, art10_flag=False)
        if self.categories is None or self.categories.empty:
            return overall[list(TABLE_COLUMNS)]
        cats = self.categories
        per_category = pd.DataFrame(
            {
                "indicator": "g",
                "description": "gender pay gap in average total pay, by category of workers",
                "category": cats["category"],
                "value": cats["mean_gap_total"],
                "published": cats["mean_gap_total_published"],
                "unit": "percent",
                "art10_flag": cats["art10_flag"].astype(bool),
            }
        )
        table = pd.concat([overall[list(TABLE_COLUMNS)], per_category], ignore_index=True)
        table["category"] = table["category"].astype(object).where(table["category"].notna())
        return table

    def value(self, indicator: str) -> float:
        """The exact value of an indicator ("a", "b", "c", "d", "e_men", "e_women")."""
        return named_value(self.indicators, "indicator", indicator, "value")

    @property
    def flagged_categories(self) -> list[str]:
        if self.categories is None:
            return []
        return self.categories.loc[self.categories["art10_flag"], "category"].tolist()

    def _repr_headline(self) -> str:
        cats = "" if self.categories is None else f", {len(self.flagged_categories)} flagged"
        return f"gap (a) {format_percent_figure(self.value('a'))}{cats}"

    def summary(self) -> str:
        lines = ["EU Pay Transparency Directive 2023/970, Art. 9(1) indicators"]
        lines += self._rows_text()
        for r in self.indicators.itertuples(index=False):
            lines.append(f"  ({r.indicator}) {r.description}: {format_percent_figure(r.published)}")
        lines.append("  (f) quartile pay bands, women's share:")
        for r in self.quartiles.itertuples(index=False):
            lines.append(f"      {r.band:<13} {format_percent_figure(r.female_pct)}")
        if self.categories is not None:
            flagged = ", ".join(map(str, self.flagged_categories)) or "none"
            lines.append(
                f"  (g) {format_count(len(self.categories))} categories of workers; "
                f"{format_count(len(self.flagged_categories))} with a gap in average pay of at "
                f"least {format_percent_figure(self.threshold, 0)} (Art. 10 joint pay assessment "
                f"trigger): {flagged}"
            )
        return self._summary_text(lines)

    def headlines(self) -> list[Headline]:
        out = []
        a = self.value("a")
        if np.isfinite(a):
            text = (
                "EU pay transparency: the gender pay gap (Art. 9(1)(a)) is "
                f"{format_percent_figure(a)} and the median gap "
                f"{format_percent_figure(self.value('c'))}."
            )
            out.append(Headline(severity=1, text=text, figure=a, section="Art. 9"))
        flagged = self.flagged
        if len(flagged):
            worst = flagged.loc[flagged["value"].abs().idxmax()]
            assessable = int(self.categories["assessable"].sum())  # type: ignore[index]
            text = (
                f"{format_count(len(flagged))} of {format_count(assessable)} categories of "
                f"workers have a gap in average pay of at least "
                f"{format_percent_figure(self.threshold, 0)} (largest: "
                f"{format_percent_figure(worst['value'])} in {worst['category']}); unless "
                "justified by objective, gender-neutral criteria or remedied within six months, "
                "this triggers a joint pay assessment under Art. 10."
            )
            out.append(
                Headline(severity=3, text=text, figure=float(len(flagged)), section="Art. 10")
            )
        return out


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
    gap_threshold: float = 5.0,
    band_rule: str = "pro_rata",
    band_sizes: str = "lower_first",
    decimals: int = 1,
    unknown_labels: Any = (),
    threshold: float | None = None,
) -> EUPayTransparencyMetrics:
    """Art. 9(1)(a)–(g) indicators of Directive (EU) 2023/970 and the Art. 10 5% flags.

    Parameters
    ----------
    data : data frame
        One row per worker; anything :func:`fairhire._frames.to_narwhals` accepts. The work
        runs in the data's engine (pay per hour, counts, means, exact medians overall and per
        category, the quartile bands); only small tables come back. Only ``band_rule="rank"``
        collects the total pay and sex of the workers.
    pay : str
        Ordinary basic pay (gross, annual or per hour).
    sex : str
        Read as two sexes (:func:`fairhire._sex.read_sex`); other and missing values are
        excluded from these two-sex indicators, counted in ``rows`` and reported.
    variable_pay : str, optional
        Complementary or variable components (bonus, allowances...) over the same period; 0
        or missing for none. Without it (b), (d) and (e) are not computed and pay is basic pay.
    category : str, optional
        Category of workers (work of equal value, Art. 4(4)) for indicator (g) and the Art. 10
        flags. Labels that differ only in case or spaces are merged, with a warning.
    hours : str, optional
        Hours paid over the same period as ``pay``: pay and variable pay are divided by them to
        give pay per hour (the Directive's "corresponding gross hourly pay").
    include_zero_variable : bool, default False
        Whether (b) and (d) compare all workers (those without variable pay counting as 0) or
        only those who receive variable components (the UK bonus convention). The Directive
        does not settle this; the choice is recorded in the result.
    male, female : optional
        The values of ``sex`` meaning male / female, when not a common spelling.
    gap_threshold : float, default 5.0
        Art. 10(1)(a): a difference in average pay of at least this percentage in a category
        flags it. Differences in either direction are flagged (``direction`` says which).
    band_rule, band_sizes : str
        Quartile banding, as in :func:`fairhire.uk_pay_gap_metrics`.
    decimals : int, default 1
        Publication rounding (half up).
    unknown_labels : list, optional
        Values of ``sex`` or ``category`` that mean "unknown": counted as missing.
    threshold : float, optional
        The old name of ``gap_threshold`` (works for one more release, with a FutureWarning).

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
    >>> eu.flagged[["indicator", "category"]].values.tolist()
    [['g', 'A']]
    """
    gap_threshold = renamed_argument(
        "eu_pay_transparency_metrics", "threshold", "gap_threshold", threshold, gap_threshold, 5.0
    )
    check_number(gap_threshold, "gap_threshold", low=0, low_open=True, hint="Use e.g. 5.0 (%).")
    check_bool(include_zero_variable, "include_zero_variable")
    check_choice(band_rule, "band_rule", BAND_RULES)
    check_choice(band_sizes, "band_sizes", BAND_SIZES)
    check_int(decimals, "decimals", low=0, high=6)
    frame = to_narwhals(data)
    require_columns(
        frame, pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours
    )
    frame = numbers_from_objects(frame, [pay, variable_pay, hours])
    columns = EUColumns(pay=pay, sex=sex, variable_pay=variable_pay, category=category, hours=hours)
    figures = eu_figures(
        frame,
        columns,
        coding=SexCoding(male=male, female=female, unknown_labels=unknown_labels),
        include_zero_variable=include_zero_variable,
        band_rule=band_rule,
        band_sizes=band_sizes,
    )
    return _result(
        figures,
        columns,
        gap_threshold=float(gap_threshold),
        decimals=decimals,
        include_zero_variable=include_zero_variable,
        band_rule=band_rule,
        band_sizes=band_sizes,
        unknown_labels=as_labels(unknown_labels),
    )


def _result(
    figures: EUFigures,
    columns: EUColumns,
    *,
    gap_threshold: float,
    decimals: int,
    include_zero_variable: bool,
    band_rule: str,
    band_sizes: str,
    unknown_labels: tuple[Any, ...],
) -> EUPayTransparencyMetrics:
    warnings = list(figures.warnings)
    categories = None
    if figures.categories is not None:
        categories = _categories_table(figures.categories, gap_threshold, decimals)
        not_assessable = categories.loc[~categories["assessable"], "category"].tolist()
        if not_assessable:
            warnings.append(
                f"{len(not_assessable)} categories have workers of only one sex and cannot be "
                f"assessed: {', '.join(not_assessable[:10])}"
            )
    indicators = pd.DataFrame(
        [
            {
                "indicator": key,
                "description": description,
                "value": figures.values[key],
                "published": publish(figures.values[key], decimals),
                "unit": unit,
            }
            for key, description, unit in INDICATORS
        ]
    )
    return EUPayTransparencyMetrics(
        indicators=indicators,
        quartiles=figures.quartiles,
        categories=categories,
        include_zero_variable=include_zero_variable,
        threshold=gap_threshold,
        decimals=decimals,
        fingerprint=figures.fingerprint,
        sex_other={str(k): v for k, v in figures.sex.other.items()},
        sex_missing=figures.sex.missing,
        warnings=tuple(warnings),
        rows=figures.rows,
        params={
            "pay": columns.pay,
            "sex": columns.sex,
            "variable_pay": columns.variable_pay,
            "category": columns.category,
            "hours": columns.hours,
            "include_zero_variable": include_zero_variable,
            "gap_threshold": gap_threshold,
            "band_rule": band_rule,
            "band_sizes": band_sizes,
            "decimals": decimals,
            "unknown_labels": list(unknown_labels),
        },
    )


def _direction(assessable: bool, gap: float) -> str:
    if not assessable:
        return ""
    return "men paid more" if gap > 0 else "women paid more" if gap < 0 else "equal"


def _categories_table(
    categories: pd.DataFrame, gap_threshold: float, decimals: int
) -> pd.DataFrame:
    """Indicator (g): each category's gaps, and its Art. 10 flag (|gap in average total pay|
    at least ``gap_threshold``, in either direction)."""
    out = categories.copy()
    gap = out["mean_gap_total"].astype(float)
    assessable = (out["men"] > 0) & (out["women"] > 0) & np.isfinite(gap)
    out["mean_gap_total_published"] = [publish(v, decimals) for v in gap]
    out["assessable"] = assessable.astype(bool)
    out["art10_flag"] = (assessable & (gap.abs() >= gap_threshold)).astype(bool)
    out["direction"] = [_direction(a, g) for a, g in zip(assessable, gap, strict=True)]
    return out[list(CATEGORY_COLUMNS)].reset_index(drop=True)
