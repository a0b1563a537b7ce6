"""NYC Local Law 144 bias audits of automated employment decision tools (6 RCNY §5-300–5-304).

A bias audit reports, separately for sex categories, race/ethnicity categories and every
sex × race/ethnicity intersection, the number of applicants, the selection rate (tools that
select or classify) or the scoring rate (tools that score: the share scoring *above the median
score of the full sample*), and the impact ratio: the category's rate divided by the highest
category's rate. Individuals in an unknown category are counted and reported apart, never in a
ratio. An auditor may exclude a category under 2% of the data from the impact ratios, but must
still report its counts and rate, with the justification. The law sets no impact-ratio
threshold; fairhire adds the four-fifths comparison (29 CFR 1607.4(D)) and Fisher's exact test
as clearly labelled additional information.

The row-level work (validation, the median score, one group-by over sex and race) runs in the
data's own engine through narwhals; the tables are built from the small table of counts.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import pandas as pd

from .._engine_stats import median as engine_median
from .._frames import (
    collect_pandas,
    fingerprint_frame,
    require_columns,
    schema,
    sum_true,
    to_narwhals,
)
from .._results import Headline, Result, RowAccount, jsonable
from ..errors import (
    InsufficientDataError,
    InvalidParameterError,
    InvalidValueError,
    preview,
)
from ..stats import proportions as sp
from .aggregate import APPLIED, check_group_values, funnel_from_stage_columns, sel_col
from .eeo import (
    HISPANIC,
    NOT_HISPANIC,
    RACE_CATEGORIES,
    RACE_DISPLAY,
    SEX_CATEGORIES,
    read_labels,
    split_category_map,
)

__all__ = ["LL144Audit", "ll144_audit"]

SEPARATOR = " × "

#: Fields of the published summary of results (6 RCNY §5-303, Admin. Code §20-871(b)) that the
#: audit cannot compute and the caller must supply.
REQUIRED_DISCLOSURES: dict[str, str] = {
    "audit_date": "date of the most recent bias audit",
    "data_source": "source and explanation of the data used",
    "tool_distribution_date": "distribution date of the tool",
}

_FLAG = "__fh_above_median"


def _fraction(value: float | Fraction | str, argument: str) -> Fraction:
    try:
        out = value if isinstance(value, Fraction) else Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InvalidParameterError(
            f"{argument}={value!r} is not a number; use e.g. 0.02 (2%)."
        ) from None
    if not 0 < out < 1:
        raise InvalidParameterError(
            f"{argument}={value!r} must lie strictly between 0 and 1; the DCWP rule allows "
            "excluding categories under 2% of the data (0.02)."
        )
    return out


def _iso_date(value: Any, argument: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidParameterError(
        f"{argument}={value!r} is not a date; pass a datetime.date or an ISO date string "
        "such as '2026-01-31'."
    )


def _period(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Sequence) and len(value) == 2:
        start, end = (_iso_date(v, "period") for v in value)
        return f"{start} to {end}"
    raise InvalidParameterError(
        f"period={value!r}; pass a text such as 'January–December 2025' or a pair of dates "
        "(start, end)."
    )


def _text(value: Any, argument: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(f"{argument}= must be text; got {type(value).__name__}.")
    return value.strip() or None


# --------------------------------------------------------------------------------------------
# Reading the data (in the caller's engine)
# --------------------------------------------------------------------------------------------


def _scored_rows(frame: Any, score: str, missing_score: str) -> tuple[Any, int, int]:
    """Check that ``score`` is numeric; drop (and count) rows with a missing score.

    Returns (frame of the rows with a score, number of rows, number with a missing score).
    Shared by the LL144 scoring audit and the cut-off analysis.
    """
    dtype = schema(frame)[score]
    if dtype == nw.Boolean or not dtype.is_numeric():
        sample = collect_pandas(frame.select(nw.col(score)).head(5))[score].tolist()
        raise InvalidValueError(
            f"score column {score!r} must hold numbers; it has type {dtype} (e.g. "
            f"{preview(sample)}). Convert it with pandas.to_numeric(df[{score!r}], "
            "errors='coerce') and check how many values become missing."
        )
    missing = nw.col(score).is_null()
    if dtype.is_float():
        missing = missing | nw.col(score).is_nan()
    found = collect_pandas(
        frame.select(nw.len().alias("n"), sum_true(missing, frame).alias("miss"))
    )
    n_rows, n_missing = int(found["n"].iloc[0]), int(found["miss"].iloc[0])
    if n_missing and missing_score == "raise":
        raise InvalidValueError(
            f"score column {score!r} is missing in {n_missing:,} of {n_rows:,} rows. Fill or "
            "drop them, or pass missing_score='exclude' to leave them out and count them."
        )
    if n_rows and n_rows == n_missing:
        raise InsufficientDataError(
            f"no row has a score in column {score!r} ({n_rows:,} rows, all missing)."
        )
    return (frame.filter(~missing) if n_missing else frame), n_rows, n_missing


def _score_counts(
    frame: Any, *, keys: list[str], score: str, missing_score: str
) -> tuple[pd.DataFrame, float | None, int, int, int]:
    """Counts per (sex, race) of individuals and of those scoring above the full median.

    Returns (table, median, rows with a missing score, rows at the median, all rows).
    """
    work, n_rows, n_missing = _scored_rows(frame, score, missing_score)
    if n_rows == 0:
        raise InsufficientDataError("the data have no rows: nothing to audit.")
    # exact in every supported engine (Spark: percentile; DuckDB: quantile_cont)
    median = float(engine_median(work, score)["median"].iloc[0])
    work = work.with_columns((nw.col(score) > median).alias(_FLAG))
    at_median = collect_pandas(work.select(sum_true(nw.col(score) == median, work).alias("t")))
    funnel = funnel_from_stage_columns(
        work, keys=keys, stages=[_FLAG], on_inconsistent="raise", total_rows=n_rows - n_missing
    )
    table = funnel.table.rename(columns={APPLIED: "n", sel_col(_FLAG): "k"})[[*keys, "n", "k"]]
    return table, median, n_missing, int(at_median["t"].iloc[0]), n_rows


def _selection_counts(frame: Any, *, keys: list[str], selected: str) -> pd.DataFrame:
    funnel = funnel_from_stage_columns(frame, keys=keys, stages=[selected], on_inconsistent="raise")
    return funnel.table.rename(columns={APPLIED: "n", sel_col(selected): "k"})[[*keys, "n", "k"]]


# --------------------------------------------------------------------------------------------
# Tables (pure functions on counts)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    category: str
    keys: dict[str, str]
    n: int
    k: int


def _table(
    specs: list[_Spec],
    *,
    key_columns: list[str],
    count_col: str,
    rate_col: str,
    exclude_under: Fraction | None,
    name: str,
    warnings: list[str],
) -> pd.DataFrame:
    """One DCWP table: counts, rates, impact ratios against the highest rate, exclusions."""
    total = sum(s.n for s in specs)
    excluded = []
    reasons: list[str | None] = []
    for s in specs:
        if s.n == 0:
            excluded.append(True)
            reasons.append("no individuals in this category")
        elif exclude_under is not None and Fraction(s.n, total) < exclude_under:
            excluded.append(True)
            reasons.append(
                f"{s.n / total:.2%} of the individuals in this table, under the "
                f"{float(exclude_under):.0%} threshold (6 RCNY §5-301(d)); listed, not in the "
                "impact ratios"
            )
        else:
            excluded.append(False)
            reasons.append(None)
    eligible = [i for i, ex in enumerate(excluded) if not ex]
    best: list[int] = []
    best_rate: Fraction | None = None
    for i in eligible:  # the highest rate, compared exactly: ties all get ratio 1
        rate = Fraction(specs[i].k, specs[i].n)
        if best_rate is None or rate > best_rate:
            best, best_rate = [i], rate
        elif rate == best_rate:
            best.append(i)
    if best and best_rate == 0:
        warnings.append(
            f"no one in the {name} table was {'selected' if count_col == 'selected' else 'above the median'}: "
            "every rate is zero and impact ratios are undefined."
        )
    ref = best[0] if best else None
    b, m = (specs[ref].k, specs[ref].n) if ref is not None else (0, 0)
    rows = []
    for i, s in enumerate(specs):
        ir = p = math.nan
        below = False
        if ref is not None and not excluded[i] and b > 0:
            ir = sp.impact_ratio(s.k, s.n, b, m)
            if i not in best:
                below = sp.below_threshold(s.k, s.n, b, m)
                p = sp.fisher_exact_test(s.k, s.n, b, m)
        rows.append(
            {
                "category": s.category,
                **{c: s.keys.get(c) for c in key_columns},
                "applicants": s.n,
                count_col: s.k,
                rate_col: sp.selection_rate(s.k, s.n),
                "impact_ratio": ir,
                "is_highest": i in best and b > 0,
                "share": s.n / total if total else math.nan,
                "excluded": excluded[i],
                "exclusion_reason": reasons[i],
                "below_four_fifths": bool(below),
                "p_value_fisher": p,
            }
        )
    out = pd.DataFrame(rows)
    # Holm over the comparisons of this table: many categories give many chances of a fluke
    out["p_value_adjusted"] = sp.adjust_pvalues(out["p_value_fisher"].to_numpy(float), "holm")
    for c in ("applicants", count_col):
        out[c] = out[c].astype("int64")
    for c in ("is_highest", "excluded", "below_four_fifths"):
        out[c] = out[c].astype(bool)
    return out


def _intersection_specs(cells: pd.DataFrame, sexes: list[str]) -> list[_Spec]:
    lookup = {(r.sex, r.race): (int(r.n), int(r.k)) for r in cells.itertuples(index=False)}
    specs = []
    for sex in sexes:  # Hispanic or Latino by sex first, as in the DCWP rule's example
        n, k = lookup.get((sex, HISPANIC), (0, 0))
        specs.append(
            _Spec(
                HISPANIC + SEPARATOR + sex,
                {"ethnicity": HISPANIC, "sex": sex, "race": HISPANIC},
                n,
                k,
            )
        )
    for sex in sexes:
        for race in RACE_CATEGORIES[1:]:
            n, k = lookup.get((sex, race), (0, 0))
            specs.append(
                _Spec(
                    SEPARATOR.join([NOT_HISPANIC, sex, race]),
                    {"ethnicity": NOT_HISPANIC, "sex": sex, "race": race},
                    n,
                    k,
                )
            )
    return specs


def _tables_from_cells(
    cells: pd.DataFrame,
    *,
    count_col: str,
    rate_col: str,
    exclude_under: Fraction | None,
    warnings: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sex, race/ethnicity, intersectional and unknown tables from (sex, race, n, k) cells.

    ``cells`` has one row per (sex category or None, race category or None).
    """
    sex_known = cells["sex"].notna()
    race_known = cells["race"].notna()
    by_sex: dict[str, list[int]] = {}
    by_race: dict[str, list[int]] = {}
    for s, r, n, k in zip(cells["sex"], cells["race"], cells["n"], cells["k"], strict=True):
        for cat, index in ((s, by_sex), (r, by_race)):
            if cat is not None and not (isinstance(cat, float) and math.isnan(cat)):
                tot = index.setdefault(cat, [0, 0])
                tot[0] += int(n)
                tot[1] += int(k)
    present_other = by_sex.get("Other", [0, 0])[0] > 0
    sexes = [s for s in SEX_CATEGORIES if s != "Other" or present_other]

    def spec(index: dict, cat: str, label: str, col: str) -> _Spec:
        n, k = index.get(cat, (0, 0))
        return _Spec(label, {col: cat}, n, k)

    common = {"count_col": count_col, "rate_col": rate_col, "exclude_under": exclude_under,
              "warnings": warnings}  # fmt: skip
    sex_table = _table(
        [spec(by_sex, s, s, "sex") for s in sexes], key_columns=["sex"], name="sex", **common
    )
    race_table = _table(
        [spec(by_race, r, RACE_DISPLAY[r], "race") for r in RACE_CATEGORIES],
        key_columns=["race"],
        name="race/ethnicity",
        **common,
    )
    both = cells[sex_known & race_known]
    inter = _table(
        _intersection_specs(both, sexes),
        key_columns=["ethnicity", "sex", "race"],
        name="intersectional",
        **common,
    )
    unknown_rows = []
    for table, mask, what in (
        ("sex", ~sex_known, "sex unknown"),
        ("race/ethnicity", ~race_known, "race/ethnicity unknown"),
        ("intersectional", ~(sex_known & race_known), "sex or race/ethnicity unknown"),
    ):
        part = cells[mask]
        unknown_rows.append(
            {"table": table, "unknown": what, "applicants": int(part["n"].sum()),
             count_col: int(part["k"].sum())}
        )  # fmt: skip
    unknown = pd.DataFrame(unknown_rows, columns=["table", "unknown", "applicants", count_col])
    return sex_table, race_table, inter, unknown


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


