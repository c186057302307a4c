"""Why a cookie was refused: for each Set-Cookie line the spec ignores, the rule the engine's own reason names
(reasons.py maps each engine's words onto the model's rules), beside the rule the model itself ignored it by.

A row's value is "stored" (the engine kept the cookie), a rule key of rfc6265bis.IGNORED (the engine said why,
in words that name that rule; its words are shown beside the value in the report), "no reason given" (the engine
gives the harness no reason: WebKitGTK here) or "refused without a word" (an engine that can say why
refused the cookie and said nothing). The spec value is the model's rule. A row id is refusals/<case>/why.
"""

from typing import Any

import pytest

from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.reasons import NO_REASON, SILENT, STORED, cookie_name, rule_of
from e2e.harness.rows import RFC, UNVERIFIED, Deviation, Row, check_rows, measured, measured_older, row, split_id
from e2e.harness.runner import Lab
from e2e.harness.spec.rfc6265bis import IGNORED
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

CASES = {  # case -> (the origin that answers with the line, the Set-Cookie line)
    "secure-from-http": (ORIGIN, "rf_secure=1; Secure"),
    "samesite-none-insecure": (ORIGIN, "rf_none=1; SameSite=None"),
    "secure-prefix-without-secure": (SECURE_ORIGIN, "__Secure-rf=1"),
    "host-prefix-with-domain": (SECURE_ORIGIN, "__Host-rfd=1; Secure; Path=/; Domain=example.test"),
    "host-prefix-deeper-path": (SECURE_ORIGIN, "__Host-rfp=1; Secure; Path=/a"),
    "http-prefix-without-httponly": (SECURE_ORIGIN, "__Http-rf=1; Secure"),
    "domain-other-site": (ORIGIN, "rf_other=1; Domain=other.test"),
    "domain-public-suffix": (ORIGIN, "rf_suffix=1; Domain=test"),
    "domain-below-host": (ORIGIN, "rf_below=1; Domain=www.example.test"),
    "oversize": (ORIGIN, "rf_big=" + "v" * 4096),
    "leave-secure": (ORIGIN, "rf_kept=2"),
    "partitioned-insecure": (ORIGIN, "rf_part=1; Partitioned"),
}
SCRIPT_CASES = {  # case -> (the origin whose page script writes document.cookie, the string it writes)
    "script-secure-from-http": (ORIGIN, "js_secure=1; Secure"),
    "script-httponly": (ORIGIN, "js_httponly=1; HttpOnly"),
    "script-secure-prefix-from-http": (ORIGIN, "__Secure-js=1; Secure"),
}
LINES = CASES | SCRIPT_CASES
KEPT = "rf_kept=1; Secure"  # set over https first: the http line of leave-secure may neither replace nor shadow it


def _value(line: str) -> str:
    return line.split(";", 1)[0].split("=", 1)[1]


def steps(lab: UserAgent) -> dict[str, tuple[bool, tuple[str, ...] | None]]:
    """Each case's line, answered by its origin: case -> (stored, the user agent's words for refusing it; None:
    it gives no reason)."""
    lab.raw(SECURE_ORIGIN, KEPT)
    lab.hear_refusals()
    for origin, line in CASES.values():
        lab.raw(origin, line)
    for origin, line in SCRIPT_CASES.values():
        lab.script_write(origin, line)
    stored = {(c["name"], c["value"]) for c in lab.stored()}
    refusals = lab.refusals()
    return {
        case: (
            (cookie_name(line), _value(line)) in stored,
            None if refusals is None else refusals.get(cookie_name(line), ()),
        )
        for case, (_, line) in LINES.items()
    }


def value(engine: str, stored: bool, words: tuple[str, ...] | None) -> str:
    """A case's row value from what the user agent did and said."""
    if stored:
        return STORED
    if words is None:
        return NO_REASON
    return rule_of(engine, words) if words else SILENT


SPEC = {case: value("spec", *seen) for case, seen in steps(SpecLab()).items()}
NO_CHANNEL = {
    "firefox": "no reason channel in Playwright's own Firefox build: the harness installs its console listener "
    "only in the distribution's (e2e/harness/backends/firefox_console.py)",
    "webkit": "no reason channel: WebKitGTK says nothing of a refused cookie",
}


# Where the harness hears no reason: Playwright's own Firefox build (not run here), WebKitGTK everywhere.
UNHEARD = {
    "firefox": Deviation(NO_REASON, UNVERIFIED + NO_CHANNEL["firefox"], builds=("playwright",)),
    "webkit": measured("webkit", NO_REASON, NO_CHANNEL["webkit"]),
}


