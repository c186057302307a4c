"""Django as shipped: CSRF-protected forms, messages and the language cookie, per settings profile.

The app's pages on contrib.auth, contrib.sessions (database), contrib.messages and i18n
(`shipped_site`). A row's id names the profile and the observation:
django-forms/<profile>/<observation>. Observed from the server's side (the app's JSON:
accepted, or Django's 403 and its reason; the messages shown; the language served),
the whole jar, and page script.
"""

import pytest

from e2e.harness.flows import attributes, cross_site_post, log_in, log_out, names, post_form, state
from e2e.harness.hosts import SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN, SECURE_SUBDOMAIN_ORIGIN
from e2e.harness.rows import check_rows, row
from e2e.harness.sections import HTTPONLY

CSRF = "Django docs: Cross Site Request Forgery protection (how it works: Origin, then the cookie and the token)"
REASONS = "django.middleware.csrf (REASON_BAD_ORIGIN, REASON_NO_CSRF_COOKIE: the 403's reason)"
MESSAGES = "Django docs: the messages framework (messages are shown once; storage backends)"
COOKIE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage (an emptied store deletes its cookie)"
LANGUAGE = "Django docs: django.views.i18n.set_language and settings LANGUAGE_COOKIE_*"
LOGOUT = "Django docs: django.contrib.auth.logout() (flushes the session; other cookies stay)"
FR = "Ce champ est obligatoire."  # Django's own French catalogue, for "This field is required."

