"""Scan one job ad: the per-ad analysis that both the single scan and the batch rows use.

:func:`analyse` runs the matcher, the context rules and the structural checks on one ad and
counts the scored findings per category; :func:`scan_job_description` turns that analysis into
a :class:`~fairhire.language.result.JobDescriptionScan`, and
:func:`fairhire.scan_job_descriptions` turns it into one table row
(:mod:`fairhire.language.batch`): the two can never disagree.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

import pandas as pd

from .._results import RowAccount
from ..errors import InputTypeError, InvalidParameterError
from .checks import JobAdChecks, check_values, compile_for_checks
from .context import Layout
from .letters import plain_letters, restore_spans
from .lexicon import LabelRule, Lexicon, load_lexicon
from .markup import HTML_NOTE, check_html, read_ad
from .matcher import CompiledLexicon
from .result import Finding, JobDescriptionScan
from .tokens import lower_same_length

__all__ = ["AdAnalysis", "analyse", "gender_label", "scan_job_description"]

#: one severity level lower when the ad has a reasonable-accommodation statement
_LOWER = {"high": "medium", "medium": "low", "low": "info", "info": "info"}


class Scored(NamedTuple):
    """A scored finding: ``text[start:end]`` matched entry ``entry`` at ``severity``."""

    start: int
    end: int
    entry: int
    severity: str


class Unscored(NamedTuple):
    """A gender-coded word that is not scored, and where it sits ("job title" ...)."""

    start: int
    end: int
    entry: int
    where: str


# built in C: an ad has dozens of findings and a batch has thousands of ads
_new_scored = partial(tuple.__new__, Scored)
_new_unscored = partial(tuple.__new__, Unscored)


@dataclass(frozen=True)
class AdAnalysis:
    """Everything the scanner found in one ad, before it becomes a result or a table row."""

    text: str
    word_count: int
    scored: list[Scored]
    unscored: list[Unscored]
    checks: JobAdChecks
    counts: list[int]  # scored findings per category, in lexicon order
    label: str | None


def analyse(text: str, comp: CompiledLexicon, context: bool) -> AdAnalysis:
    """Match, place in context, check and count one ad (``context``: leave gender-coded words
    in titles, headers and the EEO statement unscored).

    Examples
    --------
    >>> from fairhire.language import load_lexicon
    >>> from fairhire.language.checks import compile_for_checks
    >>> comp = compile_for_checks(load_lexicon("default"))
    >>> a = analyse("Team Lead\\n\\nLead a competitive, supportive team.", comp, True)
    >>> [(a.text[s:e], where) for s, e, _, where in a.unscored], a.label
    ([], 'neutral')
    >>> [a.text[s:e] for s, e, _, _ in a.scored]
    ['Lead', 'competitive', 'supportive']"""
    low = lower_same_length(text)
    found = comp.find(low)
    layout = Layout(low, found.words, found.marks)
    checks = JobAdChecks(*check_values(text, low, layout, found.words, found.numbers,
                                       found.marks))
    meta = comp.meta
    accommodation = checks.accommodation_statement
    scored: list[Scored] = []
    unscored: list[Unscored] = []
    counts = [0] * len(comp.lexicon.categories)
    context_of = layout.context_of
    for s, e, entries in found.matches:
        for i in entries:
            m = meta[i]
            if context and m.context_sensitive:
                where = context_of(s)
                if where is not None:
                    unscored.append(_new_unscored((s, e, i, where)))
                    continue
            sev = _LOWER[m.severity] if accommodation and m.accommodation_sensitive else m.severity
            scored.append(_new_scored((s, e, i, sev)))
            counts[m.category] += 1
    label = None
    if comp.gender is not None:
        masculine, feminine = comp.gender
        label = gender_label(counts[masculine], counts[feminine], found.word_count,
                             comp.lexicon.labels)
    return AdAnalysis(text, found.word_count, scored, unscored, checks, counts, label)


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


def label_rule_text(rule: LabelRule) -> str:
    """The label rule in plain words (for summaries and reports).

    Examples
    --------
    >>> from fairhire.language.lexicon import LabelRule
    >>> label_rule_text(LabelRule(method="count", coded=1, strongly=4)).startswith("Gender")
    True"""
    if rule.method == "count":
        return (
            f"Gender Decoder's rule on raw counts: an ad is strongly coded when one side has "
            f"{rule.strongly:g} or more coded words than the other, and coded from "
            f"{rule.coded:g} more"
        )
    return (
        f"an ad is strongly coded when one side has at least {rule.strongly:g} more coded word "
        f"per 100 words than the other and at least {rule.min_difference_strongly} more in "
        f"all, and coded from {rule.coded:g} more per 100 words and {rule.min_difference} more "
        "in all"
    )


def lexicon_fingerprint(lex: Lexicon) -> str:
    """SHA-256 of what a lexicon matches and how it labels (its terms, exceptions, rules)."""
    found = _FINGERPRINTS.get(id(lex))
    if found is None or found[0] is not lex:
        parts = (lex.name, lex.version, sorted(lex.categories.items()), lex.entries,
                 lex.exceptions, lex.labels, lex.context)
        found = (lex, hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest())
        if len(_FINGERPRINTS) >= 64:
            _FINGERPRINTS.clear()
        _FINGERPRINTS[id(lex)] = found
    return found[1]


_FINGERPRINTS: dict[int, tuple[Lexicon, str]] = {}


def _finding(text: str, comp: CompiledLexicon, start: int, end: int, i: int, severity: str,
             note: str, where: str | None = None) -> Finding:
    entry = comp.entries[i]
    return Finding(
        category=entry.category,
        term=text[start:end],
        start=start,
        end=end,
        severity=severity,
        suggestion=entry.suggestions[0] if entry.suggestions else None,
        source=entry.source,
        rule=entry.id,
        suggestions=entry.suggestions,
        replacement=None if where else entry.replace,
        note=note,
        context=where,
    )


def build_scan(a: AdAnalysis, comp: CompiledLexicon, use_context: bool) -> JobDescriptionScan:
    """The :class:`JobDescriptionScan` of an analysed ad."""
    text, lex, entries = a.text, comp.lexicon, comp.entries
    findings = []
    for s, e, i, sev in a.scored:
        note = entries[i].note
        if sev != entries[i].severity:
            note = (note + " " if note else "") + (
                "Severity lowered: the ad has a reasonable-accommodation statement."
            )
        findings.append(_finding(text, comp, s, e, i, sev, note))
    suppressed = tuple(
        _finding(text, comp, s, e, i, entries[i].severity, f"Not scored: in the {where}.", where)
        for s, e, i, where in a.unscored
    )
    counts = dict(zip(lex.categories, a.counts, strict=True))
    words = a.word_count
    density = {k: (100.0 * v / words if words else 0.0) for k, v in counts.items()}
    excluded: dict[str, int] = {}
    for f in suppressed:
        excluded[f"not scored: in the {f.context}"] = excluded.get(
            f"not scored: in the {f.context}", 0) + 1
    return JobDescriptionScan(
        text=text,
        lexicon=lex.name,
        label=a.label,
        label_rule=label_rule_text(lex.labels),
        findings=tuple(findings),
        suppressed=suppressed,
        word_count=words,
        counts=counts,
        density=density,
        checks=a.checks,
        categories={name: c.title for name, c in lex.categories.items()},
        masculine_category=lex.masculine,
        feminine_category=lex.feminine,
        lexicon_fingerprint=lexicon_fingerprint(lex),
        rows=RowAccount(total=len(findings) + len(suppressed), used=len(findings),
                        excluded=excluded),
        params={"lexicon": lex.name, "categories": list(lex.categories), "context": use_context},
    )


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to 60 characters (for error messages)."""
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


