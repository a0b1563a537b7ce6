"""Charts: deterministic, self-contained, accessible inline SVG."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import fairhire as fh
from fairhire.errors import ReportError
from fairhire.report.charts import chart_function
from fairhire.report.charts._base import FLAG, GREY, OK, PALETTE, Chart, mpl_text, to_svg
from fairhire.report.charts.impact import funnel, impact_ratios

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["screened", "interviewed", "offered", "hired"]


@pytest.fixture(scope="module")
def ai():
    data = fh.datasets.make_hiring_funnel(10_000, random_state=0)
    return fh.adverse_impact(data, group="sex", stages=STAGES)


def _line(fig, label="group $A$"):
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, 2], marker="o", label=mpl_text(label))
    ax.legend()


def test_svg_is_deterministic_and_self_contained():
    chart = Chart(title="T <1>", alt="A & B", draw=_line)
    a = to_svg(chart, chart_id="fig-1")
    assert a == to_svg(chart, chart_id="fig-1")
    assert a.startswith('<svg class="chart" role="img" aria-labelledby="fig-1-title fig-1-desc"')
    assert '<title id="fig-1-title">T &lt;1&gt;</title>' in a
    assert '<desc id="fig-1-desc">A &amp; B</desc>' in a
    for bad in ("http", "xmlns", "<?xml", "<!DOCTYPE", "<!--", "<metadata", "<style", "<script",
                "Date"):
        assert bad not in a, bad
    # every id is prefixed, every reference points at a prefixed id
    ids = re.findall(r'id="([^"]+)"', a)
    assert ids and all(i.startswith("fig-1-") for i in ids)
    for ref in re.findall(r'#([\w.-]+)\)|href="#([^"]+)"', a):
        assert (ref[0] or ref[1]) in ids
    # the dollar sign in the label is text, not mathtext
    assert "group $A$" in a


def test_chart_ids_differ_between_charts():
    chart = Chart(title="T", alt="A", draw=_line)
    one, two = to_svg(chart, chart_id="fig-1"), to_svg(chart, chart_id="fig-2")
    assert set(re.findall(r'id="([^"]+)"', one)).isdisjoint(re.findall(r'id="([^"]+)"', two))


def test_impact_charts(ai):
    f = funnel(ai)
    assert f is not None and "Female" in f.alt and "hired" in f.alt
    assert list(f.data.columns) == ["group", "stage", "applicants", "reached", "share"]
    r = impact_ratios(ai)
    assert r is not None
    assert "interviewed · Female vs Male (1,786): 0.69" in r.alt and "four-fifths" in r.alt
    assert set(r.data["stage"]) <= {*STAGES, "bottom line"}
    svg = to_svg(r, chart_id="fig-2")
    assert "four-fifths (0.8)" in svg and "parity" in svg


def test_charts_use_the_colour_blind_safe_palette(ai):
    allowed = {c.lower() for c in (*PALETTE, FLAG, OK, GREY)} | {
        "#ffffff", "#1a1a1a", "#d9d9d9", "#000000", "none",
    }
    for chart in (funnel(ai), impact_ratios(ai)):
        svg = to_svg(chart, chart_id="fig-1")
        colours = {c.lower() for c in re.findall(r"(?:fill|stroke):\s*(#[0-9a-fA-F]{6}|none)", svg)}
        assert colours <= allowed, colours - allowed


def test_min_cell_removes_small_groups_from_charts():
    counts = {"group": ["men", "women", "other"], "n": [80, 40, 4], "hired": [48, 12, 2]}
    ai = fh.adverse_impact_from_counts(counts, group="group", applicants="n", selected="hired")
    chart = impact_ratios(ai, min_cell=5)
    assert "other" not in set(chart.data["group"])
    assert "not drawn" in chart.alt


def test_charts_return_none_without_data(ai):
    empty = ai.table.iloc[:0]

    class Empty:
        table = empty
        stages = ai.stages
        group_columns = ai.group_columns
        threshold = 0.8
        params = None

    assert funnel(Empty()) is None and impact_ratios(Empty()) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [("nonsense", "not of the form"), ("nosuch.chart", "no chart module"),
     ("impact.pd", "not listed in __all__")],
)
def test_chart_names_resolve_only_to_listed_functions(name, message):
    with pytest.raises(ReportError, match=message):
        chart_function(name)


@pytest.mark.xdist_group("browser")  # the worker that wrote demo_output for the browser tests
def test_demo_is_byte_identical_across_processes(demo_output, tmp_path):
    """Two fresh interpreters (different hash seeds) write identical reports."""
    from demo_runs import run_demo

    first, stdout = demo_output
    again = run_demo(tmp_path, hash_seed="2")
    for out in (stdout, again):
        assert "Hiring funnel by sex" in out and "impact_ratio" in out
    outputs = [{p.name: p.read_bytes() for p in sorted(d.iterdir())} for d in (first, tmp_path)]
    assert sorted(outputs[0]) == ["audit.html", "audit.json", "audit.md"]
    assert outputs[0] == outputs[1]
    assert b"2026-01-01T00:00:00+00:00" in outputs[0]["audit.html"]
    frame = pd.read_json(first / "audit.json", typ="series")
    assert frame["schema_version"] == "1.0"


def test_fast_svg_path_writes_what_savefig_writes(ai):
    """to_svg lays a figure out once and shares text measurements; the SVG is unchanged."""
    import io

    import matplotlib
    from cycler import cycler

    from fairhire.report.charts import _base

    for chart in (funnel(ai), impact_ratios(ai), Chart(title="T", alt="A", draw=_line)):
        rc = dict(_base._RC)
        rc["axes.prop_cycle"] = cycler(color=list(PALETTE))
        with matplotlib.rc_context(rc):
            fig = _base.new_figure(_base.figure_size(chart.size))
            chart.draw(fig)
            _base.wrap_labels(fig)
            buf = io.StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None,
                                                     "Format": None})
            metrics = _base.text_metrics()
            assert _base._draw_svg(chart, metrics) == buf.getvalue()
            assert _base._draw_svg(chart, metrics) == buf.getvalue()  # with warm measurements


def test_report_draws_each_chart_once(ai, monkeypatch):
    from fairhire.report import report as module

    calls = []
    real = module.to_svg
    monkeypatch.setattr(module, "to_svg", lambda *a, **k: calls.append(1) or real(*a, **k))
    report = fh.Report(title="T", generated_at="2026-01-31T09:00:00+00:00").add(ai)
    first = report.render_html()
    drawn = len(calls)
    assert drawn >= 2
    assert report.render_html() == first and len(calls) == drawn
    report.min_cell = 5
    report.render_html()
    assert len(calls) == 2 * drawn  # another min_cell is another chart


def test_axis_labels_and_titles_stay_inside_the_figure():
    """Long axis labels wrap instead of running off the edge (the demo's race funnel lost the
    end of its y label and its impact-ratio chart the end of its x label)."""
    import matplotlib
    from cycler import cycler
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from fairhire.report.charts import _base

    data = fh.datasets.make_hiring_funnel(10_000, random_state=0)
    by_race = fh.adverse_impact(data, group="race", stages=STAGES)
    rc = dict(_base._RC)
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE))
    for chart in (funnel(by_race), impact_ratios(by_race)):
        with matplotlib.rc_context(rc):
            fig = _base.new_figure(_base.figure_size(chart.size))
            chart.draw(fig)
            _base.wrap_labels(fig)
            FigureCanvasAgg(fig)
            fig.dpi = 72  # as to_svg lays it out
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            for ax in fig.axes:
                for text in (ax.xaxis.label, ax.yaxis.label, ax.title):
                    if not text.get_text():
                        continue
                    box = text.get_window_extent(renderer)
                    assert box.x0 >= -1 and box.y0 >= -1, (chart.title, text.get_text())
                    assert box.x1 <= fig.bbox.width + 1, (chart.title, text.get_text())
                    assert box.y1 <= fig.bbox.height + 1, (chart.title, text.get_text())


def test_labels_in_scripts_the_chart_font_lacks_stay_text_without_console_warnings():
    # the SVG keeps real <text> (the reader's fonts draw it); matplotlib's "Glyph missing"
    # warnings reached the command line's console as four 'fairhire: warning:' lines
    import warnings

    import numpy as np

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"sex": rng.choice(["中文", "Male"], 300), "hired": rng.random(300) < 0.3})
    result = fh.adverse_impact(df, group="sex", stages=["hired"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = str(to_svg(impact_ratios(result), chart_id="fig-1"))
    assert "中文" in svg