def _pct(v: float, digits: int = 1) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}%}"


def _num(v: float, digits: int = 3) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class LL144Audit(Result):
    """The tables of a NYC Local Law 144 bias audit, and what its summary of results discloses.

    Attributes
    ----------
    sex, race, intersectional : pandas.DataFrame
        One row per category, in the DCWP rule's order: ``category`` (as the rule prints it),
        the category's key columns (``sex``; ``race``; ``ethnicity, sex, race``),
        ``applicants``, ``selected`` and ``selection_rate`` (selection audits) or
        ``above_median`` and ``scoring_rate`` (scoring audits), ``impact_ratio`` (the rate over
        the highest rate among the categories not excluded, from unrounded rates),
        ``is_highest``, ``share`` (of the individuals with a known value in this table),
        ``excluded`` and ``exclusion_reason``. Additional information, not required by the
        law: ``below_four_fifths`` (the exact four-fifths comparison with the highest
        category), ``p_value_fisher`` (Fisher's exact test against it, two-sided) and
        ``p_value_adjusted`` (Holm over the comparisons of the table).
    unknown : pandas.DataFrame
        Individuals left out of each table because their category is unknown: ``table,
        unknown, applicants`` and the selected / above-median count.
    basis : {"selection", "scoring"}
        Selection-rate audit (``selected=``) or scoring-rate audit (``score=``).
    median_score : float or None
        The full sample's median score (scoring audits). "Above the median" is strictly above.
    n_individuals : int
        Individuals the audit covers (rows with a usable outcome).
    metadata : dict
        Disclosure fields for the summary of results: ``audit_date``, ``auditor``,
        ``employer``, ``tool_name``, ``tool_distribution_date``, ``data_source``,
        ``data_description``, ``period``, ``data_type`` and ``test_data_explanation``.
    exclude_under : float or None
        Share under which categories were excluded from the ratios.
    exclusion_justification : str or None
        The auditor's justification for excluding categories (printed in the summary).
    label_mapping : pandas.DataFrame
        How each distinct sex and race label of the data was read (``column, label,
        category, read_as``).
    fingerprint : str
        SHA-256 of the aggregated counts the audit used.
    """

    sex: pd.DataFrame
    race: pd.DataFrame
    intersectional: pd.DataFrame
    unknown: pd.DataFrame
    basis: str
    median_score: float | None
    n_individuals: int
    metadata: Mapping[str, Any] = field(default_factory=dict)
    exclude_under: float | None = None
    exclusion_justification: str | None = None
    label_mapping: pd.DataFrame = field(default_factory=pd.DataFrame)
    alpha: float = 0.05
    fingerprint: str = ""

    kind: ClassVar[str] = "NYC Local Law 144 bias audit"
    count_columns: ClassVar[frozenset[str]] = frozenset(
        {"applicants", "selected", "above_median", "n_unknown"}
    )
    report_count_columns: ClassVar[tuple[str, ...]] = ("above_median",)

    def __repr__(self) -> str:
        return (
            f"<LL144Audit: {self.basis}-rate audit of {self.n_individuals:,} individuals, "
            f"{self.n_unknown:,} unknown, {len(self.excluded_categories)} categories excluded>"
        )

    # -- names that depend on the audit type ----------------------------------------------
    @property
    def count_column(self) -> str:
        """``"selected"`` (selection audits) or ``"above_median"`` (scoring audits)."""
        return "selected" if self.basis == "selection" else "above_median"

    @property
    def rate_column(self) -> str:
        """``"selection_rate"`` or ``"scoring_rate"``."""
        return "selection_rate" if self.basis == "selection" else "scoring_rate"

    @property
    def selection_audit(self) -> bool:
        """True for a selection-rate audit, False for a scoring-rate audit."""
        return self.basis == "selection"

    @property
    def rate_name(self) -> str:
        return "selection rate" if self.basis == "selection" else "scoring rate"

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by name: ``sex``, ``race/ethnicity``, ``intersectional``."""
        return {"sex": self.sex, "race/ethnicity": self.race, "intersectional": self.intersectional}

    @property
    def n_unknown(self) -> int:
        """Individuals with an unknown sex or race/ethnicity (left out of the intersections)."""
        row = self.unknown.loc[self.unknown["table"] == "intersectional", "applicants"]
        return int(row.iloc[0]) if len(row) else 0

    @property
    def excluded_categories(self) -> pd.DataFrame:
        """Categories with individuals that were excluded from the ratios, with the reason."""
        parts = []
        for name, t in self.tables.items():
            rows = t.loc[t["excluded"] & (t["applicants"] > 0)]
            parts.append(rows.assign(table=name)[["table", "category", "applicants",
                                                  self.count_column, self.rate_column,
                                                  "share", "exclusion_reason"]])  # fmt: skip
        return pd.concat(parts, ignore_index=True)

    @property
    def missing_disclosures(self) -> list[str]:
        """Required fields of the summary of results that were not supplied."""
        out = [desc for key, desc in REQUIRED_DISCLOSURES.items() if not self.metadata.get(key)]
        if self.metadata.get("data_type") == "test" and not self.metadata.get(
            "test_data_explanation"
        ):
            out.append("why historical data were not used and how the test data were made")
        return out

    def published_table(self, name: str) -> pd.DataFrame:
        """One table as the summary of results prints it, with a ``note`` column.

        ``name`` is ``"sex"``, ``"race/ethnicity"`` (or ``"race"``) or ``"intersectional"``.
        Columns: ``category, applicants``, the selected / above-median count, the rate,
        ``impact_ratio`` and ``note`` ("highest rate", or why a category is excluded).
        """
        tables = {**self.tables, "race": self.race}
        if name not in tables:
            raise InvalidParameterError(
                f"name={name!r}; use 'sex', 'race/ethnicity' or 'intersectional'."
            )
        t = tables[name]
        notes = [
            f"excluded: {r.exclusion_reason}"
            if r.excluded
            else ("highest rate" if r.is_highest else "")
            for r in t.itertuples(index=False)
        ]
        out = t[["category", "applicants", self.count_column, self.rate_column, "impact_ratio"]]
        return out.assign(note=notes)

    def disclosures(self) -> pd.DataFrame:
        """The audit's disclosure fields as (``field``, ``value``) rows for the summary.

        Required fields that were not supplied read "not provided (required)".
        """
        md = self.metadata
        missing = "not provided (required)"
        rows = [
            ("Automated employment decision tool", md.get("tool_name") or "not provided"),
            ("Distribution date of the tool", md.get("tool_distribution_date") or missing),
            ("Date of the bias audit", md.get("audit_date") or missing),
            ("Independent auditor", md.get("auditor") or "not provided"),
            ("Employer or employment agency", md.get("employer") or "not provided"),
            ("Source of the data", md.get("data_source") or missing),
            ("Explanation of the data", md.get("data_description") or "not provided"),
            ("Period covered by the data", md.get("period") or "not provided"),
            (
                "Type of data",
                "historical data from the use of the tool (6 RCNY §5-302(a))"
                if md.get("data_type", "historical") == "historical"
                else "test data (6 RCNY §5-302(b))",
            ),
        ]
        if md.get("data_type") == "test":
            rows.append(
                (
                    "Why historical data were not used, and how the test data were made",
                    md.get("test_data_explanation") or missing,
                )
            )
        rows.append(
            (
                "Rates reported",
                "selection rates: the share of each category selected to move forward"
                if self.basis == "selection"
                else "scoring rates: the share of each category scoring above the median score "
                f"of the full sample ({self.median_score:g}); a score equal to the median is "
                "not above it",
            )
        )
        return pd.DataFrame(rows, columns=["field", "value"])

    def additional_information(self) -> pd.DataFrame:
        """The four-fifths comparison and Fisher's test for each compared category.

        Not required by Local Law 144, which sets no threshold; shown as extra information.
        Columns: ``table, category, impact_ratio, below_four_fifths, p_value_fisher,
        p_value_adjusted`` (Holm over the comparisons of each table).
        """
        parts = []
        for name, t in self.tables.items():
            rows = t.loc[~t["excluded"] & ~t["is_highest"] & t["impact_ratio"].notna()]
            parts.append(
                rows.assign(table=name)[
                    [
                        "table",
                        "category",
                        "impact_ratio",
                        "below_four_fifths",
                        "p_value_fisher",
                        "p_value_adjusted",
                    ]
                ]
            )
        return pd.concat(parts, ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The three tables stacked, with a ``table`` column first."""
        parts = [t.assign(table=name) for name, t in self.tables.items()]
        out = pd.concat(parts, ignore_index=True)
        return out[["table", *[c for c in out.columns if c != "table"]]]

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["n_unknown"] = self.n_unknown
        out["missing_disclosures"] = jsonable(self.missing_disclosures)
        return out

    def headlines(self) -> list[Headline]:
        """The lowest impact ratio of each table, unknowns, and missing disclosure fields."""
        out: list[Headline] = []
        for name, t in self.tables.items():
            cand = t.loc[~t["excluded"] & ~t["is_highest"] & t["impact_ratio"].notna()]
            if cand.empty:
                continue
            row = cand.loc[cand["impact_ratio"].idxmin()]
            top = t.loc[t["is_highest"], "category"].tolist()
            top_label = " and ".join(top)
            base = (
                f"{name.capitalize()} categories: the lowest impact ratio is "
                f"{row.impact_ratio:.2f}, for {row.category} ({self.rate_name} "
                f"{row[self.rate_column]:.1%} against "
                f"{t.loc[t['is_highest'], self.rate_column].iloc[0]:.1%} for {top_label})"
            )
            if row.below_four_fifths:
                significant = row.p_value_adjusted < self.alpha
                tail = (
                    f"below four-fifths — shown as additional information, LL144 sets no "
                    f"threshold; Fisher {_p(row.p_value_fisher)}, Holm-adjusted "
                    f"{_p(row.p_value_adjusted).replace('p ', '', 1)}"
                )
                text = f"{base}; {tail}"
                text += (
                    ": evidence of adverse impact under the four-fifths rule."
                    if significant
                    else "."
                )
                out.append(Headline(severity=3 if significant else 2, text=text,
                                    figure=float(row.impact_ratio), section=name))  # fmt: skip
            else:
                out.append(Headline(severity=1, text=base + "; no category is below four-fifths.",
                                    figure=float(row.impact_ratio), section=name))  # fmt: skip
        missing = self.missing_disclosures
        if missing:
            out.append(
                Headline(
                    severity=2,
                    text="The summary of results is not yet publishable: it lacks the "
                    + "; ".join(missing)
                    + ".",
                    section="disclosures",
                )
            )
        if self.n_unknown:
            share = self.n_unknown / self.n_individuals if self.n_individuals else math.nan
            out.append(
                Headline(
                    severity=1,
                    text=f"{self.n_unknown:,} individuals ({share:.1%}) have an unknown sex or "
                    "race/ethnicity; they are reported separately and are in no impact ratio.",
                    figure=float(self.n_unknown),
                    section="unknown",
                )
            )
        out.sort(key=lambda h: -h.severity)
        return out

    def summary(self) -> str:
        """The summary of results as plain text: disclosures, the three tables, unknowns."""
        md = self.metadata
        what = (
            "selection rates (share selected)"
            if self.basis == "selection"
            else f"scoring rates (share scoring above the full sample's median score, "
            f"{self.median_score:g})"
        )
        lines = [
            "NYC Local Law 144 bias audit — summary of results",
            f"Tool: {md.get('tool_name') or '(not given)'}; distributed "
            f"{md.get('tool_distribution_date') or '(date not given)'}",
            f"Audit date: {md.get('audit_date') or '(not given)'}; auditor: "
            f"{md.get('auditor') or '(not given)'}",
            f"Data: {md.get('data_source') or '(source not given)'}"
            + (f"; period {md['period']}" if md.get("period") else "")
            + f"; {md.get('data_type', 'historical')} data",
            f"Individuals assessed: {self.n_individuals:,}; with an unknown sex or "
            f"race/ethnicity: {self.n_unknown:,}.",
            f"Rates are {what}; impact ratio = rate ÷ highest rate (unrounded).",
        ]
        for name, t in self.tables.items():
            view = pd.DataFrame(
                {
                    "category": t["category"],
                    "applicants": t["applicants"].map(lambda v: f"{v:,}"),
                    self.count_column: t[self.count_column].map(lambda v: f"{v:,}"),
                    self.rate_column: t[self.rate_column].map(_pct),
                    "impact_ratio": t["impact_ratio"].map(_num),
                    "excluded": t["excluded"].map(lambda v: "yes" if v else ""),
                    "below 4/5*": t["below_four_fifths"].map(lambda v: "yes" if v else ""),
                }
            )
            lines.append(f"\n{name.capitalize()} categories")
            lines.append(view.to_string(index=False))
        lines.append(
            "\n* additional information: the four-fifths comparison (29 CFR 1607.4(D)); "
            "Local Law 144 sets no impact-ratio threshold."
        )
        lines.append("Unknown category (not in any ratio):")
        lines.append(self.unknown.to_string(index=False))
        ex = self.excluded_categories
        if len(ex):
            lines.append("Excluded from the impact ratios (counts and rates still reported):")
            for r in ex.itertuples(index=False):
                lines.append(f"  {r.table}: {r.category} — {r.exclusion_reason}")
            if self.exclusion_justification:
                lines.append(f"Justification: {self.exclusion_justification}")
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


