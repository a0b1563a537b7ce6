"""Berkeley 1973 graduate admissions (R ``datasets::UCBAdmissions``), a public data set.

Bickel, Hammel & O'Connell (1975), "Sex bias in graduate admissions: data from Berkeley",
Science 187(4175): 398–404. The six largest departments, anonymised A–F.
"""

from __future__ import annotations

import pandas as pd

# department: (men admitted, men rejected, women admitted, women rejected)
_COUNTS = {
    "A": (512, 313, 89, 19),
    "B": (353, 207, 17, 8),
    "C": (120, 205, 202, 391),
    "D": (138, 279, 131, 244),
    "E": (53, 138, 94, 299),
    "F": (22, 351, 24, 317),
}


def load_ucb_admissions() -> pd.DataFrame:
    """Berkeley 1973 admissions by department and sex, as a table of counts.

    Returns
    -------
    pandas.DataFrame
        Columns ``department``, ``sex`` ("Male"/"Female"), ``applicants``, ``admitted``;
        12 rows. In aggregate men were admitted at 44.5% and women at 30.4% (impact ratio
        0.68); within departments the difference disappears (Mantel–Haenszel odds ratio of
        admission, men vs women, 0.905) — Simpson's paradox.

    Examples
    --------
    >>> import fairhire as fh
    >>> ucb = fh.datasets.load_ucb_admissions()
    >>> int(ucb.applicants.sum()), int(ucb.admitted.sum())
    (4526, 1755)
    """
    rows = []
    for dept, (ma, mr, wa, wr) in _COUNTS.items():
        rows.append((dept, "Male", ma + mr, ma))
        rows.append((dept, "Female", wa + wr, wa))
    return pd.DataFrame(rows, columns=["department", "sex", "applicants", "admitted"])
