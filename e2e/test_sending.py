"""The sending model (e2e/harness/spec/sending.py): RFC 6265bis-20 section 5.8.3 with the same-site rules of 5.2.

No browser. The model gives the SameSite module and the third-party module's first-party rows their spec
values; here it is checked against the values those modules held before, written by hand from the drafts
one by one (128: no disagreement), and against single rules, CHIPS's partition key among them.
"""

import pytest

from e2e import test_samesite, test_third_party
from e2e.harness.spec import sending
from e2e.harness.spec.rfc6265bis import Cookie

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
