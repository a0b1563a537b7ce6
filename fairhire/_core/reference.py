"""Choosing the reference group, in one place.

Every comparison of groups (adverse impact, LL144, cut-offs, screening models, promotion,
ratings, representation, interviews, pay, survival, retention, monitoring) needs a reference
group. They all use :func:`choose_reference`, with one rule:

- ``reference=`` names the reference group, and then it is used, whatever its size (a warning
  says when it is too small to give a stable rate).
- Otherwise the reference is the group with the **most favourable outcome** (the highest
  selection, promotion or pass rate; the highest pay; the fastest promotion; the lowest exit
  rate) **among groups large enough to give a stable rate**: at least ``min_n`` people (30 by
  default, the analysis' ``min_n=``) and at least 2% of the people with a known group
  (:data:`REFERENCE_MIN_SHARE`, the share NYC LL144 lets an auditor exclude).
- Ties go to the largest of the tied groups (its rate is the most precise), then to the first
  label in sorted order, so the choice never depends on how rows or groups are ordered. Every
  tied group is a reference (impact ratio 1).
- Smaller groups are still listed and compared with the reference; they are marked "too small
  to be the reference". When no group is large enough, the most favourable of all groups is
  used, with a warning.

Comparisons are exact: rates are compared as fractions, so 12/20 and 15/25 tie.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InvalidParameterError, preview
from .groups import sort_key
from .labels import label_key, reads_as_undisclosed
from .text import format_counted

__all__ = [
    "REFERENCE_MIN_SHARE", "ReferenceChoice", "UnknownReferenceError", "choose_reference",
    "find_group",
]

#: Smallest share of people with a known group that a default reference group must have.
REFERENCE_MIN_SHARE = Fraction(2, 100)

TOO_SMALL = "too small to be the reference"


@dataclass(frozen=True)
class ReferenceChoice:
    """The reference group of one comparison (for example one stage of a funnel).

    Attributes
    ----------
    labels : tuple of str
        The groups, in the caller's order.
    index : int or None
        Position of the reference (None when no group has a usable outcome).
    tied : tuple of int
        Positions of every group tied with the reference (each is a reference; ratio 1).
    eligible : numpy.ndarray of bool
        Groups large enough to be the reference.
    given : bool
        The caller named the reference with ``reference=``.
    warning : str or None
        Why the choice needs a reader's attention (no group large enough, a small named
        reference, no outcome at all), or None.
    """

    labels: tuple[str, ...]
    index: int | None
    tied: tuple[int, ...]
    eligible: np.ndarray
    given: bool = False
    warning: str | None = None

    @property
    def label(self) -> str | None:
        return None if self.index is None else self.labels[self.index]

    def too_small(self, i: int) -> bool:
        """Group ``i`` is too small to be the reference (it is still compared)."""
        return not bool(self.eligible[i])


def _score_key(score: Any) -> Any:
    if isinstance(score, Fraction | int | np.integer):
        return Fraction(int(score)) if not isinstance(score, Fraction) else score
    return float(score)


def _usable(score: Any) -> bool:
    if score is None:
        return False
    if isinstance(score, float | np.floating):
        return not math.isnan(score)
    return True


def find_group(reference: Any, labels: Sequence[str], keys: Sequence[Any] | None = None) -> int:
    """Position of the group named by ``reference``: its label, its value (or tuple of values
    for an intersection), or either ignoring case and spaces.

    Examples
    --------
    >>> find_group("female", ["Male", "Female"])
    1
    """
    keys = list(keys) if keys is not None else list(labels)
    for i, (lab, key) in enumerate(zip(labels, keys, strict=True)):
        key_t = key if isinstance(key, tuple) else (key,)
        try:
            if reference == key or reference == key_t or str(reference) == lab:
                return i
        except (TypeError, ValueError):
            pass
        if len(key_t) == 1 and str(reference) == str(key_t[0]):
            return i
    wanted = label_key(str(reference))
    matches = [i for i, lab in enumerate(labels) if label_key(lab) == wanted]
    if len(matches) == 1:
        return matches[0]
    raise UnknownReferenceError(reference, labels)


class UnknownReferenceError(InvalidParameterError):
    """``reference=`` names no group that is compared.

    :func:`fairhire._core.reference_rows.explains_reference` turns it into a message that says
    when the group is in the data but every one of its rows was excluded.
    """

    def __init__(self, reference: Any, labels: Sequence[str], detail: str = "") -> None:
        self.reference, self.labels = reference, list(labels)
        super().__init__(
            f"reference={reference!r} is not one of the groups: {preview(self.labels, limit=10)}. "
            f"{detail}Pass one of these labels, or leave reference= out to use the default rule."
        )


def choose_reference(
    labels: Sequence[str],
    sizes: Sequence[int],
    scores: Sequence[Any],
    *,
    reference: Any = None,
    keys: Sequence[Any] | None = None,
    min_n: int = 30,
    min_share: Fraction | float = REFERENCE_MIN_SHARE,
    excluded: Sequence[bool] | None = None,
    higher_is_better: bool = True,
    what: str = "rate",
) -> ReferenceChoice:
    """Choose the reference group by the rule in this module's docstring.

    Parameters
    ----------
    labels : sequence of str
        Group labels.
    sizes : sequence of int
        People in each group (for the comparison at hand, e.g. those who reached the stage).
    scores : sequence
        Each group's outcome: exact :class:`~fractions.Fraction` rates for counts, floats for
        means; NaN or None when undefined (e.g. no one in the group).
    reference : optional
        The caller's reference group (label or value); overrides the rule.
    keys : sequence, optional
        The groups' raw values, so ``reference=`` can name one by value.
    min_n : int
        Smallest group that can be the default reference.
    min_share : float
        Smallest share of all people (in groups not ``excluded``) a default reference needs.
    excluded : sequence of bool, optional
        Groups left out of comparisons altogether (e.g. below ``min_share=``); never the
        reference.
    higher_is_better : bool
        The favourable outcome is the higher score (rates, pay); False for exit rates or times.
    what : str
        The outcome's name, for warnings ("selection rate", "mean pay").

    Examples
    --------
    Hispanic 5/10, White 50/100, Black 10/40: Hispanic and White tie at 50%, but Hispanic has
    10 people, fewer than ``min_n``, so White is the reference:

    >>> from fractions import Fraction as F
    >>> c = choose_reference(["Hispanic", "White", "Black"], [10, 100, 40],
    ...                      [F(5, 10), F(50, 100), F(10, 40)])
    >>> c.label, c.tied, c.too_small(0)
    ('White', (1,), True)
    """
    n = len(labels)
    sizes_arr = np.asarray([int(s) for s in sizes], dtype=np.int64)
    out = np.zeros(n, dtype=bool) if excluded is None else np.asarray(excluded, dtype=bool)
    usable = np.array([_usable(s) for s in scores], dtype=bool) & (sizes_arr > 0)
    total = int(sizes_arr[~out].sum())
    share = Fraction(str(min_share)) if not isinstance(min_share, Fraction) else min_share
    eligible = usable & ~out & (sizes_arr >= min_n)
    # size >= share * total, exactly, in Python integers (no overflow, no Fraction per group)
    floor = share.numerator * total
    eligible &= np.array([s * share.denominator >= floor for s in sizes_arr.tolist()],
                         dtype=bool)
    if reference is not None:
        i = find_group(reference, labels, keys)
        if out[i]:
            raise InvalidParameterError(
                f"reference={reference!r} is excluded from comparisons (below min_share=); "
                "choose another reference group or lower min_share."
            )
        warning = None
        if not usable[i]:
            warning = f"the reference group {labels[i]!r} has no people here: no comparison."
        elif not eligible[i]:
            warning = (
                f"the reference group {labels[i]!r} has {format_counted(sizes_arr[i])}, fewer than "
                f"{min_n} or under {float(share):.0%} of the total: its {what} is unstable, so "
                "the comparisons with it are too."
            )
        index = i if usable[i] else None
        return ReferenceChoice(labels=tuple(labels), index=index,
                               tied=(i,) if index is not None else (), eligible=eligible,
                               given=True, warning=warning)
    pool = eligible
    warning = None
    if not pool.any():
        pool = usable & ~out
        if pool.any():
            warning = (
                f"no group has at least {min_n} people and {float(share):.0%} of the total, so "
                f"the group with the most favourable {what} is the reference although its "
                f"{what} is unstable."
            )
            warning += _identifier_hint(sizes_arr[~out])
    if not pool.any():
        warning = f"no group has a {what} to compare."
        return ReferenceChoice(labels=tuple(labels), index=None, tied=(), eligible=eligible,
                               warning=warning)
    candidates = np.flatnonzero(pool)
    # each score's key once, negated only when lower is better (1 * Fraction makes a new one)
    keys_of = {int(i): _score_key(scores[i]) for i in candidates}
    if not higher_is_better:
        keys_of = {i: -k for i, k in keys_of.items()}
    best = max(keys_of.values())
    tied = [i for i, k in keys_of.items() if k == best]
    tied.sort(key=lambda i: (-int(sizes_arr[i]), sort_key(labels[i])))
    if reads_as_undisclosed(labels[tied[0]]):
        warning = " ".join(filter(None, [warning, _undisclosed_reference(labels[tied[0]])]))
    return ReferenceChoice(labels=tuple(labels), index=tied[0], tied=tuple(tied),
                           eligible=eligible, warning=warning)


def _undisclosed_reference(label: str) -> str:
    """The chosen reference reads as a non-disclosure: the comparisons are then with people
    who did not say, which the auditor should decide, not the data."""
    # not NON_DISCLOSURE_NOTE's words: analyses drop warnings holding them as repeats
    return (f"the reference group {label!r} is people who did not disclose: the other groups "
            f"are compared with them. To compare with a group, name one with "
            f"reference=; to count the label as unknown, name it in unknown_labels (on the "
            f"command line, --unknown-label {label!r}).")


def _identifier_hint(sizes: np.ndarray) -> str:
    """A sentence for a comparison of very many tiny groups: a group column that holds an
    identifier or a measurement (10,000 "groups" of one person each) is not an error of the
    reference rule, but every flag it gives is noise."""
    if len(sizes) < 50 or float(np.median(sizes)) > 2:
        return ""
    return (
        f" There are {len(sizes):,} groups, most of them of one or two people: check that the "
        "group column holds groups, not an identifier or a number to band into groups first "
        "(e.g. with pandas.cut)."
    )
