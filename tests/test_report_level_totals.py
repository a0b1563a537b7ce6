"""min_cell across levels: a count withheld at one level cannot be worked back from the
group's total over all levels, which another table of the same result shows."""

from __future__ import annotations

import json

import pandas as pd

import fairhire as fh
from fairhire.report.report import Report


def _people(cells: dict[tuple[str, str], tuple[int, int]]) -> pd.DataFrame:
    """One row per employee from {(group, level): (employees, promoted)}."""
    rows = []
    for (group, level), (n, k) in cells.items():
        rows += [{"sex": group, "level": level, "promoted": i < k} for i in range(n)]
    return pd.DataFrame(rows)


def _section(result) -> dict:
    report = Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    report.add(result)
    return json.loads(report.render_json())["sections"][0]["result"]


def _one_withheld(rows: list[dict], totals: dict[str, int], column: str,
                  level: str) -> list[str]:
    """Groups whose count is withheld at exactly one level although their total over the
    levels is shown: total minus the levels shown gives it back."""
    leaks = []
    for group, total in totals.items():
        mine = [r for r in rows if r["group"] == group]
        held = [r[level] for r in mine if column in r.get("suppressed", ())]
        shown = sum(r[column] for r in mine if column not in r.get("suppressed", ()))
        if len(held) == 1 and total is not None:
            leaks.append(f"{group} at {held[0]}: {total} - {shown} = {total - shown}")
    return leaks


def test_promotion_level_count_is_not_total_minus_other_levels():
    df = _people({
        ("Female", "L1"): (40, 10), ("Female", "L2"): (40, 10), ("Female", "L3"): (12, 3),
        ("Male", "L1"): (40, 12), ("Male", "L2"): (40, 8), ("Male", "L3"): (30, 9),
    })  # fmt: skip
    pr = fh.promotion_disparity(df, group="sex", promoted="promoted", level="level",
                                regression=False)
    data = _section(pr)
    totals = {r["group"]: r["selected"] for r in data["table"]}
    assert totals == {"Female": 23, "Male": 29}
    assert _one_withheld(data["by_stratum"], totals, "selected", "level") == []


def _representation_with_a_small_level() -> fh.RepresentationResult:
    """Races A, B, C at levels L1–L3; A has 3 people at L3 (below min_cell=5)."""
    counts = {"A": (30, 20, 3), "B": (30, 20, 10), "C": (30, 20, 10)}
    df = pd.DataFrame([{"race": g, "level": lv} for g, ns in counts.items()
                       for lv, n in zip(["L1", "L2", "L3"], ns, strict=True)
                       for _ in range(n)])
    return fh.representation(df, group="race", level="level", order=["L1", "L2", "L3"])


def test_representation_level_count_is_not_total_minus_other_levels():
    rep = _representation_with_a_small_level()
    data = _section(rep)
    totals = {r["group"]: r["count"] for r in data["overall"]}
    assert totals == {"A": 53, "B": 60, "C": 60}
    assert _one_withheld(data["table"], totals, "count", "level") == []


def test_blank_means_no_note_does_not_give_back_the_unknown_group_s_count():
    # a Workday export: "Promoted" is Yes or blank; 3 of the 19 employees who did not give
    # their gender were promoted, withheld ("< 5"). The note "311 blank cells read as no"
    # gave 400 - 311 = 89 promoted in the file; less the groups' 39 + 47 it gave the 3 back
    df = _people({("Female", "all"): (187, 39), ("Male", "all"): (194, 47),
                  (None, "all"): (19, 3)})
    note = "column 'promoted': 311 blank cells read as no (--blank-means-no)."
    pr = fh.promotion_disparity(df, group="sex", promoted="promoted", regression=False)
    report = Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    report.add(pr, data_notes=[note])
    section = json.loads(report.render_json())["sections"][0]
    assert section["result"]["unknown"][0]["promoted"] is None  # withheld: 3 < 5
    assert section["rows"]["total"] == 400
    notes = [w for w in section["warnings"] if "blank cells" in w]
    assert notes and "311" not in notes[0], notes
    assert "311" not in report.render_markdown() and "311" not in report.render_html()
    # without a withheld count the note is kept as written
    plain = Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=2)
    plain.add(pr, data_notes=[note])
    assert "311 blank cells" in plain.render_markdown()


def test_console_note_under_min_cell_rounds_the_file_s_counts(tmp_path):
    # the same note on the console (printed before the analysis runs) is rounded too
    import subprocess
    import sys

    df = _people({("Female", "all"): (187, 39), ("Male", "all"): (194, 47),
                  (None, "all"): (19, 3)})
    df["promoted"] = df["promoted"].map({True: "Yes", False: None})
    path = tmp_path / "staff.csv"
    df.to_csv(path, index=False)
    run = subprocess.run(
        [sys.executable, "-m", "fairhire", "promotion", str(path), "--group", "sex",
         "--promoted", "promoted", "--blank-means-no", "--min-cell", "5"],
        capture_output=True, text=True, check=True)
    assert "about 310 blank cells read as no" in run.stderr, run.stderr
    assert "311" not in run.stdout + run.stderr


def test_representation_trend_direction_is_withheld_with_its_figures():
    # the trend row of a group with a withheld count printed "s" for its shares, z and p but
    # still "falls": the sign of the withheld z
    rep = _representation_with_a_small_level()
    assert rep.trend.set_index("group").loc["A", "direction"] == "falls"
    trend = {r["group"]: r for r in _section(rep)["trend"]}
    assert trend["A"]["z"] is None and trend["A"]["direction"] is None
