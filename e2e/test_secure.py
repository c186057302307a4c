"""Secure: set only from secure origins, sent only over https, not overwritable from http."""

import pytest

from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import RFC, check_rows, measured, row, secure_localhost_refused
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import SECURE_SEND
from e2e.harness.spec.user_agent import SpecLab, heard

SECURE_ORIGIN_ONLY = f"{RFC} section {storage_step(13)}"
LEAVE_SECURE = f"{RFC} section {storage_step(16)}"
SCRIPT = f"{RFC} section 5.8.2 (document.cookie uses the same rules)"
# http://localhost is a potentially trustworthy origin (W3C Secure Contexts section 3.2),
# which 6265bis lets engines treat as secure.
LOCALHOST = f"{RFC} section {storage_step(13)} (a 'secure' connection as the user agent defines it); W3C Secure Contexts section 3.2"
WEBKIT_SHADOW = "libsoup does not implement 'leave secure cookies alone' for a deeper path"


def steps(lab):
    """Set from http and https, overwrite and shadow from http, observe: run on the browser (module_lab) and on
    the spec's user agent."""
    lab.set(ORIGIN, {"name": "s_from_http", "value": "1", "secure": True})
    lab.set(SECURE_ORIGIN, {"name": "s_https", "value": "1", "secure": True})
    lab.set(SECURE_ORIGIN, {"name": "s_keep", "value": "https", "secure": True})
    # An insecure origin tries to overwrite, then to shadow on a deeper path.
    lab.set(ORIGIN, {"name": "s_keep", "value": "http"})
    lab.set(ORIGIN, {"name": "s_keep", "value": "shadow", "path": "/a"})
    written = lab.script_write(ORIGIN, "s_keep=script; path=/")
    over_https, over_http = lab.sent(SECURE_ORIGIN), lab.sent(ORIGIN)
    return {
        "stored": {c["name"]: c for c in lab.stored()},
        "s_keep": [[c["path"], c["value"], c["secure"]] for c in lab.stored("s_keep")],
        "sent-over-https": over_https["cookies"],
        "sent-over-http": over_http["cookies"],
        # the user agent's words for each cookie kept back (with hear_refusals)
        "withheld": {"sent-over-https": over_https["withheld"], "sent-over-http": over_http["withheld"]},
        "sent_http_a": lab.sent(ORIGIN, "/a")["cookies"],
        "script-on-http": lab.script_read(ORIGIN),
        "script-on-https": lab.script_read(SECURE_ORIGIN),
        "script_write_http": written,
    }


def localhost_steps(lab, origin):
    """A Secure cookie set over http://localhost: (stored value, sent value)."""
    lab.set(origin, {"name": "s_local", "value": "1", "secure": True})
    return lab.stored_values().get("s_local"), lab.sent(origin)["cookies"].get("s_local")


SPEC, SPEC_REFUSALS = heard(steps)  # each row's spec value: what the spec's user agent did (and its rules)
SPEC_LOCAL = localhost_steps(SpecLab(), "http://localhost:8000")


