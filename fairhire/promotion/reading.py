"""Reading the data of the promotion and interview analyses: one group-by, with the core's rules.

Every promotion analysis reads its columns the same way (see :mod:`fairhire._core`):

- the columns it uses are renamed to internal names first, so a user column called ``n``,
  ``group``, ``selected`` or ``stratum`` can never collide with a column the analysis adds;
- flag columns (``promoted``, ``event``) are read by :func:`fairhire._core.flags.read_flag`
  (True/False, 1/0, yes/no ...; blanks are *missing*, counted and reported);
- group labels are cleaned by :func:`fairhire._core.labels.relabel_counts` (case and space
  variants merged under the most frequent spelling, with a warning);
- the reference group is chosen by :func:`fairhire._core.reference.choose_reference`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._core.flags import read_flag
from .._core.groups import group_labels, sort_key
from .._core.labels import clean_labels, relabel_counts
from .._core.missing import is_missing
from .._core.names import internal_names
from .._core.reference import REFERENCE_MIN_SHARE, TOO_SMALL, ReferenceChoice, choose_reference
from .._frames import Frame, group_counts, sum_true
from ..errors import InvalidParameterError, InvalidValueError, preview

__all__ = [
    "Counts", "check_order", "clean_row_labels", "count_groups", "pick_reference", "positions",
    "too_small_warning",
]

#: Column of :attr:`Counts.table` holding the clean group label (None when unknown).
GROUP = "group"
#: Column of :attr:`Counts.table` holding the number of rows.
ROWS = "n"


@dataclass(frozen=True)
class Counts:
    """The small table one group-by gave, with clean group labels.

    ``table`` has the columns ``group`` (clean label, None when any group part is missing),
    one column per key role (raw values), ``n`` (rows) and, per flag role, ``<role>`` (rows
    reading True) and ``<role>_missing`` (rows where the flag is missing).
    """

    table: pd.DataFrame
    total: int
    warnings: tuple[str, ...]


def count_groups(
    frame: Frame,
    group_cols: Sequence[str],
    *,
    keys: Mapping[str, str] | None = None,
    flags: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    label_keys: Iterable[str] = (),
) -> Counts:
    """Count rows per (group, key roles) in the data's engine, then clean the labels.

    ``keys`` and ``flags`` map a role (the column name in the returned table, and the argument
    name in messages) to the user's column. ``values`` maps a role to a numeric column, summed
    as ``<role>_count`` (non-missing values), ``<role>_sum`` and ``<role>_sumsq``.
    ``label_keys`` names key roles whose values are labels to clean as well (a rater's name).
    """
    keys = dict(keys or {})
    flags = dict(flags or {})
    values = dict(values or {})
    taken = [*group_cols, *keys.values(), *flags.values(), *values.values()]
    gnames = [f"g{i}" for i in range(len(group_cols))]
    names = internal_names([*gnames, *keys, *(f"{r}{s}" for r in flags for s in ("", "_m"))],
                           taken)
    selected = [nw.col(c).alias(names[g]) for g, c in zip(gnames, group_cols, strict=True)]
    selected += [nw.col(c).alias(names[r]) for r, c in keys.items()]
    aggs = []
    for role, column in flags.items():
        reading = read_flag(frame, column, argument=role)
        selected += [reading.expr().alias(names[role]),
                     reading.missing_expr().alias(names[f"{role}_m"])]
        aggs += [sum_true(nw.col(names[role]), frame).alias(role),
                 sum_true(nw.col(names[f"{role}_m"]), frame).alias(f"{role}_missing")]
    vnames = internal_names([f"v_{r}" for r in values], [*taken, *names.values()])
    for role, column in values.items():
        v = nw.col(column).cast(nw.Float64)
        selected.append(v.alias(vnames[f"v_{role}"]))
        col = nw.col(vnames[f"v_{role}"])
        aggs += [col.count().alias(f"{role}_count"), col.sum().alias(f"{role}_sum"),
                 (col * col).sum().alias(f"{role}_sumsq")]
    by = [names[g] for g in gnames] + [names[r] for r in keys]
    counts = group_counts(frame.select(*selected), by, aggs, additive=not values)
    count_cols = [ROWS, *[c for r in flags for c in (r, f"{r}_missing")],
                  *[f"{r}_count" for r in values]]
    for c in count_cols:
        counts[c] = counts[c].fillna(0).astype("int64")
    sum_cols = [f"{r}_{k}" for r in values for k in ("sum", "sumsq")]
    for c in sum_cols:
        counts[c] = counts[c].astype("float64").fillna(0.0)
    count_cols += sum_cols
    cleaned = [names[g] for g in gnames] + [names[r] for r in label_keys]
    users = dict(zip(cleaned, [*group_cols, *(keys[r] for r in label_keys)], strict=True))
    counts, cleanings = relabel_counts(counts, cleaned, count_columns=count_cols, weight=ROWS)
    warnings = [
        w
        for internal, cleaning in cleanings.items()
        for w in dataclasses.replace(cleaning, column=users[internal]).warnings()
    ]
    table = pd.DataFrame({GROUP: group_labels(counts, [names[g] for g in gnames])})
    for role in keys:
        table[role] = counts[names[role]].astype(object).to_numpy()
    for c in count_cols:
        table[c] = counts[c].to_numpy()
    return Counts(table=table, total=int(table[ROWS].sum()), warnings=tuple(warnings))


def pick_reference(
    labels: Sequence[str],
    sizes: Sequence[int],
    scores: Sequence[Any],
    *,
    reference: Any,
    min_n: int,
    what: str,
    warnings: list[str],
    where: str = "",
    higher_is_better: bool = True,
    min_share: float | None = None,
    keys: Sequence[Any] | None = None,
) -> ReferenceChoice:
    """:func:`choose_reference`, with its warning (and the too-small groups) in ``warnings``.

    ``min_share`` None means the core's default (2% of the people with a known group).
    """
    share = REFERENCE_MIN_SHARE if min_share is None else min_share
    choice = choose_reference(labels, sizes, scores, reference=reference, min_n=min_n,
                              what=what, higher_is_better=higher_is_better, min_share=share,
                              keys=keys)
    prefix = f"{where}: " if where else ""
    if choice.warning:
        warnings.append(prefix + choice.warning)
    if reference is None and choice.index is not None:
        small = too_small_warning(choice, sizes, min_n)
        if small:
            warnings.append(prefix + small)
    return choice


def too_small_warning(choice: ReferenceChoice, sizes: Sequence[int], min_n: int) -> str | None:
    """Say which groups are compared but are too small to be the reference."""
    small = [f"{lab} ({int(sizes[i]):,})" for i, lab in enumerate(choice.labels)
             if choice.too_small(i) and int(sizes[i]) > 0]
    if not small:
        return None
    return (
        f"{', '.join(small)}: {TOO_SMALL} (fewer than {min_n} people or under 2% of the "
        "total); compared with the reference, but their rates are unstable."
    )


def check_order(
    present: Iterable[object], order: Sequence[object] | None, *, column: str, argument: str
) -> list[object]:
    """Validate a user's level/rating order against the values present; return the order.

    Every value present must appear in ``order`` (the error lists those that don't); values in
    ``order`` that are absent from the data are allowed (reported by the caller).
    """
    present = [v for v in present if not is_missing(v)]
    if order is None:
        return sorted(dict.fromkeys(present), key=sort_key)
    if isinstance(order, str) or not isinstance(order, Sequence | np.ndarray | pd.Index):
        raise InvalidParameterError(
            f"{argument}= must be a list of the values of {column!r} in order, lowest first; "
            f"got {order!r}."
        )
    order = list(order)
    if len(set(map(str, order))) != len(order):
        raise InvalidParameterError(f"{argument}= lists a value more than once: {order!r}.")
    known = set(order) | {str(o) for o in order}
    missing = [v for v in dict.fromkeys(present) if v not in known and str(v) not in known]
    if missing:
        raise InvalidValueError(
            f"column {column!r} holds values missing from {argument}=: "
            f"{preview(sorted(missing, key=sort_key), limit=10)}. List every value of "
            f"{column!r} in {argument}= (lowest first), or recode those rows."
        )
    return order


def positions(order: Sequence[Any]) -> dict[Any, int]:
    """Position of each value of ``order`` (and of its text form) in the order."""
    pos: dict[Any, int] = {}
    for i, v in enumerate(order):
        pos.setdefault(v, i)
        pos.setdefault(str(v), i)
    return pos


def clean_row_labels(
    df: pd.DataFrame, columns: Sequence[str], users: Sequence[str]
) -> tuple[pd.Series, list[str]]:
    """Clean labels of row-level group columns (``columns``, named ``users`` in messages).

    Returns the group label of every row (None when a part is missing) and the merge warnings.
    """
    warnings: list[str] = []
    parts = pd.DataFrame(index=df.index)
    for c, user in zip(columns, users, strict=True):
        values = df[c].astype(object)
        counts = values.value_counts(dropna=False)
        cleaning = clean_labels(counts.index.tolist(), counts.tolist(), column=user)
        warnings.extend(cleaning.warnings())
        parts[c] = [cleaning.get(v) for v in values.tolist()]
    return group_labels(parts, list(columns)), warnings
