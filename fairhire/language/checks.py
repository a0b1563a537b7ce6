"""Structural checks on a whole job ad: pay, EEO and accommodation statements, requirements.

- **Salary range** (:mod:`fairhire.language.salary`): the first pay range, or a single amount,
  with its currency and period.
- **EEO statement** and **reasonable-accommodation statement** present.
- **Requirements**: the number of listed items under requirement headers ("Requirements",
  "What you'll need" ...), and under "nice to have" headers separately.
- **Years of experience**: the largest number of years asked for ("5+ years of experience").
- **Degree**: whether a degree is required, its level, and whether equivalent experience is
  accepted.

Every regular expression here is anchored on a literal or a digit and uses bounded
repetitions, so the checks are linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from .._core.text import format_money
from .context import EEO_MARKERS, Layout, occurrences, sentence_end, sentence_start
from .lexicon import Lexicon
from .matcher import CompiledLexicon, compile_lexicon
from .salary import find_salaries

__all__ = [
    "CHECK_FIELDS",
    "CHECK_KEYWORDS",
    "CHECK_MARKERS",
    "JobAdChecks",
    "check_values",
    "compile_for_checks",
    "structural_checks",
]


@dataclass(frozen=True)
class JobAdChecks:
    """Structural checks on a job ad.

    Attributes
    ----------
    salary_range : bool
        A pay range (two amounts) is stated.
    salary_stated : bool
        At least one pay amount is stated (a range or a single figure).
    salary_min, salary_max : float or None
        The first pay range (or the single amount, as both) found.
    salary_currency : str or None
        ISO code (``"USD"``, ``"EUR"``, ``"GBP"`` ...) when a sign or code was given.
    salary_period : str or None
        ``"hour"``, ``"day"``, ``"week"``, ``"month"`` or ``"year"`` when stated.
    salary_text : str or None
        The matched text, e.g. ``"$80,000 - $100,000 per year"``.
    eeo_statement : bool
        An equal-opportunity statement is present.
    accommodation_statement : bool
        A reasonable-accommodation (adjustments) statement is present.
    n_requirements : int or None
        Items listed under requirement headers (None when the ad has no such section).
    n_preferred : int or None
        Items listed under "nice to have" / "preferred" headers (None when none).
    max_years_experience : int or None
        The largest number of years of experience asked for.
    degree_required : bool
        A degree is required (not merely preferred).
    degree_level : str or None
        Highest level required: "doctorate", "master", "bachelor", "associate", "degree".
    degree_alternative : bool
        Every degree requirement accepts equivalent experience.
    """

    salary_range: bool = False
    salary_stated: bool = False
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    salary_text: str | None = None
    eeo_statement: bool = False
    accommodation_statement: bool = False
    n_requirements: int | None = None
    n_preferred: int | None = None
    max_years_experience: int | None = None
    degree_required: bool = False
    degree_level: str | None = None
    degree_alternative: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def pay_text(self) -> str:
        """The pay the ad states, in words: "pay range USD 62,000 to 74,000 per year".

        Examples
        --------
        >>> JobAdChecks(salary_range=True, salary_stated=True, salary_min=62000.0,
        ...             salary_max=74000.0, salary_currency="USD", salary_period="year").pay_text()
        'pay range USD 62,000 to 74,000 per year'
        >>> JobAdChecks().pay_text()
        'no pay stated'
        """
        cur = f"{self.salary_currency} " if self.salary_currency else ""
        if self.salary_range:
            pay = f"pay range {cur}{_money(self.salary_min)} to {_money(self.salary_max)}"
        elif self.salary_stated:
            pay = f"single pay figure {cur}{_money(self.salary_min)}"
        else:
            return "no pay stated"
        if self.salary_period:
            pay += f" per {self.salary_period}"
        return pay + ("" if self.salary_range else " (no range)")

    def degree_text(self) -> str:
        """The degree the ad requires, in words: "bachelor degree required (or equivalent)"."""
        if not self.degree_required:
            return "no degree required"
        return f"{self.degree_level} degree required" + (
            " (or equivalent experience)" if self.degree_alternative else "")

    def issues(self) -> list[str]:
        """Plain-language problems worth fixing, most important first."""
        out = []
        if not self.salary_range:
            if self.salary_stated:
                out.append("states a single pay figure but no pay range")
            else:
                out.append("states no pay or pay range (required by pay-transparency laws)")
        if not self.eeo_statement:
            out.append("has no equal-opportunity statement")
        if not self.accommodation_statement:
            out.append("has no reasonable-accommodation statement")
        if self.n_requirements is not None and self.n_requirements > 10:
            out.append(f"lists {self.n_requirements} requirements (long lists deter applicants)")
        if self.max_years_experience is not None and self.max_years_experience >= 10:
            out.append(f"asks for {self.max_years_experience} years of experience")
        if self.degree_required and not self.degree_alternative:
            out.append("requires a degree without accepting equivalent experience")
        return out


def _money(v: float | None) -> str:
    return format_money(v, digits=0 if v is None or float(v).is_integer() else 2)


# -- statements -------------------------------------------------------------------------------

_ACCOMMODATION = (
    "reasonable accommodation",
    "reasonable adjustment",
    "accommodation request",
    "request an accommodation",
    "request accommodation",
    "request for accommodation",
    "requests for accommodation",
    "need an accommodation",
    "need accommodation",
    "require an accommodation",
    "require accommodation",
    "requiring accommodation",
    "accommodations during",
    "accommodation during",
    "accommodations in the application",
    "accommodation in the application",
    "adjustments to the recruitment",
    "adjustments to the interview",
    "adjustments to the application",
    "adjustments during the",
    "accessibility needs",
    "access needs",
    "disability accommodation",
    "accommodations are available",
    "accommodation is available",
    "accommodations for applicants",
    "accommodations for candidates",
)


def _has_any(low: str, phrases: tuple[str, ...]) -> bool:
    for p in phrases:  # a loop: any() over a generator costs more than the few tests
        if p in low:
            return True
    return False


# -- requirements ------------------------------------------------------------------------------

# -- years of experience ---------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_NUMWORD = "|".join(_NUMBER_WORDS)
_YEARS = re.compile(r"y(?:ears?|rs?)(?![a-z])")
_YEARS_BEFORE = re.compile(
    rf"(?<![\w.])(\d{{1,2}}|{_NUMWORD})(?:\s*(?:-|–|—|to)\s*(\d{{1,2}}|{_NUMWORD}))?"
    r"\s*(?:\+|plus)?\s*(?:\(\d{1,2}\)\s*)?(?:or\s+more\s+)?$"
)
_TAILS = ("plus", "more", *_NUMBER_WORDS)
_EXPERIENCE_WORDS = ("experience", "expertise", "background", "track record", "working", "work ")
_AT_LEAST = ("minimum", "at least", "min.", "more than", "over ")


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return int(s) if s.isdigit() else _NUMBER_WORDS.get(s)


def _year_words(low: str, marks: Mapping[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Spans of "year", "years", "yr", "yrs" (str.find is much faster than a regex scan; the
    matcher's markers, when given, say where "year" and "yr" occur)."""
    spans = []
    for stem in ("year", "yr"):
        for i in occurrences(low, stem, marks):
            m = _YEARS.match(low, i)
            if m is not None and (i == 0 or not low[i - 1].isalpha()):
                spans.append(m.span())
    return sorted(spans)


