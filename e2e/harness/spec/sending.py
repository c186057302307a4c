"""An executable reading of RFC 6265bis-20 for sending: which stored cookies a request carries.

Beside rfc6265bis.py (5.6 parsing, 5.7 storage), this is section 5.8.3 (retrieval: domain and path
match, Secure only over a secure channel, HttpOnly only for HTTP APIs) with the same-site rules of
section 5.2 (schemeful same-site, the site for cookies, top-level navigations, safe methods, the
redirect chain) and the SameSite enforcement of section 5.8.3 step 1 (Strict, Lax, None and the "Default"
enforcement, which this draft lets a user agent send like None; on storage, rfc6265bis.STORAGE_STEPS[18]), and CHIPS's partition key
(draft-cutler-httpbis-partitioned-cookies-01: the top-level site and the cross-site ancestor bit).
Rows that observe what is sent take their spec value from `sends`; a row keeps its rule and its
deviations. What a browser's third-party policy withholds is the row's policy value, not the model's.

The test hosts' registrable domains are their last two labels (example.test, other.test, third.test);
localhost is its own site and a secure origin for cookies (W3C Secure Contexts, section 3.2).
"""

import dataclasses
import datetime
import json
import urllib.parse
from typing import Any

from e2e.harness.spec.rfc6265bis import Cookie, parse, path_match, store

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")  # RFC 9110 section 9.2.1
# The rules that keep a stored cookie from a request (excluded's answers), with their sections; the storage
# rules' names where the same rule decides (Secure, HttpOnly, SameSite).
WITHHELD = {
    "domain-match": "section 5.8.3 step 1: the request's host domain-matches the cookie's (host-only: equals it)",
    "path-match": "section 5.8.3 step 1: the request's path path-matches the cookie's",
    "secure-origin": "section 5.8.3 step 1: a Secure cookie only over a secure channel",
    "httponly-api": "section 5.8.3 step 1: an HttpOnly cookie only to an HTTP API",
    "partition": "draft-cutler-httpbis-partitioned-cookies-01 section 2: a Partitioned cookie only under its key",
    "samesite-cross-site": "section 5.8.3 step 1: Strict not cross-site, Lax only on a safe top-level navigation",
    "origin-bound": "no rule of RFC 6265bis-20: Chromium's scheme- and port-bound cookies",
}
# A cookie of another host or another partition is not in the jar a request is served from: not sending it is no
# refusal (engines list none: measured, chromium 156), as the model's refusals say.
ELSEWHERE = ("domain-match", "partition")
LOOPBACK = ("localhost", "127.0.0.1")


@dataclasses.dataclass(frozen=True)
class Request:
    """One request as section 5.2 classifies it."""

    url: str  # what is requested
    site: str | None  # the site for cookies: the top-level origin of a frame or subresource, the initiator of a
    # navigation; None for a navigation with no initiator (typed, or a harness's own step)
    top_level: bool = False  # a top-level navigation (section 5.2.2)
    method: str = "GET"
    redirects: tuple[str, ...] = ()  # every URL the request passed through before url (section 5.2.1)
    http: bool = True  # an HTTP API; False for document.cookie (section 5.8.2)
    # The origins of the frames between the top-level document and the request's client ("null" for an
    # opaque-origin frame): section 5.2.1's ancestors, and CHIPS's cross-site ancestor bit.
    ancestors: tuple[str, ...] = ()

    @property
    def top_site(self) -> str:
        """The top-level site a frame or subresource is under; a top-level navigation's own URL."""
        return self.url if self.top_level or self.site is None else self.site

    @property
    def partition(self) -> tuple[str, bool]:
        return self.top_site, any(not same_site(self.top_site, origin) for origin in self.ancestors)


def origin_of(url: str) -> str:
    """The URL's origin, serialized (scheme://host[:port])."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def registrable_domain(host: str) -> str:
    return host if host in LOOPBACK else ".".join(host.split(".")[-2:])


def same_site(a: str, b: str) -> bool:
    """Section 5.2: schemeful same-site, the same scheme and registrable domain (an opaque origin, "null", is
    same-site with nothing)."""
    if "null" in (a, b):
        return False
    first, second = urllib.parse.urlsplit(a), urllib.parse.urlsplit(b)
    return first.scheme == second.scheme and registrable_domain(first.hostname or "") == registrable_domain(
        second.hostname or ""
    )


def cross_site(request: Request) -> bool:
    """Sections 5.2.1 and 5.2.2: cross-site when the site for cookies differs from the request's URL or from any
    URL of its redirect chain."""
    if request.site is None:
        return False
    return any(not same_site(request.site, url) for url in (*request.ancestors, *request.redirects, request.url))


def secure_channel(url: str) -> bool:
    """Section 5.8.3 step 1 ("secure" as the user agent defines it): https, or a loopback host."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "https" or (parts.hostname or "") in LOOPBACK


