"""Interview decisions with one small, lopsided rater: the fixture of the report tests that
check a withheld rater's figures and flag (``test_report_trust.py``,
``test_interviews_report.py``)."""

from __future__ import annotations

import pandas as pd

import fairhire as fh


def decisions_with_a_small_flagged_rater() -> pd.DataFrame:
    """The synthetic interviews' decisions plus INT-X, who decided on 4 women (none passed)
    and 60 men (all passed): flagged, with counts below ``min_cell=5``."""
    d = fh.datasets.make_interviews(300, random_state=3).decisions
    base = d.iloc[0].to_dict()
    extra = ([{**base, "interviewer": "INT-X", "sex": "Female", "advanced": False,
               "candidate_id": f"X{i}"} for i in range(4)]
             + [{**base, "interviewer": "INT-X", "sex": "Male", "advanced": True,
                 "candidate_id": f"Y{i}"} for i in range(60)])
    return pd.concat([d, pd.DataFrame(extra)], ignore_index=True)
