"""EEO-1 sex and race/ethnicity categories, and reading a data set's own labels onto them.

NYC Local Law 144 bias audits (6 RCNY §5-301) report the EEO-1 Component 1 categories: sex
(male, female, and optionally other) and race/ethnicity (Hispanic or Latino, and six
non-Hispanic race categories), and every sex × race/ethnicity intersection. HR exports spell
these in many ways, so every label is read through :func:`read_labels`: the official EEO-1
names, the names the DCWP rule prints, their "(Not Hispanic or Latino)" forms and a few
unambiguous short forms are recognised (ignoring case and extra spaces); a caller's
``category_map`` overrides or extends that; labels meaning "unknown" (missing values,
"Decline to self-identify", "Prefer not to say" ...) become unknown and are counted apart; any
other label is an error that lists it, so no one is silently put in the wrong category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.labels import INVISIBLE
from .._core.missing import is_missing
from .._sex import FEMALE_SPELLINGS, MALE_SPELLINGS
from ..errors import InvalidParameterError, InvalidValueError, preview
from .eeo_spellings import (
    ETHNICITY_SYNONYMS,
    HISPANIC,
    NOT_HISPANIC,
    OTHER_SEX_SPELLINGS,
    RACE_SYNONYMS,
    UNKNOWN_SPELLINGS,
)

__all__ = [
    "ETHNICITY_CATEGORIES",
    "HISPANIC",
    "NOT_HISPANIC",
    "RACE_CATEGORIES",
    "RACE_DISPLAY",
    "SEX_CATEGORIES",
    "UNKNOWN_SPELLINGS",
    "EEOColumn",
    "LabelReading",
    "read_eeo_column",
    "read_labels",
    "split_category_map",
]

#: Labels an error lists before it says how many more there are.
_LISTED = 20

MALE, FEMALE, OTHER = "Male", "Female", "Other"

#: Sex categories, in the order the DCWP rule prints them ("Other" is optional).
SEX_CATEGORIES: tuple[str, ...] = (MALE, FEMALE, OTHER)

#: EEO-1 Component 1 race/ethnicity categories, in the order of the DCWP rule's examples (the
#: synthetic datasets draw their race column from this same tuple).
RACE_CATEGORIES: tuple[str, ...] = (
    HISPANIC,
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)

#: Answers to the separate Hispanic or Latino question (``ethnicity=`` of an LL144 audit).
ETHNICITY_CATEGORIES: tuple[str, ...] = (HISPANIC, NOT_HISPANIC)

#: How the DCWP rule's tables print each race/ethnicity category.
RACE_DISPLAY: dict[str, str] = {
    c: c if c == HISPANIC else f"{c} ({NOT_HISPANIC})" for c in RACE_CATEGORIES
}

def _norm(value: str) -> str:
    text = value.translate(INVISIBLE).strip().casefold()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*/\s*", "/", text)


def _race_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for category in RACE_CATEGORIES:
        names = {category, RACE_DISPLAY[category], *RACE_SYNONYMS[category]}
        for name in list(names):
            if category != HISPANIC:
                names.add(f"{name} ({NOT_HISPANIC})")
                names.add(f"{name}, {NOT_HISPANIC}")
        for name in names:
            out[_norm(name)] = category
    return out


_RACE_LOOKUP = _race_lookup()
_SEX_LOOKUP = {
    **{_norm(s): MALE for s in MALE_SPELLINGS},
    **{_norm(s): FEMALE for s in FEMALE_SPELLINGS},
    **{_norm(s): OTHER for s in OTHER_SEX_SPELLINGS},
}
_ETHNICITY_LOOKUP = {_norm(s): c for c, names in ETHNICITY_SYNONYMS.items() for s in (c, *names)}
_UNKNOWN = {_norm(s) for s in UNKNOWN_SPELLINGS}
_LOOKUPS = {"sex": _SEX_LOOKUP, "race": _RACE_LOOKUP, "ethnicity": _ETHNICITY_LOOKUP}
_KIND_NAMES = {"sex": "sex", "race": "race/ethnicity", "ethnicity": "Hispanic or Latino"}
_VALID = {"sex": SEX_CATEGORIES, "race": RACE_CATEGORIES, "ethnicity": ETHNICITY_CATEGORIES}


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING = _Missing()


def _key(value: Any) -> Any:
    if isinstance(value, str):
        return _norm(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class LabelReading:
    """How the distinct labels of one column were read.

    ``categories`` maps each distinct label to its category, or to None (unknown);
    ``table`` lists them (label, category, how) for the audit's appendix.
    """

    column: str
    categories: Mapping[Any, str | None]
    how: Mapping[Any, str] = field(default_factory=dict)

    def get(self, label: Any) -> str | None:
        """The category of a label (None = unknown); missing values of any kind are unknown."""
        if is_missing(label):
            return None
        return self.categories[label]

    def table(self) -> pd.DataFrame:
        rows = [
            {
                "column": self.column,
                "label": "(missing)" if label is _MISSING else str(label),
                "category": cat if cat is not None else "Unknown",
                "read_as": self.how.get(label, ""),
            }
            for label, cat in self.categories.items()
        ]
        rows.sort(key=lambda r: (r["category"], r["label"]))
        return pd.DataFrame(rows, columns=["column", "label", "category", "read_as"])


def split_category_map(
    category_map: Mapping[Any, Any] | None,
    *,
    sex_column: str = "sex",
    race_column: str = "race",
    ethnicity_column: str | None = None,
) -> tuple[dict, dict]:
    """Split ``category_map`` into (sex map, race map).

    Accepts ``{"sex": {...}, "race": {...}}`` (or keyed by the two column names), or one flat
    mapping used for both columns (sex and race labels do not overlap, and a flat map entry
    whose target is a sex category only matters for the sex column, and vice versa).
    """
    if category_map is None:
        return {}, {}
    if not isinstance(category_map, Mapping):
        raise InvalidParameterError(
            f"category_map= must be a dict of label -> category; got {type(category_map).__name__}."
        )
    if ethnicity_column is not None:  # the Hispanic or Latino answers: see ethnicity_map
        category_map = {
            k: v for k, v in category_map.items()
            if not (k in ("ethnicity", ethnicity_column) and isinstance(v, Mapping))
        }
    keys = set(category_map)
    sex_keys, race_keys = {"sex", sex_column}, {"race", race_column}
    if all(isinstance(v, Mapping) for v in category_map.values()) and keys <= sex_keys | race_keys:
        nested_sex: dict = {}
        nested_race: dict = {}
        for key, mapping in category_map.items():
            (nested_sex if key in sex_keys else nested_race).update(mapping)
        return nested_sex, nested_race
    sex_map, race_map = {}, {}
    for label, target in category_map.items():
        kind = _target_kind(target, label)
        if kind in ("sex", "unknown"):
            sex_map[label] = target
        if kind in ("race", "unknown"):
            race_map[label] = target
    return sex_map, race_map


def _target_kind(target: Any, label: Any) -> str:
    if target is None or (isinstance(target, str) and _norm(target) in _UNKNOWN):
        return "unknown"
    if isinstance(target, str) and _norm(target) in _SEX_LOOKUP:
        return "sex"
    if isinstance(target, str) and _norm(target) in _RACE_LOOKUP:
        return "race"
    if isinstance(target, str) and _norm(target) in _ETHNICITY_LOOKUP:
        return "ethnicity"
    raise InvalidParameterError(
        f"category_map maps {label!r} to {target!r}, which is not an EEO-1 category. Use one of "
        f"{preview(SEX_CATEGORIES)} for sex, {preview(RACE_CATEGORIES, limit=7)} for "
        f"race/ethnicity, {preview(ETHNICITY_CATEGORIES)} for the Hispanic or Latino question, "
        "or None / 'Unknown' for an unknown category."
    )


def _map_target(target: Any, kind: str, label: Any) -> str | None:
    if _target_kind(target, label) == "unknown":
        return None
    key = _norm(target)
    if key not in _LOOKUPS[kind]:
        raise InvalidParameterError(
            f"category_map maps the {kind} label {label!r} to {target!r}, which is not a "
            f"{kind} category. Use one of {preview(_VALID[kind], limit=7)}, or None for unknown."
        )
    return _LOOKUPS[kind][key]


def ethnicity_map(category_map: Mapping[Any, Any] | None, *, column: str) -> dict:
    """The part of ``category_map`` that reads the Hispanic or Latino column: its nested
    ``"ethnicity"`` (or column-name) mapping, or the flat entries whose target is an answer.

    >>> ethnicity_map({"Sí": "Hispanic or Latino", "F": "Female"}, column="hisp")
    {'Sí': 'Hispanic or Latino'}
    """
    if not category_map:
        return {}
    nested = {k: v for k, v in category_map.items() if k in ("ethnicity", column)}
    if nested and all(isinstance(v, Mapping) for v in nested.values()):
        return {label: t for mapping in nested.values() for label, t in mapping.items()}
    return {
        label: target for label, target in category_map.items()
        if not isinstance(target, Mapping)
        and isinstance(target, str) and _norm(target) in _ETHNICITY_LOOKUP
    }


def read_labels(
    values: Iterable[Any],
    *,
    kind: str,
    column: str,
    category_map: Mapping[Any, Any] | None = None,
    unknown_labels: Iterable[Any] = (),
    counts: Iterable[int] | None = None,
) -> LabelReading:
    """Read distinct labels of a sex (``kind="sex"``), race (``"race"``) or Hispanic or Latino
    answer (``"ethnicity"``: yes/no or the answers' spellings) column onto EEO-1 categories.

    Order of precedence: ``category_map`` (exact label, then ignoring case and spaces); missing
    values and ``unknown_labels``; the recognised spellings; the common "unknown" spellings
    (:data:`UNKNOWN_SPELLINGS`). Labels matched by none of these raise
    :class:`~fairhire.errors.InvalidValueError` listing every one of them (with row counts
    when ``counts`` is given) and the fix.

    Examples
    --------
    >>> from fairhire.impact.eeo import read_labels
    >>> r = read_labels(["M", "female", "Decline to self-identify", None], kind="sex",
    ...                 column="gender")
    >>> [r.get(v) for v in ["M", "female", "Decline to self-identify", None]]
    ['Male', 'Female', None, None]
    >>> r = read_labels(["White (Not Hispanic or Latino)", "Latinx", "Mixed"], kind="race",
    ...                 column="race", category_map={"Mixed": "Two or More Races"})
    >>> [r.get(v) for v in ["White (Not Hispanic or Latino)", "Latinx", "Mixed"]]
    ['White', 'Hispanic or Latino', 'Two or More Races']
    """
    if kind not in _LOOKUPS:
        raise InvalidParameterError(f"kind={kind!r}; use 'sex', 'race' or 'ethnicity'.")
    lookup = _LOOKUPS[kind]
    user = dict(category_map or {})
    user_norm = {_key(k): v for k, v in user.items()}
    unknown_user = {_key(v) for v in unknown_labels}
    labels = list(values)
    n_rows = list(counts) if counts is not None else [None] * len(labels)
    categories: dict[Any, str | None] = {}
    how: dict[Any, str] = {}
    unmapped: dict[str, int] = {}
    for label, n in zip(labels, n_rows, strict=True):
        if is_missing(label):
            categories[_MISSING], how[_MISSING] = None, "missing"
            continue
        key = _key(label)
        if kind == "ethnicity" and isinstance(key, bool | int) and key in (0, 1):
            key = "yes" if key else "no"  # a yes/no column: True or 1 is Hispanic or Latino
        if label in categories or str(label) in unmapped:
            if str(label) in unmapped:
                unmapped[str(label)] += n or 0
            continue
        if label in user or key in user_norm:
            target = user[label] if label in user else user_norm[key]
            categories[label], how[label] = _map_target(target, kind, label), "category_map"
        elif key in unknown_user:
            categories[label], how[label] = None, "unknown_labels"
        elif isinstance(key, str) and key in lookup:
            categories[label], how[label] = lookup[key], "recognised"
        elif isinstance(key, str) and key in _UNKNOWN:
            categories[label], how[label] = None, "unknown spelling"
        else:
            unmapped[str(label)] = n or 0
    if unmapped:
        valid = _VALID[kind]
        listed = ", ".join(
            f"{k!r} ({v:,} rows)" if counts is not None else repr(k)
            for k, v in sorted(unmapped.items())[:_LISTED]
        )
        if len(unmapped) > _LISTED:  # an ID column passed as sex= has thousands
            listed += f", ... ({len(unmapped) - _LISTED:,} more)"
        raise InvalidValueError(
            f"column {column!r} has {len(unmapped)} label(s) that are not EEO-1 "
            f"{_KIND_NAMES[kind]} categories: {listed}. Map them with category_map="
            + ('{"ethnicity": {label: answer}}' if kind == "ethnicity" else "{label: category}")
            + f" (categories: {preview(valid, limit=7)}), "
            "or list labels that mean 'unknown' in unknown_labels=[...]."
        )
    return LabelReading(column=column, categories=categories, how=how)


@dataclass(frozen=True)
class EEOColumn:
    """A sex or race column read onto EEO-1 categories, on top of the shared label cleaning.

    ``category`` maps each distinct raw label to its category (None: unknown); ``table`` lists
    how each raw label was read (for the audit's appendix); ``warnings`` are the shared
    cleaning's (merged case/space variants, sex spellings read as Male/Female).
    """

    column: str
    category: Mapping[Any, str | None]
    rows: list[dict]
    warnings: list[str]

    def get(self, label: Any) -> str | None:
        if is_missing(label):
            return None
        return self.category.get(label.item() if isinstance(label, np.generic) else label)


def read_eeo_column(
    labels: Iterable[Any],
    counts: Iterable[int],
    *,
    kind: str,
    column: str,
    category_map: Mapping[Any, Any] | None = None,
    unknown_labels: Iterable[Any] = (),
) -> EEOColumn:
    """Read the distinct labels of a sex or race column (with their row counts).

    Labels named in ``category_map`` (exactly, or ignoring case and spaces) are read as the
    map says. The others are cleaned by the shared rule first (:func:`fairhire._core.labels.
    clean_labels`: trimmed, case and space variants merged under the most frequent spelling,
    sex spellings read as Male/Female, each with a warning; missing values and
    ``unknown_labels`` unknown), then read onto the EEO-1 categories by :func:`read_labels`.

    Examples
    --------
    >>> col = read_eeo_column(["Black", "black ", "White", None], [50, 2, 40, 3], kind="race",
    ...                       column="race")
    >>> col.get("black "), col.get(None), len(col.warnings)
    ('Black or African American', None, 1)
    """
    from .._core.labels import clean_labels, label_key

    user = dict(category_map or {})
    user_keys = {label_key(k) for k in user}
    raw_labels = [v.item() if isinstance(v, np.generic) else v for v in labels]
    raw_counts = [int(n) for n in counts]
    mapped = [not is_missing(v) and (v in user or label_key(v) in user_keys) for v in raw_labels]
    rest = [(v, n) for v, n, m in zip(raw_labels, raw_counts, mapped, strict=True) if not m]
    cleaning = clean_labels(
        [v for v, _ in rest],
        [n for _, n in rest],
        column=column,
        unknown_labels=unknown_labels,
        sex=kind == "sex",
    )
    clean_counts: dict[Any, int] = {}
    for v, n in rest:
        clean = cleaning.get(v)
        if clean is not None:
            clean_counts[clean] = clean_counts.get(clean, 0) + n
    to_read = [v for v, m in zip(raw_labels, mapped, strict=True) if m] + list(clean_counts)
    n_read = [n for n, m in zip(raw_counts, mapped, strict=True) if m] + list(clean_counts.values())
    reading = read_labels(
        to_read,
        kind=kind,
        column=column,
        category_map=user,
        unknown_labels=unknown_labels,
        counts=n_read,
    )
    category: dict[Any, str | None] = {}
    rows = []
    for v, m in zip(raw_labels, mapped, strict=True):
        if is_missing(v):
            rows.append(
                {
                    "column": column,
                    "label": "(missing)",
                    "category": "Unknown",
                    "read_as": "missing",
                }
            )
            continue
        clean = v if m else cleaning.get(v)
        how = reading.how.get(clean, "unknown_labels") if clean is not None else "unknown_labels"
        cat = reading.categories.get(clean) if clean is not None else None
        category[v] = cat
        rows.append(
            {"column": column, "label": str(v), "category": cat or "Unknown", "read_as": how}
        )
    rows = list({(r["label"], r["category"]): r for r in rows}.values())
    rows.sort(key=lambda r: (r["category"], r["label"]))
    # the EEO reading counts the common non-disclosure spellings as unknown: never compared
    compared = [v for v in clean_counts if reading.categories.get(v) is not None]
    return EEOColumn(column=column, category=category, rows=rows,
                     warnings=cleaning.warnings(compared))
