"""SameSite: which cookies each engine sends, by request context.

Six cookies set once over https on example.test (strict, lax, none+Secure,
no attribute, None without Secure, an unknown value), then every request
context below is observed from the server's side.
"""
import pytest

from harness.hosts import (
    ORIGIN,
    SECURE_CROSS_SITE_ORIGIN,
    SECURE_ORIGIN,
    SECURE_SUBDOMAIN_ORIGIN,
)

COOKIES = {
    "strict": {"samesite": "Strict"},
    "lax": {"samesite": "Lax"},
    "none": {"samesite": "None", "secure": True},
    "unset": {},
}
RAW_COOKIES = {
    "none_insecure": "none_insecure=1; Path=/; SameSite=None",
    "bogus": "bogus=1; Path=/; SameSite=Bogus",
}
NAMES = [*COOKIES, *RAW_COOKIES]

# context -> how the request to example.test is made (runner.sent_via arguments)
CONTEXTS = {
    "same-origin-link": ("link", SECURE_ORIGIN, SECURE_ORIGIN),
    "same-site-link": ("link", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
    "same-site-iframe": ("iframe", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
    "same-site-fetch": ("fetch", SECURE_SUBDOMAIN_ORIGIN, SECURE_ORIGIN),
    "cross-site-link": ("link", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
    "cross-site-form-post": ("form", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
    "cross-site-iframe": ("iframe", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
    "cross-site-fetch": ("fetch", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
    "cross-site-img": ("img", SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN),
    "cross-site-redirect": ("link", SECURE_ORIGIN, SECURE_ORIGIN, "", SECURE_CROSS_SITE_ORIGIN),
    "https-to-http-link": ("link", SECURE_ORIGIN, ORIGIN),
    "http-to-https-link": ("link", ORIGIN, SECURE_ORIGIN),
}


@pytest.fixture(scope="module")
def observed(module_lab):
    """context -> names of the cookies example.test received, plus what was stored."""
    module_lab.set(SECURE_ORIGIN, *({"name": n, "value": "1", **attrs} for n, attrs in COOKIES.items()))
    module_lab.raw(SECURE_ORIGIN, *RAW_COOKIES.values())
    stored = {c["name"] for c in module_lab.stored()}
    sent = {}
    for context, how in CONTEXTS.items():
        record = module_lab.sent_via(*how)
        sent[context] = None if record is None else set(record["cookies"])
    return {"stored": stored, "sent": sent}


@pytest.mark.parametrize("name", NAMES)
def test_samesite_cookie_is_stored(observed, check, name):
    """Which SameSite variants the engine accepts when set over https."""
    check(f"samesite/{name}/stored", name in observed["stored"])


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("name", NAMES)
def test_samesite_cookie_sent(observed, check, name, context):
    """Whether the cookie is sent in this request context, per engine."""
    sent = observed["sent"][context]
    assert sent is not None, f"no request from {context} reached the server"
    check(f"samesite/{name}/{context}", name in sent)
