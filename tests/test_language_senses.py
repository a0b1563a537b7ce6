"""Precision and recall on the labelled word senses (fairhire/datasets/data/word_senses).

A sentence counts as flagged when the scan scores a gender-coded finding on its word.

- The **development set** (302 sentences written for fairhire) was in view when the context rules
  were written: its figures show that its senses are covered, not how unseen ads fare.
- The **round-2 set** (164 sentences adapted from public job ads, job descriptions and tender
  pages, with their sources) was held out for the first two rounds of rules (0.623 and 0.816
  precision), then used to write the third: it is now a **second development set**.
- The **round-3 set** (208 sentences, 150 of them adapted from public pages) was held out for the
  third round (0.675 precision), then used to write the fourth: it is now a **third development
  set**, and its 0.972 is coverage, not an estimate on unseen ads.
- The **round-4 set** (300 sentences from 156 public pages no earlier set used) was held out for
  the fourth round (0.718 precision, recall 0.987: "on-site leader(s)" were taken for the second
  round's "Site Leader" title), then used to write the fifth: it is now a **fourth development
  set** (0.955, 1.000).
- The **round-5 set** (324 sentences from 161 public pages no earlier set used) was collected,
  labelled and committed before the fifth round of rules and not used to write them. Its
  figures are the honest ones: precision 0.644 with the fourth round of rules and 0.680 with the
  fifth, far below the issue's goal of 0.95; recall 0.951 and 0.944 (Gender Decoder: 0.500 and
  1.000). Nine coded uses that Gender Decoder flags are missed with the fifth round: "kindness",
  "politeness" and "opinions" (the default keeps Gaucher et al.'s exact words), "a sense of
  responsibility" and two more (the second round's "responsibilities" rule), "support team
  members" (a support-titles rule), "a strong understanding of your team members" (the first
  round's "understanding of" rule) and "I understand that you might feel" (the fifth round's
  "understand that"). The floors below are the measured values rounded down, so the test fails
  when a change makes unseen wording worse.

Every development set is checked for no loss of recall against Gender Decoder. The figures are
reported in docs/methods/job-descriptions.md.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import fairhire as fh
from fairhire.datasets.job_ads import load_word_senses

#: round-5 held-out floors (measured: precision 0.680, recall 0.944; Gender Decoder 0.500, 1.000)
HELD_OUT_PRECISION_FLOOR = 0.68
HELD_OUT_RECALL_FLOOR = 0.94
#: coded uses that Gender Decoder flags and the default lexicon misses on the round-5 set (nine
#: with the fifth round of rules, eight with the fourth; see the docstring)
HELD_OUT_LOST_AGAINST_DECODER = 9


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
    return load_word_senses(held_out="round5")


#: each set's name, minimum size and whether its sources are page addresses only
SETS = {"development": (300, False), "round2": (150, True), "round3": (160, False),
        "round4": (300, True), "round5": (300, True)}


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
    with pytest.raises(fh.InvalidParameterError, match="round5"):
        load_word_senses(held_out="round6")
    with pytest.raises(fh.InvalidParameterError, match=r"held_out=3 must be True, False or .*'round5'"):
        load_word_senses(held_out=3)


def test_no_sentence_is_in_two_sets():
    sets = [set(load_word_senses(held_out=w).sentence)
            for w in (False, "round2", "round3", "round4", "round5")]
    for i, first in enumerate(sets):
        for second in sets[i + 1:]:
            assert not first & second


def test_round4_pages_are_new():
    """No page that gave a sentence to an earlier set gave one to the round-4 set."""
    earlier = set().union(*(load_word_senses(held_out=w).source
                            for w in (False, "round2", "round3")))
    assert not earlier & set(load_word_senses(held_out="round4").source)


def _page(address: str) -> str:
    """A page address without scheme, ``www.``, query or trailing slash, in lower case."""
    address = re.sub(r"^https?://", "", address.lower())
    return re.sub(r"^www\d?\.", "", address).split("?")[0].rstrip("/")


def test_round5_pages_are_new():
    """No page that gave a sentence to an earlier set gave one to the round-5 set, however its
    address is written (with or without www., a query or a trailing slash)."""
    earlier = set().union(*(map(_page, load_word_senses(held_out=w).source)
                            for w in (False, "round2", "round3", "round4")))
    round5 = load_word_senses(held_out="round5")
    assert not earlier & set(map(_page, round5.source))
    assert round5.source.nunique() >= 150


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


#: the figures of the later development sets (precision, recall), in docs/methods/job-descriptions.md
LATER_DEVELOPMENT_SETS = {"round2": (0.976, 1.0), "round3": (0.972, 1.0), "round4": (0.955, 1.0)}


@pytest.mark.parametrize("which", list(LATER_DEVELOPMENT_SETS))
def test_later_development_sets(which):
    """The round-2, round-3 and round-4 sets, development sets since the third, fourth and
    fifth rounds."""
    senses = load_word_senses(held_out=which)
    default = _flags(senses, "default")
    decoder = _flags(senses, "gender-decoder")
    precision, recall = precision_recall(senses, default)
    gd_precision, gd_recall = precision_recall(senses, decoder)
    coded = senses.label == "coded"
    assert not (decoder & coded & ~default).any()
    assert (round(precision, 3), round(recall, 3)) == LATER_DEVELOPMENT_SETS[which]
    assert (round(gd_precision, 3), round(gd_recall, 3)) == (0.5, 1.0)


def test_held_out_precision_and_recall(held_out):
    """The round-5 set: precision and recall on wording the rules were not written for."""
    default = _flags(held_out, "default")
    decoder = _flags(held_out, "gender-decoder")
    precision, recall = precision_recall(held_out, default)
    gd_precision, gd_recall = precision_recall(held_out, decoder)
    assert precision >= HELD_OUT_PRECISION_FLOOR
    assert recall >= HELD_OUT_RECALL_FLOOR
    # coded uses that Gender Decoder catches and the default lexicon misses: no more than the
    # nine known ones (no fifth-round rule was changed after measuring)
    coded = held_out.label == "coded"
    assert int((decoder & coded & ~default).sum()) <= HELD_OUT_LOST_AGAINST_DECODER
    # the figures in docs/methods/job-descriptions.md
    assert (round(precision, 3), round(recall, 3)) == (0.68, 0.944)
    assert (round(gd_precision, 3), round(gd_recall, 3)) == (0.5, 1.0)


def test_examples_from_the_issue():
    for innocent in ["Reply to invitations to tender.", "Review the tender documents.",
                     "We offer a competitive salary."]:
        assert not fh.scan_job_description(innocent).masculine
        assert not fh.scan_job_description(innocent).feminine
    assert fh.scan_job_description("A tender, caring nurse.").feminine == ("tender",)
    assert fh.scan_job_description("A competitive team.").masculine == ("competitive",)


#: (text, masculine words, feminine words) for the second-round rules
SECOND_ROUND = [
    # the other sense is not flagged ...
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
]
#: the same for the third-round rules
THIRD_ROUND = [
    # the other sense is not flagged ...
    ("Understand how the billing code works.", (), ()),
    ("Each individual on the rota gets two weekends off.", (), ()),
    ("Start dates depend on the funding round; pay depends on experience.", (), ()),
    ("The platform supports single sign-on; support the rollout of the new rota.", (), ()),
    ("Insights inform business decisions; you will receive a decision letter.", (), ()),
    ("Connect devices to the network; keep the logic layer small.", (), ()),
    ("Run analytical methods in the laboratory.", (), ()),
    ("Present to senior leaders; delays can lead to penalties; report to the Pod Lead.", (), ()),
    ("The challenges facing the sector; fair and open competition.", (), ()),
    ("Aggressive growth targets; the dominant supplier in the region.", (), ()),
    # ... and the trait still is
    ("You understand people and their worries.", (), ("understand",)),
    ("A strong individual who can depend on themselves.", ("individual",), ("depend",)),
    ("You are supportive and connect with customers.", (), ("supportive", "connect")),
    ("Make quick decisions with an analytical mind.", ("decisions", "analytical"), ()),
    ("A natural leader who takes on complex technical challenges.", ("leader", "challenges"), ()),
    ("An effective technical leader; an aggressive, dominant style.",
     ("leader", "aggressive", "dominant"), ()),
    ("Healthy competition keeps us sharp.", ("competition",), ()),
]

#: the same for the fourth-round rules
FOURTH_ROUND = [
    # the other sense is not flagged ...
    ("Each tender is scored; the form of tender; a tender may be rejected.", (), ()),
    ("Competitive pressure shapes our competitive strategy.", (), ()),
    ("Hiring a Lead Software Engineer and a Lead Full-Stack Developer.", (), ()),
    ("Support budget tracking and support projects across the region.", (), ()),
    ("Store water-sensitive reagents; the separation principle; social work principles.", (), ()),
    ("Active sites on the catalyst; the Force recruitment website; join the force.", (), ()),
    ("Ask about anything you don't understand; understand the client's business.", (), ()),
    ("Capital commitments; the Trust's policies; book connecting flights.", (), ()),
    ("Loss of whatever kind; the job objective; customer loyalty.", (), ()),
    ("A gentle slope; salary together with a car allowance; the decisive factor.", (), ()),
    ("Seek a legal opinion; offices in Pleasanton; crop yield; interpersonal therapy.", (), ()),
    ("Key decision makers; the decision to tender; despite these challenges.", (), ()),
    # ... and the trait still is
    ("A tender, caring nurse who gives tender care.", (), ("tender", "tender")),
    ("A competitive person in a competitive sales environment.", ("competitive", "competitive"), ()),
    ("Lead software development across three teams.", ("Lead",), ()),
    ("Support colleagues and support programmers who are new.", (), ("Support", "support")),
    ("A culturally sensitive, principled manager.", ("principled",), ("sensitive",)),
    ("An active member of the team and a driving force for change.", ("active", "force"), ()),
    ("You understand people and their worries.", (), ("understand",)),
    ("A personal commitment to quality; connect trainees with mentors.", (), ("commitment", "connect")),
    ("Be kind and gentle; work together with the team.", (), ("kind", "gentle", "together")),
    ("A confident decision maker who takes on new challenges.",
     ("confident", "decision", "challenges"), ()),
]


#: the same for the fifth-round rules
FIFTH_ROUND = [
    # the other sense is not flagged ...
    ("Award decisions, buying decisions and decision-making authority.", (), ()),
    ("Help staff understand that rules change and understand instructions.", (), ()),
    ("Firms strive to remain competitive; report to the sales leader; keep developing leads.",
     (), ()),
    ("An ambitious curriculum; use force only when necessary; reasonable force.", (), ()),
    ("Staff are faced with challenges and cope with challenges; challenging behaviour.", (), ()),
    ("Support SaaS applications, provide support for printers; administrative support.", (), ()),
    ("A pleasant stay, pleasant dreams and the emotional demands of the role.", (), ()),
    ("Give care to an individual; profits depend on every sale.", (), ()),
    ("Let's be honest: the work is guided by principles.", (), ()),
    ("Buildings sensitive to their historic setting; a sensitive duty.", (), ()),
    ("People who are physically active; an athletic instructor.", (), ()),
    ("Trust me, the line goes quiet; quiet sobbing.", (), ()),
    ("Why would someone commit suicide? Adventurous activities and logic puzzles.", (), ()),
    # ('connections' is connect*, a sense of another word the rules leave alone)
    ("An objective test, independent control and emotional connections with brands.", (),
     ("connections",)),
    # ... and the trait still is
    ("Make quick decisions and understand how people feel.", ("decisions",), ("understand",)),
    ("An ambitious, competitive person who will face new challenges with courage.",
     ("ambitious", "competitive", "challenges", "courage"), ()),
    ("A challenging role: support colleagues and support them.", ("challenging",),
     ("support", "support")),
    ("A pleasant, sensitive and honest manner.", (), ("pleasant", "sensitive", "honest")),
    ("A strong individual, active in the community.", ("individual", "active"), ()),
    ("A quiet, committed and trusted colleague.", (), ("quiet", "committed", "trusted")),
    ("An adventurous and objective thinker who uses logic.", ("adventurous", "objective", "logic"),
     ()),
    ("Lead by example, not by force; the on-site leader.", ("Lead", "force", "leader"), ()),
]


@pytest.mark.parametrize(("text", "masculine", "feminine"),
                         SECOND_ROUND + THIRD_ROUND + FOURTH_ROUND + FIFTH_ROUND)
def test_word_sense_rules(text, masculine, feminine):
    scan = fh.scan_job_description(text)
    assert (scan.masculine, scan.feminine) == (masculine, feminine)
