"""One row per person: ``id=`` on the exits and promotion analyses, their commands, the audit
config and the web app (the shared rule of fairhire/_core/ids.py, which pay_gap applies too).

A real HRIS export holds rehires (one person, two employment spells: a row that left, then a
later row still employed) and rows duplicated by joins. Counted as two people, a rehire weighed
twice in every rate, test and figure, silently.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main
from fairhire.errors import InvalidValueError

FIX = "df.sort_values('hire_date').drop_duplicates('employee_id', keep='last')"


def _staff() -> pd.DataFrame:
    return fh.datasets.make_workforce(600, random_state=1, exits=True)


def _rehires(staff: pd.DataFrame, n: int = 2) -> pd.DataFrame:
    """``n`` people who left, back on a second row: their new spell, still employed."""
    left = staff.loc[staff["exited"]].head(n)
    back = left.assign(exited=False, exit_type=None, tenure_months=6.0, months_in_level=6.0,
                       promoted=False)
    return pd.concat([staff, back], ignore_index=True)


def _pool(staff: pd.DataFrame) -> pd.DataFrame:
    return staff.loc[staff["laid_off"].notna()].reset_index(drop=True)


#: analysis -> (call with id=, the data it reads from the staff, where the rows repeat)
ANALYSES: dict[str, Callable[..., object]] = {
    "retention": lambda d, **k: fh.retention(d, group="sex", exited="exited",
                                             exit_type="exit_type", regression=False, **k),
    "time_to_exit": lambda d, **k: fh.time_to_exit(d, group="sex", duration="tenure_months",
                                                   event="exited", **k),
    "reduction_in_force": lambda d, **k: fh.reduction_in_force(d, group="sex",
                                                               selected="laid_off", **k),
    "promotion_disparity": lambda d, **k: fh.promotion_disparity(
        d, group="sex", promoted="promoted", level="level", regression=False, **k),
    "time_to_promotion": lambda d, **k: fh.time_to_promotion(
        d, group="sex", duration="months_in_level", event="promoted", **k),
}


def _twice(name: str, staff: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis' data with each person once, and with two people on two rows."""
    if name == "reduction_in_force":  # a layoff list joined twice to a table for two people
        pool = _pool(staff)
        return pool, pd.concat([pool, pool.head(2)], ignore_index=True)
    return staff, _rehires(staff)


@pytest.mark.parametrize("name", list(ANALYSES))
def test_a_person_on_two_rows_is_an_error_naming_the_ids_and_the_fix(name):
    staff = _staff()
    once, twice = _twice(name, staff)
    kept = twice.copy()
    with pytest.raises(InvalidValueError) as err:
        ANALYSES[name](twice, id="employee_id")
    message = str(err.value)
    first = twice["employee_id"].iloc[len(once)]
    assert "column 'employee_id' (id=) holds 2 IDs that appear on more than one row" in message
    assert "(4 rows in all;" in message and f"{first!r} at rows " in message
    assert f"{name} needs one row per person" in message
    assert FIX in message and "df.drop_duplicates()" in message
    pd.testing.assert_frame_equal(twice, kept)  # the data are not changed
    # one row per person runs, and gives what it gives without id=
    checked, plain = ANALYSES[name](once, id="employee_id"), ANALYSES[name](once)
    assert checked.fingerprint == plain.fingerprint and checked.params == plain.params
    pd.testing.assert_frame_equal(checked.table, plain.table)
    # without id= the rows are not checked, as before
    assert ANALYSES[name](twice).rows.total == len(twice)


@pytest.mark.parametrize("name", ["retention", "promotion_disparity", "time_to_exit"])
def test_the_check_reads_any_engine(name):
    pl = pytest.importorskip("polars")
    _, twice = _twice(name, _staff())
    frame = pl.from_pandas(twice.astype({"exit_type": object}))
    for data in (frame, frame.lazy()):
        with pytest.raises(InvalidValueError, match="holds 2 IDs") as err:
            ANALYSES[name](data, id="employee_id")
        assert FIX in str(err.value)


def test_rows_left_out_for_a_blank_outcome_and_blank_ids_are_not_compared():
    """A rehire's row with a blank exited is excluded (and counted) anyway: it is not an
    error, as a pay period with no pay is not for pay_gap. A blank id says nothing."""
    staff = _staff()
    old = staff.head(3).assign(exited=None)
    data = pd.concat([staff, old], ignore_index=True)
    result = fh.retention(data, group="sex", exited="exited", regression=False,
                          id="employee_id")
    assert result.rows.excluded["missing exited"] == 3
    blank = staff.copy()
    blank["employee_id"] = blank["employee_id"].astype(object)
    blank.loc[:9, "employee_id"] = [None, " ", "", np.nan, None, " ", "", np.nan, None, " "]
    fh.time_to_exit(blank, group="sex", duration="tenure_months", event="exited",
                    id="employee_id")
    fh.promotion_disparity(blank, group="sex", promoted="promoted", id="employee_id")


def test_the_id_is_one_column_of_its_own():
    staff = _staff()
    with pytest.raises(fh.ColumnError, match="staff_no"):
        fh.retention(staff, group="sex", exited="exited", id="staff_no")
    with pytest.raises(fh.FairhireError, match="different columns"):
        fh.time_to_promotion(staff, group="sex", duration="months_in_level",
                             event="promoted", id="sex")
    with pytest.raises(fh.FairhireError, match="one column name"):
        fh.promotion_disparity(staff, group="sex", promoted="promoted", id=["a", "b"])


def test_the_shared_rule_lists_the_ids_on_several_rows():
    from fairhire._core.ids import repeated_ids

    ids = pd.DataFrame({"emp": [5, 9, 5, 7, 9, 5, None, None]})
    assert repeated_ids(ids, "emp").values.tolist() == [[5, 3], [9, 2]]


