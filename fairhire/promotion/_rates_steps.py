"""Steps of :func:`fairhire.promotion_disparity`: count, compare within strata, fit the logit."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.counting import clean_row_labels, count_groups, pick_reference
from .._core.groups import sort_key
from .._core.labels import NON_DISCLOSURE_NOTE
from .._core.missing import missing_mask
from .._core.names import internal_names
from .._core.numbers import numbers_as_categories_in
from .._core.reference import find_group
from .._core.strata import (
    clean_category_columns,
    clean_stratum_rows,
    missing_strata_warnings,
    stratum_label,
    stratum_order,
    stratum_value,
)
from .._frames import collect_pandas
from ..errors import FairhireError, InsufficientDataError, InvalidParameterError
from ..stats.proportions import adjust_pvalues
from ..stats.regression import fit_logit

__all__ = ["Cells", "by_stratum", "count_cells", "employees", "logit", "mark_tied",
           "reference_of"]

STAGE = "promoted"
STRATUM = "stratum"

REGRESSION_COLUMNS = [
    "term", "group", "is_group", "coef", "se", "odds_ratio", "ci_low", "ci_high", "p_value",
]


@dataclass(frozen=True)
class Cells:
    """Employees (``n``) and promotions per (group, stratum), with what was left out."""

    table: pd.DataFrame
    total: int
    missing_outcome: int
    warnings: list[str]


def count_cells(frame: Any, group_cols: list[str], promoted: str,
                strata: dict[str, str], unknown_labels: tuple[object, ...] = (),
                ids: str | None = None) -> Cells:
    """One group-by in the engine; flags and labels by the core's rules (and with ``ids``,
    one row per person)."""
    # level and period values are labels too: "LEVEL 8 " and "Level 8" are one stratum
    counts = count_groups(frame, group_cols, keys=strata, flags={"promoted": promoted},
                          label_keys=strata, unknown_labels=unknown_labels, ids=ids,
                          analysis="promotion_disparity")
    t = counts.table
    if counts.total == 0:
        raise InsufficientDataError(
            "the data have no rows: nothing to analyse. Check the export or filter."
        )
    missing_outcome = int(t["promoted_missing"].sum())
    t = t.assign(n=t["n"] - t["promoted_missing"]).drop(columns=["promoted_missing"])
    if int(t["n"].sum()) == 0:
        raise InsufficientDataError(
            f"every value of {promoted!r} is missing ({counts.total:,} rows): nothing to compare."
        )
    warnings = list(counts.warnings)
    if missing_outcome:
        warnings.append(
            f"{missing_outcome:,} rows have a missing {promoted!r} value: excluded and counted."
        )
    warnings += missing_strata_warnings(t, strata, "n")
    if strata:
        t[STRATUM] = [stratum_label(row) for row in
                      t[list(strata)].astype(object).itertuples(index=False, name=None)]
    t = t.loc[t["n"] > 0].reset_index(drop=True)
    return Cells(table=t, total=counts.total, missing_outcome=missing_outcome,
                 warnings=warnings)


def reference_of(cells: pd.DataFrame, reference: Any, min_n: int, warnings: list[str],
                 where: str = "", min_share: float | None = None) -> Any:
    """The reference group of these cells (a ReferenceChoice): the core's rule on promotion
    rates."""
    known = cells.loc[cells["group"].notna()]
    per = known.groupby("group", sort=False)[["n", STAGE]].sum()
    labels = sorted(per.index, key=sort_key)
    per = per.loc[labels]
    scores = [Fraction(int(k), int(n)) if n else None for n, k in zip(per["n"], per[STAGE],
                                                                      strict=True)]
    choice = pick_reference(labels, per["n"].tolist(), scores, reference=reference,
                            min_n=min_n, what="promotion rate", warnings=warnings, where=where,
                            min_share=min_share)
    return choice


def mark_tied(table: pd.DataFrame, choice: Any) -> pd.DataFrame:
    """Every group tied with the reference is a reference too (impact ratio 1, no test), as
    the core's rule says, so results never depend on which tied label was picked."""
    tied = [choice.labels[i] for i in choice.tied[1:]]
    ref = table.loc[table["group"] == choice.label]
    if not tied or ref.empty:
        return table
    out = table.copy()
    hit = out["group"].isin(tied)
    first = ref.iloc[0]
    for c in out.columns:
        if c in ("stage", "basis", "group", "applicants", "selected", "selection_rate",
                 "reference_group", "small_sample", "excluded"):
            continue
        if c in ("is_reference", "impact_ratio", "adverse_impact", "flips_with_one",
                 "significant") or pd.isna(first[c]):
            out.loc[hit, c] = first[c]
    return out


