"""The reference site on real HTTP/1.1 servers: one plain socket, one TLS socket (the e2e network and the fuzz tests).

Django's own threaded development server (the one runserver and pytest-django's
live_server use) speaks HTTP/1.1 with keep-alive; TLS is a wrapped listening socket.
"""

import contextlib
import io
import ssl
import sys
import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ServerHandler, ThreadedWSGIServer, WSGIRequestHandler
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Request
from wsproto.utilities import RemoteProtocolError

from . import hosts


class _Handler(WSGIRequestHandler):
    def get_environ(self):
        environ = super().get_environ()
        if self.server.tls:
            # Makes request.scheme / is_secure() say https on the TLS socket.
            environ["HTTPS"] = "on"
        return environ

    def parse_request(self):
        """A WebSocket handshake (RFC 6455 section 4) is answered here, once Django has seen it: WSGI cannot
        switch protocols (wsgiref refuses the Upgrade and Connection headers a 101 needs)."""
        if not super().parse_request():
            return False
        if self.headers.get("Upgrade", "").lower() != "websocket":
            return True
        self._websocket()
        return False  # answered: handle_one_request stops here

    def _websocket(self):
        """Django answers the handshake's GET as it would any (the echo verb keeps the Cookie header it
        carried), its answer is dropped, and wsproto completes the handshake and closes the socket at once."""
        self.close_connection = True
        handler = ServerHandler(self.rfile, io.BytesIO(), self.get_stderr(), self.get_environ())
        handler.request_handler = self
        handler.run(self.server.get_app())
        connection = WSConnection(ConnectionType.SERVER)
        head = b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in self.headers.items())
        try:
            connection.receive_data(self.raw_requestline.rstrip(b"\r\n") + b"\r\n" + head + b"\r\n")
            handshakes = [event for event in connection.events() if isinstance(event, Request)]
        except RemoteProtocolError as error:
            self.send_error(400, f"not a WebSocket handshake: {error}")
            return
        if not handshakes:
            self.send_error(400, "not a WebSocket handshake")
            return
        self.wfile.write(connection.send(AcceptConnection()))
        self.wfile.write(connection.send(CloseConnection(code=1000, reason="cookie-lab: handshake seen")))


class _Server(ThreadedWSGIServer):
    # socketserver's default backlog of 5 drops bursts of connections (the
    # proxy load test opens 200 at once); the kernel caps it anyway.
    request_queue_size = 256

    def handle_error(self, request, client_address):
        # A browser closing a TLS connection mid-handshake is not a site error.
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """A Django WSGI server on 127.0.0.1 and a free port, plain or TLS, in a thread."""

    def __init__(self, ssl_context=None):
        self.httpd = _Server(("127.0.0.1", 0), _Handler, allow_reuse_address=False)
        self.httpd.set_app(WSGIHandler())
        self.httpd.daemon_threads = True
        self.httpd.tls = ssl_context is not None
        if ssl_context is not None:
            # Handshake lazily, in the request thread, so one slow client
            # cannot stall the accept loop.
            self.httpd.socket = ssl_context.wrap_socket(
                self.httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self.httpd.server_address[1]
        # Looking for shutdown() ten times as often as socketserver's default: each server's stop waited out half a
        # second of it at the end of every run (measured: 0.3 s a server).
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name=f"site:{self.port}", daemon=True
        )

    def __enter__(self):
        self._served = serving(self.port) if not self.httpd.tls else contextlib.nullcontext()
        self._served.__enter__()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._served.__exit__(*exc)
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serving(port):
    """While inside, a loopback URL at port is this site (targets.test_host_url accepts it for url=)."""
    hosts.SERVED_PORTS.add(port)
    try:
        yield
    finally:
        hosts.SERVED_PORTS.discard(port)


def tls_context(hosts):
    """A throwaway CA and a server certificate for the given hosts (trustme)."""
    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(context)
    return context
