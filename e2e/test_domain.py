"""Domain: host-only versus Domain cookies across apex, www and blog; rejected domains.

Cookies with distinct names are set once from example.test and from
www.example.test, then what each test host receives is observed. Ids:
domain/<cookie>/stored-domain and domain/<cookie>/sent-to-<host>.
"""

import pytest

from e2e.harness.network.hosts import CROSS_SITE_ORIGIN, ORIGIN, OTHER_SUBDOMAIN_ORIGIN, SUBDOMAIN_ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import RFC, check_rows, measured, row, sent_refusal, split_id
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import HOST_ONLY, REPLACE
from e2e.harness.spec.user_agent import SpecLab

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
MATCH = f"{RFC} sections 5.1.3 (domain-match) and {storage_step(9, 10)}"
NOT_MATCHING = f"{MATCH}: the setting host does not domain-match the Domain"
PUBLIC_SUFFIX = f"{RFC} section {storage_step(9)} (an unlisted TLD counts as one)"
DOT = f"{RFC} section 5.6.3 (a leading dot is ignored)"
LOWER = f"{RFC} section 5.6.3 (Domain is lower-cased)"
# The leading dot is how every engine here reports a Domain cookie.
WEBKIT_CASE = measured("webkit", ".EXAMPLE.TEST", "the Domain is stored as written, not lower-cased (it still matches)")


def steps(lab):
    """Set every cookie, then observe: run on the browser (module_lab) and on the spec's user agent. With the
    user agent's words for each cookie it refused to store."""
    lab.hear_refusals()
    lab.set(ORIGIN, *_specs(FROM_APEX))
    lab.set(SUBDOMAIN_ORIGIN, *_specs(FROM_WWW))
    return {
        "stored": {c["name"]: c["domain"] for c in lab.stored()},
        "sent": {host: set(lab.sent(origin)["cookies"]) for host, origin in HOSTS.items()},
        "refusals": lab.refusals(),
    }


def _specs(domains):
    return [{"name": name, "value": "1", **({"domain": d} if d else {})} for name, d in domains.items()]


SPEC = steps(SpecLab())  # each row's spec value: what the spec's user agent did


def stored(id, spec, **deviations):
    name = split_id(id)[1][0]
    expect = SPEC["stored"].get(name)
    domain = FROM_APEX.get(name, FROM_WWW.get(name))
    origin = "example.test" if name in FROM_APEX else "www.example.test"
    attribute = f"Domain={domain}" if domain else "no Domain"
    outcome = f"stored under {expect}" if expect else "rejected"
    because = "" if expect else model_rule(SPEC["refusals"], name=name)
    return row(id, expect, spec, f"A cookie with {attribute} set from {origin} is {outcome}.", refused=None,
               because=because, **deviations)  # fmt: skip


def sent(id, spec, **deviations):
    name, where = split_id(id)[1]
    host = where.removeprefix("sent-to-")
    expect = name in SPEC["sent"][host]
    rule = f"Cookie {name} {'is' if expect else 'is not'} sent to {HOSTS[host].removeprefix('http://')}."
    because = "" if expect else model_rule(SPEC["refusals"], name=name)  # not sent as never stored
    return row(id, expect, spec, rule, refused=sent_refusal(expect, because), because=because, **deviations)


