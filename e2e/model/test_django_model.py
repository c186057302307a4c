"""Django's flows on the spec's user agent (flows.Modelled): against the values their rows held when written by hand.

No browser. The django-auth, django-forms and django-embed modules run each settings profile's flow twice:
on the browser, and at collection on the spec's user agent (e2e/harness/spec/user_agent.py), which asks the
site itself through Django's test client on a database of its own: forms submitted with their entry list,
Origin and Referer, redirects followed, an iframe on another site, a restart. Each row's spec value is that
run's observation. Here every one is checked against the value the row held when it was written by hand from
Django's documentation (117: no disagreement), and the user agent's own parts one rule at a time.
"""

import pathlib
import tempfile

import pytest
from django.conf import settings

from e2e import test_django_auth, test_django_embed, test_django_forms  # noqa: F401 - their rows
from e2e.harness.flows import Modelled, state
from e2e.harness.network.hosts import SECURE_ORIGIN
from e2e.harness.rows import REGISTRY
from e2e.harness.spec import documents
from e2e.harness.spec.user_agent import SpecLab, _referrer

# The values written by hand before the model, frozen here: the model must agree with each, or the
# disagreement is a model bug or a row bug to name.
HAND_WRITTEN_ROWS = {
    "django-auth": {
        "anonymous/private-page-redirect": "/app/login/?next=/app/private/",
        "cached_db/authenticated": "alice",
        "cached_db/csrf-cookie": {
            "httpOnly": False,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "cached_db/csrf-rotated": True,
        "cached_db/logout-anonymous": None,
        "cached_db/logout-csrf-cookie-kept": True,
        "cached_db/logout-session-cookie-kept": False,
        "cached_db/old-session-logged-out": True,
        "cached_db/private-page": "alice",
        "cached_db/script-sees-session": False,
        "cached_db/session-cookie": {
            "httpOnly": True,
            "lifetime_hours": None,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "cached_db/session-key-rotated": True,
        "db/authenticated": "alice",
        "db/csrf-cookie": {"httpOnly": False, "lifetime_hours": 8736, "path": "/", "sameSite": "Lax", "secure": False},
        "db/csrf-rotated": True,
        "db/logout-anonymous": None,
        "db/logout-csrf-cookie-kept": True,
        "db/logout-session-cookie-kept": False,
        "db/old-session-logged-out": True,
        "db/private-page": "alice",
        "db/script-sees-session": False,
        "db/session-cookie": {
            "httpOnly": True,
            "lifetime_hours": None,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "db/session-key-rotated": True,
        "default-age/lifetime-hours": 336,
        "expire-at-browser-close/lifetime-hours": None,
        "file/authenticated": "alice",
        "file/csrf-cookie": {
            "httpOnly": False,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "file/csrf-rotated": True,
        "file/logout-anonymous": None,
        "file/logout-csrf-cookie-kept": True,
        "file/logout-session-cookie-kept": False,
        "file/old-session-logged-out": True,
        "file/private-page": "alice",
        "file/script-sees-session": False,
        "file/session-cookie": {
            "httpOnly": True,
            "lifetime_hours": None,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "file/session-key-rotated": True,
        "postback-lax/logged-in": None,
        "postback-none-secure/logged-in": "alice",
        "postback-strict/logged-in": None,
        "postback-unset/logged-in": "alice",
        "remember-30-days/lifetime-hours": 720,
        "remember-3600-seconds/lifetime-hours": 1,
        "remember-no/lifetime-hours": None,
        "restart-browser-session/logged-in-after-restart": None,
        "restart-browser-session/session-cookie-survives": False,
        "restart-remember-me/logged-in-after-restart": "alice",
        "restart-remember-me/session-cookie-survives": True,
        "save-every-request/expiry-moves": True,
        "save-when-modified/expiry-moves": False,
        "secure-session-http-localhost/logged-in": "alice",
        "secure-session-http-test-host/logged-in": None,
        "session-domain-default/subdomain-user": None,
        "session-domain-shared/subdomain-user": "alice",
        "signed_cookies/authenticated": "alice",
        "signed_cookies/csrf-cookie": {
            "httpOnly": False,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "signed_cookies/csrf-rotated": True,
        "signed_cookies/logout-anonymous": None,
        "signed_cookies/logout-csrf-cookie-kept": True,
        "signed_cookies/logout-session-cookie-kept": False,
        "signed_cookies/old-session-logged-out": True,
        "signed_cookies/private-page": "alice",
        "signed_cookies/script-sees-session": False,
        "signed_cookies/session-cookie": {
            "httpOnly": True,
            "lifetime_hours": None,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "signed_cookies/session-key-rotated": True,
        "two-pages/other-page-after-logout": None,
        "two-pages/other-page-before-logout": "alice",
        "wrong-password/session-cookie-stored": False,
        "wrong-password/user": None,
    },
    "django-forms": {
        "csrf-defaults/cookie-missing-reason": "CSRF cookie not set.",
        "csrf-defaults/cross-site-post-http-reason": "Origin checking failed - http://other.test does not match any trusted origins.",
        "csrf-defaults/cross-site-post-reason": "Origin checking failed - https://other.test does not match any trusted origins.",
        "csrf-defaults/csrf-cookie": {
            "httpOnly": False,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "csrf-defaults/same-origin-post": True,
        "csrf-defaults/script-sees-csrf": True,
        "csrf-defaults/subdomain-post-reason": "Origin checking failed - https://www.example.test does not match any trusted origins.",
        "csrf-httponly/same-origin-post": True,
        "csrf-httponly/script-sees-csrf": False,
        "csrf-secure/same-origin-post-http-reason": "CSRF cookie not set.",
        "csrf-secure/same-origin-post-https": True,
        "csrf-trusted-subdomain/subdomain-post": True,
        "csrf-use-sessions/csrf-cookie-stored": False,
        "csrf-use-sessions/same-origin-post": True,
        "language-custom/cookie": {"httpOnly": True, "lifetime_hours": 1, "path": "/", "secure": True},
        "language-custom/kept-after-logout": True,
        "language-custom/next-page": ["fr", "Ce champ est obligatoire."],
        "language-custom/script-sees": False,
        "language-defaults/cookie": {"httpOnly": False, "lifetime_hours": None, "path": "/", "secure": False},
        "language-defaults/kept-after-logout": True,
        "language-defaults/next-page": ["fr", "Ce champ est obligatoire."],
        "language-defaults/script-sees": True,
        "messages-cookie/first-view": ["hello"],
        "messages-cookie/messages-cookie-kept": False,
        "messages-cookie/pending-cookie-stored": True,
        "messages-cookie/second-view": [],
        "messages-fallback/first-view": ["hello"],
        "messages-fallback/messages-cookie-kept": False,
        "messages-fallback/pending-cookie-stored": True,
        "messages-fallback/second-view": [],
        "messages-overflow/first-view": ["0:900", "1:900", "2:900", "3:900"],
        "messages-overflow/messages-cookie-kept": False,
        "messages-overflow/pending-cookie-marker": True,
        "messages-overflow/pending-split": True,
        "messages-session/first-view": ["hello"],
        "messages-session/messages-cookie-kept": False,
        "messages-session/pending-cookie-stored": False,
        "messages-session/second-view": [],
    },
    "django-embed": {
        "lax/first-party": None,
        "lax/login": "CSRF cookie not set.",
        "lax/post": "CSRF cookie not set.",
        "none/first-party": "alice",
        "none/login": "alice",
        "none/logout": None,
        "none/post": True,
        "partitioned/first-party": None,
        "partitioned/login": "alice",
        "partitioned/logout": None,
        "partitioned/post": True,
    },
}


@pytest.mark.parametrize(
    "concern, rest", [(c, rest) for c, values in HAND_WRITTEN_ROWS.items() for rest in values], ids="/".join
)
def test_the_modelled_flows_agree_with_the_hand_written_values(concern, rest):
    (found,) = [r for r in REGISTRY if r.id == f"{concern}/{rest}"]
    assert found.expect == HAND_WRITTEN_ROWS[concern][rest]


PAGE = """<form id="f" method="post" action="/to/"><input type="hidden" name="csrf" value="t">
<input name="text"><input type="checkbox" name="off"><input type="checkbox" name="on" value="y" checked>
<select name="pick"><option value="a">A</option><option value="b" selected>B</option></select>
<button>go</button></form><form id="g"><select name="first"><option value="1"></option></select></form>"""


def test_a_form_is_submitted_with_its_entry_list():
    """HTML's entry list: hidden and empty inputs, a checked checkbox only, a select's selected or first option."""
    found = documents.form(PAGE, "https://example.test/page/", "#f button")
    assert (found.action, found.method) == ("https://example.test/to/", "POST")
    assert found.filled({"text": "x"}) == {"csrf": "t", "text": "x", "on": "y", "pick": "b"}
    assert documents.form(PAGE, "https://example.test/page/", "#g").fields == {"first": "1"}
    with pytest.raises(KeyError):
        found.filled({"nothing": "x"})  # as elements[name] fails in the page


@pytest.mark.parametrize(
    "document, target, sent",
    [
        ("https://example.test/a?q", "https://example.test/b", "https://example.test/a?q"),
        ("https://other.test/a", "https://example.test/b", "https://other.test/"),
        ("https://example.test/a", "http://example.test/b", None),
        ("about:blank", "https://example.test/", None),
    ],
)
def test_the_referer_follows_the_default_policy(document, target, sent):
    """strict-origin-when-cross-origin: whole URL same-origin, the origin cross-origin, nothing on a downgrade."""
    assert _referrer(document, target) == sent


def test_a_restart_keeps_only_cookies_with_an_expiry():
    lab = SpecLab()
    lab.raw(SECURE_ORIGIN, "session=1; Path=/", "kept=1; Path=/; Max-Age=60")
    assert [c["name"] for c in lab.restarted().stored()] == ["kept"]


def test_a_model_run_has_a_database_of_its_own_and_leaves_none(django_db_blocker):
    """The flows run on a temporary SQLite file (as at collection, with pytest-django's block lifted); Django's
    default database is the same afterwards."""
    before = settings.DATABASES["default"]["NAME"]
    with django_db_blocker.unblock():
        seen = Modelled(
            {"p": ({"SESSION_ENGINE": "django.contrib.sessions.backends.db"}, lambda lab: state(lab, SECURE_ORIGIN))}
        )
    assert seen["p"]["user"] is None and seen["p"]["method"] == "GET"
    assert settings.DATABASES["default"]["NAME"] == before
    assert not list(pathlib.Path(tempfile.gettempdir()).glob("cl-model-*"))


def test_page_script_without_a_model_is_named_at_once():
    with pytest.raises(NotImplementedError, match=r"Script\(js, model\)"):
        SpecLab().evaluate("() => document.title")
