"""Job-ad text with the mess real ads carry, for the language equivalence tests.

The corpus digest in ``tests/data/language_batch_table.json.gz`` was built with this function:
changing it changes the corpus, and the fixture must then be rebuilt with the old scanner.
"""

from __future__ import annotations

import random

_UNICODE = ["’", "–", "—", "\u00a0", "•", "é", "İ", "e\u0301", "«", "»", "…", "\u2011", "€", "_"]


def perturb(text: str, rnd: random.Random) -> str:
    """The ad with Unicode punctuation, accents, upper case and odd spacing mixed in."""
    out = []
    for ch in text:
        r = rnd.random()
        if ch == " " and r < 0.05:
            out.append(rnd.choice([" ", "  ", "\u00a0", "\t", " – ", "-", "\n"]))
        elif ch.isalpha() and r < 0.02:
            out.append(ch.upper())
        elif r < 0.004:
            out.append(rnd.choice(_UNICODE) + ch)
        else:
            out.append(ch)
    return "".join(out)
