"""MkDocs hook: formulas become MathML at build time, so the site renders them offline.

``pymdownx.arithmatex`` (generic mode) wraps each formula as ``<span class="arithmatex">\\(...\\)``
or ``<div class="arithmatex">\\[...\\]``; this hook converts the LaTeX inside to MathML with
``latex2mathml``, which every current browser draws natively: no script, no CDN, no network.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
# $$...$$ that arithmatex leaves alone (inside list items)
_DOLLARS = re.compile(r"\$\$(.+?)\$\$", re.S)


def _mathml(latex: str, display: str) -> str:
    return convert(html.unescape(latex).strip(), display=display)


def on_page_content(content: str, **kwargs: object) -> str:
    content = _BLOCK.sub(lambda m: f'<div class="math">{_mathml(m.group(1), "block")}</div>',
                         content)
    content = _DOLLARS.sub(lambda m: f'<div class="math">{_mathml(m.group(1), "block")}</div>',
                           content)
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline"), content)
