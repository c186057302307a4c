"""Saved and restored sessions: what a test tool's own cookie API keeps when a suite saves a logged-in session and
restores it elsewhere, as suites do to log in once (Playwright's storageState; Selenium's get_cookies/add_cookie).

The site sets a cookie of each kind (host-only, Domain, Path, Secure, HttpOnly, persistent, each SameSite value,
Partitioned, one on http://localhost) and Django logs alice in. The client's API saves the session (Playwright:
BrowserContext.storage_state(); WebDriver and Marionette: Get All Cookies on a page of each origin, since it
answers for the current document only) and a new session gets it back (Playwright: new_context(storage_state=...);
WebDriver and Marionette: a new browser, Add Cookie on a page of the origin each was read on). Then, per cookie:
is it in the new jar, which fields of its record (domain, path, expiry, flags) changed, is it sent where it was, and is it
gone after the API's "clear all cookies". And: is alice still logged in. A row's id is
saved-session/<cookie>/<aspect>; its spec value is the spec's user agent's run of the same steps, where a restore
keeps every cookie as it was: what both APIs say they are for.

Sources: Playwright's docs (BrowserContext.storage_state: "the storage state for this browser context ...
cookies"; Browser.new_context storage_state: "populates context with given storage state"); W3C WebDriver
section 14 (Cookies: Get All Cookies, Add Cookie, Delete All Cookies). Reported losses: microsoft/playwright
#35712 (WebKit dropped Secure cookies in the round trip), #39381 (localhost cookies), #36168 (partition keys),
cypress-io/cypress #29265 (clear all cookies left partitioned cookies).
"""

from typing import Any

import pytest

from e2e.harness.flows import DB, Modelled, log_in, state
from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN, SUBDOMAIN_ORIGIN
from e2e.harness.rows import MEASURED, MEASURED_OLDER, Deviation, Row, check_rows, row, split_id
from e2e.harness.runner import Backend, Lab
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

LOCALHOST = "localhost"  # the cookie set on http://localhost (the site's first loopback port)
# name -> (where it is set, how: set_cookie arguments or a raw Set-Cookie line, where "sent" is observed, path)
COOKIES: dict[str, tuple[str, dict[str, Any] | str, str, str]] = {
    "ss_host": (ORIGIN, {}, SUBDOMAIN_ORIGIN, ""),
    "ss_domain": (ORIGIN, {"domain": "example.test"}, SUBDOMAIN_ORIGIN, ""),
    "ss_path": (ORIGIN, {"path": "/a/"}, ORIGIN, "/a/"),
    "ss_secure": (SECURE_ORIGIN, {"secure": True}, SECURE_ORIGIN, ""),
    "ss_httponly": (SECURE_ORIGIN, {"httponly": True}, SECURE_ORIGIN, ""),
    "ss_persistent": (SECURE_ORIGIN, {"max_age": 86400}, SECURE_ORIGIN, ""),
    "ss_lax": (SECURE_ORIGIN, {"samesite": "Lax"}, SECURE_ORIGIN, ""),
    "ss_strict": (SECURE_ORIGIN, {"samesite": "Strict"}, SECURE_ORIGIN, ""),
    "ss_none": (SECURE_ORIGIN, {"samesite": "None", "secure": True}, SECURE_ORIGIN, ""),
    "ss_partitioned": (
        SECURE_ORIGIN,
        "ss_partitioned=1; Secure; SameSite=None; Path=/; Partitioned",
        SECURE_ORIGIN,
        "",
    ),
    "ss_localhost": (LOCALHOST, {}, LOCALHOST, ""),
    "sessionid": (SECURE_ORIGIN, "Django's login", SECURE_ORIGIN, ""),
    "csrftoken": (SECURE_ORIGIN, "Django's login", SECURE_ORIGIN, ""),
}
KINDS = {
    "ss_host": "A host-only cookie of http://example.test",
    "ss_domain": "A Domain=example.test cookie",
    "ss_path": "A Path=/a/ cookie",
    "ss_secure": "A Secure cookie",
    "ss_httponly": "An HttpOnly cookie",
    "ss_persistent": "A cookie with Max-Age one day",
    "ss_lax": "A SameSite=Lax cookie",
    "ss_strict": "A SameSite=Strict cookie",
    "ss_none": "A SameSite=None; Secure cookie",
    "ss_partitioned": "A Partitioned cookie (set top-level)",
    "ss_localhost": "A cookie of http://localhost",
    "sessionid": "Django's session cookie after login",
    "csrftoken": "Django's CSRF cookie after login",
}
EXPIRY_SLACK = 2  # seconds a restored expiry may move: APIs round it, and the save and restore take time


