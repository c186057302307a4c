"""Django's flows on the spec's user agent (flows.Modelled): against the values their rows held when written by hand.

No browser. The django-auth, django-forms and django-embed modules run each settings profile's flow twice:
on the browser, and at collection on the spec's user agent (e2e/harness/spec/user_agent.py), which asks the
site itself through Django's test client on a database of its own: forms submitted with their entry list,
Origin and Referer, redirects followed, an iframe on another site, a restart. Each row's spec value is that
run's observation. They agreed with the values first written by hand from Django's documentation (117: no
disagreement) and are recorded in e2e/baselines/model/spec-values.json (test_model_record.py); here the user
agent's own parts are checked one rule at a time.
"""

import pathlib
import tempfile

import pytest
from django.conf import settings

from e2e import test_django_auth, test_django_embed, test_django_forms  # noqa: F401 - their rows
from e2e.harness.flows import Modelled, state
from e2e.harness.network.hosts import SECURE_ORIGIN
from e2e.harness.spec import documents
from e2e.harness.spec.user_agent import SpecLab, _referrer

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
