"""The sending model (e2e/harness/spec/sending.py): RFC 6265bis-20 section 5.8.3 with the same-site rules of 5.2.

No browser. The model gives the SameSite module and the third-party module's first-party rows their spec
values; here it is checked against the values those modules held before, written by hand from the drafts
one by one (128: no disagreement), and against single rules, CHIPS's partition key among them. The spec's
user agent (e2e/harness/spec/user_agent.py: storage with the request's security and API, then this model)
runs the path, domain, secure, httponly, prefix, size, value and expiry modules' own steps, and the third-party
module's frame models the cookies a cross-site frame sets (CHIPS's partitions), the Cookie Store module's
steps (its change events too) run on the standard's model, and the session, CSRF and signed-cookie steps ask
the site itself through Django's test client; with the SameSite module's reported flags and the third-party
module's storage-access and opener requests, their values are checked against the hand-written ones they
replaced (269: no disagreement) and against single storage rules. Django's login, form and embed flows have
theirs in e2e/model/test_django_model.py.
"""

import datetime
import json

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
from e2e.harness.rows import REGISTRY
from e2e.harness.runner import lab_url
from e2e.harness.spec import sending
from e2e.harness.spec.rfc6265bis import Cookie
from e2e.harness.spec.user_agent import SpecLab

# e2e/test_samesite.py's spec values as written by hand before the model (cookie, context -> stored or sent),
# frozen here: the model must agree with each, or the disagreement is a model bug or a row bug to name.
HAND_WRITTEN = {
    "strict stored": True,
    "lax stored": True,
    "none stored": True,
    "unset stored": True,
    "none_insecure stored": False,
    "bogus stored": True,
    "strict same-origin-link": True,
    "lax same-origin-link": True,
    "none same-origin-link": True,
    "unset same-origin-link": True,
    "none_insecure same-origin-link": False,
    "bogus same-origin-link": True,
    "strict same-site-link": True,
    "lax same-site-link": True,
    "none same-site-link": True,
    "unset same-site-link": True,
    "none_insecure same-site-link": False,
    "bogus same-site-link": True,
    "strict same-site-iframe": True,
    "lax same-site-iframe": True,
    "none same-site-iframe": True,
    "unset same-site-iframe": True,
    "none_insecure same-site-iframe": False,
    "bogus same-site-iframe": True,
    "strict same-site-fetch": True,
    "lax same-site-fetch": True,
    "none same-site-fetch": True,
    "unset same-site-fetch": True,
    "none_insecure same-site-fetch": False,
    "bogus same-site-fetch": True,
    "strict cross-site-link": False,
    "lax cross-site-link": True,
    "none cross-site-link": True,
    "unset cross-site-link": True,
    "none_insecure cross-site-link": False,
    "bogus cross-site-link": True,
    "strict cross-site-form-post": False,
    "lax cross-site-form-post": False,
    "none cross-site-form-post": True,
    "unset cross-site-form-post": True,
    "none_insecure cross-site-form-post": False,
    "bogus cross-site-form-post": True,
    "strict cross-site-iframe": False,
    "lax cross-site-iframe": False,
    "none cross-site-iframe": True,
    "unset cross-site-iframe": True,
    "none_insecure cross-site-iframe": False,
    "bogus cross-site-iframe": True,
    "strict cross-site-fetch": False,
    "lax cross-site-fetch": False,
    "none cross-site-fetch": True,
    "unset cross-site-fetch": True,
    "none_insecure cross-site-fetch": False,
    "bogus cross-site-fetch": True,
    "strict cross-site-img": False,
    "lax cross-site-img": False,
    "none cross-site-img": True,
    "unset cross-site-img": True,
    "none_insecure cross-site-img": False,
    "bogus cross-site-img": True,
    "strict cross-site-redirect": False,
    "lax cross-site-redirect": True,
    "none cross-site-redirect": True,
    "unset cross-site-redirect": True,
    "none_insecure cross-site-redirect": False,
    "bogus cross-site-redirect": True,
    "strict https-to-http-link": False,
    "lax https-to-http-link": True,
    "none https-to-http-link": False,
    "unset https-to-http-link": True,
    "none_insecure https-to-http-link": False,
    "bogus https-to-http-link": True,
    "strict http-to-https-link": False,
    "lax http-to-https-link": True,
    "none http-to-https-link": True,
    "unset http-to-https-link": True,
    "none_insecure http-to-https-link": False,
    "bogus http-to-https-link": True,
}


