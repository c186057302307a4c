#!/usr/bin/python3
"""A minimal WebKitGTK browser for WebKitWebDriver, with a loopback control port for the whole cookie jar.

WebKitWebDriver starts it in place of MiniBrowser (`webkitgtk:browserOptions`).
It runs on the system python3 with Debian's PyGObject bindings (python3-gi,
gir1.2-webkit2-4.1), not in the project's virtualenv. Why not MiniBrowser:
WebDriver's Get All Cookies shows only the cookies the current document would
be sent; the engine's own WebKitCookieManager reads and clears every cookie,
on every host and path, without navigating.

Every setting that changes cookie behaviour is pinned from the command line,
never left to a default: --cookie-policy and --itp. The control file names the
libsoup version too: libsoup parses and stores the cookies, and its releases
change behaviour (3.3.0 made a cookie without SameSite Lax; 3.2 keeps it None).

The control is a Unix socket beside the control file, in the session's folder (0700): a loopback
port would be every local user's, and the browser may run on a loopback of its own
(private_net.py), out of the harness's reach. Each command must still carry the secret that only
the control file holds (mode 0600), or the jar, HttpOnly values included, would be anyone's who
reached the socket.
WebKit shows its own error page when a load fails and WebDriver reports nothing,
so the browser keeps every failed main-frame load for the harness to ask about.
"""

import argparse
import hmac
import json
import os
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Soup", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, Soup, WebKit2  # noqa: E402 - after require_version

POLICIES = {
    "always": WebKit2.CookieAcceptPolicy.ALWAYS,
    "never": WebKit2.CookieAcceptPolicy.NEVER,
    "no-third-party": WebKit2.CookieAcceptPolicy.NO_THIRD_PARTY,
}
SAME_SITE = {0: "None", 1: "Lax", 2: "Strict"}  # libsoup's SoupSameSitePolicy
CONTROL_TIMEOUT = 10
# GObject values are Any (PyGObject has no type information); what the control port answers is JSON.
Answer = dict[str, Any]
Finish = Callable[[Any], None]  # called once, in GTK's main loop, with a command's answer
Command = Callable[[Finish], None]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--automation", action="store_true", required=True)
    parser.add_argument("--proxy", required=True, help="http://127.0.0.1:PORT for every scheme (https as CONNECT)")
    parser.add_argument("--control-file", required=True, help="where to write the control socket's name")
    parser.add_argument("--cookie-policy", choices=POLICIES, required=True)
    parser.add_argument("--itp", choices=("on", "off"), required=True)
    parser.add_argument("--data-dir", help="a persistent profile (cookies in SQLite there); default: ephemeral")
    return parser.parse_args(argv)


def build_context(args: argparse.Namespace) -> tuple[Any, Any]:
    if args.data_dir:
        # A profile that outlives the browser, as a user's does: a second browser on the same
        # folder is a restart (the harness's persistent sessions).
        data = WebKit2.WebsiteDataManager(base_data_directory=args.data_dir, base_cache_directory=args.data_dir)
        data.get_cookie_manager().set_persistent_storage(
            os.path.join(args.data_dir, "cookies.sqlite"), WebKit2.CookiePersistentStorage.SQLITE
        )
    else:
        data = WebKit2.WebsiteDataManager.new_ephemeral()
    data.set_network_proxy_settings(WebKit2.NetworkProxyMode.CUSTOM, WebKit2.NetworkProxySettings.new(args.proxy, []))
    data.set_itp_enabled(args.itp == "on")
    data.get_cookie_manager().set_accept_policy(POLICIES[args.cookie_policy])
    context = WebKit2.WebContext.new_with_website_data_manager(data)
    context.set_automation_allowed(True)
    return context, data


def cookie_record(cookie: Any) -> Answer:
    expires = cookie.get_expires()
    return {
        "name": cookie.get_name(),
        "value": cookie.get_value(),
        "domain": cookie.get_domain(),
        "path": cookie.get_path(),
        "expires": None if expires is None else expires.to_unix(),
        "httpOnly": cookie.get_http_only(),
        "secure": cookie.get_secure(),
        "sameSite": SAME_SITE.get(int(cookie.get_same_site_policy()), "None"),
    }


