"""A browser or driver on a loopback of its own: run a command in a private network namespace, with relays.

    python3 private_net.py [--expose-fd FD=PORT] [--expose-port PORT=PORT] [--firefox-bidi PORT]
                           [--proxy PORT=SOCKET] -- COMMAND [ARG ...]

Why: WebKitWebDriver, Marionette and Firefox's WebDriver BiDi listen on 127.0.0.1 without any
authentication, where every local user can connect, and the first client to ask for a session
drives the browser (WebKitWebDriver even lets it choose the "browser" binary: another user ran a
command of its choice as the run's user in 4 of 4 races, measured). In a network namespace of its
own, the command's loopback is unreachable from the machine's; the run reaches in through the
relays below, and each relay takes only connections from this run's user.

- --expose-fd FD=PORT: FD is a listening TCP socket on the machine's loopback (bound by the caller, so
  it knows the port); each connection, once its owner is shown to be this user, is relayed to PORT on
  the private loopback. --expose-port OUTER=PORT binds the outer port here (a client told a port
  before the browser starts: Marionette).
- --firefox-bidi: Firefox's WebDriver BiDi: its `--remote-debugging-port=0` becomes a port bound here on
  the outer loopback, and the same number inside, since Firefox refuses a handshake whose Host names
  another port (remote/server/WebSocketHandshake.sys.mjs, isHostValid). What it prints ("WebDriver BiDi
  listening on ws://127.0.0.1:PORT") is what Playwright reads to connect.
- --proxy PORT=SOCKET: the test proxy, as the browser is told it is (127.0.0.1:PORT), relayed to its Unix
  socket SOCKET (a path: Unix sockets are not network-namespaced; the folder is the run's, 0700).

The owner of a loopback TCP connection is read from the machine's /proc/net/tcp (its uid column),
opened before the namespace is entered: SO_PEERCRED exists for Unix sockets only.

Standard library only: it runs before and beside the virtualenv. As root a network namespace is one
unshare(2); as any other user a user namespace comes with it (uid mapped to itself, so files keep
their owner). Where neither is allowed `available()` says so and the harness says so in one line.
"""

import argparse
import ctypes
import fcntl
import functools
import os
import pathlib
import select
import shlex
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
LOOKUPS = 5
INNER_READY_SECONDS = 30  # a relayed connection waits this long for the command to listen inside
_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def enter_namespace() -> None:
    """This process into a new network namespace (a user namespace with it when not root), loopback up."""
    if os.geteuid() == 0:
        _unshare(CLONE_NEWNET)
    else:
        uid, gid = os.geteuid(), os.getegid()
        _unshare(CLONE_NEWUSER | CLONE_NEWNET)
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    with socket.socket() as control:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(control, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


@functools.cache
def refusal() -> str | None:
    """None when a private network namespace can be made here, else why not (one line); asked once a run."""
    probe = subprocess.run(
        [sys.executable, __file__, "--", "true"], capture_output=True, text=True, timeout=30, check=False
    )
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or [f"exit {probe.returncode}"])[-1]


def wrapped(
    command: list[str],
    proxy: tuple[int, str],
    expose_fds: tuple[tuple[int, int], ...] = (),
    expose_ports: tuple[tuple[int, int], ...] = (),
    firefox_bidi: bool = False,
) -> list[str]:
    """command, run in a private network namespace with these relays (see the module's docstring)."""
    options = [f"--proxy={proxy[0]}={proxy[1]}"]
    options += [f"--expose-fd={fd}={port}" for fd, port in expose_fds]
    options += [f"--expose-port={outer}={port}" for outer, port in expose_ports]
    options += ["--firefox-bidi"] if firefox_bidi else []
    return [sys.executable, __file__, *options, "--", *command]


def script(path: pathlib.Path, command: list[str], env: dict[str, str] | None = None) -> pathlib.Path:
    """An executable file that runs command (wrapped(), or a browser) with the arguments it is given and env set:
    for a launcher that takes one executable path (Playwright's executable_path, mozrunner's binary)."""
    exports = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in (env or {}).items())
    path.write_text("#!/bin/sh\n" + exports + "exec " + " ".join(shlex.quote(part) for part in command) + ' "$@"\n')
    path.chmod(0o700)
    return path


def setting() -> tuple[str, str]:
    """The engine-description setting that says where its driver's port is."""
    why = refusal()
    return ("loopback", "private" if why is None else f"shared ({why})")


