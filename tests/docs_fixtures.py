"""What the documentation's examples assume the reader has: files and variables, per page.

``tests/test_docs_examples.py`` runs every page's ```python blocks in order, in a temporary
folder. Before a page runs, its fixture here writes the files the page reads (``applicants.csv``,
``applicants.parquet``, ...) from fairhire's bundled synthetic data sets and returns the
variables the page uses without defining them (a user's ``df``, ``model``, ...), with the
columns the page names. Data are small: the whole docs test should take seconds. The files of
the pages' commands (``command_line``) and what a page's prose says its examples find
(``CLAIMS``) are here too.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import fairhire as fh

DOCS = Path(__file__).resolve().parents[1] / "docs"

Fixture = Callable[[Path], dict[str, Any]]


def _workforce(n: int = 2_000, **options: Any) -> pd.DataFrame:
    return fh.datasets.make_workforce(n, random_state=0, **options)


def job_descriptions(directory: Path) -> dict[str, Any]:
    # the page shows the lexicon file (```toml) and then loads it as acme.toml
    page = (DOCS / "guide" / "job-descriptions.md").read_text(encoding="utf-8")
    toml = re.search(r"^```toml\n(.*?)^```", page, flags=re.S | re.M)
    assert toml, "job-descriptions.md: the example lexicon (```toml block) is gone"
    (directory / "acme.toml").write_text(toml.group(1), encoding="utf-8")
    return {}


def large_data(directory: Path) -> dict[str, Any]:
    from conftest_spark import write_example_files

    write_example_files(directory)  # applicants.parquet (with a score), job_ads.parquet
    # the regression section samples 1% of an employee table: 10,000 rows give ~100
    _workforce(10_000).to_parquet(directory / "employees.parquet", index=False)
    return {}


def large_data_spark(directory: Path, spark: Any) -> dict[str, Any]:
    """The Spark table ``employees`` the regression section samples (Spark blocks only)."""
    import pyarrow as pa

    employees = pd.read_parquet(directory / "employees.parquet")
    table = pa.Table.from_pandas(employees, preserve_index=False)
    spark.createDataFrame(table).createOrReplaceTempView("employees")
    return {}


class _ScreeningModel:
    """A fitted classifier as the LL144 page uses one: ``predict_proba(X)[:, 1]``."""

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-(X["score"].to_numpy(dtype=float) - 55.0) / 5.0))
        return np.column_stack([1.0 - p, p])


def ll144(directory: Path) -> dict[str, Any]:
    applicants = fh.datasets.make_assessment_scores(random_state=0)
    # the tool's decision (True/False), as an ATS export gives it
    applicants["advanced"] = applicants["score"] >= 60
    applicants.to_csv(directory / "applicants.csv", index=False)
    # an export with its own column names and labels that need a map (the label-map example)
    df = applicants.rename(columns={"sex": "gender", "race": "ethnicity"})
    df["gender"] = df["gender"].astype(object)
    df["ethnicity"] = df["ethnicity"].astype(object)
    df.loc[df.index % 50 == 1, "gender"] = "Non-binary"
    df.loc[df["ethnicity"] == "Two or More Races", "ethnicity"] = "Mixed"
    df.loc[df.index % 70 == 2, "ethnicity"] = "Not stated"
    df.loc[df.index % 90 == 3, "ethnicity"] = "N/S"
    return {
        "df": df,
        "model": _ScreeningModel(),
        "X": applicants[["score"]],
        "later_performance": applicants["qualified"],
    }


def monitoring(directory: Path) -> dict[str, Any]:
    # last year's and this year's exports; the page's audits/ folder is made by to_json
    return {
        "stages": ["screened", "interviewed", "offered", "hired"],
        "applicants_2025": fh.datasets.make_hiring_funnel(2_000, random_state=25),
        "applicants_2026": fh.datasets.make_hiring_funnel(2_000, random_state=26),
    }


def _with_dates(staff: pd.DataFrame, as_of: str = "2025-12-31") -> pd.DataFrame:
    """Hire and exit dates (ISO text, as an HR export writes them) matching the tenures."""
    out = staff.copy()
    days = pd.to_timedelta((staff["tenure_months"] * 30.44).round(), unit="D")
    hired = pd.Timestamp(as_of) - days - pd.Timedelta(days=31)
    out["hired_on"] = hired.dt.strftime("%Y-%m-%d")
    out["left_on"] = (hired + days).dt.strftime("%Y-%m-%d").where(staff["exited"].astype(bool))
    return out


def retention(directory: Path) -> dict[str, Any]:
    # an HR export with hire and exit dates instead of a tenure
    hr = _with_dates(_workforce(2_000, exits=True))
    return {"hr": hr[["employee_id", "sex", "hired_on", "left_on"]]}


#: page (relative to docs/) -> its fixture; pages not listed need nothing
FIXTURES: dict[str, Fixture] = {
    "guide/job-descriptions.md": job_descriptions,
    "guide/large-data.md": large_data,
    "guide/ll144.md": ll144,
    "guide/monitoring.md": monitoring,
    "guide/retention.md": retention,
}

#: page -> what its Spark blocks need besides the page's fixture (a table in the session)
SPARK_FIXTURES: dict[str, Callable[[Path, Any], dict[str, Any]]] = {
    "guide/large-data.md": large_data_spark,
}


def command_line(directory: Path) -> None:
    """The files the pages' commands read (``test_docs_commands.py``): a hiring funnel
    (applicants.csv), a workforce with exits and dates (staff.csv), job ads (ads/), two audits
    to compare and a one-analysis audit config."""
    applicants = fh.datasets.make_hiring_funnel(2_000, random_state=3, periods=4)
    applicants["score"] = (applicants["applicant_id"] * 7919 % 101) / 4.0  # for ll144 --score
    applicants.to_csv(directory / "applicants.csv", index=False)
    staff = _with_dates(_workforce(1_500, exits=True))
    staff["department"] = staff["job_family"]  # the layoff example's decisional unit
    staff.to_csv(directory / "staff.csv", index=False)
    ads = directory / "ads"
    ads.mkdir()
    for row in fh.datasets.load_job_ads().itertuples():
        (ads / f"ad_{row.ad_id}.txt").write_text(row.text, encoding="utf-8")
    # two audits to compare
    for year, seed in (("2025", 1), ("2026", 2)):
        report = fh.Report(title=f"Hiring audit {year}")
        report.add(
            fh.adverse_impact(
                fh.datasets.make_hiring_funnel(2_000, random_state=seed),
                group="sex",
                stages=["screened", "hired"],
            ),
            title="Hiring funnel by sex",
        )
        report.to_json(directory / f"audit-{year}.json")
    (directory / "audit.toml").write_text(
        '[report]\ntitle = "Audit"\nformats = ["json"]\noutput = "out"\n\n'
        '[data.applicants]\npath = "applicants.csv"\n\n'
        '[[analysis]]\ntype = "adverse_impact"\ngroup = "sex"\nstages = ["screened", "hired"]\n',
        encoding="utf-8",
    )


# --- what a page says about its examples' results, in prose -------------------------------


def _documented_columns(page: str) -> set[str]:
    """The column names a page's "| column | meaning |" table documents (first cell)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    table = text.split("| column | meaning |", 1)[1].split("\n\n", 1)[0]
    cells = [re.sub(r"\(.*?\)", "", row.split("|")[1]) for row in table.splitlines()[2:]]
    return {name for cell in cells for name in re.findall(r"`(\w+)`", cell)}


