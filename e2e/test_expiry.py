"""Expiry: session cookies, Max-Age and Expires in every form Django takes, deletion, caps.

What each engine made of a cookie is observed as its stored expiry: "session",
a lifetime in seconds from when it was set (rounded to 10 s, for the
round trip), an absolute UTC date, or None when the cookie was not stored.
"""

import datetime
import time

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import RFC, check_rows, duration, measured, row, split_id
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import REPLACE
from e2e.harness.spec.user_agent import SpecLab

HOUR = 3600
TEN_YEARS = 10 * 365 * 86400
PAST = "Thu, 01 Jan 2015 00:00:00 GMT"
# One instant, written the ways people write it. It is 30 days ahead (inside
# every engine's 400-day cap) so the observation is stable: "as written" when
# the engine read the intended instant.
# Its day of the month is past 12, so that DD-MM-YYYY cannot pass for MM-DD-YYYY: Firefox's PR_ParseTimeString
# reads 02-01-2027 as February 1st (measured: firefox 153.8.0 and 140.12.0, 2026-12-03), a day past 12 as written.
TARGET = datetime.datetime.now(datetime.UTC).replace(hour=23, minute=59, second=59, microsecond=0)
TARGET += datetime.timedelta(days=30)
TARGET += datetime.timedelta(days=max(0, 13 - TARGET.day))


def _written(when: datetime.datetime) -> dict[str, str]:
    return {
        "rfc1123": when.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "tutorial-dd-mm-yyyy": when.strftime("%d-%m-%Y %H:%M:%S GMT"),
        "iso8601": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rfc850": when.strftime("%A, %d-%b-%y %H:%M:%S GMT"),
        "asctime": when.strftime("%a %b %d %H:%M:%S %Y"),
        "slashes": when.strftime("%Y/%m/%d %H:%M:%S"),
        "lowercase": when.strftime("%a, %d %b %Y %H:%M:%S GMT").lower(),
        "no-weekday": when.strftime("%d %b %Y %H:%M:%S GMT"),
        "unix-seconds": str(int(when.timestamp())),
        "garbage": "soon",
    }


DATE_FORMATS = _written(TARGET)  # what is sent
# The same formats on one fixed instant, for the rule sentences: they read the same on every day.
SHAPES = _written(datetime.datetime(2030, 1, 31, 23, 59, 59, tzinfo=datetime.UTC))
LIFETIMES = {
    "session": {},
    "max-age-int": {"max_age": HOUR},
    "max-age-timedelta": {"max_age": {"timedelta": HOUR}},
    "expires-datetime": {"expires": {"in_seconds": HOUR}},
    "max-age-over-past-expires": {"max_age": HOUR, "expires": PAST},
    "max-age-ten-years": {"max_age": TEN_YEARS},
    "expires-year-9999": {"expires": "Fri, 31 Dec 9999 23:59:59 GMT"},
}
# Expired on arrival: observed by what is sent, not by the stored list: stock
# Firefox's cookie list can still report such a cookie for a moment, with an
# expiry of "now" (measured: firefox-esr 153, 2 of 25 runs), though it never sends it.
EXPIRED_ON_ARRIVAL = {"max-age-zero-new": {"max_age": 0}, "max-age-negative-new": {"max_age": -10}}
DELETIONS = {
    "max-age-zero": {"max_age": 0},
    "max-age-negative": {"max_age": -10},
    "expires-past": {"expires": PAST},
}
BEYOND = "beyond ten years"  # a lifetime past any cap, reported without the moving clock in it

MAX_AGE = f"{RFC} section 5.6.2 (Max-Age)"
CAP = f"{RFC} sections 5.6.1 and 5.6.2 (lifetimes are capped at 400 days = 34560000 s)"
MAX_AGE_WINS = f"{RFC} section {storage_step(6)}"
# The cookie-date grammar (section 5.1.1) takes tokens in any order: a day of
# month, a month name, a 2- or 4-digit year and hh:mm:ss, ignoring the rest.
COOKIE_DATE = f"{RFC} section 5.1.1 (cookie-date parsing)"
NO_MONTH = f"{COOKIE_DATE}: no month name, so the date is ignored and the cookie is a session cookie"
WEBKIT_NO_CAP = "no 400-day cap: the lifetime is kept as sent"


def _argument(value) -> str:
    """One set_cookie argument as a person writes it (the spec forms of e2e's set verb)."""
    if isinstance(value, dict) and "timedelta" in value:
        return f"timedelta(seconds={value['timedelta']})"
    if isinstance(value, dict) and "in_seconds" in value:
        return f"now + {duration(value['in_seconds'])}"
    return repr(value) if isinstance(value, str) else str(value)


