"""Charts and withheld figures: which groups and steps a chart may draw under ``min_cell``,
and the alt-text sentences that name the groups it leaves out, and why."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["complement_only", "drop_small", "not_drawn", "shown_steps", "small"]


def small(min_cell: int | None, *counts: Any, complements: bool = True) -> bool:
    """True when a count is withheld from the report, or below ``min_cell``
    (``complements=False``: not for a count withheld only to protect another, "s").

    >>> small(5, 12, 3), small(None, 3), small(5, 40)
    (True, False, False)
    """
    from ..withheld import hidden_by

    return hidden_by(min_cell, *counts, complements=complements)


def drop_small(
    rows: pd.DataFrame, min_cell: int | None, *columns: str, complements: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows to draw, and the rows hidden because a count in ``columns`` is :func:`small`
    (``complements=False``: a chart of figures that give no count back, a pay gap, also
    draws the rows whose counts are withheld only to protect another's).

    >>> shown, hidden = drop_small(pd.DataFrame({"n": [40, 3]}), 5, "n")
    >>> len(shown), len(hidden)
    (1, 1)
    """
    counts = zip(*(rows[c] for c in columns), strict=True)
    hidden = rows[[small(min_cell, *row, complements=complements) for row in counts]]
    return rows.drop(index=hidden.index), hidden


def shown_steps(curve: pd.DataFrame, columns: tuple[str, ...], floor: int) -> pd.DataFrame:
    """The steps of a curve a chart may draw: at least ``floor`` people at risk, and every
    figure in ``columns`` a number. After ``min_cell`` suppression a withheld figure is a
    marker, not a number: its step is left out rather than drawn at zero.

    Examples
    --------
    >>> c = pd.DataFrame({"time": [1.0, 2.0, 3.0], "at_risk": [9, 8, 3],
    ...                   "survival": [0.9, "s", 0.7]})
    >>> shown_steps(c, ("time", "survival"), 5)["time"].tolist()
    [1.0]
    """
    ok = pd.to_numeric(curve["at_risk"], errors="coerce").to_numpy(dtype=float) >= floor
    for column in columns:
        values = pd.to_numeric(curve[column], errors="coerce").to_numpy(dtype=float)
        ok &= np.isfinite(values)
    return curve.loc[ok]


def complement_only(min_cell: int | None, *counts: Any) -> bool:
    """True when a count is withheld only as a complement ("s": a larger group's count,
    withheld so that a small one cannot be worked out from the totals), none being small.

    >>> from fairhire.report.suppress import _withheld
    >>> complement_only(5, _withheld(False, 5), 40), complement_only(5, _withheld(True, 5))
    (True, False)
    """
    from ..suppress import Withheld

    held = False
    for c in counts:
        if isinstance(c, Withheld):
            if c.small:
                return False
            held = True
        elif min_cell is not None and c is not None and not pd.isna(c) and c < min_cell:
            return False
    return held


def not_drawn(
    hidden: Any = (), dropped: Any = (), *, min_cell: int | None = None, what: str = "people",
    complements: Any = (),
) -> str:
    """The alt-text sentences naming groups left out: too small to show, withheld as the
    complement of a small group (``complements``, a subset of ``hidden``), or beyond the limit.

    >>> not_drawn(["X", "W"], ["Y", "Z"], min_cell=5, complements=["W"])
    ' Not drawn (fewer than 5 people): X. Not drawn (figures withheld so that a count of fewer than 5 cannot be worked out from the totals): W. Not drawn (smaller groups): Y, Z.'
    """
    text = ""
    kept = set(complements)
    small = [h for h in hidden if h not in kept]
    held = [h for h in hidden if h in kept]
    if small:
        text += f" Not drawn (fewer than {min_cell} {what}): {', '.join(map(str, small))}."
    if held:
        text += (f" Not drawn (figures withheld so that a count of fewer than {min_cell} cannot "
                 f"be worked out from the totals): {', '.join(map(str, held))}.")
    if dropped:
        text += f" Not drawn (smaller groups): {', '.join(map(str, dropped))}."
    return text
