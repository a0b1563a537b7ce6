"""Rubric consistency: inter-rater reliability per criterion, and score gaps between candidate
groups per criterion.

Reliability needs the candidate × rater matrix of each criterion, so this analysis collects the
columns it needs (candidate, rater, criteria, candidate group) to pandas; one row per
(candidate, rater) rubric form is small even for a large employer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.labels import clean_labels
from .._core.missing import is_missing
from .._core.params import check_alpha, check_choice, check_confidence
from .._core.text import p_text
from .._deprecation import renamed_argument
from .._frames import as_columns, collect_pandas, fingerprint_frame, require_columns, to_narwhals
from .._results import Headline, Result, RowAccount
from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview
from ..promotion.reading import pick_reference
from ..stats.proportions import adjust_pvalues
from ..stats.reliability import LEVELS, icc, icc_oneway, krippendorff_alpha, ratings_matrix
from ._common import check_numeric, hedges_g

__all__ = ["RELIABLE", "TENTATIVE", "RubricConsistencyResult", "rubric_consistency"]

#: Krippendorff's (2004, §11.4) guidance: rely on variables with α ≥ .800; draw only tentative
#: conclusions from .667 ≤ α < .800; discard below .667.
RELIABLE, TENTATIVE = 0.800, 0.667

RELIABILITY_COLUMNS = (
    "criterion", "ratings", "candidates", "raters", "missing_scores", "single_rated",
    "candidates_compared", "mean", "sd", "no_variance", "alpha", "alpha_level", "icc",
    "icc_ci_low", "icc_ci_high", "icc_k", "k0", "icc_2_1", "reliability", "low_reliability",
    "max_abs_g", "gap_groups", "review", "concerns",
)

GAP_COLUMNS = (
    "criterion", "group", "reference_group", "n_focal", "n_reference", "mean_focal",
    "mean_reference", "difference", "hedges_g", "ci_low", "ci_high", "p_value",
    "p_value_adjusted", "flagged", "small_sample",
)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class RubricConsistencyResult(Result):
    """Inter-rater reliability and group score gaps, per rubric criterion.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per criterion: ``criterion, ratings, candidates, raters, missing_scores``
        (rows with no score on it), ``single_rated`` (candidates rated by one rater only: no
        agreement to measure, left out of the reliability figures), ``candidates_compared``
        (those rated by two or more), ``mean``, ``sd``, ``no_variance`` (every score the
        same: reliability undefined), ``alpha`` (Krippendorff's alpha at ``alpha_level``),
        ``icc`` with ``icc_ci_low``/``icc_ci_high`` (ICC(1,1), one-way random effects, valid
        when each candidate meets different raters), ``icc_k`` (reliability of the mean of
        ``k0`` raters), ``k0``, ``icc_2_1`` (ICC(2,1), only when every candidate was rated by
        the same raters, else missing), ``reliability`` ("reliable" / "tentative" /
        "unreliable" / "undefined", after Krippendorff), ``low_reliability``, ``max_abs_g``
        (largest |Hedges' g| between candidate groups), ``gap_groups`` (groups with a flagged
        gap), ``review`` and ``concerns`` (why to review the criterion).
    gaps : pandas.DataFrame or None
        With ``candidate_group``: one row per (criterion, focal group): the candidates' mean
        scores (each candidate's scores averaged over raters), ``difference``, ``hedges_g``
        with ``ci_low``/``ci_high``, the pooled t-test ``p_value``, ``p_value_adjusted``
        (Benjamini–Hochberg over every row by default), ``flagged``, ``small_sample``.
    criteria : tuple of str
    level : str
        Level of measurement used for alpha.
    reference_group : str or None
    """

    table: pd.DataFrame
    gaps: pd.DataFrame | None
    criteria: tuple[str, ...]
    level: str
    candidate_column: str
    rater_column: str
    group_column: str | None
    reference_group: str | None
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "rubric consistency"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "candidates",
        "candidates_compared",
        "n_focal",
        "n_reference",
        "ratings",
        "single_rated",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "difference",
        "hedges_g",
        "mean_focal",
        "mean_reference",
    })

    flag_column: ClassVar[str] = "review"
    #: Krippendorff's guides (2004): reliable at or above, tentative at or above (for charts).
    reliable: ClassVar[float] = RELIABLE
    tentative: ClassVar[float] = TENTATIVE

    @property
    def measurement(self) -> str:
        """The level of measurement of the scores (``level`` is its old name)."""
        return self.level

    def _repr_headline(self) -> str:
        return f"{len(self.criteria)} criteria, {len(self.flagged)} to review"

    @property
    def to_review(self) -> pd.DataFrame:
        """Criteria with low reliability or a flagged score gap between groups."""
        return self.table.loc[self.table["review"]].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        gaps = self.gaps
        for row in self.table.itertuples(index=False):
            flagged = (
                gaps.loc[(gaps["criterion"] == row.criterion) & gaps["flagged"]]
                if gaps is not None else None
            )
            parts = []
            if row.low_reliability:
                parts.append(
                    f"low inter-rater reliability (Krippendorff's alpha {row.alpha:.2f}, below "
                    f"{TENTATIVE:.3f})"
                )
            if flagged is not None and len(flagged):
                g = flagged.iloc[flagged["hedges_g"].abs().argmax()]
                parts.append(
                    f"a score gap between {g.group} and {g.reference_group} candidates "
                    f"(Hedges' g {g.hedges_g:+.2f}, 95% CI {g.ci_low:+.2f} to {g.ci_high:+.2f}; "
                    f"adjusted {p_text(g.p_value_adjusted)})"
                )
            if parts:
                sev = 3 if (flagged is not None and len(flagged)) else 2
                tail = (
                    ": the kind of criterion most open to subjective judgement, worth "
                    "restructuring." if len(parts) == 2 else "."
                )
                out.append(Headline(
                    severity=sev,
                    text=f"Rubric criterion {row.criterion!r} shows " + " and ".join(parts) + tail,
                    figure=float(row.alpha) if not math.isnan(row.alpha) else None,
                    section=self.kind,
                ))
            if row.no_variance:
                out.append(Headline(
                    severity=1,
                    text=f"Rubric criterion {row.criterion!r} received the same score from "
                    "everyone: it does not discriminate between candidates.",
                    section=self.kind,
                ))
        if not out:
            out.append(Headline(
                severity=1,
                text=f"All {len(self.criteria)} rubric criteria are rated consistently and show "
                "no significant score gap between candidate groups.",
                section=self.kind,
            ))
        out.sort(key=lambda h: -h.severity)
        return out

    def summary(self) -> str:
        lines = [
            f"Rubric consistency — {len(self.criteria)} criteria, candidates "
            f"{self.candidate_column!r}, raters {self.rater_column!r}; Krippendorff's alpha "
            f"({self.level}), ICC(1,1) one-way random effects.",
        ]
        if self.rows is not None:
            lines.append("Rows: " + self.rows.describe() + ".")
        cols = ["criterion", "candidates_compared", "single_rated", "alpha", "icc",
                "icc_ci_low", "icc_ci_high", "reliability", "max_abs_g", "review"]
        lines.append(self.table[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if self.gaps is not None and len(self.gaps):
            lines.append(
                f"Score gaps between candidate groups ({self.group_column!r}, reference "
                f"{self.reference_group!r}):"
            )
            g = self.gaps[["criterion", "group", "n_focal", "n_reference", "difference",
                           "hedges_g", "ci_low", "ci_high", "p_value_adjusted", "flagged"]]
            lines.append(g.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


def rubric_consistency(
    data: Any,
    *,
    candidate: str,
    rater: str,
    criteria: str | Sequence[str],
    candidate_group: str | None = None,
    measurement: str = "ordinal",
    reference: object | None = None,
    alpha: float = 0.05,
    confidence: float = 0.95,
    adjust: str = "fdr_bh",
    level: str | None = None,
) -> RubricConsistencyResult:
    """Inter-rater reliability and group score gaps for each rubric criterion.

    For each criterion: Krippendorff's alpha (any number of raters per candidate, missing
    ratings allowed; ``measurement="ordinal"`` for rubric scales by default) and the one-way
    intraclass correlation ICC(1,1) with its confidence interval (Shrout & Fleiss 1979, with
    the unbalanced-design k₀ of Searle 1971), plus ICC(2,1) when every candidate was rated by
    the same raters. Candidates rated by a single rater are counted (``single_rated``) and left
    out of the reliability figures, which need two ratings of the same candidate. A criterion
    on which every score is the same is flagged ``no_variance`` (reliability is undefined, not
    perfect).

    With ``candidate_group``, each candidate's scores are averaged over raters and the groups
    compared per criterion with Hedges' g (bias-corrected standardized mean difference) and its
    confidence interval; p-values (pooled t test) are adjusted across all criteria and groups.
    Criteria with low reliability or a score gap are marked ``review``: the ones most open to
    subjective judgement.

    Parameters
    ----------
    data : DataFrame
        Rubric scores, one row per (candidate, rater) with one numeric column per criterion
        (wide). The needed columns are collected to pandas; the input is never modified.
    candidate, rater : str
        Candidate and rater identifier columns. A (candidate, rater) pair may appear once.
    criteria : str or list of str
        Criterion columns (numeric scale points; missing = not scored).
    candidate_group : str, optional
        Candidate group column (constant per candidate).
    measurement : {"ordinal", "interval", "nominal", "ratio"}
        Level of measurement for Krippendorff's alpha.
    reference : optional
        Reference candidate group (default: the group with the most candidates).
    alpha : float
        Significance level for gap flags (after adjustment).
    confidence : float
        Level of the confidence intervals.
    adjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Multiple-comparison adjustment of the gap p-values.

    Returns
    -------
    RubricConsistencyResult

    Examples
    --------
    >>> import fairhire as fh
    >>> data = fh.datasets.make_interviews(random_state=0)
    >>> rc = fh.rubric_consistency(data.scores, candidate="candidate_id", rater="interviewer",
    ...                            criteria=list(data.criteria), candidate_group="sex")
    >>> rc.to_review.criterion.tolist()
    ['culture_fit']
    """
    level = renamed_argument("rubric_consistency", "level", "measurement", level, measurement,
                             "ordinal")
    check_choice(level, "measurement", list(LEVELS))
    check_alpha(alpha)
    check_confidence(confidence)
    crits = as_columns(criteria, argument="criteria")
    if not crits:
        raise InvalidParameterError("criteria= must name at least one score column.")
    frame = to_narwhals(data)
    require_columns(frame, candidate=candidate, rater=rater, criteria=crits,
                    candidate_group=candidate_group)
    ids = [candidate, rater, *([candidate_group] if candidate_group else [])]
    clash = set(ids) & set(crits)
    if len(set(ids)) != len(ids) or clash:
        raise InvalidParameterError(
            "candidate=, rater=, candidate_group= and the criteria must be different columns"
            + (f"; {sorted(clash)!r} is used twice." if clash else ".")
        )
    for c in crits:
        check_numeric(frame, c, argument="criteria")
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
    df["_r"] = df[rater].map(str)
    dup = df.duplicated(["_c", "_r"], keep=False)
    if dup.any():
        pairs = sorted({f"{a} / {b}" for a, b in zip(df.loc[dup, "_c"], df.loc[dup, "_r"],
                                                       strict=True)})
        raise InvalidValueError(
            f"{int(dup.sum()):,} rows repeat a (candidate, rater) pair in columns "
            f"{candidate!r} / {rater!r}, e.g. {preview(pairs)}. Each rater should score a "
            "candidate once: remove duplicates or average them first."
        )
    rows_acc = RowAccount(total=total, used=len(df), excluded=excluded)
    warnings: list[str] = [f"{v:,} rows excluded: {k}." for k, v in excluded.items()]

    # candidate groups (constant per candidate)
    cand_group: pd.Series | None = None
    if candidate_group is not None:
        known = df.loc[~df[candidate_group].map(is_missing), ["_c", candidate_group]]
        vc = known[candidate_group].astype(object).value_counts()
        cleaning = clean_labels(vc.index.tolist(), vc.tolist(), column=candidate_group)
        warnings.extend(cleaning.warnings())
        known = known.assign(_g=[cleaning.get(v) for v in known[candidate_group].astype(object)])
        n_distinct = known.groupby("_c")["_g"].nunique()
        bad = n_distinct[n_distinct > 1]
        if len(bad):
            raise InvalidValueError(
                f"{len(bad):,} candidates have more than one {candidate_group!r} value across "
                f"their rows, e.g. {preview(sorted(bad.index))}. A candidate belongs to one "
                "group: fix the export."
            )
        cand_group = known.groupby("_c")["_g"].first()
        partial = df.loc[df[candidate_group].map(is_missing), "_c"]
        partial = partial[partial.isin(cand_group.index)].nunique()
        if partial:
            warnings.append(
                f"{partial:,} candidates have {candidate_group!r} on some of their rows only: "
                "the recorded group was used."
            )

    rel_rows: list[dict[str, Any]] = []
    gap_rows: list[dict[str, Any]] = []
    ref: str | None = None
    if cand_group is not None:
        n_missing_group = int(df.loc[~df["_c"].isin(cand_group.index), "_c"].nunique())
        if n_missing_group:
            warnings.append(
                f"{n_missing_group:,} candidates have no {candidate_group!r}: used for "
                "reliability, left out of the group comparison."
            )
        sizes = cand_group.value_counts()
        if len(sizes) < 2:
            warnings.append(
                f"column {candidate_group!r} has fewer than two groups among scored "
                "candidates: no group comparison."
            )
        else:
            ref = _reference(df, crits, cand_group, reference, warnings)

    for c in crits:
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
        }
        rec["no_variance"] = bool(len(values) > 0 and values.nunique() == 1)
        rec.update({"alpha": math.nan, "alpha_level": level, "icc": math.nan,
                    "icc_ci_low": math.nan, "icc_ci_high": math.nan, "icc_k": math.nan,
                    "k0": math.nan, "icc_2_1": math.nan})
        if len(multi) >= 2 and not rel[c].nunique() == 1:
            mat, _, _ = ratings_matrix(rel["_c"].to_numpy(), rel["_r"].to_numpy(),
                                       rel[c].to_numpy())
            rec["alpha"] = krippendorff_alpha(mat, level=level)
            ow = icc_oneway(rel["_c"].to_numpy(), rel[c].to_numpy(dtype=float),
                            confidence=confidence)
            rec.update({"icc": ow.icc1, "icc_ci_low": ow.icc1_ci_low,
                        "icc_ci_high": ow.icc1_ci_high, "icc_k": ow.icc1k, "k0": ow.k0})
            if mat.shape[1] >= 2 and not np.isnan(mat).any():
                # fully crossed: every candidate rated by the same raters
                rec["icc_2_1"] = icc(mat, confidence=confidence)["ICC(2,1)"].value
        elif len(multi) >= 2:
            # every score given to candidates rated twice or more is the same
            rec["no_variance"] = True
        a = rec["alpha"]
        rec["reliability"] = (
            "undefined" if math.isnan(a) else
            "reliable" if a >= RELIABLE else "tentative" if a >= TENTATIVE else "unreliable"
        )
        rec["low_reliability"] = bool(not math.isnan(a) and a < TENTATIVE)
        rel_rows.append(rec)
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

        if cand_group is not None and ref is not None:
            means = sub.groupby("_c")[c].mean()
            grp = means.index.map(cand_group)
            frame_g = pd.DataFrame({"m": means.to_numpy(), "g": grp}).dropna(subset=["g"])
            stats_g = frame_g.groupby("g")["m"].agg(["mean", "std", "size"])
            for g in sorted(sizes.index):
                if g == ref:
                    continue
                nf = int(stats_g.loc[g, "size"]) if g in stats_g.index else 0
                nr = int(stats_g.loc[ref, "size"]) if ref in stats_g.index else 0
                mf = float(stats_g.loc[g, "mean"]) if nf else math.nan
                mr = float(stats_g.loc[ref, "mean"]) if nr else math.nan
                sf = float(stats_g.loc[g, "std"]) if nf > 1 else math.nan
                sr = float(stats_g.loc[ref, "std"]) if nr > 1 else math.nan
                h = hedges_g(mf, sf, nf, mr, sr, nr, confidence=confidence)
                gap_rows.append({
                    "criterion": c, "group": str(g), "reference_group": ref, "n_focal": nf,
                    "n_reference": nr, "mean_focal": mf, "mean_reference": mr,
                    "difference": h.difference, "hedges_g": h.g, "ci_low": h.ci_low,
                    "ci_high": h.ci_high, "p_value": h.p_value,
                    "small_sample": min(nf, nr) < 20,
                })

    gaps = None
    if cand_group is not None and ref is not None:
        gaps = pd.DataFrame(gap_rows, columns=[c for c in GAP_COLUMNS
                                               if c not in ("p_value_adjusted", "flagged")])
        gaps["p_value_adjusted"] = adjust_pvalues(gaps["p_value"].to_numpy(dtype=float), adjust)
        gaps["flagged"] = (gaps["p_value_adjusted"] < alpha).astype(bool)
        gaps = gaps[list(GAP_COLUMNS)]
    table = pd.DataFrame(rel_rows)
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
    table["max_abs_g"] = max_g
    table["gap_groups"] = gap_groups
    table["review"] = review
    table["concerns"] = concerns
    table = table[list(RELIABILITY_COLUMNS)]

    params = {
        "candidate": candidate, "rater": rater, "criteria": crits,
        "candidate_group": candidate_group, "level": level, "reference": reference,
        "alpha": alpha, "confidence": confidence, "adjust": adjust,
    }
    return RubricConsistencyResult(
        table=table, gaps=gaps, criteria=tuple(crits), level=level,
        candidate_column=candidate, rater_column=rater, group_column=candidate_group,
        reference_group=ref, alpha=alpha,
        fingerprint=fingerprint_frame(df[["_c", "_r", *crits]]),
        warnings=tuple(warnings), rows=rows_acc, params=params,
    )


def _reference(df: pd.DataFrame, crits: list[str], cand_group: pd.Series, reference: Any,
               warnings: list[str]) -> str:
    """The reference candidate group: the core's rule on the mean score (a candidate's mean
    over their scores on every criterion), among groups of 30 or more candidates."""
    per_candidate = df.groupby("_c")[crits].mean().mean(axis=1)
    groups = cand_group.astype(str)
    score = per_candidate.reindex(groups.index).groupby(groups).mean()
    sizes = groups.value_counts()
    labels = sorted(sizes.index, key=str)
    choice = pick_reference(labels, [int(sizes[g]) for g in labels],
                            [float(score.get(g, float("nan"))) for g in labels],
                            reference=reference, min_n=30, what="mean score", warnings=warnings)
    return str(choice.label)