CSRF_ROWS = check_rows(
    [
        row("django-forms/csrf-defaults/same-origin-post", True, CSRF, "A same-origin form POST with the page's token is accepted."),
        row("django-forms/csrf-defaults/cross-site-post-reason",
            "Origin checking failed - https://other.test does not match any trusted origins.", REASONS,
            "A form POST from https://other.test is refused for its Origin."),
        row("django-forms/csrf-defaults/subdomain-post-reason",
            "Origin checking failed - https://www.example.test does not match any trusted origins.", REASONS,
            "A form POST from https://www.example.test is refused unless that origin is trusted."),
        row("django-forms/csrf-trusted-subdomain/subdomain-post", True,
            f"{CSRF}; settings CSRF_TRUSTED_ORIGINS and CSRF_COOKIE_DOMAIN",
            "A form POST from a trusted https subdomain, sharing the CSRF cookie's domain, is accepted."),
        row("django-forms/csrf-defaults/cookie-missing-reason", "CSRF cookie not set.", REASONS,
            "A same-origin POST whose CSRF cookie is gone from the jar is refused for it."),
        row("django-forms/csrf-use-sessions/same-origin-post", True, f"{CSRF}; settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS a same-origin POST is accepted on the session's token."),
        row("django-forms/csrf-use-sessions/csrf-cookie-stored", False, "Django docs: settings CSRF_USE_SESSIONS",
            "With CSRF_USE_SESSIONS no CSRF cookie is set."),
        row("django-forms/csrf-httponly/same-origin-post", True, f"{CSRF}; settings CSRF_COOKIE_HTTPONLY",
            "With CSRF_COOKIE_HTTPONLY the form's token from the page is still accepted."),
        row("django-forms/csrf-httponly/script-sees-csrf", False, f"settings CSRF_COOKIE_HTTPONLY; {HTTPONLY}",
            "With CSRF_COOKIE_HTTPONLY page script does not see the CSRF cookie."),
    ]
)  # fmt: skip
# The profile part of a messages row's id -> MESSAGE_STORAGE.
STORAGES = {
    "messages-fallback": "django.contrib.messages.storage.fallback.FallbackStorage",
    "messages-cookie": "django.contrib.messages.storage.cookie.CookieStorage",
    "messages-session": "django.contrib.messages.storage.session.SessionStorage",
}
MESSAGE_ROWS = check_rows(
    [
        row("django-forms/messages-fallback/first-view", ["hello"], MESSAGES, "A message set before a redirect shows on the next page (FallbackStorage)."),
        row("django-forms/messages-fallback/second-view", [], MESSAGES, "A shown message does not show again (FallbackStorage)."),
        row("django-forms/messages-fallback/messages-cookie-kept", False, COOKIE_STORAGE, "Once shown, the messages cookie is deleted (FallbackStorage)."),
        row("django-forms/messages-cookie/first-view", ["hello"], MESSAGES, "A message set before a redirect shows on the next page (CookieStorage)."),
        row("django-forms/messages-cookie/second-view", [], MESSAGES, "A shown message does not show again (CookieStorage)."),
        row("django-forms/messages-cookie/messages-cookie-kept", False, COOKIE_STORAGE, "Once shown, the messages cookie is deleted (CookieStorage)."),
        row("django-forms/messages-session/first-view", ["hello"], MESSAGES, "A message set before a redirect shows on the next page (SessionStorage)."),
        row("django-forms/messages-session/second-view", [], MESSAGES, "A shown message does not show again (SessionStorage)."),
        row("django-forms/messages-session/messages-cookie-kept", False, MESSAGES, "SessionStorage sets no messages cookie."),
        row("django-forms/messages-overflow/first-view", [f"{'m' * 900}-{i}" for i in range(4)],
            "django.contrib.messages.storage.fallback.FallbackStorage (CookieStorage keeps 2048 bytes, the session the rest)",
            "Messages past the cookie's 2048 bytes show too, in order, from the session."),
        row("django-forms/messages-overflow/messages-cookie-kept", False, COOKIE_STORAGE,
            "Once the overflowing messages are shown, the messages cookie is deleted."),
    ]
)  # fmt: skip
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
LANGUAGE_ROWS = check_rows(
    [
        row("django-forms/language-defaults/next-page", ["fr", FR], LANGUAGE, "After set_language(fr) the next page is served in French."),
        row("django-forms/language-defaults/cookie",
            {"path": "/", "httpOnly": False, "secure": False, "lifetime_hours": None}, LANGUAGE,
            "By default the language cookie is a browser-session cookie on /, readable by script."),
        row("django-forms/language-defaults/script-sees", True, LANGUAGE, "Page script sees the default language cookie."),
        row("django-forms/language-defaults/kept-after-logout", True, LOGOUT, "Logging out keeps the language cookie."),
        row("django-forms/language-custom/next-page", ["fr", FR], LANGUAGE, "With LANGUAGE_COOKIE_* set, the next page is still served in French."),
        row("django-forms/language-custom/cookie",
            {"path": "/", "httpOnly": True, "secure": True, "lifetime_hours": 1}, LANGUAGE,
            "LANGUAGE_COOKIE_NAME, _AGE, _HTTPONLY and _SECURE give the language cookie its attributes."),
        row("django-forms/language-custom/script-sees", False, f"{LANGUAGE}; {HTTPONLY}", "Page script does not see an HttpOnly language cookie."),
        row("django-forms/language-custom/kept-after-logout", True, LOGOUT, "Logging out keeps a custom language cookie."),
    ]
)  # fmt: skip


def rows_of(table, profile):
    return {r.parts[1]: r for r in table if r.parts[0] == profile}


