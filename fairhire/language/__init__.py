"""Job-description scanning: coded language, structural checks, lexicons as data.

The public entry points are :func:`fairhire.scan_job_description` and
:func:`fairhire.scan_job_descriptions`; lexicons are loaded with :func:`load_lexicon`.

A tour, in the order the data flows:

- ``markup``: an ad written in HTML read as the text it shows (before anything else);
- ``letters``: soft hyphens, zero-width characters and PDF ligatures read out of words, with
  the way back to the offsets of the text as written;
- ``lexicon`` / ``lexicon_files``: word lists (TOML) and their loading and checks;
- ``expression``: a lexicon written out as one regular expression (the matching semantics);
  ``patterns``: checks on user patterns and the literal starts of every term;
- ``matcher``: the compiled matcher (an Aho-Corasick automaton finds where terms can start);
  ``_reference``: the previous pure-Python matcher, kept as the test oracle;
- ``context``: job title, section headers and the EEO statement (``lines``: what one line
  is); ``checks`` and ``salary``: the structural checks;
- ``scan``: the per-ad analysis and :func:`~fairhire.language.scan.scan_job_description`;
  ``result``: :class:`~fairhire.language.result.JobDescriptionScan`; ``batch``: many ads into
  one table; ``spark``: ads in a PySpark DataFrame; ``render``: escaped highlighting.
"""

from __future__ import annotations

from .lexicon import BUILTIN_LEXICONS, Lexicon, load_lexicon

__all__ = ["BUILTIN_LEXICONS", "Lexicon", "load_lexicon"]
