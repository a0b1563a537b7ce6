"""The public API surface, the narwhals adapters and the error types."""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh
from fairhire import _frames
from fairhire._results import RowAccount, jsonable
from fairhire.errors import ColumnError, FairhireError, InputTypeError, InvalidParameterError


def test_every_public_name_resolves():
    missing = []
    for name in fh.__all__:
        try:
            getattr(fh, name)
        except (AttributeError, ImportError) as exc:  # pragma: no cover - reported below
            missing.append(f"{name}: {exc}")
    assert not missing, missing


def test_every_public_function_has_a_docstring_example():
    lacking = []
    for name in fh.__all__:
        obj = getattr(fh, name)
        if callable(obj) and not isinstance(obj, type) and name[0].islower():
            doc = obj.__doc__ or ""
            if "Examples" not in doc and ">>>" not in doc:
                lacking.append(name)
    assert not lacking, lacking


def test_unknown_attribute():
    with pytest.raises(AttributeError):
        fh.no_such_function  # noqa: B018


def test_errors_are_fairhire_errors():
    for cls in (ColumnError, InputTypeError, InvalidParameterError):
        assert issubclass(cls, FairhireError)
    err = ColumnError("column 'x' missing")
    assert str(err) == "column 'x' missing"  # not KeyError's repr


def test_to_narwhals_rejects_non_frames():
    with pytest.raises(InputTypeError, match="data frame"):
        _frames.to_narwhals("not a frame")
    frame = _frames.to_narwhals({"a": [1, 2]})
    assert _frames.column_names(frame) == ["a"]


def test_require_columns_names_argument_and_suggests():
    frame = _frames.to_narwhals(pd.DataFrame({"salary": [1], "sex": ["F"]}))
    with pytest.raises(ColumnError, match=r"'salry'.*pay=.*did you mean 'salary'"):
        _frames.require_columns(frame, pay="salry")
    with pytest.raises(InvalidParameterError, match="more than once"):
        _frames.as_columns(["a", "a"], argument="group")
    with pytest.raises(InvalidParameterError, match="strings"):
        _frames.as_columns([1], argument="group")


def test_fingerprint_ignores_row_order():
    a = pd.DataFrame({"g": ["x", "y"], "n": [1, 2]})
    assert _frames.fingerprint_frame(a) == _frames.fingerprint_frame(a.iloc[::-1])
    assert _frames.fingerprint_frame(a) != _frames.fingerprint_frame(a.assign(n=[1, 3]))


def test_row_account_must_add_up():
    RowAccount(total=10, used=8, excluded={"missing group": 2})
    with pytest.raises(AssertionError):
        RowAccount(total=10, used=9, excluded={"missing group": 2})


def test_jsonable_handles_nan_numpy_and_frames():
    import numpy as np

    out = jsonable({"a": np.float64("nan"), "b": np.int64(3), "c": pd.DataFrame({"x": [1.0]})})
    assert out == {"a": None, "b": 3, "c": [{"x": 1.0}]}


def test_columns_named_by_numbers_get_the_way_on():
    # pandas.read_csv(header=None) names columns 0, 1, ...; group=0 was refused with no hint
    df = pd.DataFrame({0: ["a", "b"] * 20, 1: [True, False] * 20})
    for group in (0, [0]):
        with pytest.raises(InvalidParameterError, match=r"df.columns = df.columns.astype\(str\)"):
            fh.adverse_impact(df, group=group, stages=[1])
    df.columns = df.columns.astype(str)
    assert len(fh.adverse_impact(df, group="0", stages=["1"]).table) == 2