class SavedBy:
    """The client's own API (save, restore into a new session, clear all): on a browser, its backend's."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.opened: list[Any] = []  # sessions restored here, closed by the fixture

    def restore(self, lab: Lab) -> tuple[UserAgent, dict[str, str]]:
        saved = lab.session.save_cookies([origin_of(lab, o) for o in SAVED_AT])
        session, refused = self.backend.restored_session(saved)
        self.opened.append(session)
        return Lab(session, lab.network), refused

    def clear(self, lab: Lab) -> None:
        lab.session.clear_by_api([origin_of(lab, o) for o in SAVED_AT])


class SpecSaved:
    """The same on the spec's user agent: a restore keeps every cookie; clear all removes every one."""

    def restore(self, lab: SpecLab) -> tuple[UserAgent, dict[str, str]]:
        return lab.restored(), {}

    def clear(self, lab: SpecLab) -> None:
        lab.clear_by_api()


SAVED_AT = (SECURE_ORIGIN, ORIGIN, LOCALHOST)  # the pages WebDriver's Get All Cookies is asked on, in order


def origin_of(lab: UserAgent, origin: str) -> str:
    return lab.network.loopback_origin("localhost") if origin == LOCALHOST else origin


def look(lab: UserAgent) -> dict[str, dict[str, Any]]:
    """name -> its stored record (None: not stored) and whether it is sent where COOKIES says."""
    stored = {c["name"]: c for c in lab.stored()}
    sent: dict[tuple[str, str], set[str]] = {}
    for where, path in {(seen, path) for _, _, seen, path in COOKIES.values()}:
        sent[(where, path)] = set(lab.sent(origin_of(lab, where), path)["cookies"])
    return {
        name: {"record": stored.get(name), "sent": name in sent[(seen, path)]}
        for name, (_, _, seen, path) in COOKIES.items()
    }


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str] | None:
    """The fields of one cookie's record that the round trip changed ([]: none; an expiry may move by
    EXPIRY_SLACK seconds); None where it is missing on either side."""
    if before is None or after is None:
        return None
    moved = [field for field in before if field != "expires" and before[field] != after[field]]
    start, end = before["expires"], after["expires"]
    if (start is None) != (end is None) or (start is not None and abs(start - end) > EXPIRY_SLACK):
        moved.append("expires")
    return sorted(moved)


def round_trip(lab: UserAgent, api: Any) -> dict[str, Any]:
    """Set every cookie, log in, save and restore through api, then clear through it: observation -> value."""
    for name, (where, how, _, _) in COOKIES.items():
        if isinstance(how, dict):
            lab.set(origin_of(lab, where), {"name": name, "value": "1", **how})
        elif name.startswith("ss_"):
            lab.raw(origin_of(lab, where), how)
    log_in(lab, SECURE_ORIGIN)
    before = look(lab)
    key = lab.partition_keys("ss_partitioned")
    restored, refused = api.restore(lab)
    after = look(restored)
    observed_key = restored.partition_keys("ss_partitioned")
    observed: dict[str, Any] = {"login/logged-in": state(restored, SECURE_ORIGIN)["user"]}
    api.clear(restored)
    cleared = {c["name"] for c in restored.stored()}
    for name in COOKIES:
        observed[f"{name}/kept"] = after[name]["record"] is not None
        observed[f"{name}/changed"] = changed(before[name]["record"], after[name]["record"])
        observed[f"{name}/sent"] = after[name]["sent"]
        observed[f"{name}/cleared"] = name not in cleared
    observed["ss_partitioned/partition-key"] = (
        "not reported" if key in ([], [None]) else "kept" if observed_key == key else "lost"
    )
    observed["refused"] = refused
    return observed


