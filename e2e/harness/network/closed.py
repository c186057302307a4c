"""The whole test network as one object: site servers (http + https) behind the proxy."""

import contextlib
import http.client
import json
import shutil
import ssl
import tempfile
import time
from typing import Any
from urllib.parse import urlsplit

from cookielab.server import SiteServer, tls_context
from e2e.harness.network.hosts import TEST_HOSTS
from e2e.harness.network.proxy import TestProxy


class TestNetwork(contextlib.ExitStack):
    __test__ = False  # not a pytest test class despite the name

    def __init__(self, proxy_listen: tuple[str, int] = ("127.0.0.1", 0)) -> None:
        super().__init__()
        self.proxy_listen = proxy_listen

    def __enter__(self) -> "TestNetwork":
        super().__enter__()
        self.http = self.enter_context(SiteServer())
        self.https = self.enter_context(SiteServer(tls_context(TEST_HOSTS + ("localhost", "127.0.0.1"))))
        # The same site on a second plain port: one loopback host on two ports (cookies do not isolate by port).
        self.http_other = self.enter_context(SiteServer())
        # A folder only this user can enter (mkdtemp: 0700) for the proxy's Unix socket.
        folder = tempfile.mkdtemp(prefix="cl-net-")  # short: a Unix socket's path is at most 107 bytes
        self.callback(shutil.rmtree, folder, ignore_errors=True)
        self.proxy = self.enter_context(
            TestProxy(
                TEST_HOSTS,
                self.http.port,
                self.https.port,
                self.proxy_listen,
                unix_path=f"{folder}/proxy",
                more_http_ports=(self.http_other.port,),
            )
        )
        return self

    def log(self, token: str) -> list[dict[str, Any]]:
        """The echoes the site recorded under token, read from its plain server (no browser).

        http.client, not urllib: the environment's proxy variables must never
        carry the harness's own requests.
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.http.port, timeout=10)
        try:
            connection.request("GET", f"/log?t={token}", headers={"Host": TEST_HOSTS[0]})
            records: list[dict[str, Any]] = json.load(connection.getresponse())
            return records
        finally:
            connection.close()

    def wait_log(self, token: str, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The first echo recorded under token, polling until it arrives or the deadline passes."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.log(token)
            if records or time.monotonic() > deadline:
                return records
            time.sleep(0.05)  # polling interval, bounded by the deadline above

    def loopback_origin(self, host: str, secure: bool = False, other_port: bool = False) -> str:
        """http(s)://localhost:PORT or 127.0.0.1:PORT: the site on its own port, for loopback scenarios; other_port:
        its second plain port."""
        if other_port:
            return f"http://{host}:{self.http_other.port}"
        return f"https://{host}:{self.https.port}" if secure else f"http://{host}:{self.http.port}"

    def fetch(self, url: str, method: str = "GET") -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request through the proxy, as a browser would send it: (status, headers, body).

        The wire view of what the site sent, Set-Cookie headers included. Sent
        straight to the proxy (an absolute URL, or CONNECT for https), so no
        environment variable (HTTP_PROXY, no_proxy) can route it elsewhere.
        """
        parts = urlsplit(url)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection("127.0.0.1", self.proxy.port, timeout=10, context=_unverified())
            connection.set_tunnel(parts.hostname or "", parts.port or 443)
            target = parts.path or "/"
            target += f"?{parts.query}" if parts.query else ""
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=10)
            target = url
        try:
            connection.request(method, target, headers={"Host": parts.netloc})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


def _unverified() -> ssl.SSLContext:
    # The test CA is throwaway; the proxy, not the certificate, keeps traffic local.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
