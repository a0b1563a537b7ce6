"""Steps of :func:`fairhire.interview_panels`: read the seats → one row per panel →
composition → (with candidates) the pass-rate comparison.

Each step works on small tables: the seats come from one group-by (interview × panelist group)
in the caller's engine, the candidates' groups and outcomes from another (interview × candidate
group × outcome), with the shared core's rules (yes/no flags, label cleaning, missing values).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.flags import read_flag
from .._core.labels import clean_labels, relabel_counts
from .._core.missing import is_missing
from .._frames import Frame, group_counts
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidValueError, preview
from ..stats.proportions import adjust_pvalues, fisher_exact_test, two_proportion_z

__all__ = [
    "DIVERSE", "MISSING", "NOT_DIVERSE", "Comparison", "Diversity", "Seats", "compare",
    "composition_table", "diversity_counts", "panel_rows", "panel_warnings",
    "read_seats", "reject_repeated_panelists", "size_table",
]

DIVERSE, NOT_DIVERSE = "diverse", "not diverse"
#: The composition row of panelists with no recorded group.
MISSING = "(missing)"


@dataclass(frozen=True)
class Seats:
    """Seats per (interview, panelist group): ``interview`` (text), ``pgroup`` (clean label,
    ``"(missing)"`` when unknown), ``known``, ``n``; with the row account and warnings."""

    table: pd.DataFrame
    rows: RowAccount
    warnings: list[str]


class Diversity(NamedTuple):
    """How many interviews had a diverse, not diverse or undecided panel."""

    interviews: int
    diverse: int
    not_diverse: int
    unknown: int
    share_diverse: float


class Comparison(NamedTuple):
    """Pass rates on diverse vs non-diverse panels (all None when they cannot be compared)."""

    table: pd.DataFrame | None
    by_panel: Any
    stratified: Any
    exclusions: dict[str, int]


def read_seats(frame: Frame, interview: str, panelist_group: str,
               unknown_labels: tuple[object, ...] = ()) -> Seats:
    """One group-by (interview × panelist group); missing interview ids excluded, counted;
    panelist-group labels cleaned."""
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
    rows = RowAccount.of(total, excluded)
    seats["interview"] = seats["interview"].map(str)
    vc = seats.groupby(seats["pgroup"].astype(object), dropna=False)["n"].sum()
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=panelist_group,
                            unknown_labels=unknown_labels)
    warnings = list(cleaning.warnings())
    seats["pgroup"] = cleaning.labels(seats["pgroup"], index=seats.index)
    seats["known"] = seats["pgroup"].notna()
    seats["pgroup"] = seats["pgroup"].map(lambda v: MISSING if v is None else str(v))
    seats = seats.groupby(["interview", "pgroup", "known"], as_index=False)["n"].sum()
    if excluded:
        warnings.append(
            f"{excluded['missing interview id']:,} rows have a missing {interview!r} and were "
            "excluded."
        )
    return Seats(table=seats, rows=rows, warnings=warnings)


def reject_repeated_panelists(frame: Frame, interview: str, panelist: str) -> None:
    """A panelist listed twice on one panel is an error (it would count a seat twice). Names
    are read by the core's label rule, as ``rater_disparity`` reads an interviewer's: "Lee,
    Ann " and "LEE, ANN" on one panel are one person listed twice."""
    seats = group_counts(frame.select(nw.col(interview).alias("__fh_iv"),
                                      nw.col(panelist).alias("__fh_p")),
                         ["__fh_iv", "__fh_p"])
    seats, how = relabel_counts(seats, ["__fh_p"], count_columns=["n"], weight="n", groups=False)
    dup = seats.loc[(seats["n"] > 1) & ~seats["__fh_iv"].map(is_missing)
                    & ~seats["__fh_p"].map(is_missing)]
    if len(dup):
        examples = [f"{a} / {b}" for a, b in zip(dup["__fh_iv"], dup["__fh_p"], strict=True)]
        raise InvalidValueError(
            f"{len(dup):,} panelists appear more than once on the same panel (columns "
            f"{interview!r} / {panelist!r}), e.g. {preview(examples)}. Remove duplicate "
            "rows so each panelist is listed once per interview."
            + (" Names that differ only in case or spaces are one panelist."
               if how["__fh_p"].merged else "")
        )


