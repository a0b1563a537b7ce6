"""Every code example of the documentation runs, and prints what the page says it prints.

Each page's ```python blocks run in order, in one namespace, in a temporary folder prepared by
the page's fixture (``tests/docs_fixtures.py``: the files and variables a reader is assumed to
have). Output a page shows is checked against what the code produces:

- a ```text block right after a python block (no heading in between): its lines are printed
  (``...`` leaves out lines, or the end of a line);
- a quoted finding (``> ...``) on a page with examples: a result of the page says it;
- a value comment (``scan.label   # 'strongly masculine-coded'``) that is a Python literal: the
  expression equals it (``...`` in a tuple stands for the rest).

Spark blocks (they use ``spark``) run in their own test, only where pyspark and Java work, in
the test process's one local session. The ``fairhire ...`` commands of the pages run through
``fairhire.cli.main`` on fixture files: each command shown is listed in ``COMMANDS`` with the
arguments it runs with, so a command added to the docs needs an entry here.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import json
import re
import shlex
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest_spark import SPARK_WARNINGS, spark_session, spark_unavailable
from docs_fixtures import CLAIMS, DOCS, FIXTURES, SPARK_FIXTURES, command_line

import fairhire as fh
from fairhire.cli import main

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
        if any(b.lang == "python" and is_spark(b.code) == spark for b in fenced_blocks(page_text(page)))
    ]


def normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split())


# --- checking shown output ---------------------------------------------------------------------


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
    args = re.sub(r"(?<=[(,])\s*\.\.\.\s*(?=[,)])", lambda _: f" _rest{next(rest)}=0",
                  f"({shown.group(2)})")  # fmt: skip
    call = ast.parse(f"f{args}", mode="eval").body
    if not isinstance(call, ast.Call) or call.args:
        raise ValueError(comment)
    fields = {k.arg: ast.literal_eval(k.value) for k in call.keywords if not k.arg.startswith("_rest")}
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


def run_blocks(page: str, blocks: list[Block], namespace: dict[str, Any]) -> str:
    """Run the blocks in order; check each one's shown output; all they printed."""
    printed = []
    every = fenced_blocks(page_text(page))
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile("\n" * (block.line - 1) + block.code, str(DOCS / page), "exec"),
                 namespace)  # fmt: skip
        printed.append(out.getvalue())
        following = every.index(block) + 1
        if following < len(every):
            after = every[following]
            if after.lang in ("text", "output") and not after.heading_before:
                for line in after.code.splitlines():  # "..." cuts a line or leaves lines out
                    for part in filter(str.strip, line.split("...")):
                        assert normalise(part) in normalise(out.getvalue()), (
                            f"{page}:{after.line}: the page shows {line.strip()!r}; "
                            f"the code printed:\n{out.getvalue()}"
                        )
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
def test_page_spark_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
    local = jvm.org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext._jsc.hadoopConfiguration())
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


FUNNEL = ["screened", "interviewed", "offered", "hired"]
TENURE = ["--duration", "tenure_months", "--event", "exited"]
DATES = ["--hire-date", "hired_on", "--exit-date", "left_on", "--as-of", "2025-12-31"]
LAYOFF = ["--selected", "laid_off", "--group", "sex"]

