"""Child processes the harness starts (X servers, drivers, browsers), each in a process group of its own.

A group is stopped whole, so a browser's helper processes go with it, on
success, failure, crash and Ctrl-C alike (the owners call stop() from
finalizers and context managers).
"""

import contextlib
import os
import pathlib
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Proxy variables must not steer a local driver's or browser's own connections.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def clean_env(**extra: str) -> dict[str, Any]:
    """os.environ without proxy variables (either case), plus extra."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    return {**env, **extra}


def browser_home() -> dict[str, str]:
    """HOME and the XDG folders for a browser, a driver or an X server: a folder of its own in the run's private
    temp folder, so that crash reports, NSS databases, dconf's cache and crash-helper logs never land in the
    user's home (measured with a fresh HOME: Chromium, Firefox and WebKitGTK each wrote there)."""
    home = tempfile.mkdtemp(prefix="cookie-lab-home-")
    return {
        "HOME": home,
        "XDG_CONFIG_HOME": f"{home}/.config",
        "XDG_CACHE_HOME": f"{home}/.cache",
        "XDG_DATA_HOME": f"{home}/.local/share",
        "XDG_STATE_HOME": f"{home}/.local/state",
    }


def start(
    command: list[str], log: pathlib.Path, env: dict[str, Any] | None = None, **kwargs: Any
) -> subprocess.Popen[bytes]:
    """Start command in a new process group, stdout and stderr to log."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            **kwargs,
        )


def stop(process: subprocess.Popen[bytes], grace: float = 3.0) -> None:
    """SIGTERM the process's group, SIGKILL it after grace seconds; reap the process."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(grace)
            if sig == signal.SIGTERM:
                # The leader is gone; helpers that ignored SIGTERM still get SIGKILL.
                os.killpg(process.pid, signal.SIGKILL)
            break
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            break
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)


def group_alive(pgid: int) -> bool:
    """Whether any process of the group still exists."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tail(log: pathlib.Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until(predicate: Callable[[], T], timeout: float, interval: float = 0.05, what: str = "condition") -> T:
    """Poll predicate until it returns a true value or the deadline passes (then TimeoutError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        time.sleep(interval)  # polling interval, bounded by the deadline above


def table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, command line, environment) of every process we may read (Linux /proc)."""
    found = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            environ = (entry / "environ").read_bytes().decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile, or not ours to read
        found[int(entry.name)] = (parent, command, environ)
    return found


def descendants(pid: int) -> dict[int, str]:
    """pid -> command line of every process below pid (children, grandchildren, ...)."""
    procs = table()
    below, frontier = {}, {pid}
    while frontier:
        frontier = {p for p, (parent, _, _) in procs.items() if parent in frontier and p not in below}
        below.update({p: procs[p][1] for p in frontier})
    return below


def tagged(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment holds marker (e.g. RUN=<id>)."""
    return {
        p: command for p, (_, command, environ) in table().items() if marker in environ.split("\0") and not _zombie(p)
    }


def _zombie(pid: int) -> bool:
    try:
        return (pathlib.Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
