"""The result of scanning one job ad: :class:`JobDescriptionScan` and its :class:`Finding` s.

A scan is data: the findings with exact character offsets, counts and densities per category,
the gender-coding label and the structural checks. It turns itself into tables
(``to_frame()``, ``counts_frame()``, ``checks_frame()``), a plain-text ``summary()`` and
``headlines()``; reports render it through ``fairhire/report/job_ads.py`` and the
``job_description`` partials.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import pandas as pd

from .._core.text import format_count, format_number
from .._results import Headline, Result, result_dataclass
from .checks import JobAdChecks
from .render import highlight_html, highlight_markdown

__all__ = ["SEVERITY_RANK", "Finding", "JobDescriptionScan"]

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
#: findings of at least this severity are the scan's ``flagged`` rows
_FLAG_RANK = SEVERITY_RANK["medium"]
_SECTION = "Job descriptions"


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span of a job ad.

    ``text[start:end]`` is exactly ``term`` (the words as written in the ad). ``suggestion`` is
    the first of ``suggestions`` (or None). ``rule`` is the lexicon entry id
    (``"masculine/lead*"``). ``replacement`` is set when :meth:`JobDescriptionScan.rewrite` may
    replace the term one-to-one. ``context`` is None for scored findings; for gender-coded words
    that were not scored it says where they sit ("job title", "section header",
    "EEO statement").
    """

    category: str
    term: str
    start: int
    end: int
    severity: str
    suggestion: str | None
    source: str
    rule: str
    suggestions: tuple[str, ...] = ()
    replacement: str | None = None
    note: str = ""
    context: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["suggestions"] = list(self.suggestions)
        return out



