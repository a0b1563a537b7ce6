"""Shared chart machinery: matplotlib figures to deterministic, accessible inline SVG.

Charts never touch ``pyplot``: each chart function returns a :class:`Chart` whose ``draw``
callable paints onto a fresh :class:`matplotlib.figure.Figure` that this module creates, so
there is no global state and nothing depends on the interactive backend.

The SVG is made deterministic (fixed ``svg.hashsalt``, no date or creator metadata, comments
and XML prologue stripped) and self-contained (no namespace URLs, no external references), and
every id is prefixed with the chart's number so several charts can live in one HTML page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

__all__ = [
    "FLAG",
    "GREY",
    "MARKERS",
    "OK",
    "PALETTE",
    "Chart",
    "legend_columns",
    "mpl_text",
    "new_figure",
    "small",
    "style_axes",
    "to_svg",
]

#: Okabe & Ito (2008) colour-blind-safe palette (without yellow, too pale on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: Flagged (e.g. below four-fifths) and not flagged.
FLAG = "#D55E00"
OK = "#0072B2"
GREY = "#595959"  # 7:1 contrast on white
#: Marker shapes to pair with colours so meaning never rests on colour alone.
MARKERS = ("o", "s", "D", "^", "v", "P", "X")

_RC = {
    "svg.hashsalt": "fairhire",
    "svg.fonttype": "none",  # real <text>: selectable, screen-readable, small
    "font.family": "sans-serif",
    "font.size": 10.0,
    "axes.edgecolor": GREY,
    "axes.labelcolor": "#1a1a1a",
    "xtick.color": "#1a1a1a",
    "ytick.color": "#1a1a1a",
    "text.color": "#1a1a1a",
    "axes.prop_cycle": None,  # filled in lazily (needs cycler)
    "path.simplify": True,
}


@dataclass(frozen=True)
class Chart:
    """A chart ready to render: what it shows (title, alt) and how to draw it.

    Attributes
    ----------
    title : str
        Short title; becomes the SVG ``<title>`` and the figure caption.
    alt : str
        Text alternative: what the chart shows and what it finds, in one to three sentences.
    draw : callable
        ``draw(fig)`` paints onto a :class:`matplotlib.figure.Figure`.
    size : tuple of float
        Figure size in inches (the SVG scales to the page width).
    data : pandas.DataFrame or None
        The figures behind the chart, offered as a table under the chart.
    formats : mapping of str to str
        How to print a column of ``data`` ("count", "pct", "ratio", "num", "pvalue", "text");
        columns not named are printed by type (whole numbers as counts).
    """

    title: str
    alt: str
    draw: Callable[[Any], None]
    size: tuple[float, float] = (7.0, 3.5)
    data: pd.DataFrame | None = None
    formats: Mapping[str, str] = field(default_factory=dict)


def small(min_cell: int | None, *counts: Any) -> bool:
    """True when a count is withheld from the report, or below ``min_cell``.

    >>> small(5, 12, 3), small(None, 3), small(5, 40)
    (True, False, False)
    """
    from ..suppress import Withheld

    for c in counts:
        if isinstance(c, Withheld):
            return True
        if min_cell is not None and c is not None and not pd.isna(c) and c < min_cell:
            return True
    return False


def legend_columns(labels: object) -> int:
    """How many legend columns fit across a chart: fewer for long labels.

    >>> legend_columns(["Female", "Male"]), legend_columns(["Two or More Races"] * 5)
    (2, 1)
    """
    names = [str(x) for x in labels]  # type: ignore[attr-defined]
    if not names:
        return 1
    widest = max(len(n) for n in names)
    return max(1, min(len(names), 4, 44 // (widest + 6)))


def mpl_text(value: object) -> str:
    """User text (a group label) safe for matplotlib: ``$`` would start mathtext.

    >>> print(mpl_text("$5 an hour"))
    \\$5 an hour
    """
    return str(value).replace("$", r"\$")


#: Widest figure drawn, in inches: at this width 10-pt text stays at least 9 px on a 390-px
#: phone (the chart scales to the column) and at least 8 pt on A4 paper.
MAX_WIDTH = 5.2


def figure_size(size: tuple[float, float]) -> tuple[float, float]:
    """The size a chart is drawn at: at most :data:`MAX_WIDTH` wide, a little less tall.

    >>> figure_size((7.0, 3.5))
    (5.2, 2.98)
    """
    width, height = size
    if width <= MAX_WIDTH:
        return (width, height)
    return (MAX_WIDTH, round(max(height * 0.85, 1.6), 2))


def new_figure(size: tuple[float, float]) -> Any:
    """A fresh, pyplot-free figure."""
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def style_axes(ax: Any) -> None:
    """The house style: no top/right spines, light grid behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(True, axis="x", color="#d9d9d9", linewidth=0.6)


_PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_FONT = re.compile(r"font-family: [^;\"]*")
FONT_STACK = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\s*")


def to_svg(chart: Chart, *, chart_id: str) -> Markup:
    """Render a chart to an inline ``<svg>`` element (Markup), deterministic and self-contained.

    ``chart_id`` prefixes every id in the SVG (and names its ``<title>``/``<desc>``), so it must
    be unique within the page and stable between runs (the report uses ``fig-<n>``).
    """
    import matplotlib
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE))
    with matplotlib.rc_context(rc):
        fig = new_figure(figure_size(chart.size))
        chart.draw(fig)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None})
    svg = buf.getvalue()
    svg = _PROLOGUE.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _STYLE.sub("", svg)
    svg = _EMPTY_DEFS.sub("", svg)
    svg = _XMLNS.sub("", svg)
    svg = _SIZE.sub(r"\1", svg, count=1)

    # Keep only the ids something refers to (clip paths, marker glyphs), prefixed per chart.
    ids = set(_ID.findall(svg))
    used = {i for i in ids if f"#{i})" in svg or f'href="#{i}"' in svg}
    svg = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = svg.replace("<g >", "<g>")
    svg = _FONT.sub(f"font-family: {FONT_STACK}", svg)
    for old in sorted(used, key=len, reverse=True):
        svg = svg.replace(f"#{old})", f"#{chart_id}-{old})").replace(
            f'href="#{old}"', f'href="#{chart_id}-{old}"'
        )

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = (
        f'<svg class="chart" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'preserveAspectRatio="xMidYMid meet"'
    )
    svg = svg.strip().replace("<svg", head, 1)
    close = svg.index(">") + 1
    svg = (
        svg[:close]
        + f'<title id="{title_id}">{escape(chart.title)}</title>'
        + f'<desc id="{desc_id}">{escape(chart.alt)}</desc>'
        + svg[close:]
    )
    # Drop trailing spaces and blank lines so the output is compact and stable.
    svg = "\n".join(line.rstrip() for line in svg.splitlines() if line.strip())
    return Markup(svg)
