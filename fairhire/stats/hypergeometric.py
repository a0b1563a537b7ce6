"""The hypergeometric distribution behind Fisher's exact test, accurate at any size.

Fisher's exact test on the 2×2 table [[a, n−a], [b, m−b]] conditions on the margins: the focal
group's selections X follow a hypergeometric distribution (population N = n + m, K = a + b
selected, n drawn). Its p-values are sums of the probability mass function over tails.

Two things go wrong with the textbook way of computing them on large data, and this module
avoids both:

- **Enumerating the support.** With a million applicants per group the support has a million
  points, with 10¹² it has 10¹² (745 GiB of floats). Here a tail is summed from its boundary
  outwards, in chunks, until the remaining terms cannot change the sum in double precision:
  the work is a few standard deviations' worth of terms, not the support.
- **Cancellation.** ``log C(K, x)`` from ``gammaln`` differences loses about three digits at
  10¹² (the log-gamma values are near 3·10¹³). :func:`log_pmf` uses Loader's saddle-point
  formulas (the Stirling error and the deviance ``bd0``), as R's ``dhyper`` does, which stay
  accurate to about 1e-14 relative at any size (Loader 2000).

Above :data:`SIGMA_EXACT` (a standard deviation of 50,000: groups of about 10¹⁰ people) a tail
has too many terms to add one by one. Its sum is then the integral of the (smooth, log-concave)
mass function over the tail, extended by half a step, plus the first Euler–Maclaurin
correction (Gauss–Legendre quadrature on pieces of the tail); the error left is of the order
of the fourth power of the log-pmf's slope, far below 1e-10 relative at that size (the tests
check the switch against scipy at a σ of a few hundred, where it is already close). Below it, every term is summed exactly. Counts are Python integers of any size; above
2⁵³ they are rounded to the nearest double in the mass function (documented, not exact).

References
----------
Loader, C. (2000). Fast and accurate computation of binomial probabilities.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from .hypersearch import BoundarySearch
from .logterms import (
    log_comb,
    log_comb_run,
    log_comb_whole,
    log_dbinom,
    log_dbinom1,
    log_factorial_run,
)

__all__ = [
    "SIGMA_EXACT",
    "SMALL_SUPPORT",
    "Hypergeometric",
    "log_pmf",
    "log_pmf1",
    "support_runs",
    "two_sided_p",
]

#: Above this standard deviation, tails are integrated (midpoint rule) instead of summed.
SIGMA_EXACT = 50_000.0

#: scipy's tolerance for tables "as probable" as the one seen (two-sided Fisher).
REL = 1e-7
_TINY = 1e-17  # a term this small relative to the running sum cannot change it
#: A tail that starts below e^-790 has fewer than 2**64 terms, each below e^-790: it sums to 0.
_NEGLIGIBLE = -790.0
_CHUNK = 1 << 16
#: Supports up to this wide are enumerated whole (one vectorised pass, as scipy's definition).
SMALL_SUPPORT = 4096
#: Up to this population, log-gamma differences are accurate enough (and faster than Loader).
_GAMMALN_LIMIT = 2**20


#: exp of anything below this is 0 in double (e^-746 is under half the smallest subnormal,
#: 2^-1075). numpy's exp takes a slow path on such arguments and on subnormal results (10 to
#: 50 ns a point instead of 1), and most of a support's points are far in its tails.
_EXP_ZERO = -746.0


def _exp(x: np.ndarray) -> np.ndarray:
    """``np.exp(x)``, the same values, numpy's exp left out at the ends of ``x`` where the
    result is 0 anyway (a run of log pmf values: its far tails are at the ends)."""
    keep = ~(x < _EXP_ZERO)  # NaN is kept: it goes to np.exp as before
    first = int(keep.argmax())
    if not keep[first]:
        return np.zeros(x.shape)
    stop = len(x) - int(keep[::-1].argmax())
    if first == 0 and stop == len(x):
        return np.exp(x)
    out = np.zeros(x.shape)
    np.exp(x[first:stop], out=out[first:stop])
    return out


def log_pmf1(x: float, total: int, successes: int, draws: int) -> float:
    """:func:`log_pmf` at one point (a plain float).

    Examples
    --------
    >>> round(math.exp(log_pmf1(12, 120, 60, 40)), 10)
    0.0012669816
    """
    return Hypergeometric(total, successes, draws).log_pmf1(x)


def log_pmf(x: np.ndarray | float, total: int, successes: int, draws: int) -> np.ndarray:
    """log P(X = x) for X ~ Hypergeometric(population ``total``, ``successes``, ``draws``).

    Accurate at any size (Loader's method, as R's ``dhyper``); ``x`` may be real (the smooth
    extension used to integrate very wide tails). Outside the support the result is −inf.

    Examples
    --------
    >>> round(float(np.exp(log_pmf(12, 120, 60, 40)[0])), 10)  # UGESP Q&A 12 table
    0.0012669816
    """
    return Hypergeometric(total, successes, draws).log_pmf(x)


def support_runs(
    total: int, successes: int, draws: int
) -> tuple[float, tuple[tuple[int, int, int], ...]]:
    """The log pmf over the whole support of a population up to 2²⁰, as a constant and four
    log-factorial runs ``(start, count, step)``: log pmf = const − (run₁ + run₂ + run₃ + run₄),
    added in that order (:meth:`Hypergeometric.pmf_of_support`, and
    :mod:`~fairhire.stats.fisher_many` for many tables).

    Examples
    --------
    >>> const, runs = support_runs(120, 60, 40)
    >>> runs[0], runs[1]  # x = 0 … 40 and 60 − x
    ((0, 41, 1), (60, 41, -1))
    """
    k, n = successes, draws
    lo = max(0, n - (total - k))
    width = min(k, n) - lo + 1
    const = (
        math.lgamma(k + 1)
        + math.lgamma(total - k + 1)
        + math.lgamma(n + 1)
        + math.lgamma(total - n + 1)
        - math.lgamma(total + 1)
    )
    runs = ((lo, width, 1), (k - lo, width, -1), (n - lo, width, -1), (total - k - n + lo, width, 1))
    return const, runs


class Hypergeometric(BoundarySearch):
    """X ~ Hypergeometric(``total``, ``successes``, ``draws``) with exact-integer bounds.

    Examples
    --------
    >>> h = Hypergeometric(120, 60, 40)
    >>> (h.lo, h.hi, h.mode), round(h.cdf(12), 8)
    ((0, 40, 20), 0.00170461)
    """

    def __init__(self, total: int, successes: int, draws: int) -> None:
        self.total, self.successes, self.draws = int(total), int(successes), int(draws)
        self.lo = max(0, self.draws - (self.total - self.successes))
        self.hi = min(self.successes, self.draws)
        mode = (self.draws + 1) * (self.successes + 1) // (self.total + 2)
        self.mode = min(max(mode, self.lo), self.hi)
        t = float(self.total)
        var = 0.0
        if t > 1:
            var = self.draws * (self.successes / t) * (1 - self.successes / t)
            var *= (t - self.draws) / (t - 1)
        self.sigma = math.sqrt(max(var, 0.0))
        big_n, k, n = float(self.total), float(self.successes), float(self.draws)
        self._floats = (big_n, k, n)
        self._bounds = (max(0.0, n - (big_n - k)), min(k, n))
        # a single point carries all the mass
        self._single = n == 0 or n == big_n or k == 0 or k == big_n
        self._pq = (n / big_n, (big_n - n) / big_n) if not self._single else (0.0, 0.0)
        self._norm: float | None = None  # log P of the margins (Loader), when first needed
        self._comb: float | None = None  # its log-gamma form, when first needed
        self._rest = big_n - k  # N − K as log_comb_run's float argument
        self._margins: tuple[float, float] | None = None  # gammaln(K + 1), gammaln(N − K + 1)
        self._window: tuple[int, int, np.ndarray] | None = None  # the boundary search's run
        self._memo: dict[float, float] = {}  # log_pmf1 by point: tails and bisections reuse

    def _log_comb_total(self) -> float:
        """log C(N, n), the log-gamma form of the margins' probability, as :func:`log_comb`
        gives it; with gammaln(K + 1) and gammaln(N − K + 1) for the runs, in one call of
        gammaln (the same values: it is computed point by point)."""
        if self._comb is None:
            big_n, k, n = self._floats
            g = gammaln(np.array([big_n + 1, n + 1, (big_n - n) + 1, k + 1, self._rest + 1]))
            self._comb, self._margins = g[0] - g[1] - g[2], (g[3], g[4])
        return self._comb

    def _log_norm(self) -> float:
        if self._norm is None:
            big_n, _, n = self._floats
            self._norm = log_dbinom1(n, big_n, *self._pq)
        return self._norm

    def log_pmf(self, x: np.ndarray | float) -> np.ndarray:
        """log P(X = x) at the points ``x`` (see :func:`log_pmf`)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        big_n, k, n = self._floats
        lo, hi = self._bounds
        ok = (x >= lo) & (x <= hi)
        every = bool(ok.all())
        if not every and not ok.any():
            return np.full(x.shape, -np.inf)
        if self._single:
            return np.where(ok, 0.0, -np.inf)
        xs = x if every else x[ok]
        if big_n <= _GAMMALN_LIMIT:  # log-gamma differences lose < 1e-9 here, and are faster
            comb = log_comb_whole if (xs == np.floor(xs)).all() else log_comb
            values = comb(k, xs) + comb(big_n - k, n - xs) - self._log_comb_total()
        else:
            p, q = self._pq
            values = (
                log_dbinom(xs, k, p, q)
                + log_dbinom(n - xs, big_n - k, p, q)
                - self._log_norm()
            )
        if every:
            return values
        out = np.full(x.shape, -np.inf)
        out[ok] = values
        return out

    def _log_pmf_run(self, start: int, count: int, step: int) -> np.ndarray:
        """:meth:`log_pmf` at ``start, start + step, …`` inside the support: the same values,
        read as slices of the log-factorial table instead of indexed point by point.

        The two :func:`~fairhire.stats.logterms.log_comb_run` get their ``gammaln(K + 1)``
        and ``gammaln(N − K + 1)`` computed once per distribution: a run is read for every
        chunk of a tail and for every boundary search, and those two calls were a third of its
        time.
        """
        if self.total > _GAMMALN_LIMIT or self._single:
            return self.log_pmf(start + step * np.arange(count, dtype=float))
        if self._window is not None:  # inside the run a boundary search read: the same values
            origin, along, values = self._window
            at = (start - origin) * step
            if along == step and at >= 0 and at + count <= len(values):
                return values[at : at + count]
        comb = self._log_comb_total()  # and the margins
        log_k, log_rest = self._margins
        out = log_comb_run(self._floats[1], start, count, step, log_top=log_k)
        out += log_comb_run(self._rest, self.draws - start, count, -step, log_top=log_rest)
        out -= comb  # in place (the same values as a + b - comb)
        return out

    def log_pmf1(self, x: float) -> float:
        """log P(X = x) at one point (a plain float; Loader's method at any size)."""
        x = float(x)
        found = self._memo.get(x)
        if found is not None:
            return found
        lo, hi = self._bounds
        if not lo <= x <= hi:
            value = -math.inf
        elif self._single:
            value = 0.0
        else:
            big_n, k, n = self._floats
            p, q = self._pq
            value = (
                log_dbinom1(x, k, p, q)
                + log_dbinom1(n - x, big_n - k, p, q)
                - self._log_norm()
            )
        self._memo[x] = value
        return value

    def support_pmf(self) -> tuple[np.ndarray, np.ndarray]:
        """The whole support and its pmf (for supports up to :data:`SMALL_SUPPORT` wide)."""
        return np.arange(self.lo, self.hi + 1, dtype=float), self.pmf_of_support()

    def pmf_of_support(self) -> np.ndarray:
        """The pmf over the whole support, ``lo`` to ``hi`` (:meth:`support_pmf` without the
        support, which the tests do not need)."""
        if self.total > _GAMMALN_LIMIT:
            return _exp(self.log_pmf(np.arange(self.lo, self.hi + 1, dtype=float)))
        const, runs = support_runs(self.total, self.successes, self.draws)
        first, second, third, fourth = (log_factorial_run(*run) for run in runs)
        return _exp(const - (first + second + third + fourth))

    @property
    def small(self) -> bool:
        return self.hi - self.lo <= SMALL_SUPPORT

    # -- tails -----------------------------------------------------------------------------
    def _tail(self, start: int, step: int) -> float:
        """Σ P(X = y) for y from ``start`` outwards (step −1: down to lo, +1: up to hi)."""
        end = self.lo if step < 0 else self.hi
        if (start - end) * step > 0:
            return 0.0
        ref = self.log_pmf1(start)
        if ref < _NEGLIGIBLE:  # fewer than 2**64 terms below e^-790: the sum is 0 in double
            return 0.0
        if self.sigma > SIGMA_EXACT:
            rel = self._integrated_tail(start, step, ref)
        else:
            rel = self._summed_tail(start, step, end, ref)
        return math.exp(ref + math.log(rel)) if rel > 0 else 0.0

    def _summed_tail(self, start: int, step: int, end: int, ref: float) -> float:
        """Σ exp(log pmf − ref) term by term, in growing chunks, until the rest is negligible."""
        total, y0, chunk = 0.0, start, 256
        while True:
            count = min(chunk, abs(end - y0) + 1)
            terms = np.exp(self._log_pmf_run(y0, count, step) - ref)
            total += float(terms.sum())
            y0 += step * count
            if (y0 - end) * step > 0:
                return total
            last = float(terms[-1])
            ratio = float(terms[-1] / terms[-2]) if count > 1 and terms[-2] > 0 else 0.0
            # log-concave: the remaining terms shrink at least geometrically with this ratio
            if ratio < 1 and last * ratio / (1 - ratio) <= _TINY * total:
                return total
            chunk = min(chunk * 4, _CHUNK)

    def _integrated_tail(self, start: int, step: int, ref: float) -> float:
        """The tail as ∫ exp(log pmf(t) − ref) dt from start − step/2 outwards (midpoint rule).

        The integrand is smooth and log-concave; its scale is the smaller of σ and the inverse
        of its slope at the boundary. It is integrated out to where it falls below e^-60 with
        20-point Gauss–Legendre rules on pieces of half that scale (one vectorised call).
        """
        edge = start - 0.5 * step
        limit = self.lo - 0.5 if step < 0 else self.hi + 0.5
        slope = ref - self.log_pmf1(start + step)  # > 0: the terms fall moving outwards
        scale = min(self.sigma, 1.0 / slope) if slope > 0 else self.sigma
        reach = scale
        while True:  # find where the integrand is below e^-60 of its value at the boundary
            far = edge + step * reach
            if (far - limit) * step >= 0:
                far = limit
                break
            if self.log_pmf1(far) - ref < -60:
                break
            reach *= 2
        pieces = max(1, math.ceil(abs(far - edge) / (0.5 * scale)))
        nodes, weights = np.polynomial.legendre.leggauss(20)
        bounds = edge + (far - edge) * np.arange(pieces + 1) / pieces
        half = np.diff(bounds) / 2
        ts = (bounds[:-1] + half)[:, None] + half[:, None] * nodes[None, :]
        values = np.exp(self.log_pmf(ts.ravel()).reshape(ts.shape) - ref)
        integral = float(abs((values * weights[None, :] * half[:, None]).sum()))
        # Euler-Maclaurin (midpoint form): the sum is the integral plus f'(edge)/24, with the
        # derivative taken outwards (negative: the terms fall)
        at_edge = math.exp(self.log_pmf1(edge) - ref)
        return integral - at_edge * max(slope, 0.0) / 24

    def cdf(self, x: int) -> float:
        """P(X ≤ x)."""
        if x < self.lo:
            return 0.0
        if x >= self.hi:
            return 1.0
        if self.small:
            pmf = self.pmf_of_support()
            return float(min(1.0, pmf[: x - self.lo + 1].sum()))
        if x <= self.mode:
            return min(1.0, self._tail(x, -1))
        return max(0.0, 1.0 - self._tail(x + 1, +1))

    def sf(self, x: int) -> float:
        """P(X > x)."""
        if x < self.lo:
            return 1.0
        if x >= self.hi:
            return 0.0
        if self.small:
            pmf = self.pmf_of_support()
            return float(min(1.0, pmf[x - self.lo + 1 :].sum()))
        if x + 1 >= self.mode:
            return min(1.0, self._tail(x + 1, +1))
        return max(0.0, 1.0 - self._tail(x, -1))


