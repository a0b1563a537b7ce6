"""A synthetic workforce with known, documented disparities in pay, promotion and ratings.

The generator is shared by the pay and promotion analyses: every disparity it injects is written
down in :data:`WORKFORCE_TRUTH` (and in the docstring of :func:`make_workforce`), so tests and
examples can check that an analysis finds what is really there, and nothing that is not.
Generation is vectorised numpy: a million employees take about two seconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from scipy.stats import norm

from ..errors import InvalidParameterError
from ._workforce_model import (
    _BONUS_ELIGIBLE,
    _BONUS_TARGET,
    _BONUS_WOMEN_FACTOR,
    _FAMILY_EFFECT,
    _FAMILY_SHARES,
    _FULL_TIME_HOURS,
    _INVOLUNTARY_HR,
    _INVOLUNTARY_MONTHLY,
    _LAYOFF_AGE_CUTS,
    _LAYOFF_RATES,
    _LAYOFF_UNIT_FACTOR,
    _LEAVE_SHARE,
    _LEVEL_BASE_SALARY,
    _LEVEL_SHARES,
    _LEVEL_TITLES,
    _LOCATION_EFFECT,
    _LOCATION_SHARES,
    _LOG_PAY_NOISE_SD,
    _NOT_FULL_PAY_SHARE,
    _OBSERVATION_MONTHS,
    _PART_TIME_HOURS,
    _PART_TIME_SHARE,
    _PROMOTION_BASE,
    _PROMOTION_GAP_LEVELS,
    _PROMOTION_MONTHS_MEAN,
    _PROMOTION_RATING_SLOPE,
    _RACE_PAY_EFFECT,
    _RATING_SHARES_MEN,
    _RATING_SHIFT_WOMEN,
    _RATING_SLOPE,
    _RETIREMENT_MONTHLY_60,
    _TENURE_SLOPE,
    _VOLUNTARY_HR_WOMEN,
    _VOLUNTARY_WEIBULL,
    AGE_BANDS,
    EXIT_TYPES,
    JOB_FAMILIES,
    LEVELS,
    LOCATIONS,
    RACE_SHARES,
    RACES,
    SEX_SHARES,
    SEXES,
)

__all__ = ["EXIT_COLUMNS", "EXIT_TYPES", "LEVELS", "WORKFORCE_TRUTH", "make_workforce"]


def _top_rating_share(shift: float) -> float:
    cut = norm.ppf(1.0 - _RATING_SHARES_MEN[-1])
    return float(1.0 - norm.cdf(cut - shift))


#: The disparities :func:`make_workforce` injects (with its default arguments). Analyses that
#: match the generating model recover these values up to sampling error.
WORKFORCE_TRUTH: dict[str, Any] = {
    "pay_gap_within_level_family": 0.04,
    "pay_gap_note": (
        "Women's salary is exp(log(1 - 0.04)) = 0.96 times a comparable man's: the coefficient "
        "of Female in an OLS of log(salary) on sex, level, job_family, location, tenure_years "
        "and performance_rating is log(0.96) = -0.0408. Leaving out performance_rating (a "
        "possibly tainted control: women's ratings are lower) makes the adjusted gap about half "
        "a point larger. Raw gaps are much larger (women are at lower levels and in lower-paid "
        "families). Non-binary and missing-sex employees get no sex pay effect."
    ),
    "race_pay_effects": dict(_RACE_PAY_EFFECT),
    "race_note": "log-pay effects relative to White; race is independent of sex and level",
    "level_shares": {k: dict(zip(LEVELS, v, strict=True)) for k, v in _LEVEL_SHARES.items()},
    "family_shares": {
        k: dict(zip(JOB_FAMILIES, v, strict=True)) for k, v in _FAMILY_SHARES.items()
    },
    "promotion_odds_ratio": 0.7,
    "promotion_odds_ratio_levels": _PROMOTION_GAP_LEVELS,
    "promotion_note": (
        "logit P(promoted) = logit(base[level]) + 0.5 * (performance_rating - 3) + "
        "log(0.7) * [Female and level in L2, L3]; base = 0.30, 0.25, 0.20, 0.15, 0.05 for "
        "L1..L5. So the odds ratio of promotion (Female vs Male), conditional on level and "
        "rating, is 0.7 at L2 and L3 and 1 elsewhere; unconditionally it is lower still "
        "because women's ratings are lower."
    ),
    "promotion_months_mean": dict(zip(LEVELS, _PROMOTION_MONTHS_MEAN, strict=True)),
    "time_to_promotion_ratio_women": 1.25,
    "time_to_promotion_note": (
        "Among the promoted, months in level ~ Gamma(shape 4) with mean 18, 24, 30, 36, 48 "
        "months for L1..L5, times 1.25 for women (slower), rounded up to whole months. The "
        "not promoted are censored at Uniform{1..60} months; 30% of them left (left=True)."
    ),
    "rating_shares_men": dict(zip(range(1, 6), _RATING_SHARES_MEN, strict=True)),
    "rating_shift_women": _RATING_SHIFT_WOMEN,
    "top_rating_share": {"Male": 0.10, "Female": round(_top_rating_share(-0.2), 4)},
    "rating_note": (
        "Ratings cut a latent N(0, 1) at men's cumulative shares 5/20/65/90%; women's latent "
        "mean is 0.2 lower, so about 6.9% of women get a 5 against 10% of men."
    ),
    "bonus_women_factor": _BONUS_WOMEN_FACTOR,
    "bonus_note": (
        "Bonus > 0 only with rating >= 3, with probability 0.30, 0.45, 0.60, 0.75, 0.90 by "
        "level; amount = salary x target (5, 7, 10, 15, 25% by level) x (1 + 0.25 (rating - 3))"
        " x lognormal(0, 0.3), x 0.9 for women."
    ),
    "part_time_share": dict(_PART_TIME_SHARE),
    "not_full_pay_share": dict(_NOT_FULL_PAY_SHARE),
    # exits=True
    "voluntary_exit_hazard_ratio_women": _VOLUNTARY_HR_WOMEN,
    "involuntary_exit_hazard_ratios": dict(_INVOLUNTARY_HR),
    "layoff_rates_by_age": dict(zip(("Under 40", "40-49", "50-59", "60 and over"),
                                    _LAYOFF_RATES, strict=True)),
    "layoff_rate_ratio_50_plus": _LAYOFF_RATES[2] / _LAYOFF_RATES[0],
    "exits_note": (
        "With exits=True, each employee is followed from hire to the snapshot "
        "(round(tenure_years * 12) months). Latent months to a voluntary exit ~ Weibull(shape "
        "0.8, scale 400) with hazard ratio 1.3 for women; to an involuntary exit ~ exponential "
        "(0.001 a month) with hazard ratio 1.6 for Black or African American employees; to "
        "retirement ~ exponential (0.01 a month) for employees aged 60 and over. The first of "
        "these before the snapshot is the exit (tenure_months rounded up to whole months). "
        "At the snapshot a layoff selects employees still employed with probability 7.5% "
        "under 40, 10% at 40-49 and 18% at 50 and over (2.4 times the under-40 rate), times a "
        "factor by job family (the decisional unit) that is the same for every age; the laid "
        "off exit with exit_type 'layoff' at the snapshot. laid_off is missing for those who "
        "had left before the layoff: they were not part of the decision."
    ),
}


def _draw_categorical(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One categorical draw per row; ``probs`` is (n_kinds, n_categories), ``rows`` the kind."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(rows.shape[0])
    # each row picks its own cumulative distribution; count thresholds below u
    return (u[:, None] >= cum[rows][:, :-1]).sum(axis=1)


def make_workforce(
    n_employees: int = 2000,
    *,
    random_state: int | np.random.Generator | None = 0,
    pay_gap: float = 0.04,
    promotion_odds_ratio: float = 0.7,
    time_to_promotion_ratio: float = 1.25,
    exits: bool = False,
) -> pd.DataFrame:
    """A synthetic workforce, one row per employee, with known disparities by sex.

    Every disparity is injected on purpose and recorded in :data:`WORKFORCE_TRUTH`:

    - **Representation**: fewer women at higher levels (women L1..L5: 37, 29, 19, 10, 5%;
      men: 30, 27, 22, 14, 7%) and occupational segregation across job families.
    - **Pay**: women's salary is ``1 - pay_gap`` (default 0.96) times a comparable man's,
      i.e. the coefficient of Female in an OLS of ``log(salary)`` on sex, level, job_family,
      location, tenure_years and performance_rating is ``log(1 - pay_gap)``. Black employees
      are paid 3% less and Hispanic or Latino employees 2% less (log scale), independent of sex.
    - **Promotion**: the odds ratio of promotion, women vs men, conditional on level and
      rating, is ``promotion_odds_ratio`` (0.7) at L2 and L3, 1 elsewhere.
    - **Time to promotion**: among the promoted, women take ``time_to_promotion_ratio`` (1.25)
      times as long.
    - **Ratings**: women's latent performance is 0.2 SD lower: about 6.9% of women get the top
      rating (5) against 10% of men.
    - **Bonus**: women's bonus amounts are 0.9 times men's, other things equal; bonus
      eligibility depends on level and rating (so women are paid bonuses less often).
    - **Part time / full pay**: 20% of women and 5% of men work part time; 4% of women and 1%
      of men are not full-pay relevant employees (on reduced pay for leave).
    - **Exits** (``exits=True``): women resign sooner (voluntary-exit hazard ratio 1.3), Black
      employees are dismissed more often (involuntary-exit hazard ratio 1.6), employees aged
      60 and over retire; and a **layoff** at the snapshot selects 7.5% of those under 40, 10%
      of those 40–49 and 18% of those 50 and over (2.4 times the under-40 rate) within each
      job family (the decisional unit).

    Parameters
    ----------
    n_employees : int, default 2000
        Number of rows.
    random_state : int, numpy Generator or None, default 0
        Seed; the same seed gives the same frame, byte for byte.
    pay_gap : float, default 0.04
        Women's within-job pay shortfall (0 for none; negative means women are paid more).
    promotion_odds_ratio : float, default 0.7
        Odds ratio of promotion (women vs men) at L2 and L3, given level and rating.
    time_to_promotion_ratio : float, default 1.25
        Women's time to promotion relative to men's, among the promoted.
    exits : bool, default False
        Add exits, exit types and a layoff (the columns below). Every other column is the
        same with or without them.

    Returns
    -------
    pandas.DataFrame
        Columns:

        ``employee_id`` (``"E0000001"``...), ``sex`` ("Male", "Female", ~1% "Non-binary",
        ~1% missing), ``race`` (EEO-1 categories, ~0.5% missing), ``age_band``, ``level``
        ("L1".."L5", ordered strings), ``job_family``, ``location``, ``tenure_years``
        (float, >= months_in_level / 12), ``months_in_level`` (int > 0),
        ``promoted`` (bool: promoted out of the level during the 60-month observation
        period), ``left`` (bool: departed without promotion, i.e. censored),
        ``performance_rating`` (int 1..5, ordinal, 5 best), ``salary`` (annual full-time
        equivalent base pay, whole currency units), ``hourly_pay`` (salary / (52 x 37.5)),
        ``bonus`` (annual bonus, 0 for most), ``full_pay`` (bool: UK full-pay relevant
        employee), ``hours`` (contractual weekly hours; 37.5 full time).

        With ``exits=True`` also: ``age`` (whole years at the snapshot), ``job_title``
        (job family and level title, e.g. "Sales Senior"), ``tenure_months`` (months from hire
        to exit or to the snapshot, int >= 1), ``exited`` (bool), ``exit_type`` ("voluntary",
        "involuntary", "retirement", "layoff"; missing for those who stayed) and ``laid_off``
        (bool: selected in the layoff; missing for those who had left before it).

    Examples
    --------
    >>> import fairhire as fh
    >>> wf = fh.datasets.make_workforce(1000, random_state=1)
    >>> wf.shape
    (1000, 17)
    >>> sorted(wf.level.unique())
    ['L1', 'L2', 'L3', 'L4', 'L5']
    >>> bool((wf.salary > 0).all() and (wf.months_in_level > 0).all())
    True
    >>> ex = fh.datasets.make_workforce(1000, random_state=1, exits=True)
    >>> ex.drop(columns=list(EXIT_COLUMNS)).equals(wf)
    True
    >>> ex.exit_type.value_counts().to_dict()
    {'voluntary': 241, 'involuntary': 60, 'layoff': 47, 'retirement': 3}
    """
    _check_arguments(n_employees, pay_gap, promotion_odds_ratio, time_to_promotion_ratio, exits)
    rng = np.random.default_rng(random_state)
    n = int(n_employees)

    # sex: 0 Male, 1 Female, 2 Non-binary, 3 missing
    sex = rng.choice(4, size=n, p=SEX_SHARES)
    female = sex == 1
    kind = np.where(sex <= 1, sex, 2)  # row of the by-sex share tables (2 = average)
    race_p = np.array([*RACE_SHARES, 1.0 - sum(RACE_SHARES)])
    race = rng.choice(len(race_p), size=n, p=race_p / race_p.sum())
    level = _draw_categorical(rng, _by_sex(_LEVEL_SHARES), kind)
    family = _draw_categorical(rng, _by_sex(_FAMILY_SHARES), kind)
    location = rng.choice(len(LOCATIONS), size=n, p=_LOCATION_SHARES)

    # performance rating from a latent normal, women shifted down
    cuts = norm.ppf(np.cumsum(_RATING_SHARES_MEN)[:-1])
    latent = rng.standard_normal(n) + _RATING_SHIFT_WOMEN * female
    rating = 1 + np.searchsorted(cuts, latent)

    promoted, months, left = _draw_promotion(
        rng, level, rating, female, promotion_odds_ratio, time_to_promotion_ratio
    )
    prior_years = rng.gamma(2.0, 1.0 + 0.8 * level)
    tenure = np.round(months / 12.0 + prior_years, 1)
    age = 23.0 + 3.0 * level + tenure + rng.normal(0.0, 6.0, n)
    age_band = np.searchsorted(np.array([25.0, 35.0, 45.0, 55.0]), age, side="right")

    log_salary = _log_salary(level, family, location, tenure, rating, race, female, pay_gap)
    salary = np.round(np.exp(log_salary + rng.normal(0.0, _LOG_PAY_NOISE_SD, n)))
    bonus = _draw_bonus(rng, salary, level, rating, female)
    part_time = rng.random(n) < _by_kind(_PART_TIME_SHARE, kind)
    hours = np.where(part_time, np.array(_PART_TIME_HOURS)[rng.integers(0, 4, n)], _FULL_TIME_HOURS)
    full_pay = rng.random(n) >= _by_kind(_NOT_FULL_PAY_SHARE, kind)

    width = max(7, len(str(n)))
    ids = np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), width))
    frame = pd.DataFrame(
        {
            "employee_id": pd.Series(ids.astype(object)),
            "sex": _labels(SEXES, sex),
            "race": _labels(RACES, race),
            "age_band": _labels(AGE_BANDS, age_band),
            "level": _labels(LEVELS, level),
            "job_family": _labels(JOB_FAMILIES, family),
            "location": _labels(LOCATIONS, location),
            "tenure_years": tenure,
            "months_in_level": months,
            "promoted": promoted,
            "left": left,
            "performance_rating": rating.astype(np.int64),
            "salary": salary,
            "hourly_pay": np.round(salary / (52.0 * _FULL_TIME_HOURS), 2),
            "bonus": bonus,
            "full_pay": full_pay,
            "hours": hours,
        }
    )
    if not exits:
        return frame
    # drawn after everything else, so the columns above are the same with or without exits
    extra = _exits(
        rng, age=age, tenure=tenure, female=female, race=race, level=level, family=family
    )
    return pd.concat([frame, extra], axis=1)


def _check_arguments(
    n_employees: Any,
    pay_gap: Any,
    promotion_odds_ratio: Any,
    time_to_promotion_ratio: Any,
    exits: Any,
) -> None:
    if isinstance(n_employees, bool) or not isinstance(n_employees, int | np.integer):
        raise InvalidParameterError(
            f"n_employees= must be a positive integer; got {n_employees!r}."
        )
    if n_employees < 1:
        raise InvalidParameterError(f"n_employees= must be at least 1; got {n_employees}.")
    if not -0.5 < pay_gap < 0.5:
        raise InvalidParameterError(f"pay_gap= must be between -0.5 and 0.5; got {pay_gap!r}.")
    if not promotion_odds_ratio > 0:
        raise InvalidParameterError(
            f"promotion_odds_ratio= must be positive; got {promotion_odds_ratio!r}."
        )
    if not isinstance(exits, bool | np.bool_):
        raise InvalidParameterError(f"exits= must be True or False; got {exits!r}.")
    if not time_to_promotion_ratio > 0:
        raise InvalidParameterError(
            f"time_to_promotion_ratio= must be positive; got {time_to_promotion_ratio!r}."
        )


def _by_sex(table: dict[str, tuple[float, ...]]) -> np.ndarray:
    """Rows of shares for men, women and everyone else (the average of the two)."""
    m, f = np.array(table["Male"]), np.array(table["Female"])
    return np.vstack([m, f, (m + f) / 2])


def _by_kind(table: dict[str, float], kind: np.ndarray) -> np.ndarray:
    """Each row's share from a Male / Female / other table (``kind`` 0, 1, 2)."""
    return np.array([table["Male"], table["Female"], table["other"]])[kind]


