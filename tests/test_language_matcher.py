"""The compiled matcher gives exactly the old pure-Python matcher's findings.

The old token-cache matcher is kept as :class:`fairhire.language._reference.ReferenceMatcher`,
and the lexicon's whole expression (``find_reference``) is the semantics both implement. These
tests compare all three on the bundled ads, on a 10,000-ad generated corpus (plain ASCII and with
Unicode punctuation, accents and odd spacing mixed in), on hypothesis-generated texts and on a
custom lexicon that exercises every kind of entry.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from perturb import perturb

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads
from fairhire.language import load_lexicon
from fairhire.language._reference import ReferenceMatcher
from fairhire.language.checks import CHECK_KEYWORDS, structural_checks
from fairhire.language.context import Layout
from fairhire.language.matcher import CompiledLexicon, word_count
from fairhire.language.patterns import literal_starts, pattern_starts
from fairhire.language.salary import find_salaries, number_starts
from fairhire.language.tokens import lower_same_length

CUSTOM = {
    "name": "tricky",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [
        # a pattern with an upper-case literal (matched case-insensitively, no literal start)
        {"term": "Must\\s+Relocate", "category": "extra", "match": "pattern", "id": "x/relocate"},
        # a pattern that starts with a class of many characters: tried at every word
        {"term": "[A-Za-z]{2,8}ish\\s+vibes?", "category": "extra", "match": "pattern",
         "id": "x/vibes"},
        # a pattern whose start is optional, with explicit anchors
        {"term": "(?:very\\s+)?strong\\s+opinions?", "category": "extra", "match": "pattern",
         "anchors": ["very", "strong"], "id": "x/opinions"},
        {"term": "naïve", "category": "extra"},
        {"term": "self-starter*", "category": "extra"},
        {"term": "go-getter's attitude", "category": "extra", "match": "phrase"},
        {"term": "24/7", "category": "extra"},
        {"term": "on call", "category": "extra", "match": "phrase"},
    ],
    "exceptions": [
        {"term": "self-starters club", "match": "phrase", "reason": "a name"},
        {"words": ["naïve"], "followed_by": ["bayes*"], "reason": "a classifier"},
        {"term": "strong\\s+opinions\\s+loosely", "match": "pattern", "reason": "an idiom"},
    ],
}
LEXICONS = {
    "default": load_lexicon("default"),
    "gender-decoder": load_lexicon("gender-decoder"),
    "tricky": load_lexicon(CUSTOM),
}
_PAIRS: dict[str, tuple[CompiledLexicon, ReferenceMatcher]] = {}


def _pair(name: str) -> tuple[CompiledLexicon, ReferenceMatcher]:
    if name not in _PAIRS:
        lex = LEXICONS[name]
        _PAIRS[name] = (CompiledLexicon(lex, CHECK_KEYWORDS), ReferenceMatcher(lex, CHECK_KEYWORDS))
    return _PAIRS[name]


def assert_same(text: str, name: str = "default") -> None:
    """New, old and the whole expression agree on matches, word count and keywords."""
    new, old = _pair(name)
    low = lower_same_length(text)
    got = new.find(low)
    matches, words, keywords, _numeric = old.find(low)
    assert got.matches == matches, (name, text[:200])
    assert got.matches == new.find_reference(low)
    assert got.word_count == words
    assert got.words == keywords
    # number starts: the same pay is found with and without them
    assert find_salaries(low, text, got.numbers) == find_salaries(low, text, None)


@pytest.mark.parametrize("name", list(LEXICONS))
def test_bundled_ads(name):
    for text in fh.datasets.load_job_ads().text:
        assert_same(text, name)
        assert_same(text.upper(), name)


def test_ten_thousand_generated_ads():
    ads = make_job_ads(10_000, words=120, random_state=18).text.tolist()
    rnd = random.Random(18)
    for i, text in enumerate(ads):
        assert_same(text)
        if i % 10 == 0:  # one ad in ten also with Unicode and odd spacing, in every lexicon
            mixed = perturb(text, rnd)
            for name in LEXICONS:
                assert_same(mixed, name)


def test_structural_checks_agree_with_and_without_matcher_hints():
    comp, _ = _pair("default")
    rnd = random.Random(3)
    texts = [*fh.datasets.load_job_ads().text, *make_job_ads(300, random_state=3).text]
    for text in texts + [perturb(t, rnd) for t in texts]:
        low = lower_same_length(text)
        got = comp.find(low)
        fast = structural_checks(text, low, Layout(low, got.words), got.words, got.numbers)
        slow = structural_checks(text, low, Layout(low, got.words), got.words)
        assert fast == slow


_VOCAB = [
    "lead", "leaders", "Tech", "team", "support", "engineer", "active", "directory",
    "competitive", "salary", "competent", "kind", "regards", "work", "hard", "play", "hit", "the",
    "ground", "running", "native", "English", "speaker", "culture", "fit", "young", "recent",
    "graduates", "class", "of", "2024", "lift", "50", "lbs", "stand", "for", "long", "periods",
    "valid", "driver's", "driver’s", "license", "he", "she", "his", "chairman", "rockstar",
    "data-driven", "self-confident", "selfconfident", "co-operative", "no", "more", "than",
    "years", "experience", "aged", "25-35", "must", "be", "able", "to", "see", "very", "strong",
    "opinions", "loosely", "naïve", "naive", "bayes", "self-starter", "self-starters", "club",
    "go-getter's", "attitude", "24/7", "on", "call", "Relocate", "boyish", "vibes", "equal",
    "opportunity", "degree", "bachelor's", "$80,000", "80k", "€", "£30", "(bs", "ph.d.", "e\u0301",
    "İ", "ß", "_lead", "lead_", "10x", "engineers",
]
_SEPS = [" ", "  ", "   ", "     ", "\n", "\n\n", ", ", ". ", ": ", "-", "—", "–", "/", "\t",
         "\n- ", "\u00a0", "’", "'", "(", ")"]
ad_text = st.lists(
    st.tuples(st.sampled_from(_VOCAB), st.sampled_from(_SEPS)), max_size=40
).map(lambda pairs: "".join(w + s for w, s in pairs))


@settings(max_examples=300, deadline=None)
@given(st.one_of(ad_text, st.text(max_size=200)))
def test_hypothesis_texts(text):
    for name in LEXICONS:
        assert_same(text, name)


def test_word_count():
    for text in ["", " ", "a", "- -", "Lead - the team, 24/7 !", "é – ü", "a\u00a0b", "_ x"]:
        low = lower_same_length(text)
        assert word_count(low) == sum(1 for t in low.split() if any(
            c.isalnum() or c == "_" for c in t))


def test_number_starts():
    assert number_starts("pay $80,000 or 1.5x; v2") == [4, 5, 15]
    assert number_starts("$") == [0]


def test_literal_and_pattern_starts():
    assert literal_starts("lead") == ["lead"]
    assert literal_starts("co-operat") == ["co operat", "cooperat"]
    assert "hit the ground" in literal_starts("hit the ground")
    assert "hit    the ground" in literal_starts("hit the ground")  # 1-4 separators
    assert pattern_starts(r"must\s+be") == sorted(pattern_starts(r"must\s+be"))
    assert pattern_starts(r"[a-z]+ish") is None
    assert pattern_starts(r"\bnative\s+speaker") is not None


def test_unanchored_pattern_where_a_word_also_starts():
    # "leadish vibes": the unanchored pattern and the prefix lead* start at the same place;
    # patterns come first in the expression, so the pattern wins
    for text in ["leadish vibes", "a leadish vibe", "lead vibes", "boyish vibes", "Leadish Vibes"]:
        assert_same(text, "tricky")
    new, _ = _pair("tricky")
    (match,) = new.find("leadish vibes").matches
    assert match.end == len("leadish vibes")


def test_big_and_adversarial_texts_agree():
    cases = ["he " * 2000, "the he " * 1000, "lead" * 3000, "native " * 500 + "speaker",
             "self-" * 1000, "e\u0301" * 2000 + " leader", "_" * 3000 + " lead"]
    for text in cases:
        for name in LEXICONS:
            assert_same(text, name)
