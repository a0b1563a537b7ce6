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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.flags import read_flag
from .._core.labels import clean_labels
from .._core.missing import is_missing
from .._core.params import check_alpha, check_int
from .._core.text import format_ratio, p_text
from .._frames import fingerprint_frame, group_counts, require_columns, to_narwhals
from .._results import Headline, Result, RowAccount
from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview
from ..stats.proportions import adjust_pvalues, fisher_exact_test, two_proportion_z

__all__ = ["DIVERSE", "NOT_DIVERSE", "InterviewPanelsResult", "interview_panels"]

DIVERSE, NOT_DIVERSE = "diverse", "not diverse"


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
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
        "candidates_diverse",
        "candidates_not_diverse",
        "diverse",
        "interviews",
        "interviews_with_group",
        "not_diverse",
        "passed_diverse",
        "passed_not_diverse",
        "seats",
        "unknown",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "difference",
        "pass_rate_diverse",
        "pass_rate_not_diverse",
        "share_diverse",
        "share_of_interviews",
        "share_of_seats",
        "z",
    })

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
        return t.loc[(t["group"] != "(missing)") & (t["share_of_interviews"] < 0.5)].reset_index(
            drop=True)

    def _repr_headline(self) -> str:
        return f"{self.n_interviews} interviews, {self.share_diverse:.0%} diverse"

    def headlines(self) -> list[Headline]:
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
            if row.group == "(missing)":
                continue
            if row.share_of_interviews < 0.5:
                out.append(Headline(
                    severity=2,
                    text=f"{row.group} panelists sat on only {row.share_of_interviews:.0%} of "
                    "interview panels.",
                    figure=float(row.share_of_interviews), section=self.kind,
                ))
        if self.by_panel is not None:
            t = self.by_panel.table
            for row in t.itertuples(index=False):
                if row.is_reference or row.excluded:
                    continue
                if not row.adverse_impact:
                    if row.significant and row.impact_ratio < 1:
                        out.append(Headline(
                            severity=2,
                            text=f"On {row.stage} panels, {row.group} candidates passed at "
                            f"{format_ratio(row.impact_ratio)} times the rate of {row.reference_group} "
                            "candidates: above four-fifths, but the difference is statistically "
                            f"significant (Fisher {p_text(row.p_value_fisher)}, adjusted "
                            f"{p_text(row.p_value_adjusted)}).",
                            figure=float(row.impact_ratio), section=self.kind,
                        ))
                    continue
                sev = 3 if row.significant and not row.flips_with_one else 2
                text = (
                    f"On {row.stage} panels, {row.group} candidates passed at "
                    f"{format_ratio(row.impact_ratio)} times the rate of {row.reference_group} candidates "
                    f"(below four-fifths; Fisher {p_text(row.p_value_fisher)})"
                )
                text += (
                    ": evidence of adverse impact under the four-fifths rule."
                    if sev == 3 else "."
                )
                out.append(Headline(severity=sev, text=text, figure=float(row.impact_ratio),
                                    section=self.kind))
        if self.stratified is not None and self.stratified.strata is not None:
            for row in self.stratified.strata.itertuples(index=False):
                p = row.breslow_day_p_value
                if p is not None and not math.isnan(p) and p < self.alpha:
                    out.append(Headline(
                        severity=2,
                        text=f"The gap between {row.group} and {row.reference_group} candidates "
                        f"differs between diverse and non-diverse panels (Breslow–Day "
                        f"{p_text(p)}).",
                        figure=float(p), section=self.kind,
                    ))
        if self.comparison is not None:
            for row in self.comparison.itertuples(index=False):
                p = row.p_value_adjusted
                if p is not None and not math.isnan(p) and p < self.alpha:
                    out.append(Headline(
                        severity=2,
                        text=f"{row.group} candidates passed {row.pass_rate_diverse:.0%} of "
                        f"interviews with diverse panels and {row.pass_rate_not_diverse:.0%} "
                        f"with non-diverse panels (a gap of {row.difference * 100:+.0f} "
                        f"percentage points; adjusted {p_text(p)}).",
                        figure=float(row.difference), section=self.kind,
                    ))
        out.sort(key=lambda h: -h.severity)
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
        if self.rows is not None:
            lines.append("Rows: " + self.rows.describe() + ".")
        lines.append(self.composition.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        lines.append(self.sizes.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if self.comparison is not None:
            lines.append("Pass rates by candidate group, diverse vs non-diverse panels:")
            lines.append(self.comparison.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if self.stratified is not None and self.stratified.strata is not None:
            s = self.stratified.strata[["group", "reference_group", "mh_odds_ratio",
                                        "breslow_day_statistic", "breslow_day_p_value"]]
            lines.append("Gap homogeneity across panel types (Breslow–Day):")
            lines.append(s.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


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
    check_int(min_groups, "min_groups", low=2)
    check_alpha(alpha)
    if (candidate_group is None) != (outcome is None) and outcome is not None:
        raise InvalidParameterError(
            "outcome= needs candidate_group= too: pass rates are compared by candidate group."
        )
    frame = to_narwhals(data)
    require_columns(frame, interview=interview, panelist_group=panelist_group,
                    candidate_group=candidate_group, outcome=outcome, panelist=panelist)
    named = [c for c in (interview, panelist_group, candidate_group, outcome, panelist) if c]
    if len(set(named)) != len(named):
        raise InvalidParameterError(
            f"interview=, panelist_group=, candidate_group=, outcome= and panelist= must name "
            f"different columns; got {named!r}."
        )

    seats = group_counts(frame.select(nw.col(interview).alias("__fh_iv"),
                                      nw.col(panelist_group).alias("__fh_pg")),
                         ["__fh_iv", "__fh_pg"])
    seats = seats.rename(columns={"__fh_iv": "interview", "__fh_pg": "pgroup"})
    total = int(seats["n"].sum())
    if total == 0:
        raise InsufficientDataError("data has no rows. Check the filter or export that produced it.")
    miss_iv = seats["interview"].map(is_missing)
    excluded: dict[str, int] = {}
    if miss_iv.any():
        excluded["missing interview id"] = int(seats.loc[miss_iv, "n"].sum())
    seats = seats.loc[~miss_iv].copy()
    if seats.empty:
        raise InsufficientDataError(
            f"every row has a missing {interview!r}: there are no interviews to describe."
        )
    rows_acc = RowAccount(total=total, used=total - sum(excluded.values()), excluded=excluded)
    seats["interview"] = seats["interview"].map(str)
    seats["known"] = ~seats["pgroup"].map(is_missing)
    vc = seats.groupby(seats["pgroup"].astype(object), dropna=False)["n"].sum()
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=panelist_group)
    merge_warnings = cleaning.warnings()
    seats["pgroup"] = [cleaning.get(v) for v in seats["pgroup"].astype(object)]
    seats["known"] = seats["pgroup"].notna()
    seats["pgroup"] = seats["pgroup"].map(lambda v: "(missing)" if v is None else str(v))
    seats = seats.groupby(["interview", "pgroup", "known"], as_index=False)["n"].sum()

    if panelist is not None:
        dup = group_counts(frame.select(nw.col(interview).alias("__fh_iv"),
                                        nw.col(panelist).alias("__fh_p")),
                           ["__fh_iv", "__fh_p"])
        dup = dup.loc[(dup["n"] > 1) & ~dup["__fh_iv"].map(is_missing)
                      & ~dup["__fh_p"].map(is_missing)]
        if len(dup):
            examples = [f"{a} / {b}" for a, b in zip(dup["__fh_iv"], dup["__fh_p"], strict=True)]
            raise InvalidValueError(
                f"{len(dup):,} panelists appear more than once on the same panel (columns "
                f"{interview!r} / {panelist!r}), e.g. {preview(examples)}. Remove duplicate "
                "rows so each panelist is listed once per interview."
            )

    groups = sorted(seats.loc[seats["known"], "pgroup"].unique().tolist())
    per = seats.groupby("interview", sort=True)
    size = per["n"].sum()
    unknown = seats.loc[~seats["known"]].groupby("interview")["n"].sum().reindex(
        size.index, fill_value=0
    )
    n_groups = seats.loc[seats["known"]].groupby("interview")["pgroup"].nunique().reindex(
        size.index, fill_value=0
    )
    panels = pd.DataFrame({
        "interview": size.index, "panel_size": size.to_numpy().astype(int),
        "n_groups": n_groups.to_numpy().astype(int),
    })
    group_sets = seats.loc[seats["known"]].groupby("interview")["pgroup"].agg(
        lambda s: " + ".join(sorted(set(s)))
    )
    panels["groups"] = panels["interview"].map(group_sets).fillna("")
    panels["unknown_members"] = unknown.to_numpy().astype(int)
    present = seats.loc[seats["known"]].pivot_table(
        index="interview", columns="pgroup", values="n", aggfunc="sum", fill_value=0
    ).reindex(size.index, fill_value=0)
    for g in groups:
        panels[f"has_{g}"] = (present[g].to_numpy() > 0) if g in present else False
    decided = panels["n_groups"] >= min_groups
    impossible = panels["n_groups"] + panels["unknown_members"] < min_groups
    diverse = pd.Series(pd.NA, index=panels.index, dtype="boolean")
    diverse[decided] = True
    diverse[impossible & ~decided] = False
    panels["diverse"] = diverse
    panels["single_member"] = panels["panel_size"] == 1

    warnings: list[str] = list(merge_warnings)
    if excluded:
        warnings.append(
            f"{excluded['missing interview id']:,} rows have a missing {interview!r} and were "
            "excluded."
        )
    n_unknown_members = int(panels["unknown_members"].sum())
    if n_unknown_members:
        warnings.append(
            f"{n_unknown_members:,} panel seats have a missing {panelist_group!r}: counted; "
            f"{int(panels['diverse'].isna().sum()):,} panels have an unknown diversity as a "
            "result."
        )
    if len(groups) < min_groups:
        warnings.append(
            f"only {len(groups)} known group(s) in {panelist_group!r}: no panel can have "
            f"members from {min_groups} groups."
        )
    n_single = int(panels["single_member"].sum())
    if n_single:
        warnings.append(
            f"{n_single:,} interviews had a one-person panel: counted as not diverse "
            "(flagged single_member)."
        )

    n_iv = len(panels)
    n_div = int((panels["diverse"] == True).sum())  # noqa: E712 - nullable boolean
    n_not = int((panels["diverse"] == False).sum())  # noqa: E712
    n_unk = n_iv - n_div - n_not
    share = n_div / (n_div + n_not) if (n_div + n_not) else math.nan

    comp_rows = []
    n_seats = int(seats["n"].sum())
    for g in groups:
        s_ = int(seats.loc[seats["pgroup"].eq(g) & seats["known"], "n"].sum())
        w = int(panels[f"has_{g}"].sum())
        comp_rows.append({"group": g, "seats": s_, "share_of_seats": s_ / n_seats,
                          "interviews_with_group": w, "share_of_interviews": w / n_iv})
    if n_unknown_members:
        w = int((panels["unknown_members"] > 0).sum())
        comp_rows.append({"group": "(missing)", "seats": n_unknown_members,
                          "share_of_seats": n_unknown_members / n_seats,
                          "interviews_with_group": w, "share_of_interviews": w / n_iv})
    composition = pd.DataFrame(comp_rows, columns=["group", "seats", "share_of_seats",
                                                   "interviews_with_group",
                                                   "share_of_interviews"])
    sizes = panels.groupby("panel_size").agg(
        interviews=("interview", "size"),
        diverse=("diverse", lambda s: int((s == True).sum())),  # noqa: E712
        not_diverse=("diverse", lambda s: int((s == False).sum())),  # noqa: E712
    ).reset_index()
    sizes["unknown"] = sizes["interviews"] - sizes["diverse"] - sizes["not_diverse"]
    known = sizes["diverse"] + sizes["not_diverse"]
    sizes["share_diverse"] = np.where(known > 0, sizes["diverse"] / known.where(known > 0, 1),
                                      np.nan)

    comparison = by_panel = stratified = None
    iv_excl: dict[str, int] = {}
    if candidate_group is not None and outcome is not None:
        comparison, by_panel, stratified, iv_excl = _compare(
            frame, panels, interview=interview, candidate_group=candidate_group,
            outcome=outcome, reference=reference, alpha=alpha, warnings=warnings,
        )

    params = {
        "interview": interview, "panelist_group": panelist_group,
        "candidate_group": candidate_group, "outcome": outcome, "panelist": panelist,
        "min_groups": int(min_groups), "reference": reference, "alpha": alpha,
    }
    return InterviewPanelsResult(
        panels=panels, composition=composition, sizes=sizes, comparison=comparison,
        by_panel=by_panel, stratified=stratified, n_interviews=n_iv, n_diverse=n_div,
        n_not_diverse=n_not, n_unknown=n_unk, n_single_member=n_single, share_diverse=share,
        min_groups=int(min_groups), panelist_groups=tuple(groups),
        interview_column=interview, panelist_group_column=panelist_group,
        candidate_group_column=candidate_group, outcome_column=outcome, alpha=alpha,
        fingerprint=fingerprint_frame(seats[["interview", "pgroup", "n"]]),
        interview_exclusions=iv_excl, warnings=tuple(warnings), rows=rows_acc, params=params,
    )


def _compare(
    frame: Any, panels: pd.DataFrame, *, interview: str, candidate_group: str, outcome: str,
    reference: object | None, alpha: float, warnings: list[str],
) -> tuple[pd.DataFrame | None, Any, Any, dict[str, int]]:
    """Pass rates by candidate group on diverse vs non-diverse panels."""
    from ..impact.analysis import adverse_impact_from_counts

    reading = read_flag(frame, outcome, argument="outcome")
    passed = nw.when(reading.missing_expr()).then(None).otherwise(reading.expr().cast(nw.Int64))
    per = group_counts(
        frame.select(nw.col(interview).alias("__iv"), nw.col(candidate_group).alias("__cg"),
                     passed.alias("__o")),
        ["__iv", "__cg", "__o"],
    ).rename(columns={"__iv": interview, "__cg": candidate_group})
    per = per.loc[~per[interview].map(is_missing)].copy()
    per[interview] = per[interview].map(str)
    vc = per.groupby(per[candidate_group].astype(object), dropna=False)["n"].sum()
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=candidate_group)
    warnings.extend(cleaning.warnings())
    per[candidate_group] = [cleaning.get(v) for v in per[candidate_group].astype(object)]
    per = per.groupby([interview, candidate_group, "__o"], dropna=False, as_index=False)["n"].sum()
    multi = per.groupby(interview).size()
    multi = multi[multi > 1]
    if len(multi):
        raise InvalidValueError(
            f"{len(multi):,} interviews have more than one {candidate_group!r} or {outcome!r} "
            f"value across their panelist rows, e.g. {preview(sorted(multi.index))}. Each "
            "interview is one candidate with one outcome: fix those rows."
        )
    info = per.set_index(interview)
    t = panels.copy()
    t["candidate_group"] = t["interview"].map(info[candidate_group])
    t["passed"] = t["interview"].map(info["__o"])
    excl: dict[str, int] = {}
    unknown_div = t["diverse"].isna()
    miss_group = ~unknown_div & t["candidate_group"].map(is_missing)
    miss_out = ~unknown_div & ~miss_group & t["passed"].map(is_missing)
    for reason, mask in (("panel diversity unknown", unknown_div),
                         ("missing candidate group", miss_group),
                         ("missing outcome", miss_out)):
        if mask.any():
            excl[reason] = int(mask.sum())
            warnings.append(
                f"{int(mask.sum()):,} interviews left out of the pass-rate comparison: {reason}."
            )
    use = t.loc[~(unknown_div | miss_group | miss_out)].copy()
    if use.empty:
        warnings.append("no interview has a known panel type, candidate group and outcome.")
        return None, None, None, excl
    use["panel"] = np.where(use["diverse"].astype(bool), DIVERSE, NOT_DIVERSE)
    use["cg"] = use["candidate_group"].map(str)
    use["passed"] = use["passed"].astype(int)
    counts = use.groupby(["panel", "cg"]).agg(n=("passed", "size"), passed=("passed", "sum"))
    counts = counts.reset_index().rename(columns={"cg": candidate_group})
    kinds = set(counts["panel"])
    if kinds != {DIVERSE, NOT_DIVERSE}:
        only = next(iter(kinds))
        warnings.append(
            f"every interview in the comparison had a {only} panel: pass rates cannot be "
            "compared between diverse and non-diverse panels."
        )
        return None, None, None, excl
    ref = reference
    by_panel = adverse_impact_from_counts(
        counts, group=candidate_group, applicants="n", selected="passed", stage="panel",
        stage_order=[DIVERSE, NOT_DIVERSE], reference=ref, alpha=alpha,
    )
    stratified = None
    if counts[candidate_group].nunique() >= 2:
        stratified = adverse_impact_from_counts(
            counts, group=candidate_group, applicants="n", selected="passed", strata="panel",
            reference=ref, alpha=alpha,
        )
    rows = []
    wide = counts.pivot_table(index=candidate_group, columns="panel", values=["n", "passed"],
                              aggfunc="sum", fill_value=0)
    for g in sorted(wide.index, key=str):
        a, n = int(wide.loc[g, ("passed", DIVERSE)]), int(wide.loc[g, ("n", DIVERSE)])
        b, m = int(wide.loc[g, ("passed", NOT_DIVERSE)]), int(wide.loc[g, ("n", NOT_DIVERSE)])
        z, pz = two_proportion_z(a, n, b, m) if n and m else (math.nan, math.nan)
        pf = fisher_exact_test(a, n, b, m) if n and m else math.nan
        rows.append({
            "group": str(g), "candidates_diverse": n, "passed_diverse": a,
            "pass_rate_diverse": a / n if n else math.nan, "candidates_not_diverse": m,
            "passed_not_diverse": b, "pass_rate_not_diverse": b / m if m else math.nan,
            "difference": (a / n - b / m) if n and m else math.nan,
            "z": z, "p_value_z": pz, "p_value_fisher": pf, "small_sample": min(n, m) < 30,
        })
    comparison = pd.DataFrame(rows)
    comparison.insert(
        comparison.columns.get_loc("small_sample"), "p_value_adjusted",
        adjust_pvalues(comparison["p_value_fisher"].to_numpy(), "holm"),
    )
    return comparison, by_panel, stratified, excl
