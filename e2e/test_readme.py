"""README's numbers come from the code: its per-module table and totals match what pytest collects."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# | `test_a.py`, `test_b.py` | 5 (+20 without a browser) | ...
ROW = re.compile(r"^\| ((?:`test_\w+\.py`(?:, )?)+) \| (\d+)(?: \(\+(\d+) without a browser[^)]*\))? \|", re.M)
ENGINE = re.compile(r"\[(chromium|firefox|webkit)\b")  # as .ci/engines_ran.py counts


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Every test id of the whole run, as `python3 -m e2e all` collects it."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--output", str(tmp_path_factory.mktemp("collect") / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    return [line for line in run.stdout.splitlines() if "::" in line]


def _counts(ids, modules):
    mine = [i for i in ids if i.split("::")[0].rsplit("/", 1)[-1] in modules]
    return sum(1 for i in mine if "[chromium" in i), sum(1 for i in mine if not ENGINE.search(i))


@pytest.mark.parametrize("row", ROW.findall(README), ids=lambda r: r[0].split("`")[1])
def test_readme_module_counts_match_collection(collected, row):
    """Each row of README's module table states how many tests each engine runs (and how many need no browser)."""
    modules = re.findall(r"`(test_\w+\.py)`", row[0])
    per_engine, without = _counts(collected, modules)
    assert (per_engine, without if row[2] else 0) == (int(row[1]), int(row[2] or 0)), modules


def test_readme_totals_match_collection(collected):
    """README's "In all" line: test cases per engine and tests in the whole run."""
    per_engine, total = map(
        int, re.search(r"In all, (\d+) test cases per engine.*?; (\d+) tests in", README, re.S).groups()
    )
    assert {e: sum(1 for i in collected if f"[{e}" in i) for e in ("chromium", "firefox", "webkit")} == dict.fromkeys(
        ("chromium", "firefox", "webkit"), per_engine
    )
    assert len(collected) == total


def test_readme_table_names_every_browser_module(collected):
    """No module with browser tests is missing from the table."""
    named = {m for row in ROW.findall(README) for m in re.findall(r"`(test_\w+\.py)`", row[0])}
    browser_modules = {i.split("::")[0].rsplit("/", 1)[-1] for i in collected if "[chromium" in i}
    assert browser_modules - named == set()
