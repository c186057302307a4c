"""The run's behaviour report: every observation per scenario and engine, against baselines.

Tests hand observations to the `check` fixture, which stores them on the test item's user_properties:
pytest-xdist carries those to the controller, so this plugin (registered there only) sees the whole run
whatever the number of workers.
"""

import collections
import json
import pathlib

import pytest

from e2e.harness import guards
from e2e.harness.report import baselines
from e2e.harness.report.html import render
from e2e.harness.report.schema import (
    CHANGED,
    DEVIATES,
    FAILED,
    FOLLOWS,
    VERDICTS,
    Cell,
    EngineEntry,
    Json,
    Observation,
    Report,
    Scenario,
)
from e2e.harness.rows import NO_VALUE, split_id

PROPERTY = "cookie_lab_observation"
SCHEMA = 4


def verdict(cell: Cell) -> str:
    """The one word a cell is coloured and counted by, worst first: failed, changed, deviates, follows."""
    if cell["outcome"] != "passed":
        return FAILED
    if cell["baseline"] != NO_VALUE.JSON and cell["baseline"] != cell["observed"]:
        return CHANGED
    return DEVIATES if cell.get("kind") == "deviation" else FOLLOWS


def build_report(observations: list[Observation], comparison: baselines.Comparison) -> Report:
    """The JSON report (schema.py, and README's "Reading the report"): engines, then scenarios with per-engine cells."""
    engines: dict[str, EngineEntry] = {}
    scenarios: dict[str, Scenario] = {}
    for obs in observations:
        engines[obs.engine] = {
            "version": obs.version,
            "build": obs.build,
            "baseline": obs.key,
            "description": obs.description,
        }
        scenario = scenarios.setdefault(obs.case, {
            "category": split_id(obs.case)[0], "rule": obs.rule, "spec": {"value": obs.spec_value, "source": obs.spec},
            "labels": list(obs.labels), "unit": obs.unit, "engines": {},
        })  # fmt: skip
        if obs.refused != NO_VALUE.JSON:
            scenario["refused"] = obs.refused
        if obs.because:
            scenario["spec"]["because"] = obs.because
        before = comparison.before.get(obs.key, {})
        scenario["engines"][obs.engine] = {
            "observed": obs.observed,
            "expected": obs.expected,
            "source": obs.source,
            "kind": obs.kind,
            "outcome": "passed" if obs.passed else "failed",
            "baseline": before.get(obs.case, NO_VALUE.JSON),
            "history": comparison.history.get(obs.key, {}).get(obs.case, []),
            **({"why": obs.why} if obs.why else {}),
        }
    drifted = {(d.case, d.engine) for d in comparison.drift}
    for case, scenario in scenarios.items():
        scenario["changed"] = sorted(engine for engine in scenario["engines"] if (case, engine) in drifted)
    return finish(engines, scenarios)


def _odd(cells: dict[str, Cell]) -> list[str]:
    """The engines whose value most engines do not share (a tie: every engine), where values differ."""
    values = {name: json.dumps(cell["observed"], sort_keys=True) for name, cell in cells.items()}
    counts = collections.Counter(values.values())
    if len(counts) < 2:
        return []
    most = counts.most_common(1)[0][1]
    if list(counts.values()).count(most) > 1:
        return sorted(cells)
    common = counts.most_common(1)[0][0]
    return sorted(name for name, value in values.items() if value != common)


def finish(engines: dict[str, EngineEntry], scenarios: dict[str, Scenario]) -> Report:
    """The report's derived fields: verdicts, where engines differ and who is the odd one out, the counts."""
    for scenario in scenarios.values():
        for cell in scenario["engines"].values():
            cell["verdict"] = verdict(cell)
        scenario["odd"] = _odd(scenario["engines"])
        scenario["differs"] = bool(scenario["odd"])
    for name, engine in engines.items():
        cells = [s["engines"][name] for s in scenarios.values() if name in s["engines"]]
        engine["counts"] = {VERDICTS[v]: sum(c["verdict"] == v for c in cells) for v in VERDICTS}
    return {"schema": SCHEMA, "engines": engines, "scenarios": scenarios}


