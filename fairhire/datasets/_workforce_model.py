"""The parameters of the model behind :func:`fairhire.datasets.make_workforce`.

Labels, shares and effect sizes, kept apart from the generator so the model reads in one
place; :mod:`fairhire.datasets.workforce` imports them and writes the disparities they inject
into ``WORKFORCE_TRUTH``.
"""

from __future__ import annotations

#: Job levels, lowest first (ordered strings that also sort correctly).
LEVELS: tuple[str, ...] = ("L1", "L2", "L3", "L4", "L5")

SEXES: tuple[str, ...] = ("Male", "Female", "Non-binary")
#: Shares of Male, Female, Non-binary and missing sex.
SEX_SHARES: tuple[float, ...] = (0.49, 0.49, 0.01, 0.01)

#: EEO-1 race/ethnicity categories and their shares; the rest (0.5%) is missing.
RACES: tuple[str, ...] = (
    "White",
    "Hispanic or Latino",
    "Black or African American",
    "Asian",
    "Native Hawaiian or Pacific Islander",
    "Native American or Alaska Native",
    "Two or More Races",
)
RACE_SHARES: tuple[float, ...] = (0.575, 0.15, 0.12, 0.10, 0.005, 0.01, 0.035)

JOB_FAMILIES: tuple[str, ...] = (
    "Engineering",
    "Sales",
    "Operations",
    "Finance",
    "Marketing",
    "People",
    "Legal",
    "Customer Support",
)
LOCATIONS: tuple[str, ...] = ("London", "Manchester", "Birmingham", "Edinburgh", "Remote")
AGE_BANDS: tuple[str, ...] = ("Under 25", "25-34", "35-44", "45-54", "55 and over")

# Level shares by sex (men, women; non-binary and missing get the average of the two).
_LEVEL_SHARES = {
    "Male": (0.30, 0.27, 0.22, 0.14, 0.07),
    "Female": (0.37, 0.29, 0.19, 0.10, 0.05),
}
# Job-family shares by sex: occupational segregation that explains part of the raw gap.
_FAMILY_SHARES = {
    "Male": (0.30, 0.16, 0.14, 0.10, 0.08, 0.04, 0.04, 0.14),
    "Female": (0.16, 0.14, 0.12, 0.11, 0.12, 0.10, 0.05, 0.20),
}
_LOCATION_SHARES = (0.35, 0.20, 0.15, 0.10, 0.20)

# log-salary model: base by level, family and location effects, tenure and rating slopes
_LEVEL_BASE_SALARY = (45_000.0, 60_000.0, 80_000.0, 105_000.0, 140_000.0)
_FAMILY_EFFECT = (0.15, 0.05, -0.05, 0.08, 0.0, -0.03, 0.12, -0.15)
_LOCATION_EFFECT = (0.12, 0.0, -0.02, 0.02, -0.03)
_TENURE_SLOPE = 0.01  # per year
_RATING_SLOPE = 0.03  # per rating point above 3
_RACE_PAY_EFFECT = {"Black or African American": -0.03, "Hispanic or Latino": -0.02}
_LOG_PAY_NOISE_SD = 0.10
_FULL_TIME_HOURS = 37.5

# promotion: baseline probability (men, rating 3) by level; rating slope on the log-odds
_PROMOTION_BASE = (0.30, 0.25, 0.20, 0.15, 0.05)
_PROMOTION_RATING_SLOPE = 0.5
_PROMOTION_GAP_LEVELS = ("L2", "L3")
# time to promotion (months, among those promoted): gamma(shape 4) with these means, men
_PROMOTION_MONTHS_MEAN = (18.0, 24.0, 30.0, 36.0, 48.0)
_OBSERVATION_MONTHS = 60
_LEAVE_SHARE = 0.30  # of those not promoted

# performance rating: latent N(0, 1) cut at men's cumulative shares; women shifted down
_RATING_SHARES_MEN = (0.05, 0.15, 0.45, 0.25, 0.10)
_RATING_SHIFT_WOMEN = -0.2

# bonus: eligible with rating >= 3 with probability by level; amount = salary x target x ...
_BONUS_ELIGIBLE = (0.30, 0.45, 0.60, 0.75, 0.90)
_BONUS_TARGET = (0.05, 0.07, 0.10, 0.15, 0.25)
_BONUS_WOMEN_FACTOR = 0.90

_PART_TIME_SHARE = {"Male": 0.05, "Female": 0.20, "other": 0.10}
_PART_TIME_HOURS = (16.0, 20.0, 24.0, 30.0)
_NOT_FULL_PAY_SHARE = {"Male": 0.01, "Female": 0.04, "other": 0.02}


# exits (``exits=True``): cause-specific latent times in months since hire, censored at the
# snapshot; then a layoff at the snapshot among those still employed
_VOLUNTARY_WEIBULL = (0.8, 400.0)  # shape, scale (months) for men
_VOLUNTARY_HR_WOMEN = 1.3
_INVOLUNTARY_MONTHLY = 0.001
_INVOLUNTARY_HR = {"Black or African American": 1.6}
_RETIREMENT_MONTHLY_60 = 0.01  # only for employees aged 60 and over
#: Share selected for the layoff by age band (under 40, 40-49, 50-59, 60 and over).
_LAYOFF_AGE_CUTS = (40, 50, 60)
_LAYOFF_RATES = (0.075, 0.10, 0.18, 0.18)
#: Layoff rate multiplier by job family (the decisional units), same order as JOB_FAMILIES.
_LAYOFF_UNIT_FACTOR = (0.6, 1.2, 1.4, 0.8, 1.2, 1.0, 0.5, 1.3)
_LEVEL_TITLES = ("Associate", "Specialist", "Senior", "Lead", "Director")
#: Exit types written by ``exits=True``.
EXIT_TYPES: tuple[str, ...] = ("voluntary", "involuntary", "retirement", "layoff")
