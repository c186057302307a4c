"""The WebKitGTK browser's control socket reads and clears the whole jar: only with the secret the harness holds.

It was a loopback port, which every local user can reach (before the secret, an unprivileged user
read the jar, HttpOnly values included, and cleared it); now a Unix socket in a 0700 folder, 0600
itself, and the secret is still asked of every command.
"""

import json
import socket
import stat

import pytest

from e2e.harness.backends.webdriver import ControlJar, WebKitGTKLauncher
from e2e.harness.network.hosts import ORIGIN
from e2e.harness.runner import Lab


def _ask(path, line):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(10)
        sock.connect(path)
        with sock.makefile("rw") as stream:
            stream.write(line + "\n")
            stream.flush()
            return stream.readline()


@pytest.fixture(scope="module")
def webkit_session(test_network):
    with WebKitGTKLauncher(test_network.proxy.url, proxy_socket=test_network.proxy.unix_path) as launcher:
        session = launcher.new_session()
        try:
            yield launcher, session
        finally:
            session.close()


@pytest.mark.needs("webkit", "webkitgtk")
@pytest.mark.browser  # launches WebKitGTK whatever --browser says: the port exists only there
@pytest.mark.parametrize("line", ["cookies", "clear", "wrong-secret cookies", " cookies", "0" * 32 + " clear"])
def test_control_port_refuses_commands_without_the_secret(webkit_session, test_network, line):
    """Without the secret a command is refused and the jar, HttpOnly cookie included, is neither read nor cleared."""
    _, session = webkit_session
    lab = Lab(session, test_network)
    lab.set(ORIGIN, {"name": "secret", "value": "s3cr3t", "httponly": True})
    assert isinstance(session.jar, ControlJar)
    answer = _ask(session.jar.path, line)
    assert json.loads(answer) == {"error": "refused: no or wrong secret"}
    assert [c["value"] for c in lab.stored("secret")] == ["s3cr3t"]  # still there: not cleared
    session.clear_cookies()


@pytest.mark.needs("webkit", "webkitgtk")
@pytest.mark.browser
def test_control_file_is_readable_by_its_owner_only(webkit_session):
    """The secret's file and the socket are 0600 inside a 0700 folder: another local user can neither read the
    one nor connect to the other."""
    launcher, _ = webkit_session
    files = [*launcher.scratch.rglob("control"), *launcher.scratch.rglob("control.sock")]
    assert len(files) == 2, f"no control file and socket under {launcher.scratch}: {files}"
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
        for folder in (path.parent, launcher.scratch):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, (folder, oct(folder.stat().st_mode))
