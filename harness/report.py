"""Collects every observation a test checks, per case and engine, for the run's report.

Tests hand observations to the `check` fixture, which stores them on the test
item's user_properties: pytest-xdist carries those to the controller, so one
process sees the whole run whatever the number of workers.
"""
import json
import pathlib

PROPERTY = "cookie_lab_observation"


def observation(case_id, engine, version, observed, expected, source):
    return {
        "case": case_id,
        "engine": engine,
        "version": version,
        "observed": observed,
        "expected": expected,
        "source": source,
    }


class Collector:
    """A pytest plugin: gathers observations from reports, writes them at the end."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.observations = []

    def pytest_runtest_logreport(self, report):
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == PROPERTY:
                self.observations.append({**value, "outcome": report.outcome})

    def pytest_sessionfinish(self, session):
        if not self.observations:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.observations, key=lambda o: (o["case"], o["engine"]))
        self.path.write_text(json.dumps(ordered, indent=1, sort_keys=True) + "\n")

    def pytest_terminal_summary(self, terminalreporter):
        if self.observations:
            terminalreporter.write_line(f"cookie observations: {len(self.observations)} written to {self.path}")