def _adverse_impact_claims(ns: dict[str, Any]) -> None:
    # the columns of ai.table that the page's table documents
    ai = fh.adverse_impact(ns["df"], group="sex", stages=["screened", "interviewed"])
    assert _documented_columns("guide/adverse-impact.md") <= set(ai.table.columns)


def _ll144_claims(ns: dict[str, Any]) -> None:
    # the columns of ll.sex, ll.race and ll.intersectional that "What you get" documents, of
    # a selection-rate audit (the page's ll) and of a scoring-rate one
    scoring = fh.ll144_audit(ns["applicants"], sex="sex", race="race", score="score")
    columns = {
        c
        for ll in (ns["ll"], scoring)
        for t in (ll.sex, ll.race, ll.intersectional)
        for c in t.columns
    }
    assert _documented_columns("guide/ll144.md") <= columns


def _interviews_claims(ns: dict[str, Any]) -> None:
    # "the analyses finding exactly those [three interviewers and culture_fit], and nothing else"
    assert list(ns["rd"].flagged["rater"]) == ["INT-03", "INT-11", "INT-17"]
    assert list(ns["rc"].to_review["criterion"]) == ["culture_fit"]
    # the FutureWarning the renamed-arguments section shows, word for word
    page = (DOCS / "guide" / "interviews.md").read_text(encoding="utf-8")
    shown = re.search(r"^```text\nFutureWarning: (.*?)^```", page, flags=re.S | re.M)
    assert shown, "interviews.md: the FutureWarning block is gone"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fh.rater_disparity(
            ns["data"].decisions,
            rater="interviewer",
            candidate_group="sex",
            outcome="advanced",
            min_decisions=20,
        )
    said = [str(w.message) for w in caught if w.category is FutureWarning]
    assert " ".join(shown.group(1).split()) in said


def _monitoring_claims(ns: dict[str, Any]) -> None:
    # "change_per_period, -0.118 means 11.8% lower each quarter" (the screening stage's women)
    trends = ns["mon"].trends.set_index(["stage", "group"])
    assert round(trends.loc[("screened", "Female"), "change_per_period"], 3) == -0.118
    assert trends.loc[("screened", "Female"), "direction"] == "worsening"


def _pay_claims(ns: dict[str, Any]) -> None:
    # "3.7 (the example above) means women are paid 3.7% less than comparable men"
    overall = ns["gap"].overall.set_index("group")
    assert round(overall.loc["Female", "adjusted_gap"], 1) == 3.7
    assert overall.loc["Female", "mean_gap_pct"] > 0  # "positive means men are paid more"


#: page -> a check of what the page's prose says the examples give (run after the examples)
CLAIMS: dict[str, Callable[[dict[str, Any]], None]] = {
    "guide/adverse-impact.md": _adverse_impact_claims,
    "guide/ll144.md": _ll144_claims,
    "guide/interviews.md": _interviews_claims,
    "guide/monitoring.md": _monitoring_claims,
    "guide/pay.md": _pay_claims,
}
