"""scan_job_descriptions: inputs, row-level errors, parallel workers, progress, datasets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads
from fairhire.errors import ColumnError, InputTypeError, InvalidParameterError

TEXTS = [
    "We want a young rockstar leader.",
    "Supportive, collaborative, kind team. Salary: $50,000 - $60,000 per year.",
    "Plain ad.",
]


def test_one_row_per_text_matching_single_scans():
    table = fh.scan_job_descriptions(TEXTS)
    assert list(table.index) == [0, 1, 2]
    for i, text in enumerate(TEXTS):
        s = fh.scan_job_description(text)
        row = table.iloc[i]
        assert row["label"] == s.label
        assert row["word_count"] == s.word_count
        for cat, count in s.counts.items():
            assert row[f"{cat}_count"] == count
            assert row[f"{cat}_per_100_words"] == pytest.approx(s.density[cat])
        assert row["n_findings"] == len(s.findings)
        assert row["masculine_words"] == "; ".join(s.masculine)
        assert bool(row["salary_range"]) == s.checks.salary_range
    assert table.loc[0, "other_findings"] == "young [age]; rockstar [culture]"
    assert table.loc[0, "max_severity"] == "high"
    assert table["error"].isna().all()


def test_missing_and_non_text_entries_are_reported_in_their_row():
    values = ["ninja", None, float("nan"), 42, b"bytes", pd.NA, "guru"]
    table = fh.scan_job_descriptions(values)
    assert len(table) == len(values)
    errors = table["error"].tolist()
    assert pd.isna(errors[0]) and pd.isna(errors[-1])
    assert errors[1] == "missing value"
    assert errors[2] == "missing value (NaN)"
    assert errors[3].startswith("not text (int")
    assert "decode" in errors[4]
    assert errors[5] == "missing value"
    assert table.loc[0, "culture_count"] == 1 and table.loc[6, "culture_count"] == 1
    assert math.isnan(table.loc[1, "culture_count"])
    assert table.attrs["rows"] == {
        "total": 7, "used": 2, "excluded": {"missing or non-text entry": 5}
    }


def test_series_dataframe_mapping_and_polars_inputs():
    s = pd.Series(TEXTS, index=["a", "b", "c"])
    assert list(fh.scan_job_descriptions(s).index) == ["a", "b", "c"]
    df = pd.DataFrame({"id": [1, 2, 3], "body": TEXTS}, index=[10, 11, 12])
    out = fh.scan_job_descriptions(df, column="body")
    assert list(out.index) == [10, 11, 12]
    assert out.loc[10, "age_count"] == 1
    m = fh.scan_job_descriptions(dict(zip(["x", "y", "z"], TEXTS, strict=True)))
    assert list(m.index) == ["x", "y", "z"]
    pl = pytest.importorskip("polars")
    ps = fh.scan_job_descriptions(pl.Series("t", TEXTS))
    pdf = fh.scan_job_descriptions(pl.DataFrame({"body": TEXTS}), column="body")
    base = fh.scan_job_descriptions(TEXTS)
    pd.testing.assert_frame_equal(ps, base)
    pd.testing.assert_frame_equal(pdf, base)
    lazy = fh.scan_job_descriptions(pl.DataFrame({"body": TEXTS}).lazy(), column="body")
    pd.testing.assert_frame_equal(lazy, base)
    arr = fh.scan_job_descriptions(np.array(TEXTS, dtype=object))
    pd.testing.assert_frame_equal(arr, base)


def test_input_errors():
    with pytest.raises(InputTypeError, match="single str"):
        fh.scan_job_descriptions("one ad")
    with pytest.raises(InvalidParameterError, match="column="):
        fh.scan_job_descriptions(pd.DataFrame({"body": TEXTS}))
    with pytest.raises(ColumnError, match="'bdy'") as info:
        fh.scan_job_descriptions(pd.DataFrame({"body": TEXTS}), column="bdy")
    assert "did you mean 'body'" in str(info.value)
    pl = pytest.importorskip("polars")
    with pytest.raises(ColumnError, match="'bdy'"):
        fh.scan_job_descriptions(pl.DataFrame({"body": TEXTS}), column="bdy")
    with pytest.raises(InvalidParameterError, match="column="):
        fh.scan_job_descriptions(pl.DataFrame({"body": TEXTS}))
    with pytest.raises(InvalidParameterError, match="only used"):
        fh.scan_job_descriptions(pd.Series(TEXTS), column="x")
    with pytest.raises(InputTypeError, match="list of ad texts"):
        fh.scan_job_descriptions(42)
    for bad in (0, -2, 1.5, True):
        with pytest.raises(InvalidParameterError, match="n_jobs="):
            fh.scan_job_descriptions(TEXTS, n_jobs=bad)
    with pytest.raises(InvalidParameterError, match="progress="):
        fh.scan_job_descriptions(TEXTS, progress="yes")


def test_empty_batch():
    out = fh.scan_job_descriptions([])
    assert len(out) == 0 and "label" in out.columns and "error" in out.columns


def test_parallel_workers_give_identical_results():
    texts = make_job_ads(240, words=120, random_state=3).text.tolist()
    texts[5] = None
    one = fh.scan_job_descriptions(texts, n_jobs=1)
    two = fh.scan_job_descriptions(texts, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert two.loc[5, "error"] == "missing value"


def test_progress_bar(capsys):
    fh.scan_job_descriptions(TEXTS * 3, progress=True)
    assert "Scanning job ads" in capsys.readouterr().err
    fh.scan_job_descriptions(TEXTS * 3)  # not a terminal: no bar
    assert capsys.readouterr().err == ""


def test_gender_decoder_batch_and_categories():
    out = fh.scan_job_descriptions(TEXTS, lexicon="gender-decoder")
    assert "age_count" not in out.columns and "masculine_count" in out.columns
    only = fh.scan_job_descriptions(TEXTS, categories=["culture"])
    assert out.shape[0] == only.shape[0] and only["label"].isna().all()


def test_bundled_job_ads():
    ads = fh.datasets.load_job_ads()
    assert list(ads.columns) == ["ad_id", "title", "text"] and len(ads) == 6
    table = fh.scan_job_descriptions(ads, column="text")
    labels = dict(zip(ads.ad_id, table.label, strict=True))
    assert labels["01_it_support_engineer"] == "neutral"
    assert labels["02_backend_engineer"] == "strongly masculine-coded"
    assert labels["06_paediatric_nurse"] == "strongly feminine-coded"
    clean = fh.scan_job_description(ads.text.iloc[0])
    assert clean.findings == ()  # every classic false positive avoided
    assert table.loc[2, "age_count"] >= 6  # marketing coordinator
    assert table.loc[4, "gendered_language_count"] >= 5  # sales representative


def test_make_job_ads_is_reproducible():
    a = make_job_ads(5, words=150, random_state=7)
    b = make_job_ads(5, words=150, random_state=7)
    pd.testing.assert_frame_equal(a, b)
    assert a.text.str.contains("Responsibilities:").all()


def _row_from_scan(scan: fh.JobDescriptionScan) -> dict:
    """The batch columns, computed from a single scan's result."""
    from fairhire.language.result import SEVERITY_RANK

    gender = (scan.masculine_category, scan.feminine_category)
    other = [f"{f.term} [{f.category}]" for f in scan.findings if f.category not in gender]
    worst = max((SEVERITY_RANK[f.severity] for f in scan.findings), default=None)
    row = {"label": scan.label, "word_count": scan.word_count,
           "n_findings": len(scan.findings), "n_not_scored": len(scan.suppressed),
           "max_severity": None if worst is None else next(
               k for k, v in SEVERITY_RANK.items() if v == worst),
           "masculine_words": "; ".join(scan.masculine),
           "feminine_words": "; ".join(scan.feminine), "other_findings": "; ".join(other)}
    row.update({f"{c}_count": n for c, n in scan.counts.items()})
    checks = scan.checks.to_dict()
    checks.pop("salary_text")
    row.update(checks)
    return row


_WORDS = ["lead", "Tech Lead", "supportive", "young", "rockstar", "he", "competitive salary",
          "Requirements:", "- Python", "equal opportunity employer", "reasonable accommodation",
          "$50,000 - $60,000 per year", "5+ years of experience", "bachelor's degree", "lift 50 lbs",
          "native English speaker", "Responsibilities:", "Job title: Lead Nurse"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "\n", "\n\n", ". "])),
                max_size=30).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_batch_rows_equal_single_scans(text):
    row = fh.scan_job_descriptions([text]).iloc[0]
    for column, value in _row_from_scan(fh.scan_job_description(text)).items():
        got = row[column]
        assert (pd.isna(got) and value is None) or got == value, (column, got, value, text)
