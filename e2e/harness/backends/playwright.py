"""The Playwright backend: the one module of the harness that imports playwright.

Playwright's own build when it is installed; otherwise the distribution's
browser where Playwright can drive one (Debian chromium, and firefox-esr over
WebDriver BiDi). WebKit without Playwright's build goes to the WebDriver backend.
"""

import contextlib
import functools
import json
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

import playwright
from playwright.sync_api import Error as PlaywrightError

from e2e.harness import processes
from e2e.harness.backends import firefox_console
from e2e.harness.engine import Engine
from e2e.harness.network import private_net
from e2e.harness.reasons import RefusalLog, listen_chromium
from e2e.harness.runner import EngineCrashed, LabError
from e2e.harness.third_party import FIREFOX_BEHAVIOR

T = TypeVar("T")

DISTRO_EXECUTABLES = {
    "chromium": ("chromium", "chromium-browser"),
    "firefox": ("firefox-esr", "firefox"),
}
# Chromium's background services try to reach Google; the proxy would refuse
# them, but they are noise in every run (measured: Debian chromium 156).
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # WebRTC's UDP never goes through an HTTP proxy: a page could send STUN to any loopback
    # port (measured: chromium 156 sent to 127.0.0.1 and [::1]). Only proxied WebRTC is left.
    # Measured: this switch stops it; --force-webrtc-ip-handling-policy did not.
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# Keep stock Firefox from calling home or upgrading http:// navigations to
# https://, which would turn every plain-http scenario into an https one.
FIREFOX_PREFS = {
    "dom.security.https_first": False,
    "dom.security.https_first_schemeless": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "app.normandy.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "extensions.update.enabled": False,
    # WebRTC through the proxy only, never UDP around it (Firefox sent nothing in our probe
    # either way; pinned so that a new default cannot open the closed network).
    "media.peerconnection.ice.proxy_only": True,
}
CHROMIUM_ERROR_PAGE = "chrome-error://**"
ERROR_PAGE_MS = 5000
CONTEXT_ARGS = {"ignore_https_errors": True}  # the test CA is throwaway and never trusted system-wide


@functools.cache  # one manifest per installed playwright: read once, not per test that asks (needs.py)
def playwright_build_folder(name: str) -> str:
    """The folder name of the pinned playwright's own build of `name` (chromium, firefox, webkit, ffmpeg) in its
    browser cache, e.g. chromium-1248; read from its manifest, without starting Playwright."""
    manifest = pathlib.Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"] if b["name"] == name)
    return f"{name}-{revision}"


def playwright_download(name: str) -> pathlib.Path | None:
    """The folder of Playwright's own build of `name`, or None when it is not installed."""
    cache = pathlib.Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or pathlib.Path.home() / ".cache" / "ms-playwright")
    found = cache / playwright_build_folder(name)
    return found if found.exists() else None


def playwright_ffmpeg() -> pathlib.Path | None:
    """Playwright's own ffmpeg build (what --video records with), or None when it is not installed."""
    return playwright_download("ffmpeg")


# --browser-channel NAME: the engine it is a build of, and where Playwright 1.64.1 looks for it on Linux
# (playwright-core's registry, _createChromiumChannel / _createBidiFirefoxChannel).
CHANNELS = {
    "chrome": ("chromium", "/opt/google/chrome/chrome"),
    "chrome-beta": ("chromium", "/opt/google/chrome-beta/chrome"),
    "chrome-dev": ("chromium", "/opt/google/chrome-unstable/chrome"),
    "chrome-canary": ("chromium", "/opt/google/chrome-canary/chrome"),
    "msedge": ("chromium", "/opt/microsoft/msedge/msedge"),
    "msedge-beta": ("chromium", "/opt/microsoft/msedge-beta/msedge"),
    "msedge-dev": ("chromium", "/opt/microsoft/msedge-dev/msedge"),
    "moz-firefox": ("firefox", "/snap/bin/firefox"),
    "moz-firefox-beta": ("firefox", "/opt/firefox-beta/firefox"),
    "moz-firefox-nightly": ("firefox", "/opt/firefox-nightly/firefox"),
}


