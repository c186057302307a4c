"""Domain: host-only versus Domain cookies across apex, www and blog; rejected domains.

Cookies with distinct names are set once from example.test and from
www.example.test, then what each test host receives is observed. Ids:
domain/<cookie>/stored-domain and domain/<cookie>/sent-to-<host>.
"""

import pytest

from e2e.harness.network.hosts import CROSS_SITE_ORIGIN, ORIGIN, OTHER_SUBDOMAIN_ORIGIN, SUBDOMAIN_ORIGIN
from e2e.harness.rows import RFC, check_rows, measured, row, split_id
from e2e.harness.spec.sections import HOST_ONLY, REPLACE

FROM_APEX = {  # cookie -> Domain attribute, set from example.test
    "d_hostonly": None,
    "d_domain": "example.test",
    "d_dot": ".example.test",
    "d_upper": "EXAMPLE.TEST",
    "d_sub_from_apex": "www.example.test",
    "d_foreign": "other.test",
    "d_tld": "test",
}
FROM_WWW = {  # set from www.example.test
    "d_www_hostonly": None,
    "d_parent_from_www": "example.test",
    "d_sibling_from_www": "blog.example.test",
}
HOSTS = {"apex": ORIGIN, "www": SUBDOMAIN_ORIGIN, "blog": OTHER_SUBDOMAIN_ORIGIN, "other": CROSS_SITE_ORIGIN}
MATCH = f"{RFC} sections 5.1.3 (domain-match) and 5.7 steps 9-10 (Domain attribute)"
NOT_MATCHING = f"{MATCH}: the setting host does not domain-match the Domain"
PUBLIC_SUFFIX = f"{RFC} section 5.7 step 9 (a public suffix is rejected; an unlisted TLD counts as one)"
DOT = f"{RFC} section 5.6.3 (a leading dot is ignored)"
LOWER = f"{RFC} section 5.6.3 (Domain is lower-cased)"
# The leading dot is how every engine here reports a Domain cookie.
WEBKIT_CASE = measured("webkit", ".EXAMPLE.TEST", "the Domain is stored as written, not lower-cased (it still matches)")


def stored(id, expect, spec, **deviations):
    name = split_id(id)[1][0]
    domain = FROM_APEX.get(name, FROM_WWW.get(name))
    origin = "example.test" if name in FROM_APEX else "www.example.test"
    attribute = f"Domain={domain}" if domain else "no Domain"
    outcome = f"stored under {expect}" if expect else "rejected"
    return row(id, expect, spec, f"A cookie with {attribute} set from {origin} is {outcome}.", **deviations)


def sent(id, expect, spec, **deviations):
    name, where = split_id(id)[1]
    host = where.removeprefix("sent-to-")
    rule = f"Cookie {name} {'is' if expect else 'is not'} sent to {HOSTS[host].removeprefix('http://')}."
    return row(id, expect, spec, rule, **deviations)


