"""What the published summary of an LL144 bias audit discloses besides its tables.

6 RCNY §5-303 and Admin. Code §20-871(b) require the summary of results to state the date of
the most recent bias audit, the source and explanation of the data, and the distribution date
of the tool, among others. The audit cannot compute these: the caller supplies them, and
missing required fields give a warning and a headline (a draft can be produced first).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import InvalidParameterError

__all__ = ["REQUIRED_DISCLOSURES", "disclosure_rows", "missing_disclosures", "read_disclosures"]

#: Fields of the published summary of results (6 RCNY §5-303, Admin. Code §20-871(b)) that the
#: audit cannot compute and the caller must supply.
REQUIRED_DISCLOSURES: dict[str, str] = {
    "audit_date": "date of the most recent bias audit",
    "data_source": "source and explanation of the data used",
    "tool_distribution_date": "distribution date of the tool",
}

TEST_DATA_FIELD = "why historical data were not used and how the test data were made"


def _iso_date(value: Any, argument: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidParameterError(
        f"{argument}={value!r} is not a date; pass a datetime.date or an ISO date string "
        "such as '2026-01-31'."
    )


def _period(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Sequence) and len(value) == 2:
        start, end = (_iso_date(v, "data_period") for v in value)
        return f"{start} to {end}"
    raise InvalidParameterError(
        f"data_period={value!r}; pass a text such as 'January–December 2025' or a pair of dates "
        "(start, end)."
    )


def text_option(value: Any, argument: str) -> str | None:
    """Optional text (stripped; empty is None); anything else is an error naming it."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(f"{argument}= must be text; got {type(value).__name__}.")
    return value.strip() or None


def read_disclosures(
    *,
    audit_date: Any,
    auditor: str | None,
    employer: str | None,
    tool_name: str | None,
    tool_distribution_date: Any,
    data_source: str | None,
    data_description: str | None,
    data_period: Any,
    data_type: str,
    test_data_explanation: str | None,
) -> dict[str, Any]:
    """The disclosure fields, checked (dates as ISO text)."""
    if data_type not in ("historical", "test"):
        raise InvalidParameterError(
            f"data_type={data_type!r}; use 'historical' (the tool's own use, §5-302(a)) or 'test'."
        )
    return {
        "audit_date": _iso_date(audit_date, "audit_date"),
        "auditor": text_option(auditor, "auditor"),
        "employer": text_option(employer, "employer"),
        "tool_name": text_option(tool_name, "tool_name"),
        "tool_distribution_date": _iso_date(tool_distribution_date, "tool_distribution_date"),
        "data_source": text_option(data_source, "data_source"),
        "data_description": text_option(data_description, "data_description"),
        "period": _period(data_period),
        "data_type": data_type,
        "test_data_explanation": text_option(test_data_explanation, "test_data_explanation"),
    }


def missing_disclosures(metadata: Mapping[str, Any]) -> list[str]:
    """Required fields of the summary of results that were not supplied."""
    out = [desc for key, desc in REQUIRED_DISCLOSURES.items() if not metadata.get(key)]
    if metadata.get("data_type") == "test" and not metadata.get("test_data_explanation"):
        out.append(TEST_DATA_FIELD)
    return out


def _rates_reported(basis: str, median_score: float | None) -> str:
    if basis == "selection":
        return "selection rates: the share of each category selected to move forward"
    return (
        "scoring rates: the share of each category scoring above the median score of the full "
        f"sample ({median_score:g}); a score equal to the median is not above it"
    )


def disclosure_rows(
    metadata: Mapping[str, Any], basis: str, median_score: float | None
) -> pd.DataFrame:
    """The disclosure fields as (``field``, ``value``) rows for the summary of results.

    Required fields that were not supplied read "not provided (required)".
    """
    md = metadata
    missing = "not provided (required)"
    historical = md.get("data_type", "historical") == "historical"
    rows = [
        ("Automated employment decision tool", md.get("tool_name") or "not provided"),
        ("Distribution date of the tool", md.get("tool_distribution_date") or missing),
        ("Date of the bias audit", md.get("audit_date") or missing),
        ("Independent auditor", md.get("auditor") or "not provided"),
        ("Employer or employment agency", md.get("employer") or "not provided"),
        ("Source of the data", md.get("data_source") or missing),
        ("Explanation of the data", md.get("data_description") or "not provided"),
        ("Period covered by the data", md.get("period") or "not provided"),
        (
            "Type of data",
            "historical data from the use of the tool (6 RCNY §5-302(a))"
            if historical
            else "test data (6 RCNY §5-302(b))",
        ),
    ]
    if not historical:
        rows.append(
            (
                "Why historical data were not used, and how the test data were made",
                md.get("test_data_explanation") or missing,
            )
        )
    rows.append(("Rates reported", _rates_reported(basis, median_score)))
    return pd.DataFrame(rows, columns=["field", "value"])
