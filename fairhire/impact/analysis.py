"""Public entry points: adverse impact from applicant-level data or from counts."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .._frames import as_columns, collect_pandas, fingerprint_frame, require_columns, to_narwhals
from .._results import RowAccount
from ..errors import InsufficientDataError, InvalidParameterError
from ..stats.proportions import as_fraction
from .aggregate import (
    check_group_values,
    funnel_from_counts,
    funnel_from_stage_column,
    funnel_from_stage_columns,
)
from .compare import Options, compare
from .result import AdverseImpactResult

__all__ = ["adverse_impact", "adverse_impact_from_counts"]


def _options(
    *,
    threshold: float | Fraction | str,
    reference: object | None,
    cumulative: bool,
    alternative: str,
    mid_p: bool,
    adjust: str,
    alpha: float,
    confidence: float,
    min_share: float | None,
    min_n: int,
    unknown_labels: Sequence[object],
) -> Options:
    if alternative not in {"two-sided", "less", "greater"}:
        raise InvalidParameterError(
            f"alternative={alternative!r}; use 'two-sided' (default), 'less' (the focal group "
            "is selected less often) or 'greater'."
        )
    if adjust not in {"holm", "fdr_bh", "bh", "bonferroni", "none"}:
        raise InvalidParameterError(
            f"adjust={adjust!r}; use 'holm' (default), 'fdr_bh' (Benjamini–Hochberg), "
            "'bonferroni' or 'none'."
        )
    if not 0 < alpha < 1:
        raise InvalidParameterError(f"alpha={alpha!r} must lie in (0, 1); use e.g. 0.05.")
    if not 0 < confidence < 1:
        raise InvalidParameterError(f"confidence={confidence!r} must lie in (0, 1).")
    if min_share is not None and not 0 <= min_share < 1:
        raise InvalidParameterError(
            f"min_share={min_share!r} must lie in [0, 1); NYC LL144 and UGESP use 0.02."
        )
    if isinstance(unknown_labels, str):
        unknown_labels = [unknown_labels]
    return Options(
        threshold=as_fraction(threshold),
        reference=reference,
        cumulative=bool(cumulative),
        alternative=alternative,
        mid_p=bool(mid_p),
        adjust="fdr_bh" if adjust == "bh" else adjust,
        alpha=float(alpha),
        confidence=float(confidence),
        min_share=min_share,
        min_n=int(min_n),
        unknown_labels=tuple(unknown_labels),
    )


def adverse_impact(
    data: Any,
    *,
    group: str | Sequence[str],
    stages: str | Sequence[str] | None = None,
    stage_column: str | None = None,
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
    group is compared with the reference group — the group with the highest rate (ties all
    get ratio 1), or ``reference=`` — by the exact four-fifths comparison, the pooled
    two-proportion Z test, Fisher's exact test, the Z test on the impact ratio and the log
    CI of the impact ratio; Fisher p-values are adjusted over all comparisons (Holm by
    default). Practical significance: the one-person rule, two shortfall figures and a
    small-sample flag.

    Parameters
    ----------
    data : DataFrame
        pandas, polars (eager or lazy), pyarrow, DuckDB or any narwhals-supported frame. Never
        modified.
    group : str or list of str
        Group column, or several for intersectional groups (``["sex", "race"]``).
    stages : str or list of str, optional
        Boolean (or 0/1) stage columns in funnel order.
    stage_column, stage_order : optional
        Alternative to ``stages``: the column with the furthest stage reached, and all stages
        in order starting with the entry stage.
    strata : str or list of str, optional
        Columns to stratify by (requisition, location, period): adds Mantel–Haenszel, CMH and
        Breslow–Day per stage and group in :attr:`AdverseImpactResult.strata`, and a warning
        when the aggregate and stratified comparisons point opposite ways.
    reference : optional
        A fixed reference group (its label, e.g. ``"Male"`` or ``"Male × White"``).
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
        Groups smaller than this, or an expected cell under 5, are flagged ``small_sample``.
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
        A stage column is not boolean or has missing values, or the funnel is inconsistent.
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
    group_cols = as_columns(group, argument="group")
    strata_cols = as_columns(strata, argument="strata")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if on_inconsistent not in {"raise", "exclude"}:
        raise InvalidParameterError(
            f"on_inconsistent={on_inconsistent!r}; use 'raise' (default) or 'exclude'."
        )
    if (stages is None) == (stage_column is None):
        raise InvalidParameterError(
            "give the funnel either as stages=[boolean columns in funnel order] or as "
            "stage_column='furthest stage reached' with stage_order=[...], not both or neither."
        )
    overlap = set(group_cols) & set(strata_cols)
    if overlap:
        raise InvalidParameterError(
            f"{sorted(overlap)} cannot be both a group and a stratum column."
        )
    options = _options(
        threshold=threshold, reference=reference, cumulative=cumulative,
        alternative=alternative, mid_p=mid_p, adjust=adjust, alpha=alpha,
        confidence=confidence, min_share=min_share, min_n=min_n,
        unknown_labels=unknown_labels,
    )  # fmt: skip
    frame = to_narwhals(data)
    keys = [*group_cols, *strata_cols]
    if stages is not None:
        stage_cols = as_columns(stages, argument="stages")
        if not stage_cols:
            raise InvalidParameterError("stages= must name at least one boolean column.")
        clash = set(stage_cols) & set(keys)
        if clash:
            raise InvalidParameterError(
                f"{sorted(clash)} cannot be both a stage and a group/strata column."
            )
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
    params = {
        "group": group_cols, "stages": list(counts.stages), "stage_column": stage_column,
        "stage_order": list(stage_order) if stage_order is not None else None,
        "strata": strata_cols, "reference": reference, "threshold": str(options.threshold),
        "cumulative": cumulative, "alternative": alternative, "mid_p": mid_p,
        "adjust": options.adjust, "alpha": alpha, "confidence": confidence,
        "min_share": min_share, "min_n": min_n, "on_inconsistent": on_inconsistent,
        "unknown_labels": list(options.unknown_labels),
    }  # fmt: skip
    return _result(counts, group_cols, strata_cols, options, params)


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

    Rows with the same keys are added up. Everything else is as in :func:`adverse_impact`.

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
    group_cols = as_columns(group, argument="group")
    strata_cols = as_columns(strata, argument="strata")
    selected_cols = as_columns(selected, argument="selected")
    if not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    if not selected_cols:
        raise InvalidParameterError("selected= must name at least one column.")
    if stage is not None and len(selected_cols) != 1:
        raise InvalidParameterError(
            "with stage= (a long table) give one selected= column; several selected columns "
            "describe a wide funnel without a stage column."
        )
    options = _options(
        threshold=threshold, reference=reference, cumulative=cumulative,
        alternative=alternative, mid_p=mid_p, adjust=adjust, alpha=alpha,
        confidence=confidence, min_share=min_share, min_n=min_n,
        unknown_labels=unknown_labels,
    )  # fmt: skip
    frame = to_narwhals(counts, argument="counts")
    require_columns(
        frame, group=group_cols, strata=strata_cols, applicants=applicants,
        selected=selected_cols, stage=stage,
    )  # fmt: skip
    cols = list(dict.fromkeys([*group_cols, *strata_cols, *([stage] if stage else []),
                               applicants, *selected_cols]))  # fmt: skip
    table = collect_pandas(frame.select(*cols))
    if len(table) == 0:
        raise InsufficientDataError("the counts table has no rows: nothing to analyse.")
    funnel = funnel_from_counts(
        table, keys=[*group_cols, *strata_cols], applicants=applicants,
        selected=selected_cols, stage=stage, stage_order=stage_order,
    )  # fmt: skip
    params = {
        "group": group_cols, "applicants": applicants, "selected": selected_cols,
        "stage": stage, "stage_order": list(stage_order) if stage_order is not None else None,
        "strata": strata_cols, "reference": reference, "threshold": str(options.threshold),
        "cumulative": cumulative, "alternative": alternative, "mid_p": mid_p,
        "adjust": options.adjust, "alpha": alpha, "confidence": confidence,
        "min_share": min_share, "min_n": min_n,
        "unknown_labels": list(options.unknown_labels),
    }  # fmt: skip
    return _result(funnel, group_cols, strata_cols, options, params)


def _result(counts, group_cols, strata_cols, options, params) -> AdverseImpactResult:
    comp = compare(counts, group_cols=group_cols, strata_cols=strata_cols, options=options)
    excluded = dict(counts.excluded)
    if comp.unknown_rows:
        excluded["missing group"] = comp.unknown_rows
    used = counts.total_rows - sum(excluded.values())
    rows = RowAccount(total=counts.total_rows, used=used, excluded=excluded)
    warnings = list(comp.warnings)
    if counts.excluded.get("inconsistent funnel"):
        warnings.insert(
            0,
            f"{counts.excluded['inconsistent funnel']:,} rows with an inconsistent funnel "
            "(selected at a stage without passing the one before) were excluded.",
        )
    if comp.unknown_rows:
        warnings.append(
            f"{comp.unknown_rows:,} applicants have a missing or unknown group: counted in "
            "`unknown`, not compared."
        )
    return AdverseImpactResult(
        table=comp.table,
        strata=comp.strata,
        unknown=comp.unknown,
        group_columns=tuple(group_cols),
        stages=tuple(counts.stages),
        threshold=float(options.threshold),
        alpha=options.alpha,
        fingerprint=fingerprint_frame(counts.table),
        warnings=tuple(warnings),
        rows=rows,
        params=params,
    )
