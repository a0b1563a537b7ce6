"""The result of :func:`fairhire.oaxaca_blinder`: the decomposition's tables."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._core.text import format_number, format_percent, format_percent_figure, p_text
from .._results import Headline, Result, named_value, result_dataclass
from ..stats.oaxaca import COMPONENTS, Decomposition

__all__ = ["OaxacaBlinderResult", "decomposition_tables"]

COLUMNS = ("estimate", "std_error", "z", "p_value", "ci_low", "ci_high", "share_of_gap")


@result_dataclass
class OaxacaBlinderResult(Result):
    """A threefold and a twofold Oaxaca–Blinder decomposition, overall and per variable.

    Attributes
    ----------
    table, overall : pandas.DataFrame
        ``decomposition`` ("total", "threefold", "twofold"), ``component`` ("gap",
        "endowments", "coefficients", "interaction", "explained", "unexplained"),
        ``estimate``, ``std_error``, ``z``, ``p_value``, ``ci_low``, ``ci_high``,
        ``share_of_gap`` (% of the total gap), ``flagged`` (the unexplained part, when its
        p-value is below ``alpha``). ``table`` is the same table.
    detailed : pandas.DataFrame
        The same columns plus ``variable``: each feature's contribution (a categorical
        feature's dummies summed), and ``"(constant)"`` for the intercept's share of the
        coefficient and unexplained parts.
    terms : pandas.DataFrame
        Contributions of every column of the design (each dummy separately).
    coefficients : pandas.DataFrame
        ``term``, ``mean_a``, ``mean_b``, ``coef_a``, ``coef_b``, ``coef_reference``.
    reference : str
        The reference coefficients β* used (``coefficients=``): "pooled", "neumark" ...
    """

    outcome: str
    group: str
    group_a: str
    group_b: str
    features: tuple[str, ...]
    reference: str
    log: bool
    cov_type: str
    se_method: str | None
    confidence: float
    alpha: float
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    gap: float
    overall: pd.DataFrame
    detailed: pd.DataFrame
    terms: pd.DataFrame
    coefficients: pd.DataFrame
    fingerprint: str

    kind: ClassVar[str] = "Oaxaca–Blinder decomposition"
    flag_column: ClassVar[str] = "flagged"
    #: Counts of people that add up to ``rows.used``: a report withholds one of them when it
    #: withholds ``used`` (see :class:`fairhire.report.view.ReportView`).
    used_count_fields: ClassVar[tuple[str, ...]] = ("n_a", "n_b")

    @property
    def table(self) -> pd.DataFrame:
        """The decomposition (also ``overall``)."""
        return self.overall

    def component(self, name: str) -> float:
        """The estimate of one component ("gap", "explained", "unexplained", "endowments" ...)."""
        return named_value(self.overall, "component", name, "estimate")

    @property
    def relative_gap(self) -> float:
        """With ``log=True``, how much higher the better-paid group's pay is, as a share:
        ``exp(|gap|) − 1`` (0.186 for a gap of 0.171 log points); NaN with ``log=False``."""
        return math.expm1(abs(self.gap)) if self.log else math.nan

    def _unit(self) -> str:
        return "log points" if self.log else self.outcome

    def _amount(self, value: float) -> str:
        """An estimate in the outcome's units: 0.177 log points, or 7,879 (currency)."""
        return format_number(value, 3 if self.log else 0)

    def _difference(self, value: float) -> str:
        """An estimate in words: "18.6%" on the log scale (exp(d) − 1, the difference of
        geometric means), or 7,879 in the outcome's units."""
        if self.log:
            return format_percent(math.expm1(value))
        return f"{self._amount(value)} {self.outcome}"

    def _valuation(self) -> str:
        """The reference coefficients in words: whose pay values the characteristics."""
        words = {
            "pooled": "the pay of both groups together",
            "neumark": "the pay of both groups together (Neumark)",
            "cotton": "the two groups' pay weighted by their sizes",
            "reimers": "the average of the two groups' pay",
        }
        ref = str(self.reference)
        if ref in words:
            return words[ref]
        if ref.startswith("weight "):
            return f"the two groups' pay ({ref}'s)"
        return f"{ref} employees' pay"

    def _repr_headline(self) -> str:
        share = self.overall.set_index("component").loc["unexplained", "share_of_gap"]
        return (
            f"{self.group_a} vs {self.group_b}, gap {self._amount(self.gap)} "
            f"{self._unit()}, {format_percent_figure(share, 0)} unexplained"
        )

    def summary(self) -> str:
        lines = [
            f"Oaxaca–Blinder: {'log ' if self.log else ''}{self.outcome} by {self.group}, "
            f"A = {self.group_a} (n={self.n_a:,}, mean {self.mean_a:.4g}) vs B = {self.group_b} "
            f"(n={self.n_b:,}, mean {self.mean_b:.4g}); characteristics valued at "
            f"{self._valuation()}; standard errors: {self.se_method or 'none'}",
        ]
        lines += self._rows_text()
        for r in self.overall.itertuples(index=False):
            se = ""
            if np.isfinite(r.std_error):
                se = f" (SE {r.std_error:.4g}, {p_text(r.p_value, alpha=self.alpha)})"
            lines.append(
                f"  {r.decomposition:>9} {r.component:<13} {format_number(r.estimate, 5)}{se}"
                f"  {format_percent_figure(r.share_of_gap, 1)} of gap"
            )
        return self._summary_text(lines)

    def headlines(self) -> list[Headline]:
        parts = self.overall.set_index("component")
        explained, unexplained = parts.loc["explained"], parts.loc["unexplained"]
        significant = bool(parts.loc["unexplained", "flagged"])
        p = f"; {p_text(unexplained.p_value, alpha=self.alpha)}"
        higher = "higher" if self.gap >= 0 else "lower"
        gap = self._difference(abs(self.gap))
        if self.log:
            # the mean of log pay compares geometric means: say it as a percentage
            head = (f"{self.group_a} employees' {self.outcome} is {gap} {higher} than "
                    f"{self.group_b} employees' on average (compared on a log scale). ")
            part = f"a {self._difference(unexplained.estimate)} difference in {self.outcome}"
        else:
            head = (f"{self.group_a} employees' mean {self.outcome} is {gap} {higher} than "
                    f"{self.group_b} employees'. ")
            part = self._difference(unexplained.estimate)
        text = (
            f"{head}Differences in {', '.join(self.features)} explain "
            f"{format_percent_figure(explained.share_of_gap, 0)} of the gap; "
            f"{format_percent_figure(unexplained.share_of_gap, 0)} is unexplained "
            f"({part}{p if np.isfinite(unexplained.p_value) else ''}; characteristics valued "
            f"at {self._valuation()})."
        )
        same_direction = unexplained.estimate * self.gap > 0
        return [
            Headline(
                severity=3 if significant and same_direction else 1,
                text=text,
                figure=float(unexplained.estimate),
                section="twofold",
            )
        ]


