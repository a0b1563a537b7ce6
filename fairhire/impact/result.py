"""The result of an adverse-impact analysis."""

from __future__ import annotations

import math
from typing import ClassVar

import pandas as pd

from .._core.text import (
    format_count,
    format_number,
    format_p,
    format_ratio,
    p_text,
    threshold_line,
    threshold_rule,
)
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from .compare import BOTTOM_LINE, SUMMARY_COLUMNS

__all__ = ["AdverseImpactResult"]


@result_dataclass
class AdverseImpactResult(Result):
    """Adverse impact at every stage of a hiring funnel.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (stage, group): ``stage, basis, group, <group columns>, applicants,
        selected, selection_rate, reference_group, is_reference, too_small_for_reference,
        impact_ratio, adverse_impact, z, p_value_z, p_value_fisher, p_value_adjusted,
        significant, z_ir, p_value_z_ir, ci_low, ci_high, shortfall, shortfall_four_fifths,
        flips_with_one, small_sample, excluded``. ``adverse_impact`` is the exact four-fifths
        comparison; ``p_value_adjusted`` adjusts ``p_value_fisher`` over every comparison in
        the table and ``significant`` is it below ``alpha``; ``too_small_for_reference`` marks
        groups too small to be the default reference at that stage (they are still compared);
        ``shortfall`` is the number of extra selections the group needed to reach the
        reference rate (a float) and ``shortfall_four_fifths`` the smallest whole number that
        lifts it to four-fifths. Rows with stage ``"bottom line"`` compare everyone who applied
        with the final stage.
    strata : pandas.DataFrame or None
        With ``strata=``: per (stage, group), the Mantel–Haenszel odds ratio of the group
        against the reference and its CI, the CMH test with and without continuity
        correction, the Breslow–Day test with Tarone's correction, and ``reversal``.
    unknown : pandas.DataFrame
        Per stage, applicants and selections whose group was missing (never dropped silently).
    group_columns, stages : tuple of str
        The group columns and the stages in funnel order.
    threshold : float
        The impact-ratio threshold (0.8 = four-fifths).
    fingerprint : str
        SHA-256 of the aggregated counts the analysis used.
    """

    table: pd.DataFrame
    strata: pd.DataFrame | None
    unknown: pd.DataFrame
    group_columns: tuple[str, ...]
    stages: tuple[str, ...]
    threshold: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "adverse impact"
    #: ``flagged``: rows below the threshold by the exact four-fifths comparison (evidence of
    #: adverse impact under the four-fifths rule), whatever their p-value.
    flag_column: ClassVar[str] = "adverse_impact"
    count_columns: ClassVar[frozenset[str]] = frozenset({"applicants", "selected"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({"shortfall_four_fifths"})

    def _repr_headline(self) -> str:
        return (f"{len(self.table):,} comparisons, {len(self.flagged):,} below "
                f"{threshold_line(self.threshold)}")

    def to_frame(self) -> pd.DataFrame:
        """The per-(stage, group) table (a copy)."""
        return self.table.copy()

    @property
    def bottom_line(self) -> pd.DataFrame:
        """The applied → final-stage comparison (the last stage when there is only one)."""
        t = self.table
        final = BOTTOM_LINE if (t["stage"] == BOTTOM_LINE).any() else self.stages[-1]
        return t.loc[t["stage"] == final].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        """One sentence per comparison worth an auditor's attention, most serious first."""
        out: list[Headline] = []
        t = self.table
        for row in t.itertuples(index=False):
            if row.is_reference or row.excluded or math.isnan(row.impact_ratio):
                continue
            where = (
                "Over the whole process (bottom line)"
                if row.stage == BOTTOM_LINE
                else f"At the {row.stage} stage"
            )
            base = (
                f"{where}, {row.group} applicants were selected at "
                f"{format_ratio(row.impact_ratio, self.threshold)} times the rate of "
                f"{row.reference_group}"
            )
            stats = (
                f"{p_text(row.p_value_fisher, 'Fisher p', self.alpha)}, "
                f"{p_text(row.p_value_adjusted, 'adjusted p', self.alpha)}"
            )
            if row.adverse_impact:
                extra = []
                if row.shortfall >= 0.5:
                    word = "selection" if format_count(row.shortfall) == "1" else "selections"
                    extra.append(f"{format_count(row.shortfall)} fewer {word} than parity")
                if row.flips_with_one:
                    extra.append("one selection would change the result")
                if row.small_sample:
                    extra.append("small sample")
                tail = "; ".join([stats, *extra])
                severity = 3 if row.significant and not row.flips_with_one else 2
                text = f"{base} (below {threshold_line(self.threshold)}; {tail})."
                if severity == 3:
                    text = (text[:-1] + ": evidence of adverse impact under "
                            f"{threshold_rule(self.threshold)}.")
                out.append(
                    Headline(
                        severity=severity, text=text, figure=row.impact_ratio, section=self.kind
                    )
                )
            elif row.significant and row.impact_ratio < 1:
                out.append(
                    Headline(
                        severity=2,
                        text=f"{base} (above {threshold_line(self.threshold)}, but the "
                        "difference is statistically "
                        f"significant: {stats}).",
                        figure=row.impact_ratio,
                        section=self.kind,
                    )
                )
        if self.strata is not None:
            for row in self.strata.itertuples(index=False):
                if row.reversal:
                    out.append(
                        Headline(
                            severity=2,
                            text=f"At the {row.stage} stage, the aggregate comparison of "
                            f"{row.group} with {row.reference_group} reverses within strata "
                            f"(Mantel–Haenszel odds ratio {format_number(row.mh_odds_ratio)}): a "
                            "Simpson's "
                            "paradox to examine before drawing conclusions.",
                            figure=row.mh_odds_ratio,
                            section=self.kind,
                        )
                    )
        return by_severity(out)

    def summary(self) -> str:
        """A plain-text summary: settings, the comparison table, unknowns and warnings."""
        t = self.table
        lines = [
            f"Adverse impact by {' × '.join(self.group_columns)} — stages: "
            f"{', '.join(self.stages)}",
            f"Threshold {self.threshold:g} (impact ratio below it = evidence of adverse impact "
            f"under {threshold_rule(self.threshold)}); Fisher p adjusted ({self.params.get('adjust', '')}); "
            f"alpha {self.alpha:g}.",
        ]
        lines += self._rows_text()
        cols = ["stage", *SUMMARY_COLUMNS, "shortfall", "flips_with_one", "small_sample"]
        view = t[cols].copy()
        view["selection_rate"] = view["selection_rate"].map(lambda v: format_number(v, 3))
        view["impact_ratio"] = view["impact_ratio"].map(
            lambda v: "" if math.isnan(v) else format_ratio(v, self.threshold, 3)
        )
        for c in ("p_value_fisher", "p_value_adjusted"):
            view[c] = view[c].map(lambda v: "" if math.isnan(v) else format_p(v, self.alpha))
        view["shortfall"] = view["shortfall"].map(
            lambda v: "" if math.isnan(v) else format_number(v, 1)
        )
        lines.append(view.to_string(index=False))
        if int(self.unknown["applicants"].sum()):
            lines.append("Unknown group (counted, not compared):")
            lines.append(self.unknown.to_string(index=False))
        if self.strata is not None and len(self.strata):
            lines.append("Stratified (Mantel–Haenszel, focal vs reference):")
            s = self.strata[
                [
                    "stage",
                    "group",
                    "n_strata",
                    "mh_odds_ratio",
                    "mh_ci_low",
                    "mh_ci_high",
                    "cmh_p_value",
                    "breslow_day_p_value",
                    "reversal",
                ]
            ]
            lines.append(table_text(s))
        return self._summary_text(lines)
