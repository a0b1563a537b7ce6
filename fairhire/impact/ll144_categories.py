"""The categories of an LL144 audit's tables, from the raw sex, race and ethnicity labels.

Each column's distinct labels are read onto the EEO-1 categories once
(:func:`fairhire.impact.eeo.read_eeo_column`), and the counts per raw label combination become
counts per (sex category, race/ethnicity category) cell.

Many HR systems ask the Hispanic or Latino question apart from race (the OMB two-question
format) and export it as a column of its own. EEO-1 reporting, which Local Law 144 audits
follow, puts everyone who answers Hispanic or Latino in the Hispanic or Latino category,
whatever race they chose, and everyone else in their race category "(Not Hispanic or Latino)".
With ``ethnicity=`` the race/ethnicity category is built that way. Someone whose race is known
but who did not answer the Hispanic or Latino question cannot be placed in a "(Not Hispanic or
Latino)" category, so their race/ethnicity is unknown (counted, with a warning); a race label
that already says Hispanic or Latino stays so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .eeo import (
    HISPANIC,
    NOT_HISPANIC,
    EEOColumn,
    ethnicity_map,
    read_eeo_column,
    split_category_map,
)

__all__ = ["ethnicity_hint", "read_columns", "sex_race_cells"]

#: Column names that suggest a separate Hispanic or Latino question.
_ETHNICITY_NAME = re.compile(r"ethnic|hispanic|latin", re.IGNORECASE)


def read_columns(
    counts: pd.DataFrame,
    columns: Sequence[str],
    n: str,
    category_map: Mapping | None,
    unknown: Sequence[Any],
) -> list[EEOColumn]:
    """The sex, race (and ethnicity) columns' distinct labels, with their row counts (column
    ``n`` of ``counts``), each read onto its categories with its part of ``category_map``."""
    ethnicity = columns[2] if len(columns) > 2 else None
    maps = [*split_category_map(category_map, sex_column=columns[0], race_column=columns[1],
                                ethnicity_column=ethnicity),
            ethnicity_map(category_map, column=str(ethnicity))]
    out = []
    for column, kind, mapping in zip(columns, ("sex", "race", "ethnicity"), maps, strict=False):
        per_label = counts.groupby(column, dropna=False, sort=False)[n].sum()
        out.append(read_eeo_column(per_label.index.tolist(), per_label.tolist(), kind=kind,
                                   column=column, category_map=mapping, unknown_labels=unknown))
    return out


def _race_ethnicity(race: str | None, answer: str | None) -> str | None:
    """The EEO-1 race/ethnicity category from a race category and the Hispanic answer."""
    if answer == HISPANIC or race == HISPANIC:
        return HISPANIC
    return race if answer == NOT_HISPANIC else None


def sex_race_cells(
    counts: pd.DataFrame,
    n_k: tuple[str, str],
    sex: EEOColumn,
    race: EEOColumn,
    ethnicity: EEOColumn | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """(sex category, race category, n, k) per cell, unknown categories missing; and the
    warning for people whose race is known but whose Hispanic or Latino answer is not.

    >>> from fairhire.impact.eeo import read_eeo_column
    >>> counts = pd.DataFrame({"sex": ["F", "M", "M"], "race": ["White", "White", "Asian"],
    ...                        "hisp": ["Yes", "No", None], "n": [5, 7, 3], "k": [1, 4, 2]})
    >>> cols = [read_eeo_column(counts[c], counts["n"], kind=k, column=c)
    ...         for c, k in (("sex", "sex"), ("race", "race"), ("hisp", "ethnicity"))]
    >>> cells, warnings = sex_race_cells(counts, ("n", "k"), *cols)
    >>> cells.to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'sex': 'Female', 'race': 'Hispanic or Latino', 'n': 5, 'k': 1},
     {'sex': 'Male', 'race': 'White', 'n': 7, 'k': 4},
     {'sex': 'Male', 'race': nan, 'n': 3, 'k': 2}]
    >>> warnings[0][:62]
    '3 individuals with a known race did not answer the Hispanic or'
    """
    n, k = n_k
    races = [race.get(v) for v in counts[race.column].tolist()]
    warnings = []
    if ethnicity is not None:
        answers = [ethnicity.get(v) for v in counts[ethnicity.column].tolist()]
        combined = [_race_ethnicity(r, a) for r, a in zip(races, answers, strict=True)]
        lost = sum(
            int(m) for r, c, m in zip(races, combined, counts[n].tolist(), strict=True)
            if r is not None and c is None
        )
        races = combined
        if lost:
            warnings.append(
                f"{lost:,} individuals with a known race did not answer the Hispanic or Latino "
                f"question (column {ethnicity.column!r}): their EEO-1 race/ethnicity category "
                "is unknown, since a race category is '(Not Hispanic or Latino)'."
            )
    cells = pd.DataFrame(
        {
            "sex": [sex.get(v) for v in counts[sex.column].tolist()],
            "race": races,
            "n": counts[n].to_numpy(),
            "k": counts[k].to_numpy(),
        }
    )
    grouped = cells.groupby(["sex", "race"], dropna=False, sort=False)[["n", "k"]].sum()
    return grouped.reset_index(), warnings


def ethnicity_hint(columns: Iterable[str], used: Iterable[str], race: EEOColumn) -> list[str]:
    """A warning when no race label is Hispanic or Latino and another column's name suggests
    the Hispanic or Latino question is asked there (the audit would show no Hispanic or Latino
    individuals and count them in race categories).

    >>> from fairhire.impact.eeo import read_eeo_column
    >>> race = read_eeo_column(["White", "Asian"], [10, 5], kind="race", column="Race")
    >>> ethnicity_hint(["Gender", "Race", "Ethnicity"], ["Gender", "Race"], race)[0][:60]
    "no label of the race column 'Race' is Hispanic or Latino, bu"
    """
    if any(c == HISPANIC for c in race.category.values()):
        return []
    taken = set(used)
    named = [c for c in columns if c not in taken and _ETHNICITY_NAME.search(str(c))]
    if not named:
        return []
    return [
        f"no label of the race column {race.column!r} is Hispanic or Latino, but the data have "
        f"a column {named[0]!r}: if it holds the answers to the Hispanic or Latino question, "
        f"pass ethnicity={named[0]!r} (--ethnicity on the command line). Without it, Hispanic "
        "or Latino individuals are counted in their race category."
    ]
