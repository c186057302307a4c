"""The sending model (e2e/harness/spec/sending.py): RFC 6265bis-20 section 5.8.3 with the same-site rules of 5.2.

No browser. The model gives the SameSite module and the third-party module's first-party rows their spec
values, and the spec's user agent (e2e/harness/spec/user_agent.py: storage with the request's security and
API, then this model) runs the path, domain, secure, httponly, prefix, size, value, expiry, frame, Cookie
Store, session, CSRF and signed-cookie modules' own steps. Their values agreed with the ones first written by
hand (397: no disagreement) and are recorded in e2e/baselines/model/spec-values.json
(test_model_record.py); here the model is checked one rule at a time, CHIPS's partition key among them.
"""

import datetime

import pytest

from e2e import (  # noqa: F401 - their rows
    test_cookie_store,
    test_domain,
    test_expiry,
    test_httponly,
    test_path,
    test_prefixes,
    test_samesite,
    test_secure,
    test_session_csrf,
    test_signed,
    test_size,
    test_third_party,
    test_values,
)
from e2e.harness.network.hosts import SECURE_ORIGIN
from e2e.harness.runner import lab_url
from e2e.harness.spec import sending
from e2e.harness.spec.rfc6265bis import Cookie
from e2e.harness.spec.user_agent import SpecLab


def _cookie(**given) -> Cookie:
    return Cookie(**{"name": "a", "value": "1", "path": "/", "domain": "example.test", "host_only": True, **given})


@pytest.mark.parametrize(
    "cookie, request_, sent",
    [
        (_cookie(), sending.Request("https://example.test/x", None, top_level=True), True),
        (_cookie(), sending.Request("https://www.example.test/", None), False),  # host-only
        (_cookie(host_only=False), sending.Request("https://www.example.test/", None), True),  # domain-match
        (_cookie(path="/a"), sending.Request("https://example.test/ab", None), False),  # 5.1.4: not a path prefix
        (_cookie(path="/a"), sending.Request("https://example.test/a/b", None), True),
        (_cookie(secure=True), sending.Request("http://example.test/", None), False),  # 5.8.3 step 1
        (_cookie(secure=True, domain="localhost"), sending.Request("http://localhost/", None), True),
        (_cookie(http_only=True), sending.Request("https://example.test/", None, http=False), False),  # 5.8.2
        (_cookie(same_site="Lax"), sending.Request("https://example.test/", "https://other.test", True, "POST"), False),
        (_cookie(same_site="Lax"), sending.Request("https://example.test/", "https://other.test", True, "GET"), True),
        (_cookie(same_site="Strict"), sending.Request("https://example.test/", "http://example.test", True), False),
        (_cookie(same_site="Default"), sending.Request("https://example.test/", "https://other.test"), True),
        (
            _cookie(same_site="Strict"),
            sending.Request("https://example.test/", "https://example.test", True, redirects=("https://other.test/",)),
            False,
        ),
        (_cookie(partition=("https://example.test", False)), sending.Request("https://example.test/", None), True),
        (
            _cookie(partition=("https://example.test", False)),
            sending.Request("https://example.test/", "https://other.test"),
            False,
        ),
        (
            _cookie(partition=("https://example.test", False)),
            sending.Request("https://example.test/", "https://example.test", ancestors=("https://other.test",)),
            False,
        ),
    ],
    ids=[
        "same-host", "host-only-elsewhere", "domain-match", "path-not-prefix", "path-prefix", "secure-over-http",
        "secure-on-localhost", "httponly-to-script", "lax-cross-site-post", "lax-cross-site-top-level-get",
        "strict-schemeful", "default-like-none", "strict-after-cross-site-redirect", "partitioned-own-top",
        "partitioned-other-top", "partitioned-cross-site-ancestor",
    ],
)  # fmt: skip
def test_a_single_rule(cookie, request_, sent):
    """One rule of 5.8.3 or 5.2 at a time."""
    assert sending.sends(cookie, request_) is sent


