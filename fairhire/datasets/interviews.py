"""Synthetic interviews, panels, decisions and rubric scores with documented, injected bias.

The generator is the test bed for :func:`fairhire.interview_panels`,
:func:`fairhire.rater_disparity` and :func:`fairhire.rubric_consistency`: what it injects is
written down in :data:`INTERVIEWS_TRUTH`, so tests and examples can check that the analyses find
it — and find nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError

__all__ = ["CRITERIA", "INTERVIEWS_TRUTH", "InterviewData", "make_interviews"]

#: Rubric criteria, in the order of the ``scores`` columns. Each is scored 1–5.
CRITERIA = ("technical", "problem_solving", "communication", "experience", "culture_fit")

#: What the generator injects. Everything else is unbiased by construction: candidates' latent
#: ability has the same distribution in every group, and panels are drawn without regard to the
#: candidate.
INTERVIEWS_TRUTH: dict[str, Any] = {
    # Interviewers whose pass/fail recommendation (and overall 1–10 rating) is biased against
    # women: their overall rating of a woman is lowered by ``biased_rater_shift`` points, which
    # lowers their pass rate for women by roughly 25–35 percentage points. They are busy
    # interviewers (many decisions each).
    "biased_raters": ("INT-03", "INT-11", "INT-17"),
    "biased_rater_group": ("sex", "Female"),
    "biased_rater_shift": -2.0,
    # Unbiased interviewers with few decisions (roughly 20–40 each): an analysis that ranks by
    # raw gap would flag some of them by noise; a sound one should not.
    "occasional_raters": tuple(f"INT-{i:02d}" for i in range(25, 33)),
    # Interviewers under 20 decisions (not assessable at the default min_decisions=20) and one
    # with a single decision, to exercise the robustness paths.
    "rare_raters": ("INT-33", "INT-34"),
    "single_decision_rater": "INT-99",
    # One interviewer did not record their sex: panels with them and no other woman/man may
    # have an unknown diversity status.
    "panelist_missing_sex": "INT-21",
    # The subjective rubric criterion: much larger rater noise and rater-specific severity
    # (low inter-rater reliability), and every rater scores women lower on it by
    # ``subjective_shift`` in latent-score units (about half a standard deviation of the scores).
    "subjective_criterion": "culture_fit",
    "subjective_shift": -0.6,
    # The other criteria have no group difference and good reliability.
    "structured_criteria": ("technical", "problem_solving", "communication", "experience"),
    # Share of candidates whose sex / race is missing (voluntary self-identification).
    "missing_rate": 0.02,
    # Panel sizes and their probabilities: panels of one exist (no diversity possible).
    "panel_sizes": {1: 0.10, 2: 0.35, 3: 0.40, 4: 0.15},
    # Panel outcome ``advanced``: at least half of the panel recommended advancing.
    "panel_rule": "at least half of the panelists recommend advancing",
    # No effect of panel composition itself is injected: pass rates on diverse and non-diverse
    # panels differ only by chance and by where the (male) biased raters happen to sit.
    "panel_effect": None,
}

_RACES = ("White", "Hispanic or Latino", "Black or African American", "Asian",
          "Two or More Races")
_RACE_SHARES = (0.55, 0.18, 0.13, 0.10, 0.04)


@dataclass(frozen=True)
class InterviewData:
    """The three tables :func:`make_interviews` returns.

    Attributes
    ----------
    panels : pandas.DataFrame
        One row per (interview, panelist): ``interview_id, candidate_id, panelist,
        panelist_sex, candidate_sex, candidate_race, advanced`` — ``advanced`` is the panel's
        outcome for the candidate (the same on every row of an interview). Input of
        :func:`fairhire.interview_panels`.
    decisions : pandas.DataFrame
        One row per (candidate, interviewer) decision: ``candidate_id, interview_id,
        interviewer, interviewer_sex, sex, race, advanced, score`` — ``advanced`` is this
        interviewer's recommendation, ``score`` their overall 1–10 rating. Input of
        :func:`fairhire.rater_disparity`.
    scores : pandas.DataFrame
        Rubric scores, wide: one row per (candidate, interviewer), one column per criterion
        (:data:`CRITERIA`, integers 1–5) plus ``candidate_id, interviewer, sex, race``. Wide
        because a rubric form is one row with one field per criterion; input of
        :func:`fairhire.rubric_consistency` with ``criteria=list(CRITERIA)``.
    criteria : tuple of str
        The criterion columns of ``scores``.
    truth : dict
        :data:`INTERVIEWS_TRUTH`, what was injected.
    """

    panels: pd.DataFrame
    decisions: pd.DataFrame
    scores: pd.DataFrame
    criteria: tuple[str, ...] = CRITERIA
    truth: dict[str, Any] = field(default_factory=lambda: dict(INTERVIEWS_TRUTH))

    def __iter__(self):  # allows ``panels, decisions, scores = make_interviews()``
        return iter((self.panels, self.decisions, self.scores))


def _interviewers(rng: np.random.Generator) -> pd.DataFrame:
    ids = [f"INT-{i:02d}" for i in range(1, 35)]
    weight = np.full(len(ids), 1.0)
    truth = INTERVIEWS_TRUTH
    for j, name in enumerate(ids):
        if name in truth["biased_raters"]:
            weight[j] = 4.0
        elif name in truth["occasional_raters"]:
            weight[j] = 0.8
        elif name in truth["rare_raters"]:
            weight[j] = 0.3
        else:
            weight[j] = rng.uniform(1.6, 2.6)
    sex = np.where(rng.random(len(ids)) < 0.62, "Male", "Female").astype(object)
    # the biased raters are men here; nothing in the analyses depends on it
    for name in truth["biased_raters"]:
        sex[ids.index(name)] = "Male"
    sex[ids.index(truth["panelist_missing_sex"])] = None
    return pd.DataFrame({
        "interviewer": ids,
        "interviewer_sex": pd.array(sex, dtype="string"),
        "weight": weight,
        "leniency": rng.normal(0.0, 0.35, len(ids)),
        "severity_subjective": rng.normal(0.0, 0.6, len(ids)),
    })


def make_interviews(n_candidates: int = 1_200, *, random_state: int | None = 0) -> InterviewData:
    """Generate synthetic interviews with a few biased raters and one subjective criterion.

    Each candidate has one interview with a panel of 1–4 interviewers drawn from a pool of 34
    (busy interviewers sit on more panels). Every panelist gives an overall rating (1–10), a
    pass/fail recommendation (rating ≥ 6) and rubric scores on five criteria (1–5). Candidates'
    latent ability has the same distribution in every group. Injected, as documented in
    :data:`INTERVIEWS_TRUTH`:

    - three busy interviewers (``INT-03``, ``INT-11``, ``INT-17``) rate women 2 points lower
      overall, so they recommend women far less often;
    - the ``culture_fit`` criterion is subjective: noisy, rater-dependent (low reliability),
      and every rater scores women lower on it;
    - robustness cases: panels of one, a handful of interviewers with few decisions, one with a
      single decision (``INT-99``), an interviewer with no recorded sex, candidates with a
      missing sex or race.

    Parameters
    ----------
    n_candidates : int
        Number of candidates (one interview each). At least 50.
    random_state : int or None
        Seed for reproducibility.

    Returns
    -------
    InterviewData
        ``panels``, ``decisions`` and ``scores`` data frames (see :class:`InterviewData`).

    Examples
    --------
    >>> import fairhire as fh
    >>> data = fh.datasets.make_interviews(300, random_state=1)
    >>> data.scores.columns.tolist()[4:]
    ['technical', 'problem_solving', 'communication', 'experience', 'culture_fit']
    >>> int(data.decisions.interview_id.nunique())
    300
    """
    if not isinstance(n_candidates, int | np.integer) or n_candidates < 50:
        raise InvalidParameterError(
            f"n_candidates={n_candidates!r} must be a whole number of at least 50."
        )
    rng = np.random.default_rng(random_state)
    truth = INTERVIEWS_TRUTH
    n = int(n_candidates)
    pool = _interviewers(rng)

    female = rng.random(n) < 0.46
    sex = np.where(female, "Female", "Male").astype(object)
    race = rng.choice(np.array(_RACES, dtype=object), size=n, p=_RACE_SHARES)
    ability = rng.normal(0.0, 1.0, n)
    sizes, probs = zip(*truth["panel_sizes"].items(), strict=True)
    panel_size = rng.choice(np.array(sizes), size=n, p=np.array(probs))
    pool, ci, ri = _seat_panels(rng, pool, panel_size)
    m = len(ci)

    is_biased = pool["interviewer"].isin(truth["biased_raters"]).to_numpy()[ri]
    shift = np.where(is_biased & female[ci], truth["biased_rater_shift"], 0.0)
    overall_latent = (
        5.6
        + 1.6 * ability[ci]
        + pool["leniency"].to_numpy()[ri]
        + shift
        + rng.normal(0.0, 0.9, m)
    )
    overall = np.clip(np.rint(overall_latent), 1, 10).astype(int)
    scores = _rubric_scores(rng, ability, female, pool, ci, ri)

    # missing demographics (voluntary self-identification)
    sex_out = np.where(rng.random(n) < truth["missing_rate"], None, sex)
    race_out = np.where(rng.random(n) < truth["missing_rate"], None, race)

    def s(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype="string")

    cand_ids = np.array([f"C{i:05d}" for i in range(1, n + 1)], dtype=object)
    int_ids = np.array([f"IV{i:05d}" for i in range(1, n + 1)], dtype=object)
    decisions = pd.DataFrame(
        {
            "candidate_id": s(cand_ids[ci]),
            "interview_id": s(int_ids[ci]),
            "interviewer": s(pool["interviewer"].to_numpy()[ri]),
            "interviewer_sex": pool["interviewer_sex"].to_numpy()[ri],
            "sex": s(sex_out[ci]),
            "race": s(race_out[ci]),
            "advanced": overall >= 6,
            "score": overall,
        }
    )
    decisions["interviewer_sex"] = decisions["interviewer_sex"].astype("string")
    return _interview_data(decisions, ci, scores)


def _seat_panels(
    rng: np.random.Generator, pool: pd.DataFrame, panel_size: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Draw each candidate's panel from the pool (busy interviewers more often).

    Returns the pool with the single-decision interviewer added, and one (candidate, pool
    row) pair per panelist, sorted by candidate then pool row.
    """
    truth = INTERVIEWS_TRUTH
    p_pool = pool["weight"].to_numpy() / pool["weight"].sum()
    rows_c, rows_r = [], []
    for i in range(panel_size.shape[0]):
        members = rng.choice(len(pool), size=int(panel_size[i]), replace=False, p=p_pool)
        rows_c.extend([i] * len(members))
        rows_r.extend(members.tolist())
    # the single-decision interviewer sits on one (larger) panel as an extra member
    host = int(np.flatnonzero(panel_size >= 2)[0])
    rows_c.append(host)
    rows_r.append(len(pool))
    extra = pd.DataFrame(
        {
            "interviewer": [truth["single_decision_rater"]],
            "interviewer_sex": pd.array(["Female"], dtype="string"),
            "weight": [0.0],
            "leniency": [0.0],
            "severity_subjective": [0.0],
        }
    )
    pool = pd.concat([pool, extra], ignore_index=True)
    ci = np.array(rows_c)
    ri = np.array(rows_r)
    order = np.lexsort((ri, ci))
    return pool, ci[order], ri[order]