def employees(warning: str) -> str:
    """The engine speaks of applicants and selections; here they are employees and promotions."""
    warning = re.sub(r"np\.str_\(('[^']*'|\"[^\"]*\")\)", r"\1", warning)
    return (
        warning.replace("applicants", "employees")
        .replace("no one was selected", "no one was promoted")
        .replace("selection rate", "promotion rate")
    )


def by_stratum(cells: pd.DataFrame, strata: dict[str, str], options: dict[str, Any],
               reference: Any, warnings: list[str]) -> pd.DataFrame:
    """The four-fifths comparison inside each stratum, each with its own reference group
    (the core's rule within the stratum), p-values adjusted over all strata together."""
    from ..impact.analysis import adverse_impact_from_counts
    from ..impact.compare import TABLE_COLUMNS

    firsts = cells.drop_duplicates(STRATUM).set_index(STRATUM)
    order = sorted(firsts.index, key=lambda s: tuple(
        stratum_order(v) for v in firsts.loc[s, list(strata)]))
    parts = []
    all_groups = sorted(cells["group"].dropna().unique(), key=sort_key)
    for s in order:
        sub = cells.loc[(cells[STRATUM] == s) & cells["group"].notna()]
        sub = sub.groupby("group", sort=False)[["n", STAGE]].sum().reindex(all_groups,
                                                                            fill_value=0)
        for g in sub.index[sub["n"] == 0]:
            warnings.append(f"group {g!r} had no employees in stratum {s!r}.")
        sub = sub.loc[sub["n"] > 0].reset_index()
        absent_reference = reference is not None and not _names_a_group(reference, sub["group"])
        if absent_reference and len(sub) >= 2:
            warnings.append(f"the reference group {reference!r} has no employees in stratum "
                            f"{s!r}: the groups there are counted but not compared.")
        if len(sub) < 2 or absent_reference:
            parts.append(_uncompared(s, sub, all_groups))
            continue
        choice = reference_of(sub, reference, options["min_n"], warnings,
                              where=f"stratum {s!r}", min_share=options.get("min_share"))
        res = adverse_impact_from_counts(sub, group="group", applicants="n", selected=STAGE,
                                         **{**options, "reference": choice.label,
                                            "adjust": "none"})
        for w in res.warnings:
            if "min_share" not in w and NON_DISCLOSURE_NOTE not in w:
                warnings.append(employees(w).replace("at stage", "in stratum")
                                .replace(f"stage {STAGE!r}", f"stratum {s!r}"))
        part = mark_tied(res.table, choice).assign(stage=s)
        absent = pd.DataFrame({"group": [g for g in all_groups if g not in set(sub["group"])]},
                              dtype=object)
        parts.append(pd.concat([part, absent.assign(stage=s, applicants=0, selected=0)],
                               ignore_index=True) if len(absent) else part)
    # every column of a comparison, also when no stratum had two groups to compare
    out = pd.concat(parts, ignore_index=True).reindex(columns=TABLE_COLUMNS)
    out = out.rename(columns={"stage": STRATUM}).drop(columns=["basis"])
    out["p_value_adjusted"] = adjust_pvalues(out["p_value_fisher"].to_numpy(dtype=float),
                                             options["adjust"])
    out["significant"] = (out["p_value_adjusted"] < options["alpha"]).fillna(False)
    for c in ("adverse_impact", "flips_with_one", "small_sample", "excluded", "is_reference",
              "significant"):
        out[c] = out[c].astype(object).fillna(False).astype(bool)
    for c in ("applicants", "selected"):
        out[c] = out[c].astype("int64")
    values = firsts[list(strata)]
    for role, column in reversed(list(strata.items())):
        if column not in out.columns:
            out.insert(1, column, out[STRATUM].map(values[role]))
    return out.reset_index(drop=True)


