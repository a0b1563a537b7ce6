"""Every command the documentation shows runs, and what the pages name exists.

- The ``fairhire ...`` commands of the pages (shell blocks and inline code) run through
  ``fairhire.cli.main`` on fixture files: each command shown is listed in ``COMMANDS`` with the
  arguments it runs with (or in ``NOT_RUN`` with the reason), so a command added to the docs
  needs an entry here; a command shown with nothing to fill in runs as shown, and every option
  shown is one of its subcommand's.
- docs/cli.md's table of options matches each subcommand's ``--help``.
- The ``curl`` examples of docs/web.md answer through the ASGI test client.
- Every ``fairhire.x`` / ``fh.x`` a page names exists; the glossary's arguments are arguments of
  public functions.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from docs_fixtures import command_line
from docs_pages import PAGES, curl_commands, named_attributes, page_text, shown_commands

import fairhire as fh
from fairhire.cli import main

FUNNEL = "screened interviewed offered hired"
MONITOR = "monitor applicants.csv --period applied_on --freq Q --group sex"
TTE = "time-to-exit staff.csv --group sex"
LAYOFF = "layoff staff.csv --selected laid_off --group sex"

#: every command the pages show -> the arguments it runs with on the fixture files
#: (applicants.csv: a hiring funnel; staff.csv: a workforce with exits and dates; ads/: job ads;
#: audit-2025.json, audit-2026.json: two audits; audit.toml: a one-analysis config)
COMMANDS: dict[str, list[str]] = {
    "fairhire demo [--out DIR]": ["demo --out demo"],
    "fairhire audit CONFIG.toml [--out DIR]": ["audit audit.toml --out out"],
    "fairhire scan FILES... [--format table|csv|json] [--output FILE] [--findings FILE] "
    "[--report DIR]": [
        "scan ads --format csv --output ads.csv --findings findings.csv",
        "scan ads --report reports/ads --report-format html",
    ],
    "fairhire impact DATA --group COL... (--stages COL... | --stage COL --stage-order "
    "STAGE...)": [
        f"impact applicants.csv --group sex race --stages {FUNNEL}",
        f"impact applicants.csv --group sex --stage stage_reached --stage-order applied {FUNNEL}",
    ],
    "fairhire ll144 DATA --sex COL --race COL (--selected COL | --score COL)": [
        "ll144 applicants.csv --sex sex --race race --selected hired",
        "ll144 applicants.csv --sex sex --race race --score score",
    ],
    "fairhire pay DATA --pay COL --group COL [--controls COL...]": [
        "pay staff.csv --pay salary --group sex --controls level job_family",
    ],
    "fairhire promotion DATA --group COL... --promoted COL [--level COL] [--period COL]": [
        "promotion staff.csv --group sex --promoted promoted --level level",
    ],
    "fairhire time-to-promotion DATA --group COL... --duration COL --event COL "
    "[--control COL]": [
        "time-to-promotion staff.csv --group sex --duration months_in_level --event promoted "
        "--control tenure_years",
    ],
    "fairhire time-to-promotion staff.csv --group sex --duration months_in_level "
    "--event promoted --control level": [
        "time-to-promotion staff.csv --group sex --duration months_in_level --event promoted "
        "--control level",
    ],
    "fairhire retention DATA --group COL --exited COL [--exit-type COL] [--level COL]": [
        "retention staff.csv --group sex --exited exited --exit-type exit_type --level level",
    ],
    "fairhire time-to-exit DATA --group COL (--duration COL --event COL | --hire-date COL "
    "--exit-date COL --as-of DATE) [--cause COL]": [
        f"{TTE} --duration tenure_months --event exited --cause exit_type",
        f"{TTE} --hire-date hired_on --exit-date left_on --as-of 2025-12-31",
    ],
    "fairhire layoff DATA --selected COL [--group COL] [--unit COL] [--age COL] "
    "[--job-title COL]": [f"{LAYOFF} --unit job_family --age age --job-title job_title"],
    "fairhire monitor DATA --period COL [--freq M|Q|Y] --group COL... (--stages COL... | "
    "--stage COL --stage-order STAGE... | --promoted COL)": [
        f"{MONITOR} --stages {FUNNEL}",
        f"{MONITOR} --stage stage_reached --stage-order applied {FUNNEL}",
        "monitor staff.csv --period hired_on --freq Y --group sex --promoted promoted",
    ],
    "fairhire compare OLD.json NEW.json [--format table|csv|json] [--output FILE]": [
        "compare audit-2025.json audit-2026.json --format json --output changes.json",
    ],
    "fairhire retention DATA --group sex --exited exited --exit-type exit_type": [
        "retention staff.csv --group sex --exited exited --exit-type exit_type",
    ],
    "fairhire time-to-exit DATA --group sex --duration tenure_months --event exited "
    "[--cause exit_type]": [f"{TTE} --duration tenure_months --event exited --cause exit_type"],
    "fairhire layoff DATA --selected laid_off --group sex --unit department --age age "
    "--job-title job_title --age-bands 40,50,60": [
        f"{LAYOFF} --unit department --age age --job-title job_title --age-bands 40,50,60",
    ],
    "fairhire monitor DATA --period applied_on --freq Q --group sex --stages screened "
    "interviewed offered hired": [f"{MONITOR} --stages {FUNNEL}"],
    "fairhire compare OLD.json NEW.json": ["compare audit-2025.json audit-2026.json"],
    "fairhire impact applicants.csv --group sex --stages screened interviewed offered hired "
    "--report reports/impact": [
        f"impact applicants.csv --group sex --stages {FUNNEL} --report reports/impact"
    ],
    "fairhire scan --lexicon gender-decoder": ["scan ads --lexicon gender-decoder"],
}

#: commands shown that this test does not run, and why
NOT_RUN: dict[str, str] = {
    "fairhire serve [--host 127.0.0.1] [--port 8765] [--open]": "long-running (a web server)",
    "fairhire serve --open": "long-running (a web server)",
    "fairhire ... | head": "any subcommand, piped",
    # the whole example audit takes ~30 s: tests/test_cli.py runs this very file
    "fairhire audit examples/audit.toml": "test_cli.py::test_audit_example_config_writes_report",
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
    listed = COMMANDS.keys() | NOT_RUN.keys()
    assert shown - listed == set(), "add the new commands to COMMANDS"
    assert listed - shown == set(), "commands no page shows any more"


def _options(command: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return set(re.findall(r"--[a-z][\w-]*", capsys.readouterr().out))


@pytest.mark.parametrize(
    ("page", "command"),
    every_command(),
    ids=[f"{p}-{i}" for i, (p, _) in enumerate(every_command())],
)
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
    if any(re.search(r"[A-Z]{3,}|\||[()]", w) for w in words):
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


RUN = list(COMMANDS)  # the NOT_RUN ones are listed with their reason, not reported as skips
PASSED: set[tuple[str, ...]] = set()  # argument lists that ran with exit 0 in this process


@pytest.mark.parametrize("command", RUN, ids=[f"{i}-{c.split()[1]}" for i, c in enumerate(RUN)])
def test_command_runs(
    command: str, cli_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    runs = [shlex.split(arguments) for arguments in COMMANDS[command]]
    monkeypatch.chdir(cli_folder)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    literal = _literal(command)
    assert literal is None or any(_shown_in(literal, argv) for argv in runs), (
        f"`{command}` should run as shown: {literal}"
    )
    if command.startswith("fairhire demo"):  # the demo's content is tested elsewhere: a stand-in
        counts = {"sex": ["Female", "Male"], "n": [50, 50], "hired": [10, 12]}
        section = fh.adverse_impact_from_counts(
            counts, group="sex", applicants="n", selected="hired"
        )
        monkeypatch.setattr(
            "fairhire.demo.build_demo_report", lambda: fh.Report(title="Demo").add(section)
        )
    for argv in runs:
        if tuple(argv) in PASSED:
            continue  # two pages show the same command
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 0, f"`fairhire {' '.join(argv)}` exited {code}: {captured.err[-2000:]}"
        PASSED.add(tuple(argv))


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
            members += [
                (f"{name}.{m}", v)
                for m, v in vars(obj).items()
                if callable(v) and not m.startswith("_")
            ]
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
        for line in main_part.splitlines()
        if line.startswith("| `")
        for name in re.findall(
            r"`([a-z_][a-z0-9_]*)(?:=[^`]*)?`", re.sub(r"\(.*?\)", "", line.split("|")[1])
        )  # not "(of f)"
    }
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
        commands = (
            re.findall(r"[a-z][\w-]*", cells[1]) if "," in cells[1] or " " not in cells[1] else []
        )  # "all with a data file": checked by the commands' own tests
        for command in commands:
            known = _options(command, capsys)
            wrong += [f"{command} {flag}" for flag in flags if flag not in known]
    assert not wrong, f"docs/cli.md lists options the commands do not have: {wrong}"


@pytest.mark.parametrize("argv", curl_commands("web.md"), ids=lambda a: a[1].rsplit("/", 1)[-1])
def test_web_api_examples(
    argv: list[str],
    cli_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
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
