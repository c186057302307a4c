"""HttpOnly: hidden from document.cookie, untouchable by script, still sent."""
import pytest

from harness.hosts import ORIGIN

EXPIRE = "expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/"


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.set(ORIGIN, {"name": "h_on", "value": "1", "httponly": True}, {"name": "h_off", "value": "1"})
    seen = {"script": module_lab.script_read(ORIGIN)}
    seen["overwrite"] = module_lab.script_write(ORIGIN, "h_on=script; path=/")
    seen["delete"] = module_lab.script_write(ORIGIN, f"h_on=; {EXPIRE}")
    seen["created"] = module_lab.script_write(ORIGIN, "h_script=1; path=/")
    seen["stored"] = {c["name"]: c for c in module_lab.stored()}
    seen["sent"] = module_lab.sent(ORIGIN)["cookies"]
    return seen


@pytest.mark.parametrize("name", ["h_on", "h_off"])
def test_httponly_visibility_to_script(observed, check, name):
    """document.cookie lists a cookie unless it is HttpOnly."""
    check(f"httponly/{name}/script-sees", f"{name}=1" in observed["script"].split("; "))


@pytest.mark.parametrize("name", ["h_on", "h_off"])
def test_httponly_still_sent(observed, check, name):
    """HttpOnly cookies are sent to the server like any other."""
    check(f"httponly/{name}/sent", observed["sent"].get(name))


@pytest.mark.parametrize("name", ["h_on", "h_off", "h_script"])
def test_httponly_stored_flag(observed, check, name):
    """The stored httpOnly flag: set by the server only, never by script."""
    check(f"httponly/{name}/stored-flag", observed["stored"][name]["httpOnly"])


def test_httponly_script_cannot_overwrite(observed, check):
    """Writing document.cookie with an HttpOnly cookie's name changes nothing."""
    check("httponly/script-overwrite/value", observed["stored"]["h_on"]["value"])


def test_httponly_script_cannot_delete(observed, check):
    """Expiring an HttpOnly cookie from script does not delete it."""
    check("httponly/script-delete/stored", "h_on" in observed["stored"])


def test_httponly_script_created_cookie_is_sent(observed, check):
    """A cookie written by script reaches the server."""
    check("httponly/script-created/sent", observed["sent"].get("h_script"))


def test_httponly_update_flips_visibility(lab, check):
    """Re-setting a cookie with HttpOnly hides it from script; without, shows it again."""
    steps = []
    for httponly in (False, True, False):
        lab.set(ORIGIN, {"name": "h_flip", "value": str(len(steps)), "httponly": httponly})
        steps.append(lab.script_read(ORIGIN))
    check("httponly/update/flip", steps)
