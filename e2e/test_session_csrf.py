"""Django's own cookies: the session and CSRF cookies under their settings.

The site runs in this process, so pytest-django's `settings` fixture changes
what the live server sends for the duration of one test.
"""

import pytest

from e2e.harness.flows import attributes
from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.rows import check_rows, row
from e2e.harness.runner import lab_url
from e2e.harness.spec.sections import HTTPONLY

SESSION = "Django docs: settings SESSION_COOKIE_* (defaults: sessionid, 2 weeks, HttpOnly, Lax, path /)"
CSRF = "Django docs: settings CSRF_COOKIE_* (defaults: csrftoken, 52 weeks, not HttpOnly, Lax, path /)"
READ_BACK = f"{SESSION}; signed_cookies session engine"


def _attrs(http_only, lifetime_hours, path, same_site, secure):
    return {
        "httpOnly": http_only,
        "lifetime_hours": lifetime_hours,
        "path": path,
        "sameSite": same_site,
        "secure": secure,
    }


SESSION_SETTINGS = {
    "defaults": {},
    "renamed-strict-secure": {
        "SESSION_COOKIE_NAME": "labsession",
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_PATH": "/s",
    },
    "browser-session": {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True, "SESSION_COOKIE_HTTPONLY": False},
}
CSRF_SETTINGS = {
    "defaults": {},
    "httponly-strict": {"CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Strict", "CSRF_COOKIE_NAME": "labcsrf"},
}
ROWS = check_rows(
    [
        row(
            "django/session-defaults/attributes",
            _attrs(True, 336, "/", "Lax", False),
            SESSION,
            "With default settings the session cookie is HttpOnly, Lax, on /, for two weeks.",
        ),
        row(
            "django/session-renamed-strict-secure/attributes",
            _attrs(True, 336, "/s", "Strict", True),
            SESSION,
            "SESSION_COOKIE_NAME, _SAMESITE, _SECURE and _PATH set the session cookie's attributes.",
        ),
        row(
            "django/session-browser-session/attributes",
            _attrs(False, None, "/", "Lax", False),
            f"{SESSION}; SESSION_EXPIRE_AT_BROWSER_CLOSE sends no expiry",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE makes the session cookie a browser-session cookie.",
        ),
        row(
            "django/session-defaults/read-back",
            {"value": "v1"},
            READ_BACK,
            "The session value comes back on the next request.",
        ),
        row(
            "django/session-renamed-strict-secure/read-back",
            {"value": "v1"},
            READ_BACK,
            "A renamed, Strict, Secure session on /s comes back on the next request under /s.",
        ),
        row(
            "django/session-browser-session/read-back",
            {"value": "v1"},
            READ_BACK,
            "A browser-session session cookie comes back on the next request.",
        ),
        row(
            "django/csrf-defaults/attributes",
            _attrs(False, 8736, "/", "Lax", False),
            CSRF,
            "With default settings the CSRF cookie is readable by script, Lax, on /, for 52 weeks.",
        ),
        row(
            "django/csrf-httponly-strict/attributes",
            _attrs(True, 8736, "/", "Strict", False),
            CSRF,
            "CSRF_COOKIE_HTTPONLY and _SAMESITE set the CSRF cookie's attributes.",
        ),
        row(
            "django/csrf-defaults/script-sees",
            True,
            f"{CSRF}; {HTTPONLY}",
            "Page script can read the default CSRF cookie.",
        ),
        row(
            "django/csrf-httponly-strict/script-sees",
            False,
            f"{CSRF}; {HTTPONLY}",
            "Page script cannot read an HttpOnly CSRF cookie.",
        ),
        row(
            "django/csrf-use-sessions/cookies",
            ["sessionid"],
            "Django docs: settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS the token lives in the session: no CSRF cookie.",
        ),
    ]
)


def rows_for(case):
    """This settings case's rows, by the id's case part: {observation: row}."""
    return {r.parts[1]: r for r in ROWS if r.parts[0] == case}


@pytest.mark.parametrize("case", SESSION_SETTINGS)
def test_session_cookie_under_settings(lab, check, settings, case):
    """The session cookie's stored attributes follow the SESSION_COOKIE_* settings."""
    for key, value in SESSION_SETTINGS[case].items():
        setattr(settings, key, value)
    path = settings.SESSION_COOKIE_PATH.rstrip("/")
    lab.go(lab_url(SECURE_ORIGIN, "session", path, value="v1"))
    rows = rows_for(f"session-{case}")
    check(rows["attributes"], attributes(lab, settings.SESSION_COOKIE_NAME))
    lab.go(lab_url(SECURE_ORIGIN, "session", path))
    check(rows["read-back"], lab.page_json())


@pytest.mark.parametrize("case", CSRF_SETTINGS)
def test_csrf_cookie_under_settings(lab, check, settings, case):
    """The CSRF cookie's stored attributes follow CSRF_COOKIE_*; script sees it unless HttpOnly."""
    for key, value in CSRF_SETTINGS[case].items():
        setattr(settings, key, value)
    lab.go(lab_url(ORIGIN, "csrf"))
    rows = rows_for(f"csrf-{case}")
    check(rows["attributes"], attributes(lab, settings.CSRF_COOKIE_NAME))
    check(rows["script-sees"], f"{settings.CSRF_COOKIE_NAME}=" in lab.script_read(ORIGIN))


def test_csrf_use_sessions_sends_no_csrf_cookie(lab, check, settings):
    """With CSRF_USE_SESSIONS the token lives in the session: no csrftoken cookie."""
    settings.CSRF_USE_SESSIONS = True
    lab.go(lab_url(ORIGIN, "csrf"))
    check(rows_for("csrf-use-sessions")["cookies"], sorted(c["name"] for c in lab.stored()))
