"""The documentation's pages as the docs tests read them: fenced blocks, the output they show,
the commands and attributes their text names. Used by ``test_docs_examples.py`` and
``test_docs_commands.py``.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from docs_fixtures import DOCS

PAGES = sorted(
    str(p.relative_to(DOCS))
    for folder in (DOCS, DOCS / "guide", DOCS / "reference")
    for p in folder.glob("*.md")
)


@dataclass(frozen=True)
class Block:
    lang: str
    code: str
    line: int  # where the code starts in the page (1-based)
    heading_before: bool  # a heading between the previous fenced block and this one


def fenced_blocks(text: str) -> list[Block]:
    """The page's fenced blocks in order (``` fences; info string's first word is the lang)."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i, heading = 0, False
    while i < len(lines):
        match = re.match(r"^(`{3,})\s*([\w+-]*)", lines[i])
        if not match:
            heading = heading or lines[i].startswith("#")
            i += 1
            continue
        fence, start = match.group(1), i + 1
        i = start
        while i < len(lines) and not lines[i].startswith(fence):
            i += 1
        code = "\n".join(lines[start:i]) + "\n"
        blocks.append(Block(match.group(2).lower(), code, start + 1, heading))
        i, heading = i + 1, False
    return blocks


def page_text(page: str) -> str:
    return (DOCS / page).read_text(encoding="utf-8")


def is_spark(code: str) -> bool:
    return re.search(r"\bspark\b|pyspark|scan_spark", code) is not None


def python_pages(spark: bool) -> list[str]:
    return [
        page
        for page in PAGES
        if any(
            b.lang == "python" and is_spark(b.code) == spark for b in fenced_blocks(page_text(page))
        )
    ]


def normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split())


# --- output a page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fields:
    """A value comment showing an object: ``Finding(category='culture', ..., start=0, ...)``."""

    name: str
    fields: dict[str, Any]


def _comment_value(comment: str) -> Any:
    """The value a comment shows, or raise ValueError/SyntaxError when it shows none."""
    comment = comment.split(" — ")[0].strip()  # a note may follow: "# 'Rockstar' — exact"
    shown = re.fullmatch(r"([A-Z]\w*)\((.*)\)", comment, flags=re.S)
    if not shown:
        return ast.literal_eval(comment)
    rest = iter(range(1000))  # each "..." becomes a keyword, to parse; they are dropped
    args = re.sub(
        r"(?<=[(,])\s*\.\.\.\s*(?=[,)])", lambda _: f" _rest{next(rest)}=0", f"({shown.group(2)})"
    )
    call = ast.parse(f"f{args}", mode="eval").body
    if not isinstance(call, ast.Call) or call.args:
        raise ValueError(comment)
    fields = {
        k.arg: ast.literal_eval(k.value) for k in call.keywords if not k.arg.startswith("_rest")
    }
    return Fields(shown.group(1), fields)


def value_comments(code: str) -> list[tuple[int, str, Any]]:
    """``expression   # value`` lines (a comment may go on, aligned, on the next lines):
    (line offset, expression, the value), where the value is a Python literal or an object's
    fields."""
    lines = code.splitlines()
    found = []
    for offset, line in enumerate(lines):
        expr, hash_, comment = line.partition("  #")
        if not hash_ or not expr.strip() or expr.lstrip().startswith("#"):
            continue
        column = len(expr) + 2
        for more in lines[offset + 1 :]:
            if more[:column].strip() or more[column : column + 1] != "#":
                break
            comment += " " + more[column + 1 :].strip()
        try:
            ast.parse(expr.strip(), mode="eval")
            value = _comment_value(comment)
        except (SyntaxError, ValueError):
            continue
        found.append((offset, expr.strip(), value))
    return found


def matches(got: Any, want: Any) -> bool:
    """``got == want``, where a trailing ``...`` in a tuple or list matches any rest, a set of
    names is a mapping's keys (``tt.logrank  # {"statistic", "df", "p_value"}``) and shown
    fields are the object's attributes."""
    if isinstance(want, Fields):
        return type(got).__name__ == want.name and all(
            getattr(got, k, object()) == v for k, v in want.fields.items()
        )
    if isinstance(want, set) and hasattr(got, "keys"):
        return set(got.keys()) == want
    if isinstance(want, (tuple, list)) and want and want[-1] is Ellipsis:
        head = list(want[:-1])
        return list(got[: len(head)]) == head
    return got == want


def quotes(text: str) -> list[str]:
    """The page's block quotes, one string each."""
    found = re.findall(r"(?:^>.*\n?)+", text, flags=re.M)
    return [normalise(re.sub(r"^> ?", "", q, flags=re.M)) for q in found]


def named_attributes(text: str) -> list[str]:
    """Inline code that names an attribute or method: `ll.unknown`, `pan.stratified.strata`."""
    prose = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.S | re.M)
    spans = re.findall(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?`", prose)
    files = re.compile(r"\.(?:j2|html|md|json|csv|toml|py|txt|parquet|xlsx)$")
    return sorted({span for span in spans if not files.search(span)})


# --- the commands the pages show ------------------------------------------------------------


def shown_commands(page: str) -> list[str]:
    """Every ``fairhire ...`` command of a page: in shell blocks and in inline code."""
    text = page_text(page)
    found = []
    for block in fenced_blocks(text):
        if block.lang in ("bash", "console", "sh", "shell"):
            for line in block.code.replace("\\\n", " ").splitlines():
                line = re.sub(r"\s+#.*$", "", line.strip().removeprefix("$ "))
                line = line.removeprefix(".venv/bin/")
                if line.startswith("fairhire "):
                    found.append(" ".join(line.split()))
    prose = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.S | re.M)
    found += [" ".join(c.split()) for c in re.findall(r"`(fairhire\s[^`]*)`", prose)]
    return found


def curl_commands(page: str) -> list[list[str]]:
    """The ``curl`` commands of a page's shell blocks, as argument lists."""
    found = []
    for block in fenced_blocks(page_text(page)):
        if block.lang in ("bash", "console", "sh", "shell") and "curl " in block.code:
            words = shlex.split(block.code.replace("\\\n", " "))
            starts = [i for i, w in enumerate(words) if w == "curl"] + [len(words)]
            found += [words[a + 1 : b] for a, b in pairwise(starts)]
    return found
