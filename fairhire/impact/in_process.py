"""Applications still open: left out of a funnel, counted, never read as rejections.

An ATS export lists every applicant at their current stage, including those still waiting
for a decision there ("Status: Active"). Read as a funnel, an open application at the
interview stage looks like an applicant who was interviewed and not offered, so a group with
more recent applicants would seem to be offered less. ``in_process={"Status": ["Active"]}``
names the column and the values that mark an open application; those rows are left out of
the audit before anything is counted, as the usual practice of analysing closed selection
decisions does, and counted in the row account as ``"still in process"`` with a warning.
Values are matched ignoring case and spaces; a value the column does not hold is an error
(a misspelt status would otherwise leave nobody out, silently).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import narwhals.stable.v2 as nw

from .._core.labels import label_key
from .._core.missing import is_missing
from .._frames import Frame, group_counts, require_columns
from ..errors import InsufficientDataError, InvalidParameterError, InvalidValueError, preview

__all__ = ["IN_PROCESS", "leave_out_open", "with_open_rows"]

#: The row account's reason for an application still open.
IN_PROCESS = "still in process"


def _spec(in_process: Any) -> tuple[str, list[Any]]:
    """(column, values) from ``{column: value or [values]}``."""
    if not isinstance(in_process, Mapping) or len(in_process) != 1:
        raise InvalidParameterError(
            f"in_process={in_process!r} must name one column and the values that mark an "
            "application still open, e.g. in_process={'Status': ['Active', 'On hold']}."
        )
    (column, values), = in_process.items()
    values = [values] if isinstance(values, str) or not isinstance(values, Sequence) else values
    if not values or any(is_missing(v) for v in values):
        raise InvalidParameterError(
            f"in_process={in_process!r} needs at least one value of {column!r} (not a blank) "
            "that marks an application still open, e.g. 'Active'."
        )
    return str(column), list(values)


def leave_out_open(frame: Frame, in_process: Any) -> tuple[Frame, int]:
    """``frame`` without the rows whose ``in_process`` column holds one of its values, and
    how many those were. ``in_process=None`` leaves the frame as it is.

    >>> import pandas as pd
    >>> from fairhire._frames import to_narwhals
    >>> f = to_narwhals(pd.DataFrame({"Status": ["Active", "Rejected", "active ", "Hired"]}))
    >>> kept, n = leave_out_open(f, {"Status": "Active"})
    >>> n, kept.to_native()["Status"].tolist()
    (2, ['Rejected', 'Hired'])
    """
    if in_process is None:
        return frame, 0
    column, wanted = _spec(in_process)
    require_columns(frame, in_process=column)
    counts = group_counts(frame, [column], count_name="__fh_n")
    present = [v for v in counts[column].tolist() if not is_missing(v)]
    keys = {label_key(v) for v in wanted}
    unknown = [v for v in wanted if label_key(v) not in {label_key(p) for p in present}]
    if unknown:
        raise InvalidValueError(
            f"in_process: column {column!r} has no value {preview(unknown)}; its values are "
            f"{preview(sorted(map(str, present)))}. Name the values that mark an application "
            "still open as the export writes them."
        )
    raw = [v for v in present if label_key(v) in keys]
    n = int(counts.loc[counts[column].isin(raw), "__fh_n"].sum())
    if n == int(counts["__fh_n"].sum()):
        raise InsufficientDataError(
            f"every application is still in process (column {column!r}: {preview(raw)}): "
            "there is no decision to audit yet."
        )
    return frame.filter(~nw.col(column).is_in(raw).fill_null(False)), n


def with_open_rows(counts: Any, n: int) -> Any:
    """Counts (a :class:`~fairhire.impact.aggregate.FunnelCounts` or the monitor's) whose row
    account also holds the ``n`` open applications left out before counting."""
    if not n:
        return counts
    return replace(counts, total_rows=counts.total_rows + n,
                   excluded={IN_PROCESS: n, **counts.excluded})
