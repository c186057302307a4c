"""Which executable runs each engine, and how it is launched.

Playwright's own build when it is installed; otherwise the distribution's
browser where one can be driven (Debian chromium, and firefox-esr over WebDriver
BiDi). WebKit has no distribution build Playwright can drive, so without
Playwright's build it is skipped; Chromium and Firefox must always run.
"""
import dataclasses
import os
import shutil

WEBKIT_INSTALL = "playwright install --with-deps webkit"
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
]


class EngineUnavailable(RuntimeError):
    """Neither Playwright's build nor a usable distribution build exists."""


@dataclasses.dataclass(frozen=True)
class Engine:
    name: str
    executable: str
    build: str  # "playwright" or "distro"
    launch_args: dict

    def describe(self, version):
        return f"{self.name} {version} ({self.build} build, {self.executable})"


def _proxy_prefs(proxy_port):
    # Over BiDi, Playwright's proxy= launch option reached http but not https in
    # stock Firefox (measured: firefox-esr 153, playwright 1.64.1); the prefs do both.
    return {
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.no_proxies_on": "",
    }


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
}


def _launch_args(name, proxy_port, build):
    """Launch options for one build of an engine."""
    args = {}
    if name == "chromium":
        args["args"] = CHROMIUM_ARGS
    if name == "firefox":
        args["firefox_user_prefs"] = {**FIREFOX_PREFS, **_proxy_prefs(proxy_port)}
    if build == "distro" and name == "firefox":
        # Stock Firefox is driven over WebDriver BiDi through this channel; its
        # proxy comes from the prefs above alone.
        args["channel"] = "moz-firefox"
    else:
        args["proxy"] = {"server": f"http://127.0.0.1:{proxy_port}"}
    return args


def find_engine(playwright, name, proxy_port):
    """The Engine to launch for `name`, or raise EngineUnavailable (WebKit: skip instead)."""
    own = getattr(playwright, name).executable_path
    if os.path.exists(own):
        return Engine(name, own, "playwright", _launch_args(name, proxy_port, "playwright"))
    for candidate in DISTRO_EXECUTABLES.get(name, ()):
        path = shutil.which(candidate)
        if path:
            return Engine(name, path, "distro", {**_launch_args(name, proxy_port, "distro"), "executable_path": path})
    if name == "webkit":
        return None
    raise EngineUnavailable(
        f"{name}: Playwright's build is not installed ({own}) and no distribution build was found "
        f"(looked for {', '.join(DISTRO_EXECUTABLES[name])} on PATH). "
        f"Run `playwright install --with-deps {name}`, or on Debian `apt-get install "
        f"{DISTRO_EXECUTABLES[name][0]}`."
    )
