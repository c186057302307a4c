"""The hosted workflow would pass: each job collects only tests it can run there, its shards together
collect what it would run whole, and the report waits for every job.

Each job's pytest command is read from .github/workflows/browsers.yml, its matrix expanded, and
collected here in an environment like the job's: Playwright's builds of exactly the engines the job
installs (a PLAYWRIGHT_BROWSERS_PATH holding their folders), no Debian browser claimed.
"""

import itertools
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from e2e.harness.backends.playwright import playwright_build_folder
from e2e.harness.engine import ENGINES

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "browsers.yml"
RUN = "python -m e2e e2e "

# Loaded into the inner collection: each test's id, needs markers, engine parameter and browser marker.
DUMP = """
import json
import os


def pytest_collection_finish(session):
    rows = []
    for item in session.items:
        spec = getattr(item, "callspec", None)
        rows.append({
            "id": item.nodeid,
            "needs": [need for mark in item.iter_markers("needs") for need in mark.args],
            "engine": spec.params.get("browser_name") if spec else None,
            "browser": item.get_closest_marker("browser") is not None,
        })
    with open(os.environ["COOKIE_LAB_COLLECTED"], "w") as out:
        json.dump(rows, out)
"""


def _expand(text: str, matrix: dict) -> str:
    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(matrix[m.group(1)]), text)


def jobs() -> list[tuple[str, dict, list[str], dict]]:
    """(job name with its matrix, matrix, the e2e command's arguments, what the job has)."""
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    found = []
    for name, job in workflow["jobs"].items():
        axes = job.get("strategy", {}).get("matrix", {})
        for values in itertools.product(*axes.values()):
            matrix = dict(zip(axes, values, strict=True))
            runs = [_expand(step.get("run", ""), matrix) for step in job["steps"]]
            command = next((run for run in runs if RUN in run), None)
            if command is None:
                continue
            args = shlex.split(command.split(RUN, 1)[1])
            installs = " ".join(runs)
            has = {
                # Playwright's builds the job installs; WebKitGTK when it installs the driver; never Debian's builds.
                "builds": set(re.findall(r"(?:playwright install --with-deps|e2e setup --browser) (\w+)", installs)),
                "webkitgtk": "webkit2gtk-driver" in installs,
                "macos": job["runs-on"].startswith("macos"),
            }
            # Not name[chromium]: ids that start with an engine count as that engine's tests (.ci/engines_ran.py).
            label = "/".join([name, *map(str, matrix.values())])
            found.append((label, matrix, args, has))
    return found


def collect(tmp_path: pathlib.Path, args: list[str], builds: set[str]) -> list[dict]:
    """The tests `pytest e2e ARGS` collects where exactly `builds` of Playwright are installed."""
    folder = tmp_path / f"collect-{len(list(tmp_path.iterdir()))}"
    cache = folder / "ms-playwright"
    cache.mkdir(parents=True)
    for build in builds & set(ENGINES):  # a channel (chrome) is not Playwright's build of an engine
        (cache / playwright_build_folder(build)).mkdir()
    (folder / "dump_collected.py").write_text(DUMP)
    env = {
        **os.environ,
        "PLAYWRIGHT_BROWSERS_PATH": str(cache),
        "XDG_CACHE_HOME": str(folder / "cache"),  # no fetched release, no Grid jar
        "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")])),
        "COOKIE_LAB_COLLECTED": str(folder / "collected.json"),
    }
    # The job's JUnit file would land in the checkout's test-results/: a collection needs none.
    args = [arg for arg in args if not arg.startswith("--junitxml")]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e", *args, "--collect-only", "-q", "-p", "dump_collected",
         "-p", "no:cacheprovider", "--output", str(folder / "out")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads((folder / "collected.json").read_text())


JOBS = jobs()


def test_the_workflow_has_the_matrix_and_a_report_waiting_for_every_job():
    """The e2e job is engine x shard; the report job needs every other job and always runs."""
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    matrix = workflow["jobs"]["e2e"]["strategy"]["matrix"]
    assert sorted(matrix["browser"]) == sorted(ENGINES) and len(matrix["shard"]) > 1
    report = workflow["jobs"]["report"]
    assert sorted(report["needs"]) == sorted(set(workflow["jobs"]) - {"report"})
    assert report["if"] == "always()"
    assert {label.split("/")[0] for label, *_ in JOBS} == {"e2e", "previous-release", "webkitgtk", "safari"}


@pytest.mark.parametrize("label, matrix, args, has", JOBS, ids=[f"job-{job[0]}" for job in JOBS])
def test_each_job_collects_only_tests_it_can_run(tmp_path, label, matrix, args, has):
    """No test collected by a job needs an engine, WebKitGTK or a Debian build the job lacks."""
    engines = set(args[i + 1] for i, arg in enumerate(args) if arg == "--browser")
    collected = collect(tmp_path, args, has["builds"])
    assert collected, f"{label} collects no test"
    # What an inner run can launch there: the Playwright builds the job installs, WebKitGTK where it installs it.
    can = (has["builds"] & set(ENGINES)) | ({"webkit", "webkitgtk"} if has["webkitgtk"] else set())
    can |= {"root"}  # decided by the runner's user when the job runs (not root on hosted runners: left out there)
    cannot = [(row["id"], sorted(set(row["needs"]) - can)) for row in collected if set(row["needs"]) - can]
    assert cannot == []
    assert {row["engine"] for row in collected if row["engine"]} == engines


@pytest.mark.parametrize("engine", ENGINES, ids=lambda engine: f"job-{engine}")
def test_a_jobs_shards_together_collect_its_whole_run(tmp_path, engine):
    """The e2e job's shards of one engine collect, together and once each, what the engine's job would run whole."""
    label, _, args, has = next(job for job in JOBS if job[0].startswith(f"e2e/{engine}/"))
    position = args.index("--shard")
    whole = collect(tmp_path, args[:position] + args[position + 2 :], has["builds"])
    count = int(args[position + 1].split("/")[1])
    parts = [
        collect(tmp_path, [*args[:position], "--shard", f"{i}/{count}", *args[position + 2 :]], has["builds"])
        for i in range(1, count + 1)
    ]
    assert sorted(row["id"] for part in parts for row in part) == sorted(row["id"] for row in whole)


def test_every_test_launching_a_browser_outside_the_matrix_says_what_it_needs(tmp_path):
    """A browser test without an engine parameter launches engines of its own: a @needs marker names them."""
    collected = collect(tmp_path, [], set())
    unmarked = [row["id"] for row in collected if row["browser"] and not row["engine"] and not row["needs"]]
    assert unmarked == []


def test_each_job_installs_only_its_engine_with_a_timeout_and_least_permissions():
    """A user copies this file: each e2e job sets up only its own Playwright build (cached), every job has a
    timeout, and the workflow's token may only read the repository."""
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    assert workflow["permissions"] == {"contents": "read"}
    assert all("timeout-minutes" in job for job in workflow["jobs"].values())
    for label, matrix, _, has in JOBS:
        if label.startswith("e2e/"):
            assert has["builds"] == {matrix["browser"]}, label
    steps = workflow["jobs"]["e2e"]["steps"]
    assert any(step.get("uses", "").startswith("actions/cache@") for step in steps)
