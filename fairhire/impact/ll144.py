"""NYC Local Law 144 bias audits of automated employment decision tools (6 RCNY §5-300–5-304).

A bias audit reports, separately for sex categories, race/ethnicity categories and every
sex × race/ethnicity intersection, the number of applicants, the selection rate (tools that
select or classify) or the scoring rate (tools that score: the share scoring *above the median
score of the full sample*), and the impact ratio: the category's rate divided by the highest
category's rate. Individuals in an unknown category are counted and reported apart, never in a
ratio. An auditor may exclude a category under 2% of the data from the impact ratios, but must
still report its counts and rate, with the justification. The law sets no impact-ratio
threshold; fairhire adds the four-fifths comparison (29 CFR 1607.4(D)) and Fisher's exact test
as clearly labelled additional information.

The row-level work (validation, the median score, one group-by over sex and race) runs in the
data's own engine through narwhals; the tables are built from the small table of counts by the
same comparison code as :func:`fairhire.adverse_impact` (:mod:`fairhire.impact.ll144_tables`).
The result is in :mod:`fairhire.impact.ll144_result`, the disclosures of the summary of results
in :mod:`fairhire.impact.ll144_disclosures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.names import internal_name
from .._core.options import check_options
from .._core.params import check_choice, check_share
from .._deprecation import renamed_argument
from .._engine_stats import median as engine_median
from .._frames import (
    collect_pandas,
    column_names,
    fingerprint_frame,
    numbers_from_objects,
    require_columns,
    sum_true,
    to_narwhals,
)
from .._results import RowAccount, jsonable
from ..errors import InsufficientDataError, InvalidParameterError
from .aggregate import (
    APPLIED,
    check_group_values,
    exclusion_warnings,
    funnel_from_stage_columns,
    sel_col,
)
from .eeo import EEOColumn
from .in_process import IN_PROCESS, leave_out_open
from .ll144_categories import ethnicity_hint, read_columns, sex_race_cells
from .ll144_disclosures import missing_disclosures, read_disclosures, text_option
from .ll144_result import LL144Audit
from .ll144_tables import TableSpec, ll144_tables
from .scores import scored_rows

__all__ = ["LL144Audit", "ll144_audit"]

_N, _K = "__fh_n", "__fh_k"


# --------------------------------------------------------------------------------------------
# Reading the data (in the caller's engine)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    """Individuals (``_N``) and selected / above-median (``_K``) per raw (sex, race) label."""

    table: pd.DataFrame
    total: int
    excluded: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    median: float | None = None
    at_median: int = 0


def _selection_counts(frame: Any, keys: list[str], selected: str) -> _Counts:
    funnel = funnel_from_stage_columns(
        frame, keys=keys, stages=[selected], on_inconsistent="raise", argument="selected"
    )
    table = funnel.table.rename(columns={APPLIED: _N, sel_col(selected): _K})[[*keys, _N, _K]]
    warnings = [
        f"{n:,} rows excluded, {reason}: a blank outcome is counted, never read as not selected."
        for reason, n in funnel.excluded.items()
    ]
    return _Counts(table, funnel.total_rows, dict(funnel.excluded), warnings)


def _score_counts(frame: Any, keys: list[str], score: str, missing_score: str) -> _Counts:
    rows = scored_rows(frame, score, missing_score=missing_score)
    if rows.total == 0:
        raise InsufficientDataError("the data have no rows: nothing to audit.")
    work = rows.frame
    # exact in every supported engine (Spark: percentile; DuckDB: quantile_cont)
    median = float(engine_median(work, score)["median"].iloc[0])
    flag = internal_name("above_median", column_names(work))
    work = work.with_columns((nw.col(score) > median).alias(flag))
    at_median = collect_pandas(work.select(sum_true(nw.col(score) == median, work).alias("t")))
    funnel = funnel_from_stage_columns(
        work, keys=keys, stages=[flag], on_inconsistent="raise", total_rows=rows.used
    )
    table = funnel.table.rename(columns={APPLIED: _N, sel_col(flag): _K})[[*keys, _N, _K]]
    warnings = [
        w.replace("were excluded", "were left out of the audit and of the median")
        for w in rows.warnings()
    ]
    return _Counts(table, rows.total, rows.excluded, warnings, median, int(at_median["t"].iloc[0]))


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _share(value: Any) -> Fraction | None:
    share = check_share(value, "min_share")
    if share is None:
        return None
    if share == 0:
        raise InvalidParameterError(
            "min_share=0 excludes nothing; leave it out, or use the DCWP rule's 0.02 (2%)."
        )
    return Fraction(str(value)) if not isinstance(value, Fraction) else value


def _outcome(
    sex: str, race: str, selected: str | None, score: str | None, ethnicity: str | None = None
) -> str:
    if (selected is None) == (score is None):
        raise InvalidParameterError(
            "give exactly one of selected= (a yes/no column: the tool selected or advanced "
            "the individual) for a selection-rate audit, or score= (a numeric column) for a "
            "scoring-rate audit; got " + ("both." if selected is not None else "neither.")
        )
    named = {"sex": sex, "race": race, "ethnicity": ethnicity,
             "selected" if selected is not None else "score": selected or score}
    seen: dict[str, str] = {}
    for argument, column in named.items():
        if column is not None and column in seen:
            raise InvalidParameterError(
                f"{seen[column]}= and {argument}= both name the column {column!r}; each needs "
                "a column of its own."
            )
        if column is not None:
            seen[column] = argument
    return str(selected or score)


def ll144_audit(
    data: Any,
    *,
    sex: str,
    race: str,
    ethnicity: str | None = None,
    selected: str | None = None,
    score: str | None = None,
    in_process: Mapping[str, Any] | None = None,
    min_share: float | Fraction | str | None = None,
    category_map: Mapping[Any, Any] | None = None,
    unknown_labels: Sequence[Any] = (),
    exclusion_justification: str | None = None,
    missing_score: str = "exclude",
    alpha: float = 0.05,
    min_n: int = 1,
    audit_date: Any = None,
    auditor: str | None = None,
    employer: str | None = None,
    tool_name: str | None = None,
    tool_distribution_date: Any = None,
    data_source: str | None = None,
    data_description: str | None = None,
    data_period: Any = None,
    data_type: str = "historical",
    test_data_explanation: str | None = None,
    exclude_under: float | Fraction | str | None = None,
    period: Any = None,
) -> LL144Audit:
    """Bias audit of an automated employment decision tool under NYC Local Law 144.

    Builds the tables of 6 RCNY §5-301 — sex categories, race/ethnicity categories and every
    intersection of the two — with the number of applicants, the number selected (or scoring
    above the median), the selection (or scoring) rate and the impact ratio, and reports the
    individuals in an unknown category apart. With ``selected=`` it is a selection-rate audit
    (a tool that selects candidates to move forward or classifies them); with ``score=`` a
    scoring-rate audit: the median score of the full sample (everyone with a score, unknown
    categories included) is computed, and a category's scoring rate is the share of its
    members scoring **strictly above** that median (a score equal to the median is not above
    it). Impact ratios divide each rate by the highest rate, from unrounded rates.

    The highest-rate category of each table is chosen by the rule every fairhire analysis
    uses (:func:`fairhire._core.reference.choose_reference`), with ``min_n=1`` by default: any
    category with at least 2% of the table's individuals can be the highest (the DCWP rule's
    own threshold for small categories); ties go to the largest category. A category under 2%
    with a higher rate is still listed and compared (impact ratio above 1, marked
    ``too_small_for_reference``); ``min_share=0.02`` leaves it out of the ratios altogether,
    as 6 RCNY §5-301(d) allows. The DCWP rule's worked examples are reproduced exactly.

    Parameters
    ----------
    data : DataFrame
        One row per individual the tool assessed: pandas, polars (eager or lazy), pyarrow,
        DuckDB or any narwhals-supported frame (e.g. ``pandas.read_csv("applicants.csv")``).
        Never modified.
    sex, race : str
        The sex and the race/ethnicity columns. Labels are read onto the EEO-1 categories (see
        :func:`fairhire.impact.eeo.read_labels`): the official and DCWP spellings are
        recognised; missing values and labels such as "Decline to self-identify" are unknown.
        Race labels are EEO-1 categories, in which Hispanic or Latino applicants of any race
        are "Hispanic or Latino"; when the Hispanic or Latino question is in a column of its
        own, name it with ``ethnicity=``.
    ethnicity : str, optional
        The answers to a separate Hispanic or Latino question (the OMB two-question format):
        "Hispanic or Latino" / "Not Hispanic or Latino" in the usual spellings, or yes/no.
        As in EEO-1 reporting, a Hispanic or Latino answer puts the individual in the
        Hispanic or Latino category whatever the race; otherwise the race category applies.
        A known race without an answer is an unknown race/ethnicity (counted, with a warning).
        Without ``ethnicity=``, a column whose name suggests the question gives a warning
        when no race label is Hispanic or Latino.
    selected : str, optional
        Yes/no column (True/False, 1/0, yes/no ...): True when the tool selected the
        individual to move forward. Blank values are counted and left out
        (``"missing outcome (<column>)"``), with a warning.
    score : str, optional
        Numeric column with the tool's score. Exactly one of ``selected`` and ``score``. Rows
        with a missing or an infinite (±inf) score are left out of the audit and of the
        median, counted by reason, with a warning.
    in_process : dict, optional
        Applications still open, left out before counting and counted as "still in process"
        (with ``selected``): ``{"Status": ["Active", "On hold"]}``, as in
        :func:`fairhire.adverse_impact`. An open application is not a rejection.
    min_share : float, optional
        Exclude from the impact ratios the categories under this share of the individuals with
        a known value in that table (the DCWP rule allows 0.02). Excluded categories are still
        listed with their counts, rate and reason. Compared exactly (a category at exactly 2%
        is kept). Renamed from ``exclude_under=``, which still works for one release with a
        FutureWarning.
    category_map : dict, optional
        The data set's own labels mapped onto categories, e.g. ``{"Latinx": "Hispanic or
        Latino", "Non-binary": "Other", "Not stated": None}`` (None = unknown); or
        ``{"sex": {...}, "race": {...}}`` (keys may also be the two column names), e.g. for
        numeric codes ``{"sex": {1: "Male", 2: "Female"}, "race": {1: "White", 2: "Asian"}}``.
        Any label that is neither recognised nor mapped is an error that lists it.
    unknown_labels : sequence, optional
        Further labels meaning "unknown" (compared ignoring case and spaces). Labels that
        differ only in case or spaces are merged first, with a warning.
    exclusion_justification : str, optional
        The auditor's justification for excluding small categories, printed in the summary of
        results (a default explains the 2% rule when categories were excluded).
    missing_score : {"exclude", "raise"}
        Rows with a missing score are left out of the audit and counted (default), or raise.
    alpha : float, default 0.05
        Level at which the additional Fisher test is called significant in headlines.
    min_n : int, default 1
        Smallest category that can be the highest-rate category (see above).
    audit_date, auditor, employer, tool_name, tool_distribution_date, data_source, \
