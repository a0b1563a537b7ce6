"""``fh.compare_audits``: what changed since the previous audit, finding by finding."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import pandas as pd

from .._core.labels import label_key, sex_of
from .._core.text import format_number, format_ratio
from .._results import (
    Headline,
    Result,
    RowAccount,
    by_severity,
    jsonable,
    result_dataclass,
    table_text,
)
from ..errors import InvalidValueError
from ..stats.change import log_ratio_change
from .findings import Audit, Finding, read_audit
from .result import HEADLINE_MIN_COUNT

__all__ = ["COMPARISON_COLUMNS", "STATUSES", "AuditComparison", "compare_audits"]

NEW, RESOLVED, WORSE, BETTER, UNCHANGED = "new", "resolved", "worse", "better", "unchanged"
#: Statuses in the order reports list them.
STATUSES = (NEW, WORSE, UNCHANGED, BETTER, RESOLVED)

#: Why a finding was not compared (the ``reason`` column of ``not_compared``).
ONE_AUDIT = "analysis in one audit only"
WITHHELD = "flag withheld in one audit"
WITHHELD_BOTH = "flag withheld in both audits"
ABSENT = "no row in the current audit"
NOW_REFERENCE = "the reference group in the current audit"
NOT_COMPARED_COLUMNS = ["analysis", "stage", "group", "audit", "reason"]

COMPARISON_COLUMNS = [
    "analysis", "stage", "group", "measure", "status", "previous", "current", "change",
    "previous_flagged", "current_flagged", "p_value_change", "min_count", "needs_attention",
]


@result_dataclass
class AuditComparison(Result):
    """Two audits compared finding by finding.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per finding flagged in either audit: ``analysis`` (the section title),
        ``stage`` (or criterion, level, rater, table), ``group``, ``measure`` (e.g. "impact
        ratio"), ``status`` ("new", "resolved", "worse", "better" or "unchanged"),
        ``previous`` and ``current`` (the figures; None where absent or suppressed),
        ``change`` (current − previous), ``previous_flagged``, ``current_flagged``,
        ``p_value_change`` (for impact ratios with counts in both audits: the test of the
        difference of log impact ratios), ``min_count`` (smallest count behind the figures)
        and ``needs_attention`` (new or worse).
    not_compared : pandas.DataFrame
        Findings flagged in one audit that could not be compared (``analysis, stage, group,
        audit, reason``): their analysis is only in ``audit`` ("analysis in one audit only"),
        or their flag is withheld in ``audit`` under small-count suppression ("flag withheld
        in one audit"; a withheld flag is unknown, so the finding is neither resolved nor
        new; "flag withheld in both audits", with ``audit`` "both"), or a finding of the previous audit has no row in the current one ("no row in
        the current audit": nobody in the group or stage, so not known to be resolved).
    previous_audit, current_audit : mapping
        Title, organisation, period, generation time and version of each audit.
    """

    table: pd.DataFrame
    not_compared: pd.DataFrame
    previous_audit: Mapping[str, Any]
    current_audit: Mapping[str, Any]
    fingerprint: str

    kind: ClassVar[str] = "audit comparison"
    flag_column: ClassVar[str | None] = "needs_attention"
    count_columns: ClassVar[frozenset[str]] = frozenset({"min_count"})
    derived_columns: ClassVar[frozenset[str]] = frozenset({"previous", "current", "change"})
    rows_count_people: ClassVar[bool] = False  # its rows are findings
    #: The report places this section right after its executive summary.
    report_placement: ClassVar[str] = "after summary"

    def _repr_headline(self) -> str:
        counts = self.status_counts()
        return ", ".join(f"{counts[s]} {s}" for s in STATUSES)

    def status_counts(self) -> dict[str, int]:
        """Findings per status (every status, zero included)."""
        found = self.table["status"].value_counts()
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def _tally(self) -> str:
        counts = self.status_counts()
        tally = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        held = len(self.not_compared)
        return tally + (f"; {held} not compared (see the warnings)" if held else "")

    def _since(self) -> str:
        when = self.previous_audit.get("generated_at")
        return f"the previous audit ({str(when)[:10]})" if when else "the previous audit"

    def headlines(self) -> list[Headline]:
        """A tally, then one sentence per new or worse finding."""
        out = [Headline(severity=1, text=f"Since {self._since()}: {self._tally()}.",
                        section=self.kind)]
        for row in self.table.loc[self.table["needs_attention"]].itertuples(index=False):
            out.append(Headline(severity=2, text=self.sentence(row), section=self.kind))
        return by_severity(out)

    def sentence(self, row: Any, figures: bool | None = None) -> str:
        """One finding in words. ``row`` is a row of :attr:`table` (a namedtuple or dict).

        Its figures are quoted when ``figures`` is True, or by default when no count behind
        them is below :data:`~fairhire.monitor.result.HEADLINE_MIN_COUNT`.
        """
        get = row.get if isinstance(row, Mapping) else lambda k: getattr(row, k)
        smallest = get("min_count")
        known = smallest is not None and not pd.isna(smallest)
        if figures is None:
            figures = not known or smallest >= HEADLINE_MIN_COUNT
        where = f"{get('analysis')}, {get('stage')}" if get("stage") else get("analysis")
        head = {NEW: "New finding", WORSE: "Worse", BETTER: "Better", RESOLVED: "Resolved",
                UNCHANGED: "Unchanged"}[get("status")]
        text = f"{head}: {where}, {get('group')} ({get('measure')}"
        if not figures:
            return text + f"; figures not quoted, fewer than {HEADLINE_MIN_COUNT} people)."
        measure = get("measure")
        text += f" {_figure(get('previous'), measure)} → {_figure(get('current'), measure)}"
        return text + ")."

    def summary(self) -> str:
        """Plain text: the two audits, the tally and the findings."""
        lines = [
            f"Comparing {_describe(self.previous_audit)} with {_describe(self.current_audit)}.",
            f"Findings: {self._tally()}.",
        ]
        if len(self.table):
            cols = ["analysis", "stage", "group", "measure", "status", "previous", "current"]
            lines.append(table_text(self.table[cols], 3))
        return self._summary_text(lines)


def _figure(value: Any, measure: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return format_ratio(value) if measure == "impact ratio" else format_number(value, 2)


def _describe(info: Mapping[str, Any]) -> str:
    title = info.get("title") or "an audit"
    when = info.get("generated_at")
    return f"“{title}” ({str(when)[:10]})" if when else f"“{title}”"


def _status(before: Finding | None, after: Finding | None) -> str:
    was = before is not None and before.flagged
    now = after is not None and after.flagged
    if now and not was:
        return NEW
    if was and not now:
        return RESOLVED
    if before.figure is None or after.figure is None:  # suppressed: compare flags only
        return UNCHANGED
    m = after.measure
    grew = abs(after.figure - m.parity) - abs(before.figure - m.parity)
    if grew > m.tolerance:
        return WORSE
    if grew < -m.tolerance:
        return BETTER
    return UNCHANGED


def _difference(current: float, previous: float) -> float:
    """``current - previous`` as the two figures are written: 0.5 - 0.6 is -0.1, not
    -0.09999999999999998 (the binary float's rounding, printed by the CSV and JSON output).

    >>> _difference(0.5, 0.6), _difference(6.3, 6.0)
    (-0.1, 0.3)
    """
    return round(current - previous, 12)


def _p_change(before: Finding | None, after: Finding | None) -> float:
    """The change test's p-value; NaN without counts, or on a small sample (its normal
    approximation gives 4 of 4 selected no variance: p = 7e-9 for 30/100 → 4/4)."""
    if before is None or after is None or before.counts is None or after.counts is None:
        return math.nan
    if after.measure.column != "impact_ratio" or before.small_sample or after.small_sample:
        return math.nan
    return log_ratio_change(before.counts, after.counts).p_value


def _row(key: tuple[str, str, str], before: Finding | None, after: Finding | None) -> dict:
    status = _status(before, after)
    prev = None if before is None else before.figure
    cur = None if after is None else after.figure
    counts = [f.min_count for f in (before, after) if f is not None and f.min_count is not None]
    return {
        "analysis": key[0], "stage": key[1], "group": key[2],
        "measure": (after or before).measure.name, "status": status, "previous": prev,
        "current": cur, "change": None if prev is None or cur is None else _difference(cur, prev),
        "previous_flagged": bool(before and before.flagged),
        "current_flagged": bool(after and after.flagged),
        "p_value_change": _p_change(before, after), "min_count": min(counts) if counts else None,
        "needs_attention": status in (NEW, WORSE),
    }


def _fingerprint(*audits: Audit) -> str:
    """SHA-256 of what was compared: each audit's report information and findings."""
    digest = hashlib.sha256()
    for audit in audits:
        found = [[*key, f.figure, f.flagged] for key, f in audit.findings.items()]
        text = json.dumps(jsonable([audit.info, found]), sort_keys=True, ensure_ascii=False)
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _meta(audit: Audit) -> dict[str, Any]:
    keys = ("title", "organization", "period", "generated_at", "fairhire_version")
    return {**{k: audit.info.get(k) for k in keys}, "schema_version": audit.schema_version,
            "source": audit.source}


def compare_audits(previous: Any, current: Any) -> AuditComparison:
    """Compare two audits finding by finding: new, resolved, worse, better or unchanged.

    Findings are the flaggable rows of every section (impact ratios with their four-fifths
    flag, adjusted pay gaps, rater and rubric gaps with their flags), matched by analysis
    (section title), stage and group. A finding flagged now but not before is *new*; flagged
    before but not now, *resolved*; flagged in both, *worse* or *better* when its distance from
    parity moved by more than the measure's tolerance (0.02 for an impact ratio), else
    *unchanged*. Keep section titles the same from one audit to the next.

    Parameters
    ----------
    previous, current : str, path, dict or Report
        Audit JSON files written by :meth:`fairhire.Report.to_json`, their parsed dicts, or a
        :class:`fairhire.Report`.

    Returns
    -------
    AuditComparison

    Raises
    ------
    InvalidValueError
        The two audits have different schema versions, or a file is not a fairhire audit.

    Examples
    --------
    >>> import fairhire as fh
    >>> def audit(hired_women):
    ...     counts = {"sex": ["Male", "Female"], "n": [100, 100], "hired": [50, hired_women]}
    ...     ai = fh.adverse_impact_from_counts(counts, group="sex", applicants="n",
    ...                                        selected="hired")
    ...     return fh.Report(generated_at="2026-01-31").add(ai, title="Hiring").to_json_dict()
    >>> cmp = fh.compare_audits(audit(30), audit(45))
    >>> cmp.table[["stage", "group", "status", "previous", "current"]]
      stage   group    status  previous  current
    0 hired  Female  resolved       0.6      0.9
    """
    before = read_audit(previous, argument="previous")
    after = read_audit(current, argument="current")
    if before.schema_version != after.schema_version:
        raise InvalidValueError(
            f"the audits have different schema versions: {before.source} has "
            f"{before.schema_version!r} and {after.source} has {after.schema_version!r}. Their "
            "figures are laid out differently; compare audits written by the same version of "
            "fairhire (re-render the older one with Report.to_json)."
        )
    after, matched = _match_groups(before, after)
    shared = set(before.analyses) & set(after.analyses)
    keys = list(dict.fromkeys([*before.findings, *after.findings]))
    rows, left_out = [], []
    for key in keys:
        b, a = before.findings.get(key), after.findings.get(key)
        # flagged in either audit, or withheld (unknown) in either: a withheld flag may hide one
        if not any(f is not None and f.flagged is not False for f in (b, a)):
            continue
        where = {"analysis": key[0], "stage": key[1], "group": key[2]}
        if key[0] not in shared:
            left_out.append({**where, "audit": "previous" if b else "current",
                             "reason": ONE_AUDIT})
            continue
        # a flag withheld under min_cell is unknown, not False: never "resolved" or "new"
        held = [name for name, f in (("previous", b), ("current", a))
                if f is not None and f.flagged is None]
        if held:
            both = len(held) == 2
            left_out.append({**where, "audit": "both" if both else held[0],
                             "reason": WITHHELD_BOTH if both else WITHHELD})
            continue
        if a is None:  # no row now (no one in the group or stage): not known to be resolved
            # or the group is what the others are compared with now (its rate the highest,
            # or reference= named it): no impact ratio of its own
            now = key in after.reference_rows
            left_out.append({**where, "audit": "previous",
                             "reason": NOW_REFERENCE if now else ABSENT})
            continue
        rows.append(_row(key, b, a))
    result = _result(before, after, rows, left_out)
    if matched:
        pairs = "; ".join(f"{new} = {old}" for new, old in matched)
        note = (f"groups written differently in the two audits were matched by the label rule "
                f"(case, spaces, sex spellings): {pairs}, the current spelling first. Write "
                "the groups the same way in both exports.")
        result = dataclasses.replace(result, warnings=(note, *result.warnings))
    return result


def _same_group(label: str) -> Any:
    """The key two audits' spellings of a group are matched on: the shared label rule's
    (case and spaces), with the spellings of the sexes read as one ("F" and "Female")."""
    key = label_key(label)
    return sex_of(key) or key


def _match_groups(before: Audit, after: Audit) -> tuple[Audit, list[tuple[str, str]]]:
    """``after`` with each group that the previous audit spells another way (an export that
    changed "Female" to "F") under the previous spelling, and the (current, previous) pairs.
    Unmatched, such a group was a new finding and its old self had no row now."""

    def groups(audit: Audit) -> dict[tuple[str, str], set[str]]:
        out: dict[tuple[str, str], set[str]] = {}
        for a, stage, g in [*audit.findings, *audit.reference_rows]:
            out.setdefault((a, stage), set()).add(g)
        return out

    old_groups, rename = groups(before), {}
    for where, now in groups(after).items():
        was = old_groups.get(where, set())
        for g in now - was:
            same = [p for p in was - now if _same_group(p) == _same_group(g)]
            if len(same) == 1:
                rename[(*where, g)] = same[0]
    if not rename:
        return after, []

    def key(k: tuple[str, str, str]) -> tuple[str, str, str]:
        return (k[0], k[1], rename.get(k, k[2]))

    findings = {key(k): dataclasses.replace(f, group=key(k)[2]) for k, f in after.findings.items()}
    references = {w: rename.get((*w, r), r) for w, r in after.references.items()}
    matched = sorted(set((k[2], p) for k, p in rename.items()), key=lambda m: (m[1], m[0]))
    return dataclasses.replace(
        after, findings=findings, references=references,
        reference_rows=frozenset(key(k) for k in after.reference_rows)), matched


def _places(rows: pd.DataFrame) -> str:
    """The first five findings of ``rows`` as "analysis, stage, group; ..."."""
    names = [", ".join(x for x in r if x) for r in
             rows[["analysis", "stage", "group"]].itertuples(index=False)]
    return "; ".join(names[:5]) + ("; ..." if len(names) > 5 else "")


def _reference_warnings(before: Audit, after: Audit) -> list[str]:
    """Stages whose reference group changed: an impact ratio of the previous audit and one of
    the current audit there compare with different groups."""
    changed = [f"{', '.join(x for x in where if x)}: {before.references[where]} → {now}"
               for where, now in after.references.items()
               if before.references.get(where, now) != now]
    if not changed:
        return []
    return [f"the reference group changed ({'; '.join(changed[:5])}"
            f"{'; ...' if len(changed) > 5 else ''}): the two audits' impact ratios there "
            "compare with different groups, so a change in a figure may be a change of "
            "yardstick. Pass the same reference= to both audits to compare like with like."]


def _result(before: Audit, after: Audit, rows: list[dict], left_out: list[dict]) -> AuditComparison:
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    order = {s: i for i, s in enumerate(STATUSES)}
    table = table.iloc[table["status"].map(order).argsort(kind="stable")].reset_index(drop=True)
    table["needs_attention"] = table["needs_attention"].astype(bool)
    not_compared = pd.DataFrame(left_out, columns=NOT_COMPARED_COLUMNS)
    warnings = []
    for reason, where, what in (
        (WITHHELD, "in one audit", "neither resolved nor new"),
        (WITHHELD_BOTH, "in both audits", "whether flagged is not known in either; compare "
         "the audits written without min_cell to see them"),
    ):
        held = not_compared.loc[not_compared["reason"] == reason]
        if len(held):
            many = len(held) > 1
            warnings.append(
                f"{len(held)} finding{'s' if many else ''} with "
                f"{'their flags' if many else 'its flag'} withheld {where} (small-count "
                f"suppression, min_cell) {'were' if many else 'was'} not compared: {what} "
                f"({_places(held)})."
            )
    for audit, other, name in ((before, after, "previous"), (after, before, "current")):
        for analysis in audit.analyses:
            if analysis not in other.analyses:
                warnings.append(f"the analysis “{analysis}” is only in the {name} audit: its "
                                "findings were not compared (keep section titles the same).")
    for reason, one, many in (
        (ABSENT, "has no row", "have no row"),
        (NOW_REFERENCE, "is the reference group", "are the reference group"),
    ):
        gone = not_compared.loc[not_compared["reason"] == reason]
        if len(gone):
            why = ("nobody in the group or stage this time?" if reason == ABSENT
                   else "what the others are compared with")
            warnings.append(
                f"{len(gone)} finding{'s' if len(gone) > 1 else ''} flagged in the previous "
                f"audit {many if len(gone) > 1 else one} in the current one ({why}), so not "
                f"called resolved: {_places(gone)}."
            )
    warnings += _reference_warnings(before, after)
    t0, t1 = before.info.get("generated_at"), after.info.get("generated_at")
    if t0 and t1 and str(t0) > str(t1):
        warnings.append("the previous audit was generated after the current one: check the "
                        "order of the two arguments.")
    total = len(table) + len(not_compared)
    excluded = {str(k): int(v) for k, v in not_compared["reason"].value_counts(sort=False).items()}
    return AuditComparison(
        table=table,
        not_compared=not_compared,
        previous_audit=_meta(before),
        current_audit=_meta(after),
        fingerprint=_fingerprint(before, after),
        warnings=tuple(warnings),
        rows=RowAccount(total=total, used=len(table), excluded=excluded),
        params={"previous": before.source, "current": after.source},
    )
