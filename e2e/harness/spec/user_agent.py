"""The spec's user agent, driven by Lab's own steps: what a conforming browser stores, sends and shows to script.

A module runs its steps once on the browser (module_lab, lab) and once on a SpecLab, and reads each row's
spec value from the SpecLab's run as its test reads the browser's: one script, two user agents. Storage is
rfc6265bis.py's (sections 5.6 and 5.7, with the request's security and API), sending is sending.py's
(section 5.8.3). Only top-level navigations without an initiator are modelled here; frames, subresources
and cross-site requests are sending.Request's, for the SameSite and third-party modules. Not modelled: page
script beyond document.cookie and cookieStore, form submission, the site's database (Django's login flows).

The Set-Cookie lines the model receives are the site's own: the set and drop verbs' lines made by the site's
code (cookielab.lab.set_cookies, drop_cookies), and go() asks the site itself through Django's test client.
"""

import datetime
import json
import urllib.parse
from typing import Any

from e2e.harness.runner import lab_url
from e2e.harness.spec.rfc6265bis import FORBIDDEN, NAME_VALUE_LIMIT, Cookie, ordered, serialize
from e2e.harness.spec.sending import Request, receive, sends, site_lines


class SpecLab:
    """The subset of Lab's steps and observations that top-level navigations make, on the spec's jar."""

    def __init__(self) -> None:
        self.jar: list[Cookie] = []
        self.now = datetime.datetime.now(datetime.UTC)
        self.url, self.page = "about:blank", ""  # the current document and its text
        self.cookie_store = CookieStore(self)

    def go(self, url: str) -> int:
        """A top-level navigation: the request goes to the site itself, in this process (Django's test client,
        under the settings in force), with the Cookie header the spec's jar sends; the Set-Cookie lines of the
        answer are received, and the answer becomes the current document. Its HTTP status."""
        from django.test import Client

        parts = urllib.parse.urlsplit(url)
        header = self._serialized(url, http=True)
        response = Client().get(f"{parts.path}?{parts.query}", secure=parts.scheme == "https",
                                HTTP_HOST=parts.netloc, HTTP_COOKIE=header)  # fmt: skip
        self._receive(url, [morsel.OutputString() for morsel in response.cookies.values()])
        self.url, self.page = url, response.content.decode()
        return int(response.status_code)

    def page_json(self) -> Any:
        """The current page's body parsed as JSON (a lab verb's answer)."""
        return json.loads(self.page)

    # -- steps ---------------------------------------------------------------
    def set(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self._receive(lab_url(origin, "set", path), site_lines("set", list(specs)))

    def drop(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self._receive(lab_url(origin, "drop", path), site_lines("drop", list(specs)))

    def raw(self, origin: str, *headers: str, path: str = "") -> None:
        self._receive(lab_url(origin, "raw", path), list(headers))

    def script_write(self, origin: str, cookie_string: str, path: str = "") -> str:
        self.go(lab_url(origin, "script", path))
        self._receive(self.url, [cookie_string], http=False)
        return self.document_cookie()

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
        Django's parse of it."""
        from django.http.cookie import parse_cookie

        header = self._serialized(lab_url(origin, "echo", path, exact=exact), http=True) or None
        return {"cookie_header": header, "cookies": parse_cookie(header or "")}

    def script_read(self, origin: str, path: str = "") -> str:
        self.go(lab_url(origin, "script", path))
        return self.document_cookie()

    def document_cookie(self) -> str:
        return self._serialized(self.url, http=False)

    # -- the spec ----------------------------------------------------------------
    def _receive(self, url: str, lines: list[str], http: bool = True) -> None:
        receive(self.jar, lines, Request(url, site=None, top_level=True, http=http), self.now)

    def wait(self, seconds: float) -> None:
        """Let time pass on the spec's clock (the browser's passes by itself)."""
        self.now += datetime.timedelta(seconds=seconds)

    def live(self) -> list[Cookie]:
        """The jar without the cookies whose expiry has passed (section 5.5: removed, never sent)."""
        return [c for c in self.jar if c.expiry is None or c.expiry > self.now]

    def visible(self, url: str, http: bool) -> list[Cookie]:
        """The live cookies a top-level request to url carries (http) or its document's script sees, in order."""
        request = Request(url, site=None, top_level=True, http=http)
        return ordered(c for c in self.live() if sends(c, request))

    def _serialized(self, url: str, http: bool) -> str:
        return serialize(self.visible(url, http))


REFUSED = "refused: TypeError"  # how cookie_store.py's steps report a rejected promise


class CookieStore:
    """The Cookie Store Standard's set(), get(), getAll() and delete() in the SpecLab's current document: each
    builds the cookie the standard describes, refused with a TypeError where the standard says so, and hands it
    to the storage model as a non-HTTP API (section 5.7 with http=False); get() and getAll() see what
    document.cookie sees. Answers are shaped as cookie_store.py's steps shape the engine's."""

    def __init__(self, lab: SpecLab) -> None:
        self.lab = lab

    def set(self, *args: Any) -> str:
        given = args[0] if len(args) == 1 and isinstance(args[0], dict) else {"name": args[0], "value": args[1]}
        try:
            line = self._line(given["name"], given.get("value", ""), given, expires=given.get("expires"))
        except ValueError:
            return REFUSED
        self.lab._receive(self.lab.url, [line], http=False)
        return "set"

    def delete(self, given: str | dict[str, Any]) -> str:
        options = {"name": given} if isinstance(given, str) else given
        try:
            line = self._line(options["name"], "", options, expires=0)
        except ValueError:
            return REFUSED
        self.lab._receive(self.lab.url, [line], http=False)
        return "deleted"

    def get(self, given: str | dict[str, Any]) -> dict[str, str] | None:
        found = self.get_all_items(given)
        return found[0] if found else None

    def get_all(self, given: str | None = None) -> list[str]:
        """As cookie_store.get_all reports it: the names, sorted, or with a name the matching values."""
        if given is None:
            return sorted(item["name"] for item in self.get_all_items(None))
        return [item["value"] for item in self.get_all_items(given)]

    def get_all_items(self, given: str | dict[str, Any] | None) -> list[dict[str, str]]:
        name = given.get("name") if isinstance(given, dict) else given
        visible = self.lab.visible(self.lab.url, http=False)
        return [{"name": c.name, "value": c.value} for c in visible if name is None or c.name == name]

    def _line(self, name: str, value: str, options: dict[str, Any], expires: float | None) -> str:
        """The standard's "set a cookie" checks, then the cookie as a Set-Cookie line; ValueError: a TypeError."""
        host = urllib.parse.urlsplit(self.lab.url).hostname or ""
        domain, path = options.get("domain"), options.get("path", "/")
        if any(FORBIDDEN.search(text) or ";" in text for text in (name, value)):  # control characters, ";"
            raise ValueError("a control character or ';'")
        if (not name and not value) or (not name and "=" in value):
            raise ValueError("an empty name with an empty value, or with '='")
        if len((name + value).encode()) > NAME_VALUE_LIMIT:
            raise ValueError("name and value over 4096 bytes")
        if domain is not None and (domain.startswith(".") or not (host == domain or host.endswith("." + domain))):
            raise ValueError("a domain the document's host does not domain-match")
        if not path.startswith("/"):
            raise ValueError("a path not starting with /")
        if name.lower().startswith("__host-") and (domain is not None or path != "/"):
            raise ValueError("a __Host- cookie with a domain or a path other than /")
        same_site = {"strict": "Strict", "lax": "Lax", "none": "None"}[options.get("sameSite", "strict")]
        line = f"{name}={value}; Path={path}; Secure; SameSite={same_site}"
        line += f"; Domain={domain}" if domain is not None else ""
        if expires is not None:  # milliseconds since the epoch
            from django.utils.http import http_date

            line += f"; Expires={http_date(expires / 1000)}"
        return line
