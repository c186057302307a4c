"""One verdict per observation: the row's expectation for this engine, checked once, reported once.

check(row, observed) records the observation for the report and, when it is not the engine's expected
value, notes one failure message; the test fails after its body has run (plugin.py), so every
observation of a test reaches the report even when an early one fails.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest

from e2e.harness.engine import Engine
from e2e.harness.report.record import PROPERTY
from e2e.harness.report.schema import Observation
from e2e.harness.rows import NO_VALUE, Row

FAILURES = pytest.StashKey[list[str]]()  # item.stash: this test's failed observations, failed together at its end


class Verdict:
    def __init__(self, node: pytest.Item, engine: Engine, baseline_for: Callable[[Engine, str], Any]) -> None:
        self.node = node
        self.engine = engine
        self.baseline_for = baseline_for  # (engine, case id) -> recorded value or baselines.NOT_RECORDED

    def __call__(self, row: Row, observed: Any, why: str = "") -> None:
        """why: the engine's own words for the value (a refusal's reasons), shown beside it in the report."""
        if not isinstance(row, Row):
            raise TypeError(f"check() takes a Row (e2e/harness/rows.py), not {row!r}")
        # As the report will hold it (tuples become lists), so expectations are plain JSON data.
        observed = json.loads(json.dumps(observed))
        expectation = row.expectation(self.engine)
        passed = expectation.known and observed == expectation.value
        record = Observation.of(row, self.engine, observed, expectation, passed, why)
        self.node.user_properties.append((PROPERTY, record.as_property()))
        if passed:
            return
        recorded = self.baseline_for(self.engine, row.id)
        if not expectation.known:
            message = (
                f"{row.id} on {self.engine.describe()}: observed {json.dumps(observed)}, "
                "no expectation recorded yet: put this value in the row (expect=, or a deviation)"
            )
        else:
            message = (
                f"{row.id} on {self.engine.describe()}: expected {json.dumps(expectation.value)} -> "
                f"observed {json.dumps(observed)} ({expectation.source})"
            ) + (f"; the engine says: {why}" if why else "")
        message += "; " + _baseline_note(recorded, observed)
        self.node.stash.setdefault(FAILURES, []).append(message)


def _baseline_note(recorded: Any, observed: Any) -> str:
    if recorded is NO_VALUE:
        return "no baseline recorded for this engine release"
    if recorded == observed:
        return "the baseline recorded the same value"
    return f"also differs from the baseline, which recorded {json.dumps(recorded)}"
