"""The one place that drives a browser: every scenario's steps and observations.

Tests and scenario tables speak in origins, cookie specs and observations; only
this module knows they are carried out by Playwright, so another automation
backend can later run the same tables by reimplementing `Lab`.
"""
import json
import secrets
from urllib.parse import urlencode

from playwright.sync_api import Error as PlaywrightError

STORED_FIELDS = ("name", "value", "domain", "path", "expires", "httpOnly", "secure", "sameSite")


def lab_url(origin, verb, path="", **params):
    """URL of a lab verb under `path` on `origin`, e.g. lab_url(ORIGIN, "echo", "/a") -> http://example.test/a/echo."""
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return f"{origin}{path.rstrip('/')}/{verb}" + (f"?{query}" if query else "")


def _specs_param(specs):
    return json.dumps(list(specs), separators=(",", ":"))


def assert_empty_jar(context, when):
    """Fail unless the context holds no cookie: leftover state must not pass for behaviour."""
    leftover = context.cookies()
    assert leftover == [], f"cookie jar not empty at {when}: {leftover}"


class LabError(AssertionError):
    """A lab step did not do what the scenario needs (not an engine difference)."""


class Lab:
    """Steps and observations for one browser context."""

    def __init__(self, context, network):
        self.context = context
        self.network = network
        self.page = context.pages[0] if context.pages else context.new_page()
        self.history = []  # every server record observed, kept for failure reports

    # -- steps -------------------------------------------------------------
    def go(self, url):
        """Navigate the page; returns the HTTP status of the final response.

        A navigation the browser itself gives up on (a refused tunnel, say)
        raises LabError naming the URL.
        """
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            raise LabError(f"navigating to {url} failed: {error.message.splitlines()[0]}") from None
        if response is None:
            raise LabError(f"no response navigating to {url}")
        return response.status

    def _step(self, url):
        status = self.go(url)
        if status != 200:
            raise LabError(f"{url} answered {status}, expected 200")

    def set(self, origin, *specs, path=""):
        """set_cookie for each spec, by navigating to the set verb on origin."""
        self._step(lab_url(origin, "set", path, c=_specs_param(specs)))

    def drop(self, origin, *specs, path=""):
        """delete_cookie for each spec."""
        self._step(lab_url(origin, "drop", path, c=_specs_param(specs)))

    def raw(self, origin, *headers, path=""):
        """Send each header verbatim as Set-Cookie."""
        self._step(lab_url(origin, "raw", path, h=list(headers)))

    def script_write(self, origin, cookie_string, path=""):
        """Assign document.cookie on the script page; returns document.cookie afterwards."""
        self._step(lab_url(origin, "script", path))
        return self.page.evaluate("(s) => { document.cookie = s; return document.cookie; }", cookie_string)

    # -- observations ------------------------------------------------------
    def stored(self, name=None):
        """What the browser stored (context.cookies()), in a stable order.

        sameSite is the engine's report, not its behaviour: see DESIGN.md.
        """
        cookies = [{field: c.get(field) for field in STORED_FIELDS} for c in self.context.cookies()]
        for cookie in cookies:
            # Session cookies are reported as -1; keep whole seconds otherwise.
            cookie["expires"] = None if cookie["expires"] in (None, -1) else int(cookie["expires"])
        if name is not None:
            cookies = [c for c in cookies if c["name"] == name]
        return sorted(cookies, key=lambda c: (c["name"], c["domain"], c["path"]))

    def stored_values(self):
        """name -> value of every stored cookie (names assumed distinct)."""
        return {c["name"]: c["value"] for c in self.stored()}

    def sent(self, origin, path=""):
        """What the browser sent on a top-level navigation to origin+path: the server's record."""
        token = secrets.token_hex(8)
        self._step(lab_url(origin, "echo", path, t=token))
        records = self.network.log(token)
        self.history.extend(records)
        if len(records) != 1:
            raise LabError(f"expected one echo for {origin}{path}, the server saw {len(records)}")
        return records[0]

    def sent_via(self, kind, from_origin, target_origin, path="", redirect_via=None):
        """What the browser sent to target_origin+path when a page on from_origin reached it.

        kind: link (click), form (POST submit), iframe, img, fetch (credentials
        included). redirect_via: an origin whose echo redirects to the target
        first, for redirect chains. Returns the server's record, or None when no
        request arrived before the deadline.
        """
        token = secrets.token_hex(8)
        target = lab_url(target_origin, "echo", path, t=token)
        if redirect_via is not None:
            target = lab_url(redirect_via, "echo", go=target)
        self._step(lab_url(from_origin, "embed", kind=kind, url=target))
        if kind in ("link", "form"):
            with self.page.expect_navigation():
                self.page.click("#go" if kind == "link" else "#go button")
        records = self.network.wait_log(token)
        self.history.extend(records)
        return records[0] if records else None

    def script_read(self, origin, path=""):
        """document.cookie as page script on origin+path sees it."""
        self._step(lab_url(origin, "script", path))
        return self.page.evaluate("() => document.cookie")

    def page_global(self, name):
        """A global variable of the current page (None when unset): did a page script run?"""
        return self.page.evaluate("(name) => window[name] === undefined ? null : window[name]", name)

    def page_json(self):
        """The current page's body parsed as JSON (a lab verb's answer)."""
        return json.loads(self.page.evaluate("() => document.body.innerText"))

    def text(self, selector):
        """Text of an element on the current page, or None when it is absent."""
        locator = self.page.locator(selector)
        return locator.text_content() if locator.count() else None

