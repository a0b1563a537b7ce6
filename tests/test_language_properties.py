"""Properties of the scanner (hypothesis) and robustness on large or adversarial texts.

The robustness tests have no timing assertion: they show that large and adversarial inputs
finish (a quadratic or exponential blow-up would make the test suite hang).
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads
from fairhire.language import load_lexicon
from fairhire.language.checks import CHECK_KEYWORDS
from fairhire.language.matcher import compile_lexicon
from fairhire.language.tokens import lower_same_length

_DEFAULT = load_lexicon("default")
_GD = load_lexicon("gender-decoder")

# words that exercise every path: coded words, phrase heads, pattern anchors, exceptions
_VOCAB = [
    "lead", "leaders", "leadership", "tech", "team", "support", "engineer", "active",
    "directory", "competitive", "salary", "competent", "committee", "kind", "regards", "work",
    "hard", "play", "hit", "the", "ground", "running", "native", "english", "speaker", "culture",
    "fit", "young", "digital", "recent", "graduates", "class", "of", "2024", "lift", "50", "lbs",
    "stand", "for", "long", "periods", "valid", "driver's", "license", "he", "or", "she", "his",
    "her", "chairman", "rockstar", "ninja", "data-driven", "self-confident", "no", "more",
    "than", "5", "years", "experience", "aged", "25-35", "sanity", "check", "qualified",
    "individuals", "equal", "opportunity", "employer", "responsibilities:", "$80,000", "-",
    "$90,000", "•", "“warm”", "naïve", "e\u0301", "İ", "ß", "\u00a0", "we", "must", "be", "able",
    "to", "see", "accent", "without", "an",
]
_SEPS = [" ", "  ", "\n", "\n\n", ", ", ". ", ": ", "-", "—", "/", "\t", "\n- "]

ad_text = st.lists(
    st.tuples(st.sampled_from(_VOCAB), st.sampled_from(_SEPS)), max_size=60
).map(lambda pairs: "".join(w + s for w, s in pairs))
any_text = st.one_of(st.text(max_size=300), ad_text)


def _check_findings(text, findings):
    starts = [f.start for f in findings]
    assert starts == sorted(starts)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.term


@given(any_text)
def test_arbitrary_text_never_raises_and_offsets_are_exact(text):
    for lexicon in ("default", "gender-decoder"):
        s = fh.scan_job_description(text, lexicon=lexicon)
        _check_findings(text, s.findings)
        _check_findings(text, s.suppressed)
        assert s.word_count >= 0
        s.summary()
        s.to_frame()
        s.rewrite()


@given(any_text)
def test_fast_path_equals_reference_semantics(text):
    low = lower_same_length(text)
    for lex in (_DEFAULT, _GD):
        comp = compile_lexicon(lex, CHECK_KEYWORDS)
        fast, words, *_ = comp.find(low)
        assert fast == comp.find_reference(low)
        assert words == sum(1 for t in low.split() if any(c.isalnum() or c == "_" for c in t))


@given(ad_text, st.randoms(use_true_random=False))
def test_case_insensitive(text, rnd):
    mixed = "".join(c.upper() if rnd.random() < 0.5 else c for c in text)
    if len(mixed) != len(text) or len(lower_same_length(mixed)) != len(text):
        return
    if lower_same_length(mixed) != lower_same_length(text):
        return  # characters whose case-mapping is not reversible (e.g. "ß" -> "SS")
    a = fh.scan_job_description(text)
    b = fh.scan_job_description(mixed)
    assert [(f.start, f.end, f.rule) for f in a.findings] == [
        (f.start, f.end, f.rule) for f in b.findings
    ]
    assert a.label == b.label


@given(any_text)
def test_deterministic(text):
    a = fh.scan_job_description(text).to_dict()
    b = fh.scan_job_description(text).to_dict()
    assert a == b


def test_fast_path_equals_reference_on_synthetic_ads():
    comp = compile_lexicon(_DEFAULT, CHECK_KEYWORDS)
    for text in make_job_ads(60, words=400, random_state=11).text:
        low = lower_same_length(text)
        assert comp.find(low)[0] == comp.find_reference(low)


def test_five_megabyte_ad_scans():
    ads = fh.datasets.load_job_ads().text.tolist()
    chunk = "\n\n".join(ads)
    text = (chunk * (5_000_000 // len(chunk) + 1))[:5_000_000]
    s = fh.scan_job_description(text)
    assert len(text) == 5_000_000
    assert s.word_count > 700_000
    assert len(s.findings) > 10_000
    last = s.findings[-1]
    assert text[last.start : last.end] == last.term


def test_adversarial_inputs_finish():
    rnd = random.Random(0)
    cases = [
        "a" * 300_000,  # one huge token
        "lead" * 75_000,  # one huge token that starts with a prefix entry
        "work " * 60_000,  # a phrase head everywhere, never completed
        "native " * 40_000 + "speaker",  # a pattern anchor everywhere
        "1" * 300_000,  # a huge number (salary and years checks)
        "$" * 100_000 + "1" * 1000,
        "1,000," * 50_000,
        "5 years " * 40_000,
        "-\n" * 150_000,  # bullets without end
        "no more than " * 30_000,
        "lift " * 30_000 + "50 lbs",
        "he " * 100_000,  # a short hit token that also occurs inside words
        "the he " * 50_000,
        "requirements:\n" + "- x\n" * 50_000,
        "equal opportunity " * 20_000,
        "".join(rnd.choice("ab -\n.:$1") for _ in range(300_000)),
        "e\u0301" * 100_000,
        "İ" * 100_000 + " leader",
    ]
    for text in cases:
        s = fh.scan_job_description(text)
        _check_findings(text, s.findings[:100])
        fh.scan_job_description(text, lexicon="gender-decoder")
