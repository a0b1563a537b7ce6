"""The batch table is identical before and after the scanner's speed work (issue 18).

``tests/data/language_batch_table.json.gz`` holds, for a fixed corpus, a digest of every row of
``scan_job_descriptions`` and of every column, computed with the scanner as it was before the
per-ad overhead was removed (the code of commit f0517af) and today's lexicons (the second to
fifth rounds of word-sense rules change findings on purpose; the old code was run with the new
``default.toml``, less the fifth round's ``not_preceded_by``, a field it does not know and which
changes no finding of this corpus). The corpus: the bundled
ads (as written and upper-cased), the 10,000 generated ads of the matcher-equivalence test
(``make_job_ads(10_000, words=120, random_state=18)``, one in ten also with Unicode punctuation,
accents and odd spacing mixed in, scanned with every lexicon), and 2,000 ads assembled from
varied layouts (Markdown and bold headers, inline labels, numbered and lettered lists, plain
lines, several pay, degree, experience, EEO and accommodation wordings), scanned with and
without context rules.

Regenerate the fixture only on purpose, when the scanner's output is meant to change (a lexicon
edit): ``python tests/test_language_table_equivalence.py --write``, with the scanner whose output
is the reference.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from perturb import perturb

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads

FIXTURE = Path(__file__).parent / "data" / "language_batch_table.json.gz"

CUSTOM = {
    "name": "tricky",
    "extends": "default",
    "categories": {"extra": {"title": "Extra"}},
    "terms": [
        {"term": "Must\\s+Relocate", "category": "extra", "match": "pattern", "id": "x/relocate"},
        {"term": "[A-Za-z]{2,8}ish\\s+vibes?", "category": "extra", "match": "pattern",
         "id": "x/vibes"},
        {"term": "(?:very\\s+)?strong\\s+opinions?", "category": "extra", "match": "pattern",
         "anchors": ["very", "strong"], "id": "x/opinions"},
        {"term": "naïve", "category": "extra"},
        {"term": "self-starter*", "category": "extra"},
        {"term": "on call", "category": "extra", "match": "phrase"},
    ],
    "exceptions": [
        {"term": "self-starters club", "match": "phrase", "reason": "a name"},
        {"words": ["naïve"], "followed_by": ["bayes*"], "reason": "a classifier"},
    ],
}

# -- ads with varied layouts -----------------------------------------------------------------

_HEADERS = [
    "Requirements:", "## Requirements", "**What you'll need**", "What you’ll bring:",
    "Qualifications", "Nice to have:", "### Preferred qualifications", "**Bonus points:**",
    "Responsibilities:", "About you", "Skills & experience:", "What we offer", "Benefits:",
    "__Must-have skills__", "Who you are:", "The role", "Ideally you have:", "Key criteria",
    "Essential competencies:", "Good to have", "# Lead Engineer", "Leadership:",
]
_BULLETS = ["- ", "* ", "• ", "1. ", "2) ", "a) ", "iv. ", "iii. ", "– ", "> ", "+ ", "✓ ", "",
            "   - ", "10. ", "**", "b. "]
_LINES = [
    "Lead a competitive, ambitious team of analysts", "Collaborative and supportive colleagues",
    "5+ years of experience with Python", "Bachelor's degree in computer science or equivalent "
    "experience", "Master’s degree required", "PhD preferred", "At least three years working in "
    "sales", "A solid understanding of SQL", "Tech Lead experience is a plus", "Salary: $80k-$95k",
    "Responsibilities: lead the team and mentor juniors", "Job title: Senior Leader",
    "Must be able to lift 50 lbs", "Native English speaker", "Young and energetic team",
    "Hit the ground running", "We offer a competitive salary of £30,000 - £35,000 per annum",
    "Position: Warehouse Lead", "Confident, decisive and independent",
    "Compassionate care for patients", "No degree required", "Degree preferred",
    "2-4 yrs experience in a similar role", "Pay: 25 - 30 USD per hour",
    "We are an equal opportunity employer and value diversity.",
    "All qualified applicants will receive consideration without regard to race or sex.",
    "Reasonable adjustments to the interview process are available.",
    "If you need an accommodation during the application process, tell us.",
    "EEO employer; E-Verify participant", "Committed to understanding our customers",
    "Travel: up to 20%", "Ten years of experience in finance", "401(k) with match",
    "Wage: €15.50/h", "Equality Act 2010 applies", "an MBA or ms in statistics",
    "b.s. in engineering or related experience", "Graduated in the class of 2020",
]
_PARAGRAPHS = [
    "We are a growing company that builds tools for hospitals. Our people are kind and warm.",
    "You will lead projects, support colleagues and trust your judgement.",
    "We are an equal opportunity employer. We do not discriminate on the basis of race, sex, "
    "gender identity or expression, national origin, age or protected veteran status. "
    "Reasonable accommodation is available on request.",
    "Compensation: USD 120,000 to 140,000 annually plus bonus. Benefits in kind.",
    "This is a demanding, fast-paced role for a driven, self-reliant person.",
]


def layout_ads(n: int, seed: int = 18) -> list[str]:
    """Ads assembled from random titles, headers, lists, paragraphs and blank lines."""
    rnd = random.Random(seed)
    ads = []
    for _ in range(n):
        lines = []
        if rnd.random() < 0.8:
            lines.append(rnd.choice(["Tech Lead", "Senior Nurse", "  Sales Manager  ",
                                     "Job title: Data Analyst", "Lead Developer",
                                     "We are hiring a leader."]))
        for _ in range(rnd.randint(1, 6)):
            r = rnd.random()
            if r < 0.7:
                lines.append("" if rnd.random() < 0.7 else "  ")
            if rnd.random() < 0.6:
                lines.append(rnd.choice(_HEADERS))
            if rnd.random() < 0.1:
                lines.append("")
            bullet = rnd.choice(_BULLETS)
            for _ in range(rnd.randint(0, 6)):
                line = rnd.choice(_LINES)
                lines.append((bullet if rnd.random() < 0.8 else "") + line
                             + rnd.choice(["", ".", ";", ":"]))
            if rnd.random() < 0.4:
                lines.append(rnd.choice(_PARAGRAPHS))
        text = "\n".join(lines) + rnd.choice(["", "\n", "\n\n"])
        if rnd.random() < 0.2:
            text = text.replace("\n", "\r\n")
        if rnd.random() < 0.2:
            text = perturb(text, rnd)
        ads.append(text)
    return ads


# -- the corpus, its tables and their digests ------------------------------------------------


def tables() -> dict[str, pd.DataFrame]:
    """The batch tables of the corpus (see the module docstring)."""
    bundled = fh.datasets.load_job_ads().text.tolist()
    bundled += [t.upper() for t in bundled]
    ads = make_job_ads(10_000, words=120, random_state=18).text.tolist()
    rnd = random.Random(18)
    mixed = [perturb(t, rnd) for t in ads[::10]]
    varied = layout_ads(2000)
    out = {}
    for lexicon in ("default", "gender-decoder", CUSTOM):
        name = lexicon if isinstance(lexicon, str) else "tricky"
        out[f"bundled/{name}"] = fh.scan_job_descriptions(bundled, lexicon=lexicon)
        out[f"mixed/{name}"] = fh.scan_job_descriptions(mixed, lexicon=lexicon)
    out["generated/default"] = fh.scan_job_descriptions(ads)
    out["varied/default"] = fh.scan_job_descriptions(varied)
    out["varied/no-context"] = fh.scan_job_descriptions(varied, context=False)
    out["varied/gender-decoder"] = fh.scan_job_descriptions(varied, lexicon="gender-decoder")
    return out


def _plain(value: Any) -> Any:
    """A cell as a plain Python value (numpy scalars unwrapped, NaN and None as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _digest(values: Any) -> str:
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def digests(table: pd.DataFrame) -> dict[str, Any]:
    """Columns, dtypes, index, and a digest per row and per column."""
    cols = list(table.columns)
    rows = [_digest(tuple(_plain(v) for v in row))
            for row in table.itertuples(index=False, name=None)]
    columns = {c: _digest([_plain(v) for v in table[c].tolist()]) for c in cols}
    return {"columns": cols, "dtypes": [str(d) for d in table.dtypes],
            "index": _digest(table.index.tolist()), "rows": rows, "by_column": columns,
            "attrs": _digest(sorted(table.attrs.items()))}


def test_batch_tables_are_unchanged():
    expected = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    made = tables()
    for name, t in made.items():  # the html column came later: no ad here is HTML
        assert set(t["html"].dropna()) <= {False}, name
        assert t["html"].isna().tolist() == t["error"].notna().tolist(), name
    got = {name: digests(t.drop(columns="html")) for name, t in made.items()}
    assert sorted(got) == sorted(expected)
    for name, want in expected.items():
        have = got[name]
        assert have["columns"] == want["columns"], name
        assert have["dtypes"] == want["dtypes"], name
        assert have["index"] == want["index"], name
        assert have["attrs"] == want["attrs"], name
        bad_columns = [c for c in want["columns"] if have["by_column"][c] != want["by_column"][c]]
        bad_rows = [i for i, (a, b) in enumerate(zip(have["rows"], want["rows"], strict=True))
                    if a != b]
        assert not bad_columns and not bad_rows, (
            f"{name}: {len(bad_rows)} rows differ (first: {bad_rows[:10]}), columns "
            f"{bad_columns}")


if __name__ == "__main__":  # pragma: no cover - regenerates the fixture on purpose
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python tests/test_language_table_equivalence.py --write")
    FIXTURE.parent.mkdir(exist_ok=True)
    data = {name: digests(t.drop(columns="html")) for name, t in tables().items()}
    FIXTURE.write_bytes(gzip.compress(json.dumps(data, sort_keys=True).encode(), mtime=0))
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes)")