def panel_rows(seats: pd.DataFrame, min_groups: int) -> tuple[pd.DataFrame, list[str]]:
    """One row per interview (size, groups present, unknown members, diverse or not), and the
    known panelist groups."""
    known = seats.loc[seats["known"]]
    groups = sorted(known["pgroup"].unique().tolist())
    size = seats.groupby("interview", sort=True)["n"].sum()
    unknown = seats.loc[~seats["known"]].groupby("interview")["n"].sum().reindex(
        size.index, fill_value=0
    )
    n_groups = known.groupby("interview")["pgroup"].nunique().reindex(size.index, fill_value=0)
    panels = pd.DataFrame({
        "interview": size.index, "panel_size": size.to_numpy().astype(int),
        "n_groups": n_groups.to_numpy().astype(int),
    })
    group_sets = known.groupby("interview")["pgroup"].agg(lambda s: " + ".join(sorted(set(s))))
    # no panelist with a known group: the empty map is float, and filling it with text is a
    # pandas warning (an error in pandas 4)
    panels["groups"] = panels["interview"].map(group_sets).fillna("") if len(group_sets) else ""
    panels["unknown_members"] = unknown.to_numpy().astype(int)
    present = known.pivot_table(
        index="interview", columns="pgroup", values="n", aggfunc="sum", fill_value=0
    ).reindex(size.index, fill_value=0)
    for g in groups:
        panels[f"has_{g}"] = (present[g].to_numpy() > 0) if g in present else False
    # a panel is undecided when its unknown members could still make it diverse
    decided = panels["n_groups"] >= min_groups
    impossible = panels["n_groups"] + panels["unknown_members"] < min_groups
    diverse = pd.Series(pd.NA, index=panels.index, dtype="boolean")
    diverse[decided] = True
    diverse[impossible & ~decided] = False
    panels["diverse"] = diverse
    panels["single_member"] = panels["panel_size"] == 1
    return panels, groups


def panel_warnings(panels: pd.DataFrame, groups: list[str], min_groups: int,
                   panelist_group: str) -> list[str]:
    """Unknown panelists, too few groups to be diverse, one-person panels."""
    warnings = []
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
    return warnings


def diversity_counts(panels: pd.DataFrame) -> Diversity:
    n_iv = len(panels)
    n_div = int((panels["diverse"] == True).sum())  # noqa: E712 - nullable boolean
    n_not = int((panels["diverse"] == False).sum())  # noqa: E712
    share = n_div / (n_div + n_not) if (n_div + n_not) else math.nan
    return Diversity(n_iv, n_div, n_not, n_iv - n_div - n_not, share)


def composition_table(seats: pd.DataFrame, panels: pd.DataFrame,
                      groups: list[str]) -> pd.DataFrame:
    """One row per panelist group: seats held, and interviews whose panel includes it."""
    rows = []
    n_seats = int(seats["n"].sum())
    n_iv = len(panels)
    for g in groups:
        s_ = int(seats.loc[seats["pgroup"].eq(g) & seats["known"], "n"].sum())
        w = int(panels[f"has_{g}"].sum())
        rows.append({"group": g, "seats": s_, "share_of_seats": s_ / n_seats,
                     "interviews_with_group": w, "share_of_interviews": w / n_iv})
    n_unknown_members = int(panels["unknown_members"].sum())
    if n_unknown_members:
        w = int((panels["unknown_members"] > 0).sum())
        rows.append({"group": MISSING, "seats": n_unknown_members,
                     "share_of_seats": n_unknown_members / n_seats,
                     "interviews_with_group": w, "share_of_interviews": w / n_iv})
    return pd.DataFrame(rows, columns=["group", "seats", "share_of_seats",
                                       "interviews_with_group", "share_of_interviews"])


