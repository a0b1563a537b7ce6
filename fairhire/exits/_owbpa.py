"""The OWBPA disclosure of a reduction in force, in the layout the regulation uses.

29 U.S.C. § 626(f)(1)(H): when a waiver of age claims is requested in connection with an
exit-incentive or other group termination programme, the employer informs the individual of the
decisional unit covered, the eligibility factors and time limits, and "the job titles and ages
of all individuals eligible or selected for the program, and the ages of all individuals in the
same job classification or organizational unit who are not eligible or selected". The EEOC's
regulation (29 CFR 1625.22(f)(4)) gives the layout: per job title, each age with the number of
people selected and not selected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._counts import EVENT, N

__all__ = ["OWBPA_COLUMNS", "owbpa_table"]

OWBPA_COLUMNS = ["unit", "job_title", "age", "selected", "not_selected"]


def owbpa_table(
    t: pd.DataFrame,
    *,
    unit_key: str | None,
    title_key: str | None,
    age_key: str,
    warnings: list[str],
) -> pd.DataFrame:
    """Per decisional unit, job title and age: people selected and not selected.

    Examples
    --------
    >>> t = pd.DataFrame({"u": ["A", "A", "A"], "j": ["Clerk"] * 3, "a": [41.0, 41.0, 35.0],
    ...                   "__fh_event": [True, False, False], "__fh_n": [1, 2, 3]})
    >>> owbpa_table(t, unit_key="u", title_key="j", age_key="a", warnings=[])
    ... # doctest: +NORMALIZE_WHITESPACE
      unit job_title  age  selected  not_selected
    0    A     Clerk   35         0             3
    1    A     Clerk   41         1             2
    """
    if title_key is None:
        warnings.append("no job_title= given: the OWBPA disclosure lists ages per decisional "
                        "unit only, but the law asks for job titles too.")
    frame = pd.DataFrame({
        "unit": t[unit_key].to_numpy() if unit_key else "All units",
        "job_title": t[title_key].to_numpy() if title_key else "(not given)",
        "age": t[age_key].to_numpy(),
        "selected": np.where(t[EVENT].astype(bool), t[N], 0),
        "not_selected": np.where(t[EVENT].astype(bool), 0, t[N]),
    })
    missing = frame["age"].isna()
    if missing.any():
        warnings.append(f"{int(frame.loc[missing, ['selected', 'not_selected']].sum().sum()):,} "
                        "employees have no age: the OWBPA disclosure cannot list them.")
    frame = frame.loc[~missing]
    out = (frame.groupby(["unit", "job_title", "age"], sort=True)[["selected", "not_selected"]]
           .sum().reset_index())
    out["age"] = out["age"].astype("int64")
    for c in ("selected", "not_selected"):
        out[c] = out[c].astype("int64")
    return out[OWBPA_COLUMNS]
