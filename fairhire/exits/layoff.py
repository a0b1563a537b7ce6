"""Reductions in force: does selection for layoff fall harder on a group, or on older workers?

A layoff is a selection decision (UGESP), and for age the Age Discrimination in Employment Act
protects people aged 40 and over (29 U.S.C. § 631). One group-by in the data's engine counts
employees and selections per (group, decisional unit, job title, age in whole years); the
comparisons then run on that small table:

- by group: each group's selection rate against the reference group (the lowest selection rate
  among groups large enough), overall and within each decisional unit, with Mantel–Haenszel
  across units;
- by age: 40 and over against under 40, and each band of ``age_bands`` ("50 and over",
  "60 and over") against under 40, overall and within units; and a Cochran–Armitage test of
  whether the selection rate rises with age band;
- the OWBPA disclosure (29 U.S.C. § 626(f)(1)(H)): per decisional unit and job title, the
  number selected and not selected at each age. It is personal data, kept out of ``to_dict()``
  and reports unless asked for (``Report.add(rif, include_disclosure=True)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.groups import sort_key
from .._core.labels import as_labels
from .._core.missing import is_missing
from .._core.numbers import require_numeric
from .._core.options import Options, check_options, option_params
from .._core.reference_rows import explains_reference
from .._core.strata import stratum_order
from .._frames import fingerprint_frame, numbers_from_objects, require_columns, to_narwhals
from .._results import Headline, Result, RowAccount, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError, InvalidValueError, preview
from ._ages import UNDER_40, age_trend, ages_of, check_bands
from ._compare import OPTIONS, STRATA_COLUMNS, compare_groups, finish, rate_sentence, stratified
from ._counts import EVENT, LABEL, N, check_roles, read_counts
from ._owbpa import owbpa_table
from ._sums import CountSum, layoff_sums

__all__ = ["ReductionInForceResult", "reduction_in_force"]

ALL_UNITS = "All units"
RENAME = {"events": "selected", "event_rate": "selection_rate",
          "event_rate_ci_low": "selection_rate_ci_low",
          "event_rate_ci_high": "selection_rate_ci_high", "stayed": "retained",
          "rate_ratio": "selection_rate_ratio", "rate_ratio_ci_low": "selection_rate_ratio_ci_low",
          "rate_ratio_ci_high": "selection_rate_ratio_ci_high"}


@result_dataclass
class ReductionInForceResult(Result):
    """Adverse impact of selection for layoff, by group and by age, overall and per unit.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (``comparison``, ``unit``, ``group``). ``comparison`` is the group
        column(s) (e.g. "sex") or an age comparison ("age 40 and over", "age 50 and over" ...,
        each against "Under 40"); ``unit`` is a decisional unit or "All units". Columns:
        ``headcount``, ``selected`` (for layoff), ``selection_rate`` with a Wilson CI,
        ``retained``, ``retention_rate``, ``reference_group``, ``is_reference``,
        ``too_small_for_reference``, ``selection_rate_ratio`` with its log CI, the
        ``impact_ratio`` of retention rates (``ci_low``, ``ci_high``, ``adverse_impact``),
        ``z``, ``p_value_z``, ``p_value_fisher``, ``p_value_adjusted``, ``significant``,
        ``shortfall`` (selections above parity), ``shortfall_four_fifths``,
        ``flips_with_one``, ``small_sample``, ``flagged``.
    strata : pandas.DataFrame or None
        Per comparison and focal group, the Mantel–Haenszel odds ratio of *selection* across
        decisional units, CMH and Breslow–Day tests and ``reversal``.
    age_bands : pandas.DataFrame or None
        Selections per disjoint age band (under 40, 40–49, ...), for the trend test.
    trend : dict or None
        Cochran–Armitage test of a trend in the selection rate across the age bands:
        ``z`` (positive: rises with age), ``statistic``, ``p_value``.
    owbpa : pandas.DataFrame or None
        Private (see :attr:`private_fields`): ``unit, job_title, age, selected,
        not_selected``, the layout of the OWBPA disclosure (29 CFR 1625.22(f)(4)).
    unknown : pandas.DataFrame
        Employees left out of each comparison because their group or age is missing.
    """

    table: pd.DataFrame
    strata: pd.DataFrame | None
    age_bands: pd.DataFrame | None
    trend: dict[str, float] | None
    owbpa: pd.DataFrame | None
    unknown: pd.DataFrame
    group_columns: tuple[str, ...]
    unit: str | None
    age: str | None
    job_title: str | None
    threshold: float
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "reduction in force"
    flag_column: ClassVar[str | None] = "flagged"
    private_fields: ClassVar[dict[str, str | None]] = {"owbpa": "owbpa_summary"}
    count_columns: ClassVar[frozenset[str]] = frozenset({
        "headcount", "not_selected", "retained", "selected",
    })
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "ci_high", "ci_low", "impact_ratio", "retention_rate", "selection_rate",
        "selection_rate_ci_high", "selection_rate_ci_low", "selection_rate_ratio",
        "selection_rate_ratio_ci_high", "selection_rate_ratio_ci_low", "shortfall",
        "shortfall_four_fifths",
    })

    #: The privacy rule, as reports and ``to_dict()`` state it.
    PRIVACY_RULE: ClassVar[str] = (
        "The OWBPA disclosure lists the ages of the people selected and not selected in each "
        "decisional unit and job title; in small units these identify individuals. It is "
        "personal data for the people asked to sign a waiver, so it is left out of data "
        "exports and of reports unless whoever builds the report explicitly asks for the "
        "disclosure to be included."
    )

    def count_sums(self) -> list[CountSum]:
        """Counts that add up to another one shown (for ``min_cell``, see :mod:`._sums`)."""
        return layoff_sums(self.table, self.age_bands, self.params.get("age_bands", ()),
                           " × ".join(self.group_columns), ALL_UNITS, UNDER_40)

    @property
    def owbpa_summary(self) -> dict[str, Any] | None:
        """What the private OWBPA disclosure covers, without any age."""
        if self.owbpa is None:
            return None
        return {
            "decisional_units": int(self.owbpa["unit"].nunique()),
            "job_titles": int(self.owbpa["job_title"].nunique()),
            "selected": int(self.owbpa["selected"].sum()),
            "not_selected": int(self.owbpa["not_selected"].sum()),
            "privacy": self.PRIVACY_RULE,
        }

    def _repr_headline(self) -> str:
        comps = self.table["comparison"].nunique()
        return f"{comps} comparisons, {len(self.flagged)} flagged"

    def headlines(self) -> list[Headline]:
        """Plain-language findings, most serious first."""
        out: list[Headline] = []
        for row in self.flagged.itertuples(index=False):
            subject, reference = self._words(row)
            where = "" if row.unit == ALL_UNITS else f"In {row.unit}, "
            text = where + rate_sentence(
                subject=subject[0].lower() + subject[1:] if where and subject.startswith(
                    "Employees") else subject,
                verb="were selected for layoff", ratio=row.selection_rate_ratio,
                rate=row.selection_rate, reference=reference,
                ref_rate=self._rate(row.comparison, row.unit, row.reference_group),
                p_value=row.p_value_fisher, excess=row.shortfall, alpha=self.alpha)
            severe = bool(row.significant) and not row.flips_with_one
            if row.flips_with_one:
                text += "; one person's selection would change the result"
            elif not row.significant:
                text += "; not statistically significant"
            out.append(Headline(severity=3 if severe else 2, text=text + ".",
                                figure=row.selection_rate_ratio, section=row.comparison))
        if self.trend is not None and self.trend["p_value"] < self.alpha and self.trend["z"] > 0:
            from .._core.text import format_number, format_percent, p_text

            small = int(self.params.get("min_n", 30))  # a band's rate then needs its size
            rates = ", ".join(
                f"{format_percent(r.selection_rate)} ({r.band}"
                + (f", {r.selected:,} of {r.headcount:,})" if r.headcount < small else ")")
                for r in self.age_bands.itertuples(index=False) if r.headcount)
            out.append(Headline(
                severity=2, figure=self.trend["z"], section="age",
                text="The layoff selection rate rises with age (Cochran–Armitage trend test, "
                f"z = {format_number(self.trend['z'])}, {p_text(self.trend['p_value'])}): "
                f"{rates}.",
            ))
        return by_severity(out)

    @staticmethod
    def _words(row: Any) -> tuple[str, str]:
        if str(row.comparison).startswith("age "):
            return f"Employees aged {row.group}", "those under 40"
        return f"{row.group} employees", f"{row.reference_group} employees"

    def _rate(self, comparison: str, unit: str, group: Any) -> float:
        t = self.table
        hit = t.loc[(t["comparison"] == comparison) & (t["unit"] == unit) & (t["group"] == group)]
        return float(hit["selection_rate"].iloc[0]) if len(hit) else float("nan")

    def summary(self) -> str:
        lines = ["Reduction in force: selection for layoff"]
        lines.extend(self._rows_text())
        view = self.table.loc[self.table["unit"] == ALL_UNITS,
                              ["comparison", "group", "headcount", "selected", "selection_rate",
                               "selection_rate_ratio", "impact_ratio", "p_value_fisher",
                               "shortfall", "flagged"]]
        lines.append(table_text(view))
        if self.trend is not None:
            lines.append(f"Trend with age band: z = {self.trend['z']:.3g}, "
                         f"p = {self.trend['p_value']:.3g}.")
        if self.owbpa is not None:
            lines.append("OWBPA disclosure: withheld (personal data; see owbpa).")
        return self._summary_text(lines)


@explains_reference()
def reduction_in_force(
    data: Any,
    *,
    group: str | Sequence[str] | None = None,
    selected: str,
    unit: str | None = None,
    age: str | None = None,
    job_title: str | None = None,
    age_bands: Sequence[int] = (40, 50, 60),
    birth_date: str | None = None,
    as_of: Any = None,
    reference: Any = None,
    threshold: Any = 0.8,
    alternative: str = "two-sided",
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_n: int = 30,
    unknown_labels: Sequence[Any] = (),
    id: str | None = None,
) -> ReductionInForceResult:
    """Test a layoff list for adverse impact by group and by age, per decisional unit.

    The favourable outcome is being *retained*: each group's retention rate is compared with
    the reference group's by the exact four-fifths rule (UGESP), and the selection (termination)
    rates by their ratio, with Fisher's exact and the two-proportion Z test (Holm-adjusted
    over every comparison), the selections above parity and the one-person rule. Within each
    decisional ``unit`` the same comparison is made against the same reference group, and
    Mantel–Haenszel combines the units. With ``age=`` the same analysis compares 40 and over
    (the ADEA's protected class) and each band of ``age_bands`` ("50 and over", ...) with
    under 40, and a Cochran–Armitage test asks whether selection rises with age band; the
    OWBPA disclosure is built per unit and ``job_title`` (private: see
    :attr:`ReductionInForceResult.owbpa`).

    Parameters
    ----------
    data : DataFrame
        One row per employee in the layoff's scope (those who could have been selected), in
        any engine. Never modified.
    group : str or list of str, optional
        Group column(s) (sex, race ...). At least one of ``group`` and ``age`` is needed.
    selected : str
        Yes/no column: selected for layoff (blanks are counted as missing and excluded).
    unit : str, optional
        The decisional unit (department, site ...) within which selections were made.
    age : str, optional
        Age in years (numeric; read in whole years).
    job_title : str, optional
        Job title, for the OWBPA disclosure.
    age_bands : sequence of int, default (40, 50, 60)
        Ages (40 or more) whose "N and over" group is compared with under 40; they also cut
        the bands of the trend test.
    birth_date, as_of : str, date, optional
        Instead of ``age``: a date-of-birth column, and the date of the layoff decision. Ages
        are whole years on ``as_of`` (birthdays had by then), as the OWBPA disclosure counts
        them; text dates are read by the shared rule (ISO, or one unambiguous day/month order).
    reference : optional
        A fixed reference group for the group comparison (age comparisons always use under 40).
    threshold, alternative, adjust, alpha, confidence, min_n, unknown_labels
        As in :func:`fairhire.adverse_impact`.
    id : str, optional
        Employee id column: an id on two rows is an error, as in :func:`fairhire.retention`
        (rows with a blank ``selected`` are not compared).

    Returns
    -------
    ReductionInForceResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        ``selected`` is not yes/no; ``age`` not numeric or impossible; an ``id`` on two rows.
    InsufficientDataError
        No rows.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(5000, random_state=0, exits=True)
    >>> pool = staff[staff.laid_off.notna()]
    >>> rif = fh.reduction_in_force(pool, group="sex", selected="laid_off", unit="job_family",
    ...                             age="age", job_title="job_title")
    >>> t = rif.table[rif.table.unit == "All units"].set_index(["comparison", "group"])
    >>> t.loc["age 50 and over", ["headcount", "selected", "selection_rate_ratio"]].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
                 headcount  selected  selection_rate_ratio
    group
    50 and over         82        13                  2.04
    Under 40          2808       218                  1.00
    >>> "owbpa" in rif.to_dict()
    False
    """
    group_cols = check_roles(group, required=False, selected=selected, unit=unit, age=age,
                             job_title=job_title, birth_date=birth_date, id=id)
    data, age, notes = ages_of(data, age=age, birth_date=birth_date, as_of=as_of,
                               group=group_cols, selected=selected, unit=unit,
                               job_title=job_title, id=id)
    if not group_cols and age is None:
        raise InvalidParameterError(
            "give group= (e.g. 'sex'), age= (a column of ages in years), or both: a reduction "
            "in force is compared by group or by age."
        )
    options = check_options(threshold=threshold, alternative=alternative, adjust=adjust,
                            alpha=alpha, confidence=confidence, min_n=min_n)
    cuts = check_bands(age_bands)
    state = _read(data, group_cols, selected=selected, unit=unit, age=age,
                  job_title=job_title, unknown_labels=unknown_labels, ids=id)
    parts, strata_rows, unknown = _comparisons(state, group_cols, cuts, options, reference,
                                               by_unit=unit is not None)
    bands = trend = None
    if age is not None:
        bands, trend = age_trend(state.table, state.age_key, cuts)
    combined = pd.concat(parts, ignore_index=True)
    # the overall comparisons are one family of tests, those within units another
    table = finish(combined, options, family=combined["unit"] == ALL_UNITS).rename(columns=RENAME)
    table = table[["comparison", "unit", *[c for c in table.columns
                                           if c not in ("comparison", "unit")]]]
    strata = (pd.DataFrame(strata_rows, columns=["comparison", *STRATA_COLUMNS])
              if unit is not None else None)
    owbpa = None
    if age is not None:
        owbpa = owbpa_table(state.table, unit_key=state.unit_key, title_key=state.title_key,
                            age_key=state.age_key, warnings=state.warnings)
    state.warnings[:0] = notes
    params = {
        "group": group_cols, "selected": selected, "unit": unit,
        "age": None if birth_date is not None else age,
        "birth_date": birth_date, "as_of": None if as_of is None else str(as_of),
        "job_title": job_title, "age_bands": list(cuts), "reference": reference,
        **option_params(options, OPTIONS), "unknown_labels": list(as_labels(unknown_labels)),
    }
    return ReductionInForceResult(
        table=table, strata=strata, age_bands=bands, trend=trend, owbpa=owbpa,
        unknown=pd.DataFrame(unknown, columns=["comparison", "reason", "employees"]),
        group_columns=tuple(group_cols), unit=unit, age=birth_date or age, job_title=job_title,
        threshold=float(options.threshold), alpha=options.alpha,
        fingerprint=fingerprint_frame(state.table.astype(str)),
        warnings=tuple(dict.fromkeys(state.warnings)), rows=state.rows, params=params,
    )


def _read(data: Any, group_cols: list[str], *, selected: str, unit: str | None, age: str | None,
          job_title: str | None, unknown_labels: Sequence[Any], ids: str | None) -> _State:
    """Count employees and selections in one group-by (ages in whole years), then prepare."""
    keys = [c for c in (unit, job_title, age) if c is not None]
    frame = to_narwhals(data)
    require_columns(frame, group=group_cols, selected=selected, unit=unit, age=age,
                    job_title=job_title, id=ids)
    frame = numbers_from_objects(frame, [age])
    key_exprs = {}
    if age is not None:
        require_numeric(frame, age, argument="age", meaning="ages in years",
                        fix="for a date of birth, pass it as birth_date= with as_of= (the date "
                        "of the decision)")
        key_exprs[age] = nw.col(age).floor()
    counts = read_counts(frame, group_cols=group_cols, flag=selected, argument="selected",
                         keys=keys, key_exprs=key_exprs, unknown_labels=unknown_labels,
                         strata=[c for c in (unit, job_title) if c is not None],
                         ids=ids, analysis="reduction_in_force")
    return _prepare(counts, selected=selected, unit=unit, age=age, job_title=job_title,
                    grouped=bool(group_cols))


def _comparisons(state: _State, group_cols: list[str], cuts: tuple[int, ...], options: Options,
                 reference: Any, *, by_unit: bool) -> tuple[list, list[dict], list]:
    """The group comparison, then each age cut ("N and over" against under 40)."""
    parts, strata_rows, unknown = [], [], []
    if group_cols:
        name = " × ".join(group_cols)
        t, s, u = _comparison(state.table.assign(__c=state.table[LABEL]), name, options,
                              reference, state, by_unit)
        parts.append(t), strata_rows.extend(s), unknown.append(u)
    if state.age_key is not None:
        ages = state.table[state.age_key]
        for cut in cuts:
            label = np.where(ages < 40, UNDER_40, np.where(ages >= cut, f"{cut} and over", None))
            t, s, u = _comparison(state.table.assign(__c=label), f"age {cut} and over", options,
                                  UNDER_40, state, by_unit)
            parts.append(t), strata_rows.extend(s), unknown.append(u)
    return parts, strata_rows, unknown


def _check_unit_names(units: Any, unit: str | None) -> None:
    """A unit named like the overall rows ("All units") would be read as all of them."""
    clash = sorted({u for u in units if " ".join(u.split()).casefold() == ALL_UNITS.casefold()})
    if clash:
        raise InvalidValueError(
            f"column {unit!r} (passed as unit=) has a unit named {clash[0]!r}, the label of the rows "
            "over every unit: rename that unit in the data (e.g. 'All units (department)').")


@dataclass
class _State:
    table: pd.DataFrame
    unit_key: str | None
    title_key: str | None
    age_key: str | None
    rows: RowAccount
    warnings: list[str]


def _prepare(counts: Any, *, selected: str, unit: str | None, age: str | None,
             job_title: str | None, grouped: bool) -> _State:
    """Drop missing selections (counted), name missing units, check ages, account rows."""
    t, excluded, warnings = counts.known(selected)
    unit_key = counts.keys.get(unit) if unit else None
    title_key = counts.keys.get(job_title) if job_title else None
    age_key = counts.keys.get(age) if age else None
    for key, name in ((unit_key, unit), (title_key, job_title)):
        if key is None:
            continue
        gone = t[key].map(is_missing)
        if gone.any():
            warnings.append(f"{int(t.loc[gone, N].sum()):,} employees have a missing {name!r}: "
                            "kept as '(missing)'.")
        t[key] = t[key].astype(object).where(~gone, "(missing)").map(str)
    _check_unit_names(t[unit_key] if unit_key is not None else (), unit)
    no_age = pd.Series(False, index=t.index)
    if age_key is not None:
        t[age_key] = pd.to_numeric(t[age_key], errors="coerce").astype(float)
        no_age = t[age_key].isna()
        odd = t[age_key].notna() & ((t[age_key] < 14) | (t[age_key] > 100))
        if odd.any():
            raise InvalidValueError(
                f"column {age!r} (age) holds impossible ages {preview(sorted(t.loc[odd, age_key]))}"
                f" in {int(t.loc[odd, N].sum()):,} rows. Ages are in years (14 to 100); check "
                "for birth years or dates stored as numbers."
            )
    no_group = t[LABEL].isna() if grouped else pd.Series(not grouped, index=t.index)
    neither = no_group & no_age if age_key is not None else no_group
    if not grouped:
        neither = no_age
    if neither.any():
        reason = ("missing group and age" if grouped and age_key else
                  "missing group" if grouped else "missing age")
        excluded[reason] = int(t.loc[neither, N].sum())
    used = int(t.loc[~neither, N].sum())
    rows = RowAccount(total=counts.total, used=used, excluded=excluded)
    return _State(table=t, unit_key=unit_key, title_key=title_key, age_key=age_key, rows=rows,
                  warnings=warnings)


def _comparison(t: pd.DataFrame, name: str, options: Options, reference: Any, state: _State,
                by_unit: bool) -> tuple[pd.DataFrame, list[dict], tuple[str, str, int]]:
    """One comparison (a group column or an age cut): overall, per unit, and MH across units."""
    known = t.loc[t["__c"].notna()]
    left_out = int(t.loc[t["__c"].isna(), N].sum())
    what = "age" if name.startswith("age ") else "group"
    if name.startswith("age "):
        # people aged 40 up to the cut are not in this comparison: not missing, just not in it
        left_out = int(t.loc[t[state.age_key].isna(), N].sum())
    if left_out:
        state.warnings.append(f"{left_out:,} employees have a missing {what}: left out of the "
                              f"{name} comparison (counted in the unknown table).")
    cells = pd.DataFrame({
        "label": known["__c"].astype(str).to_numpy(),
        "unit": known[state.unit_key].to_numpy() if by_unit else ALL_UNITS,
        "headcount": known[N].to_numpy(),
        "events": np.where(known[EVENT].astype(bool), known[N], 0),
    }).groupby(["label", "unit"], sort=False).sum().reset_index()
    overall = cells.groupby("label", sort=False)[["headcount", "events"]].sum()
    labels = sorted(overall.index.tolist(), key=sort_key)
    overall = overall.loc[labels]
    if reference == UNDER_40 and UNDER_40 not in labels:
        reference = None  # no one under 40: the age cut has nothing to compare (warned below)
    rows, choice = compare_groups(labels, overall["headcount"].to_numpy(),
                                  overall["events"].to_numpy(), options=options,
                                  reference=reference, what="retention rate")
    if len(labels) < 2:  # the reference rule's own warning would only repeat this
        who = f"only the group {labels[0]!r} is" if labels else "no one is"
        state.warnings.append(f"{name}: {who} in the data, so there is nothing to compare.")
    elif choice.warning:
        state.warnings.append(f"{name}: {choice.warning}")
    parts = [rows.assign(unit=ALL_UNITS)]
    strata: list[dict] = []
    if by_unit and choice.label is not None:
        for u in sorted(cells["unit"].unique(), key=stratum_order):
            sub = (cells.loc[cells["unit"] == u].set_index("label")[["headcount", "events"]]
                   .reindex(labels, fill_value=0))
            unit_rows, _ = compare_groups(labels, sub["headcount"].to_numpy(),
                                          sub["events"].to_numpy(), options=options,
                                          reference=choice.label)
            parts.append(unit_rows.loc[sub["headcount"].to_numpy() > 0].assign(unit=u))
        for focal in labels:
            if focal != choice.label:
                strata.append({"comparison": name, **stratified(
                    cells, label="label", stratum="unit", focal=focal, reference=choice.label,
                    confidence=options.confidence, alpha=options.alpha)})
    table = pd.concat(parts, ignore_index=True).assign(comparison=name)
    return table, strata, (name, f"missing {what}", left_out)
