"""The LL144 summary of results, the cut-off analysis and the screening audit in reports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.datasets.assessment import make_assessment_scores
from fairhire.report.testing import HOSTILE_LABEL, check_renders

DISCLOSED = {
    "audit_date": "2026-01-15",
    "tool_distribution_date": "2024-09-01",
    "data_source": "Historical data of the tool's use at Example Corp",
    "data_period": ("2025-01-01", "2025-12-31"),
    "tool_name": "ResumeRank 2",
    "auditor": "Independent Audits LLC",
}


@pytest.fixture(scope="module")
def scores():
    return make_assessment_scores(2_500, random_state=4)


def test_ll144_selection_audit_renders_the_summary_of_results():
    df = fh.datasets.make_hiring_funnel(2_500, random_state=4)
    ll = fh.ll144_audit(
        df, sex="sex", race="race", selected="screened", min_share=0.02, **DISCLOSED
    )
    out = check_renders(ll)
    html, md = out["html"], out["markdown"]
    for text in (html, md):
        for needle in (
            "Sex categories",
            "Race/ethnicity categories",
            "Intersectional categories",
            "Number of applicants",
            "Selection rate",
            "Impact ratio",
            "2026-01-15",
            "2024-09-01",
            "ResumeRank 2",
            "2025-01-01 to 2025-12-31",
            "not required by Local Law 144",
            "unknown",
        ):
            assert needle in text, needle
    assert "Not yet publishable" not in html
    assert "White (Not Hispanic or Latino)" in html
    # the highest-rate category and the DCWP reference text are printed
    assert "highest rate" in md and "6 RCNY" in md
    # every exclusion is printed with its reason, and the justification once
    assert md.count("under the 2% threshold") >= len(ll.excluded_categories)
    assert ll.exclusion_justification.split(":")[0] in md
    data = json.loads(out["json"])
    assert data["sections"][0]["result"]["type"] == "LL144Audit"


def test_ll144_scoring_audit_and_missing_disclosures(scores):
    ll = fh.ll144_audit(scores, sex="sex", race="race", score="score", min_share=0.02)
    out = check_renders(ll, min_cell=5)
    assert "Not yet publishable" in out["html"] and "not provided (required)" in out["markdown"]
    assert "Scoring rate" in out["html"] and "median score of the full sample" in out["html"]
    assert "Scoring rate (tools that score)" in out["html"]  # methodology entry
    assert "Selection rate (tools that select" not in out["html"]


def _audit(cells: list[tuple[str, str, int, int]]) -> fh.LL144Audit:
    """An audit of (sex, race, applicants, selected) cells, one row per applicant."""
    rows = []
    for sex, race, n, k in cells:
        rows += [(sex, race, True)] * k + [(sex, race, False)] * (n - k)
    df = pd.DataFrame(rows, columns=["sex", "race", "selected"])
    return fh.ll144_audit(df, sex="sex", race="race", selected="selected")


def _race_row(md: str, label: str) -> str:
    table = md[md.index("### Race/ethnicity categories") : md.index("### Intersectional")]
    return next(line for line in table.splitlines() if line.startswith(f"| {label}"))


def test_ll144_small_counts_are_suppressed():
    ll = _audit([
        ("Male", "White", 40, 20),
        ("Female", "White", 30, 12),
        ("Female", "Asian", 3, 1),
        ("Male", "Black or African American", 2, 0),
    ])
    asian = _race_row(check_renders(ll, min_cell=5)["markdown"], "Asian")
    assert "< 5" in asian and "33.3%" not in asian


def test_ll144_note_of_a_small_category_is_withheld_with_its_counts():
    # "< 5 | < 5 | s | s | rate above the highest, but too few individuals ..." told the
    # reader the withheld rate was above the top one; "no individuals" told them it was 0
    ll = _audit([("Male", "White", 400, 200), ("Female", "White", 300, 120),
                 ("Female", "Asian", 4, 4)])
    assert "too few individuals" in ll.published_table("race/ethnicity").to_string()
    out = check_renders(ll, min_cell=5)
    md = out["markdown"]
    asian = _race_row(md, "Asian")
    assert asian.rstrip().endswith("| s |"), asian
    intersectional = md[md.index("### Intersectional") :]
    assert "no individuals in this category" not in intersectional
    assert "too few individuals" not in md
    assert "too few individuals" not in out["json"]
    assert "no individuals in this category" not in out["json"]


def test_ll144_hostile_labels_are_inert():
    df = pd.DataFrame(
        {
            "sex": ["Male", "Female", HOSTILE_LABEL] * 10,
            "race": ["White"] * 30,
            "selected": [True, False, True] * 10,
        }
    )
    ll = fh.ll144_audit(
        df,
        sex="sex",
        race="race",
        selected="selected",
        category_map={HOSTILE_LABEL: "Other"},
        tool_name=HOSTILE_LABEL,
    )
    check_renders(ll, hostile=ll)


def test_cutoff_analysis_renders(scores):
    cut = fh.cutoff_analysis(
        scores,
        score="score",
        group="race",
        min_share=0.02,
        target_selected=700,
        target_tolerance=0.3,
    )
    out = check_renders(cut, min_cell=5)
    for text in (out["html"], out["markdown"]):
        assert "All candidate cut-offs" in text and "§ 106" in text
        assert "Least adverse cut-off" in text
    assert "Adverse impact across cut-offs" in out["html"]  # methodology
    df = pd.DataFrame({"g": ["A", HOSTILE_LABEL] * 30, "s": np.arange(60) % 7 * 1.0})
    hostile = fh.cutoff_analysis(df, score="s", group="g", target_selected=20)
    check_renders(hostile, hostile=hostile)


def test_screening_model_renders(scores):
    audit = fh.audit_screening_model(
        scores["score"].to_numpy(),
        sensitive_features=scores[["sex", "race"]],
        y_true=scores["qualified"],
        score_threshold=65,
        min_share=0.02,
    )
    out = check_renders(audit, min_cell=5)
    for text in (out["html"], out["markdown"]):
        assert "Selection rates by sex × race" in text and "Error rates by group" in text
        assert "Civil Rights Act of 1991" in text
    no_outcomes = fh.audit_screening_model(
        scores["score"].to_numpy() >= 65, sensitive_features=scores["sex"]
    )
    html = check_renders(no_outcomes)["html"]
    assert "Error rates by group" not in html
    sf = pd.Series(["A", HOSTILE_LABEL] * 50, name="group")
    hostile = fh.audit_screening_model(np.arange(100) % 3 == 0, sensitive_features=sf)
    check_renders(hostile, hostile=hostile)


def test_a_headline_is_checked_against_its_own_tables_withheld_figures():
    # the sex finding was withheld because its impact ratio's text (0.92) equalled a figure
    # withheld in the intersectional table: a headline states only its own table's figures
    from fairhire.report.sentences import figure_texts
    from fairhire.report.view import ReportView

    rng = np.random.default_rng(5)
    n = 2_000
    sex = rng.choice(["Male", "Female", "Non-binary", "Prefer not to say"], n,
                     p=[.48, .47, .03, .02])
    race = rng.choice(["White", "Black", "Hispanic", "Asian", "Two or more races",
                       "Native American", "Pacific Islander", "Decline to self-identify"], n,
                      p=[.4, .15, .18, .15, .05, .02, .01, .04])
    score = np.round(rng.normal(70, 10, n), 1)
    score[rng.random(n) < 0.02] = np.nan
    ll = fh.ll144_audit(pd.DataFrame({"sex": sex, "race": race, "score": score}), sex="sex",
                        race="race", score="score")
    view = ReportView(ll, min_cell=5)
    shown = {h.section: h.text for h in view.headlines()}
    raw = {h.section: h.text for h in ll.headlines()}
    assert shown["sex"] == raw["sex"] and "0.92, for Other (58 applicants" in raw["sex"]
    assert shown["intersectional"].startswith("intersectional: a finding is withheld")
    # the coincidence is real: the intersectional table withholds a figure written "0.92"
    elsewhere = figure_texts(view._withheld_in[id(ll.intersectional)])
    own = figure_texts(view._withheld_in[id(ll.sex)])
    assert any(t in raw["sex"] for t in elsewhere) and not any(t in raw["sex"] for t in own)
