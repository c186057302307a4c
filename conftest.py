"""Root fixtures: the test network, browser provisioning, per-test cookie isolation.

Layered like pytest-playwright's own fixtures, each overridable:
test_network -> engine -> browser_type_launch_args -> browser -> context (empty jar) -> lab.
"""
import collections
import json
import pathlib

import pytest
from slugify import slugify

from e2e.truth import MISSING, Truth, truth_for
from harness.browsers import WEBKIT_INSTALL, find_engine
from harness.network import TestNetwork
from harness.report import PROPERTY, Collector, observation
from harness.runner import Lab, assert_empty_jar

ALL_ENGINES = ["chromium", "firefox", "webkit"]
BASELINES = pathlib.Path(__file__).parent / "e2e" / "baselines"
_engines_used = {}


def pytest_addoption(parser):
    group = parser.getgroup("cookie-lab")
    group.addoption("--report-dir", default=None, help="where the behaviour report goes (default: --output)")
    group.addoption("--baseline-dir", default=str(BASELINES), help=f"baselines to compare with (default {BASELINES})")
    group.addoption("--update-baselines", action="store_true", help="re-record the baselines from this run")
    group.addoption(
        "--strict-baselines", action="store_true", help="fail when an engine/version or case has no baseline"
    )


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the xdist controller or a plain run
        config.pluginmanager.register(Collector(config), "cookie-lab-report")
    # pytest-playwright runs only chromium without --browser; this suite's
    # point is the matrix, so no option means every engine.
    if not config.option.browser:
        config.option.browser = list(ALL_ENGINES)


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_name" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def test_network():
    """Site servers on plain and TLS sockets behind the closed proxy, for the whole run."""
    with TestNetwork() as network:
        yield network


@pytest.fixture(scope="session")
def engine(playwright, browser_name, test_network):
    """The executable and launch options for this engine; WebKit skips without its build."""
    found = find_engine(playwright, browser_name, test_network.proxy.port)
    if found is None:
        pytest.skip(f"WebKit: Playwright's WebKit build is not installed; run `{WEBKIT_INSTALL}`")
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, engine):
    # Command-line choices (--headed, --browser-channel, --slowmo) win.
    return {**engine.launch_args, **browser_type_launch_args}


@pytest.fixture(scope="session")
def browser(launch_browser, engine):
    launched = launch_browser()
    _engines_used[engine.name] = engine.describe(launched.version)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The test CA is throwaway and never trusted system-wide.
    return {**browser_context_args, "ignore_https_errors": True}


@pytest.fixture
def context(new_context):
    """A fresh context per test (pytest-playwright's), proven to start with an empty cookie jar."""
    fresh = new_context()
    assert_empty_jar(fresh, "test start")
    return fresh


@pytest.fixture
def lab(context, test_network):
    """The scenario runner on this test's context."""
    return Lab(context, test_network)


@pytest.fixture(scope="module")
def module_lab(browser, browser_context_args, test_network):
    """One context for a module's batched cases (distinct cookie names), proven to start empty."""
    shared = Lab(browser.new_context(**browser_context_args), test_network)
    assert_empty_jar(shared.context, "module start")
    yield shared
    shared.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test, keep what the server received beside the trace and screenshot."""
    report = (yield).get_result()
    if report.when != "call" or not report.failed:
        return
    for name in ("lab", "module_lab"):
        runner = getattr(item, "funcargs", {}).get(name)
        if isinstance(runner, Lab) and runner.history:
            folder = pathlib.Path(item.config.getoption("--output")) / slugify(item.nodeid)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "server-echo.json").write_text(json.dumps(runner.history, indent=1, sort_keys=True))
            report.sections.append(("server echo", f"what the server received: {folder / 'server-echo.json'}"))


@pytest.fixture
def check(request, browser_name, browser, engine):
    """check(case_id, observed): record the observation and assert it is this engine's truth."""

    def _check(case_id, observed):
        # As the report will hold it (tuples become lists), so truth is plain JSON data.
        observed = json.loads(json.dumps(observed))
        try:
            want = truth_for(case_id, browser_name)
        except LookupError as missing:
            # Recorded anyway, so a new case's first run shows what to write down.
            want = Truth(MISSING, str(missing))
        record = observation(case_id, browser_name, browser.version, engine.build, observed, want.value, want.source)
        request.node.user_properties.append((PROPERTY, record))
        assert want.value is not MISSING, want.source
        assert observed == want.value, (
            f"{case_id} on {browser_name} {browser.version}: observed {observed!r}, "
            f"recorded truth {want.value!r} ({want.source})"
        )

    return _check


def pytest_terminal_summary(terminalreporter):
    if _engines_used:
        terminalreporter.section("engines")
        for name in sorted(_engines_used):
            terminalreporter.write_line(_engines_used[name])
    # One line per skip reason instead of pytest's one per test location.
    reasons = collections.Counter(
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"skipped {count} tests: {reason}")