def channel_problem(channel: str, linux: bool) -> str | None:
    """Why --browser-channel channel cannot launch here (one line), or None."""
    if channel not in CHANNELS:
        import difflib

        near = difflib.get_close_matches(channel, CHANNELS, n=1)
        hint = f"did you mean {near[0]}? " if near else ""
        return f"--browser-channel {channel}: no such channel ({hint}Playwright's are {', '.join(CHANNELS)})"
    engine, path = CHANNELS[channel]
    if linux and not os.path.exists(path):
        return (
            f"--browser-channel {channel}: {path} is not installed (the {engine} build that channel names); install "
            "it, or drop --browser-channel to run the engine's own build"
        )
    return None


class EngineUnavailable(RuntimeError):
    """Neither Playwright's build nor a usable distribution build exists."""


def _proxy_prefs(proxy_host: str, proxy_port: int) -> dict[str, Any]:
    # Over BiDi, Playwright's proxy= launch option reached http but not https in
    # stock Firefox (measured: firefox-esr 153, playwright 1.64.1); the prefs do both.
    return {
        "network.proxy.type": 1,
        "network.proxy.http": proxy_host,
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": proxy_host,
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.no_proxies_on": "",
        # Firefox never proxies localhost and 127.0.0.1 unless told to, so a page
        # could reach any loopback port directly (measured: firefox-esr 153).
        "network.proxy.allow_hijacking_localhost": True,
    }


def firefox_prefs(proxy_host: str, proxy_port: int, third_party: str = "") -> dict[str, Any]:
    """Every preference a Firefox run pins, whatever drives it: quiet, proxied, under the third-party policy."""
    prefs = {**FIREFOX_PREFS, **_proxy_prefs(proxy_host, proxy_port)}
    if third_party:
        prefs["network.cookie.cookieBehavior"] = FIREFOX_BEHAVIOR[third_party]
    return prefs


def private_firefox(name: str, build: str, proxy_socket: str | None) -> bool:
    """Whether this launch puts Firefox on a loopback of its own (private_net.py): the Debian build, driven over
    WebDriver BiDi, whose port any local user could ask first for a session. Playwright's own builds speak
    over a pipe (Chromium's CDP, Firefox's Juggler): no port to reach."""
    return name == "firefox" and build == "distro" and proxy_socket is not None and private_net.refusal() is None


def launch_args(
    name: str,
    proxy_port: int,
    build: str,
    executable: str,
    third_party: str = "",
    proxy_host: str = "127.0.0.1",
    proxy_socket: str | None = None,
) -> dict[str, Any]:
    """Launch options for one build of an engine, under a third-party policy (third_party.py); proxy_host is
    the test proxy as the browser reaches it (another machine's browser: --proxy-listen's host); proxy_socket
    its Unix socket, for a browser in a private network namespace."""
    args: dict[str, Any] = {"executable_path": executable} if build == "distro" else {}
    args["env"] = processes.clean_env(**processes.browser_home())
    if name == "firefox" and build == "distro":
        folder = pathlib.Path(tempfile.mkdtemp(prefix="cookie-lab-firefox-"))  # in the run's private folder
        (folder / "app").mkdir()
        executable = str(firefox_console.installation(executable, folder / "app"))
        args["executable_path"] = executable
        args["env"][firefox_console.CONSOLE_ENV] = str(folder / "console.jsonl")
        if private_firefox(name, build, proxy_socket):
            command = private_net.wrapped([executable], (proxy_port, proxy_socket or ""), firefox_bidi=True)
            args["executable_path"] = str(private_net.script(folder / "firefox", command))
    if name == "chromium":
        args["args"] = CHROMIUM_ARGS
    if name == "firefox":
        args["firefox_user_prefs"] = firefox_prefs(proxy_host, proxy_port, third_party)
    if build == "distro" and name == "firefox":
        # Stock Firefox is driven over WebDriver BiDi through this channel; its
        # proxy comes from the prefs above alone.
        args["channel"] = "moz-firefox"
    else:
        args["proxy"] = {"server": f"http://{proxy_host}:{proxy_port}"}
    return args


