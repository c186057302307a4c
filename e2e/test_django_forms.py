"""Django as shipped: CSRF-protected forms, messages and the language cookie, per settings profile.

The app's pages on contrib.auth, contrib.sessions (database), contrib.messages and i18n
(`shipped_site`). A row's id names the profile and the observation:
django-forms/<profile>/<observation>. Observed from the server's side (the app's JSON:
accepted, or Django's 403 and its reason; the messages shown; the language served),
the whole jar, and page script. Each row's spec value is its observation of the same
flow on the spec's user agent (flows.Modelled).
"""

import json
import pathlib
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings

from e2e.harness.flows import (
    CSRF_NAME,
    DB,
    NO_CSRF_COOKIE,
    Flows,
    Modelled,
    app_url,
    attributes,
    cross_site_post,
    log_in,
    log_out,
    names,
    post_form,
    state,
    value,
)
from e2e.harness.network.hosts import (
    CROSS_SITE_ORIGIN,
    ORIGIN,
    SECURE_CROSS_SITE_ORIGIN,
    SECURE_ORIGIN,
    SECURE_SUBDOMAIN_ORIGIN,
)
from e2e.harness.reasons import said_of
from e2e.harness.rows import RFC, Row, check_rows
from e2e.harness.runner import Lab
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import HTTPONLY
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

CSRF = "Django docs: Cross Site Request Forgery protection (how it works: Origin, then the cookie and the token)"
REASONS = "django.middleware.csrf (REASON_BAD_ORIGIN, REASON_NO_CSRF_COOKIE: the 403's reason)"
MESSAGES = "Django docs: the messages framework (messages are shown once; storage backends)"
COOKIE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage (an emptied store deletes its cookie)"
LANGUAGE = "Django docs: django.views.i18n.set_language and settings LANGUAGE_COOKIE_*"
LOGOUT = "Django docs: django.contrib.auth.logout() (flushes the session; other cookies stay)"
CSRF_COOKIE = "Django docs: settings CSRF_COOKIE_* (defaults: csrftoken, 52 weeks, not HttpOnly, Lax, path /)"
FALLBACK = (
    "django.contrib.messages.storage.fallback.FallbackStorage (CookieStorage holds 2048 bytes, the session the rest)"
)
SECURE_FROM_HTTP = f"{RFC} section {storage_step(13)}"

# The profile part of a messages row's id -> MESSAGE_STORAGE.
STORAGES = {
    "messages-fallback": "django.contrib.messages.storage.fallback.FallbackStorage",
    "messages-cookie": "django.contrib.messages.storage.cookie.CookieStorage",
    "messages-session": "django.contrib.messages.storage.session.SessionStorage",
}
# The profile part of a language row's id -> settings.
LANGUAGE_PROFILES = {
    "language-defaults": {},
    "language-custom": {
        "LANGUAGE_COOKIE_NAME": "lang",
        "LANGUAGE_COOKIE_AGE": 3600,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SAMESITE": "Strict",
    },
}
OVERFLOW = {"count": "4", "size": "900"}  # four messages of 900 characters that do not compress


def csrf_defaults(lab: UserAgent) -> dict[str, Any]:
    observed = {"same-origin-post": post_form(lab, SECURE_ORIGIN)["accepted"]}
    observed["csrf-cookie"] = attributes(lab, "csrftoken")
    observed["script-sees-csrf"] = "csrftoken=" in lab.script_read(SECURE_ORIGIN)
    observed["cross-site-post-reason"] = cross_site_post(lab, SECURE_CROSS_SITE_ORIGIN, f"{SECURE_ORIGIN}/app/form/")[
        "reason"
    ]
    observed["cross-site-post-http-reason"] = cross_site_post(lab, CROSS_SITE_ORIGIN, f"{ORIGIN}/app/form/")["reason"]
    subdomain = post_form(lab, SECURE_SUBDOMAIN_ORIGIN, f"{SECURE_ORIGIN}/app/form/")
    observed["subdomain-post-reason"] = subdomain["reason"]
    lab.go(f"{SECURE_ORIGIN}/app/form/")
    lab.session.clear_cookies()
    observed["cookie-missing-reason"] = lab.submit("#protected")["reason"]
    return observed


