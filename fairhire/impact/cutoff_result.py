"""The result of a cut-off analysis (see :func:`fairhire.cutoff_analysis`)."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import ClassVar

import numpy as np
import pandas as pd

from .._core.text import format_count, format_number, format_ratio, threshold_line
from .._results import Headline, Result, by_severity, result_dataclass
from ..errors import InvalidParameterError

__all__ = ["CutoffAnalysis", "cutoff_text"]


def cutoff_text(value: float | None) -> str:
    """A cut-off as people write it: 52, 52.5, 0.375 (no trailing zeros); "n/a" when None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return (
        format_number(value, 0)
        if float(value).is_integer()
        else f"{value:g}".replace("-", "\u2212")
    )


@result_dataclass
class CutoffAnalysis(Result):
    """Adverse impact at every candidate cut-off of a score.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (cut-off, group): ``cutoff, group, <group columns>, applicants, selected,
        selection_rate, reference_group, is_reference, impact_ratio, adverse_impact, z,
        p_value_z, p_value_fisher, p_value_adjusted, significant, z_ir, p_value_z_ir, ci_low,
        ci_high, shortfall, shortfall_four_fifths, flips_with_one, small_sample, excluded``
        (the adverse-impact engine's columns; ``p_value_adjusted`` adjusts the Fisher
        p-values over the groups *within* each cut-off).
    by_cutoff : pandas.DataFrame
        One row per cut-off, in increasing order: ``cutoff, applicants, selected,
        selection_rate`` (everyone with a score, unknown groups included), ``min_impact_ratio``
        and ``lowest_group``, ``n_below_four_fifths``, ``n_significant``, ``adverse_impact``
        (a group below four-fifths), ``significant`` (a significant difference) and
        ``no_adverse_impact`` (neither, with someone selected).
    no_adverse_impact_ranges : tuple of (float, float)
        Runs of consecutive candidate cut-offs with no adverse impact, as (lowest, highest).
    target_selected : int or None
        The target number of selections, if one was given.
    best_cutoff : float or None
        For the target: the cut-off with the least adverse impact among those selecting at
        least ``target_selected`` and at most ``(1 + target_tolerance) × target_selected``.
    top_down_cutoff : float or None
        For the target: the highest cut-off selecting at least ``target_selected`` (strict
        top-down selection), for comparison.
    unknown : pandas.DataFrame
        Per cut-off, applicants and selections whose group is missing or unknown.
    """

    table: pd.DataFrame
    by_cutoff: pd.DataFrame
    no_adverse_impact_ranges: tuple[tuple[float, float], ...]
    unknown: pd.DataFrame
    group_columns: tuple[str, ...]
    score: str
    higher_is_better: bool
    target_selected: int | None = None
    target_tolerance: float = 0.1
    best_cutoff: float | None = None
    top_down_cutoff: float | None = None
    threshold: float = 0.8
    alpha: float = 0.05
    criterion: str = "either"
    fingerprint: str = ""

    kind: ClassVar[str] = "cut-off analysis"
    #: ``flagged``: (cut-off, group) rows below four-fifths of the reference group's rate.
    flag_column: ClassVar[str] = "adverse_impact"
    count_columns: ClassVar[frozenset[str]] = frozenset({"applicants", "selected"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({"shortfall_four_fifths"})
    #: the cut-off a row is at: its name, shown beside a withheld row
    label_columns: ClassVar[frozenset[str]] = frozenset({"cutoff"})

    def _repr_headline(self) -> str:
        return (
            f"{len(self.by_cutoff)} cut-offs on {self.score!r}, "
            f"{int(self.by_cutoff['no_adverse_impact'].sum())} without adverse impact"
        )

    def count_sums(self) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
        """At each cut-off, the groups' rows of :attr:`table` and the row of :attr:`unknown`
        add up to the row of :attr:`by_cutoff`: its total less the groups shown would give a
        withheld group's count back, so ``min_cell`` never withholds one cell of such a sum
        (see :func:`fairhire.report.linked.plan_frames`). The cut-off is a number, not a
        label, so the tables' own blocks do not say this."""
        def rows(frame: pd.DataFrame, cutoff: float) -> list[int]:
            if "cutoff" not in frame.columns:
                return []
            return [int(i) for i in np.flatnonzero(frame["cutoff"].to_numpy() == cutoff)]
        out = []
        for j, cutoff in enumerate(self.by_cutoff["cutoff"].tolist()):
            cells = (("by_cutoff", j), *(("table", i) for i in rows(self.table, cutoff)),
                     *(("unknown", i) for i in rows(self.unknown, cutoff)))
            out += [(column, cells) for column in ("applicants", "selected")]
        return out + self._same_people()

    def _same_people(self) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
        """A group's applicants at every cut-off, and its selected at cut-offs that select
        the same number of it, are the same people (the selections are nested): declared
        equal in pairs (a sum of one term), so one is never withheld where another shows it."""
        out: list[tuple[str, tuple[tuple[str, int], ...]]] = []
        for name in ("table", "unknown"):
            frame = getattr(self, name)
            if "cutoff" not in frame.columns or frame.empty:
                continue
            # the unknown table's rows are one set of people: those with no group
            who = (frame["group"].astype(str).tolist() if "group" in frame.columns
                   else [""] * len(frame))
            for column in ("applicants", "selected"):
                same: dict[tuple[str, object], list[int]] = {}
                for i, key in enumerate(zip(who, frame[column].tolist(), strict=True)):
                    same.setdefault(key, []).append(i)
                out += [(column, ((name, a), (name, b))) for cells in same.values()
                        for a, b in pairwise(cells)]
        return out

    def to_frame(self) -> pd.DataFrame:
        """The per-(cut-off, group) table (a copy)."""
        return self.table.copy()

    def at(self, cutoff: float) -> pd.DataFrame:
        """The groups' rows at one candidate cut-off."""
        rows = self.table.loc[np.isclose(self.table["cutoff"], cutoff, rtol=0, atol=1e-12)]
        if rows.empty:
            raise InvalidParameterError(
                f"{cutoff!r} is not one of the candidate cut-offs; see `by_cutoff`."
            )
        return rows.reset_index(drop=True)

    def _cutoff_row(self, cutoff: float | None) -> pd.Series | None:
        if cutoff is None:
            return None
        return self.by_cutoff.loc[self.by_cutoff["cutoff"] == cutoff].iloc[0]

    @property
    def criterion_text(self) -> str:
        """What "no adverse impact" means under the chosen criterion."""
        line = threshold_line(self.threshold)
        return {
            "either": f"no group below {line} and no significant difference",
            "four_fifths": f"no group below {line}",
            "significance": "no significant difference",
            "both": f"no group both below {line} and significantly different",
        }[self.criterion]

    @property
    def _direction(self) -> str:
        return "at or above" if self.higher_is_better else "at or below"

    def headlines(self) -> list[Headline]:
        """The cut-offs without adverse impact, and the target search."""
        out: list[Headline] = []
        bc = self.by_cutoff
        if self.no_adverse_impact_ranges:
            ranges = ", ".join(
                cutoff_text(lo) if lo == hi else f"{cutoff_text(lo)} to {cutoff_text(hi)}"
                for lo, hi in self.no_adverse_impact_ranges
            )
            out.append(
                Headline(
                    severity=1,
                    text=f"Of {len(bc)} candidate cut-offs on {self.score}, those from {ranges} show "
                    f"no adverse impact ({self.criterion_text}).",
                    figure=float(bc["no_adverse_impact"].sum()),
                    section=self.kind,
                )
            )
        else:
            out.append(
                Headline(
                    severity=2,
                    text=f"Every one of the {len(bc)} candidate cut-offs on {self.score} shows "
                    f"adverse impact (criterion: {self.criterion_text}): consider other selection "
                    "procedures, or other ways of using this one.",
                    section=self.kind,
                )
            )
        best = self._cutoff_row(self.best_cutoff)
        top = self._cutoff_row(self.top_down_cutoff)
        if best is not None and top is not None:
            text = (
                f"To select at least {format_count(self.target_selected)}, the cut-off "
                f"{cutoff_text(best.cutoff)} "
                f"(selecting {format_count(best.selected)}) has the least adverse impact: "
                f"lowest impact ratio {format_ratio(best.min_impact_ratio, self.threshold)} "
                f"({best.lowest_group})"
            )
            if top.cutoff != best.cutoff:
                text += (
                    f", against {format_ratio(top.min_impact_ratio, self.threshold)} "
                    f"({top.lowest_group}) for the top-down cut-off {cutoff_text(top.cutoff)} "
                    f"(selecting {format_count(top.selected)})"
                )
            text += "."
            if not best.no_adverse_impact:
                text += " It still shows adverse impact."
            out.append(
                Headline(
                    severity=1 if best.no_adverse_impact else 2,
                    text=text,
                    figure=float(best.min_impact_ratio),
                    section=self.kind,
                )
            )
        return by_severity(out)

    def summary(self) -> str:
        """A plain-text summary: settings, the per-cut-off table, ranges and the target."""
        bc = self.by_cutoff
        lines = [
            f"Cut-off analysis of {self.score!r} by {' × '.join(self.group_columns)}: selected = "
            f"score {self._direction} the cut-off; one cut-off for everyone.",
            f"No adverse impact = {self.criterion_text} ({threshold_line(self.threshold)}: "
            f"exact comparison with {self.threshold:g} of the highest rate; significance: "
            f"Fisher, adjusted within the cut-off, alpha {self.alpha:g}).",
        ]
        lines += self._rows_text()
        view = bc.copy()
        view["selection_rate"] = view["selection_rate"].map(lambda v: format_number(v, 3))
        view["min_impact_ratio"] = view["min_impact_ratio"].map(
            lambda v: "" if math.isnan(v) else format_ratio(v, self.threshold, 3)
        )
        lines.append(view.to_string(index=False))
        if self.no_adverse_impact_ranges:
            lines.append(
                "No adverse impact: "
                + ", ".join(
                    f"[{cutoff_text(lo)}, {cutoff_text(hi)}]"
                    for lo, hi in self.no_adverse_impact_ranges
                )
            )
        else:
            lines.append("No candidate cut-off is free of adverse impact.")
        if self.target_selected is not None:
            lines.append(
                f"Target {format_count(self.target_selected)} selections: least adverse impact "
                "at cut-off "
                f"{cutoff_text(self.best_cutoff)}; top-down cut-off {cutoff_text(self.top_down_cutoff)}."
            )
        return self._summary_text(lines)
