"""A forwarding proxy that reaches exactly the test hosts and refuses every other host.

Browsers are told to use it for everything, so a page can never reach beyond
this machine: plain requests to a test host go to the site's plain server,
CONNECT to a test host's port 443 is tunnelled to its TLS server, and anything
else gets a 403 naming the refused host.
"""

import contextlib
import os
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from e2e.harness.network.hosts import LOOPBACK_HOSTS
from e2e.harness.network.private_net import pump

# How often a server's loop looks for shutdown(): socketserver's default half second was waited out by each
# server at every run's end (measured: 0.3 s a server, 1.8 s a run's teardown).
SHUTDOWN_POLL = 0.05

# Hop-by-hop headers (RFC 9110 section 7.6.1) are the proxy's own business.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
HOP_BY_HOP_FRAMING = HOP_BY_HOP | {"content-length"}  # the proxy frames what it relays itself
# Not forwarded either: the proxy routes by the request line and names that Host itself, and it
# answers Expect: 100-continue itself (the site would send a second 100 inside the relayed answer).
NOT_FORWARDED = HOP_BY_HOP | {"host", "expect"}
IDLE_SECONDS = 30  # an idle or half-sent request, or a silent tunnel, is closed after this
REQUEST_SECONDS = 30  # a whole request, however it trickles in, arrives within this or the connection closes
MAX_BODY = 1 << 20  # the lab's forms post a few hundred bytes; a larger body is refused, never held
# A browser opens about six connections per host; the load test 200 at once. Beyond this many the
# proxy answers 503 at once instead of starting a thread: threads and buffered bodies stay bounded
# (200 connections with 1 MiB bodies held 404 threads and 271 MiB before, measured).
MAX_CONNECTIONS = 256
BODY_BUDGET = 16 * MAX_BODY  # request bodies held at once, across every connection
MAX_PORT_DIGITS = 5


