"""Group labels and the reference group of the regression analyses (pay gap, Oaxaca–Blinder).

Labels are read by the shared rule (:func:`fairhire._core.labels.clean_labels`): trimmed, case
and space variants merged under the most frequent spelling with a warning, missing values and
``unknown_labels`` excluded and counted. The ``group=`` column is not assumed to hold sex:
``M``/``F`` stay ``M``/``F`` (only ``sex=`` arguments read sex spellings).

The reference group follows the shared rule (:func:`fairhire._core.reference.choose_reference`):
``reference=`` when given, otherwise the group with the highest mean pay among the groups large
enough to give stable figures (at least ``min_n`` employees and 2% of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import sort_key
from .._core.labels import LabelCleaning, clean_labels
from .._core.reference import ReferenceChoice, choose_reference
from ..errors import InsufficientDataError, preview
from ._design import label_text

__all__ = ["CleanColumn", "GroupCodes", "clean_column", "group_codes"]


@dataclass(frozen=True)
class CleanColumn:
    """A group column read by the label rule: how its labels were cleaned (``cleaning``, for
    the warnings about merged spellings), each row's code (its position in ``distinct``, the
    clean labels; −1 when missing or unknown) and each row's clean value (``values``; None when
    missing or unknown)."""

    cleaning: LabelCleaning
    codes: np.ndarray
    distinct: tuple[Any, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """The cleaning's warnings, every group being compared."""
        return tuple(self.cleaning.warnings())

    @cached_property
    def values(self) -> np.ndarray:
        return np.array([*self.distinct, None], dtype=object)[self.codes]

    @property
    def missing(self) -> np.ndarray:
        return self.codes < 0

    def factorized(self, positions: np.ndarray) -> tuple[np.ndarray, list[Any]]:
        """``pandas.factorize`` of ``values[positions]`` (rows with a label), from the codes:
        codes and labels in order of first appearance, without hashing every row again."""
        sub = self.codes[positions]
        order = pd.unique(sub)  # hashing, in order of first appearance
        renumber = np.full(len(self.distinct), -1, dtype=np.intp)
        renumber[order] = np.arange(len(order))
        return renumber[sub], [self.distinct[i] for i in order]


def clean_column(values: pd.Series, column: str, unknown_labels: Sequence[Any] = ()) -> CleanColumn:
    """Clean every row's label, reading each distinct value once.

    Examples
    --------
    >>> c = clean_column(pd.Series(["Female", "female ", "Male", None]), "sex")
    >>> c.values.tolist(), c.missing.tolist()
    (['Female', 'Female', 'Male', None], [False, False, False, True])
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    cleaning = clean_labels(
        list(uniques), counts.tolist(), column=column, unknown_labels=unknown_labels
    )
    clean = [cleaning.get(u) for u in uniques]
    index: dict[Any, int] = {}
    for label in clean:
        if label is not None:
            index.setdefault(label, len(index))
    code_of = np.array([-1 if c is None else index[c] for c in clean] + [-1], dtype=np.intp)
    rows = code_of[np.where(codes < 0, len(uniques), codes)]
    return CleanColumn(cleaning, rows, tuple(index))


@dataclass(frozen=True)
class GroupCodes:
    """Group labels of the analysed rows: ``codes`` index ``labels``; ``reference`` is a label
    chosen by the shared rule (``choice`` says how, and which groups are too small)."""

    codes: np.ndarray
    labels: tuple[str, ...]
    reference: str
    counts: dict[str, int]
    choice: ReferenceChoice

    @property
    def reference_code(self) -> int:
        return self.labels.index(self.reference)

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(lab for lab in self.labels if lab != self.reference)

    def small_warning(self, min_n: int) -> list[str]:
        """The warning naming the groups with fewer than ``min_n`` rows (not tested)."""
        small = [lab for lab in self.labels if self.counts[lab] < min_n]
        if not small:
            return []
        shown = ", ".join(f"{s} ({self.counts[s]})" for s in small)
        return [f"groups with fewer than {min_n} employees are not tested: {shown}."]

    def too_small(self, label: str) -> bool:
        """The group is too small to be the reference (it is still compared)."""
        return self.choice.too_small(self.labels.index(label))


def group_codes(
    clean: np.ndarray,
    pay: np.ndarray,
    column: str,
    *,
    reference: Any = None,
    min_n: int = 30,
    argument: str = "group",
    factorized: tuple[np.ndarray, list[Any]] | None = None,
) -> GroupCodes:
    """Codes, labels and the reference group of the analysed rows (``clean``: their clean
    labels; ``pay``: their pay, whose group means choose the default reference;
    ``factorized``: ``pandas.factorize(clean)`` when the caller has it, see
    :meth:`CleanColumn.factorized`).

    Examples
    --------
    >>> g = group_codes(np.array(["a", "b", "b"], dtype=object), np.array([3.0, 1.0, 2.0]),
    ...                 "g", min_n=1)
    >>> g.labels, g.reference, g.codes.tolist()
    (('a', 'b'), 'a', [0, 1, 1])
    """
    if factorized is None:
        factorized = pd.factorize(pd.Series(clean, dtype=object))
    row_codes, uniques = factorized
    texts = [label_text(u) for u in uniques]
    first: dict[str, Any] = {}
    for text, value in zip(texts, uniques, strict=True):
        first.setdefault(text, value)
    labels = tuple(sorted(first, key=lambda t: sort_key(first[t])))
    if len(labels) < 2:
        raise InsufficientDataError(
            f"column {column!r} ({argument}=) has a single group ({preview(labels)}) among the "
            f"{len(clean)} rows analysed; a pay gap needs at least two groups. Check the filter "
            "or export."
        )
    index = {lab: i for i, lab in enumerate(labels)}
    codes = np.array([index[t] for t in texts], dtype=np.int64)[row_codes]
    sizes = np.bincount(codes, minlength=len(labels))
    means = (np.bincount(codes, weights=pay, minlength=len(labels)) / sizes).tolist()
    choice = choose_reference(
        labels,
        sizes.tolist(),
        means,
        reference=reference,
        keys=[first[lab] for lab in labels],
        min_n=min_n,
        what="mean pay",
    )
    assert choice.label is not None  # every group has rows and a mean
    return GroupCodes(
        codes=codes,
        labels=labels,
        reference=choice.label,
        counts={lab: int(n) for lab, n in zip(labels, sizes, strict=True)},
        choice=choice,
    )
