"""Shared chart machinery: matplotlib figures to deterministic, accessible inline SVG.

Charts never touch ``pyplot``: each chart function returns a :class:`Chart` whose ``draw``
callable paints onto a fresh :class:`matplotlib.figure.Figure` that this module creates, so
there is no global state and nothing depends on the interactive backend.

The SVG is made deterministic (fixed ``svg.hashsalt``, no date or creator metadata, comments
and XML prologue stripped) and self-contained (no namespace URLs, no external references), and
every id is prefixed with the chart's number so several charts can live in one HTML page.
"""

from __future__ import annotations

import functools
import io
import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd
from markupsafe import Markup, escape

from ..safe import strip_controls
from ..templating import group_words, words
from ._withheld import small

__all__ = [
    "FLAG",
    "GREY",
    "LINESTYLES",
    "MARKERS",
    "OK",
    "PALETTE",
    "Chart",
    "Estimates",
    "ci_line",
    "flag_legend",
    "flag_point",
    "group_words",
    "legend_columns",
    "line_note",
    "median_text",
    "mpl_text",
    "new_figure",
    "reference_text",
    "style_axes",
    "text_metrics",
    "tick_text",
    "to_svg",
    "value_label",
    "words",
    "wrap_labels",
    "y_grid",
]

#: Okabe & Ito (2008) colour-blind-safe palette (without yellow, too pale on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: Flagged (e.g. below four-fifths) and not flagged.
FLAG = "#D55E00"
OK = "#0072B2"
GREY = "#595959"  # 7:1 contrast on white
#: Marker shapes to pair with colours so meaning never rests on colour alone.
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
#: Line styles paired with colours, so curves never differ by colour alone.
LINESTYLES = ("-", (0, (5, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2)), (0, (3, 1, 1, 1, 1, 1)))

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


class Estimates(NamedTuple):
    """Estimates drawn one a row: labels, values, confidence limits and flags (arrays)."""

    labels: list[str]
    value: Any
    low: Any
    high: Any
    flagged: Any

    @classmethod
    def of(cls, rows: pd.DataFrame, labels: list[str], value: str, flag: str) -> Estimates:
        """The ``value`` column of ``rows`` with its ``ci_low``/``ci_high`` and ``flag``."""
        return cls(
            labels,
            rows[value].astype(float).to_numpy(),
            rows["ci_low"].astype(float).to_numpy(),
            rows["ci_high"].astype(float).to_numpy(),
            rows[flag].astype(bool).to_numpy(),
        )


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
    """User text (a group label) safe for matplotlib: ``$`` would start mathtext; control
    characters have no glyph.

    >>> print(mpl_text("$5 an hour"))
    \\$5 an hour
    """
    return strip_controls(str(value)).replace("$", r"\$")


def tick_text(label: object, limit: int = 40) -> str:
    """A user label as an axis tick: each line at most ``limit`` characters, ``$`` escaped.

    A longer group name would take the plot's width (matplotlib then collapses the axes); the
    full name is in the chart's text alternative and in the table beside it.

    >>> print(tick_text("stage · " + "x" * 50 + "\\nvs Male (40)"))
    stage · xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
    vs Male (40)
    """
    lines = str(label).split("\n")
    return "\n".join(mpl_text(t if len(t) <= limit else t[: limit - 1] + "…") for t in lines)


def reference_text(group: object, size: Any, what: str, min_cell: int | None = None) -> str:
    """The reference group and its size, as every ratio names it: "Male (985 employees)".

    >>> reference_text("Male", 985, "employees"), reference_text("X", 3, "people", 5)
    ('Male (985 employees)', 'X (< 5 people)')

    A size withheld only so that another group's small count cannot be worked out is not
    small: it is said to be withheld.
    """
    from ..._core.text import format_count

    if small(min_cell, size) and not small(min_cell, size, complements=False):
        return f"{group} (number of {what} withheld)"
    shown = f"< {min_cell}" if small(min_cell, size) else format_count(size)
    return f"{group} ({shown} {what})"


def median_text(value: Any, note: Any = None, digits: int = 1) -> str:
    """A median time as the table prints it: its note ("not reached", "unstable ...") when it
    has one, else the number.

    >>> median_text(62.0), median_text(float("nan"), "not reached")
    ('62.0', 'not reached')
    """
    from ..._core.text import format_number

    if isinstance(note, str) and note.strip():
        return note
    if value is None or not math.isfinite(float(value)) or float(value) > 1e300:
        return "not reached"
    return format_number(float(value), digits)


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


def wrap_labels(fig: Any) -> None:
    """Let every axis label and title that would run past the figure's edge break onto a new
    line (matplotlib's ``wrap``: text that fits is drawn as it is)."""
    for ax in fig.axes:
        for text in (ax.xaxis.label, ax.yaxis.label, ax.title):
            text.set_wrap(True)