def refused(id: str) -> Row:
    """A row whose cookie the spec refuses: WebKitGTK says no reason unless a deviation says more."""
    case = split_id(id)[1][0]
    rule = SPEC[case]
    return row(
        id,
        rule,
        (f"{RFC} {IGNORED[rule]}" if IGNORED[rule].startswith("section") else IGNORED[rule])
        if rule in IGNORED
        else RFC,
        f"The {'line' if case in CASES else 'script write'} `{LINES[case][1][:60]}` from {LINES[case][0]} is refused "
        f"for the model's rule ({rule}).",
        **(UNHEARD | deviations(case)),
    )


# WebKitGTK's libsoup keeps these lines (the prefix, SameSite, size and CHIPS modules' WebKit rows say the same).
WEBKIT_STORES = {
    "samesite-none-insecure": "libsoup does not require Secure for SameSite=None",
    "secure-prefix-without-secure": "libsoup does not enforce cookie name prefixes",
    "host-prefix-with-domain": "libsoup does not enforce cookie name prefixes",
    "host-prefix-deeper-path": "libsoup does not enforce cookie name prefixes",
    "http-prefix-without-httponly": "libsoup does not enforce cookie name prefixes",
    "oversize": "libsoup has no 4096-octet limit on name and value",
    "partitioned-insecure": "libsoup ignores the Partitioned attribute",
}
# Firefox ESR 140 keeps these (ESR 153 refuses them): prefix rows say the same of __Http- (MDN: from Firefox 143).
FIREFOX_140_STORES = {
    "http-prefix-without-httponly": "ESR 140 does not enforce the __Http- prefix",
    "partitioned-insecure": "ESR 140 keeps Partitioned without Secure",
}
CHROMIUM_SILENT = measured("chromium", SILENT, "refused, and no blockedCookies entry names it")
CHROMIUM_SCRIPT = measured("chromium", SILENT, "a document.cookie refusal reaches no DevTools Network event")
# Over Marionette Firefox names the prefix rule for a __Secure- name written by script on http, where the model's
# earlier rule (Secure only from a secure origin) ignores it first: the two name different rules (a finding).
FIREFOX_NAMES_PREFIX = measured(
    "firefox",
    "prefix",
    "over Playwright (firefox 153.8.0, its console heard by firefox_console.py) and Marionette (153.8.0 and "
    "140.12.0, 2026-12-03): 'rejected for invalid prefix', where the model stops at the Secure rule first",
)


def deviations(case: str) -> dict[str, Any]:
    """A case's measured departures from the default (each engine's reason channel), first match first."""
    found: dict[str, Any] = {}
    if case in WEBKIT_STORES:
        found["webkit"] = measured("webkit", STORED, WEBKIT_STORES[case])
    if case in FIREFOX_140_STORES:
        older = measured_older("firefox", STORED, FIREFOX_140_STORES[case], 153)
        found["firefox"] = (older, UNHEARD["firefox"])
    if case == "partitioned-insecure":
        found["chromium"] = CHROMIUM_SILENT
    if case in SCRIPT_CASES:
        found["chromium"] = CHROMIUM_SCRIPT
    if case == "script-secure-prefix-from-http":
        found["firefox"] = (FIREFOX_NAMES_PREFIX, UNHEARD["firefox"])
    return found


ROWS = check_rows(
    [
        refused("refusals/secure-from-http/why"),
        refused("refusals/samesite-none-insecure/why"),
        refused("refusals/secure-prefix-without-secure/why"),
        refused("refusals/host-prefix-with-domain/why"),
        refused("refusals/host-prefix-deeper-path/why"),
        refused("refusals/http-prefix-without-httponly/why"),
        refused("refusals/domain-other-site/why"),
        refused("refusals/domain-public-suffix/why"),
        refused("refusals/domain-below-host/why"),
        refused("refusals/oversize/why"),
        refused("refusals/leave-secure/why"),
        refused("refusals/partitioned-insecure/why"),
        refused("refusals/script-secure-from-http/why"),
        refused("refusals/script-httponly/why"),
        refused("refusals/script-secure-prefix-from-http/why"),
    ]
)
assert {r.parts[0] for r in ROWS} == set(LINES), "each case has its row"


@pytest.fixture(scope="module")
def observed(module_lab: Lab) -> dict[str, tuple[bool, tuple[str, ...] | None]]:
    return steps(module_lab)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_refusal_reason(module_lab: Lab, observed: dict[str, tuple[bool, tuple[str, ...] | None]], check: Verdict,
                        row: Row) -> None:  # fmt: skip
    """What the engine did with the line, and the rule its own reason names."""
    stored, words = observed[row.parts[0]]
    check(row, value(module_lab.engine.name, stored, words), why=" ".join(words or ()))
