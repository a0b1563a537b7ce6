"""Job-description scanner: false positives avoided, true positives per category, offsets,
context rules, labels, rewrite, results and errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import fairhire as fh
from fairhire.errors import FairhireError, InputTypeError, InvalidParameterError
from fairhire.language import load_lexicon
from fairhire.language.lexicon import LabelRule
from fairhire.language.scanner import gender_label


def scan(text: str, **kw):
    return fh.scan_job_description(text, **kw)


def flagged(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.term, f.category) for f in scan(text, **kw).findings]


# -- METHODS.md §5: every known false positive of prefix matching is avoided -------------------

FALSE_POSITIVES = [
    "This role is confidential.",
    "You are competent in SQL.",
    "Our competence framework and core competencies.",
    "You will sit on the hiring committee.",
    "Kindergarten teachers welcome.",
    "Kind regards, the hiring team.",
    "A true gentleman.",
    "Based in Connecticut.",
    "We monitor with Nagios.",
    "Experience representing the defendant.",
    "Deterministic builds matter.",
    "You will prepare public tenders.",
    "We report to our shareholders.",
    "You will report to the Tech Lead.",
    "You will follow up on new Sales Leads.",
    "You will work with a Data Analyst.",
    "Join us as a Support Engineer.",
    "Manage users in Active Directory.",
    "A data-driven culture.",
    "Every git commit is reviewed.",
    "Competitive salary and benefits.",
    "Objective-C and Swift.",
    "Salary depending on experience.",
    "Protect intellectual property.",
    "Veterans of the Air Force and the armed forces.",
    "Handle sensitive data with care.",
    "Encourage your team.",
    "Manage software dependencies.",
    "Use SharePoint and Teams.",
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_known_false_positive_is_not_flagged(text):
    s = scan(text)
    gender = [f for f in s.findings if f.category in ("masculine", "feminine")]
    assert gender == [], [(f.term, f.rule) for f in gender]


def test_header_word_is_not_scored():
    s = scan("Data Engineer\n\nLeadership:\n- Build pipelines.\n")
    assert s.masculine == ()
    assert [(f.term, f.context) for f in s.suppressed] == [("Leadership", "section header")]
    # "Responsibilities" lists duties: not a finding at all (second round of word senses)
    assert scan("Data Engineer\n\nResponsibilities:\n- Build pipelines.\n").suppressed == ()


def test_qualified_individuals_in_eeo_boilerplate_not_scored():
    text = (
        "Analyst\n\nYou will build reports.\n\nWe are an equal opportunity employer. All qualified "
        "individuals are encouraged to apply; we are committed to inclusion and support "
        "individuals with disabilities.\n"
    )
    s = scan(text)
    assert s.findings == ()
    contexts = {f.context for f in s.suppressed}
    assert contexts == {"EEO statement"}
    assert {f.term for f in s.suppressed} >= {"committed", "support"}


def test_job_title_is_not_scored_but_gendered_title_is():
    s = scan("Senior Lead Analyst, Support\n\nYou will build dashboards.\n")
    assert s.masculine == () and s.feminine == ()
    assert {f.context for f in s.suppressed} == {"job title"}
    s2 = scan("Chairman of the Board\n\nYou will chair meetings.\n")
    assert [(f.term, f.category) for f in s2.findings] == [("Chairman", "gendered_language")]


def test_same_words_scored_in_running_text():
    s = scan("We want someone who will lead, decide and support the team.")
    assert s.masculine == ("lead", "decide")
    assert s.feminine == ("support",)


# -- true positives for every category --------------------------------------------------------

TRUE_POSITIVES = [
    ("We need an ambitious, competitive self-starter.", "masculine", ["ambitious", "competitive"]),
    ("A dominant, decisive and independent leader.", "masculine",
     ["dominant", "decisive", "independent", "leader"]),
    ("Self-confident and self-reliant.", "masculine", ["Self-confident", "self-reliant"]),
    ("A warm, supportive and understanding colleague.", "feminine",
     ["warm", "supportive", "understanding"]),
    ("Be kind, honest and polite.", "feminine", ["kind", "honest", "polite"]),
    ("A young, energetic digital native.", "age", ["young", "energetic", "digital native"]),
    ("Ideal for recent graduates (class of 2024).", "age", ["recent graduates", "class of 2024"]),
    ("Applicants aged 25-35.", "age", ["aged 25-35"]),
    ("No more than 5 years of experience.", "age", ["No more than 5 years of experience"]),
    ("Must lift 50 lbs and stand for long periods.", "ability",
     ["lift 50 lbs", "stand for long periods"]),
    ("A valid driver's license is required.", "ability", ["valid driver's license"]),
    ("Do a quick sanity check.", "ability", ["sanity check"]),
    ("A native English speaker and a good culture fit.", "national_origin",
     ["native English speaker", "culture fit"]),
    ("Staff must be clean-shaven.", "national_origin", ["clean-shaven"]),
    ("Our chairman and salesmen.", "gendered_language", ["chairman", "salesmen"]),
    ("He will manage his territory.", "gendered_language", ["He", "his"]),
    ("Hey guys, he or she must apply.", "gendered_language", ["guys", "he or she"]),
    ("A rockstar ninja guru.", "culture", ["rockstar", "ninja", "guru"]),
    ("We work hard, play hard and hit the ground running.", "culture",
     ["work hard, play hard", "hit the ground running"]),
    ("Free beer and ping-pong.", "culture", ["beer", "ping-pong"]),
]


@pytest.mark.parametrize(("text", "category", "terms"), TRUE_POSITIVES)
def test_true_positives(text, category, terms):
    got = [f.term for f in scan(text).findings if f.category == category]
    assert got == terms


def test_exact_versus_prefix_semantics_of_gaucher_2011():
    # exact entries match the word only; prefix entries (*) match every word they start
    assert flagged("confidential confident") == [("confident", "masculine")]
    assert flagged("kindness kind") == [("kind", "feminine")]
    assert flagged("leaders leadership leading") == [
        ("leaders", "masculine"), ("leadership", "masculine"), ("leading", "masculine")
    ]
    assert flagged("actively active") == [("active", "masculine")]


# -- offsets and tokenisation ------------------------------------------------------------------


def test_offsets_are_exact():
    text = "  Über-Team:\n• Leadership—“rockstar” culture; the team’s leader's ‘ninja’ skills\n"
    s = scan(text)
    assert s.findings
    for f in s.findings:
        assert text[f.start : f.end] == f.term
    assert [f.term for f in s.findings] == ["Leadership", "rockstar", "leader", "ninja"]


def test_accented_words_stay_whole():
    # "naïve" and "décisive" are not split into "na"/"ve" or "d"/"cisive"
    s = scan("Un poste décisive, naïve, e\u0301lead et café.")
    assert s.findings == ()
    assert scan("résumé: leadership").masculine == ("leadership",)


def test_hyphenated_compounds():
    assert flagged("decision-making") == [("decision", "masculine")]
    assert flagged("self-confident self confident selfconfident") == [
        ("self-confident", "masculine"), ("confident", "masculine"), ("selfconfident", "masculine")
    ]
    assert flagged("co-operative inter-personal") == [
        ("co-operative", "feminine"), ("inter-personal", "feminine")
    ]


def test_case_insensitive():
    a = [(f.start, f.end, f.rule) for f in scan("LEADERSHIP and Rockstar").findings]
    b = [(f.start, f.end, f.rule) for f in scan("leadership and rockstar").findings]
    assert a == b and len(a) == 2


def test_dashes_bullets_and_curly_quotes_separate_words():
    assert flagged("•ambitious–competitive—“warm”") == [
        ("ambitious", "masculine"), ("competitive", "masculine"), ("warm", "feminine")
    ]


def test_special_unicode_lowercase_keeps_offsets():
    text = "İstanbul office: ambitious İİ leader"
    s = scan(text)
    assert [text[f.start : f.end] for f in s.findings] == ["ambitious", "leader"]


# -- labels --------------------------------------------------------------------------------------


def test_density_label_does_not_drift_with_length():
    ad = (
        "Data Analyst\n\nWe want an ambitious, analytical and competitive person to lead our "
        "reporting. You will work with the finance team on monthly reports and forecasts. "
    )
    filler = "You will prepare the monthly report for the finance team and share it. " * 3
    base = scan(ad + filler)
    long = scan((ad + filler) * 20)
    assert base.label == long.label
    gd_long = scan((ad + filler) * 20, lexicon="gender-decoder")
    assert gd_long.label == "strongly masculine-coded"


def test_label_rule_reference_values():
    rule = LabelRule()  # coded >= 0.4/100 words and >= 2 words; strongly >= 1.0 and >= 4
    assert gender_label(4, 0, 400, rule) == "strongly masculine-coded"  # 1.0 per 100, D=4
    assert gender_label(3, 0, 400, rule) == "masculine-coded"  # 0.75 per 100, D=3
    assert gender_label(1, 0, 100, rule) == "neutral"  # 1.0 per 100 but a single word
    assert gender_label(2, 0, 100, rule) == "masculine-coded"
    assert gender_label(0, 5, 400, rule) == "strongly feminine-coded"
    assert gender_label(10, 10, 400, rule) == "neutral"
    assert gender_label(0, 0, 0, rule) == "neutral"
    gd = LabelRule(method="count", coded=1, strongly=4)
    assert [gender_label(m, 0, 10_000, gd) for m in (0, 1, 3, 4)] == [
        "neutral", "masculine-coded", "masculine-coded", "strongly masculine-coded"
    ]


def test_counts_and_density():
    s = scan("ambitious competitive warm " + "word " * 97)
    assert s.word_count == 100
    assert s.counts["masculine"] == 2 and s.counts["feminine"] == 1
    assert s.density["masculine"] == pytest.approx(2.0)
    assert set(s.counts) == set(load_lexicon("default").categories)


# -- rewrite -----------------------------------------------------------------------------------


def test_rewrite_applies_one_to_one_replacements_only():
    s = scan("The CHAIRMAN and his or her Salesmen need a sanity check. Be a rockstar.")
    assert s.rewrite() == (
        "The CHAIR and their Salespeople need a quick check. Be a rockstar."
    )


def test_rewrite_without_findings_returns_text():
    assert scan("Plain text.").rewrite() == "Plain text."


# -- severities ------------------------------------------------------------------------------------


def test_physical_requirements_less_severe_with_accommodation_statement():
    base = "Warehouse\n\nYou will lift 50 lbs regularly.\n"
    without = scan(base).by_category("ability")[0]
    with_stmt = scan(
        base + "\nWe provide reasonable accommodations to applicants with disabilities.\n"
    ).by_category("ability")[0]
    assert (without.severity, with_stmt.severity) == ("medium", "low")
    assert without.term == "lift 50 lbs"
    assert "accommodation" in with_stmt.note


# -- result object ---------------------------------------------------------------------------------


def test_result_outputs():
    text = "Tech Lead\n\nA young rockstar who will lead.\nSalary: $90,000 - $110,000 per year.\n"
    s = scan(text)
    frame = s.to_frame()
    assert list(frame.columns[:8]) == [
        "category", "term", "start", "end", "severity", "suggestion", "suggestions",
        "replacement",
    ]
    assert len(frame) == len(s.findings)
    d = s.to_dict()
    json.dumps(d)  # JSON-safe
    assert d["type"] == "JobDescriptionScan" and d["checks"]["salary_range"] is True
    assert "Label:" in s.summary() and "pay range" in s.summary()
    html = s._repr_html_()
    assert "<mark" in html and "rockstar" in html
    heads = s.headlines()
    assert any("high-severity" in h.text for h in heads)
    assert all("discriminat" not in h.text for h in heads)
    assert isinstance(s, fh.JobDescriptionScan)
    assert isinstance(s.findings[0], fh.Finding)


def test_html_and_markdown_are_escaped():
    text = "Ninja <script>alert('x')</script> & **bold** # head\n| a | b |"
    s = scan(text)
    html = s.highlight_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = s.highlight_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\*\\*bold\\*\\*" in md and "\\#" in md and "\\|" in md
    assert "**Ninja**<sup>1</sup>" in md
    assert "<script>" not in s._repr_html_()


def test_finding_fields():
    f = scan("A rockstar.").findings[0]
    assert (f.category, f.term, f.start, f.end, f.severity) == ("culture", "rockstar", 2, 10, "low")
    assert f.suggestion == "expert" and f.suggestions[:2] == ("expert", "skilled")
    assert f.source == "joblint" and f.rule == "culture/rockstar"
    assert f.to_dict()["suggestions"] == list(f.suggestions)


# -- options ------------------------------------------------------------------------------------


def test_categories_switch_off():
    s = scan("A young rockstar leader.", categories=["age"])
    assert [f.category for f in s.findings] == ["age"]
    assert s.label is None and list(s.counts) == ["age"]
    with pytest.raises(InvalidParameterError, match="categories= names"):
        scan("x", categories=["agee"])


def test_context_can_be_switched_off():
    s = scan("Leadership:\n- Build\n", context=False)
    assert s.masculine == ("Leadership",)


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 5, 3.2, b"bytes", ["a list"], pd.Series(["x"])])
def test_non_string_input_raises_clear_error(bad):
    with pytest.raises(InputTypeError) as info:
        scan(bad)
    assert isinstance(info.value, FairhireError)
    assert "takes the text of one job ad as a str" in str(info.value)


def test_list_input_suggests_batch_function():
    with pytest.raises(InputTypeError, match="scan_job_descriptions"):
        scan(["a", "b"])


def test_unknown_lexicon_and_bad_context():
    with pytest.raises(InvalidParameterError, match="neither a built-in lexicon"):
        scan("x", lexicon="nope")
    with pytest.raises(InvalidParameterError, match="context="):
        scan("x", context="yes")
    with pytest.raises(InputTypeError, match="lexicon="):
        scan("x", lexicon=42)


def test_empty_and_whitespace_text():
    for text in ("", "   \n\t "):
        s = scan(text)
        assert s.findings == () and s.word_count == 0 and s.label == "neutral"
        assert s.checks.salary_range is False
