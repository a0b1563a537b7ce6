"""The audit config (TOML): read it, and check every key and value before anything runs.

One format for ``fairhire audit CONFIG.toml`` and for the web app's ``POST /api/audit`` (which
leaves the data path out: the upload is the data). Unknown keys, unknown options and values of
the wrong type are errors that name the key. Option values are checked by the library's own
rules (:mod:`fairhire._core.params`), so ``min_share = "x"`` gives the message
``fairhire.adverse_impact(min_share="x")`` would give.
"""

from __future__ import annotations

import inspect
import numbers
import re
import tomllib
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from .._core.params import check_alpha, check_bool, check_confidence, check_min_n
from ..errors import InvalidParameterError, show_value
from .errors import CLIError
from .options import accepted_options, check_formats, read_share

__all__ = [
    "ANALYSES",
    "DATASETS",
    "analysis_function",
    "check_config",
    "check_options",
    "load_config",
    "parse_config",
]

#: analysis type -> public function name in fairhire
ANALYSES = {
    "adverse_impact": "adverse_impact",
    "adverse_impact_from_counts": "adverse_impact_from_counts",
    "ll144": "ll144_audit",
    "cutoff": "cutoff_analysis",
    "pay_gap": "pay_gap",
    "oaxaca_blinder": "oaxaca_blinder",
    "uk_pay_gap": "uk_pay_gap_metrics",
    "eu_pay_transparency": "eu_pay_transparency_metrics",
    "promotion": "promotion_disparity",
    "time_to_promotion": "time_to_promotion",
    "representation": "representation",
    "rating_disparity": "rating_disparity",
    "interview_panels": "interview_panels",
    "rater_disparity": "rater_disparity",
    "rubric_consistency": "rubric_consistency",
    "retention": "retention",
    "time_to_exit": "time_to_exit",
    "reduction_in_force": "reduction_in_force",
    "monitor": "monitor",
    "job_description": "scan_job_description",
}
#: The command-line subcommands whose analysis type is named otherwise in a config.
COMMANDS = {"impact": "adverse_impact", "layoff": "reduction_in_force", "pay": "pay_gap",
            "time-to-exit": "time_to_exit", "scan": "job_description", "monitoring": "monitor"}
REPORT_KEYS = {"title", "organization", "period", "author", "formats", "output", "min_cell",
               "previous"}
DATA_KEYS = {"path", "dataset", "options", "columns", "sheet", "sep"}
#: Keys of an [[analysis]] table that are not arguments of its function.
ANALYSIS_KEYS = {"type", "data", "title", "notes", "path", "text", "include_disclosure",
                 "blank_means_no"}
DATASETS = {"make_hiring_funnel", "make_workforce", "load_ucb_admissions", "load_job_ads"}

#: Options that mean the same in every analysis, checked as the library checks them (and
#: min_share read as the command line reads --min-share: "2%" too).
NAMED_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "min_share": read_share,
    "exclude_under": read_share,  # ll144's old name for min_share, as --exclude-under reads it
    "alpha": check_alpha,
    "confidence": check_confidence,
    # the reference-group rule (0: no minimum); pay's own minimum (2) is the library's check
    "min_n": lambda v, n: check_min_n(v),
}
_KINDS = {
    "bool": "bool", "int": "int", "float": "number", "Fraction": "number", "str": "str",
    "None": "none", "Sequence[str]": "texts", "Sequence[object]": "list", "Sequence[Any]": "list",
}
_WORDS = {"int": "a whole number", "number": "a number", "str": "text", "texts": "a list of text",
          "list": "a list", "bool": "True or False"}


def did_you_mean(bad: Any, allowed: Any, same: Mapping[str, str] | None = None) -> str:
    """The hint that ends an error on misspelt names: each name's closest allowed name, or the
    one ``same`` says it means.

    >>> did_you_mean(["min_cells", "zzz"], ["min_cell", "title"])
    " Did you mean 'min_cell' for 'min_cells'?"
    """
    hints = []
    for name in bad:
        close = get_close_matches(str(name), sorted(map(str, allowed)), n=1, cutoff=0.6)
        close = [same[name]] if same and name in same else close
        if close:
            hints.append(f"{close[0]!r} for {name!r}")
    return f" Did you mean {', '.join(hints)}?" if hints else ""


