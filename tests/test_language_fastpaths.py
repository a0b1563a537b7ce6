"""The scanner's shortcuts give exactly the answers of the slow paths they skip (issue 18).

- Neighbour exceptions ("Tech Lead"): the compiled matcher runs a word's neighbour expression
  only where the characters next to the word allow a match (a separator, then an item's last
  or first four characters, or fewer where an item is shorter or has a space or hyphen there:
  "level 1"). Every item of every exception, with every kind of separator, at the start and
  end of the text, must give the reference matches.
- A place's rule is looked up by the longest key found there, and in plain text a word that
  can only be an exception ("responsibilities", "analyse") is no place at all: words that start
  with other terms ("leads", "leadership", "standing") and exceptions next to "_", accents and
  other terms must match as the whole expression does.
- A place where only phrases start ("culture fit", "clean-shaven") takes the phrase without
  running its expression where the phrase is written just so: every spelling, separator and
  ending around it must match as the expression does.
- Context lookup is one table per ad: every position agrees with the line-by-line reference
  layout, also where an EEO statement runs into a title or a header.
"""

from __future__ import annotations

import random
import re

import pytest
from test_language_matcher import CUSTOM as TRICKY

from fairhire.language import load_lexicon
from fairhire.language._reference_layout import ReferenceLayout
from fairhire.language.checks import CHECK_KEYWORDS, CHECK_MARKERS
from fairhire.language.context import Layout
from fairhire.language.matcher import CompiledLexicon
from fairhire.language.salary import find_salaries
from fairhire.language.tokens import (
    NEIGHBOUR_SEP,
    NEIGHBOUR_SEP_CHARS,
    core_words,
    lower_same_length,
)

_CUSTOM = {
    "name": "neighbours",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [{"term": "naïve", "category": "extra"}, {"term": "rock*", "category": "extra"}],
    "exceptions": [
        {"words": ["naïve"], "followed_by": ["bayes*"], "reason": "a classifier"},
        # items with separators, hyphens and apostrophes at their ends: no shortcut for these
        {"words": ["rock*"], "preceded_by": ["hard", "a-", "x", "punk 'n'"],
         "followed_by": ["'n' roll", "-solid", "y", "star*"], "reason": "music"},
        # the same expression before and after the word (a palindrome)
        {"words": ["naïve"], "preceded_by": ["level"], "reason": "a level"},
        {"words": ["naïve"], "followed_by": ["level"], "reason": "a level"},
    ],
}
# items whose second character from the word is a space or hyphen ("level 1"): the shortcut
# looks at the one character next to the separator, mixed with longer items of another
# exception of the same word; and items of three and more characters
_ONE_CHAR = {
    "name": "one-char",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [{"term": "naïve", "category": "extra"}, {"term": "rock*", "category": "extra"}],
    "exceptions": [
        {"words": ["naïve"], "preceded_by": ["level 1", "x", "tier-2"],
         "followed_by": ["a b", "c-d", "q"], "reason": "one character"},
        {"words": ["naïve", "rock*"], "preceded_by": ["hard"], "followed_by": ["bayes*"],
         "reason": "four characters"},
        {"words": ["rock*"], "preceded_by": ["abc", "hard"], "followed_by": ["n roll", "xyz*"],
         "reason": "three and one characters"},
    ],
}
# phrases of one length with different findings (one an exception), a shorter form inside
# them, and a longer one that goes on past them
_PHRASES = {
    "name": "phrases",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [{"term": "foo bar", "category": "extra"}, {"term": "foo", "category": "extra"},
              {"term": "blue sky", "category": "extra"},
              {"term": "blue sky thinking", "category": "culture"},
              {"term": "lone wolf", "category": "extra"}],
    "exceptions": [{"term": "foo-bar", "reason": "a name"},
                   {"words": ["lone wolf"], "preceded_by": ["a"], "reason": "a title"}],
}
LEXICONS = {
    "default": load_lexicon("default"),
    "one-char": load_lexicon(_ONE_CHAR),
    "phrases": load_lexicon(_PHRASES),
    "gender-decoder": load_lexicon("gender-decoder"),
    "neighbours": load_lexicon(_CUSTOM),
    "tricky": load_lexicon(TRICKY),  # an unanchored pattern: every word is a place
}
_COMPILED: dict[str, CompiledLexicon] = {}

