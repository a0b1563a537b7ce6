"""Representation by level: each group's share at each level, lowest level first.

A "leaky pipeline" shows as a group whose share falls from level to level. One group-by in the
caller's engine counts employees per (group, level); the trend tests in
:mod:`fairhire.stats.trend` work on that small table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.labels import as_labels
from .._core.params import check_adjust, check_alpha
from .._core.text import p_text
from .._frames import fingerprint_frame
from .._results import Headline, Result, RowAccount, by_severity, result_dataclass, table_text
from ..errors import InvalidParameterError, preview
from ..stats.proportions import adjust_pvalues
from ..stats.trend import chi_square, cochran_armitage
from ._order import check_columns, check_order, count_by_value, ordered_counts, shares_text

__all__ = ["RepresentationResult", "representation"]

TABLE_COLUMNS = ["level", "level_rank", "group", "count", "level_total", "share"]
TREND_COLUMNS = [
    "group", "share_lowest", "share_highest", "change", "z", "p_value", "p_value_adjusted",
    "direction",
]


@result_dataclass
class RepresentationResult(Result):
    """Each group's count and share at each level, with trend tests across levels.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (level, group), levels in order: ``level, level_rank`` (1 = lowest),
        ``group, count, level_total, share`` (of the level's employees with a known group).
        Groups absent at a level appear with count 0.
    overall : pandas.DataFrame
        ``group, count, share`` over all levels.
    trend : pandas.DataFrame
        Per group: ``share_lowest`` and ``share_highest`` (at the lowest and highest level
        with employees), ``change``, the Cochran–Armitage ``z`` for a linear trend in the
        group's share across levels (scores 1, 2, ...; the group against everyone else),
        ``p_value``, ``p_value_adjusted`` (Holm, over groups) and ``direction``.
    test : dict
        The overall test: Cochran–Armitage for two groups; Pearson χ² of groups × levels for
        more (association, not a trend). Keys ``test, statistic, df, p_value``.
    """

    table: pd.DataFrame
    overall: pd.DataFrame
    trend: pd.DataFrame
    test: dict[str, Any]
    group_columns: tuple[str, ...]
    level: str
    order: tuple[Any, ...]
    alpha: float
    fingerprint: str

    kind: ClassVar[str] = "representation by level"
    count_columns: ClassVar[frozenset[str]] = frozenset({"count", "level_total"})
    #: Counts of people beyond the report's defaults, and figures derived from them (min_cell);
    #: a trend's direction is the sign of its z.
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "change", "direction", "share_highest", "share_lowest",
    })

    def _repr_headline(self) -> str:
        return (f"{len(self.order)} levels, {len(self.overall)} groups, "
                f"{p_text(self.test.get('p_value'))}")

    def shares(self) -> pd.DataFrame:
        """Shares as a levels × groups matrix (levels in order)."""
        wide = self.table.pivot(index="level", columns="group", values="share")
        return wide.loc[[lv for lv in self.order if lv in wide.index]]

    def headlines(self) -> list[Headline]:
        out: list[Headline] = []
        for row in self.trend.itertuples(index=False):
            if not math.isfinite(row.z) or row.p_value_adjusted >= self.alpha:
                continue
            if row.z < 0:
                out.append(Headline(
                    severity=2,
                    text=f"{row.group} employees are {row.share_lowest:.0%} of the lowest level "
                    f"but {row.share_highest:.0%} of the highest: their share falls with level "
                    f"(Cochran–Armitage z = {row.z:.2f}, adjusted "
                    f"{p_text(row.p_value_adjusted)}).",
                    figure=row.change, section=self.kind,
                ))
        for w in self.warnings:
            if w.startswith("no ") and " at level" in w:
                out.append(Headline(severity=1, text=w, section=self.kind))
        return by_severity(out)

    def summary(self) -> str:
        lines = [f"Representation of {' × '.join(self.group_columns)} by {self.level}"]
        lines.extend(self._rows_text())
        lines.append(shares_text(self.shares()))
        lines.append(
            f"{self.test['test']}: statistic {self.test['statistic']:.4g}, df "
            f"{self.test['df']}, {p_text(self.test['p_value'])}."
        )
        lines.append("Trend in each group's share (Cochran–Armitage, group vs the rest):")
        lines.append(table_text(self.trend))
        return self._summary_text(lines)


def representation(
    data: Any,
    *,
    group: str | Sequence[str],
    level: str,
    order: Sequence[Any],
    alpha: float = 0.05,
    adjust: str = "holm",
    unknown_labels: Sequence[object] = (),
) -> RepresentationResult:
    """Each group's count and share at each level, in level order, with a trend test.

    The "leaky pipeline": if a group's share shrinks as levels rise, it is either hired in
    lower, promoted less or leaves more — the promotion analyses tell which. The trend in each
    group's share is tested with the Cochran–Armitage test (the group against everyone else,
    levels scored 1, 2, 3, ...). With exactly two groups that is the overall test; with more,
    the overall test is Pearson's χ² of groups × levels (any association, not only a trend).

    Parameters
    ----------
    data : DataFrame
        One row per employee (pandas, polars, pyarrow, DuckDB ...). Never modified.
    group : str or list of str
        Group column, or several for intersectional groups.
    unknown_labels : str or list, optional
        Group labels that mean "unknown" ("Prefer not to say"), as in
        :func:`fairhire.adverse_impact`.
    level : str
        Level column.
    order : list
        Every level, lowest first (e.g. ``["L1", "L2", "L3", "L4", "L5"]``). Levels in the data
        but not in ``order`` are an error (listed in the message); levels in ``order`` with no
        employees are reported.
    alpha : float
        Significance level for headlines.
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Adjustment of the per-group trend p-values.

    Returns
    -------
    RepresentationResult

    Raises
    ------
    ColumnError
        A named column is missing.
    InvalidValueError
        The data hold levels missing from ``order``.
    InsufficientDataError
        No usable rows or fewer than two groups.

    Examples
    --------
    >>> import fairhire as fh
    >>> staff = fh.datasets.make_workforce(2000, random_state=0)
    >>> rep = fh.representation(staff, group="sex", level="level",
    ...                         order=["L1", "L2", "L3", "L4", "L5"])
    >>> rep.shares()["Female"].round(3).tolist()
    [0.559, 0.504, 0.471, 0.405, 0.319]
    >>> rep.trend.set_index("group").loc["Female", "direction"]
    'falls'
    """
    group_cols, alpha, adjust = _check(group, level, order, alpha=alpha, adjust=adjust)
    unknown_labels = as_labels(unknown_labels)
    read, counts = count_by_value(data, group_cols, level, "level", unknown_labels)
    order_list = check_order(counts["__level"].tolist(), order, column=level, argument="order")
    oc = ordered_counts(counts, key="__level", column=level, order=order_list,
                        group_cols=group_cols, what="representation")
    warnings: list[str] = [*read.warnings, *oc.warnings]
    grid, groups = oc.grid.T, oc.groups
    table, overall = _level_tables(grid, order_list, groups, warnings)
    trend, test = _trend_tests(grid, groups, adjust, warnings)
    rows_acc = RowAccount.of(read.total, oc.excluded)
    params = {"group": group_cols, "level": level, "order": list(order_list), "alpha": alpha,
              "adjust": adjust, "unknown_labels": list(unknown_labels)}
    return RepresentationResult(
        table=table, overall=overall, trend=trend, test=test, group_columns=tuple(group_cols),
        level=level, order=tuple(order_list), alpha=alpha, fingerprint=fingerprint_frame(table),
        warnings=tuple(dict.fromkeys(warnings)), rows=rows_acc, params=params,
    )


def _check(
    group: Any, level: Any, order: Any, *, alpha: float, adjust: str
) -> tuple[list[str], float, str]:
    """Check the options once, at the boundary; return the group columns, alpha and adjust
    (``"bh"`` read as ``"fdr_bh"``, as every analysis reads it)."""
    group_cols = check_columns(group, level, argument="level")
    if order is None:
        raise InvalidParameterError(
            f"order= must list the values of {level!r}, lowest level first, e.g. "
            "order=['L1', 'L2', 'L3']: a trend needs the levels in order."
        )
    return group_cols, check_alpha(alpha), check_adjust(adjust)


def _level_tables(grid: np.ndarray, order_list: list[Any], groups: list[str],
                  warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count and share of each group at each level (levels × groups ``grid``), and overall;
    warn about empty levels and groups absent from a level."""
    level_totals = grid.sum(axis=1)
    empty_levels = [order_list[i] for i in np.flatnonzero(level_totals == 0)]
    if empty_levels:
        warnings.append(
            f"levels {preview(empty_levels)} in order= have no employees with a known group."
        )
    for j, lab in enumerate(groups):
        absent = [order_list[i] for i in range(len(order_list))
                  if grid[i, j] == 0 and level_totals[i] > 0]
        if absent:
            warnings.append(f"no {lab} employees at level {', '.join(map(str, absent))}.")
    rows = []
    for i, lv in enumerate(order_list):
        for j, lab in enumerate(groups):
            tot = int(level_totals[i])
            rows.append({
                "level": lv, "level_rank": i + 1, "group": lab, "count": int(grid[i, j]),
                "level_total": tot, "share": grid[i, j] / tot if tot else math.nan,
            })
    overall_n = grid.sum(axis=0)
    overall = pd.DataFrame(
        {"group": groups, "count": overall_n, "share": overall_n / overall_n.sum()}
    )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS), overall


