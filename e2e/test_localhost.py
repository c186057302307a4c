"""localhost by port: a cookie set on one port is the host's, sent and shown on every port (RFC 6265bis-20 section
8.5: cookies do not isolate by port), and a frame on another port of localhost is same-site.

Four cookies are set from http://localhost on the site's first port (SameSite unset, Lax, Strict, and None with
Secure: localhost is a secure origin to the spec); each is then observed on the site's second port, top-level and
by page script, on 127.0.0.1 (another host), in a localhost frame on the other port under localhost, and in that
frame under http://other.test (a third-party context: the run's policy decides). Developers meet exactly this:
Django on localhost:8000 beside a front end on another port. Firefox partitions localhost by port in some
setups (privacycg/CHIPS issue 92); these rows say what each engine does here. A row's id is
localhost/<cookie>/<context>; its spec value is what the spec's user agent does with the same steps.
"""

import secrets
from typing import Any

import pytest

from e2e.harness.network.hosts import CROSS_SITE_ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import (
    CHROMIUM_LAX_BY_DEFAULT,
    RFC,
    Row,
    check_rows,
    row,
    secure_localhost_refused,
    sent_refusal,
    split_id,
)
from e2e.harness.runner import Lab, lab_url
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

COOKIES: dict[str, dict[str, Any]] = {  # name -> set_cookie arguments
    "lh_unset": {},
    "lh_lax": {"samesite": "Lax"},
    "lh_strict": {"samesite": "Strict"},
    "lh_none": {"samesite": "None", "secure": True},
}
PHRASES = {
    "lh_unset": "A cookie without SameSite",
    "lh_lax": "A SameSite=Lax cookie",
    "lh_strict": "A SameSite=Strict cookie",
    "lh_none": "A SameSite=None; Secure cookie",
}
CONTEXTS = {  # context -> where it is observed, in words
    "other-port": "on a top-level load of the other port",
    "other-port-script": "(shown) to page script on the other port",
    "other-host": "to 127.0.0.1 on the same port",
    "frame-other-port": "to a frame on the other port of a localhost page",
    "frame-cross-site": "to the same frame on a page of http://other.test",
}
PORTS = f"{RFC} section 8.5 (cookies do not provide isolation by port) and 5.8.3"
SAME_SITE = f"{RFC} section 5.2 (a site is a scheme and a host's registrable domain: ports play no part)"
HOST_ONLY = f"{RFC} section {storage_step(10)}"
THIRD_PARTY = {  # what a policy decides for a cookie the spec would send into the cross-site frame
    "blocked": (False, "third-party cookies blocked: none is sent to a cross-site frame"),
    "partitioned": (False, "third-party cookies partitioned: a cross-site frame gets its top-level site's jar"),
}


def steps(lab: UserAgent) -> dict[str, Any]:
    """Set the cookies on the first port; context -> the names that arrived there (None: no request came), with
    the user agent's words for each cookie it kept back ("withheld", by context) or refused to store."""
    first = lab.network.loopback_origin("localhost")
    other = lab.network.loopback_origin("localhost", other_port=True)
    lab.hear_refusals()
    lab.set(first, *({"name": name, "value": "1", **spec} for name, spec in COOKIES.items()))
    withheld: dict[str, dict[str, tuple[str, ...]] | None] = {}

    def sent(context: str, origin: str) -> set[str]:
        record = lab.sent(origin)
        withheld[context] = record["withheld"]
        return set(record["cookies"])

    def frame(context: str, top: str) -> set[str] | None:
        token = secrets.token_hex(8)
        records = lab.reach("iframe", top, lab_url(other, "echo", t=token), token)
        withheld[context] = lab.withheld(token)
        return set(records[0]["cookies"]) if records else None

    return {
        "other-port": sent("other-port", other),
        "other-port-script": {part.split("=")[0] for part in lab.script_read(other).split("; ") if part},
        "other-host": sent("other-host", lab.network.loopback_origin("127.0.0.1")),
        "frame-other-port": frame("frame-other-port", first),
        "frame-cross-site": frame("frame-cross-site", CROSS_SITE_ORIGIN),
        "withheld": withheld,
        "refusals": lab.refusals(),
    }


SPEC = steps(SpecLab())
# The Secure cookie never reaches the jar where http://localhost does not count as secure.
REFUSED = secure_localhost_refused(False)


def sent(id: str, spec: str, **deviations: Any) -> Row:
    name, context = split_id(id)[1]
    expect = name in (SPEC[context] or set())
    verb, where = (
        ("shown", CONTEXTS[context][8:]) if CONTEXTS[context].startswith("(shown)") else ("sent", CONTEXTS[context])
    )
    rule = f"{PHRASES[name]} set on http://localhost {'is' if expect else 'is not'} {verb} {where}."
    because = "" if expect else model_rule(SPEC["withheld"].get(context), SPEC["refusals"], name=name)
    return row(id, expect, spec, rule, refused=sent_refusal(expect, because), because=because, **deviations)


def cross_site(id: str, **deviations: Any) -> Row:
    """A row of the frame under other.test: the run's third-party policy decides where the spec sends."""
    policies = THIRD_PARTY if split_id(id)[1][0] in (SPEC["frame-cross-site"] or set()) else {}
    return sent(id, f"{SAME_SITE}; {RFC} section 5.8.3", policies=policies, **deviations)


ROWS = check_rows(
    [
        sent("localhost/lh_unset/other-port", PORTS),
        sent("localhost/lh_lax/other-port", PORTS),
        sent("localhost/lh_strict/other-port", PORTS),
        sent("localhost/lh_none/other-port", PORTS, **REFUSED),
        sent("localhost/lh_unset/other-port-script", PORTS),
        sent("localhost/lh_lax/other-port-script", PORTS),
        sent("localhost/lh_strict/other-port-script", PORTS),
        sent("localhost/lh_none/other-port-script", PORTS, **REFUSED),
        sent("localhost/lh_unset/other-host", HOST_ONLY),
        sent("localhost/lh_lax/other-host", HOST_ONLY),
        sent("localhost/lh_strict/other-host", HOST_ONLY),
        sent("localhost/lh_none/other-host", HOST_ONLY),
        sent("localhost/lh_unset/frame-other-port", SAME_SITE),
        sent("localhost/lh_lax/frame-other-port", SAME_SITE),
        sent("localhost/lh_strict/frame-other-port", SAME_SITE),
        sent("localhost/lh_none/frame-other-port", SAME_SITE, **REFUSED),
        cross_site("localhost/lh_unset/frame-cross-site", chromium=CHROMIUM_LAX_BY_DEFAULT),
        cross_site("localhost/lh_lax/frame-cross-site"),
        cross_site("localhost/lh_strict/frame-cross-site"),
        cross_site("localhost/lh_none/frame-cross-site", **REFUSED),
    ]
)


@pytest.fixture(scope="module")
def observed(module_lab: Lab) -> dict[str, Any]:
    return steps(module_lab)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_localhost_cookie_by_port(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """Whether the localhost cookie arrives in this context, per engine (one kept back, with the engine's words)."""
    name, context = row.parts
    arrived = observed[context]
    assert arrived is not None, f"no request reached the site {CONTEXTS[context]}"
    why = said(observed["withheld"].get(context), name) or said(observed["refusals"], name)
    check(row, name in arrived, why="" if name in arrived else why)
