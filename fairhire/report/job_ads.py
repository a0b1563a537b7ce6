"""How a job-description scan reads in a report: the ad with numbered notes, and its tables.

The ``job_description`` partials call :func:`job_ad_view` (the template global ``job_ad``). It
turns a :class:`~fairhire.language.result.JobDescriptionScan` into plain data: the ad cut into
pieces for in-place highlighting, the findings grouped into numbered notes (one note per word
and category, however often the ad uses it), the unscored words, and the structural checks in
plain language. Every note is visible on screen, on a phone and on paper: no hover needed.
The ad is user text: this module returns strings, and the templates escape every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["JobAdView", "job_ad_view"]

_SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
_EXCERPT = 40  # characters of context on each side of a finding
_LIST_MARKERS = ("-", "*", "+")


def job_ad_view(result: Any) -> JobAdView:
    """The report view of a job-description scan (``job_ad(result)`` in a partial).

    Examples
    --------
    >>> import fairhire as fh
    >>> scan = fh.scan_job_description("We want a young, young-at-heart rockstar.")
    >>> view = job_ad_view(scan)
    >>> view.notes()[["n", "term", "times"]].values.tolist()
    [[1, 'young', 2], [2, 'rockstar', 1]]
    """
    return JobAdView(result)


@dataclass
class JobAdView:
    """A scan's findings grouped into numbered notes, and the pieces of the ad they mark."""

    result: Any
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for f in self.result.findings:
            self._numbers.setdefault(_group_key(f), len(self._numbers) + 1)

    def number(self, finding: Any) -> int:
        """The note number of a scored finding (the same word in the same category: one note)."""
        return self._numbers[_group_key(finding)]

    # -- the ad, for in-place highlighting ----------------------------------------------------
    def segments(self) -> list[dict[str, Any]]:
        """The ad as consecutive pieces: ``text``, ``marks`` (note numbers, "" if none),
        ``severity`` (the worst scored one), ``unscored`` (a gender-coded word not scored)."""
        from ..language.render import segments

        r = self.result
        out = []
        for piece, group in segments(r.text, tuple(r.findings) + tuple(r.suppressed)):
            scored = [f for f in group if f.context is None]
            numbers = sorted({self.number(f) for f in scored})
            worst = max((f.severity for f in scored), key=_SEVERITY_RANK.__getitem__,
                        default="")
            out.append({
                "text": piece,
                "marks": ",".join(map(str, numbers)),
                "severity": worst,
                "unscored": bool(group) and not scored,
            })
        return out

    def lines(self) -> list[list[dict[str, Any]]]:
        """The ad as lines of whitespace-free tokens, for Markdown.

        Each token: ``text``, ``bold`` (it overlaps a scored finding) and ``marks`` (note
        numbers of findings ending in it). A leading list marker (``-``, ``*``, ``+``) becomes
        "•" so it is not read as a Markdown list or a spreadsheet formula.
        """
        text = self.result.text
        spans = sorted((f.start, f.end, self.number(f)) for f in self.result.findings)
        lines: list[list[dict[str, Any]]] = []
        pos = k = 0
        for raw in text.split("\n"):
            line: list[dict[str, Any]] = []
            offset = pos
            for tok in raw.split(" "):
                start, end = offset, offset + len(tok)
                offset = end + 1
                word = tok.strip()
                if not word:
                    continue
                if not line and word in _LIST_MARKERS:
                    word = "•"
                while k < len(spans) and spans[k][1] <= start:
                    k += 1
                near = spans[k : k + 4]
                bold = any(s < end and e > start for s, e, _ in near)
                marks = ",".join(str(n) for s, e, n in near if start < e <= end)
                if bold and line and line[-1]["bold"] and not line[-1]["marks"]:
                    line[-1] = {"text": line[-1]["text"] + " " + word, "bold": True,
                                "marks": marks}  # a phrase: one bold run
                    continue
                line.append({"text": word, "bold": bold, "marks": marks})
            lines.append(line)
            pos += len(raw) + 1
        return lines

    # -- tables -------------------------------------------------------------------------------
    def notes(self) -> pd.DataFrame:
        """One row per note: the words (as first written), category, severity, how often the
        ad uses them, suggestions, the lines, the first use in context, and the source."""
        r = self.result
        rows: dict[int, dict[str, Any]] = {}
        for f in r.findings:
            n = self.number(f)
            line = r.text.count("\n", 0, f.start) + 1
            row = rows.get(n)
            if row is None:
                rows[n] = {
                    "n": n, "term": f.term,
                    "category": r.categories.get(f.category, f.category),
                    "severity": f.severity, "times": 1,
                    "suggestions": ", ".join(f.suggestions[:3]),
                    "lines": [line], "context": _excerpt(r.text, f.start, f.end),
                    "source": f.source,
                }
                continue
            row["times"] += 1
            if _SEVERITY_RANK[f.severity] > _SEVERITY_RANK[row["severity"]]:
                row["severity"] = f.severity
            if line not in row["lines"]:
                row["lines"].append(line)
        for row in rows.values():
            row["lines"] = ", ".join(map(str, row["lines"]))
        columns = ["n", "term", "category", "severity", "times", "suggestions", "lines",
                   "context", "source"]
        return pd.DataFrame(list(rows.values()), columns=columns)

    def unscored(self) -> pd.DataFrame:
        """Gender-coded words that were not scored, with where they were and the line."""
        r = self.result
        return pd.DataFrame(
            [
                {"term": f.term, "category": r.categories.get(f.category, f.category),
                 "context": f.context, "line": r.text.count("\n", 0, f.start) + 1}
                for f in r.suppressed
            ],
            columns=["term", "category", "context", "line"],
        )

    def checks(self) -> pd.DataFrame:
        """The structural checks as (check, result) rows in plain language."""
        c = self.result.checks
        rows = [
            ("Pay", c.pay_text()),
            ("Equal-opportunity statement", "yes" if c.eeo_statement else "no"),
            ("Reasonable-accommodation statement", "yes" if c.accommodation_statement else "no"),
            ("Listed requirements",
             str(c.n_requirements) if c.n_requirements is not None else "no list found"),
            ("Listed nice-to-haves", str(c.n_preferred) if c.n_preferred is not None else "–"),
            ("Most years of experience asked for",
             str(c.max_years_experience) if c.max_years_experience is not None else "–"),
            ("Degree", c.degree_text()),
        ]
        return pd.DataFrame(rows, columns=["check", "result"])


def _group_key(finding: Any) -> tuple[str, str]:
    return (" ".join(finding.term.lower().split()), finding.category)


def _excerpt(text: str, start: int, end: int) -> str:
    """The words around a finding on its line, the finding in «guillemets»."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    before = text[max(ls, start - _EXCERPT) : start]
    after = text[end : min(le, end + _EXCERPT)]
    excerpt = (
        ("…" if start - _EXCERPT > ls else "")
        + " ".join(before.split())
        + (" " if before[-1:].isspace() else "")
        + f"«{text[start:end]}»"
        + (" " if after[:1].isspace() else "")
        + " ".join(after.split())
        + ("…" if end + _EXCERPT < le else "")
    )
    return excerpt.lstrip("-*+•=@ ").strip()
