"""Run a checked audit config: load its inputs, run each analysis, collect the report.

The command line loads inputs from paths and bundled data sets; the web app passes the
uploaded table. Both then call :func:`build_report`, so an analysis runs the same way in both.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FairhireError
from .blanks import blanks_as_no
from .config import ANALYSIS_KEYS, analysis_function
from .errors import CLIError, in_cli_words
from .numbers import forget_markers
from .options import call_analysis
from .reading import read_table, read_text

__all__ = ["build_report", "input_name", "load_inputs", "named_columns", "report_options"]

#: called before each step: (step number from 1, number of steps, what runs now)
OnStep = Callable[[int, int, str], None]


#: The analyses' arguments that name columns of the data (``group``, ``stages`` ...).
COLUMN_ARGUMENTS = frozenset({
    "age", "applicants", "birth_date", "bonus", "candidate", "candidate_group", "categorical",
    "category", "cause", "cluster", "controls", "criteria", "duration", "ethnicity", "event",
    "exit_date", "exit_type", "exited", "features", "full_pay", "group", "hire_date",
    "hourly_pay", "hours", "id", "interview", "job_title", "level", "outcome", "panelist",
    "panelist_group", "pay", "period", "promoted", "race", "rater", "rating", "score",
    "selected", "sex", "stage_column", "stages", "strata", "tainted", "unit", "variable_pay",
    "within",
})


def named_columns(config: Mapping[str, Any], name: str) -> list[str]:
    """The columns of input ``name`` the config's analyses name, as the export spells them
    (before ``columns =`` renames them): what :func:`read_table` looks for to find the header
    under a title, as the command line looks for the columns its flags name."""
    spec = config.get("data", {}).get(name, {})
    export_name = {new: old for old, new in (spec.get("columns") or {}).items()}
    named: dict[str, None] = {}
    for analysis in config.get("analysis", []):
        if input_name(analysis, config.get("data") or {name: None}) != name:
            continue  # (a web app config has no [data]: its one upload is every input)
        for key, value in analysis.items():
            if key == "in_process" and isinstance(value, Mapping):
                values = list(value)
            elif key in COLUMN_ARGUMENTS:
                values = [value] if isinstance(value, str) else value
            else:
                continue
            for column in values if isinstance(values, list) else ():
                if isinstance(column, str) and column:
                    named[export_name.get(column, column)] = None
    return list(named)


def load_inputs(config: Mapping[str, Any], *,
                notes: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Read every ``[data.NAME]`` input of a config (files relative to the config); the notes
    on how each was read go to ``notes[NAME]``, for the console and the report's sections.
    The header of a file is found by the columns the analyses name, as on the command line."""
    import fairhire as fh

    base: Path = config["_base"]
    inputs = {}
    for name, spec in config.get("data", {}).items():
        own: list[str] = []
        if "dataset" in spec:
            try:
                frame = getattr(fh.datasets, spec["dataset"])(**spec.get("options", {}))
            except TypeError as exc:
                raise CLIError(f"[data.{name}].options: {exc}.") from None
        else:
            frame = read_table(_data_path(spec["path"], base, f"[data.{name}]"),
                               sheet=spec.get("sheet"), sep=spec.get("sep"), notes=own,
                               look_for=named_columns(config, name))
        inputs[name] = rename_columns(frame, spec, f"[data.{name}]", notes=own)
        if notes is not None:
            notes[name] = own
    return inputs


def _data_path(text: str, base: Path, where: str) -> Path:
    """The file a config's ``path =`` names: relative to the config file, which is not where
    fairhire runs when the config is elsewhere ("fairhire audit configs/audit.toml")."""
    file = Path(text)
    path = file if file.is_absolute() else base / file
    if file.is_absolute() or path.exists():
        return path
    here = f" ({text} from where you run fairhire exists: write path = " \
        f"{_relative(file, base)!r})" if file.exists() else ""
    raise CLIError(f"{where}.path = {text!r}: file not found: {path}. Paths in a config are "
                   f"relative to the folder of the config file, {base.resolve()}{here}.",
                   field="config")


def _relative(file: Path, base: Path) -> str:
    try:
        return os.path.relpath(file.resolve(), base.resolve())
    except ValueError:  # another drive (Windows)
        return str(file.resolve())


def rename_columns(frame: Any, spec: Mapping[str, Any], where: str = "[data]", *,
                   notes: list[str] | None = None) -> Any:
    """Apply a ``[data.NAME]`` table's ``columns = {export name = fairhire name}``.

    A new name that another column already has is an error (two columns of one name); a name
    the file does not have is a note (a config may serve several exports).
    """
    columns = spec.get("columns")
    if not columns or not isinstance(frame, pd.DataFrame):
        return frame
    have = [str(c) for c in frame.columns]
    for old in columns:
        if old not in have and notes is not None:
            notes.append(f"{where}.columns: {old!r} is not a column of the file; not renamed.")
    renamed = [str(columns.get(c, c)) for c in have]
    for old, new in columns.items():
        if old in have and renamed.count(str(new)) > 1:
            raise CLIError(f"{where}.columns renames {old!r} to {new!r}, but the file has "
                           f"another column {new!r}: rename that one too, or choose "
                           "another name.", field="config")
    return frame.rename(columns=columns)