def find_build(playwright: Any, name: str) -> tuple[str, str] | None:
    """(build, executable) Playwright can launch for `name`, or None (WebKit: use WebDriver instead)."""
    own = getattr(playwright, name).executable_path
    if os.path.exists(own):
        return "playwright", own
    for candidate in DISTRO_EXECUTABLES.get(name, ()):
        path = shutil.which(candidate)
        if path:
            return "distro", path
    if name == "webkit":
        return None
    raise EngineUnavailable(
        f"{name}: Playwright's build is not installed ({own}) and no distribution build was found "
        f"(looked for {', '.join(DISTRO_EXECUTABLES[name])} on PATH). "
        f"Run `playwright install --with-deps {name}`, or on Debian `apt-get install "
        f"{DISTRO_EXECUTABLES[name][0]}`."
    )


class PlaywrightSession:
    """A browser context with one page: one isolated jar."""

    last_text: str | None = None  # the start of the page's text, where goto gave no response to read a status from
    crashed = False  # a step of this session raised EngineCrashed: the test in flight already says so

    def __init__(self, context: Any, engine: Engine, console: pathlib.Path | None = None) -> None:
        self.context = context
        self.engine = engine
        self.page = context.pages[0] if context.pages else context.new_page()
        self.console = console  # the file a Firefox writes its cookie messages to (firefox_console.py)

    def _call(self, what: str, action: Callable[[], T]) -> T:
        """Run one Playwright call; a dead browser becomes EngineCrashed, any other failure LabError."""
        try:
            return action()
        except PlaywrightError as error:
            browser = self.context.browser
            if browser is not None and not browser.is_connected():
                # The context died with its browser: closing it again (pytest-playwright's teardown
                # stops its tracing first) would add a second error to the crashed test.
                self.context.close = lambda *args, **kwargs: None
                self.crashed = True
                raise EngineCrashed(crash_message(self.engine)) from None
            raise LabError(f"{what} failed: {error.message.splitlines()[0]}") from None

    def navigate(self, url: str) -> int | None:
        try:
            response = self._call(f"navigating to {url}", lambda: self.page.goto(url))
        except LabError as failed:
            if "net::ERR_" in str(failed):
                # Chromium commits its error page a moment after goto failed, and that commit
                # interrupts whatever navigation comes next (measured: chromium 156): let it land.
                with contextlib.suppress(PlaywrightError):
                    self.page.wait_for_url(CHROMIUM_ERROR_PAGE, timeout=ERROR_PAGE_MS)
            raise
        self.last_text = None
        if response is None:
            # Firefox over BiDi gives no response object for some loads that did happen (measured:
            # firefox 153, a Cookie header with 3-byte UTF-8): the page shows whether it committed.
            if self.page.url != url:
                raise LabError(f"no response navigating to {url} (the page is at {self.page.url[:200]})")
            self.last_text = self.evaluate("() => document.body ? document.body.innerText.slice(0, 300) : ''")
            return None
        status: int = response.status
        return status

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self._call("script", lambda: self.page.evaluate(function, arg))

    def click_and_wait(self, selector: str) -> None:
        def click() -> None:
            with self.page.expect_navigation():
                self.page.click(selector)

        self._call(f"clicking {selector}", click)

    def click(self, selector: str) -> None:
        self._call(f"clicking {selector}", lambda: self.page.click(selector))

    def close_popups(self) -> None:
        def close() -> None:
            for page in self.context.pages:
                if page != self.page:
                    page.close()
            self.page.bring_to_front()

        self._call("closing popups", close)

    def click_in_frame(self, frame: str, selector: str, navigates: bool = False) -> None:
        def click() -> None:
            content = self.page.locator(frame).element_handle().content_frame()
            content.wait_for_selector(selector)
            # A frame's navigation that commits after the page moved on crashed Playwright's Firefox
            # driver (BidiPage._onNavigationCommitted on a detached frame): a navigating click waits for it.
            waiting = content.expect_navigation() if navigates else contextlib.nullcontext()
            with waiting:
                if self.engine.name == "firefox" and self.engine.build == "distro":
                    # Over WebDriver BiDi, Playwright's mouse and keyboard input never reaches a cross-site
                    # iframe (measured: firefox 153, playwright 1.64.1, no event fired in the frame; cf.
                    # https://github.com/SeleniumHQ/selenium/issues/16409). The element's click() runs in the
                    # frame instead, from script.callFunction, which Playwright calls with a user activation;
                    # after the call returns, so that no navigation interrupts the call itself.
                    content.evaluate("(s) => { setTimeout(() => document.querySelector(s).click(), 0); }", selector)
                else:
                    content.click(selector)

        self._call(f"clicking {selector} in {frame}", click)

    def screenshot(self, path: str) -> None:
        self._call("screenshot", lambda: self.page.screenshot(path=path, full_page=True))

    def hear_refusals(self) -> RefusalLog | None:
        """From now on, each cookie the engine refuses to store, with its own reasons; None: it gives none here."""
        if self.console is not None:
            return firefox_console.listen(self.page, self.console)
        if self.engine.name != "chromium":
            return None
        return self._call("opening a DevTools session", lambda: listen_chromium(self.context, self.page))

    def cookies(self) -> list[dict[str, Any]]:
        cookies: list[dict[str, Any]] = self._call("reading the cookie jar", self.context.cookies)
        return cookies

    def clear_cookies(self) -> None:
        self._call("clearing the cookie jar", self.context.clear_cookies)

    def save_cookies(self, origins: list[str]) -> Any:
        """A test tool's saved session: Playwright's storage state (every origin's cookies at once)."""
        return self._call("saving the storage state", self.context.storage_state)

    def clear_by_api(self, origins: list[str]) -> None:
        """A test tool's "clear all cookies": BrowserContext.clear_cookies, as clear_cookies."""
        self.clear_cookies()

    def close(self) -> None:
        with contextlib.suppress(PlaywrightError):  # a crashed browser took the context with it
            self.context.close()


