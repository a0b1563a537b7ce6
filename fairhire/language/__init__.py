"""Job-description scanning: coded language, structural checks, lexicons as data.

The public entry points are :func:`fairhire.scan_job_description` and
:func:`fairhire.scan_job_descriptions` (module :mod:`fairhire.language.scanner`); lexicons are
loaded with :func:`load_lexicon`.
"""

from __future__ import annotations

from .lexicon import BUILTIN_LEXICONS, Lexicon, load_lexicon

__all__ = ["BUILTIN_LEXICONS", "Lexicon", "load_lexicon"]