@result_dataclass
class JobDescriptionScan(Result):
    """Coded language and structural checks for one job ad.

    Attributes
    ----------
    text : str
        The ad as given.
    lexicon : str
        Name of the lexicon used.
    label : str or None
        "strongly feminine-coded", "feminine-coded", "neutral", "masculine-coded" or
        "strongly masculine-coded" (None when the gender categories are switched off).
    label_rule : str
        How the label was decided.
    findings : tuple of Finding
        Scored findings in order of appearance.
    suppressed : tuple of Finding
        Gender-coded words found in a job title, a section header or the EEO statement, which
        are not scored (``Finding.context`` says where).
    word_count : int
        Whitespace-separated tokens containing a letter or digit.
    counts : dict
        Scored findings per category (every category of the lexicon, zeros included).
    density : dict
        ``counts`` per 100 words.
    checks : JobAdChecks
        Structural checks.
    categories : dict
        Category name -> title, in lexicon order.
    rows : RowAccount
        Its unit is one coded-language match: ``used`` are the scored findings, ``excluded``
        the gender-coded words not scored, by where they sit ("in the job title", "in a
        section header", "in the EEO statement").
    """

    text: str
    lexicon: str
    label: str | None
    label_rule: str
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    word_count: int
    counts: Mapping[str, int]
    density: Mapping[str, float]
    checks: JobAdChecks
    categories: Mapping[str, str]
    masculine_category: str | None = None
    feminine_category: str | None = None
    lexicon_fingerprint: str = ""

    kind: ClassVar[str] = "job description scan"
    #: the unit of ``rows``: coded-language matches (used = scored; excluded = not scored,
    #: by where they sit: job title, section header, EEO statement)
    row_unit: ClassVar[str] = "coded-language matches"

    # -- the result contract --------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        """The findings table: one row per scored finding (as :meth:`to_frame`)."""
        return self.to_frame()

    @property
    def flagged(self) -> pd.DataFrame:
        """Scored findings of medium or high severity: the wording most worth changing."""
        table = self.to_frame()
        keep = [SEVERITY_RANK[s] >= _FLAG_RANK for s in table["severity"]]
        return table.loc[keep].reset_index(drop=True)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the ad's text and of the lexicon it was scanned with."""
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0" + self.lexicon_fingerprint.encode())
        return digest.hexdigest()

    def _repr_headline(self) -> str:
        label = self.label if self.label is not None else "gender coding not assessed"
        return (f"{label}, {format_count(len(self.findings))} findings in "
                f"{format_count(self.word_count)} words")

    # -- convenience --------------------------------------------------------------------------
    @property
    def masculine(self) -> tuple[str, ...]:
        """Scored masculine-coded words, as written, in order of appearance."""
        return tuple(f.term for f in self.findings if f.category == self.masculine_category)

    @property
    def feminine(self) -> tuple[str, ...]:
        """Scored feminine-coded words, as written, in order of appearance."""
        return tuple(f.term for f in self.findings if f.category == self.feminine_category)

    @property
    def masculine_count(self) -> int:
        return self.counts.get(self.masculine_category, 0) if self.masculine_category else 0

    @property
    def feminine_count(self) -> int:
        return self.counts.get(self.feminine_category, 0) if self.feminine_category else 0

    def by_category(self, category: str) -> tuple[Finding, ...]:
        """Scored findings of one category."""
        return tuple(f for f in self.findings if f.category == category)

    # -- outputs ------------------------------------------------------------------------------
    def rewrite(self) -> str:
        """The ad with every one-to-one replacement applied (chairman -> chair).

        Only terms whose lexicon entry has a ``replace`` value change; the case of the first
        letter (or of the whole word) is kept. Everything else is left for a human, guided by
        each finding's ``suggestions``.

        Examples
        --------
        >>> import fairhire as fh
        >>> fh.scan_job_description("The Chairman and his or her salesmen.").rewrite()
        'The Chair and their salespeople.'
        """
        out = []
        pos = 0
        done: set[tuple[int, int]] = set()
        for f in sorted(self.findings, key=lambda f: f.start):
            if f.replacement is None or (f.start, f.end) in done or f.start < pos:
                continue
            out.append(self.text[pos : f.start])
            out.append(_match_case(f.term, f.replacement))
            pos = f.end
            done.add((f.start, f.end))
        out.append(self.text[pos:])
        return "".join(out)

    def to_frame(self) -> pd.DataFrame:
        """One row per scored finding."""
        columns = [
            "category", "term", "start", "end", "severity", "suggestion", "suggestions",
            "replacement", "source", "rule", "note",
        ]
        rows = [
            {
                "category": f.category,
                "term": f.term,
                "start": f.start,
                "end": f.end,
                "severity": f.severity,
                "suggestion": f.suggestion,
                "suggestions": "; ".join(f.suggestions),
                "replacement": f.replacement,
                "source": f.source,
                "rule": f.rule,
                "note": f.note,
            }
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=columns)

    def checks_frame(self) -> pd.DataFrame:
        """The structural checks as a two-column table (check, value)."""
        return pd.DataFrame(
            list(self.checks.to_dict().items()), columns=["check", "value"]
        )

    def counts_frame(self) -> pd.DataFrame:
        """Counts and densities per category."""
        return pd.DataFrame(
            [
                {
                    "category": name,
                    "title": title,
                    "count": self.counts.get(name, 0),
                    "per_100_words": self.density.get(name, 0.0),
                }
                for name, title in self.categories.items()
            ],
            columns=["category", "title", "count", "per_100_words"],
        )

    def highlight_html(self, *, include_suppressed: bool = True) -> str:
        """The ad as escaped HTML with findings highlighted in place."""
        findings = self.findings + (self.suppressed if include_suppressed else ())
        return highlight_html(self.text, findings)

    def highlight_markdown(self) -> str:
        """The ad as escaped Markdown with findings in bold and numbered."""
        return highlight_markdown(self.text, self.findings)

    def summary(self) -> str:
        lines = [f"Job description scan (lexicon {self.lexicon!r})"]
        words = f"{format_count(self.word_count)} words"
        if self.label is not None:
            lines.append(
                f"Label: {self.label} - {words}; masculine-coded {self.masculine_count} "
                f"({format_number(self.density.get(self.masculine_category or '', 0.0))} per 100 words), "
                f"feminine-coded {self.feminine_count} "
                f"({format_number(self.density.get(self.feminine_category or '', 0.0))} per 100 words)"
            )
        else:
            lines.append(f"Label: not assessed (gender categories off) - {words}")
        others = [
            f"{name} {count}"
            for name, count in self.counts.items()
            if name not in (self.masculine_category, self.feminine_category) and count
        ]
        if others:
            lines.append("Other findings: " + ", ".join(others))
        lines.append("Checks: " + _checks_text(self.checks))
        issues = self.checks.issues()
        if issues:
            lines.append("Issues: the ad " + "; ".join(issues) + ".")
        shown = sorted(self.findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.start))[:15]
        if shown:
            lines.append("Findings (most severe first):")
            for f in shown:
                hint = f" -> {', '.join(f.suggestions[:2])}" if f.suggestions else ""
                lines.append(f"  [{f.severity}] {f.term!r} ({f.category}) at {f.start}{hint}")
            if len(self.findings) > len(shown):
                lines.append(f"  ... and {len(self.findings) - len(shown)} more (to_frame())")
        if self.suppressed:
            where = sorted({f.context or "" for f in self.suppressed})
            lines.append(
                f"Not scored: {len(self.suppressed)} gender-coded "
                f"{'word' if len(self.suppressed) == 1 else 'words'} in {', '.join(where)}."
            )
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        """The label, the most severe wording (grouped: one entry per word) and the checks."""
        return self._label_headlines() + self._wording_headlines() + self._check_headlines()

    def _label_headlines(self) -> list[Headline]:
        if not self.label or self.label == "neutral":
            return []
        mden = self.density.get(self.masculine_category or "", 0.0)
        fden = self.density.get(self.feminine_category or "", 0.0)
        text = (
            f"The job ad is {self.label}: {format_number(mden, 1)} masculine-coded words per "
            f"100 words against {format_number(fden, 1)} feminine-coded "
            f"({format_count(self.masculine_count)} against "
            f"{format_count(self.feminine_count)} words)."
        )
        if "masculine" in self.label:
            text += (
                " Gaucher, Friesen & Kay (2011) found that masculine-coded wording makes ads "
                "less appealing to women."
            )
        sev = 2 if self.label.startswith("strongly") else 1
        return [Headline(severity=sev, text=text, figure=mden - fden, section=_SECTION)]

    def _wording_headlines(self) -> list[Headline]:
        out = []
        gender = (self.masculine_category, self.feminine_category)
        flagged = [f for f in self.findings if f.category not in gender]
        high = [f for f in flagged if f.severity == "high"]
        if high:
            groups = _grouped(high)
            terms = ", ".join(
                f"'{term}' ({self.categories.get(cat, cat).lower()}"
                + (f", {n} times)" if n > 1 else ")")
                for term, cat, n in groups[:5]
            )
            more = f" and {len(groups) - 5} more" if len(groups) > 5 else ""
            out.append(Headline(
                severity=2,
                text=f"The job ad uses {len(groups)} high-severity "
                f"{'term' if len(groups) == 1 else 'terms'}: {terms}{more}.",
                figure=float(len(high)), section=_SECTION,
            ))
        medium = [f for f in flagged if f.severity == "medium"]
        if medium:
            cats = sorted({self.categories.get(f.category, f.category).lower() for f in medium})
            out.append(Headline(
                severity=1,
                text=f"The job ad has {len(medium)} medium-severity "
                f"{'finding' if len(medium) == 1 else 'findings'} ({', '.join(cats)}).",
                figure=float(len(medium)), section=_SECTION,
            ))
        return out

    def _check_headlines(self) -> list[Headline]:
        c = self.checks
        out = []
        if not c.salary_range:
            out.append(Headline(
                severity=2,
                text="The job ad states no pay range. Pay-transparency laws (Colorado, "
                "California, Washington, New York, Illinois; EU Directive 2023/970 Art. 5) "
                "require pay or a pay range to be disclosed."
                if not c.salary_stated
                else "The job ad states a single pay figure rather than a pay range.",
                section=_SECTION,
            ))
        if not c.eeo_statement:
            out.append(Headline(severity=1, text="The job ad has no equal-opportunity statement.",
                                section=_SECTION))
        if not c.accommodation_statement:
            ability = any(f.category == "ability" for f in self.findings)
            out.append(Headline(
                severity=2 if ability else 1,
                text="The job ad has no reasonable-accommodation statement"
                + (" although it lists physical requirements." if ability else "."),
                section=_SECTION,
            ))
        if c.n_requirements is not None and c.n_requirements > 10:
            out.append(Headline(
                severity=1,
                text=f"The job ad lists {c.n_requirements} requirements; long lists deter "
                "applicants who do not meet every item.",
                figure=float(c.n_requirements), section=_SECTION,
            ))
        if c.degree_required and not c.degree_alternative:
            out.append(Headline(
                severity=1,
                text=f"The job ad requires a {c.degree_level} degree without accepting "
                "equivalent experience.",
                section=_SECTION,
            ))
        return out

    def _repr_html_(self) -> str:
        import html as _html

        counts = self.counts_frame().to_html(index=False, escape=True, float_format="{:.2f}".format)
        findings = self.to_frame().drop(columns=["note", "replacement"]).to_html(
            index=False, escape=True
        )
        return (
            "<div class='fairhire-result'>"
            f"<pre>{_html.escape(self.summary())}</pre>"
            f"{self.highlight_html()}{counts}{findings}</div>"
        )


def _grouped(findings: Sequence[Finding]) -> list[tuple[str, str, int]]:
    """(words as first written, category, times used): one entry per word and category."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for f in findings:
        key = (" ".join(f.term.lower().split()), f.category)
        if key in groups:
            groups[key][2] += 1
        else:
            groups[key] = [f.term, f.category, 1]
    return [(t, c, n) for t, c, n in groups.values()]


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _checks_text(c: JobAdChecks) -> str:
    return " | ".join(
        [
            c.pay_text(),
            f"EEO statement: {'yes' if c.eeo_statement else 'no'}",
            f"accommodation statement: {'yes' if c.accommodation_statement else 'no'}",
            f"requirements: {c.n_requirements if c.n_requirements is not None else 'n/a'}",
            "max years of experience: "
            + (str(c.max_years_experience) if c.max_years_experience is not None else "n/a"),
            c.degree_text(),
        ]
    )


