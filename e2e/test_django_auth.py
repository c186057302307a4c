"""Django as shipped: login, logout, remember-me, session expiry and cross-site POST-backs, per settings profile.

The site's own LoginView and LogoutView on contrib.auth and contrib.sessions, with a
SQLite database made for the run (the `shipped_site` fixture). Each profile is a set of
Django settings switched for one test (pytest-django's `settings`: the site runs in this
process), never a browser restart. A row's id names the profile and the observation:
django-auth/<profile>/<observation>. Observed three ways: the server's view (the app's
JSON: who is logged in), the whole jar, and page script.
"""

import time
from importlib import import_module

import pytest

from e2e.harness.flows import attributes, log_in, log_out, names, state, value
from e2e.harness.hosts import ORIGIN, SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN
from e2e.harness.rows import RFC, check_rows, measured, row
from e2e.harness.runner import lab_url
from e2e.harness.sections import DEFAULT_ENFORCEMENT, HTTPONLY, SAMESITE

LOGIN = "Django docs: django.contrib.auth.login() (cycle_key: a new session key; rotate_token: a new CSRF token)"
LOGOUT = "Django docs: django.contrib.auth.logout() (session.flush(); an emptied session's cookie is deleted)"
SESSION_COOKIE = "Django docs: settings SESSION_COOKIE_* (defaults: sessionid, HttpOnly, SameSite=Lax, path /)"
SET_EXPIRY = "Django docs: SessionBase.set_expiry (0: until the browser closes; int seconds or timedelta)"
SECURE_FROM_HTTP = (
    f"{RFC} section 5.7 step 13 (a Secure cookie from a non-secure origin is ignored; localhost is secure)"
)
SESSION_ENGINES = {
    "db": {"SESSION_ENGINE": "django.contrib.sessions.backends.db"},
    "cached_db": {"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"},
    "signed_cookies": {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
    "file": {"SESSION_ENGINE": "django.contrib.sessions.backends.file"},
}
BROWSER_SESSION = {"path": "/", "httpOnly": True, "secure": False, "sameSite": "Lax", "lifetime_hours": None}
WEBKIT_LOCALHOST = measured("webkit", None, "a Secure cookie from http://localhost is dropped (libsoup)")


# observation -> (the spec's value, its source, the rule)
LOGIN_OBSERVATIONS = {
    "authenticated": ("alice", LOGIN, "After LoginView, the next page knows the user."),
    "session-key-rotated": (True, LOGIN, "Login gives the browser a new session key."),
    "old-session-logged-out": (True, LOGIN, "The session key from before login holds no login."),
    "csrf-rotated": (True, LOGIN, "Login gives the browser a new CSRF token."),
    "session-cookie": (
        BROWSER_SESSION,
        f"{SESSION_COOKIE}; {SET_EXPIRY}",
        "Without remember-me (set_expiry(0)) the session cookie is a browser-session, HttpOnly, Lax cookie on /.",
    ),
    "script-sees-session": (False, f"{SESSION_COOKIE}; {HTTPONLY}", "Page script does not see the session cookie."),
    "logout-anonymous": (None, LOGOUT, "After LogoutView, the next page has no user."),
    "logout-session-cookie-kept": (False, LOGOUT, "Logout deletes the session cookie."),
    "logout-csrf-cookie-kept": (True, LOGOUT, "Logout keeps the CSRF cookie."),
}


def login_row(id, **deviations):
    _, profile, observation = id.split("/")
    expect, spec, rule = LOGIN_OBSERVATIONS[observation]
    return row(id, expect, spec, f"{rule[:-1]} ({profile} sessions).", **deviations)


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
        login_row("django-auth/cached_db/authenticated"),
        login_row("django-auth/cached_db/session-key-rotated"),
        login_row("django-auth/cached_db/old-session-logged-out"),
        login_row("django-auth/cached_db/csrf-rotated"),
        login_row("django-auth/cached_db/session-cookie"),
        login_row("django-auth/cached_db/script-sees-session"),
        login_row("django-auth/cached_db/logout-anonymous"),
        login_row("django-auth/cached_db/logout-session-cookie-kept"),
        login_row("django-auth/cached_db/logout-csrf-cookie-kept"),
        login_row("django-auth/signed_cookies/authenticated"),
        login_row("django-auth/signed_cookies/session-key-rotated"),
        login_row("django-auth/signed_cookies/old-session-logged-out"),
        login_row("django-auth/signed_cookies/csrf-rotated"),
        login_row("django-auth/signed_cookies/session-cookie"),
        login_row("django-auth/signed_cookies/script-sees-session"),
        login_row("django-auth/signed_cookies/logout-anonymous"),
        login_row("django-auth/signed_cookies/logout-session-cookie-kept"),
        login_row("django-auth/signed_cookies/logout-csrf-cookie-kept"),
        login_row("django-auth/file/authenticated"),
        login_row("django-auth/file/session-key-rotated"),
        login_row("django-auth/file/old-session-logged-out"),
        login_row("django-auth/file/csrf-rotated"),
        login_row("django-auth/file/session-cookie"),
        login_row("django-auth/file/script-sees-session"),
        login_row("django-auth/file/logout-anonymous"),
        login_row("django-auth/file/logout-session-cookie-kept"),
        login_row("django-auth/file/logout-csrf-cookie-kept"),
    ]
)
EXPIRY = check_rows(
    [
        row("django-auth/remember-no/lifetime-hours", None, SET_EXPIRY,
            "Login without remember-me (set_expiry(0)) gives a session cookie without expiry."),
        row("django-auth/remember-30-days/lifetime-hours", 720, SET_EXPIRY,
            "Login with set_expiry(timedelta(days=30)) gives a cookie that lives 30 days."),
        row("django-auth/remember-3600-seconds/lifetime-hours", 1, SET_EXPIRY,
            "Login with set_expiry(3600) gives a cookie that lives an hour."),
        row("django-auth/default-age/lifetime-hours", 336, SESSION_COOKIE,
            "A session without set_expiry lives SESSION_COOKIE_AGE, two weeks."),
        row("django-auth/expire-at-browser-close/lifetime-hours", None,
            "Django docs: settings SESSION_EXPIRE_AT_BROWSER_CLOSE",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE gives a session cookie without expiry."),
        row("django-auth/save-every-request/expiry-moves", True, "Django docs: settings SESSION_SAVE_EVERY_REQUEST",
            "With SESSION_SAVE_EVERY_REQUEST each request sends the cookie again, with its expiry moved on."),
        row("django-auth/save-when-modified/expiry-moves", False, "Django docs: settings SESSION_SAVE_EVERY_REQUEST",
            "Without SESSION_SAVE_EVERY_REQUEST an unmodified session's expiry stays where it was."),
    ]
)  # fmt: skip
SECURE_SESSION = check_rows(
    [
        row("django-auth/secure-session-http-test-host/logged-in", None, SECURE_FROM_HTTP,
            "With SESSION_COOKIE_SECURE, a login over http://example.test loses its session cookie."),
        row("django-auth/secure-session-http-localhost/logged-in", "alice", SECURE_FROM_HTTP,
            "With SESSION_COOKIE_SECURE, a login over http://localhost keeps its session cookie.",
            webkit=WEBKIT_LOCALHOST),
    ]
)  # fmt: skip
# The profile part of a POST-back row's id -> its settings.
POSTBACK_PROFILES = {
    "postback-strict": {"SESSION_COOKIE_SAMESITE": "Strict"},
    "postback-lax": {"SESSION_COOKIE_SAMESITE": "Lax"},
    "postback-none-secure": {"SESSION_COOKIE_SAMESITE": "None", "SESSION_COOKIE_SECURE": True},
    "postback-unset": {"SESSION_COOKIE_SAMESITE": None},
}
POSTBACK = check_rows(
    [
        row("django-auth/postback-strict/logged-in", None, SAMESITE,
            "A cross-site POST-back does not carry a Strict session cookie."),
        row("django-auth/postback-lax/logged-in", None, SAMESITE,
            "A cross-site POST-back does not carry a Lax session cookie."),
        row("django-auth/postback-none-secure/logged-in", "alice", SAMESITE,
            "A cross-site POST-back carries a SameSite=None; Secure session cookie."),
        row("django-auth/postback-unset/logged-in", "alice", DEFAULT_ENFORCEMENT,
            "A cross-site POST-back right after login carries a session cookie sent without SameSite."),
    ]
)  # fmt: skip
DB = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _site(shipped_site, settings, tmp_path):
    settings.SESSION_ENGINE = DB
    settings.SESSION_FILE_PATH = str(tmp_path)  # the file engine's folder, this test's own


@pytest.mark.parametrize("profile", SESSION_ENGINES)
def test_login_and_logout(lab, check, settings, profile):
    """Login rotates the session key and the CSRF token and logs the user in; logout deletes the session cookie."""
    for key, setting in SESSION_ENGINES[profile].items():
        setattr(settings, key, setting)
    rows = {r.parts[1]: r for r in LOGIN_ROWS if r.parts[0] == profile}
    lab.go(lab_url(SECURE_ORIGIN, "session", value="before-login"))  # an anonymous session first
    session_before = value(lab, settings.SESSION_COOKIE_NAME)
    lab.go(f"{SECURE_ORIGIN}/app/login/")
    csrf_before = value(lab, settings.CSRF_COOKIE_NAME)
    answer = lab.submit("#login", username="alice", password="alice-password", remember="")
    session_after = value(lab, settings.SESSION_COOKIE_NAME)
    check(rows["authenticated"], answer["user"])
    check(rows["session-key-rotated"], session_after is not None and session_after != session_before)
    old = import_module(settings.SESSION_ENGINE).SessionStore(session_before)
    check(rows["old-session-logged-out"], "_auth_user_id" not in old.load())
    check(rows["csrf-rotated"], value(lab, settings.CSRF_COOKIE_NAME) not in (None, csrf_before))
    check(rows["session-cookie"], attributes(lab, settings.SESSION_COOKIE_NAME))
    check(rows["script-sees-session"], f"{settings.SESSION_COOKIE_NAME}=" in lab.script_read(SECURE_ORIGIN))
    check(rows["logout-anonymous"], log_out(lab, SECURE_ORIGIN)["user"])
    check(rows["logout-session-cookie-kept"], settings.SESSION_COOKIE_NAME in names(lab))
    check(rows["logout-csrf-cookie-kept"], settings.CSRF_COOKIE_NAME in names(lab))


@pytest.mark.parametrize(
    "row, remember", [(EXPIRY[0], ""), (EXPIRY[1], "yes"), (EXPIRY[2], "seconds")], ids=["no", "30-days", "3600-s"]
)
def test_remember_me_sets_the_lifetime(lab, check, row, remember):
    """The app's remember-me choice is set_expiry(0), set_expiry(timedelta(days=30)) or set_expiry(3600)."""
    log_in(lab, SECURE_ORIGIN, remember=remember)
    check(row, attributes(lab, "sessionid")["lifetime_hours"])


@pytest.mark.parametrize("row, at_close", [(EXPIRY[3], False), (EXPIRY[4], True)], ids=["default", "at-close"])
def test_session_lifetime_setting(lab, check, settings, row, at_close):
    """SESSION_COOKIE_AGE by default; SESSION_EXPIRE_AT_BROWSER_CLOSE: no expiry at all."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = at_close
    lab.go(lab_url(SECURE_ORIGIN, "session", value="v"))
    check(row, attributes(lab, "sessionid")["lifetime_hours"])


@pytest.mark.parametrize("row, every", [(EXPIRY[5], True), (EXPIRY[6], False)], ids=["every", "modified"])
def test_sliding_expiry(lab, check, settings, row, every):
    """Requests over 2.5 s: the stored expiry moves on only under SESSION_SAVE_EVERY_REQUEST."""
    settings.SESSION_SAVE_EVERY_REQUEST = every
    lab.go(lab_url(SECURE_ORIGIN, "session", value="v"))
    (first,) = lab.stored("sessionid")
    # Expiry has one-second resolution: real time must pass (bounded), requesting all the while.
    until = time.monotonic() + 2.5
    moved = False
    while not moved and time.monotonic() < until:
        state(lab, SECURE_ORIGIN)
        (now,) = lab.stored("sessionid")
        moved = now["expires"] > first["expires"]
    check(row, moved)


@pytest.mark.parametrize(
    "row, origin", [(SECURE_SESSION[0], ORIGIN), (SECURE_SESSION[1], "localhost")], ids=["test-host", "localhost"]
)
def test_secure_session_cookie_over_http(lab, check, settings, test_network, row, origin):
    """SESSION_COOKIE_SECURE with a login over http: logged in only where http counts as secure (localhost)."""
    settings.SESSION_COOKIE_SECURE = True
    origin = test_network.loopback_origin(origin) if origin == "localhost" else origin
    check(row, log_in(lab, origin)["user"])


@pytest.mark.parametrize("row", POSTBACK, ids=str)
def test_cross_site_post_back(lab, check, settings, row):
    """Logged in, then a page on https://other.test posts a form to the site's callback: is the user known there?"""
    for key, setting in POSTBACK_PROFILES[row.parts[0]].items():
        setattr(settings, key, setting)
    log_in(lab, SECURE_ORIGIN, remember="yes")
    lab.go(lab_url(SECURE_CROSS_SITE_ORIGIN, "embed", kind="form", url=f"{SECURE_ORIGIN}/app/callback/"))
    lab.session.click_and_wait("#go button")
    check(row, lab.page_json()["user"])