def _p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def ll144_audit(
    data: Any,
    *,
    sex: str,
    race: str,
    selected: str | None = None,
    score: str | None = None,
    exclude_under: float | Fraction | str | None = None,
    category_map: Mapping[Any, Any] | None = None,
    unknown_labels: Sequence[Any] = (),
    exclusion_justification: str | None = None,
    missing_score: str = "exclude",
    alpha: float = 0.05,
    audit_date: Any = None,
    auditor: str | None = None,
    employer: str | None = None,
    tool_name: str | None = None,
    tool_distribution_date: Any = None,
    data_source: str | None = None,
    data_description: str | None = None,
    period: Any = None,
    data_type: str = "historical",
    test_data_explanation: str | None = None,
) -> LL144Audit:
    """Bias audit of an automated employment decision tool under NYC Local Law 144.

    Builds the tables of 6 RCNY §5-301 — sex categories, race/ethnicity categories and every
    intersection of the two — with the number of applicants, the number selected (or scoring
    above the median), the selection (or scoring) rate and the impact ratio, and reports the
    individuals in an unknown category apart. With ``selected=`` it is a selection-rate audit
    (a tool that selects candidates to move forward or classifies them); with ``score=`` a
    scoring-rate audit: the median score of the full sample (everyone with a score, unknown
    categories included) is computed, and a category's scoring rate is the share of its
    members scoring **strictly above** that median (a score equal to the median is not above
    it). Impact ratios divide each rate by the highest rate, from unrounded rates.

    Parameters
    ----------
    data : DataFrame
        One row per individual the tool assessed: pandas, polars (eager or lazy), pyarrow,
        DuckDB or any narwhals-supported frame (e.g. ``pandas.read_csv("applicants.csv")``).
        Never modified.
    sex, race : str
        The sex and the race/ethnicity columns. Labels are read onto the EEO-1 categories (see
        :func:`fairhire.impact.eeo.read_labels`): the official and DCWP spellings are
        recognised; missing values and labels such as "Decline to self-identify" are unknown.
        Race labels must already be EEO-1 categories, in which Hispanic or Latino applicants
        of any race are "Hispanic or Latino".
    selected : str, optional
        Boolean (or 0/1) column: True when the tool selected the individual to move forward.
    score : str, optional
        Numeric column with the tool's score. Exactly one of ``selected`` and ``score``.
    exclude_under : float, optional
        Exclude from the impact ratios the categories under this share of the individuals with
        a known value in that table (the DCWP rule allows 0.02). Excluded categories are still
        listed with their counts, rate and reason. Compared exactly (a category at exactly 2%
        is kept).
    category_map : dict, optional
        The data set's own labels mapped onto categories, e.g. ``{"Latinx": "Hispanic or
        Latino", "Non-binary": "Other", "Not stated": None}`` (None = unknown); or
        ``{"sex": {...}, "race": {...}}`` (keys may also be the two column names), e.g. for
        numeric codes ``{"sex": {1: "Male", 2: "Female"}, "race": {1: "White", 2: "Asian"}}``.
        Any label that is neither recognised nor mapped is an error that lists it.
    unknown_labels : sequence, optional
        Further labels meaning "unknown".
    exclusion_justification : str, optional
        The auditor's justification for excluding small categories, printed in the summary of
        results (a default explains the 2% rule when categories were excluded).
    missing_score : {"exclude", "raise"}
        Rows with a missing score are left out of the audit and counted (default), or raise.
    alpha : float, default 0.05
        Level at which the additional Fisher test is called significant in headlines.
    audit_date, auditor, employer, tool_name, tool_distribution_date, data_source, \
data_description, period, data_type, test_data_explanation
        Disclosure fields for the published summary of results (6 RCNY §5-303): the date of
        the audit, the source and explanation of the data, the period it covers, the tool and
        its distribution date. ``data_type="test"`` requires ``test_data_explanation`` (why
        historical data were not used and how the test data were made, §5-302(b)). Missing
        required fields give a warning and a headline, not an error, so a draft can be
        produced first. Dates are ``datetime.date`` or ISO strings.

    Returns
    -------
    LL144Audit

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Labels that are not EEO-1 categories (listed), a non-boolean ``selected`` column or
        one with missing values, a non-numeric score, or missing scores with
        ``missing_score="raise"``.
    InvalidParameterError
        Both or neither of ``selected`` and ``score``, or an invalid option.

    Examples
    --------
    The DCWP rule's selection-rate example for sex (Male 667 of 1,390 selected, Female 555 of
    1,181):

    >>> import pandas as pd
    >>> import fairhire as fh
    >>> rows = ([("Male", "White", True)] * 667 + [("Male", "White", False)] * 723
    ...         + [("Female", "Asian", True)] * 555 + [("Female", "Asian", False)] * 626)
    >>> df = pd.DataFrame(rows, columns=["sex", "race", "advanced"])
    >>> ll = fh.ll144_audit(df, sex="sex", race="race", selected="advanced",
    ...                     audit_date="2026-01-15", data_source="ATS export",
    ...                     tool_distribution_date="2025-03-01")
    >>> ll.sex[["category", "applicants", "selected", "selection_rate", "impact_ratio"]].round(3)
      category  applicants  selected  selection_rate  impact_ratio
    0     Male        1390       667            0.48         1.000
    1   Female        1181       555            0.47         0.979

    A scoring-rate audit on the synthetic funnel, with a synthetic score:

    >>> df = fh.datasets.make_hiring_funnel(3_000, random_state=0)
    >>> df["score"] = (df.index % 97).astype(float)
    >>> ll = fh.ll144_audit(df, sex="sex", race="race", score="score", exclude_under=0.02)
    >>> ll.median_score, ll.n_unknown
    (48.0, 180)
    """
    if (selected is None) == (score is None):
        raise InvalidParameterError(
            "give exactly one of selected= (a boolean column: the tool selected or advanced "
            "the individual) for a selection-rate audit, or score= (a numeric column) for a "
            "scoring-rate audit; got " + ("both." if selected is not None else "neither.")
        )
    if sex == race:
        raise InvalidParameterError(f"sex= and race= both name the column {sex!r}.")
    if missing_score not in ("exclude", "raise"):
        raise InvalidParameterError(
            f"missing_score={missing_score!r}; use 'exclude' (default) or 'raise'."
        )
    if data_type not in ("historical", "test"):
        raise InvalidParameterError(
            f"data_type={data_type!r}; use 'historical' (the tool's own use, §5-302(a)) or 'test'."
        )
    if not 0 < alpha < 1:
        raise InvalidParameterError(f"alpha={alpha!r} must lie in (0, 1); use e.g. 0.05.")
    cut = _fraction(exclude_under, "exclude_under") if exclude_under is not None else None
    metadata = {
        "audit_date": _iso_date(audit_date, "audit_date"),
        "auditor": _text(auditor, "auditor"),
        "employer": _text(employer, "employer"),
        "tool_name": _text(tool_name, "tool_name"),
        "tool_distribution_date": _iso_date(tool_distribution_date, "tool_distribution_date"),
        "data_source": _text(data_source, "data_source"),
        "data_description": _text(data_description, "data_description"),
        "period": _period(period),
        "data_type": data_type,
        "test_data_explanation": _text(test_data_explanation, "test_data_explanation"),
    }
    sex_map, race_map = split_category_map(category_map, sex_column=sex, race_column=race)
    if isinstance(unknown_labels, str):
        unknown_labels = [unknown_labels]

    frame = to_narwhals(data)
    outcome = selected if selected is not None else score
    if outcome in (sex, race):
        raise InvalidParameterError(
            f"{'selected' if selected is not None else 'score'}={outcome!r} is also the sex or "
            "race column."
        )
    require_columns(frame, sex=sex, race=race, selected=selected, score=score)
    check_group_values(frame, [sex, race])
    keys = [sex, race]
    warnings: list[str] = []
    n_missing = at_median = 0
    median: float | None = None
    if score is not None:
        counts, median, n_missing, at_median, n_total = _score_counts(
            frame, keys=keys, score=score, missing_score=missing_score
        )
    else:
        counts = _selection_counts(frame, keys=keys, selected=selected)
        n_total = int(counts["n"].sum())
    if n_total == 0:
        raise InsufficientDataError("the data have no rows: nothing to audit.")

    sex_reading = _read(counts, sex, "sex", sex_map, unknown_labels)
    race_reading = _read(counts, race, "race", race_map, unknown_labels)
    cells = pd.DataFrame(
        {
            "sex": [sex_reading.get(v) for v in counts[sex].tolist()],
            "race": [race_reading.get(v) for v in counts[race].tolist()],
            "n": counts["n"].to_numpy(),
            "k": counts["k"].to_numpy(),
        }
    )
    cells = cells.groupby(["sex", "race"], dropna=False, sort=False)[["n", "k"]].sum().reset_index()
    count_col = "selected" if selected is not None else "above_median"
    rate_col = "selection_rate" if selected is not None else "scoring_rate"
    sex_t, race_t, inter_t, unknown = _tables_from_cells(
        cells, count_col=count_col, rate_col=rate_col, exclude_under=cut, warnings=warnings
    )
    n_individuals = int(cells["n"].sum())
    for name, t in (("sex", sex_t), ("race/ethnicity", race_t)):
        if int((t["applicants"] > 0).sum()) < 2:
            warnings.append(
                f"fewer than two {name} categories have individuals: no {name} comparison is "
                "possible."
            )

    # Warnings, in the order a reader needs them.
    if n_missing:
        warnings.insert(
            0,
            f"{n_missing:,} rows with a missing score in {score!r} were left out of the audit "
            "(and of the median).",
        )
    if at_median:
        warnings.append(
            f"{at_median:,} individuals scored exactly the median ({median:g}); they count as "
            "not scoring above it."
        )
    both_unknown = int(cells.loc[cells["sex"].isna() & cells["race"].isna(), "n"].sum())
    n_unknown = int(unknown.loc[unknown["table"] == "intersectional", "applicants"].iloc[0])
    if n_unknown:
        warnings.append(
            f"{n_unknown:,} individuals have an unknown sex or race/ethnicity: they are reported "
            "separately and are in no impact ratio."
        )
    excluded_any = any(
        bool((t["excluded"] & (t["applicants"] > 0)).any()) for t in (sex_t, race_t, inter_t)
    )
    justification = _text(exclusion_justification, "exclusion_justification")
    if excluded_any and justification is None:
        justification = (
            f"Categories with fewer than {float(cut):.0%} of the individuals in a table are too "
            "small for a stable impact ratio: one or two selections would move it widely. As "
            "6 RCNY §5-301(d) allows, they are excluded from the impact-ratio calculations; "
            "their numbers of applicants and rates are reported."
        )
    if excluded_any:
        warnings.append(
            "categories under the exclusion threshold are listed with their counts and rates "
            "but excluded from the impact ratios."
        )
    missing_fields = [d for k, d in REQUIRED_DISCLOSURES.items() if not metadata.get(k)]
    if data_type == "test" and not metadata["test_data_explanation"]:
        missing_fields.append("why historical data were not used and how the test data were made")
    if missing_fields:
        warnings.append(
            "the published summary of results must also state: " + "; ".join(missing_fields) + "."
        )

    excluded_rows = {}
    if n_missing:
        excluded_rows["missing score"] = n_missing
    if both_unknown:
        excluded_rows["unknown sex and race/ethnicity"] = both_unknown
    rows = RowAccount(
        total=n_total, used=n_total - sum(excluded_rows.values()), excluded=excluded_rows
    )
    labels = pd.concat([sex_reading.table(), race_reading.table()], ignore_index=True)
    params = {
        "sex": sex, "race": race, "selected": selected, "score": score,
        "exclude_under": float(cut) if cut is not None else None,
        "category_map": jsonable(category_map) if category_map is not None else None,
        "unknown_labels": [str(v) for v in unknown_labels], "missing_score": missing_score,
        "alpha": alpha,
    }  # fmt: skip
    return LL144Audit(
        sex=sex_t,
        race=race_t,
        intersectional=inter_t,
        unknown=unknown,
        basis="selection" if selected is not None else "scoring",
        median_score=median,
        n_individuals=n_individuals,
        metadata=metadata,
        exclude_under=float(cut) if cut is not None else None,
        exclusion_justification=justification if excluded_any else None,
        label_mapping=labels,
        alpha=float(alpha),
        fingerprint=fingerprint_frame(counts.astype({sex: object, race: object})),
        warnings=tuple(dict.fromkeys(warnings)),
        rows=rows,
        params=params,
    )


def _read(counts: pd.DataFrame, column: str, kind: str, mapping: dict, unknown: Sequence[Any]):
    per_label = counts.groupby(column, dropna=False, sort=False)["n"].sum()
    return read_labels(
        per_label.index.tolist(),
        kind=kind,
        column=column,
        category_map=mapping,
        unknown_labels=unknown,
        counts=[int(v) for v in per_label.to_numpy()],
    )
