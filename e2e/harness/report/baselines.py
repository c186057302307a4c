"""Committed per-engine baselines: the record of what each engine release and build did.

Expectations (the rows) say what an engine should do and fail a test when it
does not; a baseline says what the engine did when last recorded. Its jobs: the
report's history (Chromium 156 -> 157: sent -> not sent) and drift, a changed
observation whose test still passed (an expectation edited without
re-recording). A change that fails its expectation is reported by that test
alone, with the baseline's value in its message; it is not counted again here.

A file is e2e/baselines/<engine>-<release>-<build>.json (under a third-party policy other than the
engine's default, in a folder third-party-<policy>/) holding
{"observations": {category: {rest of the case id: observed}}}: grouped by the
id's first segment, so grepping a full case id over e2e/ finds only its row.
"""

import dataclasses
import json
import pathlib
from typing import Any

from e2e.harness.engine import release_number, split_key
from e2e.harness.rows import NO_VALUE

SCHEMA = 2
COMMITTED = pathlib.Path(__file__).parents[2] / "baselines"  # the records in the repository


Folder = str | pathlib.Path  # a folder of baseline files
NOT_RECORDED = NO_VALUE  # no baseline value for this engine release and case


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
    new_cases: dict[str, Any] = dataclasses.field(default_factory=dict)  # baseline name -> [case]
    missing_baselines: list[Any] = dataclasses.field(default_factory=list)
    before: dict[str, Any] = dataclasses.field(default_factory=dict)  # baseline name -> {case: observed} as loaded
    # engine -> case -> [[release, build, value], ...] from every committed baseline, oldest release first
    history: dict[str, Any] = dataclasses.field(default_factory=dict)


def _flat(grouped: dict[str, Any]) -> dict[str, Any]:
    return {f"{category}/{rest}": value for category, cases in grouped.items() for rest, value in cases.items()}


def _grouped(flat: dict[str, Any]) -> dict[str, Any]:
    grouped: dict[str, Any] = {}
    for case, value in flat.items():
        category, _, rest = case.partition("/")
        grouped.setdefault(category, {})[rest] = value
    return grouped


def load(directory: Folder, name: str) -> dict[str, Any] | None:
    """{case id: observed} of one baseline, or None when there is no such file."""
    path = pathlib.Path(directory) / f"{name}.json"
    if not path.exists():
        return None
    return _flat(json.loads(path.read_text())["observations"])


def dump(meta: dict[str, Any], observations: dict[str, Any]) -> str:
    return (
        json.dumps({**meta, "schema": SCHEMA, "observations": _grouped(observations)}, indent=1, sort_keys=True) + "\n"
    )


def save(
    directory: Folder, name: str, meta: dict[str, Any], observations: dict[str, Any], prune: bool = False
) -> pathlib.Path:
    """Write the observations of one engine release; merged into the existing file unless prune."""
    path = pathlib.Path(directory) / f"{name}.json"
    merged = observations if prune else {**(load(directory, name) or {}), **observations}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(meta, merged))
    return path


class Baselines:
    """The baseline files of one folder, each read once."""

    def __init__(self, directory: Folder) -> None:
        self.directory = pathlib.Path(directory)
        self._loaded: dict[str, dict[str, Any] | None] = {}

    def get(self, name: str) -> dict[str, Any] | None:
        if name not in self._loaded:
            self._loaded[name] = load(self.directory, name)
        return self._loaded[name]

    def value(self, name: str, case: str) -> Any:
        return (self.get(name) or {}).get(case, NOT_RECORDED)


def _release_order(name: str) -> int:
    return release_number(split_key(name)[1])


def history(directory: Folder) -> dict[str, Any]:
    """engine -> case -> [[release, build, value], ...]: what every recorded release did, oldest first."""
    found: dict[str, Any] = {}
    for path in sorted(pathlib.Path(directory).glob("*.json"), key=lambda p: _release_order(p.stem)):
        engine, release, build = split_key(path.stem)
        for case, value in (load(directory, path.stem) or {}).items():
            found.setdefault(engine, {}).setdefault(case, []).append([release, build, value])
    return found


def compare(directory: Folder, runs: dict[str, Any], failed: frozenset[Any] = frozenset()) -> Comparison:
    """runs: {baseline name: {case: observed}} -> Comparison against the files in directory.

    failed: (name, case) pairs whose test already failed its expectation; their
    change is that test's one verdict, so it is not drift as well.
    """
    result = Comparison(history=history(directory))
    for name, observations in sorted(runs.items()):
        baseline = load(directory, name)
        if baseline is None:
            result.missing_baselines.append(name)
            continue
        result.before[name] = baseline
        engine = name.rpartition("/")[2].split("-")[0]
        for case, observed in sorted(observations.items()):
            if case not in baseline:
                result.new_cases.setdefault(name, []).append(case)
            elif baseline[case] != observed and (name, case) not in failed:
                result.drift.append(Drift(case, engine, baseline[case], observed))
    return result
