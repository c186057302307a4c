"""Run guards: one run per output folder, options that cannot work here fail once, no engine idles.

Each is a clear one-line refusal or failure instead of a per-test error box.
"""

import collections
import contextlib
import fcntl
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import types

import pytest

OUTPUT_MARK = ".cookie-lab-output"  # in every --output a run made: the run's lock, and the list of what it wrote


class OutputClaim:
    """An --output folder this run holds: locked for the run, and at its end marked with what the run wrote
    (the names it added), so that the next run empties exactly those and never a user's file beside them."""

    def __init__(self, folder: pathlib.Path, lock: int, found: set[str]) -> None:
        self.folder = folder
        self.lock = lock  # the mark's file descriptor, held (flock) until close
        self.found = found  # what was there, not ours, when the run began

    def close(self) -> None:
        """Write the list of what this run wrote into the mark, and let the folder go."""
        if self.lock < 0:
            return
        with contextlib.suppress(OSError):
            written = sorted({entry.name for entry in self.folder.iterdir()} - self.found - {OUTPUT_MARK})
            os.ftruncate(self.lock, 0)
            os.pwrite(self.lock, json.dumps({"written": written}).encode(), 0)
        os.close(self.lock)
        self.lock = -1


def _written(mark: pathlib.Path) -> list[str] | None:
    """What the run that left this mark wrote, or None when the mark does not say (an older cookie-lab's)."""
    try:
        listed = json.loads(mark.read_text() or "null")
    except (OSError, ValueError):
        return None
    names = listed.get("written") if isinstance(listed, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) and n and "/" not in n for n in names):
        return None
    return [name for name in names if name not in (".", "..", OUTPUT_MARK)]


def claim_output(output: pathlib.Path, root: pathlib.Path) -> OutputClaim:
    """Lock --output for this run and remove what the last cookie-lab run wrote there, or refuse in one line.

    The harness deletes only what a cookie-lab run made: the names its mark lists. Anything else in
    the folder (a user's notes beside a report) stays. It refuses a folder inside the repository's
    tracked folders (`--output e2e/baselines` would have emptied the committed baselines), inside
    another run's output, or a folder with files and no mark (someone else's).
    """
    output = output.resolve()
    _refuse_tracked(output, root.resolve())
    for parent in output.parents:
        if (parent / OUTPUT_MARK).exists():
            raise pytest.UsageError(
                f"--output {output} is inside another cookie-lab run's output {parent}; choose a folder outside it"
            )
    if output.exists() and not output.is_dir():
        raise pytest.UsageError(f"--output {output} is a file; give a folder")
    mark = output / OUTPUT_MARK
    if output.exists() and any(output.iterdir()) and not mark.exists():
        raise pytest.UsageError(
            f"--output {output} holds files cookie-lab did not make, and a run clears its output; "
            "give a new or empty folder"
        )
    try:
        output.mkdir(parents=True, exist_ok=True)
        lock = os.open(mark, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise pytest.UsageError(
            f"--output {output}: cannot write there ({error.strerror}); give a folder you can write, "
            "e.g. --output /tmp/cookie-lab-results"
        ) from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise pytest.UsageError(
            f"another cookie-lab run is using --output {output}; give this run its own: --output DIR"
        ) from None
    written = _written(mark) if mark.stat().st_size else []
    if written is None:
        os.close(lock)
        raise pytest.UsageError(
            f"--output {output} was written by an older cookie-lab that did not list its files; empty it yourself "
            "or give another folder"
        )
    for name in written:  # the last run's artifacts: pytest-playwright's fresh start, kept
        entry = output / name
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    os.ftruncate(lock, 0)  # a run that dies before it lists its files leaves them as unknown: kept
    return OutputClaim(output, lock, {entry.name for entry in output.iterdir()} - {OUTPUT_MARK})


def _refuse_tracked(output: pathlib.Path, root: pathlib.Path) -> None:
    """Refuse the repository root and any folder git tracks files in, or a folder inside one."""
    if not output.is_relative_to(root):
        return
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=False)
    if listed.returncode != 0:
        return  # not a git checkout (an installed copy): nothing tracked to protect
    tracked = {pathlib.PurePath(name).parent for name in listed.stdout.decode().split("\0") if name}
    relative = output.relative_to(root)
    if relative == pathlib.PurePath("."):
        raise pytest.UsageError(f"--output {output} is the repository itself; give a folder of its own")
    for folder in (relative, *relative.parents):
        if folder != pathlib.PurePath(".") and folder in tracked:
            raise pytest.UsageError(
                f"--output {output} is inside {root / folder}, which holds the repository's own files "
                f"(a run clears its output); give a folder outside the tracked ones, such as {root / 'test-results'}"
            )


