"""A failing browser test leaves its trace, a screenshot and the server echo in the test output."""

import shutil
import subprocess
import sys

import pytest

FAILING_TEST = """
from e2e.harness.hosts import ORIGIN

def test_deliberately_fails(lab):
    lab.set(ORIGIN, {"name": "seen", "value": "by-server"})
    assert lab.sent(ORIGIN)["cookies"] == {"seen": "something else"}
"""


@pytest.mark.browser  # its inner run launches Chromium
def test_failure_keeps_trace_screenshot_and_echo(tmp_path, pytestconfig):
    """Run a failing test with the README's failure options; its output folder holds all three."""
    # Inside the repository (git-ignored): conftest.py hooks apply only to tests below it.
    probe = pytestconfig.rootpath / "test-results" / f"failure-probe-{tmp_path.name}"
    probe.mkdir(parents=True)
    (probe / "test_fails.py").write_text(FAILING_TEST)
    output = tmp_path / "out"
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                str(probe / "test_fails.py"),
                "--browser",
                "chromium",
                "--output",
                str(output),
                "--tracing",
                "retain-on-failure",
                "--screenshot",
                "only-on-failure",
            ],
            cwd=pytestconfig.rootpath,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(probe)
    assert run.returncode == 1, run.stdout[-2000:]
    (folder,) = output.iterdir()
    names = sorted(path.name for path in folder.iterdir())
    assert "trace.zip" in names and "server-echo.json" in names, names
    assert any(name.endswith(".png") for name in names), names
    assert '"seen": "by-server"' in (folder / "server-echo.json").read_text()
    assert "server echo" in run.stdout