def csrf_trusted_subdomain(lab: UserAgent) -> dict[str, Any]:
    return {"subdomain-post": post_form(lab, SECURE_SUBDOMAIN_ORIGIN, f"{SECURE_ORIGIN}/app/form/")["accepted"]}


def csrf_use_sessions(lab: UserAgent) -> dict[str, Any]:
    return {
        "same-origin-post": post_form(lab, SECURE_ORIGIN)["accepted"],
        "csrf-cookie-stored": "csrftoken" in names(lab),
    }


def csrf_httponly(lab: UserAgent) -> dict[str, Any]:
    return {
        "same-origin-post": post_form(lab, SECURE_ORIGIN)["accepted"],
        "script-sees-csrf": "csrftoken=" in lab.script_read(SECURE_ORIGIN),
    }


def csrf_secure(lab: UserAgent) -> dict[str, Any]:
    """The protected form over https, then over http, where the Secure CSRF cookie is refused: the user agent's
    words for refusing it ("words")."""
    accepted = post_form(lab, SECURE_ORIGIN)["accepted"]
    lab.session.clear_cookies()
    lab.hear_refusals()
    reason = post_form(lab, ORIGIN)["reason"]
    return {"same-origin-post-https": accepted, "same-origin-post-http-reason": reason, "words": lab.refusals()}


def messages_once(lab: UserAgent) -> dict[str, Any]:
    lab.go(app_url(SECURE_ORIGIN, "message", text="hello", next="echo"))
    pending = "messages" in names(lab)
    first = state(lab, SECURE_ORIGIN)["messages"]
    return {
        "pending-cookie-stored": pending,
        "first-view": first,
        "second-view": state(lab, SECURE_ORIGIN)["messages"],
        "messages-cookie-kept": "messages" in names(lab),
    }


