"""Precision and recall on the labelled word senses (fairhire/datasets/data/word_senses).

A sentence counts as flagged when the scan scores a gender-coded finding on its word.

- The **development set** (302 sentences written for fairhire) was in view when the context rules
  were written: its figures show that its senses are covered, not how unseen ads fare.
- The **held-out set** (164 sentences adapted from public job ads, job descriptions and tender
  pages, with their sources) was collected and labelled after the rules, and not used to write
  them. Its precision is the honest figure; the floors below are the measured values rounded
  down, so the test fails when a change makes unseen wording worse. The issue's goal of 0.95 is
  not reached on it (0.623 with the first round of rules, 0.816 with the second).

The figures are reported in docs/methods/job-descriptions.md.
"""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh
from fairhire.datasets.job_ads import load_word_senses

#: held-out floors (measured: precision 0.816, recall 0.976; Gender Decoder 0.500 and 1.000)
HELD_OUT_PRECISION_FLOOR = 0.80
HELD_OUT_RECALL_FLOOR = 0.97


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


@pytest.fixture(scope="module")
def held_out() -> pd.DataFrame:
    return load_word_senses(held_out=True)


#: each set's name, minimum size and whether its sources are page addresses only
SETS = {"development": (300, False), "round2": (150, True), "round3": (160, False)}


@pytest.mark.parametrize("which", list(SETS))
def test_the_sets(which):
    data = load_word_senses(held_out=False if which == "development" else which)
    minimum, addresses_only = SETS[which]
    assert len(data) >= minimum
    assert (data.label == "coded").sum() == (data.label == "innocent").sum()
    assert set(data.label) == {"coded", "innocent"}
    assert data.source.str.len().min() > 0
    assert not data.sentence.duplicated().any()
    for row in data.itertuples():
        assert row.stem in row.sentence.lower(), row.sentence
    if addresses_only:
        assert data.source.str.startswith(("http://", "https://")).all()
    if which == "round3":
        # a page address, or the kind of advert a written sentence follows
        web = data.source.str.startswith(("http://", "https://"))
        assert data.source[~web].str.startswith("written for fairhire: ").all()
        assert web.mean() > 0.7


def test_the_loader_names_the_sets():
    assert load_word_senses(held_out=True).equals(load_word_senses(held_out="round2"))
    assert load_word_senses(held_out="development").equals(load_word_senses())
    with pytest.raises(fh.InvalidParameterError, match="round3"):
        load_word_senses(held_out="round4")


def test_no_sentence_is_in_two_sets():
    sets = [set(load_word_senses(held_out=w).sentence) for w in (False, "round2", "round3")]
    assert not sets[0] & sets[1]
    assert not sets[0] & sets[2]
    assert not sets[1] & sets[2]


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


def test_held_out_precision_and_recall(held_out):
    default = _flags(held_out, "default")
    decoder = _flags(held_out, "gender-decoder")
    precision, recall = precision_recall(held_out, default)
    gd_precision, gd_recall = precision_recall(held_out, decoder)
    assert precision >= HELD_OUT_PRECISION_FLOOR
    assert recall >= HELD_OUT_RECALL_FLOOR
    # the figures in docs/methods/job-descriptions.md
    assert (round(precision, 3), round(recall, 3)) == (0.816, 0.976)
    assert (round(gd_precision, 3), round(gd_recall, 3)) == (0.5, 1.0)


def test_examples_from_the_issue():
    for innocent in ["Reply to invitations to tender.", "Review the tender documents.",
                     "We offer a competitive salary."]:
        assert not fh.scan_job_description(innocent).masculine
        assert not fh.scan_job_description(innocent).feminine
    assert fh.scan_job_description("A tender, caring nurse.").feminine == ("tender",)
    assert fh.scan_job_description("A competitive team.").masculine == ("competitive",)


@pytest.mark.parametrize(("text", "masculine", "feminine"), [
    # second-round rules: the other sense is not flagged ...
    ("You will be responsible for the rota.", (), ()),
    ("Your responsibilities include audits; respond to enquiries.", (), ()),
    ("Senior data analyst: analysis of sales data.", (), ()),
    ("Report to the Team Leader or the Room Leader.", (), ()),
    ("Join an NHS Foundation Trust.", (), ()),
    ("We welcome individuals from all backgrounds.", (), ()),
    ("Juggle competing priorities; submit a tender; tenders close Friday.", (), ()),
    ("A quiet village; social and emotional development; SOLID principles.", (), ()),
    ("Daily active users grew.", (), ()),
    # ... and the trait still is
    ("A responsible, responsive carer.", (), ("responsible", "responsive")),
    ("An analytical, natural leader.", ("analytical", "leader"), ()),
    ("Earn the trust of patients; a quiet, gentle manner.", (), ("trust", "quiet", "gentle")),
    ("A strong individual and a man of principle.", ("individual", "principle"), ()),
])
def test_second_round_rules(text, masculine, feminine):
    scan = fh.scan_job_description(text)
    assert (scan.masculine, scan.feminine) == (masculine, feminine)
