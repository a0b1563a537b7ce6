"""Rating labels read as scale points: the scorecard ratings of an applicant-tracking export.

Scorecard exports hold labels, not numbers ("Strong Yes", "3 - Meets"). The labels of a column
are read as scale points in the first of these ways that applies:

1. ``order=`` lists every label, lowest first: read as 1..k (the user's word, checked by
   :func:`~fairhire._core.order.check_order`; matched case and spaces aside);
2. every label carries its own point ("4 - Strong Yes", "3 – Meets", "2 (Below)",
   "5: Outstanding") and each number always goes with the same words: read as that number;
3. every label belongs to one well-known scale (:data:`SCALES`: Greenhouse, Lever): read as
   its points 1..k, said in a warning so the report shows the mapping used.

A word that means "not rated" (:data:`NOT_RATED`: a missing marker such as "N/A", or
Greenhouse's "No Decision") is missing, as a blank is, unless ``order=`` lists it. Anything
else is never guessed: :func:`scale_hint` is the fix the caller's error gives (pass
``order=``, naming the known scale when most labels belong to one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidValueError
from .labels import label_key, plain_value
from .missing import MISSING_MARKERS, is_missing
from .order import check_order, place, positions

__all__ = ["NOT_RATED", "SCALES", "RatingLabels", "labelled_points", "not_rated",
           "read_rating_labels", "scale_hint"]

#: Label keys of the words that mean "not rated": the missing markers of spreadsheets and
#: databases, and the scorecards' own ("No Decision" is Greenhouse's).
NOT_RATED: frozenset[str] = frozenset(
    {label_key(m) for m in MISSING_MARKERS} | {"no decision", "not rated", "not scored",
                                               "no rating"}
)

#: Well-known scorecard scales, lowest first: read without ``order=`` when every label of a
#: column belongs to one of them.
SCALES: dict[str, tuple[str, ...]] = {
    "Greenhouse": ("Definitely Not", "No", "Yes", "Strong Yes"),
    "Lever": ("Strong No Hire", "No Hire", "Hire", "Strong Hire"),
}

# "4 - Strong Yes", "3 – Meets", "5: Outstanding", "2 (Below)": a number, then words (with a
# letter) after a dash or colon, or in brackets
_POINT = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?)\s*(?:[-–—:]\s*(?P<a>.*[^\W\d_].*)|\((?P<b>[^()]*[^\W\d_][^()]*)\))$"
)


def not_rated(label: Any) -> bool:
    """Whether a rating label means "not rated" (blank, "N/A", "No Decision" ...).

    Examples
    --------
    >>> [not_rated(v) for v in (" ", None, "n/a", "No decision ", "No", 3)]
    [True, True, True, True, False, False]
    """
    return is_missing(label) or (isinstance(label, str) and label_key(label) in NOT_RATED)


@dataclass(frozen=True)
class RatingLabels:
    """How the labels of one rating column were read: ``points`` maps each label (not-rated
    words aside) to its scale point; ``note`` is the warning to show, if any."""

    points: dict[Any, int | float]
    note: str | None = None


def _point_of(label: Any) -> tuple[int | float, str] | None:
    """The number a label carries and its words' label key; None without one."""
    if not isinstance(label, str):
        return None
    m = _POINT.match(" ".join(label.split()))
    if m is None:
        return None
    number = plain_value(float(m["n"]))
    return number, label_key((m["a"] or m["b"]).strip())


def labelled_points(labels: Iterable[Any], *, column: str) -> dict[Any, int | float] | None:
    """Each label's own scale point, when every label carries one ("4 - Strong Yes"); None
    otherwise. A number written with different words (or words with different numbers) is an
    error naming the labels.

    Examples
    --------
    >>> labelled_points(["4 - Strong Yes", "1 (Strong No)", "3: Yes"], column="overall")
    {'4 - Strong Yes': 4, '1 (Strong No)': 1, '3: Yes': 3}
    >>> labelled_points(["4 - Strong Yes", "Maybe"], column="overall") is None
    True
    >>> labelled_points(["3 - Yes", "3 - No"], column="overall")
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: column 'overall' holds labels that give one scale point different words, or one word different points: '3 - No', '3 - Yes'. Correct the labels, or pass order=[...] with every label, lowest first.
    """
    labels = list(dict.fromkeys(labels))
    read = {label: _point_of(label) for label in labels}
    if not labels or any(p is None for p in read.values()):
        return None
    words: dict[Any, set[str]] = {}
    numbers: dict[str, set[Any]] = {}
    for point in read.values():
        assert point is not None
        words.setdefault(point[0], set()).add(point[1])
        numbers.setdefault(point[1], set()).add(point[0])
    bad = [lab for lab, p in read.items()
           if p is not None and (len(words[p[0]]) > 1 or len(numbers[p[1]]) > 1)]
    if bad:
        raise InvalidValueError(
            f"column {column!r} holds labels that give one scale point different words, or "
            f"one word different points: {', '.join(map(repr, sorted(map(str, bad))))}. Correct "
            "the labels, or pass order=[...] with every label, lowest first."
        )
    return {label: p[0] for label, p in read.items() if p is not None}


