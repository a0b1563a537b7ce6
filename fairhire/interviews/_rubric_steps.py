"""Steps of :func:`fairhire.rubric_consistency`: read the scores → candidate groups and the
reference → per criterion, reliability and group gaps → the review columns.

Reliability needs the candidate × rater matrix of each criterion, so the columns used are
collected to pandas (one row per rubric form, small even for a large employer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.counting import pick_reference
from .._core.labels import clean_labels
from .._core.missing import is_missing
from .._frames import Frame, collect_pandas
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidValueError, preview
from ..stats.proportions import adjust_pvalues
from ..stats.reliability import icc, icc_oneway, krippendorff_alpha, ratings_matrix
from ._common import hedges_g

__all__ = ["RELIABLE", "TENTATIVE", "Scores", "candidate_groups", "finish_gaps",
           "gap_rows", "rater_labels", "read_scores", "reference_group", "reliability_row",
           "review_columns"]

#: Krippendorff's (2004, §11.4) guidance: rely on variables with α ≥ .800; draw only tentative
#: conclusions from .667 ≤ α < .800; discard below .667.
RELIABLE, TENTATIVE = 0.800, 0.667

#: A candidate group smaller than this is too small to be the default reference.
REFERENCE_MIN_CANDIDATES = 30


@dataclass(frozen=True)
class Scores:
    """The usable rubric forms (``_c`` candidate and ``_r`` rater as text), the row account
    and the warnings so far."""

    df: pd.DataFrame
    rows: RowAccount
    warnings: list[str]


def read_scores(frame: Frame, ids: list[str], crits: list[str], candidate: str,
                rater: str) -> Scores:
    """Collect the columns used; rows with a missing candidate or rater are excluded, counted;
    a (candidate, rater) pair given twice is an error."""
    df = collect_pandas(frame.select(*[nw.col(c) for c in [*ids, *crits]]))
    total = len(df)
    if total == 0:
        raise InsufficientDataError("data has no rows. Check the filter or export that produced it.")
    excluded: dict[str, int] = {}
    miss_c = df[candidate].map(is_missing)
    miss_r = ~miss_c & df[rater].map(is_missing)
    if miss_c.any():
        excluded["missing candidate"] = int(miss_c.sum())
    if miss_r.any():
        excluded["missing rater"] = int(miss_r.sum())
    df = df.loc[~(miss_c | miss_r)].reset_index(drop=True)
    if df.empty:
        raise InsufficientDataError(
            f"every row has a missing {candidate!r} or {rater!r}: nothing to analyse."
        )
    df["_c"] = df[candidate].map(str)
    warnings: list[str] = []
    df["_r"] = rater_labels(df[rater], rater, warnings)
    dup = df.duplicated(["_c", "_r"], keep=False)
    if dup.any():
        pairs = sorted({f"{a} / {b}" for a, b in zip(df.loc[dup, "_c"], df.loc[dup, "_r"],
                                                       strict=True)})
        raise InvalidValueError(
            f"{int(dup.sum()):,} rows repeat a (candidate, rater) pair in columns "
            f"{candidate!r} / {rater!r}, e.g. {preview(pairs)}. Each rater should score a "
            "candidate once: remove duplicates or average them first."
            + (" Names that differ only in case or spaces are one rater." if warnings else "")
        )
    rows = RowAccount(total=total, used=len(df), excluded=excluded)
    return Scores(df=df, rows=rows, warnings=[*warnings, *rows.exclusion_notes().values()])


def rater_labels(names: pd.Series, rater: str, warnings: list[str]) -> pd.Series:
    """Each rater's name by the core's label rule, as ``rater_disparity`` reads it: an export's
    "Lee, Ann " and "LEE, ANN" are one rater. Read raw, they were two raters, so a candidate
    scored by one person under two spellings counted as rated twice (alpha and ICC on a
    duplicated form), ICC(2,1) was dropped as though raters differed, and ``raters`` doubled."""
    vc = names.astype(object).value_counts()
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=rater, groups=False)
    warnings.extend(cleaning.warnings())
    return cleaning.labels(names, index=names.index).map(str)


def candidate_groups(df: pd.DataFrame, candidate_group: str, warnings: list[str],
                     unknown_labels: tuple[object, ...] = ()) -> pd.Series:
    """Each candidate's clean group label (constant per candidate), indexed by candidate.

    A label in ``unknown_labels`` ("Decline to Self Identify") is missing, as a blank is: such
    candidates are left out of the group comparison and counted by :func:`reference_group`.
    """
    present = df.loc[~df[candidate_group].map(is_missing), ["_c", candidate_group]]
    vc = present[candidate_group].astype(object).value_counts()
    cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=candidate_group,
                            unknown_labels=unknown_labels)
    warnings.extend(cleaning.warnings())
    labels = pd.Series(None, index=df.index, dtype=object)
    labels[present.index] = cleaning.labels(present[candidate_group], index=present.index)
    unknown = labels.isna()
    known = df.loc[~unknown, ["_c"]].assign(_g=labels[~unknown])
    n_distinct = known.groupby("_c")["_g"].nunique()
    bad = n_distinct[n_distinct > 1]
    if len(bad):
        raise InvalidValueError(
            f"{len(bad):,} candidates have more than one {candidate_group!r} value across "
            f"their rows, e.g. {preview(sorted(bad.index))}. A candidate belongs to one "
            "group: fix the export."
        )
    cand_group = known.groupby("_c")["_g"].first()
    partial = df.loc[unknown, "_c"]
    partial = partial[partial.isin(cand_group.index)].nunique()
    if partial:
        warnings.append(
            f"{partial:,} candidates have {candidate_group!r} on some of their rows only: "
            "the recorded group was used."
        )
    return cand_group


def reference_group(df: pd.DataFrame, crits: list[str], cand_group: pd.Series,
                    candidate_group: str, reference: Any, warnings: list[str]) -> str | None:
    """The reference candidate group: the core's rule on the mean score (a candidate's mean
    over their scores on every criterion), among groups of 30 or more candidates. None (with
    a warning) when fewer than two groups were scored."""
    n_missing_group = int(df.loc[~df["_c"].isin(cand_group.index), "_c"].nunique())
    if n_missing_group:
        warnings.append(
            f"{n_missing_group:,} candidates have no {candidate_group!r}: used for "
            "reliability, left out of the group comparison."
        )
    if cand_group.nunique() < 2:
        warnings.append(
            f"column {candidate_group!r} has fewer than two groups among scored "
            "candidates: no group comparison."
        )
        return None
    per_candidate = df.groupby("_c")[crits].mean().mean(axis=1)
    groups = cand_group.astype(str)
    score = per_candidate.reindex(groups.index).groupby(groups).mean()
    sizes = groups.value_counts()
    labels = sorted(sizes.index, key=str)
    choice = pick_reference(labels, [int(sizes[g]) for g in labels],
                            [float(score.get(g, float("nan"))) for g in labels],
                            reference=reference, min_n=REFERENCE_MIN_CANDIDATES,
                            what="mean score", warnings=warnings)
    return str(choice.label)


def reliability_row(df: pd.DataFrame, c: str, level: str, confidence: float,
                    warnings: list[str]) -> dict[str, Any]:
    """Krippendorff's alpha, ICC(1,1) (and ICC(2,1) when fully crossed) of one criterion,
    over the candidates rated by two or more raters."""
    sub = df.loc[~df[c].isna(), ["_c", "_r", c]]
    values = sub[c].astype(float)
    if not np.isfinite(values).all():
        raise InvalidValueError(
            f"column {c!r} (criteria) holds infinite values in "
            f"{int((~np.isfinite(values)).sum()):,} rows; scores must be finite numbers."
        )
    per = sub.groupby("_c")[c].size()
    multi = per[per >= 2].index
    rel = sub.loc[sub["_c"].isin(multi)]
    rec: dict[str, Any] = {
        "criterion": c, "ratings": len(sub), "candidates": int(per.size),
        "raters": int(sub["_r"].nunique()), "missing_scores": int(len(df) - len(sub)),
        "single_rated": int((per == 1).sum()), "candidates_compared": len(multi),
        "mean": float(values.mean()) if len(values) else math.nan,
        "sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
        "no_variance": bool(len(values) > 0 and values.nunique() == 1),
        "alpha": math.nan, "alpha_level": level, "icc": math.nan, "icc_ci_low": math.nan,
        "icc_ci_high": math.nan, "icc_k": math.nan, "k0": math.nan, "icc_2_1": math.nan,
    }
    if len(multi) >= 2 and not rel[c].nunique() == 1:
        rec.update(_agreement(rel, c, level, confidence))
    elif len(multi) >= 2:
        # every score given to candidates rated twice or more is the same
        rec["no_variance"] = True
    a = rec["alpha"]
    rec["reliability"] = (
        "undefined" if math.isnan(a) else
        "reliable" if a >= RELIABLE else "tentative" if a >= TENTATIVE else "unreliable"
    )
    rec["low_reliability"] = bool(not math.isnan(a) and a < TENTATIVE)
    if rec["no_variance"]:
        warnings.append(
            f"criterion {c!r}: every score is the same, so reliability is undefined and "
            "the criterion does not tell candidates apart."
        )
    elif len(multi) < 2:
        warnings.append(
            f"criterion {c!r}: fewer than two candidates were rated by two or more raters; "
            "reliability cannot be measured."
        )
    return rec


def _agreement(rel: pd.DataFrame, c: str, level: str, confidence: float) -> dict[str, float]:
    mat, _, _ = ratings_matrix(rel["_c"].to_numpy(), rel["_r"].to_numpy(), rel[c].to_numpy())
    ow = icc_oneway(rel["_c"].to_numpy(), rel[c].to_numpy(dtype=float), confidence=confidence)
    out = {"alpha": krippendorff_alpha(mat, level=level), "icc": ow.icc1,
           "icc_ci_low": ow.icc1_ci_low, "icc_ci_high": ow.icc1_ci_high, "icc_k": ow.icc1k,
           "k0": ow.k0}
    if mat.shape[1] >= 2 and not np.isnan(mat).any():
        # fully crossed: every candidate rated by the same raters
        out["icc_2_1"] = icc(mat, confidence=confidence)["ICC(2,1)"].value
    return out


def gap_rows(df: pd.DataFrame, c: str, cand_group: pd.Series, ref: str,
             confidence: float) -> list[dict[str, Any]]:
    """Per focal group: candidates' mean scores on criterion ``c`` (each candidate's scores
    averaged over raters) against the reference group's, with Hedges' g."""
    sub = df.loc[~df[c].isna(), ["_c", c]]
    means = sub.groupby("_c")[c].mean()
    grp = means.index.map(cand_group)
    frame_g = pd.DataFrame({"m": means.to_numpy(), "g": grp}).dropna(subset=["g"])
    stats_g = frame_g.groupby("g")["m"].agg(["mean", "std", "size"])
    rows = []
    for g in sorted(cand_group.value_counts().index):
        if g == ref:
            continue
        nf = int(stats_g.loc[g, "size"]) if g in stats_g.index else 0
        nr = int(stats_g.loc[ref, "size"]) if ref in stats_g.index else 0
        mf = float(stats_g.loc[g, "mean"]) if nf else math.nan
        mr = float(stats_g.loc[ref, "mean"]) if nr else math.nan
        sf = float(stats_g.loc[g, "std"]) if nf > 1 else math.nan
        sr = float(stats_g.loc[ref, "std"]) if nr > 1 else math.nan
        h = hedges_g(mf, sf, nf, mr, sr, nr, confidence=confidence)
        rows.append({
            "criterion": c, "group": str(g), "reference_group": ref, "n_focal": nf,
            "n_reference": nr, "mean_focal": mf, "mean_reference": mr,
            "difference": h.difference, "hedges_g": h.g, "ci_low": h.ci_low,
            "ci_high": h.ci_high, "p_value": h.p_value, "small_sample": min(nf, nr) < 20,
        })
    return rows


def finish_gaps(rows: list[dict[str, Any]], columns: tuple[str, ...], adjust: str,
                alpha: float) -> pd.DataFrame:
    """Adjust the gap p-values across criteria and groups; flag those below ``alpha``."""
    gaps = pd.DataFrame(rows, columns=[c for c in columns
                                       if c not in ("p_value_adjusted", "flagged")])
    gaps["p_value_adjusted"] = adjust_pvalues(gaps["p_value"].to_numpy(dtype=float), adjust)
    gaps["flagged"] = (gaps["p_value_adjusted"] < alpha).astype(bool)
    return gaps[list(columns)]


def review_columns(table: pd.DataFrame, gaps: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``max_abs_g``, ``gap_groups``, ``review`` and ``concerns`` to the criteria table."""
    max_g, gap_groups, review, concerns = [], [], [], []
    for row in table.itertuples(index=False):
        sel = gaps.loc[gaps["criterion"] == row.criterion] if gaps is not None else None
        if sel is not None and sel["hedges_g"].notna().any():
            max_g.append(float(sel["hedges_g"].abs().max()))
        else:
            max_g.append(math.nan)
        flagged = sel.loc[sel["flagged"], "group"].tolist() if sel is not None else []
        gap_groups.append(", ".join(flagged))
        why = []
        if row.low_reliability:
            why.append(f"low reliability (alpha {row.alpha:.2f})")
        if flagged:
            why.append("score gap for " + ", ".join(flagged))
        if row.no_variance:
            why.append("no variance")
        review.append(bool(row.low_reliability or flagged))
        concerns.append("; ".join(why))
    return table.assign(max_abs_g=max_g, gap_groups=gap_groups, review=review,
                        concerns=concerns)
