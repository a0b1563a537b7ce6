"""The JSON form of a report section: ``result.to_dict()`` with ``min_cell`` applied.

Its tables withhold exactly what the report's tables withhold (the section's
:class:`~fairhire.report.view.ReportView` planned them), and its counts and row accounts follow
the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .._results import RowAccount, jsonable
from .sections import Section
from .suppress import Rule, Withheld, complement, suppress_records
from .view import ReportView, suppress_rows

__all__ = ["section_json"]


def section_json(section: Section) -> dict[str, Any]:
    """One section of :meth:`Report.to_json_dict`."""
    result = section.result
    payload = jsonable(result.to_dict())
    if section.include_disclosure:
        payload.update({k: jsonable(getattr(result, k)) for k in result.private_fields})
    if section.people_min_cell is not None:
        grids = {name: payload[name] for name in getattr(result, "method_fields", {})
                 if name in payload}
        payload = _suppress_payload(payload, Rule.for_result(result, section.people_min_cell),
                                    section.view)
        _withhold_tallies(payload, result, section.view)
        # a grid of sizes (a funnel's control limits) counts no one: it is as the report's
        # chart draws it, whole or left out (ReportView), never planned cell by cell, which
        # withheld the grid points equal to a count of the tables and so named those counts
        payload.update({name: grid if len(getattr(section.view, name)) else []
                        for name, grid in grids.items()})
    payload["warnings"] = list(section.view.warnings)  # the result's own
    for name in getattr(result, "used_count_fields", ()):
        if name in payload and isinstance(getattr(section.view, name), Withheld):
            payload[name] = None  # as the report's sentence withholds it
    rows = section.rows.to_dict() if section.rows is not None else None
    if "rows" in payload:
        payload["rows"] = rows
    return {
        "index": section.index,
        "anchor": section.anchor,
        "title": section.title,
        "notes": list(section.notes),
        "type": section.type_name,
        "kind": section.kind,
        "partial": section.partial,
        "headlines": [h.to_dict() for h in section.headlines],
        "warnings": list(section.warnings),
        "rows": rows,
        "params": {str(k): jsonable(v) for k, v in (result.params or {}).items()},
        "fingerprint": getattr(result, "fingerprint", None),
        "result": payload,
    }


def _suppress_payload(value: Any, rule: Rule, view: ReportView) -> Any:
    """Apply ``min_cell`` to a ``to_dict()`` payload: its tables withhold what the report's
    tables withhold (``view``), and its counts and row accounts follow the same rules."""
    tables: list[list[dict[str, Any]]] = []
    _tables(value, tables)
    plan = {id(t): view.withheld_cells(pd.DataFrame.from_records(t)) for t in tables}
    return _apply(value, rule, plan, (view.withheld_rows(), view.small_rows()))


def _withhold_tallies(payload: dict[str, Any], result: Any, view: ReportView) -> None:
    """A tally of flagged rows (:attr:`fairhire.Result.tally_columns`) is null in the rows
    whose counted rows include a withheld flag, as in the report's tables."""
    for column, (source, _flag, key) in getattr(type(result), "tally_columns", {}).items():
        held = view.held_tally_keys(column)
        for name, records in payload.items():
            if name == source or not _flat(records) or not held:
                continue
            for rec in records:
                if column in rec and str(rec.get(key)) in held and rec[column] is not None:
                    rec[column] = None
                    rec["suppressed"] = sorted({*rec.get("suppressed", []), column})


def _flat(value: Any) -> bool:
    return (isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
            and all(not isinstance(x, dict | list) for v in value for x in v.values()))


def _tables(value: Any, out: list[list[dict[str, Any]]]) -> None:
    if _flat(value):
        out.append(value)
    elif isinstance(value, list):
        for v in value:
            _tables(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            _tables(v, out)


def _apply(value: Any, rule: Rule, plan: Mapping[int, dict[str, set[int]]],
           keys: tuple[list[tuple[tuple[str, ...], set]], list[tuple[tuple[str, ...], set]]]
           ) -> Any:
    if _flat(value):
        return suppress_records(value, rule, forced=plan.get(id(value)), keys=keys[0],
                                small_keys=keys[1])
    if isinstance(value, list):
        return [_apply(v, rule, plan, keys) for v in value]
    if isinstance(value, dict):
        if {"used", "total", "excluded"} <= set(value) and isinstance(value["excluded"], dict):
            account = RowAccount(total=value["total"], used=value["used"],
                                 excluded=dict(value["excluded"]))
            return suppress_rows(account, rule.min_cell).to_dict()  # type: ignore[union-attr]
        return {
            k: None if (k in rule.counts and rule.is_small(v)) else
            _small_counts(v, rule) if (k in rule.counts and isinstance(v, dict)) else
            _apply(v, rule, plan, keys)
            for k, v in value.items()
        }
    return value


def _small_counts(counts: dict[str, Any], rule: Rule) -> dict[str, Any]:
    """A {label: number of people} field (e.g. workers of another recorded sex): small numbers
    withheld, with rule 3 as for a row account (their sum is shown elsewhere)."""
    numbers = {k: float(v) for k, v in counts.items() if rule.is_small(v) or _number(v)}
    small, hidden = complement(numbers, rule.min_cell)
    return {k: None if k in small | hidden else v for k, v in counts.items()}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
