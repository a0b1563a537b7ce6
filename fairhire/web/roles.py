"""Column roles for the audit page: guess them from an upload, and turn choices into a config.

The page shows one dropdown per column (group, funnel stage, outcome, exit flag, exit type,
pay, level, stratum, date, employee id, application status, or not used) with the guess
selected, and a list of analyses. An analysis is offered (ticked) when the guessed roles have
its columns: retention needs an exit flag, monitoring over time a date column and funnel
stages. The choices become an audit config in the ``fairhire audit`` format, which runs
exactly as the command line runs it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .._core.flags import flag_of
from .._core.groups import GROUP_SEPARATOR, sorted_labels
from ..workflow.errors import CLIError
from .in_process import ROLE as IN_PROCESS_ROLE
from .in_process import USES as IN_PROCESS_USES
from .in_process import guess_open_values, in_process_option

__all__ = ["ANALYSES", "ROLES", "build_config", "config_toml", "describe_columns", "guess_open",
           "guess_roles"]

#: role -> label shown in the dropdown
ROLES = {
    "ignore": "not used",
    "group": "group (sex, race, age band ...)",
    "stage": "funnel stage (yes/no, in order)",
    "outcome": "outcome: promoted (yes/no)",
    "exited": "left the organization (yes/no)",
    "exit_type": "exit type (voluntary / involuntary)",
    "pay": "pay",
    "level": "level or grade",
    "strata": "requisition / job (compare within)",
    "date": "date",
    "id": "employee id (one row each)",
    "in_process": "application status (open ones left out)",
}
#: analysis id -> (label, what it needs)
ANALYSES = {
    "funnel": ("Adverse impact at each funnel stage, per group column", "a group and a stage"),
    "intersectional": ("Adverse impact for combined groups (e.g. sex × race)",
                       "two group columns and a stage"),
    "ll144": ("NYC Local Law 144 bias audit tables", "sex and race group columns and a stage"),
    "pay_gap": ("Pay gap, per group column (adjusted for level)", "a group and a pay column"),
    "promotion": ("Promotion rates, per group column (within levels)",
                  "a group and an outcome column"),
    "retention": ("Exit rates (retention), per group column: all, voluntary and involuntary exits",
                  "a group and a 'left the organization' column"),
    "monitor": ("Monitoring over time: the funnel period by period, with trends and alerts",
                "a group, a date and a stage"),
}

_GROUP = re.compile(r"sex|gender|race|ethnic|hispanic|latin|age.?band|age.?group|disab|veteran|^age$", re.I)
_STAGE = ("applied", "screened", "screen", "assessed", "interviewed", "interview", "offered",
          "offer", "hired", "hire", "advanced", "selected", "passed", "started")
_OUTCOME = re.compile(r"promot", re.I)
_EXITED = re.compile(r"exit|^left\b|^left_|leaver|terminat|attrition|separat|resign|quit", re.I)
_EXIT_TYPE = re.compile(r"exit.?(type|reason|kind)|(termination|leav\w*|separation).?(type|"
                        r"reason)", re.I)
_PAY = re.compile(r"salary|pay|wage|compensation|earning|bonus", re.I)
_LEVEL = re.compile(r"^(level|grade|band|job.?level|seniority)$", re.I)
_STRATA = re.compile(r"requisition|^req|job.?id|posting|vacancy|opening", re.I)
_ID = re.compile(r"^((employee|emp|staff|person|worker|payroll)[ _.-]?(id|number|no)|id)$", re.I)
_DATE = re.compile(r"date|_on$|_at$|^period$|month|year$", re.I)


#: More distinct spellings than this and a column is not a yes/no column.
_MAX_FLAG_SPELLINGS = 40


def _is_flag(series: pd.Series) -> bool:
    """True when the library reads the column as yes/no: every distinct value that is not
    blank reads as a flag, in any of its spellings (yes, Y, 1.0, TRUE, " n" ...).

    Examples
    --------
    >>> _is_flag(pd.Series(["yes", "Y", 1.0, " n", "FALSE", "", None])), _is_flag(pd.Series([1, 5]))
    (True, False)
    """
    if pd.api.types.is_bool_dtype(series):
        return True
    values = series.dropna().unique()
    if len(values) > _MAX_FLAG_SPELLINGS:
        return False
    read = [flag_of(v) for v in values]
    known = [r for r in read if r is not None]  # blanks are missing, not a third value
    return bool(known) and all(r is True or r is False for r in known)


def _stage_rank(name: str) -> int | None:
    lower = name.lower()
    for rank, word in enumerate(_STAGE):
        if word in lower:
            return rank
    return None


def guess_role(name: str, series: pd.Series) -> str:
    """The likely role of one column, from its name and values.

    Examples
    --------
    >>> guess_role("Gender", pd.Series(["F", "M"])), guess_role("hired", pd.Series(["yes", "no"]))
    ('group', 'stage')
    >>> guess_role("Left Company", pd.Series(["Yes", "No"]))
    'exited'
    """
    if _is_flag(series):
        if _OUTCOME.search(name):
            return "outcome"
        if _EXITED.search(name):
            return "exited"
        return "stage" if _stage_rank(name) is not None else "ignore"
    if _EXIT_TYPE.search(name) and not pd.api.types.is_numeric_dtype(series):
        return "exit_type"
    numeric = pd.api.types.is_numeric_dtype(series)
    if _GROUP.search(name) and (not numeric or series.nunique() <= 12):
        return "group"
    if numeric and _PAY.search(name) and not re.search(r"bonus", name, re.I):
        return "pay"
    if _LEVEL.search(name):
        return "level"
    if _STRATA.search(name):
        return "strata"
    if _ID.search(name.strip()):
        return "id"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    # a number is a date only as a year (months_in_level is a duration, not a date)
    if _DATE.search(name) and (not numeric or re.search(r"year$", name, re.I)):
        return "date"
    return "ignore"


def guess_roles(frame: pd.DataFrame) -> dict[str, str]:
    """A role for every column (at most one pay, level, stratum and status column); a status
    column is an application status only beside funnel stages and when some of its values
    read as open (an employee's "Active" status is not)."""
    roles = {str(c): guess_role(str(c), frame[c]) for c in frame.columns}
    if "stage" in roles.values():
        for c in frame.columns:
            if roles[str(c)] == "ignore" and guess_open_values(str(c), frame[c]):
                roles[str(c)] = IN_PROCESS_ROLE
    for single in ("pay", "level", "strata", "date", "exited", "exit_type", "id", IN_PROCESS_ROLE):
        chosen = [c for c, r in roles.items() if r == single]
        if single == "exited":  # "exited" before an older "left" flag
            chosen.sort(key=lambda c: not re.search("exit", c, re.I))
        for extra in chosen[1:]:
            roles[extra] = "ignore"
    return roles


def guess_open(frame: pd.DataFrame, roles: Mapping[str, str]) -> list[str]:
    """The values of the guessed status column that mark an application still open."""
    column = next((c for c, r in roles.items() if r == IN_PROCESS_ROLE), None)
    return guess_open_values(column, frame[column]) if column is not None else []


def default_analyses(roles: Mapping[str, str]) -> list[str]:
    """The analyses the guessed roles allow, checked by default."""
    has = {r: [c for c, x in roles.items() if x == r] for r in ROLES}
    out = []
    if has["group"] and has["stage"]:
        out.append("funnel")
    if has["group"] and has["pay"]:
        out.append("pay_gap")
    if has["group"] and has["outcome"]:
        out.append("promotion")
    if has["group"] and has["exited"]:
        out.append("retention")
    if has["group"] and has["date"] and has["stage"]:
        out.append("monitor")
    return out


#: A column with more distinct values than this gets a text field for its reference group,
#: not a list of its values (a group column has a few; more is likely an id given the role).
MAX_REFERENCE_CHOICES = 60


def describe_columns(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, a few example values and the number of distinct values of each column, and its
    values as the upload shows them, in the library's group order (the reference-group
    choices, should the column be given the group role; None when there are too many).

    >>> describe_columns(pd.DataFrame({"sex": ["M", "F", None, "F"]}))[0]["values"]
    ['F', 'M']
    """
    out = []
    for c in frame.columns:
        series = frame[c]
        distinct = series.dropna().unique()
        values = ([str(v) for v in sorted_labels(list(distinct))]
                  if len(distinct) <= MAX_REFERENCE_CHOICES else None)
        out.append({"name": str(c), "examples": [str(v) for v in distinct[:4]],
                    "distinct": int(series.nunique()), "missing": int(series.isna().sum()),
                    "values": values})
    return out


def _find(group_cols: Sequence[str], pattern: str) -> str | None:
    return next((c for c in group_cols if re.search(pattern, c, re.I)), None)


def _period(frame: pd.DataFrame, column: str) -> str | None:
    dates = pd.to_datetime(frame[column], errors="coerce").dropna()
    if dates.empty:
        return None
    return f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"


def _freq(frame: pd.DataFrame, column: str) -> str:
    """Months for data over less than about half a year, quarters up to five years, else years.

    Examples
    --------
    >>> _freq(pd.DataFrame({"d": ["2025-01-05", "2025-03-30"]}), "d")
    'M'
    """
    dates = pd.to_datetime(frame[column], errors="coerce", format="mixed").dropna()
    days = (dates.max() - dates.min()).days if len(dates) else 0
    return "M" if days < 200 else "Q" if days < 5 * 366 else "Y"


def _need(ok: bool, analysis: str) -> None:
    if not ok:
        label, needs = ANALYSES[analysis]
        raise CLIError(f"{label} needs {needs}: choose those roles above, or untick it.",
                       field=f"analysis:{analysis}")


def _analysis_entries(
    kind: str, by: Mapping[str, list[str]], frame: pd.DataFrame
) -> list[dict[str, Any]]:
    groups, stages = by["group"], by["stage"]
    level = by["level"][:1]
    if kind == "funnel":
        _need(bool(groups and stages), kind)
        strata = {"strata": by["strata"][0]} if by["strata"] else {}
        return [{"type": "adverse_impact", "title": f"Hiring funnel by {g}", "group": g,
                 "stages": stages, **strata} for g in groups]
    if kind == "intersectional":
        _need(len(groups) >= 2 and bool(stages), kind)
        return [{"type": "adverse_impact", "title": f"Hiring funnel by {' × '.join(groups)}",
                 "group": groups, "stages": stages}]
    if kind == "ll144":
        return _ll144_entry(groups, stages)
    if kind == "pay_gap":
        _need(bool(groups and by["pay"]), kind)
        return [{"type": "pay_gap", "title": f"Pay gap by {g}", "pay": by["pay"][0], "group": g,
                 "controls": level, **_ids(by)} for g in groups]
    if kind == "promotion":
        _need(bool(groups and by["outcome"]), kind)
        extra = {"level": level[0]} if level else {}
        return [{"type": "promotion", "title": f"Promotion by {g}", "group": g,
                 "promoted": by["outcome"][0], **extra, **_ids(by)} for g in groups]
    return _over_time(kind, by, frame)


def _ids(by: Mapping[str, list[str]]) -> dict[str, str]:
    """The "employee id (one row each)" column as ``id``, for the analyses that count each
    row as one person: an id on two rows (a rehire, a duplicated row) is then an error."""
    return {"id": by["id"][0]} if by["id"] else {}


def _ll144_entry(groups: Sequence[str], stages: Sequence[str]) -> list[dict[str, Any]]:
    """An LL144 entry; a race column beside a separate Hispanic or Latino column is read with
    it (``ethnicity=``), as EEO-1 does.

    >>> _ll144_entry(["Gender", "Ethnicity", "Race"], ["Advanced"])
    [{'type': 'll144', 'sex': 'Gender', 'race': 'Race', 'selected': 'Advanced', 'ethnicity': 'Ethnicity'}]
    """
    sex = _find(groups, "sex|gender")
    race = _find(groups, "race") or _find(groups, "ethnic")
    _need(bool(sex and race and stages), "ll144")
    ethnicity = _find([g for g in groups if g != race], "ethnic|hispanic|latin")
    extra = {"ethnicity": ethnicity} if ethnicity else {}
    return [{"type": "ll144", "sex": sex, "race": race, "selected": stages[-1], **extra}]


def _over_time(kind: str, by: Mapping[str, list[str]], frame: pd.DataFrame) -> list[dict]:
    """Retention and monitoring entries (the analyses of issues 19 and 20)."""
    groups, stages = by["group"], by["stage"]
    if kind == "retention":
        _need(bool(groups and by["exited"]), kind)
        extra = {"exit_type": by["exit_type"][0]} if by["exit_type"] else {}
        extra |= {"level": by["level"][0]} if by["level"] else {}
        return [{"type": "retention", "title": f"Exit rates by {g}", "group": g,
                 "exited": by["exited"][0], **extra, **_ids(by)} for g in groups]
    _need(bool(groups and by["date"] and stages), kind)
    date = by["date"][0]
    return [{"type": "monitor", "title": f"Hiring funnel over time by {g}", "period": date,
             "freq": _freq(frame, date), "group": g, "stages": stages} for g in groups]


def build_config(
    roles: Mapping[str, str],
    analyses: Sequence[str],
    frame: pd.DataFrame,
    *,
    title: str = "Hiring audit",
    organization: str = "",
    min_cell: int | None = None,
    unknown_labels: Sequence[str] = (),
    blank_means_no: bool = False,
    in_process: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """An audit config from the page's choices, and the page analysis of each entry;
    ``min_cell`` withholds counts below it in the report; ``unknown_labels`` are the group
    labels every analysis counts as unknown; ``blank_means_no`` reads a blank yes/no cell as
    no in every analysis; ``in_process`` are the values of the 'application status' column
    that mark an application still open, left out of the funnel analyses; ``settings``
    (``alpha``, ``threshold``, ``min_n``, and ``reference``: a label per group column) go to
    every analysis that takes them (:func:`_settings_for`)."""
    unknown = sorted(set(roles) - {str(c) for c in frame.columns})
    if unknown:
        raise CLIError(f"column(s) {unknown} are not in the uploaded file.", field="file")
    bad = sorted({r for r in roles.values() if r not in ROLES})
    if bad:
        raise CLIError(f"unknown role(s) {bad}; choose one of {sorted(ROLES)}.", field="roles")
    if not analyses:
        raise CLIError("choose at least one analysis.", field="analyses")
    by = {r: [c for c in frame.columns.astype(str) if roles.get(c) == r] for r in ROLES}
    _check_references((settings or {}).get("reference", {}), by["group"])
    still_open = in_process_option(by, in_process, frame)
    report: dict[str, Any] = {"title": title.strip() or "Hiring audit"}
    if organization.strip():
        report["organization"] = organization.strip()
    if min_cell is not None:
        report["min_cell"] = min_cell
    if by["date"] and (period := _period(frame, by["date"][0])):
        report["period"] = period
    entries, owners = [], []
    for kind in dict.fromkeys(analyses):
        if kind not in ANALYSES:
            raise CLIError(f"unknown analysis {kind!r}.", field="analyses")
        made = _analysis_entries(kind, by, frame)
        if unknown_labels:
            made = [{**entry, "unknown_labels": list(unknown_labels)} for entry in made]
        if blank_means_no:
            made = [{**entry, "blank_means_no": True} for entry in made]
        if still_open and kind in IN_PROCESS_USES:
            made = [{**entry, "in_process": still_open} for entry in made]
        made = [{**entry, **_settings_for(entry, settings or {})} for entry in made]
        entries += made
        owners += [kind] * len(made)
    return {"report": report, "analysis": entries}, owners


#: Analyses whose ``min_n`` is not the page's "minimum group size" (the smallest group that
#: can be the reference, 30 by default): LL144's is the DCWP rule's 1, the pay gap's (5) is
#: also the smallest group tested. They keep their own, as a config without min_n does.
OWN_MIN_N = ("ll144", "pay_gap")


def _settings_for(entry: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings the analysis of ``entry`` takes (an LL144 audit has no threshold and no
    reference: the law's is the highest rate); ``reference`` is the label chosen for the
    entry's group column, or for combined groups the labels of all their columns joined
    ("Male × White"; none unless every column has one)."""
    from ..workflow.config import analysis_function

    taken = inspect.signature(analysis_function(entry["type"])).parameters
    out = {k: v for k, v in settings.items() if v is not None and k in taken}
    if entry["type"] in OWN_MIN_N:
        out.pop("min_n", None)
    if "reference" in out:
        columns = entry["group"] if isinstance(entry["group"], list) else [entry["group"]]
        labels = [out["reference"].get(c) for c in columns]
        out.pop("reference")
        if all(labels):
            out["reference"] = GROUP_SEPARATOR.join(labels)
    return out


def _check_references(references: Mapping[str, str], groups: Sequence[str]) -> None:
    """A reference group is chosen for a column given the group role (else it would be
    ignored)."""
    for column in references:
        if column not in groups:
            raise CLIError(f"a reference group is chosen for column {column!r}, which does not "
                           "have the role 'group': give it that role, or leave its reference "
                           "group at the default.", field=f"reference:{column}")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):  # an inline table: in_process = { Status = ["Active"] }
        return "{ " + ", ".join(f"{_bare_key(str(k))} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in text)
    return f'"{text}"'


def config_toml(config: Mapping[str, Any], data_path: str = "YOUR-EXPORT.csv") -> str:
    """The config as TOML for ``fairhire audit`` (with a data path to fill in).

    Examples
    --------
    >>> print(config_toml({"report": {"title": "Q1"}, "analysis": [{"type": "pay_gap",
    ...                    "pay": "salary", "group": "sex", "controls": []}]}))
    [report]
    title = "Q1"
    <BLANKLINE>
    [data.upload]
    path = "YOUR-EXPORT.csv"
    <BLANKLINE>
    [[analysis]]
    type = "pay_gap"
    pay = "salary"
    group = "sex"
    controls = []
    """
    lines = ["[report]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in config.get("report", {}).items()]
    lines += ["", "[data.upload]", f"path = {_toml_value(data_path)}"]
    for entry in config["analysis"]:
        lines += ["", "[[analysis]]"]
        lines += [f"{_bare_key(k)} = {_toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines)


def _bare_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)
