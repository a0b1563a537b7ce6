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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, TypeVar, dataclass_transform

import numpy as np
import pandas as pd

from .errors import InvalidParameterError, preview

__all__ = [
    "Headline", "Result", "RowAccount", "by_severity", "jsonable", "named_value",
    "result_dataclass", "table_text",
]


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


def by_severity(headlines: Iterable[Headline]) -> list[Headline]:
    """Headlines most serious first; equally serious ones keep their order.

    Examples
    --------
    >>> [h.text for h in by_severity([Headline(severity=1, text="a"),
    ...                               Headline(severity=3, text="b")])]
    ['b', 'a']
    """
    return sorted(headlines, key=lambda h: -h.severity)


@dataclass(frozen=True, kw_only=True)
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

    @classmethod
    def of(cls, total: int, excluded: Mapping[str, int]) -> RowAccount:
        """The account of ``total`` rows of which those in ``excluded`` (by reason) were left
        out and every other row was used.

        Examples
        --------
        >>> RowAccount.of(10, {"missing group": 3}).used
        7
        """
        return cls(total=total, used=total - sum(excluded.values()), excluded=excluded)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "used": self.used, "excluded": dict(self.excluded)}

    def to_frame(self) -> pd.DataFrame:
        rows = [("used", self.used)] + [(f"excluded: {k}", v) for k, v in self.excluded.items()]
        rows.append(("total", self.total))
        return pd.DataFrame(rows, columns=["rows", "count"])

    def describe(self) -> str:
        return describe_rows(self.total, self.used, self.excluded)

    def exclusion_notes(self) -> dict[str, str]:
        """The warning an analysis gives for each reason rows were left out, by reason (a
        report shows it as it shows the count in its data section).

        Examples
        --------
        >>> RowAccount.of(10, {"missing group": 3}).exclusion_notes()
        {'missing group': '3 rows excluded: missing group.'}
        """
        return {k: f"{v:,} rows excluded: {k}." for k, v in self.excluded.items()}


def describe_rows(total: Any, used: Any, excluded: Mapping[str, Any]) -> str:
    """A row account in words; a figure may be a report's withheld marker ("< 5", "s"), which
    formats as itself and is listed although it is not a number.

    >>> describe_rows(120, 110, {"missing group": 10, "blank stage": 0})
    '110 of 120 rows used; 10 excluded (missing group)'
    """
    parts = [f"{used:,} of {total:,} rows used"]
    parts += [f"{count:,} excluded ({reason})" for reason, count in excluded.items()
              if count != 0]  # a withheld marker is NaN: not 0, though falsy
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
    """Base class of fairhire's result objects: the one result contract.

    Subclasses are frozen dataclasses made by :func:`result_dataclass`. Every public result
    has:

    - ``table``: its main pandas table (a field or a property);
    - ``flagged``: the rows of ``table`` that need attention (by default, rows whose
      :attr:`flag_column` is True);
    - ``warnings`` (tuple of str), ``rows`` (a :class:`RowAccount`), ``params`` (the arguments
      it ran with) and ``fingerprint`` (SHA-256 of the inputs it was computed from);
    - ``summary()``, ``to_frame()``, ``to_dict()``, ``headlines()``, ``_repr_html_()`` and a
      short ``repr`` naming the analysis and its headline.

    Row-level data about individuals (per-employee pay, per-interview rows, OWBPA ages) is
    named in :attr:`private_fields`: ``to_dict()`` and reports leave it out, or replace it by
    the summary the mapping names. That is the one privacy rule for every result.

    Attributes
    ----------
    warnings : tuple of str
        Things a reader should know (small samples, reversals, exclusions, merged labels).
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
    #: Boolean column of ``table`` that marks the rows :attr:`flagged` returns.
    flag_column: ClassVar[str | None] = None
    #: Row-level fields left out of ``to_dict()`` and reports: field name -> the name of a
    #: property that summarises it (kept instead), or None to leave it out with a note.
    private_fields: ClassVar[Mapping[str, str | None]] = {}
    #: Columns of this result's tables that count people (suppressed below a report's
    #: ``min_cell``), and columns derived from such counts (suppressed with them).
    count_columns: ClassVar[frozenset[str]] = frozenset()
    derived_columns: ClassVar[frozenset[str]] = frozenset()
    #: Number columns that name a row, not a figure of it (a cut-off score): shown beside a
    #: withheld row, as a text label is.
    label_columns: ClassVar[frozenset[str]] = frozenset()
    #: Figures computed from the counted people's values, not from their counts (a pay gap,
    #: its interval and test, the flag read off them). A report withholds them where the row
    #: rests on fewer than ``min_cell`` people, or is compared with a reference that does, but
    #: not where its counts are withheld only so that a small count elsewhere cannot be worked
    #: out: a gap between 973 and 985 people's pay gives no count back.
    magnitude_columns: ClassVar[frozenset[str]] = frozenset()
    #: Columns that count the flagged rows of another table, per key: column -> (table, flag
    #: column, key column). A report withholds such a tally where one of the rows it counts
    #: has its flag withheld (a count of 1 flagged beside one withheld rater names its flag).
    tally_columns: ClassVar[Mapping[str, tuple[str, str, str]]] = {}
    #: What the row account counts: people (withheld below ``min_cell`` like any count), or
    #: something else (a comparison of two audits counts findings).
    rows_count_people: ClassVar[bool] = True
    #: Tables computed on a grid of sizes, not from anyone's figures (a funnel plot's control
    #: limits at 10, 14, ... decisions), -> the table whose figures they are drawn around:
    #: shown as they are while nothing in that table is withheld, left out otherwise.
    method_fields: ClassVar[Mapping[str, str]] = {}

    def to_frame(self) -> pd.DataFrame:
        """The main table (a copy)."""
        return self.table.copy()  # type: ignore[attr-defined]

    def summary(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def flagged(self) -> pd.DataFrame:
        """Rows of ``table`` that need attention (see :attr:`flag_column`)."""
        table = self.table  # type: ignore[attr-defined]
        if self.flag_column is None or self.flag_column not in table.columns:
            return table.iloc[0:0]
        return table.loc[table[self.flag_column].astype(bool)].reset_index(drop=True)

    def headlines(self) -> list[Headline]:
        """Findings as plain-language sentences for an executive summary (override)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of every field (tables as lists of records, NaN as None).

        Fields named in :attr:`private_fields` are left out, or replaced by their summary.
        """
        out: dict[str, Any] = {"type": type(self).__name__}
        omitted = []
        for f in dataclasses.fields(self):
            if f.name in self.private_fields:
                summary = self.private_fields[f.name]
                if summary is not None:
                    out[summary] = jsonable(getattr(self, summary))
                omitted.append(f.name)
                continue
            out[f.name] = jsonable(getattr(self, f.name))
        if omitted:
            out["omitted_row_level"] = omitted
        return out

    def _rows_text(self) -> list[str]:
        """The summary line on rows used and excluded ("Rows: …."), if the result counts them."""
        return [] if self.rows is None else ["Rows: " + self.rows.describe() + "."]

    def _summary_text(self, lines: list[str]) -> str:
        """A summary's lines, then one "Warning: …" line per warning: how every summary ends."""
        return "\n".join([*lines, *(f"Warning: {w}" for w in self.warnings)])

    def _repr_headline(self) -> str:
        """The short description in ``repr`` (override for a better one)."""
        table = self.table  # type: ignore[attr-defined]
        return f"{len(table):,} rows, {len(self.flagged):,} flagged"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} ({self.kind}): {self._repr_headline()}>"

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        table = frame.to_html(index=False, escape=True, na_rep="", float_format=_fmt_float)
        return f"<div class='fairhire-result'><pre>{html.escape(self.summary())}</pre>{table}</div>"

    def __str__(self) -> str:
        return self.summary()


