"""At another impact-ratio threshold, no sentence says "four-fifths" of the ratio it tested.

``threshold=0.95`` is a stricter internal standard some employers audit against; a ratio of 0.94
is below it, but it is not below four-fifths, and "evidence of adverse impact under the
four-fifths rule" would be false. Every analysis with an impact-ratio threshold words its
headlines, summary and report section from the threshold (``_core.text.threshold_line``).
The Methodology's general description of the four-fifths rule is not a statement about the data
and may name it.
"""

from __future__ import annotations

import warnings

import pytest

import fairhire as fh


@pytest.fixture(scope="module")
def results():
    wf = fh.datasets.make_workforce(3_000, random_state=1)
    funnel = fh.datasets.make_hiring_funnel(3_000, random_state=2, periods=4)
    scores = fh.datasets.make_assessment_scores(3_000, random_state=3)
    thr = 0.95
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "promotion": fh.promotion_disparity(wf, group="sex", promoted="promoted",
                                                level="level", threshold=thr),
            "ratings": fh.rating_disparity(wf, group="sex", rating="performance_rating",
                                           threshold=thr),
            "retention": fh.retention(wf, group="sex", exited="left", threshold=thr),
            "layoff": fh.reduction_in_force(wf, group="sex", selected="left", threshold=thr),
            "monitor": fh.monitor(funnel, period="applied_on", freq="Q", group="sex",
                                  stages=["screened", "interviewed"], threshold=thr),
            "cutoff": fh.cutoff_analysis(scores, group="sex", score="score", threshold=thr),
            "screening": fh.audit_screening_model(
                scores["score"], sensitive_features=scores[["sex"]],
                score_threshold=float(scores["score"].median()), ratio_threshold=thr),
        }


def _section(report_text: str) -> str:
    """The report without its definitions: "How to read", the Methodology and the glossary
    describe the four-fifths rule in general (and say which threshold this report used)."""
    if "## How to read this report" in report_text:  # Markdown
        head, rest = report_text.split("## How to read this report", 1)
        report_text = head + rest[rest.index("\n## "):]
        return report_text.split("## Methodology", 1)[0]
    head, rest = report_text.split('id="how-to-read"', 1)
    report_text = head + rest[rest.index("</section>"):]
    return report_text.split('id="methodology"', 1)[0]


@pytest.mark.parametrize(
    "name", ["promotion", "ratings", "retention", "layoff", "monitor", "cutoff", "screening"]
)
def test_no_four_fifths_wording_at_another_threshold(results, name):
    result = results[name]
    for headline in result.headlines():
        assert "four-fifths" not in headline.text, headline.text
    assert "four-fifths" not in result.summary()
    report = fh.Report(title="Threshold 0.95")
    report.add(result)
    for text in (report.render_markdown(), report.render_html()):
        body = _section(text)
        assert "four-fifths" not in body.replace("four_fifths", "")


def test_a_flag_at_095_is_worded_with_95_percent(results):
    promotion = results["promotion"]
    flagged = [h.text for h in promotion.headlines() if "below 95%" in h.text
               or "under a 95% threshold" in h.text]
    assert flagged, [h.text for h in promotion.headlines()]
    report = fh.Report(title="t")
    report.add(promotion)
    md = report.render_markdown()
    assert "Below 95%" in md
    assert "This report's analyses used a 95% threshold instead" in md
    assert "evidence of adverse impact under a 95% threshold or a statistically" in md
    # the sentence ends its bullet: the next one starts on its own line
    assert "instead, as set by whoever ran them.\n- **p-value**" in md


def test_at_four_fifths_the_legend_names_the_rule(results):
    wf = fh.datasets.make_workforce(500, random_state=4)
    report = fh.Report(title="t")
    report.add(fh.promotion_disparity(wf, group="sex", promoted="promoted"))
    md = report.render_markdown()
    assert "never reads as 0.80.\n- **p-value**" in md
    assert "evidence of adverse impact under the four-fifths rule or a statistically" in md
    assert "instead, as set by" not in md
