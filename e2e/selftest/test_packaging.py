"""Packaging: the virtualenv holds exactly the lock, the project installs with pip, the workflows are valid."""

import importlib.metadata
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_installed_packages_are_the_locked_ones():
    """Every package uv.lock holds for this platform is installed at exactly the locked version."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked: dict = {}  # name -> versions (the lock forks by Python version for some, e.g. pyee)
    for package in lock["package"]:
        if package["name"] != "cookie-lab":
            locked.setdefault(_normal(package["name"]), set()).add(package["version"])
    installed = {_normal(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    # Packages for other platforms (Windows' colorama, say) are locked but not installed here.
    differ = {name: (versions, installed[name]) for name, versions in locked.items()
              if name in installed and installed[name] not in versions}  # fmt: skip
    assert differ == {}
    for name in ("django", "playwright", "selenium", "pytest", "greenlet", "pyee", "cryptography", "ada-url"):
        assert name in locked and name in installed, name


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtualenv with cookie-lab installed by `pip install -e` from a copy of the checkout (an install writes its
    egg-info beside the sources: never into the checkout), and this environment's packages beside it."""
    folder = tmp_path_factory.mktemp("installed")
    copy = _checkout_copy(folder / "checkout")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "cookie-lab-test-env.pth").write_text(next(p for p in sys.path if p.endswith("site-packages")) + "\n")
    # As a user runs it; the build backend (setuptools) comes from the package index.
    install = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
         "-e", str(copy)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    return venv / "bin" / "python", copy


# The installed copy's own environment: no PYTHONPATH of this run's (python3 -m e2e sets one to this checkout).
INSTALLED_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


