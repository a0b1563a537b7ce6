"""Cut-off analysis: the adverse impact of every candidate cut-off on an assessment score.

Selecting everyone who scores at or above a cut-off is a selection procedure; each candidate
cut-off has its own selection rates and impact ratios. UGESP (29 CFR 1607.3(B)) asks employers
to consider alternative procedures, and ways of using them, with less adverse impact; trying
other cut-offs is the simplest of these. This module computes, for each candidate cut-off, the
number selected and, per group, the rates, impact ratios, four-fifths flag and significance
tests (the adverse-impact engine's statistics); the ranges of cut-offs with no adverse impact;
and, for a target number of selections, the cut-off with the least adverse impact.

One cut-off applies to everyone. Group-specific cut-offs, or adjusting scores by group
("race-norming"), are unlawful in US employment (Civil Rights Act of 1991 §106, 42 U.S.C.
§2000e-2(l)); fairhire does not offer them.
"""

from __future__ import annotations

import re
import warnings as warnings_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.options import (
    COMPARISON_OPTIONS,
    Options,
    check_options,
    implemented_by,
    option_kwargs,
    option_params,
)
from .._core.params import check_bool, check_choice, check_int, check_number
from .._core.reference_rows import explains_reference
from .._frames import (
    as_columns,
    collect_pandas,
    fingerprint_frame,
    group_counts,
    numbers_from_objects,
    require_columns,
    to_narwhals,
)
from .._results import RowAccount
from ..errors import InvalidParameterError
from ..stats import proportions as sp
from .aggregate import check_group_values
from .analysis import adverse_impact_from_counts
from .compare import BOTTOM_LINE
from .cutoff_result import CutoffAnalysis, cutoff_text
from .cutoff_search import by_cutoff, no_adverse_impact_runs, target_cutoffs
from .scores import ScoredRows, scored_rows

__all__ = ["CutoffAnalysis", "cutoff_analysis"]

#: The statutory reason fairhire offers no group-specific cut-off (used in errors and docs).
SECTION_106 = (
    "fairhire applies one cut-off to everyone: adjusting scores or using different cut-offs "
    "by race, color, religion, sex or national origin is prohibited in US employment (Civil "
    "Rights Act of 1991 §106, 42 U.S.C. §2000e-2(l))."
)

# internal columns of the counts tables (never a user's column name)
_STAGE, _BIN, _N = "__fh_cutoff", "__fh_bin", "__fh_n"
_APPLICANTS, _SELECTED = "__fh_applicants", "__fh_selected"
_CRITERIA = ("either", "four_fifths", "significance", "both")
_NO_CUTOFF = "\x00"


def _candidates(work: Any, score: str, max_cutoffs: int, warnings: list[str]) -> np.ndarray:
    found = collect_pandas(work.select(nw.col(score).n_unique().alias("u")))
    n_unique = int(found["u"].iloc[0])
    if n_unique <= max_cutoffs:
        values = group_counts(work.select(nw.col(score)), [score])[score]
        return np.unique(values.to_numpy(dtype=float))
    qs = np.linspace(0.0, 1.0, max_cutoffs)
    # linear interpolation is the one quantile every backend (DuckDB included) supports
    exprs = [
        nw.col(score).quantile(float(q), interpolation="linear").alias(f"q{i}")
        for i, q in enumerate(qs)
    ]
    values = collect_pandas(work.select(*exprs)).iloc[0].to_numpy(dtype=float)
    warnings.append(
        f"{score!r} has {n_unique:,} distinct values: the candidate cut-offs are {max_cutoffs} "
        "evenly spaced quantiles. Pass cutoffs=[...] to examine particular values."
    )
    return np.unique(values)


def _balanced_sum(exprs: list[Any]) -> Any:
    # a balanced tree keeps the expression shallow for SQL backends (DuckDB ...)
    while len(exprs) > 1:
        exprs = [a + b for a, b in zip(exprs[::2], exprs[1::2], strict=False)] + (
            [exprs[-1]] if len(exprs) % 2 else []
        )
    return exprs[0]


