"""Methodology text of each partial: ``methods/<partial>.toml``.

Each file holds a ``title``, the ``area`` of the audit it belongs to (the executive summary
groups findings by area: "Hiring and selection", "Pay"...), optional ``limitations`` and a list
of ``[[entry]]`` tables (``id``, ``name``, ``text``, ``formula``, ``when``, ``sources``,
optional ``only_if``). See PARTIALS.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ReportError

__all__ = ["GENERAL_LIMITATIONS", "MethodEntry", "MethodsBlock", "load_methods"]

METHODS_DIR = Path(__file__).parent / "methods"
_FIELDS = {"id", "name", "text", "formula", "when", "sources", "only_if"}

#: Limitations every report states, before those of its analyses: (title, text).
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
class MethodEntry:
    id: str
    name: str
    text: str
    formula: str = ""
    when: str = ""
    sources: tuple[str, ...] = ()
    only_if: str | None = None

    def applies_to(self, results: list[Any]) -> bool:
        if self.only_if is None:
            return True
        for result in results:
            value = getattr(result, self.only_if, None)
            if value is None:
                continue
            if hasattr(value, "empty"):
                if not value.empty:
                    return True
            elif value:
                return True
        return False

    def to_dict(self) -> dict[str, Any]:
        """The entry as the JSON report writes it; ``only_if`` only decides whether it is shown."""
        fields = asdict(self)
        del fields["only_if"]
        return {**fields, "sources": list(self.sources)}


@dataclass(frozen=True)
class MethodsBlock:
    partial: str
    title: str
    entries: tuple[MethodEntry, ...]
    limitations: tuple[str, ...] = ()
    #: the part of the audit the analysis belongs to (its findings are grouped under it)
    area: str = ""


def _check_text(path: Path, where: str, text: str) -> None:
    if "://" in text or "www." in text:
        raise ReportError(
            f"{path.name}: {where} contains a URL ({text[:80]!r}). A self-contained report must "
            "not link out; cite the source by name (see fairhire/report/PARTIALS.md)."
        )


@lru_cache(maxsize=64)
def load_methods(partial: str) -> MethodsBlock:
    """Read and validate ``methods/<partial>.toml`` (an empty block if the file is absent)."""
    path = METHODS_DIR / f"{partial}.toml"
    if not path.exists():
        return MethodsBlock(partial=partial, title="", entries=())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReportError(f"{path}: not valid TOML ({exc}).") from exc
    entries = []
    for i, raw in enumerate(data.get("entry", [])):
        unknown = set(raw) - _FIELDS
        missing = {"id", "name", "text"} - set(raw)
        if unknown or missing:
            raise ReportError(
                f"{path.name}: entry {i + 1} has unknown keys {sorted(unknown)} or lacks "
                f"{sorted(missing)}; allowed keys: {sorted(_FIELDS)}."
            )
        sources = raw.get("sources", [])
        if isinstance(sources, str):
            sources = [sources]
        for key in ("name", "text", "formula", "when"):
            _check_text(path, f"entry {raw['id']!r} {key}", str(raw.get(key, "")))
        for source in sources:
            _check_text(path, f"entry {raw['id']!r} source", str(source))
        entries.append(
            MethodEntry(
                id=str(raw["id"]),
                name=str(raw["name"]),
                text=str(raw["text"]).strip(),
                formula=str(raw.get("formula", "")).strip(),
                when=str(raw.get("when", "")).strip(),
                sources=tuple(str(s) for s in sources),
                only_if=raw.get("only_if"),
            )
        )
    limitations = tuple(str(x).strip() for x in data.get("limitations", []))
    for text in limitations:
        _check_text(path, "limitations", text)
    return MethodsBlock(
        partial=partial,
        title=str(data.get("title", partial.replace("_", " ").capitalize())),
        entries=tuple(entries),
        limitations=limitations,
        area=str(data.get("area", "")).strip(),
    )
