"""Ages in a reduction in force: the age bands, the trend across them, and ages from dates of
birth (``birth_date=`` and ``as_of=``).

HR systems export a date of birth, not an age. The ADEA and the OWBPA disclosure count age in
whole years on the date of the decision, so an age is the number of birthdays a person has had
by ``as_of``: completed years, not days divided by 365.25 (which is a year short or long on
days near a birthday). Dates written as text are read by the shared date rule
(:func:`fairhire._core.dates.read_dates`: ISO 8601, or one unambiguous day/month order).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core.dates import read_date, read_dates
from .._core.names import internal_name
from .._core.params import check_int
from .._frames import as_columns, collect_rows, require_columns, to_narwhals
from ..errors import InvalidParameterError, InvalidValueError
from ..stats.trend import cochran_armitage
from ._counts import EVENT, N

__all__ = ["UNDER_40", "age_trend", "ages_of", "check_bands", "completed_years", "with_ages"]

UNDER_40 = "Under 40"


def completed_years(birth: pd.Series, on: pd.Timestamp) -> pd.Series:
    """Whole years from each date of birth to ``on`` (the birthdays had by then); missing
    dates stay missing.

    Examples
    --------
    >>> born = pd.to_datetime(pd.Series(["1985-03-31", "1985-04-01", None]))
    >>> completed_years(born, pd.Timestamp("2025-03-31")).tolist()
    [40.0, 39.0, nan]
    """
    years = on.year - birth.dt.year
    before = (birth.dt.month > on.month) | ((birth.dt.month == on.month) &
                                           (birth.dt.day > on.day))
    return (years - before.astype(float)).where(birth.notna()).astype(float)


def with_ages(data: Any, columns: Sequence[str], birth_date: str,
              as_of: Any) -> tuple[pd.DataFrame, str, list[str]]:
    """The rows' ``columns`` and their age at ``as_of`` (from ``birth_date``) as a pandas
    frame, the age column's name, and notes on how the dates were read."""
    if as_of is None:
        raise InvalidParameterError(
            "birth_date= needs as_of=, the date of the layoff decision: ages are counted in "
            "whole years on that date (as the OWBPA disclosure gives them)."
        )
    on = read_date(as_of, "as_of")
    frame = to_narwhals(data)
    needed = list(dict.fromkeys([*columns, birth_date]))
    rows = collect_rows(frame, needed, analysis="reduction_in_force with birth_date=")
    born, note = read_dates(rows[birth_date], birth_date, argument="birth_date")
    later = (born > on).fillna(False)
    if later.any():
        raise InvalidValueError(
            f"column {birth_date!r} (birth_date) is after as_of={on.date()} in "
            f"{int(later.sum()):,} rows: check as_of (the date of the decision) and those "
            "dates."
        )
    age = internal_name("age", list(rows.columns))
    notes = [note] if note else []
    notes.append(f"ages are whole years on {on.date()} (as_of), from {birth_date!r}.")
    return rows.assign(**{age: completed_years(born, on)}), age, notes


def ages_of(data: Any, *, age: str | None, birth_date: str | None, as_of: Any,
            **roles: str | Sequence[str] | None) -> tuple[Any, str | None, list[str]]:
    """The data and its age column: ``age=`` as it is, or ages from ``birth_date=`` on
    ``as_of`` (:func:`with_ages`, keeping the columns of ``roles``, checked first), with notes
    on how the dates were read."""
    if age is not None and birth_date is not None:
        raise InvalidParameterError("give age= or birth_date= (with as_of=), not both.")
    if birth_date is None:
        return data, age, []
    # the columns are checked before the ages are computed
    require_columns(to_narwhals(data), **roles, birth_date=birth_date)
    columns = [c for role, value in roles.items() for c in as_columns(value, argument=role)]
    return with_ages(data, columns, birth_date, as_of)


def check_bands(age_bands: Any) -> tuple[int, ...]:
    """The ``age_bands`` of a layoff, checked: whole ages of 40 to 100, with 40 always in.

    >>> check_bands((60, 50))
    (40, 50, 60)
    """
    if isinstance(age_bands, str | int):
        age_bands = (age_bands,)
    try:
        values = [check_int(v, "age_bands", low=40, high=100) for v in age_bands]
    except TypeError:
        raise InvalidParameterError(
            f"age_bands= must be a list of ages of 40 or more, e.g. (40, 50, 60); got "
            f"{age_bands!r}."
        ) from None
    return tuple(sorted({40, *values}))



def age_trend(t: pd.DataFrame, age_key: str, cuts: tuple[int, ...]
              ) -> tuple[pd.DataFrame, dict]:
    """Headcount and selections per disjoint age band (cut at ``cuts``) of the counts ``t``,
    and the Cochran–Armitage test of a trend in the selection rate across them."""
    known = t.loc[t[age_key].notna()]
    band = np.searchsorted(np.array(cuts), known[age_key].to_numpy(), side="right")
    names = [UNDER_40] + [f"{lo}–{hi - 1}" for lo, hi in itertools.pairwise(cuts)]
    names.append(f"{cuts[-1]} and over")
    frame = pd.DataFrame({"band": band, "headcount": known[N].to_numpy(),
                          "selected": np.where(known[EVENT].astype(bool), known[N], 0)})
    per = frame.groupby("band").sum().reindex(range(len(names)), fill_value=0)
    bands = pd.DataFrame({"band": names, "headcount": per["headcount"].to_numpy(),
                          "selected": per["selected"].to_numpy()})
    with np.errstate(invalid="ignore", divide="ignore"):
        bands["selection_rate"] = bands["selected"] / bands["headcount"].replace(0, np.nan)
    res = cochran_armitage(bands["selected"], bands["headcount"])
    return bands, {"z": res.z, "statistic": res.statistic, "p_value": res.p_value}