def messages_overflow(lab: UserAgent) -> dict[str, Any]:
    """Four incompressible 900-character messages: what waits where, then what shows."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    lab.go(app_url(SECURE_ORIGIN, "message", next="echo", **OVERFLOW))
    in_cookie = CookieStorage(RequestFactory().get("/"))._decode(value(lab, "messages"))
    session = import_module(settings.SESSION_ENGINE).SessionStore(value(lab, "sessionid"))
    in_session = json.loads(session.get("_messages", "[]"))
    marker = in_cookie[-1] == CookieStorage.not_finished
    shown = state(lab, SECURE_ORIGIN)["messages"]
    state(lab, SECURE_ORIGIN)
    return {
        "pending-cookie-marker": marker,
        "pending-split": len(in_cookie) - marker + len(in_session) == 4 and len(in_session) > 0,
        "first-view": [f"{m.split(':')[0]}:{len(m)}" for m in shown],
        "messages-cookie-kept": "messages" in names(lab),
    }


def set_language(lab: UserAgent) -> dict[str, Any]:
    """set_language by POST, the cookie it leaves, then a login and a logout."""
    lab.go(f"{SECURE_ORIGIN}/app/form/")
    answer = lab.submit("#setlang", language="fr")
    cookie = attributes(lab, settings.LANGUAGE_COOKIE_NAME)
    observed = {
        "next-page": [answer["language"], answer["translated"]],
        "cookie": cookie and {k: v for k, v in cookie.items() if k != "sameSite"},
        "script-sees": f"{settings.LANGUAGE_COOKIE_NAME}=" in lab.script_read(SECURE_ORIGIN),
    }
    log_in(lab, SECURE_ORIGIN)
    log_out(lab, SECURE_ORIGIN)
    observed["kept-after-logout"] = settings.LANGUAGE_COOKIE_NAME in names(lab)
    return observed


FLOWS = {
    "csrf-defaults": (DB, csrf_defaults),
    "csrf-trusted-subdomain": (
        {**DB, "CSRF_TRUSTED_ORIGINS": [SECURE_SUBDOMAIN_ORIGIN], "CSRF_COOKIE_DOMAIN": ".example.test"},
        csrf_trusted_subdomain,
    ),
    "csrf-use-sessions": ({**DB, "CSRF_USE_SESSIONS": True}, csrf_use_sessions),
    "csrf-httponly": ({**DB, "CSRF_COOKIE_HTTPONLY": True}, csrf_httponly),
    "csrf-secure": ({**DB, "CSRF_COOKIE_SECURE": True}, csrf_secure),
    **{profile: ({**DB, "MESSAGE_STORAGE": storage}, messages_once) for profile, storage in STORAGES.items()},
    "messages-overflow": (DB, messages_overflow),
    **{profile: ({**DB, **extra}, set_language) for profile, extra in LANGUAGE_PROFILES.items()},
}


SPEC = Modelled(FLOWS)  # each row's spec value: the flows on the spec's user agent


CSRF_ROWS = check_rows(
    [
        SPEC.row("django-forms/csrf-defaults/same-origin-post", CSRF, "A same-origin form POST with the page's token is accepted."),
        SPEC.row("django-forms/csrf-defaults/csrf-cookie", CSRF_COOKIE,
            "The form page sets the CSRF cookie: Lax, on /, 52 weeks, readable by script."),
        SPEC.row("django-forms/csrf-defaults/script-sees-csrf", CSRF_COOKIE, "Page script sees the default CSRF cookie."),
        SPEC.row("django-forms/csrf-defaults/cross-site-post-http-reason", REASONS,
            "A form POST from http://other.test to http://example.test is refused for its Origin."),
        SPEC.row("django-forms/csrf-secure/same-origin-post-https", f"{CSRF}; settings CSRF_COOKIE_SECURE",
            "With CSRF_COOKIE_SECURE a same-origin POST over https is accepted."),
        SPEC.refusal_row("django-forms/csrf-secure/same-origin-post-http-reason",
            f"{REASONS}; {SECURE_FROM_HTTP}",
            "With CSRF_COOKIE_SECURE a form over http gets no CSRF cookie, so its POST is refused.",
            NO_CSRF_COOKIE, CSRF_NAME),
        SPEC.row("django-forms/csrf-defaults/cross-site-post-reason", REASONS,
            "A form POST from https://other.test is refused for its Origin."),
        SPEC.row("django-forms/csrf-defaults/subdomain-post-reason", REASONS,
            "A form POST from https://www.example.test is refused unless that origin is trusted."),
        SPEC.row("django-forms/csrf-trusted-subdomain/subdomain-post",
            f"{CSRF}; settings CSRF_TRUSTED_ORIGINS and CSRF_COOKIE_DOMAIN",
            "A form POST from a trusted https subdomain, sharing the CSRF cookie's domain, is accepted."),
        SPEC.row("django-forms/csrf-defaults/cookie-missing-reason", REASONS,
            "A same-origin POST whose CSRF cookie is gone from the jar is refused for it."),
        SPEC.row("django-forms/csrf-use-sessions/same-origin-post", f"{CSRF}; settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS a same-origin POST is accepted on the session's token."),
        SPEC.row("django-forms/csrf-use-sessions/csrf-cookie-stored", "Django docs: settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS no CSRF cookie is set."),
        SPEC.row("django-forms/csrf-httponly/same-origin-post", f"{CSRF}; settings CSRF_COOKIE_HTTPONLY",
            "With CSRF_COOKIE_HTTPONLY the form's token from the page is still accepted."),
        SPEC.row("django-forms/csrf-httponly/script-sees-csrf", f"settings CSRF_COOKIE_HTTPONLY; {HTTPONLY}",
            "With CSRF_COOKIE_HTTPONLY page script does not see the CSRF cookie."),
    ]
)  # fmt: skip
MESSAGE_ROWS = check_rows(
    [
        SPEC.row("django-forms/messages-fallback/first-view", MESSAGES, "A message set before a redirect shows on the next page (FallbackStorage)."),
        SPEC.row("django-forms/messages-fallback/second-view", MESSAGES, "A shown message does not show again (FallbackStorage)."),
        SPEC.row("django-forms/messages-fallback/messages-cookie-kept", COOKIE_STORAGE, "Once shown, the messages cookie is deleted (FallbackStorage)."),
        SPEC.row("django-forms/messages-cookie/first-view", MESSAGES, "A message set before a redirect shows on the next page (CookieStorage)."),
        SPEC.row("django-forms/messages-cookie/second-view", MESSAGES, "A shown message does not show again (CookieStorage)."),
        SPEC.row("django-forms/messages-cookie/messages-cookie-kept", COOKIE_STORAGE, "Once shown, the messages cookie is deleted (CookieStorage)."),
        SPEC.row("django-forms/messages-session/first-view", MESSAGES, "A message set before a redirect shows on the next page (SessionStorage)."),
        SPEC.row("django-forms/messages-session/second-view", MESSAGES, "A shown message does not show again (SessionStorage)."),
        SPEC.row("django-forms/messages-session/messages-cookie-kept", MESSAGES, "SessionStorage sets no messages cookie."),
        SPEC.row("django-forms/messages-fallback/pending-cookie-stored", COOKIE_STORAGE,
            "Before they are shown, the messages wait in a cookie (FallbackStorage)."),
        SPEC.row("django-forms/messages-cookie/pending-cookie-stored", COOKIE_STORAGE,
            "Before they are shown, the messages wait in a cookie (CookieStorage)."),
        SPEC.row("django-forms/messages-session/pending-cookie-stored", MESSAGES,
            "Before they are shown, SessionStorage's messages wait in the session, not in a cookie."),
        SPEC.row("django-forms/messages-overflow/first-view", FALLBACK,
            "Messages past the cookie's 2048 bytes show too, whole and in order."),
        SPEC.row("django-forms/messages-overflow/pending-cookie-marker", FALLBACK,
            "Pending messages past the cookie's limit leave CookieStorage's not-finished marker in the cookie."),
        SPEC.row("django-forms/messages-overflow/pending-split", FALLBACK,
            "The pending messages the cookie could not hold wait in the session: the two hold all four."),
        SPEC.row("django-forms/messages-overflow/messages-cookie-kept", COOKIE_STORAGE,
            "Once the overflowing messages are shown, the messages cookie is deleted."),
    ]
)  # fmt: skip
LANGUAGE_ROWS = check_rows(
    [
        SPEC.row("django-forms/language-defaults/next-page", LANGUAGE, "After set_language(fr) the next page is served in French."),
        SPEC.row("django-forms/language-defaults/cookie", LANGUAGE,
            "By default the language cookie is a browser-session cookie on /, readable by script."),
        SPEC.row("django-forms/language-defaults/script-sees", LANGUAGE, "Page script sees the default language cookie."),
        SPEC.row("django-forms/language-defaults/kept-after-logout", LOGOUT, "Logging out keeps the language cookie."),
        SPEC.row("django-forms/language-custom/next-page", LANGUAGE, "With LANGUAGE_COOKIE_* set, the next page is still served in French."),
        SPEC.row("django-forms/language-custom/cookie", LANGUAGE,
            "LANGUAGE_COOKIE_NAME, _AGE, _HTTPONLY and _SECURE give the language cookie its attributes."),
        SPEC.row("django-forms/language-custom/script-sees", f"{LANGUAGE}; {HTTPONLY}", "Page script does not see an HttpOnly language cookie."),
        SPEC.row("django-forms/language-custom/kept-after-logout", LOGOUT, "Logging out keeps a custom language cookie."),
    ]
)  # fmt: skip
ROWS = [*CSRF_ROWS, *MESSAGE_ROWS, *LANGUAGE_ROWS]


@pytest.fixture(scope="module")
def flows(shipped_site: pathlib.Path, module_lab: Lab) -> Flows:
    """Each profile's flow, run once for the module on its jar (emptied first) under the profile's settings."""
    return Flows(module_lab, FLOWS)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_django_forms(flows: Flows, check: Verdict, row: Row) -> None:
    """Each row: one observation of its profile's flow (a CSRF-protected POST, messages, the language) in this engine;
    where Django found no CSRF cookie, the engine's words for refusing it beside the value."""
    observed = flows(row.parts[0])
    value = observed[row.parts[1]]
    check(row, value, why=said_of(observed.get("words"), CSRF_NAME) if value == NO_CSRF_COOKIE else "")
