"""The functions a partial calls: ``data_table``, ``chart``, ``detail``, ``records``, ``small``
and ``suppression_note`` (see PARTIALS.md), bound to one render of one report."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from markupsafe import Markup

from ..errors import ReportError
from .charts import chart_function
from .filters import Formatter
from .job_ads import job_ad_view
from .safe import md_escape
from .sections import Detail, RenderState
from .tables import auto_columns, data_table, records

__all__ = ["Hooks"]


class Hooks:
    """Template globals for one render: the format, the formatter, the figure counter and the
    detailed tables sent to the appendix (``state``), and the report's chart drawer."""

    def __init__(self, env: Any, fmt: str, formatter: Formatter, state: RenderState,
                 min_cell: int | None, svg: Callable[..., Markup]) -> None:
        self.env, self.fmt, self.formatter, self.state = env, fmt, formatter, state
        self.min_cell = min_cell
        self.svg = svg

    def globals(self) -> dict[str, Any]:
        return {"detail": self.detail, "data_table": self.table, "records": records,
                "small": self.formatter.small, "suppression_note": self.suppression_note,
                "chart": self.chart, "curves": self.curves,
                "curves_shown": self.curves_shown, "job_ad": job_ad_view}

    def table(self, frame: Any, columns: Any, caption: str | None = None,
              counts: Sequence[str] = (), row_header: str | None = None,
              empty: str = "No rows.", magnitudes: Collection[str] = (),
              labels: Collection[str] = ()) -> Markup:
        return data_table(frame, columns, formatter=self.formatter, fmt=self.fmt,
                          caption=caption, counts=counts, row_header=row_header, empty=empty,
                          magnitudes=magnitudes, labels=labels)

    def suppression_note(self) -> Markup:
        if self.min_cell is None:
            return Markup("")
        text = (
            f"Counts below {self.min_cell} are shown as “< {self.min_cell}”, and figures "
            f"that would reveal them as “s”, to protect the people they describe."
        )
        if self.fmt == "html":
            return Markup('<p class="small-print">{}</p>').format(text)
        return Markup(md_escape(text))

    def curves_shown(self, name: str, result: Any) -> bool:
        """Whether :meth:`curves` draws the chart (text that points at it says so only then)."""
        return chart_function(name)(result, min_cell=self.min_cell) is not None

    def curves(self, name: str, result: Any, what: str) -> Markup:
        """A step-curve chart or, when ``min_cell`` withholds every step, a sentence saying so
        (an empty plot would look like a curve that never moves)."""
        drawn = self.chart(name, result)
        if drawn or self.min_cell is None:
            return drawn
        text = (f"{what} are not drawn: each step shows how many people it counts at one "
                f"time, and with counts below {self.min_cell} withheld too few steps remain.")
        if self.fmt == "html":
            return Markup('<p class="small-print">{}</p>').format(text)
        return Markup(md_escape(text))

    def chart(self, name: str, result: Any, **kwargs: Any) -> Markup:
        made = chart_function(name)(result, min_cell=self.min_cell, **kwargs)
        if made is None:
            return Markup("")
        self.state.figures += 1
        number = self.state.figures
        data = None
        if made.data is not None and len(made.data) and self.fmt == "html":
            data = self.table(made.data, auto_columns(made.data, made.formats),
                              caption=f"Figures behind figure {number}")
        if self.fmt == "html":
            template = self.env.get_template("_figure.html.j2")
            svg = self.svg(self.state, made, (name, repr(sorted(kwargs.items())), made.title,
                                              made.alt, number), result)
        else:
            template = self.env.get_template("_figure.md.j2")
            svg = Markup("")
        return Markup(template.render(number=number, chart=made, svg=svg, data=data).strip("\n"))

    def detail(self, title: str, caller: Any = None) -> Markup:
        """Send the block's content to the appendix of detailed tables; leave a link."""
        state = self.state
        if caller is None or state.section is None:
            raise ReportError("detail() is used as a call block inside a partial: "
                              "{% call detail('Title') %}...{% endcall %}.")
        section = state.section
        n = 1 + sum(d.section is section for d in state.details)
        made = Detail(id=f"detail-{section.anchor}-{n}", number=f"A{section.index}.{n}",
                      title=str(title), section=section, body=Markup(caller()))
        state.details.append(made)
        if self.fmt == "html":
            return Markup('<p class="see-detail">{}: table <a href="#{}">{} in the '
                          'appendix ›</a>.</p>').format(made.title, made.id, made.number)
        return Markup("{}: table [{} in the appendix](#{}).\n").format(
            Markup(md_escape(made.title)), made.number, made.id)
