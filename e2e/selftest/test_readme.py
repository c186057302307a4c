"""README's and the documents' numbers come from the code: the counts they state are what pytest collects, and
README stays the user's page (short, its commands real)."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
CONCERNS = (ROOT / "e2e" / "docs" / "concerns.md").read_text()
# | `test_a.py`, `test_b.py` | what ... |, and a count column as it once was: | `test_a.py` | 5 (+20 ...) |
MODULES = re.compile(r"^\| ((?:`test_\w+\.py`(?:, )?)+) \|", re.M)
ROW = re.compile(r"^\| ((?:`test_\w+\.py`(?:, )?)+) \| (\d+)(?: \(\+(\d+) without a browser[^)]*\))? \|", re.M)
ENGINE = re.compile(r"\[(chromium|firefox|webkit)\b")  # as .ci/engines_ran.py counts


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """Every test id of the behaviour matrix, as `python3 -m e2e e2e` collects it (whatever extras are set up)."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--output", str(tmp_path_factory.mktemp("collect") / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    return [line for line in run.stdout.splitlines() if "::" in line]


@pytest.fixture(scope="module")
def rows():
    run = subprocess.run([sys.executable, "-m", "pytest", "e2e", "--list-rows", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()


def test_the_counts_said_are_the_run_s(matrix, rows):
    """Neither document states a count a new row would make stale (a row goes in as one module's edit and its
    baselines): README points to --list-rows and the run's last line."""
    assert not re.search(r"\b\d{3,} (tests|rows)\b", README), "README states a count again"
    assert len(rows) > 700  # --list-rows lists the rows README points to
    assert not ROW.search(CONCERNS), "concerns.md's module table states counts again"


def test_concerns_table_names_every_behaviour_module(matrix):
    """No behaviour module is missing from the table."""
    named = {m for row in MODULES.findall(CONCERNS) for m in re.findall(r"`(test_\w+\.py)`", row)}
    assert {test.split("::")[0].rsplit("/", 1)[-1] for test in matrix} - named == set()


def test_readme_is_the_users_page():
    """About 200 lines at most, in the order a new user needs it; the reference lives in e2e/docs/."""
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert len(README.splitlines()) <= 200
    assert headings == ["Two commands", "A first run", "Reading the report", "Your own Django site", "Options in brief",
                        "Documents"]  # fmt: skip
    for document in re.findall(r"`(e2e/docs/[\w-]+\.md)`", README):
        assert (ROOT / document).exists(), document


def test_release_counts_are_the_records_own():
    """concerns.md's release table says how many rows changed between two committed records ("nothing" or "N rows",
    then the compare command): each count is what compare finds in those records."""
    from e2e.harness.report.compare import Record, changes

    stated = re.findall(r"\| (nothing|(\d+) rows)[:(]? ?\(?`python3 -m e2e compare (\S+) (\S+)`", CONCERNS)
    assert len(stated) == 2, "the table names Chromium's and Firefox's two releases"
    for words, count, old, new in stated:
        before, after = Record(str(ROOT / old)), Record(str(ROOT / new))
        (engine,) = before.values
        assert len(changes(before.values[engine], after.values[engine])) == (int(count) if count else 0), words
