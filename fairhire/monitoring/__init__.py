"""Monitoring over time: every period's audit, the trends, the alerts, and what changed since
the previous audit.

- :func:`monitor` → :class:`MonitorResult`: adverse impact per period (each period exactly as
  :func:`fairhire.adverse_impact` audits it), the trend of every comparison and alerts.
- :func:`compare_audits` → :class:`AuditComparison`: two audit reports (``Report.to_json``)
  compared finding by finding: new, resolved, worse, better or unchanged.
"""

from __future__ import annotations

from .analysis import monitor
from .compare import AuditComparison, compare_audits
from .result import MonitorResult

__all__ = ["AuditComparison", "MonitorResult", "compare_audits", "monitor"]