data_description, data_period, data_type, test_data_explanation
        Disclosure fields for the published summary of results (6 RCNY §5-303): the date of
        the audit, the source and explanation of the data, the period it covers (a text such
        as ``"2025"`` or a pair of dates; renamed from ``period=``, which still works for one
        release with a FutureWarning), the tool and its distribution date. ``data_type="test"`` requires ``test_data_explanation`` (why
        historical data were not used and how the test data were made, §5-302(b)). Missing
        required fields give a warning and a headline, not an error, so a draft can be
        produced first. Dates are ``datetime.date`` or ISO strings.

    Returns
    -------
    LL144Audit

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        Labels that are not EEO-1 categories (listed), a ``selected`` column with values that
        are not yes/no, a non-numeric score, or missing scores with ``missing_score="raise"``.
    InvalidParameterError
        Both or neither of ``selected`` and ``score``, or an invalid option.

    Examples
    --------
    The DCWP rule's selection-rate example for sex (Male 667 of 1,390 selected, Female 555 of
    1,181):

    >>> import pandas as pd
    >>> import fairhire as fh
    >>> rows = ([("Male", "White", True)] * 667 + [("Male", "White", False)] * 723
    ...         + [("Female", "Asian", True)] * 555 + [("Female", "Asian", False)] * 626)
    >>> df = pd.DataFrame(rows, columns=["sex", "race", "advanced"])
    >>> ll = fh.ll144_audit(df, sex="sex", race="race", selected="advanced",
    ...                     audit_date="2026-01-15", data_source="ATS export",
    ...                     tool_distribution_date="2025-03-01")
    >>> ll.sex[["category", "applicants", "selected", "selection_rate", "impact_ratio"]].round(3)
      category  applicants  selected  selection_rate  impact_ratio
    0     Male        1390       667            0.48         1.000
    1   Female        1181       555            0.47         0.979

    A scoring-rate audit on the synthetic funnel, with a synthetic score:

    >>> df = fh.datasets.make_hiring_funnel(3_000, random_state=0)
    >>> df["score"] = (df.index % 97).astype(float)
    >>> ll = fh.ll144_audit(df, sex="sex", race="race", score="score", min_share=0.02)
    >>> ll.median_score, ll.n_unknown
    (48.0, 180)
    """
    min_share = renamed_argument(
        "ll144_audit", "exclude_under", "min_share", exclude_under, min_share
    )
    data_period = renamed_argument("ll144_audit", "period", "data_period", period, data_period)
    _outcome(sex, race, selected, score, ethnicity)
    missing_score = check_choice(missing_score, "missing_score", ("exclude", "raise"))
    cut = _share(min_share)
    metadata = read_disclosures(
        audit_date=audit_date,
        auditor=auditor,
        employer=employer,
        tool_name=tool_name,
        tool_distribution_date=tool_distribution_date,
        data_source=data_source,
        data_description=data_description,
        data_period=data_period,
        data_type=data_type,
        test_data_explanation=test_data_explanation,
    )
    options = check_options(alpha=alpha, min_n=min_n)
    if isinstance(unknown_labels, str):
        unknown_labels = [unknown_labels]
    frame, n_open = _leave_out_open(numbers_from_objects(to_narwhals(data), [score]),
                                    in_process, score)
    groups = [sex, race] if ethnicity is None else [sex, race, ethnicity]
    counts = _with_open(_count(frame, groups, selected, score, missing_score), n_open)
    columns = read_columns(counts.table, groups, _N, category_map, unknown_labels)
    if ethnicity is None:
        counts.warnings.extend(ethnicity_hint(column_names(frame), groups, columns[1]))
    spec = TableSpec(
        count_col="selected" if selected is not None else "above_median",
        rate_col="selection_rate" if selected is not None else "scoring_rate",
        min_share=cut,
        options=options,
    )
    params = {
        "sex": sex,
        "race": race,
        "ethnicity": ethnicity,
        "selected": selected,
        "score": score,
        "min_share": float(cut) if cut is not None else None,
        "category_map": jsonable(category_map) if category_map is not None else None,
        "unknown_labels": [str(v) for v in unknown_labels],
        "missing_score": missing_score,
        "in_process": jsonable(in_process),
        "alpha": options.alpha,
        "min_n": options.min_n,
    }
    return _audit(counts, tuple(columns), spec, metadata, exclusion_justification, params)


def _leave_out_open(frame: Any, in_process: Any, score: str | None) -> tuple[Any, int]:
    """The frame without applications still open (:mod:`.in_process`), and how many."""
    if in_process is not None and score is not None:
        raise InvalidParameterError(
            "in_process= leaves open applications out of a selection-rate audit (selected=); "
            "a scoring-rate audit reads the scores, which open applications have too.")
    return leave_out_open(frame, in_process)


def _with_open(counts: _Counts, n_open: int) -> _Counts:
    if not n_open:
        return counts
    return replace(counts, total=counts.total + n_open,
                   excluded={IN_PROCESS: n_open, **counts.excluded},
                   warnings=[*exclusion_warnings({IN_PROCESS: n_open}), *counts.warnings])


def _count(
    frame: Any, groups: list[str], selected: str | None, score: str | None, missing_score: str
) -> _Counts:
    """Individuals and selected (or above-median) per raw (sex, race[, ethnicity]) label, in
    the engine."""
    require_columns(
        frame, **dict(zip(("sex", "race", "ethnicity"), groups, strict=False)),
        selected=selected, score=score,
    )
    check_group_values(frame, groups)
    if score is not None:
        counts = _score_counts(frame, groups, score, missing_score)
    else:
        counts = _selection_counts(frame, groups, selected)
    if counts.total == 0:
        raise InsufficientDataError("the data have no rows: nothing to audit.")
    return counts


def _audit(
    counts: _Counts,
    columns: tuple[EEOColumn, ...],
    spec: TableSpec,
    metadata: dict[str, Any],
    exclusion_justification: str | None,
    params: dict[str, Any],
) -> LL144Audit:
    """The tables, the warnings in the order a reader needs them, and the result."""
    cells, lost = sex_race_cells(counts.table, (_N, _K), *columns)
    warnings = [*counts.warnings, *(w for c in columns for w in c.warnings), *lost]
    tables = ll144_tables(cells, spec, warnings)
    cut = spec.min_share
    justification = _justification(tables, cut, exclusion_justification, warnings)
    _more_warnings(tables, counts, params["score"], metadata, warnings)
    keys = counts.table.astype({c.column: object for c in columns})
    return LL144Audit(
        sex=tables[0],
        race=tables[1],
        intersectional=tables[2],
        unknown=tables[3],
        basis="selection" if params["selected"] is not None else "scoring",
        median_score=counts.median,
        n_individuals=int(cells["n"].sum()),
        metadata=metadata,
        exclude_under=float(cut) if cut is not None else None,
        exclusion_justification=justification,
        label_mapping=pd.DataFrame(
            [r for c in columns for r in c.rows], columns=["column", "label", "category", "read_as"]
        ),
        alpha=spec.options.alpha,
        fingerprint=fingerprint_frame(keys),
        warnings=tuple(dict.fromkeys(warnings)),
        rows=_rows(counts, cells),
        params=params,
    )


def _rows(counts: _Counts, cells: pd.DataFrame) -> RowAccount:
    excluded = dict(counts.excluded)
    both_unknown = int(cells.loc[cells["sex"].isna() & cells["race"].isna(), "n"].sum())
    if both_unknown:
        excluded["unknown sex and race/ethnicity"] = both_unknown
    return RowAccount(
        total=counts.total, used=counts.total - sum(excluded.values()), excluded=excluded
    )


def _justification(
    tables: tuple[pd.DataFrame, ...],
    cut: Fraction | None,
    given: str | None,
    warnings: list[str],
) -> str | None:
    """The auditor's justification for excluding small categories (a default when needed)."""
    excluded_any = any(bool((t["excluded"] & (t["applicants"] > 0)).any()) for t in tables[:3])
    justification = text_option(given, "exclusion_justification")
    if not excluded_any:
        return None
    warnings.append(
        "categories under the exclusion threshold are listed with their counts and rates "
        "but excluded from the impact ratios."
    )
    return justification or (
        f"Categories with fewer than {float(cut):.0%} of the individuals in a table are too "
        "small for a stable impact ratio: one or two selections would move it widely. As "
        "6 RCNY §5-301(d) allows, they are excluded from the impact-ratio calculations; "
        "their numbers of applicants and rates are reported."
    )


def _more_warnings(
    tables: tuple[pd.DataFrame, ...],
    counts: _Counts,
    score: str | None,
    metadata: dict[str, Any],
    warnings: list[str],
) -> None:
    """Warnings in the order a reader needs them, after the tables' own."""
    for name, t in (("sex", tables[0]), ("race/ethnicity", tables[1])):
        if int((t["applicants"] > 0).sum()) < 2:
            warnings.append(
                f"fewer than two {name} categories have individuals: no {name} comparison is "
                "possible."
            )
    if counts.at_median:
        warnings.append(
            f"{counts.at_median:,} individuals scored exactly the median ({counts.median:g}); "
            "they count as not scoring above it."
        )
    unknown = tables[3]
    n_unknown = int(unknown.loc[unknown["table"] == "intersectional", "applicants"].iloc[0])
    if n_unknown:
        warnings.append(
            f"{n_unknown:,} individuals have an unknown sex or race/ethnicity: they are reported "
            "separately and are in no impact ratio."
        )
    missing = missing_disclosures(metadata)
    if missing:
        warnings.append(
            "the published summary of results must also state: " + "; ".join(missing) + "."
        )
