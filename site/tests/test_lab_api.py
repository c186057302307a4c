"""The lab API: exact Set-Cookie headers per spec, echoes, and 400s for bad input."""

import json

import pytest

from cookielab.server import SiteServer

from .test_tutorial_views import set_cookie_headers


def lab_get(client, verb, path="", **params):
    return client.get(f"{path}/{verb}", params)


def set_specs(client, *specs):
    return lab_get(client, "set", c=json.dumps(list(specs)))


@pytest.mark.parametrize(
    "spec, header",
    [
        ({"name": "a", "value": "1"}, "a=1; Path=/"),
        ({"name": "a", "value": "1", "path": "/p"}, "a=1; Path=/p"),
        ({"name": "a", "value": "1", "domain": "example.test"}, "a=1; Domain=example.test; Path=/"),
        ({"name": "a", "value": "1", "secure": True}, "a=1; Path=/; Secure"),
        ({"name": "a", "value": "1", "httponly": True}, "a=1; HttpOnly; Path=/"),
        ({"name": "a", "value": "1", "samesite": "Strict"}, "a=1; Path=/; SameSite=Strict"),
        (
            {"name": "a", "value": "1", "expires": "Wed, 01 Jan 2031 00:00:00 GMT"},
            "a=1; expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/",
        ),
        # cookielab/partitioned.py, until Django has partitioned= (ticket #34613)
        (
            {"name": "a", "value": "1", "samesite": "None", "secure": True, "partitioned": True},
            "a=1; Partitioned; Path=/; SameSite=None; Secure",
        ),
        # a cookie may be named like the attribute
        ({"name": "partitioned", "value": "1", "partitioned": True}, "partitioned=1; Partitioned; Path=/"),
    ],
    ids=["plain", "path", "domain", "secure", "httponly", "samesite", "expires-string", "partitioned", "named-so"],
)
def test_set_emits_attribute(client, spec, header):
    """Each spec field becomes the matching Set-Cookie attribute."""
    response = set_specs(client, spec)
    assert response.status_code == 200
    assert response.json() == {"set": [spec["name"]]}
    assert set_cookie_headers(response) == [header]


@pytest.mark.parametrize("max_age", [60, {"timedelta": 60}], ids=["int", "timedelta"])
def test_set_max_age_also_emits_expires(client, max_age):
    """max_age (int or timedelta) emits Max-Age and a matching Expires."""
    (header,) = set_cookie_headers(set_specs(client, {"name": "a", "max_age": max_age}))
    assert "Max-Age=60;" in header
    assert "expires=" in header


def test_drop_matches_path_and_domain(client):
    """drop is delete_cookie with the given path and domain."""
    response = lab_get(client, "drop", c=json.dumps({"name": "a", "path": "/p", "domain": "example.test"}))
    assert set_cookie_headers(response) == [
        'a=""; Domain=example.test; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/p'
    ]


def test_drop_samesite_none_adds_secure(client):
    """delete_cookie adds Secure itself for SameSite=None."""
    response = lab_get(client, "drop", c=json.dumps({"name": "a", "samesite": "None"}))
    assert set_cookie_headers(response)[0].endswith("Path=/; SameSite=None; Secure")


def test_raw_headers_are_sent_verbatim(client):
    """Each h parameter is one Set-Cookie header, unchanged."""
    response = client.get("/raw", {"h": ["a=1", "b=2; Path"]})
    assert [m.output(header="") for m in response.cookies.values()] == ["a=1", "b=2; Path"]


def test_echo_reports_what_the_server_received(client):
    """echo answers the Cookie header and request.COOKIES at any path."""
    client.cookies["a"] = "1"
    record = client.get("/x/y/echo").json()
    assert record["cookies"] == {"a": "1"}
    assert record["cookie_header"] == "a=1"
    assert record["path"] == "/x/y/echo"


