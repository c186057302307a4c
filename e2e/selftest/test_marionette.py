"""Firefox over Marionette (--firefox marionette): the client for a Firefox release no Playwright here drives."""

import re
import subprocess
import sys

import pytest


@pytest.mark.needs("firefox", "distro")  # Marionette drives stock Firefox, Debian's here
@pytest.mark.browser  # its inner run launches Firefox through marionette_driver
def test_marionette_runs_the_flow(pytestconfig, tmp_path):
    """The flow passes on Firefox started by marionette_driver, and the engine line names the backend."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e/test_flow.py", "--browser", "firefox", "--firefox", "marionette",
         "-p", "no:cacheprovider", "--output", str(tmp_path / "out")],
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
    line = r"^firefox [\d.]+ \(distro, marionette, third-party=partitioned \(cookieBehavior=5\), loopback=[^;]+; /"
    assert re.search(line, run.stdout, re.M), run.stdout[-1000:]
