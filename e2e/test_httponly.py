"""HttpOnly: hidden from document.cookie, untouchable by script, still sent."""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import RFC, check_rows, measured, row
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import HTTPONLY, REPLACE
from e2e.harness.spec.user_agent import SpecLab

EXPIRE = "expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/"
NO_SCRIPT_REPLACE = f"{RFC} section {storage_step(23)}"


def steps(lab):
    """Set, read, write from script, observe: run on the browser (module_lab) and on the spec's user agent."""
    lab.set(ORIGIN, {"name": "h_on", "value": "1", "httponly": True}, {"name": "h_off", "value": "1"})
    seen = {"script": lab.script_read(ORIGIN)}
    seen["overwrite"] = lab.script_write(ORIGIN, "h_on=script; path=/")
    seen["delete"] = lab.script_write(ORIGIN, f"h_on=; {EXPIRE}")
    seen["created"] = lab.script_write(ORIGIN, "h_script=1; path=/")
    seen["stored"] = {c["name"]: c for c in lab.stored()}
    seen["sent"] = lab.sent(ORIGIN)["cookies"]
    return seen


def flip_steps(lab):
    """A cookie re-set without, with, then without HttpOnly: document.cookie after each."""
    shown = []
    for httponly in (False, True, False):
        lab.set(ORIGIN, {"name": "h_flip", "value": str(len(shown)), "httponly": httponly})
        shown.append(lab.script_read(ORIGIN))
    return shown


def script_sees(seen, name):
    return f"{name}=1" in seen["script"].split("; ")


SPEC = steps(SpecLab())  # each row's spec value: what the spec's user agent did


SEES = check_rows(
    [
        row(
            "httponly/h_on/script-sees",
            script_sees(SPEC, "h_on"),
            HTTPONLY,
            "document.cookie does not list an HttpOnly cookie.",
        ),
        row(
            "httponly/h_off/script-sees",
            script_sees(SPEC, "h_off"),
            HTTPONLY,
            "document.cookie lists a cookie without HttpOnly.",
        ),
    ]
)
SENT = check_rows(
    [
        row(
            "httponly/h_on/sent",
            SPEC["sent"].get("h_on"),
            HTTPONLY,
            "An HttpOnly cookie is sent to the server like any other.",
        ),
        row(
            "httponly/h_off/sent",
            SPEC["sent"].get("h_off"),
            HTTPONLY,
            "A cookie without HttpOnly is sent to the server.",
        ),
    ]
)
FLAGS = check_rows(
    [
        row(
            "httponly/h_on/stored-flag",
            SPEC["stored"]["h_on"]["httpOnly"],
            HTTPONLY,
            "An HttpOnly cookie is stored with the flag.",
        ),
        row(
            "httponly/h_off/stored-flag",
            SPEC["stored"]["h_off"]["httpOnly"],
            HTTPONLY,
            "A cookie without HttpOnly is stored without the flag.",
        ),
        row(
            "httponly/h_script/stored-flag",
            SPEC["stored"]["h_script"]["httpOnly"],
            f"{RFC} section {storage_step(15)}",
            "A cookie written by script never has the HttpOnly flag.",
        ),
    ]
)
OVERWRITE = row(
    "httponly/script-overwrite/value",
    SPEC["stored"]["h_on"]["value"],
    NO_SCRIPT_REPLACE,
    "Writing document.cookie with an HttpOnly cookie's name changes nothing.",
)
DELETE = row(
    "httponly/script-delete/stored",
    "h_on" in SPEC["stored"],
    NO_SCRIPT_REPLACE,
    "Expiring an HttpOnly cookie from script does not delete it.",
)
CREATED = row(
    "httponly/script-created/sent",
    SPEC["sent"].get("h_script"),
    f"{RFC} section 5.8.3",
    "A cookie written by script reaches the server.",
)
FLIP = row(
    "httponly/update/flip",
    flip_steps(SpecLab()),
    f"{HTTPONLY}; {REPLACE}",
    "Re-setting a cookie with HttpOnly hides it from script; re-setting it without shows it again.",
    # The jar holds the HttpOnly h_flip=1 and sends it, yet document.cookie,
    # even on a freshly loaded page, still shows the replaced value.
    webkit=measured(
        "webkit",
        ["h_flip=0", "h_flip=0", "h_flip=2"],
        "document.cookie keeps showing the replaced non-HttpOnly value (stale cookie cache)",
    ),
)


@pytest.fixture(scope="module")
def observed(module_lab):
    return steps(module_lab)


@pytest.mark.parametrize("row", SEES, ids=str)
def test_httponly_visibility_to_script(observed, check, row):
    """document.cookie lists a cookie unless it is HttpOnly."""
    check(row, script_sees(observed, row.parts[0]))


@pytest.mark.parametrize("row", SENT, ids=str)
def test_httponly_still_sent(observed, check, row):
    """HttpOnly cookies are sent to the server like any other."""
    check(row, observed["sent"].get(row.parts[0]))


@pytest.mark.parametrize("row", FLAGS, ids=str)
def test_httponly_stored_flag(observed, check, row):
    """The stored httpOnly flag: set by the server only, never by script."""
    check(row, observed["stored"][row.parts[0]]["httpOnly"])


def test_httponly_script_cannot_overwrite(observed, check):
    """Writing document.cookie with an HttpOnly cookie's name changes nothing."""
    check(OVERWRITE, observed["stored"]["h_on"]["value"])


def test_httponly_script_cannot_delete(observed, check):
    """Expiring an HttpOnly cookie from script does not delete it."""
    check(DELETE, "h_on" in observed["stored"])


def test_httponly_script_created_cookie_is_sent(observed, check):
    """A cookie written by script reaches the server."""
    check(CREATED, observed["sent"].get("h_script"))


def test_httponly_update_flips_visibility(lab, check):
    """Re-setting a cookie with HttpOnly hides it from script; without, shows it again."""
    check(FLIP, flip_steps(lab))
