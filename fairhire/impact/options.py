"""The options of a group comparison: checked once at the public boundary, passed on, recorded.

:func:`check_options` checks every comparison option of :func:`fairhire.adverse_impact` and
the analyses built on it (cut-offs, screening models) with the shared parameter rules;
:func:`option_kwargs` passes the checked options on to another analysis, and
:func:`option_params` records them in a result's ``params``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .._core.params import (
    check_alpha,
    check_bool,
    check_choice,
    check_confidence,
    check_int,
    check_share,
    check_threshold,
)

__all__ = [
    "COMPARISON_OPTIONS",
    "Options",
    "check_options",
    "option_kwargs",
    "option_params",
]

@dataclass(frozen=True)
class Options:
    """The checked options of a comparison (see :func:`fairhire.adverse_impact`)."""

    threshold: Fraction = Fraction(4, 5)
    reference: object | None = None
    cumulative: bool = False
    alternative: str = "two-sided"
    mid_p: bool = False
    adjust: str = "holm"
    alpha: float = 0.05
    confidence: float = 0.95
    min_share: float | None = None
    min_n: int = 30
    unknown_labels: tuple[object, ...] = ()


ADJUSTMENTS = ("holm", "fdr_bh", "bonferroni", "none")
ALTERNATIVES = ("two-sided", "less", "greater")


def check_options(
    *,
    threshold: float | Fraction | str = 0.8,
    reference: object | None = None,
    cumulative: bool = False,
    alternative: str = "two-sided",
    mid_p: bool = False,
    adjust: str = "holm",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_share: float | None = None,
    min_n: int = 30,
    unknown_labels: Sequence[object] = (),
) -> Options:
    """Every comparison option checked once, with the shared checks (an
    :class:`~fairhire.errors.InvalidParameterError` naming the parameter; text is never read as
    a boolean or a number)."""
    if isinstance(unknown_labels, str):
        unknown_labels = [unknown_labels]
    return Options(
        threshold=check_threshold(threshold),
        reference=reference,
        cumulative=check_bool(cumulative, "cumulative"),
        alternative=check_choice(alternative, "alternative", ALTERNATIVES),
        mid_p=check_bool(mid_p, "mid_p"),
        adjust=check_choice(adjust, "adjust", ADJUSTMENTS, aliases={"bh": "fdr_bh"}),
        alpha=check_alpha(alpha),
        confidence=check_confidence(confidence),
        min_share=check_share(min_share),
        min_n=check_int(min_n, "min_n", low=0),
        unknown_labels=tuple(unknown_labels),
    )


#: The options of a comparison that a result records in its ``params``.
COMPARISON_OPTIONS = (
    "threshold",
    "alpha",
    "adjust",
    "reference",
    "min_share",
    "min_n",
    "unknown_labels",
)


def option_kwargs(options: Options, names: Sequence[str] = COMPARISON_OPTIONS) -> dict[str, Any]:
    """The checked options as keyword arguments, to pass them on to another analysis."""
    return {name: getattr(options, name) for name in names}


def option_params(options: Options, names: Sequence[str] | None = None) -> dict[str, Any]:
    """The checked options as a result's ``params`` records them (``names``: only these)."""
    out = {
        "reference": options.reference,
        "threshold": str(options.threshold),
        "cumulative": options.cumulative,
        "alternative": options.alternative,
        "mid_p": options.mid_p,
        "adjust": options.adjust,
        "alpha": options.alpha,
        "confidence": options.confidence,
        "min_share": options.min_share,
        "min_n": options.min_n,
        "unknown_labels": [str(v) for v in options.unknown_labels],
    }
    return out if names is None else {k: out[k] for k in names}
