"""Property-based bad input: the lab API answers 2xx or a 4xx JSON error naming a field, never 5xx.

Two layers: Django's test client (1000+ specs per run, exceptions surface as
test errors) and the real HTTP server (which also encodes the headers, where a
non-Latin-1 byte would otherwise become a 500).
"""

import http.client
import json
import logging
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cookielab.spec import DROP_FIELDS, SET_FIELDS

weird_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),  # control characters
    st.sampled_from(["", " ", "a b", "a;b", "a=b", "\u2603", "caf\u00e9", "__Host-x", "$Version", "x" * 9000]),
)
dates = st.one_of(
    weird_text,
    st.fixed_dictionaries({"datetime": weird_text}),
    st.fixed_dictionaries({"datetime": st.datetimes().map(lambda d: d.isoformat())}),
    st.fixed_dictionaries({"in_seconds": st.integers(min_value=-(10**12), max_value=10**12)}),
    st.integers(),
)
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    weird_text,
    st.fixed_dictionaries({"timedelta": st.one_of(st.integers(min_value=-(10**12), max_value=10**12), weird_text)}),
    st.none(),
)
field_values = {
    "name": weird_text,
    "value": weird_text,
    "max_age": numbers,
    "expires": dates,
    "path": st.one_of(weird_text, st.none()),
    "domain": st.one_of(weird_text, st.none()),
    "secure": st.one_of(st.booleans(), weird_text),
    "httponly": st.one_of(st.booleans(), weird_text),
    "samesite": st.one_of(st.sampled_from(["Strict", "Lax", "None", "lax", "Sideways", ""]), weird_text, st.none()),
}
specs = st.dictionaries(
    st.one_of(st.sampled_from(sorted(SET_FIELDS | DROP_FIELDS)), st.text(max_size=8)),
    st.deferred(lambda: st.one_of(*field_values.values())),
    max_size=9,
).flatmap(
    # Mostly well-typed fields, so the checks deep inside the parser get reached.
    lambda d: st.fixed_dictionaries({k: field_values.get(k, st.just(v)) for k, v in d.items()})
)
# A legal name and only known fields, each possibly odd: these get past the
# first checks and reach set_cookie and the header encoding.
near_valid_specs = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "sid", "__Host-x", "__Secure-y", "csrftoken"])},
    optional={k: v for k, v in field_values.items() if k != "name"},
)
payloads = st.one_of(
    near_valid_specs.map(json.dumps),
    st.lists(near_valid_specs, min_size=1, max_size=3).map(json.dumps),
    specs.map(json.dumps),
    st.lists(specs, max_size=3).map(json.dumps),
    st.text(max_size=30),  # not JSON at all
    st.recursive(st.none() | st.booleans() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)).map(
        json.dumps
    ),
)
# URLs for go= and url=: test hosts dressed in the tricks browsers and urllib read differently.
target_urls = st.builds(
    lambda scheme, userinfo, host, port, sep, path: f"{scheme}{userinfo}{host}{port}{sep}{path}",
    st.sampled_from(["http://", "https://", "HTTP://", "javascript://", "data:", "file://", "//", "http:\\\\", ""]),
    st.sampled_from(["", "user@", "user:pw@", "evil.com\\@", "evil.com%5C@"]),
    st.sampled_from(
        [
            "example.test",
            "WWW.example.test",
            "other.test",
            "127.0.0.1",
            "localhost",
            "0x7f.1",
            "[::1]",
            "example.test.",
            "evil.com",
        ]
    ),  # fmt: skip
    st.sampled_from(["", ":80", ":443", ":22", ":8080", ":0x50"]),
    st.sampled_from(["/", "\\", "?", "#", "%0a", ""]),
    st.text(max_size=10),
)
# Nesting past the lab's limit, kept within the server's 64 KiB request line.
deep_json = st.integers(min_value=9, max_value=5_000).map(lambda n: "[" * n + "]" * n)
requests = st.one_of(
    st.tuples(st.sampled_from(["set", "drop"]), deep_json.map(lambda c: {"c": c})),
    st.tuples(st.sampled_from(["echo", "set"]), target_urls.map(lambda u: {"go": u, "c": '{"name": "a"}'})),
    st.tuples(
        st.just("embed"),
        st.tuples(st.sampled_from(["iframe", "img", "fetch", "link", "form"]), target_urls).map(
            lambda k: {"kind": k[0], "url": k[1]}
        ),
    ),  # fmt: skip
    st.tuples(st.sampled_from(["set", "drop"]), payloads.map(lambda c: {"c": c})),
    st.tuples(st.just("raw"), st.lists(weird_text, max_size=3).map(lambda h: {"h": h})),
    st.tuples(
        st.sampled_from(["embed", "sign", "verify", "session", "echo", "log"]),
        st.dictionaries(st.sampled_from(["kind", "url", "name", "value", "salt", "go", "t"]), weird_text),
    ),
)


def assert_clear_answer(status, content_type, body):
    assert status < 500, f"server error {status}: {body[:300]!r}"
    # A handler that dies after the status line leaves no headers: catch that too.
    assert content_type, f"answer {status} without a Content-Type: {body[:300]!r}"
    if 400 <= status < 500:
        assert content_type.startswith("application/json"), body[:300]
        error = json.loads(body)
        assert error["error"].startswith(f"{error['field']}: ")


SERVER_LOGGERS = ("django.request", "django.server")


@pytest.fixture
def quiet_bad_requests(caplog, capfd):
    """Only 4xx lines may reach the site's logs or stderr: a 5xx or a traceback is a finding."""
    # The site's loggers do not propagate to the root logger caplog listens on.
    loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in loggers:
        logger.removeHandler(caplog.handler)
    records = caplog.get_records("call")
    unexpected = [
        r.getMessage()
        for r in records
        if not (r.getMessage().startswith("Bad Request: ") or r.getMessage().split('" ')[-1].startswith("4"))
    ]
    assert unexpected == []
    assert "Traceback" not in capfd.readouterr().err
    assert any(r.name in SERVER_LOGGERS for r in records), "the log capture saw no 4xx line at all"


@settings(max_examples=1200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests)
def test_lab_api_never_errors_via_client(client, quiet_bad_requests, request):
    """1200 generated requests through Django's test client: 2xx, or 4xx JSON naming the field."""
    verb, params = request
    response = client.get(f"/{verb}", params)
    assert_clear_answer(response.status_code, response.get("Content-Type", ""), response.content)


@pytest.fixture(scope="module")
def site():
    from cookielab.server import SiteServer

    with SiteServer() as server:
        yield server


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests)
def test_lab_api_never_errors_over_http(site, quiet_bad_requests, request):
    """300 generated requests through the real server, headers encoded as browsers receive them."""
    verb, params = request
    # http.client: no redirect following and no environment proxy, only the answer itself.
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        connection.request("GET", f"/{verb}?{urlencode(params, doseq=True)}", headers={"Host": "example.test"})
        response = connection.getresponse()
        status, content_type, body = response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()
    assert_clear_answer(status, content_type, body)
