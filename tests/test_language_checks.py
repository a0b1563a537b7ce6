"""Structural checks: pay, EEO and accommodation statements, requirements, experience, degree."""

from __future__ import annotations

import pytest

import fairhire as fh
from fairhire.language.checks import structural_checks


def checks(text: str):
    return fh.scan_job_description(text).checks


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period"),
    [
        ("Salary: $80,000 - $100,000 per year.", 80000, 100000, "USD", "year"),
        ("Pay: $80k–$100k.", 80000, 100000, "USD", None),
        ("Pay $80-100k a year", 80000, 100000, "USD", "year"),
        ("Compensation: USD 120,000-150,000 annually", 120000, 150000, "USD", "year"),
        ("£30,000 to £35,000 per annum", 30000, 35000, "GBP", "year"),
        ("Gehalt 45.000 € - 55.000 € brutto", 45000, 55000, "EUR", None),
        ("80.000–95.000 EUR", 80000, 95000, "EUR", None),
        ("$25.50 - $30 an hour", 25.5, 30, "USD", "hour"),
        ("$18/hr to $22/hr", 18, 22, "USD", "hour"),
        ("Hourly rate: 20 - 25 CAD", 20, 25, "CAD", "hour"),
        ("Salary range 60,000 to 70,000 depending on experience", 60000, 70000, None, None),
        ("Between $50,000 and $60,000 base.", 50000, 60000, "USD", None),
        ("CA$90,000–CA$110,000", 90000, 110000, "CAD", None),
    ],
)
def test_salary_ranges(text, low, high, currency, period):
    c = checks(text)
    assert c.salary_range and c.salary_stated
    assert (c.salary_min, c.salary_max) == (pytest.approx(low), pytest.approx(high))
    assert c.salary_currency == currency
    assert c.salary_period == period


@pytest.mark.parametrize(
    "text",
    [
        "Competitive salary and benefits.",
        "3-5 years of experience required.",
        "A 401(k) plan and a 401k match.",
        "Founded in 2010, we have 250 employees across 12 offices.",
        "Pay review in April 2025.",
        "Call 555-1234.",
        "",
    ],
)
def test_no_salary(text):
    c = checks(text)
    assert not c.salary_range and not c.salary_stated


def test_single_salary_figure():
    c = checks("OTE $90k plus benefits.")
    assert c.salary_stated and not c.salary_range
    assert c.salary_min == c.salary_max == 90000


def test_eeo_and_accommodation_statements():
    text = (
        "We are an equal opportunity employer and do not discriminate on the basis of race. "
        "If you need a reasonable accommodation, tell us."
    )
    c = checks(text)
    assert c.eeo_statement and c.accommodation_statement
    c = checks("Accommodation is provided for shift workers.")  # housing, not disability
    assert not c.accommodation_statement and not c.eeo_statement
    assert checks("We make reasonable adjustments to the interview process.").accommodation_statement
    assert checks("EEO/AA employer.").eeo_statement is False
    assert checks("EEO employer.").eeo_statement is True


def test_requirement_counts():
    text = (
        "Analyst\n\nAbout the role\nYou will build reports.\n\n"
        "Requirements:\n- SQL\n- Python\n* Excel\n• Tableau\n1. Statistics\n\n"
        "Nice to have:\n- dbt\n- Airflow\n\n"
        "Benefits:\n- Pension\n- Leave\n"
    )
    c = checks(text)
    assert (c.n_requirements, c.n_preferred) == (5, 2)


def test_requirement_lines_without_bullets():
    text = "Role\n\nWhat you'll need\nSQL skills\nPython skills\nA sense of humour\n\nApply now.\n"
    assert checks(text).n_requirements == 3


def test_no_requirement_section():
    assert checks("Role\n\nWe build things. Join us.\n").n_requirements is None


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("5+ years of experience in Go.", 5),
        ("3-5 years' experience; at least 7 years in finance.", 7),
        ("Ten years of experience leading teams.", 10),
        ("A minimum of 8 yrs in sales.", 8),
        ("Founded 20 years ago, we are 30 years old.", None),
        ("Two (2) years of relevant experience.", 2),
    ],
)
def test_max_years_of_experience(text, years):
    assert checks(text).max_years_experience == years


@pytest.mark.parametrize(
    ("text", "required", "level", "alternative"),
    [
        ("Bachelor's degree in Computer Science required.", True, "bachelor", False),
        ("BS/BA in Economics or equivalent experience.", True, "bachelor", True),
        ("Master's degree preferred.", False, None, False),
        ("PhD in Statistics.", True, "doctorate", False),
        ("No degree required.", False, None, False),
        ("A high degree of autonomy and 360-degree feedback.", False, None, False),
        ("MS Office skills. Scrum Master certification.", False, None, False),
        ("University degree or equivalent practical experience.", True, "degree", True),
    ],
)
def test_degree(text, required, level, alternative):
    c = checks(text)
    assert (c.degree_required, c.degree_level, c.degree_alternative) == (
        required, level, alternative
    )


def test_issues_and_to_dict():
    c = checks("A role with no details.")
    issues = c.issues()
    assert any("pay" in i for i in issues) and any("equal-opportunity" in i for i in issues)
    assert set(c.to_dict()) >= {"salary_range", "eeo_statement", "n_requirements"}


def test_checks_without_token_information_agree():
    ads = fh.datasets.load_job_ads()
    for text in ads.text:
        fast = fh.scan_job_description(text).checks
        slow = structural_checks(text, text.lower())
        assert fast == slow


def test_bundled_ads_checks():
    ads = fh.datasets.load_job_ads().set_index("ad_id")
    it = checks(ads.loc["01_it_support_engineer", "text"])
    assert it.salary_range and it.eeo_statement and it.accommodation_statement
    assert (it.salary_min, it.salary_max, it.salary_period) == (62000, 74000, "year")
    eng = checks(ads.loc["02_backend_engineer", "text"])
    assert not eng.salary_stated and not eng.eeo_statement
    assert eng.n_requirements == 12 and eng.max_years_experience == 10
    assert (eng.degree_required, eng.degree_level, eng.degree_alternative) == (
        True, "bachelor", False
    )
    wh = checks(ads.loc["04_warehouse_associate", "text"])
    assert (wh.salary_min, wh.salary_max, wh.salary_period) == (18.5, 22.0, "hour")