def _describe(cookie):
    if cookie is None:
        return None
    if cookie["expires"] is None:
        return "session"
    return cookie["expires"]


def _lifetime(cookie, set_at):
    described = _describe(cookie)
    if described in (None, "session"):
        return described
    seconds = round((described - set_at) / 10) * 10
    return BEYOND if seconds > TEN_YEARS + 86400 else seconds


def _reading(cookie):
    """How the engine read an expires date: "as written", "session", None, or its offset."""
    described = _describe(cookie)
    if described in (None, "session"):
        return described
    offset = round(described - TARGET.timestamp())
    # Engines keep a sub-second part taken from the clock (Chromium reports it,
    # Firefox rounds it away), so within a second is the written instant.
    return "as written" if abs(offset) <= 1 else f"{offset:+d} s from the written instant"


def steps(lab):
    """Every lifetime, date format, expired arrival and deletion: run on the browser (module_lab) and on the
    spec's user agent."""
    lab.set(ORIGIN, *({"name": f"del-{case}", "value": "1", "max_age": HOUR} for case in DELETIONS))
    set_at = time.time()
    lab.set(ORIGIN, *({"name": f"life-{case}", "value": "1", **spec} for case, spec in LIFETIMES.items()))
    lab.set(ORIGIN, *({"name": f"new-{case}", "value": "1", **spec} for case, spec in EXPIRED_ON_ARRIVAL.items()))
    lab.set(ORIGIN, *({"name": f"fmt-{case}", "value": "1", "expires": d} for case, d in DATE_FORMATS.items()))
    lab.set(ORIGIN, *({"name": f"del-{case}", **spec} for case, spec in DELETIONS.items()))
    lab.raw(ORIGIN, f"raw-max-age-over-expires=1; Path=/; Expires={PAST}; Max-Age={HOUR}")
    return {"stored": {c["name"]: c for c in lab.stored()}, "sent": lab.sent(ORIGIN)["cookies"], "set_at": set_at}


def vanishes_on_spec():
    """The short-lived cookie of test_expiry_short_max_age_vanishes, on the spec's clock: sent, then not."""
    lab = SpecLab()
    lab.set(ORIGIN, {"name": "short", "value": "1", "max_age": 2})
    first = lab.sent(ORIGIN)["cookies"].get("short")
    lab.wait(3)
    return [first, "short" not in lab.sent(ORIGIN)["cookies"]]


SPEC = steps(SpecLab())  # each row's spec value: what the spec's user agent did


def lifetime(id, spec, **deviations):
    case = split_id(id)[1][0]
    expect = _lifetime(SPEC["stored"].get(f"life-{case}"), SPEC["set_at"])
    given = ", ".join(f"{name}={_argument(value)}" for name, value in LIFETIMES[case].items()) or "no lifetime"
    lives = "is a session cookie" if expect == "session" else f"lives {duration(expect)}"
    return row(id, expect, spec, f"A cookie set with {given} {lives}.", unit="seconds", **deviations)


def read_as(id, spec, **deviations):
    case = split_id(id)[1][0].removeprefix("format-")
    expect = _reading(SPEC["stored"].get(f"fmt-{case}"))
    read = "as the date written" if expect == "as written" else "as no date: a session cookie"
    rule = f"An expires date 30 days ahead written like {SHAPES[case]!r} ({case}) is read {read}."
    return row(id, expect, spec, rule, **deviations)


