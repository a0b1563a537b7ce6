"""The read → count step every group comparison starts with, in one place.

An analysis that compares groups (promotion, ratings, representation, interviews, and the
retention and monitoring analyses) first turns a frame of any engine into a small table of
counts per group. :func:`count_groups` does that with one group-by in the data's engine,
applying the core's rules on the way:

- the columns it reads are renamed to internal names first (:mod:`~fairhire._core.names`), so a
  user column called ``n``, ``group``, ``selected`` or ``stratum`` can never collide with a
  column the count adds;
- yes/no columns are read by :func:`~fairhire._core.flags.read_flag` (True/False, 1/0, yes/no,
  y/n, true/false, t/f; blanks are *missing*: counted in ``<role>_missing``, never read as
  False);
- group labels are cleaned on the small table of counts by
  :func:`~fairhire._core.labels.relabel_counts` (case and space variants merged under the most
  frequent spelling, with a warning that names the user's column).

Then :func:`pick_reference` applies the reference rule (:mod:`~fairhire._core.reference`) and
puts its warnings, including which groups are "too small to be the reference", with the
analysis' other warnings. Analyses that need one row per person (survival, regressions) collect
their columns and clean the labels of those rows with :func:`clean_row_labels`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._engine_stats import PART_UNITS, exact_sum, with_exact_parts
from .._frames import Frame, group_counts, sum_true
from .flags import read_flag
from .groups import group_labels
from .ids import check_unique_ids
from .labels import clean_labels, relabel_counts
from .names import internal_names
from .reference import REFERENCE_MIN_SHARE, TOO_SMALL, ReferenceChoice, choose_reference

__all__ = ["GROUP", "ROWS", "Counts", "clean_row_labels", "count_groups", "pick_reference",
           "too_small_warning"]

#: Column of :attr:`Counts.table` holding the clean group label (None when unknown).
GROUP = "group"
#: Column of :attr:`Counts.table` holding the number of rows.
ROWS = "n"


@dataclass(frozen=True)
class Counts:
    """The small table one group-by gave, with clean group labels.

    ``table`` has the columns ``group`` (clean label, None when any group part is missing),
    one column per key role (raw values), ``n`` (rows) and, per flag role, ``<role>`` (rows
    reading True) and ``<role>_missing`` (rows where the flag is missing); per value role,
    ``<role>_count`` (rows with a value), ``<role>_sum`` and ``<role>_sumsq`` (exact sums,
    rounded once: the same in every engine and for every row order). ``total`` is
    the number of input rows; ``warnings`` say which labels were merged.
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
    unknown_labels: Iterable[Any] = (),
    ids: str | None = None,
    analysis: str = "",
) -> Counts:
    """Count rows per (group, key roles) in the data's engine, then clean the labels.

    ``keys`` and ``flags`` map a role (the column name in the returned table, and the argument
    name in messages) to the user's column. ``values`` maps a role to a numeric column, summed
    as ``<role>_count`` (non-missing values), ``<role>_sum`` and ``<role>_sumsq``.
    ``label_keys`` names key roles whose values are labels to clean as well (a rater's name).
    ``unknown_labels`` are read as missing in the group columns (not in ``label_keys``).
    ``ids`` names an employee id column: an id on two rows whose flags are known is an error
    (:func:`~fairhire._core.ids.check_unique_ids`, naming ``analysis``).

    Examples
    --------
    A column named ``n`` is no problem; ``female `` is merged into ``Female``; the blank
    outcome is missing, not "no":

    >>> import pandas as pd
    >>> from fairhire._frames import to_narwhals
    >>> df = pd.DataFrame({"n": ["Female", "female ", "Male", "Female", None],
    ...                    "promoted": ["yes", "N", "Y", " ", "no"]})
    >>> c = count_groups(to_narwhals(df), ["n"], flags={"promoted": "promoted"})
    >>> print(c.table.sort_values("group", na_position="last").to_string(index=False))
     group  n  promoted  promoted_missing
    Female  3         1                 1
      Male  1         1                 0
      None  1         0                 0
    >>> c.total, c.warnings
    (5, ("column 'n': the labels 'Female', 'female ' differ only in case or spaces and were merged as 'Female'.",))
    """
    keys = dict(keys or {})
    flags = dict(flags or {})
    values = dict(values or {})
    taken = [*group_cols, *keys.values(), *flags.values(), *values.values()]
    label_keys = tuple(label_keys)
    gnames = [f"g{i}" for i in range(len(group_cols))]
    names = internal_names([*gnames, *keys, *(f"{r}{s}" for r in flags for s in ("", "_m"))],
                           taken)
    selected = [nw.col(c).alias(names[g]) for g, c in zip(gnames, group_cols, strict=True)]
    selected += [nw.col(c).alias(names[r]) for r, c in keys.items()]
    aggs = []
    known: nw.Expr | None = None  # the rows whose flags are all known
    for role, column in flags.items():
        reading = read_flag(frame, column, argument=role)
        known = ~reading.missing_expr() if known is None else known & ~reading.missing_expr()
        selected += [reading.expr().alias(names[role]),
                     reading.missing_expr().alias(names[f"{role}_m"])]
        aggs += [sum_true(nw.col(names[role]), frame).alias(role),
                 sum_true(nw.col(names[f"{role}_m"]), frame).alias(f"{role}_missing")]
    if ids is not None:  # (a row with a blank outcome is excluded anyway)
        check_unique_ids(frame, ids, analysis=analysis, where=known)
    vnames = internal_names([f"{p}_{r}" for r in values for p in ("v", "v2")],
                            [*taken, *names.values()])
    # sums of values are exact (integer parts, with_exact_parts): the same in every engine and
    # for every row order, and merged labels add them exactly
    parts = {f"{r}_{k}": [f"{r}_{k}_part{i}" for i in range(len(PART_UNITS))]
             for r in values for k in ("sum", "sumsq")}
    for role, column in values.items():
        v = nw.col(column).cast(nw.Float64)
        # the square is a column of its own: pandas then sums it with its fast group-by (a
        # sum of an expression runs row by row in Python, and narwhals warns about it)
        selected += [v.alias(vnames[f"v_{role}"]), (v * v).alias(vnames[f"v2_{role}"])]
        aggs.append(nw.col(vnames[f"v_{role}"]).count().alias(f"{role}_count"))
        aggs += [nw.col(p).sum().alias(p) for k in ("sum", "sumsq") for p in parts[f"{role}_{k}"]]
    by = [names[g] for g in gnames] + [names[r] for r in keys]
    selected_frame = frame.select(*selected)
    for role in values:
        for kind, name in (("sum", vnames[f"v_{role}"]), ("sumsq", vnames[f"v2_{role}"])):
            selected_frame = with_exact_parts(selected_frame, name, parts[f"{role}_{kind}"],
                                              signed=True)
    counts = group_counts(selected_frame, by, aggs, additive=not values)
    part_cols = [p for names_ in parts.values() for p in names_]
    count_cols = [ROWS, *[c for r in flags for c in (r, f"{r}_missing")],
                  *[f"{r}_count" for r in values], *part_cols]
    for c in count_cols:
        counts[c] = counts[c].fillna(0).astype("int64")
    cleaned = [names[g] for g in gnames] + [names[r] for r in label_keys]
    users = dict(zip(cleaned, [*group_cols, *(keys[r] for r in label_keys)], strict=True))
    counts, cleanings = relabel_counts(counts, [names[g] for g in gnames],
                                       count_columns=count_cols, weight=ROWS,
                                       unknown_labels=unknown_labels)
    if label_keys:  # a rater named "Unknown" is a rater: unknown_labels is for groups
        counts, more = relabel_counts(counts, [names[r] for r in label_keys],
                                      count_columns=count_cols, weight=ROWS, groups=False)
        cleanings.update(more)
    warnings = [
        w
        for internal, cleaning in cleanings.items()
        for w in dataclasses.replace(cleaning, column=users[internal]).warnings()
    ]
    table = pd.DataFrame({GROUP: group_labels(counts, [names[g] for g in gnames])})
    for role in keys:
        table[role] = counts[names[role]].astype(object).to_numpy()
    for c in count_cols:
        if c not in part_cols:
            table[c] = counts[c].to_numpy()
    for c, names_ in parts.items():
        sums = counts[names_].itertuples(index=False)
        table[c] = pd.Series([float(exact_sum(row)) for row in sums], dtype="float64")
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
    """:func:`~fairhire._core.reference.choose_reference`, with its warning (and the groups
    too small to be the reference) added to ``warnings``.

    ``min_share`` None means the core's default (2% of the people with a known group);
    ``where`` prefixes the warnings (e.g. ``"stratum 'L2'"``).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> warnings = []
    >>> c = pick_reference(["Female", "Male", "Non-binary"], [494, 400, 10],
    ...                    [F(150, 494), F(200, 400), F(10, 10)], reference=None, min_n=30,
    ...                    what="promotion rate", warnings=warnings)
    >>> c.label
    'Male'
    >>> print(warnings[0])
    Non-binary (10): too small to be the reference (fewer than 30 people or under 2% of the total); compared with the reference, but their rates are unstable.
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
    """Say which groups are compared but are too small to be the reference (None if none).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> c = choose_reference(["A", "B"], [100, 5], [F(1, 2), F(1, 1)])
    >>> too_small_warning(c, [100, 5], 30)
    'B (5): too small to be the reference (fewer than 30 people or under 2% of the total); compared with the reference, but their rates are unstable.'
    """
    small = [f"{lab} ({int(sizes[i]):,})" for i, lab in enumerate(choice.labels)
             if choice.too_small(i) and int(sizes[i]) > 0]
    if not small:
        return None
    return (
        f"{', '.join(small)}: {TOO_SMALL} (fewer than {min_n} people or under 2% of the "
        "total); compared with the reference, but their rates are unstable."
    )


def clean_row_labels(
    df: pd.DataFrame, columns: Sequence[str], users: Sequence[str],
    unknown_labels: Iterable[Any] = (),
) -> tuple[pd.Series, list[str]]:
    """Clean labels of row-level group columns (``columns``, named ``users`` in messages);
    ``unknown_labels`` are read as missing.

    Returns the group label of every row (None when a part is missing) and the merge warnings.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"__fh_c0": ["Male", " male", "Male", ""]})
    >>> labels, warnings = clean_row_labels(df, ["__fh_c0"], ["sex"])
    >>> labels.tolist()
    ['Male', 'Male', 'Male', None]
    >>> warnings
    ["column 'sex': the labels 'Male', ' male' differ only in case or spaces and were merged as 'Male'."]
    """
    warnings: list[str] = []
    parts = pd.DataFrame(index=df.index)
    for c, user in zip(columns, users, strict=True):
        values = df[c].astype(object)
        counts = values.value_counts(dropna=False)
        cleaning = clean_labels(counts.index.tolist(), counts.tolist(), column=user,
                                unknown_labels=unknown_labels)
        warnings.extend(cleaning.warnings())
        parts[c] = cleaning.labels(values, index=df.index)
    return group_labels(parts, list(columns)), warnings
