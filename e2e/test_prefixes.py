"""Cookie name prefixes: __Secure- needs Secure; __Host- needs Secure, Path=/ and no Domain;
__Http- needs Secure and HttpOnly, and __Host-Http- both __Host-'s rules and HttpOnly (so only HTTP can set them)."""

from typing import Any

import pytest

from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import RFC, Row, check_rows, measured, measured_older, row, split_id
from e2e.harness.runner import Lab
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

PREFIX = f"{RFC} section {storage_step(20, 21)} (matched case-insensitively)"
DJANGO_DELETE = "django.http.HttpResponse.delete_cookie adds Secure for prefixed names; " + PREFIX
# libsoup (WebKitGTK 2.50) does not check name prefixes at all.
WEBKIT_NO_PREFIX = measured("webkit", True, "cookie name prefixes are not enforced")
# name -> (raw Set-Cookie header, set over https?): raw keeps the header exact.
HEADERS = {
    "__Secure-ok": ("__Secure-ok=1; Path=/; Secure", True),
    "__Secure-nosecure": ("__Secure-nosecure=1; Path=/", True),
    "__Host-ok": ("__Host-ok=1; Path=/; Secure", True),
    "__Host-domain": ("__Host-domain=1; Path=/; Secure; Domain=example.test", True),
    "__Host-path": ("__Host-path=1; Path=/p; Secure", True),
    "__Host-nosecure": ("__Host-nosecure=1; Path=/", True),
    "__host-lower": ("__host-lower=1; Path=/; Secure; Domain=example.test", True),
    "__SECURE-upper": ("__SECURE-upper=1; Path=/", True),
    "__Secure-http": ("__Secure-http=1; Path=/; Secure", False),
    "__Http-ok": ("__Http-ok=1; Path=/; Secure; HttpOnly", True),
    "__Http-nohttponly": ("__Http-nohttponly=1; Path=/; Secure", True),
    "__Http-nosecure": ("__Http-nosecure=1; Path=/; HttpOnly", True),
    "__http-lower": ("__http-lower=1; Path=/; Secure", True),
    "__Host-Http-ok": ("__Host-Http-ok=1; Path=/; Secure; HttpOnly", True),
    "__Host-Http-domain": ("__Host-Http-domain=1; Path=/; Secure; HttpOnly; Domain=example.test", True),
    "__Host-Http-path": ("__Host-Http-path=1; Path=/p; Secure; HttpOnly", True),
}
# The newest prefixes (Chromium 140, Firefox 143 per MDN's browser-compat-data; Safari: no).
HTTP_PREFIX = (
    "draft-ietf-httpbis-layered-cookies (the __Http- and __Host-Http- prefixes: Secure and HttpOnly, set from HTTP "
    "only; __Host-Http- also Path=/ and no Domain; matched case-insensitively)"
)
# Firefox ESR 140 has no __Http- prefix: it is an ordinary name there, and __Host-Http- only a __Host- one.
FIREFOX_OLD = measured_older("firefox", True, "no __Http- prefixes before Firefox 143 (MDN browser-compat-data)", 143)
# document.cookie writes on https://example.test: a prefix that needs HttpOnly cannot come from script.
SCRIPT_WRITES = {
    "__Http-script": "__Http-script=1; Path=/; Secure",
    "__Host-Http-script": "__Host-Http-script=1; Path=/; Secure",
}


def steps(lab: UserAgent) -> tuple[set[str], dict[str, tuple[str, ...]] | None]:
    """Every prefixed cookie, from its origin or from script: the names stored, and what the user agent said of
    each it refused (reasons.py). Run on the browser (module_lab) and on the spec's user agent."""
    lab.hear_refusals()
    lab.raw(SECURE_ORIGIN, *(header for header, secure in HEADERS.values() if secure))
    lab.raw(ORIGIN, *(header for header, secure in HEADERS.values() if not secure))
    for cookie in SCRIPT_WRITES.values():
        lab.script_write(SECURE_ORIGIN, cookie)
    return {c["name"] for c in lab.stored()}, lab.refusals()