def resolve_lexicon(
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any],
    categories: Iterable[str] | None,
) -> Lexicon:
    """The lexicon to scan with: loaded, and narrowed to ``categories`` (cached, bounded)."""
    lex = load_lexicon(lexicon)
    if categories is not None:
        key = (id(lex), tuple([categories] if isinstance(categories, str) else categories))
        cached = _SELECTED.get(key)
        if cached is None or cached[0] is not lex:
            selected = lex.select(key[1])
            if len(_SELECTED) >= 64:
                _SELECTED.clear()
            _SELECTED[key] = (lex, selected)
            return selected
        return cached[1]
    return lex


_SELECTED: dict[tuple[int, tuple[str, ...]], tuple[Lexicon, Lexicon]] = {}


def check_context(context: bool | None) -> None:
    """``context=`` is True, False or None (the lexicon's setting)."""
    if context is not None and not isinstance(context, bool):
        raise InvalidParameterError(f"context= must be True, False or None; got {context!r}.")


def scan_job_description(
    text: str,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any] = "default",
    categories: Iterable[str] | None = None,
    context: bool | None = None,
    html: bool | None = None,
) -> JobDescriptionScan:
    """Scan one job ad for coded language and structural problems.

    Parameters
    ----------
    text : str
        The text of the ad: plain text, Markdown, or HTML (read as the text it shows; see
        ``html``).
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
    html : bool, optional
        Read the ad as HTML: tags, comments, scripts and styles left out, entities decoded, a
        line per paragraph, heading and list item (:func:`fairhire.language.markup.html_text`);
        ``scan.text`` is then that text, the findings' offsets refer to it, and a warning says
        so. Default: when the ad has two or more block-level tags (``<p>``, ``<li>``,
        ``<br>`` ...). False scans the markup as written.

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
            f"{type(text).__module__}.{type(text).__name__} ({short_repr(text)}).{hint}"
        )
    check_context(context)
    text, as_html = read_ad(text, check_html(html))
    lex = resolve_lexicon(lexicon, categories)
    comp = compile_for_checks(lex)
    use_context = lex.context if context is None else context
    plain, back = plain_letters(text)
    a = analyse(plain, comp, use_context)
    if back is not None:  # the findings point into the text as written (the page marks them)
        a = replace(a, text=text,
                    scored=[_new_scored(t) for t in restore_spans(a.scored, back)],
                    unscored=[_new_unscored(t) for t in restore_spans(a.unscored, back)])
    scan = build_scan(a, comp, use_context)
    return replace(scan, warnings=(HTML_NOTE,)) if as_html else scan


