"""Reading a sex column for two-sex figures: a thin layer over the shared label rule.

Statutory metrics (the UK gender pay gap, the EU pay transparency indicators) compare men and
women. Where a function's argument is ``sex=``, it reads the column's *distinct* values (found
by one group-by in the data's engine) with :func:`read_sex`, which cleans them with
:func:`fairhire._core.labels.clean_labels` (``sex=True``: ``M``, ``man``, ``Women`` ... become
``Male``/``Female``; case and space variants merge, with a warning) or, with ``male=`` and
``female=``, with the caller's own codes. Every other value (non-binary, prefer not to say, a
typo) and every missing value is counted and reported, never silently dropped; the analysis
then says what it did with them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._core.labels import (
    FEMALE,
    FEMALE_SPELLINGS,
    MALE,
    MALE_SPELLINGS,
    clean_labels,
    label_key,
    plain_value,
)
from ._core.missing import is_missing
from .errors import InsufficientDataError, InvalidParameterError, preview

__all__ = ["FEMALE", "FEMALE_SPELLINGS", "MALE", "MALE_SPELLINGS", "SexReading", "read_sex"]

#: Codes of :attr:`SexReading.codes`.
MALE_CODE, FEMALE_CODE, OTHER_CODE, MISSING_CODE = 0, 1, -1, -2


@dataclass(frozen=True)
class SexReading:
    """How the distinct values of a sex column read.

    Attributes
    ----------
    column : str
        The column.
    codes : numpy.ndarray
        One code per value passed in: 0 male, 1 female, -1 other, -2 missing.
    n_male, n_female, missing : int
        Rows read as male, as female, and missing (blank, NaN, ``unknown_labels``).
    other : dict
        Clean labels that are neither male nor female, with their row counts.
    male_values, female_values : tuple
        The distinct raw values read as male / female (to filter rows in the engine).
    warnings : tuple of str
        The label merges and recodings, for the analysis' warnings (a non-disclosure label
        is not warned about: two-sex figures compare men and women only).
    """

    column: str
    codes: np.ndarray
    n_male: int
    n_female: int
    missing: int
    other: Mapping[Any, int] = field(default_factory=dict)
    male_values: tuple[Any, ...] = ()
    female_values: tuple[Any, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def n_other(self) -> int:
        return int(sum(self.other.values()))

    def describe(self) -> str:
        """One sentence: what was read, and what was set aside.

        Examples
        --------
        >>> read_sex(["M", "F", "X", None], [3, 2, 1, 4], column="gender").describe()
        'gender: 3 male, 2 female; 1 other (X 1); 4 missing.'
        """
        text = f"{self.column}: {self.n_male:,} male, {self.n_female:,} female"
        if self.other:
            shown = ", ".join(f"{k!s} {v:,}" for k, v in sorted(self.other.items(), key=str))
            text += f"; {self.n_other:,} other ({shown})"
        if self.missing:
            text += f"; {self.missing:,} missing"
        return text + "."

    def two_sex_warning(self, who: str, what: str) -> list[str]:
        """The warning that rows whose sex is not male or female are left out of two-sex
        figures (``who``: "employees"; ``what``: "metrics"), or none."""
        if not (self.other or self.missing):
            return []
        return [
            f"{self.n_other + self.missing:,} {who} whose sex is not recorded as male or female "
            f"are excluded from these two-sex {what} ({self.describe().removesuffix('.')})."
        ]

    def require_both(self, found: Iterable[Any]) -> None:
        """An :class:`~fairhire.errors.InsufficientDataError` unless men and women are there."""
        if self.n_male and self.n_female:
            return
        shown = sorted({str(v) for v in found if not is_missing(v)})[:8]
        raise InsufficientDataError(
            f"column {self.column!r} (sex=) has {self.n_male} men and {self.n_female} women; "
            f"both are needed. Values found: {preview(shown)}. If men and women are spelled "
            "differently, name them with male= and female= (e.g. male='H', female='F')."
        )


def _keys(values: Any, argument: str) -> set[Any]:
    if isinstance(values, str) or not isinstance(values, Collection):
        values = [values]
    out = set()
    for v in values:
        if is_missing(v):
            raise InvalidParameterError(f"{argument}= cannot name a missing value; got {v!r}.")
        out.add(label_key(v))
    return out


def read_sex(
    values: Iterable[Any],
    counts: Iterable[int] | None = None,
    *,
    column: str,
    male: Any = None,
    female: Any = None,
    unknown_labels: Iterable[Any] = (),
) -> SexReading:
    """Read the distinct values of a sex column (with their row counts) as male, female,
    other or missing.

    Parameters
    ----------
    values : iterable
        Distinct values of the column (repeats allowed: their counts add up).
    counts : iterable of int, optional
        Rows holding each value (all 1 when omitted).
    column : str
        The column, for messages.
    male, female : value or collection of values, optional
        The caller's codes for male / female (compared ignoring case and spaces for text, e.g.
        ``male=1, female=2`` or ``male="H"``). Naming one replaces the common spellings of
        that sex. Without them the common spellings are read (``M``, ``Male``, ``man``,
        ``Men`` ... in any case): see :func:`fairhire._core.labels.clean_labels`.
    unknown_labels : iterable
        Values that mean "unknown": counted as missing.

    Examples
    --------
    >>> r = read_sex(["M", " female", "Woman", "non-binary", None, "MEN"], column="sex")
    >>> r.codes.tolist(), r.n_male, r.n_female, dict(r.other), r.missing
    ([0, 1, 1, -1, -2, 0], 2, 2, {'non-binary': 1}, 1)
    >>> read_sex([1, 2, 2, 9], column="sex", male=1, female=2).codes.tolist()
    [0, 1, 1, -1]
    """
    values = [plain_value(v) for v in values]
    n_rows = [int(c) for c in counts] if counts is not None else [1] * len(values)
    custom = male is not None or female is not None
    male_keys = MALE_SPELLINGS if male is None else _keys(male, "male")
    female_keys = FEMALE_SPELLINGS if female is None else _keys(female, "female")
    both = male_keys & female_keys
    if both:
        raise InvalidParameterError(
            f"the values {preview(sorted(both, key=str))} are named both male= and female=. "
            "Name each value once."
        )
    cleaning = clean_labels(
        values, n_rows, column=column, unknown_labels=unknown_labels, sex=not custom
    )
    codes = np.empty(len(values), dtype=np.int64)
    other: dict[Any, int] = {}
    sides: dict[int, list[Any]] = {MALE_CODE: [], FEMALE_CODE: []}
    for i, (raw, n) in enumerate(zip(values, n_rows, strict=True)):
        clean = cleaning.get(raw)
        if clean is None:
            codes[i] = MISSING_CODE
            continue
        key = label_key(raw)
        if custom and key in male_keys:
            code = MALE_CODE
        elif custom:
            code = FEMALE_CODE if key in female_keys else OTHER_CODE
        else:
            code = MALE_CODE if clean == MALE else FEMALE_CODE if clean == FEMALE else OTHER_CODE
        codes[i] = code
        if code == OTHER_CODE:
            other[clean] = other.get(clean, 0) + n
        elif raw not in sides[code]:
            sides[code].append(raw)
    counts_arr = np.asarray(n_rows, dtype=np.int64)
    return SexReading(
        column=column,
        codes=codes,
        n_male=int(counts_arr[codes == MALE_CODE].sum()),
        n_female=int(counts_arr[codes == FEMALE_CODE].sum()),
        missing=int(counts_arr[codes == MISSING_CODE].sum()),
        other=other,
        male_values=tuple(sides[MALE_CODE]),
        female_values=tuple(sides[FEMALE_CODE]),
        warnings=tuple(cleaning.warnings(compared=())),
    )
