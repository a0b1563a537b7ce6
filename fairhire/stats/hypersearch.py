"""The boundary search of Fisher's two-sided test: where the log pmf of a hypergeometric
distribution crosses a level, and the decisions it takes on the way.

The two-sided p-value sums the tail beyond the point on the other side of the mode whose log
pmf is at most the observed table's (:meth:`BoundarySearch.boundary`). Each step of the search
asks one question, "is log pmf(y) ≤ level?", and the point found is defined by
:meth:`~fairhire.stats.hypergeometric.Hypergeometric.log_pmf1`'s answers (Loader's method,
~9 µs a point in Python). :meth:`BoundarySearch._test` gives that answer from a log-gamma
value (``math.lgamma``, ~1 µs) when the two cannot differ: up to a population of 2²⁰ each
log-gamma value is within a few ulps of the exact one (below 4e-9 at 2²⁰), and with the
constant and the sums the rough log pmf is within 1e-7 of the exact one, as Loader's is
within far less; further than :data:`_MARGIN` from the level, both give the same answer.
Nearer, or for larger populations, log_pmf1 answers as before. The values that enter a sum
(the observed point, the boundary found) are always log_pmf1's.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["BoundarySearch"]

#: Points before the guess that _table_bracket reads in one run of the log pmf (and twice as
#: many after it: the first chunk of the tail beyond the boundary comes from the same run).
_WINDOW = 128
#: A rough log pmf this far from a level answers "≤ level" as log_pmf1 would: a hundred
#: times the error bound of the rough value (see the module docstring).
_MARGIN = 1e-5
#: Populations up to this size have rough log pmf values (the log-gamma bound above).
_ROUGH_LIMIT = 2**20


class BoundarySearch:
    """The boundary search of :class:`~fairhire.stats.hypergeometric.Hypergeometric` (a
    mixin: it reads the distribution's bounds, its log pmf and its cached run)."""

    total: int
    successes: int
    draws: int
    lo: int
    hi: int
    _single: bool
    _memo: dict[float, float]
    _window: tuple[int, int, np.ndarray] | None
    _margins: tuple[float, float] | None

    def log_pmf1(self, x: float) -> float:  # the distribution's
        raise NotImplementedError

    def _log_pmf_run(self, start: int, count: int, step: int) -> np.ndarray:
        raise NotImplementedError

    def _log_comb_total(self) -> float:
        raise NotImplementedError

    def _test(self, y: int, test: Callable[[float], bool]) -> bool:
        """``test(log_pmf1(y))`` for a ``test`` monotone in the value (``v <= level``): from
        log_pmf1's value when it is known, else from the rough value when ``test`` gives the
        same answer on both sides of it (±:data:`_MARGIN`), else from log_pmf1."""
        found = self._memo.get(float(y))
        if found is None:
            rough = self._rough1(y)
            if rough is not None:
                answer = test(rough - _MARGIN)
                if answer == test(rough + _MARGIN):
                    return answer
            found = self.log_pmf1(y)
        return test(found)

    def _rough1(self, y: int) -> float | None:
        """log P(X = y) from ``math.lgamma`` (within 1e-7 of the exact value), for populations
        up to 2²⁰ and y in the support; None otherwise."""
        if self.total > _ROUGH_LIMIT or self._single or not self.lo <= y <= self.hi:
            return None
        comb = float(self._log_comb_total())  # and the margins
        log_k, log_rest = self._margins
        lg, k, n = math.lgamma, self.successes, self.draws
        rest = self.total - k
        return (
            float(log_k) - lg(y + 1) - lg(k - y + 1)
            + (float(log_rest) - lg(n - y + 1) - lg(rest - n + y + 1))
            - comb
        )

    def boundary(
        self, level: float, start: int, end: int, guess: int | None = None
    ) -> int | None:
        """The point nearest ``start``, going towards ``end`` (away from the mode), whose log
        pmf is at most ``level``; None when there is none.

        The log pmf falls monotonically from ``start`` to ``end`` (the distribution is
        log-concave), so the point is where "log pmf ≤ level" turns true, and any search that
        keeps it false inside and true outside finds the same point. With a ``guess`` (e.g. the
        mirror image of the observed table about the mode) the search gallops from it to a
        narrow bracket first: a dozen evaluations instead of a bisection of the whole range.
        """
        inside, outside = start, end
        if guess is not None and start != end and self._test(start, lambda v: v > level):
            inside, outside = self._table_bracket(level, inside, outside, guess)
        # a point found at or below the level makes the end one too (the log pmf falls)
        if outside == end and self._test(end, lambda v: v > level):
            return None
        if self._test(inside, lambda v: v <= level):
            return inside
        if guess is not None:
            inside, outside = self._bracket(level, inside, outside, guess)
        while abs(outside - inside) > 1:  # log pmf(inside) > level >= log pmf(outside)
            mid = (inside + outside) // 2
            if self._test(mid, lambda v: v <= level):
                outside = mid
            else:
                inside = mid
        return outside

    def _table_bracket(
        self, level: float, inside: int, outside: int, guess: int
    ) -> tuple[int, int]:
        """Narrow (inside, outside) to neighbours where the log pmf crosses ``level``, found in
        one vectorised run of the log pmf from :data:`_WINDOW` points before ``guess`` to twice
        as many after it, and then confirmed by :meth:`log_pmf1` on each side.

        The run (log-gamma differences) only suggests the point: the bracket moves only on
        :meth:`log_pmf1`'s values, as the gallop's does, so the point found is the same. Two
        evaluations instead of the gallop's and bisection's half dozen to a dozen.
        """
        step = 1 if outside > inside else -1
        dist, near = (outside - inside) * step, (guess - inside) * step
        first, last = max(1, near - _WINDOW), min(dist - 1, near + 2 * _WINDOW)
        if first > last:
            return inside, outside
        values = self._log_pmf_run(inside + step * first, last - first + 1, step)
        # kept: the tail beyond the point found starts with these values
        self._window = (inside + step * first, step, values)
        below = values <= level
        if not below.any():
            return inside, outside
        y = inside + step * (first + int(below.argmax()))  # strictly inside the bracket
        if self.log_pmf1(y) <= level:
            outside = y
            if y - step != inside and self._test(y - step, lambda v: v > level):
                inside = y - step
        else:
            inside = y
            if y + step != outside and self._test(y + step, lambda v: v <= level):
                outside = y + step
        return inside, outside

    def _bracket(self, level: float, inside: int, outside: int, guess: int) -> tuple[int, int]:
        """Narrow (inside, outside) around ``guess`` by galloping: steps of 1, 2, 4 ... from
        the guess until the predicate changes (it stays false at inside, true at outside)."""
        step = 1 if outside > inside else -1
        if not (guess - inside) * step > 0 < (outside - guess) * step:
            return inside, outside
        if self._test(guess, lambda v: v <= level):  # the guess is outside: look back towards inside
            outside, width = guess, 1
            while (outside - step * width - inside) * step > 0:
                probe = outside - step * width
                if self._test(probe, lambda v: v > level):
                    return probe, outside
                outside, width = probe, width * 2
            return inside, outside
        inside, width = guess, 1
        while (outside - inside - step * width) * step > 0:
            probe = inside + step * width
            if self._test(probe, lambda v: v <= level):
                return inside, probe
            inside, width = probe, width * 2
        return inside, outside
