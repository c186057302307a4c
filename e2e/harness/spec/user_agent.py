"""The spec's user agent, driven by Lab's own steps: what a conforming browser stores, sends and shows to script.

A module runs its steps once on the browser (module_lab, lab) and once on a SpecLab, and reads each row's
spec value from the SpecLab's run as its test reads the browser's: one script, two user agents. Storage is
rfc6265bis.py's (sections 5.6 and 5.7, with the request's security and API), sending is sending.py's
(section 5.8.3 with section 5.2's same-site context). Every request goes to the site itself, in this process
(Django's test client, CSRF enforced as for a browser, under the settings in force), carrying the Cookie
header the spec's jar sends; each Set-Cookie line of the answer is received in that request's context.

Modelled: top-level navigations (typed, or a form's submission with its Origin and Referer) and their
redirects, a form's entry list (documents.py), every way the site's embed page reaches a URL (a link, a form,
a popup, an iframe, a sandboxed one, an image, a script, a fetch, a WebSocket handshake), frames within frames,
the script page's write and report inside a frame, a form submitted inside a frame (reach), a browser restart
(session cookies end), document.cookie and the Cookie Store API. Page script
beyond those is a Script's model, written beside its JavaScript (runner.Script). The clock is real time
(Django's answers carry real dates), which wait() moves on.
"""

import contextlib
import dataclasses
import datetime
import json
import urllib.parse
from collections.abc import Callable
from typing import Any, TypeVar

from cookielab.server import serving
from e2e.harness.network.hosts import TEST_HOSTS
from e2e.harness.reasons import cookie_name
from e2e.harness.runner import LabError, Reaching, Script, lab_url
from e2e.harness.spec import documents
from e2e.harness.spec.cookie_store import CookieStore
from e2e.harness.spec.rfc6265bis import Cookie, ordered, serialize
from e2e.harness.spec.sending import (
    ELSEWHERE,
    Request,
    excluded,
    origin_of,
    receive,
    sends,
    set_cookie_lines,
    site_lines,
)

T = TypeVar("T")
MAX_REDIRECTS = 20  # Fetch Standard, HTTP-redirect fetch step 6: a 21st redirect is a network error
REDIRECTS = (301, 302, 303, 307, 308)


Frames = tuple[tuple[str, str], ...]  # the frames between a top-level document and a client: (URL, origin)


