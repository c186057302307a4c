"""What Django sends, byte for byte, across one journey through the site: the status and Set-Cookie lines of each step,
compared with the committed record for the running Django line (site/tests/django_wire/django-X.Y.json).

The record is how a Django upgrade is checked: run the site's tests on the new line (`python3 -m e2e all
--django 4.2` for the older LTS), and a difference fails here naming the step and both lines;
`--update-baselines` records the running line. Values Django draws at random (tokens, session keys,
signed messages) and dates counted from now are written as placeholders.
"""

import email.utils
import json
import pathlib
import re

import django
import pytest

pytestmark = pytest.mark.django_db

RECORDS = pathlib.Path(__file__).with_name("django_wire")
RANDOM_VALUES = ("csrftoken", "sessionid", "messages")
LINE = f"{django.VERSION[0]}.{django.VERSION[1]}"

JOURNEY = [
    ("lab set, every attribute", "get", "/set", {"c": json.dumps([
        {"name": "a", "value": "1", "max_age": 60, "path": "/", "secure": True, "httponly": True, "samesite": "Lax"},
        {"name": "b", "value": "2", "expires": "Fri, 31 Dec 9999 23:59:59 GMT", "domain": "example.test"},
        {"name": "c", "value": "3", "max_age": {"timedelta": 90}},
        {"name": "d", "value": "4", "samesite": "None", "secure": True, "partitioned": True},
        {"name": "e", "value": "x y;z,\u00e9"},
        {"name": "f", "value": "", "samesite": "Strict"},
    ])}),
    ("lab drop", "get", "/drop", {"c": json.dumps([
        {"name": "a", "path": "/", "samesite": "Lax"}, {"name": "b", "domain": "example.test"},
    ])}),
    ("session value stored", "get", "/session", {"value": "before"}),
    ("login page", "get", "/app/login/", {}),
    ("login", "post", "/app/login/", {"username": "alice", "password": "alice-password"}),
    ("form post", "post", "/app/form/", {"text": "x"}),
    ("message added", "get", "/app/message/", {"text": "hi"}),
    ("message shown", "get", "/app/state/", {}),
    ("language chosen", "post", "/i18n/setlang/", {"language": "fr", "next": "/app/state/"}),
    ("logout by GET", "get", "/app/logout/", {}),
    ("logout", "post", "/app/logout/", {}),
]  # fmt: skip


def _normalized(morsel) -> str:
    line = morsel.OutputString()
    if morsel.key in RANDOM_VALUES and morsel.value:
        line = line.replace(f"{morsel.key}={morsel.coded_value}", f"{morsel.key}=<random>", 1)

    def date(match: re.Match) -> str:
        when = email.utils.parsedate_to_datetime(match.group(1))
        return match.group(0) if when.year in (1970, 9999) else "expires=<now + max-age>"

    return re.sub(r"expires=([^;]+)", date, line)


def journey(client) -> dict[str, dict]:
    sent = {}
    for step, method, path, data in JOURNEY:
        response = getattr(client, method)(path, data)
        assert response.status_code < 500, (step, response.status_code, response.content[:300])
        cookies = sorted(_normalized(morsel) for morsel in response.cookies.values())
        sent[step] = {"status": response.status_code, "set-cookie": cookies}
    return sent


@pytest.fixture
def alice(django_user_model, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return django_user_model.objects.create_user("alice", password="alice-password")


def test_what_django_sends_matches_the_record_of_its_line(client, alice, pytestconfig):
    """Every Set-Cookie line of the journey is the one recorded for this Django line."""
    sent = journey(client)
    record = RECORDS / f"django-{LINE}.json"
    if pytestconfig.getoption("--update-baselines"):
        RECORDS.mkdir(exist_ok=True)
        record.write_text(json.dumps({"django": django.get_version(), "steps": sent}, indent=1) + "\n")
    assert record.exists(), f"no record of what Django {LINE} sends: run the site's tests with --update-baselines"
    recorded = json.loads(record.read_text())["steps"]
    assert sent == recorded
