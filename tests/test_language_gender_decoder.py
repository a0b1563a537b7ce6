"""lexicon="gender-decoder": Gender Decoder's stems, exception and labels, without its bugs.

Reference values come from two places: Gender Decoder's own test suite (tests.py in
lovedaybrooke/gender-decoder; the expected counts and codings are copied below) and a
re-implementation of its counting algorithm (``_gender_decoder`` below, written from
app/models.py: ASCII-only clean-up, punctuation split, the hyphen pass, ``startswith`` counting
and the d = feminine - masculine thresholds), used as an oracle on texts that avoid its bugs.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fairhire as fh
from fairhire.language import load_lexicon

# Gender Decoder's word lists (app/wordlists/en.py).
GD_FEMININE = [
    "agree", "affectionate", "child", "cheer", "collab", "commit", "communal", "compassion",
    "connect", "considerate", "cooperat", "co-operat", "depend", "emotiona", "empath", "feel",
    "flatterable", "gentle", "honest", "interpersonal", "interdependen", "interpersona",
    "inter-personal", "inter-dependen", "inter-persona", "kind", "kinship", "loyal", "modesty",
    "nag", "nurtur", "pleasant", "polite", "quiet", "respon", "sensitiv", "submissive", "support",
    "sympath", "tender", "together", "trust", "understand", "warm", "whin", "enthusias",
    "inclusive", "yield", "share", "sharin",
]
GD_MASCULINE = [
    "active", "adventurous", "aggress", "ambitio", "analy", "assert", "athlet", "autonom",
    "battle", "boast", "challeng", "champion", "compet", "confident", "courag", "decid",
    "decision", "decisive", "defend", "determin", "domina", "dominant", "driven", "fearless",
    "fight", "force", "greedy", "head-strong", "headstrong", "hierarch", "hostil", "impulsive",
    "independen", "individual", "intellect", "lead", "logic", "objective", "opinion", "outspoken",
    "persist", "principle", "reckless", "self-confiden", "self-relian", "self-sufficien",
    "selfconfiden", "selfrelian", "selfsufficien", "stubborn", "superior", "unreasonab",
]
GD_HYPHENATED = [w for w in GD_FEMININE + GD_MASCULINE if "-" in w]


def _gender_decoder(text: str, *, fix_bugs: bool = False) -> tuple[list[str], list[str], str]:
    """Gender Decoder's algorithm (app/models.py), optionally without its two bugs."""
    cleaner = "".join(c if ord(c) < 128 else " " for c in text)
    cleaner = re.sub(r"\s", " ", cleaner)
    words = re.sub(r"[\.\t\,“”‘’<>\*\?\!\"\[\]\@\':;\(\)\./&]", " ", cleaner).split(" ")
    words = [w.lower() for w in words if w != ""]
    if fix_bugs:
        out = []
        for w in words:
            if "-" in w and not any(w.startswith(h) for h in GD_HYPHENATED):
                out.extend(w.split("-"))
            else:
                out.append(w)
        words = out
    else:  # de_hyphen_non_coded_words, mutating the list it iterates over
        for word in words:
            if word.find("-"):
                if not any(word.startswith(h) for h in GD_HYPHENATED):
                    i = words.index(word)
                    words.remove(word)
                    words = words[:i] + word.split("-") + words[i:]
    words = [w for w in words if not w.startswith("sharepoint")]

    def coded(stems: list[str]) -> list[str]:
        if fix_bugs:  # each word once
            return [w for w in words if any(w.startswith(s) for s in stems)]
        return [w for w in words for s in stems if w.startswith(s)]

    masc, fem = coded(GD_MASCULINE), coded(GD_FEMININE)
    d = len(fem) - len(masc)
    if d > 3:
        label = "strongly feminine-coded"
    elif d > 0:
        label = "feminine-coded"
    elif d < -3:
        label = "strongly masculine-coded"
    elif d < 0:
        label = "masculine-coded"
    else:
        label = "neutral"
    return masc, fem, label


def gd(text: str):
    return fh.scan_job_description(text, lexicon="gender-decoder")


def test_word_lists_are_gender_decoders():
    lex = load_lexicon("gender-decoder")
    masc = [e.term for e in lex.entries if e.category == "masculine"]
    fem = [e.term for e in lex.entries if e.category == "feminine"]
    assert sorted(masc) == sorted(GD_MASCULINE)
    assert sorted(fem) == sorted(GD_FEMININE)
    assert all(e.match == "prefix" for e in lex.entries)
    assert [x.term for x in lex.exceptions] == ["sharepoint"]
    assert lex.labels.method == "count" and lex.context is False


