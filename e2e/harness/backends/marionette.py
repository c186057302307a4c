"""Firefox over Marionette (Mozilla's own remote protocol; the marionette_driver client): for a Firefox
release no Playwright here drives. Firefox ESR 140: Playwright 1.57 to 1.64.1 fail at launch with
"Protocol error (network.addDataCollector): unknown command", 1.53 to 1.56 with "Target page, context or
browser has been closed", and neither Debian 12 nor the reachable registries carry geckodriver (measured).

The session is the WebDriver backend's WebDriverSession (its load marker, clicks, frames and popups)
over an adapter with the Selenium method names it calls. The jar is read whole in the browser's chrome
context (Services.cookies, every host, path and partition), as WebKitGTK's control port reads it, never
only the current document's cookies.
"""

import contextlib
import pathlib
import shutil
import tempfile
from typing import Any

from marionette_driver.errors import MarionetteException
from marionette_driver.geckoinstance import DesktopInstance
from marionette_driver.marionette import Marionette
from mozprofile import Profile

from e2e.harness import processes, third_party
from e2e.harness.backends.playwright import firefox_prefs
from e2e.harness.backends.webdriver import LOAD_TIMEOUT, START_TIMEOUT, WebDriverSession, free_port
from e2e.harness.engine import Engine
from e2e.harness.network import private_net
from e2e.harness.reasons import FIREFOX_MESSAGES, RefusalLog

MARIONETTE_PREFS = {
    # WebDriverSession reads an answer as the page's text, which Firefox's JSON viewer replaces with its own
    # (measured: "JSONRaw DataHeaders..."); Playwright reads the response, so only this path turns it off.
    "devtools.jsonview.enabled": False,
    # marionette_driver's profile sets it true, and cross-site frames then had storage access under
    # cookieBehavior 5 (measured: test_third_party.py passed only with it false); Playwright leaves it false.
    "dom.permissions.testing.enabled": False,
}
# nsICookie (netwerk/cookie/nsICookie.idl): sameSite 0 None, 1 Lax, 2 Strict, 256 unset, reported as the
# default, Lax, as Playwright reports WebDriver BiDi's "default"; expiry in seconds up to ESR 140 and in
# milliseconds in 153 (measured, as each release's BiDi storage module reads it), told apart by size.
_COOKIES = """
const sameSite = {0: "None", 1: "Lax", 2: "Strict", 256: "Lax"};
return Services.cookies.cookies.map(c => ({
  name: c.name, value: c.value, domain: c.host, path: c.path, httpOnly: c.isHttpOnly, secure: c.isSecure,
  expires: c.isSession ? null : (c.expiry > 1e11 ? Math.round(c.expiry / 1000) : c.expiry),
  sameSite: sameSite[c.sameSite] ?? String(c.sameSite),
}));
"""


class ChromeJar:
    """The whole jar through Services.cookies in the chrome context."""

    def cookies(self, driver: "MarionetteDriver") -> list[dict[str, Any]]:
        with driver.client.using_context(driver.client.CONTEXT_CHROME):
            cookies: list[dict[str, Any]] = driver.client.execute_script(_COOKIES)
            return cookies

    def clear(self, driver: "MarionetteDriver") -> None:
        """Every cookie, and with them the permissions and site data a test leaves (a storage-access grant
        outlived the cookies and gave later tests' frames their first-party cookies: measured), as a new
        Playwright context starts without them."""
        with driver.client.using_context(driver.client.CONTEXT_CHROME):
            driver.client.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "Services.clearData.deleteData(Ci.nsIClearDataService.CLEAR_ALL, () => done(true));"
            )

    def failed_loads(self) -> list[dict[str, Any]]:
        return []  # Marionette's navigate raises on Firefox's error page ("Reached error page")


class _SwitchTo:
    def __init__(self, client: Marionette) -> None:
        self.client = client

    def frame(self, element: Any) -> None:
        self.client.switch_to_frame(element)

    def default_content(self) -> None:
        self.client.switch_to_frame()

    def window(self, handle: str) -> None:
        self.client.switch_to_window(handle)


