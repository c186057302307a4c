"""Committed per-engine baselines: the record of what each engine release and build did.

Expectations (the rows) say what an engine should do and fail a test when it does not; a baseline says
what the engine did when last recorded. Its jobs: the report's history (Chromium 156 -> 157: sent -> not
sent) and drift, a changed observation whose test still passed (an expectation edited without
re-recording). A change that fails its expectation is reported by that test alone, with the baseline's
value in its message; it is not counted again here.

A file is e2e/baselines/<engine>-<release>-<build>.json, or under a third-party policy other than the
engine's default, third-party-<policy>/<engine>-<release>-<build>.json (engine.RecordKey), holding
{"engine", "version", "build", "schema", "observations": {category: {rest of the case id: observed}}}:
grouped by the id's first segment, so grepping a full case id over e2e/ finds only its row; and "reasons",
grouped alike, the engine's own words for a value where it said any (a refusal's reasons: reasons.py), so a
reason that changes while the value does not is seen too.
"""

import dataclasses
import json
import pathlib
from typing import Any

from e2e.harness.engine import RecordKey, release_number
from e2e.harness.rows import NO_VALUE

SCHEMA = 2
COMMITTED = pathlib.Path(__file__).parents[2] / "baselines"  # the records in the repository


Folder = str | pathlib.Path  # a folder of baseline files
NOT_RECORDED = NO_VALUE  # no baseline value for this engine release and case
History = list[list[Any]]  # [[release, build, value], ...], oldest release first


@dataclasses.dataclass(frozen=True)
class Drift:
    case: str
    engine: str
    before: object
    after: object

    def describe(self) -> str:
        return f"{self.case} [{self.engine}]: {json.dumps(self.before)} -> {json.dumps(self.after)}"


@dataclasses.dataclass
class Comparison:
    drift: list[Any] = dataclasses.field(default_factory=list)
    new_cases: dict[str, Any] = dataclasses.field(default_factory=dict)  # record key -> [case]
    missing_baselines: list[Any] = dataclasses.field(default_factory=list)
    before: dict[str, Any] = dataclasses.field(default_factory=dict)  # record key -> {case: observed} as loaded
    # record key -> case -> [[release, build, value], ...]: the releases recorded beside it (same engine, build
    # and policy folder), oldest first
    history: dict[str, dict[str, History]] = dataclasses.field(default_factory=dict)
    # the engine's words changed while the value did not: said, not failed (words are the engine's, not a verdict)
    reasons_changed: list[Drift] = dataclasses.field(default_factory=list)


def flat(grouped: dict[str, Any]) -> dict[str, Any]:
    """A baseline's observations {category: {rest: value}} as {case id: value}."""
    return {f"{category}/{rest}": value for category, cases in grouped.items() for rest, value in cases.items()}


def _grouped(observations: dict[str, Any]) -> dict[str, Any]:
    grouped: dict[str, Any] = {}
    for case, value in observations.items():
        category, _, rest = case.partition("/")
        grouped.setdefault(category, {})[rest] = value
    return grouped


def dump(meta: dict[str, Any], observations: dict[str, Any], reasons: dict[str, str] | None = None) -> str:
    data = {**meta, "schema": SCHEMA, "observations": _grouped(observations)}
    if reasons:
        data["reasons"] = _grouped(reasons)
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