def _max_years(low: str, marks: Mapping[str, list[int]] | None = None) -> int | None:
    best: int | None = None
    for i, end in _year_words(low, marks):
        before = low[max(0, i - 30) : i]
        tail = before.rstrip()
        # the number (or "+", "plus", "(5)", "or more") ends right before "years": without
        # one of them the expression cannot match, and searching for it is the slow part
        if not tail or not (tail[-1].isdigit() or tail[-1] in "+)" or tail.endswith(_TAILS)):
            continue
        b = _YEARS_BEFORE.search(before)
        if b is None:
            continue
        # the sentence after, up to ". " or the line's end (plain code: the generators and
        # any() this replaces cost more than the rest of the loop)
        after = low[end : end + 80]
        stop = after.find(". ")
        j = after.find("\n")
        if j >= 0 and (stop < 0 or j < stop):
            stop = j
        if stop >= 0:
            after = after[:stop]
        if after.lstrip().startswith(("old", "of age", "ago")):
            continue
        if not (_has_any(after, _EXPERIENCE_WORDS)
                or _has_any(low[max(0, i - 60) : i], _AT_LEAST)):
            continue
        first, second = b.groups()
        v1, v2 = _num(first), _num(second)
        top = v1 if v2 is None else (v2 if v1 is None else max(v1, v2))
        if top is not None and top <= 50:
            best = top if best is None else max(best, top)
    return best


