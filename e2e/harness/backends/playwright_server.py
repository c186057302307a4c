"""Chromium and Firefox on a Playwright server (`playwright run-server`) reached by ws endpoint.

The server launches the browser with the launch options this run computed (the same
executable, proxy and preferences as a local launch), sent in the x-playwright-launch-options
header. pytest-playwright's connect_options sends them with Python's snake_case names, which
the server ignores (measured, playwright 1.64.1: executable_path dropped, the server looked
for its own headless shell), so this module sends the protocol's camelCase names itself.
"""

import base64
import http.client
import importlib.metadata
import json
import os
import re
import urllib.parse
from typing import Any

from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import Error as PlaywrightError

from e2e.harness.guards import endpoint
from e2e.harness.network.hosts import ORIGIN

CONNECT_TIMEOUT_MS = 60_000


class ServerError(RuntimeError):
    """The server cannot serve this client: one line saying why."""


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
    "start it with --unsafe: without it the server drops executablePath, args and firefoxUserPrefs "
    "(playwright-core's filterLaunchOptions), and with them the closed network's flags and the pinned cookie policy"
)


def connect(browser_type: BrowserType, url: str, options: dict[str, Any]) -> Browser:
    """A Browser the server at url launched with these launch options (Python names), checked to hold them."""
    launch = {_camel(name): value for name, value in options.items()}
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
