"""A synthetic applicant-level hiring funnel with known, documented disparities.

With ``periods=``, applicants are spread over consecutive months, quarters or years (column
``applied_on``), and ``drift=`` injects a documented change: from a given period on, one group
passes one stage at a multiple of its usual rate. That is what :func:`fairhire.monitor` should
find, in the right period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..impact.eeo import RACE_CATEGORIES  # the EEO-1 categories, defined once

__all__ = [
    "FUNNEL_DISPARITIES", "FUNNEL_STAGES", "GROUP_LABELS", "RACE_CATEGORIES", "make_hiring_funnel",
]

#: Funnel stages after "applied", in order.
FUNNEL_STAGES = ("screened", "interviewed", "offered", "hired")

#: Shares of the EEO-1 race/ethnicity categories, in :data:`RACE_CATEGORIES` order.
_RACE_SHARES = (0.18, 0.52, 0.13, 0.01, 0.11, 0.01, 0.04)

#: Base conditional pass rates per stage (the rate of those who reached the previous stage).
BASE_RATES = {"screened": 0.40, "interviewed": 0.45, "offered": 0.40, "hired": 0.80}

#: The disparities injected: multipliers on the conditional pass rate of a stage.
#: Everything not listed passes at the base rate (times a requisition effect shared by all).
FUNNEL_DISPARITIES = {
    ("interviewed", "sex", "Female"): 0.72,
    ("screened", "race", "Black or African American"): 0.75,
    ("screened", "race", "Hispanic or Latino"): 0.85,
    ("offered", "age_band", "40 and over"): 0.80,
}

#: The labels of each demographic column, in code order.
GROUP_LABELS = {
    "sex": ("Male", "Female", "Non-binary"),
    "race": RACE_CATEGORIES,
    "age_band": ("Under 40", "40 and over"),
}
_DRIFT_KEYS = {"stage", "column", "group", "multiplier", "from_period"}


def _check_drift(drift: Any, periods: int | None) -> list[dict[str, Any]]:
    """``drift=`` as a list of checked dicts (one change each)."""
    if drift is None:
        return []
    if periods is None:
        raise InvalidParameterError("drift= needs periods=: a change happens from one period on.")
    items = [drift] if isinstance(drift, Mapping) else list(drift)
    out = []
    for item in items:
        if not isinstance(item, Mapping) or set(item) != _DRIFT_KEYS:
            raise InvalidParameterError(
                f"each drift= entry must be a dict with the keys {sorted(_DRIFT_KEYS)}, e.g. "
                "{'stage': 'screened', 'column': 'sex', 'group': 'Female', 'multiplier': 0.6, "
                f"'from_period': 5}}; got {item!r}."
            )
        if item["stage"] not in FUNNEL_STAGES:
            raise InvalidParameterError(
                f"drift stage {item['stage']!r} is not one of {FUNNEL_STAGES}."
            )
        labels = GROUP_LABELS.get(item["column"])
        if labels is None or item["group"] not in labels:
            raise InvalidParameterError(
                f"drift column/group {item['column']!r}/{item['group']!r}: the column must be one "
                f"of {sorted(GROUP_LABELS)} and the group one of its labels."
            )
        start = item["from_period"]
        if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= periods:
            raise InvalidParameterError(
                f"drift from_period={start!r} must be a whole number from 1 (the first period) "
                f"to periods={periods}."
            )
        mult = item["multiplier"]
        if isinstance(mult, bool) or not isinstance(mult, int | float) or not mult > 0:
            raise InvalidParameterError(f"drift multiplier={mult!r} must be a positive number.")
        out.append(dict(item))
    return out


def _period_dates(
    n: int, periods: int, freq: str, start: Any, random_state: int | None
) -> tuple[np.ndarray, pd.Series]:
    """Each applicant's period (0-based, in applicant order) and application date.

    Drawn from a stream of its own, so the rest of the data are the same with or without
    ``periods=``.
    """
    if freq not in ("M", "Q", "Y"):
        raise InvalidParameterError(f"freq={freq!r} must be 'M', 'Q' or 'Y'.")
    rng = np.random.default_rng(np.random.SeedSequence(random_state).spawn(1)[0])
    index = np.sort(rng.integers(0, periods, size=n))
    spans = pd.period_range(start=pd.Timestamp(start), periods=periods, freq=freq)
    first = spans.start_time.to_numpy()
    days = (spans.end_time.normalize() - spans.start_time).days.to_numpy() + 1
    offset = np.floor(rng.random(n) * days[index]).astype("int64")
    dates = first[index] + offset.astype("timedelta64[D]")
    return index, pd.Series(dates, name="applied_on")


def make_hiring_funnel(
    n_applicants: int = 10_000,
    *,
    random_state: int | None = 0,
    n_requisitions: int = 50,
    missing_rate: float = 0.03,
    categorical: bool = False,
    periods: int | None = None,
    freq: str = "Q",
    start: Any = "2024-01-01",
    drift: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Generate a synthetic applicant-level hiring funnel with known disparities.

    Each row is one applicant to one requisition. The stage columns are booleans in funnel
    order (``screened``, ``interviewed``, ``offered``, ``hired``): an applicant can only pass a
    stage after passing the one before. The conditional pass rates are :data:`BASE_RATES`
    times a requisition effect, times the multipliers in :data:`FUNNEL_DISPARITIES`:

    - women pass the interview stage (``interviewed``) at 0.72× men's rate;
    - Black applicants are screened at 0.75× and Hispanic or Latino applicants at 0.85× the
      rate of others;
    - applicants aged 40 and over receive offers at 0.80× the rate of younger ones.

    Demographics are missing at ``missing_rate`` (sex and race independently), as in real
    applicant-tracking exports where self-identification is voluntary; a small share of
    applicants are "Non-binary".

    Parameters
    ----------
    n_applicants : int
        Number of rows.
    random_state : int or None
        Seed for reproducibility.
    n_requisitions : int
        Number of requisitions (job openings), a natural stratum.
    missing_rate : float
        Share of applicants with a missing sex and, independently, a missing race.
    categorical : bool
        Return the demographic columns as pandas categoricals (smaller and faster at scale).
    periods : int, optional
        Spread the applicants over this many consecutive periods (about the same number in
        each) and add their application date, ``applied_on``. Without it the data are exactly
        as before (no date column).
    freq : {"Q", "M", "Y"}, default "Q"
        Length of a period: quarters, months or years.
    start : date or str, default "2024-01-01"
        A date in the first period.
    drift : dict or list of dicts, optional
        Changes to inject, each ``{"stage": ..., "column": ..., "group": ..., "multiplier":
        ..., "from_period": ...}``: from period ``from_period`` on (1 is the first period), the
        group's conditional pass rate at the stage is multiplied by ``multiplier`` (on top of
        :data:`FUNNEL_DISPARITIES`). Needs ``periods``.

    Returns
    -------
    pandas.DataFrame
        Columns ``applicant_id, requisition, sex, race, age_band, screened, interviewed,
        offered, hired, stage_reached``; with ``periods=``, ``applied_on`` after
        ``applicant_id``.

    Examples
    --------
    >>> import fairhire as fh
    >>> df = fh.datasets.make_hiring_funnel(2_000, random_state=1)
    >>> df.columns.tolist()[:5]
    ['applicant_id', 'requisition', 'sex', 'race', 'age_band']
    >>> bool((df.hired <= df.offered).all())
    True

    Eight quarters in which women's screening rate falls to 0.6 times its usual value from the
    fifth quarter (2025-Q1) on:

    >>> df = fh.datasets.make_hiring_funnel(
    ...     8_000, periods=8, random_state=1,
    ...     drift={"stage": "screened", "column": "sex", "group": "Female",
    ...            "multiplier": 0.6, "from_period": 5})
    >>> df.applied_on.dt.to_period("Q").astype(str).unique().tolist()[::7]
    ['2024Q1', '2025Q4']
    """
    if n_applicants < 1:
        raise InvalidParameterError(f"n_applicants={n_applicants!r} must be at least 1.")
    if n_requisitions < 1:
        raise InvalidParameterError(f"n_requisitions={n_requisitions!r} must be at least 1.")
    if not 0 <= missing_rate < 1:
        raise InvalidParameterError(f"missing_rate={missing_rate!r} must lie in [0, 1).")
    if periods is not None and (isinstance(periods, bool) or not isinstance(periods, int)
                                or periods < 1):
        raise InvalidParameterError(f"periods={periods!r} must be a whole number of at least 1.")
    changes = _check_drift(drift, periods)
    rng = np.random.default_rng(random_state)
    n = int(n_applicants)
    period_index, dates = (
        _period_dates(n, periods, freq, start, random_state) if periods else (None, None)
    )

    sex_codes = rng.choice(3, size=n, p=[0.52, 0.46, 0.02])  # Male, Female, Non-binary
    race_codes = rng.choice(len(RACE_CATEGORIES), size=n, p=_RACE_SHARES)
    age_codes = (rng.random(n) < 0.27).astype(np.int8)  # 1 = 40 and over
    req = rng.integers(0, n_requisitions, size=n)
    req_effect = rng.uniform(0.75, 1.2, size=n_requisitions)[req]

    passed = np.ones(n, dtype=bool)
    stage_values = {}
    for stage in FUNNEL_STAGES:
        p = np.full(n, BASE_RATES[stage]) * req_effect
        for (s, column, label), mult in FUNNEL_DISPARITIES.items():
            if s != stage:
                continue
            if column == "sex":
                p = np.where(sex_codes == 1, p * mult, p)
            elif column == "race":
                p = np.where(race_codes == RACE_CATEGORIES.index(label), p * mult, p)
            else:
                p = np.where(age_codes == 1, p * mult, p)
        for change in changes:
            if change["stage"] == stage:
                p = np.where(_drifting(change, period_index, sex_codes, race_codes, age_codes),
                             p * change["multiplier"], p)
        passed = passed & (rng.random(n) < np.clip(p, 0, 1))
        stage_values[stage] = passed

    sex_codes = np.where(rng.random(n) < missing_rate, -1, sex_codes)
    race_codes = np.where(rng.random(n) < missing_rate, -1, race_codes)
    reached = np.zeros(n, dtype=np.int8)
    for stage in FUNNEL_STAGES:
        reached += stage_values[stage]

    def column(codes: np.ndarray, categories: list[str]) -> pd.Series:
        values = pd.Categorical.from_codes(codes, categories=categories)
        return pd.Series(values if categorical else values.astype(object)).astype(
            "category" if categorical else "string"
        )

    frame = pd.DataFrame(
        {
            "applicant_id": np.arange(1, n + 1),
            "requisition": column(req, [f"REQ-{i:04d}" for i in range(1, n_requisitions + 1)]),
            "sex": column(sex_codes, ["Male", "Female", "Non-binary"]),
            "race": column(race_codes, list(RACE_CATEGORIES)),
            "age_band": column(age_codes, ["Under 40", "40 and over"]),
            **stage_values,
            "stage_reached": column(reached, ["applied", *FUNNEL_STAGES]),
        }
    )
    if dates is not None:
        frame.insert(1, "applied_on", dates)
    return frame


def _drifting(
    change: Mapping[str, Any], period_index: np.ndarray, *codes: np.ndarray
) -> np.ndarray:
    """Applicants a drift applies to: its group, from its period on."""
    position = list(GROUP_LABELS).index(change["column"])
    label = GROUP_LABELS[change["column"]].index(change["group"])
    return (codes[position] == label) & (period_index >= change["from_period"] - 1)
