"""The Cookie Store API: the set -> update -> get -> delete flow through its third door, and its rules.

cookieStore.get/getAll/set/delete and its change events, run by page script on
https://example.test (the API exists in secure contexts only), each observed against the
whole jar, document.cookie and what the server receives. A row's id names the case and
the observation: cookie-store/<case>/<observation>. An engine without the API would record
"cookieStore absent" as its value (e2e/harness/cookie_store.py), never a skip; all three
engines here have it (WebKitGTK 2.50.6 too, measured).
"""

import time
from collections.abc import Callable
from typing import Any

import pytest

from e2e.harness.flows import Flows, attributes, described, names
from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN, SECURE_SUBDOMAIN_ORIGIN
from e2e.harness.rows import RFC, Row, check_rows, measured, measured_older, row
from e2e.harness.runner import Lab, lab_url
from e2e.harness.spec.cookie_store import REFUSED
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import HTTPONLY
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

STANDARD = "Cookie Store API Standard (WHATWG)"
SET = f"{STANDARD}, set(): defaults path /, sameSite strict, host-only; Secure always"
GET = f"{STANDARD}, get() and getAll(): the cookies document.cookie would show"
DELETE = f"{STANDARD}, delete(): an expired cookie with the same name, domain and path"
ITEM = f"{STANDARD}, CookieListItem: name and value only (whatwg/cookiestore#274)"
REFUSE = f"{STANDARD}, set(): a cookie the storage model would refuse rejects with TypeError"
PREFIX = f"{RFC} section 4.1.3 (__Secure- and __Host- prefixes); {REFUSE}"
EVENTS = f"{STANDARD}, the change event (changed and deleted lists, for every change a script could see)"
SECURE_CONTEXT = f"{STANDARD} (cookieStore is [SecureContext]: absent from http pages)"
PATH_AS_GIVEN = f"{STANDARD}, set(): the path as given, no slash appended (whatwg/cookiestore#258, 2025-05)"
# Chromium still reports every attribute; the standard notes "one implementation is known to
# expose information beyond name and value" (whatwg/cookiestore#280).
CHROMIUM_ITEM = measured("chromium", ["domain", "expires", "name", "partitioned", "path", "sameSite", "secure", "value"],
                         "CookieListItem with every attribute")  # fmt: skip
SLASH = "a slash appended to the path, as the standard said before whatwg/cookiestore#258"

SCRIPT = lab_url(SECURE_ORIGIN, "script")


def flow(lab: UserAgent) -> dict[str, Any]:
    """set -> update -> get -> delete, as the tutorial does it with Set-Cookie, through cookieStore."""
    lab.go(SCRIPT)
    observed = {
        "set": lab.cookie_store.set("cs_user", "arafat"),
        "get-after-set": _value(lab.cookie_store.get("cs_user")),
    }
    lab.cookie_store.set("cs_user", "arafat-updated")
    observed["get-after-update"] = _value(lab.cookie_store.get("cs_user"))
    observed["document-cookie"] = lab.document_cookie()
    observed["stored"] = _stored(lab, "cs_user")
    observed["sent"] = lab.sent(SECURE_ORIGIN)["cookies"].get("cs_user")
    lab.go(SCRIPT)
    lab.cookie_store.delete("cs_user")
    observed["get-after-delete"] = _value(lab.cookie_store.get("cs_user"))
    observed["stored-after-delete"] = "cs_user" in names(lab)
    observed["sent-after-delete"] = "cs_user" in lab.sent(SECURE_ORIGIN)["cookies"]
    return observed


def _value(item: Any) -> Any:
    return item.get("value") if isinstance(item, dict) else item


def _stored(lab: UserAgent, name: str) -> dict[str, Any] | None:
    """The jar's record as a row compares it (its domain too), or None."""
    found = lab.stored(name)
    if not found:
        return None
    (cookie,) = found
    return {"domain": cookie["domain"], **described(cookie)}


