"""Every process the harness starts is gone after a run, after Ctrl-C, and after a browser crash.

Each test runs pytest inside pytest with a marker in its environment; every
process the inner run starts (browsers, drivers, X servers and their helpers)
inherits it, so a process still holding the marker afterwards is an orphan.
"""

import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from e2e.harness import guards, processes
from e2e.harness.tools import probe

KILL_BROWSER = """
import os
import signal

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.processes import descendants

BROWSER = {"chromium": "chromium", "firefox": "firefox-esr", "webkit": "webkitgtk_browser.py"}


def kill_browser(browser_name):
    for pid, command in descendants(os.getpid()).items():
        if BROWSER[browser_name] in command:
            os.kill(pid, signal.SIGKILL)
"""

# Kills its own browser in the middle of its second test: that test fails naming the
# crash, the third gets a relaunched browser.
CRASH_PROBE = (
    KILL_BROWSER
    + """

def test_1_before(lab):
    lab.set(ORIGIN, {"name": "a", "value": "1"})
    assert lab.sent(ORIGIN)["cookies"] == {"a": "1"}


def test_2_browser_dies(lab, browser_name):
    lab.set(ORIGIN, {"name": "b", "value": "1"})
    kill_browser(browser_name)
    lab.sent(ORIGIN)


def test_3_after(lab):
    lab.set(ORIGIN, {"name": "c", "value": "1"})
    assert lab.sent(ORIGIN)["cookies"] == {"c": "1"}
"""
)

# Kills its own browser inside a module-scoped fixture on module_lab, the first time only:
# the test that asked for it errors; the module's other tests get it again, on a new browser.
MODULE_CRASH_PROBE = (
    KILL_BROWSER
    + """
KILLED = []


@pytest.fixture(scope="module")
def observed(module_lab, browser_name):
    module_lab.set(ORIGIN, {"name": "m", "value": "1"})
    if not KILLED:
        KILLED.append(browser_name)
        kill_browser(browser_name)
    return module_lab.sent(ORIGIN)["cookies"]


def test_1_fixture_dies(observed):
    assert observed == {"m": "1"}


def test_2_rebuilt(observed):
    assert observed == {"m": "1"}


def test_3_rebuilt(observed):
    assert observed == {"m": "1"}
"""
)


# Kills its own browser at the end of its first test, after its last step: that test errors at teardown naming the
# crash (not Playwright's TargetClosedError, nor a crash nobody is told of), the next ones get a relaunched browser.
AFTER_PROBE = (
    KILL_BROWSER
    + """

def test_1_kills_at_its_end(lab, browser_name):
    lab.set(ORIGIN, {"name": "a", "value": "1"})
    assert lab.sent(ORIGIN)["cookies"] == {"a": "1"}
    kill_browser(browser_name)


def test_2_next(lab):
    lab.set(ORIGIN, {"name": "b", "value": "1"})
    assert lab.sent(ORIGIN)["cookies"] == {"b": "1"}


def test_3_after(lab):
    lab.set(ORIGIN, {"name": "c", "value": "1"})
    assert lab.sent(ORIGIN)["cookies"] == {"c": "1"}
"""
)


def _inner(pytestconfig, command, tmp, **env_extra):
    """Start command (a pytest run) with a fresh marker in every child's environment and its own
    TMPDIR (tmp, made here): (marker, process)."""
    marker = uuid.uuid4().hex
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**processes.clean_env(), "COOKIE_LAB_RUN": marker, "TMPDIR": str(tmp), **env_extra}
    env = {name: value for name, value in env.items() if value is not None}  # None: not in the environment
    run = subprocess.Popen(
        command, cwd=pytestconfig.rootpath, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=_as_from_a_terminal,
    )  # fmt: skip
    return f"COOKIE_LAB_RUN={marker}", run