#: every command the pages show -> the argument lists it runs with on the fixture files
#: (applicants.csv: a hiring funnel; staff.csv: a workforce with exits and dates; ads/: job ads;
#: audit-2025.json, audit-2026.json: two audits; audit.toml: a one-analysis config), or why not
COMMANDS: dict[str, list[list[str]] | str] = {
    "fairhire demo [--out DIR]": [["demo", "--out", "demo"]],
    "fairhire audit CONFIG.toml [--out DIR]": [["audit", "audit.toml", "--out", "out"]],
    "fairhire scan FILES... [--format table\\|csv\\|json] [--output FILE] [--findings FILE]": [
        ["scan", "ads", "--format", "csv", "--output", "ads.csv", "--findings", "findings.csv"],
    ],
    "fairhire impact DATA --group COL... --stages COL...": [
        ["impact", "applicants.csv", "--group", "sex", "race", "--stages", *FUNNEL],
    ],
    "fairhire ll144 DATA --sex COL --race COL (--selected COL \\| --score COL)": [
        ["ll144", "applicants.csv", "--sex", "sex", "--race", "race", "--selected", "hired"],
        ["ll144", "applicants.csv", "--sex", "sex", "--race", "race", "--score", "score"],
    ],
    "fairhire pay DATA --pay COL --group COL [--controls COL...]": [
        ["pay", "staff.csv", "--pay", "salary", "--group", "sex", "--controls", "level",
         "job_family"],
    ],
    "fairhire promotion DATA --group COL --promoted COL [--level COL]": [
        ["promotion", "staff.csv", "--group", "sex", "--promoted", "promoted", "--level", "level"],
    ],
    "fairhire retention DATA --group COL --exited COL [--exit-type COL] [--level COL]": [
        ["retention", "staff.csv", "--group", "sex", "--exited", "exited", "--exit-type",
         "exit_type", "--level", "level"],
    ],
    "fairhire time-to-exit DATA --group COL (--duration COL --event COL \\| --hire-date COL "
    "--exit-date COL --as-of DATE) [--cause COL]": [
        ["time-to-exit", "staff.csv", "--group", "sex", *TENURE, "--cause", "exit_type"],
        ["time-to-exit", "staff.csv", "--group", "sex", *DATES],
    ],
    "fairhire layoff DATA --selected COL [--group COL] [--unit COL] [--age COL] "
    "[--job-title COL]": [
        ["layoff", "staff.csv", *LAYOFF, "--unit", "job_family", "--age", "age", "--job-title",
         "job_title"],
    ],
    "fairhire monitor DATA --period COL [--freq M\\|Q\\|Y] --group COL... (--stages COL... \\| "
    "--stage-column COL --stage-order STAGE... \\| --promoted COL)": [
        ["monitor", "applicants.csv", "--period", "applied_on", "--freq", "Q", "--group", "sex",
         "--stages", *FUNNEL],
        ["monitor", "applicants.csv", "--period", "applied_on", "--freq", "Q", "--group", "sex",
         "--stage-column", "stage_reached", "--stage-order", "applied", *FUNNEL],
        ["monitor", "staff.csv", "--period", "hired_on", "--freq", "Y", "--group", "sex",
         "--promoted", "promoted"],
    ],
    "fairhire compare OLD.json NEW.json [--format table\\|csv\\|json] [--output FILE]": [
        ["compare", "audit-2025.json", "audit-2026.json", "--format", "json", "--output",
         "changes.json"],
    ],
    "fairhire serve [--host 127.0.0.1] [--port 8765] [--open]": "long-running (a web server)",
    "fairhire serve --open": "long-running (a web server)",
    "fairhire ... | head": "any subcommand, piped",
    "fairhire retention DATA --group sex --exited exited --exit-type exit_type": [
        ["retention", "staff.csv", "--group", "sex", "--exited", "exited", "--exit-type",
         "exit_type"],
    ],
    "fairhire time-to-exit DATA --group sex --duration tenure_months --event exited "
    "[--cause exit_type]": [
        ["time-to-exit", "staff.csv", "--group", "sex", *TENURE, "--cause", "exit_type"],
    ],
    "fairhire layoff DATA --selected laid_off --group sex --unit department --age age "
    "--job-title job_title --age-bands 40,50,60": [
        ["layoff", "staff.csv", *LAYOFF, "--unit", "department", "--age", "age", "--job-title",
         "job_title", "--age-bands", "40,50,60"],
    ],
    "fairhire monitor DATA --period applied_on --freq Q --group sex --stages screened "
    "interviewed offered hired": [
        ["monitor", "applicants.csv", "--period", "applied_on", "--freq", "Q", "--group", "sex",
         "--stages", *FUNNEL],
    ],
    "fairhire compare OLD.json NEW.json": [["compare", "audit-2025.json", "audit-2026.json"]],
    "fairhire impact applicants.csv --group sex --stages screened interviewed offered hired "
    "--report reports/impact": [
        ["impact", "applicants.csv", "--group", "sex", "--stages", *FUNNEL, "--report",
         "reports/impact"],
    ],
    # the whole example audit takes ~30 s: tests/test_cli.py runs this very file
    "fairhire audit examples/audit.toml": "test_cli.py::test_audit_example_config_writes_report",
    "fairhire scan --lexicon gender-decoder": [["scan", "ads", "--lexicon", "gender-decoder"]],
}


def every_command() -> list[tuple[str, str]]:
    """(page, command) for every command shown; a bare ``fairhire scan`` names a subcommand."""
    return [
        (page, command)
        for page in PAGES
        for command in shown_commands(page)
        if len(command.split()) > 2
    ]


