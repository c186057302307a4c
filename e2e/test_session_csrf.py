"""Django's own cookies: the session and CSRF cookies under their settings.

The site runs in this process, so pytest-django's `settings` fixture changes
what the live server sends for the duration of one test.
"""
import time

import pytest

from harness.hosts import ORIGIN, SECURE_ORIGIN
from harness.runner import lab_url



def _attributes(lab, name):
    """The stored attributes; sameSite here is the engine's report of the attribute Django sent."""
    (cookie,) = lab.stored(name)
    lifetime = None if cookie["expires"] is None else round((cookie["expires"] - time.time()) / 3600)
    return {"path": cookie["path"], "httpOnly": cookie["httpOnly"], "secure": cookie["secure"],
            "sameSite": cookie["sameSite"], "lifetime_hours": lifetime}


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


@pytest.mark.parametrize("case", SESSION_SETTINGS)
def test_session_cookie_under_settings(lab, check, settings, case):
    """The session cookie's stored attributes follow the SESSION_COOKIE_* settings."""
    for key, value in SESSION_SETTINGS[case].items():
        setattr(settings, key, value)
    path = settings.SESSION_COOKIE_PATH.rstrip("/")
    lab.go(lab_url(SECURE_ORIGIN, "session", path, value="v1"))
    check(f"django/session-{case}/attributes", _attributes(lab, settings.SESSION_COOKIE_NAME))
    lab.go(lab_url(SECURE_ORIGIN, "session", path))
    check(f"django/session-{case}/read-back", lab.page_json())


@pytest.mark.parametrize("case", CSRF_SETTINGS)
def test_csrf_cookie_under_settings(lab, check, settings, case):
    """The CSRF cookie's stored attributes follow CSRF_COOKIE_*; script sees it unless HttpOnly."""
    for key, value in CSRF_SETTINGS[case].items():
        setattr(settings, key, value)
    lab.go(lab_url(ORIGIN, "csrf"))
    check(f"django/csrf-{case}/attributes", _attributes(lab, settings.CSRF_COOKIE_NAME))
    check(f"django/csrf-{case}/script-sees", f"{settings.CSRF_COOKIE_NAME}=" in lab.script_read(ORIGIN))


def test_csrf_use_sessions_sends_no_csrf_cookie(lab, check, settings):
    """With CSRF_USE_SESSIONS the token lives in the session: no csrftoken cookie."""
    settings.CSRF_USE_SESSIONS = True
    lab.go(lab_url(ORIGIN, "csrf"))
    check("django/csrf-use-sessions/cookies", sorted(c["name"] for c in lab.stored()))