# a separator of each kind, several, and characters that are no separator
_SEPS = [" ", "  ", "    ", "     ", "\t", "\u00a0", "-", "\u2013", "/", " - ", "\n", ", ", ". ",
         "_", "", "é"]


def _compiled(name: str) -> CompiledLexicon:
    if name not in _COMPILED:
        _COMPILED[name] = CompiledLexicon(LEXICONS[name], CHECK_KEYWORDS, CHECK_MARKERS)
    return _COMPILED[name]


def _same(name: str, text: str) -> None:
    comp = _compiled(name)
    low = lower_same_length(text)
    assert comp.find(low).matches == comp.find_reference(low), (name, text)


def test_neighbour_separator_characters_are_the_expressions():
    sep = re.compile(NEIGHBOUR_SEP)
    found = {chr(c) for c in range(0x10000) if sep.fullmatch(chr(c))}
    assert found == NEIGHBOUR_SEP_CHARS


@pytest.mark.parametrize("name", list(LEXICONS))
def test_neighbour_exceptions_with_every_item_and_separator(name):
    rnd = random.Random(18)
    for exc in LEXICONS[name].exceptions:
        for word in exc.words or ():
            word = word.rstrip("*") + ("s" if word.endswith("*") else "")
            for item in exc.preceded_by or ():
                for sep in _SEPS:
                    _same(name, f"{item}{sep}{word}")  # the item at the text's start
                    _same(name, f"the {item}{sep}{word} is here")
                    _same(name, f"x{item}{sep}{word}")  # the item inside a longer word
                    _same(name, f"{item.upper()}{sep}{word.title()}")
            for item in exc.followed_by or ():
                item = item.rstrip("*") + ("ing" if item.endswith("*") else "")
                for sep in _SEPS:
                    _same(name, f"{word}{sep}{item}")  # the item at the text's end
                    _same(name, f"a {word}{sep}{item} here")
                    _same(name, f"{word}{sep}{item}x")
            # a few random neighbours with curly apostrophes and dashes inside
            items = list(exc.preceded_by or ()) + list(exc.followed_by or ())
            for _ in range(5):
                item = rnd.choice(items).rstrip("*").replace("'", "\u2019").replace("-", "\u2011")
                sep = rnd.choice(_SEPS)
                _same(name, f"{item}{sep}{word}{sep}{item}")


def test_words_that_start_with_other_terms():
    words = ["lead", "leads", "leader", "leaders", "leadership", "leading", "stand", "standing",
             "standards", "sit", "sites", "fit", "fits", "fitness", "rock", "rockstar",
             "rock-star", "naïve", "naïveté", "he", "help", "her", "here", "man", "manage",
             # exceptions, which plain text gives no place at all
             "responsibilities", "responsibility", "responsible", "analyse", "analysed",
             "analyst", "analytical", "connecticut", "connecticuts", "connect", "individuals",
             "individual", "committee", "committed"]
    tails = [" for long periods", " in with our culture", "", " team", "s", "_x", "\u0301"]
    for name in LEXICONS:
        for w in words:
            for tail in tails:
                _same(name, f"{w}{tail}")
                _same(name, f"We {w.upper()}{tail}, and {w}{tail}.")


_EEO = ("We are an equal opportunity employer. All qualified applicants will receive "
        "consideration without regard to race or national origin; we lead with trust.")
_BLOCKS = ["Team Lead", "Equal opportunity:", "## Equal Opportunity Employer", "Lead: " + _EEO,
           _EEO, "- Lead a supportive team.", "Requirements:", "Responsibilities: lead",
           "Job title: Lead Nurse", "", "Supportive, committed and kind."]


def test_context_table_agrees_with_the_reference_layout():
    rnd = random.Random(6)
    for _ in range(200):
        text = "".join(rnd.choice(_BLOCKS) + rnd.choice(["\n", "\n\n", " "])
                       for _ in range(rnd.randint(1, 8)))
        low = lower_same_length(text)
        new, old = Layout(low), ReferenceLayout(low)
        for pos in range(len(low) + 1):
            assert new.context_of(pos) == old.context_of(pos), (text, pos)