def two_sided_p(h: Hypergeometric, x: int, *, mid_p: bool = False, rel: float = REL) -> float:
    """Two-sided Fisher p-value: the probability of tables no more probable than the one seen.

    Tables within a relative ``rel`` of the observed probability count as equally probable
    (half each for Lancaster's mid-P), as in scipy. Only the tails are summed (see the module
    docstring), never the whole support.
    """
    if h.lo == h.hi:
        return 1.0
    if h.small:
        pmf = h.pmf_of_support()
        p_obs = pmf[x - h.lo]
        more = pmf[pmf < p_obs / (1 + rel)].sum()
        same = pmf[(pmf >= p_obs / (1 + rel)) & (pmf <= p_obs * (1 + rel))].sum()
        return float(min(1.0, more + (0.5 if mid_p else 1.0) * same))
    lx = h.log_pmf1(x)
    tol = math.log1p(rel)
    if not mid_p and h._test(h.mode, lambda v: lx >= v - tol):
        return 1.0
    if lx + tol < _NEGLIGIBLE:
        # every table counted is at most as probable as this one, and a tail starting below
        # e^_NEGLIGIBLE sums to 0 in double (see _tail): both tails, and the mid-P half, are
        # 0. Found without the search for the other tail's boundary.
        return 0.0
    if x < h.mode:  # this tail: x and below; the other: above x, from the mode up
        p = h.cdf(x)
        other = h.boundary(lx + tol, max(h.mode, x + 1), h.hi, guess=2 * h.mode - x)
        outward = +1
    else:
        p = h.sf(x - 1)
        other = (
            h.boundary(lx + tol, min(h.mode, x - 1), h.lo, guess=2 * h.mode - x)
            if x > h.lo
            else None
        )
        outward = -1
    if other is not None:
        p += h.sf(other - 1) if outward > 0 else h.cdf(other)
    if mid_p:
        same = [x] + (
            [y for y in (other, other + outward) if h.lo <= y <= h.hi] if other is not None else []
        )
        p -= 0.5 * sum(math.exp(h.log_pmf1(y)) for y in same if abs(h.log_pmf1(y) - lx) <= tol)
    return float(min(1.0, max(0.0, p)))
