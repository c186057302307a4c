"""Domain: host-only versus Domain cookies across apex, www and blog; rejected domains.

Cookies with distinct names are set once from example.test and from
www.example.test, then what each test host receives is observed.
"""
import pytest

from harness.hosts import CROSS_SITE_ORIGIN, ORIGIN, OTHER_SUBDOMAIN_ORIGIN, SUBDOMAIN_ORIGIN

FROM_APEX = {
    "d_hostonly": None,
    "d_domain": "example.test",
    "d_dot": ".example.test",
    "d_upper": "EXAMPLE.TEST",
    "d_sub_from_apex": "www.example.test",
    "d_foreign": "other.test",
    "d_tld": "test",
}
FROM_WWW = {
    "d_www_hostonly": None,
    "d_parent_from_www": "example.test",
    "d_sibling_from_www": "blog.example.test",
}
COOKIES = [*FROM_APEX, *FROM_WWW]
HOSTS = {"apex": ORIGIN, "www": SUBDOMAIN_ORIGIN, "blog": OTHER_SUBDOMAIN_ORIGIN, "other": CROSS_SITE_ORIGIN}


def _specs(domains):
    return [{"name": name, "value": "1", **({"domain": d} if d else {})} for name, d in domains.items()]


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.set(ORIGIN, *_specs(FROM_APEX))
    module_lab.set(SUBDOMAIN_ORIGIN, *_specs(FROM_WWW))
    return {
        "stored": {c["name"]: c["domain"] for c in module_lab.stored()},
        "sent": {host: set(module_lab.sent(origin)["cookies"]) for host, origin in HOSTS.items()},
    }


@pytest.mark.parametrize("name", COOKIES)
def test_domain_stored_as(observed, check, name):
    """The domain the engine stored the cookie under (None: rejected)."""
    check(f"domain/{name}/stored-domain", observed["stored"].get(name))


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("name", COOKIES)
def test_domain_sent_to(observed, check, name, host):
    """Whether each test host receives the cookie."""
    check(f"domain/{name}/sent-to-{host}", name in observed["sent"][host])


@pytest.mark.parametrize("drop_domain", [None, "example.test"], ids=["without-domain", "with-domain"])
def test_domain_delete_needs_same_domain(lab, check, drop_domain):
    """delete_cookie removes a Domain cookie only when given the same domain."""
    lab.set(ORIGIN, {"name": "d_del", "value": "1", "domain": "example.test"})
    lab.drop(ORIGIN, {"name": "d_del", **({"domain": drop_domain} if drop_domain else {})})
    check(f"domain/delete/{'same' if drop_domain else 'host-only'}-domain", lab.stored_values().get("d_del"))


LOOPBACK = {
    "localhost": {"lo_hostonly": None, "lo_domain": "localhost"},
    "127.0.0.1": {"ip_hostonly": None, "ip_domain": "127.0.0.1"},
}


@pytest.mark.parametrize("host", LOOPBACK)
def test_domain_on_loopback_hosts(lab, check, test_network, host):
    """Host-only and Domain= cookies on localhost and on an IP-address host."""
    origin = test_network.loopback_origin(host)
    lab.set(origin, *_specs(LOOPBACK[host]))
    stored = {c["name"]: c["domain"] for c in lab.stored()}
    sent = lab.sent(origin)["cookies"]
    for name in LOOPBACK[host]:
        check(f"domain/{name}/stored-domain", stored.get(name))
        check(f"domain/{name}/sent-back", name in sent)