# Expected values from Gender Decoder's own tests.py.
GD_SUITE = [
    ("Ambition:competition–decisiveness, empathy&kindness", 3, 2, "masculine-coded"),
    ("Ambition:competition–decisiveness, other words", 3, 0, "masculine-coded"),
    ("Ambition:competition–decisiveness&leadership, other words", 4, 0,
     "strongly masculine-coded"),
    ("Ambition:competition–decisiveness&leadership, decisiveness, stubborness, sharing and "
     "empathy", 6, 2, "strongly masculine-coded"),
    ("Ambition:competition, empathy&kindness, co-operation", 2, 3, "feminine-coded"),
    ("empathy&kindness, co-operation and some other words", 0, 3, "feminine-coded"),
    ("empathy&kindness, co-operation, trust and other words", 0, 4, "strongly feminine-coded"),
    ("Ambition:competition, empathy&kindness and responsibility, co-operation, honesty, trust "
     "and other words", 2, 6, "strongly feminine-coded"),
    ("sharing versus aggression", 1, 1, "neutral"),
    ("irrelevant words", 0, 0, "neutral"),
]


@pytest.mark.parametrize(("text", "m", "f", "label"), GD_SUITE)
def test_gender_decoder_test_suite(text, m, f, label):
    s = gd(text)
    assert (len(s.masculine), len(s.feminine), s.label) == (m, f, label)
    assert _gender_decoder(text)[2] == label  # the oracle agrees with the suite


def test_gender_decoder_process_ad_example():
    text = (
        "Sharing: ambition\tkindness&empathy(never more than frou) Who is Connect@HBS? "
        "leader-supporter-follower aggresive/responsible;understand? connect"
    )
    s = gd(text)
    assert sorted(set(w.lower() for w in s.masculine)) == ["ambition", "leader"]
    assert sorted(set(w.lower() for w in s.feminine)) == [
        "connect", "empathy", "kindness", "responsible", "sharing", "supporter", "understand"
    ]
    assert s.label == "strongly feminine-coded"


def test_hand_worked_examples():
    # "leaders" + "driven" (masculine); "collaborative", "shared", "feelings" (feminine)
    s = gd("Driven leaders: collaborative, shared feelings, SharePoint admin.")
    assert s.masculine == ("Driven", "leaders")
    assert s.feminine == ("collaborative", "shared", "feelings")
    assert s.label == "feminine-coded"
    # Gender Decoder flags these (fairhire's default does not)
    s = gd("Confidential committee, competent Tech Lead, data-driven.")
    assert [w.lower() for w in s.masculine] == ["confidential", "competent", "lead", "driven"]
    assert [w.lower() for w in s.feminine] == ["committee"]


def test_double_counting_bug_fixed():
    text = "We need a dominant, interpersonal leader."
    gd_m, gd_f, gd_label = _gender_decoder(text)
    assert (len(gd_m), len(gd_f), gd_label) == (3, 2, "masculine-coded")  # counts words twice
    s = gd(text)
    assert s.masculine == ("dominant", "leader") and s.feminine == ("interpersonal",)
    assert s.label == "masculine-coded"


def test_second_token_skipping_bug_fixed():
    text = "A leader-supporter wanted"
    gd_m, gd_f, gd_label = _gender_decoder(text)
    assert (gd_m, gd_f, gd_label) == (["leader-supporter"], [], "masculine-coded")
    s = gd(text)
    assert s.masculine == ("leader",) and s.feminine == ("supporter",)
    assert s.label == "neutral"
    assert _gender_decoder(text, fix_bugs=True)[2] == "neutral"


def test_hyphenated_stems_stay_whole():
    s = gd("A self-confident, co-operative, head-strong colleague.")
    assert s.masculine == ("self-confident", "head-strong")
    assert s.feminine == ("co-operative",)


def test_labels_use_raw_counts():
    s = gd("ambitious " * 10 + "word " * 5000)
    assert s.label == "strongly masculine-coded"


def test_no_context_rules_in_gender_decoder_mode():
    s = gd("Responsibilities:\n- Build\n")
    assert s.feminine == ("Responsibilities",)


_FILLER = ["the", "team", "we", "and", "data", "project", "with", "our", "you", "work"]
_SUFFIXES = ["", "s", "ing", "ed", "ness", "ive", "ship", "ity"]
_SEPARATORS = [" ", ", ", ". ", ": ", "; ", " & ", "/", " (", ") ", "\t", "\n", "? ", "! "]
_STEMS = [s for s in GD_MASCULINE + GD_FEMININE if "-" not in s]


def _double_counted(word: str) -> bool:
    return (
        sum(word.startswith(s) for s in GD_MASCULINE) > 1
        or sum(word.startswith(s) for s in GD_FEMININE) > 1
    )


_word = st.one_of(
    st.sampled_from(_FILLER),
    st.builds(lambda s, x: s + x, st.sampled_from(_STEMS), st.sampled_from(_SUFFIXES)),
).filter(lambda w: not _double_counted(w))


@given(st.lists(st.tuples(_word, st.sampled_from(_SEPARATORS)), max_size=40))
def test_matches_gender_decoder_on_texts_without_its_bugs(pairs):
    text = "".join(w + sep for w, sep in pairs)
    gd_m, gd_f, gd_label = _gender_decoder(text)
    s = gd(text)
    assert [w.lower() for w in s.masculine] == gd_m
    assert [w.lower() for w in s.feminine] == gd_f
    assert s.label == gd_label
