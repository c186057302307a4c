"""The whole test network as one object: site servers (http + https) behind the proxy."""

import contextlib
import json
import ssl
import time
import urllib.error
import urllib.request

from cookielab.server import SiteServer, tls_context

from .hosts import TEST_HOSTS
from .proxy import TestProxy


class TestNetwork(contextlib.ExitStack):
    __test__ = False  # not a pytest test class despite the name

    def __init__(self, proxy_listen=("127.0.0.1", 0)):
        super().__init__()
        self.proxy_listen = proxy_listen

    def __enter__(self):
        super().__enter__()
        self.http = self.enter_context(SiteServer())
        self.https = self.enter_context(SiteServer(tls_context(TEST_HOSTS + ("localhost", "127.0.0.1"))))
        self.proxy = self.enter_context(TestProxy(TEST_HOSTS, self.http.port, self.https.port, self.proxy_listen))
        return self

    def log(self, token):
        """The echoes the site recorded under token, read from its plain server (no browser)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http.port}/log?t={token}", headers={"Host": TEST_HOSTS[0]}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def wait_log(self, token, timeout=10.0):
        """The first echo recorded under token, polling until it arrives or the deadline passes."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.log(token)
            if records or time.monotonic() > deadline:
                return records
            time.sleep(0.05)  # polling interval, bounded by the deadline above

    def loopback_origin(self, host, secure=False):
        """http(s)://localhost:PORT or 127.0.0.1:PORT: the site on its own port, for loopback scenarios."""
        return f"https://{host}:{self.https.port}" if secure else f"http://{host}:{self.http.port}"

    def fetch(self, url, method="GET"):
        """One request through the proxy, as a browser would send it: (status, headers, body).

        The wire view of what the site sent, Set-Cookie headers included; HTTP
        errors are answers here, not exceptions.
        """
        handlers = [
            urllib.request.ProxyHandler({"http": self.proxy.url, "https": self.proxy.url}),
            urllib.request.HTTPSHandler(context=_unverified()),
        ]
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(urllib.request.Request(url, method=method), timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def _unverified():
    # The test CA is throwaway; the proxy, not the certificate, keeps traffic local.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
