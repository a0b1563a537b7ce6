"""Batch rows are built a stage of ads at a time (batch._rows): every step runs over the
stage's ads before the next. The rows must be each ad's own row (batch._row, one ad alone),
in the input's order, whatever falls on a stage's edges: ads, missing values, non-text
entries, empty texts, a last stage cut short."""

from __future__ import annotations

import pandas as pd

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads
from fairhire.language import load_lexicon
from fairhire.language.batch import _STAGE, _row, _rows
from fairhire.language.checks import compile_for_checks


def _values() -> list[object]:
    ads = make_job_ads(2 * _STAGE + 5, words=120, random_state=3).text.tolist()
    values: list[object] = list(ads)
    # other entries on both edges of the first and second stages, and at the very end
    for i, v in [(0, None), (_STAGE - 1, 42), (_STAGE, ""), (2 * _STAGE - 1, b"x"),
                 (2 * _STAGE, float("nan"))]:
        values.insert(i, v)
    values.append(pd.NA)
    return values


def test_staged_rows_are_each_ads_own_row():
    comp = compile_for_checks(load_lexicon("default"))
    values = _values()
    for use_context in (True, False):
        staged = _rows(values, comp, use_context)
        alone = [_row(v, comp, use_context) for v in values]
        assert len(staged) == len(values)
        assert repr(staged) == repr(alone)  # repr: NaN == NaN, and floats bit for bit
    # a stage of one ad, and of none
    assert _rows(values[1:2], comp, True) == [_row(values[1], comp, True)]
    assert _rows([], comp, True) == []


def test_table_rows_match_single_scans_across_stages():
    values = _values()
    table = fh.scan_job_descriptions(values)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            assert isinstance(table["error"].iloc[i], str)
            continue
        scan = fh.scan_job_description(v)
        row = table.iloc[i]
        assert row["word_count"] == scan.word_count
        assert row["n_findings"] == len(scan.findings)
        assert row["masculine_words"] == "; ".join(scan.masculine)
        assert row["salary_min"] == scan.checks.salary_min or (
            pd.isna(row["salary_min"]) and scan.checks.salary_min is None)
