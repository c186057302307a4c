"""The WebKitGTK browser's control port reads and clears the whole jar: only with the secret the harness holds.

The port listens on loopback, which every local user can reach; before the secret, an
unprivileged user read the jar (HttpOnly values included) and cleared it.
"""

import json
import socket
import stat

import pytest

from e2e.harness.backends.webdriver import ControlJar, WebKitGTKLauncher
from e2e.harness.network.hosts import ORIGIN
from e2e.harness.runner import Lab


def _ask(port, line):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock, sock.makefile("rw") as stream:
        stream.write(line + "\n")
        stream.flush()
        return stream.readline()


@pytest.fixture(scope="module")
def webkit_session(test_network):
    with WebKitGTKLauncher(test_network.proxy.url) as launcher:
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
    answer = _ask(session.jar.port, line)
    assert json.loads(answer) == {"error": "refused: no or wrong secret"}
    assert [c["value"] for c in lab.stored("secret")] == ["s3cr3t"]  # still there: not cleared
    session.clear_cookies()


@pytest.mark.needs("webkit", "webkitgtk")
@pytest.mark.browser
def test_control_file_is_readable_by_its_owner_only(webkit_session):
    """The secret's file is 0600 inside a 0700 folder: another local user cannot read it."""
    launcher, _ = webkit_session
    files = list(launcher.scratch.rglob("control-port"))
    assert files, f"no control file under {launcher.scratch}"
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
        for folder in (path.parent, launcher.scratch):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, (folder, oct(folder.stat().st_mode))
