"""Applications still open, on the audit page: the status column and the values that mark them.

The library's ``in_process={"Status": ["Active", "On hold"]}`` (``--in-process`` on the
command line, ``in_process =`` in an audit config) leaves open applications out of a funnel
before counting (:mod:`fairhire.impact.in_process`). The page offers it as the other options
are offered: a column role ("application status"), guessed from the column's name and values,
and a field of the values that mark an open application, one per line, filled with the values
that read as open. The funnel, combined-groups and monitoring entries then carry the same
``in_process`` table an audit config would, so the page runs exactly what the library runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .._core.labels import label_key
from .._core.missing import is_missing
from .._core.text import format_counted
from .._frames import to_narwhals
from ..errors import FairhireError
from ..impact.in_process import IN_PROCESS, leave_out_open
from ..workflow.errors import CLIError

__all__ = ["ROLE", "USES", "guess_open_values", "in_process_option", "open_notes"]

#: The page's role of the column that holds an application's status.
ROLE = "in_process"
#: The page's analyses whose entries take ``in_process`` (the hiring funnel's, and LL144's
#: selection rates).
USES = ("funnel", "intersectional", "monitor", "ll144")

_STATUS = re.compile(r"status|disposition|^state$|application.?state", re.I)
#: Status values that read as "no decision yet" (compared by their label key).
_OPEN = re.compile(r"^(active|open|in ?process|in ?progress|pending|on ?hold|under ?review|"
                   r"awaiting\b.*|new|in review)$")
#: A status column has a few values; more, and it is free text.
_MAX_STATUSES = 40


def guess_open_values(name: str, series: pd.Series) -> list[str]:
    """The values of a status column that mark an open application, as written; [] when the
    column does not look like an application status.

    Examples
    --------
    >>> guess_open_values("Status", pd.Series(["Active", "Rejected", "On hold", "Hired"]))
    ['Active', 'On hold']
    >>> guess_open_values("Status", pd.Series(["Rejected", "Hired"])), guess_open_values(
    ...     "Notes", pd.Series(["Active"]))
    ([], [])
    """
    if not _STATUS.search(name) or pd.api.types.is_numeric_dtype(series):
        return []
    values = [v for v in series.dropna().unique() if not is_missing(v)]
    if len(values) > _MAX_STATUSES:
        return []
    return sorted({str(v).strip() for v in values if _OPEN.match(label_key(v))}, key=str.lower)


def in_process_option(
    by: Mapping[str, list[str]], values: Sequence[str], frame: pd.DataFrame
) -> dict[str, list[str]] | None:
    """The ``in_process`` option of the page's choices: the column given the role and the
    values typed, checked by the library's own rule (a value the column does not hold is an
    error naming the values it holds). None when neither is given."""
    columns = by.get(ROLE, [])
    if not columns and not values:
        return None
    if len(columns) > 1:
        raise CLIError(f"{len(columns)} columns ({columns}) have the role 'application status'; "
                       "choose one.", field="in_process")
    if not columns:
        raise CLIError("the values of applications still open need the column that holds "
                       "them: give that column the role 'application status', or clear the "
                       "field.", field="in_process")
    if not values:
        raise CLIError(f"column {columns[0]!r} has the role 'application status': type the "
                       "values that mark an application still open (e.g. Active), one per "
                       "line, or set the column to 'not used'.", field="in_process")
    option = {columns[0]: list(values)}
    try:
        leave_out_open(to_narwhals(frame), option)
    except FairhireError as exc:
        raise CLIError(str(exc), field="in_process") from None
    return option


def open_notes(sections: Sequence[Mapping[str, Any]], min_cell: int | None) -> list[dict]:
    """For each report section that left open applications out: its title, how many, as its
    row account reports them (None where ``min_cell`` withholds the count), and a sentence.

    >>> open_notes([{"title": "Funnel", "rows": {"excluded": {"still in process": 565}}},
    ...             {"title": "Pay", "rows": {"excluded": {}}}], None)[0]["text"]
    'Funnel: 565 applications still in process were left out before counting (no decision yet).'
    """
    out = []
    for section in sections:
        excluded = (section.get("rows") or {}).get("excluded") or {}
        if IN_PROCESS not in excluded:
            continue
        n = excluded[IN_PROCESS]
        count = (format_counted(n, "application", "applications") if n is not None
                 else f"fewer than {min_cell} applications")
        out.append({"section": section.get("title"), "rows": n,
                    "text": f"{section.get('title')}: {count} still in process were left out "
                            "before counting (no decision yet)."})
    return out