def _trend_tests(grid: np.ndarray, groups: list[str], adjust: str,
                 warnings: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cochran–Armitage trend of each group's share across the levels with employees, and the
    overall test (Cochran–Armitage for two groups, Pearson χ² for more)."""
    level_totals = grid.sum(axis=1)
    used_levels = level_totals > 0
    scores = np.arange(1, grid.shape[0] + 1, dtype=float)[used_levels]
    lv_tot = level_totals[used_levels]
    trend_rows = []
    for j, lab in enumerate(groups):
        x = grid[used_levels, j]
        ca = cochran_armitage(x, lv_tot, scores)
        share = x / lv_tot
        trend_rows.append({
            "group": lab, "share_lowest": float(share[0]), "share_highest": float(share[-1]),
            "change": float(share[-1] - share[0]), "z": ca.z, "p_value": ca.p_value,
            "direction": "n/a" if not math.isfinite(ca.z)
            else ("falls" if ca.z < 0 else "rises" if ca.z > 0 else "flat"),
        })
    trend = pd.DataFrame(trend_rows)
    trend["p_value_adjusted"] = (
        adjust_pvalues(trend["p_value"].to_numpy(), adjust)
        if len(groups) > 2
        else trend["p_value"].to_numpy()
    )
    if int(used_levels.sum()) < 2:
        warnings.append("fewer than two levels have employees: no trend can be tested.")
    if len(groups) == 2:
        ca = cochran_armitage(grid[used_levels, 0], lv_tot, scores)
        return trend[TREND_COLUMNS], {
            "test": "Cochran–Armitage trend test",
            "statistic": ca.statistic, "df": 1, "p_value": ca.p_value,
            "tested_group": groups[0], "z": ca.z,
        }
    chi = chi_square(grid[used_levels].T)
    if math.isfinite(chi.min_expected) and chi.min_expected < 5:
        warnings.append(
            f"some expected counts in the groups × levels table are below 5 (smallest "
            f"{chi.min_expected:.2g}): the χ² p-value is approximate. Small groups are "
            "best read from the per-group trend tests."
        )
    return trend[TREND_COLUMNS], {
        "test": "Pearson χ² test of groups × levels", "statistic": chi.statistic,
        "df": chi.df, "p_value": chi.p_value, "min_expected": chi.min_expected,
    }
