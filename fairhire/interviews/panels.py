"""Interview panel composition, and candidates' pass rates on diverse and non-diverse panels.

Flow: group-bys in the caller's engine (interview × panelist group seats; interview ×
candidate group × outcome) give one small row per interview; composition is counted from
those, and the pass-rate comparison reuses the adverse-impact engine
(:func:`fairhire.adverse_impact_from_counts`) with the panel type as a stage (impact ratios on
each kind of panel) and as a stratum (Mantel–Haenszel odds ratio and the Breslow–Day test of
whether the gap between candidate groups differs between diverse and non-diverse panels).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from typing import Any, ClassVar

import pandas as pd

from .._core.labels import as_labels
from .._core.params import check_alpha, check_int
from .._core.reference_rows import explains_reference
from .._core.text import format_ratio, p_text
from .._frames import (
    Frame,
    combine_fingerprints,
    fingerprint_frame,
    require_columns,
    to_narwhals,
)
from .._results import Headline, Result, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError
from ._panels_steps import (
    DIVERSE,
    MISSING,
    NOT_DIVERSE,
    Comparison,
    compare,
    composition_table,
    diversity_counts,
    panel_rows,
    panel_warnings,
    read_seats,
    reject_repeated_panelists,
    size_table,
)

__all__ = ["DIVERSE", "NOT_DIVERSE", "InterviewPanelsResult", "interview_panels"]


@result_dataclass
class InterviewPanelsResult(Result):
    """Composition of interview panels and, optionally, pass rates by panel diversity.

    Attributes
    ----------
    panels : pandas.DataFrame
        One row per interview: ``interview, panel_size, n_groups`` (distinct known panelist
        groups), ``groups`` (them, joined with " + "), ``unknown_members`` (panelists whose
        group is missing), ``has_<group>`` (is any member of that group present),
        ``diverse`` (True / False / missing when unknown members leave it undecided),
        ``single_member``, and with ``candidate_group``/``outcome`` the candidate's group and
        outcome.
    composition : pandas.DataFrame
        One row per panelist group: ``group, seats, share_of_seats, interviews_with_group,
        share_of_interviews`` (share of interviews whose panel includes the group). A
        ``"(missing)"`` row counts seats of panelists with no recorded group.
    sizes : pandas.DataFrame
        By panel size: ``panel_size, interviews, diverse, not_diverse, unknown,
        share_diverse``.
    comparison : pandas.DataFrame or None
        Per candidate group, pass rates on diverse vs non-diverse panels: ``group,
        candidates_diverse, passed_diverse, pass_rate_diverse, candidates_not_diverse,
        passed_not_diverse, pass_rate_not_diverse, difference`` (diverse − not diverse),
        ``z, p_value_z, p_value_fisher, p_value_adjusted`` (Holm over groups),
        ``small_sample``.
    by_panel : AdverseImpactResult or None
        The adverse-impact engine with the panel type as the stage: each candidate group's
        pass rate, impact ratio and tests on diverse and on non-diverse panels.
    stratified : AdverseImpactResult or None
        The engine with the panel type as stratum: ``stratified.strata`` holds the
        Mantel–Haenszel odds ratio per group and the Breslow–Day test of whether the odds
        ratio differs between diverse and non-diverse panels.
    n_interviews, n_diverse, n_not_diverse, n_unknown, n_single_member : int
    share_diverse : float
        Diverse panels among interviews whose diversity is known.
    interview_exclusions : mapping
        Interviews left out of the pass-rate comparison, by reason.
    """

    panels: pd.DataFrame
    composition: pd.DataFrame
    sizes: pd.DataFrame
    comparison: pd.DataFrame | None
    by_panel: Any
    stratified: Any
    n_interviews: int
    n_diverse: int
    n_not_diverse: int
    n_unknown: int
    n_single_member: int
    share_diverse: float
    min_groups: int
    panelist_groups: tuple[str, ...]
    interview_column: str
    panelist_group_column: str
    candidate_group_column: str | None
    outcome_column: str | None
    alpha: float
    fingerprint: str
    interview_exclusions: Mapping[str, int] = field(default_factory=dict)

    kind: ClassVar[str] = "interview panels"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "candidates_diverse", "candidates_not_diverse", "diverse", "interviews",
        "interviews_with_group", "not_diverse", "passed_diverse", "passed_not_diverse", "seats",
        "unknown",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "difference", "pass_rate_diverse", "pass_rate_not_diverse", "share_diverse",
        "share_of_interviews", "share_of_seats", "z",
    })
    #: a panel's size names its row of ``sizes``: shown beside withheld counts
    label_columns: ClassVar[frozenset[str]] = frozenset({"panel_size"})

    #: ``panels`` holds one row per interview with the candidate's group and outcome: data
    #: about individuals that reports leave out (its row count is kept instead).
    private_fields: ClassVar[Mapping[str, str | None]] = {"panels": "panels_summary"}

    @property
    def table(self) -> pd.DataFrame:
        """The main table: panel composition, one row per panelist group."""
        return self.composition

    @property
    def panels_summary(self) -> dict[str, Any]:
        """What reports may show of the per-interview rows: how many there are, and how many
        panels have a member whose group is missing."""
        return {
            "rows": len(self.panels),
            "with_unknown_member": int((self.panels["unknown_members"] > 0).sum()),
            "omitted": "per-interview rows; see .panels",
        }

    @property
    def flagged(self) -> pd.DataFrame:
        """Panelist groups that sit on fewer than half of the panels."""
        t = self.composition
        return t.loc[(t["group"] != MISSING) & (t["share_of_interviews"] < 0.5)].reset_index(
            drop=True)

    def _repr_headline(self) -> str:
        return f"{self.n_interviews} interviews, {self.share_diverse:.0%} diverse"

    def headlines(self) -> list[Headline]:
        out = [*self._composition_headlines(), *self._impact_headlines(),
               *self._gap_headlines()]
        return by_severity(out)

    def _composition_headlines(self) -> list[Headline]:
        out: list[Headline] = []
        known = self.n_diverse + self.n_not_diverse
        if known:
            out.append(Headline(
                severity=1,
                text=f"{self.share_diverse:.0%} of interviews ({self.n_diverse:,} of {known:,} "
                f"with a known composition) had a diverse panel (members from at least "
                f"{self.min_groups} {self.panelist_group_column} groups).",
                figure=self.share_diverse, section=self.kind,
            ))
        if self.n_single_member:
            out.append(Headline(
                severity=1,
                text=f"{self.n_single_member:,} interviews were conducted by a single panelist "
                "(counted as not diverse).",
                figure=float(self.n_single_member), section=self.kind,
            ))
        for row in self.composition.itertuples(index=False):
            if row.group != MISSING and row.share_of_interviews < 0.5:
                out.append(Headline(
                    severity=2,
                    text=f"{row.group} panelists sat on only {row.share_of_interviews:.0%} of "
                    "interview panels.",
                    figure=float(row.share_of_interviews), section=self.kind,
                ))
        return out

    def _impact_headlines(self) -> list[Headline]:
        """Impact ratios of candidate groups on each kind of panel."""
        out: list[Headline] = []
        if self.by_panel is None:
            return out
        for row in self.by_panel.table.itertuples(index=False):
            if row.is_reference or row.excluded:
                continue
            ratio = format_ratio(row.impact_ratio)
            if not row.adverse_impact:
                if row.significant and row.impact_ratio < 1:
                    out.append(Headline(
                        severity=2,
                        text=f"{_on_panels(row.stage)}, {row.group} candidates passed at {ratio} "
                        f"times the rate of {row.reference_group} candidates: above "
                        "four-fifths, but the difference is statistically significant (Fisher "
                        f"{p_text(row.p_value_fisher)}, adjusted {p_text(row.p_value_adjusted)}).",
                        figure=float(row.impact_ratio), section=self.kind,
                    ))
                continue
            sev = 3 if row.significant and not row.flips_with_one else 2
            text = (
                f"{_on_panels(row.stage)}, {row.group} candidates passed at {ratio} times the "
                f"rate of {row.reference_group} candidates (below four-fifths; Fisher "
                f"{p_text(row.p_value_fisher)})"
            )
            text += ": evidence of adverse impact under the four-fifths rule." if sev == 3 else "."
            out.append(Headline(severity=sev, text=text, figure=float(row.impact_ratio),
                                section=self.kind))
        return out

    def _gap_headlines(self) -> list[Headline]:
        """Gaps that differ by panel type, and pass rates that differ between panel types."""
        tests: list[tuple[pd.DataFrame, str, Callable[[Any, float], tuple[str, float]]]] = []
        if self.stratified is not None and self.stratified.strata is not None:
            tests.append((self.stratified.strata, "breslow_day_p_value", _gap_differs))
        if self.comparison is not None:
            tests.append((self.comparison, "p_value_adjusted", _pass_rates_differ))
        out: list[Headline] = []
        for table, p_column, sentence in tests:
            for row in table.itertuples(index=False):
                p = getattr(row, p_column)
                if p is not None and not math.isnan(p) and p < self.alpha:
                    text, figure = sentence(row, p)
                    out.append(Headline(severity=2, text=text, figure=figure, section=self.kind))
        return out

    def summary(self) -> str:
        known = self.n_diverse + self.n_not_diverse
        lines = [
            f"Interview panels — {self.n_interviews:,} interviews ({self.interview_column!r}), "
            f"panelist groups from {self.panelist_group_column!r}.",
            f"Diverse panels (>= {self.min_groups} groups): {self.n_diverse:,} of {known:,} with "
            f"known composition ({self.share_diverse:.1%}); unknown: {self.n_unknown:,}; "
            f"single-member panels: {self.n_single_member:,}.",
        ]
        lines.extend(self._rows_text())
        lines.append(self.composition.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        lines.append(self.sizes.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if self.comparison is not None:
            lines.append("Pass rates by candidate group, diverse vs non-diverse panels:")
            lines.append(table_text(self.comparison))
        if self.stratified is not None and self.stratified.strata is not None:
            s = self.stratified.strata[["group", "reference_group", "mh_odds_ratio",
                                        "breslow_day_statistic", "breslow_day_p_value"]]
            lines.append("Gap homogeneity across panel types (Breslow–Day):")
            lines.append(table_text(s))
        return self._summary_text(lines)


def _gap_differs(row: Any, p: float) -> tuple[str, float]:
    """The headline (text, figure) of a gap that differs between panel types (Breslow–Day)."""
    return (
        f"The gap between {row.group} and {row.reference_group} candidates differs between "
        f"diverse and non-diverse panels (Breslow–Day {p_text(p)}).",
        float(p),
    )


def _pass_rates_differ(row: Any, p: float) -> tuple[str, float]:
    """The headline (text, figure) of a pass rate that differs between panel types."""
    return (
        f"{row.group} candidates passed {row.pass_rate_diverse:.0%} of interviews with "
        f"diverse panels and {row.pass_rate_not_diverse:.0%} with non-diverse panels (a gap "
        f"of {row.difference * 100:+.0f} percentage points; adjusted {p_text(p)}).",
        float(row.difference),
    )


@explains_reference("candidate_group")
def interview_panels(
    data: Any,
    *,
    interview: str,
    panelist_group: str,
    candidate_group: str | None = None,
    outcome: str | None = None,
    panelist: str | None = None,
    min_groups: int = 2,
    reference: object | None = None,
    alpha: float = 0.05,
    unknown_labels: Sequence[object] = (),
) -> InterviewPanelsResult:
    """Panel composition and candidates' pass rates on diverse and non-diverse panels.

    A panel is **diverse** when its members come from at least ``min_groups`` distinct
    ``panelist_group`` values. Panelists with a missing group are counted; a panel whose
    status depends on them (e.g. two men and one unknown) has an unknown diversity and is
    left out of the comparison, counted. A one-person panel is never diverse (flagged
    ``single_member``).

    With ``candidate_group`` and ``outcome``, candidates' pass rates are compared between
    diverse and non-diverse panels, per candidate group (two-proportion Z and Fisher tests,
    Holm-adjusted), and with the adverse-impact engine: impact ratios on each kind of panel
    (``by_panel``) and the Mantel–Haenszel / Breslow–Day analysis with panel type as
    stratum (``stratified``): does the gap between candidate groups differ by panel type?

    Parameters
    ----------
    data : DataFrame
        One row per (interview, panelist); pandas, polars, pyarrow, DuckDB... (never
        modified). Aggregated in the caller's engine.
    interview : str
        Interview identifier column (one candidate per interview).
    panelist_group : str
        The panelist's group (e.g. ``"panelist_sex"``).
    candidate_group, outcome : str, optional
        The candidate's group and the interview's pass/fail outcome (boolean or 0/1); both
        must be constant within an interview.
    unknown_labels : str or list, optional
        Group labels that mean "unknown" ("Prefer not to say"), as in
        :func:`fairhire.adverse_impact`; read in both group columns.
    panelist : str, optional
        Panelist identifier; when given, a panelist listed twice on one panel is an error.
    min_groups : int
        Distinct panelist groups that make a panel diverse (default 2). It counts *groups on
        a panel*, unlike the ``min_n`` of other analyses (people in a group).
    reference : optional
        Reference candidate group for impact ratios (default: the highest pass rate among
        candidate groups large enough to be a reference, by the shared core's rule).
    alpha : float
        Significance level for the headlines.

    Returns
    -------
    InterviewPanelsResult

    Examples
    --------
    >>> import fairhire as fh
    >>> data = fh.datasets.make_interviews(random_state=0)
    >>> pan = fh.interview_panels(data.panels, interview="interview_id",
    ...                           panelist_group="panelist_sex")
    >>> 0 < pan.share_diverse < 1, pan.n_single_member > 0
    (True, True)
    >>> pan = fh.interview_panels(data.panels, interview="interview_id",
    ...     panelist_group="panelist_sex", candidate_group="candidate_sex", outcome="advanced")
    >>> pan.comparison.columns[:3].tolist()
    ['group', 'candidates_diverse', 'passed_diverse']
    """
    frame = _check(data, min_groups, alpha, interview=interview, panelist_group=panelist_group,
                   candidate_group=candidate_group, outcome=outcome, panelist=panelist)
    unknown_labels = as_labels(unknown_labels)
    seats = read_seats(frame, interview, panelist_group, unknown_labels)
    if panelist is not None:
        reject_repeated_panelists(frame, interview, panelist)
    panels, groups = panel_rows(seats.table, min_groups)
    warnings = [*seats.warnings,
                *panel_warnings(panels, groups, min_groups, panelist_group)]
    counts = diversity_counts(panels)
    comparison = Comparison(None, None, None, {})
    if candidate_group is not None and outcome is not None:
        comparison = compare(frame, panels, interview=interview,
                             candidate_group=candidate_group, outcome=outcome,
                             reference=reference, alpha=alpha, warnings=warnings,
                             unknown_labels=unknown_labels)
    params = {
        "interview": interview, "panelist_group": panelist_group,
        "candidate_group": candidate_group, "outcome": outcome, "panelist": panelist,
        "min_groups": int(min_groups), "reference": reference, "alpha": alpha,
        "unknown_labels": list(unknown_labels),
    }
    return InterviewPanelsResult(
        panels=panels, composition=composition_table(seats.table, panels, groups),
        sizes=size_table(panels), comparison=comparison.table, by_panel=comparison.by_panel,
        stratified=comparison.stratified, n_interviews=counts.interviews,
        n_diverse=counts.diverse, n_not_diverse=counts.not_diverse, n_unknown=counts.unknown,
        n_single_member=int(panels["single_member"].sum()),
        share_diverse=counts.share_diverse, min_groups=int(min_groups),
        panelist_groups=tuple(groups), interview_column=interview,
        panelist_group_column=panelist_group, candidate_group_column=candidate_group,
        outcome_column=outcome, alpha=alpha,
        fingerprint=_fingerprint(seats.table, comparison),
        interview_exclusions=comparison.exclusions, warnings=tuple(warnings), rows=seats.rows,
        params=params,
    )


def _fingerprint(seats: pd.DataFrame, comparison: Comparison) -> str:
    """The panels' seats and, when pass rates were compared, the counts they came from."""
    panels = fingerprint_frame(seats[["interview", "pgroup", "n"]])
    if comparison.by_panel is None:
        return panels
    return combine_fingerprints(panels, comparison.by_panel.fingerprint)


def _check(data: Any, min_groups: int, alpha: float, **columns: str | None) -> Frame:
    """Check every option once, at the boundary; return the data as a narwhals frame."""
    check_int(min_groups, "min_groups", low=2)
    check_alpha(alpha)
    if columns["outcome"] is not None and columns["candidate_group"] is None:
        raise InvalidParameterError(
            "outcome= needs candidate_group= too: pass rates are compared by candidate group."
        )
    frame = to_narwhals(data)
    require_columns(frame, **columns)
    named = [c for c in columns.values() if c]
    if len(set(named)) != len(named):
        raise InvalidParameterError(
            f"interview=, panelist_group=, candidate_group=, outcome= and panelist= must name "
            f"different columns; got {named!r}."
        )
    return frame


def _on_panels(stage: str) -> str:
    """Where a headline's comparison was made: "On diverse panels", "On panels that are not
    diverse" (never "On not diverse panels")."""
    return f"On {stage} panels" if stage == DIVERSE else f"On panels that are {stage}"
