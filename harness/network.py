"""The whole test network as one object: site servers (http + https) behind the proxy."""
import contextlib
import json
import urllib.request

from .hosts import TEST_HOSTS
from .proxy import TestProxy
from .servers import SiteServer, tls_context


class TestNetwork(contextlib.ExitStack):
    __test__ = False  # not a pytest test class despite the name

    def __enter__(self):
        super().__enter__()
        self.http = self.enter_context(SiteServer())
        self.https = self.enter_context(SiteServer(tls_context(TEST_HOSTS + ("localhost", "127.0.0.1"))))
        self.proxy = self.enter_context(TestProxy(TEST_HOSTS, self.http.port, self.https.port))
        return self

    def log(self, token):
        """The echoes the site recorded under token, read from its plain server (no browser)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http.port}/log?t={token}", headers={"Host": TEST_HOSTS[0]}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
