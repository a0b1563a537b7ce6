"""Run ``examples/demo.py`` (what ``make demo`` runs) in a fresh interpreter.

The browser tests read the report it writes, and the byte-identity test writes it a second time
with another hash seed: one session fixture (``demo_output`` in conftest.py) serves both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: 2026-01-01T00:00:00Z: the report's "generated at" in both runs
EPOCH = "1767225600"


def run_demo(out: Path, hash_seed: str) -> str:
    """Write the demo report into ``out`` with ``PYTHONHASHSEED=hash_seed``; its stdout."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": hash_seed,
           "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "demo.py"), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
