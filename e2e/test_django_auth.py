"""Django as shipped: login, logout, remember-me, session expiry and cross-site POST-backs, per settings profile.

The site's own LoginView and LogoutView on contrib.auth and contrib.sessions, with a
SQLite database made for the run (the `shipped_site` fixture). Each profile is a set of
Django settings switched for one test (pytest-django's `settings`: the site runs in this
process), never a browser restart. A row's id names the profile and the observation:
django-auth/<profile>/<observation>. Observed three ways: the server's view (the app's
JSON: who is logged in), the whole jar, and page script. Each row's spec value is its
observation of the same flow on the spec's user agent (flows.Modelled).
"""

import pathlib
import secrets
import urllib.parse
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest

from e2e.harness.flows import (
    DB,
    SESSION_NAME,
    Flows,
    Modelled,
    attributes,
    log_in,
    log_out,
    names,
    state,
    value,
)
from e2e.harness.network.closed import TestNetwork
from e2e.harness.network.hosts import ORIGIN, SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN, SECURE_SUBDOMAIN_ORIGIN
from e2e.harness.network.site_database import USERS
from e2e.harness.reasons import said_of
from e2e.harness.rows import RFC, Row, check_rows, secure_localhost_refused, split_id
from e2e.harness.runner import Backend, Lab, Script, lab_url
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import DEFAULT_ENFORCEMENT, HTTPONLY, SAMESITE
from e2e.harness.spec.sending import Request
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

Flow = Callable[[UserAgent], dict[str, Any]]  # a profile's steps: observation -> value