def input_name(spec: Mapping[str, Any], inputs: Mapping[str, Any]) -> str:
    """The input an analysis reads: its ``data =``, or the only input there is."""
    return spec.get("data") or next(iter(inputs))


def report_options(config: Mapping[str, Any]) -> dict[str, Any]:
    rep = config.get("report", {})
    return {
        "title": rep.get("title", "Hiring audit"),
        "organization": rep.get("organization"),
        "period": rep.get("period"),
        "author": rep.get("author"),
        "min_cell": rep.get("min_cell"),
    }


def _job_texts(spec: Mapping[str, Any], base: Path, where: str) -> list[tuple[str, str]]:
    if "text" in spec:
        return [(spec.get("title", "Job advertisement"), spec["text"])]
    pattern = spec["path"]
    paths = sorted(glob.glob(str(base / pattern))) or sorted(glob.glob(pattern))
    if not paths:
        raise CLIError(f"{where}: no files match {pattern!r}.")
    return [(f"Job ad: {Path(p).stem}", read_text(p)) for p in paths]


def step_title(spec: Mapping[str, Any]) -> str:
    return spec.get("title") or spec["type"].replace("_", " ")


def _run_one(i: int, spec: Mapping[str, Any], inputs: Mapping[str, Any], base: Path,
             report: Any, data_notes: Mapping[str, Sequence[str]]) -> None:
    where = f"[[analysis]] #{i} ({spec['type']})"
    func = analysis_function(spec["type"])
    options = {k: v for k, v in spec.items() if k not in ANALYSIS_KEYS}
    try:
        if spec["type"] == "job_description":
            for title, text in _job_texts(spec, base, where):
                report.add(call_analysis(func, text, options), title=title)
            return
        data, filled = _blanks_read(spec, options, inputs[input_name(spec, inputs)])
        result = call_analysis(func, data, options)
    except CLIError:
        raise
    except FairhireError as exc:
        raise CLIError(f"{where}: {exc}", field=f"analysis.{i}") from exc
    except (TypeError, ValueError, KeyError) as exc:  # a value the library did not check
        raise CLIError(f"{where}: {type(exc).__name__}: {exc}", field=f"analysis.{i}") from exc
    report.add(result, title=spec.get("title"), notes=spec.get("notes"),
               include_disclosure=spec.get("include_disclosure", False),
               data_notes=[*data_notes.get(input_name(spec, inputs), ()), *filled])


#: The arguments that name yes/no columns, and amounts whose blank means none (a bonus):
#: ``blank_means_no = true`` reads their blanks as no (or 0).
FLAG_ARGUMENTS = ("stages", "selected", "promoted", "exited", "event", "full_pay", "outcome",
                  "bonus")


def _blanks_read(spec: Mapping[str, Any], options: Mapping[str, Any],
                 data: Any) -> tuple[Any, list[str]]:
    """The analysis's data, with the blanks of its yes/no columns read as no when the config
    says ``blank_means_no = true`` (pandas inputs: files and the web app's upload)."""
    if not spec.get("blank_means_no") or not isinstance(data, pd.DataFrame):
        return forget_markers(data), []
    columns = [c for a in FLAG_ARGUMENTS
               for c in ([options[a]] if isinstance(options.get(a), str) else options.get(a) or ())]
    data, notes = blanks_as_no(data, [c for c in columns if c in data.columns],
                               how="the audit config says a blank means no")
    return forget_markers(data), notes


def _since_previous(config: Mapping[str, Any], report: Any) -> None:
    """``[report] previous = "audit-2025.json"``: add what changed since that audit."""
    import fairhire as fh

    name = config.get("report", {}).get("previous")
    if not name:
        return
    path = Path(name)
    path = path if path.is_absolute() else config["_base"] / path
    if not path.is_file():
        raise CLIError(f"[report].previous = {name!r}: file not found (paths are relative to "
                       "the config file).", field="report")
    try:
        report.add(fh.compare_audits(path, report))
    except FairhireError as exc:
        raise CLIError(f"[report].previous = {name!r}: {in_cli_words(exc)}", field="report") \
            from exc


def build_report(
    config: Mapping[str, Any],
    inputs: Mapping[str, Any],
    *,
    on_step: OnStep | None = None,
    generated_at: Any = None,
    data_notes: Mapping[str, Sequence[str]] | None = None,
) -> Any:
    """Run every analysis of a checked config on ``inputs`` and return the :class:`Report`;
    ``data_notes``: how each input was read (input name -> notes), for its sections."""
    import fairhire as fh

    report = fh.Report(**report_options(config), generated_at=generated_at)
    analyses = config["analysis"]
    for i, spec in enumerate(analyses, start=1):
        if on_step is not None:
            on_step(i, len(analyses), step_title(spec))
        _run_one(i, spec, inputs, config["_base"], report, data_notes or {})
    _since_previous(config, report)
    return report