class MarionetteDriver:
    """The Selenium WebDriver methods WebDriverSession calls, on a Marionette client."""

    def __init__(self, client: Marionette) -> None:
        self.client = client
        self.switch_to = _SwitchTo(client)

    def get(self, url: str) -> None:
        self.client.navigate(url)

    def execute_script(self, script: str, *args: Any) -> Any:
        return self.client.execute_script(script, script_args=list(args))

    def find_element(self, by: str, selector: str) -> Any:
        return self.client.find_element(by, selector)

    def find_elements(self, by: str, selector: str) -> list[Any]:
        found: list[Any] = self.client.find_elements(by, selector)
        return found

    def get_cookies(self) -> list[dict[str, Any]]:
        cookies: list[dict[str, Any]] = self.client.get_cookies()
        return cookies

    def add_cookie(self, cookie: dict[str, Any]) -> None:
        self.client.add_cookie(cookie)

    def delete_all_cookies(self) -> None:
        self.client.delete_all_cookies()

    def save_screenshot(self, path: str) -> None:
        pathlib.Path(path).write_bytes(self.client.screenshot(format="binary"))

    @property
    def current_window_handle(self) -> str:
        handle: str = self.client.current_window_handle
        return handle

    @property
    def window_handles(self) -> list[str]:
        handles: list[str] = self.client.window_handles
        return handles

    def close(self) -> None:
        self.client.close()

    def quit(self) -> None:
        try:
            # A shutdown from within Firefox: it writes its cookie database first (a killed Firefox lost a
            # 30-day cookie across a restart: measured).
            with contextlib.suppress(MarionetteException, OSError):
                self.client.quit(in_app=True)
        finally:
            self.client.cleanup()  # stops Firefox if it is still running, removes a profile mozprofile made


class MarionetteSession(WebDriverSession):
    ERRORS = (*WebDriverSession.ERRORS, MarionetteException)

    def hear_refusals(self) -> RefusalLog:
        """From now on, Firefox's console message for each cookie it refuses (read in the chrome context)."""
        client = self.driver.client
        with client.using_context(client.CONTEXT_CHROME):
            since = client.execute_script("return Date.now();")

        def pull() -> list[str]:
            with client.using_context(client.CONTEXT_CHROME):
                messages: list[str] = client.execute_script(FIREFOX_MESSAGES, script_args=[since])
                return messages

        return RefusalLog(pull)


class MarionetteLauncher:
    """Firefox started by marionette_driver (mozrunner), headless, with the pinned preferences."""

    def __init__(
        self,
        proxy_host: str,
        proxy_port: int,
        executable: str,
        third_party_policy: str,
        proxy_socket: str | None = None,
    ) -> None:
        self.prefs = {**firefox_prefs(proxy_host, proxy_port, third_party_policy), **MARIONETTE_PREFS}
        self.executable = executable
        self.policy = third_party_policy
        policy = f"{third_party_policy} ({third_party.describe('firefox', third_party_policy)})"
        # Marionette runs page and chrome script for whoever holds its session: on a loopback of its own
        # (private_net.py) when the proxy's Unix socket is given and this machine allows a namespace.
        self.private = proxy_socket is not None and private_net.refusal() is None
        self.proxy = (proxy_port, proxy_socket or "")
        self.settings = (("third-party", policy), private_net.setting() if self.private else ("loopback", "shared"))
        self.scratch = pathlib.Path(tempfile.mkdtemp(prefix="cookie-lab-marionette-"))

    def __enter__(self) -> "MarionetteLauncher":
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def new_session(self, data_dir: pathlib.Path | None = None) -> MarionetteSession:
        folder = pathlib.Path(tempfile.mkdtemp(dir=self.scratch))
        log = folder / "gecko.log"
        port, profile = free_port(), None
        if data_dir:
            # A profile folder of the caller's is used in place, so a restart reopens it. marionette_driver
            # writes its own preferences (its port among them) only into a profile it makes, so they go in here.
            prefs = {**DesktopInstance.required_prefs, **DesktopInstance.desktop_prefs, **self.prefs}
            prefs.update({"marionette.port": port, "marionette.defaultPrefs.port": port})
            profile = Profile(profile=str(data_dir), preferences=prefs, restore=False)
        # mozrunner starts one executable with this process's environment: a script, which gives Firefox a HOME
        # of its own and, where possible, starts it in the namespace, Marionette's port relayed to the same
        # number on this machine's loopback, for this user only.
        command = [self.executable]
        if self.private:
            command = private_net.wrapped(command, self.proxy, expose_ports=((port, port),))
        binary = str(private_net.script(folder / "firefox", command, processes.browser_home()))
        # app: named, since marionette_driver would otherwise read it from an application.ini beside the binary.
        client = Marionette(
            host="127.0.0.1", port=port, bin=binary, app="fxdesktop", headless=True, gecko_log=str(log), prefs=self.prefs,
            profile=profile, startup_timeout=START_TIMEOUT * 3,
        )  # fmt: skip
        try:
            client.start_session({"acceptInsecureCerts": True})
            client.timeout.page_load = LOAD_TIMEOUT
            version = client.session_capabilities["browserVersion"]
        except BaseException:  # Ctrl-C or a failed start: the browser may not outlive it
            with contextlib.suppress(Exception):
                client.cleanup()
            raise
        engine = Engine("firefox", version, "distro", "marionette", self.executable, self.settings, self.policy)
        session = MarionetteSession(MarionetteDriver(client), engine, ChromeJar(), [], log)
        session._settle()  # marks the first page, as WebDriverSession expects
        return session