def style_axes(ax: Any) -> None:
    """The house style: no top/right spines, light grid behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(True, axis="x", color="#d9d9d9", linewidth=0.6)


def flag_point(ax: Any, x: float, y: float, flagged: bool) -> None:
    """A flagged estimate as a filled vermillion diamond, any other as an open blue circle."""
    colour = FLAG if flagged else OK
    ax.plot([x], [y], marker="D" if flagged else "o", color=colour,
            markersize=6.5 if flagged else 5.5, markerfacecolor=colour if flagged else "white",
            markeredgewidth=1.5, linestyle="none")


def ci_line(ax: Any, y: float, low: float, high: float, flagged: bool) -> None:
    """A confidence interval as a horizontal line in the colour of :func:`flag_point`."""
    ax.plot([low, high], [y, y], color=FLAG if flagged else OK, linewidth=1.6,
            solid_capstyle="butt")


def value_label(ax: Any, label: str, x: float, y: float) -> None:
    """``label`` just above the point (x, y)."""
    ax.annotate(label, (x, y), xytext=(0, 5), textcoords="offset points", ha="center",
                va="bottom", color="#1a1a1a")


def line_note(ax: Any, x: float, label: str, ha: str) -> None:
    """``label`` at the top of the vertical line at ``x`` (left of it with ``ha="right"``)."""
    ax.text(x, 1.0, label, transform=ax.get_xaxis_transform(), ha=ha, va="bottom",
            color="#1a1a1a")


def flag_legend(
    fig: Any, flagged_label: str, ok_label: str, raw_label: str | None = None
) -> None:
    """The legend of :func:`flag_point` marks (and of a grey raw-value tick, when named)."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="D", color=FLAG, linestyle="-", markerfacecolor=FLAG,
               label=flagged_label),
        Line2D([], [], marker="o", color=OK, linestyle="-", markerfacecolor="white",
               markeredgewidth=1.5, label=ok_label),
    ]
    if raw_label:
        handles.append(Line2D([], [], marker="|", color=GREY, linestyle="none", markersize=9,
                              markeredgewidth=1.6, label=raw_label))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)


def y_grid(ax: Any) -> None:
    """Light horizontal grid lines (for charts whose values run up the y axis)."""
    ax.grid(True, axis="y", color="#d9d9d9", linewidth=0.6)


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


@functools.cache
def _svg_backend() -> tuple[Any, Any]:
    """The SVG canvas and renderer factory (built on first use: matplotlib loads lazily)."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

    def renderer(fig: Any, out: Any, dpi: float, metrics: Any) -> Any:
        width, height = fig.get_size_inches()
        svg = RendererSVG(width * 72, height * 72, out, image_dpi=dpi,
                          metadata={"Date": None, "Creator": None, "Format": None})
        svg._text2path = metrics  # text sizes come from the report's shared measurements
        return MixedModeRenderer(fig, width, height, dpi, svg)

    class Canvas(FigureCanvasSVG):
        """An SVG canvas whose layout measures text with the same renderer every time."""

        metrics: Any = None
        _measure: Any = None

        def get_renderer(self) -> Any:
            if self._measure is None:
                self._measure = renderer(self.figure, io.StringIO(), self.figure.dpi,
                                         self.metrics)
            return self._measure

    return Canvas, renderer


def text_metrics() -> Any:
    """Text measurements shared by the charts of one report render.

    matplotlib measures every label of a figure three times (for the layout, for a dry-run
    draw and for the real one), each time with a new renderer, and again in the next chart.
    The measurement depends only on the text and its font, so one report keeps one memo
    (bounded: at most 4,096 strings) and the SVG it writes is byte for byte the same.
    """
    from matplotlib.textpath import TextToPath

    class Metrics(TextToPath):
        def __init__(self) -> None:
            super().__init__()
            self._memo = functools.lru_cache(maxsize=4096)(
                super().get_text_width_height_descent)

        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
            return self._memo(s, prop.copy(), ismath)  # a copy: FontProperties is mutable

    return Metrics()


def _draw_svg(chart: Chart, metrics: Any) -> str:
    """The figure as SVG text: what ``savefig(format="svg")`` writes, with one layout pass.

    ``savefig`` lays the figure out with one renderer, dry-runs a draw with a second and draws
    with a third; here the layout runs once, at the SVG's 72 dpi, and the figure is drawn
    once, all with shared text measurements (``tests/test_report_charts.py`` checks the
    output equals ``savefig``'s).
    """
    canvas_class, renderer = _svg_backend()
    fig = new_figure(figure_size(chart.size))
    chart.draw(fig)
    wrap_labels(fig)
    canvas = canvas_class(fig)
    canvas.metrics = metrics
    dpi = fig.dpi
    fig.dpi = 72
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    buf = io.StringIO()
    painter = renderer(fig, buf, dpi, metrics)
    fig.draw(painter)
    painter.finalize()
    return buf.getvalue()


def to_svg(chart: Chart, *, chart_id: str, metrics: Any = None) -> Markup:
    """Render a chart to an inline ``<svg>`` element (Markup), deterministic and self-contained.

    ``chart_id`` prefixes every id in the SVG (and names its ``<title>``/``<desc>``), so it must
    be unique within the page and stable between runs (the report uses ``fig-<n>``).
    ``metrics`` (from :func:`text_metrics`) shares text measurements between the charts of
    one report.
    """
    import matplotlib
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE))
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # The SVG keeps real <text>, drawn by the reader's fonts: a glyph (a Chinese label)
        # that matplotlib's own font lacks only makes its width estimate rougher, so its
        # "Glyph ... missing from font" warning is not the reader's concern
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        svg = _draw_svg(chart, metrics if metrics is not None else text_metrics())
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
