"""SameSite: which cookies each engine stores and sends, by request context.

Six cookies set once over https on example.test (strict, lax, none+Secure,
no attribute, None without Secure, an unknown value), then every request
context below is observed from the server's side. A row's id names the
cookie and the context: samesite/<cookie>/<context>.
"""

import itertools
from typing import Any

import pytest

from e2e.harness.batch import Batch
from e2e.harness.network.hosts import ORIGIN, SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN, SECURE_SUBDOMAIN_ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.report.baselines import COMMITTED as COMMITTED_FOLDER
from e2e.harness.report.baselines import Baselines
from e2e.harness.rows import CHROMIUM_LAX_BY_DEFAULT, RFC, Deviation, Row, check_rows, measured, row, split_id
from e2e.harness.runner import Lab
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import DEFAULT_ENFORCEMENT, SAMESITE, SECURE_SEND
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

COOKIES = {  # name -> set_cookie arguments, or a raw Set-Cookie header Django would not send
    "strict": {"samesite": "Strict"},
    "lax": {"samesite": "Lax"},
    "none": {"samesite": "None", "secure": True},
    "unset": {},
    "none_insecure": "none_insecure=1; Path=/; SameSite=None",
    "bogus": "bogus=1; Path=/; SameSite=Bogus",
}
PHRASES = {
    "strict": "SameSite=Strict cookie",
    "lax": "SameSite=Lax cookie",
    "none": "SameSite=None; Secure cookie",
    "unset": "cookie without SameSite",
    "none_insecure": "SameSite=None cookie without Secure",
    "bogus": "cookie with SameSite=Bogus",
}
# context -> (how the request to example.test is made: Lab.sent_via arguments, what it is)
CONTEXTS = {
    "same-origin-link": (("link", SECURE_ORIGIN, SECURE_ORIGIN), "on a link within https://example.test"),
    "same-site-link": (("link", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN), "on a link from https://www.example.test"),
    "same-site-iframe": (
        ("iframe", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
        "to an iframe in https://www.example.test",
    ),
    "same-site-fetch": (
        ("fetch", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
        "with a credentialed fetch from https://www.example.test",
    ),
    "cross-site-link": (("link", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN), "on a link from https://other.test"),
    "cross-site-form-post": (
        ("form", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
        "with a form POST from https://other.test",
    ),
    "cross-site-iframe": (("iframe", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN), "to an iframe in https://other.test"),
    "cross-site-fetch": (
        ("fetch", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
        "with a credentialed fetch from https://other.test",
    ),
    "cross-site-img": (("img", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN), "for an image on https://other.test"),
    "cross-site-redirect": (
        ("link", SECURE_ORIGIN, SECURE_ORIGIN, "", SECURE_CROSS_SITE_ORIGIN),
        "on a link from https://example.test that redirects through https://other.test back to it",
    ),
    "https-to-http-link": (
        ("link", SECURE_ORIGIN, ORIGIN),
        "on a link from https://example.test to http://example.test",
    ),
    "http-to-https-link": (
        ("link", ORIGIN, SECURE_ORIGIN),
        "on a link from http://example.test to https://example.test",
    ),
    "same-site-websocket": (
        ("websocket", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
        "on a WebSocket handshake (wss:) from https://www.example.test",
    ),
    "cross-site-websocket": (
        ("websocket", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
        "on a WebSocket handshake (wss:) from https://other.test",
    ),
}

NONE_NEEDS_SECURE = f"{RFC} section {storage_step(19)}"
UNKNOWN_VALUE = f"{RFC} section 5.6.7 (an unknown SameSite value counts as no attribute)"
# A WebSocket handshake is a GET its document makes, not a navigation: same-site or not by the document's site
# for cookies (RFC 6455 section 4.1 sends the document's cookies with it; WPT cookies/samesite/websocket.https.html).
WEBSOCKET = f"{SAMESITE}; RFC 6455 section 4.1; WebKit sent Lax and Strict cross-site until WebKit PR 71489 (2026-08)"
# Under Total Cookie Protection a cross-site page's fetch and image carry none of example.test's cookies, yet in
# Firefox ESR 153 its WebSocket handshake carries them, unpartitioned (ESR 140 does not: a regression between them).
FIREFOX_WEBSOCKET_UNPARTITIONED = measured(
    "firefox",
    True,
    "a WebSocket handshake from a cross-site page carries the target's unpartitioned cookies under the partitioned "
    "policy, where a fetch or an image from the same page carries none; ESR 140.12.0 carries none either (measured "
    "over Marionette, as is 153.8.0 over Marionette and Playwright): a change between the two ESRs, the releases "
    "between them not measured",
    policies=("partitioned",),
    releases=(141, None),
)
# A first-party cookie in a cross-site frame or subresource is a third-party cookie: the run's
# third-party policy (e2e/harness/third_party.py) decides, not SameSite alone.
THIRD_PARTY = {
    "blocked": (False, "third-party cookies blocked: none is sent from a cross-site frame or subresource"),
    "partitioned": (
        False,
        "third-party cookies partitioned: a cross-site frame or subresource gets the jar of its top-level site "
        "(https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/State_Partitioning)",
    ),
}
# Chromium treats a cookie without SameSite as Lax but sends it on a cross-site
# top-level POST within 2 minutes of its creation ("Lax-allowing-unsafe",
# https://chromestatus.com/feature/5088147346030592); Firefox has no Lax-by-default
# (https://bugzilla.mozilla.org/show_bug.cgi?id=1617609).
LAX_ALLOWING_UNSAFE = f"{DEFAULT_ENFORCEMENT}; Chromium sends it on a POST within 2 minutes of creation"
SCHEMEFUL = (
    f"{RFC} section 5.2 (same-site is schemeful: http and https of one host are cross-site); "
    "Firefox does not apply it (network.cookie.sameSite.schemeful, "
    "https://bugzilla.mozilla.org/show_bug.cgi?id=1651119); WebKit neither"
)
REDIRECT = (
    f"{RFC} section 5.2.1 (a redirect chain through a cross-site URL makes the navigation cross-site); "
    "Chromium judges only the final hop and sends Strict (https://crbug.com/1221316)"
)
# libsoup, WebKitGTK's network stack, does not require Secure for SameSite=None:
# the cookie is kept and then sent like any SameSite=None cookie, also over http.
NONE_INSECURE_ACCEPTED = "SameSite=None without Secure is accepted (libsoup)"
WEBKIT_NONE_INSECURE = measured("webkit", True, NONE_INSECURE_ACCEPTED)
# In a third-party context, unless third-party cookies are blocked (ITP).
WEBKIT_NONE_INSECURE_3P = measured("webkit", True, NONE_INSECURE_ACCEPTED, policies=("allowed", "no-third-party"))
# Safari blocks all third-party cookies (https://webkit.org/blog/10218/full-third-party-cookie-blocking-and-more/).
SAFARI_3P = Deviation(
    False, "unverified: https://webkit.org/blog/10218/full-third-party-cookie-blocking-and-more/", builds=("safari",)
)


def steps(lab: UserAgent) -> dict[str, Any]:
    """The module's steps on either user agent: the six cookies set over https on example.test, then example.test
    reached from every context. -> what was stored, its reported SameSite, what each context sent, the refusals
    to store and to send (the user agent's words: an engine's, or the model's rule)."""
    specs = [{"name": n, "value": "1", **c} for n, c in COOKIES.items() if isinstance(c, dict)]
    lab.hear_refusals()
    lab.set(SECURE_ORIGIN, *specs)
    lab.raw(SECURE_ORIGIN, *(c for c in COOKIES.values() if isinstance(c, str)))
    sent: Batch[str, set[str] | None] = Batch()  # a context whose step fails costs its rows only
    withheld: dict[str, dict[str, tuple[str, ...]] | None] = {}  # context -> the user agent's words for each not sent
    for context in sorted(CONTEXTS):

        def reach(context: str = context) -> set[str] | None:
            record = lab.sent_via(*CONTEXTS[context][0])
            if record is None:
                return None
            withheld[context] = record["withheld"]
            return set(record["cookies"])

        sent.observe(context, reach)
    stored = lab.stored()
    return {"stored": {c["name"] for c in stored}, "reported": {c["name"]: c["sameSite"] for c in stored}, "sent": sent,
            "refusals": lab.refusals(), "withheld": withheld}  # fmt: skip


# Each row's spec value: the same steps on the spec's user agent (storage by section 5.7, every request context
# classified by section 5.2 and sent by 5.8.3: e2e/harness/spec/user_agent.py).
SPEC = steps(SpecLab())


def stored(id: str, spec: str, **deviations: Any) -> Row:
    name = split_id(id)[1][0]
    expect = name in SPEC["stored"]
    rule = f"A {PHRASES[name]} set over https is {'stored' if expect else 'not stored'}."
    because = "" if expect else model_rule(SPEC["refusals"], name=name)  # the model's rule for ignoring the line
    return row(id, expect, spec, rule, refused=False, because=because, **deviations)


def sent(id: str, spec: str, **deviations: Any) -> Row:
    name, context = split_id(id)[1]
    expect = name in SPEC["sent"][context]
    rule = f"A {PHRASES[name]} {'is' if expect else 'is not'} sent {CONTEXTS[context][1]}."
    # The model's rule for keeping it back, or for never storing it.
    because = "" if expect else model_rule(SPEC["withheld"][context], SPEC["refusals"], name=name)
    return row(id, expect, spec, rule, refused=False, because=because, **deviations)


def third_party(lax_by_default: bool = False) -> dict[str, Any]:
    """A cookie the spec sends to cross-site subresources: the policy decides; Safari blocks it."""
    chromium = {"chromium": CHROMIUM_LAX_BY_DEFAULT} if lax_by_default else {}
    return {"policies": THIRD_PARTY, "webkit": SAFARI_3P, **chromium}


ROWS = check_rows(
    [
        stored("samesite/strict/stored", SAMESITE),
        stored("samesite/lax/stored", SAMESITE),
        stored("samesite/none/stored", SAMESITE),
        stored("samesite/unset/stored", DEFAULT_ENFORCEMENT),
        stored("samesite/none_insecure/stored", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        stored("samesite/bogus/stored", UNKNOWN_VALUE),
        sent("samesite/strict/same-origin-link", SAMESITE),
        sent("samesite/lax/same-origin-link", SAMESITE),
        sent("samesite/none/same-origin-link", SAMESITE),
        sent("samesite/unset/same-origin-link", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/same-origin-link", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/same-origin-link", UNKNOWN_VALUE),
        sent("samesite/strict/same-site-link", SAMESITE),
        sent("samesite/lax/same-site-link", SAMESITE),
        sent("samesite/none/same-site-link", SAMESITE),
        sent("samesite/unset/same-site-link", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/same-site-link", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/same-site-link", UNKNOWN_VALUE),
        sent("samesite/strict/same-site-iframe", SAMESITE),
        sent("samesite/lax/same-site-iframe", SAMESITE),
        sent("samesite/none/same-site-iframe", SAMESITE),
        sent("samesite/unset/same-site-iframe", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/same-site-iframe", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/same-site-iframe", UNKNOWN_VALUE),
        sent("samesite/strict/same-site-fetch", SAMESITE),
        sent("samesite/lax/same-site-fetch", SAMESITE),
        sent("samesite/none/same-site-fetch", SAMESITE),
        sent("samesite/unset/same-site-fetch", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/same-site-fetch", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/same-site-fetch", UNKNOWN_VALUE),
        sent("samesite/strict/cross-site-link", SAMESITE),
        sent("samesite/lax/cross-site-link", SAMESITE),
        sent("samesite/none/cross-site-link", SAMESITE),
        sent("samesite/unset/cross-site-link", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/cross-site-link", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/cross-site-link", UNKNOWN_VALUE),
        sent("samesite/strict/cross-site-form-post", SAMESITE),
        sent("samesite/lax/cross-site-form-post", SAMESITE),
        sent("samesite/none/cross-site-form-post", SAMESITE),
        sent("samesite/unset/cross-site-form-post", LAX_ALLOWING_UNSAFE),
        sent("samesite/none_insecure/cross-site-form-post", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/cross-site-form-post", f"{UNKNOWN_VALUE}; {LAX_ALLOWING_UNSAFE}"),
        sent("samesite/strict/cross-site-iframe", SAMESITE),
        sent("samesite/lax/cross-site-iframe", SAMESITE),
        sent("samesite/none/cross-site-iframe", SAMESITE, **third_party()),
        sent("samesite/unset/cross-site-iframe", DEFAULT_ENFORCEMENT, **third_party(lax_by_default=True)),
        sent("samesite/none_insecure/cross-site-iframe", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE_3P),
        sent("samesite/bogus/cross-site-iframe", UNKNOWN_VALUE, **third_party(lax_by_default=True)),
        sent("samesite/strict/cross-site-fetch", SAMESITE),
        sent("samesite/lax/cross-site-fetch", SAMESITE),
        sent("samesite/none/cross-site-fetch", SAMESITE, **third_party()),
        sent("samesite/unset/cross-site-fetch", DEFAULT_ENFORCEMENT, **third_party(lax_by_default=True)),
        sent("samesite/none_insecure/cross-site-fetch", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE_3P),
        sent("samesite/bogus/cross-site-fetch", UNKNOWN_VALUE, **third_party(lax_by_default=True)),
        sent("samesite/strict/cross-site-img", SAMESITE),
        sent("samesite/lax/cross-site-img", SAMESITE),
        sent("samesite/none/cross-site-img", SAMESITE, **third_party()),
        sent("samesite/unset/cross-site-img", DEFAULT_ENFORCEMENT, **third_party(lax_by_default=True)),
        sent("samesite/none_insecure/cross-site-img", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE_3P),
        sent("samesite/bogus/cross-site-img", UNKNOWN_VALUE, **third_party(lax_by_default=True)),
        sent("samesite/strict/cross-site-redirect", REDIRECT, chromium=measured("chromium", True, REDIRECT)),
        sent("samesite/lax/cross-site-redirect", SAMESITE),
        sent("samesite/none/cross-site-redirect", SAMESITE),
        sent("samesite/unset/cross-site-redirect", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/cross-site-redirect", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/cross-site-redirect", UNKNOWN_VALUE),
        sent(
            "samesite/strict/https-to-http-link",
            SCHEMEFUL,
            firefox=measured("firefox", True, SCHEMEFUL),
            webkit=measured("webkit", True, SCHEMEFUL),
        ),
        sent("samesite/lax/https-to-http-link", SAMESITE),
        sent("samesite/none/https-to-http-link", SECURE_SEND),
        sent("samesite/unset/https-to-http-link", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/https-to-http-link", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/https-to-http-link", UNKNOWN_VALUE),
        sent(
            "samesite/strict/http-to-https-link",
            SCHEMEFUL,
            firefox=measured("firefox", True, SCHEMEFUL),
            webkit=measured("webkit", True, SCHEMEFUL),
        ),
        sent("samesite/lax/http-to-https-link", SAMESITE),
        sent("samesite/none/http-to-https-link", SAMESITE),
        sent("samesite/unset/http-to-https-link", DEFAULT_ENFORCEMENT),
        sent("samesite/none_insecure/http-to-https-link", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/http-to-https-link", UNKNOWN_VALUE),
        sent("samesite/strict/same-site-websocket", WEBSOCKET),
        sent("samesite/lax/same-site-websocket", WEBSOCKET),
        sent("samesite/none/same-site-websocket", WEBSOCKET),
        sent("samesite/unset/same-site-websocket", f"{WEBSOCKET}; {DEFAULT_ENFORCEMENT}"),
        sent("samesite/none_insecure/same-site-websocket", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE),
        sent("samesite/bogus/same-site-websocket", UNKNOWN_VALUE),
        sent("samesite/strict/cross-site-websocket", WEBSOCKET),
        sent("samesite/lax/cross-site-websocket", WEBSOCKET),
        sent(
            "samesite/none/cross-site-websocket",
            WEBSOCKET,
            **third_party(),
            firefox=FIREFOX_WEBSOCKET_UNPARTITIONED,
        ),
        sent(
            "samesite/unset/cross-site-websocket",
            f"{WEBSOCKET}; {DEFAULT_ENFORCEMENT}",
            **third_party(lax_by_default=True),
            firefox=FIREFOX_WEBSOCKET_UNPARTITIONED,
        ),
        sent("samesite/none_insecure/cross-site-websocket", NONE_NEEDS_SECURE, webkit=WEBKIT_NONE_INSECURE_3P),
        sent(
            "samesite/bogus/cross-site-websocket",
            UNKNOWN_VALUE,
            **third_party(lax_by_default=True),
            firefox=FIREFOX_WEBSOCKET_UNPARTITIONED,
        ),
    ]
)
# The engine's report of each cookie's SameSite (Playwright's Cookie.sameSite; WebKitGTK's
# cookie manager): not behaviour, but where no request context here tells SameSite=None from
# no attribute (third-party blocking hides both), this is the observation that does.
REPORTED_SPEC = f"{RFC} section 5.6.7 (the cookie's same-site-flag), as the engine reports it"
# libsoup 3.2 (Debian 12) has no "unset" state: its parser leaves same_site_policy at its zero
# value, SOUP_SAME_SITE_POLICY_NONE, so the stored cookie is the very one SameSite=None stores and
# no observation can tell the two apart. libsoup 3.3.0 made it Lax (commit efc5efba, 2022-11-15):
# a WebKitGTK on a newer libsoup fails this row, and the engine description names the libsoup.
LIBSOUP_LAX_DEFAULT = "https://gitlab.gnome.org/GNOME/libsoup/-/commit/efc5efba6db6478a5fcb8c938ef0dcd10b35b136"
WEBKIT_NO_DEFAULT = measured(
    "webkit",
    "None",
    "libsoup 3.2.3 stores a cookie without SameSite as SameSite=None (no unset state; Lax from libsoup 3.3.0, "
    f"{LIBSOUP_LAX_DEFAULT}): no observation tells it from SameSite=None",
)
# The reports name three values, Strict, Lax and None (Playwright's Cookie.sameSite, WebKitGTK's cookie manager);
# the spec's fourth, "Default" (no attribute, or an unknown value: section 5.6.7), has no name there, and the rows
# expect it reported as the default, Lax, as Chromium and Firefox report it (libsoup 3.2's None is WebKit's deviation).
REPORTED_AS = {"Default": "Lax"}


def reported(id: str, spec: str, rule: str, **deviations: Any) -> Row:
    """A row whose spec value is the model's same-site-flag for the cookie, as an engine's report names it."""
    flag = SPEC["reported"][split_id(id)[1][0]]
    return row(id, REPORTED_AS.get(flag, flag), spec, rule, **deviations)


REPORTED = check_rows([
    reported("samesite/strict/reported", REPORTED_SPEC, "A SameSite=Strict cookie is reported as Strict."),
    reported("samesite/lax/reported", REPORTED_SPEC, "A SameSite=Lax cookie is reported as Lax."),
    reported("samesite/none/reported", REPORTED_SPEC, "A SameSite=None; Secure cookie is reported as None."),
    reported("samesite/unset/reported", f"{REPORTED_SPEC}; 'Default' enforcement is reported as Lax",
             "A cookie without SameSite is reported with the default, Lax, not as None.", webkit=WEBKIT_NO_DEFAULT),
    reported("samesite/bogus/reported", f"{REPORTED_SPEC}; an unknown value gets the default",
             "A cookie with an unknown SameSite value is reported with the default, Lax.", webkit=WEBKIT_NO_DEFAULT),
])  # fmt: skip
STORED = [r for r in ROWS if r.parts[1] == "stored"]
SENT = [r for r in ROWS if r.parts[1] != "stored"]


@pytest.fixture(scope="module")
def observed(module_lab: Lab) -> dict[str, Any]:
    """context -> names of the cookies example.test received, plus what was stored."""
    return steps(module_lab)


@pytest.mark.parametrize("row", STORED, ids=str)
def test_samesite_cookie_is_stored(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """Which SameSite variants the engine accepts when set over https (a refusal with the engine's words)."""
    kept = row.parts[0] in observed["stored"]
    check(row, kept, why="" if kept else said(observed["refusals"], row.parts[0]))


@pytest.mark.parametrize("row", REPORTED, ids=str)
def test_samesite_reported(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """The SameSite the engine reports for the stored cookie: tells SameSite=None from no attribute."""
    check(row, observed["reported"].get(row.parts[0]))


@pytest.mark.parametrize("row", SENT, ids=str)
def test_samesite_cookie_sent(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """Whether the cookie is sent in this request context, per engine (one kept back, with the engine's words)."""
    name, context = row.parts
    assert observed["sent"][context] is not None, f"no request from {context} reached the server"
    sent = name in observed["sent"][context]
    # A cookie never stored is not sent for the reason it was not stored.
    stored_words = said(observed["refusals"], name) if name not in observed["stored"] else ""
    why = said(observed["withheld"].get(context), name) or stored_words
    check(row, sent, why="" if sent else why)


# Django's set_cookie(samesite=...): "Strict", "Lax", "None" (with secure=True) and no argument.
DJANGO_SETTINGS = ("strict", "lax", "none", "unset")
OVER_HTTP = {context for context, (steps, _) in CONTEXTS.items() if steps[2].startswith("http:")}
# Records in which no observation tells two settings apart, with the reason.
INDISTINGUISHABLE = {("webkit-2.50-webkitgtk", "none", "unset"): WEBKIT_NO_DEFAULT.source}


COMMITTED = Baselines(COMMITTED_FOLDER)


@pytest.mark.parametrize("record", sorted(str(key) for key in COMMITTED.records() if not key.folder))
@pytest.mark.parametrize(
    ("a", "b"), [pytest.param(a, b, id=f"{a}-vs-{b}") for a, b in itertools.combinations(DJANGO_SETTINGS, 2)]
)
def test_every_samesite_setting_changes_an_observation(record: str, a: str, b: str) -> None:
    """In each engine's committed record, some observation differs between two of Django's SameSite settings."""
    observed = COMMITTED.get(record)
    assert observed is not None, f"no committed record {record}"
    prefix = f"samesite/{a}/"
    differing = [
        case.removeprefix(prefix)
        for case, value in observed.items()
        if case.startswith(prefix)
        and case.removeprefix(prefix) not in OVER_HTTP  # there the None cookie's Secure decides, not SameSite
        and observed.get(f"samesite/{b}/" + case.removeprefix(prefix), value) != value
    ]
    why = INDISTINGUISHABLE.get((record, a, b))
    if why:
        assert not differing, f"{record} now tells {a} from {b} by {differing}, against: {why}"
    else:
        assert differing, f"{record}: no observation tells SameSite {a} from {b}; add a context that does"