def sends(cookie: Cookie, request: Request) -> bool:
    """Section 5.8.3: whether the cookie goes with the request."""
    return excluded(cookie, request) is None


def excluded(cookie: Cookie, request: Request) -> str | None:
    """Section 5.8.3: the rule that keeps the cookie from the request (the names reasons.py maps each engine's
    words onto), or None: it goes."""
    parts = urllib.parse.urlsplit(request.url)
    host, path = parts.hostname or "", parts.path or "/"
    if cookie.host_only and host != cookie.domain:
        return "domain-match"
    if not cookie.host_only and not (host == cookie.domain or host.endswith("." + cookie.domain)):
        return "domain-match"
    if not path_match(path, cookie.path):
        return "path-match"
    if cookie.secure and not secure_channel(request.url):
        return "secure-origin"
    if cookie.http_only and not request.http:
        return "httponly-api"
    if cookie.partition is not None:
        top, cross_ancestor = request.partition
        if not same_site(cookie.partition[0], top) or cookie.partition[1] != cross_ancestor:
            return "partition"  # CHIPS: only under the partition it was set in
    if cross_site(request):
        if cookie.same_site == "Strict":
            return "samesite-cross-site"
        if cookie.same_site == "Lax" and not (request.top_level and request.method in SAFE_METHODS):
            return "samesite-cross-site"
    return None  # None, and "Default" (no or an unknown attribute) sent like None


def jar(lines: list[str], origin: str) -> list[Cookie]:
    """The cookies that Set-Cookie lines of one response from origin (path /) store (sections 5.6 and 5.7)."""
    stored: list[Cookie] = []
    receive(stored, lines, Request(f"{origin}/", None, top_level=True), datetime.datetime.now(datetime.UTC))
    return stored


def receive(jar: list[Cookie], lines: list[str], request: Request, now: datetime.datetime) -> list[tuple[str, str]]:
    """Sections 5.6 and 5.7 for the Set-Cookie lines of the response to request (or, with request.http False,
    document.cookie writes in the document at request.url): into jar, in the request's context (its URL's
    security, its partition, whether it may set Lax and Strict cookies). (line, rule) for each line ignored, the
    rule a key of rfc6265bis.IGNORED."""
    parts = urllib.parse.urlsplit(request.url)
    default_path = parts.path.rsplit("/", 1)[0] or "/"  # section 5.1.4
    ignored = []
    for line in lines:
        parsed = parse(line, default_path, now)
        if isinstance(parsed, str):
            ignored.append((line, parsed))
            continue
        why = store(jar, parsed, parts.hostname or "", default_path, now, max((c.created for c in jar), default=-1) + 1,
                    secure_origin=secure_channel(request.url), http=request.http, partition_key=request.partition,
                    same_site_context=request.top_level or not cross_site(request))  # fmt: skip
        if why is not None:
            ignored.append((line, why))
    return ignored


def site_lines(verb: str, specs: list[dict[str, Any]]) -> list[str]:
    """The Set-Cookie lines the site's set or drop verb answers with for specs: made by the site's own code
    (cookielab.lab.set_cookies, drop_cookies), so the model receives what the browser receives."""
    from django.http import HttpResponse

    from cookielab.lab import drop_cookies, set_cookies

    given = json.loads(json.dumps(specs))  # as the verb receives them: JSON
    response = drop_cookies(HttpResponse(), given) if verb == "drop" else set_cookies(HttpResponse(), given)
    return set_cookie_lines(response)


def set_cookie_lines(response: Any) -> list[str]:
    """The Set-Cookie field values of a Django response as the wire carries them: Django's WSGI handler writes
    morsel.output(header="") for each cookie (the raw verb's too), and the whitespace around a field value is
    not part of it (RFC 9110 section 5.5)."""
    return [morsel.output(header="").strip(" \t") for morsel in response.cookies.values()]


def django_lines(cookies: dict[str, Any]) -> list[str]:
    """The Set-Cookie lines of one response setting each cookie: name -> the set verb's spec (value "1"), or a
    raw line Django would not write."""
    specs = [{"name": name, "value": "1", **given} for name, given in cookies.items() if isinstance(given, dict)]
    return site_lines("set", specs) + [given for given in cookies.values() if isinstance(given, str)]
