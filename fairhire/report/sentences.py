"""Sentences with ``min_cell`` applied: which numbers in a finding or a note are counts of
people, how a withheld figure may be written, and the plain words a report uses.

:func:`clean_sentence` replaces the small counts of a sentence ("fewer than 5", "about 40")
and tells the caller when the sentence quotes a withheld figure (the caller then withholds the
whole sentence). :func:`plain_words` turns code-like text ("min_share=0.02") into words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .._core import text as core
from .._core.text import column_kind

__all__ = ["LABEL_COLUMNS", "clean_note", "clean_sentence", "figure_kind", "figure_texts", "plain_words"]

_INTEGER = re.compile(r"(?<![\w.,/=−-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%/]|[.,]\d)")
# Whole numbers that are not counts of people: a year or an identifier (fairhire writes every
# count of 1,000 or more with a thousands separator), an age ("aged 40", "40 or over"), a
# length of time ("90 days"), a shortfall ("2 fewer selections than parity", a difference
# the tables show), a ratio ("2 times"), where a data file was read ("line 4", "the 3
# lines above", "2 column names"), a citation of the law ("Art. 9(1)(a)", "reg 13(2)"), and
# a number of categories or comparisons ("1 of 3 categories of workers"), a comparison of
# two audits' tally of findings ("0 new, 2 worse", "6 findings"), and a setting or a number
# of things the analysis tried, never people ("minimum 3" decisions a rater needs, "members
# from at least 2 groups" on a diverse panel, "3 candidate cut-offs"), a test's degrees
# of freedom ("df = 2"), and a number of raters ("2 rater(s) not assessable": the rater
# table lists them by name; min_cell protects the candidates their decisions count).
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:aged?|ages|level|stage|step|round|quarter|q|line|row|art\.|article|regs?|"
    r"regulation|section|minimum|members from at least)\s*|\bdf\s*[=:]?\s*|\w\()$", re.I)
_NOT_A_COUNT_AFTER = re.compile(
    r"^(?:\(\w+\)|\s*(?:(?:or|and) (?:over|older|above|under|younger)|\+|[-–]\s*\d|"
    r"(?:fewer|more)(?: \w+)? than parity|times\b|lines?\b|column names?\b|rows above them\b|"
    r"(?:calendar |working |business )?(?:years?|months?|weeks?|days?|hours?|quarters?)\b|"
    r"(?:of [\d,]+ )?(?:\w+ )?(?:categories|comparisons)\b|"
    r"findings?\b|(?:candidate )?cut-offs?\b|degrees? of freedom\b|df\b|"
    r"raters?\b|rater\(s\)|"
    r"(?:new|worse|unchanged|better|resolved|not compared)\b(?!\s+\w+ees?\b)))",
    re.I,
)
# "fewer than 5 employees": a threshold, not a count; below min_cell it is said as min_cell
_THRESHOLD_BEFORE = re.compile(r"\b(?:fewer|less) than\s*$", re.I)
_NUMBER = re.compile(r"(?<![\w.])[−-]?\d[\d,]*(?:\.\d+)?%?")


def _texts_of(kind: str, v: float, min_cell: int | None = None) -> set[str]:
    """How a figure of this kind may be written in a sentence (a count below ``min_cell`` is
    not matched: a sentence says it as "fewer than 5")."""
    count = {core.format_count(v)} if abs(v) >= (
        9.5 if min_cell is None else min_cell - 0.5) else set()
    ratio = {core.format_ratio(v), core.format_ratio(v, None, 3), core.format_number(v, 2)}
    rate = {core.format_percent(v), core.format_percent(v, 0), core.format_percent(abs(v))}
    pct = {core.format_number(v, 1), core.format_number(abs(v), 1) + "%"}
    # a count below min_cell is replaced anyway ("1" or "3" is too common to match on); one
    # withheld at or above it is a complement ("Non-binary (9)" beside "s" gave it back); a
    # test's p-value or statistic is no other row's figure (see clean_sentence)
    return {"count": count, "ratio": ratio, "rate": rate, "pct": pct, "p": set()}.get(
        kind, count | ratio | rate | pct)


def figure_texts(values: Iterable[tuple[str, float]], min_cell: int | None = None) -> set[str]:
    """How withheld figures, (kind, value) pairs, may be written in a sentence (``min_cell``:
    the report's; without it only counts of 10 or more are matched)."""
    out: set[str] = set()
    for kind, v in values:
        if math.isfinite(v):
            out |= {c.replace(core.MINUS, "-") for c in _texts_of(kind, v, min_cell)}
    return out


_P_VALUE = re.compile(r"\bp(?:-value)?\s*(?:=|<|>|≤|≥)\s*\d[\d.]*(?:e-?\d+)?")
_CODE = re.compile(r"`([^`]*)`")
_SETTING = re.compile(r"\b([a-z]+(?:_[a-z]+)*)=([^\s,;)]*)")
_SNAKE = re.compile(r"(?<![\w.])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b(?![.(])")


#: Text columns that hold labels from the data (groups, stages, categories, raters): printed
#: as the data spell them, in tables and in sentences ("non_binary" stays, a label "a=b" is not
#: "the a setting, b", and "Group 3" is not "Group fewer than 5"). Columns holding column names
#: (a rubric criterion, an Oaxaca feature) are not labels: those are said in words.
LABEL_COLUMNS = frozenset({
    "group", "reference_group", "lowest_group", "stage", "category", "period",
    "previous_period", "rater", "unit", "job_title", "cause", "exit_type", "label", "band",
    "context",
})


def _masked(text: str, keep: Iterable[str]) -> tuple[str, Any]:
    """``text`` with each label of ``keep`` in it replaced by a placeholder (no digits, no
    word characters), and the function that puts them back."""
    labels = sorted({k for k in keep if k and k in text}, key=len, reverse=True)[:4000]
    if not labels:
        return text, lambda s: s
    found: list[str] = []

    def hold(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return f"\ue000{chr(0xE100 + len(found) - 1)}\ue001"

    masked = re.sub(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)", hold, text)
    return masked, lambda s: re.sub("\ue000(.)\ue001", lambda m: found[ord(m.group(1)) - 0xE100], s)


def plain_words(text: str, keep: Iterable[str] = ()) -> str:
    """A sentence for a reader who never ran Python: code quotes become quotation marks,
    ``name=value`` becomes "the name setting, value", and a column name becomes words; the
    labels in ``keep`` (from the data) are left as they are.

    >>> plain_words("3 rows counted in `unknown` (min_share=0.02)")
    '3 rows counted in “unknown” (the min share setting, 0.02)'
    >>> plain_words("the same level, job_family, tenure_years; list it in voluntary=")
    'the same level, job family, tenure years; list it in the voluntary setting'
    >>> plain_words("non_binary applicants (min_share=0.02)", keep=["non_binary"])
    'non_binary applicants (the min share setting, 0.02)'
    """
    text, restore = _masked(text, keep)
    text = _CODE.sub(lambda m: f"“{m.group(1)}”", text)
    text = _SETTING.sub(lambda m: f"the {m.group(1).replace('_', ' ')} setting"
                        + (f", {m.group(2)}" if m.group(2) else ""), text)
    return restore(_SNAKE.sub(lambda m: m.group(1).replace("_", " "), text))


def _about(n: int) -> str:
    return f"about {core.format_count(round(n, -1) if n >= 100 else round(n / 5) * 5)}"


def _is_count(text: str, match: re.Match[str]) -> bool:
    """Whether the whole number ``match`` in a sentence may be a count of people."""
    if len(match.group(1)) > 3 and "," not in match.group(1):
        return False
    return not (_NOT_A_COUNT_BEFORE.search(text, 0, match.start())
                or _NOT_A_COUNT_AFTER.match(text[match.end():]))


def clean_sentence(text: str, min_cell: int, withheld: set[str], keep: Iterable[str] = (),
                   *, round_all: bool = False) -> tuple[str, bool]:
    """``text`` with its small counts replaced; (text, True) when it quoted a withheld figure
    (the caller then withholds the whole sentence). Numbers inside the labels of ``keep``
    ("Group 3", "2024-Q1") are part of a name, not counts. ``round_all``: round the counts
    even when none is small (a count of the whole file beside withheld cells)."""
    original = text
    text, restore = _masked(text, keep)
    # a p-value is the sentence's own test, not a figure of another row: "adjusted p = 1.000"
    # is not the withheld ratio 1.000 of a small group
    plain = _P_VALUE.sub("p", text.replace(core.MINUS, "-"))
    for match in _NUMBER.finditer(plain):
        token = match.group(0)
        # a threshold ("fewer than 5"), an age, a level or a line is no figure of a row
        if (_THRESHOLD_BEFORE.search(plain, 0, match.start())
                or _NOT_A_COUNT_BEFORE.search(plain, 0, match.start())):
            continue
        if token.lstrip("-") in withheld or token in withheld:
            return original, True
    counts = [(m, int(m.group(1).replace(",", ""))) for m in _INTEGER.finditer(text)
              if _is_count(text, m)]
    if not counts or not (round_all or any(n < min_cell for _, n in counts)):
        return original, False
    parts, last = [], 0
    for match, n in counts:
        parts.append(text[last:match.start()])
        if _THRESHOLD_BEFORE.search(text, 0, match.start()):
            parts.append(str(max(n, min_cell)))  # "fewer than 3" is true of fewer than 5
        else:
            parts.append(f"fewer than {min_cell}" if n < min_cell else _about(n))
        last = match.end()
        if n == 1:  # "1 person is" becomes "fewer than 5 people are"
            noun = _SINGULAR.match(text, last)
            if noun is not None:
                parts.append(_PLURALS[noun.group(1)] + (_VERBS[noun.group(2)] if noun.group(2)
                                                        else ""))
                last = noun.end()
    parts.append(text[last:])
    return restore("".join(parts)), False


_PLURALS = {" person": " people", " man": " men", " woman": " women"} | {
    f" {w}": f" {w}s" for w in ("employee", "applicant", "candidate", "rater", "worker",
                                "interview", "decision", "exit", "row")}
_VERBS = {" is": " are", " was": " were", " has": " have"}
_SINGULAR = re.compile(rf"({'|'.join(_PLURALS)})(?![\w(])({'|'.join(_VERBS)})?\b")


def clean_note(text: str, min_cell: int | None) -> str:
    """A note shown beside a report (the console's, the web app's) with the report's
    ``min_cell`` applied: small counts withheld, the others rounded (a count of the whole file,
    less what the tables show, could give a withheld count back; the note is printed before
    the analysis says which counts it withholds); as it is without ``min_cell``.

    >>> clean_note("a.csv: 'N/A' (2) read as missing.", 5)
    "a.csv: 'N/A' (fewer than 5) read as missing."
    >>> clean_note("column 'promoted': 311 blank cells read as no.", 5)
    "column 'promoted': about 310 blank cells read as no."

    A value quoted from the file is what the file says, not a count:

    >>> clean_note("column 'pay' has numbers with thousands separators (e.g. '$48,250.50').", 5)
    "column 'pay' has numbers with thousands separators (e.g. '$48,250.50')."
    """
    if not min_cell:
        return text
    quoted = re.findall(r"'[^'\n]*'|\"[^\"\n]*\"", text)  # as repr() quotes them
    return clean_sentence(text, min_cell, set(), quoted, round_all=True)[0]


def figure_kind(column: object, rule: Any) -> str:
    """What a column's figures are, for how a sentence writes them: a count, a rate or
    share, a ratio, a percentage, a p-value, or other (any way). ``rule``: the report's
    :class:`~fairhire.report.suppress.Rule` (its ``counts`` are counts).

    >>> from fairhire.report.suppress import Rule
    >>> r = Rule(5, frozenset({"selected"}))
    >>> [figure_kind(c, r) for c in ("selected", "selection_rate", "impact_ratio",
    ...                              "p_value_fisher", "gap_pct", "shortfall", "ci_low")]
    ['count', 'rate', 'ratio', 'p', 'pct', 'count', 'other']
    """
    name = str(column).lower()
    if column in rule.counts or name in {"shortfall", "expected"} or name.startswith("n_"):
        return "count"
    if name == "z" or name.startswith("z_"):
        return "p"  # a test's statistic, like its p-value: quoted only in its own row's sentence
    return column_kind(name) or "other"

