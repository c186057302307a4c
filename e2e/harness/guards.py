"""Run guards: one run per output folder, options that cannot work here fail once, no engine idles.

Each is a clear one-line refusal or failure instead of a per-test error box.
"""

import collections
import fcntl
import os
import pathlib
import shutil
import signal
import tempfile

import pytest


def claim_output(config) -> int:
    """Lock --output for this run, or refuse: a second run would delete and overwrite its artifacts.

    pytest-playwright empties --output at session start; the lock file sits
    beside the folder so that emptying it does not release the lock.
    """
    output = pathlib.Path(config.getoption("--output")).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(output.parent / f".{output.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise pytest.UsageError(
            f"another cookie-lab run is using --output {output}; give this run its own: --output DIR"
        ) from None
    return lock  # held until the process exits


def keep_writes_in_output(config) -> None:
    """Tools that keep state in the working directory keep it under --output instead (read-only checkouts)."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(pathlib.Path(config.getoption("--output")).resolve() / ".hypothesis")


# Chromium puts a Unix socket in a folder of its own under TMPDIR (about 70 bytes below this
# run's folder); past 107 bytes in all it cannot listen ("Socket path too long", measured:
# chromium 156). A longer TMPDIR gives way to /tmp.
MAX_TMP_BASE = 48
TMP_PREFIX = "cl-run-"


def private_tmp(config) -> pathlib.Path:
    """One temp folder for everything this run and its children make (pytest-playwright's artifacts,
    Chromium's profile and shared files, the WebDriver scratch, Xvfb's log), removed when the run
    ends, however it ends but SIGKILL: nothing is left in the system temp folder, even when a
    browser was killed and left its own files behind."""
    base = tempfile.gettempdir()
    if len(base) > MAX_TMP_BASE:
        base = "/tmp"
    folder = pathlib.Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=base))
    os.environ["TMPDIR"] = str(folder)  # read by Playwright's driver, the browsers and child runs
    tempfile.tempdir = str(folder)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP (a CI job cancelled, a terminal closed) end the run as Ctrl-C does, with every
    finalizer run: each stops the processes and removes the folders it made."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)


def check_options(config) -> None:
    """Options README documents that cannot work on this machine: one line, before any test runs."""
    from .playwright_backend import playwright_ffmpeg

    if config.getoption("--video", "off") != "off" and playwright_ffmpeg() is None:
        raise pytest.UsageError(
            "--video needs Playwright's ffmpeg build (python -m playwright install ffmpeg), which is not "
            "installed here and cannot be downloaded on an offline machine"
        )
    if config.getoption("--headed", False) and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise pytest.UsageError("--headed needs a display (DISPLAY or WAYLAND_DISPLAY is not set)")


class EnginesRan:
    """A pytest plugin: every engine asked for must run at least one test, unless --allow-idle-engines."""

    def __init__(self, config):
        self.config = config
        self.engine_of: dict[str, str] = {}  # test id -> the engine it runs on
        self.ran: collections.Counter = collections.Counter()

    def pytest_collection_finish(self, session):
        self.engine_of = {
            item.nodeid: item.callspec.params["browser_name"]
            for item in session.items
            if hasattr(item, "callspec") and "browser_name" in item.callspec.params
        }

    def pytest_runtest_logreport(self, report):
        engine = self.engine_of.get(report.nodeid)
        if engine and report.when == "call" and not report.skipped:
            self.ran[engine] += 1

    def idle(self) -> list[str]:
        if not self.engine_of or self.config.getoption("--allow-idle-engines") or self.config.option.collectonly:
            return []  # no browser test asked for (-m "not browser"), or allowed
        return [e for e in self.config.option.browser if self.ran[e] == 0]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if self.idle() and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        for engine in self.idle():
            terminalreporter.write_line(
                f"FAILED: {engine} was asked for (--browser) but ran no test; "
                "narrow --browser, or pass --allow-idle-engines",
                red=True,
            )
