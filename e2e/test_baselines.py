"""The baseline comparator: a planted change fails the run with a readable diff; re-recording clears it."""

import json
import re
import subprocess
import sys

import pytest

from e2e.harness.report import baselines
from e2e.test_size import NAME_VALUE

CASE = NAME_VALUE[0].id  # size/sz_at_limit/stored: stored in every engine


def _plant(directory, name, case, value):
    meta = {k: v for k, v in json.loads((directory / f"{name}.json").read_text()).items() if k != "observations"}
    baselines.save(directory, name, meta, {case: value})


def test_compare_reports_planted_change(tmp_path):
    """A changed value in a baseline copy is drift naming scenario, engine, point, before -> after."""
    baselines.save(tmp_path, "chromium-156-distro", {"engine": "chromium"}, {CASE: True, "x/y/z": 1})
    _plant(tmp_path, "chromium-156-distro", CASE, False)
    result = baselines.compare(tmp_path, {"chromium-156-distro": {CASE: True, "x/y/z": 1}})
    assert [d.describe() for d in result.drift] == [f"{CASE} [chromium]: false -> true"]


def test_compare_new_engine_and_new_case_are_not_drift(tmp_path):
    """No baseline file, or a case the baseline lacks, is reported as new, not as drift."""
    baselines.save(tmp_path, "firefox-153-distro", {"engine": "firefox"}, {"a/b/c": 1})
    runs = {"firefox-153-distro": {"a/b/c": 1, "a/b/new": 2}, "webkit-27-playwright": {"a/b/c": 1}}
    result = baselines.compare(tmp_path, runs)
    assert result.drift == []
    assert result.new_cases == {"firefox-153-distro": ["a/b/new"]}
    assert result.missing_baselines == ["webkit-27-playwright"]


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
    assert baselines.load(copy, baseline.stem)[CASE] is True
