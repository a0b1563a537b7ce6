"""Lexicons as data: the built-in files, user TOML files, extension, categories and validation."""

from __future__ import annotations

import pickle

import pytest

import fairhire as fh
from fairhire.errors import InputTypeError, InvalidParameterError
from fairhire.language import load_lexicon
from fairhire.language.lexicon import Lexicon
from fairhire.language.matcher import compile_lexicon

# Gaucher, Friesen & Kay (2011), Appendix A, as listed in METHODS.md §5 ('*' = prefix).
GAUCHER_MASCULINE = (
    "active adventurous aggress* ambitio* analy* assert* athlet* autonom* boast* challeng* "
    "compet* confident courag* decide decisive decision* determin* dominant domina* force* "
    "greedy headstrong hierarch* hostil* impulsive independen* individual* intellect* lead* "
    "logic masculine objective opinion outspoken persist principle* reckless stubborn superior "
    "self-confiden* self-sufficien* self-relian*"
).split()
GAUCHER_FEMININE = (
    "affectionate child* cheer* commit* communal compassion* connect* considerate cooperat* "
    "depend* emotiona* empath* feminine flatterable gentle honest interpersonal interdependen* "
    "interpersona* kind kinship loyal* modesty nag nurtur* pleasant* polite quiet* respon* "
    "sensitiv* submissive support* sympath* tender* together* trust* understand* warm* whin* "
    "yield*"
).split()


def test_default_gender_lists_are_gaucher_2011_with_exact_and_prefix_semantics():
    lex = load_lexicon("default")
    masc = [e.label for e in lex.entries if e.category == "masculine"]
    fem = [e.label for e in lex.entries if e.category == "feminine"]
    assert len(GAUCHER_MASCULINE) == 42 and len(GAUCHER_FEMININE) == 40
    assert masc == GAUCHER_MASCULINE
    assert fem == GAUCHER_FEMININE


def test_every_entry_has_category_match_severity_source():
    lex = load_lexicon("default")
    assert set(lex.categories) == {
        "masculine", "feminine", "age", "ability", "national_origin", "gendered_language",
        "culture",
    }
    for e in lex.entries:
        assert e.category in lex.categories
        assert e.match in ("exact", "prefix", "phrase", "pattern")
        assert e.severity in ("info", "low", "medium", "high")
        assert e.source, e.id
    ids = [e.id for e in lex.entries]
    assert len(ids) == len(set(ids))
    for x in lex.exceptions:
        assert x.reason, x.id
    for src in lex.sources.values():
        assert src.short and src.citation


def test_to_frame_lists_terms():
    frame = load_lexicon("default").to_frame()
    assert {"term", "category", "match", "severity", "suggestions", "source"} <= set(frame)
    assert (frame.term == "lead*").any()