def test_echo_with_token_is_logged(client):
    """An echo with ?t= can be read back from log."""
    client.get("/echo", {"t": "tok-1"})
    client.get("/a/echo", {"t": "tok-1"})
    assert [r["path"] for r in client.get("/log", {"t": "tok-1"}).json()] == ["/echo", "/a/echo"]


BAD_SPECS = [
    ("samesite", {"name": "a", "samesite": "Sideways"}),
    ("name", {"name": "a b"}),
    ("name", {"name": "a;b"}),
    ("name", {"value": "1"}),
    ("max_age", {"name": "a", "max_age": "60"}),
    ("max_age", {"name": "a", "max_age": 1.5}),
    ("max_age", {"name": "a", "max_age": 10**12}),
    ("expires", {"name": "a", "max_age": 5, "expires": {"datetime": "2031-01-01T00:00:00+00:00"}}),
    ("expires", {"name": "a", "expires": {"datetime": "not a date"}}),
    ("expires", {"name": "a", "expires": 5}),
    ("value", {"name": "a", "value": "x" * 8193}),
    ("value", {"name": "a", "value": "\u2603"}),
    ("path", {"name": "a", "path": "/\n"}),
    ("secure", {"name": "a", "secure": "yes"}),
    ("colour", {"name": "a", "colour": "blue"}),
]


@pytest.mark.parametrize("field, spec", BAD_SPECS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_SPECS)])
def test_set_bad_spec_answers_400_naming_field(client, field, spec):
    """Bad input answers 400 with a JSON error naming the field, never 500."""
    response = set_specs(client, spec)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/set", {"c": "{not json"}, "c"),
        ("/set", {}, "c"),
        ("/set", {"c": "[]"}, "c"),
        ("/set", {"c": '"text"'}, "c"),
        ("/raw", {}, "h"),
        ("/raw", {"h": "a=1\r\nX-Injected: 1"}, "h"),
        ("/raw", {"h": "a=\u2603"}, "h"),
        ("/log", {}, "t"),
        ("/embed", {"kind": "video", "url": "http://other.test/echo"}, "kind"),
        ("/embed", {"kind": "script", "url": "http://example.com/"}, "url"),
        ("/set", {"c": '[{"name": "a", "partitioned": "yes"}]'}, "partitioned"),
        ("/embed", {"kind": "img", "url": "http://example.com/"}, "url"),
        ("/echo", {"go": "http://example.com/"}, "go"),
        # URL tricks a browser reads differently from urllib: refused by WHATWG parsing.
        ("/echo", {"go": "javascript://example.test/%0aalert(1)"}, "go"),
        ("/echo", {"go": "data:text/html,<script>alert(1)</script>"}, "go"),
        ("/echo", {"go": "http://evil.com\\@example.test/"}, "go"),
        ("/echo", {"go": "http://user:pw@example.test/"}, "go"),
        ("/echo", {"go": "http://127.0.0.1:22/"}, "go"),
        ("/echo", {"go": "http://localhost/"}, "go"),
        ("/echo", {"go": "http://example.test:8080/"}, "go"),
        ("/echo", {"go": "//example.test/"}, "go"),
        ("/embed", {"kind": "iframe", "url": "javascript://example.test/%0aalert(1)"}, "url"),
        ("/embed", {"kind": "img", "url": "http://evil.com\\@example.test/"}, "url"),
        ("/embed", {"kind": "iframe", "url": "https://localhost:8443/"}, "url"),
        ("/embed", {"kind": "iframe", "url": "http://user@localhost:8001/"}, "url"),
        ("/embed", {"kind": "fetch", "url": "http://0x7f.1:22/"}, "url"),
        ("/set", {"c": "[" * 5000 + "]" * 5000}, "c"),
        ("/set", {"c": '{"name": "a", "value": "' + "x" * 300_000 + '"}'}, "c"),
        ("/set", {"c": '{"name": "a", "max_age": 1' + "0" * 5000 + "}"}, "c"),
        ("/set", {"c": '{"name": "a", "max_age": {"timedelta": -1' + "0" * 5000 + "}}"}, "c"),
        ("/set", {"c": '{"name": "a", "max_age": 1' + "0" * 400 + ".5}"}, "c"),
        ("/set", {"c": '{"name": "a", "max_age": NaN}'}, "c"),
    ],
)
def test_bad_request_answers_400_naming_field(client, url, params, field):
    """Missing or malformed parameters answer 400 naming the parameter."""
    response = client.get(url, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "go, location",
    [
        ("HTTP://Example.TEST:80/a?b#c", "http://example.test/a?b#c"),
        ("https://other.test/echo", "https://other.test/echo"),
    ],
)
def test_go_redirects_to_the_url_as_a_browser_reads_it(client, go, location):
    """go= on a test host redirects to the WHATWG serialization of the URL that was checked."""
    response = client.get("/echo", {"go": go})
    assert response.status_code == 302
    assert response["Location"] == location