HOST_PAGE, LOCALHOST_PAGE = "http://example.test", "http://localhost:8000"


@pytest.mark.parametrize(
    "steps, stored",
    [
        ([(HOST_PAGE, "raw", "s=1; Secure")], []),  # Secure only from a secure origin (STORAGE_STEPS[13])
        ([(LOCALHOST_PAGE, "raw", "s=1; Secure")], [("s", "localhost", "/")]),  # loopback is a secure origin
        ([(HOST_PAGE, "script", "h=1; HttpOnly")], []),  # step 12: not from a non-HTTP API
        ([(HOST_PAGE, "raw", "h=1; HttpOnly; Path=/"), (HOST_PAGE, "script", "h=2; path=/")], [("h", "example.test", "/")]),
        # step 16: http can neither replace nor shadow (deeper path) a Secure cookie
        ([("https://example.test", "raw", "k=1; Secure; Path=/"), (HOST_PAGE, "raw", "k=2; Path=/a")], [("k", "example.test", "/")]),
        ([(LOCALHOST_PAGE, "raw", "d=1; Domain=localhost")], [("d", "localhost", "/")]),  # a public suffix: host-only
        ([(HOST_PAGE, "raw", "d=1; Domain=example.test")], [("d", ".example.test", "/")]),  # not host-only
        ([(HOST_PAGE, "raw", "d=1; Domain=test")], []),  # step 9: a public suffix
    ],
    ids=["secure-from-http", "secure-from-localhost", "httponly-from-script", "script-replaces-httponly",
         "http-shadows-secure", "domain-localhost", "domain-equal-to-host", "domain-public-suffix"],
)  # fmt: skip
def test_a_single_storage_rule(steps, stored):
    """One rule of section 5.7 at a time, on the spec's user agent."""
    lab = SpecLab()
    for origin, verb, line in steps:
        lab.raw(origin, line) if verb == "raw" else lab.script_write(origin, line)
    assert [(c["name"], c["domain"], c["path"]) for c in lab.stored()] == stored


FRAME = sending.Request("https://example.test/set", "https://other.test")  # an example.test frame on other.test


@pytest.mark.parametrize(
    "lines, stored",
    [
        (["lax=1; SameSite=Lax; Secure"], []),  # step 15: a cross-site frame cannot set Lax or Strict
        (["none=1; SameSite=None; Secure"], [("none", None)]),
        (["p=1; SameSite=None; Secure; Partitioned"], [("p", ("https://other.test", False))]),
        # CHIPS: the partition key is part of the identity, so a line without Partitioned names another cookie
        (["p=1; SameSite=None; Secure; Partitioned", "p=; Max-Age=0; SameSite=None; Secure"],
         [("p", ("https://other.test", False))]),
        (["p=1; SameSite=None; Secure; Partitioned", "p=; Max-Age=0; SameSite=None; Secure; Partitioned"], []),
    ],
    ids=["lax-from-frame", "none-from-frame", "partitioned-from-frame", "delete-without-partitioned",
         "delete-with-partitioned"],
)  # fmt: skip
def test_a_frame_storage_rule(lines, stored):
    """Section 5.7 and CHIPS for a response in a cross-site frame."""
    jar: list[Cookie] = []
    sending.receive(jar, lines, FRAME, datetime.datetime.now(datetime.UTC))
    assert [(c.name, c.partition) for c in jar] == stored


def test_a_change_script_cannot_see_fires_no_change_event():
    """The Cookie Store's change events on the model: an HttpOnly Set-Cookie is no change a script sees; a
    document.cookie write and a delete() are."""
    lab = SpecLab()
    lab.go(lab_url(SECURE_ORIGIN, "script"))
    seen = lab.cookie_store.changes(lab_url(SECURE_ORIGIN, "raw", h="h=1; Path=/; HttpOnly"), "d=1; path=/", "d")
    assert seen == [{"changed": ["d=1"], "deleted": []}, {"changed": [], "deleted": ["d"]}]
