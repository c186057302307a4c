"""The harness's own tools: the soak passes pytest's errors through; a missing expectation prints what to record."""

import json
import re
import subprocess
import sys

import pytest

from e2e.harness.engine import Engine
from e2e.harness.rows import MISSING, row
from e2e.harness.tools import probe
from e2e.harness.verdict import FAILURES, Verdict

NEW_ROW = row("tooling/new-case/observed", MISSING, "a row written before its first run", "A new row states its rule.")


def test_soak_passes_pytest_errors_through(pytestconfig):
    """A bad pytest option stops the soak at once with pytest's own message and exit 2, not a traceback."""
    run = subprocess.run(
        [sys.executable, "-m", "e2e.harness.tools.soak", "--runs", "3", "--no-such-option"],
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-2000:]
    assert "unrecognized arguments: --no-such-option" in run.stdout
    assert "run 1: pytest exited 4 before running the suite; soak stopped" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


class _Node:
    def __init__(self):
        self.user_properties = []
        self.stash = pytest.Stash()


def test_missing_expectation_prints_the_observed_value():
    """A row without an expectation fails with the observed value to record, and names the engine."""
    node = _Node()
    engine = Engine("firefox", "153.8.0", "distro", "playwright", "/usr/bin/firefox-esr")
    Verdict(node, engine, lambda engine, case: None)(NEW_ROW, {"header": "a=1"})
    (message,) = node.stash[FAILURES]
    assert message.startswith('tooling/new-case/observed on firefox 153.8.0 (distro, playwright; /usr/bin/firefox-esr): '
                               'observed {"header": "a=1"}, no expectation recorded yet')  # fmt: skip


def test_soak_writes_its_summary_under_output(pytestconfig, tmp_path):
    """soak.json goes to --output; when it cannot be written, the summary is still printed."""
    args = [
        sys.executable,
        "-m",
        "e2e.harness.tools.soak",
        "--runs",
        "1",
        "e2e/model/test_rows.py",
        "-k",
        "test_row_ids_are_unique",
        "-m",
        "not browser",
    ]
    run = subprocess.run([*args, "--output", str(tmp_path / "soak")], cwd=pytestconfig.rootpath,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert json.loads((tmp_path / "soak" / "soak.json").read_text())["runs"] == 1
    (tmp_path / "file").write_text("")
    blocked = subprocess.run([*args, "--output", str(tmp_path / "file")], cwd=pytestconfig.rootpath,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert blocked.returncode == 2
    assert "1 tests x 1 runs: 0 changed outcome, 0 always failed" in blocked.stdout
    assert "soak.json not written: " in blocked.stdout


def _compare(pytestconfig, *records):
    return subprocess.run([sys.executable, "-m", "e2e.harness.report.compare", *map(str, records)], cwd=pytestconfig.rootpath,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_compare_lists_what_changed_between_two_records(pytestconfig, tmp_path):
    """compare OLD NEW: a summary line, then each changed row under its concern, old -> new; exit 1; the same record
    twice: exit 0."""
    committed = pytestconfig.rootpath / "e2e" / "baselines" / "chromium-156-distro.json"
    record = json.loads(committed.read_text())
    record["observations"]["size"]["sz_at_limit/stored"] = not record["observations"]["size"]["sz_at_limit/stored"]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(record))
    run = _compare(pytestconfig, committed, changed)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert re.fullmatch(r"chromium [\d.]+ -> chromium [\d.]+: \d+ rows in both, 1 differ", lines[0]), lines[0]
    assert lines[1:] == ["  size (1)", "    size/sz_at_limit/stored: true -> false"]
    same = _compare(pytestconfig, committed, committed)
    assert same.returncode == 0 and same.stdout.strip().endswith(", 0 differ"), same.stdout


def test_compare_takes_two_engines_records(pytestconfig):
    """Two engines' baselines (no engine in common) are compared with each other: what WebKit does that Chromium
    does not, every line short enough to read (a long value says its length)."""
    folder = pytestconfig.rootpath / "e2e" / "baselines"
    run = _compare(pytestconfig, folder / "chromium-156-distro.json", folder / "webkit-2.50-webkitgtk.json")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert re.fullmatch(r"chromium [\d.]+ -> webkit 2\.50\.\d+: \d+ rows in both, \d+ differ.*", lines[0]), lines[0]
    assert "    samesite/none_insecure/stored: false -> true" in lines
    assert max(map(len, lines)) < 400, max(lines, key=len)


def test_compare_bad_input_is_one_line(pytestconfig, tmp_path):
    """A missing file, a file that is not JSON, or a record of no known shape: exit 2 and one line naming it."""
    (tmp_path / "junk.json").write_text("{not json")
    (tmp_path / "other.json").write_text('{"a": 1}')
    for given, words in [
        ("missing.json", "No such file"),
        ("junk.json", "not JSON"),
        ("other.json", "neither a baseline"),
    ]:
        run = _compare(pytestconfig, tmp_path / given, tmp_path / given)
        assert run.returncode == 2, run.stdout + run.stderr
        assert words in run.stderr.strip().splitlines()[-1] and "Traceback" not in run.stderr


@pytest.mark.needs("chromium")
@pytest.mark.browser  # its inner run launches Chromium
def test_readme_recipe_works_as_pasted(tmp_path, pytestconfig):
    """maintaining.md's "Adding a row" module, pasted as is and run: it fails with the observed value to record."""
    document = (pytestconfig.rootpath / "e2e" / "docs" / "maintaining.md").read_text()
    recipe = document.split("## Adding a row", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    path = probe.write(tmp_path / "probe", recipe, "test_recipe.py")
    run = subprocess.run(
        probe.command(path, tmp_path / "out", "--browser", "chromium"),
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-2000:]
    assert "recipe/lax-cookie/stored on chromium" in run.stdout, run.stdout[-2000:]
    assert 'observed ["recipe"], no expectation recorded yet' in run.stdout, run.stdout[-2000:]


def test_the_benchmark_sums_each_engine_s_module_batches_and_lists_the_costliest_tests():
    """bench --suite's per-row table, from a run's JUnit file: seconds per engine and module, the top tests."""
    from e2e.harness.tools import bench

    junit = """<testsuites><testsuite>
      <testcase classname="e2e.test_parser" name="test_parser_case[firefox-a]" time="8.5"/>
      <testcase classname="e2e.test_parser" name="test_parser_case[firefox-b]" time="0.5"/>
      <testcase classname="e2e.test_parser" name="test_parser_case[webkit-a]" time="2"/>
      <testcase classname="e2e.test_flow" name="test_flow[chromium]" time="1"/>
    </testsuite></testsuites>"""
    found = bench.costs(junit)
    assert found["cases"] == {"firefox": 2, "webkit": 1, "chromium": 1}
    assert found["batches"] == {"firefox test_parser": 9.0, "webkit test_parser": 2.0, "chromium test_flow": 1.0}
    assert list(found["batches"]) == ["firefox test_parser", "webkit test_parser", "chromium test_flow"]
    assert found["top"][0] == [8.5, "test_parser::test_parser_case[firefox-a]"]
