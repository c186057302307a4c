"""Cookie name prefixes: __Secure- needs Secure; __Host- needs Secure, Path=/ and no Domain."""
import pytest

from harness.hosts import ORIGIN, SECURE_ORIGIN

# name -> raw Set-Cookie (Django would add nothing itself; raw keeps it exact)
OVER_HTTPS = {
    "__Secure-ok": "__Secure-ok=1; Path=/; Secure",
    "__Secure-nosecure": "__Secure-nosecure=1; Path=/",
    "__Host-ok": "__Host-ok=1; Path=/; Secure",
    "__Host-domain": "__Host-domain=1; Path=/; Secure; Domain=example.test",
    "__Host-path": "__Host-path=1; Path=/p; Secure",
    "__Host-nosecure": "__Host-nosecure=1; Path=/",
    "__host-lower": "__host-lower=1; Path=/; Secure; Domain=example.test",
    "__SECURE-upper": "__SECURE-upper=1; Path=/",
}
OVER_HTTP = {"__Secure-http": "__Secure-http=1; Path=/; Secure"}


@pytest.fixture(scope="module")
def stored(module_lab):
    module_lab.raw(SECURE_ORIGIN, *OVER_HTTPS.values())
    module_lab.raw(ORIGIN, *OVER_HTTP.values())
    return {c["name"] for c in module_lab.stored()}


@pytest.mark.parametrize("name", [*OVER_HTTPS, *OVER_HTTP])
def test_prefix_accepted(stored, check, name):
    """Whether the engine stores a prefixed cookie with these attributes."""
    check(f"prefix/{name}/stored", name in stored)


@pytest.mark.parametrize("name", ["__Secure-del", "__Host-del"])
def test_prefix_django_delete_works(lab, check, name):
    """delete_cookie adds Secure for prefixed names, so the deletion is accepted."""
    lab.set(SECURE_ORIGIN, {"name": name, "value": "1", "secure": True})
    lab.drop(SECURE_ORIGIN, {"name": name})
    check(f"prefix/{name}/after-delete", lab.stored_values().get(name))
