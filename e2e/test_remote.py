"""Browsers the harness did not launch: a WebDriver server reached by URL (--webdriver-url), as a Selenium
Grid or a Mac would be, and a Playwright server (--playwright-server)."""

import json
import pathlib
import re
import subprocess
import sys
import urllib.request

import pytest

from e2e.harness import processes
from e2e.harness.backends import grid, playwright_server
from e2e.harness.backends.webdriver import BROWSER_NAME, WEBKIT_DRIVER, accepts, free_port
from e2e.harness.backends.xserver import XServer


@pytest.fixture
def webkit_driver(tmp_path):
    """A WebKitWebDriver on a private X server, started here as another machine's would be; its URL."""
    port = free_port()
    with XServer() as x:
        driver = processes.start(
            [WEBKIT_DRIVER, f"--port={port}"], tmp_path / "driver.log", env=processes.clean_env(DISPLAY=x.display)
        )
        try:
            processes.wait_until(lambda: accepts(port), 20, what="the driver to listen")
            yield f"http://127.0.0.1:{port}"
        finally:
            processes.stop(driver)


@pytest.fixture
def selenium_grid(tmp_path, webkit_driver):
    """A standalone Selenium Grid 4 on loopback whose one node relays WebKitGTK sessions to webkit_driver."""
    port = free_port()
    config = tmp_path / "grid.toml"
    config.write_text(grid.relay_config(port, webkit_driver, {"browserName": BROWSER_NAME}))
    server = processes.start(
        ["java", "-jar", str(grid.JAR), "standalone", "--config", str(config)], tmp_path / "grid.log",
        env=processes.clean_env(),
    )  # fmt: skip
    try:
        processes.wait_until(lambda: _grid_ready(port), 90, what="the Grid to report ready")
        yield f"http://127.0.0.1:{port}"
    finally:
        processes.stop(server)


def _grid_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=5) as answer:
            return json.load(answer)["value"]["ready"] is True
    except OSError:
        return False


WEBKIT_LINE = r"webdriver, third-party=no-third-party, cookie-policy=no-third-party, itp=off, libsoup=\d+\.\d+\.\d+; "


@pytest.mark.needs("webkit", "webkitgtk")
@pytest.mark.browser  # drives WebKitGTK through a driver this test starts itself
def test_remote_webdriver_url_runs_the_flow(pytestconfig, tmp_path, webkit_driver):
    """The flow passes on a WebKitWebDriver the harness did not start, and the engine names its URL."""
    run = _inner_flow(pytestconfig, tmp_path, "--browser", "webkit", "--webkit", "webkitgtk", "--webdriver-url",
                      webkit_driver)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
    assert re.search(WEBKIT_LINE + re.escape(webkit_driver), run.stdout)


@pytest.mark.needs("webkit", "webkitgtk", "grid")
@pytest.mark.browser  # WebKitGTK through a Selenium Grid this test starts
@pytest.mark.parametrize("jar", ["auto", "document"])
def test_selenium_grid_runs_the_flow(pytestconfig, tmp_path, selenium_grid, jar):
    """A session requested from a Selenium Grid 4, matched by its node's stereotype, passes the flow: with the
    control port (the browser is on this machine) and with WebDriver's cookies of the current document only,
    as a browser on another machine would be read."""
    run = _inner_flow(pytestconfig, tmp_path, "--browser", "webkit", "--webkit", "webkitgtk", "--webdriver-url",
                      selenium_grid, "--webdriver-jar", jar)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
    if jar == "auto":
        assert re.search(WEBKIT_LINE + re.escape(selenium_grid), run.stdout)
    else:
        policy = "third-party=no-third-party, cookie-policy=no-third-party, itp=off"
        assert f"webdriver, {policy}, jar=current-document; {selenium_grid}" in run.stdout


