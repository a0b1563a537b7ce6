"""Rows with a usable score, for the analyses that select on a score (LL144 scoring audits,
cut-off analyses).

A score must be numeric. Rows whose score is missing (None, NaN) or infinite (±inf: a score no
cut-off or median can place) are left out and counted, by reason (``"missing score"``,
``"infinite score"``), with a warning; ``missing_score="raise"`` makes a missing score an error
instead. The checks are one aggregate in the data's own engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw

from .._core.numbers import require_numeric
from .._frames import collect_pandas, schema, sum_true
from ..errors import InsufficientDataError, InvalidValueError

__all__ = ["ScoredRows", "scored_rows"]

MISSING_SCORE = "missing score"
INFINITE_SCORE = "infinite score"


@dataclass(frozen=True)
class ScoredRows:
    """The rows with a finite score (``frame``, still in the caller's engine) and the count of
    every row left out."""

    frame: Any
    score: str
    total: int
    missing: int
    infinite: int

    @property
    def used(self) -> int:
        return self.total - self.missing - self.infinite

    @property
    def excluded(self) -> dict[str, int]:
        out = {MISSING_SCORE: self.missing, INFINITE_SCORE: self.infinite}
        return {k: v for k, v in out.items() if v}

    def warnings(self) -> list[str]:
        out = []
        if self.missing:
            out.append(
                f"{self.missing:,} rows with a missing score in {self.score!r} were excluded "
                f"({MISSING_SCORE!r})."
            )
        if self.infinite:
            out.append(
                f"{self.infinite:,} rows with an infinite score (±inf) in {self.score!r} were "
                f"excluded ({INFINITE_SCORE!r}): no cut-off or median can place them. Check how "
                "the score was computed."
            )
        return out


def scored_rows(frame: Any, score: str, *, missing_score: str = "exclude") -> ScoredRows:
    """Check that ``score`` is numeric; leave out (and count) rows with a missing or infinite
    score."""
    require_numeric(frame, score, argument="score")
    dtype = schema(frame)[score]
    col = nw.col(score)
    missing = col.is_null()
    infinite = None
    if dtype.is_float():
        missing = missing | col.is_nan().fill_null(True)
        infinite = ((col == math.inf) | (col == -math.inf)).fill_null(False)
    checks = [nw.len().alias("n"), sum_true(missing, frame).alias("miss")]
    if infinite is not None:
        checks.append(sum_true(infinite, frame).alias("inf"))
    found = collect_pandas(frame.select(*checks)).iloc[0]
    n_rows, n_missing = int(found["n"]), int(found["miss"] or 0)
    n_inf = int(found["inf"] or 0) if infinite is not None else 0
    if n_missing and missing_score == "raise":
        raise InvalidValueError(
            f"score column {score!r} is missing in {n_missing:,} of {n_rows:,} rows. Fill or "
            "drop them, or pass missing_score='exclude' to leave them out and count them."
        )
    if n_rows and n_rows == n_missing + n_inf:
        raise InsufficientDataError(
            f"no row has a usable score in column {score!r} ({n_rows:,} rows: {n_missing:,} "
            f"missing, {n_inf:,} infinite)."
        )
    keep = ~missing if infinite is None else ~(missing | infinite)
    work = frame.filter(keep) if n_missing or n_inf else frame
    return ScoredRows(frame=work, score=score, total=n_rows, missing=n_missing, infinite=n_inf)
