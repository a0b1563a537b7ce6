"""``fairhire scan``: job ads -> one summary row per ad, and the findings of each.

Every ad gets a summary row with its status, even when it has no findings or could not be
read, so "3 files in, 3 rows out" always holds. The summary carries the structural checks (pay
range, equal-opportunity and accommodation statements); the findings list gives each coded
term once, under its ad, with the suggestion and the source.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._core.labels import plain_value
from .._core.missing import is_missing
from .._core.text import format_count, format_counted
from ..errors import preview
from ..language.markup import HTML_NOTE
from ..workflow.errors import CLIError
from ..workflow.options import choice, report_formats
from ..workflow.reading import TABLE_SUFFIXES, read_table, read_text
from .output import csv_text, note, write_csv, write_report

NAME = "scan"
HELP = "scan job ads for coded language and missing statements"
EXAMPLE = "fairhire scan ads/ --format csv --output ads.csv --findings findings.csv"
REPORT_TITLE = "Job description scan"
FLAGS = {"lexicon": "--lexicon"}

_SEVERITY = {"high": 0, "medium": 1, "low": 2}
TEXT_SUFFIXES = ("*.txt", "*.md", "*.text", "*.docx")


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="text or Word (.docx) files, folders of .txt/.md/.docx files, glob "
                   "patterns, '-' for "
                   "standard input, or one CSV/Parquet/Excel file with --column")
    p.add_argument("--column", metavar="COLUMN",
                   help="the column holding the ad text, when FILE is a table")
    p.add_argument("--id-column", metavar="COLUMN",
                   help="with --column: the column naming each ad (default: the row number)")
    p.add_argument("--lexicon", default="default", metavar="NAME",
                   help="word lists: default, gender-decoder (Gender Decoder's lists and "
                   "labels), or a lexicon TOML file (default: default)")
    p.add_argument("--html", action=argparse.BooleanOptionalAction, default=None,
                   help="read the ads as HTML (tags and scripts left out), or with --no-html "
                   "as written (default: an ad with two or more block tags, <p>, <li> ..., "
                   "is read as HTML)")
    p.add_argument("--format", type=choice("format", ["table", "csv", "json"]),
                   default="table", metavar="{table,csv,json}",
                   help="output: table (readable, the default), csv (one row per ad) or json "
                   "(one object per ad, with its findings)")
    p.add_argument("--output", metavar="FILE",
                   help="write to FILE instead of the screen ('-': the screen)")
    p.add_argument("--findings", metavar="FILE",
                   help="also write every finding, one row each, to this CSV file")
    p.add_argument("--sep", metavar="CHAR", help="CSV separator (default: detected)")
    p.add_argument("--sheet", metavar="NAME", help="Excel sheet (default: the first)")
    g = p.add_argument_group("report (optional)")
    g.add_argument("--report", metavar="DIR",
                   help="also write an audit report into DIR: a section for each ad")
    # --format already names the console output here, so the report's formats get their own
    g.add_argument("--report-format", default="html,md,json", type=report_formats,
                   metavar="LIST", help="report formats, comma-separated: html, md, json "
                   "(default: all three)")
    g.add_argument("--title", help=f"report title (default: {REPORT_TITLE})")
    g.add_argument("--organization", help="organization named on the report's cover")


@dataclass
class Ad:
    """One ad to scan: its name, its text (None when unreadable) and why it was not scanned."""

    name: str
    text: str | None
    status: str = "ok"
    scan: Any = None


def _is_table(path: str) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES and Path(path).suffix.lower() != ".txt"


def _from_table(args: argparse.Namespace) -> list[Ad]:
    if len(args.files) != 1 or not _is_table(args.files[0]):
        raise CLIError("--column reads one CSV, Parquet or Excel file; give exactly one.")
    columns = [args.column, *([args.id_column] if args.id_column else [])]
    table = read_table(args.files[0], columns=columns, sheet=args.sheet, sep=args.sep)
    names = _ad_names(table, args.id_column)
    return [
        Ad(f"{args.files[0]} [{name}]", text) if isinstance(text, str)
        else Ad(f"{args.files[0]} [{name}]", None, "no text")
        for name, text in zip(names, table[args.column].tolist(), strict=True)
    ]


def _ad_names(table: pd.DataFrame, id_column: str | None) -> list[str]:
    """Each row's name: its ``--id-column`` value, or its row number (1 = the first ad) where
    that is blank; a value two rows share gets the row number too, so every ad is told apart.

    >>> _ad_names(pd.DataFrame({"id": ["R-1", "R-2", None, "R-2"]}), "id")
    ['R-1', 'R-2 (row 2)', 'row 3', 'R-2 (row 4)']
    """
    rows = [f"row {i}" for i in range(1, len(table) + 1)]
    if id_column is None:
        return [r.removeprefix("row ") for r in rows]
    ids = [None if is_missing(v) else str(plain_value(v)) for v in table[id_column].tolist()]
    repeated = {v for v in ids if v is not None and ids.count(v) > 1}
    blank, shared = ids.count(None), len([v for v in ids if v in repeated])
    if blank or shared:
        note(f"--id-column {id_column!r}: "
             + "; ".join(part for part in (
                 f"{format_counted(blank, 'ad', 'ads')} without an id, named by the row number"
                 if blank else "",
                 f"{format_counted(shared, 'ad', 'ads')} sharing an id ({preview(sorted(repeated))}), "
                 "named with the row number added" if shared else "") if part) + ".",
             kind="warning")
    return [row if v is None else f"{v} ({row})" if v in repeated else v
            for v, row in zip(ids, rows, strict=True)]


def _read_ad(path: Path, name: str, *, strict: bool) -> Ad:
    try:
        return Ad(name, read_text(path, name=name))
    except CLIError as exc:
        if strict:
            raise
        reason = "not a text file" if "not a text file" in str(exc) else str(exc)
        return Ad(name, None, f"unreadable: {reason}")


def _paths(pattern: str) -> list[Path]:
    found = sorted(glob.glob(pattern))
    if found:
        return [Path(p) for p in found]
    raise CLIError(f"file not found: {pattern}. Check the path (relative to where you run it).")


def collect_ads(args: argparse.Namespace) -> list[Ad]:
    """Every ad the arguments name, in order; unreadable files keep a row with their status."""
    if args.column:
        return _from_table(args)
    tables = [f for f in args.files if _is_table(f)]
    if tables:
        raise CLIError(
            f"{tables[0]} is a table: name the column that holds the ad text with "
            "--column COLUMN (or give .txt files or a folder of them)."
        )
    single = len(args.files) == 1
    ads: list[Ad] = []
    for pattern in args.files:
        if pattern == "-":
            ads.append(Ad("<stdin>", sys.stdin.read()))
            continue
        for path in _paths(pattern):
            if path.is_dir():
                children = sorted({c for g in TEXT_SUFFIXES for c in path.glob(g)
                                   if not c.name.startswith("~$")})  # Office lock files
                ads += [_read_ad(c, str(c), strict=False) for c in children]
            else:
                ads.append(_read_ad(path, str(path), strict=single and "*" not in pattern))
    if not ads:
        raise CLIError("no job-ad texts found: pass .txt/.md files, a folder of them, or a "
                       "table with --column.")
    return ads


def _pay(checks: Any) -> str:
    if checks.salary_range:
        return "range"
    return "single figure" if checks.salary_stated else "not stated"


def summary_row(ad: Ad) -> dict[str, Any]:
    """The summary of one ad: status, label, size, findings and structural checks."""
    row: dict[str, Any] = {"ad": ad.name, "status": ad.status}
    if ad.scan is None:
        return row
    s, c = ad.scan, ad.scan.checks
    row.update(
        label=s.label, words=s.word_count, findings=len(s.findings),
        high=sum(f.severity == "high" for f in s.findings), pay_range=_pay(c),
        eeo_statement="yes" if c.eeo_statement else "no",
        accommodation_statement="yes" if c.accommodation_statement else "no",
        terms="; ".join(dict.fromkeys(f.term.lower() for f in _ordered(s.findings))),
    )
    return row


def _ordered(findings: Any) -> list[Any]:
    return sorted(findings, key=lambda f: (_SEVERITY.get(f.severity, 3), f.start))


def finding_rows(ad: Ad) -> list[dict[str, Any]]:
    """One row per finding of an ad, most severe first."""
    if ad.scan is None:
        return []
    return [
        {"ad": ad.name, "severity": f.severity, "term": f.term, "category": f.category,
         "start": f.start, "end": f.end, "suggestion": "; ".join(f.suggestions) or "",
         "source": f.source or "", "rule": f.rule}
        for f in _ordered(ad.scan.findings)
    ]


def summary_frame(ads: list[Ad]) -> pd.DataFrame:
    """One row per ad; counts stay whole numbers where an ad was not scanned."""
    frame = pd.DataFrame([summary_row(a) for a in ads])
    for col in ("words", "findings", "high"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def _plural(n: int, word: str) -> str:
    return f"{format_count(n)} {word}{'' if n == 1 else 's'}"


def _json(ads: list[Ad]) -> str:
    out = []
    for ad in ads:
        item = summary_row(ad)
        if ad.scan is not None:
            item["checks"] = ad.scan.checks.to_dict()
            item["findings"] = [{k: v for k, v in r.items() if k != "ad"}
                                for r in finding_rows(ad)]
        out.append(item)
    return json.dumps(out, indent=2, ensure_ascii=False, default=str)


def _table(ads: list[Ad]) -> str:
    summary = summary_frame(ads).drop(columns="terms", errors="ignore")
    for col in ("words", "findings", "high"):
        if col in summary:
            summary[col] = summary[col].map(lambda v: "" if pd.isna(v) else format_count(v))
    summary = summary.fillna("").rename(columns=lambda c: c.replace("_", " "))
    parts = [summary.to_string(index=False)]
    for ad in ads:
        rows = finding_rows(ad)
        if not rows:
            continue
        s = ad.scan
        parts.append(f"\n{ad.name}: {s.label}, {_plural(s.word_count, 'word')}, "
                     f"{_plural(len(rows), 'finding')}")
        frame = pd.DataFrame(rows).drop(columns=["ad", "end", "rule"])
        frame = frame.rename(columns={"start": "at"})
        parts.append(frame.to_string(index=False))
    return "\n".join(parts)


def _tally(ads: list[Ad]) -> str:
    scanned = [a for a in ads if a.scan is not None]
    with_findings = sum(bool(a.scan.findings) for a in scanned)
    skipped = len(ads) - len(scanned)
    text = f"{_plural(len(ads), 'ad')} ({format_count(with_findings)} with findings"
    return text + (f", {format_count(skipped)} not scanned)" if skipped else ")")


def _write_report(ads: list[Ad], args: argparse.Namespace) -> None:
    """One section per scanned ad; the ads not scanned are named in the first section's notes,
    so the report accounts for every ad given, as the summary rows do."""
    import fairhire as fh

    report = fh.Report(title=args.title or REPORT_TITLE, organization=args.organization or None)
    skipped = [f"{ad.name}: {ad.status}" for ad in ads if ad.scan is None]
    if len(skipped) == len(ads):
        raise CLIError(f"no ad has text to scan ({'; '.join(skipped)}), so there is no report "
                       "to write: give ads with text.")
    notes = [f"{_plural(len(skipped), 'ad')} given but not scanned: {'; '.join(skipped)}."] \
        if skipped else None
    for ad in ads:
        if ad.scan is not None:
            report.add(ad.scan, title=ad.name, notes=notes)
            notes = None
    for path in write_report(report, Path(args.report), args.report_format):
        print(f"wrote {path}")


def _lexicon(name: str) -> Any:
    import fairhire as fh

    try:
        return fh.load_lexicon(name)
    except fh.FairhireError as exc:
        raise CLIError(str(exc).replace("lexicon=", "--lexicon ")) from None


def _html_note(html: list[Ad]) -> None:
    """One note for the ads read as HTML (a table of 5,000 exported descriptions: one line)."""
    if not html:
        return
    which = html[0].name if len(html) == 1 else f"{len(html):,} ads (e.g. {html[0].name})"
    note(f"{which}: read as HTML, the text it shows (tags and scripts left out); offsets refer "
         "to that text. --no-html scans the markup as written.")


def run(args: argparse.Namespace) -> int:
    import fairhire as fh

    lexicon = _lexicon(args.lexicon)
    ads = collect_ads(args)
    for ad in ads:
        if ad.text is not None and not ad.text.strip():
            ad.status = "no text"
        elif ad.text is not None:
            ad.scan = fh.scan_job_description(ad.text, lexicon=lexicon, html=args.html)
    _html_note([ad for ad in ads if ad.scan is not None and HTML_NOTE in ad.scan.warnings])
    if all(ad.scan is None for ad in ads) and any(ad.status.startswith("unreadable") for ad in ads):
        raise CLIError(f"no ad could be read ({ads[0].name}: {ads[0].status}).")
    for ad in ads:
        if ad.status != "ok":
            note(f"{ad.name}: {ad.status}", kind="warning")
    writers = {"json": _json, "csv": lambda a: csv_text(summary_frame(a)), "table": _table}
    text = writers[args.format](ads)
    if args.findings:
        rows = [r for ad in ads for r in finding_rows(ad)]
        columns = ["ad", "severity", "term", "category", "start", "end", "suggestion", "source",
                   "rule"]
        write_csv(pd.DataFrame(rows, columns=columns), args.findings)
        print(f"wrote {_plural(len(rows), 'finding')} to {args.findings}")
    if args.output and args.output != "-":  # '-' is the screen, as for the ads read
        Path(args.output).write_text(text, encoding="utf-8-sig" if args.format == "csv"
                                     else "utf-8")
        print(f"wrote {_tally(ads)} to {args.output}")
    else:
        print(text)
    if args.report:
        _write_report(ads, args)
    return 0
