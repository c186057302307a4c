"""The engine description every result carries: which engine, version and build ran it, how, and under which policy."""

import dataclasses

from e2e.harness.third_party import DEFAULTS

ENGINES = ("chromium", "firefox", "webkit")


@dataclasses.dataclass(frozen=True)
class RecordKey:
    """Where an engine release's observations are recorded: e2e/baselines/<folder>/<name>.json.

    name is <engine>-<release>-<build>; folder is "" under the engine's default third-party policy, else
    third-party-<policy>: a folder of its own, so that a release's history stays one line per release and
    policy.
    """

    folder: str
    name: str

    @classmethod
    def parse(cls, text: str) -> "RecordKey":
        """The key a record path names: "chromium-156-distro" or "third-party-allowed/chromium-156-distro"."""
        folder, _, name = text.rpartition("/")
        return cls(folder, name)

    @property
    def engine(self) -> str:
        return self.name.split("-", 1)[0]

    @property
    def release(self) -> str:
        return self.name.split("-", 2)[1]

    @property
    def build(self) -> str:
        return self.name.split("-", 2)[2]

    def __str__(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


@dataclasses.dataclass(frozen=True)
class Engine:
    """One engine as launched: enough to tell two runs apart when their cookie behaviour may differ.

    settings names every pinned setting that changes cookie behaviour (a cookie accept policy, ITP), so a
    result never depends on an unnamed default, and the version of a library under the engine that changes
    it (WebKitGTK's libsoup); policy is the third-party cookie policy (third_party.py) it runs under, the
    engine's shipped default when none is given.
    """

    name: str  # one of ENGINES
    version: str
    build: str  # playwright | distro | webkitgtk | safari | a --browser-channel (chrome, msedge, ...)
    backend: str  # playwright | webdriver | marionette
    executable: str
    settings: tuple[tuple[str, str], ...] = ()
    policy: str = ""

    def __post_init__(self) -> None:
        if not self.policy:
            object.__setattr__(self, "policy", DEFAULTS.get(self.name, ""))

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
        """The third-party cookie policy it ran under (third_party.py)."""
        return self.policy

    @property
    def record(self) -> RecordKey:
        """The baseline this engine's observations are compared with (RecordKey)."""
        default = DEFAULTS.get(self.name, self.policy)
        return RecordKey("" if self.policy == default else f"third-party-{self.policy}",
                         f"{self.name}-{self.release}-{self.build}")  # fmt: skip

    @property
    def key(self) -> str:
        """The record key as text: <engine>-<release>-<build>, under third-party-<policy>/ off the default."""
        return str(self.record)

    def describe(self) -> str:
        settings = "".join(f", {k}={v}" for k, v in self.settings)
        return f"{self.name} {self.version} ({self.build}, {self.backend}{settings}; {self.executable})"


def release_number(release: str) -> int:
    """Engine.release_number of a release as records name it ("156", "2.50"); 0 for one that is not a number."""
    digits = release.replace(".", "")
    return int(digits) if digits.isdigit() else 0