class Owners:
    """Who owns the client end of a loopback TCP connection: the uid column of the machine's TCP tables."""

    def __init__(self) -> None:
        # Opened before the namespace is entered: a /proc/net file keeps the namespace it was opened in.
        self.table = os.open("/proc/self/net/tcp", os.O_RDONLY)  # IPv4: every relay listens on 127.0.0.1

    def owner(self, connection: socket.socket) -> int | None:
        """The uid of the connection's other end; None when it is not listed (gone, or another table's)."""
        peer_host, peer_port = connection.getpeername()[:2]
        local_host, local_port = connection.getsockname()[:2]
        wanted = (_hex_address(peer_host, peer_port), _hex_address(local_host, local_port))
        # The kernel lists the table while connections come and go, and can skip an entry then (measured: 1
        # lookup in about 60 missed a connection that was there): a few more reads before refusing.
        for _ in range(LOOKUPS):
            found = self._lookup(wanted)
            if found is not None:
                return found
            time.sleep(0.01)  # a retry's spacing, bounded by LOOKUPS
        return None

    def _lookup(self, wanted: tuple[str, str]) -> int | None:
        os.lseek(self.table, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(self.table, 1 << 16):
            chunks.append(chunk)
        for line in b"".join(chunks).decode().splitlines()[1:]:
            fields = line.split()
            if (fields[1], fields[2]) == wanted:
                return int(fields[7])
        return None


def _hex_address(host: str, port: int) -> str:
    """An address as /proc/net/tcp writes it: the IPv4 bytes as one native-order word, then the port."""
    return f"{struct.unpack('=I', socket.inet_aton(host))[0]:08X}:{port:04X}"


def say(message: str) -> None:
    """One line to stderr (the launcher's log): what the relays refused."""
    print(f"private_net: {message}", file=sys.stderr, flush=True)


def pump(a: socket.socket, b: socket.socket, idle: float | None = None) -> None:
    """Copy both ways until either side closes (or, with idle, stays silent that long); then close both."""
    sockets = [a, b]
    for sock in sockets:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            # A relay must not hold a small write back for the last one's ACK (Nagle's algorithm): against a
            # receiver's delayed ACK that stalled a WebDriver command split in two writes by 40 ms (measured:
            # WebKitGTK's harness scenario went from 1.1 to 1.9 times the raw floor once its driver sat behind here).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], idle)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(1 << 16)
                if not data:
                    return
                (b if sock is a else a).sendall(data)
    except OSError:
        return
    finally:
        a.close()
        b.close()


def _connect_inside(port: int) -> socket.socket | None:
    """The command's listener on the private loopback, waited for: a client may come before it listens."""
    deadline = time.monotonic() + INNER_READY_SECONDS
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)  # polling interval, bounded by the deadline above


def expose(listener: socket.socket, port: int, owners: Owners) -> None:
    """Relay each connection this user makes to listener (outer loopback) to port on the private loopback."""
    me = os.geteuid()

    def serve(client: socket.socket) -> None:
        owner = owners.owner(client)
        if owner != me:
            say(f"refused a connection to port {port} from uid {owner}")
            client.close()  # another user, or a connection gone before it was seen
            return
        inner = _connect_inside(port)
        if inner is None:
            say(f"nothing listens on port {port} inside after {INNER_READY_SECONDS} s")
            client.close()
            return
        inner.settimeout(None)
        pump(client, inner)

    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


def bring_proxy(port: int, path: str) -> None:
    """Listen on the private loopback's port, as the browser was told the proxy is, relaying to its Unix socket."""
    listener = socket.create_server(("127.0.0.1", port))

    def serve(client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX)
        try:
            upstream.connect(path)
        except OSError:
            client.close()
            upstream.close()
            return
        pump(client, upstream)

    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


def _pair(text: str) -> tuple[int, str]:
    left, _, right = text.partition("=")
    return int(left), right


def _die_with_parent() -> None:
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="private_net.py")
    parser.add_argument("--expose-fd", action="append", default=[], type=_pair, metavar="FD=PORT")
    parser.add_argument("--expose-port", action="append", default=[], type=_pair, metavar="OUTER=PORT")
    parser.add_argument("--firefox-bidi", action="store_true")
    parser.add_argument("--proxy", type=_pair, metavar="PORT=SOCKET")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    # Everything facing the machine's loopback is made before the namespace is entered.
    exposed = [(socket.socket(fileno=fd), int(port)) for fd, port in args.expose_fd]
    exposed += [(socket.create_server(("127.0.0.1", outer)), int(port)) for outer, port in args.expose_port]
    bidi_port = None
    if args.firefox_bidi:
        bidi_outer = socket.create_server(("127.0.0.1", 0))
        bidi_port = bidi_outer.getsockname()[1]
        exposed.append((bidi_outer, bidi_port))
    owners = Owners()
    try:
        enter_namespace()
    except OSError as error:
        print(f"private_net: no private network namespace here ({error.strerror})", file=sys.stderr)
        return 126
    for listener, port in exposed:
        threading.Thread(target=expose, args=(listener, port, owners), daemon=True).start()
    if args.proxy:
        threading.Thread(target=bring_proxy, args=args.proxy, daemon=True).start()
    command = args.command
    if bidi_port is not None:
        command = [f"--remote-debugging-port={bidi_port}" if a == "--remote-debugging-port=0" else a for a in command]
    # The death signal is set in the child: if this process is killed, so is the command.
    child = subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: PLW1509
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda number, _frame: child.send_signal(number))
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
