"""Set up what is missing, then run the tests: python3 -m e2e {e2e|all|setup|bench|soak|merge|compare} [args].

Standard library only: this runs before the virtualenv exists.
  e2e    the browser matrix against the reference site (pytest e2e)
  all    every test of the project (pytest, all testpaths)
  setup  only set up: virtualenv, pinned dependencies, browsers (--browser NAME: that engine's only); with --releases also
         every other release of chromium and firefox-esr the package index offers,
         extracted into ~/.cache/cookie-lab/releases (the system browser untouched),
         for `pytest --release chromium=150`; with --grid also Java and the pinned
         Selenium Grid jar (~/.cache/cookie-lab/grid), for the Grid test
  --django 4.2  (with any command) run on another pinned Django line, in .venv-django-4.2
  bench  the benchmark against raw Playwright and raw WebDriver (python3 -m e2e bench --help)
  soak   the e2e suite N times, reporting tests that changed outcome (--runs N, default 20)
  merge  one report from the JSON records of separate runs (python3 -m e2e merge --help)
  compare  what differs between two records: two releases' baselines, two runs, two engines (exit 1 if anything does)
  report   the report of the committed baselines alone: what each engine does today, no browser needed
  serve-browser ENGINE --proxy HOST:PORT  a Playwright server for another machine's run (--playwright-server)
Set up means: .venv with pyproject's pinned dependencies (re-installed when the
pins change); Playwright's browser builds where they can be downloaded, else
Debian's chromium and firefox-esr, and for WebKit Debian's WebKitGTK with its
WebDriver, Xvfb and the Python bindings its browser uses (apt-get, as root).
A second run with nothing missing does no installing.
"""

import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tomllib

from e2e.harness.backends import grid, releases  # standard library only
from e2e.harness.tools.args import names_tests  # standard library only

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
DEPS_STAMP = VENV / ".cookie-lab-deps"
LOCK = ROOT / "uv.lock"
UV = "uv==0.13.8"  # reads uv.lock; the one tool the bootstrap installs before the lock
DOWNLOAD_FAILED_STAMP = VENV / ".playwright-download-failed"
INSTALL_LOG = VENV / "playwright-install.log"
ENGINES = ("chromium", "firefox", "webkit")
# engine -> (Debian packages, a file each leaves behind)
DISTRO = {
    "chromium": (["chromium"], ["/usr/bin/chromium"]),
    "firefox": (["firefox-esr"], ["/usr/bin/firefox-esr"]),
    # WebKitGTK over WebDriver: the driver, an X server, and PyGObject with WebKit's and
    # libsoup's typelibs for e2e/harness/backends/webkitgtk_browser.py (system python3).
    "webkit": (
        ["webkit2gtk-driver", "xvfb", "python3-gi", "gir1.2-webkit2-4.1", "gir1.2-soup-3.0"],
        [
            "/usr/bin/WebKitWebDriver",
            "/usr/bin/Xvfb",
            "/usr/lib/python3/dist-packages/gi/__init__.py",
            "/usr/lib/x86_64-linux-gnu/girepository-1.0/WebKit2-4.1.typelib",
            "/usr/lib/x86_64-linux-gnu/girepository-1.0/Soup-3.0.typelib",
        ],
    ),
}
COMMANDS = {
    "e2e": ["-m", "pytest", "e2e"],
    "all": ["-m", "pytest"],
    "bench": ["-m", "e2e.harness.tools.bench"],
    "soak": ["-m", "e2e.harness.tools.soak"],
    "merge": ["-m", "e2e.harness.report.merge"],
    "compare": ["-m", "e2e.harness.report.compare"],
    "report": ["-m", "pytest", "e2e", "--report-from-baselines", "-p", "no:cacheprovider"],
    "serve-browser": ["-m", "e2e.harness.backends.playwright_server"],
}


def say(message):
    print(f"[cookie-lab] {message}", flush=True)


