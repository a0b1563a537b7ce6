"""``data_table``: one call that renders a table of figures in HTML or Markdown, with
small-count suppression applied (see PARTIALS.md)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from ..errors import ReportError
from .filters import MISSING, Formatter
from .safe import md_escape
from .sentences import LABEL_COLUMNS
from .suppress import Withheld

__all__ = ["auto_columns", "data_table", "records"]

_NUMERIC_FORMATS = {"count", "pct", "signed_pct", "points", "ratio", "num", "pvalue", "money",
                    "ci"}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if np.ndim(result) == 0 else False


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """A frame as a list of dicts with NaN/NA as None (empty list for None)."""
    if frame is None:
        return []
    if not isinstance(frame, pd.DataFrame):
        raise ReportError(f"records() expects a pandas DataFrame, got {type(frame).__name__}.")
    out = []
    # to_dict() turns every float into a plain float; keep withheld markers from object columns
    held = {str(c): frame[c].tolist() for c in frame.columns if frame[c].dtype == object}
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = {str(k): v for k, v in rec.items()}
        for column, values in held.items():
            row[column] = values[i]
        out.append({k: (None if _is_scalar_missing(v) else v) for k, v in row.items()})
    return out


def _is_scalar_missing(value: Any) -> bool:
    if isinstance(value, list | tuple | dict | set | Withheld):
        return False
    return _is_missing(value)


def _parse_columns(columns: Iterable[Any], frame: pd.DataFrame) -> list[tuple[Any, str, str, dict]]:
    parsed = []
    for spec in columns:
        if isinstance(spec, str):
            spec = (spec, spec, "text")
        spec = tuple(spec)
        if len(spec) not in (3, 4):
            raise ReportError(
                f"data_table column spec {spec!r} must be (column, header, format) or "
                "(column, header, format, {options})."
            )
        column: Any = spec[0]
        header, fmt = str(spec[1]), str(spec[2])
        options = dict(spec[3]) if len(spec) == 4 else {}
        # a pair of columns (low, high) makes one "ci" cell
        names = [str(c) for c in column] if isinstance(column, list | tuple) else [str(column)]
        column = tuple(names) if isinstance(column, list | tuple) else names[0]
        for name in names:
            if name not in frame.columns:
                raise ReportError(
                    f"data_table: column {name!r} not in the table (columns: "
                    f"{[str(c) for c in frame.columns]})."
                )
        if "or" in options and str(options["or"]) not in frame.columns:
            raise ReportError(f"data_table: column {options['or']!r} (the text printed instead "
                              f"of {column!r} where it is set) is not in the table.")
        parsed.append((column, header, fmt, options))
    return parsed


def data_table(
    frame: pd.DataFrame | None,
    columns: Sequence[Any],
    *,
    formatter: Formatter,
    fmt: str,
    caption: str | None = None,
    counts: Sequence[str] = (),
    row_header: str | None = None,
    empty: str = "No rows.",
    magnitudes: Collection[str] = (),
    labels: Collection[str] = (),
) -> Markup:
    """Render ``frame`` as an HTML or Markdown table (``fmt`` = "html" or "markdown").

    A row's figures are hidden ("s") where one of its ``counts`` is withheld or small; those
    of ``magnitudes`` (a result's ``magnitude_columns``: pay, a gap) only where it is small,
    and number columns that name the row (``labels``: a cut-off, a panel size) never.
    """
    if frame is None or len(frame) == 0:
        if fmt == "html":
            return Markup('<p class="muted">{}</p>').format(empty)
        return Markup(md_escape(empty))
    if not isinstance(frame, pd.DataFrame):
        raise ReportError(f"data_table expects a pandas DataFrame, got {type(frame).__name__}.")
    cols = _parse_columns(columns, frame)
    for c in counts:
        if c not in frame.columns:
            raise ReportError(f"data_table: counts column {c!r} not in the table.")

    body: list[list[Any]] = []
    for rec in records(frame):
        hide = formatter.small(*(rec[c] for c in counts)) if counts else False
        hide_small = hide and formatter.small(*(rec[c] for c in counts), complements=False)
        row = []
        for column, _header, cfmt, options in cols:
            value = tuple(rec[c] for c in column) if isinstance(column, tuple) else rec[column]
            if cfmt == "ci" and not isinstance(value, tuple | list):
                value = (None, None)
            note = rec.get(options.get("or", ""))
            if isinstance(note, str) and note.strip():
                row.append(note)  # the result's own words where it has no figure
                continue
            kwargs = {k: v for k, v in options.items() if k != "or"}
            if cfmt == "text":
                kwargs["label"] = column in LABEL_COLUMNS
            names = set(column) if isinstance(column, tuple) else {column}
            own = False if names <= set(labels) else (
                hide_small if names <= set(magnitudes) else hide)
            row.append(formatter.format_cell(cfmt, value, hide=own, **kwargs))
        body.append(row)

    if fmt == "html":
        return _html(cols, body, caption, row_header)
    return _markdown(cols, body, caption)


def _cell_html(value: Any) -> Markup:
    if value is None or (isinstance(value, float) and value != value):
        return Markup(MISSING)
    return escape(value)


def _html(cols, body, caption, row_header) -> Markup:
    out = ['<div class="table-wrap"><table>']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>")
    for _column, header, cfmt, _ in cols:
        cls = ' class="num"' if cfmt in _NUMERIC_FORMATS else ""
        out.append(f'<th scope="col"{cls}>{escape(header)}</th>')
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>")
        for (column, _header, cfmt, _), value in zip(cols, row, strict=True):
            cls = ' class="num"' if cfmt in _NUMERIC_FORMATS else ""
            if column == row_header:
                out.append(f'<th scope="row"{cls}>{_cell_html(value)}</th>')
            else:
                out.append(f"<td{cls}>{_cell_html(value)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return Markup("\n".join(out))


def _cell_md(value: Any) -> str:
    if value is None:
        return MISSING
    if hasattr(value, "__html__"):
        return str(value).replace("|", "\\|")
    return md_escape(value)


def _markdown(cols, body, caption) -> Markup:
    out = []
    if caption:
        out.append(f"*{md_escape(caption)}*")
        out.append("")
    out.append("| " + " | ".join(md_escape(h) for _c, h, _f, _o in cols) + " |")
    out.append(
        "|" + "|".join("---:" if f in _NUMERIC_FORMATS else "---" for _c, _h, f, _o in cols) + "|"
    )
    for row in body:
        out.append("| " + " | ".join(_cell_md(v) for v in row) + " |")
    return Markup("\n".join(out))


def auto_columns(frame: Any, formats: Mapping[str, str] | None = None) -> list[tuple]:
    """Column specs for the table behind a chart: the chart's own formats, else by type."""
    import pandas as pd

    cols: list[tuple[str, str, str, dict[str, Any]]] = []
    for c in frame.columns:
        name = str(c)
        header = name.replace("_", " ").capitalize()
        values = [v for v in frame[c].tolist() if not isinstance(v, Withheld)]
        fmt = (formats or {}).get(name)
        if fmt is None:
            if pd.api.types.is_bool_dtype(frame[c]):
                fmt = "yesno"
            elif all(isinstance(v, int) and not isinstance(v, bool) for v in values) and values:
                fmt = "count"
            elif pd.api.types.is_numeric_dtype(pd.Series(values, dtype=object).infer_objects()):
                fmt = "num"
            else:
                fmt = "text"
        cols.append((name, header, fmt, {"digits": 3} if fmt == "num" else {}))
    return cols
