"""Public entry points: adverse impact from applicant-level data or from counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from .._core.options import Options, check_options, implemented_by, option_params
from .._core.params import check_choice
from .._core.reference_rows import explains_reference
from .._core.strata import missing_strata_warnings
from .._frames import as_columns, collect_pandas, fingerprint_frame, require_columns, to_narwhals
from .._results import RowAccount, jsonable
from ..errors import InsufficientDataError, InvalidParameterError
from .aggregate import (
    APPLIED,
    FunnelCounts,
    check_group_values,
    check_not_all_excluded,
    exclusion_warnings,
    funnel_from_stage_columns,
)
from .compare import compare
from .from_counts import funnel_from_counts
from .groups import clean_funnel_strata, clean_group_labels
from .in_process import leave_out_open, with_open_rows
from .result import AdverseImpactResult
from .stage_column import funnel_from_stage_column

__all__ = ["adverse_impact", "adverse_impact_from_counts"]


def _group_and_strata(
    group: str | Sequence[str], strata: str | Sequence[str] | None
) -> tuple[list[str], list[str]]:
    group_cols = as_columns(group, argument="group")
    strata_cols = as_columns(strata, argument="strata")
    _at_least_one(group_cols, "group")
    _disjoint(group_cols, strata_cols, "a group and a stratum column")
    return group_cols, strata_cols


def _at_least_one(columns: list[str], argument: str, what: str = "column") -> list[str]:
    if not columns:
        raise InvalidParameterError(f"{argument}= must name at least one {what}.")
    return columns


def _disjoint(columns: Sequence[str], others: Sequence[str], what: str) -> None:
    common = set(columns) & set(others)
    if common:
        raise InvalidParameterError(f"{sorted(common)} cannot be both {what}.")


def _adverse_impact(
    data: Any,
    *,
    group: str | Sequence[str],
    stages: str | Sequence[str] | None,
    stage_column: str | None,
    stage_order: Sequence[object] | None,
    strata: str | Sequence[str] | None,
    on_inconsistent: str,
    in_process: Any,
    options: Options,
) -> AdverseImpactResult:
    """The work of :func:`adverse_impact`, its comparison options checked."""
    group_cols, strata_cols = _group_and_strata(group, strata)
    on_inconsistent = check_choice(on_inconsistent, "on_inconsistent", ("raise", "exclude"))
    if (stages is None) == (stage_column is None):
        raise InvalidParameterError(
            "give the funnel either as stages=[yes/no columns in funnel order] or as "
            "stage_column='furthest stage reached' with stage_order=[...], not both or neither."
        )
    frame, n_open = leave_out_open(to_narwhals(data), in_process)
    counts = with_open_rows(_read_funnel(
        frame,
        group_cols,
        strata_cols,
        stages,
        stage_column,
        stage_order,
        on_inconsistent,
    ), n_open)
    params = {
        "group": group_cols,
        "stages": list(counts.stages),
        "stage_column": stage_column,
        "stage_order": list(stage_order) if stage_order is not None else None,
        "strata": strata_cols,
        **option_params(options),
        "on_inconsistent": on_inconsistent,
        "in_process": jsonable(in_process),
    }
    return build_result(counts, group_cols, strata_cols, options, params)


@explains_reference()
@implemented_by(_adverse_impact, options=check_options)
def adverse_impact(
    data: Any,
    *,
    group: str | Sequence[str],
    stages: str | Sequence[str] | None = None,
    stage_column: str | None = None,
    stage_order: Sequence[object] | None = None,
    in_process: Mapping[str, Any] | None = None,
    strata: str | Sequence[str] | None = None,
    reference: object | None = None,
    threshold: float | Fraction | str = 0.8,
    cumulative: bool = False,
    alternative: str = "two-sided",
    mid_p: bool = False,
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_share: float | None = None,
    min_n: int = 30,
    on_inconsistent: str = "raise",
    unknown_labels: Sequence[object] = (),
) -> AdverseImpactResult:
    """Test every stage of a hiring funnel for adverse impact.

    The data hold one row per applicant. The funnel is either boolean stage columns in funnel
    order (``stages=["screened", "interviewed", "offered", "hired"]``), or one column holding
    the furthest stage each applicant reached (``stage_column="stage_reached"`` with
    ``stage_order=["applied", "screened", ...]``, whose first entry is the entry stage). The
    work on rows is one group-by in the frame's own engine (pandas, polars eager or lazy,
    pyarrow, DuckDB ...); the statistics then run on the small table of counts.

    At each stage the selection rate of a group is the share of those who reached the previous
    stage who passed this one (``cumulative=True``: the share of everyone who applied). The
    bottom line (applied → final stage) is always reported, as stage ``"bottom line"``. Each
    group is compared with the reference group by the exact four-fifths comparison, the
    pooled two-proportion Z test, Fisher's exact test, the Z test on the impact ratio and the
    log CI of the impact ratio; Fisher p-values are adjusted over all comparisons (Holm by
    default). Practical significance: the one-person rule, two shortfall figures and a
    small-sample flag.

    The reference group at each stage is ``reference=``, or else the group with the highest
    rate among the groups large enough to give a stable rate: at least ``min_n`` people at
    that stage and at least 2% of those with a known group (ties: the largest group; every
    tied group gets ratio 1). Smaller groups are still compared, and marked
    ``too_small_for_reference``; when no group is large enough, the highest rate of all is
    used, with a warning.

    The rules every analysis shares apply: stage columns may hold True/False, 1/0, 1.0/0.0 or
    yes/no, y/n, t/f in any case; a blank outcome at a stage the applicant reached excludes
    the row, counted as ``"missing outcome (<stage>)"`` with a warning; group labels that
    differ only in case or spaces are merged under their most frequent spelling, with a
    warning; missing labels and ``unknown_labels`` are counted in ``unknown``.

    ``flagged`` (and the headlines) follow the exact four-fifths comparison
    (``adverse_impact``); ``significant`` is the adjusted Fisher p-value below ``alpha``.

    Parameters
    ----------
    data : DataFrame
        pandas, polars (eager or lazy), pyarrow, DuckDB or any narwhals-supported frame. Never
        modified.
    group : str or list of str
        Group column, or several for intersectional groups (``["sex", "race"]``).
    stages : str or list of str, optional
        Yes/no stage columns in funnel order (True/False, 1/0, yes/no ...).
    stage_column, stage_order : optional
        Alternative to ``stages``: the column with the furthest stage reached, and all stages
        in order starting with the entry stage.
    in_process : dict, optional
        Applications still open, e.g. ``{"Status": ["Active", "On hold"]}``: the column and
        its values (ignoring case and spaces) that mark an applicant still waiting for a
        decision. Those rows are left out before counting and counted as ``"still in
        process"``, with a warning; otherwise an open application at the interview stage reads
        as an applicant interviewed and not offered. A value the column does not hold is an
        error.
    strata : str or list of str, optional
        Columns to stratify by (requisition, location, period): adds Mantel–Haenszel, CMH and
        Breslow–Day per stage and group in :attr:`AdverseImpactResult.strata`, and a warning
        when the aggregate and stratified comparisons point opposite ways.
    reference : optional
        A fixed reference group (its label, e.g. ``"Male"`` or ``"Male × White"``; case and
        spaces are ignored when no label matches exactly).
    threshold : float, default 0.8
        Impact-ratio threshold, compared exactly (0.8 is read as 4/5).
    cumulative : bool, default False
        Rates against everyone who applied instead of stage by stage.
    alternative : {"two-sided", "less", "greater"}
        Alternative of Fisher's exact test ("less": the focal group is selected less often).
    mid_p : bool, default False
        Report Lancaster's mid-P instead of Fisher's p.
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Multiple-comparison adjustment of the Fisher p-values.
    alpha : float, default 0.05
        Level for the ``significant`` flag (on adjusted p-values).
    confidence : float, default 0.95
        Level of the impact-ratio CI.
    min_share : float, optional
        Groups below this share of applicants with a known group (e.g. 0.02) are listed but
        excluded from impact ratios (``excluded`` column).
    min_n : int, default 30
        Smallest group (at a stage) that can be the default reference group. Comparisons
        with a group smaller than this, or with an expected cell under 5, are flagged
        ``small_sample``.
    on_inconsistent : {"raise", "exclude"}
        What to do with rows selected at a stage without passing the previous one.
    unknown_labels : sequence, optional
        Group labels that mean "unknown" (e.g. ``["Unknown", "Decline to state"]``); counted
        with the missing values in :attr:`AdverseImpactResult.unknown`.

    Returns
    -------
    AdverseImpactResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        A stage column holds values that are not yes/no (listed), or the funnel is
        inconsistent (with ``on_inconsistent="raise"``).
    InvalidParameterError
        An invalid option (``cumulative="False"``, ``alpha="0.05"`` ...).
    InsufficientDataError
        The data are empty or hold fewer than two groups.

    Examples
    --------
    >>> import fairhire as fh
    >>> df = fh.datasets.make_hiring_funnel(5_000, random_state=0)
    >>> ai = fh.adverse_impact(df, group="sex",
    ...                        stages=["screened", "interviewed", "offered", "hired"])
    >>> cols = ["group", "applicants", "selected", "selection_rate", "impact_ratio"]
    >>> ai.table.loc[ai.table.stage == "interviewed", cols].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
            group  applicants  selected  selection_rate  impact_ratio
    3      Female         796       270            0.34          0.73
    4        Male         910       408            0.45          0.96
    5  Non-binary          45        21            0.47          1.00
    >>> int(ai.unknown.applicants.iloc[0])  # applicants with a missing sex
    120
    """


def _adverse_impact_from_counts(
    counts: Any,
    *,
    group: str | Sequence[str],
    applicants: str,
    selected: str | Sequence[str],
    stage: str | None,
    stage_order: Sequence[object] | None,
    strata: str | Sequence[str] | None,
    options: Options,
) -> AdverseImpactResult:
    """The work of :func:`adverse_impact_from_counts`, its comparison options checked."""
    group_cols, strata_cols = _group_and_strata(group, strata)
    selected_cols = _at_least_one(as_columns(selected, argument="selected"), "selected")
    if stage is not None and len(selected_cols) != 1:
        raise InvalidParameterError(
            "with stage= (a long table) give one selected= column; several selected columns "
            "describe a wide funnel without a stage column."
        )
    funnel = _read_counts(
        to_narwhals(counts, argument="counts"),
        group_cols,
        strata_cols,
        applicants,
        selected_cols,
        stage,
        stage_order,
    )
    params = {
        "group": group_cols,
        "applicants": applicants,
        "selected": selected_cols,
        "stage": stage,
        "stage_order": list(stage_order) if stage_order is not None else None,
        "strata": strata_cols,
        **option_params(options),
    }
    return build_result(funnel, group_cols, strata_cols, options, params)


@implemented_by(_adverse_impact_from_counts, options=check_options)
def adverse_impact_from_counts(
    counts: Any,
    *,
    group: str | Sequence[str],
    applicants: str = "applicants",
    selected: str | Sequence[str] = "selected",
    stage: str | None = None,
    stage_order: Sequence[object] | None = None,
    strata: str | Sequence[str] | None = None,
    reference: object | None = None,
    threshold: float | Fraction | str = 0.8,
    cumulative: bool = False,
    alternative: str = "two-sided",
    mid_p: bool = False,
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
) -> AdverseImpactResult:
    """Adverse impact from a table of counts (EEO reports, published tables, ATS summaries).

    Two layouts:

    - **long**: one row per (stage, group[, strata]) with ``applicants`` (those who reached the
      stage) and ``selected`` (those who passed it), and ``stage=`` naming the stage column;
    - **wide**: one row per group[, strata] with ``applicants`` (everyone who applied) and
      ``selected`` a list of cumulative count columns in funnel order
      (``selected=["screened", "hired"]``), or a single selected column.

    Rows with the same keys are added up, after the group labels are cleaned (``"Black"`` and
    ``"black "`` are one group, with a warning). Counts must be finite, whole, non-negative
    and below 2⁶³. Everything else is as in :func:`adverse_impact`.

    Parameters
    ----------
    counts : DataFrame or dict of columns
        The counts table (never modified).
    group, strata, reference, threshold, cumulative, alternative, mid_p, adjust, alpha, \
