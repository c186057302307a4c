"""The reference site on real HTTP/1.1 servers: one plain socket, one TLS socket.

Django's own threaded development server (the one runserver and pytest-django's
live_server use) speaks HTTP/1.1 with keep-alive; TLS is a wrapped listening socket.
"""
import ssl
import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


class _Handler(WSGIRequestHandler):
    def get_environ(self):
        environ = super().get_environ()
        if self.server.tls:
            # Makes request.scheme / is_secure() say https on the TLS socket.
            environ["HTTPS"] = "on"
        return environ


class SiteServer:
    """A Django WSGI server on 127.0.0.1 and a free port, plain or TLS, in a thread."""

    def __init__(self, ssl_context=None):
        self.httpd = ThreadedWSGIServer(("127.0.0.1", 0), _Handler, allow_reuse_address=False)
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
        self._thread = threading.Thread(target=self.httpd.serve_forever, name=f"site:{self.port}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def tls_context(hosts):
    """A throwaway CA and a server certificate for the given hosts (trustme)."""
    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(context)
    return context
