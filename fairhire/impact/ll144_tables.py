"""The tables of an LL144 bias audit, built from counts by the shared comparison code.

Each table (sex, race/ethnicity, intersectional) is one family of categories compared with
:func:`fairhire.impact.compare.compare_groups` — the same reference rule, impact ratio,
four-fifths comparison and Fisher's exact test as :func:`fairhire.adverse_impact` — with Holm's
adjustment over the comparisons of the table. What is LL144's own: the categories and their
order (6 RCNY §5-301), categories under ``min_share`` of the table listed but excluded from
the ratios (§5-301(d)), and the unknown category reported apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from .._core.options import Options
from .compare import add_adjusted, compare_groups
from .eeo import HISPANIC, NOT_HISPANIC, RACE_CATEGORIES, RACE_DISPLAY, SEX_CATEGORIES

__all__ = ["TableSpec", "ll144_tables"]

SEPARATOR = " × "


@dataclass(frozen=True)
class Category:
    label: str
    keys: dict[str, str]
    n: int
    k: int


@dataclass(frozen=True)
class TableSpec:
    """How an audit's tables are written: the count and rate columns, and the comparison."""

    count_col: str
    rate_col: str
    min_share: Fraction | None
    options: Options

    @property
    def what(self) -> str:
        return "selection rate" if self.count_col == "selected" else "scoring rate"


def _exclusions(cats: list[Category], min_share: Fraction | None) -> list[str | None]:
    """Why each category is left out of the ratios (None: it is not)."""
    total = sum(c.n for c in cats)
    reasons: list[str | None] = []
    for c in cats:
        if c.n == 0:
            reasons.append("no individuals in this category")
        elif min_share is not None and Fraction(c.n, total) < min_share:
            reasons.append(
                f"{c.n / total:.2%} of the individuals in this table, under the "
                f"{float(min_share):.0%} threshold (6 RCNY §5-301(d)); listed, not in the "
                "impact ratios"
            )
        else:
            reasons.append(None)
    return reasons


def _table(
    cats: list[Category],
    *,
    key_columns: list[str],
    name: str,
    spec: TableSpec,
    warnings: list[str],
) -> pd.DataFrame:
    """One DCWP table: counts, rates, impact ratios against the reference, exclusions."""
    reasons = _exclusions(cats, spec.min_share)
    comp = compare_groups(
        [c.label for c in cats],
        [c.n for c in cats],
        [c.k for c in cats],
        options=spec.options,
        excluded=[r is not None for r in reasons],
        what=spec.what,
    )
    for w in comp.warnings:
        if spec.count_col != "selected":
            w = w.replace("no one was selected", "no one scored above the median")
        warnings.append(f"{name} table: {w}")
    total = sum(c.n for c in cats)
    rows = []
    for c, r, reason in zip(cats, comp.rows, reasons, strict=True):
        rows.append(
            {
                "category": c.label,
                **{k: c.keys.get(k) for k in key_columns},
                "applicants": c.n,
                spec.count_col: c.k,
                spec.rate_col: r["selection_rate"],
                "impact_ratio": r["impact_ratio"],
                "is_highest": r["is_reference"] and not math.isnan(r["impact_ratio"]),
                "too_small_for_reference": r["too_small_for_reference"],
                "share": c.n / total if total else math.nan,
                "excluded": reason is not None,
                "exclusion_reason": reason,
                "below_four_fifths": r["adverse_impact"],
                "p_value_fisher": r["p_value_fisher"],
            }
        )
    # Holm over the comparisons of this table: many categories give many chances of a fluke
    out = add_adjusted(pd.DataFrame(rows), "holm", spec.options.alpha).drop(columns="significant")
    for c in ("applicants", spec.count_col):
        out[c] = out[c].astype("int64")
    for c in ("is_highest", "too_small_for_reference", "excluded", "below_four_fifths"):
        out[c] = out[c].astype(bool)
    return out


def _intersections(cells: pd.DataFrame, sexes: list[str]) -> list[Category]:
    lookup = {(r.sex, r.race): (int(r.n), int(r.k)) for r in cells.itertuples(index=False)}
    cats = []
    for sex in sexes:  # Hispanic or Latino by sex first, as in the DCWP rule's example
        n, k = lookup.get((sex, HISPANIC), (0, 0))
        keys = {"ethnicity": HISPANIC, "sex": sex, "race": HISPANIC}
        cats.append(Category(HISPANIC + SEPARATOR + sex, keys, n, k))
    for sex in sexes:
        for race in RACE_CATEGORIES[1:]:
            n, k = lookup.get((sex, race), (0, 0))
            keys = {"ethnicity": NOT_HISPANIC, "sex": sex, "race": race}
            cats.append(Category(SEPARATOR.join([NOT_HISPANIC, sex, race]), keys, n, k))
    return cats


def _margins(cells: pd.DataFrame) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """[individuals, count] per sex category and per race category (unknowns left out)."""
    by_sex: dict[str, list[int]] = {}
    by_race: dict[str, list[int]] = {}
    for s, r, n, k in zip(cells["sex"], cells["race"], cells["n"], cells["k"], strict=True):
        for cat, index in ((s, by_sex), (r, by_race)):
            if cat is not None and not (isinstance(cat, float) and math.isnan(cat)):
                tot = index.setdefault(cat, [0, 0])
                tot[0] += int(n)
                tot[1] += int(k)
    return by_sex, by_race


def _unknown(cells: pd.DataFrame, count_col: str) -> pd.DataFrame:
    sex_known, race_known = cells["sex"].notna(), cells["race"].notna()
    rows = []
    for table, mask, what in (
        ("sex", ~sex_known, "sex unknown"),
        ("race/ethnicity", ~race_known, "race/ethnicity unknown"),
        ("intersectional", ~(sex_known & race_known), "sex or race/ethnicity unknown"),
    ):
        part = cells[mask]
        rows.append(
            {
                "table": table,
                "unknown": what,
                "applicants": int(part["n"].sum()),
                count_col: int(part["k"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["table", "unknown", "applicants", count_col])


def ll144_tables(
    cells: pd.DataFrame, spec: TableSpec, warnings: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sex, race/ethnicity, intersectional and unknown tables from (sex, race, n, k) cells.

    ``cells`` has one row per (sex category or None, race category or None).
    """
    by_sex, by_race = _margins(cells)
    present_other = by_sex.get("Other", [0, 0])[0] > 0
    sexes = [s for s in SEX_CATEGORIES if s != "Other" or present_other]

    def cat(index: dict, value: str, label: str, col: str) -> Category:
        n, k = index.get(value, (0, 0))
        return Category(label, {col: value}, n, k)

    sex_table = _table(
        [cat(by_sex, s, s, "sex") for s in sexes],
        key_columns=["sex"],
        name="sex",
        spec=spec,
        warnings=warnings,
    )
    race_table = _table(
        [cat(by_race, r, RACE_DISPLAY[r], "race") for r in RACE_CATEGORIES],
        key_columns=["race"],
        name="race/ethnicity",
        spec=spec,
        warnings=warnings,
    )
    both = cells[cells["sex"].notna() & cells["race"].notna()]
    inter = _table(
        _intersections(both, sexes),
        key_columns=["ethnicity", "sex", "race"],
        name="intersectional",
        spec=spec,
        warnings=warnings,
    )
    return sex_table, race_table, inter, _unknown(cells, spec.count_col)
