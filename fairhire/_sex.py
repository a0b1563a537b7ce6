"""Read a sex/gender column the same way everywhere in fairhire.

HR exports spell sex in many ways ("M", "male", " Female ", "woman", "Men"...). Statutory
metrics (the UK gender pay gap, the EU pay transparency indicators, NYC LL144's sex categories)
compare men and women, so every analysis that needs the two categories reads the column through
:func:`normalize_sex`: common spellings are recognised (any case, surrounding whitespace
ignored), or the caller names the values with ``male=`` and ``female=``. Every other value
(non-binary, unknown, prefer not to say, a typo) and every missing value is *counted and
reported*, never silently dropped; an analysis then decides, and says, what to do with them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InvalidParameterError, preview

__all__ = [
    "FEMALE",
    "FEMALE_SPELLINGS",
    "MALE",
    "MALE_SPELLINGS",
    "SexValues",
    "looks_like_sex",
    "normalize_sex",
]

MALE = "Male"
FEMALE = "Female"

#: Spellings recognised as male / female, compared after ``str.strip().casefold()``.
MALE_SPELLINGS: frozenset[str] = frozenset({"m", "male", "males", "man", "men"})
FEMALE_SPELLINGS: frozenset[str] = frozenset({"f", "female", "females", "woman", "women"})


@dataclass(frozen=True, eq=False)
class SexValues:
    """The result of reading a sex column.

    Attributes
    ----------
    labels : numpy.ndarray
        Object array, one entry per input value: ``"Male"``, ``"Female"`` or ``None`` (any
        other value, or missing).
    is_male, is_female, is_other : numpy.ndarray
        Boolean masks (``is_other``: a non-missing value that is neither).
    other : dict
        Non-missing values that are neither male nor female, with their counts, keyed by the
        original value (e.g. ``{"Non-binary": 12, "Prefer not to say": 3}``).
    missing : int
        Number of missing values (None, NaN, NA, empty or blank strings).
    mapping : dict
        Each distinct original value read as male or female, and what it was read as.
    """

    labels: np.ndarray
    is_male: np.ndarray
    is_female: np.ndarray
    is_other: np.ndarray
    other: Mapping[Any, int] = field(default_factory=dict)
    missing: int = 0
    mapping: Mapping[Any, str] = field(default_factory=dict)

    @property
    def is_missing(self) -> np.ndarray:
        """Boolean mask of missing values."""
        return ~(self.is_male | self.is_female | self.is_other)

    @property
    def n_male(self) -> int:
        return int(self.is_male.sum())

    @property
    def n_female(self) -> int:
        return int(self.is_female.sum())

    @property
    def n_other(self) -> int:
        return int(sum(self.other.values()))

    def counts(self) -> dict[str, int]:
        """Men, women, other values and missing values: ``{"Male": .., "Female": .., ...}``."""
        return {
            MALE: self.n_male,
            FEMALE: self.n_female,
            "other": self.n_other,
            "missing": self.missing,
        }

    def describe(self, column: str = "sex") -> str:
        """One sentence for warnings and reports: what was read, and what was set aside."""
        text = f"{column}: {self.n_male:,} male, {self.n_female:,} female"
        if self.other:
            shown = ", ".join(f"{k!s} {v:,}" for k, v in sorted(self.other.items(), key=str))
            text += f"; {self.n_other:,} other ({shown})"
        if self.missing:
            text += f"; {self.missing:,} missing"
        return text + "."


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _as_set(values: Any, argument: str) -> set[Any]:
    if isinstance(values, str) or not isinstance(values, Collection):
        values = [values]
    out = set()
    for v in values:
        if _is_missing(v):
            raise InvalidParameterError(f"{argument}= cannot name a missing value; got {v!r}.")
        out.add(_key(v))
    return out


def _key(value: Any) -> Any:
    """Comparison key: stripped, case-folded strings; other values as they are."""
    if isinstance(value, str):
        return value.strip().casefold()
    if isinstance(value, np.generic):
        return value.item()
    return value


def normalize_sex(
    values: Iterable[Any],
    *,
    male: Any = None,
    female: Any = None,
) -> SexValues:
    """Read sex/gender values as male, female, other or missing.

    Parameters
    ----------
    values : sequence, numpy array or pandas Series
        The column's values.
    male, female : value or collection of values, optional
        The values that mean male / female (compared ignoring case and surrounding
        whitespace for strings, exactly otherwise, e.g. ``male=1, female=2``). When omitted,
        the common spellings are recognised: ``M``, ``Male``, ``Males``, ``Man``, ``Men`` and
        ``F``, ``Female``, ``Females``, ``Woman``, ``Women``, in any case.

    Returns
    -------
    SexValues
        Labels (``"Male"``, ``"Female"`` or None), masks, and the counts of other and missing
        values, which callers report (statutory two-sex metrics exclude them and say how many).

    Raises
    ------
    InvalidParameterError
        If a value is named both male and female, or ``male=``/``female=`` names a missing
        value.

    Examples
    --------
    >>> from fairhire._sex import normalize_sex
    >>> sv = normalize_sex(["M", " female", "Woman", "non-binary", None, "MEN"])
    >>> sv.labels.tolist()
    ['Male', 'Female', 'Female', None, None, 'Male']
    >>> sv.counts()
    {'Male': 2, 'Female': 2, 'other': 1, 'missing': 1}
    >>> normalize_sex([1, 2, 2, 9], male=1, female=2).other
    {9: 1}
    """
    male_keys = MALE_SPELLINGS if male is None else _as_set(male, "male")
    female_keys = FEMALE_SPELLINGS if female is None else _as_set(female, "female")
    both = set(male_keys) & set(female_keys)
    if both:
        raise InvalidParameterError(
            f"the values {preview(sorted(both, key=str))} are named both male= and female=. "
            "Name each value once."
        )
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    # Work on the distinct values only: a million rows usually hold a handful of spellings.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    n_unique = len(uniques)
    kind = np.full(n_unique + 1, 3, dtype=np.int8)  # 0 male, 1 female, 2 other, 3 missing
    mapping: dict[Any, str] = {}
    for i, value in enumerate(uniques):
        if _is_missing(value):
            continue
        key = _key(value)
        if key in male_keys:
            kind[i] = 0
            mapping[value] = MALE
        elif key in female_keys:
            kind[i] = 1
            mapping[value] = FEMALE
        else:
            kind[i] = 2
    row_kind = kind[np.where(codes < 0, n_unique, codes)]
    counts = np.bincount(np.where(codes < 0, n_unique, codes), minlength=n_unique + 1)
    other = {
        (uniques[i].item() if isinstance(uniques[i], np.generic) else uniques[i]): int(counts[i])
        for i in range(n_unique)
        if kind[i] == 2
    }
    lookup = np.array([MALE, FEMALE, None, None], dtype=object)
    return SexValues(
        labels=lookup[row_kind],
        is_male=row_kind == 0,
        is_female=row_kind == 1,
        is_other=row_kind == 2,
        other=other,
        missing=int((row_kind == 3).sum()),
        mapping=mapping,
    )


def looks_like_sex(values: Iterable[Any]) -> bool:
    """True when the distinct values include a recognised male and a recognised female spelling.

    Used to decide whether a generic ``group=`` column is a sex column (so that men are the
    default reference group and spellings are read consistently).

    Examples
    --------
    >>> from fairhire._sex import looks_like_sex
    >>> looks_like_sex(["Male", "Female", "Non-binary"]), looks_like_sex(["White", "Asian"])
    (True, False)
    """
    keys = {_key(v) for v in values if not _is_missing(v)}
    return bool(keys & MALE_SPELLINGS) and bool(keys & FEMALE_SPELLINGS)
