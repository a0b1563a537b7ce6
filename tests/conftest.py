import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

# CI is reproducible (derandomized: the same examples every run); local runs explore new
# examples each time, which is how bugs are found.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# ----------------------------------------------------------------------------- the browser
#: The system Chromium (.ci/run installs Debian's package; Playwright's download is not used).
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                             "/usr/bin/google-chrome") if os.path.exists(p)), None) \
    or shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test in a test process: Playwright's sync API allows one
    running instance per thread, so two modules each holding their own would fail."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# ----------------------------------------------------------------------------- the demo report
@pytest.fixture(scope="session")
def demo_output(tmp_path_factory):
    """The folder ``examples/demo.py`` (``make demo``) writes, and what it printed: written once
    per test process, in a fresh interpreter. Tests that use it belong to the "browser" xdist
    group, so that one worker writes it."""
    from demo_runs import run_demo

    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out, hash_seed="1")