@pytest.fixture(autouse=True)
def _site(shipped_site, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def test_csrf_defaults(lab, check):
    """Same-origin POSTs pass; cross-site and subdomain POSTs are refused for their Origin; no cookie, no pass."""
    rows = rows_of(CSRF_ROWS, "csrf-defaults")
    check(rows["same-origin-post"], post_form(lab, SECURE_ORIGIN)["accepted"])
    check(
        rows["cross-site-post-reason"],
        cross_site_post(lab, SECURE_CROSS_SITE_ORIGIN, f"{SECURE_ORIGIN}/app/form/")["reason"],
    )
    check(
        rows["subdomain-post-reason"], post_form(lab, SECURE_SUBDOMAIN_ORIGIN, f"{SECURE_ORIGIN}/app/form/")["reason"]
    )
    lab.go(f"{SECURE_ORIGIN}/app/form/")
    lab.session.clear_cookies()
    check(rows["cookie-missing-reason"], lab.submit("#protected")["reason"])


def test_csrf_trusted_subdomain(lab, check, settings):
    """CSRF_TRUSTED_ORIGINS with a shared CSRF_COOKIE_DOMAIN: the subdomain's form POST is accepted."""
    settings.CSRF_TRUSTED_ORIGINS = [SECURE_SUBDOMAIN_ORIGIN]
    settings.CSRF_COOKIE_DOMAIN = ".example.test"
    row = rows_of(CSRF_ROWS, "csrf-trusted-subdomain")["subdomain-post"]
    check(row, post_form(lab, SECURE_SUBDOMAIN_ORIGIN, f"{SECURE_ORIGIN}/app/form/")["accepted"])


def test_csrf_use_sessions(lab, check, settings):
    """CSRF_USE_SESSIONS: the token lives in the session; the POST passes and no CSRF cookie is set."""
    settings.CSRF_USE_SESSIONS = True
    rows = rows_of(CSRF_ROWS, "csrf-use-sessions")
    check(rows["same-origin-post"], post_form(lab, SECURE_ORIGIN)["accepted"])
    check(rows["csrf-cookie-stored"], settings.CSRF_COOKIE_NAME in names(lab))


def test_csrf_httponly(lab, check, settings):
    """CSRF_COOKIE_HTTPONLY: the page's token still passes; script cannot read the cookie."""
    settings.CSRF_COOKIE_HTTPONLY = True
    rows = rows_of(CSRF_ROWS, "csrf-httponly")
    check(rows["same-origin-post"], post_form(lab, SECURE_ORIGIN)["accepted"])
    check(rows["script-sees-csrf"], f"{settings.CSRF_COOKIE_NAME}=" in lab.script_read(SECURE_ORIGIN))


@pytest.mark.parametrize("profile", STORAGES)
def test_message_shown_once(lab, check, settings, profile):
    """A message added before a redirect shows on the next page, once; then its cookie is gone."""
    settings.MESSAGE_STORAGE = STORAGES[profile]
    rows = rows_of(MESSAGE_ROWS, profile)
    lab.go(f"{SECURE_ORIGIN}/app/message/?text=hello")
    check(rows["first-view"], lab.page_json()["messages"])
    check(rows["second-view"], state(lab, SECURE_ORIGIN)["messages"])
    check(rows["messages-cookie-kept"], "messages" in names(lab))


def test_messages_past_the_cookie_limit(lab, check):
    """Four 900-character messages: the cookie takes what fits in 2048 bytes, the session the rest; all show."""
    rows = rows_of(MESSAGE_ROWS, "messages-overflow")
    lab.go(f"{SECURE_ORIGIN}/app/message/?text={'m' * 900}&count=4")
    check(rows["first-view"], lab.page_json()["messages"])
    state(lab, SECURE_ORIGIN)
    check(rows["messages-cookie-kept"], "messages" in names(lab))


@pytest.mark.parametrize("profile", LANGUAGE_PROFILES)
def test_set_language(lab, check, settings, profile):
    """set_language by POST stores the language cookie with LANGUAGE_COOKIE_*; the next page is in French;
    logging out keeps it."""
    for key, setting in LANGUAGE_PROFILES[profile].items():
        setattr(settings, key, setting)
    rows = rows_of(LANGUAGE_ROWS, profile)
    lab.go(f"{SECURE_ORIGIN}/app/form/")
    answer = lab.submit("#setlang", language="fr")
    check(rows["next-page"], [answer["language"], answer["translated"]])
    cookie = attributes(lab, settings.LANGUAGE_COOKIE_NAME)
    check(rows["cookie"], cookie and {k: v for k, v in cookie.items() if k != "sameSite"})
    check(rows["script-sees"], f"{settings.LANGUAGE_COOKIE_NAME}=" in lab.script_read(SECURE_ORIGIN))
    log_in(lab, SECURE_ORIGIN)
    log_out(lab, SECURE_ORIGIN)
    check(rows["kept-after-logout"], settings.LANGUAGE_COOKIE_NAME in names(lab))
