"""No one else gets in: another local user racing every port a run opens wins nothing.

The intruder (e2e/harness/tools/intruder.py) runs as uid 65534 beside the run, watches the machine's TCP
tables for the run's new loopback listeners and asks each for what a driver gives its first client. Against
a bare WebKitWebDriver it wins (the control: the race can be won); against a run, whose drivers sit on a
loopback of their own behind relays that take this user only (e2e/harness/network/private_net.py), never.
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import time

import pytest

from e2e.harness import processes
from e2e.harness.backends.webdriver import WEBKIT_DRIVER, free_port
from e2e.harness.backends.xserver import XServer
from e2e.harness.network import private_net
from e2e.harness.tools import intruder

INTRUDER = pathlib.Path(intruder.__file__).read_text()
NOBODY = 65534


def _intruder(seconds):
    """The intruder as another user, on the system's python3 (the run's virtualenv may be out of its reach), once
    it is watching: a listener that opened before would not be new to it (met: the control's driver, while CI's
    other lane loaded the machine and the intruder's start took longer than the driver's)."""
    spy = subprocess.Popen(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "/usr/bin/python3", "-c", INTRUDER,
         str(seconds), str(os.geteuid())],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/",
    )  # fmt: skip
    assert "watching" in json.loads(spy.stdout.readline() or "{}")
    return spy


def _summary(process):
    """The intruder's last line (what it saw and won) and every line, once its standard input is closed."""
    out = process.stdout.read()
    process.wait(60)
    lines = out.strip().splitlines()
    return json.loads(lines[-1]), lines


@pytest.mark.needs("webkit", "webkitgtk", "root")
@pytest.mark.browser
def test_the_intruder_wins_against_a_bare_webkitwebdriver(tmp_path):
    """The control: a WebKitWebDriver on the machine's loopback answers the other user's session request."""
    spy = _intruder(30)
    port = free_port()
    try:
        with XServer() as x:
            driver = processes.start([WEBKIT_DRIVER, f"--port={port}"], tmp_path / "driver.log",
                                     env=processes.clean_env(**x.env()))  # fmt: skip
            try:
                assert spy.stdout is not None
                first = json.loads(spy.stdout.readline() or "{}")  # the first win, or the summary at its deadline
            finally:
                processes.stop(driver)
    finally:
        spy.stdin.close()  # type: ignore[union-attr]
        spy.wait(60)
    assert first.get("won") == port, first
    for marker in pathlib.Path("/tmp").glob("cookie-lab-intruder-*"):
        marker.unlink()  # written as this user by the intruder's command: the proof, read above


@pytest.mark.needs("chromium", "firefox", "webkit", "webkitgtk", "distro", "root")
@pytest.mark.browser
def test_another_user_wins_no_port_of_a_run(pytestconfig, tmp_path):
    """While runs in Chromium, Firefox (over Playwright and over Marionette) and WebKitGTK open their ports, the
    intruder reaches every new listener and no driver answers it; the runs pass."""
    assert private_net.refusal() is None, private_net.refusal()
    spy = _intruder(600)
    runs = []
    try:
        for extra in ([], ["--browser", "firefox", "--firefox", "marionette"]):
            runs.append(subprocess.run(
                [sys.executable, "-m", "pytest", "e2e/test_flow.py", "-p", "no:cacheprovider", *extra,
                 "--output", str(tmp_path / f"out{len(runs)}")],
                cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=600,
            ))  # fmt: skip
        time.sleep(1)  # the intruder's last questions to the last listeners, before it is told to stop
    finally:
        spy.stdin.close()  # type: ignore[union-attr]
    summary, lines = _summary(spy)
    for run in runs:
        assert run.returncode == 0, run.stdout[-3000:]
    engines = "\n".join(run.stdout for run in runs)
    assert len(re.findall(r"loopback=private", engines)) == 3, engines[-2000:]  # webkit, firefox twice
    # It saw the runs' listeners (each run's proxy, site servers and the relays into the namespaces) ...
    assert len(summary["seen"]) >= 6, summary
    # ... and won none of them.
    assert summary["wins"] == {}, lines
