"""Pay in a job ad: amounts, ranges, currency and period.

Pay-transparency laws (Colorado, California, Washington, New York, Illinois; EU Directive
2023/970 Art. 5) require the pay or pay range in the ad or before the interview. Amounts with a
currency sign or code (``$``, ``€``, ``£``, ``USD`` ...), or next to a pay word (salary, pay,
compensation, rate ...), with ``k`` and separators (``$80k``, ``80.000 €``, ``£30,000``), ranges
with a hyphen, dash, "to" or "and", and an hourly/annual period. Every expression is anchored on
a digit or a currency sign and uses bounded repetitions, so the search is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Salary", "find_salaries", "number_starts"]

_NUMBER_RUN = re.compile("[0-9$€£¥₹]+")
_CURRENCY = frozenset("$€£¥₹")


def number_starts(low: str) -> list[int]:
    """Offsets where a number or a currency sign starts (not inside a word or a number).

    A digit starts a number unless a letter, digit or one of ``.,'’`` comes just before it; a
    currency sign always starts one.

    Examples
    --------
    >>> number_starts("pay $80,000 or 1.5x; v2")
    [4, 5, 15]
    """
    out = []
    for m in _NUMBER_RUN.finditer(low):
        for j in range(*m.span()):
            ch = low[j]
            if ch in _CURRENCY or j == 0:
                out.append(j)
            elif not ((prev := low[j - 1]).isalnum() or prev in ".,'’"):
                out.append(j)
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
# _salary_from_match takes the groups by position
assert list(_SALARY.groupindex) == ["s1", "n1", "k1", "c1", "s2", "n2", "k2", "c2", "p1", "p2"]
assert _SALARY.groups == len(_SALARY.groupindex)
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
    # "106,000": digits and commas, three digits after the last comma. No decimal part can
    # end it (that takes one or two digits after the separator), so every reading below
    # gives all its digits: the same number without the expression and the substitution
    if s[-4:-3] == "," and (digits := s.replace(",", "")).isdigit():
        return float(digits)
    m = _AMOUNT.fullmatch(s)
    if m:
        whole = _NON_DIGIT.sub("", m.group(1))
        frac = m.group(2)
        return float(whole) + (float("0." + frac) if frac else 0.0)
    digits = _NON_DIGIT.sub("", s)
    return float(digits) if digits else None


@dataclass
class Salary:
    """One pay amount or range found in an ad."""

    low: float
    high: float | None
    currency: str | None
    period: str | None
    text: str


def find_salaries(low: str, text: str, starts: list[int] | None = None) -> list[Salary]:
    """Pay amounts and ranges, from the number starts (:func:`number_starts`) onwards.

    Stops at the first range: that is the one an ad's pay is read from.

    Examples
    --------
    >>> ad = "Salary: $80,000 - $95,000 per year; 401(k)."
    >>> [(s.low, s.high, s.currency, s.period) for s in find_salaries(ad.lower(), ad)]
    [(80000.0, 95000.0, 'USD', 'year')]
    """
    out: list[Salary] = []
    consumed = 0
    for i in number_starts(low) if starts is None else starts:
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


def _salary_from_match(low: str, text: str, m: re.Match[str]) -> Salary | None:
    start, end = m.span()
    # every group at once, by position (one call, no name lookups)
    s1, n1, k1, c1, s2, n2, k2, c2, p1, p2 = m.groups()
    after = low[end : end + 12].lstrip()
    if after.startswith(("year", "yr", "%", "+ year", "+year", "percent")):
        return None
    if n1.rstrip(".,") == "401" and n2 is None and (k1 or low.startswith("(k)", end)):
        return None  # a 401(k) plan, not pay
    currency = _SYMBOL_CODE[s1] if s1 else (_SYMBOL_CODE[s2] if s2 else None)
    if currency is None:
        code = (c1 or c2 or "").strip()
        if code:
            currency = _SYMBOL_CODE.get(code, code.upper())
    # "CA$", "US$", "A$" before the sign (every prefix is letters: none without one there)
    if s1 == "$" and start and low[start - 1].isalpha():
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
    v1 = _amount(n1)
    v2 = _amount(n2) if n2 else None
    if v1 is None:
        return None
    k1, k2 = bool(k1), bool(k2)
    if k1:
        v1 *= 1000
    if v2 is not None and k2:
        v2 *= 1000
        if not k1 and v1 < 1000:
            v1 *= 1000
    period_raw = p1 or p2
    period = _PERIODS.get(period_raw.replace(" ", "")) if period_raw else None
    if period is None:
        if "hourly" in before or "per hour" in before or "an hour" in before:
            period = "hour"
        elif "annual" in before or "per annum" in before or "per year" in before:
            period = "year"
    if currency is None:
        if not (k1 or k2 or v1 >= 1000 or period):
            return None  # tested before the pay words: cheaper, and most numbers end here
        # a number that is not pay (a substring test per pay word is about twice as fast as
        # one search for any of them, which tries every position)
        for w in _PAY_WORDS:  # a loop, not any() over a generator
            if w in before:
                break
        else:
            return None
    if currency is None and v2 is None and not (k1 or period) and 1900 <= v1 <= 2099:
        return None  # a year next to a pay word ("pay review in April 2025")
    if v2 is not None and not (0 < v1 <= v2):
        v2 = None  # "2023-2024", "5 to 3": not a range of pay
    return Salary(
        low=v1,
        high=v2,
        currency=currency,
        period=period,
        text=text[start:end].strip(),
    )