def _counts_at_cutoffs(
    work: Any, group_cols: list[str], score: str, values: np.ndarray, higher_is_better: bool
) -> pd.DataFrame:
    """Applicants (``_N``) and selections at each cut-off (columns 0..K-1) per group.

    One pass in the data's engine: each row gets the number of cut-offs it passes (its bin),
    then one group-by over (group, bin) counts rows; the selections at each cut-off are
    cumulative sums of that small table. Passing cut-off i means passing every stricter one
    before it, so the bin says exactly which cut-offs a row passes.
    """
    col = nw.col(score)
    k = len(values)
    passes = [
        ((col >= float(c)) if higher_is_better else (col <= float(c))).cast(nw.Int32)
        for c in values
    ]
    binned = work.with_columns(_balanced_sum(passes).alias(_BIN))
    table = group_counts(binned.select(*group_cols, _BIN), [*group_cols, _BIN], count_name=_N)
    keys = table[group_cols].astype(object).where(table[group_cols].notna(), None)
    table = table.assign(**{c: keys[c] for c in group_cols})
    wide = table.pivot_table(
        index=group_cols,
        columns=_BIN,
        values=_N,
        aggfunc="sum",
        fill_value=0,
        dropna=False,
    )
    wide = wide.reindex(columns=range(k + 1), fill_value=0)
    n = wide.sum(axis=1)
    # rows in bin >= j pass the j cut-offs a bin-j row passes; cumulative from the top
    at_least = wide.iloc[:, ::-1].cumsum(axis=1).iloc[:, ::-1]
    if higher_is_better:  # score >= c_i  <=>  bin >= i + 1
        sel = {i: at_least[i + 1].to_numpy() for i in range(k)}
    else:  # score <= c_i  <=>  bin >= k - i
        sel = {i: at_least[k - i].to_numpy() for i in range(k)}
    out = wide.index.to_frame(index=False)
    return pd.concat([out, pd.DataFrame({_N: n.to_numpy(), **sel})], axis=1)


def _check_cutoffs(cutoffs: Any) -> np.ndarray:
    if isinstance(cutoffs, Mapping):
        raise InvalidParameterError(
            "cutoffs= must be a list of cut-offs applied to everyone, not a mapping of groups "
            "to cut-offs. " + SECTION_106
        )
    if isinstance(cutoffs, str) or not isinstance(cutoffs, Sequence | np.ndarray | pd.Series):
        cutoffs = [cutoffs]
    text = [c for c in list(cutoffs) if isinstance(c, str | bytes | bool | np.bool_)]
    if text:  # text is never read as a number in an argument ("60" or "60%"?)
        raise InvalidParameterError(
            f"cutoffs= must be numbers, not text or True/False; got {text[:5]!r}. Write them "
            "as numbers, e.g. cutoffs=[60, 70]."
        )
    try:
        values = np.asarray(list(cutoffs), dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"cutoffs= must be numbers; got {list(cutoffs)[:5]!r}."
        ) from None
    if values.size == 0 or not np.isfinite(values).all():
        raise InvalidParameterError("cutoffs= must hold at least one finite number.")
    return np.unique(values)


@dataclass(frozen=True)
class _Search:
    """The checked options of the search (as opposed to the comparison's)."""

    score: str
    group_cols: list[str]
    missing_score: str
    criterion: str
    max_cutoffs: int
    target_selected: int | None
    target_tolerance: float
    higher: bool


def _check(
    *,
    score: str,
    group: str | Sequence[str],
    missing_score: str,
    criterion: str,
    max_cutoffs: Any,
    target_selected: Any,
    target_tolerance: Any,
    higher_is_better: Any,
) -> _Search:
    """The search options of :func:`cutoff_analysis`, checked."""
    group_cols = as_columns(group, argument="group")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if score in group_cols:
        raise InvalidParameterError(f"{score!r} cannot be both the score and a group column.")
    return _Search(
        score=score,
        group_cols=group_cols,
        missing_score=check_choice(missing_score, "missing_score", ("exclude", "raise")),
        criterion=check_choice(criterion, "criterion", _CRITERIA),
        max_cutoffs=check_int(max_cutoffs, "max_cutoffs", low=2),
        target_selected=check_int(target_selected, "target_selected", low=1, allow_none=True),
        target_tolerance=check_number(
            target_tolerance,
            "target_tolerance",
            low=0,
            high=10,
            hint="0.1 allows up to 10% more selections than the target.",
        ),
        higher=check_bool(higher_is_better, "higher_is_better"),
    )


