"""Cleaning group labels, in one place.

Exports spell the same group in several ways (``"Female"``, ``"female "``, ``" FEMALE"``).
Every analysis reads its group columns through :func:`clean_labels`, which works on the
*distinct* labels of a column and their row counts (found by one group-by in the data's own
engine), so it costs the same for a hundred rows or a hundred million:

1. Missing values (:func:`~fairhire._core.missing.is_missing`) and the labels named in
   ``unknown_labels=`` (compared ignoring case and spaces) become unknown (``None``): counted
   and reported by the analysis, never compared.
2. Text labels are trimmed and runs of white space inside them become one space.
3. Labels that then differ only in case are merged under their most frequent spelling (ties:
   the first in sorted order, so the result never depends on row order), with a warning that
   lists what was merged.
4. Where a function knows a column holds sex (``sex=`` of the LL144, UK and EU analyses), the
   common spellings ``M``/``F``, ``man``/``woman``, ``men``/``women`` ... are read as
   ``Male``/``Female`` (:data:`MALE_SPELLINGS`, :data:`FEMALE_SPELLINGS`), and the warning
   says so. A group column that spells one sex two ways (``F`` beside ``Female``) is read the
   same way, whatever its name: otherwise ``F`` and ``Female`` would be compared as two
   groups by one function and merged by another. Two-sex statutory figures read a sex column
   through :mod:`fairhire._sex`, which builds on this.
5. A label that reads as a non-disclosure ("Prefer not to say", "Decline to self-identify",
   "Unknown": :data:`NON_DISCLOSURE`) but is not named in ``unknown_labels=`` stays a group,
   as the caller asked, with a warning that names it and how to count it as unknown instead:
   whether such applicants form a group is the auditor's call, not the library's.

Numbers and booleans are labels as they are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .missing import is_missing

__all__ = [
    "FEMALE", "FEMALE_SPELLINGS", "INVISIBLE", "MALE", "MALE_SPELLINGS", "NON_DISCLOSURE",
    "NON_DISCLOSURE_NOTE", "LabelCleaning", "as_labels", "clean_labels", "label_key",
    "plain_value", "reads_as_undisclosed", "relabel_counts", "sex_of",
]

MALE = "Male"
FEMALE = "Female"
#: Spellings read as male / female where a column is known to hold sex (compared after
#: squashing spaces and case-folding).
#: The words of French, German, Spanish, Italian, Portuguese and Dutch exports are read too
#: (an EU pay-transparency report is made from them); single letters other than M and F are
#: not, since one letter means either sex by language (Spanish "M" is mujer).
MALE_SPELLINGS: frozenset[str] = frozenset({
    "m", "male", "males", "man", "men",
    "homme", "hommes", "masculin", "mann", "männer", "männlich", "maennlich", "hombre",
    "hombres", "masculino", "uomo", "uomini", "maschio", "maschile", "homem", "homens",
    "mannen", "mannelijk",
})
FEMALE_SPELLINGS: frozenset[str] = frozenset({
    "f", "female", "females", "woman", "women",
    "femme", "femmes", "féminin", "feminin", "frau", "frauen", "weiblich", "mujer", "mujeres",
    "femenino", "donna", "donne", "femmina", "femminile", "mulher", "mulheres", "feminino",
    "vrouw", "vrouwen", "vrouwelijk",
})
#: Labels that say the person did not disclose (compared after squashing spaces and
#: case-folding; hyphens read as spaces). Kept as groups unless named in ``unknown_labels``,
#: with a warning.
NON_DISCLOSURE: frozenset[str] = frozenset({
    "prefer not to say", "prefer not to answer", "prefer not to disclose", "prefer not to state",
    "decline to self identify", "declined to self identify", "decline to state",
    "declined to state", "decline to answer", "declined to answer", "declined", "decline",
    "not disclosed", "undisclosed", "did not disclose", "choose not to disclose",
    "chose not to disclose", "i do not wish to disclose", "i don't wish to answer",
    "i do not wish to answer", "not declared", "undeclared", "unknown", "not known",
    "not specified", "unspecified", "not stated", "not provided", "not reported", "n/a", "na",
    "none", "null", "blank",
})
#: The words of that warning. An analysis that compares labels it has already read (its own
#: counts, under an internal column name) drops warnings holding them: the user's column
#: was warned about once.
NON_DISCLOSURE_NOTE = "reads as a non-disclosure"
#: More distinct numbers than this in a group column reads as a measure (age, a score), not
#: as codes for groups: said in a warning.
MANY_NUMBERS = 20


#: Characters that take no space on screen: a zero-width space or joiner, a word joiner, a
#: byte-order mark, a soft hyphen. Web forms and copy-paste leave them in labels, where
#: 'Female\u200b' prints as 'Female' beside 'Female' and would be a group of its own.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), " ")


def _squash(text: str) -> str:
    return " ".join(text.translate(INVISIBLE).split())


def as_labels(value: Any) -> tuple[Any, ...]:
    """``unknown_labels`` as given: one label, several, or None for none. A single string is
    one label, never its letters; so is a single number (a survey's code 9 for "no answer").

    Examples
    --------
    >>> as_labels("Prefer not to say"), as_labels(["N/K", "Unknown"]), as_labels(None)
    (('Prefer not to say',), ('N/K', 'Unknown'), ())
    >>> as_labels(9)
    (9,)
    """
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)


def label_key(value: Any) -> Any:
    """Comparison key of a label: squashed, case-folded text; other values as they are.

    Examples
    --------
    >>> label_key("  Black   or African American "), label_key(3), label_key("Female\u200b")
    ('black or african american', 3, 'female')
    """
    if isinstance(value, str):
        return _squash(value).casefold()
    return plain_value(value)


@dataclass(frozen=True)
class LabelCleaning:
    """How the distinct labels of one column were read.

    Attributes
    ----------
    column : str
        The column.
    mapping : dict
        Each distinct raw label (missing values excepted) → its clean label, or ``None`` when it
        means unknown.
    merged : dict
        Clean label → the raw spellings merged into it (only where there was more than one).
    recoded : dict
        Raw label → clean label where a sex spelling was read as ``Male``/``Female``.
    unknown : dict
        Raw label → row count for missing values and ``unknown_labels``.
    undisclosed : tuple
        Clean labels kept as groups that read as a non-disclosure (:data:`NON_DISCLOSURE`).
    groups : bool
        The labels are groups compared with each other (not periods, raters, strata or
        categories compared within): many distinct numbers among them, and labels that read as
        a non-disclosure, are then warned about.
    sex_inferred : bool
        The column was not passed as sex, but spells one sex two ways ("F" beside
        "Female"): its sex spellings were read as ``Male``/``Female`` all the same.
    """

    column: str
    mapping: Mapping[Any, Any] = field(default_factory=dict)
    merged: Mapping[Any, tuple[Any, ...]] = field(default_factory=dict)
    recoded: Mapping[Any, Any] = field(default_factory=dict)
    unknown: Mapping[Any, int] = field(default_factory=dict)
    undisclosed: tuple[Any, ...] = ()
    groups: bool = True
    sex_inferred: bool = False

    def get(self, value: Any) -> Any:
        """The clean label of a raw value (None for missing or unknown)."""
        if is_missing(value):
            return None
        try:
            return self.mapping[value]
        except (KeyError, TypeError):
            return self.mapping.get(plain_value(value))

    def labels(self, values: Iterable[Any], index: Any = None) -> pd.Series:
        """The clean label of every value, as an object Series (None for missing or unknown).

        Object dtype keeps whole-number labels the numbers they are: pandas would read a list
        of 1, 2 and None as the floats 1.0, 2.0 and NaN.

        >>> clean_labels([1.0, 2.0], column="code").labels([1.0, None, 2.0]).tolist()
        [1, None, 2]
        """
        values = values.tolist() if isinstance(values, pd.Series | pd.Index) else list(values)
        return pd.Series([self.get(v) for v in values], index=index, dtype=object)

    @property
    def n_unknown(self) -> int:
        return int(sum(self.unknown.values()))

    def warnings(self, compared: Collection[Any] | None = None) -> list[str]:
        """One sentence per merge or recoding, for the analysis' warnings.

        ``compared``: the clean labels the analysis compares (None: every group). A
        non-disclosure label outside them (two-sex figures, a two-group decomposition, a label
        an EEO reading counts as unknown) is not said to be compared as a group.
        """
        out = []
        for clean, raws in self.merged.items():
            shown = ", ".join(repr(r) for r in raws)
            how = ("are one number written as a number and as text, and" if len(
                {isinstance(r, str) for r in raws}) > 1 else "differ only in case or spaces and")
            out.append(f"column {self.column!r}: the labels {shown} {how} were merged as "
                       f"{clean!r}.")
        if self.recoded:
            shown = ", ".join(f"{r!r} as {c!r}" for r, c in sorted(self.recoded.items(), key=str))
            why = " (one sex spelled two ways: one group each)" if self.sex_inferred else ""
            out.append(f"column {self.column!r}: read {shown}{why}.")
        for label in self.undisclosed if self.groups else ():
            if compared is not None and label not in compared:
                continue
            out.append(
                f"column {self.column!r}: {label!r} {NON_DISCLOSURE_NOTE} but is compared as "
                f"a group; to count it as unknown instead, name it in unknown_labels (on the "
                f"command line, --unknown-label {label!r})."
            )
        numbers = {v for v in self.mapping.values() if v is not None} if self.groups else ()
        if len(numbers) > MANY_NUMBERS and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            out.append(
                f"column {self.column!r} holds {len(numbers)} distinct numbers, each compared "
                "as a group of its own; to compare ranges (e.g. age under 40 and 40 or over), "
                "band the column first (pandas.cut) and pass the bands."
            )
        return out


def reads_as_undisclosed(label: Any) -> bool:
    """Whether a group label reads as a non-disclosure (:data:`NON_DISCLOSURE`).

    >>> reads_as_undisclosed("Decline to Self-Identify"), reads_as_undisclosed("Female")
    (True, False)
    """
    return isinstance(label, str) and label_key(label).replace("-", " ") in NON_DISCLOSURE


def plain_value(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (np.int64(3) → 3), so that labels read
    from any engine compare and hash alike, and a whole float as an integer (1.0 → 1): a
    column of codes 1, 2, 3 with one blank cell is read as floats, and its groups must be
    the same "1", "2", "3" as without the blank. Anything else as it is.

    Examples
    --------
    >>> plain_value(np.int64(3)), plain_value("M"), plain_value(np.float64(2.0)), plain_value(2.5)
    (3, 'M', 2, 2.5)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def clean_labels(
    values: Iterable[Any],
    counts: Iterable[int] | None = None,
    *,
    column: str,
    unknown_labels: Iterable[Any] = (),
    sex: bool = False,
    groups: bool = True,
) -> LabelCleaning:
    """Read the distinct labels of a column (with their row counts) as clean group labels.

    Parameters
    ----------
    values : iterable
        Distinct raw labels (repeats are added up).
    counts : iterable of int, optional
        Rows holding each label (used to choose the most frequent spelling and to count
        unknowns); all 1 when omitted.
    column : str
        Column name, for warnings.
    unknown_labels : iterable
        Labels that mean "unknown" (compared ignoring case and spaces).
    sex : bool
        The column holds sex: read the common male/female spellings as ``Male``/``Female``.
    groups : bool
        The labels are groups compared with each other; False for periods, raters or
        categories that comparisons are made within (no warning about many numbers).

    Examples
    --------
    >>> c = clean_labels(["Female", "female ", " FEMALE", "Male", None, "n/k"],
    ...                  [50, 3, 2, 60, 4, 1], column="sex", unknown_labels=["N/K"])
    >>> [c.get(v) for v in ["Female", "female ", " FEMALE", "Male", None, "n/k"]]
    ['Female', 'Female', 'Female', 'Male', None, None]
    >>> c.n_unknown
    5
    >>> print(c.warnings()[0])
    column 'sex': the labels 'Female', ' FEMALE', 'female ' differ only in case or spaces and were merged as 'Female'.
    >>> clean_labels(["M", "f", "Woman"], column="gender", sex=True).mapping
    {'M': 'Male', 'f': 'Female', 'Woman': 'Female'}
    >>> print(clean_labels(range(18, 70), column="age").warnings()[0])
    column 'age' holds 52 distinct numbers, each compared as a group of its own; to compare ranges (e.g. age under 40 and 40 or over), band the column first (pandas.cut) and pass the bands.
    >>> print(clean_labels(["Female", "Prefer not to say"], column="sex").warnings()[0])
    column 'sex': 'Prefer not to say' reads as a non-disclosure but is compared as a group; to count it as unknown instead, name it in unknown_labels (on the command line, --unknown-label 'Prefer not to say').
    """
    values = list(values)
    n_rows = [int(c) for c in counts] if counts is not None else [1] * len(values)
    unknown_keys = {_merge_key(u) for u in as_labels(unknown_labels) if not is_missing(u)}
    unknown: dict[Any, int] = {}
    # clean key -> {spelling: rows}, and raw -> key
    spellings: dict[Any, dict[Any, int]] = {}
    raw_key: dict[Any, Any] = {}
    for raw, n in zip(values, n_rows, strict=True):
        if is_missing(raw):
            unknown["(missing)"] = unknown.get("(missing)", 0) + n
            continue
        raw = plain_value(raw)
        key = _merge_key(raw)
        if key in unknown_keys or (isinstance(raw, str) and raw in unknown_keys):
            unknown[raw] = unknown.get(raw, 0) + n
            raw_key[raw] = None
            continue
        spelling = _squash(raw) if isinstance(raw, str) else raw
        spellings.setdefault(key, {})
        spellings[key][spelling] = spellings[key].get(spelling, 0) + n
        raw_key[raw] = key
    chosen = {
        key: sorted(forms.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
        for key, forms in spellings.items()
    }
    recoded: dict[Any, Any] = {}
    inferred = not sex and groups and _one_sex_spelled_twice(chosen)
    if inferred:
        sex = True  # "F" beside "Female": one group, as where the column is known to hold sex
    if sex:
        for key in list(chosen):
            chosen[key] = sex_of(key) or chosen[key]
    mapping: dict[Any, Any] = {}
    variants: dict[Any, list[Any]] = {}
    for raw, key in raw_key.items():
        if key is None:
            mapping[raw] = None
            continue
        clean = chosen[key]
        mapping[raw] = clean
        variants.setdefault(clean, []).append(raw)
        if sex and clean in (MALE, FEMALE) and raw != clean:
            recoded[raw] = clean
    merged = {}
    # in label order, not the engine's row order: the same warnings on every engine
    for clean, raws in sorted(variants.items(), key=lambda kv: str(kv[0])):
        distinct = sorted(dict.fromkeys(raws), key=str)
        # sex spellings read as Male/Female are reported once, as recodings
        if len(distinct) > 1 and not (sex and clean in (MALE, FEMALE)):
            merged[clean] = tuple(sorted(distinct, key=lambda r: (r != clean, str(r))))
    undisclosed = tuple(sorted(
        (clean for clean in variants
         if reads_as_undisclosed(clean)),
        key=str,
    ))
    return LabelCleaning(
        column=column, mapping=mapping, merged=merged, recoded=recoded, unknown=unknown,
        undisclosed=undisclosed, groups=groups, sex_inferred=bool(inferred),
    )


def sex_of(key: Any) -> str | None:
    """``Male`` or ``Female`` for a label key (:func:`label_key`) that spells a sex, else None.

    >>> sex_of("women"), sex_of("f"), sex_of("female × black"), sex_of(1)
    ('Female', 'Female', None, None)
    """
    if isinstance(key, str) and key in MALE_SPELLINGS:
        return MALE
    if isinstance(key, str) and key in FEMALE_SPELLINGS:
        return FEMALE
    return None


def _merge_key(value: Any) -> Any:
    """The key labels are merged by: :func:`label_key`, with a number as its text, so that
    the 8 of a number cell and the "8" of a cell stored as text (as spreadsheets keep a number
    typed into a text cell) are one label.

    >>> _merge_key(8), _merge_key(8.0), _merge_key(" 8 "), _merge_key(True)
    ('8', '8', '8', True)
    """
    key = label_key(value)
    if isinstance(key, int | float) and not isinstance(key, bool):
        return str(key)
    return key


def _one_sex_spelled_twice(keys: Iterable[Any]) -> bool:
    """Whether two distinct labels are spellings of one sex ("F" and "Female", "men" and
    "Male"): then the column holds sex, whatever its name.

    >>> _one_sex_spelled_twice(["female", "f", "male"]), _one_sex_spelled_twice(["f", "male"])
    (True, False)
    """
    keys = [k for k in keys if isinstance(k, str)]
    return any(sum(k in spellings for k in keys) >= 2
               for spellings in (MALE_SPELLINGS, FEMALE_SPELLINGS))


def relabel_counts(
    table: pd.DataFrame,
    columns: Sequence[str],
    *,
    count_columns: Sequence[str],
    weight: str,
    unknown_labels: Iterable[Any] = (),
    sex_columns: Iterable[str] = (),
    groups: bool = True,
) -> tuple[pd.DataFrame, dict[str, LabelCleaning]]:
    """Clean the label columns of a small aggregated table and add up rows that now coincide.

    ``weight`` is the column of row counts used to pick the most frequent spelling. Unknown
    labels become ``None`` (missing) in the returned table; the caller counts them.
    ``groups`` as in :func:`clean_labels` (False for raters, periods, categories).

    Examples
    --------
    >>> t = pd.DataFrame({"sex": ["Female", "female ", "Male"], "n": [5, 1, 6], "k": [2, 1, 3]})
    >>> out, how = relabel_counts(t, ["sex"], count_columns=["n", "k"], weight="n")
    >>> out.to_dict("list")
    {'sex': ['Female', 'Male'], 'n': [6, 6], 'k': [3, 3]}
    """
    sex_columns = set(sex_columns)
    unknown_labels = as_labels(unknown_labels)
    cleanings: dict[str, LabelCleaning] = {}
    out = table.copy()
    for c in columns:
        rows = out.groupby(out[c].astype(object), dropna=False, sort=False)[weight].sum()
        cleaning = clean_labels(
            rows.index.tolist(),
            rows.tolist(),
            column=c,
            unknown_labels=unknown_labels,
            sex=c in sex_columns,
            groups=groups,
        )
        cleanings[c] = cleaning
        cleaned = [cleaning.get(v) for v in out[c].astype(object).tolist()]
        out[c] = pd.Series(cleaned, index=out.index, dtype=object)
    if any(cl.merged or cl.recoded or cl.unknown for cl in cleanings.values()):
        keys = list(dict.fromkeys([c for c in out.columns if c not in count_columns]))
        out = (
            out.groupby(keys, dropna=False, sort=False, observed=True)[list(count_columns)]
            .sum()
            .reset_index()
        )
        out = out[[*keys, *count_columns]]
        for c in keys:
            # the group-by turns whole-number keys beside a None into floats: read them back
            out[c] = pd.Series([None if is_missing(v) else plain_value(v) for v in out[c]],
                               index=out.index, dtype=object)
    return out, cleanings