STORED = check_rows(
    [
        stored("domain/d_hostonly/stored-domain", HOST_ONLY),
        stored("domain/d_domain/stored-domain", MATCH),
        stored("domain/d_dot/stored-domain", DOT),
        stored("domain/d_upper/stored-domain", LOWER, webkit=WEBKIT_CASE),
        stored("domain/d_sub_from_apex/stored-domain", NOT_MATCHING),
        stored("domain/d_foreign/stored-domain", NOT_MATCHING),
        stored("domain/d_tld/stored-domain", PUBLIC_SUFFIX),
        stored("domain/d_www_hostonly/stored-domain", HOST_ONLY),
        stored("domain/d_parent_from_www/stored-domain", MATCH),
        stored("domain/d_sibling_from_www/stored-domain", NOT_MATCHING),
    ]
)
SENT = check_rows(
    [
        sent("domain/d_hostonly/sent-to-apex", HOST_ONLY),
        sent("domain/d_hostonly/sent-to-www", HOST_ONLY),
        sent("domain/d_hostonly/sent-to-blog", HOST_ONLY),
        sent("domain/d_hostonly/sent-to-other", HOST_ONLY),
        sent("domain/d_domain/sent-to-apex", MATCH),
        sent("domain/d_domain/sent-to-www", MATCH),
        sent("domain/d_domain/sent-to-blog", MATCH),
        sent("domain/d_domain/sent-to-other", MATCH),
        sent("domain/d_dot/sent-to-apex", DOT),
        sent("domain/d_dot/sent-to-www", DOT),
        sent("domain/d_dot/sent-to-blog", DOT),
        sent("domain/d_dot/sent-to-other", DOT),
        sent("domain/d_upper/sent-to-apex", LOWER),
        sent("domain/d_upper/sent-to-www", LOWER),
        sent("domain/d_upper/sent-to-blog", LOWER),
        sent("domain/d_upper/sent-to-other", LOWER),
        sent("domain/d_sub_from_apex/sent-to-apex", NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-www", NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-blog", NOT_MATCHING),
        sent("domain/d_sub_from_apex/sent-to-other", NOT_MATCHING),
        sent("domain/d_foreign/sent-to-apex", NOT_MATCHING),
        sent("domain/d_foreign/sent-to-www", NOT_MATCHING),
        sent("domain/d_foreign/sent-to-blog", NOT_MATCHING),
        sent("domain/d_foreign/sent-to-other", NOT_MATCHING),
        sent("domain/d_tld/sent-to-apex", PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-www", PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-blog", PUBLIC_SUFFIX),
        sent("domain/d_tld/sent-to-other", PUBLIC_SUFFIX),
        sent("domain/d_www_hostonly/sent-to-apex", HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-www", HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-blog", HOST_ONLY),
        sent("domain/d_www_hostonly/sent-to-other", HOST_ONLY),
        sent("domain/d_parent_from_www/sent-to-apex", MATCH),
        sent("domain/d_parent_from_www/sent-to-www", MATCH),
        sent("domain/d_parent_from_www/sent-to-blog", MATCH),
        sent("domain/d_parent_from_www/sent-to-other", MATCH),
        sent("domain/d_sibling_from_www/sent-to-apex", NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-www", NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-blog", NOT_MATCHING),
        sent("domain/d_sibling_from_www/sent-to-other", NOT_MATCHING),
    ]
)


def delete_steps(lab, same_domain):
    """A Domain cookie, then delete_cookie with or without its domain: what is left of it."""
    lab.set(ORIGIN, {"name": "d_del", "value": "1", "domain": "example.test"})
    lab.drop(ORIGIN, {"name": "d_del", **({"domain": "example.test"} if same_domain else {})})
    return lab.stored_values().get("d_del")


DELETE = check_rows(
    [
        row(
            "domain/delete/host-only-domain",
            delete_steps(SpecLab(), same_domain=False),
            f"{REPLACE}: a host-only deletion is another cookie",
            "delete_cookie without the domain leaves a Domain cookie in place.",
        ),
        row(
            "domain/delete/same-domain",
            delete_steps(SpecLab(), same_domain=True),
            REPLACE,
            "delete_cookie with the same domain removes a Domain cookie.",
        ),
    ]
)
LOOPBACK_DOMAIN = f"{RFC} section {storage_step(9)} (localhost is a public suffix; an IP address has none)"
WEBKIT_LOCALHOST = measured("webkit", None, "Domain=localhost is rejected (libsoup treats it as a public suffix)")
LOOPBACK = {  # host -> {cookie: Domain}
    "localhost": {"lo_hostonly": None, "lo_domain": "localhost"},
    "127.0.0.1": {"ip_hostonly": None, "ip_domain": "127.0.0.1"},
}


