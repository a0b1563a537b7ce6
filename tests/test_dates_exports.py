"""Dates as HR systems export them, read by the one date rule (fairhire/_core/dates.py): the
12-hour clock of Excel and Workday ("7/23/2025 12:00:00 AM") and months in words ("13-May-2021",
"May 13, 2021") give the same analysis as the same dates in ISO 8601; two-digit years are
refused with their own reason."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire._core.dates import read_dates
from fairhire.cli import main
from fairhire.errors import InvalidValueError

KW = dict(group="Gender", hire_date="Hire Date", exit_date="Termination Date",
          cause="Termination Category", as_of="2025-12-31", min_n=1)


def _termination_report() -> pd.DataFrame:
    """A Workday-style termination report, dates in ISO 8601 (the exports are made from it)."""
    rng = np.random.default_rng(14)
    n = 160
    hired = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, n), unit="D")
    stay = pd.to_timedelta(rng.integers(30, 2000, n), unit="D")
    left = hired + stay
    gender = np.where(rng.random(n) < 0.5, "Female", "Male")
    left = left.where((left <= pd.Timestamp("2025-12-31")) & (rng.random(n) < 0.7))
    return pd.DataFrame({
        "Employee ID": [f"E{i:04d}" for i in range(n)],
        "Gender": gender,
        "Hire Date": hired.strftime("%Y-%m-%d"),
        "Termination Date": [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in left],
        "Termination Category": [None if pd.isna(d) else ("Voluntary" if i % 3 else
                                                          "Involuntary")
                                 for i, d in enumerate(left)],
    })


def _written(frame: pd.DataFrame, write) -> pd.DataFrame:
    out = frame.copy()
    for column in ("Hire Date", "Termination Date"):
        out[column] = [None if pd.isna(d) else write(pd.Timestamp(d)) for d in frame[column]]
    return out


def _workday(d: pd.Timestamp) -> str:  # 7/23/2025 12:00:00 AM: no leading zeros, 12-hour clock
    return f"{d.month}/{d.day}/{d.year} 12:00:00 AM"


def _same_analysis(got, expected) -> None:
    for frame in ("table", "curves", "causes", "incidence"):
        pd.testing.assert_frame_equal(getattr(got, frame), getattr(expected, frame))
    for field in ("logrank", "rows", "horizon", "reference_group", "fingerprint"):
        assert getattr(got, field) == getattr(expected, field), field


def test_workday_termination_report_reads_as_the_iso_dates_do():
    iso = _termination_report()
    expected = fh.time_to_exit(iso, **KW)
    got = fh.time_to_exit(_written(iso, _workday), **KW)
    _same_analysis(got, expected)
    assert ("column 'Termination Date' (exit_date) read as month/day/year (with times) dates."
            in got.warnings)
    assert [w for w in got.warnings if "read as" not in w] == list(expected.warnings)


@pytest.mark.parametrize("write", [
    lambda d: d.strftime("%d-%b-%Y"),             # 13-May-2021 (Oracle, SAP)
    lambda d: d.strftime("%d-%b-%Y").upper(),     # 13-MAY-2021
    lambda d: f"{d.day} {d.strftime('%B')} {d.year}",  # 13 May 2021, month in full
    lambda d: f"{d.strftime('%b')} {d.day}, {d.year}",  # May 13, 2021
    lambda d: f"{d.strftime('%B').lower()} {d.day}, {d.year}",  # may 13, 2021
])
def test_months_in_words_read_as_the_iso_dates_do(write):
    iso = _termination_report()
    got = fh.time_to_exit(_written(iso, write), **KW)
    _same_analysis(got, fh.time_to_exit(iso, **KW))
    assert any("(hire_date) read as" in w and "(month in words) dates." in w
               for w in got.warnings)


def test_twelve_hour_clock_kept_and_day_month_order_still_not_guessed():
    dates, note = read_dates(pd.Series(["7/23/2025 1:05 PM", "12/1/2025 12:30 AM", None]),
                             "at", argument="exit_date")
    assert dates.tolist()[:2] == [pd.Timestamp("2025-07-23 13:05"),
                                  pd.Timestamp("2025-12-01 00:30")]
    assert pd.isna(dates.iloc[2])
    assert note == "column 'at' (exit_date) read as month/day/year (with times) dates."
    # UK day first with the 12-hour clock
    dates, note = read_dates(pd.Series(["23/07/2025 12:00:00 AM"]), "at", argument="exit_date")
    assert dates.iloc[0] == pd.Timestamp("2025-07-23") and "day/month/year" in note
    # no day above 12: both orders read every value, so the column is refused, not guessed
    with pytest.raises(InvalidValueError, match=r"read both as day/month/year \(with times\) and "
                                                r"as month/day/year \(with times\).*above 12"):
        read_dates(pd.Series(["1/2/2025 12:00:00 AM", "3/4/2025 1:05:00 PM"]), "at",
                   argument="exit_date")


@pytest.mark.parametrize("short", ["13-May-21", "7/23/25", "23.07.25"])
def test_two_digit_years_refused_with_their_reason(short):
    frame = _termination_report()
    frame.loc[frame.index[:5], "Hire Date"] = short
    with pytest.raises(InvalidValueError, match=(
            rf"'Hire Date' \(hire_date\) holds values that are not dates: \['{short}'\] in 5 "
            rf"rows\. Dates such as \['{short}'\] have two-digit years.*1921.*four digits")):
        fh.time_to_exit(frame, **KW)


def test_command_line_reads_the_workday_report_as_the_iso_one(tmp_path, capsys):
    iso = _termination_report()
    sections, consoles = {}, {}
    for name, frame in (("iso", iso), ("workday", _written(iso, _workday))):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        assert main(["time-to-exit", str(tmp_path / f"{name}.csv"), "--group", "Gender",
                     "--hire-date", "Hire Date", "--exit-date", "Termination Date",
                     "--cause", "Termination Category", "--as-of", "2025-12-31",
                     "--min-n", "1", "--report", str(tmp_path / name), "--format",
                     "json"]) == 0
        out, err = capsys.readouterr()
        consoles[name] = (out, err)
        report = json.loads((tmp_path / name / "audit.json").read_text(encoding="utf-8"))
        sections[name] = report["sections"][0]
    assert "read as month/day/year (with times) dates" in "".join(consoles["workday"])
    assert sections["workday"]["fingerprint"] == sections["iso"]["fingerprint"]
    assert sections["workday"]["fingerprint"] == fh.time_to_exit(iso, **KW).fingerprint
    for key in ("headlines", "rows", "params"):
        assert sections["workday"][key] == sections["iso"][key], key
    result = {k: v for k, v in sections["iso"]["result"].items() if k != "warnings"}
    assert {k: v for k, v in sections["workday"]["result"].items() if k != "warnings"} == result
    # the console says the same, and how the dates were read
    def said(out: str) -> list[str]:
        return [line.replace("workday", "iso") for line in out.splitlines()
                if line.strip() and "read as" not in line and line != "Warnings:"]

    assert said(consoles["workday"][0]) == said(consoles["iso"][0])


def test_monitoring_periods_read_months_in_words_and_the_12_hour_clock():
    stages = ["screened", "interviewed", "offered", "hired"]
    df = fh.datasets.make_hiring_funnel(2_000, periods=3, random_state=1)
    expected = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=stages)
    for fmt in ("%d-%b-%Y", "%m/%d/%Y %I:%M:%S %p"):
        text = df.assign(applied_on=df.applied_on.dt.strftime(fmt))
        got = fh.monitor(text, period="applied_on", freq="Q", group="sex", stages=stages)
        pd.testing.assert_frame_equal(got.table, expected.table)
        assert any("'applied_on' (passed as period=) read as" in w for w in got.warnings)


def _sept(d: pd.Timestamp) -> str:  # "13 Sept 2021": September as some exports abbreviate it
    return f"{d.day} {'Sept' if d.month == 9 else d.strftime('%b')} {d.year}"


def test_sept_reads_as_september_wherever_dates_are_read():
    # "Sept" stopped every analysis with "holds values that are not dates" (e3dc064); the
    # one date rule now reads it, for exits' dates and monitoring's periods alike
    iso = _termination_report()
    written = _written(iso, _sept)
    assert written["Hire Date"].str.contains("Sept").any()
    _same_analysis(fh.time_to_exit(written, **KW), fh.time_to_exit(iso, **KW))
    stages = ["screened", "interviewed", "offered", "hired"]
    df = fh.datasets.make_hiring_funnel(2_000, periods=4, random_state=1)
    expected = fh.monitor(df, period="applied_on", freq="Q", group="sex", stages=stages)
    text = df.assign(applied_on=[_sept(d) for d in df["applied_on"]])
    assert text["applied_on"].str.contains("Sept").any()
    got = fh.monitor(text, period="applied_on", freq="Q", group="sex", stages=stages)
    pd.testing.assert_frame_equal(got.table, expected.table)
