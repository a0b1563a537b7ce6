"""min_cell on every result type, with hostile small-cell data: no count below min_cell can be
read, or worked back, from any output (HTML, Markdown, JSON), sentence, chart or row account."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire._core import text
from fairhire._results import RowAccount
from fairhire.report.suppress import Withheld
from fairhire.report.view import ReportView, suppress_rows

# the rendered reports are a module fixture: one worker renders them once
# (make test runs with --dist loadgroup)
pytestmark = pytest.mark.xdist_group("suppression")

MIN_CELL = 5
GEN = "2026-01-31T09:00:00+00:00"

#: table headers that name counts of people
COUNT_HEADERS = re.compile(
    r"applicants|selected|employees|count|number|\bmen\b|women|decisions|candidates|people|"
    r"events|individuals|seats|ratings|headcount|promoted|at risk|rows|unknown",
    re.IGNORECASE,
)


def _tiny(frame: pd.DataFrame, column: str, label: str, n: int = 3, seed: int = 0) -> pd.DataFrame:
    """``frame`` plus ``n`` rows copied from it with ``column`` set to a new, tiny group."""
    extra = frame.sample(n, random_state=seed).copy()
    extra[column] = label
    return pd.concat([frame, extra], ignore_index=True)


def _results() -> dict[str, object]:
    funnel = _tiny(fh.datasets.make_hiring_funnel(900, random_state=3), "race", "Native Hawaiian or Pacific Islander")
    funnel.loc[funnel.index[:2], "race"] = None  # two applicants with a missing group
    work = _tiny(fh.datasets.make_workforce(260, random_state=3), "sex", "Non-binary")
    inter = fh.datasets.make_interviews(120, random_state=3)
    stages = ["screened", "interviewed", "offered", "hired"]
    out: dict[str, object] = {
        "adverse_impact": fh.adverse_impact(funnel, group="race", stages=stages),
        "adverse_impact_counts": fh.adverse_impact_from_counts(
            {"group": ["men", "women", "other"], "n": [80, 40, 4], "hired": [48, 3, 2]},
            group="group", applicants="n", selected="hired"),
        "ll144": fh.ll144_audit(funnel, sex="sex", race="race", selected="screened"),
        "pay_gap": fh.pay_gap(work, pay="salary", group="sex", controls=["level"]),
        "uk": fh.uk_pay_gap_metrics(work, hourly_pay="hourly_pay", bonus="bonus", sex="sex"),
        "eu": fh.eu_pay_transparency_metrics(work, pay="salary", variable_pay="bonus",
                                             sex="sex", category="job_family"),
        "promotion": fh.promotion_disparity(work, group="sex", promoted="promoted",
                                            level="level"),
        "time_to_promotion": fh.time_to_promotion(work, group="sex", duration="months_in_level",
                                                  event="promoted"),
        "representation": fh.representation(work, group="sex", level="level",
                                            order=["L1", "L2", "L3", "L4", "L5"]),
        "ratings": fh.rating_disparity(work, group="sex", rating="performance_rating"),
        "panels": fh.interview_panels(inter.panels, interview="interview_id",
                                      panelist_group="panelist_sex",
                                      candidate_group="candidate_sex", outcome="advanced"),
        "raters": fh.rater_disparity(inter.decisions, rater="interviewer", candidate_group="sex",
                                     outcome="advanced"),
        "rubric": fh.rubric_consistency(inter.scores, candidate="candidate_id",
                                        rater="interviewer", criteria=list(inter.criteria),
                                        candidate_group="sex"),
    }
    rng = np.random.default_rng(3)
    scores = pd.DataFrame({"grp": ["a"] * 200 + ["b"] * 150 + ["tiny"] * 3,
                           "score": rng.normal(size=353)})
    out["cutoff"] = fh.cutoff_analysis(scores, score="score", group="grp", target_selected=120)
    out["oaxaca"] = fh.oaxaca_blinder(work[work["sex"] != "Non-binary"], outcome="salary",
                                      group="sex", features=["tenure_years"])
    out["remediation"] = fh.pay_remediation(out["pay_gap"], target=0.0)
    return out


@pytest.fixture(scope="module")
def rendered():
    out = {}
    for name, result in _results().items():
        report = fh.Report(title="Suppression", generated_at=GEN, min_cell=MIN_CELL).add(result)
        out[name] = (result, report, report.render_html(), report.render_markdown(),
                     json.loads(report.render_json()))
    return out


NAMES = ["adverse_impact", "adverse_impact_counts", "ll144", "pay_gap", "uk", "eu", "promotion",
         "time_to_promotion", "representation", "ratings", "panels", "raters", "rubric", "cutoff",
         "oaxaca", "remediation"]


class _Tables(HTMLParser):
    """Every HTML table as (headers, rows of cell text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            (self.tables[-1][0] if self._in_head else self.tables[-1][1]).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _small_integer(cell: str) -> bool:
    return bool(re.fullmatch(r"\d+", cell)) and int(cell) < MIN_CELL


def test_hostile_data_has_small_cells(rendered):
    """The data set is hostile: most result types have counts below min_cell to hide."""
    hidden = 0
    for _result, report, *_ in rendered.values():
        view = report.sections[0].view
        view._scan_tables()
        hidden += bool(view._withheld)
    assert hidden >= 10


@pytest.mark.parametrize("name", NAMES)
def test_no_small_count_in_html_tables(rendered, name):
    _result, _report, html, _md, _js = rendered[name]
    parser = _Tables()
    parser.feed(html)
    for headers, rows in parser.tables:
        header = headers[0] if headers else []
        counts = [i for i, h in enumerate(header) if COUNT_HEADERS.search(h)]
        for row in rows:
            for i in counts:
                if i < len(row) and i > 0:
                    assert not _small_integer(row[i]), (name, header, row)


@pytest.mark.parametrize("name", NAMES)
def test_no_small_count_in_json(rendered, name):
    result, _report, _html, _md, js = rendered[name]
    counts = set(type(result).count_columns)

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k in counts and isinstance(v, int | float) and not isinstance(v, bool):
                    assert v >= MIN_CELL, (name, k, v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(js["sections"][0]["result"])
    for key in ("rows",):
        rows = js["sections"][0][key]
        if rows:
            _assert_account_safe(rows)


def _assert_account_safe(rows):
    cells = [rows["used"], *[v for v in rows["excluded"].values() if v != 0]]
    hidden = [v for v in cells if v is None]
    shown = [v for v in cells if v is not None]
    assert all(v >= MIN_CELL for v in shown), rows
    if len(hidden) == 1:  # one withheld cell: the total must not be shown
        assert rows["total"] is None, rows


@pytest.mark.parametrize("name", NAMES)
def test_sentences_state_no_small_count(rendered, name):
    """Headlines, their figures and warnings, in every format."""
    *_, js = rendered[name]
    section = js["sections"][0]
    sentences = [h["text"] for h in section["headlines"]] + section["warnings"]
    sentences += [s["text"] for s in js["summary"]]
    # a number of raters is no count of the people protected (the rater table lists them)
    small = re.compile(r"(?<![\w.,<−-])([0-4])(?![\w%]|[.,]\d)\s+(?!of\b|raters?\b)(?:[a-z]+)")
    # a setting echoed is no count: a diverse panel has "members from at least 2 ... groups"
    setting = re.compile(r"members from at least \d+ ")
    for sentence in sentences:
        cleaned = setting.sub("", sentence.replace(f"fewer than {MIN_CELL}", ""))
        assert not small.search(cleaned), (name, sentence)


def _needles(value) -> set[str]:
    if isinstance(value, bool | np.bool_) or not isinstance(value, float | np.floating):
        return set()
    if not np.isfinite(value) or not 0.01 < abs(value) < 0.99:
        return set()
    found = {text.format_percent(value), text.format_number(value, 3)}
    return {n for n in found if len(n.strip("0.%−")) >= 3}  # three significant digits


def _frames(result, view):
    for attr in dir(type(result)) + list(vars(result)):
        if attr.startswith("_") or attr in result.private_fields:
            continue
        try:
            raw = getattr(result, attr)
        except Exception:
            continue
        if isinstance(raw, pd.DataFrame) and not raw.empty:
            yield attr, raw, view.frame(raw)


@pytest.mark.parametrize("name", NAMES)
def test_withheld_figures_cannot_be_read_or_worked_back(rendered, name):
    """A block of a count column never holds exactly one withheld cell (a total would give it
    back); the figures of a row with a small count are null in JSON and appear in no chart
    description or summary sentence (unless the same text is a figure shown elsewhere)."""
    result, report, html, _md, js = rendered[name]
    view = report.sections[0].view
    secret: set[str] = set()
    shown: set[str] = set()
    for attr, raw, done in _frames(result, view):
        for column in done.columns:
            marks = [isinstance(v, Withheld) for v in done[column].tolist()]
            if column in type(result).count_columns and sum(marks) == 1:
                others = [v for v, m in zip(done[column].tolist(), marks, strict=True)
                          if not m and pd.notna(v)]
                assert not others or attr == "flagged", (name, attr, column)
        for i in range(len(done)):
            row = done.iloc[i].tolist()
            primary = any(isinstance(v, Withheld) and v.small for v in row)
            for column, value in zip(done.columns, row, strict=True):
                raw_value = raw[column].iloc[i]
                if primary and isinstance(value, Withheld):
                    secret |= _needles(raw_value)
                elif not isinstance(value, Withheld):
                    shown |= _needles(raw_value)
    prose = " ".join(re.findall(r"<desc[^>]*>(.*?)</desc>", html, flags=re.S))
    prose += " ".join(s["text"] for s in js["summary"])
    prose += " ".join(js["sections"][0]["warnings"])
    for needle in secret - shown:
        assert needle not in prose, (name, needle)


def test_row_account_with_one_small_exclusion_hides_the_total():
    account = RowAccount(total=146, used=144, excluded={"missing group": 2})
    shown = suppress_rows(account, 5)
    assert isinstance(shown.excluded["missing group"], Withheld)
    assert isinstance(shown.total, Withheld) or isinstance(shown.used, Withheld)


def test_view_keeps_private_fields_out():
    result = _results()["pay_gap"]

    class Private(type(result)):
        private_fields: ClassVar = {"outliers": None}

    fields = [f.name for f in dataclasses.fields(result) if f.init]
    private = Private(**{f: getattr(result, f) for f in fields})
    with pytest.raises(AttributeError, match="row-level"):
        _ = ReportView(private, 5).outliers


# -- across tables: a figure withheld in one table is not shown in a related one --------------
#: labels that name the people a row describes, in every result type that has them
NAMING = ("rater", "group", "category")


def _counts(result, view):
    """Every count cell of every table: (table, column, row names, value, withheld?)."""
    counts = set(type(result).count_columns)
    tables = list(_frames(result, view))
    if hasattr(result, "published_table"):
        tables += [(f"published {n}", result.published_table(n), view.published_table(n))
                   for n in ("sex", "race/ethnicity", "intersectional")]
    for attr, raw, done in tables:
        if attr in getattr(result, "method_fields", {}):
            continue  # a grid of sizes (the funnel's 10, 12, 14 ... decisions), not people
        names = [c for c in NAMING if c in done.columns]
        for column in (c for c in done.columns if c in counts):
            for i in range(len(done)):
                value = raw[column].iloc[i]
                if isinstance(value, str) or pd.isna(value):
                    continue
                label = {c: str(raw[c].iloc[i]) for c in names}
                yield attr, column, label, float(value), isinstance(done[column].iloc[i], Withheld)


def _same_people(a: dict, b: dict) -> bool:
    shared = set(a) & set(b)
    return bool(shared) and all(a[c] == b[c] for c in shared)


def _reappearing(result, view) -> list:
    cells = list(_counts(result, view))
    held = [c for c in cells if c[4] and c[3] >= MIN_CELL]
    shown = [c for c in cells if not c[4]]
    return [(h[:4], s[:2]) for h in held for s in shown
            if h[3] == s[3] and _same_people(h[2], s[2])]


@pytest.mark.parametrize("name", NAMES)
def test_a_withheld_count_is_not_shown_in_another_table(rendered, name):
    """The same people's count, withheld in one table (or stage), is withheld everywhere: the
    funnel's next stage, the bottom line, the flagged rows, a distribution's group totals, a
    survival curve's number at risk."""
    result, report, *_ = rendered[name]
    assert _reappearing(result, report.sections[0].view) == []


def _funnel(seed: int) -> pd.DataFrame:
    """A small funnel with groups of very different sizes: many cells near min_cell."""
    rng = np.random.default_rng(seed)
    rows = []
    for group, n in (("A", 120), ("B", 45), ("C", 14), ("D", 9)):
        screened = rng.random(n) < rng.uniform(0.3, 0.7)
        interviewed = screened & (rng.random(n) < rng.uniform(0.3, 0.8))
        hired = interviewed & (rng.random(n) < rng.uniform(0.2, 0.8))
        rows.append(pd.DataFrame({"g": group, "screened": screened,
                                  "interviewed": interviewed, "hired": hired}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("seed", range(12))
def test_funnel_stages_and_bottom_line_withhold_the_same_people(seed):
    """The selected of one stage are the applicants of the next, and the bottom line repeats
    the last stage's selected and the first stage's applicants: a count withheld in one place
    is withheld in the others, in the HTML tables and in the JSON."""
    ai = fh.adverse_impact(_funnel(seed), group="g", stages=["screened", "interviewed", "hired"],
                           min_share=0.0)
    report = fh.Report(title="t", generated_at=GEN, min_cell=MIN_CELL).add(ai)
    view = report.sections[0].view
    assert _reappearing(ai, view) == []
    table = view.table
    js = json.loads(report.render_json())["sections"][0]["result"]["table"]
    for i, row in enumerate(js):
        for column in ("applicants", "selected"):
            assert (row[column] is None) == isinstance(table[column].iloc[i], Withheld)


def test_ll144_sex_race_and_intersectional_tables_hold_together(rendered):
    """The sex and race tables are totals of the intersectional one: no row or column of the
    intersectional table holds exactly one withheld count, and a withheld sex or race count
    has a withheld part."""
    from fairhire._core.groups import GROUP_SEPARATOR
    from fairhire.report.linked import _parts_of

    _result, report, *_ = rendered["ll144"]
    view = report.sections[0].view
    cross = view.published_table("intersectional")
    labels = [str(x) for x in cross["category"]]
    assert any(isinstance(v, Withheld) for v in cross["applicants"]), "no small cell to test"
    for column in ("applicants", "selected"):
        held = [isinstance(v, Withheld) for v in cross[column]]
        parts = {p for label in labels for p in label.split(GROUP_SEPARATOR)}
        for part in parts:
            rows = _parts_of(labels, part)
            if 1 < len(rows) < len(labels):
                assert sum(held[r] for r in rows) != 1, (column, part)
        for name in ("sex", "race/ethnicity"):
            margin = view.published_table(name)
            for category, value in zip(margin["category"], margin[column], strict=True):
                rows = _parts_of(labels, str(category))
                if isinstance(value, Withheld) and rows:
                    assert any(held[r] for r in rows), (name, column, category)


def test_a_units_small_reference_withholds_that_units_comparisons_only():
    # A reduction in force compares "40 and over" with "Under 40" in every unit and over all
    # units, each against its own reference row. Sales' reference row selected 1 person: its
    # comparisons are withheld, but the all-units ones (226 and 18 in the reference row) were
    # withheld with them, hiding a flagged age finding that reveals nothing small.
    rows = []
    for unit, young, young_sel, old, old_sel in [("Sales", 66, 1, 126, 16),
                                                  ("Support", 78, 7, 111, 20),
                                                  ("Engineering", 82, 10, 137, 27)]:
        for age, n, k in ((30, young, young_sel), (55, old, old_sel)):
            rows += [{"unit": unit, "age": age, "laid_off": i < k} for i in range(n)]
    result = fh.reduction_in_force(pd.DataFrame(rows), selected="laid_off", unit="unit",
                                   age="age")
    shown = ReportView(result, MIN_CELL).frame(result.table)
    forty = shown.loc[shown["comparison"] == "age 40 and over"].set_index(["unit", "group"])
    every = forty.loc[("All units", "40 and over")]
    assert every["selection_rate_ratio"] == pytest.approx(63 / 374 / (18 / 226))
    assert not isinstance(every["p_value_fisher"], Withheld)
    sales = forty.loc[("Sales", "40 and over")]
    assert isinstance(sales["selection_rate_ratio"], Withheld)
    assert isinstance(forty.loc[("Sales", "Under 40"), "selected"], Withheld)