_R = TypeVar("_R", bound=type[Result])


@dataclass_transform(frozen_default=True, kw_only_default=True, eq_default=False)
def result_dataclass(cls: _R) -> _R:
    """Make a :class:`Result` subclass the dataclass the contract asks for: frozen, its fields
    keyword-only, compared by identity (``eq=False``: results hold tables), and its ``repr``
    the short one of :class:`Result`, not a dump of every table (``repr=False``).

    Examples
    --------
    >>> @result_dataclass
    ... class Counted(Result):
    ...     table: pd.DataFrame
    >>> Counted(table=pd.DataFrame({"n": [1, 2]}))
    <Counted (result): 2 rows, 0 flagged>
    >>> [f.name for f in dataclasses.fields(Counted)][-1]
    'table'
    """
    return dataclass(frozen=True, kw_only=True, eq=False, repr=False)(cls)


def table_text(frame: pd.DataFrame, digits: int = 4) -> str:
    """A table as plain text for ``summary()``: no index, numbers to ``digits`` significant
    figures, p-values as every report writes them ("< 0.001", three decimals).

    Examples
    --------
    >>> print(table_text(pd.DataFrame({"group": ["A", "B"], "rate": [0.123456, 2 / 3],
    ...                                "p_value": [1.05e-08, 0.0496]})))
    group   rate p_value
        A 0.1235 < 0.001
        B 0.6667  0.0496
    """
    from ._core.text import column_kind, format_p

    p_values = {c: (lambda v: "" if pd.isna(v) else format_p(v)) for c in frame.columns
                if column_kind(c) == "p" and pd.api.types.is_float_dtype(frame[c])}
    return frame.to_string(index=False, float_format=lambda v: f"{v:.{digits}g}",
                           formatters=p_values or None)


def named_value(table: pd.DataFrame, key: str, name: object, value: str) -> float:
    """The ``value`` of the row of ``table`` whose ``key`` column is ``name``: how a result
    gives one named figure (an indicator, a component); an error lists the names there are.

    Examples
    --------
    >>> named_value(pd.DataFrame({"component": ["gap", "explained"], "estimate": [2.0, 0.5]}),
    ...             "component", "explained", "estimate")
    0.5
    """
    row = table.loc[table[key] == name, value]
    if row.empty:
        raise InvalidParameterError(
            f"no {key} {name!r}; choose from {preview(table[key], limit=len(table))}."
        )
    return float(row.iloc[0])


def _fmt_float(x: float) -> str:
    return f"{x:.4g}"