LIFETIME_ROWS = check_rows(
    [
        lifetime("expiry/session/lifetime", f"{RFC} section {storage_step(6)}"),
        lifetime("expiry/max-age-int/lifetime", MAX_AGE),
        lifetime("expiry/max-age-timedelta/lifetime", f"{MAX_AGE}; Django converts a timedelta to seconds"),
        lifetime("expiry/expires-datetime/lifetime", f"{MAX_AGE}; Django turns a datetime expires into Max-Age"),
        lifetime("expiry/max-age-over-past-expires/lifetime", MAX_AGE_WINS),
        lifetime("expiry/max-age-ten-years/lifetime", CAP, webkit=measured("webkit", TEN_YEARS, WEBKIT_NO_CAP)),
        lifetime("expiry/expires-year-9999/lifetime", CAP, webkit=measured("webkit", BEYOND, WEBKIT_NO_CAP)),
    ]
)
RAW_MAX_AGE = row(
    "expiry/raw-max-age-over-expires/lifetime",
    _lifetime(SPEC["stored"].get("raw-max-age-over-expires"), SPEC["set_at"]),
    MAX_AGE_WINS,
    "With both Expires (past) and Max-Age in one header, Max-Age decides.",
)
FORMATS = check_rows(
    [
        read_as("expiry/format-rfc1123/read-as", COOKIE_DATE),
        read_as(
            "expiry/format-tutorial-dd-mm-yyyy/read-as",
            NO_MONTH,
            firefox=measured(
                "firefox", "as written", "Firefox's own date parser (PR_ParseTimeString) reads DD-MM-YYYY"
            ),
        ),
        read_as("expiry/format-iso8601/read-as", NO_MONTH),
        read_as("expiry/format-rfc850/read-as", COOKIE_DATE),
        read_as("expiry/format-asctime/read-as", COOKIE_DATE),
        read_as("expiry/format-slashes/read-as", NO_MONTH),
        read_as("expiry/format-lowercase/read-as", COOKIE_DATE),
        read_as("expiry/format-no-weekday/read-as", COOKIE_DATE),
        read_as("expiry/format-unix-seconds/read-as", NO_MONTH),
        read_as("expiry/format-garbage/read-as", NO_MONTH),
    ]
)
EXPIRED = f"{MAX_AGE} (Max-Age <= 0: the earliest representable time)"
ARRIVAL_ROWS = check_rows(
    [
        row(
            "expiry/max-age-zero-new/sent",
            "new-max-age-zero-new" in SPEC["sent"],
            EXPIRED,
            "A new cookie with max_age=0 is never sent.",
        ),
        row(
            "expiry/max-age-negative-new/sent",
            "new-max-age-negative-new" in SPEC["sent"],
            EXPIRED,
            "A new cookie with a negative max_age is never sent.",
        ),
    ]
)
DELETE = f"{REPLACE}; an expired replacement removes the cookie"
DELETE_ROWS = check_rows(
    [
        row(
            "expiry/delete-max-age-zero/sent",
            "del-max-age-zero" in SPEC["sent"],
            DELETE,
            "max_age=0 deletes an existing cookie.",
        ),
        row(
            "expiry/delete-max-age-negative/sent",
            "del-max-age-negative" in SPEC["sent"],
            DELETE,
            "A negative max_age deletes an existing cookie.",
        ),
        row(
            "expiry/delete-expires-past/sent",
            "del-expires-past" in SPEC["sent"],
            DELETE,
            "A past expires deletes an existing cookie.",
        ),
    ]
)
VANISHES = row(
    "expiry/short-max-age/sent-then-gone",
    vanishes_on_spec(),
    f"{MAX_AGE}; {RFC} section 5.8.3 (expired cookies are not sent)",
    "A cookie with max_age=2 is sent at first and no longer once it has expired.",
    labels=("sent at first", "gone once expired"),
)


@pytest.fixture(scope="module")
def observed(module_lab):
    return steps(module_lab)


@pytest.mark.parametrize("row", LIFETIME_ROWS, ids=str)
def test_expiry_lifetime(observed, check, row):
    """The lifetime the engine gave the cookie, in seconds (or session / not stored)."""
    check(row, _lifetime(observed["stored"].get(f"life-{row.parts[0]}"), observed["set_at"]))


def test_expiry_raw_max_age_wins_over_expires(observed, check):
    """With both attributes, Max-Age decides whatever their order."""
    check(RAW_MAX_AGE, _lifetime(observed["stored"].get("raw-max-age-over-expires"), observed["set_at"]))


@pytest.mark.parametrize("row", FORMATS, ids=str)
def test_expiry_date_format(observed, check, row):
    """What each engine makes of an expires string Django sent verbatim."""
    check(row, _reading(observed["stored"].get(f"fmt-{row.parts[0].removeprefix('format-')}")))


@pytest.mark.parametrize("row", ARRIVAL_ROWS, ids=str)
def test_expiry_new_cookie_expired_on_arrival_is_not_sent(observed, check, row):
    """A new cookie with max_age 0 or below is never sent."""
    check(row, f"new-{row.parts[0]}" in observed["sent"])


@pytest.mark.parametrize("row", DELETE_ROWS, ids=str)
def test_expiry_deletes_existing_cookie(observed, check, row):
    """max_age=0, a negative max_age and a past expires all delete an existing cookie: it is no longer sent."""
    check(row, f"del-{row.parts[0].removeprefix('delete-')}" in observed["sent"])


def test_expiry_short_max_age_vanishes(lab, check):
    """A cookie with max_age=2 is sent at first and stops being sent once it expires."""
    lab.set(ORIGIN, {"name": "short", "value": "1", "max_age": 2})
    first = lab.sent(ORIGIN)["cookies"].get("short")
    deadline = time.monotonic() + 8  # 2 s lifetime plus slack for a loaded machine
    while "short" in lab.sent(ORIGIN)["cookies"] and time.monotonic() < deadline:
        pass  # each lab.sent() is a real navigation: this polls the browser's clock
    check(VANISHES, [first, "short" not in lab.sent(ORIGIN)["cookies"]])