def _unknown_keys(where: str, given: Mapping[str, Any], allowed: set[str], field: str) -> None:
    bad = sorted(set(given) - allowed)
    if bad:
        raise CLIError(
            f"unknown key(s) {bad} in {where}; allowed keys: {sorted(allowed)}."
            f"{did_you_mean(bad, allowed)}", field=field
        )


def _type_check(where: str, key: str, value: Any, kind: type, hint: str, field: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise CLIError(f"{where}.{key} must be {hint}; got {value!r}.", field=field)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _matches(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return {
        "int": isinstance(value, int),
        "number": isinstance(value, numbers.Real),
        "str": isinstance(value, str),
        "texts": _texts(value),
        "list": isinstance(value, list),
    }.get(kind, False)


def _check_value(name: str, value: Any, annotation: Any) -> Any:
    """Check one option against the library's rule for its name, or its annotation; the
    value as read (text such as min_share = "2%" becomes the number the flag would give)."""
    if name in NAMED_CHECKS:
        read = NAMED_CHECKS[name](value, name)
        return read if isinstance(value, str) else value
    tokens = [t.strip() for t in str(annotation).split("|")]
    kinds = [_KINDS.get(t) for t in tokens]
    if annotation is inspect.Parameter.empty or None in kinds:
        return value  # an annotation we cannot read as simple kinds: the library checks it
    kinds = [k for k in kinds if k != "none"]
    if kinds == ["bool"]:
        check_bool(value, name)
    elif not any(_matches(value, k) for k in kinds):
        wanted = " or ".join(dict.fromkeys(_WORDS[k] for k in kinds))
        raise InvalidParameterError(f"{name}={show_value(value)} must be {wanted}.")
    return value


def analysis_function(kind: str) -> Callable[..., Any]:
    import fairhire as fh

    return getattr(fh, ANALYSES[kind])


def check_options(kind: str, options: Mapping[str, Any], where: str,
                  field: str) -> dict[str, Any]:
    """Check an analysis' options: known names, and values of the right type and range; the
    options as read."""
    func = analysis_function(kind)
    allowed = accepted_options(func)
    if allowed is not None:
        bad = sorted(set(options) - allowed)
        if bad:
            raise CLIError(
                f"{where}: unknown option(s) {bad}; allowed: {sorted(allowed)}."
                f"{did_you_mean(bad, allowed | ANALYSIS_KEYS)}", field=field
            )
    params = inspect.signature(func).parameters
    read = {}
    for name, value in options.items():
        annotation = params[name].annotation if name in params else inspect.Parameter.empty
        try:
            read[name] = _check_value(name, value, annotation)
        except InvalidParameterError as exc:
            raise CLIError(f"{where}: {exc}", field=field) from None
    return read


def _check_report(report: Any, *, web: bool) -> None:
    _type_check("config", "report", report, dict, "a table ([report])", "report")
    _unknown_keys("[report]", report, REPORT_KEYS, "report")
    if web and "previous" in report:
        raise CLIError("[report].previous names a file on the server, which the web app never "
                       "reads: compare audits with fairhire compare OLD.json NEW.json.",
                       field="report")
    for key in ("title", "organization", "period", "author", "output", "previous"):
        if key in report:
            _type_check("report", key, report[key], str, "text", f"report.{key}")
    for key in ("output", "previous"):
        _check_path_text("[report]", key, report.get(key), f"report.{key}")
    if "formats" in report:
        _type_check("report", "formats", report["formats"], list, 'a list like ["html"]',
                    "report.formats")
        check_formats(report["formats"], "report.formats")
    if "min_cell" in report:
        _type_check("report", "min_cell", report["min_cell"], int, "a whole number",
                    "report.min_cell")


def _check_data(data: Any, *, web: bool) -> None:
    _type_check("config", "data", data, dict, "a table of named inputs ([data.NAME])", "data")
    if web and len(data) > 1:
        raise CLIError("the web app audits one uploaded file: define at most one [data.NAME].",
                       field="config")
    for name, spec in data.items():
        where = f"[data.{name}]"
        if isinstance(spec, str):
            raise CLIError(f"data.{name} must be a table with path= or dataset=; got {spec!r}. "
                           f"Write it as {name} = {{ path = {spec!r} }} under [data], or as "
                           f"[data.{name}] with path = {spec!r} on the next line.", field="data")
        _type_check("data", name, spec, dict, "a table with path= or dataset=", "data")
        _unknown_keys(where, spec, DATA_KEYS - ({"path", "dataset", "options"} if web else set()),
                      "config")
        if not web and ("path" in spec) == ("dataset" in spec):
            raise CLIError(f"{where} needs exactly one of path= (a file) or dataset= (bundled).",
                           field="config")
        if "dataset" in spec and spec["dataset"] not in DATASETS:
            raise CLIError(
                f"{where}.dataset = {spec['dataset']!r}; allowed values: {sorted(DATASETS)}.",
                field="config",
            )
        for key, kind, hint in (("columns", dict, "a table old = new"), ("options", dict,
                                "a table of arguments"), ("path", str, "text"), ("sheet", str,
                                "text"), ("sep", str, "text")):
            if key in spec:
                _type_check(where, key, spec[key], kind, hint, "config")
        _check_path_text(where, "path", spec.get("path"), "config")


def _check_analysis(i: int, spec: Any, data: Mapping[str, Any], *,
                    web: bool) -> dict[str, Any]:
    """The entry checked, with its options as read (a new dict: the caller's is kept)."""
    where, field = f"[[analysis]] #{i}", f"analysis.{i}"
    _type_check("config", f"analysis #{i}", spec, dict, "a table ([[analysis]])", field)
    kind = spec.get("type")
    if kind not in ANALYSES:
        raise CLIError(f"{where}: type = {kind!r}; allowed values: {sorted(ANALYSES)}."
                       f"{did_you_mean([kind] if isinstance(kind, str) else [], ANALYSES, COMMANDS)}",
                       field=field)
    where = f"{where} ({kind})"
    for key in ("title", "data", "path", "text"):
        if key in spec:
            _type_check(where, key, spec[key], str, "text", field)
    _check_path_text(where, "path", spec.get("path"), field)
    notes = spec.get("notes", [])
    if not (isinstance(notes, str) or _texts(notes)):
        raise CLIError(f"{where}.notes must be text or a list of text; got {notes!r}.",
                       field=field)
    if kind == "job_description":
        if web and "path" in spec:
            raise CLIError(f"{where}: the web app reads no files on the server; give the ad "
                           "as text = '...'.", field=field)
        if "blank_means_no" in spec:
            raise CLIError(f"{where}: blank_means_no is for analyses of a data file, not job "
                           "ads.", field=field)
        if ("path" in spec) == ("text" in spec):
            raise CLIError(f"{where}: give path = 'ads/*.txt' (files) or text = '...'.",
                           field=field)
    else:
        if "include_disclosure" in spec:
            if kind != "reduction_in_force":
                raise CLIError(f"{where}: include_disclosure is only for reduction_in_force.",
                               field=field)
            _type_check(where, "include_disclosure", spec["include_disclosure"], bool,
                        "true or false", field)
        if "blank_means_no" in spec:
            _type_check(where, "blank_means_no", spec["blank_means_no"], bool,
                        "true or false", field)
        if "data" not in spec and len(data) > 1:
            raise CLIError(f"{where}: say which input it reads: data = one of {sorted(data)}.",
                           field=field)
        if "data" in spec and spec["data"] not in data:
            raise CLIError(
                f"{where}: data = {spec['data']!r} is not one of the inputs defined in "
                f"[data.*]: {sorted(data)}.", field=field,
            )
        if not web and not data:
            raise CLIError(f"{where}: the config defines no input: add a [data.NAME] table "
                           "with path = 'file.csv'.", field=field)
        for key in ("path", "text"):
            if key in spec:
                raise CLIError(f"{where}: {key}= is only for job_description.", field=field)
    options = {k: v for k, v in spec.items() if k not in ANALYSIS_KEYS}
    return {**spec, **check_options(kind, options, where, field)}


def parse_config(
    text: str, *, source: str = "the config", base: Path | None = None, web: bool = False
) -> dict[str, Any]:
    """Read and check an audit config given as TOML text.

    ``web=True`` checks a config sent to the web app: the uploaded file is the data, so
    ``[data.NAME]`` holds no ``path``/``dataset`` and no analysis reads files.

    Examples
    --------
    >>> cfg = parse_config('[[analysis]]\\ntype = "adverse_impact"\\ngroup = "sex"\\n'
    ...                    'stages = ["hired"]\\n', web=True)
    >>> cfg["analysis"][0]["group"]
    'sex'
    >>> parse_config('[[analysis]]\\ntype = "adverse_impact"\\nmin_share = "x"\\n', web=True)
    Traceback (most recent call last):
    ...
    fairhire.workflow.errors.CLIError: [[analysis]] #1 (adverse_impact): min_share='x' must be ...
    """
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"{source} is not valid TOML: {exc}.{_backslash_hint(text, exc)}",
                       field="config") from None
    return check_config(config, source=source, base=base, web=web)


_BACKSLASHES = (' In a "double-quoted" TOML string a backslash starts an escape (\\t is a tab): '
                "write a Windows path in single quotes ('C:\\Users\\hr\\applicants.csv') "
                "or with forward slashes (\"C:/Users/hr/applicants.csv\").")


def _backslash_hint(text: str, exc: Exception) -> str:
    """The fix for a Windows path in double quotes ("C:\\Users\\..."), if the line TOML
    stopped on holds one."""
    found = re.search(r"at line (\d+)", str(exc))
    lines = text.splitlines()
    line = lines[int(found[1]) - 1] if found and int(found[1]) <= len(lines) else ""
    return _BACKSLASHES if re.search(r'"[^"]*\\', line) else ""


def _check_path_text(where: str, key: str, value: Any, field: str) -> None:
    """A path that TOML read with a tab or line break in it: "C:\\new\\table.csv" in double
    quotes, where \\n and \\t are escapes. No file is named so."""
    if isinstance(value, str) and re.search(r"[\t\n\r\b\f]", value):
        raise CLIError(f"{where}.{key} = {value!r} holds a tab or line break.{_BACKSLASHES}",
                       field=field)


def check_config(
    config: dict[str, Any], *, source: str = "the config", base: Path | None = None,
    web: bool = False,
) -> dict[str, Any]:
    """Check an audit config already read into a dict (see :func:`parse_config`)."""
    _unknown_keys("the config", config, {"report", "data", "analysis"}, "config")
    _check_report(config.get("report", {}), web=web)
    data = config.get("data", {})
    _check_data(data, web=web)
    analyses = config.get("analysis", [])
    _type_check("config", "analysis", analyses, list, "an array of tables ([[analysis]])",
                "config")
    if not analyses:
        raise CLIError(f"{source} has no [[analysis]] entries: nothing to run.", field="config")
    config["analysis"] = [_check_analysis(i, spec, data, web=web)
                          for i, spec in enumerate(analyses, start=1)]
    config["_base"] = base or Path.cwd()
    return config


def load_config(path: str | Path) -> dict[str, Any]:
    """Read and check an audit config file; paths in it are relative to the file."""
    path = Path(path)
    if not path.is_file():
        raise CLIError(f"config file not found: {path}.")
    from .reading import read_text

    return parse_config(read_text(path), source=str(path), base=path.parent)
