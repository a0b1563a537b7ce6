"""Reports built from hostile, tiny-group data: nothing withheld under ``min_cell`` can be read
or worked back from another figure, and every format renders (adversary round, advB)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import fairhire as fh
from fairhire.report.suppress import Withheld
from fairhire.report.view import ReportView

GEN = "2026-01-31T09:00:00+00:00"
TINY = '<i>Tiny</i> {{ 7*7 }} =HYPERLINK("x") | é'


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    """A workforce with exits, plus a 3-person sex group with a hostile label."""
    w = fh.datasets.make_workforce(3000, random_state=2, exits=True)
    w["sex"] = w["sex"].astype(object)
    idx = w.sample(3, random_state=5).index
    w.loc[idx, "sex"] = TINY
    w.loc[idx, "exited"] = [True, True, False]
    w.loc[idx, "exit_type"] = ["voluntary", "involuntary", None]
    w.loc[idx, "tenure_months"] = [5, 12, 30]
    return w


def _render(result) -> tuple[str, str, dict]:
    report = fh.Report(title="Trust", generated_at=GEN, min_cell=5).add(result)
    return report.render_html(), report.render_markdown(), json.loads(report.render_json())


def test_time_to_exit_with_a_withheld_group_renders(staff):
    # the curves' group sizes are withheld (NaN) in the report view: the chart left the
    # group out instead of failing on int(NaN)
    result = fh.time_to_exit(staff, group="sex", duration="tenure_months", event="exited",
                             cause="exit_type", horizon=60)
    html, md, _ = _render(result)
    assert "retention curves are not drawn" in md or "Not drawn" in md
    assert "&lt;i&gt;Tiny&lt;/i&gt; {{ 7\\*7 }}" in md
    assert "<i>Tiny" not in html
