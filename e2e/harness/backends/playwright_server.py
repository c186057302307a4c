"""Chromium and Firefox on a Playwright server reached by ws endpoint, and the command that serves one.

    python3 -m e2e serve-browser ENGINE --proxy HOST:PORT [--host HOST] [--port PORT] [--third-party POLICY]

The server is `playwright launch-server` with the launch options a local run would use (executable,
arguments, preferences, the test proxy at HOST:PORT), fixed on the server's side in its config file:
the client only connects and asks for nothing, so nothing it could ask for is unsafe. The endpoint's
path is a random secret (wsPath) printed once: whoever holds it drives that browser, so it goes to
loopback unless --host says otherwise. `playwright run-server --unsafe`, the other kind, launches
whatever executablePath any client names (a client asking for /bin/sh ran commands on the server's
machine, measured): the harness still speaks to it, sending its launch options in the
x-playwright-launch-options header with the protocol's camelCase names (pytest-playwright's
connect_options sends snake_case ones, which the server ignores), but e2e/docs/remote.md's recipe is this one.
"""

import argparse
import base64
import http.client
import importlib.metadata
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from typing import Any

from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import Error as PlaywrightError

from e2e.harness.network.hosts import ORIGIN, endpoint

CONNECT_TIMEOUT_MS = 60_000


class ServerError(RuntimeError):
    """The server cannot serve this client: one line saying why."""


ENGINES = ("chromium", "firefox")  # what a Playwright server serves here (WebKit: over WebDriver)


CLOSE_SECONDS = 20  # how long the launch server may take to close its browser on a signal


def servers(given: list[str]) -> dict[str, str]:
    """--playwright-server values as {engine: ws endpoint}: a bare URL serves both engines, ENGINE=URL one."""
    found: dict[str, str] = {}
    for value in given:
        engine, sep, url = value.partition("=")
        if sep and engine in ENGINES:
            found[engine] = url
        elif sep and "://" not in engine:
            raise ServerError(f"--playwright-server {value}: ENGINE is one of {', '.join(ENGINES)}, not {engine!r}")
        else:
            found.update(dict.fromkeys(ENGINES, value))
    return found


def client_version() -> str:
    return importlib.metadata.version("playwright")


def check(url: str) -> None:
    """Before any test: the server answers at url and speaks this client's major.minor.

    A WebSocket handshake with this client's User-Agent is what the server judges: 101 when
    the versions match, 428 naming the server's version when they do not.
    """
    found = endpoint(url, "ws", "wss")
    if found is None:
        raise ServerError(f"--playwright-server takes a ws:// endpoint such as ws://127.0.0.1:3000/, not {url!r}")
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "wss" else http.client.HTTPConnection
    connection = connection_class(*found, timeout=10)
    headers = {
        "User-Agent": f"Playwright/{client_version()} cookie-lab",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
    }
    try:
        connection.request("GET", parts.path or "/", headers=headers)
        answer = connection.getresponse()
        status, body = answer.status, answer.read(2000).decode(errors="replace") if answer.status != 101 else ""
    except OSError as error:
        raise ServerError(
            f"--playwright-server {url}: nothing answers there ({error.strerror or error}); "
            "start it first (playwright run-server --port PORT)"
        ) from None
    finally:
        connection.close()
    if status == 428:
        server = re.search(r"server version: v?([\d.]+)", body)
        raise ServerError(
            f"--playwright-server {url} runs Playwright {server.group(1) if server else '(unknown)'} and this "
            f"client is {client_version()}: client and server must match in major.minor "
            "(run the server from this environment: .venv/bin/playwright run-server)"
        )
    if status != 101:
        raise ServerError(
            f"--playwright-server {url} is not a Playwright server (HTTP {status} to a WebSocket upgrade)"
        )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


UNSAFE = (
    "serve it with `python3 -m e2e serve-browser ENGINE --proxy HOST:PORT` (the launch options fixed on the "
    "server's side); a `playwright run-server` without --unsafe drops executablePath, args and firefoxUserPrefs "
    "(playwright-core's filterLaunchOptions), and with them the closed network's flags and the pinned cookie policy"
)


def connect(browser_type: BrowserType, url: str, options: dict[str, Any]) -> Browser:
    """A Browser the server at url launched with these launch options (Python names), checked to hold them."""
    # The environment is this machine's (a private HOME here): the server's browser keeps the server's own.
    launch = {_camel(name): value for name, value in options.items() if name != "env"}
    try:
        browser = browser_type.connect(
            url, timeout=CONNECT_TIMEOUT_MS, headers={"x-playwright-launch-options": json.dumps(launch)}
        )
    except PlaywrightError as error:
        if "executablePath" in launch and ("Cannot find" in str(error) or "Executable doesn't exist" in str(error)):
            raise ServerError(
                f"the Playwright server {url} did not launch {launch['executablePath']}: {UNSAFE}"
            ) from None
        raise
    try:
        check_launched(browser, browser_type.name, launch, url)
    except BaseException:
        browser.close()
        raise
    return browser


