"""The ``fairhire`` command: run an audit on CSV/Parquet/Excel exports without writing Python.

Errors print one clear message and exit with status 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import glob
import inspect
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import FairhireError, InvalidParameterError, InvalidValueError

__all__ = ["main"]

EXIT_USAGE = 2


class CLIError(FairhireError):
    """A usage or input problem reported by the command line."""


# --------------------------------------------------------------------------------------------
# reading data


def read_table(path: str | Path, *, columns: Sequence[str] = (), sheet: str | None = None):
    """Read CSV, Parquet or Excel; check that ``columns`` exist before reading everything."""
    path = Path(path)
    if not path.exists():
        raise CLIError(f"file not found: {path}. Check the path (relative to where you run it).")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        sep = "\t" if suffix == ".tsv" else ","
        header = pd.read_csv(path, nrows=0, sep=sep).columns
        _check_columns(path, header, columns)
        return pd.read_csv(path, sep=sep)
    if suffix in {".parquet", ".pq"}:
        import pyarrow.parquet as pq

        header = pq.read_schema(path).names
        _check_columns(path, header, columns)
        return pd.read_parquet(path)
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise CLIError(
                f"{path} is an Excel file and reading it needs openpyxl: "
                "pip install 'fairhire[excel]' (or save the sheet as CSV)."
            ) from None
        frame = pd.read_excel(path, sheet_name=sheet or 0)
        _check_columns(path, frame.columns, columns)
        return frame
    raise CLIError(f"{path}: unsupported file type {suffix!r}; use .csv, .parquet or .xlsx.")


def _check_columns(path: Path, header: Sequence[str], columns: Sequence[str]) -> None:
    from .errors import missing_column_error

    missing = [c for c in columns if c and c not in set(header)]
    if missing:
        err = missing_column_error(missing, list(header))
        raise CLIError(f"{path}: {err}")


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, disable=not sys.stderr.isatty(), leave=False)


# --------------------------------------------------------------------------------------------
# writing reports


FORMATS = {"html": "to_html", "md": "to_markdown", "markdown": "to_markdown", "json": "to_json"}


def _formats(value: str | Sequence[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [i.strip().lower() for i in items if i.strip()]
    bad = [i for i in items if i not in FORMATS]
    if bad:
        raise CLIError(f"unknown report format {bad}; allowed: html, md, json.")
    return items


def write_report(report: Any, out: Path, formats: Sequence[str], stem: str = "audit") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        ext = "md" if fmt in {"md", "markdown"} else fmt
        paths.append(Path(getattr(report, FORMATS[fmt])(out / f"{stem}.{ext}")))
    return paths


def _single_report(result: Any, args: argparse.Namespace, title: str) -> None:
    print(result.summary())
    if getattr(args, "report", None):
        import fairhire as fh

        report = fh.Report(title=args.title or title, organization=args.organization or "")
        report.add(result)
        for path in write_report(report, Path(args.report), _formats(args.format)):
            print(f"wrote {path}")


# --------------------------------------------------------------------------------------------
# subcommands


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo_report

    report = build_demo_report()
    for path in write_report(report, Path(args.out), _formats(args.format)):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [*args.group, *(args.stages or []), *(args.strata or [])]
    if args.stage_column:
        needed.append(args.stage_column)
    data = read_table(args.data, columns=needed)
    result = fh.adverse_impact(
        data,
        group=args.group,
        stages=args.stages,
        stage_column=args.stage_column,
        stage_order=args.stage_order,
        strata=args.strata,
        reference=args.reference,
        min_share=args.min_share,
        cumulative=args.cumulative,
        on_inconsistent=args.on_inconsistent,
    )
    _single_report(result, args, "Adverse impact analysis")
    return 0


def cmd_ll144(args: argparse.Namespace) -> int:
    import fairhire as fh

    if (args.selected is None) == (args.score is None):
        raise CLIError("give exactly one of --selected COLUMN or --score COLUMN.")
    needed = [args.sex, args.race, args.selected or args.score]
    data = read_table(args.data, columns=needed)
    result = fh.ll144_audit(
        data,
        sex=args.sex,
        race=args.race,
        selected=args.selected,
        score=args.score,
        min_share=args.exclude_under,
    )
    _single_report(result, args, "NYC Local Law 144 bias audit")
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [args.pay, args.group, *(args.controls or []), *(args.within or [])]
    data = read_table(args.data, columns=needed)
    result = fh.pay_gap(
        data,
        pay=args.pay,
        group=args.group,
        controls=args.controls or (),
        within=args.within,
        cov_type=args.cov_type,
    )
    _single_report(result, args, "Pay gap analysis")
    return 0


def cmd_promotion(args: argparse.Namespace) -> int:
    import fairhire as fh

    needed = [args.group, args.promoted, *([args.level] if args.level else [])]
    data = read_table(args.data, columns=needed)
    result = fh.promotion_disparity(
        data, group=args.group, promoted=args.promoted, level=args.level
    )
    _single_report(result, args, "Promotion analysis")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    import fairhire as fh

    texts: list[str] = []
    ids: list[str] = []
    if args.column:
        if len(args.files) != 1:
            raise CLIError("--column reads one CSV/Parquet file; give exactly one file.")
        table = read_table(args.files[0], columns=[args.column])
        texts = table[args.column].tolist()
        ids = [str(i) for i in table.index]
    else:
        paths = [Path(p) for pattern in args.files for p in sorted(glob.glob(pattern))] or [
            Path(p) for p in args.files
        ]
        for path in paths:
            if path.is_dir():
                for child in sorted(path.glob("*.txt")) + sorted(path.glob("*.md")):
                    texts.append(child.read_text(encoding="utf-8"))
                    ids.append(str(child))
            elif path.exists():
                texts.append(path.read_text(encoding="utf-8"))
                ids.append(str(path))
            else:
                raise CLIError(f"file not found: {path}.")
    if not texts:
        raise CLIError("no job-ad texts found: pass .txt files, a folder, or --column.")
    rows = []
    progress = _progress(len(texts), "scanning")
    for ad_id, text in zip(ids, texts, strict=True):
        if not isinstance(text, str):
            rows.append({"ad": ad_id, "category": "error", "term": "", "start": None,
                         "end": None, "severity": "", "suggestion": "not a text"})  # fmt: skip
            progress.update()
            continue
        scan = fh.scan_job_description(text, lexicon=args.lexicon)
        for f in scan.findings:
            rows.append(
                {"ad": ad_id, "label": scan.label, "category": f.category, "term": f.term,
                 "start": f.start, "end": f.end, "severity": f.severity,
                 "suggestion": _suggestion(f.suggestion), "rule": f.rule}
            )  # fmt: skip
        progress.update()
    progress.close()
    table = pd.DataFrame(rows)
    if args.format == "json":
        text = json.dumps(rows, indent=2, ensure_ascii=False)
    elif args.format == "csv":
        from .report.safe import csv_safe_frame

        text = csv_safe_frame(table).to_csv(index=False)
    else:
        text = table.to_string(index=False) if len(table) else "no findings"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} findings from {len(texts)} texts to {args.output}")
    else:
        print(text)
    return 0


def _suggestion(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    return str(value)


# --------------------------------------------------------------------------------------------
# audit from a TOML config

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
    "job_description": "scan_job_description",
}
REPORT_KEYS = {"title", "organization", "period", "author", "formats", "output", "min_cell"}
DATA_KEYS = {"path", "dataset", "options", "columns", "sheet"}
ANALYSIS_KEYS = {"type", "data", "title", "notes", "path", "text"}
DATASETS = {"make_hiring_funnel", "make_workforce", "load_ucb_admissions", "load_job_ads"}


def _unknown_keys(where: str, given: dict, allowed: set[str]) -> None:
    bad = sorted(set(given) - allowed)
    if bad:
        raise CLIError(f"unknown key(s) {bad} in {where}; allowed keys: {sorted(allowed)}.")


def _type_check(where: str, key: str, value: Any, types: tuple[type, ...], hint: str) -> None:
    if not isinstance(value, types):
        raise CLIError(f"{where}.{key} must be {hint}; got {value!r}.")


def load_config(path: str | Path) -> dict[str, Any]:
    """Read and validate an audit config (TOML); see the CLI reference for every key."""
    path = Path(path)
    if not path.exists():
        raise CLIError(f"config file not found: {path}.")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"{path} is not valid TOML: {exc}.") from None
    _unknown_keys("the config", config, {"report", "data", "analysis"})
    report = config.get("report", {})
    _type_check("config", "report", report, (dict,), "a table ([report])")
    _unknown_keys("[report]", report, REPORT_KEYS)
    for key in ("title", "organization", "period", "author", "output"):
        if key in report:
            _type_check("report", key, report[key], (str,), "a string")
    if "formats" in report:
        _type_check("report", "formats", report["formats"], (list,), 'a list like ["html"]')
        _formats(report["formats"])
    if "min_cell" in report:
        _type_check("report", "min_cell", report["min_cell"], (int,), "a whole number")
    data = config.get("data", {})
    _type_check("config", "data", data, (dict,), "a table of named inputs ([data.NAME])")
    for name, spec in data.items():
        where = f"[data.{name}]"
        _type_check("data", name, spec, (dict,), "a table with path= or dataset=")
        _unknown_keys(where, spec, DATA_KEYS)
        if ("path" in spec) == ("dataset" in spec):
            raise CLIError(f"{where} needs exactly one of path= (a file) or dataset= (bundled).")
        if "dataset" in spec and spec["dataset"] not in DATASETS:
            raise CLIError(
                f"{where}.dataset = {spec['dataset']!r}; allowed values: {sorted(DATASETS)}."
            )
        if "columns" in spec:
            _type_check(where, "columns", spec["columns"], (dict,), "a table old = new")
    analyses = config.get("analysis", [])
    _type_check("config", "analysis", analyses, (list,), "an array of tables ([[analysis]])")
    if not analyses:
        raise CLIError(f"{path} has no [[analysis]] entries: nothing to run.")
    for i, spec in enumerate(analyses, start=1):
        where = f"[[analysis]] #{i}"
        if spec.get("type") not in ANALYSES:
            raise CLIError(
                f"{where}: type = {spec.get('type')!r}; allowed values: {sorted(ANALYSES)}."
            )
        if spec["type"] != "job_description":
            if spec.get("data") not in data:
                raise CLIError(
                    f"{where}: data = {spec.get('data')!r} is not one of the inputs defined "
                    f"in [data.*]: {sorted(data)}."
                )
    config["_base"] = path.parent
    return config


def _load_input(name: str, spec: dict, base: Path) -> pd.DataFrame:
    import fairhire as fh

    if "dataset" in spec:
        frame = getattr(fh.datasets, spec["dataset"])(**spec.get("options", {}))
    else:
        file = Path(spec["path"])
        frame = read_table(file if file.is_absolute() else base / file, sheet=spec.get("sheet"))
    if "columns" in spec:
        frame = frame.rename(columns=spec["columns"])
    return frame


def _call(func: Callable[..., Any], where: str, data: Any, kwargs: dict[str, Any]) -> Any:
    params = inspect.signature(func).parameters
    allowed = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    bad = sorted(set(kwargs) - allowed)
    if bad:
        raise CLIError(f"{where}: unknown option(s) {bad}; allowed: {sorted(allowed)}.")
    return func(data, **kwargs)


def run_audit(config: dict[str, Any], *, out: Path | None = None) -> list[Path]:
    """Run every analysis a validated config describes and write the report."""
    import fairhire as fh

    base: Path = config["_base"]
    rep = config.get("report", {})
    report = fh.Report(
        title=rep.get("title", "Hiring audit"),
        organization=rep.get("organization", ""),
        period=rep.get("period"),
        author=rep.get("author"),
        min_cell=rep.get("min_cell"),
    )
    inputs = {name: _load_input(name, spec, base) for name, spec in config.get("data", {}).items()}
    analyses = config["analysis"]
    progress = _progress(len(analyses), "analyses")
    for i, spec in enumerate(analyses, start=1):
        where = f"[[analysis]] #{i} ({spec['type']})"
        func = getattr(fh, ANALYSES[spec["type"]])
        kwargs = {k: v for k, v in spec.items() if k not in ANALYSIS_KEYS}
        if spec["type"] == "job_description":
            texts = _job_texts(spec, base, where)
            for title, text in texts:
                report.add(_call(func, where, text, kwargs), title=title)
        else:
            result = _call(func, where, inputs[spec["data"]], kwargs)
            notes = spec.get("notes")
            report.add(result, title=spec.get("title"), notes=notes)
        progress.update()
    progress.close()
    folder = out or (base / rep.get("output", "reports/audit"))
    return write_report(report, Path(folder), _formats(rep.get("formats", ["html", "md", "json"])))


def _job_texts(spec: dict, base: Path, where: str) -> list[tuple[str, str]]:
    if "text" in spec:
        return [(spec.get("title", "Job advertisement"), spec["text"])]
    if "path" not in spec:
        raise CLIError(f"{where}: give path = 'ads/*.txt' (files) or text = '...'.")
    pattern = spec["path"]
    paths = sorted(glob.glob(str(base / pattern))) or sorted(glob.glob(pattern))
    if not paths:
        raise CLIError(f"{where}: no files match {pattern!r}.")
    return [(f"Job ad: {Path(p).stem}", Path(p).read_text(encoding="utf-8")) for p in paths]


def cmd_audit(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    for path in run_audit(config, out=Path(args.out) if args.out else None):
        print(f"wrote {path}")
    return 0


# --------------------------------------------------------------------------------------------
# parser

EPILOG = """examples:
  fairhire demo --out reports/demo
  fairhire audit examples/audit.toml
  fairhire impact applicants.csv --group sex --stages screened interviewed offered hired
  fairhire ll144 applicants.csv --sex sex --race race --selected advanced --exclude-under 0.02
  fairhire pay employees.csv --pay salary --group sex --controls level job_family tenure_years
  fairhire promotion employees.csv --group sex --promoted promoted --level level
  fairhire scan ads/ --format csv --output findings.csv
