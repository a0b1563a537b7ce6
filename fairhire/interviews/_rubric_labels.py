"""Rubric criteria written as rating labels ("Strong Yes", "3 - Meets"), read as scale points.

The labels of each criterion that is not numeric are read by the core's rule
(:func:`fairhire._core.ratings.read_rating_labels`: ``order=``, labels that carry their point,
or a well-known scorecard scale), so :func:`fairhire.rubric_consistency` computes on the same
numbers as on a column the user mapped by hand. A criterion none of them reads is the core's
"must hold numbers" error, whose fix says to pass ``order=``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._core.numbers import require_numeric
from .._core.ratings import read_rating_labels, scale_hint
from .._frames import Frame, group_counts, objects_as_numbers, schema
from ._common import map_hint

__all__ = ["label_points", "scores_from_labels"]


def label_points(frame: Frame, crits: Sequence[str], order: Sequence[Any] | None,
                 warnings: list[str]) -> dict[str, dict[Any, int | float]]:
    """For each criterion that is not numeric, its labels' scale points (label -> point);
    the notes of the scales used go to ``warnings``. Raises the core's error when no rule
    reads a criterion's labels."""
    types = schema(frame)
    points: dict[str, dict[Any, int | float]] = {}
    for c in crits:
        if types[c].is_numeric() and types[c] != nw.Boolean:
            continue
        labels = group_counts(frame, [c], count_name="__fh_n")[c].tolist()
        reading = (None if types[c] == nw.Boolean
                   else read_rating_labels(labels, column=c, order=order))
        if reading is None:
            require_numeric(frame, c, argument="criteria",
                            fix=f"{scale_hint(labels)}. Or {map_hint(c)}")
            continue  # pragma: no cover - require_numeric raises for a column not numeric
        points[c] = reading.points
        if reading.note:
            warnings.append(reading.note)
    if order is not None and not points:
        warnings.append("order= was not used: every criterion holds numbers, read as they are.")
    return points


def scores_from_labels(df: pd.DataFrame, points: Mapping[str, Mapping[Any, int | float]]
                       ) -> pd.DataFrame:
    """``df`` (the collected copy) with each labelled criterion as its scale points: int64
    when every row is rated, as a hand-mapped column is, else float64 (a label that means
    "not rated" and a blank cell are missing)."""
    if not points:
        return df
    return df.assign(**{c: _as_points(df[c], p) for c, p in points.items()})


def _as_points(labels: pd.Series, points: Mapping[Any, int | float]) -> pd.Series:
    read = objects_as_numbers(labels.map(lambda v: points.get(v)).astype(object))
    return read.astype(float) if read.dtype == object else read  # nothing rated: all missing