def _labels(names: tuple[str, ...], codes: np.ndarray) -> pd.Series:
    """Codes as labels; the code ``len(names)`` is missing."""
    lookup = np.array([*names, None], dtype=object)
    return pd.Series(lookup[np.minimum(codes, len(names))])


def _draw_promotion(
    rng: np.random.Generator,
    level: np.ndarray,
    rating: np.ndarray,
    female: np.ndarray,
    promotion_odds_ratio: float,
    time_to_promotion_ratio: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Promoted out of the level, months in level, and left (without promotion)."""
    n = level.shape[0]
    base = logit(np.array(_PROMOTION_BASE))[level]
    gap_level = np.isin(level, [LEVELS.index(lv) for lv in _PROMOTION_GAP_LEVELS])
    eta = base + _PROMOTION_RATING_SLOPE * (rating - 3)
    eta = eta + np.log(promotion_odds_ratio) * (female & gap_level)
    promoted = rng.random(n) < expit(eta)
    mean_months = np.array(_PROMOTION_MONTHS_MEAN)[level] * np.where(
        female, time_to_promotion_ratio, 1.0
    )
    promo_months = rng.gamma(4.0, mean_months / 4.0)
    censor_months = rng.integers(1, _OBSERVATION_MONTHS + 1, size=n)
    months = np.where(promoted, np.ceil(promo_months), censor_months).astype(np.int64)
    months = np.maximum(months, 1)
    left = ~promoted & (rng.random(n) < _LEAVE_SHARE)
    return promoted, months, left


def _log_salary(
    level: np.ndarray,
    family: np.ndarray,
    location: np.ndarray,
    tenure: np.ndarray,
    rating: np.ndarray,
    race: np.ndarray,
    female: np.ndarray,
    pay_gap: float,
) -> np.ndarray:
    """The log-salary model without its noise term (see ``_LEVEL_BASE_SALARY`` and below)."""
    race_effect = np.zeros(len(RACES) + 1)
    for name, effect in _RACE_PAY_EFFECT.items():
        race_effect[RACES.index(name)] = effect
    return (
        np.log(np.array(_LEVEL_BASE_SALARY))[level]
        + np.array(_FAMILY_EFFECT)[family]
        + np.array(_LOCATION_EFFECT)[location]
        + _TENURE_SLOPE * tenure
        + _RATING_SLOPE * (rating - 3)
        + race_effect[race]
        + np.log1p(-pay_gap) * female
    )


def _draw_bonus(
    rng: np.random.Generator,
    salary: np.ndarray,
    level: np.ndarray,
    rating: np.ndarray,
    female: np.ndarray,
) -> np.ndarray:
    """Bonus: eligible (rating 3 or more, by level), amount by level, rating and sex."""
    n = salary.shape[0]
    eligible = (rating >= 3) & (rng.random(n) < np.array(_BONUS_ELIGIBLE)[level])
    bonus_amount = (
        salary
        * np.array(_BONUS_TARGET)[level]
        * (1.0 + 0.25 * (rating - 3))
        * np.exp(rng.normal(0.0, 0.3, n))
        * np.where(female, _BONUS_WOMEN_FACTOR, 1.0)
    )
    return np.where(eligible, np.round(bonus_amount), 0.0)


#: Columns added by ``make_workforce(..., exits=True)``.
EXIT_COLUMNS: tuple[str, ...] = (
    "age",
    "job_title",
    "tenure_months",
    "exited",
    "exit_type",
    "laid_off",
)


def _exits(
    rng: np.random.Generator,
    *,
    age: np.ndarray,
    tenure: np.ndarray,
    female: np.ndarray,
    race: np.ndarray,
    level: np.ndarray,
    family: np.ndarray,
) -> pd.DataFrame:
    """Exits by cause from hire to the snapshot, then a layoff at the snapshot (see
    ``WORKFORCE_TRUTH["exits_note"]``)."""
    n = age.size
    years = np.clip(np.floor(age), 18, 70).astype(np.int64)
    follow = np.maximum(1, np.round(tenure * 12)).astype(np.int64)
    shape, scale = _VOLUNTARY_WEIBULL
    # a hazard ratio h multiplies the Weibull cumulative hazard: scale / h ** (1 / shape)
    vol_scale = scale / np.where(female, _VOLUNTARY_HR_WOMEN, 1.0) ** (1 / shape)
    t_vol = vol_scale * rng.weibull(shape, n)
    inv_hr = np.ones(n)
    for name, hr in _INVOLUNTARY_HR.items():
        inv_hr[race == RACES.index(name)] = hr
    t_inv = rng.exponential(1 / (_INVOLUNTARY_MONTHLY * inv_hr))
    t_ret = np.where(years >= 60, rng.exponential(1 / _RETIREMENT_MONTHLY_60, n), np.inf)
    latent = np.column_stack([t_vol, t_inv, t_ret])
    first = latent.min(axis=1)
    cause = latent.argmin(axis=1)
    exited = first < follow
    months = np.where(exited, np.minimum(np.ceil(first), follow), follow).astype(np.int64)
    band = np.searchsorted(np.array(_LAYOFF_AGE_CUTS), years, side="right")
    p_layoff = np.array(_LAYOFF_RATES)[band] * np.array(_LAYOFF_UNIT_FACTOR)[family]
    laid_off = ~exited & (rng.random(n) < np.minimum(p_layoff, 1.0))
    exit_type = np.array([*EXIT_TYPES[:3], None], dtype=object)[np.where(exited, cause, 3)]
    exit_type[laid_off] = "layoff"
    titles = np.array(_LEVEL_TITLES, dtype=object)[level]
    job_title = np.array(JOB_FAMILIES, dtype=object)[family] + " " + titles
    return pd.DataFrame(
        {
            "age": years,
            "job_title": pd.Series(job_title, dtype=object),
            "tenure_months": months,
            "exited": exited | laid_off,
            "exit_type": pd.Series(exit_type, dtype=object),
            "laid_off": pd.Series(np.where(exited, None, laid_off), dtype=object),
        }
    )