class ProfileSession(PlaywrightSession):
    """A browser of its own on a profile folder of its own, removed when it closes."""

    def __init__(self, context: Any, engine: Engine, folder: pathlib.Path) -> None:
        super().__init__(context, engine)
        self.folder = folder

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


def allow_third_party_cookies(folder: pathlib.Path) -> None:
    """Make folder a Chromium profile that allows third-party cookies: a setting only a profile holds
    (profile.cookie_controls_mode 0, "Allow third-party cookies"; measured: chromium 156, no switch does it)."""
    preferences = folder / "Default" / "Preferences"
    if not preferences.exists():  # a restarted profile keeps what Chromium wrote back
        preferences.parent.mkdir(parents=True, exist_ok=True)
        preferences.write_text(json.dumps({"profile": {"cookie_controls_mode": 0}}))


def crash_message(engine: Engine) -> str:
    return (
        f"{engine.name} {engine.version} crashed (the browser disconnected); Playwright keeps no stderr "
        "of its own: rerun with DEBUG=pw:browser to see it"
    )


class PlaywrightBackend:
    """A launched Playwright browser: pytest-playwright's `browser`, or a relaunch after a crash."""

    def __init__(
        self,
        browser: Any,
        engine: Engine,
        context_args: dict[str, Any],
        relaunch: Callable[[], Any] | None,
        persistent: Callable[[str], Any],
        console: pathlib.Path | None = None,
    ) -> None:
        self.browser = browser
        self.console = console  # Firefox's cookie messages, where it writes them (firefox_console.py)
        self.engine = engine
        self.context_args = context_args
        self.relaunch = relaunch  # () -> a new Browser with the same launch options
        self.persistent = persistent  # (folder) -> a persistent BrowserContext with the same options
        self.relaunched = False

    def _session(self, context: Any) -> PlaywrightSession:
        return PlaywrightSession(context, self.engine, self.console)

    def new_session(self) -> PlaywrightSession:
        return self._session(self.browser.new_context(**self.context_args))

    def restored_session(self, saved: Any) -> tuple[PlaywrightSession, dict[str, str]]:
        """A new context from a saved storage state, as a suite reuses a login (new_context(storage_state=...));
        no cookie is refused one by one here (Playwright restores all or raises)."""
        context = self.browser.new_context(**self.context_args, storage_state=saved)
        return self._session(context), {}

    def persistent_session(self, profile: pathlib.Path) -> PlaywrightSession:
        """A browser of its own whose jar lives in profile (launch_persistent_context): closing it and
        opening another on the same folder is a restart."""
        return self._session(self.persistent(str(profile)))

    def session_for(self, request: Any, scope: str) -> PlaywrightSession:
        if not self.browser.is_connected():
            # wptrunner's CRASH-and-restart: the crashed test failed; the rest get a new browser.
            assert self.relaunch is not None  # only a ProfileBackend has none, and it has no browser to lose
            self.browser = self.relaunch()
            self.relaunched = True
        try:
            if scope == "function" and not self.relaunched:
                # pytest-playwright's own per-test context: --tracing, --video and
                # --screenshot keep working, and it closes the context.
                session = self._session(request.getfixturevalue("new_context")())
                request.addfinalizer(lambda: self._gone_during(session))
                return session
            session = self.new_session()
        except PlaywrightError as error:
            # A browser gone between tests, before Playwright noticed: Playwright's own TargetClosedError here.
            if not self.browser.is_connected() or "has been closed" in error.message:
                raise EngineCrashed(crash_message(self.engine)) from None
            raise
        request.addfinalizer(session.close)
        if scope == "function":  # a relaunched browser that dies at a test's end is that test's crash too
            request.addfinalizer(lambda: self._gone_during(session))
        return session

    def _gone_during(self, session: PlaywrightSession) -> None:
        """At a test's end, before pytest-playwright closes its context: a browser that died during the test,
        after its last step, is that test's EngineCrashed, not a TargetClosedError from the context's close."""
        if session.crashed:
            return
        gone = not self.browser.is_connected()
        if not gone:
            try:  # the browser may be dead before Playwright has read the end of its pipe: ask it
                session.page.evaluate("() => 1")
            except PlaywrightError as error:
                gone = not self.browser.is_connected() or "has been closed" in error.message
        if gone:
            session.context.close = lambda *args, **kwargs: None
            raise EngineCrashed(crash_message(self.engine))

    def close(self) -> None:
        if self.relaunched:
            with contextlib.suppress(PlaywrightError):
                self.browser.close()