def _scale_shares(labels: list[Any]) -> list[tuple[str, int]]:
    """Per known scale, how many of the labels belong to it (most first)."""
    keys = [label_key(str(v)) for v in labels]
    words = {name: {label_key(s) for s in scale} for name, scale in SCALES.items()}
    shares = [(name, sum(k in words[name] for k in keys)) for name in SCALES]
    return sorted(shares, key=lambda s: -s[1])


def _known_scale(labels: list[Any], column: str) -> RatingLabels | None:
    """The labels read by the one known scale they all belong to; None otherwise."""
    name, n = _scale_shares(labels)[0]
    if not labels or n < len(labels):
        return None
    scale = SCALES[name]
    pos = positions(scale)
    mapping = ", ".join(f"{s} = {i}" for i, s in enumerate(scale, start=1))
    return RatingLabels(
        points={lab: int(place(pos, lab)) + 1 for lab in labels},  # type: ignore[arg-type]
        note=f"ratings in {column!r} read as the {name} scale: {mapping}.",
    )


def read_rating_labels(labels: Iterable[Any], *, column: str,
                       order: Sequence[Any] | None = None,
                       argument: str = "order") -> RatingLabels | None:
    """Read the distinct labels of a rating column as scale points (see the module's rules);
    None when no rule applies (the caller's error then gives :func:`scale_hint`). Labels
    that mean "not rated" are left out of ``points`` (they stay missing) unless ``order=``
    lists them; a label missing from ``order=`` is an error listing it.

    Examples
    --------
    >>> read_rating_labels(["Yes", "no decision", "Strong Yes", "No"], column="overall")
    ... # doctest: +NORMALIZE_WHITESPACE
    RatingLabels(points={'Yes': 3, 'Strong Yes': 4, 'No': 2},
                 note="ratings in 'overall' read as the Greenhouse scale: Definitely Not = 1,
                 No = 2, Yes = 3, Strong Yes = 4.")
    >>> read_rating_labels(["meets ", "Exceeds", "N/A"], column="overall",
    ...                    order=["Below", "Meets", "Exceeds"]).points
    {'meets ': 2, 'Exceeds': 3}
    """
    present = [v for v in dict.fromkeys(plain_value(v) for v in labels) if not is_missing(v)]
    if order is not None:
        listed = positions(check_order([], order, column=column, argument=argument))
        rated = [v for v in present if place(listed, v) is not None or not not_rated(v)]
        pos = positions(check_order(rated, order, column=column, argument=argument))
        return RatingLabels(points={v: int(place(pos, v)) + 1  # type: ignore[arg-type]
                                    for v in rated})
    rated = [v for v in present if not not_rated(v)]
    points = labelled_points(rated, column=column)
    if points is not None:
        return RatingLabels(points=points)
    return _known_scale(rated, column)


def scale_hint(labels: Iterable[Any], *, argument: str = "order") -> str:
    """The fix an error on unreadable rating labels gives: pass ``order=`` (naming the known
    scale most labels belong to, and the labels that are not its).

    Examples
    --------
    >>> print(scale_hint(["Yes", "No", "Strong Yes", "Maybe", None]))
    pass order=[...] with every rating label, lowest first, to read them as scale points 1..k; most labels are the Greenhouse scale's (Definitely Not, No, Yes, Strong Yes) but 'Maybe' is not
    """
    rated = [v for v in dict.fromkeys(labels) if not not_rated(v)]
    hint = (f"pass {argument}=[...] with every rating label, lowest first, to read them as "
            "scale points 1..k")
    name, n = _scale_shares(rated)[0] if rated else ("", 0)
    if n * 2 > len(rated):
        pos = positions(SCALES[name])
        others = sorted(str(v) for v in rated if place(pos, v) is None)
        hint += (f"; most labels are the {name} scale's ({', '.join(SCALES[name])}) but "
                 f"{', '.join(map(repr, others[:8]))}{' ...' if len(others) > 8 else ''} "
                 f"{'is' if len(others) == 1 else 'are'} not")
    return hint
