"""The scenario runner: steps and observations in terms of origins, cookie specs and server records.

Tests, the expectation check and the report speak only `Lab` and `Engine`.
A backend (backends/playwright.py, webdriver.py, marionette.py) supplies `Session`,
the few primitives one browser jar needs; everything else is here, once.
"""

import base64
import dataclasses
import json
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from e2e.harness.cookie_store import PageCookieStore
from e2e.harness.engine import Engine
from e2e.harness.reasons import RefusalLog

if TYPE_CHECKING:  # the network imports the site's servers; the runner needs only its type
    from e2e.harness.network.closed import TestNetwork

STORED_FIELDS = ("name", "value", "domain", "path", "expires", "httpOnly", "secure", "sameSite")
PROXY_REFUSAL = "cookie-lab proxy refused "


class LabError(AssertionError):
    """A lab step did not do what the scenario needs (not an engine difference)."""


class EngineCrashed(RuntimeError):
    """The browser or its driver died; the message names the engine and its stderr tail."""


class Session(Protocol):
    """One browser cookie jar with one page in it: what a backend implements."""

    engine: Engine
    last_text: str | None  # where navigate returns no status: the start of the loaded page's text

    def navigate(self, url: str) -> int | None:
        """Load url in the page; the HTTP status, or None where the backend cannot see it.

        Raises LabError when the load did not happen (a refused tunnel, a TLS failure).
        """

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Call a JavaScript function expression, e.g. "(s) => document.cookie", with arg, in the page."""

    def click_and_wait(self, selector: str) -> None:
        """Click the element and wait until the navigation it starts has loaded."""

    def click(self, selector: str) -> None:
        """Click an element of the page, a real click, waiting for no navigation (a link that opens a popup)."""

    def close_popups(self) -> None:
        """Close every window but the session's page, which gets the focus back."""

    def click_in_frame(self, frame: str, selector: str, navigates: bool = False) -> None:
        """Click an element inside the iframe matched by frame, once it is there: a real click, so a user
        activation in that frame (the Storage Access API asks for one). navigates: the click loads another
        document in the frame (a form's submit), waited for where the backend can see it."""

    def screenshot(self, path: str) -> None:
        """Save a PNG of the page."""

    def cookies(self) -> list[dict[str, Any]]:
        """The whole jar (every host, path and scheme), each cookie with STORED_FIELDS."""

    def clear_cookies(self) -> None:
        """Empty the whole jar."""

    def save_cookies(self, origins: list[str]) -> Any:
        """A test tool's saved session, through the client's own API (Playwright's storage state, WebDriver's
        Get All Cookies on a page of each origin): what restored_session takes."""

    def clear_by_api(self, origins: list[str]) -> None:
        """A test tool's "clear all cookies" through the client's own API (on a page of each origin where the
        API answers for the current document only)."""

    def close(self) -> None: ...


class Backend(Protocol):
    """One launched engine: makes sessions, and knows how a test gets a clean one."""

    engine: Engine

    def new_session(self) -> Session:
        """A session with a jar of its own, isolated from every other session."""

    def session_for(self, request: Any, scope: str) -> Session:
        """A clean session for a pytest test or module (request), closed by the backend when it ends."""

    def restored_session(self, saved: Any) -> tuple[Session, dict[str, str]]:
        """A new session given save_cookies' cookies through the client's own API, as a suite reuses a login;
        with cookie name -> the client's error for each cookie it refused to add. The caller closes it."""

    def persistent_session(self, profile: Any) -> Session:
        """A browser of its own whose jar lives in the folder profile; the caller closes it.

        Opening another on the same folder after closing is a browser restart.
        """

    def close(self) -> None: ...


def lab_url(origin: str, verb: str, path: str = "", exact: bool = False, **params: Any) -> str:
    """URL of a lab verb under `path` on `origin`, e.g. lab_url(ORIGIN, "echo", "/a") -> http://example.test/a/echo.

    exact=True: the verb at `path` itself, named in the query (http://example.test/a/b/?lab=echo),
    for what is sent to a path that does not end in a verb's name.
    """
    if exact:
        params = {"lab": verb, **params}
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    base = f"{origin}{path or '/'}" if exact else f"{origin}{path.rstrip('/')}/{verb}"
    return base + (f"?{query}" if query else "")


def octets(raw: bytes) -> str:
    """The raw verb's b= parameter: Set-Cookie bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _specs_param(specs: tuple[dict[str, Any], ...]) -> str:
    return json.dumps(list(specs), separators=(",", ":"))


def normalise_cookie(cookie: dict[str, Any]) -> dict[str, Any]:
    """One stored cookie with exactly STORED_FIELDS; expires in whole seconds, None for a session cookie."""
    normal = {field: cookie.get(field) for field in STORED_FIELDS}
    expires = normal["expires"]
    normal["expires"] = None if expires is None or expires < 0 else int(expires)
    return normal


@dataclasses.dataclass(frozen=True)
class Script:
    """A page script a flow runs (js, a function for Session.evaluate) and its model for the spec's user agent,
    which runs no JavaScript: model(spec_lab, arg) makes the requests the script makes, with SpecLab's steps."""

    js: str
    model: Callable[[Any, Any], Any]


