"""Charts for reports: one module per area (``impact.py``, ``pay.py``...), shared ``_base.py``.

Templates call ``chart("impact.funnel", result)``, which resolves to
:func:`fairhire.report.charts.impact.funnel`. Only names in a module's ``__all__`` can be called.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any

from ...errors import ReportError
from ._base import Chart

__all__ = ["Chart", "chart_function"]

_NAME = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")


def chart_function(name: str) -> Callable[..., Chart | None]:
    """The chart function called ``"<module>.<function>"`` (e.g. ``"impact.funnel"``)."""
    match = _NAME.match(str(name))
    if not match:
        raise ReportError(
            f"chart name {name!r} is not of the form 'module.function' "
            "(e.g. 'impact.funnel'); see fairhire/report/PARTIALS.md."
        )
    module_name, func_name = match.groups()
    try:
        module = import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        raise ReportError(
            f"no chart module fairhire/report/charts/{module_name}.py for chart {name!r}."
        ) from exc
    if func_name not in getattr(module, "__all__", ()):
        raise ReportError(
            f"chart {name!r}: {func_name!r} is not listed in __all__ of "
            f"fairhire/report/charts/{module_name}.py (available: "
            f"{sorted(getattr(module, '__all__', ()))})."
        )
    func: Any = getattr(module, func_name)
    return func
