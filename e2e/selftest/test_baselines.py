"""The baseline comparator: a planted change fails the run with a readable diff; re-recording clears it; each
policy's record has its own history."""

import re
import subprocess
import sys

import pytest

from e2e.harness.engine import Engine, RecordKey
from e2e.harness.report.baselines import Baselines
from e2e.harness.report.record import build_report
from e2e.harness.report.schema import Observation
from e2e.harness.rows import row
from e2e.test_size import NAME_VALUE

CASE = NAME_VALUE[0].id  # size/sz_at_limit/stored: stored in every engine


def _plant(directory, name, case, value):
    records = Baselines(directory)
    records.save(name, records.meta(name), {case: value})


def test_compare_reports_planted_change(tmp_path):
    """A changed value in a baseline copy is drift naming scenario, engine, point, before -> after."""
    Baselines(tmp_path).save("chromium-156-distro", {"engine": "chromium"}, {CASE: True, "x/y/z": 1})
    _plant(tmp_path, "chromium-156-distro", CASE, False)
    result = Baselines(tmp_path).compare({"chromium-156-distro": {CASE: True, "x/y/z": 1}})
    assert [d.describe() for d in result.drift] == [f"{CASE} [chromium]: false -> true"]


def test_compare_new_engine_and_new_case_are_not_drift(tmp_path):
    """No baseline file, or a case the baseline lacks, is reported as new, not as drift."""
    Baselines(tmp_path).save("firefox-153-distro", {"engine": "firefox"}, {"a/b/c": 1})
    runs = {"firefox-153-distro": {"a/b/c": 1, "a/b/new": 2}, "webkit-27-playwright": {"a/b/c": 1}}
    result = Baselines(tmp_path).compare(runs)
    assert result.drift == []
    assert result.new_cases == {"firefox-153-distro": ["a/b/new"]}
    assert result.missing_baselines == ["webkit-27-playwright"]


HISTORY_ROW = row("history/probe/sent", True, "RFC 6265bis-20 section 5.8.3", "A probe cookie is sent.")


def test_a_policy_run_shows_its_own_policy_history(tmp_path):
    """Under --third-party allowed, a cell's history is the allowed records' (150 -> 156), never the default
    policy's (whose 156 says otherwise): the record folders are kept apart."""
    records = Baselines(tmp_path)
    meta = {"engine": "chromium", "build": "distro"}
    records.save("chromium-156-distro", {**meta, "version": "156.0.1"}, {HISTORY_ROW.id: False})
    records.save("third-party-allowed/chromium-150-distro", {**meta, "version": "150.0.1"}, {HISTORY_ROW.id: False})
    records.save("third-party-allowed/chromium-156-distro", {**meta, "version": "156.0.1"}, {HISTORY_ROW.id: True})
    engine = Engine("chromium", "156.0.1", "distro", "playwright", "/usr/bin/chromium", policy="allowed")
    assert engine.record == RecordKey("third-party-allowed", "chromium-156-distro")
    observation = Observation.of(HISTORY_ROW, engine, True, HISTORY_ROW.expectation(engine), True)
    comparison = Baselines(tmp_path).compare({engine.key: {HISTORY_ROW.id: True}})
    report = build_report([observation], comparison)
    cell = report["scenarios"][HISTORY_ROW.id]["engines"]["chromium"]
    assert cell["history"] == [["150", "distro", False], ["156", "distro", True]]
    assert cell["baseline"] is True and comparison.drift == []


def test_re_recording_keeps_the_version_line_of_the_same_release(tmp_path):
    """--update-baselines on 153.8.0 of a record written by 153.7.0 changes observations, not the version line;
    another major release writes its own."""
    records = Baselines(tmp_path)
    records.save("firefox-153-distro", {"engine": "firefox", "version": "153.7.0", "build": "distro"}, {"a/b/c": 1})
    records.save("firefox-153-distro", {"engine": "firefox", "version": "153.8.0", "build": "distro"}, {"a/b/c": 2})
    assert Baselines(tmp_path).meta("firefox-153-distro")["version"] == "153.7.0"
    assert Baselines(tmp_path).get("firefox-153-distro") == {"a/b/c": 2}


def _run(*args, cwd):
    command = [sys.executable, "-m", "pytest", "e2e/test_size.py", "--browser", "chromium", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.needs("chromium")
@pytest.mark.browser  # its inner runs launch Chromium
def test_planted_change_fails_run_until_rerecorded(tmp_path, pytestconfig):
    """A real run against a baseline with a planted change fails with the diff; --update-baselines fixes it."""
    root = pytestconfig.rootpath
    copy = tmp_path / "baselines"
    common = ["--baseline-dir", str(copy), "--output", str(tmp_path / "out")]
    strict = _run(*common, "--strict-baselines", cwd=root)  # no baseline yet: red, and the last line says why
    assert strict.returncode == 1, strict.stdout[-2000:]
    assert re.fullmatch(r"=+ 4 passed, 1 engine without baseline in .*", strict.stdout.strip().splitlines()[-1])
    recorded = _run(*common, "--update-baselines", cwd=root)
    assert recorded.returncode == 0, recorded.stdout[-2000:]
    (baseline,) = copy.glob("chromium-*.json")
    _plant(copy, baseline.stem, CASE, False)

    failed = _run(*common, cwd=root)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert f"DRIFT {CASE} [chromium]: false -> true" in failed.stdout
    assert re.fullmatch(r"=+ 4 passed, 1 drift in .*", failed.stdout.strip().splitlines()[-1]), failed.stdout[-500:]

    # The re-recording run compares with what it just wrote: passing proves the drift is gone.
    rerecorded = _run(*common, "--update-baselines", cwd=root)
    assert rerecorded.returncode == 0, rerecorded.stdout[-2000:]
    assert "0 scenarios changed against the baselines while passing" in rerecorded.stdout
    assert Baselines(copy).get(baseline.stem)[CASE] is True


def test_a_reason_is_recorded_and_a_changed_one_is_said_while_the_value_holds(tmp_path):
    """The engine's words are kept beside the value; a run whose words differ for the same value says so (not drift),
    and compare lists it."""
    from e2e.harness.report import compare

    records = Baselines(tmp_path)
    records.save("chromium-156-distro", {"engine": "chromium", "version": "156"}, {"a/b/why": "secure-origin"},
                 {"a/b/why": "SecureOnly"})  # fmt: skip
    assert Baselines(tmp_path).reasons("chromium-156-distro") == {"a/b/why": "SecureOnly"}
    run = {"chromium-156-distro": {"a/b/why": "secure-origin"}}
    comparison = Baselines(tmp_path).compare(run, reasons={"chromium-156-distro": {"a/b/why": "SchemeNotSupported"}})
    assert comparison.drift == []
    assert [c.describe() for c in comparison.reasons_changed] == [
        'a/b/why [chromium]: "SecureOnly" -> "SchemeNotSupported"'
    ]
    newer = tmp_path / "newer"
    Baselines(newer).save("chromium-157-distro", {"engine": "chromium", "version": "157"}, {"a/b/why": "secure-origin"},
                          {"a/b/why": "SchemeNotSupported"})  # fmt: skip
    old, new = (
        compare.Record(str(tmp_path / "chromium-156-distro.json")),
        compare.Record(str(newer / "chromium-157-distro.json")),
    )
    assert compare.changes(old.values["chromium"], new.values["chromium"]) == []
    assert compare.reasons_changed(old, new, "chromium", "chromium") == [
        ("a/b/why", "SecureOnly", "SchemeNotSupported")
    ]