class SpecLab(Reaching):
    """Lab's steps and observations on the spec's jar."""

    def __init__(self) -> None:
        self.jar: list[Cookie] = []
        self.ahead = datetime.timedelta()  # how far wait() moved the clock past real time
        self.url, self.page = "about:blank", ""  # the current document and its text
        self.cookie_store = CookieStore(self)
        self.session = SpecSession(self)
        self.network = SpecNetwork()
        self.ignored: dict[str, tuple[str, ...]] | None = None  # hear_refusals starts it
        self.kept_back: dict[str, dict[str, tuple[str, ...]]] = {}  # ?t= token -> cookie name -> (rule,)

    @property
    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.UTC) + self.ahead

    def go(self, url: str) -> int:
        """A top-level navigation without an initiator (typed): the answer, after its redirects, becomes the
        current document. Its HTTP status."""
        return self._navigate("GET", url)

    def page_json(self) -> Any:
        """The current page's body parsed as JSON (a lab verb's answer)."""
        return json.loads(self.page)

    def location(self) -> str:
        """The current document's URL (after redirects)."""
        return self.url

    def run(self, script: Script, arg: Any = None) -> Any:
        """A page script, by its model."""
        return script.model(self, arg)

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """No JavaScript runs here: a flow that needs page script says what it does with a Script."""
        raise NotImplementedError(
            "the spec's user agent runs no JavaScript: give the script a model, lab.run(Script(js, model)) "
            f"(e2e/harness/runner.py), instead of lab.evaluate({function[:60]!r})"
        )

    # -- steps ---------------------------------------------------------------
    def set(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self.accept(lab_url(origin, "set", path), site_lines("set", list(specs)))

    def drop(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self.accept(lab_url(origin, "drop", path), site_lines("drop", list(specs)))

    def raw(self, origin: str, *headers: str, path: str = "") -> None:
        self.accept(lab_url(origin, "raw", path), list(headers))

    def script_write(self, origin: str, cookie_string: str, path: str = "") -> str:
        self.go(lab_url(origin, "script", path))
        self.accept(self.url, [cookie_string], http=False)
        return self.document_cookie()

    def post(self, form: str, action: str | None = None, **fields: str) -> None:
        """Submit the current document's form (its entry list with fields set; to action when given) as a
        person's click does: a top-level navigation initiated by the document, with its Origin and Referer."""
        found = self.form(form)
        target = urllib.parse.urljoin(self.url, action) if action is not None else found.action
        self._navigate(found.method, target, found.filled(fields), by=self.url)

    def submit(self, form: str, action: str | None = None, **fields: str) -> Any:
        self.post(form, action, **fields)
        return self.page_json()

    def form(self, selector: str) -> documents.Form:
        """A form of the current document, as it would be submitted."""
        return documents.form(self.page, self.url, selector)

    def reach(
        self, kind: str, from_origin: str, url: str, token: str, click: str | None = None, navigates: bool = False
    ) -> list[dict[str, Any]]:
        """As Lab.reach: a page on from_origin (the site's embed page) reaches url as kind, and a frame's document
        does its own part: an embed page in it reaches its url in turn (its element followed as a click follows
        it), the script page writes ?w= and reports under ?t= what its document.cookie shows; click submits a
        form in the frame. What the site then kept under token. (navigates is the browser's wait; here every step
        is synchronous.)"""
        port = urllib.parse.urlsplit(url).port
        # The spec's user agent reaches the site in this process on any port it names: that port is the site's.
        with serving(port) if port else contextlib.nullcontext():
            status = self.go(lab_url(from_origin, "embed", kind=kind, url=url))
        if status != 200:
            raise LabError(f"the embedding page answered {status}: {self.page[:200]}")
        self._embedded(kind, url, (), click)
        return self._kept(token)

    def _embedded(self, kind: str, url: str, frames: Frames, click: str | None) -> None:
        """An embed page's element for url as kind, in the top-level document or, with frames (each frame's
        document URL and origin, from the top down; "null" for a sandboxed one), in the innermost frame.
        A request's ancestors are the frames of its client (sections 5.2.1, and CHIPS's ancestor bit)."""
        document = frames[-1][0] if frames else self.url
        top, ancestors = origin_of(self.url), _origins(frames)
        if kind in ("link", "form") and frames:
            raise NotImplementedError(f"the spec's user agent navigates no frame by a {kind}: only the top level")
        if kind == "link":
            self._navigate("GET", url, by=self.url)
        elif kind == "form":
            self.post("#go")
        elif kind == "popup":  # a new top-level browsing context, opened by the document: it stays current
            self._exchange(Request(url, site=origin_of(document), top_level=True), document=document)
        elif kind in ("iframe", "sandboxed-iframe"):
            frame_url, answer = self._exchange(Request(url, site=top, ancestors=ancestors), document=document)
            inner = (*frames, (frame_url, "null" if kind == "sandboxed-iframe" else origin_of(frame_url)))
            self._frame_document(frame_url, answer, inner, click)
        else:  # img, fetch, script, websocket: a subresource of the document (a WebSocket's wss: is fetched as https:)
            self._exchange(Request(url, site=top, ancestors=ancestors), document=document)

    def _frame_document(self, frame_url: str, answer: Any, frames: Frames, click: str | None) -> None:
        """What the document loaded in the innermost frame does: the site's embed page, its script page, a form."""
        parts = urllib.parse.urlsplit(frame_url)
        verb, query = parts.path.rsplit("/", 1)[-1], urllib.parse.parse_qs(parts.query)
        if verb == "embed":
            self._embedded(query["kind"][0], query["url"][0], frames, None)
            return
        if verb == "script":
            self._frame_script(frame_url, query, frames)
        if click is not None:
            found = documents.form(answer.content.decode(), frame_url, click)
            submitted = Request(
                found.action, site=origin_of(self.url), method=found.method, ancestors=_origins(frames[:-1])
            )
            self._exchange(submitted, found.filled(_login_fill(frame_url)), document=frame_url)

    def _frame_script(self, frame_url: str, query: dict[str, list[str]], frames: Frames) -> None:
        """The script page's own script (templates/cookielab/script.html) in a frame: ?w= written to
        document.cookie, then with ?t= a fetch that tells the echo what document.cookie shows ("seen")."""
        if {"request", "ask"} & query.keys():
            raise NotImplementedError("the spec's user agent has no model of the Storage Access API")
        top = origin_of(self.url)
        script = Request(frame_url, site=top, ancestors=_origins(frames[:-1]), http=False)  # its document.cookie
        if "w" in query:
            self._note(receive(self.jar, [query["w"][0]], script, self.now))
        if "t" in query:
            seen = serialize(ordered(c for c in self.live() if sends(c, script)))
            report = {"t": query["t"][0], "seen": seen, "storage": "", "request": ""}
            echo = urllib.parse.urljoin(frame_url, "echo?" + urllib.parse.urlencode(report))
            self._exchange(Request(echo, site=top, ancestors=_origins(frames)), document=frame_url)

    def fetch(self, request: Request, fields: dict[str, str] | None = None) -> Any:
        """A request the current document's script or frame makes (the document stays): Django's answer after
        redirects."""
        return self._exchange(request, fields, document=self.url)[1]

    def restarted(self) -> "SpecLab":
        """This user agent closed and opened again on its profile: the session's cookies are gone (section 5.7
        step 7: a cookie without Max-Age or Expires lives until the session ends)."""
        self.jar = [c for c in self.jar if c.expiry is not None]
        self.url, self.page = "about:blank", ""
        return self

    def restored(self) -> "SpecLab":
        """Another user agent given this one's cookies by a test tool's saved session (Playwright's storage
        state; WebDriver's Get All Cookies, then Add Cookie): what those APIs are for, the same cookies, each
        attribute kept."""
        fresh = SpecLab()
        fresh.jar, fresh.ahead = list(self.jar), self.ahead
        return fresh

    def clear_by_api(self) -> None:
        """A test tool's "clear all cookies": every cookie, in every partition."""
        self.jar = []

    def wait(self, seconds: float) -> None:
        """Let time pass on the spec's clock at once (the browser's passes by itself)."""
        self.ahead += datetime.timedelta(seconds=seconds)

    def hear_refusals(self) -> None:
        """From now on, keep the rule that ignored each cookie (the model always knows: rfc6265bis.IGNORED)."""
        self.ignored = {}

    def refusals(self) -> dict[str, tuple[str, ...]] | None:
        """As Lab.refusals: cookie name -> (the rule that ignored it,)."""
        return dict(self.ignored or {})

    def withheld(self, token: str) -> dict[str, tuple[str, ...]] | None:
        """As Lab.withheld: cookie name -> (the rule of section 5.8.3 that kept it from the requests under token,)
        for each cookie of the request's jar (_withheld)."""
        return dict(self.kept_back.get(token, {}))

    # -- observations ----------------------------------------------------------
    def stored(self, name: str | None = None) -> list[dict[str, Any]]:
        """As Lab.stored reports the jar: a Domain cookie's domain with its leading dot, as every engine here
        reports it; expires in seconds since the epoch (None: a session cookie)."""
        cookies = [
            {
                "name": c.name,
                "value": c.value,
                "domain": c.domain if c.host_only else f".{c.domain}",
                "path": c.path,
                "secure": c.secure,
                "httpOnly": c.http_only,
                "expires": None if c.expiry is None else int(c.expiry.timestamp()),
                "sameSite": c.same_site,  # the attribute as received ("Default": none, or an unknown value)
            }
            for c in self.live()
            if name is None or c.name == name
        ]
        return sorted(cookies, key=lambda c: (c["name"], c["domain"], c["path"]))

    def stored_values(self) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self.stored()}

    def sent(self, origin: str, path: str = "", exact: bool = False) -> dict[str, Any]:
        """The echo record a top-level navigation to origin+path/echo would give: the Cookie header and
        Django's parse of it; "withheld" as Lab.sent's (once hear_refusals started)."""
        from django.http.cookie import parse_cookie

        url = lab_url(origin, "echo", path, exact=exact)
        header = self._serialized(url, http=True) or None
        withheld = None if self.ignored is None else self._withheld(Request(url, site=None, top_level=True))
        return {"cookie_header": header, "cookies": parse_cookie(header or ""), "withheld": withheld}

    def script_read(self, origin: str, path: str = "") -> str:
        self.go(lab_url(origin, "script", path))
        return self.document_cookie()

    def partition_keys(self, name: str) -> list[str | None]:
        """As Lab.partition_keys: each live cookie called name's CHIPS partition key (its top-level site)."""
        return [c.partition[0] if c.partition else None for c in self.live() if c.name == name]

    def document_cookie(self) -> str:
        return self._serialized(self.url, http=False)

    # -- the spec ----------------------------------------------------------------
    def _navigate(self, method: str, url: str, fields: dict[str, str] | None = None, by: str | None = None) -> int:
        """A top-level navigation (by: the URL of the document that started it; None: typed): the final answer
        becomes the current document. Its HTTP status."""
        request = Request(url, site=None if by is None else origin_of(by), top_level=True, method=method)
        self.url, answer = self._exchange(request, fields, document=by)
        self.page = answer.content.decode()
        return int(answer.status_code)

    def _exchange(
        self, request: Request, fields: dict[str, str] | None = None, document: str | None = None
    ) -> tuple[str, Any]:
        """One fetch and its redirects (document: the URL of the document that made it, whose origin a POST
        carries as Origin and whose URL the Referer carries by the default policy; None: a typed navigation):
        each hop asked of the site with the Cookie header the jar sends for it, its Set-Cookie lines received
        in the hop's context; a 301, 302 or 303 turns a POST into a GET (Fetch Standard, HTTP-redirect fetch
        step 12). The final URL and Django's answer."""
        from django.test import Client

        url, method, chain = request.url, request.method, list[str]()
        for _ in range(MAX_REDIRECTS + 1):
            hop = dataclasses.replace(request, url=url, method=method, redirects=tuple(chain))
            parts = urllib.parse.urlsplit(url)
            headers = {"HTTP_HOST": parts.netloc, "HTTP_COOKIE": serialize(self._carried(hop))}
            self._note_withheld(hop)
            if document is not None:
                headers |= {"HTTP_ORIGIN": origin_of(document)} if method == "POST" else {}
                headers |= {"HTTP_REFERER": sent} if (sent := _referrer(document, url)) else {}
            client, target = Client(enforce_csrf_checks=True), parts.path + (f"?{parts.query}" if parts.query else "")
            if method == "POST":
                answer = client.post(target, fields or {}, secure=parts.scheme == "https", **headers)
            else:
                answer = client.get(target, secure=parts.scheme == "https", **headers)
            self._note(receive(self.jar, set_cookie_lines(answer), hop, self.now))
            if answer.status_code not in REDIRECTS or "Location" not in answer:
                return url, answer
            chain.append(url)
            url = urllib.parse.urljoin(url, answer["Location"])
            if answer.status_code in (301, 302, 303) and method == "POST":
                method, fields = "GET", None
        raise RuntimeError(f"more than {MAX_REDIRECTS} redirects from {request.url}")

    def _kept(self, token: str) -> list[dict[str, Any]]:
        """What the site kept under token (its log verb, as TestNetwork.log reads it)."""
        from django.test import Client

        records: list[dict[str, Any]] = Client().get("/log", {"t": token}, HTTP_HOST=TEST_HOSTS[0]).json()
        return records

    def accept(self, url: str, lines: list[str], http: bool = True) -> None:
        """Set-Cookie lines of a top-level response from url (http) or document.cookie writes in its document."""
        self._note(receive(self.jar, lines, Request(url, site=None, top_level=True, http=http), self.now))

    def _note(self, ignored: list[tuple[str, str]]) -> None:
        if self.ignored is not None:
            self.ignored |= {cookie_name(line): (rule,) for line, rule in ignored}

    def _note_withheld(self, request: Request) -> None:
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query).get("t")
        if self.ignored is not None and token:
            self.kept_back.setdefault(token[0], {}).update(self._withheld(request))

    def _withheld(self, request: Request) -> dict[str, tuple[str, ...]]:
        """cookie name -> (the rule that keeps it from request,), for the cookies of the request's jar (one of
        another host or partition is no refusal: sending.ELSEWHERE)."""
        found = ((cookie.name, excluded(cookie, request)) for cookie in self.live())
        return {name: (rule,) for name, rule in found if rule is not None and rule not in ELSEWHERE}

    def live(self) -> list[Cookie]:
        """The jar without the cookies whose expiry has passed (section 5.5: removed, never sent)."""
        return [c for c in self.jar if c.expiry is None or c.expiry > self.now]

    def _carried(self, request: Request) -> list[Cookie]:
        return ordered(c for c in self.live() if sends(c, request))

    def visible(self, url: str, http: bool) -> list[Cookie]:
        """The live cookies a top-level request to url carries (http) or its document's script sees, in order."""
        return self._carried(Request(url, site=None, top_level=True, http=http))

    def _serialized(self, url: str, http: bool) -> str:
        return serialize(self.visible(url, http))


