"""Precision and recall on the labelled word-sense set (fairhire/datasets/data/word_senses).

A sentence counts as flagged when the scan scores a gender-coded finding on its word. The
default lexicon's context rules must keep precision at or above 0.95 without losing any true
use that Gender Decoder's lists catch; the figures are reported in docs/methods.
"""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh
from fairhire.datasets.job_ads import load_word_senses


def _flags(senses: pd.DataFrame, lexicon: str) -> pd.Series:
    def flagged(sentence: str, stem: str) -> bool:
        scan = fh.scan_job_description(sentence, lexicon=lexicon)
        gender = (scan.masculine_category, scan.feminine_category)
        return any(f.category in gender and f.term.lower().startswith(stem)
                   for f in scan.findings)

    return pd.Series([flagged(s, t) for s, t in zip(senses.sentence, senses.stem, strict=True)],
                     index=senses.index)


def precision_recall(senses: pd.DataFrame, flags: pd.Series) -> tuple[float, float]:
    coded = senses.label == "coded"
    tp = int((flags & coded).sum())
    return tp / int(flags.sum()), tp / int(coded.sum())


@pytest.fixture(scope="module")
def senses() -> pd.DataFrame:
    return load_word_senses()


def test_the_set(senses):
    assert len(senses) >= 300
    assert (senses.label == "coded").sum() == (senses.label == "innocent").sum()
    assert set(senses.label) == {"coded", "innocent"}
    assert senses.source.str.len().min() > 0
    for row in senses.itertuples():
        assert row.stem in row.sentence.lower(), row.sentence


def test_default_precision_and_recall(senses):
    default = _flags(senses, "default")
    decoder = _flags(senses, "gender-decoder")
    precision, recall = precision_recall(senses, default)
    gd_precision, gd_recall = precision_recall(senses, decoder)
    assert precision >= 0.95
    # no true use that Gender Decoder catches is lost
    coded = senses.label == "coded"
    assert not (decoder & coded & ~default).any()
    assert recall >= gd_recall
    # the figures in docs/methods/job-descriptions.md
    assert (round(precision, 3), round(recall, 3)) == (1.0, 1.0)
    assert (round(gd_precision, 3), round(gd_recall, 3)) == (0.5, 1.0)


def test_examples_from_the_issue():
    for innocent in ["Reply to invitations to tender.", "Review the tender documents.",
                     "We offer a competitive salary."]:
        assert not fh.scan_job_description(innocent).masculine
        assert not fh.scan_job_description(innocent).feminine
    assert fh.scan_job_description("A tender, caring nurse.").feminine == ("tender",)
    assert fh.scan_job_description("A competitive team.").masculine == ("competitive",)
