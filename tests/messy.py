"""One messy HR export, for the consistency matrix ("One set of rules").

Every analysis and every ``fairhire`` subcommand reads this data and must agree on the groups,
the reference group, the exclusions and the counts (see ``EXPECTED``). It has what real exports
have: labels that differ only in case or spaces, yes/no flags written five ways, blanks, a
10-person group with a 100% rate (too small to be the reference), and columns named ``n`` and
``selected``.

By sex (after cleaning): Male 400 people, 200 selected (50%); Female 500 people of whom 6 have
a blank outcome, so 494 compared, 150 selected (30.4%); Non-binary 10 people, 10 selected
(100%); 10 people with a blank or missing sex.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

YES = ["yes", "Y", 1.0, "TRUE", " y", "Yes"]
NO = ["no", "N", 0.0, "false", "n ", "No"]

# (sex, race, people, selected)
BLOCKS = [
    ("Male", "White", 220, 110),
    ("Male", "Black", 130, 65),
    ("Male", "Asian", 40, 20),
    ("Male", "Hispanic", 10, 5),
    ("Female", "White", 280, 84),
    ("Female", "Black", 150, 45),
    ("Female", "Asian", 64, 21),
    ("Non-binary", "White", 10, 10),
]
#: spellings of each sex label, with how many rows of the group use them (the rest: canonical)
SEX_SPELLINGS = {"Male": ["male", " MALE "], "Female": ["female ", " FEMALE"]}
RACE_SPELLINGS = {"White": ["white"], "Black": ["black ", "BLACK"]}

EXPECTED = {
    "groups": ["Female", "Male", "Non-binary"],
    "reference": "Male",
    "too_small": ["Non-binary"],
    "unknown_group_rows": 10,
    "missing_outcome_rows": 6,
    "total_rows": 920,
    "applicants": {"Female": 494, "Male": 400, "Non-binary": 10},
    "selected": {"Female": 150, "Male": 200, "Non-binary": 10},
    "merged_labels": {"Female": {"female ", " FEMALE"}, "Male": {"male", " MALE "}},
}


def messy_frame(seed: int = 7) -> pd.DataFrame:
    """The messy export as a pandas DataFrame (object columns, as read from a CSV)."""
    rng = np.random.default_rng(seed)
    rows = []
    for sex, race, people, selected in BLOCKS:
        for i in range(people):
            rows.append({"sex": sex, "race": race, "sel": i < selected})
    frame = pd.DataFrame(rows)
    # spelling variants of sex and race labels, a few rows each
    for label, variants in SEX_SPELLINGS.items():
        idx = frame.index[frame["sex"] == label]
        for k, v in enumerate(variants):
            frame.loc[idx[k * 7 : k * 7 + 5 + k], "sex"] = v
    for label, variants in RACE_SPELLINGS.items():
        idx = frame.index[frame["race"] == label]
        for k, v in enumerate(variants):
            frame.loc[idx[k * 9 : k * 9 + 4], "race"] = v
    # yes/no written many ways
    yes, no = itertools.cycle(YES), itertools.cycle(NO)
    frame["selected"] = [next(yes) if s else next(no) for s in frame.pop("sel")]
    frame["selected"] = frame["selected"].astype(object)
    # 6 women with a blank outcome, 10 people with a blank or missing sex
    extra = [{"sex": "Female", "race": "Black", "selected": v}
             for v in ["", " ", None, np.nan, "", None]]
    extra += [{"sex": v, "race": "White", "selected": s}
              for v, s in zip(["", " ", None, np.nan, "  "] * 2, YES[:5] + NO[:5], strict=True)]
    frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    n = len(frame)
    is_male = frame["sex"].astype(str).str.strip().str.casefold().eq("male").to_numpy()
    frame["n"] = rng.choice(["R1", "R2", "R3", "R4"], size=n)  # a requisition named "n"
    frame["level"] = rng.choice(["L1", "L2", "L3"], size=n, p=[0.5, 0.3, 0.2])
    frame["salary"] = np.round(50_000 + 8_000 * is_male + rng.normal(0, 4_000, n), 2)
    frame["hourly_pay"] = np.round(frame["salary"] / 1950, 4)
    frame["score"] = np.round(50 + 10 * is_male + rng.normal(0, 10, n), 1)
    frame["months_in_level"] = np.round(rng.uniform(1, 48, n), 1)
    frame["rating"] = rng.choice([1, 2, 3, 4, 5], size=n)
    frame["interviewer"] = rng.choice(["Ana", "Ben", "Cy"], size=n)
    frame["interview_id"] = np.arange(n)
    frame["applied_on"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(
        rng.integers(0, 365, n), unit="D"
    )
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
