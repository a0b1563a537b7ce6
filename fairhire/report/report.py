"""The audit report: collect results, render them to HTML, Markdown and JSON.

The report layer only renders. Each result type maps to a partial template in
:mod:`fairhire.report.registry`; the report adds the cover, the executive summary (from every
result's ``headlines()``), methodology (``methods/<partial>.toml``), data and exclusions (from
``result.rows``), limitations and a reproducibility appendix. See ``PARTIALS.md`` for the
contract a partial follows.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateNotFound
from markupsafe import Markup

from .._core.text import threshold_line
from .._results import Result, jsonable
from ..errors import InvalidParameterError, ReportError
from .charts._base import text_metrics, to_svg
from .filters import Formatter
from .glossary import glossary
from .hooks import Hooks
from .methods import GENERAL_LIMITATIONS, MethodEntry, load_methods
from .payload import section_json
from .provenance import compact, fingerprint_inputs, library_versions, timestamp
from .registry import counts_people, partial_for
from .safe import strip_controls
from .sections import RenderedSection, RenderState, ReportInfo, Section, link_views
from .summary import SEVERITY_LABELS, Area, SummaryItem, group_findings
from .templating import new_environment, slug

__all__ = ["SCHEMA_VERSION", "Report", "ReportInfo", "Section"]

#: Version of the JSON layout written by :meth:`Report.render_json`.
SCHEMA_VERSION = "1.0"

#: ``report_placement`` of a result class whose section goes right after the executive summary
#: (e.g. :class:`fairhire.AuditComparison`); other sections follow in the order they were added.
AFTER_SUMMARY = "after summary"


def _placement(result: Any) -> str | None:
    return getattr(type(result), "report_placement", None)


def _version() -> str:
    from .. import __version__

    return __version__


def _texts(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Notes as a tuple of text: one text, several, or none."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(n) for n in value)


class Report:
    """An audit report assembled from fairhire results.

    Parameters
    ----------
    title : str
        The report's title.
    organization, period, author : str, optional
        Shown on the cover.
    generated_at : datetime, date or ISO 8601 str, optional
        The report's timestamp. Fix it to get byte-identical output from the same inputs; by
        default the time the report object was created (UTC, to the second).
    min_cell : int, optional
        Suppress counts of people below this number in the rendered report (shown as ``< 5``),
        with the figures derived from them (shown as ``s``), and say so in the report.
    template_dir : str or path, optional
        A directory of templates that shadow the packaged ones by name (``report.html.j2``,
        ``report.md.j2``, ``partials/<name>.html.j2``...). User templates extend
        ``base.html.j2``/``base.md.j2`` and override named blocks; they run in Jinja's sandbox.
    inputs : mapping of str to path, optional
        Input files to fingerprint (SHA-256) in the reproducibility appendix, by display name.

    Examples
    --------
    >>> import fairhire as fh
    >>> counts = {"group": ["men", "women"], "n": [80, 40], "hired": [48, 12]}
    >>> ai = fh.adverse_impact_from_counts(counts, group="group", applicants="n", selected="hired")
    >>> report = fh.Report(title="Hiring audit", organization="Example Corp",
    ...                    generated_at="2026-01-31T09:00:00+00:00")
    >>> report.add(ai, title="Hiring")  # doctest: +ELLIPSIS
    <Report 'Hiring audit': 1 section>
    >>> html = report.render_html()
    >>> html.startswith("<!DOCTYPE html>") and "Hiring audit" in html
    True
    >>> report.render_json()[:40]  # doctest: +ELLIPSIS
    '{\\n  "schema_version": "1.0",...
    """

    def __init__(
        self,
        title: str = "Hiring audit",
        *,
        organization: str | None = None,
        period: str | None = None,
        author: str | None = None,
        generated_at: Any = None,
        min_cell: int | None = None,
        template_dir: str | Path | None = None,
        inputs: Mapping[str, str | Path] | None = None,
    ) -> None:
        for name, value in (("title", title), ("organization", organization),
                            ("period", period), ("author", author)):
            if value is not None and not isinstance(value, str):
                raise InvalidParameterError(
                    f"{name}= must be text, not {type(value).__name__} ({value!r})."
                )
        if min_cell is not None:
            if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
                raise InvalidParameterError(
                    f"min_cell={min_cell!r} must be a whole number of at least 1 (e.g. 5 or "
                    "10), or None for no suppression."
                )
        self.title = title
        self.organization = organization
        self.period = period
        self.author = author
        self.generated_at = timestamp(generated_at)
        self.min_cell = min_cell
        self.template_dir = None if template_dir is None else Path(template_dir)
        if self.template_dir is not None and not self.template_dir.is_dir():
            raise ReportError(
                f"template_dir={str(template_dir)!r} is not a directory. Pass a folder that "
                "holds your templates (e.g. report.html.j2 extending base.html.j2)."
            )
        self.inputs = fingerprint_inputs(inputs or {})
        self._sections: list[Section] = []

    # -- building ------------------------------------------------------------------------------
    def add(
        self,
        result: Result,
        *,
        title: str | None = None,
        notes: str | Sequence[str] | None = None,
        include_disclosure: bool = False,
        data_notes: Sequence[str] = (),
    ) -> Report:
        """Add a result as a section of the report (returns the report, so calls chain).

        ``notes`` are the auditor's own words, shown as written. ``data_notes`` say how the
        data file was read (the command line's and the web app's notes: a title line skipped,
        "N/A" read as missing); they head the section's warnings, with ``min_cell`` applied.

        ``include_disclosure=True`` also renders the result's private, row-level fields
        (``result.private_fields``, e.g. the OWBPA disclosure of a reduction in force), which
        reports and JSON otherwise leave out.

        Raises
        ------
        ReportError
            If the result's type has no registered partial, or its partial templates are
            missing.
        """
        if not isinstance(result, Result):
            raise ReportError(
                f"Report.add() takes a fairhire result (e.g. the value of fh.adverse_impact()), "
                f"not {type(result).__module__}.{type(result).__qualname__}."
            )
        if not isinstance(include_disclosure, bool):
            raise InvalidParameterError(
                f"include_disclosure={include_disclosure!r} must be True or False."
            )
        if include_disclosure and not result.private_fields:
            raise ReportError(
                f"{type(result).__qualname__} has no private disclosure to include; leave "
                "include_disclosure= out."
            )
        partial = partial_for(result)
        env = self._environment("html", Formatter(self.min_cell), RenderState())
        for ext in ("html", "md"):
            name = f"partials/{partial}.{ext}.j2"
            try:
                env.loader.get_source(env, name)  # type: ignore[union-attr]
            except TemplateNotFound as exc:
                raise ReportError(
                    f"{type(result).__qualname__} is registered to the partial {partial!r}, "
                    f"but the template {name} does not exist. Add it under "
                    "fairhire/report/templates/ (see fairhire/report/PARTIALS.md)."
                ) from exc
        index = len(self._sections) + 1
        kind = str(getattr(result, "kind", "result"))
        default_title = load_methods(partial).title or kind.replace("_", " ").capitalize()
        if title is not None and not isinstance(title, str):
            raise InvalidParameterError(f"title= must be text, not {type(title).__name__}.")
        section = Section(
            index=index,
            anchor=f"s{index}-{slug(partial)}",
            title=title or default_title,
            notes=_texts(notes),
            data_notes=_texts(data_notes),
            kind=kind,
            partial=partial,
            type_name=f"{type(result).__module__}.{type(result).__qualname__}",
            result=result,
            include_disclosure=include_disclosure,
            min_cell=self.min_cell,
        )
        # A result class may say where its section goes (``report_placement``): "after
        # summary" sections come first, right after the executive summary, in the order added.
        first = [s for s in self._sections if _placement(s.result) == AFTER_SUMMARY]
        position = len(first) if _placement(result) == AFTER_SUMMARY else len(self._sections)
        self._sections.insert(position, section)
        return self

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections added so far, in order (with the report's current ``min_cell``)."""
        self._sections = [
            s if s.min_cell == self.min_cell else dataclasses.replace(s, min_cell=self.min_cell)
            for s in self._sections
        ]
        if any("_view" not in s.__dict__ for s in self._sections):
            link_views(self._sections)  # a section added or min_cell changed: plan them together
        return tuple(self._sections)

    def __repr__(self) -> str:
        n = len(self._sections)
        return f"<Report {self.title!r}: {n} section{'' if n == 1 else 's'}>"

    # -- shared pieces -------------------------------------------------------------------------
    def _cover(self) -> dict[str, Any]:
        """What the cover shows, named as in :class:`ReportInfo` and the JSON's ``report``."""
        return {"title": self.title, "organization": self.organization, "period": self.period,
                "author": self.author, "generated_at": self.generated_at}

    def _info(self, fmt: str) -> ReportInfo:
        return ReportInfo(**self._cover(), min_cell=self.min_cell, format=fmt,
                          version=_version(), thresholds=self._thresholds(),
                          people=counts_people(s.partial for s in self.sections))

    def _thresholds(self) -> tuple[str, ...]:
        """Each section's impact-ratio threshold in words, once each, in section order."""
        lines: list[str] = []
        for section in self.sections:
            params = getattr(section.result, "params", None) or {}
            value = params.get("ratio_threshold", params.get("threshold"))
            if value is not None:
                try:
                    line = threshold_line(value)
                except (TypeError, ValueError, ZeroDivisionError):
                    continue
                if line not in lines:
                    lines.append(line)
        return tuple(lines)

    def _summary(self) -> list[Area]:
        """Every section's headlines, grouped by area and deduplicated (see summary.py)."""
        items = []
        for section in self.sections:
            area = load_methods(section.partial).area
            for headline in section.headlines:
                severity = int(headline.severity)
                items.append(SummaryItem(
                    severity=severity,
                    label=SEVERITY_LABELS.get(severity, "Information"),
                    text=str(headline.text),
                    figure=headline.figure,
                    subject=headline.section,
                    anchor=section.anchor,
                    section_title=section.title,
                    area=area,
                ))
        return group_findings(items)

    def _methodology(self) -> list[dict[str, Any]]:
        seen: set[str] = set()
        blocks = []
        partials: list[str] = []
        for section in self._sections:
            if section.partial not in partials:
                partials.append(section.partial)
        for partial in partials:
            block = load_methods(partial)
            results = [s.result for s in self._sections if s.partial == partial]
            entries: list[MethodEntry] = []
            for entry in block.entries:
                if entry.id in seen or not entry.applies_to(results):
                    continue
                seen.add(entry.id)
                entries.append(entry)
            if entries:
                blocks.append({"partial": partial, "title": block.title, "entries": entries})
        return blocks

    def _limitations(self) -> list[dict[str, str]]:
        out = [{"title": t, "text": x} for t, x in GENERAL_LIMITATIONS]
        seen: set[str] = set()
        for section in self._sections:
            for text in load_methods(section.partial).limitations:
                if text not in seen:
                    seen.add(text)
                    out.append({"title": "", "text": text})
        return out

    def _glossary(self) -> list[Any]:
        return glossary(section.partial for section in self._sections)

    def _appendix(self) -> dict[str, Any]:
        versions = library_versions(_version())
        sections = []
        for section in self._sections:
            result = section.result
            params = dict(result.params or {})
            sections.append(
                {
                    "anchor": section.anchor,
                    "title": section.title,
                    "type": section.type_name,
                    "params": [(str(k), compact(v)) for k, v in params.items()],
                    "params_raw": {str(k): jsonable(v) for k, v in params.items()},
                    "fingerprint": getattr(result, "fingerprint", None),
                }
            )
        return {
            "generated_at": self.generated_at,
            "fairhire_version": _version(),
            "min_cell": self.min_cell,
            "versions": versions,
            "inputs": list(self.inputs),
            "sections": sections,
        }

    # -- templates -----------------------------------------------------------------------------
    def _environment(self, fmt: str, formatter: Formatter, state: RenderState) -> Any:
        env = new_environment(fmt, self.template_dir)
        env.filters.update(formatter.filters())
        env.globals.update(Hooks(env, fmt, formatter, state, self.min_cell, self._svg).globals())
        return env

    def _svg(self, state: RenderState, made: Any, key: tuple, result: Any) -> Markup:
        """A chart's SVG, drawn once per section: a result is frozen, so its chart is too."""
        section = next((s for s in self.sections if s.view is result), None)
        cache = None if section is None else section.__dict__.setdefault("_svgs", {})
        if cache is not None and key in cache:
            return cache[key]
        if state.metrics is None:
            state.metrics = text_metrics()
        svg = to_svg(made, chart_id=f"fig-{key[-1]}", metrics=state.metrics)
        if cache is not None:
            cache[key] = svg
        return svg

    def _render(self, fmt: str) -> str:
        if not self._sections:
            raise ReportError(
                "the report has no sections: add at least one result with report.add(result) "
                "before rendering."
            )
        ext = "html" if fmt == "html" else "md"
        formatter = Formatter(self.min_cell, format=fmt)
        state = RenderState()
        env = self._environment(fmt, formatter, state)
        info = self._info(fmt)
        rendered = []
        try:
            for section in self.sections:
                state.section = section
                template = env.get_template(f"partials/{section.partial}.{ext}.j2")
                module = template.make_module(
                    vars={"result": section.view, "section": section, "report": info}
                )
                body = Markup(str(module).strip("\n"))
                data = Markup(str(module.data()).strip("\n")) if hasattr(module, "data") else ""
                rendered.append(RenderedSection(section=section, body=body, data=Markup(data)))
            appendix = self._appendix()
            areas = self._summary()
            page = env.get_template(f"report.{ext}.j2").render(
                report=info,
                areas=areas,
                summary=[item for area in areas for item in area.items],
                sections=rendered,
                methodology=self._methodology(),
                limitations=self._limitations(),
                glossary=self._glossary(),
                details=state.details,
                appendix=appendix,
                suppressed=formatter.suppressed,
            )
        except ReportError:
            raise
        except TemplateError as exc:
            raise ReportError(f"could not render the {fmt} report: {exc}") from exc
        # No control or bidi-override character from a label reaches the page; one trailing
        # newline, no trailing spaces: stable, diff-friendly output.
        lines = [line.rstrip() for line in strip_controls(page).splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"

    # -- outputs -------------------------------------------------------------------------------
    def render_html(self) -> str:
        """The report as one self-contained HTML page (inline CSS and SVG, no external links)."""
        return self._render("html")

    def render_markdown(self) -> str:
        """The report as GitHub-flavoured Markdown (charts replaced by their descriptions)."""
        return self._render("markdown")

    def to_json_dict(self) -> dict[str, Any]:
        """Every figure of the report as a JSON-safe dict (``min_cell`` applied)."""
        if not self._sections:
            raise ReportError("the report has no sections: add a result with report.add().")
        sections = [section_json(section) for section in self.sections]
        appendix = self._appendix()
        return {
            "schema_version": SCHEMA_VERSION,
            "report": {**self._cover(), "fairhire_version": _version(), "min_cell": self.min_cell},
            "summary": [item.to_dict() for area in self._summary() for item in area.items],
            "sections": sections,
            "methodology": [
                {"partial": b["partial"], "title": b["title"],
                 "entries": [e.to_dict() for e in b["entries"]]}
                for b in self._methodology()
            ],
            "limitations": self._limitations(),
            "glossary": [term.to_dict() for term in self._glossary()],
            "reproducibility": {
                "versions": appendix["versions"],
                "inputs": appendix["inputs"],
                "sections": [
                    {"anchor": s["anchor"], "type": s["type"], "params": s["params_raw"],
                     "fingerprint": s["fingerprint"]}
                    for s in appendix["sections"]
                ],
            },
        }

    def render_json(self) -> str:
        """The report's figures as JSON text (see :meth:`to_json_dict`)."""
        return json.dumps(self.to_json_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    def _write(self, path: str | Path, text: str) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        return target

    def to_html(self, path: str | Path) -> Path:
        """Write :meth:`render_html` to ``path`` (folders are created); return the path."""
        return self._write(path, self.render_html())

    def to_markdown(self, path: str | Path) -> Path:
        """Write :meth:`render_markdown` to ``path``; return the path."""
        return self._write(path, self.render_markdown())

    def to_json(self, path: str | Path) -> Path:
        """Write :meth:`render_json` to ``path``; return the path."""
        return self._write(path, self.render_json())