class Collector:
    """A pytest plugin: gathers observations, compares with baselines, writes the report."""

    def __init__(self, config: pytest.Config, records: baselines.Baselines) -> None:
        self.config = config
        self.report_dir = pathlib.Path(config.getoption("--report-dir") or config.getoption("--output"))
        self.records = records  # the run's one Baselines: each file read once
        self.observations: list[Observation] = []
        self.comparison = baselines.Comparison()
        self.report: Report | None = None
        self.recorded: list[pathlib.Path] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == PROPERTY and isinstance(value, dict):
                self.observations.append(Observation.from_property(value))

    def _runs(self) -> tuple[dict[str, dict[str, Json]], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
        """{record key: {case: observed}}, {record key: meta}, {record key: {case: the engine's words}}."""
        runs: dict[str, dict[str, Json]] = {}
        meta: dict[str, dict[str, str]] = {}
        reasons: dict[str, dict[str, str]] = {}
        for obs in self.observations:
            runs.setdefault(obs.key, {})[obs.case] = obs.observed
            meta[obs.key] = obs.meta
            if obs.why:
                reasons.setdefault(obs.key, {})[obs.case] = obs.why
        return runs, meta, reasons

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.observations:
            return
        runs, meta, reasons = self._runs()
        if self.config.getoption("--update-baselines"):
            self.recorded = [self.records.save(key, meta[key], obs, reasons.get(key, {})) for key, obs in runs.items()]
        failed = frozenset((o.key, o.case) for o in self.observations if not o.passed)
        self.comparison = self.records.compare(runs, failed, reasons)
        self.report = build_report(self.observations, self.comparison)
        self.report_dir.mkdir(parents=True, exist_ok=True)
        (self.report_dir / "cookie-report.json").write_text(json.dumps(self.report, indent=1, sort_keys=True) + "\n")
        (self.report_dir / "cookie-report.html").write_text(render(self.report))
        for name, observations in runs.items():
            # Per engine, in the baseline's own format: what hosted CI uploads so a
            # baseline for an engine that cannot run here can be committed.
            flat = name.replace("/", "-")  # third-party-allowed/chromium-156-distro: one file beside the others
            (self.report_dir / f"baseline-{flat}.json").write_text(
                baselines.dump(meta[name], observations, reasons.get(name))
            )
        if self._failed() and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        c = self.comparison
        guards.say_in_last_line(self.config, "drift", len(c.drift))
        if self.config.getoption("--strict-baselines"):
            guards.say_in_last_line(self.config, "engine without baseline", len(c.missing_baselines))
            guards.say_in_last_line(
                self.config, "case without baseline", sum(len(cases) for cases in c.new_cases.values())
            )

    def _failed(self) -> bool:
        strict = self.config.getoption("--strict-baselines")
        c = self.comparison
        return bool(c.drift) or (strict and bool(c.missing_baselines or c.new_cases))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.report is None:
            terminalreporter.write_line(
                f"cookie behaviour report: no observation recorded in this run, so none written "
                f"(it would be {self.report_dir / 'cookie-report.html'})"
            )
            return
        write = terminalreporter.write_line
        terminalreporter.section("cookie behaviour report")
        scenarios = self.report["scenarios"]
        differing = sum(1 for s in scenarios.values() if s["differs"])
        write(f"{len(scenarios)} scenarios; {differing} differ between engines")
        write(f"report: {self.report_dir / 'cookie-report.html'} (JSON: cookie-report.json)")
        for path in self.recorded:
            write(f"baseline re-recorded: {path}")
        c = self.comparison
        strict = self.config.getoption("--strict-baselines")
        for name in c.missing_baselines:
            write(
                f"{'FAILED' if strict else 'new'}: no baseline {name} in {self.records.directory} "
                "(record it with --update-baselines)"
            )
        for name, cases in c.new_cases.items():
            write(
                f"{'FAILED' if strict else 'new'}: {len(cases)} cases not in baseline {name}, e.g. {cases[0]}: "
                f"record them with `pytest e2e --row {cases[0]} --update-baselines` (each --row; every engine, and "
                "--release and --third-party as CI runs them: e2e/docs/maintaining.md)"
            )
        write(f"{len(c.drift)} scenarios changed against the baselines while passing their expectations")
        for drift in c.drift:
            write(f"DRIFT {drift.describe()}", red=True)
        for changed in c.reasons_changed:
            write(f"reason changed, value kept: {changed.describe()} (re-record with --update-baselines)")