class Control:
    """Answers `SECRET cookies|clear|failures` on a Unix socket, running each in GTK's main loop."""

    def __init__(self, data: Any, secret: str) -> None:
        self.data = data
        self.manager = data.get_cookie_manager()
        self.secret = secret
        self.failed_loads: list[Answer] = []  # main-frame loads that failed since the last `failures`

    def load_failed(self, _view: Any, _event: Any, uri: str, error: Any) -> bool:
        self.failed_loads.append({"uri": uri, "error": error.message, "domain": error.domain, "code": error.code})
        return False  # WebKit still shows its error page, as a browser would

    def failures(self, finish: Finish) -> None:
        failed, self.failed_loads = self.failed_loads, []
        finish(failed)

    def in_main_loop(self, start: Command) -> Any:
        done, box = threading.Event(), dict[str, Any]()

        def finish(result: Any) -> None:
            box["result"] = result
            done.set()

        def run() -> bool:
            start(finish)
            return False

        GLib.idle_add(run)
        if not done.wait(CONTROL_TIMEOUT):
            return {"error": "the engine did not answer in time"}
        return box["result"]

    def cookies(self, finish: Finish) -> None:
        def ready(manager: Any, result: Any) -> None:
            finish([cookie_record(c) for c in manager.get_all_cookies_finish(result)])

        self.manager.get_all_cookies(None, ready)

    def clear(self, finish: Finish) -> None:
        self.data.clear(WebKit2.WebsiteDataTypes.COOKIES, 0, None, lambda d, r: finish(d.clear_finish(r)))

    def serve(self, listener: socket.socket) -> None:
        commands: dict[str, Command] = {"cookies": self.cookies, "clear": self.clear, "failures": self.failures}
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=self.converse, args=(connection, commands), daemon=True).start()

    def converse(self, connection: socket.socket, commands: dict[str, Command]) -> None:
        with connection, connection.makefile("rw") as stream:
            for line in stream:
                secret, _, name = line.strip().partition(" ")
                if not hmac.compare_digest(secret.encode(), self.secret.encode()):
                    stream.write(json.dumps({"error": "refused: no or wrong secret"}) + "\n")
                    return  # and the connection closes
                command = commands.get(name)
                answer = self.in_main_loop(command) if command else {"error": f"unknown command {name[:40]!r}"}
                stream.write(json.dumps(answer) + "\n")
                stream.flush()


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    context, data = build_context(args)
    control = Control(data, secrets.token_hex(16))
    windows: list[Any] = []

    def show(view: Any) -> None:
        window = Gtk.Window()
        window.set_default_size(1024, 768)
        window.add(view)
        window.show_all()
        windows.append(window)
        window.connect("destroy", windows.remove)

    def popup(view: Any, _action: Any) -> Any:
        # window.open and target=_blank: a related view (same session, same jar), shown when ready.
        opened = WebKit2.WebView(related_view=view, is_controlled_by_automation=True)
        opened.connect("ready-to-show", show)
        opened.connect("create", popup)
        opened.connect("close", lambda closed: closed.get_toplevel().destroy())  # WebDriver's Close Window
        return opened

    def create_web_view(session: Any) -> Any:
        view = WebKit2.WebView(web_context=context, is_controlled_by_automation=True)
        view.connect("load-failed", control.load_failed)
        view.connect("create", popup)
        show(view)
        return view

    def automation_started(_context: Any, session: Any) -> None:
        info = WebKit2.ApplicationInfo.new()
        info.set_name("cookie-lab-webkitgtk")
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", create_web_view)

    context.connect("automation-started", automation_started)
    path = args.control_file + ".sock"
    listener = socket.socket(socket.AF_UNIX)
    old_mask = os.umask(0o177)  # the socket 0600 from its creation on
    try:
        listener.bind(path)
    finally:
        os.umask(old_mask)
    listener.listen(16)
    libsoup = f"{Soup.get_major_version()}.{Soup.get_minor_version()}.{Soup.get_micro_version()}"
    partial = args.control_file + ".partial"
    # 0600 from creation on: the secret is never readable by another user, not even briefly.
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        json.dump({"socket": path, "libsoup": libsoup, "secret": control.secret}, f)
    os.replace(partial, args.control_file)  # the harness never reads half a file
    threading.Thread(target=control.serve, args=(listener,), daemon=True).start()
    Gtk.main()


if __name__ == "__main__":
    main(sys.argv[1:])