def _origins(frames: Frames) -> tuple[str, ...]:
    """The frames' origins, from the top down: a request's ancestors."""
    return tuple(origin for _, origin in frames)


def heard(steps: Callable[[SpecLab], T]) -> tuple[T, dict[str, tuple[str, ...]]]:
    """steps on a fresh spec's user agent that hears its own refusals: what they returned, and the rule that
    ignored each cookie it refused (a row's because=)."""
    lab = SpecLab()
    lab.hear_refusals()
    found = steps(lab)
    return found, lab.refusals() or {}


class SpecSession:
    """The parts of a browser session that flows use directly: a click that submits a form, an emptied jar."""

    def __init__(self, lab: SpecLab) -> None:
        self.lab = lab

    def click_and_wait(self, selector: str) -> None:
        """A click on a form's button (selector "#form button"): its submission."""
        self.lab.post(selector)

    def clear_cookies(self) -> None:
        self.lab.jar.clear()

    def close_popups(self) -> None:
        """A popup's document is not kept here (reach leaves the opener current): none to close."""


class SpecNetwork:
    """The test network's addresses, as the spec's user agent names them (no ports: nothing listens)."""

    @staticmethod
    def loopback_origin(host: str, secure: bool = False, other_port: bool = False) -> str:
        return f"{'https' if secure else 'http'}://{host}" + (":8001" if other_port else "")


def _referrer(document: str, target: str) -> str | None:
    """The Referer header by the default policy, strict-origin-when-cross-origin (Referrer Policy section 3):
    the whole URL same-origin, the origin cross-origin, nothing from https to http."""
    if not document.startswith(("http:", "https:")):
        return None
    if origin_of(document) == origin_of(target):
        return document
    downgrade = document.startswith("https:") and target.startswith("http:")
    return None if downgrade else origin_of(document) + "/"


def _login_fill(url: str) -> dict[str, str]:
    """The login page's own script (templates/cookielab/login.html): ?fill=user:password fills the form, for an
    app inside a cross-site frame that no test can type into."""
    fill = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("fill")
    if not fill:
        return {}
    user, password = fill[0].split(":", 1)
    return {"username": user, "password": password}
