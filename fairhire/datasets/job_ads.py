"""Job advertisements for the coded-language scanner.

- :func:`load_job_ads` — six realistic ads written for fairhire (not real employers): a clean IT
  support ad full of words that naive prefix matching gets wrong (Connecticut, Active Directory,
  committee, competent, Tech Lead ...), a masculine-coded engineering ad, an age-coded marketing
  ad, a warehouse ad with physical requirements and an accommodation statement, a sales ad with
  gendered titles and national-origin wording, and a feminine-coded UK nursing ad.
- :func:`make_job_ads` — synthetic ads of a chosen length for benchmarks and tests.
- :func:`load_word_senses` — sentences labelled as coded or innocent uses of a gender-coded
  word, for measuring the scanner's precision: 302 development sentences, 164 from public pages
  (the round-2 set), 208 more (round 3), 300 (round 4) and the round-5 held-out set of 324 (see
  ``data/word_senses/README.md``).
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from .._core.params import check_choice
from ..errors import InvalidParameterError, show_value

__all__ = ["load_job_ads", "load_word_senses", "make_job_ads"]


def load_job_ads() -> pd.DataFrame:
    """The bundled job ads.

    Returns
    -------
    pandas.DataFrame
        Columns ``ad_id`` (file name without extension), ``title`` (the first line) and
        ``text``; six rows, in file-name order.

    Examples
    --------
    >>> import fairhire as fh
    >>> ads = fh.datasets.load_job_ads()
    >>> list(ads.columns), len(ads)
    (['ad_id', 'title', 'text'], 6)
    >>> ads.title.iloc[0]
    'IT Support Engineer'
    """
    folder = resources.files("fairhire.datasets").joinpath("data", "job_ads")
    rows = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".txt"):
            continue
        text = item.read_text(encoding="utf-8")
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        rows.append((item.name[: -len(".txt")], title, text))
    return pd.DataFrame(rows, columns=["ad_id", "title", "text"])


def load_word_senses(held_out: bool | str = False) -> pd.DataFrame:
    """Sentences labelled as coded or innocent uses of a gender-coded word.

    Parameters
    ----------
    held_out : bool or {"development", "round2", "round3", "round4", "round5"}, default False
        Which set. False or "development": the development set (302 sentences written for
        fairhire; the word-sense rules were written with it in view). True or "round2": the
        round-2 held-out set (164 sentences adapted from public job ads, job descriptions and
        tender pages, with their source addresses); it measured the second round of rules and
        was then used to write the third, so it is now a second development set. "round3": the
        round-3 held-out set (208 sentences, collected and labelled before the third round of
        rules and not used to write them). "round4": the round-4 held-out set (300 sentences
        from 156 public pages, collected and labelled before the fourth round of rules and not
        used to write them). "round5": the round-5 held-out set (324 sentences from 161 public
        pages that gave no sentence to an earlier set, collected, labelled and committed before
        the fifth round of rules and not used to write them), which measures precision on
        unseen wording.

    Returns
    -------
    pandas.DataFrame
        Columns ``word``, ``stem``, ``label`` ("coded" or "innocent"), ``sentence`` and
        ``source``; as many rows of each label. A scan flags the word when a scored
        gender-coded finding's text starts with ``stem``.

    Examples
    --------
    >>> from fairhire.datasets.job_ads import load_word_senses
    >>> senses = load_word_senses()
    >>> senses.label.value_counts().to_dict()
    {'coded': 151, 'innocent': 151}
    >>> senses.query("word == 'tender' and label == 'innocent'").sentence.iloc[0]
    'You will prepare responses to invitations to tender from public bodies.'
    >>> load_word_senses(held_out=True).label.value_counts().sort_index().to_dict()
    {'coded': 82, 'innocent': 82}
    >>> load_word_senses(held_out="round3").label.value_counts().sort_index().to_dict()
    {'coded': 104, 'innocent': 104}
    >>> load_word_senses(held_out="round4").label.value_counts().sort_index().to_dict()
    {'coded': 150, 'innocent': 150}
    >>> load_word_senses(held_out="round5").label.value_counts().sort_index().to_dict()
    {'coded': 162, 'innocent': 162}
    """
    if isinstance(held_out, str):
        which = check_choice(held_out, "held_out", _WORD_SENSE_FILES)
    elif isinstance(held_out, bool | np.bool_):
        which = "round2" if held_out else "development"
    else:  # check_bool's message would leave out the names of the sets
        names = ", ".join(repr(n) for n in _WORD_SENSE_FILES)
        raise InvalidParameterError(
            f"held_out={show_value(held_out)} must be True, False or one of {names}."
        )
    path = resources.files("fairhire.datasets").joinpath(
        "data", "word_senses", _WORD_SENSE_FILES[which]
    )
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


#: the labelled word-sense sets by name (``load_word_senses(held_out=...)``)
_WORD_SENSE_FILES = {
    "development": "word_senses.csv",
    "round2": "held_out.csv",
    "round3": "held_out_2.csv",
    "round4": "held_out_3.csv",
    "round5": "held_out_4.csv",
}


_TITLES = [
    "Senior Data Analyst", "Warehouse Associate", "Tech Lead", "Registered Nurse",
    "Sales Representative", "Customer Support Engineer", "Marketing Coordinator",
    "Backend Developer", "Finance Manager", "Operations Supervisor", "Product Designer",
    "HR Business Partner", "Teaching Assistant", "Site Engineer", "Account Executive",
]
_FILLER = (
    "the a an and or to of in for with on our your you we will team work role company "
    "customers clients projects products services people data systems process quality "
    "across build deliver manage improve develop support plan review report help ensure "
    "new existing internal external daily weekly monthly key core strong clear good great "
    "experience skills knowledge tools platform business stakeholders colleagues partners "
    "results goals targets standards policies procedures documentation training growth "
    "opportunity career office remote hybrid schedule hours benefits pay salary leave "
    "health insurance pension learning budget equipment travel flexible culture values "
    "communicate write present analyse design test deploy maintain monitor coordinate "
    "organise prioritise schedule track budget forecast sell negotiate care teach assist "
    "patients students orders stock vehicles sites shifts reports dashboards campaigns "
    "content events accounts invoices contracts suppliers budgets risks issues tickets "
    "requests features releases users teams departments managers leaders specialists "
    "is are be have has can should must may this that these those each every all some "
    "more most well also including such as from by at as it its their they them who which"
).split()
_CODED = {
    "masculine": ["leadership", "competitive", "ambitious", "confident", "analytical",
                  "decisive", "independent", "challenging", "determined", "driven", "lead",
                  "dominate", "aggressive", "self-reliant", "objective"],
    "feminine": ["supportive", "collaborative", "committed", "understanding", "responsible",
                 "together", "trust", "warm", "compassionate", "connected", "kind", "loyal",
                 "interpersonal", "honest", "cooperative"],
    "age": ["young", "energetic", "digital native", "recent graduate", "high energy"],
    "ability": ["lift 50 lbs", "stand for long periods", "valid driver's license",
                "sanity check"],
    "national_origin": ["native English speaker", "culture fit", "clean-shaven"],
    "gendered_language": ["chairman", "salesman", "he", "his", "guys", "manpower"],
    "culture": ["rockstar", "ninja", "guru", "work hard, play hard", "hit the ground running",
                "beer on tap", "ping pong"],
    "false_positive": ["Tech Lead", "Active Directory", "committee", "competent",
                       "Connecticut", "data-driven", "Support Engineer", "Data Analyst",
                       "git commit", "competitive salary"],
}


def make_job_ads(
    n: int = 100, *, words: int = 500, random_state: int | None = 0
) -> pd.DataFrame:
    """Synthetic job ads with headers, bullet lists, pay, EEO text and coded words.

    Each ad has a title, an intro paragraph, "Responsibilities:" and "Requirements:" bullet
    lists, benefits, often a pay range and an EEO statement, and coded words from every
    category (and the classic false positives) sprinkled at realistic rates.

    Parameters
    ----------
    n : int
        Number of ads.
    words : int
        Approximate words per ad.
    random_state : int, optional
        Seed.

    Returns
    -------
    pandas.DataFrame
        Columns ``ad_id``, ``title``, ``text``.

    Examples
    --------
    >>> from fairhire.datasets.job_ads import make_job_ads
    >>> ads = make_job_ads(3, words=200, random_state=1)
    >>> len(ads), 150 < len(ads.text.iloc[0].split()) < 300
    (3, True)
    """
    rng = np.random.default_rng(random_state)
    filler = np.array(_FILLER)
    categories = list(_CODED)
    rows = []
    for k in range(n):
        title = _TITLES[int(rng.integers(len(_TITLES)))]
        budget = words

        def sentence(length: int) -> str:
            toks = list(filler[rng.integers(0, len(filler), size=length)])
            for _ in range(int(rng.poisson(0.5))):
                cat = categories[int(rng.integers(len(categories)))]
                pool = _CODED[cat]
                toks[int(rng.integers(len(toks)))] = pool[int(rng.integers(len(pool)))]
            text = " ".join(toks)
            return text[:1].upper() + text[1:]

        parts = [title, ""]
        intro = []
        for _ in range(3):
            length = int(rng.integers(12, 22))
            intro.append(sentence(length) + ".")
            budget -= length
        parts.append(" ".join(intro))
        sections = [("Responsibilities:", 0.45), ("Requirements:", 0.35), ("Benefits:", 0.2)]
        body_budget = budget - 60
        for header, share in sections:
            parts.append("")
            parts.append(header)
            used = 0
            while used < body_budget * share:
                length = int(rng.integers(6, 16))
                parts.append("- " + sentence(length) + ".")
                used += length + 1
        if rng.random() < 0.7:
            low = int(rng.integers(40, 120)) * 1000
            parts.append("")
            parts.append(f"Salary: ${low:,} - ${low + 20000:,} per year.")
        if rng.random() < 0.3:
            parts.append(f"- {int(rng.integers(2, 12))}+ years of experience required.")
        if rng.random() < 0.6:
            parts.append("")
            parts.append(
                "We are an equal opportunity employer. All qualified individuals will receive "
                "consideration without regard to race, sex, age, disability or veteran status. "
                "Reasonable accommodations are available on request."
            )
        rows.append((f"synthetic-{k:05d}", title, "\n".join(parts) + "\n"))
    return pd.DataFrame(rows, columns=["ad_id", "title", "text"])