STORED_HTTP = row(
    "secure/set-over-http/stored",
    "s_from_http" in SPEC["stored"],
    SECURE_ORIGIN_ONLY,
    "A Secure cookie from an http page (not localhost) is not stored.",
    refused=False,
    because=model_rule(SPEC_REFUSALS, name="s_from_http"),
)
STORED_HTTPS = row(
    "secure/set-over-https/stored-secure",
    SPEC["stored"]["s_https"]["secure"],
    SECURE_ORIGIN_ONLY,
    "A Secure cookie from an https page is stored, flagged secure.",
)
SENT = check_rows(
    [
        row(
            "secure/sent-over-https",
            "s_https" in SPEC["sent-over-https"],
            SECURE_SEND,
            "A Secure cookie is sent over https.",
            refused=False,
            because=model_rule(SPEC["withheld"]["sent-over-https"], name="s_https"),
        ),
        row(
            "secure/sent-over-http",
            "s_https" in SPEC["sent-over-http"],
            SECURE_SEND,
            "A Secure cookie is not sent over http.",
            refused=False,
            because=model_rule(SPEC["withheld"]["sent-over-http"], name="s_https"),
        ),
    ]
)
SCRIPT_ROWS = check_rows(
    [
        row(
            "secure/script-on-https",
            "s_https=1" in SPEC["script-on-https"].split("; "),
            SCRIPT,
            "document.cookie shows a Secure cookie on https pages.",
        ),
        row(
            "secure/script-on-http",
            "s_https=1" in SPEC["script-on-http"].split("; "),
            SCRIPT,
            "document.cookie hides a Secure cookie on http pages.",
        ),
    ]
)
SHADOW = row(
    "secure/http-overwrite-and-shadow",
    SPEC["s_keep"],
    LEAVE_SECURE,
    "An http page can neither replace a Secure cookie nor shadow it on a deeper path.",
    labels=("path", "value", "Secure"),
    webkit=measured("webkit", [["/", "https", True], ["/a", "shadow", False]], WEBKIT_SHADOW),
)
SHADOW_SENT = row(
    "secure/http-shadow-sent",
    SPEC["sent_http_a"].get("s_keep"),
    LEAVE_SECURE,
    "No insecure shadow of a Secure cookie reaches http requests under its path.",
    webkit=measured("webkit", "shadow", WEBKIT_SHADOW),
)
SCRIPT_OVERWRITE = row(
    "secure/http-script-overwrite",
    SPEC["script_write_http"],
    LEAVE_SECURE,
    "document.cookie on http can neither overwrite nor see a Secure cookie.",
)
LOCAL_STORED = row(
    "secure/localhost-http/stored",
    SPEC_LOCAL[0],
    LOCALHOST,
    "A Secure cookie from http://localhost is stored.",
    **secure_localhost_refused(None),
)
LOCAL_SENT = row(
    "secure/localhost-http/sent",
    SPEC_LOCAL[1],
    LOCALHOST,
    "A Secure cookie is sent to http://localhost.",
    **secure_localhost_refused(None),
)


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.hear_refusals()
    return {**steps(module_lab), "refusals": module_lab.refusals()}


def test_secure_set_over_http_is_dropped(observed, check):
    """A Secure cookie from an http page (not localhost) is not stored."""
    kept = "s_from_http" in observed["stored"]
    check(STORED_HTTP, kept, why="" if kept else said(observed["refusals"], "s_from_http"))


def test_secure_set_over_https_is_stored(observed, check):
    """A Secure cookie from an https page is stored, flagged secure."""
    check(STORED_HTTPS, observed["stored"]["s_https"]["secure"])


@pytest.mark.parametrize("row", SENT, ids=str)
def test_secure_sent_over_https_only(observed, check, row):
    """A Secure cookie goes to https requests only (kept back, with the engine's words)."""
    sent = "s_https" in observed[row.parts[0]]
    check(row, sent, why="" if sent else said(observed["withheld"][row.parts[0]], "s_https"))


@pytest.mark.parametrize("row", SCRIPT_ROWS, ids=str)
def test_secure_visible_to_https_script_only(observed, check, row):
    """document.cookie shows a Secure cookie on https pages only."""
    check(row, "s_https=1" in observed[row.parts[0]].split("; "))


def test_secure_http_cannot_overwrite_or_shadow(observed, check):
    """An http page cannot replace a Secure cookie, nor shadow it on a deeper path."""
    check(SHADOW, observed["s_keep"], why=said(observed["refusals"], "s_keep"))


def test_secure_http_shadow_not_sent(observed, check):
    """No insecure s_keep reaches an http request under the shadow path either."""
    check(SHADOW_SENT, observed["sent_http_a"].get("s_keep"))


def test_secure_http_script_cannot_overwrite(observed, check):
    """document.cookie on http cannot overwrite a Secure cookie (and cannot see it)."""
    check(SCRIPT_OVERWRITE, observed["script_write_http"])


def test_secure_on_localhost_over_http(lab, check, test_network):
    """localhost counts as a secure origin for Secure cookies, in engines that say so."""
    stored, sent = localhost_steps(lab, test_network.loopback_origin("localhost"))
    check(LOCAL_STORED, stored)
    check(LOCAL_SENT, sent)
