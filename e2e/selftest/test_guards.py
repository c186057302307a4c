"""Runs that cannot work fail once, clearly; two runs never share an output folder; the checkout stays untouched."""

import os
import re
import subprocess
import sys

import pytest

from e2e.harness import guards
from e2e.harness.engine import ENGINES
from e2e.harness.tools import probe

PASSING = """
def test_passes(lab):
    assert lab.stored() == []
"""


def _pytest(pytestconfig, *args, env=None):
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300, env=env)


def test_second_run_on_the_same_output_is_refused(pytestconfig, tmp_path):
    """While one run holds an output folder, another run on it stops at once with one line."""
    output = tmp_path / "shared"
    claim = guards.claim_output(output, pytestconfig.rootpath)
    try:
        run = _pytest(pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--output", str(output))
    finally:
        claim.close()
    assert run.returncode == 4, run.stdout[-2000:] + run.stderr[-2000:]
    assert f"another cookie-lab run is using --output {output}" in run.stderr


def test_video_without_ffmpeg_fails_once(pytestconfig, tmp_path):
    """--video where Playwright's ffmpeg is missing is one usage error, not an error per test."""
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-builds")}
    run = _pytest(pytestconfig, "e2e/test_flow.py", "--video", "on", "--output", str(tmp_path / "out"), env=env)
    assert run.returncode == 4
    assert run.stderr.count("--video needs Playwright's ffmpeg build") == 1, run.stderr[-2000:]
    assert "passed" not in run.stdout and "error" not in run.stdout.lower()


def test_headed_without_display_fails_once(pytestconfig, tmp_path):
    """--headed with no display is one usage error, not a 70-line box per test."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    run = _pytest(pytestconfig, "e2e/test_flow.py", "--headed", "--output", str(tmp_path / "out"), env=env)
    assert run.returncode == 4
    assert (
        run.stderr.strip().splitlines()[-1] == "ERROR: --headed needs a display (DISPLAY or WAYLAND_DISPLAY is not set)"
    )


@pytest.mark.needs("chromium", "firefox")
@pytest.mark.browser  # its inner runs launch Chromium
@pytest.mark.parametrize("allow", [False, True], ids=["refused", "allowed"])
def test_engine_that_ran_no_test_fails_the_run(pytestconfig, tmp_path, allow):
    """Asking for Firefox and deselecting all its tests fails the run, unless --allow-idle-engines."""
    path = probe.write(tmp_path / "probe", PASSING)
    extra = ["--allow-idle-engines"] if allow else []
    args = ["--browser", "chromium", "--browser", "firefox", "-k", "chromium", *extra]
    run = subprocess.run(probe.command(path, tmp_path / "out", *args), cwd=pytestconfig.rootpath,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert "1 passed" in run.stdout, run.stdout[-2000:]
    if allow:
        assert run.returncode == 0, run.stdout[-2000:]
    else:
        assert run.returncode == 1
        assert "FAILED: firefox was asked for (--browser) but ran no test" in run.stdout
        assert re.fullmatch(r"=+ 1 passed, 1 deselected, 1 idle engine in .*", run.stdout.strip().splitlines()[-1])


@pytest.mark.needs("chromium")
@pytest.mark.browser  # its inner run launches Chromium
def test_run_writes_nothing_outside_output(pytestconfig, tmp_path):
    """With --output elsewhere, a run that fails a test, fuzzes the site and probes leaves the checkout as it was."""

    def untracked():
        listed = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
                                cwd=pytestconfig.rootpath, capture_output=True, text=True).stdout  # fmt: skip
        return {line for line in listed.splitlines() if ".venv/" not in line and "__pycache__" not in line}

    before = untracked()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    run = _pytest(pytestconfig, "e2e/selftest/test_failure_artifacts.py", "site/tests/test_fuzz.py", "e2e/test_size.py",
                  "--browser", "chromium", "--output", str(tmp_path / "out"), env=env)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert untracked() - before == set()


def _refused(run, words):
    """Exit 4 and one line naming the folder, before any test."""
    assert run.returncode == 4, run.stdout[-2000:] + run.stderr[-2000:]
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(errors) == 1 and words in errors[0], run.stderr[-2000:]
    assert "passed" not in run.stdout


@pytest.mark.parametrize("output", ["e2e/baselines", "e2e/new-folder", "site", "."])
def test_output_inside_tracked_folders_is_refused(pytestconfig, output):
    """--output in (or below) a folder the repository tracks is refused; the committed baselines stay."""
    baselines = sorted(p.name for p in (pytestconfig.rootpath / "e2e" / "baselines").iterdir())
    run = _pytest(pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "-m", "not browser", "--output", output)
    _refused(run, "--output ")
    assert sorted(p.name for p in (pytestconfig.rootpath / "e2e" / "baselines").iterdir()) == baselines
    assert not (pytestconfig.rootpath / "e2e" / "new-folder").exists()


@pytest.mark.parametrize("name", ["notes.txt", "cookie-report.json"])
def test_output_holding_someone_elses_files_is_refused(pytestconfig, tmp_path, name):
    """A folder with files and no mark of a cookie-lab run is never emptied, even one holding a file named as a
    report: the run stops and the files stay."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / name).write_text("keep me")
    run = _pytest(
        pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--output", str(mine), "--report-dir", str(tmp_path)
    )
    _refused(run, "holds files cookie-lab did not make")
    assert (mine / name).read_text() == "keep me"


def test_outputs_never_nest(pytestconfig, tmp_path):
    """While a run holds nest/sub, a run on nest (which would empty it) and one on nest/sub/deeper are refused."""
    claim = guards.claim_output(tmp_path / "nest" / "sub", pytestconfig.rootpath)
    try:
        outer = _pytest(pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--output", str(tmp_path / "nest"))
        inner = _pytest(
            pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--output", str(tmp_path / "nest/sub/deeper")
        )
    finally:
        claim.close()
    _refused(outer, "holds files cookie-lab did not make")
    _refused(inner, "is inside another cookie-lab run's output")
    assert (tmp_path / "nest" / "sub" / guards.OUTPUT_MARK).exists()


def test_a_run_empties_only_its_own_last_output(pytestconfig, tmp_path):
    """What the last cookie-lab run wrote is removed at the next run's start (fresh artifacts); a user's file put
    beside it afterwards stays, a report among them or not; the folder keeps its lock."""
    output = tmp_path / "out"
    claim = guards.claim_output(output, pytestconfig.rootpath)
    (output / "old-artifact.txt").write_text("from the last run")
    (output / "cookie-report.json").write_text("{}")
    claim.close()
    (output / "notes.txt").write_text("the user's")
    (output / "keep").mkdir()
    run = _pytest(pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--output", str(output))
    assert run.returncode == 0, run.stdout[-2000:]
    assert not (output / "old-artifact.txt").exists()
    assert not (output / "cookie-report.json").exists()
    assert (output / "notes.txt").read_text() == "the user's" and (output / "keep").is_dir()
    assert (
        f"no observation recorded in this run, so none written (it would be {output / 'cookie-report.html'})"
        in run.stdout
    )
    assert (output / guards.OUTPUT_MARK).exists()


WRONG_USAGES = {
    "no-playwright-webkit-build": (["--browser", "webkit", "--webkit", "playwright"], "--webkit playwright needs"),
    "safari-on-linux": (["--browser", "webkit", "--webkit", "safari"], "--webkit safari needs safaridriver"),
    "webdriver-url-closed": (["--browser", "webkit", "--webdriver-url", "http://127.0.0.1:9"], "nothing answers there"),
    "webdriver-url-not-a-url": (["--browser", "webkit", "--webdriver-url", "nonsense"], "takes an http(s) URL"),
    "playwright-server-closed": (["--playwright-server", "ws://127.0.0.1:9/"], "nothing answers there"),
    "playwright-server-not-ws": (["--playwright-server", "http://127.0.0.1:9"], "takes a ws:// endpoint"),
    "playwright-server-chromium-profile": (
        ["--browser", "chromium", "--third-party", "allowed", "--playwright-server", "ws://127.0.0.1:9/"],
        "needs a profile of its own",
    ),
    "release-firefox-140-on-playwright": (
        ["--browser", "firefox", "--release", "firefox=140"],
        "add --firefox marionette",
    ),
    "proxy-listen-nonsense": (["--proxy-listen", "nonsense"], "--proxy-listen takes HOST:PORT"),
    "proxy-listen-port-too-big": (["--proxy-listen", "127.0.0.1:99999"], "--proxy-listen takes HOST:PORT"),
    "third-party-unknown-policy": (["--third-party", "sometimes"], "chromium has no 'sometimes' policy"),
    "third-party-nearly-a-policy": (["--third-party", "block"], "has no 'block' policy (did you mean blocked?"),
    "browser-channel-unknown": (["--browser", "chromium", "--browser-channel", "chromee"], "did you mean chrome?"),
    "browser-channel-not-installed": (
        ["--browser", "chromium", "--browser-channel", "msedge-dev"],
        "/opt/microsoft/msedge-dev/msedge is not installed",
    ),
    "third-party-not-this-engine": (["--third-party", "chromium=partitioned"], "chromium has no 'partitioned'"),
    "third-party-unknown-engine": (["--third-party", "edge=allowed"], "unknown engine 'edge'"),
}


@pytest.mark.parametrize("args, words", WRONG_USAGES.values(), ids=WRONG_USAGES.keys())
def test_wrong_usage_ends_the_run_in_one_line(pytestconfig, tmp_path, args, words):
    """Each wrong option stops the run before any test with exit 4 and one line naming the input; no traceback."""
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-builds")}
    run = _pytest(pytestconfig, "e2e/test_flow.py", *args, "--output", str(tmp_path / "out"), env=env)
    _refused(run, words)
    assert "Traceback" not in run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr[-2000:]
    assert "idle" not in run.stdout


@pytest.mark.parametrize(
    "argv, status, words",
    [
        (
            ["bogus"],
            2,
            "unknown command 'bogus'; one of e2e, all, bench, soak, merge, compare, report, serve-browser, setup",
        ),
        (["merge", "/no/such/record.json"], 2, "no such file or folder: /no/such/record.json"),
        (["--help"], 0, "python3 -m e2e {e2e|all|setup|bench|soak|merge|compare}"),
        (["e2e", "--django", "9.9"], 1, "--django takes one of 4.2 (pinned in pyproject.toml), not '9.9'"),
        (["e2e", "--django", "4.2", "--django", "5.2"], 1, "--django is given twice: one Django line per run"),
    ],
    ids=["unknown-command", "merge-missing-record", "help", "django-unknown-line", "django-twice"],
)
def test_entry_point_usage(pytestconfig, argv, status, words):
    """python3 -m e2e names a bad command or record in one line (exit 2) and --help exits 0."""
    run = subprocess.run([sys.executable, "-m", "e2e", *argv], cwd=pytestconfig.rootpath, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode == status, run.stdout[-1000:] + run.stderr[-1000:]
    assert words in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def _collected(pytestconfig, tmp_path, *args):
    """What the whole run (testpaths: every layer and the site's tests) collects with args."""
    run = _pytest(pytestconfig, "--collect-only", "-q", "--output", str(tmp_path / "collect"), *args)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_shards_run_every_test_exactly_once(pytestconfig, tmp_path):
    """--shard 1/3, 2/3 and 3/3 together collect every test of the whole run, each exactly once, whole modules each."""
    everything = _collected(pytestconfig, tmp_path)
    parts = [_collected(pytestconfig, tmp_path, "--shard", f"{i}/3") for i in (1, 2, 3)]
    assert sorted(test for part in parts for test in part) == sorted(everything)
    modules = [{test.split("::")[0] for test in part} for part in parts]
    assert all(part for part in parts) and not (
        modules[0] & modules[1] or modules[0] & modules[2] or modules[1] & modules[2]
    )


# A row of test_samesite.py, assembled so that its id stays written once (e2e/model/test_rows.py checks it).
ROW_ID = "/".join(["samesite", "strict", "cross-site-link"])


def test_a_row_id_from_a_failure_selects_exactly_that_row(pytestconfig, tmp_path):
    """--row with the id a failure message starts with runs that row in each engine (and its two row checks)."""
    collected = _collected(pytestconfig, tmp_path, "--row", ROW_ID)
    case = ROW_ID.split("/", 1)[1]
    assert sorted(collected) == [
        f"e2e/model/test_rows.py::{check}[{ROW_ID}]"
        for check in ("test_row_id_is_written_once", "test_row_states_rule_spec_and_sourced_deviations")
    ] + [f"e2e/test_samesite.py::test_samesite_cookie_sent[{engine}-{case}]" for engine in ENGINES]


def test_an_unknown_row_id_is_one_line_naming_the_nearest(pytestconfig, tmp_path):
    """An id no row has stops the run before collection, in one line naming the nearest ids and the listing."""
    run = _pytest(pytestconfig, "e2e/test_samesite.py", "--row", ROW_ID[:-2], "--output", str(tmp_path / "out"))
    _refused(run, f"no row has this id; nearest: {ROW_ID}")
    assert "--list-rows lists them" in run.stderr and run.stdout.strip() == ""


def test_the_row_ids_can_be_listed(pytestconfig):
    """--list-rows prints every row's id and rule, one a line, and runs nothing."""
    run = _pytest(pytestconfig, "e2e", "--list-rows")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    listed = dict(line.split("  ", 1) for line in run.stdout.strip().splitlines())
    assert listed[ROW_ID] == "A SameSite=Strict cookie is not sent on a link from https://other.test."
    assert len(listed) > 700 and "passed" not in run.stdout


@pytest.mark.parametrize("lookup", [["--help"], ["--co", "e2e/test_flow.py"], ["--markers"], ["--fixtures"]],
                         ids=["help", "collect-only", "markers", "fixtures"])  # fmt: skip
def test_looking_something_up_keeps_the_last_output(pytestconfig, tmp_path, lookup):
    """--help, --co, --markers and --fixtures run no test: the last run's report stays where it was."""
    output = tmp_path / "out"
    claim = guards.claim_output(output, pytestconfig.rootpath)
    (output / "cookie-report.html").write_text("the last report")
    claim.close()
    run = _pytest(pytestconfig, *lookup, "--output", str(output))
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (output / "cookie-report.html").read_text() == "the last report"


def test_a_run_from_a_subdirectory_writes_to_the_repository_s_test_results(pytestconfig, tmp_path):
    """Run from e2e/, the default --output is the repository root's test-results (never e2e/test-results, a
    tracked folder it would refuse while suggesting the very value that failed)."""
    run = subprocess.run([sys.executable, "-m", "pytest", "test_flow.py", "--co", "-q", "-p", "no:cacheprovider"],
                         cwd=pytestconfig.rootpath / "e2e", capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "15 tests collected" in run.stdout
    assert not (pytestconfig.rootpath / "e2e" / "test-results").exists()


@pytest.mark.parametrize("shard", ["0/3", "4/3", "a/b", "1"])
def test_a_bad_shard_is_one_line(pytestconfig, tmp_path, shard):
    """--shard outside 1 <= I <= N is refused before any test, in one line."""
    run = _pytest(pytestconfig, "e2e/test_flow.py", "--shard", shard, "--output", str(tmp_path / "out"))
    _refused(run, "--shard takes I/N")


def test_a_proxy_listening_beyond_loopback_is_said_in_the_header(pytestconfig, tmp_path):
    """--proxy-listen on a non-loopback address exposes the test network to other machines: one warning line."""
    run = _pytest(pytestconfig, "e2e/model/test_rows.py", "-k", "unique", "--proxy-listen", "0.0.0.0:0",
                  "--output", str(tmp_path / "out"))  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    warnings = [line for line in run.stdout.splitlines() if line.startswith("WARNING: --proxy-listen")]
    assert warnings == [
        "WARNING: --proxy-listen 0.0.0.0:0 is not loopback: other machines reach the test network through it "
        "(the lab's verbs, the server's log, the app's login)"
    ]