def keep_writes_in_output(config: pytest.Config) -> None:
    """Tools that keep state in the working directory keep it under --output instead (read-only checkouts):
    Hypothesis, told by its environment variable, so that a run without its tests never imports it."""
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(
        pathlib.Path(config.getoption("--output")).resolve() / ".hypothesis"
    )


def drop_unused_hypothesis(config: pytest.Config) -> None:
    """Once the tests are collected: where none imported Hypothesis, its pytest plugin is dropped. It would import
    all of Hypothesis in its terminal summary whatever ran, a second at every run's end (measured: pytest
    e2e/test_flow.py --browser chromium 9.2-11.4 s with it, 8.6 s without; hypothesis 6.170.17)."""
    plugin = config.pluginmanager.get_plugin("hypothesispytest")
    if "hypothesis" not in sys.modules and plugin is not None:
        config.pluginmanager.unregister(plugin)


# Chromium puts a Unix socket in a folder of its own under TMPDIR (about 70 bytes below this
# run's folder); past 107 bytes in all it cannot listen ("Socket path too long", measured:
# chromium 156). A longer TMPDIR gives way to /tmp.
MAX_TMP_BASE = 48
TMP_PREFIX = "cl-run-"
PRIVATE_TMP = pytest.StashKey[pathlib.Path]()  # the run's private temp folder, named in the header


def private_tmp(config: pytest.Config) -> pathlib.Path:
    """One temp folder for everything this run and its children make (pytest-playwright's artifacts,
    Chromium's profile and shared files, the WebDriver scratch, Xvfb's log), removed when the run
    ends, however it ends but SIGKILL: nothing is left in the system temp folder, even when a
    browser was killed and left its own files behind."""
    folder = own_tmp()
    config.stash[PRIVATE_TMP] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


def own_tmp() -> pathlib.Path:
    """A temp folder of this process's own, made the temp folder of it and its children; the caller removes it
    (a run when it ends; the bench and serve-browser commands, which launch browsers outside any run, too)."""
    base = tempfile.gettempdir()
    if len(base) > MAX_TMP_BASE:
        base = "/tmp"
    folder = pathlib.Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=base))
    os.environ["TMPDIR"] = str(folder)  # read by Playwright's driver, the browsers and child runs
    tempfile.tempdir = str(folder)
    return folder


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP (a CI job cancelled, a terminal closed) end the run as Ctrl-C does, with every
    finalizer run: each stops the processes and removes the folders it made."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)


