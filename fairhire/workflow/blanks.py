"""Blank cells of yes/no columns read as "no", when the person auditing says so.

The library never reads a blank outcome as "no" (:mod:`fairhire._core.flags`): a blank is
counted and excluded, and a column with yes values and blanks but no "no" is an error, because
many exports leave the "no" cells empty and excluding them would keep only the yeses. The
command line (``--blank-means-no``), the audit config (``blank_means_no = true``) and the web
app (a checkbox) let the person who knows the export say that a blank there means no. The
cells are filled in a copy of the frame, and each column filled gets a note that says how many
cells were read so (a reading note, shown on the console and in the report). A cell that held
a missing marker ("N/A", "#N/A"), read as missing when the file was read, is not blank: its
outcome stays unknown, counted and left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .._core.missing import missing_mask
from .numbers import marked_missing

__all__ = ["blanks_as_no"]


def blanks_as_no(
    frame: pd.DataFrame, columns: Sequence[str | None], *, how: str
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with the blank cells of ``columns`` read as no (a copy, when any is blank):
    "no" in a text column, 0 in a number column (a 1/0 flag, or an amount such as a bonus,
    where a blank means none); one note per column that had any (``how`` says who asked, e.g.
    ``--blank-means-no``).

    Examples
    --------
    >>> df = pd.DataFrame({"hired": ["Yes", None, " ", "No"], "sex": ["F", None, "M", "F"]})
    >>> out, notes = blanks_as_no(df, ["hired"], how="--blank-means-no")
    >>> out["hired"].tolist(), df["hired"].isna().sum(), out["sex"].isna().sum()
    (['Yes', 'no', 'no', 'No'], np.int64(1), np.int64(1))
    >>> notes
    ["column 'hired': 2 blank cells read as no (--blank-means-no)."]
    >>> blanks_as_no(pd.DataFrame({"bonus": [250.0, None]}), ["bonus"], how="x")[0].bonus.tolist()
    [250.0, 0.0]
    """
    out, notes = frame, []
    for column in dict.fromkeys(c for c in columns if c):
        # "N/A" read as missing says the outcome is not known: only a blank cell means no
        blank = missing_mask(frame[column]) & ~marked_missing(frame, column)
        n = int(blank.sum())
        if not n:
            continue
        if out is frame:
            out = frame.copy()
        if pd.api.types.is_numeric_dtype(frame[column]):  # 1/0 flags, or an amount (a bonus)
            out[column] = frame[column].where(~blank, 0)
            notes.append(f"column {column!r}: {n:,} blank cells read as 0 ({how}).")
        else:
            out[column] = frame[column].astype(object).where(~blank, "no")
            notes.append(f"column {column!r}: {n:,} blank cells read as no ({how}).")
    return out, notes