def _names_a_group(reference: Any, groups: pd.Series) -> bool:
    """Whether ``reference`` names one of these groups (by the core's matching rule)."""
    labels = [str(g) for g in groups]
    try:
        find_group(reference, labels, list(groups))
    except InvalidParameterError:
        return False
    return True


def _uncompared(stratum: Any, sub: pd.DataFrame, all_groups: list[Any]) -> pd.DataFrame:
    """A stratum's counts with no comparison (one group, or no reference group, in it)."""
    per = sub.set_index("group")
    return pd.DataFrame({"stage": stratum, "group": all_groups,
                         "applicants": [int(per["n"].get(g, 0)) for g in all_groups],
                         "selected": [int(per[STAGE].get(g, 0)) for g in all_groups]})


def logit(frame: Any, *, group_cols: list[str], promoted: str, strata: dict[str, str],
          controls: list[str], reference_group: str | None, confidence: float,
          warnings: list[str], unknown_labels: tuple[object, ...] = (),
          ) -> tuple[pd.DataFrame | None, int]:
    """Logit of promotion on group indicators, stratum fixed effects and controls, fitted by
    :func:`fairhire.stats.regression.fit_logit`."""
    if reference_group is None:
        return None, 0
    labels, y, df = _informative_strata(
        *_logit_rows(frame, group_cols, promoted, strata, controls, warnings, unknown_labels),
        strata, warnings)
    rate = y.groupby(labels).mean()
    constant = sorted((g for g, r in rate.items() if r in (0.0, 1.0)), key=str)
    if reference_group in constant:
        warnings.append(
            f"the logistic regression was skipped: everyone in the reference group "
            f"{reference_group!r} has the same outcome, so odds ratios against it are undefined."
        )
        return None, 0
    if constant:
        warnings.append(
            f"no one (or everyone) was promoted in {', '.join(map(repr, constant))}: their odds "
            "ratios cannot be estimated, so they are left out of the logistic regression."
        )
    keep = ~labels.isin(constant)
    groups = sorted(labels[keep].unique(), key=str)
    if reference_group not in groups or len(groups) < 2 or y[keep].nunique() < 2:
        warnings.append("the logistic regression was skipped: fewer than two groups remain.")
        return None, 0
    others = [g for g in groups if g != reference_group]
    x = _design(df.loc[keep], labels[keep], others, [*strata.values()], controls)
    try:
        fit = fit_logit(y[keep].to_numpy(), x.to_numpy(), names=list(x.columns))
    except FairhireError as exc:
        warnings.append(
            f"the logistic regression did not converge cleanly or was not identifiable ({exc}); "
            "no odds ratios reported."
        )
        return None, 0
    low, high = fit.odds_ratio_ci(1 - confidence)
    rows = [
        {"term": t, "group": t if t in others else None, "is_group": t in others,
         "coef": fit.params[j], "se": fit.bse[j], "odds_ratio": fit.odds_ratios[j],
         "ci_low": low[j], "ci_high": high[j], "p_value": fit.p_values[j]}
        for j, t in enumerate(fit.names) if t != "const"
    ]
    nan = dict.fromkeys(("coef", "se", "odds_ratio", "ci_low", "ci_high", "p_value"), math.nan)
    rows += [{"term": g, "group": g, "is_group": True, **nan} for g in constant]
    if not fit.converged:
        warnings.append("the logistic regression did not converge cleanly: read its odds ratios "
                        "with care.")
    return pd.DataFrame(rows, columns=REGRESSION_COLUMNS), int(keep.sum())