def test_every_command_shown_is_listed() -> None:
    shown = {command for _, command in every_command()}
    assert shown - COMMANDS.keys() == set(), "add the new commands to COMMANDS"
    assert COMMANDS.keys() - shown == set(), "commands no page shows any more"


def _options(command: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return set(re.findall(r"--[a-z][\w-]*", capsys.readouterr().out))


@pytest.mark.parametrize(("page", "command"), every_command(),
                         ids=[f"{p}-{i}" for i, (p, _) in enumerate(every_command())])  # fmt: skip
def test_command_options_exist(page: str, command: str, capsys: pytest.CaptureFixture) -> None:
    """Every option a page shows is an option of its subcommand (as ``--help`` lists them)."""
    words = command.split()
    if words[1] == "...":
        return
    unknown = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", command)) - _options(words[1], capsys)
    assert not unknown, f"{page}: `{command}` shows options the command does not have"


#: the files a command's placeholders stand for (DATA: by subcommand)
PLACEHOLDERS = {"OLD.json": "audit-2025.json", "NEW.json": "audit-2026.json"}
STAFF_DATA = {"pay", "promotion", "retention", "time-to-exit", "layoff"}


def _literal(command: str) -> list[str] | None:
    """The arguments of a command shown with nothing to choose, on the fixture files."""
    words = [PLACEHOLDERS.get(w, w) for w in command.split()[1:]]
    data = "staff.csv" if words[0] in STAFF_DATA else "applicants.csv"
    words = [data if w == "DATA" else w.strip("[]") for w in words]
    if any(re.search(r"[A-Z]{3,}|\\\||[()]", w) for w in words):
        return None  # a synopsis: COL, FILE, alternatives
    return words


def _shown_in(shown: list[str], argv: list[str]) -> bool:
    """The words shown, in order, in the arguments run (which may add the files)."""
    rest = iter(argv)
    return all(word in rest for word in shown)


@pytest.fixture(scope="module")
def cli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture files, written once: every command reads them and writes its own outputs."""
    folder = tmp_path_factory.mktemp("docs-commands")
    command_line(folder)
    return folder


@pytest.mark.parametrize("command", list(COMMANDS),
                         ids=[f"{i}-{c.split()[1]}" for i, c in enumerate(COMMANDS)])  # fmt: skip
def test_command_runs(command: str, cli_folder: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture) -> None:  # fmt: skip
    runs = COMMANDS[command]
    if isinstance(runs, str):
        pytest.skip(runs)
    monkeypatch.chdir(cli_folder)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    literal = _literal(command)
    assert literal is None or any(_shown_in(literal, argv) for argv in runs), (
        f"`{command}` should run as shown: {literal}"
    )
    if command.startswith("fairhire demo"):  # the demo's content is tested elsewhere: a stand-in
        counts = {"sex": ["Female", "Male"], "n": [50, 50], "hired": [10, 12]}
        section = fh.adverse_impact_from_counts(counts, group="sex", applicants="n",
                                                selected="hired")
        monkeypatch.setattr("fairhire.demo.build_demo_report",
                            lambda: fh.Report(title="Demo").add(section))
    for argv in runs:
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 0, f"`fairhire {' '.join(argv)}` exited {code}: {captured.err[-2000:]}"


def _resolve(path: str) -> bool:
    """Whether ``fairhire.a.b`` (or ``fh.a.b``) exists: a module, or an attribute of one."""
    parts = path.split(".")
    value: Any = importlib.import_module("fairhire")
    for i, part in enumerate(parts[1:], start=1):
        if hasattr(value, part):
            value = getattr(value, part)
            continue
        try:
            value = importlib.import_module(".".join(["fairhire", *parts[1 : i + 1]]))
        except ImportError:
            return False
    return True


@pytest.mark.parametrize("page", PAGES)
def test_named_api_exists(page: str) -> None:
    """Every `fairhire.x` / `fh.x` a page names in its text exists (renames hide here)."""
    names = [n for n in named_attributes(page_text(page)) if n.split(".")[0] in ("fairhire", "fh")]
    missing = [n for n in names if not _resolve(n)]
    assert not missing, f"{page} names what fairhire does not have: {missing}"


def _public_parameters() -> dict[str, set[str]]:
    """Parameter names of every public function, class and public method of ``fairhire``."""
    found: dict[str, set[str]] = {}
    for name in fh.__all__:
        obj = getattr(fh, name)
        members = [(name, obj)]
        if inspect.isclass(obj):
            members += [(f"{name}.{m}", v) for m, v in vars(obj).items()
                        if callable(v) and not m.startswith("_")]  # fmt: skip
        for label, member in members:
            try:
                found[label] = set(inspect.signature(member).parameters)
            except (TypeError, ValueError):
                continue
    return found


def test_glossary_arguments_exist() -> None:
    """Each argument the glossary defines is an argument of a public function; each renamed
    argument's new name is the function's."""
    text = page_text("glossary.md")
    main_part, _, renamed = text.partition("## Renamed arguments")
    parameters = _public_parameters()
    every = set().union(*parameters.values())
    defined = {
        name
        for line in main_part.splitlines() if line.startswith("| `")
        for name in re.findall(r"`([a-z_][a-z0-9_]*)(?:=[^`]*)?`",
                               re.sub(r"\(.*?\)", "", line.split("|")[1]))  # not "(of f)"
    }  # fmt: skip
    assert len(defined) > 50 and not defined - every, sorted(defined - every)
    for function, new in re.findall(r"^\| `(\w+)` \|[^|]*\| `(\w+)` \|$", renamed, flags=re.M):
        assert new in parameters[function], f"glossary: {function}() has no argument {new!r}"


def test_cli_options_table(capsys: pytest.CaptureFixture) -> None:
    """docs/cli.md's table of options: each option is an option of each subcommand it lists."""
    section = page_text("cli.md").split("## Options of the analyses", 1)[1].split("\n## ", 1)[0]
    wrong = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) != 3 or not cells[0].startswith("`--"):
            continue
        flags = re.findall(r"`(--[a-z][\w-]*)", cells[0])
        commands = re.findall(r"[a-z][\w-]*", cells[1]) if "," in cells[1] or " " not in cells[1] \
            else []  # "all with a data file": checked by the commands' own tests
        for command in commands:
            known = _options(command, capsys)
            wrong += [f"{command} {flag}" for flag in flags if flag not in known]
    assert not wrong, f"docs/cli.md lists options the commands do not have: {wrong}"