SPEC = Modelled({"round-trip": (DB, lambda lab: round_trip(lab, SpecSaved()))})["round-trip"]
PLAYWRIGHT_DOCS = "Playwright docs: BrowserContext.storage_state, Browser.new_context(storage_state=)"
WEBDRIVER = "W3C WebDriver section 14 (Get All Cookies, Add Cookie, Delete All Cookies)"
SOURCE = f"{PLAYWRIGHT_DOCS}; {WEBDRIVER}"
ASPECTS = {
    "kept": "is in the restored session's jar",
    "changed": "keeps its value, domain, path, expiry, Secure, HttpOnly and SameSite (the fields that changed)",
    "sent": "is sent where it was before (a top-level load of the page that shows it)",
    "cleared": "is gone after the API's clear-all-cookies",
}


# WebDriver's round trip loses what its cookie record cannot say (W3C WebDriver section 14): a serialized cookie has
# no host-only flag, and Add Cookie with the domain Get All Cookies gave makes a Domain cookie; Get All Cookies
# answers for the current document, so a cookie of a deeper path is not saved from a page at /.
HOST_ONLY_LOST = "Add Cookie with the domain Get All Cookies gave makes a host-only cookie a Domain cookie"
PATH_UNSAVED = "Get All Cookies on a page at / does not return a Path=/a/ cookie (the current document's only)"
LOCALHOST_REFUSED = "Add Cookie on http://localhost fails with NS_ERROR_ILLEGAL_VALUE (nsICookieManager.add)"
SAMESITE_SET = "a cookie without SameSite comes back from Get All Cookies as SameSite=None and is added so"
NOT_REPORTED = "the client reports no partition key (Playwright's Firefox over BiDi, WebDriver, Marionette)"


def over_webdriver(value: Any, why: str) -> dict[str, Deviation]:
    """WebKitGTK over WebDriver and Firefox ESR 140 over Marionette, both WebDriver's cookie commands."""
    return {
        "webkit": Deviation(value, f"{MEASURED['webkit']}; {why}", backends=("webdriver",)),
        "firefox": Deviation(value, f"{MEASURED_OLDER['firefox']}; {why}", backends=("marionette",)),
    }


def on_marionette(value: Any, why: str) -> dict[str, Deviation]:
    return {"firefox": Deviation(value, f"{MEASURED_OLDER['firefox']}; {why}", backends=("marionette",))}


def each(webkit: Any, firefox: Any, why: str) -> dict[str, Deviation]:
    """Deviations whose values differ between WebKitGTK (WebDriver) and Firefox ESR 140 (Marionette)."""
    return over_webdriver(webkit, why) | on_marionette(firefox, why)


def domain_lost(samesite_too: bool = False) -> dict[str, Deviation]:
    """A host-only cookie's changed row: its domain, and on Marionette its SameSite where it had none."""
    if not samesite_too:
        return over_webdriver(["domain"], HOST_ONLY_LOST)
    return each(["domain"], ["domain", "sameSite"], f"{HOST_ONLY_LOST}; {SAMESITE_SET}")


def saved(id: str, **deviations: Any) -> Row:
    name, aspect = split_id(id)[1]
    value = SPEC[f"{name}/{aspect}"]
    rule = f"{KINDS[name]} saved and restored by the client's API {ASPECTS[aspect]}."
    if aspect == "sent" and not value:
        rule = f"{KINDS[name]} is not sent there before the round trip, nor after it."
    return row(id, value, SOURCE, rule, **deviations)