# ------------------------------------------------------------------ the command line


COMMANDS = {
    "retention": ["retention", "--group", "sex", "--exited", "exited", "--no-regression"],
    "time_to_exit": ["time-to-exit", "--group", "sex", "--duration", "tenure_months",
                     "--event", "exited"],
    "reduction_in_force": ["layoff", "--group", "sex", "--selected", "laid_off"],
    "promotion_disparity": ["promotion", "--group", "sex", "--promoted", "promoted",
                            "--level", "level", "--no-regression"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_command_line_checks_ids_as_python_does(name, tmp_path, capsys):
    once, twice = _twice(name, _staff())
    path = tmp_path / "staff.csv"
    twice.to_csv(path, index=False)
    command, *columns = COMMANDS[name]
    with pytest.raises(InvalidValueError) as err:
        ANALYSES[name](pd.read_csv(path), id="employee_id")
    assert main([command, str(path), *columns, "--id", "employee_id"]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    (line,) = captured.err.strip().splitlines()
    assert line == "fairhire: error: " + str(err.value).replace("(id=)", "(--id)")
    assert FIX in line
    # without --id the command cannot tell; one row per person runs with it
    assert main([command, str(path), *columns]) == 0
    once.to_csv(path, index=False)
    assert main([command, str(path), *columns, "--id", "employee_id"]) == 0


# ------------------------------------------------------------------ the audit config


CONFIG = {
    "retention": 'group = "sex"\nexited = "exited"\nregression = false',
    "time_to_exit": 'group = "sex"\nduration = "tenure_months"\nevent = "exited"',
    "reduction_in_force": 'group = "sex"\nselected = "laid_off"',
    "promotion": 'group = "sex"\npromoted = "promoted"\nregression = false',
    "time_to_promotion": 'group = "sex"\nduration = "months_in_level"\nevent = "promoted"',
}


@pytest.mark.parametrize("kind", list(CONFIG))
def test_the_audit_config_takes_id(kind, tmp_path, capsys):
    name = "promotion_disparity" if kind == "promotion" else kind
    once, twice = _twice(name, _staff())
    twice.to_csv(tmp_path / "twice.csv", index=False)
    once.to_csv(tmp_path / "once.csv", index=False)
    for data in ("twice", "once"):
        (tmp_path / f"{data}.toml").write_text(
            f'[data.staff]\npath = "{data}.csv"\n[[analysis]]\ntype = "{kind}"\n'
            f'{CONFIG[kind]}\nid = "employee_id"\n', encoding="utf-8")
    assert main(["audit", str(tmp_path / "twice.toml"), "--out", str(tmp_path / "a")]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"[[analysis]] #1 ({kind})" in line and "holds 2 IDs" in line and FIX in line
    assert main(["audit", str(tmp_path / "once.toml"), "--out", str(tmp_path / "b")]) == 0


# ------------------------------------------------------------------ the web app


def test_the_web_app_passes_its_id_role_to_retention_and_promotion():
    from fairhire.web.roles import build_config

    frame = _staff()[["employee_id", "sex", "exited", "promoted", "salary", "level"]]
    roles = {"employee_id": "id", "sex": "group", "exited": "exited", "promoted": "outcome",
             "salary": "pay", "level": "level"}
    config, _ = build_config(roles, ["retention", "promotion", "pay_gap"], frame)
    by_type = {e["type"]: e for e in config["analysis"]}
    assert {by_type[t].get("id") for t in ("retention", "promotion", "pay_gap")} == {
        "employee_id"}
    roles.pop("employee_id")
    config, _ = build_config(roles, ["retention", "promotion"], frame)
    assert all("id" not in e for e in config["analysis"])


def test_the_web_app_refuses_a_rehire_export():
    """The page's retention runs as ``fairhire retention --id`` does: a rehire is the
    library's error, on the analysis' field; each person once, it runs."""
    import json
    import re

    pytest.importorskip("starlette")
    pytest.importorskip("multipart")
    from starlette.testclient import TestClient

    from fairhire.web import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    roles = json.dumps({"employee_id": "id", "sex": "group", "exited": "exited"})
    staff = _staff()[["employee_id", "sex", "exited"]]
    replies = []
    for frame in (_rehires(staff), staff):
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/audit").text)[1]
        form = {"csrf": token, "roles": roles, "analyses": '["retention"]'}
        data = frame.to_csv(index=False).encode()
        reply = client.post("/audit/run", data=form, files={"file": ("a.csv", data, "text/csv")})
        replies.append(json.loads(reply.text.splitlines()[-1]))
    twice, once = replies
    assert twice["field"] == "analysis:retention" and "holds 2 IDs" in twice["error"]
    assert 'id = "employee_id"' in once["config"] and "error" not in once


def test_a_layoff_read_from_dates_of_birth_checks_the_ids_too():
    """With birth_date= the layoff collects the columns it reads to compute ages: the id
    column goes with them."""
    pool = _pool(_staff())
    pool["born_on"] = (pd.Timestamp("2026-06-30")
                       - pd.to_timedelta(pool["age"] * 365.25 + 100, unit="D")).dt.date
    twice = pd.concat([pool, pool.head(2)], ignore_index=True)
    kwargs = {"group": "sex", "selected": "laid_off", "birth_date": "born_on",
              "as_of": "2026-06-30"}
    with pytest.raises(InvalidValueError, match="holds 2 IDs") as err:
        fh.reduction_in_force(twice, **kwargs, id="employee_id")
    assert FIX in str(err.value)
    fh.reduction_in_force(pool, **kwargs, id="employee_id")
