"""Packaging: the virtualenv holds exactly the lock, the project installs with pip, the workflows are valid."""

import importlib.metadata
import os
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


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


def test_pip_installs_the_project_editable(tmp_path):
    """pip install -e . works: the site and the harness import from anywhere."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    # As a user runs it; the build backend (setuptools) comes from the package index.
    install = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
         "-e", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    imported = subprocess.run(
        [venv / "bin" / "python", "-c", "import cookielab.hosts, e2e.harness.rows; print(cookielab.hosts.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr[-2000:]
    assert imported.stdout.strip() == str(ROOT / "site" / "cookielab" / "hosts.py")
    # Installed, the harness is a pytest plugin by entry point.
    registered = subprocess.run(
        [venv / "bin" / "python", "-c", "import importlib.metadata as m; "
         "print([(e.name, e.value) for e in m.entry_points(group='pytest11') if e.value == 'e2e.harness.plugin'])"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert registered.stdout.strip() == "[('e2e.harness.plugin', 'e2e.harness.plugin')]", registered.stderr[-2000:]


@pytest.mark.parametrize("how", [["--noconftest", "-p", "e2e.harness.plugin"], []], ids=["by-name", "conftest"])
def test_the_plugin_loads_once(tmp_path, how):
    """-p e2e.harness.plugin with no conftest at all, or the root conftest's line, gives a test the harness's
    options and fixtures; with the checkout also installed (an egg-info beside it), never twice."""
    probe = tmp_path / "test_plugin_probe.py"
    probe.write_text("def test_fixture(baselines, pytestconfig):\n"
                     "    assert baselines.directory.name == 'baselines'\n"
                     "    assert pytestconfig.getoption('--third-party') == []\n")  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(probe), *how, "--rootdir", str(ROOT),
         "-c", str(ROOT / "pyproject.toml"), "-p", "no:cacheprovider", "--output", str(tmp_path / "out")],
        cwd=ROOT if how == [] else tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]


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
