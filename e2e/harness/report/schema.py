"""The record's types: one Observation from the verdict to the report and the baselines, and the JSON report's
shape (schema 4), each engine's cells under each scenario."""

import dataclasses
from typing import Any, TypedDict

from e2e.harness.engine import Engine
from e2e.harness.rows import DEVIATION, NO_VALUE, Expectation, Row

Json = Any  # a value as JSON holds it: None, bool, int, float, str, lists and string-keyed dicts of them

# A cell's verdict, worst first: what the report colours it by and counts on its first screen.
FAILED, CHANGED, DEVIATES, FOLLOWS = "failed", "changed", "deviates", "follows"
VERDICTS = {
    FOLLOWS: "follow the spec",
    DEVIATES: "deviate knowingly",
    CHANGED: "changed against the baseline",
    FAILED: "failed",
}


@dataclasses.dataclass(frozen=True)
class Observation:
    """One observed value of one row on one engine, as the verdict judged it: what the report and the baselines
    are made of. It crosses from a pytest-xdist worker to the controller as a plain dict (`as_property`, in the
    test's user_properties), since execnet carries only built-in types."""

    case: str
    engine: str
    version: str
    build: str
    key: str  # the record it is compared with (Engine.record)
    description: str
    observed: Json
    expected: Json  # NO_VALUE.JSON when the row has no expectation for this engine yet
    source: str
    kind: str  # the expectation's kind (rows.Expectation): spec, deviation, policy or missing
    passed: bool
    rule: str = ""
    spec_value: Json = NO_VALUE.JSON  # the row's own spec value, shown beside every engine's
    spec: str = ""  # the row's spec section
    labels: tuple[str, ...] = ()  # names of a list value's parts, for the report (Row.labels)
    unit: str = ""  # an integer value's unit, for the report (Row.unit)
    why: str = ""  # the engine's own words for its value, where it said any (reasons.py): shown beside the value
    refused: Json = NO_VALUE.JSON  # the value that means a refusal (Row.refused)
    because: str = ""  # the model's rule where it refuses too (Row.because)

    @classmethod
    def of(
        cls, row: Row, engine: Engine, observed: Json, expectation: Expectation, passed: bool, why: str = ""
    ) -> "Observation":
        expected = expectation.value if expectation.known else NO_VALUE.JSON
        spec_value = NO_VALUE.JSON if row.expect is NO_VALUE else row.expect
        refused = NO_VALUE.JSON if row.refused is NO_VALUE else row.refused
        return cls(row.id, engine.name, engine.version, engine.build, engine.key, engine.describe(), observed,
                   expected, expectation.source, expectation.kind, passed, row.rule, spec_value, row.spec,
                   row.labels, row.unit, why, refused, row.because)  # fmt: skip

    @property
    def deviation(self) -> bool:
        """Passed on a known departure of this engine's from the spec value (a policy's value is not one)."""
        return self.kind == DEVIATION

    def as_property(self) -> dict[str, Json]:
        return dataclasses.asdict(self)

    @classmethod
    def from_property(cls, value: dict[str, Json]) -> "Observation":
        return cls(**{**value, "labels": tuple(value.get("labels", ()))})

    @property
    def meta(self) -> dict[str, str]:
        """What a baseline file names its engine by."""
        return {"engine": self.engine, "version": self.version, "build": self.build}


class Cell(TypedDict, total=False):
    """One scenario on one engine, in the JSON report."""

    observed: Json
    expected: Json
    source: str
    kind: str  # the expectation's kind: spec, deviation, policy or missing
    outcome: str  # passed | failed
    verdict: str  # follows | deviates | changed | failed (VERDICTS)
    baseline: Json  # the committed baseline's value, or NO_VALUE.JSON
    history: list[list[Json]]  # [[release, build, value], ...], oldest release first
    why: str  # the engine's own words for its value (a refusal's reasons), where it said any


class Spec(TypedDict, total=False):
    value: Json
    source: str
    because: str  # the model's rule, where its own value is a refusal


class Scenario(TypedDict, total=False):
    category: str
    rule: str
    spec: Spec
    labels: list[str]
    unit: str
    refused: Json  # the value that means a refusal (Row.refused), where the row says
    engines: dict[str, Cell]
    changed: list[str]  # engines whose observation drifted from their baseline
    differs: bool  # engines observed different values
    odd: list[str]  # where engines differ: those whose value most engines do not share


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
