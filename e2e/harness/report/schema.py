"""The record's types: one Observation from the verdict to the report and the baselines, and the JSON
report's shape (README's "The report": schema 3), each engine's cells under each scenario."""

import dataclasses
from typing import Any, TypedDict

from e2e.harness.engine import Engine

Json = Any  # a value as JSON holds it: None, bool, int, float, str, lists and string-keyed dicts of them


@dataclasses.dataclass(frozen=True)
class Observation:
    """One observed value of one row on one engine, as the verdict judged it: what the report and the
    baselines are made of. It crosses from a pytest-xdist worker to the controller as a plain dict
    (`as_property`, in the test's user_properties), since execnet carries only built-in types."""

    case: str
    engine: str
    version: str
    build: str
    key: str  # the baseline it is compared with (Engine.key)
    description: str
    observed: Json
    expected: Json  # NO_VALUE.JSON when the row has no expectation for this engine yet
    source: str
    passed: bool
    rule: str = ""
    deviation: bool = False  # passed on a value other than the row's spec value (a deviation or a policy)

    @classmethod
    def of(cls, case: str, engine: Engine, observed: Json, expected: Json, source: str, passed: bool,
           rule: str = "", deviation: bool = False) -> "Observation":  # fmt: skip
        return cls(case, engine.name, engine.version, engine.build, engine.key, engine.describe(), observed, expected,
                   source, passed, rule, deviation)  # fmt: skip

    def as_property(self) -> dict[str, Json]:
        return dataclasses.asdict(self)

    @classmethod
    def from_property(cls, value: dict[str, Json]) -> "Observation":
        return cls(**value)

    @property
    def meta(self) -> dict[str, str]:
        """What a baseline file names its engine by."""
        return {"engine": self.engine, "version": self.version, "build": self.build}


class Cell(TypedDict):
    """One scenario on one engine, in the JSON report."""

    observed: Json
    expected: Json
    source: str
    outcome: str  # passed | failed
    deviation: bool
    baseline: Json  # the committed baseline's value, or NO_VALUE.JSON
    history: list[list[Json]]  # [[release, build, value], ...], oldest release first


class Scenario(TypedDict, total=False):
    category: str
    rule: str
    engines: dict[str, Cell]
    changed: list[str]  # engines whose observation drifted from their baseline
    differs: bool  # engines observed different values


class EngineEntry(TypedDict, total=False):
    version: str
    build: str
    baseline: str
    description: str
    counts: dict[str, int]


class Report(TypedDict):
    schema: int
    engines: dict[str, EngineEntry]
    scenarios: dict[str, Scenario]