# e2e/test_third_party.py's first-party cookies in third-party contexts, likewise (cookie, context -> sent).
HAND_WRITTEN_THIRD_PARTY = {
    "none cross-site-iframe": True,
    "none cross-site-fetch": True,
    "none cross-site-img": True,
    "none cross-site-script": True,
    "none nested-iframe": True,
    "none redirect-iframe": True,
    "none frame-fetch": True,
    "none sandboxed-fetch": True,
    "none cross-site-link": True,
    "none cross-site-popup": True,
    "unset cross-site-iframe": True,
    "unset cross-site-fetch": True,
    "unset cross-site-img": True,
    "unset cross-site-script": True,
    "unset nested-iframe": True,
    "unset redirect-iframe": True,
    "unset frame-fetch": True,
    "unset sandboxed-fetch": True,
    "unset cross-site-link": True,
    "unset cross-site-popup": True,
    "lax cross-site-iframe": False,
    "lax cross-site-fetch": False,
    "lax cross-site-img": False,
    "lax cross-site-script": False,
    "lax nested-iframe": False,
    "lax redirect-iframe": False,
    "lax frame-fetch": False,
    "lax sandboxed-fetch": False,
    "lax cross-site-link": True,
    "lax cross-site-popup": True,
    "strict cross-site-iframe": False,
    "strict cross-site-fetch": False,
    "strict cross-site-img": False,
    "strict cross-site-script": False,
    "strict nested-iframe": False,
    "strict redirect-iframe": False,
    "strict frame-fetch": False,
    "strict sandboxed-fetch": False,
    "strict cross-site-link": False,
    "strict cross-site-popup": False,
    "partitioned cross-site-iframe": False,
    "partitioned cross-site-fetch": False,
    "partitioned cross-site-img": False,
    "partitioned cross-site-script": False,
    "partitioned nested-iframe": False,
    "partitioned redirect-iframe": False,
    "partitioned frame-fetch": False,
    "partitioned sandboxed-fetch": False,
    "partitioned cross-site-link": True,
    "partitioned cross-site-popup": True,
}


