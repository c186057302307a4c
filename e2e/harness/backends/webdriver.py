"""The W3C WebDriver backend (classic protocol, Selenium client): WebKitGTK here, Safari on a Mac, or a remote endpoint.

Why Selenium: it is the W3C WebDriver client the WebDriver authors maintain,
it speaks to WebKitWebDriver and safaridriver alike, and a driver we start
ourselves is just a URL to it (so a remote endpoint is the same code path).
Classic only: WebKitGTK 2.50 refuses webSocketUrl (BiDi) and safaridriver has none.

WebKitGTK specifics (measured here, WebKitGTK 2.50.6): no headless mode, so an Xvfb the
backend starts; one session per driver process; the proxy goes on the browser's
command line (the W3C proxy capability sends https around it); WebDriver reports
no HTTP status and a failed load raises nothing, so a marker on the old page
tells whether a load committed.
"""

import contextlib
import functools
import json
import pathlib
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.common.proxy import Proxy, ProxyType
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection

from e2e.harness import processes
from e2e.harness.backends.xserver import XServer
from e2e.harness.engine import Engine
from e2e.harness.network import private_net
from e2e.harness.runner import EngineCrashed, LabError
from e2e.harness.third_party import DEFAULTS, WEBKIT_SETTINGS

WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
SAFARI_DRIVER = "/usr/bin/safaridriver"
BROWSER = pathlib.Path(__file__).with_name("webkitgtk_browser.py")
T = TypeVar("T")
BROWSER_NAME = "cookie-lab-webkitgtk"  # webkitgtk_browser.py's application name
START_TIMEOUT = 20
LOAD_TIMEOUT = 15
MARKER = "__cookieLabPage"
CANCELLED = 302  # WEBKIT_NETWORK_ERROR_CANCELLED: a load replaced by the next one, not a failure
UNIX_PATH_MAX = 108  # sun_path, NUL included (unix(7))
UNLOADED = "Callback was not called before the unload event"  # WebKitWebDriver, when a click's page unloads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Capabilities(ArgOptions):
    """Exactly the capabilities given: Selenium's per-browser options add a browserName WebKitWebDriver refuses."""

    def __init__(self, capabilities: dict[str, Any]) -> None:
        super().__init__()
        self._given = capabilities

    def to_capabilities(self) -> dict[str, Any]:
        return dict(self._given)

    @property
    def default_capabilities(self) -> dict[str, Any]:
        return {}


class Jar(Protocol):
    """Where a WebDriver session reads and empties its cookie jar (driver: the session's WebDriver client)."""

    def cookies(self, driver: Any) -> list[dict[str, Any]]: ...

    def clear(self, driver: Any) -> None: ...

    def failed_loads(self) -> list[dict[str, Any]]: ...


class ControlJar:
    """The whole jar, through the WebKitGTK browser's control socket (webkitgtk_browser.py)."""

    def __init__(self, path: str, secret: str) -> None:
        self.path = path  # a Unix socket in the session's 0700 folder
        self.secret = secret  # from the control file, which only this user can read

    def _ask(self, command: str) -> Any:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(15)
            sock.connect(self.path)
            with sock.makefile("rw") as stream:
                stream.write(f"{self.secret} {command}\n")
                stream.flush()
                answer = json.loads(stream.readline())
        if isinstance(answer, dict) and "error" in answer:
            raise LabError(f"the browser's cookie control answered: {answer['error']}")
        return answer

    def cookies(self, driver: Any) -> list[dict[str, Any]]:
        cookies: list[dict[str, Any]] = self._ask("cookies")
        return cookies

    def clear(self, driver: Any) -> None:
        self._ask("clear")

    def failed_loads(self) -> list[dict[str, Any]]:
        """Main-frame loads that failed since the last call (WebKit shows an error page and WebDriver says nothing)."""
        failed: list[dict[str, Any]] = self._ask("failures")
        return failed


class DocumentJar:
    """WebDriver's own cookie commands: only what the current document would be sent (Safari, remote)."""

    def cookies(self, driver: Any) -> list[dict[str, Any]]:
        return [{**c, "expires": c.get("expiry")} for c in driver.get_cookies()]

    def clear(self, driver: Any) -> None:
        driver.delete_all_cookies()

    def failed_loads(self) -> list[dict[str, Any]]:
        return []  # not observable here: the page marker is all there is


