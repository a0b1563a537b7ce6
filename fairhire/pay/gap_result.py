"""The result of :func:`fairhire.pay_gap`: raw and adjusted gaps of each group against the
reference group, overall and within pay-analysis groupings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._core.text import (
    format_count,
    format_money,
    format_number,
    format_percent,
    format_percent_figure,
    p_text,
)
from .._results import Headline, Result, result_dataclass
from ..stats.regression import OLSFit, fit_ols
from ._groups import GroupCodes

__all__ = ["TABLE_COLUMNS", "PayGapResult", "PayModel"]

#: Columns of :attr:`PayGapResult.table`.
TABLE_COLUMNS = (
    "scope", "cell", "group", "reference_group", "n", "n_reference", "mean_pay",
    "mean_pay_reference", "median_pay", "median_pay_reference", "mean_gap_pct", "median_gap_pct",
    "coef", "std_error", "t", "p_value", "adjusted_gap", "ci_low", "ci_high", "adjusted_gap_pct",
    "units", "flagged", "testable", "too_small_for_reference", "note", "small_sample",
)


@dataclass(eq=False)
class PayModel:
    """What :func:`~fairhire.pay.remediation.pay_remediation` needs to refit the overall model.

    Holds the row-level design matrix and pay of the analysed employees (kept out of
    ``to_dict()`` and reports).
    """

    pay: np.ndarray
    X: np.ndarray
    names: list[str]
    group_columns: dict[str, int]  # group label -> column of X
    groups: GroupCodes
    log: bool
    cov_type: str
    clusters: np.ndarray | None
    absorb_codes: np.ndarray | None
    fit: OLSFit
    positions: np.ndarray  # row positions in the caller's data
    ids: np.ndarray | None
    alpha: float = 0.05

    def refit(self, pay: np.ndarray) -> OLSFit:
        y = np.log(pay) if self.log else pay
        return fit_ols(
            y,
            self.X,
            names=self.names,
            cov_type=self.cov_type,
            clusters=self.clusters,
            absorb=self.absorb_codes,
        )


def _direction(gap: float) -> str:
    """The word for a gap in the raw-gap convention (positive: the reference is paid more)."""
    return "less" if gap > 0 else "more"


@result_dataclass
class PayGapResult(Result):
    """Raw and adjusted pay gaps of each group against a reference group.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (scope, cell, group): ``scope`` ("overall" or the ``within`` columns),
        ``cell`` ("all" or the grouping's values), ``group``, ``reference_group``, ``n``,
        ``n_reference``, ``mean_pay``, ``mean_pay_reference``, ``median_pay``,
        ``median_pay_reference``, ``mean_gap_pct``, ``median_gap_pct`` (raw gaps, % of the
        reference's pay, positive = reference paid more), ``coef`` (the group's regression
        coefficient), ``std_error``, ``t``, ``p_value`` (of the coefficient), ``adjusted_gap``
        (% with ``log=True``: (1 − exp(coef)) × 100; currency with ``log=False``: −coef),
        ``ci_low``, ``ci_high`` (its ``confidence`` interval), ``adjusted_gap_pct`` (always %;
        with ``log=False`` −coef / mean reference pay × 100), ``units``, ``flagged``
        (``p_value < alpha``: the adjusted gap is statistically significant, in either
        direction), ``testable``, ``too_small_for_reference`` (the group is too small to be the reference:
        fewer than ``min_n`` employees or under 2% of them) and ``note`` (why a cell or group
        could not be tested). ``small_sample`` is the former name of
        ``too_small_for_reference``, kept with the same values for existing code.
    flagged : pandas.DataFrame
        The rows of ``table`` whose adjusted gap is flagged.
    coefficients : pandas.DataFrame
        Every coefficient of the overall model: ``term``, ``coef``, ``std_error``, ``t``,
        ``p_value``, ``ci_low``, ``ci_high``.
    tainted_comparison : pandas.DataFrame or None
        With ``tainted=``: each group's adjusted gap with and without the possibly tainted
        controls.
    outliers : pandas.DataFrame
        Employees whose pay sits far below the overall model's prediction (studentized
        residual ≤ −``outlier_threshold``), for human review: ``row`` (position in the input),
        ``id``, ``group``, ``pay``, ``predicted_pay``, ``pay_vs_predicted_pct``,
        ``studentized_residual``. Individual pay: left out of ``to_dict()`` and reports, which
        show ``outlier_summary``.
    """

    pay: str
    group: str
    reference_group: str
    groups: tuple[str, ...]
    controls: tuple[str, ...]
    within: tuple[str, ...]
    log: bool
    cov_type: str
    confidence: float
    alpha: float
    table: pd.DataFrame
    coefficients: pd.DataFrame
    outliers: pd.DataFrame
    fingerprint: str
    tainted_comparison: pd.DataFrame | None = None
    absorbed: str | None = None
    model: PayModel | None = field(default=None, repr=False)

    kind: ClassVar[str] = "pay gap"
    flag_column: ClassVar[str] = "flagged"
    private_fields: ClassVar[dict[str, str | None]] = {
        "model": None,
        "outliers": "outlier_summary",
    }
    count_columns: ClassVar[frozenset[str]] = frozenset({"employees", "n", "n_reference"})
    # pay figures and statistics computed from the counted employees' pay
    derived_columns: ClassVar[frozenset[str]] = frozenset({
        "adjusted_gap", "adjusted_gap_pct", "coef", "mean_gap_pct", "mean_pay",
        "mean_pay_reference", "median_gap_pct", "median_pay", "median_pay_reference",
        "median_pay_vs_predicted_pct", "std_error", "t",
    })
    #: every figure of a row is its people's pay (and the test and flag read off it), none
    #: a count: where a row's headcount is withheld only as the complement of a small one,
    #: its gap stays (a withheld "Non-binary: 21" no longer hid Female's gap, 973 people)
    magnitude_columns: ClassVar[frozenset[str]] = derived_columns | {
        "ci_high", "ci_low", "flagged", "p_value"}

    def count_revealing_columns(self) -> frozenset[str]:
        """The :attr:`magnitude_columns` that give this result's counts back: with classical
        standard errors and no controls an interval's width is σ·√(1/n + 1/m) and the
        constant's standard error gives σ, so each group's intervals, standard errors, t and
        p-value give its headcount back (robust errors and controls make them depend on
        figures the report does not show)."""
        if self.cov_type != "nonrobust" or self.controls:
            return frozenset()
        return frozenset({"ci_high", "ci_low", "p_value", "std_error", "t"})

    @property
    def n_outliers(self) -> int:
        """How many employees are paid far below the model's prediction (listed in ``outliers``)."""
        return len(self.outliers)

    @property
    def outlier_summary(self) -> pd.DataFrame:
        """Employees listed for review, by group: ``group``, ``employees``,
        ``median_pay_vs_predicted_pct``."""
        o = self.outliers
        if o.empty:
            return pd.DataFrame(
                {"group": [], "employees": [], "median_pay_vs_predicted_pct": []}
            ).astype({"group": object, "employees": int, "median_pay_vs_predicted_pct": float})
        out = o.groupby("group", sort=True).agg(
            employees=("row", "size"),
            median_pay_vs_predicted_pct=("pay_vs_predicted_pct", "median"),
        )
        return out.reset_index()

    @property
    def overall(self) -> pd.DataFrame:
        """The rows of the overall (not within-grouping) analysis."""
        return self.table[self.table["scope"] == "overall"].reset_index(drop=True)

    def _amount(self, gap: float) -> str:
        """A gap's size in the result's units: "4.6%" or "3,120"."""
        size = abs(float(gap))
        return format_percent_figure(size, 1) if self.log else format_money(size)

    def _interval(self, row: Any) -> str:
        """The confidence interval, in the direction of the sentence ("paid x more": x's)."""
        lo, hi = (row.ci_low, row.ci_high) if row.adjusted_gap > 0 else (-row.ci_high, -row.ci_low)
        unit = "%" if self.log else ""
        digits = 1 if self.log else 0
        # enough digits to show on which side of "no gap" each end lies (0.04, never 0.0)
        low, high = (format_number(x, digits, threshold=0.0) for x in (lo, hi))
        return f"{format_percent(self.confidence, 0)} CI {low}{unit} to {high}{unit}"

    def _repr_headline(self) -> str:
        return (
            f"{len(self.overall):,} groups against {self.reference_group}, "
            f"{int(self.overall['flagged'].sum()):,} flagged"
        )

    def summary(self) -> str:
        model = "log pay" if self.log else "pay in currency units"
        lines = [
            f"Pay gap: {self.pay} by {self.group} (reference: {self.reference_group}); {model}, "
            f"{self.cov_type} errors; flagged when p < {format_number(self.alpha, 2)}",
        ]
        if self.controls:
            lines.append(f"Controls: {', '.join(self.controls)}")
        lines += self._rows_text()
        lines.extend(self._summary_line(row) for row in self.overall.itertuples(index=False))
        cells = self.table[self.table["scope"] != "overall"]
        if len(cells):
            lines.append(
                f"Within {' × '.join(self.within)}: {int(cells['flagged'].sum())} of "
                f"{int(cells['testable'].sum())} testable comparisons flagged; "
                f"{int((~cells['testable']).sum())} not testable"
            )
        if self.tainted_comparison is not None:
            for row in self.tainted_comparison.itertuples(index=False):
                lines.append(
                    f"  {row.group} without {row.tainted}: adjusted gap "
                    f"{format_number(row.adjusted_gap_without)} (with: "
                    f"{format_number(row.adjusted_gap_with)})"
                )
        lines.append(f"Outliers for review: {len(self.outliers)}")
        return self._summary_text(lines)

    def _summary_line(self, row: Any) -> str:
        raw = (
            f"raw mean gap {format_percent_figure(row.mean_gap_pct, 2)}, raw median gap "
            f"{format_percent_figure(row.median_gap_pct, 2)}"
        )
        if not row.testable:
            return f"  {row.group}: {raw}; not testable ({row.note})"
        return (
            f"  {row.group}: adjusted gap {self._amount(row.adjusted_gap)} (paid "
            f"{_direction(row.adjusted_gap)} than comparable {self.reference_group} employees; "
            f"{self._interval(row)}; {p_text(row.p_value, alpha=self.alpha)})"
            f"{' FLAGGED' if row.flagged else ''}; {raw}"
        )

    def headlines(self) -> list[Headline]:
        out = [self._overall_headline(row) for row in self.overall.itertuples(index=False)]
        cells = self.table[(self.table["scope"] != "overall") & self.table["testable"]]
        flagged = cells[cells["flagged"]]
        if len(flagged):
            worst = flagged.loc[flagged["adjusted_gap"].abs().idxmax()]
            text = (
                f"Within {' × '.join(self.within)}, {format_count(len(flagged))} of "
                f"{format_count(len(cells))} group comparisons have a significant adjusted gap "
                f"(p < {format_number(self.alpha, 2)}); the largest: {worst['group']} "
                f"employees in {worst['cell']} are paid {self._amount(worst['adjusted_gap'])} "
                f"{_direction(worst['adjusted_gap'])} than comparable {self.reference_group} "
                "employees."
            )
            out.append(
                Headline(severity=2, text=text, figure=float(len(flagged)), section="within")
            )
        if len(self.outliers):
            text = (
                f"{format_count(len(self.outliers))} employees are paid far below the model's "
                "prediction and are listed for individual review."
            )
            out.append(
                Headline(
                    severity=1, text=text, figure=float(len(self.outliers)), section="outliers"
                )
            )
        return out

    def _overall_headline(self, row: Any) -> Headline:
        if not row.testable:
            text = (
                f"The pay of {row.group} employees could not be tested against "
                f"{row.reference_group} employees: {row.note}."
            )
            return Headline(severity=1, text=text, section="overall")
        gap = row.adjusted_gap
        controls = f" with the same {', '.join(self.controls)}" if self.controls else ""
        raw = row.mean_gap_pct if self.controls else row.median_gap_pct
        where = "on average (raw mean gap)" if self.controls else "at the median (raw median gap)"
        raw_text = (
            f"before adjustment they are paid {format_percent_figure(abs(raw), 1)} "
            f"{_direction(raw)} {where}"
        )
        text = (
            f"{row.group} employees are paid {self._amount(gap)} {_direction(gap)} than "
            f"comparable {row.reference_group} employees{controls} (adjusted gap; "
            f"{self._interval(row)}; {p_text(row.p_value, alpha=self.alpha)}); {raw_text}."
        )
        if not self.controls:
            text = text.replace(" comparable ", " ").replace("(adjusted gap; ", "(no controls; ")
        return Headline(
            severity=3 if row.flagged else 1,
            text=text,
            figure=float(gap),
            section="overall",
        )
