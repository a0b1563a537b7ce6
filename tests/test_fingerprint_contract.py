"""The fingerprint contract of every public analysis (DESIGN.md, "The result contract").

``fingerprint`` is the SHA-256 of the inputs a result was computed from, so:

1. the same rows in another order, or in another engine (polars), give the same fingerprint;
2. changing one value the analysis reads (a pay figure, a score, a label, a flag, a date)
   gives a different fingerprint.

Each case names the data, the call and the columns it reads; the checks shuffle the rows,
move the data to polars, and change one value of each column read (in a row the analysis
uses) to another value of that column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest_spark import local_frames

import fairhire as fh
from fairhire.errors import InvalidParameterError

STAGES = ["screened", "interviewed", "offered", "hired"]
LEVELS = ["L1", "L2", "L3", "L4", "L5"]


def _workforce() -> pd.DataFrame:
    return fh.datasets.make_workforce(600, random_state=4)


def _exits() -> pd.DataFrame:
    return fh.datasets.make_workforce(600, random_state=4, exits=True)


def _funnel() -> pd.DataFrame:
    df = fh.datasets.make_hiring_funnel(1_500, random_state=4)
    df["score"] = (df["applicant_id"] * 7919 % 1013) / 7.0
    return df


def _decisions() -> pd.DataFrame:
    df = fh.datasets.make_interviews(300, random_state=4).decisions
    # scores with fractions: their float sums depend on the order of summation
    df["fscore"] = df["score"] / 7.0 + (np.arange(len(df)) % 13) / 3.0
    return df


@dataclass(frozen=True)
class Case:
    data: Callable[[], pd.DataFrame]
    run: Callable[[Any], Any]
    reads: tuple[str, ...]
    #: rows the analysis certainly uses (a perturbed value there must show)
    used: Callable[[pd.DataFrame], pd.Series] | None = None
    polars: bool = True
    xfail: dict[str, str] = field(default_factory=dict)  # check -> reason
    #: columns constant within a unit (a candidate's group on each of their rows): column ->
    #: the key column whose rows all change together
    units: dict[str, str] = field(default_factory=dict)


def _uk(df: Any) -> Any:
    return fh.uk_pay_gap_metrics(df, hourly_pay="hourly_pay", bonus="bonus", sex="sex",
                                 full_pay="full_pay")


def _eu(df: Any) -> Any:
    return fh.eu_pay_transparency_metrics(df, pay="salary", variable_pay="bonus", sex="sex",
                                          category="job_family", hours="hours")


def _screening(df: pd.DataFrame) -> Any:
    return fh.audit_screening_model(df["screened"], sensitive_features=df[["sex"]],
                                    y_true=df["hired"])


CASES: dict[str, Case] = {
    "adverse_impact": Case(_funnel, lambda d: fh.adverse_impact(d, group="sex", stages=STAGES),
                           ("sex", "screened")),
    "adverse_impact strata": Case(
        _funnel,
        lambda d: fh.adverse_impact(d, group="sex", stages=STAGES, strata="requisition"),
        ("requisition",)),
    "ll144 selection": Case(_funnel, lambda d: fh.ll144_audit(d, sex="sex", race="race",
                                                              selected="screened"),
                            ("sex", "race", "screened")),
    "ll144 score": Case(_funnel, lambda d: fh.ll144_audit(d, sex="sex", race="race",
                                                          score="score"),
                        ("sex", "score"),
                        xfail={"perturb score": "fingerprint of the counts above/below the "
                               "median: a score moved on the same side is not seen (impact/)"}),
    "cutoff_analysis": Case(_funnel, lambda d: fh.cutoff_analysis(d, score="score", group="race",
                                                                  cutoffs=[40, 70, 100]),
                            ("race", "score"),
                            xfail={"perturb score": "fingerprint of counts per cut-off: a score "
                                   "moved between cut-offs is not seen (impact/)"}),
    "audit_screening_model": Case(_funnel, _screening, ("sex", "screened", "hired"),
                                  polars=False),
    "pay_gap": Case(_workforce, lambda d: fh.pay_gap(d, pay="salary", group="sex",
                                                     controls=["level", "tenure_years"]),
                    ("salary", "sex", "level", "tenure_years")),
    "oaxaca_blinder": Case(_workforce, lambda d: fh.oaxaca_blinder(
        d, outcome="salary", group="sex", features=["tenure_years"]), ("salary", "tenure_years")),
    "uk_pay_gap_metrics": Case(_workforce, _uk, ("hourly_pay", "bonus", "sex", "full_pay"),
                               used=lambda d: d["full_pay"] & (d["bonus"] > 0)),
    "eu_pay_transparency_metrics": Case(
        _workforce, _eu, ("salary", "bonus", "sex", "job_family", "hours"),
        used=lambda d: d["bonus"] > 0),
    "promotion_disparity": Case(_workforce, lambda d: fh.promotion_disparity(
        d, group="sex", promoted="promoted", level="level"), ("sex", "promoted", "level")),
    "time_to_promotion": Case(_workforce, lambda d: fh.time_to_promotion(
        d, group="sex", duration="months_in_level", event="promoted"),
        ("sex", "months_in_level", "promoted")),
    "representation": Case(_workforce, lambda d: fh.representation(
        d, group="sex", level="level", order=LEVELS), ("sex", "level")),
    "rating_disparity": Case(_workforce, lambda d: fh.rating_disparity(
        d, group="sex", rating="performance_rating"), ("sex", "performance_rating")),
    "interview_panels": Case(
        lambda: fh.datasets.make_interviews(300, random_state=4).panels,
        lambda d: fh.interview_panels(d, interview="interview_id", panelist_group="panelist_sex",
                                      candidate_group="candidate_sex", outcome="advanced"),
        ("panelist_sex", "candidate_sex", "advanced"),
        units={"candidate_sex": "interview_id", "advanced": "interview_id"}),
    "rater_disparity": Case(_decisions, lambda d: fh.rater_disparity(
        d, rater="interviewer", candidate_group="sex", outcome="advanced"),
        ("interviewer", "sex", "advanced")),
    "rater_disparity score": Case(_decisions, lambda d: fh.rater_disparity(
        d, rater="interviewer", candidate_group="sex", score="fscore"),
        ("interviewer", "sex", "fscore")),
    "rubric_consistency": Case(
        lambda: fh.datasets.make_interviews(300, random_state=4).scores,
        lambda d: fh.rubric_consistency(d, candidate="candidate_id", rater="interviewer",
                                        criteria=["technical", "communication"],
                                        candidate_group="sex"),
        ("technical", "interviewer", "sex"), units={"sex": "candidate_id"}),
    "retention": Case(_exits, lambda d: fh.retention(d, group="sex", exited="exited",
                                                     exit_type="exit_type", level="level"),
                      ("sex", "exit_type", "level"), used=lambda d: d["exited"]),
    "time_to_exit": Case(_exits, lambda d: fh.time_to_exit(
        d, group="sex", duration="tenure_months", event="exited", cause="exit_type"),
        ("sex", "tenure_months", "exited", "exit_type"), used=lambda d: d["exited"]),
    "reduction_in_force": Case(
        lambda: _exits().query("laid_off.notna()").reset_index(drop=True),
        lambda d: fh.reduction_in_force(d, group="sex", selected="laid_off", unit="job_family",
                                        age="age"),
        ("sex", "laid_off", "job_family", "age")),
    "monitor": Case(lambda: fh.datasets.make_hiring_funnel(1_500, random_state=4, periods=4),
                    lambda d: fh.monitor(d, period="applied_on", freq="Q", group="sex",
                                         stages=STAGES),
                    ("applied_on", "sex", "screened"), used=lambda d: ~d["screened"]),
}

_DATA: dict[str, pd.DataFrame] = {}
_PRINTS: dict[str, str] = {}


def _data(name: str) -> pd.DataFrame:
    if name not in _DATA:
        _DATA[name] = CASES[name].data()
    return _DATA[name].copy()


def _print(name: str) -> str:
    if name not in _PRINTS:
        _PRINTS[name] = CASES[name].run(_data(name)).fingerprint
    return _PRINTS[name]


def _other_value(values: pd.Series, at: int) -> Any:
    """Another value of the column for row ``at``: the flag flipped, a number moved a little,
    a label or date swapped for another one that occurs in the column."""
    value = values.iloc[at]
    if pd.api.types.is_bool_dtype(values.dtype) or isinstance(value, bool | np.bool_):
        return not value
    if pd.api.types.is_float_dtype(values.dtype):
        return value + 0.37
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return value + pd.Timedelta(days=120)
    others = [v for v in pd.unique(values.dropna()) if v != value]
    return others[len(others) // 2]


def _cases(check: str) -> list[Any]:
    """Parameters of one check; known violations outside this test's reach are strict xfails
    (a fix makes them fail: then remove the entry)."""
    out = []
    for name, case in CASES.items():
        if check == "polars" and not case.polars:
            continue
        params = ([(f"perturb {c}", (name, c), f"{name}-{c}") for c in case.reads]
                  if check == "perturb" else [(check, name, name)])
        for key, values, ident in params:
            marks = ([pytest.mark.xfail(strict=True, reason=case.xfail[key])]
                     if key in case.xfail else [])
            out.append(pytest.param(*(values if isinstance(values, tuple) else (values,)),
                                    id=ident, marks=marks))
    return out


@pytest.mark.parametrize("name", _cases("shuffle"))
def test_same_rows_in_another_order_same_fingerprint(name):
    df = _data(name)
    for seed in (1, 2):
        shuffled = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        assert CASES[name].run(shuffled).fingerprint == _print(name), seed


@pytest.mark.parametrize("name", _cases("polars"))
def test_same_rows_in_another_engine_same_fingerprint(name):
    for engine, frame in local_frames(_data(name)).items():
        try:
            got = CASES[name].run(frame).fingerprint
        except InvalidParameterError as exc:  # regressions refuse lazy data above a limit only
            pytest.fail(f"{engine}: {exc}")
        assert got == _print(name), engine


@pytest.mark.parametrize(("name", "column"), _cases("perturb"))
def test_one_changed_value_changes_the_fingerprint(name, column):
    case = CASES[name]
    df = _data(name)
    usable = df[list(case.reads)].notna().all(axis=1)
    if case.used is not None:
        usable &= case.used(df).fillna(False).astype(bool)
    at = int(np.flatnonzero(usable.to_numpy())[len(df) // 7 % int(usable.sum())])
    changed = df.copy()
    changed[column] = changed[column].astype(object)
    rows = [at]
    if column in case.units:
        key = case.units[column]
        rows = np.flatnonzero((df[key] == df.loc[at, key]).to_numpy()).tolist()
    changed.loc[rows, column] = _other_value(df[column], at)
    changed[column] = changed[column].astype(df[column].dtype)
    assert case.run(changed).fingerprint != _print(name), (column, at)