STORED = check_rows(
    [
        stored("domain/d_hostonly/stored-domain", "example.test", HOST_ONLY),
        stored("domain/d_domain/stored-domain", ".example.test", MATCH),
        stored("domain/d_dot/stored-domain", ".example.test", DOT),
        stored("domain/d_upper/stored-domain", ".example.test", LOWER, webkit=WEBKIT_CASE),
        stored("domain/d_sub_from_apex/stored-domain", None, NOT_MATCHING),
        stored("domain/d_foreign/stored-domain", None, NOT_MATCHING),
        stored("domain/d_tld/stored-domain", None, PUBLIC_SUFFIX),
        stored("domain/d_www_hostonly/stored-domain", "www.example.test", HOST_ONLY),
        stored("domain/d_parent_from_www/stored-domain", ".example.test", MATCH),
        stored("domain/d_sibling_from_www/stored-domain", None, NOT_MATCHING),
    ]
)
SENT = check_rows(
    [
        sent("domain/d_hostonly/sent-to-apex", True, HOST_ONLY),
        sent("domain/d_hostonly/sent-to-www", False, HOST_ONLY),
        sent("domain/d_hostonly/sent-to-blog", False, HOST_ONLY),
        sent("domain/d_hostonly/sent-to-other", False, HOST_ONLY),
        sent("domain/d_domain/sent-to-apex", True, MATCH),
        sent("domain/d_domain/sent-to-www", True, MATCH),
        sent("domain/d_domain/sent-to-blog", True, MATCH),
        sent("domain/d_domain/sent-to-other", False, MATCH),
        sent("domain/d_dot/sent-to-apex", True, DOT),
        sent("domain/d_dot/sent-to-www", True, DOT),
        sent("domain/d_dot/sent-to-blog", True, DOT),
        sent("domain/d_dot/sent-to-other", False, DOT),
        sent("domain/d_upper/sent-to-apex", True, LOWER),
        sent("domain/d_upper/sent-to-www", True, LOWER),
        sent("domain/d_upper/sent-to-blog", True, LOWER),
        sent("domain/d_upper/sent-to-other", False, LOWER),
        sent("domain/d_sub_from_apex/sent-to-apex", False, NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-www", False, NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-blog", False, NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-other", False, NOT_MATCHING),
        sent("domain/d_foreign/sent-to-apex", False, NOT_MATCHING),
        sent("domain/d_foreign/sent-to-www", False, NOT_MATCHING),
        sent("domain/d_foreign/sent-to-blog", False, NOT_MATCHING),
        sent("domain/d_foreign/sent-to-other", False, NOT_MATCHING),
        sent("domain/d_tld/sent-to-apex", False, PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-www", False, PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-blog", False, PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-other", False, PUBLIC_SUFFIX),
        sent("domain/d_www_hostonly/sent-to-apex", False, HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-www", True, HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-blog", False, HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-other", False, HOST_ONLY),
        sent("domain/d_parent_from_www/sent-to-apex", True, MATCH),
        sent("domain/d_parent_from_www/sent-to-www", True, MATCH),
        sent("domain/d_parent_from_www/sent-to-blog", True, MATCH),
        sent("domain/d_parent_from_www/sent-to-other", False, MATCH),
        sent("domain/d_sibling_from_www/sent-to-apex", False, NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-www", False, NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-blog", False, NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-other", False, NOT_MATCHING),
    ]
)
DELETE = check_rows(
    [
        row(
            "domain/delete/host-only-domain",
            "1",
            f"{REPLACE}: a host-only deletion is another cookie",
            "delete_cookie without the domain leaves a Domain cookie in place.",
        ),
        row("domain/delete/same-domain", None, REPLACE, "delete_cookie with the same domain removes a Domain cookie."),
    ]
)
LOOPBACK_DOMAIN = f"{RFC} section 5.7 step 9 (Domain equal to the host, a public suffix or IP: host-only)"
WEBKIT_LOCALHOST = measured("webkit", None, "Domain=localhost is rejected (libsoup treats it as a public suffix)")
LOOPBACK = {  # host -> {cookie: Domain}
    "localhost": {"lo_hostonly": None, "lo_domain": "localhost"},
    "127.0.0.1": {"ip_hostonly": None, "ip_domain": "127.0.0.1"},
}
LOOPBACK_ROWS = check_rows(
    [
        row(
            "domain/lo_hostonly/stored-domain",
            "localhost",
            HOST_ONLY,
            "A host-only cookie from localhost is stored under localhost.",
        ),
        row("domain/lo_hostonly/sent-back", True, HOST_ONLY, "A host-only cookie from localhost is sent back to it."),
        row(
            "domain/lo_domain/stored-domain",
            "localhost",
            LOOPBACK_DOMAIN,
            "A Domain=localhost cookie from localhost becomes host-only.",
            webkit=WEBKIT_LOCALHOST,
        ),
        row(
            "domain/lo_domain/sent-back",
            True,
            LOOPBACK_DOMAIN,
            "A Domain=localhost cookie is sent back to localhost.",
            webkit=measured("webkit", False, "Domain=localhost is rejected"),
        ),
        row(
            "domain/ip_hostonly/stored-domain",
            "127.0.0.1",
            HOST_ONLY,
            "A host-only cookie from 127.0.0.1 is stored under it.",
        ),
        row("domain/ip_hostonly/sent-back", True, HOST_ONLY, "A host-only cookie from 127.0.0.1 is sent back to it."),
        row(
            "domain/ip_domain/stored-domain",
            "127.0.0.1",
            LOOPBACK_DOMAIN,
            "A Domain=127.0.0.1 cookie becomes host-only.",
        ),
        row(
            "domain/ip_domain/sent-back", True, LOOPBACK_DOMAIN, "A Domain=127.0.0.1 cookie is sent back to 127.0.0.1."
        ),
    ]
)


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


@pytest.mark.parametrize("row", STORED, ids=str)
def test_domain_stored_as(observed, check, row):
    """The domain the engine stored the cookie under (None: rejected)."""
    check(row, observed["stored"].get(row.parts[0]))


@pytest.mark.parametrize("row", SENT, ids=str)
def test_domain_sent_to(observed, check, row):
    """Whether each test host receives the cookie."""
    name, where = row.parts
    check(row, name in observed["sent"][where.removeprefix("sent-to-")])


@pytest.mark.parametrize("row", DELETE, ids=str)
def test_domain_delete_needs_same_domain(lab, check, row):
    """delete_cookie removes a Domain cookie only when given the same domain."""
    lab.set(ORIGIN, {"name": "d_del", "value": "1", "domain": "example.test"})
    lab.drop(ORIGIN, {"name": "d_del", **({"domain": "example.test"} if row.parts[1] == "same-domain" else {})})
    check(row, lab.stored_values().get("d_del"))


@pytest.mark.parametrize("host", LOOPBACK)
def test_domain_on_loopback_hosts(lab, check, test_network, host):
    """Host-only and Domain= cookies on localhost and on an IP-address host."""
    origin = test_network.loopback_origin(host)
    lab.set(origin, *_specs(LOOPBACK[host]))
    stored = {c["name"]: c["domain"] for c in lab.stored()}
    sent = lab.sent(origin)["cookies"]
    for r in LOOPBACK_ROWS:
        name, point = r.parts
        if name in LOOPBACK[host]:
            check(r, stored.get(name) if point == "stored-domain" else name in sent)
