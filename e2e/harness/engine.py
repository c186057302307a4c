"""The engine description every result carries: which engine, version and build ran it, and how."""

import dataclasses

from e2e.harness.backends.third_party import DEFAULTS

ENGINES = ("chromium", "firefox", "webkit")


@dataclasses.dataclass(frozen=True)
class Engine:
    """One engine as launched: enough to tell two runs apart when their cookie behaviour may differ.

    settings names every pinned setting that changes cookie behaviour (a cookie
    accept policy, ITP), so a result never depends on an unnamed default, and
    the version of a library under the engine that changes it (WebKitGTK's libsoup).
    """

    name: str  # one of ENGINES
    version: str
    build: str  # playwright | distro | webkitgtk | safari | a --browser-channel (chrome, msedge, ...)
    backend: str  # playwright | webdriver
    executable: str
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def release(self) -> str:
        """The version part records are keyed by: the major version, or WebKitGTK's release line (2.50)."""
        parts = self.version.split(".")
        return ".".join(parts[:2]) if self.build == "webkitgtk" else parts[0]

    @property
    def release_number(self) -> int:
        """The release as one number that compares in order: a major version (156), WebKitGTK's 2.50 as 250."""
        return release_number(self.release)

    @property
    def third_party(self) -> str:
        """The third-party cookie policy it ran under (e2e/harness/backends/third_party.py): named in settings, else
        the engine's shipped default."""
        named = dict(self.settings).get("third-party")
        return named.split(" ")[0] if named else DEFAULTS.get(self.name, "")

    @property
    def key(self) -> str:
        """<engine>-<release>-<build>: the baseline file this engine's observations are compared with.

        Under a policy other than the engine's default: third-party-<policy>/<engine>-<release>-<build>,
        a folder of its own, so the release history stays one line per release.
        """
        key = f"{self.name}-{self.release}-{self.build}"
        default = DEFAULTS.get(self.name, self.third_party)
        return key if self.third_party == default else f"third-party-{self.third_party}/{key}"

    def describe(self) -> str:
        settings = "".join(f", {k}={v}" for k, v in self.settings)
        return f"{self.name} {self.version} ({self.build}, {self.backend}{settings}; {self.executable})"


def release_number(release: str) -> int:
    """Engine.release_number of a release as records name it ("156", "2.50"); 0 for one that is not a number."""
    digits = release.replace(".", "")
    return int(digits) if digits.isdigit() else 0


def split_key(key: str) -> tuple[str, str, str]:
    """A record's key, <engine>-<release>-<build> (Engine.key without a policy folder), as its three parts."""
    engine, release, build = key.split("-", 2)
    return engine, release, build