def _long(counts: pd.DataFrame, group_cols: list[str], labels: list[str]) -> pd.DataFrame:
    """One row per (cut-off, group): the long counts table of the adverse-impact engine."""
    k, g = len(labels), len(counts)
    return pd.DataFrame(
        {
            **{c: np.tile(counts[c].to_numpy(dtype=object), k) for c in group_cols},
            _STAGE: np.repeat(np.array(labels, dtype=object), g),
            _APPLICANTS: np.tile(counts[_N].to_numpy(), k),
            _SELECTED: np.concatenate([counts[i].to_numpy() for i in range(k)]),
        }
    )


def _compare(
    counts: pd.DataFrame, group_cols: list[str], values: np.ndarray, options: Options
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """The engine at every cut-off; Fisher p-values adjusted within each cut-off."""
    labels = [repr(float(c)) for c in values]
    with warnings_module.catch_warnings():
        # the engine widens a long counts table one stage column at a time; with hundreds of
        # cut-offs pandas warns about fragmentation (harmless; reported to the engine's owner)
        warnings_module.simplefilter("ignore", pd.errors.PerformanceWarning)
        ai = adverse_impact_from_counts(
            _long(counts, group_cols, labels),
            group=group_cols,
            applicants=_APPLICANTS,
            selected=_SELECTED,
            stage=_STAGE,
            stage_order=labels,
            **{**option_kwargs(options), "adjust": "none"},
        )
    value_of = dict(zip(labels, values.tolist(), strict=True))
    # cut-offs are alternatives, not a funnel: counts that happen to chain (the lowest
    # cut-off selecting everyone) get no "bottom line"
    table = ai.table.loc[ai.table["stage"] != BOTTOM_LINE]
    table = table.drop(columns=["basis"]).rename(columns={"stage": "cutoff"})
    table["cutoff"] = table["cutoff"].map(value_of).astype(float)
    # The family of comparisons is the groups at one cut-off: the cut-offs are alternatives.
    adjusted = np.full(len(table), np.nan)
    for _, idx in table.groupby("cutoff", sort=False).indices.items():
        adjusted[idx] = sp.adjust_pvalues(table["p_value_fisher"].to_numpy()[idx], options.adjust)
    table["p_value_adjusted"] = adjusted
    table["significant"] = (table["p_value_adjusted"] < options.alpha) & ~table["is_reference"]
    table = table.sort_values(["cutoff"], kind="stable").reset_index(drop=True)
    unknown = ai.unknown.loc[ai.unknown["stage"] != BOTTOM_LINE].rename(columns={"stage": "cutoff"})
    unknown["cutoff"] = unknown["cutoff"].map(value_of).astype(float)
    unknown = unknown.sort_values("cutoff", kind="stable").reset_index(drop=True)
    return table, unknown, ai.warnings


def _stage_names(match: re.Match) -> str:
    found = [v for v in re.findall(r"'([^']*)'", match[2]) if v != BOTTOM_LINE]
    cuts = [cutoff_text(float(v)) for v in found]
    if not cuts:
        return _NO_CUTOFF
    if len(cuts) == 1:
        return f"cut-off {cuts[0]}"
    if len(cuts) <= 5:
        return f"cut-offs {', '.join(cuts)}"
    return f"{len(cuts)} of the cut-offs ({cuts[0]} to {cuts[-1]})"


def _cutoff_warnings(engine: tuple[str, ...]) -> list[str]:
    """The engine's warnings, with its stages named as cut-offs."""
    out = []
    for w in engine:
        if "not chained" in w:
            continue
        text = re.sub(r"(stages?) ('[^']*'(?:, '[^']*')*)", _stage_names, w)
        if _NO_CUTOFF not in text:  # a warning about the (dropped) bottom line only
            out.append(text)
    return out


def _cutoff_analysis(
    data: Any, *, cutoffs: Sequence[float] | None, search: _Search, options: Options
) -> CutoffAnalysis:
    """The work of :func:`cutoff_analysis`, its search and comparison options checked."""
    if isinstance(cutoffs, Mapping):
        _check_cutoffs(cutoffs)
    score, group_cols = search.score, search.group_cols
    frame = to_narwhals(data)
    require_columns(frame, score=score, group=group_cols)
    frame = numbers_from_objects(frame, [score])
    check_group_values(frame, group_cols)
    warnings: list[str] = []
    rows = scored_rows(frame, score, missing_score=search.missing_score)
    if cutoffs is not None:
        values = _check_cutoffs(cutoffs)
    else:
        values = _candidates(rows.frame, score, search.max_cutoffs, warnings)
    counts = _counts_at_cutoffs(rows.frame, group_cols, score, values, search.higher)
    table, unknown, engine_warnings = _compare(counts, group_cols, values, options)
    warnings = [*rows.warnings(), *warnings, *_cutoff_warnings(engine_warnings)]
    given = values.tolist() if cutoffs is not None else None
    return _result(search, options, rows, counts, (table, unknown), given, warnings)


@explains_reference()
@implemented_by(_cutoff_analysis, search=_check, options=check_options)
def cutoff_analysis(
    data: Any,
    *,
    score: str,
    group: str | Sequence[str],
    cutoffs: Sequence[float] | None = None,
    target_selected: int | None = None,
    target_tolerance: float = 0.1,
    higher_is_better: bool = True,
    max_cutoffs: int = 200,
    threshold: float | Fraction | str = 0.8,
    alpha: float = 0.05,
    adjust: str = "holm",
    reference: object | None = None,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
    missing_score: str = "exclude",
    criterion: str = "either",
) -> CutoffAnalysis:
    """Adverse impact of each candidate cut-off on a score, and the least adverse one.

    For every candidate cut-off ``c``, everyone scoring at or above ``c`` is selected
    (``higher_is_better=False``: at or below). Per group: applicants, selected, the selection
    rate, and against the group with the highest rate the impact ratio, the exact four-fifths
    flag, Fisher's exact test (adjusted over the groups within that cut-off), the Z tests,
    the CI of the ratio and the shortfalls — the adverse-impact engine
    (:func:`fairhire.adverse_impact_from_counts`) on the counts of each cut-off. Aggregation
    is one group-by in the data's own engine, whatever the number of cut-offs.

    A cut-off shows **adverse impact** (``criterion="either"``, the default) when a group is
    below four-fifths of the highest rate *or* its difference from it is statistically
    significant; ``"four_fifths"`` or ``"significance"`` use one test alone, ``"both"`` needs
    both (UGESP 1607.4(D) treats differences "significant in both statistical and practical
    terms" as adverse impact). With large samples tiny differences become significant, so
    look at the impact ratios as well. A cut-off that selects no one has neither. With
    ``target_selected``, the
    search looks at the cut-offs selecting at least that many and at most
    ``(1 + target_tolerance)`` times as many, and picks the one with the highest lowest impact
    ratio (cut-offs without adverse impact first; then fewer selected; then the higher
    cut-off); the strict top-down cut-off is reported next to it.

    One cut-off applies to everyone: group-specific cut-offs are prohibited (Civil Rights Act
    of 1991 §106), and a mapping of groups to cut-offs is an error.

    Parameters
    ----------
    data : DataFrame
        One row per candidate (pandas, polars, pyarrow, DuckDB ...). Never modified.
    score : str
        Numeric score column. Rows with a missing or an infinite (±inf) score are excluded
        and counted by reason, with a warning (``missing_score="raise"``: a missing score is
        an error instead).
    group : str or list of str
        Group column(s); several give intersectional groups.
    cutoffs : sequence of float, optional
        Candidate cut-offs. Default: every distinct score when there are at most
        ``max_cutoffs``, otherwise ``max_cutoffs`` evenly spaced quantiles.
    target_selected : int, optional
        Number of selections needed.
    target_tolerance : float, default 0.1
        How many more than the target may be selected (0.1 = up to 10% more).
    higher_is_better : bool, default True
        Select scores at or above the cut-off (False: at or below).
    max_cutoffs : int, default 200
        Most candidate cut-offs generated from the data.
    threshold, alpha, adjust, reference, min_share, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact` (``adjust`` applies within each cut-off). The
        reference group at each cut-off follows the shared rule: the highest rate among groups
        with at least ``min_n`` people and 2% of those compared (ties: the largest); smaller
        groups are compared and marked ``too_small_for_reference``. Group labels are cleaned
        as in :func:`fairhire.adverse_impact` (case/space variants merged, with a warning).
    missing_score : {"exclude", "raise"}
        What to do with rows whose score is missing.
    criterion : {"either", "four_fifths", "significance", "both"}
        What counts as adverse impact at a cut-off (see above).

    Returns
    -------
    CutoffAnalysis

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        The score is not numeric, or has missing values with ``missing_score="raise"``.
    InvalidParameterError
        Group-specific cut-offs, a target larger than the number of candidates, or another
        invalid option.
    InsufficientDataError
        No scored rows, or fewer than two groups.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import fairhire as fh
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"group": ["A"] * 400 + ["B"] * 400,
    ...                    "score": np.r_[rng.normal(52, 10, 400), rng.normal(48, 10, 400)].round()})
    >>> cut = fh.cutoff_analysis(df, score="score", group="group", target_selected=200)
    >>> bool(cut.by_cutoff["selected"].is_monotonic_decreasing)
    True
    >>> cut.best_cutoff <= cut.top_down_cutoff
    True
    """


def _result(
    search: _Search,
    options: Options,
    rows: ScoredRows,
    counts: pd.DataFrame,
    tables: tuple[pd.DataFrame, pd.DataFrame],
    cutoffs: list[float] | None,
    warnings: list[str],
) -> CutoffAnalysis:
    """The per-cut-off summary, the target search, the row account and the result."""
    table, unknown = tables
    summary = by_cutoff(table, unknown, search.criterion)
    best = top = None
    if search.target_selected is not None:
        best, top = target_cutoffs(
            summary, search.target_selected, search.target_tolerance, search.higher
        )
    excluded = dict(rows.excluded)
    unknown_rows = int(unknown["applicants"].iloc[0]) if len(unknown) else 0
    if unknown_rows:
        excluded["missing group"] = unknown_rows
    params = {
        "score": search.score,
        "group": search.group_cols,
        "cutoffs": cutoffs,
        "target_selected": search.target_selected,
        "target_tolerance": search.target_tolerance,
        "higher_is_better": search.higher,
        "max_cutoffs": search.max_cutoffs,
        **option_params(options, COMPARISON_OPTIONS),
        "missing_score": search.missing_score,
        "criterion": search.criterion,
    }
    keys = counts.astype({c: object for c in search.group_cols}).rename(columns=str)
    return CutoffAnalysis(
        table=table,
        by_cutoff=summary,
        no_adverse_impact_ranges=no_adverse_impact_runs(summary),
        unknown=unknown,
        group_columns=tuple(search.group_cols),
        score=search.score,
        higher_is_better=search.higher,
        target_selected=search.target_selected,
        target_tolerance=search.target_tolerance,
        best_cutoff=best,
        top_down_cutoff=top,
        threshold=float(options.threshold),
        alpha=options.alpha,
        criterion=search.criterion,
        fingerprint=fingerprint_frame(keys),
        warnings=tuple(dict.fromkeys(warnings)),
        rows=RowAccount(
            total=rows.total, used=rows.total - sum(excluded.values()), excluded=excluded
        ),
        params=params,
    )
