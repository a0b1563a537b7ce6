"""Base pieces shared by every result object.

Each analysis returns a frozen dataclass deriving from :class:`Result`. A result turns itself into
a pandas table (``to_frame()``), a JSON-safe dict (``to_dict()``), a plain-text summary
(``summary()``) and a notebook view (``_repr_html_()``). Results never render reports.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import pandas as pd

__all__ = ["Headline", "Result", "RowAccount", "jsonable"]


@dataclass(frozen=True, kw_only=True, eq=False)
class Headline:
    """One finding stated as a plain-language sentence, for a report's executive summary.

    ``severity``: 3 = evidence of adverse impact / a significant gap, 2 = a flag worth review
    (e.g. below four-fifths but not significant, or a small sample), 1 = informational.
    ``text`` never says "discrimination": that is a legal conclusion.
    """

    severity: int
    text: str
    figure: float | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "text": self.text,
            "figure": jsonable(self.figure),
            "section": self.section,
        }


@dataclass(frozen=True, kw_only=True, eq=False)
class RowAccount:
    """How many input rows an analysis used and how many it excluded, by reason.

    ``total == used + sum(excluded.values())`` always holds.
    """

    total: int
    used: int
    excluded: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.total != self.used + sum(self.excluded.values()):
            raise AssertionError(
                f"row accounting does not add up: {self.total} != {self.used} + "
                f"{sum(self.excluded.values())}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "used": self.used, "excluded": dict(self.excluded)}

    def to_frame(self) -> pd.DataFrame:
        rows = [("used", self.used)] + [(f"excluded: {k}", v) for k, v in self.excluded.items()]
        rows.append(("total", self.total))
        return pd.DataFrame(rows, columns=["rows", "count"])

    def describe(self) -> str:
        parts = [f"{self.used:,} of {self.total:,} rows used"]
        for reason, count in self.excluded.items():
            if count:
                parts.append(f"{count:,} excluded ({reason})")
        return "; ".join(parts)


def jsonable(value: Any) -> Any:
    """Convert a value to something ``json.dumps`` accepts, with NaN and infinities as None."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, pd.DataFrame):
        frame = value.astype(object).where(pd.notna(value), None)
        return [
            {str(k): jsonable(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")
        ]
    if isinstance(value, pd.Series):
        return jsonable(value.to_frame())
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)


@dataclass(frozen=True, kw_only=True, eq=False)
class Result:
    """Base class of fairhire's result objects.

    Subclasses are frozen dataclasses (``kw_only=True, eq=False``) and implement
    :meth:`to_frame` and :meth:`summary`; :meth:`to_dict` and :meth:`_repr_html_` work from them.

    Attributes
    ----------
    warnings : tuple of str
        Things a reader should know (small samples, reversals, exclusions).
    rows : RowAccount or None
        Input rows used and excluded, by reason.
    params : mapping
        The arguments the analysis ran with, for the reproducibility appendix.
    """

    warnings: tuple[str, ...] = ()
    rows: RowAccount | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    #: Short human name of the analysis, used in summaries and reports.
    kind: ClassVar[str] = "result"

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def summary(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def headlines(self) -> list[Headline]:
        """Findings as plain-language sentences for an executive summary (override)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of every field (tables as lists of records, NaN as None)."""
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            out[f.name] = jsonable(getattr(self, f.name))
        return out

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        table = frame.to_html(index=False, escape=True, na_rep="", float_format=_fmt_float)
        return f"<div class='fairhire-result'><pre>{html.escape(self.summary())}</pre>{table}</div>"

    def __str__(self) -> str:
        return self.summary()


def _fmt_float(x: float) -> str:
    return f"{x:.4g}"