def run(*command, cwd=None):
    say("$ " + " ".join(str(c) for c in command))
    subprocess.run([str(c) for c in command], check=True, cwd=cwd)


def ensure_venv():
    """.venv with exactly what uv.lock holds (hashes checked), re-installed when the lock changes."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    tools = [VENV / "bin" / "uv", VENV / "bin" / "pip"]  # gone after `uv sync --no-dev`, say: install again
    if PYTHON.exists() and DEPS_STAMP.exists() and DEPS_STAMP.read_text() == digest and all(map(os.path.exists, tools)):
        return
    if not os.access(ROOT, os.W_OK) or (VENV.exists() and not os.access(VENV, os.W_OK)):
        raise SystemExit(
            f"python3 -m e2e: cannot make {VENV} here (a read-only checkout): run from a writable clone, or run "
            "pytest from an environment holding uv.lock's packages with --output DIR -p no:cacheprovider"
        )
    if not PYTHON.exists():
        say(f"creating virtualenv {VENV}")
        run(sys.executable, "-m", "venv", VENV)
    if subprocess.run([PYTHON, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        run(PYTHON, "-m", "ensurepip", "--upgrade")  # a .venv that uv made has no pip
    # uv only turns the lock into a hashed requirements list; pip installs it.
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", UV)
    say("installing the locked dependencies (uv.lock, hashes required)")
    install(PYTHON, exported_lock())
    DEPS_STAMP.write_text(digest)


def exported_lock():
    """uv.lock as a hashed requirements file (uv export, from .venv's uv)."""
    exported = VENV / "requirements-from-uv.lock.txt"
    run(VENV / "bin" / "uv", "export", "--quiet", "--frozen", "--format", "requirements-txt", "--all-groups",
        "--no-emit-project", "--output-file", exported, cwd=ROOT)  # fmt: skip
    return exported


def install(python, requirements):
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "--no-deps",
        "-r", requirements)  # fmt: skip


def django_lines():
    """Django line -> its pinned requirement with hash ([tool.cookie-lab.django] in pyproject.toml)."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["cookie-lab"]["django"]


def ensure_django_venv(line):
    """.venv-django-<line>: uv.lock's set with Django swapped for the line's pin; the python that runs it."""
    pins = django_lines()
    if line not in pins:
        raise SystemExit(f"--django takes one of {', '.join(pins)} (pinned in pyproject.toml), not {line!r}")
    venv = ROOT / f".venv-django-{line}"
    python, stamp = venv / "bin" / "python", venv / ".cookie-lab-deps"
    digest = hashlib.sha256(LOCK.read_bytes() + pins[line].encode()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    if not python.exists():
        say(f"creating virtualenv {venv} (Django {line})")
        run(sys.executable, "-m", "venv", venv)
    locked = exported_lock().read_text()
    # The lock's Django entry (its line and hash continuation lines) gives way to the pin.
    swapped, count = re.subn(r"^django==\S+(?: \\\n\s+--hash=\S+)+\n", pins[line] + "\n", locked, flags=re.M)
    if count != 1:
        raise SystemExit("uv.lock's export holds no single django entry to swap")
    requirements = venv / "requirements.txt"
    requirements.write_text(swapped)
    say(f"installing the locked dependencies with {pins[line].split()[0]} (hashes required)")
    install(python, requirements)
    stamp.write_text(digest)
    return python


def playwright_builds():
    """name -> directory of Playwright's build for the installed playwright version."""
    driver = VENV / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    manifest = next(driver.glob("playwright/driver/package/browsers.json"), None)
    if manifest is None:
        raise SystemExit("playwright is not installed in .venv; delete .venv and run again")
    cache = pathlib.Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or pathlib.Path.home() / ".cache" / "ms-playwright")
    revisions = {b["name"]: b["revision"] for b in json.loads(manifest.read_text())["browsers"]}
    return {name: cache / f"{name}-{revisions[name]}" for name in ENGINES}, manifest.read_text()