def loopback_steps(lab, origin, host):
    """Host-only and Domain= cookies set on a loopback host: (cookie, observation point) -> observed."""
    lab.set(origin, *_specs(LOOPBACK[host]))
    stored = {c["name"]: c["domain"] for c in lab.stored()}
    sent = lab.sent(origin)["cookies"]
    return {
        **{(n, "stored-domain"): stored.get(n) for n in LOOPBACK[host]},
        **{(n, "sent-back"): n in sent for n in LOOPBACK[host]},
    }


LOOPBACK_SPEC = {
    key: value for host in LOOPBACK for key, value in loopback_steps(SpecLab(), f"http://{host}:8000", host).items()
}


def loopback(id, spec, rule, **deviations):
    return row(id, LOOPBACK_SPEC[tuple(split_id(id)[1])], spec, rule, **deviations)


LOOPBACK_ROWS = check_rows(
    [
        loopback(
            "domain/lo_hostonly/stored-domain",
            HOST_ONLY,
            "A host-only cookie from localhost is stored under localhost.",
        ),
        loopback("domain/lo_hostonly/sent-back", HOST_ONLY, "A host-only cookie from localhost is sent back to it."),
        loopback(
            "domain/lo_domain/stored-domain",
            LOOPBACK_DOMAIN,
            "A Domain=localhost cookie from localhost becomes host-only.",
            webkit=WEBKIT_LOCALHOST,
        ),
        loopback(
            "domain/lo_domain/sent-back",
            LOOPBACK_DOMAIN,
            "A Domain=localhost cookie is sent back to localhost.",
            webkit=measured("webkit", False, "Domain=localhost is rejected"),
        ),
        loopback(
            "domain/ip_hostonly/stored-domain",
            HOST_ONLY,
            "A host-only cookie from 127.0.0.1 is stored under it.",
        ),
        loopback("domain/ip_hostonly/sent-back", HOST_ONLY, "A host-only cookie from 127.0.0.1 is sent back to it."),
        loopback(
            "domain/ip_domain/stored-domain",
            LOOPBACK_DOMAIN,
            "A Domain=127.0.0.1 cookie becomes host-only.",
        ),
        loopback("domain/ip_domain/sent-back", LOOPBACK_DOMAIN, "A Domain=127.0.0.1 cookie is sent back to 127.0.0.1."),
    ]
)


@pytest.fixture(scope="module")
def observed(module_lab):
    return steps(module_lab)


@pytest.mark.parametrize("row", STORED, ids=str)
def test_domain_stored_as(observed, check, row):
    """The domain the engine stored the cookie under (None: rejected, with the engine's words)."""
    stored = observed["stored"].get(row.parts[0])
    check(row, stored, why="" if stored else said(observed["refusals"], row.parts[0]))


@pytest.mark.parametrize("row", SENT, ids=str)
def test_domain_sent_to(observed, check, row):
    """Whether each test host receives the cookie."""
    name, where = row.parts
    sent = name in observed["sent"][where.removeprefix("sent-to-")]
    never_stored = name not in observed["stored"]  # not sent for the reason it was not stored
    check(row, sent, why=said(observed["refusals"], name) if never_stored and not sent else "")


@pytest.mark.parametrize("row", DELETE, ids=str)
def test_domain_delete_needs_same_domain(lab, check, row):
    """delete_cookie removes a Domain cookie only when given the same domain."""
    lab.set(ORIGIN, {"name": "d_del", "value": "1", "domain": "example.test"})
    lab.drop(ORIGIN, {"name": "d_del", **({"domain": "example.test"} if row.parts[1] == "same-domain" else {})})
    check(row, lab.stored_values().get("d_del"))


@pytest.mark.parametrize("host", LOOPBACK)
def test_domain_on_loopback_hosts(lab, check, test_network, host):
    """Host-only and Domain= cookies on localhost and on an IP-address host."""
    observed = loopback_steps(lab, test_network.loopback_origin(host), host)
    for r in LOOPBACK_ROWS:
        if tuple(r.parts) in observed:
            check(r, observed[tuple(r.parts)])
