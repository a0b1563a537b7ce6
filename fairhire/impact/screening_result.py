"""The result of a screening-model audit (see :func:`fairhire.audit_screening_model`)."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd

from .._core.text import (
    format_count,
    format_number,
    format_percent,
    format_ratio,
    p_text,
    threshold_line,
    threshold_rule,
)
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from .compare import SUMMARY_COLUMNS

__all__ = ["ScreeningModelAudit"]

#: Why an error rate can be NaN, in the result's warnings and the docs.
ZERO_DENOMINATOR = (
    "an error rate whose denominator is zero is NaN (undefined), for example the true-positive "
    "rate of a group with no qualified candidates; fairlearn's MetricFrame (scikit-learn's "
    "zero_division default) reports 0 there instead"
)


@result_dataclass
class ScreeningModelAudit(Result):
    """Adverse impact of a screening model's selections, and its error rates by group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (feature, group): ``feature`` (a sensitive feature, or features joined by
        " × " for their intersection) and the adverse-impact engine's columns: ``group,
        applicants, selected, selection_rate, reference_group, is_reference, impact_ratio,
        adverse_impact, z, p_value_z, p_value_fisher, p_value_adjusted, significant, z_ir,
        p_value_z_ir, ci_low, ci_high, shortfall, shortfall_four_fifths, flips_with_one,
        small_sample, excluded`` (p-values adjusted within each feature).
    error_rates : pandas.DataFrame or None
        With ``y_true``: per (feature, group), from the confusion counts of one group-by:
        ``applicants, qualified`` (y_true positive), ``true_positives, false_positives,
        false_negatives, true_negatives``, ``selection_rate, true_positive_rate,
        false_positive_rate, false_negative_rate, positive_predictive_value`` and ``auc``
        (scores only), plus ``tpr_difference`` and ``fpr_difference`` (the group's rate minus
        the best rate: highest TPR, lowest FPR). A rate whose denominator is zero is NaN
        (fairlearn's ``MetricFrame`` gives 0; the tests check the two agree elsewhere).
    fairness : pandas.DataFrame or None
        With ``y_true``: per feature, ``demographic_parity_ratio`` (lowest over highest
        selection rate), ``demographic_parity_difference``, ``equal_opportunity_difference``
        (TPR range) and ``equalized_odds_difference`` (the larger of the TPR and FPR ranges).
    unknown : pandas.DataFrame
        Per feature, individuals whose sensitive value was missing: ``feature, applicants,
        selected``.
    features : tuple of str
        The features compared (each column, then their intersection).
    threshold : float or None
        The score threshold (one for everyone), when scores were given (the
        ``score_threshold=`` argument; also readable as ``score_threshold``).
    fingerprint : str
        SHA-256 of the confusion counts the audit used.
    """

    table: pd.DataFrame
    error_rates: pd.DataFrame | None
    fairness: pd.DataFrame | None
    unknown: pd.DataFrame
    features: tuple[str, ...]
    threshold: float | None = None
    ratio_threshold: float = 0.8
    alpha: float = 0.05
    n: int = 0
    fingerprint: str = ""

    kind: ClassVar[str] = "screening model audit"
    #: ``flagged``: groups selected at less than four-fifths of the reference group's rate.
    flag_column: ClassVar[str] = "adverse_impact"
    #: ``applicants`` and ``selected`` count people as in every adverse-impact table: without
    #: them the JSON output printed a group of 3 and its 2 selected that the tables withhold
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "applicants",
        "selected",
        "false_negatives",
        "false_positives",
        "qualified",
        "true_negatives",
        "true_positives",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "auc",
        "false_negative_rate",
        "false_positive_rate",
        "fpr_difference",
        "positive_predictive_value",
        "tpr_difference",
        "true_positive_rate",
    })

    def _repr_headline(self) -> str:
        return (
            f"{self.n:,} individuals, {len(self.features)} features, "
            f"{len(self.flagged)} groups below {threshold_line(self.ratio_threshold)}"
        )

    def _line_note(self) -> str:
        return " (four-fifths)" if threshold_line(self.ratio_threshold) == "four-fifths" else ""

    @property
    def score_threshold(self) -> float | None:
        """The score threshold (``score_threshold=``), or None for predictions."""
        return self.threshold

    def to_frame(self) -> pd.DataFrame:
        """The selection table, joined with the error rates when outcomes were given."""
        if self.error_rates is None:
            return self.table.copy()
        extra = self.error_rates.drop(columns=["applicants", "selection_rate"])
        return self.table.merge(extra, on=["feature", "group"], how="left")

    def headlines(self) -> list[Headline]:
        """Per feature: the lowest impact ratio; with outcomes, the widest TPR gap."""
        out: list[Headline] = []
        line = threshold_line(self.ratio_threshold)
        for feature in self.features:
            t = self.table.loc[self.table["feature"] == feature]
            cand = t.loc[~t["is_reference"] & ~t["excluded"] & t["impact_ratio"].notna()]
            if cand.empty:
                continue
            row = cand.loc[cand["impact_ratio"].idxmin()]
            ref_rate = t.loc[t["is_reference"], "selection_rate"].iloc[0]
            base = (
                f"By {feature}, the model selects {row.group} at "
                f"{format_ratio(row.impact_ratio, self.ratio_threshold)} times the rate of "
                f"{row.reference_group} ({format_percent(row.selection_rate)} against "
                f"{format_percent(ref_rate)})"
            )
            p = p_text(row.p_value_adjusted, alpha=self.alpha)
            if row.adverse_impact:
                severity = 3 if row.significant and not row.flips_with_one else 2
                text = f"{base}; below {line}, Fisher p adjusted {p}"
                text += (
                    f": evidence of adverse impact under {threshold_rule(self.ratio_threshold)}."
                    if severity == 3
                    else "."
                )
            elif row.significant:
                severity, text = 2, f"{base}; above {line} but significant ({p})."
            else:
                severity, text = 1, f"{base}; no group below {line}."
            out.append(
                Headline(
                    severity=severity, text=text, figure=float(row.impact_ratio), section=feature
                )
            )
        if self.fairness is not None:
            for r in self.fairness.itertuples(index=False):
                er = self.error_rates.loc[self.error_rates["feature"] == r.feature]
                tpr = er.dropna(subset=["true_positive_rate"])
                if len(tpr) < 2:
                    continue
                lo = tpr.loc[tpr["true_positive_rate"].idxmin()]
                hi = tpr.loc[tpr["true_positive_rate"].idxmax()]
                out.append(
                    Headline(
                        severity=1,
                        text=f"By {r.feature}, qualified candidates (y_true positive) are selected at "
                        f"{format_percent(lo.true_positive_rate)} for {lo.group} and "
                        f"{format_percent(hi.true_positive_rate)} for {hi.group} "
                        "(true-positive-rate gap "
                        f"{format_percent(r.equal_opportunity_difference)}; equalized-odds "
                        f"difference {format_percent(r.equalized_odds_difference)}).",
                        figure=float(r.equal_opportunity_difference),
                        section=r.feature,
                    )
                )
        return by_severity(out)

    def summary(self) -> str:
        """A plain-text summary: selection rates and ratios by feature, then error rates."""
        how = (
            f"scores at or above {format_number(self.threshold, 3)} (one threshold for everyone)"
            if self.threshold is not None
            else "the model's positive predictions"
        )
        lines = [
            f"Screening model audit: {format_count(self.n)} individuals; selected = {how}.",
            f"Impact ratio below {self.ratio_threshold:g}{self._line_note()} = evidence of "
            f"adverse impact under {threshold_rule(self.ratio_threshold)}; Fisher p adjusted "
            "within each feature.",
        ]
        lines += self._rows_text()
        for feature in self.features:
            t = self.table.loc[self.table["feature"] == feature, SUMMARY_COLUMNS]
            lines.append(f"\nBy {feature}:")
            lines.append(table_text(t))
        if self.error_rates is not None:
            lines.append(
                "\nError rates by group (from the confusion counts; NaN: zero denominator):"
            )
            cols = [
                "feature",
                "group",
                "applicants",
                "qualified",
                "true_positive_rate",
                "false_positive_rate",
                "auc",
            ]
            lines.append(
                self.error_rates[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")
            )
            lines.append(self.fairness.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if int(self.unknown["applicants"].sum()):
            lines.append("Unknown sensitive value (counted, not compared):")
            lines.append(self.unknown.to_string(index=False))
        return self._summary_text(lines)