class WebDriverSession:
    """One WebDriver session (one browser process) and, when we started it, its driver."""

    ERRORS: tuple[type[Exception], ...] = (WebDriverException,)  # the client's own errors: a LabError or a crash

    def __init__(
        self, driver: Any, engine: Engine, jar: Jar, owned: list[subprocess.Popen[bytes]], log: pathlib.Path | None
    ) -> None:
        self.driver = driver
        self.engine = engine
        self.jar = jar
        self.owned = owned  # processes this session started
        self.log = log
        self.closed = False
        self.crashed = False  # a step raised EngineCrashed: the test in flight already says so
        self.last_text: str | None = None  # the start of the last loaded page's text

    # Every WebDriver call goes through here: a dead driver or browser becomes EngineCrashed.
    def _call(self, what: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except self.ERRORS as error:
            if not self.alive():
                self.crashed = True
                raise EngineCrashed(self.crash_message()) from None
            message = getattr(error, "msg", None) or str(error) or type(error).__name__
            raise LabError(f"{what} failed: {message.splitlines()[0]}") from None
        except (ConnectionError, OSError) as error:
            if not self.alive():
                self.crashed = True
                raise EngineCrashed(self.crash_message()) from None
            raise LabError(f"{what} failed: {error}") from None

    def alive(self) -> bool:
        if any(process.poll() is not None for process in self.owned):
            return False
        try:
            self.driver.execute_script("return 1")
            return True
        except Exception:  # noqa: BLE001 - any failure to answer means gone
            return False

    def crash_message(self) -> str:
        tail = processes.tail(self.log) if self.log else "(remote driver: no log here)"
        return f"{self.engine.name} {self.engine.version} crashed; driver and browser stderr tail:\n{tail}"

    # The marker lives on the current page: a navigation that commits drops it.
    # One script per load checks it, sets it again for the next load and returns
    # the start of the answer, so a step costs one round trip beyond the load.
    _SETTLE = (
        f"const loaded = window.{MARKER} === undefined && document.readyState === 'complete';"
        f"if (loaded) window.{MARKER} = true;"
        "return [loaded, document.body ? document.body.innerText.slice(0, 300) : ''];"
    )

    def _settle(self) -> bool:
        loaded, self.last_text = self.driver.execute_script(self._SETTLE)
        return bool(loaded)

    def navigate(self, url: str) -> None:
        def load() -> None:
            self.driver.get(url)
            settled = self._settle()
            failed = [f for f in self.jar.failed_loads() if f["code"] != CANCELLED]
            if failed:
                # WebKit loaded its error page in place of the answer: a load, but not the one asked for.
                raise LabError(f"navigating to {url} failed: {failed[-1]['error']} ({failed[-1]['uri'][:200]})")
            if not settled:
                # WebDriver raised nothing, yet the old page is still there.
                raise LabError(
                    f"navigating to {url} failed: the page did not load "
                    "(a refused tunnel, a TLS failure or an unreachable host)"
                )

        self._call(f"navigating to {url}", load)
        return None

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self._call("script", lambda: self.driver.execute_script(f"return ({function})(arguments[0]);", arg))

    def click_and_wait(self, selector: str) -> None:
        def click() -> None:
            try:
                self.driver.find_element("css selector", selector).click()
            except self.ERRORS as error:
                # WebKitWebDriver's click waits for a callback that a fast navigation's unload can overtake
                # ("Callback was not called before the unload event", 1 run in 9 of the SameSite module,
                # measured): the click happened and the page is leaving, which the wait below sees.
                if UNLOADED not in (getattr(error, "msg", None) or str(error)):
                    raise
            processes.wait_until(self._settle, LOAD_TIMEOUT, what=f"the navigation from clicking {selector}")

        self._call(f"clicking {selector}", click)

    def click(self, selector: str) -> None:
        self._call(f"clicking {selector}", lambda: self.driver.find_element("css selector", selector).click())

    def click_in_frame(self, frame: str, selector: str, navigates: bool = False) -> None:
        def click() -> None:
            self.driver.switch_to.frame(self.driver.find_element("css selector", frame))
            try:
                processes.wait_until(
                    lambda: self.driver.find_elements("css selector", selector), LOAD_TIMEOUT, what=f"{selector}"
                )
                self.driver.find_element("css selector", selector).click()
            finally:
                self.driver.switch_to.default_content()

        self._call(f"clicking {selector} in {frame}", click)

    def screenshot(self, path: str) -> None:
        self._call("screenshot", lambda: self.driver.save_screenshot(path))

    def cookies(self) -> list[dict[str, Any]]:
        return self._call("reading the cookie jar", lambda: self.jar.cookies(self.driver))

    def clear_cookies(self) -> None:
        self._call("clearing the cookie jar", lambda: self.jar.clear(self.driver))

    def save_cookies(self, origins: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
        """A test tool's saved session: Get All Cookies on a page of each origin (WebDriver answers for the
        current document's cookies only, W3C WebDriver section 14.1), origin by origin."""
        saved = []
        for origin in origins:
            self.navigate(f"{origin}/echo")
            saved.append((origin, self._call("Get All Cookies", self.driver.get_cookies)))
        return saved

    def add_saved(self, saved: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, str]:
        """Add Cookie for each saved cookie on a page of the origin it was read on, once each (an origin's
        answer repeats another's Domain cookies); cookie name -> the driver's error for each one it refused."""
        refused: dict[str, str] = {}
        added = set()
        for origin, cookies in saved:
            self.navigate(f"{origin}/echo")
            for cookie in cookies:
                key = (cookie["name"], cookie.get("domain"), cookie.get("path"))
                if key in added:
                    continue
                added.add(key)
                try:
                    self._call(f"Add Cookie {cookie['name']}", functools.partial(self.driver.add_cookie, cookie))
                except LabError as error:
                    refused[cookie["name"]] = str(error).split(" failed: ", 1)[-1]
        return refused

    def clear_by_api(self, origins: list[str]) -> None:
        """A test tool's "clear all cookies": Delete All Cookies on a page of each origin (it deletes the
        current document's cookies only, W3C WebDriver section 14.5)."""
        for origin in origins:
            self.navigate(f"{origin}/echo")
            self._call("Delete All Cookies", self.driver.delete_all_cookies)

    def reset(self) -> None:
        """Empty jar, blank page: a clean start for the next test without a new browser."""
        self._call("resetting the session", self.close_popups)
        self._call("resetting the session", lambda: (self.driver.get("about:blank"), self._settle()))
        self.jar.failed_loads()  # the last test's failures are not the next one's
        self.clear_cookies()

    def close_popups(self) -> None:
        """Close every window but the session's own (popups a test opened)."""
        own = self.driver.current_window_handle
        for handle in self.driver.window_handles:
            if handle != own:
                self.driver.switch_to.window(handle)
                self.driver.close()
        self.driver.switch_to.window(own)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(Exception):  # the processes are stopped below either way
            self.driver.quit()
        for process in self.owned:
            processes.stop(process)


def _connection(url: str) -> RemoteConnection:
    # A direct connection: the environment's proxy variables must not carry driver traffic.
    return RemoteConnection(client_config=ClientConfig(url, proxy=Proxy({"proxyType": ProxyType.DIRECT}), timeout=120))


class WebKitGTKLauncher:
    """WebKitWebDriver + the control-socket browser on a private Xvfb (and loopback); or any WebDriver URL."""

    def __init__(
        self,
        proxy_url: str,
        flavour: str = "webkitgtk",
        url: str | None = None,
        third_party: str = DEFAULTS["webkit"],
        jar: str = "auto",
        proxy_socket: str | None = None,
    ) -> None:
        self.proxy_url = proxy_url
        # The proxy's Unix socket: given (and a namespace possible here), the driver and its browser run on a
        # loopback of their own (private_net.py), out of other local users' reach.
        self.private = proxy_socket is not None and flavour == "webkitgtk" and private_net.refusal() is None
        self.proxy_socket = proxy_socket
        self.flavour = flavour  # webkitgtk | safari
        self.url = url  # a remote (or already running) WebDriver server: a driver, a Grid
        # auto: the control port when the browser runs on this machine (it writes its control file here);
        # document: WebDriver's own cookie commands, what a browser on another machine leaves (--webdriver-jar).
        remote = url is not None and urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1")
        self.jar = "document" if remote else jar
        # Pinned, never left to a default: the cookie accept policy and ITP of the third-party policy.
        self.third_party = third_party
        self.settings = (("third-party", third_party), *WEBKIT_SETTINGS[third_party])
        self.x: XServer | None = None
        self.scratch = pathlib.Path(tempfile.mkdtemp(prefix="cl-wd-"))  # short: a Unix socket's path lies below

    def __enter__(self) -> "WebKitGTKLauncher":
        if self.flavour == "webkitgtk" and self.url is None:
            missing = [p for p in (WEBKIT_DRIVER, "/usr/bin/python3") if shutil.which(p) is None]
            if missing:
                raise RuntimeError(
                    f"WebKitGTK needs {', '.join(missing)}: apt-get install webkit2gtk-driver "
                    "xvfb python3-gi gir1.2-webkit2-4.1 (python3 -m e2e setup does it as root)"
                )
            self.x = XServer().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.x is not None:
            self.x.__exit__(*exc)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _capabilities(self, control: pathlib.Path, data_dir: pathlib.Path | None = None) -> dict[str, Any]:
        if self.flavour == "safari":
            # Safari refuses the proxy capability: the test network comes through the
            # macOS system proxy, which the hosted workflow sets (see .github/workflows).
            return {"browserName": "safari", "acceptInsecureCerts": True}
        args = ["--automation", f"--proxy={self.proxy_url}", f"--control-file={control}"]
        args += [f"--{name}={value}" for name, value in self.settings[1:]]
        args += [f"--data-dir={data_dir}"] if data_dir else []
        # browserName: the name the browser reports (WebKitWebDriver refuses any other), which a Grid's
        # stereotype matches (grid.py).
        return {
            "browserName": BROWSER_NAME,
            "acceptInsecureCerts": True,
            "webkitgtk:browserOptions": {"binary": str(BROWSER), "args": args},
        }

    def new_session(self, data_dir: pathlib.Path | None = None) -> WebDriverSession:
        folder = pathlib.Path(tempfile.mkdtemp(dir=self.scratch))
        log = folder / "driver.log"
        owned: list[subprocess.Popen[bytes]] = []
        try:
            return self._start(folder, log, owned, data_dir)
        except BaseException:  # Ctrl-C or a failed start: nothing started here may outlive it
            for process in owned:
                processes.stop(process)
            raise

    def _start(
        self,
        folder: pathlib.Path,
        log: pathlib.Path,
        owned: list[subprocess.Popen[bytes]],
        data_dir: pathlib.Path | None = None,
    ) -> WebDriverSession:
        control, url = folder / "control", self.url
        if len(str(control)) + len(".sock") >= UNIX_PATH_MAX:
            raise LabError(f"the control socket's path {control}.sock is too long for a Unix socket: a shorter TMPDIR")
        if url is None:
            port = free_port()
            command = (
                [WEBKIT_DRIVER, f"--port={port}"] if self.flavour == "webkitgtk" else [SAFARI_DRIVER, "-p", str(port)]
            )
            env = processes.clean_env(**(self.x.env() if self.x else {}), **processes.browser_home())
            if self.private and self.proxy_socket is not None:
                # The driver listens on the private loopback; the run reaches it through a listener of its own.
                listener = socket.create_server(("127.0.0.1", 0))
                proxy_port = int(self.proxy_url.rpartition(":")[2])
                command = private_net.wrapped(
                    command, (proxy_port, self.proxy_socket), expose_fds=((listener.fileno(), port),)
                )
                port = listener.getsockname()[1]
                with listener:
                    owned.append(processes.start(command, log, env=env, pass_fds=(listener.fileno(),)))
            else:
                owned.append(processes.start(command, log, env=env))
            url = f"http://127.0.0.1:{port}"
            processes.wait_until(
                lambda: accepts(port) or owned[0].poll() is not None,
                START_TIMEOUT,
                what="the WebDriver server to listen",
            )
            if owned[0].poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {processes.tail(log)}")
        try:
            driver = webdriver.Remote(_connection(url), options=_Capabilities(self._capabilities(control, data_dir)))
        except (WebDriverException, OSError, urllib3.exceptions.HTTPError) as error:
            tail = processes.tail(log) if owned else "(a driver elsewhere: no log here)"
            raise LabError(
                f"no WebDriver session from {url}: {str(error).splitlines()[0]}; driver log:\n{tail}"
            ) from None
        version = driver.capabilities.get("browserVersion", "unknown")
        jar: Jar = DocumentJar()
        reads: tuple[tuple[str, str], ...] = (("jar", "current-document"),)
        if self.flavour == "webkitgtk" and self.jar == "auto":
            try:
                found = processes.wait_until(
                    lambda: control.read_text() if control.exists() else "",
                    START_TIMEOUT,
                    what="the browser's control socket",
                )
                control_info = json.loads(found)
                jar = ControlJar(control_info["socket"], control_info["secret"])
                reads = (("libsoup", control_info["libsoup"]),)
            except TimeoutError:
                pass  # a browser elsewhere: WebDriver's own cookie view only
        settings = reads
        if self.flavour == "webkitgtk":  # the policy was asked for on the browser's command line
            settings = (*self.settings, *reads)
        if self.url is None and self.flavour == "webkitgtk":
            settings = (*settings, private_net.setting() if self.private else ("loopback", "shared"))
        executable = f"{url} ({BROWSER.name})" if self.flavour == "webkitgtk" else url
        engine = Engine("webkit", version, self.flavour, "webdriver", executable, settings, self.third_party)
        session = WebDriverSession(driver, engine, jar, owned, log if owned else None)
        session._settle()  # marks the first page, so a first load that fails is seen to fail
        return session


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class Launcher(Protocol):
    """What starts WebDriver sessions: WebKitGTKLauncher, or marionette.py's MarionetteLauncher."""

    def new_session(self, data_dir: pathlib.Path | None = None) -> WebDriverSession: ...


class WebDriverBackend:
    """One engine over WebDriver: a main session reused (and emptied) per test, more on request."""

    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher
        self.main = launcher.new_session()
        self.engine = self.main.engine
        self.extra: list[WebDriverSession] = []

    def new_session(self) -> WebDriverSession:
        session = self.launcher.new_session()
        self.extra.append(session)
        return session

    def restored_session(self, saved: Any) -> tuple[WebDriverSession, dict[str, str]]:
        """A new browser given a saved session's cookies by Add Cookie; with the cookies the driver refused."""
        session = self.new_session()
        try:
            return session, session.add_saved(saved)
        except BaseException:
            session.close()
            raise

    def persistent_session(self, profile: pathlib.Path) -> WebDriverSession:
        """A browser of its own whose jar lives in profile: closing it and opening another is a restart."""
        return self.launcher.new_session(data_dir=profile)

    def session_for(self, request: Any, scope: str) -> WebDriverSession:
        # Clearing the jar costs a few ms; a new browser costs about a second. WebDriver's own cookie commands
        # reach only the current document's cookies (Safari, a browser on another machine), so there a new
        # browser is the only empty jar.
        if not self.main.alive() or isinstance(self.main.jar, DocumentJar):
            self.main.close()
            self.main = self.launcher.new_session()
        self.main.reset()
        main = self.main
        if scope == "function" and isinstance(main.jar, ControlJar):
            request.addfinalizer(lambda: self._gone_during(main))
        return main

    def _gone_during(self, session: WebDriverSession) -> None:
        """At a test's end: a browser that died during the test, after its last step, is that test's
        EngineCrashed (the next test gets a new browser), not a crash nobody is told of."""
        if not session.closed and not session.crashed and not session.alive():
            raise EngineCrashed(session.crash_message())

    def close(self) -> None:
        for session in [self.main, *self.extra]:
            session.close()