# The spec values these rows held when written by hand, before the spec's user agent (user_agent.SpecLab) ran each
# module's own steps (path, domain, secure, httponly, prefix, size, value, expiry, the Cookie Store's, Django's session,
# CSRF and signed cookies) and the frame model gave the third-party frame-set rows theirs: concern -> the id after the concern -> value.
HAND_WRITTEN_ROWS = {
    "path": {
        "p_default/sent-at/a/b/echo": True,
        "p_default/sent-at/a/b/c/echo": True,
        "p_default/sent-at/a/echo": False,
        "p_default/sent-at/a/bc/echo": False,
        "p_default/sent-at//echo": False,
        "p_seg/sent-at/p/echo": True,
        "p_seg/sent-at/p/q/echo": True,
        "p_seg/sent-at/pq/echo": False,
        "p_seg/sent-at//echo": False,
        "p_slash/sent-at/p/echo": True,
        "p_slash/sent-at/p/q/echo": True,
        "p_slash/sent-at/pq/echo": False,
        "p_exact/sent-at/q/echo": True,
        "p_exact_slash/sent-at/q/echo": False,
        "p_dir/sent-exact-at/r/s": False,
        "p_dir/sent-exact-at/r/s/": True,
        "p_dir/sent-exact-at/r/s/t": True,
        "p_dir_noslash/sent-exact-at/r/s": True,
        "p_dir_noslash/sent-exact-at/r/s/": True,
        "p_dir_noslash/sent-exact-at/r/st": False,
        "default/stored-path": "/a/b",
        "duplicate/stored": [["/", "root"], ["/d", "deep"]],
        "duplicate/header": ["dup=deep", "dup=root"],
        "duplicate/request-cookies": "root",
        "duplicate/document-cookie": ["dup=deep", "dup=root"],
        "script/visible-under-path": "p_script=1",
        "script/visible-outside-path": "",
        "delete/other-path-keeps": ["/p"],
        "delete/same-path-removes": [],
        "update/other-path": [["/", "old"], ["/p", "new"]],
        "update/same-path": [["/", "old"], ["/p", "newer"]],
    },
    "domain": {
        "d_hostonly/stored-domain": "example.test",
        "d_domain/stored-domain": ".example.test",
        "d_dot/stored-domain": ".example.test",
        "d_upper/stored-domain": ".example.test",
        "d_sub_from_apex/stored-domain": None,
        "d_foreign/stored-domain": None,
        "d_tld/stored-domain": None,
        "d_www_hostonly/stored-domain": "www.example.test",
        "d_parent_from_www/stored-domain": ".example.test",
        "d_sibling_from_www/stored-domain": None,
        "d_hostonly/sent-to-apex": True,
        "d_hostonly/sent-to-www": False,
        "d_hostonly/sent-to-blog": False,
        "d_hostonly/sent-to-other": False,
        "d_domain/sent-to-apex": True,
        "d_domain/sent-to-www": True,
        "d_domain/sent-to-blog": True,
        "d_domain/sent-to-other": False,
        "d_dot/sent-to-apex": True,
        "d_dot/sent-to-www": True,
        "d_dot/sent-to-blog": True,
        "d_dot/sent-to-other": False,
        "d_upper/sent-to-apex": True,
        "d_upper/sent-to-www": True,
        "d_upper/sent-to-blog": True,
        "d_upper/sent-to-other": False,
        "d_sub_from_apex/sent-to-apex": False,
        "d_sub_from_apex/sent-to-www": False,
        "d_sub_from_apex/sent-to-blog": False,
        "d_sub_from_apex/sent-to-other": False,
        "d_foreign/sent-to-apex": False,
        "d_foreign/sent-to-www": False,
        "d_foreign/sent-to-blog": False,
        "d_foreign/sent-to-other": False,
        "d_tld/sent-to-apex": False,
        "d_tld/sent-to-www": False,
        "d_tld/sent-to-blog": False,
        "d_tld/sent-to-other": False,
        "d_www_hostonly/sent-to-apex": False,
        "d_www_hostonly/sent-to-www": True,
        "d_www_hostonly/sent-to-blog": False,
        "d_www_hostonly/sent-to-other": False,
        "d_parent_from_www/sent-to-apex": True,
        "d_parent_from_www/sent-to-www": True,
        "d_parent_from_www/sent-to-blog": True,
        "d_parent_from_www/sent-to-other": False,
        "d_sibling_from_www/sent-to-apex": False,
        "d_sibling_from_www/sent-to-www": False,
        "d_sibling_from_www/sent-to-blog": False,
        "d_sibling_from_www/sent-to-other": False,
        "delete/host-only-domain": "1",
        "delete/same-domain": None,
        "lo_hostonly/stored-domain": "localhost",
        "lo_hostonly/sent-back": True,
        "lo_domain/stored-domain": "localhost",
        "lo_domain/sent-back": True,
        "ip_hostonly/stored-domain": "127.0.0.1",
        "ip_hostonly/sent-back": True,
        "ip_domain/stored-domain": "127.0.0.1",
        "ip_domain/sent-back": True,
    },
    "secure": {
        "set-over-http/stored": False,
        "set-over-https/stored-secure": True,
        "sent-over-https": True,
        "sent-over-http": False,
        "script-on-https": True,
        "script-on-http": False,
        "http-overwrite-and-shadow": [["/", "https", True]],
        "http-shadow-sent": None,
        "http-script-overwrite": "",
        "localhost-http/stored": "1",
        "localhost-http/sent": "1",
    },
    "httponly": {
        "h_on/script-sees": False,
        "h_off/script-sees": True,
        "h_on/sent": "1",
        "h_off/sent": "1",
        "h_on/stored-flag": True,
        "h_off/stored-flag": False,
        "h_script/stored-flag": False,
        "script-overwrite/value": "1",
        "script-delete/stored": True,
        "script-created/sent": "1",
        "update/flip": ["h_flip=0", "", "h_flip=2"],
    },
    "prefix": {
        "__Secure-ok/stored": True,
        "__Secure-nosecure/stored": False,
        "__Host-ok/stored": True,
        "__Host-domain/stored": False,
        "__Host-path/stored": False,
        "__Host-nosecure/stored": False,
        "__host-lower/stored": False,
        "__SECURE-upper/stored": False,
        "__Secure-http/stored": False,
        "__Http-ok/stored": True,
        "__Http-nohttponly/stored": False,
        "__Http-nosecure/stored": False,
        "__http-lower/stored": False,
        "__Host-Http-ok/stored": True,
        "__Host-Http-domain/stored": False,
        "__Host-Http-path/stored": False,
        "__Http-script/stored": False,
        "__Host-Http-script/stored": False,
        "__Secure-del/after-delete": None,
        "__Host-del/after-delete": None,
    },
    "size": {
        "sz_at_limit/stored": True,
        "sz_over_limit/stored": False,
        "sz_path_1024/stored-path-length": 1024,
        "sz_path_1025/stored-path-length": 1,
    },
    "value": {
        "v_plain/stored": "arafat",
        "v_empty/stored": '""',
        "v_space/stored": '"a b"',
        "v_semicolon/stored": '"a\\073b"',
        "v_comma/stored": '"a\\054b"',
        "v_quote/stored": '"say \\"hi\\""',
        "v_latin1/stored": '"caf\\351"',
        "v_equals/stored": '"a=b"',
        "v_plain/document-cookie": "arafat",
        "v_empty/document-cookie": '""',
        "v_space/document-cookie": '"a b"',
        "v_semicolon/document-cookie": '"a\\073b"',
        "v_comma/document-cookie": '"a\\054b"',
        "v_quote/document-cookie": '"say \\"hi\\""',
        "v_latin1/document-cookie": '"caf\\351"',
        "v_equals/document-cookie": '"a=b"',
        "v_plain/request-cookies": "arafat",
        "v_empty/request-cookies": "",
        "v_space/request-cookies": "a b",
        "v_semicolon/request-cookies": "a;b",
        "v_comma/request-cookies": "a,b",
        "v_quote/request-cookies": 'say "hi"',
        "v_latin1/request-cookies": "caf\u00e9",
        "v_equals/request-cookies": "a=b",
    },
    "expiry": {
        "session/lifetime": "session",
        "max-age-int/lifetime": 3600,
        "max-age-timedelta/lifetime": 3600,
        "expires-datetime/lifetime": 3600,
        "max-age-over-past-expires/lifetime": 3600,
        "max-age-ten-years/lifetime": 34560000,
        "expires-year-9999/lifetime": 34560000,
        "raw-max-age-over-expires/lifetime": 3600,
        "format-rfc1123/read-as": "as written",
        "format-tutorial-dd-mm-yyyy/read-as": "session",
        "format-iso8601/read-as": "session",
        "format-rfc850/read-as": "as written",
        "format-asctime/read-as": "as written",
        "format-slashes/read-as": "session",
        "format-lowercase/read-as": "as written",
        "format-no-weekday/read-as": "as written",
        "format-unix-seconds/read-as": "session",
        "format-garbage/read-as": "session",
        "max-age-zero-new/sent": False,
        "max-age-negative-new/sent": False,
        "delete-max-age-zero/sent": False,
        "delete-max-age-negative/sent": False,
        "delete-expires-past/sent": False,
        "short-max-age/sent-then-gone": ["1", True],
    },
    "third-party": {
        "storage-access/cookie-after-click": True,
        "opener/popup": True,
        "opener/frame-after-popup": True,
        "frame_none/same-frame": True,
        "frame_none/frame-script": True,
        "frame_none/other-top": True,
        "frame_none/first-party": True,
        "frame_partitioned/same-frame": True,
        "frame_partitioned/frame-script": True,
        "frame_partitioned/other-top": False,
        "frame_partitioned/first-party": False,
        "frame_insecure/same-frame": False,
        "frame_insecure/frame-script": False,
        "frame_insecure/other-top": False,
        "frame_insecure/first-party": False,
        "frame_script/same-frame": True,
        "frame_script/frame-script": True,
        "frame_script/other-top": False,
        "frame_script/first-party": False,
        "frame_partitioned/deleted-by-django": True,
        "frame_partitioned/deleted-with-partitioned": False,
    },
    "samesite": {
        "strict/reported": "Strict",
        "lax/reported": "Lax",
        "none/reported": "None",
        "unset/reported": "Lax",
        "bogus/reported": "Lax",
    },
    "cookie-store": {
        "events/http-set-cookie": {"changed": ["cs_ev_http=1"], "deleted": []},
        "events/document-cookie": {"changed": ["cs_ev_doc=1"], "deleted": []},
        "events/delete": {"changed": [], "deleted": ["cs_ev_http"]},
        "flow/set": "set",
        "flow/get-after-set": "arafat",
        "flow/get-after-update": "arafat-updated",
        "flow/document-cookie": "cs_user=arafat-updated",
        "flow/sent": "arafat-updated",
        "flow/stored": {
            "domain": "example.test",
            "path": "/",
            "secure": True,
            "httpOnly": False,
            "sameSite": "Strict",
            "lifetime_hours": None,
        },
        "flow/get-after-delete": None,
        "flow/stored-after-delete": False,
        "flow/sent-after-delete": False,
        "item/keys": ["name", "value"],
        "item/value-matches-document-cookie": True,
        "item/extra-fields-match-jar": None,
        "getall/names": ["cs_a", "cs_b"],
        "getall/by-name": ["1"],
        "get/by-options": "1",
        "set/object-form": "2",
        "expires/future-lifetime-hours": 1,
        "expires/past-deletes": None,
        "samesite/strict-stored": "Strict",
        "samesite/lax-stored": "Lax",
        "samesite/none-stored": "None",
        "path/get-outside": None,
        "path/get-inside": "1",
        "path/stored-path": "/cs",
        "domain/stored-domain": ".example.test",
        "domain/visible-on-subdomain": "1",
        "domain/foreign-refused": "refused: TypeError",
        "httponly/get": None,
        "httponly/getall-names": [],
        "httponly/overwrite-sent": "1",
        "delete/other-path-keeps": True,
        "domain/other-domain-delete-refused": "refused: TypeError",
        "prefix/secure-set": "1",
        "prefix/host-set": "1",
        "prefix/host-with-domain": "refused: TypeError",
        "prefix/host-with-path": "refused: TypeError",
        "limits/over-4096": "refused: TypeError",
        "limits/at-4096": "set",
        "limits/empty-name-and-value": "refused: TypeError",
        "limits/semicolon-in-value": "refused: TypeError",
        "http-page/available": False,
    },
    "django": {
        "session-defaults/attributes": {
            "httpOnly": True,
            "lifetime_hours": 336,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "session-renamed-strict-secure/attributes": {
            "httpOnly": True,
            "lifetime_hours": 336,
            "path": "/s",
            "sameSite": "Strict",
            "secure": True,
        },
        "session-browser-session/attributes": {
            "httpOnly": False,
            "lifetime_hours": None,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "session-defaults/read-back": {"value": "v1"},
        "session-renamed-strict-secure/read-back": {"value": "v1"},
        "session-browser-session/read-back": {"value": "v1"},
        "csrf-defaults/attributes": {
            "httpOnly": False,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Lax",
            "secure": False,
        },
        "csrf-httponly-strict/attributes": {
            "httpOnly": True,
            "lifetime_hours": 8736,
            "path": "/",
            "sameSite": "Strict",
            "secure": False,
        },
        "csrf-defaults/script-sees": True,
        "csrf-httponly-strict/script-sees": False,
        "csrf-use-sessions/cookies": ["sessionid"],
    },
    "signed": {
        "round-trip": {"valid": True, "value": "hello"},
        "tampered": {"valid": False, "why": "BadSignature"},
        "other-salt": {"valid": False, "why": "BadSignature"},
    },
}


@pytest.mark.parametrize("case", HAND_WRITTEN)
def test_the_model_agrees_with_the_hand_written_samesite_values(case):
    name, context = case.split(" ")
    model = name in test_samesite.MODEL_JAR if context == "stored" else test_samesite.model_sends(name, context)
    assert model == HAND_WRITTEN[case]


@pytest.mark.parametrize("case", HAND_WRITTEN_THIRD_PARTY)
def test_the_model_agrees_with_the_hand_written_third_party_values(case):
    assert test_third_party.model_sends(*case.split(" ")) == HAND_WRITTEN_THIRD_PARTY[case]


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


@pytest.mark.parametrize(
    "concern, rest", [(c, rest) for c, values in HAND_WRITTEN_ROWS.items() for rest in values], ids="/".join
)
def test_the_spec_user_agent_agrees_with_the_hand_written_values(concern, rest):
    """Each module's steps run on the spec's user agent give the value its row held when written by hand."""
    (found,) = [r for r in REGISTRY if r.id == f"{concern}/{rest}"]
    assert json.loads(json.dumps(found.expect)) == HAND_WRITTEN_ROWS[concern][rest]


HOST_PAGE, LOCALHOST_PAGE = "http://example.test", "http://localhost:8000"


@pytest.mark.parametrize(
    "steps, stored",
    [
        ([(HOST_PAGE, "raw", "s=1; Secure")], []),  # 5.7 step 8: Secure only from a secure origin
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