def _inner_flow(pytestconfig, tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "e2e/test_flow.py", "-p", "no:cacheprovider", "--output", str(tmp_path / "out"),
         *args],
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def playwright_run_server(tmp_path, request):
    """`playwright run-server --unsafe` of this environment's Playwright on loopback (without --unsafe when the
    test is parametrized with safe=True); its ws endpoint."""
    port = free_port()
    command = [str(pathlib.Path(sys.executable).with_name("playwright")), "run-server", "--host", "127.0.0.1"]
    command += [] if getattr(request, "param", False) else ["--unsafe"]
    server = processes.start([*command, "--port", str(port)], tmp_path / "server.log", env=processes.clean_env())
    try:
        processes.wait_until(lambda: accepts(port), 30, what="the Playwright server to listen")
        yield f"ws://127.0.0.1:{port}/"
    finally:
        processes.stop(server)


@pytest.mark.needs("chromium", "firefox")
@pytest.mark.browser  # the server launches Chromium and Firefox
def test_playwright_server_runs_the_flow(pytestconfig, tmp_path, playwright_run_server):
    """Chromium and Firefox launched by a Playwright server pass the flow, and the engine line names the server."""
    run = _inner_flow(
        pytestconfig, tmp_path, "--browser", "chromium", "--browser", "firefox", "--playwright-server",
        playwright_run_server,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "10 passed" in run.stdout
    for engine in ("chromium", "firefox"):
        assert re.search(rf"^{engine} [\d.]+ \(.*; {re.escape(playwright_run_server)}\)$", run.stdout, re.M), run.stdout


def test_playwright_server_of_another_version_is_one_line(playwright_run_server, monkeypatch):
    """The real server judges the client's version: another major.minor is refused in one line naming both."""
    playwright_server.check(playwright_run_server)  # this environment's own client: accepted
    monkeypatch.setattr(playwright_server, "client_version", lambda: "1.2.3")
    with pytest.raises(playwright_server.ServerError) as refused:
        playwright_server.check(playwright_run_server)
    version = playwright_server.importlib.metadata.version("playwright")
    assert str(refused.value) == (
        f"--playwright-server {playwright_run_server} runs Playwright {'.'.join(version.split('.')[:2])} and this "
        "client is 1.2.3: client and server must match in major.minor (run the server from this environment: "
        ".venv/bin/playwright run-server)"
    )


@pytest.mark.needs("chromium", "firefox")
@pytest.mark.browser  # the server launches (or fails to launch) each engine
@pytest.mark.parametrize("playwright_run_server", [True], indirect=True, ids=["without-unsafe"])
@pytest.mark.parametrize(
    "engine, words",
    [("chromium", "did not launch /"), ("firefox", "did not launch /")],
    ids=["launching-chromium", "launching-firefox"],  # not [chromium...]: that id would count as a Chromium test
)
def test_playwright_server_that_drops_launch_options_is_one_line(
    pytestconfig, tmp_path, playwright_run_server, engine, words
):
    """A server started without --unsafe drops the executable, arguments and preferences: the run ends in one
    line saying so (exit 4), instead of running on a browser outside the closed network."""
    run = _inner_flow(pytestconfig, tmp_path, "--browser", engine, "--playwright-server", playwright_run_server)
    assert run.returncode == 4, run.stdout[-3000:]
    assert f"the Playwright server {playwright_run_server} {words}" in run.stdout + run.stderr
    assert ": start it with --unsafe: without it the server drops" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.needs("chromium")
@pytest.mark.browser  # connects to a Chromium the server launched
def test_a_launch_argument_the_server_dropped_is_named(playwright, test_network, playwright_run_server):
    """Where the server found its own executable but dropped the arguments, Chromium's command line shows it."""
    from e2e.harness.backends.playwright import find_build, launch_args

    build, executable = find_build(playwright, "chromium")
    options = launch_args("chromium", test_network.proxy.port, build, executable)
    browser = playwright_server.connect(playwright.chromium, playwright_run_server, options)
    try:
        given = {"args": [*options["args"], "--cookie-lab-never-given"]}
        with pytest.raises(playwright_server.ServerError, match="launched Chromium without --cookie-lab-never-given"):
            playwright_server.check_launched(browser, "chromium", given, playwright_run_server)
    finally:
        browser.close()