def engines_asked(argv):
    """The engines a command's arguments ask for (--browser NAME, repeatable), every engine when none."""
    asked = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--browser"]
    asked += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--browser=")]
    return [name for name in ENGINES if name in asked] or list(ENGINES)


def webkit_route(argv):
    """--webkit ROUTE as given (auto when not)."""
    given = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--webkit"]
    given += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--webkit=")]
    return given[-1] if given else "auto"


def ensure_browsers(engines=ENGINES, webkitgtk=False):
    """What the engines asked for need, and no more: --browser chromium installs no WebKitGTK, and --webkit
    webkitgtk no Playwright WebKit."""
    if webkitgtk and "webkit" in engines:
        ensure_distro_browsers(["webkit"])
        engines = [name for name in engines if name != "webkit"]
    builds, manifest = playwright_builds()
    missing = [name for name in engines if not builds[name].exists()]
    if not missing:
        return
    manifest_digest = hashlib.sha256(manifest.encode()).hexdigest()
    tried = DOWNLOAD_FAILED_STAMP.exists() and DOWNLOAD_FAILED_STAMP.read_text() == manifest_digest
    if not tried:
        say(f"downloading Playwright's builds of {', '.join(missing)} (log: {INSTALL_LOG})")
        with open(INSTALL_LOG, "w") as log:
            status = subprocess.run(
                [PYTHON, "-m", "playwright", "install", *missing], stdout=log, stderr=subprocess.STDOUT
            ).returncode
        if status == 0:
            if os.geteuid() == 0 and shutil.which("apt-get"):
                run(PYTHON, "-m", "playwright", "install-deps", *missing)
            return
        # Remembered so later runs stay fast; a new playwright pin tries again.
        DOWNLOAD_FAILED_STAMP.write_text(manifest_digest)
        say("Playwright's download failed; falling back to distribution browsers")
    ensure_distro_browsers(missing)


def distribution():
    """The machine's distribution id (/etc/os-release ID: debian, ubuntu, ...), or "" where it says none."""
    try:
        found = re.search(r"^ID=\"?([\w.-]+)", pathlib.Path("/etc/os-release").read_text(), re.M)
    except OSError:
        return ""
    return found.group(1) if found else ""


def ensure_distro_browsers(names):
    snaps = [name for name in names if name in ("chromium", "firefox") and not os.path.exists(DISTRO[name][1][0])]
    if snaps and distribution() == "ubuntu":
        # Ubuntu's chromium and firefox packages install snaps, which Playwright cannot launch with its options.
        raise SystemExit(
            f"{', '.join(snaps)}: Playwright's own builds are needed on Ubuntu (its chromium and firefox packages "
            f"are snaps), and their download failed: see {INSTALL_LOG}, then `python3 -m e2e setup` again"
        )
    packages = [p for n in names if not all(map(os.path.exists, DISTRO[n][1])) for p in DISTRO[n][0]]
    if packages:
        ensure_packages(packages, "or Playwright's builds (playwright install --with-deps chromium firefox webkit)")


def ensure_packages(packages, alternative):
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            f"need {', '.join(packages)}: install them (Debian: sudo apt-get install {' '.join(packages)}) "
            f"{alternative}"
        )
    env_apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"installing Debian {' '.join(packages)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env_apt)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env_apt)


def ensure_grid():
    """Java (Debian's headless JRE) and the pinned Selenium Grid jar (e2e/harness/backends/grid.py)."""
    if not shutil.which("java"):
        ensure_packages(["openjdk-17-jre-headless"], "for the Selenium Grid test")
    if not grid.JAR.exists():
        say(f"fetching Selenium Grid {grid.VERSION} into {grid.JAR}")
    grid.fetch()