ROWS = check_rows(
    [
        saved("saved-session/ss_host/kept"),
        saved("saved-session/ss_host/changed", **domain_lost(samesite_too=True)),
        saved("saved-session/ss_host/sent", **over_webdriver(True, HOST_ONLY_LOST)),
        saved("saved-session/ss_host/cleared"),
        saved("saved-session/ss_domain/kept"),
        saved("saved-session/ss_domain/changed", **on_marionette(["sameSite"], SAMESITE_SET)),
        saved("saved-session/ss_domain/sent"),
        saved("saved-session/ss_domain/cleared"),
        saved("saved-session/ss_path/kept", **over_webdriver(False, PATH_UNSAVED)),
        saved("saved-session/ss_path/changed", **over_webdriver(None, PATH_UNSAVED)),
        saved("saved-session/ss_path/sent", **over_webdriver(False, PATH_UNSAVED)),
        saved("saved-session/ss_path/cleared"),
        saved("saved-session/ss_secure/kept"),
        saved("saved-session/ss_secure/changed", **domain_lost(samesite_too=True)),
        saved("saved-session/ss_secure/sent"),
        saved("saved-session/ss_secure/cleared"),
        saved("saved-session/ss_httponly/kept"),
        saved("saved-session/ss_httponly/changed", **domain_lost(samesite_too=True)),
        saved("saved-session/ss_httponly/sent"),
        saved("saved-session/ss_httponly/cleared"),
        saved("saved-session/ss_persistent/kept"),
        saved("saved-session/ss_persistent/changed", **domain_lost(samesite_too=True)),
        saved("saved-session/ss_persistent/sent"),
        saved("saved-session/ss_persistent/cleared"),
        saved("saved-session/ss_lax/kept"),
        saved("saved-session/ss_lax/changed", **domain_lost()),
        saved("saved-session/ss_lax/sent"),
        saved("saved-session/ss_lax/cleared"),
        saved("saved-session/ss_strict/kept"),
        saved("saved-session/ss_strict/changed", **domain_lost()),
        saved("saved-session/ss_strict/sent"),
        saved("saved-session/ss_strict/cleared"),
        saved("saved-session/ss_none/kept"),
        saved("saved-session/ss_none/changed", **domain_lost()),
        saved("saved-session/ss_none/sent"),
        saved("saved-session/ss_none/cleared"),
        saved("saved-session/ss_partitioned/kept"),
        saved("saved-session/ss_partitioned/changed", **domain_lost()),
        saved("saved-session/ss_partitioned/sent"),
        saved("saved-session/ss_partitioned/cleared"),
        saved("saved-session/ss_localhost/kept", **on_marionette(False, LOCALHOST_REFUSED)),
        saved("saved-session/ss_localhost/changed", **each(["domain"], None, f"{HOST_ONLY_LOST}; {LOCALHOST_REFUSED}")),
        saved("saved-session/ss_localhost/sent", **on_marionette(False, LOCALHOST_REFUSED)),
        saved("saved-session/ss_localhost/cleared"),
        saved("saved-session/sessionid/kept"),
        saved("saved-session/sessionid/changed", **domain_lost()),
        saved("saved-session/sessionid/sent"),
        saved("saved-session/sessionid/cleared"),
        saved("saved-session/csrftoken/kept"),
        saved("saved-session/csrftoken/changed", **domain_lost()),
        saved("saved-session/csrftoken/sent"),
        saved("saved-session/csrftoken/cleared"),
        row(
            "saved-session/ss_partitioned/partition-key",
            SPEC["ss_partitioned/partition-key"],
            f"{SOURCE}; CHIPS section 2.1 (a Partitioned cookie's key is its top-level site)",
            "The Partitioned cookie keeps its partition key through the round trip (kept, lost, or not reported by "
            "the client).",
            firefox=Deviation("not reported", f"{MEASURED['firefox']}; {NOT_REPORTED}"),
            webkit=Deviation("not reported", f"{MEASURED['webkit']}; {NOT_REPORTED}"),
        ),
        row(
            "saved-session/login/logged-in",
            SPEC["login/logged-in"],
            f"{SOURCE}; Django docs: django.contrib.auth (the session cookie carries the login)",
            "The Django user logged in before the save is logged in in the restored session.",
        ),
    ]
)


@pytest.fixture(scope="module")
def observed(shipped_site: Any, backend: Backend, test_network: Any) -> dict[str, Any]:
    from django.test import override_settings

    api = SavedBy(backend)
    session = backend.new_session()
    try:
        with override_settings(**DB):
            return round_trip(Lab(session, test_network), api)
    finally:
        for opened in [session, *api.opened]:
            opened.close()


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_saved_session(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """Each row: one cookie through the client's save, restore and clear, per engine."""
    name, aspect = row.parts
    refused = observed["refused"].get(name)
    check(row, observed[f"{name}/{aspect}"], why=f"Add Cookie: {refused}" if refused and aspect == "kept" else "")
