"""Report formatting filters and safe-output helpers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from fairhire.errors import ReportError
from fairhire.report.filters import MISSING, SUPPRESSED_DERIVED, Formatter
from fairhire.report.safe import (
    FORMULA_PREFIXES,
    csv_cell,
    csv_safe_frame,
    md_escape,
    md_finalize,
    md_quote,
    neutralise,
)
from fairhire.report.tables import data_table, records


# -- filters -------------------------------------------------------------------------------------
def test_count():
    f = Formatter()
    assert f.count(1234) == "1,234"
    assert f.count(12.0) == "12"
    assert f.count(None) == MISSING and f.count(math.nan) == MISSING and f.count(pd.NA) == MISSING
    assert not f.suppressed


def test_count_suppression_html_and_markdown():
    html = Formatter(min_cell=5)
    assert html.count(4) == "&lt; 5" and html.count(0) == "&lt; 5"
    assert html.count(5) == "5"
    assert html.suppressed
    md = Formatter(min_cell=10, format="markdown")
    assert md.count(9) == "< 10"
    assert md.small(3, 50) and not md.small(10, 50) and not Formatter().small(1)


def test_number_filters():
    f = Formatter()
    assert f.pct(0.1234) == "12.3%" and f.pct(0.1234, 2) == "12.34%"
    assert f.signed_pct(0.087) == "+8.7%" and f.signed_pct(-0.02) == "−2.0%"
    assert f.ratio(0.7234) == "0.72" and f.ratio(0.5, 3) == "0.500"
    assert f.num(-3.09839) == "−3.10" and f.num(1234.5, 0) == "1,234"
    assert f.money(51234.5, "GBP") == "GBP 51,235"  # half up, not to even
    assert f.money(-2.675, "EUR", 2) == "−EUR 2.68" and f.money(1000) == "1,000"
    assert f.money(10, "<b>") == "&lt;b&gt; 10"  # the currency argument is escaped
    assert f.ci((0.301433, 0.829372)) == "0.30 to 0.83"
    assert f.ci((0.1, 0.25), 1, kind="pct") == "10.0% to 25.0%"
    assert f.ci((None, None)) == MISSING
    assert f.yesno(True) == "yes" and f.yesno(False) == "no" and f.yesno(None) == MISSING
    assert f.yesno(pd.NA) == MISSING
    for func in (f.pct, f.ratio, f.num, f.money, f.signed_pct, f.pvalue):
        assert func(None) == MISSING and func(math.nan) == MISSING and func(math.inf) == MISSING


def test_pvalue():
    f = Formatter()
    assert f.pvalue(0.00034) == "&lt; 0.001"
    assert Formatter(format="markdown").pvalue(0.0001) == "< 0.001"
    # the shared rule (fairhire._core.text.format_p): three decimals, more near alpha
    assert f.pvalue(0.00340922) == "0.003"
    assert f.pvalue(0.024) == "0.024"
    assert f.pvalue(0.216924) == "0.217"
    assert f.pvalue(0.0496) == "0.0496"
    assert f.pvalue(1.0) == "1.000"


def test_hide_prints_suppressed_marker():
    f = Formatter(min_cell=5)
    assert f.pct(0.3, hide=True) == SUPPRESSED_DERIVED
    assert f.ratio(0.3, hide=True) == SUPPRESSED_DERIVED
    assert f.ci((0.1, 0.2), hide=True) == SUPPRESSED_DERIVED


def test_filters_return_markup():
    f = Formatter()
    for value in (f.count(3), f.pct(0.1), f.pvalue(0.2), f.ratio(1)):
        assert isinstance(value, Markup)


def test_unknown_table_format_is_an_error():
    f = Formatter()
    with pytest.raises(ReportError, match="unknown table column format 'percent'"):
        f.format_cell("percent", 0.1)


# -- data_table ----------------------------------------------------------------------------------
FRAME = pd.DataFrame(
    {"group": ["a|b", "<i>c</i>"], "n": [3, 40], "rate": [0.5, 0.25], "p": [0.2, 0.0001]}
)
COLUMNS = [("group", "Group", "text"), ("n", "N", "count"), ("rate", "Rate", "pct"),
           ("p", "p", "pvalue")]


def test_data_table_html():
    out = data_table(FRAME, COLUMNS, formatter=Formatter(min_cell=5), fmt="html",
                     caption="Cap <x>", counts=("n",), row_header="group")
    assert "<caption>Cap &lt;x&gt;</caption>" in out
    assert '<th scope="col">Group</th>' in out and '<th scope="col" class="num">N</th>' in out
    assert '<th scope="row">a|b</th>' in out and "&lt;i&gt;c&lt;/i&gt;" in out
    # n = 3 < 5: the count, its rate and its p-value (which could give the count back) withheld
    assert "&lt; 5" in out and "50.0%" not in out and ">s<" in out and "0.200" not in out
    assert "25.0%" in out and "40" in out


def test_data_table_markdown():
    out = data_table(FRAME, COLUMNS, formatter=Formatter(format="markdown"), fmt="markdown",
                     caption="Cap")
    lines = str(out).splitlines()
    assert lines[0] == "*Cap*"
    assert lines[2] == "| Group | N | Rate | p |"
    assert lines[3] == "|---|---:|---:|---:|"
    assert lines[4] == "| a\\|b | 3 | 50.0% | 0.200 |"
    assert "&lt;i&gt;c&lt;/i&gt;" in lines[5] and "< 0.001" in lines[5]


def test_data_table_errors_and_empty():
    f = Formatter()
    with pytest.raises(ReportError, match="column 'nope' not in the table"):
        data_table(FRAME, [("nope", "x", "text")], formatter=f, fmt="html")
    with pytest.raises(ReportError, match="counts column 'zz'"):
        data_table(FRAME, COLUMNS, formatter=f, fmt="html", counts=("zz",))
    with pytest.raises(ReportError, match="column spec"):
        data_table(FRAME, [("group",)], formatter=f, fmt="html")
    assert "No rows." in data_table(FRAME.iloc[:0], COLUMNS, formatter=f, fmt="html")
    assert data_table(None, COLUMNS, formatter=f, fmt="markdown") == "No rows."


def test_records_turn_missing_into_none():
    recs = records(pd.DataFrame({"a": [1.0, math.nan], "b": ["x", None]}))
    assert recs == [{"a": 1.0, "b": "x"}, {"a": None, "b": None}]
    assert records(None) == []


# -- safe output -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_formulas(text):
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-0.52", "+3", "-1,234.5", "12%", "men", "", "-1e-05"])
def test_neutralise_leaves_numbers_and_text(text):
    assert neutralise(text) == text


def test_csv_safe_frame_does_not_touch_input():
    frame = pd.DataFrame({"=bad": ["=1+1", "ok"], "n": [-1, 2]})
    out = csv_safe_frame(frame)
    assert list(out.columns) == ["'=bad", "n"]
    assert out.iloc[:, 0].tolist() == ["'=1+1", "ok"] and out["n"].tolist() == [-1, 2]
    assert frame.iloc[0, 0] == "=1+1"


def test_md_escape():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("*bold* _x_ [l](u) `c` $5 #h ~s") == (
        "\\*bold\\* \\_x\\_ \\[l\\](u) \\`c\\` \\$5 \\#h \\~s"
    )
    assert md_escape("<b>&") == "&lt;b&gt;&amp;"
    assert md_escape("two\nlines") == "two lines"
    assert md_escape(3) == "3"


def test_md_finalize_and_quote():
    assert md_finalize(None) == ""
    assert md_finalize(Markup("**x**")) == "**x**"
    assert md_finalize("**x**") == "\\*\\*x\\*\\*"
    assert md_quote("one\n# two\n") == "> one\n> \\# two"
    assert md_quote(None) == ""


@given(st.text())
def test_md_escape_is_inert(text):
    out = md_escape(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    # every pipe is escaped, so a cell can never split a table row
    assert "|" not in out.replace("\\|", "")


@given(st.text(min_size=1))
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise(text)
    if out.startswith(FORMULA_PREFIXES):
        float(out.strip().replace(",", "").rstrip("%"))  # only plain numbers may


def test_data_table_ci_from_a_pair_of_columns():
    frame = pd.DataFrame({"g": ["a"], "lo": [0.301433], "hi": [0.829372], "n": [3]})
    f = Formatter(min_cell=5)
    out = data_table(frame, [("g", "G", "text"), (("lo", "hi"), "95% CI", "ci")],
                     formatter=Formatter(), fmt="html")
    assert "0.30 to 0.83" in out
    hidden = data_table(frame, [("g", "G", "text"), (("lo", "hi"), "95% CI", "ci")],
                        formatter=f, fmt="html", counts=("n",))
    assert "0.30" not in hidden and ">s<" in hidden
    with pytest.raises(ReportError, match="'nope'"):
        data_table(frame, [(("lo", "nope"), "CI", "ci")], formatter=f, fmt="html")
