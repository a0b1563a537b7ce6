"""Renamed arguments and attributes keep working for one release, with a FutureWarning.

The public API is a contract (see DESIGN.md): a name changes only when an issue asks for it,
and then the old name keeps working for a release and says which new name to use.
"""

from __future__ import annotations

import warnings
from typing import Any

from .errors import InvalidParameterError

__all__ = ["renamed_argument", "renamed_attribute"]


def renamed_argument(
    function: str, old: str, new: str, old_value: Any, new_value: Any, default: Any = None
) -> Any:
    """Support a renamed keyword for one release: warn (FutureWarning) and use the old value.

    ``old_value`` is what the caller passed under the old name (``None`` when they did not);
    ``new_value`` what they passed under the new one, whose default is ``default``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed_argument("f", "level", "measurement", "interval", "ordinal", "ordinal")
    ...     print(w[0].category.__name__, str(w[0].message))
    'interval'
    FutureWarning f(level=) is renamed measurement=; level= will stop working in the next release.
    """
    if old_value is None:
        return new_value
    if new_value is not default and new_value != default:
        raise InvalidParameterError(
            f"{function}() got both {old}= (the old name) and {new}=; pass only {new}=."
        )
    warnings.warn(
        f"{function}({old}=) is renamed {new}=; {old}= will stop working in the next release.",
        FutureWarning,
        stacklevel=3,
    )
    return old_value


class renamed_attribute:
    """A class attribute that forwards to its new name with a FutureWarning.

    Examples
    --------
    >>> from typing import NamedTuple
    >>> class R(NamedTuple):
    ...     p_value: float
    ...     pvalue = renamed_attribute("pvalue", "p_value")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     R(0.5).pvalue, w[0].category.__name__
    (0.5, 'FutureWarning')
    """

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        warnings.warn(
            f"{type(obj).__name__}.{self.old} is renamed {self.new}; .{self.old} will stop working in "
            "the next release.",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(obj, self.new)


class PValueRenamed:
    """Base of the statistics results whose ``pvalue`` is renamed ``p_value``: the old name
    keeps working with a FutureWarning, defined once for all of them.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class T(PValueRenamed):
    ...     p_value: float
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     T(0.5).pvalue, str(w[0].message)
    (0.5, 'T.pvalue is renamed p_value; .pvalue will stop working in the next release.')
    """

    __slots__ = ()
    pvalue = renamed_attribute("pvalue", "p_value")
