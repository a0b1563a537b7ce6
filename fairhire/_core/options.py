"""The options of a group comparison: checked once at the public boundary, passed on, recorded.

:func:`check_options` checks every comparison option of :func:`fairhire.adverse_impact` and
the analyses that compare groups the same way (cut-offs, screening models, LL144, monitoring,
retention and reductions in force) with the shared parameter rules;
:func:`implemented_by` does it for a public entry point, from its signature;
:func:`option_kwargs` passes the checked options on to another analysis, and
:func:`option_params` records them in a result's ``params``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from .labels import as_labels
from .params import (
    check_adjust,
    check_alpha,
    check_alternative,
    check_bool,
    check_confidence,
    check_min_n,
    check_share,
    check_threshold,
)

__all__ = [
    "CHECKS",
    "COMPARISON_OPTIONS",
    "Options",
    "check_options",
    "implemented_by",
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


#: How each comparison option is checked, in the order :func:`check_options` checks them (an
#: :class:`~fairhire.errors.InvalidParameterError` naming the parameter; text is never read as
#: a boolean or a number). The defaults are those of :class:`Options`.
CHECKS: dict[str, Callable[[Any], Any]] = {
    "threshold": check_threshold,
    "reference": lambda value: value,
    "cumulative": lambda value: check_bool(value, "cumulative"),
    "alternative": check_alternative,
    "mid_p": lambda value: check_bool(value, "mid_p"),
    "adjust": check_adjust,
    "alpha": check_alpha,
    "confidence": check_confidence,
    "min_share": check_share,
    "min_n": check_min_n,
    "unknown_labels": as_labels,
}


def check_options(**given: Any) -> Options:
    """The comparison options given (named as in :class:`Options`), each checked once with the
    shared checks (:data:`CHECKS`); the options not given keep their defaults."""
    unexpected = sorted(set(given) - set(CHECKS))
    if unexpected:
        raise TypeError(f"check_options() got unexpected options {unexpected}")
    return Options(**{name: check(given[name]) for name, check in CHECKS.items() if name in given})


F = TypeVar("F", bound=Callable[..., Any])


def implemented_by(
    implementation: Callable[..., Any], **checks: Callable[..., Any]
) -> Callable[[F], F]:
    """Decorate a public entry point whose work ``implementation`` does, with its options checked.

    The public function declares the signature (every argument with its default, for
    ``help()``, the docs and IDEs) and the docstring; its body is not run. A call is bound to
    that signature (defaults applied); for each ``name=check``, the arguments ``check`` takes
    (for :func:`check_options`, the comparison options of :data:`CHECKS`) are checked by one
    call into one object, passed to ``implementation`` as ``name=``; the other arguments are
    passed on by name. As scikit-learn's ``validate_params``, this keeps an entry point from
    forwarding a dozen keywords by hand: the signature is the one list of its arguments. The
    checks run before the implementation, so an option's error comes before a column's.

    Examples
    --------
    >>> def _scaled(count, *, options):
    ...     return count * options.threshold
    >>> @implemented_by(_scaled, options=check_options)
    ... def scaled(count, *, threshold=0.8):
    ...     "The count times the threshold."
    >>> scaled(10, threshold="4/5")
    Fraction(8, 1)
    """

    def decorate(public: F) -> F:
        signature = inspect.signature(public)
        taken = {
            name: [arg for arg in signature.parameters if arg in _takes(check)]
            for name, check in checks.items()
        }

        @functools.wraps(public)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                # the (empty) public function raises Python's own error, which names the
                # function and the argument ("unexpected keyword argument 'grop'")
                public(*args, **kwargs)
                raise
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            checked = {
                name: checks[name](**{arg: arguments.pop(arg) for arg in names})
                for name, names in taken.items()
            }
            return implementation(**arguments, **checked)

        return call  # type: ignore[return-value]

    return decorate


def _takes(check: Callable[..., Any]) -> Sequence[str]:
    """The arguments ``check`` takes; :func:`check_options` takes every comparison option."""
    if check is check_options:
        return tuple(CHECKS)
    return tuple(inspect.signature(check).parameters)

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
