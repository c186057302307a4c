"""Expiry: session cookies, Max-Age and Expires in every form Django takes, deletion, caps.

What each engine made of a cookie is observed as its stored expiry: "session",
a lifetime in seconds from when it was set (rounded to 10 s, for the
round trip), an absolute UTC date, or None when the cookie was not stored.
"""
import datetime
import time

import pytest

from harness.hosts import ORIGIN

HOUR = 3600
TEN_YEARS = 10 * 365 * 86400
PAST = "Thu, 01 Jan 2015 00:00:00 GMT"
# One instant, written the ways people write it. It is 30 days ahead (inside
# every engine's 400-day cap) so the observation is stable: "as written" when
# the engine read the intended instant.
TARGET = datetime.datetime.now(datetime.timezone.utc).replace(hour=23, minute=59, second=59, microsecond=0)
TARGET += datetime.timedelta(days=30)
DATE_FORMATS = {
    "rfc1123": TARGET.strftime("%a, %d %b %Y %H:%M:%S GMT"),
    "tutorial-dd-mm-yyyy": TARGET.strftime("%d-%m-%Y %H:%M:%S GMT"),
    "iso8601": TARGET.strftime("%Y-%m-%dT%H:%M:%SZ"),
    "rfc850": TARGET.strftime("%A, %d-%b-%y %H:%M:%S GMT"),
    "asctime": TARGET.strftime("%a %b %d %H:%M:%S %Y"),
    "slashes": TARGET.strftime("%Y/%m/%d %H:%M:%S"),
    "lowercase": TARGET.strftime("%a, %d %b %Y %H:%M:%S GMT").lower(),
    "no-weekday": TARGET.strftime("%d %b %Y %H:%M:%S GMT"),
    "unix-seconds": str(int(TARGET.timestamp())),
    "garbage": "soon",
}
LIFETIMES = {
    "session": {},
    "max-age-int": {"max_age": HOUR},
    "max-age-timedelta": {"max_age": {"timedelta": HOUR}},
    "expires-datetime": {"expires": {"in_seconds": HOUR}},
    "max-age-over-past-expires": {"max_age": HOUR, "expires": PAST},
    "max-age-ten-years": {"max_age": TEN_YEARS},
    "expires-year-9999": {"expires": "Fri, 31 Dec 9999 23:59:59 GMT"},
}
# Expired on arrival: observed by what is sent, not by context.cookies(): stock
# Firefox's cookie list can still report such a cookie for a moment, with an
# expiry of "now" (measured: firefox-esr 153, 2 of 25 runs), though it never sends it.
EXPIRED_ON_ARRIVAL = {"max-age-zero-new": {"max_age": 0}, "max-age-negative-new": {"max_age": -10}}
DELETIONS = {
    "max-age-zero": {"max_age": 0},
    "max-age-negative": {"max_age": -10},
    "expires-past": {"expires": PAST},
}


def _describe(cookie):
    if cookie is None:
        return None
    if cookie["expires"] is None:
        return "session"
    return cookie["expires"]


def _lifetime(cookie, set_at):
    described = _describe(cookie)
    return described if described in (None, "session") else round((described - set_at) / 10) * 10


def _reading(cookie):
    """How the engine read an expires date: "as written", "session", None, or its offset."""
    described = _describe(cookie)
    if described in (None, "session"):
        return described
    offset = round(described - TARGET.timestamp())
    # Engines keep a sub-second part taken from the clock (Chromium reports it,
    # Firefox rounds it away), so within a second is the written instant.
    return "as written" if abs(offset) <= 1 else f"{offset:+d} s from the written instant"


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.set(ORIGIN, *({"name": f"del-{case}", "value": "1", "max_age": HOUR} for case in DELETIONS))
    set_at = time.time()
    module_lab.set(ORIGIN, *({"name": f"life-{case}", "value": "1", **spec} for case, spec in LIFETIMES.items()))
    module_lab.set(ORIGIN, *({"name": f"new-{case}", "value": "1", **spec} for case, spec in EXPIRED_ON_ARRIVAL.items()))
    module_lab.set(ORIGIN, *({"name": f"fmt-{case}", "value": "1", "expires": d} for case, d in DATE_FORMATS.items()))
    module_lab.set(ORIGIN, *({"name": f"del-{case}", **spec} for case, spec in DELETIONS.items()))
    module_lab.raw(ORIGIN, f"raw-max-age-over-expires=1; Path=/; Expires={PAST}; Max-Age={HOUR}")
    return {
        "stored": {c["name"]: c for c in module_lab.stored()},
        "sent": module_lab.sent(ORIGIN)["cookies"],
        "set_at": set_at,
    }


@pytest.mark.parametrize("case", LIFETIMES)
def test_expiry_lifetime(observed, check, case):
    """The lifetime the engine gave the cookie, in seconds (or session / not stored)."""
    check(f"expiry/{case}/lifetime", _lifetime(observed["stored"].get(f"life-{case}"), observed["set_at"]))


def test_expiry_raw_max_age_wins_over_expires(observed, check):
    """With both attributes, Max-Age decides whatever their order."""
    cookie = observed["stored"].get("raw-max-age-over-expires")
    check("expiry/raw-max-age-over-expires/lifetime", _lifetime(cookie, observed["set_at"]))


@pytest.mark.parametrize("case", DATE_FORMATS)
def test_expiry_date_format(observed, check, case):
    """What each engine makes of an expires string Django sent verbatim."""
    check(f"expiry/format-{case}/read-as", _reading(observed["stored"].get(f"fmt-{case}")))


@pytest.mark.parametrize("case", EXPIRED_ON_ARRIVAL)
def test_expiry_new_cookie_expired_on_arrival_is_not_sent(observed, check, case):
    """A new cookie with max_age 0 or below is never sent."""
    check(f"expiry/{case}/sent", f"new-{case}" in observed["sent"])


@pytest.mark.parametrize("case", DELETIONS)
def test_expiry_deletes_existing_cookie(observed, check, case):
    """max_age=0, a negative max_age and a past expires all delete an existing cookie: it is no longer sent."""
    check(f"expiry/delete-{case}/sent", f"del-{case}" in observed["sent"])


def test_expiry_short_max_age_vanishes(lab, check):
    """A cookie with max_age=2 is sent at first and stops being sent once it expires."""
    lab.set(ORIGIN, {"name": "short", "value": "1", "max_age": 2})
    first = lab.sent(ORIGIN)["cookies"].get("short")
    deadline = time.monotonic() + 8  # 2 s lifetime plus slack for a loaded machine
    while "short" in lab.sent(ORIGIN)["cookies"] and time.monotonic() < deadline:
        pass  # each lab.sent() is a real navigation: this polls the browser's clock
    check("expiry/short-max-age/sent-then-gone", [first, "short" not in lab.sent(ORIGIN)["cookies"]])
