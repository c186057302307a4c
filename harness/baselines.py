"""Committed per-engine baselines: what each engine, major version and build did last time.

A baseline file is e2e/baselines/<engine>-<major>-<build>.json holding
{case: observed}. A run compares its observations with the matching file;
a changed value is drift, reported as scenario, engine, before -> after.
"""
import dataclasses
import json
import pathlib


def baseline_name(engine, version, build):
    return f"{engine}-{version.split('.')[0]}-{build}"


@dataclasses.dataclass(frozen=True)
class Drift:
    case: str
    engine: str
    before: object
    after: object

    def describe(self):
        point = self.case.rsplit("/", 1)[-1]
        return f"{self.case} [{self.engine}] {point}: {json.dumps(self.before)} -> {json.dumps(self.after)}"


@dataclasses.dataclass
class Comparison:
    drift: list = dataclasses.field(default_factory=list)
    new_cases: dict = dataclasses.field(default_factory=dict)  # baseline name -> [case]
    missing_baselines: list = dataclasses.field(default_factory=list)
    before: dict = dataclasses.field(default_factory=dict)  # baseline name -> {case: observed} as loaded


def load(directory, name):
    path = pathlib.Path(directory) / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["observations"]


def save(directory, name, meta, observations):
    """Write (merging into an existing file) the observations of one engine."""
    path = pathlib.Path(directory) / f"{name}.json"
    merged = {**(load(directory, name) or {}), **observations}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**meta, "observations": merged}, indent=1, sort_keys=True) + "\n")
    return path


def compare(directory, runs):
    """runs: {baseline name: {case: observed}} -> Comparison against the files in directory."""
    result = Comparison()
    for name, observations in sorted(runs.items()):
        baseline = load(directory, name)
        if baseline is None:
            result.missing_baselines.append(name)
            continue
        result.before[name] = baseline
        engine = name.split("-")[0]
        for case, observed in sorted(observations.items()):
            if case not in baseline:
                result.new_cases.setdefault(name, []).append(case)
            elif baseline[case] != observed:
                result.drift.append(Drift(case, engine, baseline[case], observed))
    return result