def _logit_rows(frame: Any, group_cols: list[str], promoted: str, strata: dict[str, str],
                controls: list[str], warnings: list[str],
                unknown_labels: tuple[object, ...] = (),
                ) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    from .._core.flags import read_flags

    users = list(dict.fromkeys([*group_cols, promoted, *strata.values(), *controls]))
    inner = dict(zip(users, internal_names([f"c{i}" for i in range(len(users))], users).values(),
                     strict=True))
    raw = collect_pandas(frame.select(*[nw.col(c).alias(inner[c]) for c in users]))
    labels, _ = clean_row_labels(raw, [inner[c] for c in group_cols], group_cols,
                                 unknown_labels)
    flags = read_flags(raw[inner[promoted]], column=promoted, argument="promoted")
    df = pd.DataFrame({c: raw[inner[c]] for c in [*strata.values(), *controls]}, index=raw.index)
    for c in strata.values():  # the strata of the counts (their merge warnings said once)
        df[c] = clean_stratum_rows(df[c], c)[0]
    df, merged = clean_category_columns(df, controls)
    warnings += merged
    keep = labels.notna().to_numpy() & ~flags.missing
    n_before = int(keep.sum())
    for c in controls:  # blank text is missing too (the core rule), not a category
        keep &= ~missing_mask(df[c])
    if n_before - int(keep.sum()):
        warnings.append(
            f"{n_before - int(keep.sum()):,} employees with a missing control "
            f"({', '.join(map(repr, controls))}) are left out of the logistic regression."
        )
    warnings += numbers_as_categories_in(df.loc[keep], controls, argument="controls")
    y = pd.Series(flags.flags.astype(float), index=raw.index)
    return labels[keep], y[keep], df.loc[keep]


def _informative_strata(labels: pd.Series, y: pd.Series, df: pd.DataFrame,
                        strata: dict[str, str], warnings: list[str],
                        ) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """The rows of the strata (levels, periods) where some but not all were promoted.

    A stratum is a fixed effect in the logit. Where everyone in it has the same outcome, its
    coefficient runs off to infinity (the fit does not converge) and, in that limit, its rows
    say nothing about the groups' odds ratios: leaving them out gives the same odds ratios as
    the limit, from a fit that converges (the conditional-logit view of a stratum without
    variation).
    """
    keep = pd.Series(True, index=y.index)
    for name, column in strata.items():
        values = df[column].astype(object).map(stratum_value)
        rate = y[keep].groupby(values[keep]).mean()
        constant = sorted((v for v, r in rate.items() if r in (0.0, 1.0)), key=str)
        if constant:
            keep &= ~values.isin(constant)
            warnings.append(
                f"no one (or everyone) was promoted at {name} "
                f"{', '.join(map(repr, map(str, constant)))}: with the {name} in the logistic "
                "regression those employees say nothing about the groups' odds, so they are "
                "left out of it."
            )
    return labels[keep], y[keep], df.loc[keep]


def _design(sub: pd.DataFrame, lab: pd.Series, others: Sequence[str], strata_cols: list[str],
            controls: list[str]) -> pd.DataFrame:
    parts = [pd.DataFrame({g: (lab == g).astype(float) for g in others}, index=sub.index)]
    for c in [*strata_cols, *controls]:
        s = sub[c]
        numeric = pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)
        if c in strata_cols or not numeric:
            values = s.astype(object).map(stratum_value)
            cats = sorted(values.unique(), key=str)
            parts.append(pd.DataFrame({f"{c}[{v}]": (values == v).astype(float)
                                       for v in cats[1:]}, index=sub.index))
        else:
            parts.append(pd.DataFrame({c: s.astype(float)}, index=sub.index))
    x = pd.concat(parts, axis=1)
    x = x.loc[:, x.std(ddof=0) > 0] if len(x) > 1 else x
    x.insert(0, "const", 1.0)
    return x
