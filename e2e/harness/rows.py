"""A scenario row: the one home of a case's id, rule, expectation and per-engine deviations.

A row's id is written once, in the row (grep an id from a failure and you land
on it). The row states its rule as a sentence, the value the spec (RFC 6265bis,
or Django's docs) expects with its section, and per engine any known deviation:
its value, where it applies (builds, release range) and its source (a bug link
or "measured: <engine> <version> <build>"). The steps are named by the id's
parts, which each module resolves from its own vocabulary (its cookies,
request contexts, paths), so batching many rows into one navigation stays.
"""

import dataclasses
import sys
from typing import Any

from e2e.harness.engine import ENGINES, Engine

RFC = "RFC 6265bis-20"  # draft-ietf-httpbis-rfc6265bis-20
MEASURED = {
    "chromium": "measured: chromium 156.0.8078.108 (Debian build, Playwright 1.64.1)",
    "firefox": "measured: firefox 153.7.0esr (Debian build, Playwright 1.64.1 over WebDriver BiDi)",
    "webkit": "measured: webkitgtk 2.50.6 (Debian, WebDriver)",
}
UNVERIFIED = "unverified: "  # a value this project could not observe; never presented as measured


class _NoValue:
    """The one "no value": a row's expect before its first run (MISSING: the failure prints what was observed),
    and a case a baseline holds no value for. Records written as JSON spell it JSON."""

    JSON = "<none>"

    def __repr__(self) -> str:
        return "MISSING"


NO_VALUE = _NoValue()
MISSING = NO_VALUE  # the name a new row's expect is written with (e2e/docs/maintaining.md, "Adding a row")


@dataclasses.dataclass(frozen=True)
class Deviation:
    """One engine's known departure from the row's spec value."""

    value: Any
    source: str
    builds: tuple[str, ...] = ()  # where it applies; () = every build of the engine
    releases: tuple[int, int | None] = (0, None)  # major release range [from, to), where it matters
    policies: tuple[str, ...] = ()  # third-party policies where it applies (third_party.py); () = every one
    backends: tuple[str, ...] = ()  # the clients it is seen through (Engine.backend); () = every one

    def applies_to(self, engine: Engine) -> bool:
        if self.builds and engine.build not in self.builds:
            return False
        if self.backends and engine.backend not in self.backends:
            return False
        if self.policies and engine.third_party not in self.policies:
            return False
        first, end = self.releases
        number = engine.release_number
        return first <= number and (end is None or number < end)

    @property
    def verified(self) -> bool:
        return not self.source.startswith(UNVERIFIED)


# An older release of an engine, measured beside the current one (python3 -m e2e setup --releases).
MEASURED_OLDER = {
    "firefox": "measured: firefox 140.12.0esr (Debian build, marionette_driver 3.7.1 over Marionette)",
}


def measured(
    engine: str,
    value: Any,
    why: str = "",
    policies: tuple[str, ...] = (),
    releases: tuple[int, int | None] = (0, None),
) -> Deviation:
    """A deviation observed on this project's machines (see MEASURED for the builds), under the given
    third-party policies (every policy when none is given), in the given release range (every release)."""
    return Deviation(value, MEASURED[engine] + (f"; {why}" if why else ""), policies=policies, releases=releases)


# The cause of Firefox ESR 140's localhost rows: the row's condition is a preference the lab pins, not the release.
HIJACKED_LOCALHOST = (
    "only under network.proxy.allow_hijacking_localhost, which the lab pins so that localhost goes through its "
    "proxy (no user sets it): with Firefox's default ESR 140 keeps a Secure cookie from http://localhost, with the "
    "preference it refuses it, and 153 keeps it either way (measured with a bare server over Marionette, no lab "
    "code, 2026-12-02)"
)


# Chromium enforces Lax on a cookie without SameSite: a run with third-party cookies allowed shows it, as it is not
# sent to a cross-site frame or subresource.
CHROMIUM_LAX_BY_DEFAULT = measured(
    "chromium", False, "a cookie without SameSite is treated as Lax (https://chromestatus.com/feature/5088147346030592)"
)


def secure_localhost_refused(value: Any) -> dict[str, Deviation]:
    """A row's deviations where a Secure cookie set from http://localhost is refused: WebKitGTK's libsoup does not
    count http://localhost as secure, Firefox ESR 140 refuses it under the lab's proxy preference."""
    return {
        "webkit": measured("webkit", value, "http://localhost is not a secure origin for cookies in libsoup"),
        "firefox": Deviation(value, f"{MEASURED_OLDER['firefox']}; refused {HIJACKED_LOCALHOST}", releases=(0, 153)),
    }


def measured_older(engine: str, value: Any, why: str, before: int) -> Deviation:
    """A deviation of an engine's older release (MEASURED_OLDER names it), for every release before `before`."""
    return Deviation(value, f"{MEASURED_OLDER[engine]}; {why}", releases=(0, before))


