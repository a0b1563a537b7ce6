"""Aalen–Johansen cumulative incidence against lifelines and against exact identities.

Reference values: lifelines 0.30.3 ``AalenJohansenFitter(calculate_variance=True)`` on the 40
observations below (no tied times, so lifelines does not jitter), cause 1 and cause 2 at
t = 2, 5, 10, 20: the estimate, ``sqrt(variance_)`` and the 95% band. lifelines requires
pandas < 3, so it is not a test dependency; the values were computed in a separate environment
with this script:

    rng = np.random.default_rng(20); n = 40
    t = np.round(rng.exponential(10, n), 3); u = rng.random(n)
    e = np.where(u < 0.45, 1, np.where(u < 0.75, 2, 0))
    AalenJohansenFitter(calculate_variance=True).fit(t, e, event_of_interest=k)
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhire.errors import InsufficientDataError, InvalidParameterError
from fairhire.stats.competing import aalen_johansen, cumulative_incidence
from fairhire.stats.survival import kaplan_meier

T = [2.146, 5.319, 1.338, 6.028, 1.521, 0.96, 0.692, 6.562, 8.434, 8.294, 7.452, 7.174, 1.127,
     0.865, 12.404, 23.551, 0.047, 2.043, 3.215, 7.244, 1.901, 14.7, 3.634, 9.023, 42.546,
     7.236, 4.6, 24.695, 0.766, 6.377, 2.519, 5.279, 16.179, 20.113, 24.586, 26.473, 2.671,
     27.548, 2.285, 16.803]  # fmt: skip
CODES = [1, 0, 1, 1, 2, 2, 1, 0, 1, 1, 1, 1, 1, 1, 2, 1, 0, 1, 2, 1, 1, 0, 0, 2, 1, 1, 2, 1,
         2, 1, 1, 2, 1, 0, 1, 2, 1, 0, 1, 1]  # fmt: skip
EVENT = [int(c > 0) for c in CODES]

# cause, t: (estimate, standard error, 95% low, 95% high) from lifelines 0.30.3
LIFELINES = {
    (1, 2.0): (0.1282051282051282, 0.05353373566291199, 0.046908252851045176, 0.2518064880487555),
    (1, 5.0): (0.25641025641025644, 0.06992010767203376, 0.13324352102517345, 0.39892922647811874),
    (1, 10.0): (0.4895875729209063, 0.08323772330632052, 0.32020376916911164, 0.6389671075673252),
    (1, 20.0): (0.5552226694202004, 0.08403499279105829, 0.3775167993221366, 0.7009011596084201),
    (2, 2.0): (0.07692307692307693, 0.042669245863479165, 0.019863493191837087,
               0.18659950554689037),
    (2, 5.0): (0.12927350427350429, 0.053977294992874854, 0.047260906177993535,
               0.2537690572340113),
    (2, 10.0): (0.1855186994075883, 0.06348697544367979, 0.08139136980436328, 0.32261029997309876),
    (2, 20.0): (0.21505449283227063, 0.06765098516546758, 0.10071743206114392,
                0.35737249321360026),
}  # fmt: skip


@pytest.mark.parametrize(("cause", "time"), sorted(LIFELINES))
def test_matches_lifelines(cause, time):
    est, se, low, high = LIFELINES[(cause, time)]
    r = aalen_johansen(T, EVENT, CODES, of=cause)
    i = int((r.time <= time).sum()) - 1
    assert r.at(time)[0] == pytest.approx(est, rel=1e-12)
    assert r.std_err[i] == pytest.approx(se, rel=1e-10)
    lo, hi = r.ci_at(time)
    assert lo[0] == pytest.approx(low, rel=1e-10)
    assert hi[0] == pytest.approx(high, rel=1e-10)


def _tied_data(seed=3, n=300):
    rng = np.random.default_rng(seed)
    t = np.ceil(rng.exponential(20, n))  # whole months: many ties across causes
    e = (rng.random(n) < 0.7).astype(int)
    c = np.where(e == 1, rng.choice(["voluntary", "involuntary", "other"], n, p=[.6, .3, .1]), None)
    return t, e, c


def test_causes_add_up_to_one_minus_km_with_ties():
    t, e, c = _tied_data()
    cif = cumulative_incidence(t, e, c)
    km = kaplan_meier(t, e)
    total = sum(r.at(km.time) for r in cif.values())
    np.testing.assert_allclose(total, 1 - km.survival, atol=1e-12)


def test_one_cause_equals_one_minus_km():
    t, e, _ = _tied_data(seed=5)
    r = aalen_johansen(t, e, np.where(e == 1, "quit", None), of="quit")
    km = kaplan_meier(t, e)
    np.testing.assert_allclose(r.incidence, 1 - km.survival, atol=1e-12)


def test_one_minus_km_overstates_under_competing_risks():
    t, e, c = _tied_data(seed=7)
    r = aalen_johansen(t, e, c, of="involuntary")
    naive = 1 - kaplan_meier(t, (e == 1) & (c == "involuntary")).survival
    assert (naive >= r.incidence - 1e-12).all()
    assert naive[-1] > r.incidence[-1] + 0.01


def test_band_inside_unit_interval_and_contains_estimate():
    t, e, c = _tied_data(seed=11, n=80)
    for r in cumulative_incidence(t, e, c).values():
        assert ((0 <= r.ci_low) & (r.ci_low <= r.incidence + 1e-12)).all()
        assert ((r.incidence - 1e-12 <= r.ci_high) & (r.ci_high <= 1)).all()
        assert r.n == 80


def test_everyone_leaves_at_the_last_time():
    r = aalen_johansen([1, 2, 3, 3], [1, 1, 1, 1], ["a", "b", "a", "b"], of="a")
    assert r.incidence[-1] == pytest.approx(0.5)
    assert np.isfinite(r.std_err).all()
    assert r.survival[-1] == 0


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match="no cause"):
        aalen_johansen([1, 2], [1, 1], ["a", None], of="a")
    with pytest.raises(InvalidParameterError, match="same length"):
        aalen_johansen([1, 2], [1, 1], ["a"], of="a")
    with pytest.raises(InvalidParameterError, match="confidence"):
        aalen_johansen([1, 2], [1, 1], ["a", "a"], of="a", confidence=1.5)
    with pytest.raises(InsufficientDataError, match="no exits"):
        cumulative_incidence([1, 2], [0, 0], [None, None])
    with pytest.raises(InvalidParameterError, match="non-negative"):
        aalen_johansen([-1, 2], [1, 1], ["a", "a"], of="a")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 30), st.booleans(), st.sampled_from("xyz")),
             min_size=1, max_size=40),
    st.randoms(use_true_random=False),
)
def test_relabelling_and_reordering_change_nothing(rows, rnd):
    t = [r[0] for r in rows]
    e = [int(r[1]) for r in rows]
    c = [r[2] if r[1] else None for r in rows]
    if not any(e):
        return
    base = cumulative_incidence(t, e, c)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    rename = {"x": "quit", "y": "fired", "z": "retired"}
    moved = cumulative_incidence([t[i] for i in order], [e[i] for i in order],
                                 [rename.get(c[i]) if c[i] else None for i in order])
    for k, r in base.items():
        other = moved[rename[k]]
        np.testing.assert_allclose(r.incidence, other.incidence, atol=1e-12)
        np.testing.assert_allclose(r.std_err, other.std_err, atol=1e-12)
    # counts conserved: every exit is counted under exactly one cause
    assert sum(r.n_events for r in base.values()) == sum(e)
