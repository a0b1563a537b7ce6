"""Steps of :func:`fairhire.rater_disparity`: read → per-rater rows → the two tests → table.

The two questions an auditor asks of each rater, each answered by its own test and both
adjusted for the number of raters (Benjamini–Hochberg):

- **own record**: within the rater's own decisions, do the candidate groups fare differently?
  (Fisher's exact test for pass rates; a z test on the pooled within-rater variance for
  scores.) Three raters who each pass group A at 45% and group B at 25% are flagged here,
  even though together they *are* the organisation;
- **unlike peers**: is the rater's gap unlike the organisation's? (Spiegelhalter's funnel-plot
  z against the empirical-Bayes centre, with the shrunk interval excluding it.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.counting import count_groups, pick_reference
from .._core.groups import sort_key
from .._frames import Frame
from .._results import RowAccount
from ..errors import InsufficientDataError
from ..stats.proportions import adjust_pvalues, fisher_exact_test
from ..stats.shrinkage import shrink

__all__ = ["Decisions", "finish_table", "funnel_rows", "rater_rows", "read_decisions"]

_Z95, _Z998 = float(stats.norm.ppf(0.975)), float(stats.norm.ppf(0.999))
OWN, PEERS = "own record", "unlike peers"


@dataclass(frozen=True)
class Decisions:
    """Usable decisions per (rater, group): ``k`` decisions, ``s`` sum of values (passes or
    scores), ``ss`` sum of squares; with the row account and warnings."""

    cells: pd.DataFrame
    rows: RowAccount
    warnings: list[str]
    total: int


def read_decisions(frame: Frame, rater: str, candidate_group: str, outcome: str | None,
                   score: str | None, unknown_labels: tuple[object, ...] = ()) -> Decisions:
    """One group-by (rater × candidate group) with the core's flag, label and name rules."""
    if outcome is not None:
        read = count_groups(frame, [candidate_group], keys={"rater": rater},
                            flags={"outcome": outcome}, label_keys=["rater"],
                            unknown_labels=unknown_labels)
        t = read.table
        cells = pd.DataFrame({"rater": t["rater"], "group": t["group"], "n": t["n"],
                              "k": t["n"] - t["outcome_missing"], "s": t["outcome"]})
        cells["ss"] = cells["s"].astype(float)
        what = "missing outcome"
    else:
        read = count_groups(frame, [candidate_group], keys={"rater": rater},
                            values={"score": score}, label_keys=["rater"],
                            unknown_labels=unknown_labels)
        t = read.table
        cells = pd.DataFrame({"rater": t["rater"], "group": t["group"], "n": t["n"],
                              "k": t["score_count"], "s": t["score_sum"],
                              "ss": t["score_sumsq"]})
        what = "missing score"
    if read.total == 0:
        raise InsufficientDataError("data has no rows. Check the filter or export that produced it.")
    miss_rater = cells["rater"].isna()
    miss_group = ~miss_rater & cells["group"].isna()
    excluded: dict[str, int] = {}
    if miss_rater.any():
        excluded["missing rater"] = int(cells.loc[miss_rater, "n"].sum())
    if miss_group.any():
        excluded["missing candidate group"] = int(cells.loc[miss_group, "n"].sum())
    ok = cells.loc[~miss_rater & ~miss_group].copy()
    if int((ok["n"] - ok["k"]).sum()):
        excluded[what] = int((ok["n"] - ok["k"]).sum())
    ok = ok.loc[ok["k"] > 0, ["rater", "group", "k", "s", "ss"]]
    if ok.empty:
        raise InsufficientDataError(
            f"no row has a rater, a candidate group and a value in {outcome or score!r}: "
            f"{read.total:,} rows, all excluded ({', '.join(excluded)})."
        )
    ok["rater"] = ok["rater"].map(str)
    ok["group"] = ok["group"].map(str)
    # one row order whatever order the engine's group-by gave: sums over cells follow it
    ok = ok.sort_values(["rater", "group"], kind="stable")
    rows = RowAccount.of(read.total, excluded)
    warnings = [*read.warnings, *rows.exclusion_notes().values()]
    return Decisions(cells=ok.reset_index(drop=True), rows=rows, warnings=warnings,
                     total=read.total)


def choose_group(cells: pd.DataFrame, reference: Any, min_n: int, measure: str,
                 candidate_group: str, warnings: list[str]) -> str:
    """The reference candidate group: the core's rule on pass rate (or mean score)."""
    per = cells.groupby("group")[["k", "s"]].sum()
    labels = sorted(per.index, key=sort_key)
    per = per.loc[labels]
    if len(labels) < 2:
        raise InsufficientDataError(
            f"column {candidate_group!r} has a single group ({labels!r}) among the usable "
            "decisions: there is nothing to compare. Check the column or the filter."
        )
    if measure == "pass rate":
        from fractions import Fraction

        scores = [Fraction(int(s), int(k)) for k, s in zip(per["k"], per["s"], strict=True)]
    else:
        scores = (per["s"] / per["k"]).tolist()
    choice = pick_reference(labels, per["k"].tolist(), scores, reference=reference,
                            min_n=min_n, what=measure, warnings=warnings)
    return str(choice.label)