def test_pip_installs_the_project_editable(tmp_path, installed):
    """pip install -e . works: the site and the harness import from anywhere; no pytest11 entry point is
    registered (the harness loads only where a conftest or -p asks for it)."""
    python, copy = installed
    imported = subprocess.run(
        [python, "-c", "import cookielab.hosts, e2e.harness.rows; print(cookielab.hosts.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=INSTALLED_ENV,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr[-2000:]
    assert imported.stdout.strip() == str(copy / "site" / "cookielab" / "hosts.py")
    registered = subprocess.run(
        [python, "-c", "import importlib.metadata as m; "
         "print([e.value for e in m.entry_points(group='pytest11') if e.value.startswith('e2e')])"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=INSTALLED_ENV,
    )  # fmt: skip
    assert registered.stdout.strip() == "[]", registered.stderr[-2000:]


UNRELATED = """
import pytest


def test_plain():
    assert 1 + 1 == 2


def test_with_playwright_s_engine_parameter(browser_name):
    assert browser_name
"""


def test_an_unrelated_project_runs_as_if_cookie_lab_were_not_installed(tmp_path, installed):
    """In another project's folder, with cookie-lab installed: xdist, --strict-markers, its own test-results/ with a
    JUnit file, pytest-playwright's default engine all behave as with `-p no:e2e.harness.plugin`."""
    python, _ = installed
    project = tmp_path / "project"
    (project / "test-results").mkdir(parents=True)
    (project / "test-results" / "junit.xml").write_text("<testsuites/>")
    (project / "test_unrelated.py").write_text(UNRELATED)
    (project / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "--strict-markers"\n')

    def run(*extra):
        done = subprocess.run([python, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "--collect-only", "-q",
                               *extra], cwd=project, capture_output=True, text=True, timeout=300,
                              env=INSTALLED_ENV)  # fmt: skip
        return done.returncode, [line for line in done.stdout.splitlines() if "::" in line]

    plain = run()
    assert plain == run("-p", "no:e2e.harness.plugin")
    assert plain == (
        0,
        ["test_unrelated.py::test_plain", "test_unrelated.py::test_with_playwright_s_engine_parameter[chromium]"],
    )
    assert sorted(p.name for p in (project / "test-results").iterdir()) == ["junit.xml"]


def test_workflows_are_valid_github_workflows():
    """Every workflow file validates against the GitHub workflow schema check-jsonschema ships (offline)."""
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    check = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def _checkout_copy(dest: pathlib.Path) -> pathlib.Path:
    """The checkout's files as they are now (tracked and new, not ignored), without .venv."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes((ROOT / name).read_bytes())
    return dest


def _step(copy: pathlib.Path, *command) -> str:
    # Playwright's own browser download is refused at once here, as on an offline machine.
    env = {**os.environ, "PLAYWRIGHT_DOWNLOAD_HOST": "http://127.0.0.1:9", "VIRTUAL_ENV": ""}
    done = subprocess.run([str(c) for c in command], cwd=copy, capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout + done.stderr


@pytest.mark.parametrize("first", ["bootstrap", "uv"])
def test_bootstrap_and_uv_leave_each_other_working(tmp_path, first):
    """python3 -m e2e setup then `uv sync`, or the other way round: pip and uv stay in .venv, and a
    second setup finds nothing to install."""
    copy = _checkout_copy(tmp_path / "checkout")
    uv = ROOT / ".venv" / "bin" / "uv"
    steps = [["python3", "-m", "e2e", "setup"], [uv, "sync", "--frozen", "--quiet"]]
    for command in steps if first == "bootstrap" else steps[::-1]:
        _step(copy, *command)
    for tool in ("pip", "uv", "pytest", "playwright"):
        assert (copy / ".venv" / "bin" / tool).exists(), tool
    again = _step(copy, "python3", "-m", "e2e", "setup")
    assert "installing" not in again, again[-2000:]
    _step(copy, copy / ".venv" / "bin" / "pip", "--version")


def test_the_harness_imports_no_test_module():
    """Tools and fixtures depend on the harness, never on a test module (the parser corpus lives in the harness)."""
    importing = [
        path.name
        for path in sorted((ROOT / "e2e" / "harness").glob("*.py"))
        if re.search(r"^\s*(from e2e(\.| import )test_|import e2e\.test_)", path.read_text(), re.M)
    ]
    assert importing == []


@pytest.mark.needs("root")  # it acts as another user, for whom the checkout is read-only
def test_a_read_only_checkout_is_one_line(tmp_path):
    """`python3 -m e2e e2e` where the checkout cannot be written (no .venv can be made): one line saying so and
    what to do, exit 1, no traceback."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="cl-readonly-", dir="/tmp"))  # readable by another user
    try:
        folder.chmod(0o755)
        copy = _checkout_copy(folder / "checkout")
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        run = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-m", "e2e", "e2e"],
            cwd=copy, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stderr.strip().splitlines() == [
        f"python3 -m e2e: cannot make {copy / '.venv'} here (a read-only checkout): run from a writable clone, or "
        "run pytest from an environment holding uv.lock's packages with --output DIR -p no:cacheprovider"
    ]


def test_setup_installs_what_the_engines_asked_for_need(monkeypatch, tmp_path):
    """--browser chromium asks for nothing of WebKitGTK's; --webkit webkitgtk for no Playwright WebKit build."""
    import e2e.__main__ as bootstrap

    asked: list[list[str]] = []
    monkeypatch.setattr(bootstrap, "ensure_distro_browsers", lambda names: asked.append(list(names)))
    monkeypatch.setattr(bootstrap, "DOWNLOAD_FAILED_STAMP", tmp_path / "stamp")
    monkeypatch.setattr(bootstrap, "playwright_builds", lambda: ({n: tmp_path / n for n in bootstrap.ENGINES}, "m"))
    (tmp_path / "stamp").write_text(__import__("hashlib").sha256(b"m").hexdigest())  # the download failed before
    assert bootstrap.engines_asked(["--browser", "chromium", "-k", "x"]) == ["chromium"]
    assert bootstrap.engines_asked(["--browser=firefox", "--browser", "webkit"]) == ["firefox", "webkit"]
    assert bootstrap.engines_asked([]) == ["chromium", "firefox", "webkit"]
    bootstrap.ensure_browsers(["chromium"])
    bootstrap.ensure_browsers(["webkit"], webkitgtk=bootstrap.webkit_route(["--webkit", "webkitgtk"]) == "webkitgtk")
    assert asked == [["chromium"], ["webkit"]]
