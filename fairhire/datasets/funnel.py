"""A synthetic applicant-level hiring funnel with known, documented disparities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError

__all__ = ["FUNNEL_DISPARITIES", "FUNNEL_STAGES", "RACE_CATEGORIES", "make_hiring_funnel"]

#: Funnel stages after "applied", in order.
FUNNEL_STAGES = ("screened", "interviewed", "offered", "hired")

#: EEO-1 (component 1) race/ethnicity categories.
RACE_CATEGORIES = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)
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


def make_hiring_funnel(
    n_applicants: int = 10_000,
    *,
    random_state: int | None = 0,
    n_requisitions: int = 50,
    missing_rate: float = 0.03,
    categorical: bool = False,
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

    Returns
    -------
    pandas.DataFrame
        Columns ``applicant_id, requisition, sex, race, age_band, screened, interviewed,
        offered, hired, stage_reached``.

    Examples
    --------
    >>> import fairhire as fh
    >>> df = fh.datasets.make_hiring_funnel(2_000, random_state=1)
    >>> df.columns.tolist()[:5]
    ['applicant_id', 'requisition', 'sex', 'race', 'age_band']
    >>> bool((df.hired <= df.offered).all())
    True
    """
    if n_applicants < 1:
        raise InvalidParameterError(f"n_applicants={n_applicants!r} must be at least 1.")
    if n_requisitions < 1:
        raise InvalidParameterError(f"n_requisitions={n_requisitions!r} must be at least 1.")
    if not 0 <= missing_rate < 1:
        raise InvalidParameterError(f"missing_rate={missing_rate!r} must lie in [0, 1).")
    rng = np.random.default_rng(random_state)
    n = int(n_applicants)

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
    return frame
