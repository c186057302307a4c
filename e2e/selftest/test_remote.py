"""Browsers the harness did not launch: a WebDriver server reached by URL (--webdriver-url), as a Selenium
Grid or a Mac would be, and a Playwright server (--playwright-server)."""

import contextlib
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

ROOT = pathlib.Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _listening(command, port, log, env=None):
    """A server process started as another machine's would be, until it accepts on port; stopped on leaving."""
    server = processes.start(command, log, env=processes.clean_env(**(env or {})))
    try:
        processes.wait_until(lambda: accepts(port), 30, what=f"{pathlib.Path(command[0]).name} to listen")
        yield
    finally:
        processes.stop(server)


@pytest.fixture
def webkit_driver(tmp_path):
    """A WebKitWebDriver on a private X server, started here as another machine's would be; its URL."""
    port = free_port()
    with XServer() as x, _listening([WEBKIT_DRIVER, f"--port={port}"], port, tmp_path / "driver.log", x.env()):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def selenium_grid(tmp_path, webkit_driver):
    """A standalone Selenium Grid 4 on loopback whose one node relays WebKitGTK sessions to webkit_driver."""
    port = free_port()
    config = tmp_path / "grid.toml"
    config.write_text(grid.relay_config(port, webkit_driver, {"browserName": BROWSER_NAME}))
    server = processes.start(
        ["java", "-jar", str(grid.fetch()), "standalone", "--config", str(config)], tmp_path / "grid.log",
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
def playwright_run_server(tmp_path):
    """`playwright run-server` of this environment's Playwright on loopback, without --unsafe (which would launch
    any executable a client names): its ws endpoint."""
    port = free_port()
    command = [str(pathlib.Path(sys.executable).with_name("playwright")), "run-server", "--host", "127.0.0.1"]
    with _listening([*command, "--port", str(port)], port, tmp_path / "server.log"):
        yield f"ws://127.0.0.1:{port}/"


@pytest.fixture
def serve_browser(tmp_path):
    """serve(engine, proxy_port) starts remote.md's recipe, `python3 -m e2e serve-browser ENGINE --proxy
    127.0.0.1:PORT` (playwright launch-server with the lab's launch options), and gives its endpoint."""
    started = []

    def serve(engine, proxy_port):
        port = free_port()
        log = tmp_path / f"serve-{engine}.log"
        command = [sys.executable, "-m", "e2e", "serve-browser", engine, "--proxy", f"127.0.0.1:{proxy_port}",
                   "--port", str(port)]  # fmt: skip
        started.append(processes.start(command, log, env=processes.clean_env(), cwd=ROOT))
        endpoint = processes.wait_until(
            lambda: re.search(r"^  (ws://\S+)$", log.read_text(), re.M), 60, what="the endpoint"
        ).group(1)
        processes.wait_until(lambda: accepts(port), 60, what="the Playwright server to listen")
        return endpoint

    yield serve
    for server in started:
        # The command waits while its server closes the browser (playwright_server.CLOSE_SECONDS).
        processes.stop(server, grace=playwright_server.CLOSE_SECONDS + 5)


@pytest.mark.needs("chromium", "firefox")
@pytest.mark.browser  # the servers launch Chromium and Firefox
def test_playwright_server_runs_the_flow(pytestconfig, tmp_path, serve_browser):
    """remote.md's recipe: Chromium and Firefox from `python3 -m e2e serve-browser` (no --unsafe anywhere) pass the
    flow, and each engine line names its server."""
    proxy_port = free_port()
    endpoints = {engine: serve_browser(engine, proxy_port) for engine in ("chromium", "firefox")}
    run = _inner_flow(
        pytestconfig, tmp_path, "--browser", "chromium", "--browser", "firefox", "--proxy-listen",
        f"127.0.0.1:{proxy_port}", *(f"--playwright-server={e}={url}" for e, url in endpoints.items()),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "10 passed" in run.stdout
    for engine, url in endpoints.items():
        assert re.search(rf"^{engine} [\d.]+ \(.*; {re.escape(url)}\)$", run.stdout, re.M), run.stdout


@pytest.mark.needs("chromium")
@pytest.mark.browser  # the server launches Chromium
def test_a_served_browser_needs_its_secret_path(serve_browser):
    """Another client without the endpoint's secret path (another local user who found the port) is refused by
    the server, before any browser command."""
    endpoint = serve_browser("chromium", free_port())
    playwright_server.check(endpoint)  # with the path: a Playwright server
    bare = endpoint.rsplit("/", 1)[0] + "/"
    with pytest.raises(playwright_server.ServerError, match=r"is not a Playwright server \(HTTP 400"):
        playwright_server.check(bare)


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
@pytest.mark.parametrize(
    "engine, words",
    [("chromium", "did not launch /"), ("firefox", "did not launch /")],
    ids=["launching-chromium", "launching-firefox"],  # not [chromium...]: that id would count as a Chromium test
)
def test_playwright_server_that_drops_launch_options_is_one_line(
    pytestconfig, tmp_path, playwright_run_server, engine, words
):
    """A `playwright run-server` (without --unsafe) drops the executable, arguments and preferences: the run ends
    in one line saying so and naming the recipe (exit 4), instead of running on a browser outside the closed
    network."""
    run = _inner_flow(pytestconfig, tmp_path, "--browser", engine, "--playwright-server", playwright_run_server)
    assert run.returncode == 4, run.stdout[-3000:]
    assert f"the Playwright server {playwright_run_server} {words}" in run.stdout + run.stderr
    assert ": serve it with `python3 -m e2e serve-browser ENGINE --proxy HOST:PORT`" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.needs("chromium")
@pytest.mark.browser  # connects to a Chromium the server launched
def test_a_launch_argument_the_server_dropped_is_named(playwright, test_network, serve_browser):
    """Where the server's Chromium lacks an argument the run asks for, Chromium's command line shows it."""
    from e2e.harness.backends.playwright import find_build, launch_args

    endpoint = serve_browser("chromium", test_network.proxy.port)
    build, executable = find_build(playwright, "chromium")
    options = launch_args("chromium", test_network.proxy.port, build, executable)
    browser = playwright_server.connect(playwright.chromium, endpoint, options)
    try:
        given = {"args": [*options["args"], "--cookie-lab-never-given"]}
        with pytest.raises(playwright_server.ServerError, match="launched Chromium without --cookie-lab-never-given"):
            playwright_server.check_launched(browser, "chromium", given, endpoint)
    finally:
        browser.close()


def test_a_changed_grid_jar_is_refused_at_every_use(tmp_path, monkeypatch):
    """A cached Grid jar that is not the pinned one (tampered, truncated, another release) is refused each time it
    would be used, not only when it was downloaded."""
    jar = tmp_path / "selenium-server.jar"
    jar.write_bytes(b"PK not the pinned jar")
    monkeypatch.setattr(grid, "JAR", jar)
    with pytest.raises(grid.BadJar, match=f"sha256 .*, expected {grid.JAR_SHA256}"):
        grid.checked()
    with pytest.raises(SystemExit, match="not using it"):
        grid.fetch()
