"""Performance-rating disparities: distributions by group, an ordinal test, top-rating shares.

Ratings feed pay and promotion, so a group rated lower across the board carries that gap into
both. One group-by in the caller's engine counts employees per (group, rating); the ordinal
tests (:mod:`fairhire.stats.trend`) and the four-fifths comparison of top-rating shares (the
adverse-impact engine) work on that small table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.counting import pick_reference
from .._core.labels import NON_DISCLOSURE_NOTE, as_labels
from .._core.missing import is_missing
from .._core.params import check_alpha, check_min_n
from .._core.ratings import read_rating_labels, scale_hint
from .._core.reference_rows import explains_reference
from .._core.text import format_ratio, p_text, threshold_line, threshold_rule
from .._frames import fingerprint_frame
from .._results import Headline, Result, RowAccount, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError, preview
from ..stats.trend import mann_whitney_counts, ordinal_test
from ._order import (
    check_columns,
    check_order,
    count_by_value,
    ordered_counts,
    place,
    positions,
    shares_text,
)
from ._rates_steps import mark_tied

__all__ = ["RatingDisparityResult", "rating_disparity"]

DISTRIBUTION_COLUMNS = ["group", "rating", "rating_rank", "count", "group_total", "share"]
TABLE_COLUMNS = [
    "group", "n", "mean_rank", "mean_rating", "top_count", "top_share", "reference_group",
    "is_reference", "impact_ratio", "adverse_impact", "p_value_fisher", "p_value_adjusted",
    "flips_with_one", "small_sample", "excluded", "prob_superiority", "z_mann_whitney",
    "p_value_mann_whitney",
]


@result_dataclass
class RatingDisparityResult(Result):
    """Rating distributions by group, the ordinal test and top-rating shares.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: ``n``, ``mean_rank`` (pooled mid-rank, comparable across groups),
        ``mean_rating`` (when ratings are numbers), ``top_count`` and ``top_share`` (rated in
        ``top``), the four-fifths comparison of top-rating shares against ``reference_group``
        (``impact_ratio, adverse_impact, p_value_fisher, p_value_adjusted, flips_with_one,
        small_sample, excluded``, from the adverse-impact engine), and the Mann–Whitney
        comparison of the whole distribution with the reference group's:
        ``prob_superiority`` = P(rated higher) + ½ P(rated the same) — 0.5 means no
        difference, below 0.5 that the group is rated lower — with ``z_mann_whitney`` and
        ``p_value_mann_whitney``.
    distribution : pandas.DataFrame
        ``group, rating, rating_rank, count, group_total, share``, ratings in order.
    test : dict
        Kruskal–Wallis test of equal rating distributions across all groups
        (``statistic, df, p_value``).
    top : tuple
        The rating values counted as "top".
    """

    table: pd.DataFrame
    distribution: pd.DataFrame
    test: dict[str, Any]
    unknown: pd.DataFrame
    group_columns: tuple[str, ...]
    rating: str
    order: tuple[Any, ...]
    top: tuple[Any, ...]
    reference_group: str | None
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "performance ratings"
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "count", "employees", "group_total", "n", "top_count",
    })
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell).
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "mean_rank", "mean_rating", "prob_superiority", "top_share",
    })

    def _repr_headline(self) -> str:
        return f"{len(self.table)} groups, Kruskal–Wallis {p_text(self.test.get('p_value'))}"

    def shares(self) -> pd.DataFrame:
        """Rating shares as a groups × ratings matrix (ratings in order)."""
        wide = self.distribution.pivot(index="group", columns="rating_rank", values="share")
        wide.columns = [self.order[i - 1] for i in wide.columns]
        return wide

    def _top_label(self) -> str:
        return " or ".join(str(t) for t in self.top)

    @property
    def threshold(self) -> float:
        """The impact-ratio threshold the top-rating shares were compared with."""
        return float(Fraction(str(self.params.get("threshold", 0.8))))

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        top = self._top_label()
        threshold = self.threshold
        for row in self.table.itertuples(index=False):
            if row.is_reference:
                continue
            if row.adverse_impact and not row.excluded:
                severe = row.p_value_adjusted < self.alpha and not row.flips_with_one
                text = (
                    f"{row.top_share:.1%} of {row.group} employees were rated {top}, "
                    f"{format_ratio(row.impact_ratio, threshold)} times the share of "
                    f"{row.reference_group} (Fisher {p_text(row.p_value_fisher)})"
                )
                text += (
                    f": evidence of adverse impact under {threshold_rule(threshold)}."
                    if severe
                    else f": below {threshold_line(threshold)}, not statistically significant."
                )
                out.append(Headline(severity=3 if severe else 2, text=text,
                                    figure=row.impact_ratio, section=self.kind))
            if (
                math.isfinite(row.p_value_mann_whitney)
                and row.p_value_mann_whitney < self.alpha
                and row.prob_superiority < 0.5
            ):
                out.append(Headline(
                    severity=2,
                    text=f"{row.group} employees are rated lower than {row.reference_group} "
                    f"overall: a {row.group} employee is rated higher than a "
                    f"{row.reference_group} employee with probability "
                    f"{row.prob_superiority:.2f} (0.5 = parity; Mann–Whitney "
                    f"{p_text(row.p_value_mann_whitney)}).",
                    figure=row.prob_superiority, section=self.kind,
                ))
        return by_severity(out)

    def summary(self) -> str:
        lines = [f"Performance ratings ({self.rating}) by {' × '.join(self.group_columns)}"]
        lines.extend(self._rows_text())
        lines.append(shares_text(self.shares()))
        lines.append(
            f"Kruskal–Wallis H = {self.test['statistic']:.4g} on {self.test['df']} df, "
            f"{p_text(self.test['p_value'])}. Top rating: {self._top_label()}."
        )
        cols = ["group", "n", "mean_rank", "top_share", "impact_ratio", "adverse_impact",
                "p_value_fisher", "prob_superiority", "p_value_mann_whitney"]
        lines.append(table_text(self.table[cols]))
        return self._summary_text(lines)


@explains_reference()
def rating_disparity(
    data: Any,
    *,
    group: str | Sequence[str],
    rating: str,
    order: Sequence[Any] | None = None,
    top: Any | Sequence[Any] | None = None,
    reference: object | None = None,
    threshold: float | Fraction | str = 0.8,
    adjust: str = "holm",
    alpha: float = 0.05,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
) -> RatingDisparityResult:
    """Compare performance-rating distributions between groups.

    - **Distribution** of ratings per group (count and share at each rating, in order).
    - **Ordinal test**: Kruskal–Wallis across all groups, and per group the Mann–Whitney test
      against the reference group with the probability of superiority. Rank tests suit
      ordinal ratings: they use only the order of the ratings, assume nothing about their
      spacing or distribution, and handle the heavy ties of a 5-point scale with mid-ranks.
    - **Top-rating share** per group with the four-fifths comparison, Fisher's test and the
      practical-significance checks of the adverse-impact engine ("rated top" as the
      selection). The reference group is the highest top-rating share among groups of at
      least ``min_n`` people and 2% of employees (ties: the largest), unless ``reference=``.

    Parameters
    ----------
    data : DataFrame
        One row per employee (pandas, polars, pyarrow, DuckDB ...). Never modified.
    group : str or list of str
        Group column, or several for intersectional groups.
    rating : str
        Rating column (numbers, or labels with ``order=``). Missing ratings are excluded and
        counted.
    order : list, optional
        Every rating, lowest first (required for text labels; numbers sort by value when
        omitted). Ratings in the data but not in ``order`` are an error (listed).
    top : value or list, optional
        Rating(s) counted as "top" (default: the highest in ``order``).
    reference, threshold, adjust, alpha, min_share, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact`.

    Returns
    -------
    RatingDisparityResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Ratings missing from ``order``.
    InvalidParameterError
        Text ratings without ``order=``, or ``top`` not in ``order``.
    InsufficientDataError
        No usable rows or fewer than two groups.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0)
    >>> rd = fh.rating_disparity(staff, group="sex", rating="performance_rating",
    ...                          min_share=0.02)
    >>> rd.table[["group", "top_share", "impact_ratio", "prob_superiority"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
            group  top_share  impact_ratio  prob_superiority
    0      Female      0.052         0.527             0.443
    1        Male      0.099         1.000             0.500
    2  Non-binary      0.048           NaN             0.549
    """
    group_cols = _check(group, rating, alpha=alpha, min_n=min_n)
    unknown_labels = as_labels(unknown_labels)
    read, counts = count_by_value(data, group_cols, rating, "rating", unknown_labels)
    counts, order, label_notes = _rating_labels(counts, order, rating)
    order_list, top_values = _order_and_top(counts["__rating"], order, top, rating)
    pos = positions(order_list)
    top_ranks = {place(pos, t) for t in top_values}
    oc = ordered_counts(counts, key="__rating", column=rating, order=order_list,
                        group_cols=group_cols, what="rating disparity")
    warnings: list[str] = [*read.warnings, *label_notes, *oc.warnings]
    in_top = oc.unknown["__rating"].map(lambda v: place(pos, v) in top_ranks)
    unknown = pd.DataFrame({"employees": [int(oc.unknown["n"].sum())],
                            "top_count": [int(oc.unknown.loc[in_top, "n"].sum())]})
    grid, groups = oc.grid, oc.groups
    top_n = _top_counts(grid, order_list, top_ranks, top_values, warnings)
    options = dict(threshold=threshold, adjust=adjust, alpha=alpha, min_share=min_share,
                   min_n=min_n)
    ai_t, reference_group = _top_share_comparison(groups, grid.sum(axis=1), top_n, reference,
                                                  options, warnings)
    table = _group_table(grid, groups, order_list, top_n, ai_t, reference_group)
    kw = ordinal_test(grid)
    rows_acc = RowAccount.of(read.total, oc.excluded)
    params = {
        "group": group_cols, "rating": rating, "order": list(order_list), "top": top_values,
        "reference": reference, "threshold": str(threshold), "adjust": adjust, "alpha": alpha,
        "min_share": min_share, "min_n": min_n, "unknown_labels": list(unknown_labels),
    }
    dist = _distribution(grid, groups, order_list)
    return RatingDisparityResult(
        table=table, distribution=dist,
        test={"test": "Kruskal–Wallis", "statistic": kw.statistic, "df": kw.df,
              "p_value": kw.p_value},
        unknown=unknown, group_columns=tuple(group_cols), rating=rating,
        order=tuple(order_list), top=tuple(top_values), reference_group=reference_group,
        alpha=alpha, fingerprint=fingerprint_frame(dist),
        warnings=tuple(dict.fromkeys(warnings)), rows=rows_acc, params=params,
    )


def _check(group: Any, rating: Any, *, alpha: float, min_n: int) -> list[str]:
    """Check the options once, at the boundary; return the group columns."""
    group_cols = check_columns(group, rating, argument="rating")
    check_alpha(alpha)
    check_min_n(min_n)
    return group_cols


def _rating_labels(counts: pd.DataFrame, order: Sequence[Any] | None, rating: str
                   ) -> tuple[pd.DataFrame, Sequence[Any] | None, list[str]]:
    """Text ratings read by the core's rule for rating labels (as rubric_consistency reads
    them): a word that means "not rated" ("N/A") and that ``order=`` does not list is a missing
    rating, counted; without ``order=``, labels that carry their point ("4 - Exceeds") or
    belong to a known scale are put in order by their points (one label per point: spellings
    of a point are counted as its first label). Returns the counts, the order and the notes."""
    present = [v for v in dict.fromkeys(counts["__rating"].tolist()) if not is_missing(v)]
    if not any(isinstance(v, str) for v in present):
        return counts, order, []
    reading = read_rating_labels(present, column=rating, order=order)
    if reading is None:
        return counts, order, []  # _order_and_top's error names the text ratings
    if order is not None:
        return _relabel(counts, {v: None for v in present if v not in reading.points}), order, []
    first: dict[Any, Any] = {}
    for label, point in sorted(reading.points.items(), key=lambda kv: (kv[1], str(kv[0]))):
        first.setdefault(point, label)
    relabel = {v: first[reading.points[v]] if v in reading.points else None for v in present}
    return (_relabel(counts, relabel), list(first.values()),
            [reading.note] if reading.note else [])


def _relabel(counts: pd.DataFrame, relabel: dict[Any, Any]) -> pd.DataFrame:
    if not relabel:
        return counts
    ratings = counts["__rating"].map(lambda v: relabel.get(v, v) if not is_missing(v) else v)
    return counts.assign(__rating=ratings.astype(object))


def _order_and_top(ratings: pd.Series, order: Sequence[Any] | None, top: Any,
                   rating: str) -> tuple[list[Any], list[Any]]:
    """The ratings in order (text ratings need ``order=``) and the top rating(s)."""
    present = [v for v in ratings.tolist() if not is_missing(v)]
    if order is None:
        text = [v for v in dict.fromkeys(present)
                if isinstance(v, str) or not isinstance(v, int | float | np.number)]
        if text:
            raise InvalidParameterError(
                f"column {rating!r} holds text ratings {preview(text)}; {scale_hint(text)}."
            )
    order_list = check_order(present, order, column=rating, argument="order")
    if top is None:
        return order_list, [order_list[-1]]
    pos = positions(order_list)
    top_values = list(top) if isinstance(top, list | tuple | set) else [top]
    bad = [t for t in top_values if place(pos, t) is None]
    if bad:
        raise InvalidParameterError(
            f"top={top!r} holds ratings not in the order {order_list!r}: {preview(bad)}."
        )
    return order_list, top_values


def _top_counts(grid: np.ndarray, order_list: list[Any], top_ranks: set[int],
                top_values: list[Any], warnings: list[str]) -> np.ndarray:
    """People rated top in each group; warn about ratings nobody received."""
    unused = [order_list[k] for k in np.flatnonzero(grid.sum(axis=0) == 0)]
    if unused:
        warnings.append(f"no employee was rated {preview(unused)}.")
    top_mask = np.zeros(len(order_list), dtype=bool)
    top_mask[list(top_ranks)] = True
    top_n = grid[:, top_mask].sum(axis=1)
    if top_n.sum() == 0:
        warnings.append(
            f"no employee was rated {' or '.join(map(str, top_values))}: top-rating shares are "
            "all zero."
        )
    return top_n


def _distribution(grid: np.ndarray, groups: list[str], order_list: list[Any]) -> pd.DataFrame:
    n_g = grid.sum(axis=1)
    return pd.DataFrame(
        [
            {"group": lab, "rating": order_list[k], "rating_rank": k + 1,
             "count": int(grid[j, k]), "group_total": int(n_g[j]),
             "share": grid[j, k] / n_g[j] if n_g[j] else math.nan}
            for j, lab in enumerate(groups) for k in range(len(order_list))
        ],
        columns=DISTRIBUTION_COLUMNS,
    )


def _top_share_comparison(groups: list[str], n_g: np.ndarray, top_n: np.ndarray,
                          reference: Any, options: dict[str, Any],
                          warnings: list[str]) -> tuple[pd.DataFrame, str | None]:
    """The four-fifths comparison of top-rating shares (the adverse-impact engine) against the
    core's reference: the highest top-rating share among groups large enough."""
    from ..impact.analysis import adverse_impact_from_counts

    choice = pick_reference(
        groups, n_g.tolist(), [Fraction(int(k), int(n)) for k, n in zip(top_n, n_g, strict=True)],
        reference=reference, min_n=options["min_n"], min_share=options["min_share"],
        what="top-rating share", warnings=warnings,
    )
    ai = adverse_impact_from_counts(
        {"__group": groups, "n": n_g.tolist(), "top": top_n.tolist()},
        group="__group", applicants="n", selected="top", reference=choice.label, **options,
    )
    warnings.extend(
        w.replace("applicants", "employees").replace("selected at stage 'top'", "rated top")
        for w in ai.warnings if NON_DISCLOSURE_NOTE not in w
    )
    ai_t = mark_tied(ai.table, choice).set_index("group")
    # the chosen reference, not the first of the groups tied with it (each is_reference)
    return ai_t, (str(choice.label) if choice.label is not None else None)


def _group_table(grid: np.ndarray, groups: list[str], order_list: list[Any], top_n: np.ndarray,
                 ai_t: pd.DataFrame, reference_group: str | None) -> pd.DataFrame:
    """One row per group: mean rank and rating, top share with the four-fifths comparison, and
    the Mann–Whitney comparison with the reference group."""
    n_g = grid.sum(axis=1)
    tot = grid.sum(axis=0).astype(float)
    before = np.concatenate([[0.0], np.cumsum(tot)[:-1]])
    midranks = before + (tot + 1) / 2
    numeric = all(isinstance(v, int | float | np.number) and not isinstance(v, bool)
                  for v in order_list)
    values = np.array(order_list, dtype=float) if numeric else None
    ref_j = groups.index(reference_group) if reference_group is not None else None
    rows = []
    for j, lab in enumerate(groups):
        a = ai_t.loc[lab]
        if ref_j is not None and lab != reference_group:
            mw = mann_whitney_counts(grid[j], grid[ref_j])
            ps, zmw, pmw = mw.prob_superiority, mw.z, mw.p_value
        else:
            ps, zmw, pmw = (0.5 if lab == reference_group else math.nan), math.nan, math.nan
        rows.append({
            "group": lab, "n": int(n_g[j]),
            "mean_rank": float(grid[j] @ midranks / n_g[j]) if n_g[j] else math.nan,
            "mean_rating": float(grid[j] @ values / n_g[j]) if values is not None and n_g[j]
            else math.nan,
            "top_count": int(top_n[j]), "top_share": top_n[j] / n_g[j] if n_g[j] else math.nan,
            "reference_group": reference_group, "is_reference": bool(a["is_reference"]),
            "impact_ratio": float(a["impact_ratio"]), "adverse_impact": bool(a["adverse_impact"]),
            "p_value_fisher": float(a["p_value_fisher"]),
            "p_value_adjusted": float(a["p_value_adjusted"]),
            "flips_with_one": bool(a["flips_with_one"]), "small_sample": bool(a["small_sample"]),
            "excluded": bool(a["excluded"]), "prob_superiority": ps, "z_mann_whitney": zmw,
            "p_value_mann_whitney": pmw,
        })
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)