def check_options(config: pytest.Config) -> None:
    """Options that cannot work on this machine, or are malformed: one line each, before any test runs."""
    from e2e.harness import third_party
    from e2e.harness.backends import releases
    from e2e.harness.backends.playwright import playwright_download, playwright_ffmpeg
    from e2e.harness.engine import ENGINES
    from e2e.harness.network.proxy import port_number

    if config.getoption("--shard"):
        from e2e.harness.shards import parse

        parse(config.getoption("--shard"))
    listen = config.getoption("--proxy-listen")
    host, _, port = listen.rpartition(":")
    if not host or (port != "0" and port_number(port) is None):
        raise pytest.UsageError(f"--proxy-listen takes HOST:PORT (e.g. 127.0.0.1:8899), not {listen!r}")
    try:
        policies = third_party.parse(config.getoption("--third-party"), list(config.option.browser or ENGINES))
    except third_party.PolicyError as error:
        raise pytest.UsageError(str(error)) from None
    from e2e.harness.backends import playwright_server

    try:
        servers = playwright_server.servers(config.getoption("--playwright-server"))
    except playwright_server.ServerError as error:
        raise pytest.UsageError(str(error)) from None
    if "chromium" in servers and policies.get("chromium") == "allowed":
        raise pytest.UsageError(
            "--third-party allowed for Chromium needs a profile of its own, which a Playwright server cannot "
            "launch (no persistent context over connect): run Chromium here, or choose another policy"
        )
    if config.option.collectonly:
        return  # what this machine has matters to a run, not to a listing (the workflow check lists each job's)
    for server in sorted(set(servers.values())):
        try:
            playwright_server.check(server)
        except playwright_server.ServerError as error:
            raise pytest.UsageError(str(error)) from None
    try:
        for engine, major in releases.parse(config.getoption("--release")).items():
            why = releases.PLAYWRIGHT_CANNOT.get(engine, {}).get(major)
            if why and config.getoption(f"--{engine}", "playwright") == "playwright":
                raise pytest.UsageError(f"--release {engine}={major}: {why}; add --{engine} marionette")
            releases.find(engine, major)
    except releases.ReleaseError as error:
        raise pytest.UsageError(str(error)) from None
    channel = config.getoption("--browser-channel", None)
    if channel:
        from e2e.harness.backends.playwright import channel_problem

        problem = channel_problem(channel, sys.platform.startswith("linux"))
        if problem:
            raise pytest.UsageError(problem)
    if config.getoption("--video", "off") != "off" and playwright_ffmpeg() is None:
        raise pytest.UsageError(
            "--video needs Playwright's ffmpeg build (python -m playwright install ffmpeg), which is not "
            "installed here and cannot be downloaded on an offline machine"
        )
    if config.getoption("--headed", False) and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise pytest.UsageError("--headed needs a display (DISPLAY or WAYLAND_DISPLAY is not set)")
    if "webkit" not in (config.option.browser or ["webkit"]):
        return
    route, url = config.getoption("--webkit"), config.getoption("--webdriver-url")
    if route == "playwright" and playwright_download("webkit") is None:
        raise pytest.UsageError(
            "--webkit playwright needs Playwright's WebKit build (python -m playwright install webkit), which is "
            "not installed; --webkit webkitgtk drives Debian's WebKitGTK instead"
        )
    if route == "safari" and url is None and shutil.which("safaridriver") is None:
        raise pytest.UsageError(
            "--webkit safari needs safaridriver (macOS, after `safaridriver --enable`), not found on PATH; "
            "or give --webdriver-url of a Mac's safaridriver"
        )
    if url is not None:
        _check_reachable("--webdriver-url", url)


def _check_reachable(option: str, url: str) -> None:
    from e2e.harness.network.hosts import endpoint

    found = endpoint(url, "http", "https")
    if found is None:
        raise pytest.UsageError(f"{option} takes an http(s) URL such as http://127.0.0.1:4444, not {url!r}")
    host, port = found
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as error:
        raise pytest.UsageError(
            f"{option} {url}: nothing answers there ({error.strerror or error}); start the WebDriver server first"
        ) from None


def say_in_last_line(config: pytest.Config, what: str, count: int) -> None:
    """Count a reason the run failed other than a test in pytest's last line ("12 passed, 1 drift in 3s"):
    a CI log read from the bottom must not show green for a red run."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if count and reporter is not None:
        # Report-like objects: other plugins (hypothesis) read every entry's __dict__.
        entries = [types.SimpleNamespace(reason=what) for _ in range(count)]
        reporter.stats.setdefault(what if count == 1 else f"{what}s", []).extend(entries)


ENGINE_IN_ID = re.compile(r"\[(chromium|firefox|webkit)\b")  # as .ci/engines_ran.py counts a test's engine


class EnginesRan:
    """A pytest plugin: every engine asked for must run at least one test, unless --allow-idle-engines.

    Engines are read from the tests' ids, which a plain run and pytest-xdist's controller (whose workers collect)
    both see.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.collected: set[str] = set()  # engines the collected tests run on
        self.ran: collections.Counter[str] = collections.Counter()

    def _saw(self, ids: list[str]) -> None:
        self.collected |= {found.group(1) for found in map(ENGINE_IN_ID.search, ids) if found}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._saw([item.nodeid for item in session.items])

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        self._saw(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = ENGINE_IN_ID.search(report.nodeid)
        if found and report.when == "call" and not report.skipped:
            self.ran[found.group(1)] += 1

    def idle(self) -> list[str]:
        if not self.collected or self.config.getoption("--allow-idle-engines") or self.config.option.collectonly:
            return []  # no browser test asked for (-m "not browser"), or allowed
        return [e for e in self.config.option.browser if self.ran[e] == 0]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        idle = self.idle()
        if idle and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        say_in_last_line(self.config, "idle engine", len(idle))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for engine in self.idle():
            terminalreporter.write_line(
                f"FAILED: {engine} was asked for (--browser) but ran no test; "
                "narrow --browser, or pass --allow-idle-engines",
                red=True,
            )