# -- degree ------------------------------------------------------------------------------------

_DEGREE = re.compile(
    r"(?<![a-z])(?:"
    r"(?P<doc>ph\.?\s?d\.?|doctorate|doctoral\s+degree)"
    r"|(?P<mas>master['’]?s?(?:\s+degree|\s+of\s+(?:science|arts|business|engineering))|mba|m\.sc\.?|msc|m\.s\.(?=\s)|ms\s+(?:degree\s+)?in)"
    r"|(?P<bac>bachelor['’]?s?|b\.sc\.?|bsc|b\.s\.(?=\s)|b\.a\.(?=\s)|bs\s*/\s*ba|ba\s*/\s*bs|bs\s+or\s+ba|ba\s+or\s+bs|bs\s+(?:degree\s+)?in|ba\s+(?:degree\s+)?in|undergraduate\s+degree|(?:4|four)[-\s]year\s+degree)"
    r"|(?P<asc>associate['’]?s?\s+degree)"
    r"|(?P<deg>(?:university|college|academic|relevant|related|technical|engineering|stem|advanced|honours|honors|graduate|postgraduate)\s+degree|degree\s+(?:in|required|or\s+equivalent))"
    r")(?![a-z])"
)
_LEVELS = {"doc": "doctorate", "mas": "master", "bac": "bachelor", "asc": "associate",
           "deg": "degree"}
_LEVEL_RANK = {"degree": 0, "associate": 1, "bachelor": 2, "master": 3, "doctorate": 4}
_PREFERRED = ("preferred", "desirable", "nice to have", "nice-to-have", "a plus", "an advantage",
              "advantageous", "bonus", "ideally", "is a plus", "would be great", "beneficial")
_ALTERNATIVE = ("or equivalent", "equivalent experience", "equivalent practical",
                "or relevant experience", "or comparable", "in lieu", "or similar experience",
                "or equivalent combination", "or related experience", "or demonstrable",
                "or equivalent work", "equivalent combination")
_NEGATED = ("no degree", "degree not required", "degree is not required", "don't need a degree",
            "do not need a degree", "without a degree", "not required to have a degree",
            "degree isn't required", "degrees are not required", "no formal qualification")


_DEGREE_KEYS = ("degree", "bachelor", "master", "mba", "phd", "ph.d", "doctor", "bsc", "msc",
                "b.s.", "b.a.", "m.s.", "b.sc", "m.sc", " bs ", " ba ", "bs/", "ba/", " ms ",
                "(bs", "(ba")


_DEGREE_WORDS = frozenset({
    "degree", "degrees", "bachelor", "bachelors", "bachelor's", "bachelor’s", "master's",
    "master’s", "masters", "master", "mba", "phd", "ph.d", "doctorate", "doctoral", "bsc", "msc",
    "b.s", "b.a", "m.s", "b.sc", "m.sc", "bs", "ba", "ms", "bs/ba", "ba/bs",
})


def _degree(
    low: str, words: set[str] | None = None, marks: Mapping[str, list[int]] | None = None
) -> tuple[bool, str | None, bool]:
    if words is not None and words.isdisjoint(_DEGREE_WORDS):
        return False, None, False
    spans = []
    for key in _DEGREE_KEYS:
        for i in occurrences(low, key, marks):
            spans.append((sentence_start(low, i), sentence_end(low, i + len(key))))
    if not spans:
        return False, None, False
    required_levels: list[str] = []
    alternatives: list[bool] = []
    seen: set[int] = set()
    for s, e in sorted(set(spans)):
        sentence = low[s:e]
        if _has_any(sentence, _NEGATED) or _has_any(sentence, _PREFERRED):
            continue
        alternative = _has_any(sentence, _ALTERNATIVE)
        for m in _DEGREE.finditer(low, s, e):
            if m.start() in seen:
                continue
            seen.add(m.start())
            required_levels.append(_LEVELS[m.lastgroup or "deg"])
            alternatives.append(alternative)
    if not required_levels:
        return False, None, False
    level = max(required_levels, key=_LEVEL_RANK.__getitem__)
    return True, level, all(alternatives)