def rater_rows(cells: pd.DataFrame, ref: str, measure: str, min_n: int, sigma2: float,
               options: dict[str, Any], warnings: list[str],
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Per (rater, focal group): the rater's gap, both tests; per group: the organisation."""
    wide_k = cells.pivot_table(index="rater", columns="group", values="k", aggfunc="sum",
                               fill_value=0)
    # sums as floats (passes are integer counts): a float fill of an integer pivot is
    # deprecated in pandas
    wide_s = cells.astype({"s": "float64"}).pivot_table(index="rater", columns="group",
                                                        values="s", aggfunc="sum",
                                                        fill_value=0.0)
    decisions = wide_k.sum(axis=1)
    raters = sorted(wide_k.index, key=str)
    reason = {r: _not_assessable(int(decisions[r]), int(wide_k.at[r, ref]), ref, min_n)
              for r in raters}
    assessed = [r for r in raters if reason[r] is None]
    records, org_rows, funnel = [], [], []
    for g in sorted((c for c in wide_k.columns if c != ref), key=sort_key):
        k_tot = (int(wide_k.loc[assessed, g].sum()), int(wide_k.loc[assessed, ref].sum()))
        vf = float(wide_s.loc[assessed, g].sum() / k_tot[0]) if k_tot[0] else math.nan
        vr = float(wide_s.loc[assessed, ref].sum() / k_tot[1]) if k_tot[1] else math.nan
        var_fr = ((vf * (1 - vf), vr * (1 - vr)) if measure == "pass rate"
                  else (sigma2, sigma2))
        start = len(records)
        for r in raters:
            kf, kr = int(wide_k.at[r, g]), int(wide_k.at[r, ref])
            sf, sr = float(wide_s.at[r, g]), float(wide_s.at[r, ref])
            why = reason[r] if reason[r] or kf else f"no decisions on {g} candidates"
            records.append(_record(r, g, ref, int(decisions[r]), kf, kr, sf, sr, why, measure,
                                   sigma2, var_fr))
        org = _organisation(records[start:], g, ref, vf, vr, k_tot, options, warnings)
        org.update(_passed(measure, float(wide_s.loc[assessed, g].sum()),
                           float(wide_s.loc[assessed, ref].sum())))
        org_rows.append(org)
        funnel += funnel_rows(records[start:], org, var_fr, min_n)
    return records, org_rows, funnel


PASSED = ["focal_passed", "reference_passed"]


def _passed(measure: str, sf: float, sr: float) -> dict[str, float | int]:
    """The candidates passed in each group (pass rates only; NaN for scores). A count of
    people: a report's ``min_cell`` withholds it, and with it the rate and gap that would
    give it back (a rate times the decisions shown is the count)."""
    if measure != "pass rate":
        return {"focal_passed": math.nan, "reference_passed": math.nan}
    return {"focal_passed": round(sf), "reference_passed": round(sr)}


def _not_assessable(d: int, k_ref: int, ref: str, min_n: int) -> str | None:
    if d < min_n:
        return f"{d} decision{'s' if d != 1 else ''}, fewer than min_n={min_n}"
    if k_ref == 0:
        return f"no decisions on {ref} candidates"
    return None


def _record(r: str, g: str, ref: str, d: int, kf: int, kr: int, sf: float, sr: float,
            why: str | None, measure: str, sigma2: float, var_fr: tuple[float, float],
            ) -> dict[str, Any]:
    fv = sf / kf if kf else math.nan
    rv = sr / kr if kr else math.nan
    rec = {"rater": r, "group": g, "reference_group": ref, "decisions": d, "focal_n": kf,
           "reference_n": kr, "focal_value": fv, "reference_value": rv, "gap": fv - rv,
           "reason": why, "assessable": why is None, "own_p_value": math.nan,
           **_passed(measure, sf, sr)}
    if why is None:
        rec["var"] = var_fr[0] / kf + var_fr[1] / kr
        if measure == "pass rate":
            rec["own_p_value"] = float(fisher_exact_test(round(sf), kf, round(sr), kr))
        else:
            z = rec["gap"] / math.sqrt(sigma2 / kf + sigma2 / kr)
            rec["own_p_value"] = float(2 * stats.norm.sf(abs(z)))
    return rec


def _organisation(recs: list[dict[str, Any]], g: str, ref: str, vf: float, vr: float,
                  k_tot: tuple[int, int], options: dict[str, Any], warnings: list[str],
                  ) -> dict[str, Any]:
    """Shrink the assessed raters' gaps toward the organisation's; test each against it."""
    idx = [i for i, rec in enumerate(recs) if rec["assessable"]]
    org_gap = org_se = tau = math.nan
    if idx:
        est = np.array([recs[i]["gap"] for i in idx])
        var = np.array([recs[i]["var"] for i in idx])
        if not (var > 0).all():
            raise InsufficientDataError(
                f"every decision in {options['value_column']!r} has the same value for {g} "
                f"and {ref} candidates, so gaps cannot be tested. Check the column."
            )
        sh = shrink(est, var, method=options["method"], center=options["center"],
                    confidence=options["confidence"])
        zc = float(stats.norm.ppf(0.5 + options["confidence"] / 2))
        for j, i in enumerate(idx):
            se = math.sqrt(var[j])
            recs[i].update({
                "se": se, "ci_low": est[j] - zc * se, "ci_high": est[j] + zc * se,
                "org_gap": sh.mean, "difference_from_org": est[j] - sh.mean,
                "z": float(sh.z[j]), "p_value": float(sh.p_value[j]),
                "shrinkage": float(sh.factor[j]), "gap_shrunk": float(sh.posterior_mean[j]),
                "shrunk_ci_low": float(sh.ci_low[j]), "shrunk_ci_high": float(sh.ci_high[j]),
            })
        org_gap, org_se, tau = sh.mean, sh.mean_se, math.sqrt(sh.tau2)
        if len(idx) == 1:
            warnings.append(f"only one rater could be assessed for {g} vs {ref}: there is no "
                            "organisation to compare them with.")
    return {"group": g, "reference_group": ref, "focal_value": vf, "reference_value": vr,
            "pooled_gap": vf - vr, "org_gap": org_gap, "org_gap_se": org_se, "tau": tau,
            "raters_assessed": len(idx), "focal_n": k_tot[0], "reference_n": k_tot[1]}


def funnel_rows(recs: list[dict[str, Any]], org: dict[str, Any], var_fr: tuple[float, float],
                min_n: int) -> list[dict[str, Any]]:
    """Funnel-plot control limits around the organisation's gap."""
    kf_tot, kr_tot = org["focal_n"], org["reference_n"]
    sizes = [r["focal_n"] + r["reference_n"] for r in recs if r["assessable"]]
    if not sizes or not kf_tot or not kr_tot:
        return []
    share = kf_tot / (kf_tot + kr_tot)
    grid = np.unique(np.linspace(max(2, min_n // 2), max(max(sizes) * 1.1, 10), 60)
                     .round().astype(int))
    unit = var_fr[0] / share + var_fr[1] / (1 - share)
    c = org["org_gap"]
    out = []
    for n in grid.tolist():
        se_n = math.sqrt(unit / n)
        out.append({"group": org["group"], "n": n, "center": c,
                    "lower95": c - _Z95 * se_n, "upper95": c + _Z95 * se_n,
                    "lower998": c - _Z998 * se_n, "upper998": c + _Z998 * se_n})
    return out


def finish_table(records: list[dict[str, Any]], columns: tuple[str, ...],
                 alpha: float) -> pd.DataFrame:
    """Adjust both tests across raters, flag on either (saying which), order by evidence."""
    table = pd.DataFrame.from_records(records)
    for c in columns:
        if c not in table.columns:
            table[c] = np.nan
    floats = ["focal_value", "reference_value", "gap", "se", "ci_low", "ci_high", "org_gap",
              "difference_from_org", "z", "p_value", "shrinkage", "gap_shrunk",
              "shrunk_ci_low", "shrunk_ci_high", "own_p_value"]
    table[floats] = table[floats].astype("float64")
    # counts of people: whole numbers, missing (<NA>) for scores
    table[PASSED] = table[PASSED].astype("Int64")
    table["p_value_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), "fdr_bh")
    table["own_p_value_adjusted"] = adjust_pvalues(table["own_p_value"].to_numpy(), "fdr_bh")
    excl_org = ((table["shrunk_ci_low"] > table["org_gap"])
                | (table["shrunk_ci_high"] < table["org_gap"]))
    peers = (table["p_value_adjusted"] < alpha) & excl_org & table["assessable"]
    own = (table["own_p_value_adjusted"] < alpha) & table["assessable"]
    table["flagged_own"] = own.astype(bool)
    table["flagged_peers"] = peers.astype(bool)
    table["flagged"] = (own | peers).astype(bool)
    table["flag_reason"] = [
        " and ".join(w for w, f in ((OWN, o), (PEERS, p)) if f)
        for o, p in zip(table["flagged_own"], table["flagged_peers"], strict=True)
    ]
    table["direction"] = [
        "" if not row.assessable or math.isnan(row.difference_from_org)
        else (f"below organisation for {row.group}" if row.difference_from_org < 0
              else f"above organisation for {row.group}")
        for row in table.itertuples(index=False)
    ]
    table["_na"] = ~table["assessable"]
    table["_best"] = table[["p_value", "own_p_value"]].min(axis=1)
    table["_absz"] = -table["z"].abs()
    table = table.sort_values(["_na", "_best", "_absz", "rater", "group"], na_position="last",
                              kind="mergesort").reset_index(drop=True)
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    n_assessed = int(table["assessable"].sum())
    rank.iloc[:n_assessed] = np.arange(1, n_assessed + 1)
    table["evidence_rank"] = rank
    return table[list(columns)]
