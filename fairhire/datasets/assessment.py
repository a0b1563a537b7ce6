"""A synthetic pre-employment assessment with a known, documented group difference in scores."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from .funnel import RACE_CATEGORIES

__all__ = ["ASSESSMENT_SCORE_GAPS", "make_assessment_scores"]

_RACE_SHARES = (0.18, 0.52, 0.13, 0.01, 0.11, 0.01, 0.04)

#: Default mean score differences, in standard deviations of the score, by group. Everything
#: not listed scores at the base mean. Sizes are of the order reported for cognitive-ability
#: tests in the selection literature; they are illustrative, not estimates.
ASSESSMENT_SCORE_GAPS: dict[tuple[str, str], float] = {
    ("race", "Black or African American"): -0.6,
    ("race", "Hispanic or Latino"): -0.35,
    ("sex", "Female"): -0.1,
}


def make_assessment_scores(
    n_applicants: int = 5_000,
    *,
    random_state: int | None = 0,
    gaps: Mapping[tuple[str, str], float] | None = None,
    mean: float = 60.0,
    sd: float = 12.0,
    validity: float = 0.35,
    missing_rate: float = 0.03,
) -> pd.DataFrame:
    """Generate applicants with an assessment score, demographics and a later outcome.

    Scores are normal with mean ``mean`` and standard deviation ``sd``, shifted by ``gaps``
    (in standard deviations; default :data:`ASSESSMENT_SCORE_GAPS`: Black applicants 0.6 SD
    and Hispanic or Latino applicants 0.35 SD below the others, women 0.1 SD below men), then
    rounded and clipped to 0–100. ``qualified`` is a later success outcome that correlates
    ``validity`` with the score *within* every group and has the same base rate in every group,
    so any group difference in scores is not reflected in the outcome: a cut-off on this score
    shows adverse impact that the outcome does not justify. Demographics are missing at
    ``missing_rate`` (sex and race independently).

    Parameters
    ----------
    n_applicants : int
        Number of rows.
    random_state : int or None
        Seed for reproducibility.
    gaps : mapping, optional
        ``{(column, value): shift in SD}``; column is ``"sex"`` or ``"race"``.
    mean, sd : float
        Score distribution of the groups without a gap.
    validity : float
        Within-group correlation between the (latent) score and ``qualified``, in [0, 1).
    missing_rate : float
        Share of applicants with a missing sex and, independently, a missing race.

    Returns
    -------
    pandas.DataFrame
        Columns ``applicant_id, sex, race, score, qualified``.

    Examples
    --------
    >>> from fairhire.datasets.assessment import make_assessment_scores
    >>> df = make_assessment_scores(2_000, random_state=1)
    >>> df.columns.tolist()
    ['applicant_id', 'sex', 'race', 'score', 'qualified']
    >>> bool(df.groupby("race").score.mean().idxmin() == "Black or African American")
    True
    """
    if n_applicants < 1:
        raise InvalidParameterError(f"n_applicants={n_applicants!r} must be at least 1.")
    if not 0 <= validity < 1:
        raise InvalidParameterError(f"validity={validity!r} must lie in [0, 1).")
    if not 0 <= missing_rate < 1:
        raise InvalidParameterError(f"missing_rate={missing_rate!r} must lie in [0, 1).")
    if sd <= 0:
        raise InvalidParameterError(f"sd={sd!r} must be positive.")
    gaps = dict(ASSESSMENT_SCORE_GAPS if gaps is None else gaps)
    for column, _ in gaps:
        if column not in ("sex", "race"):
            raise InvalidParameterError(
                f"gaps keys are (column, value) with column 'sex' or 'race'; got {column!r}."
            )
    rng = np.random.default_rng(random_state)
    n = int(n_applicants)
    sex = np.where(rng.random(n) < 0.47, "Female", "Male").astype(object)
    race = rng.choice(np.array(RACE_CATEGORIES, dtype=object), size=n, p=_RACE_SHARES)
    shift = np.zeros(n)
    for (column, value), d in gaps.items():
        shift += np.where((sex if column == "sex" else race) == value, float(d), 0.0)
    ability = rng.standard_normal(n)  # what the outcome depends on: no group difference
    latent = validity * ability + np.sqrt(1 - validity**2) * rng.standard_normal(n)
    score = np.clip(np.round(mean + sd * (latent + shift)), 0, 100)
    qualified = ability > np.quantile(ability, 0.6)  # the same base rate in every group
    sex[rng.random(n) < missing_rate] = None
    race[rng.random(n) < missing_rate] = None
    return pd.DataFrame(
        {
            "applicant_id": np.arange(1, n + 1),
            "sex": pd.Series(sex, dtype="string"),
            "race": pd.Series(race, dtype="string"),
            "score": score.astype(float),
            "qualified": qualified,
        }
    )
