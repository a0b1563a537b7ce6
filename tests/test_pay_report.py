"""Report partials of the pay results: render in every format, escape hostile labels, suppress
small counts, show no individual pay."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.report.charts import pay as pay_charts
from fairhire.report.registry import partial_for
from fairhire.report.testing import HOSTILE_LABEL, check_renders

CONTROLS = ["level", "job_family", "tenure_years"]


@pytest.fixture(scope="module")
def wf() -> pd.DataFrame:
    return fh.datasets.make_workforce(1500, random_state=12)


@pytest.fixture(scope="module")
def hostile(wf) -> pd.DataFrame:
    # a third group with a hostile label, and hostile job-family / category labels
    out = wf.copy()
    out["grp"] = np.where(out.sex == "Female", HOSTILE_LABEL, "Reference")
    out["family"] = np.where(out.job_family == "Sales", HOSTILE_LABEL, out.job_family)
    return out


@pytest.fixture(scope="module")
def gap(wf):
    return fh.pay_gap(
        wf,
        pay="salary",
        group="sex",
        controls=CONTROLS,
        within="level",
        tainted="performance_rating",
        id="employee_id",
    )


def test_registered():
    assert partial_for.__module__ == "fairhire.report.registry"


def test_pay_gap_renders(gap, hostile):
    bad = fh.pay_gap(
        hostile,
        pay="salary",
        group="grp",
        reference="Reference",
        controls=["level", "family"],
        within="family",
    )
    out = check_renders(gap, hostile=bad)
    assert partial_for(gap) == "pay_gap"
    female = gap.overall.set_index("group").loc["Female"]
    assert f"{female.adjusted_gap:.2f}" in out["html"]
    assert "Adjusted pay gap overall" in out["html"] and "<svg" in out["html"]
    # no individual employee appears anywhere: no ids, no individual pay
    for text in (out["html"], out["markdown"], out["json"]):
        assert gap.outliers.id.iloc[0] not in text
    assert "studentized_residual" not in out["json"]
    assert "outlier_summary" in out["json"]
    json.loads(out["json"])


def test_pay_gap_small_counts_suppressed(gap):
    out = check_renders(gap, min_cell=5)
    # Non-binary groups of fewer than 5 within a level print "< 5", not their size
    small = gap.table[(gap.table.n < 5) & (gap.table.n > 0)]
    assert len(small) > 0
    assert "< 5" in out["markdown"] or "&lt; 5" in out["html"]


def test_oaxaca_renders(wf, hostile):
    ob = fh.oaxaca_blinder(wf, outcome="salary", group="sex", features=CONTROLS, log=True)
    bad = fh.oaxaca_blinder(hostile, outcome="salary", group="grp", features=["level", "family"])
    out = check_renders(ob, hostile=bad)
    assert "unexplained" in out["markdown"]
    check_renders(ob, min_cell=5)


def test_uk_renders(wf):
    uk = fh.uk_pay_gap_metrics(
        wf, hourly_pay="hourly_pay", sex="sex", bonus="bonus", full_pay="full_pay"
    )
    out = check_renders(uk)
    assert f"{uk.metrics.published.iloc[0]:.1f}%" in out["html"]
    assert "quartile pay band" in out["markdown"]
    check_renders(uk, min_cell=5)


def test_eu_renders(wf, hostile):
    eu = fh.eu_pay_transparency_metrics(
        wf, pay="salary", sex="sex", variable_pay="bonus", category="job_family"
    )
    bad = fh.eu_pay_transparency_metrics(
        hostile, pay="salary", sex="sex", variable_pay="bonus", category="family"
    )
    out = check_renders(eu, hostile=bad)
    assert "Article 10" in out["html"]
    check_renders(eu, min_cell=5)


def test_remediation_renders(gap, hostile):
    plan = fh.pay_remediation(gap, target="zero", max_raise=0.2)
    bad_gap = fh.pay_gap(
        hostile, pay="salary", group="grp", reference="Reference", controls=["level"]
    )
    bad = fh.pay_remediation(bad_gap, target="zero")
    out = check_renders(plan, hostile=bad)
    assert "least-cost plan" in out["markdown"]
    assert plan.raises.id.iloc[0] not in out["json"]


def test_charts_return_none_or_hide_small(gap, wf):
    assert pay_charts.gap_estimates(gap, min_cell=10_000) is None
    chart = pay_charts.gap_estimates(gap, scope="within", min_cell=40)
    assert chart is not None and "below 40 are not drawn" in chart.alt
    uk = fh.uk_pay_gap_metrics(wf.head(12), hourly_pay="hourly_pay", sex="sex")
    assert pay_charts.quartile_bands(uk, min_cell=5) is None


def test_quartile_chart_says_which_bands_are_withheld():
    """60 employees, min_cell 5: the lower-middle band holds 4 men, so its shares are withheld.
    The chart's description says so instead of "nan%", and the other bands keep their shares."""
    wf = fh.datasets.make_workforce(800, random_state=1).sample(n=60, random_state=3)
    uk = fh.uk_pay_gap_metrics(wf, hourly_pay="hourly_pay", bonus="bonus", sex="sex")
    assert uk.quartiles.men.tolist()[1] == 4
    for fmt in ("markdown", "html"):
        report = fh.Report(title="UK", min_cell=5).add(uk)
        text = report.render_markdown() if fmt == "markdown" else report.render_html()
        assert "nan%" not in text, fmt
        assert ("Shares withheld (fewer than 5 men or women in a band, or figures that would "
                "reveal such a count): lower middle, upper middle, upper.") in text, fmt
        assert "ranked pay list): lower: women 46.7%, men 53.3%." in text, fmt
