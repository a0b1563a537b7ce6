"""Reading the findings of an audit report's JSON (``Report.to_json``), for comparison.

A *finding* is a row of a result's table that carries a flag: ``adverse_impact`` or
``below_four_fifths`` next to an ``impact_ratio`` (adverse impact, promotion, NYC LL144,
cut-offs, screening models, ratings), ``flagged`` next to an adjusted pay gap, a rater's gap or
a rubric gap. Findings are identified by the analysis (the section title), the stage (or
criterion, level, stratum, rater, or the name of the table) and the group.

Each measure has a parity value (1 for ratios, 0 for gaps) and a tolerance: a flagged finding
whose distance from parity grew by more than the tolerance is "worse", shrank by more than it
"better", else "unchanged".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidParameterError, InvalidValueError
from ..stats.selection import small_samples

__all__ = ["MEASURES", "Audit", "Finding", "Measure", "read_audit"]


@dataclass(frozen=True)
class Measure:
    column: str
    name: str
    flags: tuple[str, ...]
    parity: float
    tolerance: float


#: The figures compared, in order of preference within a record.
MEASURES = (
    Measure("impact_ratio", "impact ratio", ("adverse_impact", "below_four_fifths"), 1.0, 0.02),
    Measure("adjusted_gap_pct", "adjusted pay gap (%)", ("flagged",), 0.0, 0.5),
    Measure("gap", "gap in rates", ("flagged",), 0.0, 0.02),
    Measure("hedges_g", "standardised score gap (Hedges' g)", ("flagged",), 0.0, 0.05),
)

#: Columns naming where a finding sits, in order of preference (the first present is used).
WHERE = ("stage", "criterion", "stratum", "level", "rater", "cell")
#: Columns counting the people behind a figure (for small-count suppression).
COUNTS = ("applicants", "selected", "n", "n_reference", "n_focal", "focal_n", "reference_n",
          "decisions")


@dataclass(frozen=True)
class Finding:
    """One flaggable row of an audit: where it is, its figure and whether it was flagged."""

    analysis: str
    stage: str
    group: str
    measure: Measure
    figure: float | None
    flagged: bool | None  # None: withheld from the audit (small-count suppression)
    counts: tuple[int, int, int, int] | None  # (a, n, b, m) when the row gives them
    min_count: int | None
    small_sample: bool = False  # too small for the large-sample tests (the row's own flag)


@dataclass(frozen=True)
class Audit:
    """The parts of an audit JSON a comparison needs."""

    source: str
    info: Mapping[str, Any]
    schema_version: str
    analyses: tuple[str, ...]
    findings: dict[tuple[str, str, str], Finding]
    #: (analysis, stage) -> the reference group its findings are compared with
    references: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (analysis, stage, group) of the rows that are a reference (ties included): no findings
    reference_rows: frozenset[tuple[str, str, str]] = frozenset()


def _load(audit: Any, argument: str) -> tuple[dict[str, Any], str]:
    if isinstance(audit, Mapping):
        return dict(audit), f"{argument} (a dict)"
    if hasattr(audit, "to_json_dict") and callable(audit.to_json_dict):
        return audit.to_json_dict(), f"{argument} (a Report)"
    if isinstance(audit, str | Path):
        path = Path(audit)
        if not path.is_file():
            raise InvalidParameterError(
                f"{argument}={str(audit)!r} is not a file. Pass the path of an audit JSON "
                "written by Report.to_json(), or its parsed dict."
            )
        try:
            return json.loads(path.read_text(encoding="utf-8")), path.name
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidValueError(
                f"{argument}={str(audit)!r} is not valid JSON ({exc}). Pass a file written by "
                "Report.to_json()."
            ) from None
    raise InvalidParameterError(
        f"{argument}= must be the path of an audit JSON, its parsed dict or a Report; got "
        f"{type(audit).__name__}."
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


#: Values of a location column that mean "everyone" (a pay gap over all cells).
EVERYWHERE = ("", "all", "overall")


def _where(record: Mapping[str, Any], table: str) -> str:
    for key in WHERE:
        if record.get(key) is not None and str(record[key]).strip().casefold() not in EVERYWHERE:
            value = _text(record[key])
            return value if key == "stage" else f"{key} {value}"
    return "" if table == "table" else table


def _smallest(record: Mapping[str, Any]) -> int | None:
    present = [record[k] for k in COUNTS if isinstance(record.get(k), int | float)]
    return int(min(present)) if present else None


def _selection(record: Mapping[str, Any] | None) -> tuple[int, int] | None:
    """(selected, applicants) of a row, when both are there (not suppressed)."""
    if record is None:
        return None
    a, n = record.get("selected"), record.get("applicants")
    if isinstance(a, int | float) and isinstance(n, int | float):
        return int(a), int(n)
    return None


def _small(record: Mapping[str, Any], counts: tuple[int, int, int, int] | None) -> bool:
    """The row's ``small_sample`` flag, or the same rule (a group under 30, an expected cell
    under 5) on its counts when the row has no flag."""
    if isinstance(record.get("small_sample"), bool):
        return record["small_sample"]
    return counts is not None and bool(small_samples(*counts, 30))


def _finding(analysis: str, table: str, record: Mapping[str, Any], rows: Mapping) -> Finding | None:
    group = record.get("group", record.get("category"))
    if group is None or record.get("is_reference") is True or (
        record.get("reference_group") is not None
        and _text(record["reference_group"]) == _text(group)
    ):  # the reference group is compared with, never flagged (its flag may still be withheld)
        return None
    for measure in MEASURES:
        flag = next((f for f in measure.flags if f in record), None)
        if measure.column not in record or flag is None:
            continue
        figure = record[measure.column]
        figure = float(figure) if isinstance(figure, int | float) else None
        where = _where(record, table)
        focal = _selection(record)
        ref = _selection(rows.get((where, _text(record.get("reference_group")))))
        counts = focal + ref if focal and ref else None
        flagged = None if record[flag] is None else bool(record[flag])
        return Finding(analysis, where, _text(group), measure, figure, flagged, counts,
                       _smallest(record), _small(record, counts))
    return None


def _latest(payload: Mapping[str, Any], rows: list[dict]) -> list[dict]:
    """A monitoring run's rows of its last period: its findings are where the run ended (the
    rows of every period share a stage and group, and the first period's would stand for the
    run)."""
    periods = payload.get("periods")
    if not (isinstance(periods, list) and periods and all("period" in r for r in rows)):
        return rows
    last = str(periods[-1])
    return [r for r in rows if str(r["period"]) == last]


def _section_findings(
    analysis: str, payload: Mapping[str, Any], references: dict[tuple[str, str], str],
    reference_rows: set[tuple[str, str, str]],
) -> list[Finding]:
    """The findings of one section; ``references`` gets its (analysis, stage) -> reference,
    ``reference_rows`` its rows that are a reference."""
    out = []
    for table, value in payload.items():
        if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
            continue
        value = _latest(payload, value)
        rows = {(_where(r, table), _text(r.get("group", r.get("category")))): r for r in value}
        found = (_finding(analysis, table, r, rows) for r in value)
        out += [f for f in found if f is not None]
        for r in value:
            if r.get("reference_group") is None or not _has_measure(r):
                continue
            where, group = _where(r, table), _text(r.get("group", r.get("category")))
            references.setdefault((analysis, where), _text(r["reference_group"]))
            if r.get("is_reference") is True or group == _text(r["reference_group"]):
                reference_rows.add((analysis, where, group))
    return out


def _has_measure(record: Mapping[str, Any]) -> bool:
    """Whether a row holds a compared figure (a trend row names a reference but is none)."""
    return any(m.column in record and any(f in record for f in m.flags) for m in MEASURES)


def _check_layout(data: Mapping[str, Any], source: str) -> None:
    """Refuse an audit JSON whose parts are not laid out as Report.to_json writes them (a file
    edited by hand, or by a tool that rewrote it): reading it would stop on a Python error."""
    sections = data["sections"]
    wrong = ""
    if not isinstance(sections, list):
        wrong = f"'sections' is not a list of sections (it is a {type(sections).__name__})"
    elif bad := [i for i, s in enumerate(sections) if not isinstance(s, Mapping)]:
        wrong = f"section {bad[0]} is not an object (it is {sections[bad[0]]!r:.40})"
    elif bad := [i for i, s in enumerate(sections)
                 if not isinstance(s.get("result") or {}, Mapping)]:
        wrong = f"the 'result' of section {bad[0]} is not an object"
    elif not isinstance(data.get("report") or {}, Mapping):
        wrong = f"'report' is not an object (it is {data['report']!r:.40})"
    if wrong:
        raise InvalidValueError(
            f"{source} is not laid out as a fairhire audit: {wrong}. Was it edited by hand? "
            "Compare the audit.json files as Report.to_json() wrote them (or write them again)."
        )


def read_audit(audit: Any, *, argument: str) -> Audit:
    """Read an audit JSON (path, dict or Report) and its findings.

    Raises
    ------
    InvalidValueError
        The file is not a fairhire audit (no ``schema_version`` or ``sections``).
    """
    data, source = _load(audit, argument)
    if not isinstance(data, dict) or "schema_version" not in data or "sections" not in data:
        raise InvalidValueError(
            f"{source} is not a fairhire audit: it has no 'schema_version' and 'sections'. Pass "
            "a JSON file written by Report.to_json()."
        )
    _check_layout(data, source)
    findings: dict[tuple[str, str, str], Finding] = {}
    references: dict[tuple[str, str], str] = {}
    reference_rows: set[tuple[str, str, str]] = set()
    analyses: list[str] = []
    for section in data["sections"]:
        if section.get("kind") == "audit comparison":  # a comparison is no finding of its own
            continue
        title = _text(section.get("title") or section.get("kind"))
        analysis = title if title not in analyses else f"{title} ({section.get('index')})"
        analyses.append(analysis)
        for found in _section_findings(analysis, section.get("result") or {}, references,
                                        reference_rows):
            findings.setdefault((found.analysis, found.stage, found.group), found)
    info = dict(data.get("report") or {})
    return Audit(source=source, info=info, schema_version=str(data["schema_version"]),
                 analyses=tuple(analyses), findings=findings, references=references,
                 reference_rows=frozenset(reference_rows))
