"""Scan a folder of job ads for coded language and write the findings to CSV.

Usage:
    python examples/scan_job_ads.py                 # the six ads bundled with fairhire
    python examples/scan_job_ads.py path/to/ads     # every .txt / .md / .docx file in a folder
    python examples/scan_job_ads.py path/to/ads --lexicon gender-decoder

Writes, next to this script under examples/output/:
    job_ad_findings.csv   one row per flagged word or phrase (ad, line, term, category,
                          severity, suggestions, source, rule)
    job_ad_summary.csv    one row per ad (label, counts per category, structural checks)
    job_ad_rewrites/      each ad with the one-to-one replacements applied (chairman -> chair)

CSV cells are neutralised against spreadsheet formulas: a cell starting with = + - or @ gets a
leading single quote, so opening the file in Excel cannot run anything hidden in an ad.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd

import fairhire as fh
from fairhire.report.safe import csv_safe_frame
from fairhire.workflow.reading import read_text

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "output"


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with a single quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def load_ads(folder: Path | None) -> pd.DataFrame:
    if folder is None:
        return fh.datasets.load_job_ads()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md", ".docx")
                   and not p.name.startswith("~$"))  # Word's lock files
    if not files:
        raise SystemExit(f"no .txt, .md or .docx files in {folder}")
    rows = []
    for path in files:
        text = read_text(path)  # a Word document's text; other files as UTF-8 (or Windows-1252)
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        rows.append((path.stem, title, text))
    return pd.DataFrame(rows, columns=["ad_id", "title", "text"])


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    csv_safe_frame(frame).to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Scan job ads for coded language.")
    parser.add_argument("folder", nargs="?", type=Path, help="folder of .txt/.md/.docx job ads")
    parser.add_argument("--lexicon", default="default",
                        help="'default', 'gender-decoder' or a path to a TOML lexicon")
    args = parser.parse_args(argv)

    ads = load_ads(args.folder)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    rewrites = OUTPUT / "job_ad_rewrites"
    rewrites.mkdir(exist_ok=True)

    findings = []
    for ad in ads.itertuples(index=False):
        scan = fh.scan_job_description(ad.text, lexicon=args.lexicon)
        for f in scan.findings:
            findings.append({
                "ad_id": ad.ad_id,
                "line": ad.text.count("\n", 0, f.start) + 1,
                "term": f.term,
                "category": f.category,
                "severity": f.severity,
                "suggestions": "; ".join(f.suggestions),
                "replacement": f.replacement,
                "source": f.source,
                "rule": f.rule,
                "start": f.start,
                "end": f.end,
            })
        (rewrites / f"{ad.ad_id}.txt").write_text(scan.rewrite(), encoding="utf-8")
        print(f"{ad.ad_id:<28} {scan.label or '-':<26} {len(scan.findings):>3} findings; "
              + "; ".join(scan.checks.issues()[:2]))

    table = fh.scan_job_descriptions(ads, column="text", lexicon=args.lexicon)
    summary = pd.concat([ads[["ad_id", "title"]].reset_index(drop=True),
                         table.reset_index(drop=True)], axis=1)
    write_csv(pd.DataFrame(findings), OUTPUT / "job_ad_findings.csv")
    write_csv(summary, OUTPUT / "job_ad_summary.csv")

    print()
    by_category = (
        {k: int(v) for k, v in pd.DataFrame(findings).groupby("category").size().items()}
        if findings
        else {}
    )
    print("findings by category:", by_category)
    print(f"wrote {OUTPUT / 'job_ad_findings.csv'} ({len(findings)} rows), "
          f"{OUTPUT / 'job_ad_summary.csv'} ({len(summary)} rows) and {rewrites}/")


if __name__ == "__main__":
    main()
