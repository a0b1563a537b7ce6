"""Loader's terms for binomial and hypergeometric log-probabilities, accurate at any size.

``stirlerr`` (the error of Stirling's formula), ``bd0`` (the deviance ``x log(x/m) + m − x``
without cancellation) and ``log_dbinom`` (the log binomial pmf) are Loader's (2000) saddle-point
formulas, as in R's ``dbinom``/``dhyper``; each has a scalar twin (``…1``, plain floats) for
one point. ``log_comb`` is the log binomial coefficient from log-gamma differences, and
``log_factorial`` reads ``gammaln(x + 1)`` for whole numbers from a table of the same gammaln
values. :mod:`fairhire.stats.hypergeometric` builds Fisher's exact test on them.

References
----------
Loader, C. (2000). Fast and accurate computation of binomial probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy.special import gammaln

__all__ = [
    "bd0",
    "bd01",
    "log_comb",
    "log_comb_run",
    "log_comb_whole",
    "log_dbinom",
    "log_dbinom1",
    "log_factorial",
    "log_factorial_run",
    "log_factorial_table",
    "stirlerr",
    "stirlerr1",
]

LN_2PI = math.log(2 * math.pi)
_LN_SQRT_2PI = 0.5 * LN_2PI


def log_comb(n: float | np.ndarray, r: np.ndarray) -> np.ndarray:
    """log C(n, r) from log-gamma differences (real n, r).

    Examples
    --------
    >>> round(float(log_comb(10.0, np.array([3.0]))[0]), 6)  # log 120
    4.787492
    """
    return gammaln(np.add(n, 1)) - gammaln(np.add(r, 1)) - gammaln(np.subtract(n, r) + 1)


#: ``gammaln(i + 1)`` for i = 0 … 2²⁰, filled a block of _STEP values when first read (so a
#: process pays only for the blocks its tables touch).
_STEP = 1 << 12
_SHIFT = 12  # log2(_STEP)
_LIMIT = (1 << 20) + 1
_TABLE = np.empty(0)
#: Bit b set: block b of the table is filled. A Python int: a test of a run's blocks is one
#: shift and mask, where reading a numpy array of flags block by block cost more than the
#: slice the run reads (a Fisher test reads a dozen runs).
_FILLED = 0


def log_factorial(x: np.ndarray) -> np.ndarray:
    """``gammaln(x + 1)`` for whole numbers 0 ≤ x held as floats, read from a table of the very
    same gammaln values up to 2²⁰ (gammaln costs ~30 ns a call; a lookup ~1 ns).

    Examples
    --------
    >>> log_factorial(np.array([0.0, 1.0, 4.0])).round(6).tolist()  # log 24 last
    [0.0, 0.0, 3.178054]
    """
    index = x.astype(np.intp)
    if not index.size:
        return np.zeros(index.shape)
    low, high = int(index.min()), int(index.max())
    if high >= _LIMIT:
        return gammaln(x + 1)
    # the arguments are runs of whole numbers: they touch a few neighbouring blocks
    blocks = None if high // _STEP - low // _STEP < 4 else np.unique(index // _STEP).tolist()
    return _filled(low, high, blocks)[index]


def log_factorial_run(start: int, count: int, step: int) -> np.ndarray:
    """:func:`log_factorial` at ``start, start + step, …`` (``count`` points, ``step`` ±1) as
    a slice of the table: the same values without building and indexing an array of points.

    Examples
    --------
    >>> x = np.arange(10.0, 4.0, -1.0)
    >>> bool((log_factorial_run(10, 6, -1) == log_factorial(x)).all())
    True
    """
    if count <= 0:
        return np.zeros(0)
    low, high = (start, start + count - 1) if step > 0 else (start - count + 1, start)
    if low < 0 or high >= _LIMIT:
        return log_factorial(start + step * np.arange(count, dtype=float))
    table = _filled(low, high, None)
    return table[low : high + 1] if step > 0 else table[high : (low - 1 if low else None) : -1]


def log_factorial_table(runs: Iterable[tuple[int, int]]) -> np.ndarray:
    """The table behind :func:`log_factorial` (``table[i]`` is ``gammaln(i + 1)``), with every
    block that the ranges ``(low, high)`` (0 ≤ low ≤ high ≤ 2²⁰) touch filled: for a caller
    that reads many runs (one per table of a batch) as slices.

    Examples
    --------
    >>> table = log_factorial_table([(3, 10)])
    >>> bool((table[3:11] == log_factorial_run(3, 8, 1)).all())
    True
    """
    blocks = {b for low, high in runs for b in range(low // _STEP, high // _STEP + 1)}
    return _filled(0, -1, sorted(blocks))


def _filled(low: int, high: int, blocks: list[int] | None) -> np.ndarray:
    """The table, with every block from ``low`` to ``high`` (or the listed ``blocks``) filled."""
    global _TABLE, _FILLED
    if blocks is None:
        first, last = low >> _SHIFT, high >> _SHIFT
        wanted = ((1 << (last - first + 1)) - 1) << first
        if _FILLED & wanted == wanted:  # the usual case: nothing to fill
            return _TABLE
        blocks = range(first, last + 1)
    if not _TABLE.size:
        _TABLE = np.empty(-(-_LIMIT // _STEP) * _STEP)
    for block in blocks:
        if not _FILLED >> block & 1:
            start = block * _STEP
            _TABLE[start : start + _STEP] = gammaln(np.arange(start, start + _STEP, dtype=float) + 1)
            _FILLED |= 1 << block
    return _TABLE


def log_comb_run(
    n: float, start: int, count: int, step: int, log_top: float | None = None
) -> np.ndarray:
    """:func:`log_comb_whole` at ``r = start, start + step, …`` (``count`` points, ``step``
    ±1), from slices of the table: the same values. ``log_top`` is ``gammaln(n + 1)`` when
    the caller already has it (a distribution reads many runs of the same ``n``).

    Examples
    --------
    >>> r = np.arange(3.0, 8.0)
    >>> bool((log_comb_run(10.0, 3, 5, 1) == log_comb_whole(10.0, r)).all())
    True
    >>> bool((log_comb_run(10.0, 3, 5, 1, log_top=gammaln(11.0)) == log_comb_whole(10.0, r)).all())
    True
    """
    out = (gammaln(np.add(n, 1)) if log_top is None else log_top) - log_factorial_run(
        start, count, step
    )
    out -= log_factorial_run(int(n) - start, count, -step)  # in place: the same values
    return out


def log_comb_whole(n: float, r: np.ndarray) -> np.ndarray:
    """:func:`log_comb` for whole numbers ``0 ≤ r ≤ n ≤ 2²⁰`` (the same values).

    Examples
    --------
    >>> bool(log_comb_whole(10.0, np.array([3.0]))[0] == log_comb(10.0, np.array([3.0]))[0])
    True
    """
    return gammaln(np.add(n, 1)) - log_factorial(r) - log_factorial(np.subtract(n, r))


def stirlerr(n: np.ndarray) -> np.ndarray:
    """log(n!) − log(√(2π n) (n/e)^n): the error of Stirling's formula (n ≥ 0, real).

    Examples
    --------
    >>> stirlerr(np.array([1.0, 1000.0])).round(8).tolist()
    [0.08106147, 8.333e-05]
    """
    n = np.asarray(n, dtype=float)
    s0, s1 = 1 / 12, 1 / 360
    if n.size and n.min() > 500:  # the usual case for large counts: one term is enough
        return (s0 - s1 / (n * n)) / n
    out = np.empty_like(n)
    small = n <= 15
    if small.any():
        s = n[small]
        with np.errstate(divide="ignore", invalid="ignore"):
            val = gammaln(s + 1) - (s + 0.5) * np.log(s) + s - _LN_SQRT_2PI
        out[small] = np.where(s == 0, 0.0, val)
    big = ~small
    if big.any():
        b = n[big]
        nn = b * b
        s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
        if b.min() > 500:  # the usual case for large counts: one term is enough
            out[big] = (s0 - s1 / nn) / b
            return out
        out[big] = np.select(
            [b > 500, b > 80, b > 35],
            [
                (s0 - s1 / nn) / b,
                (s0 - (s1 - s2 / nn) / nn) / b,
                (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / b,
            ],
            (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / b,
        )
    return out


def bd0(x: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """x log(x / mean) + mean − x, without cancellation when x is close to mean.

    Examples
    --------
    >>> bd0(np.array([100.0, 150.0]), 120.0).round(6).tolist()
    [1.767844, 3.471533]
    """
    x = np.atleast_1d(np.asarray(x, float))
    mean = np.asarray(mean, float)
    if mean.ndim:
        x, mean = np.broadcast_arrays(x, mean)
    close = np.abs(x - mean) < 0.1 * (x + mean)
    every = bool(close.all())  # the usual case in a tail: every point is within 10% of mean
    out = np.empty_like(x) if every else _bd0_far(x, mean)
    if every or close.any():
        xc = x if every else x[close]
        mc = mean[close] if mean.ndim and not every else mean
        v = (xc - mc) / (xc + mc)
        s = (xc - mc) * v
        ej = 2 * xc * v
        v2 = v * v
        for j in range(1, 1000):
            ej *= v2
            s_next = s + ej / (2 * j + 1)
            if (s_next == s).all():
                break
            s = s_next
        if every:
            return s
        out[close] = s
    return out


def _bd0_far(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * np.log(x / mean) + mean - x


def log_dbinom(x: np.ndarray, n: float, p: float, q: float) -> np.ndarray:
    """log of the binomial pmf at x (R's ``dbinom_raw``), for 0 < p < 1, real 0 ≤ x ≤ n.

    Examples
    --------
    >>> round(math.exp(float(log_dbinom(np.array([3.0]), 10.0, 0.5, 0.5)[0])), 8)  # 120/1024
    0.1171875
    """
    x = np.asarray(x, dtype=float)
    at0, atn = x == 0, x == n
    if not (at0.any() or atn.any()):  # the usual case: no end point, no masks
        return _log_dbinom_inner(x, n, p, q)
    out = np.empty_like(x)
    inner = ~(at0 | atn)
    if at0.any():
        out[at0] = log_dbinom1(0.0, n, p, q)
    if atn.any():
        out[atn] = log_dbinom1(n, n, p, q)
    if inner.any():
        out[inner] = _log_dbinom_inner(x[inner], n, p, q)
    return out


def _log_dbinom_inner(xi: np.ndarray, n: float, p: float, q: float) -> np.ndarray:
    """:func:`log_dbinom` at points strictly between 0 and n."""
    lc = stirlerr1(n) - stirlerr(xi) - stirlerr(n - xi) - bd0(xi, n * p) - bd0(n - xi, n * q)
    lf = LN_2PI + np.log(xi) + np.log1p(-xi / n)
    return lc - 0.5 * lf


def stirlerr1(n: float) -> float:
    """:func:`stirlerr` for one number (plain floats: numpy costs more than it saves here).

    Examples
    --------
    >>> round(stirlerr1(1000.0), 8)
    8.333e-05
    """
    if n <= 15:
        return 0.0 if n == 0 else math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - _LN_SQRT_2PI
    nn = n * n
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    if n > 500:
        return (s0 - s1 / nn) / n
    if n > 80:
        return (s0 - (s1 - s2 / nn) / nn) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n


def bd01(x: float, mean: float) -> float:
    """:func:`bd0` for one pair of numbers.

    Examples
    --------
    >>> round(bd01(100.0, 120.0), 6)
    1.767844
    """
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        s = (x - mean) * v
        ej, v2 = 2 * x * v, v * v
        for j in range(1, 1000):
            ej *= v2
            s_next = s + ej / (2 * j + 1)
            if s_next == s:
                break
            s = s_next
        return s
    return x * math.log(x / mean) + mean - x


def log_dbinom1(x: float, n: float, p: float, q: float) -> float:
    """:func:`log_dbinom` for one x.

    Examples
    --------
    >>> round(math.exp(log_dbinom1(3.0, 10.0, 0.5, 0.5)), 8)
    0.1171875
    """
    if x == 0:
        return (-bd01(n, n * q) - n * p) if p < 0.1 else n * math.log(q)
    if x == n:
        return (-bd01(n, n * p) - n * q) if q < 0.1 else n * math.log(p)
    lc = stirlerr1(n) - stirlerr1(x) - stirlerr1(n - x) - bd01(x, n * p) - bd01(n - x, n * q)
    return lc - 0.5 * (LN_2PI + math.log(x) + math.log1p(-x / n))
