"""A WebDriver server reached by URL (--webdriver-url), as a Selenium Grid or a Mac would be."""

import re
import subprocess
import sys

import pytest

from e2e.harness import processes
from e2e.harness.webdriver_backend import WEBKIT_DRIVER, accepts, free_port
from e2e.harness.xserver import XServer


@pytest.mark.browser  # drives WebKitGTK through a driver this test starts itself
def test_remote_webdriver_url_runs_the_flow(pytestconfig, tmp_path):
    """The flow passes on a WebKitWebDriver the harness did not start, and the engine names its URL."""
    port = free_port()
    with XServer() as x:
        driver = processes.start(
            [WEBKIT_DRIVER, f"--port={port}"], tmp_path / "driver.log", env=processes.clean_env(DISPLAY=x.display)
        )
        try:
            processes.wait_until(lambda: accepts(port), 20, what="the driver to listen")
            url = f"http://127.0.0.1:{port}"
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "e2e/test_flow.py",
                    "--browser",
                    "webkit",
                    "--webkit",
                    "webkitgtk",
                    "--webdriver-url",
                    url,
                    "-p",
                    "no:cacheprovider",
                    "--output",
                    str(tmp_path / "out"),
                ],
                cwd=pytestconfig.rootpath,
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            processes.stop(driver)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
    assert re.search(
        rf"webdriver, third-party=no-third-party, cookie-policy=no-third-party, itp=off, libsoup=\d+\.\d+\.\d+; {re.escape(url)}",
        run.stdout,
    )
