"""Pay analyses on data shaped like real payroll exports (session 13): an employee on several
rows, a report's suppressed counts, sentences that cite the law."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.errors import InvalidValueError


def _staff(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = np.resize(["Male", "Female"], n)
    level = np.resize(["G9", "G10", "Band 2"], n)
    pay = 40_000 * (1 + rng.normal(0, 0.1, n)) * np.where(sex == "Female", 0.95, 1.0)
    return pd.DataFrame({"employee_id": [f"E{i:03d}" for i in range(n)], "sex": sex,
                         "level": level, "salary": pay.round(2)})


def test_an_employee_on_several_rows_is_an_error_naming_the_ids():
    """A payroll export with one row per employee and pay period: with id= given, each
    employee counted twice halved the p-values and a remediation plan raised them twice."""
    staff = _staff()
    two_periods = pd.concat([staff, staff], ignore_index=True)
    with pytest.raises(InvalidValueError) as err:
        fh.pay_gap(two_periods, pay="salary", group="sex", controls="level", id="employee_id")
    message = str(err.value)
    assert "'employee_id'" in message and "60 IDs" in message
    assert "'E000' at rows 0 and 60" in message and "drop_duplicates" in message
    # the data are not changed, and one row per employee still works
    assert len(two_periods) == 120
    one = fh.pay_gap(staff, pay="salary", group="sex", controls="level", id="employee_id")
    assert one.overall.n.sum() == 30


def test_ids_repeated_only_in_excluded_rows_are_fine():
    """An old pay period with no pay is excluded (and counted) before the IDs are checked."""
    staff = _staff()
    old = staff.head(5).assign(salary=np.nan)
    gap = fh.pay_gap(pd.concat([staff, old], ignore_index=True), pay="salary", group="sex",
                     controls="level", id="employee_id")
    assert gap.rows.used == 60 and sum(gap.rows.excluded.values()) == 5
