"""Structural checks on a whole job ad: pay, EEO and accommodation statements, requirements.

- **Salary range.** Pay-transparency laws (Colorado, California, Washington, New York, Illinois;
  EU Directive 2023/970 Art. 5) require the pay or pay range in the ad or before the interview.
  Amounts with a currency sign or code (``$``, ``€``, ``£``, ``USD`` ...), or next to a pay word
  (salary, pay, compensation, rate ...), with ``k`` and separators (``$80k``, ``80.000 €``,
  ``£30,000``), ranges with a hyphen, dash, "to" or "and", and an hourly/annual period.
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
from dataclasses import asdict, dataclass
from typing import Any

from .context import EEO_MARKERS, Layout, _sentence_end, _sentence_start

__all__ = ["JobAdChecks", "structural_checks"]


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


# -- salary ---------------------------------------------------------------------------------

_CODES = (
    "usd|eur|gbp|cad|aud|nzd|chf|jpy|inr|sek|nok|dkk|pln|sgd|hkd|zar|brl|mxn|czk|huf|ron|ils|"
    "aed|cny|rmb"
)
_SYMBOL_CODE = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_PREFIX_DOLLAR = {"us": "USD", "ca": "CAD", "c": "CAD", "au": "AUD", "a": "AUD", "nz": "NZD",
                  "hk": "HKD", "s": "SGD", "sg": "SGD"}
_NUM = r"\d[\d,.'’\u00a0\u202f]{0,14}"
_K = r"(?:\s?k(?![a-z]))"
_CUR_AFTER = rf"(?:\s?(?:{_CODES}|[$€£])(?![a-z]))"
_PER = (
    r"\s*(?:/|per|an|a|each)\s*(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day|shift)(?![a-z])"
)
_SALARY = re.compile(
    rf"(?P<s1>[$€£¥₹])?\s?(?P<n1>{_NUM})(?P<k1>{_K})?(?P<c1>{_CUR_AFTER})?(?:{_PER})?"
    rf"(?:\s*(?:-|–|—|‒|to|and|bis|à)\s*(?:us|ca|au|nz|hk|c|a|s)?(?P<s2>[$€£¥₹])?\s?"
    rf"(?P<n2>{_NUM})(?P<k2>{_K})?"
    rf"(?P<c2>{_CUR_AFTER})?)?"
    r"(?:\s*(?:/|per|an|a|each)\s*(?P<p1>hour|hr|h|year|yr|annum|month|mo|week|wk|day|shift)"
    r"(?![a-z])|\s*(?P<p2>hourly|annually|yearly|monthly|weekly|daily|p\.?a\.?|p\.?h\.?)"
    r"(?![a-z]))?"
)
_AMOUNT = re.compile(r"(\d{1,3}(?:[,.'’\u00a0\u202f]\d{3})*)(?:[.,](\d{1,2}))?")
_PAY_WORDS = ("salary", "salaries", "pay", "compensation", "wage", "rate", "remuneration", "base",
              "ote", "earn", "stipend", "per annum", "per hour", "hourly", "annual", "income",
              "package", "bonus")
_CODE_SET = frozenset(_CODES.split("|"))
_NON_DIGIT = re.compile(r"\D")
_PERIODS = {
    "hour": "hour", "hr": "hour", "h": "hour", "hourly": "hour", "ph": "hour", "p.h.": "hour",
    "p.h": "hour", "year": "year", "yr": "year", "annum": "year", "annually": "year",
    "yearly": "year", "pa": "year", "p.a.": "year", "p.a": "year", "month": "month",
    "mo": "month", "monthly": "month", "week": "week", "wk": "week", "weekly": "week",
    "day": "day", "daily": "day", "shift": "day",
}


def _amount(text: str) -> float | None:
    s = text.rstrip(".,'’\u00a0\u202f ")
    if s.isdigit():
        return float(s)
    m = _AMOUNT.fullmatch(s)
    if m:
        whole = _NON_DIGIT.sub("", m.group(1))
        frac = m.group(2)
        return float(whole) + (float("0." + frac) if frac else 0.0)
    digits = _NON_DIGIT.sub("", s)
    return float(digits) if digits else None


@dataclass
class _Salary:
    low: float
    high: float | None
    currency: str | None
    period: str | None
    text: str


_NUMBER_START_CHARS = frozenset("0123456789$€£¥₹")


def _number_starts(low: str, numeric: set[str] | None, token_regex: Any) -> list[int]:
    """Offsets where a number or a currency sign starts (not inside a word or a number)."""
    if numeric is None:  # no token information: scan the text
        return [
            m.start()
            for m in re.finditer(r"[$€£¥₹\d]", low)
            if m.start() == 0
            or low[m.start()] in "$€£¥₹"
            or not (low[m.start() - 1].isalnum() or low[m.start() - 1] in ".,'’")
        ]
    if len(numeric) > 32:  # many distinct numbers: one scan of the text is cheaper
        return _number_starts(low, None, None)
    starts = set()
    for tok in numeric:
        local = [
            j
            for j, ch in enumerate(tok)
            if ch in _NUMBER_START_CHARS
            and (j == 0 or ch in "$€£¥₹" or not (tok[j - 1].isalnum() or tok[j - 1] in ".,'’"))
        ]
        if not local:
            continue
        for m in token_regex(tok).finditer(low):
            off = m.start()
            starts.update(off + j for j in local)
    return sorted(starts)


def _find_salaries(
    low: str, text: str, numeric: set[str] | None = None, token_regex: Any = None
) -> list[_Salary]:
    out: list[_Salary] = []
    consumed = 0
    for i in _number_starts(low, numeric, token_regex):
        if i < consumed:
            continue
        m = _SALARY.match(low, i)
        if m is None or m.group("n1") is None:
            continue
        consumed = m.end()
        sal = _salary_from_match(low, text, m)
        if sal is not None:
            out.append(sal)
            if sal.high is not None:
                break  # the first range is the one we report
    return out


def _salary_from_match(low: str, text: str, m: re.Match[str]) -> _Salary | None:
    start, end = m.span()
    n1, n2 = m.group("n1"), m.group("n2")
    after = low[end : end + 12].lstrip()
    if after.startswith(("year", "yr", "%", "+ year", "+year", "percent")):
        return None
    if n1.rstrip(".,") == "401" and n2 is None and (m.group("k1") or low.startswith("(k)", end)):
        return None  # a 401(k) plan, not pay
    s1, s2 = m.group("s1"), m.group("s2")
    currency = _SYMBOL_CODE[s1] if s1 else (_SYMBOL_CODE[s2] if s2 else None)
    if currency is None:
        code = (m.group("c1") or m.group("c2") or "").strip()
        if code:
            currency = _SYMBOL_CODE.get(code, code.upper())
    if s1 == "$":  # "CA$", "US$", "A$" before the sign
        for size in (2, 1):
            pre = low[max(0, start - size) : start]
            if len(pre) == size and pre in _PREFIX_DOLLAR and (
                start - size == 0 or not low[start - size - 1].isalpha()
            ):
                currency = _PREFIX_DOLLAR[pre]
                break
    line_start = low.rfind("\n", max(0, start - 80), start) + 1
    before = low[max(line_start, start - 80) : start]
    tail = before[-6:].rstrip()
    if tail:
        if tail[-1] in _SYMBOL_CODE:  # "US$ 90,000", "€ 45.000"
            sym = tail[-1]
            pre = tail[-3:-1].lstrip(" 0123456789")
            currency = _PREFIX_DOLLAR.get(pre, "USD") if sym == "$" else _SYMBOL_CODE[sym]
        elif tail[-3:] in _CODE_SET and (len(tail) == 3 or not tail[-4].isalpha()):
            currency = tail[-3:].upper()
    pay_word = any(w in before for w in _PAY_WORDS)
    if currency is None and not pay_word:
        return None  # a number that is not pay (most numbers end here, cheaply)
    v1 = _amount(n1)
    v2 = _amount(n2) if n2 else None
    if v1 is None:
        return None
    k1, k2 = bool(m.group("k1")), bool(m.group("k2"))
    if k1:
        v1 *= 1000
    if v2 is not None and k2:
        v2 *= 1000
        if not k1 and v1 < 1000:
            v1 *= 1000
    period_raw = m.group("p1") or m.group("p2")
    period = _PERIODS.get(period_raw.replace(" ", "")) if period_raw else None
    if period is None:
        if "hourly" in before or "per hour" in before or "an hour" in before:
            period = "hour"
        elif "annual" in before or "per annum" in before or "per year" in before:
            period = "year"
    if currency is None and not (k1 or k2 or v1 >= 1000 or period):
        return None
    if currency is None and v2 is None and not (k1 or period) and 1900 <= v1 <= 2099:
        return None  # a year next to a pay word ("pay review in April 2025")
    if v2 is not None and not (0 < v1 <= v2):
        v2 = None  # "2023-2024", "5 to 3": not a range of pay
    return _Salary(
        low=v1,
        high=v2,
        currency=currency,
        period=period,
        text=text[start:end].strip(),
    )


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
    return any(p in low for p in phrases)


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
_EXPERIENCE_WORDS = ("experience", "expertise", "background", "track record", "working", "work ")


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return int(s) if s.isdigit() else _NUMBER_WORDS.get(s)


def _year_words(low: str) -> list[tuple[int, int]]:
    """Spans of "year", "years", "yr", "yrs" (str.find is much faster than a regex scan)."""
    spans = []
    for stem in ("year", "yr"):
        i = low.find(stem)
        while i >= 0:
            m = _YEARS.match(low, i)
            if m is not None and (i == 0 or not low[i - 1].isalpha()):
                spans.append(m.span())
            i = low.find(stem, i + len(stem))
    return sorted(spans)


def _max_years(low: str) -> int | None:
    best: int | None = None
    for i, end in _year_words(low):
        before = low[max(0, i - 30) : i]
        b = _YEARS_BEFORE.search(before)
        if b is None:
            continue
        after = low[end : end + 80]
        stop = min((j for j in (after.find(". "), after.find("\n")) if j >= 0), default=len(after))
        after = after[:stop]
        if after.lstrip().startswith(("old", "of age", "ago")):
            continue
        ctx_before = low[max(0, i - 60) : i]
        if not (
            any(w in after for w in _EXPERIENCE_WORDS)
            or any(w in ctx_before for w in ("minimum", "at least", "min.", "more than", "over "))
        ):
            continue
        values = [v for v in (_num(b.group(1)), _num(b.group(2))) if v is not None]
        if values:
            top = max(values)
            if top <= 50:
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


def _degree(low: str, words: set[str] | None = None) -> tuple[bool, str | None, bool]:
    if words is not None and words.isdisjoint(_DEGREE_WORDS):
        return False, None, False
    spans = []
    for key in _DEGREE_KEYS:
        i = low.find(key)
        while i >= 0:
            spans.append((_sentence_start(low, i), _sentence_end(low, i + len(key))))
            i = low.find(key, i + len(key))
    if not spans:
        return False, None, False
    required_levels: list[str] = []
    alternatives: list[bool] = []
    seen: set[int] = set()
    for s, e in sorted(set(spans)):
        sentence = low[s:e]
        if any(x in sentence for x in _NEGATED) or any(x in sentence for x in _PREFERRED):
            continue
        alternative = any(x in sentence for x in _ALTERNATIVE)
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


def structural_checks(
    text: str,
    low: str,
    layout: Layout | None = None,
    words: set[str] | None = None,
    numeric: set[str] | None = None,
    token_regex: Any = None,
) -> JobAdChecks:
    """Run every structural check on an ad.

    ``low`` is the lower-cased text (same offsets as ``text``). The optional ``words`` (which
    of :data:`CHECK_KEYWORDS` occur), ``numeric`` (distinct tokens holding a digit or currency
    sign) and ``token_regex`` (tok -> compiled regex finding it as a whole token) come from
    :meth:`~fairhire.language.matcher.CompiledLexicon.find` and let the checks skip work.
    """
    if layout is None:
        layout = Layout(low, words)
    if numeric is not None and token_regex is None:
        numeric = None
    salaries = _find_salaries(low, text, numeric, token_regex) if (
        numeric if numeric is not None else any(c in low for c in "0123456789$€£¥₹")
    ) else []
    rng = next((s for s in salaries if s.high is not None), None)
    first = rng or (salaries[0] if salaries else None)
    n_req, n_pref = layout.requirements()
    degree_required, level, alternative = _degree(low, words)
    accommodation = (words is None or not words.isdisjoint(_ACCOMMODATION_WORDS)) and _has_any(
        low, _ACCOMMODATION
    )
    years = _max_years(low) if (words is None or not words.isdisjoint(_YEAR_WORDS)) else None
    return JobAdChecks(
        salary_range=rng is not None,
        salary_stated=first is not None,
        salary_min=first.low if first else None,
        salary_max=(first.high if first.high is not None else first.low) if first else None,
        salary_currency=first.currency if first else None,
        salary_period=first.period if first else None,
        salary_text=first.text if first else None,
        eeo_statement=bool(layout.eeo_regions()),
        accommodation_statement=accommodation,
        n_requirements=n_req,
        n_preferred=n_pref,
        max_years_experience=years,
        degree_required=degree_required,
        degree_level=level,
        degree_alternative=alternative,
    )