class ProfileBackend(PlaywrightBackend):
    """Every session a browser of its own on a fresh profile: for a setting only a profile holds
    (Chromium's third-party cookies allowed). About a second a session more than a context; sessions stay
    isolated as contexts are, but pytest-playwright's --tracing and --video do not cover them."""

    def __init__(self, engine: Engine, persistent: Callable[[str], Any]) -> None:
        super().__init__(None, engine, {}, relaunch=None, persistent=persistent)

    def new_session(self) -> PlaywrightSession:
        folder = pathlib.Path(tempfile.mkdtemp(prefix="cookie-lab-profile-"))
        try:
            return ProfileSession(self.persistent(str(folder)), self.engine, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def session_for(self, request: Any, scope: str) -> PlaywrightSession:
        session = self.new_session()
        request.addfinalizer(session.close)
        return session

    def restored_session(self, saved: Any) -> tuple[PlaywrightSession, dict[str, str]]:
        """A persistent context takes no storage_state: its cookies go in with add_cookies, which is how
        Playwright restores a storage state's cookies itself (BrowserContext.setStorageState calls addCookies)."""
        session = self.new_session()
        try:
            session._call(
                "restoring the storage state's cookies", lambda: session.context.add_cookies(saved["cookies"])
            )
        except BaseException:
            session.close()
            raise
        return session, {}

    def close(self) -> None:
        """Each session closed its own browser."""