def size_table(panels: pd.DataFrame) -> pd.DataFrame:
    """Interviews by panel size: diverse, not diverse, unknown, share diverse."""
    sizes = panels.groupby("panel_size").agg(
        interviews=("interview", "size"),
        diverse=("diverse", lambda s: int((s == True).sum())),  # noqa: E712
        not_diverse=("diverse", lambda s: int((s == False).sum())),  # noqa: E712
    ).reset_index()
    sizes["unknown"] = sizes["interviews"] - sizes["diverse"] - sizes["not_diverse"]
    known = sizes["diverse"] + sizes["not_diverse"]
    sizes["share_diverse"] = np.where(known > 0, sizes["diverse"] / known.where(known > 0, 1),
                                      np.nan)
    return sizes


def compare(frame: Frame, panels: pd.DataFrame, *, interview: str, candidate_group: str,
            outcome: str, reference: object | None, alpha: float,
            warnings: list[str], unknown_labels: tuple[object, ...] = ()) -> Comparison:
    """Pass rates by candidate group on diverse vs non-diverse panels."""
    from ..impact.analysis import adverse_impact_from_counts

    per = _read_candidates(frame, interview, candidate_group, outcome, warnings,
                           unknown_labels)
    use, excl = _usable_interviews(panels, per, interview, candidate_group, warnings)
    if use.empty:
        warnings.append("no interview has a known panel type, candidate group and outcome.")
        return Comparison(None, None, None, excl)
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
        return Comparison(None, None, None, excl)
    by_panel = adverse_impact_from_counts(
        counts, group=candidate_group, applicants="n", selected="passed", stage="panel",
        stage_order=[DIVERSE, NOT_DIVERSE], reference=reference, alpha=alpha,
    )
    stratified = None
    if counts[candidate_group].nunique() >= 2:
        stratified = adverse_impact_from_counts(
            counts, group=candidate_group, applicants="n", selected="passed", strata="panel",
            reference=reference, alpha=alpha,
        )
    return Comparison(_pass_rates(counts, candidate_group), by_panel, stratified, excl)


def _read_candidates(frame: Frame, interview: str, candidate_group: str, outcome: str,
                     warnings: list[str], unknown_labels: tuple[object, ...] = (),
                     ) -> pd.DataFrame:
    """One group-by (interview × candidate group × outcome): one row per interview, with the
    clean candidate group and the outcome (1/0, None when missing)."""
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
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=candidate_group,
                            unknown_labels=unknown_labels)
    warnings.extend(cleaning.warnings())
    per[candidate_group] = cleaning.labels(per[candidate_group], index=per.index)
    per = per.groupby([interview, candidate_group, "__o"], dropna=False, as_index=False)["n"].sum()
    multi = per.groupby(interview).size()
    multi = multi[multi > 1]
    if len(multi):
        raise InvalidValueError(
            f"{len(multi):,} interviews have more than one {candidate_group!r} or {outcome!r} "
            f"value across their panelist rows, e.g. {preview(sorted(multi.index))}. Each "
            "interview is one candidate with one outcome: fix those rows."
        )
    return per.set_index(interview)


def _usable_interviews(panels: pd.DataFrame, per: pd.DataFrame, interview: str,
                       candidate_group: str, warnings: list[str],
                       ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Interviews with a known panel type, candidate group and outcome; the others counted by
    reason."""
    t = panels.copy()
    t["candidate_group"] = t["interview"].map(per[candidate_group])
    t["passed"] = t["interview"].map(per["__o"])
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
    return t.loc[~(unknown_div | miss_group | miss_out)].copy(), excl


def _pass_rates(counts: pd.DataFrame, candidate_group: str) -> pd.DataFrame:
    """Per candidate group: pass rates on diverse and non-diverse panels, Z and Fisher tests
    (Holm over groups)."""
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
    return comparison
