"""Pay gaps within pay-analysis groupings (``within=``): the overall model, without the grouping
columns, fitted separately inside each cell of similarly situated employees.

Cells where a group is absent or too small, or where the group is collinear with the controls,
are reported as *not testable*, with the reason, rather than dropped. Controls that are constant
or collinear inside a cell are left out of that cell's model and named in the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core.groups import GROUP_SEPARATOR
from .._core.strata import stratum_order
from ._groups import GroupCodes
from .fitting import ScopeFit, Settings, design_for, fit_scope, scope_rows

__all__ = ["within_rows"]


def within_rows(
    frame: pd.DataFrame,
    y: np.ndarray,
    pay: np.ndarray,
    groups: GroupCodes,
    within: Sequence[str],
    controls: Sequence[str],
    settings: Settings,
    clusters: np.ndarray | None,
) -> list[dict[str, Any]]:
    """Table rows of every cell of ``within`` (its columns' combinations, in the strata's
    natural order: "Level 9" before "Level 10")."""
    cell_controls = [c for c in controls if c not in within]
    scope = GROUP_SEPARATOR.join(within)
    indices = frame.groupby(list(within), sort=True, dropna=False).indices
    rows: list[dict[str, Any]] = []
    for key in sorted(indices, key=lambda k: tuple(map(stratum_order, np.atleast_1d(k)))):
        idx = np.asarray(indices[key])
        values = key if isinstance(key, tuple) else (key,)
        cell = GROUP_SEPARATOR.join(str(v) for v in values)
        codes = groups.codes[idx]
        present = np.unique(codes)
        if len(present) < 2:
            rows += _one_group_rows(scope, cell, pay[idx], codes, groups, settings, len(idx))
            continue
        design, columns = design_for(
            frame.iloc[idx].reset_index(drop=True),
            codes,
            groups,
            cell_controls,
            settings,
            drop_constant=True,
        )
        sf: ScopeFit = fit_scope(
            y[idx],
            design,
            columns,
            cov_type=settings.cov_type,
            clusters=clusters[idx] if clusters is not None else None,
            allow_drop=True,
        )
        rows += scope_rows(scope, cell, pay[idx], codes, groups, sf, settings)
    return rows


def _one_group_rows(
    scope: str,
    cell: str,
    pay: np.ndarray,
    codes: np.ndarray,
    groups: GroupCodes,
    settings: Settings,
    size: int,
) -> list[dict[str, Any]]:
    """A cell with one group: its raw figures against an absent reference (if it is not the
    reference), and a row that says only one group is there."""
    only = groups.labels[int(codes[0])]
    rows = scope_rows(
        scope, cell, pay, codes, groups, None, settings, scope_note="only one group present"
    )
    rows.append(
        {
            "scope": scope,
            "cell": cell,
            "group": only,
            "reference_group": groups.reference,
            "n": size,
            "n_reference": size if only == groups.reference else 0,
            "units": "percent" if settings.log else "currency",
            "testable": False,
            "flagged": False,
            "too_small_for_reference": groups.too_small(only),
            "note": f"only {only} employees in this cell",
        }
    )
    return rows