def _as_from_a_terminal():
    """SIGINT as a terminal's Ctrl-C finds it: a run started in the background by a shell without job control
    inherits it ignored, and Python then never raises KeyboardInterrupt (met: CI launched with `cmd &`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _suite(tmp_path, module, engine="webkit"):
    """pytest on one module of the suite in one engine, artifacts under tmp_path."""
    return [sys.executable, "-m", "pytest", module, "--browser", engine, "-p", "no:cacheprovider",
            "--output", str(tmp_path / "out")]  # fmt: skip


def _short_tmp():
    """A TMPDIR for an inner run, short enough that the run keeps its private folder in it."""
    return pathlib.Path(tempfile.mkdtemp(prefix="t-"))


def _left(env_marker, tmp):
    """(processes still holding the marker, what is left in the run's TMPDIR): both empty after any run."""
    # Processes exit a moment after their group is signalled: poll briefly, bounded.
    deadline = time.monotonic() + 10
    while (left := processes.tagged(env_marker)) and time.monotonic() < deadline:
        time.sleep(0.1)  # polling interval, bounded by the deadline above
    return left, sorted(str(p.relative_to(tmp)) for p in tmp.iterdir())


@pytest.mark.needs("webkit", "webkitgtk")
@pytest.mark.browser  # its inner run launches WebKitGTK
def test_normal_run_leaves_no_process(pytestconfig, tmp_path):
    """After a finished WebKit run, no driver, browser or X server of it is left."""
    tmp = _short_tmp()
    env_marker, run = _inner(pytestconfig, _suite(tmp_path, "e2e/test_flow.py"), tmp)
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output[-2000:]
    assert _left(env_marker, tmp) == ({}, [])


@pytest.mark.needs("chromium", "firefox", "webkit", "webkitgtk")
@pytest.mark.browser  # its inner run launches every engine
def test_a_run_with_a_fresh_home_leaves_it_as_it_was(pytestconfig, tmp_path):
    """Browsers, drivers and the X server get a HOME and XDG folders of their own in the run's private folder:
    crash reports, NSS databases, dconf's cache and crash-helper logs never reach the user's home."""
    home = tmp_path / "home"
    home.mkdir()
    tmp = _short_tmp()
    command = [sys.executable, "-m", "pytest", "e2e/test_flow.py", "-p", "no:cacheprovider",
               "--output", str(tmp_path / "out")]  # fmt: skip
    xdg = {name: None for name in os.environ if name.startswith("XDG_")}  # none pointing elsewhere
    env_marker, run = _inner(pytestconfig, command, tmp, HOME=str(home), **xdg)
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output[-2000:]
    assert "15 passed" in output, output[-2000:]
    assert _left(env_marker, tmp) == ({}, [])
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []


BROWSER_PROCESS = {"chromium": "chromium", "firefox": "firefox-esr", "webkit": "webkitgtk_browser.py"}
# Each engine's run needs the build whose process names BROWSER_PROCESS and KILL_BROWSER look for.
BY_PROCESS_NAME = [
    pytest.param("chromium", marks=pytest.mark.needs("chromium", "distro")),
    pytest.param("firefox", marks=pytest.mark.needs("firefox", "distro")),
    pytest.param("webkit", marks=pytest.mark.needs("webkit", "webkitgtk")),
]


# Ctrl-C in each engine (what stops each engine's processes differs), SIGTERM and SIGHUP once each: they reach the
# run the way Ctrl-C does (guards.stop_on_signals), whatever the engine.
def _with(engine, sig):
    """An engine of BY_PROCESS_NAME (with its needs) and a signal, as one parameter."""
    name = engine.values[0]
    return pytest.param(name, sig, id=f"{name}-{sig.name}", marks=engine.marks)


SIGNALS = [
    *(_with(engine, signal.SIGINT) for engine in BY_PROCESS_NAME),
    _with(BY_PROCESS_NAME[0], signal.SIGTERM),
    _with(BY_PROCESS_NAME[1], signal.SIGHUP),
]


@pytest.mark.parametrize(("engine", "sig"), SIGNALS)
@pytest.mark.browser
def test_a_signal_mid_run_leaves_no_process_and_no_file(pytestconfig, tmp_path, engine, sig):
    """Ctrl-C, SIGTERM or SIGHUP in the middle of a run stops the browser, its driver and X server, and
    removes every temp folder the run made."""
    tmp = _short_tmp()
    env_marker, run = _inner(pytestconfig, _suite(tmp_path, "e2e/test_samesite.py", engine), tmp)
    try:
        processes.wait_until(
            lambda: any(
                BROWSER_PROCESS[engine] in c and "pytest" not in c for c in processes.tagged(env_marker).values()
            ),
            60,
            what=f"the {engine} browser to start",
        )
        run.send_signal(sig)
        output, _ = run.communicate(timeout=60)
    finally:
        run.kill()
    assert "KeyboardInterrupt" in output, output[-2000:]
    assert _left(env_marker, tmp) == ({}, [])


@pytest.mark.needs("chromium")
@pytest.mark.browser
def test_a_long_tmpdir_still_launches_chromium(pytestconfig, tmp_path):
    """With a TMPDIR too long for Chromium's socket path, the run uses /tmp for its private folder and passes."""
    tmp = tmp_path / ("t" * 120)
    env_marker, run = _inner(pytestconfig, _suite(tmp_path, "e2e/test_flow.py", "chromium"), tmp)
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output[-2000:]
    assert _left(env_marker, tmp) == ({}, [])
    # Its own folder (named in its header; other runs on the machine have theirs) was in /tmp and is gone.
    folder = pathlib.Path(re.search(r"^temp folder: (\S+) ", output, re.M).group(1))
    assert folder.parent == pathlib.Path("/tmp") and folder.name.startswith(guards.TMP_PREFIX), folder
    assert not folder.exists(), folder


# case -> (probe, the test that pays and how, a later test that passes); all three run in one run, one after another
CRASHES = {
    "in-a-test": (CRASH_PROBE, "test_2_browser_dies", "FAILED", "test_3_after"),
    "in-a-module-fixture": (MODULE_CRASH_PROBE, "test_1_fixture_dies", "ERROR", "test_3_rebuilt"),
    "after-a-test": (AFTER_PROBE, "test_1_kills_at_its_end", "ERROR", "test_2_next"),
}
CRASHES_SUMMARY = "1 failed, 7 passed, 2 errors"  # the three probes' 1 failed, 2 passed; 2 passed, 1 error; 3, 1


@pytest.mark.parametrize("engine", BY_PROCESS_NAME)
@pytest.mark.browser
def test_browser_crash_costs_one_test(pytestconfig, tmp_path, engine):
    """A browser killed mid-test fails that test as a crash, with no teardown error; killed inside a module-scoped
    fixture, it errors the one test that built it; killed at a test's end, that test errors. Either way the next
    tests run on a relaunched browser, which the next probe kills again (the three in one run)."""
    modules = {case: f"test_{case.replace('-', '_')}.py" for case in CRASHES}
    paths = [str(probe.write(tmp_path / "probe", CRASHES[case][0], module)) for case, module in modules.items()]
    tmp = _short_tmp()
    command = probe.command(pathlib.Path(paths[0]), tmp_path / "out", *paths[1:], "--browser", engine, "-v")
    env_marker, run = _inner(pytestconfig, command, tmp)
    output, _ = run.communicate(timeout=300)
    assert re.search(rf"=+ {CRASHES_SUMMARY} in ", output), output[-3000:]
    # -v's lines in the run's order (a probe outside the rootdir is named by its test alone): each probe's test
    # that pays, then its later test passing.
    outcomes = re.findall(rf"::(test_\w+)\[{engine}\] (PASSED|FAILED|ERROR)", output)
    for case, (_, paying, outcome, after) in CRASHES.items():
        paid = outcomes.index((paying, outcome))
        assert (after, "PASSED") in outcomes[paid + 1 :], (case, outcomes)
    assert len(re.findall(rf"EngineCrashed: {engine} [0-9.]+\S* crashed", output)) >= len(CRASHES), output[-3000:]
    assert _left(env_marker, tmp) == ({}, [])
