"""``import fairhire`` is cheap, and an analysis imports only what its statistics need.

Adverse impact without strata needs scipy.special (normal tail, log-gamma), not scipy.stats or
statsmodels, whose imports cost a second on a slow machine (issue 18). Timings are benchmarks'
business (``benchmarks/bench_adverse_impact.py`` measures the first call in a fresh process);
this only checks which modules a fresh process has loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
import fairhire as fh
after_import = sorted(m for m in sys.modules if m.split(".")[0] in {"scipy", "statsmodels"})
df = fh.datasets.make_hiring_funnel(2_000, random_state=0)
fh.adverse_impact(df, group=["sex", "race"], stages=["screened", "hired"])
plain = sorted(m for m in sys.modules if m.startswith(("scipy.stats", "statsmodels")))
fh.adverse_impact(df, group="sex", stages=["screened", "hired"], strata="requisition")
strata = "statsmodels" in sys.modules
print(json.dumps({"after_import": after_import, "plain": plain, "strata": strata}))
"""


def test_adverse_impact_imports_no_scipy_stats_or_statsmodels():
    command = [sys.executable, "-c", SCRIPT]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["after_import"] == []
    assert found["plain"] == []
    assert found["strata"]  # Mantel-Haenszel is statsmodels' StratifiedTable
