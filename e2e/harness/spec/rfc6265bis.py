"""An executable reading of RFC 6265bis-20 for parsing and storage: what a conforming user agent keeps.

Section 5.6 (parsing, with 5.1.1 for dates), 5.7 (storage, with the request's security, API, partition
and same-site context) and the order and serialization of 5.8.3; which cookies a request carries is
sending.py's. It is this project's reading of the draft, step by step, so a row's expected value has a
source a reader can check; where an engine departs, the row records a measured deviation.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable
from typing import Any

NAME_VALUE_LIMIT = 4096  # section 5.7 step 4 (name + value octets)
ATTRIBUTE_LIMIT = 1024  # section 5.6 step 4 of the attribute loop (attribute-value octets)
MAX_AGE_CAP = 400 * 86400  # sections 5.6.1 and 5.6.2
SECURE_NAME_PREFIX, HOST_NAME_PREFIX = "__secure-", "__host-"
HTTP_NAME_PREFIX, HOST_HTTP_NAME_PREFIX = "__http-", "__host-http-"  # the layered-cookies draft's
# CTL characters except HTAB: section 5.6 step 1 ignores the whole line.
FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
WSP = " \t"
DELIMITER = re.compile(r"[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")  # section 5.1.1
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclasses.dataclass
class Cookie:
    name: str
    value: str
    path: str
    domain: str
    host_only: bool
    secure: bool = False
    http_only: bool = False
    same_site: str = "Default"
    expired: bool = False
    created: int = 0
    # CHIPS (draft-cutler-httpbis-partitioned-cookies-01): a Partitioned cookie's key, the top-level site it was
    # set under and whether a cross-site ancestor stood between; None for an unpartitioned cookie.
    partition: tuple[str, bool] | None = None
    expiry: datetime.datetime | None = None  # None: a session cookie (section 5.7 step 6)


# Section 5.7's steps as numbered in draft-ietf-httpbis-rfc6265bis-20 (the tag of that name in httpwg/http-extensions):
# step -> what it decides. Every "section 5.7 step N" the project cites is made by storage_step from this table, so one
# number keeps one meaning (e2e/model/test_docs.py finds any written by hand).
STORAGE_STEPS = {
    2: "a cookie with an empty name and an empty value is ignored",
    3: "a control character in the name or value: the cookie is ignored",
    4: "name and value together longer than 4096 octets: the cookie is ignored",
    6: "Max-Age wins over Expires; with neither, a session cookie",
    7: "the last Domain attribute of at most 1024 octets",
    8: "a Domain with a non-ASCII character: the cookie is ignored",
    9: "a public suffix Domain: host-only when it is the host itself, else the cookie is ignored",
    10: "a Domain the host does not domain-match: the cookie is ignored; no Domain: a host-only cookie",
    11: "the last Path attribute, else the default path",
    13: "a Secure cookie from a non-secure origin is ignored",
    15: "an HttpOnly cookie from a non-HTTP API is ignored",
    16: "an insecure origin cannot overwrite or shadow a Secure cookie",
    17: "SameSite: Strict, Lax or None, else Default",
    18: "a cookie not SameSite=None from a cross-site request that is no top-level navigation is ignored",
    19: "SameSite=None without Secure is ignored",
    20: "a __Secure- name needs Secure",
    21: "a __Host- name needs Secure, no Domain and Path=/",
    22: "a nameless cookie whose value begins __Secure- or __Host- is ignored",
    23: "a cookie with the same name, domain, host-only flag and path is replaced, but not by a non-HTTP API when "
    "the old one is HttpOnly",
}


def storage_step(first: int, last: int | None = None) -> str:
    """'5.7 step N (what it decides)', or for a range '5.7 steps N-M (...; ...)', from STORAGE_STEPS."""
    if last is None:
        return f"5.7 step {first} ({STORAGE_STEPS[first]})"
    decides = "; ".join(STORAGE_STEPS[n] for n in range(first, last + 1) if n in STORAGE_STEPS)
    return f"5.7 steps {first}-{last} ({decides})"


def cookie_date(text: str) -> datetime.datetime | None:
    """Section 5.1.1: the cookie-date parsing algorithm; None when it fails."""
    time: tuple[int, ...] | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    for token in DELIMITER.split(text):
        if not token:
            continue
        if time is None and (m := re.fullmatch(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?", token, re.S)):
            time = tuple(int(g) for g in m.groups())
        elif day is None and (m := re.fullmatch(r"(\d{1,2})(?:\D.*)?", token, re.S)):
            day = int(m.group(1))
        elif month is None and token[:3].lower() in MONTHS:
            month = MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := re.fullmatch(r"(\d{2,4})(?:\D.*)?", token, re.S)):
            year = int(m.group(1))
    if time is None or day is None or month is None or year is None:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    hour, minute, second = time
    if not 1 <= day <= 31 or year < 1601 or hour > 23 or minute > 59 or second > 59:
        return None
    try:
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC)
    except ValueError:  # a day the month does not have
        return None


# Why the model ignored a cookie: a rule key -> the rule, in words with its section (what reasons.py maps each
# engine's own reasons onto).
IGNORED = {
    "syntax": "section 5.6: the line is ignored (a control character, or neither name nor value)",
    "size": f"section {storage_step(4)}",
    "secure-origin": f"section {storage_step(13)}",
    "domain": f"section {storage_step(9, 10)}",
    "httponly-api": f"section {storage_step(15)} and {storage_step(23)}",
    "prefix": f"section {storage_step(20, 22)}; draft-ietf-httpbis-layered-cookies: __Http- and __Host-Http- need "
    "Secure and HttpOnly",
    "samesite-none-insecure": f"section {storage_step(19)}",
    "samesite-cross-site": f"section {storage_step(18)}",
    "leave-secure": f"section {storage_step(16)}",
    "partitioned-insecure": "CHIPS section 2.1: Partitioned without Secure",
    "third-party": "no rule of the RFC: the user agent's third-party cookie policy",
}


def parse(line: str, default_path: str, now: datetime.datetime) -> dict[str, Any] | str:
    """Section 5.6: the name, value and the last of each attribute; for an ignored line, the rule that ignored it
    (a key of IGNORED)."""
    if FORBIDDEN.search(line):
        return "syntax"  # step 1
    pair, semicolon, unparsed = line.partition(";")
    name, equals, value = pair.partition("=")
    if not equals:  # step 3: no "=", so the whole pair is the value of a nameless cookie
        name, value = "", pair
    name, value = name.strip(WSP), value.strip(WSP)
    if not name and not value:
        return "syntax"  # step 5
    if len((name + value).encode("latin-1")) > NAME_VALUE_LIMIT:
        return "size"  # 5.7 step 4, checked here as both drafts' parsers do
    attributes: dict[str, Any] = {}
    for av in unparsed.split(";") if semicolon else ():
        key, _, attr = av.partition("=")
        key, attr = key.strip(WSP).lower(), attr.strip(WSP)
        if len(attr.encode("latin-1")) > ATTRIBUTE_LIMIT:
            continue
        if key == "expires":
            when = cookie_date(attr)
            if when is not None:
                attributes["expires"] = when
        elif key == "max-age":
            if re.fullmatch(r"-?\d+", attr):
                attributes["max-age"] = int(attr)
        elif key == "domain":
            if attr:
                attributes["domain"] = attr.removeprefix(".").lower()
        elif key == "path":
            attributes["path"] = attr if attr.startswith("/") else default_path
        elif key in ("secure", "httponly", "partitioned"):
            attributes[key] = True
        elif key == "samesite":
            attributes["samesite"] = {"none": "None", "strict": "Strict", "lax": "Lax"}.get(attr.lower(), "Default")
    return {"name": name, "value": value, **attributes}


def store(
    jar: list[Cookie],
    parsed: dict[str, Any],
    host: str,
    default_path: str,
    now: datetime.datetime,
    created: int,
    *,
    secure_origin: bool = True,
    http: bool = True,
    partition_key: tuple[str, bool] | None = None,
    same_site_context: bool = True,
) -> str | None:
    """Section 5.7, for a first-party response to host: add, replace or remove. The rule (a key of IGNORED) that
    ignored the cookie, or None when it was stored, replaced or removed.

    secure_origin: the request's scheme is "secure" as the user agent defines it (https, or a loopback
    host); http: received from an HTTP API (False for document.cookie, section 5.8.2); partition_key: CHIPS's
    key of the context the response or script is in (None: a first-party response, its own top-level site);
    same_site_context: a same-site request or a top-level navigation (False: a cross-site frame's or
    subresource's, where step 18 ignores a Lax or Strict cookie).
    """
    if "max-age" in parsed:  # step 6: Max-Age wins over Expires
        expired = parsed["max-age"] <= 0
        expiry = None if expired else now + datetime.timedelta(seconds=min(parsed["max-age"], MAX_AGE_CAP))
    elif "expires" in parsed:
        expired = parsed["expires"] <= now
        expiry = min(parsed["expires"], now + datetime.timedelta(seconds=MAX_AGE_CAP))
    else:
        expired, expiry = False, None
    domain = parsed.get("domain")
    if domain == host and ("." not in host or host.replace(".", "").isdigit()):
        domain = None  # step 9: a public suffix (localhost) or an IP address equal to the host: host-only
    if domain is not None and not (domain == host or (host.endswith("." + domain) and "." in domain)):
        return "domain"  # steps 9-10: the host does not domain-match, or a public suffix such as "test"
    cookie = Cookie(
        parsed["name"], parsed["value"], parsed.get("path", default_path), domain or host, domain is None,
        parsed.get("secure", False), parsed.get("httponly", False), parsed.get("samesite", "Default"), expired, created,
        expiry=expiry,
    )  # fmt: skip
    if cookie.secure and not secure_origin:
        return "secure-origin"  # step 13: Secure only from a secure origin
    if cookie.http_only and not http:
        return "httponly-api"  # step 15: HttpOnly only from an HTTP API
    lower = cookie.name.lower()
    if not cookie.name and cookie.value.lower().startswith((SECURE_NAME_PREFIX, HOST_NAME_PREFIX)):
        return "prefix"  # step 22: a nameless cookie may not pass for a prefixed one
    if lower.startswith(SECURE_NAME_PREFIX) and not cookie.secure:
        return "prefix"
    if lower.startswith(HOST_NAME_PREFIX) and not (cookie.secure and cookie.host_only and cookie.path == "/"):
        return "prefix"
    if lower.startswith((HTTP_NAME_PREFIX, HOST_HTTP_NAME_PREFIX)) and not (cookie.secure and cookie.http_only):
        return "prefix"  # draft-ietf-httpbis-layered-cookies: __Http- and __Host-Http- need Secure and HttpOnly
    if cookie.same_site == "None" and not cookie.secure:
        return "samesite-none-insecure"  # step 19
    if cookie.same_site in ("Lax", "Strict") and not same_site_context:
        return "samesite-cross-site"  # step 18: a cross-site request cannot set a Lax or Strict cookie
    if not cookie.secure and not secure_origin and any(_shadows(cookie, old) for old in jar):
        return "leave-secure"  # step 16: an insecure origin leaves Secure cookies alone
    if parsed.get("partitioned"):
        if not cookie.secure:
            return "partitioned-insecure"  # CHIPS section 2.1: Partitioned without Secure is rejected
        cookie.partition = partition_key or (f"https://{host}", False)  # first party: its own top-level site
    for old in jar:
        # CHIPS: the partition key is part of a cookie's identity, beside name, domain and path
        if (old.name, old.domain, old.host_only, old.path, old.partition) == (
            cookie.name,
            cookie.domain,
            cookie.host_only,
            cookie.path,
            cookie.partition,
        ):
            if old.http_only and not http:
                return "httponly-api"  # step 23: a non-HTTP API cannot replace an HttpOnly cookie
            cookie.created = old.created  # step 23: the replacement keeps the old creation time
            jar.remove(old)
            break
    if not cookie.expired:
        jar.append(cookie)
    return None


def _shadows(new: Cookie, old: Cookie) -> bool:
    """Section 5.7 step 16's criteria: the insecure new cookie would overwrite or shadow the Secure old one."""
    domains_match = (
        old.domain == new.domain or old.domain.endswith("." + new.domain) or new.domain.endswith("." + old.domain)
    )
    return old.name == new.name and old.secure and domains_match and path_match(new.path, old.path)


def path_match(request_path: str, cookie_path: str) -> bool:
    """Section 5.1.4."""
    if request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path) and (cookie_path.endswith("/") or request_path[len(cookie_path)] == "/")


def ordered(cookies: Iterable[Cookie]) -> list[Cookie]:
    """Section 5.8.3 step 2: longer paths first, then earlier creation times."""
    return sorted(cookies, key=lambda c: (-len(c.path), c.created))


def serialize(cookies: list[Any]) -> str:
    """Section 5.8.3 step 4: name=value pairs, a nameless cookie as its value alone, joined by "; "."""
    return "; ".join((f"{c.name}=" if c.name else "") + c.value for c in cookies)
