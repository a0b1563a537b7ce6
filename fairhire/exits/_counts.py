"""Reading exits (or layoff selections) by group: one group-by in the data's engine.

Retention and reductions in force both count, per group and per key (exit type, level,
period, decisional unit, age ...), how many people there are and how many left (or were
selected). The flag column is read by the shared rule (:func:`fairhire._core.flags.read_flag`),
the group labels are cleaned on the small table of distinct labels
(:func:`fairhire._core.labels.relabel_counts`), and every row is accounted for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.flags import read_flag
from .._core.groups import group_labels
from .._core.ids import check_unique_ids
from .._core.labels import LabelCleaning, label_key, relabel_counts
from .._core.missing import is_missing
from .._core.names import rename_inputs
from .._core.strata import clean_strata
from .._frames import as_columns, group_counts
from ..errors import InsufficientDataError, InvalidParameterError

__all__ = ["EVENT", "LABEL", "MISSING", "Counts", "ExitKinds", "check_roles", "read_counts"]

#: Columns of the small counts table (internal names, never the user's).
EVENT = "__fh_event"
MISSING = "__fh_event_missing"
LABEL = "__fh_label"
N = "__fh_n"


@dataclass(frozen=True)
class Counts:
    """People per group label and key values, split by the flag (``EVENT``) and its
    missingness (``MISSING``): ``table`` has ``LABEL`` (None for an unknown group), the key
    columns (under ``keys[user name]``), ``EVENT``, ``MISSING`` and ``N``."""

    table: pd.DataFrame
    keys: dict[str, str]
    cleanings: dict[str, LabelCleaning]
    group_columns: tuple[str, ...]
    total: int
    strata_warnings: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        out: list[str] = []
        for cleaning in self.cleanings.values():
            out.extend(cleaning.warnings())
        return [*out, *self.strata_warnings]

    def known(self, flag: str) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
        """Rows whose flag is known; missing ones counted as excluded, with a warning (the
        label-cleaning warnings come first)."""
        t = self.table
        warnings = self.warnings()
        excluded: dict[str, int] = {}
        missing = t[MISSING].astype(bool)
        if missing.any():
            n = int(t.loc[missing, N].sum())
            excluded[f"missing {flag}"] = n
            warnings.append(f"{n:,} rows have a missing {flag!r}: excluded and counted.")
        return t.loc[~missing].copy(), excluded, warnings


def read_counts(
    frame: Any,
    *,
    group_cols: Sequence[str],
    flag: str,
    argument: str,
    keys: Sequence[str] = (),
    key_exprs: dict[str, nw.Expr] | None = None,
    unknown_labels: Iterable[Any] = (),
    strata: Sequence[str] = (),
    ids: str | None = None,
    analysis: str = "",
) -> Counts:
    """Count people by group, keys and flag in one group-by, then clean the group labels.

    ``key_exprs`` maps a key column to the expression that reads it (e.g. an age floored to
    whole years); other keys are read as they are. ``strata`` names the keys whose values
    are stratum labels (levels, units), cleaned by :func:`fairhire._core.strata.clean_strata`.
    ``ids`` names an employee id column: an id on two rows whose flag is known is an error
    (:func:`fairhire._core.ids.check_unique_ids`; a row with a blank flag is excluded anyway).
    """
    reading = read_flag(frame, flag, argument=argument)
    if ids is not None:
        check_unique_ids(frame, ids, analysis=analysis, where=~reading.missing_expr())
    names = rename_inputs({"group": group_cols, "key": [k for k in keys if k not in group_cols]})
    key_exprs = key_exprs or {}
    selected = [nw.col(c).alias(names[c]) for c in group_cols]
    selected += [key_exprs.get(k, nw.col(k)).alias(names[k]) for k in keys if k not in group_cols]
    selected += [reading.expr().alias(EVENT), reading.missing_expr().alias(MISSING)]
    inner = [names[c] for c in group_cols] + [names[k] for k in keys if k not in group_cols]
    counts = group_counts(frame.select(*selected), [*inner, EVENT, MISSING])
    counts = counts.rename(columns={"n": N})
    total = int(counts[N].sum())
    if total == 0:
        raise InsufficientDataError("the data have no rows: nothing to analyse.")
    group_inner = [names[c] for c in group_cols]
    cleaned, cleanings = relabel_counts(
        counts, group_inner, count_columns=[N], weight=N, unknown_labels=unknown_labels
    )
    cleanings = {user: replace(cleanings[names[user]], column=user) for user in group_cols}
    cleaned, strata_warnings = clean_strata(cleaned, {names[k]: k for k in strata},
                                            count_columns=[N], weight=N)
    cleaned[LABEL] = group_labels(cleaned, group_inner) if group_inner else "all"
    cleaned = cleaned.drop(columns=group_inner)
    return Counts(
        table=cleaned.reset_index(drop=True),
        keys={k: names[k] for k in keys if k not in group_cols},
        cleanings=cleanings,
        group_columns=tuple(group_cols),
        total=total,
        strata_warnings=tuple(strata_warnings),
    )


def check_roles(group: Any, *, required: bool = True, **columns: str | None) -> list[str]:
    """The group columns, after checking that every other role names one column (or None) and
    that no column plays two roles."""
    group_cols = as_columns(group, argument="group")
    if required and not group_cols:
        raise InvalidParameterError("group= must name at least one column.")
    for name, value in columns.items():
        if value is not None and not isinstance(value, str):
            raise InvalidParameterError(f"{name}= must be one column name; got {value!r}.")
    used = [*group_cols, *(v for v in columns.values() if v is not None)]
    if len(set(used)) != len(used):
        shown = ", ".join(f"{k}={v!r}" for k, v in columns.items() if v is not None)
        raise InvalidParameterError(
            f"a column is used twice among group={group_cols}, {shown}; each role needs its "
            "own column."
        )
    return group_cols


# ----------------------------------------------------------------------------- exit kinds

VOLUNTARY = ("voluntary", "resignation", "quit")
INVOLUNTARY = ("involuntary", "dismissal", "termination", "layoff", "redundancy",
               "reduction in force")
#: Other spellings of the default lists' words, as HR systems export them ("Resigned",
#: "Laid off", "RIF"), read with the default lists only. "Terminated" is not among them: many
#: systems write it for every leaver.
_VOLUNTARY_FORMS = ("resigned", "resign")
_INVOLUNTARY_FORMS = ("dismissed", "laid off", "lay off", "redundant", "made redundant", "rif")
KINDS = ("all", "voluntary", "involuntary")
# "Voluntary - Resignation", "Involuntary: Layoff", "Vol - Resign": an HR system's exit reason
# that names its kind first (read so only with the default lists: a user's own lists are taken
# as they are)
_NAMED_KIND = re.compile(r"(in)?vol(untary)?\b")
# "Layoff (RIF)": a reason with a note in brackets after it
_BRACKETED = re.compile(r"^(.*\S)\s*\([^()]*\)$")


@dataclass(frozen=True)
class ExitKinds:
    """How the labels of an exit-type column read: voluntary, involuntary or other.

    Labels are compared ignoring case and spaces; with the default lists, a label that starts
    with the word "Voluntary" or "Involuntary" ("Voluntary - Resignation") is read as that kind.
    ``other`` maps each label that is neither (e.g. "retirement") to its row count, so results
    can name and count them.

    >>> kinds = ExitKinds.from_options(VOLUNTARY, INVOLUNTARY)
    >>> [kinds.kind(v) for v in ["Quit", "Involuntary - Layoff", "Voluntary: Relocation",
    ...                          "Voluntarily", "Retirement", None, "Laid off", "Invol - RIF"]]
    ['voluntary', 'involuntary', 'voluntary', 'other', 'other', None, 'involuntary', 'involuntary']
    >>> ExitKinds.from_options(["quit"], ["layoff"]).kind("Voluntary - Resignation")
    'other'
    """

    voluntary: frozenset[Any]
    involuntary: frozenset[Any]
    other: dict[Any, int] = field(default_factory=dict)

    @classmethod
    def from_options(cls, voluntary: Any, involuntary: Any) -> ExitKinds:
        vol = _label_set(voluntary, "voluntary")
        inv = _label_set(involuntary, "involuntary")
        both = vol & inv
        if both:
            raise InvalidParameterError(
                f"the exit types {sorted(map(str, both))} are listed as both voluntary= and "
                "involuntary=; each exit type is one or the other."
            )
        return cls(voluntary=vol, involuntary=inv)

    def kind(self, value: Any) -> str | None:
        """"voluntary", "involuntary", "other", or None for a missing exit type."""
        if is_missing(value):
            return None
        key = label_key(value)
        if key in self.voluntary:
            return "voluntary"
        if key in self.involuntary:
            return "involuntary"
        if isinstance(key, str) and self.defaults:
            return _default_kind(key)
        return "other"

    @property
    def defaults(self) -> bool:
        """The default lists: a reason that starts with "Voluntary" or "Involuntary" is read
        as that kind of exit ("Voluntary - Resignation")."""
        return self.voluntary == _DEFAULT_VOLUNTARY and self.involuntary == _DEFAULT_INVOLUNTARY

    def with_other(self, values: Iterable[Any], counts: Iterable[int]) -> ExitKinds:
        other: dict[Any, int] = {}
        for v, n in zip(values, counts, strict=True):
            if self.kind(v) == "other":
                label = " ".join(str(v).split())
                other[label] = other.get(label, 0) + int(n)
        return ExitKinds(self.voluntary, self.involuntary, dict(sorted(other.items())))


_DEFAULT_VOLUNTARY = frozenset(VOLUNTARY)
_DEFAULT_INVOLUNTARY = frozenset(INVOLUNTARY)
_VOLUNTARY_KEYS = _DEFAULT_VOLUNTARY | frozenset(_VOLUNTARY_FORMS)
_INVOLUNTARY_KEYS = _DEFAULT_INVOLUNTARY | frozenset(_INVOLUNTARY_FORMS)


def _default_kind(key: str) -> str:
    """How the default lists read a label they do not hold as it is: another spelling of one
    of their words, the same with a note in brackets, or a reason naming its kind first.

    >>> [_default_kind(k) for k in ["resigned", "layoff (rif)", "vol - resign", "retirement"]]
    ['voluntary', 'involuntary', 'voluntary', 'other']
    """
    bracketed = _BRACKETED.match(key)
    for k in (key, bracketed.group(1) if bracketed else key):
        if k in _VOLUNTARY_KEYS:
            return "voluntary"
        if k in _INVOLUNTARY_KEYS:
            return "involuntary"
    named = _NAMED_KIND.match(key)
    if named:
        return "involuntary" if named.group(1) else "voluntary"
    return "other"


def _label_set(values: Any, name: str) -> frozenset[Any]:
    if isinstance(values, str):
        values = (values,)
    try:
        items = list(values)
    except TypeError:
        raise InvalidParameterError(
            f"{name}= must be a list of exit-type labels, e.g. ('resignation', 'quit'); got "
            f"{values!r}."
        ) from None
    bad = [v for v in items if not isinstance(v, str) or not v.strip()]
    if bad:
        raise InvalidParameterError(f"{name}= must hold exit-type labels (text); got {bad!r}.")
    return frozenset(label_key(v) for v in items)