def check_launched(browser: Any, name: str, launch: dict[str, Any], url: str) -> None:
    """Chromium shows its command line on chrome://version; Firefox's preferences are all or nothing, and the
    proxy among them: a test host that loads proves them applied."""
    page = browser.new_page(ignore_https_errors=True)
    try:
        if name == "chromium":
            page.goto("chrome://version")
            command_line = page.inner_text("#command_line")
            missing = [arg for arg in launch.get("args", []) if arg not in command_line]
            if missing:
                raise ServerError(f"the Playwright server {url} launched Chromium without {missing[0]}: {UNSAFE}")
        elif name == "firefox" and "firefoxUserPrefs" in launch:
            try:
                page.goto(f"{ORIGIN}/", timeout=15_000)
            except PlaywrightError:
                raise ServerError(
                    f"the Playwright server {url} launched Firefox without its preferences (the test proxy "
                    f"unused: {ORIGIN} did not load): {UNSAFE}"
                ) from None
    finally:
        page.close()


def server_config(engine: str, proxy: str, host: str, port: int, third_party: str) -> dict[str, Any]:
    """launch-server's config: this machine's build of engine, launched as a local run would launch it, proxied
    to the test proxy at proxy (HOST:PORT, the run's --proxy-listen), on host:port under a secret path."""
    from playwright.sync_api import sync_playwright

    from e2e.harness.backends.playwright import find_build, launch_args

    with sync_playwright() as playwright:
        found = find_build(playwright, engine)
    if found is None:
        raise ServerError(f"no {engine} build to serve here")
    build, executable = found
    proxy_host, _, proxy_port = proxy.rpartition(":")
    options = launch_args(engine, int(proxy_port), build, executable, third_party, proxy_host)
    config = {_camel(name): value for name, value in options.items() if name != "env"}
    return {**config, "headless": True, "host": host, "port": port, "wsPath": "/" + secrets.token_urlsafe(24)}


def main(argv: list[str] | None = None) -> int:
    from e2e.harness import third_party

    parser = argparse.ArgumentParser(prog="python3 -m e2e serve-browser", description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("--proxy", required=True, metavar="HOST:PORT",
                        help="the test proxy as this browser reaches it: the run's --proxy-listen")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1", help="where the server listens (default: loopback only)")
    parser.add_argument("--port", type=int, default=0, help="its port (default: a free one)")
    parser.add_argument("--third-party", default="default", help="the third-party cookie policy to launch under")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[^:\s]+:\d{1,5}", args.proxy):
        parser.error(f"--proxy takes HOST:PORT, the run's --proxy-listen, not {args.proxy!r}")
    policy = third_party.parse([args.third_party], [args.engine])[args.engine]
    port = args.port
    if port == 0:
        from e2e.harness.backends.webdriver import free_port

        port = free_port()
    config = server_config(args.engine, args.proxy, args.host, port, policy)
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="cookie-lab-server-", delete=False) as file:
        json.dump(config, file)  # 0600 (NamedTemporaryFile): it names the secret path
    endpoint = f"ws://{args.host}:{port}{config['wsPath']}"
    exposed = args.host not in ("127.0.0.1", "localhost", "::1")
    print(f"serving {args.engine} ({config.get('executablePath', 'Playwright build')}, third-party={policy}) at")
    print(f"  {endpoint}")
    print(f"run: pytest e2e --browser {args.engine} --playwright-server {args.engine}={endpoint} "
          f"--proxy-listen {args.proxy}")  # fmt: skip
    if exposed:
        print(f"WARNING: listening on {args.host}: whoever reaches it and knows the endpoint's secret path drives "
              "this browser (pages, cookies, downloads), never its executable or arguments")  # fmt: skip
    try:
        return _until_stopped(
            [sys.executable, "-m", "playwright", "launch-server", "--browser", args.engine, "--config", file.name]
        )
    finally:
        os.unlink(file.name)


class _Stopped(Exception):
    pass


def _stop(signum: int, frame: Any) -> None:
    raise _Stopped


def _until_stopped(command: list[str]) -> int:
    """Run the launch server; on Ctrl-C, SIGTERM or SIGHUP, wait while it closes its browser. The server launches
    the browser in a process group of its own and closes it on the signal: had this command ended first, whoever
    stopped it would kill the server's group (processes.stop) before the browser closed, and the browser would
    outlive them all (measured: a Firefox left by each run of test_remote's flow test)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except (KeyboardInterrupt, _Stopped):
        server.terminate()  # also where the signal reached this process only
        try:
            server.wait(CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
        return 130


if __name__ == "__main__":
    sys.exit(main())
