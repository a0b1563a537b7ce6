"""The audit report: collect results, render them to HTML, Markdown and JSON.

The report layer only renders. Each result type maps to a partial template in
:mod:`fairhire.report.registry`; the report adds the cover, the executive summary (from every
result's ``headlines()``), methodology (``methods/<partial>.toml``), data and exclusions (from
``result.rows``), limitations and a reproducibility appendix. See ``PARTIALS.md`` for the
contract a partial follows.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .._results import Headline, Result, RowAccount, jsonable
from ..errors import InvalidParameterError, ReportError
from .charts import chart_function
from .charts._base import to_svg
from .filters import Formatter
from .job_ads import job_ad_view
from .methods import MethodEntry, load_methods
from .registry import partial_for
from .safe import md_escape, md_finalize, md_quote
from .suppress import ReportView, RowsView, Rule, Withheld, suppress_records, suppress_rows
from .tables import data_table, records

__all__ = ["SCHEMA_VERSION", "Report", "ReportInfo", "Section"]

#: Version of the JSON layout written by :meth:`Report.render_json`.
SCHEMA_VERSION = "1.0"

TEMPLATES_DIR = Path(__file__).parent / "templates"

SEVERITY_LABELS = {3: "Flagged", 2: "Review", 1: "Information"}

#: Libraries whose versions go in the reproducibility appendix.
_VERSIONED = (
    "fairhire",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "narwhals",
    "jinja2",
    "matplotlib",
)

GENERAL_LIMITATIONS = (
    (
        "Statistical and practical significance are different questions",
        "A p-value says how surprising a difference this large would be if the groups were "
        "treated alike; it says nothing about how large or important the difference is. With "
        "many applicants a trivial difference can be statistically significant; with few, a "
        "large one may not be. Read impact ratios, gaps and shortfalls next to the p-values.",
    ),
    (
        "Small samples",
        "Rates based on few people move a lot when one decision changes. Results flagged as "
        "small samples, or that would change with one person's selection, are not reliable "
        "evidence on their own; Fisher's exact test remains valid for them, the Z test does not.",
    ),
    (
        "The four-fifths rule is a US rule of thumb",
        "The four-fifths (80%) rule comes from the US Uniform Guidelines on Employee Selection "
        "Procedures (29 CFR 1607.4(D)). It is a practical screen for adverse impact, not a "
        "statistical test and not the legal standard in other jurisdictions. Passing it does "
        "not prove a process is fair, and failing it does not prove it is unlawful.",
    ),
    (
        "This report is not a legal finding",
        "The report describes statistical patterns in the data provided. It does not establish "
        "that discrimination did or did not occur: that is a legal conclusion, which depends on "
        "job-relatedness, business necessity, less discriminatory alternatives and context "
        "that the data do not contain. Seek qualified legal advice before acting on it.",
    ),
    (
        "Many comparisons",
        "Testing many groups and stages makes some differences look significant by chance. "
        "Adjusted p-values are reported alongside the raw ones where several comparisons were "
        "made.",
    ),
    (
        "Data quality",
        "Results are only as good as the records they come from. Group membership is usually "
        "self-reported and sometimes missing; the data-and-exclusions section lists every row "
        "that was left out and why. The analyses show associations, not causes.",
    ),
)


@dataclass(frozen=True)
class ReportInfo:
    """What every template knows about the report (``report`` in a template)."""

    title: str
    organization: str | None
    period: str | None
    author: str | None
    generated_at: str
    min_cell: int | None
    format: str
    version: str


@dataclass(frozen=True)
class Section:
    """One result in the report (``section`` in a partial)."""

    index: int
    anchor: str
    title: str
    notes: tuple[str, ...]
    kind: str
    partial: str
    type_name: str
    result: Result = field(repr=False)
    #: Render the result's private (row-level) fields too: ``Report.add(..., include_disclosure=True)``.
    include_disclosure: bool = False
    #: the report's ``min_cell`` when the section was made
    min_cell: int | None = None

    @property
    def view(self) -> ReportView:
        """The result as the report shows it: ``min_cell`` and the privacy rule applied."""
        cached = self.__dict__.get("_view")
        if cached is None:
            cached = ReportView(self.result, self.min_cell, self.include_disclosure)
            object.__setattr__(self, "_view", cached)
        return cached

    @property
    def headlines(self) -> list[Headline]:
        return list(self.view.headlines())

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.view.warnings)

    @property
    def rows(self) -> RowsView | None:
        return self.view.rows


@dataclass(frozen=True)
class SummaryItem:
    severity: int
    label: str
    text: str
    figure: float | None
    subject: str | None
    anchor: str
    section_title: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "label": self.label,
            "text": self.text,
            "figure": jsonable(self.figure),
            "subject": self.subject,
            "section": self.anchor,
            "section_title": self.section_title,
        }


@dataclass(frozen=True)
class RenderedSection:
    section: Section
    body: Markup
    data: Markup


@dataclass
class _RenderState:
    figures: int = 0


def _version() -> str:
    from .. import __version__

    return __version__


#: ``report_placement`` of a result class whose section goes right after the executive summary
#: (e.g. :class:`fairhire.AuditComparison`); other sections follow in the order they were added.
AFTER_SUMMARY = "after summary"


def _placement(result: Any) -> str | None:
    return getattr(type(result), "report_placement", None)


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in out.split("-") if part) or "section"


def _timestamp(value: Any) -> str:
    if value is None:
        return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            _dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise InvalidParameterError(
                f"generated_at={value!r} is not an ISO 8601 date or time. Pass a datetime, a "
                "date, or a string like '2026-03-31T12:00:00+00:00'."
            ) from exc
        return value
    raise InvalidParameterError(
        f"generated_at must be a datetime, a date or an ISO 8601 string, not "
        f"{type(value).__name__}."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _compact(value: Any) -> str:
    """A parameter value as compact, deterministic JSON text for the appendix."""
    return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True, default=str)


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
        self.generated_at = _timestamp(generated_at)
        self.min_cell = min_cell
        self.template_dir = None if template_dir is None else Path(template_dir)
        if self.template_dir is not None and not self.template_dir.is_dir():
            raise ReportError(
                f"template_dir={str(template_dir)!r} is not a directory. Pass a folder that "
                "holds your templates (e.g. report.html.j2 extending base.html.j2)."
            )
        self.inputs = self._fingerprint_inputs(inputs or {})
        self._sections: list[Section] = []

    # -- building ------------------------------------------------------------------------------
    @staticmethod
    def _fingerprint_inputs(inputs: Mapping[str, str | Path]) -> tuple[dict[str, Any], ...]:
        if not isinstance(inputs, Mapping):
            raise InvalidParameterError(
                "inputs= must map a display name to a file path, e.g. "
                "{'applicants': 'exports/applicants.csv'}."
            )
        out = []
        for name, raw in inputs.items():
            path = Path(raw)
            if not path.is_file():
                raise InvalidParameterError(
                    f"inputs[{name!r}] = {str(raw)!r} is not a readable file; pass the path of "
                    "the file the analysis read, so the report can fingerprint it."
                )
            out.append(
                {
                    "name": str(name),
                    "file": path.name,
                    "bytes": path.stat().st_size,
                    "sha256": _sha256(path),
                }
            )
        return tuple(out)

    def add(
        self,
        result: Result,
        *,
        title: str | None = None,
        notes: str | Sequence[str] | None = None,
        include_disclosure: bool = False,
    ) -> Report:
        """Add a result as a section of the report (returns the report, so calls chain).

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
        env = self._environment("html", Formatter(self.min_cell), _RenderState())
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
        if notes is None:
            note_tuple: tuple[str, ...] = ()
        elif isinstance(notes, str):
            note_tuple = (notes,)
        else:
            note_tuple = tuple(str(n) for n in notes)
        index = len(self._sections) + 1
        kind = str(getattr(result, "kind", "result"))
        default_title = load_methods(partial).title or kind.replace("_", " ").capitalize()
        if title is not None and not isinstance(title, str):
            raise InvalidParameterError(f"title= must be text, not {type(title).__name__}.")
        section = Section(
            index=index,
            anchor=f"s{index}-{_slug(partial)}",
            title=title or default_title,
            notes=note_tuple,
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
        return tuple(self._sections)

    def __repr__(self) -> str:
        n = len(self._sections)
        return f"<Report {self.title!r}: {n} section{'' if n == 1 else 's'}>"

    # -- shared pieces -------------------------------------------------------------------------
    def _info(self, fmt: str) -> ReportInfo:
        return ReportInfo(
            title=self.title,
            organization=self.organization,
            period=self.period,
            author=self.author,
            generated_at=self.generated_at,
            min_cell=self.min_cell,
            format=fmt,
            version=_version(),
        )

    def _summary(self) -> list[SummaryItem]:
        items: list[tuple[int, int, int, SummaryItem]] = []
        for section in self.sections:
            for order, headline in enumerate(section.headlines):
                severity = int(headline.severity)
                item = SummaryItem(
                    severity=severity,
                    label=SEVERITY_LABELS.get(severity, "Information"),
                    text=str(headline.text),
                    figure=headline.figure,
                    subject=headline.section,
                    anchor=section.anchor,
                    section_title=section.title,
                )
                items.append((-severity, section.index, order, item))
        items.sort(key=lambda t: t[:3])
        return [t[3] for t in items]

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

    def _appendix(self) -> dict[str, Any]:
        versions = {"python": platform.python_version()}
        for name in _VERSIONED:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = _version() if name == "fairhire" else "not installed"
        sections = []
        for section in self._sections:
            result = section.result
            params = dict(result.params or {})
            sections.append(
                {
                    "anchor": section.anchor,
                    "title": section.title,
                    "type": section.type_name,
                    "params": [(str(k), _compact(v)) for k, v in params.items()],
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
    def _environment(self, fmt: str, formatter: Formatter, state: _RenderState) -> Any:
        loaders = []
        if self.template_dir is not None:
            loaders.append(FileSystemLoader(str(self.template_dir)))
        loaders.append(FileSystemLoader(str(TEMPLATES_DIR)))
        options: dict[str, Any] = {
            "loader": ChoiceLoader(loaders),
            "autoescape": True,
            "undefined": StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "keep_trailing_newline": True,
        }
        if fmt == "markdown":
            options["finalize"] = md_finalize
        env = SandboxedEnvironment(**options)
        env.filters.update(formatter.filters())
        env.filters["mdquote"] = md_quote
        env.filters["mdescape"] = lambda v: Markup(md_escape(v))
        env.filters["slug"] = _slug

        def table(frame: Any, columns: Any, caption: str | None = None,
                  counts: Sequence[str] = (), row_header: str | None = None,
                  empty: str = "No rows.") -> Markup:
            return data_table(frame, columns, formatter=formatter, fmt=fmt, caption=caption,
                              counts=counts, row_header=row_header, empty=empty)

        def suppression_note() -> Markup:
            if self.min_cell is None:
                return Markup("")
            text = (
                f"Counts below {self.min_cell} are shown as “< {self.min_cell}”, and figures "
                f"that would reveal them as “s”, to protect the people they describe."
            )
            if fmt == "html":
                return Markup('<p class="small-print">{}</p>').format(text)
            return Markup(md_escape(text))

        def chart(name: str, result: Any, **kwargs: Any) -> Markup:
            func = chart_function(name)
            made = func(result, min_cell=self.min_cell, **kwargs)
            if made is None:
                return Markup("")
            state.figures += 1
            number = state.figures
            data = None
            if made.data is not None and len(made.data) and fmt == "html":
                data = table(made.data, _auto_columns(made.data, made.formats),
                             caption=f"Figures behind figure {number}")
            if fmt == "html":
                template = env.get_template("_figure.html.j2")
                svg = to_svg(made, chart_id=f"fig-{number}")
            else:
                template = env.get_template("_figure.md.j2")
                svg = Markup("")
            return Markup(
                template.render(number=number, chart=made, svg=svg, data=data).strip("\n")
            )

        env.globals.update(
            data_table=table,
            records=records,
            small=formatter.small,
            suppression_note=suppression_note,
            chart=chart,
            job_ad=job_ad_view,
        )
        return env

    def _render(self, fmt: str) -> str:
        if not self._sections:
            raise ReportError(
                "the report has no sections: add at least one result with report.add(result) "
                "before rendering."
            )
        ext = "html" if fmt == "html" else "md"
        formatter = Formatter(self.min_cell, format=fmt)
        state = _RenderState()
        env = self._environment(fmt, formatter, state)
        info = self._info(fmt)
        rendered = []
        try:
            for section in self.sections:
                template = env.get_template(f"partials/{section.partial}.{ext}.j2")
                module = template.make_module(
                    vars={"result": section.view, "section": section, "report": info}
                )
                body = Markup(str(module).strip("\n"))
                data = Markup(str(module.data()).strip("\n")) if hasattr(module, "data") else ""
                rendered.append(RenderedSection(section=section, body=body, data=Markup(data)))
            appendix = self._appendix()
            page = env.get_template(f"report.{ext}.j2").render(
                report=info,
                summary=self._summary(),
                sections=rendered,
                methodology=self._methodology(),
                limitations=self._limitations(),
                appendix=appendix,
                suppressed=formatter.suppressed,
            )
        except ReportError:
            raise
        except TemplateError as exc:
            raise ReportError(f"could not render the {fmt} report: {exc}") from exc
        # One trailing newline, no trailing spaces: stable, diff-friendly output.
        lines = [line.rstrip() for line in page.splitlines()]
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
        sections = []
        for section in self.sections:
            result = section.result
            payload = jsonable(result.to_dict())
            if section.include_disclosure:
                payload.update({k: jsonable(getattr(result, k)) for k in result.private_fields})
            if self.min_cell is not None:
                payload = _suppress_payload(payload, Rule.for_result(result, self.min_cell))
            payload["warnings"] = list(section.warnings)
            if "rows" in payload:
                payload["rows"] = section.rows.to_dict() if section.rows is not None else None
            rows = section.rows.to_dict() if section.rows is not None else None
            sections.append(
                {
                    "index": section.index,
                    "anchor": section.anchor,
                    "title": section.title,
                    "notes": list(section.notes),
                    "type": section.type_name,
                    "kind": section.kind,
                    "partial": section.partial,
                    "headlines": [h.to_dict() for h in section.headlines],
                    "warnings": list(section.warnings),
                    "rows": rows,
                    "params": {str(k): jsonable(v) for k, v in (result.params or {}).items()},
                    "fingerprint": getattr(result, "fingerprint", None),
                    "result": payload,
                }
            )
        appendix = self._appendix()
        return {
            "schema_version": SCHEMA_VERSION,
            "report": {
                "title": self.title,
                "organization": self.organization,
                "period": self.period,
                "author": self.author,
                "generated_at": self.generated_at,
                "fairhire_version": _version(),
                "min_cell": self.min_cell,
            },
            "summary": [item.to_dict() for item in self._summary()],
            "sections": sections,
            "methodology": [
                {"partial": b["partial"], "title": b["title"],
                 "entries": [e.to_dict() for e in b["entries"]]}
                for b in self._methodology()
            ],
            "limitations": self._limitations(),
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


# -- helpers for charts and JSON suppression ---------------------------------------------------
def _auto_columns(frame: Any, formats: Mapping[str, str] | None = None) -> list[tuple]:
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


def _suppress_payload(value: Any, rule: Rule) -> Any:
    """Apply ``min_cell`` to a ``to_dict()`` payload: its tables, counts and row accounts."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            flat = all(not isinstance(x, dict | list) for v in value for x in v.values())
            if flat:
                return suppress_records(value, rule)
        return [_suppress_payload(v, rule) for v in value]
    if isinstance(value, dict):
        if {"used", "total", "excluded"} <= set(value) and isinstance(value["excluded"], dict):
            account = RowAccount(total=value["total"], used=value["used"],
                                 excluded=dict(value["excluded"]))
            return suppress_rows(account, rule.min_cell).to_dict()  # type: ignore[union-attr]
        return {
            k: None if (k in rule.counts and rule.is_small(v)) else _suppress_payload(v, rule)
            for k, v in value.items()
        }
    return value