def ascii_number(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() also takes '²' and other Unicode digits, which int() refuses."""
    return text.isascii() and text.isdigit()


def port_number(text: str) -> int | None:
    """A TCP port written in at most five ASCII digits, or None (5000 digits would make int() raise)."""
    if not ascii_number(text) or len(text) > MAX_PORT_DIGITS or not 0 < int(text) < 65536:
        return None
    return int(text)


class BadRequest(ValueError):
    """A request the proxy cannot forward: answered 400 with the reason, never a traceback."""


class TooLarge(BadRequest):
    """A body over MAX_BODY: answered 413 before any of it is read."""


class Busy(BadRequest):
    """Too many bodies held at once: answered 503, the client may retry."""


class LengthRequired(BadRequest):
    """A chunked request body: answered 411 (the site is reached with Content-Length only)."""


class _ProxyHandler(BaseHTTPRequestHandler):
    server: "_ThreadingServer"
    protocol_version = "HTTP/1.1"  # keep-alive to the browser
    # A request line without a version would get an HTTP/0.9 answer: no status line at all.
    default_request_version = "HTTP/1.0"
    server_version = "cookie-lab-proxy"

    def setup(self) -> None:
        self.timeout = self.server.idle_timeout  # type: ignore[misc]  # socketserver's per-handler socket timeout
        super().setup()

    def handle_one_request(self) -> None:
        # The idle timeout bounds each read; this bounds the whole request, so a client
        # that drips a byte just inside the idle timeout is still cut off.
        self.server.deadlines.start(self, self.server.request_timeout)
        try:
            super().handle_one_request()
        finally:
            self.server.deadlines.cancel(self)

    def cut(self) -> None:
        """The request took too long to arrive (Deadlines calls it): the connection ends."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _request_read(self) -> None:
        """The whole request is in: what follows (a tunnel, the site's answer) has its own timeouts."""
        self.server.deadlines.cancel(self)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        # http.client reads a header line without a colon as the end of the head: every later header
        # (Content-Length among them) would be dropped and the rest read as a body or a second request.
        if self.headers.defects or self.headers.get_payload():
            self._bad("a header line without a colon (RFC 9112 section 5: 400)")
            return False
        return True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # refusals and bad requests are answered to the client and counted, not printed

    def __getattr__(self, name: str) -> Callable[[], None]:
        # BaseHTTPRequestHandler answers an unknown method with 501; a proxy refusing it says 405.
        if name.startswith("do_"):
            return lambda: self.send_error(405, f"cookie-lab proxy: method {self.command[:20]!r} not allowed")
        raise AttributeError(name)

    def _bad(self, why: str) -> None:
        self.close_connection = True
        self.send_error(400, f"cookie-lab proxy: {why}")

    def _refuse(self, host: str, why: str) -> None:
        self.server.refused.append(host)
        # An unread body, or the TLS a refused CONNECT's client sends next, must not be read as a request.
        unread = self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length", "0").strip() != "0"
        if unread or self.command == "CONNECT":
            self.close_connection = True
        body = f"cookie-lab proxy refused {host}: {why}\n".encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _routes(self, host: str | None, port: int | None, default_port: int, site_ports: Collection[int]) -> bool:
        """A test host on its default port, or loopback on one of the site's own ports.

        Chromium under Playwright sends even loopback through the proxy; the
        localhost and IP-address scenarios reach the site's ports that way.
        """
        port = default_port if port is None else port
        if host in self.server.hosts:
            return port == default_port
        return host in LOOPBACK_HOSTS and port in site_ports

    def do_CONNECT(self) -> None:
        self._request_read()
        host, _, port = self.path.rpartition(":")
        if port_number(port) is None or not self._routes(host, port_number(port), 443, (self.server.tls_port,)):
            return self._refuse(self.path[:200], "not a test host on port 443")
        upstream = socket.create_connection(("127.0.0.1", self.server.tls_port))
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        pump(self.connection, upstream, self.server.idle_timeout)  # a silent tunnel ends after the idle timeout

    def _forward(self) -> None:
        try:
            self._forward_checked()
        except TooLarge as why:
            self.close_connection = True
            self.send_error(413, str(why))
        except Busy as why:
            self.close_connection = True
            self.send_error(503, str(why))
        except LengthRequired as why:
            self.close_connection = True
            self.send_error(411, str(why))
        except BadRequest as why:
            self._bad(str(why))
        except (ValueError, UnicodeError) as error:  # a request line or header no server could take
            self._bad(f"malformed request ({type(error).__name__})")

    def _body(self) -> bytes:
        """The request body, framed as RFC 9112 section 6.3 says; anything ambiguous is refused.

        Transfer-Encoding with Content-Length, or repeated framing headers, is how request
        smuggling starts: two parsers could read two different bodies.
        """
        lengths = self.headers.get_all("Content-Length") or []
        codings = self.headers.get_all("Transfer-Encoding") or []
        if codings and lengths:
            raise BadRequest("Transfer-Encoding together with Content-Length (RFC 9112 section 6.3)")
        if len(codings) > 1 or len(lengths) > 1:
            raise BadRequest("repeated Transfer-Encoding or Content-Length (RFC 9112 section 6.3)")
        if codings:
            if codings[0].strip().lower() != "chunked":
                raise BadRequest(f"Transfer-Encoding {codings[0][:40]!r} (RFC 9112 section 6.3: 400)")
            raise LengthRequired("cookie-lab proxy needs Content-Length on request bodies")
        length = lengths[0].strip() if lengths else "0"
        if not ascii_number(length):
            raise BadRequest(f"bad Content-Length {length[:40]!r}")
        if len(length) > len(str(MAX_BODY)) or int(length) > MAX_BODY:
            raise TooLarge(f"cookie-lab proxy takes request bodies up to {MAX_BODY} bytes")
        with self.server.body_budget.held(int(length)):
            body = self.rfile.read(int(length))
        if len(body) < int(length):
            raise BadRequest("the request ended before its Content-Length")
        return body

    def _forward_checked(self) -> None:
        url = urlsplit(self.path)
        site_ports = (self.server.http_port, *self.server.more)
        try:
            routed = url.scheme == "http" and self._routes(url.hostname, url.port, 80, site_ports)
        except ValueError:  # a port that is not a number
            routed = False
        if not routed:
            return self._refuse(url.netloc or self.path, "not a test host over http on port 80")
        body = self._body()
        self._request_read()
        target = url.path or "/"
        if url.query:
            target += "?" + url.query
        if not target.isascii() or any(ch in target for ch in " \r\n"):
            raise BadRequest("request target with bytes no server takes")
        host = (url.hostname or "") + (f":{url.port}" if url.port is not None else "")
        lines = [f"{self.command} {target} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items() if k.lower() not in NOT_FORWARDED]
        lines += ["Connection: close", "", ""]
        try:
            # Loopback names the site's port it reaches; a test host reaches its first plain port.
            upstream_port = url.port if url.hostname in LOOPBACK_HOSTS else self.server.http_port
            with socket.create_connection(("127.0.0.1", upstream_port), timeout=30) as upstream:
                upstream.sendall("\r\n".join(lines).encode("latin-1") + body)
                answer = _read_all(upstream)
        except OSError as exc:
            return self.send_error(502, f"cookie-lab proxy: site server failed: {exc}")
        self.wfile.write(_relayed(answer, self.command == "HEAD"))

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _forward


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _relayed(answer: bytes, head_only: bool) -> bytes:
    """The site's answer as bytes for the client: its header lines untouched, framing the proxy's own.

    Lines are split on CRLF only, so whatever a Set-Cookie line carries (a lone
    CR, NUL, UTF-8) stays inside that line: re-parsing the head (http.client
    treats a lone CR as a line break) would split one header into two, and
    http.client also stops at 100 header lines.
    """
    head, _, content = answer.partition(b"\r\n\r\n")
    status, *fields = head.split(b"\r\n")
    kept = [f for f in fields if f.split(b":", 1)[0].strip().lower().decode("latin-1") not in HOP_BY_HOP_FRAMING]
    framing = [] if head_only else [b"Content-Length: %d" % len(content)]
    return b"\r\n".join([status, *kept, *framing, b"", b""]) + (b"" if head_only else content)


class Deadlines:
    """One watchdog thread for every request's deadline (a timer thread per request doubled the threads)."""

    def __init__(self) -> None:
        self.due: dict[_ProxyHandler, float] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self._watch, name="proxy-deadlines", daemon=True).start()

    def start(self, handler: _ProxyHandler, seconds: float) -> None:
        with self.lock:
            self.due[handler] = time.monotonic() + seconds

    def cancel(self, handler: _ProxyHandler) -> None:
        with self.lock:
            self.due.pop(handler, None)

    def _watch(self) -> None:
        while not self.stopped.wait(0.1):  # the deadlines' resolution, not a synchronisation
            now = time.monotonic()
            with self.lock:
                late = [handler for handler, due in self.due.items() if due <= now]
                for handler in late:
                    del self.due[handler]
            for handler in late:
                handler.cut()


class Budget:
    """Bytes of request bodies held at once, across connections."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def held(self, size: int) -> Iterator[None]:
        with self.lock:
            if size > self.left:
                raise Busy("cookie-lab proxy: too many request bodies at once; retry")
            self.left -= size
        try:
            yield
        finally:
            with self.lock:
                self.left += size


class _Serving(socketserver.ThreadingMixIn):
    """What both of the proxy's listeners share: a handler thread per connection, up to MAX_CONNECTIONS."""

    daemon_threads = True
    # What handlers read: set by TestProxy before serving.
    idle_timeout: float
    request_timeout: float
    hosts: frozenset[str]
    http_port: int
    tls_port: int
    more: frozenset[int]  # the site's other plain ports, reached on loopback hosts only
    refused: list[str]
    deadlines: Deadlines
    body_budget: Budget
    slots: threading.BoundedSemaphore

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            self.shutdown_request(request)  # type: ignore[attr-defined]
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that disconnects early or stalls is its own business: no traceback.
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            print(f"cookie-lab proxy: {type(error).__name__}: {error}", file=sys.stderr)


class _ThreadingServer(_Serving, socketserver.TCPServer):
    allow_reuse_address = False
    request_queue_size = 256  # the default 5 drops bursts of connections


class _UnixServer(_Serving, socketserver.UnixStreamServer):
    """The same proxy on a Unix socket: how a browser in a private network namespace reaches it (private_net.py)."""

    request_queue_size = 256


class TestProxy:
    """The proxy in a thread: on 127.0.0.1 and a free port unless told otherwise.

    listen=(host, port): a fixed port (Safari takes its proxy from the macOS
    system settings, set before the run) or, explicitly, an address beyond
    loopback for a browser on another machine (--proxy-listen).
    """

    __test__ = False  # not a pytest test class despite the name

    def __init__(
        self,
        hosts: Iterable[str],
        http_port: int,
        tls_port: int,
        listen: tuple[str, int] = ("127.0.0.1", 0),
        idle_timeout: float = IDLE_SECONDS,
        request_timeout: float = REQUEST_SECONDS,
        unix_path: str | None = None,
        more_http_ports: tuple[int, ...] = (),
    ) -> None:
        self.server = _ThreadingServer(listen, _ProxyHandler)
        self.servers: list[_Serving] = [self.server]
        if unix_path is not None:
            self.servers.append(_UnixServer(unix_path, _ProxyHandler))
        shared = {
            "idle_timeout": idle_timeout, "request_timeout": request_timeout, "hosts": frozenset(hosts),
            "http_port": http_port, "tls_port": tls_port, "more": frozenset(more_http_ports), "refused": [],
            "deadlines": Deadlines(),
            "body_budget": Budget(BODY_BUDGET), "slots": threading.BoundedSemaphore(MAX_CONNECTIONS),
        }  # fmt: skip
        for server in self.servers:
            vars(server).update(shared)
        self.port = self.server.server_address[1]
        self.unix_path = unix_path  # the same proxy for a browser in a private network namespace
        self.host = listen[0] if listen[0] not in ("", "0.0.0.0") else socket.gethostname()  # as browsers reach it
        self.url = f"http://{self.host}:{self.port}"
        self._threads = [
            threading.Thread(target=server.serve_forever, args=(SHUTDOWN_POLL,), name="proxy", daemon=True)  # type: ignore[attr-defined]
            for server in self.servers
        ]

    @property
    def refused(self) -> list[str]:
        return list(self.server.refused)

    @property
    def loopback(self) -> bool:
        """Whether the proxy listens on loopback only (browsers in a private namespace reach it relayed)."""
        return self.host in ("127.0.0.1", "localhost", "::1")

    def __enter__(self) -> "TestProxy":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.deadlines.stopped.set()
        for server in self.servers:
            server.shutdown()  # type: ignore[attr-defined]
            server.server_close()
        if self.unix_path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.unix_path)