def test_embed_frames_the_site_on_a_loopback_port_it_serves(client):
    """url= may be plain http on localhost at a port a SiteServer of this process listens on, while it listens; go=
    stays on the test hosts."""
    with SiteServer() as server:
        url = f"http://localhost:{server.port}/echo"
        response = client.get("/embed", {"kind": "iframe", "url": url})
        assert response.status_code == 200
        assert f'src="{url}"'.encode() in response.content
        assert client.get("/echo", {"go": url}).status_code == 400
    assert client.get("/embed", {"kind": "iframe", "url": url}).status_code == 400


def test_set_same_name_twice_keeps_last(client):
    """One response holds one cookie per name: a second set_cookie of a name replaces the first."""
    response = set_specs(client, {"name": "a", "value": "1", "path": "/"}, {"name": "a", "value": "2", "path": "/d"})
    assert set_cookie_headers(response) == ["a=2; Path=/d"]


def test_verify_a_signature_without_timestamp_is_invalid(client):
    """A value signed with the site's key but not by set_signed_cookie (no timestamp) is refused, not a 500."""
    from django.core import signing

    signer = signing.get_cookie_signer(salt="s")
    client.cookies["s"] = signing.Signer.sign(signer, "v")  # the base class signs without a timestamp
    response = client.get("/verify", {"name": "s"})
    assert response.status_code == 200
    assert response.json() == {"valid": False, "why": "no timestamp"}


@pytest.mark.parametrize("path", ["/a/b", "/a/b/", "/", "/q/echo/x"])
def test_any_exact_path_answers_the_verb_named_by_lab(client, path):
    """?lab=echo at any path echoes that exact path, trailing slash or none."""
    response = client.get(path, {"lab": "echo"}, HTTP_COOKIE="a=1")
    assert response.status_code == 200
    assert response.json()["path"] == path
    assert response.json()["cookies"] == {"a": "1"}


@pytest.mark.parametrize("query", [{}, {"lab": "nothing"}])
def test_a_path_without_a_verb_answers_404_naming_lab(client, query):
    """A path with no verb, in the path or in ?lab=, is a 404 naming the parameter."""
    response = client.get("/a/b", query)
    assert response.status_code == 404
    assert response.json()["field"] == "lab"


@pytest.mark.parametrize(
    "setting, verb, params, name",
    [
        ("SESSION_COOKIE_PARTITIONED", "session", {"value": "v"}, "sessionid"),
        ("CSRF_COOKIE_PARTITIONED", "csrf", {}, "csrftoken"),
    ],
)
def test_partitioned_settings_add_the_attribute(client, settings, setting, verb, params, name):
    """SESSION_/CSRF_COOKIE_PARTITIONED (Django 6.2's names) add Partitioned to Django's own cookie, and only there."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    plain = lab_get(client, verb, **params).cookies[name].OutputString()
    setattr(settings, setting, True)
    partitioned = lab_get(client, verb, **params).cookies[name].OutputString()
    attributes = lambda line: {part.split("=")[0] for part in line.split("; ")[1:]}  # noqa: E731
    assert "Partitioned" not in attributes(plain)
    assert attributes(partitioned) == attributes(plain) | {"Partitioned"}