def curl_commands(page: str) -> list[list[str]]:
    """The ``curl`` commands of a page's shell blocks, as argument lists."""
    found = []
    for block in fenced_blocks(page_text(page)):
        if block.lang in ("bash", "console", "sh", "shell") and "curl " in block.code:
            words = shlex.split(block.code.replace("\\\n", " "))
            starts = [i for i, w in enumerate(words) if w == "curl"] + [len(words)]
            found += [words[a + 1 : b] for a, b in pairwise(starts)]
    return found


@pytest.mark.parametrize("argv", curl_commands("web.md"), ids=lambda a: a[1].rsplit("/", 1)[-1])
def test_web_api_examples(argv: list[str], cli_folder: Path, monkeypatch: pytest.MonkeyPatch,
                          ) -> None:  # fmt: skip
    """The ``curl`` examples of docs/web.md answer 200 (through the ASGI test client)."""
    pytest.importorskip("multipart")
    testclient = pytest.importorskip("starlette.testclient")
    from fairhire.web import create_app

    monkeypatch.chdir(cli_folder)  # applicants.csv
    url, headers, form, files, body = "", {}, {}, {}, None
    words = iter(argv)
    for word in words:
        if word == "-H":
            key, _, value = next(words).partition(":")
            headers[key.strip()] = value.strip()
        elif word == "-d":
            body = next(words)
        elif word == "-F":
            key, _, value = next(words).partition("=")
            if value.startswith("@"):
                files[key] = (value[1:], Path(value[1:]).read_bytes())
            else:
                form[key] = value
        elif word.startswith("http"):
            url = word
    client = testclient.TestClient(create_app(), base_url="http://127.0.0.1:8765")
    if body is not None:
        answer = client.post(url, content=body, headers=headers)
    else:
        answer = client.post(url, data=form, files=files, headers=headers)
    assert answer.status_code == 200, answer.text[:2000]
    if url.endswith("/api/scan"):  # "exactly fairhire.scan_job_description(text).to_dict()"
        want = fh.scan_job_description(json.loads(body)["text"]).to_dict()
        assert answer.json() == json.loads(json.dumps(want))