"""


def _report_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("report (optional)")
    g.add_argument("--report", metavar="DIR", help="also write a report into DIR")
    g.add_argument("--format", default="html,md,json", help="report formats (default: all)")
    g.add_argument("--title", help="report title")
    g.add_argument("--organization", help="organization named on the cover")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairhire",
        description="Audit a hiring process for bias: job ads, funnel adverse impact, NYC "
        "LL144, pay and promotion equity, audit reports.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fairhire {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=help_, description=help_, epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        p.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        return p

    p = add("demo", "write the full demo audit of the bundled synthetic company",
            "fairhire demo --out reports/demo")  # fmt: skip
    p.add_argument("--out", default="reports/demo", help="output folder")
    p.add_argument("--format", default="html,md,json", help="report formats (default: all)")
    p.set_defaults(func=cmd_demo)

    p = add("audit", "run the whole audit a TOML config describes",
            "fairhire audit examples/audit.toml")  # fmt: skip
    p.add_argument("config", help="the audit config (TOML)")
    p.add_argument("--out", help="output folder (overrides [report].output)")
    p.set_defaults(func=cmd_audit)

    p = add("scan", "scan job ads for coded language",
            "fairhire scan ads/*.txt --format csv --output findings.csv")  # fmt: skip
    p.add_argument("files", nargs="+", help="text files, folders or a CSV with --column")
    p.add_argument("--column", help="the text column of a CSV/Parquet file")
    p.add_argument("--lexicon", default="default", help="default, gender-decoder or a TOML path")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--output", help="write to this file instead of the screen")
    p.set_defaults(func=cmd_scan)

    p = add(
        "impact",
        "adverse impact at every stage of a hiring funnel",
        "fairhire impact applicants.csv --group sex --stages screened interviewed hired",
    )
    p.add_argument("data", help="CSV, Parquet or Excel file, one row per applicant")
    p.add_argument("--group", nargs="+", required=True, help="group column(s)")
    p.add_argument("--stages", nargs="+", help="boolean stage columns in funnel order")
    p.add_argument("--stage-column", help="column with the furthest stage reached")
    p.add_argument("--stage-order", nargs="+", help="stages in order, entry stage first")
    p.add_argument("--strata", nargs="+", help="stratify by these columns (e.g. requisition)")
    p.add_argument("--reference", help="fixed reference group")
    p.add_argument("--min-share", type=float, help="exclude groups below this share (0.02)")
    p.add_argument("--cumulative", action="store_true", help="rates against all applicants")
    p.add_argument("--on-inconsistent", choices=["raise", "exclude"], default="raise")
    _report_args(p)
    p.set_defaults(func=cmd_impact)

    p = add(
        "ll144",
        "NYC Local Law 144 bias audit of an automated employment decision tool",
        "fairhire ll144 applicants.csv --sex sex --race race --selected advanced",
    )
    p.add_argument("data", help="CSV, Parquet or Excel file, one row per individual")
    p.add_argument("--sex", required=True)
    p.add_argument("--race", required=True)
    p.add_argument("--selected", help="boolean column: moved forward / selected")
    p.add_argument("--score", help="numeric score column (scoring-rate audit)")
    p.add_argument("--exclude-under", type=float, help="exclude categories under this share")
    _report_args(p)
    p.set_defaults(func=cmd_ll144)

    p = add(
        "pay",
        "raw and adjusted pay gaps",
        "fairhire pay employees.csv --pay salary --group sex --controls level tenure_years",
    )
    p.add_argument("data", help="CSV, Parquet or Excel file, one row per employee")
    p.add_argument("--pay", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--controls", nargs="+", help="legitimate pay factors")
    p.add_argument("--within", nargs="+", help="pay-analysis grouping column(s)")
    p.add_argument("--cov-type", default="HC3", choices=["nonrobust", "HC1", "HC3"])
    _report_args(p)
    p.set_defaults(func=cmd_pay)

    p = add(
        "promotion",
        "promotion rates by group, within levels",
        "fairhire promotion employees.csv --group sex --promoted promoted --level level",
    )
    p.add_argument("data", help="CSV, Parquet or Excel file, one row per employee")
    p.add_argument("--group", required=True)
    p.add_argument("--promoted", required=True)
    p.add_argument("--level")
    _report_args(p)
    p.set_defaults(func=cmd_promotion)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fairhire`` console script.

    Examples
    --------
    >>> main(["--version"])  # doctest: +SKIP
    fairhire 0.1.0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0
    except (FairhireError, InvalidParameterError, InvalidValueError, OSError) as exc:
        if args.debug:
            raise
        print(f"fairhire: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover
        print("fairhire: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
