"""Internal column names that can never collide with a user's columns.

Real exports have columns called ``n``, ``k``, ``selected``, ``group`` or ``stratum``. An
analysis never adds a column under such a name to a frame that holds user columns: it asks
:func:`internal_name` (or :func:`internal_names`) for names that are not among the frame's
columns, or renames the columns it reads to internal names at the boundary with
:func:`rename_inputs` and maps them back at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["PREFIX", "internal_name", "internal_names", "rename_inputs"]

PREFIX = "__fh_"


def internal_name(base: str, taken: Iterable[str]) -> str:
    """``__fh_<base>``, with a numeric suffix if that is taken.

    Examples
    --------
    >>> internal_name("n", ["n", "__fh_n"])
    '__fh_n_1'
    """
    taken = set(taken)
    name = f"{PREFIX}{base}"
    i = 0
    while name in taken:
        i += 1
        name = f"{PREFIX}{base}_{i}"
    return name


def internal_names(bases: Iterable[str], taken: Iterable[str]) -> dict[str, str]:
    """:func:`internal_name` for several bases, distinct from each other and from ``taken``.

    Examples
    --------
    >>> internal_names(["n", "k"], ["n"])
    {'n': '__fh_n', 'k': '__fh_k'}
    """
    used = set(taken)
    out: dict[str, str] = {}
    for base in bases:
        name = internal_name(base, used)
        used.add(name)
        out[base] = name
    return out


def rename_inputs(columns: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Internal names for the columns an analysis reads, by role.

    ``{"group": ["sex", "race"], "stage": ["hired"]}`` gives
    ``{"sex": "__fh_group0", "race": "__fh_group1", "hired": "__fh_stage0"}``. A column given
    in two roles keeps its first name.

    Examples
    --------
    >>> rename_inputs({"group": ["n"], "stage": ["selected", "n"]})
    {'n': '__fh_group0', 'selected': '__fh_stage0'}
    """
    out: dict[str, str] = {}
    for role, names in columns.items():
        for i, name in enumerate(names):
            out.setdefault(name, f"{PREFIX}{role}{i}")
    return out