class Reaching:
    """sent_via on any user agent that can reach a URL from a page (Lab, and the spec's SpecLab): one helper, so a
    row's spec value and its observation come from the same request."""

    def reach(
        self, kind: str, from_origin: str, url: str, token: str, click: str | None = None, navigates: bool = False
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def sent_via(
        self, kind: str, from_origin: str, target_origin: str, path: str = "", redirect_via: str | None = None
    ) -> dict[str, Any] | None:
        """What the user agent sent to target_origin+path when a page on from_origin reached it.

        kind: one of the site's embed kinds (cookielab.lab.EMBED_KINDS): link (click), form (POST submit), iframe,
        img, fetch (credentials included), script, sandboxed-iframe, popup (a click on a target=_blank link),
        websocket. redirect_via: an origin whose echo redirects to the target first, for redirect chains. Returns
        the server's record with "withheld" (withheld()), or None when no request arrived before the deadline.
        """
        token = secrets.token_hex(8)
        target = lab_url(target_origin, "echo", path, t=token)
        if redirect_via is not None:
            target = lab_url(redirect_via, "echo", go=target)
        records = self.reach(kind, from_origin, target, token)
        return {**records[0], "withheld": self.withheld(token)} if records else None

    def withheld(self, token: str) -> dict[str, tuple[str, ...]] | None:
        raise NotImplementedError


class Lab(Reaching):
    """Steps and observations on one session."""

    def __init__(self, session: Session, network: "TestNetwork") -> None:
        self.session = session
        self.engine = session.engine
        self.network = network
        self.history: list[dict[str, Any]] = []  # every server record observed, kept for failure reports
        self.cookie_store = PageCookieStore(self)
        self._refusals: RefusalLog | None = None  # hear_refusals starts it

    # -- steps -------------------------------------------------------------
    def go(self, url: str) -> int | None:
        """Navigate; the HTTP status where the backend reports one. A load that never happened raises LabError."""
        return self.session.navigate(url)

    def _step(self, url: str) -> None:
        status = self.go(url)
        if status is not None and status != 200:
            raise LabError(f"{url} answered {status}, expected 200")
        if status is None:
            # WebDriver reports no status: read the answer instead (a refusal or a 400's JSON error).
            body = self.session.last_text or ""
            if body.startswith(PROXY_REFUSAL) or body.startswith('{"error"'):
                raise LabError(f"{url} answered: {body[:200]}")

    def set(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        """set_cookie for each spec, by navigating to the set verb on origin."""
        self._step(lab_url(origin, "set", path, c=_specs_param(specs)))

    def drop(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        """delete_cookie for each spec."""
        self._step(lab_url(origin, "drop", path, c=_specs_param(specs)))

    def raw(self, origin: str, *headers: str, path: str = "") -> None:
        """Send each header verbatim as Set-Cookie."""
        self._step(lab_url(origin, "raw", path, h=list(headers)))

    def script_write(self, origin: str, cookie_string: str, path: str = "") -> str:
        """Assign document.cookie on the script page; returns document.cookie afterwards."""
        self._step(lab_url(origin, "script", path))
        cookies: str = self.evaluate("(s) => { document.cookie = s; return document.cookie; }", cookie_string)
        return cookies

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self.session.evaluate(function, arg)

    def wait(self, seconds: float) -> None:
        """Let real time pass, for a lifetime or an expiry to move (not a synchronisation: nothing is awaited)."""
        time.sleep(seconds)

    def hear_refusals(self) -> None:
        """From now on, keep what the engine says of each cookie it refuses to store (reasons.py)."""
        start = getattr(self.session, "hear_refusals", None)  # a backend without a reason channel has none
        self._refusals = start() if start is not None else None

    def refusals(self) -> dict[str, tuple[str, ...]] | None:
        """Since hear_refusals: cookie name -> the engine's own words for refusing it; None: the engine gives the
        harness no reason."""
        return None if self._refusals is None else self._refusals.heard()

    def withheld(self, token: str) -> dict[str, tuple[str, ...]] | None:
        """Since hear_refusals: cookie name -> the engine's words for not sending it on the requests made under
        token; None: the engine gives the harness no reason."""
        return None if self._refusals is None else self._refusals.withheld(token)

    # -- observations ------------------------------------------------------
    def stored(self, name: str | None = None) -> list[dict[str, Any]]:
        """What the browser stored: the whole jar, in a stable order.

        sameSite is the engine's report, not its behaviour: Chromium and Firefox over BiDi report
        Lax for a cookie set without SameSite, others None; tests of SameSite observe what is sent.
        """
        cookies = [normalise_cookie(c) for c in self.session.cookies()]
        if name is not None:
            cookies = [c for c in cookies if c["name"] == name]
        return sorted(cookies, key=lambda c: (c["name"], c["domain"], c["path"]))

    def partition_keys(self, name: str) -> list[str | None]:
        """The partition key the client reports for each stored cookie called name (None: none reported; of the
        clients here only Playwright's Chromium reports one, as partitionKey)."""
        return [c.get("partitionKey") for c in self.session.cookies() if c["name"] == name]

    def stored_values(self) -> dict[str, str]:
        """name -> value of every stored cookie (names assumed distinct)."""
        return {c["name"]: c["value"] for c in self.stored()}

    def assert_empty_jar(self, when: str) -> None:
        """Fail unless the jar holds no cookie: leftover state must not pass for behaviour."""
        leftover = self.stored()
        assert leftover == [], f"cookie jar not empty at {when}: {leftover}"

    def sent(self, origin: str, path: str = "", exact: bool = False) -> dict[str, Any]:
        """What the browser sent on a top-level navigation to origin+path/echo (exact: to origin+path itself):
        the server's record, with "withheld" (withheld())."""
        token = secrets.token_hex(8)
        self._step(lab_url(origin, "echo", path, exact=exact, t=token))
        records = self.network.log(token)
        self.history.extend(records)
        if len(records) != 1:
            raise LabError(f"expected one echo for {origin}{path}, the server saw {len(records)}")
        return {**records[0], "withheld": self.withheld(token)}

    def reach(
        self, kind: str, from_origin: str, url: str, token: str, click: str | None = None, navigates: bool = False
    ) -> list[dict[str, Any]]:
        """Load a page on from_origin that reaches url as kind (see sent_via); the echoes the server then
        kept under token, waited for until the first arrives or the deadline passes.

        click: an element of the iframe's page to click first (a user activation there); navigates: that
        click loads another document in the frame.
        """
        self._step(lab_url(from_origin, "embed", kind=kind, url=url))
        if kind in ("link", "form"):
            self.session.click_and_wait("#go" if kind == "link" else "#go button")
        if kind == "popup":
            self.session.click("#go")
        if click is not None:
            self.session.click_in_frame("#go", click, navigates)
        records = self.network.wait_log(token)
        self.history.extend(records)
        if kind == "popup":
            # A popup in front leaves the session's page in the background, where Firefox holds some
            # promises (measured: requestStorageAccess() at load never settled there).
            self.session.close_popups()
        return records

    def post(self, form: str, action: str | None = None, **fields: str) -> None:
        """Fill the current page's form (CSS selector) by field name, point it at action when given, and
        submit it with a click.

        A real click: the browser sends its cookies, Origin and Referer as for a person's submit.
        """
        self.evaluate(
            "([form, action, fields]) => { const f = document.querySelector(form);"
            " for (const [name, value] of Object.entries(fields)) f.elements[name].value = value;"
            " if (action !== null) f.action = action; }",
            [form, action, fields],
        )
        self.session.click_and_wait(f"{form} button")

    def submit(self, form: str, action: str | None = None, **fields: str) -> Any:
        """post(), then the answer as JSON (the app's state, or Django's 403 and its reason)."""
        self.post(form, action, **fields)
        return self.page_json()

    def location(self) -> str:
        """The current document's URL."""
        url: str = self.evaluate("() => location.href")
        return url

    def run(self, script: Script, arg: Any = None) -> Any:
        """A page script in the current page (the spec's user agent runs its model instead)."""
        return self.evaluate(script.js, arg)

    def script_read(self, origin: str, path: str = "") -> str:
        """document.cookie as page script on origin+path sees it."""
        self._step(lab_url(origin, "script", path))
        return self.document_cookie()

    def document_cookie(self) -> str:
        """document.cookie on the current page."""
        cookies: str = self.evaluate("() => document.cookie")
        return cookies

    def page_global(self, name: str) -> Any:
        """A global variable of the current page (None when unset): did a page script run?"""
        return self.evaluate("(name) => window[name] === undefined ? null : window[name]", name)

    def page_json(self) -> Any:
        """The current page's body parsed as JSON (a lab verb's answer)."""
        return json.loads(self.evaluate("() => document.body.innerText"))

    def text(self, selector: str) -> str | None:
        """Text of the first element matching selector on the current page, or None when there is none."""
        text: str | None = self.evaluate(
            "(s) => { const e = document.querySelector(s); return e === null ? null : e.textContent; }", selector
        )
        return text