confidence, min_share, min_n, unknown_labels
        As in :func:`adverse_impact`.
    applicants : str
        Column of applicant counts.
    selected : str or list of str
        Column(s) of selected counts.
    stage : str, optional
        Stage column of a long table; ``stage_order`` optionally gives the funnel order.

    Returns
    -------
    AdverseImpactResult

    Examples
    --------
    UGESP Q&A 12 style table (focal 12 of 40, reference 48 of 80):

    >>> import fairhire as fh
    >>> counts = {"race": ["White", "Black"], "n": [80, 40], "hired": [48, 12]}
    >>> ai = fh.adverse_impact_from_counts(counts, group="race", applicants="n",
    ...                                    selected="hired")
    >>> row = ai.table.set_index("group").loc["Black"]
    >>> float(row.impact_ratio), bool(row.adverse_impact), round(float(row.p_value_fisher), 5)
    (0.5, True, 0.00341)
    >>> float(row.shortfall), int(row.shortfall_four_fifths)
    (12.0, 8)
    """


def _read_funnel(
    frame: Any,
    group_cols: list[str],
    strata_cols: list[str],
    stages: str | Sequence[str] | None,
    stage_column: str | None,
    stage_order: Sequence[object] | None,
    on_inconsistent: str,
) -> FunnelCounts:
    """The funnel counted from applicant rows: yes/no stage columns, or the furthest stage."""
    keys = [*group_cols, *strata_cols]
    if stages is not None:
        stage_cols = as_columns(stages, argument="stages")
        _at_least_one(stage_cols, "stages", "yes/no column")
        _disjoint(stage_cols, keys, "a stage and a group/strata column")
        require_columns(frame, group=group_cols, strata=strata_cols, stages=stage_cols)
        check_group_values(frame, keys)
        counts = funnel_from_stage_columns(
            frame, keys=keys, stages=stage_cols, on_inconsistent=on_inconsistent
        )
    else:
        if stage_order is None:
            raise InvalidParameterError(
                "stage_column= needs stage_order=[entry stage, next stage, ...] in funnel order."
            )
        require_columns(frame, group=group_cols, strata=strata_cols, stage_column=stage_column)
        check_group_values(frame, keys)
        counts = funnel_from_stage_column(
            frame, keys=keys, column=stage_column, stage_order=list(stage_order)
        )
    if counts.total_rows == 0:
        raise InsufficientDataError(
            "the data have no rows: nothing to analyse. Check the export or filter."
        )
    return counts


def _read_counts(
    frame: Any,
    group_cols: list[str],
    strata_cols: list[str],
    applicants: str,
    selected_cols: list[str],
    stage: str | None,
    stage_order: Sequence[object] | None,
) -> FunnelCounts:
    """The funnel read from a table of counts (long with a stage column, or wide)."""
    require_columns(
        frame,
        group=group_cols,
        strata=strata_cols,
        applicants=applicants,
        selected=selected_cols,
        stage=stage,
    )
    cols = list(
        dict.fromkeys(
            [*group_cols, *strata_cols, *([stage] if stage else []), applicants, *selected_cols]
        )
    )
    table = collect_pandas(frame.select(*cols))
    if len(table) == 0:
        raise InsufficientDataError("the counts table has no rows: nothing to analyse.")
    return funnel_from_counts(
        table,
        keys=[*group_cols, *strata_cols],
        applicants=applicants,
        selected=selected_cols,
        stage=stage,
        stage_order=stage_order,
    )


def build_result(
    counts: FunnelCounts,
    group_cols: Sequence[str],
    strata_cols: Sequence[str],
    options: Options,
    params: dict[str, Any],
) -> AdverseImpactResult:
    """Clean the labels of the counted funnel, compare the groups, and account for every row."""
    check_not_all_excluded(counts)
    fingerprint = fingerprint_frame(counts.table)
    counts, label_warnings = clean_group_labels(counts, group_cols, options.unknown_labels)
    counts, strata_warnings = clean_funnel_strata(counts, strata_cols)
    comp = compare(counts, group_cols=group_cols, strata_cols=strata_cols, options=options)
    excluded = dict(counts.excluded)
    if comp.unknown_rows:
        excluded["missing group"] = comp.unknown_rows
    used = counts.total_rows - sum(excluded.values())
    rows = RowAccount(total=counts.total_rows, used=used, excluded=excluded)
    warnings = [*exclusion_warnings(counts.excluded), *label_warnings, *strata_warnings,
                *comp.warnings]
    if strata_cols:
        known = counts.table.loc[[all(v is not None for v in row) for row in
                                  counts.table[list(group_cols)].itertuples(index=False)]]
        warnings += missing_strata_warnings(known, {c: c for c in strata_cols}, APPLIED)
    if comp.unknown_rows:
        warnings.append(
            f"{comp.unknown_rows:,} applicants have a missing or unknown group: counted in "
            "the unknown table, not compared."
        )
    return AdverseImpactResult(
        table=comp.table,
        strata=comp.strata,
        unknown=comp.unknown,
        group_columns=tuple(group_cols),
        stages=tuple(counts.stages),
        threshold=float(options.threshold),
        alpha=options.alpha,
        fingerprint=fingerprint,
        warnings=tuple(dict.fromkeys(warnings)),
        rows=rows,
        params=params,
    )