def _estimates(
    est: np.ndarray, sd: np.ndarray | None, gap: float, confidence: float
) -> dict[str, np.ndarray]:
    """Estimate, standard error, z, p, interval and share of the gap, column by column."""
    q = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    sd_arr = np.full_like(est, np.nan) if sd is None else np.asarray(sd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd_arr > 0, est / sd_arr, np.nan)
    share = est / gap * 100 if gap != 0 else np.full_like(est, np.nan)
    values = [
        est,
        sd_arr,
        z,
        2 * stats.norm.sf(np.abs(z)),
        est - q * sd_arr,
        est + q * sd_arr,
        share,
    ]
    return dict(zip(COLUMNS, values, strict=True))


def decomposition_tables(
    dec: Decomposition,
    names: list[str],
    variables: list[str],
    order: list[str],
    *,
    confidence: float,
    alpha: float,
) -> dict[str, pd.DataFrame]:
    """The overall, per-variable and per-term tables, and the coefficients."""
    kinds = ["threefold", "threefold", "threefold", "twofold", "twofold"]
    k, n_vars = len(names), len(order)
    totals = dec.contrib.sum(axis=1)
    std_total = None if dec.std_total is None else np.r_[dec.std_gap, dec.std_total]
    overall = pd.DataFrame(
        {
            "decomposition": ["total", *kinds],
            "component": ["gap", *COMPONENTS],
            **_estimates(np.r_[dec.gap, totals], std_total, dec.gap, confidence),
        }
    )
    overall["flagged"] = (overall["component"] == "unexplained") & (overall["p_value"] < alpha)
    by_variable = (
        dec.contrib @ np.array([[1.0 if v == name else 0.0 for v in variables] for name in order]).T
    )
    std_group = None if dec.std_group is None else np.ravel(dec.std_group)
    detailed = pd.DataFrame(
        {
            "decomposition": np.repeat(kinds, n_vars),
            "component": np.repeat(COMPONENTS, n_vars),
            "variable": np.tile(order, 5),
            **_estimates(by_variable.ravel(), std_group, dec.gap, confidence),
        }
    )
    std_term = None if dec.std_term is None else np.ravel(dec.std_term)
    terms = pd.DataFrame(
        {
            "decomposition": np.repeat(kinds, k),
            "component": np.repeat(COMPONENTS, k),
            "variable": np.tile(variables, 5),
            "term": np.tile(names, 5),
            **_estimates(dec.contrib.ravel(), std_term, dec.gap, confidence),
        }
    )
    coefficients = pd.DataFrame(
        {
            "term": names,
            "mean_a": dec.mean_a,
            "mean_b": dec.mean_b,
            "coef_a": dec.fit_a.params,
            "coef_b": dec.fit_b.params,
            "coef_reference": dec.coef_reference,
        }
    )
    return {"overall": overall, "detailed": detailed, "terms": terms, "coefficients": coefficients}
