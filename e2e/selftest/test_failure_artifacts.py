"""A failing browser test leaves its trace, a screenshot and the server echo in the test output."""

import subprocess

import pytest

from e2e.harness.tools import probe

FAILING_TEST = """
from e2e.harness.network.hosts import ORIGIN

def test_deliberately_fails(lab):
    lab.set(ORIGIN, {"name": "seen", "value": "by-server"})
    assert lab.sent(ORIGIN)["cookies"] == {"seen": "something else"}
"""


@pytest.mark.needs("chromium")
@pytest.mark.browser  # its inner run launches Chromium
def test_failure_keeps_trace_screenshot_and_echo(tmp_path, pytestconfig):
    """Run a failing test with the README's failure options; its output folder holds all three."""
    output = tmp_path / "out"
    path = probe.write(tmp_path / "probe", FAILING_TEST, "test_fails.py")
    run = subprocess.run(
        probe.command(path, output, "--browser", "chromium", "--tracing", "retain-on-failure",
                      "--screenshot", "only-on-failure"),
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-2000:]
    folders = [p for p in output.iterdir() if p.is_dir()]
    (folder,) = folders
    names = sorted(path.name for path in folder.iterdir())
    assert "trace.zip" in names and "server-echo.json" in names, names
    assert any(name.endswith(".png") for name in names), names
    assert '"seen": "by-server"' in (folder / "server-echo.json").read_text()
    assert "server echo" in run.stdout
