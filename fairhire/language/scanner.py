"""Scan job descriptions for coded language and structural problems.

:func:`scan_job_description` scans one ad and returns a :class:`JobDescriptionScan` with every
finding (category, matched text, exact character offsets, severity, suggestions, source and rule
id), the gender-coding label, counts and densities per category, and structural checks (pay range,
EEO and accommodation statements, requirements, years of experience, degree).
:func:`scan_job_descriptions` scans many ads into a table, one row per ad, optionally in
parallel. The word lists are data (:mod:`fairhire.language.lexicon`); the matching semantics are in
:mod:`fairhire.language.matcher` and the context rules in :mod:`fairhire.language.context`.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import pandas as pd

from .._results import Headline, Result, RowAccount
from ..errors import InputTypeError, InvalidParameterError, missing_column_error, preview
from .checks import CHECK_KEYWORDS, JobAdChecks, structural_checks
from .context import Layout
from .lexicon import LabelRule, Lexicon, load_lexicon
from .matcher import CompiledLexicon, compile_lexicon
from .render import highlight_html, highlight_markdown, segments
from .tokens import lower_same_length

__all__ = ["Finding", "JobDescriptionScan", "scan_job_description", "scan_job_descriptions"]

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
_LOWER = {"high": "medium", "medium": "low", "low": "info", "info": "info"}
_PROGRESS_THRESHOLD = 2000  # batches larger than this show a progress bar on a terminal


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


_ROLE_CODE = {"masculine": 1, "feminine": 2}


def _entry_meta(comp: CompiledLexicon) -> list[tuple[int, bool, bool, str, int]]:
    """Per entry: (category index, context-sensitive, accommodation-sensitive, severity, role)."""
    meta = getattr(comp, "_scan_meta", None)
    if meta is None:
        lex = comp.lexicon
        cat_index = {name: i for i, name in enumerate(lex.categories)}
        meta = []
        for e in comp.entries:
            cat = lex.categories[e.category]
            meta.append(
                (
                    cat_index[e.category],
                    cat.context_sensitive,
                    cat.accommodation_sensitive,
                    e.severity,
                    _ROLE_CODE.get(cat.role or "", 0),
                )
            )
        comp._scan_meta = meta  # type: ignore[attr-defined]
    return meta


@dataclass
class _Analysis:
    low: str
    word_count: int
    scored: list[tuple[int, int, int, str]]  # start, end, entry, severity
    suppressed: list[tuple[int, int, int, str]]  # start, end, entry, context
    checks: JobAdChecks


def _analyse(text: str, comp: CompiledLexicon, context: bool) -> _Analysis:
    low = lower_same_length(text)
    matches, word_count, words, numeric = comp.find(low)
    layout = Layout(low, words)
    checks = structural_checks(text, low, layout, words, numeric, comp.token_regex)
    meta = _entry_meta(comp)
    accommodation = checks.accommodation_statement
    scored: list[tuple[int, int, int, str]] = []
    suppressed: list[tuple[int, int, int, str]] = []
    context_of = layout.context_of
    lower = _LOWER
    for s, e, entries in matches:
        for i in entries:
            _, ctx, acc, sev, _ = meta[i]
            if ctx and context:
                where = context_of(s)
                if where is not None:
                    suppressed.append((s, e, i, where))
                    continue
            scored.append((s, e, i, lower[sev] if acc and accommodation else sev))
    return _Analysis(low, word_count, scored, suppressed, checks)


def gender_label(masculine: int, feminine: int, words: int, rule: LabelRule) -> str:
    """The gender-coding label from counts (see :class:`~fairhire.language.lexicon.LabelRule`).

    Examples
    --------
    >>> from fairhire.language.lexicon import LabelRule
    >>> gender_label(6, 1, 400, LabelRule())          # 1.25 per 100 words, 5 words apart
    'strongly masculine-coded'
    >>> gender_label(6, 1, 4000, LabelRule())         # the same words in a 10x longer ad
    'neutral'
    >>> gender_label(6, 1, 4000, LabelRule(method="count", coded=1, strongly=4))
    'strongly masculine-coded'
    """
    diff = masculine - feminine
    side = "masculine" if diff > 0 else "feminine"
    size = abs(diff)
    if rule.method == "count":
        if size >= rule.strongly:
            return f"strongly {side}-coded"
        if size >= rule.coded:
            return f"{side}-coded"
        return "neutral"
    density = 100.0 * size / words if words else 0.0
    if density >= rule.strongly and size >= rule.min_difference_strongly:
        return f"strongly {side}-coded"
    if density >= rule.coded and size >= rule.min_difference:
        return f"{side}-coded"
    return "neutral"


def _label_rule_text(rule: LabelRule) -> str:
    if rule.method == "count":
        return (
            f"raw counts (Gender Decoder): a difference of {rule.strongly:g}+ words is strongly "
            f"coded, {rule.coded:g}+ is coded"
        )
    return (
        f"density: |masculine - feminine| >= {rule.strongly:g} per 100 words and >= "
        f"{rule.min_difference_strongly} words is strongly coded; >= {rule.coded:g} per 100 "
        f"words and >= {rule.min_difference} words is coded"
    )


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, eq=False)
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

    kind: ClassVar[str] = "job description scan"

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

    # -- views for the report templates (plain data; the templates escape everything) ----------
    def report_segments(self) -> list[dict[str, Any]]:
        """The ad as consecutive pieces for in-place highlighting.

        Each piece: ``text``; ``marks`` (numbers of the scored findings on it, "" if none, as
        in :meth:`report_findings`); ``severity``; ``unscored`` (a gender-coded word that was
        not scored); ``title`` (a tooltip: category, severity and suggestions).
        """
        numbers = {id(f): i + 1 for i, f in enumerate(self.findings)}
        out = []
        for piece, group in segments(self.text, self.findings + self.suppressed):
            scored = [f for f in group if f.context is None]
            marks = ",".join(str(numbers[id(f)]) for f in scored if id(f) in numbers)
            worst = max((f.severity for f in scored), key=SEVERITY_RANK.__getitem__,
                        default=None)
            title = "; ".join(
                f"{self.categories.get(f.category, f.category)} ({f.severity})"
                + (": try " + ", ".join(f.suggestions[:3]) if f.suggestions else "")
                + (f" - not scored ({f.context})" if f.context else "")
                for f in group
            )
            out.append({
                "text": piece,
                "marks": marks,
                "severity": worst or "",
                "unscored": bool(group) and not scored,
                "title": title,
            })
        return out

    def report_lines(self) -> list[list[dict[str, Any]]]:
        """The ad as lines of whitespace-free tokens, for a Markdown rendering.

        Each token: ``text``, ``bold`` (it overlaps a scored finding) and ``marks`` (the
        numbers of findings ending in it). A leading list marker (``-``, ``*``, ``+``) becomes
        "•" so it is not read as a Markdown list or a spreadsheet formula.
        """
        spans = sorted((f.start, f.end, i + 1) for i, f in enumerate(self.findings))
        lines: list[list[dict[str, Any]]] = []
        pos = 0
        k = 0
        for raw in self.text.split("\n"):
            line: list[dict[str, Any]] = []
            offset = pos
            for j, tok in enumerate(raw.split(" ")):
                start, end = offset, offset + len(tok)
                offset = end + 1
                text = tok.strip()
                if not text:
                    continue
                if j == 0 or not line:
                    if text in ("-", "*", "+"):
                        text = "•"
                while k < len(spans) and spans[k][1] <= start:
                    k += 1
                bold = any(s < end and e > start for s, e, _ in spans[k : k + 4])
                marks = ",".join(str(n) for s, e, n in spans[k : k + 4] if start < e <= end)
                if bold and line and line[-1]["bold"] and not line[-1]["marks"]:
                    # a phrase: one bold run ("**native English speaker**")
                    line[-1] = {"text": line[-1]["text"] + " " + text, "bold": True,
                                "marks": marks}
                    continue
                line.append({"text": text, "bold": bold, "marks": marks})
            lines.append(line)
            pos += len(raw) + 1
        return lines

    def report_findings(self) -> pd.DataFrame:
        """The scored findings for a report table: number, words, category, severity,
        suggestions, line, an excerpt with the words in «guillemets», and the source."""
        rows = []
        for i, f in enumerate(self.findings):
            ls = self.text.rfind("\n", 0, f.start) + 1
            le = self.text.find("\n", f.end)
            le = len(self.text) if le < 0 else le
            before = self.text[max(ls, f.start - 40) : f.start]
            after = self.text[f.end : min(le, f.end + 40)]
            excerpt = (
                ("…" if f.start - 40 > ls else "")
                + " ".join(before.split())
                + (" " if before[-1:].isspace() else "")
                + f"«{f.term}»"
                + (" " if after[:1].isspace() else "")
                + " ".join(after.split())
                + ("…" if f.end + 40 < le else "")
            )
            rows.append({
                "n": i + 1,
                "term": f.term,
                "category": self.categories.get(f.category, f.category),
                "severity": f.severity,
                "suggestions": ", ".join(f.suggestions[:3]),
                "line": self.text.count("\n", 0, f.start) + 1,
                "context": excerpt.lstrip("-*+•=@ ").strip(),
                "source": f.source,
            })
        return pd.DataFrame(
            rows,
            columns=["n", "term", "category", "severity", "suggestions", "line", "context",
                     "source"],
        )

    def report_suppressed(self) -> pd.DataFrame:
        """Gender-coded words that were not scored, with where they were."""
        return pd.DataFrame(
            [
                {"term": f.term, "category": self.categories.get(f.category, f.category),
                 "context": f.context, "line": self.text.count("\n", 0, f.start) + 1}
                for f in self.suppressed
            ],
            columns=["term", "category", "context", "line"],
        )

    def report_checks(self) -> pd.DataFrame:
        """The structural checks as (check, result) rows in plain language."""
        c = self.checks
        if c.salary_range:
            pay = f"range {_money(c.salary_min)} to {_money(c.salary_max)}"
        elif c.salary_stated:
            pay = f"single figure {_money(c.salary_min)} (no range)"
        else:
            pay = "not stated"
        if c.salary_stated:
            if c.salary_currency:
                pay = f"{c.salary_currency} {pay}"
            if c.salary_period:
                pay += f" per {c.salary_period}"
        degree = (
            f"{c.degree_level} required" + (" (or equivalent experience)"
                                            if c.degree_alternative else "")
            if c.degree_required
            else "not required"
        )
        rows = [
            ("Pay", pay),
            ("Equal-opportunity statement", "yes" if c.eeo_statement else "no"),
            ("Reasonable-accommodation statement",
             "yes" if c.accommodation_statement else "no"),
            ("Listed requirements",
             str(c.n_requirements) if c.n_requirements is not None else "no list found"),
            ("Listed nice-to-haves", str(c.n_preferred) if c.n_preferred is not None else "–"),
            ("Most years of experience asked for",
             str(c.max_years_experience) if c.max_years_experience is not None else "–"),
            ("Degree", degree),
        ]
        return pd.DataFrame(rows, columns=["check", "result"])

    def summary(self) -> str:
        lines = [f"Job description scan (lexicon {self.lexicon!r})"]
        words = f"{self.word_count:,} words"
        if self.label is not None:
            lines.append(
                f"Label: {self.label} - {words}; masculine-coded {self.masculine_count} "
                f"({self.density.get(self.masculine_category or '', 0.0):.2f} per 100 words), "
                f"feminine-coded {self.feminine_count} "
                f"({self.density.get(self.feminine_category or '', 0.0):.2f} per 100 words)"
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
                f"Not scored: {len(self.suppressed)} gender-coded word(s) in {', '.join(where)}."
            )
        return "\n".join(lines)

    def headlines(self) -> list[Headline]:
        section = "Job descriptions"
        out: list[Headline] = []
        if self.label and self.label != "neutral":
            mden = self.density.get(self.masculine_category or "", 0.0)
            fden = self.density.get(self.feminine_category or "", 0.0)
            sev = 2 if self.label.startswith("strongly") else 1
            text = (
                f"The job ad is {self.label}: {mden:.1f} masculine-coded words per 100 words "
                f"against {fden:.1f} feminine-coded ({self.masculine_count} vs "
                f"{self.feminine_count} words)."
            )
            if "masculine" in self.label:
                text += (
                    " Gaucher, Friesen & Kay (2011) found that masculine-coded wording makes ads "
                    "less appealing to women."
                )
            out.append(Headline(severity=sev, text=text, figure=mden - fden, section=section))
        gender = (self.masculine_category, self.feminine_category)
        flagged = [f for f in self.findings if f.category not in gender]
        high = [f for f in flagged if f.severity == "high"]
        if high:
            terms = ", ".join(
                f"'{f.term}' ({self.categories.get(f.category, f.category).lower()})"
                for f in high[:5]
            )
            more = f" and {len(high) - 5} more" if len(high) > 5 else ""
            out.append(
                Headline(
                    severity=2,
                    text=f"The job ad uses {len(high)} high-severity term(s): {terms}{more}.",
                    figure=float(len(high)),
                    section=section,
                )
            )
        medium = [f for f in flagged if f.severity == "medium"]
        if medium:
            cats = sorted({self.categories.get(f.category, f.category).lower() for f in medium})
            out.append(
                Headline(
                    severity=1,
                    text=f"The job ad has {len(medium)} medium-severity finding(s) "
                    f"({', '.join(cats)}).",
                    figure=float(len(medium)),
                    section=section,
                )
            )
        c = self.checks
        if not c.salary_range:
            out.append(
                Headline(
                    severity=2,
                    text="The job ad states no pay range. Pay-transparency laws (Colorado, "
                    "California, Washington, New York, Illinois; EU Directive 2023/970 Art. 5) "
                    "require pay or a pay range to be disclosed."
                    if not c.salary_stated
                    else "The job ad states a single pay figure rather than a pay range.",
                    section=section,
                )
            )
        if not c.eeo_statement:
            out.append(
                Headline(severity=1, text="The job ad has no equal-opportunity statement.",
                         section=section)
            )
        if not c.accommodation_statement:
            ability = any(f.category == "ability" for f in self.findings)
            out.append(
                Headline(
                    severity=2 if ability else 1,
                    text="The job ad has no reasonable-accommodation statement"
                    + (" although it lists physical requirements." if ability else "."),
                    section=section,
                )
            )
        if c.n_requirements is not None and c.n_requirements > 10:
            out.append(
                Headline(
                    severity=1,
                    text=f"The job ad lists {c.n_requirements} requirements; long lists deter "
                    "applicants who do not meet every item.",
                    figure=float(c.n_requirements),
                    section=section,
                )
            )
        if c.degree_required and not c.degree_alternative:
            out.append(
                Headline(
                    severity=1,
                    text=f"The job ad requires a {c.degree_level} degree without accepting "
                    "equivalent experience.",
                    section=section,
                )
            )
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


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _money(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _checks_text(c: JobAdChecks) -> str:
    if c.salary_range:
        pay = f"pay range {c.salary_currency or ''} {_money(c.salary_min)}-{_money(c.salary_max)}"
    elif c.salary_stated:
        pay = f"single pay figure {c.salary_currency or ''} {_money(c.salary_min)}"
    else:
        pay = "no pay stated"
    if c.salary_stated and c.salary_period:
        pay += f" per {c.salary_period}"
    degree = (
        f"{c.degree_level} degree required" + (" (or equivalent)" if c.degree_alternative else "")
        if c.degree_required
        else "no degree required"
    )
    return " | ".join(
        [
            " ".join(pay.split()),
            f"EEO statement: {'yes' if c.eeo_statement else 'no'}",
            f"accommodation statement: {'yes' if c.accommodation_statement else 'no'}",
            f"requirements: {c.n_requirements if c.n_requirements is not None else 'n/a'}",
            "max years of experience: "
            + (str(c.max_years_experience) if c.max_years_experience is not None else "n/a"),
            degree,
        ]
    )


# -- the public functions ----------------------------------------------------------------------


def _resolve(
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any],
    categories: Iterable[str] | None,
) -> Lexicon:
    lex = load_lexicon(lexicon)
    if categories is not None:
        key = (id(lex), tuple([categories] if isinstance(categories, str) else categories))
        cached = _SELECTED.get(key)
        if cached is None or cached[0] is not lex:
            selected = lex.select(key[1])
            _SELECTED[key] = (lex, selected)
            return selected
        return cached[1]
    return lex


_SELECTED: dict[tuple[int, tuple[str, ...]], tuple[Lexicon, Lexicon]] = {}


def _check_context(context: bool | None) -> None:
    if context is not None and not isinstance(context, bool):
        raise InvalidParameterError(f"context= must be True, False or None; got {context!r}.")


def scan_job_description(
    text: str,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any] = "default",
    categories: Iterable[str] | None = None,
    context: bool | None = None,
) -> JobDescriptionScan:
    """Scan one job ad for coded language and structural problems.

    Parameters
    ----------
    text : str
        The text of the ad (plain text or Markdown; HTML should be converted to text first).
    lexicon : str, path, mapping or Lexicon, default "default"
        ``"default"`` (Gaucher et al. 2011 with exceptions, plus age, ability, national-origin,
        gendered-language and culture categories), ``"gender-decoder"`` (Gender Decoder's
        stems and raw-count labels), a path to a TOML lexicon, a mapping or a loaded
        :class:`~fairhire.language.lexicon.Lexicon`.
    categories : list of str, optional
        Only these categories (default: all categories of the lexicon).
    context : bool, optional
        Whether gender-coded words in the job title, section headers and the EEO statement are
        left unscored. Default: the lexicon's setting (True for "default", False for
        "gender-decoder").

    Returns
    -------
    JobDescriptionScan

    Raises
    ------
    InputTypeError
        ``text`` is not a string.
    InvalidParameterError
        Unknown lexicon or category.

    Examples
    --------
    >>> import fairhire as fh
    >>> scan = fh.scan_job_description(
    ...     "Tech Lead\\n\\nResponsibilities:\\n- Lead an ambitious, competitive team.\\n"
    ...     "- Lift 50 lbs.\\n\\nSalary: $90,000 - $110,000 per year."
    ... )
    >>> scan.masculine
    ('Lead', 'ambitious', 'competitive')
    >>> [(f.term, f.category) for f in scan.findings if f.category != "masculine"]
    [('Lift 50 lbs', 'ability')]
    >>> scan.text[scan.findings[0].start:scan.findings[0].end]
    'Lead'
    >>> scan.checks.salary_range, scan.checks.salary_min, scan.checks.salary_period
    (True, 90000.0, 'year')
    """
    if not isinstance(text, str):
        hint = (
            " To scan many ads, use scan_job_descriptions()."
            if isinstance(text, list | tuple | pd.Series | pd.DataFrame)
            or type(text).__module__.startswith("polars")
            else ""
        )
        raise InputTypeError(
            "scan_job_description() takes the text of one job ad as a str; got "
            f"{type(text).__module__}.{type(text).__name__} ({_short_repr(text)}).{hint}"
        )
    _check_context(context)
    lex = _resolve(lexicon, categories)
    comp = compile_lexicon(lex, CHECK_KEYWORDS)
    use_context = lex.context if context is None else context
    a = _analyse(text, comp, use_context)
    return _build_scan(text, lex, comp, a, use_context)


def _short_repr(value: Any) -> str:
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


def _build_scan(
    text: str, lex: Lexicon, comp: CompiledLexicon, a: _Analysis, use_context: bool
) -> JobDescriptionScan:
    entries = comp.entries
    findings = []
    for s, e, i, sev in a.scored:
        entry = entries[i]
        note = entry.note
        if sev != entry.severity:
            note = (note + " " if note else "") + (
                "Severity lowered: the ad has a reasonable-accommodation statement."
            )
        findings.append(
            Finding(
                category=entry.category,
                term=text[s:e],
                start=s,
                end=e,
                severity=sev,
                suggestion=entry.suggestions[0] if entry.suggestions else None,
                source=entry.source,
                rule=entry.id,
                suggestions=entry.suggestions,
                replacement=entry.replace,
                note=note,
            )
        )
    suppressed = tuple(
        Finding(
            category=entries[i].category,
            term=text[s:e],
            start=s,
            end=e,
            severity=entries[i].severity,
            suggestion=entries[i].suggestions[0] if entries[i].suggestions else None,
            source=entries[i].source,
            rule=entries[i].id,
            suggestions=entries[i].suggestions,
            note=f"Not scored: in the {where}.",
            context=where,
        )
        for s, e, i, where in a.suppressed
    )
    counts = {name: 0 for name in lex.categories}
    for f in findings:
        counts[f.category] += 1
    words = a.word_count
    density = {k: (100.0 * v / words if words else 0.0) for k, v in counts.items()}
    masc, fem = lex.masculine, lex.feminine
    label = (
        gender_label(counts.get(masc, 0), counts.get(fem, 0), words, lex.labels)
        if masc is not None and fem is not None
        else None
    )
    return JobDescriptionScan(
        text=text,
        lexicon=lex.name,
        label=label,
        label_rule=_label_rule_text(lex.labels),
        findings=tuple(findings),
        suppressed=suppressed,
        word_count=words,
        counts=counts,
        density=density,
        checks=a.checks,
        categories={name: c.title for name, c in lex.categories.items()},
        masculine_category=masc,
        feminine_category=fem,
        params={
            "lexicon": lex.name,
            "categories": list(lex.categories),
            "context": use_context,
        },
    )


# -- batch -------------------------------------------------------------------------------------

_CHECK_COLUMNS = [
    "salary_range", "salary_stated", "salary_min", "salary_max", "salary_currency",
    "salary_period", "eeo_statement", "accommodation_statement", "n_requirements", "n_preferred",
    "max_years_experience", "degree_required", "degree_level", "degree_alternative",
]


def _row(text: Any, comp: CompiledLexicon, lex: Lexicon, use_context: bool) -> tuple[Any, ...]:
    """One output row, in the order of :func:`_columns`."""
    names = list(lex.categories)
    if not isinstance(text, str):
        return (None,) * (2 * len(names) + 8 + len(_CHECK_COLUMNS)) + (_row_error(text),)
    a = _analyse(text, comp, use_context)
    meta = _entry_meta(comp)
    counts = [0] * len(names)
    worst = -1
    masc_words: list[str] = []
    fem_words: list[str] = []
    other: list[str] = []
    rank = SEVERITY_RANK
    for s, e, i, sev in a.scored:
        ci, _, _, _, role = meta[i]
        counts[ci] += 1
        r = rank[sev]
        if r > worst:
            worst = r
        if role == 1:
            masc_words.append(text[s:e])
        elif role == 2:
            fem_words.append(text[s:e])
        else:
            other.append(f"{text[s:e]} [{names[ci]}]")
    words = a.word_count
    masc, fem = lex.masculine, lex.feminine
    label = (
        gender_label(counts[names.index(masc)], counts[names.index(fem)], words, lex.labels)
        if masc is not None and fem is not None
        else None
    )
    density = [100.0 * c / words for c in counts] if words else [0.0] * len(counts)
    c = a.checks
    return (
        label,
        words,
        *counts,
        *density,
        len(a.scored),
        len(a.suppressed),
        _SEVERITY_NAMES[worst] if worst >= 0 else None,
        "; ".join(masc_words),
        "; ".join(fem_words),
        "; ".join(other),
        c.salary_range,
        c.salary_stated,
        c.salary_min,
        c.salary_max,
        c.salary_currency,
        c.salary_period,
        c.eeo_statement,
        c.accommodation_statement,
        c.n_requirements,
        c.n_preferred,
        c.max_years_experience,
        c.degree_required,
        c.degree_level,
        c.degree_alternative,
        None,
    )


_SEVERITY_NAMES = {v: k for k, v in SEVERITY_RANK.items()}


def _row_error(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing value"
    if isinstance(value, float) and math.isnan(value):
        return "missing value (NaN)"
    if isinstance(value, bytes | bytearray):
        return "not text (bytes): decode it first, e.g. value.decode('utf-8')"
    return f"not text ({type(value).__name__}: {_short_repr(value)})"


# worker state for n_jobs > 1
_WORKER: tuple[CompiledLexicon, Lexicon, bool] | None = None


def _init_worker(lex: Lexicon, use_context: bool) -> None:
    global _WORKER
    _WORKER = (compile_lexicon(lex, CHECK_KEYWORDS), lex, use_context)


def _work(chunk: list[Any]) -> list[tuple[Any, ...]]:
    assert _WORKER is not None
    comp, lex, use_context = _WORKER
    return [_row(t, comp, lex, use_context) for t in chunk]


def _as_texts(texts: Any, column: str | None) -> tuple[list[Any], pd.Index]:
    if isinstance(texts, str):
        raise InputTypeError(
            "scan_job_descriptions() takes many ads (a list, a Series, or a DataFrame with "
            "column=); got a single str. Use scan_job_description() for one ad, or wrap it in "
            "a list."
        )
    if isinstance(texts, pd.DataFrame):
        if column is None:
            raise InvalidParameterError(
                "texts= is a DataFrame: pass column= with the name of the column that holds "
                f"the ad text. Columns: {preview(list(texts.columns), limit=12)}."
            )
        if column not in texts.columns:
            raise missing_column_error([column], [str(c) for c in texts.columns], argument="column")
        return texts[column].tolist(), texts.index
    if isinstance(texts, pd.Series):
        if column is not None:
            raise InvalidParameterError("column= is only used when texts= is a DataFrame.")
        return texts.tolist(), texts.index
    module = type(texts).__module__
    if module.startswith("polars") and type(texts).__name__ == "Series":
        if column is not None:
            raise InvalidParameterError("column= is only used when texts= is a DataFrame.")
        values = texts.to_list()
        return values, pd.RangeIndex(len(values))
    if column is not None:
        from .._frames import require_columns, to_narwhals

        frame = to_narwhals(texts, argument="texts")
        require_columns(frame, column=column)
        selected = frame.select(column)
        if hasattr(selected, "collect"):
            selected = selected.collect()
        values = selected.get_column(column).to_list()
        return values, pd.RangeIndex(len(values))
    if isinstance(texts, Mapping):
        return list(texts.values()), pd.Index(list(texts.keys()))
    if module.startswith(("polars", "pyarrow", "duckdb")) or hasattr(texts, "__dataframe__"):
        raise InvalidParameterError(
            "texts= is a data frame: pass column= with the name of the column that holds the ad "
            "text."
        )
    try:
        values = list(texts)
    except TypeError as exc:
        raise InputTypeError(
            "scan_job_descriptions() takes a list of ad texts, a pandas/polars Series, a mapping "
            f"of id -> text, or a DataFrame with column=; got {type(texts).__name__}."
        ) from exc
    return values, pd.RangeIndex(len(values))


def _progress_bar(total: int, progress: bool | None) -> Any:
    show = progress if progress is not None else (
        total > _PROGRESS_THRESHOLD and sys.stderr is not None and sys.stderr.isatty()
    )
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Scanning job ads", unit="ad", leave=False)


def scan_job_descriptions(
    texts: Any,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any] = "default",
    categories: Iterable[str] | None = None,
    context: bool | None = None,
    n_jobs: int = 1,
    progress: bool | None = None,
    column: str | None = None,
) -> pd.DataFrame:
    """Scan many job ads; one row per ad.

    Parameters
    ----------
    texts : list, Series, mapping or DataFrame
        Ad texts: a list (or any iterable) of strings, a pandas or polars Series, a mapping of
        id -> text, or a DataFrame (pandas, polars, pyarrow, DuckDB ...) with ``column=``.
    lexicon, categories, context
        As in :func:`scan_job_description`.
    n_jobs : int, default 1
        Worker processes (``-1``: one per CPU). Batches under 200 ads run in this process.
    progress : bool, optional
        Show a tqdm progress bar. Default: only for batches over 2,000 ads when stderr is a
        terminal.
    column : str, optional
        The text column when ``texts`` is a DataFrame.

    Returns
    -------
    pandas.DataFrame or pyspark.sql.DataFrame
        For a PySpark DataFrame, the scan runs on the executors and the result is a lazy Spark
        DataFrame of findings, one row per flagged span (see
        :func:`fairhire.language.spark.scan_spark`); ``n_jobs`` and ``progress`` do not apply.
        For everything else, a pandas DataFrame:
        Indexed like the input (a Series' or DataFrame's index, a mapping's keys, else 0..n-1).
        Columns: ``label``, ``word_count``, ``<category>_count`` and
        ``<category>_per_100_words`` for every category, ``n_findings``, ``n_not_scored``,
        ``max_severity``, ``masculine_words``, ``feminine_words``, ``other_findings``, the
        structural checks (``salary_range``, ``salary_stated``, ``salary_min``, ``salary_max``,
        ``salary_currency``, ``salary_period``, ``eeo_statement``, ``accommodation_statement``,
        ``n_requirements``, ``n_preferred``, ``max_years_experience``, ``degree_required``,
        ``degree_level``, ``degree_alternative``) and ``error``: None, or why the row could not
        be scanned (a missing or non-text entry). Such rows are kept, with the other columns
        empty, so no ad disappears silently.

    Examples
    --------
    >>> import fairhire as fh
    >>> table = fh.scan_job_descriptions(
    ...     ["We want a young rockstar.", None, "Collaborative, supportive team."]
    ... )
    >>> table[["label", "age_count", "culture_count", "error"]]
         label  age_count  culture_count          error
    0  neutral        1.0            1.0            NaN
    1      NaN        NaN            NaN  missing value
    2  neutral        0.0            0.0            NaN
    """
    from .spark import _is_spark_frame, scan_spark

    if _is_spark_frame(texts):
        if column is None:
            raise InvalidParameterError(
                "A PySpark DataFrame needs column= naming the ad text column, e.g. "
                "scan_job_descriptions(ads, column='description')."
            )
        return scan_spark(texts, column, lexicon=lexicon, categories=categories, context=context)
    values, index = _as_texts(texts, column)
    _check_context(context)
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise InvalidParameterError(f"n_jobs= must be a positive integer or -1; got {n_jobs!r}.")
    if progress is not None and not isinstance(progress, bool):
        raise InvalidParameterError(f"progress= must be True, False or None; got {progress!r}.")
    lex = _resolve(lexicon, categories)
    comp = compile_lexicon(lex, CHECK_KEYWORDS)
    use_context = lex.context if context is None else context
    workers = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    total = len(values)
    if workers > 1 and total >= 200:
        rows = _parallel(values, lex, use_context, workers, progress)
    else:
        bar = _progress_bar(total, progress)
        rows = []
        step = 500
        for start in range(0, total, step):
            rows.extend(_row(t, comp, lex, use_context) for t in values[start : start + step])
            if bar is not None:
                bar.update(min(step, total - start))
        if bar is not None:
            bar.close()
    columns = _columns(lex)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame.index = index
    errors = int(frame["error"].notna().sum())
    frame.attrs["rows"] = RowAccount(
        total=total, used=total - errors, excluded={"missing or non-text entry": errors}
    ).to_dict()
    return frame


def _columns(lex: Lexicon) -> list[str]:
    names = list(lex.categories)
    return (
        ["label", "word_count"]
        + [f"{n}_count" for n in names]
        + [f"{n}_per_100_words" for n in names]
        + ["n_findings", "n_not_scored", "max_severity", "masculine_words", "feminine_words",
           "other_findings"]
        + _CHECK_COLUMNS
        + ["error"]
    )


def _parallel(
    values: Sequence[Any], lex: Lexicon, use_context: bool, workers: int, progress: bool | None
) -> list[tuple[Any, ...]]:
    import multiprocessing as mp

    total = len(values)
    chunk = max(100, min(2000, math.ceil(total / (workers * 8))))
    chunks = [list(values[i : i + chunk]) for i in range(0, total, chunk)]
    method = "fork" if "fork" in mp.get_all_start_methods() and sys.platform != "darwin" else None
    ctx = mp.get_context(method)
    rows: list[tuple[Any, ...]] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker,
        initargs=(lex, use_context),
    ) as pool:
        futures = [pool.submit(_work, c) for c in chunks]
        bar = _progress_bar(total, progress)  # created after the workers started
        for fut, c in zip(futures, chunks, strict=True):
            rows.extend(fut.result())
            if bar is not None:
                bar.update(len(c))
        if bar is not None:
            bar.close()
    return rows

