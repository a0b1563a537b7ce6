"""Options given as text (flags, config values, form fields), checked by the library's rules.

The command line reads every option as text. These converters turn the text into a value and
then call the same checks as the library (:mod:`fairhire._core.params`), so ``--min-share x``
and ``min_share="x"`` fail with the same words; :func:`~fairhire.workflow.errors.flag_words` then
names the flag. They run while the arguments are parsed, before any file is read.

Some library arguments are being renamed (the old name keeps working for a release).
:func:`call_analysis` passes whichever name the installed function accepts, so a config or a
flag written with the new name works before and after the rename.
"""

from __future__ import annotations

import argparse
import inspect
import json
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._core.params import (
    check_adjust,
    check_alpha,
    check_choice,
    check_confidence,
    check_int,
    check_min_n,
    check_number,
    check_share,
    check_threshold,
)
from ..errors import InvalidParameterError
from .errors import CLIError, flag_words

__all__ = [
    "FORMATS",
    "RENAMED",
    "accepted_options",
    "adjustment",
    "age_bands",
    "call_analysis",
    "category_map_file",
    "choice",
    "column_value",
    "label_pair",
    "min_n",
    "number",
    "read_share",
    "report_formats",
    "share",
    "translate_renamed",
    "whole",
]

#: Report format -> the Report method that writes it.
FORMATS = {"html": "to_html", "md": "to_markdown", "markdown": "to_markdown", "json": "to_json"}

#: Renamed library arguments: function -> {old name: new name}.
RENAMED: dict[str, dict[str, str]] = {
    "audit_screening_model": {"threshold": "score_threshold"},
    "ll144_audit": {"exclude_under": "min_share", "period": "data_period"},
    "oaxaca_blinder": {"reference": "coefficients"},
    "eu_pay_transparency_metrics": {"threshold": "gap_threshold"},
    "pay_gap": {"min_group_size": "min_n"},
    "rubric_consistency": {"level": "measurement"},
    "rater_disparity": {"min_decisions": "min_n"},
}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _converter(name: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type=``: library errors become argparse errors in flag words."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except InvalidParameterError as exc:
            message = flag_words(str(exc), {name: _flag(name)})
            message = message.replace("None means", "'none' means")
            raise argparse.ArgumentTypeError(message) from None

    parse.__name__ = name  # argparse names the type in some messages
    return parse


def setting_text(name: str, text: str) -> Any:
    """A comparison setting typed in a form (the web app's): ``alpha`` ("0.05" or "5%"),
    ``threshold`` ("0.8" or "4/5") or ``min_n`` ("30"), checked by the library's rule, as the
    value an audit config holds (a threshold typed as a fraction stays text: "4/5" is exact).

    Examples
    --------
    >>> setting_text("alpha", " 5% "), setting_text("threshold", "4/5"), setting_text("threshold", "0.9")
    (0.05, '4/5', 0.9)
    >>> setting_text("min_n", " 10 ")
    10
    """
    if name == "alpha":
        return check_alpha(_number_text(text), name)
    if name == "min_n":  # the reference-group rule's minimum, as --min-n reads it
        return check_min_n(_number_text(text))
    check_threshold(text.strip(), name)
    return text.strip() if "/" in text else float(text)


def _number_text(text: str) -> Any:
    """A number written as text ("0.02", "2%"); other text is returned unchanged for the check."""
    stripped = text.strip()
    try:
        if stripped.endswith("%"):
            return float(stripped[:-1]) / 100
        return float(stripped)
    except ValueError:
        return text


def share(name: str = "min_share") -> Callable[[str], float | None]:
    """A share in [0, 1) ("0.02" or "2%"), or "none"; checked by ``check_share``.

    Examples
    --------
    >>> share()("2%"), share()("none")
    (0.02, None)
    >>> share()("x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --min-share x must be a number in [0, 1), not text. ...
    """

    return _converter(name, lambda text: read_share(text, name))


def read_share(value: Any, name: str = "min_share") -> float | None:
    """A share as a flag (``--min-share 2%``), a config (``min_share = "2%"``) or the library
    gives it: a number, or text "0.02", "2%" or "none"; checked by ``check_share``.

    >>> read_share("2%"), read_share(0.02), read_share(" None ")
    (0.02, 0.02, None)
    """
    if isinstance(value, str):
        if value.strip().lower() in {"none", ""}:
            return None
        value = _number_text(value)
    return check_share(value, name)


def whole(name: str, low: int | None = None,
          high: int | None = None) -> Callable[[str], int | None]:
    """A whole number in ``[low, high]``, checked by ``check_int``.

    Examples
    --------
    >>> whole("port", low=0, high=65535)("8765")
    8765
    """

    def convert(text: str) -> int | None:
        value = _number_text(text)
        return check_int(value, name, low=low, high=high)

    return _converter(name, convert)


def min_n() -> Callable[[str], int]:
    """``--min-n``: the smallest group that may be the reference, checked by ``check_min_n``
    (a whole number ≥ 0; 0 means no minimum).

    Examples
    --------
    >>> min_n()("30"), min_n()("0")
    (30, 0)
    """
    return _converter("min_n", lambda text: setting_text("min_n", text))


def adjustment() -> Callable[[str], str]:
    """``--adjust``: a p-value adjustment, checked by ``check_adjust`` (``bh`` is ``fdr_bh``).

    Examples
    --------
    >>> adjustment()("bh"), adjustment()("holm")
    ('fdr_bh', 'holm')
    """
    return _converter("adjust", lambda text: check_adjust(text.strip()))


def number(name: str, *, low: float | None = None) -> Callable[[str], Any]:
    """A number checked by the library's rule for ``name``: ``threshold`` (0.8 or 4/5),
    ``alpha`` and ``confidence`` (in (0, 1)), or any number at least ``low``.

    Examples
    --------
    >>> number("threshold")("4/5"), number("alpha")("0.01"), number("horizon", low=0)("12")
    (Fraction(4, 5), 0.01, 12.0)
    >>> number("alpha")("5%")
    0.05
    """
    checks: dict[str, Callable[[Any], Any]] = {
        "threshold": lambda t: check_threshold(t.strip(), name),
        "alpha": lambda t: check_alpha(_number_text(t), name),
        "confidence": lambda t: check_confidence(_number_text(t), name),
    }

    def any_number(text: str) -> Any:
        return check_number(_number_text(text), name, low=low)

    return _converter(name, checks.get(name, any_number))


def age_bands(text: str) -> tuple[int, ...]:
    """``--age-bands 40,50,60``: whole ages, comma-separated (checked by the analysis).

    Examples
    --------
    >>> age_bands("40, 50,60")
    (40, 50, 60)
    """
    items = [t.strip() for t in text.split(",") if t.strip()]
    try:
        return tuple(int(t) for t in items)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--age-bands {text!r} must be whole ages separated by commas, e.g. 40,50,60."
        ) from None


