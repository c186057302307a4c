"""Django's own cookies: the session and CSRF cookies under their settings.

The site runs in this process, so pytest-django's `settings` fixture changes
what the live server sends for the duration of one test.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from e2e.harness.flows import attributes
from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.rows import Row, check_rows, row
from e2e.harness.runner import Lab, lab_url
from e2e.harness.spec.sections import HTTPONLY
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

SESSION = "Django docs: settings SESSION_COOKIE_* (defaults: sessionid, 2 weeks, HttpOnly, Lax, path /)"
CSRF = "Django docs: settings CSRF_COOKIE_* (defaults: csrftoken, 52 weeks, not HttpOnly, Lax, path /)"
READ_BACK = f"{SESSION}; signed_cookies session engine"


SESSION_SETTINGS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "renamed-strict-secure": {
        "SESSION_COOKIE_NAME": "labsession",
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_PATH": "/s",
    },
    "browser-session": {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True, "SESSION_COOKIE_HTTPONLY": False},
}
CSRF_SETTINGS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "httponly-strict": {"CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Strict", "CSRF_COOKIE_NAME": "labcsrf"},
}


def session_steps(lab: UserAgent) -> dict[str, Any]:
    """A session value set and read back under the settings in force: the cookie's attributes, the answer."""
    from django.conf import settings

    path = settings.SESSION_COOKIE_PATH.rstrip("/")
    lab.go(lab_url(SECURE_ORIGIN, "session", path, value="v1"))
    attrs = attributes(lab, settings.SESSION_COOKIE_NAME)
    lab.go(lab_url(SECURE_ORIGIN, "session", path))
    return {"attributes": attrs, "read-back": lab.page_json()}


def csrf_steps(lab: UserAgent) -> dict[str, Any]:
    """The CSRF cookie under the settings in force: its attributes, whether page script sees it, the jar."""
    from django.conf import settings

    lab.go(lab_url(ORIGIN, "csrf"))
    attrs, names = attributes(lab, settings.CSRF_COOKIE_NAME), sorted(c["name"] for c in lab.stored())
    return {"attributes": attrs, "script-sees": f"{settings.CSRF_COOKIE_NAME}=" in lab.script_read(ORIGIN),
            "cookies": names}  # fmt: skip


def _on_spec(steps: Callable[[UserAgent], dict[str, Any]], given: dict[str, Any]) -> dict[str, Any]:
    with override_settings(**given):
        return steps(SpecLab())


# Each case's spec value: its steps on the spec's user agent, which asks the site itself (Django's test client,
# under the case's settings) with the Cookie header the spec's jar sends.
SPEC = {
    **{f"session-{case}": _on_spec(session_steps, given) for case, given in SESSION_SETTINGS.items()},
    **{f"csrf-{case}": _on_spec(csrf_steps, given) for case, given in CSRF_SETTINGS.items()},
    "csrf-use-sessions": _on_spec(csrf_steps, {"CSRF_USE_SESSIONS": True}),
}


def spec_row(id: str, source: str, rule: str) -> Row:
    """A row whose spec value is its observation on the spec's user agent."""
    case, observation = id.split("/")[1:]
    return row(id, SPEC[case][observation], source, rule)


ROWS = check_rows(
    [
        spec_row(
            "django/session-defaults/attributes",
            SESSION,
            "With default settings the session cookie is HttpOnly, Lax, on /, for two weeks.",
        ),
        spec_row(
            "django/session-renamed-strict-secure/attributes",
            SESSION,
            "SESSION_COOKIE_NAME, _SAMESITE, _SECURE and _PATH set the session cookie's attributes.",
        ),
        spec_row(
            "django/session-browser-session/attributes",
            f"{SESSION}; SESSION_EXPIRE_AT_BROWSER_CLOSE sends no expiry",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE makes the session cookie a browser-session cookie.",
        ),
        spec_row(
            "django/session-defaults/read-back",
            READ_BACK,
            "The session value comes back on the next request.",
        ),
        spec_row(
            "django/session-renamed-strict-secure/read-back",
            READ_BACK,
            "A renamed, Strict, Secure session on /s comes back on the next request under /s.",
        ),
        spec_row(
            "django/session-browser-session/read-back",
            READ_BACK,
            "A browser-session session cookie comes back on the next request.",
        ),
        spec_row(
            "django/csrf-defaults/attributes",
            CSRF,
            "With default settings the CSRF cookie is readable by script, Lax, on /, for 52 weeks.",
        ),
        spec_row(
            "django/csrf-httponly-strict/attributes",
            CSRF,
            "CSRF_COOKIE_HTTPONLY and _SAMESITE set the CSRF cookie's attributes.",
        ),
        spec_row(
            "django/csrf-defaults/script-sees",
            f"{CSRF}; {HTTPONLY}",
            "Page script can read the default CSRF cookie.",
        ),
        spec_row(
            "django/csrf-httponly-strict/script-sees",
            f"{CSRF}; {HTTPONLY}",
            "Page script cannot read an HttpOnly CSRF cookie.",
        ),
        spec_row(
            "django/csrf-use-sessions/cookies",
            "Django docs: settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS the token lives in the session: no CSRF cookie.",
        ),
    ]
)


def rows_for(case: str) -> dict[str, Row]:
    """This settings case's rows, by the id's case part: {observation: row}."""
    return {r.parts[1]: r for r in ROWS if r.parts[0] == case}


@pytest.mark.parametrize("case", SESSION_SETTINGS)
def test_session_cookie_under_settings(lab: Lab, check: Verdict, settings: Any, case: str) -> None:
    """The session cookie's stored attributes follow the SESSION_COOKIE_* settings."""
    for key, value in SESSION_SETTINGS[case].items():
        setattr(settings, key, value)
    observed = session_steps(lab)
    for observation, case_row in rows_for(f"session-{case}").items():
        check(case_row, observed[observation])


@pytest.mark.parametrize("case", CSRF_SETTINGS)
def test_csrf_cookie_under_settings(lab: Lab, check: Verdict, settings: Any, case: str) -> None:
    """The CSRF cookie's stored attributes follow CSRF_COOKIE_*; script sees it unless HttpOnly."""
    for key, value in CSRF_SETTINGS[case].items():
        setattr(settings, key, value)
    observed = csrf_steps(lab)
    for observation, case_row in rows_for(f"csrf-{case}").items():
        check(case_row, observed[observation])


def test_csrf_use_sessions_sends_no_csrf_cookie(lab: Lab, check: Verdict, settings: Any) -> None:
    """With CSRF_USE_SESSIONS the token lives in the session: no csrftoken cookie."""
    settings.CSRF_USE_SESSIONS = True
    check(rows_for("csrf-use-sessions")["cookies"], csrf_steps(lab)["cookies"])
