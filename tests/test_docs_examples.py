"""Every code example of the documentation runs, and prints what the page says it prints.

Each page's ```python blocks run in order, in one namespace, in a temporary folder prepared by
the page's fixture (``tests/docs_fixtures.py``: the files and variables a reader is assumed to
have). What a page shows is checked against what the code produces:

- a ```text block right after a python block (no heading in between): its lines are printed
  (``...`` leaves out lines, or the end of a line);
- a quoted finding (``> ...``) on a page with examples: a result of the page says it;
- a value comment (``scan.label   # 'strongly masculine-coded'``) that is a Python literal or an
  object's fields (``Finding(category='culture', ...)``): the expression equals it;
- attributes the text names (`ll.label_mapping`) exist on the examples' results, and
  ``docs_fixtures.CLAIMS`` checks what a page's prose says its example finds.

Spark blocks (they use ``spark``) run in their own test, only where pyspark and Java work, in
the test process's one local session. The pages' commands are tested in
``test_docs_commands.py``; how pages are read is ``docs_pages.py``.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest_spark import SPARK_WARNINGS, spark_session, spark_unavailable
from docs_fixtures import CLAIMS, DOCS, FIXTURES, SPARK_FIXTURES
from docs_pages import (
    PAGES,
    Block,
    Fields,
    fenced_blocks,
    is_spark,
    matches,
    named_attributes,
    normalise,
    page_text,
    python_pages,
    quotes,
    value_comments,
)


def produced_text(stdout: str, namespace: dict[str, Any]) -> str:
    """What the page printed, and what its results say (summaries, headlines, alerts)."""
    parts = [stdout]
    for value in namespace.values():
        if not isinstance(value, type) and all(
            callable(getattr(value, m, None)) for m in ("summary", "headlines", "to_dict")
        ):  # a result
            parts.append(value.summary())
            parts.extend(h.text for h in value.headlines())
        alerts = getattr(value, "alerts", None)
        if isinstance(alerts, pd.DataFrame) and "message" in alerts:
            parts.extend(alerts["message"].astype(str))
    return normalise("\n".join(parts))


def missing_attributes(text: str, namespace: dict[str, Any]) -> list[str]:
    """The attributes a page names, on its examples' variables, that do not exist."""
    missing = []
    for span in named_attributes(text):
        name, *attributes = span.split(".")
        if name not in namespace or name.startswith("__"):
            continue  # not a variable of the page (a module path, a file name)
        value = namespace[name]
        for attribute in attributes:
            if not hasattr(value, attribute):
                missing.append(span)
                break
            value = getattr(value, attribute)
    return missing


# --- running a page ------------------------------------------------------------------------


def shown_output(page: str, block: Block) -> Block | None:
    """The ```text block right after a code block (no heading between), if any."""
    every = fenced_blocks(page_text(page))
    following = every.index(block) + 1
    if following < len(every) and every[following].lang in ("text", "output"):
        return None if every[following].heading_before else every[following]
    return None


def check_output(page: str, shown: Block, printed: str) -> None:
    """Every line shown is printed ("..." cuts a line or leaves lines out)."""
    for line in shown.code.splitlines():
        for part in filter(str.strip, line.split("...")):
            assert normalise(part) in normalise(printed), (
                f"{page}:{shown.line}: the page shows {line.strip()!r}; the code printed:\n{printed}"
            )


def run_blocks(page: str, blocks: list[Block], namespace: dict[str, Any]) -> str:
    """Run the blocks in order, checking the output and values each one shows; all printed."""
    printed = []
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile("\n" * (block.line - 1) + block.code, str(DOCS / page), "exec"), namespace)
        printed.append(out.getvalue())
        shown = shown_output(page, block)
        if shown is not None:
            check_output(page, shown, out.getvalue())
        for offset, expr, want in value_comments(block.code):
            got = eval(expr, namespace)
            assert matches(got, want), (
                f"{page}:{block.line + offset}: {expr} is {got!r}, the page says {want!r}"
            )
    return "".join(printed)


@pytest.mark.filterwarnings("error::FutureWarning")  # an example using an old argument name
@pytest.mark.parametrize("page", python_pages(spark=False))
def test_page_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    fixture = FIXTURES.get(page)
    if fixture:
        namespace.update(fixture(tmp_path))
    blocks = [b for b in fenced_blocks(page_text(page)) if b.lang == "python"]
    stdout = run_blocks(page, [b for b in blocks if not is_spark(b.code)], namespace)
    said = produced_text(stdout, namespace)
    for quote in quotes(page_text(page)):
        assert quote in said, f"{page}: the page quotes {quote!r}; no result of the page says it"
    missing = missing_attributes(page_text(page), namespace)
    assert not missing, f"{page} names attributes its results do not have: {missing}"
    if page in CLAIMS:
        CLAIMS[page](namespace)


@pytest.mark.filterwarnings(SPARK_WARNINGS)
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
@pytest.mark.skipif(spark_unavailable() is not None, reason=str(spark_unavailable()))
@pytest.mark.parametrize("page", python_pages(spark=True))
@pytest.mark.xdist_group("spark")  # in the worker that already runs Spark (see test_backends_spark)
def test_page_spark_examples_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spark = spark_session()
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    namespace.update(FIXTURES.get(page, lambda _: {})(tmp_path))
    if page in SPARK_FIXTURES:
        namespace.update(SPARK_FIXTURES[page](tmp_path, spark))
    blocks = [b for b in fenced_blocks(page_text(page)) if b.lang == "python" and is_spark(b.code)]
    with spark_working_directory(spark, tmp_path):
        run_blocks(page, blocks, namespace)


@contextlib.contextmanager
def spark_working_directory(spark: Any, directory: Path) -> Any:
    """Relative paths in Spark resolve against the JVM's folder, not Python's: set it."""
    jvm = spark.sparkContext._jvm
    local = jvm.org.apache.hadoop.fs.FileSystem.getLocal(
        spark.sparkContext._jsc.hadoopConfiguration()
    )
    before = local.getWorkingDirectory()
    local.setWorkingDirectory(jvm.org.apache.hadoop.fs.Path(str(directory)))
    try:
        yield
    finally:
        local.setWorkingDirectory(before)


def test_output_checks_find_what_they_check() -> None:
    """The checks above are not vacuous: the pages' quotes and value comments are found."""
    assert value_comments("scan.label            # 'strongly masculine-coded'\n") == [
        (0, "scan.label", "strongly masculine-coded")
    ]
    assert matches(("a", "b", "c"), ("a", "b", ...)) and not matches(("a",), ("b", ...))
    code = "x.f   # F(a=1, ...,\n      #   b=(2, 3), ...)\nx.g   # a note, not a value\n"
    assert value_comments(code) == [(0, "x.f", Fields("F", {"a": 1, "b": (2, 3)}))]
    assert quotes("x\n\n> one\n> two\n\ny\n") == ["one two"]
    text = "```python\nprint(1)\n```\n\n```text\n1\n```\n"
    assert [b.lang for b in fenced_blocks(text)] == ["python", "text"]
    assert sum(len(quotes(page_text(p))) for p in PAGES) >= 3
