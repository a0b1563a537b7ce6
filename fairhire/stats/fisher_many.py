"""Fisher's exact test for many 2×2 tables at once, with the one-table function's p-values.

:func:`fisher_exact_tests` gives, for arrays of comparisons (focal ``a`` selected of ``n``,
reference ``b`` of ``m``), what :func:`fairhire.stats.proportions.fisher_exact_test` gives for
each, bit for bit. A funnel by sex × race has a hundred comparisons; one call of the scalar
test costs tens of microseconds, mostly Python-level work per table.

Two-sided tables whose support is enumerated whole
(:data:`~fairhire.stats.hypergeometric.SMALL_SUPPORT`, populations up to 2²⁰, where the mass
function is read from the log-factorial table) are done here, in one loop: each support's
log pmf from four slices of the table, with the same floating-point operations as
:meth:`~fairhire.stats.hypergeometric.Hypergeometric.pmf_of_support`, and the same two sums
as :func:`~fairhire.stats.hypergeometric.two_sided_p`, without a distribution object, its
checks and its method calls per table. (Concatenating the supports into one numpy pass was
slower: a support has about 75 standard deviations of non-zero terms, a thousand or more
points, so the work is in the arrays, and indexing a concatenation costs more than slicing;
numpy's sums are pairwise, so each table's sums must stay separate calls to give the same
bits.) Every other table (one-sided tests, larger populations, wide supports) goes through
the scalar test.
"""

from __future__ import annotations

import numpy as np

from . import proportions as sp
from .hypergeometric import _GAMMALN_LIMIT, REL, SMALL_SUPPORT, _exp, support_runs
from .logterms import log_factorial_table

__all__ = ["fisher_exact_tests"]



def fisher_exact_tests(
    a: np.ndarray,
    n: np.ndarray,
    b: np.ndarray,
    m: np.ndarray,
    *,
    alternative: str = "two-sided",
    mid_p: bool = False,
) -> np.ndarray:
    """:func:`~fairhire.stats.proportions.fisher_exact_test` of every comparison (the counts
    as checked int64 arrays, or object arrays of Python ints): the same values.

    Examples
    --------
    >>> p = fisher_exact_tests(*(np.array([v]) for v in (12, 40, 48, 80)))
    >>> round(float(p[0]), 8)
    0.00340922
    """
    out = np.empty(len(a))
    together = _enumerated(a, n, b, m) if alternative == "two-sided" else None
    if together is not None and together.any():
        out[together] = _two_sided_small(
            a[together], n[together], b[together], m[together], mid_p=mid_p
        )
    alone = range(len(a)) if together is None else np.flatnonzero(~together).tolist()
    for i in alone:
        out[i] = sp.fisher_exact_test(
            int(a[i]), int(n[i]), int(b[i]), int(m[i]), alternative=alternative, mid_p=mid_p
        )
    return out


def _enumerated(a: np.ndarray, n: np.ndarray, b: np.ndarray, m: np.ndarray) -> np.ndarray | None:
    """The tables whose two-sided test enumerates the support from the log-factorial table
    (both groups non-empty, population up to 2²⁰, support of 2 to SMALL_SUPPORT + 1 points);
    None for counts held as Python integers."""
    if a.dtype == object:
        return None
    total, k = n + m, a + b
    lo, hi = np.maximum(0, n - (total - k)), np.minimum(k, n)
    return (n > 0) & (m > 0) & (total <= _GAMMALN_LIMIT) & (lo < hi) & (hi - lo <= SMALL_SUPPORT)


def _two_sided_small(
    a: np.ndarray, n: np.ndarray, b: np.ndarray, m: np.ndarray, *, mid_p: bool
) -> np.ndarray:
    """Two-sided p-values (mid-P with ``mid_p``) of tables whose supports are enumerated, as
    :func:`~fairhire.stats.hypergeometric.two_sided_p` computes them one by one (its
    ``pmf_of_support`` and sums), without a distribution object per table."""
    rows = zip(a.tolist(), n.tolist(), b.tolist(), m.tolist(), strict=True)
    tables = [(x, *support_runs(nn + mm, x + bb, nn)) for x, nn, bb, mm in rows]
    log_fact = log_factorial_table(
        (start, start + count - 1) if step > 0 else (start - count + 1, start)
        for *_, runs in tables
        for start, count, step in runs
    )
    share = 0.5 if mid_p else 1.0
    out = np.empty(len(tables))
    for i, (x, const, runs) in enumerate(tables):
        # pmf_of_support's four log-factorial runs, as slices (two of them read backwards)
        first, second, third, fourth = (_run(log_fact, *run) for run in runs)
        # const - (first + second + third + fourth), the same operations in one buffer
        logs = first + second
        logs += third
        logs += fourth
        pmf = _exp(np.subtract(const, logs, out=logs))
        p_obs = pmf[x - runs[0][0]]  # the first run starts at the support's lowest point
        low, high = p_obs / (1 + REL), p_obs * (1 + REL)
        more = pmf[pmf < low].sum()
        same = pmf[(pmf >= low) & (pmf <= high)].sum()
        out[i] = float(min(1.0, more + share * same))
    return out


def _run(table: np.ndarray, start: int, count: int, step: int) -> np.ndarray:
    """``table[start], table[start + step], …`` (``count`` values) as a slice."""
    if step > 0:
        return table[start : start + count]
    return table[start - count + 1 : start + 1][::-1]