def choice(name: str, choices: Sequence[str]) -> Callable[[str], str]:
    """One of ``choices``, checked by ``check_choice`` (argparse lists them in ``--help``)."""
    return _converter(name, lambda text: check_choice(text.strip(), name, choices))


def _report_formats(text: str | Sequence[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = [check_choice(str(i).strip().lower(), "format", ["html", "md", "json"],
                            aliases={"markdown": "md"}) for i in items if str(i).strip()]
    if not formats:
        raise InvalidParameterError("format='' is empty; use one or more of html, md, json.")
    return formats


#: ``--format`` of the report options: a comma-separated list of html, md, json.
report_formats = _converter("format", _report_formats)


def check_formats(value: Any, name: str = "formats") -> list[str]:
    """Report formats from a config value (a list of names); the message names ``name``."""
    try:
        return _report_formats(value)
    except InvalidParameterError as exc:
        raise CLIError(str(exc).replace("format=", f"{name}=", 1)) from None


def label_pair(text: str) -> tuple[str, str]:
    """``LABEL=CATEGORY`` of ``--map`` (the last ``=`` splits, so labels may hold one).

    Examples
    --------
    >>> label_pair("Two or more=Two or More Races")
    ('Two or more', 'Two or More Races')
    """
    return _pair(text, "--map", "LABEL=CATEGORY", "Latinx=Hispanic or Latino", last=True)


def column_value(text: str) -> tuple[str, str]:
    """``COLUMN=VALUE`` of ``--in-process`` (the first ``=`` splits, so values may hold one).

    >>> column_value("Status=On hold")
    ('Status', 'On hold')
    """
    return _pair(text, "--in-process", "COLUMN=VALUE", "Status=Active", last=False)


def _pair(text: str, flag: str, shape: str, example: str, *, last: bool) -> tuple[str, str]:
    left, sep, right = text.rpartition("=") if last else text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise argparse.ArgumentTypeError(f"{flag} {text!r} must be {shape}, e.g. {flag} "
                                         f"{example!r}.")
    return left.strip(), right.strip()


def category_map_file(text: str) -> dict[str, str]:
    """Read ``--category-map FILE``: TOML or JSON (label = category) or CSV (label,category)."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"--category-map {text}: file not found.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            mapping: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        elif suffix == ".json":
            mapping = json.loads(path.read_text(encoding="utf-8"))
        elif suffix in {".csv", ".tsv", ".txt"}:
            from .reading import read_table

            frame = read_table(path).astype(str)
            if frame.shape[1] != 2:
                raise ValueError("a CSV category map needs exactly two columns: label, category")
            mapping = dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))
        else:
            raise ValueError("use a .toml, .json or .csv file")
    except (ValueError, tomllib.TOMLDecodeError, CLIError) as exc:
        raise argparse.ArgumentTypeError(f"--category-map {text}: {exc}") from None
    if not isinstance(mapping, dict) or not all(
        isinstance(v, str) for v in mapping.values()
    ):
        raise argparse.ArgumentTypeError(
            f"--category-map {text} must map each label to a category name (text)."
        )
    return {str(k): v for k, v in mapping.items()}


# -- calling an analysis ------------------------------------------------------------------------


def accepted_options(func: Callable[..., Any]) -> set[str] | None:
    """The keyword options of ``func`` (with both names of renamed ones); None: any name."""
    params = inspect.signature(func).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    names = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    for old, new in RENAMED.get(func.__name__, {}).items():
        if old in names or new in names:
            names |= {old, new}
    return names


def translate_renamed(func: Callable[..., Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Pass a renamed option under the name the installed ``func`` accepts.

    Examples
    --------
    >>> def ll144_audit(data, *, exclude_under=None): ...
    >>> translate_renamed(ll144_audit, {"min_share": 0.02})
    {'exclude_under': 0.02}
    """
    params = inspect.signature(func).parameters
    out = dict(kwargs)
    for old, new in RENAMED.get(func.__name__, {}).items():
        if new in out and new not in params and old in params:
            out[old] = out.pop(new)
        elif old in out and old not in params and new in params:
            out[new] = out.pop(old)
    return out


def call_analysis(func: Callable[..., Any], data: Any, kwargs: Mapping[str, Any]) -> Any:
    """Call a public analysis with options, translating renamed argument names."""
    return func(data, **translate_renamed(func, kwargs))