def duration(seconds: int) -> str:
    """A lifetime as people say it: "1 hour", "400 days", "3601 seconds"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def split_id(case_id: str) -> tuple[str, list[str]]:
    """A row id, <concern>/<case>/<observation>, as its concern and the parts after it: the one place it is split."""
    concern, *parts = case_id.split("/")
    return concern, parts


SPEC, DEVIATION, POLICY, MISSING_KIND = "spec", "deviation", "policy", "missing"


@dataclasses.dataclass(frozen=True)
class Expectation:
    """What one engine should show for a row, from where, and which kind of expectation it is: the spec's value
    (spec), a known deviation of the engine's (deviation), what its third-party policy decides (policy), or none
    yet (missing: a new row). The verdict, the report, compare and history all read it."""

    value: Any
    source: str
    kind: str

    @property
    def known(self) -> bool:
        return self.kind != MISSING_KIND


REGISTRY: list["Row"] = []  # every row constructed, for e2e/model/test_rows.py


@dataclasses.dataclass(frozen=True)
class Row:
    id: str  # <concern>/<case>/<observation>, written literally once
    rule: str  # one sentence: what the spec says happens
    expect: Any  # the value the spec (or Django's docs) gives
    spec: str  # the section that says so
    deviations: dict[str, tuple[Deviation, ...]] = dataclasses.field(default_factory=dict)
    # third-party policy -> (value, source): what any engine under that policy should show, where the
    # policy, not the engine, decides (a blocked third-party cookie is not a deviation from the spec)
    policies: dict[str, tuple[Any, str]] = dataclasses.field(default_factory=dict)
    # How the report shows the value: labels names a list value's parts in order ("path", "value", ...), unit an
    # integer's ("seconds": a lifetime shown in days and hours).
    labels: tuple[str, ...] = ()
    unit: str = ""
    # The observed value that means the engine refused the cookie (False: not stored, not sent), so the report can
    # count the refusals that carry the engine's words; because: the model's rule when it refuses too (a key of
    # rfc6265bis.IGNORED or sending.WITHHELD), which those words are checked against.
    refused: Any = NO_VALUE
    because: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.deviations) - set(ENGINES)
        if unknown:
            raise ValueError(f"{self.id}: deviations for unknown engines {sorted(unknown)}")
        REGISTRY.append(self)
        frame = sys._getframe(1)  # the module that wrote the row: the first caller outside this one
        while frame.f_back is not None and frame.f_globals.get("__name__") == __name__:
            frame = frame.f_back
        object.__setattr__(self, "module", frame.f_globals.get("__name__", ""))

    module: str = dataclasses.field(default="", compare=False, init=False)  # where the row is written

    @property
    def behaviour(self) -> bool:
        """A row of the behaviour matrix (its modules, the parser corpus, Django's modelled flows), not one a test
        of the harness or of the model makes for itself."""
        return not self.module.startswith(("e2e.selftest", "e2e.model"))

    @property
    def concern(self) -> str:
        return split_id(self.id)[0]

    @property
    def parts(self) -> list[str]:
        """The id's segments after the concern: the names a module resolves into steps."""
        return split_id(self.id)[1]

    def expectation(self, engine: Engine) -> "Expectation":
        """What this engine should show, and why: its applicable deviation, else its policy's, else the spec's."""
        for deviation in self.deviations.get(engine.name, ()):
            if deviation.applies_to(engine):
                return Expectation(deviation.value, deviation.source, DEVIATION)
        if engine.third_party in self.policies:
            value, source = self.policies[engine.third_party]
            return Expectation(value, source, POLICY)
        return Expectation(self.expect, self.spec, MISSING_KIND if self.expect is NO_VALUE else SPEC)

    def __str__(self) -> str:  # pytest parameter ids
        return "/".join(self.parts)


def row(
    id: str,
    expect: Any,
    spec: str,
    rule: str = "",
    policies: dict[str, tuple[Any, str]] | None = None,
    labels: tuple[str, ...] = (),
    unit: str = "",
    refused: Any = NO_VALUE,
    because: str = "",
    **deviations: Deviation | tuple[Deviation, ...],
) -> Row:
    """Row(...) with deviations as keywords: chromium=measured("chromium", False, "why")."""
    normal = {engine: (d,) if isinstance(d, Deviation) else tuple(d) for engine, d in deviations.items()}
    return Row(id, rule, expect, spec, normal, dict(policies or {}), labels, unit, refused, because)


def sent_refusal(expect: bool, because: str) -> Any:
    """refused= for a row of whether a cookie is sent: False (not sent is a refusal) where the model sends it or
    names the rule that keeps it back; none where the model keeps it back by no rule, a cookie of another host or
    partition, which is not in the request's jar (sending.ELSEWHERE)."""
    return False if expect or because else NO_VALUE


def check_rows(rows: list[Row]) -> list[Row]:
    """A module's table, refused at import if two rows share an id or a row lacks its rule."""
    seen = set()
    for r in rows:
        if r.id in seen:
            raise ValueError(f"duplicate row id {r.id}")
        if not r.rule:
            raise ValueError(f"{r.id}: a row states its rule as a sentence")
        seen.add(r.id)
    return rows
