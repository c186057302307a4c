"""Secure: set only from secure origins, sent only over https, not overwritable from http."""
import pytest

from harness.hosts import ORIGIN, SECURE_ORIGIN


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.set(ORIGIN, {"name": "s_from_http", "value": "1", "secure": True})
    module_lab.set(SECURE_ORIGIN, {"name": "s_https", "value": "1", "secure": True})
    module_lab.set(SECURE_ORIGIN, {"name": "s_keep", "value": "https", "secure": True})
    # An insecure origin tries to overwrite, then to shadow on a deeper path.
    module_lab.set(ORIGIN, {"name": "s_keep", "value": "http"})
    module_lab.set(ORIGIN, {"name": "s_keep", "value": "shadow", "path": "/a"})
    written = module_lab.script_write(ORIGIN, "s_keep=script; path=/")
    return {
        "stored": {c["name"]: c for c in module_lab.stored()},
        "s_keep": [[c["path"], c["value"], c["secure"]] for c in module_lab.stored("s_keep")],
        "sent_https": module_lab.sent(SECURE_ORIGIN)["cookies"],
        "sent_http": module_lab.sent(ORIGIN)["cookies"],
        "sent_http_a": module_lab.sent(ORIGIN, "/a")["cookies"],
        "script_http": module_lab.script_read(ORIGIN),
        "script_https": module_lab.script_read(SECURE_ORIGIN),
        "script_write_http": written,
    }


def test_secure_set_over_http_is_dropped(observed, check):
    """A Secure cookie from an http page (not localhost) is not stored."""
    check("secure/set-over-http/stored", "s_from_http" in observed["stored"])


def test_secure_set_over_https_is_stored(observed, check):
    """A Secure cookie from an https page is stored, flagged secure."""
    check("secure/set-over-https/stored-secure", observed["stored"]["s_https"]["secure"])


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_secure_sent_over_https_only(observed, check, scheme):
    """A Secure cookie goes to https requests only."""
    check(f"secure/sent-over-{scheme}", "s_https" in observed[f"sent_{scheme}"])


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_secure_visible_to_https_script_only(observed, check, scheme):
    """document.cookie shows a Secure cookie on https pages only."""
    check(f"secure/script-on-{scheme}", "s_https=1" in observed[f"script_{scheme}"].split("; "))


def test_secure_http_cannot_overwrite_or_shadow(observed, check):
    """An http page cannot replace a Secure cookie, nor shadow it on a deeper path."""
    check("secure/http-overwrite-and-shadow", observed["s_keep"])


def test_secure_http_shadow_not_sent(observed, check):
    """No insecure s_keep reaches an http request under the shadow path either."""
    check("secure/http-shadow-sent", observed["sent_http_a"].get("s_keep"))


def test_secure_http_script_cannot_overwrite(observed, check):
    """document.cookie on http cannot overwrite a Secure cookie (and cannot see it)."""
    check("secure/http-script-overwrite", observed["script_write_http"])


def test_secure_on_localhost_over_http(lab, check, test_network):
    """localhost counts as a secure origin for Secure cookies, in engines that say so."""
    origin = test_network.loopback_origin("localhost")
    lab.set(origin, {"name": "s_local", "value": "1", "secure": True})
    check("secure/localhost-http/stored", lab.stored_values().get("s_local"))
    check("secure/localhost-http/sent", lab.sent(origin)["cookies"].get("s_local"))
