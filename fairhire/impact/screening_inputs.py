"""Reading a screening model's inputs: predictions or scores, true outcomes, sensitive features.

Predictions and outcomes are read by the shared flag rule (True/False, 1/0, yes/no ...), or,
with ``pos_label=``, as two labels of which ``pos_label`` is positive. Scores are numbers, one
threshold for everyone. Blank predictions, outcomes and scores, and infinite scores, are not
errors: the individuals are left out of the audit and counted by reason, with a warning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.flags import read_flags
from .._core.missing import missing_mask
from .._core.numbers import require_numeric
from .._frames import to_narwhals
from ..errors import InputTypeError, InvalidParameterError, InvalidValueError, preview
from .cutoff import SECTION_106

__all__ = ["Inputs", "check_same_index", "check_score_threshold", "read_inputs", "sensitive_frame"]

SEL, Y, SCORE = "__fh_selected", "__fh_y_true", "__fh_score"


def as_vector(values: Any, argument: str) -> np.ndarray:
    """One-dimensional values (a Series, a one-column frame, a list, an array)."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputTypeError(
                f"{argument}= must be one column of values; got a frame with "
                f"{values.shape[1]} columns."
            )
        values = values.iloc[:, 0]
    if hasattr(values, "to_numpy") and callable(values.to_numpy):
        values = values.to_numpy()
    try:
        arr = np.asarray(values)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise InputTypeError(f"{argument}= must be array-like; got {type(values)}.") from exc
    if arr.ndim == 2 and arr.shape[1] == 2 and argument == "y_pred":
        raise InputTypeError(
            "y_pred has two columns, like predict_proba() output. Pass the positive class's "
            "probability, model.predict_proba(X)[:, 1], with score_threshold=."
        )
    if arr.ndim != 1:
        raise InputTypeError(f"{argument}= must be one-dimensional; got shape {arr.shape}.")
    return arr


def check_score_threshold(value: Any) -> float | None:
    """One finite number applied to everyone (never one per group), or None."""
    if value is None:
        return None
    if isinstance(value, Mapping) or (
        not isinstance(value, str | bytes) and isinstance(value, Sequence | np.ndarray | pd.Series)
    ):
        raise InvalidParameterError(
            "score_threshold= must be one number applied to everyone, not one per group. "
            + SECTION_106
        )
    if isinstance(value, bool | str) or not isinstance(value, int | float | np.number):
        raise InvalidParameterError(f"score_threshold={value!r} must be a number.")
    if not math.isfinite(float(value)):
        raise InvalidParameterError(f"score_threshold={value!r} must be finite.")
    return float(value)


def _is_default_label(pos_label: Any) -> bool:
    return pos_label is True or (type(pos_label) is int and pos_label == 1)


def _binary(arr: np.ndarray, argument: str, pos_label: Any) -> tuple[np.ndarray, np.ndarray]:
    """(True where positive, True where missing): the flag rule, or two labels."""
    if _is_default_label(pos_label):
        try:
            read = read_flags(arr, column=argument)
        except InvalidValueError as err:
            numeric = np.issubdtype(arr.dtype, np.number)
            hint = (
                " These look like scores: pass score_threshold= to select scores at or above it."
                if argument == "y_pred" and numeric
                else " Or pass pos_label= the value that means selected / qualified."
            )
            raise InvalidValueError(str(err) + hint) from None
        return read.flags, read.missing
    missing = missing_mask(pd.Series(arr, dtype=object))
    values = set(pd.unique(arr[~missing]).tolist())
    if len(values) > 2:
        counts = pd.Series(arr[~missing], dtype=object).astype(str).value_counts()
        listed = ", ".join(f"{v!r} ({n:,} rows)" for v, n in counts.items())
        raise InvalidValueError(
            f"{argument} must be binary (two labels, pos_label= the positive one); found "
            f"{len(values)} distinct values: {listed}. A decision not yet made ('Pending', "
            f"'In review') is no prediction: leave those rows out (with the same rows of the "
            f"other inputs), or blank them to have them counted as missing."
        )
    if values and pos_label not in values:
        raise InvalidValueError(
            f"pos_label={pos_label!r} is not one of the values of {argument}: "
            f"{preview(sorted(map(str, values)))}. Pass the label that means selected / "
            "qualified, e.g. pos_label='yes'."
        )
    return np.asarray(arr == pos_label, dtype=bool) & ~missing, missing


def _scores(pred: np.ndarray, thr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores as floats, missing, infinite); text and booleans are errors."""
    if pred.dtype == bool:
        raise InvalidValueError(
            f"score_threshold={thr:g} needs numeric scores in y_pred; got booleans. Pass "
            "predictions without score_threshold=, or the model's scores."
        )
    series = pd.Series(pred, dtype=object if pred.dtype == object else None)
    missing = missing_mask(series)
    values = pd.to_numeric(series.where(~missing), errors="coerce").to_numpy(dtype=float)
    if (np.isnan(values) & ~missing).any():
        # the shared rule's error: the text that is not a number with its row counts, or how
        # to convert numbers written as text ("85%", "0,85"), as cutoff_analysis says it
        require_numeric(to_narwhals(pd.DataFrame({"y_pred": series})), "y_pred",
                        argument="y_pred", meaning=f"scores compared with score_threshold={thr:g}")
    return values, missing, np.isinf(values)


def _indexes(value: Any, argument: str) -> list[tuple[str, pd.Index]]:
    if isinstance(value, pd.Series | pd.DataFrame):
        return [(argument, value.index)]
    if isinstance(value, Mapping):
        return [(f"{argument}[{k!r}]", v.index) for k, v in value.items()
                if isinstance(v, pd.Series | pd.DataFrame)]
    return []


def check_same_index(**inputs: Any) -> None:
    """Pandas inputs must share one index: values are paired by position (as scikit-learn and
    fairlearn pair them), so two Series in different orders would pair one person's prediction
    with another's group, silently.

    >>> a = pd.Series([1, 0], index=[10, 11])
    >>> check_same_index(y_pred=a, sensitive_features=pd.Series(["F", "M"], index=[11, 10]))
    Traceback (most recent call last):
    ...
    fairhire.errors.InvalidValueError: y_pred and sensitive_features are pandas objects with \