LOGIN = "Django docs: django.contrib.auth.login() (cycle_key: a new session key; rotate_token: a new CSRF token)"
LOGOUT = "Django docs: django.contrib.auth.logout() (session.flush(); an emptied session's cookie is deleted)"
SESSION_COOKIE = "Django docs: settings SESSION_COOKIE_* (defaults: sessionid, HttpOnly, SameSite=Lax, path /)"
SET_EXPIRY = "Django docs: SessionBase.set_expiry (0: until the browser closes; int seconds or timedelta)"
SECURE_FROM_HTTP = f"{RFC} section {storage_step(13)} (localhost is secure)"
SESSION_ENGINES: dict[str, dict[str, Any]] = {
    "db": {"SESSION_ENGINE": "django.contrib.sessions.backends.db"},
    "cached_db": {"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"},
    "signed_cookies": {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
    "file": {"SESSION_ENGINE": "django.contrib.sessions.backends.file"},
}
# The profile part of a POST-back row's id -> its settings.
POSTBACK_PROFILES: dict[str, dict[str, Any]] = {
    "postback-strict": {"SESSION_COOKIE_SAMESITE": "Strict"},
    "postback-lax": {"SESSION_COOKIE_SAMESITE": "Lax"},
    "postback-none-secure": {"SESSION_COOKIE_SAMESITE": "None", "SESSION_COOKIE_SECURE": True},
    "postback-unset": {"SESSION_COOKIE_SAMESITE": None},
}


def login_and_logout(lab: UserAgent) -> dict[str, Any]:
    """Login after an anonymous session, then logout: what each LOGIN_OBSERVATIONS entry looks at."""
    from django.conf import settings

    session, csrf = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    lab.go(lab_url(SECURE_ORIGIN, "session", value="before-login"))  # an anonymous session first
    session_before = value(lab, session)
    lab.go(f"{SECURE_ORIGIN}/app/login/")
    csrf_before = value(lab, csrf)
    answer = lab.submit("#login", username="alice", password=USERS["alice"], remember="")
    session_after = value(lab, session)
    old = import_module(settings.SESSION_ENGINE).SessionStore(session_before)
    observed = {
        "authenticated": answer["user"],
        "session-key-rotated": session_after is not None and session_after != session_before,
        "old-session-logged-out": "_auth_user_id" not in old.load(),
        "csrf-rotated": value(lab, csrf) not in (None, csrf_before),
        "session-cookie": attributes(lab, session),
        "csrf-cookie": attributes(lab, csrf),
        "script-sees-session": f"{session}=" in lab.script_read(SECURE_ORIGIN),
    }
    lab.go(f"{SECURE_ORIGIN}/app/private/")
    observed["private-page"] = lab.page_json()["user"]
    observed["logout-anonymous"] = log_out(lab, SECURE_ORIGIN)["user"]
    observed["logout-session-cookie-kept"] = session in names(lab)
    observed["logout-csrf-cookie-kept"] = csrf in names(lab)
    return observed


def _lifetime_hours(lab: UserAgent) -> Any:
    """The session cookie's lifetime in hours; None when there is no session cookie."""
    cookie = attributes(lab, SESSION_NAME)
    return None if cookie is None else cookie["lifetime_hours"]


def lifetime_after_login(remember: str) -> Flow:
    def flow(lab: UserAgent) -> dict[str, Any]:
        log_in(lab, SECURE_ORIGIN, remember=remember)
        return {"lifetime-hours": _lifetime_hours(lab)}

    return flow


def lifetime_of_a_session(lab: UserAgent) -> dict[str, Any]:
    lab.go(lab_url(SECURE_ORIGIN, "session", value="v"))
    return {"lifetime-hours": _lifetime_hours(lab)}


def sliding_expiry(lab: UserAgent) -> dict[str, Any]:
    """Two requests 1.5 s apart: does the stored expiry move on?"""
    lab.go(lab_url(SECURE_ORIGIN, "session", value="v"))
    (first,) = lab.stored(SESSION_NAME)
    lab.wait(1.5)  # expiry has one-second resolution: real time must pass (bounded)
    state(lab, SECURE_ORIGIN)
    (then,) = lab.stored(SESSION_NAME)
    return {"expiry-moves": then["expires"] > first["expires"]}


def login_over_http(origin: str) -> Flow:
    def flow(lab: UserAgent) -> dict[str, Any]:
        target = lab.network.loopback_origin("localhost") if origin == "localhost" else origin
        lab.hear_refusals()
        return {"logged-in": log_in(lab, target)["user"], "words": lab.refusals()}

    return flow


def post_back(lab: UserAgent) -> dict[str, Any]:
    """Logged in, then a page on https://other.test posts a form to the site's callback (under a token, which ties
    the user agent's words for each cookie the POST did not carry to it)."""
    log_in(lab, SECURE_ORIGIN, remember="yes")
    lab.hear_refusals()
    token = secrets.token_hex(8)
    lab.go(lab_url(SECURE_CROSS_SITE_ORIGIN, "embed", kind="form", url=f"{SECURE_ORIGIN}/app/callback/?t={token}"))
    lab.session.click_and_wait("#go button")
    return {"logged-in": lab.page_json()["user"], "words": lab.withheld(token)}


def wrong_password(lab: UserAgent) -> dict[str, Any]:
    lab.go(f"{SECURE_ORIGIN}/app/login/")
    lab.post("#login", username="alice", password="wrong")  # the form comes back with its errors
    return {"user": state(lab, SECURE_ORIGIN)["user"], "session-cookie-stored": SESSION_NAME in names(lab)}


def anonymous_private_page(lab: UserAgent) -> dict[str, Any]:
    lab.go(f"{SECURE_ORIGIN}/app/private/")
    landed = urllib.parse.urlsplit(lab.location())
    return {"private-page-redirect": f"{landed.path}?{landed.query}"}


def subdomain_user(lab: UserAgent) -> dict[str, Any]:
    log_in(lab, SECURE_ORIGIN)
    return {"subdomain-user": state(lab, SECURE_SUBDOMAIN_ORIGIN)["user"]}


TWO_PAGES_JS = """async () => {
  const frame = document.createElement('iframe');
  const load = () => new Promise((loaded) => { frame.onload = loaded; });
  const user = () => JSON.parse(frame.contentDocument.body.innerText).user;
  frame.src = '/app/state/';
  document.body.append(frame);
  await load();
  const before = user();
  await fetch('/app/logout/', {method: 'POST', body: new FormData(document.querySelector('#logout'))});
  frame.contentWindow.location.reload();
  await load();
  return [before, user()];
}"""


def two_pages_model(lab: SpecLab, _: Any) -> list[Any]:
    """TWO_PAGES_JS's requests: the same-origin frame's load, the logout fetch with the form's fields, the reload."""
    frame = Request(f"{SECURE_ORIGIN}/app/state/", site=SECURE_ORIGIN)
    before = lab.fetch(frame).json()["user"]
    logout = lab.form("#logout")
    lab.fetch(Request(logout.action, site=SECURE_ORIGIN, method="POST"), logout.fields)
    return [before, lab.fetch(frame).json()["user"]]


TWO_PAGES = Script(TWO_PAGES_JS, two_pages_model)


def two_pages(lab: UserAgent) -> dict[str, Any]:
    """A second page of the site (a same-origin frame stands in for a second tab) across a logout."""
    log_in(lab, SECURE_ORIGIN)
    lab.go(f"{SECURE_ORIGIN}/app/form/")
    before, after = lab.run(TWO_PAGES)
    return {"other-page-before-logout": before, "other-page-after-logout": after}


FLOWS = {
    **{profile: (engine, login_and_logout) for profile, engine in SESSION_ENGINES.items()},
    "remember-no": (DB, lifetime_after_login("")),
    "remember-30-days": (DB, lifetime_after_login("yes")),
    "remember-3600-seconds": (DB, lifetime_after_login("seconds")),
    "default-age": (DB, lifetime_of_a_session),
    "expire-at-browser-close": ({**DB, "SESSION_EXPIRE_AT_BROWSER_CLOSE": True}, lifetime_of_a_session),
    "save-every-request": ({**DB, "SESSION_SAVE_EVERY_REQUEST": True}, sliding_expiry),
    "save-when-modified": (DB, sliding_expiry),
    "secure-session-http-test-host": ({**DB, "SESSION_COOKIE_SECURE": True}, login_over_http(ORIGIN)),
    "secure-session-http-localhost": ({**DB, "SESSION_COOKIE_SECURE": True}, login_over_http("localhost")),
    **{profile: ({**DB, **settings}, post_back) for profile, settings in POSTBACK_PROFILES.items()},
    "wrong-password": (DB, wrong_password),
    "anonymous": (DB, anonymous_private_page),
    "session-domain-default": (DB, subdomain_user),
    "session-domain-shared": ({**DB, "SESSION_COOKIE_DOMAIN": ".example.test"}, subdomain_user),
    "two-pages": (DB, two_pages),
}


RESTART_REMEMBER = {"restart-browser-session": "", "restart-remember-me": "yes"}


def after_restart(lab: UserAgent) -> dict[str, Any]:
    """What survives a browser restart: the session cookie, the login."""
    return {
        "session-cookie-survives": SESSION_NAME in names(lab),
        "logged-in-after-restart": state(lab, SECURE_ORIGIN)["user"],
    }


def restart_on_spec(remember: str) -> Callable[[SpecLab], dict[str, Any]]:
    def flow(lab: SpecLab) -> dict[str, Any]:
        log_in(lab, SECURE_ORIGIN, remember=remember)
        return after_restart(lab.restarted())

    return flow


# Each row's spec value: the flows on the spec's user agent.
SPEC = Modelled({**FLOWS, **{name: (DB, restart_on_spec(remember)) for name, remember in RESTART_REMEMBER.items()}})


# observation -> (its source, the rule)
LOGIN_OBSERVATIONS = {
    "authenticated": (LOGIN, "After LoginView, the next page knows the user."),
    "session-key-rotated": (LOGIN, "Login gives the browser a new session key."),
    "old-session-logged-out": (LOGIN, "The session key from before login holds no login."),
    "csrf-rotated": (LOGIN, "Login gives the browser a new CSRF token."),
    "session-cookie": (
        f"{SESSION_COOKIE}; {SET_EXPIRY}",
        "Without remember-me (set_expiry(0)) the session cookie is a browser-session, HttpOnly, Lax cookie on /.",
    ),
    "script-sees-session": (f"{SESSION_COOKIE}; {HTTPONLY}", "Page script does not see the session cookie."),
    "logout-anonymous": (LOGOUT, "After LogoutView, the next page has no user."),
    "logout-session-cookie-kept": (LOGOUT, "Logout deletes the session cookie."),
    "logout-csrf-cookie-kept": (LOGOUT, "Logout keeps the CSRF cookie."),
    "private-page": (
        "Django docs: the login_required decorator",
        "After login, the login-required page opens.",
    ),
    "csrf-cookie": (
        "Django docs: settings CSRF_COOKIE_* (defaults: csrftoken, 52 weeks, not HttpOnly, Lax, path /)",
        "After login the rotated CSRF cookie keeps CSRF_COOKIE_*'s attributes: Lax, on /, 52 weeks, readable by script.",
    ),
}


def login_row(id: str, **deviations: Any) -> Row:
    profile, observation = split_id(id)[1]
    source, rule = LOGIN_OBSERVATIONS[observation]
    return SPEC.row(id, source, f"{rule[:-1]} ({profile} sessions).", **deviations)


LOGIN_ROWS = check_rows(
    [
        login_row("django-auth/db/authenticated"),
        login_row("django-auth/db/session-key-rotated"),
        login_row("django-auth/db/old-session-logged-out"),
        login_row("django-auth/db/csrf-rotated"),
        login_row("django-auth/db/session-cookie"),
        login_row("django-auth/db/script-sees-session"),
        login_row("django-auth/db/logout-anonymous"),
        login_row("django-auth/db/logout-session-cookie-kept"),
        login_row("django-auth/db/logout-csrf-cookie-kept"),
        login_row("django-auth/db/private-page"),
        login_row("django-auth/db/csrf-cookie"),
        login_row("django-auth/cached_db/authenticated"),
        login_row("django-auth/cached_db/session-key-rotated"),
        login_row("django-auth/cached_db/old-session-logged-out"),
        login_row("django-auth/cached_db/csrf-rotated"),
        login_row("django-auth/cached_db/session-cookie"),
        login_row("django-auth/cached_db/script-sees-session"),
        login_row("django-auth/cached_db/logout-anonymous"),
        login_row("django-auth/cached_db/logout-session-cookie-kept"),
        login_row("django-auth/cached_db/logout-csrf-cookie-kept"),
        login_row("django-auth/cached_db/private-page"),
        login_row("django-auth/cached_db/csrf-cookie"),
        login_row("django-auth/signed_cookies/authenticated"),
        login_row("django-auth/signed_cookies/session-key-rotated"),
        login_row("django-auth/signed_cookies/old-session-logged-out"),
        login_row("django-auth/signed_cookies/csrf-rotated"),
        login_row("django-auth/signed_cookies/session-cookie"),
        login_row("django-auth/signed_cookies/script-sees-session"),
        login_row("django-auth/signed_cookies/logout-anonymous"),
        login_row("django-auth/signed_cookies/logout-session-cookie-kept"),
        login_row("django-auth/signed_cookies/logout-csrf-cookie-kept"),
        login_row("django-auth/signed_cookies/private-page"),
        login_row("django-auth/signed_cookies/csrf-cookie"),
        login_row("django-auth/file/authenticated"),
        login_row("django-auth/file/session-key-rotated"),
        login_row("django-auth/file/old-session-logged-out"),
        login_row("django-auth/file/csrf-rotated"),
        login_row("django-auth/file/session-cookie"),
        login_row("django-auth/file/script-sees-session"),
        login_row("django-auth/file/logout-anonymous"),
        login_row("django-auth/file/logout-session-cookie-kept"),
        login_row("django-auth/file/logout-csrf-cookie-kept"),
        login_row("django-auth/file/private-page"),
        login_row("django-auth/file/csrf-cookie"),
    ]
)
EXPIRY = check_rows(
    [
        SPEC.row("django-auth/remember-no/lifetime-hours", SET_EXPIRY,
            "Login without remember-me (set_expiry(0)) gives a session cookie without expiry."),
        SPEC.row("django-auth/remember-30-days/lifetime-hours", SET_EXPIRY,
            "Login with set_expiry(timedelta(days=30)) gives a cookie that lives 30 days."),
        SPEC.row("django-auth/remember-3600-seconds/lifetime-hours", SET_EXPIRY,
            "Login with set_expiry(3600) gives a cookie that lives an hour."),
        SPEC.row("django-auth/default-age/lifetime-hours", SESSION_COOKIE,
            "A session without set_expiry lives SESSION_COOKIE_AGE, two weeks."),
        SPEC.row("django-auth/expire-at-browser-close/lifetime-hours",
            "Django docs: settings SESSION_EXPIRE_AT_BROWSER_CLOSE",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE gives a session cookie without expiry."),
        SPEC.row("django-auth/save-every-request/expiry-moves", "Django docs: settings SESSION_SAVE_EVERY_REQUEST",
            "With SESSION_SAVE_EVERY_REQUEST each request sends the cookie again, with its expiry moved on."),
        SPEC.row("django-auth/save-when-modified/expiry-moves", "Django docs: settings SESSION_SAVE_EVERY_REQUEST",
            "Without SESSION_SAVE_EVERY_REQUEST an unmodified session's expiry stays where it was."),
    ]
)  # fmt: skip


def session_row(id: str, source: str, rule: str, **deviations: Any) -> Row:
    """A row of whether the user is still logged in, where nobody (None) means the session cookie did not arrive."""
    return SPEC.refusal_row(id, source, rule, None, SESSION_NAME, **deviations)


SECURE_SESSION = check_rows(
    [
        session_row("django-auth/secure-session-http-test-host/logged-in", SECURE_FROM_HTTP,
            "With SESSION_COOKIE_SECURE, a login over http://example.test loses its session cookie."),
        session_row("django-auth/secure-session-http-localhost/logged-in", SECURE_FROM_HTTP,
            "With SESSION_COOKIE_SECURE, a login over http://localhost keeps its session cookie.",
            **secure_localhost_refused(None)),
    ]
)  # fmt: skip
POSTBACK = check_rows(
    [
        session_row("django-auth/postback-strict/logged-in", SAMESITE,
            "A cross-site POST-back does not carry a Strict session cookie."),
        session_row("django-auth/postback-lax/logged-in", SAMESITE,
            "A cross-site POST-back does not carry a Lax session cookie."),
        session_row("django-auth/postback-none-secure/logged-in", SAMESITE,
            "A cross-site POST-back carries a SameSite=None; Secure session cookie."),
        session_row("django-auth/postback-unset/logged-in", DEFAULT_ENFORCEMENT,
            "A cross-site POST-back right after login carries a session cookie sent without SameSite."),
    ]
)  # fmt: skip
OTHER = check_rows(
    [
        SPEC.row("django-auth/wrong-password/user", LOGIN, "A login with a wrong password logs nobody in."),
        SPEC.row("django-auth/wrong-password/session-cookie-stored", LOGIN,
            "A failed login sets no session cookie."),
        SPEC.row("django-auth/anonymous/private-page-redirect",
            "Django docs: the login_required decorator (redirect to LOGIN_URL with next)",
            "An anonymous visit to the login-required page is sent to the login page, with next."),
        SPEC.row("django-auth/session-domain-default/subdomain-user", SESSION_COOKIE,
            "By default the session cookie is host-only: www.example.test does not know the user."),
        SPEC.row("django-auth/session-domain-shared/subdomain-user",
            "Django docs: settings SESSION_COOKIE_DOMAIN (a cross-domain cookie)",
            "With SESSION_COOKIE_DOMAIN=.example.test, www.example.test knows the user too."),
        SPEC.row("django-auth/two-pages/other-page-before-logout", LOGIN,
            "Another page of the site, open beside the first, knows the logged-in user."),
        SPEC.row("django-auth/two-pages/other-page-after-logout", LOGOUT,
            "After a logout POSTed from one page, the other page's next load is anonymous."),
    ]
)  # fmt: skip
ROWS = [*LOGIN_ROWS, *EXPIRY, *SECURE_SESSION, *POSTBACK, *OTHER]


@pytest.fixture(scope="module")
def flows(shipped_site: pathlib.Path, module_lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Flows:
    """Each profile's flow, run once for the module on its jar (emptied first) under the profile's settings."""
    folder = str(tmp_path_factory.mktemp("sessions"))  # the file engine's folder
    return Flows(module_lab, FLOWS, base={"SESSION_FILE_PATH": folder})


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_django_auth(flows: Flows, check: Verdict, row: Row) -> None:
    """Each row: one observation of its profile's flow (login, logout, expiry, a POST-back ...) in this engine; where
    the session cookie did not arrive, the engine's words for refusing or keeping it back beside the value."""
    observed = flows(row.parts[0])
    value = observed[row.parts[1]]
    check(row, value, why=said_of(observed.get("words"), SESSION_NAME) if value is None else "")


RESTART = f"{RFC} section 5.7 (a cookie without Max-Age or Expires is removed when the session ends)"
RESTART_ROWS = check_rows(
    [
        SPEC.row("django-auth/restart-browser-session/session-cookie-survives", RESTART,
            "Without remember-me, the session cookie is gone after the browser restarts."),
        SPEC.row("django-auth/restart-browser-session/logged-in-after-restart", RESTART,
            "Without remember-me, the user is logged out by a browser restart."),
        SPEC.row("django-auth/restart-remember-me/session-cookie-survives", RESTART,
            "With remember-me (30 days), the session cookie survives a browser restart."),
        SPEC.row("django-auth/restart-remember-me/logged-in-after-restart", RESTART,
            "With remember-me, the user is still logged in after a browser restart."),
    ]
)  # fmt: skip


def _restart(backend: Backend, network: TestNetwork, profile: pathlib.Path, remember: str) -> dict[str, Any]:
    """Log in on a browser with a persistent profile, close it, open another on the same profile."""
    session = backend.persistent_session(profile)
    try:
        log_in(Lab(session, network), SECURE_ORIGIN, remember=remember)
    finally:
        session.close()
    session = backend.persistent_session(profile)
    try:
        return after_restart(Lab(session, network))
    finally:
        session.close()


@pytest.fixture(scope="module")
def restarts(
    shipped_site: pathlib.Path, backend: Backend, test_network: TestNetwork, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Each restart profile's observations: a browser closed and relaunched on its own persistent profile."""
    from django.test import override_settings

    with override_settings(**DB):
        return {
            name: _restart(backend, test_network, tmp_path_factory.mktemp(name), remember)
            for name, remember in RESTART_REMEMBER.items()
        }


@pytest.mark.parametrize("row", RESTART_ROWS, ids=str)
def test_django_auth_browser_restart(restarts: dict[str, dict[str, Any]], check: Verdict, row: Row) -> None:
    """Each row: which cookies and which login survive closing the browser and opening it on the same profile."""
    check(row, restarts[row.parts[0]][row.parts[1]])