def test_patterns_whose_starts_run_past_their_first_word():
    # the posture, culture-fit and age patterns start with words that also begin other words
    texts = ["standards", "sites", "stand for long periods", "standand walk for long periods",
             "stand,sit for long periods", "stand/sit for extended hours", "standor sit for long",
             "Stand  and  walk for prolonged periods", "sit for 8 hours", "sitting\tfor 2 hrs",
             "fit in with our culture", "fits the team culture", "fitness", "fit.", "fit-in",
             "aged 25-35", "age, sex", "ages 18 to 30", "must be able to stand", "must.",
             "valid driver's license", "driver’s licence", "native english speaker",
             "native-level fluency", "class of 2024", "no more than 5 years of experience"]
    for name in LEXICONS:
        for text in texts:
            _same(name, text)
            _same(name, f"We {text.upper()}; and {text}_x {text}\u00e9.")


def test_phrases_written_just_so_and_otherwise():
    phrases = ["culture fit", "clean shaven", "clean-shaven", "hit the ground running",
               "ping pong", "ping-pong", "sanity check", "high energy", "beer on tap",
               "recent graduate", "digital native", "objective-c", "foo bar", "foo-bar",
               "blue sky", "blue sky thinking", "lone wolf", "work hard, play hard"]
    ends = ["", ".", " x", "s", "_", "-x", "\u0301", "é", "  thinking", " thinking", "\n"]
    for name in LEXICONS:
        for phrase in phrases:
            # and spellings the phrase's place is found for but that are shorter than the
            # phrase (no hyphen), up to the text's end
            spellings = {phrase, phrase.replace(" ", "  "), phrase.replace("-", " "),
                         phrase.replace(" ", "-"), phrase.replace(" ", "\u2013"),
                         phrase.replace("-", ""), phrase.replace(" ", ""),
                         phrase.replace("-", "")[:-1], phrase.upper(), phrase[:-1]}
            for text in spellings:
                for end in ends:
                    _same(name, f"{text}{end}")
                    _same(name, f"a {text}{end} b")
                    _same(name, f"x{text}{end}")  # inside a longer word: no place
                    _same(name, f"caf\u00e9 {text}{end}")  # not plain ASCII
                    _same(name, f"_ {text}{end}")  # "_": not plain either


def test_prefix_terms_longer_than_their_key():
    # the automaton's keys stop at 40 characters: a longer prefix term's key is a start of
    # it, and a word with that start need not be the term (nor reach the text's end)
    term = "a" * 45
    lex = load_lexicon({"name": "long", "extends": "default",
                        "categories": {"extra": {"title": "Extra"}},
                        "terms": [{"term": term + "*", "category": "extra"},
                                  {"term": "b" * 41, "category": "extra"}]})
    comp = CompiledLexicon(lex, CHECK_KEYWORDS, CHECK_MARKERS)
    for text in [term, term + "s", "a" * 40, "a" * 42, "a" * 42 + "bbbbb", f"x {term}x y",
                 "b" * 41, "b" * 40, "b" * 42, "b" * 41 + ".", "a" * 41 + "_"]:
        low = lower_same_length(text)
        assert comp.find(low).matches == comp.find_reference(low), text


def test_keyword_tokens_with_and_without_punctuation_around():
    # a keyword counts when some whitespace-separated token, stripped of punctuation, is the
    # word; whitespace (or the text's edge) on both sides is the shortcut, anything else the
    # full test
    comp = _compiled("default")
    arounds = [("", ""), (" ", " "), ("\n", "\t"), ("(", ")"), ("", "."), ('"', '",'),
               ("x", ""), ("", "x"), ("-", ""), ("", "-x"), ("é", ""), ("\u00a0", "\u2003"),
               ("«", "»:"), ("a.", ""), ("", "'s")]
    for word in sorted(CHECK_KEYWORDS):
        for before, after in arounds:
            for text in (f"{before}{word}{after}", f"we {before}{word}{after} do",
                         f"{word} and {before}{word.upper()}{after}"):
                low = lower_same_length(text)
                expected = core_words(set(low.split())) & comp.keywords
                assert comp.find(low).words == expected, text


# a phrase whose neighbour exceptions differ from its words' (the shortcut that takes a
# phrase written just so also takes its neighbour rules, computed once per phrase)
_PHRASE_NEIGHBOURS = {
    "name": "phrase-neighbours",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [{"term": "rock star", "category": "extra"}, {"term": "star", "category": "extra"},
              {"term": "rock", "category": "extra"}],
    "exceptions": [
        {"words": ["rock star"], "preceded_by": ["punk", "glam-"], "followed_by": ["wars"],
         "reason": "music"},
        {"words": ["star"], "followed_by": ["wars"], "reason": "films"},
    ],
}