# -- all checks ------------------------------------------------------------------------------


_ACCOMMODATION_WORDS = frozenset({
    "accommodation", "accommodations", "adjustment", "adjustments", "accessibility", "access",
})
_YEAR_WORDS = frozenset({"year", "years", "yrs", "yr", "years'", "years’", "year's"})


#: Words whose presence the matcher reports so that checks can skip absent phrases cheaply.
CHECK_KEYWORDS = frozenset(
    {key for key, _ in EEO_MARKERS}
    | {"eeo"}
    | _DEGREE_WORDS
    | _ACCOMMODATION_WORDS
    | _YEAR_WORDS
)

#: Strings whose every occurrence the matcher reports, so that checks need not search for them.
CHECK_MARKERS = frozenset(
    {marker for _, marker in EEO_MARKERS}
    | {"eeo", "year", "yr"}
    | set(_ACCOMMODATION)
    | set(_DEGREE_KEYS)
)

#: The checks in the order of :class:`JobAdChecks`' fields.
CHECK_FIELDS = tuple(f.name for f in fields(JobAdChecks))


def compile_for_checks(lexicon: Lexicon) -> CompiledLexicon:
    """The lexicon's matcher, also reporting the keywords and markers the checks use."""
    return compile_lexicon(lexicon, CHECK_KEYWORDS, CHECK_MARKERS)


def structural_checks(
    text: str,
    low: str,
    layout: Layout | None = None,
    words: set[str] | None = None,
    numbers: list[int] | None = None,
    marks: Mapping[str, list[int]] | None = None,
) -> JobAdChecks:
    """Run every structural check on an ad.

    ``low`` is the lower-cased text (same offsets as ``text``). The optional ``words`` (which
    of :data:`CHECK_KEYWORDS` occur), ``numbers`` (where numbers start) and ``marks`` (where
    :data:`CHECK_MARKERS` occur) come from
    :meth:`~fairhire.language.matcher.CompiledLexicon.find` and let the checks skip work.

    Examples
    --------
    >>> ad = "Pay: $50,000 - $60,000 a year. We are an equal opportunity employer."
    >>> c = structural_checks(ad, ad.lower())
    >>> c.salary_range, c.salary_min, c.salary_period, c.eeo_statement
    (True, 50000.0, 'year', True)
    """
    if layout is None:
        layout = Layout(low, words, marks)
    return JobAdChecks(*check_values(text, low, layout, words, numbers, marks))


def check_values(
    text: str,
    low: str,
    layout: Layout,
    words: set[str] | None,
    numbers: list[int] | None,
    marks: Mapping[str, list[int]] | None,
) -> tuple[Any, ...]:
    """The structural checks as a tuple in the order of :data:`CHECK_FIELDS` (see
    :func:`structural_checks`; the batch builds its rows from these without a JobAdChecks)."""
    salaries = find_salaries(low, text, numbers)
    first = None
    for s in salaries:
        if s.high is not None:
            first = s
            break
    rng = first
    if first is None and salaries:
        first = salaries[0]
    n_req, n_pref = layout.requirements()
    degree_required, level, alternative = _degree(low, words, marks)
    if words is not None and words.isdisjoint(_ACCOMMODATION_WORDS):
        accommodation = False
    elif marks is None:
        accommodation = _has_any(low, _ACCOMMODATION)
    else:
        accommodation = not marks.keys().isdisjoint(_ACCOMMODATION)
    years = (_max_years(low, marks) if (words is None or not words.isdisjoint(_YEAR_WORDS))
             else None)
    if first is None:
        pay: tuple[Any, ...] = (False, False, None, None, None, None, None)
    else:
        pay = (rng is not None, True, first.low,
               first.high if first.high is not None else first.low,
               first.currency, first.period, first.text)
    return (*pay, layout.has_eeo(), accommodation, n_req, n_pref, years, degree_required, level,
            alternative)