def listing(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    lab.cookie_store.set("cs_a", "1")
    lab.cookie_store.set("cs_b", "1")
    item = lab.cookie_store.get("cs_a")
    shown = lab.document_cookie()
    jar = _stored(lab, "cs_a")
    lab.cookie_store.set({"name": "cs_obj", "value": "2"})
    return {
        "keys": sorted(item) if isinstance(item, dict) else item,
        "value-matches-document-cookie": isinstance(item, dict) and f"cs_a={item['value']}" in shown.split("; "),
        "extra-fields-match-jar": _extra_fields_match(item, jar),
        "names": _without(lab.cookie_store.get_all(), "cs_obj"),
        "by-name": lab.cookie_store.get_all("cs_a"),
        "by-options": _value(lab.cookie_store.get({"name": "cs_a"})),
        "object-form": _value(lab.cookie_store.get("cs_obj")),
    }


def _extra_fields_match(item: Any, jar: dict[str, Any] | None) -> bool | None:
    """None when the item has only name and value; else whether its attributes agree with the jar's."""
    if not isinstance(item, dict) or set(item) <= {"name", "value"}:
        return None
    if jar is None:
        return False  # attributes reported for a cookie the jar does not hold
    host_only = item.get("domain") is None and jar["domain"] == "example.test"
    return (
        (host_only or item.get("domain") == jar["domain"])
        and item.get("path") == jar["path"]
        and item.get("secure") == jar["secure"]
        and str(item.get("sameSite")).lower() == str(jar["sameSite"]).lower()
    )


def _without(listed: Any, name: str) -> Any:
    return [n for n in listed if n != name] if isinstance(listed, list) else listed


def expiry(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    lab.cookie_store.set({"name": "cs_exp", "value": "1", "expires": (time.time() + 3600) * 1000})
    cookie = attributes(lab, "cs_exp")
    lab.cookie_store.set("cs_gone", "1")
    lab.cookie_store.set({"name": "cs_gone", "value": "1", "expires": (time.time() - 1) * 1000})
    gone = lab.cookie_store.get("cs_gone")
    return {
        "future-lifetime-hours": cookie["lifetime_hours"] if cookie else lab.cookie_store.get("cs_exp"),
        "past-deletes": gone,
    }


def same_site(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    observed = {}
    for value in ("strict", "lax", "none"):
        name = f"cs_ss_{value}"
        answer = lab.cookie_store.set({"name": name, "value": "1", "sameSite": value})
        cookie = attributes(lab, name)
        observed[f"{value}-stored"] = cookie["sameSite"] if cookie else answer
    return observed


def path(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    lab.cookie_store.set({"name": "cs_p", "value": "1", "path": "/cs/"})
    outside = _value(lab.cookie_store.get("cs_p"))
    lab.cookie_store.set({"name": "cs_p2", "value": "1", "path": "/cs"})
    slash = [c["path"] for c in lab.stored("cs_p2")]
    lab.go(lab_url(SECURE_ORIGIN, "script", "/cs"))
    return {
        "get-outside": outside,
        "get-inside": _value(lab.cookie_store.get("cs_p")),
        "stored-path": slash[0] if slash else lab.cookie_store.get("cs_p2"),
    }


def _tried(lab: UserAgent, words: dict[str, str], observation: str, answer: Any) -> Any:
    """answer; where the store refused the step, its words for the refusal kept under observation (the engine's
    error message, the model's rule)."""
    if answer == REFUSED:
        words[observation] = lab.cookie_store.said
    return answer


def domain(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    answer = lab.cookie_store.set({"name": "cs_d", "value": "1", "domain": "example.test"})
    stored = [c["domain"] for c in lab.stored("cs_d")]
    words: dict[str, str] = {}
    foreign = _tried(
        lab, words, "foreign-refused", lab.cookie_store.set({"name": "cs_f", "value": "1", "domain": "other.test"})
    )
    other_domain = _tried(
        lab,
        words,
        "other-domain-delete-refused",
        lab.cookie_store.delete({"name": "cs_d", "domain": "www.example.test"}),
    )
    lab.go(lab_url(SECURE_SUBDOMAIN_ORIGIN, "script"))
    return {
        "stored-domain": stored[0] if stored else answer,
        "visible-on-subdomain": _value(lab.cookie_store.get("cs_d")),
        "foreign-refused": foreign,
        "other-domain-delete-refused": other_domain,
        "words": words,
    }


def http_only(lab: UserAgent) -> dict[str, Any]:
    lab.raw(SECURE_ORIGIN, "cs_http=1; Path=/; Secure; HttpOnly")
    lab.go(SCRIPT)
    observed = {"get": _value(lab.cookie_store.get("cs_http")), "getall-names": lab.cookie_store.get_all()}
    lab.cookie_store.set("cs_http", "overwritten")
    observed["overwrite-sent"] = lab.sent(SECURE_ORIGIN)["cookies"].get("cs_http")
    return observed


def deletion(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    lab.cookie_store.set({"name": "cs_del", "value": "1", "path": "/cs/"})
    lab.cookie_store.delete({"name": "cs_del", "path": "/"})
    return {"other-path-keeps": "cs_del" in names(lab) or lab.cookie_store.get("cs_del")}


def prefixes(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    lab.cookie_store.set("__Secure-cs", "1")
    lab.cookie_store.set("__Host-cs", "1")
    words: dict[str, str] = {}
    store = lab.cookie_store
    return {
        "secure-set": _value(store.get("__Secure-cs")),
        "host-set": _value(store.get("__Host-cs")),
        "host-with-domain": _tried(
            lab, words, "host-with-domain", store.set({"name": "__Host-cs2", "value": "1", "domain": "example.test"})
        ),
        "host-with-path": _tried(
            lab, words, "host-with-path", store.set({"name": "__Host-cs3", "value": "1", "path": "/cs/"})
        ),
        "words": words,
    }


def limits(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    words: dict[str, str] = {}
    store = lab.cookie_store
    return {
        "over-4096": _tried(lab, words, "over-4096", store.set("cs_big", "x" * 4100)),
        "at-4096": _tried(lab, words, "at-4096", store.set("cs_max", "x" * (4096 - len("cs_max")))),
        "empty-name-and-value": _tried(lab, words, "empty-name-and-value", store.set("", "")),
        "semicolon-in-value": _tried(lab, words, "semicolon-in-value", store.set("cs_semi", "a;b")),
        "words": words,
    }


def events(lab: UserAgent) -> dict[str, Any]:
    lab.go(SCRIPT)
    set_cookie = lab_url(SECURE_ORIGIN, "raw", h="cs_ev_http=1; Path=/")
    seen = lab.cookie_store.changes(set_cookie, "cs_ev_doc=1; path=/", "cs_ev_http")
    if not isinstance(seen, list):
        return dict.fromkeys(("http-set-cookie", "document-cookie", "delete"), seen)
    seen += [None] * 3
    return {"http-set-cookie": seen[0], "document-cookie": seen[1], "delete": seen[2]}


def http_page(lab: UserAgent) -> dict[str, Any]:
    lab.go(lab_url(ORIGIN, "script"))
    return {"available": lab.cookie_store.available()}


FLOWS: dict[str, tuple[dict[str, Any], Callable[[UserAgent], dict[str, Any]]]] = {
    name: ({}, function)
    for name, function in {
        "flow": flow,
        "listing": listing,
        "expires": expiry,
        "samesite": same_site,
        "path": path,
        "domain": domain,
        "httponly": http_only,
        "delete": deletion,
        "prefix": prefixes,
        "limits": limits,
        "events": events,
        "http-page": http_page,
    }.items()
}


# The cases whose rows one flow observes together.
SHARED = {"item": "listing", "getall": "listing", "get": "listing", "set": "listing"}


# Each row's spec value: its case's steps run on the spec's user agent (SpecLab), whose cookieStore is the
# standard's model (its change events too) over the RFC 6265bis storage model.
SPEC = {case: function(SpecLab()) for case, (_, function) in FLOWS.items()}


def spec_row(id: str, source: str, rule: str, **deviations: Any) -> Row:
    """A row whose spec value is its observation on the spec's user agent; in a case that keeps the store's words,
    a refused step is the refusal, and the model's rule for it the row's because."""
    case, observation = id.split("/")[1:]
    observed = SPEC[SHARED.get(case, case)]
    marks = {"refused": REFUSED, "because": observed["words"].get(observation, "")} if "words" in observed else {}
    return row(id, observed[observation], source, rule, **marks, **deviations)


ROWS = check_rows(
    [
        spec_row("cookie-store/flow/set", SET, "cookieStore.set(name, value) resolves."),
        spec_row("cookie-store/flow/get-after-set", GET, "cookieStore.get(name) gives the value just set."),
        spec_row("cookie-store/flow/get-after-update", GET, "Setting the name again updates the value get() gives."),
        spec_row("cookie-store/flow/document-cookie", GET, "document.cookie shows the cookie cookieStore set."),
        spec_row("cookie-store/flow/sent", GET, "The server receives the cookie cookieStore set."),
        spec_row("cookie-store/flow/stored", SET, "In the jar the cookie is host-only, on /, Secure, Strict, a session cookie."),
        spec_row("cookie-store/flow/get-after-delete", DELETE, "After cookieStore.delete(name), get() gives nothing."),
        spec_row("cookie-store/flow/stored-after-delete", DELETE, "After cookieStore.delete(name) the jar no longer holds it."),
        spec_row("cookie-store/flow/sent-after-delete", DELETE, "After cookieStore.delete(name) the server no longer receives it."),
        spec_row("cookie-store/item/keys", ITEM, "A CookieListItem tells only the name and the value.",
            chromium=CHROMIUM_ITEM),
        spec_row("cookie-store/item/value-matches-document-cookie", GET,
            "The value get() gives is the one document.cookie shows."),
        spec_row("cookie-store/item/extra-fields-match-jar", ITEM,
            "A CookieListItem has no attributes beyond name and value to compare with the jar.",
            chromium=measured("chromium", True, "its extra fields (domain, path, secure, sameSite) agree with the jar")),
        spec_row("cookie-store/getall/names", GET, "getAll() lists every cookie the page can see."),
        spec_row("cookie-store/getall/by-name", GET, "getAll(name) lists the cookies of that name."),
        spec_row("cookie-store/get/by-options", GET, "get({name}) works like get(name)."),
        spec_row("cookie-store/set/object-form", SET, "set({name, value}) works like set(name, value)."),
        spec_row("cookie-store/expires/future-lifetime-hours", SET, "set() with expires an hour ahead stores a cookie that lives an hour."),
        spec_row("cookie-store/expires/past-deletes", SET, "set() with expires in the past deletes the cookie."),
        spec_row("cookie-store/samesite/strict-stored", SET, "set() with sameSite strict stores a Strict cookie."),
        spec_row("cookie-store/samesite/lax-stored", SET, "set() with sameSite lax stores a Lax cookie."),
        spec_row("cookie-store/samesite/none-stored", SET, "set() with sameSite none stores a SameSite=None cookie."),
        spec_row("cookie-store/path/get-outside", GET, "A cookie set with path /cs/ is not visible to get() on /."),
        spec_row("cookie-store/path/get-inside", GET, "A cookie set with path /cs/ is visible to get() on /cs/."),
        spec_row("cookie-store/path/stored-path", PATH_AS_GIVEN, "set() with path /cs stores the path /cs.",
            chromium=measured("chromium", "/cs/", SLASH), webkit=measured("webkit", "/cs/", SLASH),
            firefox=measured_older("firefox", "/cs/", SLASH, 153)),
        spec_row("cookie-store/domain/stored-domain", SET, "set() with domain example.test stores a domain cookie."),
        spec_row("cookie-store/domain/visible-on-subdomain", GET, "A domain cookie set by cookieStore is visible on www.example.test."),
        spec_row("cookie-store/domain/foreign-refused", REFUSE, "set() with another site's domain is refused."),
        spec_row("cookie-store/httponly/get", f"{GET}; {HTTPONLY}", "get() does not see an HttpOnly cookie."),
        spec_row("cookie-store/httponly/getall-names", f"{GET}; {HTTPONLY}", "getAll() does not list an HttpOnly cookie."),
        spec_row("cookie-store/httponly/overwrite-sent", HTTPONLY, "set() cannot overwrite an HttpOnly cookie: the server still receives the old value."),
        spec_row("cookie-store/delete/other-path-keeps", DELETE, "delete() with another path leaves the cookie."),
        spec_row("cookie-store/domain/other-domain-delete-refused", REFUSE,
            "delete() with a domain the page cannot set is refused."),
        spec_row("cookie-store/prefix/secure-set", PREFIX, "A __Secure- cookie can be set from an https page."),
        spec_row("cookie-store/prefix/host-set", PREFIX, "A __Host- cookie on / without domain can be set."),
        spec_row("cookie-store/prefix/host-with-domain", PREFIX, "A __Host- cookie with a domain is refused."),
        spec_row("cookie-store/prefix/host-with-path", PREFIX, "A __Host- cookie on another path than / is refused."),
        spec_row("cookie-store/limits/over-4096", f"{RFC} section {storage_step(4)}; {REFUSE}",
            "A name and value over 4096 bytes are refused.",
            webkit=measured("webkit", "set", "no 4096-byte limit (as for Set-Cookie and document.cookie here)")),
        spec_row("cookie-store/limits/at-4096", f"{RFC} section {storage_step(4)}", "A name and value of exactly 4096 bytes are set."),
        spec_row("cookie-store/limits/empty-name-and-value", REFUSE, "An empty name with an empty value is refused."),
        spec_row("cookie-store/limits/semicolon-in-value", REFUSE, "A value with a semicolon is refused."),
        spec_row("cookie-store/events/http-set-cookie", EVENTS,
               "A Set-Cookie from the server fires a change event naming the cookie."),
        spec_row("cookie-store/events/document-cookie", EVENTS,
               "A document.cookie write fires a change event naming the cookie."),
        spec_row("cookie-store/events/delete", EVENTS,
               "cookieStore.delete() fires a change event listing the cookie as deleted."),
        spec_row("cookie-store/http-page/available", SECURE_CONTEXT, "An http page has no cookieStore."),
    ]
)  # fmt: skip


@pytest.fixture(scope="module")
def flows(module_lab: Lab) -> Flows:
    return Flows(module_lab, FLOWS)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_cookie_store(flows: Flows, check: Verdict, row: Row) -> None:
    """Each row: one observation of its case's cookieStore steps, in this engine; a refused step's words beside it."""
    observed = flows(SHARED.get(row.parts[0], row.parts[0]))
    value = observed[row.parts[1]]
    check(row, value, why=observed.get("words", {}).get(row.parts[1], "") if value == REFUSED else "")