def _rubric_scores(
    rng: np.random.Generator,
    ability: np.ndarray,
    female: np.ndarray,
    pool: pd.DataFrame,
    ci: np.ndarray,
    ri: np.ndarray,
) -> dict[str, np.ndarray]:
    """Rubric scores: ability + criterion-specific trait + rater noise, on a 1–5 scale."""
    truth = INTERVIEWS_TRUTH
    n, m = ability.shape[0], ci.shape[0]
    scores: dict[str, np.ndarray] = {}
    for c in CRITERIA:
        trait = ability + rng.normal(0.0, 0.5, n)
        if c == truth["subjective_criterion"]:
            latent = (
                0.5 * trait[ci]
                + pool["severity_subjective"].to_numpy()[ri]
                + np.where(female[ci], truth["subjective_shift"], 0.0)
                + rng.normal(0.0, 1.1, m)
            )
        else:
            latent = trait[ci] + 0.3 * pool["leniency"].to_numpy()[ri] + rng.normal(0.0, 0.35, m)
        scores[c] = np.digitize(latent, [-1.5, -0.5, 0.5, 1.5]) + 1
    return scores


def _interview_data(
    decisions: pd.DataFrame, ci: np.ndarray, scores: dict[str, np.ndarray]
) -> InterviewData:
    """The panel-level and rubric-score frames beside the decisions."""
    votes = pd.Series(decisions["advanced"].to_numpy()).groupby(ci).mean()
    panel_pass = (votes >= 0.5).to_numpy()
    panels = pd.DataFrame(
        {
            "interview_id": decisions["interview_id"],
            "candidate_id": decisions["candidate_id"],
            "panelist": decisions["interviewer"],
            "panelist_sex": decisions["interviewer_sex"],
            "candidate_sex": decisions["sex"],
            "candidate_race": decisions["race"],
            "advanced": panel_pass[ci],
        }
    )
    score_frame = pd.DataFrame(
        {
            "candidate_id": decisions["candidate_id"],
            "interviewer": decisions["interviewer"],
            "sex": decisions["sex"],
            "race": decisions["race"],
            **{c: scores[c].astype(int) for c in CRITERIA},
        }
    )
    return InterviewData(panels=panels, decisions=decisions, scores=score_frame)