def delete_steps(lab: UserAgent, name: str) -> str | None:
    """Django's set_cookie then delete_cookie of a prefixed name: what is left."""
    lab.set(SECURE_ORIGIN, {"name": name, "value": "1", "secure": True})
    lab.drop(SECURE_ORIGIN, {"name": name})
    return lab.stored_values().get(name)


SPEC, SPEC_REFUSALS = steps(SpecLab())  # each row's spec value: what the spec's user agent did (and its rules)


def accepted(id: str, **deviations: Any) -> Row:
    name = split_id(id)[1][0]
    expect = name in SPEC
    if name in SCRIPT_WRITES:
        rule = f"document.cookie = '{SCRIPT_WRITES[name]}' on https is {'stored' if expect else 'ignored'}."
    else:
        header, secure = HEADERS[name]
        rule = f"'{header}' set over {'https' if secure else 'http'} is {'stored' if expect else 'rejected'}."
    spec = HTTP_PREFIX if "http-" in name.lower() and not name.startswith("__Secure") else PREFIX
    because = "" if expect else model_rule(SPEC_REFUSALS, name=name)
    return row(id, expect, spec, rule, refused=False, because=because, **deviations)


STORED = check_rows(
    [
        accepted("prefix/__Secure-ok/stored"),
        accepted("prefix/__Secure-nosecure/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Host-ok/stored"),
        accepted("prefix/__Host-domain/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Host-path/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Host-nosecure/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__host-lower/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__SECURE-upper/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Secure-http/stored"),
        accepted("prefix/__Http-ok/stored"),
        accepted("prefix/__Http-nohttponly/stored", webkit=WEBKIT_NO_PREFIX, firefox=FIREFOX_OLD),
        accepted("prefix/__Http-nosecure/stored", webkit=WEBKIT_NO_PREFIX, firefox=FIREFOX_OLD),
        accepted("prefix/__http-lower/stored", webkit=WEBKIT_NO_PREFIX, firefox=FIREFOX_OLD),
        accepted("prefix/__Host-Http-ok/stored"),
        accepted("prefix/__Host-Http-domain/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Host-Http-path/stored", webkit=WEBKIT_NO_PREFIX),
        accepted("prefix/__Http-script/stored", webkit=WEBKIT_NO_PREFIX, firefox=FIREFOX_OLD),
        accepted("prefix/__Host-Http-script/stored", webkit=WEBKIT_NO_PREFIX, firefox=FIREFOX_OLD),
    ]
)
DELETES = check_rows(
    [
        row(
            "prefix/__Secure-del/after-delete",
            delete_steps(SpecLab(), "__Secure-del"),
            DJANGO_DELETE,
            "delete_cookie removes a __Secure- cookie.",
        ),
        row(
            "prefix/__Host-del/after-delete",
            delete_steps(SpecLab(), "__Host-del"),
            DJANGO_DELETE,
            "delete_cookie removes a __Host- cookie.",
        ),
    ]
)


@pytest.fixture(scope="module")
def stored(module_lab: Lab) -> tuple[set[str], dict[str, tuple[str, ...]] | None]:
    return steps(module_lab)


@pytest.mark.parametrize("row", STORED, ids=str)
def test_prefix_accepted(stored: tuple[set[str], dict[str, tuple[str, ...]] | None], check: Verdict, row: Row) -> None:
    """Whether the engine stores a prefixed cookie with these attributes (a refusal with the engine's words)."""
    names, refusals = stored
    kept = row.parts[0] in names
    check(row, kept, why="" if kept else said(refusals, row.parts[0]))


@pytest.mark.parametrize("row", DELETES, ids=str)
def test_prefix_django_delete_works(lab: Lab, check: Verdict, row: Row) -> None:
    """delete_cookie adds Secure for prefixed names, so the deletion is accepted."""
    check(row, delete_steps(lab, row.parts[0]))
