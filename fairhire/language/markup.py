"""Job ads written in HTML, read as the text a candidate sees.

Applicant tracking systems export an ad's description as HTML (``<p>``, ``<li>``,
``&nbsp;``). Scanned as it is, the markup is read as words: ``<p class="lead">`` is a
masculine-coded "lead", a script's ``var aggressive`` another, and an ``&nbsp;`` between two
words keeps a phrase from matching. :func:`html_text` turns such an ad into the text a browser
shows: tags, comments, scripts and styles left out; entities decoded; a line break for each
paragraph, heading, list item and ``<br>``, and a ``- `` bullet before each list item, so the
scanner finds headers and requirement lists as it does in a plain-text ad. The scan's offsets
then refer to that text (``scan.text``), as they do when the user converts the HTML first.

:func:`looks_like_html` decides when an ad is HTML: two or more block-level tags (``<p>``,
``</p>``, ``<li>``, ``<br>``, ``<div>``, ``<h2>`` ...). A plain-text or Markdown ad with one
``<br>``, or a "<5 years" in its text, is read as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import islice

from ..errors import InvalidParameterError

__all__ = ["HTML_NOTE", "check_html", "html_text", "looks_like_html", "read_ad"]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_NAMES = _HEADINGS | frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(_BLOCK_NAMES))})(?:\s[^<>]*)?/?>",
                        re.IGNORECASE)
_HIDDEN = frozenset({"script", "style", "head", "template", "noscript", "title"})
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML ad: two or more block-level tags.

    >>> looks_like_html("<p>We are hiring.</p><ul><li>Python</li></ul>")
    True
    >>> looks_like_html("Requirements: <5 years of experience; <br> once is not HTML")
    False
    """
    return "<" in text and len(list(islice(_BLOCK_TAG.finditer(text), 2))) == 2


_LINES = frozenset({"li", "dd", "dt", "td", "th", "tr"})  # a line each, no blank line between


class _Text(HTMLParser):
    """Collects the shown text: hidden elements skipped; a blank line between paragraphs, a
    line per list item or table cell, and a heading's section right under it (the scanner
    reads "Requirements" over a list as a header only without a blank line between)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.breaks = 0  # line breaks owed before the next text
        self.cap = 2  # at most this many (1 right after a heading)
        self.prefix = ""

    def _owe(self, n: int) -> None:
        self.breaks = max(self.breaks, n)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _LINES:
            self._owe(1)
            self.prefix = "- " if tag == "li" else ""
        elif tag in _BLOCK_NAMES:
            self._owe(2)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_NAMES:  # <br/>, <hr/>
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _HEADINGS:
            self._owe(1)
            self.cap = 1
        elif tag in _BLOCK_NAMES and tag not in _LINES:
            self._owe(2)

    def handle_data(self, data: str) -> None:
        data = _WHITESPACE.sub(" ", data)  # line breaks in the source are spaces, as shown
        if self.hidden or (self.breaks and data == " "):
            return
        if self.breaks and self.parts:
            self.parts.append("\n" * min(self.breaks, self.cap))
        if self.breaks or not self.parts or self.parts[-1].endswith("\n"):
            data = data.lstrip()
        self.parts.append(self.prefix + data if data else data)
        if data:
            self.breaks, self.cap, self.prefix = 0, 2, ""


def html_text(text: str) -> str:
    """The text an HTML ad shows: markup left out, entities decoded, blocks on their own lines.

    Runs of white space, line breaks in the source among them, become one space (as a browser
    shows them); no more than one blank line in a row.

    >>> print(html_text('<h2>About&nbsp;the role</h2><p class="lead">Join a <b>friendly</b>'
    ...                 ' team.</p><script>var aggressive = 1;</script><h3>Requirements</h3>'
    ...                 '<ul><li>Python &amp; SQL</li><li>3+ years</li></ul><p>Apply now.</p>'))
    About the role
    Join a friendly team.
    <BLANKLINE>
    Requirements
    - Python & SQL
    - 3+ years
    <BLANKLINE>
    Apply now.
    """
    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


#: The scan's warning when an ad was read as HTML.
HTML_NOTE = ("the ad was read as HTML: its tags, scripts and styles were left out and its "
             "entities decoded, so the findings and their places refer to the text it shows, "
             "not to its markup.")


def check_html(html: object) -> bool | None:
    """``html=`` checked: True, False or None (decide per ad)."""
    if html is not None and not isinstance(html, bool):
        raise InvalidParameterError(
            f"html= must be True (read the ad as HTML), False (as written) or None (decide "
            f"from its tags); got {html!r}."
        )
    return html


def read_ad(text: str, html: bool | None) -> tuple[str, bool]:
    """The text to scan and whether it was read as HTML (``html``: None decides from the
    tags, True and False force it).

    >>> read_ad("<p>Join us.</p><p>Apply.</p>", None)
    ('Join us.\\n\\nApply.', True)
    >>> read_ad("Join <b>us</b>.", None), read_ad("<p>x</p><p>y</p>", False)[1]
    (('Join <b>us</b>.', False), False)
    """
    if html or (html is None and looks_like_html(text)):
        return html_text(text), True
    return text, False