def test_phrases_written_just_so_take_their_own_neighbour_exceptions():
    lex = load_lexicon(_PHRASE_NEIGHBOURS)
    comp = CompiledLexicon(lex, CHECK_KEYWORDS, CHECK_MARKERS)
    phrases = ["rock star", "rock-star", "rock  star", "rockstar", "rock\nstar"]
    befores = ["", "punk ", "punk-", "glam-", "glam ", "a ", "x", "_", "café "]
    afters = ["", " wars", "-wars", " war", "s wars", ".", "\u0301", " stars"]
    for phrase in phrases:
        for before in befores:
            for after in afters:
                text = f"{before}{phrase}{after}"
                low = lower_same_length(text)
                assert comp.find(low).matches == comp.find_reference(low), text
    # both sides of the shortcut are taken: the neighbour exception removes the phrase
    # written just so, and a plain phrase elsewhere is reported
    low = "punk rock star and a rock star"
    assert [low[s:e] for s, e, _ in comp.find(low).matches] == ["rock star"]


def test_numbers_are_pay_next_to_a_pay_word_or_a_currency_only():
    # the pay-word test is a substring test per word, as the one search for any of them was
    words = ["salary", "salaries", "pay", "compensation", "wage", "rate", "remuneration",
             "base", "ote", "earn", "stipend", "per annum", "per hour", "hourly", "annual",
             "income", "package", "bonus"]
    for word in words:
        for before in (f"{word}: ", f"the {word} is ", f"{word}s of ", f"x{word}x "):
            found = find_salaries(f"{before}50,000 - 60,000", f"{before}50,000 - 60,000")
            assert [(s.low, s.high) for s in found] == [(50000.0, 60000.0)], before
    for text in ("lift 50,000 - 60,000 boxes", "pa y 50,000", "sal ary 52,000",
                 "salary\n50,000 - 60,000"):  # the pay word must be on the number's line
        assert find_salaries(text, text) == [], text
    # a currency needs no pay word; "401(k)" and years are no pay
    assert find_salaries("usd 80,000", "USD 80,000")[0].currency == "USD"
    assert find_salaries("pay: 401k match", "Pay: 401k match") == []
    assert find_salaries("salary after 5 years", "Salary after 5 years") == []


def test_neighbour_check_keeps_each_items_own_end():
    # "level 1 support" makes "1" an item end; every other item before "support" keeps its own
    # last characters (up to four), so "the support" does not run the expression: no item
    # ends in "he", though "1" is one character
    comp = _compiled("default")
    *_, wp, wf, tails, heads = comp._neighbour_check("support")
    assert {"1", "2", "3"} <= set(tails) and all(1 <= len(t) <= 4 for t in tails)
    assert not any(t.endswith("he") for t in tails) and "omer" in tails  # "customer"
    assert wp == 1 + max(map(len, tails)) and wf == 1 + max(map(len, heads))
    for text in ["the support", "level 1 support", "customer support", "l1 support",
                 "a support", "1 support", "x1 support"]:
        _same("default", text)
        _same("one-char", text.replace("support", "naïve"))


def test_neighbour_tests_remembered_per_text_next_to_the_word(monkeypatch):
    # the cheap test before a neighbour expression is remembered per word and the characters
    # next to it: the same characters give the same answer whatever comes further away, at
    # the text's start and end too, and a full memo starts again (bounded)
    import fairhire.language.placerules as placerules

    monkeypatch.setattr(placerules, "_MAX_SIDES", 3)
    comp = CompiledLexicon(LEXICONS["default"], CHECK_KEYWORDS, CHECK_MARKERS)
    texts = ["support", "1 support", "l1 support", "level 1 support", "level 1  support",
             "customer support", "customer\u2013support", "customer/ support",
             "support representative", "support repr", "support  representative",
             "support the team", "the support team", "tech lead", "lead engineer",
             "x tech lead", "the leaders", "team leaders", "team-leaders", "on site leaders"]
    for _ in range(2):
        for text in texts:
            low = lower_same_length(text)
            assert comp.find(low).matches == comp.find_reference(low), text
    memos = [len(memo) for rule in comp._rules if rule is not None and rule[0] >= 0 and rule[3]
             for memo in rule[3][2:4]]
    assert memos and max(memos) <= 3 and sum(memos) > 0