def offered_versions(package):
    """Every version of package the package index offers (apt-cache madison), newest first."""
    listed = subprocess.run(["apt-cache", "madison", package], capture_output=True, text=True).stdout
    return [line.split("|")[1].strip() for line in listed.splitlines() if line.count("|") >= 2]


def installed_version(package):
    shown = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    return shown.stdout.strip() if shown.returncode == 0 else None


def ensure_releases():
    """Download and extract each other release of each engine's packages (never installed, never replacing
    the system browser): releases.CACHE/<engine>-<major>/ with release.json naming what it holds."""
    if not shutil.which("apt-get"):
        raise SystemExit("--releases needs apt-get and dpkg (Debian's package index)")
    for engine, (packages, executable) in releases.PACKAGES.items():
        for version in offered_versions(packages[0]):
            if version == installed_version(packages[0]):
                continue
            folder = releases.CACHE / f"{engine}-{version.split('.')[0]}"
            if (folder / executable).exists():
                continue
            say(f"fetching {engine} {version} into {folder}")
            work = releases.CACHE / f".{folder.name}.partial"
            shutil.rmtree(work, ignore_errors=True)
            (work / "debs").mkdir(parents=True)
            subprocess.run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", *(f"{p}={version}" for p in packages)], cwd=work / "debs",
                           check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            for deb in sorted((work / "debs").glob("*.deb")):
                subprocess.run(["dpkg", "-x", str(deb), str(work / "tree")], check=True)
            (work / "tree" / "release.json").write_text(
                json.dumps({"engine": engine, "version": version, "packages": packages, "executable": executable})
            )
            shutil.rmtree(folder, ignore_errors=True)
            (work / "tree").rename(folder)
            shutil.rmtree(work)


def take_django(argv):
    """(argv without --django LINE, LINE or None): the bootstrap's own option, never pytest's."""
    if "--django" not in argv:
        return argv, None
    at = argv.index("--django")
    if at + 1 >= len(argv):
        raise SystemExit(f"--django takes a Django line: one of {', '.join(django_lines())}")
    rest = argv[:at] + argv[at + 2 :]
    if "--django" in rest:
        raise SystemExit("--django is given twice: one Django line per run")
    return rest, argv[at + 1]


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if argv else 2
    if argv[0] not in (*COMMANDS, "setup"):
        choices = ", ".join((*COMMANDS, "setup"))
        print(f"python3 -m e2e: unknown command {argv[0]!r}; one of {choices} (python3 -m e2e --help)", file=sys.stderr)
        return 2
    argv, line = take_django(argv)
    ensure_venv()
    python = ensure_django_venv(line) if line else PYTHON
    if argv[0] not in ("merge", "compare", "report"):  # reading records needs no browser
        ensure_browsers(engines_asked(argv[1:]), webkitgtk=webkit_route(argv[1:]) == "webkitgtk")
    if argv[0] == "setup":
        options = [arg for i, arg in enumerate(argv[1:], 1) if not (argv[i - 1] == "--browser" or
                   arg.startswith("--browser="))]  # fmt: skip
        unknown = sorted(set(options) - {"--releases", "--grid", "--browser"})
        if unknown:
            print(f"python3 -m e2e setup: unknown option {unknown[0]!r}; --browser NAME, --releases, --grid, "
                  "--django LINE", file=sys.stderr)  # fmt: skip
            return 2
        if "--releases" in argv[1:]:
            ensure_releases()
        if "--grid" in argv[1:]:
            ensure_grid()
        return 0
    os.chdir(ROOT)
    # The site package for bench and soak, as pytest's pythonpath setting gives it to the tests.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "site"), os.environ.get("PYTHONPATH")]))
    chosen = COMMANDS[argv[0]]
    if argv[0] == "e2e" and names_tests(argv[1:], ROOT):
        chosen = chosen[:-1]  # a path after the command narrows it: that module alone, not e2e as well
    command = [str(python), *chosen, *argv[1:]]
    say("$ " + " ".join(command[1:]))
    os.execv(command[0], command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