def test_user_toml_file_extending_default(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(
        'name = "acme"\n'
        'extends = "default"\n'
        'disable = ["culture"]\n'
        "terms = [\n"
        '  { term = "synergy", category = "jargon", severity = "low", '
        'suggestions = ["collaboration"], source = "acme" },\n'
        '  { term = "wunderkind", category = "age", match = "prefix", severity = "high", '
        'source = "acme" },\n'
        "]\n"
        "exceptions = [\n"
        '  { term = "leadership academy", reason = "our programme name" },\n'
        "]\n"
        "[categories.jargon]\n"
        'title = "Corporate jargon"\n'
        "[sources.acme]\n"
        'short = "Acme style guide"\n',
        encoding="utf-8",
    )
    s = fh.scan_job_description(
        "Synergy for wunderkinds at our Leadership Academy. A rockstar leader.", lexicon=path
    )
    assert [(f.term, f.category, f.source) for f in s.findings] == [
        ("Synergy", "jargon", "Acme style guide"),
        ("wunderkinds", "age", "Acme style guide"),
        ("leader", "masculine", "Gaucher, Friesen & Kay (2011)"),
    ]
    assert "culture" not in s.counts


def test_extend_and_without_methods():
    base = load_lexicon("default")
    extra = load_lexicon(
        {"name": "extra", "categories": {"jargon": {"title": "Jargon"}},
         "terms": [{"term": "synergy", "category": "jargon", "source": "me"}]}
    )
    lex = base.extend(extra).without(["age"])
    assert "jargon" in lex.categories and "age" not in lex.categories
    s = fh.scan_job_description("young synergy", lexicon=lex)
    assert [f.category for f in s.findings] == ["jargon"]
    assert lex.labels == base.labels
    with pytest.raises(InvalidParameterError, match="no such category"):
        base.without(["nope"])


def test_default_exceptions_shield_extended_terms():
    # Gender Decoder's extra stems added to the default keep the default's exceptions
    lex = load_lexicon("default").extend(
        {"name": "gd-stems", "terms": [
            {"term": "driven", "category": "masculine", "match": "prefix", "source": "gd"},
            {"term": "share", "category": "feminine", "match": "prefix", "source": "gd"},
        ]}
    )
    s = fh.scan_job_description("Data-driven shareholders use SharePoint; driven people share.",
                                lexicon=lex)
    assert [f.term for f in s.findings] == ["driven", "share"]


#: (text, words reported) for a lexicon whose "leader" is a title after "site" or "shop", but
#: not after "on site" or "off-site" (not_preceded_by narrows preceded_by)
NOT_PRECEDED_BY = [
    ("Report to the Site Leader.", []),
    ("Report to the site-leader or the shop leader.", []),
    ("The on-site leader keeps people safe.", ["leader"]),
    ("They act as on site leaders; an off-site leader.", ["leaders", "leader"]),
    ("Ask the ON\u2011SITE LEADER.", ["LEADER"]),
    ("The onsite leader.", ["leader"]),  # no separator before 'site': not the title either
    ("A leader on site.", ["leader"]),
    ("A shop leader.", []),
    ("The leader.", ["leader"]),
]


@pytest.mark.parametrize(("text", "reported"), NOT_PRECEDED_BY)
def test_not_preceded_by_narrows_preceded_by(text, reported):
    lex = load_lexicon({
        "name": "sites", "categories": {"masculine": {"role": "masculine"}},
        "terms": [{"term": "leader", "category": "masculine", "variants": ["leaders"],
                   "source": "test"}],
        "exceptions": [{"words": ["leader", "leaders"], "preceded_by": ["site", "shop"],
                        "not_preceded_by": ["on site", "off site"], "reason": "a title"}],
    })
    assert lex.exceptions[0].not_preceded_by == ("on site", "off site")
    scan = fh.scan_job_description(text, lexicon=lex, context=False)
    assert [f.term for f in scan.findings] == reported
    # the compiled matcher and the reference expression agree
    matcher = compile_lexicon(lex)
    low = text.lower()
    assert matcher.find(low).matches == matcher.find_reference(low)


def test_default_on_site_leader_is_not_the_site_leader_title():
    assert fh.scan_job_description("The on-site leader is responsible for safety.").masculine == (
        "leader",)
    assert fh.scan_job_description("Report to the Site Leader.").masculine == ()


def test_loaded_lexicon_object_is_accepted_and_picklable():
    lex = load_lexicon("default")
    assert load_lexicon(lex) is lex
    compile_lexicon(lex)
    clone = pickle.loads(pickle.dumps(lex))
    assert isinstance(clone, Lexicon) and len(clone.entries) == len(lex.entries)
    assert fh.scan_job_description("ninja", lexicon=clone).findings[0].term == "ninja"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"terms": [{"term": "x", "category": "nope"}]}, "not defined"),
        ({"categories": {"c": {}}, "terms": [{"term": "x", "category": "c", "match": "fuzzy"}]},
         "match must be one of"),
        ({"categories": {"c": {}}, "terms": [{"term": "x", "category": "c", "severity": "huge"}]},
         "severity must be one of"),
        ({"categories": {"c": {}}, "terms": [{"term": "-x", "category": "c"}]},
         "must start with a letter"),
        ({"categories": {"c": {}}, "terms": [{"term": "a*b", "category": "c"}]}, "only end"),
        ({"categories": {"c": {}}, "terms": [{"term": "x", "category": "c", "colour": 1}]},
         "unknown keys"),
        ({"bogus": 1}, "unknown top-level keys"),
        ({"labels": {"method": "vibes"}}, "labels.method"),
        ({"labels": {"coded": 2, "strongly": 1}}, "coded <= strongly"),
        ({"exceptions": [{"words": ["lead"]}]}, "needs 'term'"),
        ({"exceptions": [{"words": ["leader"], "followed_by": ["x"], "not_preceded_by": ["on site"]}]},
         "narrows 'preceded_by'"),
        ({"categories": {"c": {"role": "other"}}}, "has role"),
    ],
)
def test_invalid_lexicon_entries_raise_with_the_entry_named(data, message):
    with pytest.raises(InvalidParameterError, match=message):
        load_lexicon(data)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a+)+b", "nests an unbounded repetition"),
        (r"lift.*lbs", "without bound"),
        (r"(a)\1", "back-reference"),
        (r"x?", "empty string"),
        (r"(?P<n>x)", "named group"),
        (r"([", "invalid regular expression"),
    ],
)
def test_dangerous_patterns_are_rejected(pattern, message):
    lex = load_lexicon({"categories": {"c": {}},
                        "terms": [{"term": pattern, "category": "c", "match": "pattern"}]})
    with pytest.raises(InvalidParameterError, match=message):
        fh.scan_job_description("x", lexicon=lex)


def test_unanchored_and_uppercase_patterns_work():
    lex = load_lexicon({"categories": {"c": {}}, "terms": [
        {"term": r"\d{2,3}\s*wpm", "category": "c", "match": "pattern", "id": "typing"},
        {"term": r"Must\s+Travel", "category": "c", "match": "pattern", "id": "travel"},
    ]})
    s = fh.scan_job_description("Type 60 wpm. You must travel. 100wpm!", lexicon=lex)
    assert [(f.term, f.rule) for f in s.findings] == [
        ("60 wpm", "typing"), ("must travel", "travel"), ("100wpm", "typing")
    ]


def test_bad_files_and_types(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("terms = [ {", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="not valid TOML"):
        load_lexicon(bad)
    with pytest.raises(InvalidParameterError, match="neither a built-in"):
        load_lexicon(tmp_path / "missing.toml")
    with pytest.raises(InputTypeError):
        load_lexicon(3.5)  # type: ignore[arg-type]