different indexes: the same 2 labels in another order. ...
    """
    found = [pair for name, v in inputs.items() if v is not None for pair in _indexes(v, name)]
    for name, other in found[1:]:
        first, index = found[0]
        if index.equals(other):
            continue
        how = (f"the same {len(index):,} labels in another order" if len(index) == len(other)
               and index.sort_values().equals(other.sort_values())
               else "they hold different labels")
        raise InvalidValueError(
            f"{first} and {name} are pandas objects with different indexes: {how}. fairhire "
            "pairs values by position, so they must describe the same individuals in the same "
            f"order. Put them in one order first (e.g. {name}.loc[{first}.index] when the "
            "labels are the same), or pass .to_numpy() when the positions already match."
        )


def sensitive_frame(sensitive_features: Any, n: int) -> pd.DataFrame:
    """The sensitive features as a frame of plain object columns (None where missing)."""
    sf = sensitive_features
    if isinstance(sf, pd.Series):
        frame = sf.to_frame(name=str(sf.name) if sf.name is not None else "sensitive_feature")
    elif isinstance(sf, pd.DataFrame):
        frame = sf
    elif isinstance(sf, Mapping):
        frame = pd.DataFrame(
            {str(k): as_vector(v, f"sensitive_features[{k!r}]") for k, v in sf.items()}
        )
    elif hasattr(sf, "to_pandas") and callable(sf.to_pandas):  # polars / pyarrow
        frame = sf.to_pandas()
        if isinstance(frame, pd.Series):
            frame = frame.to_frame(name=str(frame.name or "sensitive_feature"))
    else:
        arr = np.asarray(sf, dtype=object)
        if arr.ndim == 1:
            frame = pd.DataFrame({"sensitive_feature": arr})
        elif arr.ndim == 2:
            frame = pd.DataFrame({f"sensitive_feature_{i}": arr[:, i] for i in range(arr.shape[1])})
        else:
            raise InputTypeError(
                f"sensitive_features= must be a Series, DataFrame, dict of columns or array; "
                f"got shape {arr.shape}."
            )
    if len(frame) != n:
        raise InvalidParameterError(
            f"sensitive_features has {len(frame):,} rows but y_pred has {n:,}: they must describe "
            "the same individuals in the same order."
        )
    if frame.shape[1] == 0:
        raise InvalidParameterError("sensitive_features= has no columns.")
    return pd.DataFrame(
        {
            str(c): frame[c].astype(object).where(frame[c].notna(), None).to_numpy()
            for c in frame.columns
        }
    )


@dataclass(frozen=True)
class Inputs:
    """The rows the audit uses: feature columns under internal names ``__fh_f<i>``, the
    selection ``SEL``, the outcome ``Y`` and the score ``SCORE`` when given; and every row left
    out, by reason."""

    frame: pd.DataFrame
    features: dict[str, str]  # internal name -> user's column name
    n: int
    excluded: dict[str, int] = field(default_factory=dict)


def read_inputs(
    y_pred: Any, sensitive_features: Any, y_true: Any, thr: float | None, pos_label: Any
) -> Inputs:
    """Read and align every input; rows with a blank prediction, outcome or score (or an
    infinite score) are left out and counted."""
    check_same_index(y_pred=y_pred, sensitive_features=sensitive_features, y_true=y_true)
    pred = as_vector(y_pred, "y_pred")
    n = len(pred)
    if n == 0:
        raise InvalidParameterError("y_pred is empty: nothing to audit.")
    drop: dict[str, np.ndarray] = {}
    columns: dict[str, np.ndarray] = {}
    if thr is not None:
        scores, missing, infinite = _scores(pred, thr)
        drop["missing score (y_pred)"] = missing
        drop["infinite score (y_pred)"] = infinite & ~missing
        columns[SEL], columns[SCORE] = scores >= thr, scores
    else:
        columns[SEL], drop["missing outcome (y_pred)"] = _binary(pred, "y_pred", pos_label)
    if y_true is not None:
        yt = as_vector(y_true, "y_true")
        if len(yt) != n:
            raise InvalidParameterError(
                f"y_true has {len(yt):,} values but y_pred has {n:,}: they must describe the "
                "same individuals in the same order."
            )
        columns[Y], missing_y = _binary(yt, "y_true", pos_label)
        taken = np.zeros(n, dtype=bool)
        for mask in drop.values():
            taken |= mask
        drop["missing outcome (y_true)"] = missing_y & ~taken
    sf = sensitive_frame(sensitive_features, n)
    names = {f"__fh_f{i}": c for i, c in enumerate(sf.columns)}
    frame = pd.DataFrame({**{k: sf[c].to_numpy() for k, c in names.items()}, **columns})
    keep = np.ones(n, dtype=bool)
    for mask in drop.values():
        keep &= ~mask
    if not keep.all():
        frame = frame.loc[keep].reset_index(drop=True)
    excluded = {reason: int(mask.sum()) for reason, mask in drop.items() if mask.any()}
    return Inputs(frame=frame, features=names, n=n, excluded=excluded)
