"""The shipped app through Django's test client: what Django sends for login, CSRF, messages and language."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return django_user_model.objects.create_user("alice", password="alice-password")


def test_login_cycles_the_session_key_and_rotates_the_csrf_token(client, alice):
    """login() gives a new session key and a new CSRF cookie; the next page knows the user."""
    client.get("/session", {"value": "before"})
    before = client.cookies["sessionid"].value
    client.get("/app/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post("/app/login/", {"username": "alice", "password": "alice-password"})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.cookies["csrftoken"].value != csrf
    assert client.get("/app/state/").json()["user"] == "alice"


@pytest.mark.parametrize("remember, max_age", [("", None), ("yes", 2592000), ("seconds", 3600)])
def test_remember_me_sets_the_session_cookie_max_age(client, alice, remember, max_age):
    """Unchecked: set_expiry(0), no Max-Age; otherwise 30 days or 3600 s (a second less, counted from a datetime)."""
    client.post("/app/login/", {"username": "alice", "password": "alice-password", "remember": remember})
    sent = client.cookies["sessionid"]["max-age"]
    assert sent == "" if max_age is None else max_age - 1 <= sent <= max_age


def test_logout_deletes_the_session_cookie(client, alice):
    """LogoutView by POST: Django sends the session cookie again, expired."""
    client.force_login(alice)
    response = client.post("/app/logout/")
    assert response.cookies["sessionid"]["max-age"] == 0
    assert client.get("/app/state/").json()["user"] is None


def test_csrf_failure_answers_403_with_the_reason():
    """A POST without the CSRF cookie gets CSRF_FAILURE_VIEW's JSON naming Django's reason."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/app/form/", {"text": "x"})
    assert response.status_code == 403
    assert response.json() == {"accepted": False, "reason": "CSRF cookie not set."}


def test_message_shows_once(client):
    """A message added before the redirect shows on the next page only."""
    assert client.get("/app/message/", {"text": "hi"}, follow=True).json()["messages"] == ["hi"]
    assert client.get("/app/state/").json()["messages"] == []


@pytest.mark.parametrize("query", [{"count": "0"}, {"count": "x"}, {"count": "21"}, {"text": "x" * 5000}])
def test_message_bad_input_answers_400(client, query):
    """Counts outside 1-20 and texts over 4096 characters are a 400 naming count."""
    response = client.get("/app/message/", query)
    assert response.status_code == 400
    assert response.json()["field"] == "count"


def test_set_language_sets_the_language_cookie(client):
    """set_language by POST sets django_language and the next page is in French."""
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/app/state/"}, follow=True)
    assert client.cookies["django_language"].value == "fr"
    assert response.json()["language"] == "fr"
    assert response.json()["translated"] == "Ce champ est obligatoire."


NEVER_MIGRATED = """
import json, django
django.setup()
from django.test import Client
response = Client().post("/app/login/", {"username": "alice", "password": "alice-password"}, HTTP_HOST="example.test")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""
MADE_BY_THE_HARNESS = """
import json, pathlib, stat, sys, django
django.setup()
from e2e.harness.network.site_database import site_database
with site_database(pathlib.Path(sys.argv[1])) as path:
    print(json.dumps({"mode": stat.S_IMODE(path.stat().st_mode)}))
"""


def _fresh_site(code, *args):
    """code run in a Python process of its own on the site's settings (its in-memory database never migrated; the
    test database of this process untouched): its last line, as JSON."""
    import json
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    env = {
        "PYTHONPATH": f"{root / 'site'}:{root}",
        "DJANGO_SETTINGS_MODULE": "cookielab.settings",
        "PATH": "/usr/bin:/bin",
    }
    run = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_an_app_view_without_its_tables_answers_a_named_503():
    """On the site's own database before anyone migrated it, login answers 503 naming the setup step, never a 500."""
    answer = _fresh_site(NEVER_MIGRATED)
    assert answer["status"] == 503
    assert answer["body"]["error"].startswith("the site's database is not set up (no such table: ")
    assert "migrate" in answer["body"]["error"]


def test_the_site_database_is_readable_by_its_owner_only(tmp_path):
    """Password hashes and sessions: the harness's database file is 0600 from its creation on."""
    assert _fresh_site(MADE_BY_THE_HARNESS, str(tmp_path / "site.sqlite3")) == {"mode": 0o600}
