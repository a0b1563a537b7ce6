"""The result of an NYC Local Law 144 bias audit: its tables and its summary of results."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field
from typing import Any, ClassVar

import pandas as pd

from .._core.text import format_count, format_counted, format_percent, format_ratio, p_text
from .._results import Headline, Result, by_severity, jsonable, result_dataclass
from ..errors import InvalidParameterError
from .ll144_disclosures import disclosure_rows, missing_disclosures

__all__ = ["LL144Audit"]


@result_dataclass
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
        ``is_highest``, ``too_small_for_reference`` (a category with fewer than ``min_n``
        individuals or under 2% of the table, which cannot be the highest-rate category the
        others are divided by; it is still listed and compared), ``share`` (of the individuals
        with a known value in this table), ``excluded`` and ``exclusion_reason``. Additional
        information, not required by the law: ``below_four_fifths`` (the exact four-fifths
        comparison with the highest category), ``p_value_fisher`` (Fisher's exact test against
        it, two-sided) and ``p_value_adjusted`` (Holm over the comparisons of the table).
    table : pandas.DataFrame
        The three tables stacked, with a ``table`` column first (``sex``, ``race/ethnicity``,
        ``intersectional``). ``flagged`` holds its rows below four-fifths (additional
        information: Local Law 144 sets no threshold).
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
        Share under which categories were excluded from the ratios (the ``min_share=``
        argument; also readable as ``min_share``).
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
    flag_column: ClassVar[str] = "below_four_fifths"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "above_median",
        "applicants",
        "selected",
    })
    # a category's note and exclusion reason are read off its counts ("rate above the
    # highest, but too few ...", "no individuals", "0.2% of the individuals")
    derived_columns: ClassVar[frozenset[str]] = frozenset({"note", "exclusion_reason"})

    def _repr_headline(self) -> str:
        return (
            f"{self.basis}-rate audit of {self.n_individuals:,} individuals, "
            f"{self.n_unknown:,} unknown, {len(self.excluded_categories)} categories excluded"
        )

    @property
    def table(self) -> pd.DataFrame:
        """The three tables stacked, with a ``table`` column first."""
        parts = [t.assign(table=name) for name, t in self.tables.items()]
        out = pd.concat(parts, ignore_index=True)
        return out[["table", *[c for c in out.columns if c != "table"]]]

    @property
    def min_share(self) -> float | None:
        """The ``min_share=`` the audit ran with (categories under it were excluded)."""
        return self.exclude_under

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
    def ethnicity(self) -> str | None:
        """The column of a separate Hispanic or Latino question (``ethnicity=``), or None."""
        return self.params.get("ethnicity")

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
            parts.append(
                rows.assign(table=name)[
                    [
                        "table",
                        "category",
                        "applicants",
                        self.count_column,
                        self.rate_column,
                        "share",
                        "exclusion_reason",
                    ]
                ]
            )
        return pd.concat(parts, ignore_index=True)

    @property
    def missing_disclosures(self) -> list[str]:
        """Required fields of the summary of results that were not supplied."""
        return missing_disclosures(self.metadata)

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
        notes = [_note(r) for r in t.itertuples(index=False)]
        out = t[["category", "applicants", self.count_column, self.rate_column, "impact_ratio"]]
        return out.assign(note=notes)

    def disclosures(self) -> pd.DataFrame:
        """The audit's disclosure fields as (``field``, ``value``) rows for the summary.

        Required fields that were not supplied read "not provided (required)".
        """
        return disclosure_rows(self.metadata, self.basis, self.median_score)

    def additional_information(self) -> pd.DataFrame:
        """The four-fifths comparison and Fisher's test for each compared category.

        Not required by Local Law 144, which sets no threshold; shown as extra information.
        Columns: ``table, category, impact_ratio, below_four_fifths, p_value_fisher,
        p_value_adjusted`` (Holm over the comparisons of each table).
        """
        parts = []
        for name, t in self.tables.items():
            rows = t.loc[~t["excluded"] & ~t["is_highest"] & t["impact_ratio"].notna()]
            columns = [
                "table",
                "category",
                "impact_ratio",
                "below_four_fifths",
                "p_value_fisher",
                "p_value_adjusted",
            ]
            parts.append(rows.assign(table=name)[columns])
        return pd.concat(parts, ignore_index=True)

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
            top_rate = t.loc[t["is_highest"], self.rate_column].iloc[0]
            base = (
                f"{name.capitalize()} categories: the lowest impact ratio is "
                f"{format_ratio(row.impact_ratio)}, for {row.category} "
                f"({format_counted(row.applicants, 'applicant', 'applicants')}, {self.rate_name} "
                f"{format_percent(row[self.rate_column])} against "
                f"{format_percent(top_rate)} for {top_label})"
            )
            if row.below_four_fifths:
                significant = row.p_value_adjusted < self.alpha
                tail = (
                    f"below four-fifths — shown as additional information, LL144 sets no "
                    f"threshold; {p_text(row.p_value_fisher, 'Fisher p', self.alpha)}, "
                    f"{p_text(row.p_value_adjusted, 'Holm-adjusted p', self.alpha)}"
                )
                text = f"{base}; {tail}"
                text += (
                    ": evidence of adverse impact under the four-fifths rule."
                    if significant
                    else "."
                )
                out.append(
                    Headline(
                        severity=3 if significant else 2,
                        text=text,
                        figure=float(row.impact_ratio),
                        section=name,
                    )
                )
            else:
                out.append(
                    Headline(
                        severity=1,
                        text=base + "; no category is below four-fifths.",
                        figure=float(row.impact_ratio),
                        section=name,
                    )
                )
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
                    text=f"{self.n_unknown:,} individuals ({format_percent(share)}) have an unknown sex or "
                    "race/ethnicity; they are reported separately and are in no impact ratio.",
                    figure=float(self.n_unknown),
                    section="unknown",
                )
            )
        return by_severity(out)

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
                    "applicants": t["applicants"].map(format_count),
                    self.count_column: t[self.count_column].map(format_count),
                    self.rate_column: t[self.rate_column].map(format_percent),
                    "impact_ratio": t["impact_ratio"].map(lambda v: format_ratio(v, digits=3)),
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
        return self._summary_text(lines)


def _note(row: Any) -> str:
    if row.excluded:
        return f"excluded: {row.exclusion_reason}"
    if row.is_highest:
        return "highest rate"
    if row.too_small_for_reference and row.impact_ratio > 1:
        return "rate above the highest, but too few individuals to be the highest-rate category"
    return ""
