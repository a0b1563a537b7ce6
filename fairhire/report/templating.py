"""The Jinja environment the report renders in: sandboxed, autoescaping, compiled once.

Every render makes a fresh environment (its globals hold that render's formatter and figure
counter), but compiling the templates is the same work each time: a bounded, in-memory
bytecode cache keeps the compiled code between renders and reports (a web app renders one
report per request). Jinja keys the cache on the template's name and checks its source, so an
edited template or a user's ``template_dir`` copy is compiled afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .._core.text import threshold_line, threshold_rule
from .safe import md_escape, md_finalize, md_quote
from .suppress import Withheld

__all__ = ["TEMPLATES_DIR", "new_environment", "slug", "words"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


def slug(text: str) -> str:
    """An HTML id from text.

    >>> slug("Time to exit (all causes)")
    'time-to-exit-all-causes'
    """
    out = "".join(ch if ch.isalnum() else "-" for ch in str(text).lower())
    return "-".join(part for part in out.split("-") if part) or "section"


class _MemoryCache(BytecodeCache):
    """Compiled templates in memory, at most ``size`` of them (least recently used go first)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._store: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._store.get(bucket.key)
            if code is not None:
                self._store.move_to_end(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._store[bucket.key] = code
            self._store.move_to_end(bucket.key)
            while len(self._store) > self.size:
                self._store.popitem(last=False)


#: One cache per output format: the Markdown environment compiles a different finalize step.
_CACHES = {"html": _MemoryCache(), "markdown": _MemoryCache()}


def new_environment(fmt: str, template_dir: Path | None = None) -> SandboxedEnvironment:
    """A sandboxed, autoescaping environment for ``fmt`` ("html" or "markdown"), with the
    filters that do not depend on a render (``mdquote``, ``mdescape``, ``slug``)."""
    loaders = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(str(template_dir)))
    loaders.append(FileSystemLoader(str(TEMPLATES_DIR)))
    options: dict[str, Any] = {
        "loader": ChoiceLoader(loaders),
        "autoescape": True,
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "bytecode_cache": _CACHES[fmt],
    }
    if fmt == "markdown":
        options["finalize"] = md_finalize
    env = SandboxedEnvironment(**options)
    env.filters["mdquote"] = md_quote
    env.filters["mdescape"] = lambda v: Markup(md_escape(v))
    env.filters["mdinline"] = lambda v: Markup(md_escape(v, formula=False))
    env.filters["slug"] = slug
    env.filters["threshold_line"] = threshold_line
    env.filters["threshold_rule"] = threshold_rule
    env.filters["words"] = words
    # a figure withheld under min_cell (a yes/no verdict too: test it before its truth)
    env.tests["withheld"] = lambda value: isinstance(value, Withheld)
    return env


def words(value: object) -> str:
    """A column name as words, for sentences and headers: ``age_band`` → "age band".

    >>> words("months_in_level"), words(["sex", "race"])
    ('months in level', 'sex × race')
    """
    if isinstance(value, list | tuple):
        return " × ".join(words(v) for v in value)
    return str(value).replace("_", " ")


def group_words(columns: object) -> str:
    """The groups of a grouping column, in words: "sex group", or "group" alone when the
    column is already called that.

    >>> group_words("sex"), group_words(["sex", "race"]), group_words("group")
    ('sex group', 'sex × race group', 'group')
    """
    text = words(columns)
    return text if text.lower().split(" ")[-1] in ("group", "groups") else f"{text} group"