class Baselines:
    """The baseline files of one folder and its policy folders, each read at most once a run."""

    def __init__(self, directory: Folder) -> None:
        self.directory = pathlib.Path(directory)
        self._loaded: dict[str, dict[str, Any] | None] = {}
        self._reasons: dict[str, dict[str, str]] = {}

    def path(self, key: RecordKey | str) -> pathlib.Path:
        return self.directory / f"{key}.json"

    def get(self, key: RecordKey | str) -> dict[str, Any] | None:
        """{case id: observed} of one record, or None when there is no such file."""
        name = str(key)
        if name not in self._loaded:
            path = self.path(name)
            self._loaded[name] = flat(json.loads(path.read_text())["observations"]) if path.exists() else None
        return self._loaded[name]

    def reasons(self, key: RecordKey | str) -> dict[str, str]:
        """{case id: the engine's words} of one record (none for a record or case without)."""
        name = str(key)
        if name not in self._reasons:
            path = self.path(name)
            self._reasons[name] = flat(json.loads(path.read_text()).get("reasons", {})) if path.exists() else {}
        return self._reasons[name]

    def meta(self, key: RecordKey | str) -> dict[str, Any]:
        """The engine, version and build a record names."""
        data = json.loads(self.path(key).read_text())
        return {name: data[name] for name in ("engine", "version", "build") if name in data}

    def value(self, key: RecordKey | str, case: str) -> Any:
        return (self.get(key) or {}).get(case, NOT_RECORDED)

    def records(self) -> list[RecordKey]:
        """Every record in the folder and its policy folders."""
        found = [RecordKey("", p.stem) for p in self.directory.glob("*.json")]
        found += [RecordKey(p.parent.name, p.stem) for p in self.directory.glob("third-party-*/*.json")]
        return sorted(found, key=lambda k: (k.folder, k.engine, release_number(k.release), k.build))

    def history(self, key: RecordKey) -> dict[str, History]:
        """case -> [[release, build, value], ...]: every recorded release of key's engine and build in key's policy
        folder, oldest first (a --third-party allowed run is shown its own policy's history, never the default's)."""
        found: dict[str, History] = {}
        for other in self.records():
            if other.folder == key.folder and other.engine == key.engine and other.build == key.build:
                for case, observed in (self.get(other) or {}).items():
                    found.setdefault(case, []).append([other.release, other.build, observed])
        return found

    def save(
        self,
        key: RecordKey | str,
        meta: dict[str, Any],
        observations: dict[str, Any],
        reasons: dict[str, str] | None = None,
    ) -> pathlib.Path:
        """Write one engine release's observations and their reasons, merged into its file: the version line is the
        file's own until the release changes (a re-recording does not churn it), the observations this run's."""
        path = self.path(key)
        before = self.get(key) or {}
        # this run's words for the cases it observed (none where it heard none), the file's for the others
        kept = {case: words for case, words in self.reasons(key).items() if case not in observations}
        words = kept | {case: said for case, said in (reasons or {}).items() if case in observations and said}
        if path.exists():
            recorded = self.meta(key)
            if "version" in recorded and recorded["version"].split(".")[0] == meta.get("version", "").split(".")[0]:
                meta = {**meta, "version": recorded["version"]}
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = {**before, **observations}
        path.write_text(dump(meta, merged, words))
        self._loaded[str(key)] = merged
        self._reasons[str(key)] = words
        return path

    def compare(
        self,
        runs: dict[str, Any],
        failed: frozenset[Any] = frozenset(),
        reasons: dict[str, dict[str, str]] | None = None,
    ) -> Comparison:
        """runs: {record key: {case: observed}} -> Comparison against these files.

        failed: (key, case) pairs whose test already failed its expectation; their change is that test's one
        verdict, so it is not drift as well. reasons: {record key: {case: words}}, this run's.
        """
        result = Comparison()
        for name, observations in sorted(runs.items()):
            key = RecordKey.parse(name)
            result.history[name] = self.history(key)
            baseline = self.get(key)
            if baseline is None:
                result.missing_baselines.append(name)
                continue
            result.before[name] = baseline
            for case, observed in sorted(observations.items()):
                if case not in baseline:
                    result.new_cases.setdefault(name, []).append(case)
                elif baseline[case] != observed and (name, case) not in failed:
                    result.drift.append(Drift(case, key.engine, baseline[case], observed))
                else:
                    was, now = self.reasons(key).get(case, ""), (reasons or {}).get(name, {}).get(case, "")
                    if was != now and baseline[case] == observed:
                        result.reasons_changed.append(Drift(case, key.engine, was, now))
        return result
